//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The real-world corpus beside the repository (`../shared/corpus/wslconfig`).
pub fn corpus_files() -> Vec<PathBuf> {
    let dir = root().join("../shared/corpus/wslconfig");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the corpus must be at {}: {e}", dir.display()))
        .map(|e| e.expect("readable corpus entry").path())
        .filter(|p| p.file_name().is_some_and(|n| n != "MANIFEST.tsv"))
        .collect();
    files.sort();
    files
}

/// Every fixture file under `fixtures/<sub>` (sorted).
pub fn fixture_files(sub: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    walk(&root().join("fixtures").join(sub), &mut files);
    files.sort();
    files
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "wslconfig") {
            out.push(p);
        }
    }
}

/// A snapshot name from a file path.
pub fn stem(p: &Path) -> String {
    p.file_stem().expect("a file name").to_string_lossy().into_owned()
}

/// Every host profile of `fixtures/hosts/`, by file stem, sorted.
pub fn host_fixtures() -> Vec<(String, wslcfg::host::HostProfile)> {
    let dir = root().join("fixtures/hosts");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures/hosts exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).expect("host fixture readable");
            let profile =
                wslcfg::host::from_json(&text, &f.to_string_lossy()).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            (stem(f), profile)
        })
        .collect()
}

/// Every name in `dir`, sorted (temporary files included).
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

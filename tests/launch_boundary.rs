//! The launcher depends on the plan only: `src/launch/` and `src/bin/wslcfg-launch/` may name
//! `crate::plan` / `wslcfg::plan` (and the launcher module itself), never the parser, the passes,
//! the emitters, the host profile, the linter, the compiler or the key registry.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
    {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every `crate::…` / `wslcfg::…` path in `text` whose first segment is not allowed, with its line.
fn offenders(text: &str) -> Vec<(usize, String)> {
    const ALLOWED: &[&str] = &["plan", "launch"];
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        for root in ["crate::", "wslcfg::"] {
            let mut rest = line;
            while let Some(i) = rest.find(root) {
                // `wslcfg::` inside an identifier such as `my_wslcfg::` is not a path root.
                let before = rest[..i].chars().next_back();
                let after = &rest[i + root.len()..];
                rest = after;
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let segment: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !ALLOWED.contains(&segment.as_str()) {
                    // `crate::{a, b}` and `crate::*` are refused too: name the module.
                    let shown = if segment.is_empty() {
                        after.chars().take(12).collect()
                    } else {
                        segment
                    };
                    found.push((n + 1, format!("{root}{shown}")));
                }
            }
        }
    }
    found
}

#[test]
fn the_launcher_uses_the_plan_module_only() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src/launch"), &mut files);
    sources(&root.join("src/bin/wslcfg-launch"), &mut files);
    assert!(files.len() >= 3, "the launcher sources are missing: {files:?}");
    let mut bad = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let rel = f.strip_prefix(root).unwrap().display().to_string();
        for (line, path) in offenders(&text) {
            bad.push(format!("{rel}:{line}: {path}"));
        }
        // `super` must not climb out of the launcher either: src/launch/mod.rs has no `super::`,
        // its submodules no `super::super::` outside their test modules.
        let code = text.split("#[cfg(test)]").next().unwrap();
        let climbs = if rel == "src/launch/mod.rs" {
            "super::"
        } else {
            "super::super::"
        };
        if rel.starts_with("src/launch/") && code.contains(climbs) {
            bad.push(format!("{rel}: `{climbs}` leaves the launcher module"));
        }
    }
    assert!(
        bad.is_empty(),
        "the launcher must depend on the plan module only:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_check_catches_what_it_must() {
    assert!(offenders("use crate::plan::Plan;\nuse wslcfg::launch::{self, Options};").is_empty());
    assert!(offenders("let x = my_wslcfg::host;").is_empty());
    assert_eq!(
        offenders("use crate::host::HostProfile;"),
        [(1, "crate::host".to_owned())]
    );
    assert_eq!(
        offenders("  wslcfg::syntax::parse(x)"),
        [(1, "wslcfg::syntax".to_owned())]
    );
    assert_eq!(offenders("use crate::{plan, emit};").len(), 1);
    assert_eq!(
        offenders("a\nuse crate::registry::KEYS as _;").first().map(|o| o.0),
        Some(2)
    );
}

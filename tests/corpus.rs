//! Every real `.wslconfig` of `../shared/corpus/wslconfig/` goes through lint
//! without a panic, and the ids and lines it reports are kept as one snapshot
//! so that any change of behaviour on real files shows up in review.

mod common;

use std::fmt::Write;
use wslcfg::lint::{LintOptions, lint_bytes};
use wslcfg::registry::Dialect;

#[test]
fn corpus_ids_and_lines() {
    let files = common::corpus_files();
    assert!(files.len() >= 200, "the corpus has {} files", files.len());
    let mut summary = String::new();
    for path in &files {
        let bytes = std::fs::read(path).expect("corpus file readable");
        let name = path.file_name().expect("a name").to_string_lossy();
        let report = lint_bytes(
            &name,
            bytes,
            &LintOptions {
                dialect: Dialect::Seed,
                ..LintOptions::default()
            },
        );
        assert!(report.io_error.is_none());
        let upstream = lint_bytes(
            &name,
            std::fs::read(path).unwrap(),
            &LintOptions {
                dialect: Dialect::Upstream,
                ..LintOptions::default()
            },
        );
        let found: Vec<String> = report
            .diagnostics
            .iter()
            .map(|d| format!("{}@{}", d.id, d.line.map_or("-".to_owned(), |l| l.to_string())))
            .collect();
        let up: Vec<String> = upstream
            .diagnostics
            .iter()
            .map(|d| format!("{}@{}", d.id, d.line.map_or("-".to_owned(), |l| l.to_string())))
            .collect();
        let _ = write!(
            summary,
            "{name}: {}",
            if found.is_empty() {
                "clean".to_owned()
            } else {
                found.join(" ")
            }
        );
        if up != found {
            let _ = write!(summary, " | upstream: {}", up.join(" "));
        }
        summary.push('\n');
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots/corpus");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!("corpus-ids-and-lines", summary));
}

//! Lint output (the JSON contract) of every fixture in both dialects, as insta
//! snapshots under `snapshots/lint/`. Each expected output was checked by hand
//! against spec/grammar.md, keys.md and diagnostics.md when it was accepted.

mod common;

use wslcfg::diag::json;
use wslcfg::lint::{LintOptions, lint_bytes};
use wslcfg::registry::Dialect;

#[test]
fn every_fixture_in_both_dialects() {
    let files = common::fixture_files("");
    assert!(files.len() >= 20, "fixtures are missing");
    for path in files {
        let bytes = std::fs::read(&path).expect("fixture readable");
        let rel = path
            .strip_prefix(common::root())
            .expect("under the root")
            .to_string_lossy()
            .replace('\\', "/");
        for dialect in [Dialect::Seed, Dialect::Upstream] {
            let options = LintOptions {
                dialect,
                ..LintOptions::default()
            };
            let report = lint_bytes(&rel, bytes.clone(), &options);
            let out = json::output(std::slice::from_ref(&report));
            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_path("../snapshots/lint");
            settings.set_prepend_module_to_snapshot(false);
            settings.set_info(&rel);
            settings.bind(|| {
                insta::assert_json_snapshot!(format!("{}-{}", common::stem(&path), dialect.as_str()), out);
            });
        }
    }
}

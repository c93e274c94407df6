//! The committed docs and schemas are generated from the registry and the
//! diagnostic table; these tests fail when they drift. Regenerate with
//! `WSLCFG_UPDATE_DOCS=1 cargo test --test docs_drift`.

mod common;

fn check(rel: &str, expected: String) {
    let path = common::root().join(rel);
    if std::env::var_os("WSLCFG_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &expected).expect("writable docs");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "{rel} is out of date: run `WSLCFG_UPDATE_DOCS=1 cargo test --test docs_drift` and commit the result"
    );
}

#[test]
fn keys_md() {
    check("docs/keys.md", wslcfg::docs::keys_table());
}

#[test]
fn diagnostics_md() {
    check("docs/diagnostics.md", wslcfg::docs::diagnostics_md());
}

#[test]
fn lint_schema() {
    check("schema/lint.schema.json", wslcfg::docs::schema("lint") + "\n");
}

#[test]
fn plan_schema() {
    check("schema/plan.schema.json", wslcfg::docs::schema("plan") + "\n");
}

#[test]
fn host_schema() {
    check("schema/host.schema.json", wslcfg::docs::schema("host") + "\n");
}

#[test]
fn every_diagnostic_id_is_documented() {
    let doc = wslcfg::docs::diagnostics_md();
    for info in wslcfg::diag::ALL {
        assert!(
            doc.contains(&format!("\n## {}\n", info.id)),
            "{} has no section",
            info.id
        );
    }
}

#[test]
fn no_key_name_is_spelled_outside_the_registry() {
    // Every key name lives in src/registry.rs; other sources may only name
    // keys in tests and docs. Checked on the library and binary sources.
    let mut offenders = Vec::new();
    for entry in walk(&common::root().join("src")) {
        let rel = entry
            .strip_prefix(common::root())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // The launcher reads `plan.effective` by the plan's contract names and may not depend on
        // the registry (see `launcher_names_match_the_registry`).
        if rel == "src/registry.rs" || rel.ends_with("/tests.rs") || rel == "src/launch/spec.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&entry).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        for key in wslcfg::registry::KEYS.iter().flat_map(|k| k.names.iter()) {
            if code.contains(&format!("\"{key}\"")) {
                offenders.push(format!("{rel}: {key}"));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "key names spelled outside the registry: {offenders:?}"
    );
}

#[test]
fn launcher_names_match_the_registry() {
    assert_eq!(
        wslcfg::launch::spec::NETWORKING_MODE_KEY,
        wslcfg::registry::k::NETWORKING_MODE.spec().name()
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}

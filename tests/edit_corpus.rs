//! `set` and `unset` of fourteen keys on every file of the real-world corpus
//! (`../shared/corpus/wslconfig/`), in both dialects: the edit succeeds
//! (the only refusals allowed are the files writer.md §6.2 does not edit),
//! K then reads as asked (or not at all), no other key changes its value,
//! and no diagnostic is added. Set-then-unset of a key the file did not
//! have gives back the same values.

mod common;

use wslcfg::bind::{self, Bound};
use wslcfg::diag::DiagId;
use wslcfg::edit::{self, EditOptions, Eol, Op, Request};
use wslcfg::registry::{self, Dialect};
use wslcfg::syntax;

const EDITS: [(&str, &str); 14] = [
    ("wsl2.networkingMode", "mirrored"),
    ("wsl2.memory", "8GB"),
    ("experimental.autoMemoryReclaim", "gradual"),
    ("wsl2.kernel", "C:\\Users\\me\\kernels\\bzImage-6.6"),
    ("wsl2.processors", "4"),
    ("wsl2.swap", "0"),
    ("wsl2.swapFile", "D:\\wsl #2\\swap.vhdx"),
    ("wsl2.kernelCommandLine", "quiet cgroup_no_v1=all # \"x\""),
    ("wsl2.localhostForwarding", "true"),
    ("experimental.sparseVhd", "TRUE"),
    ("experimental.dnsTunneling", "false"),
    ("general.instanceIdleTimeout", "60000"),
    ("experimental.ignoredPorts", "80, 443"),
    ("wsl2.macAddress", "00-15-5d-0a-0b-0c"),
];

fn bound(bytes: &[u8], dialect: Dialect) -> Bound {
    bind::bind(&syntax::parse(bytes.to_vec()), dialect)
}

type Reading = Option<(String, Option<serde_json::Value>)>;

fn reading(b: &Bound, id: registry::KeyId) -> Reading {
    b.config
        .setting(id)
        .map(|s| (s.raw.to_string(), s.value.as_ref().map(|v| v.to_json(b.config.dialect))))
}

fn facts(b: &Bound) -> Vec<String> {
    let mut f: Vec<String> = b
        .diagnostics
        .iter()
        .map(|d| format!("{:?} {:?} {:?}", d.id, d.detail().key, d.detail().value))
        .collect();
    f.sort();
    f
}

/// Diagnostics of `new` that `old` lacks.
fn added(old: &Bound, new: &Bound) -> Vec<String> {
    let mut before = facts(old);
    facts(new)
        .into_iter()
        .filter(|f| match before.iter().position(|b| b == f) {
            Some(i) => {
                before.remove(i);
                false
            }
            None => true,
        })
        .collect()
}

fn run(bytes: &[u8], request: &Request, dialect: Dialect) -> Result<Vec<u8>, Vec<(DiagId, String)>> {
    let options = EditOptions {
        dialect,
        eol: Eol::Auto,
    };
    edit::edit("F", Some(bytes.to_vec()), request, &options)
        .map(|e| e.after.expect("an existing file stays"))
        .map_err(|r| {
            r.diagnostics
                .iter()
                .map(|d| {
                    (
                        d.id,
                        d.detail().facts.get("reason").map_or(String::new(), |r| r.to_string()),
                    )
                })
                .collect()
        })
}

#[test]
fn set_and_unset_on_every_corpus_file() {
    let files = common::corpus_files();
    assert!(files.len() >= 200);
    let mut edits = 0;
    let mut refused = Vec::new();
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(path).unwrap();
        for dialect in [Dialect::Seed, Dialect::Upstream] {
            let old = bound(&bytes, dialect);
            for (key_name, value) in EDITS {
                let set = Request::set(key_name, value, dialect).unwrap();
                let unset = Request::unset(key_name).unwrap();
                let key = set.key;
                let Op::Set(rendered) = &set.op else { unreachable!() };
                let mut check = |what: &str, new_bytes: &[u8], want: Option<&serde_json::Value>| {
                    let new = bound(new_bytes, dialect);
                    let got = new.config.value(key).map(|v| v.to_json(dialect));
                    if !old.config.fatal && got.as_ref() != want {
                        failures.push(format!("{name} {what} {key_name}: reads {got:?}, wanted {want:?}"));
                    }
                    for id in registry::ids().filter(|&id| id != key) {
                        if !old.config.fatal && reading(&old, id) != reading(&new, id) {
                            failures.push(format!("{name} {what} {key_name}: {} changed", id.spec().name()));
                        }
                    }
                    let extra = added(&old, &new);
                    if !old.config.fatal && !extra.is_empty() {
                        failures.push(format!("{name} {what} {key_name}: new diagnostics {extra:?}"));
                    }
                };
                match run(&bytes, &set, dialect) {
                    Ok(after) => {
                        edits += 1;
                        check("set", &after, Some(&rendered.value.to_json(dialect)));
                    }
                    Err(why) => refused.push(format!("{name} set {key_name}: {why:?}")),
                }
                match run(&bytes, &unset, dialect) {
                    Ok(after) => {
                        edits += 1;
                        check("unset", &after, None);
                        if after == bytes {
                            // Absent: set then unset gives back the same values.
                            if let Ok(with) = run(&bytes, &set, dialect) {
                                let back = run(&with, &unset, dialect).expect("unset after set");
                                let (a, b) = (bound(&bytes, dialect), bound(&back, dialect));
                                let same = registry::ids().all(|id| reading(&a, id) == reading(&b, id));
                                if !same || facts(&a) != facts(&b) {
                                    failures.push(format!("{name} set+unset {key_name}: reading changed"));
                                }
                            }
                        }
                    }
                    Err(why) => refused.push(format!("{name} unset {key_name}: {why:?}")),
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Refusals may only be the files writer.md §6.2 does not edit.
    for r in &refused {
        assert!(
            r.contains("lone-cr") || r.contains("dangling-escape") || r.contains("odd-utf16"),
            "unexpected refusal: {r}"
        );
    }
    eprintln!("{edits} edits, {} refusals: {refused:#?}", refused.len());
    assert!(edits > files.len() * EDITS.len() * 3);
}

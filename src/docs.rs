//! Documentation generated from the registry and the diagnostic table:
//! `docs/keys.md`, `docs/diagnostics.md` and the JSON Schemas in `schema/`.
//! Tests fail when the committed copies drift from what this produces.

use crate::diag::{ALL, Severity};
use crate::registry::{self, Availability, KEYS, RETIRED, ValueType};
use std::fmt::Write;

/// `docs/keys.md` (also what `wslcfg keys` prints).
pub fn keys_table() -> String {
    let mut s = String::new();
    s.push_str("# Keys of `.wslconfig`\n\n");
    s.push_str(
        "Generated from the key registry (`src/registry.rs`) by `wslcfg keys`; a test fails when this file drifts.\n",
    );
    s.push_str("Names are compared ignoring ASCII case. Defaults are the values before the passes; where a pass\n");
    s.push_str("computes the real value, the default says so.\n");
    for section in registry::sections() {
        let _ = write!(
            s,
            "\n## `[{section}]`\n\n| Key | Type | Default | Meaning |\n|---|---|---|---|\n"
        );
        for k in KEYS
            .iter()
            .filter(|k| k.names.iter().any(|n| n.split('.').next() == Some(section)))
        {
            let name = k
                .names
                .iter()
                .find(|n| n.split('.').next() == Some(section))
                .expect("filtered");
            let mut ty = k.ty.name().to_owned();
            if let ValueType::Enum(t) = k.ty {
                ty = format!(
                    "enum: {}",
                    t.names.iter().map(|n| n.name).collect::<Vec<_>>().join(", ")
                );
            }
            if k.unit == registry::Unit::Milliseconds {
                ty.push_str(" (ms)");
            }
            let mut meaning = k.doc.to_owned();
            if *name != k.name() {
                let _ = write!(meaning, " Alias of `{}`.", k.name());
            } else if k.names.len() > 1 {
                let _ = write!(meaning, " Also accepted as `{}`.", k.names[1..].join("`, `"));
            }
            if k.availability == Availability::UpstreamAddition {
                meaning.push_str(" Added upstream after the seed.");
            }
            if k.presence {
                meaning.push_str(" Passes ask whether it was given.");
            }
            let id = registry::lookup(k.name()).expect("a table key");
            let passes: Vec<String> = crate::passes::passes_touching(id)
                .map(|p| format!("{} {}", p.id, p.name))
                .collect();
            if !passes.is_empty() {
                let _ = write!(meaning, " Changed by: {}.", passes.join(", "));
            }
            let _ = writeln!(
                s,
                "| `{name}` | {ty} | {} | {} |",
                k.default.describe().replace('|', "\\|"),
                meaning.replace('|', "\\|")
            );
        }
    }
    s.push_str("\n## Keys that WSL no longer knows\n\n");
    for r in RETIRED {
        let _ = writeln!(s, "- `{}`: {}", r.name, r.note);
    }
    s
}

/// `docs/diagnostics.md`.
pub fn diagnostics_md() -> String {
    let mut s = String::new();
    s.push_str("# Diagnostics\n\n");
    s.push_str("Generated from the diagnostic table (`src/diag/id.rs`); a test fails when this file drifts.\n\n");
    s.push_str(
        "Every finding has a stable id. Ids of the FIL, SYN, KEY, VAL, PAS, VMC and RUN families are the ones\n",
    );
    s.push_str("WSL itself reports (`\"upstream\": true` in JSON output); `LNT` ids are wslcfg's own checks\n");
    s.push_str(
        "(`\"upstream\": false`). `lint` exits with 1 when a finding of severity warning or error is reported\n",
    );
    s.push_str("(unless accepted with `--allow ID`); advice never fails a run.\n\n");
    s.push_str("| Id | Name | Severity | Reported by WSL |\n|---|---|---|---|\n");
    for i in ALL {
        let _ = writeln!(
            s,
            "| [{id}](#{lower}) | {} | {} | {} |",
            i.name,
            i.severity.as_str(),
            if i.upstream { "yes" } else { "no (wslcfg)" },
            id = i.id,
            lower = i.id.as_str().to_ascii_lowercase()
        );
    }
    for i in ALL {
        let sev = match i.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Advice => "advice",
        };
        let _ = write!(
            s,
            "\n## {}\n\n`{}` · {sev} · {}\n\n{}\n",
            i.id,
            i.name,
            if i.upstream { "reported by WSL" } else { "wslcfg only" },
            i.explanation
        );
    }
    s
}

/// The hand-written schema of the HCS ComputeSystem document (`schema/hcs.schema.json`).
const HCS_SCHEMA: &str = include_str!("../schema/hcs.schema.json");

/// A JSON Schema by name (`wslcfg schema NAME`), without a trailing newline.
pub fn schema(which: &str) -> String {
    let schema = match which {
        "hcs" => return HCS_SCHEMA.trim_end().to_owned(),
        "lint" => schemars::schema_for!(crate::diag::json::LintOutput),
        "plan" => schemars::schema_for!(crate::plan::Plan),
        "host" => schemars::schema_for!(crate::host::HostProfile),
        other => panic!("no schema named {other}"),
    };
    serde_json::to_string_pretty(&schema).expect("schemas serialize")
}

//! The provenance of an effective value, as `wslcfg explain` prints it and
//! hovers show it: one implementation for both.

use crate::lint::FileReport;
use crate::passes::{Effective, Origin, Step};
use crate::registry::{self, KeyId};
use std::fmt::Write as _;

/// Why one step of a value's history happened: `default: RULE`,
/// `FILE:LINE: set as `KEY`` (`line LINE: …` without a file name) or
/// `PASS: REASON`.
pub fn origin_text(origin: &Origin, file: Option<&str>) -> String {
    match origin {
        Origin::Default { rule } => format!("default: {rule}"),
        Origin::File { line, key } => match file {
            Some(path) => format!("{path}:{line}: set as `{key}`"),
            None => format!("line {line}: set as `{key}`"),
        },
        Origin::Pass { pass, reason } => format!("{pass}: {reason}"),
    }
}

/// One line of a provenance chain: `→ VALUE  (WHY)`, the value in the
/// machine-readable form of passes.md §6.2.
pub fn step_line(step: &Step, file: Option<&str>) -> String {
    format!("→ {}  ({})", step.value, origin_text(&step.origin, file))
}

/// The whole provenance chain of a key, oldest step first.
pub fn chain(eff: &Effective, key: KeyId, file: Option<&str>) -> Vec<String> {
    eff.history(key).iter().map(|s| step_line(s, file)).collect()
}

/// The report of `wslcfg explain KEY FILE`: the effective value, the key's
/// type, doc and aliases, the provenance chain and the key's diagnostics.
/// `None` when the configuration does not load (an invalid MAC address).
pub fn explain_text(report: &FileReport, key: KeyId, file: &str) -> Option<String> {
    let eff = report.effective.as_ref()?;
    let spec = key.spec();
    let value = eff.get(key).map_or(serde_json::Value::Null, |v| v.to_json(eff.dialect));
    let aliases = if spec.names.len() > 1 {
        format!("also `{}`", spec.names[1..].join("`, `"))
    } else {
        "no alias".to_owned()
    };
    let mut out = String::new();
    let _ = writeln!(out, "{} = {}", spec.name(), value);
    let _ = writeln!(out, "  {} ({}): {}", spec.ty.name(), spec.doc, aliases);
    for line in chain(eff, key, Some(file)) {
        let _ = writeln!(out, "  {line}");
    }
    for d in report
        .diagnostics
        .iter()
        .filter(|d| d.detail().key.as_deref().and_then(registry::lookup) == Some(key))
    {
        let _ = writeln!(out, "  {} {}: {}", d.id, d.severity.as_str(), d.message());
    }
    Some(out)
}

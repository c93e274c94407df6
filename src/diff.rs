//! `wslcfg diff`: what differs between two effective configurations — two
//! files against one host, or one file against two hosts — with, for each
//! side, where its value came from; and optionally what differs in the
//! emitted artifacts (the kernel command line token by token, the HCS JSON
//! document by path, the device strings).
//!
//! Architecture invariant: this module compares; it never decides a value.
//! Both sides go through [`compile`](crate::compile::compile) exactly as
//! `wslcfg compile` runs it.

use crate::compile::{Target, compile};
use crate::edit::udiff::{self, Step as Edit};
use crate::lint::LintOptions;
use crate::passes::{Effective, Origin, Step};
use crate::plan::{DeviceRecord, Plan};
use crate::registry::{self, DefaultRule};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write;

/// One side of the comparison.
pub struct Input {
    /// What the output calls this side (the file, or the host profile).
    pub label: String,
    /// The configuration's path as given (for file provenance).
    pub path: String,
    /// The file's bytes; `None` compiles the defaults.
    pub bytes: Option<Vec<u8>>,
    pub options: LintOptions,
    /// The host profile's path, when one was given (for the output).
    pub host: Option<String>,
}

/// Where a side's value came from: the last step of its history.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Provenance {
    /// A line of the file.
    File { line: u32, key: String },
    /// The key's default, the same on every host.
    Default { rule: String },
    /// The key's default, which depends on a host fact (architecture,
    /// Windows build, official build).
    HostDefault { rule: String },
    /// A pass changed it (often because of a host fact or a policy).
    Pass { pass: String, reason: String },
}

/// One side's value of a key.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SideValue {
    /// The effective value (passes.md §6.2 form; null = unset).
    pub value: Value,
    pub provenance: Provenance,
    /// Every step, oldest first (as in the plan's provenance).
    pub history: Vec<Step>,
}

/// A key whose effective value differs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeyChange {
    pub key: &'static str,
    pub left: SideValue,
    pub right: SideValue,
}

/// A kernel command-line token only one side has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TokenChange {
    /// `removed` (left only) or `added` (right only).
    pub change: &'static str,
    pub token: String,
    /// The token's 0-based position on its side's command line.
    pub position: usize,
}

/// An HCS JSON leaf (or empty container) that differs; `null` on a side
/// where the path does not exist.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PathChange {
    /// A JSON pointer (RFC 6901).
    pub path: String,
    pub left: Option<Value>,
    pub right: Option<Value>,
}

/// A virtio device whose record differs, or that only one side adds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeviceChange {
    /// `removed`, `added` or `changed`.
    pub change: &'static str,
    pub kind: String,
    pub path: String,
    /// The device string (`nameWithOptions`) on each side.
    pub left: Option<String>,
    pub right: Option<String>,
    /// For `changed`: the fields that differ (`nameWithOptions`, `flags`, …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<&'static str>,
}

/// The artifacts of the two sides compared.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Artifacts {
    /// Whether each side compiled (a VM-build error leaves no artifacts).
    pub left_compiled: bool,
    pub right_compiled: bool,
    pub cmdline: Vec<TokenChange>,
    pub hcs: Vec<PathChange>,
    pub devices: Vec<DeviceChange>,
}

impl Artifacts {
    pub fn is_empty(&self) -> bool {
        self.left_compiled == self.right_compiled
            && self.cmdline.is_empty()
            && self.hcs.is_empty()
            && self.devices.is_empty()
    }
}

/// A side as the output describes it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SideInfo {
    pub label: String,
    pub file: String,
    pub host: Option<String>,
    pub dialect: &'static str,
    /// The ids of the errors that kept this side from compiling.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

/// The whole comparison (`diff --format json`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    pub left: SideInfo,
    pub right: SideInfo,
    pub equal: bool,
    pub keys: Vec<KeyChange>,
    /// Present with `--emit`.
    pub artifacts: Option<Artifacts>,
}

/// Why a side could not be compared at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffError(pub String);

impl std::fmt::Display for DiffError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DiffError {}

struct Compiled {
    info: SideInfo,
    effective: Effective,
    plan: Option<Plan>,
}

fn build(input: Input) -> Result<Compiled, DiffError> {
    let c = compile(&input.path, input.bytes, &input.options, Target::Wsl2);
    let Some(effective) = c.report.effective.clone() else {
        return Err(DiffError(format!(
            "`{}` does not load: an invalid MAC address stops WSL (VAL005); run `wslcfg lint`",
            input.label
        )));
    };
    let errors = c
        .report
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .map(|d| d.id.to_string())
        .collect();
    Ok(Compiled {
        info: SideInfo {
            label: input.label,
            file: input.path,
            host: input.host,
            dialect: input.options.dialect.as_str(),
            errors,
        },
        effective,
        plan: c.plan,
    })
}

/// Compiles both sides and compares them; `emit` adds the artifacts.
pub fn compare(left: Input, right: Input, emit: bool) -> Result<Comparison, DiffError> {
    let (l, r) = (build(left)?, build(right)?);
    let keys = compare_effective(&l.effective, &r.effective);
    let artifacts = emit.then(|| compare_artifacts(l.plan.as_ref(), r.plan.as_ref()));
    let equal = keys.is_empty() && artifacts.as_ref().is_none_or(Artifacts::is_empty);
    Ok(Comparison {
        left: l.info,
        right: r.info,
        equal,
        keys,
        artifacts,
    })
}

fn side_value(eff: &Effective, key: registry::KeyId) -> SideValue {
    let history = eff.history(key).to_vec();
    let value = eff.get(key).map_or(Value::Null, |v| v.to_json(eff.dialect));
    let host_dependent = matches!(
        key.spec().default,
        DefaultRule::X64AndWin11 | DefaultRule::X64OrWin11 | DefaultRule::X64 | DefaultRule::OfficialBuild
    );
    let provenance = match history.last().map(|s| &s.origin) {
        Some(Origin::File { line, key }) => Provenance::File {
            line: *line,
            key: key.clone(),
        },
        Some(Origin::Pass { pass, reason }) => Provenance::Pass {
            pass: pass.clone(),
            reason: reason.clone(),
        },
        Some(Origin::Default { rule }) if host_dependent => Provenance::HostDefault { rule: rule.to_string() },
        Some(Origin::Default { rule }) => Provenance::Default { rule: rule.to_string() },
        None => Provenance::Default {
            rule: key.spec().default.describe().into_owned(),
        },
    };
    SideValue {
        value,
        provenance,
        history,
    }
}

/// Every key whose effective value differs, in key-table order.
pub fn compare_effective(left: &Effective, right: &Effective) -> Vec<KeyChange> {
    registry::ids()
        .filter_map(|id| {
            let (l, r) = (side_value(left, id), side_value(right, id));
            (l.value != r.value).then(|| KeyChange {
                key: id.spec().name(),
                left: l,
                right: r,
            })
        })
        .collect()
}

fn compare_artifacts(left: Option<&Plan>, right: Option<&Plan>) -> Artifacts {
    let mut out = Artifacts {
        left_compiled: left.is_some(),
        right_compiled: right.is_some(),
        cmdline: Vec::new(),
        hcs: Vec::new(),
        devices: Vec::new(),
    };
    if let (Some(l), Some(r)) = (left, right) {
        out.cmdline = compare_cmdline(&l.kernel_command_line, &r.kernel_command_line);
        out.hcs = compare_json(&l.hcs, &r.hcs);
        out.devices = compare_devices(&l.devices, &r.devices);
    }
    out
}

/// The kernel command lines token by token (tokens are separated by spaces).
pub fn compare_cmdline(left: &str, right: &str) -> Vec<TokenChange> {
    let (a, b): (Vec<&str>, Vec<&str>) = (left.split_whitespace().collect(), right.split_whitespace().collect());
    udiff::diff(&a, &b)
        .into_iter()
        .filter_map(|step| match step {
            Edit::Same(..) => None,
            Edit::Removed(i) => Some(TokenChange {
                change: "removed",
                token: a[i].to_owned(),
                position: i,
            }),
            Edit::Added(j) => Some(TokenChange {
                change: "added",
                token: b[j].to_owned(),
                position: j,
            }),
        })
        .collect()
}

/// Every leaf of a JSON document by its JSON pointer; empty objects and
/// arrays are leaves too.
fn leaves(value: &Value, path: &mut String, out: &mut BTreeMap<String, Value>) {
    let mut descend = |segment: &str, v: &Value, path: &mut String| {
        let len = path.len();
        path.push('/');
        path.push_str(&segment.replace('~', "~0").replace('/', "~1"));
        leaves(v, path, out);
        path.truncate(len);
    };
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                descend(k, v, path);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, v) in items.iter().enumerate() {
                descend(&i.to_string(), v, path);
            }
        }
        leaf => {
            out.insert(path.clone(), leaf.clone());
        }
    }
}

/// Two JSON documents by path: every leaf that differs or exists on one side only.
pub fn compare_json(left: &Value, right: &Value) -> Vec<PathChange> {
    let (mut l, mut r) = (BTreeMap::new(), BTreeMap::new());
    leaves(left, &mut String::new(), &mut l);
    leaves(right, &mut String::new(), &mut r);
    let mut paths: Vec<&String> = l.keys().chain(r.keys()).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter(|p| l.get(*p) != r.get(*p))
        .map(|p| PathChange {
            path: p.clone(),
            left: l.get(p).cloned(),
            right: r.get(p).cloned(),
        })
        .collect()
}

fn kind_name(d: &DeviceRecord) -> String {
    serde_json::to_value(d.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The device lists: devices are matched by kind and path, in order; a
/// matched pair that differs is `changed`.
pub fn compare_devices(left: &[DeviceRecord], right: &[DeviceRecord]) -> Vec<DeviceChange> {
    let ident = |d: &DeviceRecord| (kind_name(d), d.path.clone());
    let (a, b): (Vec<_>, Vec<_>) = (left.iter().map(ident).collect(), right.iter().map(ident).collect());
    let mut out = Vec::new();
    for step in udiff::diff(&a, &b) {
        match step {
            Edit::Same(i, j) => {
                let (l, r) = (&left[i], &right[j]);
                let fields: Vec<&'static str> = [
                    ("nameWithOptions", l.name_with_options != r.name_with_options),
                    ("deviceId", l.device_id != r.device_id),
                    ("classId", l.class_id != r.class_id),
                    ("flags", l.flags != r.flags),
                    ("requires", l.requires != r.requires),
                ]
                .into_iter()
                .filter_map(|(name, differs)| differs.then_some(name))
                .collect();
                if !fields.is_empty() {
                    out.push(DeviceChange {
                        change: "changed",
                        kind: a[i].0.clone(),
                        path: l.path.clone(),
                        left: Some(l.name_with_options.clone()),
                        right: Some(r.name_with_options.clone()),
                        fields,
                    });
                }
            }
            Edit::Removed(i) => out.push(DeviceChange {
                change: "removed",
                kind: a[i].0.clone(),
                path: left[i].path.clone(),
                left: Some(left[i].name_with_options.clone()),
                right: None,
                fields: Vec::new(),
            }),
            Edit::Added(j) => out.push(DeviceChange {
                change: "added",
                kind: b[j].0.clone(),
                path: right[j].path.clone(),
                left: None,
                right: Some(right[j].name_with_options.clone()),
                fields: Vec::new(),
            }),
        }
    }
    out
}

impl Comparison {
    /// `diff --format json`: pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("comparisons serialize");
        s.push('\n');
        s
    }

    /// The human output: one line per key, then the artifacts. Empty when
    /// the two sides are equal.
    pub fn to_human(&self) -> String {
        if self.equal {
            return String::new();
        }
        let mut out = String::new();
        let _ = writeln!(out, "--- {}", self.left.label);
        let _ = writeln!(out, "+++ {}", self.right.label);
        for k in &self.keys {
            let _ = writeln!(
                out,
                "{}: {} ({}) -> {} ({})",
                k.key,
                k.left.value,
                describe(&k.left.provenance, &self.left.file),
                k.right.value,
                describe(&k.right.provenance, &self.right.file),
            );
        }
        if let Some(a) = &self.artifacts {
            for (compiled, side) in [(a.left_compiled, &self.left), (a.right_compiled, &self.right)] {
                if !compiled {
                    let _ = writeln!(
                        out,
                        "{} does not compile ({}): no artifacts",
                        side.label,
                        side.errors.join(", ")
                    );
                }
            }
            if !a.cmdline.is_empty() {
                out.push_str("kernel command line:\n");
                for t in &a.cmdline {
                    let mark = if t.change == "removed" { '-' } else { '+' };
                    let _ = writeln!(out, "  {mark} {}", t.token);
                }
            }
            if !a.hcs.is_empty() {
                out.push_str("HCS JSON:\n");
                let show = |v: &Option<Value>| v.as_ref().map_or("(absent)".to_owned(), Value::to_string);
                for p in &a.hcs {
                    let _ = writeln!(out, "  {}: {} -> {}", p.path, show(&p.left), show(&p.right));
                }
            }
            if !a.devices.is_empty() {
                out.push_str("devices:\n");
                for d in &a.devices {
                    let _ = match d.change {
                        "removed" => writeln!(out, "  - {} {}", d.kind, d.left.as_deref().unwrap_or_default()),
                        "added" => writeln!(out, "  + {} {}", d.kind, d.right.as_deref().unwrap_or_default()),
                        _ => writeln!(
                            out,
                            "  ~ {} {} -> {} ({})",
                            d.kind,
                            d.left.as_deref().unwrap_or_default(),
                            d.right.as_deref().unwrap_or_default(),
                            d.fields.join(", ")
                        ),
                    };
                }
            }
        }
        out
    }
}

/// A provenance in a few words.
pub fn describe(p: &Provenance, file: &str) -> String {
    match p {
        Provenance::File { line, key } => format!("{file}:{line} `{key}`"),
        Provenance::Default { rule } => format!("default: {rule}"),
        Provenance::HostDefault { rule } => format!("host default: {rule}"),
        Provenance::Pass { pass, reason } => format!("{pass}: {reason}"),
    }
}

//! The frozen plan: the one document the launcher consumes. It knows nothing
//! of the parser or the passes; everything the launcher needs is in here, and
//! `digest` seals it (RFC 8785 canonical form, SHA-256).

pub mod canonical;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The version of the plan format this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// What a record adds (§D).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DeviceKind {
    Virtiofs,
    VirtiofsShm,
    Pmem,
    VirtioNet,
}

/// One device the launcher adds through the device host, in list order (§D).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DeviceRecord {
    pub kind: DeviceKind,
    /// Uppercase hex GUID without braces.
    pub device_id: String,
    /// Uppercase hex GUID without braces.
    pub class_id: String,
    /// `AccessName[;Options];<vm id key>=<machine id>` (§C.1).
    pub name_with_options: String,
    pub path: String,
    pub flags: u32,
    /// Runtime facts the option string depends on (`guest.swiotlb`: the
    /// swiotlb token must be finalised after boot, R1). Empty when none.
    pub requires: Vec<String>,
}

/// A diagnostic as the plan records it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanDiagnostic {
    pub id: String,
    pub severity: String,
    pub message: String,
    pub line: Option<u32>,
    pub key: Option<String>,
    pub value: Option<String>,
    #[serde(default)]
    pub facts: Map<String, Value>,
}

impl DeviceKind {
    /// The serialized name.
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceKind::Virtiofs => "virtiofs",
            DeviceKind::VirtiofsShm => "virtiofs-shm",
            DeviceKind::Pmem => "pmem",
            DeviceKind::VirtioNet => "virtio-net",
        }
    }
}

impl DeviceRecord {
    /// The canonical form (members in UTF-16 order) of the serialized record.
    fn write_canonical(&self, out: &mut String) {
        out.push_str("{\"classId\":");
        canonical::write_string(out, &self.class_id);
        out.push_str(",\"deviceId\":");
        canonical::write_string(out, &self.device_id);
        out.push_str(",\"flags\":");
        canonical::write_u64(out, u64::from(self.flags));
        out.push_str(",\"kind\":");
        canonical::write_string(out, self.kind.as_str());
        out.push_str(",\"nameWithOptions\":");
        canonical::write_string(out, &self.name_with_options);
        out.push_str(",\"path\":");
        canonical::write_string(out, &self.path);
        out.push_str(",\"requires\":[");
        for (i, r) in self.requires.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            canonical::write_string(out, r);
        }
        out.push_str("]}");
    }
}

impl PlanDiagnostic {
    /// The canonical form (members in UTF-16 order) of the serialized record.
    fn write_canonical(&self, out: &mut String) {
        fn opt_string(out: &mut String, s: &Option<String>) {
            match s {
                Some(s) => canonical::write_string(out, s),
                None => out.push_str("null"),
            }
        }
        out.push_str("{\"facts\":");
        canonical::write_map(out, &self.facts);
        out.push_str(",\"id\":");
        canonical::write_string(out, &self.id);
        out.push_str(",\"key\":");
        opt_string(out, &self.key);
        out.push_str(",\"line\":");
        match self.line {
            Some(l) => canonical::write_u64(out, u64::from(l)),
            None => out.push_str("null"),
        }
        out.push_str(",\"message\":");
        canonical::write_string(out, &self.message);
        out.push_str(",\"severity\":");
        canonical::write_string(out, &self.severity);
        out.push_str(",\"value\":");
        opt_string(out, &self.value);
        out.push('}');
    }
}

/// One step of a value's history (see `passes::Step`), as plain data: an
/// object with `kind` (`default`, `file` or `pass`), the origin's fields and
/// `value`. The three shapes the compiler writes are held typed (cheap to
/// build and to canonicalise); anything else read from a plan file is kept
/// as it was written. Either way it serializes as the same JSON object a
/// `serde_json::Value` holding it would.
#[derive(Clone, Debug, PartialEq)]
pub enum HistoryStep {
    Default {
        rule: String,
        value: Value,
    },
    File {
        line: u32,
        key: String,
        value: Value,
    },
    Pass {
        pass: String,
        reason: String,
        value: Value,
    },
    /// Any other JSON value found in a plan file.
    Other(Value),
}

impl HistoryStep {
    /// The step as a JSON value, members inserted as the compiler's `Step`
    /// serializes them (`kind`, the origin's fields, `value`).
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        let value = match self {
            HistoryStep::Default { rule, value } => {
                m.insert("kind".into(), Value::from("default"));
                m.insert("rule".into(), Value::from(rule.as_str()));
                value
            }
            HistoryStep::File { line, key, value } => {
                m.insert("kind".into(), Value::from("file"));
                m.insert("line".into(), Value::from(*line));
                m.insert("key".into(), Value::from(key.as_str()));
                value
            }
            HistoryStep::Pass { pass, reason, value } => {
                m.insert("kind".into(), Value::from("pass"));
                m.insert("pass".into(), Value::from(pass.as_str()));
                m.insert("reason".into(), Value::from(reason.as_str()));
                value
            }
            HistoryStep::Other(v) => return v.clone(),
        };
        m.insert("value".into(), value.clone());
        Value::Object(m)
    }

    /// The typed form of a JSON value when it has exactly one of the three
    /// shapes (no other member), else `Other`.
    pub fn from_value(v: Value) -> HistoryStep {
        fn typed(m: &Map<String, Value>) -> Option<HistoryStep> {
            let text = |name: &str| m.get(name).and_then(Value::as_str).map(str::to_owned);
            let value = m.get("value")?.clone();
            let (step, members) = match m.get("kind")?.as_str()? {
                "default" => (
                    HistoryStep::Default {
                        rule: text("rule")?,
                        value,
                    },
                    3,
                ),
                "file" => {
                    let line = u32::try_from(m.get("line")?.as_u64()?).ok()?;
                    (
                        HistoryStep::File {
                            line,
                            key: text("key")?,
                            value,
                        },
                        4,
                    )
                }
                "pass" => (
                    HistoryStep::Pass {
                        pass: text("pass")?,
                        reason: text("reason")?,
                        value,
                    },
                    4,
                ),
                _ => return None,
            };
            (m.len() == members).then_some(step)
        }
        match &v {
            Value::Object(m) => typed(m).unwrap_or(HistoryStep::Other(v)),
            _ => HistoryStep::Other(v),
        }
    }

    /// The canonical form (members in UTF-16 order).
    fn write_canonical(&self, out: &mut String) {
        match self {
            HistoryStep::Default { rule, value } => {
                out.push_str("{\"kind\":\"default\",\"rule\":");
                canonical::write_string(out, rule);
                out.push_str(",\"value\":");
                canonical::write_value(out, value);
            }
            HistoryStep::File { line, key, value } => {
                out.push_str("{\"key\":");
                canonical::write_string(out, key);
                out.push_str(",\"kind\":\"file\",\"line\":");
                canonical::write_u64(out, u64::from(*line));
                out.push_str(",\"value\":");
                canonical::write_value(out, value);
            }
            HistoryStep::Pass { pass, reason, value } => {
                out.push_str("{\"kind\":\"pass\",\"pass\":");
                canonical::write_string(out, pass);
                out.push_str(",\"reason\":");
                canonical::write_string(out, reason);
                out.push_str(",\"value\":");
                canonical::write_value(out, value);
            }
            HistoryStep::Other(v) => return canonical::write_value(out, v),
        }
        out.push('}');
    }
}

/// Whether serde_json's maps iterate sorted by name (its default) rather than
/// in insertion order (its `preserve_order` feature, which some
/// dev-dependencies switch on in test builds).
fn maps_sort() -> bool {
    static SORTS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *SORTS.get_or_init(|| {
        let mut m = Map::new();
        m.insert("b".into(), Value::Null);
        m.insert("a".into(), Value::Null);
        m.keys().next().is_some_and(|k| k == "a")
    })
}

impl Serialize for HistoryStep {
    /// Members in the order a `Value` holding the step would give them
    /// (sorted, or as [`HistoryStep::to_value`] inserts them), without
    /// building the `Value`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let sorted = maps_sort();
        let mut map = match self {
            HistoryStep::Other(v) => return v.serialize(serializer),
            HistoryStep::Default { .. } => serializer.serialize_map(Some(3))?,
            _ => serializer.serialize_map(Some(4))?,
        };
        match self {
            HistoryStep::Default { rule, value } => {
                map.serialize_entry("kind", "default")?;
                map.serialize_entry("rule", rule)?;
                map.serialize_entry("value", value)?;
            }
            HistoryStep::File { line, key, value } => {
                if sorted {
                    map.serialize_entry("key", key)?;
                    map.serialize_entry("kind", "file")?;
                    map.serialize_entry("line", line)?;
                } else {
                    map.serialize_entry("kind", "file")?;
                    map.serialize_entry("line", line)?;
                    map.serialize_entry("key", key)?;
                }
                map.serialize_entry("value", value)?;
            }
            HistoryStep::Pass { pass, reason, value } => {
                map.serialize_entry("kind", "pass")?;
                map.serialize_entry("pass", pass)?;
                map.serialize_entry("reason", reason)?;
                map.serialize_entry("value", value)?;
            }
            HistoryStep::Other(_) => unreachable!("returned above"),
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for HistoryStep {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(HistoryStep::from_value)
    }
}

/// A key's history, oldest step first.
pub type History = Vec<HistoryStep>;

/// Everything a launcher needs to start the VM, and why it looks like this.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Plan {
    pub format_version: u32,
    /// `seed` or `upstream`.
    pub dialect: String,
    /// `wsl2` or `wslc`.
    pub target: String,
    /// The HCS ComputeSystem document.
    pub hcs: Value,
    /// The guest kernel command line (also inside `hcs`).
    pub kernel_command_line: String,
    /// Virtio devices, in the order the launcher adds them.
    pub devices: Vec<DeviceRecord>,
    /// Every key's effective value (passes.md §6.2), by canonical name.
    pub effective: Map<String, Value>,
    /// The history of every key whose value is not simply its default: the
    /// default, the file line that set it, the passes that changed it.
    /// A key that is not listed has its default (docs/keys.md).
    #[schemars(with = "BTreeMap<String, Vec<Value>>")]
    pub provenance: BTreeMap<String, History>,
    pub diagnostics: Vec<PlanDiagnostic>,
    /// `sha256:` of the RFC 8785 canonical form of every other field.
    pub digest: String,
}

/// Why a plan was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum PlanError {
    Json(String),
    Version(u32),
    Digest { stated: String, computed: String },
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlanError::Json(e) => write!(f, "not a valid plan: {e}"),
            PlanError::Version(v) => write!(
                f,
                "plan format version {v} is not supported (this build reads {FORMAT_VERSION})"
            ),
            PlanError::Digest { stated, computed } => write!(
                f,
                "the plan's digest does not match its content (stated {stated}, computed {computed}): it was edited or corrupted"
            ),
        }
    }
}

impl std::error::Error for PlanError {}

impl Plan {
    /// Computes and stores the digest.
    pub fn seal(mut self) -> Plan {
        self.digest = canonical::digest_text(&self.unsealed_canonical());
        self
    }

    /// The RFC 8785 form of every field but `digest`. Written member by
    /// member (names in UTF-16 order) straight from the fields, without
    /// building or copying a `Value`; a test checks it equals the canonical
    /// form of the serialized plan.
    pub fn unsealed_canonical(&self) -> String {
        let mut out = String::with_capacity(16 * 1024);
        out.push_str("{\"devices\":[");
        for (i, d) in self.devices.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            d.write_canonical(&mut out);
        }
        out.push_str("],\"diagnostics\":[");
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            d.write_canonical(&mut out);
        }
        out.push_str("],\"dialect\":");
        canonical::write_string(&mut out, &self.dialect);
        out.push_str(",\"effective\":");
        canonical::write_map(&mut out, &self.effective);
        out.push_str(",\"formatVersion\":");
        canonical::write_u64(&mut out, u64::from(self.format_version));
        out.push_str(",\"hcs\":");
        canonical::write_value(&mut out, &self.hcs);
        out.push_str(",\"kernelCommandLine\":");
        canonical::write_string(&mut out, &self.kernel_command_line);
        out.push_str(",\"provenance\":{");
        let write_entry = |out: &mut String, i: usize, key: &String, steps: &History| {
            if i > 0 {
                out.push(',');
            }
            canonical::write_string(out, key);
            out.push_str(":[");
            for (j, step) in steps.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                step.write_canonical(out);
            }
            out.push(']');
        };
        // A `BTreeMap` iterates by bytes, which is UTF-16 order for ASCII names.
        if self.provenance.keys().all(|k| k.is_ascii()) {
            for (i, (key, steps)) in self.provenance.iter().enumerate() {
                write_entry(&mut out, i, key, steps);
            }
        } else {
            let mut keys: Vec<&String> = self.provenance.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            for (i, key) in keys.into_iter().enumerate() {
                write_entry(&mut out, i, key, &self.provenance[key]);
            }
        }
        out.push_str("},\"target\":");
        canonical::write_string(&mut out, &self.target);
        out.push('}');
        out
    }

    /// The plan file: pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("plans serialize");
        s.push('\n');
        s
    }

    /// Reads a plan and checks its version, shape (unknown fields refused)
    /// and digest.
    pub fn verify(text: &str) -> Result<Plan, PlanError> {
        let value: Value = serde_json::from_str(text).map_err(|e| PlanError::Json(e.to_string()))?;
        if let Some(v) = value.get("formatVersion").and_then(Value::as_u64)
            && v != FORMAT_VERSION as u64
        {
            return Err(PlanError::Version(v as u32));
        }
        let plan: Plan = serde_json::from_value(value).map_err(|e| PlanError::Json(e.to_string()))?;
        let computed = canonical::digest_text(&plan.unsealed_canonical());
        if computed != plan.digest {
            return Err(PlanError::Digest {
                stated: plan.digest.clone(),
                computed,
            });
        }
        Ok(plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Plan {
        let mut provenance = BTreeMap::new();
        provenance.insert(
            "wsl2.memory".to_owned(),
            [
                json!({"kind": "default", "value": 0}),
                json!({"kind": "pass", "pass": "P3", "reason": "half", "value": 5}),
                json!({"kind": "default", "rule": "r\"", "value": {"b": 1, "a": [null]}}),
                json!({"kind": "file", "line": 7, "key": "wsl2.Memory", "value": "x"}),
                json!({"kind": "file", "line": 7, "key": "k", "value": 1, "extra": true}),
                json!([1]),
            ]
            .into_iter()
            .map(HistoryStep::from_value)
            .collect(),
        );
        provenance.insert("\u{e9}x".to_owned(), vec![]);
        provenance.insert("\u{ff61}".to_owned(), vec![]);
        provenance.insert("\u{1f600}".to_owned(), vec![]);
        let mut effective = Map::new();
        effective.insert("b".into(), json!(1));
        effective.insert("a".into(), json!({"z": [1, "\u{1}"], "y": null}));
        Plan {
            format_version: FORMAT_VERSION,
            dialect: "seed".into(),
            target: "wsl2".into(),
            hcs: json!({"Owner": "WSL", "A": {"2": 1, "10": 2}}),
            kernel_command_line: "initrd=\\initrd.img \"q\"".into(),
            devices: vec![DeviceRecord {
                kind: DeviceKind::VirtioNet,
                device_id: "D".into(),
                class_id: "C".into(),
                name_with_options: "eth0;vmId=X".into(),
                path: String::new(),
                flags: 0,
                requires: vec!["guest.swiotlb".into()],
            }],
            effective,
            provenance,
            diagnostics: vec![PlanDiagnostic {
                id: "PAS001".into(),
                severity: "warning".into(),
                message: "m".into(),
                line: None,
                key: Some("wsl2.processors".into()),
                value: Some("64".into()),
                facts: Map::new(),
            }],
            digest: String::new(),
        }
    }

    /// Records with every optional member set, escapes, numbers and
    /// non-ASCII names, to check the typed writers against the generic form.
    fn full_sample() -> Plan {
        let mut plan = sample();
        let mut facts = Map::new();
        facts.insert("zeta".into(), json!(-3));
        facts.insert("\u{e9}".into(), json!("x"));
        facts.insert(
            "alpha".into(),
            json!({"n": [18446744073709551615u64, 1.5, null, false]}),
        );
        plan.diagnostics.push(PlanDiagnostic {
            id: "CMP002".into(),
            severity: "error".into(),
            message: "tab\there \"quoted\" back\\slash \u{1f} \u{7f} caf\u{e9}".into(),
            line: Some(42),
            key: None,
            value: Some("C:\\x".into()),
            facts,
        });
        for kind in [DeviceKind::Virtiofs, DeviceKind::VirtiofsShm, DeviceKind::Pmem] {
            plan.devices.push(DeviceRecord {
                kind,
                device_id: "A".into(),
                class_id: "B".into(),
                name_with_options: "drvfs;uid=1".into(),
                path: "C:\\".into(),
                flags: u32::MAX,
                requires: vec![],
            });
        }
        plan
    }

    #[test]
    fn history_steps_read_back_as_written() {
        for steps in sample().provenance.values() {
            for step in steps {
                let v = step.to_value();
                assert_eq!(&HistoryStep::from_value(v.clone()), step);
                assert_eq!(serde_json::to_value(step).unwrap(), v);
                assert_eq!(serde_json::to_string(step).unwrap(), serde_json::to_string(&v).unwrap());
                assert_eq!(
                    serde_json::to_string_pretty(step).unwrap(),
                    serde_json::to_string_pretty(&v).unwrap()
                );
            }
        }
        let steps = &sample().provenance["wsl2.memory"];
        assert!(
            matches!(steps[0], HistoryStep::Other(_)),
            "a default without rule is kept as written"
        );
        assert!(matches!(steps[1], HistoryStep::Pass { .. }));
        assert!(matches!(steps[2], HistoryStep::Default { .. }));
        assert!(matches!(steps[3], HistoryStep::File { line: 7, .. }));
        assert!(
            matches!(steps[4], HistoryStep::Other(_)),
            "an extra member is kept as written"
        );
    }

    #[test]
    fn typed_writers_equal_the_canonical_form() {
        let plan = full_sample().seal();
        let mut v = serde_json::to_value(&plan).unwrap();
        v.as_object_mut().unwrap().remove("digest");
        assert_eq!(plan.unsealed_canonical(), canonical::canonical(&v));
        for d in &plan.devices {
            assert_eq!(serde_json::to_value(d.kind).unwrap(), json!(d.kind.as_str()));
        }
    }

    #[test]
    fn member_by_member_form_equals_the_canonical_form() {
        let plan = sample().seal();
        let mut v = serde_json::to_value(&plan).unwrap();
        v.as_object_mut().unwrap().remove("digest");
        assert_eq!(plan.unsealed_canonical(), canonical::canonical(&v));
        assert_eq!(plan.digest, canonical::digest(&v));
    }

    #[test]
    fn verify_refuses_tampering_unknown_fields_and_versions() {
        let plan = sample().seal();
        let text = plan.to_json();
        assert_eq!(Plan::verify(&text).unwrap(), plan);
        let tampered = text.replace("eth0;vmId=X", "eth1;vmId=X");
        assert!(matches!(Plan::verify(&tampered), Err(PlanError::Digest { .. })));
        let unknown = text.replacen('{', "{\"extra\": 1,", 1);
        assert!(matches!(Plan::verify(&unknown), Err(PlanError::Json(_))));
        let version = text.replace("\"formatVersion\": 1", "\"formatVersion\": 2");
        assert_eq!(Plan::verify(&version), Err(PlanError::Version(2)));
        assert!(matches!(Plan::verify("{"), Err(PlanError::Json(_))));
    }
}

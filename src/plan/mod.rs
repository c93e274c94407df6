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

/// One step of a value's history (see `passes::Step`), as plain data.
pub type History = Vec<Value>;

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
    /// member (names in UTF-16 order) so that the large `Value` fields are not
    /// copied; a test checks it equals the canonical form of the serialized plan.
    pub fn unsealed_canonical(&self) -> String {
        fn typed(out: &mut String, value: &impl Serialize) {
            canonical::write_value(out, &serde_json::to_value(value).expect("plans serialize"));
        }
        let mut out = String::with_capacity(8192);
        out.push_str("{\"devices\":");
        typed(&mut out, &self.devices);
        out.push_str(",\"diagnostics\":");
        typed(&mut out, &self.diagnostics);
        out.push_str(",\"dialect\":");
        canonical::write_string(&mut out, &self.dialect);
        out.push_str(",\"effective\":");
        canonical::write_map(&mut out, &self.effective);
        out.push_str(",\"formatVersion\":");
        out.push_str(&self.format_version.to_string());
        out.push_str(",\"hcs\":");
        canonical::write_value(&mut out, &self.hcs);
        out.push_str(",\"kernelCommandLine\":");
        canonical::write_string(&mut out, &self.kernel_command_line);
        out.push_str(",\"provenance\":{");
        let mut keys: Vec<&String> = self.provenance.keys().collect();
        keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
        for (i, (key, steps)) in keys.into_iter().map(|k| (k, &self.provenance[k])).enumerate() {
            if i > 0 {
                out.push(',');
            }
            canonical::write_string(&mut out, key);
            out.push_str(":[");
            for (j, step) in steps.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                canonical::write_value(&mut out, step);
            }
            out.push(']');
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
            vec![
                json!({"kind": "default", "value": 0}),
                json!({"kind": "pass", "pass": "P3", "reason": "half", "value": 5}),
            ],
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

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
    /// Every key's history: default, file line, passes.
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
        self.digest = String::new();
        self.digest = canonical::digest(&self.unsealed_value());
        self
    }

    fn unsealed_value(&self) -> Value {
        let mut v = serde_json::to_value(self).expect("plans serialize");
        if let Value::Object(map) = &mut v {
            map.remove("digest");
        }
        v
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
        let computed = canonical::digest(&plan.unsealed_value());
        if computed != plan.digest {
            return Err(PlanError::Digest {
                stated: plan.digest.clone(),
                computed,
            });
        }
        Ok(plan)
    }
}

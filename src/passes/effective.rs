//! The effective configuration (passes.md §6): every key's value after the
//! passes, the extra fields the passes compute, and for every value the chain
//! of reasons that made it what it is (provenance).

use crate::bind::{Swiotlb, Value};
use crate::registry::{self, Dialect, KeyId};
use serde::Serialize;
use std::borrow::Cow;

/// Where one step of a value's history came from.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Origin {
    /// The key's default (keys.md §3), possibly depending on host facts.
    Default { rule: Cow<'static, str> },
    /// A line of the file.
    File { line: u32, key: String },
    /// A pass changed it.
    Pass { pass: String, reason: String },
}

/// One step of a value's history: where it came from and the value after it.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Step {
    #[serde(flatten)]
    pub origin: Origin,
    /// The value after this step, in the machine-readable form of passes.md §6.2.
    pub value: serde_json::Value,
}

/// Every key's value after the passes, plus the computed extras.
#[derive(Clone, Debug, PartialEq)]
pub struct Effective {
    pub dialect: Dialect,
    /// Per key (index = `KeyId`); `None` = unset (MAC, IPv4 address).
    values: Vec<Option<Value>>,
    /// Per key: the history of its value, oldest first.
    history: Vec<Vec<Step>>,
    /// Presence flags (seen and valid in the file; grammar.md §10).
    present: Vec<bool>,
    /// `MaximumProcessorCount` (P2).
    pub max_processors: i32,
    /// `MaximumMemorySizeBytes` (P3).
    pub max_memory: u64,
    /// `EnableDebugShell` (P6; V4 narrows it further).
    pub debug_shell: bool,
    /// `KernelModulesList` (P1.7).
    pub kernel_modules_list: String,
    /// P17.
    pub nat_gateway: String,
    pub nat_network: String,
    pub nat_ip_address: String,
    /// The networking mode used when the file sets none (P7), as its number.
    pub default_networking_mode: u32,
}

impl Effective {
    /// Starts from the parsed values: every key at its file value, or its default.
    pub fn new(dialect: Dialect, values: Vec<Option<Value>>, history: Vec<Vec<Step>>, present: Vec<bool>) -> Self {
        Effective {
            dialect,
            values,
            history,
            present,
            max_processors: 0,
            max_memory: 0,
            debug_shell: true,
            kernel_modules_list: String::new(),
            nat_gateway: String::new(),
            nat_network: String::new(),
            nat_ip_address: String::new(),
            default_networking_mode: 1,
        }
    }

    pub fn get(&self, key: KeyId) -> Option<&Value> {
        self.values[key.0 as usize].as_ref()
    }

    pub fn present(&self, key: KeyId) -> bool {
        self.present[key.0 as usize]
    }

    pub fn history(&self, key: KeyId) -> &[Step] {
        &self.history[key.0 as usize]
    }

    /// Sets a value and records why, when it changes.
    pub fn set(&mut self, key: KeyId, value: Option<Value>, pass: &str, reason: impl Into<String>) {
        if self.values[key.0 as usize] == value {
            return;
        }
        let json = value
            .as_ref()
            .map_or(serde_json::Value::Null, |v| v.to_json(self.dialect));
        self.values[key.0 as usize] = value;
        self.history[key.0 as usize].push(Step {
            origin: Origin::Pass {
                pass: pass.to_owned(),
                reason: reason.into(),
            },
            value: json,
        });
    }

    pub fn bool(&self, key: KeyId) -> bool {
        matches!(self.get(key), Some(Value::Bool(true)))
    }

    pub fn int(&self, key: KeyId) -> i32 {
        match self.get(key) {
            Some(Value::Int(i)) => *i,
            _ => 0,
        }
    }

    pub fn size(&self, key: KeyId) -> u64 {
        match self.get(key) {
            Some(Value::Size(s)) => *s,
            _ => 0,
        }
    }

    pub fn text(&self, key: KeyId) -> &str {
        match self.get(key) {
            Some(Value::Text(t)) => t,
            _ => "",
        }
    }

    /// The number of an enum value (networking mode, memory reclaim).
    pub fn enum_number(&self, key: KeyId) -> u32 {
        match self.get(key) {
            Some(Value::Enum(_, name)) => name.number,
            _ => 0,
        }
    }

    pub fn networking_mode(&self) -> u32 {
        self.enum_number(registry::k::NETWORKING_MODE)
    }

    pub fn swiotlb(&self) -> &Swiotlb {
        match self.get(registry::k::SWIOTLB) {
            Some(Value::Swiotlb(s)) => s,
            _ => &Swiotlb::Unset,
        }
    }

    /// `--emit effective`: canonical name → value (passes.md §6.2).
    pub fn to_json(&self) -> serde_json::Map<String, serde_json::Value> {
        registry::ids()
            .map(|id| {
                let v = self
                    .get(id)
                    .map_or(serde_json::Value::Null, |v| v.to_json(self.dialect));
                (id.spec().name().to_owned(), v)
            })
            .collect()
    }
}

/// Networking mode numbers (keys.md §2.6).
pub mod mode {
    pub const NONE: u32 = 0;
    pub const NAT: u32 = 1;
    pub const BRIDGED: u32 = 2;
    pub const MIRRORED: u32 = 3;
    /// VirtioProxy (seed) / Consomme (upstream).
    pub const VIRTIO_PROXY: u32 = 4;
}

//! The starting point of the passes: every key at its file value or its
//! default for this host, with the first steps of its history.

use super::effective::{Effective, Origin, Step};
use crate::bind::{Config, Swiotlb, Value};
use crate::host::{Arch, HostProfile};
use crate::registry::{self, DefaultRule, KeyId, ValueType, k};

/// The default of a key on this host, before any pass (keys.md §3).
pub fn default_value(key: KeyId, host: &HostProfile) -> Option<Value> {
    let spec = key.spec();
    let x64 = host.arch == Arch::X64;
    Some(match spec.default {
        DefaultRule::Bool(b) => Value::Bool(b),
        DefaultRule::Int(i) => Value::Int(i),
        DefaultRule::Size(s) => Value::Size(s),
        DefaultRule::Enum(name) => enum_value(spec.ty, name),
        DefaultRule::Empty => Value::Text(String::new()),
        DefaultRule::NoPorts => Value::Ports(Default::default()),
        DefaultRule::X64AndWin11 => Value::Bool(x64 && host.is_win11()),
        DefaultRule::X64OrWin11 => Value::Bool(x64 || host.is_win11()),
        DefaultRule::X64 => Value::Bool(x64),
        DefaultRule::OfficialBuild => Value::Bool(host.official_build),
        DefaultRule::Unset | DefaultRule::Computed(_) => placeholder(key)?,
    })
}

/// The value a † placeholder stands for until its pass runs.
fn placeholder(key: KeyId) -> Option<Value> {
    let spec = key.spec();
    Some(match spec.ty {
        // The swap sentinel: "compute from memory" (P4).
        ValueType::MemorySize if key == k::SWAP => Value::Size(u64::MAX),
        ValueType::MemorySize => Value::Size(0),
        ValueType::Int => Value::Int(0),
        ValueType::Bool => Value::Bool(false),
        ValueType::String | ValueType::Path => Value::Text(String::new()),
        ValueType::Enum(table) => Value::Enum(table, table.lookup("Nat").unwrap_or(&table.names[0])),
        ValueType::Swiotlb => Value::Swiotlb(Swiotlb::Unset),
        ValueType::PortList => Value::Ports(Default::default()),
        ValueType::MacAddress | ValueType::Ipv4 => return None,
    })
}

fn enum_value(ty: ValueType, name: &str) -> Value {
    match ty {
        ValueType::Enum(table) => Value::Enum(table, table.lookup(name).expect("defaults name table entries")),
        _ => unreachable!("enum defaults belong to enum keys"),
    }
}

/// Builds the effective configuration as the file leaves it (P0).
pub fn start(config: &Config, host: &HostProfile) -> Effective {
    let mut values = Vec::with_capacity(registry::KEYS.len());
    let mut history = Vec::with_capacity(registry::KEYS.len());
    let mut present = Vec::with_capacity(registry::KEYS.len());
    for id in registry::ids() {
        let default = default_value(id, host);
        // The default, the file's value and usually at most one pass.
        let mut steps = Vec::with_capacity(3);
        steps.push(Step {
            origin: Origin::Default {
                rule: id.spec().default.describe(),
            },
            value: default
                .as_ref()
                .map_or(serde_json::Value::Null, |v| v.to_json(config.dialect)),
        });
        let mut value = default;
        if let Some(s) = config.setting(id)
            && let Some(v) = &s.value
        {
            steps.push(Step {
                origin: Origin::File {
                    line: s.line,
                    key: s.written.to_string(),
                },
                value: v.to_json(config.dialect),
            });
            value = Some(v.clone());
        }
        present.push(config.present(id));
        values.push(value);
        history.push(steps);
    }
    // The two module keys share one presence flag (keys.md §3.3).
    let modules = present[k::LOAD_DEFAULT_KERNEL_MODULES.0 as usize] || present[k::LOAD_KERNEL_MODULES.0 as usize];
    present[k::LOAD_DEFAULT_KERNEL_MODULES.0 as usize] = modules;
    present[k::LOAD_KERNEL_MODULES.0 as usize] = modules;
    let mut eff = Effective::new(config.dialect, values, history, present);
    // An invalid DNS tunneling address switched DNS tunneling off during the scan.
    if config.dns_tunneling_scan == Some(false) {
        let reason = format!(
            "an invalid `{}` switched DNS tunneling off",
            k::DNS_TUNNELING_IP_ADDRESS.spec().name()
        );
        eff.set(k::DNS_TUNNELING, Some(Value::Bool(false)), "P0", reason);
    }
    eff
}

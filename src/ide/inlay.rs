//! Inlay hints: effective values that differ from the file, byte sizes.

use super::Analysis;
use super::explain;
use super::locate::{self, size_long};
use crate::bind::{Swiotlb, Value};
use crate::passes::{Effective, Origin, mode};
use crate::registry::k;

/// A hint shown at byte `offset` of the decoded text (normally the end of a value).
#[derive(Clone, Debug, PartialEq)]
pub struct InlayHint {
    pub offset: u32,
    pub label: String,
    pub tooltip: Option<String>,
}

/// A pass's reason without the id of the notice that also reports it.
fn short_reason(reason: &str) -> &str {
    match reason.rfind(" (") {
        Some(i) if reason.ends_with(')') && reason[i + 2..].starts_with("PAS") => &reason[..i],
        _ => reason,
    }
}

/// Whether the value means "nothing" (no address, no pool, no ports).
fn is_nothing(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Swiotlb(Swiotlb::Unset)) => true,
        Some(Value::Ports(p)) => p.is_empty(),
        _ => false,
    }
}

/// Whether a virtio device takes bounce buffers (the devices of passes.md P13).
fn swiotlb_needed(eff: &Effective) -> bool {
    eff.bool(k::VIRTIOFS) || eff.bool(k::VIRTIO9P) || eff.networking_mode() == mode::VIRTIO_PROXY
}

pub fn inlay_hints(analysis: &Analysis) -> Vec<InlayHint> {
    let report = &analysis.report;
    let (Some(config), Some(eff)) = (&report.config, &report.effective) else {
        return Vec::new();
    };
    let dialect = eff.dialect;
    let mut out = Vec::new();
    for s in config.settings() {
        let offset = s.value_span.end.max(s.key_span.end);
        let now = eff.get(s.key);
        let now_json = now.map_or(serde_json::Value::Null, |v| v.to_json(dialect));
        let tooltip = || Some(explain::chain(eff, s.key, None).join("\n"));
        let Some(written) = &s.value else {
            out.push(InlayHint {
                offset,
                label: format!("→ {}, the invalid value is ignored", locate::value_short(now, dialect)),
                tooltip: tooltip(),
            });
            continue;
        };
        if written.to_json(dialect) != now_json {
            let reason = eff.history(s.key).iter().rev().find_map(|st| match &st.origin {
                Origin::Pass { reason, .. } => Some(short_reason(reason)),
                _ => None,
            });
            let label = match (reason, is_nothing(now)) {
                (Some(r), true) => format!("unused: {r}"),
                (Some(r), false) => format!("→ {}, {r}", locate::value_short(now, dialect)),
                (None, _) => format!("→ {}", locate::value_short(now, dialect)),
            };
            out.push(InlayHint {
                offset,
                label,
                tooltip: tooltip(),
            });
            continue;
        }
        let label = match written {
            Value::Swiotlb(Swiotlb::Range { .. } | Swiotlb::Size(_)) if !swiotlb_needed(eff) => {
                out.push(InlayHint {
                    offset,
                    label: "unused: no virtio device needs it".to_owned(),
                    tooltip: Some(
                        "No virtiofs share and no VirtioProxy networking takes bounce buffers; \
                         the pool is still reserved on the kernel command line."
                            .to_owned(),
                    ),
                });
                continue;
            }
            Value::Size(n) if *n != 0 => size_long(*n),
            Value::Swiotlb(Swiotlb::Size(n)) => size_long(*n),
            Value::Swiotlb(Swiotlb::Range {
                gpa: Some(g),
                size_bytes: Some(z),
                ..
            }) => format!("base {g:#x}, size {}", size_long(*z)),
            _ => continue,
        };
        out.push(InlayHint {
            offset,
            label,
            tooltip: None,
        });
    }
    out.sort_by_key(|h| h.offset);
    out
}

//! Findings that need the effective configuration: file values wslcfg
//! refuses to compile (CMP001, CMP003) and reviewer advice for the given
//! host (LNT009–LNT014). Advice never fails a lint run.

use crate::bind::{Config, Setting, Swiotlb, Value};
use crate::diag::{DiagId, Diagnostic};
use crate::host::HostProfile;
use crate::passes::{Effective, Origin, mode};
use crate::registry::{KeyId, format_size, k};

fn at_setting(d: Diagnostic, s: &Setting) -> Diagnostic {
    d.at(s.line, s.value_span).key(&*s.written).value(&*s.raw)
}

/// Values that would corrupt an output: errors, in file order.
pub fn file_errors(config: &Config, eff: &Effective) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(s) = config.setting(k::KERNEL_COMMAND_LINE)
        && let Some(c) = eff.text(k::KERNEL_COMMAND_LINE).chars().find(|c| c.is_control())
    {
        out.push(at_setting(
            Diagnostic::new(DiagId::CMP001, format!("the kernel command line contains the control character U+{:04X}", c as u32))
                .label("would corrupt the kernel command line")
                .help("a `\\n`, `\\t` or `\\b` in the file becomes a control character; write `\\\\` for a backslash, and keep the command line on one line"),
            s,
        ));
    }
    if let Some(s) = config.setting(k::SWIOTLB)
        && let Some(Value::Swiotlb(Swiotlb::Range { gpa, size_bytes, .. })) = &s.value
    {
        let end = gpa.zip(*size_bytes).and_then(|(g, z)| g.checked_add(z));
        let problem = match (size_bytes, end) {
            (Some(0), _) => Some("its size is 0"),
            (_, None) => Some("base plus size does not fit in 64 bits"),
            _ => None,
        };
        if let Some(problem) = problem {
            out.push(at_setting(
                Diagnostic::new(DiagId::CMP003, format!("invalid swiotlb range: {problem}"))
                    .label("not a usable bounce-buffer pool")
                    .help("write a non-zero size and a base that leaves room for it, e.g. `0x40000000,64M`"),
                s,
            ));
        }
    }
    out
}

/// Passes whose change of a key is already announced by a PAS notice.
fn announced(pass: &str, key: KeyId) -> bool {
    match pass {
        "P2" | "P5" | "P7" | "P8" | "P9" | "P12" => true,
        "P11" => key == k::NETWORKING_MODE,
        _ => false,
    }
}

/// What a careful reviewer would say about the file on this host.
pub fn host_advice(config: &Config, eff: &Effective, host: &HostProfile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for key in [k::KERNEL, k::KERNEL_MODULES, k::SYSTEM_DISTRO, k::SWAP_FILE] {
        let Some(s) = config.setting(key) else { continue };
        let path = eff.text(key);
        if path.is_empty() {
            continue;
        }
        match host.file(path).exists {
            None => out.push(at_setting(
                Diagnostic::new(
                    DiagId::LNT009,
                    format!("assuming `{path}` exists: the host profile does not say whether it does"),
                )
                .help(format!(
                    "add `files.exists({path})=true` or `=false` to the host profile to check it"
                )),
                s,
            )),
            Some(false) if key == k::SWAP_FILE => out.push(at_setting(
                Diagnostic::new(
                    DiagId::LNT012,
                    format!("the swap file `{path}` does not exist on this host"),
                )
                .help("WSL creates the swap VHD when the VM starts; make sure its folder exists, or remove the line"),
                s,
            )),
            Some(_) => {}
        }
    }
    let total = host.memory.total_physical_bytes;
    // Memory above the host total is clamped silently; LNT014 says so instead.
    if let Some(s) = config.setting(k::MEMORY)
        && matches!(s.value, Some(Value::Size(m)) if m <= total)
        && eff.size(k::MEMORY) as u128 * 100 > total as u128 * 85
    {
        out.push(at_setting(
            Diagnostic::new(
                DiagId::LNT010,
                format!(
                    "the VM gets {} of the host's {} of memory",
                    format_size(eff.size(k::MEMORY)),
                    format_size(total)
                ),
            )
            .help("leave Windows at least 15 % of the memory; WSL's default is half"),
            s,
        ));
    }
    if let Some(s) = config.setting(k::PROCESSORS)
        && let Some(Value::Int(n)) = s.value
        && n == host.cpu.logical_processors
        && n > 1
    {
        out.push(at_setting(
            Diagnostic::new(
                DiagId::LNT011,
                format!("all {n} logical processors of the host go to the VM"),
            )
            .help("that is WSL's default anyway (remove the line), or leave one or two for Windows"),
            s,
        ));
    }
    if let Some(s) = config.setting(k::NESTED_VIRTUALIZATION)
        && s.value == Some(Value::Bool(true))
        && eff.bool(k::NESTED_VIRTUALIZATION)
        && !(host.is_win11() && host.hcs.processor_features.iter().any(|f| f == "NestedVirt"))
    {
        out.push(at_setting(
            Diagnostic::new(
                DiagId::LNT013,
                format!(
                    "nested virtualization is not supported on this host (Windows build {})",
                    host.windows.build
                ),
            )
            .help(
                "it needs Windows 11 and HCS support (NestedVirt); WSL turns it off with a warning when the VM starts",
            ),
            s,
        ));
    }
    if let Some(s) = config.setting(k::NETWORKING_MODE)
        && eff.networking_mode() == mode::MIRRORED
        && host.windows.build < 22621
    {
        out.push(at_setting(
            Diagnostic::new(
                DiagId::LNT013,
                format!(
                    "Mirrored networking needs Windows 11 22H2 (build 22621) or later; this host is build {}",
                    host.windows.build
                ),
            )
            .help("WSL falls back to NAT when the VM starts"),
            s,
        ));
    }
    for s in config.settings() {
        let Some(v) = &s.value else { continue };
        let written = v.to_json(eff.dialect);
        let now = eff
            .get(s.key)
            .map_or(serde_json::Value::Null, |v| v.to_json(eff.dialect));
        if written == now {
            continue;
        }
        let Some(Origin::Pass { pass, reason }) = eff.history(s.key).last().map(|st| &st.origin) else {
            continue;
        };
        if announced(pass, s.key) {
            continue;
        }
        out.push(at_setting(
            Diagnostic::new(
                DiagId::LNT014,
                format!("`{}` is {} in the file but {} in effect", s.written, written, now),
            )
            .fact("effective", now.clone())
            .fact("pass", pass.clone())
            .help(format!("{pass}: {reason}; WSL says nothing about it")),
            s,
        ));
    }
    out
}

//! The VM-build passes V1–V10 (passes.md §3): what the JSON and the command
//! line need beyond the effective configuration. VMC002–VMC005 are fatal.

use super::config::join;
use super::effective::Effective;
use super::vm::{SystemDistro, VmBuild};
use crate::diag::{DiagId, Diagnostic};
use crate::host::{Arch, HostProfile, identity};
use crate::registry::k;

/// The V-passes' result, or the fatal diagnostic that stopped them; the
/// warnings raised on the way (VMC001) are in `diagnostics` either way.
pub struct BuildOutcome {
    pub vm: Option<VmBuild>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs V1–V10 in order. `config_path` is the configuration file as given.
pub fn build(eff: &Effective, host: &HostProfile, config_path: &str) -> BuildOutcome {
    let mut diagnostics = Vec::new();
    let tools = join(&host.install.dir, "tools");
    let fatal = |diagnostics: Vec<Diagnostic>| BuildOutcome { vm: None, diagnostics };

    // V1 — kernel.
    let custom_kernel = eff.text(k::KERNEL);
    let default_kernel = custom_kernel.is_empty();
    let kernel_path = if default_kernel {
        join(&tools, "kernel")
    } else {
        if !host.file_exists(custom_kernel) {
            diagnostics.push(missing(
                DiagId::VMC002,
                "the custom kernel",
                custom_kernel,
                config_path,
                k::KERNEL,
            ));
            return fatal(diagnostics);
        }
        custom_kernel.to_owned()
    };
    let boot_root = if host.arch == Arch::Arm64 && !default_kernel {
        join(&join(&host.user.temp_dir, &host.machine_id()), "rootfs")
    } else {
        tools.clone()
    };

    // V2 — kernel modules.
    let modules = eff.text(k::KERNEL_MODULES);
    let modules_path = if modules.is_empty() {
        default_kernel.then(|| join(&tools, "modules.vhd"))
    } else if !host.file_exists(modules) {
        diagnostics.push(missing(
            DiagId::VMC003,
            "the custom kernel modules VHD",
            modules,
            config_path,
            k::KERNEL_MODULES,
        ));
        return fatal(diagnostics);
    } else if default_kernel {
        diagnostics.push(
            Diagnostic::new(
                DiagId::VMC004,
                "custom kernel modules are given while the bundled kernel is used",
            )
            .key(k::KERNEL_MODULES.spec().name())
            .help(format!(
                "set `{}` to the kernel these modules belong to, or remove `{}`",
                k::KERNEL.spec().name(),
                k::KERNEL_MODULES.spec().name()
            )),
        );
        return fatal(diagnostics);
    } else {
        Some(modules.to_owned())
    };

    // V3 — debug console.
    let debug_console = eff.bool(k::DEBUG_CONSOLE) || !eff.text(k::DEBUG_CONSOLE_LOG_FILE).is_empty();

    // V4 — virtio serial and what hangs off it.
    let virtio_serial = eff.bool(k::VIRTIO) && host.virtio_serial_supported();
    let debug_shell = eff.debug_shell && virtio_serial;

    // V5 — memory density.
    let density_memory = host.density_memory_supported();
    let page_reporting_order = if density_memory { 5 } else { 9 };

    // V6 — system distribution.
    let distro = eff.text(k::SYSTEM_DISTRO);
    let system_distro = if distro.is_empty() {
        SystemDistro::Vhd {
            path: join(&host.install.dir, "system.vhd"),
            custom: false,
        }
    } else {
        let lower = distro.to_ascii_lowercase();
        let exists = host.file_exists(distro);
        if exists && lower.ends_with(".img") {
            SystemDistro::Pmem {
                path: distro.to_owned(),
                size: host.file(distro).size,
            }
        } else if exists && lower.ends_with(".vhd") {
            SystemDistro::Vhd {
                path: distro.to_owned(),
                custom: true,
            }
        } else {
            let why = if exists {
                "is neither a .vhd nor an .img file"
            } else {
                "does not exist"
            };
            diagnostics.push(
                Diagnostic::new(DiagId::VMC005, format!("the custom system distro `{distro}` {why}"))
                    .key(k::SYSTEM_DISTRO.spec().name())
                    .value(distro)
                    .fact("file", config_path),
            );
            return fatal(diagnostics);
        }
    };

    // V7 — high MMIO gap.
    let mut gap: u64 = 16384;
    if eff.bool(k::GUI_APPLICATIONS) && eff.bool(k::VIRTIO) {
        gap += 8192 + 2;
    }
    if let SystemDistro::Pmem { size, .. } = &system_distro {
        let mb = size.map_or(0, |s| s.checked_next_power_of_two().unwrap_or(1 << 63) >> 20);
        gap += mb.max(1);
    }
    if gap > 65536 {
        diagnostics.push(
            Diagnostic::new(
                DiagId::CMP005,
                format!("the high MMIO gap would be {gap} MiB, more than the 65536 MiB below 64 GiB"),
            )
            .key(k::SYSTEM_DISTRO.spec().name())
            .value(distro)
            .help("use a smaller system distro image, or a .vhd (attached through SCSI, no MMIO space)"),
        );
        return fatal(diagnostics);
    }
    let base = 65536 - gap;

    // V8 — nested virtualization.
    let nested_virtualization = eff.bool(k::NESTED_VIRTUALIZATION).then(|| {
        let supported = host.is_win11() && host.hcs.processor_features.iter().any(|f| f == "NestedVirt");
        if !supported {
            diagnostics.push(
                Diagnostic::new(
                    DiagId::VMC001,
                    "nested virtualization was requested but this host does not support it",
                )
                .key(k::NESTED_VIRTUALIZATION.spec().name())
                .help(
                    "nested virtualization needs Windows 11 and a processor whose HCS capabilities include NestedVirt",
                ),
            );
        }
        supported
    });

    // V9 — hardware performance counters.
    let perfmon = (host.arch == Arch::X64 && eff.bool(k::HARDWARE_PERFORMANCE_COUNTERS)).then_some((
        host.cpuid.child_perfmon_pmu_supported,
        host.cpuid.child_perfmon_lbr_supported,
    ));

    BuildOutcome {
        vm: Some(VmBuild {
            kernel_path,
            default_kernel,
            boot_root,
            initrd_path: join(&tools, "initrd.img"),
            modules_path,
            debug_console,
            virtio_serial,
            debug_shell,
            early_boot_logging: eff.bool(k::EARLY_BOOT_LOGGING),
            density_memory,
            page_reporting_order,
            system_distro,
            high_mmio_gap_mb: gap,
            high_mmio_base_mb: base,
            nested_virtualization,
            perfmon,
            // V10 — vmmem suffix.
            vmmem_suffix: host.vmmem_suffix_supported(),
            pipes: identity::pipe_names(host),
        }),
        diagnostics,
    }
}

fn missing(id: DiagId, what: &str, path: &str, config_path: &str, key: crate::registry::KeyId) -> Diagnostic {
    Diagnostic::new(id, format!("{what} `{path}` does not exist"))
        .key(key.spec().name())
        .value(path)
        .fact("file", config_path)
        .help(format!(
            "the host profile says the file is missing (`files.exists({path})=false`); fix the path (remember to double backslashes) or the profile"
        ))
}

//! The guest kernel command line (outputs.md §A).

use super::{WslcSession, feature, swiotlb_is_set};
use crate::bind::Swiotlb;
use crate::host::{Arch, HostProfile};
use crate::passes::{Effective, VmBuild};
use crate::registry::{Dialect, k};

/// `c_MaxStorageHwQueues`: the storvsc queue cap, applied above this many CPUs.
const MAX_STORAGE_HW_QUEUES: i64 = 4;

/// The WSL2 command line: fragments 1–14 of §A.1 (seed: §A.2), joined with
/// one space. The user's `wsl2.kernelCommandLine` comes last, verbatim.
pub fn wsl2_cmdline(eff: &Effective, vm: &VmBuild, host: &HostProfile, dialect: Dialect) -> String {
    let arm64 = host.arch == Arch::Arm64;
    let mut f: Vec<String> = vec![
        "initrd=\\initrd.img".into(),
        "WSL_ROOT_INIT=1".into(),
        "panic=-1".into(),
    ];
    common(
        &mut f,
        eff.int(k::PROCESSORS).into(),
        vm.page_reporting_order,
        eff.swiotlb(),
        dialect,
    );
    if vm.virtio_serial && vm.early_boot_logging {
        f.push(earlycon(arm64).into());
    }
    if vm.virtio_serial {
        f.push("console=hvc0 debug".into());
    } else if vm.debug_console {
        f.push(
            if arm64 {
                "console=ttyAMA0 debug"
            } else {
                "console=ttyS0,115200 debug"
            }
            .into(),
        );
    }
    if eff.int(k::KERNEL_DEBUG_PORT) != 0 {
        f.push(
            if arm64 {
                "pty.legacy_count=2 kgdboc=ttyAMA1,115200"
            } else {
                "pty.legacy_count=2 kgdboc=ttyS1,115200"
            }
            .into(),
        );
    } else {
        f.push("pty.legacy_count=0".into());
    }
    if eff.int(k::MAX_CRASH_DUMP_COUNT) >= 0 {
        f.push("WSL_ENABLE_CRASH_DUMP=1".into());
    }
    let user = eff.text(k::KERNEL_COMMAND_LINE);
    if !user.is_empty() {
        f.push(user.to_owned());
    }
    f.join(" ")
}

/// The WSLC command line (§A.4).
pub fn wslc_cmdline(host: &HostProfile, dialect: Dialect) -> String {
    let session = WslcSession::from_host(host);
    let order = if host.density_memory_supported_wslc() { 5 } else { 9 };
    let mut f: Vec<String> = vec![
        "initrd=\\initrd.img".into(),
        "WSLC_ROOT_INIT=1".into(),
        "panic=-1".into(),
    ];
    common(
        &mut f,
        session.cpu_count.into(),
        order,
        &session.swiotlb(dialect),
        dialect,
    );
    if session.has(feature::EARLY_BOOT_DMESG) {
        f.push(earlycon(host.arch == Arch::Arm64).into());
    }
    if host.virtio_serial_supported() {
        f.push("console=hvc0 debug".into());
    }
    f.join(" ")
}

/// Fragments 4–9, shared by WSL2 and WSLC.
fn common(f: &mut Vec<String>, cpus: i64, page_reporting_order: u32, swiotlb: &Swiotlb, dialect: Dialect) {
    f.push(format!("nr_cpus={cpus}"));
    f.push("hv_utils.timesync_implicit=1".into());
    f.push("printk.devkmsg=on".into());
    f.push(format!("page_reporting.page_reporting_order={page_reporting_order}"));
    if let Some(value) = swiotlb_value(swiotlb) {
        f.push(format!("swiotlb=force hv_pci_swiotlb={value}"));
    }
    if dialect == Dialect::Upstream && cpus > MAX_STORAGE_HW_QUEUES {
        f.push(format!("hv_storvsc.storvsc_max_hw_queues={MAX_STORAGE_HW_QUEUES}"));
    }
}

/// The value of `hv_pci_swiotlb=` per value form (§A.3): a size in decimal
/// bytes, a seed range verbatim; `None` when unset.
fn swiotlb_value(s: &Swiotlb) -> Option<String> {
    if !swiotlb_is_set(s) {
        return None;
    }
    match s {
        Swiotlb::Unset => None,
        Swiotlb::Range { raw, .. } => Some(raw.clone()),
        Swiotlb::Size(bytes) => Some(bytes.to_string()),
    }
}

/// Fragment 10.
fn earlycon(arm64: bool) -> &'static str {
    if arm64 {
        "earlycon=pl011,0xeffec000,115200"
    } else {
        "earlycon=uart8250,io,0x3f8,115200"
    }
}

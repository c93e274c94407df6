//! What the VM-build passes V1–V10 decide (passes.md §3): the facts the
//! emitters need beyond the effective configuration.

use serde::Serialize;

/// How the system distribution is attached (V6).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum SystemDistro {
    /// A VHD on the SCSI controller; `custom` when the user gave it.
    Vhd { path: String, custom: bool },
    /// A `.img` file as virtio pmem; `size` from the host profile when known.
    Pmem { path: String, size: Option<u64> },
}

/// Resolved named pipes (host/identity.rs derives those the profile omits).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PipeNames {
    pub debug_console: String,
    pub kernel_debug: String,
    pub dmesg_early: String,
    pub dmesg_virtio: String,
    pub telemetry: String,
    pub debug_shell: String,
}

/// The result of V1–V10.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VmBuild {
    /// V1: the kernel file (custom path as written, or `<install>\tools\kernel`).
    pub kernel_path: String,
    pub default_kernel: bool,
    /// V1: the boot root directory (arm64 UEFI `VmbFsRootPath`).
    pub boot_root: String,
    /// `<install>\tools\initrd.img`.
    pub initrd_path: String,
    /// V2: the kernel modules VHD, if any.
    pub modules_path: Option<String>,
    /// V3: the debug console after the log-file rule.
    pub debug_console: bool,
    /// V4: `EnableVirtio && virtioSerialSupported`.
    pub virtio_serial: bool,
    /// V4: debug shell after the virtio-serial rule.
    pub debug_shell: bool,
    pub early_boot_logging: bool,
    /// V5.
    pub density_memory: bool,
    pub page_reporting_order: u32,
    /// V6.
    pub system_distro: SystemDistro,
    /// V7 (MiB).
    pub high_mmio_gap_mb: u64,
    pub high_mmio_base_mb: u64,
    /// V8: `None` when nested virtualization was not requested; else whether supported.
    pub nested_virtualization: Option<bool>,
    /// V9: `(pmu, lbr)` on x64 when hardware performance counters are on.
    pub perfmon: Option<(bool, bool)>,
    /// V10.
    pub vmmem_suffix: bool,
    pub pipes: PipeNames,
}

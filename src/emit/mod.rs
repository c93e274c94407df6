//! The output layer (outputs.md §A–§D): the guest kernel command line, the
//! HCS ComputeSystem document and the virtio device records.
//!
//! Architecture invariant: this is the only code that knows HCS JSON field
//! names, kernel command-line fragments and device-string spellings. It reads
//! the effective configuration ([`Effective`](crate::passes::Effective)), the
//! VM-build results ([`VmBuild`](crate::passes::VmBuild)) and the host profile,
//! and decides nothing the passes decide: every condition here is a spelling
//! condition of outputs.md.
//!
//! The WSLC target (passes.md §5) reads no `.wslconfig`: its inputs are the
//! `wslc.*` session fields of the host profile, resolved by [`WslcSession`].

pub mod cmdline;
pub mod devices;
pub mod hcs;

#[cfg(test)]
mod tests;

pub use cmdline::{wsl2_cmdline, wslc_cmdline};
pub use devices::{
    BadDeviceValue, DeviceKind, DeviceRecord, check_device_values, check_wslc_device_values,
    runtime_swiotlb_unsupported, vm_id_key, wsl2_devices, wslc_devices, wslc_share,
};
pub use hcs::{compact, wsl2_hcs, wslc_hcs};

use crate::bind::Swiotlb;
use crate::host::HostProfile;
pub(crate) use crate::passes::config::join;
use crate::passes::config::{SWIOTLB_THRESHOLD, default_swiotlb};
use crate::registry::Dialect;

/// The P13 default for a VM of `memory_bytes` (passes.md P13): the
/// dialect's default at or above the threshold, else unset. (The condition
/// that a virtio device needs it is the caller's.)
pub fn swiotlb_default(memory_bytes: u64, dialect: Dialect) -> Swiotlb {
    if memory_bytes < SWIOTLB_THRESHOLD {
        return Swiotlb::Unset;
    }
    default_swiotlb(dialect)
}

/// Whether a swiotlb value asks for a pool (`Size(0)` never comes from the
/// binder; it is treated as unset like upstream's `SwiotlbSizeBytes == 0`).
pub(crate) fn swiotlb_is_set(s: &Swiotlb) -> bool {
    match s {
        Swiotlb::Unset => false,
        Swiotlb::Range { raw, .. } => !raw.is_empty(),
        Swiotlb::Size(bytes) => *bytes != 0,
    }
}

/// WSLC feature flags (passes.md §5, `wslc.featureFlags`).
pub mod feature {
    pub const DNS_TUNNELING: u32 = 1;
    pub const EARLY_BOOT_DMESG: u32 = 2;
    pub const GPU: u32 = 4;
    pub const VIRTIO_FS: u32 = 8;
    pub const DEBUG: u32 = 16;
    pub const PORT_RELAY_WSL_RELAY: u32 = 32;
}

/// WSLC networking modes (passes.md §5, `wslc.networkingMode`).
pub mod wslc_mode {
    pub const NONE: u32 = 0;
    pub const NAT: u32 = 1;
    /// Consomme (upstream) / VirtioProxy (seed).
    pub const CONSOMME: u32 = 2;
}

/// The WSLC session settings with the defaults of passes.md §5 applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WslcSession {
    pub memory_mb: u64,
    pub cpu_count: u32,
    pub feature_flags: u32,
    pub networking_mode: u32,
    /// `None` when not given or empty.
    pub display_name: Option<String>,
    /// `None` when not given or empty.
    pub root_vhd_override: Option<String>,
}

impl WslcSession {
    pub fn from_host(host: &HostProfile) -> Self {
        let w = &host.wslc;
        let non_empty = |s: &Option<String>| s.as_ref().filter(|s| !s.is_empty()).cloned();
        WslcSession {
            memory_mb: w.memory_mb.unwrap_or(host.memory.total_physical_bytes / (2 << 20)),
            cpu_count: w.cpu_count.unwrap_or(host.cpu.logical_processors.max(0) as u32),
            feature_flags: w.feature_flags,
            networking_mode: w.networking_mode,
            display_name: non_empty(&w.display_name),
            root_vhd_override: non_empty(&w.root_vhd_override),
        }
    }

    pub fn has(&self, feature: u32) -> bool {
        self.feature_flags & feature != 0
    }

    /// The WSLC swiotlb default (passes.md §5): with feature VirtioFs or
    /// Consomme networking, the P13 table on `memoryMb` × 1 MiB.
    pub fn swiotlb(&self, dialect: Dialect) -> Swiotlb {
        if self.has(feature::VIRTIO_FS) || self.networking_mode == wslc_mode::CONSOMME {
            swiotlb_default(self.memory_mb.saturating_mul(1 << 20), dialect)
        } else {
            Swiotlb::Unset
        }
    }
}

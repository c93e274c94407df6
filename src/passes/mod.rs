//! The passes: pure functions of the typed configuration and the host
//! profile (passes.md §2–§4), each recording provenance. The order is data:
//! [`CONFIG_PASSES`] lists P1–P18 as upstream runs them.

pub mod build;
pub mod config;
pub mod effective;
mod start;
pub mod vm;

pub use build::{BuildOutcome, build};
pub use effective::{Effective, Origin, Step, mode};
pub use start::default_value;
pub use vm::{PipeNames, SystemDistro, VmBuild};

use crate::bind::Config;
use crate::diag::Diagnostic;
use crate::host::HostProfile;
use crate::registry::{KeyId, k};
use config::{ConfigPass, Ctx};

/// One configuration pass: its spec id, a name, the keys it may change
/// (for the docs), and the function.
pub struct Pass {
    pub id: &'static str,
    pub name: &'static str,
    pub touches: &'static [KeyId],
    pub run: ConfigPass,
}

/// P1–P18 in upstream's order (passes.md §2). Order matters: e.g. the
/// swiotlb default (P13) must see the final networking mode.
pub const CONFIG_PASSES: &[Pass] = &[
    Pass {
        id: "P1",
        name: "end-of-parse fix-ups",
        touches: &[
            k::FIREWALL,
            k::DNS_TUNNELING_IP_ADDRESS,
            k::MAC_ADDRESS,
            k::EARLY_BOOT_LOGGING,
            k::CRASH_DUMP_FOLDER,
            k::DISTRIBUTION_INSTALL_PATH,
        ],
        run: config::p1_fixups,
    },
    Pass {
        id: "P2",
        name: "processors",
        touches: &[k::PROCESSORS],
        run: config::p2_processors,
    },
    Pass {
        id: "P3",
        name: "memory",
        touches: &[k::MEMORY],
        run: config::p3_memory,
    },
    Pass {
        id: "P4",
        name: "swap default",
        touches: &[k::SWAP],
        run: config::p4_swap,
    },
    Pass {
        id: "P5",
        name: "policy overrides",
        touches: &[
            k::KERNEL,
            k::KERNEL_MODULES,
            k::SYSTEM_DISTRO,
            k::KERNEL_COMMAND_LINE,
            k::KERNEL_DEBUG_PORT,
            k::NESTED_VIRTUALIZATION,
        ],
        run: config::p5_policies,
    },
    Pass {
        id: "P6",
        name: "debug shell policy",
        touches: &[],
        run: config::p6_debug_shell,
    },
    Pass {
        id: "P7",
        name: "networking mode policy",
        touches: &[k::NETWORKING_MODE],
        run: config::p7_networking_mode,
    },
    Pass {
        id: "P8",
        name: "firewall policy",
        touches: &[k::FIREWALL],
        run: config::p8_firewall,
    },
    Pass {
        id: "P9",
        name: "Global Secure Access",
        touches: &[k::DNS_TUNNELING],
        run: config::p9_global_secure_access,
    },
    Pass {
        id: "P10",
        name: "safe mode",
        touches: &[
            config::SAFE_MODE_SWITCHES_OFF[0],
            config::SAFE_MODE_SWITCHES_OFF[1],
            config::SAFE_MODE_SWITCHES_OFF[2],
            config::SAFE_MODE_SWITCHES_OFF[3],
            config::SAFE_MODE_SWITCHES_OFF[4],
            config::SAFE_MODE_SWITCHES_OFF[5],
            k::SWAP,
            k::KERNEL,
            k::KERNEL_MODULES,
            k::NETWORKING_MODE,
            k::DNS_TUNNELING,
            k::AUTO_PROXY,
        ],
        run: config::p10_safe_mode,
    },
    Pass {
        id: "P11",
        name: "virtio master switch",
        touches: &[k::VIRTIO9P, k::VIRTIOFS, k::SWIOTLB, k::NETWORKING_MODE],
        run: config::p11_virtio,
    },
    Pass {
        id: "P12",
        name: "virtio9p off",
        touches: &[k::VIRTIO9P],
        run: config::p12_virtio9p,
    },
    Pass {
        id: "P13",
        name: "swiotlb default",
        touches: &[k::SWIOTLB],
        run: config::p13_swiotlb,
    },
    Pass {
        id: "P14",
        name: "DNS tunneling needs a routed mode",
        touches: &[k::DNS_TUNNELING],
        run: config::p14_dns_tunneling_mode,
    },
    Pass {
        id: "P15",
        name: "DNS tunneling dependants",
        touches: &[k::BEST_EFFORT_DNS_PARSING, k::DNS_TUNNELING_IP_ADDRESS],
        run: config::p15_dns_dependants,
    },
    Pass {
        id: "P16",
        name: "Mirrored-only settings",
        touches: &[k::IGNORED_PORTS, k::HOST_ADDRESS_LOOPBACK],
        run: config::p16_mirrored_only,
    },
    Pass {
        id: "P17",
        name: "NAT registry settings",
        touches: &[],
        run: config::p17_nat,
    },
    Pass {
        id: "P18",
        name: "auto proxy availability",
        touches: &[k::AUTO_PROXY],
        run: config::p18_auto_proxy,
    },
];

/// The passes that may change a key, in order.
pub fn passes_touching(key: KeyId) -> impl Iterator<Item = &'static Pass> {
    CONFIG_PASSES.iter().filter(move |p| p.touches.contains(&key))
}

/// The effective configuration and the PAS diagnostics of P1–P18.
pub struct Outcome {
    pub effective: Effective,
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs P1–P18 over a bound configuration.
pub fn run(config: &Config, host: &HostProfile) -> Outcome {
    let mut effective = start::start(config, host);
    let mut ctx = Ctx {
        host,
        diagnostics: Vec::new(),
        parsed_mode: effective.networking_mode(),
    };
    for pass in CONFIG_PASSES {
        (pass.run)(&mut effective, &mut ctx);
    }
    Outcome {
        effective,
        diagnostics: ctx.diagnostics,
    }
}

#[cfg(test)]
mod tests;

//! The configuration passes P1–P18 (passes.md §2), one pure function each.

use super::effective::{Effective, mode};
use crate::bind::{Swiotlb, Value};
use crate::diag::{DiagId, Diagnostic};
use crate::host::{HostProfile, denies};
use crate::registry::{Dialect, KeyId, NETWORKING_MODE, k};
use std::net::Ipv4Addr;

/// The state a configuration pass works on.
pub struct Ctx<'a> {
    pub host: &'a HostProfile,
    pub diagnostics: Vec<Diagnostic>,
    /// The networking mode as parsed (before any policy), for P1.
    pub parsed_mode: u32,
}

/// A configuration pass.
pub type ConfigPass = fn(&mut Effective, &mut Ctx);

pub const ONE_GIB: u64 = 1 << 30;
const MIB: u64 = 1 << 20;
/// Memory needed for the swiotlb default (passes.md P13).
pub const SWIOTLB_THRESHOLD: u64 = ONE_GIB + 64 * MIB;
/// The fixed MAC of a Bridged VM without `wsl2.macAddress` (P1.3).
const GENERATED_MAC: [u8; 6] = [0x5E, 0xBB, 0xF6, 0x9E, 0xEE, 0xFA];

fn mode_value(number: u32, dialect: Dialect) -> Value {
    let name = NETWORKING_MODE.display(number, dialect);
    Value::Enum(
        &NETWORKING_MODE,
        NETWORKING_MODE.lookup(name).expect("display names are table names"),
    )
}

/// Appends a file name to a host directory with the directory's separator.
pub fn join(dir: &str, name: &str) -> String {
    let sep = if dir.contains('\\') || !dir.contains('/') {
        '\\'
    } else {
        '/'
    };
    format!("{}{sep}{name}", dir.trim_end_matches(['\\', '/']))
}

/// P1 — end-of-parse fix-ups, in order.
pub fn p1_fixups(eff: &mut Effective, ctx: &mut Ctx) {
    let firewall = ctx.parsed_mode == mode::MIRRORED || eff.bool(k::FIREWALL);
    eff.set(
        k::FIREWALL,
        Some(Value::Bool(firewall)),
        "P1.1",
        "the file's networking mode is Mirrored, which keeps the Hyper-V firewall on",
    );
    if eff.bool(k::DNS_TUNNELING) && eff.get(k::DNS_TUNNELING_IP_ADDRESS).is_none() {
        eff.set(
            k::DNS_TUNNELING_IP_ADDRESS,
            Some(Value::Ipv4(Ipv4Addr::new(10, 255, 255, 254))),
            "P1.2",
            "DNS tunneling is on and no address was given",
        );
    }
    if !eff.present(k::MAC_ADDRESS) && ctx.parsed_mode == mode::BRIDGED {
        eff.set(
            k::MAC_ADDRESS,
            Some(Value::Mac(GENERATED_MAC)),
            "P1.3",
            "Bridged mode without a MAC address: the fixed generated address",
        );
    }
    let console = eff.bool(k::DEBUG_CONSOLE) || !eff.text(k::DEBUG_CONSOLE_LOG_FILE).is_empty();
    if console && !eff.present(k::EARLY_BOOT_LOGGING) {
        eff.set(
            k::EARLY_BOOT_LOGGING,
            Some(Value::Bool(true)),
            "P1.4",
            "a debug console (or its log file) is set and earlyBootLogging is not",
        );
    }
    if eff.text(k::CRASH_DUMP_FOLDER).is_empty() && eff.int(k::MAX_CRASH_DUMP_COUNT) >= 0 {
        let folder = join(&ctx.host.user.temp_dir, "wsl-crashes");
        eff.set(
            k::CRASH_DUMP_FOLDER,
            Some(Value::Text(folder)),
            "P1.5",
            "crash dumps are on: the default folder under user.tempDir",
        );
    }
    if eff.text(k::DISTRIBUTION_INSTALL_PATH).is_empty() {
        let path = join(&ctx.host.user.local_app_data, "wsl");
        eff.set(
            k::DISTRIBUTION_INSTALL_PATH,
            Some(Value::Text(path)),
            "P1.6",
            "the default under user.localAppData",
        );
    }
    let mut modules: Vec<&str> = Vec::new();
    if eff.bool(k::LOAD_DEFAULT_KERNEL_MODULES) {
        modules.extend(["tun", "ip_tables", "br_netfilter"]);
    }
    let extra = eff.text(k::LOAD_KERNEL_MODULES).to_owned();
    modules.extend(extra.split(',').filter(|p| !p.is_empty()));
    eff.kernel_modules_list = modules.join(",");
}

/// P2 — processors clamped to the host.
pub fn p2_processors(eff: &mut Effective, ctx: &mut Ctx) {
    let max = ctx.host.cpu.logical_processors;
    let count = eff.int(k::PROCESSORS);
    if count <= 0 {
        eff.set(
            k::PROCESSORS,
            Some(Value::Int(max)),
            "P2",
            format!("0 or less means every logical processor of the host ({max})"),
        );
    } else if count > max {
        ctx.diagnostics.push(
            Diagnostic::new(
                DiagId::PAS001,
                format!("{count} processors requested, the host has {max}; the VM gets {max}"),
            )
            .key(k::PROCESSORS.spec().name())
            .value(count.to_string())
            .fact("maximum", max),
        );
        eff.set(
            k::PROCESSORS,
            Some(Value::Int(max)),
            "P2",
            format!("clamped to the host's {max} logical processors (PAS001)"),
        );
    }
    eff.max_processors = max;
}

/// P3 — memory clamped to [256 MiB, host memory], silently.
pub fn p3_memory(eff: &mut Effective, ctx: &mut Ctx) {
    let total = ctx.host.memory.total_physical_bytes;
    let memory = eff.size(k::MEMORY);
    let (value, reason) = if memory == 0 {
        (total / 2, "0 means half of the host's memory".to_owned())
    } else {
        (
            memory.max(256 * MIB).min(total),
            format!("clamped to [256MB, host memory {total}]"),
        )
    };
    eff.set(k::MEMORY, Some(Value::Size(value)), "P3", reason);
    eff.max_memory = total;
}

/// P4 — swap default: a quarter of the memory, rounded up to a whole GiB.
pub fn p4_swap(eff: &mut Effective, _ctx: &mut Ctx) {
    if eff.size(k::SWAP) == u64::MAX {
        let swap = (eff.size(k::MEMORY) / 4).div_ceil(ONE_GIB) * ONE_GIB;
        eff.set(
            k::SWAP,
            Some(Value::Size(swap)),
            "P4",
            "a quarter of the VM memory, rounded up to a whole GB",
        );
    }
}

/// P5 — policies that deny user settings, in table order.
pub fn p5_policies(eff: &mut Effective, ctx: &mut Ctx) {
    let p = &ctx.host.policies;
    let rows = [
        (p.allow_kernel_user_setting, k::KERNEL, "AllowKernelUserSetting"),
        (p.allow_kernel_user_setting, k::KERNEL_MODULES, "AllowKernelUserSetting"),
        (
            p.allow_system_distro_user_setting,
            k::SYSTEM_DISTRO,
            "AllowSystemDistroUserSetting",
        ),
        (
            p.allow_kernel_command_line_user_setting,
            k::KERNEL_COMMAND_LINE,
            "AllowKernelCommandLineUserSetting",
        ),
        (
            p.allow_kernel_debug_user_setting,
            k::KERNEL_DEBUG_PORT,
            "AllowKernelDebugUserSetting",
        ),
        (
            p.allow_nested_virtualization,
            k::NESTED_VIRTUALIZATION,
            "AllowNestedVirtualization",
        ),
    ];
    for (policy, key, policy_name) in rows {
        let zero = match eff.get(key) {
            Some(Value::Text(t)) => (t.is_empty(), Value::Text(String::new())),
            Some(Value::Int(i)) => (*i == 0, Value::Int(0)),
            Some(Value::Bool(b)) => (!*b, Value::Bool(false)),
            _ => continue,
        };
        if !zero.0 && denies(policy) {
            ctx.diagnostics.push(policy_notice(key));
            eff.set(
                key,
                Some(zero.1),
                "P5",
                format!("policy {policy_name}=0 denies this setting (PAS002)"),
            );
        }
    }
}

fn policy_notice(key: KeyId) -> Diagnostic {
    let name = key.spec().name();
    Diagnostic::new(DiagId::PAS002, format!("a machine policy overrides `{name}`"))
        .key(name)
        .help("the setting is reset; the policy is set by an administrator under HKLM\\Software\\Policies\\WSL")
}

/// P6 — debug shell policy (no diagnostic).
pub fn p6_debug_shell(eff: &mut Effective, ctx: &mut Ctx) {
    if denies(ctx.host.policies.allow_debug_shell) {
        eff.debug_shell = false;
    }
}

/// P7 — the networking mode policy.
pub fn p7_networking_mode(eff: &mut Effective, ctx: &mut Ctx) {
    let dialect = eff.dialect;
    let default = match ctx.host.policies.default_networking_mode {
        Some(m @ (mode::NONE | mode::NAT | mode::MIRRORED | mode::VIRTIO_PROXY)) => m,
        _ => mode::NAT,
    };
    eff.default_networking_mode = default;
    let default_name = NETWORKING_MODE.display(default, dialect);
    if eff.present(k::NETWORKING_MODE) {
        let chosen = eff.networking_mode();
        if denies(ctx.host.policies.allow_networking_mode_user_setting) && chosen != mode::NONE && chosen != default {
            ctx.diagnostics.push(policy_notice(k::NETWORKING_MODE));
            let reason =
                format!("policy AllowNetworkingModeUserSetting=0: the default mode {default_name} is used (PAS002)");
            eff.set(k::NETWORKING_MODE, Some(mode_value(default, dialect)), "P7", reason);
        }
    } else {
        let reason = format!("no valid networking mode in the file: the default mode {default_name}");
        eff.set(k::NETWORKING_MODE, Some(mode_value(default, dialect)), "P7", reason);
    }
}

/// P8 — the firewall policy.
pub fn p8_firewall(eff: &mut Effective, ctx: &mut Ctx) {
    if eff.networking_mode() != mode::MIRRORED
        && !eff.bool(k::FIREWALL)
        && denies(ctx.host.policies.allow_firewall_user_setting)
    {
        ctx.diagnostics.push(policy_notice(k::FIREWALL));
        eff.set(
            k::FIREWALL,
            Some(Value::Bool(true)),
            "P8",
            "policy AllowFirewallUserSetting=0 keeps the firewall on (PAS002)",
        );
    }
}

/// P9 — the Global Secure Access client turns DNS tunneling off.
pub fn p9_global_secure_access(eff: &mut Effective, ctx: &mut Ctx) {
    if eff.bool(k::DNS_TUNNELING) && ctx.host.services.global_secure_access_tunneling_running {
        if eff.present(k::DNS_TUNNELING) {
            ctx.diagnostics.push(
                Diagnostic::new(
                    DiagId::PAS003,
                    "DNS tunneling is switched off: the Global Secure Access tunneling service runs on the host",
                )
                .key(k::DNS_TUNNELING.spec().name()),
            );
        }
        eff.set(
            k::DNS_TUNNELING,
            Some(Value::Bool(false)),
            "P9",
            "the Global Secure Access tunneling service runs on the host",
        );
    }
}

/// The switches safe mode turns off (P10); it also zeroes swap, the custom
/// kernel and modules, the networking mode, DNS tunneling and auto proxy.
pub const SAFE_MODE_SWITCHES_OFF: [KeyId; 6] = [
    k::HOST_FILE_SYSTEM_ACCESS,
    k::NESTED_VIRTUALIZATION,
    k::HARDWARE_PERFORMANCE_COUNTERS,
    k::GPU_SUPPORT,
    k::VIRTIO,
    k::GUI_APPLICATIONS,
];

/// P10 — safe mode.
pub fn p10_safe_mode(eff: &mut Effective, ctx: &mut Ctx) {
    if !eff.bool(k::SAFE_MODE) {
        return;
    }
    ctx.diagnostics.push(
        Diagnostic::new(DiagId::PAS004, "safe mode is on: many features are switched off")
            .key(k::SAFE_MODE.spec().name())
            .help("remove `safeMode=true` once the problem it works around is fixed"),
    );
    let off = Some(Value::Bool(false));
    for key in SAFE_MODE_SWITCHES_OFF {
        eff.set(key, off.clone(), "P10", "safe mode");
    }
    eff.set(k::SWAP, Some(Value::Size(0)), "P10", "safe mode");
    eff.set(
        k::KERNEL,
        Some(Value::Text(String::new())),
        "P10",
        "safe mode: the bundled kernel",
    );
    eff.set(k::KERNEL_MODULES, Some(Value::Text(String::new())), "P10", "safe mode");
    eff.set(
        k::NETWORKING_MODE,
        Some(mode_value(mode::NONE, eff.dialect)),
        "P10",
        "safe mode",
    );
    eff.set(k::DNS_TUNNELING, off.clone(), "P10", "safe mode");
    eff.set(k::AUTO_PROXY, off, "P10", "safe mode");
}

/// P11 — the virtio master switch.
pub fn p11_virtio(eff: &mut Effective, ctx: &mut Ctx) {
    if eff.bool(k::VIRTIO) {
        return;
    }
    let off = Some(Value::Bool(false));
    eff.set(k::VIRTIO9P, off.clone(), "P11", "virtio is off");
    eff.set(k::VIRTIOFS, off, "P11", "virtio is off");
    eff.set(
        k::SWIOTLB,
        Some(Value::Swiotlb(Swiotlb::Unset)),
        "P11",
        "virtio is off: no bounce buffers",
    );
    if eff.networking_mode() == mode::VIRTIO_PROXY {
        let fallback = if eff.default_networking_mode == mode::VIRTIO_PROXY {
            mode::NONE
        } else {
            mode::NAT
        };
        let dialect = eff.dialect;
        let name = NETWORKING_MODE.display(fallback, dialect);
        let requested = NETWORKING_MODE.display(mode::VIRTIO_PROXY, dialect);
        ctx.diagnostics.push(
            Diagnostic::new(
                DiagId::PAS005,
                format!("networking mode {requested} needs virtio, which is off; {name} is used"),
            )
            .key(k::NETWORKING_MODE.spec().name())
            .value(name),
        );
        eff.set(
            k::NETWORKING_MODE,
            Some(mode_value(fallback, dialect)),
            "P11",
            format!("{requested} needs virtio, which is off (PAS005)"),
        );
    }
}

/// P12 — virtio9p is never used.
pub fn p12_virtio9p(eff: &mut Effective, ctx: &mut Ctx) {
    if eff.bool(k::VIRTIO9P) {
        ctx.diagnostics.push(
            Diagnostic::new(
                DiagId::PAS006,
                "virtio9p is deprecated and switched off; Windows drives use 9p over vsock",
            )
            .key(k::VIRTIO9P.spec().name()),
        );
        eff.set(
            k::VIRTIO9P,
            Some(Value::Bool(false)),
            "P12",
            "virtio9p is never used (PAS006)",
        );
    }
}

/// P13 — the swiotlb default, only where a virtio device needs it.
pub fn p13_swiotlb(eff: &mut Effective, _ctx: &mut Ctx) {
    let needed = eff.bool(k::VIRTIOFS) || eff.bool(k::VIRTIO9P) || eff.networking_mode() == mode::VIRTIO_PROXY;
    if *eff.swiotlb() != Swiotlb::Unset || !needed {
        return;
    }
    let memory = eff.size(k::MEMORY);
    if memory < SWIOTLB_THRESHOLD {
        return;
    }
    let value = default_swiotlb(eff.dialect);
    eff.set(
        k::SWIOTLB,
        Some(Value::Swiotlb(value)),
        "P13",
        format!("a virtio device needs bounce buffers and the VM has {memory} bytes (at least 1GB + 64MB)"),
    );
}

/// The P13 default of a dialect.
pub fn default_swiotlb(dialect: Dialect) -> Swiotlb {
    match dialect {
        Dialect::Seed => Swiotlb::Range {
            raw: "0x40000000,64M".to_owned(),
            gpa: Some(ONE_GIB),
            size_bytes: Some(64 * MIB),
        },
        Dialect::Upstream => Swiotlb::Size(64 * MIB),
    }
}

/// P14 — DNS tunneling needs NAT, Mirrored or VirtioProxy/Consomme.
pub fn p14_dns_tunneling_mode(eff: &mut Effective, _ctx: &mut Ctx) {
    let m = eff.networking_mode();
    if !matches!(m, mode::NAT | mode::MIRRORED | mode::VIRTIO_PROXY) {
        eff.set(
            k::DNS_TUNNELING,
            Some(Value::Bool(false)),
            "P14",
            "DNS tunneling needs NAT, Mirrored or VirtioProxy networking",
        );
    }
}

/// P15 — settings that only matter with DNS tunneling.
pub fn p15_dns_dependants(eff: &mut Effective, _ctx: &mut Ctx) {
    if !eff.bool(k::DNS_TUNNELING) {
        eff.set(
            k::BEST_EFFORT_DNS_PARSING,
            Some(Value::Bool(false)),
            "P15",
            "DNS tunneling is off",
        );
        eff.set(k::DNS_TUNNELING_IP_ADDRESS, None, "P15", "DNS tunneling is off");
    }
}

/// P16 — settings that only matter in Mirrored mode.
pub fn p16_mirrored_only(eff: &mut Effective, _ctx: &mut Ctx) {
    if eff.networking_mode() != mode::MIRRORED {
        eff.set(
            k::IGNORED_PORTS,
            Some(Value::Ports(Default::default())),
            "P16",
            "only used in Mirrored mode",
        );
        eff.set(
            k::HOST_ADDRESS_LOOPBACK,
            Some(Value::Bool(false)),
            "P16",
            "only used in Mirrored mode",
        );
    }
}

/// P17 — NAT settings from the registry.
pub fn p17_nat(eff: &mut Effective, ctx: &mut Ctx) {
    if eff.networking_mode() == mode::NAT {
        eff.nat_gateway = ctx.host.nat.gateway_ip_address.clone();
        eff.nat_network = ctx.host.nat.network.clone();
        eff.nat_ip_address = ctx.host.nat.ip_address.clone();
    }
}

/// P18 — auto proxy needs the WinHTTP proxy APIs.
pub fn p18_auto_proxy(eff: &mut Effective, ctx: &mut Ctx) {
    if eff.bool(k::AUTO_PROXY) && !ctx.host.win_http_proxy_apis_available {
        eff.set(
            k::AUTO_PROXY,
            Some(Value::Bool(false)),
            "P18",
            "the WinHTTP proxy APIs are not available",
        );
    }
}

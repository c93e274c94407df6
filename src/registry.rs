//! The one key table (keys.md §3). Binding, suggestions, docs and schemas all
//! read it; no key name is spelled anywhere else in wslcfg.

use serde::Serialize;
use std::borrow::Cow;

/// Output spellings and the few behaviours that differ between the seed pull
/// request and upstream WSL (spec README, "Dialects").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Dialect {
    #[default]
    Seed,
    Upstream,
}

impl Dialect {
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Seed => "seed",
            Dialect::Upstream => "upstream",
        }
    }
}

/// A value table of an enumerated key (keys.md §2.6).
#[derive(Debug, PartialEq, Eq)]
pub struct EnumTable {
    pub names: &'static [EnumName],
}

#[derive(Debug, PartialEq, Eq)]
pub struct EnumName {
    pub name: &'static str,
    pub number: u32,
    /// `None`: part of both dialects' lists; otherwise only that dialect's.
    pub listed_in: Option<Dialect>,
    /// The display name of this number in each dialect, when this name is not it.
    pub display: Option<[&'static str; 2]>,
}

impl EnumTable {
    /// Case-insensitive lookup of a whole value. Every name is accepted in
    /// both dialects (keys.md §2.6, "Project behaviour").
    pub fn lookup(&'static self, text: &str) -> Option<&'static EnumName> {
        self.names.iter().find(|n| n.name.eq_ignore_ascii_case(text))
    }

    /// The valid-values list of VAL004: the dialect's names sorted ASCII
    /// case-insensitively.
    pub fn valid_values(&self, dialect: Dialect) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = self
            .names
            .iter()
            .filter(|n| n.listed_in.is_none_or(|d| d == dialect))
            .map(|n| n.name)
            .collect();
        names.sort_by_key(|n| n.to_ascii_lowercase());
        names
    }

    /// The canonical (display) name of a number in a dialect.
    pub fn display(&self, number: u32, dialect: Dialect) -> &'static str {
        let name = self
            .names
            .iter()
            .find(|n| n.number == number)
            .expect("numbers come from the table");
        match name.display {
            Some(d) => d[dialect as usize],
            None => name.name,
        }
    }
}

const MODE4: Option<[&str; 2]> = Some(["VirtioProxy", "Consomme"]);

/// `wsl2.networkingMode` (keys.md §2.6).
pub static NETWORKING_MODE: EnumTable = EnumTable {
    names: &[
        EnumName {
            name: "None",
            number: 0,
            listed_in: None,
            display: None,
        },
        EnumName {
            name: "Nat",
            number: 1,
            listed_in: None,
            display: None,
        },
        EnumName {
            name: "Bridged",
            number: 2,
            listed_in: None,
            display: None,
        },
        EnumName {
            name: "Mirrored",
            number: 3,
            listed_in: None,
            display: None,
        },
        EnumName {
            name: "VirtioProxy",
            number: 4,
            listed_in: None,
            display: MODE4,
        },
        EnumName {
            name: "Consomme",
            number: 4,
            listed_in: Some(Dialect::Upstream),
            display: MODE4,
        },
    ],
};

/// `experimental.autoMemoryReclaim`.
pub static MEMORY_RECLAIM: EnumTable = EnumTable {
    names: &[
        EnumName {
            name: "Disabled",
            number: 0,
            listed_in: None,
            display: None,
        },
        EnumName {
            name: "Gradual",
            number: 1,
            listed_in: None,
            display: None,
        },
        EnumName {
            name: "DropCache",
            number: 2,
            listed_in: None,
            display: None,
        },
    ],
};

/// The value type of a key (keys.md §2).
#[derive(Clone, Copy, Debug)]
pub enum ValueType {
    Bool,
    /// 32-bit `strtol` base 0.
    Int,
    /// Unsigned 64-bit byte count with case-sensitive suffixes.
    MemorySize,
    String,
    Path,
    Enum(&'static EnumTable),
    MacAddress,
    Ipv4,
    PortList,
    /// Seed range `0x<gpa>,<size>K|M` or upstream memory size (keys.md §3.7).
    Swiotlb,
}

impl ValueType {
    pub fn name(self) -> &'static str {
        match self {
            ValueType::Bool => "boolean",
            ValueType::Int => "integer",
            ValueType::MemorySize => "memory size",
            ValueType::String => "string",
            ValueType::Path => "path",
            ValueType::Enum(_) => "enum",
            ValueType::MacAddress => "MAC address",
            ValueType::Ipv4 => "IPv4 address",
            ValueType::PortList => "port list",
            ValueType::Swiotlb => "swiotlb",
        }
    }
}

/// What an integer means, for lint's plausibility checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    None,
    Milliseconds,
}

/// The default of a key before the passes (keys.md §3); † placeholders are
/// resolved by a pass.
#[derive(Clone, Copy, Debug)]
pub enum DefaultRule {
    Bool(bool),
    Int(i32),
    Size(u64),
    Enum(&'static str),
    /// Empty string or path.
    Empty,
    /// Not set (MAC address, IPv4 address, swiotlb).
    Unset,
    /// Empty port set.
    NoPorts,
    /// A placeholder that a pass replaces; the text says with what.
    Computed(&'static str),
    /// x64 and Windows 11 (build ≥ 22000).
    X64AndWin11,
    /// x64, or arm64 on Windows 11.
    X64OrWin11,
    /// x64 only.
    X64,
    /// The official build flag of the service.
    OfficialBuild,
}

impl DefaultRule {
    /// The same value on every host: the rule is the value itself.
    pub fn is_constant(self) -> bool {
        matches!(
            self,
            DefaultRule::Bool(_)
                | DefaultRule::Int(_)
                | DefaultRule::Size(_)
                | DefaultRule::Enum(_)
                | DefaultRule::Empty
                | DefaultRule::Unset
                | DefaultRule::NoPorts
        )
    }

    /// A human description for docs, hovers and provenance; static text
    /// except for the numbers, so compiling records it without allocating.
    pub fn describe(self) -> Cow<'static, str> {
        match self {
            DefaultRule::Bool(true) => "true".into(),
            DefaultRule::Bool(false) => "false".into(),
            DefaultRule::Int(i) => i.to_string().into(),
            DefaultRule::Size(s) => format_size(s).into(),
            DefaultRule::Enum(e) => e.into(),
            DefaultRule::Empty => "empty".into(),
            DefaultRule::Unset => "unset".into(),
            DefaultRule::NoPorts => "no ports".into(),
            DefaultRule::Computed(text) => text.into(),
            DefaultRule::X64AndWin11 => "true on x64 with Windows 11 (build ≥ 22000), else false".into(),
            DefaultRule::X64OrWin11 => "true on x64; on arm64 only with Windows 11".into(),
            DefaultRule::X64 => "true on x64, false on arm64".into(),
            DefaultRule::OfficialBuild => "true for official builds, false for development builds".into(),
        }
    }
}

/// Renders a byte count with the largest binary unit that divides it.
pub fn format_size(bytes: u64) -> String {
    const UNITS: [(&str, u64); 4] = [("TB", 1 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)];
    for (suffix, factor) in UNITS {
        if bytes >= factor && bytes.is_multiple_of(factor) {
            return format!("{}{suffix}", bytes / factor);
        }
    }
    format!("{bytes}B")
}

/// Which sources know a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Availability {
    Both,
    /// Added upstream after the seed; accepted in both dialects (outputs.md E9).
    UpstreamAddition,
}

/// One key of the table.
#[derive(Debug)]
pub struct KeySpec {
    /// The canonical name first, then its aliases.
    pub names: &'static [&'static str],
    pub ty: ValueType,
    pub default: DefaultRule,
    /// Whether passes ask if the key was present (seen and valid).
    pub presence: bool,
    pub availability: Availability,
    pub unit: Unit,
    pub doc: &'static str,
}

impl KeySpec {
    pub fn name(&self) -> &'static str {
        self.names[0]
    }

    pub fn section(&self) -> &'static str {
        section_of(self.name())
    }

    pub fn leaf(&self) -> &'static str {
        leaf_of(self.name())
    }
}

/// The section part of a full key name (`wsl2` of `wsl2.memory`; empty without a dot).
pub fn section_of(name: &str) -> &str {
    name.split_once('.').map_or("", |(s, _)| s)
}

/// The key part of a full key name (`memory` of `wsl2.memory`; the whole name without a dot).
pub fn leaf_of(name: &str) -> &str {
    name.split_once('.').map_or(name, |(_, k)| k)
}

/// Index of a key in [`KEYS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyId(pub u8);

impl KeyId {
    pub fn spec(self) -> &'static KeySpec {
        &KEYS[self.0 as usize]
    }
}

macro_rules! key {
    ([$($name:literal),+], $ty:expr, $default:expr, $doc:literal) => {
        key!([$($name),+], $ty, $default, false, Availability::Both, Unit::None, $doc)
    };
    ([$($name:literal),+], $ty:expr, $default:expr, $presence:expr, $avail:expr, $unit:expr, $doc:literal) => {
        KeySpec { names: &[$($name),+], ty: $ty, default: $default, presence: $presence, availability: $avail, unit: $unit, doc: $doc }
    };
}

use Availability::{Both, UpstreamAddition};
use DefaultRule as D;
use Unit::Milliseconds as Ms;
use ValueType as T;

/// Every key of `.wslconfig`, in upstream's registration order (keys.md §3.6).
pub static KEYS: &[KeySpec] = &[
    key!(
        ["wsl2.kernel"],
        T::Path,
        D::Computed("empty: the bundled kernel <install>\\tools\\kernel"),
        "Path of a custom Linux kernel image."
    ),
    key!(
        ["wsl2.kernelCommandLine"],
        T::String,
        D::Empty,
        "Extra kernel command-line arguments, appended last."
    ),
    key!(
        ["wsl2.kernelModules"],
        T::Path,
        D::Computed("empty: the bundled modules VHD when the bundled kernel is used"),
        "Path of a VHD with kernel modules for a custom kernel."
    ),
    key!(
        ["wsl2.memory"],
        T::MemorySize,
        D::Computed("0: half of the host's memory"),
        "Memory of the VM; clamped to [256MB, host memory]."
    ),
    key!(
        ["wsl2.processors"],
        T::Int,
        D::Computed("0: every logical processor of the host"),
        "Number of virtual processors; above the host's count it is clamped."
    ),
    key!(
        ["wsl2.debugConsole"],
        T::Bool,
        D::Bool(false),
        "Open a debug console window that shows the kernel's messages."
    ),
    key!(
        ["wsl2.earlyBootLogging"],
        T::Bool,
        D::Computed("false; true when a debug console or its log file is set"),
        true,
        Both,
        Unit::None,
        "Capture the kernel's early boot messages on a serial console."
    ),
    key!(
        ["wsl2.swap"],
        T::MemorySize,
        D::Computed("a quarter of the VM memory, rounded up to a whole GB"),
        "Size of the swap VHD; 0 disables swap."
    ),
    key!(
        ["wsl2.swapFile"],
        T::Path,
        D::Computed("empty: <temp>\\<machine id>\\swap.vhdx"),
        "Path of the swap VHD."
    ),
    key!(
        ["wsl2.localhostForwarding"],
        T::Bool,
        D::Bool(true),
        true,
        Both,
        Unit::None,
        "Make ports the VM listens on reachable through localhost on Windows."
    ),
    key!(
        ["wsl2.nestedVirtualization"],
        T::Bool,
        D::X64AndWin11,
        "Let the VM run virtual machines of its own."
    ),
    key!(
        ["wsl2.virtio9p"],
        T::Bool,
        D::Bool(false),
        "Deprecated: share Windows drives with 9p over virtio; always switched off."
    ),
    key!(
        ["wsl2.virtiofs"],
        T::Bool,
        D::Bool(false),
        "Share Windows drives with virtiofs."
    ),
    key!(
        ["wsl2.kernelDebugPort"],
        T::Int,
        D::Int(0),
        "Serial port number for the kernel debugger (kgdb); 0 disables it."
    ),
    key!(["wsl2.gpuSupport"], T::Bool, D::Bool(true), "GPU paravirtualization."),
    key!(
        ["wsl2.guiApplications"],
        T::Bool,
        D::Bool(true),
        "Linux GUI applications (WSLg)."
    ),
    key!(
        ["wsl2.systemDistro"],
        T::Path,
        D::Computed("empty: the bundled <install>\\system.vhd"),
        "Path of a custom system distribution (.vhd or .img)."
    ),
    key!(
        ["wsl2.telemetry"],
        T::Bool,
        D::OfficialBuild,
        "Send telemetry from the VM."
    ),
    key!(
        ["wsl2.vmIdleTimeout"],
        T::Int,
        D::Int(60000),
        false,
        Both,
        Ms,
        "Milliseconds the VM stays up with no distribution running."
    ),
    key!(
        ["wsl2.debugConsoleLogFile"],
        T::Path,
        D::Empty,
        "File the debug console writes to; setting it turns the debug console on."
    ),
    key!(
        ["wsl2.kernelBootTimeout"],
        T::Int,
        D::Int(30000),
        false,
        Both,
        Ms,
        "Milliseconds to wait for the kernel to boot."
    ),
    key!(
        ["wsl2.distributionStartTimeout"],
        T::Int,
        D::Int(60000),
        false,
        Both,
        Ms,
        "Milliseconds to wait for a distribution to start."
    ),
    key!(
        ["wsl2.virtio"],
        T::Bool,
        D::X64OrWin11,
        "Master switch of the virtio devices (virtiofs, VirtioProxy networking, swiotlb)."
    ),
    key!(
        ["wsl2.hostFileSystemAccess"],
        T::Bool,
        D::Bool(true),
        "Access to the Windows drives from Linux."
    ),
    key!(
        ["wsl2.mountDeviceTimeout"],
        T::Int,
        D::Int(5000),
        false,
        Both,
        Ms,
        "Milliseconds to wait for a disk to be mounted."
    ),
    key!(
        ["wsl2.hardwarePerformanceCounters"],
        T::Bool,
        D::X64,
        "Expose the hardware performance counters (PMU, LBR) to the VM."
    ),
    key!(
        ["wsl2.vmSwitch"],
        T::String,
        D::Empty,
        "Hyper-V virtual switch used in Bridged networking mode."
    ),
    key!(
        ["wsl2.macAddress"],
        T::MacAddress,
        D::Computed("unset; generated 5E:BB:F6:9E:EE:FA in Bridged mode"),
        true,
        Both,
        Unit::None,
        "MAC address of the VM's adapter in Bridged mode."
    ),
    key!(["wsl2.dhcp"], T::Bool, D::Bool(true), "Use DHCP in Bridged mode."),
    key!(
        ["wsl2.dhcpTimeout"],
        T::Int,
        D::Int(5000),
        false,
        Both,
        Ms,
        "Milliseconds to wait for DHCP in Bridged mode."
    ),
    key!(["wsl2.ipv6"], T::Bool, D::Bool(false), "IPv6 in Bridged mode."),
    key!(
        ["wsl2.dnsProxy"],
        T::Bool,
        D::Bool(true),
        "Forward DNS requests to Windows in NAT mode."
    ),
    key!(
        ["wsl2.safeMode"],
        T::Bool,
        D::Bool(false),
        "Start with many features switched off, to recover a broken setup."
    ),
    key!(
        ["wsl2.defaultVhdSize"],
        T::MemorySize,
        D::Size(1 << 40),
        "Maximum size of newly created distribution VHDs."
    ),
    key!(
        ["wsl2.crashDumpFolder"],
        T::Path,
        D::Computed("empty: <temp>\\wsl-crashes when crash dumps are on"),
        "Folder for crash dumps of Linux processes."
    ),
    key!(
        ["wsl2.maxCrashDumpCount"],
        T::Int,
        D::Int(10),
        "Number of crash dumps kept; negative disables crash dumps."
    ),
    key!(
        ["general.distributionInstallPath"],
        T::Path,
        D::Computed("empty: <LocalAppData>\\wsl"),
        "Default folder for new distributions."
    ),
    key!(
        ["general.instanceIdleTimeout"],
        T::Int,
        D::Int(15000),
        false,
        Both,
        Ms,
        "Milliseconds a distribution stays up with no process running."
    ),
    key!(
        ["wsl2.loadDefaultKernelModules"],
        T::Bool,
        D::Bool(true),
        true,
        Both,
        Unit::None,
        "Load tun, ip_tables and br_netfilter at boot."
    ),
    key!(
        ["wsl2.loadKernelModules"],
        T::String,
        D::Empty,
        true,
        Both,
        Unit::None,
        "Extra kernel modules to load at boot, separated by commas."
    ),
    key!(
        ["wsl2.isolateDistroCgroup"],
        T::Bool,
        D::Bool(true),
        false,
        UpstreamAddition,
        Unit::None,
        "Give each distribution its own cgroup (added upstream; accepted in both dialects)."
    ),
    key!(
        ["wsl2.networkingMode", "experimental.networkingMode"],
        T::Enum(&NETWORKING_MODE),
        D::Computed("Nat, or the policy's DefaultNetworkingMode"),
        true,
        Both,
        Unit::None,
        "Networking mode: None, Nat, Bridged, Mirrored or VirtioProxy (upstream: Consomme)."
    ),
    key!(
        ["wsl2.dnsTunneling", "experimental.dnsTunneling"],
        T::Bool,
        D::Bool(true),
        true,
        Both,
        Unit::None,
        "Answer the VM's DNS requests through Windows instead of a network packet."
    ),
    key!(
        ["wsl2.firewall", "experimental.firewall"],
        T::Bool,
        D::Bool(true),
        true,
        Both,
        Unit::None,
        "Apply the Hyper-V firewall rules to the VM."
    ),
    key!(
        ["wsl2.autoProxy", "experimental.autoProxy"],
        T::Bool,
        D::Bool(true),
        "Use the Windows HTTP proxy settings in Linux."
    ),
    key!(
        ["experimental.autoMemoryReclaim"],
        T::Enum(&MEMORY_RECLAIM),
        D::Enum("DropCache"),
        "Give cached memory back to Windows: Disabled, Gradual or DropCache."
    ),
    key!(
        ["experimental.sparseVhd"],
        T::Bool,
        D::Bool(false),
        "Create new distribution VHDs as sparse files."
    ),
    key!(
        ["experimental.bestEffortDnsParsing"],
        T::Bool,
        D::Bool(false),
        "With DNS tunneling, answer malformed DNS requests as well as possible."
    ),
    key!(
        ["experimental.dnsTunnelingIpAddress"],
        T::Ipv4,
        D::Computed("unset; 10.255.255.254 while DNS tunneling is on"),
        "IPv4 address of the DNS tunneling listener in the VM."
    ),
    key!(
        ["experimental.initialAutoProxyTimeout"],
        T::Int,
        D::Int(1000),
        false,
        Both,
        Ms,
        "Milliseconds to wait for the proxy settings at start."
    ),
    key!(
        ["experimental.ignoredPorts"],
        T::PortList,
        D::NoPorts,
        "Ports that Mirrored networking does not bind on Windows, separated by commas."
    ),
    key!(
        ["experimental.hostAddressLoopback"],
        T::Bool,
        D::Bool(false),
        "In Mirrored mode, let the VM and Windows reach each other through the host's addresses."
    ),
    key!(
        ["experimental.setVersionDebug"],
        T::Bool,
        D::Bool(false),
        "Debug output when converting distributions between WSL versions."
    ),
    key!(
        ["experimental.swiotlb"],
        T::Swiotlb,
        D::Unset,
        "Bounce-buffer pool for virtio devices: seed form 0x<base>,<size>K|M, or a memory size."
    ),
    key!(
        ["experimental.virtioFsAggregateShares"],
        T::Bool,
        D::Bool(true),
        false,
        UpstreamAddition,
        Unit::None,
        "One virtiofs device for all shares of an elevation level (added upstream; accepted in both dialects)."
    ),
];

/// Every key by a constant, for the passes and emitters (which must not spell
/// key names). A test checks each constant against the table.
pub mod k {
    use super::KeyId;
    pub const KERNEL: KeyId = KeyId(0);
    pub const KERNEL_COMMAND_LINE: KeyId = KeyId(1);
    pub const KERNEL_MODULES: KeyId = KeyId(2);
    pub const MEMORY: KeyId = KeyId(3);
    pub const PROCESSORS: KeyId = KeyId(4);
    pub const DEBUG_CONSOLE: KeyId = KeyId(5);
    pub const EARLY_BOOT_LOGGING: KeyId = KeyId(6);
    pub const SWAP: KeyId = KeyId(7);
    pub const SWAP_FILE: KeyId = KeyId(8);
    pub const LOCALHOST_FORWARDING: KeyId = KeyId(9);
    pub const NESTED_VIRTUALIZATION: KeyId = KeyId(10);
    pub const VIRTIO9P: KeyId = KeyId(11);
    pub const VIRTIOFS: KeyId = KeyId(12);
    pub const KERNEL_DEBUG_PORT: KeyId = KeyId(13);
    pub const GPU_SUPPORT: KeyId = KeyId(14);
    pub const GUI_APPLICATIONS: KeyId = KeyId(15);
    pub const SYSTEM_DISTRO: KeyId = KeyId(16);
    pub const TELEMETRY: KeyId = KeyId(17);
    pub const VM_IDLE_TIMEOUT: KeyId = KeyId(18);
    pub const DEBUG_CONSOLE_LOG_FILE: KeyId = KeyId(19);
    pub const KERNEL_BOOT_TIMEOUT: KeyId = KeyId(20);
    pub const DISTRIBUTION_START_TIMEOUT: KeyId = KeyId(21);
    pub const VIRTIO: KeyId = KeyId(22);
    pub const HOST_FILE_SYSTEM_ACCESS: KeyId = KeyId(23);
    pub const MOUNT_DEVICE_TIMEOUT: KeyId = KeyId(24);
    pub const HARDWARE_PERFORMANCE_COUNTERS: KeyId = KeyId(25);
    pub const VM_SWITCH: KeyId = KeyId(26);
    pub const MAC_ADDRESS: KeyId = KeyId(27);
    pub const DHCP: KeyId = KeyId(28);
    pub const DHCP_TIMEOUT: KeyId = KeyId(29);
    pub const IPV6: KeyId = KeyId(30);
    pub const DNS_PROXY: KeyId = KeyId(31);
    pub const SAFE_MODE: KeyId = KeyId(32);
    pub const DEFAULT_VHD_SIZE: KeyId = KeyId(33);
    pub const CRASH_DUMP_FOLDER: KeyId = KeyId(34);
    pub const MAX_CRASH_DUMP_COUNT: KeyId = KeyId(35);
    pub const DISTRIBUTION_INSTALL_PATH: KeyId = KeyId(36);
    pub const INSTANCE_IDLE_TIMEOUT: KeyId = KeyId(37);
    pub const LOAD_DEFAULT_KERNEL_MODULES: KeyId = KeyId(38);
    pub const LOAD_KERNEL_MODULES: KeyId = KeyId(39);
    pub const ISOLATE_DISTRO_CGROUP: KeyId = KeyId(40);
    pub const NETWORKING_MODE: KeyId = KeyId(41);
    pub const DNS_TUNNELING: KeyId = KeyId(42);
    pub const FIREWALL: KeyId = KeyId(43);
    pub const AUTO_PROXY: KeyId = KeyId(44);
    pub const AUTO_MEMORY_RECLAIM: KeyId = KeyId(45);
    pub const SPARSE_VHD: KeyId = KeyId(46);
    pub const BEST_EFFORT_DNS_PARSING: KeyId = KeyId(47);
    pub const DNS_TUNNELING_IP_ADDRESS: KeyId = KeyId(48);
    pub const INITIAL_AUTO_PROXY_TIMEOUT: KeyId = KeyId(49);
    pub const IGNORED_PORTS: KeyId = KeyId(50);
    pub const HOST_ADDRESS_LOOPBACK: KeyId = KeyId(51);
    pub const SET_VERSION_DEBUG: KeyId = KeyId(52);
    pub const SWIOTLB: KeyId = KeyId(53);
    pub const VIRTIO_FS_AGGREGATE_SHARES: KeyId = KeyId(54);
}

/// Finds the key one of whose names equals `full_name`, ignoring ASCII case
/// (grammar.md §10).
pub fn lookup(full_name: &str) -> Option<KeyId> {
    KEYS.iter()
        .position(|k| k.names.iter().any(|n| n.eq_ignore_ascii_case(full_name)))
        .map(|i| KeyId(i as u8))
}

/// Looks a key up by its canonical name (exact case).
pub fn key(name: &str) -> KeyId {
    lookup(name).unwrap_or_else(|| panic!("`{name}` is not in the key table"))
}

/// Every key id in table order.
pub fn ids() -> impl Iterator<Item = KeyId> {
    (0..KEYS.len()).map(|i| KeyId(i as u8))
}

/// The sections that hold keys, in first-use order.
pub fn sections() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for name in KEYS.iter().flat_map(|k| k.names.iter()) {
        let s = section_of(name);
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// What each section of `.wslconfig` holds (for hovers and completion).
pub static SECTION_DOCS: &[(&str, &str)] = &[
    (
        "wsl2",
        "Settings of the WSL 2 virtual machine: kernel, memory and processors, devices, networking.",
    ),
    (
        "general",
        "Settings of WSL itself rather than of the virtual machine: where distributions go, how long they idle.",
    ),
    (
        "experimental",
        "Newer settings that may still change; four keys that moved to `[wsl2]` are also accepted here under their old names.",
    ),
];

/// The description of a section (ASCII case-insensitive), if it is one of `.wslconfig`.
pub fn section_doc(section: &str) -> Option<&'static str> {
    SECTION_DOCS
        .iter()
        .find(|(s, _)| s.eq_ignore_ascii_case(section))
        .map(|&(_, doc)| doc)
}

/// The name a key is written with under `[section]` (ASCII case-insensitive):
/// its canonical name or its alias there; `None` when it has no name there.
pub fn name_in_section(key: KeyId, section: &str) -> Option<&'static str> {
    key.spec()
        .names
        .iter()
        .copied()
        .find(|n| section_of(n).eq_ignore_ascii_case(section))
}

/// The keys that can be written under `[section]`, in table order, each with
/// its name there (an aliased key once, under the name of that section).
pub fn section_keys(section: &str) -> impl Iterator<Item = (KeyId, &'static str)> + '_ {
    ids().filter_map(move |id| name_in_section(id, section).map(|n| (id, n)))
}

/// Keys that WSL no longer knows but old documentation still spreads.
pub struct RetiredKey {
    pub name: &'static str,
    pub note: &'static str,
}

pub static RETIRED: &[RetiredKey] = &[
    RetiredKey {
        name: "wsl2.pageReporting",
        note: "`pageReporting` was documented once but is not a setting of current WSL; it has no effect. Free memory is returned to Windows through `[experimental] autoMemoryReclaim`.",
    },
    RetiredKey {
        name: "wsl2.useWindowsDnsCache",
        note: "`useWindowsDnsCache` is not a setting of WSL; it has no effect. DNS tunneling (`dnsTunneling`) already answers through Windows.",
    },
];

/// Sections of `/etc/wsl.conf`, which lives inside the Linux distribution.
pub static WSL_CONF_SECTIONS: &[&str] = &[
    "boot",
    "automount",
    "network",
    "interop",
    "user",
    "filesystem",
    "gpu",
    "time",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_dotted() {
        let mut all: Vec<String> = KEYS
            .iter()
            .flat_map(|k| k.names.iter())
            .map(|n| n.to_ascii_lowercase())
            .collect();
        assert!(all.iter().all(|n| n.matches('.').count() == 1));
        let count = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), count);
        assert_eq!(KEYS.len(), 55);
    }

    #[test]
    fn key_constants_match_the_table() {
        assert_eq!(k::KERNEL.spec().name(), "wsl2.kernel");
        assert_eq!(k::KERNEL_COMMAND_LINE.spec().name(), "wsl2.kernelCommandLine");
        assert_eq!(k::KERNEL_MODULES.spec().name(), "wsl2.kernelModules");
        assert_eq!(k::MEMORY.spec().name(), "wsl2.memory");
        assert_eq!(k::PROCESSORS.spec().name(), "wsl2.processors");
        assert_eq!(k::DEBUG_CONSOLE.spec().name(), "wsl2.debugConsole");
        assert_eq!(k::EARLY_BOOT_LOGGING.spec().name(), "wsl2.earlyBootLogging");
        assert_eq!(k::SWAP.spec().name(), "wsl2.swap");
        assert_eq!(k::SWAP_FILE.spec().name(), "wsl2.swapFile");
        assert_eq!(k::LOCALHOST_FORWARDING.spec().name(), "wsl2.localhostForwarding");
        assert_eq!(k::NESTED_VIRTUALIZATION.spec().name(), "wsl2.nestedVirtualization");
        assert_eq!(k::VIRTIO9P.spec().name(), "wsl2.virtio9p");
        assert_eq!(k::VIRTIOFS.spec().name(), "wsl2.virtiofs");
        assert_eq!(k::KERNEL_DEBUG_PORT.spec().name(), "wsl2.kernelDebugPort");
        assert_eq!(k::GPU_SUPPORT.spec().name(), "wsl2.gpuSupport");
        assert_eq!(k::GUI_APPLICATIONS.spec().name(), "wsl2.guiApplications");
        assert_eq!(k::SYSTEM_DISTRO.spec().name(), "wsl2.systemDistro");
        assert_eq!(k::TELEMETRY.spec().name(), "wsl2.telemetry");
        assert_eq!(k::VM_IDLE_TIMEOUT.spec().name(), "wsl2.vmIdleTimeout");
        assert_eq!(k::DEBUG_CONSOLE_LOG_FILE.spec().name(), "wsl2.debugConsoleLogFile");
        assert_eq!(k::KERNEL_BOOT_TIMEOUT.spec().name(), "wsl2.kernelBootTimeout");
        assert_eq!(
            k::DISTRIBUTION_START_TIMEOUT.spec().name(),
            "wsl2.distributionStartTimeout"
        );
        assert_eq!(k::VIRTIO.spec().name(), "wsl2.virtio");
        assert_eq!(k::HOST_FILE_SYSTEM_ACCESS.spec().name(), "wsl2.hostFileSystemAccess");
        assert_eq!(k::MOUNT_DEVICE_TIMEOUT.spec().name(), "wsl2.mountDeviceTimeout");
        assert_eq!(
            k::HARDWARE_PERFORMANCE_COUNTERS.spec().name(),
            "wsl2.hardwarePerformanceCounters"
        );
        assert_eq!(k::VM_SWITCH.spec().name(), "wsl2.vmSwitch");
        assert_eq!(k::MAC_ADDRESS.spec().name(), "wsl2.macAddress");
        assert_eq!(k::DHCP.spec().name(), "wsl2.dhcp");
        assert_eq!(k::DHCP_TIMEOUT.spec().name(), "wsl2.dhcpTimeout");
        assert_eq!(k::IPV6.spec().name(), "wsl2.ipv6");
        assert_eq!(k::DNS_PROXY.spec().name(), "wsl2.dnsProxy");
        assert_eq!(k::SAFE_MODE.spec().name(), "wsl2.safeMode");
        assert_eq!(k::DEFAULT_VHD_SIZE.spec().name(), "wsl2.defaultVhdSize");
        assert_eq!(k::CRASH_DUMP_FOLDER.spec().name(), "wsl2.crashDumpFolder");
        assert_eq!(k::MAX_CRASH_DUMP_COUNT.spec().name(), "wsl2.maxCrashDumpCount");
        assert_eq!(
            k::DISTRIBUTION_INSTALL_PATH.spec().name(),
            "general.distributionInstallPath"
        );
        assert_eq!(k::INSTANCE_IDLE_TIMEOUT.spec().name(), "general.instanceIdleTimeout");
        assert_eq!(
            k::LOAD_DEFAULT_KERNEL_MODULES.spec().name(),
            "wsl2.loadDefaultKernelModules"
        );
        assert_eq!(k::LOAD_KERNEL_MODULES.spec().name(), "wsl2.loadKernelModules");
        assert_eq!(k::ISOLATE_DISTRO_CGROUP.spec().name(), "wsl2.isolateDistroCgroup");
        assert_eq!(k::NETWORKING_MODE.spec().name(), "wsl2.networkingMode");
        assert_eq!(k::DNS_TUNNELING.spec().name(), "wsl2.dnsTunneling");
        assert_eq!(k::FIREWALL.spec().name(), "wsl2.firewall");
        assert_eq!(k::AUTO_PROXY.spec().name(), "wsl2.autoProxy");
        assert_eq!(k::AUTO_MEMORY_RECLAIM.spec().name(), "experimental.autoMemoryReclaim");
        assert_eq!(k::SPARSE_VHD.spec().name(), "experimental.sparseVhd");
        assert_eq!(
            k::BEST_EFFORT_DNS_PARSING.spec().name(),
            "experimental.bestEffortDnsParsing"
        );
        assert_eq!(
            k::DNS_TUNNELING_IP_ADDRESS.spec().name(),
            "experimental.dnsTunnelingIpAddress"
        );
        assert_eq!(
            k::INITIAL_AUTO_PROXY_TIMEOUT.spec().name(),
            "experimental.initialAutoProxyTimeout"
        );
        assert_eq!(k::IGNORED_PORTS.spec().name(), "experimental.ignoredPorts");
        assert_eq!(
            k::HOST_ADDRESS_LOOPBACK.spec().name(),
            "experimental.hostAddressLoopback"
        );
        assert_eq!(k::SET_VERSION_DEBUG.spec().name(), "experimental.setVersionDebug");
        assert_eq!(k::SWIOTLB.spec().name(), "experimental.swiotlb");
        assert_eq!(
            k::VIRTIO_FS_AGGREGATE_SHARES.spec().name(),
            "experimental.virtioFsAggregateShares"
        );
    }

    #[test]
    fn lookup_is_case_insensitive_and_knows_aliases() {
        assert_eq!(lookup("WSL2.Memory"), Some(key("wsl2.memory")));
        assert_eq!(lookup("experimental.NETWORKINGMODE"), Some(key("wsl2.networkingMode")));
        assert_eq!(lookup("wsl2.autoMemoryReclaim"), None);
        assert_eq!(lookup("wsl2.swiotlb"), None);
    }

    #[test]
    fn valid_value_lists_per_dialect() {
        assert_eq!(
            NETWORKING_MODE.valid_values(Dialect::Upstream).join(", "),
            "Bridged, Consomme, Mirrored, Nat, None, VirtioProxy"
        );
        assert_eq!(
            NETWORKING_MODE.valid_values(Dialect::Seed).join(", "),
            "Bridged, Mirrored, Nat, None, VirtioProxy"
        );
        assert_eq!(
            MEMORY_RECLAIM.valid_values(Dialect::Seed).join(", "),
            "Disabled, DropCache, Gradual"
        );
        assert_eq!(NETWORKING_MODE.display(4, Dialect::Upstream), "Consomme");
        assert_eq!(NETWORKING_MODE.display(4, Dialect::Seed), "VirtioProxy");
    }

    #[test]
    fn sections_are_the_three_of_wslconfig() {
        assert_eq!(sections(), ["wsl2", "general", "experimental"]);
    }

    #[test]
    fn every_section_has_a_doc_and_its_keys() {
        for s in sections() {
            assert!(section_doc(s).is_some(), "{s}");
        }
        assert_eq!(SECTION_DOCS.len(), sections().len());
        let general: Vec<&str> = section_keys("GENERAL").map(|(_, n)| n).collect();
        assert_eq!(
            general,
            ["general.distributionInstallPath", "general.instanceIdleTimeout"]
        );
        let experimental: Vec<KeyId> = section_keys("experimental").map(|(id, _)| id).collect();
        assert!(experimental.contains(&k::NETWORKING_MODE));
        assert_eq!(
            name_in_section(k::NETWORKING_MODE, "experimental"),
            Some("experimental.networkingMode")
        );
        assert_eq!(name_in_section(k::SWIOTLB, "wsl2"), None);
        let total: usize = sections().iter().map(|s| section_keys(s).count()).sum();
        assert_eq!(total, KEYS.iter().map(|k| k.names.len()).sum::<usize>());
    }
}

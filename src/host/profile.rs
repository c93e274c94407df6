//! The host profile: every fact about the Windows host that the passes read
//! (passes.md §1). Field paths are a public contract (`--host-set PATH=VALUE`,
//! docs/host.md): JSON objects nest along the dotted names of the spec.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The processor architecture of the service (passes.md §1.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(rename_all = "lowercase")]
pub enum Arch {
    #[default]
    X64,
    Arm64,
}

/// All host facts. Fields a host file leaves out keep the embedded default
/// (passes.md §1.7).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HostProfile {
    pub arch: Arch,
    pub windows: Windows,
    /// Official (release) build of WSL: the default of `wsl2.telemetry`.
    pub official_build: bool,
    pub memory: Memory,
    pub cpu: Cpu,
    pub hcs: Hcs,
    pub cpuid: Cpuid,
    /// Machine policies (`HKLM\Software\Policies\WSL`), by registry value name.
    /// A value that is absent is *not configured*, which is not the same as 0.
    pub policies: Policies,
    pub services: Services,
    pub nat: Nat,
    /// The WinHTTP proxy APIs load (P18).
    pub win_http_proxy_apis_available: bool,
    pub user: User,
    pub install: Install,
    /// Facts about individual files, keyed by the path as the configuration
    /// spells it (compared ignoring ASCII case). A file not listed exists.
    pub files: BTreeMap<String, FileFacts>,
    /// Fixed drive letters visible to the user, e.g. `["C", "D"]`.
    pub fixed_drives: Vec<String>,
    pub vm: Vm,
    pub pipes: Pipes,
    pub virtiofs: Virtiofs,
    pub guest: Guest,
    pub host: HostRuntime,
    pub wslc: Wslc,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Windows {
    /// `CurrentBuild`, e.g. 26100.
    pub build: u32,
    /// Update build revision (`UBR`).
    pub ubr: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Memory {
    /// At least 1 MiB.
    #[schemars(range(min = 1048576))]
    pub total_physical_bytes: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Cpu {
    /// At least 1.
    #[schemars(range(min = 1))]
    pub logical_processors: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Hcs {
    /// HCS processor capabilities; `NestedVirt` enables nested virtualization (V8).
    pub processor_features: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Cpuid {
    pub child_perfmon_pmu_supported: bool,
    pub child_perfmon_lbr_supported: bool,
}

/// The REG_DWORD values of the policy key; `None` = not configured.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(deny_unknown_fields)]
pub struct Policies {
    #[serde(rename = "AllowKernelUserSetting", skip_serializing_if = "Option::is_none", default)]
    pub allow_kernel_user_setting: Option<u32>,
    #[serde(
        rename = "AllowSystemDistroUserSetting",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub allow_system_distro_user_setting: Option<u32>,
    #[serde(
        rename = "AllowKernelCommandLineUserSetting",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub allow_kernel_command_line_user_setting: Option<u32>,
    #[serde(
        rename = "AllowKernelDebugUserSetting",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub allow_kernel_debug_user_setting: Option<u32>,
    #[serde(
        rename = "AllowNestedVirtualization",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub allow_nested_virtualization: Option<u32>,
    #[serde(rename = "AllowDebugShell", skip_serializing_if = "Option::is_none", default)]
    pub allow_debug_shell: Option<u32>,
    #[serde(
        rename = "AllowNetworkingModeUserSetting",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub allow_networking_mode_user_setting: Option<u32>,
    #[serde(
        rename = "AllowFirewallUserSetting",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub allow_firewall_user_setting: Option<u32>,
    #[serde(rename = "DefaultNetworkingMode", skip_serializing_if = "Option::is_none", default)]
    pub default_networking_mode: Option<u32>,
    #[serde(rename = "AllowInboxWSL", skip_serializing_if = "Option::is_none", default)]
    pub allow_inbox_wsl: Option<u32>,
    #[serde(rename = "AllowWSL", skip_serializing_if = "Option::is_none", default)]
    pub allow_wsl: Option<u32>,
    #[serde(rename = "AllowWSL1", skip_serializing_if = "Option::is_none", default)]
    pub allow_wsl1: Option<u32>,
    #[serde(rename = "AllowDiskMount", skip_serializing_if = "Option::is_none", default)]
    pub allow_disk_mount: Option<u32>,
    #[serde(rename = "AllowWSLContainer", skip_serializing_if = "Option::is_none", default)]
    pub allow_wsl_container: Option<u32>,
}

/// `IsFeatureAllowed` (passes.md §1.3): only an explicit 0 denies.
pub fn denies(policy: Option<u32>) -> bool {
    policy == Some(0)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Services {
    pub global_secure_access_tunneling_running: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Nat {
    pub gateway_ip_address: String,
    pub network: String,
    pub ip_address: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct User {
    pub sid: String,
    pub elevated: bool,
    pub session_id: u32,
    pub profile_dir: String,
    pub temp_dir: String,
    pub local_app_data: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Install {
    pub dir: String,
    pub msi_location: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FileFacts {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub exists: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub size: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Vm {
    /// The VM GUID, with or without braces, either case.
    pub id: String,
    /// Seconds since 1970, only for the WSLC saved-state file name.
    pub start_unix_time: u64,
}

/// Named pipes; upstream makes them random. Absent ones are derived (host/identity.rs).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Pipes {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub debug_console: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub kernel_debug: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub dmesg_early: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub dmesg_virtio: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub telemetry: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Virtiofs {
    /// Tags for the fixed-drive shares, in ascending drive-letter order.
    pub tags: Vec<String>,
}

/// Post-boot facts of the guest (passes.md §1.6); absent = unknown.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Guest {
    /// `[major, minor, patch]`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub kernel_version: Option<[u32; 3]>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub seccomp_available: Option<bool>,
    /// Seed: the kernel consumed `hv_pci_swiotlb=` (absent: assumed true).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub kernel_supports_hv_pci_swiotlb: Option<bool>,
    /// Upstream: the pool the kernel reserved.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub hv_pci_swiotlb_base: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub hv_pci_swiotlb_size: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HostRuntime {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub hyper_v_firewall_supported: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ipv6_disabled_components: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub flow_steering_supported: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub dns_resolver_apis_available: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub nat_network_creatable: Option<bool>,
    pub endpoint: Endpoint,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Endpoint {
    pub ipv4: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub prefix_len: Option<u8>,
    pub gateway: String,
    pub ipv6: String,
}

/// WSLC session settings (passes.md §5).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Wslc {
    /// Default: total memory / 2 MiB.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub memory_mb: Option<u64>,
    /// Default: the logical processor count.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cpu_count: Option<u32>,
    /// DnsTunneling=1, EarlyBootDmesg=2, GPU=4, VirtioFs=8, Debug=16, PortRelayWslRelay=32.
    pub feature_flags: u32,
    /// None=0, NAT=1, Consomme (seed: VirtioProxy)=2.
    pub networking_mode: u32,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub root_vhd_override: Option<String>,
}

impl Default for HostProfile {
    /// The embedded default profile (passes.md §1.7): the host of the spec's
    /// worked examples.
    fn default() -> Self {
        HostProfile {
            arch: Arch::X64,
            windows: Windows { build: 26100, ubr: 0 },
            official_build: true,
            memory: Memory {
                total_physical_bytes: 32 << 30,
            },
            cpu: Cpu { logical_processors: 16 },
            hcs: Hcs {
                processor_features: vec!["NestedVirt".to_owned()],
            },
            cpuid: Cpuid {
                child_perfmon_pmu_supported: true,
                child_perfmon_lbr_supported: true,
            },
            policies: Policies::default(),
            services: Services {
                global_secure_access_tunneling_running: false,
            },
            nat: Nat::default(),
            win_http_proxy_apis_available: true,
            user: User {
                sid: "S-1-5-21-1111111111-2222222222-3333333333-1001".to_owned(),
                elevated: false,
                session_id: 1,
                profile_dir: r"C:\Users\user".to_owned(),
                temp_dir: r"C:\Users\user\AppData\Local\Temp".to_owned(),
                local_app_data: r"C:\Users\user\AppData\Local".to_owned(),
            },
            install: Install {
                dir: r"C:\Program Files\WSL".to_owned(),
                msi_location: r"C:\Program Files\WSL".to_owned(),
            },
            files: BTreeMap::new(),
            fixed_drives: vec!["C".to_owned()],
            vm: Vm {
                id: "3F2504E0-4F89-11D3-9A0C-0305E82C3301".to_owned(),
                start_unix_time: 0,
            },
            pipes: Pipes::default(),
            virtiofs: Virtiofs::default(),
            guest: Guest::default(),
            host: HostRuntime::default(),
            wslc: Wslc::default(),
        }
    }
}

impl HostProfile {
    /// `isWin11`.
    pub fn is_win11(&self) -> bool {
        self.windows.build >= 22000
    }

    pub fn virtio_serial_supported(&self) -> bool {
        self.windows.build != 22000 || self.windows.ubr >= 40
    }

    // Written as the spec states the predicate (passes.md §1.1).
    #[allow(clippy::manual_range_contains)]
    pub fn vmmem_suffix_supported(&self) -> bool {
        let (b, u) = (self.windows.build, self.windows.ubr);
        b >= 22420 || (b < 22350 && b >= 22138) || (b == 22000 && u >= 71)
    }

    /// `densityMemorySupported` for WSL2 (literally this disjunction).
    pub fn density_memory_supported(&self) -> bool {
        let (b, u) = (self.windows.build, self.windows.ubr);
        b >= 26100 || (b >= 22000 && u >= 2360) || (b >= 20348 && u >= 1970) || (b >= 19045 && u >= 3393)
    }

    /// `densityMemorySupported` for WSLC.
    pub fn density_memory_supported_wslc(&self) -> bool {
        self.windows.build >= 26100
    }

    /// The facts the profile gives about a file (ASCII case-insensitive path).
    pub fn file(&self, path: &str) -> FileFacts {
        self.files
            .iter()
            .find(|(p, _)| p.eq_ignore_ascii_case(path))
            .map(|(_, f)| f.clone())
            .unwrap_or_default()
    }

    /// A file the profile says nothing about exists.
    pub fn file_exists(&self, path: &str) -> bool {
        self.file(path).exists.unwrap_or(true)
    }

    /// The machine id: the VM GUID in uppercase without braces.
    pub fn machine_id(&self) -> String {
        self.vm.id.trim_matches(|c| c == '{' || c == '}').to_ascii_uppercase()
    }
}

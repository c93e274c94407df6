//! Virtio device records for the launcher (outputs.md §C and §D): the
//! `(DeviceId, ClassId, NameWithOptions, Path, Flags)` tuples of the string
//! era, in the order of §D, plus what each depends on at run time.

use super::{WslcSession, swiotlb_is_set, wslc_mode};
use crate::bind::Swiotlb;
use crate::host::{HostProfile, identity};
use crate::passes::effective::mode;
use crate::passes::{Effective, SystemDistro, VmBuild};
pub use crate::plan::{DeviceKind, DeviceRecord};
use crate::registry::{Dialect, k};
use std::net::Ipv4Addr;

pub const VIRTIO_FS_DEVICE_ID: &str = "872270E1-A899-4AF6-B454-7193634435AD";
pub const VIRTIO_FS_CLASS_ID: &str = "60285AE6-AAF3-4456-B444-A6C2D0DEDA38";
pub const VIRTIO_FS_ADMIN_CLASS_ID: &str = "7E6AD219-D1B3-42D5-B8EE-D96324E64FF6";
pub const VIRTIO_NET_DEVICE_ID: &str = "F07010D0-0EA9-447F-88EF-BD952A4D2F14";
pub const SEED_VIRTIO_NET_CLASS_ID: &str = "16479D2E-F0C3-4DBA-BF7A-04FFF0892B07";
pub const UPSTREAM_VIRTIO_NET_CLASS_ID: &str = "9E0D1898-CA63-424E-8D49-9D6067A36BCE";
pub const VIRTIO_PMEM_DEVICE_ID: &str = "EDBB24BB-5E19-40F4-8A0F-8224313064FD";
pub const VIRTIO_PMEM_CLASS_ID: &str = "ABB755FC-1B86-4255-83E2-E5787ABCF6C2";

pub const VIRTIO_FS_FLAGS_TYPE_FILES: u32 = 0x8000;
pub const VIRTIO_FS_FLAGS_TYPE_SECTIONS: u32 = 0x4000;
/// `WSLG_SHARED_MEMORY_SIZE_MB`.
pub const WSLG_SHARED_MEMORY_SIZE_MB: u32 = 8192;
/// Read-only pmem.
pub const PMEM_FLAGS_READ_ONLY: u32 = 1;

/// The runtime fact a record's swiotlb token depends on (R1).
pub const REQUIRES_GUEST_SWIOTLB: &str = "guest.swiotlb";

/// The fixed options of a WSL2 fixed-drive share, before canonicalisation.
const DRVFS_OPTIONS: &str = ";uid=1000;gid=1000;symlinkroot=/mnt/";
const LOOPBACK_PATH_SEED: &str = "client_ip=127.0.0.1;client_mac=00:11:22:33:44:55";
const LOOPBACK_PATH_UPSTREAM: &str =
    "client_ip=127.0.0.1;client_mac=00:11:22:33:44:55;gateway_ip=169.254.73.249;netmask=255.255.255.248";
const WSLC_LOOPBACK_PATH: &str =
    "client_ip=169.254.73.250;client_mac=00:11:22:33:44:55;gateway_ip=169.254.73.249;netmask=255.255.255.248";

/// A value that would land in a device option string and change its
/// meaning there (`;`, `=` in a name, a control character).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadDeviceValue {
    /// Where the value comes from: a host-profile field path (`vm.id`,
    /// `virtiofs.tags`, `host.endpoint.ipv4`, …) or a key name.
    pub source: String,
    pub value: String,
    /// What is wrong, e.g. "contains `;`".
    pub problem: String,
}

/// The VM-id option key (§C.1, ambiguity E1): seed `vmId`, upstream `vm_id`.
pub fn vm_id_key(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Seed => "vmId",
        Dialect::Upstream => "vm_id",
    }
}

/// The WSL2 device records in the order of §D: pmem system distro, the
/// fixed-drive virtiofs shares of the user's elevation, eth0 and loopback0
/// (mode 4), the WSLg shared-memory device.
pub fn wsl2_devices(eff: &Effective, vm: &VmBuild, host: &HostProfile, dialect: Dialect) -> Vec<DeviceRecord> {
    wsl2_build(eff, vm, host, dialect).records
}

/// The WSLC device records: eth0 and loopback0 for Consomme networking
/// (§C.3). Shares are added by the session at run time: see [`wslc_share`].
pub fn wslc_devices(host: &HostProfile, dialect: Dialect) -> Vec<DeviceRecord> {
    wslc_build(host, dialect).records
}

/// The values of [`wsl2_devices`]' option strings that would change their
/// meaning; the caller reports them as an error.
pub fn check_device_values(eff: &Effective, vm: &VmBuild, host: &HostProfile, dialect: Dialect) -> Vec<BadDeviceValue> {
    wsl2_build(eff, vm, host, dialect).bad
}

/// The same check for [`wslc_devices`].
pub fn check_wslc_device_values(host: &HostProfile, dialect: Dialect) -> Vec<BadDeviceValue> {
    wslc_build(host, dialect).bad
}

/// Whether R1 reports RUN001 for a WSL2 VM: swiotlb is set, and **[seed]**
/// (range form) the guest says its kernel does not support it, or
/// **[upstream]** (and the size form) guest pool facts are given but the base
/// or the size is 0 (or missing). No guest facts at all: no report.
pub fn runtime_swiotlb_unsupported(eff: &Effective, host: &HostProfile, dialect: Dialect) -> bool {
    let s = eff.swiotlb();
    if !swiotlb_is_set(s) {
        return false;
    }
    let g = &host.guest;
    match (dialect, s) {
        (Dialect::Seed, Swiotlb::Range { .. }) => g.kernel_supports_hv_pci_swiotlb == Some(false),
        _ => (g.hv_pci_swiotlb_base.is_some() || g.hv_pci_swiotlb_size.is_some()) && guest_pool_token(host).is_none(),
    }
}

/// A WSLC share device (§C.3) for a share the session adds: options `ro`,
/// the swiotlb token, **[upstream]** `vcpus=1`, in that order and not
/// canonicalised; the path as given. The share GUID becomes the access name:
/// the caller makes sure it is a GUID (no `;`, `=` or control characters).
pub fn wslc_share(
    share_guid: &str,
    windows_path: &str,
    read_only: bool,
    host: &HostProfile,
    dialect: Dialect,
) -> DeviceRecord {
    let mut b = Builder::new(host, dialect);
    let sw = wslc_sw(&WslcSession::from_host(host), host, dialect);
    let tag = identity::bare_lower(share_guid);
    let mut options = Vec::new();
    if read_only {
        options.push("ro".to_owned());
    }
    options.extend(sw.token.clone());
    if dialect == Dialect::Upstream {
        options.push("vcpus=1".to_owned());
    }
    b.push(
        DeviceKind::Virtiofs,
        VIRTIO_FS_DEVICE_ID,
        virtiofs_class(host),
        &tag,
        &options,
        windows_path.to_owned(),
        VIRTIO_FS_FLAGS_TYPE_FILES,
        sw.requires,
    );
    b.records.pop().expect("one record was pushed")
}

/// Canonical virtiofs options (§C.2.2): split on `;`, drop empty pieces and
/// empty keys, keep the first value of a key, sort keys by UTF-16 code
/// units, write `key` or `key=value`, join with `;`.
pub fn canonical_options(text: &str) -> String {
    let mut entries: Vec<(&str, &str)> = Vec::new();
    for piece in text.split(';').filter(|p| !p.is_empty()) {
        let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
        if key.is_empty() || entries.iter().any(|(k, _)| *k == key) {
            continue;
        }
        entries.push((key, value));
    }
    entries.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    entries
        .iter()
        .map(|(k, v)| {
            if v.is_empty() {
                (*k).to_owned()
            } else {
                format!("{k}={v}")
            }
        })
        .collect::<Vec<_>>()
        .join(";")
}

// ---------------------------------------------------------------- internals

/// The swiotlb token `SW` of §C.2 and whether it depends on the guest.
#[derive(Default)]
struct Sw {
    token: Option<String>,
    requires: bool,
}

/// `swiotlb=0x<base>,<size>` from the guest-published pool, when both are
/// given and non-zero.
fn guest_pool_token(host: &HostProfile) -> Option<String> {
    match (host.guest.hv_pci_swiotlb_base, host.guest.hv_pci_swiotlb_size) {
        (Some(base), Some(size)) if base != 0 && size != 0 => Some(format!("swiotlb=0x{base:x},{size}")),
        _ => None,
    }
}

/// WSL2's SW (R1): seed range form from the configuration unless the guest
/// says its kernel lacks support; otherwise (upstream, or the size form)
/// from the guest pool.
fn wsl2_sw(eff: &Effective, host: &HostProfile, dialect: Dialect) -> Sw {
    let s = eff.swiotlb();
    let set = swiotlb_is_set(s);
    match (dialect, s) {
        (Dialect::Seed, Swiotlb::Range { raw, .. }) if set => Sw {
            token: (host.guest.kernel_supports_hv_pci_swiotlb != Some(false)).then(|| format!("swiotlb={raw}")),
            requires: true,
        },
        (Dialect::Seed, _) if !set => Sw::default(),
        _ => {
            let token = guest_pool_token(host);
            Sw {
                requires: set || token.is_some(),
                token,
            }
        }
    }
}

/// WSLC's SW (§C.3): seed uses the computed default directly; upstream the
/// guest-published pool.
fn wslc_sw(session: &WslcSession, host: &HostProfile, dialect: Dialect) -> Sw {
    let default = session.swiotlb(dialect);
    match (dialect, &default) {
        (Dialect::Seed, Swiotlb::Range { raw, .. }) => Sw {
            token: Some(format!("swiotlb={raw}")),
            requires: false,
        },
        (Dialect::Seed, _) => Sw::default(),
        (Dialect::Upstream, _) => {
            let token = guest_pool_token(host);
            Sw {
                requires: swiotlb_is_set(&default) || token.is_some(),
                token,
            }
        }
    }
}

fn virtiofs_class(host: &HostProfile) -> &'static str {
    if host.user.elevated {
        VIRTIO_FS_ADMIN_CLASS_ID
    } else {
        VIRTIO_FS_CLASS_ID
    }
}

fn net_class(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Seed => SEED_VIRTIO_NET_CLASS_ID,
        Dialect::Upstream => UPSTREAM_VIRTIO_NET_CLASS_ID,
    }
}

/// Records plus the checked values that went into their option strings.
struct Builder<'a> {
    host: &'a HostProfile,
    dialect: Dialect,
    machine_id: String,
    records: Vec<DeviceRecord>,
    bad: Vec<BadDeviceValue>,
}

impl<'a> Builder<'a> {
    fn new(host: &'a HostProfile, dialect: Dialect) -> Self {
        Builder {
            host,
            dialect,
            machine_id: host.machine_id(),
            records: Vec::new(),
            bad: Vec::new(),
        }
    }

    /// A value after `key=`: `;` and control characters change the meaning.
    fn value(&mut self, source: &str, value: &str) {
        self.check(source, value, false);
    }

    /// An access name: `=` changes the meaning as well.
    fn name(&mut self, source: &str, value: &str) {
        self.check(source, value, true);
    }

    fn check(&mut self, source: &str, value: &str, is_name: bool) {
        let problem = if value.contains(';') {
            "contains `;`"
        } else if is_name && value.contains('=') {
            "contains `=`"
        } else if value.chars().any(char::is_control) {
            "contains a control character"
        } else {
            return;
        };
        self.report(source, value, problem);
    }

    fn report(&mut self, source: &str, value: &str, problem: &str) {
        let bad = BadDeviceValue {
            source: source.to_owned(),
            value: value.to_owned(),
            problem: problem.to_owned(),
        };
        if !self.bad.contains(&bad) {
            self.bad.push(bad);
        }
    }

    /// Adds a record whose name is `access` + non-empty `options` + the VM-id
    /// token (§C.1).
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: DeviceKind,
        device_id: &str,
        class_id: &str,
        access: &str,
        options: &[String],
        path: String,
        flags: u32,
        requires_swiotlb: bool,
    ) {
        let id = self.machine_id.clone();
        self.value("vm.id", &id);
        let mut name = access.to_owned();
        for option in options.iter().filter(|o| !o.is_empty()) {
            name.push(';');
            name.push_str(option);
        }
        name.push_str(&format!(";{}={}", vm_id_key(self.dialect), self.machine_id));
        self.records.push(DeviceRecord {
            kind,
            device_id: device_id.to_owned(),
            class_id: class_id.to_owned(),
            name_with_options: name,
            path,
            flags,
            requires: if requires_swiotlb {
                vec![REQUIRES_GUEST_SWIOTLB.to_owned()]
            } else {
                Vec::new()
            },
        });
    }

    /// The SW token's user-supplied text, checked as an option value.
    fn check_sw(&mut self, sw: &Sw, source: &str) {
        if let Some(token) = &sw.token {
            let value = token.trim_start_matches("swiotlb=").to_owned();
            self.value(source, &value);
        }
    }

    /// eth0, then loopback0 when `loopback` is given (§C.2.6).
    fn virtio_net(&mut self, sw: &Sw, loopback: Option<&str>) {
        let path = self.eth0_path();
        let options: Vec<String> = sw.token.iter().cloned().collect();
        let class = net_class(self.dialect);
        self.push(
            DeviceKind::VirtioNet,
            VIRTIO_NET_DEVICE_ID,
            class,
            "eth0",
            &options,
            path,
            0,
            sw.requires,
        );
        if let Some(path) = loopback {
            self.push(
                DeviceKind::VirtioNet,
                VIRTIO_NET_DEVICE_ID,
                class,
                "loopback0",
                &options,
                path.to_owned(),
                0,
                sw.requires,
            );
        }
    }

    /// The eth0 network option text from `host.endpoint` (§C.2.6).
    fn eth0_path(&mut self) -> String {
        let ep = &self.host.host.endpoint;
        let mut pieces: Vec<(&str, String)> = Vec::new();
        if self.dialect == Dialect::Upstream
            && let Some(prefix) = ep.prefix_len
        {
            if prefix > 32 {
                self.report("host.endpoint.prefixLen", &prefix.to_string(), "is above 32");
            }
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix.min(32))).unwrap_or(0);
            pieces.push(("netmask", Ipv4Addr::from(mask).to_string()));
        }
        for (key, source, value) in [
            ("client_ip", "host.endpoint.ipv4", &ep.ipv4),
            ("gateway_ip", "host.endpoint.gateway", &ep.gateway),
            ("client_ip_ipv6", "host.endpoint.ipv6", &ep.ipv6),
        ] {
            if !value.is_empty() {
                pieces.push((key, value.clone()));
                self.value(source, value);
            }
        }
        pieces
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(";")
    }
}

/// The result of building the device list.
struct Built {
    records: Vec<DeviceRecord>,
    bad: Vec<BadDeviceValue>,
}

fn wsl2_build(eff: &Effective, vm: &VmBuild, host: &HostProfile, dialect: Dialect) -> Built {
    let mut b = Builder::new(host, dialect);
    let sw = wsl2_sw(eff, host, dialect);
    let sw_source = k::SWIOTLB.spec().name();

    // C.2.5.
    if let SystemDistro::Pmem { path, .. } = &vm.system_distro {
        b.push(
            DeviceKind::Pmem,
            VIRTIO_PMEM_DEVICE_ID,
            VIRTIO_PMEM_CLASS_ID,
            "",
            &[],
            path.clone(),
            PMEM_FLAGS_READ_ONLY,
            false,
        );
    }

    // C.2.1 / C.2.2.
    if eff.bool(k::VIRTIOFS) && eff.bool(k::HOST_FILE_SYSTEM_ACCESS) {
        let mut text = DRVFS_OPTIONS.to_owned();
        if let Some(token) = &sw.token {
            text.push(';');
            text.push_str(token);
        }
        if dialect == Dialect::Upstream {
            text.push_str(";vcpus=1");
        }
        let options = [canonical_options(&text)];
        for (letter, tag) in identity::share_tags(host) {
            b.check_sw(&sw, sw_source);
            b.name("virtiofs.tags", &tag);
            b.push(
                DeviceKind::Virtiofs,
                VIRTIO_FS_DEVICE_ID,
                virtiofs_class(host),
                &tag,
                &options,
                format!("{letter}:\\"),
                VIRTIO_FS_FLAGS_TYPE_FILES,
                sw.requires,
            );
        }
    }

    // C.2.6.
    if eff.networking_mode() == mode::VIRTIO_PROXY {
        let loopback = match dialect {
            Dialect::Seed => LOOPBACK_PATH_SEED,
            Dialect::Upstream => LOOPBACK_PATH_UPSTREAM,
        };
        b.check_sw(&sw, sw_source);
        b.virtio_net(&sw, eff.bool(k::LOCALHOST_FORWARDING).then_some(loopback));
    }

    // C.2.4.
    if eff.bool(k::GUI_APPLICATIONS) && eff.bool(k::VIRTIO) {
        let path = format!(
            "\\Sessions\\{}\\BaseNamedObjects\\WSL\\{}\\wslg",
            host.user.session_id, b.machine_id
        );
        b.push(
            DeviceKind::VirtiofsShm,
            VIRTIO_FS_DEVICE_ID,
            virtiofs_class(host),
            "wslg",
            &[],
            path,
            (WSLG_SHARED_MEMORY_SIZE_MB << 16) | VIRTIO_FS_FLAGS_TYPE_SECTIONS,
            false,
        );
    }

    Built {
        records: b.records,
        bad: b.bad,
    }
}

fn wslc_build(host: &HostProfile, dialect: Dialect) -> Built {
    let session = WslcSession::from_host(host);
    let mut b = Builder::new(host, dialect);
    if session.networking_mode == wslc_mode::CONSOMME {
        let sw = wslc_sw(&session, host, dialect);
        let loopback = dialect == Dialect::Upstream && !session.has(super::feature::PORT_RELAY_WSL_RELAY);
        b.virtio_net(&sw, loopback.then_some(WSLC_LOOPBACK_PATH));
    }
    Built {
        records: b.records,
        bad: b.bad,
    }
}

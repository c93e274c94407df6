//! What the plan asks for, read from the plan alone: `plan.hcs` (the HCS ComputeSystem document),
//! `plan.devices` (the virtio device records) and `plan.effective` (the networking mode). Pure: no
//! file system, no processes. Everything the plan asks for that a host cannot provide is an error
//! here; everything it can only approximate is a [`Notice`].

use super::error::LaunchError;
use crate::plan::{DeviceKind, DeviceRecord, Plan};
use serde_json::{Map, Value};
use std::path::PathBuf;

/// The key of the networking mode in `plan.effective`: a name of the plan contract. The launcher may
/// not see the key registry, so it spells the name itself; `tests/docs_drift.rs` checks that it is
/// the registry's canonical name.
pub const NETWORKING_MODE_KEY: &str = "wsl2.networkingMode";

/// How loudly a notice is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Something the plan asks for is approximated or dropped.
    Warning,
    /// Understood, and deliberately without effect on this backend.
    Note,
}

/// One thing the launcher tells the user about the mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub level: Level,
    pub text: String,
}

impl Notice {
    pub fn warning(text: impl Into<String>) -> Notice {
        Notice {
            level: Level::Warning,
            text: text.into(),
        }
    }

    pub fn note(text: impl Into<String>) -> Notice {
        Notice {
            level: Level::Note,
            text: text.into(),
        }
    }
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.level {
            Level::Warning => "warning",
            Level::Note => "note",
        };
        write!(f, "{level}: {}", self.text)
    }
}

/// Maps Windows path prefixes of the plan onto host directories (`--map-path`). A plan compiled
/// against a Windows host profile names `C:\…` paths; this backend runs on Linux.
#[derive(Clone, Debug, Default)]
pub struct PathMap {
    /// (normalised Windows prefix, host directory), longest prefix first.
    rules: Vec<(String, PathBuf)>,
}

/// `C:\x`, `c:/x`, `\\server\share`, `\x`: a path only Windows can open.
pub fn is_windows_path(path: &str) -> bool {
    let b = path.as_bytes();
    (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':') || path.starts_with('\\')
}

fn normalise(prefix: &str) -> String {
    prefix.replace('/', "\\").to_ascii_lowercase()
}

impl PathMap {
    /// Parses `WINDOWS_PREFIX=DIR` rules.
    pub fn parse<S: AsRef<str>>(rules: &[S]) -> Result<PathMap, LaunchError> {
        let mut map = PathMap::default();
        for rule in rules {
            let rule = rule.as_ref();
            let Some((from, to)) = rule.split_once('=') else {
                return Err(LaunchError::input(format!(
                    "--map-path `{rule}`: expected WINDOWS_PREFIX=DIR"
                )));
            };
            if !is_windows_path(from) || to.is_empty() {
                return Err(LaunchError::input(format!(
                    "--map-path `{rule}`: the prefix must be a Windows path (`C:\\…`) and DIR non-empty"
                )));
            }
            let mut from = normalise(from);
            while from.ends_with('\\') {
                from.pop();
            }
            map.rules.push((from, PathBuf::from(to)));
        }
        map.rules.sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
        Ok(map)
    }

    /// The host path for a path of the plan; `what` names it in errors.
    pub fn host_path(&self, path: &str, what: &str) -> Result<PathBuf, LaunchError> {
        if !is_windows_path(path) {
            return Ok(PathBuf::from(path));
        }
        let norm = normalise(path);
        for (from, to) in &self.rules {
            let rest = if norm == *from {
                Some("")
            } else if norm.starts_with(from.as_str()) && norm.as_bytes()[from.len()] == b'\\' {
                Some(&path[from.len() + 1..])
            } else {
                None
            };
            if let Some(rest) = rest {
                let mut out = to.clone();
                for part in rest.split(['\\', '/']).filter(|p| !p.is_empty()) {
                    out.push(part);
                }
                return Ok(out);
            }
        }
        Err(LaunchError::input(format!(
            "{what} `{path}` is a Windows path, which the QEMU backend cannot open"
        ))
        .with_help(format!(
            "map it onto a host directory, e.g. --map-path '{}=/some/dir'",
            windows_root(path)
        )))
    }
}

/// `C:` of `C:\x\y`, or the path itself for UNC and rooted paths.
fn windows_root(path: &str) -> &str {
    let b = path.as_bytes();
    if b.len() >= 2 && b[1] == b':' { &path[..2] } else { path }
}

/// A serial port of the guest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SerialPort {
    /// The HCS key: the COM port index (0 = COM1 = ttyS0) or the virtio serial port number.
    pub index: u32,
    /// `Name` of a virtio serial port (`hvc0`), or `ttyS<index>` for a COM port.
    pub name: String,
    /// A virtio console (`ConsoleSupport`), shown in the guest as `/dev/hvcN`.
    pub console: bool,
}

/// A SCSI attachment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disk {
    pub controller: u32,
    pub lun: u32,
    pub path: PathBuf,
    pub read_only: bool,
}

/// Guest networking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Network {
    /// No network adapter.
    None,
    /// User-mode networking (QEMU's slirp): one virtio-net adapter per entry.
    User(Vec<UserNic>),
}

/// One user-mode virtio-net adapter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserNic {
    /// The guest interface the plan meant (`eth0`).
    pub name: String,
    pub mac: Option<String>,
    /// `(network/prefix, gateway, first DHCP address)` from the record's endpoint, when complete.
    pub addressing: Option<(String, String, String)>,
}

/// A virtiofs share (one device host each).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Share {
    /// The guest mounts the share by this tag: the record's access name.
    pub tag: String,
    pub path: PathBuf,
    /// Request queues (`vcpus=` token).
    pub queues: Option<u32>,
}

/// Everything the backend starts, in backend-neutral terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VmSpec {
    pub memory_mb: u64,
    pub processors: u32,
    pub kernel: PathBuf,
    pub initrd: Option<PathBuf>,
    /// The kernel command line, verbatim.
    pub cmdline: String,
    /// `StopOnReset`: a guest reboot (and so a panic with `panic=-1`) ends the VM.
    pub stop_on_reset: bool,
    pub com_ports: Vec<SerialPort>,
    pub virtio_ports: Vec<SerialPort>,
    pub disks: Vec<Disk>,
    /// `Devices.HvSocket` is present.
    pub hv_socket: bool,
    pub network: Network,
    pub shares: Vec<Share>,
}

fn at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, k| v.get(*k))
}

fn missing(path: &str) -> LaunchError {
    LaunchError::input(format!("the plan's HCS document has no `{path}`"))
}

fn object<'a>(value: Option<&'a Value>, path: &str) -> Result<Option<&'a Map<String, Value>>, LaunchError> {
    match value {
        None => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(_) => Err(LaunchError::input(format!(
            "`{path}` in the plan's HCS document is not an object"
        ))),
    }
}

/// The entries of a map keyed by decimal strings, in numeric order (`"10"` after `"2"`).
fn numbered<'a>(map: &'a Map<String, Value>, path: &str) -> Result<Vec<(u32, &'a Value)>, LaunchError> {
    let mut out = Vec::with_capacity(map.len());
    for (k, v) in map {
        let n = k
            .parse::<u32>()
            .map_err(|_| LaunchError::input(format!("`{path}` has the key `{k}`, not a decimal number")))?;
        out.push((n, v));
    }
    out.sort_by_key(|(n, _)| *n);
    Ok(out)
}

fn string<'a>(value: &'a Value, field: &str, path: &str) -> Result<&'a str, LaunchError> {
    value
        .get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| missing(&format!("{path}.{field}")))
}

/// Fields of the HCS document this backend reads or deliberately ignores (Hyper-V tuning, security
/// descriptors, named pipe names). Anything else is reported as not mapped.
const KNOWN_TOP: &[&str] = &[
    "Owner",
    "SchemaVersion",
    "ShouldTerminateOnLastHandleClosed",
    "VirtualMachine",
];
const KNOWN_VM: &[&str] = &["Chipset", "ComputeTopology", "DebugOptions", "Devices", "StopOnReset"];
const KNOWN_DEVICES: &[&str] = &["Battery", "ComPorts", "HvSocket", "Plan9", "Scsi", "VirtioSerial"];

fn report_unknown(map: Option<&Map<String, Value>>, known: &[&str], path: &str, notices: &mut Vec<Notice>) {
    for key in map.into_iter().flat_map(|m| m.keys()) {
        if !known.contains(&key.as_str()) {
            notices.push(Notice::warning(format!(
                "`{path}{key}` is not mapped by the QEMU backend and has no effect"
            )));
        }
    }
}

/// Reads the plan into a [`VmSpec`], with the notices of everything approximated or dropped.
pub fn from_plan(plan: &Plan, paths: &PathMap) -> Result<(VmSpec, Vec<Notice>), LaunchError> {
    let mut notices = Vec::new();
    let hcs = &plan.hcs;
    report_unknown(hcs.as_object(), KNOWN_TOP, "", &mut notices);
    let vm = hcs.get("VirtualMachine").ok_or_else(|| missing("VirtualMachine"))?;
    report_unknown(vm.as_object(), KNOWN_VM, "VirtualMachine.", &mut notices);

    let memory_mb = at(vm, &["ComputeTopology", "Memory", "SizeInMB"])
        .and_then(Value::as_u64)
        .filter(|m| *m > 0)
        .ok_or_else(|| missing("VirtualMachine.ComputeTopology.Memory.SizeInMB"))?;
    let processors = at(vm, &["ComputeTopology", "Processor", "Count"])
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| *n > 0)
        .ok_or_else(|| missing("VirtualMachine.ComputeTopology.Processor.Count"))?;

    let chipset = vm.get("Chipset").ok_or_else(|| missing("VirtualMachine.Chipset"))?;
    let Some(direct) = chipset.get("LinuxKernelDirect") else {
        if chipset.get("Uefi").is_some() {
            return Err(LaunchError::input(
                "unsupported plan: it boots through UEFI (`Chipset.Uefi`, an arm64 plan); the QEMU backend \
                 boots x64 plans with `Chipset.LinuxKernelDirect` only",
            ));
        }
        return Err(missing("VirtualMachine.Chipset.LinuxKernelDirect"));
    };
    let kernel_path = string(direct, "KernelFilePath", "VirtualMachine.Chipset.LinuxKernelDirect")?;
    let kernel = paths.host_path(kernel_path, "the kernel")?;
    let initrd = match direct.get("InitRdPath").and_then(Value::as_str) {
        Some(p) if !p.is_empty() => Some(paths.host_path(p, "the initrd")?),
        _ => None,
    };
    let cmdline = direct
        .get("KernelCmdLine")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    if cmdline != plan.kernel_command_line {
        return Err(LaunchError::input(
            "the plan is inconsistent: `kernelCommandLine` differs from the HCS document's `KernelCmdLine`",
        ));
    }
    let stop_on_reset = vm.get("StopOnReset").and_then(Value::as_bool).unwrap_or(false);

    let devices = object(vm.get("Devices"), "VirtualMachine.Devices")?;
    report_unknown(devices, KNOWN_DEVICES, "VirtualMachine.Devices.", &mut notices);
    let device = |name: &str| devices.and_then(|d| d.get(name));

    let mut com_ports = Vec::new();
    if let Some(ports) = object(device("ComPorts"), "Devices.ComPorts")? {
        for (index, _) in numbered(ports, "Devices.ComPorts")? {
            if index > 3 {
                notices.push(Notice::warning(format!(
                    "COM port {index} is dropped: the emulated PC has four (0–3)"
                )));
                continue;
            }
            com_ports.push(SerialPort {
                index,
                name: format!("ttyS{index}"),
                console: false,
            });
        }
    }

    let mut virtio_ports = Vec::new();
    if let Some(serial) = object(device("VirtioSerial"), "Devices.VirtioSerial")?
        && let Some(ports) = object(serial.get("Ports"), "Devices.VirtioSerial.Ports")?
    {
        for (index, port) in numbered(ports, "Devices.VirtioSerial.Ports")? {
            let console = port.get("ConsoleSupport").and_then(Value::as_bool).unwrap_or(false);
            let name = port
                .get("Name")
                .and_then(Value::as_str)
                .map_or_else(|| format!("vport{index}"), str::to_owned);
            virtio_ports.push(SerialPort { index, name, console });
        }
    }

    let mut disks = Vec::new();
    if let Some(scsi) = object(device("Scsi"), "Devices.Scsi")? {
        for (controller, c) in numbered(scsi, "Devices.Scsi")? {
            let path = format!("Devices.Scsi.{controller}.Attachments");
            let Some(attachments) = object(c.get("Attachments"), &path)? else {
                continue;
            };
            for (lun, a) in numbered(attachments, &path)? {
                let here = format!("{path}.{lun}");
                let kind = a.get("Type").and_then(Value::as_str).unwrap_or("");
                if kind != "VirtualDisk" {
                    return Err(LaunchError::input(format!(
                        "unsupported SCSI attachment `{here}`: type `{kind}` (the QEMU backend attaches `VirtualDisk`s)"
                    )));
                }
                let file = string(a, "Path", &here)?;
                disks.push(Disk {
                    controller,
                    lun,
                    path: paths.host_path(file, &format!("the disk `{here}`"))?,
                    read_only: a.get("ReadOnly").and_then(Value::as_bool).unwrap_or(false),
                });
            }
        }
    }

    if let Some(plan9) = object(device("Plan9"), "Devices.Plan9")?
        && !plan9.is_empty()
    {
        notices.push(Notice::warning(
            "Plan 9 shares in `Devices.Plan9` are not mapped (only virtiofs device records are)",
        ));
    }
    let hv_socket = device("HvSocket").is_some();

    let mut shares = Vec::new();
    let mut nets: Vec<&DeviceRecord> = Vec::new();
    for (i, record) in plan.devices.iter().enumerate() {
        match record.kind {
            DeviceKind::Virtiofs => shares.push(share(i, record, paths, &mut notices)?),
            DeviceKind::VirtioNet => nets.push(record),
            DeviceKind::VirtiofsShm => notices.push(Notice::warning(format!(
                "device record {i} (virtiofs-shm `{}`, the WSLg shared-memory section `{}`) is skipped: \
                 a Windows section object has no QEMU equivalent, so GUI applications are unavailable",
                access_name(record),
                record.path
            ))),
            DeviceKind::Pmem => {
                return Err(LaunchError::input(format!(
                    "unsupported device record {i}: pmem (`{}`, a `.img` system distribution); the QEMU \
                     backend does not map pmem devices",
                    record.path
                )));
            }
        }
    }
    let network = network(plan, &nets, &mut notices)?;

    Ok((
        VmSpec {
            memory_mb,
            processors,
            kernel,
            initrd,
            cmdline,
            stop_on_reset,
            com_ports,
            virtio_ports,
            disks,
            hv_socket,
            network,
            shares,
        },
        notices,
    ))
}

/// The access name: `nameWithOptions` before the first `;`.
pub fn access_name(record: &DeviceRecord) -> &str {
    record.name_with_options.split(';').next().unwrap_or("")
}

/// The option tokens after the access name, as (key, value).
fn tokens(record: &DeviceRecord) -> impl Iterator<Item = (&str, &str)> {
    record
        .name_with_options
        .split(';')
        .skip(1)
        .filter(|t| !t.is_empty())
        .map(|t| t.split_once('=').unwrap_or((t, "")))
}

/// The virtio-fs tag limit of the device (`struct virtio_fs_config.tag`).
const MAX_TAG_BYTES: usize = 36;

fn share(i: usize, record: &DeviceRecord, paths: &PathMap, notices: &mut Vec<Notice>) -> Result<Share, LaunchError> {
    let tag = access_name(record);
    if tag.is_empty() || tag.len() > MAX_TAG_BYTES {
        return Err(LaunchError::input(format!(
            "device record {i}: the virtiofs tag `{tag}` must have 1 to {MAX_TAG_BYTES} bytes"
        )));
    }
    let path = paths.host_path(&record.path, &format!("the virtiofs share `{tag}`"))?;
    let mut queues = None;
    let mut drvfs = Vec::new();
    for (key, value) in tokens(record) {
        match key {
            "vmId" | "vm_id" => {} // the VM's identity: implicit, the device belongs to this QEMU
            "vcpus" => match value.parse::<u32>() {
                Ok(n) if n > 0 => queues = Some(n),
                _ => notices.push(Notice::warning(format!(
                    "virtiofs `{tag}`: option token `vcpus={value}` is not a positive number and is ignored"
                ))),
            },
            "swiotlb" => notices.push(Notice::note(format!(
                "virtiofs `{tag}`: option token `swiotlb={value}` (Hyper-V bounce-buffer pool) has no \
                 meaning under QEMU and is ignored"
            ))),
            "uid" | "gid" | "symlinkroot" => drvfs.push(format!("{key}={value}")),
            "ro" => notices.push(Notice::warning(format!(
                "virtiofs `{tag}`: option token `ro` is not enforced by the device host; the guest \
                 must mount the share read-only"
            ))),
            _ => notices.push(Notice::warning(format!(
                "virtiofs `{tag}`: unknown option token `{}` is ignored",
                if value.is_empty() {
                    key.to_owned()
                } else {
                    format!("{key}={value}")
                }
            ))),
        }
    }
    if !drvfs.is_empty() {
        notices.push(Notice::note(format!(
            "virtiofs `{tag}`: option tokens {} (WSL's drvfs ownership and symlink translation) are not \
             applied: virtiofsd serves the host's own owners and symlinks",
            drvfs.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
        )));
    }
    const FILES: u32 = 0x8000;
    if record.flags != FILES {
        notices.push(Notice::warning(format!(
            "virtiofs `{tag}`: flags {:#x} are not understood (expected {FILES:#x}, file-backed)",
            record.flags
        )));
    }
    if !record.requires.is_empty() {
        notices.push(Notice::note(format!(
            "virtiofs `{tag}`: the record depends on run-time facts ({}); they only concern option tokens \
             this backend ignores",
            record.requires.join(", ")
        )));
    }
    Ok(Share {
        tag: tag.to_owned(),
        path,
        queues,
    })
}

fn network(plan: &Plan, records: &[&DeviceRecord], notices: &mut Vec<Notice>) -> Result<Network, LaunchError> {
    let mode = match plan.effective.get(NETWORKING_MODE_KEY) {
        Some(Value::String(mode)) => Some(mode.as_str()),
        Some(other) => {
            return Err(LaunchError::input(format!(
                "the plan's networking mode is not a name: {other}"
            )));
        }
        None => None,
    };
    match mode {
        Some("None") => {
            if !records.is_empty() {
                notices.push(Notice::warning(
                    "networking mode None: the virtio-net device records are ignored",
                ));
            }
            Ok(Network::None)
        }
        Some("Nat") => {
            notices.push(Notice::note(
                "networking mode Nat is mapped to QEMU user-mode networking (one virtio-net adapter)",
            ));
            Ok(Network::User(vec![UserNic {
                name: "eth0".to_owned(),
                ..UserNic::default()
            }]))
        }
        Some(m @ ("VirtioProxy" | "Consomme")) => Ok(Network::User(user_nics(m, records, notices))),
        // A WSLC plan has no effective configuration: its virtio-net records say it all.
        None if records.is_empty() => Ok(Network::None),
        None => Ok(Network::User(user_nics("the plan's", records, notices))),
        Some(m @ ("Mirrored" | "Bridged")) => Err(LaunchError::input(format!(
            "unsupported networking mode {m}: the QEMU backend offers None, Nat and VirtioProxy/Consomme \
             (user-mode networking)"
        ))
        .with_help("compile with `networkingMode=Nat` or `networkingMode=VirtioProxy` for this backend")),
        Some(m) => Err(LaunchError::input(format!("unknown networking mode `{m}` in the plan"))),
    }
}

fn user_nics(mode: &str, records: &[&DeviceRecord], notices: &mut Vec<Notice>) -> Vec<UserNic> {
    let mut nics = Vec::new();
    for record in records {
        let name = access_name(record);
        if name == "loopback0" {
            notices.push(Notice::note(
                "virtio-net `loopback0` (WSL's localhost relay) is skipped: user-mode networking already \
                 reaches the host's loopback through the gateway",
            ));
            continue;
        }
        for (key, value) in tokens(record) {
            match key {
                "vmId" | "vm_id" => {}
                "swiotlb" => notices.push(Notice::note(format!(
                    "virtio-net `{name}`: option token `swiotlb={value}` (Hyper-V bounce-buffer pool) is ignored"
                ))),
                _ => notices.push(Notice::warning(format!(
                    "virtio-net `{name}`: unknown option token `{key}` is ignored"
                ))),
            }
        }
        nics.push(endpoint(name, &record.path, notices));
    }
    if nics.is_empty() {
        nics.push(UserNic {
            name: "eth0".to_owned(),
            ..UserNic::default()
        });
    }
    notices.push(Notice::note(format!(
        "{mode} networking is mapped to QEMU user-mode networking ({} virtio-net adapter{})",
        nics.len(),
        if nics.len() == 1 { "" } else { "s" }
    )));
    nics
}

/// The record's endpoint text (`client_ip=…;gateway_ip=…;netmask=…;client_mac=…`).
fn endpoint(name: &str, text: &str, notices: &mut Vec<Notice>) -> UserNic {
    let mut nic = UserNic {
        name: name.to_owned(),
        ..UserNic::default()
    };
    let (mut ip, mut gateway, mut netmask) = (None, None, None);
    for (key, value) in text
        .split(';')
        .filter(|t| !t.is_empty())
        .map(|t| t.split_once('=').unwrap_or((t, "")))
    {
        match key {
            "client_ip" => ip = value.parse::<std::net::Ipv4Addr>().ok(),
            "gateway_ip" => gateway = value.parse::<std::net::Ipv4Addr>().ok(),
            "netmask" => netmask = value.parse::<std::net::Ipv4Addr>().ok(),
            "client_mac" => nic.mac = Some(value.replace('-', ":").to_ascii_lowercase()),
            "client_ip_ipv6" => notices.push(Notice::note(format!(
                "virtio-net `{name}`: the IPv6 address {value} is not configured (user-mode networking assigns its own)"
            ))),
            _ => notices.push(Notice::warning(format!(
                "virtio-net `{name}`: unknown endpoint field `{key}` is ignored"
            ))),
        }
    }
    match (ip, gateway, netmask) {
        (Some(ip), Some(gw), Some(mask)) => {
            let m = u32::from(mask);
            let prefix = m.leading_ones();
            let net = std::net::Ipv4Addr::from(u32::from(ip) & m);
            let same = (u32::from(gw) & m) == u32::from(net);
            if m.count_ones() == prefix && same && ip != gw {
                nic.addressing = Some((format!("{net}/{prefix}"), gw.to_string(), ip.to_string()));
            } else {
                notices.push(Notice::warning(format!(
                    "virtio-net `{name}`: endpoint {ip}/{mask} via {gw} is not a usable subnet; user-mode defaults apply"
                )));
            }
        }
        (None, None, None) => {}
        _ => notices.push(Notice::note(format!(
            "virtio-net `{name}`: the endpoint lacks an address, gateway or netmask; user-mode defaults apply"
        ))),
    }
    nic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_paths_need_a_mapping() {
        let map = PathMap::parse(&[r"C:\Program Files\WSL=/opt/wsl", "d:=/mnt/d"]).unwrap();
        assert_eq!(
            map.host_path(r"C:\Program Files\WSL\tools\kernel", "k").unwrap(),
            PathBuf::from("/opt/wsl/tools/kernel")
        );
        assert_eq!(
            map.host_path(r"c:/program files/wsl", "k").unwrap(),
            PathBuf::from("/opt/wsl")
        );
        assert_eq!(map.host_path(r"D:\", "k").unwrap(), PathBuf::from("/mnt/d"));
        assert_eq!(map.host_path("/opt/x", "k").unwrap(), PathBuf::from("/opt/x"));
        assert!(map.host_path(r"C:\Program Files\WSLX\kernel", "k").is_err());
        let err = map.host_path(r"E:\x", "the kernel").unwrap_err();
        assert!(err.to_string().contains("Windows path"), "{err}");
        assert!(PathMap::parse(&["/x=/y"]).is_err());
        assert!(PathMap::parse(&["C:"]).is_err());
    }

    fn plan(hcs: Value, devices: Vec<DeviceRecord>, mode: Option<&str>) -> Plan {
        let cmdline = hcs
            .pointer("/VirtualMachine/Chipset/LinuxKernelDirect/KernelCmdLine")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let mut effective = Map::new();
        if let Some(m) = mode {
            effective.insert(NETWORKING_MODE_KEY.to_owned(), Value::String(m.to_owned()));
        }
        Plan {
            format_version: crate::plan::FORMAT_VERSION,
            dialect: "seed".into(),
            target: "wsl2".into(),
            hcs,
            kernel_command_line: cmdline,
            devices,
            effective,
            provenance: Default::default(),
            diagnostics: vec![],
            digest: String::new(),
        }
    }

    fn vm() -> Value {
        serde_json::json!({
            "Owner": "WSL",
            "Extra": 1,
            "VirtualMachine": {
                "Chipset": {"LinuxKernelDirect": {"KernelFilePath": "/k", "InitRdPath": "/i", "KernelCmdLine": "a b"}},
                "ComputeTopology": {"Memory": {"SizeInMB": 256}, "Processor": {"Count": 3}},
                "StopOnReset": true,
                "Devices": {
                    "ComPorts": {"1": {"NamedPipe": "x"}},
                    "VirtioSerial": {"Ports": {"10": {"Name": "hvc10", "ConsoleSupport": true}, "2": {"Name": "hvc2", "ConsoleSupport": false}}},
                    "Scsi": {"0": {"Attachments": {"0": {"Type": "VirtualDisk", "Path": "/d.vhd", "ReadOnly": true}}}},
                    "Gpu": {}
                }
            }
        })
    }

    fn record(kind: DeviceKind, name: &str, path: &str, flags: u32) -> DeviceRecord {
        DeviceRecord {
            kind,
            device_id: "D".into(),
            class_id: "C".into(),
            name_with_options: name.into(),
            path: path.into(),
            flags,
            requires: vec![],
        }
    }

    #[test]
    fn reads_the_hcs_document_and_reports_what_it_does_not_map() {
        let (spec, notices) = from_plan(&plan(vm(), vec![], Some("None")), &PathMap::default()).unwrap();
        assert_eq!((spec.memory_mb, spec.processors), (256, 3));
        assert_eq!(spec.cmdline, "a b");
        assert!(spec.stop_on_reset);
        assert_eq!(spec.com_ports[0].index, 1);
        // Numeric order, not string order.
        let ports: Vec<u32> = spec.virtio_ports.iter().map(|p| p.index).collect();
        assert_eq!(ports, [2, 10]);
        assert_eq!(spec.disks[0].path, PathBuf::from("/d.vhd"));
        assert_eq!(spec.network, Network::None);
        let text: Vec<&str> = notices.iter().map(|n| n.text.as_str()).collect();
        assert!(text.iter().any(|t| t.contains("`Extra`")), "{text:?}");
        assert!(
            text.iter().any(|t| t.contains("`VirtualMachine.Devices.Gpu`")),
            "{text:?}"
        );
    }

    #[test]
    fn option_tokens_it_does_not_understand_are_reported() {
        let share = record(
            DeviceKind::Virtiofs,
            "tag1;gid=1000;mystery=1;ro;swiotlb=0x1,2;vcpus=4;vmId=X;bare",
            "/srv",
            0x8000,
        );
        let (spec, notices) = from_plan(&plan(vm(), vec![share], Some("Nat")), &PathMap::default()).unwrap();
        assert_eq!(
            spec.shares,
            [Share {
                tag: "tag1".into(),
                path: "/srv".into(),
                queues: Some(4)
            }]
        );
        let warnings: Vec<&str> = notices
            .iter()
            .filter(|n| n.level == Level::Warning)
            .map(|n| n.text.as_str())
            .collect();
        assert!(
            warnings.iter().any(|t| t.contains("unknown option token `mystery=1`")),
            "{warnings:?}"
        );
        assert!(
            warnings.iter().any(|t| t.contains("unknown option token `bare`")),
            "{warnings:?}"
        );
        assert!(
            warnings.iter().any(|t| t.contains("`ro` is not enforced")),
            "{warnings:?}"
        );
        assert!(
            notices
                .iter()
                .any(|n| n.level == Level::Note && n.text.contains("`swiotlb=0x1,2`"))
        );
        assert!(
            !notices.iter().any(|n| n.text.contains("vmId")),
            "the VM id token is understood"
        );
        let odd = record(DeviceKind::Virtiofs, "t;vmId=X", "/srv", 0x4000);
        let (_, notices) = from_plan(&plan(vm(), vec![odd], Some("Nat")), &PathMap::default()).unwrap();
        assert!(
            notices
                .iter()
                .any(|n| n.text.contains("flags 0x4000 are not understood"))
        );
    }

    #[test]
    fn what_the_backend_cannot_do_is_an_error() {
        let map = PathMap::default();
        for mode in ["Mirrored", "Bridged", "Wormhole"] {
            assert!(from_plan(&plan(vm(), vec![], Some(mode)), &map).is_err(), "{mode}");
        }
        let pmem = record(DeviceKind::Pmem, ";vmId=X", "/sd.img", 1);
        let e = from_plan(&plan(vm(), vec![pmem], Some("Nat")), &map).unwrap_err();
        assert!(e.message.contains("pmem"), "{e}");
        let long = record(DeviceKind::Virtiofs, &"x".repeat(37), "/srv", 0x8000);
        assert!(from_plan(&plan(vm(), vec![long], Some("Nat")), &map).is_err());
        let mut uefi = vm();
        uefi["VirtualMachine"]["Chipset"] = serde_json::json!({"Uefi": {"BootThis": {}}});
        let e = from_plan(&plan(uefi, vec![], Some("Nat")), &map).unwrap_err();
        assert!(e.message.contains("UEFI"), "{e}");
        let mut p = plan(vm(), vec![], Some("Nat"));
        p.kernel_command_line = "other".into();
        assert!(from_plan(&p, &map).unwrap_err().message.contains("inconsistent"));
        // A WSLC plan has no effective configuration: the records decide.
        let eth0 = record(DeviceKind::VirtioNet, "eth0;vmId=X", "", 0);
        let (spec, _) = from_plan(&plan(vm(), vec![eth0], None), &map).unwrap();
        assert!(matches!(spec.network, Network::User(ref n) if n.len() == 1));
        let (spec, _) = from_plan(&plan(vm(), vec![], None), &map).unwrap();
        assert_eq!(spec.network, Network::None);
    }

    #[test]
    fn endpoints_become_user_mode_addressing() {
        let mut n = Vec::new();
        let nic = endpoint(
            "eth0",
            "netmask=255.255.240.0;client_ip=172.20.1.2;gateway_ip=172.20.0.1;client_mac=00-11-22-33-44-55",
            &mut n,
        );
        assert_eq!(
            nic.addressing,
            Some(("172.20.0.0/20".into(), "172.20.0.1".into(), "172.20.1.2".into()))
        );
        assert_eq!(nic.mac.as_deref(), Some("00:11:22:33:44:55"));
        assert!(n.is_empty(), "{n:?}");
        let nic = endpoint("eth0", "client_ip=172.20.1.2;gateway_ip=172.20.0.1;bogus=1", &mut n);
        assert_eq!(nic.addressing, None);
        assert!(n.iter().any(|x| x.text.contains("bogus")));
    }
}

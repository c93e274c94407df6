//! The HCS ComputeSystem document (outputs.md §B) and its byte-exact compact
//! serialisation (§B.1).

use super::{WslcSession, cmdline, feature, join};
use crate::host::{Arch, HostProfile, identity};
use crate::passes::{Effective, SystemDistro, VmBuild};
use crate::registry::{Dialect, k};
use serde_json::{Map, Value, json};

/// `c_vmOwner`.
const WSL_OWNER: &str = "WSL";
/// The WSLC owner when the session has no display name.
const WSLC_OWNER: &str = "WSLC";

/// The WSL2 document (§B.2–§B.6). Serialise it with [`compact`].
pub fn wsl2_hcs(eff: &Effective, vm: &VmBuild, host: &HostProfile, dialect: Dialect) -> Value {
    let cmdline = cmdline::wsl2_cmdline(eff, vm, host, dialect);

    let mut processor = Map::new();
    processor.insert("Count".into(), json!(eff.int(k::PROCESSORS)));
    if let Some(supported) = vm.nested_virtualization {
        processor.insert("ExposeVirtualizationExtensions".into(), json!(supported));
    }
    if let Some((pmu, lbr)) = vm.perfmon {
        processor.insert("EnablePerfmonPmu".into(), json!(pmu));
        processor.insert("EnablePerfmonLbr".into(), json!(lbr));
    }

    let mut memory = base_memory(eff.size(k::MEMORY) / (1 << 20), vm.density_memory);
    memory.insert("HighMmioGapInMB".into(), json!(vm.high_mmio_gap_mb));
    memory.insert("HighMmioBaseInMB".into(), json!(vm.high_mmio_base_mb));
    if vm.vmmem_suffix {
        memory.insert("HostingProcessNameSuffix".into(), json!(WSL_OWNER));
    }

    // B.4: the system distro when it is a VHD, then the modules VHD.
    let mut disks = Vec::new();
    if let SystemDistro::Vhd { path, .. } = &vm.system_distro {
        disks.push(path.as_str());
    }
    if let Some(modules) = &vm.modules_path {
        disks.push(modules.as_str());
    }

    // B.5.
    let mut com_ports = Map::new();
    if vm.virtio_serial && vm.early_boot_logging {
        com_ports.insert("0".into(), named_pipe(&vm.pipes.dmesg_early));
    } else if vm.debug_console {
        com_ports.insert("0".into(), named_pipe(&vm.pipes.debug_console));
    }
    if eff.int(k::KERNEL_DEBUG_PORT) != 0 {
        com_ports.insert("1".into(), named_pipe(&vm.pipes.kernel_debug));
    }

    // B.6.
    let mut ports = Vec::new();
    if vm.virtio_serial {
        ports.push(("hvc0", vm.pipes.dmesg_virtio.as_str()));
        ports.push(("hvc1", vm.pipes.telemetry.as_str()));
        if vm.debug_shell {
            ports.push(("hvc2", vm.pipes.debug_shell.as_str()));
        }
    }

    let mut devices = base_devices(host, &disks, com_ports);
    if !ports.is_empty() {
        devices.insert("VirtioSerial".into(), virtio_serial(&ports));
    }

    document(
        WSL_OWNER,
        (2, 3),
        chipset(host.arch, &vm.kernel_path, &vm.initrd_path, &vm.boot_root, cmdline),
        processor,
        memory,
        devices,
        Map::new(),
    )
}

/// The WSLC document (§B.8).
pub fn wslc_hcs(host: &HostProfile, dialect: Dialect) -> Value {
    let session = WslcSession::from_host(host);
    let tools = join(&host.install.dir, "tools");
    let pipes = identity::pipe_names(host);
    let win11 = host.is_win11();

    let mut processor = Map::new();
    processor.insert("Count".into(), json!(session.cpu_count));
    if host.arch == Arch::X64 {
        processor.insert("EnablePerfmonPmu".into(), json!(host.cpuid.child_perfmon_pmu_supported));
        processor.insert("EnablePerfmonLbr".into(), json!(host.cpuid.child_perfmon_lbr_supported));
    }

    let mut memory = base_memory(session.memory_mb, host.density_memory_supported_wslc());
    if let Some(name) = session
        .display_name
        .as_deref()
        .filter(|_| host.vmmem_suffix_supported())
    {
        memory.insert("HostingProcessNameSuffix".into(), json!(process_name_suffix(name)));
    }

    let root = session
        .root_vhd_override
        .clone()
        .unwrap_or_else(|| join(&host.install.msi_location, "system.vhd"));
    let modules = join(&tools, "modules.vhd");

    let mut com_ports = Map::new();
    if session.has(feature::EARLY_BOOT_DMESG) {
        com_ports.insert("0".into(), named_pipe(&pipes.dmesg_early));
    }
    let mut devices = base_devices(host, &[root.as_str(), modules.as_str()], com_ports);
    if host.virtio_serial_supported() {
        devices.insert("VirtioSerial".into(), virtio_serial(&[("hvc0", &pipes.dmesg_virtio)]));
    }

    let mut debug = Map::new();
    if win11 {
        let file = format!("saved-state-{}-{}.vmrs", host.vm.start_unix_time, host.machine_id());
        let path = join(&join(&host.user.temp_dir, "wslc-crashes"), &file);
        debug.insert("BugcheckSavedStateFileName".into(), json!(path));
    }

    document(
        session.display_name.as_deref().unwrap_or(WSLC_OWNER),
        if win11 { (2, 7) } else { (2, 3) },
        chipset(
            host.arch,
            &join(&tools, "kernel"),
            &join(&tools, "initrd.img"),
            &tools,
            cmdline::wslc_cmdline(host, dialect),
        ),
        processor,
        memory,
        devices,
        debug,
    )
}

/// The document skeleton shared by WSL2 and WSLC.
fn document(
    owner: &str,
    (major, minor): (u32, u32),
    chipset: Value,
    processor: Map<String, Value>,
    memory: Map<String, Value>,
    devices: Map<String, Value>,
    debug_options: Map<String, Value>,
) -> Value {
    // Built member by member: `json!` would copy every interpolated `Value`.
    object([
        ("Owner", Value::from(owner)),
        (
            "SchemaVersion",
            object([("Major", Value::from(major)), ("Minor", Value::from(minor))]),
        ),
        ("ShouldTerminateOnLastHandleClosed", Value::Bool(true)),
        (
            "VirtualMachine",
            object([
                ("StopOnReset", Value::Bool(true)),
                ("Chipset", chipset),
                (
                    "ComputeTopology",
                    object([
                        ("Processor", Value::Object(processor)),
                        ("Memory", Value::Object(memory)),
                    ]),
                ),
                ("Devices", Value::Object(devices)),
                ("DebugOptions", Value::Object(debug_options)),
            ]),
        ),
    ])
}

/// An object with these members, inserted in this order.
fn object<const N: usize>(members: [(&str, Value); N]) -> Value {
    let mut map = Map::new();
    for (name, value) in members {
        map.insert(name.to_owned(), value);
    }
    Value::Object(map)
}

/// x64: `LinuxKernelDirect`; arm64: UEFI booting `\kernel` from a VmbFs root.
fn chipset(arch: Arch, kernel: &str, initrd: &str, boot_root: &str, cmdline: String) -> Value {
    match arch {
        Arch::X64 => object([
            ("UseUtc", Value::Bool(true)),
            (
                "LinuxKernelDirect",
                object([
                    ("KernelFilePath", Value::from(kernel)),
                    ("InitRdPath", Value::from(initrd)),
                    ("KernelCmdLine", Value::String(cmdline)),
                ]),
            ),
        ]),
        Arch::Arm64 => object([
            ("UseUtc", Value::Bool(true)),
            (
                "Uefi",
                object([(
                    "BootThis",
                    object([
                        ("DeviceType", Value::from("VmbFs")),
                        ("VmbFsRootPath", Value::from(boot_root)),
                        ("DevicePath", Value::from("\\kernel")),
                        ("OptionalData", Value::String(cmdline)),
                    ]),
                )]),
            ),
        ]),
    }
}

/// The memory fields common to WSL2 and WSLC; `SizeInMB` rounded down to an
/// even MiB count.
fn base_memory(size_mb: u64, density: bool) -> Map<String, Value> {
    let mut memory = Map::new();
    memory.insert("SizeInMB".into(), json!(size_mb & !1));
    memory.insert("AllowOvercommit".into(), json!(true));
    memory.insert("EnableDeferredCommit".into(), json!(true));
    memory.insert("EnableColdDiscardHint".into(), json!(true));
    if density {
        memory.insert("BackingPageSize".into(), json!("Small"));
        memory.insert("FaultClusterSizeShift".into(), json!(4));
        memory.insert("DirectMapFaultClusterSizeShift".into(), json!(4));
    }
    memory
}

/// `Devices` without `VirtioSerial`: SCSI disks from LUN 0 in order.
fn base_devices(host: &HostProfile, disks: &[&str], com_ports: Map<String, Value>) -> Map<String, Value> {
    let sddl = format!("D:P(A;;FA;;;SY)(A;;FA;;;{})", host.user.sid);
    let attachments: Map<String, Value> = disks
        .iter()
        .enumerate()
        .map(|(lun, path)| {
            let disk = object([
                ("Type", Value::from("VirtualDisk")),
                ("Path", Value::from(*path)),
                ("ReadOnly", Value::Bool(true)),
                ("SupportCompressedVolumes", Value::Bool(true)),
                ("AlwaysAllowSparseFiles", Value::Bool(true)),
                ("SupportEncryptedFiles", Value::Bool(true)),
            ]);
            (lun.to_string(), disk)
        })
        .collect();
    let mut devices = Map::new();
    devices.insert("ComPorts".into(), Value::Object(com_ports));
    devices.insert("Plan9".into(), Value::Object(Map::new()));
    devices.insert("Battery".into(), Value::Object(Map::new()));
    devices.insert(
        "HvSocket".into(),
        object([(
            "HvSocketConfig",
            object([
                ("DefaultBindSecurityDescriptor", Value::from(sddl.as_str())),
                ("DefaultConnectSecurityDescriptor", Value::String(sddl)),
            ]),
        )]),
    );
    devices.insert(
        "Scsi".into(),
        object([("0", object([("Attachments", Value::Object(attachments))]))]),
    );
    devices
}

fn named_pipe(pipe: &str) -> Value {
    object([("NamedPipe", Value::from(pipe))])
}

/// `VirtioSerial` with ports keyed `"0"`, `"1"`, … in order.
fn virtio_serial(ports: &[(&str, &str)]) -> Value {
    let ports: Map<String, Value> = ports
        .iter()
        .enumerate()
        .map(|(i, (name, pipe))| {
            let port = object([
                ("Name", Value::from(*name)),
                ("NamedPipe", Value::from(*pipe)),
                ("ConsoleSupport", Value::Bool(true)),
            ]);
            (i.to_string(), port)
        })
        .collect();
    object([("Ports", Value::Object(ports))])
}

/// The WSLC vmmem suffix: every character outside `A–Z a–z 0–9 - _` becomes `_`.
fn process_name_suffix(display_name: &str) -> String {
    display_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The HCS document as WSL writes it: compact, members sorted by their
/// UTF-8 bytes at every level (nlohmann::json's `std::map` order), strings
/// escaped as nlohmann's `dump()` does (outputs.md §B.1).
pub fn compact(v: &Value) -> String {
    crate::plan::canonical::compact_sorted(v, crate::plan::canonical::KeyOrder::Bytes)
}

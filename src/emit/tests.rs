//! The worked examples of outputs.md §A.5, §B.3, §B.7, §B.8, §C and §D.
//! Inputs are built by hand the way the passes would produce them; every
//! expected string is copied from the spec (or assembled from its rules).

use super::*;
use crate::bind::Value;
use crate::host::{Arch, identity};
use crate::passes::{Effective, SystemDistro, VmBuild};
use crate::registry::{self, DefaultRule, KeyId, ValueType, k};
use serde_json::json;
use std::net::Ipv4Addr;

const MACHINE_ID: &str = "3F2504E0-4F89-11D3-9A0C-0305E82C3301";
const TAG: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
const PIPE_C0: &str = r"\\.\pipe\{00000000-0000-0000-0000-0000000000c0}";
const PIPE_C1: &str = r"\\.\pipe\{00000000-0000-0000-0000-0000000000c1}";

/// outputs.md §B.7, the exact compact output.
const B7: &str = r#"{"Owner":"WSL","SchemaVersion":{"Major":2,"Minor":3},"ShouldTerminateOnLastHandleClosed":true,"VirtualMachine":{"Chipset":{"LinuxKernelDirect":{"InitRdPath":"C:\\Program Files\\WSL\\tools\\initrd.img","KernelCmdLine":"initrd=\\initrd.img WSL_ROOT_INIT=1 panic=-1 nr_cpus=16 hv_utils.timesync_implicit=1 printk.devkmsg=on page_reporting.page_reporting_order=5 hv_storvsc.storvsc_max_hw_queues=4 console=hvc0 debug pty.legacy_count=0 WSL_ENABLE_CRASH_DUMP=1","KernelFilePath":"C:\\Program Files\\WSL\\tools\\kernel"},"UseUtc":true},"ComputeTopology":{"Memory":{"AllowOvercommit":true,"BackingPageSize":"Small","DirectMapFaultClusterSizeShift":4,"EnableColdDiscardHint":true,"EnableDeferredCommit":true,"FaultClusterSizeShift":4,"HighMmioBaseInMB":40958,"HighMmioGapInMB":24578,"HostingProcessNameSuffix":"WSL","SizeInMB":16384},"Processor":{"Count":16,"EnablePerfmonLbr":true,"EnablePerfmonPmu":true,"ExposeVirtualizationExtensions":true}},"DebugOptions":{},"Devices":{"Battery":{},"ComPorts":{},"HvSocket":{"HvSocketConfig":{"DefaultBindSecurityDescriptor":"D:P(A;;FA;;;SY)(A;;FA;;;S-1-5-21-1111111111-2222222222-3333333333-1001)","DefaultConnectSecurityDescriptor":"D:P(A;;FA;;;SY)(A;;FA;;;S-1-5-21-1111111111-2222222222-3333333333-1001)"}},"Plan9":{},"Scsi":{"0":{"Attachments":{"0":{"AlwaysAllowSparseFiles":true,"Path":"C:\\Program Files\\WSL\\system.vhd","ReadOnly":true,"SupportCompressedVolumes":true,"SupportEncryptedFiles":true,"Type":"VirtualDisk"},"1":{"AlwaysAllowSparseFiles":true,"Path":"C:\\Program Files\\WSL\\tools\\modules.vhd","ReadOnly":true,"SupportCompressedVolumes":true,"SupportEncryptedFiles":true,"Type":"VirtualDisk"}}}},"VirtioSerial":{"Ports":{"0":{"ConsoleSupport":true,"Name":"hvc0","NamedPipe":"\\\\.\\pipe\\{00000000-0000-0000-0000-0000000000c0}"},"1":{"ConsoleSupport":true,"Name":"hvc1","NamedPipe":"\\\\.\\pipe\\{00000000-0000-0000-0000-0000000000c1}"},"2":{"ConsoleSupport":true,"Name":"hvc2","NamedPipe":"\\\\.\\pipe\\wsl_debugshell_S-1-5-21-1111111111-2222222222-3333333333-1001"}}}},"StopOnReset":true}}"#;

/// §A.5, empty file, upstream.
const A5_EMPTY_UPSTREAM: &str = r"initrd=\initrd.img WSL_ROOT_INIT=1 panic=-1 nr_cpus=16 hv_utils.timesync_implicit=1 printk.devkmsg=on page_reporting.page_reporting_order=5 hv_storvsc.storvsc_max_hw_queues=4 console=hvc0 debug pty.legacy_count=0 WSL_ENABLE_CRASH_DUMP=1";

// ------------------------------------------------------------------ inputs

/// The host of §B.7 (the embedded default) with the placeholder pipes.
fn b7_host() -> HostProfile {
    let mut host = HostProfile::default();
    host.pipes.dmesg_virtio = Some(PIPE_C0.into());
    host.pipes.telemetry = Some(PIPE_C1.into());
    host
}

fn set(e: &mut Effective, key: KeyId, v: Value) {
    e.set(key, Some(v), "test", "");
}

fn enum_value(key: KeyId, name: &str) -> Value {
    match key.spec().ty {
        ValueType::Enum(table) => Value::Enum(table, table.lookup(name).unwrap()),
        _ => unreachable!(),
    }
}

fn mode4() -> Value {
    enum_value(k::NETWORKING_MODE, "VirtioProxy")
}

/// What P0–P18 make of an empty file on `host` (passes.md §6.1, first row).
fn empty_file(host: &HostProfile, dialect: Dialect) -> Effective {
    let x64 = host.arch == Arch::X64;
    let win11 = host.is_win11();
    let memory = host.memory.total_physical_bytes / 2;
    let values = registry::ids()
        .map(|id| {
            let spec = id.spec();
            Some(match spec.default {
                DefaultRule::Bool(b) => Value::Bool(b),
                DefaultRule::Int(i) => Value::Int(i),
                DefaultRule::Size(s) => Value::Size(s),
                DefaultRule::Enum(name) => enum_value(id, name),
                DefaultRule::Empty => Value::Text(String::new()),
                DefaultRule::Unset if id == k::SWIOTLB => Value::Swiotlb(Swiotlb::Unset),
                DefaultRule::Unset => return None,
                DefaultRule::NoPorts => Value::Ports(Default::default()),
                DefaultRule::X64AndWin11 => Value::Bool(x64 && win11),
                DefaultRule::X64OrWin11 => Value::Bool(x64 || win11),
                DefaultRule::X64 => Value::Bool(x64),
                DefaultRule::OfficialBuild => Value::Bool(host.official_build),
                DefaultRule::Computed(_) => match id {
                    k::MEMORY => Value::Size(memory),
                    k::PROCESSORS => Value::Int(host.cpu.logical_processors),
                    k::EARLY_BOOT_LOGGING => Value::Bool(false),
                    k::SWAP => Value::Size((memory / 4).div_ceil(1 << 30) << 30),
                    k::MAC_ADDRESS => return None,
                    k::CRASH_DUMP_FOLDER => Value::Text(format!(r"{}\wsl-crashes", host.user.temp_dir)),
                    k::DISTRIBUTION_INSTALL_PATH => Value::Text(format!(r"{}\wsl", host.user.local_app_data)),
                    k::NETWORKING_MODE => enum_value(id, "Nat"),
                    k::DNS_TUNNELING_IP_ADDRESS => Value::Ipv4(Ipv4Addr::new(10, 255, 255, 254)),
                    _ => Value::Text(String::new()),
                },
            })
        })
        .collect();
    let n = registry::KEYS.len();
    let mut e = Effective::new(dialect, values, vec![Vec::new(); n], vec![false; n]);
    e.max_processors = host.cpu.logical_processors;
    e.max_memory = host.memory.total_physical_bytes;
    e
}

/// The effective configuration of `[wsl2] virtiofs=true` (P13 default, 16 GiB).
fn with_virtiofs(host: &HostProfile, dialect: Dialect) -> Effective {
    let mut e = empty_file(host, dialect);
    set(&mut e, k::VIRTIOFS, Value::Bool(true));
    set(&mut e, k::SWIOTLB, Value::Swiotlb(p13_default(dialect)));
    e
}

/// P13's default value, as passes.md §P13 writes it.
fn p13_default(dialect: Dialect) -> Swiotlb {
    match dialect {
        Dialect::Seed => Swiotlb::Range {
            raw: "0x40000000,64M".into(),
            gpa: Some(0x40000000),
            size_bytes: Some(64 << 20),
        },
        Dialect::Upstream => Swiotlb::Size(67108864),
    }
}

/// V1–V10 (passes.md §3) for the bundled kernel and system distro.
fn vm_build(eff: &Effective, host: &HostProfile) -> VmBuild {
    let tools = format!(r"{}\tools", host.install.dir);
    let virtio_serial = eff.bool(k::VIRTIO) && host.virtio_serial_supported();
    let density = host.density_memory_supported();
    let gap = 16384
        + if eff.bool(k::GUI_APPLICATIONS) && eff.bool(k::VIRTIO) {
            8192 + 2
        } else {
            0
        };
    VmBuild {
        kernel_path: format!(r"{tools}\kernel"),
        default_kernel: true,
        boot_root: tools.clone(),
        initrd_path: format!(r"{tools}\initrd.img"),
        modules_path: Some(format!(r"{tools}\modules.vhd")),
        debug_console: eff.bool(k::DEBUG_CONSOLE) || !eff.text(k::DEBUG_CONSOLE_LOG_FILE).is_empty(),
        virtio_serial,
        debug_shell: eff.debug_shell && virtio_serial,
        early_boot_logging: eff.bool(k::EARLY_BOOT_LOGGING),
        density_memory: density,
        page_reporting_order: if density { 5 } else { 9 },
        system_distro: SystemDistro::Vhd {
            path: format!(r"{}\system.vhd", host.install.dir),
            custom: false,
        },
        high_mmio_gap_mb: gap,
        high_mmio_base_mb: 65536 - gap,
        nested_virtualization: eff
            .bool(k::NESTED_VIRTUALIZATION)
            .then(|| host.is_win11() && host.hcs.processor_features.iter().any(|f| f == "NestedVirt")),
        perfmon: (host.arch == Arch::X64 && eff.bool(k::HARDWARE_PERFORMANCE_COUNTERS)).then_some((
            host.cpuid.child_perfmon_pmu_supported,
            host.cpuid.child_perfmon_lbr_supported,
        )),
        vmmem_suffix: host.vmmem_suffix_supported(),
        pipes: identity::pipe_names(host),
    }
}

fn cmd(eff: &Effective, host: &HostProfile, dialect: Dialect) -> String {
    wsl2_cmdline(eff, &vm_build(eff, host), host, dialect)
}

fn hcs_json(eff: &Effective, host: &HostProfile, dialect: Dialect) -> String {
    compact(&wsl2_hcs(eff, &vm_build(eff, host), host, dialect))
}

fn devices(eff: &Effective, host: &HostProfile, dialect: Dialect) -> Vec<DeviceRecord> {
    wsl2_devices(eff, &vm_build(eff, host), host, dialect)
}

fn names(records: &[DeviceRecord]) -> Vec<&str> {
    records.iter().map(|r| r.name_with_options.as_str()).collect()
}

/// The §B.7 document with edits applied, in compact form.
fn b7_with(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value = serde_json::from_str(B7).unwrap();
    edit(&mut v);
    compact(&v)
}

fn at<'a>(v: &'a mut serde_json::Value, pointer: &str) -> &'a mut serde_json::Map<String, serde_json::Value> {
    v.pointer_mut(pointer).and_then(|v| v.as_object_mut()).unwrap()
}

/// The seed command line of an upstream one with 16 CPUs (§A.2: no storvsc cap).
fn without_storvsc(cmdline: &str) -> String {
    cmdline.replace(" hv_storvsc.storvsc_max_hw_queues=4", "")
}

/// Seed/upstream, for the elevation-independent examples.
const BOTH: [Dialect; 2] = [Dialect::Seed, Dialect::Upstream];

// ------------------------------------------------------------------ §A.5

#[test]
fn a5_empty_file() {
    let host = b7_host();
    assert_eq!(
        cmd(&empty_file(&host, Dialect::Upstream), &host, Dialect::Upstream),
        A5_EMPTY_UPSTREAM
    );
    assert_eq!(
        cmd(&empty_file(&host, Dialect::Seed), &host, Dialect::Seed),
        "initrd=\\initrd.img WSL_ROOT_INIT=1 panic=-1 nr_cpus=16 hv_utils.timesync_implicit=1 printk.devkmsg=on page_reporting.page_reporting_order=5 console=hvc0 debug pty.legacy_count=0 WSL_ENABLE_CRASH_DUMP=1"
    );
}

#[test]
fn a5_virtiofs() {
    let host = b7_host();
    let after = "page_reporting.page_reporting_order=5";
    assert_eq!(
        cmd(&with_virtiofs(&host, Dialect::Upstream), &host, Dialect::Upstream),
        A5_EMPTY_UPSTREAM.replace(after, &format!("{after} swiotlb=force hv_pci_swiotlb=67108864"))
    );
    assert_eq!(
        cmd(&with_virtiofs(&host, Dialect::Seed), &host, Dialect::Seed),
        without_storvsc(A5_EMPTY_UPSTREAM)
            .replace(after, &format!("{after} swiotlb=force hv_pci_swiotlb=0x40000000,64M"))
    );
}

/// Example EX2 on build 22631 UBR 4000.
fn ex2(dialect: Dialect) -> (Effective, HostProfile) {
    let mut host = b7_host();
    host.windows.build = 22631;
    host.windows.ubr = 4000;
    let mut e = empty_file(&host, dialect);
    set(&mut e, k::MEMORY, Value::Size(8 << 30));
    set(&mut e, k::SWAP, Value::Size(2 << 30));
    set(&mut e, k::PROCESSORS, Value::Int(4));
    set(&mut e, k::NETWORKING_MODE, mode4());
    set(&mut e, k::VIRTIOFS, Value::Bool(true));
    set(&mut e, k::DEBUG_CONSOLE, Value::Bool(true));
    set(&mut e, k::EARLY_BOOT_LOGGING, Value::Bool(true)); // P1.4
    set(&mut e, k::KERNEL_DEBUG_PORT, Value::Int(5555));
    set(&mut e, k::KERNEL_COMMAND_LINE, Value::Text("quiet loglevel=3".into()));
    let swiotlb = match dialect {
        Dialect::Upstream => Swiotlb::Size(32 << 20),
        Dialect::Seed => Swiotlb::Range {
            raw: "0x100000000,32M".into(),
            gpa: Some(0x1_0000_0000),
            size_bytes: Some(32 << 20),
        },
    };
    set(&mut e, k::SWIOTLB, Value::Swiotlb(swiotlb));
    (e, host)
}

#[test]
fn a5_ex2() {
    let (e, host) = ex2(Dialect::Upstream);
    assert_eq!(
        cmd(&e, &host, Dialect::Upstream),
        r"initrd=\initrd.img WSL_ROOT_INIT=1 panic=-1 nr_cpus=4 hv_utils.timesync_implicit=1 printk.devkmsg=on page_reporting.page_reporting_order=5 swiotlb=force hv_pci_swiotlb=33554432 earlycon=uart8250,io,0x3f8,115200 console=hvc0 debug pty.legacy_count=2 kgdboc=ttyS1,115200 WSL_ENABLE_CRASH_DUMP=1 quiet loglevel=3"
    );
    let (e, host) = ex2(Dialect::Seed);
    assert_eq!(
        cmd(&e, &host, Dialect::Seed),
        r"initrd=\initrd.img WSL_ROOT_INIT=1 panic=-1 nr_cpus=4 hv_utils.timesync_implicit=1 printk.devkmsg=on page_reporting.page_reporting_order=5 swiotlb=force hv_pci_swiotlb=0x100000000,32M earlycon=uart8250,io,0x3f8,115200 console=hvc0 debug pty.legacy_count=2 kgdboc=ttyS1,115200 WSL_ENABLE_CRASH_DUMP=1 quiet loglevel=3"
    );
}

/// `[wsl2] safeMode=true`: P10's forced values, then P11.
fn safe_mode(host: &HostProfile, dialect: Dialect) -> Effective {
    let mut e = empty_file(host, dialect);
    set(&mut e, k::SAFE_MODE, Value::Bool(true));
    for key in [
        k::HOST_FILE_SYSTEM_ACCESS,
        k::NESTED_VIRTUALIZATION,
        k::HARDWARE_PERFORMANCE_COUNTERS,
        k::GPU_SUPPORT,
        k::VIRTIO,
        k::GUI_APPLICATIONS,
        k::DNS_TUNNELING,
        k::AUTO_PROXY,
    ] {
        set(&mut e, key, Value::Bool(false));
    }
    set(&mut e, k::SWAP, Value::Size(0));
    set(&mut e, k::NETWORKING_MODE, enum_value(k::NETWORKING_MODE, "None"));
    e
}

#[test]
fn a5_safe_mode() {
    let host = b7_host();
    let upstream = r"initrd=\initrd.img WSL_ROOT_INIT=1 panic=-1 nr_cpus=16 hv_utils.timesync_implicit=1 printk.devkmsg=on page_reporting.page_reporting_order=5 hv_storvsc.storvsc_max_hw_queues=4 pty.legacy_count=0 WSL_ENABLE_CRASH_DUMP=1";
    assert_eq!(
        cmd(&safe_mode(&host, Dialect::Upstream), &host, Dialect::Upstream),
        upstream
    );
    assert_eq!(
        cmd(&safe_mode(&host, Dialect::Seed), &host, Dialect::Seed),
        without_storvsc(upstream)
    );
}

#[test]
fn a1_rules() {
    let host = b7_host();
    // Debug console without virtio serial: the serial console (x64 spelling).
    let mut e = safe_mode(&host, Dialect::Upstream);
    set(&mut e, k::DEBUG_CONSOLE, Value::Bool(true));
    set(&mut e, k::EARLY_BOOT_LOGGING, Value::Bool(true));
    let line = cmd(&e, &host, Dialect::Upstream);
    assert!(
        line.contains(" console=ttyS0,115200 debug pty.legacy_count=0 "),
        "{line}"
    );
    assert!(!line.contains("earlycon"), "fragment 10 needs virtio serial: {line}");
    // Negative crash dump count: no crash-dump variable; text appended verbatim.
    set(&mut e, k::MAX_CRASH_DUMP_COUNT, Value::Int(-1));
    set(&mut e, k::KERNEL_COMMAND_LINE, Value::Text("nr_cpus=2  a=\"b\"".into()));
    assert!(cmd(&e, &host, Dialect::Upstream).ends_with(" pty.legacy_count=0 nr_cpus=2  a=\"b\""));
    // Four CPUs: no storvsc cap; five: the cap.
    let mut e = empty_file(&host, Dialect::Upstream);
    set(&mut e, k::PROCESSORS, Value::Int(4));
    assert!(!cmd(&e, &host, Dialect::Upstream).contains("storvsc"));
    set(&mut e, k::PROCESSORS, Value::Int(5));
    assert!(cmd(&e, &host, Dialect::Upstream).contains(" nr_cpus=5 "));
    assert!(cmd(&e, &host, Dialect::Upstream).contains(" hv_storvsc.storvsc_max_hw_queues=4 "));
    // A.3: a seed range in the upstream dialect and a size in the seed dialect keep their form.
    set(&mut e, k::SWIOTLB, Value::Swiotlb(p13_default(Dialect::Seed)));
    assert!(cmd(&e, &host, Dialect::Upstream).contains(" swiotlb=force hv_pci_swiotlb=0x40000000,64M "));
    let mut e = empty_file(&host, Dialect::Seed);
    set(&mut e, k::SWIOTLB, Value::Swiotlb(Swiotlb::Size(128 << 20)));
    assert!(cmd(&e, &host, Dialect::Seed).contains(" swiotlb=force hv_pci_swiotlb=134217728 "));
}

#[test]
fn a1_arm64_spellings() {
    let mut host = b7_host();
    host.arch = Arch::Arm64;
    // Windows 10 arm64: virtio defaults off.
    host.windows.build = 19045;
    host.windows.ubr = 3000;
    let mut e = empty_file(&host, Dialect::Upstream);
    assert!(!e.bool(k::VIRTIO));
    set(&mut e, k::DEBUG_CONSOLE, Value::Bool(true));
    set(&mut e, k::EARLY_BOOT_LOGGING, Value::Bool(true));
    set(&mut e, k::KERNEL_DEBUG_PORT, Value::Int(1234));
    assert_eq!(
        cmd(&e, &host, Dialect::Upstream),
        r"initrd=\initrd.img WSL_ROOT_INIT=1 panic=-1 nr_cpus=16 hv_utils.timesync_implicit=1 printk.devkmsg=on page_reporting.page_reporting_order=9 hv_storvsc.storvsc_max_hw_queues=4 console=ttyAMA0 debug pty.legacy_count=2 kgdboc=ttyAMA1,115200 WSL_ENABLE_CRASH_DUMP=1"
    );
    // Windows 11 arm64: virtio on, so early boot logging gives the pl011 earlycon.
    host.windows.build = 26100;
    let mut e = empty_file(&host, Dialect::Upstream);
    assert!(e.bool(k::VIRTIO));
    set(&mut e, k::EARLY_BOOT_LOGGING, Value::Bool(true));
    assert!(cmd(&e, &host, Dialect::Upstream).contains(
        " page_reporting.page_reporting_order=5 hv_storvsc.storvsc_max_hw_queues=4 earlycon=pl011,0xeffec000,115200 console=hvc0 debug pty.legacy_count=0 "
    ));
}

// ------------------------------------------------------------------ §B

#[test]
fn b1_compact_form() {
    let v: serde_json::Value = serde_json::from_str(B7).unwrap();
    assert_eq!(compact(&v), B7);
    let v = json!({"b": {"2": 1, "10": [true, null, "x"]}, "a": "é \" \\ \n \t \u{1} \u{1f} \u{7f} /", "B": -3});
    assert_eq!(
        compact(&v),
        "{\"B\":-3,\"a\":\"é \\\" \\\\ \\n \\t \\u0001 \\u001f \u{7f} /\",\"b\":{\"10\":[true,null,\"x\"],\"2\":1}}"
    );
}

#[test]
fn b7_default_upstream() {
    let host = b7_host();
    assert_eq!(
        hcs_json(&empty_file(&host, Dialect::Upstream), &host, Dialect::Upstream),
        B7
    );
}

#[test]
fn b7_default_seed_differs_only_in_the_command_line() {
    let host = b7_host();
    assert_eq!(
        hcs_json(&empty_file(&host, Dialect::Seed), &host, Dialect::Seed),
        without_storvsc(B7)
    );
}

#[test]
fn b7_ex2_variation() {
    for dialect in BOTH {
        let (e, host) = ex2(dialect);
        let vm = vm_build(&e, &host);
        let v = wsl2_hcs(&e, &vm, &host, dialect);
        assert_eq!(
            v.pointer("/VirtualMachine/ComputeTopology/Processor/Count"),
            Some(&json!(4))
        );
        assert_eq!(
            v.pointer("/VirtualMachine/ComputeTopology/Memory/SizeInMB"),
            Some(&json!(8192))
        );
        assert_eq!(
            v.pointer("/VirtualMachine/Devices/ComPorts"),
            Some(&json!({"0": {"NamedPipe": vm.pipes.dmesg_early}, "1": {"NamedPipe": vm.pipes.kernel_debug}}))
        );
        assert_eq!(
            v.pointer("/VirtualMachine/Chipset/LinuxKernelDirect/KernelCmdLine"),
            Some(&json!(cmd(&e, &host, dialect)))
        );
    }
}

#[test]
fn b7_arm64_windows_11() {
    let mut host = b7_host();
    host.arch = Arch::Arm64;
    let e = empty_file(&host, Dialect::Upstream);
    let expected = b7_with(|v| {
        let chipset = at(v, "/VirtualMachine/Chipset");
        let kernel_direct = chipset.remove("LinuxKernelDirect").unwrap();
        chipset.insert(
            "Uefi".into(),
            json!({"BootThis": {"DevicePath": "\\kernel", "DeviceType": "VmbFs",
                "OptionalData": kernel_direct["KernelCmdLine"], "VmbFsRootPath": "C:\\Program Files\\WSL\\tools"}}),
        );
        let processor = at(v, "/VirtualMachine/ComputeTopology/Processor");
        processor.remove("EnablePerfmonLbr");
        processor.remove("EnablePerfmonPmu");
        processor.remove("ExposeVirtualizationExtensions");
    });
    assert_eq!(hcs_json(&e, &host, Dialect::Upstream), expected);
    assert!(
        expected
            .contains(r#""Uefi":{"BootThis":{"DevicePath":"\\kernel","DeviceType":"VmbFs","OptionalData":"initrd="#)
    );
}

#[test]
fn b7_arm64_windows_10() {
    let mut host = b7_host();
    host.arch = Arch::Arm64;
    host.windows.build = 19045;
    host.windows.ubr = 3000;
    let e = empty_file(&host, Dialect::Upstream);
    let cmdline = r"initrd=\initrd.img WSL_ROOT_INIT=1 panic=-1 nr_cpus=16 hv_utils.timesync_implicit=1 printk.devkmsg=on page_reporting.page_reporting_order=9 hv_storvsc.storvsc_max_hw_queues=4 pty.legacy_count=0 WSL_ENABLE_CRASH_DUMP=1";
    let expected = b7_with(|v| {
        let chipset = at(v, "/VirtualMachine/Chipset");
        chipset.remove("LinuxKernelDirect");
        chipset.insert(
            "Uefi".into(),
            json!({"BootThis": {"DevicePath": "\\kernel", "DeviceType": "VmbFs",
                "OptionalData": cmdline, "VmbFsRootPath": "C:\\Program Files\\WSL\\tools"}}),
        );
        let processor = at(v, "/VirtualMachine/ComputeTopology/Processor");
        processor.retain(|k, _| k == "Count");
        let memory = at(v, "/VirtualMachine/ComputeTopology/Memory");
        for f in [
            "BackingPageSize",
            "FaultClusterSizeShift",
            "DirectMapFaultClusterSizeShift",
            "HostingProcessNameSuffix",
        ] {
            memory.remove(f);
        }
        memory.insert("HighMmioGapInMB".into(), json!(16384));
        memory.insert("HighMmioBaseInMB".into(), json!(49152));
        at(v, "/VirtualMachine/Devices").remove("VirtioSerial");
    });
    assert_eq!(hcs_json(&e, &host, Dialect::Upstream), expected);
}

#[test]
fn b7_windows_10_x64() {
    let mut host = b7_host();
    host.windows.build = 19045;
    host.windows.ubr = 3000;
    let e = empty_file(&host, Dialect::Upstream);
    assert!(!e.bool(k::NESTED_VIRTUALIZATION));
    let expected = b7_with(|v| {
        let direct = at(v, "/VirtualMachine/Chipset/LinuxKernelDirect");
        let line = direct["KernelCmdLine"]
            .as_str()
            .unwrap()
            .replace("page_reporting_order=5", "page_reporting_order=9");
        direct.insert("KernelCmdLine".into(), json!(line));
        let memory = at(v, "/VirtualMachine/ComputeTopology/Memory");
        for f in [
            "BackingPageSize",
            "FaultClusterSizeShift",
            "DirectMapFaultClusterSizeShift",
            "HostingProcessNameSuffix",
        ] {
            memory.remove(f);
        }
        at(v, "/VirtualMachine/ComputeTopology/Processor").remove("ExposeVirtualizationExtensions");
    });
    assert_eq!(hcs_json(&e, &host, Dialect::Upstream), expected);
}

#[test]
fn b7_safe_mode() {
    let host = b7_host();
    for dialect in BOTH {
        let e = safe_mode(&host, dialect);
        let cmdline = cmd(&e, &host, dialect);
        let expected = b7_with(|v| {
            at(v, "/VirtualMachine/Chipset/LinuxKernelDirect").insert("KernelCmdLine".into(), json!(cmdline));
            at(v, "/VirtualMachine/ComputeTopology/Processor").retain(|k, _| k == "Count");
            let memory = at(v, "/VirtualMachine/ComputeTopology/Memory");
            memory.insert("HighMmioGapInMB".into(), json!(16384));
            memory.insert("HighMmioBaseInMB".into(), json!(49152));
            at(v, "/VirtualMachine/Devices").remove("VirtioSerial");
        });
        assert_eq!(hcs_json(&e, &host, dialect), expected);
    }
}

#[test]
fn b3_mmio_examples() {
    let host = b7_host();
    let e = empty_file(&host, Dialect::Upstream);
    let mmio = |vm: &VmBuild, e: &Effective| {
        let v = wsl2_hcs(e, vm, &host, Dialect::Upstream);
        let m = &v["VirtualMachine"]["ComputeTopology"]["Memory"];
        (m["HighMmioGapInMB"].clone(), m["HighMmioBaseInMB"].clone())
    };
    // Defaults.
    assert_eq!(mmio(&vm_build(&e, &host), &e), (json!(24578), json!(40958)));
    // GUI apps off.
    let mut off = e.clone();
    set(&mut off, k::GUI_APPLICATIONS, Value::Bool(false));
    assert_eq!(mmio(&vm_build(&off, &host), &off), (json!(16384), json!(49152)));
    // GUI + virtio with a 300 MiB .img system distro: 24578 + 512.
    let mut vm = vm_build(&e, &host);
    vm.system_distro = SystemDistro::Pmem {
        path: r"C:\distro\system.img".into(),
        size: Some(300 << 20),
    };
    vm.high_mmio_gap_mb = 24578 + 512;
    vm.high_mmio_base_mb = 65536 - vm.high_mmio_gap_mb;
    assert_eq!(mmio(&vm, &e), (json!(25090), json!(40446)));
    // B.4: with a pmem system distro the modules disk is LUN 0.
    let v = wsl2_hcs(&e, &vm, &host, Dialect::Upstream);
    let attachments = v.pointer("/VirtualMachine/Devices/Scsi/0/Attachments").unwrap();
    assert_eq!(attachments.as_object().unwrap().len(), 1);
    assert_eq!(
        attachments["0"]["Path"],
        json!(r"C:\Program Files\WSL\tools\modules.vhd")
    );
    // Custom kernel, no custom modules: only the system disk.
    vm.system_distro = SystemDistro::Vhd {
        path: r"C:\d\sys.vhd".into(),
        custom: true,
    };
    vm.modules_path = None;
    let v = wsl2_hcs(&e, &vm, &host, Dialect::Upstream);
    assert_eq!(
        compact(v.pointer("/VirtualMachine/Devices/Scsi").unwrap()),
        r#"{"0":{"Attachments":{"0":{"AlwaysAllowSparseFiles":true,"Path":"C:\\d\\sys.vhd","ReadOnly":true,"SupportCompressedVolumes":true,"SupportEncryptedFiles":true,"Type":"VirtualDisk"}}}}"#
    );
}

#[test]
fn b2_memory_size_is_even_mib() {
    let host = b7_host();
    let mut e = empty_file(&host, Dialect::Upstream);
    set(&mut e, k::MEMORY, Value::Size((1001 << 20) + 12345));
    let v = wsl2_hcs(&e, &vm_build(&e, &host), &host, Dialect::Upstream);
    assert_eq!(
        v.pointer("/VirtualMachine/ComputeTopology/Memory/SizeInMB"),
        Some(&json!(1000))
    );
}

#[test]
fn b5_b6_ports() {
    let host = b7_host();
    // Debug console without early boot logging: the debug-console pipe on COM "0".
    let mut e = empty_file(&host, Dialect::Upstream);
    set(&mut e, k::DEBUG_CONSOLE, Value::Bool(true));
    set(&mut e, k::EARLY_BOOT_LOGGING, Value::Bool(false));
    let vm = vm_build(&e, &host);
    let v = wsl2_hcs(&e, &vm, &host, Dialect::Upstream);
    assert_eq!(
        v.pointer("/VirtualMachine/Devices/ComPorts"),
        Some(&json!({"0": {"NamedPipe": vm.pipes.debug_console}}))
    );
    // No debug shell (policy, P6): no hvc2.
    e.debug_shell = false;
    let v = wsl2_hcs(&e, &vm_build(&e, &host), &host, Dialect::Upstream);
    let ports = v.pointer("/VirtualMachine/Devices/VirtioSerial/Ports").unwrap();
    assert_eq!(ports.as_object().unwrap().keys().collect::<Vec<_>>(), ["0", "1"]);
}

// ------------------------------------------------------------------ §B.8

#[test]
fn b8_wslc_document() {
    let host = b7_host();
    let v = wslc_hcs(&host, Dialect::Upstream);
    assert_eq!(v["Owner"], json!("WSLC"));
    assert_eq!(v["SchemaVersion"], json!({"Major": 2, "Minor": 7}));
    let vm = &v["VirtualMachine"];
    assert_eq!(
        compact(&vm["ComputeTopology"]),
        r#"{"Memory":{"AllowOvercommit":true,"BackingPageSize":"Small","DirectMapFaultClusterSizeShift":4,"EnableColdDiscardHint":true,"EnableDeferredCommit":true,"FaultClusterSizeShift":4,"SizeInMB":16384},"Processor":{"Count":16,"EnablePerfmonLbr":true,"EnablePerfmonPmu":true}}"#
    );
    assert_eq!(
        compact(&vm["Chipset"]["LinuxKernelDirect"]),
        format!(
            r#"{{"InitRdPath":"C:\\Program Files\\WSL\\tools\\initrd.img","KernelCmdLine":{},"KernelFilePath":"C:\\Program Files\\WSL\\tools\\kernel"}}"#,
            compact(&json!(wslc_cmdline(&host, Dialect::Upstream)))
        )
    );
    let devices = &vm["Devices"];
    assert_eq!(devices["ComPorts"], json!({}));
    assert_eq!(
        devices["Scsi"]["0"]["Attachments"]["0"]["Path"],
        json!(r"C:\Program Files\WSL\system.vhd")
    );
    assert_eq!(
        devices["Scsi"]["0"]["Attachments"]["1"]["Path"],
        json!(r"C:\Program Files\WSL\tools\modules.vhd")
    );
    assert_eq!(
        devices["VirtioSerial"],
        json!({"Ports": {"0": {"ConsoleSupport": true, "Name": "hvc0", "NamedPipe": PIPE_C0}}})
    );
    assert_eq!(
        vm["DebugOptions"],
        json!({"BugcheckSavedStateFileName":
            r"C:\Users\user\AppData\Local\Temp\wslc-crashes\saved-state-0-3F2504E0-4F89-11D3-9A0C-0305E82C3301.vmrs"})
    );
    // Identical in the seed dialect except for the command line.
    let mut seed = wslc_hcs(&host, Dialect::Seed);
    seed["VirtualMachine"]["Chipset"]["LinuxKernelDirect"]["KernelCmdLine"] =
        json!(wslc_cmdline(&host, Dialect::Upstream));
    assert_eq!(compact(&seed), compact(&v));
}

#[test]
fn b8_wslc_session_settings() {
    let mut host = b7_host();
    host.wslc.display_name = Some("My Session (2)!".into());
    host.wslc.root_vhd_override = Some(r"D:\images\root.vhd".into());
    host.wslc.memory_mb = Some(4097);
    host.wslc.cpu_count = Some(2);
    host.wslc.feature_flags = feature::EARLY_BOOT_DMESG;
    host.vm.start_unix_time = 1700000000;
    let v = wslc_hcs(&host, Dialect::Upstream);
    assert_eq!(v["Owner"], json!("My Session (2)!"));
    let memory = &v["VirtualMachine"]["ComputeTopology"]["Memory"];
    assert_eq!(memory["HostingProcessNameSuffix"], json!("My_Session__2__"));
    assert_eq!(memory["SizeInMB"], json!(4096));
    assert_eq!(v["VirtualMachine"]["ComputeTopology"]["Processor"]["Count"], json!(2));
    let devices = &v["VirtualMachine"]["Devices"];
    assert_eq!(
        devices["Scsi"]["0"]["Attachments"]["0"]["Path"],
        json!(r"D:\images\root.vhd")
    );
    assert_eq!(
        devices["ComPorts"],
        json!({"0": {"NamedPipe": identity::pipe_names(&host).dmesg_early}})
    );
    assert_eq!(
        v["VirtualMachine"]["DebugOptions"]["BugcheckSavedStateFileName"],
        json!(
            r"C:\Users\user\AppData\Local\Temp\wslc-crashes\saved-state-1700000000-3F2504E0-4F89-11D3-9A0C-0305E82C3301.vmrs"
        )
    );

    // Windows 10: schema 2.3, no saved-state file, no density fields, no suffix.
    host.windows.build = 19045;
    host.windows.ubr = 5000;
    let v = wslc_hcs(&host, Dialect::Upstream);
    assert_eq!(v["SchemaVersion"], json!({"Major": 2, "Minor": 3}));
    assert_eq!(v["VirtualMachine"]["DebugOptions"], json!({}));
    let memory = v["VirtualMachine"]["ComputeTopology"]["Memory"].as_object().unwrap();
    assert!(!memory.contains_key("BackingPageSize") && !memory.contains_key("HostingProcessNameSuffix"));
    assert!(!memory.contains_key("HighMmioGapInMB"));

    // arm64: UEFI from <install>\tools, no perfmon fields.
    host.arch = Arch::Arm64;
    let v = wslc_hcs(&host, Dialect::Upstream);
    assert_eq!(
        v["VirtualMachine"]["Chipset"]["Uefi"]["BootThis"]["VmbFsRootPath"],
        json!(r"C:\Program Files\WSL\tools")
    );
    assert_eq!(v["VirtualMachine"]["ComputeTopology"]["Processor"], json!({"Count": 2}));
}

#[test]
fn a4_wslc_command_line() {
    let mut host = b7_host();
    let upstream = r"initrd=\initrd.img WSLC_ROOT_INIT=1 panic=-1 nr_cpus=16 hv_utils.timesync_implicit=1 printk.devkmsg=on page_reporting.page_reporting_order=5 hv_storvsc.storvsc_max_hw_queues=4 console=hvc0 debug";
    assert_eq!(wslc_cmdline(&host, Dialect::Upstream), upstream);
    assert_eq!(wslc_cmdline(&host, Dialect::Seed), without_storvsc(upstream));

    // VirtioFs feature: the swiotlb default; EarlyBootDmesg: fragment 10.
    host.wslc.feature_flags = feature::VIRTIO_FS | feature::EARLY_BOOT_DMESG;
    host.wslc.cpu_count = Some(4);
    host.windows.build = 22631;
    host.windows.ubr = 4000;
    assert_eq!(
        wslc_cmdline(&host, Dialect::Upstream),
        r"initrd=\initrd.img WSLC_ROOT_INIT=1 panic=-1 nr_cpus=4 hv_utils.timesync_implicit=1 printk.devkmsg=on page_reporting.page_reporting_order=9 swiotlb=force hv_pci_swiotlb=67108864 earlycon=uart8250,io,0x3f8,115200 console=hvc0 debug"
    );
    assert_eq!(
        wslc_cmdline(&host, Dialect::Seed),
        r"initrd=\initrd.img WSLC_ROOT_INIT=1 panic=-1 nr_cpus=4 hv_utils.timesync_implicit=1 printk.devkmsg=on page_reporting.page_reporting_order=9 swiotlb=force hv_pci_swiotlb=0x40000000,64M earlycon=uart8250,io,0x3f8,115200 console=hvc0 debug"
    );

    // The threshold is 1 GiB + 64 MiB; Consomme networking also asks for it.
    host.wslc.feature_flags = 0;
    host.wslc.networking_mode = wslc_mode::CONSOMME;
    host.wslc.memory_mb = Some(1024 + 63);
    assert!(!wslc_cmdline(&host, Dialect::Upstream).contains("swiotlb"));
    host.wslc.memory_mb = Some(1024 + 64);
    assert!(wslc_cmdline(&host, Dialect::Upstream).contains(" swiotlb=force hv_pci_swiotlb=67108864 "));
    // Build 22000 UBR < 40: no virtio serial console.
    host.windows.build = 22000;
    host.windows.ubr = 39;
    assert!(!wslc_cmdline(&host, Dialect::Upstream).contains("console"));
}

// ------------------------------------------------------------------ §C

/// The default host with the §C.2.1 tag for drive C.
fn c_host() -> HostProfile {
    let mut host = b7_host();
    host.virtiofs.tags = vec![TAG.into()];
    host
}

/// The upstream guest pool of the §C examples.
fn with_guest_pool(host: &mut HostProfile) {
    host.guest.hv_pci_swiotlb_base = Some(0x7c000000);
    host.guest.hv_pci_swiotlb_size = Some(67108864);
}

fn shares(records: &[DeviceRecord]) -> Vec<&DeviceRecord> {
    records.iter().filter(|r| r.kind == DeviceKind::Virtiofs).collect()
}

#[test]
fn c21_fixed_drive_shares() {
    let host = c_host();
    let e = with_virtiofs(&host, Dialect::Seed);
    let records = devices(&e, &host, Dialect::Seed);
    let share = shares(&records)[0];
    assert_eq!(
        share.name_with_options,
        "0f8fad5b-d9cb-469f-a165-70867728950e;gid=1000;swiotlb=0x40000000,64M;symlinkroot=/mnt/;uid=1000;vmId=3F2504E0-4F89-11D3-9A0C-0305E82C3301"
    );
    assert_eq!(share.device_id, "872270E1-A899-4AF6-B454-7193634435AD");
    assert_eq!(share.class_id, "60285AE6-AAF3-4456-B444-A6C2D0DEDA38");
    assert_eq!(share.path, r"C:\");
    assert_eq!(share.flags, 0x8000);
    assert_eq!(share.requires, ["guest.swiotlb"]);

    let mut host = c_host();
    with_guest_pool(&mut host);
    let e = with_virtiofs(&host, Dialect::Upstream);
    let records = devices(&e, &host, Dialect::Upstream);
    assert_eq!(
        shares(&records)[0].name_with_options,
        "0f8fad5b-d9cb-469f-a165-70867728950e;gid=1000;swiotlb=0x7c000000,67108864;symlinkroot=/mnt/;uid=1000;vcpus=1;vm_id=3F2504E0-4F89-11D3-9A0C-0305E82C3301"
    );

    // Without a token the swiotlb piece is simply absent: upstream without
    // guest facts, seed when the guest says its kernel lacks support.
    let host = c_host();
    let records = devices(&with_virtiofs(&host, Dialect::Upstream), &host, Dialect::Upstream);
    assert_eq!(
        shares(&records)[0].name_with_options,
        "0f8fad5b-d9cb-469f-a165-70867728950e;gid=1000;symlinkroot=/mnt/;uid=1000;vcpus=1;vm_id=3F2504E0-4F89-11D3-9A0C-0305E82C3301"
    );
    assert_eq!(shares(&records)[0].requires, ["guest.swiotlb"]);
    let mut host = c_host();
    host.guest.kernel_supports_hv_pci_swiotlb = Some(false);
    let records = devices(&with_virtiofs(&host, Dialect::Seed), &host, Dialect::Seed);
    assert_eq!(
        shares(&records)[0].name_with_options,
        "0f8fad5b-d9cb-469f-a165-70867728950e;gid=1000;symlinkroot=/mnt/;uid=1000;vmId=3F2504E0-4F89-11D3-9A0C-0305E82C3301"
    );
}

#[test]
fn c21_share_conditions_and_elevation() {
    let mut host = c_host();
    host.fixed_drives = vec!["D".into(), "C".into()];
    host.user.elevated = true;
    let e = with_virtiofs(&host, Dialect::Upstream);
    let records = devices(&e, &host, Dialect::Upstream);
    let s = shares(&records);
    assert_eq!(s.iter().map(|r| r.path.as_str()).collect::<Vec<_>>(), [r"C:\", r"D:\"]);
    assert!(s.iter().all(|r| r.class_id == "7E6AD219-D1B3-42D5-B8EE-D96324E64FF6"));
    // The second tag is derived (passes.md §1.5).
    assert!(s[1].name_with_options.starts_with(&identity::share_tags(&host)[1].1));
    // No shares without virtiofs or without host file-system access.
    let mut off = e.clone();
    set(&mut off, k::HOST_FILE_SYSTEM_ACCESS, Value::Bool(false));
    assert!(shares(&devices(&off, &host, Dialect::Upstream)).is_empty());
    assert!(
        shares(&devices(
            &empty_file(&host, Dialect::Upstream),
            &host,
            Dialect::Upstream
        ))
        .is_empty()
    );
}

#[test]
fn c22_canonical_options() {
    assert_eq!(
        devices::canonical_options(";uid=1000;gid=1000;symlinkroot=/mnt/;swiotlb=0x1,2;vcpus=1"),
        "gid=1000;swiotlb=0x1,2;symlinkroot=/mnt/;uid=1000;vcpus=1"
    );
    // `k=` becomes `k`; the first value of a key wins; empty pieces and empty keys go.
    assert_eq!(devices::canonical_options("k=;;b=2;=x;b=3;a"), "a;b=2;k");
    // Case-sensitive ordinal order: uppercase first.
    assert_eq!(devices::canonical_options("b;B;a"), "B;a;b");
    // UTF-16 code-unit order: a surrogate pair (U+1F600) sorts before U+FF61.
    assert_eq!(devices::canonical_options("\u{ff61};\u{1f600}"), "\u{1f600};\u{ff61}");
    assert_eq!(devices::canonical_options(""), "");
}

#[test]
fn c24_wslg() {
    let host = b7_host();
    for (dialect, key) in [(Dialect::Seed, "vmId"), (Dialect::Upstream, "vm_id")] {
        let records = devices(&empty_file(&host, dialect), &host, dialect);
        assert_eq!(records.len(), 1);
        let wslg = &records[0];
        assert_eq!(wslg.kind, DeviceKind::VirtiofsShm);
        assert_eq!(wslg.name_with_options, format!("wslg;{key}={MACHINE_ID}"));
        assert_eq!(
            wslg.path,
            r"\Sessions\1\BaseNamedObjects\WSL\3F2504E0-4F89-11D3-9A0C-0305E82C3301\wslg"
        );
        assert_eq!(wslg.flags, 0x20004000);
        assert_eq!(wslg.flags, 536887296);
        assert_eq!(wslg.class_id, "60285AE6-AAF3-4456-B444-A6C2D0DEDA38");
        assert!(wslg.requires.is_empty());
    }
    // GUI apps need virtio.
    assert!(devices(&safe_mode(&host, Dialect::Seed), &host, Dialect::Seed).is_empty());
}

#[test]
fn c25_pmem() {
    let host = b7_host();
    for (dialect, key) in [(Dialect::Seed, "vmId"), (Dialect::Upstream, "vm_id")] {
        let e = empty_file(&host, dialect);
        let mut vm = vm_build(&e, &host);
        vm.system_distro = SystemDistro::Pmem {
            path: r"C:\distro\system.img".into(),
            size: Some(300 << 20),
        };
        let records = wsl2_devices(&e, &vm, &host, dialect);
        let pmem = &records[0];
        assert_eq!(pmem.kind, DeviceKind::Pmem);
        assert_eq!(pmem.device_id, "EDBB24BB-5E19-40F4-8A0F-8224313064FD");
        assert_eq!(pmem.class_id, "ABB755FC-1B86-4255-83E2-E5787ABCF6C2");
        assert_eq!(pmem.name_with_options, format!(";{key}={MACHINE_ID}"));
        assert_eq!(pmem.path, r"C:\distro\system.img");
        assert_eq!(pmem.flags, 1);
    }
}

/// `networkingMode=VirtioProxy` on the default host (P13 default swiotlb).
fn virtio_proxy(host: &HostProfile, dialect: Dialect) -> Effective {
    let mut e = empty_file(host, dialect);
    set(&mut e, k::NETWORKING_MODE, mode4());
    set(&mut e, k::SWIOTLB, Value::Swiotlb(p13_default(dialect)));
    e
}

fn net(records: &[DeviceRecord]) -> Vec<&DeviceRecord> {
    records.iter().filter(|r| r.kind == DeviceKind::VirtioNet).collect()
}

#[test]
fn c26_virtio_net() {
    let host = b7_host();
    let records = devices(&virtio_proxy(&host, Dialect::Seed), &host, Dialect::Seed);
    let n = net(&records);
    assert_eq!(
        names(&records),
        [
            "eth0;swiotlb=0x40000000,64M;vmId=3F2504E0-4F89-11D3-9A0C-0305E82C3301",
            "loopback0;swiotlb=0x40000000,64M;vmId=3F2504E0-4F89-11D3-9A0C-0305E82C3301",
            "wslg;vmId=3F2504E0-4F89-11D3-9A0C-0305E82C3301",
        ]
    );
    assert_eq!(n[0].device_id, "F07010D0-0EA9-447F-88EF-BD952A4D2F14");
    assert_eq!(n[0].class_id, "16479D2E-F0C3-4DBA-BF7A-04FFF0892B07");
    assert_eq!(n[0].path, "");
    assert_eq!(n[1].path, "client_ip=127.0.0.1;client_mac=00:11:22:33:44:55");
    assert_eq!((n[0].flags, n[1].flags), (0, 0));
    assert_eq!(n[0].requires, ["guest.swiotlb"]);

    let mut host = b7_host();
    with_guest_pool(&mut host);
    let records = devices(&virtio_proxy(&host, Dialect::Upstream), &host, Dialect::Upstream);
    let n = net(&records);
    assert_eq!(
        n[0].name_with_options,
        "eth0;swiotlb=0x7c000000,67108864;vm_id=3F2504E0-4F89-11D3-9A0C-0305E82C3301"
    );
    assert_eq!(n[0].class_id, "9E0D1898-CA63-424E-8D49-9D6067A36BCE");
    assert_eq!(
        n[1].path,
        "client_ip=127.0.0.1;client_mac=00:11:22:33:44:55;gateway_ip=169.254.73.249;netmask=255.255.255.248"
    );

    // No swiotlb (below the threshold): no token.
    let host = b7_host();
    for (dialect, key) in [(Dialect::Seed, "vmId"), (Dialect::Upstream, "vm_id")] {
        let mut e = virtio_proxy(&host, dialect);
        set(&mut e, k::MEMORY, Value::Size(1 << 30));
        set(&mut e, k::SWIOTLB, Value::Swiotlb(Swiotlb::Unset));
        let records = devices(&e, &host, dialect);
        assert_eq!(net(&records)[0].name_with_options, format!("eth0;{key}={MACHINE_ID}"));
        assert!(net(&records)[0].requires.is_empty());
    }

    // loopback0 only with localhost forwarding.
    let mut e = virtio_proxy(&host, Dialect::Upstream);
    set(&mut e, k::LOCALHOST_FORWARDING, Value::Bool(false));
    let records = devices(&e, &host, Dialect::Upstream);
    assert_eq!(net(&records).len(), 1);
}

#[test]
fn c26_eth0_path() {
    let mut host = b7_host();
    host.host.endpoint.ipv4 = "192.168.1.20".into();
    host.host.endpoint.prefix_len = Some(24);
    host.host.endpoint.gateway = "192.168.1.1".into();
    host.host.endpoint.ipv6 = "fd00::20".into();
    let eth0_path = |host: &HostProfile, dialect| devices(&virtio_proxy(host, dialect), host, dialect)[0].path.clone();
    assert_eq!(
        eth0_path(&host, Dialect::Upstream),
        "netmask=255.255.255.0;client_ip=192.168.1.20;gateway_ip=192.168.1.1;client_ip_ipv6=fd00::20"
    );
    assert_eq!(
        eth0_path(&host, Dialect::Seed),
        "client_ip=192.168.1.20;gateway_ip=192.168.1.1;client_ip_ipv6=fd00::20"
    );
    // Empty values are omitted; netmask is written for every given prefix, 0 included.
    host.host.endpoint.ipv6.clear();
    host.host.endpoint.gateway.clear();
    host.host.endpoint.prefix_len = Some(0);
    assert_eq!(
        eth0_path(&host, Dialect::Upstream),
        "netmask=0.0.0.0;client_ip=192.168.1.20"
    );
    host.host.endpoint.prefix_len = Some(32);
    assert_eq!(
        eth0_path(&host, Dialect::Upstream),
        "netmask=255.255.255.255;client_ip=192.168.1.20"
    );
    host.host.endpoint.prefix_len = Some(20);
    assert_eq!(
        eth0_path(&host, Dialect::Upstream),
        "netmask=255.255.240.0;client_ip=192.168.1.20"
    );
    host.host.endpoint.prefix_len = None;
    assert_eq!(eth0_path(&host, Dialect::Upstream), "client_ip=192.168.1.20");
}

#[test]
fn d_record_order_and_shape() {
    let mut host = c_host();
    host.fixed_drives = vec!["C".into(), "D".into()];
    let mut e = virtio_proxy(&host, Dialect::Seed);
    set(&mut e, k::VIRTIOFS, Value::Bool(true));
    let mut vm = vm_build(&e, &host);
    vm.system_distro = SystemDistro::Pmem {
        path: r"C:\sd.img".into(),
        size: None,
    };
    let records = wsl2_devices(&e, &vm, &host, Dialect::Seed);
    let kinds: Vec<_> = records.iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        [
            DeviceKind::Pmem,
            DeviceKind::Virtiofs,
            DeviceKind::Virtiofs,
            DeviceKind::VirtioNet,
            DeviceKind::VirtioNet,
            DeviceKind::VirtiofsShm
        ]
    );
    assert!(
        records[3].name_with_options.starts_with("eth0;") && records[4].name_with_options.starts_with("loopback0;")
    );
    // No `;;` anywhere, the VM-id token on every record.
    for r in &records {
        assert!(!r.name_with_options.contains(";;"), "{}", r.name_with_options);
        assert!(r.name_with_options.ends_with(&format!(";vmId={MACHINE_ID}")));
    }
    assert_eq!(
        serde_json::to_value(&records[5]).unwrap(),
        json!({
            "kind": "virtiofs-shm",
            "deviceId": "872270E1-A899-4AF6-B454-7193634435AD",
            "classId": "60285AE6-AAF3-4456-B444-A6C2D0DEDA38",
            "nameWithOptions": "wslg;vmId=3F2504E0-4F89-11D3-9A0C-0305E82C3301",
            "path": r"\Sessions\1\BaseNamedObjects\WSL\3F2504E0-4F89-11D3-9A0C-0305E82C3301\wslg",
            "flags": 536887296,
            "requires": []
        })
    );
    assert_eq!(serde_json::to_value(records[3].kind).unwrap(), json!("virtio-net"));
    assert_eq!(serde_json::to_value(records[0].kind).unwrap(), json!("pmem"));
    assert_eq!(serde_json::to_value(records[1].kind).unwrap(), json!("virtiofs"));
    assert!(records[0].requires.is_empty() && records[1].requires == ["guest.swiotlb"]);
    let schema = serde_json::to_value(schemars::schema_for!(DeviceRecord)).unwrap();
    assert!(schema["properties"]["nameWithOptions"].is_object());
}

#[test]
fn r1_runtime_swiotlb() {
    let mut host = b7_host();
    let seed = with_virtiofs(&host, Dialect::Seed);
    let upstream = with_virtiofs(&host, Dialect::Upstream);
    // No guest facts: nothing to report.
    assert!(!runtime_swiotlb_unsupported(&seed, &host, Dialect::Seed));
    assert!(!runtime_swiotlb_unsupported(&upstream, &host, Dialect::Upstream));
    // Seed: the capability flag.
    host.guest.kernel_supports_hv_pci_swiotlb = Some(false);
    assert!(runtime_swiotlb_unsupported(&seed, &host, Dialect::Seed));
    assert!(!runtime_swiotlb_unsupported(
        &empty_file(&host, Dialect::Seed),
        &host,
        Dialect::Seed
    ));
    // Upstream: a published pool with a zero.
    host.guest.hv_pci_swiotlb_base = Some(0);
    host.guest.hv_pci_swiotlb_size = Some(0);
    assert!(runtime_swiotlb_unsupported(&upstream, &host, Dialect::Upstream));
    assert!(!runtime_swiotlb_unsupported(
        &empty_file(&host, Dialect::Upstream),
        &host,
        Dialect::Upstream
    ));
    with_guest_pool(&mut host);
    assert!(!runtime_swiotlb_unsupported(&upstream, &host, Dialect::Upstream));
    // The size form in the seed dialect follows the upstream rule.
    let mut size_in_seed = seed.clone();
    set(&mut size_in_seed, k::SWIOTLB, Value::Swiotlb(Swiotlb::Size(64 << 20)));
    assert!(!runtime_swiotlb_unsupported(&size_in_seed, &host, Dialect::Seed));
    let records = devices(&size_in_seed, &host, Dialect::Seed);
    assert!(
        shares(&records)[0]
            .name_with_options
            .contains(";swiotlb=0x7c000000,67108864;")
    );
    host.guest.hv_pci_swiotlb_size = Some(0);
    assert!(runtime_swiotlb_unsupported(&size_in_seed, &host, Dialect::Seed));
}

#[test]
fn bad_device_values_are_reported() {
    let host = c_host();
    let e = with_virtiofs(&host, Dialect::Upstream);
    let mut e4 = e.clone();
    set(&mut e4, k::NETWORKING_MODE, mode4());
    assert!(check_device_values(&e4, &vm_build(&e4, &host), &host, Dialect::Upstream).is_empty());

    let mut bad = c_host();
    bad.virtiofs.tags = vec!["a=b".into()];
    bad.vm.id = "3F2504E0-4F89-11D3-9A0C-0305E82C3301;x".into();
    bad.host.endpoint.ipv4 = "10.0.0.1;gateway_ip=1.2.3.4".into();
    bad.host.endpoint.gateway = "10.0.0.\u{7}".into();
    bad.host.endpoint.prefix_len = Some(40);
    let found = check_device_values(&e4, &vm_build(&e4, &bad), &bad, Dialect::Upstream);
    let sources: Vec<(&str, &str)> = found.iter().map(|b| (b.source.as_str(), b.problem.as_str())).collect();
    assert_eq!(
        sources,
        [
            ("virtiofs.tags", "contains `=`"),
            ("vm.id", "contains `;`"),
            ("host.endpoint.prefixLen", "is above 32"),
            ("host.endpoint.ipv4", "contains `;`"),
            ("host.endpoint.gateway", "contains a control character"),
        ]
    );
    // Values that land nowhere are not reported.
    let plain = empty_file(&bad, Dialect::Upstream);
    let mut no_devices = plain.clone();
    set(&mut no_devices, k::GUI_APPLICATIONS, Value::Bool(false));
    assert!(check_device_values(&no_devices, &vm_build(&no_devices, &bad), &bad, Dialect::Upstream).is_empty());
    // WSLC: the same checks on its eth0.
    bad.wslc.networking_mode = wslc_mode::CONSOMME;
    assert_eq!(check_wslc_device_values(&bad, Dialect::Seed).len(), 3);
    assert!(check_wslc_device_values(&c_host(), Dialect::Seed).is_empty());
}

// ------------------------------------------------------------------ §C.3

#[test]
fn c3_wslc_devices() {
    let mut host = b7_host();
    assert!(wslc_devices(&host, Dialect::Upstream).is_empty());
    host.wslc.networking_mode = wslc_mode::CONSOMME;
    with_guest_pool(&mut host);
    let records = wslc_devices(&host, Dialect::Upstream);
    assert_eq!(
        names(&records),
        [
            "eth0;swiotlb=0x7c000000,67108864;vm_id=3F2504E0-4F89-11D3-9A0C-0305E82C3301",
            "loopback0;swiotlb=0x7c000000,67108864;vm_id=3F2504E0-4F89-11D3-9A0C-0305E82C3301",
        ]
    );
    assert_eq!(
        records[1].path,
        "client_ip=169.254.73.250;client_mac=00:11:22:33:44:55;gateway_ip=169.254.73.249;netmask=255.255.255.248"
    );
    assert_eq!(records[0].requires, ["guest.swiotlb"]);
    // PortRelayWslRelay: no loopback0.
    host.wslc.feature_flags = feature::PORT_RELAY_WSL_RELAY;
    assert_eq!(wslc_devices(&host, Dialect::Upstream).len(), 1);
    // Seed: never loopback0; the default string directly, no runtime dependency.
    let records = wslc_devices(&host, Dialect::Seed);
    assert_eq!(
        names(&records),
        ["eth0;swiotlb=0x40000000,64M;vmId=3F2504E0-4F89-11D3-9A0C-0305E82C3301"]
    );
    assert!(records[0].requires.is_empty());
    assert_eq!(records[0].class_id, "16479D2E-F0C3-4DBA-BF7A-04FFF0892B07");
}

#[test]
fn c3_wslc_shares() {
    let guid = "{2C1B7A3E-0000-4000-8000-000000000001}";
    let bare = "2c1b7a3e-0000-4000-8000-000000000001";
    let mut host = b7_host();
    host.wslc.feature_flags = feature::VIRTIO_FS;
    let share = wslc_share(guid, r"C:\data", true, &host, Dialect::Seed);
    assert_eq!(
        share.name_with_options,
        format!("{bare};ro;swiotlb=0x40000000,64M;vmId={MACHINE_ID}")
    );
    assert_eq!(share.path, r"C:\data");
    assert_eq!(share.flags, 0x8000);
    assert_eq!(share.class_id, "60285AE6-AAF3-4456-B444-A6C2D0DEDA38");
    // Upstream without a pool, not read-only.
    let share = wslc_share(guid, r"C:\data", false, &host, Dialect::Upstream);
    assert_eq!(share.name_with_options, format!("{bare};vcpus=1;vm_id={MACHINE_ID}"));
    assert_eq!(share.requires, ["guest.swiotlb"]);
    // Upstream with the pool; elevated session user.
    with_guest_pool(&mut host);
    host.user.elevated = true;
    let share = wslc_share(guid, r"C:\data", true, &host, Dialect::Upstream);
    assert_eq!(
        share.name_with_options,
        format!("{bare};ro;swiotlb=0x7c000000,67108864;vcpus=1;vm_id={MACHINE_ID}")
    );
    assert_eq!(share.class_id, "7E6AD219-D1B3-42D5-B8EE-D96324E64FF6");
}

#[test]
fn p13_table_helper() {
    assert_eq!(
        swiotlb_default((1 << 30) + (64 << 20) - 1, Dialect::Upstream),
        Swiotlb::Unset
    );
    assert_eq!(
        swiotlb_default((1 << 30) + (64 << 20), Dialect::Upstream),
        p13_default(Dialect::Upstream)
    );
    assert_eq!(swiotlb_default(2 << 30, Dialect::Seed), p13_default(Dialect::Seed));
    assert_eq!(WslcSession::from_host(&HostProfile::default()).memory_mb, 16384);
}

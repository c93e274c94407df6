//! Compile outputs of every fixture, in both dialects, on every host of
//! `fixtures/hosts/` and the embedded default, as insta snapshots under
//! `snapshots/compile/`: one file per (host, dialect) holding one block per
//! fixture (then one per example configuration of the spec, which reach what
//! the fixtures do not: debug console, kernel debugger, virtio-net, pmem, a
//! custom kernel), and one file per host for `--target wslc`. A block holds
//! the diagnostics (id@line), whether it compiled, the kernel command line,
//! the compact HCS document, the devices and the effective values that differ
//! from the empty file's on that host. Every block was read against the spec
//! when the snapshots were accepted.
//!
//! The spec gives some outputs literally (outputs.md §A.5, §B.7); those are
//! asserted byte for byte in the separate tests at the end, independently of
//! the snapshots.

mod common;

use serde_json::{Map, Value};
use std::fmt::Write;
use wslcfg::compile::{Compilation, Target, compile};
use wslcfg::emit::compact;
use wslcfg::host::HostProfile;
use wslcfg::lint::LintOptions;
use wslcfg::registry::Dialect;

const DIALECTS: [Dialect; 2] = [Dialect::Seed, Dialect::Upstream];

/// `("default", embedded default)`, then every host fixture by file name.
fn hosts() -> Vec<(String, HostProfile)> {
    let mut out = vec![("default".to_owned(), HostProfile::default())];
    out.extend(common::host_fixtures());
    out
}

fn options(host: &HostProfile, dialect: Dialect) -> LintOptions {
    LintOptions {
        dialect,
        host: host.clone(),
        ..LintOptions::default()
    }
}

fn compile_text(text: &str, host: &HostProfile, dialect: Dialect) -> Compilation {
    compile(
        ".wslconfig",
        Some(text.as_bytes().to_vec()),
        &options(host, dialect),
        Target::Wsl2,
    )
}

fn effective(c: &Compilation) -> Map<String, Value> {
    c.effective().map(|e| e.to_json()).unwrap_or_default()
}

fn rel(path: &std::path::Path) -> String {
    path.strip_prefix(common::root())
        .expect("under the root")
        .to_string_lossy()
        .replace('\\', "/")
}

fn devices_block(out: &mut String, plan: &wslcfg::plan::Plan) {
    if plan.devices.is_empty() {
        out.push_str("devices: none\n");
        return;
    }
    out.push_str("devices:\n");
    for d in &plan.devices {
        let kind = serde_json::to_value(d.kind).expect("kinds serialize");
        let _ = writeln!(
            out,
            "  {} {}\n    path: {}",
            kind.as_str().unwrap_or("?"),
            d.name_with_options,
            d.path
        );
    }
}

/// One fixture's block of a (host, dialect) snapshot.
fn block(out: &mut String, name: &str, c: &Compilation, baseline: &Map<String, Value>) {
    let _ = writeln!(out, "== {name}");
    let ids: Vec<String> = c
        .report
        .diagnostics
        .iter()
        .map(|d| format!("{}@{}", d.id, d.line.map_or("-".to_owned(), |l| l.to_string())))
        .collect();
    let _ = writeln!(
        out,
        "diagnostics: {}",
        if ids.is_empty() {
            "none".to_owned()
        } else {
            ids.join(" ")
        }
    );
    match &c.plan {
        None => out.push_str("compiled: no\n"),
        Some(plan) => {
            out.push_str("compiled: yes\n");
            let _ = writeln!(out, "cmdline: {}", plan.kernel_command_line);
            let _ = writeln!(out, "hcs: {}", compact(&plan.hcs));
            devices_block(out, plan);
        }
    }
    if c.effective().is_none() {
        out.push_str("effective: none\n\n");
        return;
    }
    let eff = effective(c);
    let mut diffs = Vec::new();
    for (k, v) in &eff {
        if baseline.get(k) != Some(v) {
            diffs.push(format!("  {k} = {v}"));
        }
    }
    for k in baseline.keys().filter(|k| !eff.contains_key(*k)) {
        diffs.push(format!("  {k} (absent)"));
    }
    if diffs.is_empty() {
        out.push_str("effective: as the empty file\n");
    } else {
        out.push_str("effective (differs from the empty file):\n");
        for d in diffs {
            out.push_str(&d);
            out.push('\n');
        }
    }
    out.push('\n');
}

fn snapshot(name: &str, info: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots/compile");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_description(info);
    settings.bind(|| insta::assert_snapshot!(name.to_owned(), text));
}

fn wsl2_snapshot(host_name: &str, host: &HostProfile, dialect: Dialect, fixtures: &[(String, Vec<u8>)]) {
    let empty = compile_text("", host, dialect);
    let baseline = effective(&empty);
    assert!(
        !baseline.is_empty(),
        "{host_name}: the empty file has no effective configuration"
    );
    let mut out = String::new();
    for (name, bytes) in fixtures {
        let c = compile(name, Some(bytes.clone()), &options(host, dialect), Target::Wsl2);
        block(&mut out, name, &c, &baseline);
    }
    // The spec's example configurations, which exercise what the fixtures
    // leave out (debug console, kernel debugger, virtio-net, pmem, a custom
    // kernel) on every host.
    for (name, text) in spec_examples(dialect) {
        let c = compile_text(&text, host, dialect);
        block(&mut out, &name, &c, &baseline);
    }
    snapshot(
        &format!("{host_name}-{}", dialect.as_str()),
        &format!(
            "every fixture compiled on host `{host_name}`, dialect {}",
            dialect.as_str()
        ),
        &out,
    );
}

/// Example configurations of the spec, by name.
fn spec_examples(dialect: Dialect) -> Vec<(String, String)> {
    [
        ("outputs.md A.5 EX2", ex2_text(dialect)),
        ("outputs.md A.5 virtiofs", "[wsl2]\nvirtiofs=true\n".to_owned()),
        ("outputs.md A.5 safe mode", "[wsl2]\nsafeMode=true\n".to_owned()),
        (
            "passes.md 6.1 VirtioProxy",
            "[wsl2]\nnetworkingMode=VirtioProxy\n".to_owned(),
        ),
        (
            "passes.md 6.1 VirtioProxy without virtio",
            "[wsl2]\nnetworkingMode=VirtioProxy\nvirtio=false\n".to_owned(),
        ),
        (
            "passes.md 6.1 memory=2GB virtiofs",
            "[wsl2]\nmemory=2GB\nvirtiofs=true\n".to_owned(),
        ),
        (
            "outputs.md B.3 pmem system distro, custom kernel",
            "[wsl2]\nsystemDistro=C:\\\\sd.img\nkernel=C:\\\\k\\\\bzImage\n".to_owned(),
        ),
    ]
    .into_iter()
    .map(|(name, text)| (format!("spec: {name}"), text))
    .collect()
}

fn wslc_snapshot(host_name: &str, host: &HostProfile) {
    let mut out = String::new();
    for dialect in DIALECTS {
        let c = compile("(no file)", None, &options(host, dialect), Target::Wslc);
        let _ = writeln!(out, "== wslc {}", dialect.as_str());
        let plan = c.plan.as_ref().expect("WSLC always compiles on a fixture host");
        assert!(
            c.report.diagnostics.is_empty(),
            "{host_name}: {:?}",
            c.report.diagnostics
        );
        let _ = writeln!(out, "cmdline: {}", plan.kernel_command_line);
        let _ = writeln!(out, "hcs: {}", compact(&plan.hcs));
        devices_block(&mut out, plan);
        out.push('\n');
    }
    snapshot(
        &format!("wslc-{host_name}"),
        &format!("--target wslc on host `{host_name}`, both dialects"),
        &out,
    );
}

#[test]
fn every_fixture_on_every_host() {
    let fixtures: Vec<(String, Vec<u8>)> = common::fixture_files("")
        .iter()
        .map(|p| (rel(p), std::fs::read(p).expect("fixture readable")))
        .collect();
    assert!(fixtures.len() >= 20, "fixtures are missing");
    let hosts = hosts();
    assert!(hosts.len() >= 9, "host fixtures are missing");
    std::thread::scope(|s| {
        for (name, host) in &hosts {
            for dialect in DIALECTS {
                let fixtures = &fixtures;
                s.spawn(move || wsl2_snapshot(name, host, dialect, fixtures));
            }
            s.spawn(move || wslc_snapshot(name, host));
        }
    });
}

// ---------------------------------------------------------------------------
// Outputs the spec gives literally.

/// outputs.md §B.7, the exact compact document (upstream command line).
const B7_COMPACT: &str = r#"{"Owner":"WSL","SchemaVersion":{"Major":2,"Minor":3},"ShouldTerminateOnLastHandleClosed":true,"VirtualMachine":{"Chipset":{"LinuxKernelDirect":{"InitRdPath":"C:\\Program Files\\WSL\\tools\\initrd.img","KernelCmdLine":"initrd=\\initrd.img WSL_ROOT_INIT=1 panic=-1 nr_cpus=16 hv_utils.timesync_implicit=1 printk.devkmsg=on page_reporting.page_reporting_order=5 hv_storvsc.storvsc_max_hw_queues=4 console=hvc0 debug pty.legacy_count=0 WSL_ENABLE_CRASH_DUMP=1","KernelFilePath":"C:\\Program Files\\WSL\\tools\\kernel"},"UseUtc":true},"ComputeTopology":{"Memory":{"AllowOvercommit":true,"BackingPageSize":"Small","DirectMapFaultClusterSizeShift":4,"EnableColdDiscardHint":true,"EnableDeferredCommit":true,"FaultClusterSizeShift":4,"HighMmioBaseInMB":40958,"HighMmioGapInMB":24578,"HostingProcessNameSuffix":"WSL","SizeInMB":16384},"Processor":{"Count":16,"EnablePerfmonLbr":true,"EnablePerfmonPmu":true,"ExposeVirtualizationExtensions":true}},"DebugOptions":{},"Devices":{"Battery":{},"ComPorts":{},"HvSocket":{"HvSocketConfig":{"DefaultBindSecurityDescriptor":"D:P(A;;FA;;;SY)(A;;FA;;;S-1-5-21-1111111111-2222222222-3333333333-1001)","DefaultConnectSecurityDescriptor":"D:P(A;;FA;;;SY)(A;;FA;;;S-1-5-21-1111111111-2222222222-3333333333-1001)"}},"Plan9":{},"Scsi":{"0":{"Attachments":{"0":{"AlwaysAllowSparseFiles":true,"Path":"C:\\Program Files\\WSL\\system.vhd","ReadOnly":true,"SupportCompressedVolumes":true,"SupportEncryptedFiles":true,"Type":"VirtualDisk"},"1":{"AlwaysAllowSparseFiles":true,"Path":"C:\\Program Files\\WSL\\tools\\modules.vhd","ReadOnly":true,"SupportCompressedVolumes":true,"SupportEncryptedFiles":true,"Type":"VirtualDisk"}}}},"VirtioSerial":{"Ports":{"0":{"ConsoleSupport":true,"Name":"hvc0","NamedPipe":"\\\\.\\pipe\\{00000000-0000-0000-0000-0000000000c0}"},"1":{"ConsoleSupport":true,"Name":"hvc1","NamedPipe":"\\\\.\\pipe\\{00000000-0000-0000-0000-0000000000c1}"},"2":{"ConsoleSupport":true,"Name":"hvc2","NamedPipe":"\\\\.\\pipe\\wsl_debugshell_S-1-5-21-1111111111-2222222222-3333333333-1001"}}}},"StopOnReset":true}}"#;

/// outputs.md §A.5, empty `.wslconfig`, upstream.
const EMPTY_UPSTREAM: &str = r"initrd=\initrd.img WSL_ROOT_INIT=1 panic=-1 nr_cpus=16 hv_utils.timesync_implicit=1 printk.devkmsg=on page_reporting.page_reporting_order=5 hv_storvsc.storvsc_max_hw_queues=4 console=hvc0 debug pty.legacy_count=0 WSL_ENABLE_CRASH_DUMP=1";

const STORVSC: &str = " hv_storvsc.storvsc_max_hw_queues=4";

fn host_fixture(name: &str) -> HostProfile {
    let stem = name.trim_end_matches(".json");
    common::host_fixtures()
        .into_iter()
        .find(|(n, _)| n == stem)
        .unwrap_or_else(|| panic!("no host fixture {name}"))
        .1
}

/// The seed line is the upstream one without fragment 9 (outputs.md §A.2).
fn seed_of(upstream: &str) -> String {
    assert!(upstream.contains(STORVSC));
    upstream.replacen(STORVSC, "", 1)
}

fn compiled(c: &Compilation) -> &wslcfg::plan::Plan {
    c.plan
        .as_ref()
        .unwrap_or_else(|| panic!("did not compile: {:?}", c.report.diagnostics))
}

#[test]
fn b7_default_document_is_byte_exact() {
    let host = host_fixture("b7-default.json");
    for dialect in DIALECTS {
        // An empty file and no file at all give the same document.
        for bytes in [Some(Vec::new()), None] {
            let c = compile("(no file)", bytes, &options(&host, dialect), Target::Wsl2);
            assert!(c.report.diagnostics.is_empty(), "{:?}", c.report.diagnostics);
            let plan = compiled(&c);
            let expected = match dialect {
                Dialect::Upstream => B7_COMPACT.to_owned(),
                Dialect::Seed => B7_COMPACT.replacen(STORVSC, "", 1),
            };
            assert_eq!(compact(&plan.hcs), expected, "{}", dialect.as_str());
            let line = match dialect {
                Dialect::Upstream => EMPTY_UPSTREAM.to_owned(),
                Dialect::Seed => seed_of(EMPTY_UPSTREAM),
            };
            assert_eq!(plan.kernel_command_line, line, "{}", dialect.as_str());
        }
    }
}

/// Derived pipe names of the default machine id (docs/host.md: v5 UUID in
/// the URL namespace of `<machine id>/pipe/<name>`), computed independently.
const DMESG_VIRTIO: &str = r"\\.\pipe\{8606dec8-4095-56d6-b298-da621bc6768b}";
const TELEMETRY: &str = r"\\.\pipe\{b71edb47-b866-5413-82c9-6992e71f8af0}";
const DMESG_EARLY: &str = r"\\.\pipe\{8ec37d23-ae1f-5684-bb2c-ecbe5283d86d}";
const KERNEL_DEBUG: &str = r"\\.\pipe\{56b4a4fd-1276-5de8-b535-1fb10ecc00a8}";

#[test]
fn b7_with_derived_pipes_on_the_default_host() {
    // The embedded default host is the B.7 host; without the fixture's two
    // pipes the document is B.7 with the derived names.
    let json_escaped = |pipe: &str| pipe.replace('\\', r"\\");
    for dialect in DIALECTS {
        let c = compile_text("", &HostProfile::default(), dialect);
        let plan = compiled(&c);
        let mut expected = B7_COMPACT
            .replace(
                &json_escaped(r"\\.\pipe\{00000000-0000-0000-0000-0000000000c0}"),
                &json_escaped(DMESG_VIRTIO),
            )
            .replace(
                &json_escaped(r"\\.\pipe\{00000000-0000-0000-0000-0000000000c1}"),
                &json_escaped(TELEMETRY),
            );
        if dialect == Dialect::Seed {
            expected = expected.replacen(STORVSC, "", 1);
        }
        assert_ne!(expected, B7_COMPACT);
        assert_eq!(compact(&plan.hcs), expected, "{}", dialect.as_str());
    }
}

#[test]
fn default_host_wslg_device() {
    // outputs.md §C.2.4 on the default host (GUI apps and virtio on by default).
    for (dialect, key) in [(Dialect::Seed, "vmId"), (Dialect::Upstream, "vm_id")] {
        let c = compile_text("", &HostProfile::default(), dialect);
        let plan = compiled(&c);
        assert_eq!(plan.devices.len(), 1, "{:?}", plan.devices);
        let d = &plan.devices[0];
        assert_eq!(
            d.name_with_options,
            format!("wslg;{key}=3F2504E0-4F89-11D3-9A0C-0305E82C3301")
        );
        assert_eq!(
            d.path,
            r"\Sessions\1\BaseNamedObjects\WSL\3F2504E0-4F89-11D3-9A0C-0305E82C3301\wslg"
        );
        assert_eq!(d.flags, 0x2000_4000);
        assert_eq!(d.device_id, "872270E1-A899-4AF6-B454-7193634435AD");
        assert_eq!(d.class_id, "60285AE6-AAF3-4456-B444-A6C2D0DEDA38");
    }
}

/// Example EX2 of outputs.md §A.5, exactly as written there.
const EX2_UPSTREAM: &str = r#"[wsl2]
memory=8GB
processors=4
networkingMode=VirtioProxy
virtiofs=true
debugConsole=true
kernelDebugPort=5555
kernelCommandLine = "quiet loglevel=3"
[experimental]
swiotlb=32M                      # seed dialect: swiotlb=0x100000000,32M
"#;

const EX2_LINE_UPSTREAM: &str = r"initrd=\initrd.img WSL_ROOT_INIT=1 panic=-1 nr_cpus=4 hv_utils.timesync_implicit=1 printk.devkmsg=on page_reporting.page_reporting_order=5 swiotlb=force hv_pci_swiotlb=33554432 earlycon=uart8250,io,0x3f8,115200 console=hvc0 debug pty.legacy_count=2 kgdboc=ttyS1,115200 WSL_ENABLE_CRASH_DUMP=1 quiet loglevel=3";
const EX2_LINE_SEED: &str = r"initrd=\initrd.img WSL_ROOT_INIT=1 panic=-1 nr_cpus=4 hv_utils.timesync_implicit=1 printk.devkmsg=on page_reporting.page_reporting_order=5 swiotlb=force hv_pci_swiotlb=0x100000000,32M earlycon=uart8250,io,0x3f8,115200 console=hvc0 debug pty.legacy_count=2 kgdboc=ttyS1,115200 WSL_ENABLE_CRASH_DUMP=1 quiet loglevel=3";

fn ex2_text(dialect: Dialect) -> String {
    match dialect {
        Dialect::Upstream => EX2_UPSTREAM.to_owned(),
        Dialect::Seed => EX2_UPSTREAM.replace(
            "swiotlb=32M                      # seed dialect: swiotlb=0x100000000,32M",
            "swiotlb=0x100000000,32M",
        ),
    }
}

#[test]
fn ex2_command_lines() {
    let host = host_fixture("build-22631.json");
    for dialect in DIALECTS {
        let text = ex2_text(dialect);
        assert_eq!(text.contains("\nswiotlb=0x100000000,32M\n"), dialect == Dialect::Seed);
        let c = compile_text(&text, &host, dialect);
        let plan = compiled(&c);
        let expected = match dialect {
            Dialect::Upstream => EX2_LINE_UPSTREAM,
            Dialect::Seed => EX2_LINE_SEED,
        };
        assert_eq!(plan.kernel_command_line, expected, "{}", dialect.as_str());
        assert_eq!(
            plan.hcs["VirtualMachine"]["Chipset"]["LinuxKernelDirect"]["KernelCmdLine"],
            expected
        );
        // outputs.md §B.7 variations: EX2.
        let vm = &plan.hcs["VirtualMachine"];
        assert_eq!(vm["ComputeTopology"]["Processor"]["Count"], 4);
        assert_eq!(vm["ComputeTopology"]["Memory"]["SizeInMB"], 8192);
        // build-22631.json keeps the default machine id, so the pipes are
        // the derived ones.
        assert_eq!(
            compact(&vm["Devices"]["ComPorts"]),
            compact(&serde_json::json!({
                "0": { "NamedPipe": DMESG_EARLY },
                "1": { "NamedPipe": KERNEL_DEBUG },
            }))
        );
        // Also the same line without the trailing comment on the swiotlb line.
        if dialect == Dialect::Upstream {
            let plain = text.replace("                      # seed dialect: swiotlb=0x100000000,32M", "");
            assert_eq!(
                compiled(&compile_text(&plain, &host, dialect)).kernel_command_line,
                expected
            );
        }
    }
}

#[test]
fn safe_mode_line() {
    // outputs.md §A.5 (safe mode) and the §B.7 safe-mode variation.
    for dialect in DIALECTS {
        let c = compile_text("[wsl2]\nsafeMode=true\n", &HostProfile::default(), dialect);
        let plan = compiled(&c);
        let upstream = r"initrd=\initrd.img WSL_ROOT_INIT=1 panic=-1 nr_cpus=16 hv_utils.timesync_implicit=1 printk.devkmsg=on page_reporting.page_reporting_order=5 hv_storvsc.storvsc_max_hw_queues=4 pty.legacy_count=0 WSL_ENABLE_CRASH_DUMP=1";
        let expected = match dialect {
            Dialect::Upstream => upstream.to_owned(),
            Dialect::Seed => seed_of(upstream),
        };
        assert_eq!(plan.kernel_command_line, expected, "{}", dialect.as_str());
        let vm = &plan.hcs["VirtualMachine"];
        let memory = &vm["ComputeTopology"]["Memory"];
        assert_eq!(memory["HighMmioGapInMB"], 16384);
        assert_eq!(memory["HighMmioBaseInMB"], 49152);
        assert!(vm["Devices"].get("VirtioSerial").is_none());
        let processor = vm["ComputeTopology"]["Processor"].as_object().unwrap();
        assert_eq!(processor.keys().collect::<Vec<_>>(), ["Count"], "{processor:?}");
        assert!(plan.devices.is_empty(), "{:?}", plan.devices);
    }
}

#[test]
fn virtiofs_line() {
    // outputs.md §A.5: `[wsl2] virtiofs=true` inserts the swiotlb fragment
    // after the page-reporting fragment.
    for (dialect, fragment) in [
        (Dialect::Upstream, "swiotlb=force hv_pci_swiotlb=67108864"),
        (Dialect::Seed, "swiotlb=force hv_pci_swiotlb=0x40000000,64M"),
    ] {
        let c = compile_text("[wsl2]\nvirtiofs=true\n", &HostProfile::default(), dialect);
        let base = match dialect {
            Dialect::Upstream => EMPTY_UPSTREAM.to_owned(),
            Dialect::Seed => seed_of(EMPTY_UPSTREAM),
        };
        let expected = base.replacen(
            "page_reporting.page_reporting_order=5",
            &format!("page_reporting.page_reporting_order=5 {fragment}"),
            1,
        );
        assert_eq!(compiled(&c).kernel_command_line, expected);
    }
}

#[test]
fn arm64_and_win10_variations() {
    // outputs.md §B.7 variations.
    for dialect in DIALECTS {
        let c = compile_text("", &host_fixture("arm64-win11.json"), dialect);
        let plan = compiled(&c);
        let vm = &plan.hcs["VirtualMachine"];
        assert_eq!(
            compact(&vm["Chipset"]),
            compact(&serde_json::json!({
                "UseUtc": true,
                "Uefi": { "BootThis": {
                    "DevicePath": "\\kernel",
                    "DeviceType": "VmbFs",
                    "OptionalData": plan.kernel_command_line,
                    "VmbFsRootPath": "C:\\Program Files\\WSL\\tools",
                }},
            }))
        );
        let processor = vm["ComputeTopology"]["Processor"].as_object().unwrap();
        assert_eq!(processor.keys().collect::<Vec<_>>(), ["Count"], "{processor:?}");

        let c = compile_text("", &host_fixture("arm64-win10.json"), dialect);
        let vm = &compiled(&c).hcs["VirtualMachine"];
        assert!(vm["Devices"].get("VirtioSerial").is_none());
        assert_eq!(vm["ComputeTopology"]["Memory"]["HighMmioGapInMB"], 16384);
        assert_eq!(vm["ComputeTopology"]["Memory"]["HighMmioBaseInMB"], 49152);

        let c = compile_text("", &host_fixture("win10-x64.json"), dialect);
        let plan = compiled(&c);
        let memory = plan.hcs["VirtualMachine"]["ComputeTopology"]["Memory"]
            .as_object()
            .unwrap();
        for absent in [
            "BackingPageSize",
            "FaultClusterSizeShift",
            "DirectMapFaultClusterSizeShift",
            "HostingProcessNameSuffix",
        ] {
            assert!(!memory.contains_key(absent), "{absent}");
        }
        assert!(
            plan.hcs["VirtualMachine"]["ComputeTopology"]["Processor"]
                .get("ExposeVirtualizationExtensions")
                .is_none()
        );
        assert!(
            plan.kernel_command_line
                .contains(" page_reporting.page_reporting_order=9 ")
        );
    }
}

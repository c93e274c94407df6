//! Tests of host file loading and `--host-set` overrides (load.rs).

use super::*;
use crate::host::{Arch, FileFacts};
use miette::Diagnostic;

fn load(text: &str) -> HostProfile {
    from_json(text, "host.json").unwrap_or_else(|e| panic!("{e}"))
}

fn load_err(text: &str) -> HostError {
    from_json(text, "host.json").expect_err("the host file is rejected")
}

fn with(assignments: &[&str]) -> HostProfile {
    let mut p = HostProfile::default();
    for a in assignments {
        set(&mut p, a).unwrap_or_else(|e| panic!("{e}"));
    }
    p
}

fn set_err(assignment: &str) -> HostError {
    set(&mut HostProfile::default(), assignment).expect_err("the override is rejected")
}

// --- merging ---------------------------------------------------------------

#[test]
fn empty_object_is_the_embedded_default() {
    assert_eq!(load("{}"), HostProfile::default());
    assert_eq!(load("\u{feff} { }\n"), HostProfile::default());
}

#[test]
fn objects_merge_field_by_field() {
    let p = load(r#"{"windows": {"build": 19045}, "user": {"elevated": true}}"#);
    let d = HostProfile::default();
    assert_eq!(p.windows.build, 19045);
    assert_eq!(p.windows.ubr, d.windows.ubr);
    assert!(p.user.elevated);
    assert_eq!(p.user.sid, d.user.sid);
    assert_eq!(p.memory, d.memory);
}

#[test]
fn lists_replace_and_maps_merge_by_key() {
    let p = load(
        r#"{
            "fixedDrives": ["D", "C"],
            "hcs": {"processorFeatures": []},
            "policies": {"AllowDebugShell": 0, "DefaultNetworkingMode": 4},
            "files": {"C:\\k\\bzImage": {"exists": false}, "C:\\sd.img": {"size": 314572800}}
        }"#,
    );
    assert_eq!(p.fixed_drives, ["D", "C"]);
    assert!(p.hcs.processor_features.is_empty());
    assert_eq!(p.policies.allow_debug_shell, Some(0));
    assert_eq!(p.policies.default_networking_mode, Some(4));
    assert_eq!(p.policies.allow_kernel_user_setting, None);
    assert!(!p.file_exists(r"c:\K\BZIMAGE"));
    assert_eq!(p.file(r"C:\sd.img").size, Some(314572800));
    assert!(p.file_exists(r"C:\sd.img"));
}

#[test]
fn null_clears_an_optional_field() {
    let p = load(r#"{"policies": {"AllowDebugShell": null}, "guest": {"kernelVersion": [5, 15, 167]}}"#);
    assert_eq!(p.policies.allow_debug_shell, None);
    assert_eq!(p.guest.kernel_version, Some([5, 15, 167]));
}

#[test]
fn every_field_loads() {
    let p = load(
        r#"{
          "arch": "arm64", "windows": {"build": 22631, "ubr": 4000}, "officialBuild": false,
          "memory": {"totalPhysicalBytes": 1073741824}, "cpu": {"logicalProcessors": 2},
          "cpuid": {"childPerfmonPmuSupported": false, "childPerfmonLbrSupported": false},
          "services": {"globalSecureAccessTunnelingRunning": true},
          "nat": {"gatewayIpAddress": "172.20.0.1", "network": "172.20.0.0/20", "ipAddress": "172.20.1.2"},
          "winHttpProxyApisAvailable": false,
          "user": {"sid": "S-1-5-21-1-2-3-500", "sessionId": 2, "profileDir": "D:\\u", "tempDir": "D:\\t",
                   "localAppData": "D:\\l"},
          "install": {"dir": "D:\\WSL", "msiLocation": "D:\\MSI"},
          "vm": {"id": "{0f8fad5b-d9cb-469f-a165-70867728950e}", "startUnixTime": 1700000000},
          "pipes": {"debugConsole": "\\\\.\\pipe\\a", "kernelDebug": "\\\\.\\pipe\\b",
                    "dmesgEarly": "\\\\.\\pipe\\c", "dmesgVirtio": "\\\\.\\pipe\\d", "telemetry": "\\\\.\\pipe\\e"},
          "virtiofs": {"tags": ["0F8FAD5B-D9CB-469F-A165-70867728950E"]},
          "guest": {"seccompAvailable": true, "kernelSupportsHvPciSwiotlb": false,
                    "hvPciSwiotlbBase": 2080374784, "hvPciSwiotlbSize": 67108864},
          "host": {"hyperVFirewallSupported": true, "ipv6DisabledComponents": 255, "flowSteeringSupported": false,
                   "dnsResolverApisAvailable": true, "natNetworkCreatable": false,
                   "endpoint": {"ipv4": "172.20.1.2", "prefixLen": 20, "gateway": "172.20.0.1", "ipv6": "fe80::1"}},
          "wslc": {"memoryMb": 4096, "cpuCount": 4, "featureFlags": 8, "networkingMode": 2,
                   "displayName": "box", "rootVhdOverride": "D:\\r.vhd"}
        }"#,
    );
    assert_eq!(p.arch, Arch::Arm64);
    assert_eq!((p.windows.build, p.windows.ubr), (22631, 4000));
    assert_eq!(p.machine_id(), "0F8FAD5B-D9CB-469F-A165-70867728950E");
    assert_eq!(p.host.endpoint.prefix_len, Some(20));
    assert_eq!(p.wslc.memory_mb, Some(4096));
    assert_eq!(p.guest.hv_pci_swiotlb_base, Some(0x7c00_0000));
    assert_eq!(p.pipes.telemetry.as_deref(), Some(r"\\.\pipe\e"));
}

// --- host file errors ------------------------------------------------------

#[test]
fn invalid_json_has_line_and_column() {
    let e = load_err("{\n  \"windows\": {\"build\": 19045,}\n}");
    assert_eq!(e.code(), "HST001");
    assert_eq!(e.kind(), HostErrorKind::File);
    assert_eq!(e.line_column(), Some((2, 30)));
    assert!(
        e.message().starts_with("invalid JSON: trailing comma"),
        "{}",
        e.message()
    );
    assert!(e.to_string().starts_with("host.json:2:30: invalid JSON"), "{e}");
    assert!(e.labels().is_some() && e.source_code().is_some());
    let e = load_err("");
    assert!(e.message().starts_with("invalid JSON: EOF"), "{e}");
}

#[test]
fn top_level_must_be_an_object() {
    let e = load_err("  [1, 2]");
    assert_eq!(e.line_column(), Some((1, 3)));
    assert!(e.message().contains("found an array"), "{e}");
    assert_eq!(e.field(), None);
}

#[test]
fn unknown_field_names_path_position_and_suggestion() {
    let e = load_err("{\n  \"windows\": {\n    \"buidl\": 19045\n  }\n}");
    assert_eq!(e.to_string(), "host.json:3:5: unknown field `windows.buidl`");
    assert_eq!(e.field(), Some("windows.buidl"));
    let help = e.help_text().unwrap();
    assert!(help.starts_with("did you mean `windows.build`?"), "{help}");
    assert!(help.contains("The fields of `windows` are `build`, `ubr`."), "{help}");
    assert_eq!(e.help().unwrap().to_string(), help);
    assert_eq!(e.code().to_string(), "HST001");
}

#[test]
fn unknown_field_suggestions() {
    let help = |text: &str| load_err(text).help_text().unwrap_or_default().to_owned();
    assert!(help(r#"{"build": 1}"#).starts_with("did you mean `windows.build`?"));
    assert!(help(r#"{"policies": {"allowDebugShell": 0}}"#).starts_with("did you mean `policies.AllowDebugShell`?"));
    assert!(help(r#"{"window": {}}"#).starts_with("did you mean `windows`?"));
    assert!(help(r#"{"$comment": "x"}"#).starts_with("The top-level fields are `arch`, "));
    let e = load_err(r#"{"files": {"C:\\a.b": {"exist": true}}}"#);
    assert_eq!(e.message(), r"unknown field `files.exist(C:\a.b)`");
    assert!(
        e.help_text()
            .unwrap()
            .starts_with(r"did you mean `files.exists(C:\a.b)`?")
    );
}

#[test]
fn wrong_type_names_path_and_value() {
    let e = load_err("{\"cpu\": {\"logicalProcessors\": \"sixteen\"}}");
    assert_eq!(
        e.message(),
        r#"cpu.logicalProcessors: expected an integer, found "sixteen""#
    );
    assert_eq!(e.line_column(), Some((1, 31)));
    assert_eq!(e.field(), Some("cpu.logicalProcessors"));

    let msg = |text: &str| load_err(text).message().to_owned();
    assert_eq!(
        msg(r#"{"officialBuild": 1}"#),
        "officialBuild: expected a boolean (`true` or `false`), found 1"
    );
    assert_eq!(
        msg(r#"{"windows": {"build": 1.0}}"#),
        "windows.build: expected an integer, found 1.0"
    );
    assert_eq!(
        msg(r#"{"windows": {"build": null}}"#),
        "windows.build: expected an integer, found null"
    );
    assert_eq!(
        msg(r#"{"policies": {"AllowDebugShell": "0"}}"#),
        r#"policies.AllowDebugShell: expected an integer or null (not configured), found "0""#
    );
    assert_eq!(msg(r#"{"windows": []}"#), "windows: expected an object, found an array");
    assert_eq!(
        msg(r#"{"fixedDrives": "C"}"#),
        r#"fixedDrives: expected an array of strings, found "C""#
    );
    assert_eq!(
        msg(r#"{"fixedDrives": ["C", 4]}"#),
        "fixedDrives[1]: expected a string, found 4"
    );
    assert_eq!(
        msg(r#"{"files": {"C:\\x": true}}"#),
        r"files(C:\x): expected an object, found true"
    );
    assert_eq!(
        msg(r#"{"files": {"C:\\x": {"size": -1}}}"#),
        r"files.size(C:\x): -1 is out of range for an unsigned 64-bit integer (0..=18446744073709551615)"
    );
    assert_eq!(
        msg(r#"{"guest": {"kernelVersion": [5, 15]}}"#),
        "guest.kernelVersion: expected an array of 3 integers, found an array of 2 items"
    );
}

#[test]
fn out_of_range_and_enum_and_text_checks() {
    let msg = |text: &str| load_err(text).message().to_owned();
    assert_eq!(
        msg(r#"{"windows": {"build": 4294967296}}"#),
        "windows.build: 4294967296 is out of range for an unsigned 32-bit integer (0..=4294967295)"
    );
    assert_eq!(
        msg(r#"{"memory": {"totalPhysicalBytes": 18446744073709551616}}"#),
        "memory.totalPhysicalBytes: 18446744073709551616 is out of range for an unsigned 64-bit integer \
         (1048576..=18446744073709551615)"
    );
    assert_eq!(
        msg(r#"{"host": {"endpoint": {"prefixLen": 256}}}"#),
        "host.endpoint.prefixLen: 256 is out of range for an unsigned 8-bit integer (0..=255)"
    );
    let e = load_err(r#"{"arch": "arm"}"#);
    assert_eq!(e.message(), r#"arch: expected one of `x64`, `arm64`, found "arm""#);
    assert_eq!(e.help_text(), Some("did you mean `arm64`?"));
    assert!(msg(r#"{"vm": {"id": "not-a-guid"}}"#).starts_with("vm.id: expected a GUID"));
    assert!(
        msg(r#"{"virtiofs": {"tags": ["{0f8fad5b-d9cb-469f-a165-70867728950e"]}}"#).starts_with("virtiofs.tags[0]")
    );
    assert!(msg(r#"{"fixedDrives": ["CD"]}"#).starts_with("fixedDrives[0]: expected a drive letter"));
    assert_eq!(load(r#"{"fixedDrives": ["c:", "D:\\"]}"#).fixed_drives, ["c:", r"D:\"]);
}

#[test]
fn duplicates_are_rejected() {
    let e = load_err("{\"cpu\": {\"logicalProcessors\": 2,\n \"logicalProcessors\": 4}}");
    assert_eq!(e.message(), "duplicate field `cpu.logicalProcessors`");
    assert_eq!(e.line_column(), Some((2, 2)));
    assert!(e.help_text().unwrap().contains("first given at 1:10"));
    let e = load_err(r#"{"files": {"C:\\k": {"exists": true}, "c:\\K": {"size": 1}}}"#);
    assert!(e.message().contains("name the same file"), "{e}");
    assert_eq!(e.field(), Some(r"files(c:\K)"));
}

#[test]
fn positions_count_characters() {
    let e = load_err("{\"user\": {\"sid\": \"é\", \"x\": 1}}");
    assert_eq!(e.line_column(), Some((1, 23)));
}

// --- --host-set --------------------------------------------------------------

#[test]
fn set_scalars() {
    let p = with(&[
        "windows.build=19045",
        "windows.ubr=3393",
        "memory.totalPhysicalBytes=1073741824",
        "cpu.logicalProcessors=2",
        "services.globalSecureAccessTunnelingRunning=true",
        "officialBuild=false",
        r"install.dir=D:\Program Files\WSL",
        "arch=arm64",
        "user.sid=S-1-5-21-1-2-3-500",
        "nat.network=",
        "vm.id={0f8fad5b-d9cb-469f-a165-70867728950e}",
        "vm.startUnixTime=1700000000",
        "wslc.featureFlags=8",
        "wslc.displayName=a=b",
    ]);
    assert_eq!((p.windows.build, p.windows.ubr), (19045, 3393));
    assert_eq!(p.memory.total_physical_bytes, 1 << 30);
    assert_eq!(p.cpu.logical_processors, 2);
    assert!(p.services.global_secure_access_tunneling_running);
    assert!(!p.official_build);
    assert_eq!(p.install.dir, r"D:\Program Files\WSL");
    assert_eq!(p.arch, Arch::Arm64);
    assert_eq!(p.nat.network, "");
    assert_eq!(p.machine_id(), "0F8FAD5B-D9CB-469F-A165-70867728950E");
    assert_eq!(p.vm.start_unix_time, 1_700_000_000);
    assert_eq!(p.wslc.feature_flags, 8);
    assert_eq!(p.wslc.display_name.as_deref(), Some("a=b"));
    assert_eq!(with(&["cpu.logicalProcessors=1"]).cpu.logical_processors, 1);
    // A host has at least one processor and 1 MiB of memory.
    assert!(set_err("cpu.logicalProcessors=0").message().contains("out of range"));
    assert!(
        set_err("memory.totalPhysicalBytes=1048575")
            .message()
            .contains("out of range")
    );
}

#[test]
fn set_policies_and_clear() {
    let p = with(&["policies.AllowKernelUserSetting=0", "policies.DefaultNetworkingMode=4"]);
    assert_eq!(p.policies.allow_kernel_user_setting, Some(0));
    assert_eq!(p.policies.default_networking_mode, Some(4));
    let p = with(&["policies.AllowKernelUserSetting=0", "policies.AllowKernelUserSetting="]);
    assert_eq!(p.policies, HostProfile::default().policies);
    for path in paths().iter().filter(|p| p.starts_with("policies.")) {
        with(&[&format!("{path}=1")]);
    }
}

#[test]
fn set_optional_runtime_facts() {
    let p = with(&[
        r"pipes.dmesgVirtio=\\.\pipe\{00000000-0000-0000-0000-0000000000c0}",
        "guest.seccompAvailable=false",
        "guest.hvPciSwiotlbBase=2080374784",
        "host.ipv6DisabledComponents=255",
        "host.endpoint.prefixLen=24",
        "host.endpoint.ipv4=172.20.1.2",
        "wslc.memoryMb=4096",
        "wslc.cpuCount=4",
    ]);
    assert_eq!(
        p.pipes.dmesg_virtio.as_deref(),
        Some(r"\\.\pipe\{00000000-0000-0000-0000-0000000000c0}")
    );
    assert_eq!(p.guest.seccomp_available, Some(false));
    assert_eq!(p.guest.hv_pci_swiotlb_base, Some(2080374784));
    assert_eq!(p.host.ipv6_disabled_components, Some(255));
    assert_eq!(p.host.endpoint.prefix_len, Some(24));
    assert_eq!(p.host.endpoint.ipv4, "172.20.1.2");
    assert_eq!((p.wslc.memory_mb, p.wslc.cpu_count), (Some(4096), Some(4)));
    let mut q = p.clone();
    for path in [
        "pipes.dmesgVirtio",
        "guest.seccompAvailable",
        "host.endpoint.prefixLen",
        "wslc.memoryMb",
    ] {
        set(&mut q, &format!("{path}=")).unwrap();
    }
    assert_eq!(q.pipes.dmesg_virtio, None);
    assert_eq!(q.guest.seccomp_available, None);
    assert_eq!(q.host.endpoint.prefix_len, None);
    assert_eq!(q.wslc.memory_mb, None);
}

#[test]
fn set_lists() {
    let p = with(&[
        "fixedDrives=C,D",
        "hcs.processorFeatures=",
        "virtiofs.tags=0f8fad5b-d9cb-469f-a165-70867728950e, {3F2504E0-4F89-11D3-9A0C-0305E82C3301}",
    ]);
    assert_eq!(p.fixed_drives, ["C", "D"]);
    assert!(p.hcs.processor_features.is_empty());
    assert_eq!(p.virtiofs.tags[1], "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}");
    assert!(with(&["fixedDrives="]).fixed_drives.is_empty());
    assert_eq!(
        with(&["hcs.processorFeatures=NestedVirt,Other"]).hcs.processor_features,
        ["NestedVirt", "Other"]
    );
}

#[test]
fn set_kernel_version() {
    assert_eq!(
        with(&["guest.kernelVersion=5.15.167"]).guest.kernel_version,
        Some([5, 15, 167])
    );
    assert_eq!(
        with(&["guest.kernelVersion=6,6,0"]).guest.kernel_version,
        Some([6, 6, 0])
    );
    assert_eq!(
        with(&["guest.kernelVersion=5.15.0", "guest.kernelVersion="])
            .guest
            .kernel_version,
        None
    );
    let e = set_err("guest.kernelVersion=5.15");
    assert!(e.message().contains("expected a version `MAJOR.MINOR.PATCH`"), "{e}");
    assert!(
        set_err("guest.kernelVersion=5.x.0")
            .message()
            .contains("expected an unsigned 32-bit integer")
    );
}

#[test]
fn set_file_facts() {
    let p = with(&[r"files.exists(C:\k\bzImage)=false", r"files.size(C:\sd.img)=314572800"]);
    assert!(!p.file_exists(r"C:\k\bzImage"));
    assert_eq!(p.file(r"C:\sd.img").size, Some(314572800));
    // Same file, other case: one entry, first spelling kept.
    let p = with(&[r"files.exists(C:\k\bzImage)=false", r"files.size(c:\K\BZIMAGE)=5"]);
    assert_eq!(p.files.len(), 1);
    assert_eq!(
        p.files[r"C:\k\bzImage"],
        FileFacts {
            exists: Some(false),
            size: Some(5)
        }
    );
    // Parentheses and `=` inside the path.
    let p = with(&[r"files.exists(C:\Program Files (x86)\a=b)=true"]);
    assert!(p.files.contains_key(r"C:\Program Files (x86)\a=b"));
    // Clearing every fact removes the entry.
    let p = with(&[r"files.size(C:\x)=1", r"files.size(C:\x)="]);
    assert!(p.files.is_empty());
}

#[test]
fn set_errors() {
    let e = set_err("windows.buidl=19045");
    assert_eq!(e.code(), "HST002");
    assert_eq!(e.kind(), HostErrorKind::Set);
    assert_eq!(
        e.to_string(),
        "--host-set `windows.buidl=19045`: unknown host field `windows.buidl`"
    );
    assert!(e.help_text().unwrap().starts_with("did you mean `windows.build`?"));
    assert_eq!(e.field(), Some("windows.buidl"));
    assert!(e.labels().is_some());

    assert!(
        set_err("policies.allowDebugShell=0")
            .help_text()
            .unwrap()
            .starts_with("did you mean `policies.AllowDebugShell`?")
    );
    assert!(set_err("windows.build.x=1").message().contains("unknown host field"));

    let e = set_err("windows=1");
    assert_eq!(e.message(), "`windows` is a group of fields, not a field");
    assert!(e.help_text().unwrap().contains("`windows.build`, `windows.ubr`"));
    assert!(set_err("files=1").help_text().unwrap().contains("files.exists(PATH)"));

    let msg = |a: &str| set_err(a).message().to_owned();
    assert_eq!(msg("windows.build"), "expected `PATH=VALUE`");
    assert_eq!(
        msg("windows.build=0x4A"),
        "windows.build: expected an unsigned 32-bit integer in decimal, found `0x4A`"
    );
    assert_eq!(
        msg("windows.build="),
        "windows.build: expected an unsigned 32-bit integer in decimal, found ``"
    );
    assert_eq!(
        msg("windows.build=-1"),
        "windows.build: -1 is out of range for an unsigned 32-bit integer (0..=4294967295)"
    );
    assert_eq!(
        msg("policies.AllowDebugShell=99999999999999999999999999999999999999999"),
        "policies.AllowDebugShell: 99999999999999999999999999999999999999999 is out of range for an unsigned \
         32-bit integer (0..=4294967295)"
    );
    assert_eq!(
        msg("user.elevated=yes"),
        "user.elevated: expected `true` or `false`, found `yes`"
    );
    assert_eq!(
        msg("arch=ARM64"),
        "arch: expected one of `x64`, `arm64`, found `ARM64` (did you mean `arm64`?)"
    );
    assert!(msg("vm.id=xyz").starts_with("vm.id: expected a GUID"));
    assert!(msg("fixedDrives=C,,D").starts_with("fixedDrives: empty item"));
    assert!(msg("fixedDrives=C,DD").starts_with("fixedDrives: expected a drive letter"));
    let e = set_err("policies.AllowDebugShell=x");
    assert!(
        e.help_text().unwrap().contains("an empty value clears it"),
        "{:?}",
        e.help_text()
    );

    let e = set_err(r"files.exist(C:\x)=true");
    assert_eq!(e.message(), r"unknown file fact `files.exist(C:\x)`");
    assert!(
        e.help_text()
            .unwrap()
            .starts_with(r"did you mean `files.exists(C:\x)`?")
    );
    assert_eq!(
        msg("files.exists()=true"),
        "the file path between the parentheses is empty"
    );
    assert_eq!(msg(r"files.exists(C:\x)"), "expected `files.FACT(PATH)=VALUE`");
    assert_eq!(
        msg(r"files.size(C:\x)=big"),
        r"files.size(C:\x): expected an unsigned 64-bit integer in decimal, found `big`"
    );
}

#[test]
fn failed_set_leaves_the_profile_alone() {
    let mut p = HostProfile::default();
    assert!(set(&mut p, "windows.build=x").is_err());
    assert_eq!(p, HostProfile::default());
}

// --- paths -------------------------------------------------------------------

/// Leaf paths of a serialized profile (lists are leaves; file facts in the
/// `files.fact(PATH)` form).
fn leaves(v: &serde_json::Value, prefix: &str, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) if prefix == "files" => {
            for facts in map.values() {
                for fact in facts.as_object().unwrap().keys() {
                    out.push(format!("files.{fact}(PATH)"));
                }
            }
        }
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaves(v, &path, out);
            }
        }
        _ => out.push(prefix.to_owned()),
    }
}

#[test]
fn paths_cover_every_field() {
    let all = paths();
    assert!(all.windows(2).all(|w| w[0] < w[1]), "sorted, no duplicates");
    let mut expected = Vec::new();
    leaves(
        &serde_json::to_value(HostProfile::default()).unwrap(),
        "",
        &mut expected,
    );
    // A profile with every optional field given, so skipped `None`s show too.
    let mut full = HostProfile::default();
    for path in &all {
        let value = match path.as_str() {
            "guest.kernelVersion" => "5.15.0",
            "vm.id" | "virtiofs.tags" => "0f8fad5b-d9cb-469f-a165-70867728950e",
            "fixedDrives" => "C",
            "arch" => "x64",
            "memory.totalPhysicalBytes" => "1048576",
            p if p.starts_with("files.exists") => {
                set(&mut full, r"files.exists(C:\x)=true").unwrap();
                continue;
            }
            p if p.starts_with("files.size") => {
                set(&mut full, r"files.size(C:\x)=1").unwrap();
                continue;
            }
            _ => "1",
        };
        let assignment = format!("{path}={value}");
        if set(&mut full, &assignment).is_err() {
            set(&mut full, &format!("{path}=true")).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    leaves(&serde_json::to_value(&full).unwrap(), "", &mut expected);
    for path in &expected {
        assert!(all.contains(path), "paths() lacks `{path}`");
    }
    expected.sort();
    expected.dedup();
    assert_eq!(expected, all, "every path is a field");
    for p in [
        "windows.build",
        "policies.AllowKernelUserSetting",
        "host.endpoint.prefixLen",
        "files.size(PATH)",
    ] {
        assert!(all.iter().any(|a| a == p), "{p}");
    }
}

//! Every host profile in fixtures/hosts loads with `host::from_json` and says
//! what docs/host.md says it does; docs/host.md names every host field path
//! and every fixture.

use std::path::{Path, PathBuf};
use wslcfg::host::{self, Arch, HostProfile, identity};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hosts")
}

fn load(name: &str) -> HostProfile {
    let path = dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    host::from_json(&text, name).unwrap_or_else(|e| panic!("{e}"))
}

/// Checks the facts each fixture stands for; every fixture must be listed.
fn check(name: &str, p: &HostProfile) {
    let d = HostProfile::default();
    match name {
        "b7-default.json" => {
            let pipes = identity::pipe_names(p);
            assert_eq!(pipes.dmesg_virtio, r"\\.\pipe\{00000000-0000-0000-0000-0000000000c0}");
            assert_eq!(pipes.telemetry, r"\\.\pipe\{00000000-0000-0000-0000-0000000000c1}");
            assert_eq!(
                pipes.debug_shell,
                r"\\.\pipe\wsl_debugshell_S-1-5-21-1111111111-2222222222-3333333333-1001"
            );
            let mut rest = p.clone();
            rest.pipes = d.pipes.clone();
            assert_eq!(rest, d, "apart from the pipes, the B.7 host is the embedded default");
        }
        "linux-x64.json" => {
            assert_eq!(p.install.dir, "/opt/wslcfg");
            assert_eq!(p.install.msi_location, "/opt/wslcfg");
            assert_eq!(
                (
                    p.user.profile_dir.as_str(),
                    p.user.temp_dir.as_str(),
                    p.user.local_app_data.as_str()
                ),
                ("/home/user", "/tmp", "/home/user/.local/share")
            );
            let mut rest = p.clone();
            rest.install = d.install.clone();
            rest.user = d.user.clone();
            assert_eq!(
                rest, d,
                "apart from POSIX paths, the Linux host is the embedded default"
            );
        }
        "win10-x64.json" => {
            assert_eq!((p.arch, p.windows.build, p.windows.ubr), (Arch::X64, 19045, 3000));
            assert!(!p.is_win11());
            assert!(!p.density_memory_supported(), "UBR 3000 < 3393");
            assert!(!p.hcs.processor_features.iter().any(|f| f == "NestedVirt"));
        }
        "arm64-win11.json" => {
            assert_eq!((p.arch, p.windows.build), (Arch::Arm64, 26100));
            assert!(p.is_win11());
            assert!(!p.cpuid.child_perfmon_pmu_supported && !p.cpuid.child_perfmon_lbr_supported);
        }
        "arm64-win10.json" => {
            assert_eq!((p.arch, p.windows.build), (Arch::Arm64, 19045));
            assert!(!p.is_win11());
            assert!(!p.cpuid.child_perfmon_pmu_supported && !p.cpuid.child_perfmon_lbr_supported);
        }
        "restrictive-policies.json" => {
            let pol = &p.policies;
            for value in [
                pol.allow_kernel_user_setting,
                pol.allow_kernel_command_line_user_setting,
                pol.allow_nested_virtualization,
                pol.allow_networking_mode_user_setting,
                pol.allow_firewall_user_setting,
                pol.allow_debug_shell,
            ] {
                assert!(host::denies(value));
            }
            assert_eq!(pol.default_networking_mode, Some(4));
            assert_eq!(pol.allow_system_distro_user_setting, None, "not configured");
            assert!(p.services.global_secure_access_tunneling_running);
        }
        "small-memory.json" => {
            assert_eq!(p.memory.total_physical_bytes, 1 << 30);
            assert!(p.memory.total_physical_bytes < (1 << 30) + (64 << 20));
            assert_eq!(p.cpu.logical_processors, 2);
        }
        "build-22631.json" => {
            assert_eq!((p.windows.build, p.windows.ubr), (22631, 4000));
            assert!(p.density_memory_supported() && p.vmmem_suffix_supported());
        }
        "elevated-two-drives.json" => {
            assert!(p.user.elevated);
            assert_eq!(p.fixed_drives, ["C", "D"]);
            let tags = identity::share_tags(p);
            assert_eq!(tags.iter().map(|(l, _)| *l).collect::<Vec<_>>(), ['C', 'D']);
            assert_eq!(
                tags[0].1, "d63ba1d1-4721-507a-a6a7-80f6ff6b5759",
                "admin tag of drive C (passes.md §1.5)"
            );
            assert_eq!(p.guest.hv_pci_swiotlb_base, Some(0x7c00_0000));
            assert_eq!(p.guest.hv_pci_swiotlb_size, Some(64 << 20));
            assert_eq!(p.guest.kernel_supports_hv_pci_swiotlb, Some(true));
            assert_eq!(p.host.endpoint.ipv4, "172.20.1.2");
            assert_eq!(p.host.endpoint.prefix_len, Some(20));
            assert_eq!(p.host.endpoint.gateway, "172.20.0.1");
        }
        other => {
            panic!("fixtures/hosts/{other} is not checked here: add it to tests/host_fixtures.rs and docs/host.md")
        }
    }
}

fn fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .expect("fixtures/hosts exists")
        .map(|e| {
            e.expect("readable entry")
                .file_name()
                .into_string()
                .expect("UTF-8 name")
        })
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_fixture_loads_and_means_what_it_says() {
    let names = fixtures();
    assert_eq!(names.len(), 9, "{names:?}");
    for name in &names {
        check(name, &load(name));
    }
}

#[test]
fn docs_name_every_path_and_fixture() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/host.md")).unwrap();
    for path in host::paths() {
        assert!(
            doc.contains(&format!("`{path}`")),
            "docs/host.md does not document `{path}`"
        );
    }
    for name in fixtures() {
        assert!(
            doc.contains(&format!("`{name}`")),
            "docs/host.md does not describe fixtures/hosts/{name}"
        );
    }
}

#[test]
fn docs_embedded_default_and_derived_examples_are_exact() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/host.md")).unwrap();
    let after = doc
        .split("<!-- embedded-default")
        .nth(1)
        .expect("docs/host.md marks the embedded default");
    let block = after
        .split("```json\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a json block");
    let documented: serde_json::Value = serde_json::from_str(block).expect("the documented default is JSON");
    assert_eq!(documented, serde_json::to_value(HostProfile::default()).unwrap());
    assert_eq!(host::from_json(block, "docs/host.md").unwrap(), HostProfile::default());

    let pipes = identity::pipe_names(&HostProfile::default());
    assert_eq!(pipes.dmesg_virtio, r"\\.\pipe\{8606dec8-4095-56d6-b298-da621bc6768b}");
    assert!(doc.contains(&pipes.dmesg_virtio));
}

//! passes.md §6.1 worked examples (host: the embedded default), plus the
//! rules around them.
#![allow(clippy::field_reassign_with_default)]

use super::*;
use crate::bind::{Value, bind};
use crate::registry::{Dialect, k};
use crate::syntax::parse;
use serde_json::json;

fn run_on(input: &str, host: &HostProfile, dialect: Dialect) -> Outcome {
    let p = parse(input.as_bytes().to_vec());
    run(&bind(&p, dialect).config, host)
}

fn eff(input: &str) -> Outcome {
    run_on(input, &HostProfile::default(), Dialect::Upstream)
}

fn ids(o: &Outcome) -> Vec<String> {
    o.diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}{}",
                d.id,
                d.detail().value.as_ref().map(|v| format!("({v})")).unwrap_or_default()
            )
        })
        .collect()
}

fn get(o: &Outcome, key: crate::registry::KeyId) -> serde_json::Value {
    o.effective.to_json()[key.spec().name()].clone()
}

const GIB: u64 = 1 << 30;

#[test]
fn empty_file() {
    let o = eff("");
    assert_eq!(get(&o, k::PROCESSORS), 16);
    assert_eq!(get(&o, k::MEMORY), 16 * GIB);
    assert_eq!(get(&o, k::SWAP), 4 * GIB);
    assert_eq!(get(&o, k::NETWORKING_MODE), "Nat");
    assert_eq!(get(&o, k::FIREWALL), true);
    assert_eq!(get(&o, k::DNS_TUNNELING), true);
    assert_eq!(get(&o, k::DNS_TUNNELING_IP_ADDRESS), "10.255.255.254");
    assert_eq!(get(&o, k::VIRTIO), true);
    assert_eq!(get(&o, k::VIRTIOFS), false);
    assert_eq!(get(&o, k::SWIOTLB), 0);
    assert_eq!(get(&o, k::NESTED_VIRTUALIZATION), true);
    assert_eq!(get(&o, k::MAC_ADDRESS), serde_json::Value::Null);
    assert!(o.diagnostics.is_empty());
    assert_eq!(o.effective.kernel_modules_list, "tun,ip_tables,br_netfilter");
    assert_eq!(
        get(&o, k::CRASH_DUMP_FOLDER),
        "C:\\Users\\user\\AppData\\Local\\Temp\\wsl-crashes"
    );
    assert_eq!(
        get(&o, k::DISTRIBUTION_INSTALL_PATH),
        "C:\\Users\\user\\AppData\\Local\\wsl"
    );
    let seed = run_on("", &HostProfile::default(), Dialect::Seed);
    assert_eq!(get(&seed, k::SWIOTLB), "");
}

#[test]
fn section_6_1_rows() {
    let o = eff("[wsl2]\nprocessors=64");
    assert_eq!(get(&o, k::PROCESSORS), 16);
    assert_eq!(ids(&o), ["PAS001(64)"]);
    assert_eq!(o.diagnostics[0].detail().facts["maximum"], 16);

    let o = eff("[wsl2]\nmemory=100MB");
    assert_eq!(get(&o, k::MEMORY), 256u64 << 20);
    assert_eq!(get(&o, k::SWAP), GIB);

    let o = eff("[wsl2]\nmemory=1GB\nvirtiofs=true");
    assert_eq!(get(&o, k::SWIOTLB), 0);

    let o = eff("[wsl2]\nmemory=2GB\nvirtiofs=true");
    assert_eq!(get(&o, k::SWIOTLB), 67108864);
    let o = run_on(
        "[wsl2]\nmemory=2GB\nvirtiofs=true",
        &HostProfile::default(),
        Dialect::Seed,
    );
    assert_eq!(get(&o, k::SWIOTLB), "0x40000000,64M");

    let o = eff("[wsl2]\nnetworkingMode=VirtioProxy");
    assert_eq!(get(&o, k::NETWORKING_MODE), "Consomme");
    assert_eq!(get(&o, k::SWIOTLB), 67108864);

    let o = eff("[wsl2]\nnetworkingMode=VirtioProxy\nvirtio=false");
    assert_eq!(get(&o, k::NETWORKING_MODE), "Nat");
    assert_eq!(get(&o, k::SWIOTLB), 0);
    assert_eq!(ids(&o), ["PAS005(Nat)"]);

    let o = eff("[wsl2]\nsafeMode=true\nnetworkingMode=VirtioProxy");
    assert_eq!(get(&o, k::NETWORKING_MODE), "None");
    assert_eq!(get(&o, k::VIRTIO), false);
    assert_eq!(get(&o, k::SWIOTLB), 0);
    assert_eq!(get(&o, k::SWAP), 0);
    assert_eq!(ids(&o), ["PAS004"]);

    let o = eff("[wsl2]\nvirtio=false\n[experimental]\nswiotlb=128M");
    assert_eq!(get(&o, k::SWIOTLB), 0);
    assert!(o.diagnostics.is_empty());

    let o = eff("[experimental]\nswiotlb=128M");
    assert_eq!(get(&o, k::SWIOTLB), 134217728);

    let o = run_on(
        "[experimental]\nswiotlb=0x100000000,64M",
        &HostProfile::default(),
        Dialect::Seed,
    );
    assert_eq!(get(&o, k::SWIOTLB), "0x100000000,64M");

    let o = eff("[wsl2]\nnetworkingMode=Mirrored\nfirewall=false");
    assert_eq!(get(&o, k::FIREWALL), true);

    let o = eff("[wsl2]\nvirtio9p=true");
    assert_eq!(get(&o, k::VIRTIO9P), false);
    assert_eq!(ids(&o), ["PAS006"]);
}

#[test]
fn policy_rows() {
    let mut host = HostProfile::default();
    host.policies.default_networking_mode = Some(4);
    let o = run_on("[wsl2]\nvirtio=false", &host, Dialect::Upstream);
    assert_eq!(get(&o, k::NETWORKING_MODE), "None");
    assert_eq!(ids(&o), ["PAS005(None)"]);

    let mut host = HostProfile::default();
    host.policies.allow_nested_virtualization = Some(0);
    let o = run_on("", &host, Dialect::Upstream);
    assert_eq!(get(&o, k::NESTED_VIRTUALIZATION), false);
    assert_eq!(ids(&o), ["PAS002"]);
    assert_eq!(
        o.diagnostics[0].detail().key.as_deref(),
        Some("wsl2.nestedVirtualization")
    );

    let mut host = HostProfile::default();
    host.policies.allow_networking_mode_user_setting = Some(0);
    let o = run_on("[wsl2]\nnetworkingMode=Mirrored", &host, Dialect::Upstream);
    assert_eq!(get(&o, k::NETWORKING_MODE), "Nat");
    assert_eq!(o.diagnostics[0].detail().key.as_deref(), Some("wsl2.networkingMode"));
    // None is always allowed.
    let o = run_on("[wsl2]\nnetworkingMode=None", &host, Dialect::Upstream);
    assert_eq!(get(&o, k::NETWORKING_MODE), "None");
    assert!(o.diagnostics.is_empty());

    let mut host = HostProfile::default();
    host.services.global_secure_access_tunneling_running = true;
    let o = run_on("[wsl2]\ndnsTunneling=true", &host, Dialect::Upstream);
    assert_eq!(get(&o, k::DNS_TUNNELING), false);
    assert_eq!(get(&o, k::DNS_TUNNELING_IP_ADDRESS), serde_json::Value::Null);
    assert_eq!(ids(&o), ["PAS003"]);
    // Silently when the key was absent.
    let o = run_on("", &host, Dialect::Upstream);
    assert_eq!(get(&o, k::DNS_TUNNELING), false);
    assert!(o.diagnostics.is_empty());

    // The firewall policy outside Mirrored mode.
    let mut host = HostProfile::default();
    host.policies.allow_firewall_user_setting = Some(0);
    let o = run_on("[wsl2]\nfirewall=false", &host, Dialect::Upstream);
    assert_eq!(get(&o, k::FIREWALL), true);
    assert_eq!(o.diagnostics[0].detail().key.as_deref(), Some("wsl2.firewall"));
}

#[test]
fn policy_order_and_pass_notice_order() {
    let mut host = HostProfile::default();
    host.policies.allow_kernel_user_setting = Some(0);
    host.policies.allow_kernel_command_line_user_setting = Some(0);
    host.cpu.logical_processors = 2;
    let o = run_on(
        "[wsl2]\nkernelCommandLine=quiet\nkernel=C:\\\\k\nprocessors=4\nsafeMode=true",
        &host,
        Dialect::Seed,
    );
    let keys: Vec<_> = o
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.id, d.detail().key.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        keys,
        [
            "PAS001 wsl2.processors",
            "PAS002 wsl2.kernel",
            "PAS002 wsl2.kernelCommandLine",
            "PAS004 wsl2.safeMode"
        ]
    );
    assert!(o.diagnostics.iter().all(|d| d.line.is_none()));
}

#[test]
fn fixups_of_p1() {
    let o = eff("[wsl2]\nnetworkingMode=bridged");
    assert_eq!(get(&o, k::MAC_ADDRESS), "5E:BB:F6:9E:EE:FA");
    let o = eff("[wsl2]\ndebugConsoleLogFile=C:\\\\log.txt");
    assert_eq!(get(&o, k::EARLY_BOOT_LOGGING), true);
    let o = eff("[wsl2]\ndebugConsole=true\nearlyBootLogging=false");
    assert_eq!(get(&o, k::EARLY_BOOT_LOGGING), false);
    let o = eff("[wsl2]\nmaxCrashDumpCount=-1");
    assert_eq!(get(&o, k::CRASH_DUMP_FOLDER), "");
    let o = eff("[wsl2]\nloadDefaultKernelModules=false\nloadKernelModules=a,,b ,c");
    assert_eq!(o.effective.kernel_modules_list, "a,b ,c");
    // An invalid DNS address switches DNS tunneling off.
    let o = eff("[experimental]\ndnsTunneling=true\ndnsTunnelingIpAddress=1.2.3");
    assert_eq!(get(&o, k::DNS_TUNNELING), false);
    let o = eff("[experimental]\ndnsTunnelingIpAddress=1.2.3\ndnsTunneling=true");
    assert_eq!(get(&o, k::DNS_TUNNELING), true);
}

#[test]
fn swap_rounding_and_mirrored_only() {
    let o = eff("[wsl2]\nmemory=8000MB");
    assert_eq!(get(&o, k::SWAP), 2 * GIB);
    let o = eff("[wsl2]\nswap=-1\nmemory=16GB");
    assert_eq!(get(&o, k::SWAP), 4 * GIB);
    let o = eff("[experimental]\nignoredPorts=80\nhostAddressLoopback=true");
    assert_eq!(get(&o, k::IGNORED_PORTS), json!([]));
    assert_eq!(get(&o, k::HOST_ADDRESS_LOOPBACK), false);
    let o = eff("[wsl2]\nnetworkingMode=mirrored\n[experimental]\nignoredPorts=443,80\nhostAddressLoopback=true");
    assert_eq!(get(&o, k::IGNORED_PORTS), json!([80, 443]));
}

#[test]
fn provenance_explains_the_fallback() {
    let o = eff("[experimental]\nnetworkingMode=virtioproxy\n[wsl2]\nvirtio=false");
    let h = o.effective.history(k::NETWORKING_MODE);
    assert!(matches!(h[1].origin, Origin::File { line: 2, .. }));
    assert!(matches!(&h.last().unwrap().origin, Origin::Pass { pass, .. } if pass == "P11"));
    assert_eq!(h.last().unwrap().value, "Nat");
    assert_eq!(o.diagnostics[0].detail().key.as_deref(), Some("wsl2.networkingMode"));
    assert!(matches!(o.effective.get(k::NETWORKING_MODE), Some(Value::Enum(..))));
}

#[test]
fn vm_build() {
    let host = HostProfile::default();
    let o = eff("");
    let b = build(&o.effective, &host, "c");
    let vm = b.vm.unwrap();
    assert_eq!(vm.kernel_path, "C:\\Program Files\\WSL\\tools\\kernel");
    assert_eq!(
        vm.modules_path.as_deref(),
        Some("C:\\Program Files\\WSL\\tools\\modules.vhd")
    );
    assert_eq!((vm.high_mmio_gap_mb, vm.high_mmio_base_mb), (24578, 40958));
    assert_eq!(vm.nested_virtualization, Some(true));
    assert_eq!(vm.perfmon, Some((true, true)));
    assert!(vm.virtio_serial && vm.debug_shell && vm.vmmem_suffix);
    assert_eq!(vm.page_reporting_order, 5);

    let mut host = HostProfile::default();
    host.files.insert(
        "C:\\sd.img".into(),
        crate::host::FileFacts {
            exists: Some(true),
            size: Some(300 << 20),
        },
    );
    host.files.insert(
        "C:\\k".into(),
        crate::host::FileFacts {
            exists: Some(false),
            size: None,
        },
    );
    let o = run_on("[wsl2]\nsystemDistro=C:\\\\sd.img", &host, Dialect::Seed);
    let vm = build(&o.effective, &host, "c").vm.unwrap();
    assert_eq!((vm.high_mmio_gap_mb, vm.high_mmio_base_mb), (25090, 40446));

    let o = run_on(
        "[wsl2]\nkernel=C:\\\\k\nkernelModules=C:\\\\m.vhd",
        &host,
        Dialect::Seed,
    );
    let b = build(&o.effective, &host, "c");
    assert!(b.vm.is_none());
    assert_eq!(
        b.diagnostics.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        ["VMC002"]
    );
    let o = run_on("[wsl2]\nkernelModules=C:\\\\m.vhd", &host, Dialect::Seed);
    assert_eq!(build(&o.effective, &host, "c").diagnostics[0].id.as_str(), "VMC004");
    let o = run_on("[wsl2]\nsystemDistro=C:\\\\sd.tar", &host, Dialect::Seed);
    assert_eq!(build(&o.effective, &host, "c").diagnostics[0].id.as_str(), "VMC005");

    let mut win10 = HostProfile::default();
    win10.windows.build = 19045;
    let o = run_on("[wsl2]\nnestedVirtualization=true", &win10, Dialect::Seed);
    let b = build(&o.effective, &win10, "c");
    assert_eq!(b.vm.unwrap().nested_virtualization, Some(false));
    assert_eq!(b.diagnostics[0].id.as_str(), "VMC001");
}

#[test]
fn every_pass_declares_the_keys_it_changes() {
    let inputs = [
        "",
        "[wsl2]\nsafeMode=true\nkernel=C:\\\\k\nprocessors=99\nmemory=0\nvirtio9p=true",
        "[wsl2]\nvirtio=false\nnetworkingMode=VirtioProxy\nvirtiofs=true\n[experimental]\nswiotlb=64M",
        "[wsl2]\nnetworkingMode=bridged\ndebugConsole=true\nfirewall=false\nnestedVirtualization=true",
        "[wsl2]\nnetworkingMode=None\n[experimental]\nbestEffortDnsParsing=true\nignoredPorts=80\nhostAddressLoopback=true",
    ];
    let mut restrictive = HostProfile::default();
    restrictive.policies.allow_kernel_user_setting = Some(0);
    restrictive.policies.allow_nested_virtualization = Some(0);
    restrictive.policies.allow_firewall_user_setting = Some(0);
    restrictive.policies.default_networking_mode = Some(4);
    restrictive.services.global_secure_access_tunneling_running = true;
    restrictive.win_http_proxy_apis_available = false;
    for host in [HostProfile::default(), restrictive] {
        for input in inputs {
            let o = run_on(input, &host, Dialect::Seed);
            for id in crate::registry::ids() {
                for step in o.effective.history(id) {
                    if let Origin::Pass { pass, .. } = &step.origin {
                        let id_only = pass.split('.').next().unwrap();
                        if id_only == "P0" {
                            continue;
                        }
                        let declared = CONFIG_PASSES.iter().find(|p| p.id == id_only).expect("a listed pass");
                        assert!(
                            declared.touches.contains(&id),
                            "{pass} changed {} without declaring it",
                            id.spec().name()
                        );
                    }
                }
            }
        }
    }
}

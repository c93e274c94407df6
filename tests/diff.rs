//! `wslcfg diff` as a library: the effective configurations of two files,
//! of one file on two hosts, with provenance; the artifacts (kernel command
//! line token by token, HCS JSON by path, device strings). The human and
//! JSON outputs of the fixture pair are insta snapshots under
//! `snapshots/diff/`.

mod common;

use serde_json::json;
use wslcfg::diff::{self, Comparison, Input, Provenance};
use wslcfg::host::HostProfile;
use wslcfg::lint::LintOptions;
use wslcfg::plan::{DeviceKind, DeviceRecord};
use wslcfg::registry::Dialect;

fn host(name: &str) -> HostProfile {
    let path = common::root().join("fixtures/hosts").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    wslcfg::host::from_json(&text, name).expect("fixture host loads")
}

/// A side; its label is its path up to the first space.
fn input(label: &str, text: &str, host_profile: HostProfile, host_name: Option<&str>) -> Input {
    Input {
        label: label.to_owned(),
        path: label.split(' ').next().unwrap().to_owned(),
        bytes: Some(text.as_bytes().to_vec()),
        options: LintOptions {
            dialect: Dialect::Seed,
            host: host_profile,
            ..LintOptions::default()
        },
        host: host_name.map(str::to_owned),
    }
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(common::root().join("fixtures/diff").join(name)).unwrap()
}

fn snapshot(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots/diff");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, text));
}

fn two_files(emit: bool) -> Comparison {
    diff::compare(
        input("desktop.conf", &fixture("desktop.conf"), HostProfile::default(), None),
        input("laptop.conf", &fixture("laptop.conf"), HostProfile::default(), None),
        emit,
    )
    .unwrap()
}

#[test]
fn equal_files_are_equal() {
    let text = fixture("desktop.conf");
    for emit in [false, true] {
        let c = diff::compare(
            input("a", &text, HostProfile::default(), None),
            input("b", &text, HostProfile::default(), None),
            emit,
        )
        .unwrap();
        assert!(c.equal);
        assert!(c.keys.is_empty());
        assert_eq!(c.to_human(), "");
    }
    // Spelling does not matter, only the effective values.
    let c = diff::compare(
        input("a", "[wsl2]\nmemory=4GB\n", HostProfile::default(), None),
        input("b", "[WSL2]\nMemory = 4096MB # same\n", HostProfile::default(), None),
        true,
    )
    .unwrap();
    assert!(c.equal, "{}", c.to_human());
}

#[test]
fn two_files_on_one_host() {
    let c = two_files(false);
    assert!(!c.equal);
    let keys: Vec<&str> = c.keys.iter().map(|k| k.key).collect();
    assert!(keys.contains(&"wsl2.memory"));
    assert!(keys.contains(&"wsl2.networkingMode"));
    assert!(!keys.contains(&"experimental.autoMemoryReclaim"), "equal on both sides");
    let mode = c.keys.iter().find(|k| k.key == "wsl2.networkingMode").unwrap();
    assert_eq!(mode.left.value, json!("Mirrored"));
    assert_eq!(
        mode.left.provenance,
        Provenance::File {
            line: 5,
            key: "wsl2.networkingMode".into()
        }
    );
    assert_eq!(mode.right.value, json!("Nat"));
    assert!(matches!(mode.right.provenance, Provenance::Default { .. }));
    // A value a pass changed on one side only.
    let loopback = c
        .keys
        .iter()
        .find(|k| k.key == "experimental.hostAddressLoopback")
        .unwrap();
    assert!(matches!(&loopback.right.provenance, Provenance::Pass { pass, .. } if pass == "P16"));
    snapshot("desktop-laptop.txt", &c.to_human());
    snapshot("desktop-laptop.json", &c.to_json());
}

#[test]
fn one_file_on_two_hosts() {
    let text = fixture("desktop.conf");
    let c = diff::compare(
        input(
            "desktop.conf on win10-x64",
            &text,
            host("win10-x64.json"),
            Some("win10-x64.json"),
        ),
        input(
            "desktop.conf on arm64-win10",
            &text,
            host("arm64-win10.json"),
            Some("arm64-win10.json"),
        ),
        true,
    )
    .unwrap();
    assert!(!c.equal);
    let virtio = c.keys.iter().find(|k| k.key == "wsl2.virtio").unwrap();
    assert!(matches!(virtio.left.provenance, Provenance::HostDefault { .. }));
    assert_eq!((&virtio.left.value, &virtio.right.value), (&json!(true), &json!(false)));
    let virtiofs = c.keys.iter().find(|k| k.key == "wsl2.virtiofs").unwrap();
    assert!(matches!(&virtiofs.right.provenance, Provenance::Pass { pass, .. } if pass == "P11"));
    assert_eq!(c.left.host.as_deref(), Some("win10-x64.json"));
    snapshot("desktop-x64-arm64.txt", &c.to_human());
}

#[test]
fn artifacts_of_two_files() {
    let c = two_files(true);
    let a = c.artifacts.as_ref().expect("--emit");
    assert!(a.left_compiled && a.right_compiled);
    let tokens: Vec<(&str, &str)> = a.cmdline.iter().map(|t| (t.change, t.token.as_str())).collect();
    assert!(tokens.contains(&("removed", "nr_cpus=8")), "{tokens:?}");
    assert!(tokens.contains(&("added", "nr_cpus=4")), "{tokens:?}");
    assert!(tokens.contains(&("removed", "splash")), "{tokens:?}");
    assert!(
        a.hcs
            .iter()
            .any(|p| p.path == "/VirtualMachine/ComputeTopology/Memory/SizeInMB"),
        "{:?}",
        a.hcs
    );
    snapshot("desktop-laptop-emit.txt", &c.to_human());
}

#[test]
fn a_side_that_does_not_compile_has_no_artifacts() {
    let c = diff::compare(
        input("a", "[wsl2]\nswap=0\n", HostProfile::default(), None),
        input("b", "[wsl2]\nkernelModules=C:\\\\m.vhd\n", HostProfile::default(), None),
        true,
    )
    .unwrap();
    let a = c.artifacts.as_ref().unwrap();
    assert!(a.left_compiled && !a.right_compiled);
    assert!(!c.equal);
    assert_eq!(c.right.errors, ["VMC004"]);
    assert!(c.to_human().contains("b does not compile (VMC004)"), "{}", c.to_human());
}

#[test]
fn a_configuration_that_does_not_load_is_an_error() {
    let e = diff::compare(
        input("a", "[wsl2]\nmacAddress=nope\n", HostProfile::default(), None),
        input("b", "", HostProfile::default(), None),
        false,
    )
    .unwrap_err();
    assert!(e.0.contains("VAL005"), "{e}");
}

#[test]
fn command_lines_token_by_token() {
    let changes = diff::compare_cmdline("a b c d", "a c d e");
    let got: Vec<(&str, &str, usize)> = changes
        .iter()
        .map(|t| (t.change, t.token.as_str(), t.position))
        .collect();
    assert_eq!(got, [("removed", "b", 1), ("added", "e", 3)]);
    assert!(
        diff::compare_cmdline("x  y", "x y").is_empty(),
        "spacing is not a token"
    );
}

#[test]
fn json_by_path() {
    let l = json!({"a": {"b": 1, "c": [1, 2], "e": {}}, "x~/y": true});
    let r = json!({"a": {"b": 2, "c": [1], "d": null, "e": {}}, "x~/y": true});
    let got: Vec<(String, Option<serde_json::Value>, Option<serde_json::Value>)> = diff::compare_json(&l, &r)
        .into_iter()
        .map(|p| (p.path, p.left, p.right))
        .collect();
    assert_eq!(
        got,
        [
            ("/a/b".to_owned(), Some(json!(1)), Some(json!(2))),
            ("/a/c/1".to_owned(), Some(json!(2)), None),
            ("/a/d".to_owned(), None, Some(json!(null))),
        ]
    );
    let escaped = diff::compare_json(&json!({"x~/y": 1}), &json!({"x~/y": 2}));
    assert_eq!(escaped[0].path, "/x~0~1y");
}

fn device(kind: DeviceKind, path: &str, name: &str) -> DeviceRecord {
    DeviceRecord {
        kind,
        device_id: "D".into(),
        class_id: "C".into(),
        name_with_options: name.into(),
        path: path.into(),
        flags: 0,
        requires: Vec::new(),
    }
}

#[test]
fn devices_matched_by_kind_and_path() {
    let l = [
        device(DeviceKind::VirtiofsShm, "wslg", "wslg;vmId=1"),
        device(DeviceKind::Virtiofs, "C:\\", "C;uid=1"),
    ];
    let r = [
        device(DeviceKind::VirtiofsShm, "wslg", "wslg;swiotlb=0x1,2;vmId=1"),
        device(DeviceKind::Virtiofs, "D:\\", "D;uid=1"),
    ];
    let changes = diff::compare_devices(&l, &r);
    let got: Vec<(&str, &str, Option<&str>, Option<&str>)> = changes
        .iter()
        .map(|d| (d.change, d.kind.as_str(), d.left.as_deref(), d.right.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "changed",
                "virtiofs-shm",
                Some("wslg;vmId=1"),
                Some("wslg;swiotlb=0x1,2;vmId=1")
            ),
            ("removed", "virtiofs", Some("C;uid=1"), None),
            ("added", "virtiofs", None, Some("D;uid=1")),
        ]
    );
}

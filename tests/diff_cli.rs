//! `wslcfg diff` as a process: both forms, `--emit`, `--format json`, and
//! the exit status (0 equal, 1 different, 2 error).

mod common;

use std::process::{Command, Output};

fn wslcfg(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wslcfg"))
        .current_dir(common::root())
        .args(args)
        .output()
        .expect("wslcfg runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const DESKTOP: &str = "fixtures/diff/desktop.conf";
const LAPTOP: &str = "fixtures/diff/laptop.conf";
const WIN10: &str = "fixtures/hosts/win10-x64.json";
const ARM: &str = "fixtures/hosts/arm64-win10.json";

#[test]
fn two_files_differ() {
    let o = wslcfg(&["diff", DESKTOP, LAPTOP]);
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    assert!(out.starts_with(&format!("--- {DESKTOP}\n+++ {LAPTOP}\n")), "{out}");
    assert!(
        out.contains(&format!(
            "wsl2.memory: 17179869184 ({DESKTOP}:3 `wsl2.memory`) -> 6442450944 ({LAPTOP}:3 `wsl2.memory`)\n"
        )),
        "{out}"
    );
    assert!(!out.contains("kernel command line:"), "artifacts only with --emit");
}

#[test]
fn a_file_equals_itself() {
    for extra in [&[][..], &["--emit"][..], &["--format", "json"][..]] {
        let mut args = vec!["diff", DESKTOP, DESKTOP];
        args.extend(extra);
        let o = wslcfg(&args);
        assert_eq!(code(&o), 0, "{extra:?}");
        if extra.contains(&"json") {
            let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            assert_eq!(v["equal"], true);
        } else {
            assert_eq!(stdout(&o), "");
        }
    }
    // The same host profile twice: equal too.
    assert_eq!(code(&wslcfg(&["diff", DESKTOP, "--host", WIN10, "--host", WIN10])), 0);
}

#[test]
fn one_file_two_hosts() {
    let o = wslcfg(&["diff", DESKTOP, "--host", WIN10, "--host", ARM]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(
        out.starts_with(&format!("--- {DESKTOP} on {WIN10}\n+++ {DESKTOP} on {ARM}\n")),
        "{out}"
    );
    assert!(
        out.contains("wsl2.virtio: true (host default: true on x64; on arm64 only with Windows 11) -> false"),
        "{out}"
    );
    assert!(out.contains("-> false (P11: virtio is off)"), "{out}");
    // --host-set applies to both sides.
    let o = wslcfg(&[
        "diff",
        DESKTOP,
        "--host",
        WIN10,
        "--host",
        WIN10,
        "--host-set",
        "memory.totalPhysicalBytes=2147483648",
    ]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn emit_compares_the_artifacts() {
    let o = wslcfg(&["diff", DESKTOP, LAPTOP, "--emit"]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(
        out.contains("kernel command line:\n  - nr_cpus=8\n  + nr_cpus=4\n"),
        "{out}"
    );
    assert!(
        out.contains("  /VirtualMachine/ComputeTopology/Processor/Count: 8 -> 4\n"),
        "{out}"
    );
    assert!(out.contains("devices:\n  - virtiofs "), "{out}");
}

#[test]
fn json_format() {
    let o = wslcfg(&["diff", DESKTOP, LAPTOP, "--emit", "--format", "json"]);
    assert_eq!(code(&o), 1);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["equal"], false);
    assert_eq!(v["left"]["file"], DESKTOP);
    let memory = v["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["key"] == "wsl2.memory")
        .expect("memory differs");
    assert_eq!(memory["left"]["value"], 17179869184u64);
    assert_eq!(memory["left"]["provenance"]["kind"], "file");
    assert_eq!(memory["left"]["provenance"]["line"], 3);
    assert!(memory["right"]["history"].as_array().unwrap().len() >= 2);
    let cmdline = v["artifacts"]["cmdline"].as_array().unwrap();
    assert!(
        cmdline
            .iter()
            .any(|t| t["change"] == "added" && t["token"] == "nr_cpus=4")
    );
    assert!(
        v["artifacts"]["hcs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["path"] == "/VirtualMachine/ComputeTopology/Memory/SizeInMB"
                && p["left"] == 16384
                && p["right"] == 6144)
    );
}

#[test]
fn errors_exit_2() {
    let cases: [&[&str]; 6] = [
        &["diff", DESKTOP, "no/such/file"],
        &["diff", DESKTOP, "--host", WIN10],
        &["diff", DESKTOP, LAPTOP, "--host", WIN10, "--host", ARM],
        &["diff", DESKTOP, "--host", "no/such/host.json", "--host", WIN10],
        &["diff", DESKTOP, LAPTOP, "--host-set", "no.such.field=1"],
        &["diff"],
    ];
    for args in cases {
        let o = wslcfg(args);
        assert_eq!(code(&o), 2, "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(stdout(&o), "", "{args:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad");
    std::fs::write(&bad, "[wsl2]\nmacAddress=nope\n").unwrap();
    let o = wslcfg(&["diff", DESKTOP, bad.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("VAL005"));
}

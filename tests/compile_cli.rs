//! `wslcfg compile` and `wslcfg explain` end to end, through the built binary:
//! the output directory (exactly four files, replaced atomically, untouched
//! on failure), `--emit`, host overrides, the WSLC target, and the P11
//! fallback as `explain` tells it.

mod common;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const OUTPUTS: [&str; 4] = ["cmdline.txt", "devices.json", "hcs.json", "plan.json"];

fn wslcfg(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wslcfg"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("wslcfg runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// A `.wslconfig` in `dir`.
fn config(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).expect("writable temp dir");
    path
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temp path")
}

/// Every entry of `dir` (hidden ones included), sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("readable dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn snapshot_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    entries(dir)
        .into_iter()
        .map(|n| {
            let bytes = std::fs::read(dir.join(&n)).expect("readable output");
            (n, bytes)
        })
        .collect()
}

fn pretty(v: &impl serde::Serialize) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap();
    s.push('\n');
    s
}

/// The four files agree with each other: the plan verifies, and the other
/// three are exactly what it holds.
fn check_outputs(dir: &Path) -> wslcfg::plan::Plan {
    assert_eq!(entries(dir), OUTPUTS, "exactly the four outputs, no temporary file");
    let read = |n: &str| std::fs::read_to_string(dir.join(n)).expect("readable output");
    let plan = wslcfg::plan::Plan::verify(&read("plan.json")).expect("plan.json verifies");
    assert_eq!(read("plan.json"), plan.to_json());
    assert_eq!(read("hcs.json"), format!("{}\n", wslcfg::emit::compact(&plan.hcs)));
    assert_eq!(read("cmdline.txt"), format!("{}\n", plan.kernel_command_line));
    assert_eq!(read("devices.json"), pretty(&plan.devices));
    plan
}

#[cfg(unix)]
fn inodes(dir: &Path) -> Vec<u64> {
    use std::os::unix::fs::MetadataExt;
    OUTPUTS
        .iter()
        .map(|n| std::fs::metadata(dir.join(n)).expect("output exists").ino())
        .collect()
}

#[test]
fn out_dir_gets_exactly_four_files_and_is_replaced_atomically() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let first = config(tmp.path(), "a.wslconfig", "[wsl2]\nprocessors=4\nvirtiofs=true\n");
    let run = wslcfg(&["compile", path_str(&first), "-o", path_str(&out)]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(run.stdout.is_empty(), "nothing on standard output with -o");
    let plan = check_outputs(&out);
    assert!(plan.kernel_command_line.contains(" nr_cpus=4 "));
    assert!(!plan.devices.is_empty());
    #[cfg(unix)]
    let before = inodes(&out);

    // A second run replaces every file (a new file renamed into place, so a
    // reader sees the old or the new file, never a partial one).
    let second = config(tmp.path(), "b.wslconfig", "[wsl2]\nprocessors=2\n");
    let run = wslcfg(&[
        "compile",
        path_str(&second),
        "-o",
        path_str(&out),
        "--dialect",
        "upstream",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let plan = check_outputs(&out);
    assert!(plan.kernel_command_line.contains(" nr_cpus=2 "));
    assert_eq!(plan.dialect, "upstream");
    #[cfg(unix)]
    {
        let after = inodes(&out);
        for (name, (b, a)) in OUTPUTS.iter().zip(before.iter().zip(&after)) {
            assert_ne!(b, a, "{name} was rewritten in place, not replaced");
        }
    }

    // The same input again gives the same bytes.
    let bytes = snapshot_dir(&out);
    let run = wslcfg(&[
        "compile",
        path_str(&second),
        "-o",
        path_str(&out),
        "--dialect",
        "upstream",
    ]);
    assert_eq!(run.status.code(), Some(0));
    assert_eq!(snapshot_dir(&out), bytes);
}

/// Fatal inputs: (config, extra arguments).
fn fatal_cases() -> Vec<(&'static str, Vec<&'static str>, &'static str)> {
    vec![
        ("[wsl2]\nmacAddress=zz\n", vec![], "VAL005"),
        (
            "[wsl2]\nkernel=C:\\\\k\n",
            vec!["--host-set", "files.exists(C:\\k)=false"],
            "VMC002",
        ),
    ]
}

#[test]
fn a_fatal_input_exits_1_and_writes_nothing() {
    for (content, extra, id) in fatal_cases() {
        let tmp = tempfile::tempdir().unwrap();
        let file = config(tmp.path(), "bad.wslconfig", content);

        // A fresh output directory: nothing is created.
        let out = tmp.path().join("out");
        let mut args = vec!["compile", path_str(&file), "-o", path_str(&out)];
        args.extend(&extra);
        let run = wslcfg(&args);
        assert_eq!(run.status.code(), Some(1), "{id}: {}", text(&run.stderr));
        let stderr = text(&run.stderr);
        assert!(stderr.contains(id), "{id}: {stderr}");
        assert!(stderr.contains("nothing was written"), "{stderr}");
        assert!(run.stdout.is_empty());
        assert!(
            !out.exists() || entries(&out).is_empty(),
            "{id}: {:?} was written",
            entries(&out)
        );

        // An existing previous output is left as it was.
        let good = config(tmp.path(), "good.wslconfig", "[wsl2]\nmemory=4GB\n");
        let run = wslcfg(&["compile", path_str(&good), "-o", path_str(&out)]);
        assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
        let before = snapshot_dir(&out);
        #[cfg(unix)]
        let ino = inodes(&out);
        let run = wslcfg(&args);
        assert_eq!(run.status.code(), Some(1), "{id}");
        assert_eq!(snapshot_dir(&out), before, "{id}: the previous output changed");
        #[cfg(unix)]
        assert_eq!(inodes(&out), ino, "{id}: the previous output was replaced");

        // Without -o: exit 1 and nothing on standard output.
        let mut args = vec!["compile", path_str(&file)];
        args.extend(&extra);
        let run = wslcfg(&args);
        assert_eq!(run.status.code(), Some(1), "{id}");
        assert!(run.stdout.is_empty(), "{id}: {}", text(&run.stdout));
    }
}

#[test]
fn emit_prints_what_the_plan_holds() {
    let tmp = tempfile::tempdir().unwrap();
    let file = config(
        tmp.path(),
        "v.wslconfig",
        "[wsl2]\nvirtiofs=true\nnetworkingMode=VirtioProxy\nkernelCommandLine=\"quiet x=\\\"y\\\"\"\n",
    );
    for host in ["b7-default.json", "elevated-two-drives.json", "arm64-win11.json"] {
        let host = common::root().join("fixtures/hosts").join(host);
        for dialect in ["seed", "upstream"] {
            let base = [
                "compile",
                path_str(&file),
                "--host",
                path_str(&host),
                "--dialect",
                dialect,
            ];
            let emit = |what: &str| {
                let mut args = base.to_vec();
                if !what.is_empty() {
                    args.extend(["--emit", what]);
                }
                let run = wslcfg(&args);
                assert_eq!(run.status.code(), Some(0), "{what}: {}", text(&run.stderr));
                text(&run.stdout)
            };
            let default = emit("");
            assert_eq!(emit("plan"), default, "--emit plan is the default");
            let plan = wslcfg::plan::Plan::verify(&default).expect("the printed plan verifies");
            assert!(!plan.devices.is_empty());
            assert_eq!(emit("hcs"), format!("{}\n", wslcfg::emit::compact(&plan.hcs)));
            assert_eq!(emit("cmdline"), format!("{}\n", plan.kernel_command_line));
            assert_eq!(emit("devices"), pretty(&plan.devices));
            let devices: Value = serde_json::from_str(&emit("devices")).unwrap();
            assert_eq!(devices, serde_json::to_value(&plan.devices).unwrap());
            let effective: Value = serde_json::from_str(&emit("effective")).unwrap();
            assert_eq!(effective, Value::Object(plan.effective.clone()));
            assert_eq!(effective["wsl2.virtiofs"], true);
        }
    }
}

#[test]
fn an_unknown_host_field_is_a_usage_error() {
    let run = wslcfg(&["compile", "--host-set", "unknown.path=1"]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = text(&run.stderr);
    assert!(stderr.contains("HST002"), "{stderr}");
    assert!(stderr.contains("unknown host field `unknown.path`"), "{stderr}");
    assert!(run.stdout.is_empty());
}

#[test]
fn wslc_ignores_the_file_with_an_advice() {
    let tmp = tempfile::tempdir().unwrap();
    let file = config(tmp.path(), "w.wslconfig", "[wsl2]\nprocessors=2\nmacAddress=zz\n");
    let run = wslcfg(&["compile", "--target", "wslc", path_str(&file)]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let stderr = text(&run.stderr);
    assert!(stderr.contains("CMP004"), "{stderr}");
    assert!(stderr.contains("reads no .wslconfig"), "{stderr}");
    let plan = wslcfg::plan::Plan::verify(&text(&run.stdout)).expect("a WSLC plan");
    assert_eq!(plan.target, "wslc");
    assert!(
        plan.kernel_command_line
            .starts_with(r"initrd=\initrd.img WSLC_ROOT_INIT=1 ")
    );
    assert!(plan.kernel_command_line.contains(" nr_cpus=16 "), "the file is ignored");
    assert_eq!(plan.diagnostics.len(), 1);
    assert_eq!(plan.diagnostics[0].id, "CMP004");
    assert_eq!(plan.diagnostics[0].severity, "advice");

    // Without a file, no advice.
    let run = wslcfg(&["compile", "--target", "wslc", "--emit", "cmdline"]);
    assert_eq!(run.status.code(), Some(0));
    assert!(!text(&run.stderr).contains("CMP004"));
}

#[test]
fn explain_shows_the_p11_fallback() {
    let tmp = tempfile::tempdir().unwrap();
    let file = config(
        tmp.path(),
        "x.wslconfig",
        "[experimental]\nnetworkingMode=virtioproxy\n[wsl2]\nvirtio=false\n",
    );
    for (dialect, mode4) in [("seed", "VirtioProxy"), ("upstream", "Consomme")] {
        let run = wslcfg(&["explain", "wsl2.networkingMode", path_str(&file), "--dialect", dialect]);
        assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
        let out = text(&run.stdout);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "wsl2.networkingMode = \"Nat\"", "{out}");
        // The history: default, the file's line 2 (under its alias), P11.
        let steps: Vec<&&str> = lines.iter().filter(|l| l.trim_start().starts_with('→')).collect();
        assert_eq!(steps.len(), 3, "{out}");
        assert!(steps[0].contains("\"Nat\"") && steps[0].contains("default"), "{out}");
        assert!(steps[1].contains(&format!("\"{mode4}\"")), "{out}");
        assert!(
            steps[1].contains(":2:") && steps[1].contains("experimental.networkingMode"),
            "{out}"
        );
        assert!(steps[2].contains("\"Nat\"") && steps[2].contains("P11"), "{out}");
        assert!(steps[2].contains("PAS005"), "{out}");
        assert!(
            lines.iter().any(|l| l.trim_start().starts_with("PAS005 warning")),
            "{out}"
        );
    }
}

//! Helpers of the launcher tests (`tests/launch_*.rs`): compiling plans against the Linux host
//! profile, install directories, VHD files, fake QEMU and device hosts, process checks.
#![allow(dead_code)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn launcher() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wslcfg-launch"));
    c.env_remove("WSLCFG_QEMU").env_remove("WSLCFG_DEVICE_HOST");
    c
}

/// Compiles `wslconfig` against `fixtures/hosts/linux-x64.json` with `install.dir=<dir>/inst` (and
/// `extra` host overrides); returns `<dir>/out/plan.json`.
pub fn compile(dir: &Path, wslconfig: &str, extra: &[&str]) -> PathBuf {
    let file = dir.join("test.wslconfig");
    std::fs::write(&file, wslconfig).unwrap();
    let out = dir.join("out");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wslcfg"));
    cmd.arg("compile")
        .arg(&file)
        .arg("--host")
        .arg(root().join("fixtures/hosts/linux-x64.json"))
        .arg("--host-set")
        .arg(format!("install.dir={}", dir.join("inst").display()))
        .arg("-o")
        .arg(&out);
    for e in extra {
        cmd.arg("--host-set").arg(e);
    }
    let o = cmd.output().unwrap();
    assert!(
        o.status.success(),
        "compile failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    out.join("plan.json")
}

/// A fixed VHD (raw data + the 512-byte `conectix` footer) of `size` bytes of zeros, as Hyper-V
/// writes it: QEMU's `vpc` driver reads it.
pub fn write_fixed_vhd(path: &Path, size: u64) {
    let mut footer = [0u8; 512];
    footer[0..8].copy_from_slice(b"conectix");
    footer[8..12].copy_from_slice(&2u32.to_be_bytes()); // features: reserved bit
    footer[12..16].copy_from_slice(&0x0001_0000u32.to_be_bytes()); // format version 1.0
    footer[16..24].copy_from_slice(&u64::MAX.to_be_bytes()); // data offset: none (fixed)
    footer[28..32].copy_from_slice(b"win "); // creator application: the size field is exact
    footer[32..36].copy_from_slice(&0x0001_0000u32.to_be_bytes());
    footer[36..40].copy_from_slice(b"Wi2k");
    footer[40..48].copy_from_slice(&size.to_be_bytes()); // original size
    footer[48..56].copy_from_slice(&size.to_be_bytes()); // current size
    footer[56..60].copy_from_slice(&[0, 32, 16, 4]); // geometry: 32 cylinders, 16 heads, 4 sectors
    footer[60..64].copy_from_slice(&2u32.to_be_bytes()); // disk type: fixed
    footer[68..84].copy_from_slice(b"wslcfg-e2e-disk!"); // unique id
    let sum: u32 = footer.iter().map(|b| u32::from(*b)).sum();
    footer[64..68].copy_from_slice(&(!sum).to_be_bytes());
    let mut bytes = vec![0u8; usize::try_from(size).unwrap()];
    bytes.extend_from_slice(&footer);
    std::fs::write(path, bytes).unwrap();
}

/// `<dir>/inst` as the Linux host profile expects it: `tools/kernel`, `tools/initrd.img`,
/// `tools/modules.vhd` and `system.vhd` (dummy kernel and initrd unless given).
pub fn install_dir(dir: &Path, kernel: Option<&Path>, initrd: Option<&Path>) {
    let inst = dir.join("inst");
    std::fs::create_dir_all(inst.join("tools")).unwrap();
    match kernel {
        Some(k) => std::fs::copy(k, inst.join("tools/kernel")).map(drop).unwrap(),
        None => std::fs::write(inst.join("tools/kernel"), b"not a kernel").unwrap(),
    }
    match initrd {
        Some(i) => std::fs::copy(i, inst.join("tools/initrd.img")).map(drop).unwrap(),
        None => std::fs::write(inst.join("tools/initrd.img"), b"not an initrd").unwrap(),
    }
    write_fixed_vhd(&inst.join("system.vhd"), 1 << 20);
    write_fixed_vhd(&inst.join("tools/modules.vhd"), 1 << 20);
}

pub fn write_executable(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A stand-in for qemu-system-x86_64: records its pid (`<dir>/qemu.pids`) and arguments
/// (`<dir>/qemu.argv`, one per line), writes a line to its console and sleeps.
pub fn fake_qemu(dir: &Path) -> PathBuf {
    let path = dir.join("fake-qemu");
    write_executable(
        &path,
        &format!(
            "#!/bin/sh\necho $$ >> '{d}/qemu.pids'\nprintf '%s\\n' \"$@\" > '{d}/qemu.argv'\necho fake guest says hi\nexec sleep 600\n",
            d = dir.display()
        ),
    );
    path
}

/// A stand-in for virtiofsd: creates the socket given by `--socket-path=`, records its pid and the
/// pid of a helper it forks into its process group (`<dir>/device-host.pids`), and sleeps.
pub fn fake_device_host(dir: &Path) -> PathBuf {
    let path = dir.join("fake-virtiofsd");
    write_executable(
        &path,
        &format!(
            r#"#!/usr/bin/env python3
import os, socket, subprocess, sys, time
path = next(a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--socket-path="))
helper = subprocess.Popen(["sleep", "600"])
with open("{d}/device-host.pids", "a") as f:
    f.write(f"{{os.getpid()}}\n{{helper.pid}}\n")
with open("{d}/device-host.argv", "w") as f:
    f.write("\n".join(sys.argv[1:]) + "\n")
s = socket.socket(socket.AF_UNIX)
s.bind(path)
s.listen(1)
time.sleep(600)
"#,
            d = dir.display()
        ),
    );
    path
}

pub fn pids(file: &Path) -> Vec<u32> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect()
}

/// A process is gone when /proc has no entry for it, or only a zombie's.
pub fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => {
            let state = stat.rsplit(')').next().unwrap_or("").trim_start().chars().next();
            state != Some('Z')
        }
        Err(_) => false,
    }
}

/// Waits up to `limit` for every pid to be gone; returns those still alive.
pub fn wait_gone(pids: &[u32], limit: Duration) -> Vec<u32> {
    let end = Instant::now() + limit;
    loop {
        let left: Vec<u32> = pids.iter().copied().filter(|p| alive(*p)).collect();
        if left.is_empty() || Instant::now() >= end {
            return left;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub fn wait_for_file(path: &Path, limit: Duration) -> bool {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        if path.exists() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Splits a shell-quoted line back into its argument vector, with a real shell.
pub fn shell_split(line: &str) -> Vec<String> {
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "set -- {line}; for a in \"$@\"; do printf '%s\\0' \"$a\"; done"
        ))
        .output()
        .unwrap();
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    match text.strip_suffix('\0') {
        Some(t) => t.split('\0').map(str::to_owned).collect(),
        None => Vec::new(),
    }
}

/// The values following `flag` in an argument vector.
pub fn after<'a>(argv: &'a [String], flag: &str) -> Vec<&'a str> {
    argv.windows(2)
        .filter(|w| w[0] == flag)
        .map(|w| w[1].as_str())
        .collect()
}

pub fn plan_json(plan: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(plan).unwrap()).unwrap()
}

//! `wslcfg-launch` without a real VM: bad input (exit 2, nothing started), `--dry-run` argument
//! vectors, the device-host override, and the lifecycle (timeout, signals, exit status) with
//! stand-ins for QEMU and virtiofsd. The real boots are in tests/launch_e2e.rs.

mod launch_helpers;

use launch_helpers::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;
use tempfile::TempDir;

const BASIC: &str = "[wsl2]\nprocessors=2\nmemory=512MB\n";
const SHARE: &str = "[wsl2]\nvirtiofs=true\nnetworkingMode=None\nguiApplications=false\n";

struct Case {
    dir: TempDir,
    plan: PathBuf,
    qemu: PathBuf,
}

impl Case {
    fn new(wslconfig: &str, extra: &[&str]) -> Case {
        let dir = tempfile::tempdir().unwrap();
        install_dir(dir.path(), None, None);
        std::fs::create_dir_all(dir.path().join("share")).unwrap();
        let plan = compile(dir.path(), wslconfig, extra);
        let qemu = fake_qemu(dir.path());
        Case { dir, plan, qemu }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn map_share(&self) -> String {
        format!("C:\\={}", self.path("share").display())
    }

    /// The launcher with the fake QEMU through `WSLCFG_QEMU`.
    fn cmd(&self) -> Command {
        let mut c = launcher();
        c.env("WSLCFG_QEMU", &self.qemu);
        c
    }

    fn run(&self, plan: &Path, args: &[&str]) -> Output {
        self.cmd().arg(plan).args(args).stdin(Stdio::null()).output().unwrap()
    }

    fn started_nothing(&self) -> bool {
        !self.path("qemu.pids").exists() && !self.path("device-host.pids").exists()
    }

    /// Runs with `args` and expects exit 2, `needle` in the error and nothing started.
    fn refused(&self, plan: &Path, args: &[&str], needle: &str) {
        let o = self.run(plan, args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "stderr: {err}");
        assert!(err.contains(needle), "expected `{needle}` in: {err}");
        assert!(err.starts_with("error: ") || err.contains("\nerror: "), "{err}");
        assert!(self.started_nothing(), "a process was started: {err}");
    }

    /// The plan text with `from` replaced by `to`, written beside it.
    fn edited(&self, from: &str, to: &str) -> PathBuf {
        let text = std::fs::read_to_string(&self.plan).unwrap();
        assert!(text.contains(from), "`{from}` is not in the plan");
        let path = self.path("edited.json");
        std::fs::write(&path, text.replace(from, to)).unwrap();
        path
    }

    fn dry_run(&self, args: &[&str]) -> (Vec<Vec<String>>, String) {
        let o = self.run(&self.plan, &[&["--dry-run"], args].concat());
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(self.started_nothing(), "--dry-run started a process");
        let lines = stdout(&o)
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(shell_split)
            .collect();
        (lines, stderr(&o))
    }
}

// ---------------------------------------------------------------------------
// Bad input: exit 2, a clear error, nothing started.

#[test]
fn a_tampered_plan_is_refused_by_its_digest() {
    let c = Case::new(BASIC, &[]);
    let plan = c.edited("panic=-1", "panic=10");
    c.refused(&plan, &["--accel", "tcg"], "digest does not match");
}

#[test]
fn truncated_and_non_json_plans_are_refused() {
    let c = Case::new(BASIC, &[]);
    let text = std::fs::read_to_string(&c.plan).unwrap();
    let truncated = c.path("truncated.json");
    std::fs::write(&truncated, &text[..text.len() / 2]).unwrap();
    c.refused(&truncated, &[], "not a valid plan");
    let junk = c.path("junk.json");
    std::fs::write(&junk, "this is not JSON\n").unwrap();
    c.refused(&junk, &[], "not a valid plan");
    let binary = c.path("binary.json");
    std::fs::write(&binary, [0xff, 0xfe, 0x00]).unwrap();
    c.refused(&binary, &[], "not UTF-8");
    c.refused(&c.path("missing.json"), &[], "cannot read the plan");
}

#[test]
fn an_unknown_format_version_or_field_is_refused() {
    let c = Case::new(BASIC, &[]);
    let plan = c.edited("\"formatVersion\": 1", "\"formatVersion\": 7");
    c.refused(&plan, &[], "plan format version 7 is not supported");
    let plan = c.edited("\"formatVersion\": 1", "\"formatVersion\": 1, \"launchHint\": true");
    c.refused(&plan, &[], "unknown field `launchHint`");
}

#[test]
fn missing_kernel_initrd_and_disks_are_refused() {
    let c = Case::new(BASIC, &[]);
    std::fs::remove_file(c.path("inst/tools/initrd.img")).unwrap();
    c.refused(&c.plan, &[], "the initrd");
    std::fs::remove_file(c.path("inst/tools/kernel")).unwrap();
    c.refused(&c.plan, &[], "the kernel");
    install_dir(c.dir.path(), None, None);
    std::fs::write(c.path("inst/system.vhd"), vec![0u8; 4096]).unwrap();
    c.refused(&c.plan, &[], "is neither a VHD nor a VHDX file");
    std::fs::remove_file(c.path("inst/system.vhd")).unwrap();
    c.refused(&c.plan, &[], "system.vhd` does not exist");
    // --allow-missing-disks boots without it, with a warning.
    let (lines, err) = c.dry_run(&["--accel", "tcg", "--allow-missing-disks"]);
    assert!(err.contains("system.vhd` does not exist and is skipped"), "{err}");
    let blockdevs = after(&lines[0], "-blockdev");
    assert_eq!(blockdevs.len(), 1, "{blockdevs:?}");
    assert!(blockdevs[0].contains("modules.vhd"));
}

#[test]
fn a_missing_qemu_binary_is_refused() {
    let c = Case::new(BASIC, &[]);
    c.refused(
        &c.plan,
        &["--qemu", "/nonexistent/qemu-system-x86_64"],
        "does not exist or is not executable",
    );
    let empty = c.path("empty-bin");
    std::fs::create_dir_all(&empty).unwrap();
    let o = launcher()
        .arg(&c.plan)
        .env("PATH", &empty)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`qemu-system-x86_64` is not on PATH"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn unsupported_networking_modes_are_refused() {
    for mode in ["Mirrored", "Bridged"] {
        let c = Case::new(&format!("[wsl2]\nnetworkingMode={mode}\n"), &[]);
        c.refused(&c.plan, &[], &format!("unsupported networking mode {mode}"));
    }
}

#[test]
fn arm64_plans_and_unmapped_windows_paths_are_refused() {
    let c = Case::new(BASIC, &["arch=arm64"]);
    c.refused(&c.plan, &[], "boots through UEFI");
    let c = Case::new(BASIC, &[r"install.dir=C:\Program Files\WSL"]);
    c.refused(&c.plan, &[], r"`C:\Program Files\WSL\tools\kernel` is a Windows path");
    let c = Case::new(SHARE, &[]);
    c.refused(&c.plan, &[], r"the virtiofs share");
}

#[test]
fn a_missing_or_non_executable_device_host_is_refused() {
    let c = Case::new(SHARE, &[]);
    let map = c.map_share();
    c.refused(
        &c.plan,
        &["--map-path", &map, "--device-host", "/nonexistent/virtiofsd"],
        "does not exist",
    );
    let not_exec = c.path("not-executable");
    std::fs::write(&not_exec, "#!/bin/sh\n").unwrap();
    let not_exec = not_exec.to_str().unwrap();
    c.refused(
        &c.plan,
        &["--map-path", &map, "--device-host", not_exec],
        "is not executable",
    );
    // Through the environment too, and even for a plan without shares.
    let o = c
        .cmd()
        .arg(&c.plan)
        .args(["--map-path", &map])
        .env("WSLCFG_DEVICE_HOST", not_exec)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not executable"));
    let basic = Case::new(BASIC, &[]);
    basic.refused(
        &basic.plan,
        &["--device-host", "/nonexistent/virtiofsd"],
        "does not exist",
    );
}

#[test]
fn bad_arguments_are_usage_errors() {
    let c = Case::new(BASIC, &[]);
    c.refused(&c.plan, &["--map-path", "/not/windows=/x"], "must be a Windows path");
    let o = c.run(&c.plan, &["--timeout", "-3"]);
    assert_eq!(o.status.code(), Some(2));
    let o = c.run(&c.plan, &["--backend", "hyperv"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(c.started_nothing());
}

// ---------------------------------------------------------------------------
// --dry-run: the exact argument vectors.

#[test]
fn dry_run_prints_the_qemu_argument_vector_of_the_plan() {
    let c = Case::new(BASIC, &[]);
    let plan = plan_json(&c.plan);
    let (lines, err) = c.dry_run(&["--accel", "tcg"]);
    assert_eq!(lines.len(), 1, "{lines:?}");
    let a = &lines[0];
    assert_eq!(Path::new(&a[0]), c.qemu);
    assert_eq!(after(a, "-accel"), ["tcg"]);
    assert_eq!(after(a, "-m"), ["512M"]);
    assert_eq!(after(a, "-smp"), ["2"]);
    assert_eq!(after(a, "-append"), [plan["kernelCommandLine"].as_str().unwrap()]);
    assert_eq!(after(a, "-kernel"), [c.path("inst/tools/kernel").to_str().unwrap()]);
    assert_eq!(after(a, "-initrd"), [c.path("inst/tools/initrd.img").to_str().unwrap()]);
    assert!(a.contains(&"-no-reboot".to_owned()));
    let blockdevs: Vec<serde_json::Value> = after(a, "-blockdev")
        .iter()
        .map(|b| serde_json::from_str(b).unwrap())
        .collect();
    assert_eq!(blockdevs.len(), 2);
    assert_eq!(
        blockdevs[0]["file"]["filename"],
        c.path("inst/system.vhd").to_str().unwrap()
    );
    assert_eq!(blockdevs[0]["driver"], "vpc");
    assert_eq!(blockdevs[1]["read-only"], true);
    let devices = after(a, "-device");
    assert!(devices.contains(&"scsi-hd,bus=scsi0.0,channel=0,scsi-id=0,lun=1,drive=disk0-1"));
    assert!(devices.contains(&"virtconsole,bus=vser0.0,nr=0,name=hvc0,chardev=console"));
    assert!(
        devices.contains(&"virtio-net-pci,netdev=net0"),
        "Nat is user-mode networking"
    );
    assert_eq!(after(a, "-netdev"), ["user,id=net0"]);
    assert_eq!(after(a, "-serial"), ["chardev:console"]);
    // The WSLg record is skipped with a warning naming it.
    assert!(err.contains("warning: device record 0 (virtiofs-shm `wslg`"), "{err}");
}

#[test]
fn dry_run_with_auto_accel_shows_the_fallback() {
    let c = Case::new(BASIC, &[]);
    let o = c.run(&c.plan, &["--dry-run"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    let last = shell_split(lines.last().unwrap());
    assert_eq!(after(&last, "-accel"), ["tcg"]);
    if lines.len() > 1 {
        // /dev/kvm answers here: KVM first, TCG after the comment line.
        assert_eq!(lines.len(), 3, "{out}");
        assert!(lines[1].starts_with("# if the KVM guest writes nothing"), "{out}");
        assert_eq!(after(&shell_split(lines[0]), "-accel"), ["kvm"]);
    } else {
        assert!(stderr(&o).contains("/dev/kvm is not usable"));
    }
}

#[test]
fn networking_modes_map_to_user_mode_or_nothing() {
    let c = Case::new("[wsl2]\nnetworkingMode=None\n", &[]);
    let (lines, _) = c.dry_run(&["--accel", "tcg"]);
    assert!(after(&lines[0], "-netdev").is_empty());
    assert!(!after(&lines[0], "-device").iter().any(|d| d.starts_with("virtio-net")));

    let endpoint = [
        "host.endpoint.ipv4=172.20.1.2",
        "host.endpoint.prefixLen=20",
        "host.endpoint.gateway=172.20.0.1",
    ];
    let c = Case::new("[wsl2]\nnetworkingMode=VirtioProxy\n", &endpoint);
    let (lines, err) = c.dry_run(&["--accel", "tcg", "--map-path", &c.map_share()]);
    let netdevs = after(&lines[0], "-netdev");
    assert_eq!(netdevs.len(), 1, "eth0 only: {netdevs:?}");
    assert!(netdevs[0].starts_with("user,id=net0"), "{netdevs:?}");
    assert!(err.contains("`loopback0`"), "{err}");
    assert!(err.contains("option token `swiotlb="), "{err}");
}

#[test]
fn dry_run_starts_one_device_host_per_share_with_the_override() {
    let c = Case::new(SHARE, &["virtiofs.tags=0f8fad5b-d9cb-469f-a165-70867728950e"]);
    let dh = fake_device_host(c.dir.path());
    let map = c.map_share();
    let (lines, err) = c.dry_run(&[
        "--accel",
        "tcg",
        "--map-path",
        &map,
        "--device-host",
        dh.to_str().unwrap(),
    ]);
    assert_eq!(lines.len(), 2, "{lines:?}");
    let (host, vm) = (&lines[0], &lines[1]);
    assert_eq!(Path::new(&host[0]), dh);
    let socket = host[1].strip_prefix("--socket-path=").expect("a socket path");
    assert!(socket.ends_with("/fs0.sock"), "{socket}");
    assert_eq!(
        host[2..],
        ["-o".to_owned(), format!("source={}", c.path("share").display())]
    );
    assert!(after(vm, "-chardev").contains(&format!("socket,id=fs0,path={socket}").as_str()));
    assert!(
        after(vm, "-device").contains(&"vhost-user-fs-pci,chardev=fs0,tag=0f8fad5b-d9cb-469f-a165-70867728950e"),
        "{vm:?}"
    );
    assert_eq!(after(vm, "-machine"), ["q35,memory-backend=mem"]);
    let memory = format!(
        "{}M",
        plan_json(&c.plan)["hcs"]["VirtualMachine"]["ComputeTopology"]["Memory"]["SizeInMB"]
    );
    assert_eq!(after(vm, "-m"), [memory.as_str()]);
    assert_eq!(
        after(vm, "-object"),
        [format!("memory-backend-memfd,id=mem,size={memory},share=on").as_str()]
    );
    // The option tokens are reported, not dropped silently.
    assert!(
        err.contains("option tokens `gid=1000`, `symlinkroot=/mnt/`, `uid=1000`"),
        "{err}"
    );

    // The environment variable works the same; the flag wins over it.
    let o = c
        .cmd()
        .arg(&c.plan)
        .args(["--dry-run", "--accel", "tcg", "--map-path", &map])
        .env("WSLCFG_DEVICE_HOST", &dh)
        .output()
        .unwrap();
    assert_eq!(shell_split(stdout(&o).lines().next().unwrap())[0], dh.to_str().unwrap());
    let other = c.path("other-virtiofsd");
    write_executable(&other, "#!/bin/sh\n");
    let o = c
        .cmd()
        .arg(&c.plan)
        .args(["--dry-run", "--accel", "tcg", "--map-path", &map, "--device-host"])
        .arg(&other)
        .env("WSLCFG_DEVICE_HOST", &dh)
        .output()
        .unwrap();
    assert_eq!(
        shell_split(stdout(&o).lines().next().unwrap())[0],
        other.to_str().unwrap()
    );
}

#[test]
fn windows_paths_map_onto_host_directories() {
    let c = Case::new(BASIC, &[r"install.dir=C:\Program Files\WSL"]);
    let map = format!(r"C:\Program Files\WSL={}", c.path("inst").display());
    let (lines, _) = c.dry_run(&["--accel", "tcg", "--map-path", &map]);
    assert_eq!(
        after(&lines[0], "-kernel"),
        [c.path("inst/tools/kernel").to_str().unwrap()]
    );
}

#[test]
fn other_ports_go_to_the_port_directory() {
    let c = Case::new("[wsl2]\nkernelDebugPort=5555\n", &[]);
    let ports = c.path("ports");
    std::fs::create_dir_all(&ports).unwrap();
    let (lines, _) = c.dry_run(&["--accel", "tcg", "--port-dir", ports.to_str().unwrap()]);
    let chardevs = after(&lines[0], "-chardev");
    let p = ports.display();
    assert!(
        chardevs.contains(&format!("file,id=vport1,path={p}/hvc1.log").as_str()),
        "{chardevs:?}"
    );
    assert!(
        chardevs.contains(&format!("file,id=com1,path={p}/ttyS1.log").as_str()),
        "{chardevs:?}"
    );
    assert_eq!(after(&lines[0], "-serial"), ["chardev:console", "chardev:com1"]);
}

// ---------------------------------------------------------------------------
// Lifecycle, with stand-ins: no orphans, no leftovers.

fn run_dir(launcher_pid: u32) -> PathBuf {
    std::env::temp_dir().join(format!("wslcfg-launch.{launcher_pid}"))
}

fn all_pids(c: &Case) -> Vec<u32> {
    let mut p = pids(&c.path("qemu.pids"));
    p.extend(pids(&c.path("device-host.pids")));
    p
}

#[test]
fn a_timeout_stops_the_vm_and_every_device_host() {
    let c = Case::new(SHARE, &[]);
    let dh = fake_device_host(c.dir.path());
    let console = c.path("console.log");
    let mut child = c
        .cmd()
        .arg(&c.plan)
        .args(["--accel", "tcg", "--timeout", "1.5", "--map-path", &c.map_share()])
        .arg("--device-host")
        .arg(&dh)
        .arg("--console")
        .arg(&console)
        .stdin(Stdio::null())
        // A file, not a pipe: an orphan holding the pipe would hang the test instead of failing it.
        .stderr(std::fs::File::create(c.path("stderr.txt")).unwrap())
        .spawn()
        .unwrap();
    let pid = child.id();
    let status = child.wait().unwrap();
    let err = std::fs::read_to_string(c.path("stderr.txt")).unwrap();
    assert_eq!(status.code(), Some(124), "{err}");
    assert!(err.contains("--timeout of 1.5 s expired"), "{err}");
    let started = all_pids(&c);
    assert_eq!(started.len(), 3, "qemu, device host and its helper: {started:?}");
    assert_eq!(
        wait_gone(&started, Duration::from_secs(1)),
        Vec::<u32>::new(),
        "orphans"
    );
    assert!(
        !run_dir(pid).exists(),
        "the run directory with the sockets is left behind"
    );
    assert_eq!(std::fs::read_to_string(&console).unwrap(), "fake guest says hi\n");
    let argv = std::fs::read_to_string(c.path("device-host.argv")).unwrap();
    assert!(
        argv.contains(&format!("source={}", c.path("share").display())),
        "{argv}"
    );
}

fn stopped_by(sig: &str, code: i32) {
    let c = Case::new(SHARE, &[]);
    let dh = fake_device_host(c.dir.path());
    let mut child = c
        .cmd()
        .arg(&c.plan)
        .args(["--accel", "tcg", "--console", "-", "--map-path", &c.map_share()])
        .arg("--device-host")
        .arg(&dh)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    assert!(
        wait_for_file(&c.path("qemu.pids"), Duration::from_secs(10)),
        "QEMU never started"
    );
    std::thread::sleep(Duration::from_millis(100));
    let pid = child.id();
    assert!(
        Command::new("kill")
            .args([sig, &pid.to_string()])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut out).unwrap();
    if code >= 0 {
        assert_eq!(status.code(), Some(code));
        assert!(!run_dir(pid).exists(), "the run directory is left behind");
        assert_eq!(out, "fake guest says hi\n", "--console - is standard output");
    }
    let started = all_pids(&c);
    let direct: Vec<u32> = if code >= 0 {
        started.clone()
    } else {
        // SIGKILL: the launcher cannot clean up; its own children die with it (PR_SET_PDEATHSIG).
        // A device host's own helper is that device host's business: stop it here.
        let helper = started[2];
        Command::new("kill").arg(helper.to_string()).status().unwrap();
        let _ = std::fs::remove_dir_all(run_dir(pid));
        started[..2].to_vec()
    };
    assert_eq!(
        wait_gone(&direct, Duration::from_secs(2)),
        Vec::<u32>::new(),
        "orphans after {sig}"
    );
}

#[test]
fn sigterm_stops_the_vm_and_every_device_host() {
    stopped_by("-TERM", 128 + 15);
}

#[test]
fn sigint_stops_the_vm_and_every_device_host() {
    stopped_by("-INT", 128 + 2);
}

#[test]
fn children_die_with_a_killed_launcher() {
    stopped_by("-KILL", -1);
}

#[test]
fn the_vm_exit_status_is_the_launcher_exit_status() {
    let c = Case::new(BASIC, &[]);
    write_executable(&c.qemu, "#!/bin/sh\necho $$ > \"$0.pid\"\nexit 3\n");
    let o = c.run(&c.plan, &["--accel", "tcg", "--console", "-"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
}

#[test]
fn a_device_host_that_dies_stops_the_launch() {
    let c = Case::new(SHARE, &[]);
    let dh = c.path("dying-virtiofsd");
    write_executable(&dh, "#!/bin/sh\necho broken >&2\nexit 7\n");
    let o = c.run(
        &c.plan,
        &[
            "--accel",
            "tcg",
            "--map-path",
            &c.map_share(),
            "--device-host",
            dh.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("exited (exit status: 7) before it created its socket"),
        "{}",
        stderr(&o)
    );
    assert!(!c.path("qemu.pids").exists(), "QEMU started without its device host");
}

#[test]
fn timings_report_the_launcher_overhead() {
    let c = Case::new(BASIC, &[]);
    let o = c.run(
        &c.plan,
        &["--accel", "tcg", "--timeout", "0.5", "--timings", "--console", "-"],
    );
    assert_eq!(o.status.code(), Some(124));
    let err = stderr(&o);
    let line = err
        .lines()
        .find(|l| l.contains("launcher overhead"))
        .expect("a timing line");
    let ms: f64 = line
        .rsplit("launcher overhead ")
        .next()
        .unwrap()
        .trim_end_matches(" ms")
        .parse()
        .unwrap();
    assert!(ms > 0.0 && ms < 1000.0, "{line}");
}

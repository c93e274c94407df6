//! End to end: compile a `.wslconfig` against the Linux host profile, boot the plan with
//! `wslcfg-launch` under QEMU (a real Debian kernel and a busybox initramfs whose /init reports what
//! the guest saw), and check the guest against the plan.
//!
//! The assets come from `bash scripts/e2e-assets.sh` (scripts/test.sh runs it). Without them the
//! tests are skipped, except in CI (`CI` set), where a missing asset is a failure. The VMs run one
//! at a time: two cores are not enough for several TCG guests at once.

mod launch_helpers;

use launch_helpers::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Mutex;
use std::time::{Duration, Instant};

static ONE_VM_AT_A_TIME: Mutex<()> = Mutex::new(());

struct Assets {
    kernel: PathBuf,
    initrd: PathBuf,
}

fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// Skips (or, in CI, fails) when a precondition is missing.
fn missing(what: &str) -> Option<Assets> {
    let msg = format!("{what}: run `bash scripts/e2e-assets.sh` (as root) first");
    assert!(!in_ci(), "the end-to-end test cannot run in CI: {msg}");
    eprintln!("SKIPPED: {msg}");
    None
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file())
}

fn assets() -> Option<Assets> {
    let dir = root().join("target/e2e");
    let (kernel, initrd) = (dir.join("vmlinuz"), dir.join("initrd.img"));
    if !kernel.is_file() || !initrd.is_file() {
        return missing(&format!("{} or {} is missing", kernel.display(), initrd.display()));
    }
    if on_path("qemu-system-x86_64").is_none() {
        return missing("qemu-system-x86_64 is not on PATH");
    }
    Some(Assets { kernel, initrd })
}

/// What /init printed between WSLCFG-E2E-BEGIN and WSLCFG-E2E-END, by key (a key may repeat).
fn report(console: &str) -> BTreeMap<String, Vec<String>> {
    let begin = console.find("WSLCFG-E2E-BEGIN").expect("the guest's report begins");
    let end = console.find("WSLCFG-E2E-END").expect("the guest's report ends");
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in console[begin..end].lines().skip(1) {
        if let Some((k, v)) = line.trim_end_matches('\r').split_once('=') {
            out.entry(k.to_owned()).or_default().push(v.to_owned());
        }
    }
    out
}

fn one<'a>(r: &'a BTreeMap<String, Vec<String>>, key: &str) -> &'a str {
    match r.get(key).map(Vec::as_slice) {
        Some([v]) => v,
        other => panic!("expected one {key}, found {other:?}"),
    }
}

struct Boot {
    code: Option<i32>,
    console: String,
    stderr: String,
    /// From starting the launcher to /init's first line on the console.
    to_init: Option<Duration>,
    total: Duration,
}

/// Runs the launcher on `plan` and watches the console file for /init's first line.
fn boot(plan: &Path, console: &Path, args: &[&str]) -> Boot {
    let start = Instant::now();
    let mut child = launcher()
        .arg(plan)
        .arg("--console")
        .arg(console)
        .args(["--timeout", "240", "--timings"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut to_init = None;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if to_init.is_none() && std::fs::read(console).is_ok_and(|b| b.windows(15).any(|w| w == b"WSLCFG-E2E-INIT")) {
            to_init = Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let total = start.elapsed();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    Boot {
        code: status.code(),
        console: String::from_utf8_lossy(&std::fs::read(console).unwrap_or_default()).into_owned(),
        stderr,
        to_init,
        total,
    }
}

fn template(name: &str, assets: &Assets, tag: &str) -> String {
    std::fs::read_to_string(root().join("fixtures/launch").join(name))
        .unwrap()
        .replace("@KERNEL@", assets.kernel.to_str().unwrap())
        .replace("@TAG@", tag)
}

fn hcs<'a>(plan: &'a serde_json::Value, path: &[&str]) -> &'a serde_json::Value {
    path.iter().fold(&plan["hcs"]["VirtualMachine"], |v, k| &v[*k])
}

/// The checks every boot shares: exit 0, the exact command line, the processor count, a memory size
/// consistent with SizeInMB, hvc0 reaching the console, one SCSI disk per attachment.
fn check_guest(b: &Boot, plan: &serde_json::Value) -> BTreeMap<String, Vec<String>> {
    assert_eq!(
        b.code,
        Some(0),
        "the launcher failed\nstderr:\n{}\nconsole:\n{}",
        b.stderr,
        b.console
    );
    let r = report(&b.console);
    assert_eq!(
        one(&r, "CMDLINE"),
        plan["kernelCommandLine"].as_str().unwrap(),
        "the guest's /proc/cmdline is the plan's command line, byte for byte"
    );
    assert_eq!(
        one(&r, "CMDLINE"),
        hcs(plan, &["Chipset", "LinuxKernelDirect", "KernelCmdLine"])
            .as_str()
            .unwrap()
    );
    let cpus: u64 = one(&r, "CPUS").parse().unwrap();
    assert_eq!(
        cpus,
        hcs(plan, &["ComputeTopology", "Processor", "Count"]).as_u64().unwrap()
    );
    let size_kb = hcs(plan, &["ComputeTopology", "Memory", "SizeInMB"]).as_u64().unwrap() * 1024;
    let mem_kb: u64 = one(&r, "MEMTOTAL_KB").parse().unwrap();
    // MemTotal is the RAM the kernel manages: SizeInMB minus what firmware, the kernel image and
    // early reservations (here also the 64 MiB swiotlb pool that swiotlb=force allocates) take.
    assert!(
        mem_kb <= size_kb && mem_kb * 10 >= size_kb * 7,
        "MemTotal {mem_kb} kB is not consistent with SizeInMB ({size_kb} kB)"
    );
    assert_eq!(one(&r, "HVC0"), "present");
    assert!(
        b.console.contains("WSLCFG-E2E-HVC0-HELLO"),
        "what the guest writes to hvc0 reaches --console too"
    );
    let attachments = hcs(plan, &["Devices", "Scsi", "0", "Attachments"])
        .as_object()
        .unwrap()
        .len();
    let disks = r.get("SCSI").map_or(0, Vec::len);
    assert_eq!(disks, attachments, "one SCSI disk per attachment: {:?}", r.get("SCSI"));
    assert!(r["SCSI"].iter().all(|d| d.contains("QEMU HARDDISK")));
    r
}

fn measurements(name: &str, b: &Boot) {
    let overhead = b
        .stderr
        .lines()
        .find(|l| l.contains("launcher overhead"))
        .unwrap_or("(no timing line)");
    eprintln!(
        "e2e {name}: plan to guest init {:.2} s, whole run {:.2} s; {overhead}",
        b.to_init.map_or(f64::NAN, |d| d.as_secs_f64()),
        b.total.as_secs_f64()
    );
}

#[test]
fn the_guest_sees_exactly_the_plan_under_tcg() {
    let Some(assets) = assets() else { return };
    let _one = ONE_VM_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    install_dir(dir.path(), None, Some(&assets.initrd));
    let plan_path = compile(dir.path(), &template("e2e.wslconfig.in", &assets, ""), &[]);
    let plan = plan_json(&plan_path);
    assert_eq!(hcs(&plan, &["ComputeTopology", "Processor", "Count"]), 2);
    assert_eq!(hcs(&plan, &["ComputeTopology", "Memory", "SizeInMB"]), 512);

    let b = boot(&plan_path, &dir.path().join("console.log"), &["--accel", "tcg"]);
    measurements("tcg", &b);
    let r = check_guest(&b, &plan);

    // The seed's kernel capability probe: a kernel that does not know `hv_pci_swiotlb=` hands it to
    // init as an environment variable. Debian's kernel does not know it, and it does reach init.
    let cmdline = plan["kernelCommandLine"].as_str().unwrap();
    assert!(cmdline.contains("hv_pci_swiotlb=0x40000000,64M"), "{cmdline}");
    assert_eq!(one(&r, "HV_PCI_SWIOTLB_ENV"), "0x40000000,64M");
    assert!(
        r["ENV"].contains(&"hv_pci_swiotlb=0x40000000,64M".to_owned()),
        "{:?}",
        r["ENV"]
    );
    assert!(
        r.get("DMESG")
            .is_some_and(|d| d.iter().any(|l| l.contains("hv_pci_swiotlb=0x40000000,64M"))),
        "the kernel says it passes the parameter to user space: {:?}",
        r.get("DMESG")
    );
}

const TAG: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

/// A compiled plan with one virtiofs record (drive C, tag [`TAG`]), the `--map-path` rule that maps
/// the drive onto a temporary directory, and the text of the file the guest must read there. `None`
/// (skip) without virtiofsd or root, which virtiofsd's namespace sandbox needs (CI has both).
struct Share {
    dir: tempfile::TempDir,
    plan_path: PathBuf,
    map: String,
    nonce: String,
}

fn virtiofs_case(assets: &Assets) -> Option<Share> {
    let device_host = ["/usr/libexec/virtiofsd", "/usr/lib/qemu/virtiofsd"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .or_else(|| on_path("virtiofsd"));
    if device_host.is_none() {
        missing("virtiofsd is not installed");
        return None;
    }
    let root_user = std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().next().map(|uid| uid == "0"))
        .unwrap_or(false);
    if !root_user {
        missing("virtiofsd needs root");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    install_dir(dir.path(), None, Some(&assets.initrd));
    let share = dir.path().join("share");
    std::fs::create_dir_all(&share).unwrap();
    let nonce = format!(
        "written by the host, pid {} at {:?}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    );
    std::fs::write(share.join("hello.txt"), &nonce).unwrap();
    let plan_path = compile(
        dir.path(),
        &template("virtiofs.wslconfig.in", assets, TAG),
        &[&format!("virtiofs.tags={TAG}")],
    );
    let map = format!("C:\\={}", share.display());
    Some(Share {
        dir,
        plan_path,
        map,
        nonce,
    })
}

fn check_share(b: &Boot, case: &Share) {
    let plan = plan_json(&case.plan_path);
    let records = plan["devices"].as_array().unwrap();
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["kind"], "virtiofs");
    assert!(
        records[0]["nameWithOptions"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{TAG};"))
    );
    let r = check_guest(b, &plan);
    assert_eq!(one(&r, "VIRTIOFS_MOUNT"), "ok", "{}", b.console);
    assert_eq!(one(&r, "VIRTIOFS_READ"), case.nonce);
    assert!(b.stderr.contains("option tokens `gid=1000`"), "{}", b.stderr);
}

#[test]
fn a_virtiofs_record_is_mounted_in_the_guest_by_its_tag() {
    let Some(assets) = assets() else { return };
    let Some(case) = virtiofs_case(&assets) else { return };
    let _one = ONE_VM_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let b = boot(
        &case.plan_path,
        &case.dir.path().join("console.log"),
        &["--accel", "tcg", "--map-path", &case.map],
    );
    measurements("virtiofs", &b);
    check_share(&b, &case);
}

/// `--accel auto` on the virtiofs plan: on this machine kind KVM shows no sign of life, so the
/// launcher stops QEMU *and* virtiofsd and starts both again under TCG (a stale socket must not make
/// the new device host look ready).
#[test]
fn auto_accel_proves_the_guest_alive_or_falls_back_to_tcg() {
    let Some(assets) = assets() else { return };
    let Some(case) = virtiofs_case(&assets) else { return };
    let _one = ONE_VM_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let b = boot(
        &case.plan_path,
        &case.dir.path().join("console.log"),
        &["--accel", "auto", "--alive-timeout", "3", "--map-path", &case.map],
    );
    measurements("auto", &b);
    check_share(&b, &case);
    let fell_back = b.stderr.contains("falling back to TCG");
    let no_kvm = b.stderr.contains("/dev/kvm is not usable");
    eprintln!(
        "e2e auto: {}",
        if fell_back {
            "KVM showed no sign of life; fell back to TCG"
        } else if no_kvm {
            "no usable /dev/kvm; ran under TCG"
        } else {
            "ran under KVM"
        }
    );
    if !Path::new("/dev/kvm").exists() {
        assert!(no_kvm, "{}", b.stderr);
    }
}

//! `wslcfg set` and `wslcfg unset` as a process: what is written, printed
//! and reported, and the exit status (writer.md §1: 0 written or nothing to
//! change, 1 refused, 2 usage error or I/O).

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn wslcfg(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wslcfg"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("wslcfg runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn temp_file(content: &[u8]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".wslconfig");
    fs::write(&path, content).unwrap();
    let p = path.to_str().unwrap().to_owned();
    (dir, p)
}

fn fixture(name: &str) -> Vec<u8> {
    fs::read(common::root().join("fixtures/edit").join(name)).unwrap()
}

fn only_file(dir: &Path) {
    let names: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, [".wslconfig"], "nothing else is left in the directory");
}

#[test]
fn set_writes_in_place_keeping_bom_and_crlf() {
    let (dir, path) = temp_file(&fixture("notepad-bom-crlf.conf"));
    let o = wslcfg(&["set", &path, "wsl2.memory", "4GB"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    assert_eq!(
        fs::read(&path).unwrap(),
        b"\xEF\xBB\xBF# Saved by Notepad: BOM and CRLF.\r\n[wsl2]\r\nmemory=4294967296   # half of the RAM\r\nswap=0\r\n\r\n[experimental]\r\nsparseVhd=true\r\n"
    );
    let o = wslcfg(&["set", &path, "wsl2.networkingMode", "mirrored"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        fs::read(&path)
            .unwrap()
            .ends_with(b"swap=0\r\nnetworkingMode=Mirrored\r\n\r\n[experimental]\r\nsparseVhd=true\r\n")
    );
    only_file(dir.path());
}

#[test]
fn set_on_utf16_file() {
    let (_dir, path) = temp_file(&fixture("utf16.conf"));
    let o = wslcfg(&["set", &path, "experimental.autoMemoryReclaim", "dropcache"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let mut expected = vec![0xFF, 0xFE];
    let text = "[wsl2]\r\nmemory=8GB\r\n# Zoë's settings\r\n\r\n[experimental]\r\nautoMemoryReclaim=DropCache\r\n";
    expected.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(fs::read(&path).unwrap(), expected);
}

#[test]
fn dry_run_prints_a_unified_diff_and_writes_nothing() {
    let before = fixture("notepad-bom-crlf.conf");
    let (_dir, path) = temp_file(&before);
    let o = wslcfg(&["set", "--dry-run", &path, "wsl2.kernel", "C:\\Users\\me\\kernel"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        format!(
            "--- {path}\n+++ {path}\n@@ -2,6 +2,7 @@\n [wsl2]\n memory=8GB   # half of the RAM\n swap=0\n+kernel=C:\\\\Users\\\\me\\\\kernel\n \n [experimental]\n sparseVhd=true\n"
        )
    );
    assert_eq!(fs::read(&path).unwrap(), before);
    let o = wslcfg(&["unset", &path, "wsl2.swap", "--dry-run"]);
    assert_eq!(code(&o), 0);
    assert_eq!(
        stdout(&o),
        format!(
            "--- {path}\n+++ {path}\n@@ -1,7 +1,6 @@\n # Saved by Notepad: BOM and CRLF.\n [wsl2]\n memory=8GB   # half of the RAM\n-swap=0\n \n [experimental]\n sparseVhd=true\n"
        )
    );
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn dry_run_of_a_new_file_and_of_no_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new").to_str().unwrap().to_owned();
    let o = wslcfg(&["set", &path, "wsl2.swap", "0", "--dry-run"]);
    assert_eq!(code(&o), 0);
    assert_eq!(
        stdout(&o),
        format!("--- /dev/null\n+++ {path}\n@@ -0,0 +1,2 @@\n+[wsl2]\n+swap=0\n\\ No newline at end of file\n")
    );
    assert!(!Path::new(&path).exists());
    let (_dir, path) = temp_file(b"[wsl2]\nswap=0\n");
    let o = wslcfg(&["set", &path, "wsl2.swap", "0", "--dry-run"]);
    assert_eq!((code(&o), stdout(&o)), (0, String::new()));
}

#[test]
fn stdout_prints_the_new_file_and_writes_nothing() {
    let (_dir, path) = temp_file(b"[wsl2]\nprocessors=8\n");
    let o = wslcfg(&["set", "--stdout", &path, "wsl2.processors", "-1"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(o.stdout, b"[wsl2]\nprocessors=-1\n");
    assert_eq!(fs::read(&path).unwrap(), b"[wsl2]\nprocessors=8\n");
    let o = wslcfg(&["set", "--stdout", "--dry-run", &path, "wsl2.swap", "0"]);
    assert_eq!(code(&o), 2, "the two outputs exclude each other");
}

#[test]
fn eol_option() {
    let (_dir, path) = temp_file(b"[wsl2]\nswap=0\n");
    let o = wslcfg(&["set", &path, "wsl2.memory", "1GB", "--eol", "crlf"]);
    assert_eq!(code(&o), 0);
    assert_eq!(fs::read(&path).unwrap(), b"[wsl2]\nswap=0\n\r\nmemory=1073741824");
}

#[test]
fn refusals_exit_1_and_leave_the_file() {
    let before = b"[wsl2]\nprocessors=4\n";
    let (dir, path) = temp_file(before);
    let cases: [(&[&str], &str); 7] = [
        (
            &["set", &path, "wsl2.procesors", "8"],
            "did you mean `wsl2.processors`?",
        ),
        (&["set", &path, "memory", "8GB"], "did you mean `wsl2.memory`?"),
        (&["set", &path, "wsl2.networkingMode", "mirror"], "VAL004"),
        (&["set", &path, "wsl2.processors", "99999999999"], "VAL002"),
        (&["set", &path, "wsl2.memory", "-1"], "VAL003"),
        (&["set", &path, "wsl2.kernel", "C:\\Users\\Zoë\\k"], "WRT001"),
        (&["unset", &path, "wsl2.procesors"], "KEY001"),
    ];
    for (args, expected) in cases {
        let o = wslcfg(args);
        assert_eq!(code(&o), 1, "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{args:?}: {}", stderr(&o));
        assert_eq!(stdout(&o), "");
        assert_eq!(fs::read(&path).unwrap(), before);
    }
    only_file(dir.path());
}

#[test]
fn files_wslcfg_does_not_edit_exit_1() {
    for (content, reason) in [
        (&b"[wsl2]\n# a\rb\n"[..], "carriage return"),
        (&b"[wsl2]\nkernelCommandLine=quiet \\"[..], "backslash"),
        (&[0xFF, 0xFE, 0x41][..], "odd number of bytes"),
    ] {
        let (_dir, path) = temp_file(content);
        let o = wslcfg(&["set", &path, "wsl2.swap", "0"]);
        assert_eq!(code(&o), 1, "{}", stderr(&o));
        assert!(
            stderr(&o).contains("WRT003") && stderr(&o).contains(reason),
            "{}",
            stderr(&o)
        );
        assert_eq!(fs::read(&path).unwrap(), content);
    }
    let (_dir, path) = temp_file(&[b'#'; 100]);
    let o = wslcfg(&["set", &path, "wsl2.swap", "0", "--max-size", "10"]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("WRT003"));
}

#[test]
fn missing_file_is_created_unset_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".wslconfig");
    let p = path.to_str().unwrap();
    let o = wslcfg(&["unset", p, "wsl2.memory"]);
    assert_eq!(code(&o), 0);
    assert!(!path.exists());
    let o = wslcfg(&["set", p, "wsl2.memory", "4GB"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(fs::read(&path).unwrap(), b"[wsl2]\nmemory=4294967296");
    only_file(dir.path());
}

#[test]
fn io_failures_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing_dir = dir.path().join("no/such/dir/.wslconfig");
    let o = wslcfg(&["set", missing_dir.to_str().unwrap(), "wsl2.swap", "0"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("WRT002"));
    let o = wslcfg(&["set", dir.path().to_str().unwrap(), "wsl2.swap", "0"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("not a regular file"));
}

#[cfg(unix)]
#[test]
fn read_only_file_exit_2_also_for_dry_run() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, path) = temp_file(b"[wsl2]\n");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let o = wslcfg(&["set", &path, "wsl2.swap", "0"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("read-only"), "{}", stderr(&o));
    assert_eq!(fs::read(&path).unwrap(), b"[wsl2]\n");
    let o = wslcfg(&["set", &path, "wsl2.swap", "0", "--dry-run"]);
    assert_eq!(code(&o), 2, "the status the real edit would have had");
    assert!(stdout(&o).contains("+swap=0"));
    only_file(dir.path());
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(code(&wslcfg(&["set", "F", "wsl2.swap"])), 2);
    assert_eq!(code(&wslcfg(&["unset", "F"])), 2);
    assert_eq!(code(&wslcfg(&["set", "F", "wsl2.swap", "0", "--eol", "cr"])), 2);
    assert_eq!(code(&wslcfg(&["set", "F", "wsl2.swap", "0", "--dialect", "x"])), 2);
}

#[test]
fn dialect_spelling_of_mode_4() {
    let (_dir, path) = temp_file(b"[experimental]\nnetworkingMode=VirtioProxy\n");
    let o = wslcfg(&["set", &path, "wsl2.networkingMode", "virtioproxy"]);
    assert_eq!(code(&o), 0);
    assert_eq!(
        fs::read(&path).unwrap(),
        b"[experimental]\nnetworkingMode=VirtioProxy\n"
    );
    let o = wslcfg(&[
        "set",
        &path,
        "wsl2.networkingMode",
        "virtioproxy",
        "--dialect",
        "upstream",
    ]);
    assert_eq!(code(&o), 0);
    assert_eq!(fs::read(&path).unwrap(), b"[experimental]\nnetworkingMode=Consomme\n");
}

#[test]
fn lint_agrees_after_a_set() {
    let (_dir, path) = temp_file(b"[wsl2]\nkernel=C:\\wsl\\kernel\n");
    let o = wslcfg(&["lint", "--format", "json", &path]);
    assert!(stdout(&o).contains("SYN006"));
    let o = wslcfg(&["set", &path, "wsl2.kernel", "C:\\wsl\\kernel"]);
    assert_eq!(code(&o), 0);
    let o = wslcfg(&["lint", "--format", "json", &path]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["files"][0]["values"]["wsl2.kernel"], "C:\\wsl\\kernel");
    assert!(!stdout(&o).contains("SYN006"));
}

//! End to end with a real editor: Neovim (Debian's `neovim`, 0.7) runs
//! headless, opens a `.wslconfig` with a misspelled key, starts `wslcfg lsp`
//! through its built-in LSP client (`tests/nvim/e2e.lua`), waits for the
//! diagnostics, asks for hover and completion, edits the buffer and writes
//! what it received to a JSON file, checked here.
//!
//! Without `nvim` on the PATH the test fails, unless `WSLCFG_SKIP_NVIM=1`
//! says that skipping is allowed (CI installs Neovim in `.ci/run`).

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn nvim_available() -> bool {
    Command::new("nvim")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs the script; the deadline only keeps a broken editor from hanging the suite.
fn run_nvim(dir: &Path, file: &Path, out: &Path) -> std::process::ExitStatus {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/nvim/e2e.lua");
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-u", "NONE", "-i", "NONE", "-n"])
        .arg("-c")
        .arg(format!("luafile {}", script.display()))
        .env("WSLCFG_BIN", env!("CARGO_BIN_EXE_wslcfg"))
        .env("WSLCFG_FILE", file)
        .env("WSLCFG_OUT", out)
        .env("HOME", dir)
        .env("XDG_STATE_HOME", dir)
        .env("XDG_DATA_HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .env("XDG_CACHE_HOME", dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("nvim starts");
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("nvim did not finish");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn neovim_gets_diagnostics_hover_and_completion() {
    if !nvim_available() {
        if std::env::var_os("WSLCFG_SKIP_NVIM").is_some_and(|v| v == "1") {
            eprintln!("SKIPPED: nvim is not installed and WSLCFG_SKIP_NVIM=1 allows skipping the editor test");
            return;
        }
        panic!("nvim is not installed: `apt-get install neovim`, or set WSLCFG_SKIP_NVIM=1 to skip this test");
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(".wslconfig");
    std::fs::write(&file, "[wsl2]\nmemroy=8GB\nprocessors=4\n\nswap=0\n").unwrap();
    let out = dir.path().join("out.json");
    let status = run_nvim(dir.path(), &file, &out);
    let text = std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("nvim wrote no result ({status}): {e}"));
    let got: Value = serde_json::from_str(&text).unwrap();
    assert!(status.success(), "{status}: {got:#}");
    assert!(got.get("error").is_none(), "{got:#}");

    // The diagnostics, as Neovim holds them (0-based lines and columns).
    assert_eq!(got["diagnostics_arrived"], true, "{got:#}");
    let diagnostics = got["diagnostics"].as_array().unwrap();
    let key001 = diagnostics
        .iter()
        .find(|d| d["code"] == "KEY001")
        .unwrap_or_else(|| panic!("KEY001: {got:#}"));
    assert_eq!(key001["lnum"], 1);
    assert_eq!((key001["col"].as_u64(), key001["end_col"].as_u64()), (Some(0), Some(6)));
    assert_eq!(key001["source"], "wslcfg");
    assert_eq!(key001["severity"], 2, "vim.diagnostic.severity.WARN");
    assert!(
        key001["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `wsl2.memory`?")
    );
    assert!(key001["href"].as_str().unwrap().ends_with("docs/diagnostics.md#key001"));
    // The settings reached the server: the host has 2 processors (hostSet).
    let pas001 = diagnostics.iter().find(|d| d["code"] == "PAS001").expect("PAS001");
    assert_eq!(pas001["lnum"], 2);

    // Hover on `processors`.
    let hover = got["hover"]["contents"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("hover: {got:#}"));
    assert!(hover.contains("**wsl2.processors**"), "{hover}");
    assert!(hover.contains("clamped to the host's 2 logical processors"), "{hover}");

    // Completion on the empty line of [wsl2]: keys not set yet.
    let labels: Vec<&str> = got["completion"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(labels.contains(&"kernel"), "{labels:?}");
    assert!(
        !labels.contains(&"processors") && !labels.contains(&"swap"),
        "set already: {labels:?}"
    );

    // The edit went through incremental sync: the typo's diagnostic is gone.
    assert_eq!(got["fixed_after_edit"], true, "{got:#}");
    assert_eq!(got["diagnostics_after_edit"], 1, "PAS001 stays: {got:#}");
    assert_eq!(got["stopped"], true, "the client shut the server down");
}

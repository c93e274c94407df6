//! Writing the file (writer.md §7.1): atomic replacement that keeps the
//! permission bits, a failure between the flush and the rename that leaves
//! the old file intact and no temporary file behind, creation of a missing
//! file, symbolic links followed, and the refusals (WRT002, WRT003).

mod common;

use common::entries;
use std::fs;
use std::io;
use std::path::Path;
use wslcfg::diag::DiagId;
use wslcfg::edit::{self, EditOptions, Eol, Request};
use wslcfg::registry::Dialect;

const OLD: &[u8] = b"[wsl2]\r\nmemory=8GB\r\n";

/// The whole `set` pipeline on a path, as the CLI runs it.
fn set(path: &Path, key: &str, value: &str) -> Result<bool, (DiagId, u8)> {
    let request = Request::set(key, value, Dialect::Seed).unwrap();
    let path = path.to_str().unwrap();
    let target = edit::read_target(path, 16 << 20).map_err(|r| (r.diagnostics[0].id, r.exit_code()))?;
    let options = EditOptions {
        dialect: Dialect::Seed,
        eol: Eol::Auto,
    };
    let edited =
        edit::edit(path, target.bytes.clone(), &request, &options).map_err(|r| (r.diagnostics[0].id, r.exit_code()))?;
    if !edited.changed() {
        return Ok(false);
    }
    edit::commit(&target, edited.after.as_deref().unwrap()).map_err(|r| (r.diagnostics[0].id, r.exit_code()))?;
    Ok(true)
}

#[test]
fn replaces_the_file_and_leaves_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(".wslconfig");
    fs::write(&file, OLD).unwrap();
    assert_eq!(set(&file, "wsl2.memory", "4GB"), Ok(true));
    assert_eq!(fs::read(&file).unwrap(), b"[wsl2]\r\nmemory=4294967296\r\n");
    assert_eq!(entries(dir.path()), [".wslconfig"]);
}

#[test]
fn failure_between_write_and_rename_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(".wslconfig");
    fs::write(&file, OLD).unwrap();
    let target = edit::read_target(file.to_str().unwrap(), 1 << 20).unwrap();
    let mut seen_temp = None;
    let result = edit::commit_with(&target, b"[wsl2]\nmemory=1\n", &mut |tmp| {
        // The new content is complete and flushed at this point.
        assert_eq!(fs::read(tmp).unwrap(), b"[wsl2]\nmemory=1\n");
        seen_temp = Some(tmp.to_path_buf());
        Err(io::Error::other("simulated crash before the rename"))
    });
    let refusal = result.unwrap_err();
    assert_eq!(refusal.exit_code(), 2);
    let d = &refusal.diagnostics[0];
    assert_eq!(d.id, DiagId::WRT002);
    assert!(d.message().contains("simulated crash"), "{}", d.message());
    assert_eq!(fs::read(&file).unwrap(), OLD, "the old file is intact");
    let tmp = seen_temp.expect("the hook ran");
    assert_eq!(
        tmp.parent(),
        Some(dir.path()),
        "the temporary file is in the same directory"
    );
    assert!(!tmp.exists(), "the temporary file was removed");
    assert_eq!(entries(dir.path()), [".wslconfig"]);
}

#[test]
fn another_writer_meanwhile_keeps_its_version() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(".wslconfig");
    fs::write(&file, OLD).unwrap();
    let target = edit::read_target(file.to_str().unwrap(), 1 << 20).unwrap();
    let refusal = edit::commit_with(&target, b"new", &mut |_| {
        fs::write(&file, b"[wsl2]\nswap=0\nmemory=2GB\n")
    })
    .unwrap_err();
    assert_eq!(refusal.diagnostics[0].id, DiagId::WRT002);
    assert_eq!(fs::read(&file).unwrap(), b"[wsl2]\nswap=0\nmemory=2GB\n");
    assert_eq!(entries(dir.path()), [".wslconfig"]);
}

#[test]
fn missing_file_is_created_and_unset_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(".wslconfig");
    let unset = Request::unset("wsl2.swap").unwrap();
    let options = EditOptions {
        dialect: Dialect::Seed,
        eol: Eol::Auto,
    };
    let target = edit::read_target(file.to_str().unwrap(), 1 << 20).unwrap();
    let edited = edit::edit("F", target.bytes.clone(), &unset, &options).unwrap();
    assert!(!edited.changed());
    assert!(!file.exists());
    assert_eq!(set(&file, "wsl2.memory", "4GB"), Ok(true));
    assert_eq!(fs::read(&file).unwrap(), b"[wsl2]\nmemory=4294967296");
    assert_eq!(entries(dir.path()), [".wslconfig"]);
}

#[test]
fn no_change_does_not_rewrite() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(".wslconfig");
    fs::write(&file, b"[wsl2]\nmemory=4294967296\n").unwrap();
    let before = fs::metadata(&file).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert_eq!(set(&file, "wsl2.memory", "4GB"), Ok(false));
    assert_eq!(fs::metadata(&file).unwrap().modified().unwrap(), before);
}

#[test]
fn missing_directory_is_wrt002() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nope").join(".wslconfig");
    assert_eq!(set(&file, "wsl2.memory", "4GB"), Err((DiagId::WRT002, 2)));
    assert!(!file.exists());
}

#[test]
fn a_directory_is_not_a_file() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(set(dir.path(), "wsl2.memory", "4GB"), Err((DiagId::WRT002, 2)));
}

#[test]
fn too_large_is_wrt003() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(".wslconfig");
    fs::write(&file, vec![b'#'; 2048]).unwrap();
    let refusal = edit::read_target(file.to_str().unwrap(), 1024).unwrap_err();
    assert_eq!(refusal.exit_code(), 1);
    assert_eq!(refusal.diagnostics[0].id, DiagId::WRT003);
    assert_eq!(refusal.diagnostics[0].detail().facts["reason"], "too-large");
}

#[cfg(unix)]
#[test]
fn permissions_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(".wslconfig");
    fs::write(&file, OLD).unwrap();
    for mode in [0o600, 0o640, 0o664, 0o755] {
        fs::set_permissions(&file, fs::Permissions::from_mode(mode)).unwrap();
        assert_eq!(set(&file, "wsl2.memory", &format!("{mode}")), Ok(true));
        assert_eq!(fs::metadata(&file).unwrap().permissions().mode() & 0o7777, mode);
    }
}

#[cfg(unix)]
#[test]
fn read_only_file_is_refused_not_renamed_around() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(".wslconfig");
    fs::write(&file, OLD).unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o444)).unwrap();
    assert_eq!(set(&file, "wsl2.memory", "4GB"), Err((DiagId::WRT002, 2)));
    assert_eq!(fs::read(&file).unwrap(), OLD);
    assert_eq!(entries(dir.path()), [".wslconfig"]);
}

#[cfg(unix)]
#[test]
fn symbolic_link_is_followed_and_stays() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("dotfiles").join("wslconfig");
    fs::create_dir(real.parent().unwrap()).unwrap();
    fs::write(&real, OLD).unwrap();
    let link = dir.path().join(".wslconfig");
    std::os::unix::fs::symlink("dotfiles/wslconfig", &link).unwrap();
    assert_eq!(set(&link, "wsl2.memory", "4GB"), Ok(true));
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(fs::read(&real).unwrap(), b"[wsl2]\r\nmemory=4294967296\r\n");
    // A dangling link: the file it names is created.
    fs::remove_file(&real).unwrap();
    assert_eq!(set(&link, "wsl2.swap", "0"), Ok(true));
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(fs::read(&real).unwrap(), b"[wsl2]\nswap=0");
}

#[cfg(unix)]
#[test]
fn hard_link_gets_a_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(".wslconfig");
    let other = dir.path().join("backup");
    fs::write(&file, OLD).unwrap();
    fs::hard_link(&file, &other).unwrap();
    assert_eq!(set(&file, "wsl2.memory", "4GB"), Ok(true));
    assert_eq!(fs::read(&other).unwrap(), OLD);
}

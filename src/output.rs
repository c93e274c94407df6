//! Writing files atomically: the outputs of `wslcfg compile -o` and the file
//! that `wslcfg set` / `unset` replace (writer.md §7.1, through
//! [`stage`]).
//!
//! Every file first goes to a temporary file in its own directory (a
//! `tempfile::NamedTempFile`, removed again if anything fails), is flushed to
//! disk, and only then renamed over the target. A rename inside one directory
//! is atomic: a reader, or the directory after a crash, sees the old file or
//! the new one, never a mix. [`write_files`] stages *all* its files before it
//! renames the first, so a failure while writing any of them leaves every
//! previous output as it was and no temporary file behind.
//!
//! The points where a write can be interrupted are named by [`Interrupt`];
//! tests pass an implementation that fails there (tests/atomic_write.rs).

use std::fs::{self, Permissions};
use std::io::{self, Write};
use std::path::Path;
use tempfile::NamedTempFile;

/// The points where a write can fail, for tests to inject a failure: an
/// error returned from a method aborts the write like an I/O error at that
/// point would. Both methods do nothing by default.
pub trait Interrupt {
    /// Called while a temporary file is being written, once the first half
    /// of its bytes (`written`) is in it.
    fn during_write(&mut self, temp: &Path, written: usize) -> io::Result<()> {
        let _ = (temp, written);
        Ok(())
    }

    /// Called when a temporary file is complete and flushed to disk, before
    /// it is renamed (for [`write_files`]: before any file is renamed).
    fn before_rename(&mut self, temp: &Path) -> io::Result<()> {
        let _ = temp;
        Ok(())
    }
}

/// No interruption: what every caller outside tests uses.
pub struct Uninterrupted;

impl Interrupt for Uninterrupted {}

/// Writes `bytes` to a new temporary file in `dir` named
/// `<prefix><random><suffix>`, flushes it to disk and returns it, ready to be
/// renamed with `persist`. `keep`: the permissions to give it (those of the
/// file it replaces); without them it gets the usual mode of a new file (the
/// umask applies). On an error the temporary file is removed.
pub fn stage(
    dir: &Path,
    prefix: &str,
    suffix: &str,
    bytes: &[u8],
    keep: Option<&Permissions>,
    interrupt: &mut dyn Interrupt,
) -> io::Result<NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix).suffix(suffix);
    #[cfg(unix)]
    if keep.is_none() {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    let half = bytes.len() / 2;
    tmp.write_all(&bytes[..half])?;
    interrupt.during_write(tmp.path(), half)?;
    tmp.write_all(&bytes[half..])?;
    tmp.flush()?;
    if let Some(p) = keep {
        fs::set_permissions(tmp.path(), p.clone())?;
    }
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// Writes each `(name, bytes)` into `dir` (created if missing), atomically
/// per file: all are staged as `.<name>.<random>.tmp` first, then renamed
/// into place in order. A file that already exists keeps its permission bits.
///
/// A failure while staging leaves the directory exactly as it was. A target
/// that is a directory is refused before anything is written. (Only a rename
/// failing after that — something else changing the directory meanwhile —
/// could leave the files renamed before it new and the rest old; the
/// temporary files are removed either way.)
pub fn write_files(dir: &Path, files: &[(&str, &[u8])]) -> io::Result<()> {
    write_files_with(dir, files, &mut Uninterrupted)
}

/// [`write_files`] with the points of `interrupt`.
pub fn write_files_with(dir: &Path, files: &[(&str, &[u8])], interrupt: &mut dyn Interrupt) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let mut staged = Vec::with_capacity(files.len());
    for &(name, bytes) in files {
        let target = dir.join(name);
        if fs::metadata(&target).is_ok_and(|m| m.is_dir()) {
            return Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                format!("`{}` is a directory", target.display()),
            ));
        }
        let keep = fs::metadata(&target)
            .ok()
            .filter(fs::Metadata::is_file)
            .map(|m| m.permissions());
        let tmp = stage(dir, &format!(".{name}."), ".tmp", bytes, keep.as_ref(), interrupt)?;
        interrupt.before_rename(tmp.path())?;
        staged.push((tmp, target));
    }
    for (tmp, target) in staged {
        tmp.persist(&target).map_err(|e| e.error)?;
    }
    Ok(())
}

//! Reading the file to edit and replacing it atomically (writer.md §7.1).
//!
//! The new content goes to a temporary file in the same directory, is
//! flushed to disk, gets the original's permission bits and is renamed over
//! the original. On any failure the temporary file is removed (it is a
//! `tempfile::NamedTempFile` until the rename) and the original is untouched.
//! [`commit_with`] takes a hook that runs between the flush and the rename,
//! so that tests can make that step fail.

use super::Refusal;
use crate::diag::{DiagId, Diagnostic};
use std::fs::{self, Metadata, Permissions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The file an edit reads and replaces.
#[derive(Clone, Debug)]
pub struct Target {
    /// The path as given (for messages).
    pub path: String,
    /// The file behind it: symbolic links followed, so the link stays and
    /// the file it points to is replaced.
    pub real: PathBuf,
    /// The content; `None` when the file does not exist.
    pub bytes: Option<Vec<u8>>,
    /// What the file looked like when read, to notice another writer.
    stamp: Option<Stamp>,
    permissions: Option<Permissions>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(meta: &Metadata) -> Stamp {
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }
}

/// WRT002: the file cannot be read, created or replaced.
pub(crate) fn wrt002(path: &str, attempted: &str, error: &str) -> Diagnostic {
    Diagnostic::new(
        DiagId::WRT002,
        format!("cannot {attempted} `{path}`: {error}; nothing was written"),
    )
    .fact("path", path)
    .fact("attempted", attempted)
    .fact("os_error", error)
}

/// WRT003: the file cannot be edited safely.
pub(crate) fn wrt003(path: &str, reason: &str, line: Option<u32>, message: String) -> Diagnostic {
    let mut d = Diagnostic::new(DiagId::WRT003, message)
        .fact("path", path)
        .fact("reason", reason);
    d.line = line;
    d
}

/// Follows symbolic links, also to a file that does not exist yet.
fn resolve(path: &Path) -> PathBuf {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => match fs::read_link(&current) {
                Ok(target) => {
                    current = match current.parent() {
                        Some(dir) if target.is_relative() => dir.join(target),
                        _ => target,
                    };
                }
                Err(_) => return current,
            },
            _ => return current,
        }
    }
    current
}

/// Reads the file to edit. A file that does not exist is not an error.
/// Files larger than `max_size` are refused (WRT003, reason `too-large`).
pub fn read_target(path: &str, max_size: u64) -> Result<Target, Refusal> {
    let real = resolve(Path::new(path));
    let meta = match fs::metadata(&real) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Target {
                path: path.to_owned(),
                real,
                bytes: None,
                stamp: None,
                permissions: None,
            });
        }
        Err(e) => return Err(wrt002(path, "read", &e.to_string()).into()),
    };
    if !meta.is_file() {
        return Err(wrt002(path, "read", "not a regular file").into());
    }
    if meta.len() > max_size {
        let message = format!(
            "`{path}` is {} bytes, more than the limit of {max_size} bytes; wslcfg does not edit it",
            meta.len()
        );
        return Err(wrt003(path, "too-large", None, message)
            .fact("size", meta.len())
            .fact("max_size", max_size)
            .help("raise the limit with `--max-size` if this file is really meant")
            .into());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    fs::File::open(&real)
        .and_then(|f| f.take(max_size + 1).read_to_end(&mut bytes))
        .map_err(|e| wrt002(path, "read", &e.to_string()))?;
    if bytes.len() as u64 > max_size {
        return Err(wrt002(path, "read", "the file grew while it was read").into());
    }
    Ok(Target {
        path: path.to_owned(),
        real,
        bytes: Some(bytes),
        stamp: Some(Stamp::of(&meta)),
        permissions: Some(meta.permissions()),
    })
}

/// The checks of §7.1 that need no write: the file is not read-only and can
/// be opened for writing, and its directory exists. `--dry-run` and
/// `--stdout` run these too.
pub fn preflight(target: &Target) -> Result<(), Refusal> {
    let path = &target.path;
    match &target.permissions {
        Some(p) if p.readonly() => return Err(wrt002(path, "replace", "the file is read-only").into()),
        Some(_) => {
            fs::OpenOptions::new()
                .write(true)
                .open(&target.real)
                .map_err(|e| wrt002(path, "replace", &e.to_string()))?;
        }
        None => {
            let dir = directory(&target.real);
            if !dir.is_dir() {
                return Err(wrt002(path, "create", "the directory does not exist").into());
            }
        }
    }
    Ok(())
}

fn directory(real: &Path) -> PathBuf {
    match real.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Replaces (or creates) the file atomically with `bytes`.
pub fn commit(target: &Target, bytes: &[u8]) -> Result<(), Refusal> {
    commit_with(target, bytes, &mut |_| Ok(()))
}

/// [`commit`] with a hook that runs after the temporary file is complete
/// and flushed, right before the rename; an error from it aborts the write
/// like any other failure.
pub fn commit_with(
    target: &Target,
    bytes: &[u8],
    before_rename: &mut dyn FnMut(&Path) -> io::Result<()>,
) -> Result<(), Refusal> {
    preflight(target)?;
    let path = &target.path;
    let attempted = if target.bytes.is_some() { "replace" } else { "create" };
    let fail = |e: io::Error| wrt002(path, attempted, &e.to_string());
    let dir = directory(&target.real);
    let name = target
        .real
        .file_name()
        .map_or_else(|| "wslconfig".into(), |n| n.to_string_lossy().into_owned());
    // Written, given the original's permissions (a new file gets the usual
    // ones, the umask applies) and flushed by the shared atomic writer.
    let tmp = crate::output::stage(
        &dir,
        &format!(".{name}."),
        ".wslcfg-tmp",
        bytes,
        target.permissions.as_ref(),
        &mut crate::output::Uninterrupted,
    )
    .map_err(fail)?;
    before_rename(tmp.path()).map_err(fail)?;
    // SHOULD (§7.1): another program wrote the file meanwhile — keep its version.
    let now = fs::metadata(&target.real).ok().map(|m| Stamp::of(&m));
    if now != target.stamp {
        return Err(wrt002(
            path,
            attempted,
            "the file changed while wslcfg was editing it (another program wrote it); its version is kept",
        )
        .into());
    }
    // The rename is atomic: after a crash the file is the old one or the
    // new one, never a mix. (The directory is not synced: that would make
    // the rename itself durable at the price of a second journal commit.)
    tmp.persist(&target.real).map_err(|e| fail(e.error))?;
    Ok(())
}

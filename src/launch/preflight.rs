//! Checks before anything starts: the programs exist and are executable, every file the plan names
//! is there and has the right shape. A failure here is exit 2 with nothing started.

use super::error::LaunchError;
use super::spec::{Notice, VmSpec};
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The image format of a SCSI attachment, from its content (QEMU's driver name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiskFormat {
    /// VHD (`conectix` footer; QEMU's `vpc` driver).
    Vpc,
    /// VHDX (`vhdxfile` signature).
    Vhdx,
}

impl DiskFormat {
    pub fn driver(self) -> &'static str {
        match self {
            DiskFormat::Vpc => "vpc",
            DiskFormat::Vhdx => "vhdx",
        }
    }
}

/// The format of a VHD or VHDX file: a VHDX starts with `vhdxfile`; a dynamic VHD starts with a
/// copy of its `conectix` footer; a fixed VHD has the footer in its last 512 bytes.
pub fn disk_format(path: &Path) -> std::io::Result<Option<DiskFormat>> {
    let mut file = std::fs::File::open(path)?;
    let mut head = [0u8; 8];
    let len = file.metadata()?.len();
    if len >= 8 {
        file.read_exact(&mut head)?;
        if &head == b"vhdxfile" {
            return Ok(Some(DiskFormat::Vhdx));
        }
        if &head == b"conectix" {
            return Ok(Some(DiskFormat::Vpc));
        }
    }
    if len >= 512 {
        file.seek(SeekFrom::Start(len - 512))?;
        file.read_exact(&mut head)?;
        if &head == b"conectix" {
            return Ok(Some(DiskFormat::Vpc));
        }
    }
    Ok(None)
}

fn is_executable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// `name` as given when it has a `/`, else the first executable of that name on `PATH`.
fn on_path(name: &Path) -> Option<PathBuf> {
    if name.components().count() > 1 || name.is_absolute() {
        return is_executable(name).then(|| name.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| is_executable(p))
}

/// The QEMU system emulator: `given` (`--qemu` / `WSLCFG_QEMU`) or `qemu-system-x86_64` on `PATH`.
pub fn qemu(given: Option<&Path>) -> Result<PathBuf, LaunchError> {
    match given {
        Some(p) => on_path(p).ok_or_else(|| {
            LaunchError::input(format!(
                "the QEMU binary `{}` does not exist or is not executable",
                p.display()
            ))
        }),
        None => on_path(Path::new("qemu-system-x86_64")).ok_or_else(|| {
            LaunchError::input("the QEMU binary `qemu-system-x86_64` is not on PATH")
                .with_help("install QEMU (Debian: apt-get install qemu-system-x86) or give --qemu PATH")
        }),
    }
}

/// Where distributions put virtiofsd, newest layout first.
const DEVICE_HOSTS: &[&str] = &["/usr/libexec/virtiofsd", "/usr/lib/qemu/virtiofsd"];

/// The device host (virtiofsd). An override (`--device-host` / `WSLCFG_DEVICE_HOST`) is checked
/// whenever it is given; the default is looked up only when the plan has virtiofs shares.
pub fn device_host(given: Option<&Path>, needed: bool) -> Result<Option<PathBuf>, LaunchError> {
    if let Some(p) = given {
        return match on_path(p) {
            Some(found) => Ok(Some(found)),
            None if p.exists() => Err(LaunchError::input(format!(
                "the device host `{}` is not executable",
                p.display()
            ))),
            None => Err(LaunchError::input(format!(
                "the device host `{}` does not exist",
                p.display()
            ))),
        };
    }
    if !needed {
        return Ok(None);
    }
    DEVICE_HOSTS
        .iter()
        .map(Path::new)
        .find(|p| is_executable(p))
        .map(Path::to_path_buf)
        .or_else(|| on_path(Path::new("virtiofsd")))
        .map(Some)
        .ok_or_else(|| {
            LaunchError::input("the plan has virtiofs shares, but no device host (virtiofsd) was found").with_help(
                format!(
                    "install virtiofsd ({}), or give --device-host PATH or WSLCFG_DEVICE_HOST",
                    DEVICE_HOSTS.join(", ")
                ),
            )
        })
}

fn readable_file(path: &Path, what: &str) -> Result<(), LaunchError> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => std::fs::File::open(path)
            .map(drop)
            .map_err(|e| LaunchError::input(format!("{what} `{}` cannot be read: {e}", path.display()))),
        Ok(_) => Err(LaunchError::input(format!("{what} `{}` is not a file", path.display()))),
        Err(_) => Err(LaunchError::input(format!(
            "{what} `{}` does not exist",
            path.display()
        ))),
    }
}

/// Checks every file of the spec. Missing disks are an error unless `allow_missing_disks`, which
/// drops them with a warning. Returns the format of every remaining disk, in order.
pub fn files(
    spec: &mut VmSpec,
    allow_missing_disks: bool,
    notices: &mut Vec<Notice>,
) -> Result<Vec<DiskFormat>, LaunchError> {
    readable_file(&spec.kernel, "the kernel")?;
    if let Some(initrd) = &spec.initrd {
        readable_file(initrd, "the initrd")?;
    }
    let mut formats = Vec::with_capacity(spec.disks.len());
    let mut kept = Vec::with_capacity(spec.disks.len());
    for disk in std::mem::take(&mut spec.disks) {
        let what = format!("the SCSI attachment {}:{}", disk.controller, disk.lun);
        if !disk.path.exists() && allow_missing_disks {
            notices.push(Notice::warning(format!(
                "{what} `{}` does not exist and is skipped (--allow-missing-disks)",
                disk.path.display()
            )));
            continue;
        }
        readable_file(&disk.path, &what).map_err(|e| {
            e.with_help("create it, fix the host profile's paths, or pass --allow-missing-disks to boot without it")
        })?;
        match disk_format(&disk.path) {
            Ok(Some(format)) => formats.push(format),
            Ok(None) => {
                return Err(LaunchError::input(format!(
                    "{what} `{}` is neither a VHD nor a VHDX file",
                    disk.path.display()
                )));
            }
            Err(e) => {
                return Err(LaunchError::input(format!(
                    "{what} `{}` cannot be read: {e}",
                    disk.path.display()
                )));
            }
        }
        if !disk.read_only {
            notices.push(Notice::note(format!("{what} is attached writable, as the plan says")));
        }
        kept.push(disk);
    }
    spec.disks = kept;
    for share in &spec.shares {
        if !share.path.is_dir() {
            return Err(LaunchError::input(format!(
                "the virtiofs share `{}` points at `{}`, which is not a directory",
                share.tag,
                share.path.display()
            )));
        }
    }
    Ok(formats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disk_formats_come_from_the_content() {
        let dir = tempfile::tempdir().unwrap();
        let fixed = dir.path().join("fixed.vhd");
        let mut bytes = vec![0u8; 4096];
        bytes[4096 - 512..4096 - 504].copy_from_slice(b"conectix");
        std::fs::write(&fixed, &bytes).unwrap();
        assert_eq!(disk_format(&fixed).unwrap(), Some(DiskFormat::Vpc));
        let vhdx = dir.path().join("a.vhdx");
        std::fs::write(&vhdx, b"vhdxfile and more").unwrap();
        assert_eq!(disk_format(&vhdx).unwrap(), Some(DiskFormat::Vhdx));
        let raw = dir.path().join("raw.img");
        std::fs::write(&raw, vec![0u8; 1024]).unwrap();
        assert_eq!(disk_format(&raw).unwrap(), None);
    }
}

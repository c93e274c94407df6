//! Atomic output writing (`wslcfg::output`, used by `wslcfg compile -o` and by
//! `set`/`unset`): a write interrupted between the temporary file and the
//! rename, or in the middle of writing the temporary file, leaves the
//! previous outputs byte for byte as they were and no temporary file in the
//! directory.

mod common;

use common::entries;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use wslcfg::output::{self, Interrupt};

const NAMES: [&str; 4] = ["plan.json", "hcs.json", "cmdline.txt", "devices.json"];

fn sorted_names() -> Vec<String> {
    let mut names: Vec<String> = NAMES.iter().map(|n| n.to_string()).collect();
    names.sort();
    names
}

/// Four outputs whose content depends on `generation`, of different sizes
/// (one empty, one larger than a page) so that "half written" means something.
fn outputs(generation: u8) -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("plan.json", format!("{{\"generation\":{generation}}}\n").into_bytes()),
        ("hcs.json", vec![b'a' + generation; 10_000]),
        ("cmdline.txt", Vec::new()),
        ("devices.json", format!("[{generation}]\n").repeat(100).into_bytes()),
    ]
}

fn write(dir: &Path, files: &[(&'static str, Vec<u8>)], interrupt: &mut dyn Interrupt) -> io::Result<()> {
    let borrowed: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    output::write_files_with(dir, &borrowed, interrupt)
}

fn read_all(dir: &Path) -> Vec<(String, Vec<u8>)> {
    entries(dir)
        .into_iter()
        .map(|n| {
            let bytes = fs::read(dir.join(&n)).unwrap();
            (n, bytes)
        })
        .collect()
}

/// Where to fail: the method, and the how-many-th file it is called for.
#[derive(Clone, Copy, Debug)]
enum Point {
    DuringWrite,
    BeforeRename,
}

/// Fails at `point` for file number `at` (0-based), recording what it saw.
struct FailAt {
    point: Point,
    at: usize,
    calls: usize,
    /// The temporary file the failure happened in, and its bytes then.
    seen: Option<(PathBuf, Vec<u8>)>,
}

impl FailAt {
    fn new(point: Point, at: usize) -> FailAt {
        FailAt {
            point,
            at,
            calls: 0,
            seen: None,
        }
    }

    fn hit(&mut self, temp: &Path) -> io::Result<()> {
        self.calls += 1;
        if self.calls - 1 == self.at {
            self.seen = Some((temp.to_path_buf(), fs::read(temp)?));
            return Err(io::Error::other(format!("simulated failure {:?}", self.point)));
        }
        Ok(())
    }
}

impl Interrupt for FailAt {
    fn during_write(&mut self, temp: &Path, _written: usize) -> io::Result<()> {
        match self.point {
            Point::DuringWrite => self.hit(temp),
            Point::BeforeRename => Ok(()),
        }
    }

    fn before_rename(&mut self, temp: &Path) -> io::Result<()> {
        match self.point {
            Point::BeforeRename => self.hit(temp),
            Point::DuringWrite => Ok(()),
        }
    }
}

#[test]
fn writes_exactly_the_files_and_replaces_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    write(&dir, &outputs(1), &mut output::Uninterrupted).unwrap();
    assert_eq!(
        entries(&dir),
        sorted_names(),
        "the directory was created, nothing else in it"
    );
    for (name, bytes) in outputs(1) {
        assert_eq!(fs::read(dir.join(name)).unwrap(), bytes, "{name}");
    }
    output::write_files(&dir, &[("plan.json", b"second\n".as_slice())]).unwrap();
    assert_eq!(fs::read(dir.join("plan.json")).unwrap(), b"second\n");
    assert_eq!(entries(&dir), sorted_names());
}

#[test]
fn interrupted_between_write_and_rename_keeps_the_previous_outputs() {
    for at in 0..NAMES.len() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        write(dir, &outputs(1), &mut output::Uninterrupted).unwrap();
        let before = read_all(dir);

        let new = outputs(2);
        let mut fail = FailAt::new(Point::BeforeRename, at);
        let err = write(dir, &new, &mut fail).unwrap_err();
        assert!(err.to_string().contains("simulated failure"), "{err}");

        // At the failure point the temporary file was complete, in the same
        // directory, next to the old output it was to replace.
        let (temp, bytes) = fail.seen.expect("the failure point was reached");
        assert_eq!(
            temp.parent(),
            Some(dir),
            "the temporary file is in the output directory"
        );
        assert_eq!(bytes, new[at].1, "the temporary file of {} was complete", new[at].0);

        assert_eq!(
            read_all(dir),
            before,
            "failure at file {at}: the previous outputs are intact"
        );
        assert!(!temp.exists(), "the temporary file was removed");
        assert_eq!(entries(dir), sorted_names(), "no temporary file is left");
    }
}

#[test]
fn interrupted_while_writing_keeps_the_previous_outputs() {
    for at in 0..NAMES.len() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        write(dir, &outputs(1), &mut output::Uninterrupted).unwrap();
        let before = read_all(dir);

        let new = outputs(2);
        let mut fail = FailAt::new(Point::DuringWrite, at);
        let err = write(dir, &new, &mut fail).unwrap_err();
        assert!(err.to_string().contains("simulated failure"), "{err}");

        // The failure came with the temporary file half written.
        let (temp, bytes) = fail.seen.expect("the failure point was reached");
        let full = &new[at].1;
        assert_eq!(bytes, full[..full.len() / 2], "{} was half written", new[at].0);

        assert_eq!(
            read_all(dir),
            before,
            "failure at file {at}: the previous outputs are intact"
        );
        assert!(!temp.exists(), "the temporary file was removed");
        assert_eq!(entries(dir), sorted_names(), "no temporary file is left");
    }
}

#[test]
fn interrupted_first_write_leaves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let mut fail = FailAt::new(Point::BeforeRename, 3);
    write(&dir, &outputs(1), &mut fail).unwrap_err();
    assert!(
        entries(&dir).is_empty(),
        "no output and no temporary file: {:?}",
        entries(&dir)
    );
}

#[test]
fn a_directory_in_the_way_is_refused_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, &outputs(1), &mut output::Uninterrupted).unwrap();
    fs::remove_file(dir.join("devices.json")).unwrap();
    fs::create_dir(dir.join("devices.json")).unwrap();
    let before: Vec<_> = ["cmdline.txt", "hcs.json", "plan.json"]
        .iter()
        .map(|n| fs::read(dir.join(n)).unwrap())
        .collect();
    let err = write(dir, &outputs(2), &mut output::Uninterrupted).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::IsADirectory);
    let after: Vec<_> = ["cmdline.txt", "hcs.json", "plan.json"]
        .iter()
        .map(|n| fs::read(dir.join(n)).unwrap())
        .collect();
    assert_eq!(after, before);
    assert_eq!(entries(dir), sorted_names());
}

#[cfg(unix)]
#[test]
fn permissions_of_a_replaced_output_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, &outputs(1), &mut output::Uninterrupted).unwrap();
    fs::set_permissions(dir.join("plan.json"), fs::Permissions::from_mode(0o640)).unwrap();
    write(dir, &outputs(2), &mut output::Uninterrupted).unwrap();
    let mode = fs::metadata(dir.join("plan.json")).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    // A new output gets the mode of any new file (0666 less the umask), not
    // the private 0600 of a temporary file.
    let umask = fs::read_to_string("/proc/self/status").ok().and_then(|s| {
        let line = s.lines().find(|l| l.starts_with("Umask:"))?;
        u32::from_str_radix(line.split_whitespace().nth(1)?, 8).ok()
    });
    if let Some(umask) = umask {
        let fresh = fs::metadata(dir.join("hcs.json")).unwrap().permissions().mode() & 0o777;
        assert_eq!(fresh, 0o666 & !umask);
    }
}

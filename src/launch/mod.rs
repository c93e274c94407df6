//! The launcher: boots a VM from a sealed plan (`wslcfg-launch`, QEMU backend).
//!
//! **Boundary.** This module reads the plan through [`crate::plan`] only, never the parser, the
//! passes, the emitters or the host profile: the plan alone must be enough to start the VM
//! (`tests/launch_boundary.rs` greps for it). Layers, each usable on its own:
//!
//! 1. [`load`]: read the file and [`Plan::verify`] it (format version, unknown fields, digest).
//! 2. [`spec::from_plan`]: what the plan asks for, backend-neutral (pure).
//! 3. [`preflight`]: programs and files exist, disks are VHD/VHDX.
//! 4. [`qemu::command_lines`]: the argument vectors (pure).
//! 5. `supervise`: start, watch, stop; no orphans, no leftovers.
//!
//! Steps 1–3 failing is exit 2 with nothing started.

pub mod error;
pub mod preflight;
pub mod qemu;
pub mod quote;
pub mod spec;
mod supervise;
mod sys;

pub use error::{EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_TIMEOUT, LaunchError};
pub use supervise::Console;

use crate::plan::Plan;
use qemu::{Accel, HostSetup};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The accelerator choice of the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccelChoice {
    /// KVM when `/dev/kvm` works and the guest proves alive within the bound, else TCG.
    Auto,
    Kvm,
    Tcg,
}

/// Everything `wslcfg-launch` was asked to do.
#[derive(Clone, Debug)]
pub struct Options {
    pub plan: PathBuf,
    pub accel: AccelChoice,
    pub dry_run: bool,
    pub console: Console,
    /// `--device-host` or `WSLCFG_DEVICE_HOST`.
    pub device_host: Option<PathBuf>,
    /// `--qemu` or `WSLCFG_QEMU`.
    pub qemu: Option<PathBuf>,
    pub timeout: Option<Duration>,
    /// How long a KVM guest has to write its first console byte.
    pub alive_timeout: Duration,
    /// `WINDOWS_PREFIX=DIR` rules.
    pub map_paths: Vec<String>,
    pub port_dir: Option<PathBuf>,
    pub allow_missing_disks: bool,
    pub timings: bool,
    /// When the process started (for `--timings`).
    pub started: Instant,
}

impl Options {
    /// The defaults of the command line for `plan`.
    pub fn new(plan: impl Into<PathBuf>) -> Options {
        Options {
            plan: plan.into(),
            accel: AccelChoice::Auto,
            dry_run: false,
            console: Console::Stdout,
            device_host: None,
            qemu: None,
            timeout: None,
            alive_timeout: Duration::from_secs(5),
            map_paths: Vec::new(),
            port_dir: None,
            allow_missing_disks: false,
            timings: false,
            started: Instant::now(),
        }
    }
}

/// Reads and verifies a plan file.
pub fn load(path: &Path) -> Result<Plan, LaunchError> {
    let bytes = std::fs::read(path)
        .map_err(|e| LaunchError::input(format!("cannot read the plan `{}`: {e}", path.display())))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        LaunchError::input(format!(
            "`{}` is not a valid plan: it is not UTF-8 text",
            path.display()
        ))
    })?;
    Plan::verify(&text).map_err(|e| LaunchError::input(format!("`{}`: {e}", path.display())))
}

/// What a run prepared before starting anything: the attempts and the setup.
pub struct Prepared {
    pub attempts: Vec<(Accel, qemu::Launch)>,
    pub notices: Vec<spec::Notice>,
    pub run_dir: PathBuf,
}

/// Steps 1–4: everything short of starting a process. Errors are exit 2.
pub fn prepare(o: &Options) -> Result<Prepared, LaunchError> {
    let plan = load(&o.plan)?;
    let paths = spec::PathMap::parse(&o.map_paths)?;
    let (mut vm, mut notices) = spec::from_plan(&plan, &paths)?;
    let qemu = preflight::qemu(o.qemu.as_deref())?;
    let device_host = preflight::device_host(o.device_host.as_deref(), !vm.shares.is_empty())?;
    let disk_formats = preflight::files(&mut vm, o.allow_missing_disks, &mut notices)?;
    if let Some(dir) = &o.port_dir
        && !dir.is_dir()
    {
        return Err(LaunchError::input(format!(
            "--port-dir `{}` is not a directory",
            dir.display()
        )));
    }
    let accels = match o.accel {
        AccelChoice::Tcg => vec![Accel::Tcg],
        AccelChoice::Kvm if sys::kvm_usable() => vec![Accel::Kvm],
        AccelChoice::Kvm => {
            return Err(
                LaunchError::input("--accel kvm: /dev/kvm is missing or does not answer the KVM API")
                    .with_help("use --accel tcg or --accel auto"),
            );
        }
        AccelChoice::Auto if sys::kvm_usable() => vec![Accel::Kvm, Accel::Tcg],
        AccelChoice::Auto => {
            notices.push(spec::Notice::note(
                "/dev/kvm is not usable; the VM runs under TCG (software emulation)",
            ));
            vec![Accel::Tcg]
        }
    };
    let vsock_cid = if vm.hv_socket {
        if sys::vhost_vsock_usable() {
            // Guest CIDs are host-wide; the launcher's pid is unique among running launchers.
            Some(sys::pid().max(3))
        } else {
            notices.push(spec::Notice::note(
                "HvSocket: /dev/vhost-vsock is not available, so the VM gets no vsock device",
            ));
            None
        }
    } else {
        None
    };
    let run_dir = std::env::temp_dir().join(format!("wslcfg-launch.{}", sys::pid()));
    let setup = HostSetup {
        qemu,
        device_host,
        run_dir: run_dir.clone(),
        vsock_cid,
        port_dir: o.port_dir.clone(),
        disk_formats,
    };
    let attempts = accels
        .into_iter()
        .map(|a| (a, qemu::command_lines(&vm, &setup, a)))
        .collect();
    Ok(Prepared {
        attempts,
        notices,
        run_dir,
    })
}

/// The `--dry-run` text: every argument vector, one shell-quoted line each, device hosts first.
pub fn dry_run_text(p: &Prepared, alive_timeout: Duration) -> String {
    let mut out = String::new();
    for (i, (_, launch)) in p.attempts.iter().enumerate() {
        if i > 0 {
            out.push_str(&format!(
                "# if the {} guest writes nothing to its console within {:.1} s, everything is stopped and started again with:\n",
                p.attempts[i - 1].0.name().to_ascii_uppercase(),
                alive_timeout.as_secs_f64()
            ));
        }
        for dh in &launch.device_hosts {
            out.push_str(&quote::line(&dh.argv));
            out.push('\n');
        }
        out.push_str(&quote::line(&launch.vm.argv));
        out.push('\n');
    }
    out
}

/// The whole launcher: prepare, then print (`--dry-run`) or run. Returns the exit code: the VM's
/// (QEMU's) exit status, 124 on timeout, 128+N on signal N; errors carry 2 (nothing started) or 1.
pub fn run(o: &Options) -> Result<u8, LaunchError> {
    let prepared = prepare(o)?;
    let prepared_at = o.started.elapsed();
    for n in &prepared.notices {
        eprintln!("{n}");
    }
    if o.dry_run {
        print!("{}", dry_run_text(&prepared, o.alive_timeout));
        return Ok(0);
    }
    supervise::run(supervise::Supervision {
        attempts: prepared.attempts,
        run_dir: &prepared.run_dir,
        console: &o.console,
        timeout: o.timeout,
        alive_timeout: o.alive_timeout,
        started: o.started,
        prepared: prepared_at,
        timings: o.timings,
    })
}

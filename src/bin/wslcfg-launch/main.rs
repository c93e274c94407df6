//! `wslcfg-launch`: boots a VM from a plan written by `wslcfg compile` (QEMU backend). A thin front
//! end over `wslcfg::launch`, which reads the plan through `wslcfg::plan` only.

use clap::{Parser, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};
use wslcfg::launch::{self, AccelChoice, Console, Options};

/// Boot a VM from a plan written by `wslcfg compile` (QEMU backend).
///
/// The plan is verified first (format version, schema, digest); any problem with it or with the
/// files it names is exit 2 with nothing started. The exit code is then the VM's (QEMU's): 0 when
/// the guest powered off, 124 when --timeout expired, 128+N after signal N.
#[derive(Parser, Debug)]
#[command(name = "wslcfg-launch", version)]
struct Args {
    /// The plan: `plan.json` written by `wslcfg compile -o DIR`
    plan: PathBuf,

    /// The virtualisation backend
    #[arg(long, value_enum, default_value_t = Backend::Qemu)]
    backend: Backend,

    /// The accelerator: `auto` uses KVM when /dev/kvm works and the guest writes to its console
    /// within --alive-timeout, else TCG (with a warning)
    #[arg(long, value_enum, default_value_t = Accel::Auto)]
    accel: Accel,

    /// Print the argument vector of every process it would start (one shell-quoted line each)
    /// and exit
    #[arg(long)]
    dry_run: bool,

    /// Where the guest's console (ttyS0 and hvc0) goes: a file, or `-` for standard output
    #[arg(long, value_name = "FILE|-", default_value = "-")]
    console: String,

    /// The device host (virtiofsd) to run for each virtiofs share [env: WSLCFG_DEVICE_HOST]
    #[arg(long, value_name = "PATH")]
    device_host: Option<PathBuf>,

    /// The QEMU system emulator [env: WSLCFG_QEMU] [default: qemu-system-x86_64 on PATH]
    #[arg(long, value_name = "PATH")]
    qemu: Option<PathBuf>,

    /// Stop the VM and its device hosts after this many seconds (exit 124)
    #[arg(long, value_name = "SECONDS", value_parser = seconds)]
    timeout: Option<Duration>,

    /// How long a KVM guest has to write its first console byte before it counts as dead
    #[arg(long, value_name = "SECONDS", value_parser = seconds, default_value = "5")]
    alive_timeout: Duration,

    /// Map a Windows path prefix of the plan onto a host directory, e.g. `C:\=/srv/c` (repeatable)
    #[arg(long = "map-path", value_name = "WINDOWS_PREFIX=DIR")]
    map_path: Vec<String>,

    /// Write the other serial ports (ttyS1, hvc1, …) to DIR/<name>.log instead of discarding them
    #[arg(long, value_name = "DIR")]
    port_dir: Option<PathBuf>,

    /// Boot without SCSI attachments whose file does not exist (warning) instead of refusing
    #[arg(long)]
    allow_missing_disks: bool,

    /// Print where the launcher's own time goes (read, verify, spawn) to standard error
    #[arg(long)]
    timings: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Backend {
    /// qemu-system-x86_64 (Linux hosts)
    Qemu,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Accel {
    Auto,
    Kvm,
    Tcg,
}

fn seconds(text: &str) -> Result<Duration, String> {
    let s: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if s.is_finite() && s > 0.0 && s < 1e9 {
        Ok(Duration::from_secs_f64(s))
    } else {
        Err(format!("`{text}`: expected a positive number of seconds"))
    }
}

fn from_env(flag: Option<PathBuf>, var: &str) -> Option<PathBuf> {
    flag.or_else(|| std::env::var_os(var).filter(|v| !v.is_empty()).map(PathBuf::from))
}

fn main() -> ExitCode {
    let started = Instant::now();
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { launch::EXIT_BAD_INPUT } else { 0 });
        }
    };
    let Backend::Qemu = args.backend;
    let options = Options {
        plan: args.plan,
        accel: match args.accel {
            Accel::Auto => AccelChoice::Auto,
            Accel::Kvm => AccelChoice::Kvm,
            Accel::Tcg => AccelChoice::Tcg,
        },
        dry_run: args.dry_run,
        console: if args.console == "-" {
            Console::Stdout
        } else {
            Console::File(PathBuf::from(args.console))
        },
        device_host: from_env(args.device_host, "WSLCFG_DEVICE_HOST"),
        qemu: from_env(args.qemu, "WSLCFG_QEMU"),
        timeout: args.timeout,
        alive_timeout: args.alive_timeout,
        map_paths: args.map_path,
        port_dir: args.port_dir,
        allow_missing_disks: args.allow_missing_disks,
        timings: args.timings,
        started,
    };
    match launch::run(&options) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit)
        }
    }
}

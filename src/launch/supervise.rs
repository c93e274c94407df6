//! Process lifecycle: start the device hosts and wait for their sockets, start QEMU, copy its
//! console to `--console`, prove a KVM guest alive, wait, and stop everything on exit, timeout or
//! signal. Every child runs in its own process group (so a terminal's Ctrl-C reaches only the
//! launcher, which stops the VM first and then the device hosts) and dies with the launcher
//! (`PR_SET_PDEATHSIG`), so no child outlives it; the run directory and its sockets are removed.

use super::error::{EXIT_TIMEOUT, LaunchError};
use super::qemu::{Accel, Launch, Process};
use super::sys;
use std::io::{Read, Write};
use std::os::unix::fs::DirBuilderExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Where the guest console goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Console {
    Stdout,
    File(PathBuf),
}

/// How long a device host may take to create its socket.
const DEVICE_HOST_READY: Duration = Duration::from_secs(10);
/// How long a process gets between SIGTERM and SIGKILL.
const GRACE: Duration = Duration::from_secs(3);
const POLL: Duration = Duration::from_millis(5);

/// Everything one supervised run needs.
pub struct Supervision<'a> {
    /// One launch per attempt: KVM then TCG for `--accel auto`, else one.
    pub attempts: Vec<(Accel, Launch)>,
    pub run_dir: &'a Path,
    pub console: &'a Console,
    pub timeout: Option<Duration>,
    pub alive_timeout: Duration,
    /// When the launcher started (for `--timings`).
    pub started: Instant,
    /// Read + verify + checks, measured by the caller (for `--timings`).
    pub prepared: Duration,
    pub timings: bool,
}

struct Supervised {
    name: String,
    child: Child,
}

/// The processes of one attempt. Dropping it stops them: the VM first, then the device hosts.
#[derive(Default)]
struct Running {
    vm: Option<Supervised>,
    device_hosts: Vec<Supervised>,
}

impl Running {
    fn stop(&mut self) {
        if let Some(vm) = self.vm.as_mut() {
            terminate(vm);
        }
        for dh in self.device_hosts.iter_mut().rev() {
            terminate(dh);
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop();
    }
}

/// SIGTERM to the child's process group, SIGKILL after the grace period, then reaped. Idempotent.
fn terminate(p: &mut Supervised) {
    let pgid = p.child.id();
    if matches!(p.child.try_wait(), Ok(None)) {
        sys::kill_group(pgid, sys::SIGTERM);
        let deadline = Instant::now() + GRACE;
        while matches!(p.child.try_wait(), Ok(None)) && Instant::now() < deadline {
            std::thread::sleep(POLL);
        }
    }
    // Whatever the leader left in its group (a forked sandbox helper) goes too.
    sys::kill_group(pgid, sys::SIGKILL);
    let _ = p.child.wait();
}

fn spawn(p: &Process, stdout: Stdio) -> Result<Supervised, LaunchError> {
    let mut cmd = Command::new(&p.argv[0]);
    cmd.args(&p.argv[1..])
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::inherit())
        .process_group(0);
    // SAFETY: the closure only calls prctl(2), which is async-signal-safe.
    unsafe {
        cmd.pre_exec(sys::die_with_parent);
    }
    let child = cmd
        .spawn()
        .map_err(|e| LaunchError::runtime(format!("cannot start `{}`: {e}", p.argv[0])))?;
    Ok(Supervised {
        name: p.argv[0].clone(),
        child,
    })
}

/// How one attempt ended.
enum End {
    Exited(ExitStatus),
    Signal(i32),
    Timeout,
    NoSignOfLife,
}

type Sink = Arc<Mutex<Box<dyn Write + Send>>>;

/// Copies QEMU's standard output (the guest console) to the sink and notes the first byte.
fn forward(mut from: impl Read + Send + 'static, sink: Sink, first: Arc<OnceLock<Instant>>) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buf = [0u8; 16384];
        let mut broken = false;
        loop {
            match from.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    let _ = first.set(Instant::now());
                    if !broken {
                        let mut out = sink.lock().unwrap_or_else(|e| e.into_inner());
                        // A closed console (a pipe whose reader left) must not stall the guest: keep draining.
                        broken = out.write_all(&buf[..n]).and_then(|()| out.flush()).is_err();
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
    })
}

fn exit_code(status: ExitStatus) -> u8 {
    match (status.code(), status.signal()) {
        (Some(code), _) => u8::try_from(code).unwrap_or(1),
        (None, Some(sig)) => 128u8.saturating_add(u8::try_from(sig).unwrap_or(127)),
        _ => 1,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A directory only this run uses, for the device hosts' sockets.
fn make_run_dir(dir: &Path) -> Result<(), LaunchError> {
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(dir)
        .map_err(|e| LaunchError::input(format!("cannot create the run directory `{}`: {e}", dir.display())))
}

/// Removes the run directory when dropped.
struct RunDir<'a>(Option<&'a Path>);

impl Drop for RunDir<'_> {
    fn drop(&mut self) {
        if let Some(dir) = self.0 {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Runs the attempts until one ends for good; returns the launcher's exit code.
pub fn run(s: Supervision<'_>) -> Result<u8, LaunchError> {
    let sink: Sink = Arc::new(Mutex::new(match s.console {
        Console::Stdout => Box::new(std::io::stdout()),
        Console::File(path) => Box::new(
            std::fs::File::create(path)
                .map_err(|e| LaunchError::input(format!("cannot create the console file `{}`: {e}", path.display())))?,
        ),
    }));
    let needs_dir = s.attempts.iter().any(|(_, l)| !l.device_hosts.is_empty());
    if needs_dir {
        make_run_dir(s.run_dir)?;
    }
    let _run_dir = RunDir(needs_dir.then_some(s.run_dir));
    sys::catch_termination_signals();
    let deadline = s.timeout.map(|t| Instant::now() + t);
    let timed_out = || deadline.is_some_and(|d| Instant::now() >= d);

    let count = s.attempts.len();
    for (n, (accel, launch)) in s.attempts.iter().enumerate() {
        let last = n + 1 == count;
        let mut running = Running::default();
        let attempt_start = Instant::now();
        let mut waited = Duration::ZERO;

        for p in &launch.device_hosts {
            if let Some(socket) = &p.ready_socket {
                // A socket left by the previous attempt's device host would look ready at once.
                let _ = std::fs::remove_file(socket);
            }
            running.device_hosts.push(spawn(p, Stdio::null())?);
            let Some(socket) = &p.ready_socket else { continue };
            let dh = running.device_hosts.last_mut().expect("just pushed");
            let wait_start = Instant::now();
            loop {
                if socket.exists() {
                    break;
                }
                if let Some(sig) = sys::received_signal() {
                    drop(running);
                    return Ok(interrupted(sig));
                }
                if timed_out() {
                    drop(running);
                    return Ok(timeout_expired(s.timeout));
                }
                if let Ok(Some(status)) = dh.child.try_wait() {
                    return Err(LaunchError::runtime(format!(
                        "the device host `{}` exited ({status}) before it created its socket `{}`",
                        dh.name,
                        socket.display()
                    )));
                }
                if wait_start.elapsed() > DEVICE_HOST_READY {
                    return Err(LaunchError::runtime(format!(
                        "the device host `{}` did not create its socket `{}` within {} s",
                        dh.name,
                        socket.display(),
                        DEVICE_HOST_READY.as_secs()
                    )));
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            waited += wait_start.elapsed();
        }

        let mut vm = spawn(&launch.vm, Stdio::piped())?;
        let spawned = Instant::now();
        if s.timings && n == 0 {
            let spawn = spawned - attempt_start - waited;
            eprintln!(
                "timing: read+verify+checks {:.2} ms, spawn {:.2} ms ({} device host(s), {:.1} ms waiting for their sockets), launcher overhead {:.2} ms",
                ms(s.prepared),
                ms(spawn),
                launch.device_hosts.len(),
                ms(waited),
                ms(spawned - s.started - waited)
            );
        }
        let first = Arc::new(OnceLock::new());
        let stdout = vm.child.stdout.take().expect("piped");
        let forwarder = forward(stdout, sink.clone(), first.clone());
        running.vm = Some(vm);

        let probe = *accel == Accel::Kvm;
        let end = loop {
            if let Some(sig) = sys::received_signal() {
                break End::Signal(sig);
            }
            let vm = running.vm.as_mut().expect("started");
            if let Ok(Some(status)) = vm.child.try_wait() {
                break End::Exited(status);
            }
            if timed_out() {
                break End::Timeout;
            }
            if probe && first.get().is_none() && spawned.elapsed() >= s.alive_timeout {
                break End::NoSignOfLife;
            }
            std::thread::sleep(POLL);
        };
        running.stop();
        let _ = forwarder.join();
        drop(running);
        if s.timings {
            if let Some(t) = first.get() {
                eprintln!(
                    "timing: first console byte {:.1} ms after the VM was spawned",
                    ms(*t - spawned)
                );
            }
            eprintln!(
                "timing: the {} attempt ended after {:.2} s",
                accel.name(),
                spawned.elapsed().as_secs_f64()
            );
        }

        let alive = first.get().is_some();
        match end {
            End::Exited(status) if probe && !alive && !status.success() && !last => {
                eprintln!(
                    "warning: QEMU with KVM failed ({status}) before the guest wrote anything; falling back to TCG"
                );
            }
            End::Exited(status) => return Ok(exit_code(status)),
            End::NoSignOfLife if !last => eprintln!(
                "warning: the KVM guest showed no sign of life (no console output within {:.1} s); stopped it, \
                 falling back to TCG",
                s.alive_timeout.as_secs_f64()
            ),
            End::NoSignOfLife => {
                return Err(LaunchError::runtime(format!(
                    "the KVM guest showed no sign of life (no console output within {:.1} s); it was stopped",
                    s.alive_timeout.as_secs_f64()
                ))
                .with_help("try --accel tcg, or a longer --alive-timeout"));
            }
            End::Timeout => return Ok(timeout_expired(s.timeout)),
            End::Signal(sig) => return Ok(interrupted(sig)),
        }
    }
    unreachable!("the last attempt always returns")
}

fn timeout_expired(timeout: Option<Duration>) -> u8 {
    eprintln!(
        "error: the --timeout of {:.1} s expired; the VM and its device hosts were stopped",
        timeout.unwrap_or_default().as_secs_f64()
    );
    EXIT_TIMEOUT
}

fn interrupted(sig: i32) -> u8 {
    eprintln!("wslcfg-launch: stopped by signal {sig}; the VM and its device hosts were stopped");
    128u8.saturating_add(u8::try_from(sig).unwrap_or(0))
}

//! The few Linux calls the launcher needs that `std` does not offer: signals to process groups,
//! signal handlers that only set a flag, the parent-death signal, and the KVM API probe. Declared
//! here against the C library `std` already links, so the launcher needs no extra crate.

use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicI32, Ordering};

pub const SIGHUP: i32 = 1;
pub const SIGINT: i32 = 2;
pub const SIGKILL: i32 = 9;
pub const SIGTERM: i32 = 15;
const PR_SET_PDEATHSIG: i32 = 1;
const KVM_GET_API_VERSION: u64 = 0xAE00;
const KVM_API_VERSION: i32 = 12;

unsafe extern "C" {
    fn kill(pid: i32, sig: i32) -> i32;
    fn signal(signum: i32, handler: usize) -> usize;
    fn prctl(option: i32, ...) -> i32;
    fn ioctl(fd: i32, request: u64, ...) -> i32;
    fn getpid() -> i32;
}

/// The last termination signal received (0: none).
static RECEIVED: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_signal(sig: i32) {
    // Only an atomic store: async-signal-safe.
    RECEIVED.store(sig, Ordering::SeqCst);
}

/// Routes SIGINT, SIGTERM and SIGHUP to a flag the supervisor polls, so that the launcher can stop
/// the VM and its device hosts before it exits.
pub fn catch_termination_signals() {
    let handler = on_signal as extern "C" fn(i32) as usize;
    for sig in [SIGINT, SIGTERM, SIGHUP] {
        // SAFETY: installs a handler that only performs an atomic store.
        unsafe {
            signal(sig, handler);
        }
    }
}

/// The termination signal received since [`catch_termination_signals`], if any.
pub fn received_signal() -> Option<i32> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// Sends `sig` to every process of the process group `pgid`. Errors (the group is gone) are ignored.
pub fn kill_group(pgid: u32, sig: i32) {
    if let Ok(pgid) = i32::try_from(pgid)
        && pgid > 1
    {
        // SAFETY: kill(2) with a negative pid signals a process group; no memory is involved.
        unsafe {
            kill(-pgid, sig);
        }
    }
}

/// For use between fork and exec (`CommandExt::pre_exec`): the child gets SIGKILL when the
/// launcher dies, even by SIGKILL, so it cannot outlive it. Async-signal-safe.
pub fn die_with_parent() -> std::io::Result<()> {
    // SAFETY: prctl(PR_SET_PDEATHSIG, SIGKILL) only changes a property of the calling process.
    let rc = unsafe { prctl(PR_SET_PDEATHSIG, SIGKILL as std::ffi::c_ulong) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// The launcher's process id.
pub fn pid() -> u32 {
    // SAFETY: getpid(2) cannot fail.
    unsafe { getpid() as u32 }
}

/// Whether `/dev/kvm` can be opened for reading and writing and answers the KVM API version call
/// with the stable version (12). It says nothing about whether a guest will actually run.
pub fn kvm_usable() -> bool {
    let Ok(file) = std::fs::OpenOptions::new().read(true).write(true).open("/dev/kvm") else {
        return false;
    };
    // SAFETY: KVM_GET_API_VERSION takes no argument and only returns an integer.
    let version = unsafe { ioctl(file.as_raw_fd(), KVM_GET_API_VERSION, 0u64) };
    version == KVM_API_VERSION
}

/// Whether `/dev/vhost-vsock` exists and can be opened (the vhost-vsock device needs it).
pub fn vhost_vsock_usable() -> bool {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/vhost-vsock")
        .is_ok()
}

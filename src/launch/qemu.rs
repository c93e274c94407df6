//! The QEMU backend's mapping: a [`VmSpec`] becomes the argument vectors of one device host
//! (virtiofsd) per share and of `qemu-system-x86_64`. Pure: the caller resolved the programs, the
//! run directory and the disk formats.
//!
//! | Plan | QEMU |
//! |---|---|
//! | `Memory.SizeInMB` | `-m <n>M` (a shared memfd backend when there are virtiofs shares) |
//! | `Processor.Count` | `-smp <n>` |
//! | `LinuxKernelDirect` | `-kernel`, `-initrd`, `-append` (verbatim) |
//! | `StopOnReset` | `-no-reboot` |
//! | `UseUtc` | `-rtc base=utc` |
//! | COM port 0, virtio serial port `hvc0` | the console (`-chardev stdio,mux=on`, read by the launcher) |
//! | other COM / virtio serial ports | `--port-dir DIR/<name>.log`, else discarded (`null`) |
//! | `Scsi` attachments | `virtio-scsi-pci` + `scsi-hd` on a read-only `vpc`/`vhdx` block node |
//! | `HvSocket` | `vhost-vsock-pci` when `/dev/vhost-vsock` works |
//! | networking None / Nat / VirtioProxy, Consomme | none / `-netdev user` + `virtio-net-pci` |
//! | virtiofs records | `virtiofsd --socket-path=… -o source=…` + `vhost-user-fs-pci,tag=…` |

use super::preflight::DiskFormat;
use super::spec::{Network, SerialPort, VmSpec};
use serde_json::json;
use std::path::{Path, PathBuf};

/// Which accelerator a QEMU command line uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accel {
    Kvm,
    Tcg,
}

impl Accel {
    pub fn name(self) -> &'static str {
        match self {
            Accel::Kvm => "kvm",
            Accel::Tcg => "tcg",
        }
    }
}

/// What the mapping needs to know about the host.
#[derive(Clone, Debug)]
pub struct HostSetup {
    pub qemu: PathBuf,
    pub device_host: Option<PathBuf>,
    /// Holds the device hosts' sockets; created by the supervisor, removed at the end.
    pub run_dir: PathBuf,
    /// The guest CID of a vhost-vsock device, when the plan has `HvSocket` and the host has vhost-vsock.
    pub vsock_cid: Option<u32>,
    /// Where ports other than the console write (`--port-dir`).
    pub port_dir: Option<PathBuf>,
    /// The format of every disk of the spec, in order.
    pub disk_formats: Vec<DiskFormat>,
}

/// One process to start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Process {
    /// `argv[0]` is the program.
    pub argv: Vec<String>,
    /// A device host is ready when this socket exists.
    pub ready_socket: Option<PathBuf>,
}

/// Every process of one attempt, in start order: device hosts first, then the VM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Launch {
    pub device_hosts: Vec<Process>,
    pub vm: Process,
}

/// QEMU's option syntax: a `,` inside a value is written `,,`.
fn opt(value: &str) -> String {
    value.replace(',', ",,")
}

fn path_str(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// The chardev id the console multiplexer uses.
const CONSOLE: &str = "console";

/// A chardev for a port that is not the console: a file in `--port-dir`, or nothing.
fn port_chardev(args: &mut Vec<String>, id: &str, name: &str, host: &HostSetup) {
    args.push("-chardev".into());
    match &host.port_dir {
        Some(dir) => args.push(format!(
            "file,id={id},path={}",
            opt(&path_str(&dir.join(format!("{name}.log"))))
        )),
        None => args.push(format!("null,id={id}")),
    }
}

/// Whether a virtio serial port is the guest's console port (hvc0).
fn is_console_port(p: &SerialPort) -> bool {
    p.console && p.name == "hvc0"
}

fn push(args: &mut Vec<String>, flag: &str, value: String) {
    args.push(flag.to_owned());
    args.push(value);
}

/// The argument vectors for one attempt with `accel`.
pub fn command_lines(spec: &VmSpec, host: &HostSetup, accel: Accel) -> Launch {
    let mut device_hosts = Vec::new();
    let mut a: Vec<String> = vec![path_str(&host.qemu)];
    push(&mut a, "-name", "wslcfg".into());
    a.extend(["-nodefaults", "-no-user-config"].map(String::from));
    push(&mut a, "-display", "none".into());
    let shared_memory = !spec.shares.is_empty();
    push(
        &mut a,
        "-machine",
        if shared_memory {
            "q35,memory-backend=mem".into()
        } else {
            "q35".into()
        },
    );
    push(&mut a, "-accel", accel.name().into());
    push(&mut a, "-m", format!("{}M", spec.memory_mb));
    if shared_memory {
        // vhost-user devices need guest memory the device host can map.
        push(
            &mut a,
            "-object",
            format!("memory-backend-memfd,id=mem,size={}M,share=on", spec.memory_mb),
        );
    }
    push(&mut a, "-smp", spec.processors.to_string());
    push(&mut a, "-rtc", "base=utc".into());
    if spec.stop_on_reset {
        a.push("-no-reboot".into());
    }
    push(&mut a, "-kernel", path_str(&spec.kernel));
    if let Some(initrd) = &spec.initrd {
        push(&mut a, "-initrd", path_str(initrd));
    }
    push(&mut a, "-append", spec.cmdline.clone());

    // The console: ttyS0 and hvc0 write to one multiplexed chardev on QEMU's standard output,
    // which the launcher copies to --console (and watches for the first byte).
    push(&mut a, "-chardev", format!("stdio,id={CONSOLE},mux=on,signal=off"));
    push(&mut a, "-serial", format!("chardev:{CONSOLE}"));
    let top_com = spec.com_ports.iter().map(|p| p.index).max().unwrap_or(0);
    for index in 1..=top_com {
        let id = format!("com{index}");
        match spec.com_ports.iter().find(|p| p.index == index) {
            Some(p) => port_chardev(&mut a, &id, &p.name, host),
            None => {
                a.push("-chardev".into());
                a.push(format!("null,id={id}"));
            }
        }
        push(&mut a, "-serial", format!("chardev:{id}"));
    }

    if !spec.virtio_ports.is_empty() {
        push(&mut a, "-device", "virtio-serial-pci,id=vser0".into());
        for p in &spec.virtio_ports {
            let chardev = if is_console_port(p) {
                CONSOLE.to_owned()
            } else {
                let id = format!("vport{}", p.index);
                port_chardev(&mut a, &id, &p.name, host);
                id
            };
            let device = if p.console { "virtconsole" } else { "virtserialport" };
            push(
                &mut a,
                "-device",
                format!(
                    "{device},bus=vser0.0,nr={},name={},chardev={chardev}",
                    p.index,
                    opt(&p.name)
                ),
            );
        }
    }

    let mut controllers: Vec<u32> = spec.disks.iter().map(|d| d.controller).collect();
    controllers.dedup();
    for c in &controllers {
        push(&mut a, "-device", format!("virtio-scsi-pci,id=scsi{c}"));
    }
    for (disk, format) in spec.disks.iter().zip(&host.disk_formats) {
        let node = format!("disk{}-{}", disk.controller, disk.lun);
        let blockdev = json!({
            "driver": format.driver(),
            "node-name": node,
            "read-only": disk.read_only,
            "file": { "driver": "file", "filename": path_str(&disk.path), "read-only": disk.read_only },
        });
        push(&mut a, "-blockdev", blockdev.to_string());
        push(
            &mut a,
            "-device",
            format!(
                "scsi-hd,bus=scsi{}.0,channel=0,scsi-id=0,lun={},drive={node}",
                disk.controller, disk.lun
            ),
        );
    }

    if let Network::User(nics) = &spec.network {
        for (i, nic) in nics.iter().enumerate() {
            let mut netdev = format!("user,id=net{i}");
            if let Some((net, gateway, first)) = &nic.addressing {
                netdev.push_str(&format!(",net={net},host={gateway},dhcpstart={first}"));
            }
            push(&mut a, "-netdev", netdev);
            let mut device = format!("virtio-net-pci,netdev=net{i}");
            if let Some(mac) = &nic.mac {
                device.push_str(&format!(",mac={}", opt(mac)));
            }
            push(&mut a, "-device", device);
        }
    }

    if let Some(cid) = host.vsock_cid {
        push(&mut a, "-device", format!("vhost-vsock-pci,guest-cid={cid}"));
    }

    for (i, share) in spec.shares.iter().enumerate() {
        let socket = host.run_dir.join(format!("fs{i}.sock"));
        let program = host
            .device_host
            .as_deref()
            .map_or_else(|| "virtiofsd".to_owned(), path_str);
        device_hosts.push(Process {
            argv: vec![
                program,
                format!("--socket-path={}", path_str(&socket)),
                "-o".into(),
                format!("source={}", path_str(&share.path)),
            ],
            ready_socket: Some(socket.clone()),
        });
        push(
            &mut a,
            "-chardev",
            format!("socket,id=fs{i},path={}", opt(&path_str(&socket))),
        );
        let mut device = format!("vhost-user-fs-pci,chardev=fs{i},tag={}", opt(&share.tag));
        if let Some(q) = share.queues {
            device.push_str(&format!(",num-request-queues={q}"));
        }
        push(&mut a, "-device", device);
    }

    Launch {
        device_hosts,
        vm: Process {
            argv: a,
            ready_socket: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::spec::{Disk, Share, UserNic};
    use super::*;

    fn spec() -> VmSpec {
        VmSpec {
            memory_mb: 512,
            processors: 2,
            kernel: "/k/vmlinuz".into(),
            initrd: Some("/k/initrd.img".into()),
            cmdline: r"initrd=\initrd.img panic=-1 console=hvc0".into(),
            stop_on_reset: true,
            com_ports: vec![SerialPort {
                index: 1,
                name: "ttyS1".into(),
                console: false,
            }],
            virtio_ports: vec![
                SerialPort {
                    index: 0,
                    name: "hvc0".into(),
                    console: true,
                },
                SerialPort {
                    index: 1,
                    name: "hvc1".into(),
                    console: true,
                },
            ],
            disks: vec![Disk {
                controller: 0,
                lun: 0,
                path: "/d/system,1.vhd".into(),
                read_only: true,
            }],
            hv_socket: true,
            network: Network::User(vec![UserNic {
                name: "eth0".into(),
                ..UserNic::default()
            }]),
            shares: vec![Share {
                tag: "drvfs".into(),
                path: "/share".into(),
                queues: Some(1),
            }],
        }
    }

    fn host() -> HostSetup {
        HostSetup {
            qemu: "/usr/bin/qemu-system-x86_64".into(),
            device_host: Some("/usr/lib/qemu/virtiofsd".into()),
            run_dir: "/run/x".into(),
            vsock_cid: None,
            port_dir: None,
            disk_formats: vec![DiskFormat::Vpc],
        }
    }

    fn after<'a>(argv: &'a [String], flag: &str) -> Vec<&'a str> {
        argv.windows(2)
            .filter(|w| w[0] == flag)
            .map(|w| w[1].as_str())
            .collect()
    }

    #[test]
    fn maps_every_part_of_the_spec() {
        let l = command_lines(&spec(), &host(), Accel::Tcg);
        let a = &l.vm.argv;
        assert_eq!(after(a, "-m"), ["512M"]);
        assert_eq!(after(a, "-smp"), ["2"]);
        assert_eq!(after(a, "-accel"), ["tcg"]);
        assert_eq!(after(a, "-append"), [r"initrd=\initrd.img panic=-1 console=hvc0"]);
        assert_eq!(after(a, "-machine"), ["q35,memory-backend=mem"]);
        assert!(a.contains(&"-no-reboot".to_owned()));
        assert_eq!(after(a, "-serial"), ["chardev:console", "chardev:com1"]);
        let devices = after(a, "-device");
        assert!(devices.contains(&"virtconsole,bus=vser0.0,nr=0,name=hvc0,chardev=console"));
        assert!(devices.contains(&"virtconsole,bus=vser0.0,nr=1,name=hvc1,chardev=vport1"));
        assert!(devices.contains(&"scsi-hd,bus=scsi0.0,channel=0,scsi-id=0,lun=0,drive=disk0-0"));
        assert!(devices.contains(&"vhost-user-fs-pci,chardev=fs0,tag=drvfs,num-request-queues=1"));
        assert!(devices.contains(&"virtio-net-pci,netdev=net0"));
        let blockdev: serde_json::Value = serde_json::from_str(after(a, "-blockdev")[0]).unwrap();
        assert_eq!(blockdev["file"]["filename"], "/d/system,1.vhd");
        assert_eq!(blockdev["driver"], "vpc");
        assert_eq!(
            l.device_hosts[0].argv,
            [
                "/usr/lib/qemu/virtiofsd",
                "--socket-path=/run/x/fs0.sock",
                "-o",
                "source=/share"
            ]
        );
        assert!(after(a, "-chardev").contains(&"socket,id=fs0,path=/run/x/fs0.sock"));
    }

    #[test]
    fn no_network_and_no_shares() {
        let mut s = spec();
        s.network = Network::None;
        s.shares.clear();
        let l = command_lines(&s, &host(), Accel::Kvm);
        assert!(l.device_hosts.is_empty());
        assert!(after(&l.vm.argv, "-netdev").is_empty());
        assert_eq!(after(&l.vm.argv, "-machine"), ["q35"]);
        assert!(after(&l.vm.argv, "-object").is_empty());
        assert_eq!(after(&l.vm.argv, "-accel"), ["kvm"]);
    }
}

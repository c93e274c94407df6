//! The diagnostic ids: one stable id per kind of finding, with its severity,
//! whether WSL itself reports it, and the explanation that `docs/diagnostics.md`
//! is generated from.

use serde::Serialize;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Processing stops; nothing is produced.
    Error,
    /// WSL goes on, but the file does not do what it says.
    Warning,
    /// A suggestion; never fails a lint run by itself.
    Advice,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Advice => "advice",
        }
    }
}

/// Static facts about one diagnostic id.
#[derive(Debug)]
pub struct DiagInfo {
    pub id: DiagId,
    pub severity: Severity,
    /// Whether WSL itself reports this finding (false: a wslcfg-only check).
    pub upstream: bool,
    /// A short name, kebab-case.
    pub name: &'static str,
    /// What triggers it and what happens next.
    pub explanation: &'static str,
}

macro_rules! diagnostics {
    ($( $id:ident $sev:ident $up:literal $name:literal $doc:literal; )*) => {
        /// A diagnostic id (spec/diagnostics.md, plus wslcfg's own `LNT` family).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
        pub enum DiagId { $($id),* }

        /// Every diagnostic id, in documentation order.
        pub const ALL: &[DiagInfo] = &[
            $( DiagInfo { id: DiagId::$id, severity: Severity::$sev, upstream: $up, name: $name, explanation: $doc }, )*
        ];

        impl DiagId {
            pub fn as_str(self) -> &'static str {
                match self { $( DiagId::$id => stringify!($id), )* }
            }
        }
    };
}

diagnostics! {
    FIL001 Warning true "file-unreadable"
        "The configuration file exists but could not be opened or read. WSL then runs with every default, as if the file were empty.";
    SYN001 Warning true "invalid-section-name"
        "A `[` is not immediately followed by an ASCII letter (`[ wsl2]`, `[2wsl]`, `[]`). The line is skipped and the active section stays what it was.";
    SYN002 Warning true "section-expected-bracket"
        "A section name (a letter followed by letters and digits) is not immediately followed by `]` (`[wsl 2]`, `[ws-l]`, `[wsl2`). The line is skipped. The failed name still overwrites WSL's section buffer, which can garble the names of the keys that follow (quirk Q1).";
    SYN003 Warning true "section-expected-line-end"
        "Something other than spaces, a `#` comment or the end of the line follows a section header's `]` (`[wsl2]]`, `[wsl2] x`). The line is skipped (and quirk Q1 applies as for SYN002).";
    SYN004 Warning true "invalid-line-start"
        "A line starts (after spaces and tabs) with something that is neither a letter, `[`, `#` nor a line end: a digit, `;`, `.`, `=`, `\"`, a non-ASCII character or another kind of whitespace. The line is skipped. `;` is not a comment character in .wslconfig.";
    SYN005 Warning true "expected-equals"
        "A key name (letters and digits only) is not followed by `=` after optional spaces: `kernel_path=x`, `kernel.path=x`, `processors` alone. The line is skipped.";
    SYN006 Warning true "invalid-escape"
        "A backslash in a value is followed by something other than `\\`, `\"`, `b`, `n`, `t` or a line break. The whole line is dropped. Windows paths must double their backslashes: `C:\\\\wsl\\\\kernel`, or use forward slashes.";
    SYN007 Warning true "unterminated-quote"
        "A value ends (line break or end of file) while a `\"` is still open. The whole line is dropped.";
    KEY001 Warning true "unknown-key"
        "The full name `section.key` matches no setting of .wslconfig (compared ignoring ASCII case). The line is ignored. wslcfg suggests the nearest setting, the right section, or explains when the key belongs in `/etc/wsl.conf` or was removed from WSL.";
    KEY002 Warning true "duplicate-key"
        "A setting (or one of its aliases) appears again. WSL keeps the first occurrence, even when its value was invalid, and ignores this one.";
    VAL001 Warning true "invalid-boolean"
        "A boolean setting has a value other than `true`, `false` (any letter case), `1` or `0`. The setting keeps its default.";
    VAL002 Warning true "invalid-integer"
        "An integer setting has a value that is not a complete C integer (decimal, `0x` hexadecimal or `0` octal, optional sign). The setting keeps its default.";
    VAL003 Warning true "invalid-memory-size"
        "A memory size is not a decimal number followed by nothing or one of the case-sensitive suffixes `B`, `K`, `KB`, `M`, `MB`, `G`, `GB`, `T`, `TB`. The setting keeps its default. In the upstream dialect this also covers `experimental.swiotlb`.";
    VAL004 Warning true "invalid-enum"
        "An enumerated setting has a value that is none of its names (compared ignoring ASCII case). The setting keeps its default and counts as not given.";
    VAL005 Error true "invalid-mac-address"
        "`wsl2.macAddress` is not a 17-character MAC address such as `00:15:5D:01:02:03`. WSL refuses to load the configuration: no VM starts, and nothing after this line is read.";
    VAL006 Warning true "invalid-ipv4-address"
        "`experimental.dnsTunnelingIpAddress` is not a dotted IPv4 address. The address stays unset and DNS tunneling is switched off at this point of the file.";
    VAL007 Warning true "invalid-port"
        "One comma-separated piece of `experimental.ignoredPorts` has no number or is outside 1–65535. Reported once per bad piece with the whole value; the good pieces are kept.";
    VAL008 Warning true "invalid-swiotlb-range"
        "In the seed dialect `experimental.swiotlb` must look like `0x<hex base>,<decimal size>K` or `...M`. The value is ignored and the computed default applies.";
    PAS001 Warning true "processors-clamped"
        "`wsl2.processors` asks for more processors than the host has; the VM gets the host's count.";
    PAS002 Warning true "overridden-by-policy"
        "A machine policy denies a setting the configuration makes (custom kernel, kernel modules, system distro, kernel command line, kernel debug port, nested virtualization, networking mode or disabling the firewall); the setting is reset.";
    PAS003 Warning true "dns-tunneling-disabled-gsa"
        "DNS tunneling was asked for but the Global Secure Access tunneling service runs on the host; DNS tunneling is switched off.";
    PAS004 Warning true "safe-mode"
        "`wsl2.safeMode` is on: many features are forced off (see the safe-mode pass).";
    PAS005 Warning true "virtio-proxy-requires-virtio"
        "The networking mode VirtioProxy/Consomme needs virtio, which is off; WSL falls back to NAT (or None when the policy default is that mode).";
    PAS006 Warning true "virtio9p-disabled"
        "`wsl2.virtio9p` is deprecated and always switched off.";
    VMC001 Warning true "nested-virtualization-unsupported"
        "Nested virtualization was requested but the host does not support it.";
    VMC002 Error true "custom-kernel-not-found"
        "The custom kernel file does not exist; no VM starts.";
    VMC003 Error true "custom-modules-not-found"
        "The custom kernel modules VHD does not exist; no VM starts.";
    VMC004 Error true "modules-without-custom-kernel"
        "Custom kernel modules were given while the bundled kernel is used; no VM starts.";
    VMC005 Error true "custom-system-distro-invalid"
        "The custom system distro is missing or is neither a `.vhd` nor an `.img` file; no VM starts.";
    RUN001 Warning true "swiotlb-unsupported-kernel"
        "swiotlb was requested but the running kernel does not support it; no device gets a swiotlb token.";
    RUN002 Warning true "firewall-unsupported"
        "The Hyper-V firewall is not supported in Nat or Mirrored mode on this host; it is switched off (reported only when the firewall key was given).";
    RUN003 Warning true "mirrored-unsupported"
        "Mirrored networking cannot be used (IPv6 disabled on the host, a kernel older than 5.10 or without seccomp, or a Windows build without the needed features); WSL falls back to NAT.";
    RUN004 Warning true "localhost-forwarding-mirrored"
        "`wsl2.localhostForwarding` has no effect in Mirrored networking mode.";
    RUN005 Warning true "dns-tunneling-unsupported"
        "The host lacks the DNS tunneling APIs; DNS tunneling is switched off (reported only when the key was given).";
    RUN006 Warning true "networking-fallback"
        "Networking could not be set up in the requested mode; WSL falls back to another mode (Consomme after a NAT failure, None after any other failure).";
    RUN007 Warning true "swap-vhd-failed"
        "The swap VHD could not be created; the VM runs without swap.";
    CMP001 Error false "control-character-in-command-line"
        "`wsl2.kernelCommandLine` contains a control character (CR, LF, NUL or another C0 character, often from `\\n` or `\\t` in the file). It would corrupt the guest kernel command line, so nothing is compiled.";
    CMP002 Error false "unsafe-device-option"
        "A value that ends up in a virtio device option string contains `;`, `=` or a control character, which would change the meaning of the string. Nothing is compiled.";
    CMP003 Error false "invalid-swiotlb-range"
        "A seed-form `experimental.swiotlb` range has size 0, or its base plus size does not fit in 64 bits. WSL's seed accepts it without checks; wslcfg refuses to compile it.";
    CMP004 Advice false "wslc-ignores-configuration"
        "`--target wslc` compiles a container session, which never reads .wslconfig; the file given is ignored.";
    WRT001 Error false "unwritable-character"
        "`wslcfg set` was given a value with a character outside printable ASCII (a control character or a letter beyond ASCII), which WSL could not read back as typed; nothing is written.";
    WRT002 Error false "write-failed"
        "`wslcfg set` or `unset` could not read, create or replace the file (permissions, a read-only file, a missing directory, a full disk, or another program changing the file meanwhile); the file is left as it was.";
    WRT003 Error false "unsafe-edit"
        "`wslcfg set` or `unset` refuses to edit a file it cannot change safely: a lone carriage return, a damaged UTF-16 file, a file above the size limit, a line to append after a dangling backslash, or a result that would not read back as asked; nothing is written.";
    CMP005 Error false "mmio-gap-overflow"
        "The custom `.img` system distro is so large that the high MMIO gap it needs (its size rounded up to a power of two) does not fit below 64 GiB; WSL's arithmetic would wrap around. Nothing is compiled.";
    LNT001 Warning false "malformed-encoding"
        "A byte sequence is not valid in the file's encoding (UTF-8, or UTF-16LE after an FF FE byte order mark). It was read as U+FFFD. WSL's reader does the same, so any key or value containing it will not be what was typed.";
    LNT002 Advice false "unknown-section"
        "A section header names a section that .wslconfig does not have: a misspelling of `wsl2`, `experimental` or `general`, or a section of `/etc/wsl.conf` (which lives inside the Linux distribution, not in Windows). WSL says nothing about the header itself; each key below it gets KEY001.";
    LNT003 Warning false "memory-size-without-unit"
        "A memory size has no unit and is so small that it surely was not meant as a number of bytes (`swap=50` is 50 bytes). Write the unit: `50GB`.";
    LNT004 Warning false "timeout-in-seconds"
        "A timeout that WSL reads in milliseconds has a value that looks like seconds (`vmIdleTimeout=180` is 0.18 s).";
    LNT005 Warning false "escape-changed-path"
        "A path or command line contains a tab, line feed or backspace produced by a single backslash (`C:\\temp\\new` reads as `C:`, TAB, `emp`, LF, `ew`). WSL accepts it silently. Double the backslashes.";
    LNT006 Warning false "non-ascii-value"
        "A value contains characters outside ASCII or a NUL. WSL keeps only the low 8 bits of each UTF-16 unit and stops at a NUL, so the value it uses differs from the text (quirks Q3 and Q4).";
    LNT007 Error false "file-too-large"
        "The file is larger than the size limit (`--max-size`, 16 MiB by default) and was not read.";
    LNT009 Advice false "file-assumed-present"
        "The configuration names a file (kernel, modules, system distro, swap file) that the host profile says nothing about; wslcfg assumes it exists. Say `files.exists(PATH)=false` in the profile to check the other case.";
    LNT010 Advice false "memory-near-host-total"
        "`wsl2.memory` gives the VM more than about 85 % of the host's physical memory, which leaves Windows little room.";
    LNT011 Advice false "all-processors"
        "`wsl2.processors` hands every logical processor of the host to the VM.";
    LNT012 Advice false "swap-file-missing-folder"
        "`wsl2.swapFile` names a file the host profile says does not exist; WSL creates the swap VHD at run time, but only if its folder exists.";
    LNT013 Advice false "unsupported-on-this-windows"
        "A setting asks for something the host's Windows build does not support (e.g. nested virtualization or Mirrored networking on Windows 10); WSL drops it when the VM starts.";
    LNT014 Advice false "changed-by-pass"
        "A value the file sets explicitly is changed by a pass without any warning from WSL (safe mode, the virtio switch, DNS tunneling or Mirrored-only rules).";
}

impl DiagId {
    pub fn info(self) -> &'static DiagInfo {
        ALL.iter().find(|i| i.id == self).expect("every id is in ALL")
    }

    pub fn severity(self) -> Severity {
        self.info().severity
    }

    pub fn upstream(self) -> bool {
        self.info().upstream
    }
}

impl std::fmt::Display for DiagId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

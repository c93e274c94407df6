//! Inputs shared by every benchmark (`parse`, `lsp`, `ini_compare`,
//! `bounds`): the typical file (`typical.wslconfig` beside this module) and
//! the deterministic synthetic generator, with a variant without invalid
//! lines, and the pathological shapes of issue 6.

#![allow(dead_code)]

/// A realistic `.wslconfig` of about 1 KB (binds with no diagnostic).
pub const TYPICAL: &str = include_str!("typical.wslconfig");

/// The typical file as a function, for the benches that take one.
pub fn typical() -> &'static str {
    TYPICAL
}

/// `cargo bench` passes `--bench`; `cargo test --all-targets` runs each
/// benchmark once without it, where the large inputs are cut 64-fold so that
/// the test run stays short in the debug profile.
pub fn megabytes(mb: usize) -> usize {
    let full = std::env::args().any(|a| a == "--bench");
    if full { mb << 20 } else { mb << 14 }
}

/// Parse + bind, the front end's unit of work; returns a count so the work is not optimised away.
pub fn parse_bind(bytes: Vec<u8>) -> usize {
    let p = wslcfg::syntax::parse(bytes);
    let b = wslcfg::bind::bind(&p, wslcfg::registry::Dialect::Seed);
    b.diagnostics.len() + p.tree.lines().len()
}

/// Deterministic pseudo-random numbers (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Which lines the synthetic generator writes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lines {
    /// About one invalid line in ten (SYN, KEY001, VAL); past the first screen
    /// almost every key is a duplicate (KEY002), as in any big file made of a
    /// small key table.
    Mixed,
    /// The same file with every invalid line replaced by a comment line of
    /// similar length and no comment after a section header, so that it is
    /// valid for wslcfg (no SYN record) and for general INI parsers (rust-ini
    /// refuses a comment after `]`).
    Valid,
}

/// A synthetic file of at least `size` bytes: sections of `[wsl2]` and
/// `[experimental]` keys (and a few unknown sections), comments, blank lines,
/// quoted values, continuations and CRLF line ends.
pub fn synthetic(size: usize, lines: Lines) -> Vec<u8> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = String::with_capacity(size + 256);
    let mut n = 0u64;
    while out.len() < size {
        n += 1;
        // A section header, then 4 to 19 lines for it.
        let section = match rng.below(16) {
            0 => 2,
            1..=5 => 1,
            _ => 0,
        };
        match section {
            0 => out.push_str("[wsl2]\n"),
            1 if lines == Lines::Valid => out.push_str("[experimental]\n"),
            1 => out.push_str("[experimental]  # new features\n"),
            _ => out.push_str(&format!("[section{n}]\n")),
        }
        for _ in 0..4 + rng.below(16) {
            n += 1;
            let k = rng.below(20);
            let line = match k {
                0 | 1 => format!("# comment number {n}: memory = 4GB, processors = 2\n"),
                2 => "\n".to_owned(),
                // About one line in ten is invalid.
                3 if rng.below(2) == 0 => {
                    let invalid = rng.below(8);
                    if lines == Lines::Valid {
                        format!("# was invalid line {invalid}\n")
                    } else {
                        match invalid {
                            0 => "; a semicolon is not a comment\n".to_owned(),
                            1 => "[bad section\n".to_owned(),
                            2 => "swap_file = C:\\temp\\swap.vhdx\n".to_owned(),
                            3 => "kernel = C:\\Users\\me\\vmlinux\n".to_owned(),
                            4 => "kernelCommandLine = \"unterminated\n".to_owned(),
                            5 => "memroy=4GB\n".to_owned(),
                            6 => "memory=lots\n".to_owned(),
                            _ => format!("networkingMode=bridged{}\n", n % 3),
                        }
                    }
                }
                _ if section == 1 => match k % 6 {
                    0 => "autoMemoryReclaim=gradual\n".to_owned(),
                    1 => "sparseVhd=true\n".to_owned(),
                    2 => format!(
                        "ignoredPorts={},{},\\\n  {}\n",
                        n % 65536,
                        (n * 7) % 65536,
                        (n * 13) % 65536
                    ),
                    3 => "hostAddressLoopback=false\r\n".to_owned(),
                    4 => "bestEffortDnsParsing = true   # comment\n".to_owned(),
                    _ => format!("initialAutoProxyTimeout={}\n", 1000 + n % 5000),
                },
                _ => match k % 12 {
                    0 => format!("memory={}GB\n", 1 + n % 64),
                    1 => format!("processors = {}   # cores\n", 1 + n % 16),
                    2 => format!("swap={}MB\n", 512 * (1 + n % 8)),
                    3 => format!("kernelCommandLine = \"quiet loglevel={} # kept\" # comment\n", n % 8),
                    4 => format!(
                        "kernelCommandLine = console=ttyS0 \\\n    root=/dev/sda{} \\\n    rw\n",
                        n % 4
                    ),
                    5 => "localhostForwarding=true\n".to_owned(),
                    6 => "networkingMode=mirrored\r\n".to_owned(),
                    7 => format!("swapFile=\"C:\\\\Users\\\\user{n}\\\\swap.vhdx\"\n"),
                    8 => "  guiApplications = false\t\n".to_owned(),
                    9 => format!("vmIdleTimeout={}\n", 1000 * (n % 120)),
                    10 => "dnsTunneling=true\n".to_owned(),
                    _ => format!("defaultVhdSize={}GB\n", 256 + n % 1024),
                },
            };
            out.push_str(&line);
        }
    }
    out.into_bytes()
}

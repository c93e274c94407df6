//! Front-end benchmarks: parse + bind of a typical file (and, for comparison,
//! parsing it through the pest grammar), of a 10 MB synthetic file, the same
//! generator at 1/2/4/8 MB (linear scaling), and `lint_bytes` over the whole
//! corpus. Results are recorded in docs/performance.md.
//!
//! `cargo bench --no-default-features --bench parse` runs in about three
//! minutes on the project's 2-core machine.

use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;
use wslcfg::bind::bind;
use wslcfg::lint::{LintOptions, lint_bytes};
use wslcfg::registry::Dialect;
use wslcfg::syntax::{parse, parse_pest};

/// A realistic `.wslconfig` of about 1 KB.
const TYPICAL: &str = r#"# Settings apply across all Linux distros running on WSL 2
# https://learn.microsoft.com/windows/wsl/wsl-config

[wsl2]
# Limits VM memory to use no more than 8 GB; this can be set as whole numbers
# using GB or MB
memory=8GB
# Sets the VM to use four virtual processors
processors=4
# Sets amount of swap storage space to 4GB, default is 25% of available RAM
swap=4GB
swapFile=C:\\temp\\wsl-swap.vhdx
# Additional kernel parameters, quoted so that the # is kept
kernelCommandLine = "cgroup_no_v1=all sysctl.vm.swappiness=10 # keep" # comment
# Bind WSL 2 localhost to Windows localhost (ignored in mirrored mode)
localhostForwarding=true
# Mirror the Windows network interfaces into Linux
networkingMode=mirrored
dnsTunneling=true
firewall=true
autoProxy=false
nestedVirtualization=true
vmIdleTimeout=60000
guiApplications=false

[experimental]
# Release cached memory back to Windows gradually
autoMemoryReclaim=gradual
sparseVhd=true
hostAddressLoopback=true
ignoredPorts=3000,3001,\
8080,8443
bestEffortDnsParsing=true
"#;

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

/// A synthetic file of at least `size` bytes: sections of `[wsl2]` and
/// `[experimental]` keys (and a few unknown sections), comments, blank lines,
/// quoted values, continuations, CRLF line ends, and about one invalid line in
/// ten (SYN, KEY001, VAL). Past the first screen almost every key is a
/// duplicate (KEY002), as in any big file made of a small key table.
fn synthetic(size: usize) -> Vec<u8> {
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
                3 if rng.below(2) == 0 => match rng.below(8) {
                    0 => "; a semicolon is not a comment\n".to_owned(),
                    1 => "[bad section\n".to_owned(),
                    2 => "swap_file = C:\\temp\\swap.vhdx\n".to_owned(),
                    3 => "kernel = C:\\Users\\me\\vmlinux\n".to_owned(),
                    4 => "kernelCommandLine = \"unterminated\n".to_owned(),
                    5 => "memroy=4GB\n".to_owned(),
                    6 => "memory=lots\n".to_owned(),
                    _ => format!("networkingMode=bridged{}\n", n % 3),
                },
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

/// `cargo bench` passes `--bench`; `cargo test --all-targets` runs each
/// benchmark once without it, where the large inputs are cut 64-fold so that
/// the test run stays short in the debug profile.
fn megabytes(mb: usize) -> usize {
    let full = std::env::args().any(|a| a == "--bench");
    if full { mb << 20 } else { mb << 14 }
}

fn parse_bind(bytes: Vec<u8>) -> usize {
    let p = parse(bytes);
    let b = bind(&p, Dialect::Seed);
    b.diagnostics.len() + p.tree.lines().len()
}

fn typical(c: &mut Criterion) {
    let lf = TYPICAL.as_bytes().to_vec();
    let crlf = TYPICAL.replace('\n', "\r\n").into_bytes();
    let mut g = c.benchmark_group("typical");
    g.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for (name, input) in [("lf", &lf), ("crlf", &crlf)] {
        g.throughput(Throughput::Bytes(input.len() as u64));
        g.bench_with_input(BenchmarkId::new("parse_bind", name), input, |b, input| {
            b.iter_batched(
                || input.clone(),
                |bytes| black_box(parse_bind(bytes)),
                BatchSize::SmallInput,
            )
        });
    }
    g.throughput(Throughput::Bytes(lf.len() as u64));
    g.bench_function("parse_only/lf", |b| {
        b.iter_batched(
            || lf.clone(),
            |bytes| black_box(parse(bytes).tree.lines().len()),
            BatchSize::SmallInput,
        )
    });
    // The same through the pest grammar (the specification; not the runtime path).
    g.bench_function("parse_pest/lf", |b| {
        b.iter_batched(
            || lf.clone(),
            |bytes| black_box(parse_pest(bytes).tree.lines().len()),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

fn large(c: &mut Criterion) {
    let input = synthetic(megabytes(10));
    let mut g = c.benchmark_group("large_10mb");
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10))
        .throughput(Throughput::Bytes(input.len() as u64));
    g.bench_function("parse_bind", |b| {
        b.iter_batched(
            || input.clone(),
            |bytes| black_box(parse_bind(bytes)),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("parse_only", |b| {
        b.iter_batched(
            || input.clone(),
            |bytes| black_box(parse(bytes).tree.lines().len()),
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

fn scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("scaling");
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(6));
    for mb in [1usize, 2, 4, 8] {
        let input = synthetic(megabytes(mb));
        g.throughput(Throughput::Bytes(input.len() as u64));
        g.bench_with_input(BenchmarkId::new("parse_bind", format!("{mb}MB")), &input, |b, input| {
            b.iter_batched(
                || input.clone(),
                |bytes| black_box(parse_bind(bytes)),
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

fn corpus(c: &mut Criterion) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/wslconfig");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("corpus: {} not found, skipped", dir.display());
        return;
    };
    let mut files: Vec<(String, Vec<u8>)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name() != "MANIFEST.tsv" && e.path().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("readable"),
            )
        })
        .collect();
    files.sort();
    let total: usize = files.iter().map(|(_, b)| b.len()).sum();
    eprintln!("corpus: {} files, {total} bytes", files.len());
    let options = LintOptions::default();
    let mut g = c.benchmark_group("corpus");
    g.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Bytes(total as u64));
    g.bench_function(BenchmarkId::new("lint_bytes", format!("{}_files", files.len())), |b| {
        b.iter_batched(
            || files.clone(),
            |files| {
                let mut diagnostics = 0;
                for (path, bytes) in files {
                    diagnostics += lint_bytes(&path, bytes, &options).diagnostics.len();
                }
                black_box(diagnostics)
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, typical, large, scaling, corpus);
criterion_main!(benches);

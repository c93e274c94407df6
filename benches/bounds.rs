//! Resource bounds: wall time and peak memory per input byte of parse + bind
//! and of `lint_bytes`, for the synthetic file at 1, 10 and 100 MB and for
//! the pathological shapes of issue 6 (one 10 MB line, 1 000 000
//! continuation lines, 100 000 sections, 100 000 duplicate keys), each also
//! at half its size so that the ratio shows linearity (×2 in size should be
//! ×2 in time and memory), the shapes at double size too.
//!
//! ```sh
//! cargo bench --bench bounds            # about 5 minutes; prints the markdown tables
//! cargo bench --bench bounds -- --quick # one run per measurement instead of the best of three
//! ```
//!
//! Every measurement runs in a fresh child process (this program re-executed
//! with `--child`): the child builds the input, resets its peak-RSS counter
//! (`/proc/self/clear_refs`), notes its resident size, runs the operation and
//! reports the time and `VmHWM` from `/proc/self/status`. "Peak per input
//! byte" is (VmHWM − resident size before the operation) / input bytes: the
//! memory the operation needs on top of the input it was given. Then the
//! `wslcfg lint --max-size` CLI is run on the 100 MB file (written to a
//! temporary file), under `/usr/bin/time` when it exists.
//!
//! `cargo test --all-targets` runs this program without `--bench`: it then
//! only checks the machinery on one small input.

mod support;

use std::hint::black_box;
use std::process::Command;
use std::time::Instant;
use support::{Lines, synthetic};
use wslcfg::bind::bind;
use wslcfg::lint::{LintOptions, lint_bytes};
use wslcfg::registry::Dialect;
use wslcfg::syntax::parse;

const MB: usize = 1 << 20;

/// The input shapes. `n` is the shape's own measure (bytes or lines).
#[derive(Clone, Copy)]
enum Shape {
    /// The synthetic file of `benches/parse.rs`, `n` bytes.
    Synthetic,
    /// Its valid variant (what the general INI parsers accept), `n` bytes.
    Valid,
    /// `[wsl2]` and one `kernelCommandLine` value line of `n` bytes.
    OneLine,
    /// One value continued over `n` lines (`\` at the end of each).
    Continuations,
    /// `n` sections `[wsl2]` / `[experimental]` / unknown, one key each.
    Sections,
    /// `[wsl2]` and the key `memory` `n` times (KEY002 for all but the first).
    Duplicates,
}

impl Shape {
    fn name(self) -> &'static str {
        match self {
            Shape::Synthetic => "synthetic",
            Shape::Valid => "valid",
            Shape::OneLine => "one-line",
            Shape::Continuations => "continuations",
            Shape::Sections => "sections",
            Shape::Duplicates => "duplicates",
        }
    }

    fn parse(name: &str) -> Shape {
        [
            Shape::Synthetic,
            Shape::Valid,
            Shape::OneLine,
            Shape::Continuations,
            Shape::Sections,
            Shape::Duplicates,
        ]
        .into_iter()
        .find(|s| s.name() == name)
        .expect("a known shape")
    }

    /// How `n` reads in the table.
    fn describe(self, n: usize) -> String {
        match self {
            Shape::Synthetic => format!("synthetic {} MB", trim(n as f64 / MB as f64)),
            Shape::Valid => format!("valid synthetic {} MB", trim(n as f64 / MB as f64)),
            Shape::OneLine => format!("one {} MB line", trim(n as f64 / MB as f64)),
            Shape::Continuations => format!("{} continuation lines", thousands(n)),
            Shape::Sections => format!("{} sections", thousands(n)),
            Shape::Duplicates => format!("{} duplicate keys", thousands(n)),
        }
    }

    /// The input.
    fn input(self, n: usize) -> Vec<u8> {
        match self {
            Shape::Synthetic => synthetic(n, Lines::Mixed),
            Shape::Valid => synthetic(n, Lines::Valid),
            Shape::OneLine => {
                let mut s = String::from("[wsl2]\nkernelCommandLine=");
                let start = s.len();
                s.reserve(n + 1);
                while s.len() - start < n {
                    s.push_str("quiet ");
                }
                s.push('\n');
                s.into_bytes()
            }
            Shape::Continuations => {
                let mut s = String::from("[wsl2]\nkernelCommandLine = console=ttyS0 \\\n");
                for i in 0..n {
                    s.push_str(&format!("  opt{i} \\\n"));
                }
                s.push_str("  rw\n");
                s.into_bytes()
            }
            Shape::Sections => {
                let mut s = String::new();
                for i in 0..n {
                    match i % 3 {
                        0 => s.push_str(&format!("[wsl2]\nmemory={}GB\n", 1 + i % 64)),
                        1 => s.push_str("[experimental]\nsparseVhd=true\n"),
                        _ => s.push_str(&format!("[section{i}]\nname{i}=value\n")),
                    }
                }
                s.into_bytes()
            }
            Shape::Duplicates => {
                let mut s = String::from("[wsl2]\n");
                for i in 0..n {
                    s.push_str(&format!("memory={}GB\n", 1 + i % 64));
                }
                s.into_bytes()
            }
        }
    }
}

fn trim(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
}

fn duration(seconds: f64) -> String {
    if seconds < 1.0 {
        format!("{:.0} ms", seconds * 1e3)
    } else {
        format!("{seconds:.2} s")
    }
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// A field of `/proc/self/status`, in bytes.
fn status(field: &str) -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = s.lines().find(|l| l.starts_with(field)).expect("the field");
    line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() * 1024
}

/// Nanoseconds this (single-threaded) process has spent on a CPU, user and
/// system: unlike the wall clock it does not grow while other programs on a
/// busy machine have the CPU.
fn cpu_ns() -> u64 {
    let s = std::fs::read_to_string("/proc/self/schedstat").expect("/proc/self/schedstat");
    s.split_whitespace().next().unwrap().parse().unwrap()
}

/// The child: one measurement, printed as
/// `bytes wall_seconds cpu_seconds peak_extra diagnostics`.
fn child(shape: Shape, n: usize, what: &str) {
    let input = shape.input(n);
    let len = input.len();
    let options = LintOptions {
        max_size: u64::MAX,
        ..LintOptions::default()
    };
    // The general parsers take text: checked before the measurement.
    let mut input = Some(input);
    let text = matches!(what, "rust-ini" | "configparser")
        .then(|| String::from_utf8(input.take().expect("the input")).expect("UTF-8 input"));
    // Forget the peak of building the input: VmHWM restarts at VmRSS.
    std::fs::write("/proc/self/clear_refs", "5").expect("resetting the peak RSS (Linux 4.0+)");
    let before = status("VmRSS:");
    let start = Instant::now();
    let cpu = cpu_ns();
    let diagnostics = match what {
        "parse_bind" => {
            let p = parse(input.expect("the input"));
            let b = bind(&p, Dialect::Seed);
            black_box(b.diagnostics.len())
        }
        "lint" => black_box(
            lint_bytes("input", input.expect("the input"), &options)
                .diagnostics
                .len(),
        ),
        // The general parsers report no diagnostics: the count is their sections.
        "rust-ini" => black_box(
            ini::Ini::load_from_str(text.as_deref().expect("the text"))
                .expect("accepted")
                .len(),
        ),
        "configparser" => {
            let mut ini = configparser::ini::Ini::new();
            black_box(ini.read(text.expect("the text")).expect("accepted").len())
        }
        _ => panic!("parse_bind, lint, rust-ini or configparser"),
    };
    let cpu = (cpu_ns() - cpu) as f64 / 1e9;
    let seconds = start.elapsed().as_secs_f64();
    let peak = status("VmHWM:");
    println!("{len} {seconds} {cpu} {} {diagnostics}", peak.saturating_sub(before));
}

struct Measured {
    bytes: usize,
    seconds: f64,
    cpu: f64,
    peak: u64,
    diagnostics: usize,
}

/// Runs the child `runs` times: the shortest times, the largest peak.
fn measure(shape: Shape, n: usize, what: &str, runs: usize) -> Measured {
    let exe = std::env::current_exe().expect("this program");
    let mut best: Option<Measured> = None;
    for _ in 0..runs {
        let out = Command::new(&exe)
            .args(["--child", shape.name(), &n.to_string(), what])
            .output()
            .expect("the child runs");
        assert!(
            out.status.success(),
            "child {} {n} {what} failed: {}",
            shape.name(),
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let f: Vec<&str> = text.split_whitespace().collect();
        let m = Measured {
            bytes: f[0].parse().unwrap(),
            seconds: f[1].parse().unwrap(),
            cpu: f[2].parse().unwrap(),
            peak: f[3].parse().unwrap(),
            diagnostics: f[4].parse().unwrap(),
        };
        best = Some(match best {
            None => m,
            Some(b) => Measured {
                seconds: b.seconds.min(m.seconds),
                cpu: b.cpu.min(m.cpu),
                peak: b.peak.max(m.peak),
                ..b
            },
        });
    }
    best.unwrap()
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// The CLI on the largest synthetic file: refused at the default limit,
/// linted with `--max-size` raised.
fn cli(bytes: &[u8]) {
    let exe = env!("CARGO_BIN_EXE_wslcfg");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("big.wslconfig");
    std::fs::write(&file, bytes).expect("written");
    let path = file.to_str().unwrap();
    let refused = Command::new(exe).args(["lint", "-q", path]).output().unwrap();
    println!(
        "\n`wslcfg lint -q` on the {} MB file, default limit: exit {}, {}",
        bytes.len() / MB,
        refused.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&refused.stdout).trim()
    );
    let limit = (bytes.len() + 1).to_string();
    let timed = std::path::Path::new("/usr/bin/time").exists();
    let mut cmd = if timed {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "%e s wall, %M KB max RSS", exe]);
        c
    } else {
        Command::new(exe)
    };
    let start = Instant::now();
    let out = cmd.args(["lint", "-q", "--max-size", &limit, path]).output().unwrap();
    let wall = start.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!(
        "`wslcfg lint -q --max-size {limit}`: exit {} in {wall:.2} s; {}; {}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).trim(),
        stderr.lines().last().unwrap_or("").trim()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        child(Shape::parse(&args[i + 1]), args[i + 2].parse().unwrap(), &args[i + 3]);
        return;
    }
    if !args.iter().any(|a| a == "--bench") {
        // `cargo test --all-targets`: the machinery on one small input.
        let m = measure(Shape::Duplicates, 1000, "parse_bind", 1);
        assert_eq!(m.diagnostics, 999, "KEY002 for every repeated key");
        println!(
            "bounds: smoke run ok ({} bytes); run `cargo bench --bench bounds`",
            m.bytes
        );
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let runs = |bytes: usize| if quick || bytes > 20 * MB { 1 } else { 3 };

    // (shape, sizes): each size's ratio is taken against the previous one.
    let plan: [(Shape, &[usize]); 5] = [
        (Shape::Synthetic, &[MB / 2, MB, 5 * MB, 10 * MB, 50 * MB, 100 * MB]),
        (Shape::OneLine, &[5 * MB, 10 * MB, 20 * MB]),
        (Shape::Continuations, &[500_000, 1_000_000, 2_000_000]),
        (Shape::Sections, &[50_000, 100_000, 200_000]),
        (Shape::Duplicates, &[50_000, 100_000, 200_000]),
    ];
    println!("load average before: {}", load_average());
    // `--side-by-side`: only the last table.
    let tables: &[&str] = if args.iter().any(|a| a == "--side-by-side") {
        &[]
    } else {
        &["parse_bind", "lint"]
    };
    for &what in tables {
        println!(
            "\n{}\n",
            if what == "lint" {
                "`lint_bytes` (default options, no size limit)"
            } else {
                "`syntax::parse` + `bind::bind`"
            }
        );
        println!(
            "| input | bytes | diagnostics | CPU time | wall | MB/s (CPU) | peak bytes per input byte | CPU time × vs half | peak × vs half |"
        );
        println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (shape, sizes) in plan {
            let mut previous: Option<(usize, Measured)> = None;
            for &n in sizes {
                let bytes_guess = if matches!(shape, Shape::Synthetic | Shape::OneLine) {
                    n
                } else {
                    0
                };
                let m = measure(shape, n, what, runs(bytes_guess));
                let ratio = |now: f64, before: f64| format!("{:.2}", now / before);
                let (rt, rp) = match &previous {
                    Some((pn, p)) if 2 * pn == n => (ratio(m.cpu, p.cpu), ratio(m.peak as f64, p.peak as f64)),
                    _ => (String::new(), String::new()),
                };
                println!(
                    "| {} | {} | {} | {} | {} | {:.1} | {:.1} | {rt} | {rp} |",
                    shape.describe(n),
                    thousands(m.bytes),
                    thousands(m.diagnostics),
                    duration(m.cpu),
                    duration(m.seconds),
                    m.bytes as f64 / MB as f64 / m.cpu,
                    m.peak as f64 / m.bytes as f64,
                );
                previous = Some((n, m));
            }
        }
    }
    // Side by side with the general INI parsers, each run in its own fresh
    // process like the rows above (no heap left over from other runs).
    println!("\nSide by side on the valid synthetic file (diagnostics: the general parsers' column counts sections)\n");
    println!("| input | parser | result | CPU time | wall | MB/s (CPU) | peak bytes per input byte |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    for n in [MB, 10 * MB] {
        for what in ["parse_bind", "lint", "rust-ini", "configparser"] {
            let m = measure(Shape::Valid, n, what, runs(n));
            println!(
                "| {} | {what} | {} | {} | {} | {:.1} | {:.1} |",
                Shape::Valid.describe(n),
                thousands(m.diagnostics),
                duration(m.cpu),
                duration(m.seconds),
                m.bytes as f64 / MB as f64 / m.cpu,
                m.peak as f64 / m.bytes as f64,
            );
        }
    }
    if !tables.is_empty() {
        cli(&synthetic(100 * MB, Lines::Mixed));
    }
    println!("\nload average after: {}", load_average());
}

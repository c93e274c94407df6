//! wslcfg side by side with general-purpose INI parsers, on the same inputs
//! and in one run: for every input one criterion group with
//!
//! * `wslcfg/parse_bind`: `syntax::parse` + `bind::bind` (lossless tree,
//!   spans, typed values, SYN/KEY/VAL diagnostics);
//! * `wslcfg/lint_bytes`: the whole `lint` of one file (default options:
//!   parse, bind, passes over the default host, the LNT checks);
//! * `rust-ini/load_from_str`: `ini::Ini::load_from_str` (default options);
//! * `configparser/read`: `configparser::ini::Ini::new()` + `read`.
//!
//! Inputs: the typical 1 KB file of `benches/parse.rs`, its 10 MB synthetic
//! file (about one invalid line in ten), and the same file with the invalid
//! lines replaced by comments. A parser that rejects an input (returns an
//! error) is not timed on it: its time would be that of an early exit. What
//! each parser says about each input is printed before the measurements.
//!
//! `cargo bench --bench ini_compare` (about 3 minutes); the table in
//! docs/performance.md ("Side by side with general INI parsers") comes from
//! its output. `cargo test --all-targets` runs it once on inputs cut 64-fold.

mod support;

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group};
use std::hint::black_box;
use std::time::Duration;
use support::{Lines, megabytes, parse_bind, synthetic, typical};
use wslcfg::bind::bind;
use wslcfg::lint::{LintOptions, lint_bytes};
use wslcfg::registry::Dialect;
use wslcfg::syntax::parse;

fn rust_ini(text: &str) -> Result<usize, String> {
    ini::Ini::load_from_str(text)
        .map(|i| i.len())
        .map_err(|e| e.to_string())
}

fn configparser(text: String) -> Result<usize, String> {
    let mut ini = configparser::ini::Ini::new();
    ini.read(text).map(|m| m.len())
}

/// One group: the four parsers on one input.
fn compare(c: &mut Criterion, group: &str, input: &[u8], large: bool) {
    let text = std::str::from_utf8(input).expect("the inputs are UTF-8").to_owned();
    let options = LintOptions::default();

    // What each one makes of the input, once, untimed. In a block: what it
    // builds (a few hundred MB for the large inputs) is freed before the
    // measurements, which would otherwise run beside it.
    {
        let p = parse(input.to_vec());
        let b = bind(&p, Dialect::Seed);
        let syn = b
            .diagnostics
            .iter()
            .filter(|d| d.id.as_str().starts_with("SYN"))
            .count();
        let lint = lint_bytes(group, input.to_vec(), &options);
        eprintln!(
            "{group}: {} bytes, {} lines; wslcfg: {} diagnostics from bind ({syn} SYN), {} from lint",
            input.len(),
            p.tree.lines().len(),
            b.diagnostics.len(),
            lint.diagnostics.len()
        );
    }
    let rust_ini_ok = match rust_ini(&text) {
        Ok(n) => {
            eprintln!("{group}: rust-ini: accepted, {n} sections");
            true
        }
        Err(e) => {
            eprintln!("{group}: rust-ini: rejected ({e}); not timed");
            false
        }
    };
    let configparser_ok = match configparser(text.clone()) {
        Ok(n) => {
            eprintln!("{group}: configparser: accepted, {n} sections");
            true
        }
        Err(e) => {
            eprintln!("{group}: configparser: rejected ({e}); not timed");
            false
        }
    };

    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Bytes(input.len() as u64));
    let batch = if large {
        g.sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(10));
        BatchSize::LargeInput
    } else {
        g.warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3));
        BatchSize::SmallInput
    };
    g.bench_function("wslcfg/parse_bind", |bench| {
        bench.iter_batched(|| input.to_vec(), |bytes| black_box(parse_bind(bytes)), batch)
    });
    g.bench_function("wslcfg/lint_bytes", |bench| {
        bench.iter_batched(
            || input.to_vec(),
            |bytes| black_box(lint_bytes("input", bytes, &options).diagnostics.len()),
            batch,
        )
    });
    if rust_ini_ok {
        g.bench_function("rust-ini/load_from_str", |bench| {
            bench.iter(|| black_box(rust_ini(black_box(&text))))
        });
    }
    if configparser_ok {
        g.bench_function("configparser/read", |bench| {
            bench.iter_batched(|| text.clone(), |t| black_box(configparser(t)), batch)
        });
    }
    g.finish();
}

fn benches(c: &mut Criterion) {
    compare(c, "ini_typical", typical().as_bytes(), false);
    compare(c, "ini_10mb_mixed", &synthetic(megabytes(10), Lines::Mixed), true);
    compare(c, "ini_10mb_valid", &synthetic(megabytes(10), Lines::Valid), true);
}

/// `--once PARSER INPUT`: runs one parser once on one input and exits, for
/// instruction counts that do not depend on the machine's load:
///
/// ```sh
/// valgrind --tool=callgrind --toggle-collect='*ini_compare::once_*' \
///     target/release/deps/ini_compare-* --once rust-ini valid1mb
/// ```
///
/// PARSER: `parse_bind`, `lint`, `rust-ini`, `configparser`; INPUT:
/// `typical`, `valid1mb`. The input is built before the counted function.
fn once(parser: &str, input: &str) {
    let input = match input {
        "typical" => typical().as_bytes().to_vec(),
        "valid1mb" => synthetic(1 << 20, Lines::Valid),
        _ => panic!("INPUT: typical or valid1mb"),
    };
    let text = String::from_utf8(input.clone()).expect("UTF-8");
    let n = match parser {
        "parse_bind" => once_parse_bind(input),
        "lint" => once_lint(input),
        "rust-ini" => once_rust_ini(&text),
        "configparser" => once_configparser(text),
        _ => panic!("PARSER: parse_bind, lint, rust-ini or configparser"),
    };
    println!("{n}");
}

#[inline(never)]
fn once_parse_bind(input: Vec<u8>) -> usize {
    parse_bind(input)
}

#[inline(never)]
fn once_lint(input: Vec<u8>) -> usize {
    lint_bytes("input", input, &LintOptions::default()).diagnostics.len()
}

#[inline(never)]
fn once_rust_ini(text: &str) -> usize {
    rust_ini(text).expect("accepted")
}

#[inline(never)]
fn once_configparser(text: String) -> usize {
    configparser(text).expect("accepted")
}

criterion_group!(ini_compare, benches);

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--once") {
        once(&args[i + 1], &args[i + 2]);
        return;
    }
    ini_compare();
    Criterion::default().configure_from_args().final_summary();
}

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
use wslcfg::lint::{LintOptions, lint_bytes};
use wslcfg::syntax::{parse, parse_pest};

mod support;

use support::{Lines, TYPICAL, megabytes, parse_bind};

/// The synthetic input of the large-file benchmarks (`support::synthetic`, invalid lines included).
fn synthetic(size: usize) -> Vec<u8> {
    support::synthetic(size, Lines::Mixed)
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

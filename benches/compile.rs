//! The whole compiler in-process: parse → bind → passes → VM build → emit →
//! plan with digest, for the bundled example and for an empty file; and the
//! two halves of sealing the example's plan.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use wslcfg::compile::{Target, compile};
use wslcfg::lint::LintOptions;
use wslcfg::registry::Dialect;

const EXAMPLE: &str = include_str!("../fixtures/examples/typical.wslconfig");
const VIRTIO: &str = "[wsl2]\nmemory=8GB\nprocessors=4\nvirtiofs=true\nnetworkingMode=VirtioProxy\nkernelCommandLine=\"quiet loglevel=3\"\n";

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("compile");
    for dialect in [Dialect::Seed, Dialect::Upstream] {
        let options = LintOptions {
            dialect,
            ..LintOptions::default()
        };
        for (name, text) in [("typical", EXAMPLE), ("virtio", VIRTIO), ("empty", "")] {
            group.bench_function(format!("{name}-{}", dialect.as_str()), |b| {
                b.iter(|| {
                    let c = compile(
                        "bench",
                        Some(black_box(text.as_bytes().to_vec())),
                        &options,
                        Target::Wsl2,
                    );
                    black_box(c.plan.expect("compiles").digest)
                })
            });
        }
    }
    group.finish();

    // The seal of the bundled example's plan: its RFC 8785 form, and SHA-256 over it.
    let mut group = c.benchmark_group("seal");
    let plan = compile(
        "bench",
        Some(EXAMPLE.as_bytes().to_vec()),
        &LintOptions::default(),
        Target::Wsl2,
    )
    .plan
    .expect("compiles");
    let canonical = plan.unsealed_canonical();
    group.bench_function("canonical-typical", |b| {
        b.iter(|| black_box(&plan).unsealed_canonical())
    });
    group.bench_function("sha256-typical", |b| {
        b.iter(|| wslcfg::plan::canonical::digest_text(black_box(&canonical)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! The fuzz targets on the stable toolchain: every seed and every committed
//! regression input replayed, then a bounded pseudo-random run (fixed seed, so
//! a failure reproduces). The long coverage-guided runs use `cargo fuzz`
//! (nightly); see docs/robustness.md.

mod common;

use arbitrary::{Arbitrary, Unstructured};
use std::path::Path;
use wslcfg::fuzzing;
use wslcfg::host::HostProfile;

fn files_in(dir: &Path) -> Vec<Vec<u8>> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect())
        .unwrap_or_else(|_| Vec::new());
    out.sort();
    out.into_iter().map(|p| std::fs::read(p).expect("readable")).collect()
}

/// Fixtures, the real corpus, and the committed regressions of a target.
fn seeds(target: &str) -> Vec<Vec<u8>> {
    let mut all: Vec<Vec<u8>> = common::fixture_files("")
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    all.extend(common::corpus_files().iter().map(|p| std::fs::read(p).unwrap()));
    all.extend(files_in(&common::root().join("fuzz/regressions").join(target)));
    all
}

/// xorshift64*: a fixed-seed generator, so every run tries the same inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Bytes biased towards the grammar's alphabet.
    fn input(&mut self, max: usize) -> Vec<u8> {
        const ALPHABET: &[&[u8]] = &[
            b"[",
            b"]",
            b"=",
            b"#",
            b"\"",
            b"\\",
            b"\r",
            b"\n",
            b"\r\n",
            b"\t",
            b" ",
            b";",
            b"\0",
            b"\xff",
            b"\xef\xbb\xbf",
            b"\xff\xfe",
            "é".as_bytes(),
            "中".as_bytes(),
            b"wsl2",
            b"experimental",
            b"memory",
            b"processors",
            b"networkingMode",
            b"swiotlb",
            b"0x40000000,64M",
            b"8GB",
            b"true",
            b"VirtioProxy",
            b"kernel",
            b"macAddress",
            b"00:15:5D:01:02:03",
            b"a",
            b"Z",
            b"0",
            b"9",
            b".",
        ];
        let len = (self.next() % max as u64) as usize;
        let mut out = Vec::with_capacity(len * 4);
        for _ in 0..len {
            match self.next() % 4 {
                0 => out.push(self.next() as u8),
                _ => out.extend_from_slice(ALPHABET[(self.next() % ALPHABET.len() as u64) as usize]),
            }
        }
        out
    }
}

#[test]
fn parse_and_lint_replay_and_random() {
    for seed in seeds("parse").iter().chain(seeds("lint").iter()) {
        fuzzing::parse(seed);
        fuzzing::lint(seed);
    }
    let mut rng = Rng(0x5EED_0001);
    for _ in 0..700 {
        let input = rng.input(80);
        fuzzing::parse(&input);
        fuzzing::lint(&input);
    }
}

#[test]
fn compile_replay_and_random() {
    for seed in seeds("compile") {
        fuzzing::compile_with(&seed, HostProfile::default(), false, false);
        fuzzing::compile_with(&seed, HostProfile::default(), true, false);
    }
    let mut rng = Rng(0x5EED_0002);
    for _ in 0..150 {
        let config = rng.input(40);
        let raw: Vec<u8> = (0..512).map(|_| rng.next() as u8).collect();
        let mut u = Unstructured::new(&raw);
        let host = HostProfile::arbitrary(&mut u).unwrap_or_default();
        fuzzing::compile_with(&config, host.clone(), rng.next().is_multiple_of(2), false);
        fuzzing::compile_with(
            &config,
            host,
            rng.next().is_multiple_of(2),
            rng.next().is_multiple_of(8),
        );
    }
}

#[test]
fn plan_reader_replay_and_random() {
    let sample = fuzzing::sample_plan();
    for seed in seeds("plan") {
        fuzzing::plan_bytes(&seed);
        fuzzing::plan_mutated(&sample, &seed);
    }
    let mut rng = Rng(0x5EED_0003);
    for _ in 0..1000 {
        let edits: Vec<u8> = (0..(rng.next() % 12) * 3).map(|_| rng.next() as u8).collect();
        fuzzing::plan_mutated(&sample, &edits);
        fuzzing::plan_bytes(&rng.input(60));
    }
}

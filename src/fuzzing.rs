//! The bodies of the fuzz targets (`fuzz/`), shared with the stable-toolchain
//! smoke test (`tests/fuzz_smoke.rs`) so CI replays exactly what the fuzzer
//! runs. Each function panics when an invariant breaks; that is the finding.

use crate::compile::{Target, compile};
use crate::diag::{json, sarif};
use crate::host::HostProfile;
use crate::lint::{LintOptions, lint_bytes};
use crate::plan::Plan;
use crate::registry::Dialect;
use crate::syntax;

/// Parsing never fails, loses no byte, spans stay inside the text, and the
/// byte scanner agrees with the pest grammar.
pub fn parse(data: &[u8]) {
    let p = syntax::parse(data.to_vec());
    let text = &p.source.text;
    assert_eq!(p.tree.text(text), *text, "the tree is lossless");
    let mut rebuilt = data[..p.source.encoding.bom_len().min(data.len())].to_vec();
    let mut at = 0;
    for line in p.tree.lines() {
        assert_eq!(line.span.start, at, "lines partition the text");
        at = line.span.end;
        rebuilt.extend_from_slice(p.source.source_bytes(line.span.start, line.span.end));
    }
    assert_eq!(at as usize, text.len());
    assert_eq!(rebuilt, data, "every byte of the file is in the tree");
    // The runtime byte scanner and the pest grammar (the executable
    // specification) cut every input the same way.
    let reference = syntax::parse_pest(data.to_vec());
    assert_eq!(
        p.tree, reference.tree,
        "the byte scanner's tree equals the pest grammar's"
    );
    assert_eq!(
        p.events, reference.events,
        "the byte scanner's events equal the pest grammar's"
    );
    for dialect in [Dialect::Seed, Dialect::Upstream] {
        for d in crate::bind::bind(&p, dialect).diagnostics {
            if let Some(span) = d.span {
                assert!(span.start <= span.end && span.end as usize <= text.len());
                assert!(text.is_char_boundary(span.start as usize) && text.is_char_boundary(span.end as usize));
            }
        }
    }
}

/// Lint end to end, every output format.
pub fn lint(data: &[u8]) {
    for dialect in [Dialect::Seed, Dialect::Upstream] {
        let options = LintOptions {
            dialect,
            ..LintOptions::default()
        };
        let report = lint_bytes("fuzz", data.to_vec(), &options);
        let reports = [report];
        let text = json::to_string(&reports);
        serde_json::from_str::<serde_json::Value>(&text).expect("lint JSON parses");
        let _ = sarif::to_sarif_string(&reports);
    }
}

/// Compile with any configuration and any host: no panic; a plan is
/// deterministic and verifies.
pub fn compile_with(config: &[u8], host: HostProfile, upstream: bool, wslc: bool) {
    let dialect = if upstream { Dialect::Upstream } else { Dialect::Seed };
    let target = if wslc { Target::Wslc } else { Target::Wsl2 };
    let options = LintOptions {
        dialect,
        host,
        ..LintOptions::default()
    };
    let first = compile("fuzz", Some(config.to_vec()), &options, target);
    if let Some(plan) = &first.plan {
        let text = plan.to_json();
        let back = Plan::verify(&text).expect("an emitted plan verifies");
        assert_eq!(&back, plan);
        let again = compile("fuzz", Some(config.to_vec()), &options, target);
        assert_eq!(
            again.plan.map(|p| p.to_json()),
            Some(text),
            "compiling twice gives the same plan"
        );
    }
}

/// The plan reader on arbitrary bytes: never panics.
pub fn plan_bytes(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Plan::verify(text);
    }
}

/// The plan reader on a valid plan with bytes overwritten: never panics, and
/// anything it accepts re-seals to the same digest.
pub fn plan_mutated(valid: &str, edits: &[u8]) {
    let mut bytes = valid.as_bytes().to_vec();
    for pair in edits.chunks_exact(3) {
        let at = u16::from_le_bytes([pair[0], pair[1]]) as usize % bytes.len().max(1);
        if let Some(b) = bytes.get_mut(at) {
            *b = pair[2];
        }
    }
    if let Ok(text) = std::str::from_utf8(&bytes)
        && let Ok(plan) = Plan::verify(text)
    {
        assert_eq!(plan.clone().seal().digest, plan.digest);
    }
}

/// A valid plan to mutate: the bundled example on the default host.
pub fn sample_plan() -> String {
    let options = LintOptions::default();
    let text = "[wsl2]\nmemory=8GB\nprocessors=4\nvirtiofs=true\nnetworkingMode=VirtioProxy\n";
    compile("sample", Some(text.as_bytes().to_vec()), &options, Target::Wsl2)
        .plan
        .expect("the sample compiles")
        .to_json()
}

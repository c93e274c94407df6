//! Quick fixes (`wslcfg::ide::fixes`): every fix kind on a fixture, with its
//! title, edits and fixed text (snapshots under `snapshots/ide/fix_*`, checked
//! by hand against spec/writer.md), exact expectations for the placements
//! writer.md pins, and the check the language-server issue demands — on every
//! corpus file and fixture, in both dialects, and on generated files: each
//! fix applied alone gives a text that no longer has that diagnostic, has no
//! new error, and the edits are non-overlapping, inside the text and on
//! character boundaries.

mod common;

use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use std::collections::BTreeMap;
use wslcfg::diag::{DiagId, Diagnostic, Severity};
use wslcfg::ide::{Analysis, Fix, TextEdit, fixes};
use wslcfg::lint::LintOptions;
use wslcfg::registry::Dialect;
use wslcfg::syntax;

fn options(dialect: Dialect) -> LintOptions {
    LintOptions {
        dialect,
        ..LintOptions::default()
    }
}

fn analyse(text: &str, dialect: Dialect) -> Analysis {
    Analysis::new("test.wslconfig", text, &options(dialect))
}

/// Applies edits to the decoded text, after checking they can be applied.
fn apply(text: &str, edits: &[TextEdit]) -> Result<String, String> {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0usize;
    for e in edits {
        let (s, t) = (e.span.start as usize, e.span.end as usize);
        if s < at {
            return Err(format!("edit {e:?} overlaps the one before or is out of order"));
        }
        if s > t || t > text.len() {
            return Err(format!("edit {e:?} is outside the text ({} bytes)", text.len()));
        }
        if !text.is_char_boundary(s) || !text.is_char_boundary(t) {
            return Err(format!("edit {e:?} splits a character"));
        }
        out.push_str(&text[at..s]);
        out.push_str(&e.new_text);
        at = t;
    }
    out.push_str(&text[at..]);
    Ok(out)
}

type Fact = (DiagId, Option<String>, Option<String>);

fn fact(d: &Diagnostic) -> Fact {
    (d.id, d.detail().key.clone(), d.detail().value.clone())
}

fn count(ds: &[Diagnostic], f: &Fact) -> usize {
    ds.iter().filter(|d| fact(d) == *f).count()
}

/// Where a diagnostic anchored at `offset` is after the edits: the offset,
/// shifted, or the range of the new text of the edit that replaced it.
fn mapped(offset: usize, edits: &[TextEdit]) -> (usize, usize) {
    let mut delta: isize = 0;
    for e in edits {
        let (s, t) = (e.span.start as usize, e.span.end as usize);
        if s <= offset && offset < t {
            let start = (s as isize + delta) as usize;
            return (start, start + e.new_text.len());
        }
        if t <= offset {
            delta += e.new_text.len() as isize - (t - s) as isize;
        } else {
            break;
        }
    }
    let at = (offset as isize + delta) as usize;
    (at, at)
}

/// The check of one fix; returns the fixed text.
fn check_fix(analysis: &Analysis, fix: &Fix) -> Result<String, String> {
    let text = analysis.decoded();
    let old = &analysis.report.diagnostics;
    let d = old.get(fix.diagnostic).ok_or("the fix names no diagnostic")?;
    if fix.edits.is_empty() {
        return Err("a fix without edits".into());
    }
    let fixed = apply(text, &fix.edits)?;
    if fixed == text {
        return Err("the fix changes nothing".into());
    }
    let after = Analysis::new("test.wslconfig", &fixed, &analysis.options);
    let new = &after.report.diagnostics;
    // The diagnostic is gone: one record fewer with its id, key and value…
    let f = fact(d);
    if count(new, &f) >= count(old, &f) {
        return Err(format!("{:?} is still reported", f));
    }
    // …and none of its id where the fixed text now is (a replacement).
    if let Some(span) = d.span {
        let replaced = fix
            .edits
            .iter()
            .any(|e| e.span.start <= span.start && span.start < e.span.end && !e.new_text.is_empty());
        if replaced {
            let (s, t) = mapped(span.start as usize, &fix.edits);
            if let Some(n) = new
                .iter()
                .find(|n| n.id == d.id && n.span.is_some_and(|sp| (s..=t).contains(&(sp.start as usize))))
            {
                return Err(format!("{} is reported again in the fixed text: {}", n.id, n.message()));
            }
        }
    }
    // No new error.
    for e in new.iter().filter(|n| n.severity == Severity::Error) {
        if count(new, &fact(e)) > count(old, &fact(e)) {
            return Err(format!("new error {}: {}", e.id, e.message()));
        }
    }
    Ok(fixed)
}

/// The kind of a fix, from its title.
fn kind(fix: &Fix) -> &'static str {
    let t = fix.title.as_str();
    if t.starts_with("Rename section") {
        "rename section"
    } else if t.starts_with("Rename") {
        "rename key"
    } else if t.starts_with("Move") {
        "move key"
    } else if t.starts_with("Delete") {
        "delete duplicate"
    } else if t.starts_with("Turn") {
        "semicolon to #"
    } else if t.starts_with("Double") {
        "double backslashes"
    } else {
        "other"
    }
}

fn check_all(name: &str, text: &str, dialect: Dialect, counts: &mut BTreeMap<&'static str, usize>) -> Vec<String> {
    let analysis = analyse(text, dialect);
    let mut failures = Vec::new();
    let all = fixes(&analysis);
    for fix in &all {
        *counts.entry(kind(fix)).or_default() += 1;
        if let Err(why) = check_fix(&analysis, fix) {
            failures.push(format!("{name} [{}]: `{}`: {why}", dialect.as_str(), fix.title));
        }
    }
    // At most one preferred fix per diagnostic.
    for (i, _) in analysis.report.diagnostics.iter().enumerate() {
        if all.iter().filter(|f| f.diagnostic == i && f.preferred).count() > 1 {
            failures.push(format!("{name}: two preferred fixes for diagnostic {i}"));
        }
    }
    failures
}

/// A text as the editor would hold it: the decoded file.
fn decoded(bytes: Vec<u8>) -> String {
    syntax::parse(bytes).source.text
}

#[test]
fn every_fix_on_the_corpus_and_the_fixtures_removes_its_diagnostic() {
    let mut files = common::corpus_files();
    assert!(files.len() >= 200, "the corpus is missing");
    files.extend(common::fixture_files(""));
    let mut ide = std::fs::read_dir(common::root().join("fixtures/ide"))
        .expect("fixtures/ide")
        .map(|e| e.expect("entry").path())
        .collect::<Vec<_>>();
    ide.sort();
    files.extend(ide);
    let corpus = common::corpus_files().len();
    let mut failures = Vec::new();
    let mut counts = BTreeMap::new();
    let mut corpus_counts: BTreeMap<&str, usize> = BTreeMap::new();
    // Findings of the fixable kinds for which no fix was offered, by id.
    let mut unfixed: BTreeMap<String, usize> = BTreeMap::new();
    for (n, path) in files.iter().enumerate() {
        let text = decoded(std::fs::read(path).expect("readable"));
        for dialect in [Dialect::Seed, Dialect::Upstream] {
            failures.extend(check_all(&common::stem(path), &text, dialect, &mut counts));
            if n < corpus {
                let analysis = analyse(&text, dialect);
                let all = fixes(&analysis);
                for f in &all {
                    *corpus_counts.entry(kind(f)).or_default() += 1;
                }
                for (i, d) in analysis.report.diagnostics.iter().enumerate() {
                    let fixable = match d.id {
                        DiagId::KEY001 | DiagId::LNT002 => d.detail().facts.contains_key("suggestion"),
                        DiagId::KEY002 | DiagId::SYN006 | DiagId::LNT005 => true,
                        DiagId::SYN004 => d.span.is_some_and(|s| &text[s.range()] == ";"),
                        _ => false,
                    };
                    if fixable && !all.iter().any(|f| f.diagnostic == i) {
                        *unfixed.entry(d.id.to_string()).or_default() += 1;
                    }
                }
            }
        }
    }
    eprintln!("quick fixes on the {corpus} corpus files × 2 dialects: {corpus_counts:?}");
    eprintln!("  fixable kinds left without a fix: {unfixed:?}");
    eprintln!(
        "quick fixes on {} files (corpus and fixtures) × 2 dialects: {counts:?}",
        files.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    for kind in [
        "rename key",
        "rename section",
        "move key",
        "delete duplicate",
        "semicolon to #",
        "double backslashes",
    ] {
        assert!(counts.get(kind).copied().unwrap_or(0) > 0, "no `{kind}` fix at all");
    }
}

/// One fixture's fixes, each with the text it produces, for a snapshot.
fn describe(text: &str, dialect: Dialect) -> String {
    let analysis = analyse(text, dialect);
    let mut out = String::new();
    for fix in fixes(&analysis) {
        let d = &analysis.report.diagnostics[fix.diagnostic];
        out.push_str(&format!(
            "## {} (line {}): {}{}\n",
            d.id,
            d.line.map_or("-".to_owned(), |l| l.to_string()),
            fix.title,
            if fix.preferred { " [preferred]" } else { "" }
        ));
        for e in &fix.edits {
            out.push_str(&format!(
                "edit {}..{} {:?} -> {:?}\n",
                e.span.start,
                e.span.end,
                &text[e.span.start as usize..e.span.end as usize],
                e.new_text
            ));
        }
        let fixed = check_fix(&analysis, &fix).unwrap_or_else(|e| panic!("{}: {e}", fix.title));
        out.push_str("--- fixed text (⏎ = LF, ␍ = CR)\n");
        out.push_str(&fixed.replace('\r', "␍").replace('\n', "⏎\n"));
        out.push_str("\n\n");
    }
    out
}

#[test]
fn fixture_snapshots() {
    let mut files: Vec<_> = std::fs::read_dir(common::root().join("fixtures/ide"))
        .expect("fixtures/ide")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("fix_")))
        .collect();
    files.sort();
    assert!(files.len() >= 6);
    for path in files {
        let text = decoded(std::fs::read(&path).expect("readable"));
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("../snapshots/ide");
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| {
            insta::assert_snapshot!(common::stem(&path), describe(&text, Dialect::Upstream));
        });
        // The fixes do not depend on the dialect for these files.
        assert_eq!(describe(&text, Dialect::Seed), describe(&text, Dialect::Upstream));
    }
}

/// The only fix for the diagnostic with `id` at `line`, applied.
fn fixed(text: &str, id: DiagId, line: u32) -> (Fix, String) {
    let analysis = analyse(text, Dialect::Upstream);
    let mut found: Vec<Fix> = fixes(&analysis)
        .into_iter()
        .filter(|f| {
            let d = &analysis.report.diagnostics[f.diagnostic];
            d.id == id && d.line == Some(line)
        })
        .collect();
    assert_eq!(found.len(), 1, "one fix for {id} on line {line}: {found:?}");
    let fix = found.remove(0);
    let out = check_fix(&analysis, &fix).unwrap_or_else(|e| panic!("{e}"));
    (fix, out)
}

fn no_fix(text: &str, id: DiagId) {
    let analysis = analyse(text, Dialect::Upstream);
    let bad: Vec<Fix> = fixes(&analysis)
        .into_iter()
        .filter(|f| analysis.report.diagnostics[f.diagnostic].id == id)
        .collect();
    assert!(bad.is_empty(), "no fix expected for {id} in {text:?}: {bad:?}");
}

#[test]
fn rename_key_in_place_keeps_everything_else() {
    let (fix, out) = fixed("[wsl2]\nprocesors = 2   # two\n", DiagId::KEY001, 2);
    assert_eq!(fix.title, "Rename `procesors` to `processors`");
    assert!(fix.preferred);
    assert_eq!(out, "[wsl2]\nprocessors = 2   # two\n");
    // A key the file already sets is not a rename target.
    no_fix("[wsl2]\nmemory=8GB\nmemroy=4GB\n", DiagId::KEY001);
    // Nor is a value that would stop WSL (an invalid MAC address).
    no_fix("[wsl2]\nmacAdress=nonsense\n", DiagId::KEY001);
}

#[test]
fn spans_point_into_the_decoded_text() {
    // A byte order mark is not part of the decoded text.
    let analysis = analyse("\u{feff}[wsl2]\nmemroy=1GB\n", Dialect::Seed);
    let all = fixes(&analysis);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].edits[0].span.start, 7);
    assert_eq!(
        apply(analysis.decoded(), &all[0].edits).unwrap(),
        "[wsl2]\nmemory=1GB\n"
    );
}

#[test]
fn rename_section() {
    let (fix, out) = fixed("[ws12]\nmemory=4GB\n", DiagId::LNT002, 1);
    assert_eq!(fix.title, "Rename section `[ws12]` to `[wsl2]`");
    assert!(fix.preferred);
    assert_eq!(out, "[wsl2]\nmemory=4GB\n");
    // A `/etc/wsl.conf` section has no did-you-mean and no fix.
    no_fix("[boot]\nsystemd=true\n", DiagId::LNT002);
    // Not when the section's lines would raise an error once read: here a
    // failed header garbles the names after it (Q1) until `[wsl]` becomes
    // `[wsl2]`, and then the kernel command line gets a TAB (CMP001).
    no_fix(
        "[wsl]\n[wsl2\nkernelCommandLine = quiet \\\n\tmemory = 1GB",
        DiagId::LNT002,
    );
}

#[test]
fn move_goes_where_set_puts_a_new_line() {
    // writer.md §3.3 (S6): after the target section's last non-blank line,
    // exactly one blank line before the next header.
    let (fix, out) = fixed(
        "swap=0\n[wsl2]\nmemory=4GB\n# gpu\n\n\n[experimental]\nsparseVhd=true\n",
        DiagId::KEY001,
        1,
    );
    assert_eq!(fix.title, "Move `swap` into `[wsl2]`");
    assert!(fix.preferred);
    assert_eq!(
        out,
        "[wsl2]\nmemory=4GB\n# gpu\nswap=0\n\n[experimental]\nsparseVhd=true\n"
    );
    // §3.4 and W5: no target section, appended after one LF with its header;
    // the comment goes with the line.
    let (fix, out) = fixed("[experimental]\nmemory=4GB  # half\n", DiagId::KEY001, 2);
    assert_eq!(fix.title, "Move `memory` into `[wsl2]`");
    assert_eq!(out, "[experimental]\n\n[wsl2]\nmemory=4GB  # half");
    // B13: `[wsl]` is not `[wsl2]`; the key part is the canonical one.
    let (fix, out) = fixed("[wsl]\nMemory=4GB", DiagId::KEY001, 2);
    assert_eq!(fix.title, "Move `Memory` into `[wsl2]` as `memory`");
    assert!(!fix.preferred, "`[wsl]` may be a misspelled header");
    assert_eq!(out, "[wsl]\n[wsl2]\nmemory=4GB");
    // §6.3: inserted line breaks follow the file's first line break.
    let (_, out) = fixed(
        "[wsl2]\r\nswap=0\r\n[experimental]\r\nmemory=4GB\r\n",
        DiagId::KEY001,
        4,
    );
    assert_eq!(out, "[wsl2]\r\nswap=0\r\nmemory=4GB\r\n\r\n[experimental]\r\n");
    // S9: a key with two section names goes into the first section of either.
    let (fix, out) = fixed(
        "[experimental]\nsparseVhd=true\n\n[wsl2]\nmemory=8GB\n[general]\ndnsTunneling=false\n",
        DiagId::KEY001,
        7,
    );
    assert_eq!(fix.title, "Move `dnsTunneling` into `[experimental]`");
    assert_eq!(
        out,
        "[experimental]\nsparseVhd=true\ndnsTunneling=false\n\n[wsl2]\nmemory=8GB\n[general]\n"
    );
    // S10, W4: an indented header keeps its blanks on a line of their own.
    let (_, out) = fixed(
        "swap=0\n[wsl2]\nmemory=8GB\n  [experimental]\nsparseVhd=true\n",
        DiagId::KEY001,
        1,
    );
    assert_eq!(
        out,
        "[wsl2]\nmemory=8GB\n  \nswap=0\n\n[experimental]\nsparseVhd=true\n"
    );
    // Not when the key is set already.
    no_fix("[wsl2]\nmemory=8GB\n[experimental]\nmemory=4GB\n", DiagId::KEY001);
    // B7: not when the move would append after a dangling escape.
    no_fix("[experimental]\nmemory=4GB\nkernelCommandLine=a\\", DiagId::KEY001);
}

#[test]
fn delete_duplicate_takes_the_whole_line() {
    let (fix, out) = fixed("[wsl2]\nswap=0\nSwap=2GB # later\nmemory=4GB\n", DiagId::KEY002, 3);
    assert_eq!(fix.title, "Delete the duplicate `Swap` (WSL uses line 2)");
    assert!(fix.preferred);
    assert_eq!(out, "[wsl2]\nswap=0\nmemory=4GB\n");
    // Continuation lines go with it.
    let (_, out) = fixed(
        "[wsl2]\nkernelCommandLine=quiet\nkernelCommandLine = a \\\n  b\nswap=0\n",
        DiagId::KEY002,
        4,
    );
    assert_eq!(out, "[wsl2]\nkernelCommandLine=quiet\nswap=0\n");
    // No line-structure edit in a file with a lone CR (writer.md §6.2).
    no_fix("[wsl2]\nswap=0\nswap=1\n# a\rb\n", DiagId::KEY002);
    // A last line without a line break takes the one before it.
    let (_, out) = fixed("[wsl2]\nswap=0\nswap=1GB", DiagId::KEY002, 3);
    assert_eq!(out, "[wsl2]\nswap=0");
}

#[test]
fn semicolon_becomes_hash() {
    let (fix, out) = fixed("[wsl2]\n  ;memory=4GB\n", DiagId::SYN004, 2);
    assert!(fix.preferred);
    assert_eq!(out, "[wsl2]\n  #memory=4GB\n");
    no_fix("[wsl2]\n9memory=4GB\n", DiagId::SYN004);
    // In a value: when the value is valid up to the `;`.
    let (fix, out) = fixed("[wsl2]\nmemory=4GB ; half of it\n", DiagId::VAL003, 2);
    assert!(fix.preferred);
    assert_eq!(out, "[wsl2]\nmemory=4GB # half of it\n");
    no_fix("[wsl2]\nmemory=4 GB ; half\n", DiagId::VAL003);
    // Not in a string, where `;` is part of the value.
    let analysis = analyse("[wsl2]\nkernelCommandLine=a;b\n", Dialect::Upstream);
    assert!(fixes(&analysis).is_empty());
}

#[test]
fn backslashes_doubled_as_set_writes_them() {
    // writer.md §10: the SYN006 line is repaired.
    let (fix, out) = fixed("[wsl2]\nkernel=C:\\wsl\\kernel\n", DiagId::SYN006, 2);
    assert_eq!(fix.title, "Double the backslashes: `C:\\\\wsl\\\\kernel`");
    assert!(fix.preferred);
    assert_eq!(out, "[wsl2]\nkernel=C:\\\\wsl\\\\kernel\n");
    // LNT005: `\t` and `\n` became control characters; comment and blanks stay.
    let (_, out) = fixed("[wsl2]\nswapFile=C:\\temp\\new.vhdx   # s\n", DiagId::LNT005, 2);
    assert_eq!(out, "[wsl2]\nswapFile=C:\\\\temp\\\\new.vhdx   # s\n");
    // §5.3: quotes only where needed; already doubled ones stay doubled.
    let (_, out) = fixed(
        "[wsl2]\nswapFile=\"C:\\\\Program Files\\swap.vhdx\"\n",
        DiagId::SYN006,
        2,
    );
    assert_eq!(out, "[wsl2]\nswapFile=C:\\\\Program Files\\\\swap.vhdx\n");
    let (_, out) = fixed("[wsl2]\nswapFile=\"D:\\wsl #2\\swap.vhdx\"\n", DiagId::SYN006, 2);
    assert_eq!(out, "[wsl2]\nswapFile=\"D:\\\\wsl #2\\\\swap.vhdx\"\n");
    // Not for a value that is not text, nor a backslash at the end of the file.
    no_fix("[wsl2]\nmemory=4\\GB\n", DiagId::SYN006);
    no_fix("[wsl2]\nkernel=C:\\", DiagId::SYN006);
}

// ---------------------------------------------------------------------------
// Generated files.

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("[wsl2]".to_owned()),
        1 => Just("[experimental]".to_owned()),
        1 => Just("[ws12]".to_owned()),
        1 => Just("[experimenal]".to_owned()),
        1 => Just("[wsl]".to_owned()),
        1 => Just("  [WSL2] # c".to_owned()),
        1 => Just("memroy=4GB".to_owned()),
        1 => Just("procesors = 2 # two".to_owned()),
        1 => Just("sparseVhd=true".to_owned()),
        1 => Just("memory=4GB".to_owned()),
        2 => Just("Memory = 8GB   # half".to_owned()),
        3 => Just("swap=0".to_owned()),
        3 => Just("SWAP=1GB".to_owned()),
        1 => Just("networkingMode=mirrored".to_owned()),
        1 => Just("kernelCommandLine = quiet \\".to_owned()),
        1 => Just("  splash".to_owned()),
        1 => Just("; comment".to_owned()),
        1 => Just("  ;swap=0".to_owned()),
        1 => Just("kernel=C:\\wsl\\kernel".to_owned()),
        1 => Just("swapFile=C:\\temp\\new.vhdx".to_owned()),
        1 => Just("systemDistro=\"C:\\\\d\\my #1\\s.vhd\"".to_owned()),
        1 => Just("macAdress=00:15:5D:01:02:03".to_owned()),
        1 => Just("# comment".to_owned()),
        1 => Just("".to_owned()),
        1 => Just("   ".to_owned()),
        1 => Just("kernel=C:\\".to_owned()),
        1 => Just("swap=0\rmemroy=1GB".to_owned()),
        1 => Just("[wsl2".to_owned()),
        1 => Just("[experimental] # c".to_owned()),
        1 => Just("\tmemory = 1GB".to_owned()),
        1 => Just("networkingmode=nat".to_owned()),
        1 => Just("kernelCommandLine=C:\\a\\ \\".to_owned()),
        1 => Just("kernel=\"C:\\wsl\\k".to_owned()),
        1 => Just("swapfile=\"C:\\x\\\"".to_owned()),
        1 => Just("[general]".to_owned()),
        1 => Just("instanceIdleTimeout=60".to_owned()),
        1 => Just("swap=0 ; none".to_owned()),
        1 => Just("guiApplications=false;x".to_owned()),
    ]
}

fn file() -> impl Strategy<Value = String> {
    (prop::collection::vec(line(), 0..12), any::<bool>(), any::<bool>()).prop_map(|(lines, crlf, final_eol)| {
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = lines.join(eol);
        if final_eol && !text.is_empty() {
            text.push_str(eol);
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_fix_on_a_generated_file_removes_its_diagnostic(text in file(), seed in any::<bool>()) {
        let dialect = if seed { Dialect::Seed } else { Dialect::Upstream };
        let mut counts = BTreeMap::new();
        let failures = check_all("generated", &text, dialect, &mut counts);
        prop_assert!(failures.is_empty(), "{:?}\n{}", text, failures.join("\n"));
    }
}

/// The generator above reaches every kind of fix (so the property is not
/// vacuous): 300 files drawn with a fixed seed.
#[test]
fn generated_files_exercise_every_kind() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
    let mut runner = TestRunner::new_with_rng(
        ProptestConfig::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    let mut counts = BTreeMap::new();
    for _ in 0..300 {
        let text = file().new_tree(&mut runner).expect("a file").current();
        let failures = check_all("generated", &text, Dialect::Upstream, &mut counts);
        assert!(failures.is_empty(), "{text:?}\n{}", failures.join("\n"));
    }
    for kind in [
        "rename key",
        "rename section",
        "move key",
        "delete duplicate",
        "semicolon to #",
        "double backslashes",
    ] {
        assert!(counts.get(kind).copied().unwrap_or(0) >= 5, "`{kind}`: {counts:?}");
    }
}

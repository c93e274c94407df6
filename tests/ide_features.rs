//! Hover, completion and inlay hints of `wslcfg::ide` on small documents,
//! each expected output checked against spec/keys.md and spec/passes.md;
//! and the property that no offset of any document makes them panic or
//! point outside the text.
//!
//! In the documents below, `$0` marks the cursor and is removed before the
//! analysis.

mod common;

use proptest::prelude::*;
use wslcfg::host::HostProfile;
use wslcfg::ide::{self, Analysis, CompletionKind};
use wslcfg::lint::LintOptions;
use wslcfg::registry::Dialect;
use wslcfg::syntax::Span;

fn options(dialect: Dialect, host: HostProfile) -> LintOptions {
    LintOptions {
        dialect,
        host,
        ..LintOptions::default()
    }
}

fn seed() -> LintOptions {
    options(Dialect::Seed, HostProfile::default())
}

fn upstream() -> LintOptions {
    options(Dialect::Upstream, HostProfile::default())
}

fn host(name: &str) -> HostProfile {
    common::host_fixtures()
        .into_iter()
        .find(|(stem, _)| stem == name)
        .unwrap_or_else(|| panic!("fixtures/hosts/{name}.json"))
        .1
}

/// The analysis of a document with a `$0` cursor, and the cursor's offset.
fn at(doc: &str, options: &LintOptions) -> (Analysis, usize) {
    let offset = doc.find("$0").expect("a $0 cursor");
    let text = doc.replacen("$0", "", 1);
    (Analysis::new("test.wslconfig", &text, options), offset)
}

fn snapshot(name: &str, text: String) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots/ide");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name.to_owned(), text));
}

// ------------------------------------------------------------------ hover

fn hover_text(doc: &str, options: &LintOptions) -> String {
    let (a, offset) = at(doc, options);
    match ide::hover(&a, offset) {
        Some(h) => format!("over `{}`\n\n{}\n", &a.decoded()[h.span.range()], h.markdown),
        None => "(no hover)\n".to_owned(),
    }
}

fn hover_md(doc: &str, options: &LintOptions) -> String {
    let (a, offset) = at(doc, options);
    ide::hover(&a, offset).expect("a hover").markdown
}

#[test]
fn hover_key_clamped_by_a_pass() {
    // passes.md §6.1: `processors=64` on the 16-processor default host → 16, PAS001.
    let md = hover_md("[wsl2]\nproce$0ssors=64\n", &seed());
    assert!(md.starts_with("**wsl2.processors** · integer"), "{md}");
    assert!(
        md.contains("Default on this host: `16` (0: every logical processor of the host)"),
        "{md}"
    );
    assert!(md.contains("P2 (processors)"), "{md}");
    assert!(md.contains("**Effective value:** `16`"), "{md}");
    assert!(md.contains("→ 64  (line 2: set as `wsl2.processors`)"), "{md}");
    assert!(
        md.contains("→ 16  (P2: clamped to the host's 16 logical processors (PAS001))"),
        "{md}"
    );
    assert!(
        md.ends_with("**PAS001** warning: 64 processors requested, the host has 16; the VM gets 16"),
        "{md}"
    );
    snapshot("hover_key_processors", hover_text("[wsl2]\nproce$0ssors=64\n", &seed()));
}

#[test]
fn hover_key_alias_and_virtio_fallback() {
    // The same document as the explain-fallback CLI case: an alias, then P11's fallback to Nat.
    let doc = "[experimental]\nnetworking$0Mode=virtioproxy\n[wsl2]\nvirtio=false\n";
    let md = hover_md(doc, &seed());
    assert!(md.starts_with("**wsl2.networkingMode** · enum"), "{md}");
    assert!(md.contains("Also written as: `experimental.networkingMode`"), "{md}");
    assert!(md.contains("P7 (networking mode policy)"), "{md}");
    assert!(
        md.contains("P10 (safe mode)") && md.contains("P11 (virtio master switch)"),
        "{md}"
    );
    // The same chain as `wslcfg explain` prints (tests/cmd/explain-fallback.stdout), with `line N`.
    assert!(
        md.contains(
            "→ \"Nat\"  (default: Nat, or the policy's DefaultNetworkingMode)\n\
         → \"VirtioProxy\"  (line 2: set as `experimental.networkingMode`)\n\
         → \"Nat\"  (P11: VirtioProxy needs virtio, which is off (PAS005))"
        ),
        "{md}"
    );
    snapshot("hover_key_networking_mode_fallback", hover_text(doc, &seed()));
}

#[test]
fn hover_key_default_depends_on_the_host() {
    // keys.md §3.1: nested virtualization defaults to true only on x64 with Windows 11.
    let doc = "[wsl2]\nnestedVirtualization$0=true\n";
    let x64 = hover_md(doc, &seed());
    assert!(
        x64.contains("Default on this host: `true` (true on x64 with Windows 11"),
        "{x64}"
    );
    let arm = hover_md(doc, &options(Dialect::Seed, host("arm64-win10")));
    assert!(
        arm.contains("Default on this host: `false` (true on x64 with Windows 11"),
        "{arm}"
    );
    // Memory: half of the host's 32 GiB on the default host.
    let md = hover_md("[wsl2]\nmem$0ory=8GB\n", &seed());
    assert!(
        md.contains("Default on this host: `16 GiB` (0: half of the host's memory)"),
        "{md}"
    );
    assert!(md.contains("**Effective value:** `8 GiB`"), "{md}");
}

#[test]
fn hover_unknown_and_misplaced_keys() {
    let md = hover_md("[wsl2]\nproc$0cessors=4\n", &seed());
    assert!(md.starts_with("`wsl2.proccessors` is not a `.wslconfig` key"), "{md}");
    assert!(
        md.contains("KEY001") && md.contains("did you mean `wsl2.processors`?"),
        "{md}"
    );
    // keys.md §3.6: no `wsl2.swiotlb`; lint says where it belongs.
    let md = hover_md("[wsl2]\nswio$0tlb=64M\n", &seed());
    assert!(md.contains("belongs in `[experimental]`"), "{md}");
    snapshot("hover_key_unknown", hover_text("[wsl2]\nproc$0cessors=4\n", &seed()));
}

#[test]
fn hover_duplicate_key_names_the_first() {
    // keys.md §1: the first occurrence wins.
    let md = hover_md("[wsl2]\nmemory=4GB\nMEM$0ORY=8GB\n", &seed());
    assert!(
        md.contains("Ignored: WSL keeps the first occurrence, `wsl2.memory` on line 2."),
        "{md}"
    );
    assert!(md.contains("**Effective value:** `4 GiB`"), "{md}");
}

#[test]
fn hover_key_on_a_skipped_line() {
    // A bad escape makes WSL drop the whole line (grammar.md §6.3, SYN006).
    let md = hover_md("[wsl2]\nker$0nel=C:\\Users\\k\n", &seed());
    assert!(md.starts_with("**wsl2.kernel** · path"), "{md}");
    assert!(md.contains("WSL skips this line") && md.contains("SYN006"), "{md}");
}

#[test]
fn hover_values() {
    let cases: &[(&str, &str, &str)] = &[
        // keys.md §2.3
        (
            "memory",
            "[wsl2]\nmemory=8G$0B\n",
            "`8GB` for `wsl2.memory`: 8 GiB = 8589934592 bytes",
        ),
        ("memory_bytes", "[wsl2]\nmemory=$0512\n", "512 bytes"),
        (
            "memory_invalid",
            "[wsl2]\nmemory=4g$0b\n",
            "not a valid memory size; WSL ignores it",
        ),
        ("swap_minus_one", "[wsl2]\nswap=$0-1\n", "2^64 − 1 means “compute”"),
        // keys.md §2.10: the seed range form.
        (
            "swiotlb_range",
            "[experimental]\nswiotlb=0x4000$00000,64M\n",
            "range form: base 0x40000000 (1 GiB, 1073741824 bytes), size 64 MiB = 67108864 bytes",
        ),
        // keys.md §2.1
        ("bool", "[wsl2]\nfirewall=TR$0UE\n", "boolean **true**"),
        ("bool_invalid", "[wsl2]\nfirewall=y$0es\n", "not a valid boolean"),
        // keys.md §2.2: a leading 0 is octal.
        ("int_octal", "[wsl2]\nprocessors=01$00\n", "integer **8** (octal"),
        ("int_hex", "[wsl2]\nprocessors=0x$010\n", "integer **16** (hexadecimal)"),
        ("timeout", "[wsl2]\nvmIdleTimeout=60$0000\n", "60000 ms = 60 s"),
        // keys.md §2.6: the canonical name in the seed dialect.
        ("enum", "[wsl2]\nnetworkingMode=mirr$0ored\n", "**Mirrored**"),
        // keys.md §2.9: bad pieces are dropped.
        (
            "ports",
            "[experimental]\nignoredPorts=80,$0x,0,443\n",
            "ports **80, 443**",
        ),
        (
            "mac",
            "[wsl2]\nmacAddress=00-15-5d-01-02$0-03\n",
            "MAC address **00:15:5D:01:02:03**",
        ),
        // grammar.md §6: the quotes and escapes resolved.
        (
            "quoted_path",
            r#"[wsl2]
kernel="C:\\k\\bz$0Image""#,
            r#"`"C:\\k\\bzImage"` for `wsl2.kernel`: path `C:\k\bzImage`"#,
        ),
    ];
    let mut all = String::new();
    for (name, doc, expected) in cases {
        let text = hover_text(doc, &seed());
        assert!(text.contains(expected), "{name}: {text}");
        all.push_str(&format!("## {name}: {}\n{text}\n", doc.trim_end().replace('\n', "⏎")));
    }
    snapshot("hover_values", all);
}

#[test]
fn hover_values_changed_by_a_pass_or_ignored() {
    let md = hover_md("[wsl2]\nprocessors=6$04\n", &seed());
    assert!(
        md.ends_with(
            "integer **64**\n\n**In effect:** `16` (P2: clamped to the host's 16 logical processors (PAS001))"
        ),
        "{md}"
    );
    let md = hover_md("[wsl2]\nmemory=4GB\nmemory=8$0GB\n", &seed());
    assert!(
        md.ends_with("8 GiB = 8589934592 bytes\n\nIgnored: WSL keeps the first occurrence, `wsl2.memory` on line 2."),
        "{md}"
    );
    let md = hover_md("[wsl2]\nmemory=8$0GB\n", &seed());
    assert!(!md.contains("In effect"), "{md}");
}

#[test]
fn hover_values_in_the_upstream_dialect() {
    // keys.md §2.6: mode 4 is named Consomme upstream; VirtioProxy is its alias.
    let md = hover_md("[wsl2]\nnetworkingMode=Virtio$0Proxy\n", &upstream());
    assert!(
        md.contains(
            "**Consomme** (value 4: `VirtioProxy` in the seed dialect, `Consomme` upstream; both names are accepted)"
        ),
        "{md}"
    );
    // keys.md §3.7: a seed range is accepted upstream too.
    let md = hover_md("[experimental]\nswiotlb=0x1$00,64K\n", &upstream());
    assert!(
        md.contains("range form: base 0x10 (16 bytes), size 64 KiB = 65536 bytes"),
        "{md}"
    );
    assert!(md.contains("(the seed form, accepted in both dialects)"), "{md}");
    let md = hover_md("[experimental]\nswiotlb=12$08M\n", &upstream());
    assert!(md.contains("size form: 128 MiB = 134217728 bytes"), "{md}");
}

#[test]
fn hover_sections() {
    let md = hover_md("[ws$0l2]\nmemory=4GB\n", &seed());
    assert!(md.starts_with("**[wsl2]** — section of `.wslconfig`"), "{md}");
    assert!(md.contains("1 of them set in this file"), "{md}");
    // A /etc/wsl.conf section: lint's LNT002 explains.
    let text = hover_text("[bo$0ot]\nsystemd=true\n", &seed());
    assert!(text.contains("LNT002"), "{text}");
    snapshot(
        "hover_sections",
        hover_text("[$0experimental]\n", &seed()) + "\n" + &text,
    );
}

#[test]
fn no_hover_on_comments_spaces_and_nothing() {
    for doc in [
        "# memory=4GB$0\n",
        "$0\n",
        "[wsl2]\n   $0  memory=4GB\n",
        "$0",
        "[wsl2]\nmemory=4GB\n$0",
    ] {
        assert_eq!(hover_text(doc, &seed()), "(no hover)\n", "{doc:?}");
    }
}

// ------------------------------------------------------------------ completion

fn completion_text(doc: &str, options: &LintOptions) -> String {
    let (a, offset) = at(doc, options);
    let mut out = String::new();
    for c in ide::complete(&a, offset) {
        out.push_str(&format!(
            "{:?} {} -> {:?} over {:?}\n    detail: {}\n",
            c.kind,
            c.label,
            c.insert,
            &a.decoded()[c.replace.range()],
            c.detail.unwrap_or_default(),
        ));
        if let Some(doc) = c.documentation {
            out.push_str(&format!("    doc: {}\n", doc.replace('\n', " ")));
        }
    }
    out
}

fn labels(doc: &str, options: &LintOptions) -> Vec<String> {
    let (a, offset) = at(doc, options);
    ide::complete(&a, offset).into_iter().map(|c| c.label).collect()
}

#[test]
fn complete_sections_after_a_bracket() {
    assert_eq!(labels("[$0", &seed()), ["wsl2", "general", "experimental"]);
    let (a, offset) = at("[wsl2]\nmemory=4GB\n  [exp$0\n", &seed());
    let items = ide::complete(&a, offset);
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|c| c.kind == CompletionKind::Section));
    // The partial word is replaced, and the missing `]` added.
    assert_eq!(&a.decoded()[items[2].replace.range()], "exp");
    assert_eq!(items[2].insert, "experimental]");
    let (a, offset) = at("[ex$0]\n", &seed());
    assert_eq!(ide::complete(&a, offset)[2].insert, "experimental");
    snapshot("complete_sections", completion_text("[$0", &seed()));
}

#[test]
fn complete_keys_of_the_section_not_set_yet() {
    let doc = "[wsl2]\nmemory=4GB\n[experimental]\nsparseVhd=true\n[wsl2]\nproc$0\nswap=0\n";
    let got = labels(doc, &seed());
    // Every wsl2 key but the two set (keys.md §3.1–§3.4), each once; an alias set elsewhere counts.
    assert!(
        !got.contains(&"memory".to_owned()) && !got.contains(&"swap".to_owned()),
        "{got:?}"
    );
    assert!(got.contains(&"processors".to_owned()) && got.contains(&"networkingMode".to_owned()));
    assert_eq!(got.len(), 43 - 2, "{got:?}");
    let (a, offset) = at(doc, &seed());
    let items = ide::complete(&a, offset);
    let p = items.iter().find(|c| c.label == "processors").unwrap();
    assert_eq!(&a.decoded()[p.replace.range()], "proc");
    assert_eq!(p.insert, "processors=");
    assert_eq!(p.kind, CompletionKind::Key);
    assert_eq!(
        p.detail.as_deref(),
        Some("integer, default 16 (0: every logical processor of the host)")
    );
    assert_eq!(
        p.documentation.as_deref(),
        Some("Number of virtual processors; above the host's count it is clamped.")
    );
    snapshot("complete_keys_wsl2", completion_text(doc, &seed()));
}

#[test]
fn complete_keys_in_experimental_and_aliases() {
    // The four aliased keys are accepted under [experimental] (keys.md §3.4), once each;
    // one set under [wsl2] is not offered again.
    let doc = "[wsl2]\nfirewall=false\n[experimental]\n$0\n";
    let got = labels(doc, &seed());
    assert!(got.contains(&"networkingMode".to_owned()) && got.contains(&"dnsTunneling".to_owned()));
    assert!(!got.contains(&"firewall".to_owned()), "{got:?}");
    assert_eq!(got.len(), 10 + 4 - 1, "{got:?}");
    snapshot("complete_keys_experimental", completion_text(doc, &seed()));
    // The key being edited on this line is offered again.
    let got = labels("[wsl2]\nmem$0ory=4GB\n", &seed());
    assert!(got.contains(&"memory".to_owned()));
    let (a, offset) = at("[wsl2]\nmem$0ory=4GB\n", &seed());
    let m = ide::complete(&a, offset)
        .into_iter()
        .find(|c| c.label == "memory")
        .unwrap();
    assert_eq!(m.insert, "memory", "no second `=`");
}

#[test]
fn complete_nothing_for_wsl_conf_and_outside_sections() {
    // Keys of /etc/wsl.conf are never offered.
    for doc in [
        "[boot]\n$0\n",
        "[automount]\nena$0\n",
        "[network]\ngenerateResolvConf=$0\n",
        "$0\n",
        "mem$0\n[wsl2]\n",
        "[wsl2]\n# mem$0\n",
        "[wsl2]\nkernelCommandLine=a \\\n  b$0\n",
        "[wsl2]\nmemory=\"4$0\n",
    ] {
        assert_eq!(labels(doc, &seed()), Vec::<String>::new(), "{doc:?}");
    }
}

#[test]
fn complete_values_after_equals() {
    // keys.md §2.6: one name per value, in the document's dialect.
    let doc = "[wsl2]\nnetworkingMode=$0\n";
    assert_eq!(
        labels(doc, &seed()),
        ["None", "Nat", "Bridged", "Mirrored", "VirtioProxy"]
    );
    assert_eq!(
        labels(doc, &upstream()),
        ["None", "Nat", "Bridged", "Mirrored", "Consomme"]
    );
    assert_eq!(
        labels("[experimental]\nautoMemoryReclaim = $0\n", &seed()),
        ["Disabled", "Gradual", "DropCache"]
    );
    let (a, offset) = at("[wsl2]\nfirewall= fa$0\n", &seed());
    let items = ide::complete(&a, offset);
    assert_eq!(
        items.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(),
        ["true", "false"]
    );
    assert_eq!(&a.decoded()[items[1].replace.range()], "fa");
    assert_eq!(items[0].detail.as_deref(), Some("boolean (default on this host)"));
    // No list for free-form values.
    assert!(labels("[wsl2]\nmemory=$0\n", &seed()).is_empty());
    snapshot(
        "complete_values",
        completion_text(doc, &upstream()) + "\n" + &completion_text("[wsl2]\nfirewall= fa$0\n", &seed()),
    );
}

// ------------------------------------------------------------------ inlay hints

/// The document with every hint written in at its offset as `⟨label⟩`.
fn inlay_text(text: &str, options: &LintOptions) -> String {
    let a = Analysis::new("test.wslconfig", text, options);
    let doc = a.decoded();
    let mut out = String::new();
    let mut last = 0;
    for h in ide::inlay_hints(&a) {
        out.push_str(&doc[last..h.offset as usize]);
        out.push_str(&format!("⟨{}⟩", h.label));
        last = h.offset as usize;
    }
    out.push_str(&doc[last..]);
    out
}

#[test]
fn inlay_hints_show_effective_values_and_sizes() {
    // passes.md §6.1 worked examples on the default host.
    let doc = "[wsl2]\nprocessors=32\nmemory=8GB\nswap=-1\ndefaultVhdSize=1000000000\n";
    assert_eq!(
        inlay_text(doc, &seed()),
        "[wsl2]\nprocessors=32⟨→ 16, clamped to the host's 16 logical processors⟩\n\
         memory=8GB⟨8 GiB = 8589934592 bytes⟩\n\
         swap=-1⟨→ 2 GiB, a quarter of the VM memory, rounded up to a whole GB⟩\n\
         defaultVhdSize=1000000000⟨1000000000 bytes ≈ 953.67 MiB⟩\n"
    );
    let doc = "[wsl2]\nnetworkingMode=VirtioProxy\nvirtio=false\nmemory=100MB\n\
               [experimental]\nswiotlb=0x40000000,64M\nignoredPorts=80\n";
    assert_eq!(
        inlay_text(doc, &seed()),
        "[wsl2]\nnetworkingMode=VirtioProxy⟨→ Nat, VirtioProxy needs virtio, which is off⟩\nvirtio=false\n\
         memory=100MB⟨→ 256 MiB, clamped to [256MB, host memory 34359738368]⟩\n\
         [experimental]\nswiotlb=0x40000000,64M⟨unused: virtio is off: no bounce buffers⟩\n\
         ignoredPorts=80⟨unused: only used in Mirrored mode⟩\n"
    );
    // P1.1: Mirrored keeps the firewall on.
    assert_eq!(
        inlay_text("[wsl2]\nnetworkingMode=Mirrored\nfirewall=false\n", &seed()),
        "[wsl2]\nnetworkingMode=Mirrored\n\
         firewall=false⟨→ true, the file's networking mode is Mirrored, which keeps the Hyper-V firewall on⟩\n"
    );
}

#[test]
fn inlay_hints_for_swiotlb_and_invalid_values() {
    // P13 never gates a user value, but with Nat and no virtiofs no device takes it.
    assert_eq!(
        inlay_text("[experimental]\nswiotlb=0x40000000,64M\n", &seed()),
        "[experimental]\nswiotlb=0x40000000,64M⟨unused: no virtio device needs it⟩\n"
    );
    assert_eq!(
        inlay_text(
            "[wsl2]\nvirtiofs=true\n[experimental]\nswiotlb=0x40000000,64M\n",
            &seed()
        ),
        "[wsl2]\nvirtiofs=true\n[experimental]\nswiotlb=0x40000000,64M⟨base 0x40000000, size 64 MiB = 67108864 bytes⟩\n"
    );
    assert_eq!(
        inlay_text("[wsl2]\nvirtiofs=true\n[experimental]\nswiotlb=128M\n", &upstream()),
        "[wsl2]\nvirtiofs=true\n[experimental]\nswiotlb=128M⟨128 MiB = 134217728 bytes⟩\n"
    );
    // An invalid value leaves the default (keys.md §1).
    assert_eq!(
        inlay_text("[wsl2]\nmemory=4gb\n", &seed()),
        "[wsl2]\nmemory=4gb⟨→ 16 GiB, the invalid value is ignored⟩\n"
    );
    let a = Analysis::new("t", "[wsl2]\nprocessors=32\n", &seed());
    let hint = &ide::inlay_hints(&a)[0];
    assert_eq!(
        hint.tooltip.as_deref(),
        Some(
            "→ 0  (default: 0: every logical processor of the host)\n\
             → 32  (line 2: set as `wsl2.processors`)\n\
             → 16  (P2: clamped to the host's 16 logical processors (PAS001))"
        )
    );
}

#[test]
fn inlay_snapshot_of_the_corpus() {
    // Every hint of the corpus that is more than a byte size: each one a pass's change or an
    // ignored value, checked against passes.md §2 when the snapshot changes.
    let mut all = String::new();
    let mut sizes = 0;
    for f in common::corpus_files() {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
        let shown = inlay_text(&text, &seed());
        sizes += shown.matches(" bytes⟩").count();
        let changed: Vec<&str> = shown
            .lines()
            .filter(|l| l.contains("⟨→") || l.contains("⟨unused"))
            .collect();
        if !changed.is_empty() {
            all.push_str(&format!("## {}\n{}\n", common::stem(&f), changed.join("\n")));
        }
    }
    assert!(sizes > 200, "memory sizes of the corpus: {sizes}");
    snapshot("inlay_corpus", all);
}

// ------------------------------------------------------------------ robustness

fn check_everywhere(text: &str, options: &LintOptions) {
    let a = Analysis::new("t", text, options);
    let doc = a.decoded();
    let inside = |s: Span| s.start <= s.end && (s.end as usize) <= doc.len();
    for offset in 0..=doc.len() + 2 {
        // The cursor as the features see it: in the text, on a character boundary.
        let mut cursor = offset.min(doc.len());
        while !doc.is_char_boundary(cursor) {
            cursor -= 1;
        }
        if let Some(h) = ide::hover(&a, offset) {
            assert!(inside(h.span), "hover span {:?} at {offset} in {text:?}", h.span);
            assert!(
                h.span.start as usize <= cursor && cursor <= h.span.end as usize,
                "hover span {:?} away from {offset} in {text:?}",
                h.span
            );
            assert!(!h.markdown.is_empty());
        }
        for c in ide::complete(&a, offset) {
            assert!(inside(c.replace), "replace {:?} at {offset} in {text:?}", c.replace);
            assert!(doc.is_char_boundary(c.replace.start as usize) && doc.is_char_boundary(c.replace.end as usize));
            assert_eq!(c.replace.end as usize, cursor, "the replaced word ends at the cursor");
        }
    }
    for h in ide::inlay_hints(&a) {
        assert!(h.offset as usize <= doc.len() && doc.is_char_boundary(h.offset as usize));
    }
}

#[test]
fn every_offset_of_every_corpus_file() {
    let files = common::corpus_files();
    assert!(files.len() > 200);
    for f in files {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
        check_everywhere(&text, &seed());
    }
}

#[test]
fn a_document_over_the_size_limit() {
    // lint refuses it (LNT007): no configuration, no effective values; the registry still answers.
    let small = LintOptions { max_size: 10, ..seed() };
    let (a, offset) = at("[wsl2]\nproc$0essors=64\n", &small);
    assert!(a.report.effective.is_none());
    let md = ide::hover(&a, offset).unwrap().markdown;
    assert!(
        md.starts_with("**wsl2.processors**") && !md.contains("Effective"),
        "{md}"
    );
    assert!(ide::inlay_hints(&a).is_empty());
    assert_eq!(labels("[wsl2]\n$0\n", &small).len(), 43);
    check_everywhere("[wsl2]\nmemory=8GB\n[experimental]\nswiotlb=64M\n", &small);
}

#[test]
fn awkward_documents() {
    for text in [
        "",
        "\u{FEFF}[wsl2]\nmemory=8GB\n",
        "[wsl2]\nkernelCommandLine=a\\\n b\\\r\n c\n",
        "[wsl2]\nmemory=\"8GB\"\r\nswap=é4GB\rprocessors=４\n",
        "[wsl2]\nmemory=8GB",
        "[",
        "[wsl2",
        "[wsl2]x\nkey",
        "=\n[]\n[é]\nü=1\n",
        "[wsl2]\nmacAddress=zz\nmemory=4GB\n",
        "[wsl2]\r\r\nmemory=4GB\\",
        "\0[wsl2]\0\nmemory=\0\n",
    ] {
        check_everywhere(text, &seed());
        check_everywhere(text, &upstream());
    }
}

proptest! {
    #[test]
    fn random_documents(text in "(\\[[a-z0-9é]{0,8}\\]?|[a-zA-Z]{0,12}|=|[ \t]|\"|\\\\|#|;|[0-9xXMGKB,]{0,6}|\r|\n|\u{FEFF}|é|\u{1F600}){0,40}") {
        check_everywhere(&text, &seed());
    }

    #[test]
    fn random_edits_of_corpus_files(index in 0usize..236, cut in 0usize..4000, insert in "[\\[\\]=a-z\n\\\\\" é]{0,6}") {
        let files = common::corpus_files();
        let f = &files[index % files.len()];
        let mut text = String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned();
        let mut at = cut.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.insert_str(at, &insert);
        check_everywhere(&text, &upstream());
    }
}

// ------------------------------------------------------------------ shared with `wslcfg explain`

#[test]
fn explain_text_is_the_cli_output() {
    // The library text `wslcfg explain` prints (tests/cmd/explain-fallback.*).
    let case = std::fs::read_to_string(common::root().join("tests/cmd/explain-fallback.toml")).unwrap();
    assert!(case.contains("virtio=false"));
    let text = "[experimental]\nnetworkingMode=virtioproxy\n[wsl2]\nvirtio=false\n";
    let report = wslcfg::lint::lint_bytes("-", text.as_bytes().to_vec(), &seed());
    let key = wslcfg::registry::lookup("wsl2.networkingMode").unwrap();
    let expected = std::fs::read_to_string(common::root().join("tests/cmd/explain-fallback.stdout")).unwrap();
    assert_eq!(ide::explain_text(&report, key, "-").unwrap(), expected);
    // The hover shows the same chain, with `line N` for the file.
    let a = Analysis::new("-", text, &seed());
    let md = ide::hover(&a, text.find("Mode").unwrap()).unwrap().markdown;
    for line in expected.lines().filter(|l| l.trim_start().starts_with('→')) {
        assert!(
            md.contains(&line.trim_start().replace("-:2:", "line 2:")),
            "{line}\n{md}"
        );
    }
}

#[test]
fn offsets_point_into_the_decoded_text_without_a_bom() {
    let a = Analysis::new("t", "\u{FEFF}[wsl2]\nmemory=8GB\n", &seed());
    assert_eq!(a.decoded(), "[wsl2]\nmemory=8GB\n");
    let h = ide::hover(&a, 8).unwrap();
    assert_eq!(&a.decoded()[h.span.range()], "memory");
    let hints = ide::inlay_hints(&a);
    assert_eq!(hints.len(), 1);
    assert_eq!(hints[0].offset as usize, a.decoded().len() - 1);
    // Inside a multi-byte character: the offset is taken back to its start.
    let a = Analysis::new("t", "[wsl2]\nkernelCommandLine=é\n", &seed());
    let inside = a.decoded().find('é').unwrap() + 1;
    let md = ide::hover(&a, inside).unwrap().markdown;
    assert!(
        md.starts_with("`é` for `wsl2.kernelCommandLine`") && md.contains("low 8 bits"),
        "{md}"
    );
    assert!(ide::complete(&a, inside).is_empty());
}

//! Text synchronisation: full and incremental changes, UTF-16 and UTF-8
//! positions, line ends, a BOM; every corpus file and random edit sequences
//! driven through didOpen/didChange, the server's copy checked against the
//! text the test applied the same edits to, and every answer checked.

mod common;
mod lsp_client;

use lsp_client::{Client, URI, at, capabilities, position_of};
use proptest::prelude::*;
use serde_json::{Value, json};
use wslcfg::lint::{LintOptions, lint_bytes};

/// An incremental change replacing bytes `start..end` of `text` (UTF-16 positions).
fn edit(text: &str, start: usize, end: usize, new_text: &str) -> Value {
    json!({"range": {"start": position_of(text, start), "end": position_of(text, end)}, "text": new_text})
}

/// Checks the published diagnostics against lint's records for the same text:
/// same ids in the same order, each starting where lint's span starts.
fn check_diagnostics(text: &str, published: &[Value]) {
    let report = lint_bytes("x", text.as_bytes().to_vec(), &LintOptions::default());
    let ids: Vec<&str> = published.iter().map(|d| d["code"].as_str().unwrap()).collect();
    let expected: Vec<&str> = report.diagnostics.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, expected);
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    for (d, p) in report.diagnostics.iter().zip(published) {
        if let Some(span) = d.span {
            assert_eq!(
                p["range"]["start"],
                position_of(text, span.start as usize + bom),
                "{d:?}"
            );
            assert_eq!(p["range"]["end"], position_of(text, span.end as usize + bom), "{d:?}");
        }
    }
}

#[test]
fn full_sync() {
    let mut client = Client::start_default();
    client.open(URI, "[wsl2]\nmemory=8GB\n");
    let text = "[wsl2]\nmemroy=8GB\nswap=bad\n";
    client.change(URI, 2, json!([{"text": text}]));
    check_diagnostics(text, &client.diagnostics(URI, 2));
    assert_eq!(client.server_text(URI), (2, text.to_owned()));
    assert_eq!(client.shutdown(), Ok(true));
}

#[test]
fn incremental_sync_with_utf16_positions() {
    let mut client = Client::start_default();
    let mut text = String::from("# ünïcödé 😀 notes\n[wsl2]\nkernelCommandLine=é😀\\q\nmemory=8GB\n");
    check_diagnostics(&text, &client.open(URI, &text));
    let steps: Vec<(&str, &str)> = vec![
        ("8GB", "4GB"),         // after multi-byte lines
        ("😀 notes", "🎉🎉 x"), // replace a surrogate pair with two
        ("\\q", "\\\\q"),       // fix the escape right after an emoji
        ("é", ""),              // delete a 2-byte character
    ];
    for (v, (old, new)) in steps.into_iter().enumerate() {
        let start = at(&text, old);
        let change = edit(&text, start, start + old.len(), new);
        text.replace_range(start..start + old.len(), new);
        let version = v as i64 + 2;
        client.change(URI, version, json!([change]));
        check_diagnostics(&text, &client.diagnostics(URI, version));
        assert_eq!(client.server_text(URI), (version, text.clone()));
    }
    // Several changes in one notification apply in order, each against the
    // text left by the one before.
    let mut changes = Vec::new();
    for (old, new) in [("[wsl2]", "[wsl2]\nswap=0"), ("4GB", "😀"), ("# ", "## ")] {
        let start = at(&text, old);
        changes.push(edit(&text, start, start + old.len(), new));
        text.replace_range(start..start + old.len(), new);
    }
    client.change(URI, 10, Value::Array(changes));
    check_diagnostics(&text, &client.diagnostics(URI, 10));
    assert_eq!(client.server_text(URI), (10, text.clone()));
    assert_eq!(client.shutdown(), Ok(true));
}

#[test]
fn incremental_sync_with_utf8_positions() {
    let mut client = Client::start(json!({
        "capabilities": capabilities(json!({"general": {"positionEncodings": ["utf-8"]}}))
    }));
    let text = "# 😀é\n[wsl2]\nbad=1 # 😀\n";
    let published = client.open(URI, text);
    // `bad` starts at byte column 0 of line 2; the comment after it is at byte 8.
    assert_eq!(published[0]["range"]["start"], json!({"line": 2, "character": 0}));
    // Replace the emoji of line 0 (bytes 2..6) by `x`, in byte columns.
    client.change(
        URI,
        2,
        json!([{"range": {"start": {"line": 0, "character": 2}, "end": {"line": 0, "character": 6}}, "text": "x"},
               {"range": {"start": {"line": 2, "character": 8}, "end": {"line": 2, "character": 12}}, "text": "ok"}]),
    );
    client.diagnostics(URI, 2);
    assert_eq!(client.server_text(URI).1, "# xé\n[wsl2]\nbad=1 # ok\n");
    assert_eq!(client.shutdown(), Ok(true));
}

#[test]
fn line_ends_and_bom() {
    let mut client = Client::start_default();
    // CR LF, a lone CR and LF all end lines; the BOM is one UTF-16 unit.
    let mut text = String::from("\u{feff}[wsl2]\r\nmemroy=8GB\rswap=x\nproc=1");
    check_diagnostics(&text, &client.open(URI, &text));
    for (v, (old, new)) in [
        ("memroy", "memory"),
        ("8GB\r", "8GB\r\n"),
        ("proc", "processors"),
        ("\u{feff}", ""),
    ]
    .into_iter()
    .enumerate()
    {
        let start = at(&text, old);
        let change = edit(&text, start, start + old.len(), new);
        text.replace_range(start..start + old.len(), new);
        client.change(URI, v as i64 + 2, json!([change]));
        check_diagnostics(&text, &client.diagnostics(URI, v as i64 + 2));
        assert_eq!(client.server_text(URI).1, text);
    }
    assert_eq!(client.shutdown(), Ok(true));
}

#[test]
fn positions_out_of_range_are_clamped() {
    let mut client = Client::start_default();
    client.open(URI, "[wsl2]\nmemory=8GB\n");
    // Past the end of a line: its end; past the last line: the end of the text.
    client.change(
        URI,
        2,
        json!([{"range": {"start": {"line": 0, "character": 99}, "end": {"line": 0, "character": 120}}, "text": " # s"},
               {"range": {"start": {"line": 40, "character": 0}, "end": {"line": 50, "character": 3}}, "text": "swap=0\n"},
               // Reversed range: put in order.
               {"range": {"start": {"line": 1, "character": 10}, "end": {"line": 1, "character": 7}}, "text": "1GB"}]),
    );
    client.diagnostics(URI, 2);
    assert_eq!(client.server_text(URI).1, "[wsl2] # s\nmemory=1GB\nswap=0\n");
    assert_eq!(client.shutdown(), Ok(true));
}

/// `i` moved back to a place an LSP position can name: a character
/// boundary, not between the CR and the LF of a CR LF.
fn fix(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    if text[..i].ends_with('\r') && text[i..].starts_with('\n') {
        i -= 1;
    }
    i
}

/// A deterministic generator (xorshift) for the corpus edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A char boundary of `text`.
    fn boundary(&mut self, text: &str) -> usize {
        fix(text, self.below(text.len() + 1))
    }
}

const SNIPPETS: &[&str] = &[
    "",
    "x",
    "=",
    "[",
    "]",
    "\n",
    "\r\n",
    "\r",
    "\\",
    "\"",
    "#",
    ";",
    "é",
    "😀",
    "[wsl2]\n",
    "memory=8GB",
    "\\\n",
    "networkingMode=",
    "true",
    "\u{feff}",
    "\0",
];

#[test]
fn every_corpus_file_and_edits_on_it() {
    let files = common::corpus_files();
    assert!(files.len() > 200, "the corpus is there");
    let mut client = Client::start_default();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for (n, path) in files.iter().enumerate() {
        let uri = format!("file:///corpus/{n}.wslconfig");
        // The text an editor shows: the file decoded as WSL decodes it.
        let source = wslcfg::syntax::Source::decode(std::fs::read(path).unwrap());
        let mut text = source.text.clone();
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "wslconfig", "version": 1, "text": text}}),
        );
        check_diagnostics(&text, &client.diagnostics(&uri, 1));
        // Features at a few places of the file.
        for _ in 0..3 {
            let offset = rng.boundary(&text);
            probe(&mut client, &uri, &text, offset);
        }
        // Five incremental changes, one version each.
        for v in 2..=6 {
            let a = rng.boundary(&text);
            let b = rng.boundary(&text);
            let start = a.min(b);
            let end = fix(&text, a.max(b).min(start + 40)).max(start);
            let new = SNIPPETS[rng.below(SNIPPETS.len())];
            let change = edit(&text, start, end, new);
            text.replace_range(start..end, new);
            client.change(&uri, v, json!([change]));
        }
        check_diagnostics(&text, &client.diagnostics(&uri, 6));
        let offset = rng.boundary(&text);
        probe(&mut client, &uri, &text, offset);
        let (version, server_text) = client.server_text(&uri);
        assert_eq!((version, &server_text), (6, &text), "{}", path.display());
        client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    }
    assert_eq!(client.shutdown(), Ok(true));
}

/// Asks every feature at `offset` and checks each answers without error.
fn probe(client: &mut Client, uri: &str, text: &str, offset: usize) {
    let position = position_of(text, offset);
    let all = json!({"start": {"line": 0, "character": 0}, "end": position_of(text, text.len())});
    for (method, params) in [
        (
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": position}),
        ),
        (
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": position}),
        ),
        (
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": all}),
        ),
        (
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": position, "end": position}, "context": {"diagnostics": []}}),
        ),
        (
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": all, "context": {"diagnostics": []}}),
        ),
    ] {
        if let Err(e) = client.request(method, params) {
            panic!("{method} at {offset} failed: {e:?}\n{text:?}");
        }
    }
}

/// One edit of a generated sequence: where (fractions of the text) and what.
#[derive(Clone, Debug)]
struct Edit {
    start: f64,
    len: usize,
    text: String,
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let piece = prop_oneof![
        proptest::sample::select(SNIPPETS.to_vec()).prop_map(str::to_owned),
        "[a-z=\\[\\]#\\\\\" \\n\\r]{0,8}",
        "[\\PC]{0,4}",
    ];
    proptest::collection::vec(
        (0.0..=1.0f64, 0usize..12, piece).prop_map(|(start, len, text)| Edit { start, len, text }),
        1..24,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_edit_sequences_keep_the_server_in_step(
        start in proptest::sample::select(vec![
            "",
            "[wsl2]\nmemory=8GB\nprocessors=4\n",
            "# é😀\r\n[wsl2]\r\nkernelCommandLine=\"a \\\\ b\" # c\r\nswap=0\r\n[experimental]\r\nnetworkingMode=mirrored",
            "\u{feff}[wsl2]\nguiApplications=tru\nmemory=8GB\nmemory=4GB\n",
        ]),
        edits in edits(),
        batch in any::<bool>(),
    ) {
        let mut client = Client::start_default();
        let mut text = start.to_owned();
        client.open(URI, &text);
        let mut changes = Vec::new();
        let mut version = 1;
        for e in &edits {
            let s = fix(&text, ((text.len() as f64) * e.start) as usize);
            let end = fix(&text, s + e.len).max(s);
            changes.push(edit(&text, s, end, &e.text));
            text.replace_range(s..end, &e.text);
            if !batch {
                version += 1;
                client.change(URI, version, Value::Array(std::mem::take(&mut changes)));
            }
        }
        if batch {
            version += 1;
            client.change(URI, version, Value::Array(changes));
        }
        check_diagnostics(&text, &client.diagnostics(URI, version));
        prop_assert_eq!(client.server_text(URI), (version, text.clone()));
        probe(&mut client, URI, &text, fix(&text, text.len() / 2));
        prop_assert_eq!(client.shutdown(), Ok(true));
    }
}

#[test]
fn a_large_document_under_the_limit() {
    // About 1 MB, 60 000 lines: comments with emoji, CR LF, duplicates (KEY002), a few unknown keys.
    let mut text = String::from("[wsl2]\r\n");
    let mut n = 0;
    while text.len() < 1 << 20 {
        n += 1;
        text.push_str(&format!("# 😀 {n}\r\nmemory={n}GB\r\n"));
        if n % 64 == 0 {
            text.push_str(&format!("key{n}=x\r\n"));
        }
    }
    let report = lint_bytes("x", text.as_bytes().to_vec(), &LintOptions::default());
    let mut client = Client::start_default();
    let published = client.open(URI, &text);
    assert_eq!(published.len(), report.diagnostics.len());
    assert!(published.len() > 20_000);
    // The last record's position, counted independently.
    let last = report.diagnostics.iter().rev().find(|d| d.span.is_some()).unwrap();
    let p = published.iter().rev().find(|p| p["code"] == last.id.as_str()).unwrap();
    assert_eq!(
        p["range"]["start"],
        position_of(&text, last.span.unwrap().start as usize)
    );
    // An edit at the end, then features in the middle.
    let end = text.len();
    client.change(URI, 2, json!([edit(&text, end, end, "[experimental]\r\n")]));
    text.push_str("[experimental]\r\n");
    assert_eq!(client.diagnostics(URI, 2).len(), report.diagnostics.len());
    probe(&mut client, URI, &text, fix(&text, text.len() / 2));
    assert_eq!(client.server_text(URI).1, text);
    assert_eq!(client.shutdown(), Ok(true));
}

//! Property tests of the front end (syntax → bind → lint) on arbitrary bytes,
//! and deterministic tests on very large inputs.
//!
//! The properties:
//! * parsing never panics, and the tree is lossless: its tokens are non-empty,
//!   contiguous and cover the decoded text exactly, the lines partition the
//!   text, and the file's bytes come back from the lines' source bytes plus
//!   the byte order mark;
//! * binding (both dialects) and `lint_bytes` never panic; every diagnostic
//!   with a line has a line ≥ 1 that is consistent with the text before its
//!   span, and a span inside the text on character boundaries;
//! * line numbers follow grammar.md §8 (every LF counts, a lone CR only where
//!   it ends a header or a value), and the scanner's events and the binder's
//!   and lint's diagnostics come in file order (diagnostics.md §8);
//! * the runtime byte scanner (`syntax::parse`, src/syntax/lexer.rs) gives
//!   exactly the tree and the events (every token, line, section, entry and
//!   SYN diagnostic, all fields) of the pest grammar (`syntax::parse_pest`,
//!   grammar/wslconfig.pest), on every generated input, every corpus file and
//!   the fixed and large cases below;
//! * the scanner agrees with an independent character-at-a-time transcription
//!   of grammar.md §3–§9 and quirks Q1–Q4 on every section, entry (full key,
//!   value, line) and SYN diagnostic;
//! * the JSON and SARIF renderings of a lint report never panic and parse.
//!
//! `PROPTEST_CASES=N` raises the number of cases of every property, e.g. for
//! a longer search in the release profile.

use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use wslcfg::bind;
use wslcfg::diag::{DiagId, Diagnostic};
use wslcfg::lint::{LintOptions, lint_bytes};
use wslcfg::registry::{Dialect, KEYS};
use wslcfg::syntax::{self, Encoding, Event, LineKind, Parse, Source, Span, TokenKind};

const DIALECTS: [Dialect; 2] = [Dialect::Seed, Dialect::Upstream];

// ------------------------------------------------------------------ checks

fn count(text: &str, b: u8) -> u32 {
    text.bytes().filter(|&c| c == b).count() as u32
}

fn bom_bytes(encoding: Encoding) -> &'static [u8] {
    match encoding {
        Encoding::Utf8 => b"",
        Encoding::Utf8Bom => b"\xEF\xBB\xBF",
        Encoding::Utf16LeBom => b"\xFF\xFE",
    }
}

/// A span lies inside the text, on character boundaries.
fn check_span(text: &str, span: Span, what: &str) {
    assert!(span.start <= span.end, "{what}: reversed span {span:?}");
    assert!(
        span.end as usize <= text.len(),
        "{what}: span {span:?} past the end of the text ({} bytes)",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start as usize) && text.is_char_boundary(span.end as usize),
        "{what}: span {span:?} splits a character"
    );
}

/// A line number is at least 1 + the LFs before `offset`, and at most 1 + every
/// LF and CR of the file (grammar.md §8: LFs always count, a lone CR sometimes).
fn check_line(text: &str, line: u32, offset: u32, what: &str) {
    let lf_before = count(&text[..offset as usize], b'\n');
    let max = 1 + count(text, b'\n') + count(text, b'\r');
    assert!(line >= 1, "{what}: line {line} < 1");
    assert!(
        line > lf_before,
        "{what}: line {line} but {lf_before} LFs come before offset {offset}"
    );
    assert!(line <= max, "{what}: line {line} past the last possible line {max}");
}

fn check_diagnostic(source: &Source, d: &Diagnostic, what: &str) {
    let text = source.text.as_str();
    let what = format!("{what} {:?} `{}`", d.id, d.message());
    if let Some(span) = d.span {
        check_span(text, span, &what);
        assert!(source.column(span.start) >= 1);
    }
    if let Some(line) = d.line {
        check_line(text, line, d.span.map_or(0, |s| s.start), &what);
    }
    for r in &d.detail().related {
        check_span(text, r.span, &what);
        check_line(text, r.line, r.span.start, &what);
    }
}

/// Diagnostics with a line come in non-decreasing line order.
fn check_order(diagnostics: &[Diagnostic], what: &str) {
    let lines: Vec<u32> = diagnostics.iter().filter_map(|d| d.line).collect();
    if let Some(w) = lines.windows(2).find(|w| w[0] > w[1]) {
        let ids: Vec<(DiagId, Option<u32>)> = diagnostics.iter().map(|d| (d.id, d.line)).collect();
        panic!("{what}: line {} after line {}: {ids:?}", w[1], w[0]);
    }
}

/// Every tree property; returns the parse for further checks.
fn check_parse(input: &[u8]) -> Parse {
    let parse = syntax::parse(input.to_vec());
    let source = &parse.source;
    let text = source.text.as_str();
    let tree = &parse.tree;
    assert_eq!(source.bytes(), input, "the source keeps the file's bytes");

    // Lossless.
    assert!(tree.text(text) == text, "tree.text() differs from the decoded text");

    // Tokens: non-empty, contiguous, covering [0, len).
    let mut pos = 0u32;
    for (i, t) in tree.all_tokens().iter().enumerate() {
        assert_eq!(
            t.span.start, pos,
            "token {i} {t:?} does not start where the previous ended"
        );
        assert!(t.span.end > t.span.start, "token {i} {t:?} is empty");
        check_span(text, t.span, "token");
        pos = t.span.end;
    }
    assert_eq!(pos as usize, text.len(), "the tokens stop before the end of the text");

    // Lines: non-empty, contiguous, covering [0, len), each exactly covered by
    // its own tokens, which together are all the tokens in order.
    let mut pos = 0u32;
    let mut token_count = 0usize;
    let mut previous_number = 1u32;
    for (i, line) in tree.lines().iter().enumerate() {
        assert_eq!(
            line.span.start, pos,
            "line {i} {line:?} does not start where the previous ended"
        );
        assert!(!line.span.is_empty(), "line {i} {line:?} is empty");
        let tokens = tree.tokens(line);
        assert!(!tokens.is_empty(), "line {i} {line:?} has no token");
        assert_eq!(tokens[0].span.start, line.span.start, "line {i}: first token");
        assert_eq!(tokens[tokens.len() - 1].span.end, line.span.end, "line {i}: last token");
        assert_eq!(
            tokens,
            &tree.all_tokens()[token_count..token_count + tokens.len()],
            "line {i}: its tokens are not the next tokens of the file"
        );
        token_count += tokens.len();
        assert!(
            line.number >= previous_number,
            "line {i}: number {} decreases",
            line.number
        );
        check_line(text, line.number, line.span.start, &format!("tree line {i}"));
        previous_number = line.number;
        pos = line.span.end;
    }
    assert_eq!(pos as usize, text.len(), "the lines stop before the end of the text");
    assert_eq!(token_count, tree.all_tokens().len(), "tokens outside every line");

    // Line numbers (grammar.md §8): every LF counts, and a lone CR counts
    // only where it ends a section header or a value, i.e. where it is the
    // last token of a section or key/value line.
    let mut expected = 1u32;
    for line in tree.lines() {
        assert_eq!(line.number, expected, "line {line:?} of {text:?}");
        expected += count(&text[line.span.range()], b'\n');
        let last = tree.tokens(line).last().map(|t| t.kind);
        if matches!(line.kind, LineKind::Section | LineKind::KeyValue) && last == Some(TokenKind::LoneCr) {
            expected += 1;
        }
    }
    let no_cr = !text.contains('\r');

    // The file's bytes come back from the lines.
    let bom = bom_bytes(source.encoding);
    assert_eq!(source.encoding.bom_len(), bom.len());
    let mut rebuilt = bom.to_vec();
    for line in tree.lines() {
        rebuilt.extend_from_slice(source.source_bytes(line.span.start, line.span.end));
    }
    assert!(
        rebuilt == input,
        "bytes differ:\n  rebuilt {rebuilt:?}\n  input   {input:?}"
    );

    // Scanner events: spans inside the text, lines in file order.
    let mut previous = 1u32;
    for event in &parse.events {
        let line = match event {
            Event::Section(h) => {
                check_span(text, h.span, "section header");
                check_line(text, h.line, h.span.start, "section header");
                if no_cr {
                    assert_eq!(h.line, 1 + count(&text[..h.span.start as usize], b'\n'), "{h:?}");
                }
                h.line
            }
            Event::Entry(e) => {
                check_span(text, e.key_span, "entry key");
                check_span(text, e.value_span, "entry value");
                assert!(e.key_span.end <= e.value_span.start, "{e:?}");
                check_line(text, e.line, e.value_span.end, "entry");
                if no_cr {
                    // The line where the value ends.
                    assert_eq!(e.line, 1 + count(&text[..e.value_span.end as usize], b'\n'), "{e:?}");
                }
                e.line
            }
            Event::Syntax(d) => {
                check_diagnostic(source, d, "scanner");
                let line = d.line.expect("a SYN diagnostic has a line");
                let span = d.span.expect("a SYN diagnostic has a span");
                if no_cr && d.id != DiagId::SYN007 {
                    // The line of the offending unit.
                    assert_eq!(line, 1 + count(&text[..span.start as usize], b'\n'), "{d:?}");
                }
                line
            }
        };
        assert!(
            line >= previous,
            "scanner event on line {line} after line {previous}: {event:?}"
        );
        previous = line;
    }
    parse
}

/// The byte scanner and the pest grammar give the same tree and events.
fn check_pest(input: &[u8], parse: &Parse) {
    let pest = syntax::parse_pest(input.to_vec());
    if parse.tree == pest.tree && parse.events == pest.events {
        return;
    }
    let (a, b) = (parse.tree.all_tokens(), pest.tree.all_tokens());
    let token = (0..a.len().max(b.len())).find(|&i| a.get(i) != b.get(i));
    let (a_lines, b_lines) = (parse.tree.lines(), pest.tree.lines());
    let line = (0..a_lines.len().max(b_lines.len())).find(|&i| a_lines.get(i) != b_lines.get(i));
    let event = (0..parse.events.len().max(pest.events.len())).find(|&i| parse.events.get(i) != pest.events.get(i));
    panic!(
        "byte scanner and pest differ for {:?}:\n  token {token:?}: {:?} / pest {:?}\n  line {line:?}: {:?} / pest {:?}\n  event {event:?}: {:?} / pest {:?}",
        parse.source.text,
        token.and_then(|i| a.get(i)),
        token.and_then(|i| b.get(i)),
        line.and_then(|i| a_lines.get(i)),
        line.and_then(|i| b_lines.get(i)),
        event.and_then(|i| parse.events.get(i)),
        event.and_then(|i| pest.events.get(i)),
    );
}

/// Everything: parse, bind in both dialects, lint in both dialects.
fn check_all(input: &[u8]) {
    let parse = check_parse(input);
    check_pest(input, &parse);
    check_reference(&parse);
    let source = &parse.source;
    let text = source.text.as_str();
    for dialect in DIALECTS {
        let bound = bind::bind(&parse, dialect);
        for d in &bound.diagnostics {
            check_diagnostic(source, d, "bind");
        }
        check_order(&bound.diagnostics, "bind");
        let report = lint_bytes(
            "<input>",
            input.to_vec(),
            &LintOptions {
                dialect,
                ..LintOptions::default()
            },
        );
        let lint_text = report.source.as_ref().map_or("", |s| s.text.as_str());
        assert_eq!(lint_text, text, "lint decodes like parse");
        for d in &report.diagnostics {
            check_diagnostic(source, d, "lint");
        }
        check_order(&report.diagnostics, "lint");
    }
}

// ------------------------------------------------------------------ reference scanner

/// What the scanner reports, in a form both scanners can produce.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Seen {
    Section { name: String, line: u32 },
    Entry { key: String, value: String, line: u32 },
    Syntax { id: DiagId, line: u32 },
}

fn seen(parse: &Parse) -> Vec<Seen> {
    parse
        .events
        .iter()
        .map(|e| match e {
            Event::Section(h) => Seen::Section {
                name: h.name.clone(),
                line: h.line,
            },
            Event::Entry(e) => Seen::Entry {
                key: e.key.to_string(),
                value: e.value.to_string(),
                line: e.line,
            },
            Event::Syntax(d) => Seen::Syntax {
                id: d.id,
                line: d.line.expect("a line"),
            },
        })
        .collect()
}

/// An independent, direct transcription of grammar.md §3–§9 and quirks
/// Q1–Q4: a character-at-a-time scanner over the decoded text with CRLF
/// folded to LF (§1.3).
struct Reference {
    units: Vec<char>,
    i: usize,
    line: u32,
    /// Quirk Q1: the name buffer and the length of the last valid name.
    buffer: String,
    active_len: usize,
    out: Vec<Seen>,
}

impl Reference {
    fn run(text: &str) -> Vec<Seen> {
        let mut r = Reference {
            units: text.replace("\r\n", "\n").chars().collect(),
            i: 0,
            line: 1,
            buffer: String::new(),
            active_len: 0,
            out: Vec::new(),
        };
        r.file();
        r.out
    }

    fn peek(&self) -> Option<char> {
        self.units.get(self.i).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.units.get(self.i + n).copied()
    }

    fn skip_hsp(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.i += 1;
        }
    }

    /// §7 and §9: everything up to and including the next LF; a lone CR does
    /// not stop it.
    fn skip_line(&mut self) {
        while let Some(c) = self.peek() {
            self.i += 1;
            if c == '\n' {
                self.line += 1;
                return;
            }
        }
    }

    fn syntax(&mut self, id: DiagId) {
        self.out.push(Seen::Syntax { id, line: self.line });
        self.skip_line();
    }

    fn name_run(&mut self) -> String {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric()) {
            self.i += 1;
        }
        self.units[start..self.i].iter().collect()
    }

    fn file(&mut self) {
        loop {
            // §3: HSP and lone CRs at the start of a line are skipped.
            while matches!(self.peek(), Some(' ' | '\t' | '\r')) {
                self.i += 1;
            }
            match self.peek() {
                None => return,
                Some('\n') => {
                    self.i += 1;
                    self.line += 1;
                }
                Some('#') => self.skip_line(),
                Some('[') => self.section(),
                Some(c) if c.is_ascii_alphabetic() => self.key_value(),
                Some(_) => self.syntax(DiagId::SYN004),
            }
        }
    }

    fn section(&mut self) {
        self.i += 1;
        if !self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            return self.syntax(DiagId::SYN001);
        }
        let name = self.name_run();
        self.buffer = name.clone();
        if self.peek() != Some(']') {
            return self.syntax(DiagId::SYN002);
        }
        self.i += 1;
        self.skip_hsp();
        let line = self.line;
        match self.peek() {
            None => {}
            Some('\n' | '\r') => {
                self.i += 1;
                self.line += 1;
            }
            Some('#') => self.skip_line(),
            Some(_) => return self.syntax(DiagId::SYN003),
        }
        self.active_len = name.len();
        self.out.push(Seen::Section { name, line });
    }

    fn key_value(&mut self) {
        let key = self.name_run();
        self.skip_hsp();
        if self.peek() != Some('=') {
            return self.syntax(DiagId::SYN005);
        }
        self.i += 1;
        self.skip_hsp();
        let mut bytes: Vec<u8> = Vec::new();
        let mut mark = 0;
        let mut quoted = false;
        loop {
            match self.peek() {
                None | Some('\n' | '\r') => break,
                Some('#') if !quoted => break,
                Some('"') => {
                    quoted = !quoted;
                    self.i += 1;
                    mark = bytes.len();
                }
                Some('\\') => {
                    match self.peek_at(1) {
                        Some('\\') => bytes.push(b'\\'),
                        Some('"') => bytes.push(b'"'),
                        Some('b') => bytes.push(8),
                        Some('n') => bytes.push(b'\n'),
                        Some('t') => bytes.push(b'\t'),
                        Some('\n') => self.line += 1,
                        Some('\r') => {}
                        None => {
                            self.out.push(Seen::Syntax {
                                id: DiagId::SYN006,
                                line: self.line,
                            });
                            self.i += 1;
                            return;
                        }
                        Some(_) => {
                            self.i += 1;
                            return self.syntax(DiagId::SYN006);
                        }
                    }
                    self.i += 2;
                    mark = bytes.len();
                }
                Some(c @ (' ' | '\t')) => {
                    bytes.push(c as u8);
                    self.i += 1;
                }
                Some(c) => {
                    // Q3: the low 8 bits of every UTF-16 unit.
                    let mut units = [0u16; 2];
                    bytes.extend(c.encode_utf16(&mut units).iter().map(|&u| u as u8));
                    self.i += 1;
                    mark = bytes.len();
                }
            }
        }
        if quoted {
            return self.syntax(DiagId::SYN007);
        }
        let line = self.line;
        match self.peek() {
            Some('\n' | '\r') => {
                self.i += 1;
                self.line += 1;
            }
            Some('#') => self.skip_line(),
            _ => {}
        }
        bytes.truncate(mark);
        // Q4: the value is read as a C string.
        if let Some(nul) = bytes.iter().position(|&b| b == 0) {
            bytes.truncate(nul);
        }
        let value = String::from_utf8_lossy(&bytes).into_owned();
        // Q1: the first `active_len` units of the buffer, padded with NUL.
        let full = if self.active_len == 0 {
            key
        } else if self.buffer.len() >= self.active_len {
            format!("{}.{key}", &self.buffer[..self.active_len])
        } else {
            self.buffer.clone()
        };
        self.out.push(Seen::Entry { key: full, value, line });
    }
}

fn check_reference(parse: &Parse) {
    let expected = Reference::run(&parse.source.text);
    let actual = seen(parse);
    if actual != expected {
        let at = actual
            .iter()
            .zip(&expected)
            .position(|(a, e)| a != e)
            .unwrap_or(actual.len().min(expected.len()));
        panic!(
            "scanner and reference differ at event {at} for {:?}:\n  scanner   {:?}\n  reference {:?}",
            parse.source.text,
            actual.get(at),
            expected.get(at)
        );
    }
}

/// The machine-readable renderings of a lint report never panic and are JSON.
fn check_renderings(input: &[u8]) {
    let reports = [lint_bytes("<input>", input.to_vec(), &LintOptions::default())];
    let json = wslcfg::diag::json::to_string(&reports);
    serde_json::from_str::<serde_json::Value>(&json).expect("lint JSON parses");
    let sarif = wslcfg::diag::sarif::to_sarif_string(&reports);
    serde_json::from_str::<serde_json::Value>(&sarif).expect("SARIF parses");
}

// ------------------------------------------------------------------ strategies

/// Pieces of the grammar's alphabet, some valid multi-byte UTF-8, some broken.
#[rustfmt::skip]
const PIECES: &[&str] = &[
    "[", "]", "=", "#", "\"", "\\", "\r", "\n", "\r\n", "\t", " ", ";", "\0", "a", "Z", "k", "x", "0", "7", "é",
    "\u{A0}", "日", "😀", "\u{FEFF}", "\\n", "\\t", "\\b", "\\\\", "\\\"", "\\#", "\\x", "\\\n", "\\\r\n", "\\\r",
    "wsl2", "experimental", "general", "boot", "network", "4GB", "512MB", "0x10", "-1", "true", "false", "1,2,3",
    "70000,a,", "mirrored", "NAT", "virtioproxy", "10.0.0.1", "00:11:22:33:44:55", "zz:11", "C:\\temp", "[wsl2]\n",
    "[experimental]\r\n", "memory=4GB\n", "  # note\n", "k=\"a b\"\n",
];

/// Raw bytes that are not UTF-8 on their own.
#[rustfmt::skip]
const BAD_BYTES: &[&[u8]] = &[
    b"\xFF", b"\xFE", b"\xC3", b"\xE2\x82", b"\x80", b"\xED\xA0\x80", b"\xF4\x90\x80\x80",
];

fn key_names() -> Vec<String> {
    KEYS.iter()
        .flat_map(|k| k.names.iter())
        .flat_map(|n| {
            let leaf = n.split_once('.').map_or(*n, |(_, l)| l);
            [leaf.to_owned(), leaf.to_ascii_lowercase()]
        })
        .collect()
}

/// One piece of grammar-biased input, as bytes.
fn piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        6 => prop::sample::select(PIECES).prop_map(|s| s.as_bytes().to_vec()),
        3 => prop::sample::select(key_names()).prop_map(String::into_bytes),
        1 => prop::sample::select(BAD_BYTES).prop_map(<[u8]>::to_vec),
        1 => any::<u8>().prop_map(|b| vec![b]),
    ]
}

fn grammar_bytes(max_pieces: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(piece(), 0..max_pieces).prop_map(|pieces| pieces.concat())
}

/// Whole lines in the shape of a real file, with damage.
fn line() -> impl Strategy<Value = Vec<u8>> {
    let section = prop::sample::select(vec!["wsl2", "experimental", "general", "WSL2", "boot", "x1"]);
    let value = grammar_bytes(6);
    let end = prop::sample::select(vec!["\n", "\r\n", "\r", "", " # c\n", "\\\n"]);
    prop_oneof![
        (section, end.clone()).prop_map(|(s, e)| format!("[{s}]{e}").into_bytes()),
        (prop::sample::select(key_names()), "[ \t]{0,2}", value, end.clone()).prop_map(|(k, sp, v, e)| [
            k.as_bytes(),
            sp.as_bytes(),
            b"=",
            &v,
            e.as_bytes()
        ]
        .concat()),
        (grammar_bytes(8), end).prop_map(|(v, e)| [v, e.as_bytes().to_vec()].concat()),
    ]
}

#[rustfmt::skip]
const DENSE_VALUE: &[&str] = &[
    "\"", "\"", " ", " ", "\t", "a", "b", "#", "\\", "\\\\", "\\\"", "\\n", "\\t", "\\\n", "\\\r", "\\\r\n", "\r",
    "\n", "\r\n", "\u{E9}", "\u{4E2D}", "\u{1F600}", "\0", "=", "[", "]",
];

#[rustfmt::skip]
const DENSE_KEYS: &[&str] = &[
    "k", "memory", "Memory", "x1", "k_", "k k", "k.k", "kernelCommandLine",
];

#[rustfmt::skip]
const DENSE_SECTIONS: &[&str] = &[
    "[wsl2]", "[sec]", "[sex y]", "[experimental-x]", "[exp-x]", "[a b]", "[9]", "[]", "[wsl2] x", "[wsl2]]", "[s",
    "[",
];

#[rustfmt::skip]
const TYPED_PIECES: &[&str] = &[
    "0", "1", "7", "10", "255", "65535", "4294967296", "18446744073709551616", "0x", "0X", "ff", "1F", ",", ".",
    ":", "-", "+", " ", "K", "k", "M", "m", "G", "GB", "MB", "KB", "T", "TB", "B", "true", "FALSE", "mirrored",
    "nat", "VirtioProxy", "gradual", "\u{E9}", "\u{4E2D}", "\u{FFFD}", "\u{1F600}", "%", "C:/x",
    "00:15:5d:00:00:01", "0x1,", "0x10,64M", "1.2.3.4", "4GB",
];

/// Lines over a small alphabet, so that the value scanner's corner cases
/// (quotes around spaces, escapes next to line ends, Q1 headers) come up often.
fn dense_line() -> impl Strategy<Value = Vec<u8>> {
    let value_piece = prop::sample::select(DENSE_VALUE.to_vec());
    let value = prop::collection::vec(value_piece, 0..10).prop_map(|p| p.concat());
    let head = prop::sample::select(vec!["", " ", "\t", "\r", " \r "]);
    let key = prop::sample::select(DENSE_KEYS.to_vec());
    let section = prop::sample::select(DENSE_SECTIONS.to_vec());
    let end = prop::sample::select(vec!["\n", "\r\n", "\r", "", " # c\n", " # c\r\n", "\t \n", " #\r c\n"]);
    prop_oneof![
        3 => (head.clone(), key, prop::sample::select(vec!["=", " = ", "\t=", " ="]), value, end.clone())
            .prop_map(|(h, k, eq, v, e)| format!("{h}{k}{eq}{v}{e}")),
        1 => (head, section, end).prop_map(|(h, s, e)| format!("{h}{s}{e}")),
    ]
    .prop_map(String::into_bytes)
}

/// Every key of the table under its own section, with values built from the
/// pieces of the typed syntaxes (keys.md §2) and some non-ASCII.
fn typed_line() -> impl Strategy<Value = String> {
    let names: Vec<(String, String)> = KEYS
        .iter()
        .flat_map(|k| k.names.iter())
        .filter_map(|n| n.split_once('.').map(|(s, l)| (s.to_owned(), l.to_owned())))
        .collect();
    let piece = prop::sample::select(TYPED_PIECES.to_vec());
    // Typed parsers look at the first and last characters: end on non-ASCII often.
    let last = prop::sample::select(vec![
        "",
        "",
        "",
        "\u{E9}",
        "\u{4E2D}",
        "\u{FFFD}",
        "\u{1F600}",
        " \u{E9}",
    ]);
    (prop::sample::select(names), prop::collection::vec(piece, 0..6), last)
        .prop_map(|((section, leaf), value, last)| format!("[{section}]\n{leaf}={}{last}\n", value.concat()))
}

fn dense_lines() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(dense_line(), 0..12).prop_map(|l| l.concat())
}

fn lines() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(line(), 0..24).prop_map(|l| l.concat())
}

/// UTF-16LE code units: grammar text, any unit, or a lone surrogate.
fn utf16_body() -> impl Strategy<Value = Vec<u8>> {
    let unit = prop_oneof![
        6 => prop::sample::select(PIECES).prop_map(|s| s.encode_utf16().collect::<Vec<u16>>()),
        2 => prop::sample::select(key_names()).prop_map(|s| s.encode_utf16().collect::<Vec<u16>>()),
        1 => (0xD800u16..=0xDFFF).prop_map(|u| vec![u]),
        1 => any::<u16>().prop_map(|u| vec![u]),
    ];
    (prop::collection::vec(unit, 0..80), prop::option::of(any::<u8>())).prop_map(|(units, odd)| {
        let mut bytes: Vec<u8> = units.concat().iter().flat_map(|u| u.to_le_bytes()).collect();
        bytes.extend(odd);
        bytes
    })
}

fn with_prefix(prefix: &'static [u8], body: Vec<u8>) -> Vec<u8> {
    [prefix, &body].concat()
}

/// `cases` per property, or `PROPTEST_CASES` from the environment for a
/// longer search (e.g. `PROPTEST_CASES=20000 cargo test --release ...`).
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        // Failures are reported in the test output; no regression files.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn arbitrary_bytes(input in prop::collection::vec(any::<u8>(), 0..600)) {
        check_all(&input);
    }

    #[test]
    fn grammar_alphabet(input in grammar_bytes(120)) {
        check_all(&input);
    }

    #[test]
    fn line_shaped(input in lines()) {
        check_all(&input);
    }

    #[test]
    fn dense(input in dense_lines()) {
        check_all(&input);
    }

    #[test]
    fn typed_values(lines in prop::collection::vec(typed_line(), 1..6)) {
        check_all(lines.concat().as_bytes());
    }

    #[test]
    fn renderings(input in prop_oneof![
        grammar_bytes(60),
        dense_lines(),
        prop::collection::vec(typed_line(), 1..4).prop_map(|l| l.concat().into_bytes()),
        prop::collection::vec(any::<u8>(), 0..100),
        utf16_body().prop_map(|b| with_prefix(b"\xFF\xFE", b)),
    ]) {
        check_renderings(&input);
    }

    #[test]
    fn utf8_bom(input in prop_oneof![grammar_bytes(80), lines(), dense_lines(), prop::collection::vec(any::<u8>(), 0..200)]) {
        check_all(&with_prefix(b"\xEF\xBB\xBF", input));
    }

    #[test]
    fn utf16le_bom_arbitrary(input in prop::collection::vec(any::<u8>(), 0..400)) {
        check_all(&with_prefix(b"\xFF\xFE", input));
    }

    #[test]
    fn utf16le_bom_grammar(input in utf16_body()) {
        check_all(&with_prefix(b"\xFF\xFE", input));
    }
}

proptest! {
    #![proptest_config(config(4096))]

    /// The equivalence of the byte scanner and the pest grammar alone, with
    /// more cases than the properties above (no binding or lint).
    #[test]
    fn byte_scanner_matches_pest(input in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..300),
        grammar_bytes(80),
        lines(),
        dense_lines(),
        prop::collection::vec(typed_line(), 1..6).prop_map(|l| l.concat().into_bytes()),
        utf16_body().prop_map(|b| with_prefix(b"\xFF\xFE", b)),
    ]) {
        let parse = syntax::parse(input.clone());
        check_pest(&input, &parse);
    }
}

/// The equivalence on every file of the corpus (`shared/corpus/wslconfig`),
/// whole and cut after every line end, and on every fixture file.
#[test]
fn byte_scanner_matches_pest_on_corpus() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [root.join("../shared/corpus/wslconfig"), root.join("fixtures")] {
        let mut stack = vec![dir];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.file_name().is_some_and(|n| n != "MANIFEST.tsv") {
                    files.push(path);
                }
            }
        }
    }
    assert!(
        files.len() > 236,
        "the corpus and the fixtures are there ({} files)",
        files.len()
    );
    for path in files {
        let bytes = std::fs::read(&path).expect("readable");
        if bytes.len() > 1 << 20 {
            continue;
        }
        check_pest(&bytes, &syntax::parse(bytes.clone()));
        // Every prefix that ends after a line end or before a quote or a
        // backslash: the end of the file in the middle of every construct.
        for (i, &b) in bytes.iter().enumerate() {
            if matches!(b, b'\n' | b'\r' | b'"' | b'\\' | b'=' | b'#') {
                for cut in [&bytes[..i], &bytes[..=i]] {
                    check_pest(cut, &syntax::parse(cut.to_vec()));
                }
            }
        }
    }
}

/// The equivalence on larger inputs than the properties generate.
#[test]
fn byte_scanner_matches_pest_on_large_inputs() {
    let mut inputs: Vec<Vec<u8>> = vec![
        b"[wsl2]\nkernelCommandLine=a\\\n"
            .iter()
            .copied()
            .chain(b"b\\\r\n".repeat(2000))
            .chain(*b"c")
            .collect(),
        [&b"k="[..], &b"\"".repeat(4001)].concat(),
        [&b"k="[..], &b"\" \\n\t\"".repeat(1000)].concat(),
        b"\r".repeat(5000),
        b" \t\r".repeat(3000),
        b"\"".repeat(3000),
        b"[wsl2]\n".repeat(2000),
        b"[a\n[\n[a]x\nk\nk=\\q\nk=\"\n".repeat(500),
    ];
    // Values past the byte scanner's 64 KiB scratch limit (moved, not copied).
    let long = "a\\tb \u{E9}\u{1F600} \"q \\\" \" ".repeat(6000);
    inputs.push(format!("[wsl2]\nkernelCommandLine={long}\nmemory = {long}\0x  \n").into_bytes());
    inputs.push(format!("k = {long}\\\n{long}\r").into_bytes());
    let mut line = Vec::new();
    for i in 0..3000u32 {
        line.extend_from_slice(format!("k{i} = \"v {i}\" # c\r\n\u{E9}=x\n").as_bytes());
    }
    inputs.push(line);
    for input in inputs {
        check_pest(&input, &syntax::parse(input.clone()));
    }
}

// ------------------------------------------------------------------ fixed cases

#[test]
fn edge_cases() {
    for input in [
        &b""[..],
        b"\xEF\xBB\xBF",
        b"\xEF\xBB",
        b"\xFF\xFE",
        b"\xFF\xFE\x00",
        b"\xFF\xFE\x00\xD8",
        b"\xFF\xFE\x00\xDC\x00\xD8",
        b"\xFF",
        b"\\",
        b"k=\\",
        b"k=\"\\",
        b"[wsl2]\rmemory=4GB\r",
        b"[wsl2]\nmemory=4GB\\\r\n\\\r\\\n",
        b"\r\r\n\r",
        b"\xEF\xBB\xBF\xFF\xFE",
        b"[wsl2]\nmacAddress=zz\nmemory=1\n",
        b"[wsl2]\nkernelCommandLine=\xFF\xC3\n",
    ] {
        check_all(input);
    }
}

/// Found by `typed_values`: the seed swiotlb range parser cut the last
/// character of `<hex>,<size><unit>` as one byte, and panicked when the value
/// ended in a character of more than one byte (src/bind/value.rs,
/// `parse_swiotlb_range`).
#[test]
fn swiotlb_range_ending_in_non_ascii() {
    for input in [
        &b"[experimental]\nswiotlb=0x1,\xC3\xA9\n"[..],
        b"[experimental]\nswiotlb=0x1,\xFF\n",
        b"[experimental]\nswiotlb=0x10,64\xE4\xB8\xAD\n",
    ] {
        check_all(input);
    }
}

// ------------------------------------------------------------------ big inputs

fn entries(parse: &Parse) -> Vec<&syntax::Entry> {
    parse
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Entry(e) => Some(e),
            _ => None,
        })
        .collect()
}

fn diags(parse: &Parse, dialect: Dialect) -> Vec<Diagnostic> {
    bind::bind(parse, dialect).diagnostics
}

/// `n` continuation lines after the key line give one entry whose line is the
/// last physical line of the value (grammar.md §8).
fn continuation(n: usize) {
    let mut text = String::from("[wsl2]\nkernelCommandLine=a\\\n");
    text.push_str(&"b\\\n".repeat(n));
    text.push_str("c\n");
    let parse = syntax::parse(text.clone().into_bytes());
    let e = entries(&parse);
    assert_eq!(e.len(), 1);
    // Line 1 `[wsl2]`, line 2 `kernelCommandLine=a\`, lines 3..=n+2 `b\`,
    // line n+3 `c`.
    assert_eq!(e[0].line, n as u32 + 3);
    assert!(e[0].flags.continued);
    assert_eq!(e[0].value.len(), n + 2);
    assert_eq!(parse.tree.lines().len(), 2);
    assert_eq!(parse.tree.text(&parse.source.text), text);
    assert!(diags(&parse, Dialect::Seed).is_empty());
}

#[test]
fn continuation_small() {
    continuation(1);
    continuation(3);
}

#[test]
fn continuation_100k_lines() {
    continuation(100_000);
}

#[test]
fn single_line_value_10mb() {
    let n = 10 << 20;
    let mut text = String::with_capacity(n + 64);
    text.push_str("[wsl2]\nkernelCommandLine=");
    text.extend(std::iter::repeat_n('x', n));
    text.push('\n');
    let parse = syntax::parse(text.into_bytes());
    let e = entries(&parse);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].value.len(), n);
    assert_eq!(e[0].line, 2);
    assert!(diags(&parse, Dialect::Seed).is_empty());
}

#[test]
fn sections_100k() {
    let n = 100_000;
    let text: String = (0..n)
        .map(|i| if i % 2 == 0 { "[wsl2]\n" } else { "[experimental]\n" })
        .collect();
    let report = lint_bytes("<input>", text.into_bytes(), &LintOptions::default());
    let source = report.source.as_ref().unwrap();
    assert!(report.diagnostics.is_empty(), "{:?}", &report.diagnostics[..1]);
    let parse = syntax::parse(source.bytes().to_vec());
    let headers: Vec<u32> = parse
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Section(h) => Some(h.line),
            _ => None,
        })
        .collect();
    assert_eq!(headers.len(), n);
    assert_eq!(headers[n - 1], n as u32);
}

#[test]
fn unknown_sections_20k() {
    // Every header gets a did-you-mean attempt (LNT002).
    let n = 20_000;
    let text: String = (0..n).map(|i| format!("[s{i}]\n")).collect();
    let report = lint_bytes("<input>", text.into_bytes(), &LintOptions::default());
    assert_eq!(report.diagnostics.len(), n);
    assert!(report.diagnostics.iter().all(|d| d.id == DiagId::LNT002));
}

#[test]
fn duplicate_keys_100k() {
    let n = 100_000;
    let mut text = String::from("[wsl2]\n");
    text.push_str(&"memory=4GB\n".repeat(n));
    let parse = syntax::parse(text.into_bytes());
    for dialect in DIALECTS {
        let d = diags(&parse, dialect);
        assert_eq!(d.len(), n - 1);
        assert!(d.iter().all(|d| d.id == DiagId::KEY002));
        assert_eq!(d[n - 2].line, Some(n as u32 + 1));
        assert_eq!(d[n - 2].detail().related[0].line, 2);
    }
}

#[test]
fn lone_crs_1mb() {
    // Lone CRs at the start of a line are skipped (grammar.md §3): one
    // trailing line of LoneCr tokens, no event, no diagnostic.
    let n = 1 << 20;
    let parse = syntax::parse(vec![b'\r'; n]);
    assert!(parse.events.is_empty());
    assert_eq!(parse.tree.lines().len(), 1);
    assert_eq!(parse.tree.lines()[0].number, 1);
    assert_eq!(parse.tree.all_tokens().len(), n);
    assert!(diags(&parse, Dialect::Seed).is_empty());
}

#[test]
fn quotes_1m() {
    let n = 1_000_000;
    // A line that starts with `"` is invalid (SYN004).
    let parse = syntax::parse(vec![b'"'; n]);
    assert_eq!(parse.tree.lines().len(), 1);
    let d = diags(&parse, Dialect::Seed);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].id, DiagId::SYN004);

    // As a value: an even count closes every quote, an odd count leaves one open.
    for (n, open) in [(n, false), (n + 1, true)] {
        let mut input = b"[wsl2]\nkernelCommandLine=".to_vec();
        input.extend(std::iter::repeat_n(b'"', n));
        let parse = syntax::parse(input);
        let d = diags(&parse, Dialect::Seed);
        if open {
            assert_eq!(d.len(), 1);
            assert_eq!(d[0].id, DiagId::SYN007);
        } else {
            assert!(d.is_empty(), "{:?}", d);
            assert_eq!(&*entries(&parse)[0].value, "");
        }
    }
}

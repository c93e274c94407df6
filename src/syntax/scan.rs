//! The pest side of the front end: walks the parse of `grammar/wslconfig.pest`
//! (the executable specification of grammar.md) into the lossless tree and the
//! scanner's events: section headers, key/value entries with their unescaped
//! values, and SYN diagnostics, in file order.
//!
//! The runtime path is the hand-written byte scanner of `lexer.rs`, which
//! gives exactly the same tree and events (`tests/properties.rs`
//! compares the two); both build their diagnostics, keys and
//! values with the shared functions at the end of this file.

use super::tree::{LineKind, Span, SyntaxTree, TokenKind};
use crate::diag::{DiagId, Diagnostic};
use pest::Parser;
use pest::iterators::Pair;
use std::sync::Arc;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/wslconfig.pest"]
struct WslconfigParser;

/// What the scanner noticed about a value while unescaping it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ValueFlags {
    /// `\b`, `\n` or `\t` produced a control character.
    pub control_escape: bool,
    /// A character above U+007F was reduced to its low 8 bits (grammar.md Q3).
    pub non_ascii: bool,
    /// The value was cut at a NUL (grammar.md Q4).
    pub nul: bool,
    /// The value continued over more than one physical line.
    pub continued: bool,
}

/// A successfully scanned `key = value` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The full key name as WSL forms it: section text (after quirk Q1), `.`,
    /// key, exactly as typed.
    pub key: Arc<str>,
    /// The key name as typed, without the section.
    pub key_span: Span,
    /// The value handed to the typed parser (unescaped, unquoted, trimmed,
    /// Q3 and Q4 applied).
    pub value: Arc<str>,
    /// The value's text in the file (without trailing spaces).
    pub value_span: Span,
    /// The line where the value ends (grammar.md §8).
    pub line: u32,
    /// Whether a valid section header preceded the key.
    pub in_section: bool,
    pub flags: ValueFlags,
}

/// A valid section header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionHeader {
    pub name: String,
    pub span: Span,
    pub line: u32,
}

/// One scanner event, in file order.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    Section(SectionHeader),
    Entry(Entry),
    /// Boxed: rare, and larger than the other events.
    Syntax(Box<Diagnostic>),
}

/// Scans decoded text with the pest grammar. Never fails.
pub fn scan_pest(text: &str) -> (SyntaxTree, Vec<Event>) {
    let mut walker = Walker {
        text,
        tree: SyntaxTree::default(),
        events: Vec::new(),
        line_no: 1,
        names: KeyNames::new(),
        pending: None,
    };
    match WslconfigParser::parse(Rule::file, text) {
        Ok(mut pairs) => {
            let file = pairs.next().expect("the file rule yields one pair");
            for pair in file.into_inner() {
                walker.top_level(pair);
            }
        }
        // The grammar matches every input; should it ever not, the text is
        // kept as one skipped line rather than lost.
        Err(_) => {
            walker.tree.push_token(TokenKind::Skipped, Span::new(0, text.len()));
            walker
                .tree
                .push_line(LineKind::Invalid(DiagId::SYN004), Span::new(0, text.len()), 1, 0);
        }
    }
    (walker.tree, walker.events)
}

struct Walker<'t> {
    text: &'t str,
    tree: SyntaxTree,
    events: Vec<Event>,
    /// The scanner's line counter at the current position.
    line_no: u32,
    /// Quirk Q1's buffer and the entries' full key names.
    names: KeyNames,
    /// Start offset and first token of leading spaces / lone CRs not yet
    /// attached to a line.
    pending: Option<(usize, u32)>,
}

impl<'t> Walker<'t> {
    fn top_level(&mut self, pair: Pair<'t, Rule>) {
        match pair.as_rule() {
            Rule::hsp | Rule::lone_cr => {
                if self.pending.is_none() {
                    self.pending = Some((pair.as_span().start(), self.tree.token_count()));
                }
                self.flatten(pair);
            }
            Rule::EOI => {
                if let Some((start, first)) = self.pending.take() {
                    let span = Span::new(start, self.text.len());
                    self.tree.push_line(LineKind::Trailing, span, self.line_no, first);
                }
            }
            _ => self.line(pair),
        }
    }

    fn line(&mut self, pair: Pair<'t, Rule>) {
        let (start, first_token) = self
            .pending
            .take()
            .unwrap_or((pair.as_span().start(), self.tree.token_count()));
        let end = pair.as_span().end();
        let number = self.line_no;
        let rule = pair.as_rule();
        self.flatten(pair.clone());
        let ctx = LineCtx { start, number };
        let kind = match rule {
            Rule::blank => LineKind::Blank,
            Rule::comment_line => LineKind::Comment,
            Rule::section_line => self.section_line(&ctx, pair.clone()),
            Rule::syn001 | Rule::syn002 | Rule::syn003 | Rule::syn004 | Rule::syn005 => {
                self.invalid_line(&ctx, pair.clone())
            }
            Rule::kv_line => self.kv_line(&ctx, pair.clone()),
            _ => unreachable!("not a line rule: {rule:?}"),
        };
        // A lone CR that ends a header or a value counts as a line end (§8).
        let counted_cr = matches!(kind, LineKind::Section | LineKind::KeyValue)
            && pair.into_inner().any(|p| p.as_rule() == Rule::lone_cr);
        self.line_no += count_lf(&self.text[start..end]) + counted_cr as u32;
        self.tree.push_line(kind, Span::new(start, end), number, first_token);
    }

    /// Adds the leaf tokens of a pair to the tree.
    fn flatten(&mut self, pair: Pair<'t, Rule>) {
        let kind = match pair.as_rule() {
            Rule::hsp => TokenKind::Space,
            Rule::nl => TokenKind::Newline,
            Rule::lone_cr => TokenKind::LoneCr,
            Rule::comment => TokenKind::Comment,
            Rule::lbracket => TokenKind::LBracket,
            Rule::rbracket => TokenKind::RBracket,
            Rule::section_name => TokenKind::SectionName,
            Rule::key_name => TokenKind::KeyName,
            Rule::equals => TokenKind::Equals,
            Rule::plain | Rule::qtext => TokenKind::Text,
            Rule::quote => TokenKind::Quote,
            Rule::escape => TokenKind::Escape,
            Rule::continuation | Rule::cr_swallow => TokenKind::Continuation,
            Rule::bad_escape | Rule::eof_escape => TokenKind::BadEscape,
            Rule::rest | Rule::invalid_start => TokenKind::Skipped,
            _ => {
                for inner in pair.into_inner() {
                    self.flatten(inner);
                }
                return;
            }
        };
        let span = pair.as_span();
        if span.start() != span.end() {
            self.tree.push_token(kind, Span::new(span.start(), span.end()));
        }
    }

    /// The line number at an offset inside the current line.
    fn line_at(&self, ctx: &LineCtx, offset: usize) -> u32 {
        ctx.number + count_lf(&self.text[ctx.start..offset])
    }

    fn section_line(&mut self, ctx: &LineCtx, pair: Pair<'t, Rule>) -> LineKind {
        let name = pair
            .into_inner()
            .find(|p| p.as_rule() == Rule::section_name)
            .expect("a section line has a name");
        self.names.overwrite(name.as_str());
        self.names.activate();
        let span = name.as_span();
        self.events.push(Event::Section(SectionHeader {
            name: name.as_str().to_owned(),
            span: Span::new(span.start(), span.end()),
            line: ctx.number,
        }));
        LineKind::Section
    }

    fn invalid_line(&mut self, ctx: &LineCtx, pair: Pair<'t, Rule>) -> LineKind {
        let rule = pair.as_rule();
        let mut offending = pair.as_span().start();
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::lbracket if rule == Rule::syn001 => offending = inner.as_span().end(),
                Rule::section_name => {
                    // Quirk Q1: a failed header still overwrites the buffer.
                    self.names.overwrite(inner.as_str());
                    offending = inner.as_span().end();
                }
                Rule::skipped if matches!(rule, Rule::syn003 | Rule::syn005) => offending = inner.as_span().start(),
                _ => {}
            }
        }
        let id = diag_id(rule);
        let line = self.line_at(ctx, offending);
        self.events.push(Event::Syntax(Box::new(invalid_line_diag(
            id, self.text, offending, line,
        ))));
        LineKind::Invalid(diag_id(rule))
    }

    fn kv_line(&mut self, ctx: &LineCtx, pair: Pair<'t, Rule>) -> LineKind {
        let mut key_span = Span::default();
        let mut key_text = "";
        let mut scanned = None;
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::key_name => {
                    let s = inner.as_span();
                    key_span = Span::new(s.start(), s.end());
                    key_text = inner.as_str();
                }
                Rule::value => scanned = Some(ValueScan::run(inner)),
                Rule::syn006 | Rule::syn006_eof => {
                    let bad = inner
                        .into_inner()
                        .find(|p| matches!(p.as_rule(), Rule::bad_escape | Rule::eof_escape))
                        .expect("an escape error has its escape");
                    let at = bad.as_span().start();
                    let line = self.line_at(ctx, at);
                    let d = bad_escape_diag(self.text, ctx.start, at, bad.as_span().end(), line);
                    self.events.push(Event::Syntax(Box::new(d)));
                    return LineKind::Invalid(DiagId::SYN006);
                }
                Rule::syn007 => {
                    let open = inner
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::open_quote)
                        .expect("an open quote");
                    let s = open.as_span();
                    let line = self.line_at(ctx, s.end());
                    self.events
                        .push(Event::Syntax(Box::new(open_quote_diag(s.start(), line))));
                    return LineKind::Invalid(DiagId::SYN007);
                }
                _ => {}
            }
        }
        let scanned = scanned.expect("a key/value line has a value");
        let line = self.line_at(ctx, scanned.span.end as usize);
        let key = self.names.full_key(key_text);
        let mut flags = scanned.flags;
        flags.continued = line != ctx.number;
        self.events.push(Event::Entry(Entry {
            key,
            key_span,
            value: Arc::from(scanned.value),
            value_span: scanned.span,
            line,
            in_section: self.names.in_section(),
            flags,
        }));
        LineKind::KeyValue
    }
}

struct LineCtx {
    start: usize,
    number: u32,
}

fn diag_id(rule: Rule) -> DiagId {
    match rule {
        Rule::syn001 => DiagId::SYN001,
        Rule::syn002 => DiagId::SYN002,
        Rule::syn003 => DiagId::SYN003,
        Rule::syn005 => DiagId::SYN005,
        _ => DiagId::SYN004,
    }
}

fn describe_unit(unit: Option<char>) -> String {
    match unit {
        None => "the end of the line".to_owned(),
        Some(' ') => "a space".to_owned(),
        Some('\t') => "a tab".to_owned(),
        Some('\r') => "a carriage return".to_owned(),
        Some(c) if c.is_control() || c.is_whitespace() => format!("U+{:04X}", c as u32),
        Some(c) => format!("`{c}`"),
    }
}

fn escape_help(unit: Option<char>, line_before: &str) -> String {
    let windows_path = line_before
        .as_bytes()
        .windows(2)
        .any(|w| w[0].is_ascii_alphabetic() && w[1] == b':');
    match unit {
        None => "a backslash at the end of the file has nothing to escape; remove it or end the file with a line break".to_owned(),
        Some('#') => "`#` cannot be escaped; put the value in quotes to keep a `#`: `\"a#b\"`".to_owned(),
        Some(_) if windows_path => "Windows paths need doubled backslashes (`C:\\\\Users\\\\me\\\\kernel`) or forward slashes (`C:/Users/me/kernel`); WSL drops this whole line".to_owned(),
        Some(_) => "only `\\\\`, `\\\"`, `\\b`, `\\n`, `\\t` and a backslash at the end of a line (continuation) are escapes; write `\\\\` for a literal backslash".to_owned(),
    }
}

/// Unescapes a value exactly like the scanner (grammar.md §6).
struct ValueScan {
    bytes: Vec<u8>,
    /// Length after the last raw unit that was not a space or tab (§6.4).
    mark: usize,
    raw_end: usize,
    flags: ValueFlags,
}

struct Scanned {
    value: String,
    span: Span,
    flags: ValueFlags,
}

impl ValueScan {
    fn run(value: Pair<'_, Rule>) -> Scanned {
        let start = value.as_span().start();
        let mut scan = ValueScan {
            bytes: Vec::with_capacity(value.as_str().len()),
            mark: 0,
            raw_end: start,
            flags: ValueFlags::default(),
        };
        for piece in value.into_inner() {
            scan.piece(piece);
        }
        let ValueScan {
            bytes,
            mark,
            raw_end,
            mut flags,
        } = scan;
        let value = finish_value_vec(bytes, mark, &mut flags);
        Scanned {
            value,
            span: Span::new(start, raw_end),
            flags,
        }
    }

    fn piece(&mut self, piece: Pair<'_, Rule>) {
        let rule = piece.as_rule();
        match rule {
            Rule::hsp => {
                self.bytes.extend_from_slice(piece.as_str().as_bytes());
                return;
            }
            Rule::plain | Rule::qtext => push_text(&mut self.bytes, &mut self.flags, piece.as_str()),
            Rule::escape => {
                let b = escaped_byte(piece.as_str().as_bytes()[1]);
                self.flags.control_escape |= b < 0x20;
                self.bytes.push(b);
            }
            Rule::continuation | Rule::cr_swallow | Rule::quote => {}
            Rule::quoted => {
                for inner in piece.clone().into_inner() {
                    self.piece(inner);
                }
            }
            _ => unreachable!("not a value piece: {rule:?}"),
        }
        self.mark = self.bytes.len();
        self.raw_end = piece.as_span().end();
    }
}

// ------------------------------------------------------------------ shared
// What the pest walker and the byte scanner build the same way.

/// The byte an escape `\c` stands for (`escape` of grammar.md §6: `\\`,
/// `\"`, `\b`, `\n`, `\t`).
pub(super) fn escaped_byte(c: u8) -> u8 {
    match c {
        b'b' => 0x08,
        b'n' => b'\n',
        b't' => b'\t',
        other => other,
    }
}

pub(super) fn count_lf(s: &str) -> u32 {
    s.bytes().filter(|&b| b == b'\n').count() as u32
}

/// The section-name buffer of quirk Q1 and the full key names formed from it,
/// with the text shared between entries ([`SharedStrings`]): what both
/// scanners keep from line to line.
pub(super) struct KeyNames {
    /// The buffer: the last header's name, valid or not.
    buffer: String,
    /// The length of the last valid name (0: no section yet).
    active_len: usize,
    /// Where a full key name is assembled before it is shared.
    scratch: String,
    pub(super) strings: SharedStrings,
}

impl KeyNames {
    pub(super) fn new() -> KeyNames {
        KeyNames {
            buffer: String::new(),
            active_len: 0,
            scratch: String::new(),
            strings: SharedStrings::new(),
        }
    }

    /// Quirk Q1: a header, valid or not, overwrites the buffer.
    pub(super) fn overwrite(&mut self, name: &str) {
        self.buffer.clear();
        self.buffer.push_str(name);
    }

    /// A valid header: the buffer's name becomes the active section.
    pub(super) fn activate(&mut self) -> &str {
        self.active_len = self.buffer.len();
        &self.buffer
    }

    /// Whether a valid section header came before.
    pub(super) fn in_section(&self) -> bool {
        self.active_len > 0
    }

    /// The full key name as WSL forms it (quirk Q1): the first `active_len`
    /// units of the buffer, padded with NUL, with the name cut at the first
    /// NUL; then `.` and the key as typed.
    pub(super) fn full_key(&mut self, key_text: &str) -> Arc<str> {
        let scratch = &mut self.scratch;
        scratch.clear();
        if self.active_len > 0 {
            let prefix = &self.buffer.as_bytes()[..self.buffer.len().min(self.active_len)];
            scratch.push_str(std::str::from_utf8(prefix).expect("section names are ASCII"));
            if prefix.len() == self.active_len {
                scratch.push('.');
                scratch.push_str(key_text);
            }
        } else {
            scratch.push_str(key_text);
        }
        self.strings.share(scratch)
    }
}

/// Shares the text of repeated key names and values between entries: a
/// large file repeats a small key table, so most of its entries name a key
/// and often a value that an earlier entry already allocated. A small
/// direct-mapped cache of recent strings; a miss allocates (and replaces the
/// slot), so the result is the same text whether or not it is shared.
pub(super) struct SharedStrings {
    slots: Vec<Option<Arc<str>>>,
}

impl SharedStrings {
    const SLOTS: usize = 128;
    /// Longer texts are rarely repeated: not worth hashing. (Sharing only
    /// values up to 16 bytes measured no faster.)
    const LONGEST: usize = 64;

    pub(super) fn new() -> SharedStrings {
        SharedStrings { slots: Vec::new() }
    }

    /// A slot from the length and the first and last eight bytes: what
    /// tells apart the names of a key table and short values, without a
    /// loop over every byte.
    fn slot(b: &[u8]) -> usize {
        let word = |bytes: &[u8]| {
            let mut w = [0u8; 8];
            w[..bytes.len()].copy_from_slice(bytes);
            u64::from_le_bytes(w)
        };
        let n = b.len();
        let head = word(&b[..n.min(8)]);
        let tail = word(&b[n.saturating_sub(8)..]);
        let h = (head.rotate_left(29) ^ tail ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> 57) as usize % Self::SLOTS
    }

    pub(super) fn share(&mut self, text: &str) -> Arc<str> {
        if text.len() > Self::LONGEST {
            return Arc::from(text);
        }
        if self.slots.is_empty() {
            self.slots.resize(Self::SLOTS, None);
        }
        let slot = &mut self.slots[Self::slot(text.as_bytes())];
        match slot {
            Some(shared) if **shared == *text => shared.clone(),
            _ => slot.insert(Arc::from(text)).clone(),
        }
    }
}

/// The unit at `offset` as a span (empty at a line end or end of file) and
/// as text for messages.
fn unit_at(text: &str, offset: usize) -> (Span, Option<char>) {
    match text[offset..].chars().next() {
        Some(c) if c != '\n' && !text[offset..].starts_with("\r\n") => {
            (Span::new(offset, offset + c.len_utf8()), Some(c))
        }
        _ => (Span::new(offset, offset), None),
    }
}

/// The diagnostic of a skipped line (SYN001–SYN005) whose offending unit is
/// at `offending`.
pub(super) fn invalid_line_diag(id: DiagId, text: &str, offending: usize, line: u32) -> Diagnostic {
    let (span, unit) = unit_at(text, offending);
    let found = describe_unit(unit);
    let diag = match id {
        DiagId::SYN001 => Diagnostic::new(
            DiagId::SYN001,
            "invalid section name: `[` must be followed directly by a letter",
        )
        .label(format!("found {found}"))
        .help("a section header is `[` + a letter + letters or digits + `]`, e.g. `[wsl2]`"),
        DiagId::SYN002 => Diagnostic::new(DiagId::SYN002, "expected `]` after the section name")
            .fact("expected", "']'")
            .label(format!("expected `]`, found {found}"))
            .help("section names contain only ASCII letters and digits: `[wsl2]`, `[experimental]`, `[general]`"),
        DiagId::SYN003 => Diagnostic::new(DiagId::SYN003, "expected the end of the line after the section header")
            .fact("expected", "' ' or '\\n'")
            .label(format!("found {found}"))
            .help("only spaces, tabs or a `#` comment may follow `]`"),
        DiagId::SYN005 => Diagnostic::new(DiagId::SYN005, "expected `=` after the key name")
            .fact("expected", "'='")
            .label(format!("expected `=`, found {found}"))
            .help(
                "key names contain only ASCII letters and digits (no `_`, `-` or `.`), followed by `=` and the value",
            ),
        _ => {
            let d = Diagnostic::new(DiagId::SYN004, "invalid line: a line must start with a key, `[` or `#`")
                .label(format!("found {found}"));
            match unit {
                Some(';') => d.help("`;` does not start a comment in .wslconfig: WSL skips this line with a warning; write `#` instead"),
                Some(c) if c.is_ascii_digit() => d.help("key names start with an ASCII letter"),
                Some('/') if text[offending..].starts_with("//") => {
                    d.help("`//` does not start a comment in .wslconfig; write `#` instead")
                }
                Some(c) if !c.is_ascii() || c.is_whitespace() => d.help(
                    "only spaces and tabs may come before a key; other characters (non-breaking spaces, letters outside ASCII) make the line invalid",
                ),
                _ => d.help("a line holds `key = value`, a `[section]` header, a `#` comment, or nothing"),
            }
        }
    };
    diag.at(line, span)
}

/// SYN006: the invalid escape `text[at..end]` (a backslash and the unit after
/// it, or a lone backslash at the end of the file) in the line starting at
/// `line_start`.
pub(super) fn bad_escape_diag(text: &str, line_start: usize, at: usize, end: usize, line: u32) -> Diagnostic {
    let unit = text[at + 1..end].chars().next();
    let shown = unit.unwrap_or('\u{FFFF}');
    let message = match unit {
        Some(c) => format!("invalid escape sequence `\\{c}`"),
        None => "a backslash at the end of the file escapes nothing".to_owned(),
    };
    let mut d = Diagnostic::new(DiagId::SYN006, message)
        .value(shown.to_string())
        .label(match unit {
            Some(_) => "only \\\\ \\\" \\b \\n \\t and \\ before a line break are escapes".to_owned(),
            None => "a backslash at the very end of the file".to_owned(),
        });
    d.detail_mut().help = Some(escape_help(unit, &text[line_start..at]).into());
    d.at(line, Span::new(at, end))
}

/// SYN007: the quote at `quote` is never closed.
pub(super) fn open_quote_diag(quote: usize, line: u32) -> Diagnostic {
    Diagnostic::new(DiagId::SYN007, "unterminated quote: the value ends inside `\"`")
        .fact("expected", "\"")
        .label("this quote is never closed")
        .help("close the quote on the same line; a quoted value cannot span lines except through a `\\` at the end of the line")
        .at(line, Span::new(quote, quote + 1))
}

/// The value handed to the typed parser: the unescaped bytes up to the last
/// unit that was not a space or tab (§6.4), cut at a NUL (Q4).
pub(super) fn finish_value(strings: &mut SharedStrings, bytes: &[u8], flags: &mut ValueFlags) -> Arc<str> {
    let mut bytes = bytes;
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        bytes = &bytes[..nul];
        flags.nul = true;
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => strings.share(s),
        Err(_) => Arc::from(String::from_utf8_lossy(bytes)),
    }
}

/// [`finish_value`] of `bytes[..mark]`, reusing the buffer (no copy of a
/// large value).
pub(super) fn finish_value_vec(mut bytes: Vec<u8>, mark: usize, flags: &mut ValueFlags) -> String {
    bytes.truncate(mark);
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        bytes.truncate(nul);
        flags.nul = true;
    }
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// Appends value text keeping only the low 8 bits of each UTF-16 unit (Q3).
pub(super) fn push_text(bytes: &mut Vec<u8>, flags: &mut ValueFlags, text: &str) {
    if text.is_ascii() {
        bytes.extend_from_slice(text.as_bytes());
        return;
    }
    flags.non_ascii = true;
    let mut units = [0u16; 2];
    for c in text.chars() {
        for unit in c.encode_utf16(&mut units) {
            bytes.push(*unit as u8);
        }
    }
}

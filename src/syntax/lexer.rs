//! The runtime scanner: a hand-written, single-pass byte scanner that gives
//! exactly the tree and the events of the pest grammar (`grammar/wslconfig.pest`
//! walked by `scan.rs`), without pest's per-rule cost.
//!
//! Every function below transcribes one rule of the grammar, with pest's
//! ordered choice and greedy repetition; the comments name the rule. The
//! equivalence is tested, not assumed: `tests/properties.rs` compares the two
//! on arbitrary bytes, on structured `.wslconfig`-like input, on every corpus
//! and fixture file and on large inputs (docs/architecture.md, "The two
//! scanners").
//!
//! Nothing is allocated per character or per token except the tree's own
//! vectors; per line only what an event keeps (the key and value of an entry,
//! a section name, a diagnostic).

use super::scan::{
    Entry, Event, KeyNames, SectionHeader, ValueFlags, bad_escape_diag, count_lf, escaped_byte, finish_value,
    finish_value_vec, invalid_line_diag, open_quote_diag, push_text,
};
use super::tree::{LineKind, Span, SyntaxTree, TokenKind};
use crate::diag::DiagId;
use std::sync::Arc;

/// Values whose scratch buffer grew past this are moved out, not copied.
const LARGE_VALUE: usize = 1 << 16;

/// Scans decoded text. Never fails.
pub fn scan(text: &str) -> (SyntaxTree, Vec<Event>) {
    // Room for what a file of this size usually holds, so that the vectors
    // of a large file are not copied as they grow: a physical line gives at
    // most one line node and one event, and a token is rarely shorter than
    // four bytes on average. (Unused room of a large reservation is never
    // touched.)
    let lfs = count_lf(text) as usize + 1;
    let mut s = Scanner {
        text,
        b: text.as_bytes(),
        pos: 0,
        tree: SyntaxTree::with_capacity(lfs, text.len() / 4 + lfs),
        events: Vec::with_capacity(lfs),
        line_no: 1,
        names: KeyNames::new(),
        value: Vec::new(),
    };
    s.file();
    (s.tree, s.events)
}

struct Scanner<'t> {
    text: &'t str,
    b: &'t [u8],
    pos: usize,
    tree: SyntaxTree,
    events: Vec<Event>,
    /// The scanner's line counter at the current position (grammar.md §8).
    line_no: u32,
    /// Quirk Q1's buffer and the entries' full key names.
    names: KeyNames,
    /// Scratch buffer for the unescaped value, reused from line to line.
    value: Vec<u8>,
}

/// What a value scan found (the pest walker's `ValueScan`).
struct ValueEnd {
    /// End of the last piece that was not HSP (§6.4).
    raw_end: usize,
    /// Length of the unescaped value up to that piece.
    mark: usize,
    /// LFs inside the value (continuations).
    lfs: u32,
    flags: ValueFlags,
}

#[inline]
fn is_letter(b: u8) -> bool {
    b.is_ascii_alphabetic()
}

/// Bytes that end a `plain` run (outside quotes).
#[inline]
fn ends_plain(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'"' | b'\\' | b'#' | b'\n' | b'\r')
}

/// Bytes that end a `qtext` run (inside quotes).
#[inline]
fn ends_qtext(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'"' | b'\\' | b'\n' | b'\r')
}

/// Length of the UTF-8 character whose first byte is `b`.
#[inline]
fn char_len(b: u8) -> usize {
    match b {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

impl<'t> Scanner<'t> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    #[inline]
    fn peek_at(&self, n: usize) -> Option<u8> {
        self.b.get(self.pos + n).copied()
    }

    #[inline]
    fn token(&mut self, kind: TokenKind, start: usize) {
        if self.pos > start {
            self.tree.push_token(kind, Span::new(start, self.pos));
        }
    }

    /// `hsp = @{ (" " | "\t")+ }`: a Space token if there is one.
    #[inline]
    fn hsp(&mut self) -> bool {
        let start = self.pos;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
        self.token(TokenKind::Space, start);
        self.pos > start
    }

    /// `nl = @{ "\r\n" | "\n" }`.
    #[inline]
    fn nl(&mut self) -> bool {
        let len = match (self.peek(), self.peek_at(1)) {
            (Some(b'\n'), _) => 1,
            (Some(b'\r'), Some(b'\n')) => 2,
            _ => return false,
        };
        let start = self.pos;
        self.pos += len;
        self.token(TokenKind::Newline, start);
        true
    }

    /// `lone_cr`: one CR not followed by LF, as its own token.
    #[inline]
    fn lone_cr(&mut self) {
        self.pos += 1;
        self.tree
            .push_token(TokenKind::LoneCr, Span::new(self.pos - 1, self.pos));
    }

    /// `header_end = _{ nl | lone_cr | &EOI }` (a lone CR ends the line and
    /// counts, §8): the line feeds it consumed, or `None` when the line goes on.
    fn header_end(&mut self) -> Option<u32> {
        match (self.peek(), self.peek_at(1)) {
            (None, _) => Some(0),
            (Some(b'\n'), _) | (Some(b'\r'), Some(b'\n')) => {
                self.nl();
                Some(1)
            }
            (Some(b'\r'), _) => {
                self.lone_cr();
                Some(1)
            }
            _ => None,
        }
    }

    /// `rest = @{ (!nl ~ ANY)* }`: up to the next LF, or the CR of a CRLF.
    #[inline]
    fn rest(&mut self, kind: TokenKind) {
        let start = self.pos;
        let end = match memchr_lf(&self.b[start..]) {
            Some(i) => {
                let lf = start + i;
                if lf > start && self.b[lf - 1] == b'\r' {
                    lf - 1
                } else {
                    lf
                }
            }
            None => self.b.len(),
        };
        self.pos = end;
        self.token(kind, start);
    }

    /// `skipped = { rest ~ (nl | &EOI) }`.
    #[inline]
    fn skipped(&mut self) {
        self.rest(TokenKind::Skipped);
        self.nl();
    }

    /// `file = { SOI ~ line* ~ lead ~ EOI }`, where
    /// `line = _{ lead ~ (&letter ~ (kv_line | syn005) | blank | &"#" ~ comment_line
    /// | &"[" ~ (section_line | syn001 | syn002 | syn003) | syn004) }`.
    /// Every alternative matches once `lead` is not at the end of the text, so
    /// `line*` stops exactly at the end, where the pending `lead` becomes a
    /// trailing line.
    fn file(&mut self) {
        loop {
            let start = self.pos;
            let first_token = self.tree.token_count();
            // lead = _{ (hsp | lone_cr)* }
            loop {
                match self.peek() {
                    Some(b' ' | b'\t') => {
                        self.hsp();
                    }
                    Some(b'\r') if self.peek_at(1) != Some(b'\n') => self.lone_cr(),
                    _ => break,
                }
            }
            let Some(c) = self.peek() else {
                if self.pos > start {
                    let span = Span::new(start, self.pos);
                    self.tree.push_line(LineKind::Trailing, span, self.line_no, first_token);
                }
                return;
            };
            let number = self.line_no;
            let (kind, lfs) = match c {
                b'\n' | b'\r' => {
                    // blank = { nl } (a lone CR went to `lead`)
                    self.nl();
                    (LineKind::Blank, 1)
                }
                b'#' => {
                    // comment_line = { comment ~ (nl | &EOI) }
                    self.rest(TokenKind::Comment);
                    (LineKind::Comment, self.nl() as u32)
                }
                b'[' => self.bracket_line(start, number),
                c if is_letter(c) => self.key_line(start, number),
                _ => {
                    // syn004 = { invalid_start ~ skipped }
                    let at = self.pos;
                    self.pos += char_len(c);
                    self.token(TokenKind::Skipped, at);
                    self.skipped();
                    self.invalid(DiagId::SYN004, start, number, at)
                }
            };
            self.line_no += lfs;
            self.tree
                .push_line(kind, Span::new(start, self.pos), number, first_token);
        }
    }

    /// The line kind and the line count of an invalid line: its SYN event,
    /// and the LF that ended it.
    fn invalid(&mut self, id: DiagId, start: usize, number: u32, offending: usize) -> (LineKind, u32) {
        let line = number + count_lf(&self.text[start..offending]);
        self.events.push(Event::Syntax(Box::new(invalid_line_diag(
            id, self.text, offending, line,
        ))));
        (LineKind::Invalid(id), self.ends_with_lf())
    }

    #[inline]
    fn ends_with_lf(&self) -> u32 {
        (self.pos > 0 && self.b[self.pos - 1] == b'\n') as u32
    }

    /// `section_name = @{ letter ~ alnum* }` (also `key_name`); the caller has
    /// checked the letter.
    #[inline]
    fn name(&mut self, kind: TokenKind) -> usize {
        let start = self.pos;
        self.pos += 1;
        while self.peek().is_some_and(|b| b.is_ascii_alphanumeric()) {
            self.pos += 1;
        }
        self.token(kind, start);
        start
    }

    /// `section_line | syn001 | syn002 | syn003`, all starting with `[`.
    fn bracket_line(&mut self, start: usize, number: u32) -> (LineKind, u32) {
        // lbracket = { "[" }
        self.pos += 1;
        self.tree
            .push_token(TokenKind::LBracket, Span::new(self.pos - 1, self.pos));
        if !self.peek().is_some_and(is_letter) {
            // syn001 = { lbracket ~ !letter ~ skipped }
            let offending = self.pos;
            self.skipped();
            return self.invalid(DiagId::SYN001, start, number, offending);
        }
        let name_start = self.name(TokenKind::SectionName);
        let name_end = self.pos;
        // Quirk Q1: a header, failed or not, overwrites the buffer.
        self.names.overwrite(&self.text[name_start..name_end]);
        if self.peek() != Some(b']') {
            // syn002 = { lbracket ~ section_name ~ !"]" ~ skipped }
            self.skipped();
            return self.invalid(DiagId::SYN002, start, number, name_end);
        }
        // rbracket = { "]" }
        self.pos += 1;
        self.tree
            .push_token(TokenKind::RBracket, Span::new(self.pos - 1, self.pos));
        self.hsp();
        // section_line = { lbracket ~ section_name ~ rbracket ~ hsp?
        //                  ~ (comment ~ (nl | &EOI) | header_end) }
        let lfs = match self.peek() {
            Some(b'#') => {
                self.rest(TokenKind::Comment);
                self.nl() as u32
            }
            _ if let Some(lfs) = self.header_end() => lfs,
            _ => {
                // syn003 = { lbracket ~ section_name ~ rbracket ~ hsp? ~ skipped }
                let offending = self.pos;
                self.skipped();
                return self.invalid(DiagId::SYN003, start, number, offending);
            }
        };
        let name = self.names.activate().to_owned();
        self.events.push(Event::Section(SectionHeader {
            name,
            span: Span::new(name_start, name_end),
            line: number,
        }));
        (LineKind::Section, lfs)
    }

    /// `kv_line | syn005`, both starting with a letter.
    fn key_line(&mut self, start: usize, number: u32) -> (LineKind, u32) {
        let key_start = self.name(TokenKind::KeyName);
        let key_end = self.pos;
        self.hsp();
        if self.peek() != Some(b'=') {
            // syn005 = { key_name ~ hsp? ~ !"=" ~ skipped }
            let offending = self.pos;
            self.skipped();
            return self.invalid(DiagId::SYN005, start, number, offending);
        }
        // kv_line = { key_name ~ hsp? ~ equals ~ hsp? ~ value ~ value_end }
        self.pos += 1;
        self.tree
            .push_token(TokenKind::Equals, Span::new(self.pos - 1, self.pos));
        self.hsp();
        let value_start = self.pos;
        let v = self.value();
        // value_end = _{ header_end | comment ~ (nl | &EOI) | open_quote? ~ syn006_eof
        //              | open_quote? ~ syn006 | syn007 }
        let end_lfs = match self.peek() {
            _ if let Some(lfs) = self.header_end() => lfs,
            Some(b'#') => {
                self.rest(TokenKind::Comment);
                self.nl() as u32
            }
            Some(b'"') => {
                // open_quote = { quote ~ (qtext | hsp | escape | continuation | cr_swallow)* }
                let quote = self.pos;
                self.pos += 1;
                self.tree.push_token(TokenKind::Quote, Span::new(quote, self.pos));
                self.value.clear();
                let mut inner = ValueEnd {
                    raw_end: self.pos,
                    mark: 0,
                    lfs: 0,
                    flags: ValueFlags::default(),
                };
                self.quoted_pieces(&mut inner);
                if self.peek() == Some(b'\\') {
                    return self.bad_escape(start, number);
                }
                // syn007 = { open_quote ~ skipped }
                let line = number + count_lf(&self.text[start..self.pos]);
                self.skipped();
                self.events.push(Event::Syntax(Box::new(open_quote_diag(quote, line))));
                return (LineKind::Invalid(DiagId::SYN007), count_lf(&self.text[start..self.pos]));
            }
            // The value stopped at a backslash that starts no escape.
            _ => return self.bad_escape(start, number),
        };
        let line = number + v.lfs;
        let mut flags = v.flags;
        flags.continued = line != number;
        let value = if self.value.capacity() > LARGE_VALUE {
            // A large value takes the scratch buffer instead of a copy of it.
            Arc::from(finish_value_vec(std::mem::take(&mut self.value), v.mark, &mut flags))
        } else {
            finish_value(&mut self.names.strings, &self.value[..v.mark], &mut flags)
        };
        let key = self.names.full_key(&self.text[key_start..key_end]);
        self.events.push(Event::Entry(Entry {
            key,
            key_span: Span::new(key_start, key_end),
            value,
            value_span: Span::new(value_start, v.raw_end),
            line,
            in_section: self.names.in_section(),
            flags,
        }));
        (LineKind::KeyValue, v.lfs + end_lfs)
    }

    /// `syn006_eof = { eof_escape }` or `syn006 = { bad_escape ~ skipped }` at a
    /// backslash.
    fn bad_escape(&mut self, start: usize, number: u32) -> (LineKind, u32) {
        let at = self.pos;
        self.pos += 1;
        if let Some(c) = self.peek() {
            // bad_escape = @{ "\\" ~ ANY }
            self.pos += char_len(c);
        }
        self.token(TokenKind::BadEscape, at);
        let end = self.pos;
        if end > at + 1 {
            self.skipped();
        }
        let line = number + count_lf(&self.text[start..at]);
        let d = bad_escape_diag(self.text, start, at, end, line);
        self.events.push(Event::Syntax(Box::new(d)));
        (LineKind::Invalid(DiagId::SYN006), count_lf(&self.text[start..self.pos]))
    }

    /// A backslash piece: `escape`, `continuation` or `cr_swallow`. Returns
    /// false (and consumes nothing) when the backslash starts none of them.
    #[inline]
    fn backslash(&mut self, v: &mut ValueEnd) -> bool {
        let start = self.pos;
        match (self.peek_at(1), self.peek_at(2)) {
            // escape = @{ "\\" ~ ("\\" | "\"" | "b" | "n" | "t") }
            (Some(c @ (b'\\' | b'"' | b'b' | b'n' | b't')), _) => {
                let byte = escaped_byte(c);
                v.flags.control_escape |= byte < 0x20;
                self.value.push(byte);
                self.pos += 2;
                self.tree.push_token(TokenKind::Escape, Span::new(start, self.pos));
            }
            // continuation = @{ "\\" ~ ("\r\n" | "\n") }
            (Some(b'\n'), _) => {
                self.pos += 2;
                v.lfs += 1;
                self.tree
                    .push_token(TokenKind::Continuation, Span::new(start, self.pos));
            }
            (Some(b'\r'), Some(b'\n')) => {
                self.pos += 3;
                v.lfs += 1;
                self.tree
                    .push_token(TokenKind::Continuation, Span::new(start, self.pos));
            }
            // cr_swallow = @{ "\\" ~ "\r" }
            (Some(b'\r'), _) => {
                self.pos += 2;
                self.tree
                    .push_token(TokenKind::Continuation, Span::new(start, self.pos));
            }
            _ => return false,
        }
        v.mark = self.value.len();
        v.raw_end = self.pos;
        true
    }

    /// A run of text (`plain` or `qtext`) up to a byte `ends` accepts.
    #[inline]
    fn text_run(&mut self, v: &mut ValueEnd, ends: fn(u8) -> bool) {
        let start = self.pos;
        self.pos += 1;
        while self.peek().is_some_and(|b| !ends(b)) {
            self.pos += 1;
        }
        self.tree.push_token(TokenKind::Text, Span::new(start, self.pos));
        push_text(&mut self.value, &mut v.flags, &self.text[start..self.pos]);
        v.mark = self.value.len();
        v.raw_end = self.pos;
    }

    /// A run of HSP inside a value: kept in the value, but not marked (§6.4).
    #[inline]
    fn value_hsp(&mut self) {
        let start = self.pos;
        self.hsp();
        self.value.extend_from_slice(&self.b[start..self.pos]);
    }

    /// `value = { (plain | hsp | &"\\" ~ (escape | continuation | cr_swallow) | quoted)* }`
    fn value(&mut self) -> ValueEnd {
        self.value.clear();
        let mut v = ValueEnd {
            raw_end: self.pos,
            mark: 0,
            lfs: 0,
            flags: ValueFlags::default(),
        };
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' => self.value_hsp(),
                b'\\' => {
                    if !self.backslash(&mut v) {
                        break;
                    }
                }
                b'"' => {
                    if !self.quoted(&mut v) {
                        break;
                    }
                }
                b'#' | b'\n' | b'\r' => break,
                _ => self.text_run(&mut v, ends_plain),
            }
        }
        v
    }

    /// `(qtext | hsp | escape | continuation | cr_swallow)*`, the inside of
    /// `quoted` and `open_quote`.
    fn quoted_pieces(&mut self, v: &mut ValueEnd) {
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' => self.value_hsp(),
                b'\\' => {
                    if !self.backslash(v) {
                        break;
                    }
                }
                b'"' | b'\n' | b'\r' => break,
                _ => self.text_run(v, ends_qtext),
            }
        }
    }

    /// `quoted = { quote ~ (qtext | hsp | escape | continuation | cr_swallow)* ~ quote }`.
    /// On failure nothing is kept: position, tokens and line count go back to
    /// the opening quote (the value bytes do not matter then, as the line
    /// becomes SYN006 or SYN007).
    fn quoted(&mut self, v: &mut ValueEnd) -> bool {
        let start = self.pos;
        let tokens = self.tree.token_count();
        let lfs = v.lfs;
        self.pos += 1;
        self.tree.push_token(TokenKind::Quote, Span::new(start, self.pos));
        v.mark = self.value.len();
        v.raw_end = self.pos;
        self.quoted_pieces(v);
        if self.peek() == Some(b'"') {
            self.pos += 1;
            self.tree
                .push_token(TokenKind::Quote, Span::new(self.pos - 1, self.pos));
            v.mark = self.value.len();
            v.raw_end = self.pos;
            true
        } else {
            self.pos = start;
            self.tree.truncate_tokens(tokens);
            v.lfs = lfs;
            false
        }
    }
}

/// The index of the first LF in `b`.
#[inline]
fn memchr_lf(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

//! The lossless syntax tree: every byte of the decoded text belongs to exactly
//! one line node, and inside a line to exactly one token.

use serde::Serialize;
use std::ops::Range;

/// A byte range of the decoded text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn len(self) -> u32 {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// What a line of the file is, as the scanner classified it (grammar.md §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum LineKind {
    Blank,
    Comment,
    Section,
    KeyValue,
    /// A line the scanner skipped with the given SYN diagnostic.
    Invalid(crate::diag::DiagId),
    /// Spaces, tabs or lone CRs at the very end of the file.
    Trailing,
}

/// The smallest pieces of a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum TokenKind {
    /// Spaces and tabs.
    Space,
    /// A CR not followed by LF.
    LoneCr,
    /// LF or CRLF.
    Newline,
    /// `#` and the rest of the physical line.
    Comment,
    LBracket,
    RBracket,
    SectionName,
    KeyName,
    Equals,
    /// Value text outside or inside quotes.
    Text,
    Quote,
    /// `\\`, `\"`, `\b`, `\n`, `\t`.
    Escape,
    /// A backslash followed by a line break (or a swallowed lone CR).
    Continuation,
    /// An invalid escape.
    BadEscape,
    /// The remainder of a line the scanner skipped.
    Skipped,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// One scanner line: from the first byte after the previous line's end up to
/// and including its own line end. A value continued with `\` is one line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Line {
    pub kind: LineKind,
    pub span: Span,
    /// The line number (grammar.md §8) at the line's first byte.
    pub number: u32,
    tokens: Range<u32>,
}

/// The whole file as lines and tokens.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SyntaxTree {
    lines: Vec<Line>,
    tokens: Vec<Token>,
}

impl SyntaxTree {
    pub(crate) fn with_capacity(lines: usize, tokens: usize) -> SyntaxTree {
        SyntaxTree {
            lines: Vec::with_capacity(lines),
            tokens: Vec::with_capacity(tokens),
        }
    }

    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    pub fn tokens(&self, line: &Line) -> &[Token] {
        &self.tokens[line.tokens.start as usize..line.tokens.end as usize]
    }

    /// All tokens of the file in order.
    pub fn all_tokens(&self) -> &[Token] {
        &self.tokens
    }

    pub(crate) fn push_token(&mut self, kind: TokenKind, span: Span) {
        self.tokens.push(Token { kind, span });
    }

    /// Drops the tokens pushed since the count was `len` (a failed
    /// alternative of the byte scanner).
    pub(crate) fn truncate_tokens(&mut self, len: u32) {
        self.tokens.truncate(len as usize);
    }

    pub(crate) fn token_count(&self) -> u32 {
        self.tokens.len() as u32
    }

    pub(crate) fn push_line(&mut self, kind: LineKind, span: Span, number: u32, first_token: u32) {
        let tokens = first_token..self.tokens.len() as u32;
        self.lines.push(Line {
            kind,
            span,
            number,
            tokens,
        });
    }

    /// Reassembles the decoded text from the tree (the lossless property).
    pub fn text(&self, source: &str) -> String {
        let mut out = String::with_capacity(source.len());
        for line in &self.lines {
            for token in self.tokens(line) {
                out.push_str(&source[token.span.range()]);
            }
        }
        out
    }
}

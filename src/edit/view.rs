//! The writer's view of a parsed file (writer.md §2): which lines are header
//! lines and key lines, the section text before every line (with quirk Q1),
//! the full name of every key line, and every key line's value region.
//!
//! Everything here is read off the lossless tree of `syntax`, so the writer
//! sees exactly the lines the reader sees (principle 3). The only thing the
//! writer scans itself is the value region, because it differs from the
//! reader's value scan after an invalid escape (the reader stops there, the
//! writer looks on for a comment).

use crate::diag::DiagId;
use crate::registry::KeyId;
use crate::syntax::{LineKind, Parse, TokenKind};

/// The section text at a point of the file (writer.md §2, "Section text").
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SectionText {
    /// Before the first valid header.
    Empty,
    /// The first *L* units of the reader's prefix buffer.
    Name(String),
    /// The buffer is shorter than *L* (padded with NUL units by Q1): no
    /// section part at all.
    Padded,
}

impl SectionText {
    /// Whether a line placed here is read under one of the key's names.
    pub(crate) fn is_target(&self, key: KeyId) -> bool {
        match self {
            SectionText::Name(s) => key
                .spec()
                .names
                .iter()
                .any(|n| n.split_once('.').is_some_and(|(sec, _)| sec.eq_ignore_ascii_case(s))),
            SectionText::Empty | SectionText::Padded => false,
        }
    }
}

/// A key line's value region and what surrounds it (writer.md §2).
#[derive(Clone, Debug)]
pub(crate) struct KeyLine {
    /// The full name the reader forms (section text, `.`, key as typed).
    pub(crate) full_name: String,
    /// The reader drops the line (SYN006, SYN007).
    pub(crate) dropped: bool,
    pub(crate) key_start: usize,
    /// First unit after `=` and the blanks after it.
    pub(crate) value_start: usize,
    /// Start of the region's trailing blanks (= region end when there are none).
    pub(crate) trailing_start: usize,
    /// The `#` that ended the region, if any.
    pub(crate) comment: Option<usize>,
    /// Where the region ends: at the `#`, at the line break that ends the
    /// last physical line, or at the end of the file.
    pub(crate) region_end: usize,
}

#[derive(Clone, Debug)]
pub(crate) enum WriterLine {
    /// A header line (writer.md §2): valid, or failed with SYN001–SYN003.
    Header {
        /// Offset of the `[`.
        bracket: usize,
        valid: bool,
        /// Offset of the `#` of a trailing comment (valid headers only).
        comment: Option<usize>,
    },
    Key(KeyLine),
    /// Blank lines, comment lines, other invalid lines, trailing blanks.
    Other,
}

#[derive(Clone, Debug)]
pub(crate) struct ViewLine {
    /// The line's first byte (its leading blanks included).
    pub(crate) start: usize,
    pub(crate) section_before: SectionText,
    pub(crate) kind: WriterLine,
}

/// The writer's view of a whole file.
#[derive(Debug)]
pub(crate) struct View<'a> {
    pub(crate) text: &'a str,
    pub(crate) lines: Vec<ViewLine>,
    /// The section text after the last line.
    pub(crate) end_section: SectionText,
    /// End offsets of every `\` + line break continuation.
    continuation_ends: Vec<usize>,
}

/// Quirk Q1's prefix buffer and the length of the last valid section name.
struct Prefix {
    buffer: String,
    len: usize,
}

impl Prefix {
    fn text(&self) -> SectionText {
        if self.len == 0 {
            SectionText::Empty
        } else if self.buffer.len() >= self.len {
            SectionText::Name(self.buffer[..self.len].to_owned())
        } else {
            SectionText::Padded
        }
    }

    /// The full name of a key as the reader forms it (grammar.md §5, Q1).
    fn full_name(&self, key: &str) -> String {
        match self.text() {
            SectionText::Empty => key.to_owned(),
            SectionText::Name(s) => format!("{s}.{key}"),
            // Cut at the first NUL: the buffer only, without dot and key.
            SectionText::Padded => self.buffer.clone(),
        }
    }
}

impl<'a> View<'a> {
    pub(crate) fn new(parse: &'a Parse) -> View<'a> {
        let text = parse.source.text.as_str();
        let tree = &parse.tree;
        let mut prefix = Prefix {
            buffer: String::new(),
            len: 0,
        };
        let mut lines = Vec::with_capacity(tree.lines().len());
        let continuation_ends = tree
            .all_tokens()
            .iter()
            .filter(|t| t.kind == TokenKind::Continuation)
            .map(|t| t.span.end as usize)
            .collect();
        for line in tree.lines() {
            let tokens = tree.tokens(line);
            let find = |kind: TokenKind| tokens.iter().find(|t| t.kind == kind);
            let section_before = prefix.text();
            let kind = match line.kind {
                LineKind::Section | LineKind::Invalid(DiagId::SYN001 | DiagId::SYN002 | DiagId::SYN003) => {
                    let valid = line.kind == LineKind::Section;
                    let bracket = find(TokenKind::LBracket).expect("a header line has its `[`");
                    if let Some(name) = find(TokenKind::SectionName) {
                        // Q1: a header that got past its first letter
                        // overwrites the buffer, valid or not.
                        prefix.buffer.clear();
                        prefix.buffer.push_str(&text[name.span.range()]);
                        if valid {
                            prefix.len = prefix.buffer.len();
                        }
                    }
                    WriterLine::Header {
                        bracket: bracket.span.start as usize,
                        valid,
                        comment: find(TokenKind::Comment)
                            .filter(|_| valid)
                            .map(|c| c.span.start as usize),
                    }
                }
                LineKind::KeyValue | LineKind::Invalid(DiagId::SYN006 | DiagId::SYN007) => {
                    let key = find(TokenKind::KeyName).expect("a key line has its key");
                    let equals = find(TokenKind::Equals).expect("a key line has its `=`");
                    let mut value_start = equals.span.end as usize;
                    while matches!(text.as_bytes().get(value_start), Some(b' ' | b'\t')) {
                        value_start += 1;
                    }
                    let region = scan_region(text, value_start);
                    WriterLine::Key(KeyLine {
                        full_name: prefix.full_name(&text[key.span.range()]),
                        dropped: line.kind != LineKind::KeyValue,
                        key_start: key.span.start as usize,
                        value_start,
                        trailing_start: region.trailing_start,
                        comment: region.comment,
                        region_end: region.end,
                    })
                }
                _ => WriterLine::Other,
            };
            lines.push(ViewLine {
                start: line.span.start as usize,
                section_before,
                kind,
            });
        }
        View {
            text,
            lines,
            end_section: prefix.text(),
            continuation_ends,
        }
    }

    /// The key lines that belong to a key (writer.md §2), in file order.
    pub(crate) fn lines_of(&self, key: KeyId) -> impl Iterator<Item = (usize, &KeyLine)> {
        self.lines.iter().enumerate().filter_map(move |(i, l)| match &l.kind {
            WriterLine::Key(k) if belongs(&k.full_name, key) => Some((i, k)),
            _ => None,
        })
    }

    /// Whether the line break ending at `end` is the one of a `\` continuation.
    pub(crate) fn is_continuation_end(&self, end: usize) -> bool {
        self.continuation_ends.binary_search(&end).is_ok()
    }
}

/// A full name belongs to a key when it equals one of its names, ignoring ASCII case.
pub(crate) fn belongs(full_name: &str, key: KeyId) -> bool {
    key.spec().names.iter().any(|n| n.eq_ignore_ascii_case(full_name))
}

struct Region {
    end: usize,
    trailing_start: usize,
    comment: Option<usize>,
}

/// The length of a line break at `i` (LF or CR LF; the logical text of a file
/// wslcfg edits has no lone CR), or 0.
pub(crate) fn line_break_at(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b'\n') => 1,
        Some(b'\r') if b.get(i + 1) == Some(&b'\n') => 2,
        _ => 0,
    }
}

/// The writer's value scan (writer.md §2, "Value region").
fn scan_region(text: &str, start: usize) -> Region {
    let b = text.as_bytes();
    let mut i = start;
    let mut quoted = false;
    let mut invalid_escape = false;
    // End of the last unit that is not a blank scanned on its own.
    let mut solid_end = start;
    let char_len = |i: usize| text[i..].chars().next().map_or(1, char::len_utf8);
    loop {
        if i >= b.len() || line_break_at(b, i) > 0 {
            break;
        }
        match b[i] {
            b'\\' => {
                let lb = line_break_at(b, i + 1);
                if i + 1 >= b.len() {
                    // A `\` right before the end of the file is inside the region.
                    i += 1;
                } else if lb > 0 && invalid_escape {
                    // The reader's line ends here (fix for B5): the `\` is
                    // inside the region, the line break is not.
                    i += 1;
                    solid_end = i;
                    break;
                } else if lb > 0 {
                    i += 1 + lb;
                } else {
                    invalid_escape |= !matches!(b[i + 1], b'\\' | b'"' | b'b' | b'n' | b't');
                    i += 1 + char_len(i + 1);
                }
                solid_end = i;
            }
            b'"' => {
                quoted = !quoted;
                i += 1;
                solid_end = i;
            }
            b'#' if !quoted => {
                return Region {
                    end: i,
                    trailing_start: solid_end,
                    comment: Some(i),
                };
            }
            b' ' | b'\t' => i += 1,
            _ => {
                i += char_len(i);
                solid_end = i;
            }
        }
    }
    Region {
        end: i,
        trailing_start: solid_end,
        comment: None,
    }
}

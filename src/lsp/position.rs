//! Editor positions ⇄ byte offsets.
//!
//! LSP addresses text by `(line, character)`: lines end at LF, CR LF or a lone
//! CR, and `character` counts UTF-16 code units unless the client and server
//! agreed on UTF-8 (LSP 3.17 `positionEncoding`), where it counts bytes. Every
//! analysis of `src/ide/` speaks in byte offsets; this module converts both
//! ways for one text.
//!
//! Out-of-range positions are clamped, never refused (LSP: a character past the
//! end of a line means the end of the line): a line past the last is the end of
//! the text, a character past the line's end is the line's end (before its
//! line break), and a position inside a character (the second unit of a UTF-16
//! surrogate pair, the middle of a UTF-8 sequence) moves back to that
//! character's start.

use lsp_types::{Position, PositionEncodingKind, Range};

/// How `Position::character` counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PositionEncoding {
    /// UTF-16 code units: the LSP default.
    #[default]
    Utf16,
    /// Bytes of UTF-8 (negotiated).
    Utf8,
}

impl PositionEncoding {
    /// The encoding to use given the client's `general.positionEncodings`:
    /// UTF-8 when offered (no conversion needed), else the mandatory UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> PositionEncoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => PositionEncoding::Utf8,
            _ => PositionEncoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
            PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
        }
    }

    fn units(self, c: char) -> usize {
        match self {
            PositionEncoding::Utf16 => c.len_utf16(),
            PositionEncoding::Utf8 => c.len_utf8(),
        }
    }
}

/// Where the lines of one text start.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset of every line's first byte; `starts[0] == 0`.
    starts: Vec<usize>,
    /// Whether each line (with its break) is ASCII: then a column is a byte difference.
    ascii: Vec<bool>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let b = text.as_bytes();
        let mut starts = vec![0];
        let mut ascii = Vec::new();
        let mut line_ascii = true;
        for (i, &c) in b.iter().enumerate() {
            line_ascii &= c.is_ascii();
            if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
                ascii.push(line_ascii);
                line_ascii = true;
            }
        }
        ascii.push(line_ascii);
        LineIndex { starts, ascii }
    }

    /// Number of lines (a text ending in a line break has an empty last line).
    pub fn lines(&self) -> usize {
        self.starts.len()
    }

    /// Byte range of line `line` without its line break.
    fn content(&self, text: &str, line: usize) -> (usize, usize) {
        let start = self.starts[line];
        let end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let mut content_end = end;
        let b = text.as_bytes();
        if content_end > start && b[content_end - 1] == b'\n' {
            content_end -= 1;
        }
        if content_end > start && b[content_end - 1] == b'\r' {
            content_end -= 1;
        }
        (start, content_end)
    }

    /// The byte offset of a position (clamped, see the module documentation).
    pub fn offset(&self, text: &str, position: Position, encoding: PositionEncoding) -> usize {
        let line = position.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let (start, end) = self.content(text, line);
        let wanted = position.character as usize;
        if self.ascii[line] {
            return start + wanted.min(end - start);
        }
        let mut units = 0;
        for (i, c) in text[start..end].char_indices() {
            if units >= wanted {
                return start + i;
            }
            units += encoding.units(c);
            if units > wanted {
                // Inside this character: its start.
                return start + i;
            }
        }
        end
    }

    /// The position of a byte offset (clamped to the text, moved back to a
    /// character boundary).
    pub fn position(&self, text: &str, offset: usize, encoding: PositionEncoding) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character = if self.ascii[line] || encoding == PositionEncoding::Utf8 {
            offset - start
        } else {
            text[start..offset].chars().map(|c| c.len_utf16()).sum()
        };
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, text: &str, start: usize, end: usize, encoding: PositionEncoding) -> Range {
        Range::new(self.position(text, start, encoding), self.position(text, end, encoding))
    }

    /// Byte offsets of a range; a reversed range is put in order.
    pub fn offsets(&self, text: &str, range: Range, encoding: PositionEncoding) -> (usize, usize) {
        let a = self.offset(text, range.start, encoding);
        let b = self.offset(text, range.end, encoding);
        (a.min(b), a.max(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const U16: PositionEncoding = PositionEncoding::Utf16;
    const U8: PositionEncoding = PositionEncoding::Utf8;

    #[test]
    fn lines_end_at_lf_crlf_and_lone_cr() {
        let text = "a\nb\r\nc\rd";
        let index = LineIndex::new(text);
        assert_eq!(index.lines(), 4);
        assert_eq!(index.offset(text, Position::new(1, 0), U16), 2);
        assert_eq!(index.offset(text, Position::new(2, 0), U16), 5);
        assert_eq!(index.offset(text, Position::new(3, 0), U16), 7);
        // Past the end of a line: before its break (CR LF counts as one).
        assert_eq!(index.offset(text, Position::new(1, 9), U16), 3);
        // Past the last line: the end of the text.
        assert_eq!(index.offset(text, Position::new(9, 0), U16), text.len());
        assert_eq!(index.position(text, 4, U16), Position::new(1, 2));
    }

    #[test]
    fn utf16_and_utf8_columns() {
        // `é` is 2 bytes / 1 unit; `😀` is 4 bytes / 2 units (a surrogate pair).
        let text = "ké=😀x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.position(text, x, U16), Position::new(0, 5));
        assert_eq!(index.position(text, x, U8), Position::new(0, 8));
        assert_eq!(index.offset(text, Position::new(0, 5), U16), x);
        assert_eq!(index.offset(text, Position::new(0, 8), U8), x);
        // Inside the surrogate pair / inside the UTF-8 sequence: the emoji's start.
        let emoji = text.find('😀').unwrap();
        assert_eq!(index.offset(text, Position::new(0, 4), U16), emoji);
        assert_eq!(index.offset(text, Position::new(0, 6), U8), emoji);
        // An offset inside a character moves back to its start.
        assert_eq!(index.position(text, emoji + 1, U16), Position::new(0, 3));
    }

    #[test]
    fn round_trip_every_boundary() {
        let text = "[wsl2]\r\nkérnel=\"C:\\\\ü\"\rmemory=8GB 😀\n\nx";
        let index = LineIndex::new(text);
        for enc in [U16, U8] {
            for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                // Between the CR and the LF of a CR LF is no position of its own.
                if text[..offset].ends_with('\r') && text[offset..].starts_with('\n') {
                    continue;
                }
                let p = index.position(text, offset, enc);
                assert_eq!(index.offset(text, p, enc), offset, "{offset} {p:?} {enc:?}");
            }
        }
    }
}

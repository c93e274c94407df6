//! Bytes → text, the way WSL's C runtime reads the file (grammar.md §1.3).
//!
//! A UTF-8 BOM is skipped, a UTF-16LE BOM switches to UTF-16LE, anything else
//! is UTF-8. Malformed sequences become U+FFFD and are remembered so that lint
//! can report every one of them. CRLF is *not* folded here: the grammar treats
//! `\r\n` as one line break, which keeps every byte of the input in the tree.

use serde::Serialize;
use std::sync::{Mutex, OnceLock};

/// How the file's bytes were decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub enum Encoding {
    /// UTF-8 without a byte order mark.
    #[serde(rename = "utf-8")]
    Utf8,
    /// UTF-8 with a leading EF BB BF, which the scanner never sees.
    #[serde(rename = "utf-8-bom")]
    Utf8Bom,
    /// UTF-16 little endian, announced by a leading FF FE.
    #[serde(rename = "utf-16le-bom")]
    Utf16LeBom,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16LeBom => "utf-16le-bom",
        }
    }

    /// Length in bytes of the byte order mark.
    pub fn bom_len(self) -> usize {
        match self {
            Encoding::Utf8 => 0,
            Encoding::Utf8Bom => 3,
            Encoding::Utf16LeBom => 2,
        }
    }
}

/// A malformed byte sequence that decoding replaced by U+FFFD.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Malformed {
    /// Offset of the replacement character in the decoded text.
    pub text_offset: u32,
    /// The bytes of the file that were replaced.
    pub source_start: u32,
    pub source_len: u32,
}

/// The decoded text and the way back to the file's bytes.
#[derive(Clone, Debug)]
pub struct Source {
    /// The file's bytes when they differ from `text` (a BOM, UTF-16, invalid
    /// UTF-8); `None` when the text is the file (see [`Source::bytes`]).
    raw: Option<Vec<u8>>,
    pub text: String,
    pub encoding: Encoding,
    /// For every byte offset of `text` (and one past its end), the offset in
    /// `bytes`. `None` when the mapping is `offset + bom_len`.
    map: Option<Vec<u32>>,
    pub malformed: Vec<Malformed>,
    /// Physical lines, built on first use (positions for reports).
    lines: OnceLock<LineIndex>,
    /// The last column computed, so that reports in file order count each
    /// character of a long line once.
    column_cache: ColumnCache,
}

/// Where every physical line starts (after LF, CRLF or a lone CR) and
/// whether it is pure ASCII (then a column is a byte difference).
#[derive(Clone, Debug, Default)]
struct LineIndex {
    starts: Vec<u32>,
    ascii: Vec<bool>,
}

impl LineIndex {
    fn build(text: &str) -> LineIndex {
        let b = text.as_bytes();
        let mut starts = vec![0u32];
        let mut ascii = Vec::new();
        let mut line_ascii = true;
        for (i, &c) in b.iter().enumerate() {
            line_ascii &= c.is_ascii();
            if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
                starts.push(i as u32 + 1);
                ascii.push(line_ascii);
                line_ascii = true;
            }
        }
        ascii.push(line_ascii);
        LineIndex { starts, ascii }
    }

    /// 0-based physical line of an offset.
    fn line_of(&self, offset: u32) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }
}

/// `(line start, offset, column)` of the last column computed.
#[derive(Debug, Default)]
struct ColumnCache(Mutex<Option<(u32, u32, u32)>>);

impl Clone for ColumnCache {
    fn clone(&self) -> Self {
        ColumnCache::default()
    }
}

impl Source {
    pub fn decode(bytes: Vec<u8>) -> Source {
        if bytes.starts_with(&[0xFF, 0xFE]) {
            return decode_utf16le(bytes);
        }
        let bom = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) { 3 } else { 0 };
        let encoding = if bom == 3 { Encoding::Utf8Bom } else { Encoding::Utf8 };
        if bom == 0 {
            // The usual file: the bytes are the text, kept once.
            return match String::from_utf8(bytes) {
                Ok(text) => Source::new(None, text, encoding, None, Vec::new()),
                Err(e) => decode_lossy_utf8(e.into_bytes(), 0, encoding),
            };
        }
        match std::str::from_utf8(&bytes[bom..]) {
            Ok(text) => {
                let text = text.to_owned();
                Source::new(Some(bytes), text, encoding, None, Vec::new())
            }
            Err(_) => decode_lossy_utf8(bytes, bom, encoding),
        }
    }

    /// The offset in the file of a byte offset in the decoded text.
    pub fn source_offset(&self, text_offset: u32) -> u32 {
        match &self.map {
            None => text_offset + self.encoding.bom_len() as u32,
            Some(map) => map[text_offset as usize],
        }
    }

    /// The file's bytes behind a range of the decoded text.
    pub fn source_bytes(&self, start: u32, end: u32) -> &[u8] {
        &self.bytes()[self.source_offset(start) as usize..self.source_offset(end) as usize]
    }

    /// The file's bytes, as read.
    pub fn bytes(&self) -> &[u8] {
        self.raw.as_deref().unwrap_or(self.text.as_bytes())
    }

    fn new(
        raw: Option<Vec<u8>>,
        text: String,
        encoding: Encoding,
        map: Option<Vec<u32>>,
        malformed: Vec<Malformed>,
    ) -> Source {
        Source {
            raw,
            text,
            encoding,
            map,
            malformed,
            lines: OnceLock::new(),
            column_cache: ColumnCache::default(),
        }
    }

    fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::build(&self.text))
    }

    /// 1-based physical line of a text offset (LF, CRLF and a lone CR each
    /// end a line, as editors count them).
    pub fn physical_line(&self, text_offset: u32) -> u32 {
        self.lines().line_of(text_offset) as u32 + 1
    }

    /// The physical line around a text offset, without its line break.
    pub fn line_text(&self, text_offset: u32) -> &str {
        let index = self.lines();
        let line = index.line_of(text_offset);
        let start = index.starts[line] as usize;
        let end = index.starts.get(line + 1).map_or(self.text.len(), |&s| s as usize);
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// 1-based column (in characters) of a text offset on its physical line.
    pub fn column(&self, text_offset: u32) -> u32 {
        let index = self.lines();
        let line = index.line_of(text_offset);
        let start = index.starts[line];
        if index.ascii[line] {
            return text_offset - start + 1;
        }
        let mut cache = self.column_cache.0.lock().unwrap_or_else(|e| e.into_inner());
        let (from, base) = match *cache {
            Some((s, o, c)) if s == start && o <= text_offset => (o, c),
            _ => (start, 1),
        };
        let column = base + self.text[from as usize..text_offset as usize].chars().count() as u32;
        *cache = Some((start, text_offset, column));
        column
    }
}

fn decode_lossy_utf8(bytes: Vec<u8>, bom: usize, encoding: Encoding) -> Source {
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut map = Vec::with_capacity(bytes.len() + 16);
    let mut malformed = Vec::new();
    let mut pos = bom;
    for chunk in bytes[bom..].utf8_chunks() {
        let valid = chunk.valid();
        text.push_str(valid);
        map.extend((0..valid.len()).map(|i| (pos + i) as u32));
        pos += valid.len();
        let invalid = chunk.invalid();
        if !invalid.is_empty() {
            malformed.push(Malformed {
                text_offset: text.len() as u32,
                source_start: pos as u32,
                source_len: invalid.len() as u32,
            });
            text.push('\u{FFFD}');
            // The three bytes of U+FFFD all stand for the first invalid byte;
            // the next text offset maps past the whole invalid sequence.
            map.extend([pos as u32; 3]);
            pos += invalid.len();
        }
    }
    map.push(pos as u32);
    Source::new(Some(bytes), text, encoding, Some(map), malformed)
}

fn decode_utf16le(bytes: Vec<u8>) -> Source {
    let body = &bytes[2..];
    let mut text = String::with_capacity(body.len());
    let mut map = Vec::with_capacity(body.len() + 1);
    let mut malformed = Vec::new();
    let units = body.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]]));
    let mut pos = 2usize;
    for decoded in char::decode_utf16(units) {
        let (ch, width) = match decoded {
            Ok(ch) => (ch, ch.len_utf16() * 2),
            Err(_) => {
                malformed.push(Malformed {
                    text_offset: text.len() as u32,
                    source_start: pos as u32,
                    source_len: 2,
                });
                ('\u{FFFD}', 2)
            }
        };
        map.extend(std::iter::repeat_n(pos as u32, ch.len_utf8()));
        text.push(ch);
        pos += width;
    }
    if body.len() % 2 == 1 {
        malformed.push(Malformed {
            text_offset: text.len() as u32,
            source_start: pos as u32,
            source_len: 1,
        });
        map.extend([pos as u32; 3]);
        text.push('\u{FFFD}');
        pos += 1;
    }
    map.push(pos as u32);
    Source::new(Some(bytes), text, Encoding::Utf16LeBom, Some(map), malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let s = Source::decode("a\r\nbé\rc\ndx".as_bytes().to_vec());
        assert_eq!(s.physical_line(0), 1);
        assert_eq!(s.physical_line(3), 2);
        assert_eq!(s.column(6), 4 - 1);
        assert_eq!(s.physical_line(7), 3);
        assert_eq!(s.physical_line(9), 4);
        assert_eq!(s.column(10), 2);
        assert_eq!(s.column(4), 2);
        assert_eq!(s.column(3), 1);
        assert_eq!(s.line_text(4), "bé");
        assert_eq!(s.line_text(0), "a");
        assert_eq!(s.line_text(10), "dx");
    }

    #[test]
    fn utf8_bom_is_skipped() {
        let s = Source::decode(b"\xEF\xBB\xBF[wsl2]".to_vec());
        assert_eq!(s.text, "[wsl2]");
        assert_eq!(s.encoding, Encoding::Utf8Bom);
        assert_eq!(s.source_offset(1), 4);
    }

    #[test]
    fn utf16le_is_decoded_and_mapped() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "[w]\r\né".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let s = Source::decode(bytes.clone());
        assert_eq!(s.text, "[w]\r\né");
        assert_eq!(s.source_offset(5), 12);
        assert_eq!(s.source_offset(s.text.len() as u32), bytes.len() as u32);
        assert!(s.malformed.is_empty());
    }

    #[test]
    fn lone_surrogate_and_odd_byte_are_malformed() {
        let bytes = vec![0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00, 0x42];
        let s = Source::decode(bytes);
        assert_eq!(s.text, "\u{FFFD}A\u{FFFD}");
        assert_eq!(s.malformed.len(), 2);
        assert_eq!(s.source_bytes(0, s.text.len() as u32).len(), 5);
    }

    #[test]
    fn invalid_utf8_is_replaced_and_mapped() {
        let s = Source::decode(b"a\xFFb\xE2\x82".to_vec());
        assert_eq!(s.text, "a\u{FFFD}b\u{FFFD}");
        assert_eq!(s.malformed.len(), 2);
        assert_eq!(s.source_offset(4), 2);
        assert_eq!(s.source_offset(s.text.len() as u32), 5);
    }
}

//! Edits on the decoded text → the file's new bytes (writer.md §6): deleted
//! text removes its bytes (a CR LF goes whole), inserted text is encoded in
//! the file's encoding with the chosen line break, and every other byte —
//! byte order mark, malformed sequences, line breaks — is copied.

use super::plan::Edit;
use crate::syntax::{Encoding, Source};

/// The result of applying edits.
pub(crate) struct Applied {
    pub(crate) bytes: Vec<u8>,
    /// For every edit, the offset of its inserted text in the new decoded text.
    pub(crate) inserted_at: Vec<usize>,
}

/// Inserted text with every `\n` spelled as `eol`.
pub(crate) fn with_eol(insert: &str, eol: &str) -> String {
    if eol == "\n" {
        insert.to_owned()
    } else {
        insert.replace('\n', eol)
    }
}

/// Applies non-overlapping edits, sorted by position.
pub(crate) fn apply(source: &Source, edits: &[Edit], eol: &str) -> Applied {
    let mut bytes = Vec::with_capacity(source.bytes().len() + 64);
    let mut inserted_at = Vec::with_capacity(edits.len());
    // Bytes before the first text offset: the byte order mark.
    let mut copied_to = 0usize;
    let mut text_at = 0usize;
    let mut new_text_len = 0usize;
    for edit in edits {
        debug_assert!(edit.start >= text_at && edit.end >= edit.start, "edits are sorted");
        let from = source.source_offset(edit.start as u32) as usize;
        bytes.extend_from_slice(&source.bytes()[copied_to..from]);
        new_text_len += edit.start - text_at;
        inserted_at.push(new_text_len);
        let insert = with_eol(&edit.insert, eol);
        encode(&insert, source.encoding, &mut bytes);
        new_text_len += insert.len();
        copied_to = source.source_offset(edit.end as u32) as usize;
        text_at = edit.end;
    }
    bytes.extend_from_slice(&source.bytes()[copied_to..]);
    Applied { bytes, inserted_at }
}

/// Appends ASCII-or-UTF-8 text in a file encoding.
fn encode(text: &str, encoding: Encoding, out: &mut Vec<u8>) {
    match encoding {
        Encoding::Utf8 | Encoding::Utf8Bom => out.extend_from_slice(text.as_bytes()),
        Encoding::Utf16LeBom => {
            for unit in text.encode_utf16() {
                out.extend_from_slice(&unit.to_le_bytes());
            }
        }
    }
}

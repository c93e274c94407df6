//! Where the edit goes (writer.md §3 `set`, §4 `unset`), as a list of
//! replacements on the decoded text. Inserted text spells every line break
//! as `\n`; [`super::apply`] writes it in the file's line-break style.

use super::view::{View, WriterLine, line_break_at};
use crate::registry::KeyId;

/// Replace `start..end` of the decoded text with `insert`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Edit {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) insert: String,
}

/// Where `set` put the key name: at an offset of the old text (an existing
/// line; the edit comes after it), or at an offset inside the inserted text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyPlace {
    Existing(usize),
    Inserted(usize),
}

/// Why `set` cannot append (writer.md §3.4, B7).
#[derive(Debug)]
pub(crate) struct DanglingEscape {
    /// Offset of the `\` at the end of the file.
    pub(crate) at: usize,
}

/// The new line `key=value`, with the key part of the canonical name.
fn key_value(key: KeyId, rendered: &str) -> String {
    format!("{}={rendered}", key.spec().leaf())
}

/// The content of a file that does not exist yet (§3.4).
pub(crate) fn new_file(key: KeyId, rendered: &str) -> (Edit, KeyPlace) {
    let section = format!("[{}]\n", key.spec().section());
    let place = KeyPlace::Inserted(section.len());
    let edit = Edit {
        start: 0,
        end: 0,
        insert: section + &key_value(key, rendered),
    };
    (edit, place)
}

/// `set` on an existing file (§3.1).
pub(crate) fn set(
    view: &View<'_>,
    key: KeyId,
    rendered: &str,
    dangling_escape: Option<usize>,
) -> Result<(Edit, KeyPlace), DanglingEscape> {
    // 1. A line belongs to K: replace the value of the edited line.
    let mut lines = view.lines_of(key).map(|(_, k)| k).peekable();
    if let Some(&first) = lines.peek() {
        let edited = lines.find(|k| !k.dropped).unwrap_or(first);
        let edit = Edit {
            start: edited.value_start,
            end: edited.trailing_start,
            insert: rendered.to_owned(),
        };
        return Ok((edit, KeyPlace::Existing(edited.key_start)));
    }
    // 2. The first header line that ends a target section.
    let header = view.lines.iter().find_map(|l| match l.kind {
        WriterLine::Header { bracket, .. } if l.section_before.is_target(key) => Some(bracket),
        _ => None,
    });
    if let Some(p) = header {
        // The inserted text is LF `key=value` LF LF.
        let edit = insert_before_header(view, p, &key_value(key, rendered));
        return Ok((edit, KeyPlace::Inserted(1)));
    }
    // 3. The end of the file.
    if let Some(at) = dangling_escape {
        return Err(DanglingEscape { at });
    }
    let mut insert = "\n".to_owned();
    if !view.end_section.is_target(key) {
        insert.push_str(&format!("[{}]\n", key.spec().section()));
    }
    let key_at = insert.len();
    insert.push_str(&key_value(key, rendered));
    let end = view.text.len();
    Ok((
        Edit {
            start: end,
            end,
            insert,
        },
        KeyPlace::Inserted(key_at),
    ))
}

/// §3.3: remove the line breaks right before the header's `[` (keeping the
/// first one when it ends a `\` continuation, B6), then insert
/// LF `key=value` LF LF.
fn insert_before_header(view: &View<'_>, p: usize, line: &str) -> Edit {
    let b = view.text.as_bytes();
    let mut start = p;
    let mut first_end = None;
    loop {
        let len = match (start.checked_sub(1).map(|i| b[i]), start.checked_sub(2).map(|i| b[i])) {
            (Some(b'\n'), Some(b'\r')) => 2,
            (Some(b'\n'), _) => 1,
            _ => break,
        };
        first_end = Some(start);
        start -= len;
    }
    if let Some(end) = first_end
        && view.is_continuation_end(end)
    {
        start = end;
    }
    Edit {
        start,
        end: p,
        insert: format!("\n{line}\n\n"),
    }
}

/// `unset` (§4): every line that belongs to K goes, and quirk W6 moves the
/// comments of the valid headers that follow a removed line.
pub(crate) fn unset(view: &View<'_>, key: KeyId) -> Vec<Edit> {
    let b = view.text.as_bytes();
    let mut edits = Vec::new();
    let mut after_removed = false;
    for line in &view.lines {
        match &line.kind {
            WriterLine::Key(k) if super::view::belongs(&k.full_name, key) => {
                after_removed = true;
                let edit = match k.comment {
                    // The comment stays as a comment line in column 1.
                    Some(hash) => Edit {
                        start: line.start,
                        end: hash,
                        insert: String::new(),
                    },
                    // The line break before the line goes with the line.
                    None => {
                        let before = match line.start {
                            s if s >= 2 && line_break_at(b, s - 2) == 2 => 2,
                            s if s >= 1 && b[s - 1] == b'\n' => 1,
                            _ => 0,
                        };
                        Edit {
                            start: line.start - before,
                            end: k.region_end,
                            insert: String::new(),
                        }
                    }
                };
                edits.push(edit);
            }
            WriterLine::Key(_) => after_removed = false,
            WriterLine::Header {
                valid: true,
                comment: Some(hash),
                ..
            } if after_removed => edits.push(Edit {
                start: *hash,
                end: *hash,
                insert: "\n".to_owned(),
            }),
            _ => {}
        }
    }
    edits
}

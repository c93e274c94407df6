//! `wslcfg set` and `wslcfg unset`: rewriting one key of a `.wslconfig`
//! (spec writer.md).
//!
//! The edit is planned on the reader's own lossless tree ([`view`]), so the
//! writer sees the file exactly as WSL does; it is a short list of
//! replacements on the decoded text ([`plan`]), turned into bytes without
//! touching anything else ([`apply`]); the new file is read back and compared
//! with the old one before anything is written ([`check`]); and it replaces
//! the old file atomically ([`write`]).
//!
//! Architecture invariant: this module never decides what a value means —
//! validation is the binder's typed parsers plus the writer's stricter rules
//! ([`render`]), placement follows only from the tree, and the read-back
//! uses the real reader.

mod apply;
mod check;
pub(crate) mod plan;
pub mod render;
pub mod udiff;
pub(crate) mod view;
pub mod write;

pub use render::{Rendered, escape, unescape};
pub use write::{Target, commit, commit_with, preflight, read_target};

use crate::bind::suggest;
use crate::diag::{DiagId, Diagnostic};
use crate::registry::{self, Dialect, KeyId};
use crate::syntax::{self, Event, Parse, Span};
use plan::KeyPlace;

/// Which line break inserted text uses (writer.md §6.3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Eol {
    /// The file's first line break; LF when it has none.
    #[default]
    Auto,
    Lf,
    Crlf,
}

/// What to do with the key.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    Set(Rendered),
    Unset,
}

/// A validated edit request: the key, as typed and resolved, and the operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub key: KeyId,
    /// The key as typed on the command line (what diagnostics carry).
    pub typed_key: String,
    pub op: Op,
}

impl Request {
    /// `set KEY VALUE`: the key must be known (KEY001) and the value valid
    /// for it (VAL0xx, WRT001). The file plays no part.
    pub fn set(typed_key: &str, value: &str, dialect: Dialect) -> Result<Request, Vec<Diagnostic>> {
        let key = resolve_key(typed_key).map_err(|d| vec![*d])?;
        let rendered = render::prepare(key, typed_key, value, dialect)?;
        Ok(Request {
            key,
            typed_key: typed_key.to_owned(),
            op: Op::Set(rendered),
        })
    }

    /// `unset KEY`.
    pub fn unset(typed_key: &str) -> Result<Request, Vec<Diagnostic>> {
        let key = resolve_key(typed_key).map_err(|d| vec![*d])?;
        Ok(Request {
            key,
            typed_key: typed_key.to_owned(),
            op: Op::Unset,
        })
    }
}

/// Options of an edit.
#[derive(Clone, Copy, Debug)]
pub struct EditOptions {
    pub dialect: Dialect,
    /// For inserted text (`set` only; `unset` always uses `Auto`).
    pub eol: Eol,
}

/// A computed edit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edited {
    /// The file's bytes before; `None` when it did not exist.
    pub before: Option<Vec<u8>>,
    /// The file's bytes after; `None` when it does not exist afterwards
    /// either (`unset` on a missing file).
    pub after: Option<Vec<u8>>,
}

impl Edited {
    /// Whether the file has to be written at all.
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

/// A refused edit: its diagnostics (the file stays untouched).
#[derive(Clone, Debug)]
pub struct Refusal {
    pub diagnostics: Vec<Diagnostic>,
    /// The decoded file, for diagnostics that point into it.
    pub text: Option<String>,
}

impl From<Diagnostic> for Refusal {
    fn from(d: Diagnostic) -> Refusal {
        Refusal::new(vec![d])
    }
}

impl Refusal {
    pub fn new(diagnostics: Vec<Diagnostic>) -> Refusal {
        Refusal {
            diagnostics,
            text: None,
        }
    }

    /// writer.md §1: 2 for an I/O failure (WRT002), 1 for every other refusal.
    pub fn exit_code(&self) -> u8 {
        if self.diagnostics.iter().any(|d| d.id == DiagId::WRT002) {
            2
        } else {
            1
        }
    }
}

/// A key of the registry, by any of its names in any letter case; KEY001
/// with lint's did-you-mean otherwise.
pub fn resolve_key(typed: &str) -> Result<KeyId, Box<Diagnostic>> {
    if let Some(key) = registry::lookup(typed) {
        return Ok(key);
    }
    let mut d = Diagnostic::new(DiagId::KEY001, format!("unknown key `{typed}`")).key(typed);
    let detail = d.detail_mut();
    suggest::unknown_key(detail, typed, typed.contains('.'));
    // The reader's help speaks of lines in a file; on the command line the
    // suggestion is what matters.
    if let Some(name) = detail.facts.get("suggestion").and_then(|s| s.as_str()) {
        detail.help =
            Some(format!("did you mean `{name}`? Keys are named `section.key`; `wslcfg keys` lists them").into());
    } else if detail.facts.is_empty() {
        detail.help = Some("`wslcfg keys` lists the keys of .wslconfig".into());
    }
    Err(Box::new(d))
}

/// Computes the edit of a file's bytes (`None`: the file does not exist).
/// `path` is only used in diagnostics. Nothing is written.
pub fn edit(path: &str, before: Option<Vec<u8>>, request: &Request, options: &EditOptions) -> Result<Edited, Refusal> {
    let Some(bytes) = before else {
        // A missing file: `set` creates it, `unset` leaves it missing.
        let Op::Set(rendered) = &request.op else {
            return Ok(Edited {
                before: None,
                after: None,
            });
        };
        let (edit, place) = plan::new_file(request.key, &rendered.text);
        let KeyPlace::Inserted(key_at) = place else {
            unreachable!("a new file has only the new line")
        };
        // §6.3: `--eol` when given, else LF.
        let eol = if options.eol == Eol::Crlf { "\r\n" } else { "\n" };
        let key_at = apply::with_eol(&edit.insert[..key_at], eol).len();
        let after = apply::with_eol(&edit.insert, eol).into_bytes();
        let nothing = syntax::parse(Vec::new());
        check::read_back(path, &nothing, &after, request, Some(key_at), options.dialect).map_err(|d| *d)?;
        return Ok(Edited {
            before: None,
            after: Some(after),
        });
    };
    if let Some(d) = odd_utf16(path, &bytes) {
        return Err(d.into());
    }
    let parse = syntax::parse(bytes);
    let text = parse.source.text.as_str();
    let refuse = |d: Diagnostic| Refusal {
        diagnostics: vec![d],
        text: Some(text.to_owned()),
    };
    if let Some(cr) = text
        .bytes()
        .enumerate()
        .position(|(i, b)| b == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n'))
    {
        let line = line_of(text, cr);
        let message = format!(
            "`{path}` contains a carriage return that is not followed by a line feed (line {line}); wslcfg does not edit such files"
        );
        return Err(refuse(write::wrt003(path, "lone-cr", Some(line), message)
            .at(line, Span::new(cr, cr + 1))
            .help("WSL treats a lone CR as a line end in some places and as text in others; replace it with a line break (CR LF or LF) and try again")));
    }
    let eol = match (&request.op, options.eol) {
        (Op::Set(_), Eol::Lf) => "\n",
        (Op::Set(_), Eol::Crlf) => "\r\n",
        _ => first_line_break(text),
    };
    let view = view::View::new(&parse);
    let (edits, place) = match &request.op {
        Op::Set(rendered) => match plan::set(&view, request.key, &rendered.text, dangling_escape(&parse)) {
            Ok((edit, place)) => (vec![edit], Some(place)),
            Err(plan::DanglingEscape { at }) => {
                let line = line_of(text, at);
                let message = format!(
                    "`{path}` ends with a backslash that escapes the end of the file (line {line}): a line appended after it would become part of that value"
                );
                return Err(refuse(
                    write::wrt003(path, "dangling-escape", Some(line), message)
                        .at(line, Span::new(at, at + 1))
                        .help("finish that line first: remove the backslash, or double it (`\\\\`) if it belongs to the value"),
                ));
            }
        },
        Op::Unset => (plan::unset(&view, request.key), None),
    };
    let applied = apply::apply(&parse.source, &edits, eol);
    // Where the key name is in the new text (a `set` has exactly one edit).
    let expected_key = place.map(|p| match p {
        KeyPlace::Existing(offset) => offset,
        KeyPlace::Inserted(key_at) => applied.inserted_at[0] + apply::with_eol(&edits[0].insert[..key_at], eol).len(),
    });
    check::read_back(path, &parse, &applied.bytes, request, expected_key, options.dialect).map_err(|d| refuse(*d))?;
    Ok(Edited {
        before: Some(parse.source.bytes().to_vec()),
        after: Some(applied.bytes),
    })
}

/// The line (1-based, counting LFs) of a text offset.
fn line_of(text: &str, offset: usize) -> u32 {
    1 + text.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count() as u32
}

/// writer.md §6.3 rule 2: CR LF when the file's first LF follows a CR.
pub(crate) fn first_line_break(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The offset of a `\` at the very end of the file that the reader takes as
/// the start of an escape (it reports SYN006 with U+FFFF there).
pub(crate) fn dangling_escape(parse: &Parse) -> Option<usize> {
    parse.events.iter().find_map(|e| match e {
        Event::Syntax(d) if d.id == DiagId::SYN006 && d.detail().value.as_deref() == Some("\u{FFFF}") => {
            d.span.map(|s| s.start as usize)
        }
        _ => None,
    })
}

fn odd_utf16(path: &str, bytes: &[u8]) -> Option<Diagnostic> {
    let odd = bytes.starts_with(&[0xFF, 0xFE]) && bytes.len() % 2 == 1;
    odd.then(|| {
        let message = format!(
            "`{path}` is UTF-16 (it starts with FF FE) but has an odd number of bytes; wslcfg does not edit a damaged file"
        );
        write::wrt003(path, "odd-utf16", None, message)
            .help("the last byte is half a character; repair the file's encoding first (save it as UTF-8 or UTF-16 again)")
    })
}

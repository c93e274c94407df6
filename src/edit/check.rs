//! The read-back check (writer.md §7.3): the new text is parsed and bound in
//! the selected dialect and compared with the old one before anything is
//! written. The placement rules guarantee every point; this guards the
//! implementation.
//!
//! K and the other keys are bound apart: an invalid `wsl2.macAddress` stops
//! WSL's reader (VAL005), so fixing or removing such a line would otherwise
//! look like a change of every key below it. Bound apart, K cannot stop the
//! reading of the others, and a MAC line of another key stops both readings
//! of the old and the new file at the same place.

use super::view::View;
use super::{Op, Request};
use crate::bind::{self, Bound};
use crate::diag::{DiagId, Diagnostic};
use crate::registry::{self, Dialect, KeyId};
use crate::syntax::{self, Event, Parse, Source, SyntaxTree};

/// The file's events split into K's entries and everything else, each bound.
struct Split {
    key: Bound,
    rest: Bound,
}

fn split(parse: &Parse, key: KeyId, dialect: Dialect) -> Split {
    let is_key = |e: &Event| matches!(e, Event::Entry(entry) if registry::lookup(&entry.key) == Some(key));
    let bound = |events: Vec<Event>| {
        let only = Parse {
            source: Source::decode(Vec::new()),
            tree: SyntaxTree::default(),
            events,
        };
        bind::bind(&only, dialect)
    };
    Split {
        key: bound(parse.events.iter().filter(|e| is_key(e)).cloned().collect()),
        rest: bound(parse.events.iter().filter(|e| !is_key(e)).cloned().collect()),
    }
}

/// What one key reads as: the scanned text and the parsed value.
fn reading(bound: &Bound, key: KeyId) -> Option<(String, Option<serde_json::Value>)> {
    let s = bound.config.setting(key)?;
    Some((
        s.raw.to_string(),
        s.value.as_ref().map(|v| v.to_json(bound.config.dialect)),
    ))
}

/// The first diagnostic of `new` that `old` does not have, compared as id,
/// key and value (no line), as multisets.
fn new_diagnostic<'a>(old: &Bound, new: &'a Bound) -> Option<&'a Diagnostic> {
    let fact = |d: &Diagnostic| (d.id, d.detail().key.clone(), d.detail().value.clone());
    let mut before: Vec<(DiagId, Option<String>, Option<String>)> = old.diagnostics.iter().map(fact).collect();
    new.diagnostics.iter().find(|d| {
        let f = fact(d);
        match before.iter().position(|b| *b == f) {
            Some(i) => {
                before.swap_remove(i);
                false
            }
            None => true,
        }
    })
}

pub(crate) fn read_back(
    path: &str,
    old: &Parse,
    new_bytes: &[u8],
    request: &Request,
    expected_key: Option<usize>,
    dialect: Dialect,
) -> Result<(), Box<Diagnostic>> {
    let key = request.key;
    let new = syntax::parse(new_bytes.to_vec());
    let (before, after) = (split(old, key, dialect), split(&new, key, dialect));
    let fail = |changed: &str, why: String| {
        let message = format!("refusing to write `{path}`: after the edit {why}");
        Box::new(
            super::write::wrt003(path, "read-back", None, message)
                .key(changed)
                .help("this is a bug in wslcfg: please report it with the file; nothing was written"),
        )
    };
    let name = key.spec().name();
    // 1. / 2. K reads back as asked.
    match &request.op {
        Op::Set(rendered) => {
            let setting = after.key.config.setting(key);
            let got = setting.and_then(|s| s.value.as_ref()).map(|v| v.to_json(dialect));
            if got != Some(rendered.value.to_json(dialect)) {
                return Err(fail(
                    name,
                    format!("`{name}` would not read as `{}`", rendered.canonical),
                ));
            }
            if setting.map(|s| s.key_span.start as usize) != expected_key {
                return Err(fail(name, format!("`{name}` would be read from another line")));
            }
        }
        Op::Unset => {
            if after.key.config.setting(key).is_some() || View::new(&new).lines_of(key).next().is_some() {
                return Err(fail(name, format!("a line for `{name}` would remain")));
            }
        }
    }
    // 3. Every other key reads as before, as the reader gets it from the whole file (writer.md
    // §7.3 taken literally: where an invalid `wsl2.macAddress` stops the reader, an edit that
    // would make the keys after it readable changes them, and is refused).
    let (whole_before, whole_after) = (bind::bind(old, dialect), bind::bind(&new, dialect));
    for other in registry::ids().filter(|&id| id != key) {
        if reading(&whole_before, other) != reading(&whole_after, other) {
            let other_name = other.spec().name();
            return Err(fail(other_name, format!("`{other_name}` would change")));
        }
    }
    // SHOULD: no diagnostic the old file did not have.
    let added = new_diagnostic(&before.rest, &after.rest).or_else(|| new_diagnostic(&before.key, &after.key));
    if let Some(d) = added {
        let shown = d.detail().key.clone().unwrap_or_else(|| name.to_owned());
        return Err(fail(
            &shown,
            format!("WSL would report a new {} ({})", d.id, d.message()),
        ));
    }
    Ok(())
}

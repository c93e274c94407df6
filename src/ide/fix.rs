//! Quick fixes derived from lint findings; every edit follows spec/writer.md.
//!
//! | Finding | Fix |
//! |---|---|
//! | KEY001 with a suggestion, in a section of the key | rename the key part in place |
//! | KEY001 with a suggestion, in another section or before any | move the line into the key's section (writer.md §3.1 rows 2–3, §3.3, §3.4) |
//! | LNT002 with a suggestion | rename the section header |
//! | KEY002 | delete the ignored line, continuation lines and line end included |
//! | SYN004 at a `;` | turn the `;` into `#` |
//! | VAL0xx on a value that is valid up to a `;` | turn that `;` into `#` |
//! | SYN006, LNT005 in a path or string | double the backslashes: the value rewritten as writer.md §5.3 writes it, in place (§3.2) |
//!
//! A fix is offered only when it is unambiguous and safe: a rename or move
//! never targets a key the file already sets (that would turn one line into
//! an ignored duplicate or change the value WSL uses), a value that becomes
//! readable must not raise an error (an invalid MAC address, a control
//! character in the kernel command line, an unusable swiotlb range), and no
//! line-structure edit is made in a file with a lone CR (writer.md §6.2).
//! Placement, section texts and value regions come from the writer's own
//! view and planner (`src/edit`), never from a second copy.

use super::Analysis;
use crate::bind::suggest;
use crate::diag::{DiagId, Diagnostic, Severity};
use crate::edit::{self, escape, plan, view};
use crate::lint::lint_bytes;
use crate::registry::{self, KeyId, ValueType, leaf_of, section_of};
use crate::syntax::Span;
use std::cell::RefCell;
use std::collections::HashMap;
use view::{KeyLine, SectionText, View, WriterLine};

/// Replace `span` of the decoded text with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub span: Span,
    pub new_text: String,
}

/// One quick fix for one diagnostic of `analysis.report.diagnostics`.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    /// Index into `analysis.report.diagnostics`.
    pub diagnostic: usize,
    pub title: String,
    /// Non-overlapping edits, in text order.
    pub edits: Vec<TextEdit>,
    /// The one obvious fix for its diagnostic.
    pub preferred: bool,
}

/// Every quick fix for the document's findings.
pub fn fixes(analysis: &Analysis) -> Vec<Fix> {
    let text = analysis.decoded();
    // The report must describe this very text (it always does for an
    // `Analysis::new`; a file that was not read has no spans anyway).
    if analysis.report.source.as_ref().is_none_or(|s| s.text != text) {
        return Vec::new();
    }
    let view = View::new(&analysis.parse);
    // Which keys the file sets, and on how many lines the reader keeps.
    let mut lines_of = vec![(0usize, 0usize); registry::KEYS.len()];
    for line in &view.lines {
        if let WriterLine::Key(k) = &line.kind
            && let Some(key) = registry::lookup(&k.full_name)
        {
            let n = &mut lines_of[key.0 as usize];
            n.0 += 1;
            n.1 += usize::from(!k.dropped);
        }
    }
    let ctx = Ctx {
        analysis,
        text,
        view,
        lone_cr: has_lone_cr(text),
        lines_of,
        dangling: edit::dangling_escape(&analysis.parse),
        placements: RefCell::new(HashMap::new()),
        checked: RefCell::new(HashMap::new()),
    };
    let mut out = Vec::new();
    for (i, d) in analysis.report.diagnostics.iter().enumerate() {
        let fix = match d.id {
            DiagId::KEY001 => ctx.unknown_key(d),
            DiagId::KEY002 => ctx.duplicate(d),
            DiagId::LNT002 => ctx.unknown_section(d),
            DiagId::SYN004 => ctx.semicolon(d),
            DiagId::SYN006 | DiagId::LNT005 => ctx.backslashes(d),
            DiagId::VAL001
            | DiagId::VAL002
            | DiagId::VAL003
            | DiagId::VAL004
            | DiagId::VAL005
            | DiagId::VAL006
            | DiagId::VAL007
            | DiagId::VAL008 => ctx.inline_semicolon(d),
            _ => None,
        };
        if let Some(mut fix) = fix {
            fix.diagnostic = i;
            fix.edits.sort_by_key(|e| (e.span.start, e.span.end));
            debug_assert!(fix.edits.windows(2).all(|w| w[0].span.end <= w[1].span.start));
            out.push(fix);
        }
    }
    out
}

/// A planned new line for an empty value, the offset of `key=` in its
/// inserted text, and the name of the section it lands in.
type Placement = (plan::Edit, usize, String);

struct Ctx<'a> {
    analysis: &'a Analysis,
    text: &'a str,
    view: View<'a>,
    /// A CR not followed by LF somewhere: only in-place renames are offered.
    lone_cr: bool,
    /// Per key: the key lines that belong to it, and those the reader keeps.
    lines_of: Vec<(usize, usize)>,
    /// A `\` at the end of the file that escapes it (writer.md §3.4, B7).
    dangling: Option<usize>,
    /// Per key: where `set` puts a new line — the edit for an empty value
    /// and the offset of `key=` in its text — and the target section's name.
    placements: RefCell<HashMap<KeyId, Option<Placement>>>,
    /// Fragments already linted by [`Ctx::raises_error`].
    checked: RefCell<HashMap<String, bool>>,
}

fn has_lone_cr(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter()
        .enumerate()
        .any(|(i, &c)| c == b'\r' && b.get(i + 1) != Some(&b'\n'))
}

fn fix(title: String, edits: Vec<TextEdit>, preferred: bool) -> Option<Fix> {
    Some(Fix {
        diagnostic: 0,
        title,
        edits,
        preferred,
    })
}

fn edit(start: usize, end: usize, new_text: impl Into<String>) -> TextEdit {
    TextEdit {
        span: Span::new(start, end),
        new_text: new_text.into(),
    }
}

impl<'a> Ctx<'a> {
    /// The index of the writer line that holds `offset`.
    fn line_at(&self, offset: usize) -> Option<usize> {
        let i = self.view.lines.partition_point(|l| l.start <= offset);
        i.checked_sub(1)
    }

    /// The end of line `i` (its line break included): the next line's start.
    fn line_end(&self, i: usize) -> usize {
        self.view.lines.get(i + 1).map_or(self.text.len(), |l| l.start)
    }

    /// The key line whose key name starts at `offset`.
    fn key_line_at(&self, offset: usize) -> Option<(usize, &KeyLine)> {
        let i = self.line_at(offset)?;
        match &self.view.lines[i].kind {
            WriterLine::Key(k) if k.key_start == offset => Some((i, k)),
            _ => None,
        }
    }

    /// The end of the physical line around `offset`, before its line break.
    fn physical_end(&self, offset: usize) -> usize {
        self.text[offset..]
            .find(['\n', '\r'])
            .map_or(self.text.len(), |n| offset + n)
    }

    /// Whether any key line of the file belongs to `key` (writer.md §2).
    fn key_is_set(&self, key: KeyId) -> bool {
        self.lines_of[key.0 as usize].0 > 0
    }

    /// Where `wslcfg set` would put a new line `key=value` (writer.md §3.1
    /// rows 2 and 3), as an edit whose inserted text holds `key=value`, and
    /// the name of the section it lands in. Planned once per key.
    fn placement(&self, key: KeyId, value: &str) -> Option<(plan::Edit, String)> {
        let mut cache = self.placements.borrow_mut();
        let planned = cache.entry(key).or_insert_with(|| {
            let (edit, place) = plan::set(&self.view, key, "", self.dangling).ok()?;
            let plan::KeyPlace::Inserted(key_at) = place else {
                return None;
            };
            Some((edit, key_at, self.target_section(key)))
        });
        let (template, key_at, section) = planned.as_ref()?;
        // The template holds `key=` and nothing after it on that line.
        let value_at = key_at + key.spec().leaf().len() + 1;
        let mut insert = template.insert.clone();
        insert.insert_str(value_at, value);
        Some((
            plan::Edit {
                start: template.start,
                end: template.end,
                insert,
            },
            section.clone(),
        ))
    }

    /// Deletes writer line `i` whole: its continuation lines and its line
    /// break; a last line without a line break takes the line break before
    /// it instead (unless that one ends a `\` value, where removing it would
    /// glue two lines together).
    fn delete_line(&self, i: usize) -> TextEdit {
        let start = self.view.lines[i].start;
        let end = self.line_end(i);
        if self.text[start..end].ends_with('\n') || start == 0 {
            return edit(start, end, "");
        }
        let before = &self.text[..start];
        let lb = if before.ends_with("\r\n") {
            2
        } else if before.ends_with('\n') {
            1
        } else {
            0
        };
        if lb == 0 || before[..start - lb].ends_with('\\') {
            return edit(start, end, "");
        }
        edit(start - lb, end, "")
    }

    /// Whether making `lines` readable under `[section]` raises an error
    /// (VAL005, CMP001, CMP003): linted on their own, with the document's
    /// options, so the cost does not grow with the document.
    fn raises_error(&self, section: &str, lines: &str) -> bool {
        let fragment = format!("[{section}]\n{lines}");
        if let Some(&known) = self.checked.borrow().get(&fragment) {
            return known;
        }
        let error = lint_bytes("fragment", fragment.clone().into_bytes(), &self.analysis.options)
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error);
        self.checked.borrow_mut().insert(fragment, error);
        error
    }

    /// KEY001 with a did-you-mean: rename the key part where the line is
    /// already read under the key's section, otherwise move the line.
    fn unknown_key(&self, d: &Diagnostic) -> Option<Fix> {
        let suggestion = d.detail().facts.get("suggestion")?.as_str()?;
        let key = registry::lookup(suggestion)?;
        let span = d.span?;
        let (i, line) = self.key_line_at(span.start as usize)?;
        if line.dropped || self.key_is_set(key) {
            return None;
        }
        let typed = &self.text[span.range()];
        let value = &self.text[line.value_start..line.region_end];
        match &self.view.lines[i].section_before {
            SectionText::Name(section) if self.view.lines[i].section_before.is_target(key) => {
                let name = key
                    .spec()
                    .names
                    .iter()
                    .find(|n| section_of(n).eq_ignore_ascii_case(section))?;
                let leaf = leaf_of(name);
                if typed == leaf || self.raises_error(section, &format!("{leaf}={value}")) {
                    return None;
                }
                fix(
                    format!("Rename `{typed}` to `{leaf}`"),
                    vec![edit(span.start as usize, span.end as usize, leaf)],
                    true,
                )
            }
            here => self.move_line(i, line, key, typed, here),
        }
    }

    /// Moves a key line into the key's section: the line goes whole (its
    /// comment with it), and `key=value` lands exactly where `wslcfg set`
    /// puts a new line (writer.md §3.1), with the key part of the canonical
    /// name and the value as written.
    fn move_line(&self, i: usize, line: &KeyLine, key: KeyId, typed: &str, here: &SectionText) -> Option<Fix> {
        if self.lone_cr {
            return None;
        }
        let end = match line.comment {
            Some(hash) => self.physical_end(hash),
            None => line.trailing_start,
        };
        let moved = &self.text[line.value_start..end];
        if moved.contains(['\n', '\r']) {
            // A continued value would need re-rendering; not a quick fix.
            return None;
        }
        let removal = self.delete_line(i);
        let (insert, target) = self.placement(key, moved)?;
        let (rs, re) = (removal.span.start as usize, removal.span.end as usize);
        if !(re <= insert.start || insert.end <= rs) {
            return None;
        }
        let leaf = key.spec().leaf();
        let value = &self.text[line.value_start..line.region_end];
        if self.raises_error(&target, &format!("{leaf}={value}")) {
            return None;
        }
        let eol = edit::first_line_break(self.text);
        let inserted = if eol == "\n" {
            insert.insert
        } else {
            insert.insert.replace('\n', eol)
        };
        let renamed = if typed == leaf {
            String::new()
        } else {
            format!(" as `{leaf}`")
        };
        let preferred = match here {
            SectionText::Empty => true,
            SectionText::Name(s) => suggest::is_known_section(s),
            SectionText::Padded => false,
        };
        fix(
            format!("Move `{typed}` into `[{target}]`{renamed}"),
            vec![removal, edit(insert.start, insert.end, inserted)],
            preferred,
        )
    }

    /// The section a new line for `key` goes into (writer.md §3.1), as spelled
    /// in the file, or the canonical section part when it is appended.
    fn target_section(&self, key: KeyId) -> String {
        let header = self.view.lines.iter().find_map(|l| match (&l.kind, &l.section_before) {
            (WriterLine::Header { .. }, s @ SectionText::Name(name)) if s.is_target(key) => Some(name.clone()),
            _ => None,
        });
        match (header, &self.view.end_section) {
            (Some(name), _) => name,
            (None, s @ SectionText::Name(name)) if s.is_target(key) => name.clone(),
            _ => key.spec().section().to_owned(),
        }
    }

    /// KEY002: the later line is ignored by WSL; deleting it changes nothing
    /// WSL reads.
    fn duplicate(&self, d: &Diagnostic) -> Option<Fix> {
        if self.lone_cr {
            return None;
        }
        let span = d.span?;
        let (i, _) = self.key_line_at(span.start as usize)?;
        let first = d.detail().facts.get("first_line").and_then(|l| l.as_u64());
        let typed = &self.text[span.start as usize..span.start as usize + key_len(&self.text[span.range()])];
        let title = match first {
            Some(l) => format!("Delete the duplicate `{typed}` (WSL uses line {l})"),
            None => format!("Delete the duplicate `{typed}`"),
        };
        fix(title, vec![self.delete_line(i)], true)
    }

    /// LNT002 with a did-you-mean: rename the header.
    fn unknown_section(&self, d: &Diagnostic) -> Option<Fix> {
        let suggestion = d.detail().facts.get("suggestion")?.as_str()?;
        let span = d.span?;
        let old = &self.text[span.range()];
        let i = self.line_at(span.start as usize)?;
        if !matches!(self.view.lines[i].kind, WriterLine::Header { valid: true, .. }) || old == suggestion {
            return None;
        }
        // The section's lines become readable: none of them may raise an
        // error. The section runs to the next valid header; a failed one in
        // between stays in the fragment, where it garbles the names that
        // follow exactly as in the file (quirk Q1).
        let body_start = self.line_end(i);
        let body_end = self.view.lines[i + 1..]
            .iter()
            .find(|l| matches!(l.kind, WriterLine::Header { valid: true, .. }))
            .map_or(self.text.len(), |l| l.start);
        if self.raises_error(suggestion, &self.text[body_start..body_end]) {
            return None;
        }
        fix(
            format!("Rename section `[{old}]` to `[{suggestion}]`"),
            vec![edit(span.start as usize, span.end as usize, suggestion)],
            true,
        )
    }

    /// SYN004 at a `;`: `;` does not start a comment, `#` does.
    fn semicolon(&self, d: &Diagnostic) -> Option<Fix> {
        let span = d.span?;
        if &self.text[span.range()] != ";" {
            return None;
        }
        fix(
            "Turn this `;` line into a `#` comment".to_owned(),
            vec![edit(span.start as usize, span.end as usize, "#")],
            true,
        )
    }

    /// An invalid value that is valid up to a `;`: the `;` was meant to start
    /// a comment (the binder's help says so); `#` does.
    fn inline_semicolon(&self, d: &Diagnostic) -> Option<Fix> {
        let span = d.span?;
        let i = self.line_at(span.start as usize)?;
        let WriterLine::Key(line) = &self.view.lines[i].kind else {
            return None;
        };
        let key = registry::lookup(&line.full_name)?;
        if line.dropped || matches!(key.spec().ty, ValueType::Path | ValueType::String) {
            return None;
        }
        let region = &self.text[line.value_start..line.trailing_start];
        let semicolon = region.find(';')?;
        let before = region[..semicolon].trim_end_matches([' ', '\t']);
        if region.contains(['"', '\\']) || before.is_empty() {
            return None;
        }
        // The value before the `;` must be valid for the key.
        let fragment = format!("[{}]\n{}={before}", section_of(key.spec().name()), key.spec().leaf());
        let report = lint_bytes("fragment", fragment.into_bytes(), &self.analysis.options);
        if report
            .diagnostics
            .iter()
            .any(|n| n.id == d.id || n.severity == Severity::Error)
        {
            return None;
        }
        let at = line.value_start + semicolon;
        fix(
            "Turn `;` into `#`: the rest of the line becomes a comment".to_owned(),
            vec![edit(at, at + 1, "#")],
            true,
        )
    }

    /// SYN006 or LNT005 in a path or string: every single backslash was meant
    /// as a backslash. The value is rewritten as `wslcfg set` writes it
    /// (writer.md §5.3: `\` → `\\`, quotes only where needed) in its region
    /// (§3.2: comment and trailing blanks stay).
    fn backslashes(&self, d: &Diagnostic) -> Option<Fix> {
        if d.id == DiagId::SYN006 && matches!(d.detail().value.as_deref(), Some("\u{FFFF}" | "#") | None) {
            // A backslash at the end of the file, or an attempt to escape `#`:
            // what was meant is not clear.
            return None;
        }
        let span = d.span?;
        let i = self.line_at(span.start as usize)?;
        let WriterLine::Key(line) = &self.view.lines[i].kind else {
            return None;
        };
        if !(line.value_start..=line.region_end).contains(&(span.start as usize)) {
            return None;
        }
        let key = registry::lookup(&line.full_name)?;
        if !matches!(key.spec().ty, ValueType::Path | ValueType::String) {
            return None;
        }
        let old = &self.text[line.value_start..line.trailing_start];
        let meant = literal_backslashes(old)?;
        let new = escape(&meant);
        if new == old {
            return None;
        }
        let section = section_of(key.spec().name());
        if self.raises_error(section, &format!("{}={new}", key.spec().leaf())) {
            return None;
        }
        // The obvious fix for a Windows path the file sets only here.
        let others = self.lines_of[key.0 as usize].1 - usize::from(!line.dropped);
        let preferred = looks_like_windows_path(&meant) && others == 0;
        fix(
            format!("Double the backslashes: `{new}`"),
            vec![edit(line.value_start, line.trailing_start, new)],
            preferred,
        )
    }
}

/// The length of the key name at the start of `s` (letters and digits).
fn key_len(s: &str) -> usize {
    s.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(s.len())
}

/// The value a person meant by a value region written with single
/// backslashes: one pair of enclosing quotes dropped, `\\` read as one
/// backslash, every other backslash kept as it is. `None` when that is
/// ambiguous or unwritable: a quote inside the value (does `\"` end the
/// value or escape a quote?), a line break (a continued value), or a
/// character outside printable ASCII (writer.md §5.3 rule 1).
fn literal_backslashes(region: &str) -> Option<String> {
    let inner = match region.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) => inner,
        None => region,
    };
    if inner.contains('"') || !inner.chars().all(|c| (' '..='~').contains(&c)) {
        return None;
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek() == Some(&'\\') {
            chars.next();
        }
        out.push(c);
    }
    Some(out)
}

/// `C:\…`, `C:/…` or `\\server\…`.
fn looks_like_windows_path(s: &str) -> bool {
    let b = s.as_bytes();
    (b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'\\' | b'/'))
        || s.starts_with("\\\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_backslashes_reads_single_backslashes_literally() {
        assert_eq!(literal_backslashes(r"C:\wsl\kernel").as_deref(), Some(r"C:\wsl\kernel"));
        assert_eq!(literal_backslashes(r"C:\\Users\me").as_deref(), Some(r"C:\Users\me"));
        assert_eq!(
            literal_backslashes(r#""C:\Program Files\k""#).as_deref(),
            Some(r"C:\Program Files\k")
        );
        assert_eq!(literal_backslashes(r#"C:\a\"b"#), None);
        assert_eq!(literal_backslashes("C:\\Zoë"), None);
    }

    #[test]
    fn windows_paths() {
        assert!(looks_like_windows_path(r"C:\wsl"));
        assert!(looks_like_windows_path(r"\\server\share"));
        assert!(!looks_like_windows_path("quiet splash"));
    }
}

//! Completion: section names, unset keys of the current section, enum names
//! and booleans after `=`. Keys of `/etc/wsl.conf` are never offered.

use super::Analysis;
use super::locate;
use crate::passes::Effective;
use crate::registry::{self, KeyId, ValueType, leaf_of};
use crate::syntax::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Section,
    Key,
    Value,
}

/// One completion item: `insert` replaces the text of `replace`.
#[derive(Clone, Debug, PartialEq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    /// A short line (type, default).
    pub detail: Option<String>,
    /// Markdown documentation.
    pub documentation: Option<String>,
    pub insert: String,
    pub replace: Span,
}

fn is_name(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Completions at byte `offset` of the decoded text.
pub fn complete(analysis: &Analysis, offset: usize) -> Vec<Completion> {
    let text = analysis.decoded();
    let offset = locate::clamp(text, offset);
    let start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let end = text[offset..].find(['\n', '\r']).map_or(text.len(), |i| offset + i);
    // The rest of a value continued from the line above: nothing to offer.
    if analysis
        .parse
        .tree
        .lines()
        .iter()
        .any(|l| (l.span.start as usize) < start && start < l.span.end as usize)
    {
        return Vec::new();
    }
    let physical = Span::new(start, end);
    let before = &text[start..offset];
    let after = &text[offset..end];
    let rest = before.trim_start_matches([' ', '\t']);
    if let Some(name) = rest.strip_prefix('[') {
        if !is_name(name) {
            return Vec::new();
        }
        return sections(Span::new(offset - name.len(), offset), !after.contains(']'));
    }
    let Some(section) = locate::section_before(&analysis.parse, start) else {
        return Vec::new();
    };
    // Only the sections of .wslconfig: never a key of /etc/wsl.conf.
    if registry::section_doc(&section.name).is_none() {
        return Vec::new();
    }
    match rest.split_once('=') {
        None if is_name(rest) => keys(
            analysis,
            &section.name,
            physical,
            Span::new(offset - rest.len(), offset),
            !after.contains('='),
        ),
        Some((key, value)) if is_name(key.trim_end_matches([' ', '\t'])) => {
            let partial = value.trim_start_matches([' ', '\t']);
            if !is_name(partial) {
                return Vec::new();
            }
            let full = format!("{}.{}", section.name, key.trim_end_matches([' ', '\t']));
            match registry::lookup(&full) {
                Some(id) => values(analysis, id, Span::new(offset - partial.len(), offset)),
                None => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

fn sections(replace: Span, close: bool) -> Vec<Completion> {
    registry::SECTION_DOCS
        .iter()
        .map(|&(name, doc)| Completion {
            label: name.to_owned(),
            kind: CompletionKind::Section,
            detail: Some(format!("section, {} settings", registry::section_keys(name).count())),
            documentation: Some(doc.to_owned()),
            insert: if close { format!("{name}]") } else { name.to_owned() },
            replace,
        })
        .collect()
}

/// The keys of a section that the file does not set yet (a key set on this
/// very line is offered again: the user is editing it).
fn keys(analysis: &Analysis, section: &str, physical: Span, replace: Span, equals: bool) -> Vec<Completion> {
    let config = analysis.report.config.as_ref();
    let empty = locate::empty_effective(&analysis.options.host, analysis.options.dialect);
    registry::section_keys(section)
        .filter(|&(id, _)| {
            config
                .and_then(|c| c.setting(id))
                .is_none_or(|s| locate::contains(physical, s.key_span.start as usize))
        })
        .map(|(id, name)| {
            let leaf = leaf_of(name);
            Completion {
                label: leaf.to_owned(),
                kind: CompletionKind::Key,
                detail: Some(format!(
                    "{}, default {}",
                    id.spec().ty.name(),
                    locate::default_text(id, &empty)
                )),
                documentation: Some(key_doc(id, name)),
                insert: if equals { format!("{leaf}=") } else { leaf.to_owned() },
                replace,
            }
        })
        .collect()
}

fn key_doc(id: KeyId, written: &str) -> String {
    let spec = id.spec();
    let mut doc = spec.doc.to_owned();
    if written != spec.name() {
        doc.push_str(&format!("\n\nThe old name of `{}`.", spec.name()));
    } else if spec.names.len() > 1 {
        let aliases: Vec<String> = spec.names[1..].iter().map(|n| format!("`{n}`")).collect();
        doc.push_str(&format!("\n\nAlso accepted as {}.", aliases.join(", ")));
    }
    doc
}

/// The enum names (in the document's dialect, one per value) or booleans of a key.
fn values(analysis: &Analysis, id: KeyId, replace: Span) -> Vec<Completion> {
    let dialect = analysis.options.dialect;
    let empty = locate::empty_effective(&analysis.options.host, dialect);
    let names: Vec<&'static str> = match id.spec().ty {
        ValueType::Bool => vec!["true", "false"],
        ValueType::Enum(table) => {
            let mut numbers: Vec<u32> = table.names.iter().map(|n| n.number).collect();
            numbers.dedup();
            numbers.into_iter().map(|n| table.display(n, dialect)).collect()
        }
        _ => return Vec::new(),
    };
    let default = default_of(id, &empty);
    names
        .into_iter()
        .map(|name| Completion {
            label: name.to_owned(),
            kind: CompletionKind::Value,
            detail: Some(if default.as_deref() == Some(name) {
                format!("{} (default on this host)", id.spec().ty.name())
            } else {
                id.spec().ty.name().to_owned()
            }),
            documentation: None,
            insert: name.to_owned(),
            replace,
        })
        .collect()
}

fn default_of(id: KeyId, empty: &Effective) -> Option<String> {
    empty.get(id).map(|v| locate::value_short(Some(v), empty.dialect))
}

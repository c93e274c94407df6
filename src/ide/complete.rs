//! Completion: section names, unset keys of the current section, enum names
//! and booleans after `=`. Keys of `/etc/wsl.conf` are never offered.

use super::Analysis;
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

/// Completions at byte `offset` of the decoded text.
pub fn complete(_analysis: &Analysis, _offset: usize) -> Vec<Completion> {
    Vec::new() // filled in by the completion work
}

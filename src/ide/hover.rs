//! Hover: what a key is and what became of it; what a value parses to.

use super::Analysis;
use crate::syntax::Span;

/// Markdown to show over `span`.
#[derive(Clone, Debug, PartialEq)]
pub struct Hover {
    pub span: Span,
    pub markdown: String,
}

/// The hover at byte `offset` of the decoded text, if any.
pub fn hover(_analysis: &Analysis, _offset: usize) -> Option<Hover> {
    None // filled in by the hover work
}

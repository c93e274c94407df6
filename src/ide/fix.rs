//! Quick fixes derived from lint findings; every edit follows spec/writer.md.

use super::Analysis;
use crate::syntax::Span;

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
pub fn fixes(_analysis: &Analysis) -> Vec<Fix> {
    Vec::new() // filled in by the quick-fix work
}

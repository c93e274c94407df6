//! Inlay hints: effective values that differ from the file, byte sizes.

use super::Analysis;

/// A hint shown at byte `offset` of the decoded text (normally the end of a value).
#[derive(Clone, Debug, PartialEq)]
pub struct InlayHint {
    pub offset: u32,
    pub label: String,
    pub tooltip: Option<String>,
}

pub fn inlay_hints(_analysis: &Analysis) -> Vec<InlayHint> {
    Vec::new() // filled in by the inlay-hint work
}

//! Editor features computed from one document: the analysis the language
//! server (`src/lsp/`) turns into protocol messages. Everything here works on
//! byte offsets of the document's decoded text ([`Span`](crate::syntax::Span)); converting to
//! editor positions (UTF-16 lines/characters) is the server's job.
//!
//! No second parser and no second key table: an [`Analysis`] is the `lint`
//! front end's [`FileReport`] plus the syntax tree of the same text.

mod complete;
pub mod explain;
mod fix;
mod hover;
mod inlay;
mod locate;

pub use complete::{Completion, CompletionKind, complete};
pub use explain::explain_text;
pub use fix::{Fix, TextEdit, fixes};
pub use hover::{Hover, hover};
pub use inlay::{InlayHint, inlay_hints};

use crate::lint::{FileReport, LintOptions, lint_bytes, lint_parsed};
use crate::syntax::{self, Parse};

/// One analysed document.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// The document text as the editor holds it.
    pub text: String,
    /// The parse of `text` (its `source.text` is `text` without a BOM).
    pub parse: Parse,
    /// What `wslcfg lint` reports for `text` against `options`.
    pub report: FileReport,
    pub options: LintOptions,
}

impl Analysis {
    /// Analyses a document; `path` is only used in messages.
    pub fn new(path: &str, text: &str, options: &LintOptions) -> Analysis {
        let parse = syntax::parse(text.as_bytes().to_vec());
        // One parse serves both lint and the editor features; a text over
        // the size limit gets lint's single LNT007 instead of an analysis.
        let report = if text.len() as u64 > options.max_size {
            lint_bytes(path, text.as_bytes().to_vec(), options)
        } else {
            lint_parsed(path, &parse, options)
        };
        Analysis {
            text: text.to_owned(),
            parse,
            report,
            options: options.clone(),
        }
    }

    /// The decoded text every span points into.
    pub fn decoded(&self) -> &str {
        &self.parse.source.text
    }
}

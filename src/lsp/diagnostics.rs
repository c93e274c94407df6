//! Lint's records as LSP diagnostics (`textDocument/publishDiagnostics`).
//!
//! * `code` is the id (`KEY001`), `codeDescription.href` its section of
//!   `docs/diagnostics.md` ([`help_url`], the same address SARIF's `helpUri`
//!   gives), `source` is `wslcfg`.
//! * Severities: error → Error, warning → Warning, advice → Hint.
//! * `relatedInformation`: the record's related places (the first occurrence
//!   of a duplicate key).
//! * Tags: a duplicate that WSL ignores (KEY002) is `Unnecessary`, so editors
//!   fade the line.
//! * The message is lint's message; its help text follows on a second line.
//! * Records that belong to no line (the pass notices, PAS; a file over the
//!   size limit, LNT007) are placed at the key they name when the file sets
//!   it (`PAS001` at `processors=`), otherwise over the first line of the
//!   document.

use super::documents::Document;
use super::position::PositionEncoding;
use crate::bind::Config;
use crate::diag::{DiagId, Diagnostic, Severity};
use crate::lint::FileReport;
use crate::registry;
use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Location, NumberOrString,
    Position, Range, Uri,
};

/// Where the documentation of the diagnostic ids lives.
pub const DIAGNOSTICS_DOC: &str = "https://github.com/wslcfg/wslcfg/blob/main/docs/diagnostics.md";

/// The link to an id's section of `docs/diagnostics.md` (anchors are the
/// lower-case ids: `#key001`).
pub fn help_url(id: DiagId) -> String {
    format!("{DIAGNOSTICS_DOC}#{}", id.as_str().to_ascii_lowercase())
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Advice => DiagnosticSeverity::HINT,
    }
}

/// Converts every record of a report, in lint's order.
pub fn convert_all(
    uri: &Uri,
    doc: &Document,
    report: &FileReport,
    encoding: PositionEncoding,
) -> Vec<lsp_types::Diagnostic> {
    let conv = Converter { uri, doc, encoding };
    report
        .diagnostics
        .iter()
        .map(|d| conv.diagnostic(d, report.config.as_ref()))
        .collect()
}

/// Converts positions of one document.
pub struct Converter<'a> {
    pub uri: &'a Uri,
    pub doc: &'a Document,
    pub encoding: PositionEncoding,
}

impl Converter<'_> {
    /// The range of a span of the analysis' decoded text.
    pub fn range(&self, start: u32, end: u32) -> Range {
        let bom = self.doc.bom_len();
        self.doc
            .lines
            .range(&self.doc.text, start as usize + bom, end as usize + bom, self.encoding)
    }

    pub fn position(&self, offset: u32) -> Position {
        self.doc
            .lines
            .position(&self.doc.text, offset as usize + self.doc.bom_len(), self.encoding)
    }

    /// The whole first line (for records that belong to no line).
    fn first_line(&self) -> Range {
        let text = &self.doc.text;
        let end = text.find(['\n', '\r']).unwrap_or(text.len());
        self.doc.lines.range(text, 0, end, self.encoding)
    }

    pub fn diagnostic(&self, d: &Diagnostic, config: Option<&Config>) -> lsp_types::Diagnostic {
        let range = match d.span {
            Some(span) => self.range(span.start, span.end),
            None => d
                .detail()
                .key
                .as_deref()
                .and_then(registry::lookup)
                .and_then(|key| config?.setting(key))
                .map(|s| self.range(s.key_span.start, s.key_span.end))
                .unwrap_or_else(|| self.first_line()),
        };
        let message = match &d.detail().help {
            Some(help) => format!("{}\n{help}", d.message()),
            None => d.message().to_owned(),
        };
        let related: Vec<DiagnosticRelatedInformation> = d
            .detail()
            .related
            .iter()
            .map(|r| DiagnosticRelatedInformation {
                location: Location::new(self.uri.clone(), self.range(r.span.start, r.span.end)),
                message: r.message.clone(),
            })
            .collect();
        lsp_types::Diagnostic {
            range,
            severity: Some(severity(d.severity)),
            code: Some(NumberOrString::String(d.id.as_str().to_owned())),
            code_description: help_url(d.id).parse().ok().map(|href| CodeDescription { href }),
            source: Some("wslcfg".to_owned()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            tags: (d.id == DiagId::KEY002).then(|| vec![DiagnosticTag::UNNECESSARY]),
            data: None,
        }
    }
}

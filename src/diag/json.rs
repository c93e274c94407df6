//! `lint --format json`: the machine-readable contract of diagnostics.md §10.
//! The shape is typed here so that `schema/lint.schema.json` is generated
//! from the same structs.

use super::{Diagnostic, Severity};
use crate::lint::FileReport;
use crate::syntax::{Encoding, Source};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};

/// The whole output of one `lint` run.
#[derive(Serialize, JsonSchema)]
pub struct LintOutput {
    pub files: Vec<FileOutput>,
    pub summary: Summary,
}

/// One linted file.
#[derive(Serialize, JsonSchema)]
pub struct FileOutput {
    /// The path as given on the command line (`-` for standard input).
    pub path: String,
    /// How the bytes were decoded; null when the file could not be read.
    pub encoding: Option<Encoding>,
    pub diagnostics: Vec<Record>,
    /// Canonical key name → parsed value (before any pass) of every key the file set validly.
    pub values: Map<String, Value>,
    /// Why the file could not be linted at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One diagnostic record.
#[derive(Serialize, JsonSchema)]
pub struct Record {
    /// The stable diagnostic id, e.g. `KEY001`.
    pub id: String,
    /// The id's kebab-case name.
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Line per the WSL scanner's numbering; null for findings that belong to no line.
    pub line: Option<u32>,
    /// 1-based column (in characters) of the span's start on its physical line.
    pub column: Option<u32>,
    /// Byte range in the file as stored on disk.
    pub span: Option<ByteSpan>,
    /// The full key name as written in the file (or the canonical setting for pass notices).
    pub key: Option<String>,
    /// The scanned value, or the fact the id defines as its value.
    pub value: Option<String>,
    /// The remaining facts (`expected`, `valid_values`, `first_line`, `first_key`, `suggestion`, ...).
    pub facts: Map<String, Value>,
    pub help: Option<String>,
    /// Whether WSL itself reports this finding (false for wslcfg's own checks).
    pub upstream: bool,
    /// Other places that explain this one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<RelatedRecord>,
}

#[derive(Serialize, JsonSchema)]
pub struct ByteSpan {
    pub offset: u32,
    pub length: u32,
}

#[derive(Serialize, JsonSchema)]
pub struct RelatedRecord {
    pub line: u32,
    pub column: u32,
    pub span: ByteSpan,
    pub message: String,
}

#[derive(Serialize, JsonSchema)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub advice: usize,
}

fn byte_span(source: &Source, start: u32, end: u32) -> ByteSpan {
    let offset = source.source_offset(start);
    ByteSpan {
        offset,
        length: source.source_offset(end) - offset,
    }
}

/// Converts one diagnostic; `source` gives columns and file offsets.
pub fn record(d: &Diagnostic, source: Option<&Source>) -> Record {
    let located = d.span.zip(source);
    Record {
        id: d.id.as_str().to_owned(),
        name: d.id.info().name,
        severity: d.severity,
        message: d.message().to_owned(),
        line: d.line,
        column: located.map(|(s, src)| src.column(s.start)),
        span: located.map(|(s, src)| byte_span(src, s.start, s.end)),
        key: d.detail().key.clone(),
        value: d.detail().value.clone(),
        facts: d.detail().facts.to_map(),
        help: d.detail().help.as_deref().map(str::to_owned),
        upstream: d.id.upstream(),
        related: match source {
            Some(src) => d
                .detail()
                .related
                .iter()
                .map(|r| RelatedRecord {
                    line: r.line,
                    column: src.column(r.span.start),
                    span: byte_span(src, r.span.start, r.span.end),
                    message: r.message.clone(),
                })
                .collect(),
            None => Vec::new(),
        },
    }
}

pub fn summary(reports: &[FileReport]) -> Summary {
    let count = |s| reports.iter().map(|r| r.count(s)).sum();
    Summary {
        files: reports.len(),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        advice: count(Severity::Advice),
    }
}

pub fn output(reports: &[FileReport]) -> LintOutput {
    LintOutput {
        files: reports
            .iter()
            .map(|r| FileOutput {
                path: r.path.clone(),
                encoding: r.encoding(),
                diagnostics: r.diagnostics.iter().map(|d| record(d, r.source.as_ref())).collect(),
                values: r.config.as_ref().map(|c| c.values_json()).unwrap_or_default(),
                error: r.io_error.clone(),
            })
            .collect(),
        summary: summary(reports),
    }
}

/// The JSON text of a lint run (pretty-printed, trailing newline).
pub fn to_string(reports: &[FileReport]) -> String {
    let mut s = serde_json::to_string_pretty(&output(reports)).expect("lint output serializes");
    s.push('\n');
    s
}

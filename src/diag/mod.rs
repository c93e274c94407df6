//! Diagnostics: the one record type every stage reports with, and its
//! renderings (miette for people, JSON and SARIF for tools).

mod id;
pub mod json;
pub mod report;
pub mod sarif;

pub use id::{ALL, DiagId, DiagInfo, Severity};

use crate::syntax::Span;
use serde_json::{Map, Value};

/// A second location that explains the first (e.g. the first occurrence of a
/// duplicated key).
#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    pub span: Span,
    pub line: u32,
    pub message: String,
}

/// One finding, with every fact spec/diagnostics.md §10 asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub id: DiagId,
    pub severity: Severity,
    pub message: String,
    /// Line per grammar.md §8; `None` for findings that belong to no line.
    pub line: Option<u32>,
    /// Where in the decoded text; `None` for findings that belong to no line.
    pub span: Option<Span>,
    /// Short text drawn under the span.
    pub label: Option<String>,
    pub key: Option<String>,
    pub value: Option<String>,
    pub facts: Map<String, Value>,
    pub help: Option<String>,
    pub related: Vec<Related>,
}

impl Diagnostic {
    pub fn new(id: DiagId, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            id,
            severity: id.severity(),
            message: message.into(),
            line: None,
            span: None,
            label: None,
            key: None,
            value: None,
            facts: Map::new(),
            help: None,
            related: Vec::new(),
        }
    }

    pub fn at(mut self, line: u32, span: Span) -> Self {
        self.line = Some(line);
        self.span = Some(span);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    pub fn fact(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.facts.insert(name.to_owned(), value.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn related(mut self, related: Related) -> Self {
        self.related.push(related);
        self
    }

    /// Appends a sentence to the help text.
    pub fn add_help(&mut self, more: &str) {
        match &mut self.help {
            Some(h) => {
                h.push(' ');
                h.push_str(more);
            }
            None => self.help = Some(more.to_owned()),
        }
    }
}

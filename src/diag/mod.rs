//! Diagnostics: the one record type every stage reports with, and its
//! renderings (miette for people, JSON and SARIF for tools).

mod id;
pub mod json;
pub mod report;
pub mod sarif;

pub use id::{ALL, DiagId, DiagInfo, Severity};

use crate::syntax::Span;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// Text that is usually a fixed sentence (no allocation) and sometimes built.
pub type Text = Cow<'static, str>;

/// The facts of a diagnostic (diagnostics.md §10): named JSON values, kept in
/// the order they were first given and rendered in key order (as the
/// `serde_json::Map` they used to be: a handful of entries, so a vector is
/// cheaper to build and free than a B-tree).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts(Vec<(&'static str, Value)>);

static NULL: Value = Value::Null;

impl Facts {
    pub fn new() -> Facts {
        Facts(Vec::new())
    }

    /// Sets a fact, replacing an earlier value of the same name in place.
    pub fn insert(&mut self, name: &'static str, value: impl Into<Value>) {
        let value = value.into();
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => *v = value,
            None => {
                // Most records carry one or two facts: no room for four.
                if self.0.capacity() == 0 {
                    self.0.reserve_exact(2);
                }
                self.0.push((name, value))
            }
        }
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Whether a fact of that name was recorded.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The facts in the order they were first given (not key order: see
    /// [`Facts::to_map`] for the rendered order).
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Value)> {
        self.0.iter().map(|(n, v)| (*n, v))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The facts as a JSON object, keys sorted (what the renderings print).
    pub fn to_map(&self) -> Map<String, Value> {
        self.0.iter().map(|(n, v)| ((*n).to_owned(), v.clone())).collect()
    }
}

/// `facts["name"]`: the fact's value, or `null` when it is not set.
impl std::ops::Index<&str> for Facts {
    type Output = Value;

    fn index(&self, name: &str) -> &Value {
        self.get(name).unwrap_or(&NULL)
    }
}

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
    pub label: Option<Text>,
    pub key: Option<String>,
    pub value: Option<String>,
    pub facts: Facts,
    pub help: Option<Text>,
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
            facts: Facts::new(),
            help: None,
            related: Vec::new(),
        }
    }

    pub fn at(mut self, line: u32, span: Span) -> Self {
        self.line = Some(line);
        self.span = Some(span);
        self
    }

    pub fn label(mut self, label: impl Into<Text>) -> Self {
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

    pub fn fact(mut self, name: &'static str, value: impl Into<Value>) -> Self {
        self.facts.insert(name, value);
        self
    }

    pub fn help(mut self, help: impl Into<Text>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn related(mut self, related: Related) -> Self {
        self.related.push(related);
        self
    }

    /// Appends a sentence to the help text.
    pub fn add_help(&mut self, more: impl Into<Text>) {
        match &mut self.help {
            Some(h) => {
                let h = h.to_mut();
                h.push(' ');
                h.push_str(&more.into());
            }
            None => self.help = Some(more.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn facts_render_in_key_order_and_replace_in_place() {
        let mut f = Facts::new();
        assert!(f.is_empty());
        f.insert("zeta", 1);
        f.insert("alpha", "a");
        f.insert("mid", true);
        f.insert("zeta", 2);
        assert_eq!(f.len(), 3);
        assert_eq!(f["zeta"], 2);
        assert_eq!(f.get("alpha"), Some(&json!("a")));
        assert_eq!(f["absent"], Value::Null);
        assert_eq!(f.get("absent"), None);
        let given: Vec<_> = f.iter().map(|(n, _)| n).collect();
        assert_eq!(given, ["zeta", "alpha", "mid"]);
        // The JSON object the renderings print: keys sorted, as the
        // `serde_json::Map` the facts used to be.
        assert_eq!(
            serde_json::to_string(&f.to_map()).unwrap(),
            r#"{"alpha":"a","mid":true,"zeta":2}"#
        );
    }

    #[test]
    fn static_label_and_help_are_borrowed() {
        let mut d = Diagnostic::new(DiagId::KEY002, "m").label("ignored").help("delete it");
        assert!(matches!(d.label, Some(Cow::Borrowed("ignored"))));
        assert!(matches!(d.help, Some(Cow::Borrowed(_))));
        d.add_help(String::from("more"));
        assert_eq!(d.help.as_deref(), Some("delete it more"));
        let mut e = Diagnostic::new(DiagId::KEY001, "m");
        e.add_help("static");
        assert!(matches!(e.help, Some(Cow::Borrowed("static"))));
    }
}

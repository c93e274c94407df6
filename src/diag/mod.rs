//! Diagnostics: the one record type every stage reports with, and its
//! renderings (miette for people, JSON and SARIF for tools).

mod id;
pub mod json;
pub mod report;
pub mod sarif;

pub use id::{ALL, DiagId, DiagInfo, Severity};

use crate::syntax::Span;
use once_cell::race::OnceBox;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

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

/// The texts of a finding: everything spec/diagnostics.md §10 asks for besides
/// its id, severity and place.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Detail {
    pub message: String,
    /// Short text drawn under the span.
    pub label: Option<Text>,
    pub key: Option<String>,
    pub value: Option<String>,
    pub facts: Facts,
    pub help: Option<Text>,
    pub related: Vec<Related>,
}

/// The few values a deferred finding's [`Detail`] is built from, kept in
/// place of the texts until something reads them (see [`Diagnostic::deferred`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Args {
    /// A name, usually the key as written (shared with the syntax tree).
    pub name: Arc<str>,
    /// A second name, e.g. the first occurrence's spelling of a duplicate.
    pub other: Option<Arc<str>>,
    pub number: u32,
    pub span: Span,
    pub flag: bool,
}

/// Builds a deferred finding's texts from its arguments.
pub type Render = fn(&Args) -> Detail;

#[derive(Clone)]
enum Body {
    Built(Box<Detail>),
    Deferred {
        args: Args,
        render: Render,
        texts: OnceBox<Detail>,
    },
}

/// One finding, with every fact spec/diagnostics.md §10 asks for.
///
/// Id, severity and place are plain fields; the texts ([`Detail`]) are either
/// built when the finding is made ([`Diagnostic::new`] and the builder
/// methods), or, for the findings a large file can hold by the hundred
/// thousand (an unknown key, a duplicate), deferred: the record then keeps a
/// few shared names and numbers and no heap block of its own, and renders its
/// texts once, on first read. Either way a reader sees the same [`Detail`].
#[derive(Clone)]
pub struct Diagnostic {
    pub id: DiagId,
    pub severity: Severity,
    /// Line per grammar.md §8; `None` for findings that belong to no line.
    pub line: Option<u32>,
    /// Where in the decoded text; `None` for findings that belong to no line.
    pub span: Option<Span>,
    body: Body,
}

impl Diagnostic {
    pub fn new(id: DiagId, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            id,
            severity: id.severity(),
            line: None,
            span: None,
            body: Body::Built(Box::new(Detail {
                message: message.into(),
                ..Detail::default()
            })),
        }
    }

    /// A finding whose texts `render` builds from `args` when first read.
    /// `render` must be a pure function of `args`: a reader cannot tell a
    /// deferred finding from one built with the same texts.
    pub fn deferred(id: DiagId, line: u32, span: Span, args: Args, render: Render) -> Diagnostic {
        Diagnostic {
            id,
            severity: id.severity(),
            line: Some(line),
            span: Some(span),
            body: Body::Deferred {
                args,
                render,
                texts: OnceBox::new(),
            },
        }
    }

    /// The finding's texts.
    pub fn detail(&self) -> &Detail {
        match &self.body {
            Body::Built(detail) => detail,
            Body::Deferred { args, render, texts } => texts.get_or_init(|| Box::new(render(args))),
        }
    }

    /// The texts, to change them (a deferred finding is rendered first).
    pub fn detail_mut(&mut self) -> &mut Detail {
        if let Body::Deferred { args, render, texts } = &self.body {
            let detail = Box::new(texts.get().cloned().unwrap_or_else(|| render(args)));
            self.body = Body::Built(detail);
        }
        match &mut self.body {
            Body::Built(detail) => detail,
            Body::Deferred { .. } => unreachable!("rendered above"),
        }
    }

    pub fn message(&self) -> &str {
        &self.detail().message
    }

    pub fn at(mut self, line: u32, span: Span) -> Self {
        self.line = Some(line);
        self.span = Some(span);
        self
    }

    pub fn label(mut self, label: impl Into<Text>) -> Self {
        self.detail_mut().label = Some(label.into());
        self
    }

    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.detail_mut().key = Some(key.into());
        self
    }

    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.detail_mut().value = Some(value.into());
        self
    }

    pub fn fact(mut self, name: &'static str, value: impl Into<Value>) -> Self {
        self.detail_mut().facts.insert(name, value);
        self
    }

    pub fn help(mut self, help: impl Into<Text>) -> Self {
        self.detail_mut().help = Some(help.into());
        self
    }

    pub fn related(mut self, related: Related) -> Self {
        self.detail_mut().related.push(related);
        self
    }

    /// Appends a sentence to the help text.
    pub fn add_help(&mut self, more: impl Into<Text>) {
        self.detail_mut().add_help(more);
    }
}

impl Detail {
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

/// Equal when id, severity, place and texts are: how the texts are kept
/// (built or deferred) does not count.
impl PartialEq for Diagnostic {
    fn eq(&self, other: &Diagnostic) -> bool {
        self.id == other.id
            && self.severity == other.severity
            && self.line == other.line
            && self.span == other.span
            && self.detail() == other.detail()
    }
}

impl fmt::Debug for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.detail();
        f.debug_struct("Diagnostic")
            .field("id", &self.id)
            .field("severity", &self.severity)
            .field("message", &d.message)
            .field("line", &self.line)
            .field("span", &self.span)
            .field("label", &d.label)
            .field("key", &d.key)
            .field("value", &d.value)
            .field("facts", &d.facts)
            .field("help", &d.help)
            .field("related", &d.related)
            .finish()
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
        assert!(matches!(d.detail().label, Some(Cow::Borrowed("ignored"))));
        assert!(matches!(d.detail().help, Some(Cow::Borrowed(_))));
        d.add_help(String::from("more"));
        assert_eq!(d.detail().help.as_deref(), Some("delete it more"));
        let mut e = Diagnostic::new(DiagId::KEY001, "m");
        e.add_help("static");
        assert!(matches!(e.detail().help, Some(Cow::Borrowed("static"))));
    }

    fn render_sample(args: &Args) -> Detail {
        Detail {
            message: format!("key `{}`, line {}", args.name, args.number),
            key: Some(args.name.to_string()),
            ..Detail::default()
        }
    }

    fn sample_args() -> Args {
        Args {
            name: Arc::from("wsl2.memory"),
            other: None,
            number: 3,
            span: Span::new(1, 2),
            flag: false,
        }
    }

    #[test]
    fn a_deferred_finding_reads_like_a_built_one() {
        let deferred = Diagnostic::deferred(DiagId::KEY001, 7, Span::new(4, 9), sample_args(), render_sample);
        let built = Diagnostic::new(DiagId::KEY001, "key `wsl2.memory`, line 3")
            .at(7, Span::new(4, 9))
            .key("wsl2.memory");
        assert_eq!(deferred.message(), "key `wsl2.memory`, line 3");
        assert_eq!(deferred.detail().key.as_deref(), Some("wsl2.memory"));
        assert_eq!(deferred, built);
        assert_eq!(format!("{deferred:?}"), format!("{built:?}"));
        // Changing a deferred finding renders it first and keeps the texts.
        let mut changed = deferred.clone().help("more");
        assert_eq!(changed.message(), "key `wsl2.memory`, line 3");
        assert_eq!(changed.detail().help.as_deref(), Some("more"));
        changed.detail_mut().message.push('!');
        assert_eq!(changed.message(), "key `wsl2.memory`, line 3!");
        assert_ne!(changed, deferred);
    }

    #[test]
    fn the_record_stays_small() {
        // What a file of a hundred thousand duplicates costs per finding,
        // before anything reads its texts.
        assert!(
            std::mem::size_of::<Diagnostic>() <= 112,
            "{}",
            std::mem::size_of::<Diagnostic>()
        );
    }
}

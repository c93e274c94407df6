//! Loading a host profile (`--host FILE`) and single-field overrides
//! (`--host-set PATH=VALUE`), passes.md §1; the public contract is docs/host.md.
//!
//! Both are driven by one type model derived from the JSON Schema of
//! [`HostProfile`] (`schemars`), so a field added to the struct is at once
//! loadable, settable, listed by [`paths`] and type-checked with positions.
//!
//! Positions: a host file is parsed by `serde_json` (syntax errors carry its
//! line and column), then scanned once more by a small span scanner that
//! records, for every object key and value, its byte range in the text. The
//! file's own values are type-checked against the model *before* they are
//! merged into the embedded default, so every unknown field or badly typed
//! value is reported at its key or value, as `line:column` (1-based; the
//! column counts characters).

use super::HostProfile;
use miette::{LabeledSpan, NamedSource, SourceSpan};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::OnceLock;

// ---------------------------------------------------------------------------
// Errors

/// Which input a [`HostError`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostErrorKind {
    /// A host file (`--host FILE`): `HST001`.
    File,
    /// A single-field override (`--host-set PATH=VALUE`): `HST002`.
    Set,
}

impl HostErrorKind {
    /// The stable diagnostic code.
    pub fn code(self) -> &'static str {
        match self {
            HostErrorKind::File => "HST001",
            HostErrorKind::Set => "HST002",
        }
    }
}

/// A host file or a `--host-set` override that cannot be used. The command
/// line treats it as a usage error (exit 2).
#[derive(Clone)]
pub struct HostError(Box<Inner>);

#[derive(Clone)]
struct Inner {
    kind: HostErrorKind,
    /// The host file's name, or the whole `PATH=VALUE` of an override.
    origin: String,
    field: Option<String>,
    message: String,
    help: Option<String>,
    /// 1-based line and column (characters) in the host file.
    position: Option<(usize, usize)>,
    /// Byte offset and length in `source`.
    span: Option<(usize, usize)>,
    label: Option<String>,
    source: Option<NamedSource<String>>,
}

impl HostError {
    pub fn kind(&self) -> HostErrorKind {
        self.0.kind
    }

    /// `HST001` (host file) or `HST002` (`--host-set`).
    pub fn code(&self) -> &'static str {
        self.0.kind.code()
    }

    /// The dotted path of the field concerned, when there is one
    /// (`files.size(C:\sd.img)` for file facts, `virtiofs.tags[1]` for a list item).
    pub fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }

    /// The message without the origin and position.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The help text (a did-you-mean suggestion, the expected form).
    pub fn help_text(&self) -> Option<&str> {
        self.0.help.as_deref()
    }

    /// 1-based line and column (in characters) in the host file.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        self.0.position
    }

    fn file(name: &str, text: &str, message: String) -> HostError {
        HostError(Box::new(Inner {
            kind: HostErrorKind::File,
            origin: name.to_owned(),
            field: None,
            message,
            help: None,
            position: None,
            span: None,
            label: None,
            source: Some(NamedSource::new(name, text.to_owned()).with_language("JSON")),
        }))
    }

    fn set(assignment: &str, message: String) -> HostError {
        HostError(Box::new(Inner {
            kind: HostErrorKind::Set,
            origin: assignment.to_owned(),
            field: None,
            message,
            help: None,
            position: None,
            span: None,
            label: None,
            source: Some(NamedSource::new("--host-set", assignment.to_owned())),
        }))
    }

    fn with_field(mut self, field: impl Into<String>) -> HostError {
        self.0.field = Some(field.into());
        self
    }

    fn with_help(mut self, help: Option<String>) -> HostError {
        self.0.help = help;
        self
    }

    /// Points at `start..start+len` of the source; for a host file this also
    /// sets the line and column.
    fn at(mut self, start: usize, len: usize, label: impl Into<String>) -> HostError {
        if self.0.kind == HostErrorKind::File
            && let Some(src) = &self.0.source
        {
            self.0.position = Some(line_column(src.inner(), start));
        }
        self.0.span = Some((start, len));
        self.0.label = Some(label.into());
        self
    }
}

/// 1-based line and column (counting characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.0.kind, self.0.position) {
            (HostErrorKind::File, Some((line, column))) => {
                write!(f, "{}:{line}:{column}: {}", self.0.origin, self.0.message)
            }
            (HostErrorKind::File, None) => write!(f, "{}: {}", self.0.origin, self.0.message),
            (HostErrorKind::Set, _) => write!(f, "--host-set `{}`: {}", self.0.origin, self.0.message),
        }
    }
}

impl fmt::Debug for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HostError")
            .field("code", &self.code())
            .field("origin", &self.0.origin)
            .field("field", &self.0.field)
            .field("message", &self.0.message)
            .field("help", &self.0.help)
            .field("position", &self.0.position)
            .finish()
    }
}

impl std::error::Error for HostError {}

impl miette::Diagnostic for HostError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Error)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.0.span?;
        self.0.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (start, len) = self.0.span?;
        let span = SourceSpan::new(start.into(), len);
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(
            self.0.label.clone(),
            span,
        ))))
    }
}

// ---------------------------------------------------------------------------
// The type model, from the JSON Schema of `HostProfile`

/// The type of one field or item.
#[derive(Debug)]
enum Ty {
    Bool,
    /// An integer; `what` names the type ("an unsigned 32-bit integer").
    Int {
        min: i128,
        max: i128,
        what: &'static str,
    },
    /// Text; `choices` for an enumeration (`arch`).
    Str {
        choices: Option<Vec<String>>,
    },
    /// A list; `len` when the length is fixed (`guest.kernelVersion`).
    List {
        item: Box<Ty>,
        len: Option<usize>,
    },
    /// A group of named fields.
    Object(BTreeMap<String, Field>),
    /// A map keyed by free text (`files`).
    Map(Box<Ty>),
}

#[derive(Debug)]
struct Field {
    ty: Ty,
    /// `Option<_>` in the struct: absent (or JSON null) = not configured.
    optional: bool,
}

fn model() -> &'static Ty {
    static MODEL: OnceLock<Ty> = OnceLock::new();
    MODEL.get_or_init(|| {
        let schema = serde_json::to_value(schemars::schema_for!(HostProfile)).expect("schema serializes");
        to_ty(&schema, &schema).0
    })
}

fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    while let Some(r) = node.get("$ref").and_then(Value::as_str) {
        node = root.pointer(r.trim_start_matches('#')).expect("schemars $ref resolves");
    }
    node
}

/// A schema node as a type, and whether it admits null.
fn to_ty(root: &Value, node: &Value) -> (Ty, bool) {
    let node = resolve(root, node);
    if let Some(alts) = node
        .get("anyOf")
        .or_else(|| node.get("oneOf"))
        .and_then(Value::as_array)
    {
        let mut optional = false;
        let mut ty = None;
        for alt in alts {
            if resolve(root, alt).get("type").and_then(Value::as_str) == Some("null") {
                optional = true;
            } else {
                let (t, o) = to_ty(root, alt);
                optional |= o;
                ty = Some(t);
            }
        }
        return (ty.expect("a non-null alternative"), optional);
    }
    let types: Vec<&str> = match node.get("type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => panic!("host profile schema node without a type: {node}"),
    };
    let optional = types.contains(&"null");
    let kind = types.iter().copied().find(|t| *t != "null").expect("a non-null type");
    let ty = match kind {
        "boolean" => Ty::Bool,
        "integer" => int_ty(node),
        "string" => Ty::Str {
            choices: node
                .get("enum")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()),
        },
        "array" => {
            let min = node.get("minItems").and_then(Value::as_u64);
            let max = node.get("maxItems").and_then(Value::as_u64);
            Ty::List {
                item: Box::new(to_ty(root, &node["items"]).0),
                len: min.filter(|m| Some(*m) == max).map(|m| m as usize),
            }
        }
        "object" => match node.get("properties").and_then(Value::as_object) {
            Some(props) => Ty::Object(
                props
                    .iter()
                    .map(|(k, v)| {
                        let (ty, optional) = to_ty(root, v);
                        (k.clone(), Field { ty, optional })
                    })
                    .collect(),
            ),
            None => Ty::Map(Box::new(to_ty(root, &node["additionalProperties"]).0)),
        },
        other => panic!("host profile schema type `{other}` is not modelled"),
    };
    (ty, optional)
}

fn int_ty(node: &Value) -> Ty {
    let (min, max, what): (i128, i128, &'static str) = match node.get("format").and_then(Value::as_str) {
        Some("uint8") => (0, u8::MAX.into(), "an unsigned 8-bit integer"),
        Some("uint16") => (0, u16::MAX.into(), "an unsigned 16-bit integer"),
        Some("uint32") => (0, u32::MAX.into(), "an unsigned 32-bit integer"),
        Some("uint64") => (0, u64::MAX.into(), "an unsigned 64-bit integer"),
        Some("int8") => (i8::MIN.into(), i8::MAX.into(), "a signed 8-bit integer"),
        Some("int16") => (i16::MIN.into(), i16::MAX.into(), "a signed 16-bit integer"),
        Some("int32") => (i32::MIN.into(), i32::MAX.into(), "a signed 32-bit integer"),
        _ => (i64::MIN.into(), i64::MAX.into(), "a signed 64-bit integer"),
    };
    let bound = |k: &str, d: i128| node.get(k).and_then(Value::as_f64).map_or(d, |f| f as i128);
    Ty::Int {
        min: bound("minimum", min).max(min),
        max: bound("maximum", max).min(max),
        what,
    }
}

/// The root's fields.
fn root_fields() -> &'static BTreeMap<String, Field> {
    match model() {
        Ty::Object(fields) => fields,
        _ => unreachable!("the host profile is an object"),
    }
}

/// The facts of one file (`files.<path>`).
fn file_fields() -> &'static BTreeMap<String, Field> {
    match root_fields().get("files").map(|f| &f.ty) {
        Some(Ty::Map(value)) => match &**value {
            Ty::Object(fields) => fields,
            _ => unreachable!("file facts are an object"),
        },
        _ => unreachable!("`files` is a map"),
    }
}

impl Ty {
    /// In JSON terms, for "expected …" messages of a host file.
    fn json_kind(&self) -> String {
        match self {
            Ty::Bool => "a boolean (`true` or `false`)".into(),
            Ty::Int { .. } => "an integer".into(),
            Ty::Str { choices: Some(c) } => format!("one of {}", quoted_list(c)),
            Ty::Str { choices: None } => "a string".into(),
            Ty::List { item, len: Some(n) } => format!("an array of {n} {}", item.json_plural()),
            Ty::List { item, len: None } => format!("an array of {}", item.json_plural()),
            Ty::Object(_) | Ty::Map(_) => "an object".into(),
        }
    }

    fn json_plural(&self) -> &'static str {
        match self {
            Ty::Bool => "booleans",
            Ty::Int { .. } => "integers",
            Ty::Str { .. } => "strings",
            Ty::List { .. } => "arrays",
            Ty::Object(_) | Ty::Map(_) => "objects",
        }
    }

    /// In command-line terms, for the help of a `--host-set` value error.
    fn text_form(&self) -> String {
        match self {
            Ty::Bool => "`true` or `false`".into(),
            Ty::Int { min, max, what } => format!("{what} in decimal ({min}..={max})"),
            Ty::Str { choices: Some(c) } => format!("one of {}", quoted_list(c)),
            Ty::Str { choices: None } => "text, taken as written".into(),
            Ty::List { item, len: Some(3) } if matches!(**item, Ty::Int { .. }) => {
                "a version `MAJOR.MINOR.PATCH` (e.g. `5.15.167`)".into()
            }
            Ty::List { item, .. } => format!(
                "a list of {}, joined with commas (an empty value is the empty list)",
                item.json_plural()
            ),
            Ty::Object(_) | Ty::Map(_) => "a group of fields".into(),
        }
    }
}

fn quoted_list(items: &[String]) -> String {
    items.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
}

// ---------------------------------------------------------------------------
// Paths

/// One step of a path into the host JSON.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Seg {
    Key(String),
    Index(usize),
}

/// The display form of a path: dotted keys, `[i]` for list items, and
/// `files.<fact>(<path>)` for file facts (the `--host-set` spelling).
fn render(segs: &[Seg]) -> String {
    let mut out = String::new();
    let mut rest = segs;
    if let [Seg::Key(files), Seg::Key(file), tail @ ..] = segs
        && files == "files"
    {
        match tail.first() {
            Some(Seg::Key(fact)) => {
                out = format!("files.{fact}({file})");
                rest = &tail[1..];
            }
            _ => {
                out = format!("files({file})");
                rest = tail;
            }
        }
    }
    for seg in rest {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Every valid `--host-set` path, sorted: each leaf field as a dotted path
/// (`windows.build`, `policies.AllowKernelUserSetting`, `host.endpoint.prefixLen`),
/// lists as one path (`fixedDrives`), and the two file facts with the
/// placeholder `PATH`: `files.exists(PATH)`, `files.size(PATH)`.
pub fn paths() -> Vec<String> {
    let mut out = Vec::new();
    collect_paths(root_fields(), "", false, &mut out);
    out.sort();
    out
}

/// Leaf paths (and, with `groups`, the paths of groups too).
fn collect_paths(fields: &BTreeMap<String, Field>, prefix: &str, groups: bool, out: &mut Vec<String>) {
    for (name, field) in fields {
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        match &field.ty {
            Ty::Object(inner) => {
                if groups {
                    out.push(path.clone());
                }
                collect_paths(inner, &path, groups, out);
            }
            Ty::Map(_) => {
                if groups {
                    out.push(path.clone());
                }
                for fact in file_fields().keys() {
                    out.push(format!("{path}.{fact}(PATH)"));
                }
            }
            _ => out.push(path),
        }
    }
}

/// Every field and group path, for suggestions in a host file.
fn all_paths() -> &'static [String] {
    static ALL: OnceLock<Vec<String>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut out = Vec::new();
        collect_paths(root_fields(), "", true, &mut out);
        out.retain(|p| !p.contains('('));
        out.sort();
        out
    })
}

/// The nearest candidate to a path that is not valid, when it is close:
/// compared ignoring ASCII case, on the whole path or (one step further
/// away) on its last component, or as a prefix of it, so
/// `policies.allowdebugshell`, `windows.buidl`, a top-level `build` and `arm`
/// all find their candidate.
fn nearest(written: &str, candidates: &[String]) -> Option<String> {
    let w = written.to_ascii_lowercase();
    let w_leaf = w.rsplit('.').next().unwrap_or(&w);
    let limit = (w.chars().count() / 3).clamp(1, 4);
    candidates
        .iter()
        .filter_map(|c| {
            let lc = c.to_ascii_lowercase();
            let full = strsim::damerau_levenshtein(&w, &lc);
            let leaf = if lc.contains('(') {
                usize::MAX
            } else {
                strsim::damerau_levenshtein(w_leaf, lc.rsplit('.').next().unwrap_or(&lc)).saturating_add(1)
            };
            // A candidate that continues what was written (`arm` → `arm64`).
            let prefix = if w.len() >= 3 && lc.starts_with(&w) {
                limit
            } else {
                usize::MAX
            };
            let d = full.min(leaf).min(prefix);
            (d <= limit).then_some((d, c))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.clone())
}

fn did_you_mean(suggestion: Option<String>) -> Option<String> {
    suggestion.map(|s| format!("did you mean `{s}`?"))
}

fn join_help(parts: impl IntoIterator<Item = Option<String>>) -> Option<String> {
    let parts: Vec<String> = parts.into_iter().flatten().collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

// ---------------------------------------------------------------------------
// Checks shared by host files and overrides

/// Text checks beyond the JSON type, by field (`path` without list indices).
fn check_text(path: &str, text: &str) -> Result<(), String> {
    match path {
        "vm.id" | "virtiofs.tags" if !is_guid(text) => Err(format!(
            "expected a GUID (`3F2504E0-4F89-11D3-9A0C-0305E82C3301`, with or without braces, either case), found `{text}`"
        )),
        "fixedDrives" if !is_drive(text) => Err(format!(
            "expected a drive letter (`C`, also `C:` or `C:\\`), found `{text}`"
        )),
        _ => Ok(()),
    }
}

/// A GUID in the 8-4-4-4-12 form, with or without one pair of braces.
fn is_guid(text: &str) -> bool {
    let bare = match text.strip_prefix('{') {
        Some(inner) => match inner.strip_suffix('}') {
            Some(b) => b,
            None => return false,
        },
        None => text,
    };
    bare.len() == 36
        && bare.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn is_drive(text: &str) -> bool {
    let letter = text
        .strip_suffix(":\\")
        .or_else(|| text.strip_suffix(':'))
        .unwrap_or(text);
    letter.len() == 1 && letter.as_bytes()[0].is_ascii_alphabetic()
}

/// Checks an integer against its range.
fn int_in_range(value: i128, min: i128, max: i128, what: &str) -> Result<(), String> {
    if value < min || value > max {
        return Err(format!("{value} is out of range for {what} ({min}..={max})"));
    }
    Ok(())
}

/// The path for `check_text`: the rendered path without list indices.
fn text_key(segs: &[Seg]) -> String {
    let keys: Vec<Seg> = segs.iter().filter(|s| matches!(s, Seg::Key(_))).cloned().collect();
    render(&keys)
}

// ---------------------------------------------------------------------------
// Host files

/// Byte ranges of a key and its value in the host file.
#[derive(Clone, Copy, Debug)]
struct Spans {
    key: Option<(usize, usize)>,
    value: (usize, usize),
}

/// Records the byte range of every key and value of a JSON text that
/// `serde_json` has already accepted; reports the first duplicate key.
struct Scanner<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    spans: HashMap<Vec<Seg>, Spans>,
    duplicate: Option<Duplicate>,
}

/// The first key given twice in one object.
struct Duplicate {
    segs: Vec<Seg>,
    /// The second occurrence of the key.
    at: (usize, usize),
    /// Byte offset of the first occurrence.
    first: usize,
}

impl<'a> Scanner<'a> {
    fn scan(text: &'a str) -> Scanner<'a> {
        let mut s = Scanner {
            text,
            b: text.as_bytes(),
            i: 0,
            spans: HashMap::new(),
            duplicate: None,
        };
        let mut path = Vec::new();
        let value = s.value(&mut path);
        s.spans.insert(Vec::new(), Spans { key: None, value });
        s
    }

    fn peek(&self) -> u8 {
        self.b.get(self.i).copied().unwrap_or(0)
    }

    fn ws(&mut self) {
        while matches!(self.peek(), b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    /// Skips a string starting at the opening quote; returns its range.
    fn string(&mut self) -> (usize, usize) {
        let start = self.i;
        self.i += 1;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    break;
                }
                _ => self.i += 1,
            }
        }
        (start, self.i.min(self.b.len()) - start)
    }

    fn value(&mut self, path: &mut Vec<Seg>) -> (usize, usize) {
        self.ws();
        let start = self.i;
        match self.peek() {
            b'{' => {
                self.i += 1;
                let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
                loop {
                    self.ws();
                    match self.peek() {
                        b'}' => {
                            self.i += 1;
                            break;
                        }
                        b',' => {
                            self.i += 1;
                            continue;
                        }
                        b'"' => {}
                        _ => break, // not reached for text serde_json accepted
                    }
                    let key_span = self.string();
                    let key: String =
                        serde_json::from_str(&self.text[key_span.0..key_span.0 + key_span.1]).unwrap_or_default();
                    self.ws();
                    if self.peek() == b':' {
                        self.i += 1;
                    }
                    path.push(Seg::Key(key.clone()));
                    let value = self.value(path);
                    if let Some(first) = seen.insert(key, key_span)
                        && self.duplicate.is_none()
                    {
                        self.duplicate = Some(Duplicate {
                            segs: path.clone(),
                            at: key_span,
                            first: first.0,
                        });
                    }
                    self.spans.insert(
                        path.clone(),
                        Spans {
                            key: Some(key_span),
                            value,
                        },
                    );
                    path.pop();
                }
            }
            b'[' => {
                self.i += 1;
                let mut index = 0;
                loop {
                    self.ws();
                    match self.peek() {
                        b']' => {
                            self.i += 1;
                            break;
                        }
                        b',' => {
                            self.i += 1;
                            continue;
                        }
                        0 => break,
                        _ => {}
                    }
                    path.push(Seg::Index(index));
                    let value = self.value(path);
                    self.spans.insert(path.clone(), Spans { key: None, value });
                    path.pop();
                    index += 1;
                }
            }
            b'"' => {
                self.string();
            }
            _ => {
                while !matches!(self.peek(), 0 | b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                    self.i += 1;
                }
            }
        }
        (start, self.i - start)
    }
}

/// Type-checks a host file's own values, reporting at their position.
struct Checker<'a> {
    name: &'a str,
    text: &'a str,
    spans: HashMap<Vec<Seg>, Spans>,
}

impl Checker<'_> {
    fn value_span(&self, segs: &[Seg]) -> (usize, usize) {
        self.spans.get(segs).map_or((0, 0), |s| s.value)
    }

    fn key_span(&self, segs: &[Seg]) -> (usize, usize) {
        self.spans
            .get(segs)
            .and_then(|s| s.key)
            .unwrap_or_else(|| self.value_span(segs))
    }

    fn source_text(&self, segs: &[Seg]) -> &str {
        let (start, len) = self.value_span(segs);
        &self.text[start..start + len]
    }

    fn err(&self, segs: &[Seg], message: String) -> HostError {
        let mut e = HostError::file(self.name, self.text, message);
        if !segs.is_empty() {
            e = e.with_field(render(segs));
        }
        e
    }

    /// What a value is, for "found …".
    fn found(&self, v: &Value, segs: &[Seg]) -> String {
        match v {
            Value::Object(_) => "an object".into(),
            Value::Array(_) => "an array".into(),
            Value::Number(_) => self.source_text(segs).to_owned(),
            other => other.to_string(),
        }
    }

    fn type_error(&self, segs: &[Seg], ty: &Ty, optional: bool, v: &Value) -> HostError {
        let nullable = if optional { " or null (not configured)" } else { "" };
        let path = render(segs);
        let (start, len) = self.value_span(segs);
        self.err(
            segs,
            format!(
                "{path}: expected {}{nullable}, found {}",
                ty.json_kind(),
                self.found(v, segs)
            ),
        )
        .at(start, len, format!("expected {}", ty.json_kind()))
    }

    fn value_error(&self, segs: &[Seg], message: String, help: Option<String>) -> HostError {
        let (start, len) = self.value_span(segs);
        let path = render(segs);
        self.err(segs, format!("{path}: {message}"))
            .at(start, len, "invalid value")
            .with_help(help)
    }

    fn check(&self, ty: &Ty, optional: bool, v: &Value, segs: &mut Vec<Seg>) -> Result<(), HostError> {
        if v.is_null() {
            return if optional {
                Ok(())
            } else {
                Err(self.type_error(segs, ty, optional, v))
            };
        }
        match (ty, v) {
            (Ty::Bool, Value::Bool(_)) => Ok(()),
            (Ty::Int { min, max, what }, Value::Number(n)) => {
                let value = n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from));
                match value {
                    Some(value) => int_in_range(value, *min, *max, what)
                        .map_err(|m| self.value_error(segs, m, Some(format!("`{}` is {what}", render(segs))))),
                    None => {
                        let src = self.source_text(segs);
                        if src.contains(['.', 'e', 'E']) {
                            Err(self.type_error(segs, ty, optional, v))
                        } else {
                            Err(self.value_error(
                                segs,
                                format!("{src} is out of range for {what} ({min}..={max})"),
                                None,
                            ))
                        }
                    }
                }
            }
            (Ty::Str { choices }, Value::String(s)) => {
                if let Some(choices) = choices
                    && !choices.contains(s)
                {
                    let help = did_you_mean(nearest(s, choices));
                    return Err(self.value_error(
                        segs,
                        format!("expected one of {}, found {v}", quoted_list(choices)),
                        help,
                    ));
                }
                check_text(&text_key(segs), s).map_err(|m| self.value_error(segs, m, None))
            }
            (Ty::List { item, len }, Value::Array(items)) => {
                if let Some(n) = len
                    && items.len() != *n
                {
                    return Err(self.value_error(
                        segs,
                        format!("expected {}, found an array of {} items", ty.json_kind(), items.len()),
                        None,
                    ));
                }
                for (i, item_value) in items.iter().enumerate() {
                    segs.push(Seg::Index(i));
                    self.check(item, false, item_value, segs)?;
                    segs.pop();
                }
                Ok(())
            }
            (Ty::Object(fields), Value::Object(map)) => {
                for (key, value) in map {
                    segs.push(Seg::Key(key.clone()));
                    match fields.get(key) {
                        Some(field) => self.check(&field.ty, field.optional, value, segs)?,
                        None => return Err(self.unknown_field(segs, fields)),
                    }
                    segs.pop();
                }
                Ok(())
            }
            (Ty::Map(value_ty), Value::Object(map)) => {
                let mut seen: HashMap<String, &str> = HashMap::new();
                for (key, value) in map {
                    segs.push(Seg::Key(key.clone()));
                    if let Some(first) = seen.insert(key.to_ascii_lowercase(), key) {
                        let (start, len) = self.key_span(segs);
                        return Err(self
                            .err(
                                segs,
                                format!("`{first}` and `{key}` name the same file (paths compare ignoring ASCII case)"),
                            )
                            .at(start, len, "same file as an earlier entry")
                            .with_help(Some("merge the facts into one entry".into())));
                    }
                    self.check(value_ty, false, value, segs)?;
                    segs.pop();
                }
                Ok(())
            }
            _ => Err(self.type_error(segs, ty, optional, v)),
        }
    }

    fn unknown_field(&self, segs: &[Seg], siblings: &BTreeMap<String, Field>) -> HostError {
        let path = render(segs);
        let parent = render(&segs[..segs.len() - 1]);
        let under_files = matches!(segs.first(), Some(Seg::Key(f)) if f == "files") && segs.len() == 3;
        let candidates: Vec<String> = if under_files {
            let file = match &segs[1] {
                Seg::Key(k) => k.as_str(),
                Seg::Index(_) => "",
            };
            file_fields().keys().map(|f| format!("files.{f}({file})")).collect()
        } else {
            all_paths().to_vec()
        };
        let fields = quoted_list(&siblings.keys().cloned().collect::<Vec<_>>());
        let listing = if parent.is_empty() {
            format!("The top-level fields are {fields}.")
        } else {
            format!("The fields of `{parent}` are {fields}.")
        };
        let (start, len) = self.key_span(segs);
        self.err(segs, format!("unknown field `{path}`"))
            .at(start, len, "unknown field")
            .with_help(join_help([did_you_mean(nearest(&path, &candidates)), Some(listing)]))
    }
}

/// Loads a host file: a JSON object giving any subset of the profile's
/// fields (docs/host.md). Every field it leaves out keeps the embedded
/// default ([`HostProfile::default`]): objects merge field by field (`files`
/// and `policies` by key), everything else, lists included, replaces; JSON
/// `null` clears an optional field. `name` is the file name shown in errors.
///
/// Errors (`HST001`) name the field path and its `line:column`: invalid JSON,
/// a top level that is not an object, an unknown field (with the nearest
/// valid path), a value of the wrong type or out of range, a duplicate key.
pub fn from_json(text: &str, name: &str) -> Result<HostProfile, HostError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file: Value = serde_json::from_str(text).map_err(|e| {
        let offset = offset_of(text, e.line(), e.column());
        let len = usize::from(offset < text.len());
        HostError::file(name, text, format!("invalid JSON: {}", strip_position(&e)))
            .at(offset, len, "here")
            .with_help(Some(
                "a host file is one JSON object of host profile fields (docs/host.md)".into(),
            ))
    })?;
    let scanner = Scanner::scan(text);
    let checker = Checker {
        name,
        text,
        spans: scanner.spans,
    };
    if let Some(Duplicate {
        segs,
        at: (start, len),
        first,
    }) = scanner.duplicate
    {
        let (line, column) = line_column(text, first);
        return Err(checker
            .err(&segs, format!("duplicate field `{}`", render(&segs)))
            .at(start, len, "duplicate")
            .with_help(Some(format!(
                "the field is first given at {line}:{column}; keep one of them"
            ))));
    }
    if !file.is_object() {
        let (start, len) = checker.value_span(&[]);
        return Err(checker
            .err(
                &[],
                format!(
                    "expected a JSON object of host profile fields, found {}",
                    checker.found(&file, &[])
                ),
            )
            .at(start, len, "not an object")
            .with_help(Some(r#"for example {"windows": {"build": 19045, "ubr": 3393}}"#.into())));
    }
    checker.check(model(), false, &file, &mut Vec::new())?;

    let mut merged = serde_json::to_value(HostProfile::default()).expect("the default profile serializes");
    merge(&mut merged, file);
    serde_json::from_value(merged).map_err(|e| HostError::file(name, text, format!("invalid host profile: {e}")))
}

/// serde_json's message without its " at line L column C" suffix.
fn strip_position(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message,
    }
}

/// The byte offset of serde_json's (1-based line, byte column).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let line_len = text[line_start..].find('\n').unwrap_or(text.len() - line_start);
    floor_char_boundary(text, line_start + column.saturating_sub(1).min(line_len))
}

/// Objects merge key by key; anything else replaces.
fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(base), Value::Object(over)) => {
            for (key, value) in over {
                match base.get_mut(&key) {
                    Some(slot) => merge(slot, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (slot, value) => *slot = value,
    }
}

// ---------------------------------------------------------------------------
// Overrides

/// Applies one `--host-set PATH=VALUE` override.
///
/// PATH is a dotted field path as [`paths`] lists it, or
/// `files.exists(<path>)` / `files.size(<path>)` with the file's path written
/// literally between the parentheses. VALUE is parsed by the field's type:
/// integers in decimal (range-checked), `true`/`false`, text as written, a
/// list as items joined with commas (items are trimmed; an empty VALUE is the
/// empty list), `guest.kernelVersion` as `MAJOR.MINOR.PATCH`. An empty VALUE
/// for an optional field (policies, pipes, file facts, `guest.*`, the
/// optional `host.*` facts, `host.endpoint.prefixLen`, the optional `wslc.*`
/// settings) clears it: *not configured*.
///
/// Errors (`HST002`): an unknown path (with the nearest valid path), a group
/// instead of a field, a value that does not parse as the field's type.
pub fn set(profile: &mut HostProfile, assignment: &str) -> Result<(), HostError> {
    if assignment.starts_with("files.") && assignment.contains('(') {
        return set_file_fact(profile, assignment);
    }
    let Some((path, value)) = assignment.split_once('=') else {
        return Err(HostError::set(assignment, "expected `PATH=VALUE`".into())
            .at(0, assignment.len(), "no `=`")
            .with_help(Some("for example `--host-set windows.build=19045`".into())));
    };
    let value_at = path.len() + 1;
    let path_err = |message: String, help: Option<String>| {
        HostError::set(assignment, message)
            .with_field(path)
            .at(0, path.len(), "this path")
            .with_help(help)
    };
    let segs: Vec<&str> = path.split('.').collect();
    let mut fields = root_fields();
    let mut field = None;
    for (i, seg) in segs.iter().enumerate() {
        match fields.get(*seg) {
            Some(f) => {
                field = Some(f);
                if i + 1 < segs.len() {
                    match &f.ty {
                        Ty::Object(inner) => fields = inner,
                        _ => field = None,
                    }
                }
            }
            None => field = None,
        }
        if field.is_none() {
            break;
        }
    }
    let Some(field) = field else {
        let all = paths();
        return Err(path_err(
            format!("unknown host field `{path}`"),
            join_help([
                did_you_mean(nearest(path, &all)),
                Some("`wslcfg` host fields are listed in docs/host.md".into()),
            ]),
        ));
    };
    match &field.ty {
        Ty::Object(inner) => {
            let members: Vec<String> = inner.keys().map(|k| format!("{path}.{k}")).collect();
            return Err(path_err(
                format!("`{path}` is a group of fields, not a field"),
                Some(format!("set one of its fields: {}", quoted_list(&members))),
            ));
        }
        Ty::Map(_) => {
            return Err(path_err(
                format!("`{path}` is a group of fields, not a field"),
                Some("set file facts with `files.exists(PATH)=true|false` or `files.size(PATH)=BYTES`".into()),
            ));
        }
        _ => {}
    }
    let parsed = parse_value(&field.ty, field.optional, path, value).map_err(|(message, help)| {
        HostError::set(assignment, format!("{path}: {message}"))
            .with_field(path)
            .at(value_at, value.len(), "this value")
            .with_help(help)
    })?;

    let mut json = serde_json::to_value(&*profile).expect("a host profile serializes");
    let mut parent = &mut json;
    for seg in &segs[..segs.len() - 1] {
        parent = parent.get_mut(*seg).expect("a group serializes as an object");
    }
    let parent = parent.as_object_mut().expect("a group serializes as an object");
    let leaf = segs[segs.len() - 1];
    match parsed {
        Some(v) => {
            parent.insert(leaf.to_owned(), v);
        }
        None => {
            parent.remove(leaf);
        }
    }
    *profile = serde_json::from_value(json)
        .map_err(|e| HostError::set(assignment, format!("invalid host profile: {e}")).with_field(path))?;
    Ok(())
}

/// `files.<fact>(<path>)=VALUE`. The path may contain `)` and `=`: it ends
/// at the last `)=`.
fn set_file_fact(profile: &mut HostProfile, assignment: &str) -> Result<(), HostError> {
    let open = assignment.find('(').expect("checked by the caller");
    let fact = &assignment["files.".len()..open];
    let form_help = || Some("write `files.exists(PATH)=true|false` or `files.size(PATH)=BYTES`".to_owned());
    let Some(close) = assignment.rfind(")=") else {
        return Err(HostError::set(assignment, "expected `files.FACT(PATH)=VALUE`".into())
            .at(0, assignment.len(), "no `)=`")
            .with_help(form_help()));
    };
    let file = &assignment[open + 1..close];
    let value = &assignment[close + 2..];
    let shown = format!("files.{fact}({file})");
    if file.is_empty() {
        return Err(
            HostError::set(assignment, "the file path between the parentheses is empty".into())
                .with_field(&shown)
                .at(open, 2, "no path")
                .with_help(form_help()),
        );
    }
    let Some(field) = file_fields().get(fact) else {
        let candidates: Vec<String> = file_fields().keys().map(|f| format!("files.{f}({file})")).collect();
        return Err(HostError::set(assignment, format!("unknown file fact `{shown}`"))
            .with_field(&shown)
            .at(0, open, "this fact")
            .with_help(join_help([did_you_mean(nearest(&shown, &candidates)), form_help()])));
    };
    let parsed = parse_value(&field.ty, field.optional, &shown, value).map_err(|(message, help)| {
        HostError::set(assignment, format!("{shown}: {message}"))
            .with_field(&shown)
            .at(close + 2, value.len(), "this value")
            .with_help(help)
    })?;

    let mut json = serde_json::to_value(&*profile).expect("a host profile serializes");
    let files = json["files"].as_object_mut().expect("`files` serializes as an object");
    // An entry for the same file (ignoring ASCII case) keeps its spelling.
    let key = files
        .keys()
        .find(|k| k.eq_ignore_ascii_case(file))
        .cloned()
        .unwrap_or_else(|| file.to_owned());
    let entry = files.entry(key.clone()).or_insert_with(|| Value::Object(Map::new()));
    let facts = entry.as_object_mut().expect("file facts serialize as an object");
    match parsed {
        Some(v) => {
            facts.insert(fact.to_owned(), v);
        }
        None => {
            facts.remove(fact);
        }
    }
    if facts.is_empty() {
        files.remove(&key);
    }
    *profile = serde_json::from_value(json)
        .map_err(|e| HostError::set(assignment, format!("invalid host profile: {e}")).with_field(&shown))?;
    Ok(())
}

/// Parses an override's VALUE by the field's type: `None` clears an optional
/// field. Errors are (message, help).
fn parse_value(ty: &Ty, optional: bool, path: &str, text: &str) -> Result<Option<Value>, (String, Option<String>)> {
    if text.is_empty() && optional {
        return Ok(None);
    }
    let clears = if optional {
        "; an empty value clears it (not configured)"
    } else {
        ""
    };
    let help = || Some(format!("`{path}` takes {}{clears}", ty.text_form()));
    let key = path.split('(').next().unwrap_or(path);
    match ty {
        Ty::List { item, len } => {
            let items: Vec<&str> = if text.is_empty() {
                Vec::new()
            } else if *len == Some(3) && matches!(**item, Ty::Int { .. }) && !text.contains(',') {
                text.split('.').collect()
            } else {
                text.split(',').map(str::trim).collect()
            };
            if let Some(n) = len
                && items.len() != *n
            {
                return Err((format!("expected {}, found `{text}`", ty.text_form()), help()));
            }
            let mut values = Vec::with_capacity(items.len());
            for item_text in items {
                if item_text.is_empty() {
                    return Err((format!("empty item in the list `{text}`"), help()));
                }
                let v = parse_scalar(item, item_text)
                    .map_err(|m| (m, help()))?
                    .expect("a list item is never cleared");
                if let Some(s) = v.as_str() {
                    check_text(key, s).map_err(|m| (m, help()))?;
                }
                values.push(v);
            }
            Ok(Some(Value::Array(values)))
        }
        _ => {
            let v = parse_scalar(ty, text).map_err(|m| (m, help()))?;
            if let Some(s) = v.as_ref().and_then(Value::as_str) {
                check_text(key, s).map_err(|m| (m, help()))?;
            }
            Ok(v)
        }
    }
}

fn parse_scalar(ty: &Ty, text: &str) -> Result<Option<Value>, String> {
    match ty {
        Ty::Bool => match text {
            "true" => Ok(Some(Value::Bool(true))),
            "false" => Ok(Some(Value::Bool(false))),
            _ => Err(format!("expected `true` or `false`, found `{text}`")),
        },
        Ty::Int { min, max, what } => {
            let digits = text.strip_prefix('-').unwrap_or(text);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("expected {what} in decimal, found `{text}`"));
            }
            let value: i128 = match text.parse() {
                Ok(v) => v,
                Err(_) => return Err(format!("{text} is out of range for {what} ({min}..={max})")),
            };
            int_in_range(value, *min, *max, what)?;
            Ok(Some(match u64::try_from(value) {
                Ok(u) => Value::from(u),
                Err(_) => Value::from(value as i64),
            }))
        }
        Ty::Str { choices } => {
            if let Some(choices) = choices
                && !choices.iter().any(|c| c == text)
            {
                let suggestion = nearest(text, choices)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                return Err(format!(
                    "expected one of {}, found `{text}`{suggestion}",
                    quoted_list(choices)
                ));
            }
            Ok(Some(Value::String(text.to_owned())))
        }
        Ty::List { .. } | Ty::Object(_) | Ty::Map(_) => unreachable!("handled by parse_value and set"),
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;

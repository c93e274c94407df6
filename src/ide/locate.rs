//! What is at an offset of a document, and the short value texts that hovers,
//! completion and inlay hints share.

use crate::bind::{self, Swiotlb, Value};
use crate::host::HostProfile;
use crate::passes::{self, Effective};
use crate::registry::{Dialect, KeyId, ValueType};
use crate::syntax::{self, Entry, Event, Line, Parse, SectionHeader, Span, Token};

/// `offset` moved into the text and back onto a character boundary.
pub fn clamp(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

pub fn contains(span: Span, offset: usize) -> bool {
    (span.start as usize) <= offset && offset < span.end as usize
}

/// Like [`contains`], the end included.
pub fn touches(span: Span, offset: usize) -> bool {
    (span.start as usize) <= offset && offset <= span.end as usize
}

/// The scanner line holding `offset`; at the very end of the text, the last line.
pub fn line_at(parse: &Parse, offset: usize) -> Option<&Line> {
    let lines = parse.tree.lines();
    let i = lines.partition_point(|l| (l.span.end as usize) <= offset);
    lines
        .get(i)
        .or_else(|| lines.last().filter(|l| l.span.end as usize == offset))
}

/// The token holding `offset`, then the one ending there (a cursor just
/// after a word).
pub fn tokens_at<'p>(parse: &'p Parse, line: &Line, offset: usize) -> impl Iterator<Item = &'p Token> {
    let tokens = parse.tree.tokens(line);
    let holding = tokens.iter().find(|t| contains(t.span, offset));
    let ending = tokens.iter().find(|t| t.span.end as usize == offset);
    holding.into_iter().chain(ending)
}

/// The key/value entry the scanner made of a line.
pub fn entry_of<'p>(parse: &'p Parse, line: &Line) -> Option<&'p Entry> {
    parse.events.iter().find_map(|e| match e {
        Event::Entry(en) if contains(line.span, en.key_span.start as usize) => Some(en),
        _ => None,
    })
}

/// The last valid section header before `offset`.
pub fn section_before(parse: &Parse, offset: usize) -> Option<&SectionHeader> {
    parse.events.iter().rev().find_map(|e| match e {
        Event::Section(h) if (h.span.start as usize) < offset => Some(h),
        _ => None,
    })
}

/// `text` as one markdown code span.
pub fn code(text: &str) -> String {
    let mut ticks = 1;
    while text.contains(&"`".repeat(ticks)) {
        ticks += 1;
    }
    let fence = "`".repeat(ticks);
    if text.starts_with('`') || text.ends_with('`') || text.starts_with(' ') || text.ends_with(' ') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

const UNITS: [(&str, u64); 4] = [("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];

/// A byte count in its largest exact binary unit: `8 GiB` (or `1500 bytes`).
pub fn size_short(n: u64) -> String {
    for (unit, factor) in UNITS {
        if n >= factor && n.is_multiple_of(factor) {
            return format!("{} {unit}", n / factor);
        }
    }
    format!("{n} {}", if n == 1 { "byte" } else { "bytes" })
}

/// A byte count with its exact number of bytes: `8 GiB = 8589934592 bytes`,
/// `1500000000 bytes ≈ 1.40 GiB`.
pub fn size_long(n: u64) -> String {
    for (unit, factor) in UNITS {
        if n >= factor && n.is_multiple_of(factor) {
            return format!("{} {unit} = {n} bytes", n / factor);
        }
    }
    match UNITS.iter().find(|(_, f)| n >= *f) {
        Some((unit, factor)) => format!("{n} bytes ≈ {:.2} {unit}", n as f64 / *factor as f64),
        None => size_short(n),
    }
}

/// A short text of a value, for labels and details.
pub fn value_short(v: Option<&Value>, dialect: Dialect) -> String {
    let Some(v) = v else { return "unset".to_owned() };
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Size(s) => size_short(*s),
        Value::Text(t) if t.is_empty() => "empty".to_owned(),
        Value::Text(t) => {
            let mut chars = t.chars();
            let head: String = chars.by_ref().take(48).collect();
            if chars.next().is_some() {
                format!("{head}…")
            } else {
                head
            }
        }
        Value::Enum(table, name) => table.display(name.number, dialect).to_owned(),
        Value::Mac(m) => bind::value::format_mac(m),
        Value::Ipv4(ip) => ip.to_string(),
        Value::Ports(p) if p.is_empty() => "no ports".to_owned(),
        Value::Ports(p) => p.iter().map(u16::to_string).collect::<Vec<_>>().join(", "),
        Value::Swiotlb(Swiotlb::Unset) => "unset".to_owned(),
        Value::Swiotlb(Swiotlb::Range { raw, .. }) => raw.clone(),
        Value::Swiotlb(Swiotlb::Size(s)) => size_short(*s),
    }
}

/// What a swiotlb value is: its base and size, or its size.
pub fn swiotlb_text(s: &Swiotlb) -> String {
    match s {
        Swiotlb::Unset => "unset: the default rule applies (P13)".to_owned(),
        Swiotlb::Range { gpa, size_bytes, .. } => {
            let base = match gpa {
                Some(g) => format!("base {g:#x} ({})", size_long(*g).replace(" = ", ", ")),
                None => "a base that does not fit in 64 bits".to_owned(),
            };
            let size = match size_bytes {
                Some(z) => format!("size {}", size_long(*z)),
                None => "a size that does not fit in 64 bits".to_owned(),
            };
            format!("range form: {base}, {size}")
        }
        Swiotlb::Size(z) => format!("size form: {}", size_long(*z)),
    }
}

/// The configuration an empty file gives on this host.
pub fn empty_effective(host: &HostProfile, dialect: Dialect) -> Effective {
    let bound = bind::bind(&syntax::parse_str(""), dialect);
    passes::run(&bound.config, host).effective
}

/// The default of a key on this host: what an empty file gives, and the
/// registry's rule when the value depends on the host or on a pass.
pub fn default_parts(key: KeyId, empty: &Effective) -> (String, Option<String>) {
    let spec = key.spec();
    let value = match (spec.ty, empty.get(key)) {
        (ValueType::Swiotlb, Some(Value::Swiotlb(Swiotlb::Unset))) | (_, None) => "unset".to_owned(),
        (_, v) => value_short(v, empty.dialect),
    };
    let rule = (!spec.default.is_constant()).then(|| spec.default.describe().into_owned());
    (value, rule)
}

/// [`default_parts`] as one line: `16 (0: every logical processor of the
/// host)`, or only the rule when it begins with the value (`empty: …`).
pub fn default_text(key: KeyId, empty: &Effective) -> String {
    match default_parts(key, empty) {
        (value, None) => value,
        (value, Some(rule)) if rule.strip_prefix(&value).is_some_and(|r| r.starts_with([':', ';'])) => rule,
        (value, Some(rule)) => format!("{value} ({rule})"),
    }
}

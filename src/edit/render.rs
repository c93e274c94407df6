//! VALUE as a person types it → the text after `=` (writer.md §5):
//! validation with the key's own typed parser plus the writer's stricter
//! rules (§5.1), the canonical spelling (§5.2), and escaping and quoting
//! (§5.3).

use crate::bind::{self, Swiotlb, Value, value};
use crate::diag::{DiagId, Diagnostic};
use crate::registry::{Dialect, KeyId, ValueType};
use crate::syntax::{Encoding, Entry, Event, Parse, Source, Span, SyntaxTree, ValueFlags};

/// A validated value, ready to be written.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendered {
    /// The typed value the file will hold.
    pub value: Value,
    /// The canonical text (§5.2), before escaping.
    pub canonical: String,
    /// The text that goes after `=` (§5.3).
    pub text: String,
}

/// Validates `typed` for `key` and renders it. The diagnostics carry the key
/// and the value as typed and no line (they belong to the command line).
pub fn prepare(key: KeyId, typed_key: &str, typed: &str, dialect: Dialect) -> Result<Rendered, Vec<Diagnostic>> {
    let spec = key.spec();
    let refuse = |id: DiagId, message: String, help: &str| {
        vec![
            Diagnostic::new(id, message)
                .key(typed_key)
                .value(typed)
                .help(help.to_owned()),
        ]
    };
    // The reader's typed parser first, with the reader's own diagnostics.
    let mut reader = reader_diagnostics(typed_key, typed, dialect);
    if !reader.is_empty() {
        for d in &mut reader {
            d.line = None;
            d.span = None;
            d.detail_mut().label = None;
        }
        return Err(reader);
    }
    if typed.is_empty() && !matches!(spec.ty, ValueType::String | ValueType::Path) {
        return Err(refuse(
            id_of(spec.ty, dialect),
            format!("an empty value is not a valid {} for `{typed_key}`", spec.ty.name()),
            "write a value; `wslcfg unset` removes the key",
        ));
    }
    let value = parse(spec.ty, typed).expect("the reader accepted the value");
    // Then what the writer refuses on top (§5.1).
    match &value {
        Value::Int(_) if !int_fits(typed) => {
            return Err(refuse(
                DiagId::VAL002,
                format!(
                    "integer `{typed}` for `{typed_key}` is outside -2147483648…2147483647; WSL would silently read {}",
                    value::parse_int(typed).unwrap_or_default()
                ),
                "write a number within the 32-bit range",
            ));
        }
        Value::Size(_) | Value::Swiotlb(Swiotlb::Size(_) | Swiotlb::Unset) => {
            if let Some(why) = size_problem(typed) {
                return Err(refuse(
                    id_of(spec.ty, dialect),
                    format!("{} `{typed}` for `{typed_key}` {why}", spec.ty.name()),
                    "write a size such as `8GB`, `512MB` or `0`",
                ));
            }
        }
        Value::Ports(_) => {
            let bad = bad_port_pieces(typed);
            if !bad.is_empty() {
                return Err(bad
                    .into_iter()
                    .map(|piece| {
                        Diagnostic::new(
                            DiagId::VAL007,
                            format!("`{piece}` in `{typed}` for `{typed_key}` is not a port number from 1 to 65535"),
                        )
                        .key(typed_key)
                        .value(typed)
                        .fact("piece", piece)
                        .help("each comma-separated piece must be a decimal number from 1 to 65535 (WSL would read `80abc` as 80; wslcfg writes only what WSL reads as written)")
                    })
                    .collect());
            }
        }
        _ => {}
    }
    let canonical = canonical(&value, typed, dialect);
    if let Some(d) = unwritable(typed_key, typed, &canonical) {
        return Err(vec![d]);
    }
    let text = escape(&canonical);
    Ok(Rendered { value, canonical, text })
}

/// The reader's diagnostics for `key=value` in a file (VAL0xx), obtained by
/// binding one synthetic entry.
fn reader_diagnostics(typed_key: &str, typed: &str, dialect: Dialect) -> Vec<Diagnostic> {
    let entry = Entry {
        key: typed_key.into(),
        key_span: Span::default(),
        value: typed.into(),
        value_span: Span::default(),
        line: 1,
        in_section: true,
        flags: ValueFlags::default(),
    };
    let parse = Parse {
        source: Source::decode(Vec::new()),
        tree: SyntaxTree::default(),
        events: vec![Event::Entry(entry)],
    };
    debug_assert_eq!(parse.source.encoding, Encoding::Utf8);
    bind::bind(&parse, dialect).diagnostics
}

/// The reader's typed value of an accepted text.
fn parse(ty: ValueType, s: &str) -> Option<Value> {
    Some(match ty {
        ValueType::Bool => Value::Bool(value::parse_bool(s)?),
        ValueType::Int => Value::Int(value::parse_int(s)?),
        ValueType::MemorySize => Value::Size(value::parse_memory_size(s)?),
        ValueType::String | ValueType::Path => Value::Text(s.to_owned()),
        ValueType::Enum(table) => Value::Enum(table, table.lookup(s)?),
        ValueType::MacAddress => Value::Mac(value::parse_mac(s)?),
        ValueType::Ipv4 => Value::Ipv4(value::parse_ipv4(s)?),
        ValueType::PortList => Value::Ports(value::parse_ports(s).0),
        ValueType::Swiotlb => Value::Swiotlb(value::parse_swiotlb(s)?),
    })
}

fn id_of(ty: ValueType, dialect: Dialect) -> DiagId {
    match ty {
        ValueType::Bool => DiagId::VAL001,
        ValueType::Int | ValueType::String | ValueType::Path => DiagId::VAL002,
        ValueType::MemorySize => DiagId::VAL003,
        ValueType::Enum(_) => DiagId::VAL004,
        ValueType::MacAddress => DiagId::VAL005,
        ValueType::Ipv4 => DiagId::VAL006,
        ValueType::PortList => DiagId::VAL007,
        ValueType::Swiotlb if dialect == Dialect::Seed => DiagId::VAL008,
        ValueType::Swiotlb => DiagId::VAL003,
    }
}

fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// An integer the reader accepts is within the 32-bit range without saturating.
fn int_fits(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && is_c_space(b[i]) {
        i += 1;
    }
    let negative = b.get(i) == Some(&b'-');
    if matches!(b.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let digits = &s[i..];
    let (radix, digits) = if let Some(hex) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        (16, hex)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    let digits = digits.trim_start_matches('0');
    if digits.len() > 12 {
        return false;
    }
    let Ok(magnitude) = i64::from_str_radix(if digits.is_empty() { "0" } else { digits }, radix) else {
        return false;
    };
    let n = if negative { -magnitude } else { magnitude };
    (i32::MIN as i64..=i32::MAX as i64).contains(&n)
}

/// Why a memory size the reader accepts would not read back as typed: a
/// minus sign (it wraps) or a result beyond 64 bits (it wraps or saturates).
fn size_problem(s: &str) -> Option<&'static str> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && is_c_space(b[i]) {
        i += 1;
    }
    match b.get(i) {
        Some(b'-') => return Some("is negative; WSL would read it wrapped around (`-1` is 18446744073709551615)"),
        Some(b'+') => i += 1,
        _ => {}
    }
    let start = i;
    let mut number: Option<u64> = Some(0);
    while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
        number = number
            .and_then(|n| n.checked_mul(10))
            .and_then(|n| n.checked_add(u64::from(c - b'0')));
        i += 1;
    }
    if i == start {
        // Not a memory size at all (a seed swiotlb range): nothing to check.
        return None;
    }
    let factor: u64 = match &s[i..] {
        "K" | "KB" => 1 << 10,
        "M" | "MB" => 1 << 20,
        "G" | "GB" => 1 << 30,
        "T" | "TB" => 1 << 40,
        _ => 1,
    };
    match number.and_then(|n| n.checked_mul(factor)) {
        Some(_) => None,
        None => Some("is larger than 18446744073709551615 bytes; WSL would read another number"),
    }
}

/// The pieces of a port list that are not a plain decimal number 1…65535
/// once their surrounding spaces are removed (§5.1).
fn bad_port_pieces(s: &str) -> Vec<&str> {
    s.split(',')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let t = p.trim_matches(|c| c == ' ' || c == '\t');
            t.is_empty()
                || !t.bytes().all(|c| c.is_ascii_digit())
                || t.len() > 5
                || !(1..=65535).contains(&t.parse::<u32>().unwrap_or(0))
        })
        .collect()
}

/// The canonical text of a value (§5.2).
fn canonical(v: &Value, typed: &str, dialect: Dialect) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Size(s) => s.to_string(),
        Value::Enum(table, name) => table.display(name.number, dialect).to_owned(),
        Value::Mac(m) => value::format_mac(m),
        Value::Swiotlb(Swiotlb::Size(s)) => s.to_string(),
        Value::Swiotlb(Swiotlb::Unset) => "0".to_owned(),
        Value::Text(_) | Value::Ipv4(_) | Value::Ports(_) | Value::Swiotlb(Swiotlb::Range { .. }) => typed.to_owned(),
    }
}

/// WRT001 when the text holds a character outside printable ASCII (§5.3 rule 1).
fn unwritable(typed_key: &str, typed: &str, text: &str) -> Option<Diagnostic> {
    let (position, c) = text.chars().enumerate().find(|(_, c)| !(' '..='~').contains(c))?;
    let code = format!("U+{:04X}", c as u32);
    let why = if c.is_ascii_control() {
        "a control character: WSL ends a value at a line break and cuts it at NUL, and an escape (`\\t`, `\\n`, `\\b`) would carry it into a path or the kernel command line"
    } else {
        "not ASCII: WSL keeps only the low 8 bits of each character, so the value would not arrive as typed"
    };
    Some(
        Diagnostic::new(
            DiagId::WRT001,
            format!(
                "`{typed_key}` cannot be written: character {code} at position {} of the value is {why}",
                position + 1
            ),
        )
        .key(typed_key)
        .value(typed)
        .fact("character", code)
        .fact("position", position + 1)
        .help("only printable ASCII characters (space to `~`) can be written; for a path, choose one without such characters"),
    )
}

/// Escaping and quoting (§5.3 rules 2 and 3).
pub fn escape(canonical: &str) -> String {
    let mut out = String::with_capacity(canonical.len() + 2);
    for c in canonical.chars() {
        if c == '\\' || c == '"' {
            out.push('\\');
        }
        out.push(c);
    }
    if canonical.contains('#') || canonical.starts_with(' ') || canonical.ends_with(' ') {
        out.insert(0, '"');
        out.push('"');
    }
    out
}

/// Undoes [`escape`] (§5.4): drops one pair of enclosing quotes, then reads
/// `\\` as `\` and `\"` as `"`; any other backslash stays.
pub fn unescape(text: &str) -> String {
    let inner = if text.len() >= 2 && text.starts_with('"') && text.ends_with('"') {
        &text[1..text.len() - 1]
    } else {
        text
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&next @ ('\\' | '"')) = chars.peek()
        {
            out.push(next);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

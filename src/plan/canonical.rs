//! RFC 8785 (JSON Canonicalization Scheme) for the values a plan holds, and
//! the plan digest over it.

use serde_json::Value;
use sha2::{Digest, Sha256};
use std::fmt::Write;

/// The canonical form: no whitespace, object members sorted by the UTF-16
/// code units of their names, strings escaped as ECMAScript's
/// `JSON.stringify` does. Plans hold only integers, so numbers are written
/// as integers; a non-integer number is written in serde_json's shortest form.
pub fn canonical(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

/// How object members are ordered.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum KeyOrder {
    /// RFC 8785: by UTF-16 code units.
    Utf16,
    /// By UTF-8 bytes, as a `std::map<std::string>` (nlohmann::json) orders them.
    Bytes,
}

/// Compact JSON with members sorted in the given order and strings escaped
/// as RFC 8785 and nlohmann::json both do.
pub fn compact_sorted(value: &Value, order: KeyOrder) -> String {
    let mut out = String::new();
    write(&mut out, value, order);
    out
}

/// Writes the canonical form of a value (see [`canonical`]).
pub(crate) fn write_value(out: &mut String, value: &Value) {
    write(out, value, KeyOrder::Utf16)
}

fn write(out: &mut String, value: &Value, order: KeyOrder) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(out, item, order);
            }
            out.push(']');
        }
        Value::Object(map) => write_members(out, map, order),
    }
}

/// Writes an object's members sorted by the UTF-16 code units of their names.
pub(crate) fn write_map(out: &mut String, map: &serde_json::Map<String, Value>) {
    write_members(out, map, KeyOrder::Utf16)
}

fn write_members(out: &mut String, map: &serde_json::Map<String, Value>, order: KeyOrder) {
    let mut members: Vec<(&String, &Value)> = map.iter().collect();
    // For ASCII names the two orders agree, and bytes compare fastest.
    if order == KeyOrder::Bytes || members.iter().all(|(name, _)| name.is_ascii()) {
        members.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    } else {
        members.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    }
    out.push('{');
    for (i, (name, item)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(out, name);
        out.push(':');
        write(out, item, order);
    }
    out.push('}');
}

pub(crate) fn write_string(out: &mut String, s: &str) {
    if !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.reserve(s.len() + 2);
        out.push('"');
        out.push_str(s);
        out.push('"');
        return;
    }
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `sha256:<hex>` of the canonical form.
pub fn digest(value: &Value) -> String {
    digest_text(&canonical(value))
}

/// `sha256:<hex>` of a canonical text.
pub fn digest_text(canonical: &str) -> String {
    let hash = Sha256::digest(canonical.as_bytes());
    let mut hex = String::with_capacity(71);
    hex.push_str("sha256:");
    for b in hash {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rfc8785_examples() {
        let v = json!({"b": [1, true, null], "a": {"z": "\u{1}\n\"é", "y": -5}, "\u{20ac}": 1, "\u{1f600}": 2});
        // U+1F600 (surrogates D83D ..) sorts before U+20AC in UTF-16 order? No: 0xD83D > 0x20AC.
        assert_eq!(
            canonical(&v),
            "{\"a\":{\"y\":-5,\"z\":\"\\u0001\\n\\\"é\"},\"b\":[1,true,null],\"€\":1,\"😀\":2}"
        );
        let order = json!({"\u{ff61}": 1, "\u{1f600}": 2});
        // UTF-16: D83D < FF61, unlike code points.
        assert_eq!(canonical(&order), "{\"😀\":2,\"｡\":1}");
    }

    #[test]
    fn digest_is_stable() {
        assert_eq!(
            digest(&json!({})),
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
    }
}

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
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                write_u64(out, u);
            } else if let Some(i) = n.as_i64() {
                out.push('-');
                write_u64(out, i.unsigned_abs());
            } else {
                out.push_str(&n.to_string());
            }
        }
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

/// Writes an unsigned integer in decimal without allocating.
pub(crate) fn write_u64(out: &mut String, n: u64) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// Writes an object's members sorted by the UTF-16 code units of their names.
pub(crate) fn write_map(out: &mut String, map: &serde_json::Map<String, Value>) {
    write_members(out, map, KeyOrder::Utf16)
}

fn write_members(out: &mut String, map: &serde_json::Map<String, Value>, order: KeyOrder) {
    out.push('{');
    // serde_json's map iterates sorted by bytes, unless its `preserve_order`
    // feature (switched on by some dev-dependencies) keeps insertion order.
    // Write in iteration order while the names ascend by bytes (and, for
    // UTF-16 order, are ASCII, where the two orders agree); otherwise start
    // over with the members sorted.
    let start = out.len();
    let mut prev: Option<&str> = None;
    let mut sorted = true;
    for (i, (name, item)) in map.iter().enumerate() {
        if (order == KeyOrder::Utf16 && !name.is_ascii()) || prev.is_some_and(|p| p.as_bytes() >= name.as_bytes()) {
            sorted = false;
            break;
        }
        prev = Some(name);
        if i > 0 {
            out.push(',');
        }
        write_string(out, name);
        out.push(':');
        write(out, item, order);
    }
    if !sorted {
        out.truncate(start);
        let mut members: Vec<(&String, &Value)> = map.iter().collect();
        if order == KeyOrder::Bytes || members.iter().all(|(name, _)| name.is_ascii()) {
            members.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        } else {
            members.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
        }
        for (i, (name, item)) in members.into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_string(out, name);
            out.push(':');
            write(out, item, order);
        }
    }
    out.push('}');
}

/// Which bytes a JSON string escapes: 0 = none, `u` = `\u00XX`, else the
/// character after the backslash.
const ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[0x08] = b'b';
    t[0x0c] = b'f';
    t[b'\n' as usize] = b'n';
    t[b'\r' as usize] = b'r';
    t[b'\t' as usize] = b't';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// Whether any of the eight bytes of `x` needs an escape: below 0x20, `"` or `\\`.
fn any_escape(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_in = |y: u64| y.wrapping_sub(ONES) & !y & HIGH != 0;
    x.wrapping_sub(ONES * 0x20) & !x & HIGH != 0 || zero_in(x ^ (ONES * 0x22)) || zero_in(x ^ (ONES * 0x5c))
}

pub(crate) fn write_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time while none needs an escape.
        if let Some(chunk) = bytes.get(i..i + 8)
            && !any_escape(u64::from_le_bytes(chunk.try_into().expect("eight bytes")))
        {
            i += 8;
            continue;
        }
        let b = bytes[i];
        let e = ESCAPE[b as usize];
        if e != 0 {
            // `b` is ASCII, so `i` is a character boundary.
            out.push_str(&s[start..i]);
            if e == b'u' {
                let seq = [b'\\', b'u', b'0', b'0', HEX[(b >> 4) as usize], HEX[(b & 0xf) as usize]];
                out.push_str(std::str::from_utf8(&seq).expect("ASCII escape"));
            } else {
                let seq = [b'\\', e];
                out.push_str(std::str::from_utf8(&seq).expect("ASCII escape"));
            }
            start = i + 1;
        }
        i += 1;
    }
    out.push_str(&s[start..]);
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
    fn strings_and_integers_as_serde_json_writes_them() {
        // For strings and integers RFC 8785 and serde_json's compact form agree.
        let mut all: String = (0u32..0x80).filter_map(char::from_u32).collect();
        all.push_str("\u{e9}\u{2028}\u{ffff}\u{1f600}\\\"");
        let long = "0123456789abcdef\u{1f}0123456789\"abcdef\\0123456789\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{7f}\u{80}x\n";
        for s in [
            all.as_str(),
            "",
            "plain",
            "C:\\Program Files\\WSL",
            "\u{1}x\u{1f}",
            "a\"b",
            long,
        ] {
            let mut out = String::new();
            write_string(&mut out, s);
            assert_eq!(out, serde_json::to_string(s).unwrap());
        }
        // Every ASCII byte at every position of the eight-byte chunks and the tail.
        for b in 0u8..0x80 {
            for at in 0..19 {
                let mut s = "abcdefghijklmnopqrs".to_owned().into_bytes();
                s[at] = b;
                let s = String::from_utf8(s).unwrap();
                let mut out = String::new();
                write_string(&mut out, &s);
                assert_eq!(out, serde_json::to_string(&s).unwrap());
            }
        }
        for n in [
            json!(0),
            json!(7),
            json!(u64::MAX),
            json!(-1),
            json!(i64::MIN),
            json!(1.5),
        ] {
            assert_eq!(canonical(&n), serde_json::to_string(&n).unwrap());
        }
    }

    #[test]
    fn members_in_insertion_order_are_sorted() {
        // Whatever order the map iterates in (serde_json's `preserve_order`).
        let mut m = serde_json::Map::new();
        for k in ["b", "a", "\u{ff61}", "\u{1f600}", "B"] {
            m.insert(k.into(), json!(1));
        }
        let v = Value::Object(m);
        assert_eq!(canonical(&v), "{\"B\":1,\"a\":1,\"b\":1,\"😀\":1,\"｡\":1}");
        assert_eq!(
            compact_sorted(&v, KeyOrder::Bytes),
            "{\"B\":1,\"a\":1,\"b\":1,\"｡\":1,\"😀\":1}"
        );
    }

    #[test]
    fn digest_is_stable() {
        assert_eq!(
            digest(&json!({})),
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
    }
}

//! The typed value parsers, exactly as WSL's (keys.md §2).

use serde_json::json;
use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use crate::registry::{Dialect, EnumName, EnumTable};

/// A parsed value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Bool(bool),
    Int(i32),
    /// A memory size in bytes.
    Size(u64),
    Text(String),
    /// An enum value: its table and the name it matched.
    Enum(&'static EnumTable, &'static EnumName),
    Mac([u8; 6]),
    Ipv4(Ipv4Addr),
    Ports(BTreeSet<u16>),
    Swiotlb(Swiotlb),
}

/// `experimental.swiotlb` in the union model of keys.md §3.7.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Swiotlb {
    Unset,
    /// Seed form, kept verbatim. `gpa` and `size_bytes` are `None` when they
    /// do not fit in 64 bits.
    Range {
        raw: String,
        gpa: Option<u64>,
        size_bytes: Option<u64>,
    },
    /// Upstream form, never 0.
    Size(u64),
}

impl Value {
    /// The machine-readable form of passes.md §6.2.
    pub fn to_json(&self, dialect: Dialect) -> serde_json::Value {
        match self {
            Value::Bool(b) => json!(b),
            Value::Int(i) => json!(i),
            Value::Size(s) => json!(s),
            Value::Text(t) => json!(t),
            Value::Enum(table, e) => json!(table.display(e.number, dialect)),
            Value::Mac(m) => json!(format_mac(m)),
            Value::Ipv4(ip) => json!(ip.to_string()),
            Value::Ports(p) => json!(p),
            Value::Swiotlb(Swiotlb::Unset) => match dialect {
                Dialect::Seed => json!(""),
                Dialect::Upstream => json!(0),
            },
            Value::Swiotlb(Swiotlb::Range { raw, .. }) => json!(raw),
            Value::Swiotlb(Swiotlb::Size(s)) => json!(s),
        }
    }
}

/// `AA:BB:CC:DD:EE:FF` (keys.md §2.7).
pub fn format_mac(m: &[u8; 6]) -> String {
    m.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

/// keys.md §2.1.
pub fn parse_bool(s: &str) -> Option<bool> {
    if s == "1" || s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s == "0" || s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// The C `isspace` set.
fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// What every C number conversion skips first: `isspace` characters, then
/// one optional sign. Returns the index after them and whether the sign was `-`.
fn c_number_start(b: &[u8]) -> (usize, bool) {
    let mut i = 0;
    while i < b.len() && is_c_space(b[i]) {
        i += 1;
    }
    match b.get(i) {
        Some(b'-') => (i + 1, true),
        Some(b'+') => (i + 1, false),
        _ => (i, false),
    }
}

/// keys.md §2.2: `strtol(s, &end, 0)` with a 32-bit `long`; the whole string
/// must be consumed. Out-of-range values saturate.
pub fn parse_int(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    let (mut i, negative) = c_number_start(b);
    let radix = if b.get(i) == Some(&b'0')
        && matches!(b.get(i + 1), Some(b'x' | b'X'))
        && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
    {
        i += 2;
        16
    } else if b.get(i) == Some(&b'0') {
        8
    } else {
        10
    };
    let digits_start = i;
    let mut magnitude: u64 = 0;
    while let Some(d) = b.get(i).and_then(|&c| (c as char).to_digit(radix)) {
        magnitude = magnitude.saturating_mul(radix as u64).saturating_add(d as u64);
        i += 1;
    }
    if i == digits_start || i != b.len() {
        return None;
    }
    Some(if negative {
        if magnitude > 1 << 31 {
            i32::MIN
        } else {
            (-(magnitude as i64)) as i32
        }
    } else if magnitude > i32::MAX as u64 {
        i32::MAX
    } else {
        magnitude as i32
    })
}

/// keys.md §2.3.
pub fn parse_memory_size(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let (mut i, negative) = c_number_start(b);
    let digits_start = i;
    let mut number: u64 = 0;
    let mut overflow = false;
    while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
        match number.checked_mul(10).and_then(|n| n.checked_add((c - b'0') as u64)) {
            Some(n) => number = n,
            None => overflow = true,
        }
        i += 1;
    }
    // strtoull consumed nothing unless it read a digit.
    let consumed = if i == digits_start { 0 } else { i };
    let number = if overflow {
        u64::MAX
    } else if negative {
        number.wrapping_neg()
    } else {
        number
    };
    if number == 0 && !(consumed == 1 && b.first() == Some(&b'0')) {
        return None;
    }
    let factor: u64 = match &s[consumed..] {
        "" | "B" => 1,
        "K" | "KB" => 1 << 10,
        "M" | "MB" => 1 << 20,
        "G" | "GB" => 1 << 30,
        "T" | "TB" => 1 << 40,
        _ => return None,
    };
    Some(number.wrapping_mul(factor))
}

/// keys.md §2.7.
pub fn parse_mac(s: &str) -> Option<[u8; 6]> {
    let b = s.as_bytes();
    if b.len() != 17 {
        return None;
    }
    let sep = b[2];
    if sep != b':' && sep != b'-' {
        return None;
    }
    let mut out = [0u8; 6];
    for (n, byte) in out.iter_mut().enumerate() {
        let at = n * 3;
        if n < 5 && b[at + 2] != sep {
            return None;
        }
        let pair = std::str::from_utf8(&b[at..at + 2]).ok()?;
        if !pair.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        *byte = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(out)
}

/// keys.md §2.8: `inet_pton(AF_INET)`; leading zeros rejected (outputs.md E5).
pub fn parse_ipv4(s: &str) -> Option<Ipv4Addr> {
    // Rust's parser has exactly the POSIX inet_pton rules: four decimal
    // parts 0-255, no leading zeros, nothing else.
    s.parse().ok()
}

/// keys.md §2.9: the ports and the bad pieces, in order.
pub fn parse_ports(s: &str) -> (BTreeSet<u16>, Vec<&str>) {
    let mut ports = BTreeSet::new();
    let mut bad = Vec::new();
    for piece in s.split(',').filter(|p| !p.is_empty()) {
        match stoi(piece).filter(|n| (1..=65535).contains(n)) {
            Some(n) => {
                ports.insert(n as u16);
            }
            None => bad.push(piece),
        }
    }
    (ports, bad)
}

/// C++ `std::stoi`: leading space, sign, decimal digits, the rest ignored.
fn stoi(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let (mut i, negative) = c_number_start(b);
    let start = i;
    let mut n: i64 = 0;
    while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
        n = n.saturating_mul(10).saturating_add((c - b'0') as i64);
        i += 1;
    }
    if i == start {
        return None;
    }
    let n = if negative { -n } else { n };
    (i32::MIN as i64..=i32::MAX as i64).contains(&n).then_some(n)
}

/// keys.md §3.7: seed range, else memory size (0 → unset), else `None`.
pub fn parse_swiotlb(s: &str) -> Option<Swiotlb> {
    if let Some(range) = parse_swiotlb_range(s) {
        return Some(range);
    }
    match parse_memory_size(s)? {
        0 => Some(Swiotlb::Unset),
        bytes => Some(Swiotlb::Size(bytes)),
    }
}

/// The seed pattern `0x<hex>+,<dec>+(K|M)`, case-insensitive.
fn parse_swiotlb_range(s: &str) -> Option<Swiotlb> {
    let rest = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X"))?;
    let (hex, size) = rest.split_once(',')?;
    let unit = size.chars().last()?;
    let digits = &size[..size.len() - unit.len_utf8()];
    let factor: u64 = match unit {
        'k' | 'K' => 1 << 10,
        'm' | 'M' => 1 << 20,
        _ => return None,
    };
    if hex.is_empty()
        || !hex.bytes().all(|c| c.is_ascii_hexdigit())
        || digits.is_empty()
        || !digits.bytes().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    Some(Swiotlb::Range {
        raw: s.to_owned(),
        gpa: u64::from_str_radix(hex, 16).ok(),
        size_bytes: digits.parse::<u64>().ok().and_then(|n| n.checked_mul(factor)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bools() {
        for t in ["1", "true", "TRUE", "True", "tRuE"] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for f in ["0", "false", "FALSE"] {
            assert_eq!(parse_bool(f), Some(false), "{f}");
        }
        for bad in ["yes", "no", "on", "off", "t", "f", "2", "01", " true", ""] {
            assert_eq!(parse_bool(bad), None, "{bad}");
        }
    }

    #[test]
    fn ints_follow_strtol_base_0() {
        for t in ["16", "+16", "0x10", "0X10", "020"] {
            assert_eq!(parse_int(t), Some(16), "{t}");
        }
        assert_eq!(parse_int("-0x10"), Some(-16));
        assert_eq!(parse_int(" 7"), Some(7));
        assert_eq!(parse_int("0"), Some(0));
        assert_eq!(parse_int("-0"), Some(0));
        for bad in ["7 ", "08", "0x", "1e3", "12abc", "", "abc", "+", "-", " ", "0xg"] {
            assert_eq!(parse_int(bad), None, "{bad:?}");
        }
        assert_eq!(parse_int("99999999999"), Some(i32::MAX));
        assert_eq!(parse_int("-99999999999"), Some(i32::MIN));
        assert_eq!(parse_int("-2147483648"), Some(i32::MIN));
        assert_eq!(parse_int("2147483648"), Some(i32::MAX));
    }

    #[test]
    fn memory_sizes() {
        for t in ["4GB", "4G", "4096MB", "4194304K"] {
            assert_eq!(parse_memory_size(t), Some(4_294_967_296), "{t}");
        }
        assert_eq!(parse_memory_size("512"), Some(512));
        assert_eq!(parse_memory_size(" 4GB"), Some(4_294_967_296));
        assert_eq!(parse_memory_size("+5M"), Some(5_242_880));
        assert_eq!(parse_memory_size("0"), Some(0));
        assert_eq!(parse_memory_size("0GB"), Some(0));
        assert_eq!(parse_memory_size("0B"), Some(0));
        assert_eq!(parse_memory_size("-1"), Some(u64::MAX));
        assert_eq!(
            parse_memory_size("18446744073709551615KB"),
            Some(18_446_744_073_709_550_592)
        );
        assert_eq!(parse_memory_size("1T"), Some(1 << 40));
        for bad in [
            "4gb", "4Gb", "4 GB", "4GiB", "4.5GB", "0x10", "00", "0foo", "/", "", "+0", "-0", " 0", "4GBB",
        ] {
            assert_eq!(parse_memory_size(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn mac_addresses() {
        assert_eq!(parse_mac("00:15:5D:01:02:03"), Some([0, 0x15, 0x5d, 1, 2, 3]));
        assert_eq!(parse_mac("00-15-5d-01-02-03"), Some([0, 0x15, 0x5d, 1, 2, 3]));
        for bad in [
            "0015.5D01.0203",
            "00:15-5D:01:02:03",
            "0:15:5D:1:2:3",
            "",
            "00:15:5D:01:02:0g",
            "00:15:5D:01:02:03:",
        ] {
            assert_eq!(parse_mac(bad), None, "{bad}");
        }
        assert_eq!(format_mac(&[0x5e, 0xbb, 0xf6, 0x9e, 0xee, 0xfa]), "5E:BB:F6:9E:EE:FA");
    }

    #[test]
    fn ipv4_addresses() {
        assert_eq!(parse_ipv4("10.255.255.254"), Some(Ipv4Addr::new(10, 255, 255, 254)));
        for bad in [
            "1.2.3",
            "1.2.3.4/24",
            " 1.2.3.4",
            "256.1.1.1",
            "010.1.1.1",
            "0x1.1.1.1",
            "",
        ] {
            assert_eq!(parse_ipv4(bad), None, "{bad}");
        }
    }

    #[test]
    fn port_lists() {
        let ports = |s| {
            let (p, bad) = parse_ports(s);
            (p, bad.len())
        };
        assert_eq!(ports("80,443"), ([80, 443].into(), 0));
        assert_eq!(ports("80,,443,"), ([80, 443].into(), 0));
        assert_eq!(ports("NotANumber"), (BTreeSet::new(), 1));
        assert_eq!(ports("65536"), (BTreeSet::new(), 1));
        assert_eq!(ports("80, 443"), ([80, 443].into(), 0));
        assert_eq!(ports("0,22"), ([22].into(), 1));
        assert_eq!(ports("80abc,1e3,0x50"), ([80, 1].into(), 1));
        assert_eq!(ports(""), (BTreeSet::new(), 0));
        assert_eq!(ports("99999999999,22,22"), ([22].into(), 1));
        assert_eq!(parse_ports("1,x,0").1, ["x", "0"]);
    }

    #[test]
    fn swiotlb_union() {
        for ok in ["0x100000000,64M", "0X1F,64m", "0x1f,64k", "0x40000000,64M"] {
            assert!(
                matches!(parse_swiotlb(ok), Some(Swiotlb::Range { ref raw, .. }) if raw == ok),
                "{ok}"
            );
        }
        assert_eq!(parse_swiotlb("64M"), Some(Swiotlb::Size(64 << 20)));
        assert_eq!(parse_swiotlb("67108864"), Some(Swiotlb::Size(64 << 20)));
        assert_eq!(parse_swiotlb("0"), Some(Swiotlb::Unset));
        for bad in [
            "0x100000000,64g",
            "0x,64M",
            "0x10,M",
            "0x10,64MB",
            "0x10, 64M",
            "garbage",
            "",
        ] {
            assert_eq!(parse_swiotlb(bad), None, "{bad}");
        }
        match parse_swiotlb("0x40000000,64M") {
            Some(Swiotlb::Range { gpa, size_bytes, .. }) => {
                assert_eq!(gpa, Some(1 << 30));
                assert_eq!(size_bytes, Some(64 << 20));
            }
            other => panic!("{other:?}"),
        }
    }
}

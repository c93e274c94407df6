//! Help texts for invalid values: which forms WSL accepts, and the nearest
//! accepted spelling of what was written when one is obvious.

use crate::diag::DiagId;
use crate::registry::{Dialect, KeySpec, ValueType};

pub fn label(id: DiagId) -> &'static str {
    match id {
        DiagId::VAL005 => "WSL refuses to start with this value",
        DiagId::VAL006 => "ignored; DNS tunneling is switched off here",
        DiagId::VAL007 => "this piece is skipped",
        _ => "ignored; the default applies",
    }
}

pub fn help(id: DiagId, spec: &KeySpec, raw: &str, dialect: Dialect) -> String {
    match spec.ty {
        ValueType::Bool => {
            let lower = raw.trim().to_ascii_lowercase();
            let guess = match lower.as_str() {
                "yes" | "on" | "y" | "enabled" | "enable" => Some("true"),
                "no" | "off" | "n" | "disabled" | "disable" => Some("false"),
                "true" | "false" => Some(lower.as_str()),
                _ => None,
            };
            let mut h = "write `true` or `false` (any letter case), or `1` or `0`".to_owned();
            if let Some(g) = guess {
                h = format!("{h}; did you mean `{g}`?");
            }
            h
        }
        ValueType::Int => int_help(spec, raw),
        ValueType::MemorySize => memory_help(raw),
        ValueType::Enum(table) => {
            let names = table.valid_values(dialect);
            let nearest = names
                .iter()
                .map(|n| (strsim::osa_distance(&n.to_ascii_lowercase(), &raw.to_ascii_lowercase()), n))
                .min();
            match nearest {
                Some((d, n)) if d <= 3 && !raw.is_empty() => format!("did you mean `{n}`? (names are compared ignoring letter case)"),
                _ => format!("write one of {}", names.join(", ")),
            }
        }
        ValueType::MacAddress => "write six pairs of hex digits separated by `:` or `-`, e.g. `00:15:5D:01:02:03`; WSL does not start a VM while this value is invalid".to_owned(),
        ValueType::Ipv4 => "write a dotted IPv4 address such as `10.255.255.254` (four numbers 0-255 without leading zeros, no prefix length)".to_owned(),
        ValueType::PortList => "write port numbers from 1 to 65535 separated by commas, e.g. `80,443`".to_owned(),
        ValueType::Swiotlb => match id {
            DiagId::VAL008 => "the seed form is `0x<hex base>,<decimal size>K` or `M`, e.g. `0x40000000,64M`; a memory size such as `64MB` is also accepted".to_owned(),
            _ => format!("write a memory size such as `64MB`, or the seed range form `0x40000000,64M`. {}", memory_help(raw)),
        },
        ValueType::String | ValueType::Path => String::new(),
    }
}

fn int_help(spec: &KeySpec, raw: &str) -> String {
    let t = raw.trim();
    let base = "write a whole number: decimal, `0x` hexadecimal, or octal with a leading `0`";
    if t.eq_ignore_ascii_case("auto") || t.eq_ignore_ascii_case("max") || t.eq_ignore_ascii_case("all") {
        if spec.leaf() == "processors" {
            return format!("{base}; to use every processor, remove the line (or write `0`)");
        }
        return format!("{base}; remove the line to keep the default");
    }
    if t.len() > 1 && t.starts_with('0') && t.bytes().all(|b| b.is_ascii_digit()) {
        return format!(
            "{base}. A leading `0` makes the number octal, and `{t}` is not a valid octal number; write it without the leading zeros"
        );
    }
    if let Some(n) = t
        .strip_suffix("ms")
        .or_else(|| t.strip_suffix('s'))
        .filter(|n| n.bytes().all(|b| b.is_ascii_digit()) && !n.is_empty())
    {
        let _ = n;
        return format!("{base}, without a unit (timeouts are in milliseconds)");
    }
    if raw != t {
        return format!("{base}; spaces after the number are not allowed");
    }
    base.to_owned()
}

fn memory_help(raw: &str) -> String {
    let base = "write a whole number of bytes or a whole number followed by one of the case-sensitive units B, K, KB, M, MB, G, GB, T, TB (e.g. `8GB`, `512MB`)";
    let t = raw.trim_start();
    let digits_end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, suffix) = t.split_at(digits_end);
    if suffix.starts_with('.') && !number.is_empty() {
        return format!("{base}; fractions are not accepted, use a smaller unit (`1.5GB` = `1536MB`)");
    }
    if !number.is_empty() {
        let s = suffix.trim_start();
        let upper = s.to_ascii_uppercase();
        let fixed = match upper.as_str() {
            "KB" | "MB" | "GB" | "TB" | "K" | "M" | "G" | "T" | "B" => Some(upper.clone()),
            "KIB" | "MIB" | "GIB" | "TIB" => Some(format!("{}B", &upper[..1])),
            _ => None,
        };
        if let Some(f) = fixed {
            let why = if s.len() != suffix.len() {
                "no space between number and unit"
            } else {
                "units are case-sensitive"
            };
            return format!("{base}; {why}: did you mean `{number}{f}`?");
        }
    }
    if number.len() > 1 && number.starts_with('0') {
        return format!("{base}; no leading zeros");
    }
    base.to_owned()
}

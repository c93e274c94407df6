//! For every key of the registry: a valid value written to a file parses back
//! to the same typed value, and an invalid one yields exactly one diagnostic
//! with the right id and line (keys.md §2, diagnostics.md §4).

use proptest::prelude::*;
use wslcfg::bind::{Swiotlb, Value, bind};
use wslcfg::registry::{self, Dialect, KEYS, KeyId, ValueType};
use wslcfg::syntax::parse;

/// Renders text as a quoted, escaped .wslconfig value.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A valid value for a type: (text to write, expected parse).
fn valid(ty: ValueType) -> BoxedStrategy<(String, Value)> {
    match ty {
        ValueType::Bool => prop_oneof![
            Just(("true".to_owned(), Value::Bool(true))),
            Just(("FALSE".to_owned(), Value::Bool(false))),
            Just(("1".to_owned(), Value::Bool(true))),
            Just(("0".to_owned(), Value::Bool(false))),
        ]
        .boxed(),
        ValueType::Int => any::<i32>()
            .prop_flat_map(|n| {
                prop_oneof![
                    Just((n.to_string(), Value::Int(n))),
                    Just((
                        if n < 0 {
                            format!("-0x{:x}", n.unsigned_abs())
                        } else {
                            format!("0x{n:X}")
                        },
                        Value::Int(n)
                    )),
                ]
            })
            .boxed(),
        ValueType::MemorySize => (
            1u64..1 << 20,
            prop::sample::select(vec![
                ("", 1u64),
                ("K", 1 << 10),
                ("MB", 1 << 20),
                ("G", 1 << 30),
                ("TB", 1 << 40),
            ]),
        )
            .prop_map(|(n, (suffix, factor))| (format!("{n}{suffix}"), Value::Size(n.wrapping_mul(factor))))
            .boxed(),
        ValueType::String | ValueType::Path => "[ -~\t]{0,40}".prop_map(|t| (quoted(&t), Value::Text(t))).boxed(),
        ValueType::Enum(table) => prop::sample::select(table.names.iter().collect::<Vec<_>>())
            .prop_flat_map(move |name| {
                (Just(name), any::<bool>()).prop_map(move |(name, upper)| {
                    let text = if upper {
                        name.name.to_ascii_uppercase()
                    } else {
                        name.name.to_ascii_lowercase()
                    };
                    (text, Value::Enum(table, name))
                })
            })
            .boxed(),
        ValueType::MacAddress => (any::<[u8; 6]>(), any::<bool>())
            .prop_map(|(m, dash)| {
                let sep = if dash { "-" } else { ":" };
                (
                    m.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(sep),
                    Value::Mac(m),
                )
            })
            .boxed(),
        ValueType::Ipv4 => any::<[u8; 4]>()
            .prop_map(|a| {
                let ip = std::net::Ipv4Addr::from(a);
                (ip.to_string(), Value::Ipv4(ip))
            })
            .boxed(),
        ValueType::PortList => prop::collection::btree_set(1u16..=65535, 0..6)
            .prop_map(|ports| {
                (
                    ports.iter().map(u16::to_string).collect::<Vec<_>>().join(","),
                    Value::Ports(ports),
                )
            })
            .boxed(),
        ValueType::Swiotlb => prop_oneof![
            (1u64..u32::MAX as u64, 1u64..4096).prop_map(|(gpa, mb)| {
                let raw = format!("0x{gpa:x},{mb}M");
                (
                    raw.clone(),
                    Value::Swiotlb(Swiotlb::Range {
                        raw,
                        gpa: Some(gpa),
                        size_bytes: Some(mb << 20),
                    }),
                )
            }),
            (1u64..4096).prop_map(|mb| (format!("{mb}MB"), Value::Swiotlb(Swiotlb::Size(mb << 20)))),
        ]
        .boxed(),
    }
}

/// An invalid value for a type and the id it must give (`None`: the type
/// accepts every value).
fn invalid(ty: ValueType, dialect: Dialect) -> Option<(&'static str, &'static str)> {
    Some(match ty {
        ValueType::Bool => ("yes", "VAL001"),
        ValueType::Int => ("12abc", "VAL002"),
        ValueType::MemorySize => ("4gb", "VAL003"),
        ValueType::Enum(_) => ("bogus", "VAL004"),
        ValueType::MacAddress => ("00:11", "VAL005"),
        ValueType::Ipv4 => ("1.2.3", "VAL006"),
        ValueType::PortList => ("80,0", "VAL007"),
        ValueType::Swiotlb => ("garbage", if dialect == Dialect::Seed { "VAL008" } else { "VAL003" }),
        ValueType::String | ValueType::Path => return None,
    })
}

/// `[section]`, some padding lines, then `leaf=value`; returns the file and the key's line.
fn file_for(key: KeyId, name_index: usize, padding: usize, value: &str) -> (String, u32) {
    let name = key.spec().names[name_index % key.spec().names.len()];
    let (section, leaf) = name.split_once('.').expect("dotted");
    let mut text = format!("[{section}]\n");
    for i in 0..padding {
        text.push_str(if i % 2 == 0 { "# padding\n" } else { "\n" });
    }
    text.push_str(&format!("{leaf} = {value}\n"));
    (text, 2 + padding as u32)
}

fn key_strategy() -> impl Strategy<Value = KeyId> {
    (0..KEYS.len()).prop_map(|i| registry::ids().nth(i).expect("in range"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn valid_values_round_trip(
        (key, (text, expected)) in key_strategy().prop_flat_map(|k| (Just(k), valid(k.spec().ty))),
        alias in 0usize..2,
        padding in 0usize..4,
        upstream in any::<bool>(),
    ) {
        let dialect = if upstream { Dialect::Upstream } else { Dialect::Seed };
        let (file, _) = file_for(key, alias, padding, &text);
        let bound = bind(&parse(file.clone().into_bytes()), dialect);
        prop_assert!(bound.diagnostics.is_empty(), "{file:?}: {:?}", bound.diagnostics);
        prop_assert_eq!(bound.config.value(key), Some(&expected), "{:?}", file);
    }

    #[test]
    fn invalid_values_give_one_diagnostic(
        key in key_strategy(),
        alias in 0usize..2,
        padding in 0usize..4,
        upstream in any::<bool>(),
    ) {
        let dialect = if upstream { Dialect::Upstream } else { Dialect::Seed };
        if let Some((text, id)) = invalid(key.spec().ty, dialect) {
            let (file, line) = file_for(key, alias, padding, text);
            let bound = bind(&parse(file.clone().into_bytes()), dialect);
            prop_assert_eq!(bound.diagnostics.len(), 1, "{:?}: {:?}", file, bound.diagnostics);
            prop_assert_eq!(bound.diagnostics[0].id.as_str(), id);
            prop_assert_eq!(bound.diagnostics[0].line, Some(line));
        }
    }
}

//! Tree → typed configuration, through the one key registry (grammar.md §10,
//! keys.md §2). Reports KEY and VAL diagnostics in file order, interleaved
//! with the scanner's SYN diagnostics.

mod hints;
pub mod suggest;
pub mod value;

pub use value::{Swiotlb, Value};

use crate::diag::{Args, Detail, DiagId, Diagnostic, Related};
use crate::registry::{self, Dialect, KeyId, ValueType};
use crate::syntax::{Entry, Event, Parse, Span};
use std::sync::{Arc, OnceLock};

/// One key as the file set it: the first occurrence of the key or an alias.
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    pub key: KeyId,
    /// The full key name as written (grammar.md §5), shared with the tree.
    pub written: Arc<str>,
    pub line: u32,
    pub key_span: Span,
    pub value_span: Span,
    /// The scanned value handed to the typed parser (shared with the tree).
    pub raw: Arc<str>,
    /// The parsed value; `None` when the typed parser rejected it.
    pub value: Option<Value>,
}

/// The typed configuration: what the file says, before any pass.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub dialect: Dialect,
    settings: Vec<Option<Setting>>,
    /// The DNS tunneling switch as the scan left it: the key's value, or
    /// `false` when an invalid DNS tunneling address came after it (keys.md
    /// §2.8). `None` when neither happened.
    pub dns_tunneling_scan: Option<bool>,
    /// An invalid MAC address stopped the scan (VAL005): nothing may be built.
    pub fatal: bool,
}

impl Config {
    pub fn setting(&self, key: KeyId) -> Option<&Setting> {
        self.settings[key.0 as usize].as_ref()
    }

    /// Seen and valid (grammar.md §10, "present").
    pub fn present(&self, key: KeyId) -> bool {
        self.value(key).is_some()
    }

    pub fn value(&self, key: KeyId) -> Option<&Value> {
        self.setting(key).and_then(|s| s.value.as_ref())
    }

    /// Every setting the file made, in key-table order.
    pub fn settings(&self) -> impl Iterator<Item = &Setting> {
        self.settings.iter().flatten()
    }

    /// `lint`'s `values`: canonical name → parsed value of every key the file
    /// set with a valid value (passes.md §6.2 encodings).
    pub fn values_json(&self) -> serde_json::Map<String, serde_json::Value> {
        self.settings()
            .filter_map(|s| {
                let v = s.value.as_ref()?;
                Some((s.key.spec().name().to_owned(), v.to_json(self.dialect)))
            })
            .collect()
    }
}

/// The binder's result.
#[derive(Clone, Debug)]
pub struct Bound {
    pub config: Config,
    /// SYN, KEY and VAL diagnostics in file order (diagnostics.md §8).
    pub diagnostics: Vec<Diagnostic>,
}

/// [`registry::lookup`] with the names bucketed by length (built once): the
/// first key in table order with a name equal ignoring ASCII case.
pub(crate) fn lookup(name: &str) -> Option<KeyId> {
    static BY_LEN: OnceLock<Vec<Vec<(&'static str, KeyId)>>> = OnceLock::new();
    let by_len = BY_LEN.get_or_init(|| {
        let mut by_len: Vec<Vec<(&'static str, KeyId)>> = Vec::new();
        for id in registry::ids() {
            for &n in id.spec().names {
                if by_len.len() <= n.len() {
                    by_len.resize(n.len() + 1, Vec::new());
                }
                by_len[n.len()].push((n, id));
            }
        }
        by_len
    });
    by_len
        .get(name.len())?
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|&(_, id)| id)
}

/// The pieces joined, allocated once (what `format!` gives for `{}`s, without
/// its machinery on the per-entry path).
pub(crate) fn concat(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}

/// Binds a parsed file.
pub fn bind(parse: &Parse, dialect: Dialect) -> Bound {
    let mut binder = Binder {
        config: Config {
            dialect,
            settings: vec![None; registry::KEYS.len()],
            dns_tunneling_scan: None,
            fatal: false,
        },
        // A large file of repeated keys reports on most of its entries: room
        // for one record per event spares copying the records as they grow.
        diagnostics: Vec::with_capacity(if parse.events.len() > 1024 {
            parse.events.len()
        } else {
            0
        }),
        looked_up: Vec::new(),
    };
    for event in &parse.events {
        match event {
            Event::Syntax(d) => binder.diagnostics.push(Diagnostic::clone(d)),
            Event::Section(_) => {}
            Event::Entry(entry) => {
                binder.entry(entry);
                if binder.config.fatal {
                    break;
                }
            }
        }
    }
    Bound {
        config: binder.config,
        diagnostics: binder.diagnostics,
    }
}

struct Binder {
    config: Config,
    diagnostics: Vec<Diagnostic>,
    /// Names looked up and what they resolved to, by the address of their
    /// shared text: entries that share their key text (the scanner's
    /// `SharedStrings`) skip the table.
    looked_up: Vec<Option<(Arc<str>, Option<KeyId>)>>,
}

impl Binder {
    const LOOKUP_SLOTS: usize = 64;

    fn lookup(&mut self, name: &Arc<str>) -> Option<KeyId> {
        if self.looked_up.is_empty() {
            self.looked_up.resize(Self::LOOKUP_SLOTS, None);
        }
        let slot = (Arc::as_ptr(name) as *const u8 as usize >> 4) % Self::LOOKUP_SLOTS;
        if let Some((seen, key)) = &self.looked_up[slot]
            && Arc::ptr_eq(seen, name)
        {
            return *key;
        }
        let key = lookup(name);
        self.looked_up[slot] = Some((name.clone(), key));
        key
    }
}

impl Binder {
    fn entry(&mut self, entry: &Entry) {
        let whole = Span {
            start: entry.key_span.start,
            end: entry.value_span.end.max(entry.key_span.end),
        };
        let Some(key) = self.lookup(&entry.key) else {
            let args = Args {
                name: entry.key.clone(),
                other: None,
                number: 0,
                span: entry.key_span,
                flag: entry.in_section,
            };
            self.diagnostics.push(Diagnostic::deferred(
                DiagId::KEY001,
                entry.line,
                entry.key_span,
                args,
                unknown_key,
            ));
            return;
        };
        if let Some(first) = self.config.setting(key) {
            let args = Args {
                name: entry.key.clone(),
                other: Some(first.written.clone()),
                number: first.line,
                span: first.key_span,
                flag: false,
            };
            self.diagnostics.push(Diagnostic::deferred(
                DiagId::KEY002,
                entry.line,
                whole,
                args,
                duplicate_key,
            ));
            return;
        }
        let value = self.parse_value(key, entry);
        self.config.settings[key.0 as usize] = Some(Setting {
            key,
            written: entry.key.clone(),
            line: entry.line,
            key_span: entry.key_span,
            value_span: entry.value_span,
            raw: entry.value.clone(),
            value,
        });
    }

    /// Runs the key's typed parser, reporting an invalid value.
    fn parse_value(&mut self, key: KeyId, entry: &Entry) -> Option<Value> {
        let spec = key.spec();
        let raw = &*entry.value;
        let dialect = self.config.dialect;
        let (parsed, id) = match spec.ty {
            ValueType::Bool => (value::parse_bool(raw).map(Value::Bool), DiagId::VAL001),
            ValueType::Int => (value::parse_int(raw).map(Value::Int), DiagId::VAL002),
            ValueType::MemorySize => (value::parse_memory_size(raw).map(Value::Size), DiagId::VAL003),
            ValueType::String | ValueType::Path => (Some(Value::Text(raw.to_owned())), DiagId::VAL002),
            ValueType::Enum(table) => (table.lookup(raw).map(|n| Value::Enum(table, n)), DiagId::VAL004),
            ValueType::MacAddress => (value::parse_mac(raw).map(Value::Mac), DiagId::VAL005),
            ValueType::Ipv4 => (value::parse_ipv4(raw).map(Value::Ipv4), DiagId::VAL006),
            ValueType::PortList => {
                let (ports, bad) = value::parse_ports(raw);
                for piece in bad {
                    self.report_value(DiagId::VAL007, spec, entry);
                    let d = self.diagnostics.last_mut().expect("just reported").detail_mut();
                    d.message = format!("invalid port `{piece}` in `{}` for `{}`", entry.value, entry.key);
                    d.facts.insert("piece", piece);
                }
                return Some(Value::Ports(ports));
            }
            ValueType::Swiotlb => {
                let id = match dialect {
                    Dialect::Seed => DiagId::VAL008,
                    Dialect::Upstream => DiagId::VAL003,
                };
                (value::parse_swiotlb(raw).map(Value::Swiotlb), id)
            }
        };
        match &parsed {
            Some(Value::Bool(b)) if key == registry::k::DNS_TUNNELING => {
                self.config.dns_tunneling_scan = Some(*b);
            }
            None => {
                self.report_value(id, spec, entry);
                match id {
                    DiagId::VAL005 => self.config.fatal = true,
                    DiagId::VAL006 => self.config.dns_tunneling_scan = Some(false),
                    _ => {}
                }
            }
            _ => {}
        }
        parsed
    }

    fn report_value(&mut self, id: DiagId, spec: &'static registry::KeySpec, entry: &Entry) {
        let dialect = self.config.dialect;
        let span = if entry.value_span.is_empty() {
            entry.key_span
        } else {
            entry.value_span
        };
        let shown = if entry.value.is_empty() {
            "an empty value".to_owned()
        } else {
            format!("`{}`", entry.value)
        };
        let mut d = Diagnostic::new(id, format!("invalid {} {shown} for `{}`", spec.ty.name(), entry.key))
            .at(entry.line, span)
            .key(&*entry.key)
            .value(&*entry.value);
        if let ValueType::Enum(table) = spec.ty {
            let names = table.valid_values(dialect);
            d = d.fact("valid_values", names.clone());
            let detail = d.detail_mut();
            detail.message = format!("{}; valid values: {}", detail.message, names.join(", "));
        }
        let detail = d.detail_mut();
        detail.label = Some(hints::label(id).into());
        let mut help = hints::help(id, spec, &entry.value, dialect);
        if entry.value.contains(';') && !matches!(spec.ty, ValueType::String | ValueType::Path) {
            help.push_str("; note that `;` does not start a comment in .wslconfig: use `#`");
        }
        detail.help = Some(help.into());
        self.diagnostics.push(d);
    }
}

/// KEY001's texts: the key is in no table; the help is the reader's best
/// guess at what was meant (`suggest`).
fn unknown_key(args: &Args) -> Detail {
    let mut d = Detail {
        message: concat(&["unknown key `", &args.name, "`"]),
        key: Some(args.name.to_string()),
        label: Some("WSL ignores this line".into()),
        ..Detail::default()
    };
    suggest::unknown_key(&mut d, &args.name, args.flag);
    d
}

/// KEY002's texts: `other`, `number` and `span` are the first occurrence's
/// spelling, line and key span.
fn duplicate_key(args: &Args) -> Detail {
    let first_key = args.other.as_deref().unwrap_or_default();
    let mut line = itoa::Buffer::new();
    let first_line = line.format(args.number);
    let mut d = Detail {
        message: concat(&[
            "duplicate key `",
            &args.name,
            "`: WSL keeps the first occurrence on line ",
            first_line,
        ]),
        key: Some(args.name.to_string()),
        label: Some("ignored".into()),
        help: Some("delete this line, or delete the first occurrence if this is the value you want".into()),
        related: vec![Related {
            span: args.span,
            line: args.number,
            message: concat(&["first set here as `", first_key, "`"]),
        }],
        ..Detail::default()
    };
    d.facts.insert("first_line", args.number);
    d.facts.insert("first_key", first_key);
    d
}

#[cfg(test)]
mod tests;

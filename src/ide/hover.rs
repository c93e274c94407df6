//! Hover: what a key is and what became of it; what a value parses to; what
//! a section holds.

use super::Analysis;
use super::explain;
use super::locate::{self, code, size_long, swiotlb_text};
use crate::bind::{Swiotlb, value};
use crate::diag::Diagnostic;
use crate::passes;
use crate::registry::{self, Dialect, KeyId, Unit, ValueType, k};
use crate::syntax::{Entry, Line, LineKind, Span, TokenKind};
use std::fmt::Write as _;

/// Markdown to show over `span`.
#[derive(Clone, Debug, PartialEq)]
pub struct Hover {
    pub span: Span,
    pub markdown: String,
}

/// The hover at byte `offset` of the decoded text, if any.
pub fn hover(analysis: &Analysis, offset: usize) -> Option<Hover> {
    let parse = &analysis.parse;
    let text = analysis.decoded();
    let offset = locate::clamp(text, offset);
    let line = locate::line_at(parse, offset)?;
    locate::tokens_at(parse, line, offset).find_map(|token| match token.kind {
        TokenKind::SectionName | TokenKind::LBracket | TokenKind::RBracket => section_hover(analysis, line),
        TokenKind::KeyName => key_hover(analysis, line, token.span),
        TokenKind::Text | TokenKind::Quote | TokenKind::Escape | TokenKind::Continuation => {
            value_hover(analysis, line, offset)
        }
        _ => None,
    })
}

/// The diagnostics of the report whose span lies in `span`.
fn diagnostics_in(analysis: &Analysis, span: Span) -> impl Iterator<Item = &Diagnostic> {
    analysis
        .report
        .diagnostics
        .iter()
        .filter(move |d| d.span.is_some_and(|s| s.start >= span.start && s.end <= span.end))
}

fn push_diagnostic(md: &mut String, d: &Diagnostic) {
    let _ = write!(md, "\n\n**{}** {}", d.id, d.message());
    if let Some(help) = &d.detail().help {
        let _ = write!(md, "\n\n{help}");
    }
}

fn section_hover(analysis: &Analysis, line: &Line) -> Option<Hover> {
    let parse = &analysis.parse;
    let name_token = parse
        .tree
        .tokens(line)
        .iter()
        .find(|t| t.kind == TokenKind::SectionName)?;
    let name = &analysis.decoded()[name_token.span.range()];
    // The header from `[` to `]` (or to the end of the name).
    let tokens = parse.tree.tokens(line);
    let start = tokens
        .iter()
        .find(|t| t.kind == TokenKind::LBracket)
        .map_or(name_token.span.start, |t| t.span.start);
    let end = tokens
        .iter()
        .find(|t| t.kind == TokenKind::RBracket)
        .map_or(name_token.span.end, |t| t.span.end);
    let mut md = format!("**[{name}]**");
    match registry::section_doc(name) {
        Some(doc) if line.kind == LineKind::Section => {
            let _ = write!(md, " — section of `.wslconfig`\n\n{doc}");
            let keys: Vec<_> = registry::section_keys(name).collect();
            let set = keys
                .iter()
                .filter(|(id, _)| {
                    analysis
                        .report
                        .config
                        .as_ref()
                        .is_some_and(|c| c.setting(*id).is_some())
                })
                .count();
            let _ = write!(md, "\n\n{} settings; {set} of them set in this file.", keys.len());
        }
        _ => {
            let found: Vec<&Diagnostic> = diagnostics_in(analysis, line.span).collect();
            if found.is_empty() {
                return None;
            }
            for d in found {
                push_diagnostic(&mut md, d);
            }
        }
    }
    Some(Hover {
        span: Span { start, end },
        markdown: md,
    })
}

fn key_hover(analysis: &Analysis, line: &Line, key_span: Span) -> Option<Hover> {
    let parse = &analysis.parse;
    let written = &analysis.decoded()[key_span.range()];
    let entry = locate::entry_of(parse, line).filter(|e| e.key_span == key_span);
    let full = match entry {
        Some(e) => e.key.to_string(),
        None => {
            let section = locate::section_before(parse, key_span.start as usize)?;
            format!("{}.{written}", section.name)
        }
    };
    let Some(key) = registry::lookup(&full) else {
        // An unknown key: lint's finding and its did-you-mean, if any.
        let found: Vec<&Diagnostic> = diagnostics_in(analysis, key_span).collect();
        if found.is_empty() {
            return None;
        }
        let mut md = format!("{} is not a `.wslconfig` key", code(&full));
        for d in found {
            push_diagnostic(&mut md, d);
        }
        return Some(Hover {
            span: key_span,
            markdown: md,
        });
    };
    let mut md = key_markdown(analysis, key);
    let config = analysis.report.config.as_ref();
    let setting = config.and_then(|c| c.setting(key));
    match (entry, setting) {
        (None, _) => {
            let _ = write!(md, "\n\nWSL skips this line:");
            for d in diagnostics_in(analysis, line.span) {
                push_diagnostic(&mut md, d);
            }
        }
        (Some(_), Some(s)) if s.key_span != key_span => {
            let _ = write!(
                md,
                "\n\nIgnored: WSL keeps the first occurrence, {} on line {}.",
                code(&s.written),
                s.line
            );
        }
        _ => {}
    }
    if let Some(eff) = &analysis.report.effective {
        let now = locate::value_short(eff.get(key), eff.dialect);
        let _ = write!(md, "\n\n**Effective value:** {}\n\n```text\n", code(&now));
        for step in explain::chain(eff, key, None) {
            let _ = writeln!(md, "{step}");
        }
        md.push_str("```");
        // The pass notices about this key (they belong to no line).
        for d in analysis
            .report
            .diagnostics
            .iter()
            .filter(|d| d.span.is_none() && d.detail().key.as_deref().and_then(registry::lookup) == Some(key))
        {
            let _ = write!(md, "\n\n**{}** {}: {}", d.id, d.severity.as_str(), d.message());
        }
    }
    Some(Hover {
        span: key_span,
        markdown: md,
    })
}

/// What the registry and the passes say about a key.
fn key_markdown(analysis: &Analysis, key: KeyId) -> String {
    let spec = key.spec();
    let dialect = analysis.options.dialect;
    let empty = locate::empty_effective(&analysis.options.host, dialect);
    let mut md = format!("**{}** · {}\n\n{}\n", spec.name(), spec.ty.name(), spec.doc);
    let ty = match spec.ty {
        ValueType::Enum(table) => {
            let mut numbers: Vec<u32> = table.names.iter().map(|n| n.number).collect();
            numbers.dedup();
            let names: Vec<String> = numbers.iter().map(|&n| code(table.display(n, dialect))).collect();
            format!("{}: {}", spec.ty.name(), names.join(", "))
        }
        ValueType::Int if spec.unit == Unit::Milliseconds => "integer (milliseconds)".to_owned(),
        _ => spec.ty.name().to_owned(),
    };
    let _ = write!(md, "\n- Type: {ty}");
    let (value, rule) = locate::default_parts(key, &empty);
    let _ = write!(md, "\n- Default on this host: {}", code(&value));
    if let Some(rule) = rule {
        let _ = write!(md, " ({rule})");
    }
    if spec.names.len() > 1 {
        let aliases: Vec<String> = spec.names[1..].iter().map(|n| code(n)).collect();
        let _ = write!(md, "\n- Also written as: {}", aliases.join(", "));
    }
    let passes: Vec<String> = passes::passes_touching(key)
        .map(|p| format!("{} ({})", p.id, p.name))
        .collect();
    if !passes.is_empty() {
        let _ = write!(md, "\n- Passes that may change it: {}", passes.join(", "));
    }
    md
}

fn value_hover(analysis: &Analysis, line: &Line, offset: usize) -> Option<Hover> {
    let entry = locate::entry_of(&analysis.parse, line)?;
    // The value's tokens: from after `=` to the end of the value text.
    let eq_end = analysis
        .parse
        .tree
        .tokens(line)
        .iter()
        .find(|t| t.kind == TokenKind::Equals)?
        .span
        .end;
    let span = Span {
        start: eq_end,
        end: entry.value_span.end.max(eq_end),
    };
    if !locate::touches(span, offset) || span.is_empty() {
        return None;
    }
    let key = registry::lookup(&entry.key)?;
    let mut md = value_markdown(analysis, key, entry);
    let setting = analysis.report.config.as_ref().and_then(|c| c.setting(key));
    match (setting, &analysis.report.effective) {
        (Some(s), _) if s.key_span != entry.key_span => {
            let _ = write!(
                md,
                "\n\nIgnored: WSL keeps the first occurrence, {} on line {}.",
                code(&s.written),
                s.line
            );
        }
        (Some(s), Some(eff)) if s.value.is_some() => {
            let written = s.value.as_ref().map(|v| v.to_json(eff.dialect));
            let now = eff.get(key).map(|v| v.to_json(eff.dialect));
            let last = eff.history(key).last();
            if written != now
                && let Some(step) = last
            {
                let now = locate::value_short(eff.get(key), eff.dialect);
                let why = explain::origin_text(&step.origin, None);
                let _ = write!(md, "\n\n**In effect:** {} ({why})", code(&now));
            }
        }
        _ => {}
    }
    Some(Hover {
        span: entry.value_span,
        markdown: md,
    })
}

fn value_markdown(analysis: &Analysis, key: KeyId, entry: &Entry) -> String {
    let spec = key.spec();
    let raw = &*entry.value;
    let dialect = analysis.options.dialect;
    let written = analysis.decoded().get(entry.value_span.range()).unwrap_or(raw);
    let mut md = format!("{} for {}: ", code(written), code(spec.name()));
    let invalid = |md: &mut String| {
        let found: Vec<&Diagnostic> = diagnostics_in(analysis, cover(entry.value_span, entry.key_span))
            .filter(|d| d.id.as_str().starts_with("VAL"))
            .collect();
        let _ = write!(md, "not a valid {}; WSL ignores it", spec.ty.name());
        for d in found {
            push_diagnostic(md, d);
        }
    };
    match spec.ty {
        ValueType::Bool => match value::parse_bool(raw) {
            Some(b) => {
                let _ = write!(md, "boolean **{b}**");
            }
            None => invalid(&mut md),
        },
        ValueType::Int => match value::parse_int(raw) {
            Some(i) => {
                let _ = write!(md, "integer **{i}**");
                let digits = raw.trim_start().trim_start_matches(['+', '-']);
                if digits.len() > 2 && digits[..2].eq_ignore_ascii_case("0x") {
                    md.push_str(" (hexadecimal)");
                } else if digits.len() > 1 && digits.starts_with('0') {
                    md.push_str(" (octal: a leading `0` makes the number octal)");
                }
                if spec.unit == Unit::Milliseconds {
                    let _ = write!(md, "\n\n{i} ms = {} s", i as f64 / 1000.0);
                }
                if i == i32::MAX || i == i32::MIN {
                    md.push_str("\n\nNumbers outside the 32-bit range saturate to this value.");
                }
            }
            None => invalid(&mut md),
        },
        ValueType::MemorySize => match value::parse_memory_size(raw) {
            Some(n) => {
                if n == u64::MAX {
                    let _ = write!(md, "2^64 − 1 = {n} bytes");
                } else {
                    md.push_str(&size_long(n));
                }
                if key == k::SWAP && n == u64::MAX {
                    md.push_str("\n\n2^64 − 1 means “compute”: a quarter of the VM memory (P4).");
                } else if raw.trim_start().starts_with('-') {
                    md.push_str("\n\nA negative number wraps around modulo 2^64.");
                }
                if raw.bytes().last().is_some_and(|b| b.is_ascii_digit()) && n != 0 && n != u64::MAX {
                    md.push_str("\n\nWithout a unit the number is bytes.");
                }
            }
            None => invalid(&mut md),
        },
        ValueType::String | ValueType::Path => {
            if raw.is_empty() {
                md.push_str("empty");
            } else {
                let _ = write!(md, "{} {}", spec.ty.name(), code(raw));
            }
            if entry.flags.non_ascii {
                md.push_str("\n\nCharacters outside ASCII are cut to their low 8 bits by WSL.");
            }
            if entry.flags.nul {
                md.push_str("\n\nThe value is cut at a NUL character.");
            }
            if entry.flags.control_escape {
                md.push_str("\n\nAn escape (`\\b`, `\\n`, `\\t`) put a control character into the value.");
            }
        }
        ValueType::Enum(table) => match table.lookup(raw) {
            Some(name) => {
                let canonical = table.display(name.number, dialect);
                let _ = write!(md, "**{canonical}**");
                let (seed, upstream) = (
                    table.display(name.number, Dialect::Seed),
                    table.display(name.number, Dialect::Upstream),
                );
                if seed != upstream {
                    let _ = write!(
                        md,
                        " (value {}: {} in the seed dialect, {} upstream; both names are accepted)",
                        name.number,
                        code(seed),
                        code(upstream)
                    );
                }
            }
            None => invalid(&mut md),
        },
        ValueType::MacAddress => match value::parse_mac(raw) {
            Some(m) => {
                let _ = write!(md, "MAC address **{}**", value::format_mac(&m));
            }
            None => invalid(&mut md),
        },
        ValueType::Ipv4 => match value::parse_ipv4(raw) {
            Some(ip) => {
                let _ = write!(md, "IPv4 address **{ip}**");
            }
            None => invalid(&mut md),
        },
        ValueType::PortList => {
            let (ports, bad) = value::parse_ports(raw);
            if ports.is_empty() {
                md.push_str("no ports");
            } else {
                let list: Vec<String> = ports.iter().map(u16::to_string).collect();
                let _ = write!(md, "ports **{}**", list.join(", "));
            }
            if !bad.is_empty() {
                let pieces: Vec<String> = bad.iter().map(|p| code(p)).collect();
                let _ = write!(md, "\n\nNot ports (1–65535), ignored: {}", pieces.join(", "));
            }
        }
        ValueType::Swiotlb => match value::parse_swiotlb(raw) {
            Some(s) => {
                md.push_str(&swiotlb_text(&s));
                let other = match (&s, dialect) {
                    (Swiotlb::Range { .. }, Dialect::Upstream) => Some("seed"),
                    (Swiotlb::Size(_), Dialect::Seed) => Some("upstream"),
                    _ => None,
                };
                if let Some(form) = other {
                    let _ = write!(md, " (the {form} form, accepted in both dialects)");
                }
            }
            None => invalid(&mut md),
        },
    }
    md
}

/// The smallest span covering both.
fn cover(a: Span, b: Span) -> Span {
    Span {
        start: a.start.min(b.start),
        end: a.end.max(b.end),
    }
}

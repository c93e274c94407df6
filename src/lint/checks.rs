//! Lint-only checks (`LNT` ids): what WSL accepts silently or reports
//! unhelpfully, but a reviewer would flag. They add records; they never
//! replace, reorder or suppress a record of the spec (diagnostics.md §10).

use crate::bind::suggest;
use crate::bind::{Config, Value};
use crate::diag::{DiagId, Diagnostic};
use crate::registry::{self, Unit, ValueType, WSL_CONF_SECTIONS};
use crate::syntax::{Event, Parse, Span};

/// Runs every check; the result is sorted by line.
pub fn run(parse: &Parse, config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    malformed_encoding(parse, &mut out);
    for event in &parse.events {
        match event {
            Event::Section(h) => unknown_section(h, &mut out),
            Event::Entry(e) if (e.flags.non_ascii || e.flags.nul) && registry::lookup(&e.key).is_some() => {
                out.push(
                    Diagnostic::new(
                        DiagId::LNT006,
                        format!("the value of `{}` contains characters WSL cannot read", e.key),
                    )
                    .at(e.line, e.value_span)
                    .key(&*e.key)
                    .value(&*e.value)
                    .label(if e.flags.nul {
                        "WSL stops reading at the NUL"
                    } else {
                        "WSL keeps only the low 8 bits of each character"
                    })
                    .help(format!(
                        "WSL reads this value as `{}`; use ASCII characters only",
                        e.value.escape_debug()
                    )),
                );
            }
            _ => {}
        }
    }
    for s in config.settings() {
        let spec = s.key.spec();
        match (&s.value, spec.ty) {
            (Some(Value::Size(n)), ValueType::MemorySize) => unitless_size(s, *n, &mut out),
            (Some(Value::Int(n)), ValueType::Int) if spec.unit == Unit::Milliseconds && (1..1000).contains(n) => {
                out.push(
                    Diagnostic::new(
                        DiagId::LNT004,
                        format!("`{}` is {n} milliseconds, less than a second", s.written),
                    )
                    .at(s.line, s.value_span)
                    .key(&*s.written)
                    .value(&*s.raw)
                    .label("read as milliseconds")
                    .help(format!(
                        "WSL reads this timeout in milliseconds; if you meant {n} seconds, write `{}`",
                        *n as i64 * 1000
                    )),
                );
            }
            _ => {}
        }
    }
    for event in &parse.events {
        if let Event::Entry(e) = event {
            let Some(id) = registry::lookup(&e.key) else { continue };
            let is_text = matches!(id.spec().ty, ValueType::Path | ValueType::String);
            let applied = config
                .setting(id)
                .is_some_and(|s| s.line == e.line && s.key_span == e.key_span);
            if is_text && applied && e.flags.control_escape {
                out.push(
                    Diagnostic::new(DiagId::LNT005, format!("a single backslash changed the value of `{}`", e.key))
                        .at(e.line, e.value_span)
                        .key(&*e.key)
                        .value(&*e.value)
                        .label("`\\t`, `\\n` or `\\b` here became a control character")
                        .help(format!(
                            "WSL reads this as `{}`. Windows paths need doubled backslashes (`C:\\\\Users\\\\me`) or forward slashes (`C:/Users/me`)",
                            e.value.escape_debug()
                        )),
                );
            }
        }
    }
    out.sort_by_key(|d| d.line);
    out
}

/// One LNT001 per run of adjacent malformed sequences.
fn malformed_encoding(parse: &Parse, out: &mut Vec<Diagnostic>) {
    let source = &parse.source;
    let mut runs: Vec<(usize, usize, u32, u32)> = Vec::new(); // text start, text end, source start, source end
    for m in &source.malformed {
        let start = m.text_offset as usize;
        let end = start + '\u{FFFD}'.len_utf8();
        match runs.last_mut() {
            Some(run) if run.1 == start && run.3 == m.source_start => {
                run.1 = end;
                run.3 = m.source_start + m.source_len;
            }
            _ => runs.push((start, end, m.source_start, m.source_start + m.source_len)),
        }
    }
    let mut lines = LineCursor::new(parse);
    for (start, end, src_start, src_end) in runs {
        let bytes = &source.bytes()[src_start as usize..src_end as usize];
        let mut shown: Vec<String> = bytes.iter().take(16).map(|b| format!("{b:02X}")).collect();
        if bytes.len() > 16 {
            shown.push(format!("… ({} bytes)", bytes.len()));
        }
        let shown = shown.join(" ");
        out.push(
            Diagnostic::new(
                DiagId::LNT001,
                format!(
                    "malformed {} byte sequence {shown} at byte {src_start}",
                    source.encoding.as_str()
                ),
            )
            .at(lines.line_at(start), Span::new(start, end))
            .fact("bytes", shown)
            .fact("byte_offset", src_start)
            .fact("byte_length", src_end - src_start)
            .label("read as U+FFFD")
            .help("save the file as UTF-8 (or UTF-16LE with a byte order mark)"),
        );
    }
}

/// The scanner's line number at increasing text offsets, in linear time.
struct LineCursor<'a> {
    parse: &'a Parse,
    /// The last offset asked for, the line node it was in, and its line number.
    last: Option<(usize, usize, u32)>,
}

impl<'a> LineCursor<'a> {
    fn new(parse: &'a Parse) -> Self {
        LineCursor { parse, last: None }
    }

    fn line_at(&mut self, offset: usize) -> u32 {
        let text = &self.parse.source.text;
        let lines = self.parse.tree.lines();
        let node = lines
            .partition_point(|l| (l.span.end as usize) <= offset)
            .min(lines.len().saturating_sub(1));
        let Some(l) = lines.get(node) else { return 1 };
        let (from, base) = match self.last {
            Some((o, n, line)) if n == node && o <= offset => (o, line),
            _ => (l.span.start as usize, l.number),
        };
        let line = base + text[from..offset].bytes().filter(|&b| b == b'\n').count() as u32;
        self.last = Some((offset, node, line));
        line
    }
}

fn unknown_section(h: &crate::syntax::SectionHeader, out: &mut Vec<Diagnostic>) {
    if suggest::is_known_section(&h.name) {
        return;
    }
    let mut d = Diagnostic::new(DiagId::LNT002, format!("`[{}]` is not a section of .wslconfig", h.name))
        .at(h.line, h.span)
        .label("unknown section");
    if let Some(s) = WSL_CONF_SECTIONS.iter().find(|s| s.eq_ignore_ascii_case(&h.name)) {
        d = d
            .help(format!("`[{s}]` belongs in `/etc/wsl.conf` inside the Linux distribution; the Windows-side .wslconfig ignores it"))
            .fact("wsl_conf", true);
    } else if let Some(s) = suggest::nearest_section(&h.name) {
        d = d.help(format!("did you mean `[{s}]`?")).fact("suggestion", s);
    } else {
        d = d.help("the sections of .wslconfig are `[wsl2]`, `[experimental]` and `[general]`");
    }
    out.push(d);
}

fn unitless_size(s: &crate::bind::Setting, n: u64, out: &mut Vec<Diagnostic>) {
    let t = s.raw.trim_start().trim_start_matches('+');
    if n == 0 || n >= 1 << 20 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return;
    }
    let unit = if n <= 1024 { "GB" } else { "MB" };
    out.push(
        Diagnostic::new(DiagId::LNT003, format!("`{}` is {n} bytes", s.written))
            .at(s.line, s.value_span)
            .key(&*s.written)
            .value(&*s.raw)
            .label("a number without a unit is a count of bytes")
            .fact("suggestion", format!("{t}{unit}"))
            .help(format!(
                "{n} bytes; did you mean `{t}{unit}`? Units are B, K/KB, M/MB, G/GB, T/TB (case-sensitive)"
            )),
    );
}

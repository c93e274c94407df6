//! The front end put together for `wslcfg lint` (and the first half of
//! `compile`): read → parse → bind → the lint-only checks → the passes P1–P18
//! against a host profile, one [`FileReport`] per file.

mod advice;
mod checks;

use crate::bind::{self, Config};
use crate::diag::{DiagId, Diagnostic, Severity};
use crate::host::HostProfile;
use crate::passes::{self, Effective};
use crate::registry::Dialect;
use crate::syntax::{self, Encoding, Parse, Source};

/// The default `--max-size`: 16 MiB.
pub const DEFAULT_MAX_SIZE: u64 = 16 << 20;

#[derive(Clone, Debug)]
pub struct LintOptions {
    pub dialect: Dialect,
    /// Files larger than this are refused (LNT007) instead of read.
    pub max_size: u64,
    /// The host the passes run against (the embedded default unless given).
    pub host: HostProfile,
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            dialect: Dialect::Seed,
            max_size: DEFAULT_MAX_SIZE,
            host: HostProfile::default(),
        }
    }
}

/// Everything lint found in one file.
#[derive(Clone, Debug)]
pub struct FileReport {
    /// The path as given (`-` for standard input).
    pub path: String,
    /// The decoded file; `None` when it could not be read.
    pub source: Option<Source>,
    /// The typed configuration; `None` when the file could not be read.
    pub config: Option<Config>,
    /// The configuration after P1–P18; `None` when the file could not be
    /// read or an invalid MAC address stopped everything (VAL005).
    pub effective: Option<Effective>,
    /// In file order (diagnostics.md §8), lint-only records merged by line.
    pub diagnostics: Vec<Diagnostic>,
    /// An I/O error that kept the file from being linted at all.
    pub io_error: Option<String>,
}

impl FileReport {
    pub fn encoding(&self) -> Option<Encoding> {
        self.source.as_ref().map(|s| s.encoding)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }
}

/// Lints bytes already read.
pub fn lint_bytes(path: &str, bytes: Vec<u8>, options: &LintOptions) -> FileReport {
    if bytes.len() as u64 > options.max_size {
        return too_large(path, bytes.len() as u64, options.max_size);
    }
    let parse = syntax::parse(bytes);
    let mut report = analyse(path, &parse, options);
    report.source = Some(parse.source);
    report
}

/// Lints text already parsed (the language server keeps the parse for its
/// own features). No size limit applies: the text is already in memory.
pub fn lint_parsed(path: &str, parse: &Parse, options: &LintOptions) -> FileReport {
    let mut report = analyse(path, parse, options);
    report.source = Some(parse.source.clone());
    report
}

/// Bind, the lint-only checks and the passes over one parse; the report's
/// `source` is left to the caller.
fn analyse(path: &str, parse: &Parse, options: &LintOptions) -> FileReport {
    let bound = bind::bind(parse, options.dialect);
    let mut diagnostics = bound.diagnostics;
    let mut effective = None;
    if !bound.config.fatal {
        let outcome = passes::run(&bound.config, &options.host);
        let mut extra = checks::run(parse, &bound.config);
        extra.extend(advice::file_errors(&bound.config, &outcome.effective));
        extra.extend(advice::host_advice(&bound.config, &outcome.effective, &options.host));
        // Stable: records of one line keep the order the checks gave them.
        extra.sort_by_key(|d| d.line);
        diagnostics = merge_by_line(diagnostics, extra);
        // Pass notices belong to no line and follow the parse (diagnostics.md §8).
        diagnostics.extend(outcome.diagnostics);
        effective = Some(outcome.effective);
    }
    FileReport {
        path: path.to_owned(),
        source: None,
        config: Some(bound.config),
        effective,
        diagnostics,
        io_error: None,
    }
}

/// Reads and lints a file (`-` = standard input).
pub fn lint_path(path: &str, options: &LintOptions) -> FileReport {
    use std::io::Read;
    let read = if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(options.max_size + 1)
            .read_to_end(&mut bytes)
            .map(|_| bytes)
    } else {
        match std::fs::metadata(path) {
            Ok(meta) if meta.len() > options.max_size => return too_large(path, meta.len(), options.max_size),
            Ok(meta) if meta.is_dir() => Err(std::io::Error::other("is a directory")),
            _ => std::fs::File::open(path).and_then(|f| {
                let mut bytes = Vec::new();
                f.take(options.max_size + 1).read_to_end(&mut bytes).map(|_| bytes)
            }),
        }
    };
    match read {
        Ok(bytes) => lint_bytes(path, bytes, options),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => io_failure(path, format!("{path}: no such file")),
        Err(e) => {
            let mut report = io_failure(path, format!("{path}: {e}"));
            report.diagnostics.push(
                Diagnostic::new(DiagId::FIL001, format!("cannot read `{path}`: {e}"))
                    .fact("file", path)
                    .fact("os_error", e.to_string())
                    .help("WSL would run with every default, as if the file were empty"),
            );
            report
        }
    }
}

fn io_failure(path: &str, message: String) -> FileReport {
    FileReport {
        path: path.to_owned(),
        source: None,
        config: None,
        effective: None,
        diagnostics: Vec::new(),
        io_error: Some(message),
    }
}

fn too_large(path: &str, size: u64, max: u64) -> FileReport {
    let mut report = io_failure(path, String::new());
    report.io_error = None;
    report.diagnostics.push(
        Diagnostic::new(
            DiagId::LNT007,
            format!("`{path}` is {size} bytes, more than the limit of {max} bytes; it was not read"),
        )
        .fact("size", size)
        .fact("max_size", max)
        .help("a .wslconfig is a few hundred bytes; raise the limit with `--max-size` if this file is really meant"),
    );
    report
}

/// Inserts lint-only records after the last record at or before their line;
/// records without a line go last. The order of `base` is never changed.
fn merge_by_line(base: Vec<Diagnostic>, extra: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if extra.is_empty() {
        return base;
    }
    let mut out = Vec::with_capacity(base.len() + extra.len());
    let mut extra = extra.into_iter().peekable();
    for d in base {
        while let Some(e) = extra.next_if(|e| e.line.is_some_and(|el| d.line.is_some_and(|dl| el < dl))) {
            out.push(e);
        }
        out.push(d);
    }
    out.extend(extra);
    out
}

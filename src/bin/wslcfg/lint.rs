//! `wslcfg lint`.

use crate::cli::{Format, LintArgs};
use miette::{GraphicalReportHandler, GraphicalTheme};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use wslcfg::diag::{self, DiagId, Severity, report::Report};
use wslcfg::lint::{FileReport, LintOptions, lint_path};

pub fn run(args: LintArgs) -> ExitCode {
    let allowed = match parse_allow(&args.allow) {
        Ok(ids) => ids,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let host = match crate::host::load(&args.host) {
        Ok(host) => host,
        Err(code) => return code,
    };
    let options = LintOptions {
        dialect: args.host.dialect,
        max_size: args.max_size,
        host,
    };
    let paths = if args.paths.is_empty() {
        vec!["-".to_owned()]
    } else {
        args.paths.clone()
    };
    let reports: Vec<FileReport> = paths.iter().map(|p| lint_path(p, &options)).collect();

    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Json => out.write_all(diag::json::to_string(&reports).as_bytes()),
        Format::Sarif => out.write_all(diag::sarif::to_sarif_string(&reports).as_bytes()),
        Format::Human => write_human(&mut out, &reports, args.quiet),
    };
    if let Err(e) = written.and_then(|()| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the report: {e}");
        }
        return ExitCode::from(2);
    }
    for r in &reports {
        if let Some(e) = &r.io_error {
            eprintln!("error: {e}");
        }
    }
    if reports.iter().any(|r| r.io_error.is_some()) {
        return ExitCode::from(2);
    }
    let failing = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .any(|d| d.severity <= Severity::Warning && !allowed.contains(&d.id));
    ExitCode::from(failing as u8)
}

fn parse_allow(ids: &[String]) -> Result<Vec<DiagId>, String> {
    ids.iter()
        .flat_map(|s| s.split(','))
        .map(|s| {
            let s = s.trim();
            diag::ALL
                .iter()
                .find(|i| i.id.as_str().eq_ignore_ascii_case(s) || i.name == s)
                .map(|i| i.id)
                .ok_or_else(|| {
                    let near = diag::ALL
                        .iter()
                        .map(|i| {
                            (
                                strsim::levenshtein(&s.to_ascii_uppercase(), i.id.as_str()),
                                i.id.as_str(),
                            )
                        })
                        .min()
                        .map(|(_, id)| format!(" (did you mean `{id}`?)"))
                        .unwrap_or_default();
                    format!("`--allow {s}`: no such diagnostic id{near}")
                })
        })
        .collect()
}

/// Renders every diagnostic of the reports; `terminal` allows colour (unless `NO_COLOR`).
pub fn write_diagnostics(out: &mut impl Write, reports: &[FileReport], terminal: bool) -> std::io::Result<()> {
    let color = terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    for r in reports {
        let text = r.source.as_ref().map(|s| s.text.as_str());
        for d in &r.diagnostics {
            let mut rendered = String::new();
            let report = Report::new(d, &r.path, text);
            if handler.render_report(&mut rendered, &report).is_err() {
                rendered = format!("{}: {}\n", d.id, d.message());
            }
            // A report without a snippet would not say which file it is about.
            if d.span.is_none() {
                let location = d.line.map(|l| format!(":{l}")).unwrap_or_default();
                writeln!(out, "{}{location}:", r.path)?;
            }
            writeln!(out, "{rendered}")?;
        }
    }
    Ok(())
}

fn write_human(out: &mut impl Write, reports: &[FileReport], quiet: bool) -> std::io::Result<()> {
    if !quiet {
        write_diagnostics(out, reports, std::io::stdout().is_terminal())?;
    }
    let s = diag::json::summary(reports);
    writeln!(
        out,
        "{} file{} checked: {} error{}, {} warning{}, {} advice",
        s.files,
        plural(s.files),
        s.errors,
        plural(s.errors),
        s.warnings,
        plural(s.warnings),
        s.advice
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

//! `wslcfg set FILE KEY VALUE` and `wslcfg unset FILE KEY` (spec writer.md).

use crate::cli::{EditOutput, SetArgs, UnsetArgs};
use std::io::Write;
use std::process::ExitCode;
use wslcfg::diag::{Diagnostic, report::Report};
use wslcfg::edit::{self, EditOptions, Eol, Refusal, Request, Target, udiff};
use wslcfg::registry::Dialect;
use wslcfg::syntax::Source;

pub fn run_set(args: SetArgs) -> ExitCode {
    let request = Request::set(&args.key, &args.value, args.dialect);
    run(&args.file, request, args.dialect, args.eol, &args.output, args.max_size)
}

pub fn run_unset(args: UnsetArgs) -> ExitCode {
    let request = Request::unset(&args.key);
    run(
        &args.file,
        request,
        args.dialect,
        Eol::Auto,
        &args.output,
        args.max_size,
    )
}

/// Renders diagnostics to standard error like `lint` renders its findings.
fn report(diagnostics: &[Diagnostic], path: &str, text: Option<&str>) {
    for d in diagnostics {
        crate::host::eprint_report(&Report::new(d, path, text.filter(|_| d.span.is_some())));
    }
}

/// Reports a refusal; the file was not touched.
fn refused(refusal: &Refusal, path: &str) -> ExitCode {
    report(&refusal.diagnostics, path, refusal.text.as_deref());
    eprintln!("error: `{path}` was not changed");
    ExitCode::from(refusal.exit_code())
}

fn run(
    path: &str,
    request: Result<Request, Vec<Diagnostic>>,
    dialect: Dialect,
    eol: Eol,
    output: &EditOutput,
    max_size: u64,
) -> ExitCode {
    // The command line first: a refused key or value never reads the file.
    let request = match request {
        Ok(r) => r,
        Err(diagnostics) => return refused(&Refusal::new(diagnostics), path),
    };
    let target = match edit::read_target(path, max_size) {
        Ok(t) => t,
        Err(refusal) => return refused(&refusal, path),
    };
    let options = EditOptions { dialect, eol };
    let edited = match edit::edit(path, target.bytes.clone(), &request, &options) {
        Ok(e) => e,
        Err(refusal) => return refused(&refusal, path),
    };
    if output.dry_run || output.stdout {
        if let Err(e) = print(path, &edited, output.dry_run) {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                eprintln!("error: cannot write to standard output: {e}");
            }
            return ExitCode::from(2);
        }
        // The status the real edit would have had.
        return match edited.changed().then(|| edit::preflight(&target)) {
            Some(Err(refusal)) => refused(&refusal, path),
            _ => ExitCode::SUCCESS,
        };
    }
    write(&target, &edited)
}

fn print(path: &str, edited: &edit::Edited, dry_run: bool) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    if dry_run {
        let text = |b: &Option<Vec<u8>>| b.as_ref().map(|b| Source::decode(b.clone()).text).unwrap_or_default();
        let old_name = if edited.before.is_some() { path } else { "/dev/null" };
        let diff = udiff::unified(&text(&edited.before), &text(&edited.after), old_name, path);
        out.write_all(diff.as_bytes())?;
    } else if let Some(bytes) = &edited.after {
        out.write_all(bytes)?;
    }
    out.flush()
}

fn write(target: &Target, edited: &edit::Edited) -> ExitCode {
    let Some(after) = edited.after.as_deref().filter(|_| edited.changed()) else {
        return ExitCode::SUCCESS;
    };
    match edit::commit(target, after) {
        Ok(()) => ExitCode::SUCCESS,
        Err(refusal) => refused(&refusal, &target.path),
    }
}

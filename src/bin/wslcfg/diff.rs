//! `wslcfg diff A B` and `wslcfg diff FILE --host H1 --host H2`.

use crate::cli::{DiffArgs, DiffFormat, HostArgs};
use std::io::Write;
use std::process::ExitCode;
use wslcfg::diff::{Input, compare};
use wslcfg::lint::{DEFAULT_MAX_SIZE, LintOptions};

fn usage(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    eprintln!("usage: wslcfg diff A B [--host H]  |  wslcfg diff FILE --host H1 --host H2");
    ExitCode::from(2)
}

/// One side: its file and its host profile (`--host-set` applies to both).
fn side(args: &DiffArgs, file: &str, host: Option<&String>, label: String) -> Result<Input, ExitCode> {
    let host_args = HostArgs {
        host: host.cloned(),
        host_set: args.host_set.clone(),
        dialect: args.dialect,
    };
    let profile = crate::host::load(&host_args)?;
    let bytes = match crate::compile::read_input(Some(file), DEFAULT_MAX_SIZE)? {
        Some(b) if b.len() as u64 > DEFAULT_MAX_SIZE => {
            eprintln!("error: `{file}` is larger than {DEFAULT_MAX_SIZE} bytes");
            return Err(ExitCode::from(2));
        }
        b => b,
    };
    Ok(Input {
        label,
        path: file.to_owned(),
        bytes,
        options: LintOptions {
            dialect: args.dialect,
            host: profile,
            ..LintOptions::default()
        },
        host: host.cloned(),
    })
}

pub fn run(args: DiffArgs) -> ExitCode {
    let sides = match (args.files.as_slice(), args.host.as_slice()) {
        ([a, b], hosts) if hosts.len() <= 1 => (
            side(&args, a, hosts.first(), a.clone()),
            side(&args, b, hosts.first(), b.clone()),
        ),
        ([_, _], _) => return usage("comparing two files takes at most one `--host`"),
        ([file], [h1, h2]) => (
            side(&args, file, Some(h1), format!("{file} on {h1}")),
            side(&args, file, Some(h2), format!("{file} on {h2}")),
        ),
        ([_], _) => return usage("comparing one file on two hosts takes exactly two `--host`"),
        _ => return usage("give two files, or one file and two `--host`"),
    };
    let (left, right) = match sides {
        (Ok(l), Ok(r)) => (l, r),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let comparison = match compare(left, right, args.emit) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let text = match args.format {
        DiffFormat::Human => comparison.to_human(),
        DiffFormat::Json => comparison.to_json(),
    };
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the comparison: {e}");
        }
        return ExitCode::from(2);
    }
    ExitCode::from(if comparison.equal { 0 } else { 1 })
}

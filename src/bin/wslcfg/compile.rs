//! `wslcfg compile`.

use crate::cli::{CompileArgs, Emit};
use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;
use wslcfg::compile::{Compilation, compile};
use wslcfg::lint::LintOptions;

/// Reads the configuration: `None` = no file (every default).
pub fn read_input(path: Option<&str>, max_size: u64) -> Result<Option<Vec<u8>>, ExitCode> {
    let Some(path) = path else { return Ok(None) };
    let mut bytes = Vec::new();
    let read = if path == "-" {
        std::io::stdin().take(max_size + 1).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(max_size + 1).read_to_end(&mut bytes))
    };
    match read {
        Ok(_) => Ok(Some(bytes)),
        Err(e) => {
            eprintln!("error: cannot read `{path}`: {e}");
            Err(ExitCode::from(2))
        }
    }
}

pub fn run(args: CompileArgs) -> ExitCode {
    let host = match crate::host::load(&args.host) {
        Ok(h) => h,
        Err(code) => return code,
    };
    let bytes = match read_input(args.file.as_deref(), args.max_size) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let options = LintOptions {
        dialect: args.host.dialect,
        max_size: args.max_size,
        host,
    };
    let path = args.file.clone().unwrap_or_else(|| "(no file)".to_owned());
    let compilation = compile(&path, bytes, &options, args.target);

    let mut err = std::io::stderr().lock();
    let _ = crate::lint::write_diagnostics(
        &mut err,
        std::slice::from_ref(&compilation.report),
        std::io::stderr().is_terminal(),
    );
    if compilation.plan.is_none() {
        let _ = writeln!(err, "error: compilation failed; nothing was written");
        return ExitCode::from(1);
    }
    let result = match &args.out {
        Some(dir) => write_outputs(dir, &compilation),
        None => {
            let text = render(args.emit.unwrap_or(Emit::Plan), &compilation);
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes()).and_then(|()| out.flush())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(2),
        Err(e) => {
            eprintln!("error: cannot write the outputs: {e}");
            ExitCode::from(2)
        }
    }
}

/// One output as text (with a trailing newline).
pub fn render(what: Emit, c: &Compilation) -> String {
    let plan = c.plan.as_ref().expect("rendered only when compiled");
    match what {
        Emit::Plan => plan.to_json(),
        Emit::Hcs => format!("{}\n", wslcfg::emit::compact(&plan.hcs)),
        Emit::Cmdline => format!("{}\n", plan.kernel_command_line),
        Emit::Devices => pretty(&plan.devices),
        Emit::Effective => pretty(&plan.effective),
    }
}

/// Pretty JSON with a trailing newline.
fn pretty(value: &impl serde::Serialize) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("outputs serialize");
    s.push('\n');
    s
}

/// Writes the four files atomically (`wslcfg::output::write_files`): all are
/// staged as temporary files in `dir` and flushed to disk before the first is
/// renamed into place, so a failure leaves the previous outputs intact and no
/// partial file behind.
fn write_outputs(dir: &str, c: &Compilation) -> std::io::Result<()> {
    let files = [
        ("plan.json", render(Emit::Plan, c)),
        ("hcs.json", render(Emit::Hcs, c)),
        ("cmdline.txt", render(Emit::Cmdline, c)),
        ("devices.json", render(Emit::Devices, c)),
    ];
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    wslcfg::output::write_files(std::path::Path::new(dir), &files)
}

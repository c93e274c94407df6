//! `--host`, `--host-set`: the host profile from the command line.

use crate::cli::HostArgs;
use miette::{GraphicalReportHandler, GraphicalTheme};
use std::io::IsTerminal;
use std::process::ExitCode;
use wslcfg::host::{self, HostProfile};

/// Renders a miette diagnostic to standard error the way `lint` renders to standard output.
pub fn eprint_report(report: &dyn miette::Diagnostic) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut out = String::new();
    if GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .render_report(&mut out, report)
        .is_err()
    {
        out = format!("{report}\n");
    }
    eprint!("{out}");
}

/// The embedded default, then `--host FILE`, then each `--host-set` in order.
/// A bad host file or override is a usage error (exit 2).
pub fn load(args: &HostArgs) -> Result<HostProfile, ExitCode> {
    let mut profile = match &args.host {
        None => HostProfile::default(),
        Some(path) => {
            let text = match std::fs::read_to_string(path) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: cannot read the host profile `{path}`: {e}");
                    return Err(ExitCode::from(2));
                }
            };
            host::from_json(&text, path).map_err(|e| {
                eprint_report(&e);
                ExitCode::from(2)
            })?
        }
    };
    for assignment in &args.host_set {
        host::set(&mut profile, assignment).map_err(|e| {
            eprint_report(&e);
            ExitCode::from(2)
        })?;
    }
    Ok(profile)
}

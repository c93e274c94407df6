//! `wslcfg lsp`: the language server over standard input and output (docs/editors.md).

use crate::cli::LspArgs;
use std::process::ExitCode;

pub fn run(_args: LspArgs) -> ExitCode {
    match wslcfg::lsp::run_stdio() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

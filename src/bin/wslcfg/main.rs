//! The `wslcfg` command line: a thin front end over the library.

mod cli;
mod compile;
mod diff;
mod edit;
mod explain;
mod host;
mod lint;
mod lsp;

use clap::{CommandFactory, Parser};
use cli::{Cli, Command};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Lint(args) => lint::run(args),
        Command::Compile(args) => compile::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Set(args) => edit::run_set(args),
        Command::Unset(args) => edit::run_unset(args),
        Command::Diff(args) => diff::run(args),
        Command::Lsp(args) => lsp::run(args),
        Command::Keys => {
            print!("{}", wslcfg::docs::keys_table());
            ExitCode::SUCCESS
        }
        Command::Schema { which } => {
            println!("{}", wslcfg::docs::schema(which.as_str()));
            ExitCode::SUCCESS
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "wslcfg", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man => match clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
    }
}

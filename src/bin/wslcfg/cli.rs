//! The command-line grammar (one clap `Command` for parsing, completions and
//! the man page).

use clap::{Args, Parser, Subcommand, ValueEnum};
use wslcfg::registry::Dialect;

/// A compiler and linter for WSL 2 `.wslconfig` files.
#[derive(Parser)]
#[command(name = "wslcfg", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Check .wslconfig files and report every problem WSL would see, and more.
    Lint(LintArgs),
    /// List every key of .wslconfig with its type, default and meaning.
    Keys,
    /// Print a JSON Schema.
    Schema {
        #[arg(value_enum)]
        which: SchemaKind,
    },
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SchemaKind {
    /// The output of `lint --format json`.
    Lint,
}

impl SchemaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SchemaKind::Lint => "lint",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Annotated source snippets for people.
    Human,
    /// The JSON contract for tooling (`wslcfg schema lint`).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
}

#[derive(Args)]
pub struct LintArgs {
    /// Files to check; `-` or nothing reads standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Which WSL to follow where the seed pull request and upstream differ.
    #[arg(long, value_enum, default_value = "seed")]
    pub dialect: Dialect,
    /// Accept findings with this id: they are still reported but do not fail the run (repeatable).
    #[arg(long, value_name = "ID")]
    pub allow: Vec<String>,
    /// Print only the summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Refuse files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = wslcfg::lint::DEFAULT_MAX_SIZE)]
    pub max_size: u64,
}

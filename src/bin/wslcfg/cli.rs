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
    /// Compile a .wslconfig and a host profile into the plan WSL would run.
    Compile(CompileArgs),
    /// Explain why a key has its effective value: default, file line, passes.
    Explain(ExplainArgs),
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
    /// The plan document (`compile --emit plan`, `plan.json`).
    Plan,
    /// A host profile file (`--host FILE`).
    Host,
    /// The HCS ComputeSystem document wslcfg writes (`hcs.json`).
    Hcs,
}

impl SchemaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SchemaKind::Lint => "lint",
            SchemaKind::Plan => "plan",
            SchemaKind::Host => "host",
            SchemaKind::Hcs => "hcs",
        }
    }
}

/// The host the passes run against, and the dialect.
#[derive(Args, Clone)]
pub struct HostArgs {
    /// A host profile (JSON); fields it leaves out keep the embedded default (docs/host.md).
    #[arg(long, value_name = "FILE")]
    pub host: Option<String>,
    /// Override one host field, e.g. `windows.build=19045` (repeatable, applied in order after --host).
    #[arg(long = "host-set", value_name = "PATH=VALUE")]
    pub host_set: Vec<String>,
    /// Which WSL to follow where the seed pull request and upstream differ.
    #[arg(long, value_enum, default_value = "seed")]
    pub dialect: Dialect,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Emit {
    /// The whole plan (JSON).
    Plan,
    /// The HCS ComputeSystem document (compact, keys sorted).
    Hcs,
    /// The guest kernel command line.
    Cmdline,
    /// The virtio device records (JSON).
    Devices,
    /// Every key's effective value after the passes (JSON).
    Effective,
}

#[derive(Args)]
pub struct CompileArgs {
    /// The .wslconfig; `-` reads standard input; none compiles the defaults.
    #[arg(value_name = "FILE")]
    pub file: Option<String>,
    #[command(flatten)]
    pub host: HostArgs,
    #[arg(long, value_enum, default_value = "wsl2")]
    pub target: wslcfg::compile::Target,
    /// Write plan.json, hcs.json, cmdline.txt and devices.json into this directory (atomically).
    #[arg(short, long, value_name = "DIR", conflicts_with = "emit")]
    pub out: Option<String>,
    /// Print one output to standard output (default: plan).
    #[arg(long, value_enum)]
    pub emit: Option<Emit>,
    /// Refuse files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = wslcfg::lint::DEFAULT_MAX_SIZE)]
    pub max_size: u64,
}

#[derive(Args)]
pub struct ExplainArgs {
    /// The key, e.g. `wsl2.networkingMode` (any alias, any letter case).
    pub key: String,
    /// The .wslconfig; `-` reads standard input; none explains the defaults.
    #[arg(value_name = "FILE")]
    pub file: Option<String>,
    #[command(flatten)]
    pub host: HostArgs,
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
    #[command(flatten)]
    pub host: HostArgs,
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

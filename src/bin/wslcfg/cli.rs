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
    /// Set one key of a .wslconfig, keeping every other byte of the file.
    Set(SetArgs),
    /// Remove every line of one key from a .wslconfig.
    Unset(UnsetArgs),
    /// Compare the effective configurations of two files, or of one file on two hosts.
    Diff(DiffArgs),
    /// Run the language server for editors (LSP over standard input and output).
    Lsp(LspArgs),
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

/// Where an edit goes instead of the file.
#[derive(Args)]
pub struct EditOutput {
    /// Print a unified diff of the change and write nothing.
    #[arg(long, conflicts_with = "stdout")]
    pub dry_run: bool,
    /// Print the whole new file to standard output and write nothing.
    #[arg(long)]
    pub stdout: bool,
}

#[derive(Args)]
pub struct SetArgs {
    /// The .wslconfig to edit; it is created when it does not exist.
    #[arg(value_name = "FILE")]
    pub file: String,
    /// The key, e.g. `wsl2.memory` (any alias, any letter case).
    pub key: String,
    /// The value as you mean it (`8GB`, `C:\Users\me\kernel`, `mirrored`); wslcfg escapes and quotes it.
    #[arg(allow_hyphen_values = true)]
    pub value: String,
    /// Which WSL to follow where the seed pull request and upstream differ.
    #[arg(long, value_enum, default_value = "seed")]
    pub dialect: Dialect,
    /// The line break of inserted lines: the file's first one (auto), LF or CRLF.
    #[arg(long, value_enum, default_value = "auto")]
    pub eol: wslcfg::edit::Eol,
    #[command(flatten)]
    pub output: EditOutput,
    /// Refuse files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = wslcfg::lint::DEFAULT_MAX_SIZE)]
    pub max_size: u64,
}

#[derive(Args)]
pub struct UnsetArgs {
    /// The .wslconfig to edit; nothing happens when it does not exist.
    #[arg(value_name = "FILE")]
    pub file: String,
    /// The key, e.g. `wsl2.memory` (any alias, any letter case); every line of it goes.
    pub key: String,
    /// Which WSL to follow where the seed pull request and upstream differ.
    #[arg(long, value_enum, default_value = "seed")]
    pub dialect: Dialect,
    #[command(flatten)]
    pub output: EditOutput,
    /// Refuse files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = wslcfg::lint::DEFAULT_MAX_SIZE)]
    pub max_size: u64,
}

/// The language server takes its settings from the editor (docs/editors.md).
#[derive(Args)]
pub struct LspArgs {
    /// Speak over standard input and output (the only transport; accepted because
    /// editor clients commonly pass it).
    #[arg(long)]
    pub stdio: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// One line per key that differs, with where each value came from.
    Human,
    /// The whole comparison as JSON.
    Json,
}

#[derive(Args)]
pub struct DiffArgs {
    /// Two .wslconfig files, or one with two `--host`.
    #[arg(value_name = "FILE", num_args = 1..=2, required = true)]
    pub files: Vec<String>,
    /// A host profile (JSON): once for two files, twice for one file on two hosts.
    #[arg(long, value_name = "FILE")]
    pub host: Vec<String>,
    /// Override one host field on both sides, e.g. `windows.build=19045` (repeatable).
    #[arg(long = "host-set", value_name = "PATH=VALUE")]
    pub host_set: Vec<String>,
    /// Which WSL to follow where the seed pull request and upstream differ.
    #[arg(long, value_enum, default_value = "seed")]
    pub dialect: Dialect,
    /// Also compare the emitted artifacts: kernel command line, HCS JSON, device strings.
    #[arg(long)]
    pub emit: bool,
    #[arg(long, value_enum, default_value = "human")]
    pub format: DiffFormat,
}

//! wslcfg: a declarative compiler and linter for WSL 2 `.wslconfig` files.
//!
//! Data flows one way: [`syntax`] (bytes → lossless tree) → [`bind`] (tree →
//! typed configuration through the one key [`registry`]) → passes → emit →
//! plan. [`diag`] holds the diagnostic record every stage reports with, and
//! [`lint`] puts the front end together for the `lint` command.

pub mod bind;
pub mod compile;
pub mod diag;
pub mod diff;
pub mod docs;
pub mod edit;
pub mod emit;
#[doc(hidden)]
pub mod fuzzing;
pub mod host;
pub mod ide;
/// The launcher (`wslcfg-launch`): boots a VM from a plan; depends on [`plan`] only.
pub mod launch;
pub mod lint;
/// The language server (`wslcfg lsp`); the `lsp` feature.
#[cfg(feature = "lsp")]
pub mod lsp;
pub mod output;
pub mod passes;
pub mod plan;
pub mod registry;
pub mod syntax;

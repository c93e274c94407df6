//! `wslcfg explain KEY [FILE]`.

use crate::cli::ExplainArgs;
use std::process::ExitCode;
use wslcfg::lint::{LintOptions, lint_bytes};
use wslcfg::registry;

pub fn run(args: ExplainArgs) -> ExitCode {
    // A bare key name is accepted when exactly one key (or alias) has it.
    let by_leaf = || {
        let mut found = registry::ids().filter(|id| {
            id.spec().names.iter().any(|n| {
                n.split_once('.')
                    .is_some_and(|(_, leaf)| leaf.eq_ignore_ascii_case(&args.key))
            })
        });
        found.next().filter(|_| found.next().is_none())
    };
    let Some(key) = registry::lookup(&args.key).or_else(by_leaf) else {
        let hint = wslcfg::bind::suggest::nearest(&args.key)
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        eprintln!(
            "error: `{}` is not a .wslconfig key{hint}; `wslcfg keys` lists them",
            args.key
        );
        return ExitCode::from(2);
    };
    let host = match crate::host::load(&args.host) {
        Ok(h) => h,
        Err(code) => return code,
    };
    let bytes = match crate::compile::read_input(args.file.as_deref(), wslcfg::lint::DEFAULT_MAX_SIZE) {
        Ok(b) => b.unwrap_or_default(),
        Err(code) => return code,
    };
    let path = args.file.clone().unwrap_or_else(|| "(no file)".to_owned());
    let options = LintOptions {
        dialect: args.host.dialect,
        host,
        ..LintOptions::default()
    };
    let report = lint_bytes(&path, bytes, &options);
    let Some(text) = wslcfg::ide::explain_text(&report, key, &path) else {
        eprintln!("error: the configuration does not load (an invalid MAC address stops WSL); run `wslcfg lint`");
        return ExitCode::from(1);
    };
    print!("{text}");
    ExitCode::SUCCESS
}

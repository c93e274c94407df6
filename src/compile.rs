//! The whole compiler: front end (lint's), VM-build passes, runtime rule R1,
//! the emitters, and the sealed plan.

use crate::diag::{DiagId, Diagnostic, Severity, json};
use crate::emit;
use crate::lint::{FileReport, LintOptions, lint_bytes};
use crate::passes::{self, Effective, Origin, Step, VmBuild};
use crate::plan::{FORMAT_VERSION, HistoryStep, Plan, PlanDiagnostic};
use crate::registry::{self, Dialect};
use serde::Serialize;
use std::collections::BTreeMap;

/// What to build.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Target {
    /// A WSL 2 VM from .wslconfig.
    #[default]
    Wsl2,
    /// A WSLC container session (reads no .wslconfig).
    Wslc,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Wsl2 => "wsl2",
            Target::Wslc => "wslc",
        }
    }
}

/// The outcome of one compilation.
pub struct Compilation {
    /// The front end's report; its diagnostics are all of the compilation's.
    pub report: FileReport,
    pub vm: Option<VmBuild>,
    /// `None` when an error stopped the compilation.
    pub plan: Option<Plan>,
}

impl Compilation {
    pub fn effective(&self) -> Option<&Effective> {
        self.report.effective.as_ref()
    }

    pub fn failed(&self) -> bool {
        self.plan.is_none()
    }
}

/// Compiles a configuration (`None`: no file, every default) for a host.
pub fn compile(path: &str, bytes: Option<Vec<u8>>, options: &LintOptions, target: Target) -> Compilation {
    if target == Target::Wslc {
        return compile_wslc(path, bytes.is_some(), options);
    }
    let mut report = lint_bytes(path, bytes.unwrap_or_default(), options);
    let fatal = report.diagnostics.iter().any(|d| d.severity == Severity::Error);
    let Some(eff) = report.effective.take() else {
        return Compilation {
            report,
            vm: None,
            plan: None,
        };
    };
    let (vm, plan) = if fatal {
        (None, None)
    } else {
        build_and_emit(&eff, &mut report, path, options)
    };
    report.effective = Some(eff);
    Compilation { report, vm, plan }
}

/// V1–V10, R1, the emitters and the seal, for a configuration without errors.
fn build_and_emit(
    eff: &Effective,
    report: &mut FileReport,
    path: &str,
    options: &LintOptions,
) -> (Option<VmBuild>, Option<Plan>) {
    let host = &options.host;
    let dialect = options.dialect;
    let outcome = passes::build(eff, host, path);
    report.diagnostics.extend(outcome.diagnostics);
    let Some(vm) = outcome.vm else {
        return (None, None);
    };
    let bad = emit::check_device_values(eff, &vm, host, dialect);
    if !bad.is_empty() {
        report.diagnostics.extend(bad.into_iter().map(unsafe_value));
        return (Some(vm), None);
    }
    if emit::runtime_swiotlb_unsupported(eff, host, dialect) {
        report.diagnostics.push(
            Diagnostic::new(
                DiagId::RUN001,
                "the guest kernel does not support the swiotlb pool: no device gets a swiotlb token",
            )
            .help("the kernel command line still asks for the pool; use a kernel with the hv_pci swiotlb patch"),
        );
    }
    let cmdline = emit::wsl2_cmdline(eff, &vm, host, dialect);
    let hcs = emit::wsl2_hcs(eff, &vm, host, dialect);
    let devices = emit::wsl2_devices(eff, &vm, host, dialect);
    let plan = seal(dialect, Target::Wsl2, hcs, cmdline, devices, Some(eff), report);
    (Some(vm), Some(plan))
}

fn compile_wslc(path: &str, has_file: bool, options: &LintOptions) -> Compilation {
    let host = &options.host;
    let dialect = options.dialect;
    let mut report = lint_bytes(path, Vec::new(), options);
    report.diagnostics.clear();
    report.effective = None;
    if has_file {
        report.diagnostics.push(Diagnostic::new(
            DiagId::CMP004,
            format!("`--target wslc` reads no .wslconfig; `{path}` is ignored"),
        ));
    }
    let bad = emit::check_wslc_device_values(host, dialect);
    if !bad.is_empty() {
        report.diagnostics.extend(bad.into_iter().map(unsafe_value));
        return Compilation {
            report,
            vm: None,
            plan: None,
        };
    }
    let plan = seal(
        dialect,
        Target::Wslc,
        emit::wslc_hcs(host, dialect),
        emit::wslc_cmdline(host, dialect),
        emit::wslc_devices(host, dialect),
        None,
        &report,
    );
    Compilation {
        report,
        vm: None,
        plan: Some(plan),
    }
}

fn unsafe_value(bad: emit::BadDeviceValue) -> Diagnostic {
    Diagnostic::new(
        DiagId::CMP002,
        format!(
            "`{}` = `{}` would land in a device option string: {}",
            bad.source,
            bad.value.escape_debug(),
            bad.problem
        ),
    )
    .value(bad.value)
    .fact("source", bad.source)
    .help("device option strings are `;`-separated `key=value` pieces; change the value")
}

fn seal(
    dialect: Dialect,
    target: Target,
    hcs: serde_json::Value,
    kernel_command_line: String,
    devices: Vec<crate::plan::DeviceRecord>,
    eff: Option<&Effective>,
    report: &FileReport,
) -> Plan {
    let mut provenance = BTreeMap::new();
    if let Some(eff) = eff {
        for id in registry::ids() {
            let history = eff.history(id);
            // A key at its host-independent default says nothing a reader of
            // docs/keys.md does not know: the plan leaves it out.
            let simply_default = id.spec().default.is_constant()
                && matches!(
                    history,
                    [Step {
                        origin: Origin::Default { .. },
                        ..
                    }]
                );
            if !simply_default {
                provenance.insert(id.spec().name().to_owned(), history.iter().map(history_step).collect());
            }
        }
    }
    Plan {
        format_version: FORMAT_VERSION,
        dialect: dialect.as_str().to_owned(),
        target: target.as_str().to_owned(),
        hcs,
        kernel_command_line,
        devices,
        effective: eff.map(Effective::to_json).unwrap_or_default(),
        provenance,
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| {
                let r = json::record(d, report.source.as_ref());
                PlanDiagnostic {
                    id: r.id,
                    severity: d.severity.as_str().to_owned(),
                    message: r.message,
                    line: r.line,
                    key: r.key,
                    value: r.value,
                    facts: r.facts,
                }
            })
            .collect(),
        digest: String::new(),
    }
    .seal()
}

/// A step of a value's history as the plan holds it.
fn history_step(step: &Step) -> HistoryStep {
    let value = step.value.clone();
    match &step.origin {
        Origin::Default { rule } => HistoryStep::Default {
            rule: rule.to_string(),
            value,
        },
        Origin::File { line, key } => HistoryStep::File {
            line: *line,
            key: key.clone(),
            value,
        },
        Origin::Pass { pass, reason } => HistoryStep::Pass {
            pass: pass.clone(),
            reason: reason.clone(),
            value,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_history_steps_serialize_as_the_steps_do() {
        // Default, file and pass steps: the same JSON, member order included.
        let options = LintOptions::default();
        let c = compile(
            "t",
            Some(b"[wsl2]\nprocessors=64\nmemory=4GB\n".to_vec()),
            &options,
            Target::Wsl2,
        );
        let eff = c.effective().expect("effective");
        let mut kinds = std::collections::BTreeSet::new();
        for id in registry::ids() {
            for step in eff.history(id) {
                let typed = history_step(step);
                let serialized = serde_json::to_value(step).unwrap();
                assert_eq!(typed.to_value(), serialized);
                assert_eq!(
                    serde_json::to_string(&typed).unwrap(),
                    serde_json::to_string(&serialized).unwrap()
                );
                assert_eq!(HistoryStep::from_value(serialized), typed);
                kinds.insert(
                    serde_json::to_value(&typed).unwrap()["kind"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                );
            }
        }
        assert_eq!(kinds.into_iter().collect::<Vec<_>>(), ["default", "file", "pass"]);
    }

    #[test]
    fn provenance_leaves_out_keys_simply_at_their_default() {
        let c = compile(
            "t",
            Some(b"[wsl2]\nprocessors=64\nfirewall=true\n".to_vec()),
            &LintOptions::default(),
            Target::Wsl2,
        );
        let plan = c.plan.expect("compiles");
        let eff = c.report.effective.as_ref().expect("effective");
        for id in registry::ids() {
            let name = id.spec().name();
            let history = eff.history(id);
            let simple = id.spec().default.is_constant() && history.len() == 1;
            assert_eq!(plan.provenance.contains_key(name), !simple, "{name}: {history:?}");
        }
        // Set in the file (even to the default value), changed by a pass,
        // or defaulted by a host-dependent rule: listed.
        assert!(plan.provenance.contains_key("wsl2.firewall"));
        assert!(plan.provenance.contains_key("wsl2.processors"));
        assert!(plan.provenance.contains_key("wsl2.memory"));
        // A host-independent default: not listed.
        assert!(!plan.provenance.contains_key("wsl2.debugConsole"));
    }
}

//! SARIF output: its structure, and Microsoft's validator (`sarif-multitool
//! validate`) on every fixture and corpus file.
//!
//! The validator test needs the tool: run `scripts/install-sarif-multitool.sh`
//! (or point `SARIF_MULTITOOL` at a `sarif-multitool` executable). Without it
//! the test is skipped, except under CI (`CI` set), where it fails.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;
use wslcfg::diag::sarif::{to_sarif, to_sarif_string};
use wslcfg::diag::{ALL, DiagId};
use wslcfg::lint::{FileReport, LintOptions, lint_bytes, lint_path};

fn lint(path: &str, text: &[u8]) -> FileReport {
    lint_bytes(path, text.to_vec(), &LintOptions::default())
}

fn run(log: &Value) -> &Value {
    assert_eq!(log["runs"].as_array().unwrap().len(), 1);
    &log["runs"][0]
}

#[test]
fn structure_of_a_small_log() {
    let log = to_sarif(&[lint("fixtures/small.wslconfig", b"[wsl2]\nfoo=1\nmemory=4gb\n")]);
    assert_eq!(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
    assert_eq!(log["version"], "2.1.0");
    let run = run(&log);

    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "wslcfg");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), ALL.len());
    let key001 = &rules[ALL.iter().position(|i| i.id == DiagId::KEY001).unwrap()];
    assert_eq!(key001["id"], "KEY001");
    assert_eq!(key001["name"], "UnknownKey");
    assert_eq!(key001["defaultConfiguration"]["level"], "warning");
    assert_eq!(
        key001["helpUri"],
        "https://github.com/wslcfg/wslcfg/blob/main/docs/diagnostics.md#key001"
    );
    assert_eq!(key001["properties"]["upstream"], true);
    let lnt002 = rules.iter().find(|r| r["id"] == "LNT002").unwrap();
    assert_eq!(lnt002["defaultConfiguration"]["level"], "note");
    assert_eq!(lnt002["properties"]["upstream"], false);

    let artifacts = run["artifacts"].as_array().unwrap();
    assert_eq!(artifacts.len(), 1);
    assert_eq!(artifacts[0]["location"]["uri"], "fixtures/small.wslconfig");
    assert_eq!(artifacts[0]["location"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(artifacts[0]["encoding"], "UTF-8");
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);

    let results = run["results"].as_array().unwrap();
    let summary: Vec<_> = results
        .iter()
        .map(|r| {
            let region = &r["locations"][0]["physicalLocation"]["region"];
            (
                r["ruleId"].as_str().unwrap(),
                r["level"].as_str().unwrap(),
                region["startLine"].as_u64().unwrap(),
                region["startColumn"].as_u64().unwrap(),
                region["endColumn"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [("KEY001", "warning", 2, 1, 4), ("VAL003", "warning", 3, 8, 11)]
    );
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        let location = &r["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(location["uri"], "fixtures/small.wslconfig");
        assert_eq!(location["index"], 0);
        let text = r["message"]["text"].as_str().unwrap();
        assert!(text.ends_with(['.', '?', '!']), "{text}");
    }
    // The help becomes a second sentence of the message.
    assert!(
        results[1]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("did you mean `4GB`?")
    );
    let fingerprints: Vec<_> = results.iter().map(|r| &r["partialFingerprints"]["wslcfg/v1"]).collect();
    assert!(fingerprints.iter().all(|f| f.as_str().is_some_and(|f| f.len() == 16)));
    assert_ne!(fingerprints[0], fingerprints[1]);
}

#[test]
fn related_locations_and_fingerprints() {
    let text = b"[wsl2]\nmemory=4GB\nswap=0\nmemory=8GB\n";
    let log = to_sarif(&[lint("a.wslconfig", text)]);
    let result = &run(&log)["results"][0];
    assert_eq!(result["ruleId"], "KEY002");
    assert_eq!(result["locations"][0]["physicalLocation"]["region"]["startLine"], 4);
    let related = &result["relatedLocations"][0];
    assert_eq!(related["id"], 0);
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 2);
    assert_eq!(related["physicalLocation"]["artifactLocation"]["index"], 0);
    assert!(related["message"]["text"].as_str().unwrap().ends_with('.'));

    // Lines added above a finding do not change its fingerprint.
    let fingerprint = &result["partialFingerprints"];
    let moved = to_sarif(&[lint(
        "a.wslconfig",
        b"# comment\n\n[wsl2]\nmemory=4GB\nswap=0\nmemory=8GB\n",
    )]);
    assert_eq!(&run(&moved)["results"][0]["partialFingerprints"], fingerprint);
    // The same finding twice in one file gets two fingerprints.
    let twice = to_sarif(&[lint("a.wslconfig", b"[wsl2]\nfoo=1\nfoo=2\n")]);
    let results = run(&twice)["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_ne!(results[0]["partialFingerprints"], results[1]["partialFingerprints"]);
}

#[test]
fn continued_value_keeps_the_physical_line() {
    // WSL counts a continued value's line as the line it ends on.
    let log = to_sarif(&[lint("c.wslconfig", b"[wsl2]\nfoo=a\\\nb\n")]);
    let result = &run(&log)["results"][0];
    assert_eq!(result["ruleId"], "KEY001");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 2);
    assert_eq!(region["startColumn"], 1);
    assert_eq!(result["properties"]["wslLine"], 3);
}

#[test]
fn unreadable_and_oversized_files() {
    let missing = lint_path("tests/no-such-file.wslconfig", &LintOptions::default());
    let directory = lint_path("tests", &LintOptions::default());
    let options = LintOptions {
        max_size: 4,
        ..LintOptions::default()
    };
    let large = lint_bytes("large.wslconfig", b"[wsl2]\n".to_vec(), &options);
    let log = to_sarif(&[missing, directory, large]);
    let run = run(&log);

    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notifications = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notifications.len(), 2);
    for n in notifications {
        assert_eq!(n["level"], "error");
        assert!(n["message"]["text"].as_str().unwrap().ends_with('.'));
    }
    assert_eq!(
        notifications[1]["locations"][0]["physicalLocation"]["artifactLocation"]["index"],
        1
    );
    assert_eq!(run["artifacts"].as_array().unwrap().len(), 3);

    // Findings about a whole file sit on line 1 (GitHub needs a startLine).
    let results = run["results"].as_array().unwrap();
    let ids: Vec<_> = results.iter().map(|r| r["ruleId"].as_str().unwrap()).collect();
    assert_eq!(ids, ["FIL001", "LNT007"]);
    for r in results {
        assert_eq!(r["locations"][0]["physicalLocation"]["region"]["startLine"], 1);
    }
    assert_eq!(results[1]["level"], "error");
}

#[test]
fn paths_and_encodings() {
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend("[wsl2]\r\nfoo=1\r\n".encode_utf16().flat_map(u16::to_le_bytes));
    let log = to_sarif(&[
        lint("./dir/my file.wslconfig", &utf16),
        lint("/home/me/.wslconfig", b"[wsl2]\n"),
        lint(r"C:\Users\me\.wslconfig", b"\xEF\xBB\xBF[wsl2]\n"),
    ]);
    let run = run(&log);
    let artifacts = run["artifacts"].as_array().unwrap();
    let uris: Vec<_> = artifacts
        .iter()
        .map(|a| a["location"]["uri"].as_str().unwrap())
        .collect();
    assert_eq!(
        uris,
        [
            "dir/my%20file.wslconfig",
            "file:///home/me/.wslconfig",
            "file:///C:/Users/me/.wslconfig"
        ]
    );
    assert_eq!(artifacts[0]["encoding"], "UTF-16");
    assert_eq!(artifacts[0]["properties"]["wslcfgEncoding"], "utf-16le-bom");
    assert!(artifacts[1]["location"]["uriBaseId"].is_null());
    assert_eq!(artifacts[2]["encoding"], "UTF-8");
    let region = &run["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (&region["startLine"], &region["startColumn"]),
        (&Value::from(2), &Value::from(1))
    );
    assert!(run["originalUriBaseIds"]["%SRCROOT%"].is_object());
}

#[test]
fn string_and_value_agree() {
    let reports = [lint("x.wslconfig", b"[wsl2]\nfoo=1\n")];
    let parsed: Value = serde_json::from_str(&to_sarif_string(&reports)).unwrap();
    assert_eq!(parsed, to_sarif(&reports));
}

// ---------------------------------------------------------------------------
// Microsoft's validator.

/// Validator configuration: the SARIF rules plus GitHub code scanning's
/// (`Ghas`, off by default), and no SARIF2006, which fetches every URI in the
/// log over the network (it reports only notes, and the documentation pages
/// the `helpUri`s point at need not be published yet).
const VALIDATOR_CONFIG: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<Properties>
  <Properties Key="CoreSettings.Options">
    <Property Key="RuleKinds" Type="RuleKindSet">
      <Item>Sarif</Item>
      <Item>Ghas</Item>
    </Property>
    <Property Key="FailureLevels" Type="FailureLevelSet">
      <Item>Error</Item>
      <Item>Warning</Item>
    </Property>
  </Properties>
  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">
    <Property Key="RuleEnabled" Value="Disabled" Type="Driver.RuleEnabledState" />
  </Properties>
GH_RULES</Properties>
"#;

const GH_RULES: &[&str] = &[
    "GH1001.ProvideRequiredLocationProperties",
    "GH1002.InlineThreadFlowLocations",
    "GH1003.ProvideRequiredRegionProperties",
    "GH1004.ReviewArraysThatExceedConfigurableDefaults",
    "GH1005.LocationsMustBeRelativeUrisOrFilePaths",
    "GH1006.ProvideCheckoutPath",
    "GH1007.ProvideFullyFormattedMessageStrings",
    "GH1011.GhasReferenceFinalSchema",
    "GH1013.GhProvideRequiredSarifLogProperties",
    "GH1014.GhasProvideRequiredRunProperties",
    "GH1015.GhasProvideRequiredResultProperties",
    "GH1016.GhasProvideRequiredLocationProperties",
    "GH1017.GhasProvideRequiredPhysicalLocationProperties",
    "GH1018.GhasProvideToolDriver",
    "GH2012.GhasProvideRequiredReportingDescriptorProperties",
];

fn validator_config() -> String {
    let rules: String = GH_RULES
        .iter()
        .map(|r| {
            format!(
                "  <Properties Key=\"{r}.Options\">\n    \
                 <Property Key=\"RuleEnabled\" Value=\"Error\" Type=\"Driver.RuleEnabledState\" />\n  </Properties>\n"
            )
        })
        .collect();
    VALIDATOR_CONFIG.replace("GH_RULES", &rules)
}

/// The validator: `SARIF_MULTITOOL`, else the copy that
/// scripts/install-sarif-multitool.sh puts under target/sarif-tools (its
/// native binary when present: the npm wrapper runs it through a shell).
fn find_validator() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("SARIF_MULTITOOL") {
        return Some(PathBuf::from(path));
    }
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/sarif-tools/node_modules");
    let platform = match std::env::consts::OS {
        "windows" => "win32",
        "macos" => "darwin",
        os => os,
    };
    let native = tools
        .join(format!("@microsoft/sarif-multitool-{platform}"))
        .join(format!("Sarif.Multitool{}", std::env::consts::EXE_SUFFIX));
    let wrapper = tools.join(".bin/sarif-multitool");
    [native, wrapper].into_iter().find(|p| p.is_file())
}

/// Every `.wslconfig` fixture and every corpus file, with paths as a user in
/// the repository root would give them.
fn inputs() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    collect(
        root,
        Path::new("fixtures"),
        &mut |name| name.ends_with(".wslconfig") || name == "wslconfig",
        &mut files,
    );
    collect(
        root,
        Path::new("../shared/corpus/wslconfig"),
        &mut |name| name != "MANIFEST.tsv",
        &mut files,
    );
    files
        .into_iter()
        .map(|rel| {
            let bytes = std::fs::read(root.join(&rel)).unwrap_or_else(|e| panic!("{}: {e}", rel.display()));
            (rel.to_str().unwrap().replace('\\', "/"), bytes)
        })
        .collect()
}

fn collect(root: &Path, dir: &Path, wanted: &mut dyn FnMut(&str) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return;
    };
    let mut entries: Vec<_> = entries.map(|e| e.unwrap()).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let rel = dir.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            collect(root, &rel, wanted, out);
        } else if entry.file_name().to_str().is_some_and(&mut *wanted) {
            out.push(rel);
        }
    }
}

#[test]
fn validator_accepts_every_log() {
    let Some(validator) = find_validator() else {
        let message = "sarif-multitool not found: run scripts/install-sarif-multitool.sh \
                       (or set SARIF_MULTITOOL) to validate the SARIF output";
        if std::env::var_os("CI").is_some() {
            panic!("{message}");
        }
        eprintln!("note: skipping validator_accepts_every_log: {message}");
        return;
    };

    let inputs = inputs();
    assert!(
        inputs.len() >= 200,
        "expected the corpus, found {} inputs",
        inputs.len()
    );
    let reports: Vec<FileReport> = inputs.iter().map(|(path, bytes)| lint(path, bytes)).collect();
    assert!(reports.iter().any(|r| !r.diagnostics.is_empty()));

    let dir = tempfile::tempdir().unwrap();
    let mut logs = Vec::new();
    let mut write = |name: &str, reports: &[FileReport]| {
        let path = dir.path().join(name);
        std::fs::write(&path, to_sarif_string(reports)).unwrap();
        logs.push(path);
    };
    // (i) everything in one log.
    write("all.sarif", &reports);
    // (ii) a few files alone: the first with findings of each level, one without.
    let mut picked = Vec::new();
    for level in [Some("error"), Some("warning"), Some("note"), None] {
        let pick = reports.iter().position(|r| {
            let levels: Vec<_> = to_sarif(std::slice::from_ref(r))["runs"][0]["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["level"].as_str().unwrap().to_owned())
                .collect();
            match level {
                Some(level) => levels.iter().any(|l| l == level),
                None => levels.is_empty(),
            }
        });
        if let Some(i) = pick.filter(|i| !picked.contains(i)) {
            picked.push(i);
        }
    }
    for &i in &picked {
        write(&format!("single-{i}.sarif"), std::slice::from_ref(&reports[i]));
    }
    // (iii) files that could not be read, and one over the size limit.
    let options = LintOptions {
        max_size: 4,
        ..LintOptions::default()
    };
    write(
        "unreadable.sarif",
        &[
            lint_path("tests/no-such-file.wslconfig", &LintOptions::default()),
            lint_path("tests", &LintOptions::default()),
            lint_bytes("large.wslconfig", b"[wsl2]\n".to_vec(), &options),
        ],
    );

    let config = dir.path().join("validator.xml");
    std::fs::write(&config, validator_config()).unwrap();
    let output = dir.path().join("validation.sarif");
    let started = Instant::now();
    let run = Command::new(&validator)
        .arg("validate")
        .arg("--config")
        .arg(&config)
        .arg("--output")
        .arg(&output)
        .args(&logs)
        // The tool is a .NET program: without this it aborts on machines without ICU.
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", validator.display()));
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    eprintln!(
        "{} validated {} logs ({} files) in {:.1?}",
        validator.display(),
        logs.len(),
        reports.len(),
        started.elapsed()
    );
    let context = format!("validator stdout:\n{stdout}\nvalidator stderr:\n{stderr}");
    assert!(run.status.success(), "validator exited with {}\n{context}", run.status);
    assert!(
        stdout.contains(&format!("Done. {} files scanned.", logs.len())),
        "the validator did not scan every log\n{context}"
    );

    let validation: Value = serde_json::from_slice(&std::fs::read(&output).unwrap()).unwrap();
    let problems = problems(&validation);
    assert!(
        problems.is_empty(),
        "the validator found problems:\n{}\n{context}",
        problems.join("\n")
    );
    // The console agrees (apart from the notice about SARIF2006, which is off).
    let console: Vec<_> = stdout
        .lines()
        .chain(stderr.lines())
        .filter(|l| (l.contains(": error ") || l.contains(": warning ")) && !is_sarif2006_notice(l))
        .collect();
    assert!(console.is_empty(), "{}\n{context}", console.join("\n"));
}

fn is_sarif2006_notice(text: &str) -> bool {
    text.contains("RuleExplicitlyDisabled") && text.contains("SARIF2006")
}

/// Every error or warning in the validator's own log: results, and
/// notifications other than the one about SARIF2006 being switched off.
fn problems(validation: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for run in validation["runs"].as_array().unwrap() {
        let rules = run["tool"]["driver"]["rules"].as_array().cloned().unwrap_or_default();
        for result in run["results"].as_array().into_iter().flatten() {
            let rule = rules.iter().find(|r| r["id"] == result["ruleId"]);
            let level = result["level"]
                .as_str()
                .or_else(|| rule.and_then(|r| r["defaultConfiguration"]["level"].as_str()))
                .unwrap_or("warning");
            if level == "error" || level == "warning" {
                let message = &result["message"];
                let text = message["text"]
                    .as_str()
                    .map_or_else(|| message.to_string(), str::to_owned);
                problems.push(format!("{level} {}: {text}", result["ruleId"].as_str().unwrap_or("?")));
            }
        }
        for invocation in run["invocations"].as_array().into_iter().flatten() {
            if invocation["executionSuccessful"] != true {
                problems.push(format!("execution failed: {invocation}"));
            }
            for kind in ["toolConfigurationNotifications", "toolExecutionNotifications"] {
                for n in invocation[kind].as_array().into_iter().flatten() {
                    let level = n["level"].as_str().unwrap_or("warning");
                    let id = n["descriptor"]["id"].as_str().unwrap_or("");
                    let text = n["message"]["text"].as_str().unwrap_or("");
                    let notice = format!("{id} {text}");
                    if (level == "error" || level == "warning") && !is_sarif2006_notice(&notice) {
                        problems.push(format!("{kind} {level} {notice}"));
                    }
                }
            }
        }
    }
    problems
}

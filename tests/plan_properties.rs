//! Properties of the sealed plan, on every fixture and every corpus file, in
//! both dialects, on every host of `fixtures/hosts/`, and on arbitrary input:
//!
//! * compiling twice gives byte-identical `plan.to_json()`;
//! * every plan validates against `schema/plan.schema.json` and its HCS
//!   document against `schema/hcs.schema.json` (the jsonschema crate);
//! * `Plan::verify(&plan.to_json())` gives the plan back (the digest verifies);
//! * changing one byte of a field makes `verify` fail with the digest error,
//!   and an unknown field (top level or in a device record) is refused;
//! * with arbitrary bytes as the `.wslconfig` and arbitrary `--host-set`
//!   overrides from a list of interesting ones, nothing panics and whatever
//!   compiles verifies and validates.
//!
//! Verifying is the expensive part, so the third and fourth run on every
//! fixture on every host but on the corpus on one host (both dialects), see
//! [`Checks`].

mod common;

use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use serde_json::Value;
use std::sync::OnceLock;
use wslcfg::compile::{Compilation, Target, compile};
use wslcfg::host::{self, HostProfile};
use wslcfg::lint::LintOptions;
use wslcfg::plan::{Plan, PlanError};
use wslcfg::registry::Dialect;

const DIALECTS: [Dialect; 2] = [Dialect::Seed, Dialect::Upstream];

// ------------------------------------------------------------------ schemas

struct Schemas {
    plan: jsonschema::Validator,
    hcs: jsonschema::Validator,
}

fn load_schema(rel: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(common::root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let schema: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
    if let Err(e) = jsonschema::meta::validate(&schema) {
        panic!("{rel} is not a valid JSON Schema: {e}");
    }
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn schemas() -> &'static Schemas {
    static SCHEMAS: OnceLock<Schemas> = OnceLock::new();
    SCHEMAS.get_or_init(|| Schemas {
        plan: load_schema("schema/plan.schema.json"),
        hcs: load_schema("schema/hcs.schema.json"),
    })
}

fn schema_errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{} at `{}`", e, e.instance_path()))
        .collect()
}

// ------------------------------------------------------------------ checks

fn options(host: &HostProfile, dialect: Dialect) -> LintOptions {
    LintOptions {
        dialect,
        host: host.clone(),
        ..LintOptions::default()
    }
}

fn run(bytes: Option<&[u8]>, host: &HostProfile, dialect: Dialect, target: Target) -> Compilation {
    compile(".wslconfig", bytes.map(<[u8]>::to_vec), &options(host, dialect), target)
}

/// How much to check of a plan. Verifications cost a few milliseconds each
/// in the debug profile (parse, re-serialise, canonical form, SHA-256), and
/// this file has a time budget: the fixtures get everything on every host,
/// the corpus gets verification and the `kernelCommandLine` edit on one host
/// and the schemas on the others.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Checks {
    /// Both schemas.
    Schemas,
    /// Also: the plan verifies and comes back unchanged.
    Verify,
    /// Also: one byte of `kernelCommandLine` changed gives the digest error.
    OneEdit,
    /// Also: a byte of the HCS document and of the digest, unknown fields,
    /// another format version.
    AllEdits,
}

/// The plan (whose file is `text`) verifies, validates, and refuses edits.
/// `what` names the case.
fn check_plan(plan: &Plan, text: &str, checks: Checks, what: &str) {
    // Both schemas.
    let value: Value = serde_json::from_str(text).expect("plans are JSON");
    let errors = schema_errors(&schemas().plan, &value);
    assert!(errors.is_empty(), "{what}: plan.schema.json: {errors:#?}");
    let errors = schema_errors(&schemas().hcs, &plan.hcs);
    assert!(
        errors.is_empty(),
        "{what}: hcs.schema.json: {errors:#?}\n{}",
        wslcfg::emit::compact(&plan.hcs)
    );

    if checks < Checks::Verify {
        return;
    }

    // The digest verifies and the plan comes back unchanged.
    match Plan::verify(text) {
        Ok(back) => assert!(back == *plan, "{what}: verify changed the plan"),
        Err(e) => panic!("{what}: the plan does not verify: {e}"),
    }
    if checks < Checks::OneEdit {
        return;
    }

    // One byte changed in a field: the digest error.
    let needle = "\"kernelCommandLine\": \"initrd";
    assert_eq!(text.matches(needle).count(), 1, "{what}: {text}");
    let edited = text.replacen(needle, "\"kernelCommandLine\": \"jnitrd", 1);
    assert_eq!(edited.len(), text.len());
    expect_digest_error(&edited, what, "kernelCommandLine");
    if checks < Checks::AllEdits {
        return;
    }
    // ... in the HCS document (the `Owner`) ...
    let owner_at = text.find("\"Owner\": \"").expect("an owner") + 10;
    let mut bytes = text.as_bytes().to_vec();
    if bytes[owner_at].is_ascii_alphanumeric() {
        bytes[owner_at] = if bytes[owner_at] == b'W' { b'X' } else { b'W' };
        expect_digest_error(&String::from_utf8(bytes).unwrap(), what, "hcs.Owner");
    }
    // ... and in the digest itself.
    let hex_at = text.find("\"sha256:").expect("a digest") + 8;
    let mut bytes = text.as_bytes().to_vec();
    bytes[hex_at] = if bytes[hex_at] == b'0' { b'1' } else { b'0' };
    expect_digest_error(&String::from_utf8(bytes).unwrap(), what, "digest");

    // An unknown field is refused, at the top level and in a device record.
    let edited = text.replacen('{', "{\n  \"unexpected\": 1,", 1);
    expect_unknown_field(&edited, what, "top level");
    if !plan.devices.is_empty() {
        let edited = text.replacen("\"kind\":", "\"unexpected\": 1,\n      \"kind\":", 1);
        expect_unknown_field(&edited, what, "device record");
    }

    // Another format version is refused as such.
    let edited = text.replacen("\"formatVersion\": 1,", "\"formatVersion\": 2,", 1);
    assert!(
        matches!(Plan::verify(&edited), Err(PlanError::Version(2))),
        "{what}: format version 2 accepted"
    );
}

fn expect_digest_error(text: &str, what: &str, edit: &str) {
    match Plan::verify(text) {
        Err(PlanError::Digest { stated, computed }) => assert_ne!(stated, computed),
        other => panic!("{what}: an edit of {edit} gave {other:?}, not the digest error"),
    }
}

fn expect_unknown_field(text: &str, what: &str, place: &str) {
    match Plan::verify(text) {
        Err(PlanError::Json(e)) => assert!(e.contains("unknown field"), "{what}: {place}: {e}"),
        other => panic!("{what}: an unknown field ({place}) gave {other:?}"),
    }
}

/// Compiles twice (byte-identical), then checks the plan if there is one.
fn check_input(
    bytes: Option<&[u8]>,
    host: &HostProfile,
    dialect: Dialect,
    target: Target,
    checks: Checks,
    what: &str,
) -> bool {
    let first = run(bytes, host, dialect, target);
    let second = run(bytes, host, dialect, target);
    match (&first.plan, &second.plan) {
        (Some(a), Some(b)) => {
            let text = a.to_json();
            assert!(text == b.to_json(), "{what}: two compilations differ");
            check_plan(a, &text, checks, what);
            true
        }
        (None, None) => {
            assert!(
                first.report.diagnostics.iter().any(|d| d.severity.as_str() == "error"),
                "{what}: no plan and no error"
            );
            false
        }
        _ => panic!("{what}: compiled once but not twice"),
    }
}

// ------------------------------------------------------------------ inputs

fn host_fixtures() -> Vec<(String, HostProfile)> {
    common::host_fixtures()
}

/// The host on which the corpus plans are verified (fixture plans are on
/// every host).
const VERIFY_CORPUS_ON: &str = "elevated-two-drives";

#[test]
fn fixtures_and_corpus_on_every_host() {
    // (name, bytes, is a fixture)
    let mut inputs: Vec<(String, Vec<u8>, bool)> = Vec::new();
    for p in common::fixture_files("") {
        inputs.push((common::stem(&p), std::fs::read(&p).expect("fixture readable"), true));
    }
    let fixtures = inputs.len();
    assert!(fixtures >= 20, "fixtures are missing");
    for p in common::corpus_files() {
        let name = p.file_name().expect("a name").to_string_lossy().into_owned();
        inputs.push((name, std::fs::read(&p).expect("corpus file readable"), false));
    }
    assert!(inputs.len() - fixtures >= 200, "the corpus is missing");
    let hosts = host_fixtures();
    assert!(hosts.len() >= 8, "host fixtures are missing");

    let compiled: usize = std::thread::scope(|s| {
        let handles: Vec<_> = hosts
            .iter()
            .flat_map(|(host_name, host)| DIALECTS.map(|dialect| (host_name, host, dialect)))
            .map(|(host_name, host, dialect)| {
                let inputs = &inputs;
                s.spawn(move || {
                    let mut n = 0;
                    let tag = format!("host {host_name}, {}", dialect.as_str());
                    for (name, bytes, fixture) in inputs {
                        let checks = if *fixture {
                            Checks::AllEdits
                        } else if host_name == VERIFY_CORPUS_ON {
                            Checks::OneEdit
                        } else {
                            Checks::Schemas
                        };
                        let what = format!("{name} ({tag})");
                        n += usize::from(check_input(Some(bytes), host, dialect, Target::Wsl2, checks, &what));
                    }
                    // No file at all, and the WSLC target (which reads none).
                    let what = format!("no file ({tag})");
                    assert!(check_input(None, host, dialect, Target::Wsl2, Checks::AllEdits, &what));
                    let what = format!("wslc ({tag})");
                    assert!(check_input(None, host, dialect, Target::Wslc, Checks::AllEdits, &what));
                    n
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("no panic")).sum()
    });
    // Most inputs compile: an error-free majority keeps the checks meaningful.
    assert!(
        compiled > inputs.len() * hosts.len(),
        "only {compiled} plans out of {} compilations",
        inputs.len() * hosts.len() * 2
    );
}

/// A named change of a document.
type Edit = (&'static str, fn(&mut Value));

#[test]
fn the_hcs_schema_is_strict() {
    // The schema refuses what wslcfg never writes.
    let c = run(
        Some(b"[wsl2]\nkernelDebugPort=5555\n"),
        &HostProfile::default(),
        Dialect::Upstream,
        Target::Wsl2,
    );
    let hcs = c.plan.expect("compiles").hcs;
    assert!(schemas().hcs.is_valid(&hcs));
    let edits: [Edit; 8] = [
        ("unknown top-level field", |v| {
            v["Extra"] = Value::Bool(true);
        }),
        ("unknown nested field", |v| {
            v["VirtualMachine"]["ComputeTopology"]["Memory"]["Extra"] = 1.into();
        }),
        ("non-decimal ComPorts key", |v| {
            let port = v["VirtualMachine"]["Devices"]["ComPorts"]["1"].take();
            let ports = v["VirtualMachine"]["Devices"]["ComPorts"].as_object_mut().unwrap();
            ports.remove("1");
            ports.insert("01".into(), port);
        }),
        ("non-decimal LUN", |v| {
            let disks = v["VirtualMachine"]["Devices"]["Scsi"]["0"]["Attachments"]
                .as_object_mut()
                .unwrap();
            let disk = disks.remove("1").unwrap();
            disks.insert("x".into(), disk);
        }),
        ("odd SizeInMB", |v| {
            v["VirtualMachine"]["ComputeTopology"]["Memory"]["SizeInMB"] = 16385.into();
        }),
        ("null optional field", |v| {
            v["VirtualMachine"]["ComputeTopology"]["Memory"]["HostingProcessNameSuffix"] = Value::Null;
        }),
        ("missing required field", |v| {
            v["VirtualMachine"].as_object_mut().unwrap().remove("DebugOptions");
        }),
        ("both boot methods", |v| {
            v["VirtualMachine"]["Chipset"]["Uefi"] = serde_json::json!({"BootThis": {
                "DeviceType": "VmbFs", "VmbFsRootPath": "C:\\", "DevicePath": "\\kernel",
                "OptionalData": v["VirtualMachine"]["Chipset"]["LinuxKernelDirect"]["KernelCmdLine"].clone(),
            }});
        }),
    ];
    for (what, edit) in edits {
        let mut bad = hcs.clone();
        edit(&mut bad);
        assert!(
            !schemas().hcs.is_valid(&bad),
            "the schema accepts a document with {what}"
        );
    }
}

#[test]
fn the_hcs_schema_is_the_one_wslcfg_prints() {
    let file = std::fs::read_to_string(common::root().join("schema/hcs.schema.json")).unwrap();
    assert_eq!(wslcfg::docs::schema("hcs") + "\n", file);
}

// ------------------------------------------------------------------ proptest

/// `--host-set` overrides worth combining.
fn interesting_overrides() -> Vec<String> {
    let mut all = Vec::new();
    for b in [19041, 19045, 22000, 22621, 26100] {
        all.push(format!("windows.build={b}"));
    }
    for u in [0, 40, 71, 2360, 3393] {
        all.push(format!("windows.ubr={u}"));
    }
    all.push("arch=x64".into());
    all.push("arch=arm64".into());
    for m in [512u64 << 20, 1 << 30, (1 << 30) + (64 << 20), 32 << 30] {
        all.push(format!("memory.totalPhysicalBytes={m}"));
    }
    for c in [1, 2, 16, 64] {
        all.push(format!("cpu.logicalProcessors={c}"));
    }
    for p in [
        "AllowKernelUserSetting",
        "AllowSystemDistroUserSetting",
        "AllowKernelCommandLineUserSetting",
        "AllowKernelDebugUserSetting",
        "AllowNestedVirtualization",
        "AllowDebugShell",
        "AllowNetworkingModeUserSetting",
        "AllowFirewallUserSetting",
    ] {
        all.push(format!("policies.{p}=0"));
        all.push(format!("policies.{p}=1"));
    }
    for m in 0..=5 {
        all.push(format!("policies.DefaultNetworkingMode={m}"));
    }
    for b in ["true", "false"] {
        all.push(format!("services.globalSecureAccessTunnelingRunning={b}"));
        all.push(format!("user.elevated={b}"));
        all.push(format!("guest.kernelSupportsHvPciSwiotlb={b}"));
    }
    for d in ["C", "C,D", ""] {
        all.push(format!("fixedDrives={d}"));
    }
    all
}

/// Lines that make a configuration reach the interesting passes.
fn config_line() -> impl Strategy<Value = Vec<u8>> {
    let keys: Vec<&'static str> = wslcfg::registry::KEYS
        .iter()
        .flat_map(|k| k.names.iter().copied())
        .collect();
    let values = vec![
        "true",
        "false",
        "0",
        "1",
        "-1",
        "5555",
        "4",
        "64",
        "100MB",
        "1GB",
        "2GB",
        "8GB",
        "VirtioProxy",
        "Consomme",
        "Mirrored",
        "NAT",
        "None",
        "bridged",
        "0x40000000,64M",
        "0x100000000,32M",
        "32M",
        "garbage",
        "C:\\\\k\\\\bzImage",
        "C:\\\\sd.img",
        "C:\\\\sd.vhd",
        "C:\\\\m.vhd",
        "\"quiet loglevel=3\"",
        "a;b=c",
        "00:11:22:33:44:55",
        "zz",
        "",
        "80,443",
        "10.255.255.1",
    ];
    prop_oneof![
        4 => (proptest::sample::select(keys), proptest::sample::select(values)).prop_map(|(k, v)| {
            let (section, key) = k.split_once('.').expect("dotted key names");
            format!("[{section}]\n{key}={v}\n").into_bytes()
        }),
        1 => proptest::collection::vec(any::<u8>(), 0..24),
    ]
}

fn config() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..256),
        proptest::collection::vec(config_line(), 0..8).prop_map(|lines| lines.concat()),
    ]
}

fn overrides() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(proptest::sample::select(interesting_overrides()), 0..8)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_input_never_panics_and_plans_verify(bytes in config(), sets in overrides()) {
        let mut host = HostProfile::default();
        for s in &sets {
            host::set(&mut host, s).unwrap_or_else(|e| panic!("`{s}`: {e}"));
        }
        let what = format!("{:?} with {sets:?}", String::from_utf8_lossy(&bytes));
        for dialect in DIALECTS {
            check_input(Some(&bytes), &host, dialect, Target::Wsl2, Checks::AllEdits, &what);
            check_input(None, &host, dialect, Target::Wslc, Checks::OneEdit, &what);
        }
    }
}

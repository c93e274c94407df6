//! SARIF 2.1.0 output for `wslcfg lint`: one log, one run, one result per
//! diagnostic, one rule per [`DiagId`].
//!
//! Only the subset of SARIF that wslcfg fills in is modelled here. The log is
//! kept clean for Microsoft's `sarif-multitool validate` (no errors, no
//! warnings) and for GitHub code scanning (`tests/sarif.rs` checks both).
//!
//! Positions: `startLine`/`startColumn` are the physical line and the column
//! (in Unicode code points, see `columnKind`) of the diagnostic's span, with CR
//! LF, LF and a lone CR all counted as line breaks (see `newlineSequences`),
//! the same convention as [`Source::column`]. WSL's own line counter (the
//! `line` of the diagnostic) can differ from the physical line, e.g. for a
//! value continued over several lines; it is then kept in the result's
//! property bag as `wslLine`. A finding that belongs to no line (an unreadable
//! or oversized file) is placed on line 1.

use super::{ALL, DiagInfo, Diagnostic, Related, Severity};
use crate::lint::FileReport;
use crate::syntax::{Encoding, Source, Span};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/wslcfg/wslcfg";
/// The base that relative paths are resolved against: the directory wslcfg
/// was run in (GitHub's upload action maps it to the checkout).
const SRCROOT: &str = "%SRCROOT%";
/// Name of the one partial fingerprint; bump the version when its inputs change.
const FINGERPRINT: &str = "wslcfg/v1";

/// The SARIF log for the reports of one `wslcfg lint` run.
pub fn to_sarif(reports: &[FileReport]) -> serde_json::Value {
    serde_json::to_value(build(reports)).expect("the SARIF model always serializes")
}

/// [`to_sarif`] as pretty-printed JSON (fields in the order SARIF lists them).
pub fn to_sarif_string(reports: &[FileReport]) -> String {
    serde_json::to_string_pretty(&build(reports)).expect("the SARIF model always serializes")
}

// ---------------------------------------------------------------------------
// The model (SARIF 2.1.0 §3, only what is used).

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: Vec<Invocation>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    artifacts: Vec<Artifact>,
    results: Vec<SarifResult>,
    column_kind: &'static str,
    newline_sequences: [&'static str; 3],
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Text,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    upstream: bool,
    tags: Vec<&'static str>,
}

/// A message: `text`, and `markdown` where the text uses Markdown.
#[derive(Clone, Serialize)]
struct Text {
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    markdown: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    location: ArtifactLocation,
    roles: [&'static str; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ArtifactProperties>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactProperties {
    /// wslcfg's exact name for the encoding (with or without a BOM).
    wslcfg_encoding: &'static str,
}

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ResultProperties>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties {
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    /// WSL's line counter, when it differs from `region.startLine`.
    #[serde(skip_serializing_if = "Option::is_none")]
    wsl_line: Option<u32>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
}

// ---------------------------------------------------------------------------
// Building the log.

fn build(reports: &[FileReport]) -> Log {
    let mut artifacts: Vec<Artifact> = Vec::new();
    let mut artifact_index: HashMap<&str, usize> = HashMap::new();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    let mut relative = false;
    let mut seen: HashMap<String, u32> = HashMap::new();

    for report in reports {
        let location = artifact_location(&report.path);
        relative |= location.uri_base_id.is_some();
        let index = *artifact_index.entry(&report.path).or_insert_with(|| {
            artifacts.push(artifact(location.clone(), report.source.as_ref()));
            artifacts.len() - 1
        });
        let location = ArtifactLocation {
            index: Some(index),
            ..location
        };

        if let Some(error) = &report.io_error {
            notifications.push(Notification {
                level: "error",
                message: plain(sentence(error)),
                locations: vec![Location {
                    id: None,
                    physical_location: PhysicalLocation {
                        artifact_location: location.clone(),
                        region: None,
                    },
                    message: None,
                }],
            });
        }

        for d in &report.diagnostics {
            results.push(result(d, report, &location, &mut seen));
        }
    }

    let mut original_uri_base_ids = BTreeMap::new();
    if relative {
        original_uri_base_ids.insert(
            SRCROOT,
            ArtifactLocation {
                uri: None,
                uri_base_id: None,
                index: None,
                description: Some(plain("The directory wslcfg was run in.".to_owned())),
            },
        );
    }

    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "wslcfg",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: ALL.iter().map(rule).collect(),
                },
            },
            invocations: vec![Invocation {
                execution_successful: notifications.is_empty(),
                tool_execution_notifications: notifications,
            }],
            original_uri_base_ids,
            artifacts,
            results,
            column_kind: "unicodeCodePoints",
            newline_sequences: ["\r\n", "\n", "\r"],
        }],
    }
}

fn rule(info: &DiagInfo) -> Rule {
    let id = info.id.as_str();
    let help_uri = format!(
        "{INFORMATION_URI}/blob/main/docs/diagnostics.md#{}",
        id.to_ascii_lowercase()
    );
    Rule {
        id,
        name: pascal_case(info.name),
        short_description: plain(first_sentence(info.explanation).to_owned()),
        full_description: plain(info.explanation.to_owned()),
        // GitHub code scanning shows `help` (Markdown preferred) with an alert.
        help: Text {
            text: info.explanation.to_owned(),
            markdown: Some(format!(
                "{}\n\n[{id} in the wslcfg documentation]({help_uri})",
                info.explanation
            )),
        },
        help_uri,
        default_configuration: Configuration {
            level: level(info.severity),
        },
        properties: RuleProperties {
            upstream: info.upstream,
            tags: vec![
                "wslconfig",
                family(id),
                if info.upstream {
                    "reported-by-wsl"
                } else {
                    "wslcfg-only"
                },
            ],
        },
    }
}

fn result(
    d: &Diagnostic,
    report: &FileReport,
    location: &ArtifactLocation,
    seen: &mut HashMap<String, u32>,
) -> SarifResult {
    let source = report.source.as_ref();
    // A finding about the whole file (no line) is put on line 1: GitHub code
    // scanning needs a `startLine`, and the validator warns about results
    // without a region (SARIF2017).
    let region = region(source, d.line.unwrap_or(1), d.span);
    let physical_line = region.start_line;

    let mut text = sentence(d.message());
    if let Some(help) = &d.detail().help {
        text.push(' ');
        text.push_str(&sentence(help));
    }

    let related_locations = d
        .detail()
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| related(i, r, source, location))
        .collect();

    // Stable across edits elsewhere in the file: no line number, only what
    // the finding is about, and how many identical findings came before it.
    let anchor = match (&d.detail().key, source, d.span) {
        (Some(key), _, _) => key.clone(),
        // At most the first 120 characters: a long line must not make every
        // one of its findings cost its whole length.
        (None, Some(source), Some(span)) => line_text(source, span.start).trim().chars().take(120).collect(),
        _ => d.message().to_owned(),
    };
    let identity = format!("{}\0{}\0{}", d.id.as_str(), report.path, anchor);
    let count = seen.entry(identity.clone()).or_insert(0);
    *count += 1;
    let fingerprint = format!("{:016x}", fnv1a(format!("{identity}\0{count}").as_bytes()));

    let wsl_line = d.line.filter(|&l| l != physical_line);
    let properties =
        (d.detail().key.is_some() || d.detail().value.is_some() || wsl_line.is_some()).then(|| ResultProperties {
            key: d.detail().key.clone(),
            value: d.detail().value.clone(),
            wsl_line,
        });

    SarifResult {
        rule_id: d.id.as_str(),
        rule_index: ALL.iter().position(|i| i.id == d.id).expect("every id is in ALL"),
        level: level(d.severity),
        message: plain(text),
        locations: vec![Location {
            id: None,
            physical_location: PhysicalLocation {
                artifact_location: location.clone(),
                region: Some(region),
            },
            message: None,
        }],
        related_locations,
        partial_fingerprints: BTreeMap::from([(FINGERPRINT, fingerprint)]),
        properties,
    }
}

fn related(id: usize, r: &Related, source: Option<&Source>, location: &ArtifactLocation) -> Location {
    Location {
        id: Some(id),
        physical_location: PhysicalLocation {
            artifact_location: location.clone(),
            region: Some(region(source, r.line, Some(r.span))),
        },
        message: Some(plain(sentence(&r.message))),
    }
}

/// The region of a span; WSL's line alone when there is no span (or no text).
fn region(source: Option<&Source>, line: u32, span: Option<Span>) -> Region {
    let (Some(source), Some(span)) = (source, span) else {
        return Region {
            start_line: line.max(1),
            start_column: None,
            end_line: None,
            end_column: None,
        };
    };
    let text = source.text.as_bytes();
    let start = (span.start as usize).min(text.len());
    let mut end = (span.end as usize).clamp(start, text.len());
    // A span that takes in its line break still ends on its own line.
    while end > start && matches!(text[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    let start_line = source.physical_line(start as u32);
    let end_line = source.physical_line(end as u32);
    Region {
        start_line,
        start_column: Some(source.column(start as u32)),
        end_line: (end_line != start_line).then_some(end_line),
        end_column: Some(source.column(end as u32)),
    }
}

/// The physical line a text offset is on, without its line break.
fn line_text(source: &Source, offset: u32) -> &str {
    source.line_text(offset.min(source.text.len() as u32))
}

fn artifact(location: ArtifactLocation, source: Option<&Source>) -> Artifact {
    Artifact {
        location,
        roles: ["analysisTarget"],
        length: source.map(|s| s.bytes().len() as u64),
        // IANA names; "UTF-16" (not "UTF-16LE") because the file starts with a BOM.
        encoding: source.map(|s| match s.encoding {
            Encoding::Utf8 | Encoding::Utf8Bom => "UTF-8",
            Encoding::Utf16LeBom => "UTF-16",
        }),
        properties: source.map(|s| ArtifactProperties {
            wslcfg_encoding: s.encoding.as_str(),
        }),
    }
}

/// The artifact location of a path as given: `file:` URIs for absolute paths
/// (POSIX, `C:\…` and `\\server\share\…`), `%SRCROOT%`-relative ones otherwise.
fn artifact_location(path: &str) -> ArtifactLocation {
    let slashed = path.replace('\\', "/");
    let bytes = slashed.as_bytes();
    let drive = bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    let (uri, uri_base_id) = if drive {
        (
            format!("file:///{}:{}", &slashed[..1], percent_encode(&slashed[2..])),
            None,
        )
    } else if let Some(unc) = slashed.strip_prefix("//") {
        (format!("file://{}", percent_encode(unc)), None)
    } else if slashed.starts_with('/') {
        (format!("file://{}", percent_encode(&slashed)), None)
    } else {
        let mut rel = slashed.as_str();
        while let Some(rest) = rel.strip_prefix("./") {
            rel = rest.trim_start_matches('/');
        }
        (percent_encode(rel), Some(SRCROOT))
    };
    ArtifactLocation {
        uri: Some(uri),
        uri_base_id,
        index: None,
        description: None,
    }
}

/// Percent-encodes everything but unreserved characters, sub-delimiters, `@`
/// and `/` (RFC 3986 path characters; `:` too, so a relative path can never
/// read as a scheme).
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "note",
    }
}

fn family(id: &str) -> &'static str {
    match &id[..3] {
        "FIL" => "file",
        "SYN" => "syntax",
        "KEY" => "key",
        "VAL" => "value",
        "PAS" => "pass",
        "VMC" => "vm-configuration",
        "RUN" => "runtime",
        _ => "lint",
    }
}

/// `unknown-key` → `UnknownKey` (SARIF §3.49.7 recommends Pascal case names).
fn pascal_case(kebab: &str) -> String {
    kebab
        .split('-')
        .flat_map(|word| {
            let mut chars = word.chars();
            chars.next().map(|c| c.to_ascii_uppercase()).into_iter().chain(chars)
        })
        .collect()
}

/// A diagnostic's message or help as a sentence: a final full stop (SARIF asks
/// for one in every message) and a capital first letter when the text starts
/// with a plain word (never when it starts with a path or a name in backticks).
fn sentence(text: &str) -> String {
    let text = text.trim();
    let first_word = text.split(' ').next().unwrap_or("");
    let mut out = String::with_capacity(text.len() + 1);
    if first_word.bytes().all(|b| b.is_ascii_lowercase()) {
        let mut chars = text.chars();
        out.extend(chars.next().map(|c| c.to_ascii_uppercase()));
        out.push_str(chars.as_str());
    } else {
        out.push_str(text);
    }
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// The first sentence of an explanation: up to the first `. ` outside backticks.
fn first_sentence(text: &str) -> &str {
    let mut in_code = false;
    for (i, c) in text.char_indices() {
        match c {
            '`' => in_code = !in_code,
            '.' if !in_code && text[i + 1..].starts_with(' ') => return &text[..=i],
            _ => {}
        }
    }
    text
}

fn plain(text: String) -> Text {
    Text { text, markdown: None }
}

/// 64-bit FNV-1a.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_sentences() {
        assert_eq!(pascal_case("invalid-ipv4-address"), "InvalidIpv4Address");
        assert_eq!(sentence("unknown key `x`"), "Unknown key `x`.");
        assert_eq!(sentence("did you mean `[wsl2]`?"), "Did you mean `[wsl2]`?");
        assert_eq!(
            sentence("tests/x.wslconfig: no such file"),
            "tests/x.wslconfig: no such file."
        );
        assert_eq!(sentence("tests: is a directory"), "tests: is a directory.");
        assert_eq!(sentence("`[boot]` is not a section"), "`[boot]` is not a section.");
        assert_eq!(first_sentence("A `a. b` c. D."), "A `a. b` c.");
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn uris() {
        let uri = |p| artifact_location(p).uri.unwrap();
        assert_eq!(uri("./a b/.wslconfig"), "a%20b/.wslconfig");
        assert_eq!(uri("/home/u/.wslconfig"), "file:///home/u/.wslconfig");
        assert_eq!(uri(r"C:\Users\u\.wslconfig"), "file:///C:/Users/u/.wslconfig");
        assert_eq!(uri(r"\\srv\share\x"), "file://srv/share/x");
        assert_eq!(uri("c:x"), "c%3Ax");
        assert!(artifact_location("a").uri_base_id.is_some());
        assert!(artifact_location("/a").uri_base_id.is_none());
    }
}

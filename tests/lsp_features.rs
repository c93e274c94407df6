//! The features over the protocol: the shape of the diagnostics, hover,
//! completion, inlay hints and quick fixes, each converted from `src/ide/`
//! and checked against what lint and the registry say.

mod common;
mod lsp_client;

use lsp_client::{Client, URI, capabilities, position_of};
use serde_json::{Value, json};
use std::collections::BTreeMap;

const FILE: &str = "[wsl2]\nmemroy=8GB\nmemory=8GB\nprocessors=32\nswap=0x10\nmemory=4GB\n;comment\n[wsl]\n";

fn by_code<'a>(diagnostics: &'a [Value], code: &str) -> &'a Value {
    diagnostics
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diagnostics:#?}"))
}

fn range(l1: u32, c1: u32, l2: u32, c2: u32) -> Value {
    json!({"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}})
}

#[test]
fn diagnostics_carry_id_link_severity_related_and_tags() {
    let mut client = Client::start_default();
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "wslconfig", "version": 7, "text": FILE}}),
    );
    let d = client.diagnostics(URI, 7);
    let codes: Vec<&str> = d.iter().map(|d| d["code"].as_str().unwrap()).collect();
    // Lint's records, in lint's order (the pass notice PAS001 after the parse).
    assert_eq!(codes, ["KEY001", "VAL003", "KEY002", "SYN004", "LNT002", "PAS001"]);
    for diagnostic in &d {
        assert_eq!(diagnostic["source"], "wslcfg");
        let code = diagnostic["code"].as_str().unwrap();
        assert_eq!(
            diagnostic["codeDescription"]["href"],
            format!(
                "https://github.com/wslcfg/wslcfg/blob/main/docs/diagnostics.md#{}",
                code.to_lowercase()
            )
        );
    }
    let key001 = by_code(&d, "KEY001");
    assert_eq!(key001["severity"], 2, "warning");
    assert_eq!(key001["range"], range(1, 0, 1, 6));
    // The help text follows the message on a second line.
    assert_eq!(
        key001["message"],
        "unknown key `wsl2.memroy`\ndid you mean `wsl2.memory`?"
    );
    // Advice → hint.
    assert_eq!(by_code(&d, "LNT002")["severity"], 4);
    // The ignored duplicate: unnecessary, pointing at the first occurrence.
    let key002 = by_code(&d, "KEY002");
    assert_eq!(key002["range"], range(5, 0, 5, 10));
    assert_eq!(key002["tags"], json!([1]));
    assert_eq!(key002["relatedInformation"][0]["location"]["uri"], URI);
    assert_eq!(key002["relatedInformation"][0]["location"]["range"], range(2, 0, 2, 6));
    assert!(
        key002["relatedInformation"][0]["message"]
            .as_str()
            .unwrap()
            .contains("first set here")
    );
    assert!(by_code(&d, "KEY001").get("tags").is_none());
    // A pass notice has no line of its own: it sits on the key it is about.
    assert_eq!(by_code(&d, "PAS001")["range"], range(3, 0, 3, 10));

    // An error.
    client.change(URI, 8, json!([{"text": "[wsl2]\nmacAddress=nope\n"}]));
    let d = client.diagnostics(URI, 8);
    assert_eq!(by_code(&d, "VAL005")["severity"], 1);
    assert_eq!(client.shutdown(), Ok(true));
}

#[test]
fn every_diagnostic_link_names_a_section_of_the_docs() {
    // The anchors GitHub makes of `## KEY001` headings, and the same link as SARIF's helpUri.
    let docs = std::fs::read_to_string(lsp_client::root().join("docs/diagnostics.md")).unwrap();
    let report = wslcfg::lint::lint_bytes("f", FILE.as_bytes().to_vec(), &Default::default());
    let sarif = wslcfg::diag::sarif::to_sarif(&[report]);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let sarif_uri: BTreeMap<&str, &str> = rules
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["helpUri"].as_str().unwrap()))
        .collect();
    for info in wslcfg::diag::ALL {
        let url = wslcfg::lsp::diagnostics::help_url(info.id);
        let (_, anchor) = url.split_once('#').unwrap();
        assert!(
            docs.lines()
                .any(|l| l.strip_prefix("## ").is_some_and(|h| h.to_lowercase() == anchor)),
            "{url}"
        );
        if let Some(s) = sarif_uri.get(info.id.as_str()) {
            assert_eq!(*s, url);
        }
    }
    assert!(!sarif_uri.is_empty());
}

#[test]
fn hover_on_keys_and_values() {
    let mut client = Client::start_default();
    // With a BOM: offsets of the analysis are shifted by it.
    let text = "\u{feff}[wsl2]\nmemory=8GB\n# 😀 comment\n[experimental]\nswiotlb=0x40000000,64M\n";
    client.open(URI, text);
    let key = client.hover(URI, 1, 2);
    let md = key["contents"]["value"].as_str().unwrap();
    assert_eq!(key["contents"]["kind"], "markdown");
    assert!(md.contains("**wsl2.memory**"), "{md}");
    assert!(md.contains("Effective value"), "{md}");
    assert_eq!(key["range"], range(1, 0, 1, 6));
    let value = client.hover(URI, 1, 8);
    let md = value["contents"]["value"].as_str().unwrap();
    assert!(md.contains("8 GiB = 8589934592 bytes"), "{md}");
    assert_eq!(value["range"], range(1, 7, 1, 10));
    let swiotlb = client.hover(URI, 4, 10);
    let md = swiotlb["contents"]["value"].as_str().unwrap();
    assert!(md.contains("0x40000000") && md.contains("67108864"), "{md}");
    // On a comment: nothing.
    assert_eq!(client.hover(URI, 2, 3), Value::Null);
    assert_eq!(client.shutdown(), Ok(true));
}

fn labels(items: &[Value]) -> Vec<&str> {
    items.iter().map(|i| i["label"].as_str().unwrap()).collect()
}

#[test]
fn completion_of_sections_keys_and_values() {
    let mut client = Client::start_default();
    let text = "[wsl2]\nmemory=8GB\n\nnetworkingMode=\n[";
    client.open(URI, text);
    // After `[`: the sections.
    let sections = client.completion(URI, 4, 1);
    let names = labels(&sections);
    for s in ["wsl2", "experimental", "general"] {
        assert!(names.contains(&s), "{names:?}");
    }
    assert!(sections.iter().all(|i| i["kind"] == 9), "module");
    assert_eq!(sections[0]["textEdit"]["range"], range(4, 1, 4, 1));
    // On the empty line of [wsl2]: its keys not set yet, with their docs.
    let keys = client.completion(URI, 2, 0);
    let names = labels(&keys);
    assert!(names.contains(&"processors"), "{names:?}");
    assert!(!names.contains(&"memory"), "memory is set: {names:?}");
    assert!(!names.iter().any(|n| n.eq_ignore_ascii_case("automount")), "{names:?}");
    let processors = keys.iter().find(|i| i["label"] == "processors").unwrap();
    assert_eq!(processors["kind"], 10, "property");
    assert_eq!(processors["documentation"]["kind"], "markdown");
    // In ide's order.
    let sort: Vec<&str> = keys.iter().map(|i| i["sortText"].as_str().unwrap()).collect();
    let mut sorted = sort.clone();
    sorted.sort();
    assert_eq!(sort, sorted);
    // After `=`: the enum names.
    let values = client.completion(URI, 3, 15);
    let names = labels(&values);
    for v in ["Nat", "Mirrored", "None"] {
        assert!(names.contains(&v), "{names:?}");
    }
    assert!(values.iter().all(|i| i["kind"] == 20), "enum member");
    assert_eq!(values[0]["textEdit"]["range"], range(3, 15, 3, 15));
    assert_eq!(client.shutdown(), Ok(true));
}

#[test]
fn inlay_hints_in_a_range() {
    let mut client = Client::start_default();
    let text = "[wsl2]\nmemory=8GB\nprocessors=32\n";
    client.open(URI, text);
    let all = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": URI}, "range": range(0, 0, 3, 0)}),
        )
        .unwrap();
    let hints = all.as_array().unwrap();
    assert_eq!(hints.len(), 2, "{all:#}");
    assert_eq!(hints[0]["position"], json!({"line": 1, "character": 10}));
    assert!(hints[0]["label"].as_str().unwrap().contains("8589934592"));
    assert_eq!(hints[1]["position"], json!({"line": 2, "character": 13}));
    assert!(hints[1]["label"].as_str().unwrap().contains("16"), "{all:#}");
    assert_eq!(hints[1]["tooltip"]["kind"], "markdown");
    // Only the hints inside the requested range.
    let line2 = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": URI}, "range": range(2, 0, 2, 13)}),
        )
        .unwrap();
    assert_eq!(line2.as_array().unwrap().len(), 1);
    assert_eq!(line2[0], hints[1]);
    assert_eq!(client.shutdown(), Ok(true));
}

/// Applies LSP text edits (UTF-16 positions) to `text`, last first.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| -> usize {
        let target = (p["line"].as_u64().unwrap(), p["character"].as_u64().unwrap());
        (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .find(|&i| {
                let q = position_of(text, i);
                (q["line"].as_u64().unwrap(), q["character"].as_u64().unwrap()) >= target
            })
            .unwrap_or(text.len())
    };
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_owned();
    for (s, e, t) in spans {
        out.replace_range(s..e, t);
    }
    out
}

fn actions(client: &mut Client, uri: &str, r: Value, only: Option<Value>) -> Vec<Value> {
    let mut context = json!({"diagnostics": []});
    if let Some(only) = only {
        context["only"] = only;
    }
    client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": r, "context": context}),
        )
        .unwrap()
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn quick_fixes_with_their_diagnostic() {
    let mut client = Client::start_default();
    let diagnostics = client.open(URI, FILE);
    let all = actions(&mut client, URI, range(0, 0, 9, 0), None);
    assert!(!all.is_empty());
    for action in &all {
        assert_eq!(action["kind"], "quickfix");
        assert!(action["isPreferred"].is_boolean());
        let attached = &action["diagnostics"][0];
        assert!(diagnostics.contains(attached), "the published diagnostic: {attached:#}");
        let change = &action["edit"]["documentChanges"][0];
        assert_eq!(change["textDocument"], json!({"uri": URI, "version": 1}));
    }
    // The duplicate `memory=4GB` (line 5) is deleted.
    let delete = all
        .iter()
        .find(|a| a["diagnostics"][0]["code"] == "KEY002")
        .expect("a fix for the duplicate");
    assert_eq!(delete["isPreferred"], true);
    let fixed = apply(FILE, delete["edit"]["documentChanges"][0]["edits"].as_array().unwrap());
    assert_eq!(fixed, FILE.replace("memory=4GB\n", ""));
    // Only the fixes of diagnostics touching the range.
    let line6 = actions(&mut client, URI, range(6, 0, 6, 0), None);
    assert!(!line6.is_empty());
    assert!(
        line6.iter().all(|a| a["diagnostics"][0]["range"]["start"]["line"] == 6),
        "{line6:#?}"
    );
    // Only quick fixes are offered.
    assert!(actions(&mut client, URI, range(0, 0, 9, 0), Some(json!(["refactor"]))).is_empty());
    assert_eq!(
        actions(&mut client, URI, range(0, 0, 9, 0), Some(json!(["quickfix"]))),
        all
    );
    assert_eq!(client.shutdown(), Ok(true));

    // A client without documentChanges gets a plain `changes` map.
    let mut client = Client::start(
        json!({"capabilities": capabilities(json!({"workspace": {"workspaceEdit": {"documentChanges": false}}}))}),
    );
    client.open(URI, FILE);
    let all = actions(&mut client, URI, range(0, 0, 9, 0), None);
    assert!(all.iter().all(|a| a["edit"]["changes"][URI].is_array()), "{all:#?}");
    assert_eq!(client.shutdown(), Ok(true));
}

fn count(diagnostics: &[Value], code: &Value) -> usize {
    diagnostics.iter().filter(|d| &d["code"] == code).count()
}

#[test]
fn every_quick_fix_on_the_corpus_removes_its_diagnostic() {
    // Each fix is applied the way an editor applies it (its edits sent back
    // as incremental changes), then the new diagnostics are compared.
    let mut client = Client::start_default();
    let mut checked = 0;
    for (n, path) in common::corpus_files().iter().enumerate() {
        let text = wslcfg::syntax::Source::decode(std::fs::read(path).unwrap()).text;
        let uri = format!("file:///corpus/{n}.wslconfig");
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "wslconfig", "version": 1, "text": text}}),
        );
        let before = client.diagnostics(&uri, 1);
        let whole = json!({"start": {"line": 0, "character": 0}, "end": position_of(&text, text.len())});
        let all = actions(&mut client, &uri, whole, None);
        client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
        client.wait_notification("textDocument/publishDiagnostics");
        for (i, action) in all.iter().enumerate() {
            let code = &action["diagnostics"][0]["code"];
            let edits = action["edit"]["documentChanges"][0]["edits"].as_array().unwrap();
            let fixed_uri = format!("file:///corpus/{n}-{i}.wslconfig");
            client.notify(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": fixed_uri, "languageId": "wslconfig", "version": 1, "text": text}}),
            );
            client.diagnostics(&fixed_uri, 1);
            // The edits in reverse order, so each range is valid in the text it applies to.
            let mut changes: Vec<Value> = edits
                .iter()
                .map(|e| json!({"range": e["range"], "text": e["newText"]}))
                .collect();
            changes.reverse();
            client.change(&fixed_uri, 2, Value::Array(changes));
            let after = client.diagnostics(&fixed_uri, 2);
            assert_eq!(
                client.server_text(&fixed_uri).1,
                apply(&text, edits),
                "{}",
                path.display()
            );
            assert!(
                count(&after, code) < count(&before, code),
                "{}: `{}` left {code} in place",
                path.display(),
                action["title"]
            );
            client.notify("textDocument/didClose", json!({"textDocument": {"uri": fixed_uri}}));
            client.wait_notification("textDocument/publishDiagnostics");
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} fixes on the corpus");
    eprintln!("{checked} quick fixes checked");
    assert_eq!(client.shutdown(), Ok(true));
}

#[test]
fn a_position_inside_the_bom_or_past_the_end_is_harmless() {
    let mut client = Client::start_default();
    client.open(URI, "\u{feff}[wsl2]\nmemory=8GB");
    for (line, character) in [(0, 0), (0, 1), (1, 99), (99, 0)] {
        client.hover(URI, line, character);
        client.completion(URI, line, character);
    }
    assert_eq!(client.shutdown(), Ok(true));
}

#[test]
fn a_pass_notice_for_a_key_the_file_does_not_set_is_on_the_first_line() {
    let host = lsp_client::root().join("fixtures/hosts/restrictive-policies.json");
    let mut client = Client::start(json!({"initializationOptions": {"host": host.to_str().unwrap()}}));
    // The policy denies nested virtualization, which is on by default (PAS002, no line).
    let d = client.open(URI, "# my 😀 settings\n[wsl2]\nswap=0\n");
    let pas002 = by_code(&d, "PAS002");
    assert_eq!(
        pas002["range"],
        range(0, 0, 0, 16),
        "the whole first line, in UTF-16 units"
    );
    // Set in the file: on its key.
    client.change(URI, 2, json!([{"text": "[wsl2]\nswap=0\nnestedVirtualization=true\n"}]));
    let d = client.diagnostics(URI, 2);
    assert_eq!(by_code(&d, "PAS002")["range"], range(2, 0, 2, 20));
    assert_eq!(client.shutdown(), Ok(true));
}

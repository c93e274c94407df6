//! The server's life cycle over the in-memory transport: initialize and
//! capabilities, position-encoding negotiation, settings from all three
//! sources, stale and cancelled requests, the size limit, shutdown and exit.

mod lsp_client;

use lsp_client::{Client, URI, capabilities};
use serde_json::{Value, json};
use wslcfg::lsp::lsp_server::{Message, Notification, Request, RequestId};

fn ids(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}

fn file_uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

const PROCESSORS: &str = "[wsl2]\nprocessors=4\n[experimental]\nswiotlb=garbage\n";

#[test]
fn initialize_announces_the_features() {
    let client = Client::start_default();
    let result = client.initialize_result.clone();
    let caps = &result["capabilities"];
    assert_eq!(result["serverInfo"]["name"], "wslcfg");
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["inlayHintProvider"], true);
    assert_eq!(caps["codeActionProvider"]["codeActionKinds"], json!(["quickfix"]));
    assert_eq!(caps["completionProvider"]["triggerCharacters"], json!(["[", "="]));
    assert_eq!(client.shutdown(), Ok(true));
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let client = Client::start(json!({
        "capabilities": capabilities(json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}))
    }));
    assert_eq!(client.initialize_result["capabilities"]["positionEncoding"], "utf-8");
    let client16 = Client::start(json!({
        "capabilities": capabilities(json!({"general": {"positionEncodings": ["utf-32", "utf-16"]}}))
    }));
    assert_eq!(client16.initialize_result["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(client.shutdown(), Ok(true));
    assert_eq!(client16.shutdown(), Ok(true));
}

#[test]
fn defaults_without_settings() {
    let mut client = Client::start_default();
    // Seed dialect (VAL008), embedded host with 16 processors (no PAS001).
    assert_eq!(ids(&client.open(URI, PROCESSORS)), ["VAL008"]);
    let log = client.wait_notification("window/logMessage");
    assert!(
        log["message"]
            .as_str()
            .unwrap()
            .contains("dialect seed, host profile the embedded default"),
        "{log}"
    );
    assert_eq!(client.shutdown(), Ok(true));
}

#[test]
fn settings_from_initialization_options() {
    let host = lsp_client::root().join("fixtures/hosts/small-memory.json");
    let mut client = Client::start(json!({
        "initializationOptions": {"wslcfg": {"dialect": "upstream", "host": host.to_str().unwrap()}}
    }));
    // Upstream dialect (VAL003 for swiotlb), host with 2 processors (PAS001).
    assert_eq!(ids(&client.open(URI, PROCESSORS)), ["VAL003", "PAS001"]);
    assert_eq!(client.shutdown(), Ok(true));

    // hostSet overrides, flat options.
    let mut client = Client::start(json!({
        "initializationOptions": {"hostSet": ["cpu.logicalProcessors=3"]}
    }));
    let d = client.open(URI, PROCESSORS);
    assert_eq!(ids(&d), ["VAL008", "PAS001"]);
    assert!(d[1]["message"].as_str().unwrap().contains('3'), "{}", d[1]);
    assert_eq!(client.shutdown(), Ok(true));
}

#[test]
fn settings_from_the_workspace_configuration() {
    // The client supports workspace/configuration: the server asks for the
    // `wslcfg` section, and its answer overrides the initialization options.
    let mut client = Client::start_with(
        json!({
            "capabilities": capabilities(json!({"workspace": {"configuration": true,
                "didChangeConfiguration": {"dynamicRegistration": true}}})),
            "initializationOptions": {"dialect": "upstream"}
        }),
        Vec::new(),
    );
    client.configuration = json!({"dialect": "seed", "hostSet": ["cpu.logicalProcessors=2"]});
    let d = client.open(URI, PROCESSORS);
    // Depending on whether the answer came before the document, version 1
    // is published once or twice; the last publication has the workspace settings.
    let mut last = d;
    client
        .request("wslcfg/documentText", json!({"textDocument": {"uri": URI}}))
        .unwrap();
    for p in client.take("textDocument/publishDiagnostics") {
        last = p["diagnostics"].as_array().unwrap().clone();
    }
    assert_eq!(ids(&last), ["VAL008", "PAS001"]);
    let methods: Vec<&str> = client.server_requests.iter().map(|r| r.method.as_str()).collect();
    assert!(methods.contains(&"workspace/configuration"), "{methods:?}");
    assert!(methods.contains(&"client/registerCapability"), "{methods:?}");
    let config_request = client
        .server_requests
        .iter()
        .find(|r| r.method == "workspace/configuration")
        .unwrap();
    assert_eq!(config_request.params["items"][0]["section"], "wslcfg");

    // didChangeConfiguration without settings (pull model): the server asks again.
    client.configuration = json!({"dialect": "upstream"});
    client.notify("workspace/didChangeConfiguration", json!({"settings": null}));
    let d = client.diagnostics(URI, 1);
    assert_eq!(ids(&d), ["VAL003"]);

    // didChangeConfiguration carrying the settings (push model).
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"wslcfg": {"dialect": "seed", "hostSet": {"cpu.logicalProcessors": 1}}}}),
    );
    let d = client.diagnostics(URI, 1);
    assert_eq!(ids(&d), ["VAL008", "PAS001"]);
    assert_eq!(client.shutdown(), Ok(true));
}

#[test]
fn settings_from_the_workspace_host_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        lsp_client::root().join("fixtures/hosts/small-memory.json"),
        dir.path().join(".wslcfg-host.json"),
    )
    .unwrap();
    let mut client = Client::start(json!({"rootUri": file_uri(dir.path())}));
    assert_eq!(ids(&client.open(URI, PROCESSORS)), ["VAL008", "PAS001"]);
    let log = client.wait_notification("window/logMessage");
    assert!(log["message"].as_str().unwrap().contains(".wslcfg-host.json"), "{log}");
    assert_eq!(client.shutdown(), Ok(true));

    // The `host` setting wins over the workspace file; relative to the root.
    std::fs::write(dir.path().join("big.json"), r#"{"cpu": {"logicalProcessors": 64}}"#).unwrap();
    let mut client = Client::start(json!({
        "workspaceFolders": [{"uri": file_uri(dir.path()), "name": "w"}],
        "initializationOptions": {"host": "big.json"}
    }));
    assert_eq!(ids(&client.open(URI, PROCESSORS)), ["VAL008"]);
    assert_eq!(client.shutdown(), Ok(true));
}

#[test]
fn a_bad_host_file_is_shown_and_the_default_used() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.json"), r#"{"cpu": {"logicalProcesors": 2}}"#).unwrap();
    let mut client = Client::start(json!({
        "rootUri": file_uri(dir.path()),
        "initializationOptions": {"host": "bad.json", "hostSet": ["windows.build=notanumber"], "dialect": "newest"}
    }));
    let mut messages = Vec::new();
    for _ in 0..3 {
        let m = client.wait_notification("window/showMessage");
        assert_eq!(m["type"], 1, "an error: {m}");
        messages.push(m["message"].as_str().unwrap().to_owned());
    }
    assert!(messages[0].starts_with("wslcfg.dialect"), "{messages:?}");
    assert!(
        messages[1].contains("unknown field") && messages[1].contains("logicalProcessors"),
        "the loader's message with its did-you-mean: {messages:?}"
    );
    assert!(messages[2].starts_with("wslcfg.hostSet"), "{messages:?}");
    // The embedded default (16 processors) and the seed dialect.
    assert_eq!(ids(&client.open(URI, PROCESSORS)), ["VAL008"]);
    assert_eq!(client.shutdown(), Ok(true));
}

#[test]
fn only_wslconfig_documents_are_analysed() {
    let mut client = Client::start_default();
    for uri in ["file:///x/wsl.conf", "file:///x/settings.ini"] {
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "ini", "version": 1, "text": "[wsl2]\nbad=1\n"}}),
        );
    }
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "file:///x/Work.WSLConfig", "languageId": "ini", "version": 1, "text": "[wsl2]\nbad=1\n"}}),
    );
    let p = client.wait_notification("textDocument/publishDiagnostics");
    assert_eq!(p["uri"], "file:///x/Work.WSLConfig");
    assert_eq!(
        client
            .request(
                "wslcfg/documentText",
                json!({"textDocument": {"uri": "file:///x/wsl.conf"}})
            )
            .unwrap(),
        Value::Null
    );
    assert_eq!(client.hover("file:///x/wsl.conf", 1, 1), Value::Null);
    assert!(client.take("textDocument/publishDiagnostics").is_empty());
    assert_eq!(client.shutdown(), Ok(true));
}

#[test]
fn closing_clears_the_diagnostics() {
    let mut client = Client::start_default();
    assert_eq!(client.open(URI, "[wsl2]\nbad=1\n").len(), 1);
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": URI}}));
    let p = client.wait_notification("textDocument/publishDiagnostics");
    assert_eq!(p["uri"], URI);
    assert_eq!(p["diagnostics"], json!([]));
    assert_eq!(client.shutdown(), Ok(true));
}

#[test]
fn a_document_over_the_size_limit_gets_one_diagnostic() {
    let mut client = Client::start_default();
    let limit = wslcfg::lint::DEFAULT_MAX_SIZE as usize;
    let mut text = String::from("[wsl2]\n");
    text.push_str(&"# padding\n".repeat(limit / 10 + 1));
    let d = client.open(URI, &text);
    assert_eq!(ids(&d), ["LNT007"]);
    assert_eq!(d[0]["severity"], 1);
    assert_eq!(d[0]["range"]["start"], json!({"line": 0, "character": 0}));
    // No analysis: features answer nothing.
    assert_eq!(client.hover(URI, 0, 2), Value::Null);
    // Shrinking it below the limit brings the analysis back.
    client.change(URI, 2, json!([{"text": "[wsl2]\nbad=1\n"}]));
    assert_eq!(ids(&client.diagnostics(URI, 2)), ["KEY001"]);
    assert_eq!(client.shutdown(), Ok(true));
}

fn request(id: i32, method: &str, params: Value) -> Message {
    Request::new(RequestId::from(id), method.into(), params).into()
}

fn notification(method: &str, params: Value) -> Message {
    Notification::new(method.into(), params).into()
}

fn open(text: &str) -> Message {
    notification(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "wslconfig", "version": 1, "text": text}}),
    )
}

fn hover_at(id: i32, line: u32, character: u32) -> Message {
    request(
        id,
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}}),
    )
}

#[test]
fn a_request_overtaken_by_a_change_is_answered_content_modified() {
    // All queued before the server starts: one batch. The first hover was
    // asked about version 1, which the change behind it replaces.
    let mut client = Client::start_with(
        json!({}),
        vec![
            open("[wsl2]\nmemory=8GB\n"),
            hover_at(1, 1, 2),
            notification(
                "textDocument/didChange",
                json!({"textDocument": {"uri": URI, "version": 2},
                       "contentChanges": [{"text": "# moved down\n[wsl2]\nmemory=8GB\n"}]}),
            ),
            hover_at(2, 2, 2),
            request(3, "wslcfg/documentText", json!({"textDocument": {"uri": URI}})),
        ],
    );
    let first = client.wait_response(&RequestId::from(1));
    assert_eq!(first.error.expect("ContentModified").code, -32801);
    // The hover sent after the change is answered from the new text.
    let second = client.wait_response(&RequestId::from(2));
    assert!(second.error.is_none(), "{second:?}");
    let text = client.wait_response(&RequestId::from(3)).result.unwrap();
    assert_eq!(text["version"], 2);
    // Diagnostics are published once, for the last version.
    assert!(client.diagnostics(URI, 2).is_empty());
    if let Some(hover) = second.result.filter(|r| !r.is_null()) {
        assert_eq!(hover["range"]["start"]["line"], 2, "{hover}");
    }
    assert_eq!(client.shutdown(), Ok(true));
}

#[test]
fn a_cancelled_request_is_answered_request_cancelled() {
    let mut client = Client::start_with(
        json!({}),
        vec![
            open("[wsl2]\nmemory=8GB\n"),
            hover_at(7, 1, 2),
            notification("$/cancelRequest", json!({"id": 7})),
            hover_at(8, 1, 2),
        ],
    );
    let cancelled = client.wait_response(&RequestId::from(7));
    assert_eq!(cancelled.error.expect("cancelled").code, -32800);
    let answered = client.wait_response(&RequestId::from(8));
    assert!(answered.error.is_none(), "{answered:?}");
    // Cancelling a request already answered changes nothing.
    client.notify("$/cancelRequest", json!({"id": 8}));
    assert!(
        client
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": URI}, "position": {"line": 1, "character": 2}})
            )
            .is_ok()
    );
    assert_eq!(client.shutdown(), Ok(true));
}

#[test]
fn requests_in_order_see_every_change_before_them() {
    let mut client = Client::start_default();
    client.open(URI, "[wsl2]\n");
    for v in 2..=20 {
        client.change(
            URI,
            v,
            json!([{"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
                    "text": "x"}]),
        );
        // No waiting for diagnostics: the request is queued behind the change.
        let (version, text) = client.server_text(URI);
        assert_eq!(version, v);
        assert_eq!(text, format!("[wsl2]\n{}", "x".repeat(v as usize - 1)));
    }
    assert_eq!(client.shutdown(), Ok(true));
}

#[test]
fn unknown_requests_and_bad_parameters() {
    let mut client = Client::start_default();
    assert_eq!(
        client.request("textDocument/definition", json!({})).unwrap_err().0,
        -32601
    );
    assert_eq!(
        client
            .request("textDocument/hover", json!({"nonsense": 1}))
            .unwrap_err()
            .0,
        -32602
    );
    // Unknown notifications are ignored.
    client.notify("$/setTrace", json!({"value": "off"}));
    client.notify("textDocument/didChange", json!({"garbage": true}));
    assert_eq!(client.shutdown(), Ok(true));
}

#[test]
fn shutdown_then_exit() {
    let mut client = Client::start_default();
    client.open(URI, "[wsl2]\n");
    assert_eq!(client.request("shutdown", Value::Null), Ok(Value::Null));
    // After shutdown every request is refused.
    assert_eq!(client.request("textDocument/hover", json!({})).unwrap_err().0, -32600);
    client.notify("exit", Value::Null);
    // The server stops and reports a clean exit.
    assert_eq!(client.exit(), Ok(true));
}

#[test]
fn exit_without_shutdown_is_not_clean() {
    let client = Client::start_default();
    assert_eq!(client.exit(), Ok(false));
}

#[test]
fn the_stdio_binary_speaks_lsp() {
    // `wslcfg lsp` over real pipes: initialize, one document, shutdown, exit.
    use std::io::{BufReader, Write};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_wslcfg"))
        .arg("lsp")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut send = |m: Message| {
        m.write(&mut stdin).unwrap();
        stdin.flush().unwrap();
    };
    send(request(1, "initialize", json!({"capabilities": {}})));
    send(notification("initialized", json!({})));
    send(open("[wsl2]\nmemroy=4GB\n"));
    let mut read_until = |wanted: &dyn Fn(&Message) -> bool| loop {
        let m = Message::read(&mut stdout).unwrap().expect("the server answers");
        if wanted(&m) {
            return m;
        }
    };
    let Message::Notification(diagnostics) =
        read_until(&|m| matches!(m, Message::Notification(n) if n.method == "textDocument/publishDiagnostics"))
    else {
        unreachable!()
    };
    let diagnostics = diagnostics.params;
    send(request(2, "shutdown", Value::Null));
    read_until(&|m| matches!(m, Message::Response(r) if r.id == RequestId::from(2)));
    send(notification("exit", Value::Null));
    drop(stdin);
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    assert_eq!(diagnostics["diagnostics"][0]["code"], "KEY001");
}

#[test]
fn a_changed_workspace_host_file_is_reloaded() {
    let dir = tempfile::tempdir().unwrap();
    let host_file = dir.path().join(".wslcfg-host.json");
    std::fs::write(&host_file, r#"{"cpu": {"logicalProcessors": 64}}"#).unwrap();
    let mut client = Client::start(json!({
        "rootUri": file_uri(dir.path()),
        "capabilities": capabilities(json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}))
    }));
    assert_eq!(ids(&client.open(URI, PROCESSORS)), ["VAL008"]);
    // The server asked to be told about changes of the file.
    let registration = client
        .server_requests
        .iter()
        .find(|r| r.method == "client/registerCapability")
        .expect("a registration");
    let registration = &registration.params["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    assert_eq!(
        registration["registerOptions"]["watchers"][0]["globPattern"],
        "**/.wslcfg-host.json"
    );
    std::fs::write(&host_file, r#"{"cpu": {"logicalProcessors": 2}}"#).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&host_file), "type": 2}]}),
    );
    assert_eq!(ids(&client.diagnostics(URI, 1)), ["VAL008", "PAS001"]);
    assert_eq!(client.shutdown(), Ok(true));
}

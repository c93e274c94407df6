//! A small LSP client for the protocol tests: drives `wslcfg::lsp::run` on a
//! thread over the in-memory transport of `lsp-server`.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::collections::VecDeque;
use std::thread::JoinHandle;
use std::time::Duration;
use wslcfg::lsp::lsp_server::{Connection, Message, Notification, Request, RequestId, Response};

/// Guards the tests against a server that never answers (a failure, not a
/// timing assertion: every answer normally comes within milliseconds).
const PATIENCE: Duration = Duration::from_secs(120);

pub const URI: &str = "file:///home/me/.wslconfig";

pub fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Client {
    conn: Connection,
    server: Option<JoinHandle<Result<bool, String>>>,
    next_id: i32,
    /// Notifications received and not yet taken.
    pub notifications: VecDeque<Notification>,
    /// Requests the server sent (answered automatically).
    pub server_requests: Vec<Request>,
    /// The answer to `workspace/configuration` (the `wslcfg` section).
    pub configuration: Value,
    pub initialize_result: Value,
}

/// Client capabilities of a typical editor; `extra` is merged in.
pub fn capabilities(extra: Value) -> Value {
    let mut caps = json!({
        "textDocument": {
            "hover": {"contentFormat": ["markdown", "plaintext"]},
            "completion": {"completionItem": {"snippetSupport": false}},
            "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}},
            "publishDiagnostics": {"relatedInformation": true, "versionSupport": true, "tagSupport": {"valueSet": [1, 2]}}
        },
        "workspace": {"workspaceEdit": {"documentChanges": true}}
    });
    merge(&mut caps, extra);
    caps
}

fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (slot, v) => *slot = v,
    }
}

impl Client {
    /// Starts a server and initializes it with `params` (`capabilities`
    /// defaulting to [`capabilities`]).
    pub fn start(params: Value) -> Client {
        Client::start_with(params, Vec::new())
    }

    pub fn start_default() -> Client {
        Client::start(json!({}))
    }

    /// Like [`Client::start`], but `queued` messages are in the server's
    /// queue before it starts: it reads them as one batch right after
    /// `initialized` (deterministic batching for the stale-request tests).
    pub fn start_with(params: Value, queued: Vec<Message>) -> Client {
        let (server_conn, conn) = Connection::memory();
        let mut params = params;
        if params.get("capabilities").is_none() {
            params["capabilities"] = capabilities(json!({}));
        }
        conn.sender
            .send(Request::new(RequestId::from(0), "initialize".into(), params).into())
            .unwrap();
        conn.sender
            .send(Notification::new("initialized".into(), json!({})).into())
            .unwrap();
        for m in queued {
            conn.sender.send(m).unwrap();
        }
        let server = std::thread::spawn(move || wslcfg::lsp::run(server_conn));
        let mut client = Client {
            conn,
            server: Some(server),
            next_id: 1000,
            notifications: VecDeque::new(),
            server_requests: Vec::new(),
            configuration: Value::Null,
            initialize_result: Value::Null,
        };
        let init = client.wait_response(&RequestId::from(0));
        client.initialize_result = init.result.expect("initialize succeeds");
        client
    }

    fn recv(&mut self) -> Message {
        match self.conn.receiver.recv_timeout(PATIENCE) {
            Ok(m) => m,
            Err(e) => panic!("no message from the server: {e}"),
        }
    }

    /// Takes one message; notifications are queued, server requests answered.
    fn pump(&mut self) -> Option<Response> {
        match self.recv() {
            Message::Response(r) => Some(r),
            Message::Notification(n) => {
                self.notifications.push_back(n);
                None
            }
            Message::Request(r) => {
                let result = match r.method.as_str() {
                    "workspace/configuration" => json!([self.configuration.clone()]),
                    _ => Value::Null,
                };
                self.conn
                    .sender
                    .send(Response::new_ok(r.id.clone(), result).into())
                    .unwrap();
                self.server_requests.push(r);
                None
            }
        }
    }

    pub fn wait_response(&mut self, id: &RequestId) -> Response {
        loop {
            if let Some(r) = self.pump() {
                if &r.id == id {
                    return r;
                }
                panic!("unexpected response {r:?}");
            }
        }
    }

    pub fn send_request(&mut self, method: &str, params: Value) -> RequestId {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.conn
            .sender
            .send(Request::new(id.clone(), method.into(), params).into())
            .unwrap();
        id
    }

    /// Sends a request and waits for its answer: `Ok(result)` or `Err((code, message))`.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, (i32, String)> {
        let id = self.send_request(method, params);
        let r = self.wait_response(&id);
        match r.error {
            Some(e) => Err((e.code, e.message)),
            None => Ok(r.result.unwrap_or(Value::Null)),
        }
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Notification::new(method.into(), params).into())
            .unwrap();
    }

    /// Waits for the next notification of `method` (earlier ones of other
    /// methods stay queued).
    pub fn wait_notification(&mut self, method: &str) -> Value {
        loop {
            if let Some(i) = self.notifications.iter().position(|n| n.method == method) {
                return self.notifications.remove(i).unwrap().params;
            }
            if let Some(r) = self.pump() {
                panic!("unexpected response {r:?}");
            }
        }
    }

    /// The diagnostics published for `uri` at `version` (earlier
    /// publications are skipped; a later version is a failure).
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        loop {
            let p = self.wait_notification("textDocument/publishDiagnostics");
            if p["uri"] != uri {
                continue;
            }
            let v = p["version"].as_i64().expect("publishDiagnostics carries the version");
            assert!(v <= version, "diagnostics of version {v} while waiting for {version}");
            if v == version {
                return p["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    /// Notifications of `method` received so far (taken out of the queue).
    pub fn take(&mut self, method: &str) -> Vec<Value> {
        let (taken, kept) = std::mem::take(&mut self.notifications)
            .into_iter()
            .partition(|n| n.method == method);
        self.notifications = kept;
        taken.into_iter().map(|n: Notification| n.params).collect()
    }

    pub fn open(&mut self, uri: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "wslconfig", "version": 1, "text": text}}),
        );
        self.diagnostics(uri, 1)
    }

    pub fn change(&self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    /// The server's copy of a document (`wslcfg/documentText`).
    pub fn server_text(&mut self, uri: &str) -> (i64, String) {
        let r = self
            .request("wslcfg/documentText", json!({"textDocument": {"uri": uri}}))
            .unwrap();
        (r["version"].as_i64().unwrap(), r["text"].as_str().unwrap().to_owned())
    }

    pub fn hover(&mut self, uri: &str, line: u32, character: u32) -> Value {
        self.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
        .unwrap()
    }

    pub fn completion(&mut self, uri: &str, line: u32, character: u32) -> Vec<Value> {
        let r = self
            .request(
                "textDocument/completion",
                json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
            )
            .unwrap();
        match r {
            Value::Array(items) => items,
            Value::Object(list) => list["items"].as_array().unwrap().clone(),
            _ => Vec::new(),
        }
    }

    /// Sends `shutdown` and `exit`; returns what `run` returned.
    pub fn shutdown(mut self) -> Result<bool, String> {
        self.request("shutdown", Value::Null).unwrap();
        self.notify("exit", Value::Null);
        self.server.take().unwrap().join().unwrap()
    }

    /// Sends `exit` alone.
    pub fn exit(mut self) -> Result<bool, String> {
        self.notify("exit", Value::Null);
        self.server.take().unwrap().join().unwrap()
    }
}

/// The whole-document range of `text` in UTF-16 positions, for full replacements.
pub fn position_of(text: &str, offset: usize) -> Value {
    // An independent count: lines end at LF, CR LF or a lone CR; columns count UTF-16 units.
    let mut line = 0;
    let mut col = 0;
    let mut chars = text[..offset].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => {
                line += 1;
                col = 0;
            }
            '\r' if chars.peek() != Some(&'\n') => {
                line += 1;
                col = 0;
            }
            '\r' => col += 1,
            c => col += c.len_utf16(),
        }
    }
    json!({"line": line, "character": col})
}

/// Offset of a substring (first occurrence).
pub fn at(text: &str, needle: &str) -> usize {
    text.find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in the text"))
}

//! The language server's reaction time: from a `didChange` of a typical
//! `.wslconfig` to the `publishDiagnostics` for the new version, through
//! the whole server (the in-memory transport of `lsp-server`, applying the
//! incremental change, the analysis, the conversion to protocol types).
//! Target: under 20 ms. Results are recorded in docs/performance.md
//! ("Language server").
//!
//! `cargo bench --bench lsp` runs in under a minute.

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use std::time::Duration;
use wslcfg::lsp::lsp_server::{Connection, Message, Notification, Request, RequestId};

mod support;

use support::TYPICAL;

const URI: &str = "file:///bench/.wslconfig";

struct Session {
    client: Connection,
    server: Option<std::thread::JoinHandle<Result<bool, String>>>,
    version: i64,
}

impl Session {
    fn start(text: &str) -> Session {
        let (server, client) = Connection::memory();
        let handle = std::thread::spawn(move || wslcfg::lsp::run(server));
        let s = Session {
            client,
            server: Some(handle),
            version: 1,
        };
        s.send(Request::new(RequestId::from(1), "initialize".into(), json!({"capabilities": {}})).into());
        s.wait(|m| matches!(m, Message::Response(_)));
        s.notify("initialized", json!({}));
        s.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": URI, "languageId": "wslconfig", "version": 1, "text": text}}),
        );
        s.wait_diagnostics();
        s
    }

    fn send(&self, m: Message) {
        self.client.sender.send(m).unwrap();
    }

    fn notify(&self, method: &str, params: Value) {
        self.send(Notification::new(method.into(), params).into());
    }

    fn wait(&self, f: impl Fn(&Message) -> bool) -> Message {
        loop {
            let m = self.client.receiver.recv().unwrap();
            if f(&m) {
                return m;
            }
        }
    }

    /// The diagnostics of the current version; their number.
    fn wait_diagnostics(&self) -> usize {
        let version = self.version;
        let m = self.wait(|m| {
            matches!(m, Message::Notification(n) if n.method == "textDocument/publishDiagnostics"
                && n.params["version"] == version)
        });
        match m {
            Message::Notification(n) => n.params["diagnostics"].as_array().map_or(0, Vec::len),
            _ => unreachable!(),
        }
    }

    /// One incremental change (replace `len` characters at line/character), then its diagnostics.
    fn change(&mut self, line: u32, character: u32, len: u32, text: &str) -> usize {
        self.version += 1;
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": self.version},
                   "contentChanges": [{"range": {"start": {"line": line, "character": character},
                                                 "end": {"line": line, "character": character + len}},
                                       "text": text}]}),
        );
        self.wait_diagnostics()
    }

    fn stop(mut self) {
        self.send(Request::new(RequestId::from(2), "shutdown".into(), Value::Null).into());
        self.wait(|m| matches!(m, Message::Response(_)));
        self.notify("exit", Value::Null);
        let _ = self.server.take().unwrap().join();
    }
}

fn did_change(c: &mut Criterion) {
    let mut group = c.benchmark_group("lsp");
    group.measurement_time(Duration::from_secs(10));

    // Typing in the value of `memory=8GB` (line 6): 8GB → 4GB → 8GB …, no diagnostics.
    let mut s = Session::start(TYPICAL);
    let mut flip = false;
    group.bench_function("didChange→publishDiagnostics (typical, clean)", |b| {
        b.iter(|| {
            flip = !flip;
            s.change(6, 7, 1, if flip { "4" } else { "8" })
        })
    });
    s.stop();

    // Typing a misspelled key and back: `memory` ⇄ `memroy` (KEY001 with a suggestion, PAS, LNT).
    let mut s = Session::start(TYPICAL);
    let mut flip = false;
    group.bench_function("didChange→publishDiagnostics (typical, misspelled key)", |b| {
        b.iter(|| {
            flip = !flip;
            s.change(6, 3, 3, if flip { "roy" } else { "ory" })
        })
    });
    s.stop();
    group.finish();
}

criterion_group!(benches, did_change);
criterion_main!(benches);

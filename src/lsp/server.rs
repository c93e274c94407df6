//! The server loop: initialization, dispatch, the life cycle of requests.
//!
//! One thread handles every message in the order the client sent it, so a
//! request is always computed against the text the client had when it sent
//! it. Messages are taken in batches (everything already queued): within a
//! batch,
//!
//! * a request followed by a `didChange` or `didClose` of its document is
//!   answered with `ContentModified` (-32801) without being computed: its
//!   positions would be out of date by the time the client reads the answer;
//! * a request followed by a `$/cancelRequest` for it is answered with
//!   `RequestCancelled` (-32800);
//! * several changes of one document are analysed once: diagnostics are
//!   published after the batch, for the last version, with that version.
//!
//! A panic while computing an answer (a bug) is caught: the request gets an
//! `InternalError`, the server goes on.

use super::capabilities;
use super::diagnostics::{self, Converter};
use super::documents::{Document, Documents, State, is_wslconfig, uri_to_path};
use super::features;
use super::position::PositionEncoding;
use super::settings::{self, Resolved, Settings};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{InitializeParams, Uri};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

/// A wslcfg extension: `{"textDocument": {"uri"}}` → `{"version", "text"}`
/// of the server's copy of an open document, `null` when it is not open. For
/// tests and for checking a client's synchronisation.
pub const DOCUMENT_TEXT: &str = "wslcfg/documentText";

/// The most messages handled as one batch.
const MAX_BATCH: usize = 1024;

/// Runs the server on a connection until the client sends `exit` or goes
/// away. `Ok(true)`: `exit` came after `shutdown` (exit status 0, LSP).
/// An `Err` says why the session could not start (no `initialize`, invalid
/// parameters, no `initialized`).
pub fn run(connection: Connection) -> Result<bool, String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = match serde_json::from_value(params) {
        Ok(p) => p,
        Err(e) => {
            let response = Response::new_err(id, ErrorCode::InvalidParams as i32, format!("initialize: {e}"));
            let _ = connection.sender.send(response.into());
            return Err(format!("invalid initialize parameters: {e}"));
        }
    };
    let mut server = Server::new(&connection, &params);
    connection
        .initialize_finish(id, capabilities::initialize_result(server.encoding))
        .map_err(|e| e.to_string())?;
    server.start();
    Ok(server.main_loop())
}

/// What an outgoing request was for.
enum Outgoing {
    Configuration,
    Registration,
}

struct Server<'c> {
    connection: &'c Connection,
    documents: Documents,
    encoding: PositionEncoding,
    client: capabilities::Client,
    root: Option<PathBuf>,
    init_settings: Settings,
    workspace_settings: Settings,
    resolved: Resolved,
    /// Errors shown for the current settings (not repeated).
    shown_errors: Vec<String>,
    next_id: u64,
    pending: HashMap<RequestId, Outgoing>,
    /// Documents whose diagnostics must be published after this batch.
    dirty: BTreeSet<Uri>,
    shutdown: bool,
}

impl<'c> Server<'c> {
    fn new(connection: &'c Connection, params: &InitializeParams) -> Server<'c> {
        let client = capabilities::Client::from(&params.capabilities);
        #[allow(deprecated)]
        let root_uri = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| f.uri.clone())
            .or_else(|| params.root_uri.clone());
        #[allow(deprecated)]
        let root = root_uri
            .as_ref()
            .and_then(uri_to_path)
            .or_else(|| params.root_path.as_ref().map(PathBuf::from));
        let init_settings = Settings::from_json(params.initialization_options.as_ref());
        let resolved = settings::resolve(&init_settings, root.as_deref());
        Server {
            connection,
            documents: Documents::default(),
            encoding: client.encoding,
            client,
            root,
            init_settings,
            workspace_settings: Settings::default(),
            resolved,
            shown_errors: Vec::new(),
            next_id: 0,
            pending: HashMap::new(),
            dirty: BTreeSet::new(),
            shutdown: false,
        }
    }

    /// After `initialized`: report the settings, ask for the workspace
    /// configuration and for configuration change notifications.
    fn start(&mut self) {
        self.show_errors();
        self.log_settings();
        if self.client.dynamic_configuration {
            let registration = lsp_types::Registration {
                id: "wslcfg-configuration".into(),
                method: notif::DidChangeConfiguration::METHOD.into(),
                register_options: None,
            };
            self.request::<req::RegisterCapability>(
                lsp_types::RegistrationParams {
                    registrations: vec![registration],
                },
                Outgoing::Registration,
            );
        }
        if self.client.dynamic_watched_files {
            let options = lsp_types::DidChangeWatchedFilesRegistrationOptions {
                watchers: vec![lsp_types::FileSystemWatcher {
                    glob_pattern: lsp_types::GlobPattern::String(format!("**/{}", settings::WORKSPACE_HOST_FILE)),
                    kind: None,
                }],
            };
            let registration = lsp_types::Registration {
                id: "wslcfg-host-file".into(),
                method: notif::DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            };
            self.request::<req::RegisterCapability>(
                lsp_types::RegistrationParams {
                    registrations: vec![registration],
                },
                Outgoing::Registration,
            );
        }
        self.pull_configuration();
    }

    fn main_loop(&mut self) -> bool {
        loop {
            let Ok(first) = self.connection.receiver.recv() else {
                // The client went away without `exit`.
                return false;
            };
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match self.connection.receiver.try_recv() {
                    Ok(message) => batch.push(message),
                    Err(_) => break,
                }
            }
            if let Some(clean) = self.handle_batch(batch) {
                return clean;
            }
            self.publish_dirty();
        }
    }

    /// Handles one batch; `Some(clean)` when `exit` came.
    fn handle_batch(&mut self, batch: Vec<Message>) -> Option<bool> {
        let mut cancelled = HashSet::new();
        let mut last_change: HashMap<String, usize> = HashMap::new();
        for (i, message) in batch.iter().enumerate() {
            if let Message::Notification(n) = message {
                match n.method.as_str() {
                    notif::Cancel::METHOD => {
                        if let Some(id) = n
                            .params
                            .get("id")
                            .and_then(|id| serde_json::from_value(id.clone()).ok())
                        {
                            let id: RequestId = id;
                            cancelled.insert(id);
                        }
                    }
                    notif::DidChangeTextDocument::METHOD | notif::DidCloseTextDocument::METHOD => {
                        if let Some(uri) = document_of(&n.params) {
                            last_change.insert(uri.to_owned(), i);
                        }
                    }
                    _ => {}
                }
            }
        }
        for (i, message) in batch.into_iter().enumerate() {
            match message {
                Message::Request(request) => {
                    let stale = document_of(&request.params)
                        .and_then(|uri| last_change.get(uri))
                        .is_some_and(|&changed| changed > i);
                    if self.shutdown {
                        self.error(request.id, ErrorCode::InvalidRequest, "the server is shutting down");
                    } else if cancelled.contains(&request.id) {
                        self.error(request.id, ErrorCode::RequestCanceled, "cancelled");
                    } else if stale {
                        self.error(
                            request.id,
                            ErrorCode::ContentModified,
                            "the document changed after this request",
                        );
                    } else {
                        self.handle_request(request);
                    }
                }
                Message::Notification(n) if n.method == notif::Exit::METHOD => return Some(self.shutdown),
                Message::Notification(n) => self.handle_notification(n),
                Message::Response(r) => self.handle_response(r),
            }
        }
        None
    }

    // -----------------------------------------------------------------------
    // Requests

    fn handle_request(&mut self, request: Request) {
        let Request { id, method, params } = request;
        let result = match method.as_str() {
            req::Shutdown::METHOD => {
                self.shutdown = true;
                Ok(Value::Null)
            }
            req::HoverRequest::METHOD => self.with_params::<req::HoverRequest>(params, |s, p| {
                let tdp = p.text_document_position_params;
                s.feature(&tdp.text_document.uri, |conv, a| {
                    serde_json::to_value(features::hover(conv, a, tdp.position))
                })
            }),
            req::Completion::METHOD => self.with_params::<req::Completion>(params, |s, p| {
                let tdp = p.text_document_position;
                s.feature(&tdp.text_document.uri, |conv, a| {
                    serde_json::to_value(features::completion(conv, a, tdp.position))
                })
            }),
            req::InlayHintRequest::METHOD => self.with_params::<req::InlayHintRequest>(params, |s, p| {
                s.feature(&p.text_document.uri, |conv, a| {
                    serde_json::to_value(features::inlay_hints(conv, a, p.range))
                })
            }),
            req::CodeActionRequest::METHOD => self.with_params::<req::CodeActionRequest>(params, |s, p| {
                let wanted = p.context.only.as_ref().is_none_or(|only| {
                    only.iter()
                        .any(|k| lsp_types::CodeActionKind::QUICKFIX.as_str().starts_with(k.as_str()))
                });
                if !wanted {
                    return Ok(Value::Array(Vec::new()));
                }
                let versioned = s.client.document_changes;
                s.feature(&p.text_document.uri, |conv, a| {
                    serde_json::to_value(features::code_actions(conv, a, p.range, versioned))
                })
            }),
            DOCUMENT_TEXT => Ok(self.document_text(&params)),
            _ => Err((ErrorCode::MethodNotFound, format!("unknown request `{method}`"))),
        };
        let response = match result {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(response.into());
    }

    /// `wslcfg/documentText`: the server's copy of a document.
    fn document_text(&self, params: &Value) -> Value {
        let doc = document_of(params)
            .and_then(|uri| uri.parse::<Uri>().ok())
            .and_then(|uri| self.documents.get(&uri));
        match doc {
            Some(doc) => serde_json::json!({ "version": doc.version, "text": doc.text }),
            None => Value::Null,
        }
    }

    /// Parses a request's parameters and runs `f`, catching panics.
    fn with_params<R: req::Request>(
        &mut self,
        params: Value,
        f: impl FnOnce(&mut Self, R::Params) -> Result<Value, serde_json::Error>,
    ) -> Result<Value, (ErrorCode, String)> {
        let params: R::Params =
            serde_json::from_value(params).map_err(|e| (ErrorCode::InvalidParams, format!("{}: {e}", R::METHOD)))?;
        match catch_unwind(AssertUnwindSafe(|| f(self, params))) {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err((ErrorCode::InternalError, e.to_string())),
            Err(_) => Err((ErrorCode::InternalError, format!("{}: internal error", R::METHOD))),
        }
    }

    /// Runs a feature on the current analysis of a document; `null` for a
    /// document that is not open or is over the size limit.
    fn feature(
        &mut self,
        uri: &Uri,
        f: impl FnOnce(&Converter, &crate::ide::Analysis) -> Result<Value, serde_json::Error>,
    ) -> Result<Value, serde_json::Error> {
        let options = &self.resolved.options;
        let Some(doc) = self.documents.get_mut(uri) else {
            return Ok(Value::Null);
        };
        doc.state(&display_path(uri), options);
        let doc: &Document = doc;
        let Some(analysis) = doc.current().and_then(State::analysis) else {
            return Ok(Value::Null);
        };
        let conv = Converter {
            uri,
            doc,
            encoding: self.encoding,
        };
        f(&conv, analysis)
    }

    // -----------------------------------------------------------------------
    // Notifications

    fn handle_notification(&mut self, n: Notification) {
        match n.method.as_str() {
            notif::DidOpenTextDocument::METHOD => {
                if let Ok(p) = parse::<notif::DidOpenTextDocument>(n.params) {
                    let item = p.text_document;
                    if is_wslconfig(&item.uri, Some(&item.language_id)) {
                        self.documents.open(item.uri.clone(), item.text, item.version);
                        self.dirty.insert(item.uri);
                    }
                }
            }
            notif::DidChangeTextDocument::METHOD => {
                if let Ok(p) = parse::<notif::DidChangeTextDocument>(n.params) {
                    let uri = p.text_document.uri;
                    if let Some(doc) = self.documents.get_mut(&uri) {
                        doc.apply(p.content_changes, p.text_document.version, self.encoding);
                        self.dirty.insert(uri);
                    }
                }
            }
            notif::DidCloseTextDocument::METHOD => {
                if let Ok(p) = parse::<notif::DidCloseTextDocument>(n.params) {
                    let uri = p.text_document.uri;
                    if self.documents.close(&uri) {
                        self.dirty.remove(&uri);
                        // Clear what was published for it.
                        self.publish(uri, Vec::new(), None);
                    }
                }
            }
            notif::DidChangeConfiguration::METHOD => {
                // Push model: the notification carries the `wslcfg` section
                // (or its fields at the top level). Pull model: it carries
                // nothing useful, and the server asks for the section.
                let settings = n.params.get("settings");
                let ours = settings.and_then(Value::as_object).is_some_and(|m| {
                    m.get("wslcfg").is_some_and(Value::is_object)
                        || ["dialect", "host", "hostSet"].iter().any(|k| m.contains_key(*k))
                });
                if ours {
                    self.workspace_settings = Settings::from_json(settings);
                    self.reconfigure();
                } else if self.client.configuration {
                    self.pull_configuration();
                } else {
                    self.reconfigure();
                }
            }
            notif::DidChangeWatchedFiles::METHOD => self.reconfigure(),
            _ => {}
        }
    }

    fn handle_response(&mut self, response: Response) {
        match self.pending.remove(&response.id) {
            Some(Outgoing::Configuration) => {
                if let Some(Value::Array(items)) = response.result {
                    self.workspace_settings = Settings::from_json(items.first());
                    self.reconfigure();
                }
            }
            Some(Outgoing::Registration) | None => {}
        }
    }

    // -----------------------------------------------------------------------
    // Settings

    fn pull_configuration(&mut self) {
        if self.client.configuration {
            let params = lsp_types::ConfigurationParams {
                items: vec![lsp_types::ConfigurationItem {
                    scope_uri: None,
                    section: Some("wslcfg".into()),
                }],
            };
            self.request::<req::WorkspaceConfiguration>(params, Outgoing::Configuration);
        }
    }

    /// Resolves the settings again; when the lint options change, every
    /// document is analysed again.
    fn reconfigure(&mut self) {
        let merged = self.workspace_settings.or(&self.init_settings);
        let resolved = settings::resolve(&merged, self.root.as_deref());
        let changed = resolved.options.dialect != self.resolved.options.dialect
            || resolved.options.host != self.resolved.options.host;
        self.resolved = resolved;
        self.show_errors();
        if changed {
            self.log_settings();
            for (uri, doc) in self.documents.iter_mut() {
                doc.invalidate();
                self.dirty.insert(uri.clone());
            }
        }
    }

    fn show_errors(&mut self) {
        if self.resolved.errors == self.shown_errors {
            return;
        }
        self.shown_errors = self.resolved.errors.clone();
        for message in self.resolved.errors.clone() {
            self.notify::<notif::ShowMessage>(lsp_types::ShowMessageParams {
                typ: lsp_types::MessageType::ERROR,
                message,
            });
        }
    }

    fn log_settings(&mut self) {
        let host = match &self.resolved.host_source {
            settings::HostSource::Embedded => "the embedded default".to_owned(),
            settings::HostSource::Setting(p) | settings::HostSource::Workspace(p) => format!("`{}`", p.display()),
        };
        let message = format!(
            "wslcfg: dialect {}, host profile {host}",
            self.resolved.options.dialect.as_str()
        );
        self.notify::<notif::LogMessage>(lsp_types::LogMessageParams {
            typ: lsp_types::MessageType::INFO,
            message,
        });
    }

    // -----------------------------------------------------------------------
    // Diagnostics

    fn publish_dirty(&mut self) {
        if self.shutdown {
            // Nothing is sent after the answer to `shutdown`.
            self.dirty.clear();
            return;
        }
        for uri in std::mem::take(&mut self.dirty) {
            let options = &self.resolved.options;
            let encoding = self.encoding;
            let Some(doc) = self.documents.get_mut(&uri) else {
                continue;
            };
            let computed = catch_unwind(AssertUnwindSafe(|| {
                doc.state(&display_path(&uri), options);
                let doc: &Document = doc;
                let report = doc.current().map(State::report)?;
                Some(diagnostics::convert_all(&uri, doc, report, encoding))
            }));
            let version = doc.version;
            match computed {
                Ok(Some(list)) => self.publish(uri, list, Some(version)),
                _ => eprintln!("wslcfg lsp: internal error while analysing {}", uri.as_str()),
            }
        }
    }

    fn publish(&mut self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        self.notify::<notif::PublishDiagnostics>(lsp_types::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        });
    }

    // -----------------------------------------------------------------------
    // Sending

    fn send(&self, message: Message) {
        // A closed connection ends the loop at the next receive.
        let _ = self.connection.sender.send(message);
    }

    fn error(&self, id: RequestId, code: ErrorCode, message: &str) {
        self.send(Response::new_err(id, code as i32, message.to_owned()).into());
    }

    fn notify<N: notif::Notification>(&self, params: N::Params) {
        self.send(Notification::new(N::METHOD.to_owned(), params).into());
    }

    fn request<R: req::Request>(&mut self, params: R::Params, what: Outgoing) {
        self.next_id += 1;
        let id = RequestId::from(format!("wslcfg-{}", self.next_id));
        self.pending.insert(id.clone(), what);
        self.send(Request::new(id, R::METHOD.to_owned(), params).into());
    }
}

fn parse<N: notif::Notification>(params: Value) -> Result<N::Params, serde_json::Error> {
    serde_json::from_value(params)
}

/// `params.textDocument.uri`, the document a message is about.
fn document_of(params: &Value) -> Option<&str> {
    params.get("textDocument")?.get("uri")?.as_str()
}

/// The name used in messages: the file path, or the URI.
fn display_path(uri: &Uri) -> String {
    uri_to_path(uri).map_or_else(|| uri.as_str().to_owned(), |p| p.display().to_string())
}

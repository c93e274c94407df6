//! What the server offers (`initialize` result) and what it uses of the
//! client's capabilities.

use super::position::PositionEncoding;
use lsp_types::{
    ClientCapabilities, CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    HoverProviderCapability, OneOf, ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions,
};
use serde_json::Value;

/// The client capabilities the server looks at.
#[derive(Clone, Copy, Debug, Default)]
pub struct Client {
    /// The negotiated position encoding.
    pub encoding: PositionEncoding,
    /// `workspace/configuration` is supported.
    pub configuration: bool,
    /// `workspace/didChangeConfiguration` can be registered dynamically.
    pub dynamic_configuration: bool,
    /// `workspace/didChangeWatchedFiles` can be registered dynamically.
    pub dynamic_watched_files: bool,
    /// Workspace edits may use `documentChanges` (versioned edits).
    pub document_changes: bool,
}

impl From<&ClientCapabilities> for Client {
    fn from(caps: &ClientCapabilities) -> Client {
        let workspace = caps.workspace.as_ref();
        Client {
            encoding: PositionEncoding::negotiate(caps.general.as_ref().and_then(|g| g.position_encodings.as_deref())),
            configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
            dynamic_configuration: workspace
                .and_then(|w| w.did_change_configuration.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            dynamic_watched_files: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            document_changes: workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false),
        }
    }
}

pub fn server_capabilities(encoding: PositionEncoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            ..TextDocumentSyncOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["[".into(), "=".into()]),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        inlay_hint_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

/// The `initialize` result.
pub fn initialize_result(encoding: PositionEncoding) -> Value {
    serde_json::to_value(lsp_types::InitializeResult {
        capabilities: server_capabilities(encoding),
        server_info: Some(ServerInfo {
            name: "wslcfg".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    })
    .expect("the initialize result serializes")
}

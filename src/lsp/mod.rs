//! `wslcfg lsp`: a Language Server Protocol server for `.wslconfig` files
//! (docs/editors.md).
//!
//! Built on rust-analyzer's synchronous `lsp-server` transport and the
//! `lsp-types` protocol types. Everything the server says comes from the
//! library: diagnostics are `lint`'s records ([`crate::lint`]), hover,
//! completion, inlay hints and quick fixes come from [`crate::ide`]; this
//! module only keeps documents in sync and converts to and from the protocol.
//!
//! | module | job |
//! |---|---|
//! | `server` | the loop: initialization, batches, dispatch, cancellation, stale requests, shutdown |
//! | `capabilities` | what the server offers and what it uses of the client |
//! | `documents` | open documents, full and incremental sync, file-name recognition, the analysis cache |
//! | `position` | LSP positions (UTF-16 or UTF-8) ⇄ byte offsets |
//! | `settings` | dialect and host profile from the client's settings or the workspace |
//! | `diagnostics` | lint records → `publishDiagnostics` |
//! | `features` | hover, completion, inlay hints, code actions → protocol types |

mod capabilities;
pub mod diagnostics;
pub mod documents;
mod features;
pub mod position;
mod server;
pub mod settings;

pub use lsp_server;
pub use lsp_types;
pub use server::{DOCUMENT_TEXT, run};

/// Runs the server over standard input and output. `Ok(())` after a proper
/// `shutdown` + `exit`; an error when the transport failed or the client
/// sent `exit` without `shutdown` (LSP: exit status 1).
pub fn run_stdio() -> Result<(), String> {
    let (connection, io_threads) = lsp_server::Connection::stdio();
    let clean = run(connection).map_err(|e| format!("wslcfg lsp: {e}"))?;
    io_threads.join().map_err(|e| format!("wslcfg lsp: {e}"))?;
    if clean {
        Ok(())
    } else {
        Err("wslcfg lsp: the client exited without `shutdown`".to_owned())
    }
}

//! Text → lossless tree with byte spans. Parsing never fails: every input gives
//! a tree that covers every byte, plus the scanner's events and diagnostics.

mod decode;
mod lexer;
mod scan;
mod tree;

pub use decode::{Encoding, Malformed, Source};
pub use scan::{Entry, Event, SectionHeader, ValueFlags};
pub use tree::{Line, LineKind, Span, SyntaxTree, Token, TokenKind};

/// A parsed file: its decoded source, the tree and the scanner events.
#[derive(Clone, Debug)]
pub struct Parse {
    pub source: Source,
    pub tree: SyntaxTree,
    pub events: Vec<Event>,
}

/// Decodes and scans a file's bytes (with the byte scanner of `lexer.rs`).
pub fn parse(bytes: Vec<u8>) -> Parse {
    let source = Source::decode(bytes);
    let (tree, events) = lexer::scan(&source.text);
    Parse { source, tree, events }
}

/// Decodes and scans a file's bytes with the pest grammar
/// (`grammar/wslconfig.pest`), the executable specification. Gives exactly
/// what [`parse`] gives (tests/properties.rs), only slower.
pub fn parse_pest(bytes: Vec<u8>) -> Parse {
    let source = Source::decode(bytes);
    let (tree, events) = scan::scan_pest(&source.text);
    Parse { source, tree, events }
}

/// Scans already decoded text (no BOM handling).
pub fn parse_str(text: &str) -> Parse {
    parse(text.as_bytes().to_vec())
}

//! The open documents: their text as the editor holds it, kept in step with
//! `didOpen` / `didChange` (full and incremental sync) / `didClose`, and the
//! analysis of the current text, computed when first needed.

use super::position::{LineIndex, PositionEncoding};
use crate::ide::Analysis;
use crate::lint::{FileReport, LintOptions, lint_bytes};
use lsp_types::{TextDocumentContentChangeEvent, Uri};
use std::collections::HashMap;

/// Whether a document is a `.wslconfig`, by its file name (compared ignoring
/// ASCII case, as Windows compares file names): `.wslconfig`, `wslconfig`,
/// or any name ending in `.wslconfig` (`work.wslconfig`). A client that
/// labels a document with the language id `wslconfig` is trusted too.
pub fn is_wslconfig(uri: &Uri, language_id: Option<&str>) -> bool {
    if language_id == Some("wslconfig") {
        return true;
    }
    let path = uri.path().as_str();
    let name = path.rsplit('/').next().unwrap_or(path);
    let name = percent_decode(name).to_ascii_lowercase();
    name == "wslconfig" || name.ends_with(".wslconfig")
}

/// `%XX` escapes of a URI component decoded (invalid escapes kept as typed).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// A file URI as a local path (`file:///c%3A/x` → `c:/x` on Windows-style
/// paths, `file:///home/x` → `/home/x`); `None` for other schemes.
pub fn uri_to_path(uri: &Uri) -> Option<std::path::PathBuf> {
    if !uri.scheme().is_some_and(|s| s.as_str().eq_ignore_ascii_case("file")) {
        return None;
    }
    let path = percent_decode(uri.path().as_str());
    // `/c:/Users` → `c:/Users`
    let b = path.as_bytes();
    if b.len() >= 3 && b[0] == b'/' && b[1].is_ascii_alphabetic() && b[2] == b':' {
        return Some(path[1..].into());
    }
    Some(path.into())
}

/// What is known about a document's current text.
#[derive(Debug)]
pub enum State {
    /// Analysed: lint's report plus the syntax tree.
    Analysed(Box<Analysis>),
    /// Larger than the size limit: only the one LNT007 record, no parse.
    TooLarge(Box<FileReport>),
}

impl State {
    pub fn report(&self) -> &FileReport {
        match self {
            State::Analysed(a) => &a.report,
            State::TooLarge(r) => r,
        }
    }

    pub fn analysis(&self) -> Option<&Analysis> {
        match self {
            State::Analysed(a) => Some(a),
            State::TooLarge(_) => None,
        }
    }
}

/// One open document.
#[derive(Debug)]
pub struct Document {
    pub version: i32,
    /// The text exactly as the editor holds it (a BOM, if any, included).
    pub text: String,
    pub lines: LineIndex,
    /// The analysis of `text`; `None` until needed after a change.
    state: Option<State>,
}

impl Document {
    pub fn new(text: String, version: i32) -> Document {
        Document {
            version,
            lines: LineIndex::new(&text),
            text,
            state: None,
        }
    }

    /// Length in bytes of a UTF-8 BOM at the start of the text: the
    /// analysis' offsets point into the text after it.
    pub fn bom_len(&self) -> usize {
        if self.text.starts_with('\u{feff}') { 3 } else { 0 }
    }

    /// Applies the changes of one `didChange` in order (each range refers to
    /// the text after the changes before it).
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>, version: i32, encoding: PositionEncoding) {
        for change in changes {
            match change.range {
                None => self.text = change.text,
                Some(range) => {
                    let (start, end) = self.lines.offsets(&self.text, range, encoding);
                    self.text.replace_range(start..end, &change.text);
                }
            }
            self.lines = LineIndex::new(&self.text);
        }
        self.version = version;
        self.state = None;
    }

    /// The analysis of the current text, if computed.
    pub fn current(&self) -> Option<&State> {
        self.state.as_ref()
    }

    /// Forgets the analysis (the settings changed).
    pub fn invalidate(&mut self) {
        self.state = None;
    }

    /// The analysis of the current text, computed on first use.
    pub fn state(&mut self, path: &str, options: &LintOptions) -> &State {
        self.state.get_or_insert_with(|| analyse(path, &self.text, options))
    }
}

/// Lints a text, refusing one over the size limit before parsing it.
pub fn analyse(path: &str, text: &str, options: &LintOptions) -> State {
    if text.len() as u64 > options.max_size {
        // `lint_bytes` refuses it without parsing: only the LNT007 record.
        return State::TooLarge(Box::new(lint_bytes(path, text.as_bytes().to_vec(), options)));
    }
    State::Analysed(Box::new(Analysis::new(path, text, options)))
}

/// The open documents by URI.
#[derive(Debug, Default)]
pub struct Documents {
    map: HashMap<Uri, Document>,
}

impl Documents {
    pub fn open(&mut self, uri: Uri, text: String, version: i32) {
        self.map.insert(uri, Document::new(text, version));
    }

    pub fn close(&mut self, uri: &Uri) -> bool {
        self.map.remove(uri).is_some()
    }

    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.map.get(uri)
    }

    pub fn get_mut(&mut self, uri: &Uri) -> Option<&mut Document> {
        self.map.get_mut(uri)
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&Uri, &mut Document)> {
        self.map.iter_mut()
    }

    pub fn uris(&self) -> Vec<Uri> {
        let mut uris: Vec<Uri> = self.map.keys().cloned().collect();
        uris.sort();
        uris
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    #[test]
    fn recognised_names() {
        for yes in [
            "file:///home/me/.wslconfig",
            "file:///c%3A/Users/me/.WSLConfig",
            "file:///x/wslconfig",
            "file:///x/work.wslconfig",
            "untitled:work.wslconfig",
        ] {
            assert!(is_wslconfig(&uri(yes), None), "{yes}");
        }
        for no in [
            "file:///x/wsl.conf",
            "file:///x/.wslconfig.bak",
            "file:///x/mywslconfig",
        ] {
            assert!(!is_wslconfig(&uri(no), None), "{no}");
        }
        assert!(is_wslconfig(&uri("untitled:Untitled-1"), Some("wslconfig")));
    }

    #[test]
    fn file_paths() {
        assert_eq!(
            uri_to_path(&uri("file:///c%3A/Users/me%20x/.wslconfig")).unwrap(),
            std::path::PathBuf::from("c:/Users/me x/.wslconfig")
        );
        assert_eq!(
            uri_to_path(&uri("file:///home/me/.wslconfig")).unwrap(),
            std::path::PathBuf::from("/home/me/.wslconfig")
        );
        assert_eq!(uri_to_path(&uri("untitled:x")), None);
    }

    #[test]
    fn incremental_changes_apply_in_order() {
        let mut doc = Document::new("[wsl2]\nmemory=8GB\n".into(), 1);
        let change = |l1, c1, l2, c2, t: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: t.into(),
        };
        doc.apply(
            vec![
                change(1, 7, 1, 10, "4GB"),
                change(2, 0, 2, 0, "swap=0\n"),
                change(0, 0, 0, 0, "# é\n"),
            ],
            2,
            PositionEncoding::Utf16,
        );
        assert_eq!(doc.text, "# é\n[wsl2]\nmemory=4GB\nswap=0\n");
        assert_eq!(doc.version, 2);
    }
}

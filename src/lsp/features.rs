//! Hover, completion, inlay hints and quick fixes: the results of `src/ide/`
//! converted to protocol types (positions in the negotiated encoding).

use super::diagnostics::Converter;
use crate::ide::{self, Analysis, CompletionKind};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CompletionItem, CompletionItemKind, Documentation, Hover,
    HoverContents, InlayHint, InlayHintLabel, InlayHintTooltip, MarkupContent, MarkupKind, OneOf,
    OptionalVersionedTextDocumentIdentifier, Position, Range, TextDocumentEdit, TextEdit, WorkspaceEdit,
};
use std::collections::HashMap;

impl Converter<'_> {
    /// The byte offset in the analysis' decoded text of an editor position.
    pub fn offset(&self, position: Position) -> usize {
        let offset = self.doc.lines.offset(&self.doc.text, position, self.encoding);
        offset.saturating_sub(self.doc.bom_len())
    }

    fn span_range(&self, span: crate::syntax::Span) -> Range {
        self.range(span.start, span.end)
    }
}

fn markdown(value: String) -> MarkupContent {
    MarkupContent {
        kind: MarkupKind::Markdown,
        value,
    }
}

pub fn hover(conv: &Converter, analysis: &Analysis, position: Position) -> Option<Hover> {
    let hover = ide::hover(analysis, conv.offset(position))?;
    Some(Hover {
        contents: HoverContents::Markup(markdown(hover.markdown)),
        range: Some(conv.span_range(hover.span)),
    })
}

pub fn completion(conv: &Converter, analysis: &Analysis, position: Position) -> Vec<CompletionItem> {
    ide::complete(analysis, conv.offset(position))
        .into_iter()
        .enumerate()
        .map(|(i, c)| CompletionItem {
            kind: Some(match c.kind {
                CompletionKind::Section => CompletionItemKind::MODULE,
                CompletionKind::Key => CompletionItemKind::PROPERTY,
                CompletionKind::Value => CompletionItemKind::ENUM_MEMBER,
            }),
            detail: c.detail,
            documentation: c.documentation.map(|d| Documentation::MarkupContent(markdown(d))),
            // Keep ide's order: clients sort by `sortText`, else by label.
            sort_text: Some(format!("{i:04}")),
            filter_text: Some(c.insert.clone()),
            text_edit: Some(lsp_types::CompletionTextEdit::Edit(TextEdit {
                range: conv.span_range(c.replace),
                new_text: c.insert,
            })),
            label: c.label,
            ..CompletionItem::default()
        })
        .collect()
}

/// The hints whose position lies in `range`.
pub fn inlay_hints(conv: &Converter, analysis: &Analysis, range: Range) -> Vec<InlayHint> {
    let (from, to) = (conv.offset(range.start), conv.offset(range.end));
    ide::inlay_hints(analysis)
        .into_iter()
        .filter(|h| (from..=to).contains(&(h.offset as usize)))
        .map(|h| InlayHint {
            position: conv.position(h.offset),
            label: InlayHintLabel::String(h.label),
            kind: None,
            text_edits: None,
            tooltip: h.tooltip.map(|t| InlayHintTooltip::MarkupContent(markdown(t))),
            padding_left: Some(true),
            padding_right: None,
            data: None,
        })
        .collect()
}

fn overlaps(a: Range, b: Range) -> bool {
    let key = |p: Position| (p.line, p.character);
    key(a.start) <= key(b.end) && key(b.start) <= key(a.end)
}

/// The quick fixes of the diagnostics that touch `range`. With
/// `versioned_edits` (the client supports `documentChanges`) the edit names
/// the document version it was computed for, so a client never applies it to
/// a newer text.
pub fn code_actions(
    conv: &Converter,
    analysis: &Analysis,
    range: Range,
    versioned_edits: bool,
) -> Vec<CodeActionOrCommand> {
    let config = analysis.report.config.as_ref();
    ide::fixes(analysis)
        .into_iter()
        .filter_map(|fix| {
            let d = analysis.report.diagnostics.get(fix.diagnostic)?;
            let diagnostic = conv.diagnostic(d, config);
            if !overlaps(diagnostic.range, range) {
                return None;
            }
            let edits: Vec<TextEdit> = fix
                .edits
                .into_iter()
                .map(|e| TextEdit {
                    range: conv.span_range(e.span),
                    new_text: e.new_text,
                })
                .collect();
            let edit = if versioned_edits {
                WorkspaceEdit {
                    document_changes: Some(lsp_types::DocumentChanges::Edits(vec![TextDocumentEdit {
                        text_document: OptionalVersionedTextDocumentIdentifier {
                            uri: conv.uri.clone(),
                            version: Some(conv.doc.version),
                        },
                        edits: edits.into_iter().map(OneOf::Left).collect(),
                    }])),
                    ..WorkspaceEdit::default()
                }
            } else {
                WorkspaceEdit {
                    changes: Some(HashMap::from([(conv.uri.clone(), edits)])),
                    ..WorkspaceEdit::default()
                }
            };
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic]),
                edit: Some(edit),
                command: None,
                is_preferred: Some(fix.preferred),
                disabled: None,
                data: None,
            }))
        })
        .collect()
}

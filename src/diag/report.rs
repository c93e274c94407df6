//! Diagnostics as miette reports, for people. The library only implements
//! `miette::Diagnostic`; the binary chooses the graphical handler.

use super::{Diagnostic, Severity};
use miette::{LabeledSpan, NamedSource, SourceSpan};
use std::fmt;

/// One diagnostic with the text it points into.
pub struct Report<'a> {
    diag: &'a Diagnostic,
    source: Option<NamedSource<String>>,
}

impl<'a> Report<'a> {
    /// `text` is the decoded file, `name` the path to show.
    pub fn new(diag: &'a Diagnostic, name: &str, text: Option<&str>) -> Report<'a> {
        Report {
            diag,
            source: text.map(|t| NamedSource::new(name, t.to_owned())),
        }
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diag, f)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.diag.message())?;
        if let Some(line) = self.diag.line.filter(|_| self.diag.span.is_none()) {
            write!(f, " (line {line})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Report<'_> {}

fn span(s: crate::syntax::Span) -> SourceSpan {
    SourceSpan::new((s.start as usize).into(), s.len() as usize)
}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let upstream = if self.diag.id.upstream() { "" } else { " (wslcfg)" };
        Some(Box::new(format!("{}{upstream}", self.diag.id)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Advice => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diag
            .detail()
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let primary = self.diag.span.map(|s| {
            LabeledSpan::new_primary_with_span(self.diag.detail().label.as_deref().map(str::to_owned), span(s))
        });
        let related = self
            .diag
            .detail()
            .related
            .iter()
            .map(|r| LabeledSpan::new_with_span(Some(r.message.clone()), span(r.span)));
        Some(Box::new(primary.into_iter().chain(related)))
    }
}

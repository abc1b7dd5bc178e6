//! The one diagnostic type every pass reports; rendering lives in `emit/`.

use crate::source::{FileId, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A span in a file with an optional message, shown under the source line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable kebab-case rule name (see `rules.rs`).
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Where the problem is; the first label is the primary one.
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    /// For `too-many-diagnostics`: the errors, warnings and notes it stands
    /// for, so a summary counts them and not the one line that folds them.
    pub folded: Option<[usize; 3]>,
}

/// Errors, warnings and diagnostics not shown among `diags`: a
/// `too-many-diagnostics` line counts as the diagnostics it folds, not as one.
pub fn tally<'a>(diags: impl IntoIterator<Item = &'a Diagnostic>) -> [usize; 3] {
    let [mut errors, mut warnings, mut hidden] = [0usize; 3];
    for d in diags {
        match d.folded {
            Some([e, w, n]) => {
                errors += e;
                warnings += w;
                hidden += e + w + n;
            }
            None => match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                Severity::Note => {}
            },
        }
    }
    [errors, warnings, hidden]
}

impl Diagnostic {
    /// A diagnostic with the severity that `code` has by default.
    pub fn new(code: &'static str, file: FileId, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: crate::rules::default_severity(code),
            message: message.into(),
            primary: Label {
                file,
                span,
                message: String::new(),
            },
            secondary: Vec::new(),
            help: None,
            folded: None,
        }
    }
    pub fn label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn also(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label {
            file,
            span,
            message: message.into(),
        });
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Where diagnostics collect during one compilation.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub list: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.list.push(d);
    }
    pub fn has_errors(&self) -> bool {
        self.list.iter().any(Diagnostic::is_error)
    }
}

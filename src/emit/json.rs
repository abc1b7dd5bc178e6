//! Machine output: `{"diagnostics": [...]}` with 1-based lines and columns, and
//! `"coverage"` when asked for. The structs below are the output: serde writes
//! them and schemars derives `schemas/check.schema.json` from them
//! (`emit::schema`), so their doc comments are the schema's descriptions.

use super::coverage::Coverage;
use crate::diagnostic::{Diagnostic, Label};
use crate::source::SourceMap;
use schemars::JsonSchema;
use serde::Serialize;

/// The output of `dsd check --format json`: every diagnostic of every file
/// checked and, with `--coverage`, how far each design covers the framework's
/// seven steps.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Check", deny_unknown_fields)]
pub struct CheckOutput<'a> {
    /// Every diagnostic (errors, warnings and notes) of the files checked and
    /// the files they import, sorted by file, then line, column and code. Empty
    /// when the designs are clean.
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
    /// Present only with `--coverage`: one entry per design checked, in the
    /// order the files were read.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<Coverage>")]
    pub coverage: Option<Vec<Coverage>>,
}

/// The severity of a diagnostic. `error` fails `dsd check` (exit 1);
/// `warning` does too under `--deny warnings`; `note` never does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(rename = "Severity")]
pub enum JsonSeverity {
    /// A problem that fails the check.
    Error,
    /// A problem that fails the check only under `--deny warnings`.
    Warning,
    /// Information only.
    Note,
}

impl From<crate::diagnostic::Severity> for JsonSeverity {
    fn from(s: crate::diagnostic::Severity) -> Self {
        match s {
            crate::diagnostic::Severity::Error => JsonSeverity::Error,
            crate::diagnostic::Severity::Warning => JsonSeverity::Warning,
            crate::diagnostic::Severity::Note => JsonSeverity::Note,
        }
    }
}

/// One problem found in a design, at the place in a file it is about.
/// Positions are 1-based; columns count Unicode characters (not bytes or
/// UTF-16 units) from the start of the line. The end is just past the last
/// character the diagnostic covers.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Diagnostic", deny_unknown_fields)]
pub struct JsonDiagnostic<'a> {
    /// The rule or error code, in kebab-case (`capacity-exceeded`,
    /// `syntax-error`); `dsd explain CODE` explains it. Stable across releases.
    pub code: &'a str,
    /// How serious the diagnostic is, after `dsd.toml` and `--deny`/`--warn`/
    /// `--allow` have been applied.
    pub severity: JsonSeverity,
    /// What is wrong, in one sentence; names in the design are in backticks.
    pub message: &'a str,
    /// The file the diagnostic is in, as dsd was given it (relative or absolute
    /// path, or `<stdin>`); empty if unknown.
    pub file: &'a str,
    /// The line where the diagnostic starts (1-based).
    #[schemars(range(min = 1))]
    pub line: usize,
    /// The column where the diagnostic starts (1-based, in characters).
    #[schemars(range(min = 1))]
    pub column: usize,
    /// The line where the diagnostic ends (1-based).
    #[schemars(range(min = 1))]
    pub end_line: usize,
    /// The column just past the diagnostic's last character (1-based, in
    /// characters).
    #[schemars(range(min = 1))]
    pub end_column: usize,
    /// How to fix it, in one sentence; empty when there is no help.
    pub help: &'a str,
    /// The short text shown under the source at the diagnostic's position;
    /// may be empty.
    pub label: &'a str,
    /// Other places the diagnostic refers to (the first declaration of a
    /// duplicate name, the other end of a flow), in the order given; often
    /// empty.
    pub related: Vec<Related<'a>>,
}

/// Another place in a file that a diagnostic refers to. Positions as in
/// `Diagnostic`: 1-based, columns in characters.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Related<'a> {
    /// What this place has to do with the diagnostic; may be empty.
    pub message: &'a str,
    /// The file this place is in; empty if unknown.
    pub file: &'a str,
    /// The line where this place starts (1-based).
    #[schemars(range(min = 1))]
    pub line: usize,
    /// The column where this place starts (1-based, in characters).
    #[schemars(range(min = 1))]
    pub column: usize,
    /// The line where this place ends (1-based).
    #[schemars(range(min = 1))]
    pub end_line: usize,
    /// The column just past this place's last character (1-based, in
    /// characters).
    #[schemars(range(min = 1))]
    pub end_column: usize,
}

/// (file name, start line and column, end line and column) of a label; `("",
/// 1, 1, 1, 1)` for a file the map does not hold.
fn place<'a>(sources: &'a SourceMap, l: &Label) -> (&'a str, (usize, usize), (usize, usize)) {
    let f = sources.get(l.file);
    (
        f.map(|f| f.name.as_str()).unwrap_or(""),
        f.map(|f| f.line_col(l.span.start)).unwrap_or((1, 1)),
        f.map(|f| f.line_col(l.span.end)).unwrap_or((1, 1)),
    )
}

/// One diagnostic with the public field names.
pub fn diagnostic<'a>(sources: &'a SourceMap, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    let (file, (line, column), (end_line, end_column)) = place(sources, &d.primary);
    let related = d
        .secondary
        .iter()
        .map(|l| {
            let (file, (line, column), (end_line, end_column)) = place(sources, l);
            Related {
                message: &l.message,
                file,
                line,
                column,
                end_line,
                end_column,
            }
        })
        .collect();
    JsonDiagnostic {
        code: d.code,
        severity: d.severity.into(),
        message: &d.message,
        file,
        line,
        column,
        end_line,
        end_column,
        help: d.help.as_deref().unwrap_or(""),
        label: &d.primary.message,
        related,
    }
}

/// Diagnostics from several compilations, sorted by file then position.
pub fn render(all: &[(&SourceMap, &Diagnostic)], coverage: Option<Vec<Coverage>>) -> String {
    let mut diagnostics: Vec<JsonDiagnostic> = all.iter().map(|(s, d)| diagnostic(s, d)).collect();
    diagnostics.sort_by(|a, b| {
        (a.file, a.line, a.column, a.code).cmp(&(b.file, b.line, b.column, b.code))
    });
    let doc = CheckOutput {
        diagnostics,
        coverage,
    };
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{\"diagnostics\":[]}".to_string());
    s.push('\n');
    s
}

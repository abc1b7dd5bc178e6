//! Terminal output: miette's graphical rendering with source snippets.

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};

/// Renders diagnostics one after another. `color` picks ANSI colours.
pub fn render(sources: &SourceMap, diags: &[Diagnostic], color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let mut out = String::new();
    for d in diags {
        let Some(file) = sources.get(d.primary.file) else {
            continue;
        };
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            (!d.primary.message.is_empty()).then(|| d.primary.message.clone()),
            (d.primary.span.start as usize, d.primary.span.len()),
        )];
        for l in d.secondary.iter().filter(|l| l.file == d.primary.file) {
            labels.push(LabeledSpan::new_with_span(
                Some(l.message.clone()),
                (l.span.start as usize, l.span.len()),
            ));
        }
        let mut md = MietteDiagnostic::new(d.message.clone())
            .with_code(d.code)
            .with_severity(match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Note => miette::Severity::Advice,
            })
            .with_labels(labels);
        if let Some(h) = &d.help {
            md = md.with_help(h.clone());
        }
        let report = miette::Report::new(md)
            .with_source_code(NamedSource::new(file.name.clone(), file.text.clone()));
        if handler.render_report(&mut out, report.as_ref()).is_err() {
            out.push_str(&format!("{}: {}\n", d.severity.as_str(), d.message));
        }
        out.push('\n');
    }
    out
}

/// `2 errors, 1 warning in 3 files`.
pub fn summary(diags: &[Diagnostic], files: usize) -> String {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("{n} {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    format!(
        "{}, {} in {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(files, "file")
    )
}

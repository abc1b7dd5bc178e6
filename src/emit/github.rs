//! GitHub Actions workflow commands: `::error file=…,line=…::message`, one per
//! diagnostic, escaped as the runner requires, and a summary line.

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;

/// A command's message: `%`, CR and LF encoded.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: also `:` and `,`, which end properties.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// `files` is how many files were checked, for the summary.
pub fn render(all: &[(&SourceMap, &Diagnostic)], files: usize) -> String {
    let mut out = String::new();
    for (sources, d) in all {
        let f = sources.get(d.primary.file);
        let (line, col) = f
            .map(|x| x.line_col(d.primary.span.start))
            .unwrap_or((1, 1));
        let (end_line, end_col) = f
            .map(|x| x.line_col(d.primary.span.end))
            .unwrap_or((line, col));
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut message = d.message.clone();
        if let Some(h) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(h);
        }
        out.push_str(&format!(
            "::{kind} file={},line={line},endLine={end_line},col={col},endColumn={end_col},title={}::{}\n",
            property(&f.map(|x| x.name.replace('\\', "/")).unwrap_or_default()),
            property(d.code),
            data(&message)
        ));
    }
    let diags: Vec<Diagnostic> = all.iter().map(|(_, d)| (*d).clone()).collect();
    out.push_str(&format!("dsd: {}\n", super::human::summary(&diags, files)));
    out
}

//! Terminal output: miette's graphical rendering with source snippets.

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;
use crate::source::SourceMap;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

/// The lines around a diagnostic's labels, so miette reads a few lines instead of
/// scanning the whole file for every diagnostic (which is quadratic on a big
/// file). Spans stay absolute; line numbers are the file's.
struct Window {
    name: String,
    text: String,
    /// Byte offset and 0-based line of `text` in the file.
    offset: usize,
    first_line: usize,
}

impl Window {
    fn around(file: &SourceFile, spans: &[(usize, usize)]) -> Window {
        let lo = spans.iter().map(|s| s.0).min().unwrap_or(0);
        let hi = spans.iter().map(|s| s.0 + s.1).max().unwrap_or(0);
        let first_line = file.line_index(lo).saturating_sub(3);
        let last_line = file.line_index(hi) + 4;
        let (start, end) = (file.line_start(first_line), file.line_start(last_line));
        Window {
            name: file.name.clone(),
            text: for_terminal(file.text.get(start..end).unwrap_or(""), true),
            offset: start,
            first_line,
        }
    }
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let local = SourceSpan::new(span.offset().saturating_sub(self.offset).into(), span.len());
        let inner = self.text.read_span(&local, before, after)?;
        let abs = SourceSpan::new(
            (inner.span().offset() + self.offset).into(),
            inner.span().len(),
        );
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            abs,
            inner.line() + self.first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// Text safe to print on a terminal, each character replaced by as many bytes as
/// it takes so spans keep their offsets: a lone `\r` (a line end to the grammar)
/// becomes `\n` in a snippet, and control characters (ESC, BEL: escape
/// sequences) and bidirectional overrides, which would let a file rewrite or
/// reorder what the reader sees, become `?`. `keep_lines` keeps line ends.
fn for_terminal(text: &str, keep_lines: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if keep_lines && chars.peek() == Some(&'\n') => out.push('\r'),
            '\r' if keep_lines => out.push('\n'),
            '\n' if keep_lines => out.push('\n'),
            '\t' => out.push('\t'),
            c if c.is_control() || crate::source::is_bidi_control(c) => {
                out.extend(std::iter::repeat_n('?', c.len_utf8()));
            }
            c => out.push(c),
        }
    }
    out
}

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
            (!d.primary.message.is_empty()).then(|| for_terminal(&d.primary.message, false)),
            (d.primary.span.start as usize, d.primary.span.len()),
        )];
        for l in d.secondary.iter().filter(|l| l.file == d.primary.file) {
            labels.push(LabeledSpan::new_with_span(
                Some(for_terminal(&l.message, false)),
                (l.span.start as usize, l.span.len()),
            ));
        }
        let mut md = MietteDiagnostic::new(for_terminal(&d.message, true))
            .with_code(d.code)
            .with_severity(match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Note => miette::Severity::Advice,
            })
            .with_labels(labels);
        if let Some(h) = &d.help {
            md = md.with_help(for_terminal(h, true));
        }
        let spans: Vec<(usize, usize)> = std::iter::once(&d.primary)
            .chain(d.secondary.iter().filter(|l| l.file == d.primary.file))
            .map(|l| (l.span.start as usize, l.span.len()))
            .collect();
        let report = miette::Report::new(md).with_source_code(Window::around(file, &spans));
        if handler.render_report(&mut out, report.as_ref()).is_err() {
            out.push_str(&format!(
                "{}: {}\n",
                d.severity.as_str(),
                for_terminal(&d.message, false)
            ));
        }
        out.push('\n');
    }
    out
}

/// `2 errors, 1 warning in 3 files`.
pub fn summary(diags: &[Diagnostic], files: usize) -> String {
    let [errors, warnings, hidden] = crate::diagnostic::tally(diags);
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("{n} {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    let shown = if hidden > 0 {
        format!(" ({hidden} not shown)")
    } else {
        String::new()
    };
    format!(
        "{}, {} in {}{shown}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(files, "file")
    )
}

/// One line per diagnostic, `FILE:LINE:COL: SEVERITY[RULE] MESSAGE`, the shape
/// compilers print and editors' error formats (Vim's `errorformat`, Emacs'
/// compilation mode) and `grep` read. The help follows after ` — help: ` on the
/// same line so a finding never spans two lines.
pub fn concise(all: &[(&SourceMap, &Diagnostic)]) -> String {
    let mut out = String::new();
    for (sources, d) in all {
        let f = sources.get(d.primary.file);
        let (line, col) = f
            .map(|x| x.line_col(d.primary.span.start))
            .unwrap_or((1, 1));
        let name = f.map(|x| x.name.as_str()).unwrap_or("");
        let one_line = |t: &str| for_terminal(&t.replace("\r\n", " ").replace('\n', " "), false);
        out.push_str(&one_line(&format!(
            "{name}:{line}:{col}: {}[{}] {}",
            d.severity.as_str(),
            d.code,
            d.message
        )));
        if let Some(h) = &d.help {
            out.push_str(" — help: ");
            out.push_str(&one_line(h));
        }
        out.push('\n');
    }
    out
}

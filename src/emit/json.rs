//! Machine output: `{"diagnostics": [...]}` with 1-based lines and columns.

use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;
use serde_json::{Value, json};

/// One diagnostic as a JSON object with the public field names.
pub fn diagnostic(sources: &SourceMap, d: &Diagnostic) -> Value {
    let file = sources.get(d.primary.file);
    let (line, column) = file
        .map(|f| f.line_col(d.primary.span.start))
        .unwrap_or((1, 1));
    let (end_line, end_column) = file
        .map(|f| f.line_col(d.primary.span.end))
        .unwrap_or((1, 1));
    json!({
        "code": d.code,
        "severity": d.severity.as_str(),
        "message": d.message,
        "file": file.map(|f| f.name.as_str()).unwrap_or(""),
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "help": d.help.as_deref().unwrap_or(""),
    })
}

/// Diagnostics from several compilations, sorted by file then position.
pub fn render(all: &[(&SourceMap, &Diagnostic)]) -> String {
    let mut items: Vec<Value> = all.iter().map(|(s, d)| diagnostic(s, d)).collect();
    items.sort_by(|a, b| {
        let key = |v: &Value| {
            (
                v["file"].as_str().unwrap_or("").to_string(),
                v["line"].as_u64().unwrap_or(0),
                v["column"].as_u64().unwrap_or(0),
                v["code"].as_str().unwrap_or("").to_string(),
            )
        };
        key(a).cmp(&key(b))
    });
    let doc = json!({ "diagnostics": items });
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{\"diagnostics\":[]}".to_string());
    s.push('\n');
    s
}

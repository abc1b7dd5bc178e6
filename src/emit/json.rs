//! Machine output: `{"diagnostics": [...]}` with 1-based lines and columns, and
//! `"coverage"` when asked for.

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
    let related: Vec<Value> = d
        .secondary
        .iter()
        .map(|l| {
            let f = sources.get(l.file);
            let (line, column) = f.map(|f| f.line_col(l.span.start)).unwrap_or((1, 1));
            let (end_line, end_column) = f.map(|f| f.line_col(l.span.end)).unwrap_or((1, 1));
            json!({
                "message": l.message,
                "file": f.map(|f| f.name.as_str()).unwrap_or(""),
                "line": line,
                "column": column,
                "end_line": end_line,
                "end_column": end_column,
            })
        })
        .collect();
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
        "label": d.primary.message,
        "related": related,
    })
}

/// Diagnostics from several compilations, sorted by file then position.
pub fn render(all: &[(&SourceMap, &Diagnostic)], coverage: Option<Vec<Value>>) -> String {
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
    let mut doc = json!({ "diagnostics": items });
    if let (Some(tables), Some(obj)) = (coverage, doc.as_object_mut()) {
        obj.insert("coverage".into(), Value::Array(tables));
    }
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{\"diagnostics\":[]}".to_string());
    s.push('\n');
    s
}

//! One function per request: each reads the compiled document and answers
//! with lsp-types' structures, positions in UTF-16.

use super::Doc;
use super::names;
use super::position::{offset, position, range, word_at};
use super::requirement;
use crate::diagnostic::Severity;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CompletionItem, CompletionItemKind,
    CompletionList, CompletionResponse, Diagnostic, DiagnosticRelatedInformation,
    DiagnosticSeverity, DocumentSymbol, GotoDefinitionResponse, Hover, HoverContents, Location,
    MarkupContent, MarkupKind, NumberOrString, Position, PublishDiagnosticsParams, Range, TextEdit,
    Uri, WorkspaceEdit,
};
use serde_json::{Value, json};
use std::collections::HashMap;

fn loc(uri: &Uri, text: &str, start: usize, end: usize) -> Location {
    Location {
        uri: uri.clone(),
        range: range(text, start, end),
    }
}

/// One file's edits.
fn edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Note => DiagnosticSeverity::INFORMATION,
    }
}

/// One finding at `start..end` of `text` (the file of `uri`, which is the
/// compilation's file `file`), with its secondary labels in that file.
fn convert(
    uri: &Uri,
    text: &str,
    file: crate::source::FileId,
    d: &crate::diagnostic::Diagnostic,
    (start, end): (usize, usize),
    mut message: String,
) -> Diagnostic {
    if let Some(h) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .filter(|l| l.file == file)
        .map(|l| DiagnosticRelatedInformation {
            location: loc(uri, text, l.span.start as usize, l.span.end as usize),
            message: if l.message.is_empty() {
                "here".to_string()
            } else {
                l.message.clone()
            },
        })
        .collect();
    Diagnostic {
        range: range(text, start, end),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.to_string())),
        source: Some("dsd".to_string()),
        message,
        related_information: Some(related),
        data: Some(json!({ "explain": format!("dsd explain {}", d.code) })),
        ..Diagnostic::default()
    }
}

/// A finding a compilation made in the file `file` (an import), as a
/// diagnostic of that file, whose URI is `uri` and text `text`.
pub fn diagnostic_in(
    uri: &Uri,
    text: &str,
    file: crate::source::FileId,
    d: &crate::diagnostic::Diagnostic,
) -> Diagnostic {
    let span = (d.primary.span.start as usize, d.primary.span.end as usize);
    convert(uri, text, file, d, span, d.message.clone())
}

/// The same findings as `dsd check`, for this document.
pub fn diagnostics(uri: &Uri, doc: &Doc) -> PublishDiagnosticsParams {
    let main = doc.compiled.main;
    let items: Vec<Diagnostic> = doc
        .compiled
        .diagnostics
        .iter()
        .map(|d| {
            // A finding in an imported file is also shown on the `import`
            // that brings it in, saying where it is (the file itself gets
            // it too: see `workspace`).
            if d.primary.file == main {
                return diagnostic_in(uri, &doc.text, main, d);
            }
            let (name, line) = doc
                .compiled
                .sources
                .get(d.primary.file)
                .map(|f| {
                    let line = crate::source::line_starts(&f.text)
                        .iter()
                        .take_while(|&&s| s <= d.primary.span.start as usize)
                        .count();
                    (f.name.clone(), line)
                })
                .unwrap_or_default();
            let span = import_span(&doc.text, &name);
            // Named as the import writes it, beside the document.
            let here = doc.path.as_ref().and_then(|p| p.parent());
            let shown = here
                .and_then(|h| std::path::Path::new(&name).strip_prefix(h).ok())
                .map(|r| r.to_string_lossy().into_owned())
                .unwrap_or(name);
            let message = format!("in `{shown}` line {line}: {}", d.message);
            convert(uri, &doc.text, main, d, span, message)
        })
        .collect();
    PublishDiagnosticsParams {
        uri: uri.clone(),
        diagnostics: items,
        version: None,
    }
}

/// Where the main document imports the file named `name` (its `import` line),
/// or the start of the document.
fn import_span(text: &str, name: &str) -> (usize, usize) {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("import") && !file.is_empty() && t.contains(file) {
            let start = at + (line.len() - t.len());
            return (start, start + t.trim_end().len());
        }
        at += line.len();
    }
    (0, 0)
}

fn markdown(text: String) -> Option<Hover> {
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: None,
    })
}

/// A requirement: what it asks, the sizing figures and checks that come from
/// it and its findings (see `requirement`); a `let`: its value (both ends of a
/// range) and derivation; a node: role, tool, trade-off, sizing figures and
/// findings; a tool: its figures and their sources; a rule name: its
/// explanation.
pub fn hover(doc: &Doc, pos: Position) -> Option<Hover> {
    let at = offset(&doc.text, pos);
    // A requirement's line, whatever word of it: the names it mentions (a
    // path, a store) are hovered as what the requirement asks of them.
    for checked in &doc.compiled.designs {
        if let Some(text) = requirement::on_line(doc, &checked.design, at) {
            return markdown(text);
        }
    }
    let (word, _, _) = word_at(&doc.text, at)?;
    for checked in &doc.compiled.designs {
        let d = &checked.design;
        if let Some(b) = d.lets.iter().find(|b| b.name == word) {
            let ends = if b.value.is_range() {
                format!(
                    "\n\nlow {} · high {}",
                    crate::check::show(b.value.lo, b.value.dim),
                    crate::check::show(b.value.hi, b.value.dim)
                )
            } else {
                String::new()
            };
            return markdown(format!(
                "**{}** = **{}**{ends}\n\n`{}`\n\n= {}",
                b.name,
                b.value.display(),
                b.formula,
                b.with_values
            ));
        }
        if let Some(i) = d.node_index(&word)
            && let Some(n) = d.nodes.get(i)
        {
            let mut out = format!("**{}** : `{}`", n.name.name, n.role);
            if let Some(t) = &n.tool {
                out.push_str(&format!(" · tool `{t}`"));
                if let Some(u) = d.uses.iter().find(|u| u.nodes.contains(&i)) {
                    out.push_str(&format!(
                        "\n\nbecause {}\n\naccepting {}",
                        u.because, u.accepting
                    ));
                }
            }
            let report = crate::sizing::size(d, &doc.compiled.catalogue, 1.0);
            let marks = [
                format!(".{}.", n.name.name),
                format!("->{}.", n.name.name),
                format!(".{}->", n.name.name),
            ];
            let figures: Vec<String> = report
                .figures
                .iter()
                .filter(|f| marks.iter().any(|m| f.id.contains(m.as_str())))
                .filter_map(|f| {
                    f.value
                        .as_ref()
                        .ok()
                        .map(|v| format!("- {}: **{}** — {}", f.label, v.display(), f.derivation))
                })
                .take(12)
                .collect();
            if !figures.is_empty() {
                out.push_str("\n\n**Sizing**\n\n");
                out.push_str(&figures.join("\n"));
            }
            let findings: Vec<String> = doc
                .compiled
                .diagnostics
                .iter()
                .filter(|x| {
                    x.primary.file == doc.compiled.main
                        && n.span.start <= x.primary.span.start
                        && x.primary.span.end <= n.span.end
                })
                .map(|x| format!("- `{}`: {}", x.code, x.message))
                .collect();
            if !findings.is_empty() {
                out.push_str("\n\n**Findings**\n\n");
                out.push_str(&findings.join("\n"));
            }
            return markdown(out);
        }
        if let Some(text) = requirement::named(doc, d, &word, at) {
            return markdown(text);
        }
    }
    // A tool: what it is and its figures, each with where it comes from.
    if let Some(t) = doc.compiled.catalogue.tools.get(&word) {
        let mut out = format!(
            "**{}** — {}\n\nroles: {}",
            t.name,
            t.title,
            t.roles.join(", ")
        );
        if !t.flags.is_empty() {
            out.push_str(&format!("\n\nflags: {}", t.flags.join(", ")));
        }
        for (figure, value, source) in t.figure_rows() {
            out.push_str(&format!("\n- `{figure}` **{value}** — {source}"));
        }
        return markdown(out);
    }
    if let Some(rule) = crate::rules::find(&word) {
        return markdown(format!(
            "**{}** ({})\n\n{}\n\n{}",
            rule.name,
            rule.severity.as_str(),
            rule.summary,
            rule.explanation
        ));
    }
    None
}

/// Where a name is declared in this document: node, schema, let, path or layer.
fn declaration(doc: &Doc, word: &str) -> Option<(usize, usize)> {
    for checked in &doc.compiled.designs {
        let d = &checked.design;
        if let Some(n) = d.nodes.iter().find(|n| n.name.name == word) {
            return Some((n.name.span.start as usize, n.name.span.end as usize));
        }
        let schema = word.split('.').next().unwrap_or(word);
        if let Some(s) = d.schemas.iter().find(|s| s.name.name == schema) {
            if let Some(field) = word.split('.').nth(1).and_then(|f| s.field(f)) {
                return Some((field.name.span.start as usize, field.name.span.end as usize));
            }
            return Some((s.name.span.start as usize, s.name.span.end as usize));
        }
        if let Some(b) = d.lets.iter().find(|b| b.name == word) {
            return Some((b.span.start as usize, b.span.start as usize + word.len()));
        }
        if let Some(p) = d.paths.iter().find(|p| p.name.name == word) {
            return Some((p.name.span.start as usize, p.name.span.end as usize));
        }
    }
    None
}

pub fn definition(uri: &Uri, doc: &Doc, pos: Position) -> Option<GotoDefinitionResponse> {
    let at = offset(&doc.text, pos);
    let sites = names::sites(&doc.text);
    let (s, e) = match names::same_symbol(&sites, at).into_iter().find(|s| s.decl) {
        Some(d) => (d.start, d.end),
        None => declaration(doc, &word_at(&doc.text, at)?.0)?,
    };
    Some(GotoDefinitionResponse::Scalar(loc(uri, &doc.text, s, e)))
}

const UNITS: &[&str] = &[
    "B",
    "KB",
    "MB",
    "GB",
    "TB",
    "PB",
    "ms",
    "s",
    "min",
    "h",
    "day",
    "days",
    "week",
    "month",
    "year",
    "years",
    "MB/s",
    "GB/day",
    "events/s",
    "events/day",
    "x",
    "%",
];

fn items(words: impl IntoIterator<Item = String>, kind: CompletionItemKind) -> Vec<CompletionItem> {
    words
        .into_iter()
        .map(|label| CompletionItem {
            label,
            kind: Some(kind),
            ..CompletionItem::default()
        })
        .collect()
}

/// Node names after `flow` and `->`, roles after `:`, tools after `use`, rules
/// after `allow`, units after a number; keywords otherwise.
pub fn completion(doc: &Doc, pos: Position) -> CompletionResponse {
    let at = offset(&doc.text, pos);
    let line_start = doc
        .text
        .get(..at)
        .and_then(|t| t.rfind(['\n', '\r']))
        .map(|i| i + 1)
        .unwrap_or(0);
    let before = doc.text.get(line_start..at).unwrap_or("");
    let words: Vec<&str> = before.split_whitespace().collect();
    let ends_space = before.ends_with(char::is_whitespace);
    let last = if ends_space {
        words.last().copied()
    } else {
        words.iter().rev().nth(1).copied()
    };
    let nodes = || -> Vec<String> {
        doc.compiled
            .designs
            .iter()
            .flat_map(|c| c.design.nodes.iter().map(|n| n.name.name.clone()))
            .collect()
    };
    use CompletionItemKind as K;
    let list = match last {
        Some("flow" | "->" | "at" | "on") => items(nodes(), K::VARIABLE),
        Some(":") => items(doc.compiled.catalogue.roles.keys().cloned(), K::CLASS),
        Some("use") => items(doc.compiled.catalogue.tools.keys().cloned(), K::MODULE),
        Some("for") if words.first() == Some(&"use") => items(nodes(), K::VARIABLE),
        Some("failure") => items(nodes(), K::VARIABLE),
        Some("allow") => items(
            crate::rules::RULES
                .iter()
                .filter(|r| r.allowable)
                .map(|r| r.name.to_string()),
            K::VALUE,
        ),
        Some(w) if crate::units::parse_number(w).is_some() => {
            items(UNITS.iter().map(|u| u.to_string()), K::UNIT)
        }
        _ => {
            use crate::ast::keys::{CONTINUATIONS, DESIGN_STATEMENTS, TOP_STATEMENTS};
            let mut words: Vec<&str> = DESIGN_STATEMENTS
                .iter()
                .chain(TOP_STATEMENTS)
                .chain(CONTINUATIONS)
                .copied()
                .collect();
            words.sort_unstable();
            words.dedup();
            items(words.into_iter().map(str::to_string), K::KEYWORD)
        }
    };
    CompletionResponse::List(CompletionList {
        is_incomplete: false,
        items: list,
    })
}

/// The outline (see `outline`).
pub fn symbols(doc: &Doc) -> Vec<DocumentSymbol> {
    super::outline::symbols(&doc.text)
}

/// The whole document in the canonical layout, as one edit (none if it does not parse).
pub fn formatting(doc: &Doc) -> Vec<TextEdit> {
    match crate::fmt::format(&doc.text) {
        Ok(out) if out != doc.text => vec![TextEdit {
            range: range(&doc.text, 0, doc.text.len()),
            new_text: out,
        }],
        _ => Vec::new(),
    }
}

/// Quick fixes: a skeleton `accepting` clause, a `failure` block for an uncovered
/// node, an idempotency mechanism on a write. The diagnostics are those the
/// client sends back (each read on its own: one it cannot read is skipped).
pub fn code_actions(uri: &Uri, doc: &Doc, params: &Value) -> Vec<CodeActionOrCommand> {
    let mut actions = Vec::new();
    let diags = params["context"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let fix = |title: String, d: Option<&Diagnostic>, edits: Vec<TextEdit>, preferred: bool| {
        CodeActionOrCommand::CodeAction(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: d.map(|d| vec![d.clone()]),
            edit: Some(edit(uri, edits)),
            is_preferred: preferred.then_some(true),
            ..CodeAction::default()
        })
    };
    for d in diags {
        let Ok(d) = serde_json::from_value::<Diagnostic>(d) else {
            continue;
        };
        let code = match &d.code {
            Some(NumberOrString::String(c)) => c.as_str(),
            _ => "",
        };
        let r = d.range;
        let line_end = crate::source::line_end(&doc.text, offset(&doc.text, r.start));
        let insert = |text: String, title: &str| {
            let p = position(&doc.text, line_end);
            let at = Range { start: p, end: p };
            fix(
                title.to_string(),
                Some(&d),
                vec![TextEdit {
                    range: at,
                    new_text: text,
                }],
                false,
            )
        };
        // The did-you-mean the diagnostic already names, as an edit: only where
        // the finding covers one word (a name, a unit, a property).
        if let Some(want) = d
            .message
            .split("did you mean `")
            .nth(1)
            .and_then(|rest| rest.split('`').next())
        {
            let (s, e) = (offset(&doc.text, r.start), offset(&doc.text, r.end));
            let under = doc.text.get(s..e).unwrap_or("");
            let word = !under.is_empty()
                && under
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '/');
            if word && under != want && !want.is_empty() {
                actions.push(fix(
                    format!("Change `{under}` to `{want}`"),
                    Some(&d),
                    vec![TextEdit {
                        range: r,
                        new_text: want.to_string(),
                    }],
                    true,
                ));
            }
        }
        match code {
            "missing-tradeoff" => actions.push(insert(
                "\n    accepting \"TODO: what this choice costs\"".into(),
                "Add an `accepting` clause",
            )),
            "uncovered-failure" => {
                let at = offset(&doc.text, r.start);
                if let Some((node, _, _)) = word_at(&doc.text, at) {
                    actions.push(insert(
                        format!("\n  failure {node} {{ detect TODO > 0;  recover TODO within TODO min }}"),
                        "Add a failure block",
                    ));
                }
            }
            "non-idempotent-write" => {
                let (s, e) = (offset(&doc.text, r.start), offset(&doc.text, r.end));
                if doc.text.get(s..e) == Some("append") {
                    actions.push(fix(
                        "Write with MERGE on a key".to_string(),
                        None,
                        vec![TextEdit {
                            range: r,
                            new_text: "merge(TODO_key)".to_string(),
                        }],
                        false,
                    ));
                }
            }
            _ => {}
        }
    }
    actions
}

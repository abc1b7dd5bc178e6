//! One function per request: each reads the compiled document and answers in
//! LSP's JSON, positions in UTF-16.

use super::Doc;
use super::names;
use super::position::{offset, position, range, word_at};
use crate::diagnostic::Severity;
use lsp_types::Position;
use serde_json::{Value, json};

fn loc(uri: &str, text: &str, start: usize, end: usize) -> Value {
    json!({ "uri": uri, "range": range(text, start, end) })
}

/// The same findings as `dsd check`, for this document.
pub fn diagnostics(uri: &str, doc: &Doc) -> Value {
    let main = doc.compiled.main;
    let items: Vec<Value> = doc
        .compiled
        .diagnostics
        .iter()
        .map(|d| {
            let sev = match d.severity {
                Severity::Error => 1,
                Severity::Warning => 2,
                Severity::Note => 3,
            };
            // A finding in an imported file is shown on the `import` that
            // brings it in, saying where it is: the editor has that file's text
            // only when it is open, and the command line reports it too.
            let (start, end, mut message) = if d.primary.file == main {
                (
                    d.primary.span.start as usize,
                    d.primary.span.end as usize,
                    d.message.clone(),
                )
            } else {
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
                let (s, e) = import_span(&doc.text, &name);
                // Named as the import writes it, beside the document.
                let here = doc.path.as_ref().and_then(|p| p.parent());
                let shown = here
                    .and_then(|h| std::path::Path::new(&name).strip_prefix(h).ok())
                    .map(|r| r.to_string_lossy().into_owned())
                    .unwrap_or(name);
                (s, e, format!("in `{shown}` line {line}: {}", d.message))
            };
            if let Some(h) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(h);
            }
            let related: Vec<Value> = d
                .secondary
                .iter()
                .filter(|l| l.file == main)
                .map(|l| {
                    json!({
                        "location": loc(uri, &doc.text, l.span.start as usize, l.span.end as usize),
                        "message": if l.message.is_empty() { "here".to_string() } else { l.message.clone() },
                    })
                })
                .collect();
            json!({
                "range": range(&doc.text, start, end),
                "severity": sev,
                "code": d.code,
                "source": "dsd",
                "message": message,
                "relatedInformation": related,
                "data": { "explain": format!("dsd explain {}", d.code) },
            })
        })
        .collect();
    json!({ "uri": uri, "diagnostics": items })
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

fn markdown(text: String) -> Value {
    json!({ "contents": { "kind": "markdown", "value": text } })
}

/// A `let`: its value (both ends of a range) and derivation; a node: role, tool,
/// trade-off, sizing figures and findings; a rule name: its explanation.
pub fn hover(doc: &Doc, pos: Position) -> Value {
    let at = offset(&doc.text, pos);
    let Some((word, _, _)) = word_at(&doc.text, at) else {
        return Value::Null;
    };
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
    Value::Null
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

pub fn definition(uri: &str, doc: &Doc, pos: Position) -> Value {
    let at = offset(&doc.text, pos);
    let sites = names::sites(&doc.text);
    if let Some(d) = names::same_symbol(&sites, at).into_iter().find(|s| s.decl) {
        return loc(uri, &doc.text, d.start, d.end);
    }
    let Some((word, _, _)) = word_at(&doc.text, at) else {
        return Value::Null;
    };
    match declaration(doc, &word) {
        Some((s, e)) => loc(uri, &doc.text, s, e),
        None => Value::Null,
    }
}

/// The declaration and uses of the name at `pos`, by name resolution (see
/// `names`), not by matching words.
pub fn references(uri: &str, doc: &Doc, pos: Position, include_declaration: bool) -> Value {
    let at = offset(&doc.text, pos);
    let sites = names::sites(&doc.text);
    Value::Array(
        names::same_symbol(&sites, at)
            .into_iter()
            .filter(|s| include_declaration || !s.decl)
            .map(|s| loc(uri, &doc.text, s.start, s.end))
            .collect(),
    )
}

/// Renames the node, schema, let or path at `pos`: its declaration and the uses
/// that resolve to it. `Ok(null)` when no declared name is there; an error when
/// `new_name` cannot be a name.
pub fn rename(uri: &str, doc: &Doc, pos: Position, new_name: &str) -> Result<Value, String> {
    let at = offset(&doc.text, pos);
    let sites = names::sites(&doc.text);
    let same = names::same_symbol(&sites, at);
    let Some(decl) = same.iter().find(|s| s.decl) else {
        return Ok(Value::Null);
    };
    if let Some(why) = names::rename_refusal(&sites, decl, new_name) {
        return Err(why);
    }
    let edits: Vec<Value> = same
        .iter()
        .map(|s| json!({ "range": range(&doc.text, s.start, s.end), "newText": new_name }))
        .collect();
    Ok(json!({ "changes": { uri: edits } }))
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

fn items(words: impl IntoIterator<Item = String>, kind: u32) -> Vec<Value> {
    words
        .into_iter()
        .map(|w| json!({ "label": w, "kind": kind }))
        .collect()
}

/// Node names after `flow` and `->`, roles after `:`, tools after `use`, rules
/// after `allow`, units after a number; keywords otherwise.
pub fn completion(doc: &Doc, pos: Position) -> Value {
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
    let list = match last {
        Some("flow" | "->" | "at" | "on") => items(nodes(), 6),
        Some(":") => items(doc.compiled.catalogue.roles.keys().cloned(), 7),
        Some("use") => items(doc.compiled.catalogue.tools.keys().cloned(), 9),
        Some("for") if words.first() == Some(&"use") => items(nodes(), 6),
        Some("failure") => items(nodes(), 6),
        Some("allow") => items(
            crate::rules::RULES
                .iter()
                .filter(|r| r.allowable)
                .map(|r| r.name.to_string()),
            12,
        ),
        Some(w) if crate::units::parse_number(w).is_some() => {
            items(UNITS.iter().map(|u| u.to_string()), 11)
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
            items(words.into_iter().map(str::to_string), 14)
        }
    };
    json!({ "isIncomplete": false, "items": list })
}

/// The outline: each design with its requirements, schemas, lets, nodes and paths.
pub fn symbols(doc: &Doc) -> Value {
    let t = &doc.text;
    let sym = |name: &str, kind: u32, s: usize, e: usize, children: Vec<Value>| {
        json!({
            "name": name,
            "kind": kind,
            "range": range(t, s, e),
            "selectionRange": range(t, s, e),
            "children": children,
        })
    };
    let out: Vec<Value> = doc
        .compiled
        .designs
        .iter()
        .map(|c| {
            let d = &c.design;
            let mut children = Vec::new();
            for s in &d.schemas {
                children.push(sym(
                    &format!("{} v{}", s.name.name, s.version),
                    23,
                    s.name.span.start as usize,
                    s.name.span.end as usize,
                    Vec::new(),
                ));
            }
            for b in &d.lets {
                children.push(sym(
                    &b.name,
                    13,
                    b.span.start as usize,
                    b.span.end as usize,
                    Vec::new(),
                ));
            }
            for n in &d.nodes {
                children.push(sym(
                    &format!("{} : {}", n.name.name, n.role),
                    5,
                    n.name.span.start as usize,
                    n.name.span.end as usize,
                    Vec::new(),
                ));
            }
            for p in &d.paths {
                children.push(sym(
                    &p.name.name,
                    24,
                    p.name.span.start as usize,
                    p.name.span.end as usize,
                    Vec::new(),
                ));
            }
            let (s, e) = (d.name.span.start as usize, d.name.span.end as usize);
            let mut top = sym(
                &d.name.name,
                2,
                d.span.start as usize,
                d.span.end as usize,
                children,
            );
            top["selectionRange"] = json!(range(t, s, e));
            top
        })
        .collect();
    Value::Array(out)
}

/// The whole document in the canonical layout, as one edit (none if it does not parse).
pub fn formatting(doc: &Doc) -> Value {
    match crate::fmt::format(&doc.text) {
        Ok(out) if out != doc.text => {
            json!([{ "range": range(&doc.text, 0, doc.text.len()), "newText": out }])
        }
        _ => json!([]),
    }
}

/// Quick fixes: a skeleton `accepting` clause, a `failure` block for an uncovered
/// node, an idempotency mechanism on a write.
pub fn code_actions(uri: &str, doc: &Doc, params: &Value) -> Value {
    let mut actions = Vec::new();
    let diags = params["context"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for d in diags {
        let code = d["code"].as_str().unwrap_or("");
        let Ok(r) = serde_json::from_value::<lsp_types::Range>(d["range"].clone()) else {
            continue;
        };
        let line_end = crate::source::line_end(&doc.text, offset(&doc.text, r.start));
        let insert = |text: String, title: &str| {
            let p = position(&doc.text, line_end);
            json!({
                "title": title,
                "kind": "quickfix",
                "diagnostics": [d.clone()],
                "edit": { "changes": { uri: [{ "range": { "start": p, "end": p }, "newText": text }] } },
            })
        };
        // The did-you-mean the diagnostic already names, as an edit: only where
        // the finding covers one word (a name, a unit, a property).
        if let Some(want) = d["message"]
            .as_str()
            .and_then(|m| m.split("did you mean `").nth(1))
            .and_then(|rest| rest.split('`').next())
        {
            let (s, e) = (offset(&doc.text, r.start), offset(&doc.text, r.end));
            let under = doc.text.get(s..e).unwrap_or("");
            let word = !under.is_empty()
                && under
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '/');
            if word && under != want && !want.is_empty() {
                actions.push(json!({
                    "title": format!("Change `{under}` to `{want}`"),
                    "kind": "quickfix",
                    "isPreferred": true,
                    "diagnostics": [d.clone()],
                    "edit": { "changes": { uri: [{ "range": r, "newText": want }] } },
                }));
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
                    actions.push(json!({
                        "title": "Write with MERGE on a key",
                        "kind": "quickfix",
                        "edit": { "changes": { uri: [{ "range": r, "newText": "merge(TODO_key)" }] } },
                    }));
                }
            }
            _ => {}
        }
    }
    Value::Array(actions)
}

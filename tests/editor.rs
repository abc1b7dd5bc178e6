//! The VS Code extension's TextMate grammar keeps up with the language: every
//! word that starts or continues a statement, every requirement and every
//! failure-block property is highlighted, so a new keyword (`plural`, `from`,
//! `output`) cannot ship as plain text in the editor.

use std::collections::BTreeSet;

/// Every word in an alternation group `(a|b|c)` of the grammar's `match`
/// patterns.
fn highlighted() -> BTreeSet<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/editors/vscode/syntaxes/dsd.tmLanguage.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let json: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut patterns = Vec::new();
    let mut stack = vec![&json];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::String(p)) = m.get("match") {
                    patterns.push(p.clone());
                }
                stack.extend(m.values());
            }
            serde_json::Value::Array(a) => stack.extend(a),
            _ => {}
        }
    }
    let mut words = BTreeSet::new();
    for p in patterns {
        for group in p.split('(').skip(1) {
            let inside = group.split(')').next().unwrap_or("");
            for w in inside.split('|') {
                if w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !w.is_empty() {
                    words.insert(w.to_string());
                }
            }
        }
    }
    words
}

#[test]
fn the_editor_grammar_highlights_every_keyword_of_the_language() {
    let have = highlighted();
    let keys = dsd::ast::keys::TOP_STATEMENTS
        .iter()
        .chain(dsd::ast::keys::DESIGN_STATEMENTS)
        .chain(dsd::ast::keys::CONTINUATIONS)
        .chain(dsd::ast::keys::FAILURE)
        .chain(["plural", "from", "output"].iter());
    let missing: Vec<&&str> = keys.filter(|k| !have.contains(**k)).collect();
    assert!(
        missing.is_empty(),
        "editors/vscode/syntaxes/dsd.tmLanguage.json does not highlight {missing:?}"
    );
}

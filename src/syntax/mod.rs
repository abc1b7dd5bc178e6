//! Parsing: the only module that uses pest. Text in, a syntax tree and syntax
//! errors out; parsing never fails as a whole.

mod lower;
mod messages;

use crate::ast;
use crate::source::Span;
use pest::Parser as _;

#[derive(pest_derive::Parser)]
#[grammar = "grammar/dsd.pest"]
pub(crate) struct DsdParser;

/// The deepest bracket nesting accepted; deeper input is refused before pest runs
/// so that no input can exhaust the stack.
pub const MAX_NESTING: usize = 64;
/// The largest source file read, in bytes.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// pest's limit on rule calls per parse. The setting is process-wide, so it is one
/// constant sized for the largest file accepted rather than per input.
const CALL_LIMIT: usize = 2_000_000_000;

/// A problem found while reading the text.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub code: &'static str,
    pub span: Span,
    pub message: String,
    pub label: String,
    pub help: String,
}

/// Parses one file. Always returns a tree (possibly empty) and every error found.
pub fn parse(text: &str) -> (ast::File, Vec<SyntaxError>) {
    if text.len() > MAX_FILE_BYTES {
        return (
            ast::File::default(),
            vec![SyntaxError {
                code: "file-too-large",
                span: Span::new(0, 0),
                message: format!(
                    "this file is {} bytes; dsd reads files of at most {} bytes",
                    text.len(),
                    MAX_FILE_BYTES
                ),
                label: "file starts here".into(),
                help: "split the design into files that `import` each other".into(),
            }],
        );
    }
    if let Some(err) = check_nesting(text) {
        return (ast::File::default(), vec![err]);
    }
    // Bound the work pest may do on pathological input (see PITFALLS.md).
    pest::set_call_limit(std::num::NonZeroUsize::new(CALL_LIMIT));
    let comments = scan_comments(text);
    // The grammar has no comments: they become spaces of the same length, so
    // every offset stays where it was (and the text stays UTF-8).
    let blanked;
    let text = if comments.is_empty() {
        text
    } else {
        let mut bytes = text.as_bytes().to_vec();
        for c in &comments {
            if let Some(range) = bytes.get_mut(c.span.start as usize..c.span.end as usize) {
                range.fill(b' ');
            }
        }
        blanked = String::from_utf8(bytes).unwrap_or_else(|_| text.to_string());
        blanked.as_str()
    };
    match DsdParser::parse(Rule::file, text) {
        Ok(mut pairs) => {
            let mut lowerer = lower::Lowerer::new(text);
            let items = match pairs.next() {
                Some(file) => lowerer.file(file),
                None => Vec::new(),
            };
            (ast::File { items, comments }, lowerer.errors)
        }
        Err(e) => (
            ast::File {
                items: Vec::new(),
                comments,
            },
            vec![messages::from_pest(&e, text, "file")],
        ),
    }
}

/// Finds the first place where brackets nest deeper than [`MAX_NESTING`], skipping
/// strings and comments.
fn check_nesting(text: &str) -> Option<SyntaxError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut in_comment = false;
    let mut prev = '\0';
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if in_comment {
            if c == '\n' || c == '\r' {
                in_comment = false;
            }
        } else if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' || c == '\n' {
                in_string = false;
            }
        } else {
            match c {
                '"' => in_string = true,
                '/' if prev == '/' => in_comment = true,
                '(' | '[' | '{' => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Some(SyntaxError {
                            code: "nesting-too-deep",
                            span: Span::new(i, i + 1),
                            message: format!("brackets are nested more than {MAX_NESTING} deep"),
                            label: "too deep here".into(),
                            help: "close the brackets you opened, or flatten the expression with `let`".into(),
                        });
                    }
                }
                ')' | ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        prev = if in_comment { '\0' } else { c };
    }
    None
}

/// Collects `// ...` comments outside strings, in order.
fn scan_comments(text: &str) -> Vec<ast::Comment> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(0);
        if in_string {
            match b {
                b'\\' => i += 1,
                // A string ends at its quote or its line's end, as in the grammar.
                b'"' | b'\n' | b'\r' => in_string = false,
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            let end = text
                .get(i..)
                .and_then(|rest| rest.find(['\n', '\r']))
                .map(|n| i + n)
                .unwrap_or(text.len());
            out.push(ast::Comment {
                text: text.get(i..end).unwrap_or("").to_string(),
                span: Span::new(i, end),
            });
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let text = format!("let x = {}1{}", "(".repeat(5000), ")".repeat(5000));
        let (_, errs) = parse(&text);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs.first().map(|e| e.code), Some("nesting-too-deep"));
    }

    /// The grammar's keyword rules are spelt out letter by letter for speed; they
    /// must still be exactly the words `ast::keys` lists.
    #[test]
    fn keyword_rules_match_the_keyword_lists() {
        use crate::ast::keys;
        let whole = |rule: Rule, word: &str| {
            DsdParser::parse(rule, word)
                .ok()
                .and_then(|mut p| p.next())
                .is_some_and(|p| p.as_str() == word)
        };
        let mut starters: Vec<&str> = keys::TOP_STATEMENTS.to_vec();
        starters.extend(keys::DESIGN_STATEMENTS);
        for w in &starters {
            assert!(whole(Rule::stmt_kw, w), "stmt_kw misses `{w}`");
            assert!(
                !whole(Rule::stmt_kw, &format!("{w}x")),
                "stmt_kw takes `{w}x`"
            );
        }
        for w in keys::CONTINUATIONS {
            assert!(whole(Rule::cont_kw, w), "cont_kw misses `{w}`");
        }
        // Nothing else: every word both rules accept is listed.
        for w in [
            "a",
            "b",
            "dashboard",
            "node_x",
            "sources",
            "reads",
            "viaduct",
            "tools",
        ] {
            assert!(!whole(Rule::stmt_kw, w), "stmt_kw takes `{w}`");
            assert!(!whole(Rule::cont_kw, w), "cont_kw takes `{w}`");
        }
    }

    #[test]
    fn comments_are_kept() {
        let (file, errs) = parse("// top\nnoun payment // trailing\n");
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(file.comments.len(), 2);
    }
}

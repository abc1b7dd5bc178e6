//! Turns pest's "expected rule_xyz" into words a data engineer reads.

use super::{Rule, SyntaxError};
use crate::source::Span;
use pest::error::{Error, ErrorVariant, InputLocation};

/// What a grammar rule is, in words, for "expected ..." help lines.
pub fn describe(rule: Rule) -> &'static str {
    match rule {
        Rule::name | Rule::ident => "a name",
        Rule::string | Rule::string_inner => "a quoted string",
        Rule::expr
        | Rule::sum
        | Rule::product
        | Rule::unary
        | Rule::quantity
        | Rule::field_ref
        | Rule::func_call => "a quantity (like `5 GB`) or a name",
        Rule::number | Rule::number_body | Rule::range | Rule::range_body | Rule::money => {
            "a number"
        }
        Rule::unit_spec | Rule::unit_piece | Rule::unit_compound => "a unit (like `GB/day`)",
        Rule::add_op | Rule::mul_op => "an operator (`+ - * /`)",
        Rule::block | Rule::schema_block | Rule::failure_block => "a `{` block",
        Rule::because => "`because \"...\"`",
        Rule::accepting => "`accepting \"...\"`",
        Rule::version => "a version like `v2`",
        Rule::rule_name => "a rule name like `non-idempotent-write`",
        Rule::node_kw => "`node` or `source`",
        Rule::EOI => "the end of the line",
        Rule::close => "`}`",
        _ => "something else",
    }
}

fn expected_list(positives: &[Rule]) -> String {
    let mut words: Vec<&str> = positives.iter().map(|r| describe(*r)).collect();
    words.sort_unstable();
    words.dedup();
    words.retain(|w| *w != "something else");
    match words.len() {
        0 => String::new(),
        1 => words.first().map(|w| w.to_string()).unwrap_or_default(),
        _ => {
            let last = words.pop().unwrap_or_default();
            format!("{} or {last}", words.join(", "))
        }
    }
}

/// The token at `offset`, for "unexpected `x`".
pub fn token_at(text: &str, offset: usize) -> String {
    let rest = text.get(offset..).unwrap_or("");
    let tok: String = match rest.chars().next() {
        None => return "end of line".to_string(),
        Some('\n' | '\r') => return "end of line".to_string(),
        Some(c) if c.is_alphanumeric() || c == '_' => rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
            .collect(),
        Some(c) => c.to_string(),
    };
    tok
}

/// The byte offset where a pest parse failed.
pub fn error_pos(e: &Error<Rule>) -> usize {
    match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    }
}

/// A syntax error from a failed pest parse of `text` (one statement or a file).
pub fn from_pest(e: &Error<Rule>, text: &str, what: &str) -> SyntaxError {
    let pos = error_pos(e);
    let tok = token_at(text, pos);
    let end = pos + if tok == "end of line" { 0 } else { tok.len() };
    match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let expected = expected_list(positives);
            let message = if tok == "end of line" {
                format!("this {what} ends too early")
            } else {
                format!("unexpected `{tok}` in this {what}")
            };
            let help = if expected.is_empty() {
                format!("check the spelling of this {what} against the examples in `examples/`")
            } else {
                format!("expected {expected} here")
            };
            SyntaxError {
                code: "syntax-error",
                span: Span::new(pos, end),
                message,
                label: if expected.is_empty() {
                    "not understood".into()
                } else {
                    format!("expected {expected}")
                },
                help,
            }
        }
        ErrorVariant::CustomError { message } => SyntaxError {
            code: "syntax-error",
            span: Span::new(pos, end),
            message: format!("the parser gave up: {message}"),
            label: "here".into(),
            help: "this input is too complex to parse; simplify the line".into(),
        },
    }
}

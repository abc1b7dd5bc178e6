//! Placeholders: `TODO` where a value belongs and `"TODO: ..."` where a reason
//! belongs, as `dsd init` writes them. Each is an `unfilled-placeholder` error,
//! so a starter design fails `dsd check` until someone answers its questions.

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

pub const WORD: &str = "TODO";

/// Every placeholder in a file, outside comments.
pub fn find(text: &str, file: FileId) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Most files hold no placeholder: one vectorised search says so.
    if memchr::memmem::find(text.as_bytes(), WORD.as_bytes()).is_none() {
        return out;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    let word_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    while let Some(&b) = bytes.get(i) {
        match b {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                // A comment: skip to the end of the line.
                while bytes.get(i).is_some_and(|c| *c != b'\n' && *c != b'\r') {
                    i += 1;
                }
            }
            b'"' => {
                let start = i;
                i += 1;
                let body = i;
                while let Some(&c) = bytes.get(i) {
                    if c == b'\\' {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    if c == b'"' || c == b'\n' || c == b'\r' {
                        break;
                    }
                }
                if text.get(body..).is_some_and(|t| t.starts_with(WORD)) {
                    out.push(
                        Diagnostic::new(
                            "unfilled-placeholder",
                            file,
                            Span::new(start, i),
                            "this reason is still a placeholder",
                        )
                        .label("say it in your own words")
                        .with_help("replace the text with your answer to the question it asks"),
                    );
                }
                continue;
            }
            _ if text.get(i..).is_some_and(|t| t.starts_with(WORD))
                && i.checked_sub(1)
                    .and_then(|p| bytes.get(p))
                    .is_none_or(|p| !word_char(*p))
                && bytes.get(i + WORD.len()).is_none_or(|n| !word_char(*n)) =>
            {
                out.push(
                    Diagnostic::new("unfilled-placeholder", file, Span::new(i, i + WORD.len()), "a value is still a placeholder")
                        .label("fill this in")
                        .with_help("answer the question in the comment on this line and write the number with its unit"),
                );
                i += WORD.len();
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

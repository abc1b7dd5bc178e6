//! The standard library: `.dsd` files compiled into the binary, parsed once per
//! process and shared read-only by every compilation.

use crate::source::SourceFile;
use std::sync::OnceLock;

/// `(name, text)` of each stdlib file, in load order.
pub const FILES: &[(&str, &str)] = &[
    ("nouns.dsd", include_str!("../stdlib/nouns.dsd")),
    ("roles.dsd", include_str!("../stdlib/roles.dsd")),
    ("tools.dsd", include_str!("../stdlib/tools.dsd")),
    ("numbers.dsd", include_str!("../stdlib/numbers.dsd")),
];

/// One stdlib file, read: its source (the text is shared, so adding it to a
/// compilation's source map copies no text), its syntax tree and any syntax
/// errors (none in a released binary; a test keeps it so).
pub struct Parsed {
    pub source: SourceFile,
    pub ast: crate::ast::File,
    pub errors: Vec<crate::syntax::SyntaxError>,
}

/// Every stdlib file, parsed on first use. Parsing it took about two thirds of
/// the time of checking a small design, once per file checked.
pub fn parsed() -> &'static [Parsed] {
    static PARSED: OnceLock<Vec<Parsed>> = OnceLock::new();
    PARSED.get_or_init(|| {
        FILES
            .iter()
            .map(|(name, text)| {
                let (ast, errors) = crate::syntax::parse(text);
                Parsed {
                    source: SourceFile::new(format!("<stdlib>/{name}"), *text),
                    ast,
                    errors,
                }
            })
            .collect()
    })
}

/// Every word of the stdlib's text (runs of letters, digits and `_`): the
/// only words whose being a declared noun can change how the stdlib reads
/// (`5 replicas` is a quantity once `replica` is a noun).
pub fn words() -> &'static std::collections::BTreeSet<&'static str> {
    static WORDS: OnceLock<std::collections::BTreeSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        FILES
            .iter()
            .flat_map(|(_, text)| text.split(|c: char| !(c.is_alphanumeric() || c == '_')))
            .filter(|w| !w.is_empty())
            .collect()
    })
}

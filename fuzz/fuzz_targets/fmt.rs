//! The formatter on any text it accepts: formatting twice changes nothing more,
//! and the formatted text means the same (the same tree, spans aside).
#![no_main]
use libfuzzer_sys::fuzz_target;

/// The tree's debug text without spans.
fn meaning(text: &str) -> String {
    let (ast, _) = dsd::syntax::parse(text);
    let debug = format!("{ast:?}");
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug.as_str();
    while let Some(at) = rest.find("Span {") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let end = after.find('}').map(|e| e + 1).unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(once) = dsd::fmt::format(text) else {
        return;
    };
    let twice = dsd::fmt::format(&once);
    assert_eq!(twice.as_ref(), Ok(&once), "formatting is not idempotent");
    assert_eq!(
        meaning(text),
        meaning(&once),
        "formatting changed the meaning"
    );
});

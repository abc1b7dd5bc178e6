//! The parser on any text: it returns a tree and errors, every error's span lies
//! inside the text on character boundaries, and reading the text in pieces (as
//! large files are) gives the same tree and errors as reading it whole.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (tree, errors) = dsd::syntax::parse(text);
    assert_eq!(
        dsd::syntax::parse_in_smallest_pieces(text),
        (tree, errors.clone()),
        "read in pieces, the text gives another tree or other errors"
    );
    for e in errors {
        let (start, end) = (e.span.start as usize, e.span.end as usize);
        assert!(
            start <= end && end <= text.len(),
            "span {start}..{end} outside the text"
        );
        assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
        assert!(!e.message.is_empty() && !e.help.is_empty());
    }
});

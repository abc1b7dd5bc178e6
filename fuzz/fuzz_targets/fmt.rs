//! The formatter on any text it accepts: formatting twice changes nothing more,
//! and the formatted text means the same (the same tree, spans aside).
#![no_main]
use libfuzzer_sys::fuzz_target;

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
        dsd::syntax::meaning(text),
        dsd::syntax::meaning(&once),
        "formatting changed the meaning"
    );
});

//! A byte stream into the language server's transport and handlers, as a client
//! (or anything writing to its stdin) could send. The server must not panic, must
//! answer with well-formed frames, and must end only when its input ends or on
//! `exit`, with exit code 0 (after `shutdown`) or 1. Memory is bounded by
//! libFuzzer's `-malloc_limit_mb` (see run.sh): a `Content-Length` may not make
//! it allocate what it says.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut input = std::io::Cursor::new(data);
    let mut output: Vec<u8> = Vec::new();
    let code = dsd::lsp::serve(&mut input, &mut output);
    match code {
        Ok(0 | 1) => {}
        other => panic!("the server ended with {other:?}"),
    }
    // Every frame it wrote has a length that matches its body, and the body is JSON.
    let mut rest = output.as_slice();
    while !rest.is_empty() {
        let Some(end) = rest.windows(4).position(|w| w == b"\r\n\r\n") else {
            panic!("a frame without a header end");
        };
        let header = std::str::from_utf8(rest.get(..end).unwrap_or_default())
            .unwrap_or_else(|_| panic!("a header that is not UTF-8"));
        let len: usize = header
            .strip_prefix("Content-Length: ")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("a bad header: {header:?}"));
        let body = rest
            .get(end + 4..end + 4 + len)
            .unwrap_or_else(|| panic!("a body shorter than its length"));
        if serde_json::from_slice::<serde_json::Value>(body).is_err() {
            panic!("a body that is not JSON");
        }
        rest = rest.get(end + 4 + len..).unwrap_or_default();
    }
});

//! The LSP base protocol: `Content-Length` headers, then a JSON body. Reading is
//! bounded everywhere: a header line is at most [`MAX_HEADER_LINE`] bytes, a body
//! at most [`MAX_MESSAGE`]; a longer body is skipped in small pieces, never held.
//! A frame that cannot be read is reported as such, and the next one is read: a
//! client's bad message does not end the connection.

use serde_json::Value;
use std::io::{self, BufRead, Read, Write};

/// The largest body read into memory: 64 MiB, far above any document an
/// editor sends (the compiler refuses sources over its own, smaller limit).
pub const MAX_MESSAGE: u64 = 64 << 20;
/// The longest header line kept; a longer one is skipped to its end.
pub const MAX_HEADER_LINE: usize = 8 << 10;
/// How much of a skipped body is kept to find its `id`.
const ID_PREFIX: u64 = 4 << 10;

/// One frame read from the client.
#[derive(Debug, PartialEq)]
pub enum Frame {
    /// A body that is JSON.
    Message(Value),
    /// A frame that is not a message: bad JSON, a missing, negative or unreadable
    /// `Content-Length`. Answered with a parse error whose id is null.
    Malformed(String),
    /// A body over [`MAX_MESSAGE`], skipped unread; its `id` if the first bytes
    /// named one.
    TooLarge { length: u64, id: Option<Value> },
}

enum Line {
    Text(Vec<u8>),
    TooLong,
    Eof,
}

/// One line, at most `MAX_HEADER_LINE` bytes kept; a longer one is consumed to
/// its end and reported as too long.
fn read_line(r: &mut impl BufRead) -> io::Result<Line> {
    let mut line = Vec::new();
    let n = r
        .by_ref()
        .take(MAX_HEADER_LINE as u64)
        .read_until(b'\n', &mut line)?;
    if n == 0 {
        return Ok(Line::Eof);
    }
    if line.last() == Some(&b'\n') || n < MAX_HEADER_LINE {
        return Ok(Line::Text(line));
    }
    // Over the limit: drop the rest of the line without keeping it.
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(Line::TooLong);
        }
        match buf.iter().position(|&b| b == b'\n') {
            Some(i) => {
                r.consume(i + 1);
                return Ok(Line::TooLong);
            }
            None => {
                let len = buf.len();
                r.consume(len);
            }
        }
    }
}

/// The value of a `Content-Length` header in `line`, if it holds one. A header
/// glued to the end of a previous, too short body (`…}Content-Length: 52`) is
/// still found, so one short length costs one message, not the rest.
fn content_length(line: &str) -> Option<Result<u64, String>> {
    const NAME: &str = "content-length:";
    let lower = line.to_ascii_lowercase();
    let at = lower.find(NAME)?;
    let value = line.get(at + NAME.len()..).unwrap_or("").trim();
    Some(
        value
            .parse::<u64>()
            .map_err(|_| format!("`Content-Length: {value}` is not a length in bytes")),
    )
}

/// Reads the next frame; `None` at the end of input. Header lines may end in
/// `\r\n` or a bare `\n`.
pub fn read_frame(r: &mut impl BufRead) -> io::Result<Option<Frame>> {
    let mut length: Option<Result<u64, String>> = None;
    let mut seen_header = false;
    loop {
        let text = match read_line(r)? {
            Line::Eof => return Ok(None),
            Line::TooLong => {
                seen_header = true;
                continue;
            }
            Line::Text(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        };
        let text = text.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            if !seen_header {
                continue; // blank lines between messages
            }
            break;
        }
        seen_header = true;
        if let Some(l) = content_length(text) {
            length = Some(l);
        }
    }
    let length = match length {
        None => return Ok(Some(Frame::Malformed("no Content-Length header".into()))),
        Some(Err(e)) => return Ok(Some(Frame::Malformed(e))),
        Some(Ok(n)) => n,
    };
    if length > MAX_MESSAGE {
        let mut prefix = Vec::new();
        r.by_ref()
            .take(length.min(ID_PREFIX))
            .read_to_end(&mut prefix)?;
        let id = request_id(&prefix);
        let rest = length.saturating_sub(prefix.len() as u64);
        io::copy(&mut r.by_ref().take(rest), &mut io::sink())?;
        return Ok(Some(Frame::TooLarge { length, id }));
    }
    let mut body = Vec::new();
    r.by_ref().take(length).read_to_end(&mut body)?;
    if (body.len() as u64) < length {
        return Ok(None); // the input ended inside the body
    }
    Ok(Some(match serde_json::from_slice::<Value>(&body) {
        Ok(v) => Frame::Message(v),
        Err(e) => Frame::Malformed(format!("the message is not JSON: {e}")),
    }))
}

/// The `id` member of the top-level object that `prefix` starts, if it appears
/// in the prefix (a number or a string); members nested deeper are not looked at.
fn request_id(prefix: &[u8]) -> Option<Value> {
    let text = String::from_utf8_lossy(prefix);
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                let start = i;
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'\\' => i += 1,
                        b'"' => break,
                        _ => {}
                    }
                    i += 1;
                }
                let key = text.get(start..=i).unwrap_or("");
                let rest = text.get(i + 1..).unwrap_or("").trim_start();
                if depth == 1 && key == "\"id\"" {
                    let value = rest.strip_prefix(':')?.trim_start();
                    let mut stream = serde_json::Deserializer::from_str(value).into_iter::<Value>();
                    return match stream.next() {
                        Some(Ok(v @ (Value::Number(_) | Value::String(_)))) => Some(v),
                        _ => None,
                    };
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Writes one message with its `Content-Length` header.
pub fn write_message(w: &mut impl Write, msg: &Value) -> io::Result<()> {
    let body = msg.to_string();
    write!(w, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    w.flush()
}

//! The language server, spoken to as an editor would: JSON-RPC over the
//! process's stdin and stdout.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

struct Server {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
}

impl Server {
    /// A server that has said nothing yet (no `initialize`).
    fn spawn() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dsd"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start dsd lsp: {e}"));
        let stdin = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; len];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                if let Ok(v) = serde_json::from_slice::<Value>(&body)
                    && tx.send(v).is_err()
                {
                    return;
                }
            }
        });
        Server {
            child,
            stdin,
            rx,
            next_id: 1,
        }
    }

    fn start() -> Server {
        let mut s = Server::spawn();
        let r = s.request(
            "initialize",
            json!({ "capabilities": {}, "processId": null, "rootUri": null }),
        );
        assert_eq!(r["capabilities"]["positionEncoding"], "utf-16", "{r}");
        s.notify("initialized", json!({}));
        s
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.send_raw(frame.as_bytes());
    }

    /// Bytes as they are, framed or not.
    fn send_raw(&mut self, bytes: &[u8]) {
        self.stdin
            .write_all(bytes)
            .unwrap_or_else(|e| panic!("server gone: {e}"));
        self.stdin.flush().unwrap_or_else(|e| panic!("{e}"));
    }

    /// The next message the server sends that has an `id` (a response).
    fn next_response(&mut self) -> Value {
        loop {
            let msg = self
                .rx
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("no response"));
            if msg.get("id").is_some() {
                return msg;
            }
        }
    }

    /// Sends a request and returns the whole response, error or not.
    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let msg = self.next_response();
        assert_eq!(msg["id"], id, "answers come in order: {msg}");
        msg
    }

    /// Closes the server's input and returns its exit code.
    fn exit_code(self) -> Option<i32> {
        let Server {
            mut child, stdin, ..
        } = self;
        drop(stdin);
        let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
        status.code()
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let msg = self
                .rx
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("no answer to {method}"));
            if msg["id"] == id {
                assert!(msg.get("error").is_none(), "{method}: {msg}");
                return msg["result"].clone();
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        loop {
            let msg = self
                .rx
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("no diagnostics"));
            if msg["method"] == "textDocument/publishDiagnostics" && msg["params"]["uri"] == uri {
                return msg["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
        }
    }

    fn open(&mut self, uri: &str, text: &str) -> Vec<Value> {
        self.notify("textDocument/didOpen", json!({ "textDocument": { "uri": uri, "languageId": "dsd", "version": 1, "text": text } }));
        self.diagnostics(uri)
    }

    fn stop(mut self) {
        let _ = self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap_or_else(|e| panic!("{e}"));
        assert!(
            status.success(),
            "the server did not exit cleanly: {status}"
        );
    }
}

fn example(name: &str) -> (String, String) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    (format!("file://{}", path.display()), text)
}

/// The LSP position (UTF-16) of the first `needle` in `text`, `skip` characters in.
fn pos(text: &str, needle: &str, skip: usize) -> Value {
    let at = text.find(needle).unwrap_or_else(|| panic!("no `{needle}`"));
    let line_start = text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line = text[..at].matches('\n').count();
    let col: usize = text[line_start..at]
        .chars()
        .map(char::len_utf16)
        .sum::<usize>()
        + skip;
    json!({ "line": line, "character": col })
}

#[test]
fn diagnostics_hover_definition_completion_and_formatting() {
    let mut s = Server::start();
    let (uri, text) = example("examples/razorpay_payments.dsd");
    assert!(s.open(&uri, &text).is_empty(), "the example is clean");
    // Hover on a let shows the computed value and its derivation.
    let h = s.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": pos(&text, "let kafka_peak", 5) }),
    );
    let v = h["contents"]["value"].as_str().unwrap_or("");
    assert!(
        v.contains("0.36 MB/s") && v.contains("2,000 payments/s × 180 B"),
        "{v}"
    );
    // Hover on a node shows its tool, trade-off and sizing.
    let h = s.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": pos(&text, "node fraud ", 6) }),
    );
    let v = h["contents"]["value"].as_str().unwrap_or("");
    assert!(
        v.contains("python_consumer") && v.contains("threads needed"),
        "{v}"
    );
    // Hover on a tool shows its figures, each with where it comes from.
    let h = s.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": pos(&text, "use msk ", 5) }),
    );
    let v = h["contents"]["value"].as_str().unwrap_or("");
    assert!(
        v.contains("**msk** — Amazon MSK")
            && v.contains("`per_partition` **50..100 MB/s** — the reference"),
        "{v}"
    );
    // Definition of a node used in a flow jumps to its declaration.
    let d = s.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": uri }, "position": pos(&text, "-> fraud ", 3) }),
    );
    let decl = pos(&text, "node fraud ", 5);
    assert_eq!(d["range"]["start"], decl, "{d}");
    // References find every use.
    let r = s.request("textDocument/references", json!({ "textDocument": { "uri": uri }, "position": pos(&text, "node fraud ", 6), "context": { "includeDeclaration": true } }));
    assert!(r.as_array().is_some_and(|a| a.len() >= 5), "{r}");
    // Completion after `flow ` offers node names.
    let mut text2 = text.clone();
    let insert_at = text2.rfind("\n}").unwrap_or(text2.len());
    text2.insert_str(insert_at, "\n  flow ");
    s.notify("textDocument/didChange", json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": text2 }] }));
    let _ = s.diagnostics(&uri);
    let c = s.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": pos(&text2, "  flow \n", 7) }),
    );
    let labels: Vec<&str> = c["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|i| i["label"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        labels.contains(&"fraud") && labels.contains(&"gateway"),
        "{labels:?}"
    );
    // Diagnostics name their rule.
    let (furi, ftext) = example("tests/rules/non-idempotent-write/fail.dsd");
    let diags = s.open(&furi, &ftext);
    assert_eq!(
        diags.first().and_then(|d| d["code"].as_str()),
        Some("non-idempotent-write"),
        "{diags:?}"
    );
    // Formatting returns the canonical layout as an edit.
    let (muri, mtext) = example("tests/fixtures/fmt/messy.dsd");
    s.open(&muri, &mtext);
    let f = s.request("textDocument/formatting", json!({ "textDocument": { "uri": muri }, "options": { "tabSize": 2, "insertSpaces": true } }));
    let new_text = f[0]["newText"].as_str().unwrap_or("");
    assert_eq!(Some(new_text.to_string()), dsd::fmt::format(&mtext).ok());
    // The outline lists the design and its nodes.
    let sy = s.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(sy[0]["name"], "razorpay_payments");
    s.stop();
}

#[test]
fn utf16_positions_land_on_wide_characters() {
    let mut s = Server::start();
    // Names are identifiers (Devanagari is one); emoji sit in strings and
    // comments on the same lines, before the names.
    let text = "design d {\n  node भुगतान : service\n  node sink : object_store\n  flow भुगतान -> sink batch daily write merge(id)\n  layer l \"😀 in\" { भुगतान, sink }\n}\n";
    let uri = "file:///tmp/wide.dsd";
    s.open(uri, text);
    // `😀` is two UTF-16 units: `भुगतान` after `"😀 in" { ` starts at column 20.
    let layer_use = json!({ "line": 4, "character": 21 });
    assert_eq!(pos(text, "भुगतान, sink }", 1), layer_use);
    let d = s.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": uri }, "position": layer_use }),
    );
    assert_eq!(
        d["range"]["start"],
        json!({ "line": 1, "character": 7 }),
        "{d}"
    );
    assert_eq!(
        d["range"]["end"],
        json!({ "line": 1, "character": 13 }),
        "{d}"
    );
    let r = s.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": uri }, "position": layer_use, "context": { "includeDeclaration": true } }),
    );
    let last = r
        .as_array()
        .and_then(|a| a.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        last["range"]["start"],
        json!({ "line": 4, "character": 20 }),
        "{r}"
    );
    s.stop();
}

#[test]
fn the_server_survives_typing_every_example_from_scratch() {
    let mut s = Server::start();
    let uri = "file:///tmp/typing.dsd";
    s.open(uri, "");
    // Each example starts from the empty file again.
    let mut version = 1;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "dsd"))
        .collect();
    names.sort();
    for (k, path) in names.iter().enumerate() {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
        // One example character by character; the others a line at a time.
        let cuts: Vec<usize> = if k == 0 {
            text.char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect()
        } else {
            text.match_indices('\n')
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect()
        };
        let mut last = String::new();
        for cut in cuts {
            let prefix = &text[..cut];
            if prefix == last {
                continue; // an unchanged text is not re-published
            }
            last = prefix.to_string();
            version += 1;
            s.notify("textDocument/didChange", json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": prefix }] }));
            // Every state of the text gets its diagnostics: the server is alive.
            let _ = s.diagnostics(uri);
        }
        // Still answering, with the whole file in place.
        let h = s.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 3 } }),
        );
        let _ = h;
        let sy = s.request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        );
        assert!(
            sy.as_array().is_some_and(|a| !a.is_empty()),
            "{}",
            path.display()
        );
    }
    s.stop();
}

/// The error code of a response (`None` when it succeeded).
fn error_code(msg: &Value) -> Option<i64> {
    msg["error"]["code"].as_i64()
}

#[test]
fn a_message_over_the_limit_is_skipped_unread_and_answered() {
    let mut s = Server::start();
    // 64 MiB and one byte: a request with id 99 padded to just over the limit.
    let limit = dsd::lsp::transport::MAX_MESSAGE as usize;
    let head = r#"{"jsonrpc":"2.0","id":99,"method":"textDocument/hover","params":{"pad":""#;
    let tail = r#""}}"#;
    let mut body = Vec::with_capacity(limit + 1);
    body.extend_from_slice(head.as_bytes());
    body.resize(limit + 1 - tail.len(), b'x');
    body.extend_from_slice(tail.as_bytes());
    assert_eq!(body.len(), limit + 1);
    s.send_raw(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    s.send_raw(&body);
    let r = s.next_response();
    assert_eq!(r["id"], 99, "{r}");
    assert_eq!(error_code(&r), Some(-32600), "{r}");
    // Still serving, and the next frame is read from where the skipped one ended.
    let (uri, text) = example("examples/razorpay_payments.dsd");
    s.open(&uri, &text);
    let h = s.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": pos(&text, "let kafka_peak", 5) }),
    );
    assert!(h["contents"]["value"].as_str().is_some(), "{h}");
    s.stop();
}

#[test]
fn a_content_length_of_100_gb_is_not_allocated() {
    use dsd::lsp::transport::{Frame, read_frame};
    // The transport skips the body through a small buffer and finds its id.
    let input = "Content-Length: 100000000000\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"textDocument/hover\"";
    let mut r = std::io::Cursor::new(input.as_bytes());
    let frame = read_frame(&mut r).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        frame,
        Some(Frame::TooLarge {
            length: 100_000_000_000,
            id: Some(json!(7))
        })
    );
    assert_eq!(read_frame(&mut r).ok(), Some(None), "then the input ends");
    // The server answers the request (once the input ends inside the body it
    // skips) and, the client gone without `shutdown`, exits with 1. Before, it
    // allocated the 100 GB and exited 2 when the input ended, answering nothing.
    let mut s = Server::start();
    s.send_raw(input.as_bytes());
    let Server {
        mut child,
        stdin,
        rx,
        ..
    } = s;
    drop(stdin);
    let r = rx
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("no answer"));
    assert_eq!(r["id"], 7, "{r}");
    assert_eq!(error_code(&r), Some(-32600), "{r}");
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status.code(), Some(1), "{status}");
}

#[test]
fn malformed_frames_get_parse_errors_and_the_server_keeps_serving() {
    let mut s = Server::start();
    let parse_error = |s: &mut Server, what: &str| {
        let r = s.next_response();
        assert_eq!(r["id"], Value::Null, "{what}: {r}");
        assert_eq!(error_code(&r), Some(-32700), "{what}: {r}");
    };
    // A body that is not JSON.
    s.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    parse_error(&mut s, "bad JSON");
    // A negative length, then a good message right after.
    s.send_raw(b"Content-Length: -5\r\n\r\n");
    parse_error(&mut s, "negative length");
    let r = s.call(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": "file:///none.dsd" } }),
    );
    assert_eq!(r["result"], json!([]), "{r}");
    // A length that is not a number, and a header with no length at all.
    s.send_raw(b"Content-Length: lots\r\n\r\n");
    parse_error(&mut s, "unreadable length");
    s.send_raw(b"Content-Type: application/vscode-jsonrpc\r\n\r\n");
    parse_error(&mut s, "no length");
    // A length too short for its body: the cut body is a parse error and the
    // message glued after the rest of it is still read.
    let body = json!({ "jsonrpc": "2.0", "id": 500, "method": "textDocument/documentSymbol", "params": { "textDocument": { "uri": "file:///none.dsd" } } }).to_string();
    let next = json!({ "jsonrpc": "2.0", "id": 501, "method": "textDocument/documentSymbol", "params": { "textDocument": { "uri": "file:///none.dsd" } } }).to_string();
    s.send_raw(
        format!(
            "Content-Length: 10\r\n\r\n{body}Content-Length: {}\r\n\r\n{next}",
            next.len()
        )
        .as_bytes(),
    );
    parse_error(&mut s, "short length");
    let r = s.next_response();
    assert_eq!(r["id"], 501, "{r}");
    assert_eq!(r["result"], json!([]), "{r}");
    // Headers ending in a bare `\n` are accepted.
    s.send_raw(format!("Content-Length: {}\n\n{next}", next.len()).as_bytes());
    let r = s.next_response();
    assert_eq!(r["id"], 501, "{r}");
    assert_eq!(r["result"], json!([]), "{r}");
    // JSON that is not a JSON-RPC message.
    s.send_raw(b"Content-Length: 7\r\n\r\n[1,2,3]");
    let r = s.next_response();
    assert_eq!(
        (r["id"].clone(), error_code(&r)),
        (Value::Null, Some(-32600)),
        "{r}"
    );
    // Still serving real work.
    let (uri, text) = example("examples/razorpay_payments.dsd");
    assert!(s.open(&uri, &text).is_empty());
    s.stop();
}

#[test]
fn after_shutdown_requests_are_refused_and_exit_says_whether_it_came() {
    let mut s = Server::start();
    let r = s.call("shutdown", Value::Null);
    assert_eq!(r["result"], Value::Null, "{r}");
    assert!(r.get("error").is_none(), "{r}");
    let r = s.call("textDocument/hover", json!({ "textDocument": { "uri": "file:///a.dsd" }, "position": { "line": 0, "character": 0 } }));
    assert_eq!(error_code(&r), Some(-32600), "{r}");
    let r = s.call("shutdown", Value::Null);
    assert_eq!(error_code(&r), Some(-32600), "{r}");
    s.notify("exit", Value::Null);
    assert_eq!(s.exit_code(), Some(0), "exit after shutdown");
    // `exit` without `shutdown`.
    let mut s = Server::start();
    s.notify("exit", Value::Null);
    assert_eq!(s.exit_code(), Some(1), "exit without shutdown");
    // The input closed without `shutdown`.
    let s = Server::start();
    assert_eq!(s.exit_code(), Some(1), "input closed without shutdown");
    // A request before `initialize`.
    let mut s = Server::spawn();
    let r = s.call("textDocument/hover", json!({}));
    assert_eq!(error_code(&r), Some(-32002), "{r}");
    let r = s.call("initialize", json!({ "capabilities": {} }));
    assert_eq!(r["result"]["capabilities"]["renameProvider"], true, "{r}");
    s.stop();
}

#[test]
fn unknown_methods_and_bad_params_get_their_own_error_codes() {
    let mut s = Server::start();
    let (uri, text) = example("examples/razorpay_payments.dsd");
    s.open(&uri, &text);
    let r = s.call(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(error_code(&r), Some(-32601), "unknown method: {r}");
    let r = s.call("$/unknownRequest", json!({}));
    assert_eq!(error_code(&r), Some(-32601), "`$/` request: {r}");
    let bad = [
        (
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri } }),
        ),
        (
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": -1, "character": 0 } }),
        ),
        (
            "textDocument/definition",
            json!({ "position": { "line": 0, "character": 0 } }),
        ),
        (
            "textDocument/rename",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }),
        ),
        ("textDocument/documentSymbol", json!(null)),
        ("textDocument/references", json!("not an object")),
    ];
    for (method, params) in bad {
        let r = s.call(method, params.clone());
        assert_eq!(error_code(&r), Some(-32602), "{method} {params}: {r}");
    }
    // Unknown notifications get no response; `$/` ones not even a log line.
    s.notify("$/setTrace", json!({ "value": "off" }));
    s.notify("workspace/somethingNew", json!({}));
    let id = s.next_id;
    s.next_id += 1;
    s.send(json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/documentSymbol", "params": { "textDocument": { "uri": uri } } }));
    // Everything the server sends up to the answer.
    let mut logged = Vec::new();
    loop {
        let msg =
            s.rx.recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("no answer"));
        if msg["id"] == id {
            assert!(msg.get("error").is_none(), "{msg}");
            break;
        }
        logged.push(msg);
    }
    assert!(
        logged.iter().all(|m| m.get("id").is_none()),
        "notifications are not answered: {logged:?}"
    );
    assert!(
        logged
            .iter()
            .any(|m| m["method"] == "window/logMessage" && m.to_string().contains("somethingNew")),
        "an unknown notification is logged: {logged:?}"
    );
    assert!(
        !logged.iter().any(|m| m.to_string().contains("setTrace")),
        "{logged:?}"
    );
    s.stop();
}

/// The byte offset of an LSP position (UTF-16 columns, lines ending in `\n`).
fn byte_at(text: &str, p: &Value) -> usize {
    let line = p["line"].as_u64().unwrap_or(0) as usize;
    let col = p["character"].as_u64().unwrap_or(0) as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= col {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// `text` with a rename's edits applied, and the lines (1-based) they touched.
fn apply(text: &str, uri: &str, rename: &Value) -> (String, Vec<usize>) {
    let edits = rename["changes"][uri]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("no edits: {rename}"));
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                byte_at(text, &e["range"]["start"]),
                byte_at(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    spans.sort();
    let lines = spans
        .iter()
        .map(|(s, _, _)| text[..*s].matches('\n').count() + 1)
        .collect();
    let mut out = text.to_string();
    for (s, e, new) in spans.iter().rev() {
        out.replace_range(*s..*e, new);
    }
    (out, lines)
}

#[test]
fn rename_follows_name_resolution_not_the_text() {
    let mut s = Server::start();
    let (uri, text) = example("examples/razorpay_payments.dsd");
    assert!(s.open(&uri, &text).is_empty());
    let rename = |s: &mut Server, at: Value, new: &str| {
        s.call(
            "textDocument/rename",
            json!({ "textDocument": { "uri": uri }, "position": at, "newName": new }),
        )
    };
    // The node `raw`: its declaration, three flows, a layer, the zone, `use s3`,
    // `allow … on`, its failure block and the retention bound on it; not the
    // schema's `size raw 400 B` nor `Payment.size.raw` (a text search took both).
    let r = rename(&mut s, pos(&text, "node raw ", 5), "archive");
    assert!(r.get("error").is_none(), "{r}");
    let (renamed, lines) = apply(&text, &uri, &r["result"]);
    assert_eq!(lines.len(), 10, "{lines:?}");
    assert!(renamed.contains("size       raw 400 B, compressed 180 B"));
    assert!(renamed.contains("volume * Payment.size.raw / 5x"));
    for line in [
        "node archive ",
        "retention   archive >= 7 years",
        "flow s3_sink     -> archive ",
        "flow archive         -> daily_batch",
        "use s3 for archive, gold",
        "allow small-files on archive because",
        "failure archive {",
    ] {
        assert!(renamed.contains(line), "{line}");
    }
    // Strings and comments keep their words.
    assert!(renamed.contains("\"raw stops getting files;"));
    // What the edits make compiles as cleanly as before: no use was missed.
    s.notify("textDocument/didChange", json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": renamed }] }));
    assert_eq!(s.diagnostics(&uri), Vec::<Value>::new());
    s.notify("textDocument/didChange", json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [{ "text": text }] }));
    let _ = s.diagnostics(&uri);
    // The schema `Payment`, from a use: emits, reads, carries, two lets and the
    // three hard problems, and its declaration.
    let r = rename(&mut s, pos(&text, "emits Payment", 7), "Pay");
    let (renamed, lines) = apply(&text, &uri, &r["result"]);
    assert_eq!(lines.len(), 10, "{lines:?}");
    assert!(renamed.contains("schema Pay v2 {") && renamed.contains("late_data Pay.occurred_at"));
    s.notify("textDocument/didChange", json!({ "textDocument": { "uri": uri, "version": 4 }, "contentChanges": [{ "text": renamed }] }));
    assert_eq!(s.diagnostics(&uri), Vec::<Value>::new());
    s.notify("textDocument/didChange", json!({ "textDocument": { "uri": uri, "version": 5 }, "contentChanges": [{ "text": text }] }));
    let _ = s.diagnostics(&uri);
    // A let: its declaration and the two lets that read it.
    let r = rename(&mut s, pos(&text, "let kafka_peak", 5), "broker_peak");
    let (renamed, lines) = apply(&text, &uri, &r["result"]);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(renamed.contains("let kafka_headroom  = broker_peak * 10"));
    // Words that are not names of anything: the schema's size keyword and the
    // last part of `Payment.size.raw` rename nothing and have no references.
    for at in [pos(&text, "raw 400 B", 1), pos(&text, "size.raw /", 6)] {
        let r = rename(&mut s, at.clone(), "archive");
        assert_eq!(r["result"], Value::Null, "{at}: {r}");
        let r = s.request("textDocument/references", json!({ "textDocument": { "uri": uri }, "position": at, "context": { "includeDeclaration": true } }));
        assert_eq!(r, json!([]), "{at}");
    }
    // References to the node from a use, without the declaration.
    let r = s.request("textDocument/references", json!({ "textDocument": { "uri": uri }, "position": pos(&text, "on raw because", 4), "context": { "includeDeclaration": false } }));
    assert_eq!(r.as_array().map(Vec::len), Some(9), "{r}");
    // New names that cannot be: a keyword, not an identifier, taken.
    for (new, why) in [
        ("flow", "keyword"),
        ("because", "keyword"),
        ("2fast", "not a name"),
        ("a-b", "not a name"),
        ("", "not a name"),
        ("gold", "already called"),
    ] {
        let r = rename(&mut s, pos(&text, "node raw ", 5), new);
        assert_eq!(error_code(&r), Some(-32602), "{new}: {r}");
        let message = r["error"]["message"].as_str().unwrap_or("");
        assert!(message.contains(why), "{new}: {message}");
    }
    s.stop();
}

#[test]
fn rename_stays_inside_the_design_that_declares_the_node() {
    let mut s = Server::start();
    let text = "design a {\n  node raw : object_store\n  node q : query_engine\n  flow raw -> q read scan\n}\n\ndesign b {\n  node raw : object_store\n  node q : query_engine\n  flow raw -> q read scan\n}\n";
    let uri = "file:///tmp/two.dsd";
    s.open(uri, text);
    let r = s.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 1, "character": 8 }, "newName": "lake" }),
    );
    let (renamed, lines) = apply(text, uri, &r);
    assert_eq!(lines, vec![2, 4], "{r}");
    assert!(
        renamed.contains("design b {\n  node raw : object_store"),
        "{renamed}"
    );
    s.stop();
}

/// A finding in an imported file is shown in the editor on the `import` line
/// that brings it in (the command line reports it too), and a did-you-mean the
/// diagnostic names is offered as a quick fix that makes the edit.
#[test]
fn imported_findings_and_did_you_mean_fixes() {
    let dir = std::env::temp_dir().join(format!("dsd-lsp-imports-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.join("catalog.dsd"),
        "tool cheap_store : object_store {\n  price_storage $0.01/GB/month\n  bogus_figure 3\n}\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let text = "import \"catalog.dsd\"\nlet a = 1 MB\nlet b = a + 1 MBB\n";
    let main = dir.join("main.dsd");
    std::fs::write(&main, text).unwrap_or_else(|e| panic!("{e}"));
    let uri = format!("file://{}", main.display());
    let mut s = Server::start();
    let diags = s.open(&uri, text);
    let imported = diags
        .iter()
        .find(|d| d["message"].as_str().is_some_and(|m| m.starts_with("in `")))
        .unwrap_or_else(|| panic!("no finding from catalog.dsd: {diags:#?}"));
    assert!(
        imported["message"]
            .as_str()
            .is_some_and(|m| m.contains("catalog.dsd` line 3") && m.contains("bogus_figure")),
        "{imported}"
    );
    assert_eq!(imported["range"]["start"]["line"], 0, "{imported}");
    // The misspelt unit: `MBB` → `MB`.
    let unit = diags
        .iter()
        .find(|d| {
            d["message"]
                .as_str()
                .is_some_and(|m| m.contains("did you mean `MB`"))
        })
        .cloned()
        .unwrap_or_else(|| panic!("no did-you-mean: {diags:#?}"));
    let actions = s.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": unit["range"], "context": { "diagnostics": [unit] } }),
    );
    let fix = actions
        .as_array()
        .and_then(|a| a.iter().find(|x| x["title"] == "Change `MBB` to `MB`"))
        .cloned()
        .unwrap_or_else(|| panic!("no quick fix: {actions:#}"));
    assert_eq!(fix["edit"]["changes"][&uri][0]["newText"], "MB");
    s.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

/// `(line, character)` of an LSP position, for comparing.
fn at(p: &Value) -> (u64, u64) {
    (
        p["line"].as_u64().unwrap_or(u64::MAX),
        p["character"].as_u64().unwrap_or(u64::MAX),
    )
}

/// Whether range `inner` lies inside range `outer`.
fn inside(inner: &Value, outer: &Value) -> bool {
    at(&outer["start"]) <= at(&inner["start"]) && at(&inner["end"]) <= at(&outer["end"])
}

/// The text a range covers (lines ending in `\n`).
fn covered(text: &str, r: &Value) -> String {
    text[byte_at(text, &r["start"])..byte_at(text, &r["end"])].to_string()
}

/// The child of an outline symbol with this name.
fn child<'v>(sym: &'v Value, name: &str) -> &'v Value {
    sym["children"]
        .as_array()
        .and_then(|c| c.iter().find(|s| s["name"] == name))
        .unwrap_or_else(|| panic!("no `{name}` under {}", sym["name"]))
}

#[test]
fn the_outline_covers_whole_blocks_with_their_parts_nested() {
    let mut s = Server::start();
    let (uri, text) = example("examples/razorpay_payments.dsd");
    s.open(&uri, &text);
    let outline = s.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let design = &outline[0];
    // The design: from `design` to its closing `}`, its name selected.
    let whole = covered(&text, &design["range"]);
    assert!(
        whole.starts_with("design razorpay_payments \"Real-time payment ingestion\" {")
            && whole.ends_with("\n}"),
        "{whole}"
    );
    assert_eq!(
        covered(&text, &design["selectionRange"]),
        "razorpay_payments"
    );
    // The requirements block, from its keyword, one child per requirement.
    let req = child(design, "requirements");
    let block = covered(&text, &req["range"]);
    assert!(
        block.starts_with("requirements {\n    volume") && block.ends_with("\"us-east-1\"\n  }"),
        "{block}"
    );
    assert_eq!(covered(&text, &req["selectionRange"]), "requirements");
    let latency = child(req, "latency");
    assert_eq!(
        covered(&text, &latency["range"]),
        "latency     fraud_decision <= 2 s"
    );
    assert_eq!(latency["detail"], "fraud_decision <= 2 s");
    // A node over several lines, its properties under it.
    let node = child(design, "payments : stream_broker");
    let block = covered(&text, &node["range"]);
    assert!(
        block.starts_with("node payments") && block.ends_with("topic razorpay.payments.v2\n  }"),
        "{block}"
    );
    assert_eq!(covered(&text, &node["selectionRange"]), "payments");
    assert_eq!(child(node, "partitions")["detail"], "6");
    // A schema's fields and properties; a failure block's lines.
    let schema = child(design, "Payment v2");
    assert!(covered(&text, &schema["range"]).starts_with("schema Payment v2 {"));
    assert_eq!(child(schema, "customer_vpa")["detail"], "string pii");
    assert_eq!(
        child(schema, "size")["detail"],
        "raw 400 B, compressed 180 B"
    );
    let failure = child(design, "failure fraud");
    let block = covered(&text, &failure["range"]);
    assert!(
        block.starts_with("failure fraud {") && block.ends_with("outage   4 h\n  }"),
        "{block}"
    );
    assert_eq!(child(failure, "dlq")["detail"], "fraud_dlq after 3 retries");
    // Flows, paths, tool choices are there too.
    assert_eq!(
        child(design, "fraud_decision")["detail"],
        "gateway -> payments -> fraud -> decisions"
    );
    child(design, "gateway -> payments");
    child(design, "use msk");
    // In every example and the standard library: each selection inside its
    // range, each child inside its parent, siblings in order, no empty name.
    fn walk(syms: &Value, parent: Option<&Value>, what: &str) -> usize {
        let mut n = 0;
        let mut last = (0, 0);
        for sym in syms.as_array().into_iter().flatten() {
            n += 1;
            assert!(
                sym["name"].as_str().is_some_and(|n| !n.trim().is_empty()),
                "{what}: {sym}"
            );
            assert!(
                inside(&sym["selectionRange"], &sym["range"]),
                "{what}: {sym}"
            );
            if let Some(p) = parent {
                assert!(inside(&sym["range"], &p["range"]), "{what}: {sym} in {p}");
            }
            assert!(last <= at(&sym["range"]["start"]), "{what}: {sym}");
            last = at(&sym["range"]["start"]);
            n += walk(&sym["children"], Some(sym), what);
        }
        n
    }
    let mut files: Vec<_> = ["examples", "stdlib"]
        .iter()
        .flat_map(|d| {
            std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(d))
                .unwrap_or_else(|e| panic!("{e}"))
                .flatten()
                .map(|e| e.path())
        })
        .filter(|p| p.extension().is_some_and(|x| x == "dsd"))
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        let uri = format!("file://{}", path.display());
        s.open(&uri, &text);
        let outline = s.request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        );
        let n = walk(&outline, None, &uri);
        assert!(n > 0, "{uri}: no symbols");
    }
    s.stop();
}

/// The Markdown of a hover at `needle` (`skip` characters in).
fn hover_text(s: &mut Server, uri: &str, text: &str, needle: &str, skip: usize) -> String {
    let h = s.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": pos(text, needle, skip) }),
    );
    h["contents"]["value"].as_str().unwrap_or("").to_string()
}

#[test]
fn hover_on_a_requirement_states_it_with_its_figures_and_findings() {
    let mut s = Server::start();
    let (uri, text) = example("examples/razorpay_payments.dsd");
    assert!(s.open(&uri, &text).is_empty());
    // The key, the value and the whitespace between them all hover the line.
    for skip in [0, 8, 14] {
        let v = hover_text(&mut s, &uri, &text, "volume      5M payments/day", skip);
        assert!(
            v.starts_with("**requirement** `volume 5M payments/day`")
                && v.contains(
                    "Average rate: **57.9 payments/s** — volume 5M payments/day ÷ 86,400 s/day"
                ),
            "{skip}: {v}"
        );
    }
    // The peak, with the first bottleneck and the check it comes from.
    let v = hover_text(&mut s, &uri, &text, "peak        2000", 14);
    assert!(
        v.contains("**2,000 payments/s**")
            && v.contains("Peak rate: **2,000 payments/s** — peak 2,000 payments/s")
            && v.contains("First bottleneck: `fraud` threads, at 1.14x today's load, inside the growth to 2x — peak 2,000 payments/s ÷ 286 payments/s per thread"),
        "{v}"
    );
    // A name the requirement mentions: the path, hovered as what it must do.
    let v = hover_text(&mut s, &uri, &text, "fraud_decision <= 2 s", 3);
    assert!(
        v.contains("The path `fraud_decision` (gateway → payments → fraud → decisions) must answer in at most **2 s**"),
        "{v}"
    );
    // Retention: the store's figures at full retention and by tier.
    let v = hover_text(&mut s, &uri, &text, "retention   raw", 12);
    assert!(
        v.contains("`raw` states `retain 7 years`")
            && v.contains("`raw` held at full retention: **1.02 TB** — 400 MB/day × 7 years")
            && v.contains("`raw` in tier glacier: **876 GB**"),
        "{v}"
    );
    let v = hover_text(&mut s, &uri, &text, "growth      2x", 13);
    assert!(
        v.contains("Load grows **2x**") && v.contains("`fraud` threads: needs 7 threads, has 8"),
        "{v}"
    );
    // `peak` where a `let` reads it is the requirement too.
    let v = hover_text(&mut s, &uri, &text, "peak * Payment.size", 1);
    assert!(
        v.starts_with("**requirement** `peak 2000 payments/s`"),
        "{v}"
    );
    // A store named elsewhere is still the node.
    let v = hover_text(&mut s, &uri, &text, "node raw ", 6);
    assert!(v.starts_with("**raw** : `object_store`"), "{v}");
    // Findings that point at the line: the one it places there and one whose
    // related place it is.
    let (furi, ftext) = example("tests/rules/latency-budget-exceeded/fail.dsd");
    s.open(&furi, &ftext);
    let v = hover_text(&mut s, &furi, &ftext, "latency    enrichment", 0);
    assert!(
        v.contains(
            "**Findings**\n\n- `latency-budget-exceeded`: path `enrichment` takes up to 5 min"
        ),
        "{v}"
    );
    let (furi, ftext) = example("tests/rules/capacity-exceeded/fail.dsd");
    s.open(&furi, &ftext);
    let v = hover_text(&mut s, &furi, &ftext, "peak       10x", 12);
    assert!(
        v.contains("**579 orders/s** (10x the average volume)")
            && v.contains("`enrich` threads: needs 2 threads, has 1 (**does not fit**)")
            && v.contains("- `capacity-exceeded`: `enrich` needs 2 threads at peak, has 1"),
        "{v}"
    );
    let (furi, ftext) = example("tests/rules/cost-ceiling-exceeded/fail.dsd");
    s.open(&furi, &ftext);
    let v = hover_text(&mut s, &furi, &ftext, "cost       <=", 2);
    assert!(
        v.contains("The monthly bill must be at most **$300/month**")
            && v.contains("against the ceiling $300/month")
            && v.contains("- `cost-ceiling-exceeded`"),
        "{v}"
    );
    s.stop();
}

/// A `file:` URI for `path`, every byte but unreserved characters and `/`
/// percent-encoded, as VS Code writes them.
fn file_uri(path: &std::path::Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Sets `missing-dlq`'s severity in the project file, with the given
/// modification time (the values are all five letters, so the length stays).
fn set_rule(toml: &std::path::Path, severity: &str, modified: std::time::SystemTime) {
    std::fs::write(toml, format!("[rules]\nmissing-dlq = \"{severity}\"\n"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::File::options()
        .write(true)
        .open(toml)
        .and_then(|f| f.set_modified(modified))
        .unwrap_or_else(|e| panic!("{e}"));
}

fn has_missing_dlq(diags: &[Value]) -> bool {
    diags.iter().any(|d| d["code"] == "missing-dlq")
}

/// `dsd.toml` is read once for the folder, not on every keystroke; again when
/// the client reports it changed (the server asks to be told) or saved, or
/// when its modification time moves. The folder's name needs percent-encoding
/// (a space, `#`, Devanagari), so finding the project at all is the URI's
/// round trip to a path.
#[test]
fn the_project_file_is_read_once_and_again_when_it_changes() {
    let dir = std::env::temp_dir().join(format!("dsd lsp #प्रोजेक्ट-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let toml = dir.join("dsd.toml");
    let then = std::time::SystemTime::now() - Duration::from_secs(3600);
    set_rule(&toml, "allow", then);
    let design = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules/missing-dlq/fail.dsd"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("d.dsd"), &design).unwrap_or_else(|e| panic!("{e}"));
    let uri = file_uri(&dir.join("d.dsd"));
    assert!(uri.contains("%20%23%E0%A4%AA"), "{uri}");

    let mut s = Server::spawn();
    let caps = json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } });
    let r = s.call("initialize", json!({ "capabilities": caps }));
    assert!(r.get("error").is_none(), "{r}");
    s.notify("initialized", json!({}));
    // The server asks to watch every dsd.toml; the client says yes.
    let ask = s.next_response();
    assert_eq!(ask["method"], "client/registerCapability", "{ask}");
    let reg = &ask["params"]["registrations"][0];
    assert_eq!(reg["method"], "workspace/didChangeWatchedFiles", "{ask}");
    assert_eq!(
        reg["registerOptions"]["watchers"][0]["globPattern"],
        "**/dsd.toml"
    );
    s.send(json!({ "jsonrpc": "2.0", "id": ask["id"], "result": null }));

    // The project allows the rule.
    assert!(!has_missing_dlq(&s.open(&uri, &design)));
    let mut version = 1;
    let mut edit = |s: &mut Server| {
        version += 1;
        let text = format!("{design}{}", "\n".repeat(version));
        s.notify("textDocument/didChange", json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }));
        s.diagnostics(&uri)
    };
    // Changed on disk behind the server's back, same time and length: a
    // keystroke does not read it again.
    set_rule(&toml, "error", then);
    assert!(!has_missing_dlq(&edit(&mut s)), "read again on a keystroke");
    // The client reports the change: the open document is compiled again and
    // published without a keystroke.
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": file_uri(&toml), "type": 2 }] }),
    );
    let diags = s.diagnostics(&uri);
    assert!(has_missing_dlq(&diags), "{diags:?}");
    assert!(
        diags
            .iter()
            .any(|d| d["code"] == "missing-dlq" && d["severity"] == 1),
        "as an error: {diags:?}"
    );
    // A new modification time is noticed at the next keystroke.
    set_rule(&toml, "allow", then + Duration::from_secs(60));
    assert!(!has_missing_dlq(&edit(&mut s)), "the new time was not seen");
    // Saving a dsd.toml open in the editor counts as a change.
    set_rule(&toml, "error", then + Duration::from_secs(60));
    assert!(!has_missing_dlq(&edit(&mut s)));
    s.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": file_uri(&toml) } }),
    );
    assert!(has_missing_dlq(&s.diagnostics(&uri)));
    s.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

/// A Windows client's URIs (an escaped drive letter) and a client's unescaped
/// ones: the document is served on Linux too (its path is only for imports
/// and the project file), and answers name it as the client did, or escaped
/// where it was not a valid URI. The path conversion itself, drive letters and
/// UNC included, is unit-tested in `lsp::uri`.
#[test]
fn windows_and_unescaped_uris_are_answered_in_the_clients_own_terms() {
    let mut s = Server::start();
    let text = "design d {\n  node a : service\n  node b : object_store\n  flow a -> b batch daily write merge(id)\n}\n";
    for (sent, answered) in [
        (
            "file:///c%3A/Users/R%C3%A9my/My%20Designs/x%231.dsd",
            "file:///c%3A/Users/R%C3%A9my/My%20Designs/x%231.dsd",
        ),
        ("file:///C:/designs/x.dsd", "file:///C:/designs/x.dsd"),
        ("file://server/share/x.dsd", "file://server/share/x.dsd"),
        (
            "file:///tmp/my designs/Rémy.dsd",
            "file:///tmp/my%20designs/R%C3%A9my.dsd",
        ),
    ] {
        s.notify("textDocument/didOpen", json!({ "textDocument": { "uri": sent, "languageId": "dsd", "version": 1, "text": text } }));
        let published = loop {
            let msg =
                s.rx.recv_timeout(Duration::from_secs(60))
                    .unwrap_or_else(|_| panic!("no diagnostics for {sent}"));
            if msg["method"] == "textDocument/publishDiagnostics" {
                break msg;
            }
        };
        assert_eq!(published["params"]["uri"], answered, "{published}");
        let d = s.request(
            "textDocument/definition",
            json!({ "textDocument": { "uri": sent }, "position": { "line": 3, "character": 12 } }),
        );
        assert_eq!(d["uri"], answered, "{d}");
        assert_eq!(
            d["range"]["start"],
            json!({ "line": 2, "character": 7 }),
            "{d}"
        );
    }
    s.stop();
}

// The workspace (issue 20, item 3): every file under the folders, imports
// followed both ways.

const SHARED: &str = "schema Order v1 {\n  order_id     string     key cardinality 100M\n  occurred_at  timestamp  event_time\n  size         raw 300 B, compressed 120 B\n}\n";

fn importer(name: &str) -> String {
    format!(
        "import \"shared.dsd\"\n\ndesign {name} {{\n  source app : service {{ emits Order v1 }}\n  node lake : object_store\n  flow app -> lake batch daily write merge(order_id) carries Order\n}}\n"
    )
}

const LONE: &str = "design lone {\n  node a : service\n  node b : object_store\n  flow a -> b batch daily write merge(id)\n}\n";

/// A folder of `files` (name, text), and the URI of each by name.
fn folder(tag: &str, files: &[(&str, &str)]) -> (std::path::PathBuf, Vec<String>) {
    let dir = std::env::temp_dir().join(format!("dsd-lsp-ws-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let uris = files
        .iter()
        .map(|(name, text)| {
            std::fs::write(dir.join(name), text).unwrap_or_else(|e| panic!("{e}"));
            format!("file://{}", dir.join(name).display())
        })
        .collect();
    (dir, uris)
}

/// A server whose workspace is `dir`, and the diagnostics it published
/// while it indexed the workspace, by URI (the last of each). The client
/// shows progress, so it knows when indexing ended.
fn start_in(dir: &std::path::Path) -> (Server, std::collections::BTreeMap<String, Vec<Value>>) {
    let (mut s, mut log) = start_indexing(dir);
    s.notify("initialized", json!({}));
    loop {
        let msg = log.next(&mut s);
        if msg["method"] == "window/workDoneProgress/create" {
            s.send(json!({ "jsonrpc": "2.0", "id": msg["id"], "result": null }));
        }
        if msg["method"] == "$/progress" && msg["params"]["value"]["kind"] == "end" {
            return (s, log.published);
        }
    }
}

/// A server that shows progress, told of the workspace `dir` but not yet
/// `initialized`, and an empty log of what it publishes.
fn start_indexing(dir: &std::path::Path) -> (Server, Log) {
    let mut s = Server::spawn();
    let root = format!("file://{}", dir.display());
    let r = s.call(
        "initialize",
        json!({ "capabilities": { "window": { "workDoneProgress": true } }, "workspaceFolders": [{ "uri": root, "name": "w" }] }),
    );
    assert!(r.get("error").is_none(), "{r}");
    (s, Log::default())
}

/// What a server sent, as it is read: the last diagnostics of each URI.
#[derive(Default)]
struct Log {
    published: std::collections::BTreeMap<String, Vec<Value>>,
    /// How many times diagnostics were published.
    publishes: usize,
}

impl Log {
    /// The next message, logged.
    fn next(&mut self, s: &mut Server) -> Value {
        let msg =
            s.rx.recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("the server went quiet"));
        if msg["method"] == "textDocument/publishDiagnostics" {
            let uri = msg["params"]["uri"].as_str().unwrap_or("").to_string();
            let diags = msg["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            self.published.insert(uri, diags);
            self.publishes += 1;
        }
        msg
    }
}

/// A large workspace is indexed between messages: a request sent as
/// indexing starts is answered long before it ends, a request about every
/// file (references) still sees every file, and progress runs from `begin`
/// through `report`s to an `end` that counts every file, each of which got
/// its diagnostics.
#[test]
fn the_server_answers_while_it_indexes_a_large_workspace() {
    const N: usize = 400;
    let names: Vec<String> = (0..N).map(|i| format!("d{i:03}.dsd")).collect();
    let texts: Vec<String> = (0..N).map(|i| importer(&format!("d{i:03}"))).collect();
    let mut files: Vec<(&str, &str)> = vec![("shared.dsd", SHARED)];
    files.extend(
        names
            .iter()
            .map(String::as_str)
            .zip(texts.iter().map(String::as_str)),
    );
    let (dir, uris) = folder("async-index", &files);
    let (mut s, mut log) = start_indexing(&dir);
    s.notify("initialized", json!({}));
    // At once: what the editor asks first, then a search of every file.
    s.send(json!({ "jsonrpc": "2.0", "id": "first", "method": "textDocument/hover",
        "params": { "textDocument": { "uri": "untitled:probe" }, "position": { "line": 0, "character": 0 } } }));
    let at = pos(SHARED, "Order", 0);
    s.send(json!({ "jsonrpc": "2.0", "id": "refs", "method": "textDocument/references",
        "params": { "textDocument": { "uri": uris[0] }, "position": at, "context": { "includeDeclaration": false } } }));
    let mut kinds: Vec<String> = Vec::new();
    let mut first_after: Option<usize> = None;
    let mut refs: Option<Value> = None;
    let end_message;
    loop {
        let msg = log.next(&mut s);
        if msg["method"] == "window/workDoneProgress/create" {
            assert_eq!(msg["params"]["token"], "dsd-index", "{msg}");
            s.send(json!({ "jsonrpc": "2.0", "id": msg["id"], "result": null }));
        }
        if msg["id"] == "first" {
            first_after = Some(log.publishes);
        }
        if msg["id"] == "refs" {
            refs = Some(msg["result"].clone());
        }
        if msg["method"] == "$/progress" {
            let v = &msg["params"]["value"];
            kinds.push(v["kind"].as_str().unwrap_or("").to_string());
            if v["kind"] == "end" {
                end_message = v["message"].as_str().unwrap_or("").to_string();
                break;
            }
        }
    }
    // The first request waited for a few files, not for the workspace.
    let first_after = first_after.unwrap_or_else(|| panic!("`first` was not answered"));
    assert!(
        first_after < N / 2,
        "answered after {first_after} of {} files",
        N + 1
    );
    // References looked at every file, indexed or not when they were asked.
    let refs = refs.unwrap_or_else(|| panic!("`refs` was not answered before indexing ended"));
    let in_importers = refs
        .as_array()
        .map(|a| a.iter().filter(|l| l["uri"] != uris[0]).count())
        .unwrap_or(0);
    // Each importer names `Order` twice: `emits Order v1` and `carries Order`.
    assert_eq!(in_importers, 2 * N, "{refs}");
    assert_eq!(
        kinds.first().map(String::as_str),
        Some("begin"),
        "{kinds:?}"
    );
    assert!(
        kinds.iter().skip(1).rev().skip(1).all(|k| k == "report"),
        "{kinds:?}"
    );
    assert_eq!(end_message, format!("{0}/{0} files", N + 1));
    // Every file got its diagnostics: the same three findings in each
    // importer (no requirements, no failure mode, a non-idempotent write).
    let codes = |u: &String| -> Vec<String> {
        let diags = log
            .published
            .get(u)
            .unwrap_or_else(|| panic!("nothing published for {u}"));
        diags
            .iter()
            .map(|d| d["code"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(codes(&uris[0]), Vec::<String>::new());
    for u in uris.iter().skip(1) {
        assert_eq!(
            codes(u),
            [
                "missing-requirement",
                "uncovered-failure",
                "non-idempotent-write"
            ],
            "{u}"
        );
    }
    s.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Sends a request (`textDocument/hover` on a document no one has, or the
/// method given) and returns the diagnostics published before its answer,
/// by URI, and the answer: the server handles messages in order, so these are
/// everything the notifications before it caused.
fn published_before(
    s: &mut Server,
    method: &str,
) -> (std::collections::BTreeMap<String, Vec<Value>>, Value) {
    let id = s.next_id;
    s.next_id += 1;
    let (method, params) = if method == "shutdown_probe" {
        (
            "textDocument/hover",
            json!({ "textDocument": { "uri": "untitled:probe" }, "position": { "line": 0, "character": 0 } }),
        )
    } else {
        (method, Value::Null)
    };
    s.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
    let mut out = std::collections::BTreeMap::new();
    loop {
        let msg =
            s.rx.recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("no answer"));
        if msg["id"] == id {
            return (out, msg);
        }
        if msg["method"] == "textDocument/publishDiagnostics" {
            let uri = msg["params"]["uri"].as_str().unwrap_or("").to_string();
            let diags = msg["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            out.insert(uri, diags);
        }
    }
}

/// An error the compiler finds in an imported file is published at that
/// file's own URI, on its own line (the file is neither open nor in a
/// workspace), as well as on the `import` line of the document.
#[test]
fn an_imported_files_findings_are_published_at_its_own_uri() {
    let shared = format!("{SHARED}let bad = 1 MBB\n");
    let (dir, uris) = folder(
        "imported",
        &[("shared.dsd", &shared), ("a.dsd", &importer("a"))],
    );
    let mut s = Server::start();
    s.notify("textDocument/didOpen", json!({ "textDocument": { "uri": uris[1], "languageId": "dsd", "version": 1, "text": importer("a") } }));
    let (published, _) = published_before(&mut s, "shutdown_probe");
    let there = published
        .get(&uris[0])
        .unwrap_or_else(|| panic!("nothing published for shared.dsd: {published:#?}"));
    let unit = there
        .iter()
        .find(|d| d["message"].as_str().is_some_and(|m| m.contains("MBB")))
        .unwrap_or_else(|| panic!("{there:#?}"));
    assert_eq!(unit["range"]["start"]["line"], 5, "{unit}");
    assert_eq!(covered(&shared, &unit["range"]), "MBB");
    let here = &published[&uris[1]];
    assert!(
        here.iter().any(|d| d["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("in `shared.dsd` line 6"))),
        "{here:#?}"
    );
    s.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every file of the workspace is published at `initialized`, open or not;
/// a one-character edit to a shared file re-checks it and the two files that
/// import it, not the one that does not.
#[test]
fn the_workspace_is_indexed_and_an_edit_rechecks_only_the_importers() {
    let (dir, uris) = folder(
        "recheck",
        &[
            ("shared.dsd", SHARED),
            ("a.dsd", &importer("a")),
            ("b.dsd", &importer("b")),
            ("lone.dsd", LONE),
        ],
    );
    let (mut s, published) = start_in(&dir);
    let all: Vec<&String> = published.keys().collect();
    let mut want: Vec<&String> = uris.iter().collect();
    want.sort();
    assert_eq!(all, want, "every file published at start");
    // The imported schema resolves: no unknown-name error in the importers.
    assert!(
        !published[&uris[1]]
            .iter()
            .any(|d| d["message"].as_str().is_some_and(|m| m.contains("Order"))),
        "{:#?}",
        published[&uris[1]]
    );
    // Opened as it is on disk: nothing to re-check but itself.
    s.notify("textDocument/didOpen", json!({ "textDocument": { "uri": uris[0], "languageId": "dsd", "version": 1, "text": SHARED } }));
    let (published, _) = published_before(&mut s, "shutdown_probe");
    assert_eq!(published.keys().collect::<Vec<_>>(), vec![&uris[0]]);
    // One character: `Order` becomes `Ordex`; the importers now miss it.
    let edited = SHARED.replacen("schema Order", "schema Ordex", 1);
    s.notify("textDocument/didChange", json!({ "textDocument": { "uri": uris[0], "version": 2 }, "contentChanges": [{ "text": edited }] }));
    let (published, _) = published_before(&mut s, "shutdown_probe");
    let mut rechecked: Vec<&String> = published.keys().collect();
    rechecked.sort();
    let mut importers = vec![&uris[1], &uris[0], &uris[2]];
    importers.sort();
    assert_eq!(rechecked, importers, "lone.dsd is not re-checked");
    for u in [&uris[1], &uris[2]] {
        assert!(
            published[u]
                .iter()
                .any(|d| d["message"].as_str().is_some_and(|m| m.contains("Order"))),
            "the importer saw the editor's text: {:#?}",
            published[u]
        );
    }
    s.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Definition of a schema declared in an imported file opens that file;
/// references and rename cover the declaring file and every importer.
#[test]
fn definition_references_and_rename_follow_imports() {
    let (dir, uris) = folder(
        "rename",
        &[
            ("shared.dsd", SHARED),
            ("a.dsd", &importer("a")),
            ("b.dsd", &importer("b")),
            ("lone.dsd", LONE),
        ],
    );
    let (mut s, _) = start_in(&dir);
    let a = importer("a");
    s.open(&uris[1], &a);
    let at = pos(&a, "emits Order", 7);
    let d = s.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": uris[1] }, "position": at }),
    );
    assert_eq!(d["uri"], uris[0], "{d}");
    assert_eq!(covered(SHARED, &d["range"]), "Order");
    let refs = s.request("textDocument/references", json!({ "textDocument": { "uri": uris[1] }, "position": at, "context": { "includeDeclaration": true } }));
    let files: std::collections::BTreeSet<&str> = refs
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["uri"].as_str())
        .collect();
    assert_eq!(files.len(), 3, "{refs}");
    // Two uses in each importer and the declaration.
    assert_eq!(refs.as_array().map(Vec::len), Some(5), "{refs}");
    let r = s.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uris[1] }, "position": at, "newName": "Purchase" }),
    );
    let (shared, _) = apply(SHARED, &uris[0], &r);
    assert!(shared.starts_with("schema Purchase v1 {"), "{shared}");
    for u in [&uris[1], &uris[2]] {
        let (text, lines) = apply(&a, u, &r);
        assert_eq!(lines, vec![4, 6], "{r}");
        assert!(text.contains("emits Purchase v1") && text.contains("carries Purchase"));
    }
    assert!(r["changes"].get(&uris[3]).is_none(), "{r}");
    s.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Definition of a standard library role or tool is a `dsd-stdlib:` URI
/// whose text the `dsd/stdlib` request serves; renaming it is refused.
#[test]
fn a_stdlib_name_opens_read_only_and_cannot_be_renamed() {
    let mut s = Server::start();
    let uri = "file:///tmp/stdlib-def.dsd";
    s.open(uri, LONE);
    let at = pos(LONE, "object_store", 3);
    let d = s.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": uri }, "position": at }),
    );
    let target = d["uri"].as_str().unwrap_or_else(|| panic!("{d}"));
    assert!(target.starts_with("dsd-stdlib:///"), "{d}");
    let text = s.request("dsd/stdlib", json!({ "uri": target }));
    let text = text["text"].as_str().unwrap_or_else(|| panic!("{text}"));
    assert_eq!(covered(text, &d["range"]), "object_store");
    // VS Code hands the URI back without the empty authority.
    let short = target.replacen(":///", ":/", 1);
    let again = s.request("dsd/stdlib", json!({ "uri": short }));
    assert_eq!(again["text"].as_str(), Some(text), "{short}");
    let r = s.call(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri }, "position": at, "newName": "bucket" }),
    );
    assert_eq!(error_code(&r), Some(-32602), "{r}");
    assert!(
        r["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("standard library")),
        "{r}"
    );
    let r = s.call(
        "dsd/stdlib",
        json!({ "uri": "dsd-stdlib:///../etc/passwd" }),
    );
    assert_eq!(error_code(&r), Some(-32602), "{r}");
    s.stop();
}

// An edit re-checks an importer only when it can change what the importer
// finds (issue 20): the others keep their diagnostics and are compiled again
// before a request reads them.

const AUDIT: &str =
    "schema Audit v1 {\n  audit_id  string  key cardinality 1M\n  size      raw 100 B\n}\n";

fn audit_importer(name: &str) -> String {
    format!(
        "import \"shared.dsd\"\n\ndesign {name} {{\n  source app : service {{ emits Audit v1 }}\n  node lake : object_store\n  flow app -> lake batch daily write merge(audit_id) carries Audit\n}}\n"
    )
}

/// Every file's diagnostics as (file name, message, range), in a stable order.
fn all_diagnostics(ws: &dsd::lsp::workspace::Workspace) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for k in ws.docs.keys() {
        let Some(p) = ws.diagnostics(k) else { continue };
        let name = k.rsplit('/').next().unwrap_or_default().to_string();
        for d in p.diagnostics {
            out.push((name.clone(), d.message, format!("{:?}", d.range)));
        }
    }
    out.sort();
    out
}

/// A workspace indexed afresh from `files` as they are now.
fn fresh(tag: &str, files: &[(&str, String)]) -> Vec<(String, String, String)> {
    let owned: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let (dir, _) = folder(tag, &owned);
    let mut ws = dsd::lsp::workspace::Workspace::default();
    ws.index(vec![dir.clone()]);
    let found = all_diagnostics(&ws);
    let _ = std::fs::remove_dir_all(&dir);
    found
}

#[test]
fn an_edit_defers_exactly_the_importers_it_cannot_change() {
    let shared0 = format!("{SHARED}\n{AUDIT}");
    let mut files: Vec<(&str, String)> = vec![
        ("shared.dsd", shared0.clone()),
        ("a.dsd", importer("a")),
        ("b.dsd", importer("b")),
        ("c.dsd", audit_importer("c")),
        ("lone.dsd", LONE.to_string()),
    ];
    let owned: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let (dir, _) = folder("defer", &owned);
    let mut ws = dsd::lsp::workspace::Workspace::default();
    ws.index(vec![dir.clone()]);
    let shared_key = dsd::lsp::workspace::path_key(&dir.join("shared.dsd"));
    let name_of = |k: &String| k.rsplit('/').next().unwrap_or_default().to_string();
    // (the edit, the files compiled for it, the files deferred)
    let s1 = shared0.replace("raw 100 B", "raw 120 B");
    let edits: Vec<(String, Vec<&str>, usize)> = vec![
        // Audit's size: only c names Audit.
        (s1.clone(), vec!["c.dsd", "shared.dsd"], 2),
        // A blank line first: every span in shared.dsd moves, no declaration changes.
        (format!("\n{s1}"), vec!["shared.dsd"], 3),
        // A new schema nobody names.
        (
            format!("\n{s1}schema Extra v1 {{\n  id string key\n}}\n"),
            vec!["shared.dsd"],
            3,
        ),
        // Order loses the key a and b merge on: they are re-checked now.
        (
            s1.replace(
                "  order_id     string     key cardinality 100M\n",
                "  id  string  key\n",
            ),
            vec!["a.dsd", "b.dsd", "shared.dsd"],
            1,
        ),
        // An error in the shared file is echoed on every importer's import line.
        (
            format!("{s1}let bad = 1 MBB\n"),
            vec!["a.dsd", "b.dsd", "c.dsd", "shared.dsd"],
            0,
        ),
        // And its fix (a `let` removed) re-checks them all again.
        (
            shared0.clone(),
            vec!["a.dsd", "b.dsd", "c.dsd", "shared.dsd"],
            0,
        ),
    ];
    for (step, (text, compiled, deferred)) in edits.into_iter().enumerate() {
        let before = ws.compiles;
        let published = ws.set_text(&shared_key, text.clone());
        assert_eq!(ws.compiles - before, compiled.len(), "step {step}");
        assert_eq!(ws.stale_count(), deferred, "step {step}");
        let published: Vec<String> = published.iter().map(name_of).collect();
        for f in &compiled {
            assert!(
                published.contains(&f.to_string()),
                "step {step}: {f} not published"
            );
        }
        // What the editor shows is what a workspace read afresh finds ...
        files[0].1 = text;
        let shown = all_diagnostics(&ws);
        assert_eq!(
            shown,
            fresh(&format!("defer-truth-{step}"), &files),
            "step {step}"
        );
        // ... and compiling the deferred importers changes none of it.
        ws.refresh(None);
        assert_eq!(ws.stale_count(), 0);
        assert_eq!(all_diagnostics(&ws), shown, "step {step}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A request on a deferred importer compiles it first: its definition of an
/// imported schema lands on the declaration's line after the lines above it
/// moved.
#[test]
fn a_request_compiles_a_deferred_importer_before_reading_it() {
    let (dir, uris) = folder(
        "defer-request",
        &[("shared.dsd", SHARED), ("a.dsd", &importer("a"))],
    );
    let (mut s, _) = start_in(&dir);
    let moved = format!("// a comment\n// and another\n{SHARED}");
    s.notify("textDocument/didOpen", json!({ "textDocument": { "uri": uris[0], "languageId": "dsd", "version": 1, "text": SHARED } }));
    s.notify("textDocument/didChange", json!({ "textDocument": { "uri": uris[0], "version": 2 }, "contentChanges": [{ "text": moved }] }));
    let (published, _) = published_before(&mut s, "shutdown_probe");
    assert!(
        !published.contains_key(&uris[1]),
        "a.dsd was re-checked: {published:#?}"
    );
    let a = importer("a");
    let d = s.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": uris[1] }, "position": pos(&a, "emits Order", 7) }),
    );
    assert_eq!(d["uri"], uris[0], "{d}");
    assert_eq!(d["range"]["start"]["line"], 2, "{d}");
    assert_eq!(covered(&moved, &d["range"]), "Order");
    s.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

/// An import that cannot be read is remembered: when the file appears, on
/// disk or in the editor, the documents that import it are checked again.
#[test]
fn a_missing_import_is_rechecked_when_the_file_appears() {
    let (dir, _) = folder("missing", &[("a.dsd", &importer("a"))]);
    let mut ws = dsd::lsp::workspace::Workspace::default();
    ws.index(vec![dir.clone()]);
    let a = dsd::lsp::workspace::path_key(&dir.join("a.dsd"));
    let import_errors = |ws: &dsd::lsp::workspace::Workspace| {
        ws.diagnostics(&a)
            .map(|p| {
                p.diagnostics
                    .iter()
                    .filter(|d| d.message.starts_with("cannot import `shared.dsd`"))
                    .count()
            })
            .unwrap_or(0)
    };
    assert_eq!(import_errors(&ws), 1);
    // Typed into a new editor tab, before it is saved.
    let shared = dir.join("shared.dsd");
    let again = ws.set_text(&dsd::lsp::workspace::path_key(&shared), SHARED.to_string());
    assert!(again.contains(&a), "{again:?}");
    assert_eq!(import_errors(&ws), 0);
    // Closed unsaved: the import is missing again.
    let again = ws.close(&dsd::lsp::workspace::path_key(&shared));
    assert!(again.contains(&a), "{again:?}");
    assert_eq!(import_errors(&ws), 1);
    // Written to disk (a file watcher's `created`).
    std::fs::write(&shared, SHARED).unwrap_or_else(|e| panic!("{e}"));
    let again = ws.disk_changed(&shared);
    assert!(again.contains(&a), "{again:?}");
    assert_eq!(import_errors(&ws), 0);
    let _ = std::fs::remove_dir_all(&dir);
}

/// An importer that names no edited schema still follows the edit when what
/// it names reads the schema: a `let` of the shared file computed from it.
#[test]
fn an_edit_follows_what_reads_the_edited_schema() {
    let shared = format!("{AUDIT}let audit_daily = 1M records/day * Audit.size.raw as GB/day\n");
    let user = "import \"shared.dsd\"\n\ndesign e {\n  let twice = audit_daily * 2\n  node a : service\n  node b : object_store\n  flow a -> b batch daily write merge(id)\n}\n";
    let (dir, _) = folder("follow", &[("shared.dsd", &shared), ("e.dsd", user)]);
    let mut ws = dsd::lsp::workspace::Workspace::default();
    ws.index(vec![dir.clone()]);
    let k = dsd::lsp::workspace::path_key(&dir.join("shared.dsd"));
    let before = ws.compiles;
    ws.set_text(&k, shared.replace("raw 100 B", "raw 120 B"));
    assert_eq!(ws.compiles - before, 2, "e.dsd was not compiled again");
    assert_eq!(ws.stale_count(), 0);
    let _ = std::fs::remove_dir_all(&dir);
}

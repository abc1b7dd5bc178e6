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
    fn start() -> Server {
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
        let mut s = Server {
            child,
            stdin,
            rx,
            next_id: 1,
        };
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
        self.stdin
            .write_all(frame.as_bytes())
            .unwrap_or_else(|e| panic!("server gone: {e}"));
        self.stdin.flush().unwrap_or_else(|e| panic!("{e}"));
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

//! `dsd lsp`: a language server over stdio. Diagnostics on open and change (the
//! same as `dsd check`), hover with computed values and derivations, go to
//! definition, references, rename, completion, document symbols and formatting.
//! Positions are UTF-16. A request that fails gets an error response; nothing a
//! client sends stops the server but `shutdown` and `exit`.

mod handlers;
pub mod position;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// An open document and what compiling it gave.
pub struct Doc {
    pub text: String,
    pub path: Option<std::path::PathBuf>,
    pub compiled: crate::Compilation,
}

/// `file:///a/b.dsd` → `/a/b.dsd` (percent-escapes decoded).
pub fn uri_path(uri: &str) -> Option<std::path::PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%'
            && let Some(h) = rest.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(h, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8(out).ok().map(std::path::PathBuf::from)
}

pub fn compile_doc(uri: &str, text: String) -> Doc {
    let path = uri_path(uri);
    let name = path
        .as_ref()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "untitled.dsd".into());
    // Imports are read from disk (documents open in the editor are not
    // consulted: what is saved is what imports see), inside the document's folder.
    let compiled = match path.as_ref() {
        Some(p) => crate::compile(&name, &text, &crate::FsLoader::for_file(p)),
        None => crate::compile(&name, &text, &crate::NoImports),
    };
    Doc {
        text,
        path,
        compiled,
    }
}

fn capabilities() -> Value {
    json!({
        "positionEncoding": "utf-16",
        "textDocumentSync": 1,
        "hoverProvider": true,
        "definitionProvider": true,
        "referencesProvider": true,
        "renameProvider": true,
        "documentSymbolProvider": true,
        "documentFormattingProvider": true,
        "completionProvider": { "triggerCharacters": [" ", ">", ":"] },
        "codeActionProvider": true,
    })
}

/// Runs the server on stdin and stdout until the client says `exit`.
pub fn run() -> Result<(), String> {
    let (connection, io) = Connection::stdio();
    connection
        .initialize(capabilities())
        .map_err(|e| format!("initialize failed: {e}"))?;
    let mut docs: BTreeMap<String, Doc> = BTreeMap::new();
    for msg in &connection.receiver {
        match msg {
            Message::Request(req) => {
                if connection
                    .handle_shutdown(&req)
                    .map_err(|e| e.to_string())?
                {
                    break;
                }
                let resp = respond(&docs, req);
                let _ = connection.sender.send(Message::Response(resp));
            }
            Message::Notification(n) => {
                if let Some(uri) = notify(&mut docs, n)
                    && let Some(doc) = docs.get(&uri)
                {
                    let params = handlers::diagnostics(&uri, doc);
                    let _ = connection
                        .sender
                        .send(Message::Notification(Notification::new(
                            "textDocument/publishDiagnostics".into(),
                            params,
                        )));
                }
            }
            Message::Response(_) => {}
        }
    }
    // The writer thread ends only when the connection's sender is gone.
    drop(connection);
    io.join().map_err(|e| e.to_string())
}

fn text_of(params: &Value) -> Option<String> {
    params["contentChanges"]
        .as_array()?
        .last()?
        .get("text")?
        .as_str()
        .map(str::to_string)
}

/// Updates the open documents; returns the document to publish diagnostics for.
fn notify(docs: &mut BTreeMap<String, Doc>, n: Notification) -> Option<String> {
    let uri = n.params["textDocument"]["uri"].as_str()?.to_string();
    match n.method.as_str() {
        "textDocument/didOpen" => {
            let text = n.params["textDocument"]["text"].as_str()?.to_string();
            docs.insert(uri.clone(), compile_doc(&uri, text));
            Some(uri)
        }
        "textDocument/didChange" => {
            let text = text_of(&n.params)?;
            // Unchanged text (a save, a no-op edit) needs no recompile.
            if docs.get(&uri).is_some_and(|d| d.text == text) {
                return None;
            }
            docs.insert(uri.clone(), compile_doc(&uri, text));
            Some(uri)
        }
        "textDocument/didClose" => {
            docs.remove(&uri);
            None
        }
        _ => None,
    }
}

fn respond(docs: &BTreeMap<String, Doc>, req: Request) -> Response {
    let uri = req.params["textDocument"]["uri"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let Some(doc) = docs.get(&uri) else {
        return match req.method.as_str() {
            "textDocument/hover" | "textDocument/definition" => {
                Response::new_ok(req.id, Value::Null)
            }
            _ => Response::new_ok(req.id, json!([])),
        };
    };
    let pos = serde_json::from_value::<lsp_types::Position>(req.params["position"].clone()).ok();
    let result = match (req.method.as_str(), pos) {
        ("textDocument/hover", Some(p)) => handlers::hover(doc, p),
        ("textDocument/definition", Some(p)) => handlers::definition(&uri, doc, p),
        ("textDocument/references", Some(p)) => handlers::references(&uri, doc, p),
        ("textDocument/rename", Some(p)) => {
            let new_name = req.params["newName"].as_str().unwrap_or("");
            handlers::rename(&uri, doc, p, new_name)
        }
        ("textDocument/completion", Some(p)) => handlers::completion(doc, p),
        ("textDocument/documentSymbol", _) => handlers::symbols(doc),
        ("textDocument/formatting", _) => handlers::formatting(doc),
        ("textDocument/codeAction", _) => handlers::code_actions(&uri, doc, &req.params),
        (method, _) => {
            return Response::new_err(
                req.id,
                ErrorCode::MethodNotFound as i32,
                format!("dsd lsp does not handle `{method}`"),
            );
        }
    };
    Response::new_ok(req.id, result)
}

//! `dsd lsp`: a language server over stdio. Diagnostics for every file of the
//! workspace, on open and change (the
//! same as `dsd check`), hover with computed values and derivations, go to
//! definition, references, rename, completion, document symbols, formatting and
//! quick fixes, each answered with lsp-types' structures. Positions are UTF-16;
//! URIs become paths in `uri`; each folder's `dsd.toml` is kept in `projects`
//! until it changes. A request that fails gets an error response; a message
//! that cannot be read gets a parse error (see `transport` for the bounds);
//! nothing a client sends stops the server but `exit` (or closing its input).

mod follow;
mod handlers;
pub mod names;
mod outline;
pub mod position;
mod projects;
mod requirement;
pub mod transport;
pub mod uri;
pub mod workspace;

use lsp_types::notification::{
    DidChangeWatchedFiles, LogMessage, Notification, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{RegisterCapability, Request, WorkDoneProgressCreate};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, CompletionResponse,
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern,
    HoverProviderCapability, InitializeResult, LogMessageParams, MessageType, NumberOrString,
    OneOf, PositionEncodingKind, ProgressParams, ProgressParamsValue, Registration,
    RegistrationParams, ServerCapabilities, ShowMessageParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, WorkDoneProgress, WorkDoneProgressBegin, WorkDoneProgressEnd,
    WorkDoneProgressReport,
};
pub use projects::Projects;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use transport::Frame;

/// An open document and what compiling it gave.
pub struct Doc {
    /// The document's URI as answers name it: what the client sent, escaped
    /// where it was not a valid URI (see `uri::from_client`).
    pub uri: Option<lsp_types::Uri>,
    pub text: String,
    pub path: Option<std::path::PathBuf>,
    pub compiled: crate::Compilation,
}

/// The path of a document's URI: `file:///a/b%20c.dsd` → `/a/b c.dsd`,
/// `file:///c%3A/x.dsd` → `c:\x.dsd` on Windows (see `uri`); `None` for
/// `untitled:` and other schemes.
pub fn uri_path(uri: &str) -> Option<std::path::PathBuf> {
    uri::to_path(&uri::from_client(uri)?)
}

/// Compiles an open document, its project (`dsd.toml`) looked for afresh.
pub fn compile_doc(uri: &str, text: String) -> Doc {
    compile_doc_in(uri, text, &mut Projects::default())
}

/// Compiles an open document with its project from `projects`, its imports
/// read from disk.
pub fn compile_doc_in(uri: &str, text: String, projects: &mut Projects) -> Doc {
    workspace::compile(uri, text, projects, &BTreeMap::new(), None)
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some([" ", ">", ":"].map(String::from).to_vec()),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

/// JSON-RPC error codes the server answers with.
pub mod code {
    pub const PARSE_ERROR: i64 = -32700;
    pub const INVALID_REQUEST: i64 = -32600;
    pub const METHOD_NOT_FOUND: i64 = -32601;
    pub const INVALID_PARAMS: i64 = -32602;
    pub const SERVER_NOT_INITIALIZED: i64 = -32002;
    pub const INTERNAL_ERROR: i64 = -32603;
}

/// A request's answer: its result, or an error code and message.
pub type Answer = Result<Value, (i64, String)>;

fn response(id: Value, answer: Answer) -> Value {
    match answer {
        Ok(result) => json!({ "jsonrpc": "2.0", "id": id, "result": result }),
        Err((code, message)) => {
            json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
        }
    }
}

/// The answer `result` is, as JSON.
fn answer(result: impl Serialize) -> Answer {
    serde_json::to_value(result).map_err(|e| {
        (
            code::INTERNAL_ERROR,
            format!("dsd lsp could not write its answer: {e}"),
        )
    })
}

/// A notification to the client, its params typed by lsp-types.
fn notification<N: Notification>(params: N::Params) -> Value {
    let params = serde_json::to_value(params).unwrap_or(Value::Null);
    json!({ "jsonrpc": "2.0", "method": N::METHOD, "params": params })
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    /// Before `initialize`.
    Starting,
    Running,
    /// After `shutdown`: requests are refused until `exit`.
    ShutDown,
}

/// Runs the server on stdin and stdout until the client says `exit` or closes
/// its end. Returns the exit code: 0 after `shutdown`, 1 otherwise.
pub fn run() -> Result<u8, String> {
    let (tx, rx) = std::sync::mpsc::sync_channel(QUEUED_FRAMES);
    // The client is read on a thread of its own, so the server can index the
    // workspace between messages. It is not joined: it may be blocked reading
    // stdin when the server exits, and ends with the process.
    std::thread::Builder::new()
        .name("dsd-lsp-reader".into())
        .spawn(move || read_frames(&mut std::io::BufReader::new(std::io::stdin()), &tx))
        .map_err(|e| format!("cannot start the thread that reads the client: {e}"))?;
    let stdout = std::io::stdout();
    serve_frames(&rx, &mut std::io::BufWriter::new(stdout.lock()))
        .map_err(|e| format!("cannot write to the client: {e}"))
}

/// The server over any reader and writer: the exit code, or an error writing.
/// The input is read on a scoped thread, so `serve` returns once that thread
/// is done too: an input that ends or fails, like a buffer, not one that
/// blocks forever (`run` reads stdin on a thread it does not wait for).
pub fn serve(input: &mut (impl BufRead + Send), output: &mut impl Write) -> std::io::Result<u8> {
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel(QUEUED_FRAMES);
        std::thread::Builder::new()
            .name("dsd-lsp-reader".into())
            .spawn_scoped(scope, move || read_frames(input, &tx))?;
        let code = serve_frames(&rx, output);
        // A reader waiting to queue a frame stops when nobody will take it.
        drop(rx);
        code
    })
}

/// How many frames read ahead may wait for the server: one is enough for it
/// to see that a message waits, and a client that sends faster than the
/// server answers is held back, so at most three frames (each bounded by
/// `transport::MAX_MESSAGE`) are in memory: handled, waiting, being read.
const QUEUED_FRAMES: usize = 1;

/// Reads frames into `tx` until the input ends, fails, or nobody receives.
fn read_frames(input: &mut impl BufRead, tx: &std::sync::mpsc::SyncSender<Frame>) {
    while let Ok(Some(frame)) = transport::read_frame(input) {
        if tx.send(frame).is_err() {
            return;
        }
    }
}

/// How many files of the workspace are compiled between two looks for a
/// message: a few per core, so a request waits for tens of milliseconds at
/// most while a large workspace is indexed.
fn index_step() -> usize {
    4 * rayon::current_num_threads().max(1)
}

/// The token of the progress the server shows while it indexes.
const INDEX_PROGRESS: &str = "dsd-index";

/// The server over the frames a reader sends: the exit code, or an error
/// writing.
fn serve_frames(
    frames: &std::sync::mpsc::Receiver<Frame>,
    output: &mut impl Write,
) -> std::io::Result<u8> {
    let mut ws = workspace::Workspace::default();
    // The workspace folders `initialize` named, indexed after `initialized`.
    let mut folders: Vec<std::path::PathBuf> = Vec::new();
    let mut state = State::Starting;
    // Whether the client lets the server ask to be told of `dsd.toml` changes.
    let mut can_watch = false;
    // Whether the client shows progress the server starts, and how indexing
    // stands: (files found, whether the client accepted the token).
    let mut can_show_progress = false;
    let mut indexing: Option<Indexing> = None;
    loop {
        // Indexing done (between messages, or at once for a request about
        // every file): the progress shown ends (or, if the client has not
        // accepted the token yet, begins and ends when it does).
        if ws.pending() == 0
            && let Some(i) = indexing.take_if(|i| i.accepted)
        {
            transport::write_message(output, &i.progress(false, 0))?;
        }
        let frame = if state == State::Running && ws.pending() > 0 {
            match frames.try_recv() {
                Ok(f) => Some(f),
                Err(std::sync::mpsc::TryRecvError::Empty) => {
                    // Nothing to answer: index a few more files.
                    let keys = ws.index_some(index_step());
                    publish(output, &ws, &keys)?;
                    if let Some(i) = indexing.as_ref().filter(|i| i.accepted)
                        && ws.pending() > 0
                    {
                        transport::write_message(output, &i.progress(false, ws.pending()))?;
                    }
                    continue;
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => None,
            }
        } else {
            frames.recv().ok()
        };
        // The client is gone (or its pipe failed): as `exit`.
        let Some(frame) = frame else {
            return Ok(if state == State::ShutDown { 0 } else { 1 });
        };
        let msg = match frame {
            Frame::Message(v) => v,
            Frame::Malformed(why) => {
                let answer = Err((code::PARSE_ERROR, why));
                transport::write_message(output, &response(Value::Null, answer))?;
                continue;
            }
            Frame::TooLarge { length, id } => {
                let why = format!(
                    "a message of {length} bytes is over the {} MiB limit and was skipped",
                    transport::MAX_MESSAGE >> 20
                );
                let out = match id {
                    Some(id) => response(id, Err((code::INVALID_REQUEST, why))),
                    None => notification::<ShowMessage>(ShowMessageParams {
                        typ: MessageType::WARNING,
                        message: why,
                    }),
                };
                transport::write_message(output, &out)?;
                continue;
            }
        };
        let method = msg.get("method").map(|m| m.as_str());
        let id = msg.get("id").cloned();
        let params = msg.get("params").cloned().unwrap_or(Value::Null);
        match (method, id) {
            // A response to something the server sent (its one request is to
            // watch `dsd.toml`; a refusal leaves the modification-time check).
            (None, Some(id)) if msg.get("result").is_some() || msg.get("error").is_some() => {
                // Progress is shown once the client has accepted its token.
                if id == INDEX_PROGRESS {
                    if msg.get("error").is_some() {
                        indexing = None;
                    } else if let Some(i) = indexing.as_mut().filter(|i| !i.accepted) {
                        i.accepted = true;
                        transport::write_message(output, &i.progress(true, ws.pending()))?;
                    }
                }
            }
            (Some(Some(method)), Some(id @ (Value::Number(_) | Value::String(_)))) => {
                // Files a request made the server index early, to publish.
                let mut indexed = Vec::new();
                let answer = match (state, method) {
                    (State::Starting, "initialize") => {
                        state = State::Running;
                        can_watch = params["capabilities"]["workspace"]["didChangeWatchedFiles"]
                            ["dynamicRegistration"]
                            .as_bool()
                            == Some(true);
                        can_show_progress = params["capabilities"]["window"]["workDoneProgress"]
                            .as_bool()
                            == Some(true);
                        folders = workspace_folders(&params);
                        answer(InitializeResult {
                            capabilities: capabilities(),
                            ..InitializeResult::default()
                        })
                    }
                    (State::Starting, _) => Err((
                        code::SERVER_NOT_INITIALIZED,
                        format!("`{method}` before `initialize`"),
                    )),
                    (State::ShutDown, _) => Err((
                        code::INVALID_REQUEST,
                        format!("`{method}` after `shutdown`: the server waits for `exit`"),
                    )),
                    (State::Running, "shutdown") => {
                        state = State::ShutDown;
                        Ok(Value::Null)
                    }
                    (State::Running, "initialize") => Err((
                        code::INVALID_REQUEST,
                        "`initialize` was already received".to_string(),
                    )),
                    (State::Running, _) => {
                        // What an edit deferred, or indexing has not reached
                        // yet, is compiled before it is read.
                        indexed = match method {
                            "textDocument/references" | "textDocument/rename" => ws.refresh(None),
                            _ => match uri_param(&params) {
                                Ok(u) => ws.refresh(Some(&workspace::key(u))),
                                Err(_) => Vec::new(),
                            },
                        };
                        respond(&ws, method, &params)
                    }
                };
                transport::write_message(output, &response(id, answer))?;
                publish(output, &ws, &indexed)?;
            }
            (Some(Some(method)), None) => {
                if method == "exit" {
                    return Ok(if state == State::ShutDown { 0 } else { 1 });
                }
                if state != State::Running {
                    continue;
                }
                if method == "initialized" {
                    if can_watch {
                        transport::write_message(output, &watch_project_files())?;
                    }
                    // The files are found now and compiled a few at a time
                    // between messages (see above): the editor is answered
                    // while a large workspace is read.
                    let logs = ws.discover(std::mem::take(&mut folders));
                    for message in logs {
                        let out = notification::<LogMessage>(LogMessageParams {
                            typ: MessageType::WARNING,
                            message,
                        });
                        transport::write_message(output, &out)?;
                    }
                    if can_show_progress && ws.pending() > 0 {
                        indexing = Some(Indexing {
                            found: ws.pending(),
                            accepted: false,
                        });
                        transport::write_message(output, &create_index_progress())?;
                    }
                }
                match notify(&mut ws, method, &params) {
                    Notified::Publish(keys) => publish(output, &ws, &keys)?,
                    Notified::Done => {}
                    Notified::Unknown if method.starts_with("$/") => {}
                    Notified::Unknown => {
                        let message = format!("dsd lsp ignores the notification `{method}`");
                        let out = notification::<LogMessage>(LogMessageParams {
                            typ: MessageType::LOG,
                            message,
                        });
                        transport::write_message(output, &out)?;
                    }
                }
            }
            (_, id) => {
                // JSON, but not a request, notification or response.
                let id = match id {
                    Some(id @ (Value::Number(_) | Value::String(_))) => id,
                    _ => Value::Null,
                };
                let answer = Err((
                    code::INVALID_REQUEST,
                    "not a JSON-RPC request: it needs a string `method` and a number or string `id`"
                        .to_string(),
                ));
                transport::write_message(output, &response(id, answer))?;
            }
        }
    }
}

fn text_of(params: &Value) -> Option<String> {
    params["contentChanges"]
        .as_array()?
        .last()?
        .get("text")?
        .as_str()
        .map(str::to_string)
}

enum Notified {
    /// The documents to publish diagnostics for.
    Publish(Vec<String>),
    Done,
    Unknown,
}

/// The request asking the client to report changes to any `dsd.toml` and
/// `.dsd` file (`workspace/didChangeWatchedFiles`), sent after `initialized`
/// to a client that can register it.
fn watch_project_files() -> Value {
    let options = DidChangeWatchedFilesRegistrationOptions {
        watchers: vec![
            FileSystemWatcher {
                glob_pattern: GlobPattern::String(format!("**/{}", crate::config::FILE_NAME)),
                kind: None,
            },
            FileSystemWatcher {
                glob_pattern: GlobPattern::String("**/*.dsd".to_string()),
                kind: None,
            },
        ],
    };
    let params = RegistrationParams {
        registrations: vec![Registration {
            id: "dsd-project-files".to_string(),
            method: DidChangeWatchedFiles::METHOD.to_string(),
            register_options: serde_json::to_value(options).ok(),
        }],
    };
    json!({
        "jsonrpc": "2.0",
        "id": "dsd-watch-project-files",
        "method": RegisterCapability::METHOD,
        "params": serde_json::to_value(params).unwrap_or(Value::Null),
    })
}

/// The request asking the client to show the progress of indexing.
fn create_index_progress() -> Value {
    json!({
        "jsonrpc": "2.0",
        "id": INDEX_PROGRESS,
        "method": WorkDoneProgressCreate::METHOD,
        "params": { "token": INDEX_PROGRESS },
    })
}

/// Indexing shown as progress: how many files were found, and whether the
/// client accepted the token (nothing is sent before it has).
struct Indexing {
    found: usize,
    accepted: bool,
}

impl Indexing {
    /// `$/progress` of [`INDEX_PROGRESS`] for `left` files still to compile:
    /// `begin` when the client accepts the token, then `report`s, and `end`
    /// when nothing is left.
    fn progress(&self, begin: bool, left: usize) -> Value {
        let done = self.found.saturating_sub(left);
        let message = Some(format!("{done}/{} files", self.found));
        let percentage = u32::try_from(done * 100 / self.found.max(1)).ok();
        let value = if begin {
            WorkDoneProgress::Begin(WorkDoneProgressBegin {
                title: "dsd: indexing the workspace".to_string(),
                cancellable: Some(false),
                message,
                percentage,
            })
        } else if left == 0 {
            WorkDoneProgress::End(WorkDoneProgressEnd { message })
        } else {
            WorkDoneProgress::Report(WorkDoneProgressReport {
                cancellable: Some(false),
                message,
                percentage,
            })
        };
        notification::<lsp_types::notification::Progress>(ProgressParams {
            token: NumberOrString::String(INDEX_PROGRESS.to_string()),
            value: ProgressParamsValue::WorkDone(value),
        })
    }
}

/// Publishes the diagnostics of the files of `keys` (see `workspace`).
fn publish(
    output: &mut impl Write,
    ws: &workspace::Workspace,
    keys: &[String],
) -> std::io::Result<()> {
    for k in keys {
        if let Some(params) = ws.diagnostics(k) {
            transport::write_message(output, &notification::<PublishDiagnostics>(params))?;
        }
    }
    Ok(())
}

/// The folders of `initialize`'s params: `workspaceFolders`, else `rootUri`,
/// else `rootPath`; only those on this machine's disk.
fn workspace_folders(params: &Value) -> Vec<std::path::PathBuf> {
    let mut out: Vec<std::path::PathBuf> = match params["workspaceFolders"].as_array() {
        Some(list) => list
            .iter()
            .filter_map(|f| uri_path(f["uri"].as_str()?))
            .collect(),
        None => match params["rootUri"].as_str() {
            Some(root) => uri_path(root).into_iter().collect(),
            None => params["rootPath"]
                .as_str()
                .map(std::path::PathBuf::from)
                .into_iter()
                .collect(),
        },
    };
    out.retain(|p| p.is_absolute() && p.is_dir());
    out.sort();
    out.dedup();
    out
}

/// A `dsd.toml` changed (or, with `None`, one the server cannot name): the
/// projects it may change are read again, and the documents they hold
/// compiled again. Returns the keys to publish.
fn project_file_changed(
    ws: &mut workspace::Workspace,
    file: Option<&std::path::Path>,
) -> Vec<String> {
    match file {
        Some(f) => ws.projects.changed(f),
        None => ws.projects.clear(),
    }
    ws.project_changed(file.and_then(|f| f.parent()))
}

/// Updates the documents. A notification whose params are not what its
/// method takes changes nothing (a notification has no answer to carry an error).
fn notify(ws: &mut workspace::Workspace, method: &str, params: &Value) -> Notified {
    let uri = params["textDocument"]["uri"].as_str().map(str::to_string);
    match method {
        "textDocument/didOpen" => match (uri, params["textDocument"]["text"].as_str()) {
            (Some(uri), Some(text)) => Notified::Publish(ws.set_text(&uri, text.to_string())),
            _ => Notified::Done,
        },
        "textDocument/didChange" => match (uri, text_of(params)) {
            // Unchanged text (a save, a no-op edit) needs no recompile.
            (Some(uri), Some(text)) => {
                if ws.get(&uri).is_some_and(|d| d.text == text) {
                    return Notified::Done;
                }
                Notified::Publish(ws.set_text(&uri, text))
            }
            _ => Notified::Done,
        },
        "textDocument/didClose" => match uri {
            Some(uri) => Notified::Publish(ws.close(&uri)),
            None => Notified::Done,
        },
        "textDocument/didSave" => match uri.as_deref().and_then(uri_path) {
            Some(p) if projects::is_project_file(&p) => {
                Notified::Publish(project_file_changed(ws, Some(&p)))
            }
            _ => Notified::Done,
        },
        "workspace/didChangeWatchedFiles" => {
            let mut again = Vec::new();
            for change in params["changes"].as_array().into_iter().flatten() {
                let Some(sent) = change["uri"].as_str() else {
                    continue;
                };
                match uri_path(sent) {
                    Some(p) if projects::is_project_file(&p) => {
                        again.extend(project_file_changed(ws, Some(&p)));
                    }
                    Some(p) if p.extension().is_some_and(|x| x == "dsd") => {
                        again.extend(ws.disk_changed(&p));
                    }
                    // A project file the server cannot map to a path.
                    None if sent.ends_with(crate::config::FILE_NAME) => {
                        again.extend(project_file_changed(ws, None));
                    }
                    _ => {}
                }
            }
            again.sort();
            again.dedup();
            Notified::Publish(again)
        }
        "initialized" | "workspace/didChangeConfiguration" => Notified::Done,
        _ => Notified::Unknown,
    }
}

fn invalid(why: impl Into<String>) -> (i64, String) {
    (code::INVALID_PARAMS, why.into())
}

/// The `textDocument.uri` of a request's params.
fn uri_param(params: &Value) -> Result<&str, (i64, String)> {
    params["textDocument"]["uri"]
        .as_str()
        .ok_or_else(|| invalid("params need `textDocument.uri`, a string"))
}

/// The `position` of a request's params.
fn position_param(params: &Value) -> Result<lsp_types::Position, (i64, String)> {
    serde_json::from_value(params["position"].clone()).map_err(|_| {
        invalid(
            "params need `position`: `line` and `character`, each a number from 0 to 4294967295",
        )
    })
}

const METHODS: &[&str] = &[
    "textDocument/hover",
    "textDocument/definition",
    "textDocument/references",
    "textDocument/rename",
    "textDocument/completion",
    "textDocument/documentSymbol",
    "textDocument/formatting",
    "textDocument/codeAction",
    STDLIB_REQUEST,
];

/// The custom request for a standard library file's text: params `{ "uri":
/// "dsd-stdlib:///tools.dsd" }`, result `{ "text": … }` (see `follow`).
pub const STDLIB_REQUEST: &str = "dsd/stdlib";

fn respond(ws: &workspace::Workspace, method: &str, params: &Value) -> Answer {
    if !METHODS.contains(&method) {
        return Err((
            code::METHOD_NOT_FOUND,
            format!("dsd lsp does not handle `{method}`"),
        ));
    }
    if method == STDLIB_REQUEST {
        let uri = params["uri"]
            .as_str()
            .ok_or_else(|| invalid("params need `uri`, a string"))?;
        let text = follow::stdlib_text(uri)
            .ok_or_else(|| invalid(format!("`{uri}` is no file of the standard library")))?;
        return Ok(json!({ "text": text }));
    }
    let uri = uri_param(params)?;
    let pos = match method {
        "textDocument/documentSymbol" | "textDocument/formatting" | "textDocument/codeAction" => {
            None
        }
        _ => Some(position_param(params)?),
    };
    let new_name = match method {
        "textDocument/rename" => Some(
            params["newName"]
                .as_str()
                .ok_or_else(|| invalid("rename needs `newName`, a string"))?,
        ),
        _ => None,
    };
    let Some((doc, uri)) = ws.get(uri).and_then(|d| Some((d, d.uri.as_ref()?))) else {
        // A document that is not open: nothing to say about it.
        return match method {
            "textDocument/hover" | "textDocument/definition" | "textDocument/rename" => {
                Ok(Value::Null)
            }
            "textDocument/completion" => answer(CompletionResponse::Array(Vec::new())),
            _ => Ok(json!([])),
        };
    };
    match (method, pos, new_name) {
        ("textDocument/hover", Some(p), _) => answer(handlers::hover(doc, p)),
        ("textDocument/definition", Some(p), _) => answer(follow::definition(ws, uri, doc, p)),
        ("textDocument/references", Some(p), _) => {
            let include = params["context"]["includeDeclaration"]
                .as_bool()
                .unwrap_or(true);
            answer(follow::references(ws, uri, doc, p, include))
        }
        ("textDocument/rename", Some(p), Some(name)) => {
            answer(follow::rename(ws, uri, doc, p, name).map_err(invalid)?)
        }
        ("textDocument/completion", Some(p), _) => answer(handlers::completion(doc, p)),
        ("textDocument/documentSymbol", _, _) => answer(handlers::symbols(doc)),
        ("textDocument/formatting", _, _) => answer(handlers::formatting(doc)),
        ("textDocument/codeAction", _, _) => answer(handlers::code_actions(uri, doc, params)),
        _ => Ok(Value::Null),
    }
}

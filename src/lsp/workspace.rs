//! The workspace: every `.dsd` file under the client's workspace folders (as
//! `dsd check FOLDER` selects them, at most [`MAX_FILES`]), compiled and
//! published, open or not; which file imports which; and what an edit has to
//! re-check.
//!
//! Documents are keyed by [`key`]: the `file:` URI written again from its
//! path, so a client's spelling (`c%3A`, unescaped spaces) and the server's
//! own (for a file found on disk) are one key. An open document's text wins
//! over the disk, for itself and for every file that imports it (see
//! [`Overlay`]). A compilation reads its imports (transitively); the paths it
//! read are the reverse-import map, so an edit to a file re-checks it and
//! exactly the documents whose compilation read it.

use super::{Doc, Projects, uri};
use crate::diagnostic::Diagnostic as Finding;
use lsp_types::{Diagnostic, PublishDiagnosticsParams, Uri};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The most `.dsd` files indexed under the workspace folders; past it a log
/// message says the rest are not.
pub const MAX_FILES: usize = 10_000;

/// The scheme of the standard library's read-only documents:
/// `dsd-stdlib:///tools.dsd`. Their text is the answer to the `dsd/stdlib`
/// request (`{ "uri": … }` → `{ "text": … }`), which the VS Code extension
/// serves through a `TextDocumentContentProvider` (read-only by nature).
pub const STDLIB_SCHEME: &str = "dsd-stdlib";

/// The key of the document a client's URI names.
pub fn key(sent: &str) -> String {
    match uri::from_client(sent) {
        Some(u) => match uri::to_path(&u) {
            Some(p) => path_key(&p),
            None => u.as_str().to_string(),
        },
        None => sent.to_string(),
    }
}

/// The key of the document at `path`.
pub fn path_key(path: &Path) -> String {
    uri::from_path(path)
        .map(|u| u.as_str().to_string())
        .unwrap_or_else(|| path.to_string_lossy().into_owned())
}

/// Reads imports as the command line does, except that a file open in the
/// editor is read from the editor.
struct Overlay<'a> {
    fs: crate::FsLoader,
    root: PathBuf,
    open: &'a BTreeMap<String, &'a str>,
    cache: Option<&'a crate::ParseCache>,
}

impl crate::Loader for Overlay<'_> {
    fn load(&self, path: &str) -> Result<String, String> {
        // `path` is relative and stays inside the root (`join_path` refuses
        // `..` above it, absolute paths, `\` and `:`).
        if let Some(text) = self.open.get(&path_key(&self.root.join(path))) {
            return Ok((*text).to_string());
        }
        self.fs.load(path)
    }
    fn display_name(&self, path: &str) -> String {
        self.fs.display_name(path)
    }
    fn identity(&self, path: &str) -> Option<String> {
        self.fs.identity(path)
    }
    fn cache(&self) -> Option<&crate::ParseCache> {
        self.cache
    }
    fn cache_main(&self) -> bool {
        // An importer whose text did not change is not parsed again when a
        // file it imports did (at most `ParseCache::MAX_FILES` trees kept).
        true
    }
}

/// Compiles `text` as the document `sent` (a client's URI, or one the server
/// wrote for a file on disk), its imports read through the open documents
/// and, given a `cache`, parsed once for every document that imports them
/// (the cache compares the text, so an edited import is parsed again).
pub fn compile(
    sent: &str,
    text: String,
    projects: &mut Projects,
    open: &BTreeMap<String, &str>,
    cache: Option<&crate::ParseCache>,
) -> Doc {
    let project = uri::from_client(sent)
        .as_ref()
        .and_then(uri::to_path)
        .map(|p| projects.of(&p).clone());
    compile_in(sent, text, project.as_ref(), open, cache)
}

/// [`compile`] with the document's project already looked up (`None` for a
/// document with no path), so that documents compile on several threads.
fn compile_in(
    sent: &str,
    text: String,
    project: Option<&crate::project::Project>,
    open: &BTreeMap<String, &str>,
    cache: Option<&crate::ParseCache>,
) -> Doc {
    let uri = uri::from_client(sent);
    let path = uri.as_ref().and_then(uri::to_path);
    let name = path
        .as_ref()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "untitled.dsd".into());
    // The project's `dsd.toml` applies as it does on the command line: its
    // `[stdlib]` overrides and its `[rules]` severities, read once per folder
    // (see `projects`). Imports stay inside the document's folder.
    let compiled = match (path.as_ref(), project) {
        (Some(p), Some(project)) => {
            let loader = Overlay {
                fs: crate::FsLoader::for_file(p),
                root: p.parent().map(Path::to_path_buf).unwrap_or_default(),
                open,
                cache,
            };
            let mut c = crate::compile_with(&name, &text, &loader, &project.what_if());
            project.apply(&mut c.diagnostics);
            c
        }
        _ => crate::compile(&name, &text, &crate::NoImports),
    };
    Doc {
        uri,
        text,
        path,
        compiled,
    }
}

/// The files a compilation imported (directly or not), and those it tried
/// to import and could not read, by path: when one of these changes or
/// appears, the document is compiled again.
fn read_or_tried(c: &crate::Compilation) -> Vec<PathBuf> {
    let mut out = imported(c);
    out.extend(
        c.missing_imports
            .iter()
            .map(PathBuf::from)
            .filter(|p| p.is_absolute()),
    );
    out
}

/// The files a compilation imported (directly or not), by path, in the
/// order it read them.
pub fn imported(c: &crate::Compilation) -> Vec<PathBuf> {
    c.sources
        .iter()
        .filter(|(id, f)| *id != c.main && Path::new(&f.name).is_absolute())
        .map(|(_, f)| PathBuf::from(&f.name))
        .collect()
}

#[derive(Default)]
pub struct Workspace {
    /// Every document: the open ones and the files indexed from disk.
    pub docs: BTreeMap<String, Doc>,
    /// The documents open in the editor: key → text (which wins over the
    /// disk for the files importing them).
    open: BTreeMap<String, String>,
    /// For each file some compilation imported (its key), the documents
    /// whose compilation read it.
    importers: BTreeMap<String, BTreeSet<String>>,
    /// The workspace folders.
    pub folders: Vec<PathBuf>,
    pub projects: Projects,
    /// How many compilations ran: what re-checking only importers saves.
    pub compiles: usize,
    /// Imports parsed once for all the documents that read them.
    cache: crate::ParseCache,
    /// Importers an edit could not change the diagnostics of (see
    /// [`unaffected`]): their compilation still holds the file's old text,
    /// so they are compiled again before a request reads them
    /// ([`Workspace::refresh`]), not on every keystroke.
    stale: BTreeSet<String>,
    /// Files of the folders found by [`Workspace::discover`] and not compiled
    /// yet: the server compiles them a few at a time between messages
    /// ([`Workspace::index_some`]), so the editor is answered while a large
    /// workspace is read.
    pending: std::collections::VecDeque<PathBuf>,
}

impl Workspace {
    /// The document a client's URI names, open or indexed.
    pub fn get(&self, sent: &str) -> Option<&Doc> {
        self.docs.get(&key(sent))
    }

    /// The keys of the documents whose compilation read the file of `k`.
    pub fn importers_of(&self, k: &str) -> impl Iterator<Item = &String> {
        self.importers.get(k).into_iter().flatten()
    }

    /// Whether the document of key `k` is open in the editor.
    pub fn is_open(&self, k: &str) -> bool {
        self.open.contains_key(k)
    }

    /// Finds and compiles every `.dsd` file under the folders, as `dsd check
    /// FOLDER` selects them. Returns the keys to publish and, when a folder
    /// could not be read whole or the count was capped, what to log.
    pub fn index(&mut self, folders: Vec<PathBuf>) -> (Vec<String>, Vec<String>) {
        let logs = self.discover(folders);
        (self.index_some(usize::MAX), logs)
    }

    /// Finds every `.dsd` file under the folders, as `dsd check FOLDER`
    /// selects them, for [`Workspace::index_some`] to compile. Returns what
    /// to log: a folder that could not be read whole, or the count capped.
    pub fn discover(&mut self, folders: Vec<PathBuf>) -> Vec<String> {
        let mut logs = Vec::new();
        let mut files: Vec<PathBuf> = Vec::new();
        for folder in &folders {
            let left = MAX_FILES.saturating_sub(files.len());
            let project = crate::project::Project::find(folder).unwrap_or_default();
            let (found, errors, capped) = project.files_at_most(std::slice::from_ref(folder), left);
            logs.extend(errors);
            files.extend(found);
            if capped {
                logs.push(format!(
                    "dsd lsp indexed the first {MAX_FILES} .dsd files of the workspace and no more; the rest get diagnostics when opened"
                ));
                break;
            }
        }
        self.folders = folders;
        self.pending = files.into();
        logs
    }

    /// How many files [`Workspace::discover`] found that are not compiled yet.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Compiles up to `n` of the files found and not compiled yet (one
    /// opened or changed on disk since was compiled then, and is skipped).
    /// Returns the keys to publish.
    pub fn index_some(&mut self, n: usize) -> Vec<String> {
        let mut jobs: Vec<(String, String, String)> = Vec::new();
        while jobs.len() < n {
            let Some(f) = self.pending.pop_front() else {
                break;
            };
            let k = path_key(&f);
            if self.docs.contains_key(&k) || jobs.iter().any(|(j, _, _)| *j == k) {
                continue;
            }
            // Read as imports are read: no FIFO, device or file over the limit.
            let Some(text) = crate::source::read_source(&f)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
            else {
                continue;
            };
            jobs.push((k.clone(), k, text));
        }
        let compiled: Vec<String> = jobs.iter().map(|(k, _, _)| k.clone()).collect();
        self.compile_all(jobs);
        self.touched(&compiled).into_iter().collect()
    }

    /// What compiling the document of key `k` again takes: its key, the URI
    /// it is known by and its text.
    fn job(&self, k: &str) -> Option<(String, String, String)> {
        let doc = self.docs.get(k)?;
        let sent = doc
            .uri
            .as_ref()
            .map(|u| u.as_str().to_string())
            .unwrap_or_else(|| k.to_string());
        Some((k.to_string(), sent, doc.text.clone()))
    }

    /// Compiles the documents of `keys` again from their current text.
    fn recompile(&mut self, keys: &[String]) {
        let jobs = keys.iter().filter_map(|k| self.job(k)).collect();
        self.compile_all(jobs);
    }

    /// Compiles each `(key, uri, text)` and updates the reverse-import map.
    fn compile_all(&mut self, jobs: Vec<(String, String, String)>) {
        // Projects are looked up (and cached) one by one; the documents
        // then compile on every core, in the order given.
        // A document's previous compilation is dropped by the worker that
        // compiles it again: freeing a design's model is a tenth of the cost
        // of compiling it, too much to do one by one on this thread.
        let mut work = Vec::with_capacity(jobs.len());
        for (k, sent, text) in jobs {
            let project = uri::from_client(&sent)
                .as_ref()
                .and_then(uri::to_path)
                .map(|p| self.projects.of(&p).clone());
            self.forget_imports(&k);
            let old = self.docs.remove(&k);
            work.push((k, sent, text, project, old));
        }
        let open: BTreeMap<String, &str> = self
            .open
            .iter()
            .map(|(k, t)| (k.clone(), t.as_str()))
            .collect();
        let cache = &self.cache;
        let done: Vec<(String, Doc)> = {
            use rayon::prelude::*;
            work.into_par_iter()
                .map(|(k, sent, text, project, old)| {
                    drop(old);
                    let doc = compile_in(&sent, text, project.as_ref(), &open, Some(cache));
                    (k, doc)
                })
                .collect()
        };
        drop(open);
        self.compiles += done.len();
        for (k, doc) in done {
            self.stale.remove(&k);
            for p in read_or_tried(&doc.compiled) {
                self.importers
                    .entry(path_key(&p))
                    .or_default()
                    .insert(k.clone());
            }
            self.docs.insert(k, doc);
        }
    }

    fn forget_imports(&mut self, k: &str) {
        if let Some(doc) = self.docs.get(k) {
            for p in read_or_tried(&doc.compiled) {
                let pk = path_key(&p);
                if let Some(set) = self.importers.get_mut(&pk) {
                    set.remove(k);
                    if set.is_empty() {
                        self.importers.remove(&pk);
                    }
                }
            }
        }
    }

    /// The document `sent` now has `text` (opened or edited): it and the
    /// documents that import it are compiled again. Returns the keys of the
    /// files whose diagnostics may have changed.
    pub fn set_text(&mut self, sent: &str, text: String) -> Vec<String> {
        let k = key(sent);
        self.open.insert(k.clone(), text.clone());
        if let Some(doc) = self.docs.get_mut(&k)
            && doc.text == text
        {
            // Opened as it is on disk, or a no-op edit: compiled already.
            // The client's spelling of its URI is what answers use.
            doc.uri = uri::from_client(sent).or(doc.uri.take());
            return vec![k];
        }
        self.changed(&k, sent, text)
    }

    /// The file of key `k` (known to the client as `sent`) has `text` now:
    /// it and its importers are compiled again.
    fn changed(&mut self, k: &str, sent: &str, text: String) -> Vec<String> {
        let importers: BTreeSet<String> =
            self.importers_of(k).filter(|i| *i != k).cloned().collect();
        // The file itself first: whether its importers must follow depends
        // on what its own compilation finds in it now.
        let own_before = self.touched(&[k.to_string()]);
        self.compile_all(vec![(k.to_string(), sent.to_string(), text.clone())]);
        let clean = self.docs.get(k).is_some_and(|d| {
            let c = &d.compiled;
            !c.diagnostics.iter().any(|x| x.primary.file == c.main)
        });
        let mut changes = Changes::default();
        let mut again: Vec<String> = Vec::new();
        for i in importers {
            let deferred = clean
                && self
                    .docs
                    .get(&i)
                    .is_some_and(|d| unaffected(&d.compiled, k, &text, &mut changes));
            if deferred {
                self.stale.insert(i);
            } else {
                again.push(i);
            }
        }
        let before = self.touched(&again);
        let jobs = again.iter().filter_map(|i| self.job(i)).collect();
        self.compile_all(jobs);
        again.push(k.to_string());
        let mut out = self.touched(&again);
        out.extend(before);
        out.extend(own_before);
        out.into_iter().collect()
    }

    /// Compiles again the importers an edit left stale: the one of key `k`,
    /// or every one. A request that reads a compilation calls it first.
    /// A request about every file (`None`) first compiles the files not
    /// indexed yet; one about a file not indexed yet compiles it.
    pub fn refresh(&mut self, k: Option<&str>) -> Vec<String> {
        let mut indexed = Vec::new();
        match k {
            None => indexed = self.index_some(usize::MAX),
            Some(k) if !self.docs.contains_key(k) => {
                if let Some(at) = self.pending.iter().position(|f| path_key(f) == k)
                    && let Some(f) = self.pending.remove(at)
                {
                    self.pending.push_front(f);
                    indexed = self.index_some(1);
                }
            }
            Some(_) => {}
        }
        let keys: Vec<String> = match k {
            Some(k) if self.stale.contains(k) => vec![k.to_string()],
            Some(_) => return indexed,
            None => self.stale.iter().cloned().collect(),
        };
        if !keys.is_empty() {
            self.recompile(&keys);
        }
        indexed
    }

    /// How many documents an edit left to compile later (for tests).
    pub fn stale_count(&self) -> usize {
        self.stale.len()
    }

    /// The documents of `keys` and every file they import.
    fn touched(&self, keys: &[String]) -> BTreeSet<String> {
        let mut out: BTreeSet<String> = keys.iter().cloned().collect();
        for k in keys {
            if let Some(doc) = self.docs.get(k) {
                out.extend(imported(&doc.compiled).iter().map(|p| path_key(p)));
            }
        }
        out
    }

    /// The editor closed `sent`: a file of the workspace goes back to its
    /// text on disk (and its importers are re-checked if that differs);
    /// another is forgotten. Returns the keys to publish again.
    pub fn close(&mut self, sent: &str) -> Vec<String> {
        let k = key(sent);
        self.open.remove(&k);
        let Some(path) = self.docs.get(&k).and_then(|d| d.path.clone()) else {
            self.docs.remove(&k);
            return Vec::new();
        };
        let on_disk = self.folders.iter().any(|f| path.starts_with(f));
        let disk = crate::source::read_source(&path)
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        match (on_disk, disk) {
            (true, Some(text)) => {
                if self.docs.get(&k).is_some_and(|d| d.text == text) {
                    return Vec::new();
                }
                self.changed(&k, sent, text)
            }
            _ => {
                // Its importers (if any) now read the disk again.
                let importers: Vec<String> = self.importers_of(&k).cloned().collect();
                self.forget_imports(&k);
                self.docs.remove(&k);
                self.recompile(&importers);
                let mut out = self.touched(&importers);
                out.insert(k);
                out.into_iter().collect()
            }
        }
    }

    /// The client reports that the `.dsd` file at `path` changed on disk: a
    /// file of the workspace not open in the editor is read again (and its
    /// importers re-checked), a new one indexed, a deleted one forgotten.
    pub fn disk_changed(&mut self, path: &Path) -> Vec<String> {
        let k = path_key(path);
        if self.is_open(&k) || !self.folders.iter().any(|f| path.starts_with(f)) {
            return Vec::new();
        }
        let text = crate::source::read_source(path)
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        match text {
            Some(text) if self.docs.get(&k).is_some_and(|d| d.text == text) => Vec::new(),
            Some(text) if self.docs.contains_key(&k) || self.docs.len() < MAX_FILES => {
                self.changed(&k, &k, text)
            }
            Some(_) => Vec::new(),
            None => {
                let importers: Vec<String> = self.importers_of(&k).cloned().collect();
                self.forget_imports(&k);
                let had = self.docs.remove(&k).is_some();
                self.recompile(&importers);
                let mut out = self.touched(&importers);
                if had {
                    out.insert(k);
                }
                out.into_iter().collect()
            }
        }
    }

    /// Compiles again the documents under `dir` (every one with `None`): a
    /// `dsd.toml` changed. Returns the keys to publish again.
    pub fn project_changed(&mut self, dir: Option<&Path>) -> Vec<String> {
        let keys: Vec<String> = self
            .docs
            .iter()
            .filter(|(_, d)| match (dir, d.path.as_ref()) {
                (Some(dir), Some(p)) => p.starts_with(dir),
                (None, Some(_)) => true,
                (_, None) => false,
            })
            .map(|(k, _)| k.clone())
            .collect();
        self.recompile(&keys);
        self.touched(&keys).into_iter().collect()
    }

    /// The diagnostics of the file of key `k`: its own compilation's (with
    /// the echoes of its imports' findings on their `import` lines), and
    /// what the compilation of each document importing it found in it, each
    /// once (none for a file the server no longer knows, to clear them).
    pub fn diagnostics(&self, k: &str) -> Option<PublishDiagnosticsParams> {
        let own = self.docs.get(k);
        let mut items: Vec<Diagnostic> = Vec::new();
        let mut uri: Option<Uri> = None;
        if let Some(doc) = own {
            uri = doc.uri.clone();
            if let Some(u) = &uri {
                items = super::handlers::diagnostics(u, doc).diagnostics;
            }
        }
        for i in self.importers_of(k) {
            let Some(doc) = self.docs.get(i) else {
                continue;
            };
            let c = &doc.compiled;
            let Some((id, file)) = c.sources.iter().find(|(id, f)| {
                *id != c.main
                    && Path::new(&f.name).is_absolute()
                    && path_key(Path::new(&f.name)) == k
            }) else {
                continue;
            };
            if uri.is_none() {
                uri = uri::from_path(Path::new(&file.name));
            }
            let Some(u) = uri.clone() else {
                continue;
            };
            let found: Vec<&Finding> = c
                .diagnostics
                .iter()
                .filter(|d| d.primary.file == id)
                .collect();
            for d in found {
                let item = super::handlers::diagnostic_in(&u, &file.text, id, d);
                if !items.contains(&item) {
                    items.push(item);
                }
            }
        }
        // A file no one knows any more gets its diagnostics cleared.
        let uri = uri.or_else(|| uri::from_client(k))?;
        items.sort_by(|a, b| {
            (a.range.start, a.range.end, &a.message).cmp(&(b.range.start, b.range.end, &b.message))
        });
        Some(PublishDiagnosticsParams {
            uri,
            diagnostics: items,
            version: None,
        })
    }
}

/// What edits changed in a file's declarations, by the text an importer read
/// before: a cache, since every importer usually read the same text.
#[derive(Default)]
struct Changes {
    seen: Vec<(std::sync::Arc<str>, Option<Changed>)>,
}

/// The names of the schemas and of the tools an edit changed.
#[derive(Clone, Default)]
struct Changed {
    schemas: BTreeSet<String>,
    tools: BTreeSet<String>,
}

impl Changes {
    fn between(&mut self, old: &str, new: &str) -> Option<Changed> {
        if let Some((_, names)) = self.seen.iter().find(|(t, _)| **t == *old) {
            return names.clone();
        }
        let names = changed_names(old, new);
        self.seen.push((old.into(), names.clone()));
        names
    }
}

/// The schemas and tools whose declaration differs between two texts of a
/// file (added, removed or edited), by name; `None` when anything else may
/// have changed what an importer sees: a syntax error in either, or a
/// changed import, design, role, noun or `let` (which other declarations
/// and importers read by value, not only by name).
fn changed_names(old: &str, new: &str) -> Option<Changed> {
    use crate::ast::Item;
    type Decls<'a> = (BTreeMap<(bool, String, u32), &'a str>, Vec<&'a str>);
    fn decls(text: &str) -> Option<Decls<'_>> {
        let (file, errors) = crate::syntax::parse(text);
        if !errors.is_empty() {
            return None;
        }
        // A declaration's span may take in the blank lines after it.
        let slice = |span: crate::source::Span| {
            text.get(span.start as usize..span.end as usize)
                .unwrap_or_default()
                .trim_end()
        };
        let mut named = BTreeMap::new();
        let mut rest = Vec::new();
        for item in &file.items {
            match item {
                Item::Schema(d) => {
                    let version = d.version.map(|(v, _)| v).unwrap_or(0);
                    named.insert((true, d.name.name.clone(), version), slice(d.span));
                }
                Item::Tool(d) => {
                    named.insert((false, d.name.name.clone(), 0), slice(d.span));
                }
                Item::Import(d) => rest.push(slice(d.span)),
                Item::Design(d) => rest.push(slice(d.span)),
                Item::Role(d) => rest.push(slice(d.span)),
                Item::Noun(d) => rest.push(slice(d.span)),
                Item::Let(d) => rest.push(slice(d.span)),
            }
        }
        Some((named, rest))
    }
    let (before, rest_before) = decls(old)?;
    let (after, rest_after) = decls(new)?;
    if rest_before != rest_after {
        return None;
    }
    // What reads a changed declaration changes with it: a schema or tool of
    // the file that names one is changed too, and a `let`, role, noun or
    // design that names one (`let daily = volume * Audit.size.raw`) could
    // change the value of a name an importer uses.
    let mut names = Changed::default();
    let mut note = |(schema, name, _): &(bool, String, u32)| {
        if *schema {
            names.schemas.insert(name.clone());
        } else {
            names.tools.insert(name.clone());
        }
    };
    for (key, text) in &before {
        if after.get(key) != Some(text) {
            note(key);
        }
    }
    for key in after.keys() {
        if !before.contains_key(key) {
            note(key);
        }
    }
    let names_any = |text: &str, names: &Changed| {
        names
            .schemas
            .iter()
            .chain(names.tools.iter())
            .any(|n| has_word(text, n))
    };
    // At most one pass per declaration: each pass adds one or stops.
    for _ in 0..=after.len() {
        let more: Vec<(bool, String)> = after
            .iter()
            .filter(|((schema, name, _), _)| {
                let known = if *schema {
                    &names.schemas
                } else {
                    &names.tools
                };
                !known.contains(name)
            })
            .filter(|(_, text)| names_any(text, &names))
            .map(|((schema, name, _), _)| (*schema, name.clone()))
            .collect();
        if more.is_empty() {
            break;
        }
        for (schema, name) in more {
            if schema {
                names.schemas.insert(name);
            } else {
                names.tools.insert(name);
            }
        }
    }
    if rest_after.iter().any(|text| names_any(text, &names)) {
        return None;
    }
    Some(names)
}

/// Whether `importer`'s compilation, made when the file of key `k` had an
/// older text, would find exactly what it found with `new` in its place:
/// it found nothing in that file (so no span of its findings moves, and no
/// finding is echoed on its `import` line), the file's own compilation finds
/// nothing in it now (the caller's check), and the edit changed only
/// schemas and tools whose names appear nowhere in the importer's text or
/// in any other file it read.
fn unaffected(importer: &crate::Compilation, k: &str, new: &str, changes: &mut Changes) -> bool {
    let Some((id, file)) = importer.sources.iter().find(|(id, f)| {
        *id != importer.main
            && Path::new(&f.name).is_absolute()
            && path_key(Path::new(&f.name)) == k
    }) else {
        return false;
    };
    let in_file = importer
        .diagnostics
        .iter()
        .any(|d| d.primary.file == id || d.secondary.iter().any(|l| l.file == id));
    if in_file {
        return false;
    }
    let Some(names) = changes.between(&file.text, new) else {
        return false;
    };
    // A tool may be named by the standard library too (`runs_on`); a
    // schema only by the user's files: the importer and what it imports.
    importer
        .sources
        .iter()
        .filter(|(other, _)| *other != id)
        .all(|(other, f)| {
            let user = other == importer.main || Path::new(&f.name).is_absolute();
            names.tools.iter().all(|n| !has_word(&f.text, n))
                && (!user || names.schemas.iter().all(|n| !has_word(&f.text, n)))
        })
}

/// Whether `word` occurs in `text` as a whole name (not inside a longer one).
fn has_word(text: &str, word: &str) -> bool {
    let is_name = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(word).any(|(i, _)| {
        let before = text.get(..i).and_then(|t| t.chars().next_back());
        let after = text.get(i + word.len()..).and_then(|t| t.chars().next());
        !before.is_some_and(is_name) && !after.is_some_and(is_name)
    })
}

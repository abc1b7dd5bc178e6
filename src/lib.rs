//! dsd: a compiler for data-system designs written as code.
//!
//! `compile` takes a file's text and a [`Loader`] for its imports, and returns the
//! resolved designs, their dataflow graphs and every diagnostic. Nothing here does
//! IO; `main.rs` reads files and prints.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod ast;
pub mod check;
pub mod cloud;
pub mod compare;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod flow;
pub mod fmt;
pub mod graph;
pub mod lsp;
pub mod model;
pub mod placeholder;
pub mod project;
pub mod resolve;
pub mod rules;
pub mod sizing;
pub mod source;
pub mod stdlib;
pub mod suggest;
pub mod syntax;
pub mod templates;
pub mod units;
pub mod whatif;

// pest without `std` (see Cargo.toml) names `alloc` in the parser it generates.
extern crate alloc;

use diagnostic::Diagnostic;
use source::{FileId, SourceFile, SourceMap};
use std::collections::{BTreeMap, BTreeSet};

/// At most this many files may be imported by one compilation, and imports may
/// nest at most this deep.
pub const MAX_IMPORTS: usize = 256;
pub const MAX_IMPORT_DEPTH: usize = 32;

/// Reads imported files. Paths are `/`-separated and relative to the project root.
pub trait Loader {
    fn load(&self, path: &str) -> Result<String, String>;
    /// How to name an imported file in diagnostics.
    fn display_name(&self, path: &str) -> String {
        path.to_string()
    }
    /// The file `path` is, whatever the path written to it (a symbolic link
    /// `d -> .` makes `c.dsd`, `d/c.dsd` and `d/d/c.dsd` one file): imports are
    /// loaded once per identity. `None`: the path is its identity.
    fn identity(&self, _path: &str) -> Option<String> {
        None
    }
    /// Where imports already parsed in this process are kept, shared by the
    /// compilations that use this loader's cache; `None`: each compilation
    /// parses its imports itself.
    fn cache(&self) -> Option<&ParseCache> {
        None
    }
    /// Whether the file compiled (not only its imports) is parsed through
    /// the cache too, and its syntax tree kept there: the language server
    /// does, so a document that did not change is not parsed again when an
    /// import it reads did; the command line does not (it drops each
    /// design's tree once resolved, to bound memory).
    fn cache_main(&self) -> bool {
        false
    }
}

/// One imported file, read and parsed.
pub struct ParsedImport {
    text: std::sync::Arc<str>,
    ast: ast::File,
    errors: Vec<syntax::SyntaxError>,
}

/// Imported files parsed once for every design that imports them (a folder of
/// designs sharing a catalogue file parses it once): by the file's identity,
/// and only while its text is the same, so an edited file is parsed again.
#[derive(Default)]
pub struct ParseCache {
    files: std::sync::Mutex<BTreeMap<String, std::sync::Arc<ParsedImport>>>,
}

impl ParseCache {
    /// At most this many files are kept; past it, files are parsed each time.
    const MAX_FILES: usize = 4096;

    fn get(&self, identity: &str, text: String) -> std::sync::Arc<ParsedImport> {
        let parse = |text: String| {
            let (ast, errors) = syntax::parse(&text);
            std::sync::Arc::new(ParsedImport {
                text: text.into(),
                ast,
                errors,
            })
        };
        // A poisoned lock (a thread that panicked) only loses the sharing.
        if let Ok(files) = self.files.lock()
            && let Some(p) = files.get(identity)
            && *p.text == *text
        {
            return p.clone();
        }
        let parsed = parse(text);
        if let Ok(mut files) = self.files.lock()
            && (files.len() < Self::MAX_FILES || files.contains_key(identity))
        {
            files.insert(identity.to_string(), parsed.clone());
        }
        parsed
    }
}

/// Reads imports from the folder of the checked file, refusing anything that
/// resolves outside it (`..`, absolute paths and symbolic links included). The
/// command line and the language server both read through it.
pub struct FsLoader {
    root: std::path::PathBuf,
    shown_root: String,
    cache: Option<std::sync::Arc<ParseCache>>,
}

impl FsLoader {
    /// The loader for imports of the design file at `file`.
    pub fn for_file(file: &std::path::Path) -> FsLoader {
        let root = file
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default();
        FsLoader {
            shown_root: root.to_string_lossy().replace('\\', "/"),
            root: if root.as_os_str().is_empty() {
                std::path::PathBuf::from(".")
            } else {
                root
            },
            cache: None,
        }
    }

    /// This loader, sharing parsed imports through `cache`.
    pub fn with_cache(mut self, cache: std::sync::Arc<ParseCache>) -> FsLoader {
        self.cache = Some(cache);
        self
    }
}

impl Loader for FsLoader {
    fn load(&self, path: &str) -> Result<String, String> {
        let full = self.root.join(path);
        let real = full.canonicalize().map_err(|e| e.to_string())?;
        let root = self.root.canonicalize().map_err(|e| e.to_string())?;
        if !real.starts_with(&root) {
            return Err("it resolves outside the project root".into());
        }
        let bytes = source::read_source(&real)?;
        if bytes.len() > syntax::MAX_FILE_BYTES {
            return Err(format!(
                "it is over {} bytes, the most dsd reads",
                syntax::MAX_FILE_BYTES
            ));
        }
        String::from_utf8(bytes).map_err(|e| {
            format!(
                "it is not valid UTF-8 (byte {})",
                e.utf8_error().valid_up_to()
            )
        })
    }
    fn identity(&self, path: &str) -> Option<String> {
        let real = self.root.join(path).canonicalize().ok()?;
        Some(real.to_string_lossy().into_owned())
    }
    fn cache(&self) -> Option<&ParseCache> {
        self.cache.as_deref()
    }
    fn display_name(&self, path: &str) -> String {
        if self.shown_root.is_empty() {
            path.to_string()
        } else {
            format!("{}/{path}", self.shown_root)
        }
    }
}

/// A loader that has no files: imports fail.
pub struct NoImports;
impl Loader for NoImports {
    fn load(&self, path: &str) -> Result<String, String> {
        Err(format!("no file `{path}`"))
    }
}

/// One design with its graph.
pub struct Checked {
    pub design: model::Design,
    pub graph: graph::Dataflow,
}

pub struct Compilation {
    pub sources: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
    pub designs: Vec<Checked>,
    pub catalogue: model::Catalogue,
    /// The file the user named.
    pub main: FileId,
    /// `--set` names that matched no requirement, let, property or figure.
    pub unmatched: Vec<String>,
    /// Imports that could not be read, as the loader names them (for the
    /// FsLoader, a path): the language server re-checks the document when
    /// one of them appears.
    pub missing_imports: Vec<String>,
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The first diagnostic whose span is not inside its file on character
    /// boundaries, described; `None` when every span is sound. The fuzzers'
    /// oracle, also replayed by the tests.
    #[doc(hidden)]
    pub fn misplaced_span(&self) -> Option<String> {
        self.diagnostics.iter().find_map(|d| {
            let Some(file) = self.sources.get(d.primary.file) else {
                return Some(format!("{} names no file", d.code));
            };
            let (s, e) = (d.primary.span.start as usize, d.primary.span.end as usize);
            if s > e || e > file.text.len() {
                Some(format!(
                    "{}: span {s}..{e} is outside {} bytes",
                    d.code,
                    file.text.len()
                ))
            } else if !file.text.is_char_boundary(s) || !file.text.is_char_boundary(e) {
                Some(format!("{}: span {s}..{e} splits a character", d.code))
            } else {
                None
            }
        })
    }
}

/// Lexically normalises `dir/rel`; `None` when it climbs above the root.
fn join_path(dir: &str, rel: &str) -> Option<String> {
    if rel.starts_with('/') || rel.contains('\\') || rel.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = dir
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

fn dir_of(path: &str) -> &str {
    path.rfind('/').and_then(|i| path.get(..i)).unwrap_or("")
}

struct Unit {
    id: FileId,
    ast: UnitAst,
}

/// A unit's syntax tree: the stdlib's, or an import's (shared through a
/// [`ParseCache`] or parsed for this compilation alone).
enum UnitAst {
    Stdlib(&'static ast::File),
    Import(std::sync::Arc<ParsedImport>),
}

impl Unit {
    fn ast(&self) -> &ast::File {
        match &self.ast {
            UnitAst::Stdlib(a) => a,
            UnitAst::Import(p) => &p.ast,
        }
    }
}

/// What-if inputs for a compilation (`dsd report --set NAME=QUANTITY --scale F`).
#[derive(Clone, Debug)]
pub struct WhatIf {
    /// `(name, quantity text)`: a requirement, a `let`, `NODE.PROPERTY` or `TOOL.FIGURE`.
    pub set: Vec<(String, String)>,
    /// Multiplies the design's volume and peak.
    pub scale: f64,
}

impl Default for WhatIf {
    fn default() -> Self {
        WhatIf {
            set: Vec::new(),
            scale: 1.0,
        }
    }
}

/// The most diagnostics shown for one file; see the `too-many-diagnostics` rule.
pub const MAX_DIAGNOSTICS_PER_FILE: usize = 500;

/// Keeps the first [`MAX_DIAGNOSTICS_PER_FILE`] diagnostics of each file (they
/// are sorted by file and position) and counts the rest in one diagnostic at the
/// first one not shown, with the worst severity among them, so the exit status
/// is what it would have been. A 1.4 MB file of `flow a -> b` lines took 1.9 GB
/// for SARIF before.
fn cap_per_file(diagnostics: &mut Vec<Diagnostic>) {
    let mut kept: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len().min(4096));
    let mut i = 0;
    let all = std::mem::take(diagnostics);
    let mut iter = all.into_iter().peekable();
    while let Some(d) = iter.next() {
        let file = d.primary.file;
        kept.push(d);
        i += 1;
        let next_same = iter.peek().is_some_and(|n| n.primary.file == file);
        if i >= MAX_DIAGNOSTICS_PER_FILE && next_same {
            let (mut errors, mut warnings, mut notes) = (0usize, 0usize, 0usize);
            let mut first: Option<Diagnostic> = None;
            while let Some(n) = iter.next_if(|n| n.primary.file == file) {
                match n.severity {
                    diagnostic::Severity::Error => errors += 1,
                    diagnostic::Severity::Warning => warnings += 1,
                    diagnostic::Severity::Note => notes += 1,
                }
                if first.is_none() {
                    first = Some(n);
                }
            }
            if let Some(f) = first {
                let total = errors + warnings + notes;
                let mut more = Diagnostic::new(
                    "too-many-diagnostics",
                    file,
                    f.primary.span,
                    format!(
                        "and {total} more diagnostics in this file: {errors} errors, {warnings} warnings, {notes} notes (the first {MAX_DIAGNOSTICS_PER_FILE} are shown)"
                    ),
                )
                .label("the first one not shown")
                .with_help("fix the diagnostics above and check again");
                more.folded = Some([errors, warnings, notes]);
                more.severity = if errors > 0 {
                    diagnostic::Severity::Error
                } else if warnings > 0 {
                    diagnostic::Severity::Warning
                } else {
                    diagnostic::Severity::Note
                };
                kept.push(more);
            }
        }
        if iter.peek().is_none_or(|n| n.primary.file != file) {
            i = 0;
        }
    }
    *diagnostics = kept;
}

/// The report of every design of `c` (compiled from `text` with `what_if`), each
/// with its bill as the design grows: the design compiled again at each factor
/// its `growth` names (see [`sizing::growth`]).
pub fn reports(
    name: &str,
    text: &str,
    loader: &dyn Loader,
    what_if: &WhatIf,
    c: &Compilation,
) -> Vec<sizing::Report> {
    let mut grown: std::collections::BTreeMap<u64, Compilation> = Default::default();
    c.designs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let mut report = sizing::size(&d.design, &c.catalogue, what_if.scale);
            sizing::growth::add(&mut report, &d.design, |factor| {
                let scale = what_if.scale * factor;
                let again = grown.entry(scale.to_bits()).or_insert_with(|| {
                    let w = WhatIf {
                        set: what_if.set.clone(),
                        scale,
                    };
                    compile_with(name, text, loader, &w)
                });
                let same = again
                    .designs
                    .get(i)
                    .filter(|g| g.design.name.name == d.design.name.name)?;
                Some(sizing::size(&same.design, &again.catalogue, scale))
            });
            report
        })
        .collect()
}

/// Compiles the file shown as `name`, whose text is `text`. The project root is the
/// file's folder: `loader` reads imports by paths relative to it.
pub fn compile(name: &str, text: &str, loader: &dyn Loader) -> Compilation {
    compile_with(name, text, loader, &WhatIf::default())
}

/// `compile` with what-if inputs; `Compilation::unmatched` lists the `--set` names
/// that matched nothing.
pub fn compile_with(name: &str, text: &str, loader: &dyn Loader, what_if: &WhatIf) -> Compilation {
    suggest::reset_budget();
    let base = name.rsplit('/').next().unwrap_or(name).to_string();
    let mut sources = SourceMap::new();
    let mut diagnostics = Vec::new();
    let mut units: Vec<Unit> = Vec::new();

    for lib in stdlib::parsed() {
        let id = sources.add(lib.source.clone());
        push_syntax(&mut diagnostics, id, lib.errors.clone());
        units.push(Unit {
            id,
            ast: UnitAst::Stdlib(&lib.ast),
        });
    }

    let main = sources.add(SourceFile::new(name, text));
    let shared_main = match (loader.cache_main(), loader.cache()) {
        (true, Some(cache)) => loader
            .identity(&base)
            .map(|identity| cache.get(&identity, text.to_string())),
        _ => None,
    };
    let (owned_main, errors) = match &shared_main {
        Some(parsed) => (None, parsed.errors.clone()),
        None => {
            let (ast, errors) = syntax::parse(text);
            (Some(ast), errors)
        }
    };
    push_syntax(&mut diagnostics, main, errors);
    let empty = ast::File::default();
    let main_ast: &ast::File = match (&shared_main, &owned_main) {
        (Some(parsed), _) => &parsed.ast,
        (None, Some(ast)) => ast,
        (None, None) => &empty,
    };
    // Placeholders left by `dsd init` stop the design rules like syntax errors.
    diagnostics.extend(placeholder::find(text, main));
    let syntax_errors: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.primary.file == main)
        .cloned()
        .collect();

    // Imports, depth first, dependencies before dependants.
    let mut loaded: BTreeSet<String> = BTreeSet::new();
    loaded.insert(base.clone());
    let mut stack = vec![base.clone()];
    let mut imported = Vec::new();
    let mut missing_imports = Vec::new();
    load_imports(
        main_ast,
        main,
        &base,
        loader,
        &mut sources,
        &mut diagnostics,
        &mut loaded,
        &mut stack,
        (&mut imported, &mut missing_imports),
    );
    units.extend(imported);

    let mut resolver = resolve::Resolver::new(&mut diagnostics);
    let stdlib_files: Vec<&'static ast::File> = units
        .iter()
        .filter_map(|u| match &u.ast {
            UnitAst::Stdlib(a) => Some(*a),
            UnitAst::Import(_) => None,
        })
        .collect();
    resolver.collect_stdlib_nouns(&stdlib_files);
    for u in &units {
        if let UnitAst::Import(_) = &u.ast {
            resolver.collect_nouns(u.ast());
        }
    }
    resolver.collect_nouns(main_ast);
    resolver.overrides.scale = what_if.scale;
    for (set_name, set_text) in &what_if.set {
        // Each value is read as the `let` it replaces would be.
        let src = format!("let value = {set_text}");
        let id = sources.add(SourceFile::new(format!("--set {set_name}"), src.clone()));
        let (ast, errors) = syntax::parse(&src);
        for e in errors {
            resolver.diags.push(
                Diagnostic::new(e.code, id, e.span, e.message)
                    .label(e.label)
                    .with_help(e.help),
            );
        }
        for item in &ast.items {
            if let ast::Item::Let(l) = item
                && let Some(q) = resolver.eval_override(l, id)
            {
                resolver.overrides.values.insert(set_name.clone(), q);
            }
        }
    }
    let stdlib: Vec<(&ast::File, FileId)> = units
        .iter()
        .filter_map(|u| match &u.ast {
            UnitAst::Stdlib(a) => Some((*a, u.id)),
            UnitAst::Import(_) => None,
        })
        .collect();
    resolver.collect_stdlib(&stdlib);
    for u in &units {
        if let UnitAst::Import(_) = &u.ast {
            resolver.collect_catalogue(u.ast(), u.id);
        }
    }
    resolver.collect_catalogue(main_ast, main);

    let mut designs = Vec::new();
    let mut per_design = Vec::new();
    // Each design's syntax tree is dropped once it is resolved, before the checks
    // run: it is a third of the memory a large design takes (unless the cache
    // keeps it, see `Loader::cache_main`).
    let owned_designs = owned_main
        .into_iter()
        .flat_map(|f| f.items)
        .filter_map(|i| match i {
            ast::Item::Design(d) => Some(std::borrow::Cow::Owned(d)),
            _ => None,
        });
    let shared_designs = shared_main
        .iter()
        .flat_map(|p| &p.ast.items)
        .filter_map(|i| match i {
            ast::Item::Design(d) => Some(std::borrow::Cow::Borrowed(d)),
            _ => None,
        });
    for d in owned_designs.chain(shared_designs) {
        {
            let before = resolver.diags.len();
            let design = resolve::resolve_design(&mut resolver, &d, main);
            drop(d);
            let graph = graph::Dataflow::build(&design);
            // Everything reported about this design, from resolve and the checker,
            // passes through its `allow`s.
            let own: Vec<Diagnostic> = resolver.diags.drain(before..).collect();
            // The design rules read a design that resolved: on a misspelt name or
            // a bad line they would only report the echoes of that error.
            let broken = own
                .iter()
                .chain(syntax_errors.iter())
                .any(|d| d.is_error() && rules::is_front_end(d.code));
            let mut findings = check::attribute(&design, own);
            if !broken {
                findings.extend(check::run(&design, &resolver.scope.catalogue));
            }
            per_design.extend(check::apply_allows(&design, findings, !broken));
            designs.push(Checked { design, graph });
        }
    }
    resolver.diags.extend(per_design);
    let catalogue = std::mem::take(&mut resolver.scope.catalogue);
    let unmatched: Vec<String> = what_if
        .set
        .iter()
        .map(|(n, _)| n.clone())
        .filter(|n| {
            resolver.overrides.values.contains_key(n) && !resolver.overrides.used.contains(n)
        })
        .collect();
    diagnostics.sort_by_key(|d| {
        (
            d.primary.file,
            d.primary.span.start,
            d.primary.span.end,
            d.code,
        )
    });
    diagnostics.dedup();
    cap_per_file(&mut diagnostics);
    Compilation {
        sources,
        diagnostics,
        designs,
        catalogue,
        main,
        unmatched,
        missing_imports,
    }
}

fn push_syntax(diagnostics: &mut Vec<Diagnostic>, id: FileId, errors: Vec<syntax::SyntaxError>) {
    for e in errors {
        diagnostics.push(
            Diagnostic::new(e.code, id, e.span, e.message)
                .label(e.label)
                .with_help(e.help),
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn load_imports(
    file: &ast::File,
    id: FileId,
    path: &str,
    loader: &dyn Loader,
    sources: &mut SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
    loaded: &mut BTreeSet<String>,
    stack: &mut Vec<String>,
    (out, missing): (&mut Vec<Unit>, &mut Vec<String>),
) {
    for item in &file.items {
        let ast::Item::Import(imp) = item else {
            continue;
        };
        let err = |msg: String, help: &str| {
            Diagnostic::new("import-error", id, imp.path.span, msg)
                .label("this import")
                .with_help(help)
        };
        let Some(target) = join_path(dir_of(path), &imp.path.value) else {
            diagnostics.push(err(
                format!("`{}` is outside the project root", imp.path.value),
                "imports are relative to the importing file and must stay inside the project's folder",
            ));
            continue;
        };
        if stack.contains(&target) {
            let cycle = format!("{} -> {target}", stack.join(" -> "));
            diagnostics.push(err(format!("import cycle: {cycle}"), "remove one of the imports in the cycle; shared declarations belong in a file both import"));
            continue;
        }
        let identity = loader.identity(&target).unwrap_or_else(|| target.clone());
        if loaded.contains(&target) || loaded.contains(&identity) {
            continue;
        }
        if stack.len() >= MAX_IMPORT_DEPTH || loaded.len() >= MAX_IMPORTS {
            diagnostics.push(err(
                format!("too many imports (at most {MAX_IMPORTS} files, nested at most {MAX_IMPORT_DEPTH} deep)"),
                "flatten the import tree",
            ));
            continue;
        }
        let text = match loader.load(&target) {
            Ok(t) => t,
            Err(e) => {
                diagnostics.push(err(
                    format!("cannot import `{}`: {e}", imp.path.value),
                    "check the path; it is relative to the importing file",
                ));
                missing.push(loader.display_name(&target));
                continue;
            }
        };
        loaded.insert(target.clone());
        let parsed = match loader.cache() {
            Some(cache) => cache.get(&identity, text),
            None => {
                let (ast, errors) = syntax::parse(&text);
                std::sync::Arc::new(ParsedImport {
                    text: text.into(),
                    ast,
                    errors,
                })
            }
        };
        loaded.insert(identity);
        let child = sources.add(SourceFile::shared(
            loader.display_name(&target),
            parsed.text.clone(),
        ));
        push_syntax(diagnostics, child, parsed.errors.clone());
        stack.push(target.clone());
        load_imports(
            &parsed.ast,
            child,
            &target,
            loader,
            sources,
            diagnostics,
            loaded,
            stack,
            (&mut *out, &mut *missing),
        );
        stack.pop();
        out.push(Unit {
            id: child,
            ast: UnitAst::Import(parsed),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file imported by two compilations is parsed once while its text is
    /// the same, and again once it changes; both compilations read it alike.
    #[test]
    fn the_parse_cache_shares_an_unchanged_import() {
        let cache = ParseCache::default();
        let a = cache.get("lib.dsd", "noun widget\n".into());
        let b = cache.get("lib.dsd", "noun widget\n".into());
        assert!(std::sync::Arc::ptr_eq(&a, &b));
        let c = cache.get("lib.dsd", "noun gadget\n".into());
        assert!(!std::sync::Arc::ptr_eq(&a, &c));
        assert_eq!(&*c.text, "noun gadget\n");
        let d = cache.get("lib.dsd", "noun gadget\n".into());
        assert!(std::sync::Arc::ptr_eq(&c, &d));
    }

    /// A loader that parses the compiled file through its cache too, as the
    /// language server's does.
    struct KeepsMain(ParseCache);
    impl Loader for KeepsMain {
        fn load(&self, path: &str) -> Result<String, String> {
            Err(format!("no {path}"))
        }
        fn identity(&self, path: &str) -> Option<String> {
            Some(format!("/ws/{path}"))
        }
        fn cache(&self) -> Option<&ParseCache> {
            Some(&self.0)
        }
        fn cache_main(&self) -> bool {
            true
        }
    }

    /// The compiled file's tree kept in the cache gives the same compilation
    /// as a tree parsed and dropped, and an unchanged text is parsed once.
    #[test]
    fn a_cached_main_file_compiles_as_a_parsed_one() {
        let text = include_str!("../examples/razorpay_payments.dsd");
        let keeps = KeepsMain(ParseCache::default());
        let fresh = compile("razorpay_payments.dsd", text, &NoImports);
        let first = compile("razorpay_payments.dsd", text, &keeps);
        let again = compile("razorpay_payments.dsd", text, &keeps);
        assert_eq!(first.diagnostics, fresh.diagnostics);
        assert_eq!(again.diagnostics, fresh.diagnostics);
        assert_eq!(first.designs.len(), fresh.designs.len());
        let kept = keeps.0.get("/ws/razorpay_payments.dsd", text.to_string());
        let same = keeps.0.get("/ws/razorpay_payments.dsd", text.to_string());
        assert!(std::sync::Arc::ptr_eq(&kept, &same));
        // A text with a syntax error reports it from the cached parse too.
        let broken = text.replacen("node payments", "node payments $", 1);
        let cached = compile("razorpay_payments.dsd", &broken, &keeps);
        let parsed = compile("razorpay_payments.dsd", &broken, &NoImports);
        assert_eq!(cached.diagnostics, parsed.diagnostics);
        assert!(cached.has_errors());
    }

    #[test]
    fn join_path_stays_in_root() {
        assert_eq!(
            join_path("examples", "common/a.dsd").as_deref(),
            Some("examples/common/a.dsd")
        );
        assert_eq!(join_path("examples", "../a.dsd").as_deref(), Some("a.dsd"));
        assert_eq!(join_path("", "../a.dsd"), None);
        assert_eq!(join_path("", "/etc/passwd"), None);
    }
}

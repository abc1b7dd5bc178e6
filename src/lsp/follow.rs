//! Definition, references and rename across files: a schema or `let` that a
//! document uses but does not declare is the one an import declares (the
//! first, in the order the compilation read them), and its uses are those in
//! the declaring file and in every document of the workspace whose
//! compilation read that file and does not declare the name itself. A tool,
//! role, noun or `let` of the standard library opens as a read-only virtual
//! document, `dsd-stdlib:///FILE` (see `workspace::STDLIB_SCHEME`); it cannot
//! be renamed.

use super::names::{self, Kind, Site};
use super::position::{offset, range, word_at};
use super::workspace::{self, Workspace};
use super::{Doc, handlers};
use lsp_types::{GotoDefinitionResponse, Location, Position, TextEdit, Uri, WorkspaceEdit};
use std::collections::HashMap;
use std::path::Path;

/// The URI of the standard library file `name` (`tools.dsd`).
pub fn stdlib_uri(name: &str) -> Option<Uri> {
    format!("{}:///{name}", workspace::STDLIB_SCHEME)
        .parse()
        .ok()
}

/// The text of a `dsd-stdlib:` URI.
pub fn stdlib_text(uri: &str) -> Option<&'static str> {
    // As the server writes it (`dsd-stdlib:///tools.dsd`), or as VS Code's
    // `Uri.toString()` writes it back with no authority (`dsd-stdlib:/tools.dsd`).
    let rest = uri
        .strip_prefix(workspace::STDLIB_SCHEME)?
        .strip_prefix(':')?;
    let name = rest
        .strip_prefix("///")
        .or_else(|| rest.strip_prefix('/'))?;
    crate::stdlib::FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
}

/// Where the standard library declares `word` (a tool, role, noun, schema or
/// `let`): the file's name, what it is and its range.
fn in_stdlib(word: &str) -> Option<(&'static str, &'static str, names::TopDecl)> {
    crate::stdlib::FILES.iter().find_map(|(name, text)| {
        names::top_decls(text)
            .into_iter()
            .find(|d| d.name == word)
            .map(|d| (*name, *text, d))
    })
}

/// A file the symbol lives in: its URI and text.
struct File {
    uri: Uri,
    text: String,
    key: String,
}

/// The file `doc`'s compilation imported that declares a `what` called
/// `name` at its top, with the declaration.
fn in_imports(ws: &Workspace, doc: &Doc, what: &str, name: &str) -> Option<(File, names::TopDecl)> {
    let c = &doc.compiled;
    c.sources
        .iter()
        .filter(|(id, f)| *id != c.main && Path::new(&f.name).is_absolute())
        .find_map(|(_, f)| {
            let path = Path::new(&f.name);
            let key = workspace::path_key(path);
            // The editor's text when the workspace has the file.
            let (uri, text) = match ws.docs.get(&key) {
                Some(d) => (d.uri.clone()?, d.text.clone()),
                None => (super::uri::from_path(path)?, f.text.to_string()),
            };
            let decl = names::top_decls(&text)
                .into_iter()
                .find(|d| d.name == name && (what.is_empty() || d.what == what))?;
            Some((File { uri, text, key }, decl))
        })
}

fn noun(kind: Kind) -> &'static str {
    kind.noun()
}

/// Definition: in the document, else in its imports, else in the standard
/// library, else the document's own declarations found by name.
pub fn definition(
    ws: &Workspace,
    uri: &Uri,
    doc: &Doc,
    pos: Position,
) -> Option<GotoDefinitionResponse> {
    let at = offset(&doc.text, pos);
    let sites = names::sites(&doc.text);
    if let Some(d) = names::same_symbol(&sites, at).into_iter().find(|s| s.decl) {
        let loc = Location {
            uri: uri.clone(),
            range: range(&doc.text, d.start, d.end),
        };
        return Some(GotoDefinitionResponse::Scalar(loc));
    }
    let (word, what) = match site_at(&sites, at).filter(|s| names::is_imported(&sites, s)) {
        Some(s) => (s.name.clone(), noun(s.kind)),
        None => (word_at(&doc.text, at)?.0, ""),
    };
    if let Some((file, decl)) = in_imports(ws, doc, what, &word) {
        return Some(GotoDefinitionResponse::Scalar(Location {
            uri: file.uri,
            range: range(&file.text, decl.start, decl.end),
        }));
    }
    if let Some((name, text, decl)) = in_stdlib(&word) {
        return Some(GotoDefinitionResponse::Scalar(Location {
            uri: stdlib_uri(name)?,
            range: range(text, decl.start, decl.end),
        }));
    }
    handlers::definition(uri, doc, pos)
}

fn site_at(sites: &[Site], at: usize) -> Option<&Site> {
    sites.iter().find(|s| s.start <= at && at <= s.end)
}

/// The symbol at `pos` and every site of it, by file: `Ok(None)` when no
/// declared name is there, an error naming the standard library when the
/// name is one of its own.
#[allow(clippy::type_complexity)]
fn symbol(
    ws: &Workspace,
    uri: &Uri,
    doc: &Doc,
    pos: Position,
) -> Result<Option<(Site, Vec<(Uri, String, Vec<Site>)>)>, String> {
    let at = offset(&doc.text, pos);
    let sites = names::sites(&doc.text);
    let same = names::same_symbol(&sites, at);
    let here = super::workspace::key(uri.as_str());
    let (decl, home) = match same.iter().find(|s| s.decl) {
        Some(d) => {
            let local: Vec<Site> = same.iter().map(|s| (*s).clone()).collect();
            let decl = (*d).clone();
            // A design's own names stay in the design.
            if decl.scope.is_some() || !matches!(decl.kind, Kind::Schema | Kind::Let) {
                return Ok(Some((decl, vec![(uri.clone(), doc.text.clone(), local)])));
            }
            (decl, (uri.clone(), doc.text.clone(), here, local))
        }
        None => {
            let Some(s) = site_at(&sites, at).filter(|s| names::is_imported(&sites, s)) else {
                return match word_at(&doc.text, at).and_then(|(w, _, _)| in_stdlib(&w)) {
                    Some((file, _, d)) => Err(stdlib_refusal(&d, file)),
                    None => Ok(None),
                };
            };
            let Some((file, top)) = in_imports(ws, doc, noun(s.kind), &s.name) else {
                return match in_stdlib(&s.name) {
                    Some((file, _, d)) => Err(stdlib_refusal(&d, file)),
                    None => Ok(None),
                };
            };
            let fsites = names::sites(&file.text);
            let local: Vec<Site> = names::same_symbol(&fsites, top.start)
                .into_iter()
                .cloned()
                .collect();
            let Some(decl) = local.iter().find(|s| s.decl).cloned() else {
                return Ok(None);
            };
            (decl, (file.uri, file.text, file.key, local))
        }
    };
    let (home_uri, home_text, home_key, home_sites) = home;
    let mut files = vec![(home_uri, home_text, home_sites)];
    for k in ws.importers_of(&home_key) {
        let Some(d) = ws.docs.get(k) else { continue };
        let Some(u) = d.uri.clone() else { continue };
        let theirs = names::sites(&d.text);
        let uses: Vec<Site> = names::imported_uses(&theirs, decl.kind, &decl.name)
            .into_iter()
            .cloned()
            .collect();
        if !uses.is_empty() {
            files.push((u, d.text.clone(), uses));
        }
    }
    Ok(Some((decl, files)))
}

fn stdlib_refusal(d: &names::TopDecl, file: &str) -> String {
    format!(
        "`{}` is a {} of the standard library ({file}): it cannot be renamed; declare your own {} under another name instead",
        d.name, d.what, d.what
    )
}

/// The declaration and uses of the name at `pos`, in every file that has them.
pub fn references(
    ws: &Workspace,
    uri: &Uri,
    doc: &Doc,
    pos: Position,
    include_declaration: bool,
) -> Vec<Location> {
    let Ok(Some((_, files))) = symbol(ws, uri, doc, pos) else {
        return Vec::new();
    };
    files
        .iter()
        .flat_map(|(u, text, sites)| {
            sites
                .iter()
                .filter(|s| include_declaration || !s.decl)
                .map(|s| Location {
                    uri: u.clone(),
                    range: range(text, s.start, s.end),
                })
        })
        .collect()
}

/// Renames the name at `pos` in every file that declares or uses it.
pub fn rename(
    ws: &Workspace,
    uri: &Uri,
    doc: &Doc,
    pos: Position,
    new_name: &str,
) -> Result<Option<WorkspaceEdit>, String> {
    let Some((decl, files)) = symbol(ws, uri, doc, pos)? else {
        return Ok(None);
    };
    // The new name must be free where the declaration is, and in each file
    // that uses it (a local name there would capture the uses).
    for (i, (_, text, _)) in files.iter().enumerate() {
        let sites = names::sites(text);
        let check = if i == 0 {
            decl.clone()
        } else {
            Site {
                scope: None,
                ..decl.clone()
            }
        };
        if let Some(why) = names::rename_refusal(&sites, &check, new_name) {
            return Err(why);
        }
    }
    Ok(Some(WorkspaceEdit {
        // One entry per file: the declaring file, then each importer once.
        changes: Some(
            files
                .iter()
                .map(|(u, text, sites)| {
                    let edits = sites
                        .iter()
                        .map(|s| TextEdit {
                            range: range(text, s.start, s.end),
                            new_text: new_name.to_string(),
                        })
                        .collect();
                    (u.clone(), edits)
                })
                .collect::<HashMap<Uri, Vec<TextEdit>>>(),
        ),
        ..WorkspaceEdit::default()
    }))
}

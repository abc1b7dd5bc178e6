//! The project a design belongs to: the `dsd.toml` nearest above it, and what it
//! says about rules, the standard library and which files are designs. Every
//! command (check, report, build, diff, fmt, the language server) reads its
//! settings here, so a rule allowed in `dsd.toml` is allowed everywhere.
//!
//! Files are found with the `ignore` crate (ripgrep's walker): hidden folders,
//! `.gitignore`d paths and `node_modules` are skipped, links to folders are not
//! followed. `[check] include`/`exclude` are `globset` globs relative to the
//! folder of `dsd.toml`.

use crate::config::{self, Config};
use crate::diagnostic::{Diagnostic, Severity};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How deep `dsd.toml` is looked for above a file.
const MAX_UP: usize = 64;

#[derive(Clone, Debug, Default)]
pub struct Project {
    /// The folder of `dsd.toml`, if one was found.
    pub root: Option<PathBuf>,
    pub config: Config,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

/// A `dsd.toml` that could not be read or is invalid: each problem, with the
/// file's path.
#[derive(Debug)]
pub struct ProjectError {
    pub path: PathBuf,
    pub problems: Vec<String>,
}

impl Project {
    /// The project of `start` (a file or a folder): the nearest `dsd.toml` above
    /// it, or an empty project.
    pub fn find(start: &Path) -> Result<Project, ProjectError> {
        let abs = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
        let mut dir = if abs.is_dir() {
            Some(abs.as_path())
        } else {
            abs.parent()
        };
        let mut depth = 0;
        while let Some(d) = dir {
            let candidate = d.join(config::FILE_NAME);
            if candidate.is_file() {
                return Project::load(&candidate);
            }
            depth += 1;
            dir = if depth > MAX_UP { None } else { d.parent() };
        }
        Ok(Project::default())
    }

    /// The project of an explicit `dsd.toml`.
    pub fn load(path: &Path) -> Result<Project, ProjectError> {
        let fail = |problems| ProjectError {
            path: path.to_path_buf(),
            problems,
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| fail(vec![format!("cannot read it: {e}")]))?;
        let config = config::parse(&text).map_err(fail)?;
        let globs = |list: &[String], what: &str| -> Result<Option<GlobSet>, String> {
            if list.is_empty() {
                return Ok(None);
            }
            let mut b = GlobSetBuilder::new();
            for g in list {
                let glob = Glob::new(g.trim_start_matches("./"))
                    .map_err(|e| format!("[check] {what}: `{g}` is not a glob: {e}"))?;
                b.add(glob);
            }
            b.build()
                .map(Some)
                .map_err(|e| format!("[check] {what}: {e}"))
        };
        let mut problems = Vec::new();
        let include = globs(&config.include, "include").unwrap_or_else(|e| {
            problems.push(e);
            None
        });
        let exclude = globs(&config.exclude, "exclude").unwrap_or_else(|e| {
            problems.push(e);
            None
        });
        if !problems.is_empty() {
            return Err(fail(problems));
        }
        Ok(Project {
            root: path.parent().map(Path::to_path_buf),
            config,
            include,
            exclude,
        })
    }

    /// `[stdlib]` overrides, as what-if values for compiling.
    pub fn what_if(&self) -> crate::WhatIf {
        crate::WhatIf {
            set: self.config.stdlib.clone(),
            ..crate::WhatIf::default()
        }
    }

    /// `[rules]` severities, with `extra` (the command line) winning.
    pub fn severities(
        &self,
        extra: &BTreeMap<String, Option<Severity>>,
    ) -> BTreeMap<String, Option<Severity>> {
        let mut s = self.config.rules.clone();
        s.extend(extra.iter().map(|(k, v)| (k.clone(), *v)));
        s
    }

    /// The diagnostics with `[rules]` applied: severities changed, allowed rules
    /// dropped.
    pub fn apply(&self, diags: &mut Vec<Diagnostic>) {
        apply_severities(&self.config.rules, diags);
    }

    /// Whether `[check] include`/`exclude` select `file`.
    pub fn selects(&self, file: &Path) -> bool {
        let Some(root) = &self.root else {
            return true;
        };
        let abs = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
        let rel = abs.strip_prefix(root).unwrap_or(&abs);
        self.include.as_ref().is_none_or(|g| g.is_match(rel))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(rel))
    }

    /// The design files `paths` name: files as given (unless `force_exclude`
    /// and `[check] exclude` matches them), and the `.dsd` files under folders
    /// that the project selects. Sorted, each once; problems reading folders
    /// are returned beside them.
    pub fn files(&self, paths: &[PathBuf], force_exclude: bool) -> (Vec<PathBuf>, Vec<String>) {
        let (files, errors, _) = self.files_within(paths, force_exclude, usize::MAX);
        (files, errors)
    }

    /// The `.dsd` files under the folders `dirs` that the project selects, as
    /// `files` finds them, but at most `max` found: the walk stops there (the
    /// language server indexes a workspace with it). The third value says
    /// whether it stopped.
    pub fn files_at_most(&self, dirs: &[PathBuf], max: usize) -> (Vec<PathBuf>, Vec<String>, bool) {
        self.files_within(dirs, false, max)
    }

    fn files_within(
        &self,
        paths: &[PathBuf],
        force_exclude: bool,
        max: usize,
    ) -> (Vec<PathBuf>, Vec<String>, bool) {
        let mut out = Vec::new();
        let mut errors = Vec::new();
        let mut stopped = false;
        for p in paths {
            if p.is_dir() {
                stopped |= walk(p, &mut out, &mut errors, max);
                continue;
            }
            if force_exclude && !self.selects(p) {
                continue;
            }
            out.push(p.clone());
        }
        // Files found in folders are the project's only if it selects them.
        out.retain(|f| paths.iter().any(|p| p == f) || self.selects(f));
        out.sort();
        out.dedup();
        (out, errors, stopped)
    }
}

/// Whether `path` (relative, `/` separators) matches one `[check]` glob, as
/// `Project::selects` matches it: `*` within a folder name, `**` across folders.
pub fn glob_matches(pattern: &str, path: &str) -> Result<bool, String> {
    let g = Glob::new(pattern.trim_start_matches("./")).map_err(|e| e.to_string())?;
    Ok(g.compile_matcher().is_match(path))
}

/// Changes severities and drops allowed rules.
pub fn apply_severities(
    severity: &BTreeMap<String, Option<Severity>>,
    diags: &mut Vec<Diagnostic>,
) {
    if severity.is_empty() {
        return;
    }
    diags.retain_mut(|d| match severity.get(d.code) {
        Some(Some(s)) => {
            d.severity = *s;
            true
        }
        Some(None) => false,
        None => true,
    });
}

/// The `.dsd` files under `dir`: hidden folders, git-ignored paths and
/// `node_modules` skipped, links to folders not followed. A link to a file is
/// kept only if it resolves inside `dir` (a repository's `p.dsd -> /etc/passwd`
/// would otherwise be read and shown in snippets, or rewritten by `fmt`).
/// Returns whether it stopped at `max` files.
fn walk(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<String>, max: usize) -> bool {
    let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let walker = ignore::WalkBuilder::new(dir)
        .follow_links(false)
        .max_depth(Some(64))
        .require_git(false)
        .filter_entry(|e| e.file_name() != "node_modules")
        .build();
    for entry in walker {
        if out.len() >= max {
            return true;
        }
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(format!("cannot read folder {}: {e}", dir.display()));
                continue;
            }
        };
        let p = entry.path();
        if p.extension().is_none_or(|x| x != "dsd") {
            continue;
        }
        let kind = entry.file_type();
        if kind.is_some_and(|t| t.is_dir()) {
            continue;
        }
        if kind.is_some_and(|t| t.is_symlink())
            && !std::fs::canonicalize(p).is_ok_and(|real| real.starts_with(&root) && real.is_file())
        {
            eprintln!(
                "dsd: skipped {}: a link to a file outside {}",
                crate::source::one_line_path(p),
                crate::source::one_line_path(dir)
            );
            continue;
        }
        out.push(p.to_path_buf());
    }
    false
}

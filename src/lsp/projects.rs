//! The project of each folder holding an open document, kept between
//! keystrokes: `dsd.toml` is looked for and read once per folder, then again
//! only when the client says a `dsd.toml` changed (`workspace/
//! didChangeWatchedFiles`, which the server asks for when the client can
//! register it, or `textDocument/didSave` of one), or when the one read has a
//! new modification time or length (one `stat` per compile).
//!
//! Folders, not the `dsd.toml` found, are the keys: finding it means walking up
//! the folders, which is what the cache saves. A workspace folder may hold
//! several projects; each document gets the nearest `dsd.toml` above it, as on
//! the command line.

use crate::project::Project;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What identifies a version of a file without reading it.
type Stamp = Option<(SystemTime, u64)>;

fn stamp(p: &Path) -> Stamp {
    let m = std::fs::metadata(p).ok()?;
    Some((m.modified().ok()?, m.len()))
}

struct Cached {
    project: Project,
    /// The `dsd.toml` read and its stamp then; `None` when none was found.
    file: Option<(PathBuf, Stamp)>,
}

impl Cached {
    fn load(doc: &Path) -> Cached {
        // An invalid `dsd.toml` is the command line's to report; the editor
        // then shows the design as is.
        let project = Project::find(doc).unwrap_or_default();
        let file = project.root.as_ref().map(|root| {
            let p = root.join(crate::config::FILE_NAME);
            let s = stamp(&p);
            (p, s)
        });
        Cached { project, file }
    }

    fn fresh(&self) -> bool {
        match &self.file {
            Some((p, s)) => stamp(p) == *s,
            None => true,
        }
    }
}

#[derive(Default)]
pub struct Projects {
    by_folder: BTreeMap<PathBuf, Cached>,
    /// How many times a `dsd.toml` was looked for: what the cache saves.
    pub loads: usize,
}

impl Projects {
    /// The project of the document at `doc`.
    pub fn of(&mut self, doc: &Path) -> &Project {
        let folder = doc.parent().map(Path::to_path_buf).unwrap_or_default();
        match self.by_folder.entry(folder) {
            Entry::Occupied(mut e) => {
                if !e.get().fresh() {
                    self.loads += 1;
                    e.insert(Cached::load(doc));
                }
                &e.into_mut().project
            }
            Entry::Vacant(v) => {
                self.loads += 1;
                &v.insert(Cached::load(doc)).project
            }
        }
    }

    /// Forgets what a change to the `dsd.toml` at `file` (written, created or
    /// deleted) may change: the projects of the folders at and below its own
    /// (it may now be their nearest), and any project read from it.
    pub fn changed(&mut self, file: &Path) {
        let canonical = std::fs::canonicalize(file).ok();
        let Some(dir) = file.parent() else {
            self.by_folder.clear();
            return;
        };
        self.by_folder.retain(|folder, c| {
            let read_it = c
                .file
                .as_ref()
                .is_some_and(|(p, _)| p == file || Some(p) == canonical.as_ref());
            !folder.starts_with(dir) && !read_it
        });
    }

    /// Forgets every project.
    pub fn clear(&mut self) {
        self.by_folder.clear();
    }
}

/// Whether `path` is a project file (`dsd.toml`).
pub fn is_project_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n == crate::config::FILE_NAME)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_looked_up_once_until_its_project_file_changes() {
        let dir = std::env::temp_dir().join(format!("dsd-projects-{}", std::process::id()));
        let sub = dir.join("sub");
        let _ = std::fs::remove_dir_all(&dir);
        if let Err(e) = std::fs::create_dir_all(&sub) {
            unreachable!("{e}");
        }
        let toml = dir.join("dsd.toml");
        let write = |text: &str| {
            if let Err(e) = std::fs::write(&toml, text) {
                unreachable!("{e}");
            }
        };
        write("[rules]\nmissing-dlq = \"allow\"\n");
        let mut p = Projects::default();
        let (a, b, c) = (dir.join("a.dsd"), dir.join("b.dsd"), sub.join("c.dsd"));
        assert!(p.of(&a).config.rules.contains_key("missing-dlq"));
        p.of(&b);
        p.of(&a);
        assert_eq!(p.loads, 1, "one folder, one look-up");
        assert!(p.of(&c).config.rules.contains_key("missing-dlq"));
        assert_eq!(p.loads, 2, "a folder below has its own entry");
        // Another length: seen without being told.
        write("[rules]\n");
        assert!(p.of(&a).config.rules.is_empty());
        assert!(p.of(&c).config.rules.is_empty());
        assert_eq!(p.loads, 4);
        // A project file created nearer `c`: only a reported change shows it.
        if let Err(e) = std::fs::write(sub.join("dsd.toml"), "[rules]\nsmall-files = \"allow\"\n") {
            unreachable!("{e}");
        }
        assert!(!p.of(&c).config.rules.contains_key("small-files"));
        p.changed(&sub.join("dsd.toml"));
        assert!(p.of(&c).config.rules.contains_key("small-files"));
        p.of(&a);
        assert_eq!(p.loads, 5, "the folder above kept its project");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

//! Source files held in memory: ids, text and a byte-offset → line/column index.
//!
//! The compiler core never touches the filesystem; `main.rs` (and later the
//! language server) read files and hand their text here.

use std::fmt;

/// A byte range inside one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }
    /// The smallest span that covers both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// The characters that reorder text on display (Unicode's bidirectional
/// embeddings, overrides, isolates and marks): never printed raw, never in a name.
/// Text from a file or a path (which a pull request controls) as it may appear
/// in one line of output: control characters, line ends included, are written
/// as escapes. A file named `x\n::error::forged` or a `dsd.toml` key with a line
/// end in it would otherwise start a line the GitHub runner reads as a workflow
/// command (it reads standard error too) or a terminal runs as an escape.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || is_bidi_control(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A path as one line of output, with `/` separators.
pub fn one_line_path(p: &std::path::Path) -> String {
    one_line(&p.to_string_lossy().replace('\\', "/"))
}

pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// The bytes of a source file, read so that no file can make dsd hang or grow
/// without bound: a path that is not a regular file (a FIFO, which blocks on
/// open; a device such as `/dev/zero`, which never ends; a folder) is refused
/// from its metadata, and at most one byte more than
/// [`crate::syntax::MAX_FILE_BYTES`] is read, so a larger file is reported as
/// too large without being read whole.
pub fn read_source(path: &std::path::Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("it is not a regular file (a folder, FIFO or device)".into());
    }
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let limit = crate::syntax::MAX_FILE_BYTES as u64 + 1;
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
    file.take(limit)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    Ok(bytes)
}

/// Where each line of `text` starts. A line ends at `\n`, `\r\n` or a lone `\r`,
/// as in the grammar (`NL`) and the LSP specification; every pass that counts
/// lines (diagnostics, the language server, the nesting pre-scan, the formatter)
/// uses these ends.
pub fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let bytes = text.as_bytes();
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        // A `\r` right before a `\n` is one end with it: the `\n` pushes.
        if bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) == Some(&b'\n') {
            continue;
        }
        starts.push(i + 1);
    }
    starts
}

/// The lines of `text` without their ends (`\n`, `\r\n` or a lone `\r`); like
/// `str::lines`, which does not end a line at a lone `\r`.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let starts = line_starts(text);
    let last = starts.len().saturating_sub(1);
    starts
        .into_iter()
        .enumerate()
        .filter_map(move |(k, start)| {
            let end = line_end(text, start);
            // A final line end opens no line of its own.
            (k < last || start < text.len()).then(|| text.get(start..end).unwrap_or(""))
        })
}

/// The end of the line holding byte `from`: the first `\n` or `\r` at or after
/// it, else the end of the text.
pub fn line_end(text: &str, from: usize) -> usize {
    text.get(from..)
        .and_then(|t| t.find(['\n', '\r']))
        .map(|e| from + e)
        .unwrap_or(text.len())
}

/// One source file: its display name, its text and where its lines start.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    /// Shared, not copied, by every compilation that holds the file: the
    /// standard library's files are one allocation per process.
    pub text: std::sync::Arc<str>,
    line_starts: std::sync::Arc<[usize]>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let text: String = text.into();
        let line_starts = line_starts(&text);
        SourceFile {
            name: name.into(),
            text: text.into(),
            line_starts: line_starts.into(),
        }
    }

    /// A file whose text is already shared (a parsed import kept for other
    /// compilations): the text is not copied.
    pub fn shared(name: impl Into<String>, text: std::sync::Arc<str>) -> SourceFile {
        let line_starts = line_starts(&text).into();
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset; offsets past the
    /// end clamp to the end.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let offset = (offset as usize).min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (line + 1, col + 1)
    }

    /// The 0-based line holding a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset.min(self.text.len())) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Where 0-based line `line` starts (the end of the text past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The text of a span, or "" when the span does not fall on char boundaries.
    pub fn slice(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }
}

/// All files of one compilation. The first file is the one the user named.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(u32::try_from(self.files.len() - 1).unwrap_or(u32::MAX))
    }
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }
    pub fn find(&self, name: &str) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.name == name)
            .and_then(|i| u32::try_from(i).ok())
            .map(FileId)
    }
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(u32::try_from(i).unwrap_or(u32::MAX)), f))
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_handles_crlf_and_unicode() {
        let f = SourceFile::new("a", "ab\r\nनमस्ते x\ny");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(4), (2, 1));
        let x = f.text.find('x').unwrap_or(0) as u32;
        assert_eq!(f.line_col(x), (2, 8));
        assert_eq!(f.line_col(10_000), (3, 2));
    }

    #[test]
    fn line_starts_end_lines_at_lf_crlf_and_a_lone_cr() {
        assert_eq!(line_starts(""), vec![0]);
        assert_eq!(line_starts("a\nb"), vec![0, 2]);
        assert_eq!(line_starts("a\r\nb"), vec![0, 3]);
        assert_eq!(line_starts("a\rb"), vec![0, 2]);
        // `\r\r\n`: a lone `\r`, then a `\r\n`; `\n\r`: two ends.
        assert_eq!(line_starts("\r\r\n\n\r"), vec![0, 1, 3, 4, 5]);
        assert_eq!(line_starts("x\r"), vec![0, 2]);
        let lines: Vec<&str> = lines("a\r\nb\rc\n").collect();
        assert_eq!(lines, ["a", "b", "c"]);
    }
}

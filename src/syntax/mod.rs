//! Parsing: the only module that uses pest. Text in, a syntax tree and syntax
//! errors out; parsing never fails as a whole.

mod lower;
mod messages;

use crate::ast;
use crate::source::Span;
use pest::Parser as _;

#[derive(pest_derive::Parser)]
#[grammar = "grammar/dsd.pest"]
pub(crate) struct DsdParser;

/// The deepest bracket nesting accepted; deeper input is refused before pest runs
/// so that no input can exhaust the stack.
pub const MAX_NESTING: usize = 64;
/// The longest name, in bytes, and the longest number literal, in characters.
pub const MAX_NAME_BYTES: usize = 128;
pub const MAX_NUMBER_CHARS: usize = 64;
/// The largest source file read, in bytes.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// pest's limit on rule calls per parse. Real designs take 4 to 9 calls per byte
/// (measured on the examples and generated designs); the limit allows 64 per byte
/// of the largest file accepted, about ten seconds of parsing at worst. The
/// setting is process-wide, so it is one constant rather than one per input.
const CALL_LIMIT: usize = 64 * MAX_FILE_BYTES;

/// A problem found while reading the text.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub code: &'static str,
    pub span: Span,
    pub message: String,
    pub label: String,
    pub help: String,
}

/// Parses one file. Always returns a tree (possibly empty) and every error found.
pub fn parse(text: &str) -> (ast::File, Vec<SyntaxError>) {
    parse_with(text, PIECES_FROM, PIECE_BYTES)
}

/// The syntax tree of `text` as debug text without its spans: what the text
/// says, not where. The formatter's tests and fuzz target compare it before and
/// after formatting.
#[doc(hidden)]
pub fn meaning(text: &str) -> String {
    let (tree, _) = parse(text);
    let debug = format!("{tree:?}");
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug.as_str();
    while let Some(at) = rest.find("Span {") {
        out.push_str(rest.get(..at).unwrap_or(""));
        let after = rest.get(at..).unwrap_or("");
        let end = after.find('}').map_or(after.len(), |e| e + 1);
        rest = after.get(end..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// `parse` with every file read in pieces, as small as they can be: the same
/// result as `parse`, or a bug (the parse fuzz target compares the two).
#[doc(hidden)]
pub fn parse_in_smallest_pieces(text: &str) -> (ast::File, Vec<SyntaxError>) {
    parse_with(text, 0, 1)
}

/// `parse`, reading files of `pieces_from` bytes or more in pieces of about
/// `piece` bytes (the tests force pieces on small files).
fn parse_with(text: &str, pieces_from: usize, piece: usize) -> (ast::File, Vec<SyntaxError>) {
    if text.len() > MAX_FILE_BYTES {
        return (
            ast::File::default(),
            vec![SyntaxError {
                code: "file-too-large",
                span: Span::new(0, 0),
                message: format!("this file is over {MAX_FILE_BYTES} bytes, the most dsd reads"),
                label: "file starts here".into(),
                help: "move schemas, tools, roles and lets into files the design imports".into(),
            }],
        );
    }
    if let Some(err) = check_nesting(text) {
        return (ast::File::default(), vec![err]);
    }
    // Bound the work pest may do on pathological input (see PITFALLS.md).
    pest::set_call_limit(std::num::NonZeroUsize::new(CALL_LIMIT));
    let comments = scan_comments(text);
    let blanked = blank(text, &comments);
    let text = blanked.as_ref();
    if text.len() >= pieces_from
        && let Some(items) = parse_in_pieces(text, piece)
    {
        return (ast::File { items, comments }, Vec::new());
    }
    parse_whole(text, comments)
}

/// The grammar has no comments: they become spaces of the same length, so every
/// offset stays where it was (and the text stays UTF-8).
fn blank<'t>(text: &'t str, comments: &[ast::Comment]) -> std::borrow::Cow<'t, str> {
    if comments.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for c in comments {
        // To the end of the line: what follows a comment's text is white space
        // of any kind, and the grammar knows only spaces and tabs.
        let start = c.span.start as usize;
        let end = text
            .get(start..)
            .and_then(|rest| rest.find(['\n', '\r']))
            .map_or(text.len(), |n| start + n);
        if let Some(range) = bytes.get_mut(start..end) {
            range.fill(b' ');
        }
    }
    std::borrow::Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| text.to_string()))
}

/// Files at least this large have their design's body read in pieces, on as
/// many threads as the machine has (up to [`MAX_THREADS`]).
const PIECES_FROM: usize = 64 * 1024;
/// The size a piece grows to before it is cut at the next statement.
const PIECE_BYTES: usize = 32 * 1024;
const MAX_THREADS: usize = 8;

fn parse_whole(text: &str, comments: Vec<ast::Comment>) -> (ast::File, Vec<SyntaxError>) {
    match DsdParser::parse(Rule::file, text) {
        Ok(mut pairs) => {
            let mut lowerer = lower::Lowerer::new(text);
            let items = match pairs.next() {
                Some(file) => lowerer.file(file),
                None => Vec::new(),
            };
            (ast::File { items, comments }, lowerer.errors)
        }
        Err(e) => (
            ast::File {
                items: Vec::new(),
                comments,
            },
            vec![messages::from_pest(&e, text, "file")],
        ),
    }
}

/// Where a large file's first design is, and where its body may be cut.
#[derive(Debug, PartialEq)]
struct Plan {
    /// The start of the `design` line, its `{` and the matching `}`.
    design: usize,
    open: usize,
    close: usize,
    /// Offsets of body lines, each starting a statement at the body's top level.
    cuts: Vec<usize>,
}

impl Plan {
    /// Where the header's `design` keyword starts (a whole read starts the
    /// design there, after any indentation or byte order mark).
    fn header(&self, text: &str) -> Option<usize> {
        let lead = text
            .get(self.design..self.open)?
            .find(|c: char| !matches!(c, ' ' | '\t' | '\u{feff}'))?;
        Some(self.design + lead)
    }

    /// The body's pieces, `(from, to)`, in order.
    fn pieces(&self) -> Vec<(usize, usize)> {
        let mut bounds = vec![self.open + 1];
        bounds.extend(&self.cuts);
        bounds.push(self.close);
        bounds
            .windows(2)
            .filter_map(|w| Some((*w.first()?, *w.get(1)?)))
            .collect()
    }
}

/// Scans `text` (comments already blanked) for its first `design NAME ... {`
/// whose `{` ends its line, and the lines in its body where a statement starts
/// at depth one, at least `piece` bytes apart. `None` if there is no such design
/// or its braces do not balance.
fn plan(text: &str, piece: usize) -> Option<Plan> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut line_start = 0usize;
    let mut found: Option<(usize, usize)> = None; // (design line start, `{`)
    let mut cuts = Vec::new();
    let mut last_cut = 0usize;
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' || b == b'\n' || b == b'\r' {
                in_string = false;
            }
            if b != b'\n' && b != b'\r' {
                i += 1;
                continue;
            }
        }
        match b {
            b'"' => in_string = true,
            b'{' => {
                if depth == 0 && found.is_none() && is_design_header(text, line_start, i) {
                    found = Some((line_start, i));
                    last_cut = i;
                }
                depth += 1;
            }
            b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0
                    && let Some((design, open)) = found
                {
                    return Some(Plan {
                        design,
                        open,
                        close: i,
                        cuts,
                    });
                }
            }
            b'\n' | b'\r' => {
                if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                line_start = i + 1;
                if found.is_some()
                    && depth == 1
                    && line_start - last_cut >= piece
                    && starts_statement(text, line_start)
                {
                    cuts.push(line_start);
                    last_cut = line_start;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Whether `text[line..open]` is `design NAME ...` and nothing but spaces follow
/// the `{` on its line.
fn is_design_header(text: &str, line: usize, open: usize) -> bool {
    let head = text
        .get(line..open)
        .unwrap_or("")
        .trim_start_matches([' ', '\t']);
    let tail = text.get(open + 1..).unwrap_or("");
    let rest_of_line = tail.split(['\n', '\r']).next().unwrap_or("");
    head.strip_prefix("design")
        .is_some_and(|r| r.starts_with([' ', '\t']))
        && rest_of_line.trim_matches([' ', '\t']).is_empty()
}

/// Whether the line at `at` starts with a design statement's keyword.
fn starts_statement(text: &str, at: usize) -> bool {
    let line = text.get(at..).unwrap_or("").trim_start_matches([' ', '\t']);
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(line.len());
    // A non-ASCII letter after the word would make it a longer name.
    let next_ok = line
        .get(end..)
        .and_then(|r| r.chars().next())
        .is_none_or(|c| c.is_ascii());
    next_ok && ast::keys::DESIGN_STATEMENTS.contains(&line.get(..end).unwrap_or(""))
}

/// Parses `text[from..to]` with `rule` and lowers it with offsets into `text`.
fn lower_slice<T>(
    text: &str,
    from: usize,
    to: usize,
    rule: Rule,
    f: impl FnOnce(&mut lower::Lowerer<'_>, pest::iterators::Pair<'_, Rule>) -> T,
) -> Option<(T, Vec<SyntaxError>)> {
    let slice = text.get(from..to)?;
    let pair = DsdParser::parse(rule, slice).ok()?.next()?;
    let mut lowerer = lower::Lowerer::at(text, from);
    let out = f(&mut lowerer, pair);
    Some((out, lowerer.errors))
}

/// Runs `f` over the pieces, split into one run of consecutive pieces per
/// thread (up to [`MAX_THREADS`]); the results in order.
fn on_threads<T: Send>(
    pieces: &[(usize, usize)],
    f: impl Fn(&[(usize, usize)]) -> Option<T> + Sync,
) -> Vec<Option<T>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_THREADS)
        .min(pieces.len().max(1));
    let per = pieces.len().div_ceil(threads);
    let groups: Vec<&[(usize, usize)]> = pieces.chunks(per.max(1)).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = groups
            .iter()
            .skip(1)
            .map(|g| std::thread::Builder::new().spawn_scoped(scope, || f(g)))
            .collect();
        let mut out = vec![groups.first().and_then(|g| f(g))];
        for h in handles {
            out.push(match h {
                Ok(h) => h.join().ok().flatten(),
                Err(_) => None,
            });
        }
        out
    })
}

/// Whether the grammar reads every line of `text`: no line it cannot read, no
/// block left open, within the limits. This is what the formatter needs before
/// it may lay a file out (a misspelt property or a field without a type does
/// not stop it), and it is cheaper than `parse`: nothing is lowered.
pub fn grammar_accepts(text: &str) -> bool {
    grammar_accepts_with(text, PIECES_FROM, PIECE_BYTES)
}

fn grammar_accepts_with(text: &str, pieces_from: usize, piece: usize) -> bool {
    if text.len() > MAX_FILE_BYTES || check_nesting(text).is_some() {
        return false;
    }
    pest::set_call_limit(std::num::NonZeroUsize::new(CALL_LIMIT));
    let blanked = blank(text, &scan_comments(text));
    let text = blanked.as_ref();
    // How many `unclosed` pairs a slice holds, or `None` if it has a junk line
    // or does not parse.
    let unclosed = |from: usize, to: usize, rule: Rule| -> Option<usize> {
        let pairs = DsdParser::parse(rule, text.get(from..to)?).ok()?;
        let mut open = 0;
        for p in pairs.flatten() {
            match p.as_rule() {
                Rule::junk | Rule::junk_block | Rule::block_junk | Rule::block_junk_any => {
                    return None;
                }
                Rule::unclosed => open += 1,
                _ => {}
            }
        }
        Some(open)
    };
    let Some(plan) = (text.len() >= pieces_from)
        .then(|| plan(text, piece))
        .flatten()
    else {
        return unclosed(0, text.len(), Rule::file) == Some(0);
    };
    let Some(header) = plan.header(text) else {
        return false;
    };
    // Read alone, the header's `{` is never closed, and only that.
    if unclosed(0, plan.design, Rule::file) != Some(0)
        || unclosed(header, plan.open + 1, Rule::design) != Some(1)
        || unclosed(plan.close + 1, text.len(), Rule::file) != Some(0)
    {
        return false;
    }
    let pieces = plan.pieces();
    on_threads(&pieces, |group| {
        group
            .iter()
            .all(|&(from, to)| unclosed(from, to, Rule::body_piece) == Some(0))
            .then_some(())
    })
    .iter()
    .all(Option::is_some)
}

/// Where the free text of a failure block line ends: `line` starts at its
/// keyword (`cause broker's disk fills; …`) and holds no line end. The byte
/// range of the text in `line`, as the grammar reads it, or `None` when the
/// line has none (its value is quoted, or `recover within 30 min`). The
/// formatter keeps that range as written.
pub fn free_text(line: &str) -> Option<(usize, usize)> {
    pest::set_call_limit(std::num::NonZeroUsize::new(CALL_LIMIT));
    let rule = if line.starts_with("recover") {
        Rule::recover_line
    } else {
        Rule::text_line
    };
    let pair = DsdParser::parse(rule, line).ok()?.next()?;
    let text = pair
        .into_inner()
        .find(|p| matches!(p.as_rule(), Rule::text_words | Rule::recover_words))?;
    Some((text.as_span().start(), text.as_span().end()))
}

/// Reads a large file's first design body in pieces on several threads, and
/// what comes before and after it whole. Returns `None`, so that the caller reads
/// the file whole, unless every piece reads without a single error: a file with
/// errors gets exactly the diagnostics of a whole read.
fn parse_in_pieces(text: &str, piece: usize) -> Option<Vec<ast::Item>> {
    let plan = plan(text, piece)?;
    let clean = |r: Option<(Vec<ast::Item>, Vec<SyntaxError>)>| r.filter(|(_, e)| e.is_empty());
    let (mut items, _) = clean(lower_slice(text, 0, plan.design, Rule::file, |l, p| {
        l.file(p)
    }))?;
    let header = plan.header(text)?;
    let (mut design, header_errors) =
        lower_slice(text, header, plan.open + 1, Rule::design, |l, p| {
            l.design(p)
        })?;
    // Read alone, the header's `{` is never closed; any other error in it (a name
    // too long, say) sends the file to a whole read.
    let expected_close = header_errors.len() == 1
        && header_errors
            .first()
            .is_some_and(|e| e.message.contains("is never closed"));
    if !expected_close {
        return None;
    }
    let (after, _) = clean(lower_slice(
        text,
        plan.close + 1,
        text.len(),
        Rule::file,
        |l, p| l.file(p),
    ))?;

    let pieces = plan.pieces();
    let read = |group: &[(usize, usize)]| -> Option<Vec<ast::Stmt>> {
        let mut stmts = Vec::new();
        for &(from, to) in group {
            let (s, errors) =
                lower_slice(text, from, to, Rule::body_piece, |l, p| l.design_body(p))?;
            if !errors.is_empty() {
                return None;
            }
            stmts.extend(s);
        }
        Some(stmts)
    };
    let results = on_threads(&pieces, read);
    let results: Vec<Vec<ast::Stmt>> = results.into_iter().collect::<Option<_>>()?;
    let mut stmts = Vec::with_capacity(results.iter().map(Vec::len).sum());
    for r in results {
        stmts.extend(r);
    }
    design.stmts = stmts;
    design.span = Span::new(header, plan.close + 1);
    items.push(ast::Item::Design(design));
    items.extend(after);
    Some(items)
}

/// A table of the bytes a scan stops at: the scans below skip every other
/// byte with one load and test, not a comparison per byte they look for.
const fn byte_set(stops: &[u8]) -> [bool; 256] {
    let mut set = [false; 256];
    let mut i = 0;
    while i < stops.len() {
        set[stops[i] as usize] = true;
        i += 1;
    }
    set
}

/// Outside strings, the bytes that open a string, may start a comment, or are
/// brackets.
static OUTSIDE_STRING: [bool; 256] = byte_set(b"\"/([{)]}");
/// In a string, the bytes that escape, end it, or end its line.
static IN_STRING: [bool; 256] = byte_set(b"\\\"\n\r");

/// How far from `at` the next byte of `set` is (the end of `bytes` if none).
fn skip_to(bytes: &[u8], at: usize, set: &[bool; 256]) -> usize {
    let rest = bytes.get(at..).unwrap_or(&[]);
    at + rest
        .iter()
        .position(|&b| set[b as usize])
        .unwrap_or(rest.len())
}

/// Finds the first place where brackets nest deeper than [`MAX_NESTING`], skipping
/// strings and comments.
fn check_nesting(text: &str) -> Option<SyntaxError> {
    // Bytes, not characters: every byte this looks for is ASCII, and no byte
    // of a multi-byte character is.
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    loop {
        i = skip_to(bytes, i, &OUTSIDE_STRING);
        // The end of the text: nothing nested too deep.
        let &b = bytes.get(i)?;
        match b {
            b'"' => {
                // A string ends at its quote or its line's end, as in the
                // grammar; a backslash escapes the byte after it.
                i += 1;
                loop {
                    i = skip_to(bytes, i, &IN_STRING);
                    match bytes.get(i) {
                        Some(b'\\') => i += 2,
                        Some(_) => break,
                        None => return None,
                    }
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                // A comment: on to the end of its line.
                let rest = bytes.get(i..).unwrap_or(&[]);
                i += memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
                continue;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(SyntaxError {
                        code: "nesting-too-deep",
                        span: Span::new(i, i + 1),
                        message: format!("brackets are nested more than {MAX_NESTING} deep"),
                        label: "too deep here".into(),
                        help: "close the brackets you opened, or flatten the expression with `let`"
                            .into(),
                    });
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
}

/// Collects `// ...` comments outside strings, in order.
fn scan_comments(text: &str) -> Vec<ast::Comment> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(0);
        if in_string {
            match b {
                b'\\' => i += 1,
                // A string ends at its quote or its line's end, as in the grammar.
                b'"' | b'\n' | b'\r' => in_string = false,
                _ => {
                    i = skip_to(bytes, i, &IN_STRING);
                    continue;
                }
            }
        } else if b != b'"' && b != b'/' {
            // Outside strings only `"` and `/` matter: on to the next.
            let rest = bytes.get(i..).unwrap_or(&[]);
            i += memchr::memchr2(b'"', b'/', rest).unwrap_or(rest.len());
            continue;
        } else if b == b'"' {
            in_string = true;
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            let end = text
                .get(i..)
                .and_then(|rest| rest.find(['\n', '\r']))
                .map(|n| i + n)
                .unwrap_or(text.len());
            // White space after a comment is not part of it (the formatter drops
            // it); `blank` still blanks the comment to the end of its line.
            let body = text.get(i..end).unwrap_or("").trim_end();
            out.push(ast::Comment {
                text: body.to_string(),
                span: Span::new(i, i + body.len()),
            });
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brackets in strings and comments do not count; a string ends at its
    /// quote (not an escaped one) or its line's end; the span is the bracket.
    #[test]
    fn nesting_counts_brackets_outside_strings_and_comments() {
        let deep = "(".repeat(MAX_NESTING + 1);
        let at = |t: &str| check_nesting(t).map(|e| (e.span.start, e.span.end));
        let n = MAX_NESTING as u32;
        assert_eq!(at(&deep), Some((n, n + 1)));
        assert_eq!(at(&format!("\"{deep}\"")), None);
        assert_eq!(at(&format!("// {deep}\nx")), None);
        assert!(at(&format!("a / {deep}")).is_some());
        assert_eq!(at(&format!("\"\\\" {deep}\"")), None);
        assert!(at(&format!("\"open\n{deep}")).is_some());
        assert!(at(&format!("\"é\\é\" // ( \r{deep}")).is_some());
        let close = "()".repeat(1000);
        assert_eq!(at(&close), None);
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let text = format!("let x = {}1{}", "(".repeat(5000), ")".repeat(5000));
        let (_, errs) = parse(&text);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs.first().map(|e| e.code), Some("nesting-too-deep"));
    }

    /// The grammar's keyword rules are spelt out letter by letter for speed; they
    /// must still be exactly the words `ast::keys` lists.
    #[test]
    fn keyword_rules_match_the_keyword_lists() {
        use crate::ast::keys;
        let whole = |rule: Rule, word: &str| {
            DsdParser::parse(rule, word)
                .ok()
                .and_then(|mut p| p.next())
                .is_some_and(|p| p.as_str() == word)
        };
        let mut starters: Vec<&str> = keys::TOP_STATEMENTS.to_vec();
        starters.extend(keys::DESIGN_STATEMENTS);
        for w in &starters {
            assert!(whole(Rule::stmt_kw, w), "stmt_kw misses `{w}`");
            assert!(
                !whole(Rule::stmt_kw, &format!("{w}x")),
                "stmt_kw takes `{w}x`"
            );
        }
        for w in keys::CONTINUATIONS {
            assert!(whole(Rule::cont_kw, w), "cont_kw misses `{w}`");
        }
        // Nothing else: every word both rules accept is listed.
        for w in [
            "a",
            "b",
            "dashboard",
            "node_x",
            "sources",
            "reads",
            "viaduct",
            "tools",
        ] {
            assert!(!whole(Rule::stmt_kw, w), "stmt_kw takes `{w}`");
            assert!(!whole(Rule::cont_kw, w), "cont_kw takes `{w}`");
        }
    }

    /// Every design in the repo, read in pieces as small as they can be (a cut
    /// before every statement), gives the same tree and the same errors as a
    /// whole read; and the clean ones really are read in pieces.
    #[test]
    fn reading_in_pieces_gives_the_same_tree_and_errors() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut files = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(root).join("examples")];
        dirs.push(std::path::PathBuf::from(root).join("tests"));
        dirs.push(std::path::PathBuf::from(root).join("templates"));
        dirs.push(std::path::PathBuf::from(root).join("fuzz/regressions"));
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "dsd") {
                    files.push(p);
                }
            }
        }
        files.sort();
        let long = format!("design {} {{\n  source a : service\n}}\n", "d".repeat(200));
        let mut texts: Vec<(String, String)> = vec![("long design name".into(), long)];
        for f in &files {
            if let Ok(text) = std::fs::read_to_string(f) {
                texts.push((f.display().to_string(), text));
            }
        }
        let mut in_pieces = 0;
        for (name, text) in &texts {
            if check_nesting(text).is_some() {
                continue; // refused before pest runs, either way
            }
            let whole = parse_with(text, usize::MAX, 1);
            let pieces = parse_with(text, 0, 1);
            assert_eq!(pieces, whole, "{name}");
            assert_eq!(
                grammar_accepts_with(text, 0, 1),
                grammar_accepts_with(text, usize::MAX, 1),
                "{name}: the grammar check differs in pieces"
            );
            let blanked = blank(text, &scan_comments(text));
            if whole.1.is_empty() && parse_in_pieces(&blanked, 1).is_some() {
                in_pieces += 1;
            }
        }
        assert!(in_pieces > 40, "only {in_pieces} files were read in pieces");
        let long = &texts.first().map(|t| t.1.clone()).unwrap_or_default();
        assert!(
            parse_with(long, 0, 1)
                .1
                .iter()
                .any(|e| e.code == "name-too-long")
        );
    }

    #[test]
    fn a_plan_cuts_only_between_top_level_statements() {
        let text = "noun x\ndesign d {\n  node a : b { x 1 }\n  flow a -> b\n    carries X v1\n  source c : d {\n    emits X v1\n  }\n}\nnoun y\n";
        let planned = plan(text, 1);
        let starts: Vec<&str> = planned
            .as_ref()
            .map(|p| {
                p.cuts
                    .iter()
                    .map(|&c| text[c..].trim_start().split(' ').next().unwrap_or(""))
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(starts, ["node", "flow", "source"]);
        assert!(
            plan("design d {\n  node a : b {\n}\n", 1).is_none(),
            "unbalanced braces"
        );
    }

    /// The formatter's check: lines the grammar cannot read or an open block
    /// refuse; a misspelt property does not. In pieces and whole alike.
    #[test]
    fn the_grammar_check_refuses_only_unreadable_lines() {
        let ok = "design d {\n  node a : service { partitons 3 }\n  flow a -> a stream\n}\n";
        let junk = "design d {\n  node a : service\n  this is ? not a statement\n}\n";
        let open = "design d {\n  node a : service {\n  flow a -> a stream\n}\n";
        for (from, piece) in [(usize::MAX, 1), (0, 1)] {
            assert!(grammar_accepts_with(ok, from, piece));
            assert!(!grammar_accepts_with(junk, from, piece));
            assert!(!grammar_accepts_with(open, from, piece));
        }
        assert!(
            !parse(ok).1.is_empty(),
            "the misspelt property is still an error"
        );
    }

    #[test]
    fn white_space_after_a_comment_is_not_part_of_it() {
        let (file, errs) = parse("noun a // note \u{b}\u{c}\u{a0}\nnoun b\n");
        assert!(errs.is_empty(), "{errs:?}");
        let texts: Vec<&str> = file.comments.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["// note"]);
    }

    #[test]
    fn comments_are_kept() {
        let (file, errs) = parse("// top\nnoun payment // trailing\n");
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(file.comments.len(), 2);
    }
}

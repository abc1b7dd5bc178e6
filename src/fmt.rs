//! The formatter: one canonical layout. Indentation by block depth (two spaces,
//! continuation lines four), whitespace inside a line collapsed, the columns of
//! consecutive similar lines aligned (property values, node roles, flow ends,
//! `let` equals signs, trailing comments), at most one blank line in a row and a
//! blank line after every multi-line block. Comments stay where they were. Only
//! whitespace changes, so the syntax tree is the same; a file the grammar cannot
//! read line by line is not touched.

use crate::syntax::{self, SyntaxError};
use std::borrow::Cow;

use crate::ast::keys::{CONTINUATIONS, DESIGN_STATEMENTS, TOP_STATEMENTS};

/// One source line, split into what it says and its comment.
struct Line<'a> {
    /// Tokens: words, numbers, punctuation runs and whole strings.
    tokens: Vec<&'a str>,
    comment: Option<String>,
    depth: usize,
    continuation: bool,
    /// The keyword that opened the block this line is in (or, for a line that
    /// opens a one-line block, its own first word).
    opener: &'a str,
}

/// Splits code from a `//` comment, outside strings.
fn split_comment(line: &str) -> (&str, Option<&str>) {
    let bytes = line.as_bytes();
    let mut in_string = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => {
                return (line.get(..i).unwrap_or(line), line.get(i..));
            }
            _ => {}
        }
        i += 1;
    }
    (line, None)
}

/// The tokens of a line so far, and where free text may start: in a failure
/// block (the line's own `failure NAME {` or one it is inside), at the start of
/// a statement (the line's, or after `{` or `;`).
struct Tokens<'a> {
    out: Vec<&'a str>,
    failure: bool,
    at_start: bool,
}

impl<'a> Tokens<'a> {
    fn push(&mut self, t: &'a str) {
        if t == "{" && self.out.first() == Some(&"failure") {
            self.failure = true;
        }
        if t == "}" {
            self.failure = false;
        }
        self.at_start = t == "{" || t.ends_with(';');
        self.out.push(t);
    }
}

/// Tokens: whitespace separates them, and comparison, arrow, `=`, `:` and braces
/// stand alone (`a<=1` is `a <= 1`); a string is one token with its spaces; a
/// clock (`02:00`) keeps its colon. The free text of a failure block (`cause
/// broker's disk: full`, `in_failure` when the line starts inside one) is one
/// token, as written, with the `;` that ends it.
fn tokens(code: &str, in_failure: bool) -> Vec<&str> {
    let mut toks = Tokens {
        out: Vec::new(),
        failure: in_failure,
        at_start: true,
    };
    let chars: Vec<(usize, char)> = code.char_indices().collect();
    let end_of = |k: usize| chars.get(k).map_or(code.len(), |&(b, _)| b);
    // Each token is a run of the line: where the current one started.
    let mut start: Option<usize> = None;
    fn flush<'a>(code: &'a str, start: &mut Option<usize>, upto: usize, toks: &mut Tokens<'a>) {
        if let Some(s) = start.take()
            && let Some(t) = code.get(s..upto)
        {
            toks.push(t);
        }
    }
    let mut i = 0;
    while let Some(&(at, c)) = chars.get(i) {
        let next = chars.get(i + 1).map(|&(_, n)| n);
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).map(|&(_, p)| p);
        if c == '"' {
            // A whole string, escapes included.
            start.get_or_insert(at);
            i += 1;
            let mut escaped = false;
            while let Some(&(_, d)) = chars.get(i) {
                i += 1;
                if escaped {
                    escaped = false;
                } else if d == '\\' {
                    escaped = true;
                } else if d == '"' {
                    break;
                }
            }
            continue;
        }
        if c.is_whitespace() {
            let began = start;
            let statement = toks.at_start;
            flush(code, &mut start, at, &mut toks);
            i += 1;
            // `cause`, `effect`, `degrade` or `recover` starting a statement of a
            // failure block: its text, as the grammar reads it, is one token.
            if let Some(key_at) = began
                && toks.failure
                && statement
                && code
                    .get(key_at..at)
                    .is_some_and(|k| crate::ast::keys::FAILURE_TEXT.contains(&k))
                && let Some(line) = code.get(key_at..)
                && let Some((from, to)) = syntax::free_text(line)
            {
                let to = key_at + to;
                let end = if code.get(to..).is_some_and(|r| r.starts_with(';')) {
                    to + 1
                } else {
                    to
                };
                if let Some(text) = code.get(key_at + from..end) {
                    toks.push(text);
                    i = chars.partition_point(|&(b, _)| b < end);
                }
            }
            continue;
        }
        // In a failure block `;` ends a statement even without a space after it,
        // so that the next one's free text is found.
        if c == ';' && toks.failure {
            start.get_or_insert(at);
            flush(code, &mut start, end_of(i + 1), &mut toks);
            i += 1;
            continue;
        }
        if let Some(n) = next
            && matches!((c, n), ('<' | '>' | '=' | '!', '=') | ('-', '>'))
        {
            flush(code, &mut start, at, &mut toks);
            if let Some(t) = code.get(at..end_of(i + 2)) {
                toks.push(t);
            }
            i += 2;
            continue;
        }
        let clock = c == ':'
            && prev.is_some_and(|p| p.is_ascii_digit())
            && next.is_some_and(|n| n.is_ascii_digit());
        if matches!(c, '<' | '>' | '=' | '{' | '}') || (c == ':' && !clock) {
            flush(code, &mut start, at, &mut toks);
            if let Some(t) = code.get(at..end_of(i + 1)) {
                toks.push(t);
            }
            i += 1;
            continue;
        }
        start.get_or_insert(at);
        i += 1;
    }
    flush(code, &mut start, code.len(), &mut toks);
    toks.out
}

/// The braces of a token outside the strings in it (a free text token may
/// hold a quoted `}`).
fn braces(t: &str) -> impl Iterator<Item = char> + '_ {
    let mut in_string = false;
    let mut escaped = false;
    t.chars().filter(move |&c| {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            return false;
        }
        if c == '"' {
            in_string = true;
        }
        matches!(c, '{' | '}')
    })
}

/// The property names of the block a keyword opens.
fn keys_of(opener: &str) -> &'static [&'static str] {
    match opener {
        "failure" => crate::ast::keys::FAILURE,
        "backfill" => crate::ast::keys::BACKFILL,
        "requirements" => crate::ast::keys::REQUIREMENTS,
        "role" => crate::ast::keys::ROLE,
        "tool" => crate::ast::keys::TOOL,
        _ => crate::ast::keys::NODE,
    }
}

/// The kind of a line, for alignment: lines of one kind in a row line up.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Property,
    Field,
    Node,
    Flow,
    Let,
    Group,
    Clause,
    Other,
}

fn kind(l: &Line, in_schema: bool) -> Kind {
    let first = l.tokens.first().copied().unwrap_or("");
    let second = l.tokens.get(1).copied().unwrap_or("");
    if l.tokens.is_empty() {
        return Kind::Other;
    }
    if l.continuation && (first == "because" || first == "accepting") {
        return Kind::Clause;
    }
    match first {
        "source" | "node" if l.tokens.get(2).copied() == Some(":") => Kind::Node,
        "flow"
            if l.tokens.iter().filter(|t| **t == "->").count() == 1
                && l.tokens.get(2).copied() == Some("->") =>
        {
            Kind::Flow
        }
        "let" | "path" if l.tokens.get(2).copied() == Some("=") => Kind::Let,
        "layer" | "zone" => Kind::Group,
        "failure" if l.tokens.get(2).copied() == Some("{") => Kind::Group,
        "}" | "{" => Kind::Other,
        _ if DESIGN_STATEMENTS.contains(&first) || TOP_STATEMENTS.contains(&first) => Kind::Other,
        _ if in_schema && crate::resolve::is_field_type(second) => Kind::Field,
        _ if l.depth > 0 && !first.contains('{') && !second.starts_with('{') => {
            // Several properties on one line are not aligned as one.
            let keys = keys_of(l.opener);
            if l.depth > 1
                && keys.contains(&first)
                && l.tokens.iter().skip(2).any(|t| keys.contains(t))
            {
                Kind::Other
            } else {
                Kind::Property
            }
        }
        _ => Kind::Other,
    }
}

/// Properties on one line are two spaces apart: inside a one-line block
/// `{ a 1  b 2 }`, or anywhere on a line of a block (`in_block`). In a schema,
/// fields too: `{ order_id string key  channel string  evolution backward }`.
/// `after` is how many cells of the line come before `tokens`.
fn join_inline<T: AsRef<str>>(tokens: &[T], in_block: bool, opener: &str, after: usize) -> String {
    let keys = keys_of(opener);
    let schema = (opener == "schema")
        .then(|| schema_gaps(tokens, after))
        .flatten();
    let mut out = String::new();
    let mut inside = in_block;
    for (i, t) in tokens.iter().enumerate() {
        let t = t.as_ref();
        if i > 0 {
            let prev = tokens.get(i - 1).map_or("", AsRef::as_ref);
            let wide = match &schema {
                Some(wide) => wide.get(i).copied().unwrap_or(false),
                None => {
                    inside && prev != "{" && t != "}" && keys.contains(&t) && !prev.ends_with(',')
                }
            } || (prev.ends_with(';') && t != "}");
            out.push_str(if wide { "  " } else { " " });
        }
        if t == "{" {
            inside = true;
        }
        if t == "}" {
            inside = in_block;
        }
        out.push_str(t);
    }
    out
}

/// Which tokens of a schema's line start a field or a property, for two spaces
/// before them (`ast::schema_item_starts`, as the grammar's lowering splits the
/// line): the inside of a one-line `schema NAME vN { … }`, or what follows the
/// name and type of a field line (`after` 2). `None` for other lines, which
/// keep the usual layout.
fn schema_gaps<T: AsRef<str>>(tokens: &[T], after: usize) -> Option<Vec<bool>> {
    use crate::ast::SchemaTok;
    let texts: Vec<&str> = tokens.iter().map(AsRef::as_ref).collect();
    let (from, to, lead) = match texts.iter().position(|t| *t == "{") {
        Some(open) if after == 0 => {
            let close = texts
                .iter()
                .rposition(|t| *t == "}")
                .filter(|c| *c > open)
                .unwrap_or(texts.len());
            (open + 1, close, 0)
        }
        None if after == 2 => (0, texts.len(), 2),
        _ => return None,
    };
    let mut wide = vec![false; texts.len()];
    // Items are cut at `;` too (the grammar's line ends there).
    let mut seg_from = from;
    while seg_from < to {
        let seg_to = texts
            .get(seg_from..to)
            .and_then(|seg| seg.iter().position(|t| t.ends_with(';')))
            .map_or(to, |k| seg_from + k + 1);
        let lead = if seg_from == from { lead } else { 0 };
        let mut toks = vec![SchemaTok::Word("_"), SchemaTok::Word("string")];
        toks.truncate(lead);
        for t in texts.get(seg_from..seg_to).unwrap_or(&[]) {
            let t = t.trim_end_matches(';');
            let first = t.chars().next();
            toks.push(
                if first.is_some_and(|c| c.is_ascii_digit())
                    || (t.starts_with('-') && t.chars().nth(1).is_some_and(|c| c.is_ascii_digit()))
                {
                    SchemaTok::Number
                } else if first.is_some_and(|c| c.is_alphabetic() || c == '_') {
                    SchemaTok::Word(t)
                } else {
                    SchemaTok::Other
                },
            );
        }
        let starts = crate::ast::schema_item_starts(&toks);
        // Within the properties (the last item, when it is one), each property.
        let props_from = starts.last().copied().filter(|k| {
            matches!(toks.get(*k), Some(SchemaTok::Word(w)) if crate::ast::keys::SCHEMA.contains(w))
        });
        // Token `k` of the item list is `texts[seg_from + k - lead]`; the first
        // of a segment needs no gap (it follows `{`, `;` or the field's cells).
        for (k, tok) in toks.iter().enumerate().skip(lead + 1) {
            let at = seg_from + (k - lead);
            let prev = texts.get(at - 1).copied().unwrap_or("");
            let property = props_from.is_some_and(|p| k > p)
                && matches!(tok, SchemaTok::Word(w) if crate::ast::keys::SCHEMA.contains(w))
                && !prev.ends_with(',')
                && !crate::ast::keys::LINKING_WORDS.contains(&prev);
            if (starts.contains(&k) || property)
                && let Some(slot) = wide.get_mut(at)
            {
                *slot = true;
            }
        }
        seg_from = seg_to;
    }
    Some(wide)
}

/// The text of a line with its first cells padded to `widths` (each the width
/// of the cell plus the space after it).
fn padded<T: AsRef<str>>(tokens: &[T], widths: &[usize], in_block: bool, opener: &str) -> String {
    let mut out = String::new();
    for (i, t) in tokens.iter().enumerate() {
        let t = t.as_ref();
        match widths.get(i) {
            Some(w) if i + 1 < tokens.len() => {
                out.push_str(t);
                let pad = w.saturating_sub(t.chars().count()).max(1);
                out.extend(std::iter::repeat_n(' ', pad));
            }
            _ => {
                out.push_str(&join_inline(
                    tokens.get(i..).unwrap_or(&[]),
                    in_block && i == 0,
                    opener,
                    i,
                ));
                return out;
            }
        }
    }
    out
}

/// How a kind of line is laid out: whether its keyword and name make one cell,
/// and, per aligned cell, how far past the widest cell in the run the next one
/// starts (1: one space; 2: two).
fn layout(k: Kind) -> (bool, &'static [usize]) {
    match k {
        Kind::Property => (false, &[2]),
        Kind::Clause => (false, &[1]),
        Kind::Field => (false, &[2, 2]),
        Kind::Node => (true, &[1, 0, 1]), // `node NAME` `:` `ROLE`
        Kind::Flow => (true, &[1, 0, 1]), // `flow A` `->` `B`
        Kind::Let | Kind::Group => (true, &[1]),
        Kind::Other => (false, &[]),
    }
}

/// A line's cells: tokens, with the keyword and name joined where the kind says.
fn cells<'a>(tokens: &[&'a str], merge: bool) -> Vec<Cow<'a, str>> {
    match (merge, tokens.split_first()) {
        (true, Some((first, rest))) if !rest.is_empty() => {
            let mut v = vec![Cow::Owned(format!(
                "{first} {}",
                rest.first().copied().unwrap_or("")
            ))];
            v.extend(rest.iter().skip(1).map(|t| Cow::Borrowed(*t)));
            v
        }
        _ => tokens.iter().map(|t| Cow::Borrowed(*t)).collect(),
    }
}

/// Formats a file; `Err` with the syntax errors when the grammar cannot read
/// every line of it (a line it does not understand, a block left open). Errors
/// found later, such as a misspelt property, do not stop it: only white space
/// changes, so the syntax tree stays what it was.
///
/// The layout needs only the lines, so it is worked out while another thread
/// checks that the grammar reads the file.
pub fn format(text: &str) -> Result<String, Vec<SyntaxError>> {
    let (accepted, formatted) = std::thread::scope(|scope| {
        let checked =
            std::thread::Builder::new().spawn_scoped(scope, || syntax::grammar_accepts(text));
        let formatted = format_lines(text);
        let accepted = match checked {
            Ok(handle) => handle.join().unwrap_or(false),
            // No thread to spare: check here.
            Err(_) => syntax::grammar_accepts(text),
        };
        (accepted, formatted)
    });
    if accepted {
        return Ok(formatted);
    }
    let (_, errors) = syntax::parse(text);
    if errors.is_empty() {
        // Not expected: every line the grammar cannot read is an error.
        Ok(formatted)
    } else {
        Err(errors)
    }
}

/// The formatted text of a file that parses.
fn format_lines(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Pass 1: tokens, comments, depth.
    let mut lines: Vec<Option<Line>> = Vec::new(); // None: a blank line
    // Open blocks, innermost last: whether each is a schema's, and its keyword.
    let mut stack: Vec<bool> = Vec::new();
    let mut opened_by: Vec<&str> = Vec::new();
    let mut in_schema_at: Vec<bool> = Vec::new();
    for raw in crate::source::lines(text) {
        let (code, comment) = split_comment(raw);
        let toks = tokens(code, opened_by.last().copied() == Some("failure"));
        let comment = comment.map(|c| c.trim_end().to_string());
        if toks.is_empty() && comment.is_none() {
            lines.push(None);
            in_schema_at.push(false);
            continue;
        }
        let depth = stack.len();
        let leading_close = toks.first().is_some_and(|t| t.starts_with('}'));
        let this_depth = if leading_close {
            depth.saturating_sub(1)
        } else {
            depth
        };
        // `because`, `carries`… continue a statement only between statements; in a
        // block (`latency` in requirements) they are properties.
        let continuation = depth <= 1 && toks.first().is_some_and(|t| CONTINUATIONS.contains(t));
        in_schema_at.push(stack.last().copied().unwrap_or(false));
        let schema_line = toks.first().copied() == Some("schema");
        let own = toks.first().copied().unwrap_or_default();
        let opener = if toks.contains(&"{") && !leading_close {
            own
        } else {
            opened_by.last().copied().unwrap_or_default()
        };
        for t in &toks {
            for c in braces(t) {
                match c {
                    '{' => {
                        stack.push(schema_line);
                        opened_by.push(own);
                    }
                    '}' => {
                        stack.pop();
                        opened_by.pop();
                    }
                    _ => {}
                }
            }
        }
        lines.push(Some(Line {
            tokens: toks,
            comment,
            depth: this_depth,
            continuation,
            opener,
        }));
    }
    // Pass 2: alignment runs of one kind at one depth.
    let kinds: Vec<Kind> = lines
        .iter()
        .zip(&in_schema_at)
        .map(|(l, s)| l.as_ref().map(|l| kind(l, *s)).unwrap_or(Kind::Other))
        .collect();
    let line_cells: Vec<Vec<Cow<str>>> = lines
        .iter()
        .zip(&kinds)
        .map(|(l, k)| {
            l.as_ref()
                .map(|l| cells(&l.tokens, layout(*k).0))
                .unwrap_or_default()
        })
        .collect();
    let mut widths: Vec<Vec<usize>> = vec![Vec::new(); lines.len()];
    let mut comment_col: Vec<usize> = vec![0; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        let (Some(Some(first)), Some(k)) = (lines.get(i), kinds.get(i).copied()) else {
            i += 1;
            continue;
        };
        if layout(k).1.is_empty() {
            i += 1;
            continue;
        }
        // The run: lines of this kind at this depth; a node's block opened inside
        // the run (its lines and its `}`) does not end it.
        let mut members = vec![i];
        let mut j = i + 1;
        while let (Some(Some(l)), Some(kj)) = (lines.get(j), kinds.get(j).copied()) {
            let nested = k == Kind::Node
                && (l.depth > first.depth
                    || (l.depth == first.depth
                        && l.tokens.len() == 1
                        && l.tokens.first().is_some_and(|t| *t == "}")));
            if kj == k && l.depth == first.depth && !l.tokens.is_empty() {
                members.push(j);
            } else if !nested {
                break;
            }
            j += 1;
        }
        let gaps = layout(k).1;
        if !gaps.is_empty() {
            let mut w: Vec<usize> = vec![0; gaps.len()];
            for cs in members.iter().filter_map(|m| line_cells.get(*m)) {
                for (c, slot) in w.iter_mut().enumerate() {
                    // A cell is only padded when more cells follow it.
                    if c + 1 < cs.len() {
                        let len = cs.get(c).map(|t| t.chars().count()).unwrap_or(0);
                        *slot = (*slot).max(len);
                    }
                }
            }
            // A lone line has nothing to line up with: one space.
            for (slot, gap) in w.iter_mut().zip(gaps) {
                *slot += if members.len() == 1 {
                    1.min(*gap)
                } else {
                    *gap
                };
            }
            for m in &members {
                if let Some(slot) = widths.get_mut(*m) {
                    slot.clone_from(&w);
                }
            }
        }
        i = members.last().map(|m| m + 1).unwrap_or(i + 1).max(i + 1);
    }
    // Trailing comments line up within a run of commented code lines.
    let rendered: Vec<Option<(String, usize)>> = lines
        .iter()
        .enumerate()
        .map(|(k, l)| {
            l.as_ref().map(|l| {
                let indent = l.depth * 2 + if l.continuation { 2 } else { 0 };
                let body = match line_cells.get(k) {
                    Some(cs) if !cs.is_empty() => padded(
                        cs,
                        widths.get(k).map(Vec::as_slice).unwrap_or(&[]),
                        l.depth > 1 && kinds.get(k) == Some(&Kind::Other),
                        l.opener,
                    ),
                    _ => String::new(),
                };
                (body, indent)
            })
        })
        .collect();
    let mut k = 0;
    while k < lines.len() {
        let commented = |x: usize| matches!((lines.get(x), rendered.get(x)), (Some(Some(l)), Some(Some((b, _)))) if l.comment.is_some() && !b.is_empty());
        if !commented(k) {
            k += 1;
            continue;
        }
        let mut j = k;
        let mut col = 0;
        while commented(j) {
            if let Some(Some((b, ind))) = rendered.get(j) {
                col = col.max(ind + b.chars().count());
            }
            j += 1;
        }
        for slot in comment_col.get_mut(k..j).unwrap_or(&mut []) {
            *slot = col + 2;
        }
        k = j;
    }
    // Pass 3: write, with blank lines normalised.
    let mut out = String::new();
    let mut blank_pending = false;
    let mut last_was_open = true;
    let mut prev_closed_block = false;
    // What opened each block still open: `node`/`source` blocks sit in a list
    // and get no blank line after them.
    let mut openers: Vec<&str> = Vec::new();
    for (k, (l, r)) in lines.iter().zip(&rendered).enumerate() {
        let (Some(l), Some((body, indent))) = (l, r) else {
            blank_pending = true;
            continue;
        };
        let opens_block = l.tokens.last().is_some_and(|t| t.ends_with('{'));
        let closes = l.tokens.first().is_some_and(|t| t.starts_with('}'));
        // One blank line between blocks; none just inside braces.
        let want_blank =
            !last_was_open && !closes && (blank_pending || (prev_closed_block && !l.continuation));
        if want_blank && !out.is_empty() {
            out.push('\n');
        }
        blank_pending = false;
        out.push_str(&" ".repeat(*indent));
        out.push_str(body);
        if let Some(c) = &l.comment {
            if body.is_empty() {
                out.push_str(c);
            } else {
                let col = comment_col.get(k).copied().unwrap_or(0);
                let have = indent + body.chars().count();
                out.push_str(&" ".repeat(col.saturating_sub(have).max(2)));
                out.push_str(c);
            }
        }
        out.push('\n');
        last_was_open = opens_block;
        let mut closed_opener = None;
        for t in &l.tokens {
            for c in braces(t) {
                match c {
                    '{' => openers.push(l.tokens.first().copied().unwrap_or_default()),
                    '}' => closed_opener = openers.pop(),
                    _ => {}
                }
            }
        }
        // A `}` alone closing a multi-line block (not a node's).
        prev_closed_block =
            closes && l.tokens.len() == 1 && !matches!(closed_opener, Some("node" | "source"));
    }
    out
}

//! Markdown that GitHub renders: user text made inert. Outside code spans the
//! punctuation that starts inline syntax (`\` `*` `_` `~` `[` `]` `!` `|` `$`
//! and an unpaired `` ` ``) is backslash-escaped, so no link, image, emphasis,
//! strikethrough, math or table cell can start; `<` and `&` become entities, so
//! no raw HTML, autolink or entity reaches the page (`>` is written `&gt;` too,
//! though alone it opens nothing); `@` and the `:` of `://` are followed by a
//! zero-width joiner, so no one is mentioned and no bare URL becomes a link.
//! Text between two backticks (how dsd's messages quote names) stays a code
//! span, in which nothing is markup, HTML or a mention. Every line end or other
//! control character becomes a space, so user text never starts a line, and so
//! never a heading, list, quote, table or fence: block syntax needs a line start,
//! which is why `#`, `-`, `+` and `=` are left as they are.

/// Whether `c` ends a line for some reader: CR, LF, VT, FF, NEL and the Unicode
/// line and paragraph separators. Every control character is treated alike.
fn breaks(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}

/// User text as inert inline Markdown, for running text (a list item, a
/// paragraph).
pub fn text(t: &str) -> String {
    inline(t, false)
}

/// User text as inert inline Markdown for a table cell: as `text`, and a `|`
/// inside a code span escaped too, since GitHub splits cells before it reads
/// code spans.
pub fn cell(t: &str) -> String {
    inline(t, true)
}

fn inline(t: &str, in_table: bool) -> String {
    let mut out = String::with_capacity(t.len() + t.len() / 4);
    let mut rest = t;
    while let Some(c) = rest.chars().next() {
        rest = rest.get(c.len_utf8()..).unwrap_or("");
        if c == '`'
            && let Some(close) = rest.find('`')
            && close > 0
        {
            // A code span of one backtick: its content holds none.
            let inner = rest.get(..close).unwrap_or("");
            rest = rest.get(close + 1..).unwrap_or("");
            out.push('`');
            for c in inner.chars() {
                match c {
                    '|' if in_table => out.push_str("\\|"),
                    c if breaks(c) => out.push(' '),
                    c => out.push(c),
                }
            }
            out.push('`');
            continue;
        }
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '@' => out.push_str("@\u{200D}"),
            ':' if rest.starts_with('/') => out.push_str(":\u{200D}"),
            '\\' | '`' | '*' | '_' | '~' | '[' | ']' | '!' | '|' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c if breaks(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// User text as an inline code span: a fence of one backtick more than the
/// longest run inside, padded with spaces when the text starts or ends with a
/// backtick, line ends as spaces. Nothing in a code span is markup, HTML or a
/// mention. Not for table cells (a `|` would still split the cell).
pub fn code(t: &str) -> String {
    let body: String = t.chars().map(|c| if breaks(c) { ' ' } else { c }).collect();
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = if body.starts_with('`') || body.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}

/// User text inside dsd's own HTML (the `<summary>` line of a `<details>`
/// block, where Markdown is not read): `<` `>` `&` `"` `'` as entities, a
/// zero-width joiner after `@` and in `://` as in `text`, line ends as spaces.
pub fn html(t: &str) -> String {
    let mut out = String::with_capacity(t.len() + t.len() / 4);
    let mut rest = t;
    while let Some(c) = rest.chars().next() {
        rest = rest.get(c.len_utf8()..).unwrap_or("");
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '@' => out.push_str("@\u{200D}"),
            ':' if rest.starts_with('/') => out.push_str(":\u{200D}"),
            c if breaks(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_outlast_every_backtick_run() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a``b"), "```a``b```");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("a\nb\rc"), "`a b c`");
    }

    #[test]
    fn text_is_inert() {
        assert_eq!(text("![x](y)"), "\\!\\[x\\](y)");
        assert_eq!(text("http://x"), "http:\u{200D}//x");
        assert_eq!(text("<b>&"), "&lt;b&gt;&amp;");
        assert_eq!(text("@octocat"), "@\u{200D}octocat");
        assert_eq!(text("a\\\r\n# b\u{2028}c"), "a\\\\  # b c");
        assert_eq!(text("`x<y|@z` and ` alone"), "`x<y|@z` and \\` alone");
        assert_eq!(cell("`a|b`|c"), "`a\\|b`\\|c");
        assert_eq!(text("``"), "\\`\\`");
    }

    #[test]
    fn html_is_inert() {
        assert_eq!(
            html("<b a=\"x\" b='y'>&@o http://x\n"),
            "&lt;b a=&quot;x&quot; b=&#39;y&#39;&gt;&amp;@\u{200D}o http:\u{200D}//x "
        );
    }
}

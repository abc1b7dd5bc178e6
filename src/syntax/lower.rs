//! Lowers pest's parse tree into `ast`, one function per construct, and turns the
//! grammar's catch-all lines into diagnostics.

use super::messages::{self, token_at};
use super::{DsdParser, Rule, SyntaxError};
use crate::ast::*;
use crate::source::Span;
use crate::suggest;
use pest::Parser as _;
use pest::iterators::Pair;

use crate::ast::keys::LINKING_WORDS;

pub struct Lowerer<'t> {
    text: &'t str,
    /// Where the parsed text starts in `text` (non-zero for a piece of a file).
    base: usize,
    pub errors: Vec<SyntaxError>,
}

/// The most operands one `+`/`-` or `*`/`/` chain may have.
pub const MAX_OPERANDS: usize = 256;

use crate::ast::keys::{DESIGN_STATEMENTS as DESIGN_KEYWORDS, TOP_STATEMENTS as TOP_KEYWORDS};

/// How each statement is written, for the help line of a malformed one.
fn usage(keyword: &str) -> Option<(Rule, &'static str)> {
    Some(match keyword {
        "design" => (Rule::design, "design NAME \"title\" { ... }"),
        "import" => (Rule::import_stmt, "import \"file.dsd\""),
        "role" => (Rule::role_decl, "role NAME \"title\" { can ... }"),
        "tool" => (
            Rule::tool_decl,
            "tool NAME \"title\" : ROLE { figure value ... }",
        ),
        "noun" => (
            Rule::noun_decl,
            "noun payment, refund, person plural people",
        ),
        "let" => (Rule::let_stmt, "let NAME = EXPRESSION"),
        "schema" => (
            Rule::schema_decl,
            "schema NAME v1 { field type modifiers... }",
        ),
        "requirements" => (
            Rule::requirements,
            "requirements { volume 5M events/day ... }",
        ),
        "source" | "node" => (Rule::node_decl, "node NAME : ROLE { property value ... }"),
        "flow" => (
            Rule::flow_decl,
            "flow FROM -> TO MODE ..., e.g. `flow a -> b stream`",
        ),
        "path" => (Rule::path_decl, "path NAME = A -> B -> C"),
        "layer" | "zone" => (Rule::group_decl, "layer NAME { node, node }"),
        "use" => (
            Rule::use_decl,
            "use TOOL for NODE because \"...\" accepting \"...\"",
        ),
        "failure" => (
            Rule::failure_decl,
            "failure NODE { cause \"...\" detect ... recover ... }",
        ),
        "allow" => (Rule::allow_decl, "allow RULE-NAME because \"...\""),
        "late_data" | "dedup" | "backfill" | "schema_change" | "cost_control" | "cross_region" => (
            Rule::hard_problem,
            "late_data Schema.field watermark 10 min",
        ),
        _ => return None,
    })
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl<'t> Lowerer<'t> {
    pub fn new(text: &'t str) -> Self {
        Lowerer {
            text,
            base: 0,
            errors: Vec::new(),
        }
    }

    /// A lowerer for pairs parsed from `text[base..]` (a piece of a large file):
    /// every span it makes is an offset into the whole `text`.
    pub fn at(text: &'t str, base: usize) -> Self {
        Lowerer {
            text,
            base,
            errors: Vec::new(),
        }
    }

    fn span(&self, p: &Pair<'_, Rule>) -> Span {
        let s = p.as_span();
        Span::new(self.base + s.start(), self.base + s.end())
    }

    fn err(&mut self, span: Span, message: String, label: &str, help: String) {
        self.errors.push(SyntaxError {
            code: "syntax-error",
            span,
            message,
            label: label.to_string(),
            help,
        });
    }

    pub fn file(&mut self, file: Pair<'_, Rule>) -> Vec<Item> {
        let mut items = Vec::new();
        for p in file.into_inner() {
            match p.as_rule() {
                Rule::import_stmt => {
                    let span = self.span(&p);
                    if let Some(s) = p.into_inner().next() {
                        items.push(Item::Import(Import {
                            path: self.string(s),
                            span,
                        }));
                    }
                }
                Rule::design => items.push(Item::Design(self.design(p))),
                Rule::role_decl => items.push(Item::Role(self.role(p))),
                Rule::tool_decl => items.push(Item::Tool(self.tool(p))),
                Rule::noun_decl => items.push(Item::Noun(self.noun(p))),
                Rule::let_stmt => {
                    if let Some(l) = self.let_decl(p) {
                        items.push(Item::Let(l));
                    }
                }
                Rule::schema_decl => items.push(Item::Schema(self.schema(p))),
                Rule::junk | Rule::junk_block => self.junk(&p, TOP_KEYWORDS, "file"),
                _ => {}
            }
        }
        items
    }

    /// Reports a line the grammar could not read as any statement.
    fn junk(&mut self, p: &Pair<'_, Rule>, allowed: &[&str], place: &str) {
        let span = self.span(p);
        let text = p.as_str();
        let first: String = text
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let lead = text.len() - text.trim_start().len();
        let word_span = Span::new(
            span.start as usize + lead,
            span.start as usize + lead + first.len(),
        );
        if allowed.contains(&first.as_str())
            && let Some((rule, shape)) = usage(&first)
        {
            let (at, tok) = match DsdParser::parse(rule, text) {
                Err(e) => {
                    let se = messages::from_pest(&e, text, "statement");
                    (
                        se.span.start as usize,
                        token_at(text, se.span.start as usize),
                    )
                }
                // It parses alone, so what follows it on the line is the problem.
                Ok(mut pairs) => {
                    let end = pairs.next().map(|p| p.as_span().end()).unwrap_or(0);
                    let skip = text
                        .get(end..)
                        .map(|r| r.len() - r.trim_start().len())
                        .unwrap_or(0);
                    (end + skip, token_at(text, end + skip))
                }
            };
            let start = span.start as usize + at;
            let end = start + if tok == "end of line" { 0 } else { tok.len() };
            let message = if tok == "end of line" {
                format!("this `{first}` statement is incomplete")
            } else {
                format!("unexpected `{tok}` in this `{first}` statement")
            };
            self.err(
                Span::new(start, end),
                message,
                "not understood here",
                format!("write it as `{shape}`"),
            );
            return;
        }
        if place == "file" && DESIGN_KEYWORDS.contains(&first.as_str()) {
            self.err(
                word_span,
                format!("`{first}` must be inside a `design NAME {{ ... }}` block"),
                "outside any design",
                "move this statement into the design it belongs to".into(),
            );
            return;
        }
        let (message, label) = if first.is_empty() {
            let tok = token_at(text, lead);
            (
                format!("unexpected `{tok}`: this line is not a statement"),
                "not a statement",
            )
        } else {
            (
                format!("`{first}` does not start a statement"),
                "unknown statement",
            )
        };
        let help = match suggest::did_you_mean(&first, allowed.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "a {place} holds statements that start with: {}",
                allowed.join(", ")
            ),
        };
        let at = if first.is_empty() {
            // One character, which may be more than one byte.
            let width = text
                .get(lead..)
                .and_then(|r| r.chars().next())
                .map_or(0, char::len_utf8);
            Span::new(
                span.start as usize + lead,
                span.start as usize + lead + width,
            )
        } else {
            word_span
        };
        self.err(at, message, label, help);
    }

    fn ident(&mut self, p: Pair<'_, Rule>) -> Ident {
        let span = self.span(&p);
        self.check_length(p.as_str(), span);
        self.check_invisible(p.as_str(), span);
        Ident {
            name: p.as_str().to_string(),
            span,
        }
    }

    /// Refuses a name holding a bidi control or a zero-width character (see
    /// `invisible` in the grammar): two names that look the same would be two
    /// nodes. `text` is the token's source text, starting at `span.start`; the
    /// error points at the first such character and names it by code point.
    fn check_invisible(&mut self, text: &str, span: Span) {
        // Every invisible character is outside ASCII, as most names are whole.
        if text.is_ascii() {
            return;
        }
        let Some((at, c)) = text.char_indices().find(|(_, c)| invisible(*c)) else {
            return;
        };
        let start = span.start as usize + at;
        let what = match c {
            '\u{200B}' => "ZERO WIDTH SPACE",
            '\u{200C}' => "ZERO WIDTH NON-JOINER",
            '\u{200D}' => "ZERO WIDTH JOINER",
            '\u{2060}' => "WORD JOINER",
            '\u{FEFF}' => "ZERO WIDTH NO-BREAK SPACE",
            _ => "a bidirectional text control",
        };
        self.errors.push(SyntaxError {
            code: "invalid-encoding",
            span: Span::new(start, start + c.len_utf8()),
            message: format!(
                "this name holds the invisible character U+{:04X} ({what})",
                u32::from(c)
            ),
            label: "invisible character".into(),
            help: "delete it: names may not hold invisible or bidirectional control \
                characters, so that two names that look the same are the same name"
                .into(),
        });
    }

    /// Reports a name or number past the limits (`MAX_NAME_BYTES`,
    /// `MAX_NUMBER_CHARS`); `text` is one token.
    fn check_length(&mut self, text: &str, span: Span) {
        let number = text.starts_with(|c: char| c.is_ascii_digit() || c == '-');
        // Cheap tests first: every name and number of a file passes here.
        let over = if number {
            text.len() > super::MAX_NUMBER_CHARS && text.chars().count() > super::MAX_NUMBER_CHARS
        } else {
            text.len() > super::MAX_NAME_BYTES
        };
        if !over {
            return;
        }
        let (code, what) = if number {
            let n = text.chars().count();
            ("number-too-long", format!("{n} characters"))
        } else {
            ("name-too-long", format!("{} bytes", text.len()))
        };
        let (limit, kind, help) = if number {
            (
                format!("{} characters", super::MAX_NUMBER_CHARS),
                "number",
                "write it with a larger unit or an exponent (`1e12`)",
            )
        } else {
            (
                format!("{} bytes", super::MAX_NAME_BYTES),
                "name",
                "use a shorter name; a title or description can say more",
            )
        };
        self.errors.push(SyntaxError {
            code,
            span,
            message: format!("this {kind} is {what} long; dsd accepts at most {limit}"),
            label: format!("{kind} too long"),
            help: help.into(),
        });
    }

    fn string(&self, p: Pair<'_, Rule>) -> StrLit {
        let span = self.span(&p);
        let inner = p
            .into_inner()
            .next()
            .map(|i| unescape(i.as_str()))
            .unwrap_or_default();
        StrLit { value: inner, span }
    }

    fn close(&mut self, p: Pair<'_, Rule>, open: Span, what: &str) {
        if p.as_str() != "}" {
            self.err(
                open,
                format!("this `{{` of {what} is never closed"),
                "opened here",
                "add the missing `}` where the block ends".into(),
            );
        }
    }

    pub(super) fn design(&mut self, p: Pair<'_, Rule>) -> Design {
        let span = self.span(&p);
        let mut name = Ident {
            name: String::new(),
            span,
        };
        let mut title = None;
        let mut stmts = Vec::new();
        let open = Span::new(span.start as usize, span.start as usize + 6);
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::name => name = self.ident(c),
                Rule::string => title = Some(self.string(c)),
                Rule::design_body => stmts = self.design_body(c),
                Rule::close => self.close(c, open, &format!("the design `{}`", name.name)),
                _ => {}
            }
        }
        Design {
            name,
            title,
            stmts,
            span,
        }
    }

    pub(super) fn design_body(&mut self, p: Pair<'_, Rule>) -> Vec<Stmt> {
        let mut out = Vec::new();
        for s in p.into_inner() {
            let stmt = match s.as_rule() {
                Rule::requirements => s
                    .into_inner()
                    .next()
                    .map(|b| Stmt::Requirements(self.block(b, keys::REQUIREMENTS, "requirements"))),
                Rule::let_stmt => self.let_decl(s).map(Stmt::Let),
                Rule::schema_decl => Some(Stmt::Schema(self.schema(s))),
                Rule::node_decl => Some(Stmt::Node(self.node(s))),
                Rule::flow_decl => Some(Stmt::Flow(self.flow(s))),
                Rule::path_decl => Some(Stmt::Path(self.path(s))),
                Rule::group_decl => Some(Stmt::Group(self.group(s))),
                Rule::use_decl => Some(Stmt::Use(self.use_decl(s))),
                Rule::failure_decl => Some(Stmt::Failure(self.failure(s))),
                Rule::allow_decl => Some(Stmt::Allow(self.allow(s))),
                Rule::noun_decl => Some(Stmt::Noun(self.noun(s))),
                Rule::hard_problem => Some(Stmt::Hard(self.hard(s))),
                Rule::junk | Rule::junk_block => {
                    self.junk(&s, DESIGN_KEYWORDS, "design");
                    None
                }
                _ => None,
            };
            out.extend(stmt);
        }
        out
    }

    /// Lowers a `{ ... }` block of lines into properties, splitting each line at the
    /// words in `keys`.
    fn block(&mut self, p: Pair<'_, Rule>, keys: &[&str], what: &str) -> Block {
        let span = self.span(&p);
        let mut props = Vec::new();
        let open = Span::new(span.start as usize, span.start as usize + 1);
        for line in p.into_inner() {
            match line.as_rule() {
                Rule::line | Rule::line_any => {
                    let atoms: Vec<Atom> = line.into_inner().map(|a| self.atom(a)).collect();
                    self.split_props(atoms, keys, what, &mut props);
                }
                Rule::text_line | Rule::recover_line => {
                    let atoms = self.text_line(line);
                    self.split_props(atoms, keys, what, &mut props);
                }
                Rule::block_junk | Rule::block_junk_any => self.block_junk(&line, what),
                Rule::close => self.close(line, open, what),
                _ => {}
            }
        }
        Block { props, span }
    }

    /// A failure block's `cause …`, `effect …`, `degrade …` or `recover …
    /// within TIME` line: the keyword, the text as one atom, and the atoms of
    /// the `within` clause and anything after it.
    fn text_line(&mut self, p: Pair<'_, Rule>) -> Vec<Atom> {
        let mut atoms = Vec::new();
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::text_kw | Rule::recover_kw => atoms.push(Atom {
                    kind: AtomKind::Word(c.as_str().to_string()),
                    span: self.span(&c),
                }),
                Rule::text_words | Rule::recover_words => atoms.push(Atom {
                    kind: AtomKind::Text(c.as_str().to_string()),
                    span: self.span(&c),
                }),
                Rule::within_tail => {
                    for a in c.into_inner() {
                        atoms.push(match a.as_rule() {
                            Rule::within_kw => Atom {
                                kind: AtomKind::Word(a.as_str().to_string()),
                                span: self.span(&a),
                            },
                            _ => self.atom(a),
                        });
                    }
                }
                _ => {}
            }
        }
        atoms
    }

    fn block_junk(&mut self, p: &Pair<'_, Rule>, what: &str) {
        let span = self.span(p);
        let text = p.as_str();
        let at = match DsdParser::parse(Rule::line_any, text) {
            Err(e) => messages::error_pos(&e),
            Ok(_) => 0,
        };
        let tok = token_at(text, at);
        let start = span.start as usize + at;
        let len = if tok == "end of line" { 0 } else { tok.len() };
        // `region us-east-1`: a hyphenated code is read as a subtraction.
        let before: Vec<&str> = text.get(..at).unwrap_or("").split_whitespace().collect();
        let region =
            tok == "-" && before.len() >= 2 && before.get(before.len() - 2) == Some(&"region");
        let help = if region {
            let code: String = text
                .get(at.saturating_sub(before.last().map_or(0, |w| w.len()))..)
                .unwrap_or("")
                .split_whitespace()
                .next()
                .unwrap_or("us-east-1")
                .to_string();
            format!("a region code with hyphens is written in quotes: `region \"{code}\"`")
        } else if what == "a failure block" {
            "a block line is `property value`; after `cause`, `effect`, `degrade` and `recover` the text runs to the end of the line (a `;` or `}` ends it, and its quotes and brackets close on the line); elsewhere write text in quotes: `\"...\"`".into()
        } else {
            "a block line is `property value`, with values such as `6`, `7 days`, `parquet`, `\"text\"` or `merge(order_id)`".into()
        };
        self.err(
            Span::new(start, (start + len).min(span.end as usize)),
            format!("unexpected `{tok}` in {what}"),
            "not understood",
            help,
        );
    }

    fn split_props(
        &mut self,
        atoms: Vec<Atom>,
        keys: &[&str],
        what: &str,
        props: &mut Vec<Property>,
    ) {
        let mut current: Option<Property> = None;
        let mut skipping = false;
        for atom in atoms {
            let tool = std::ptr::eq(keys, keys::TOOL);
            let key = match &atom.kind {
                AtomKind::Word(w) if keys.contains(&w.as_str()) => Some(w.clone()),
                AtomKind::Word(w) if tool && keys::is_tool_key(w) => Some(w.clone()),
                _ => None,
            };
            // After a comma or a linking word (`via registry`, `by month`) a key
            // word is a value, not the start of the next property.
            let linked = match current
                .as_ref()
                .and_then(|c| c.value.last())
                .map(|a| &a.kind)
            {
                Some(AtomKind::Comma) => true,
                Some(AtomKind::Word(w)) => LINKING_WORDS.contains(&w.as_str()),
                _ => false,
            } || current.as_ref().is_some_and(|c| c.key.name == "cite");
            match key {
                Some(k) if !linked => {
                    props.extend(current.take());
                    skipping = false;
                    current = Some(Property {
                        key: Ident {
                            name: k,
                            span: atom.span,
                        },
                        value: Vec::new(),
                        span: atom.span,
                    });
                }
                _ => {
                    if skipping {
                        continue;
                    }
                    match current.as_mut() {
                        Some(c) => {
                            c.span = c.span.to(atom.span);
                            c.value.push(atom);
                        }
                        None => {
                            skipping = true;
                            self.unknown_property(&atom, keys, what);
                        }
                    }
                }
            }
        }
        props.extend(current);
        // Most values are one or two atoms; a vector grown by pushing has room
        // for four.
        for p in props.iter_mut() {
            p.value.shrink_to_fit();
        }
    }

    fn unknown_property(&mut self, atom: &Atom, keys: &[&str], what: &str) {
        let word = match &atom.kind {
            AtomKind::Word(w) => w.clone(),
            _ => self
                .text
                .get(atom.span.start as usize..atom.span.end as usize)
                .unwrap_or("")
                .to_string(),
        };
        let help = match suggest::did_you_mean(&word, keys.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("the properties of {what} are: {}", keys.join(", ")),
        };
        self.errors.push(SyntaxError {
            code: "unknown-property",
            span: atom.span,
            message: format!("`{word}` is not a property of {what}"),
            label: "unknown property".into(),
            help,
        });
    }

    pub fn atom(&mut self, p: Pair<'_, Rule>) -> Atom {
        let span = self.span(&p);
        let text = p.as_str();
        if !matches!(p.as_rule(), Rule::string | Rule::call) {
            // Each end of a range and each piece of a dotted name or unit is
            // held to the limits on its own.
            for piece in text.split(['.', '/', '[', ']', ',']) {
                let piece = piece.trim_start_matches(['$', '₹', '€', '£']);
                if !piece.is_empty() {
                    self.check_length(piece, span);
                }
            }
            self.check_invisible(text, span);
        }
        let kind = match p.as_rule() {
            Rule::number | Rule::range | Rule::money => {
                AtomKind::Number(Box::new(number_lit(text, span)))
            }
            Rule::unit_compound => AtomKind::Unit(text.to_string()),
            Rule::dotted => AtomKind::Word(text.to_string()),
            Rule::string => AtomKind::Str(self.string(p).value),
            Rule::call => {
                let mut inner = p.into_inner();
                let name = inner.next().map(|n| self.ident(n)).unwrap_or(Ident {
                    name: String::new(),
                    span,
                });
                let args = inner.map(|a| self.atom(a)).collect();
                AtomKind::Call { name, args }
            }
            Rule::generic => AtomKind::Generic(text.to_string()),
            Rule::clock => AtomKind::Clock(text.to_string()),
            Rule::cmp => AtomKind::Cmp(match text {
                "<=" => Cmp::Le,
                ">=" => Cmp::Ge,
                "<" => Cmp::Lt,
                ">" => Cmp::Gt,
                "==" => Cmp::Eq,
                _ => Cmp::Ne,
            }),
            Rule::arrow => AtomKind::Arrow,
            Rule::comma => AtomKind::Comma,
            Rule::percent => AtomKind::Percent,
            _ => AtomKind::Word(text.to_string()),
        };
        Atom { kind, span }
    }

    fn let_decl(&mut self, p: Pair<'_, Rule>) -> Option<LetDecl> {
        let span = self.span(&p);
        let mut inner = p.into_inner();
        let name = self.ident(inner.next()?);
        let value = self.expr(inner.next()?);
        Some(LetDecl { name, value, span })
    }

    fn expr(&mut self, p: Pair<'_, Rule>) -> Expr {
        let span = self.span(&p);
        match p.as_rule() {
            Rule::expr => {
                let mut inner = p.into_inner();
                let base = match inner.next() {
                    Some(s) => self.expr(s),
                    None => return bad_expr(span),
                };
                match inner.next() {
                    Some(u) => Expr {
                        kind: ExprKind::As {
                            expr: Box::new(base),
                            unit: (u.as_str().to_string(), self.span(&u)),
                        },
                        span,
                    },
                    None => base,
                }
            }
            Rule::sum | Rule::product => {
                // Each operand nests the tree one deeper; bound it so evaluation
                // cannot exhaust the stack.
                if p.clone().into_inner().count() > 2 * MAX_OPERANDS {
                    self.err(
                        span,
                        format!("this expression has more than {MAX_OPERANDS} operands"),
                        "too long",
                        "split it into several `let`s".into(),
                    );
                    return bad_expr(span);
                }
                let mut inner = p.into_inner();
                let mut acc = match inner.next() {
                    Some(s) => self.expr(s),
                    None => return bad_expr(span),
                };
                while let (Some(op), Some(rhs)) = (inner.next(), inner.next()) {
                    let op = match op.as_str() {
                        "+" => BinOp::Add,
                        "-" => BinOp::Sub,
                        "*" => BinOp::Mul,
                        _ => BinOp::Div,
                    };
                    let rhs = self.expr(rhs);
                    let s = acc.span.to(rhs.span);
                    acc = Expr {
                        kind: ExprKind::Binary {
                            op,
                            lhs: Box::new(acc),
                            rhs: Box::new(rhs),
                        },
                        span: s,
                    };
                }
                acc
            }
            Rule::unary => {
                let mut negs = 0;
                let mut primary = None;
                for c in p.into_inner() {
                    if c.as_rule() == Rule::neg {
                        negs += 1;
                    } else {
                        primary = Some(self.expr(c));
                    }
                }
                let e = primary.unwrap_or_else(|| bad_expr(span));
                // `--x` is `x`: a run of minus signs folds to one or none, so
                // thousands of them cannot nest the tree (and every pass that
                // walks it) thousands deep.
                if negs % 2 == 1 {
                    Expr {
                        kind: ExprKind::Neg(Box::new(e)),
                        span,
                    }
                } else {
                    e
                }
            }
            Rule::quantity => {
                let mut inner = p.into_inner();
                let number = inner
                    .next()
                    .map(|n| {
                        let at = self.span(&n);
                        for end in n.as_str().split("..") {
                            self.check_length(end.trim_start_matches(['$', '₹', '€', '£']), at);
                        }
                        number_lit(n.as_str(), at)
                    })
                    .unwrap_or_else(|| number_lit("0", span));
                let unit = inner.next().map(|u| {
                    let at = self.span(&u);
                    self.check_invisible(u.as_str(), at);
                    (u.as_str().to_string(), at)
                });
                Expr {
                    kind: ExprKind::Quantity { number, unit },
                    span,
                }
            }
            Rule::func_call => {
                let mut inner = p.into_inner();
                let name = inner.next().map(|n| self.ident(n)).unwrap_or(Ident {
                    name: String::new(),
                    span,
                });
                let args = inner.map(|a| self.expr(a)).collect();
                Expr {
                    kind: ExprKind::Call { name, args },
                    span,
                }
            }
            Rule::field_ref => {
                self.check_invisible(p.as_str(), span);
                let mut parts = Vec::new();
                let mut offset = span.start as usize;
                for part in p.as_str().split('.') {
                    let at = Span::new(offset, offset + part.len());
                    self.check_length(part, at);
                    parts.push(Ident {
                        name: part.to_string(),
                        span: Span::new(offset, offset + part.len()),
                    });
                    offset += part.len() + 1;
                }
                Expr {
                    kind: ExprKind::Ref(parts),
                    span,
                }
            }
            _ => bad_expr(span),
        }
    }

    fn schema(&mut self, p: Pair<'_, Rule>) -> SchemaDecl {
        let span = self.span(&p);
        let mut name = Ident {
            name: String::new(),
            span,
        };
        let mut version = None;
        let mut fields = Vec::new();
        let mut props = Vec::new();
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::name => name = self.ident(c),
                Rule::version => {
                    let v = c
                        .as_str()
                        .trim_start_matches('v')
                        .parse::<u32>()
                        .unwrap_or(u32::MAX);
                    version = Some((v, self.span(&c)));
                }
                Rule::schema_block => {
                    let open = Span::new(
                        self.span(&c).start as usize,
                        self.span(&c).start as usize + 1,
                    );
                    for line in c.into_inner() {
                        match line.as_rule() {
                            Rule::line_any => {
                                let lspan = self.span(&line);
                                let atoms: Vec<Atom> =
                                    line.into_inner().map(|a| self.atom(a)).collect();
                                self.schema_line(atoms, lspan, &mut fields, &mut props);
                            }
                            Rule::block_junk_any => self.block_junk(&line, "a schema"),
                            Rule::close => {
                                self.close(line, open, &format!("schema `{}`", name.name))
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        SchemaDecl {
            name,
            version,
            fields,
            props,
            span,
        }
    }

    /// One line of a schema block: its fields and properties, several of them
    /// when they share the line (see `ast::schema_item_starts`).
    fn schema_line(
        &mut self,
        atoms: Vec<Atom>,
        span: Span,
        fields: &mut Vec<Field>,
        props: &mut Vec<Property>,
    ) {
        let starts = {
            let toks: Vec<SchemaTok<'_>> = atoms
                .iter()
                .map(|a| match &a.kind {
                    AtomKind::Word(w) | AtomKind::Generic(w) => SchemaTok::Word(w.as_str()),
                    AtomKind::Number(_) => SchemaTok::Number,
                    _ => SchemaTok::Other,
                })
                .collect();
            schema_item_starts(&toks)
        };
        if starts.len() <= 1 {
            self.schema_item(atoms, span, fields, props);
            return;
        }
        let ends = starts.iter().skip(1).copied().chain([atoms.len()]);
        let mut it = atoms.into_iter();
        for (from, to) in starts.iter().copied().zip(ends) {
            let item: Vec<Atom> = it.by_ref().take(to.saturating_sub(from)).collect();
            let item_span = match (item.first(), item.last()) {
                (Some(a), Some(b)) => a.span.to(b.span),
                _ => span,
            };
            self.schema_item(item, item_span, fields, props);
        }
    }

    fn schema_item(
        &mut self,
        atoms: Vec<Atom>,
        span: Span,
        fields: &mut Vec<Field>,
        props: &mut Vec<Property>,
    ) {
        let first_word = match atoms.first().map(|a| &a.kind) {
            Some(AtomKind::Word(w)) => Some(w.clone()),
            _ => None,
        };
        let second_is_type_like = matches!(atoms.get(1).map(|a| &a.kind), Some(AtomKind::Word(w)) if crate::resolve::is_field_type(w))
            || matches!(atoms.get(1).map(|a| &a.kind), Some(AtomKind::Generic(_)));
        match first_word.as_deref() {
            Some("size" | "evolution" | "registry" | "topic" | "owner" | "format")
                if !second_is_type_like =>
            {
                self.split_props(atoms, keys::SCHEMA, "a schema", props);
            }
            Some(_) => {
                let mut it = atoms.into_iter();
                let name_atom = it.next();
                let ty = it.next();
                let (Some(name_atom), Some(ty)) = (name_atom, ty) else {
                    self.err(
                        span,
                        "this field has no type".into(),
                        "field without a type",
                        "write a field as `name type modifiers...`, e.g. `payment_id string key`"
                            .into(),
                    );
                    return;
                };
                let name = match name_atom.kind {
                    AtomKind::Word(w) => Ident {
                        name: w,
                        span: name_atom.span,
                    },
                    _ => Ident {
                        name: String::new(),
                        span: name_atom.span,
                    },
                };
                fields.push(Field {
                    name,
                    ty,
                    modifiers: it.collect(),
                    span,
                });
            }
            None => self.err(
                span,
                "a schema line must start with a field name".into(),
                "not a field",
                "write a field as `name type modifiers...`, e.g. `payment_id string key`".into(),
            ),
        }
    }

    fn node(&mut self, p: Pair<'_, Rule>) -> NodeDecl {
        let span = self.span(&p);
        let mut kind = NodeKind::Node;
        let mut names = Vec::new();
        let mut block = Block {
            props: Vec::new(),
            span,
        };
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::node_kw if c.as_str() == "source" => {
                    kind = NodeKind::Source;
                }
                Rule::name => names.push(self.ident(c)),
                Rule::block => block = self.block(c, keys::NODE, "a node"),
                _ => {}
            }
        }
        let mut names = names.into_iter();
        let name = names.next().unwrap_or(Ident {
            name: String::new(),
            span,
        });
        let role = names.next().unwrap_or(Ident {
            name: String::new(),
            span,
        });
        NodeDecl {
            kind,
            name,
            role,
            block,
            span,
        }
    }

    fn flow(&mut self, p: Pair<'_, Rule>) -> FlowDecl {
        let span = self.span(&p);
        let mut chain = Vec::new();
        let mut clauses = Vec::new();
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::name => chain.push(self.ident(c)),
                _ => clauses.push(self.atom(c)),
            }
        }
        FlowDecl {
            chain,
            clauses,
            span,
        }
    }

    fn path(&mut self, p: Pair<'_, Rule>) -> PathDecl {
        let span = self.span(&p);
        let mut names = p.into_inner().map(|c| self.ident(c));
        let name = names.next().unwrap_or(Ident {
            name: String::new(),
            span,
        });
        PathDecl {
            name,
            hops: names.collect(),
            span,
        }
    }

    fn group(&mut self, p: Pair<'_, Rule>) -> GroupDecl {
        let span = self.span(&p);
        let mut kind = GroupKind::Layer;
        let mut name = Ident {
            name: String::new(),
            span,
        };
        let mut title = None;
        let mut members = Vec::new();
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::group_kw if c.as_str() == "zone" => {
                    kind = GroupKind::Zone;
                }
                Rule::name => name = self.ident(c),
                Rule::string => title = Some(self.string(c)),
                Rule::block => {
                    let open = Span::new(
                        self.span(&c).start as usize,
                        self.span(&c).start as usize + 1,
                    );
                    for line in c.into_inner() {
                        match line.as_rule() {
                            Rule::line => {
                                for a in line.into_inner() {
                                    let atom = self.atom(a);
                                    match atom.kind {
                                        AtomKind::Word(w) => members.push(Ident {
                                            name: w,
                                            span: atom.span,
                                        }),
                                        AtomKind::Comma => {}
                                        _ => self.err(
                                            atom.span,
                                            "a layer or zone lists node names".into(),
                                            "not a node name",
                                            "write `layer NAME { node_a, node_b }`".into(),
                                        ),
                                    }
                                }
                            }
                            Rule::block_junk => self.block_junk(&line, "a layer"),
                            Rule::close => self.close(line, open, "a layer"),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        GroupDecl {
            kind,
            name,
            title,
            members,
            span,
        }
    }

    fn use_decl(&mut self, p: Pair<'_, Rule>) -> UseDecl {
        let span = self.span(&p);
        let mut names = Vec::new();
        let mut because = None;
        let mut accepting = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::name => names.push(self.ident(c)),
                Rule::because => because = c.into_inner().next().map(|s| self.string(s)),
                Rule::accepting => accepting = c.into_inner().next().map(|s| self.string(s)),
                _ => {}
            }
        }
        let mut names = names.into_iter();
        let tool = names.next().unwrap_or(Ident {
            name: String::new(),
            span,
        });
        UseDecl {
            tool,
            nodes: names.collect(),
            because,
            accepting,
            span,
        }
    }

    fn failure(&mut self, p: Pair<'_, Rule>) -> FailureDecl {
        let span = self.span(&p);
        let mut node = Ident {
            name: String::new(),
            span,
        };
        let mut block = Block {
            props: Vec::new(),
            span,
        };
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::name => node = self.ident(c),
                Rule::failure_block => block = self.block(c, keys::FAILURE, "a failure block"),
                _ => {}
            }
        }
        FailureDecl { node, block, span }
    }

    fn allow(&mut self, p: Pair<'_, Rule>) -> AllowDecl {
        let span = self.span(&p);
        let mut rule = Ident {
            name: String::new(),
            span,
        };
        let mut on = Vec::new();
        let mut because = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::rule_name => rule = self.ident(c),
                Rule::name => on.push(self.ident(c)),
                Rule::because => because = c.into_inner().next().map(|s| self.string(s)),
                _ => {}
            }
        }
        AllowDecl {
            rule,
            on,
            because,
            span,
        }
    }

    fn noun(&mut self, p: Pair<'_, Rule>) -> NounDecl {
        let span = self.span(&p);
        let mut words = Vec::new();
        for w in p.into_inner().filter(|w| w.as_rule() == Rule::noun_word) {
            let mut names = w
                .into_inner()
                .filter(|n| n.as_rule() == Rule::name)
                .map(|n| self.ident(n));
            if let Some(name) = names.next() {
                words.push(NounWord {
                    name,
                    plural: names.next(),
                });
            }
        }
        NounDecl { words, span }
    }

    fn hard(&mut self, p: Pair<'_, Rule>) -> HardProblem {
        let span = self.span(&p);
        let mut kind = HardKind::LateData;
        let mut keyword_span = span;
        let mut args = Vec::new();
        let mut block = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::hard_kw => {
                    keyword_span = self.span(&c);
                    kind = match c.as_str() {
                        "dedup" => HardKind::Dedup,
                        "backfill" => HardKind::Backfill,
                        "schema_change" => HardKind::SchemaChange,
                        "cost_control" => HardKind::CostControl,
                        "cross_region" => HardKind::CrossRegion,
                        _ => HardKind::LateData,
                    };
                }
                Rule::block => {
                    let k: &[&str] = if kind == HardKind::Backfill {
                        keys::BACKFILL
                    } else {
                        keys::FAILURE
                    };
                    block = Some(self.block(c, k, &format!("a `{}` block", kind.keyword())));
                }
                _ => args.push(self.atom(c)),
            }
        }
        HardProblem {
            kind,
            keyword_span,
            args,
            block,
            span,
        }
    }

    fn role(&mut self, p: Pair<'_, Rule>) -> RoleDecl {
        let span = self.span(&p);
        let mut name = Ident {
            name: String::new(),
            span,
        };
        let mut title = None;
        let mut block = Block {
            props: Vec::new(),
            span,
        };
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::name => name = self.ident(c),
                Rule::string => title = Some(self.string(c)),
                Rule::block => block = self.block(c, keys::ROLE, "a role"),
                _ => {}
            }
        }
        RoleDecl {
            name,
            title,
            block,
            span,
        }
    }

    fn tool(&mut self, p: Pair<'_, Rule>) -> ToolDecl {
        let span = self.span(&p);
        let mut names = Vec::new();
        let mut title = None;
        let mut block = Block {
            props: Vec::new(),
            span,
        };
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::name => names.push(self.ident(c)),
                Rule::string => title = Some(self.string(c)),
                Rule::block => block = self.block(c, keys::TOOL, "a tool"),
                _ => {}
            }
        }
        let mut names = names.into_iter();
        let name = names.next().unwrap_or(Ident {
            name: String::new(),
            span,
        });
        ToolDecl {
            name,
            title,
            roles: names.collect(),
            block,
            span,
        }
    }
}

fn bad_expr(span: Span) -> Expr {
    Expr {
        kind: ExprKind::Ref(Vec::new()),
        span,
    }
}

/// Splits a number, range or money literal into its parts.
pub fn number_lit(text: &str, span: Span) -> NumberLit {
    let mut rest = text;
    let mut currency = None;
    if let Some(c) = rest.chars().next()
        && matches!(c, '$' | '₹' | '€' | '£')
    {
        currency = Some(c.to_string());
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    let (body, tail) = match rest.find('/') {
        Some(i) => (
            rest.get(..i).unwrap_or(""),
            rest.get(i..).map(str::to_string),
        ),
        None => (rest, None),
    };
    let (lo, hi) = match body.split_once("..") {
        Some((a, b)) => (a.to_string(), Some(b.to_string())),
        None => (body.to_string(), None),
    };
    NumberLit {
        lo,
        hi,
        currency,
        tail,
        span,
    }
}

/// A bidi control or zero-width character, which a name may not hold: the
/// grammar's `invisible`.
fn invisible(c: char) -> bool {
    crate::source::is_bidi_control(c)
        || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

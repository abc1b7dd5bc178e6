//! The outline (`textDocument/documentSymbol`), read from the syntax tree so
//! it follows the text as written, errors and all: each design with, in source
//! order, its requirements (one child per requirement), schemas (their fields
//! and properties), lets, nodes (their properties), flows, paths, layers and
//! zones, tool choices, failure blocks (their properties), allows and hard
//! problems; and the file's top-level imports, roles, tools, lets and schemas.
//!
//! A symbol's `range` is the whole statement, from its keyword to its closing
//! `}` (a trailing comment on its last line included, as LSP asks); its
//! `selectionRange` is its name (a requirements block's is its keyword).

use super::position::Lines;
use crate::ast::{self, Block, GroupKind, HardProblem, Item, NodeKind, Property, Stmt};
use crate::source::Span;
use lsp_types::{DocumentSymbol, SymbolKind};

/// The outline of `text`.
pub fn symbols(text: &str) -> Vec<DocumentSymbol> {
    let (file, _) = crate::syntax::parse(text);
    let o = Outline {
        text,
        lines: Lines::new(text),
        comments: file.comments.iter().map(|c| span(c.span)).collect(),
    };
    file.items.iter().filter_map(|i| o.item(i)).collect()
}

struct Outline<'t> {
    text: &'t str,
    lines: Lines<'t>,
    /// Where comments are, in order: details leave them out.
    comments: Vec<(usize, usize)>,
}

/// The most characters a symbol's detail shows.
const DETAIL_CHARS: usize = 80;

impl Outline<'_> {
    /// A symbol over `whole` (trimmed of whitespace), selecting `name_at` (kept
    /// inside `whole`); children `None` when there are none.
    fn symbol(
        &self,
        name: String,
        detail: Option<String>,
        kind: SymbolKind,
        whole: (usize, usize),
        name_at: (usize, usize),
        children: Vec<DocumentSymbol>,
    ) -> DocumentSymbol {
        let (start, end) = self.trim(whole);
        let (mut ns, mut ne) = name_at;
        if ns < start || ne > end || ns > ne {
            (ns, ne) = (start, start);
        }
        #[allow(deprecated)] // `deprecated` is a field every constructor must name
        DocumentSymbol {
            name,
            detail: detail.filter(|d| !d.is_empty()),
            kind,
            tags: None,
            deprecated: None,
            range: self.lines.range(start, end),
            selection_range: self.lines.range(ns, ne),
            children: (!children.is_empty()).then_some(children),
        }
    }

    /// `(start, end)` without the whitespace at either end.
    fn trim(&self, (start, end): (usize, usize)) -> (usize, usize) {
        let end = end.min(self.text.len());
        let start = start.min(end);
        match self.text.get(start..end) {
            Some(t) => {
                let lead = t.len() - t.trim_start().len();
                let kept = t.trim().len();
                (start + lead, start + lead + kept)
            }
            None => (start, end),
        }
    }

    /// The text between two offsets without its comments, its whitespace runs
    /// made one space, cut to `DETAIL_CHARS`.
    fn words(&self, start: usize, end: usize) -> String {
        let mut words: Vec<&str> = Vec::new();
        let mut at = start;
        let first = self.comments.partition_point(|c| c.1 <= start);
        for &(cs, ce) in self.comments.get(first..).unwrap_or_default() {
            if cs >= end {
                break;
            }
            words.extend(
                self.text
                    .get(at..cs.max(at))
                    .unwrap_or("")
                    .split_whitespace(),
            );
            at = ce.max(at);
        }
        if at < end {
            words.extend(self.text.get(at..end).unwrap_or("").split_whitespace());
        }
        let joined = words.join(" ");
        match joined.char_indices().nth(DETAIL_CHARS) {
            Some((cut, _)) => format!("{}…", joined.get(..cut).unwrap_or("")),
            None => joined,
        }
    }

    fn item(&self, item: &Item) -> Option<DocumentSymbol> {
        Some(match item {
            Item::Design(d) => {
                let children = d.stmts.iter().filter_map(|s| self.stmt(s)).collect();
                self.symbol(
                    named(&d.name.name, "design"),
                    d.title.as_ref().map(|t| t.value.clone()),
                    SymbolKind::MODULE,
                    span(d.span),
                    span(d.name.span),
                    children,
                )
            }
            Item::Import(i) => self.symbol(
                named(&i.path.value, "import"),
                None,
                SymbolKind::FILE,
                span(i.span),
                span(i.path.span),
                Vec::new(),
            ),
            Item::Role(r) => self.symbol(
                named(&r.name.name, "role"),
                r.title.as_ref().map(|t| t.value.clone()),
                SymbolKind::INTERFACE,
                span(r.span),
                span(r.name.span),
                self.props(&r.block),
            ),
            Item::Tool(t) => self.symbol(
                named(&t.name.name, "tool"),
                Some(
                    t.roles
                        .iter()
                        .map(|r| r.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                SymbolKind::OBJECT,
                span(t.span),
                span(t.name.span),
                self.props(&t.block),
            ),
            Item::Noun(n) => self.noun(n),
            Item::Let(l) => self.let_decl(l),
            Item::Schema(s) => self.schema(s),
        })
    }

    fn stmt(&self, stmt: &Stmt) -> Option<DocumentSymbol> {
        Some(match stmt {
            Stmt::Requirements(b) => {
                // The block's span starts at its `{`; the keyword is before it.
                let open = b.span.start as usize;
                let before = self.text.get(..open).unwrap_or("").trim_end();
                let start = before
                    .strip_suffix("requirements")
                    .map_or(open, |rest| rest.len());
                self.symbol(
                    "requirements".to_string(),
                    None,
                    SymbolKind::NAMESPACE,
                    (start, b.span.end as usize),
                    (start, start + "requirements".len()),
                    self.props(b),
                )
            }
            Stmt::Let(l) => self.let_decl(l),
            Stmt::Schema(s) => self.schema(s),
            Stmt::Node(n) => {
                let keyword = match n.kind {
                    NodeKind::Source => "source",
                    NodeKind::Node => "node",
                };
                let name = match n.name.name.as_str() {
                    "" => keyword.to_string(),
                    name => format!("{name} : {}", n.role.name),
                };
                self.symbol(
                    name,
                    None,
                    SymbolKind::CLASS,
                    span(n.span),
                    span(n.name.span),
                    self.props(&n.block),
                )
            }
            Stmt::Flow(f) => {
                let first = f.chain.first()?;
                let last = f.chain.last()?;
                let names: Vec<&str> = f.chain.iter().map(|c| c.name.as_str()).collect();
                self.symbol(
                    named(&names.join(" -> "), "flow"),
                    Some(self.words(last.span.end as usize, f.span.end as usize)),
                    SymbolKind::OPERATOR,
                    span(f.span),
                    (first.span.start as usize, last.span.end as usize),
                    Vec::new(),
                )
            }
            Stmt::Path(p) => self.symbol(
                named(&p.name.name, "path"),
                Some(
                    p.hops
                        .iter()
                        .map(|h| h.name.as_str())
                        .collect::<Vec<_>>()
                        .join(" -> "),
                ),
                SymbolKind::EVENT,
                span(p.span),
                span(p.name.span),
                Vec::new(),
            ),
            Stmt::Group(g) => {
                let keyword = match g.kind {
                    GroupKind::Layer => "layer",
                    GroupKind::Zone => "zone",
                };
                self.symbol(
                    named(&g.name.name, keyword),
                    Some(keyword.to_string()),
                    SymbolKind::PACKAGE,
                    span(g.span),
                    span(g.name.span),
                    Vec::new(),
                )
            }
            Stmt::Use(u) => self.symbol(
                named(&format!("use {}", u.tool.name), "use"),
                Some(format!(
                    "for {}",
                    u.nodes
                        .iter()
                        .map(|n| n.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                SymbolKind::INTERFACE,
                span(u.span),
                span(u.tool.span),
                Vec::new(),
            ),
            Stmt::Failure(f) => self.symbol(
                named(&format!("failure {}", f.node.name), "failure"),
                None,
                SymbolKind::OBJECT,
                span(f.span),
                span(f.node.span),
                self.props(&f.block),
            ),
            Stmt::Allow(a) => self.symbol(
                named(&format!("allow {}", a.rule.name), "allow"),
                (!a.on.is_empty()).then(|| {
                    format!(
                        "on {}",
                        a.on.iter()
                            .map(|n| n.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }),
                SymbolKind::KEY,
                span(a.span),
                span(a.rule.span),
                Vec::new(),
            ),
            Stmt::Noun(n) => self.noun(n),
            Stmt::Hard(h) => self.hard(h),
        })
    }

    /// A block's properties, one child each: the key, with the value as detail.
    fn props(&self, b: &Block) -> Vec<DocumentSymbol> {
        b.props.iter().map(|p| self.prop(p)).collect()
    }

    fn prop(&self, p: &Property) -> DocumentSymbol {
        self.symbol(
            named(&p.key.name, "property"),
            Some(self.words(p.key.span.end as usize, p.span.end as usize)),
            SymbolKind::PROPERTY,
            span(p.span),
            span(p.key.span),
            Vec::new(),
        )
    }

    fn let_decl(&self, l: &ast::LetDecl) -> DocumentSymbol {
        self.symbol(
            named(&l.name.name, "let"),
            Some(self.words(l.value.span.start as usize, l.value.span.end as usize)),
            SymbolKind::VARIABLE,
            span(l.span),
            span(l.name.span),
            Vec::new(),
        )
    }

    fn schema(&self, s: &ast::SchemaDecl) -> DocumentSymbol {
        let mut children: Vec<DocumentSymbol> = s
            .fields
            .iter()
            .map(|f| {
                self.symbol(
                    named(&f.name.name, "field"),
                    Some(self.words(f.name.span.end as usize, f.span.end as usize)),
                    SymbolKind::FIELD,
                    span(f.span),
                    span(f.name.span),
                    Vec::new(),
                )
            })
            .collect();
        children.extend(s.props.iter().map(|p| self.prop(p)));
        children.sort_by_key(|c| (c.range.start.line, c.range.start.character));
        // `v1` when none is written, as the resolver reads it.
        let version = s.version.map_or(1, |v| v.0);
        self.symbol(
            named(&format!("{} v{version}", s.name.name), "schema"),
            None,
            SymbolKind::STRUCT,
            span(s.span),
            span(s.name.span),
            children,
        )
    }

    fn noun(&self, n: &ast::NounDecl) -> DocumentSymbol {
        let words: Vec<String> = n
            .words
            .iter()
            .map(|w| match &w.plural {
                Some(p) => format!("{} ({})", w.name.name, p.name),
                None => w.name.name.clone(),
            })
            .collect();
        let name_at = match (n.words.first(), n.words.last()) {
            (Some(a), Some(b)) => (
                a.name.span.start as usize,
                b.plural.as_ref().unwrap_or(&b.name).span.end as usize,
            ),
            _ => span(n.span),
        };
        self.symbol(
            named(&words.join(", "), "noun"),
            Some("noun".to_string()),
            SymbolKind::CONSTANT,
            span(n.span),
            name_at,
            Vec::new(),
        )
    }

    fn hard(&self, h: &HardProblem) -> DocumentSymbol {
        let keyword = h.kind.keyword();
        // The subject, as written: `Payment.occurred_at`, a backfill's name.
        let subject = h.args.first().and_then(|a| match &a.kind {
            ast::AtomKind::Word(w) => Some((w.as_str(), a.span)),
            _ => None,
        });
        let name = match subject {
            Some((w, _)) => format!("{keyword} {w}"),
            None => keyword.to_string(),
        };
        let name_at = subject.map_or(span(h.keyword_span), |(_, s)| span(s));
        let children = h.block.as_ref().map(|b| self.props(b)).unwrap_or_default();
        self.symbol(
            named(&name, keyword),
            None,
            SymbolKind::OBJECT,
            span(h.span),
            name_at,
            children,
        )
    }
}

/// A symbol's name, or `fallback` where it has none: editors refuse a symbol
/// without a name (a half-typed `node : x`).
fn named(name: &str, fallback: &str) -> String {
    if name.trim().is_empty() {
        fallback.to_string()
    } else {
        name.to_string()
    }
}

fn span(s: Span) -> (usize, usize) {
    (s.start as usize, s.end as usize)
}

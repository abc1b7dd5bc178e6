//! Where names are declared and used, read from the syntax tree at the positions
//! the resolver reads them: rename and references follow these, not the text, so
//! `size raw 400 B` and `Payment.size.raw` are not uses of a node `raw`.
//!
//! The compiled design keeps resolved indices, not the spans of uses, so the
//! document is parsed again here (cheap next to compiling it) and each name is
//! taken from the same syntax positions `resolve` takes it from.

use crate::ast::{self, AtomKind, Expr, ExprKind, Item, Stmt};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Node,
    Schema,
    Let,
    Path,
}

impl Kind {
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Node => "node",
            Kind::Schema => "schema",
            Kind::Let => "let",
            Kind::Path => "path",
        }
    }
}

/// One declaration or use of a name.
#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    pub kind: Kind,
    pub name: String,
    pub start: usize,
    pub end: usize,
    pub decl: bool,
    /// The design (its index among the file's items) the site is in; `None` at
    /// the top of the file.
    pub scope: Option<usize>,
}

struct Collector<'t> {
    text: &'t str,
    scope: Option<usize>,
    out: Vec<Site>,
}

impl Collector<'_> {
    /// A site of `name` starting at `start`, kept only if the text there is the
    /// name (so a span that covers more than the name never becomes an edit).
    fn add(&mut self, kind: Kind, name: &str, start: usize, decl: bool) {
        let end = start + name.len();
        if name.is_empty() || self.text.get(start..end) != Some(name) {
            return;
        }
        self.out.push(Site {
            kind,
            name: name.to_string(),
            start,
            end,
            decl,
            scope: self.scope,
        });
    }

    fn ident(&mut self, kind: Kind, id: &ast::Ident, decl: bool) {
        self.add(kind, &id.name, id.span.start as usize, decl);
    }

    /// A word atom as a name of `kind`: its first dotted segment
    /// (`Payment.occurred_at` uses the schema `Payment`).
    fn atom(&mut self, kind: Kind, a: Option<&ast::Atom>) {
        if let Some(ast::Atom {
            kind: AtomKind::Word(w),
            span,
        }) = a
        {
            let first = w.split('.').next().unwrap_or("");
            self.add(kind, first, span.start as usize, false);
        }
    }

    /// The `let` names an expression reads: `peak` is a let (or a requirement),
    /// `Payment.size.raw` the schema `Payment`. Walked with a stack, not by
    /// recursion.
    fn expr(&mut self, e: &Expr) {
        let mut stack = vec![e];
        while let Some(e) = stack.pop() {
            match &e.kind {
                ExprKind::Ref(parts) => {
                    if let Some(first) = parts.first() {
                        let kind = if parts.len() == 1 {
                            Kind::Let
                        } else {
                            Kind::Schema
                        };
                        self.ident(kind, first, false);
                    }
                }
                ExprKind::Binary { lhs, rhs, .. } => {
                    stack.push(rhs);
                    stack.push(lhs);
                }
                ExprKind::Neg(x) | ExprKind::As { expr: x, .. } => stack.push(x),
                ExprKind::Call { args, .. } => stack.extend(args.iter().rev()),
                ExprKind::Quantity { .. } => {}
            }
        }
    }

    /// A property whose whole value is one word may be a `let` in place of a
    /// quantity (`retain seven_years`).
    fn let_value(&mut self, p: &ast::Property) {
        if let [a] = p.value.as_slice() {
            self.atom(Kind::Let, Some(a));
        }
    }

    fn let_decl(&mut self, l: &ast::LetDecl) {
        self.ident(Kind::Let, &l.name, true);
        self.expr(&l.value);
    }

    fn stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::Requirements(b) => {
                for p in &b.props {
                    match p.value.as_slice() {
                        // `latency fraud_decision <= 2 s`, `retention raw >= 7
                        // years`: the bound of a node or a path (the checks look
                        // for either).
                        [target, cmp, ..] if matches!(cmp.kind, AtomKind::Cmp(_)) => {
                            self.atom(Kind::Node, Some(target));
                            self.atom(Kind::Path, Some(target));
                        }
                        // `volume 8bn bid_requests/day from exchange, feed`.
                        atoms if p.key.name == "volume" => {
                            let from = atoms
                                .iter()
                                .position(|a| matches!(&a.kind, AtomKind::Word(w) if w == "from"));
                            for a in atoms.iter().skip(from.map_or(atoms.len(), |k| k + 1)) {
                                self.atom(Kind::Node, Some(a));
                            }
                            if from.is_none() {
                                self.let_value(p);
                            }
                        }
                        _ => self.let_value(p),
                    }
                }
            }
            Stmt::Let(l) => self.let_decl(l),
            Stmt::Schema(sd) => self.ident(Kind::Schema, &sd.name, true),
            Stmt::Node(n) => {
                self.ident(Kind::Node, &n.name, true);
                for p in &n.block.props {
                    match p.key.name.as_str() {
                        "replica_of" | "fallback" => self.atom(Kind::Node, p.value.first()),
                        "emits" | "reads" | "writes" => self.atom(Kind::Schema, p.value.first()),
                        _ => self.let_value(p),
                    }
                }
            }
            Stmt::Flow(f) => {
                for n in &f.chain {
                    self.ident(Kind::Node, n, false);
                }
                for (i, a) in f.clauses.iter().enumerate() {
                    if matches!(&a.kind, AtomKind::Word(w) if w == "carries") {
                        self.atom(Kind::Schema, f.clauses.get(i + 1));
                    }
                }
            }
            Stmt::Path(p) => {
                self.ident(Kind::Path, &p.name, true);
                for h in &p.hops {
                    self.ident(Kind::Node, h, false);
                }
            }
            Stmt::Group(g) => {
                for m in &g.members {
                    self.ident(Kind::Node, m, false);
                }
            }
            Stmt::Use(u) => {
                for n in &u.nodes {
                    self.ident(Kind::Node, n, false);
                }
            }
            Stmt::Failure(f) => {
                self.ident(Kind::Node, &f.node, false);
                for p in &f.block.props {
                    match p.key.name.as_str() {
                        "dlq" | "fallback" => self.atom(Kind::Node, p.value.first()),
                        _ => self.let_value(p),
                    }
                }
            }
            Stmt::Allow(a) => {
                for n in &a.on {
                    self.ident(Kind::Node, n, false);
                }
            }
            Stmt::Hard(h) => {
                use ast::HardKind::*;
                if matches!(h.kind, LateData | Dedup | SchemaChange) {
                    self.atom(Kind::Schema, h.args.first());
                }
                for (i, a) in h.args.iter().enumerate() {
                    if matches!(&a.kind, AtomKind::Word(w) if w == "at" || w == "on") {
                        self.atom(Kind::Node, h.args.get(i + 1));
                    }
                }
                if let Some(b) = &h.block {
                    for p in &b.props {
                        if matches!(p.key.name.as_str(), "from" | "to") {
                            self.atom(Kind::Node, p.value.first());
                        }
                    }
                }
            }
            Stmt::Noun(_) => {}
        }
    }
}

/// Every declaration and use of a node, schema, let or path in `text`, in order.
pub fn sites(text: &str) -> Vec<Site> {
    let (file, _) = crate::syntax::parse(text);
    let mut c = Collector {
        text,
        scope: None,
        out: Vec::new(),
    };
    for (i, item) in file.items.iter().enumerate() {
        match item {
            Item::Design(d) => {
                c.scope = Some(i);
                for s in &d.stmts {
                    c.stmt(s);
                }
                c.scope = None;
            }
            Item::Let(l) => c.let_decl(l),
            Item::Schema(sd) => c.ident(Kind::Schema, &sd.name, true),
            Item::Import(_) | Item::Role(_) | Item::Tool(_) | Item::Noun(_) => {}
        }
    }
    c.out.sort_by_key(|s| s.start);
    c.out
}

/// The scope of the declaration a site resolves to: a design's own declaration
/// first, then one at the top of the file (nodes and paths are only a design's).
fn resolves_to(
    sites: &[Site],
    kind: Kind,
    name: &str,
    scope: Option<usize>,
) -> Option<Option<usize>> {
    let declared_in = |s: Option<usize>| {
        sites
            .iter()
            .any(|d| d.decl && d.kind == kind && d.name == name && d.scope == s)
    };
    if declared_in(scope) {
        return Some(scope);
    }
    (scope.is_some() && matches!(kind, Kind::Schema | Kind::Let) && declared_in(None))
        .then_some(None)
}

/// The declaration and every use of the name at byte `at`, in text order;
/// empty when no declared name is there.
pub fn same_symbol(sites: &[Site], at: usize) -> Vec<&Site> {
    // A bound's target is a candidate node and a candidate path: the one declared.
    let Some((here, target)) = sites
        .iter()
        .filter(|s| s.start <= at && at <= s.end)
        .find_map(|s| resolves_to(sites, s.kind, &s.name, s.scope).map(|t| (s, t)))
    else {
        return Vec::new();
    };
    sites
        .iter()
        .filter(|s| {
            s.kind == here.kind
                && s.name == here.name
                && resolves_to(sites, s.kind, &s.name, s.scope) == Some(target)
        })
        .collect()
}

/// Words the grammar reads as keywords where a name could stand: statement
/// words, continuation words and the joining words of statements.
fn is_keyword(word: &str) -> bool {
    use crate::ast::keys::{CONTINUATIONS, DESIGN_STATEMENTS, TOP_STATEMENTS};
    DESIGN_STATEMENTS.contains(&word)
        || TOP_STATEMENTS.contains(&word)
        || CONTINUATIONS.contains(&word)
        || matches!(word, "for" | "on" | "at" | "by")
        || word == crate::placeholder::WORD
}

/// Why `new` cannot be the new name of `sym`, if it cannot.
pub fn rename_refusal(sites: &[Site], sym: &Site, new: &str) -> Option<String> {
    let mut chars = new.chars();
    let ident = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_');
    if !ident {
        return Some(format!(
            "`{new}` is not a name: a name starts with a letter or `_` and goes on with letters, digits and `_`"
        ));
    }
    if is_keyword(new) {
        return Some(format!("`{new}` is a keyword of the language, not a name"));
    }
    if new != sym.name
        && resolves_to(sites, sym.kind, new, sym.scope).is_some_and(|s| s == sym.scope)
    {
        return Some(format!("a {} is already called `{new}`", sym.kind.noun()));
    }
    None
}

/// A declaration at the top of a file that other files can import: a schema
/// or `let` (which `sites` also reads), a tool, a role or a noun.
#[derive(Clone, Debug, PartialEq)]
pub struct TopDecl {
    /// `schema`, `let`, `tool`, `role` or `noun`.
    pub what: &'static str,
    pub name: String,
    pub start: usize,
    pub end: usize,
}

/// The declarations at the top of `text`, in order.
pub fn top_decls(text: &str) -> Vec<TopDecl> {
    let (file, _) = crate::syntax::parse(text);
    let mut out = Vec::new();
    let mut add = |what: &'static str, id: &ast::Ident| {
        let start = id.span.start as usize;
        let end = start + id.name.len();
        if text.get(start..end) == Some(id.name.as_str()) {
            out.push(TopDecl {
                what,
                name: id.name.clone(),
                start,
                end,
            });
        }
    };
    for item in &file.items {
        match item {
            Item::Schema(s) => add("schema", &s.name),
            Item::Let(l) => add("let", &l.name),
            Item::Tool(t) => add("tool", &t.name),
            Item::Role(r) => add("role", &r.name),
            Item::Noun(n) => {
                for w in &n.words {
                    add("noun", &w.name);
                }
            }
            Item::Import(_) | Item::Design(_) => {}
        }
    }
    out
}

/// Whether a site resolves to no declaration of its own file: a schema or
/// `let` brought in by an import (or the standard library).
pub fn is_imported(sites: &[Site], s: &Site) -> bool {
    matches!(s.kind, Kind::Schema | Kind::Let)
        && resolves_to(sites, s.kind, &s.name, s.scope).is_none()
}

/// The uses in `sites` of a schema or `let` called `name` that an import
/// declares (they resolve to nothing in their own file).
pub fn imported_uses<'s>(sites: &'s [Site], kind: Kind, name: &str) -> Vec<&'s Site> {
    sites
        .iter()
        .filter(|s| s.kind == kind && s.name == name && !s.decl && is_imported(sites, s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sources_a_volume_is_bound_to_are_uses_of_those_nodes() {
        let text = "design d {\n  requirements { volume 8bn bid_requests/day from exchange, feed }\n  source exchange : service\n  source feed : service\n}\n";
        let sites = sites(text);
        let uses: Vec<(&str, bool)> = sites
            .iter()
            .filter(|s| s.kind == Kind::Node)
            .map(|s| (s.name.as_str(), s.decl))
            .collect();
        assert_eq!(
            uses,
            vec![
                ("exchange", false),
                ("feed", false),
                ("exchange", true),
                ("feed", true)
            ]
        );
        let at = text.find("from exchange").map(|i| i + 5).unwrap_or(0);
        assert_eq!(same_symbol(&sites, at).len(), 2);
    }
}

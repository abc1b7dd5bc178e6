//! Name resolution and typing: binds every reference (nodes, schemas, fields, tools,
//! roles, rules, lets, units), evaluates `let`s with dimensional analysis, and turns
//! the syntax tree into the typed `model`.

use crate::ast::{self, Atom, AtomKind, ExprKind, Ident, NumberLit};
use crate::diagnostic::Diagnostic;
use crate::model::*;
use crate::source::{FileId, Span};
use crate::suggest;
use crate::units::{self, Dimension, Nouns, Quantity, QuantityError, Unit};
use std::collections::{BTreeMap, BTreeSet};

const SCALAR_TYPES: &[&str] = &[
    "string",
    "int32",
    "int64",
    "int",
    "long",
    "float",
    "double",
    "decimal",
    "bool",
    "boolean",
    "timestamp",
    "date",
    "time",
    "bytes",
    "json",
    "uuid",
    "enum",
    "struct",
];

/// Whether a word names a field type (scalar or generic).
pub fn is_field_type(w: &str) -> bool {
    SCALAR_TYPES.contains(&w) || w.starts_with("list[") || w.starts_with("map[")
}

use crate::ast::keys::FIELD_MODIFIERS;

/// The shape each node property takes.
#[derive(Clone, Copy)]
enum Shape {
    Count,
    Dim(Dimension, &'static str),
    AnyQuantity,
    Name,
    NodeRef,
    SchemaRef,
    Text,
    Words,
    Flag,
}

fn node_shape(key: &str) -> Shape {
    match key {
        "partitions" | "replication" | "min_insync" | "threads" | "instances" | "brokers"
        | "retries" | "cores" | "rows" | "tables" | "rpus" | "zones" => Shape::Count,
        "retain" | "replayable" | "ttl" | "lookup" | "per_event" | "latency" => {
            Shape::Dim(Dimension::TIME, "a time, like `7 days` or `3.5 ms`")
        }
        "max_qps" | "qps" => Shape::Dim(Dimension::RATE, "a rate, like `50k queries/s`"),
        "output" => Shape::Dim(Dimension::RATE, "what it emits, like `50 rows/min`"),
        "size" => Shape::Dim(Dimension::BYTES, "a size, like `5 KB`"),
        "memory" => Shape::Dim(Dimension::BYTES, "memory, like `64 GB`"),
        "run_time" => Shape::Dim(Dimension::TIME, "how long one run takes, like `2 h`"),
        "scans" => Shape::Dim(
            Dimension::BYTE_RATE,
            "bytes scanned per month, like `10 TB/month`",
        ),
        "active" => Shape::Dim(Dimension::NONE, "the share of time it runs, like `8 h/day`"),
        "scan_rate" => Shape::Dim(Dimension::BYTE_RATE, "a throughput, like `200 MB/s`"),
        "throughput" | "cost" | "price" | "growth" | "volume" => Shape::AnyQuantity,
        "replica_of" | "fallback" => Shape::NodeRef,
        "emits" | "reads" | "writes" => Shape::SchemaRef,
        "degrade" | "description" => Shape::Text,
        "key" | "format" | "compression" | "dlq" | "region" | "owner" | "topic"
        | "schema_registry" | "concurrency" | "capacity" | "warehouse_size" | "instance_type" => {
            Shape::Name
        }
        "refresh" | "readers" | "ordering" | "tier" | "compaction" | "window" | "schedule"
        | "mask" | "tokenize" | "regions" | "runs" | "access" | "acks" => Shape::Words,
        _ => Shape::Flag,
    }
}

/// Everything known from the standard library and imported catalogues.
#[derive(Default)]
pub struct Scope {
    /// Names whose definition failed (a requirement written with an error): uses
    /// of them are not reported again.
    pub broken: BTreeSet<String>,
    pub catalogue: Catalogue,
    pub nouns: Nouns,
    pub globals: BTreeMap<String, Binding>,
    pub schemas: Vec<Schema>,
}

pub struct Resolver<'d> {
    pub diags: &'d mut Vec<Diagnostic>,
    pub scope: Scope,
    pub overrides: Overrides,
}

/// What-if inputs from the command line: `--set NAME=QUANTITY` replaces a
/// requirement, a `let`, a stdlib number, `NODE.PROPERTY` or `TOOL.FIGURE`;
/// `scale` multiplies the design's volume and peak.
#[derive(Clone, Debug)]
pub struct Overrides {
    pub values: BTreeMap<String, Quantity>,
    /// The names that matched something.
    pub used: BTreeSet<String>,
    pub scale: f64,
}

impl Default for Overrides {
    fn default() -> Self {
        Overrides {
            values: BTreeMap::new(),
            used: BTreeSet::new(),
            scale: 1.0,
        }
    }
}

impl Overrides {
    /// The value set for `name`, marking it used.
    pub fn take(&mut self, name: &str) -> Option<Quantity> {
        let q = self.values.get(name).cloned()?;
        self.used.insert(name.to_string());
        Some(q)
    }
}

fn ident_text(a: &Atom) -> Option<&str> {
    match &a.kind {
        AtomKind::Word(w) => Some(w.as_str()),
        _ => None,
    }
}

fn atom_ident(a: &Atom) -> Option<Ident> {
    ident_text(a).map(|w| Ident {
        name: w.to_string(),
        span: a.span,
    })
}

/// `Payment v2` written as two atoms.
fn version_of(a: Option<&Atom>) -> Option<u32> {
    let w = ident_text(a?)?;
    w.strip_prefix('v')?.parse().ok()
}

impl<'d> Resolver<'d> {
    pub fn new(diags: &'d mut Vec<Diagnostic>) -> Self {
        Resolver {
            diags,
            scope: Scope::default(),
            overrides: Overrides::default(),
        }
    }

    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    // ── quantities ──────────────────────────────────────────────────────────

    pub fn parse_unit(&mut self, text: &str, file: FileId, span: Span) -> Option<Unit> {
        match units::parse_unit(text, &self.scope.nouns) {
            Ok(u) => Some(u),
            Err(QuantityError::UnknownUnit(piece)) => {
                let mut candidates: Vec<&str> = Vec::new();
                for w in units::unit_words() {
                    candidates.push(w);
                }
                candidates.extend(self.scope.nouns.all());
                // A new noun is declared in the singular; it then reads its
                // English plural too (`noun play` reads `plays`).
                let one = units::singular(&piece).unwrap_or_else(|| piece.clone());
                let declare = if units::plural(&one) == piece || one == piece {
                    format!("`noun {one}`")
                } else {
                    format!("`noun {one} plural {piece}`")
                };
                let declared = one != piece && self.scope.nouns.contains(&one);
                let help = match suggest::did_you_mean(&piece, candidates) {
                    Some(s) if declared => format!(
                        "did you mean `{s}`? `{one}` is declared, and `{piece}` is not its plural"
                    ),
                    Some(s) => {
                        format!("did you mean `{s}`? To count `{piece}`, declare it with {declare}")
                    }
                    None => format!(
                        "units are B KB MB GB TB, KiB MiB GiB, Mbps Gbps, ms s min h day week month year, x %, $ ₹ € £; declare a count noun with {declare}"
                    ),
                };
                self.push(
                    Diagnostic::new(
                        "unknown-name",
                        file,
                        span,
                        format!("unknown unit `{piece}`"),
                    )
                    .label("not a unit or declared count noun")
                    .with_help(help),
                );
                None
            }
            Err(e) => {
                self.quantity_error(e, file, span);
                None
            }
        }
    }

    fn quantity_error(&mut self, e: QuantityError, file: FileId, span: Span) {
        let (code, help) = match &e {
            QuantityError::Mismatch { .. } => (
                "dimension-mismatch",
                "both sides must measure the same thing; check the units of each operand".to_string(),
            ),
            QuantityError::CurrencyMismatch(..) => (
                "dimension-mismatch",
                "keep one currency per design, or convert with an explicit rate `let usd_per_inr = ...`".to_string(),
            ),
            QuantityError::DivisionByZero => ("invalid-quantity", "the divisor is zero or a range that includes zero".to_string()),
            QuantityError::Overflow => ("invalid-quantity", "use a smaller number or a larger unit".to_string()),
            QuantityError::BadRange => ("invalid-quantity", "write the low end first: `50..100 MB/s`".to_string()),
            QuantityError::UnknownUnit(_) => ("unknown-name", "declare the count noun with `noun`".to_string()),
        };
        self.push(
            Diagnostic::new(code, file, span, e.to_string())
                .label("here")
                .with_help(help),
        );
    }

    /// The value of a number literal with an optional unit text.
    pub fn literal(
        &mut self,
        n: &NumberLit,
        unit: Option<(&str, Span)>,
        file: FileId,
    ) -> Option<Quantity> {
        let Some(lo) = units::parse_number(&n.lo) else {
            self.push(
                Diagnostic::new(
                    "invalid-quantity",
                    file,
                    n.span,
                    format!("`{}` is too large or not a number", n.lo),
                )
                .label("here")
                .with_help("use a larger unit or a suffix: `5M`, `3bn`, `2 TB`"),
            );
            return None;
        };
        let hi = match &n.hi {
            Some(h) => match units::parse_number(h) {
                Some(v) => v,
                None => {
                    self.push(
                        Diagnostic::new(
                            "invalid-quantity",
                            file,
                            n.span,
                            format!("`{h}` is too large or not a number"),
                        )
                        .label("here")
                        .with_help("use a larger unit or a suffix: `5M`, `3bn`, `2 TB`"),
                    );
                    return None;
                }
            },
            None => lo,
        };
        let mut text = String::new();
        if let Some(c) = &n.currency {
            text.push_str(c);
        }
        if let Some(t) = &n.tail {
            text.push_str(t);
        }
        if let Some((u, _)) = unit {
            if !text.is_empty() && !u.starts_with('/') {
                text.push('/');
            }
            text.push_str(u);
        }
        let uspan = unit.map(|(_, s)| s).unwrap_or(n.span);
        let unit = if text.is_empty() {
            Unit::none()
        } else {
            self.parse_unit(&text, file, uspan)?
        };
        match Quantity::new(lo, hi, &unit) {
            Ok(q) => Some(q),
            Err(e) => {
                self.quantity_error(e, file, n.span);
                None
            }
        }
    }

    /// Reads a quantity from `atoms[*i..]`: a number and the unit words after it.
    fn atoms_quantity(
        &mut self,
        atoms: &[Atom],
        i: &mut usize,
        file: FileId,
    ) -> Option<(Quantity, Span)> {
        let a = atoms.get(*i)?;
        let AtomKind::Number(n) = &a.kind else {
            return None;
        };
        *i += 1;
        let mut unit: Option<(String, Span)> = None;
        match atoms.get(*i).map(|x| (&x.kind, x.span)) {
            Some((AtomKind::Unit(u), s)) => {
                unit = Some((u.clone(), s));
                *i += 1;
            }
            Some((AtomKind::Percent, s)) => {
                unit = Some(("%".into(), s));
                *i += 1;
            }
            Some((AtomKind::Word(w), s))
                if units::is_unit_word(w) || self.scope.nouns.contains(w) =>
            {
                unit = Some((w.clone(), s));
                *i += 1;
            }
            _ => {}
        }
        let span = unit.as_ref().map(|(_, s)| a.span.to(*s)).unwrap_or(a.span);
        let q = self.literal(n, unit.as_ref().map(|(u, s)| (u.as_str(), *s)), file)?;
        Some((q, span))
    }

    /// A property value that must be one quantity of the given dimension.
    fn expect_quantity(
        &mut self,
        prop: &ast::Property,
        want: Option<(Dimension, &str)>,
        file: FileId,
    ) -> Option<Quantity> {
        let mut i = 0;
        let atoms = &prop.value;
        if atoms
            .iter()
            .any(|a| matches!(&a.kind, AtomKind::Word(w) if w == crate::placeholder::WORD))
        {
            return None; // `unfilled-placeholder` says what to put here
        }
        // A `let` name in place of a literal.
        if let (
            Some(Atom {
                kind: AtomKind::Word(w),
                span,
            }),
            1,
        ) = (atoms.first(), atoms.len())
            && let Some(q) = self.lookup_let(w)
        {
            let q = q.value.clone();
            let q = self.check_dim(q, want, &prop.key.name, file, *span)?;
            return self.non_negative(q, &prop.key.name, file, *span);
        }
        let Some((q, span)) = self.atoms_quantity(atoms, &mut i, file) else {
            if atoms
                .first()
                .is_some_and(|a| matches!(a.kind, AtomKind::Number(_)))
            {
                return None; // already reported
            }
            let at = atoms.first().map(|a| a.span).unwrap_or(prop.key.span);
            let what = want.map(|(_, w)| w).unwrap_or("a quantity");
            self.push(
                Diagnostic::new(
                    "invalid-value",
                    file,
                    at,
                    format!("`{}` takes {what}", prop.key.name),
                )
                .label("not a quantity")
                .with_help(format!(
                    "write it as `{} {}`",
                    prop.key.name,
                    example_for(want)
                )),
            );
            return None;
        };
        if let Some(extra) = atoms.get(i) {
            self.push(
                Diagnostic::new(
                    "invalid-value",
                    file,
                    extra.span,
                    format!("unexpected value after `{}`", prop.key.name),
                )
                .label("not part of the quantity")
                .with_help(format!(
                    "`{}` takes one quantity; if this is a unit, declare it with `noun`",
                    prop.key.name
                )),
            );
        }
        let q = self.check_dim(q, want, &prop.key.name, file, span)?;
        self.non_negative(q, &prop.key.name, file, span)
    }

    /// A stated amount is never below zero: `threads -8` or `peak -2000
    /// payments/s` would otherwise size a design to negative partitions and a
    /// negative bill. (A `let` may go below zero on the way to a result.)
    fn non_negative(
        &mut self,
        q: Quantity,
        key: &str,
        file: FileId,
        span: Span,
    ) -> Option<Quantity> {
        if q.lo >= 0.0 || q.lo.is_nan() {
            return Some(q);
        }
        self.push(
            Diagnostic::new(
                "invalid-value",
                file,
                span,
                format!("`{key}` cannot be negative, but is {}", q.display()),
            )
            .label("below zero")
            .with_help(format!("write the amount `{key}` stands for, 0 or more")),
        );
        None
    }

    fn check_dim(
        &mut self,
        q: Quantity,
        want: Option<(Dimension, &str)>,
        key: &str,
        file: FileId,
        span: Span,
    ) -> Option<Quantity> {
        if let Some((dim, what)) = want
            && !q.dim.same_as(dim)
        {
            self.push(
                Diagnostic::new(
                    "dimension-mismatch",
                    file,
                    span,
                    format!(
                        "`{key}` must be {}, but `{}` is {}",
                        dim.describe(),
                        q.display(),
                        q.dim.describe()
                    ),
                )
                .label(format!("this is {}", q.dim.describe()))
                .with_help(format!("write {what}")),
            );
            return None;
        }
        Some(q)
    }

    fn lookup_let(&self, name: &str) -> Option<&Binding> {
        self.scope.globals.get(name)
    }

    // ── catalogue files ─────────────────────────────────────────────────────

    fn declare_nouns(&mut self, n: &ast::NounDecl) {
        for w in &n.words {
            self.scope
                .nouns
                .declare_with(&w.name.name, w.plural.as_ref().map(|p| p.name.as_str()));
        }
    }

    /// Declares the nouns of a file; done for all files before anything else.
    pub fn collect_nouns(&mut self, file: &ast::File) {
        for item in &file.items {
            match item {
                ast::Item::Noun(n) => self.declare_nouns(n),
                ast::Item::Design(d) => {
                    for s in &d.stmts {
                        if let ast::Stmt::Noun(n) = s {
                            self.declare_nouns(n);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Declares the nouns of the standard library's files, as
    /// [`Resolver::collect_nouns`] of each would: the same words for the same
    /// files, so worked out once per process for each set of files and shared
    /// after that (the files are the process's own, so their addresses name
    /// them).
    pub fn collect_stdlib_nouns(&mut self, files: &[&'static ast::File]) {
        type Key = Vec<usize>;
        static DECLARED: std::sync::Mutex<Vec<(Key, Nouns)>> = std::sync::Mutex::new(Vec::new());
        const KEEP: usize = 8;
        if !self.scope.nouns.is_empty() {
            for f in files {
                self.collect_nouns(f);
            }
            return;
        }
        let key: Key = files
            .iter()
            .map(|f| std::ptr::from_ref::<ast::File>(f) as usize)
            .collect();
        let hit = DECLARED.lock().ok().and_then(|cache| {
            cache
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, nouns)| nouns.clone())
        });
        if let Some(nouns) = hit {
            self.scope.nouns = nouns;
            return;
        }
        for f in files {
            self.collect_nouns(f);
        }
        if let Ok(mut cache) = DECLARED.lock() {
            if cache.len() >= KEEP {
                cache.remove(0);
            }
            cache.push((key, self.scope.nouns.clone()));
        }
    }

    /// Adds the standard library's roles, tools, lets and schemas to a scope
    /// that holds nouns alone, as [`Resolver::collect_catalogue`] of each
    /// stdlib file would. What the stdlib resolves to depends on nothing but
    /// its files' ids and which of its words are declared nouns, so it is
    /// resolved once per process for each such set and copied after that.
    /// Not with `--set` values (they may replace a stdlib figure), nor when
    /// resolving the stdlib reported anything (it does not; tests keep it so).
    pub fn collect_stdlib(&mut self, files: &[(&ast::File, FileId)]) {
        type Key = (Vec<FileId>, Vec<String>);
        #[derive(Clone)]
        struct Resolved {
            catalogue: Catalogue,
            globals: BTreeMap<String, Binding>,
            schemas: Vec<Schema>,
            broken: BTreeSet<String>,
        }
        // Each entry keeps the nouns it was resolved for: a design that
        // declares none of its own shares the stdlib's (see
        // `collect_stdlib_nouns`) and finds its entry without the words.
        type Entry = (Key, Nouns, std::sync::Arc<Resolved>);
        static RESOLVED: std::sync::Mutex<Vec<Entry>> = std::sync::Mutex::new(Vec::new());
        const KEEP: usize = 8;

        let s = &self.scope;
        let fresh = s.catalogue.roles.is_empty()
            && s.catalogue.tools.is_empty()
            && s.globals.is_empty()
            && s.schemas.is_empty()
            && s.broken.is_empty()
            && self.overrides.values.is_empty();
        if !fresh {
            for (file, id) in files {
                self.collect_catalogue(file, *id);
            }
            return;
        }
        let words = crate::stdlib::words();
        let ids: Vec<FileId> = files.iter().map(|(_, id)| *id).collect();
        let nouns = &self.scope.nouns;
        let shared = RESOLVED.lock().ok().and_then(|cache| {
            cache
                .iter()
                .find(|((i, _), n, _)| *i == ids && n.same(nouns))
                .map(|(_, _, r)| std::sync::Arc::clone(r))
        });
        // Else compared by the stdlib words declared, borrowed: owned only
        // when stored.
        let declared: Vec<&str> = match shared {
            Some(_) => Vec::new(),
            None => nouns.all().filter(|w| words.contains(w)).collect(),
        };
        let hit = shared.or_else(|| {
            RESOLVED.lock().ok().and_then(|cache| {
                cache
                    .iter()
                    .find(|((i, w), _, _)| {
                        *i == ids && w.iter().map(String::as_str).eq(declared.iter().copied())
                    })
                    .map(|(_, _, r)| std::sync::Arc::clone(r))
            })
        });
        if let Some(r) = hit {
            let r = Resolved::clone(&r);
            self.scope.catalogue = r.catalogue;
            self.scope.globals = r.globals;
            self.scope.schemas = r.schemas;
            self.scope.broken = r.broken;
            return;
        }
        let key: Key = (ids, declared.iter().map(|w| w.to_string()).collect());
        let before = self.diags.len();
        for (file, id) in files {
            self.collect_catalogue(file, *id);
        }
        if self.diags.len() != before {
            return;
        }
        let s = &self.scope;
        let r = std::sync::Arc::new(Resolved {
            catalogue: s.catalogue.clone(),
            globals: s.globals.clone(),
            schemas: s.schemas.clone(),
            broken: s.broken.clone(),
        });
        if let Ok(mut cache) = RESOLVED.lock() {
            if cache.len() >= KEEP {
                cache.remove(0);
            }
            cache.push((key, self.scope.nouns.clone(), r));
        }
    }

    /// Adds a file's roles, tools, lets and schemas to the scope.
    pub fn collect_catalogue(&mut self, file: &ast::File, id: FileId) {
        for item in &file.items {
            if let ast::Item::Role(r) = item {
                self.role(r, id)
            }
        }
        for item in &file.items {
            match item {
                ast::Item::Tool(t) => self.tool(t, id),
                ast::Item::Let(l) => {
                    if let Some(b) = self.eval_let(l, id, &BTreeMap::new()) {
                        let b = self.overridden(b);
                        if self.scope.globals.contains_key(&b.name) {
                            self.duplicate(&l.name, id, "a let");
                        }
                        self.scope.globals.insert(b.name.clone(), b);
                    }
                }
                ast::Item::Schema(s) => {
                    if let Some(s) = self.schema(s, id) {
                        self.scope.schemas.push(s);
                    }
                }
                _ => {}
            }
        }
    }

    fn duplicate(&mut self, name: &Ident, file: FileId, what: &str) {
        self.push(
            Diagnostic::new(
                "duplicate-name",
                file,
                name.span,
                format!("{what} named `{}` is already declared", name.name),
            )
            .label("declared again here")
            .with_help("rename one of them or remove the copy"),
        );
    }

    fn words_of(value: &[Atom]) -> Vec<String> {
        value
            .iter()
            .filter_map(|a| match &a.kind {
                AtomKind::Word(w) => Some(w.clone()),
                AtomKind::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect()
    }

    fn role(&mut self, r: &ast::RoleDecl, file: FileId) {
        let mut info = RoleInfo {
            name: r.name.name.clone(),
            title: r
                .title
                .as_ref()
                .map(|t| t.value.clone())
                .unwrap_or_default(),
            can: Vec::new(),
            cannot: Vec::new(),
            gives_up: String::new(),
            latency_floor: None,
            kind: RoleKind::Processor,
            file,
            span: r.name.span,
        };
        for p in &r.block.props {
            match p.key.name.as_str() {
                "can" => info.can.extend(Self::words_of(&p.value)),
                "cannot" => info.cannot.extend(Self::words_of(&p.value)),
                "gives_up" => info.gives_up = Self::words_of(&p.value).join(" "),
                "kind" => {
                    let word = Self::words_of(&p.value).join(" ");
                    match RoleKind::from_word(&word) {
                        Some(k) => info.kind = k,
                        None => self.push(
                            Diagnostic::new(
                                "invalid-value",
                                file,
                                p.span,
                                format!("`{word}` is not a kind of role"),
                            )
                            .label("unknown kind")
                            .with_help(format!("kinds are: {}", RoleKind::WORDS.join(", "))),
                        ),
                    }
                }
                "latency_floor" => {
                    info.latency_floor =
                        self.expect_quantity(p, Some((Dimension::TIME, "a time")), file)
                }
                _ => {}
            }
        }
        if self.scope.catalogue.roles.contains_key(&info.name) {
            self.duplicate(&r.name, file, "a role");
        }
        std::sync::Arc::make_mut(&mut self.scope.catalogue.roles).insert(info.name.clone(), info);
    }

    fn tool(&mut self, t: &ast::ToolDecl, file: FileId) {
        use crate::ast::keys::TOOL_FLAGS;
        // A tool declared again (a project's catalogue over stdlib's) changes the
        // figures and flags it states and keeps the rest: one price, not the tool.
        let previous = self.scope.catalogue.tools.get(&t.name.name).cloned();
        let mut info = match previous {
            Some(prev) => ToolInfo {
                title: t
                    .title
                    .as_ref()
                    .map(|t| t.value.clone())
                    .unwrap_or(prev.title.clone()),
                file,
                span: t.name.span,
                ..prev
            },
            None => ToolInfo {
                name: t.name.name.clone(),
                title: t
                    .title
                    .as_ref()
                    .map(|t| t.value.clone())
                    .unwrap_or_default(),
                roles: Vec::new(),
                figures: BTreeMap::new(),
                flags: Vec::new(),
                runs_on: None,
                cloud: None,
                sources: BTreeMap::new(),
                file,
                span: t.name.span,
            },
        };
        for role in &t.roles {
            if !self.scope.catalogue.roles.contains_key(&role.name) {
                self.unknown_role(role, file);
            }
            if !info.roles.contains(&role.name) {
                info.roles.push(role.name.clone());
            }
        }
        let mut cites: Vec<(&ast::Property, FigureSource)> = Vec::new();
        let mut stated: Vec<String> = Vec::new();
        for p in &t.block.props {
            match p.key.name.as_str() {
                key if TOOL_FLAGS.contains(&key) => {
                    // `managed transactional idempotent_writes`: flags written on
                    // one line are one property whose value is the other flags.
                    // `managed false` says it is not: the flag is left off.
                    let off = matches!(p.value.first().and_then(ident_text), Some("false"));
                    if off {
                        info.flags.retain(|f| f != key);
                    } else if !info.flags.iter().any(|f| f == key) {
                        info.flags.push(key.to_string());
                    }
                    for a in &p.value {
                        match ident_text(a) {
                            Some("true" | "false") if p.value.len() == 1 => {}
                            Some(w) if TOOL_FLAGS.contains(&w) => {
                                if !info.flags.iter().any(|f| f == w) {
                                    info.flags.push(w.to_string());
                                }
                            }
                            _ => self.push(
                                Diagnostic::new(
                                    "invalid-value",
                                    file,
                                    a.span,
                                    format!("`{key}` is a yes/no fact and takes no value"),
                                )
                                .label("not a tool flag")
                                .with_help(format!(
                                    "write flags side by side ({}), and each figure on its own line",
                                    TOOL_FLAGS.join(", ")
                                )),
                            ),
                        }
                    }
                }
                "runs_on" => {
                    info.runs_on = p.value.first().and_then(ident_text).map(str::to_string)
                }
                "cloud" => {
                    let word = p.value.first().and_then(ident_text);
                    match word {
                        Some(w) if crate::cloud::CLOUDS.contains(&w) && p.value.len() == 1 => {
                            info.cloud = Some(w.to_string())
                        }
                        _ => self.push(
                            Diagnostic::new(
                                "invalid-value",
                                file,
                                p.span,
                                "`cloud` on a tool names the one cloud whose service it is",
                            )
                            .label("not a cloud")
                            .with_help(format!(
                                "write one of {}, or leave it out for a tool that runs anywhere",
                                crate::cloud::CLOUDS.join(", ")
                            )),
                        ),
                    }
                }
                "vendor" | "also" => {}
                "cite" => {
                    if let Some(source) = self.cite(p, file) {
                        cites.push((p, source));
                    }
                }
                key => {
                    if let Some(q) = self.expect_quantity(p, tool_figure_dimension(key), file) {
                        info.figures.insert(key.to_string(), q);
                        info.sources
                            .insert(key.to_string(), FigureSource::Redeclared { file });
                        stated.push(key.to_string());
                    }
                }
            }
        }
        // `cite per_partition, per_broker "https://…" as_of "…" region "…"`.
        for (p, source) in cites {
            for a in &p.value {
                let Some(w) = ident_text(a) else { continue };
                if matches!(w, "as_of" | "region" | "reference") {
                    break;
                }
                if stated.iter().any(|s| s == w) {
                    info.sources.insert(w.to_string(), source.clone());
                } else {
                    let names: Vec<&str> = stated.iter().map(String::as_str).collect();
                    let help = suggest::help_for(
                        w,
                        names.clone(),
                        &format!("this block states: {}", names.join(", ")),
                    );
                    self.push(
                        Diagnostic::new(
                            "unknown-name",
                            file,
                            a.span,
                            format!("`cite` names `{w}`, which this `tool` block does not state"),
                        )
                        .label("no such figure here")
                        .with_help(help),
                    );
                }
            }
        }
        let keys: Vec<String> = self.overrides.values.keys().cloned().collect();
        for key in keys {
            if let Some(figure) = key.strip_prefix(&format!("{}.", info.name))
                && crate::ast::keys::is_tool_key(figure)
                && let Some(q) = self.overrides.take(&key)
            {
                info.figures.insert(figure.to_string(), q);
                info.sources.insert(figure.to_string(), FigureSource::Set);
            }
        }
        std::sync::Arc::make_mut(&mut self.scope.catalogue.tools).insert(info.name.clone(), info);
    }

    /// A `cite` line's source: a quoted public address with `as_of "YYYY-MM-DD"`
    /// and `region "…"`, or `reference "where in it"`.
    fn cite(&mut self, p: &ast::Property, file: FileId) -> Option<FigureSource> {
        let mut url = None;
        let mut as_of = None;
        let mut region = None;
        let mut it = p.value.iter().peekable();
        while let Some(a) = it.next() {
            match (&a.kind, ident_text(a)) {
                (_, Some("reference")) => {
                    let at = match it.peek().map(|n| &n.kind) {
                        Some(AtomKind::Str(s)) => format!("{}, {s}", crate::model::REFERENCE),
                        _ => crate::model::REFERENCE.to_string(),
                    };
                    return Some(FigureSource::Cited {
                        url: at,
                        as_of: "the reference".into(),
                        region: "every region".into(),
                    });
                }
                (_, Some("as_of")) => {
                    if let Some(AtomKind::Str(s)) = it.next().map(|n| &n.kind) {
                        as_of = Some(s.clone());
                    }
                }
                (_, Some("region")) => {
                    if let Some(AtomKind::Str(s)) = it.next().map(|n| &n.kind) {
                        region = Some(s.clone());
                    }
                }
                (AtomKind::Str(s), _) if url.is_none() => url = Some(s.clone()),
                _ => {}
            }
        }
        let date_ok = as_of.as_deref().is_some_and(is_iso_date);
        match (url, as_of, region) {
            (Some(url), Some(as_of), Some(region)) if date_ok => {
                Some(FigureSource::Cited { url, as_of, region })
            }
            _ => {
                self.push(
                    Diagnostic::new(
                        "invalid-value",
                        file,
                        p.span,
                        "a `cite` needs the page, the date it was read and the region",
                    )
                    .label("incomplete source")
                    .with_help(
                        "write `cite FIGURE \"https://…\" as_of \"2026-12-01\" region \"us-east-1\"`, or `cite FIGURE reference \"part 3\"`",
                    ),
                );
                None
            }
        }
    }

    fn unknown_role(&mut self, role: &Ident, file: FileId) {
        let names: Vec<&str> = self
            .scope
            .catalogue
            .roles
            .keys()
            .map(String::as_str)
            .collect();
        let help = suggest::help_for(
            &role.name,
            names.clone(),
            &format!("roles are: {}", names.join(", ")),
        );
        self.push(
            Diagnostic::new(
                "unknown-name",
                file,
                role.span,
                format!("unknown role `{}`", role.name),
            )
            .label("not a role")
            .with_help(help),
        );
    }

    // ── expressions ─────────────────────────────────────────────────────────

    /// A `let` replaced by `--set`, showing where its value came from.
    pub(crate) fn overridden(&mut self, mut b: Binding) -> Binding {
        if let Some(q) = self.overrides.take(&b.name) {
            b.with_values = format!("{} (--set)", q.display());
            b.formula = format!("{} (--set)", b.name);
            b.value = q;
        }
        b
    }

    /// Evaluates `--set` texts: `name=5000 payments/s`, each parsed as a `let`.
    pub fn eval_override(&mut self, l: &ast::LetDecl, file: FileId) -> Option<Quantity> {
        self.eval_let(l, file, &BTreeMap::new()).map(|b| b.value)
    }

    fn eval_let(
        &mut self,
        l: &ast::LetDecl,
        file: FileId,
        local: &BTreeMap<String, Binding>,
    ) -> Option<Binding> {
        let mut formula = String::new();
        let mut with_values = String::new();
        let value = self.eval(&l.value, file, local, &mut formula, &mut with_values)?;
        Some(Binding {
            name: l.name.name.clone(),
            value,
            formula,
            with_values,
            file,
            span: l.name.span.to(l.value.span),
        })
    }

    fn eval(
        &mut self,
        e: &ast::Expr,
        file: FileId,
        local: &BTreeMap<String, Binding>,
        formula: &mut String,
        values: &mut String,
    ) -> Option<Quantity> {
        self.eval_marked(e, file, local, formula, values)
            .map(|(q, _)| q)
    }

    /// `eval`, and whether the value is a rate times a time (`peak * 0.3 ms`,
    /// possibly scaled by plain numbers): how many are in flight at once
    /// (Little's law), which rounded up by `ceil` or `floor` counts the workers
    /// that hold them, not the records (`ceil(peak * 0.3 ms)` is 3, not "3
    /// events"). A let's name does not carry the mark; `as` ends it.
    fn eval_marked(
        &mut self,
        e: &ast::Expr,
        file: FileId,
        local: &BTreeMap<String, Binding>,
        formula: &mut String,
        values: &mut String,
    ) -> Option<(Quantity, bool)> {
        match &e.kind {
            ExprKind::Quantity { number, unit } => {
                let q = self.literal(number, unit.as_ref().map(|(u, s)| (u.as_str(), *s)), file)?;
                // Literals read as written: `365 day`, `5x`, `$0.004/GB/month`.
                let mut text = String::new();
                text.push_str(number.currency.as_deref().unwrap_or(""));
                text.push_str(&number.lo);
                if let Some(h) = &number.hi {
                    text.push_str("..");
                    text.push_str(h);
                }
                text.push_str(number.tail.as_deref().unwrap_or(""));
                if let Some((u, _)) = unit {
                    if u != "x" && u != "%" {
                        text.push(' ');
                    }
                    text.push_str(u);
                }
                formula.push_str(&text);
                values.push_str(&text);
                Some((q, false))
            }
            ExprKind::Ref(parts) => {
                let q = self.eval_ref(parts, file, local, e.span)?;
                let name: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
                formula.push_str(&name.join("."));
                values.push_str(&q.display());
                Some((q, false))
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let paren = |f: &mut String, v: &mut String, s: &str| {
                    f.push_str(s);
                    v.push_str(s);
                };
                let lp = matches!(
                    lhs.kind,
                    ExprKind::Binary {
                        op: ast::BinOp::Add | ast::BinOp::Sub,
                        ..
                    }
                ) && matches!(op, ast::BinOp::Mul | ast::BinOp::Div);
                let rp =
                    matches!(rhs.kind, ExprKind::Binary { .. }) && !matches!(op, ast::BinOp::Add);
                if lp {
                    paren(formula, values, "(");
                }
                let a = self.eval_marked(lhs, file, local, formula, values);
                if lp {
                    paren(formula, values, ")");
                }
                paren(formula, values, &format!(" {} ", op.symbol()));
                if rp {
                    paren(formula, values, "(");
                }
                let b = self.eval_marked(rhs, file, local, formula, values);
                if rp {
                    paren(formula, values, ")");
                }
                let ((a, ma), (b, mb)) = (a?, b?);
                // A count rate times a time; a marked value scaled by a plain number.
                let rate = |q: &Quantity| q.dim.same_as(Dimension::RATE);
                let time = |q: &Quantity| q.dim.same_as(Dimension::TIME);
                let plain = |q: &Quantity| q.dim.is_dimensionless() && q.noun.is_none();
                let mark = match op {
                    ast::BinOp::Mul => {
                        (rate(&a) && time(&b))
                            || (time(&a) && rate(&b))
                            || (ma && plain(&b))
                            || (mb && plain(&a))
                    }
                    ast::BinOp::Div => ma && plain(&b),
                    ast::BinOp::Add | ast::BinOp::Sub => ma && mb,
                };
                let r = match op {
                    ast::BinOp::Add => a.add(&b),
                    ast::BinOp::Sub => a.sub(&b),
                    ast::BinOp::Mul => a.mul(&b),
                    ast::BinOp::Div => a.div(&b),
                };
                match r {
                    Ok(q) => Some((q, mark)),
                    Err(QuantityError::Mismatch { op, left, right }) => {
                        self.push(
                            Diagnostic::new(
                                "dimension-mismatch",
                                file,
                                e.span,
                                format!("cannot {op} {} and {}", left.describe(), right.describe()),
                            )
                            .label(format!("{} {} {}", left.describe(), op_word(op), right.describe()))
                            .also(file, lhs.span, format!("this is {}", left.describe()))
                            .also(file, rhs.span, format!("this is {}", right.describe()))
                            .with_help("only quantities of the same dimension can be added, subtracted or compared"),
                        );
                        None
                    }
                    Err(err) => {
                        self.quantity_error(err, file, e.span);
                        None
                    }
                }
            }
            ExprKind::Neg(inner) => {
                formula.push('-');
                values.push('-');
                self.eval_marked(inner, file, local, formula, values)
                    .map(|(q, mark)| (q.neg(), mark))
            }
            ExprKind::Call { name, args } => {
                formula.push_str(&name.name);
                formula.push('(');
                values.push_str(&name.name);
                values.push('(');
                let mut qs = Vec::new();
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        formula.push_str(", ");
                        values.push_str(", ");
                    }
                    qs.push(self.eval_marked(a, file, local, formula, values));
                }
                formula.push(')');
                values.push(')');
                let qs: Option<Vec<(Quantity, bool)>> = qs.into_iter().collect();
                let qs = qs?;
                let arity = |n: usize, this: &mut Self| {
                    if qs.len() != n {
                        this.push(
                            Diagnostic::new(
                                "invalid-value",
                                file,
                                e.span,
                                format!(
                                    "`{}` takes {n} argument(s), found {}",
                                    name.name,
                                    qs.len()
                                ),
                            )
                            .label("wrong number of arguments")
                            .with_help(format!("write `{}(x)`", name.name)),
                        );
                        false
                    } else {
                        true
                    }
                };
                let result = match name.name.as_str() {
                    // Rounded to whole workers, a rate times a time is no
                    // longer a count of the rate's records (see `eval_marked`).
                    "ceil" | "floor" => arity(1, self)
                        .then(|| {
                            qs.first().map(|(q, in_flight)| {
                                let mut whole = if name.name == "ceil" {
                                    q.ceil()
                                } else {
                                    q.floor()
                                };
                                if *in_flight {
                                    whole.noun = None;
                                }
                                whole
                            })
                        })
                        .flatten()
                        .map(Ok),
                    "max" | "min" => {
                        let mut it = qs.iter().map(|(q, _)| q);
                        let first = it.next().cloned();
                        first.map(|f| {
                            it.try_fold(f, |acc, q| {
                                if name.name == "max" {
                                    acc.max(q)
                                } else {
                                    acc.min(q)
                                }
                            })
                        })
                    }
                    other => {
                        let help = suggest::help_for(
                            other,
                            vec!["ceil", "floor", "max", "min"],
                            "functions are ceil, floor, max and min",
                        );
                        self.push(
                            Diagnostic::new(
                                "unknown-name",
                                file,
                                name.span,
                                format!("unknown function `{other}`"),
                            )
                            .label("not a function")
                            .with_help(help),
                        );
                        None
                    }
                };
                match result? {
                    Ok(q) => Some((q, false)),
                    Err(err) => {
                        self.quantity_error(err, file, e.span);
                        None
                    }
                }
            }
            ExprKind::As { expr, unit } => {
                let q = self.eval(expr, file, local, formula, values)?;
                let u = self.parse_unit(&unit.0, file, unit.1)?;
                match q.shown_as(&u) {
                    Ok(q) => Some((q, false)),
                    Err(_) => {
                        self.push(
                            Diagnostic::new(
                                "dimension-mismatch",
                                file,
                                unit.1,
                                format!(
                                    "cannot show {} in `{}`, which is {}",
                                    q.dim.describe(),
                                    unit.0,
                                    u.dim.describe()
                                ),
                            )
                            .label(format!("this is {}", u.dim.describe()))
                            .also(file, expr.span, format!("this is {}", q.dim.describe()))
                            .with_help("`as` converts between units of the same dimension only"),
                        );
                        None
                    }
                }
            }
        }
    }

    fn eval_ref(
        &mut self,
        parts: &[Ident],
        file: FileId,
        local: &BTreeMap<String, Binding>,
        span: Span,
    ) -> Option<Quantity> {
        let first = parts.first()?;
        if parts.len() == 1
            && let Some(b) = local
                .get(&first.name)
                .or_else(|| self.scope.globals.get(&first.name))
        {
            return Some(b.value.clone());
        }
        // Schema.size.raw / Schema.size.compressed
        if let Some(schema) = self
            .scope
            .schemas
            .iter()
            .rev()
            .find(|s| s.name.name == first.name)
        {
            let what: Vec<&str> = parts.iter().skip(1).map(|p| p.name.as_str()).collect();
            let q = match what.as_slice() {
                ["size", "raw"] | ["size"] => schema.size_raw.clone(),
                ["size", "compressed"] => schema.size_compressed.clone(),
                _ => {
                    self.push(
                        Diagnostic::new(
                            "unknown-name",
                            file,
                            span,
                            format!("`{}` has no quantity `{}`", first.name, what.join(".")),
                        )
                        .label("not a schema figure")
                        .with_help(format!(
                            "a schema gives `{0}.size.raw` and `{0}.size.compressed`",
                            first.name
                        )),
                    );
                    return None;
                }
            };
            if q.is_none() {
                self.push(
                    Diagnostic::new(
                        "unknown-name",
                        file,
                        span,
                        format!("schema `{}` declares no {}", first.name, what.join(".")),
                    )
                    .label("not declared")
                    .with_help("add `size raw 400 B, compressed 180 B` to the schema"),
                );
            }
            return q;
        }
        if first.name == crate::placeholder::WORD || self.scope.broken.contains(&first.name) {
            // A placeholder, or a name whose definition already has an error: that
            // error says what to fix.
            return None;
        }
        let mut names: Vec<&str> = local.keys().map(String::as_str).collect();
        names.extend(self.scope.globals.keys().map(String::as_str));
        names.extend(self.scope.schemas.iter().map(|s| s.name.name.as_str()));
        let help = suggest::help_for(
            &first.name,
            names,
            "declare it with `let` above this line, or use a requirement such as `volume` or `peak`",
        );
        self.push(
            Diagnostic::new(
                "unknown-name",
                file,
                first.span,
                format!("unknown name `{}`", first.name),
            )
            .label("not declared")
            .with_help(help),
        );
        None
    }

    // ── schemas ─────────────────────────────────────────────────────────────

    pub fn schema(&mut self, s: &ast::SchemaDecl, file: FileId) -> Option<Schema> {
        let mut out = Schema {
            name: s.name.clone(),
            version: s.version.map(|v| v.0).unwrap_or(1),
            fields: Vec::new(),
            size_raw: None,
            size_compressed: None,
            evolution: None,
            file,
            span: s.span,
        };
        let mut seen = BTreeSet::new();
        for f in &s.fields {
            if !seen.insert(f.name.name.clone()) {
                self.duplicate(&f.name, file, "a field");
            }
            let ty = match &f.ty.kind {
                AtomKind::Word(w) | AtomKind::Generic(w) => w.clone(),
                _ => String::new(),
            };
            if ty.is_empty() {
                self.push(
                    Diagnostic::new("invalid-value", file, f.ty.span, format!("field `{}` needs a type", f.name.name))
                        .label("not a type")
                        .with_help("types are string, int32, int64, float, double, decimal, bool, timestamp, date, bytes, json, uuid, list[T], map[K, V] or a schema name"),
                );
            }
            let mut field = SchemaField {
                name: f.name.clone(),
                ty: ty.clone(),
                key: false,
                pii: false,
                event_time: false,
                nullable: false,
                default: None,
                cardinality: None,
                skewed: false,
                span: f.span,
            };
            let mut i = 0;
            while let Some(m) = f.modifiers.get(i) {
                i += 1;
                match ident_text(m) {
                    Some("key") | Some("partition_key") | Some("sort_key") | Some("unique") => {
                        field.key = true
                    }
                    Some("pii") => field.pii = true,
                    Some("event_time") => field.event_time = true,
                    Some("nullable") => field.nullable = true,
                    Some("deprecated") => {}
                    Some("skewed") => field.skewed = true,
                    Some("default") => {
                        field.default = f.modifiers.get(i).map(|a| match &a.kind {
                            AtomKind::Word(w) | AtomKind::Str(w) => w.clone(),
                            AtomKind::Number(n) => n.lo.clone(),
                            _ => String::new(),
                        });
                        i += 1;
                    }
                    Some("cardinality") => {
                        let mut j = i;
                        field.cardinality =
                            self.atoms_quantity(&f.modifiers, &mut j, file).map(|q| q.0);
                        i = j.max(i + 1);
                    }
                    _ => {
                        let word = ident_text(m).unwrap_or("this");
                        let help = suggest::help_for(
                            word,
                            FIELD_MODIFIERS.to_vec(),
                            &format!(
                                "field modifiers are: {}; another field on the same line starts with its name and a built-in type (a field typed by a schema starts its own line)",
                                FIELD_MODIFIERS.join(", ")
                            ),
                        );
                        self.push(
                            Diagnostic::new(
                                "unknown-property",
                                file,
                                m.span,
                                format!("`{word}` is not a field modifier"),
                            )
                            .label("unknown modifier")
                            .with_help(help),
                        );
                    }
                }
            }
            out.fields.push(field);
        }
        for p in &s.props {
            match p.key.name.as_str() {
                "size" => self.schema_size(p, file, &mut out),
                "evolution" => {
                    let words = Self::words_of(&p.value);
                    let compat = match words.first().map(String::as_str) {
                        Some("backward") => Some(Compatibility::Backward),
                        Some("forward") => Some(Compatibility::Forward),
                        Some("full") => Some(Compatibility::Full),
                        Some("none") => Some(Compatibility::None),
                        _ => None,
                    };
                    let Some(compatibility) = compat else {
                        self.push(
                            Diagnostic::new("invalid-value", file, p.span, "`evolution` takes a compatibility: backward, forward, full or none")
                                .label("no compatibility named")
                                .with_help("write `evolution backward via registry`"),
                        );
                        continue;
                    };
                    let via = p
                        .value
                        .iter()
                        .position(|a| ident_text(a) == Some("via"))
                        .and_then(|i| p.value.get(i + 1))
                        .and_then(atom_ident);
                    out.evolution = Some(Evolution {
                        compatibility,
                        via,
                        span: p.span,
                    });
                }
                _ => {}
            }
        }
        Some(out)
    }

    /// `size raw 400 B, compressed 180 B`: bytes per record.
    fn schema_size(&mut self, p: &ast::Property, file: FileId, out: &mut Schema) {
        let mut i = 0;
        while i < p.value.len() {
            let which = p.value.get(i).and_then(ident_text).map(str::to_string);
            let which = match which {
                Some(w) => {
                    i += 1;
                    w
                }
                None => "raw".to_string(),
            };
            let Some((q, span)) = self.atoms_quantity(&p.value, &mut i, file) else {
                let at = p.value.get(i).map(|a| a.span).unwrap_or(p.span);
                self.push(
                    Diagnostic::new(
                        "invalid-value",
                        file,
                        at,
                        "`size` takes `raw SIZE` and `compressed SIZE`",
                    )
                    .label("expected a size")
                    .with_help("write `size raw 400 B, compressed 180 B`"),
                );
                return;
            };
            let Some(q) = self.check_dim(
                q,
                Some((Dimension::BYTES, "a size per record, like `400 B`")),
                "size",
                file,
                span,
            ) else {
                return;
            };
            match which.as_str() {
                "raw" | "json" | "avg" => out.size_raw = Some(q),
                "compressed" | "stored" => out.size_compressed = Some(q),
                other => {
                    self.push(
                        Diagnostic::new(
                            "unknown-property",
                            file,
                            span,
                            format!("`{other}` is not a schema size"),
                        )
                        .label("unknown size")
                        .with_help("sizes are `raw` and `compressed`"),
                    );
                }
            }
            if matches!(p.value.get(i).map(|a| &a.kind), Some(AtomKind::Comma)) {
                i += 1;
            }
        }
    }
}

fn op_word(op: &str) -> &'static str {
    match op {
        "add" => "+",
        "subtract" => "-",
        "compare" => "vs",
        _ => "vs",
    }
}

fn example_for(want: Option<(Dimension, &str)>) -> &'static str {
    match want.map(|w| w.0) {
        Some(d) if d == Dimension::TIME => "7 days",
        Some(d) if d == Dimension::BYTES => "5 KB",
        Some(d) if d == Dimension::RATE => "2000 events/s",
        Some(d) if d == Dimension::BYTE_RATE => "200 MB/s",
        _ => "6",
    }
}

mod design;
pub use design::resolve_design;

/// The dimension a tool's limit must have: a limit in bytes and one in records
/// are different figures, so one written in the other's unit is an error.
fn tool_figure_dimension(key: &str) -> Option<(Dimension, &'static str)> {
    Some(match key {
        "per_partition" | "per_partition_out" | "per_broker" | "per_cluster"
        | "per_cluster_out" => (
            Dimension::BYTE_RATE,
            "bytes per second, like `1 MB/s` (a limit in records goes in `per_partition_records`)",
        ),
        "per_partition_records" => (
            Dimension::RATE,
            "records per second, like `1000 records/s` (a limit in bytes goes in `per_partition`)",
        ),
        "scan_rate" => (Dimension::BYTE_RATE, "bytes per second, like `200 MB/s`"),
        "latency_floor" | "put_latency" | "cold_query" | "lookup" => {
            (Dimension::TIME, "a time, like `10 ms`")
        }
        "overhead" => (Dimension::BYTES, "bytes, like `100 B`"),
        _ => return None,
    })
}

/// `2026-12-01`.
fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    matches!(parts.as_slice(), [y, m, d]
        if y.len() == 4 && m.len() == 2 && d.len() == 2
            && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
            && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
            && (1..=31).contains(&d.parse::<u32>().unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the stdlib resolves to, as text, for a scope holding `nouns`:
    /// file by file, or through the once-per-process copy.
    fn stdlib_scope(nouns: &[&str], shared: bool) -> (String, usize) {
        let mut diags = Vec::new();
        let mut r = Resolver::new(&mut diags);
        for n in nouns {
            r.scope.nouns.declare(n);
        }
        let files: Vec<(&ast::File, FileId)> = crate::stdlib::parsed()
            .iter()
            .zip(0u32..)
            .map(|(p, i)| (&p.ast, FileId(i)))
            .collect();
        if shared {
            r.collect_stdlib(&files);
        } else {
            for (f, id) in &files {
                r.collect_catalogue(f, *id);
            }
        }
        let s = &r.scope;
        let text = format!(
            "{:?}\n{:?}\n{:?}\n{:?}",
            s.catalogue, s.globals, s.schemas, s.broken
        );
        (text, diags.len())
    }

    /// The copy is what resolving the stdlib file by file gives, on the first
    /// call (resolved and kept) and the second (copied), for no nouns, for
    /// nouns the stdlib never writes, and for every word of the stdlib
    /// declared a noun, which changes how it reads (and is not kept).
    #[test]
    fn the_stdlib_resolved_once_is_the_stdlib_resolved_each_time() {
        let every: Vec<&str> = crate::stdlib::words().iter().copied().collect();
        let sets: [&[&str]; 4] = [&[], &["widget", "gadget"], &["record"], &every];
        for nouns in sets {
            let alone = stdlib_scope(nouns, false);
            assert_eq!(stdlib_scope(nouns, true), alone, "{nouns:?}, first");
            assert_eq!(stdlib_scope(nouns, true), alone, "{nouns:?}, again");
        }
        // The key tells the sets apart: every word a noun reads otherwise.
        assert_ne!(stdlib_scope(&every, true), stdlib_scope(&[], true));
    }

    /// The stdlib's nouns, shared by every design, are the nouns of its files
    /// declared one by one; a design that declares one more gets a copy with
    /// it, and the next design still gets the stdlib's alone, and the stdlib
    /// it reads with them.
    #[test]
    fn the_stdlib_nouns_shared_are_the_nouns_declared_each_time() {
        let files: Vec<&'static ast::File> =
            crate::stdlib::parsed().iter().map(|p| &p.ast).collect();
        let nouns_of = |shared: bool, extra: Option<&str>| -> Vec<String> {
            let mut diags = Vec::new();
            let mut r = Resolver::new(&mut diags);
            if shared {
                r.collect_stdlib_nouns(&files);
            } else {
                for f in &files {
                    r.collect_nouns(f);
                }
            }
            if let Some(w) = extra {
                r.scope.nouns.declare(w);
            }
            r.scope.nouns.all().map(str::to_string).collect()
        };
        let alone = nouns_of(false, None);
        assert!(!alone.is_empty(), "the stdlib declares nouns");
        assert_eq!(nouns_of(true, None), alone);
        let with = nouns_of(true, Some("widget"));
        assert!(with.iter().any(|w| w == "widgets"), "{with:?}");
        assert_eq!(
            nouns_of(true, None),
            alone,
            "the shared nouns were written to"
        );
        // The catalogue resolved for the shared nouns is found by them, and
        // is the one resolved file by file.
        let resolved = |shared: bool| {
            let mut diags = Vec::new();
            let mut r = Resolver::new(&mut diags);
            r.collect_stdlib_nouns(&files);
            let ids: Vec<(&ast::File, FileId)> = files
                .iter()
                .map(|f| &**f)
                .zip((0u32..).map(FileId))
                .collect();
            if shared {
                r.collect_stdlib(&ids);
            } else {
                for (f, id) in &ids {
                    r.collect_catalogue(f, *id);
                }
            }
            format!("{:?}\n{:?}", r.scope.catalogue, r.scope.globals)
        };
        let alone = resolved(false);
        assert_eq!(resolved(true), alone, "first");
        assert_eq!(resolved(true), alone, "again");
    }
}

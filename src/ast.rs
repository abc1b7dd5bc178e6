//! The typed syntax tree. Every node has a byte span; comments are kept beside
//! the items so the formatter can put them back.
//!
//! Blocks are lowered to `Property` lists against the property names each construct
//! knows (see `keys`); a property's value stays a list of atoms here and gets its
//! type (quantity, name, string, comparison) in `resolve`.

use crate::source::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StrLit {
    pub value: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct File {
    pub items: Vec<Item>,
    pub comments: Vec<Comment>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Import(Import),
    Design(Design),
    Role(RoleDecl),
    Tool(ToolDecl),
    Noun(NounDecl),
    Let(LetDecl),
    Schema(SchemaDecl),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    pub path: StrLit,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Design {
    pub name: Ident,
    pub title: Option<StrLit>,
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    Requirements(Block),
    Let(LetDecl),
    Schema(SchemaDecl),
    Node(NodeDecl),
    Flow(FlowDecl),
    Path(PathDecl),
    Group(GroupDecl),
    Use(UseDecl),
    Failure(FailureDecl),
    Allow(AllowDecl),
    Noun(NounDecl),
    Hard(HardProblem),
}

/// `{ key value... }`: the properties of one block, in source order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Block {
    pub props: Vec<Property>,
    pub span: Span,
}

impl Block {
    pub fn get(&self, key: &str) -> Option<&Property> {
        self.props.iter().find(|p| p.key.name == key)
    }
    pub fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Property> + 'a {
        self.props.iter().filter(move |p| p.key.name == key)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Property {
    pub key: Ident,
    pub value: Vec<Atom>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Atom {
    pub kind: AtomKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Le,
    Ge,
    Lt,
    Gt,
    Eq,
    Ne,
}

impl Cmp {
    pub fn as_str(self) -> &'static str {
        match self {
            Cmp::Le => "<=",
            Cmp::Ge => ">=",
            Cmp::Lt => "<",
            Cmp::Gt => ">",
            Cmp::Eq => "==",
            Cmp::Ne => "!=",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum AtomKind {
    /// `5M`, `2.5`, `50..100` (the texts of the ends), `$0.02/GB/month`.
    Number(Box<NumberLit>),
    /// `payments/day`, `MB/s`: a unit with a slash.
    Unit(String),
    /// A name or dotted path: `payment_id`, `Payment.occurred_at`, `parquet`.
    Word(String),
    Str(String),
    /// Free text in a failure block, as written (`broker's disk fills - writes
    /// rejected`): from the first word to the last, to the end of the line.
    Text(String),
    /// `merge(order_id)`, `partition(day)`.
    Call {
        name: Ident,
        args: Vec<Atom>,
    },
    /// `list[Item]`.
    Generic(String),
    /// `02:00`.
    Clock(String),
    Cmp(Cmp),
    Arrow,
    Comma,
    Percent,
}

/// A number literal as written; `units.rs` gives it a value.
#[derive(Clone, Debug, PartialEq)]
pub struct NumberLit {
    pub lo: String,
    pub hi: Option<String>,
    pub currency: Option<String>,
    /// `/GB/month` after a money literal.
    pub tail: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LetDecl {
    pub name: Ident,
    pub value: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "×",
            BinOp::Div => "/",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Quantity {
        number: NumberLit,
        unit: Option<(String, Span)>,
    },
    /// `peak`, `Payment.size.raw`.
    Ref(Vec<Ident>),
    Binary {
        op: BinOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Neg(Box<Expr>),
    Call {
        name: Ident,
        args: Vec<Expr>,
    },
    As {
        expr: Box<Expr>,
        unit: (String, Span),
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct SchemaDecl {
    pub name: Ident,
    pub version: Option<(u32, Span)>,
    pub fields: Vec<Field>,
    /// `size raw 400 B, compressed 180 B`, `evolution backward via registry`.
    pub props: Vec<Property>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub name: Ident,
    pub ty: Atom,
    /// `key`, `pii`, `event_time`, `nullable`, `default 0`, `cardinality 10M`.
    pub modifiers: Vec<Atom>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    Source,
    Node,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NodeDecl {
    pub kind: NodeKind,
    pub name: Ident,
    pub role: Ident,
    pub block: Block,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FlowDecl {
    /// `a -> b -> c` makes two edges with the same clauses.
    pub chain: Vec<Ident>,
    pub clauses: Vec<Atom>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PathDecl {
    pub name: Ident,
    pub hops: Vec<Ident>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupKind {
    Layer,
    Zone,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GroupDecl {
    pub kind: GroupKind,
    pub name: Ident,
    pub title: Option<StrLit>,
    pub members: Vec<Ident>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UseDecl {
    pub tool: Ident,
    pub nodes: Vec<Ident>,
    pub because: Option<StrLit>,
    pub accepting: Option<StrLit>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FailureDecl {
    pub node: Ident,
    pub block: Block,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AllowDecl {
    pub rule: Ident,
    pub on: Vec<Ident>,
    pub because: Option<StrLit>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NounDecl {
    pub words: Vec<NounWord>,
    pub span: Span,
}

/// One noun of a `noun` statement, with its plural when it is irregular
/// (`noun person plural people`).
#[derive(Clone, Debug, PartialEq)]
pub struct NounWord {
    pub name: Ident,
    pub plural: Option<Ident>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HardKind {
    LateData,
    Dedup,
    Backfill,
    SchemaChange,
    CostControl,
    CrossRegion,
}

impl HardKind {
    pub fn keyword(self) -> &'static str {
        match self {
            HardKind::LateData => "late_data",
            HardKind::Dedup => "dedup",
            HardKind::Backfill => "backfill",
            HardKind::SchemaChange => "schema_change",
            HardKind::CostControl => "cost_control",
            HardKind::CrossRegion => "cross_region",
        }
    }
}

/// A hard problem of step 6: `late_data Payment.occurred_at watermark 10 min`,
/// `backfill orders_3y { ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct HardProblem {
    pub kind: HardKind,
    pub keyword_span: Span,
    pub args: Vec<Atom>,
    pub block: Option<Block>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RoleDecl {
    pub name: Ident,
    pub title: Option<StrLit>,
    pub block: Block,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ToolDecl {
    pub name: Ident,
    pub title: Option<StrLit>,
    pub roles: Vec<Ident>,
    pub block: Block,
    pub span: Span,
}

/// The property names each construct knows. A block line must start with one.
pub mod keys {
    /// Words that start a statement at the top of a file.
    pub const TOP_STATEMENTS: &[&str] =
        &["design", "import", "role", "tool", "noun", "let", "schema"];
    /// Words that start a statement inside a design.
    pub const DESIGN_STATEMENTS: &[&str] = &[
        "requirements",
        "let",
        "schema",
        "source",
        "node",
        "flow",
        "path",
        "layer",
        "zone",
        "use",
        "failure",
        "allow",
        "noun",
        "late_data",
        "dedup",
        "backfill",
        "schema_change",
        "cost_control",
        "cross_region",
    ];
    /// Words that continue the statement of the line above (the grammar's `cont_kw`).
    pub const CONTINUATIONS: &[&str] = &[
        "because",
        "accepting",
        "idempotent",
        "carries",
        "write",
        "read",
        "via",
        "every",
        "latency",
        "retries",
    ];
    /// Yes/no facts a `tool` block states (each also in `TOOL`).
    pub const TOOL_FLAGS: &[&str] = &[
        "managed",
        "transactional",
        "idempotent_writes",
        "partition_range",
        "code",
        "single_instance",
        "in_memory",
    ];
    pub const REQUIREMENTS: &[&str] = &[
        "volume",
        "peak",
        "latency",
        "freshness",
        "delivery",
        "retention",
        "growth",
        "team",
        "cost",
        "compliance",
        "oncall",
        "cloud",
        "region",
        "readers",
        "consistency",
        "ordering",
        "queries",
        "availability",
    ];
    pub const NODE: &[&str] = &[
        "emits",
        "reads",
        "writes",
        "partitions",
        "replication",
        "acks",
        "min_insync",
        "retain",
        "replayable",
        "key",
        "format",
        "compression",
        "per_event",
        "lookup",
        "threads",
        "instances",
        "concurrency",
        "brokers",
        "max_qps",
        "qps",
        "ordering",
        "replica_of",
        "ttl",
        "refresh",
        "size",
        "readers",
        "fallback",
        "degrade",
        "tier",
        "compaction",
        "retries",
        "window",
        "latency",
        "throughput",
        "scan_rate",
        "cores",
        "cost",
        "price",
        "region",
        "regions",
        "schedule",
        "mask",
        "tokenize",
        "dlq",
        "rows",
        "growth",
        "tables",
        "description",
        "owner",
        "schema_registry",
        "topic",
        "runs",
        "access",
        "volume",
        "output",
        "memory",
        "run_time",
        "scans",
        "capacity",
        "warehouse_size",
        "instance_type",
        "rpus",
        "active",
        "zones",
    ];
    pub const FAILURE: &[&str] = &[
        "cause", "effect", "detect", "recover", "dlq", "outage", "fallback", "degrade", "alert",
        "rto",
    ];
    /// A schema's properties (the lines of its block that are not fields).
    pub const SCHEMA: &[&str] = &["size", "evolution", "registry", "topic", "owner", "format"];
    /// The words that may follow a field's type (`default` takes a value after
    /// it, `cardinality` a number).
    pub const FIELD_MODIFIERS: &[&str] = &[
        "key",
        "pii",
        "event_time",
        "nullable",
        "default",
        "cardinality",
        "unique",
        "partition_key",
        "sort_key",
        "deprecated",
        "skewed",
    ];
    /// Words after which a property name is a value: `evolution backward via registry`.
    pub const LINKING_WORDS: &[&str] = &[
        "via", "by", "on", "at", "to", "from", "of", "in", "within", "after", "every", "for",
    ];
    /// The failure block properties that take free text to the end of the
    /// line (the grammar's `text_kw` and `recover_kw`).
    pub const FAILURE_TEXT: &[&str] = &["cause", "effect", "degrade", "recover"];
    pub const BACKFILL: &[&str] = &[
        "from",
        "to",
        "chunk",
        "pause",
        "skip_existing",
        "write",
        "range",
        "rows",
        "size",
        "rate",
        "validate",
        "via",
        "parallel",
    ];
    pub const ROLE: &[&str] = &["can", "cannot", "gives_up", "latency_floor", "kind"];
    pub const TOOL: &[&str] = &[
        "latency_floor",
        "per_partition",
        "per_partition_records",
        "per_partition_out",
        "per_broker",
        "per_cluster",
        "per_cluster_out",
        "overhead",
        "put_latency",
        "cold_query",
        "lookup",
        "scan_rate",
        "price",
        "price_storage",
        "price_compute",
        "compression",
        "managed",
        "transactional",
        "idempotent_writes",
        "partition_range",
        "code",
        "single_instance",
        "in_memory",
        "runs_on",
        "max_partitions",
        "retention_max",
        "retention_default",
        "min_instances",
        "put_unit",
        "write_unit",
        "read_unit",
        "vendor",
        "cloud",
        "also",
        "cite",
    ];

    /// Figure families a `tool` block may state for any tier or size:
    /// `price_nearline`, `credits_medium`.
    pub const TOOL_PREFIXES: &[&str] = &["price_", "credits_", "min_duration_"];

    /// Whether a word starts a property of a `tool` block.
    pub fn is_tool_key(w: &str) -> bool {
        TOOL.contains(&w)
            || TOOL_PREFIXES
                .iter()
                .any(|p| w.len() > p.len() && w.starts_with(p))
    }
}

/// A token of a schema line, as [`schema_item_starts`] reads it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SchemaTok<'a> {
    /// A name, a type (`string`, `list[Item]`) or a modifier.
    Word(&'a str),
    Number,
    Other,
}

/// Where the items of one schema line start, so that fields may share a line:
/// `order_id string key  channel string default web  evolution backward` is two
/// fields and a property. A field is `name type modifiers…`; its modifiers are
/// the words of [`keys::FIELD_MODIFIERS`], `default` with the value after it
/// (whatever it is: `default web` keeps `web`) and `cardinality` with its
/// number. After them, a word followed by a type (`channel string`) starts the
/// next field, and a schema property (`evolution`, not followed by a type)
/// starts the properties, which run to the end of the line. Anything else
/// stays with the field: an unknown modifier (reported as one), or the unit of
/// a cardinality (`cardinality 50 cities`). A field whose type is a schema
/// (`address Address`) is recognised only at the start of a line. The first
/// start is 0 (none for no tokens).
pub fn schema_item_starts(toks: &[SchemaTok<'_>]) -> Vec<usize> {
    let type_at = |k: usize| matches!(toks.get(k), Some(SchemaTok::Word(w)) if crate::resolve::is_field_type(w));
    let props_at = |k: usize| {
        matches!(toks.get(k), Some(SchemaTok::Word(w)) if keys::SCHEMA.contains(w))
            && !type_at(k + 1)
    };
    if toks.is_empty() {
        return Vec::new();
    }
    let mut starts = vec![0];
    let mut k = 0;
    while !props_at(k) {
        // A field: its name and type, then its modifiers.
        let mut j = k + 2;
        let next = loop {
            match toks.get(j) {
                None => break None,
                Some(SchemaTok::Word(w)) if keys::FIELD_MODIFIERS.contains(w) => {
                    j += 1;
                    match *w {
                        "default" => j += 1,
                        "cardinality" if toks.get(j) == Some(&SchemaTok::Number) => j += 1,
                        _ => {}
                    }
                }
                Some(SchemaTok::Word(_)) if props_at(j) || type_at(j + 1) => break Some(j),
                Some(_) => j += 1,
            }
        };
        let Some(j) = next else {
            break;
        };
        starts.push(j);
        k = j;
    }
    starts
}

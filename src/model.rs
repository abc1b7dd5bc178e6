//! The resolved design: every name bound, every property typed. Later passes
//! (the graph, the checker, sizing, the emitters) read only this.

use crate::ast::{Cmp, HardKind, Ident, StrLit};
use crate::source::{FileId, Span};
use crate::units::Quantity;
use std::collections::BTreeMap;

/// A value with the place it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// The roles and tools a design can name. Each map is shared (copy on
/// write): every compilation starts from the standard library's, resolved
/// once per process, and copies it only when one of its files declares a
/// role or tool of its own.
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    pub roles: std::sync::Arc<BTreeMap<String, RoleInfo>>,
    pub tools: std::sync::Arc<BTreeMap<String, ToolInfo>>,
}

#[derive(Clone, Debug)]
pub struct RoleInfo {
    pub name: String,
    pub title: String,
    pub can: Vec<String>,
    pub cannot: Vec<String>,
    pub gives_up: String,
    pub latency_floor: Option<Quantity>,
    /// What part a node of this role plays in the dataflow.
    pub kind: RoleKind,
    pub file: FileId,
    pub span: Span,
}

/// The part a role plays: where data comes from, waits, rests, is worked on or read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleKind {
    /// Produces data: services, apps, third-party systems.
    Origin,
    /// A durable log between producers and consumers.
    Broker,
    /// Keeps data at rest and answers reads.
    Store,
    /// Moves or transforms data.
    Processor,
    /// Schedules or governs the others; carries no data.
    Control,
    /// Reads data for people or programs.
    Consumer,
}

impl RoleKind {
    pub const WORDS: &'static [&'static str] = &[
        "origin",
        "broker",
        "store",
        "processor",
        "control",
        "consumer",
    ];
    pub fn from_word(w: &str) -> Option<RoleKind> {
        Some(match w {
            "origin" => RoleKind::Origin,
            "broker" => RoleKind::Broker,
            "store" => RoleKind::Store,
            "processor" => RoleKind::Processor,
            "control" => RoleKind::Control,
            "consumer" => RoleKind::Consumer,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug)]
pub struct ToolInfo {
    pub name: String,
    pub title: String,
    pub roles: Vec<String>,
    /// Figures such as `per_partition`, `latency_floor`, `price_storage`.
    pub figures: BTreeMap<String, Quantity>,
    /// Yes/no facts such as `managed`, `transactional`, `idempotent_writes`,
    /// `partition_range` (serves range queries within one partition key: a
    /// DynamoDB sort key, a Cassandra clustering column, a Redis sorted set).
    pub flags: Vec<String>,
    /// The system this tool runs inside (`debezium` runs on `kafka_connect`):
    /// a team running both runs one system.
    pub runs_on: Option<String>,
    /// The cloud whose own service this is (`cloud aws` for Kinesis); `None`
    /// for a tool that runs anywhere.
    pub cloud: Option<String>,
    /// Where each figure comes from, by figure name.
    pub sources: BTreeMap<String, FigureSource>,
    pub file: FileId,
    pub span: Span,
}

impl ToolInfo {
    /// Each figure as (name, value as written, where it comes from), in name order:
    /// what `dsd catalogue TOOL` prints and the editor's hover shows.
    pub fn figure_rows(&self) -> Vec<(String, String, String)> {
        let files = |_| "a project catalogue".to_string();
        self.figures
            .iter()
            .map(|(figure, value)| {
                let mut shown = value.clone();
                if figure.ends_with("_hour") {
                    shown.per = crate::units::TimeUnit::hour();
                }
                let source = self
                    .sources
                    .get(figure)
                    .map(|s| s.describe(&files))
                    .unwrap_or_else(|| "no source".to_string());
                (figure.clone(), shown.display(), source)
            })
            .collect()
    }
}

/// Where a catalogue figure comes from: the page it was read on, or the project
/// that changed it.
#[derive(Clone, Debug, PartialEq)]
pub enum FigureSource {
    /// `cite FIGURE… "URL" as_of "YYYY-MM-DD" region "…"`, or `cite FIGURE…
    /// reference "where"` for the reference's own numbers.
    Cited {
        url: String,
        as_of: String,
        region: String,
    },
    /// The tool declared again in a project's file, which set this figure.
    Redeclared { file: FileId },
    /// `--set TOOL.FIGURE=…` or `dsd.toml [stdlib]`.
    Set,
}

/// The reference document, as a figure's source.
pub const REFERENCE: &str = "the reference (data-engineering-system-design)";

impl FigureSource {
    /// `https://… (read 2026-12-01, us-east-1)`, `the reference, part 3`,
    /// `declared in catalogue.dsd`, `--set`.
    pub fn describe(&self, files: &dyn Fn(FileId) -> String) -> String {
        match self {
            FigureSource::Cited { url, as_of, region } if url.starts_with(REFERENCE) => {
                let _ = (as_of, region);
                url.clone()
            }
            FigureSource::Cited { url, as_of, region } => {
                format!("{url} (as of {as_of}, {region})")
            }
            FigureSource::Redeclared { file } => format!("declared in {}", files(*file)),
            FigureSource::Set => "--set / dsd.toml [stdlib]".to_string(),
        }
    }
    /// Whether the design or project changed the catalogue's figure.
    pub fn is_override(&self) -> bool {
        !matches!(self, FigureSource::Cited { .. })
    }
}

/// A `let` after evaluation, with the arithmetic that produced it.
#[derive(Clone, Debug)]
pub struct Binding {
    pub name: String,
    pub value: Quantity,
    /// The expression with names: `peak × Payment.size.compressed`.
    pub formula: String,
    /// The expression with values: `2,000 payments/s × 180 B`.
    pub with_values: String,
    pub file: FileId,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    AtMostOnce,
    AtLeastOnce,
    ExactlyOnce,
}

impl Delivery {
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::AtMostOnce => "at_most_once",
            Delivery::AtLeastOnce => "at_least_once",
            Delivery::ExactlyOnce => "exactly_once",
        }
    }
}

/// `latency fraud_decision <= 2 s`.
#[derive(Clone, Debug)]
pub struct Bound {
    pub target: Option<Ident>,
    pub cmp: Cmp,
    pub value: Quantity,
    pub span: Span,
}

#[derive(Clone, Debug, Default)]
pub struct Requirements {
    pub volume: Option<Spanned<Quantity>>,
    /// `volume 8bn bid_requests/day from exchange`: the origins whose records
    /// the design's volume counts, bound by name (else found by `flow::rates`).
    pub volume_from: Vec<Ident>,
    pub peak: Option<Spanned<Quantity>>,
    /// `peak 10x`: the factor over the average that gave `peak`.
    pub peak_factor: Option<Spanned<Quantity>>,
    /// Requirements replaced by `--set` (shown so in derivations).
    pub overridden: Vec<String>,
    /// Requirements written with an error, so absent here.
    pub rejected: Vec<String>,
    pub latency: Vec<Bound>,
    pub freshness: Vec<Bound>,
    pub delivery: Option<Spanned<Delivery>>,
    pub retention: Vec<Bound>,
    pub growth: Option<Spanned<Quantity>>,
    /// `growth 2x/year`: the period the factor is per (`growth 2x` has none).
    pub growth_per: Option<crate::units::TimeUnit>,
    pub team: Option<Spanned<Quantity>>,
    pub cost: Option<Bound>,
    pub compliance: Vec<Ident>,
    pub readers: Option<Spanned<Quantity>>,
    /// `cloud aws`: one of `cloud::CLOUDS`.
    pub cloud: Option<Spanned<String>>,
    /// `region "us-east-1"`: where the design runs unless a node says otherwise.
    pub region: Option<Spanned<String>>,
    pub other: BTreeMap<String, Spanned<String>>,
    pub span: Option<Span>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compatibility {
    Backward,
    Forward,
    Full,
    None,
}

#[derive(Clone, Debug)]
pub struct Evolution {
    pub compatibility: Compatibility,
    /// `registry`, `versioned_topic`, ...
    pub via: Option<Ident>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct SchemaField {
    pub name: Ident,
    pub ty: String,
    pub key: bool,
    pub pii: bool,
    pub event_time: bool,
    pub nullable: bool,
    pub default: Option<String>,
    pub cardinality: Option<Quantity>,
    /// A few values carry most records (`city` in a country with one big city).
    pub skewed: bool,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Schema {
    pub name: Ident,
    pub version: u32,
    pub fields: Vec<SchemaField>,
    /// Bytes per record, raw (as produced) and compressed (as stored or sent).
    pub size_raw: Option<Quantity>,
    pub size_compressed: Option<Quantity>,
    pub evolution: Option<Evolution>,
    pub file: FileId,
    pub span: Span,
}

impl Schema {
    pub fn field(&self, name: &str) -> Option<&SchemaField> {
        self.fields.iter().find(|f| f.name.name == name)
    }
}

/// A typed property value.
#[derive(Clone, Debug)]
pub enum Value {
    Quantity(Quantity),
    Name(Ident),
    Names(Vec<Ident>),
    Text(StrLit),
    /// A property whose value is a phrase of words (`ordering per_key payment_id`).
    Words(Vec<String>),
    Flag,
}

#[derive(Clone, Debug)]
pub struct Prop {
    pub value: Value,
    pub span: Span,
}

/// A node's properties by name, in name order. A sorted vector: a node has a
/// handful, and a B-tree node (room for eleven) takes several times the memory,
/// which at 10,000 nodes is megabytes.
#[derive(Clone, Debug, Default)]
pub struct Props(Vec<(String, Prop)>);

impl Props {
    pub fn new() -> Props {
        Props(Vec::new())
    }
    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }
    pub fn get(&self, key: &str) -> Option<&Prop> {
        self.find(key)
            .ok()
            .and_then(|i| self.0.get(i))
            .map(|(_, p)| p)
    }
    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }
    /// Sets `key`; returns the value it replaces.
    pub fn insert(&mut self, key: String, prop: Prop) -> Option<Prop> {
        match self.find(&key) {
            Ok(i) => self
                .0
                .get_mut(i)
                .map(|slot| std::mem::replace(&mut slot.1, prop)),
            Err(i) => {
                self.0.insert(i, (key, prop));
                None
            }
        }
    }
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Prop)> {
        self.0.iter().map(|(k, p)| (k, p))
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a Props {
    type Item = (&'a String, &'a Prop);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Prop)>,
        fn(&'a (String, Prop)) -> (&'a String, &'a Prop),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, p)| (k, p))
    }
}

#[derive(Clone, Debug)]
pub struct Node {
    pub name: Ident,
    pub is_source: bool,
    pub role: String,
    pub role_span: Span,
    pub props: Props,
    /// `emits Payment`/`reads Payment v1`: schema name and optional version.
    pub emits: Vec<(Ident, Option<u32>)>,
    pub reads: Vec<(Ident, Option<u32>)>,
    pub tool: Option<String>,
    pub layer: Option<String>,
    pub span: Span,
    /// Properties given from outside (`--set NODE.PROP`, `dsd.toml [stdlib]`),
    /// which derivations say.
    pub set: Vec<String>,
}

impl Node {
    pub fn quantity(&self, key: &str) -> Option<&Quantity> {
        match self.props.get(key).map(|p| &p.value) {
            Some(Value::Quantity(q)) => Some(q),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum FlowMode {
    Stream,
    Batch { every: Option<Box<Quantity>> },
    Cdc,
    Unspecified,
}

impl FlowMode {
    pub fn name(&self) -> &'static str {
        match self {
            FlowMode::Stream => "stream",
            FlowMode::Batch { .. } => "batch",
            FlowMode::Cdc => "cdc",
            FlowMode::Unspecified => "flow",
        }
    }
}

/// How a flow writes, or the idempotency mechanism it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteKind {
    Append,
    Merge,
    Upsert,
    OnConflictDoNothing,
    ConditionalPut,
    Overwrite,
    Dedup,
    ByOffset,
    SkipExisting,
    Transactional,
}

impl WriteKind {
    pub fn from_word(w: &str) -> Option<WriteKind> {
        Some(match w {
            "append" => WriteKind::Append,
            "merge" => WriteKind::Merge,
            "upsert" => WriteKind::Upsert,
            "on_conflict_do_nothing" => WriteKind::OnConflictDoNothing,
            "conditional_put" => WriteKind::ConditionalPut,
            "overwrite" => WriteKind::Overwrite,
            "dedup" => WriteKind::Dedup,
            "by_offset" => WriteKind::ByOffset,
            "skip_existing" => WriteKind::SkipExisting,
            "transactional" => WriteKind::Transactional,
            _ => return None,
        })
    }
    pub const WORDS: &'static [&'static str] = &[
        "append",
        "merge",
        "upsert",
        "on_conflict_do_nothing",
        "conditional_put",
        "overwrite",
        "dedup",
        "by_offset",
        "skip_existing",
        "transactional",
    ];
    pub fn is_idempotent(self) -> bool {
        self != WriteKind::Append
    }
    /// The word a design writes for it.
    pub fn word(self) -> &'static str {
        match self {
            WriteKind::Append => "append",
            WriteKind::Merge => "merge",
            WriteKind::Upsert => "upsert",
            WriteKind::OnConflictDoNothing => "on_conflict_do_nothing",
            WriteKind::ConditionalPut => "conditional_put",
            WriteKind::Overwrite => "overwrite",
            WriteKind::Dedup => "dedup",
            WriteKind::ByOffset => "by_offset",
            WriteKind::SkipExisting => "skip_existing",
            WriteKind::Transactional => "transactional",
        }
    }
}

#[derive(Clone, Debug)]
pub struct WriteSpec {
    pub kind: WriteKind,
    /// The key or partition the mechanism works on (`merge(order_id)`).
    pub key: Option<Ident>,
    pub window: Option<Box<Quantity>>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadKind {
    Lookup,
    Scan,
    Range,
    Search,
    Traverse,
}

#[derive(Clone, Debug)]
pub struct ReadSpec {
    pub kind: ReadKind,
    pub on: Option<Ident>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Flow {
    pub from: usize,
    pub to: usize,
    pub mode: FlowMode,
    pub carries: Option<(Ident, Option<u32>)>,
    pub write: Option<WriteSpec>,
    pub read: Option<ReadSpec>,
    pub idempotent: Option<WriteSpec>,
    pub latency: Option<Box<Quantity>>,
    pub retries: Option<Box<Quantity>>,
    /// `keep 10%`, `fanout 3`, `errors 1%` or `rate 1 rows/day`: what the flow
    /// carries relative to what its source holds.
    pub factor: Option<Box<RateFactor>>,
    pub via: Option<Ident>,
    pub full_refresh: bool,
    pub span: Span,
}

/// How a flow's rate relates to its source's (see `flow::rates`).
#[derive(Clone, Debug)]
pub enum RateFactor {
    /// The fraction of records kept (a filter): 0 < f ≤ 1.
    Keep(f64),
    /// Records out per record in (≥ 1).
    Fanout(f64),
    /// The fraction that fails (a dead-letter or retry flow): 0 ≤ f ≤ 1.
    Errors(f64),
    /// A fixed output rate whatever comes in (an aggregation: `rate 1 rows/day`).
    Fixed(Quantity),
}

#[derive(Clone, Debug)]
pub struct Path {
    pub name: Ident,
    pub hops: Vec<usize>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Group {
    pub name: Ident,
    pub title: Option<String>,
    pub members: Vec<usize>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct ToolUse {
    pub tool: Ident,
    pub nodes: Vec<usize>,
    pub because: String,
    pub accepting: String,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Detection {
    pub metric: Vec<String>,
    pub cmp: Cmp,
    pub threshold: Quantity,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Failure {
    pub node: usize,
    pub cause: Option<String>,
    pub effect: Option<String>,
    pub detect: Vec<Detection>,
    pub recover: Option<Spanned<Vec<String>>>,
    pub recover_within: Option<Quantity>,
    pub dlq: Option<Spanned<String>>,
    pub outage: Option<Quantity>,
    /// A `fallback` or `degrade` path is declared.
    pub degrades: bool,
    /// The node a `fallback NODE` line names, when it names one: where the
    /// failed node's readers go instead.
    pub fallback: Option<usize>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Allow {
    pub rule: Ident,
    pub on: Vec<usize>,
    pub because: String,
    pub span: Span,
}

/// A hard problem of step 6, with its named references resolved.
#[derive(Clone, Debug)]
pub struct HardProblem {
    pub kind: HardKind,
    /// The subject: `Payment.occurred_at`, a backfill's name, a schema.
    pub subject: Option<Ident>,
    pub props: BTreeMap<String, Prop>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Design {
    pub name: Ident,
    pub title: Option<String>,
    pub file: FileId,
    pub requirements: Requirements,
    pub lets: Vec<Binding>,
    pub schemas: Vec<Schema>,
    pub nodes: Vec<Node>,
    pub flows: Vec<Flow>,
    pub paths: Vec<Path>,
    pub layers: Vec<Group>,
    pub zones: Vec<Group>,
    pub uses: Vec<ToolUse>,
    pub failures: Vec<Failure>,
    pub allows: Vec<Allow>,
    pub hard_problems: Vec<HardProblem>,
    /// Node name → index into `nodes`.
    pub node_ids: BTreeMap<String, usize>,
    pub span: Span,
}

impl Design {
    pub fn node_index(&self, name: &str) -> Option<usize> {
        self.node_ids.get(name).copied()
    }
}

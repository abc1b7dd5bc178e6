//! The flow model: the design seen as data moves. Edges in data direction, the
//! schema in force at each node, and the records and bytes per second on every
//! edge and node (`rates.rs`). `check`, `sizing`, the diagrams, hover and `dsd
//! diff` read rates from here; nothing else computes one.

pub mod rates;
pub mod writes;

pub use rates::{Part, Rates};

use crate::ast::HardKind;
use crate::diagnostic::Diagnostic;
use crate::model::{
    Catalogue, Delivery, Design, Flow, Node, Prop, RoleInfo, RoleKind, Schema, ToolInfo, Value,
    WriteKind,
};
use crate::source::{FileId, Span};
use crate::units::{Dimension, Quantity};
use std::collections::{BTreeMap, BTreeSet};

/// An edge as data moves: `flow fraud -> velocity read lookup` moves data from
/// `velocity` to `fraud`.
#[derive(Clone, Copy, Debug)]
pub struct Edge {
    pub flow: usize,
    pub src: usize,
    pub dst: usize,
}

/// What every rule reads: the design, the catalogue and indexes built once.
pub struct Ctx<'a> {
    pub design: &'a Design,
    pub catalogue: &'a Catalogue,
    pub file: FileId,
    /// Data edges into and out of each node (control flows from orchestrators excluded).
    pub data_in: Vec<Vec<Edge>>,
    pub data_out: Vec<Vec<Edge>>,
    /// The data edge of each flow (`None` for control flows).
    pub edge_of: Vec<Option<Edge>>,
    /// The schema (index into `design.schemas`) that reaches each node, if one does.
    pub schema_at: Vec<Option<usize>>,
    /// Records per second on every edge and node, by schema (see `rates.rs`).
    pub rates: Rates,
    /// The average and peak record rates reaching each node: the sum of what
    /// its edges carry (for an origin, what it emits).
    pub volume_at: Vec<Option<Quantity>>,
    pub peak_at: Vec<Option<Quantity>>,
    /// Schema name → (version, index into `design.schemas`).
    schemas_by_name: BTreeMap<&'a str, Vec<(u32, usize)>>,
    /// Nodes named by `dedup ... at NODE` (with its `via` mechanism and the
    /// declaration's span), `late_data ... at NODE` (with a watermark), and
    /// nodes whose failure block declares a fallback.
    pub dedup_at: BTreeMap<usize, (Option<WriteKind>, Span)>,
    pub watermark_at: BTreeSet<usize>,
    pub watermarked_schemas: BTreeSet<&'a str>,
    pub degrades: BTreeSet<usize>,
    /// Every `backfill` with the flows on its way from `from` to `to`.
    pub backfills: Vec<Backfill>,
    /// Each node's role and tool in the catalogue, looked up once: the rules
    /// ask for them thousands of times on a large design.
    roles: Vec<Option<&'a RoleInfo>>,
    tools: Vec<Option<&'a ToolInfo>>,
}

/// A step-6 `backfill`: where it reads, where it writes, and the data flows that
/// lie on some way from the one to the other (those it owns).
pub struct Backfill {
    /// Index into `design.hard_problems`.
    pub hard: usize,
    pub from: Option<usize>,
    pub to: Option<usize>,
    pub flows: BTreeSet<usize>,
}

/// The write mechanism a `write`, `via` or backfill property names.
pub fn write_kind(p: Option<&Prop>) -> Option<WriteKind> {
    match p.map(|p| &p.value) {
        Some(Value::Words(w)) => w.first().and_then(|w| WriteKind::from_word(w)),
        _ => None,
    }
}

impl<'a> Ctx<'a> {
    pub fn new(design: &'a Design, catalogue: &'a Catalogue) -> Ctx<'a> {
        let n = design.nodes.len();
        let mut ctx = Ctx {
            design,
            catalogue,
            file: design.file,
            data_in: vec![Vec::new(); n],
            data_out: vec![Vec::new(); n],
            edge_of: vec![None; design.flows.len()],
            schema_at: vec![None; n],
            rates: Rates::default(),
            volume_at: Vec::new(),
            peak_at: Vec::new(),
            schemas_by_name: BTreeMap::new(),
            dedup_at: BTreeMap::new(),
            watermark_at: BTreeSet::new(),
            watermarked_schemas: BTreeSet::new(),
            degrades: design
                .failures
                .iter()
                .filter(|f| f.degrades)
                .map(|f| f.node)
                .collect(),
            backfills: Vec::new(),
            roles: design
                .nodes
                .iter()
                .map(|n| catalogue.roles.get(&n.role))
                .collect(),
            tools: design
                .nodes
                .iter()
                .map(|n| catalogue.tools.get(n.tool.as_ref()?))
                .collect(),
        };
        for (i, s) in design.schemas.iter().enumerate() {
            ctx.schemas_by_name
                .entry(s.name.name.as_str())
                .or_default()
                .push((s.version, i));
        }
        for h in &design.hard_problems {
            let at = match h.props.get("at").map(|p| &p.value) {
                Some(Value::Name(n)) => design.node_index(&n.name),
                _ => None,
            };
            match h.kind {
                HardKind::Dedup => {
                    if let Some(at) = at {
                        ctx.dedup_at
                            .insert(at, (write_kind(h.props.get("via")), h.span));
                    }
                }
                // A watermark `at` a node covers that node's window; one with no
                // `at` covers every window on the schema's field.
                HardKind::LateData if h.props.contains_key("watermark") => match at {
                    Some(at) => {
                        ctx.watermark_at.insert(at);
                    }
                    None => {
                        if let Some(schema) =
                            h.subject.as_ref().and_then(|s| s.name.split('.').next())
                        {
                            ctx.watermarked_schemas.insert(schema);
                        }
                    }
                },
                _ => {}
            }
        }
        for (i, f) in design.flows.iter().enumerate() {
            if ctx.kind(f.from) == Some(RoleKind::Control) {
                continue;
            }
            let (src, dst) = ctx.direction(f);
            let e = Edge { flow: i, src, dst };
            if let Some(slot) = ctx.edge_of.get_mut(i) {
                *slot = Some(e);
            }
            if let Some(v) = ctx.data_out.get_mut(src) {
                v.push(e);
            }
            if let Some(v) = ctx.data_in.get_mut(dst) {
                v.push(e);
            }
        }
        ctx.backfills = ctx.backfill_flows();
        ctx.schema_at = ctx.propagate_schemas();
        ctx.rates = Rates::compute(&ctx);
        let (volume_at, peak_at) = ctx.rates.node.iter().map(|p| rates::total(p)).unzip();
        ctx.volume_at = volume_at;
        ctx.peak_at = peak_at;
        ctx
    }

    /// Which way data moves on a flow: a `read` from a store toward a processor
    /// written `processor -> store` moves data from the store.
    fn direction(&self, f: &Flow) -> (usize, usize) {
        let holds = |i: usize| {
            matches!(
                self.kind(i),
                Some(RoleKind::Store | RoleKind::Broker | RoleKind::Origin)
            )
        };
        // A service that reads (a bidder looking up budgets) holds nothing the
        // store receives: the data comes to the service.
        let reader = |i: usize| !holds(i) || self.kind(i) == Some(RoleKind::Origin);
        if f.read.is_some()
            && holds(f.to)
            && self.kind(f.to) != Some(RoleKind::Origin)
            && reader(f.from)
        {
            (f.to, f.from)
        } else {
            (f.from, f.to)
        }
    }

    /// The nodes data reaches from `starts` (`forward`), or that reach them
    /// (backward), `starts` included. One pass, linear in nodes + flows.
    pub fn reach(&self, starts: impl IntoIterator<Item = usize>, forward: bool) -> Vec<bool> {
        let mut seen = vec![false; self.design.nodes.len()];
        let mut stack = Vec::new();
        for i in starts {
            if let Some(s) = seen.get_mut(i)
                && !*s
            {
                *s = true;
                stack.push(i);
            }
        }
        while let Some(i) = stack.pop() {
            let edges = if forward {
                self.data_out.get(i)
            } else {
                self.data_in.get(i)
            };
            for e in edges.map(Vec::as_slice).unwrap_or(&[]) {
                let next = if forward { e.dst } else { e.src };
                if let Some(s) = seen.get_mut(next)
                    && !*s
                {
                    *s = true;
                    stack.push(next);
                }
            }
        }
        seen
    }

    /// Each backfill's flows: the data edges from a node `from` reaches to a node
    /// that reaches `to`. Two searches per backfill, linear in nodes + flows.
    fn backfill_flows(&self) -> Vec<Backfill> {
        let d = self.design;
        let mut out = Vec::new();
        for (hard, h) in d.hard_problems.iter().enumerate() {
            if h.kind != HardKind::Backfill {
                continue;
            }
            let node = |key: &str| match h.props.get(key).map(|p| &p.value) {
                Some(Value::Name(x)) => d.node_index(&x.name),
                _ => None,
            };
            let (from, to) = (node("from"), node("to"));
            let mut flows = BTreeSet::new();
            if let (Some(a), Some(b)) = (from, to) {
                let (ahead, behind) = (self.reach([a], true), self.reach([b], false));
                for e in self.edge_of.iter().flatten() {
                    if ahead.get(e.src) == Some(&true) && behind.get(e.dst) == Some(&true) {
                        flows.insert(e.flow);
                    }
                }
            }
            out.push(Backfill {
                hard,
                from,
                to,
                flows,
            });
        }
        out
    }

    /// Breadth-first from every node that names its schema, so each node gets the
    /// nearest one upstream. Linear in nodes + flows.
    fn propagate_schemas(&self) -> Vec<Option<usize>> {
        let d = self.design;
        let mut at: Vec<Option<usize>> = vec![None; d.nodes.len()];
        let mut queue = std::collections::VecDeque::new();
        for (i, n) in d.nodes.iter().enumerate() {
            let named = n.emits.first().or(n.reads.first());
            if let Some((name, version)) = named
                && let Some(s) = self.schema_index(&name.name, *version)
                && let Some(slot) = at.get_mut(i)
            {
                *slot = Some(s);
                queue.push_back(i);
            }
        }
        for f in &d.flows {
            if let Some((name, version)) = &f.carries
                && let Some(s) = self.schema_index(&name.name, *version)
                && let Some(slot) = at.get_mut(f.to)
                && slot.is_none()
            {
                *slot = Some(s);
                queue.push_back(f.to);
            }
        }
        while let Some(i) = queue.pop_front() {
            let s = at.get(i).copied().flatten();
            for e in self.data_out.get(i).map(Vec::as_slice).unwrap_or(&[]) {
                if let Some(slot) = at.get_mut(e.dst)
                    && slot.is_none()
                {
                    *slot = s;
                    queue.push_back(e.dst);
                }
            }
        }
        at
    }

    /// The schema of that name: the given version, or the newest.
    pub fn schema_index(&self, name: &str, version: Option<u32>) -> Option<usize> {
        let all = self.schemas_by_name.get(name)?;
        match version {
            Some(v) => all.iter().find(|(sv, _)| *sv == v).map(|(_, i)| *i),
            None => all.iter().max_by_key(|(sv, _)| *sv).map(|(_, i)| *i),
        }
    }

    pub fn schema(&self, i: usize) -> Option<&'a Schema> {
        self.design.schemas.get(i)
    }

    pub fn node(&self, i: usize) -> Option<&'a Node> {
        self.design.nodes.get(i)
    }

    pub fn name(&self, i: usize) -> &'a str {
        self.node(i).map(|n| n.name.name.as_str()).unwrap_or("?")
    }

    /// Where to point at a node: its name.
    pub fn name_span(&self, i: usize) -> Span {
        self.node(i)
            .map(|n| n.name.span)
            .unwrap_or(self.design.name.span)
    }

    pub fn role(&self, i: usize) -> Option<&'a RoleInfo> {
        self.roles.get(i).copied().flatten()
    }

    pub fn kind(&self, i: usize) -> Option<RoleKind> {
        self.role(i).map(|r| r.kind)
    }

    pub fn is_role(&self, i: usize, role: &str) -> bool {
        self.node(i).is_some_and(|n| n.role == role)
    }

    pub fn can(&self, i: usize, capability: &str) -> bool {
        self.role(i)
            .is_some_and(|r| r.can.iter().any(|c| c == capability))
    }

    pub fn cannot(&self, i: usize, capability: &str) -> bool {
        self.role(i)
            .is_some_and(|r| r.cannot.iter().any(|c| c == capability))
    }

    pub fn tool(&self, i: usize) -> Option<&'a ToolInfo> {
        self.tools.get(i).copied().flatten()
    }

    pub fn tool_figure(&self, i: usize, figure: &str) -> Option<&'a Quantity> {
        self.tool(i)?.figures.get(figure)
    }

    /// A broker node's limit (`per_partition`, `per_partition_records`,
    /// `per_partition_out`, `per_broker`, `per_cluster`, `per_cluster_out`) at the
    /// slow end: its tool's figure. A node with no tool is the reference's generic
    /// broker: Kafka's figures in the catalogue, else 50 MB/s a partition and
    /// 500 MB/s a broker. `None` when its tool publishes no such limit: one tool's
    /// figures never stand in for another's.
    pub fn broker_limit(&self, i: usize, figure: &str) -> Option<f64> {
        if let Some(tool) = self.tool(i) {
            return tool.figures.get(figure).map(|q| q.lo);
        }
        let default = match figure {
            "per_partition" => 50e6,
            "per_broker" => 500e6,
            _ => return None,
        };
        Some(
            self.catalogue
                .tools
                .get("kafka")
                .and_then(|t| t.figures.get(figure))
                .map(|q| q.lo)
                .unwrap_or(default),
        )
    }

    /// Whether dsd holds node `i` to a load that grows with the records reaching
    /// it: a broker's partitions and brokers, a processor's time per event, a
    /// stated `throughput`. A dead-letter queue takes a share of failures only.
    pub fn sized_by_rate(&self, i: usize) -> bool {
        !self.is_dead_letter(i)
            && (self.kind(i) == Some(RoleKind::Broker)
                || self.quantity(i, "per_event").is_some()
                || self.quantity(i, "throughput").is_some_and(|t| {
                    t.dim.same_as(Dimension::RATE) || t.dim.same_as(Dimension::BYTE_RATE)
                }))
    }

    /// For every node, the nearest node [`Ctx::sized_by_rate`] its records reach
    /// (itself included), along the flows that carry records (a lookup carries
    /// answers). One backward search from every sized node: linear in nodes + flows.
    pub fn nearest_sized(&self) -> Vec<Option<usize>> {
        let n = self.design.nodes.len();
        let mut near: Vec<Option<usize>> = vec![None; n];
        let mut queue = std::collections::VecDeque::new();
        for i in (0..n).filter(|i| self.sized_by_rate(*i)) {
            if let Some(slot) = near.get_mut(i) {
                *slot = Some(i);
                queue.push_back(i);
            }
        }
        while let Some(i) = queue.pop_front() {
            let found = near.get(i).copied().flatten();
            for e in self.data_in.get(i).map(Vec::as_slice).unwrap_or(&[]) {
                if !self.carries_records(e.flow) {
                    continue;
                }
                if let Some(slot) = near.get_mut(e.src)
                    && slot.is_none()
                {
                    *slot = found;
                    queue.push_back(e.src);
                }
            }
        }
        near
    }

    /// Each data edge's name in figure ids, by flow: `src->dst`, and where
    /// several flows join the same two nodes (one connector moving two tables),
    /// `src->dst:Schema` after the schema each `carries` (else its index among
    /// them). Linear in flows, and a sort.
    pub fn edge_names(&self) -> Vec<String> {
        let mut count: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        for e in self.edge_of.iter().flatten() {
            *count.entry((e.src, e.dst)).or_default() += 1;
        }
        let mut seen: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        self.edge_of
            .iter()
            .map(|e| {
                let Some(e) = e else { return String::new() };
                let base = format!("{}->{}", self.name(e.src), self.name(e.dst));
                if count.get(&(e.src, e.dst)).copied().unwrap_or(0) < 2 {
                    return base;
                }
                let k = seen.entry((e.src, e.dst)).or_default();
                *k += 1;
                match self.flow(e.flow).and_then(|f| f.carries.as_ref()) {
                    Some((name, _)) => format!("{base}:{}", name.name),
                    None => format!("{base}:{k}"),
                }
            })
            .collect()
    }

    /// Whether a flow moves records (not a lookup, search or traversal, which
    /// carry answers to the reader).
    pub fn carries_records(&self, f: usize) -> bool {
        !self.flow(f).is_some_and(|flow| {
            flow.read.as_ref().is_some_and(|rd| {
                matches!(
                    rd.kind,
                    crate::model::ReadKind::Lookup
                        | crate::model::ReadKind::Search
                        | crate::model::ReadKind::Traverse
                )
            })
        })
    }

    /// Whether a node is a dead-letter queue: a failure block names it as its
    /// `dlq`, or every flow into it carries only failed records (`errors`).
    pub fn is_dead_letter(&self, i: usize) -> bool {
        let ins = self.data_in.get(i).map(Vec::as_slice).unwrap_or(&[]);
        self.rates.named_dlq.get(i) == Some(&true)
            || !ins.is_empty()
                && ins.iter().all(|e| {
                    self.rates
                        .applied
                        .get(e.flow)
                        .is_some_and(|a| a.as_ref().is_some_and(rates::Applied::is_failure))
                })
    }

    /// How long a broker keeps what it is written: `replayable`, else `retain`,
    /// else the tool's default (Kinesis: 24 h), else Kafka's 7 days; capped by the
    /// tool's `retention_max`. The text names where the figure comes from.
    pub fn broker_retention(&self, b: usize) -> (f64, String) {
        self.retention_of(b, true)
    }

    /// [`Ctx::broker_retention`]'s figure alone, with no text to write: the
    /// checker asks for it on every failure block.
    pub fn broker_keeps(&self, b: usize) -> f64 {
        self.retention_of(b, false).0
    }

    fn retention_of(&self, b: usize, explain: bool) -> (f64, String) {
        let ctx = self;
        let name = ctx.name(b);
        let text = |f: &dyn Fn() -> String| if explain { f() } else { String::new() };
        let (mut t, mut why) = if let Some(r) = ctx.quantity(b, "replayable") {
            (
                r.lo,
                text(&|| format!("`{name}` replayable {}", r.display())),
            )
        } else if let Some(r) = ctx.quantity(b, "retain") {
            (r.lo, text(&|| format!("`{name}` retain {}", r.display())))
        } else if let Some(r) = ctx.tool_figure(b, "retention_default") {
            let why = text(&|| {
                let tool = ctx.node(b).and_then(|n| n.tool.clone()).unwrap_or_default();
                format!("`{name}` keeps `{tool}`'s default {}", r.display())
            });
            (r.lo, why)
        } else {
            let why = text(&|| format!("`{name}` states no retention: Kafka's default 7 days"));
            (7.0 * crate::units::DAY, why)
        };
        if let Some(max) = ctx.tool_figure(b, "retention_max")
            && max.hi < t
        {
            t = max.hi;
            if explain {
                why.push_str(&format!(", capped at the tool's maximum {}", max.display()));
            }
        }
        (t, why)
    }

    /// Copies a broker keeps of each record: its `replication`, else one.
    pub fn replication(&self, i: usize) -> f64 {
        self.quantity(i, "replication").map(|q| q.hi).unwrap_or(1.0)
    }

    /// Consumer groups reading a node: its outgoing data flows that carry records.
    pub fn consumers(&self, i: usize) -> usize {
        self.data_out
            .get(i)
            .into_iter()
            .flatten()
            .filter(|e| self.rates.edge.get(e.flow).is_some_and(|p| !p.is_empty()))
            .count()
    }

    pub fn tool_flag(&self, i: usize, flag: &str) -> bool {
        self.tool(i)
            .is_some_and(|t| t.flags.iter().any(|f| f == flag))
    }

    pub fn prop(&self, i: usize, key: &str) -> Option<&'a Prop> {
        self.node(i)?.props.get(key)
    }

    pub fn quantity(&self, i: usize, key: &str) -> Option<&'a Quantity> {
        self.node(i)?.quantity(key)
    }

    /// The words of a property: `ordering global` → ["global"].
    pub fn words(&self, i: usize, key: &str) -> Vec<String> {
        match self.prop(i, key).map(|p| &p.value) {
            Some(Value::Words(w)) => w.clone(),
            Some(Value::Name(n)) => vec![n.name.clone()],
            Some(Value::Names(ns)) => ns.iter().map(|n| n.name.clone()).collect(),
            Some(Value::Text(t)) => vec![t.value.clone()],
            Some(Value::Quantity(q)) => vec![q.display()],
            Some(Value::Flag) => vec![key.to_string()],
            None => Vec::new(),
        }
    }

    /// The queries a node makes, per second: its `qps`, else `readers N every
    /// T`, with the arithmetic; `None` when the node states neither.
    pub fn reader_qps(&self, i: usize) -> Option<(Quantity, String)> {
        if let Some(q) = self.quantity(i, "qps") {
            return Some((q.clone(), format!("`qps {}`", q.display())));
        }
        let words = self.words(i, "readers");
        let n = words.first().and_then(|w| crate::units::parse_number(w))?;
        let every = time_in_words(words.get(1..).unwrap_or(&[])).filter(|e| *e > 0.0)?;
        let mut qps = Quantity::at(n / every, Dimension::RATE);
        qps.noun = Some("queries".into());
        let text = format!(
            "{} readers ÷ every {} = {}",
            crate::units::format_number(n),
            Quantity::at(every, Dimension::TIME).display(),
            qps.display()
        );
        Some((qps, text))
    }

    /// How many files one flush of a batch flow from `src` writes: one per
    /// partition of the broker it drains (a sink connector's tasks), else one;
    /// and that broker.
    pub fn flush_writers(&self, src: usize) -> (f64, Option<usize>) {
        self.data_in
            .get(src)
            .into_iter()
            .flatten()
            .filter(|up| self.kind(up.src) == Some(RoleKind::Broker))
            .filter_map(|up| Some((self.quantity(up.src, "partitions")?.hi, up.src)))
            .fold((1.0_f64, None), |best, (n, b)| {
                if n > best.0 { (n, Some(b)) } else { best }
            })
    }

    /// The region a node runs in: its own `region`, else the design's.
    pub fn region(&self, i: usize) -> Option<String> {
        self.words(i, "region").into_iter().next().or_else(|| {
            self.design
                .requirements
                .region
                .as_ref()
                .map(|r| r.value.clone())
        })
    }

    /// Where a property is written, or the node's name when it is not.
    pub fn prop_span(&self, i: usize, key: &str) -> Span {
        self.prop(i, key)
            .map(|p| p.span)
            .unwrap_or_else(|| self.name_span(i))
    }

    pub fn flow(&self, i: usize) -> Option<&'a Flow> {
        self.design.flows.get(i)
    }

    pub fn delivery(&self) -> Delivery {
        self.design
            .requirements
            .delivery
            .as_ref()
            .map(|d| d.value)
            .unwrap_or(Delivery::AtLeastOnce)
    }

    /// The peak record rate (per second), when the requirements give one.
    pub fn peak_rate(&self) -> Option<&'a Quantity> {
        let p = &self.design.requirements.peak.as_ref()?.value;
        p.dim.same_as(Dimension::RATE).then_some(p)
    }

    /// Bytes per record reaching a node: compressed on the wire and in columnar
    /// stores when the schema says, raw otherwise.
    pub fn record_bytes(&self, node: usize) -> Option<&'a Quantity> {
        let s = self.schema(self.schema_at.get(node).copied().flatten()?)?;
        s.size_compressed.as_ref().or(s.size_raw.as_ref())
    }

    /// The bytes per record of a schema: compressed on the wire when the schema
    /// says, raw otherwise.
    pub fn wire_bytes(&self, schema: Option<usize>) -> Option<f64> {
        let s = self.schema(schema?)?;
        s.size_compressed
            .as_ref()
            .or(s.size_raw.as_ref())
            .map(|q| q.hi)
    }

    /// Bytes per second of some parts, at the high end: each part's rate times
    /// the record size of its schema. `None` when a part's size is unknown.
    pub fn parts_bytes(&self, parts: &[Part], peak: bool) -> Option<f64> {
        let mut sum = 0.0;
        let mut any = false;
        for p in parts {
            let Some(rate) = (if peak { &p.peak } else { &p.avg }) else {
                continue;
            };
            sum += rate.hi * self.wire_bytes(p.schema)?;
            any = true;
        }
        any.then_some(sum)
    }

    /// Peak bytes per second into a node, at the pessimistic (high) end: the
    /// design's peak in bytes/s, or the sum over what reaches it of rate × record size.
    pub fn peak_bytes(&self, node: usize) -> Option<f64> {
        let p = &self.design.requirements.peak.as_ref()?.value;
        if p.dim.same_as(Dimension::BYTE_RATE) {
            return Some(p.hi);
        }
        self.parts_bytes(self.rates.node.get(node)?, true)
    }

    /// Bytes a day one flow carries, at the high end (its average rate × a day ×
    /// record size); the design's volume when that is given in bytes.
    pub fn edge_daily_bytes(&self, flow: usize) -> Option<f64> {
        let v = &self.design.requirements.volume.as_ref()?.value;
        if v.dim.same_as(Dimension::BYTE_RATE) {
            return Some(v.hi * crate::units::DAY);
        }
        Some(self.parts_bytes(self.rates.edge.get(flow)?, false)? * crate::units::DAY)
    }

    pub fn diag(&self, code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, self.file, span, message)
    }

    /// Nodes in an order where every node comes after the nodes that feed it, or
    /// `None` when data flows in a cycle.
    pub fn topological(&self) -> Option<Vec<usize>> {
        let n = self.design.nodes.len();
        let mut indegree: Vec<usize> = self.data_in.iter().map(Vec::len).collect();
        let mut ready: std::collections::VecDeque<usize> =
            (0..n).filter(|i| indegree.get(*i) == Some(&0)).collect();
        let mut order = Vec::with_capacity(n);
        while let Some(i) = ready.pop_front() {
            order.push(i);
            for e in self.data_out.get(i).map(Vec::as_slice).unwrap_or(&[]) {
                if let Some(d) = indegree.get_mut(e.dst) {
                    *d = d.saturating_sub(1);
                    if *d == 0 {
                        ready.push_back(e.dst);
                    }
                }
            }
        }
        (order.len() == n).then_some(order)
    }
}

/// A figure in base units, shown readably: `show(0.36e6, Dimension::BYTE_RATE)` is
/// `0.36 MB/s`.
pub fn show(v: f64, dim: Dimension) -> String {
    Quantity::at(v, dim).display()
}

/// `a -> b -> c`, for messages that name a path.
pub fn chain(ctx: &Ctx<'_>, nodes: &[usize]) -> String {
    nodes
        .iter()
        .map(|i| ctx.name(*i))
        .collect::<Vec<_>>()
        .join(" -> ")
}

/// The first time in a phrase of words: `every 10 s` → 10.0 (seconds),
/// `daily 02:00` → 86,400.
pub fn time_in_words(words: &[String]) -> Option<f64> {
    let mut it = words.iter().peekable();
    while let Some(w) = it.next() {
        // `schedule daily 02:00`, `batch hourly`.
        let every = match w.as_str() {
            "hourly" => Some(3600.0),
            "daily" | "nightly" => Some(crate::units::DAY),
            "weekly" => Some(7.0 * crate::units::DAY),
            "monthly" => Some(crate::units::MONTH),
            _ => None,
        };
        if every.is_some() {
            return every;
        }
        let Some(n) = crate::units::parse_number(w) else {
            continue;
        };
        let unit = it.peek().map(|u| u.as_str()).unwrap_or("");
        let factor = match unit {
            "ms" => 0.001,
            "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
            "min" | "mins" | "minute" | "minutes" => 60.0,
            "h" | "hour" | "hours" => 3600.0,
            "day" | "days" => crate::units::DAY,
            "week" | "weeks" => 7.0 * crate::units::DAY,
            "month" | "months" => crate::units::MONTH,
            "year" | "years" | "yr" => crate::units::YEAR,
            _ => continue,
        };
        return Some(n * factor);
    }
    None
}

/// Every time in a phrase: `standard 90 days, glacier 7 years` → [90 days, 7 years].
pub fn times_in_words(words: &[String]) -> Vec<f64> {
    let mut out = Vec::new();
    let mut k = 0;
    while let Some(rest) = words.get(k..) {
        if rest.is_empty() {
            break;
        }
        if let (Some(n), Some(u)) = (
            rest.first().and_then(|w| crate::units::parse_number(w)),
            rest.get(1),
        ) && let Some(t) = time_in_words(&[n.to_string(), u.clone()])
        {
            out.push(t);
            k += 2;
            continue;
        }
        k += 1;
    }
    out
}

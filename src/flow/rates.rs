//! Records per second on every edge and at every node, average and peak, split
//! by the schema they are written in so that bytes follow the record size in
//! force on each edge.
//!
//! - An origin (a source, or a node nothing feeds) emits its own `volume`, or
//!   the design's `volume` and `peak` when it is the only origin or its records
//!   are the ones `volume` counts.
//! - An edge carries what its source node holds (or the node's stated
//!   `output`, for an aggregation), times the flow's factor
//!   (`keep 10%`, `fanout 3`, `errors 1%`, or a fixed `rate 1 rows/day`); a flow
//!   into a node a failure block names as its `dlq` carries
//!   [`DEFAULT_ERROR_FRACTION`] of it unless it says otherwise. A lookup
//!   (`read lookup`, `search`, `traverse`) carries answers, not the stream: no rate.
//! - A node holds the sum of what its edges carry; parts in the same schema add up.
//! - Nodes are visited in data order; where data flows in a cycle, the node
//!   with the lowest index whose feeds are partly known goes next, from the
//!   feeds already known (the edge back into it adds nothing).
//!
//! Linear in nodes + flows (each edge is summed once).

use super::Ctx;
use crate::model::{RateFactor, RoleKind};
use crate::units::{Dimension, Quantity};
use std::collections::VecDeque;

/// The share of records a dead-letter flow carries when the design does not say
/// (`errors 1%`): a documented default, shown in every derivation that uses it.
pub const DEFAULT_ERROR_FRACTION: f64 = 0.01;

/// Records in one schema: average and peak per second (either may be unknown).
#[derive(Clone, Debug)]
pub struct Part {
    pub schema: Option<usize>,
    pub avg: Option<Quantity>,
    pub peak: Option<Quantity>,
}

/// The factor a flow applies to what its source holds, as the derivations show it.
#[derive(Clone, Debug)]
pub enum Applied {
    /// The flow's own `keep`, `fanout` or `errors`.
    Declared(RateFactor),
    /// A flow into a dead-letter queue that declares no fraction.
    DefaultErrors,
}

impl Applied {
    /// Whether the flow carries failed records (`errors`, or into a dead-letter queue).
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            Applied::DefaultErrors | Applied::Declared(RateFactor::Errors(_))
        )
    }

    /// `× keep 10%`, `rate 1 rows/day`, `× errors 1% (the default for a dead-letter flow)`.
    pub fn describe(&self) -> String {
        match self {
            Applied::Declared(RateFactor::Keep(f)) => format!("× keep {}", percent(*f)),
            Applied::Declared(RateFactor::Errors(f)) => format!("× errors {}", percent(*f)),
            Applied::Declared(RateFactor::Fanout(n)) => {
                format!("× fanout {}", crate::units::format_number(*n))
            }
            Applied::Declared(RateFactor::Fixed(q)) => format!("rate {}", q.display()),
            Applied::DefaultErrors => format!(
                "× errors {} (the default for a dead-letter flow)",
                percent(DEFAULT_ERROR_FRACTION)
            ),
        }
    }
}

fn percent(f: f64) -> String {
    format!("{}%", crate::units::format_number(f * 100.0))
}

/// Where an origin's rate comes from, as the report and `--coverage` say it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateFrom {
    /// Its own `volume`.
    Own,
    /// The design's `volume`, bound by `volume … from NODE`.
    Named,
    /// The design's `volume`: the design's only origin.
    Only,
    /// The design's `volume`: its schema is named after the volume's noun.
    Schema,
    /// The design's `volume`: the node is named after the volume's noun.
    Name,
}

impl RateFrom {
    /// Why origin `i` has its rate, in words: `its own volume`, `the design's
    /// volume, bound by \`from exchange\``.
    pub fn why(self, ctx: &Ctx<'_>, i: usize) -> String {
        let name = ctx.name(i);
        let shared = match ctx.rates.shared_by {
            0 | 1 => String::new(),
            k => format!(", shared equally by the {k} sources it is bound to"),
        };
        match self {
            RateFrom::Own => "its own `volume`".to_string(),
            RateFrom::Named => {
                format!("the design's `volume`, bound by `volume … from {name}`{shared}")
            }
            RateFrom::Only => "the design's `volume`: the design's only source".to_string(),
            RateFrom::Schema => {
                let schema = ctx
                    .schema_at
                    .get(i)
                    .copied()
                    .flatten()
                    .and_then(|s| ctx.schema(s))
                    .map(|s| s.name.name.as_str())
                    .unwrap_or_default();
                format!(
                    "the design's `volume`, which counts the records of `{schema}` it sends{shared}"
                )
            }
            RateFrom::Name => {
                format!("the design's `volume`, whose noun is in the name `{name}`{shared}")
            }
        }
    }

    /// The short form for `--coverage`.
    pub fn short(self) -> &'static str {
        match self {
            RateFrom::Own => "own volume",
            RateFrom::Named => "design volume, `from`",
            RateFrom::Only => "design volume, only source",
            RateFrom::Schema => "design volume, by schema",
            RateFrom::Name => "design volume, by name",
        }
    }
}

/// The rates of one design.
#[derive(Clone, Debug, Default)]
pub struct Rates {
    /// What reaches each node (for an origin: what it emits), by schema.
    pub node: Vec<Vec<Part>>,
    /// What each flow carries in data direction (empty for control flows, lookups
    /// and flows from a node with no known rate).
    pub edge: Vec<Vec<Part>>,
    /// The factor each flow applied, if any.
    pub applied: Vec<Option<Applied>>,
    /// Whether each flow's rate is counted into its destination (a flow back
    /// into a cycle, carrying what the node already holds, is not).
    pub counted: Vec<bool>,
    /// Whether each node is an origin with a rate (its own or the design's volume).
    pub origin: Vec<bool>,
    /// Whether a failure block names each node as its `dlq`.
    pub named_dlq: Vec<bool>,
    /// Where each origin's rate comes from (`None`: not an origin with a rate).
    pub from: Vec<Option<RateFrom>>,
    /// How many origins share the design's `volume` (it is the total of them
    /// all, split equally); 0 when it is bound to none.
    pub shared_by: usize,
    /// Every origin: a source, or a data node nothing feeds.
    pub is_origin: Vec<bool>,
}

fn scaled(q: &Quantity, f: f64) -> Quantity {
    Quantity {
        lo: q.lo * f,
        hi: q.hi * f,
        shown: None,
        ..q.clone()
    }
}

/// Sums two rates, keeping the count noun only when both name the same one.
fn plus(a: Option<Quantity>, b: &Option<Quantity>) -> Option<Quantity> {
    match (a, b) {
        (None, b) => b.clone(),
        (a, None) => a,
        (Some(a), Some(b)) => {
            let noun = if a.noun == b.noun {
                a.noun.clone()
            } else {
                Some("records".to_string())
            };
            let per = if a.per == b.per { a.per } else { None };
            Some(Quantity {
                lo: a.lo + b.lo,
                hi: a.hi + b.hi,
                noun,
                per,
                shown: None,
                ..a
            })
        }
    }
}

/// Adds `part` into `parts`, summing with the part of the same schema.
pub fn merge_into(parts: &mut Vec<Part>, part: &Part) {
    match parts.iter_mut().find(|p| p.schema == part.schema) {
        Some(p) => {
            p.avg = plus(p.avg.take(), &part.avg);
            p.peak = plus(p.peak.take(), &part.peak);
        }
        None => parts.push(part.clone()),
    }
}

/// The total of some parts: (average, peak) records per second.
pub fn total(parts: &[Part]) -> (Option<Quantity>, Option<Quantity>) {
    let mut avg = None;
    let mut peak = None;
    for p in parts {
        avg = plus(avg, &p.avg);
        peak = plus(peak, &p.peak);
    }
    (avg, peak)
}

impl Rates {
    pub fn compute(ctx: &Ctx<'_>) -> Rates {
        let d = ctx.design;
        let n = d.nodes.len();
        let mut r = Rates {
            node: vec![Vec::new(); n],
            edge: vec![Vec::new(); d.flows.len()],
            applied: vec![None; d.flows.len()],
            counted: vec![false; d.flows.len()],
            origin: vec![false; n],
            named_dlq: vec![false; n],
            from: vec![None; n],
            shared_by: 0,
            is_origin: Vec::new(),
        };
        let rate = |q: Option<&crate::model::Spanned<Quantity>>| {
            q.map(|s| s.value.clone())
                .filter(|v| v.dim.same_as(Dimension::RATE))
        };
        let (design_volume, design_peak) = (
            rate(d.requirements.volume.as_ref()),
            rate(d.requirements.peak.as_ref()),
        );
        // Peak over average: the design's peak ÷ its volume; with no design volume,
        // an absolute peak ÷ the sum of the sources' own volumes (the peak is the
        // whole system's, shared in proportion).
        // A node's own rate (`volume 50M app_events/day`), if it states one.
        let own_volume = |i: usize| {
            ctx.quantity(i, "volume")
                .filter(|t| t.dim.same_as(Dimension::RATE))
        };
        let own_total: f64 = (0..n)
            .filter(|i| d.nodes.get(*i).is_some_and(|x| x.is_source))
            .filter_map(own_volume)
            .map(|t| t.hi)
            .sum();
        let factor = match (&design_volume, &design_peak) {
            (Some(v), Some(p)) if v.hi > 0.0 => Some(p.hi / v.hi),
            (None, Some(p)) if own_total > 0.0 => Some(p.hi / own_total),
            _ => None,
        };
        let is_origin: Vec<bool> = (0..n)
            .map(|i| {
                d.nodes.get(i).is_some_and(|x| x.is_source)
                    || ctx.data_in.get(i).is_some_and(Vec::is_empty)
                        && ctx.kind(i) != Some(RoleKind::Control)
                        && ctx.data_out.get(i).is_some_and(|o| !o.is_empty())
            })
            .collect();
        let origins = is_origin.iter().filter(|o| **o).count();
        // The design's `volume` counts the records of one kind (`5M orders/day`):
        // it goes to the origins `volume … from` names, else to the only origin,
        // else to the origins whose schema is named after that noun (`schema
        // Order`, `OrderPlaced`, `BidRequest` for `bid_requests`), else to those
        // whose name has it as a word (`orders_api`). Several share it equally.
        let counted: Vec<String> = design_volume
            .as_ref()
            .or(design_peak.as_ref())
            .and_then(|v| v.noun.as_deref())
            .map(words)
            .unwrap_or_default();
        let without_volume: Vec<usize> = (0..n)
            .filter(|i| is_origin.get(*i) == Some(&true))
            .filter(|i| own_volume(*i).is_none())
            .collect();
        let schema_name = |i: usize| {
            ctx.schema_at
                .get(i)
                .copied()
                .flatten()
                .and_then(|s| ctx.schema(s))
                .map(|s| s.name.name.as_str())
                .unwrap_or_default()
        };
        let named: Vec<usize> = d
            .requirements
            .volume_from
            .iter()
            .filter_map(|id| d.node_index(&id.name))
            .filter(|i| without_volume.contains(i))
            .collect();
        let (mains, how): (Vec<usize>, RateFrom) = if !d.requirements.volume_from.is_empty() {
            (named, RateFrom::Named)
        } else if origins == 1 {
            (without_volume, RateFrom::Only)
        } else {
            let by_schema: Vec<usize> = without_volume
                .iter()
                .copied()
                .filter(|i| contains_run(&words(schema_name(*i)), &counted))
                .collect();
            if by_schema.is_empty() {
                (
                    without_volume
                        .into_iter()
                        .filter(|i| contains_run(&words(ctx.name(*i)), &counted))
                        .collect(),
                    RateFrom::Name,
                )
            } else {
                (by_schema, RateFrom::Schema)
            }
        };
        let mut is_main = vec![false; n];
        for i in &mains {
            if let Some(m) = is_main.get_mut(*i) {
                *m = true;
            }
        }
        let main = |i: usize| is_main.get(i) == Some(&true);
        r.shared_by = mains.len();
        let share = |q: &Option<Quantity>| match mains.len() {
            0 | 1 => q.clone(),
            k => q.as_ref().map(|q| scaled(q, 1.0 / k as f64)),
        };
        let (design_avg, design_peak_share) = (share(&design_volume), share(&design_peak));
        for i in (0..n).filter(|i| is_origin.get(*i) == Some(&true)) {
            let (avg, peak) = match own_volume(i).cloned() {
                Some(t) => {
                    let p = match factor {
                        Some(f) => Quantity {
                            per: None,
                            ..scaled(&t, f)
                        },
                        None => t.clone(),
                    };
                    (Some(t), Some(p))
                }
                None if main(i) => (design_avg.clone(), design_peak_share.clone()),
                None => (None, None),
            };
            if let Some(slot) = r.from.get_mut(i) {
                *slot = match own_volume(i) {
                    Some(_) => Some(RateFrom::Own),
                    None if main(i) && (avg.is_some() || peak.is_some()) => Some(how),
                    None => None,
                };
            }
            if avg.is_some() || peak.is_some() {
                let schema = ctx.schema_at.get(i).copied().flatten();
                if let Some(slot) = r.node.get_mut(i) {
                    *slot = vec![Part { schema, avg, peak }];
                }
                if let Some(slot) = r.origin.get_mut(i) {
                    *slot = true;
                }
            }
        }
        for f in &d.failures {
            if let Some(slot) = f
                .dlq
                .as_ref()
                .and_then(|q| d.node_index(&q.value))
                .and_then(|i| r.named_dlq.get_mut(i))
            {
                *slot = true;
            }
        }
        // Data order, with cycles broken at the lowest-index node fed in part.
        let mut waiting: Vec<usize> = ctx.data_in.iter().map(Vec::len).collect();
        let mut done = vec![false; n];
        let mut ready: VecDeque<usize> = (0..n).filter(|i| waiting.get(*i) == Some(&0)).collect();
        let mut partly = std::collections::BTreeSet::new();
        let mut cursor = 0;
        let mut visited = 0;
        while visited < n {
            let i = match ready.pop_front() {
                Some(i) => i,
                None => {
                    // A cycle: take the lowest-index node some of whose feeds are
                    // known, else the lowest-index node not yet visited.
                    // `partly` holds only unvisited nodes, and every node below
                    // `cursor` is visited, so each step is amortised O(log n).
                    while done.get(cursor) == Some(&true) {
                        cursor += 1;
                    }
                    let next = partly.first().copied().or((cursor < n).then_some(cursor));
                    match next {
                        Some(i) => i,
                        None => break,
                    }
                }
            };
            if done.get(i) != Some(&false) {
                continue;
            }
            if let Some(x) = done.get_mut(i) {
                *x = true;
            }
            partly.remove(&i);
            visited += 1;
            if is_origin.get(i) != Some(&true) {
                let mut parts = Vec::new();
                for e in ctx.data_in.get(i).map(Vec::as_slice).unwrap_or(&[]) {
                    if done.get(e.src) == Some(&true) {
                        if let Some(c) = r.counted.get_mut(e.flow) {
                            *c = true;
                        }
                        for p in r.edge.get(e.flow).map(Vec::as_slice).unwrap_or(&[]) {
                            merge_into(&mut parts, p);
                        }
                    }
                }
                if let Some(slot) = r.node.get_mut(i) {
                    *slot = parts;
                }
            }
            // What each outgoing edge carries.
            for e in ctx.data_out.get(i).map(Vec::as_slice).unwrap_or(&[]) {
                let (carried, applied) = r.carry(ctx, i, e.flow, e.dst);
                if let Some(slot) = r.edge.get_mut(e.flow) {
                    *slot = carried;
                }
                if let Some(slot) = r.applied.get_mut(e.flow) {
                    *slot = applied;
                }
                if let Some(w) = waiting.get_mut(e.dst) {
                    *w = w.saturating_sub(1);
                    if *w == 0 {
                        ready.push_back(e.dst);
                        partly.remove(&e.dst);
                    } else if done.get(e.dst) == Some(&false) {
                        partly.insert(e.dst);
                    }
                }
            }
        }
        r.is_origin = is_origin;
        r
    }

    /// What flow `f` carries out of node `src`, and the factor it applied.
    fn carry(
        &self,
        ctx: &Ctx<'_>,
        src: usize,
        f: usize,
        dst: usize,
    ) -> (Vec<Part>, Option<Applied>) {
        let Some(flow) = ctx.flow(f) else {
            return (Vec::new(), None);
        };
        if !ctx.carries_records(f) {
            return (Vec::new(), None);
        }
        let held = self.node.get(src).map(Vec::as_slice).unwrap_or(&[]);
        // The schema on this edge: the flow's `carries`, else what a transforming
        // node says it emits, else the part's own.
        let carried = flow
            .carries
            .as_ref()
            .and_then(|(name, v)| ctx.schema_index(&name.name, *v));
        let emitted = if self.origin.get(src) != Some(&true) {
            ctx.node(src)
                .and_then(|n| n.emits.first())
                .and_then(|(name, v)| ctx.schema_index(&name.name, *v))
        } else {
            None
        };
        let applied = match &flow.factor {
            Some(fac) => Some(Applied::Declared((**fac).clone())),
            None if self.named_dlq.get(flow.to) == Some(&true) && flow.to != src => {
                Some(Applied::DefaultErrors)
            }
            None => None,
        };
        // Records that fail go to a dead-letter queue as they came in, not as
        // what the node emits.
        let failed = applied.as_ref().is_some_and(Applied::is_failure);
        // A node that states its `output` (an aggregation: 50 city rows a
        // minute, whatever reaches it) emits that, not what it takes in.
        // Failed records still go to a dead-letter queue as they came in.
        let stated = (self.origin.get(src) != Some(&true) && !failed)
            .then(|| ctx.quantity(src, "output"))
            .flatten()
            .filter(|q| q.dim.same_as(Dimension::RATE));
        let own_output;
        let held = match stated {
            Some(q) => {
                let schema = emitted.or_else(|| held.first().and_then(|p| p.schema));
                own_output = [Part {
                    schema,
                    avg: Some(q.clone()),
                    peak: Some(q.clone()),
                }];
                &own_output[..]
            }
            None => held,
        };
        // A flow that `carries` one of several schemas its source holds moves
        // those records only: one connector, two tables, two flows, each with
        // its own schema and merge key, and no record counted twice.
        let only_carried: Vec<Part>;
        let held = match carried {
            Some(c) if held.len() > 1 && held.iter().any(|p| p.schema == Some(c)) => {
                only_carried = held
                    .iter()
                    .filter(|p| p.schema == Some(c))
                    .cloned()
                    .collect();
                &only_carried[..]
            }
            _ => held,
        };
        let remap = if failed { carried } else { carried.or(emitted) };
        // A part whose schema is unknown takes the one its destination reads.
        let fallback = ctx.schema_at.get(dst).copied().flatten();
        if let Some(Applied::Declared(RateFactor::Fixed(q))) = &applied {
            let schema = remap
                .or_else(|| held.first().and_then(|p| p.schema))
                .or(fallback);
            return (
                vec![Part {
                    schema,
                    avg: Some(q.clone()),
                    peak: Some(q.clone()),
                }],
                applied,
            );
        }
        let mult = match &applied {
            Some(Applied::Declared(RateFactor::Keep(x)))
            | Some(Applied::Declared(RateFactor::Errors(x)))
            | Some(Applied::Declared(RateFactor::Fanout(x))) => *x,
            Some(Applied::DefaultErrors) => DEFAULT_ERROR_FRACTION,
            _ => 1.0,
        };
        let mut out: Vec<Part> = Vec::new();
        for p in held {
            let schema = remap.or(p.schema).or(fallback);
            // Records in another schema are no longer the source's nouns.
            let renamed = |q: &Quantity| {
                let mut q = scaled(q, mult);
                if p.schema.is_some() && schema != p.schema {
                    q.noun = Some("records".to_string());
                }
                q
            };
            let part = Part {
                schema,
                avg: p.avg.as_ref().map(renamed),
                peak: p.peak.as_ref().map(renamed),
            };
            merge_into(&mut out, &part);
        }
        (out, applied)
    }
}

/// The words of a name, lowercased and singular: `BidRequest`, `bid_requests`
/// and `bid-request` are all `bid request`.
pub fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out.into_iter()
        .map(|w| crate::units::singular(&w).unwrap_or(w))
        .collect()
}

/// Whether `run` appears in `hay` as consecutive words (an empty run never does).
pub fn contains_run(hay: &[String], run: &[String]) -> bool {
    !run.is_empty() && hay.windows(run.len()).any(|w| w == run)
}

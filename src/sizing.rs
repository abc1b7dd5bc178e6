//! Sizing: every figure of the report, computed once, each with its derivation.
//! The report, the diagrams, hover and `dsd diff` read these figures; nothing else
//! does this arithmetic.

mod cost;
pub mod growth;

use crate::flow::{Ctx, Part, show, times_in_words};
use crate::model::{Catalogue, Design, RoleKind, Value};
use crate::units::{DAY, Dimension, MONTH, Quantity, YEAR, format_number};

/// Why a figure or check that overflowed has no number.
pub const TOO_LARGE: &str = "the result is too large to represent: an input is far out of range";

/// A number of the report, or why it could not be computed.
#[derive(Clone, Debug)]
pub struct Figure {
    /// Stable id: `rate.peak`, `broker.payments.write_io`, `store.raw.retained`.
    pub id: String,
    /// The report section (a step of the framework).
    pub section: Section,
    pub label: String,
    pub value: Result<Quantity, String>,
    /// The arithmetic with named inputs and their values.
    pub derivation: String,
    /// Ids of the figures this one was computed from.
    pub inputs: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Load,
    Throughput,
    Processing,
    Storage,
    Serving,
    Cost,
    Failure,
    Backfill,
    Estimates,
}

impl Section {
    pub const ALL: [Section; 9] = [
        Section::Load,
        Section::Throughput,
        Section::Processing,
        Section::Storage,
        Section::Serving,
        Section::Cost,
        Section::Failure,
        Section::Backfill,
        Section::Estimates,
    ];
    pub fn title(self) -> &'static str {
        match self {
            Section::Load => "Step 1 — load: event rates",
            Section::Throughput => "Step 2 — throughput at peak",
            Section::Processing => "Step 2 — processing: threads and scans",
            Section::Storage => "Step 2 — storage",
            Section::Serving => "Step 2 — serving load",
            Section::Cost => "Step 2 — cost",
            Section::Failure => "Step 7 — failure: alarms, outage backlog and catch-up",
            Section::Backfill => "Step 6 — backfill plan",
            Section::Estimates => "The design's own estimates",
        }
    }
}

/// Needed against provided, for one component.
#[derive(Clone, Debug)]
pub struct Check {
    pub id: String,
    pub label: String,
    pub needed: f64,
    pub provided: f64,
    pub unit: &'static str,
    pub ok: bool,
    /// How far load can grow before this check fails (provided ÷ needed, unrounded).
    pub headroom: f64,
    /// Whether the need grows with load (a retention window does not).
    pub scales: bool,
    pub derivation: String,
    /// The node it is about and the property that provides the capacity
    /// (`partitions`, `threads`), for findings that point at it.
    pub node: Option<usize>,
    pub at: &'static str,
    /// Which limit binds when several are checked (`write records`), else empty.
    pub binding: String,
    /// Whether the growth factor at which it runs out (`headroom`) lies inside the
    /// growth the report looks ahead to (`--scale`, else `growth`).
    pub runs_out_within_growth: bool,
}

/// One limit a load must fit: `load ÷ per` units are needed. `what` names it
/// (`write bytes`), `shown` is its arithmetic for the derivation.
struct Limit<'l> {
    load: f64,
    per: f64,
    what: &'static str,
    /// Written only when shown: a report, or a check that fails.
    shown: Box<dyn Fn() -> String + 'l>,
}

/// Units needed for `exact` units of work: whole units, rounded up, except that a
/// figure within float noise of a whole number (`2000 × 0.0035 = 7.000000000000001`)
/// is that number. The one rounding rule of report and check alike.
pub fn units_needed(exact: f64) -> f64 {
    ceil(exact)
}

/// The check that fails first as load grows.
#[derive(Clone, Debug)]
pub struct Bottleneck {
    pub check: String,
    pub label: String,
    pub factor: f64,
    /// The growth the report looks ahead to: `--scale`, else the `growth` requirement.
    pub horizon: f64,
    pub within_horizon: bool,
}

#[derive(Clone, Debug)]
pub struct Report {
    pub design: String,
    pub scale: f64,
    /// The growth the checks look ahead to: `--scale`, else the `growth` requirement, else 1.
    pub horizon: f64,
    pub figures: Vec<Figure>,
    pub checks: Vec<Check>,
    pub first_bottleneck: Option<Bottleneck>,
    /// Figure id → index into `figures`.
    index: std::collections::HashMap<String, usize>,
}

impl Report {
    pub fn figure(&self, id: &str) -> Option<&Figure> {
        self.figures.get(*self.index.get(id)?)
    }

    /// Adds a figure computed outside the sizing pass (the bill as the design
    /// grows, which compiles the design again).
    pub fn push_figure(&mut self, f: Figure) {
        self.index.entry(f.id.clone()).or_insert(self.figures.len());
        self.figures.push(f);
    }
}

pub(crate) fn q(v: f64, dim: Dimension) -> Quantity {
    Quantity::at(v, dim)
}

pub(crate) fn range(lo: f64, hi: f64, dim: Dimension) -> Quantity {
    Quantity {
        lo: lo.min(hi),
        hi: lo.max(hi),
        dim,
        noun: None,
        per: None,
        shown: None,
    }
}

/// Rounds up, ignoring the float noise of `2000 × 0.0035 = 7.000000000000001`.
fn ceil(v: f64) -> f64 {
    let r = v.round();
    if (v - r).abs() <= 1e-9 * v.abs().max(1.0) {
        r
    } else {
        v.ceil()
    }
}

struct Sizer<'c, 'a> {
    ctx: &'c Ctx<'a>,
    /// Only the needed-against-provided checks (what `capacity-exceeded` reads):
    /// no figures are kept and the sections without checks are skipped.
    checks_only: bool,
    index: std::collections::HashMap<String, usize>,
    figures: Vec<Figure>,
    checks: Vec<Check>,
}

impl Sizer<'_, '_> {
    /// A figure's label, by id.
    fn figure_label(&self, id: &str) -> Option<String> {
        Some(self.figures.get(*self.index.get(id)?)?.label.clone())
    }

    /// A figure computed earlier, by id.
    fn value(&self, id: &str) -> Option<Quantity> {
        self.figures.get(*self.index.get(id)?)?.value.clone().ok()
    }

    fn push(
        &mut self,
        id: String,
        section: Section,
        label: String,
        value: Quantity,
        derivation: String,
        inputs: Vec<String>,
    ) {
        if self.checks_only {
            return;
        }
        // Every figure is a number or says why not: one that overflowed (a
        // `per_event 1e308 ms`, a huge `--scale`) printed `inf` or `0`, and JSON
        // a null with no reason.
        if !(value.lo.is_finite() && value.hi.is_finite()) {
            let why = TOO_LARGE.into();
            self.missing(id, section, label, why);
            return;
        }
        self.index.entry(id.clone()).or_insert(self.figures.len());
        self.figures.push(Figure {
            id,
            section,
            label,
            value: Ok(value),
            derivation,
            inputs,
        });
    }

    fn missing(&mut self, id: String, section: Section, label: String, why: String) {
        if self.checks_only {
            return;
        }
        self.index.entry(id.clone()).or_insert(self.figures.len());
        self.figures.push(Figure {
            id,
            section,
            label,
            value: Err(why),
            derivation: String::new(),
            inputs: Vec::new(),
        });
    }

    /// Needed against provided: the units the binding limit needs (the largest
    /// `load ÷ per`), rounded by [`units_needed`].
    #[allow(clippy::too_many_arguments)]
    fn check(
        &mut self,
        id: String,
        label: String,
        node: usize,
        at: &'static str,
        limits: Vec<Limit<'_>>,
        provided: f64,
        unit: &'static str,
    ) {
        let exact_of = |l: &Limit| {
            if l.per > 0.0 {
                l.load / l.per
            } else {
                f64::INFINITY
            }
        };
        let Some(bind) = limits
            .iter()
            .max_by(|a, b| exact_of(a).total_cmp(&exact_of(b)))
        else {
            return;
        };
        let exact = exact_of(bind);
        let needed = units_needed(exact);
        let ok = provided >= needed;
        let derivation = match limits.as_slice() {
            _ if self.checks_only && ok => String::new(),
            [one] => (one.shown)(),
            all => format!(
                "{} → {} binds",
                all.iter()
                    .map(|l| format!(
                        "{} = {} ({})",
                        (l.shown)(),
                        format_number(exact_of(l)),
                        l.what
                    ))
                    .collect::<Vec<_>>()
                    .join("; "),
                bind.what
            ),
        };
        let binding = if limits.len() > 1 {
            bind.what.to_string()
        } else {
            String::new()
        };
        // Growth fails at provided ÷ exact.
        let headroom = if exact > 0.0 {
            provided / exact
        } else {
            f64::INFINITY
        };
        self.checks.push(Check {
            id,
            label,
            needed,
            provided,
            unit,
            ok,
            headroom,
            scales: true,
            derivation,
            node: Some(node),
            at,
            binding,
            runs_out_within_growth: false,
        });
    }
}

/// Which record size a byte figure uses, and how its derivation names it.
#[derive(Clone, Copy, PartialEq)]
enum Size {
    /// `Order.size.raw`
    Raw,
    /// `Order.size.compressed`
    Compressed,
    /// Compressed where the schema gives it, else raw; named `Order`.
    Wire,
}

/// Σ rate × record size over what reaches a node or an edge carries: the total
/// (bytes per second, in the rates' time unit) and the derivation's terms,
/// `{prefix}{rate} × {size name} {size}` joined by `+`. `None` when no part has
/// a rate, or one with a rate has no size of that kind.
fn bytes_of(
    ctx: &Ctx<'_>,
    parts: &[Part],
    peak: bool,
    kind: Size,
    prefix: &str,
) -> Option<(Quantity, String)> {
    bytes_in(ctx, parts, peak, kind, Some(prefix))
}

/// [`bytes_of`]'s total alone, for figures that do not show its terms.
fn bytes_total(ctx: &Ctx<'_>, parts: &[Part], peak: bool, kind: Size) -> Option<Quantity> {
    bytes_in(ctx, parts, peak, kind, None).map(|(b, _)| b)
}

/// [`bytes_of`], writing the terms only when given their prefix.
fn bytes_in(
    ctx: &Ctx<'_>,
    parts: &[Part],
    peak: bool,
    kind: Size,
    prefix: Option<&str>,
) -> Option<(Quantity, String)> {
    let mut total: Option<Quantity> = None;
    let mut terms = Vec::new();
    for p in parts {
        let Some(rate) = (if peak { &p.peak } else { &p.avg }) else {
            continue;
        };
        let schema = ctx.schema(p.schema?)?;
        let size = match kind {
            Size::Raw => schema.size_raw.as_ref()?,
            Size::Compressed => schema.size_compressed.as_ref()?,
            Size::Wire => schema
                .size_compressed
                .as_ref()
                .or(schema.size_raw.as_ref())?,
        };
        let bytes = rate.mul(size).ok()?;
        if let Some(prefix) = prefix {
            let name = &schema.name.name;
            let name = match kind {
                Size::Raw => format!("{name}.size.raw"),
                Size::Compressed => format!("{name}.size.compressed"),
                Size::Wire => name.clone(),
            };
            terms.push(format!(
                "{prefix}{} × {name} {}",
                rate.display(),
                size.display()
            ));
        }
        total = Some(match total {
            None => bytes,
            Some(t) => t.add(&bytes).ok()?,
        });
    }
    Some((total?, terms.join(" + ")))
}

/// What reaches a node, by schema.
fn parts_at<'c>(s: &Sizer<'c, '_>, i: usize) -> &'c [Part] {
    s.ctx.rates.node.get(i).map(Vec::as_slice).unwrap_or(&[])
}

/// The bytes of one record reaching a node: its schema's (compressed, else raw)
/// size, or the average over the schemas that reach it, weighted by peak rate.
fn record_size(s: &Sizer<'_, '_>, i: usize) -> Option<Quantity> {
    let parts = parts_at(s, i);
    if let [one] = parts {
        let schema = s.ctx.schema(one.schema?)?;
        return schema
            .size_compressed
            .clone()
            .or_else(|| schema.size_raw.clone());
    }
    let bytes = bytes_total(s.ctx, parts, true, Size::Wire)?;
    let (_, records) = crate::flow::rates::total(parts);
    let records = records?;
    (records.hi > 0.0 && records.lo > 0.0).then(|| {
        range(
            bytes.lo / records.lo,
            bytes.hi / records.hi,
            Dimension::BYTES,
        )
    })
}

/// Computes the report of one design. `scale` is the factor already applied to
/// volume and peak (for the bottleneck horizon and the header).
pub fn size(design: &Design, catalogue: &Catalogue, scale: f64) -> Report {
    size_in(&Ctx::new(design, catalogue), scale)
}

/// `size` over a design the checker has already indexed.
pub fn size_in(ctx: &Ctx<'_>, scale: f64) -> Report {
    build(ctx, scale, false)
}

/// The report's throughput and processing checks alone, with the same arithmetic
/// and derivations as [`size_in`] but no figures: what `capacity-exceeded` reads,
/// at a fraction of the cost of the whole report.
pub fn checks_in(ctx: &Ctx<'_>) -> Report {
    build(ctx, 1.0, true)
}

fn build(ctx: &Ctx<'_>, scale: f64, checks_only: bool) -> Report {
    let design = ctx.design;
    let mut s = Sizer {
        ctx,
        checks_only,
        index: std::collections::HashMap::new(),
        figures: Vec::new(),
        checks: Vec::new(),
    };
    if checks_only {
        throughput(&mut s);
        processing(&mut s);
        memory(&mut s);
    } else {
        load(&mut s);
        origins(&mut s);
        merges(&mut s);
        throughput(&mut s);
        processing(&mut s);
        memory(&mut s);
        storage(&mut s);
        serving(&mut s);
        cost::cost(&mut s);
        outages(&mut s);
        backfills(&mut s);
        estimates(&mut s);
    }
    let horizon = if scale != 1.0 {
        scale
    } else {
        design
            .requirements
            .growth
            .as_ref()
            .map(|g| g.value.hi)
            .unwrap_or(1.0)
    };
    for c in &mut s.checks {
        // A capacity given from outside says so, as a price set so does.
        if let Some(node) = c.node.and_then(|i| design.nodes.get(i))
            && !c.at.is_empty()
            && node.set.iter().any(|p| p == c.at)
        {
            c.derivation
                .push_str(&format!(" (`{}`: --set / dsd.toml [stdlib])", c.at));
        }
        if !(c.needed.is_finite() && c.provided.is_finite()) {
            // Overflowed on the way (a `per_event 1e308 ms`): it fails, and says
            // why instead of printing `inf`.
            c.ok = false;
            c.headroom = 0.0;
            c.derivation = format!("{}: {TOO_LARGE}", c.label);
        }
        // Headroom is measured on the load as computed (already scaled).
        c.runs_out_within_growth = c.scales && c.headroom * scale < horizon;
    }
    let first_bottleneck = s
        .checks
        .iter()
        .filter(|c| c.scales && c.headroom.is_finite())
        .min_by(|a, b| a.headroom.total_cmp(&b.headroom))
        .map(|c| Bottleneck {
            check: c.id.clone(),
            label: c.label.clone(),
            // Headroom is measured on the load as computed (already scaled).
            factor: c.headroom * scale,
            horizon,
            within_horizon: c.headroom * scale <= horizon,
        });
    Report {
        design: design.name.name.clone(),
        scale,
        horizon,
        index: s.index,
        figures: s.figures,
        checks: s.checks,
        first_bottleneck,
    }
}

/// Why a requirement is not there: not stated, or stated with an error.
fn absent(r: &crate::model::Requirements, name: &str) -> String {
    if r.rejected.iter().any(|x| x == name) {
        format!("the `{name}` requirement has an error (reported above)")
    } else {
        format!("the design states no `{name}`")
    }
}

fn load(s: &mut Sizer<'_, '_>) {
    let r = &s.ctx.design.requirements;
    let set = |name: &str| {
        if r.overridden.iter().any(|o| o == name) {
            " (--set)"
        } else {
            ""
        }
    };
    match &r.volume {
        Some(v)
            if v.value.dim.same_as(Dimension::RATE)
                || v.value.dim.same_as(Dimension::BYTE_RATE) =>
        {
            let mut avg = v.value.clone();
            avg.per = None;
            let derivation = format!(
                "volume {}{} ÷ 86,400 s/day = {}",
                v.value.display(),
                set("volume"),
                avg.display()
            );
            s.push(
                "rate.average".into(),
                Section::Load,
                "Average rate".into(),
                avg,
                derivation,
                vec!["volume".into()],
            );
        }
        Some(v) => s.missing(
            "rate.average".into(),
            Section::Load,
            "Average rate".into(),
            format!(
                "`volume` is {}, not a rate such as `5M orders/day`",
                v.value.dim.describe()
            ),
        ),
        None => s.missing(
            "rate.average".into(),
            Section::Load,
            "Average rate".into(),
            absent(r, "volume"),
        ),
    }
    match (&r.peak, &r.peak_factor) {
        (Some(p), Some(f)) => {
            let avg = s.value("rate.average");
            let derivation = match avg {
                Some(a) => format!(
                    "peak {}x{} × average {} = {}",
                    f.value.display(),
                    set("peak"),
                    a.display(),
                    p.value.display()
                ),
                None => format!("peak {}{}", p.value.display(), set("peak")),
            };
            s.push(
                "rate.peak".into(),
                Section::Load,
                "Peak rate".into(),
                p.value.clone(),
                derivation,
                vec!["rate.average".into(), "peak".into()],
            );
        }
        (Some(p), None) => {
            let derivation = format!("peak {}{}", p.value.display(), set("peak"));
            s.push(
                "rate.peak".into(),
                Section::Load,
                "Peak rate".into(),
                p.value.clone(),
                derivation,
                vec!["peak".into()],
            );
        }
        (None, _) => s.missing(
            "rate.peak".into(),
            Section::Load,
            "Peak rate".into(),
            absent(r, "peak"),
        ),
    }
}

/// Each origin's peak rate and where it comes from (`source.NAME.peak_rate`);
/// an origin with no rate whose records reach a node sized by its rate is
/// listed as not computed.
fn origins(s: &mut Sizer<'_, '_>) {
    let ctx = s.ctx;
    let near = ctx.nearest_sized();
    for i in 0..ctx.design.nodes.len() {
        if ctx.rates.is_origin.get(i) != Some(&true) {
            continue;
        }
        let name = ctx.name(i).to_string();
        let id = format!("source.{name}.peak_rate");
        let label = format!("`{name}` peak rate");
        match ctx.rates.from.get(i).copied().flatten() {
            // The design's one source: the peak rate above is its own.
            Some(crate::flow::rates::RateFrom::Only) => {}
            Some(from) => {
                let Some(peak) = peak_at(s, i) else { continue };
                let derivation = match (from, volume_at(s, i), ctx.quantity(i, "volume")) {
                    (crate::flow::rates::RateFrom::Own, Some(avg), Some(own)) => {
                        let mut avg = avg;
                        avg.per = None;
                        let factor = if avg.hi > 0.0 { peak.hi / avg.hi } else { 1.0 };
                        if (factor - 1.0).abs() < 1e-9 {
                            format!(
                                "its own `volume {}` = {} (no peak stated: the average)",
                                own.display(),
                                avg.display()
                            )
                        } else {
                            format!(
                                "its own `volume {}` = {} × the design's peak {}x = {}",
                                own.display(),
                                avg.display(),
                                format_number(factor),
                                peak.display()
                            )
                        }
                    }
                    _ => format!("{}: {}", from.why(ctx, i), peak.display()),
                };
                s.push(
                    id,
                    Section::Load,
                    label,
                    peak,
                    derivation,
                    vec!["rate.peak".into()],
                );
            }
            None => {
                // With no rate anywhere, the missing `volume` above says it all.
                if !ctx.rates.from.iter().any(Option::is_some) {
                    continue;
                }
                let Some(sized) = near.get(i).copied().flatten() else {
                    continue;
                };
                let design = if ctx.design.requirements.volume.is_some() {
                    "the design's is not bound to it"
                } else {
                    "the design states none"
                };
                let what = if sized == i {
                    "it is".to_string()
                } else {
                    format!("`{}` is", ctx.name(sized))
                };
                s.missing(
                    id,
                    Section::Load,
                    label,
                    format!(
                        "`{name}` states no `volume` and {design}, so {what} sized without its records"
                    ),
                );
            }
        }
    }
}

/// Where the rate changes along the graph, how: each flow with a factor
/// (`flow.A->B.peak_rate`) and each node where flows merge (`node.N.peak_rate`,
/// naming every input it sums).
fn merges(s: &mut Sizer<'_, '_>) {
    let ctx = s.ctx;
    let names = ctx.edge_names();
    for e in ctx.edge_of.iter().flatten() {
        let Some(applied) = ctx.rates.applied.get(e.flow).cloned().flatten() else {
            continue;
        };
        let (_, carried) =
            crate::flow::rates::total(ctx.rates.edge.get(e.flow).map(Vec::as_slice).unwrap_or(&[]));
        let Some(carried) = carried else { continue };
        let edge = names.get(e.flow).cloned().unwrap_or_default();
        let derivation = match (&applied, peak_at(s, e.src)) {
            (crate::flow::rates::Applied::Declared(crate::model::RateFactor::Fixed(_)), _)
            | (_, None) => format!("fixed by the flow: {}", applied.describe()),
            (_, Some(held)) => format!(
                "`{}` peak {} {} = {}",
                ctx.name(e.src),
                held.display(),
                applied.describe(),
                carried.display()
            ),
        };
        s.push(
            format!("flow.{edge}.peak_rate"),
            Section::Load,
            format!("{edge} peak rate"),
            carried,
            derivation,
            vec!["rate.peak".into()],
        );
    }
    // A node that states its own `output` (an aggregation) emits that rate
    // whatever reaches it.
    for i in 0..ctx.design.nodes.len() {
        if ctx.rates.origin.get(i) == Some(&true) {
            continue;
        }
        let Some(out) = ctx
            .quantity(i, "output")
            .filter(|q| q.dim.same_as(Dimension::RATE))
            .cloned()
        else {
            continue;
        };
        let name = ctx.name(i).to_string();
        let takes = match peak_at(s, i) {
            Some(p) => format!(", from the {} that reach it at peak", p.display()),
            None => String::new(),
        };
        s.push(
            format!("node.{name}.output_rate"),
            Section::Load,
            format!("`{name}` output rate"),
            out.clone(),
            format!("`{name}` states `output {}`{takes}", out.display()),
            vec!["rate.peak".into()],
        );
    }
    for i in 0..ctx.design.nodes.len() {
        let fed: Vec<(usize, Quantity)> = ctx
            .data_in
            .get(i)
            .into_iter()
            .flatten()
            .filter(|e| ctx.rates.counted.get(e.flow) == Some(&true))
            .filter_map(|e| {
                let parts = ctx.rates.edge.get(e.flow)?;
                Some((e.src, crate::flow::rates::total(parts).1?))
            })
            .collect();
        if fed.len() < 2 || ctx.rates.origin.get(i) == Some(&true) {
            continue;
        }
        let Some(total) = peak_at(s, i) else { continue };
        let terms: Vec<String> = fed
            .iter()
            .map(|(src, q)| format!("`{}` {}", ctx.name(*src), q.display()))
            .collect();
        let name = ctx.name(i);
        s.push(
            format!("node.{name}.peak_rate"),
            Section::Load,
            format!("`{name}` peak rate (flows merge)"),
            total.clone(),
            format!("{} = {}", terms.join(" + "), total.display()),
            vec!["rate.peak".into()],
        );
    }
}

/// The peak and average rates reaching a node (see `Ctx::propagate_rates`).
fn peak_at(s: &Sizer<'_, '_>, i: usize) -> Option<Quantity> {
    s.ctx.peak_at.get(i).cloned().flatten()
}

fn volume_at(s: &Sizer<'_, '_>, i: usize) -> Option<Quantity> {
    s.ctx.volume_at.get(i).cloned().flatten()
}

fn throughput(s: &mut Sizer<'_, '_>) {
    let d = s.ctx.design;
    let names = if s.checks_only {
        Vec::new()
    } else {
        s.ctx.edge_names()
    };
    for e in s.ctx.edge_of.iter().flatten().copied().collect::<Vec<_>>() {
        if s.checks_only {
            break; // figures only
        }
        if s.ctx.flow(e.flow).is_some_and(|f| f.read.is_some()) {
            continue; // a read carries answers, not the stream
        }
        // What the edge carries, by schema (see `flow::rates`).
        let parts = s.ctx.rates.edge.get(e.flow).cloned().unwrap_or_default();
        let edge = names.get(e.flow).cloned().unwrap_or_default();
        for (kind, size) in [("raw", Size::Raw), ("compressed", Size::Compressed)] {
            let Some((bytes, terms)) = bytes_of(s.ctx, &parts, true, size, "peak ") else {
                continue;
            };
            let derivation = format!("{terms} = {}", bytes.display());
            s.push(
                format!("flow.{edge}.{kind}"),
                Section::Throughput,
                format!("{edge} at peak ({kind})"),
                bytes,
                derivation,
                vec!["rate.peak".into()],
            );
        }
    }
    for b in 0..d.nodes.len() {
        if s.ctx.kind(b) != Some(RoleKind::Broker) {
            continue;
        }
        let name = s.ctx.name(b).to_string();
        // The checks alone do not show the terms.
        let prefix = (!s.checks_only).then_some("peak ");
        let Some((bytes, terms)) = bytes_in(s.ctx, parts_at(s, b), true, Size::Wire, prefix) else {
            continue;
        };
        let rf = s.ctx.replication(b);
        let io = Quantity {
            lo: bytes.lo * rf,
            hi: bytes.hi * rf,
            ..bytes.clone()
        };
        if !s.checks_only {
            let terms = if terms.contains(" + ") {
                format!("({terms})")
            } else {
                terms
            };
            let derivation = format!(
                "{terms} × replication {} = {}",
                format_number(rf),
                io.display()
            );
            s.push(
                format!("broker.{name}.write_io"),
                Section::Throughput,
                format!("`{name}` broker write I/O"),
                io.clone(),
                derivation,
                vec!["rate.peak".into()],
            );
        }
        let (_, records) = crate::flow::rates::total(parts_at(s, b));
        let records = records.map(|r| r.hi);
        let consumers = s.ctx.consumers(b);
        let egress = bytes.hi * consumers as f64;
        let tool = s
            .ctx
            .node(b)
            .and_then(|n| n.tool.clone())
            .unwrap_or_else(|| "the reference's Kafka".into());
        let bytes = &bytes;
        if let Some(p) = s.ctx.quantity(b, "partitions") {
            let mut limits = Vec::new();
            if let Some(per) = s.ctx.broker_limit(b, "per_partition") {
                limits.push(Limit {
                    load: bytes.hi,
                    per,
                    what: "write bytes",
                    shown: Box::new(move || {
                        format!(
                            "{} ÷ {} per partition (the slow end)",
                            bytes.display(),
                            show(per, Dimension::BYTE_RATE)
                        )
                    }),
                });
            }
            if let (Some(per), Some(r)) = (s.ctx.broker_limit(b, "per_partition_records"), records)
            {
                limits.push(Limit {
                    load: r,
                    per,
                    what: "write records",
                    shown: Box::new(move || {
                        format!(
                            "{} ÷ {} per partition",
                            q(r, Dimension::RATE).display(),
                            q(per, Dimension::RATE).display()
                        )
                    }),
                });
            }
            if let Some(per) = s.ctx.broker_limit(b, "per_partition_out")
                && consumers > 0
            {
                limits.push(Limit {
                    load: egress,
                    per,
                    what: "read bytes",
                    shown: Box::new(move || reads_shown(consumers, bytes, per, "partition")),
                });
            }
            if limits.is_empty() {
                s.missing(
                    format!("broker.{name}.partitions_needed"),
                    Section::Throughput,
                    format!("`{name}` partitions needed"),
                    format!("`{tool}` publishes no per-partition limit in the catalogue; declare one with `tool {tool} ... {{ per_partition ... }}`"),
                );
            }
            s.check(
                format!("broker.{name}.partitions"),
                format!("`{name}` partitions"),
                b,
                "partitions",
                limits,
                p.lo,
                "partitions",
            );
        }
        if let Some(n) = s.ctx.quantity(b, "brokers")
            && let Some(per) = s.ctx.broker_limit(b, "per_broker")
        {
            let io = &io;
            let shown = Box::new(move || {
                format!(
                    "{} ÷ {} per broker",
                    io.display(),
                    show(per, Dimension::BYTE_RATE)
                )
            });
            s.check(
                format!("broker.{name}.brokers"),
                format!("`{name}` brokers"),
                b,
                "brokers",
                vec![Limit {
                    load: io.hi,
                    per,
                    what: "write I/O",
                    shown,
                }],
                n.lo,
                "brokers",
            );
        }
        let mut cluster = Vec::new();
        if let Some(per) = s.ctx.broker_limit(b, "per_cluster") {
            cluster.push(Limit {
                load: bytes.hi,
                per,
                what: "cluster write bytes",
                shown: Box::new(move || {
                    format!(
                        "{} ÷ {} per cluster",
                        bytes.display(),
                        show(per, Dimension::BYTE_RATE)
                    )
                }),
            });
        }
        if let Some(per) = s.ctx.broker_limit(b, "per_cluster_out")
            && consumers > 0
        {
            cluster.push(Limit {
                load: egress,
                per,
                what: "cluster read bytes",
                shown: Box::new(move || reads_shown(consumers, bytes, per, "cluster")),
            });
        }
        if !cluster.is_empty() {
            s.check(
                format!("broker.{name}.cluster"),
                format!("`{name}` cluster throughput"),
                b,
                "",
                cluster,
                1.0,
                "clusters",
            );
        }
    }
}

/// A read limit's arithmetic: `2 consumer groups × 12 MB/s ÷ 2 MB/s read per partition`.
fn reads_shown(consumers: usize, bytes: &Quantity, per: f64, scope: &str) -> String {
    format!(
        "{consumers} consumer group{} × {} ÷ {} read per {scope}",
        if consumers == 1 { "" } else { "s" },
        bytes.display(),
        show(per, Dimension::BYTE_RATE)
    )
}

/// The threads of a consumer that can work at once, and why fewer than declared.
/// A consumer group assigns each partition to one instance: instances beyond the
/// partitions it reads sit idle. Within an instance, a partition's records go to
/// one thread at a time unless the node declares `concurrency per_key` (one
/// thread per key at a time) or `concurrency per_record`. The reason is written
/// only when shown: the checker asks for the number on every failure block.
pub(crate) fn parallelism<'a>(ctx: &Ctx<'a>, i: usize, threads: f64) -> (f64, Option<Bound<'a>>) {
    let mut partitions = 0.0;
    let mut topics = Vec::new();
    for e in ctx.data_in.get(i).into_iter().flatten() {
        if ctx.kind(e.src) != Some(RoleKind::Broker)
            || ctx.rates.edge.get(e.flow).is_none_or(Vec::is_empty)
        {
            continue;
        }
        let Some(p) = ctx.quantity(e.src, "partitions") else {
            return (threads, None); // a broker without partitions bounds nothing we know
        };
        partitions += p.lo;
        topics.push(ctx.name(e.src));
    }
    if topics.is_empty() {
        return (threads, None);
    }
    let concurrent = matches!(
        ctx.words(i, "concurrency").first().map(String::as_str),
        Some("per_key" | "per_record")
    );
    let instances = ctx.quantity(i, "instances").map(|q| q.lo);
    let bound = |working: f64, idle: Option<f64>| {
        Some(Bound {
            topics,
            partitions,
            working,
            idle,
        })
    };
    if concurrent {
        match instances {
            Some(n) if n > partitions && n > 0.0 => {
                let working = threads * partitions / n;
                (working, bound(working, Some(n)))
            }
            _ => (threads, None),
        }
    } else if threads > partitions {
        (partitions, bound(partitions, None))
    } else {
        (threads, None)
    }
}

/// Why fewer threads work than a consumer declares ([`parallelism`]): the
/// partitions of the topics it reads, and the instances, when more instances
/// than partitions are what leaves threads idle.
pub(crate) struct Bound<'a> {
    topics: Vec<&'a str>,
    partitions: f64,
    working: f64,
    idle: Option<f64>,
}

impl std::fmt::Display for Bound<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (k, t) in self.topics.iter().enumerate() {
            if k > 0 {
                f.write_str(" + ")?;
            }
            write!(f, "`{t}`")?;
        }
        write!(
            f,
            " ha{} {} partition{}",
            if self.topics.len() == 1 { "s" } else { "ve" },
            format_number(self.partitions),
            if self.partitions == 1.0 { "" } else { "s" }
        )?;
        match self.idle {
            Some(n) => write!(
                f,
                ": {} of {} instances get one, so {} threads work",
                format_number(self.partitions),
                format_number(n),
                format_number(self.working)
            ),
            None => write!(
                f,
                ", each processed by one thread at a time, so {} work (declare `concurrency per_key` or `per_record` if a partition's records may be processed at once)",
                format_number(self.partitions)
            ),
        }
    }
}

fn processing(s: &mut Sizer<'_, '_>) {
    let d = s.ctx.design;
    for i in 0..d.nodes.len() {
        let name = s.ctx.name(i).to_string();
        let peak = peak_at(s, i);
        if let Some(per_event) = s.ctx.quantity(i, "per_event").cloned()
            && per_event.hi > 0.0
        {
            let mut rate = range(
                1.0 / per_event.hi,
                1.0 / per_event.lo.max(f64::MIN_POSITIVE),
                Dimension::RATE,
            );
            rate.noun = peak.as_ref().and_then(|p| p.noun.clone());
            let derivation = if s.checks_only {
                String::new()
            } else {
                format!("1 ÷ {} per event = {}", per_event.display(), rate.display())
            };
            s.push(
                format!("node.{name}.thread_rate"),
                Section::Processing,
                format!("`{name}` rate per thread"),
                rate.clone(),
                derivation,
                Vec::new(),
            );
            // One thread per instance when the design gives instances only.
            let declared = s
                .ctx
                .quantity(i, "threads")
                .or_else(|| s.ctx.quantity(i, "instances"));
            match (&peak, declared) {
                (Some(p), Some(t)) => {
                    let exact = p.hi * per_event.hi;
                    let needed = q(units_needed(exact), Dimension::NONE);
                    let (provided, bound) = parallelism(s.ctx, i, t.lo);
                    let derivation = || {
                        let provided_text = match &bound {
                            Some(_) => {
                                format!("{} of {} work", format_number(provided), t.display())
                            }
                            None => t.display(),
                        };
                        let mut text = format!(
                            "peak {} ÷ {} per thread = {} → {} threads (provided {provided_text})",
                            p.display(),
                            rate.display(),
                            format_number(exact),
                            needed.display(),
                        );
                        if let Some(b) = &bound {
                            text.push_str(&format!("; {b}"));
                        }
                        text
                    };
                    if !s.checks_only {
                        s.push(
                            format!("node.{name}.threads_needed"),
                            Section::Processing,
                            format!("`{name}` threads needed"),
                            needed.clone(),
                            derivation(),
                            vec!["rate.peak".into(), format!("node.{name}.thread_rate")],
                        );
                    }
                    let at = if s.ctx.quantity(i, "threads").is_some() {
                        "threads"
                    } else {
                        "instances"
                    };
                    s.check(
                        format!("node.{name}.threads"),
                        format!("`{name}` threads"),
                        i,
                        at,
                        vec![Limit {
                            load: p.hi,
                            per: 1.0 / per_event.hi,
                            what: "threads",
                            shown: Box::new(derivation),
                        }],
                        provided,
                        "threads",
                    );
                }
                (None, _) => s.missing(
                    format!("node.{name}.threads_needed"),
                    Section::Processing,
                    format!("`{name}` threads needed"),
                    if d.requirements.peak.is_none() {
                        absent(&d.requirements, "peak")
                    } else {
                        format!("no peak rate reaches `{name}`: give its source a `volume`")
                    },
                ),
                (Some(_), None) => {}
            }
        }
        // Network: each instance takes its share of the peak bytes, at 1 Gbps at worst.
        let bytes_in: f64 = s
            .ctx
            .data_in
            .get(i)
            .into_iter()
            .flatten()
            .filter_map(|e| s.ctx.peak_bytes(e.src))
            .sum();
        if let (Some(n), Some(bytes)) = (
            s.ctx.quantity(i, "instances").map(|q| q.lo),
            (bytes_in > 0.0).then_some(bytes_in),
        ) && n >= 1.0
            && matches!(s.ctx.kind(i), Some(RoleKind::Processor | RoleKind::Store))
        {
            let per_instance = 125e6; // 1 Gbps, the slow end of 1–10 Gbps per instance
            let derivation = move || {
                format!(
                    "{} ÷ {} per instance (1 Gbps)",
                    q(bytes, Dimension::BYTE_RATE).display(),
                    q(per_instance, Dimension::BYTE_RATE).display()
                )
            };
            s.check(
                format!("node.{name}.bandwidth"),
                format!("`{name}` network"),
                i,
                "instances",
                vec![Limit {
                    load: bytes,
                    per: per_instance,
                    what: "network",
                    shown: Box::new(derivation),
                }],
                n,
                "instances",
            );
        }
        // A batch scan: the day's raw data at cores × scan rate.
        if s.ctx.is_role(i, "batch_processor") && !s.checks_only {
            let Some((per_day, terms)) =
                bytes_of(s.ctx, parts_at(s, i), false, Size::Raw, "volume ")
            else {
                continue;
            };
            let scan = Quantity {
                lo: per_day.lo * DAY,
                hi: per_day.hi * DAY,
                dim: Dimension::BYTES,
                noun: None,
                per: None,
                shown: None,
            };
            let terms = if terms.contains(" + ") {
                format!("({terms})")
            } else {
                terms
            };
            let derivation = format!("{terms} × 1 day = {}", scan.display());
            s.push(
                format!("node.{name}.scan_size"),
                Section::Processing,
                format!("`{name}` daily scan size"),
                scan.clone(),
                derivation,
                vec!["volume".into()],
            );
            let cores = s.ctx.quantity(i, "cores").map(|c| c.hi);
            let per_core = s
                .ctx
                .quantity(i, "scan_rate")
                .or_else(|| s.ctx.tool_figure(i, "scan_rate"))
                .cloned();
            match (cores, per_core) {
                (Some(c), Some(r)) => {
                    let total = Quantity {
                        lo: r.lo * c,
                        hi: r.hi * c,
                        ..r.clone()
                    };
                    let derivation = format!(
                        "{} cores × {} = {}",
                        format_number(c),
                        r.display(),
                        total.display()
                    );
                    s.push(
                        format!("node.{name}.scan_rate"),
                        Section::Processing,
                        format!("`{name}` scan rate"),
                        total.clone(),
                        derivation,
                        Vec::new(),
                    );
                    let time = range(scan.lo / total.hi, scan.hi / total.lo, Dimension::TIME);
                    let derivation = format!(
                        "{} ÷ {} = {}",
                        scan.display(),
                        total.display(),
                        time.display()
                    );
                    s.push(
                        format!("node.{name}.scan_time"),
                        Section::Processing,
                        format!("`{name}` scan time"),
                        time,
                        derivation,
                        vec![
                            format!("node.{name}.scan_size"),
                            format!("node.{name}.scan_rate"),
                        ],
                    );
                }
                _ => s.missing(
                    format!("node.{name}.scan_time"),
                    Section::Processing,
                    format!("`{name}` scan time"),
                    format!("`{name}` declares no `cores` (and `scan_rate`, or a tool with one)"),
                ),
            }
        }
    }
}

/// An in-memory store's data must fit in memory (the reference's decision tree):
/// keys × record size, where the keys are the key field's `cardinality`, or what
/// arrives within the `ttl` when that is fewer. A floor: the store's own
/// per-key overhead comes on top. Checked against a stated `memory`.
fn memory(s: &mut Sizer<'_, '_>) {
    let d = s.ctx.design;
    for i in 0..d.nodes.len() {
        if !s
            .ctx
            .tool(i)
            .is_some_and(|t| t.flags.iter().any(|f| f == "in_memory"))
        {
            continue;
        }
        let name = s.ctx.name(i).to_string();
        let ttl = s.ctx.quantity(i, "ttl").map(|t| t.hi);
        let mut total = 0.0;
        let mut terms = Vec::new();
        let mut grows = false;
        for p in parts_at(s, i) {
            let Some(schema) = p.schema.and_then(|k| s.ctx.schema(k)) else {
                continue;
            };
            let Some(size) = schema.size_raw.as_ref().map(|q| q.hi) else {
                continue;
            };
            let key = schema.fields.iter().find(|f| f.key);
            let distinct = key.and_then(|k| k.cardinality.as_ref().map(|c| (c.hi, k)));
            let arriving = ttl.zip(p.avg.as_ref()).map(|(t, r)| r.hi * t);
            let (keys, why) = match (distinct, arriving) {
                (Some((c, k)), Some(a)) if a < c => {
                    grows = true;
                    (
                        a,
                        format!(
                            "{} keys arriving within the ttl (of {} `{}.{}`)",
                            format_number(a.ceil()),
                            format_number(c),
                            schema.name.name,
                            k.name.name
                        ),
                    )
                }
                (Some((c, k)), _) => (
                    c,
                    format!(
                        "{} keys (`{}.{}` cardinality)",
                        format_number(c),
                        schema.name.name,
                        k.name.name
                    ),
                ),
                (None, Some(a)) => {
                    grows = true;
                    (
                        a,
                        format!("{} keys arriving within the ttl", format_number(a.ceil())),
                    )
                }
                (None, None) => continue,
            };
            total += keys * size;
            terms.push(format!(
                "{why} × {}.size.raw {}",
                schema.name.name,
                show(size, Dimension::BYTES)
            ));
        }
        if terms.is_empty() {
            continue;
        }
        let derivation = format!("{} = {}", terms.join(" + "), show(total, Dimension::BYTES));
        if !s.checks_only {
            s.push(
                format!("store.{name}.memory_needed"),
                Section::Storage,
                format!("`{name}` memory needed (at least)"),
                q(total, Dimension::BYTES),
                derivation.clone(),
                Vec::new(),
            );
        }
        if let Some(mem) = s.ctx.quantity(i, "memory").map(|m| m.lo) {
            s.checks.push(Check {
                id: format!("store.{name}.memory"),
                label: format!("`{name}` memory"),
                needed: total,
                provided: mem,
                unit: "bytes",
                ok: total <= mem,
                scales: grows,
                headroom: if total > 0.0 {
                    mem / total
                } else {
                    f64::INFINITY
                },
                derivation: format!(
                    "{derivation} against memory {}",
                    show(mem, Dimension::BYTES)
                ),
                node: Some(i),
                at: "memory",
                binding: String::new(),
                runs_out_within_growth: false,
            });
        }
    }
}

/// How much smaller a columnar file is than the raw record (the reference's 5x).
const COLUMNAR_RATIO: f64 = 5.0;

/// What a store keeps of what some flows bring it: the raw bytes a day, and what
/// it stores of them — raw ÷ 5 in a Parquet or ORC store, else compressed where
/// every schema gives a compressed size, else raw — each with its derivation
/// (terms only when `prefix` is not empty; see `bytes_of`).
struct Stored {
    raw: Quantity,
    raw_terms: String,
    stored: Quantity,
    how: String,
}

fn stored_of(ctx: &Ctx<'_>, store: usize, parts: &[Part], prefix: &str) -> Option<Stored> {
    let (raw_rate, raw_terms) = bytes_of(ctx, parts, false, Size::Raw, prefix)?;
    let raw = Quantity {
        per: crate::units::TimeUnit::day(),
        ..range(raw_rate.lo, raw_rate.hi, Dimension::BYTE_RATE)
    };
    let format = ctx.words(store, "format");
    let (stored, how) = if let Some(f) = format.iter().find(|f| *f == "parquet" || *f == "orc") {
        (
            Quantity {
                lo: raw.lo / COLUMNAR_RATIO,
                hi: raw.hi / COLUMNAR_RATIO,
                ..raw.clone()
            },
            format!(
                "{} ÷ {}x ({f} compression)",
                show_per_day(&raw),
                format_number(COLUMNAR_RATIO),
            ),
        )
    } else if let Some((c, text)) = bytes_of(ctx, parts, false, Size::Compressed, prefix) {
        let v = Quantity {
            per: crate::units::TimeUnit::day(),
            ..range(c.lo, c.hi, Dimension::BYTE_RATE)
        };
        (v, text)
    } else {
        (raw.clone(), "stored as written".into())
    };
    Some(Stored {
        raw,
        raw_terms,
        stored,
        how,
    })
}

/// Bytes a day a store keeps of some parts, at the high end: the rule
/// `store.N.daily_stored` follows (see [`stored_of`]).
pub fn stored_per_day(ctx: &Ctx<'_>, store: usize, parts: &[Part]) -> Option<f64> {
    stored_of(ctx, store, parts, "").map(|s| s.stored.hi * DAY)
}

/// The key every write into a store upserts or merges on, when all of them do
/// and it is not the identity of the records written (`upsert(customer_vpa)`
/// of payments keeps one row per customer; `merge(order_id)` of orders keeps
/// one row per order, which grows as orders do).
fn upserted_by(ctx: &Ctx<'_>, store: usize) -> Option<String> {
    let mut key = None;
    for e in ctx.data_in.get(store)? {
        let w = ctx.flow(e.flow)?.write.as_ref()?;
        if !matches!(
            w.kind,
            crate::model::WriteKind::Upsert | crate::model::WriteKind::Merge
        ) {
            return None;
        }
        let k = w.key.as_ref()?.name.clone();
        let parts = ctx.rates.edge.get(e.flow)?;
        // A record of unknown schema may be keyed by its identity: it grows.
        let identity = parts
            .iter()
            .any(|p| match p.schema.and_then(|id| ctx.schema(id)) {
                None => true,
                Some(sc) => sc.field(&k).is_some_and(|f| f.key),
            });
        if parts.is_empty() || identity {
            return None;
        }
        key = Some(k);
    }
    key
}

fn storage(s: &mut Sizer<'_, '_>) {
    let d = s.ctx.design;
    for i in 0..d.nodes.len() {
        if s.ctx.kind(i) != Some(RoleKind::Store) {
            continue;
        }
        let name = s.ctx.name(i).to_string();
        let Some(Stored {
            raw: daily_raw,
            raw_terms,
            stored,
            how,
        }) = stored_of(s.ctx, i, parts_at(s, i), "volume ")
        else {
            continue;
        };
        let derivation = format!("{raw_terms} = {}", show_per_day(&daily_raw));
        s.push(
            format!("store.{name}.daily_raw"),
            Section::Storage,
            format!("`{name}` raw per day"),
            daily_raw,
            derivation,
            vec!["volume".into()],
        );
        let derivation = format!("{how} = {}", show_per_day(&stored));
        s.push(
            format!("store.{name}.daily_stored"),
            Section::Storage,
            format!("`{name}` stored per day"),
            stored.clone(),
            derivation,
            vec![format!("store.{name}.daily_raw")],
        );
        // Written only by upserts on a key: each write replaces the row of its
        // key, so the store holds one row per key, not a year of writes.
        if let Some(key) = upserted_by(s.ctx, i) {
            s.missing(
                format!("store.{name}.per_year"),
                Section::Storage,
                format!("`{name}` growth per year"),
                format!(
                    "every write is an upsert on `{key}`, so `{name}` holds one row per `{key}`, not {} piled up; its size is the number of distinct `{key}` values × the row size",
                    show_per_day(&stored)
                ),
            );
            continue;
        }
        let year = range(stored.lo * YEAR, stored.hi * YEAR, Dimension::BYTES);
        let derivation = format!("{} × 365 days = {}", show_per_day(&stored), year.display());
        s.push(
            format!("store.{name}.per_year"),
            Section::Storage,
            format!("`{name}` growth per year"),
            year,
            derivation,
            vec![format!("store.{name}.daily_stored")],
        );
        let tiers = tier_list(&s.ctx.words(i, "tier"));
        let kept = s
            .ctx
            .quantity(i, "retain")
            .map(|r| r.hi)
            .or_else(|| tiers.last().map(|t| t.1));
        if let Some(kept) = kept {
            let total = range(stored.lo * kept, stored.hi * kept, Dimension::BYTES);
            let derivation = format!(
                "{} × {} = {}",
                show_per_day(&stored),
                q(kept, Dimension::TIME).display(),
                total.display()
            );
            s.push(
                format!("store.{name}.retained"),
                Section::Storage,
                format!("`{name}` held at full retention"),
                total.clone(),
                derivation,
                vec![format!("store.{name}.daily_stored")],
            );
            // Each tier holds the days between the previous tier's end and its own.
            let mut start = 0.0;
            for (tier, end) in &tiers {
                let days = (end - start).max(0.0);
                let held = range(stored.lo * days, stored.hi * days, Dimension::BYTES);
                let derivation = format!(
                    "{} × {} (from {} to {}) = {}",
                    show_per_day(&stored),
                    q(days, Dimension::TIME).display(),
                    q(start, Dimension::TIME).display(),
                    q(*end, Dimension::TIME).display(),
                    held.display()
                );
                s.push(
                    format!("store.{name}.tier.{tier}"),
                    Section::Storage,
                    format!("`{name}` in tier {tier}"),
                    held,
                    derivation,
                    vec![format!("store.{name}.daily_stored")],
                );
                start = *end;
            }
        }
    }
}

/// `standard 90 days, infrequent 365 days, glacier 7 years` → [(standard, 90 d), …].
fn tier_list(words: &[String]) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    let mut name: Option<&String> = None;
    let mut k = 0;
    while let Some(w) = words.get(k) {
        if crate::units::parse_number(w).is_some() {
            let pair = [w.clone(), words.get(k + 1).cloned().unwrap_or_default()];
            if let (Some(n), Some(t)) = (name, times_in_words(&pair).first()) {
                out.push((n.clone(), *t));
            }
            k += 2;
            continue;
        }
        if w != "," {
            name = Some(w);
        }
        k += 1;
    }
    out
}

fn show_per_day(q: &Quantity) -> String {
    let mut d = q.clone();
    d.per = crate::units::TimeUnit::day();
    d.display()
}

fn serving(s: &mut Sizer<'_, '_>) {
    let d = s.ctx.design;
    for i in 0..d.nodes.len() {
        let name = s.ctx.name(i).to_string();
        // Readers who refresh: a stated `qps` is not a figure to derive.
        if s.ctx.prop(i, "readers").is_some()
            && let Some((qps, derivation)) = s.ctx.reader_qps(i)
        {
            s.push(
                format!("serving.{name}.qps"),
                Section::Serving,
                format!("`{name}` queries per second"),
                qps.clone(),
                derivation,
                Vec::new(),
            );
            // What each read returns: the snapshot of the store it reads through.
            let mut at = i;
            let mut hops = 0;
            while s.ctx.quantity(at, "size").is_none() && hops < d.nodes.len() {
                let Some(up) = s.ctx.data_in.get(at).and_then(|v| v.first()).map(|e| e.src) else {
                    break;
                };
                at = up;
                hops += 1;
            }
            if let Some(size) = s.ctx.quantity(at, "size").cloned()
                && let Ok(egress) = qps.mul(&size)
            {
                let store = s.ctx.name(at).to_string();
                let derivation = format!(
                    "{} × `{store}` size {} = {}",
                    qps.display(),
                    size.display(),
                    egress.display()
                );
                s.push(
                    format!("serving.{name}.egress"),
                    Section::Serving,
                    format!("`{name}` bytes served"),
                    egress,
                    derivation,
                    vec![
                        format!("serving.{name}.qps"),
                        format!("serving.{store}.snapshot"),
                    ],
                );
            }
            let mut per_min = qps.clone();
            per_min.per = crate::units::TimeUnit::minute();
            per_min.noun = Some("reads".into());
            let derivation = format!("{} × 60 s = {}", qps.display(), per_min.display());
            s.push(
                format!("serving.{name}.reads_per_min"),
                Section::Serving,
                format!("`{name}` reads per minute"),
                per_min,
                derivation,
                vec![format!("serving.{name}.qps")],
            );
        }
        if let Some(size) = s.ctx.quantity(i, "size").cloned() {
            s.push(
                format!("serving.{name}.snapshot"),
                Section::Serving,
                format!("`{name}` snapshot size"),
                size.clone(),
                format!("`{name}` size {}", size.display()),
                Vec::new(),
            );
        }
        if let Some(ttl) = s.ctx.quantity(i, "ttl").cloned() {
            s.push(
                format!("serving.{name}.ttl"),
                Section::Serving,
                format!("`{name}` TTL: the oldest entry served if writes stop"),
                ttl.clone(),
                format!("`{name}` ttl {}", ttl.display()),
                Vec::new(),
            );
        }
    }
    // Staleness and lag alarms declared in failure blocks.
    for f in &d.failures {
        for det in &f.detect {
            if !det.threshold.dim.same_as(Dimension::TIME) {
                continue;
            }
            let node = s.ctx.name(f.node).to_string();
            let metric = det.metric.join(" ");
            let id = format!("alert.{node}.{}", metric.replace(' ', "_"));
            s.push(
                id,
                Section::Failure,
                format!("`{node}` alarm: {metric}"),
                det.threshold.clone(),
                format!("detect {metric} > {}", det.threshold.display()),
                Vec::new(),
            );
        }
    }
}

fn outages(s: &mut Sizer<'_, '_>) {
    let d = s.ctx.design;
    for f in &d.failures {
        let Some(outage) = &f.outage else { continue };
        // The broker the backlog waits in must keep it for the whole outage.
        let broker = s
            .ctx
            .data_in
            .get(f.node)
            .into_iter()
            .flatten()
            .map(|e| e.src)
            .find(|b| s.ctx.kind(*b) == Some(RoleKind::Broker));
        if let Some(b) = broker {
            let kept = s.ctx.broker_keeps(b);
            let (bname, node) = (s.ctx.name(b).to_string(), s.ctx.name(f.node).to_string());
            s.checks.push(Check {
                id: format!("outage.{node}.retention"),
                label: format!("`{bname}` keeps a `{node}` outage's backlog"),
                needed: outage.hi / 3600.0,
                provided: kept / 3600.0,
                unit: "hours",
                ok: kept >= outage.hi,
                headroom: if outage.hi > 0.0 {
                    kept / outage.hi
                } else {
                    f64::INFINITY
                },
                scales: false,
                derivation: format!(
                    "outage {} against `{bname}` retention {}",
                    outage.display(),
                    q(kept, Dimension::TIME).display()
                ),
                node: None,
                at: "",
                binding: String::new(),
                runs_out_within_growth: false,
            });
        }
        let avg = volume_at(s, f.node);
        let Some(peak) = peak_at(s, f.node) else {
            continue;
        };
        let name = s.ctx.name(f.node).to_string();
        let lo_rate = avg.as_ref().map(|a| a.lo).unwrap_or(peak.lo);
        let mut backlog = range(lo_rate * outage.hi, peak.hi * outage.hi, Dimension::NONE);
        backlog.noun = peak.noun.clone();
        let arrivals = Quantity {
            noun: peak.noun.clone(),
            ..range(lo_rate, peak.hi, Dimension::RATE)
        };
        let derivation = format!(
            "{} (average to peak) × outage {} = {}",
            arrivals.display(),
            outage.display(),
            backlog.display()
        );
        s.push(
            format!("outage.{name}.backlog"),
            Section::Failure,
            format!("`{name}` backlog after a {} outage", outage.display()),
            backlog.clone(),
            derivation,
            vec!["rate.average".into(), "rate.peak".into()],
        );
        if let Some(size) = record_size(s, f.node) {
            let bytes = range(backlog.lo * size.lo, backlog.hi * size.hi, Dimension::BYTES);
            let derivation = format!(
                "{} × {} = {}",
                backlog.display(),
                size.display(),
                bytes.display()
            );
            s.push(
                format!("outage.{name}.backlog_bytes"),
                Section::Failure,
                format!("`{name}` backlog size"),
                bytes,
                derivation,
                vec![format!("outage.{name}.backlog")],
            );
        }
        // Catch-up: the same arithmetic as `dsd what-if` (each stalled node
        // works through its own share at its capacity, partitions and the
        // topic's read limit counted, less what keeps arriving). The range runs
        // from an outage at the average drained at the average to an outage at
        // the peak drained while the peak holds.
        let drain = |at: crate::whatif::At, end: &str| {
            let id = format!("down.{name}.drain_at_{end}");
            match crate::whatif::outage(s.ctx, f.node, outage.hi, at) {
                Ok(o) => o.figures.into_iter().find(|x| x.id == id),
                Err(_) => None,
            }
        };
        let fast = drain(crate::whatif::At::Average, "average");
        let slow = drain(crate::whatif::At::Peak, "peak");
        let id = format!("outage.{name}.catch_up");
        let label = format!("`{name}` catch-up time");
        match (fast, slow) {
            (Some(fast), Some(slow)) => match (fast.value, slow.value) {
                (Ok(a), Ok(p)) => {
                    let time = range(a.lo, p.hi, Dimension::TIME);
                    let derivation = format!(
                        "outage at the average: {}; at the peak: {}",
                        fast.derivation, slow.derivation
                    );
                    s.push(
                        id,
                        Section::Failure,
                        label,
                        time,
                        derivation,
                        vec![format!("outage.{name}.backlog")],
                    );
                }
                (Err(why), _) | (_, Err(why)) => s.missing(id, Section::Failure, label, why),
            },
            _ => s.missing(
                id,
                Section::Failure,
                label,
                format!("`{name}` declares no `per_event` with `threads` or `instances`"),
            ),
        }
    }
}

fn backfills(s: &mut Sizer<'_, '_>) {
    let d = s.ctx.design;
    for h in d
        .hard_problems
        .iter()
        .filter(|h| h.kind == crate::ast::HardKind::Backfill)
    {
        let name = h
            .subject
            .as_ref()
            .map(|x| x.name.clone())
            .unwrap_or_else(|| "backfill".into());
        let quantity = |key: &str| match h.props.get(key).map(|p| &p.value) {
            Some(Value::Quantity(q)) => Some(q.clone()),
            _ => None,
        };
        let words = |key: &str| match h.props.get(key).map(|p| &p.value) {
            Some(Value::Words(w)) => w.clone(),
            _ => Vec::new(),
        };
        let range_q = quantity("range");
        let chunk = words("chunk");
        let unit = chunk.iter().find_map(|w| match w.as_str() {
            "day" | "days" => Some((DAY, "day")),
            "week" | "weeks" => Some((7.0 * DAY, "week")),
            "month" | "months" => Some((MONTH, "month")),
            "year" | "years" => Some((YEAR, "year")),
            _ => None,
        });
        let chunks = match (&range_q, unit) {
            (Some(r), Some((u, uname))) => {
                let n = (r.hi / u).round().max(1.0);
                let derivation =
                    format!("range {} ÷ 1 {uname} = {}", r.display(), format_number(n));
                s.push(
                    format!("backfill.{name}.chunks"),
                    Section::Backfill,
                    format!("`{name}` chunks"),
                    q(n, Dimension::NONE),
                    derivation,
                    Vec::new(),
                );
                Some(n)
            }
            _ => {
                s.missing(
                    format!("backfill.{name}.chunks"),
                    Section::Backfill,
                    format!("`{name}` chunks"),
                    "needs `range` and `chunk by month` (or day, week, year)".into(),
                );
                None
            }
        };
        let pause = quantity("pause");
        let pauses = match (chunks, &pause) {
            (Some(n), Some(p)) => {
                let total = q(n * p.hi, Dimension::TIME);
                let derivation = format!(
                    "{} chunks × pause {} = {}",
                    format_number(n),
                    p.display(),
                    total.display()
                );
                s.push(
                    format!("backfill.{name}.pauses"),
                    Section::Backfill,
                    format!("`{name}` total pause"),
                    total.clone(),
                    derivation,
                    vec![format!("backfill.{name}.chunks")],
                );
                Some(total)
            }
            _ => None,
        };
        match quantity("size") {
            Some(size) => {
                // Read rate: the plan's `rate`, else a disk's sequential read (200–500 MB/s).
                let rate = quantity("rate")
                    .filter(|r| r.dim.same_as(Dimension::BYTE_RATE))
                    .unwrap_or(range(200e6, 500e6, Dimension::BYTE_RATE));
                let read = range(size.lo / rate.hi, size.hi / rate.lo, Dimension::TIME);
                let derivation = format!(
                    "size {} ÷ read rate {} = {}",
                    size.display(),
                    rate.display(),
                    read.display()
                );
                s.push(
                    format!("backfill.{name}.read_time"),
                    Section::Backfill,
                    format!("`{name}` read time"),
                    read.clone(),
                    derivation,
                    Vec::new(),
                );
                let extra = pauses.as_ref().map(|p| p.hi).unwrap_or(0.0);
                let total = range(read.lo + extra, read.hi + extra, Dimension::TIME);
                let derivation = format!(
                    "read {} + pauses {} = {}",
                    read.display(),
                    q(extra, Dimension::TIME).display(),
                    total.display()
                );
                s.push(
                    format!("backfill.{name}.duration"),
                    Section::Backfill,
                    format!("`{name}` duration"),
                    total,
                    derivation,
                    vec![
                        format!("backfill.{name}.read_time"),
                        format!("backfill.{name}.pauses"),
                    ],
                );
            }
            None => s.missing(
                format!("backfill.{name}.duration"),
                Section::Backfill,
                format!("`{name}` duration"),
                "the plan gives no `size` to read".into(),
            ),
        }
    }
}

fn estimates(s: &mut Sizer<'_, '_>) {
    let d = s.ctx.design;
    for b in &d.lets {
        let derivation = if b.formula == b.with_values {
            format!("{} = {}", b.formula, b.value.display())
        } else {
            format!("{} = {} = {}", b.formula, b.with_values, b.value.display())
        };
        s.push(
            format!("let.{}", b.name),
            Section::Estimates,
            b.name.clone(),
            b.value.clone(),
            derivation,
            Vec::new(),
        );
    }
}

/// The unit of a figure's `value` in JSON: base units; rates per second; money
/// per month.
pub fn json_unit(dim: Dimension) -> String {
    let money = dim.currency.map(|c| c.code()).unwrap_or("USD");
    match (dim.bytes, dim.time, dim.money) {
        (0, 0, 0) => "count".into(),
        (0, -1, 0) => "count/s".into(),
        (1, 0, 0) => "B".into(),
        (1, -1, 0) => "B/s".into(),
        (0, 1, 0) => "s".into(),
        (0, 0, 1) => money.into(),
        (0, -1, 1) => format!("{money}/month"),
        (-1, -1, 1) => format!("{money}/B/month"),
        _ => dim.base_units(),
    }
}

/// A value converted to its JSON unit (money rates per month).
pub fn json_value(v: f64, dim: Dimension) -> f64 {
    if dim.money != 0 && dim.time == -1 {
        v * MONTH
    } else {
        v
    }
}

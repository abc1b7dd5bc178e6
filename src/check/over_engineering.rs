//! over-engineering: anti-pattern 1 — "Kafka → Spark → Snowflake without asking
//! requirements". Streaming is for latency the business needs; a team runs only so
//! many systems.

use super::{Ctx, Finding};
use crate::model::{RoleKind, Value};
use crate::units::Dimension;
use std::collections::BTreeMap;

/// Batch serves latency of minutes to hours; below this, streaming earns its cost.
const STREAMING_NEEDED_BELOW: f64 = 15.0 * 60.0;

/// Records per second at peak below which no broker is needed: ten a second is
/// 864,000 a day, 86 times the reference's "10k events/day does not need Kafka",
/// and far inside what one Postgres table takes.
const TRICKLE: f64 = 10.0;

/// Systems the team must run, upgrade and be on call for: not managed services,
/// not its own code (a Python job, dbt models), not the source systems other
/// teams run; a tool that runs inside another (Debezium on Kafka Connect) is that
/// one system. Tool (or host) name → the first node that runs it.
pub fn self_managed<'a>(ctx: &Ctx<'a>) -> BTreeMap<&'a str, usize> {
    let d = ctx.design;
    let mut systems: BTreeMap<&str, usize> = BTreeMap::new();
    for i in 0..d.nodes.len() {
        let Some(node) = d.nodes.get(i) else { continue };
        let theirs = node.is_source
            || matches!(ctx.prop(i, "replica_of").map(|p| &p.value), Some(Value::Name(n))
                if d.node_index(&n.name).and_then(|j| d.nodes.get(j)).is_some_and(|m| m.is_source));
        let runs = matches!(
            ctx.kind(i),
            Some(
                RoleKind::Broker
                    | RoleKind::Store
                    | RoleKind::Processor
                    | RoleKind::Control
                    | RoleKind::Consumer
            )
        );
        if let (true, false, Some(tool)) = (runs, theirs, ctx.tool(i))
            && !tool.flags.iter().any(|f| f == "managed" || f == "code")
        {
            let name = tool.runs_on.as_deref().unwrap_or(tool.name.as_str());
            systems.entry(name).or_insert(i);
        }
    }
    systems
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let d = ctx.design;
    let r = &d.requirements;
    let mut out = Vec::new();
    let streaming: Vec<usize> = d
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            !n.is_source && (n.role == "stream_broker" || n.role == "stream_processor")
        })
        .map(|(i, _)| i)
        .collect();
    let bounds: Vec<_> = r.latency.iter().chain(&r.freshness).collect();
    let tightest = bounds
        .iter()
        .filter(|b| b.value.dim.same_as(Dimension::TIME))
        .min_by(|a, b| a.value.lo.total_cmp(&b.value.lo));
    if let (Some(first), Some(tightest)) = (streaming.first(), tightest)
        && tightest.value.lo >= STREAMING_NEEDED_BELOW
    {
        let mut diag = ctx
            .diag(
                "over-engineering",
                ctx.name_span(*first),
                format!(
                    "`{}` streams data, but the tightest latency requirement is {}",
                    ctx.name(*first),
                    tightest.value.display()
                ),
            )
            .label(format!(
                "a {}",
                ctx.design
                    .nodes
                    .get(*first)
                    .map(|n| n.role.as_str())
                    .unwrap_or("")
            ))
            .also(ctx.file, tightest.span, "batch meets this");
        for i in streaming.iter().skip(1).take(3) {
            diag = diag.also(ctx.file, ctx.name_span(*i), "also streaming");
        }
        out.push(Finding::new(
            diag.with_help("a scheduled batch job (even a cron and a Postgres query) serves minutes-to-hours latency at a fraction of the cost and on-call; stream only where latency is a business requirement"),
            streaming.clone(),
        ));
    }
    // Streaming for a trickle: "a 5-person startup with 10k events/day does not
    // need Kafka" (0.12 events/s on average). Every broker carrying data at a
    // known peak below what one Postgres table absorbs without noticing.
    let candidates: Vec<usize> = (0..d.nodes.len())
        .filter(|i| {
            ctx.kind(*i) == Some(RoleKind::Broker)
                && !d.nodes.get(*i).is_some_and(|n| n.is_source)
                && !ctx.is_dead_letter(*i)
        })
        .collect();
    let brokers: Vec<(usize, f64)> = candidates
        .iter()
        .filter_map(|i| {
            let peak = ctx.peak_at.get(*i)?.as_ref()?;
            (peak.dim.same_as(Dimension::RATE) && peak.hi > 0.0).then_some((*i, peak.hi))
        })
        .collect();
    let all_brokers = candidates.len();
    if out.is_empty()
        && !brokers.is_empty()
        && brokers.len() == all_brokers
        && brokers.iter().all(|(_, peak)| *peak < TRICKLE)
        && let Some((first, peak)) = brokers.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1))
    {
        let noun = ctx
            .peak_at
            .get(first)
            .and_then(|q| q.as_ref())
            .map(|q| q.display())
            .unwrap_or_else(|| format!("{peak:.2}/s"));
        let mut diag = ctx
            .diag(
                "over-engineering",
                ctx.name_span(first),
                format!(
                    "`{}` is a streaming broker for {noun} at peak, the busiest in the design",
                    ctx.name(first)
                ),
            )
            .label(format!("under {TRICKLE} records/s at peak"));
        for (i, _) in brokers.iter().filter(|(i, _)| *i != first).take(3) {
            diag = diag.also(ctx.file, ctx.name_span(*i), "also a trickle");
        }
        out.push(Finding::new(
            diag.with_help("a table in Postgres takes thousands of inserts a second: at this volume a service writing rows (a trigger or an outbox table, a cron job to move them) meets the same latency without a broker to run; the reference: \"a 5-person startup with 10k events/day does not need Kafka\""),
            brokers.iter().map(|(i, _)| *i).collect(),
        ));
    }
    if let Some(team) = &r.team {
        let systems = self_managed(ctx);
        if systems.len() as f64 > team.value.hi {
            let names: Vec<&str> = systems.keys().copied().collect();
            out.push(Finding::new(
                ctx.diag(
                    "over-engineering",
                    team.span,
                    format!(
                        "a team of {} runs {} self-managed systems: {}",
                        team.value.display(),
                        systems.len(),
                        names.join(", ")
                    ),
                )
                .label("the team")
                .with_help("choose managed services for some of them, or fewer systems; the reference: over-engineering adds operational burden the team cannot sustain"),
                systems.values().copied().collect(),
            ));
        }
    }
    out
}

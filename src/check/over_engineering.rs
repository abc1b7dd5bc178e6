//! over-engineering: anti-pattern 1 — "Kafka → Spark → Snowflake without asking
//! requirements". Streaming is for latency the business needs; a team runs only so
//! many systems.

use super::{Ctx, Finding};
use crate::model::RoleKind;
use crate::units::Dimension;
use std::collections::BTreeMap;

/// Batch serves latency of minutes to hours; below this, streaming earns its cost.
const STREAMING_NEEDED_BELOW: f64 = 15.0 * 60.0;

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
    // Self-managed systems the team must run, upgrade and be on call for.
    if let Some(team) = &r.team {
        let mut systems: BTreeMap<&str, usize> = BTreeMap::new();
        for i in 0..d.nodes.len() {
            let runs = matches!(
                ctx.kind(i),
                Some(RoleKind::Broker | RoleKind::Store | RoleKind::Processor | RoleKind::Control)
            );
            if let (true, Some(tool)) = (runs, ctx.tool(i))
                && !tool.flags.iter().any(|f| f == "managed")
            {
                systems.entry(tool.name.as_str()).or_insert(i);
            }
        }
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

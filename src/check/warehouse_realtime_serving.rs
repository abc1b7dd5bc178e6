//! warehouse-realtime-serving: anti-pattern 6 — "using a data warehouse for
//! real-time serving". Cold queries start in 1–5 s; a dashboard refreshing every
//! 10 s or an SLA under a second cannot be served from one.

use super::{Ctx, Finding, time_in_words};
use crate::model::{Bound, RoleKind};
use crate::units::Dimension;

/// A warehouse's cold-query time at the pessimistic end: the tool's figure, else
/// the role's latency floor.
pub fn cold_query(ctx: &Ctx<'_>, i: usize) -> Option<f64> {
    if !ctx.is_role(i, "warehouse") {
        return None;
    }
    ctx.tool_figure(i, "cold_query")
        .or_else(|| ctx.tool_figure(i, "latency_floor"))
        .or_else(|| ctx.role(i).and_then(|r| r.latency_floor.as_ref()))
        .map(|q| q.hi)
}

/// The first warehouse among `nodes` whose cold query is slower than `limit`.
pub fn too_slow(ctx: &Ctx<'_>, nodes: &[usize], limit: f64) -> Option<(usize, f64)> {
    nodes
        .iter()
        .filter_map(|i| cold_query(ctx, *i).map(|c| (*i, c)))
        .find(|(_, c)| *c > limit)
}

fn finding(ctx: &Ctx<'_>, span: crate::source::Span, what: String, w: usize, cold: f64) -> Finding {
    Finding::new(
        ctx.diag(
            "warehouse-realtime-serving",
            span,
            format!("{what}, but it is served by the warehouse `{}`", ctx.name(w)),
        )
        .label("a real-time requirement")
        .also(
            ctx.file,
            ctx.name_span(w),
            format!("cold queries take up to {}", super::show(cold, Dimension::TIME)),
        )
        .with_help("pre-compute the aggregates with a streaming job and serve them from a key-value store (Redis); keep the warehouse for analysis and batch reporting"),
        vec![w],
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let d = ctx.design;
    let r = &d.requirements;
    let mut out = Vec::new();
    // One finding per warehouse: a tight SLA and a fast refresh on the same one
    // are one hazard.
    let mut reported = std::collections::BTreeSet::new();
    let bound_nodes = |b: &Bound| -> Vec<usize> {
        let Some(t) = &b.target else {
            return Vec::new();
        };
        if let Some(p) = d.paths.iter().find(|p| p.name.name == t.name) {
            return p.hops.clone();
        }
        let Some(n) = d.node_index(&t.name) else {
            return Vec::new();
        };
        let mut v = vec![n];
        v.extend(ctx.data_in.get(n).into_iter().flatten().map(|e| e.src));
        v
    };
    for (what, bounds) in [("latency", &r.latency), ("freshness", &r.freshness)] {
        for b in bounds {
            if !b.value.dim.same_as(Dimension::TIME) {
                continue;
            }
            if let Some((w, cold)) = too_slow(ctx, &bound_nodes(b), b.value.lo)
                && reported.insert(w)
            {
                let target = b.target.as_ref().map(|t| t.name.as_str()).unwrap_or("");
                out.push(finding(
                    ctx,
                    b.span,
                    format!("`{target}` needs {what} within {}", b.value.display()),
                    w,
                    cold,
                ));
            }
        }
    }
    // A consumer refreshing every few seconds from a warehouse: straight, or
    // through APIs and query engines that pass each refresh on as a query (a
    // processor or store in between precomputes, which is the fix). It fires
    // when one cold query takes a tenth of the refresh interval or more: every
    // viewer's every refresh starts one.
    for i in 0..d.nodes.len() {
        let Some(every) = time_in_words(&ctx.words(i, "refresh"))
            .or_else(|| time_in_words(&ctx.words(i, "readers")))
        else {
            continue;
        };
        if every >= 60.0 {
            continue;
        }
        let mut seen = std::collections::BTreeSet::from([i]);
        let mut stack = vec![i];
        let mut feeders: Vec<usize> = Vec::new();
        while let Some(at) = stack.pop() {
            for e in ctx.data_in.get(at).into_iter().flatten() {
                if !seen.insert(e.src) {
                    continue;
                }
                feeders.push(e.src);
                if ctx.kind(e.src) == Some(RoleKind::Consumer) {
                    stack.push(e.src);
                }
            }
        }
        let slow = feeders
            .iter()
            .filter_map(|f| cold_query(ctx, *f).map(|c| (*f, c)))
            .find(|(_, c)| *c >= every / 10.0);
        if let Some((w, cold)) = slow
            && !reported.contains(&w)
        {
            reported.insert(w);
            let span = ctx
                .prop(i, "refresh")
                .or_else(|| ctx.prop(i, "readers"))
                .map(|p| p.span)
                .unwrap_or_else(|| ctx.name_span(i));
            out.push(finding(
                ctx,
                span,
                format!(
                    "`{}` refreshes every {}",
                    ctx.name(i),
                    super::show(every, Dimension::TIME)
                ),
                w,
                cold,
            ));
        }
    }
    out
}

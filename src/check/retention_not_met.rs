//! retention-not-met: step 1 asks how long raw data must be kept; the stores that
//! hold it must keep it that long. A 7-day Kafka topic is not a 7-year archive.

use super::{Ctx, Finding, show, times_in_words};
use crate::model::{Bound, RoleKind};
use crate::source::Span;
use crate::units::Dimension;

/// How long a node keeps data, and where that is written, when it can be known.
fn kept(ctx: &Ctx<'_>, i: usize) -> Option<(f64, Span)> {
    let declared = ctx
        .quantity(i, "retain")
        .map(|q| (q.hi, ctx.prop_span(i, "retain")));
    let tiers = times_in_words(&ctx.words(i, "tier"))
        .into_iter()
        .reduce(f64::max)
        .map(|t| (t, ctx.prop_span(i, "tier")));
    let mut best = match (declared, tiers) {
        (Some(a), Some(b)) => Some(if a.0 >= b.0 { a } else { b }),
        (a, b) => a.or(b),
    };
    if best.is_none() && ctx.kind(i) == Some(RoleKind::Broker) {
        best = Some((ctx.broker_keeps(i), ctx.name_span(i)));
    }
    let (mut t, span) = best?;
    if let Some(max) = ctx.tool_figure(i, "retention_max") {
        t = t.min(max.hi);
    }
    Some((t, span))
}

fn targets(ctx: &Ctx<'_>, b: &Bound) -> Vec<usize> {
    let d = ctx.design;
    let Some(t) = &b.target else {
        return (0..d.nodes.len())
            .filter(|i| matches!(ctx.kind(*i), Some(RoleKind::Store | RoleKind::Broker)))
            .collect();
    };
    if let Some(n) = d.node_index(&t.name) {
        return vec![n];
    }
    if let Some(p) = d.paths.iter().find(|p| p.name.name == t.name) {
        return p.hops.clone();
    }
    (0..d.nodes.len())
        .filter(|i| ctx.is_role(*i, &t.name))
        .collect()
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for b in &ctx.design.requirements.retention {
        if !b.value.dim.same_as(Dimension::TIME) {
            continue;
        }
        let nodes = targets(ctx, b);
        let known: Vec<(usize, f64, Span)> = nodes
            .iter()
            .filter_map(|i| kept(ctx, *i).map(|(t, s)| (*i, t, s)))
            .collect();
        let short: Vec<&(usize, f64, Span)> = if b.target.is_none() {
            // Some store must keep it: report only when none does.
            if known.iter().any(|k| k.1 >= b.value.lo) {
                Vec::new()
            } else {
                known
                    .iter()
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                    .into_iter()
                    .collect()
            }
        } else {
            known.iter().filter(|k| k.1 < b.value.lo).collect()
        };
        for (i, t, span) in short {
            out.push(Finding::new(
                ctx.diag(
                    "retention-not-met",
                    *span,
                    format!(
                        "`{}` keeps data for {}, but the requirement is {}",
                        ctx.name(*i),
                        show(*t, Dimension::TIME),
                        b.value.display()
                    ),
                )
                .label(format!("keeps {}", show(*t, Dimension::TIME)))
                .also(ctx.file, b.span, "required here")
                .with_help("raise `retain` (or add a colder `tier`), or land the data in a store that keeps it, such as object storage with lifecycle tiers"),
                vec![*i],
            ));
        }
    }
    out
}

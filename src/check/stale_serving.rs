//! stale-serving: Design 5 — a serving store's TTL or refresh interval bounds how
//! old the data a reader sees can be. If that bound exceeds the freshness
//! requirement, readers get stale data without knowing it.

use super::{Ctx, Finding, show, time_in_words};
use crate::model::{FlowMode, RoleKind};
use crate::source::Span;
use crate::units::Dimension;
use std::collections::BTreeSet;

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let d = ctx.design;
    let mut out = Vec::new();
    for b in &d.requirements.freshness {
        let Some(t) = &b.target else { continue };
        if !b.value.dim.same_as(Dimension::TIME) {
            continue;
        }
        // The serving side: the path's hops, or the node and the stores and
        // serving nodes it reads through.
        let mut nodes: Vec<usize> = Vec::new();
        if let Some(p) = d.paths.iter().find(|p| p.name.name == t.name) {
            nodes = p.hops.clone();
        } else if let Some(n) = d.node_index(&t.name) {
            let mut seen = BTreeSet::from([n]);
            let mut stack = vec![n];
            while let Some(i) = stack.pop() {
                nodes.push(i);
                for e in ctx.data_in.get(i).into_iter().flatten() {
                    let serving =
                        matches!(ctx.kind(e.src), Some(RoleKind::Store | RoleKind::Consumer));
                    if serving && seen.insert(e.src) {
                        stack.push(e.src);
                    }
                }
            }
        }
        let set: BTreeSet<usize> = nodes.iter().copied().collect();
        let mut terms: Vec<(f64, String, Span, usize)> = Vec::new();
        for i in &nodes {
            if let Some(ttl) = ctx.quantity(*i, "ttl") {
                terms.push((
                    ttl.hi,
                    format!("`{}` keeps entries for ttl {}", ctx.name(*i), ttl.display()),
                    ctx.prop_span(*i, "ttl"),
                    *i,
                ));
            }
            if let Some(every) = time_in_words(&ctx.words(*i, "refresh")) {
                terms.push((
                    every,
                    format!(
                        "`{}` refreshes every {}",
                        ctx.name(*i),
                        show(every, Dimension::TIME)
                    ),
                    ctx.prop_span(*i, "refresh"),
                    *i,
                ));
            }
            for e in ctx.data_in.get(*i).into_iter().flatten() {
                if let Some(f) = ctx.flow(e.flow)
                    && let FlowMode::Batch { every: Some(every) } = &f.mode
                    && (set.contains(&e.src) || ctx.kind(*i) == Some(RoleKind::Store))
                {
                    terms.push((
                        every.hi,
                        format!("`{}` is loaded every {}", ctx.name(*i), every.display()),
                        f.span,
                        *i,
                    ));
                }
            }
        }
        let Some(worst) = terms.iter().max_by(|a, b| a.0.total_cmp(&b.0)) else {
            continue;
        };
        if worst.0 <= b.value.hi {
            continue;
        }
        out.push(Finding::new(
            ctx.diag(
                "stale-serving",
                worst.2,
                format!(
                    "`{}` may serve data {} old, but `{}` must be fresh within {}",
                    ctx.name(worst.3),
                    show(worst.0, Dimension::TIME),
                    t.name,
                    b.value.display()
                ),
            )
            .label(worst.1.clone())
            .also(ctx.file, b.span, "the freshness requirement")
            .with_help("refresh at least as often as the requirement and set the TTL to it, so stale entries expire into a visible miss (and a staleness warning) instead of being served"),
            vec![worst.3],
        ));
    }
    out
}

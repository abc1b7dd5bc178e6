//! uncovered-failure: step 7 and anti-pattern 7 — "for every major component,
//! proactively state what happens when it fails". Every node that holds or moves
//! data (a broker, a store, a job or connector) and every node on a declared path
//! needs a `failure` block, or a reasoned `allow`. A dead-letter queue is itself
//! the answer to a failure, and nodes that only emit, serve or schedule are judged
//! where a path runs through them.

use super::{Ctx, Finding};
use crate::model::RoleKind;
use std::collections::BTreeSet;

/// Why a node needs a failure mode, if it does: the path it is on, or what it
/// does with data. In node order; each node once.
pub fn needs_failure(ctx: &Ctx<'_>) -> Vec<(usize, Need)> {
    let d = ctx.design;
    let mut on_path: Vec<Option<usize>> = vec![None; d.nodes.len()];
    for (k, p) in d.paths.iter().enumerate() {
        for h in &p.hops {
            if let Some(slot) = on_path.get_mut(*h)
                && slot.is_none()
            {
                *slot = Some(k);
            }
        }
    }
    (0..d.nodes.len())
        .filter_map(|i| {
            if let Some(k) = on_path.get(i).copied().flatten() {
                return Some((i, Need::Path(k)));
            }
            if ctx.is_dead_letter(i) {
                return None;
            }
            match ctx.kind(i) {
                Some(RoleKind::Broker | RoleKind::Store) => Some((i, Need::Holds)),
                Some(RoleKind::Processor) => Some((i, Need::Moves)),
                _ => None,
            }
        })
        .collect()
}

#[derive(Clone, Copy)]
pub enum Need {
    /// On the declared path with this index.
    Path(usize),
    Holds,
    Moves,
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let d = ctx.design;
    let covered: BTreeSet<usize> = d.failures.iter().map(|f| f.node).collect();
    let mut out = Vec::new();
    for (i, need) in needs_failure(ctx) {
        if covered.contains(&i) {
            continue;
        }
        let (message, path) = match need {
            Need::Path(k) => {
                let p = d.paths.get(k);
                (
                    format!(
                        "`{}` is on path `{}` but has no failure mode",
                        ctx.name(i),
                        p.map(|p| p.name.name.as_str()).unwrap_or("")
                    ),
                    p.map(|p| p.name.span),
                )
            }
            Need::Holds => (
                format!("`{}` holds data but has no failure mode", ctx.name(i)),
                None,
            ),
            Need::Moves => (
                format!("`{}` moves data but has no failure mode", ctx.name(i)),
                None,
            ),
        };
        let dlq = if ctx.is_role(i, "stream_processor") {
            format!("  dlq {}_dlq after 3 retries", ctx.name(i))
        } else {
            String::new()
        };
        let mut diag = ctx
            .diag("uncovered-failure", ctx.name_span(i), message)
            .label("what happens when this fails?");
        if let Some(span) = path {
            diag = diag.also(ctx.file, span, "the path");
        }
        out.push(Finding::new(
            diag.with_help(format!(
                "add `failure {} {{ cause \"...\"  effect \"...\"  detect METRIC > THRESHOLD  recover ... within TIME{dlq} }}`, or say why none is needed with `allow uncovered-failure on {} because \"...\"`",
                ctx.name(i),
                ctx.name(i)
            )),
            vec![i],
        ));
    }
    if out.is_empty() && d.failures.is_empty() && !d.nodes.is_empty() {
        out.push(Finding::new(
            ctx.diag(
                "uncovered-failure",
                d.name.span,
                format!("design `{}` discusses no failure modes", d.name.name),
            )
            .label("no `failure` block")
            .with_help("name the critical path with `path NAME = a -> b -> c` and give each node on it a `failure` block"),
            Vec::new(),
        ));
    }
    out
}

//! non-idempotent-write: anti-pattern 5 — "pipelines fail and restart; without
//! idempotency, a restart produces duplicate records". Duplicates flow along edges
//! like an effect: a producer retry, a broker replay, a job restart or a retried
//! call can deliver a record twice, until a write that absorbs duplicates (MERGE on
//! a key, on-conflict-do-nothing, a conditional put, a dedup window, a partition
//! overwrite) stores it once.

use super::{Ctx, Finding, chain};
use crate::model::{Delivery, Flow, RoleKind, Value};
use std::collections::VecDeque;

/// Whether a write into `dst` over `flow` absorbs duplicates.
pub fn absorbs_duplicates(ctx: &Ctx<'_>, flow: &Flow, dst: usize) -> bool {
    // A replica applies its primary's log by position.
    let replica = matches!(ctx.prop(dst, "replica_of").map(|p| &p.value), Some(Value::Name(n)) if ctx.design.node_index(&n.name) == Some(flow.from));
    if replica
        || flow.idempotent.is_some()
        || flow.write.as_ref().is_some_and(|w| w.kind.is_idempotent())
    {
        return true;
    }
    // `dedup Payment.payment_id at decisions via conditional_put`
    ctx.dedup_at.contains(&dst)
}

/// A write into a store: data lands at rest there.
pub fn is_store_write(ctx: &Ctx<'_>, flow: &Flow, dst: usize) -> bool {
    flow.read.is_none() && ctx.kind(dst) == Some(RoleKind::Store)
}

/// Why a node can hand on a record twice, when it can by itself.
fn origin_reason(ctx: &Ctx<'_>, i: usize, delivery: Delivery) -> Option<&'static str> {
    let replayable = ctx.prop(i, "replayable").is_some();
    if delivery == Delivery::AtMostOnce {
        return replayable.then_some("consumers replay it");
    }
    let node = ctx.node(i)?;
    match ctx.kind(i) {
        _ if node.is_source => Some("its producers retry under at-least-once delivery"),
        Some(RoleKind::Origin) => Some("its producers retry under at-least-once delivery"),
        Some(RoleKind::Broker) if replayable => {
            Some("consumers replay it and re-read after a restart")
        }
        Some(RoleKind::Broker) => {
            Some("consumers re-read from the last committed offset after a restart")
        }
        Some(RoleKind::Processor) => {
            Some("a restarted or retried job processes its last batch again")
        }
        _ => None,
    }
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let delivery = ctx.delivery();
    if delivery == Delivery::ExactlyOnce {
        return Vec::new(); // exactly-once-unsupported judges these writes
    }
    let d = ctx.design;
    let n = d.nodes.len();
    // Multi-source BFS: who can deliver twice, the nearest origin, and the way there.
    let mut reason: Vec<Option<&'static str>> = vec![None; n];
    let mut origin: Vec<usize> = (0..n).collect();
    let mut pred: Vec<Option<usize>> = vec![None; n];
    // First from where data enters (sources, replays, retried calls), so a
    // reported path starts where the data does; then from every job or broker
    // that can redeliver on its own and was not reached.
    let mut entry: Vec<(usize, &'static str)> = Vec::new();
    for i in 0..n {
        let starts = d.nodes.get(i).is_some_and(|x| x.is_source)
            || ctx.kind(i) == Some(RoleKind::Origin)
            || ctx.prop(i, "replayable").is_some();
        if starts && let Some(r) = origin_reason(ctx, i, delivery) {
            entry.push((i, r));
        }
    }
    for e in ctx.edge_of.iter().flatten() {
        if ctx.flow(e.flow).is_some_and(|f| f.retries.is_some()) {
            entry.push((e.src, "it retries failed calls"));
        }
    }
    let rest: Vec<(usize, &'static str)> = (0..n)
        .filter_map(|i| origin_reason(ctx, i, delivery).map(|r| (i, r)))
        .collect();
    for seeds in [entry, rest] {
        let mut queue = VecDeque::new();
        for (i, r) in seeds {
            if let Some(slot) = reason.get_mut(i)
                && slot.is_none()
            {
                *slot = Some(r);
                queue.push_back(i);
            }
        }
        while let Some(i) = queue.pop_front() {
            let here = reason.get(i).copied().flatten();
            let from = origin.get(i).copied().unwrap_or(i);
            for e in ctx.data_out.get(i).map(Vec::as_slice).unwrap_or(&[]) {
                let Some(flow) = ctx.flow(e.flow) else {
                    continue;
                };
                if is_store_write(ctx, flow, e.dst) && absorbs_duplicates(ctx, flow, e.dst) {
                    continue; // stored once: readers downstream see no duplicates
                }
                if let Some(slot) = reason.get_mut(e.dst)
                    && slot.is_none()
                {
                    *slot = here;
                    if let Some(s) = origin.get_mut(e.dst) {
                        *s = from;
                    }
                    if let Some(p) = pred.get_mut(e.dst) {
                        *p = Some(i);
                    }
                    queue.push_back(e.dst);
                }
            }
        }
    }
    let mut out = Vec::new();
    let backfills: Vec<usize> = d
        .hard_problems
        .iter()
        .filter(|h| h.kind == crate::ast::HardKind::Backfill)
        .filter_map(|h| match h.props.get("to").map(|p| &p.value) {
            Some(Value::Name(n)) => d.node_index(&n.name),
            _ => None,
        })
        .collect();
    for e in ctx.edge_of.iter().flatten() {
        let Some(flow) = ctx.flow(e.flow) else {
            continue;
        };
        if !is_store_write(ctx, flow, e.dst) || absorbs_duplicates(ctx, flow, e.dst) {
            continue;
        }
        // A backfill reloads history into its target over whatever is there.
        let backfill = backfills.contains(&e.dst);
        let why = match reason.get(e.src).copied().flatten() {
            Some(why) => why,
            None if backfill => "a backfill reloads history over rows already written",
            None => continue,
        };
        let start = origin.get(e.src).copied().unwrap_or(e.src);
        let mut path = vec![e.dst, e.src];
        let mut at = e.src;
        while let Some(Some(p)) = pred.get(at) {
            if path.len() > n {
                break;
            }
            path.push(*p);
            at = *p;
        }
        path.reverse();
        let span = flow.write.as_ref().map(|w| w.span).unwrap_or(flow.span);
        let how = match &flow.write {
            Some(_) => "appends",
            None => "writes with no idempotency mechanism",
        };
        let mut diag = ctx
            .diag(
                "non-idempotent-write",
                span,
                format!(
                    "`{}` {how} into `{}`, but records can arrive twice: {}",
                    ctx.name(e.src),
                    ctx.name(e.dst),
                    chain(ctx, &path)
                ),
            )
            .label("a replay or restart duplicates these rows")
            .also(
                ctx.file,
                ctx.name_span(start),
                format!("can deliver twice: {why}"),
            );
        if start != e.src
            && let Some(own) = origin_reason(ctx, e.src, delivery)
        {
            diag = diag.also(ctx.file, ctx.name_span(e.src), format!("and here: {own}"));
        }
        out.push(Finding::new(
            diag.with_help(format!(
                "name the mechanism on the write: `write merge(key)`, `write on_conflict_do_nothing`, `write conditional_put(key)`, `write dedup(event_id, 1 h)` or `write overwrite partition(day)` into `{}`",
                ctx.name(e.dst)
            )),
            vec![e.src, e.dst],
        ));
    }
    out
}

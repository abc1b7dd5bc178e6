//! non-idempotent-write: anti-pattern 5 — "pipelines fail and restart; without
//! idempotency, a restart produces duplicate records". Duplicates flow along edges
//! like an effect: a producer retry, a broker replay, a job restart or a retried
//! call can deliver a record twice, until a write that absorbs duplicates (MERGE on
//! a key, on-conflict-do-nothing, a conditional put, a dedup window, a partition
//! overwrite) stores it once.

use super::{Ctx, Edge, Finding, chain};
pub use crate::flow::writes::{absorbs_duplicates, mechanisms, unsupported_write};
use crate::model::{Delivery, Flow, RoleKind, WriteKind};
use std::collections::VecDeque;

/// Whether the flows a backfill owns include this one into its target:
/// `unsafe-backfill` judges those writes.
pub fn backfill_write(ctx: &Ctx<'_>, flow: usize, dst: usize) -> bool {
    ctx.backfills
        .iter()
        .any(|b| b.to == Some(dst) && b.flows.contains(&flow))
}

/// A write into a store: data lands at rest there.
pub fn is_store_write(ctx: &Ctx<'_>, flow: &Flow, dst: usize) -> bool {
    flow.read.is_none() && ctx.kind(dst) == Some(RoleKind::Store)
}

/// Why a node can hand on a record twice, when it can by itself. A store does
/// not: a database that is only read hands on nothing twice, its readers do.
fn origin_reason(ctx: &Ctx<'_>, i: usize, delivery: Delivery) -> Option<&'static str> {
    let replayable = ctx.prop(i, "replayable").is_some();
    if delivery == Delivery::AtMostOnce {
        return replayable.then_some("consumers replay it");
    }
    let node = ctx.node(i)?;
    match ctx.kind(i) {
        Some(RoleKind::Store) => replayable.then_some("consumers replay it"),
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
        _ if node.is_source => Some("its producers retry under at-least-once delivery"),
        _ => None,
    }
}

/// A flow whose sender retries a call that may have landed: its receiver can get
/// a record twice. Retries into a dead-letter queue count attempts before a
/// record is parked there, not calls downstream.
fn retried(ctx: &Ctx<'_>, e: &Edge) -> bool {
    ctx.flow(e.flow).is_some_and(|f| f.retries.is_some()) && !ctx.is_dead_letter(e.dst)
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let delivery = ctx.delivery();
    if delivery == Delivery::ExactlyOnce {
        return Vec::new(); // exactly-once-unsupported judges these writes
    }
    let d = ctx.design;
    let n = d.nodes.len();
    // Multi-source BFS: who can deliver twice, the nearest origin, and the way there.
    let mut reason: Vec<Option<String>> = vec![None; n];
    let mut origin: Vec<usize> = (0..n).collect();
    let mut pred: Vec<Option<usize>> = vec![None; n];
    // First from where data enters (sources, replays, retried calls), so a
    // reported path starts where the data does; then from every job or broker
    // that can redeliver on its own and was not reached.
    let mut entry: Vec<(usize, String)> = Vec::new();
    for i in 0..n {
        let starts = d.nodes.get(i).is_some_and(|x| x.is_source)
            || ctx.kind(i) == Some(RoleKind::Origin)
            || ctx.prop(i, "replayable").is_some();
        if starts && let Some(r) = origin_reason(ctx, i, delivery) {
            entry.push((i, r.to_string()));
        }
    }
    for e in ctx.edge_of.iter().flatten() {
        if retried(ctx, e) && ctx.kind(e.dst) != Some(RoleKind::Store) {
            entry.push((
                e.dst,
                format!(
                    "`{}` retries calls to it that may have landed",
                    ctx.name(e.src)
                ),
            ));
        }
    }
    let rest: Vec<(usize, String)> = (0..n)
        .filter_map(|i| origin_reason(ctx, i, delivery).map(|r| (i, r.to_string())))
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
            let here = reason.get(i).cloned().flatten();
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
                    *slot = here.clone();
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
    for e in ctx.edge_of.iter().flatten() {
        let Some(flow) = ctx.flow(e.flow) else {
            continue;
        };
        // A backfill's own write into its target is judged by unsafe-backfill.
        if !is_store_write(ctx, flow, e.dst)
            || absorbs_duplicates(ctx, flow, e.dst)
            || backfill_write(ctx, e.flow, e.dst)
        {
            continue;
        }
        let (why, start) = match reason.get(e.src).cloned().flatten() {
            Some(why) => (why, origin.get(e.src).copied().unwrap_or(e.src)),
            None if retried(ctx, e) => (
                "it retries this write, which may have landed".to_string(),
                e.src,
            ),
            None => continue,
        };
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
        let unsupported =
            mechanisms(flow).find_map(|k| unsupported_write(ctx, k, e.dst).map(|why| (k, why)));
        let how = match (&flow.write, &unsupported) {
            (_, Some((k, _))) => format!("writes `{}`", k.word()),
            (Some(_), None) => "appends".to_string(),
            (None, None) => "writes with no idempotency mechanism".to_string(),
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
            .label(match &unsupported {
                Some((_, why)) => why.clone(),
                None => "a replay or restart duplicates these rows".to_string(),
            })
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
        if flow.write.is_some()
            && let Some((_, dedup)) = ctx.dedup_at.get(&e.dst)
        {
            diag = diag.also(
                ctx.file,
                *dedup,
                "step 6 says duplicates are removed here, but the write above does not do it",
            );
        }
        let help = match &unsupported {
            Some((WriteKind::Transactional, _)) => format!(
                "write with a key into `{}` (`write merge(key)`, `write on_conflict_do_nothing`, `write dedup(event_id, 1 h)`), or choose a sink that commits in the reader's transaction",
                ctx.name(e.dst)
            ),
            Some(_) => format!(
                "make `{}` a table format (`: table_format`, with `use delta_lake`, `iceberg` or `hudi`) so it can MERGE, or write `overwrite partition(day)` or `dedup(event_id, 1 h)`, which object storage can do",
                ctx.name(e.dst)
            ),
            None => format!(
                "name the mechanism on the write: `write merge(key)`, `write on_conflict_do_nothing`, `write conditional_put(key)`, `write dedup(event_id, 1 h)` or `write overwrite partition(day)` into `{}`",
                ctx.name(e.dst)
            ),
        };
        out.push(Finding::new(diag.with_help(help), vec![e.src, e.dst]));
    }
    out
}

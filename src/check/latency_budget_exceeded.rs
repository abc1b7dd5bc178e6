//! latency-budget-exceeded: latency adds up along a path — processing per event,
//! lookups, batch intervals, the latency floors of the tools — and the sum, at the
//! pessimistic end, must fit the path's SLA. A batch job waits for its schedule
//! once, however many of its flows are on the path; every read and write latency
//! declared on a path's flows, or on a lookup a node of the path makes, counts.

use super::{Ctx, Finding};
use crate::model::{FlowMode, ReadKind, RoleKind};
use crate::source::Span;
use crate::units::{Dimension, exact_time};
use std::collections::BTreeMap;

/// What one node adds to a path, and where it is written.
fn hop_latency(ctx: &Ctx<'_>, i: usize) -> Option<(f64, String, Span)> {
    let name = ctx.name(i);
    for key in ["per_event", "latency", "lookup"] {
        if let Some(q) = ctx.quantity(i, key) {
            return Some((
                q.hi,
                format!("{name} {key} {}", q.display()),
                ctx.prop_span(i, key),
            ));
        }
    }
    if ctx.kind(i) == Some(RoleKind::Store) {
        for figure in ["lookup", "cold_query", "latency_floor"] {
            if let Some(q) = ctx.tool_figure(i, figure) {
                return Some((
                    q.hi,
                    format!(
                        "{name} ({} {figure} {})",
                        ctx.tool(i).map(|t| t.name.as_str()).unwrap_or(""),
                        q.display()
                    ),
                    ctx.name_span(i),
                ));
            }
        }
        if let Some(q) = ctx.role(i).and_then(|r| r.latency_floor.as_ref()) {
            return Some((
                q.hi,
                format!(
                    "{name} (a {} answers in {} at best)",
                    ctx.node(i).map(|n| n.role.as_str()).unwrap_or(""),
                    q.display()
                ),
                ctx.name_span(i),
            ));
        }
    }
    None
}

/// A read that waits for an answer per record: a lookup, search or traversal.
fn is_lookup(f: &crate::model::Flow) -> bool {
    f.read.as_ref().is_some_and(|r| {
        matches!(
            r.kind,
            ReadKind::Lookup | ReadKind::Search | ReadKind::Traverse
        )
    })
}

/// What one lookup into a store takes when its flow declares no latency: the
/// store's own `lookup`, else its tool's.
fn store_lookup<'a>(ctx: &Ctx<'a>, store: usize) -> Option<&'a crate::units::Quantity> {
    ctx.quantity(store, "lookup")
        .or_else(|| ctx.tool_figure(store, "lookup"))
}

/// The lookups a node makes (`read lookup`, `search`, `traverse` into it). A node
/// with a time of its own (`per_event`) counts only those whose flow declares a
/// latency (`read lookup by id latency 300 ms`): a wait beyond its own work. A
/// node with none counts every lookup, at the store's figure where the flow gives
/// none.
fn lookups(ctx: &Ctx<'_>, i: usize, declared_only: bool) -> Vec<(f64, String, Span)> {
    let mut out = Vec::new();
    for e in ctx.data_in.get(i).into_iter().flatten() {
        let Some(f) = ctx.flow(e.flow) else { continue };
        if !is_lookup(f) {
            continue;
        }
        let t = match f.latency.as_deref() {
            Some(l) => l,
            None if declared_only => continue,
            None => match store_lookup(ctx, e.src) {
                Some(q) => q,
                None => continue,
            },
        };
        out.push((
            t.hi,
            format!(
                "{} looks up {} in {}",
                ctx.name(i),
                ctx.name(e.src),
                t.display()
            ),
            f.span,
        ));
    }
    out
}

/// What a path's hops add up to: each part (seconds at the pessimistic end,
/// what it is, where it is written), in path order. `latency-budget-exceeded`
/// and `dsd compare` read the same sum.
pub fn path_parts(ctx: &Ctx<'_>, path: &crate::model::Path) -> Vec<(f64, String, Span)> {
    let d = ctx.design;
    let mut between: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (k, f) in d.flows.iter().enumerate() {
        between.entry((f.from, f.to)).or_insert(k);
        between.entry((f.to, f.from)).or_insert(k);
    }
    let mut parts: Vec<(f64, String, Span)> = Vec::new();
    // The schedule each job on the path waits for, once: job node → its part.
    let mut waits: BTreeMap<usize, usize> = BTreeMap::new();
    // A read of a store is one lookup, counted once, at the reader (its
    // flow's declared latency, else the store's figure): not again as the
    // store's own time on the path, nor as the flow's latency.
    for (k, h) in path.hops.iter().enumerate() {
        // The store here is read by the next hop: data moves from it.
        let read_by_next = path
            .hops
            .get(k + 1)
            .and_then(|next| between.get(&(*h, *next)))
            .is_some_and(|f| {
                d.flows.get(*f).is_some_and(is_lookup)
                    && ctx
                        .edge_of
                        .get(*f)
                        .copied()
                        .flatten()
                        .is_some_and(|e| e.src == *h)
            });
        let own = if read_by_next {
            None
        } else {
            hop_latency(ctx, *h)
        };
        parts.extend(lookups(ctx, *h, own.is_some()));
        parts.extend(own);
        let Some(next) = path.hops.get(k + 1) else {
            continue;
        };
        let flow = between.get(&(*h, *next)).and_then(|k| d.flows.get(*k));
        if let Some(f) = flow {
            if let FlowMode::Batch { every: Some(e) } = &f.mode {
                // The job is the processor end: it reads, or writes, on its schedule.
                let job = if ctx.kind(*next) == Some(RoleKind::Processor)
                    || ctx.kind(*h) != Some(RoleKind::Processor)
                {
                    *next
                } else {
                    *h
                };
                let text = if ctx.kind(job) == Some(RoleKind::Processor) {
                    format!(
                        "`{}` runs every {} ({} -> {})",
                        ctx.name(job),
                        e.display(),
                        ctx.name(*h),
                        ctx.name(*next)
                    )
                } else {
                    format!(
                        "batch every {} ({} -> {})",
                        e.display(),
                        ctx.name(*h),
                        ctx.name(*next)
                    )
                };
                let part = (e.hi, text, f.span);
                match waits.get(&job).and_then(|w| parts.get_mut(*w)) {
                    Some(slot) if part.0 > slot.0 => *slot = part,
                    Some(_) => {}
                    None => {
                        waits.insert(job, parts.len());
                        parts.push(part);
                    }
                }
            }
            if let Some(l) = &f.latency
                && !is_lookup(f)
            {
                parts.push((
                    l.hi,
                    format!("{} -> {} {}", ctx.name(*h), ctx.name(*next), l.display()),
                    f.span,
                ));
            }
        }
    }
    parts
}

/// A path's sum while `reader` reads `to` instead of `from` (its fallback while
/// `from` is down): the sum from [`path_parts`], less what reading `from` added
/// to it, plus the read of `to` at its flow's declared latency, else the node's
/// own figure. A fallback read always waits, so it counts even where the
/// reader's own time hides an undeclared lookup. `None` when `to` states no time.
/// Returns the new sum and its arithmetic.
pub fn with_fallback(
    ctx: &Ctx<'_>,
    path: &crate::model::Path,
    reader: usize,
    from: usize,
    to: usize,
) -> Option<(f64, String)> {
    let d = ctx.design;
    let flow_between = |a: usize| d.flows.iter().find(|f| f.from == a && f.to == reader);
    let total: f64 = path_parts(ctx, path).iter().map(|p| p.0).sum();
    let old = match flow_between(from) {
        Some(f) if is_lookup(f) => match f.latency.as_deref() {
            Some(l) => l.hi,
            None if hop_latency(ctx, reader).is_some() => 0.0,
            None => store_lookup(ctx, from).map_or(0.0, |q| q.hi),
        },
        _ => hop_latency(ctx, from).map_or(0.0, |h| h.0),
    };
    let (new, what) = match flow_between(to).and_then(|f| f.latency.as_deref()) {
        Some(l) => (
            l.hi,
            format!("{} -> {} {}", ctx.name(to), ctx.name(reader), l.display()),
        ),
        None => {
            let h = hop_latency(ctx, to)?;
            (h.0, h.1)
        }
    };
    let sum = total - old + new;
    Some((
        sum,
        format!(
            "path {} − reading `{}` {} + reading `{}` ({what}) = {}",
            exact_time(total),
            ctx.name(from),
            exact_time(old),
            ctx.name(to),
            exact_time(sum)
        ),
    ))
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let d = ctx.design;
    let mut out = Vec::new();
    for b in &d.requirements.latency {
        let Some(t) = &b.target else { continue };
        let Some(path) = d.paths.iter().find(|p| p.name.name == t.name) else {
            continue;
        };
        if !b.value.dim.same_as(Dimension::TIME) {
            continue;
        }
        if super::warehouse_realtime_serving::too_slow(ctx, &path.hops, b.value.lo).is_some() {
            continue; // warehouse-realtime-serving says why, more precisely
        }
        let parts = path_parts(ctx, path);
        let total: f64 = parts.iter().map(|p| p.0).sum();
        if total <= b.value.hi {
            continue;
        }
        let Some(worst) = parts.iter().max_by(|a, b| a.0.total_cmp(&b.0)) else {
            continue;
        };
        let sum: Vec<&str> = parts.iter().map(|p| p.1.as_str()).collect();
        out.push(Finding::new(
            ctx.diag(
                "latency-budget-exceeded",
                b.span,
                format!(
                    "path `{}` takes up to {}, {} over its SLA of {}",
                    t.name,
                    exact_time(total),
                    exact_time(total - b.value.hi),
                    b.value.display()
                ),
            )
            .label(format!("SLA {}", b.value.display()))
            .also(ctx.file, worst.2, format!("the largest part: {}", worst.1))
            .also(ctx.file, path.name.span, "the path")
            .with_help(format!(
                "{} = {}; shorten the largest part (stream instead of batch, a faster store, less work per event) or renegotiate the SLA",
                sum.join(" + "),
                exact_time(total)
            )),
            path.hops.clone(),
        ));
    }
    out
}

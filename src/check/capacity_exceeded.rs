//! capacity-exceeded: step 2 — design for peak, not average. Peak throughput must
//! fit what each component provides: partitions × per-partition rate, brokers ×
//! per-broker rate, threads ÷ time per event, serving QPS, bandwidth. Checked at
//! the pessimistic end of every range.

use super::{Ctx, Finding, show, time_in_words};
use crate::model::RoleKind;
use crate::source::Span;
use crate::units::{Dimension, format_number};

fn finding(
    ctx: &Ctx<'_>,
    i: usize,
    span: Span,
    message: String,
    label: String,
    help: &str,
) -> Finding {
    let mut diag = ctx.diag("capacity-exceeded", span, message).label(label);
    if let Some(p) = &ctx.design.requirements.peak {
        diag = diag.also(ctx.file, p.span, "the peak");
    }
    Finding::new(diag.with_help(help.to_string()), vec![i])
}

/// Queries per second a consumer node asks for: `qps`, or `readers N every T`.
fn demand(ctx: &Ctx<'_>, i: usize) -> Option<f64> {
    if let Some(q) = ctx.quantity(i, "qps") {
        return Some(q.hi);
    }
    let words = ctx.words(i, "readers");
    let n = words.first().and_then(|w| crate::units::parse_number(w))?;
    let every = time_in_words(words.get(1..).unwrap_or(&[]))?;
    (every > 0.0).then(|| n / every)
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let d = ctx.design;
    let mut out = Vec::new();
    for i in 0..d.nodes.len() {
        let name = ctx.name(i);
        // The peak reaching this node, shown as written at its high end: `579 orders/s`.
        let peak_q = ctx.peak_at.get(i).cloned().flatten();
        let peak_rate = peak_q.as_ref().map(|q| q.hi);
        let peak_shown = peak_q
            .map(|mut q| {
                q.lo = q.hi;
                q.per = None;
                q.display()
            })
            .unwrap_or_default();
        if ctx.kind(i) == Some(RoleKind::Broker)
            && let Some(peak) = ctx.peak_bytes(i)
        {
            // Under global ordering one partition is the design; ordering-throughput-conflict
            // says why it cannot carry the peak.
            let global = ctx.words(i, "ordering").first().map(String::as_str) == Some("global")
                || d.requirements
                    .other
                    .get("ordering")
                    .is_some_and(|o| o.value.starts_with("global"));
            if let Some(p) = ctx.quantity(i, "partitions")
                && !global
            {
                let per = ctx.broker_limit(i, "per_partition");
                let needed = (peak / per).ceil();
                if p.lo < needed {
                    out.push(finding(ctx, i, ctx.prop_span(i, "partitions"),
                        format!("`{name}` needs {} partitions at peak, has {}", format_number(needed), p.display()),
                        format!("{} ÷ {} per partition = {}", show(peak, Dimension::BYTE_RATE), show(per, Dimension::BYTE_RATE), format_number(peak / per)),
                        "add partitions (they cannot be merged later, so size for growth), or reduce the record size"));
                }
            }
            if let Some(b) = ctx.quantity(i, "brokers") {
                let per = ctx.broker_limit(i, "per_broker");
                let rf = ctx.quantity(i, "replication").map(|q| q.hi).unwrap_or(1.0);
                let io = peak * rf;
                if io > b.lo * per {
                    out.push(finding(
                        ctx,
                        i,
                        ctx.prop_span(i, "brokers"),
                        format!(
                            "`{name}` writes {} across brokers at peak, but {} brokers take {}",
                            show(io, Dimension::BYTE_RATE),
                            b.display(),
                            show(b.lo * per, Dimension::BYTE_RATE)
                        ),
                        format!(
                            "{} × replication {} = {}",
                            show(peak, Dimension::BYTE_RATE),
                            format_number(rf),
                            show(io, Dimension::BYTE_RATE)
                        ),
                        "add brokers or reduce replication traffic (compression, smaller records)",
                    ));
                }
            }
        }
        if let (Some(per_event), Some(threads), Some(peak)) = (
            ctx.quantity(i, "per_event"),
            ctx.quantity(i, "threads"),
            peak_rate,
        ) && per_event.hi > 0.0
        {
            let capacity = threads.lo / per_event.hi;
            if peak > capacity {
                let needed = (peak * per_event.hi).ceil();
                out.push(finding(
                    ctx,
                    i,
                    ctx.prop_span(i, "threads"),
                    format!(
                        "`{name}` needs {} threads at peak, has {}",
                        format_number(needed),
                        threads.display()
                    ),
                    format!(
                        "{} × {} per event = {} threads",
                        peak_shown,
                        show(per_event.hi, Dimension::TIME),
                        format_number(peak * per_event.hi)
                    ),
                    "add threads or instances (and partitions to match), or cut the time per event",
                ));
            }
        }
        if let Some(max) = ctx.quantity(i, "max_qps") {
            let asked: f64 = demand(ctx, i).unwrap_or_else(|| {
                ctx.data_out
                    .get(i)
                    .into_iter()
                    .flatten()
                    .filter_map(|e| demand(ctx, e.dst))
                    .sum()
            });
            if asked > max.lo {
                out.push(finding(ctx, i, ctx.prop_span(i, "max_qps"),
                    format!("`{name}` is asked for {} queries/s, serves {}", format_number(asked), max.display()),
                    "the serving limit".to_string(),
                    "add replicas or cache the answer (pre-compute a snapshot and serve it from a key-value store)"));
            }
        }
        if let Some(t) = ctx.quantity(i, "throughput") {
            let load = if t.dim.same_as(Dimension::BYTE_RATE) {
                ctx.peak_bytes(i)
            } else if t.dim.same_as(Dimension::RATE) {
                peak_rate
            } else {
                None
            };
            if let Some(load) = load
                && load > t.lo
            {
                out.push(finding(
                    ctx,
                    i,
                    ctx.prop_span(i, "throughput"),
                    format!(
                        "`{name}` receives {} at peak, but handles {}",
                        show(load, t.dim),
                        t.display()
                    ),
                    "its throughput".to_string(),
                    "scale this component out, or reduce the load reaching it",
                ));
            }
        }
    }
    out
}

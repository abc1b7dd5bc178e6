//! capacity-exceeded: step 2 — design for peak, not average. Peak throughput must
//! fit what each component provides: partitions × per-partition rate, brokers ×
//! per-broker rate, threads ÷ time per event, serving QPS, bandwidth. Checked at
//! the pessimistic end of every range.

use super::{Ctx, Finding, show};
use crate::model::RoleKind;
use crate::sizing::Report;
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
    ctx.reader_qps(i).map(|(q, _)| q.hi)
}

/// Whether global ordering applies to a broker: its own `ordering global`, or the
/// requirement's, which does not reach a dead-letter queue.
pub fn globally_ordered(ctx: &Ctx<'_>, i: usize) -> bool {
    ctx.words(i, "ordering").first().map(String::as_str) == Some("global")
        || ctx
            .design
            .requirements
            .other
            .get("ordering")
            .is_some_and(|o| o.value.split_whitespace().next() == Some("global"))
            && !ctx.is_dead_letter(i)
}

/// The sizing report's needed-against-provided checks that fail, as findings: the
/// same arithmetic and rounding as `dsd report` (see `sizing::units_needed`).
fn from_report(ctx: &Ctx<'_>, report: &Report, out: &mut Vec<Finding>) {
    for c in &report.checks {
        let Some(i) = c.node else { continue };
        if c.ok {
            continue;
        }
        let name = ctx.name(i);
        if !(c.needed.is_finite() && c.provided.is_finite()) {
            // An input far out of range: say so, not "needs inf threads".
            let span = ctx.name_span(i);
            let diag = ctx
                .diag(
                    "capacity-exceeded",
                    span,
                    format!("`{name}`'s {} cannot be sized", c.label.replace(&format!("`{name}` "), "")),
                )
                .label(crate::sizing::TOO_LARGE.to_string())
                .with_help(
                    "an input of this figure is far out of range (a `per_event`, record size or rate): correct it".to_string(),
                );
            out.push(Finding::new(diag, vec![i]));
            continue;
        }
        let kind = c.id.rsplit('.').next().unwrap_or("");
        let binding = if c.binding.is_empty() {
            String::new()
        } else {
            format!(" ({} bind)", c.binding)
        };
        let (message, help) = match kind {
            // Under global ordering one partition is the design;
            // ordering-throughput-conflict says why it cannot carry the peak.
            "partitions" if globally_ordered(ctx, i) => continue,
            "partitions" => (
                format!(
                    "`{name}` needs {} partitions at peak, has {}{binding}",
                    format_number(c.needed),
                    format_number(c.provided)
                ),
                "add partitions (they cannot be merged later, so size for growth), or reduce the record size",
            ),
            "brokers" => (
                format!(
                    "`{name}` needs {} brokers for its write I/O at peak, has {}",
                    format_number(c.needed),
                    format_number(c.provided)
                ),
                "add brokers or reduce replication traffic (compression, smaller records)",
            ),
            "memory" => (
                format!(
                    "`{name}` must hold at least {} in memory, has {}",
                    show(c.needed, Dimension::BYTES),
                    show(c.provided, Dimension::BYTES)
                ),
                "add memory or shards, keep fewer keys (a `ttl`, a narrower key), or move the data to a disk-backed store",
            ),
            "cluster" => (
                format!("`{name}` needs more than one cluster's throughput at peak{binding}"),
                "split the topics across clusters, or move to provisioned capacity",
            ),
            "threads" => {
                let declared = ctx.quantity(i, c.at).map(|q| q.lo).unwrap_or(c.provided);
                // Threads idle for want of partitions under global ordering: one
                // hazard, which ordering-throughput-conflict owns.
                let ordered_upstream = ctx.data_in.get(i).into_iter().flatten().any(|e| {
                    ctx.kind(e.src) == Some(RoleKind::Broker) && globally_ordered(ctx, e.src)
                });
                if declared >= c.needed && ordered_upstream {
                    continue;
                }
                let has = if declared > c.provided {
                    format!(
                        "has {} of which {} can work",
                        format_number(declared),
                        format_number(c.provided)
                    )
                } else {
                    format!("has {}", format_number(c.provided))
                };
                (
                    format!(
                        "`{name}` needs {} threads at peak, {has}",
                        format_number(c.needed)
                    ),
                    "add threads or instances (and partitions to match), or cut the time per event",
                )
            }
            _ => continue,
        };
        let span = if c.at.is_empty() {
            ctx.name_span(i)
        } else {
            ctx.prop_span(i, c.at)
        };
        if !c.scales {
            // Not a load at peak (keys a store holds): no peak to point at.
            let diag = ctx
                .diag("capacity-exceeded", span, message)
                .label(c.derivation.clone())
                .with_help(help.to_string());
            out.push(Finding::new(diag, vec![i]));
            continue;
        }
        out.push(finding(ctx, i, span, message, c.derivation.clone(), help));
    }
}

pub fn check(ctx: &Ctx<'_>, report: &Report) -> Vec<Finding> {
    let d = ctx.design;
    let mut out = Vec::new();
    from_report(ctx, report, &mut out);
    for i in 0..d.nodes.len() {
        let name = ctx.name(i);
        let peak_rate = ctx.peak_at.get(i).cloned().flatten().map(|q| q.hi);
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

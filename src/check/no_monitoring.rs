//! no-monitoring: step 7 — "what metrics would you monitor, and what alerts would
//! you set?" A failure mode needs a detection metric with a threshold and a
//! recovery time, or nobody knows it happened or when it ends.

use super::{Ctx, Finding};

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for f in &ctx.design.failures {
        let mut gaps = Vec::new();
        if f.detect.is_empty() {
            gaps.push(
                "no detection metric with a threshold (`detect consumer_lag > 10000 events`)",
            );
        }
        if f.recover_within.is_none() {
            gaps.push("no recovery time (`recover replay from committed_offset within 30 min`)");
        }
        if gaps.is_empty() {
            continue;
        }
        let span = f
            .recover
            .as_ref()
            .map(|r| r.span)
            .filter(|_| !f.detect.is_empty())
            .unwrap_or(f.span);
        out.push(Finding::new(
            ctx.diag(
                "no-monitoring",
                span,
                format!(
                    "the failure mode of `{}` has {}",
                    ctx.name(f.node),
                    gaps.iter()
                        .map(|g| g.split(" (").next().unwrap_or(""))
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
            )
            .label("not monitored")
            .with_help(format!("add {}", gaps.join(" and "))),
            vec![f.node],
        ));
    }
    out
}

//! no-monitoring: step 7 — "what metrics would you monitor, and what alerts would
//! you set?" A failure mode needs a detection metric with a threshold and a
//! recovery time, or nobody knows it happened or when it ends.

use super::{Ctx, Finding};

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for f in &ctx.design.failures {
        // (what is missing, what to add)
        let mut gaps: Vec<(&str, &str)> = Vec::new();
        if f.detect.is_empty() {
            gaps.push((
                "no detection metric with a threshold",
                "a detection metric with a threshold (`detect consumer_lag > 10000 events`)",
            ));
        }
        if f.recover_within.is_none() {
            gaps.push((
                "no recovery time",
                "a recovery time (`recover replay from committed_offset within 30 min`)",
            ));
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
                    gaps.iter().map(|g| g.0).collect::<Vec<_>>().join(" and ")
                ),
            )
            .label(if f.detect.is_empty() {
                "nothing says when this has happened"
            } else {
                "nothing says how soon it is over"
            })
            .with_help(format!(
                "add {}",
                gaps.iter().map(|g| g.1).collect::<Vec<_>>().join(" and ")
            )),
            vec![f.node],
        ));
    }
    out
}

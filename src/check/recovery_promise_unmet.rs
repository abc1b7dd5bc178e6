//! recovery-promise-unmet: step 7 asks "how long until recovery" for every
//! component. A `failure` block's `recover … within W` is a promise; this rule
//! computes what the design can do in the most favourable case, so that what it
//! reports cannot be met at all: the node is down for the block's `outage` (else
//! for W) while records arrive at the average rate; they wait in the nearest
//! broker or store upstream; when it returns it drains them at its capacity
//! minus the average. The promise is broken when detection plus that drain
//! exceeds W, or when the outage outlives the retention of the broker the
//! backlog waits in (the oldest records expire unread). The arithmetic is
//! `dsd what-if`'s; `dsd what-if FILE "down NODE for D at peak"` shows the peak.

use super::{Ctx, Finding};
use crate::whatif::{At, numbers, outage};

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for f in &ctx.design.failures {
        let (Some(within), Some(recover)) = (&f.recover_within, &f.recover) else {
            continue;
        };
        let name = ctx.name(f.node);
        let secs = f.outage.as_ref().map(|o| o.hi).unwrap_or(within.hi);
        // The numbers first, the words only for what is reported: the rule
        // runs at every failure block.
        let Some(n) = numbers(ctx, f.node, secs) else {
            continue;
        };
        let drains_late = n.keeps_up_at_peak && n.drain_at_average.is_some_and(|t| t > within.hi);
        if !n.loses && !drains_late {
            continue;
        }
        let Ok(o) = outage(ctx, f.node, secs, At::Average) else {
            continue;
        };
        let shown = crate::units::Quantity::at(secs, crate::units::Dimension::TIME).display();
        let why_outage = if f.outage.is_some() {
            format!("its `outage {shown}`")
        } else {
            format!("an outage as long as the promise ({shown})")
        };
        // Data loss first: records gone is worse than records late.
        if let Some(v) = o
            .verdicts
            .iter()
            .find(|v| !v.ok && v.id.starts_with(&format!("down.{name}.kept_in.")))
        {
            let broker = v.node.map(|b| ctx.name(b)).unwrap_or("");
            out.push(Finding::new(
                ctx.diag(
                    "recovery-promise-unmet",
                    f.outage.as_ref().map(|_| f.span).unwrap_or(recover.span),
                    format!(
                        "`{name}` down for {why_outage} loses records: `{broker}` does not keep them that long"
                    ),
                )
                .label("records expire before they are read")
                .with_help(format!(
                    "{}; keep them longer (`replayable` on `{broker}`) or recover sooner",
                    v.derivation
                )),
                vec![f.node],
            ));
            continue;
        }
        // Only where the node keeps up with the peak: a capacity below the
        // rate that reaches it is capacity-exceeded's finding.
        if !drains_late {
            continue;
        }
        // The drain alone, counted from the moment the node is back: a
        // promise measured from the alarm is broken too.
        let Some(drain) = o
            .figures
            .iter()
            .find(|x| x.id == format!("down.{name}.drain_at_average"))
        else {
            continue;
        };
        let Ok(t) = &drain.value else { continue };
        if t.hi > within.hi {
            out.push(Finding::new(
                ctx.diag(
                    "recovery-promise-unmet",
                    recover.span,
                    format!(
                        "`{name}` cannot recover within {}: after {why_outage}, draining its backlog alone takes {} even at the average rate",
                        within.display(),
                        t.display()
                    ),
                )
                .label("promised here")
                .with_help(format!(
                    "{}; add capacity where the drain is bound (`threads`, `instances`) or promise what the design can do",
                    drain.derivation
                )),
                vec![f.node],
            ));
        }
    }
    out
}

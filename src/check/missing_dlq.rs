//! missing-dlq: a stream processor meets malformed or unprocessable events one at a
//! time. Without a dead-letter queue or a retry policy, one bad event either stops
//! the partition or is silently dropped. Design 1: "DLQ topic catches events that
//! fail after 3 retries".

use super::{Ctx, Finding};
use crate::model::{FlowMode, RoleKind};

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let d = ctx.design;
    let mut out = Vec::new();
    // Failure blocks that name a DLQ or a retry.
    let handled: std::collections::BTreeSet<usize> = d
        .failures
        .iter()
        .filter(|f| {
            f.dlq.is_some()
                || f.recover
                    .as_ref()
                    .is_some_and(|r| r.value.iter().any(|w| w == "retry"))
        })
        .map(|f| f.node)
        .collect();
    for i in 0..d.nodes.len() {
        if !ctx.is_role(i, "stream_processor") {
            continue;
        }
        let consumes = ctx.data_in.get(i).into_iter().flatten().any(|e| {
            ctx.kind(e.src) == Some(RoleKind::Broker)
                || ctx.flow(e.flow).is_some_and(|f| f.mode == FlowMode::Stream)
        });
        if !consumes {
            continue;
        }
        let retried = |e: &super::Edge| ctx.flow(e.flow).is_some_and(|f| f.retries.is_some());
        let has_dlq = ctx.prop(i, "dlq").is_some()
            || ctx.prop(i, "retries").is_some()
            || handled.contains(&i)
            || ctx.data_out.get(i).into_iter().flatten().any(retried)
            || ctx.data_in.get(i).into_iter().flatten().any(retried);
        if has_dlq {
            continue;
        }
        out.push(Finding::new(
            ctx.diag(
                "missing-dlq",
                ctx.name_span(i),
                format!("stream processor `{}` has no dead-letter queue or retry policy", ctx.name(i)),
            )
            .label("what happens to an event it cannot process?")
            .with_help(format!(
                "add `dlq {0}_dlq after 3 retries` to its failure block (and a `{0}_dlq` topic), or `retries 3` on the node",
                ctx.name(i)
            )),
            vec![i],
        ));
    }
    out
}

//! missing-dlq: a stream processor meets malformed or unprocessable events one at a
//! time. Without a dead-letter queue or a retry policy, one bad event either stops
//! the partition or is silently dropped. Design 1: "DLQ topic catches events that
//! fail after 3 retries".

use super::{Ctx, Finding};
use crate::model::{FlowMode, RoleKind};

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let d = ctx.design;
    let mut out = Vec::new();
    // Failure blocks that name a DLQ. A retry is not one: a poison record fails
    // every retry, and then either stops the partition or is dropped.
    let handled: std::collections::BTreeSet<usize> = d
        .failures
        .iter()
        .filter(|f| f.dlq.is_some())
        .map(|f| f.node)
        .collect();
    // Nodes with any failure block, once: a scan per node was quadratic (80M
    // comparisons at 10,000 nodes).
    let covered: std::collections::BTreeSet<usize> = d.failures.iter().map(|f| f.node).collect();
    for i in 0..d.nodes.len() {
        if !ctx.is_role(i, "stream_processor") {
            continue;
        }
        let consumes = ctx.data_in.get(i).into_iter().flatten().any(|e| {
            ctx.kind(e.src) == Some(RoleKind::Broker)
                || ctx.flow(e.flow).is_some_and(|f| f.mode == FlowMode::Stream)
        });
        // A processor with no failure block at all is uncovered-failure's
        // finding, whose help asks for the failure block with its `dlq`.
        if !consumes || !covered.contains(&i) {
            continue;
        }
        // A flow of failed records out of it (`errors 1%` into a parking topic).
        let parks = ctx
            .data_out
            .get(i)
            .into_iter()
            .flatten()
            .any(|e| ctx.is_dead_letter(e.dst));
        let has_dlq = ctx.prop(i, "dlq").is_some() || handled.contains(&i) || parks;
        if has_dlq {
            continue;
        }
        let retries = ctx.prop(i, "retries").is_some()
            || d.failures.iter().any(|f| {
                f.node == i
                    && f.recover
                        .as_ref()
                        .is_some_and(|r| r.value.iter().any(|w| w == "retry"))
            });
        out.push(Finding::new(
            ctx.diag(
                "missing-dlq",
                ctx.name_span(i),
                format!("stream processor `{}` has no dead-letter queue", ctx.name(i)),
            )
            .label(if retries {
                "it retries, but a poison record fails every retry: then what?"
            } else {
                "what happens to an event it cannot process?"
            })
            .with_help(format!(
                "add `dlq {0}_dlq after 3 retries` to its failure block (and a `{0}_dlq` topic), so a record that fails every retry is parked and the partition moves on; if stopping is the point (a ledger must not skip a posting), say so with `allow missing-dlq on {0} because \"...\"`",
                ctx.name(i)
            )),
            vec![i],
        ));
    }
    out
}

//! single-point-of-failure: the reference's architecture review — "a single Redis
//! instance for the online store ... what happens when it restarts during peak
//! traffic?" A serving path on one instance needs a replica or a degradation path.

use super::{Ctx, Finding};
use crate::model::RoleKind;
use std::collections::BTreeSet;

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let d = ctx.design;
    // Nodes that serve: on a named path, or read by a consumer.
    let mut serving: BTreeSet<usize> = d
        .paths
        .iter()
        .flat_map(|p| p.hops.iter().copied())
        .collect();
    for i in 0..d.nodes.len() {
        if ctx.kind(i) == Some(RoleKind::Consumer) {
            serving.extend(ctx.data_in.get(i).into_iter().flatten().map(|e| e.src));
        }
    }
    let replicated: BTreeSet<usize> = (0..d.nodes.len())
        .filter_map(|i| match ctx.prop(i, "replica_of").map(|p| &p.value) {
            Some(crate::model::Value::Name(n)) => d.node_index(&n.name),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for i in serving {
        if ctx.kind(i) != Some(RoleKind::Store) && ctx.kind(i) != Some(RoleKind::Consumer) {
            continue;
        }
        // The declared count, else the tool's own shape: a plain `redis` is one
        // process; a tool that does not say is not assumed single.
        let single = match ctx.quantity(i, "instances") {
            Some(q) => q.hi <= 1.0,
            // Only a tool that can play the node's role speaks for its shape.
            None => {
                ctx.tool_flag(i, "single_instance")
                    && ctx
                        .tool(i)
                        .zip(ctx.node(i))
                        .is_some_and(|(t, n)| t.roles.contains(&n.role))
            }
        };
        if !single || replicated.contains(&i) {
            continue;
        }
        let degrades = ctx.prop(i, "fallback").is_some()
            || ctx.prop(i, "degrade").is_some()
            || ctx.quantity(i, "replication").is_some_and(|q| q.lo >= 2.0)
            || ctx.degrades.contains(&i);
        if degrades {
            continue;
        }
        let declared = ctx.prop(i, "instances").is_some();
        let (span, label) = match (declared, ctx.tool(i)) {
            (false, Some(t)) => (
                ctx.name_span(i),
                format!("`{}` runs as one process unless told otherwise", t.name),
            ),
            _ => (ctx.prop_span(i, "instances"), "one instance".to_string()),
        };
        let replica = if ctx.kind(i) == Some(RoleKind::Store) && ctx.is_role(i, "kv_store") {
            "`instances 2`, or `use redis_cluster` with replicas"
        } else {
            "`instances 2` behind a load balancer"
        };
        out.push(Finding::new(
            ctx.diag(
                "single-point-of-failure",
                span,
                format!("`{}` serves on a single instance with no replica and no degradation path", ctx.name(i)),
            )
            .label(label)
            .with_help(format!(
                "run a replica ({replica}), or declare `fallback NODE` / `degrade \"serve stale values\"` on `{}`",
                ctx.name(i)
            )),
            vec![i],
        ));
    }
    out
}

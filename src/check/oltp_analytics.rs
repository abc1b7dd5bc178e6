//! oltp-analytics: anti-pattern 3 — "querying production OLTP for analytics".
//! Analytical scans and bulk extraction on the primary compete with live users;
//! read a replica, or stream changes out with CDC.

use super::{Ctx, Finding};
use crate::model::{FlowMode, ReadKind, RoleKind};

/// Whether a database serves live traffic: another team's system of record (a
/// `source`), or one a service or an API reads or writes. A database only
/// pipelines fill and analysts read is an analytics store, whatever engine it runs.
fn serves_live(ctx: &Ctx<'_>, i: usize) -> bool {
    let live = |j: usize| ctx.kind(j) == Some(RoleKind::Origin) || ctx.is_role(j, "serving_api");
    ctx.node(i).is_some_and(|n| n.is_source)
        || ctx
            .data_in
            .get(i)
            .into_iter()
            .flatten()
            .any(|e| live(e.src))
        || ctx
            .data_out
            .get(i)
            .into_iter()
            .flatten()
            .any(|e| live(e.dst))
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for e in ctx.edge_of.iter().flatten() {
        let Some(flow) = ctx.flow(e.flow) else {
            continue;
        };
        if !ctx.is_role(e.src, "oltp_database")
            || ctx.prop(e.src, "replica_of").is_some()
            || !serves_live(ctx, e.src)
        {
            continue;
        }
        if flow.mode == FlowMode::Cdc {
            continue;
        }
        // A backfill's read of the primary is unsafe-backfill's finding.
        if ctx
            .backfills
            .iter()
            .any(|b| b.from == Some(e.src) && b.flows.contains(&e.flow))
        {
            continue;
        }
        let read = flow.read.as_ref().map(|r| r.kind);
        let analytical = match read {
            Some(ReadKind::Scan) => true,
            // A range on an indexed column from a service is an OLTP query (a
            // publisher polling for changed rows); from a batch job, a
            // dashboard or a query engine it is an analytical extract.
            Some(ReadKind::Range) => {
                ctx.kind(e.dst) != Some(RoleKind::Origin)
                    && !ctx.is_role(e.dst, "serving_api")
                    && !ctx.is_role(e.dst, "stream_processor")
            }
            Some(_) => false,
            None => {
                matches!(flow.mode, FlowMode::Batch { .. })
                    || ctx.kind(e.dst) == Some(RoleKind::Consumer)
            }
        };
        if !analytical {
            continue;
        }
        let what = match (read, &flow.mode) {
            (Some(ReadKind::Scan), _) => "scans",
            (Some(ReadKind::Range), _) => "runs range queries on",
            (_, FlowMode::Batch { .. }) => "bulk-extracts from",
            _ => "queries",
        };
        let span = flow.read.as_ref().map(|r| r.span).unwrap_or(flow.span);
        out.push(Finding::new(
            ctx.diag(
                "oltp-analytics",
                span,
                format!(
                    "`{}` {what} the production OLTP primary `{}`",
                    ctx.name(e.dst),
                    ctx.name(e.src)
                ),
            )
            .label("analytical read on the primary")
            .also(ctx.file, ctx.name_span(e.src), "serves live users")
            .with_help(format!(
                "read from a replica (`node {0}_replica : oltp_database {{ replica_of {0} }}`) or stream changes out with `cdc` into a warehouse",
                ctx.name(e.src)
            )),
            vec![e.src, e.dst],
        ));
    }
    out
}

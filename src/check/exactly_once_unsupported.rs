//! exactly-once-unsupported: `delivery exactly_once` holds end to end only if every
//! sink either commits in the same transaction as the read (Kafka transactions,
//! Flink two-phase commit) or writes idempotently. One plain sink breaks it.

use super::non_idempotent_write::absorbs_duplicates;
use super::{Ctx, Finding};
use crate::model::{Delivery, RoleKind};

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    if ctx.delivery() != Delivery::ExactlyOnce {
        return Vec::new();
    }
    let Some(req) = &ctx.design.requirements.delivery else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in ctx.edge_of.iter().flatten() {
        let Some(flow) = ctx.flow(e.flow) else {
            continue;
        };
        let sink = matches!(ctx.kind(e.dst), Some(RoleKind::Store | RoleKind::Broker));
        if !sink || flow.read.is_some() {
            continue;
        }
        let transactional = ctx.tool_flag(e.dst, "transactional");
        let idempotent =
            ctx.kind(e.dst) == Some(RoleKind::Store) && absorbs_duplicates(ctx, flow, e.dst);
        if transactional || idempotent {
            continue;
        }
        let tool = ctx
            .tool(e.dst)
            .map(|t| format!("`{}` does not take part in transactions", t.name))
            .unwrap_or_else(|| {
                "no tool chosen, so nothing shows it takes part in a transaction".to_string()
            });
        let span = flow.write.as_ref().map(|w| w.span).unwrap_or(flow.span);
        out.push(Finding::new(
            ctx.diag(
                "exactly-once-unsupported",
                span,
                format!(
                    "exactly-once delivery is required, but the write from `{}` into `{}` is neither transactional nor idempotent",
                    ctx.name(e.src),
                    ctx.name(e.dst)
                ),
            )
            .label("a retry here writes twice")
            .also(ctx.file, ctx.name_span(e.dst), tool)
            .also(ctx.file, req.span, "required here")
            .with_help("write idempotently (`write merge(key)`, `write upsert(key)`, `write overwrite partition(day)`), or use a sink that commits in the reader's transaction (Kafka, Delta Lake, Iceberg)"),
            vec![e.src, e.dst],
        ));
    }
    out
}

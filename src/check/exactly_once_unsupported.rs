//! exactly-once-unsupported: `delivery exactly_once` holds end to end only if every
//! sink either commits in the same transaction as the read (Kafka transactions,
//! Flink two-phase commit: `write transactional`) or writes idempotently. One
//! plain sink breaks it, and an ACID database is not enough by itself: a plain
//! INSERT commits apart from the read, so a retry after the commit inserts again.

use super::non_idempotent_write::{absorbs_duplicates, mechanisms, unsupported_write};
use super::{Ctx, Finding};
use crate::model::{Delivery, RoleKind, WriteKind};

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
        let kinds: Vec<WriteKind> = mechanisms(flow).collect();
        let plain_append = kinds.first() == Some(&WriteKind::Append) && kinds.len() == 1;
        let once = match ctx.kind(e.dst) {
            // A broker with transactions (Kafka, Redpanda, Pulsar) commits the
            // producer's writes with its consumer offsets, unless the write says
            // it is a plain append.
            Some(RoleKind::Broker) => ctx.tool_flag(e.dst, "transactional") && !plain_append,
            _ => absorbs_duplicates(ctx, flow, e.dst),
        };
        if once {
            continue;
        }
        let tool = match kinds.iter().find_map(|k| unsupported_write(ctx, *k, e.dst)) {
            Some(why) => why,
            None if ctx.tool_flag(e.dst, "transactional") => format!(
                "`{}` is transactional, but this write {} outside the reader's transaction",
                ctx.tool(e.dst).map(|t| t.name.as_str()).unwrap_or("it"),
                if plain_append { "appends" } else { "commits" }
            ),
            None => ctx
                .tool(e.dst)
                .map(|t| format!("`{}` does not take part in transactions", t.name))
                .unwrap_or_else(|| {
                    "no tool chosen, so nothing shows it takes part in a transaction".to_string()
                }),
        };
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
            .with_help("write idempotently (`write merge(key)`, `write upsert(key)`, `write overwrite partition(day)`), or commit in the reader's transaction (`write transactional`, into a sink that takes part: Kafka, Delta Lake, Iceberg, a database)"),
            vec![e.src, e.dst],
        ));
    }
    out
}

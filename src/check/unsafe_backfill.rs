//! unsafe-backfill: Design 4 — backfilling years of history from production. Read
//! a replica, in chunks, with a pause between them, skip chunks already done, and
//! MERGE into the target: never one `SELECT *` on the primary and a plain INSERT.

use super::non_idempotent_write::absorbs_duplicates;
use super::{Ctx, Finding};
use crate::flow::write_kind;
use crate::model::WriteKind;

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let d = ctx.design;
    let mut out = Vec::new();
    for b in &ctx.backfills {
        let Some(h) = d.hard_problems.get(b.hard) else {
            continue;
        };
        let span_of = |key: &str| h.props.get(key).map(|p| p.span);
        let name = h
            .subject
            .as_ref()
            .map(|s| s.name.as_str())
            .unwrap_or("backfill");
        let anchor = h.subject.as_ref().map(|s| s.span).unwrap_or(h.span);
        let mut missing: Vec<(String, Option<crate::source::Span>)> = Vec::new();
        let mut nodes = Vec::new();
        if let Some(from) = b.from {
            nodes.push(from);
            if ctx.is_role(from, "oltp_database") && ctx.prop(from, "replica_of").is_none() {
                missing.push((
                    format!(
                        "reads the production primary `{}`, not a replica",
                        ctx.name(from)
                    ),
                    span_of("from"),
                ));
            }
        }
        if let Some(to) = b.to {
            nodes.push(to);
        }
        if !h.props.contains_key("chunk") {
            missing.push((
                "no chunking (`chunk by month`): one query runs for hours and holds locks".into(),
                None,
            ));
        }
        if !h.props.contains_key("pause") && !h.props.contains_key("rate") {
            missing.push((
                "no rate limit (`pause 5 s` between chunks, or `rate`)".into(),
                None,
            ));
        }
        // The writes into the target that lie on the backfill's way are what it
        // does; its `write` property speaks only where no flow shows the write.
        let writes: Vec<(usize, usize)> = b
            .flows
            .iter()
            .filter_map(|f| ctx.edge_of.get(*f).copied().flatten())
            .filter(|e| Some(e.dst) == b.to)
            .map(|e| (e.flow, e.dst))
            .collect();
        let declared = write_kind(h.props.get("write"));
        let idempotent_write = if writes.is_empty() {
            declared.is_some_and(WriteKind::is_idempotent)
        } else {
            writes.iter().all(|(f, dst)| {
                ctx.flow(*f)
                    .is_some_and(|flow| absorbs_duplicates(ctx, flow, *dst))
            })
        };
        if !h.props.contains_key("skip_existing") && !idempotent_write {
            missing.push((
                "chunks are not idempotent: a restart redoes finished chunks (`skip_existing`)"
                    .into(),
                None,
            ));
        }
        if !idempotent_write {
            let appender = writes.iter().find(|(f, dst)| {
                ctx.flow(*f)
                    .is_some_and(|flow| !absorbs_duplicates(ctx, flow, *dst))
            });
            let (msg, span) = match appender.and_then(|(f, _)| ctx.flow(*f)) {
                Some(flow) => (
                    format!(
                        "`{}` writes into `{}` without a key: rows that already exist are duplicated (`write merge(key)`)",
                        ctx.name(flow.from),
                        ctx.name(flow.to)
                    ),
                    Some(flow.write.as_ref().map(|w| w.span).unwrap_or(flow.span)),
                ),
                None => (
                    "writes with plain INSERT: rows that already exist are duplicated (`write merge(key)`)".to_string(),
                    span_of("write"),
                ),
            };
            missing.push((msg, span));
        }
        if missing.is_empty() {
            continue;
        }
        let mut diag = ctx
            .diag(
                "unsafe-backfill",
                anchor,
                format!("backfill `{name}` can disrupt production or duplicate data"),
            )
            .label(format!(
                "{} safeguard{} missing",
                missing.len(),
                if missing.len() > 1 { "s" } else { "" }
            ));
        for (msg, span) in &missing {
            if let Some(span) = span {
                diag = diag.also(ctx.file, *span, msg.clone());
            }
        }
        let list: Vec<&str> = missing.iter().map(|m| m.0.as_str()).collect();
        out.push(Finding::new(
            diag.with_help(format!(
                "{}. The reference's plan: `from replica  chunk by month  pause 5 s  skip_existing  write merge(key)`",
                list.join("; ")
            )),
            nodes,
        ));
    }
    out
}

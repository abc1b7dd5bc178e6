//! unsafe-backfill: Design 4 — backfilling years of history from production. Read
//! a replica, in chunks, with a pause between them, skip chunks already done, and
//! MERGE into the target: never one `SELECT *` on the primary and a plain INSERT.

use super::{Ctx, Finding};
use crate::ast::HardKind;
use crate::model::{Value, WriteKind};

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let d = ctx.design;
    let mut out = Vec::new();
    for h in d
        .hard_problems
        .iter()
        .filter(|h| h.kind == HardKind::Backfill)
    {
        let node_of = |key: &str| match h.props.get(key).map(|p| &p.value) {
            Some(Value::Name(n)) => d.node_index(&n.name),
            _ => None,
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
        if let Some(from) = node_of("from") {
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
        if let Some(to) = node_of("to") {
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
        let write = match h.props.get("write").map(|p| &p.value) {
            Some(Value::Words(w)) => w.first().cloned(),
            _ => None,
        };
        let idempotent_write = write
            .as_deref()
            .is_some_and(|w| w != format!("{:?}", WriteKind::Append));
        if !h.props.contains_key("skip_existing") && !idempotent_write {
            missing.push((
                "chunks are not idempotent: a restart redoes finished chunks (`skip_existing`)"
                    .into(),
                None,
            ));
        }
        if !idempotent_write {
            missing.push((
                "writes with plain INSERT: rows that already exist are duplicated (`write merge(order_id)`)".into(),
                span_of("write"),
            ));
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

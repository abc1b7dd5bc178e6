//! missing-watermark: step 6 — late-arriving data. An event-time window on a
//! stream must say how long it waits for late events (a watermark) or its counts
//! silently drop or double-count them.

use super::{Ctx, Finding};
use crate::model::{FlowMode, RoleKind};
use std::collections::BTreeSet;

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let d = ctx.design;
    let mut out = Vec::new();
    for i in 0..d.nodes.len() {
        let window = ctx.words(i, "window");
        if window.is_empty() || window.iter().any(|w| w == "processing_time") {
            continue;
        }
        let ins = ctx.data_in.get(i).map(Vec::as_slice).unwrap_or(&[]);
        let streamed = ins.iter().any(|e| {
            ctx.kind(e.src) == Some(RoleKind::Broker)
                || ctx.flow(e.flow).is_some_and(|f| f.mode == FlowMode::Stream)
        });
        if !streamed {
            continue;
        }
        // The schemas this node windows over.
        let mut schemas: BTreeSet<String> = BTreeSet::new();
        for e in ins {
            if let Some((s, _)) = ctx.flow(e.flow).and_then(|f| f.carries.as_ref()) {
                schemas.insert(s.name.clone());
            } else if let Some(s) = ctx
                .schema_at
                .get(e.src)
                .copied()
                .flatten()
                .and_then(|s| ctx.schema(s))
            {
                schemas.insert(s.name.name.clone());
            }
        }
        let covered = ctx.watermark_at.contains(&i)
            || schemas
                .iter()
                .any(|s| ctx.watermarked_schemas.contains(s.as_str()));
        if covered {
            continue;
        }
        // The field to name: the window's own `on` field, else the schema's
        // event-time field, so the suggestion compiles.
        let example = schemas
            .iter()
            .next()
            .cloned()
            .unwrap_or_else(|| "Event".into());
        let words = ctx.words(i, "window");
        let on_field = words
            .iter()
            .position(|w| w == "on")
            .and_then(|k| words.get(k + 1))
            .cloned();
        let field = on_field
            .or_else(|| {
                ctx.schema_index(&example, None)
                    .and_then(|s| ctx.schema(s))
                    .and_then(|s| s.fields.iter().find(|f| f.event_time))
                    .map(|f| f.name.name.clone())
            })
            .unwrap_or_else(|| "occurred_at".into());
        out.push(Finding::new(
            ctx.diag(
                "missing-watermark",
                ctx.prop_span(i, "window"),
                format!("`{}` windows a stream by event time but declares no late-data watermark", ctx.name(i)),
            )
            .label("an event-time window")
            .with_help(format!(
                "say how long the window waits for late events: `late_data {example}.{field} watermark 30 s at {}`",
                ctx.name(i)
            )),
            vec![i],
        ));
    }
    out
}

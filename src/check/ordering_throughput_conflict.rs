//! ordering-throughput-conflict: anti-pattern 2 — "one Kafka partition = one writer
//! thread = ~100 MB/s max throughput. If your design requires global ordering AND
//! has > 100 MB/s peak write throughput, you have an unsolvable conflict."

use super::{Ctx, Finding, show};
use crate::model::RoleKind;
use crate::units::Dimension;

/// One partition's ceiling when the catalogue gives none (the reference's ~100 MB/s).
const ONE_PARTITION: f64 = 100e6;

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let d = ctx.design;
    let mut out = Vec::new();
    let design_wide = d
        .requirements
        .other
        .get("ordering")
        .filter(|o| o.value.split_whitespace().next() == Some("global"));
    for i in 0..d.nodes.len() {
        if ctx.kind(i) != Some(RoleKind::Broker) {
            continue;
        }
        let on_node = ctx.words(i, "ordering").first().map(String::as_str) == Some("global");
        if !super::capacity_exceeded::globally_ordered(ctx, i) {
            continue;
        }
        let span = match design_wide {
            Some(o) if !on_node => o.span,
            _ => ctx.prop_span(i, "ordering"),
        };
        let Some(peak) = ctx.peak_bytes(i) else {
            continue;
        };
        let limit = ctx
            .tool_figure(i, "per_partition")
            .map(|q| q.hi)
            .unwrap_or(ONE_PARTITION);
        if peak <= limit {
            continue;
        }
        let mut diag = ctx
            .diag(
                "ordering-throughput-conflict",
                span,
                format!(
                    "global ordering on `{}` needs one partition, but peak writes are {} and one partition takes about {}",
                    ctx.name(i),
                    show(peak, Dimension::BYTE_RATE),
                    show(limit, Dimension::BYTE_RATE)
                ),
            )
            .label("global ordering: one partition, one writer");
        if let Some(p) = &d.requirements.peak {
            diag = diag.also(ctx.file, p.span, "the peak");
        }
        out.push(Finding::new(
            diag.with_help({
                // The entity to order by: the topic's key, else its schema's key field.
                let entity = ctx
                    .words(i, "key")
                    .first()
                    .cloned()
                    .or_else(|| {
                        ctx.schema_at
                            .get(i)
                            .copied()
                            .flatten()
                            .and_then(|s| ctx.schema(s))
                            .and_then(|s| s.fields.iter().find(|f| f.key))
                            .map(|f| f.name.name.clone())
                    })
                    .unwrap_or_else(|| "entity_id".into());
                format!("challenge the ordering requirement: per-entity ordering (`ordering per_key {entity}` with `key {entity}`) scales across partitions")
            }),
            vec![i],
        ));
    }
    out
}

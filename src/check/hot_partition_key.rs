//! hot-partition-key: a partition key with few distinct values, or a skewed one,
//! sends most records to a few partitions; the rest sit idle. The reference keys
//! orders by customer_id because "10M+ customers → no hot partition".

use super::{Ctx, Finding};
use crate::model::RoleKind;

/// Fewer distinct keys than this many per partition hash unevenly.
const KEYS_PER_PARTITION: f64 = 10.0;

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for i in 0..ctx.design.nodes.len() {
        if ctx.kind(i) != Some(RoleKind::Broker) {
            continue;
        }
        let Some(key) = ctx.words(i, "key").into_iter().next() else {
            continue;
        };
        let Some(schema) = ctx
            .schema_at
            .get(i)
            .copied()
            .flatten()
            .and_then(|s| ctx.schema(s))
        else {
            continue;
        };
        let Some(field) = schema.field(&key) else {
            continue;
        };
        let partitions = ctx.quantity(i, "partitions").map(|q| q.lo);
        let low = match (&field.cardinality, partitions) {
            (Some(c), Some(p)) => c.lo < p * KEYS_PER_PARTITION,
            _ => false,
        };
        if !low && !field.skewed {
            continue;
        }
        let (message, label) = if field.skewed {
            (
                format!(
                    "`{}` is keyed by `{key}`, which is skewed: a few values carry most records",
                    ctx.name(i)
                ),
                "declared `skewed`".to_string(),
            )
        } else {
            let c = field
                .cardinality
                .as_ref()
                .map(|c| c.display())
                .unwrap_or_default();
            let p = partitions.unwrap_or(0.0);
            (
                format!(
                    "`{}` is keyed by `{key}` with {c} distinct values for {p} partitions",
                    ctx.name(i)
                ),
                format!("fewer than {KEYS_PER_PARTITION} keys per partition"),
            )
        };
        out.push(Finding::new(
            ctx.diag("hot-partition-key", ctx.prop_span(i, "key"), message)
                .label("partition key")
                .also(ctx.file, field.span, label)
                .with_help("key by a high-cardinality id (customer_id, order_id), or salt the key and aggregate downstream"),
            vec![i],
        ));
    }
    out
}

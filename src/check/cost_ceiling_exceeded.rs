//! cost-ceiling-exceeded: step 1 asks for a cost ceiling; the estimate must fit it.
//! The estimate is the sizing report's `cost.total`: each node's stated `cost` and
//! the storage each store holds for its retention at the catalogue's price.

use super::{Ctx, Finding};
use crate::sizing::Report;
use crate::source::Span;

/// The node a cost figure is about (`cost.raw.tier.glacier` → `raw`) and where to
/// point at it.
fn anchor(ctx: &Ctx<'_>, id: &str) -> Option<(usize, Span)> {
    let name = id.strip_prefix("cost.")?.split('.').next()?;
    let i = ctx.design.node_index(name)?;
    let key = if id.ends_with(".stated") {
        "cost"
    } else {
        "retain"
    };
    Some((i, ctx.prop_span(i, key)))
}

pub fn check(ctx: &Ctx<'_>, report: &Report) -> Vec<Finding> {
    let Some(ceiling) = &ctx.design.requirements.cost else {
        return Vec::new();
    };
    if ceiling.value.dim.money != 1 || ceiling.value.dim.time != -1 {
        return Vec::new();
    }
    let Some(total) = report
        .figure("cost.total")
        .and_then(|f| f.value.as_ref().ok())
    else {
        return Vec::new();
    };
    if total.hi <= ceiling.value.hi {
        return Vec::new();
    }
    let mut diag = ctx
        .diag(
            "cost-ceiling-exceeded",
            ceiling.span,
            format!(
                "the design costs about {} but the ceiling is {}",
                total.display(),
                ceiling.value.display()
            ),
        )
        .label("the cost ceiling");
    // The largest parts of the total, with where they come from.
    let mut parts: Vec<(f64, String, usize, Span)> = report
        .figure("cost.total")
        .map(|f| f.inputs.clone())
        .unwrap_or_default()
        .iter()
        .filter_map(|id| {
            let f = report.figure(id)?;
            let v = f.value.as_ref().ok()?;
            let (node, span) = anchor(ctx, id)?;
            Some((v.hi, f.derivation.clone(), node, span))
        })
        .collect();
    parts.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (_, derivation, _, span) in parts.iter().take(4) {
        diag = diag.also(ctx.file, *span, derivation.clone());
    }
    vec![Finding::new(
        diag.with_help("cut the largest items: tier cold data to archive storage, shorten retention, choose managed capacity that auto-suspends, or raise the ceiling with the business"),
        parts.iter().map(|p| p.2).collect(),
    )]
}

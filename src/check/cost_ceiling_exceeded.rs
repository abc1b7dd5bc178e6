//! cost-ceiling-exceeded: step 1 asks for a cost ceiling; the estimate must fit it.
//! The estimate is the sizing report's `cost.total`: the bill's priced lines
//! (a node's stated `cost`, or its instances, shards, units, scans, vCPU-hours,
//! credits and storage at the catalogue's prices). Unpriced lines add nothing,
//! so a total over the ceiling is over it whatever they cost.

use super::{Ctx, Finding};
use crate::sizing::Report;
use crate::source::Span;

/// The node a cost figure is about (`cost.raw.tier.glacier` → `raw`) and where to
/// point at it.
fn anchor(ctx: &Ctx<'_>, id: &str) -> Option<(usize, Span)> {
    let mut parts = id.strip_prefix("cost.")?.split('.');
    let name = parts.next()?;
    let i = ctx.design.node_index(name)?;
    let key = match parts.next()? {
        "stated" => "cost",
        "instances" if ctx.prop(i, "brokers").is_some() => "brokers",
        "instances" => "instances",
        "shards" => "partitions",
        "compute" => "cores",
        "credits" => "warehouse_size",
        "scans" => "scans",
        "capacity" => "capacity",
        _ => "retain",
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
    let Some(figure) = report.figure("cost.total") else {
        return Vec::new();
    };
    let Ok(total) = figure.value.as_ref() else {
        return Vec::new();
    };
    // "Monthly cost (priced lines)": some lines have no price, so this is a floor.
    let floor = figure.label.contains("priced lines");
    if total.hi <= ceiling.value.hi {
        return Vec::new();
    }
    let mut diag = ctx
        .diag(
            "cost-ceiling-exceeded",
            ceiling.span,
            format!(
                "the design costs {} {} but the ceiling is {}",
                if floor { "at least" } else { "about" },
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

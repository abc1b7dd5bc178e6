//! cost-ceiling-exceeded: step 1 asks for a cost ceiling; the estimate must fit it.
//! The estimate sums what the design states per node (`cost $800/month`) and the
//! storage each store holds for its retention at the catalogue's price.

use super::{Ctx, Finding};
use crate::source::Span;
use crate::units::{Dimension, MONTH};

/// Monthly cost parts: (amount per month at the high end, what, where).
pub fn monthly_parts(ctx: &Ctx<'_>) -> Vec<(f64, String, Span, usize)> {
    let mut parts = Vec::new();
    for i in 0..ctx.design.nodes.len() {
        if let Some(c) = ctx.quantity(i, "cost")
            && c.dim.money == 1
            && c.dim.time == -1
            && c.dim.bytes == 0
        {
            let m = c.hi * MONTH;
            parts.push((
                m,
                format!("`{}` states", ctx.name(i)),
                ctx.prop_span(i, "cost"),
                i,
            ));
        }
        let price = ctx.tool_figure(i, "price_storage");
        let kept = ctx.quantity(i, "retain");
        let daily = ctx.daily_bytes(i);
        if let (Some(price), Some(kept), Some(daily)) = (price, kept, daily)
            && price.dim.money == 1
            && price.dim.bytes == -1
            && price.dim.time == -1
        {
            let stored = daily * kept.hi / crate::units::DAY;
            let m = stored * price.hi * MONTH;
            parts.push((
                m,
                format!(
                    "`{}` stores {} at {}:",
                    ctx.name(i),
                    super::show(stored, Dimension::BYTES),
                    price.display()
                ),
                ctx.prop_span(i, "retain"),
                i,
            ));
        }
    }
    parts
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let Some(ceiling) = &ctx.design.requirements.cost else {
        return Vec::new();
    };
    let per_month = ceiling.value.dim.time == -1;
    if ceiling.value.dim.money != 1 || !per_month {
        return Vec::new();
    }
    let currency = ceiling.value.dim.currency;
    let parts = monthly_parts(ctx);
    let total: f64 = parts.iter().map(|p| p.0).sum();
    let limit = ceiling.value.hi * MONTH;
    if total <= limit {
        return Vec::new();
    }
    let money = |v: f64| {
        let dim = Dimension {
            time: -1,
            money: 1,
            currency,
            ..Dimension::NONE
        };
        super::show(v / MONTH, dim)
    };
    let mut diag = ctx
        .diag(
            "cost-ceiling-exceeded",
            ceiling.span,
            format!(
                "the design costs about {} but the ceiling is {}",
                money(total),
                ceiling.value.display()
            ),
        )
        .label("the cost ceiling");
    let mut sorted: Vec<&(f64, String, Span, usize)> = parts.iter().collect();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    for p in sorted.iter().take(4) {
        diag = diag.also(ctx.file, p.2, format!("{} {}", p.1, money(p.0)));
    }
    vec![Finding::new(
        diag.with_help("cut the largest items: tier cold data to archive storage, shorten retention, choose managed capacity that auto-suspends, or raise the ceiling with the business"),
        sorted.iter().map(|p| p.3).collect(),
    )]
}

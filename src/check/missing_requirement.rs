//! missing-requirement: step 1 — no design before numbers. A design that declares
//! nodes or tools must state the requirements the later steps size against.

use super::{Ctx, Finding};

/// Each requirement later steps need, and the question the reference asks for it.
const NEEDED: &[(&str, &str)] = &[
    (
        "volume",
        "how many events per day? e.g. `volume 5M payments/day`",
    ),
    (
        "peak",
        "how many events per second at peak? e.g. `peak 2000 payments/s` or `peak 10x`",
    ),
    (
        "latency",
        "how quickly must data be available? e.g. `latency fraud_decision <= 2 s` or `freshness marts <= 6 h`",
    ),
    (
        "delivery",
        "may an event be dropped or processed twice? e.g. `delivery at_least_once`",
    ),
    (
        "retention",
        "how long must raw data be kept? e.g. `retention raw >= 7 years`",
    ),
    ("team", "how many engineers run this? e.g. `team 8`"),
];

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let d = ctx.design;
    if d.nodes.is_empty() && d.uses.is_empty() {
        return Vec::new();
    }
    let r = &d.requirements;
    let present = |name: &str| match name {
        "volume" => r.volume.is_some(),
        "peak" => r.peak.is_some(),
        "latency" => !r.latency.is_empty() || !r.freshness.is_empty(),
        "delivery" => r.delivery.is_some(),
        "retention" => !r.retention.is_empty(),
        "team" => r.team.is_some(),
        _ => true,
    };
    let label = if r.span.is_some() {
        "its requirements leave this out"
    } else {
        "this design has no `requirements` block"
    };
    let missing: Vec<&(&str, &str)> = NEEDED.iter().filter(|(name, _)| !present(name)).collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let names: Vec<String> = missing.iter().map(|(n, _)| format!("`{n}`")).collect();
    let questions: Vec<&str> = missing.iter().map(|(_, q)| *q).collect();
    let (first, rest) = names.split_at(names.len().saturating_sub(1));
    let list = if first.is_empty() {
        rest.join("")
    } else {
        format!("{} and {}", first.join(", "), rest.join(""))
    };
    vec![Finding::new(
        ctx.diag(
            "missing-requirement",
            d.name.span,
            format!(
                "design `{}` does not state its {list} requirement{}",
                d.name.name,
                if missing.len() > 1 { "s" } else { "" }
            ),
        )
        .label(label)
        .with_help(format!("ask before designing: {}", questions.join("; "))),
        Vec::new(),
    )]
}

//! missing-capacity-estimate: step 2 — numbers drive decisions. A requirement that
//! no `let` and no check ever uses was asked for and then ignored.

use super::{Ctx, Finding};
use crate::model::Bound;

fn mentions(formula: &str, name: &str) -> bool {
    formula
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|w| w == name)
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let d = ctx.design;
    let r = &d.requirements;
    let mut out = Vec::new();
    let in_lets = |name: &str| d.lets.iter().any(|l| mentions(&l.formula, name));
    // Checks that read the requirement themselves.
    let peak_checked = (0..d.nodes.len()).any(|i| {
        (ctx.quantity(i, "per_event").is_some() && ctx.quantity(i, "threads").is_some())
            || (ctx.quantity(i, "partitions").is_some() && ctx.record_bytes(i).is_some())
    });
    let readers_checked = (0..d.nodes.len()).any(|i| ctx.quantity(i, "max_qps").is_some());
    for (name, req, checked) in [
        ("volume", &r.volume, false),
        ("peak", &r.peak, peak_checked),
        ("readers", &r.readers, readers_checked),
    ] {
        let Some(req) = req else { continue };
        if in_lets(name) || checked {
            continue;
        }
        out.push(Finding::new(
            ctx.diag(
                "missing-capacity-estimate",
                req.span,
                format!("the `{name}` requirement is never used in a capacity estimate"),
            )
            .label(format!("{} stated here, then unused", req.value.display()))
            .with_help(format!(
                "derive what it implies with a `let`, e.g. `let daily_bytes = {name} * Event.size.raw as GB/day`"
            )),
            Vec::new(),
        ));
    }
    // An SLA or retention that names nothing the checks can measure is unchecked.
    let named = |b: &Bound, roles_ok: bool| {
        let Some(t) = &b.target else { return true };
        d.paths.iter().any(|p| p.name.name == t.name)
            || d.node_index(&t.name).is_some()
            || (roles_ok && d.nodes.iter().any(|n| n.role == t.name))
    };
    let groups: [(&str, &Vec<Bound>, bool, &str); 3] = [
        ("latency", &r.latency, false, "a `path` or node"),
        ("freshness", &r.freshness, false, "a `path` or node"),
        ("retention", &r.retention, true, "a node or a role"),
    ];
    for (what, bounds, roles_ok, expected) in groups {
        for b in bounds.iter().filter(|b| !named(b, roles_ok)) {
            let target = b.target.as_ref().map(|t| t.name.as_str()).unwrap_or("");
            out.push(Finding::new(
                ctx.diag(
                    "missing-capacity-estimate",
                    b.span,
                    format!("the {what} requirement `{target}` names nothing in the design, so no check measures it"),
                )
                .label(format!("`{target}` is not {expected}"))
                .with_help(format!(
                    "declare `path {target} = a -> b -> c` (or name an existing path or node) so dsd can hold the design to it"
                )),
                Vec::new(),
            ));
        }
    }
    out
}

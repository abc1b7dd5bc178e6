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
    // What the flow model and the sizing checks read. A volume is used when it
    // reaches a node as a rate (storage, partitions and threads are sized from
    // it) or `peak 3x` scales it. A peak is used when it reaches something that
    // must keep up at peak (a broker, a stream processor, a node with `max_qps`);
    // in a design with nothing of the kind (a nightly batch) there is nothing to
    // hold it to, and saying it is unused would be true but not actionable.
    let n = d.nodes.len();
    let volume_checked = r.peak_factor.is_some() || ctx.volume_at.iter().any(Option::is_some);
    let runs_at_peak = |i: usize| {
        ctx.kind(i) == Some(crate::model::RoleKind::Broker) && !ctx.is_dead_letter(i)
            || ctx.is_role(i, "stream_processor")
            || ctx.quantity(i, "max_qps").is_some()
    };
    let peak_checked = (0..n)
        .any(|i| runs_at_peak(i) && ctx.peak_at.get(i).is_some_and(Option::is_some))
        || !(0..n).any(runs_at_peak);
    let readers_checked = (0..n).any(|i| ctx.quantity(i, "max_qps").is_some());
    for (name, req, checked) in [
        ("volume", &r.volume, volume_checked),
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
            .with_help(match name {
                "readers" => "state the query rate the serving node takes (`max_qps 100 queries/s`), or derive the load with a `let`, e.g. `let qps = readers / 10 s as queries/s`".to_string(),
                _ => format!(
                    "derive what it implies with a `let`, e.g. `let daily_bytes = {name} * {}.size.raw as GB/day`",
                    d.schemas.first().map(|s| s.name.name.as_str()).unwrap_or("Event")
                ),
            }),
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

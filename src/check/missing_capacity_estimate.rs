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
    let unbound = unbound_volume(ctx, &mut out);
    if !unbound {
        unsized_origins(ctx, &mut out);
    }
    for (name, req, checked) in [
        ("volume", &r.volume, volume_checked),
        ("peak", &r.peak, peak_checked),
        ("readers", &r.readers, readers_checked),
    ] {
        let Some(req) = req else { continue };
        // An unbound volume is the one hazard: the finding above owns it.
        if in_lets(name) || checked || unbound && name != "readers" {
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

/// `name`, `name` and `name` (at most five, then how many more).
fn listed(ctx: &Ctx<'_>, nodes: &[usize]) -> String {
    let mut names: Vec<String> = nodes
        .iter()
        .take(5)
        .map(|i| format!("`{}`", ctx.name(*i)))
        .collect();
    if nodes.len() > 5 {
        names.push(format!("{} more", nodes.len() - 5));
    }
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// The design's `volume` is a rate, the design has several origins, and it is
/// bound to none of them: no record it counts enters the graph, and every
/// capacity check downstream goes without it. One finding, at the volume.
fn unbound_volume(ctx: &Ctx<'_>, out: &mut Vec<Finding>) -> bool {
    let d = ctx.design;
    let r = &d.requirements;
    let Some(volume) = &r.volume else {
        return false;
    };
    if !volume.value.dim.same_as(crate::units::Dimension::RATE) || ctx.rates.shared_by > 0 {
        return false;
    }
    let waiting: Vec<usize> = (0..d.nodes.len())
        .filter(|i| ctx.rates.is_origin.get(*i) == Some(&true))
        .filter(|i| ctx.rates.from.get(*i) != Some(&Some(crate::flow::rates::RateFrom::Own)))
        .collect();
    if waiting.is_empty() {
        return false; // every origin states its own rate
    }
    let noun = volume
        .value
        .noun
        .clone()
        .unwrap_or_else(|| "records".into());
    let first = waiting.first().map(|i| ctx.name(*i)).unwrap_or("SOURCE");
    let message = if r.volume_from.is_empty() {
        format!(
            "the `volume` requirement is bound to no source: which of {} sends its {noun}?",
            listed(ctx, &waiting)
        )
    } else {
        format!(
            "the `volume` requirement is bound to no source: {} states its own `volume`",
            listed(
                ctx,
                &r.volume_from
                    .iter()
                    .filter_map(|id| d.node_index(&id.name))
                    .collect::<Vec<_>>()
            )
        )
    };
    let camel: String = crate::flow::rates::words(&noun)
        .iter()
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect();
    let near = ctx.nearest_sized();
    let skipped: Vec<usize> = {
        let mut v: Vec<usize> = waiting
            .iter()
            .filter_map(|i| near.get(*i).copied().flatten())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let label = if skipped.is_empty() {
        format!(
            "{} counted here, then assigned to nothing",
            volume.value.display()
        )
    } else {
        format!(
            "{} counted here, so the capacity of {} is checked without them",
            volume.value.display(),
            listed(ctx, &skipped)
        )
    };
    out.push(Finding::new(
        ctx.diag("missing-capacity-estimate", volume.span, message)
            .label(label)
            .with_help(format!(
                "bind it where the records enter: `volume … from {first}` (several share it: `from a, b`), or give each source its own `volume` in its block; dsd binds it unasked only to a design's one source, or to sources whose schema or name is the noun (`schema {camel}` for `{noun}`)"
            )),
        skipped,
    ));
    true
}

/// An origin with no rate whose records reach a node sized by its rate (a
/// broker, a processor with `per_event`): that node's check counts the other
/// origins' records only, or is not made at all. Said when some origin has a
/// rate; a design with none lacks its `volume`, which missing-requirement says.
fn unsized_origins(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let d = ctx.design;
    if !ctx.rates.from.iter().any(Option::is_some) {
        return;
    }
    let near = ctx.nearest_sized();
    for i in 0..d.nodes.len() {
        if ctx.rates.is_origin.get(i) != Some(&true) || ctx.rates.from.get(i) != Some(&None) {
            continue;
        }
        let Some(sized) = near.get(i).copied().flatten() else {
            continue;
        };
        let name = ctx.name(i);
        let at = if sized == i {
            format!("`{name}` itself")
        } else {
            format!("`{}`", ctx.name(sized))
        };
        let bound = d
            .requirements
            .volume
            .as_ref()
            .filter(|_| ctx.rates.shared_by > 0)
            .map(|v| {
                let to: Vec<usize> = (0..d.nodes.len())
                    .filter(|j| {
                        ctx.rates.from.get(*j).is_some_and(|f| {
                            f.is_some_and(|f| f != crate::flow::rates::RateFrom::Own)
                        })
                    })
                    .collect();
                format!(
                    "; the design's `volume` ({}) counts {}'s records",
                    v.value.display(),
                    listed(ctx, &to)
                )
            })
            .unwrap_or_default();
        out.push(Finding::new(
            ctx.diag(
                "missing-capacity-estimate",
                ctx.name_span(i),
                format!("`{name}` has no rate, so the capacity of {at} is checked without its records"),
            )
            .label(format!("no `volume` of its own{bound}"))
            .with_help(format!(
                "state how many records it sends in its block, e.g. `source {name} : {} {{ volume 2M records/day }}`",
                d.nodes.get(i).map(|n| n.role.as_str()).unwrap_or("service")
            )),
            vec![i],
        ));
    }
}

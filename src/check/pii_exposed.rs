//! pii-exposed: step 1 asks about GDPR, DPDP and PCI-DSS. A field marked `pii`
//! may reach only nodes inside a compliance zone, unless it is masked or tokenised
//! on the way or the node declares access control.

use super::{Ctx, Finding};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

type Fields = BTreeSet<String>;

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let d = ctx.design;
    let n = d.nodes.len();
    let pii_of = |schema: usize| -> Fields {
        ctx.schema(schema)
            .map(|s| {
                s.fields
                    .iter()
                    .filter(|f| f.pii)
                    .map(|f| f.name.name.clone())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut field_span = BTreeMap::new();
    for s in &d.schemas {
        for f in s.fields.iter().filter(|f| f.pii) {
            field_span.entry(f.name.name.clone()).or_insert(f.span);
        }
    }
    if field_span.is_empty() {
        return Vec::new();
    }
    let masked: Vec<Fields> = (0..n)
        .map(|i| {
            let mut m: Fields = ctx.words(i, "mask").into_iter().collect();
            m.extend(ctx.words(i, "tokenize"));
            if m.contains("all") {
                m.extend(field_span.keys().cloned());
            }
            m
        })
        .collect();
    let emitted: Vec<Option<Fields>> = d
        .nodes
        .iter()
        .map(|node| {
            (!node.emits.is_empty()).then(|| {
                node.emits
                    .iter()
                    .filter_map(|(s, v)| ctx.schema_index(&s.name, *v))
                    .flat_map(pii_of)
                    .collect()
            })
        })
        .collect();
    // PII arriving at each node, grown to a fixed point.
    let mut arriving: Vec<Fields> = vec![Fields::new(); n];
    let leaving = |i: usize, arriving: &[Fields]| -> Fields {
        let base = match emitted.get(i) {
            Some(Some(e)) => e.clone(),
            _ => arriving.get(i).cloned().unwrap_or_default(),
        };
        let m = masked.get(i).cloned().unwrap_or_default();
        base.difference(&m).cloned().collect()
    };
    let mut queue: VecDeque<usize> = (0..n).collect();
    let mut queued = vec![true; n];
    while let Some(i) = queue.pop_front() {
        if let Some(q) = queued.get_mut(i) {
            *q = false;
        }
        let out_here = leaving(i, &arriving);
        for e in ctx.data_out.get(i).into_iter().flatten() {
            let Some(flow) = ctx.flow(e.flow) else {
                continue;
            };
            let carried: Fields = match &flow.carries {
                Some((s, v)) => {
                    let m = masked.get(i).cloned().unwrap_or_default();
                    ctx.schema_index(&s.name, *v)
                        .map(pii_of)
                        .unwrap_or_default()
                        .difference(&m)
                        .cloned()
                        .collect()
                }
                None => out_here.clone(),
            };
            let Some(slot) = arriving.get_mut(e.dst) else {
                continue;
            };
            let before = slot.len();
            slot.extend(carried);
            if slot.len() > before && !queued.get(e.dst).copied().unwrap_or(true) {
                if let Some(q) = queued.get_mut(e.dst) {
                    *q = true;
                }
                queue.push_back(e.dst);
            }
        }
    }
    let mut inside = vec![false; n];
    for z in &d.zones {
        for m in &z.members {
            if let Some(x) = inside.get_mut(*m) {
                *x = true;
            }
        }
    }
    let exposed = |i: usize| -> Fields {
        let m = masked.get(i).cloned().unwrap_or_default();
        arriving
            .get(i)
            .map(|a| a.difference(&m).cloned().collect())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    if d.zones.is_empty() {
        // No boundary drawn: only a design bound by regulation must draw one.
        let Some(first) = d.requirements.compliance.first() else {
            return out;
        };
        let reached: Vec<usize> = (0..n).filter(|i| !exposed(*i).is_empty()).collect();
        if reached.is_empty() {
            return out;
        }
        let fields: Fields = reached.iter().flat_map(|i| exposed(*i)).collect();
        let names: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
        let mut diag = ctx
            .diag(
                "pii-exposed",
                first.span,
                format!(
                    "PII ({}) reaches {} nodes, but the design draws no compliance zone",
                    names.join(", "),
                    reached.len()
                ),
            )
            .label(format!("{} applies", first.name));
        if let Some(span) = fields.iter().next().and_then(|f| field_span.get(f)) {
            diag = diag.also(ctx.file, *span, "marked pii");
        }
        out.push(Finding::new(
            diag.with_help("draw the boundary with `zone pci { ... }` around the nodes allowed to hold PII, and `mask`/`tokenize` the fields before they leave it"),
            reached,
        ));
        return out;
    }
    // One leak, one finding: report a node where PII first crosses out of the
    // zones (fed by a node inside, or by one that may hold it), and name the nodes
    // it flows on to from there, rather than one finding per node downstream.
    let outside: Vec<bool> = (0..n)
        .map(|i| {
            !exposed(i).is_empty()
                && !inside.get(i).copied().unwrap_or(false)
                && ctx.prop(i, "access").is_none()
        })
        .collect();
    let is_out = |i: usize| outside.get(i).copied().unwrap_or(false);
    for i in 0..n {
        if !is_out(i) {
            continue;
        }
        let ins: Vec<usize> = ctx
            .data_in
            .get(i)
            .into_iter()
            .flatten()
            .map(|e| e.src)
            .collect();
        let feeder = ins.iter().copied().find(|s| !is_out(*s));
        if !ins.is_empty() && feeder.is_none() {
            continue; // downstream of a leak reported where it starts
        }
        let fields = exposed(i);
        // Where it goes on to, outside every zone.
        let mut seen = BTreeSet::from([i]);
        let mut queue = VecDeque::from([i]);
        let mut onward: Vec<usize> = Vec::new();
        while let Some(at) = queue.pop_front() {
            for e in ctx.data_out.get(at).into_iter().flatten() {
                if is_out(e.dst) && seen.insert(e.dst) {
                    onward.push(e.dst);
                    queue.push_back(e.dst);
                }
            }
        }
        let names: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
        let zones: Vec<&str> = d.zones.iter().map(|z| z.name.name.as_str()).collect();
        let mut diag = ctx
            .diag(
                "pii-exposed",
                ctx.name_span(i),
                format!(
                    "PII field{} {} reach{} `{}`, outside the compliance zone{} {}",
                    if fields.len() > 1 { "s" } else { "" },
                    names.join(", "),
                    if fields.len() > 1 { "" } else { "es" },
                    ctx.name(i),
                    if zones.len() > 1 { "s" } else { "" },
                    zones
                        .iter()
                        .map(|z| format!("`{z}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .label(if onward.is_empty() {
                "outside every zone".to_string()
            } else {
                let shown: Vec<String> = onward
                    .iter()
                    .take(4)
                    .map(|o| format!("`{}`", ctx.name(*o)))
                    .collect();
                let more = onward.len().saturating_sub(4);
                format!(
                    "outside every zone, and from here on to {}{}",
                    shown.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                )
            });
        if let Some(span) = fields.iter().next().and_then(|f| field_span.get(f)) {
            diag = diag.also(ctx.file, *span, "marked pii");
        }
        if let Some(f) = feeder {
            diag = diag.also(ctx.file, ctx.name_span(f), "it leaves the zone here");
        }
        let list = fields.iter().cloned().collect::<Vec<_>>().join(" ");
        let help = match feeder {
            Some(f) => format!(
                "`mask {list}` (or `tokenize`) on `{}`, where it leaves the zone; or add `{}` to the zone, or declare `access restricted` on it",
                ctx.name(f),
                ctx.name(i)
            ),
            None => format!(
                "`mask {list}` (or `tokenize`) on `{0}` before it emits, add `{0}` to the zone, or declare `access restricted` on it",
                ctx.name(i)
            ),
        };
        let mut nodes = vec![i];
        nodes.extend(feeder);
        out.push(Finding::new(diag.with_help(help), nodes));
    }
    out
}

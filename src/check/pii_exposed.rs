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
    for i in 0..n {
        let fields = exposed(i);
        if fields.is_empty()
            || inside.get(i).copied().unwrap_or(false)
            || ctx.prop(i, "access").is_some()
        {
            continue;
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
            .label("outside every zone");
        if let Some(span) = fields.iter().next().and_then(|f| field_span.get(f)) {
            diag = diag.also(ctx.file, *span, "marked pii");
        }
        out.push(Finding::new(
            diag.with_help(format!(
                "mask or tokenize upstream (`mask {}` on the job that feeds it), add `{}` to the zone, or declare `access restricted` on it",
                fields.iter().cloned().collect::<Vec<_>>().join(" "),
                ctx.name(i)
            )),
            vec![i],
        ));
    }
    out
}

//! no-schema-evolution: step 3 and anti-pattern 4 — schemas change. A schema that
//! crosses a service or team boundary needs an evolution policy, and a stream needs
//! a registry or a versioned topic to enforce it.

use super::{Ctx, Finding};
use crate::model::RoleKind;
use std::collections::BTreeSet;

fn versioned_topic(name: &str) -> bool {
    let tail = name.rsplit(['.', '_', '-']).next().unwrap_or("");
    tail.len() > 1 && tail.starts_with('v') && tail.chars().skip(1).all(|c| c.is_ascii_digit())
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let d = ctx.design;
    let mut crossing: BTreeSet<usize> = BTreeSet::new();
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); d.schemas.len()];
    for (i, n) in d.nodes.iter().enumerate() {
        if n.is_source {
            for (name, v) in &n.emits {
                if let Some(s) = ctx.schema_index(&name.name, *v) {
                    crossing.insert(s);
                    if let Some(u) = users.get_mut(s) {
                        u.push(i);
                    }
                }
            }
        }
        if ctx.kind(i) == Some(RoleKind::Broker)
            && let Some(s) = ctx.schema_at.get(i).copied().flatten()
        {
            crossing.insert(s);
            if let Some(u) = users.get_mut(s) {
                u.push(i);
            }
        }
    }
    let mut out = Vec::new();
    for s in &crossing {
        let Some(schema) = ctx.schema(*s) else {
            continue;
        };
        if schema.evolution.is_some() {
            continue;
        }
        let nodes = users.get(*s).cloned().unwrap_or_default();
        let mut diag = ctx
            .diag(
                "no-schema-evolution",
                schema.name.span,
                format!(
                    "schema `{} v{}` crosses a team boundary but has no evolution policy",
                    schema.name.name, schema.version
                ),
            )
            .label("no `evolution` declared");
        if let Some(first) = nodes.first() {
            diag = diag.also(
                ctx.file,
                ctx.name_span(*first),
                format!("shared through `{}`", ctx.name(*first)),
            );
        }
        out.push(Finding::new(
            diag.with_help("add `evolution backward via registry` (or forward, full) to say which changes producers may make"),
            nodes,
        ));
    }
    let has_registry = (0..d.nodes.len()).any(|i| ctx.is_role(i, "schema_registry"));
    for i in 0..d.nodes.len() {
        if ctx.kind(i) != Some(RoleKind::Broker) || has_registry {
            continue;
        }
        let Some(schema) = ctx
            .schema_at
            .get(i)
            .copied()
            .flatten()
            .and_then(|s| ctx.schema(s))
        else {
            continue;
        };
        let Some(evo) = &schema.evolution else {
            continue;
        };
        let enforced = evo.via.is_some()
            || ctx.prop(i, "schema_registry").is_some()
            || ctx.words(i, "topic").iter().any(|t| versioned_topic(t));
        if enforced {
            continue;
        }
        out.push(Finding::new(
            ctx.diag(
                "no-schema-evolution",
                ctx.name_span(i),
                format!(
                    "stream `{}` carries `{}` but nothing enforces its evolution policy",
                    ctx.name(i),
                    schema.name.name
                ),
            )
            .label("no schema registry, no versioned topic")
            .also(ctx.file, evo.span, "policy declared here, enforced nowhere")
            .with_help("add a `schema_registry` node (or `evolution backward via registry`), or version the topic: `topic orders.v2`"),
            vec![i],
        ));
    }
    out
}

//! no-schema-evolution: step 3 and anti-pattern 4 — schemas change. A schema that
//! crosses a service or team boundary needs an evolution policy, and a stream needs
//! a registry or a versioned topic to enforce it.

use super::{Ctx, Finding};
use crate::model::RoleKind;
use std::collections::BTreeSet;

/// The version a topic name ends in: `orders.v2` → 2.
fn topic_version(name: &str) -> Option<u32> {
    let tail = name.rsplit(['.', '_', '-']).next().unwrap_or("");
    tail.strip_prefix('v')?.parse().ok()
}

/// Whether a `via` mechanism enforces a stream's policy where records are
/// produced: a schema registry (by that word or by a registry tool's name). A
/// word such as `code_review` or `proto_field_numbers` names a practice, not a
/// check every produced record passes.
fn enforces(ctx: &Ctx<'_>, via: &str) -> bool {
    via == "registry"
        || via.ends_with("_registry")
        || ctx
            .catalogue
            .tools
            .get(via)
            .is_some_and(|t| t.roles.iter().any(|r| r == "schema_registry"))
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
        // A dead-letter topic parks what failed upstream, where the policy is
        // enforced; it is not a contract of its own.
        if ctx.kind(i) != Some(RoleKind::Broker) || has_registry || ctx.is_dead_letter(i) {
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
        // A versioned topic enforces only if it is the version carried: a new
        // topic per breaking version (`orders.v2` carries `Order v2`).
        let topics = ctx.words(i, "topic");
        let versioned = topics
            .iter()
            .any(|t| topic_version(t) == Some(schema.version));
        let enforced = evo.via.as_ref().is_some_and(|v| enforces(ctx, &v.name))
            || ctx.prop(i, "schema_registry").is_some()
            || versioned;
        if enforced {
            continue;
        }
        let stale_topic = topics
            .iter()
            .find_map(|t| topic_version(t).map(|v| (t.clone(), v)));
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
            .label(match (&stale_topic, &evo.via) {
                (Some((t, v)), _) => format!(
                    "topic `{t}` is version {v}, but it carries `{} v{}`",
                    schema.name.name, schema.version
                ),
                (None, Some(via)) => format!(
                    "`via {}` is not checked where records are produced",
                    via.name
                ),
                (None, None) => "no schema registry, no versioned topic".to_string(),
            })
            .also(ctx.file, evo.span, "policy declared here, enforced nowhere")
            .with_help("add a `schema_registry` node (or `evolution backward via registry`), or name the topic for the version it carries: `topic orders.v2` for `v2`"),
            vec![i],
        ));
    }
    out
}

//! incompatible-schema-change: step 3 — a reader of `Schema vN` fed `vM` must be
//! able to decode it, and the change between the versions must be one the declared
//! compatibility allows, the way a schema registry judges it.

use super::{Ctx, Finding};
use crate::model::{Compatibility, Schema, SchemaField};
use crate::source::Span;

fn optional(f: &SchemaField) -> bool {
    f.default.is_some() || f.nullable
}

fn policy_name(c: Compatibility) -> &'static str {
    match c {
        Compatibility::Backward => "backward",
        Compatibility::Forward => "forward",
        Compatibility::Full => "full",
        Compatibility::None => "none",
    }
}

/// What breaks when `reader` decodes data written with `writer`, and what the
/// declared policy forbids in the change from the older to the newer version.
/// Each item is (what, where, whether it is the reader's own decoding failure
/// rather than the registry's judgement of the change).
fn breaks(reader: &Schema, writer: &Schema, policy: Compatibility) -> Vec<(String, Span, bool)> {
    let (old, new) = if reader.version < writer.version {
        (reader, writer)
    } else {
        (writer, reader)
    };
    let mut out: Vec<(String, Span, bool)> = Vec::new();
    let mut push = |msg: String, span: Span, decoding: bool| {
        if !out.iter().any(|(_, s, _)| *s == span) {
            out.push((msg, span, decoding));
        }
    };
    let added: Vec<&SchemaField> = new
        .fields
        .iter()
        .filter(|f| old.field(&f.name.name).is_none())
        .collect();
    let removed: Vec<&SchemaField> = old
        .fields
        .iter()
        .filter(|f| new.field(&f.name.name).is_none())
        .collect();
    let renamed = |f: &SchemaField| {
        added
            .iter()
            .find(|a| a.ty == f.ty)
            .map(|a| format!(" (renamed to `{}`?)", a.name.name))
            .unwrap_or_default()
    };
    // Decoding: every field the reader expects is written, or has a default.
    for f in &reader.fields {
        match writer.field(&f.name.name) {
            None if !optional(f) => push(
                format!(
                    "`{}` is in v{} but not in v{}, and has no default{}",
                    f.name.name,
                    reader.version,
                    writer.version,
                    if reader.version < writer.version {
                        renamed(f)
                    } else {
                        String::new()
                    }
                ),
                f.span,
                true,
            ),
            Some(w) if w.ty != f.ty => push(
                format!(
                    "`{}` changes type from {} to {}",
                    f.name.name,
                    old.field(&f.name.name).map(|x| x.ty.as_str()).unwrap_or(""),
                    new.field(&f.name.name).map(|x| x.ty.as_str()).unwrap_or("")
                ),
                new.field(&f.name.name).map(|x| x.span).unwrap_or(f.span),
                true,
            ),
            _ => {}
        }
    }
    // The registry's judgement of the change from old to new.
    let backward = matches!(policy, Compatibility::Backward | Compatibility::Full);
    let forward = matches!(policy, Compatibility::Forward | Compatibility::Full);
    if backward {
        for f in added.iter().filter(|f| !optional(f)) {
            push(
                format!(
                    "`{}` is added in v{} without a default, which {} compatibility forbids",
                    f.name.name,
                    new.version,
                    policy_name(policy)
                ),
                f.span,
                false,
            );
        }
    }
    if forward {
        for f in removed.iter().filter(|f| !optional(f)) {
            push(
                format!(
                    "`{}` is removed in v{} but had no default, which {} compatibility forbids{}",
                    f.name.name,
                    new.version,
                    policy_name(policy),
                    renamed(f)
                ),
                f.span,
                false,
            );
        }
    }
    out
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let d = ctx.design;
    let mut out = Vec::new();
    for (i, node) in d.nodes.iter().enumerate() {
        for (name, version) in &node.reads {
            let Some(version) = version else { continue };
            let Some(r) = ctx.schema_index(&name.name, Some(*version)) else {
                continue;
            };
            let Some(reader) = ctx.schema(r) else {
                continue;
            };
            for e in ctx.data_in.get(i).map(Vec::as_slice).unwrap_or(&[]) {
                let Some(flow) = ctx.flow(e.flow) else {
                    continue;
                };
                // What the edge delivers: its `carries`, else what its source holds.
                let (w, fed_span) = match &flow.carries {
                    Some((n, v)) if n.name == name.name => (ctx.schema_index(&n.name, *v), n.span),
                    Some(_) => continue,
                    None => (ctx.schema_at.get(e.src).copied().flatten(), flow.span),
                };
                let Some(writer) = w.and_then(|w| ctx.schema(w)) else {
                    continue;
                };
                if writer.name.name != reader.name.name || writer.version == reader.version {
                    continue;
                }
                let newer = if writer.version > reader.version {
                    writer
                } else {
                    reader
                };
                let older = if writer.version > reader.version {
                    reader
                } else {
                    writer
                };
                let policy = newer
                    .evolution
                    .as_ref()
                    .or(older.evolution.as_ref())
                    .map(|e| e.compatibility)
                    .unwrap_or(Compatibility::None);
                let problems = breaks(reader, writer, policy);
                if problems.is_empty() {
                    continue;
                }
                // What breaks: the declared policy itself (the registry would
                // refuse the change), or only this reader, which the policy
                // does not protect (an old reader under backward compatibility,
                // a new one under forward).
                let policy_broken = problems.iter().any(|(_, _, decoding)| !decoding);
                let old_reader = reader.version < writer.version;
                let why = if policy_broken {
                    format!(
                        "and the change breaks the declared {} compatibility",
                        policy_name(policy)
                    )
                } else {
                    let (who, needs) = if old_reader {
                        ("an older reader", "forward")
                    } else {
                        ("a newer reader", "backward")
                    };
                    let declared = match policy {
                        Compatibility::None => "the schema declares no compatibility".to_string(),
                        p => format!(
                            "the change keeps {} compatibility, which does not protect it",
                            policy_name(p)
                        ),
                    };
                    format!(
                        "which it cannot decode: it is {who}, which needs {needs} compatibility, and {declared}"
                    )
                };
                let mut diag = ctx
                    .diag(
                        "incompatible-schema-change",
                        name.span,
                        format!(
                            "`{}` reads `{} v{}` but is fed `v{}`, {why}",
                            node.name.name, reader.name.name, reader.version, writer.version
                        ),
                    )
                    .label(format!("reads v{}", reader.version))
                    .also(
                        ctx.file,
                        fed_span,
                        format!("fed v{} from `{}`", writer.version, ctx.name(e.src)),
                    );
                for (msg, span, _) in &problems {
                    diag = diag.also(ctx.file, *span, msg.clone());
                }
                let help = if !policy_broken && old_reader {
                    format!(
                        "move `{}` to `reads {} v{}`, or keep the fields it needs in v{} (a rename is a removal plus an addition) until every reader has moved; `evolution full` makes the registry refuse such a change",
                        node.name.name, reader.name.name, writer.version, writer.version
                    )
                } else {
                    format!(
                        "give new fields a default (`... default 0`), keep removed fields until every reader moves to v{}, or send the breaking version to a new topic",
                        newer.version
                    )
                };
                out.push(Finding::new(diag.with_help(help), vec![i, e.src]));
            }
        }
    }
    out
}

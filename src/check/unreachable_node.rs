//! unreachable-node: step 4 — boxes and arrows. A node no flow reaches, or a
//! source whose data goes nowhere, is a box the design forgot to connect.

use super::{Ctx, Finding};
use crate::model::RoleKind;

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let n = ctx.design.nodes.len();
    // A node is reached by an arrow pointing at it or by data moving into it
    // (`flow enrich -> profiles read lookup` reaches `profiles` and feeds `enrich`).
    let mut arrows_in = vec![0usize; n];
    let mut arrows_out = vec![0usize; n];
    for f in &ctx.design.flows {
        if let Some(c) = arrows_in.get_mut(f.to) {
            *c += 1;
        }
        if let Some(c) = arrows_out.get_mut(f.from) {
            *c += 1;
        }
    }
    let mut out = Vec::new();
    for (i, node) in ctx.design.nodes.iter().enumerate() {
        if ctx.kind(i) == Some(RoleKind::Control) {
            continue;
        }
        let ins =
            ctx.data_in.get(i).map(Vec::len).unwrap_or(0) + arrows_in.get(i).copied().unwrap_or(0);
        let outs = ctx.data_out.get(i).map(Vec::len).unwrap_or(0)
            + arrows_out.get(i).copied().unwrap_or(0);
        // A service that data flows into and out of nothing is where the data
        // ends (a pager, a partner's channel manager), not a source feeding
        // nothing.
        let origin = node.is_source || (ctx.kind(i) == Some(RoleKind::Origin) && ins == 0);
        let (message, label, help) = if ins == 0 && outs == 0 {
            (
                format!("node `{}` is not connected to any flow", node.name.name),
                "no flow in or out",
                if origin {
                    format!(
                        "connect it with `flow {} -> ...` or remove it",
                        node.name.name
                    )
                } else {
                    format!(
                        "connect it with `flow a -> {}` or remove it",
                        node.name.name
                    )
                },
            )
        } else if origin && outs == 0 {
            (
                format!("source `{}` feeds nothing", node.name.name),
                "its data goes nowhere",
                format!("add `flow {} -> ...`, or remove the source", node.name.name),
            )
        } else if !origin && ins == 0 {
            (
                format!("no flow brings data into `{}`", node.name.name),
                "nothing flows into it",
                format!(
                    "add the flow that fills it (`flow job -> {} write upsert(key)`), or declare it with `source` if another team fills it",
                    node.name.name
                ),
            )
        } else {
            continue;
        };
        out.push(Finding::new(
            ctx.diag("unreachable-node", node.name.span, message)
                .label(label)
                .with_help(help),
            vec![i],
        ));
    }
    out
}

//! uncovered-failure: step 7 and anti-pattern 7 — "a design without a failure story
//! is not production-ready". Every node on a declared path needs a `failure` block.

use super::{Ctx, Finding};
use std::collections::BTreeSet;

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let d = ctx.design;
    let covered: BTreeSet<usize> = d.failures.iter().map(|f| f.node).collect();
    let mut out = Vec::new();
    let mut reported = BTreeSet::new();
    for p in &d.paths {
        for h in &p.hops {
            if covered.contains(h) || !reported.insert(*h) {
                continue;
            }
            out.push(Finding::new(
                ctx.diag(
                    "uncovered-failure",
                    ctx.name_span(*h),
                    format!("`{}` is on path `{}` but has no failure mode", ctx.name(*h), p.name.name),
                )
                .label("what happens when this fails?")
                .also(ctx.file, p.name.span, "the path")
                .with_help(format!(
                    "add `failure {} {{ cause \"...\"  effect \"...\"  detect METRIC > THRESHOLD  recover ... within TIME }}`",
                    ctx.name(*h)
                )),
                vec![*h],
            ));
        }
    }
    if d.paths.is_empty() && d.failures.is_empty() && !d.nodes.is_empty() {
        out.push(Finding::new(
            ctx.diag(
                "uncovered-failure",
                d.name.span,
                format!("design `{}` discusses no failure modes", d.name.name),
            )
            .label("no `failure` block and no `path`")
            .with_help("name the critical path with `path NAME = a -> b -> c` and give each node on it a `failure` block"),
            Vec::new(),
        ));
    }
    out
}

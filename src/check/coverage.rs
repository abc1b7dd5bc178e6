//! Framework coverage: which of the reference's seven steps a design covers, with
//! what, and what is missing. `dsd check --coverage` prints it.

use crate::model::{Design, RoleKind};
use std::collections::BTreeSet;

pub struct Step {
    pub number: u8,
    pub name: &'static str,
    pub with: Vec<String>,
    pub missing: Vec<String>,
}

impl Step {
    pub fn covered(&self) -> bool {
        self.missing.is_empty()
    }
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn step(number: u8, name: &'static str, with: Vec<String>, missing: Vec<String>) -> Step {
    Step {
        number,
        name,
        with,
        missing,
    }
}

pub fn coverage(d: &Design, catalogue: &crate::model::Catalogue) -> Vec<Step> {
    let r = &d.requirements;
    let mut have = Vec::new();
    let mut lack = Vec::new();
    let facts: [(&str, bool); 9] = [
        ("volume", r.volume.is_some()),
        ("peak", r.peak.is_some()),
        ("latency", !r.latency.is_empty() || !r.freshness.is_empty()),
        ("delivery", r.delivery.is_some()),
        ("retention", !r.retention.is_empty()),
        ("team", r.team.is_some()),
        ("growth", r.growth.is_some()),
        ("cost", r.cost.is_some()),
        ("compliance", !r.compliance.is_empty()),
    ];
    for (i, (name, present)) in facts.iter().enumerate() {
        if *present {
            have.push(name.to_string());
        } else if i < 6 {
            lack.push(format!("no `{name}`"));
        }
    }
    let mut steps = vec![step(1, "requirements", have, lack)];

    let lets = if d.lets.is_empty() {
        Vec::new()
    } else {
        vec![count(d.lets.len(), "capacity estimate")]
    };
    let mut lets = lets;
    let mut no_lets = if d.lets.is_empty() {
        vec!["no `let` estimates".to_string()]
    } else {
        Vec::new()
    };
    // Where each source's rate comes from; a source with none whose records
    // reach a node sized by its rate leaves that node's check short.
    let ctx = crate::flow::Ctx::new(d, catalogue);
    let near = ctx.nearest_sized();
    // With no rate anywhere, step 1's missing `volume` is the gap.
    let some_rate = ctx.rates.from.iter().any(Option::is_some);
    for i in 0..d.nodes.len() {
        if ctx.rates.is_origin.get(i) != Some(&true) {
            continue;
        }
        match ctx.rates.from.get(i).copied().flatten() {
            Some(from) => lets.push(format!("`{}` rate: {}", ctx.name(i), from.short())),
            None if some_rate && near.get(i).is_some_and(Option::is_some) => {
                no_lets.push(format!("no rate for `{}`", ctx.name(i)))
            }
            None => {}
        }
    }
    steps.push(step(2, "capacity", lets, no_lets));

    let with: Vec<String> = d
        .schemas
        .iter()
        .map(|s| format!("{} v{}", s.name.name, s.version))
        .collect();
    let mut missing: Vec<String> = d
        .schemas
        .iter()
        .filter(|s| s.evolution.is_none())
        .map(|s| format!("`{} v{}` has no evolution policy", s.name.name, s.version))
        .collect();
    if d.schemas.is_empty() {
        missing.push("no schema".into());
    }
    steps.push(step(3, "data model", with, missing));

    let mut with = vec![count(d.nodes.len(), "node"), count(d.flows.len(), "flow")];
    if !d.paths.is_empty() {
        with.push(count(d.paths.len(), "path"));
    }
    if !d.layers.is_empty() {
        with.push(count(d.layers.len(), "layer"));
    }
    let mut missing = Vec::new();
    if d.flows.is_empty() {
        missing.push("no flows".into());
    }
    if d.paths.is_empty() {
        missing.push("no named `path`".into());
    }
    steps.push(step(4, "architecture", with, missing));

    let with = if d.uses.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "{} with trade-offs",
            count(d.uses.len(), "tool choice")
        )]
    };
    let untooled: Vec<String> = d
        .nodes
        .iter()
        .filter(|n| {
            n.tool.is_none()
                && catalogue
                    .roles
                    .get(&n.role)
                    .is_some_and(|r| r.kind != RoleKind::Origin)
        })
        .map(|n| format!("no tool for `{}`", n.name.name))
        .collect();
    steps.push(step(5, "components", with, untooled));

    let kinds: BTreeSet<&str> = d.hard_problems.iter().map(|h| h.kind.keyword()).collect();
    let with: Vec<String> = kinds.iter().map(|k| k.to_string()).collect();
    let missing = if with.is_empty() {
        vec!["no hard problem named (late_data, dedup, backfill, schema_change, …)".to_string()]
    } else {
        Vec::new()
    };
    steps.push(step(6, "hard problems", with, missing));

    let covered: BTreeSet<usize> = d.failures.iter().map(|f| f.node).collect();
    let with = if d.failures.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "{} of {} nodes have a failure mode",
            covered.len(),
            d.nodes.len()
        )]
    };
    let ctx = super::Ctx::new(d, catalogue);
    let mut missing: Vec<String> = super::uncovered_failure::needs_failure(&ctx)
        .into_iter()
        .filter(|(i, _)| !covered.contains(i))
        .filter_map(|(i, _)| d.nodes.get(i))
        .map(|n| format!("no failure mode for `{}`", n.name.name))
        .collect();
    if d.failures.is_empty() {
        missing.push("no failure modes".into());
    }
    steps.push(step(7, "failure modes", with, missing));
    steps
}

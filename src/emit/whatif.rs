//! `dsd what-if`: each scenario's figures and the promises it checks, as
//! Markdown and as JSON (figures in the shape of `dsd report`'s, written by the
//! same code).

use crate::whatif::Outcome;
use serde_json::{Value, json};

/// One design's scenarios.
pub struct Design<'a> {
    pub name: &'a str,
    pub outcomes: &'a [Outcome],
}

fn cell(text: &str) -> String {
    super::markdown::cell(text)
}

pub fn markdown(designs: &[Design<'_>]) -> String {
    let mut out = String::new();
    for d in designs {
        out.push_str(&format!("# What if: {}\n\n", super::markdown::code(d.name)));
        for o in d.outcomes {
            let broken = o.verdicts.iter().filter(|v| !v.ok).count();
            out.push_str(&format!(
                "## {}{}\n\n",
                super::markdown::text(&o.scenario),
                match broken {
                    0 if o.verdicts.is_empty() => String::new(),
                    0 => " — every promise holds".into(),
                    1 => " — **1 promise broken**".into(),
                    n => format!(" — **{n} promises broken**"),
                }
            ));
            if o.figures.iter().any(|f| f.value.is_ok()) {
                super::report::figure_table(&mut out, &o.figures);
                out.push('\n');
            }
            if !o.verdicts.is_empty() {
                out.push_str("| promise | holds | arithmetic |\n|---|---|---|\n");
                for v in &o.verdicts {
                    out.push_str(&format!(
                        "| {} | {} | {} |\n",
                        cell(&v.label),
                        if v.ok { "yes" } else { "**no**" },
                        cell(&v.derivation)
                    ));
                }
                out.push('\n');
            }
            for n in &o.notes {
                out.push_str(&format!("- {}\n", super::markdown::text(n)));
            }
            if !o.notes.is_empty() {
                out.push('\n');
            }
            if o.figures.iter().any(|f| f.value.is_err()) {
                out.push_str("Not computed:\n\n");
                super::report::not_computed(&mut out, &o.figures);
                out.push('\n');
            }
        }
    }
    out
}

pub fn json(designs: &[Design<'_>]) -> String {
    let doc: Vec<Value> = designs
        .iter()
        .map(|d| {
            json!({
                "design": d.name,
                "scenarios": d.outcomes.iter().map(|o| json!({
                    "scenario": o.scenario,
                    "ok": o.verdicts.iter().all(|v| v.ok),
                    "figures": o.figures.iter().map(super::report::figure).collect::<Vec<_>>(),
                    "notes": o.notes,
                    "promises": o.verdicts.iter().map(|v| json!({
                        "id": v.id,
                        "label": v.label,
                        "ok": v.ok,
                        "derivation": v.derivation,
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&json!({ "designs": doc })).unwrap_or_default();
    s.push('\n');
    s
}

//! `dsd what-if`: each scenario's figures and the promises it checks, as
//! Markdown and as JSON (figures in the shape of `dsd report`'s).

use crate::sizing::{Figure, json_unit, json_value};
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
            let shown: Vec<&Figure> = o.figures.iter().filter(|f| f.value.is_ok()).collect();
            if !shown.is_empty() {
                out.push_str("| figure | value | derivation |\n|---|---|---|\n");
                for f in shown {
                    if let Ok(v) = &f.value {
                        out.push_str(&format!(
                            "| {} | {} | {} |\n",
                            cell(&f.label),
                            cell(&v.display()),
                            cell(&f.derivation)
                        ));
                    }
                }
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
            let missing: Vec<&Figure> = o.figures.iter().filter(|f| f.value.is_err()).collect();
            if !missing.is_empty() {
                out.push_str("Not computed:\n\n");
                for f in missing {
                    if let Err(why) = &f.value {
                        out.push_str(&format!(
                            "- {}: {}\n",
                            super::markdown::text(&f.label),
                            super::markdown::text(why)
                        ));
                    }
                }
                out.push('\n');
            }
        }
    }
    out
}

fn figure(f: &Figure) -> Value {
    match &f.value {
        Ok(v) => json!({
            "id": f.id,
            "label": f.label,
            "value": json_value(v.mid(), v.dim),
            "low": json_value(v.lo, v.dim),
            "high": json_value(v.hi, v.dim),
            "unit": json_unit(v.dim),
            "display": v.display(),
            "derivation": f.derivation,
        }),
        Err(why) => json!({
            "id": f.id,
            "label": f.label,
            "value": Value::Null,
            "low": Value::Null,
            "high": Value::Null,
            "unit": Value::Null,
            "display": "not computed",
            "derivation": "",
            "error": why,
        }),
    }
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
                    "figures": o.figures.iter().map(figure).collect::<Vec<_>>(),
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

//! `dsd diff` as a pull-request comment (Markdown) and for bots (JSON).

use super::markdown::code;
use crate::diff::{Changes, DesignDiff, Moved};
use crate::sizing::{json_unit, json_value};
use crate::units::{Quantity, format_number};
use serde_json::{Value, json};

/// User text (and messages that quote it) as inert Markdown, in a table cell
/// or in running text: see `markdown.rs`.
use super::markdown::{cell, text};

fn shown(q: &Option<Quantity>) -> String {
    q.as_ref()
        .map(Quantity::display)
        .unwrap_or_else(|| "—".into())
}

/// `+6.42 $/month (+100%)`, in the figure's own unit.
fn delta_text(m: &Moved) -> (String, String) {
    let (Some(d), Some(n)) = (m.delta(), m.new.as_ref()) else {
        return (String::new(), String::new());
    };
    let mut q = n.clone();
    q.lo = d.abs();
    q.hi = d.abs();
    let sign = if d < 0.0 { "−" } else { "+" };
    let pct = m
        .percent()
        .map(|p| {
            format!(
                "{}{}%",
                if p < 0.0 { "−" } else { "+" },
                format_number((p.abs() * 10.0).round() / 10.0)
            )
        })
        .unwrap_or_else(|| "new".into());
    (format!("{sign}{}", q.display()), pct)
}

fn changes(out: &mut String, title: &str, c: &Changes) {
    if c.is_empty() {
        return;
    }
    out.push_str(&format!("\n**{title}**\n\n"));
    for a in &c.added {
        out.push_str(&format!("- added: {}\n", code(a)));
    }
    for r in &c.removed {
        out.push_str(&format!("- removed: {}\n", code(r)));
    }
    for ch in &c.changed {
        out.push_str(&format!("- changed: {}\n", text(ch)));
    }
}

pub fn markdown(diffs: &[DesignDiff]) -> String {
    let mut out = String::from("## dsd diff\n");
    let changed: Vec<&DesignDiff> = diffs.iter().filter(|d| !d.is_empty()).collect();
    if changed.is_empty() {
        out.push_str("\nNo design changed.\n");
        return out;
    }
    for d in changed {
        out.push_str(&format!("\n### {} ({})\n\n", code(&d.name), text(d.status)));
        if let Some(c) = &d.cost {
            let (delta, pct) = delta_text(c);
            if delta.is_empty() {
                out.push_str(&format!(
                    "**{}:** {} → {}\n\n",
                    text(&c.label),
                    text(&shown(&c.old)),
                    text(&shown(&c.new))
                ));
            } else {
                out.push_str(&format!(
                    "**{}:** {} → {} ({}, {})\n\n",
                    text(&c.label),
                    text(&shown(&c.old)),
                    text(&shown(&c.new)),
                    text(&delta),
                    text(&pct)
                ));
            }
        }
        if d.bottleneck.0 != d.bottleneck.1 || d.bottleneck.1.is_some() {
            out.push_str(&format!(
                "**First bottleneck:** {} → {}\n",
                text(d.bottleneck.0.as_deref().unwrap_or("none")),
                text(d.bottleneck.1.as_deref().unwrap_or("none"))
            ));
        }
        if !d.new_findings.is_empty() || !d.fixed_findings.is_empty() {
            out.push_str("\n**Findings**\n\n");
            for f in &d.new_findings {
                out.push_str(&format!(
                    "- new {} `{}`: {}\n",
                    f.severity,
                    f.code,
                    text(&f.message)
                ));
            }
            for f in &d.fixed_findings {
                out.push_str(&format!("- fixed `{}`: {}\n", f.code, text(&f.message)));
            }
        }
        changes(&mut out, "Nodes", &d.nodes);
        changes(&mut out, "Flows", &d.flows);
        changes(&mut out, "Tools and trade-offs", &d.tools);
        if !d.figures.is_empty() {
            out.push_str("\n**Figures that moved**\n\n| figure | old | new | delta | % |\n|---|---|---|---|---|\n");
            for m in &d.figures {
                let (delta, pct) = delta_text(m);
                out.push_str(&format!(
                    "| {} | {} | {} | {} | {} |\n",
                    cell(&m.label),
                    cell(&shown(&m.old)),
                    cell(&shown(&m.new)),
                    cell(&delta),
                    cell(&pct)
                ));
            }
        }
    }
    out
}

fn q_json(q: &Option<Quantity>) -> Value {
    match q {
        Some(q) => json!(json_value(q.mid(), q.dim)),
        None => Value::Null,
    }
}

fn moved_json(m: &Moved) -> Value {
    let unit = m.new.as_ref().or(m.old.as_ref()).map(|q| json_unit(q.dim));
    let dim = m.new.as_ref().or(m.old.as_ref()).map(|q| q.dim);
    json!({
        "id": m.id,
        "label": m.label,
        "old": q_json(&m.old),
        "new": q_json(&m.new),
        "delta": match (m.delta(), dim) { (Some(d), Some(dim)) => json!(json_value(d, dim)), _ => Value::Null },
        "percent": m.percent().map(|p| json!(p)).unwrap_or(Value::Null),
        "unit": unit,
    })
}

fn changes_json(c: &Changes) -> Value {
    json!({ "added": c.added, "removed": c.removed, "changed": c.changed })
}

pub fn json(diffs: &[DesignDiff]) -> String {
    let designs: Vec<Value> = diffs
        .iter()
        .map(|d| {
            let f = |v: &Vec<crate::diff::Finding>| -> Vec<Value> {
                v.iter()
                    .map(
                        |x| json!({ "code": x.code, "severity": x.severity, "message": x.message }),
                    )
                    .collect()
            };
            json!({
                "design": d.name,
                "status": d.status,
                "cost": d.cost.as_ref().map(moved_json),
                "first_bottleneck": { "old": d.bottleneck.0, "new": d.bottleneck.1 },
                "findings": { "new": f(&d.new_findings), "fixed": f(&d.fixed_findings) },
                "nodes": changes_json(&d.nodes),
                "flows": changes_json(&d.flows),
                "tools": changes_json(&d.tools),
                "figures": d.figures.iter().map(moved_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&json!({ "designs": designs })).unwrap_or_default();
    s.push('\n');
    s
}

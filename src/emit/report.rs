//! The sizing report of `dsd report`, as Markdown and as JSON.

use crate::sizing::{Report, Section, json_unit, json_value};
use crate::units::format_number;
use serde_json::{Value, json};

/// User text (and labels and derivations that quote it) as inert Markdown: see
/// `markdown.rs`.
fn cell(text: &str) -> String {
    super::markdown::cell(text)
}

fn factor(v: f64) -> String {
    if v.is_finite() {
        format!("{}x", format_number((v * 100.0).round() / 100.0))
    } else {
        "unbounded".into()
    }
}

/// One design's report as a Markdown document, ready to read or post.
pub fn markdown(r: &Report) -> String {
    let mut out = format!("# Sizing report: {}\n\n", super::markdown::code(&r.design));
    if r.scale != 1.0 {
        out.push_str(&format!(
            "Load scaled to {} of the requirements (`--scale`).\n\n",
            factor(r.scale)
        ));
    }
    match &r.first_bottleneck {
        Some(b) => out.push_str(&format!(
            "**First bottleneck:** {} at {} the {}load{}.\n\n",
            super::markdown::text(&b.label),
            factor(b.factor),
            if r.scale != 1.0 { "original " } else { "" },
            if b.within_horizon {
                format!(
                    " — within the growth to {} this design must absorb",
                    factor(b.horizon)
                )
            } else {
                format!(
                    ", beyond the growth to {} looked ahead to",
                    factor(b.horizon)
                )
            }
        )),
        None => out.push_str("No capacity check can be computed from this design.\n\n"),
    }
    for section in Section::ALL {
        let rows: Vec<_> = r
            .figures
            .iter()
            .filter(|f| f.section == section && f.value.is_ok())
            .collect();
        if rows.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "## {}\n\n| figure | value | derivation |\n|---|---|---|\n",
            section.title()
        ));
        for f in rows {
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
    if !r.checks.is_empty() {
        out.push_str("## Needed against provided\n\n| check | needed | provided | ok | headroom | derivation |\n|---|---|---|---|---|---|\n");
        for c in &r.checks {
            // Bytes read in bytes' own units (`25 GB`), counts with their noun.
            let (needed, provided) = if !(c.needed.is_finite() && c.provided.is_finite()) {
                ("not computed".to_string(), "—".to_string())
            } else if c.unit == "bytes" {
                let b = |v: f64| {
                    crate::units::Quantity::at(v, crate::units::Dimension::BYTES).display()
                };
                (b(c.needed), b(c.provided))
            } else {
                let unit = if c.needed == 1.0 {
                    c.unit.trim_end_matches('s')
                } else {
                    c.unit
                };
                (
                    format!("{} {unit}", format_number(c.needed)),
                    format_number(c.provided),
                )
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                cell(&c.label),
                cell(&needed),
                cell(&provided),
                if c.ok { "yes" } else { "**no**" },
                if c.runs_out_within_growth {
                    format!(
                        "{}: runs out inside the growth of {}",
                        factor(c.headroom),
                        factor(r.horizon)
                    )
                } else {
                    factor(c.headroom)
                },
                cell(&c.derivation)
            ));
        }
        out.push('\n');
    }
    let missing: Vec<_> = r.figures.iter().filter(|f| f.value.is_err()).collect();
    if !missing.is_empty() {
        out.push_str("## Not computed\n\n");
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
    out
}

/// One design's report as the public JSON object.
pub fn json(r: &Report) -> Value {
    let figures: Vec<Value> = r
        .figures
        .iter()
        .map(|f| match &f.value {
            Ok(v) => json!({
                "id": f.id,
                "label": f.label,
                "section": f.section.title(),
                "value": json_value(v.mid(), v.dim),
                "low": json_value(v.lo, v.dim),
                "high": json_value(v.hi, v.dim),
                "unit": json_unit(v.dim),
                "display": v.display(),
                "derivation": f.derivation,
                "inputs": f.inputs,
            }),
            Err(why) => json!({
                "id": f.id,
                "label": f.label,
                "section": f.section.title(),
                "value": Value::Null,
                "low": Value::Null,
                "high": Value::Null,
                "unit": Value::Null,
                "display": "not computed",
                "derivation": "",
                "inputs": f.inputs,
                "error": why,
            }),
        })
        .collect();
    let checks: Vec<Value> = r
        .checks
        .iter()
        .map(|c| {
            let mut v = json!({
                "id": c.id,
                "label": c.label,
                "needed": c.needed,
                "provided": c.provided,
                "unit": c.unit,
                "ok": c.ok,
                "headroom": if c.headroom.is_finite() { json!(c.headroom) } else { Value::Null },
                "binding": c.binding,
                "runs_out_within_growth": c.runs_out_within_growth,
                "derivation": c.derivation,
            });
            if !(c.needed.is_finite() && c.provided.is_finite()) {
                v["error"] = json!(crate::sizing::TOO_LARGE);
            }
            v
        })
        .collect();
    let bottleneck = r.first_bottleneck.as_ref().map(|b| {
        json!({
            "check": b.check,
            "label": b.label,
            "factor": b.factor,
            "horizon": b.horizon,
            "within_horizon": b.within_horizon,
        })
    });
    json!({
        "design": r.design,
        "scale": r.scale,
        "figures": figures,
        "checks": checks,
        "first_bottleneck": bottleneck,
    })
}

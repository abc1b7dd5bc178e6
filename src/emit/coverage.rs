//! The framework-coverage table of `dsd check --coverage`, as text and as JSON.

use crate::check::coverage::Step;
use serde_json::{Value, json};

/// One design's coverage, for people.
pub fn human(design: &str, file: &str, steps: &[Step]) -> String {
    let covered = steps.iter().filter(|s| s.covered()).count();
    let mut out = format!(
        "coverage of `{design}` ({file}): {covered} of {} steps\n",
        steps.len()
    );
    for s in steps {
        let mark = if s.covered() { "✓" } else { "✗" };
        let mut detail = s.with.join(", ");
        if !s.missing.is_empty() {
            if !detail.is_empty() {
                detail.push_str("; ");
            }
            detail.push_str("missing: ");
            detail.push_str(&s.missing.join(", "));
        }
        out.push_str(&format!("  {mark} {} {:<14} {detail}\n", s.number, s.name));
    }
    out
}

/// One design's coverage, for machines.
pub fn json(design: &str, file: &str, steps: &[Step]) -> Value {
    let steps: Vec<Value> = steps
        .iter()
        .map(|s| {
            json!({
                "step": s.number,
                "name": s.name,
                "covered": s.covered(),
                "with": s.with,
                "missing": s.missing,
            })
        })
        .collect();
    json!({ "design": design, "file": file, "steps": steps })
}

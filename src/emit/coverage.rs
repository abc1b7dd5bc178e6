//! The framework-coverage table of `dsd check --coverage`, as text and as JSON.

use crate::check::coverage::Step;
use schemars::JsonSchema;
use serde::Serialize;

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

/// How far one design covers the seven steps of the design framework (`dsd
/// check --coverage`).
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Coverage {
    /// The design's name.
    pub design: String,
    /// The file that declares the design, as dsd was given it.
    pub file: String,
    /// The seven steps, in order (1 to 7).
    pub steps: Vec<CoverageStep>,
}

/// One step of the framework and what the design has and lacks for it.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct CoverageStep {
    /// The step's number, 1 to 7.
    #[schemars(range(min = 1, max = 7))]
    pub step: u8,
    /// The step's name: `requirements`, `capacity`, `data model`,
    /// `architecture`, `components`, `hard problems` or `failure modes`.
    pub name: String,
    /// Whether the step is covered: true exactly when `missing` is empty.
    pub covered: bool,
    /// What in the design covers the step, in words ("volume", "10 capacity
    /// estimates", "Payment v2"); may be empty.
    pub with: Vec<String>,
    /// What the step still lacks, in words ("no `team`", "no failure mode
    /// for `fraud`"); empty when the step is covered.
    pub missing: Vec<String>,
}

/// One design's coverage, for machines.
pub fn json(design: &str, file: &str, steps: &[Step]) -> Coverage {
    Coverage {
        design: design.to_string(),
        file: file.to_string(),
        steps: steps
            .iter()
            .map(|s| CoverageStep {
                step: s.number,
                name: s.name.to_string(),
                covered: s.covered(),
                with: s.with.clone(),
                missing: s.missing.clone(),
            })
            .collect(),
    }
}

//! `dsd what-if`: each scenario's figures and the promises it checks, as
//! Markdown and as JSON (figures in the shape of `dsd report`'s, written by the
//! same code).

use crate::whatif::Outcome;
use schemars::JsonSchema;
use serde::Serialize;

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

/// `dsd what-if --format json`: every design's scenarios.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "WhatIfOutput", deny_unknown_fields)]
pub struct JsonWhatIf<'a> {
    /// One entry per design, in the order of the files and designs given.
    pub designs: Vec<JsonDesign<'a>>,
}

/// One design's scenarios.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "WhatIfDesign", deny_unknown_fields)]
pub struct JsonDesign<'a> {
    /// The design's name.
    pub design: &'a str,
    /// Each scenario run, in the order given (the command line, `dsd.toml`'s
    /// `[what-if] scenarios`, else one outage per failure block).
    pub scenarios: Vec<JsonScenario<'a>>,
}

/// What one scenario does to the design.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Scenario", deny_unknown_fields)]
pub struct JsonScenario<'a> {
    /// The scenario in words: `` `fraud` down for 4 h at peak ``.
    pub scenario: &'a str,
    /// Whether every promise it checks holds; `dsd what-if` exits 1 when one
    /// does not.
    pub ok: bool,
    /// Its figures, in the shape of `dsd report`'s (ids start `down.`,
    /// `lose.`, `replay.`).
    pub figures: Vec<super::report::JsonFigure<'a>>,
    /// What it does that is not a number or a promise: where records wait,
    /// who falls back, what dsd does not model.
    pub notes: &'a [String],
    /// The design's promises the scenario checks.
    pub promises: Vec<JsonPromise<'a>>,
}

/// A promise checked by a scenario: a `recover … within`, a broker's
/// retention, a path's SLA, writes or reads staying available.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Promise", deny_unknown_fields)]
pub struct JsonPromise<'a> {
    /// Stable id: `down.fraud.recovery`, `down.fraud.kept_in.payments`,
    /// `lose.payments.writes`.
    pub id: &'a str,
    /// What is promised, in words; names in the design are in backticks.
    pub label: &'a str,
    /// Whether it holds.
    pub ok: bool,
    /// The arithmetic that decides it.
    pub derivation: &'a str,
}

/// The scenarios of some designs as the public JSON object.
pub fn document<'a>(designs: &'a [Design<'a>]) -> JsonWhatIf<'a> {
    JsonWhatIf {
        designs: designs
            .iter()
            .map(|d| JsonDesign {
                design: d.name,
                scenarios: d
                    .outcomes
                    .iter()
                    .map(|o| JsonScenario {
                        scenario: &o.scenario,
                        ok: o.verdicts.iter().all(|v| v.ok),
                        figures: o.figures.iter().map(super::report::figure).collect(),
                        notes: &o.notes,
                        promises: o
                            .verdicts
                            .iter()
                            .map(|v| JsonPromise {
                                id: &v.id,
                                label: &v.label,
                                ok: v.ok,
                                derivation: &v.derivation,
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

pub fn json(designs: &[Design<'_>]) -> String {
    let mut s = serde_json::to_string_pretty(&document(designs)).unwrap_or_default();
    s.push('\n');
    s
}

//! The sizing report of `dsd report`, as Markdown and as JSON.

use crate::sizing::{Figure, Report, Section, json_unit, json_value};
use crate::units::format_number;
use schemars::JsonSchema;
use serde::Serialize;

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
        out.push_str(&format!("## {}\n\n", section.title()));
        figure_table(&mut out, rows);
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
                    crate::units::singular(c.unit).unwrap_or_else(|| c.unit.to_string())
                } else {
                    c.unit.to_string()
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
        not_computed(&mut out, missing);
        out.push('\n');
    }
    out
}

/// A table of the figures that have a value, `| label | value | derivation |`
/// under its header; `dsd report` and `dsd what-if` write it.
pub(crate) fn figure_table<'f>(out: &mut String, figures: impl IntoIterator<Item = &'f Figure>) {
    out.push_str("| figure | value | derivation |\n|---|---|---|\n");
    for f in figures {
        if let Ok(v) = &f.value {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                cell(&f.label),
                cell(&v.display()),
                cell(&f.derivation)
            ));
        }
    }
}

/// One line per figure that has no value, `- label: why`.
pub(crate) fn not_computed<'f>(out: &mut String, figures: impl IntoIterator<Item = &'f Figure>) {
    for f in figures {
        if let Err(why) = &f.value {
            out.push_str(&format!(
                "- {}: {}\n",
                super::markdown::text(&f.label),
                super::markdown::text(why)
            ));
        }
    }
}

/// A number as JSON writes it: `None` (null) where it is not finite, as
/// serde_json writes an infinite or NaN float.
fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// The output of `dsd report --format json`: one design's report, or an
/// array of reports when the file declares several designs (in the order
/// they are declared). `dsd build --emit json` writes one report per file.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "ReportOutput")]
pub enum ReportOutput<'a> {
    /// The report of the file's one design.
    One(JsonReport<'a>),
    /// The reports of the file's designs, in the order they are declared.
    Many(Vec<JsonReport<'a>>),
}

/// The sizing report of one design: every figure with its derivation, the
/// needed-against-provided checks, and the check that fails first as load
/// grows. Values are in base units: bytes, seconds, counts, per second, and
/// money per month.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Report", deny_unknown_fields)]
pub struct JsonReport<'a> {
    /// The design's name.
    pub design: &'a str,
    /// The factor the design's load was scaled by (`--scale`; 1 without it).
    pub scale: f64,
    /// Every figure, in the report's order (section by section).
    pub figures: Vec<JsonFigure<'a>>,
    /// Needed against provided, for each component with a capacity.
    pub checks: Vec<JsonCheck<'a>>,
    /// The check that fails first as load grows; null when no capacity check
    /// can be computed from the design.
    pub first_bottleneck: Option<JsonBottleneck<'a>>,
}

/// One number of the report, or why it could not be computed.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Figure", deny_unknown_fields)]
pub struct JsonFigure<'a> {
    /// Stable id: `rate.peak`, `broker.payments.write_io`,
    /// `store.raw.retained`, `cost.total`.
    pub id: &'a str,
    /// What the figure is, in words; names in the design are in backticks.
    pub label: &'a str,
    /// The report section (a step of the framework) the figure belongs to,
    /// by its title: `Step 1 — load: event rates`, `Step 2 — storage`,
    /// `Step 2 — cost`, …
    pub section: &'static str,
    /// The value in `unit` (the middle of `low`..`high` for a range); null
    /// when the figure cannot be computed (see `error`).
    pub value: Option<f64>,
    /// The low end of the value's range, in `unit` (equal to `high` for one
    /// number); null when not computed.
    pub low: Option<f64>,
    /// The high end of the value's range, in `unit`; null when not computed.
    pub high: Option<f64>,
    /// The unit of `value`, `low` and `high`: `count`, `count/s`, `B`, `B/s`,
    /// `s`, a currency code (`USD`), `USD/month` (money per month),
    /// `USD/B/month`, or the base units of another dimension; null when not
    /// computed.
    pub unit: Option<String>,
    /// The value as the Markdown report shows it, in readable units
    /// (`2,000 payments/s`, `1.2 TB`); `not computed` when it cannot be.
    pub display: String,
    /// The arithmetic, with its named inputs and their values; empty when not
    /// computed.
    pub derivation: &'a str,
    /// The ids of the figures this one was computed from.
    pub inputs: &'a [String],
    /// Present only when the figure cannot be computed: why, and what to
    /// declare to compute it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub error: Option<&'a str>,
}

/// Needed against provided, for one component's capacity.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Check", deny_unknown_fields)]
pub struct JsonCheck<'a> {
    /// Stable id of the check (`broker.payments.partitions`).
    pub id: &'a str,
    /// What is checked, in words; names in the design are in backticks.
    pub label: &'a str,
    /// How many `unit`s are needed (at peak, for a capacity), in whole units
    /// for counted capacity such as partitions and threads; null when it
    /// overflowed (see `error`).
    pub needed: Option<f64>,
    /// How many units the design provides; null when it overflowed.
    pub provided: Option<f64>,
    /// What `needed` and `provided` count: `partitions`, `threads`,
    /// `instances`, `brokers` or `clusters`; `bytes`; `hours` (an outage's
    /// backlog against a retention); `per month` (money per month, in the cost
    /// ceiling's currency).
    pub unit: &'a str,
    /// Whether what is provided covers what is needed.
    pub ok: bool,
    /// How far load can grow before the check fails: provided ÷ needed,
    /// unrounded (1.5 means 50% more load fits); null when it has no bound
    /// (nothing is needed).
    pub headroom: Option<f64>,
    /// Which limit binds when several are checked (`write records`, `write
    /// bytes`); empty otherwise.
    pub binding: &'a str,
    /// Whether the check runs out inside the growth the report looks ahead to
    /// (`--scale`, else the design's `growth` requirement).
    pub runs_out_within_growth: bool,
    /// The arithmetic, with its named inputs and their values.
    pub derivation: &'a str,
    /// Present only when a figure overflowed on the way: why `needed` or
    /// `provided` is null.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub error: Option<&'static str>,
}

/// The check that fails first as load grows.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Bottleneck", deny_unknown_fields)]
pub struct JsonBottleneck<'a> {
    /// The id of that check (an `id` in `checks`).
    pub check: &'a str,
    /// What runs out, in words (`` `fraud` threads ``).
    pub label: &'a str,
    /// The growth factor of the design's load (unscaled) at which it runs
    /// out: 1.14 means at 114% of the requirements' load.
    pub factor: f64,
    /// The growth the report looks ahead to: `--scale`, else the `growth`
    /// requirement, else 1.
    pub horizon: f64,
    /// Whether `factor` lies within `horizon`: the design must absorb that
    /// growth and will not.
    pub within_horizon: bool,
}

/// One figure as the public JSON object (`dsd report` and `dsd what-if`).
pub fn figure(f: &Figure) -> JsonFigure<'_> {
    match &f.value {
        Ok(v) => JsonFigure {
            id: &f.id,
            label: &f.label,
            section: f.section.title(),
            value: finite(json_value(v.mid(), v.dim)),
            low: finite(json_value(v.lo, v.dim)),
            high: finite(json_value(v.hi, v.dim)),
            unit: Some(json_unit(v.dim)),
            display: v.display(),
            derivation: &f.derivation,
            inputs: &f.inputs,
            error: None,
        },
        Err(why) => JsonFigure {
            id: &f.id,
            label: &f.label,
            section: f.section.title(),
            value: None,
            low: None,
            high: None,
            unit: None,
            display: "not computed".into(),
            derivation: "",
            inputs: &f.inputs,
            error: Some(why),
        },
    }
}

/// One design's report as the public JSON object.
pub fn json(r: &Report) -> JsonReport<'_> {
    let figures = r.figures.iter().map(figure).collect();
    let checks = r
        .checks
        .iter()
        .map(|c| {
            let overflowed = !(c.needed.is_finite() && c.provided.is_finite());
            JsonCheck {
                id: &c.id,
                label: &c.label,
                needed: finite(c.needed),
                provided: finite(c.provided),
                unit: c.unit,
                ok: c.ok,
                headroom: finite(c.headroom),
                binding: &c.binding,
                runs_out_within_growth: c.runs_out_within_growth,
                derivation: &c.derivation,
                error: overflowed.then_some(crate::sizing::TOO_LARGE),
            }
        })
        .collect();
    let first_bottleneck = r.first_bottleneck.as_ref().map(|b| JsonBottleneck {
        check: &b.check,
        label: &b.label,
        factor: b.factor,
        horizon: b.horizon,
        within_horizon: b.within_horizon,
    });
    JsonReport {
        design: &r.design,
        scale: r.scale,
        figures,
        checks,
        first_bottleneck,
    }
}

/// The JSON document of `dsd report --format json` for a file's reports: the
/// one report as an object, several as an array; pretty-printed, with a
/// trailing newline.
pub fn render(reports: &[Report]) -> String {
    let mut all: Vec<JsonReport> = reports.iter().map(json).collect();
    let doc = if all.len() == 1 {
        match all.pop() {
            Some(one) => ReportOutput::One(one),
            None => ReportOutput::Many(Vec::new()),
        }
    } else {
        ReportOutput::Many(all)
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

//! The bill as the design grows. `growth 2x` gives the monthly bill at twice
//! today's load; `growth 2x/year` gives it for years 2 and 3 (year 1 is today).
//! Each grown bill is the whole design compiled again with volume and peak
//! multiplied, so a cluster that needs another broker, a tier that fills and a
//! fixed cost that does not grow are each what they would be, not today's bill
//! times the factor.

use super::{Figure, Report, Section};
use crate::model::Design;
use crate::units::{Quantity, YEAR, format_number};

/// A grown bill beyond this factor is not computed: the load it describes is
/// not a design any more, and the arithmetic would only mislead.
const MAX_FACTOR: f64 = 1e9;

/// The load factors the bill is shown at, each with its figure id and label.
fn steps(design: &Design) -> Vec<(f64, String, String)> {
    let r = &design.requirements;
    let Some(g) = r.growth.as_ref().map(|g| g.value.hi) else {
        return Vec::new();
    };
    if !(g.is_finite() && g > 1.0) {
        return Vec::new();
    }
    match r.growth_per {
        None => vec![(
            g,
            "cost.at_growth".into(),
            format!("Monthly cost at {}x growth", format_number(g)),
        )],
        Some(per) => {
            let per_year = g.powf(YEAR / f64::from(per.seconds.max(1)));
            (2..=3)
                .map(|year| {
                    (
                        per_year.powi(year - 1),
                        format!("cost.year.{year}"),
                        format!("Monthly cost in year {year}"),
                    )
                })
                .collect()
        }
    }
}

/// Adds the bill at each step to `base`, the report at today's load. `grown`
/// sizes the design at a factor of today's load (`None` when it cannot).
pub fn add(base: &mut Report, design: &Design, mut grown: impl FnMut(f64) -> Option<Report>) {
    let Some(today) = base.figure("cost.total").cloned() else {
        return;
    };
    let Ok(today_total) = today.value.clone() else {
        return;
    };
    if today.inputs.is_empty() {
        return; // nothing is priced: a grown bill of nothing says nothing
    }
    let written = growth_written(design);
    for (factor, id, label) in steps(design) {
        if factor > MAX_FACTOR || !factor.is_finite() {
            base.push_figure(Figure {
                id,
                section: Section::Cost,
                label,
                value: Err(format!(
                    "{written} multiplies the load by {}, beyond what dsd sizes",
                    format_number(factor)
                )),
                derivation: String::new(),
                inputs: Vec::new(),
            });
            continue;
        }
        let Some(report) = grown(factor) else {
            continue;
        };
        let Some(total) = report.figure("cost.total") else {
            continue;
        };
        let Ok(value) = total.value.clone() else {
            continue;
        };
        if value.dim != today_total.dim {
            continue;
        }
        let partial = total.label.contains("(priced lines)");
        let change = money(&value, value.hi - today_total.hi);
        let mut derivation = format!(
            "volume and peak × {} ({written}), the bill computed again: {} → {} ({})",
            format_number(factor),
            today_total.display(),
            value.display(),
            signed(&change)
        );
        let moved = movers(base, &today, &report, total, &value);
        if !moved.is_empty() {
            derivation.push_str(&format!("; grows most: {}", moved.join(", ")));
        }
        if partial {
            derivation.push_str("; priced lines only, as today's bill");
        }
        base.push_figure(Figure {
            id,
            section: Section::Cost,
            label: if partial {
                format!("{label} (priced lines)")
            } else {
                label
            },
            value: Ok(value),
            derivation,
            inputs: vec!["cost.total".into()],
        });
    }
}

/// `growth 2x` or `growth 2x/year`, as the derivation names it.
fn growth_written(design: &Design) -> String {
    let r = &design.requirements;
    let g = r.growth.as_ref().map(|g| g.value.hi).unwrap_or(1.0);
    match r.growth_per {
        Some(per) => format!("`growth {}x/{}`", format_number(g), per.name),
        None => format!("`growth {}x`", format_number(g)),
    }
}

/// The three lines whose cost rises most, with how much.
fn movers(
    base: &Report,
    today: &Figure,
    grown: &Report,
    total: &Figure,
    unit: &Quantity,
) -> Vec<String> {
    let mut ids: Vec<&String> = today.inputs.iter().chain(&total.inputs).collect();
    ids.sort();
    ids.dedup();
    let hi = |r: &Report, id: &str| {
        r.figure(id)
            .and_then(|f| f.value.as_ref().ok())
            .map(|v| v.hi)
            .unwrap_or(0.0)
    };
    let mut rises: Vec<(f64, &String)> = ids
        .into_iter()
        .map(|id| (hi(grown, id) - hi(base, id), id))
        .filter(|(d, _)| *d > 0.0)
        .collect();
    rises.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    rises
        .into_iter()
        .take(3)
        .map(|(d, id)| {
            let label = grown
                .figure(id)
                .or_else(|| base.figure(id))
                .map(|f| f.label.clone())
                .unwrap_or_else(|| id.clone());
            format!("{label} {}", signed(&money(unit, d)))
        })
        .collect()
}

/// `per_second` in the unit of `like` (money per month).
fn money(like: &Quantity, per_second: f64) -> Quantity {
    Quantity {
        lo: per_second,
        hi: per_second,
        ..like.clone()
    }
}

/// `+$1.88/month`, `-$0.40/month`.
fn signed(q: &Quantity) -> String {
    if q.hi < 0.0 {
        let mut pos = q.clone();
        pos.lo = -q.lo;
        pos.hi = -q.hi;
        format!("-{}", pos.display())
    } else {
        format!("+{}", q.display())
    }
}

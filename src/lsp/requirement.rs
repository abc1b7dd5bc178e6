//! Hover on a requirement: a line of a `requirements` block (its key, value or
//! a name it mentions), or `volume`, `peak`, `growth`, `team`, `readers` and
//! `cost` where a `let` names them. It says what the requirement asks, then
//! the sizing report's figures and checks that come from it, each with its
//! derivation (the same `sizing::size` the report and node hovers read), then
//! the findings that point at the line.

use super::Doc;
use crate::ast::Cmp;
use crate::model::{Bound, Delivery, Design, Spanned};
use crate::sizing::{Check, Figure, Report};
use crate::source::Span;
use crate::units::{Quantity, format_number};

/// One requirement as the resolved design holds it.
enum Req<'d> {
    Volume(&'d Spanned<Quantity>),
    Peak(&'d Spanned<Quantity>),
    Latency(&'d Bound),
    Freshness(&'d Bound),
    Retention(&'d Bound),
    Cost(&'d Bound),
    Delivery(&'d Spanned<Delivery>),
    Growth(&'d Spanned<Quantity>),
    Team(&'d Spanned<Quantity>),
    Readers(&'d Spanned<Quantity>),
    Cloud(&'d Spanned<String>),
    Region(&'d Spanned<String>),
    Compliance(Vec<&'d str>),
    Other(&'d str, &'d Spanned<String>),
}

/// The most figures or checks a hover lists.
const MAX_ROWS: usize = 12;

/// The requirements of `d` with the span of the line that states each.
fn requirements<'d>(d: &'d Design, text: &str) -> Vec<(Span, Req<'d>)> {
    let r = &d.requirements;
    let mut out = Vec::new();
    let mut one = |q: &'d Option<Spanned<Quantity>>, make: fn(&'d Spanned<Quantity>) -> Req<'d>| {
        if let Some(q) = q {
            out.push((q.span, make(q)));
        }
    };
    one(&r.volume, Req::Volume);
    one(&r.peak, Req::Peak);
    one(&r.growth, Req::Growth);
    one(&r.team, Req::Team);
    one(&r.readers, Req::Readers);
    out.extend(r.latency.iter().map(|b| (b.span, Req::Latency(b))));
    out.extend(r.freshness.iter().map(|b| (b.span, Req::Freshness(b))));
    out.extend(r.retention.iter().map(|b| (b.span, Req::Retention(b))));
    out.extend(r.cost.iter().map(|b| (b.span, Req::Cost(b))));
    out.extend(r.delivery.iter().map(|s| (s.span, Req::Delivery(s))));
    out.extend(r.cloud.iter().map(|s| (s.span, Req::Cloud(s))));
    out.extend(r.region.iter().map(|s| (s.span, Req::Region(s))));
    out.extend(r.other.iter().map(|(k, s)| (s.span, Req::Other(k, s))));
    // `compliance pci_dss dpdp` keeps its names' spans: the line runs from the
    // keyword before the first to the last.
    if let (Some(first), Some(last)) = (r.compliance.first(), r.compliance.last()) {
        let before = text
            .get(..first.span.start as usize)
            .unwrap_or("")
            .trim_end();
        if let Some(rest) = before.strip_suffix("compliance") {
            let names = r.compliance.iter().map(|c| c.name.as_str()).collect();
            out.push((
                Span::new(rest.len(), last.span.end as usize),
                Req::Compliance(names),
            ));
        }
    }
    // A span `--set` made up has no line.
    out.retain(|(s, _)| s.start < s.end);
    out
}

/// The hover for the requirement whose line holds byte `at`, if any.
pub fn on_line(doc: &Doc, d: &Design, at: usize) -> Option<String> {
    if d.file != doc.compiled.main {
        return None;
    }
    let block = d.requirements.span?;
    if !(block.start as usize <= at && at <= block.end as usize) {
        return None;
    }
    let (span, req) = requirements(d, &doc.text)
        .into_iter()
        .find(|(s, _)| s.start as usize <= at && at <= s.end as usize)?;
    Some(describe(doc, d, span, &req))
}

/// The hover for a requirement named in a `let` of `d` (`peak * 180 B`), if
/// `word` at `at` is one.
pub fn named(doc: &Doc, d: &Design, word: &str, at: usize) -> Option<String> {
    let in_let = d.lets.iter().any(|b| {
        b.file == doc.compiled.main && b.span.start as usize <= at && at <= b.span.end as usize
    });
    if !in_let {
        return None;
    }
    let (span, req) = requirements(d, &doc.text).into_iter().find(|(_, r)| {
        key(r) == word
            && matches!(
                key(r),
                "volume" | "peak" | "growth" | "team" | "readers" | "cost"
            )
    })?;
    Some(describe(doc, d, span, &req))
}

fn key(r: &Req<'_>) -> &'static str {
    match r {
        Req::Volume(_) => "volume",
        Req::Peak(_) => "peak",
        Req::Latency(_) => "latency",
        Req::Freshness(_) => "freshness",
        Req::Retention(_) => "retention",
        Req::Cost(_) => "cost",
        Req::Delivery(_) => "delivery",
        Req::Growth(_) => "growth",
        Req::Team(_) => "team",
        Req::Readers(_) => "readers",
        Req::Cloud(_) => "cloud",
        Req::Region(_) => "region",
        Req::Compliance(_) => "compliance",
        Req::Other(..) => "",
    }
}

/// What a bound's target is: a path (with its hops) or a node.
fn target(d: &Design, b: &Bound) -> String {
    let Some(t) = &b.target else {
        return "the design".into();
    };
    if let Some(p) = d.paths.iter().find(|p| p.name.name == t.name) {
        let hops: Vec<&str> = p
            .hops
            .iter()
            .filter_map(|h| d.nodes.get(*h).map(|n| n.name.name.as_str()))
            .collect();
        return format!("the path `{}` ({})", t.name, hops.join(" → "));
    }
    if d.node_index(&t.name).is_some() {
        return format!("the node `{}`", t.name);
    }
    format!("`{}`", t.name)
}

/// What the requirement asks, in a sentence.
fn statement(d: &Design, req: &Req<'_>) -> String {
    let r = &d.requirements;
    match req {
        Req::Volume(v) => format!(
            "The average load the design carries: **{}**. Storage per day and the batch scans are sized from it.",
            v.value.display()
        ),
        Req::Peak(p) => {
            let factor = r
                .peak_factor
                .as_ref()
                .map(|f| format!(" ({} the average volume)", factor(f.value.hi)))
                .unwrap_or_default();
            format!(
                "The highest rate the design must carry: **{}**{factor}. Every flow's peak rate and every capacity check follows from it.",
                p.value.display()
            )
        }
        Req::Latency(b) => format!(
            "{} must answer in {} **{}**: the time along it (processing per event, lookups, batch schedules, the tools' floors) is added up at the pessimistic end of every range.",
            capital(&target(d, b)),
            words(b.cmp),
            b.value.display()
        ),
        Req::Freshness(b) => format!(
            "Data at {} may be {} **{}** old.",
            target(d, b),
            words(b.cmp),
            b.value.display()
        ),
        Req::Retention(b) => format!(
            "{} must keep data for {} **{}**.",
            capital(&target(d, b)),
            words(b.cmp),
            b.value.display()
        ),
        Req::Cost(b) => format!(
            "The monthly bill must be {} **{}**.",
            words(b.cmp),
            b.value.display()
        ),
        Req::Delivery(s) => match s.value {
            Delivery::AtLeastOnce => "Every record arrives **at least once**, some more than once: each write must be idempotent (`non-idempotent-write`).".into(),
            Delivery::ExactlyOnce => "Every record takes effect **exactly once**: each write must be transactional or idempotent (`exactly-once-unsupported`).".into(),
            Delivery::AtMostOnce => "A record may be lost but never repeated: **at most once**.".into(),
        },
        Req::Growth(g) => {
            let per = r
                .growth_per
                .map(|p| format!(" per {}", p.name))
                .unwrap_or_default();
            format!(
                "Load grows **{}**{per}: the capacity checks look ahead to it, and `dsd report` prices the design again at that load.",
                factor(g.value.hi)
            )
        }
        Req::Team(t) => format!("**{}** people build and run the design.", t.value.display()),
        Req::Readers(q) => format!("**{}** read what the design serves.", q.value.display()),
        Req::Cloud(c) => format!(
            "The design runs on **{}**; its prices are the catalogue entry `{}` (`dsd catalogue {}`).",
            c.value, c.value, c.value
        ),
        Req::Region(g) => format!(
            "The design runs in **{}**, unless a node states its own `region`.",
            g.value
        ),
        Req::Compliance(names) => format!(
            "The design must comply with {}.",
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Req::Other(k, v) => format!("`{k}`: {}.", v.value),
    }
}

/// A comparison in words: `<=` is "at most".
fn words(c: Cmp) -> &'static str {
    match c {
        Cmp::Le => "at most",
        Cmp::Lt => "less than",
        Cmp::Ge => "at least",
        Cmp::Gt => "more than",
        Cmp::Eq => "exactly",
        Cmp::Ne => "other than",
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn factor(v: f64) -> String {
    if v.is_finite() {
        format!("{}x", format_number((v * 100.0).round() / 100.0))
    } else {
        "unbounded".into()
    }
}

fn figure_row(f: &Figure) -> String {
    match &f.value {
        Ok(v) => format!("- {}: **{}** — {}", f.label, v.display(), f.derivation),
        Err(why) => format!("- {}: not computed — {why}", f.label),
    }
}

fn amount(c: &Check, v: f64) -> String {
    if c.unit == "bytes" {
        Quantity::at(v, crate::units::Dimension::BYTES).display()
    } else {
        format!("{} {}", format_number(v), c.unit)
    }
}

fn check_row(c: &Check) -> String {
    let status = if c.ok {
        format!("fits, headroom {}", factor(c.headroom))
    } else {
        "**does not fit**".to_string()
    };
    if !(c.needed.is_finite() && c.provided.is_finite()) {
        return format!("- {}: not computed — {}", c.label, c.derivation);
    }
    // As the report writes it: the unit once, on the need.
    let provided = if c.unit == "bytes" {
        amount(c, c.provided)
    } else {
        format_number(c.provided)
    };
    let needed = if c.needed == 1.0 && c.unit != "bytes" {
        let one = crate::units::singular(c.unit).unwrap_or_else(|| c.unit.to_string());
        format!("{} {one}", format_number(c.needed))
    } else {
        amount(c, c.needed)
    };
    format!(
        "- {}: needs {needed}, has {provided} ({status}) — {}",
        c.label, c.derivation
    )
}

/// The sizing rows that come from a requirement: figures, then checks, then
/// lines about the first bottleneck.
fn sizing(d: &Design, report: &Report, req: &Req<'_>) -> Vec<String> {
    let by_input = |name: &str| -> Vec<&Figure> {
        report
            .figures
            .iter()
            .filter(|f| f.inputs.iter().any(|i| i == name))
            .collect()
    };
    let mut rows: Vec<String> = Vec::new();
    let bottleneck = |rows: &mut Vec<String>| {
        if let Some(b) = &report.first_bottleneck {
            let check = report.checks.iter().find(|c| c.id == b.check);
            let when = if b.factor < 1.0 {
                format!("already short (it holds {} today's load)", factor(b.factor))
            } else if b.within_horizon && b.horizon > 1.0 {
                format!(
                    "at {} today's load, inside the growth to {}",
                    factor(b.factor),
                    factor(b.horizon)
                )
            } else {
                format!("at {} today's load", factor(b.factor))
            };
            rows.push(format!(
                "- First bottleneck: {}, {when}{}",
                b.label,
                check
                    .map(|c| format!(" — {}", c.derivation))
                    .unwrap_or_default()
            ));
        }
    };
    match req {
        Req::Volume(_) => {
            let mut figures = by_input("volume");
            figures.sort_by_key(|f| f.id != "rate.average");
            rows.extend(figures.into_iter().take(MAX_ROWS).map(figure_row));
        }
        Req::Peak(_) => {
            rows.extend(by_input("peak").into_iter().take(MAX_ROWS).map(figure_row));
            let failing: Vec<&Check> = report.checks.iter().filter(|c| !c.ok).collect();
            rows.extend(failing.iter().take(MAX_ROWS).map(|c| check_row(c)));
            bottleneck(&mut rows);
        }
        Req::Growth(_) => {
            let within: Vec<&Check> = report
                .checks
                .iter()
                .filter(|c| c.runs_out_within_growth)
                .collect();
            rows.extend(within.iter().take(MAX_ROWS).map(|c| check_row(c)));
            bottleneck(&mut rows);
        }
        Req::Retention(b) => {
            if let Some(t) = &b.target {
                if let Some(n) = d.node_index(&t.name).and_then(|i| d.nodes.get(i))
                    && let Some(kept) = n.quantity("retain")
                {
                    rows.push(format!("- `{}` states `retain {}`", t.name, kept.display()));
                }
                // What it holds at full retention, by tier, and what that costs.
                let retained = format!("store.{}.retained", t.name);
                let tiers = format!("store.{}.tier.", t.name);
                let priced = format!("cost.{}.tier.", t.name);
                let archive = format!("cost.{}.archive_total", t.name);
                rows.extend(
                    report
                        .figures
                        .iter()
                        .filter(|f| {
                            f.id == retained
                                || f.id.starts_with(&tiers)
                                || f.id.starts_with(&priced)
                                || f.id == archive
                        })
                        .take(MAX_ROWS)
                        .map(figure_row),
                );
            }
        }
        Req::Cost(_) => {
            rows.extend(
                ["cost.total", "cost.largest"]
                    .iter()
                    .filter_map(|id| report.figure(id))
                    .map(figure_row),
            );
            rows.extend(
                report
                    .checks
                    .iter()
                    .filter(|c| c.id == "cost.ceiling")
                    .map(check_row),
            );
        }
        _ => {}
    }
    rows
}

/// The findings whose place, or one of whose related places, is on the line.
fn findings(doc: &Doc, span: Span) -> Vec<String> {
    let main = doc.compiled.main;
    let on = |s: Span| span.start <= s.start && s.end <= span.end;
    doc.compiled
        .diagnostics
        .iter()
        .filter(|x| {
            (x.primary.file == main && on(x.primary.span))
                || x.secondary.iter().any(|l| l.file == main && on(l.span))
        })
        .map(|x| format!("- `{}`: {}", x.code, x.message))
        .collect()
}

fn describe(doc: &Doc, d: &Design, span: Span, req: &Req<'_>) -> String {
    let written: Vec<&str> = doc
        .text
        .get(span.start as usize..span.end as usize)
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let mut out = format!(
        "**requirement** `{}`\n\n{}",
        written.join(" "),
        statement(d, req)
    );
    let k = key(req);
    if !k.is_empty() && d.requirements.overridden.iter().any(|o| o == k) {
        out.push_str(" Its value is set from outside the file (`--set` or `dsd.toml`).");
    }
    let report = crate::sizing::size(d, &doc.compiled.catalogue, 1.0);
    let rows = sizing(d, &report, req);
    if !rows.is_empty() {
        out.push_str("\n\n**Sizing**\n\n");
        out.push_str(&rows.join("\n"));
    }
    let found = findings(doc, span);
    if !found.is_empty() {
        out.push_str("\n\n**Findings**\n\n");
        out.push_str(&found.join("\n"));
    }
    out
}

//! The checker: the reference's rules, run over a resolved design and its graph.
//! One file per rule; each reads the design through [`Ctx`] and returns findings.
//! Every rule runs in time linear in the design's size (nodes + flows + fields).

mod capacity_exceeded;
mod cost_ceiling_exceeded;
mod exactly_once_unsupported;
mod hot_partition_key;
mod incompatible_schema_change;
mod latency_budget_exceeded;
mod missing_capacity_estimate;
mod missing_dlq;
mod missing_requirement;
mod missing_watermark;
mod no_monitoring;
mod no_schema_evolution;
mod non_idempotent_write;
mod oltp_analytics;
mod ordering_throughput_conflict;
mod over_engineering;
mod pii_exposed;
mod recovery_promise_unmet;
mod retention_not_met;
mod single_point_of_failure;
mod small_files;
mod stale_serving;
mod storage_access_mismatch;
mod uncovered_failure;
mod unreachable_node;
mod unsafe_backfill;
mod warehouse_realtime_serving;
mod weak_durability;

pub mod coverage;

use crate::diagnostic::Diagnostic;
use crate::model::{Catalogue, Design};
use crate::source::Span;

pub use crate::flow::{Ctx, Edge, chain, show, time_in_words, times_in_words};

pub use crate::flow::writes::article;
pub use latency_budget_exceeded::{path_parts, with_fallback};
pub use over_engineering::self_managed;

/// A diagnostic and the nodes it is about, so that `allow RULE on NODE` can match it.
pub struct Finding {
    pub diag: Diagnostic,
    pub nodes: Vec<usize>,
}

impl Finding {
    pub fn new(diag: Diagnostic, nodes: Vec<usize>) -> Finding {
        Finding { diag, nodes }
    }
}

type Check = fn(&Ctx<'_>) -> Vec<Finding>;
/// A rule that reads the sizing report (computed once per design).
type ReportCheck = fn(&Ctx<'_>, &crate::sizing::Report) -> Vec<Finding>;

/// Every rule of the checker, in the order of the reference's seven steps.
const CHECKS: &[(&str, Check)] = &[
    ("missing-requirement", missing_requirement::check),
    (
        "missing-capacity-estimate",
        missing_capacity_estimate::check,
    ),
    ("no-schema-evolution", no_schema_evolution::check),
    (
        "incompatible-schema-change",
        incompatible_schema_change::check,
    ),
    ("hot-partition-key", hot_partition_key::check),
    ("unreachable-node", unreachable_node::check),
    ("over-engineering", over_engineering::check),
    ("storage-access-mismatch", storage_access_mismatch::check),
    ("oltp-analytics", oltp_analytics::check),
    (
        "warehouse-realtime-serving",
        warehouse_realtime_serving::check,
    ),
    ("non-idempotent-write", non_idempotent_write::check),
    ("exactly-once-unsupported", exactly_once_unsupported::check),
    ("weak-durability", weak_durability::check),
    (
        "ordering-throughput-conflict",
        ordering_throughput_conflict::check,
    ),
    ("latency-budget-exceeded", latency_budget_exceeded::check),
    ("stale-serving", stale_serving::check),
    ("retention-not-met", retention_not_met::check),
    ("small-files", small_files::check),
    ("pii-exposed", pii_exposed::check),
    ("missing-watermark", missing_watermark::check),
    ("unsafe-backfill", unsafe_backfill::check),
    ("uncovered-failure", uncovered_failure::check),
    ("no-monitoring", no_monitoring::check),
    ("missing-dlq", missing_dlq::check),
    ("single-point-of-failure", single_point_of_failure::check),
    ("recovery-promise-unmet", recovery_promise_unmet::check),
];

/// The rules that compare the design with its sizing report: its checks' needed
/// against provided, its bill against the cost ceiling.
const REPORT_CHECKS: &[(&str, ReportCheck)] = &[
    ("capacity-exceeded", capacity_exceeded::check),
    ("cost-ceiling-exceeded", cost_ceiling_exceeded::check),
];

/// The names of the rules the checker runs (a test keeps this in step with `rules.rs`).
pub fn rule_names() -> impl Iterator<Item = &'static str> {
    CHECKS
        .iter()
        .map(|(name, _)| *name)
        .chain(REPORT_CHECKS.iter().map(|(name, _)| *name))
}

/// Runs every rule over one design.
pub fn run(design: &Design, catalogue: &Catalogue) -> Vec<Finding> {
    let ctx = Ctx::new(design, catalogue);
    // The whole report only when a rule reads its bill; else its checks alone.
    let report = if design.requirements.cost.is_some() {
        crate::sizing::size_in(&ctx, 1.0)
    } else {
        crate::sizing::checks_in(&ctx)
    };
    run_with(&ctx, &report)
}

/// Every rule over a flow index and a report already built (`dsd compare`
/// sizes the design anyway, so it does not build either twice).
pub fn run_with(ctx: &Ctx<'_>, report: &crate::sizing::Report) -> Vec<Finding> {
    let mut out = Vec::new();
    for (_, check) in CHECKS {
        out.extend(check(ctx));
    }
    for (_, check) in REPORT_CHECKS {
        out.extend(check(ctx, report));
    }
    out
}

/// Removes the findings an `allow` silences and, when the rules ran (`checked`),
/// reports each `allow` that silences nothing. `findings` are every diagnostic
/// about this design, from any pass.
pub fn apply_allows(design: &Design, findings: Vec<Finding>, checked: bool) -> Vec<Diagnostic> {
    let mut used = vec![false; design.allows.len()];
    let mut kept = Vec::new();
    'next: for f in findings {
        for (i, a) in design.allows.iter().enumerate() {
            let allowable = crate::rules::find(&a.rule.name).is_some_and(|r| r.allowable);
            if allowable
                && a.rule.name == f.diag.code
                && (a.on.is_empty() || a.on.iter().any(|n| f.nodes.contains(n)))
            {
                if let Some(u) = used.get_mut(i) {
                    *u = true;
                }
                continue 'next;
            }
        }
        kept.push(f.diag);
    }
    for (a, used) in design.allows.iter().zip(used) {
        let known = crate::rules::find(&a.rule.name).is_some_and(|r| r.allowable);
        if !used && known && checked {
            let scope = if a.on.is_empty() {
                "this design".to_string()
            } else {
                a.on.iter()
                    .filter_map(|n| design.nodes.get(*n))
                    .map(|n| format!("`{}`", n.name.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            kept.push(
                Diagnostic::new(
                    "unused-allow",
                    design.file,
                    a.span,
                    format!("`allow {}` silences nothing in {scope}", a.rule.name),
                )
                .label("no finding of this rule here")
                .with_help("remove the `allow`: the problem it excused is gone, and a stale excuse hides the next one"),
            );
        }
    }
    kept
}

/// Diagnostics of earlier passes as findings: a finding is about the nodes whose
/// declaration (or `use`) contains its primary span.
pub fn attribute(design: &Design, diags: Vec<Diagnostic>) -> Vec<Finding> {
    // Declarations appear in source order and do not nest: a binary search finds
    // the one that contains a span.
    fn containing(spans: &[Span], span: Span) -> Option<usize> {
        let k = spans.partition_point(|s| s.start <= span.start);
        let i = k.checked_sub(1)?;
        let s = spans.get(i)?;
        (span.end <= s.end).then_some(i)
    }
    let node_spans: Vec<Span> = design.nodes.iter().map(|n| n.span).collect();
    let use_spans: Vec<Span> = design.uses.iter().map(|u| u.span).collect();
    let sorted = |v: &[Span]| {
        v.windows(2)
            .all(|w| matches!(w, [a, b] if a.start <= b.start))
    };
    let (nodes_sorted, uses_sorted) = (sorted(&node_spans), sorted(&use_spans));
    diags
        .into_iter()
        .map(|d| {
            let span = d.primary.span;
            let mut nodes = Vec::new();
            if nodes_sorted {
                nodes.extend(containing(&node_spans, span));
            }
            if uses_sorted
                && let Some(u) = containing(&use_spans, span).and_then(|i| design.uses.get(i))
            {
                nodes.extend(u.nodes.iter().copied());
            }
            Finding::new(d, nodes)
        })
        .collect()
}

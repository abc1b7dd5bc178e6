//! `dsd diff` as a pull-request comment (Markdown) and for bots (JSON).
//!
//! The comment is sized for a reviewer, the way Infracost's is: first a summary
//! table (per design: the monthly cost old → new, the first bottleneck old →
//! new, findings new and fixed), then a collapsed `<details>` block per design
//! with its changed lines, findings, graph changes and the figures that moved
//! most (the `top` largest relative changes; a flow's raw, compressed and rate
//! figures are one row). Under `max_bytes` each design's block shrinks to a
//! fair share of what the summary leaves (the summary stays), and a closing note
//! says what was left out and how to see it all. The same input gives the same
//! text: rows sort by change, then id.

use super::markdown::{code, html};
use crate::diff::{Changes, DesignDiff, Moved};
use crate::sizing::{json_unit, json_value};
use crate::units::{Quantity, format_number};
use schemars::JsonSchema;
use serde::Serialize;

/// User text (and messages that quote it) as inert Markdown, in a table cell
/// or in running text: see `markdown.rs`.
use super::markdown::{cell, text};

/// Figure rows per design by default.
pub const DEFAULT_TOP: usize = 10;
/// List items (findings, nodes, flows, tools, line ranges) per list by default.
const ITEMS: usize = 20;
/// Room kept for the closing note under `max_bytes` (the note is shorter).
const NOTE_ROOM: usize = 600;
/// The smallest `max_bytes` that leaves room for the summary's first rows.
pub const MIN_BYTES: usize = 2_000;

/// How much of a diff the Markdown shows.
#[derive(Clone, Debug)]
pub struct Options {
    /// Figure rows per design, largest relative change first; `None`: every
    /// row and every list item.
    pub top: Option<usize>,
    /// The most bytes of Markdown (a GitHub comment holds 65,536 characters).
    pub max_bytes: Option<usize>,
    /// Where files are browsed: changed lines link to `{link_base}/{file}#L3-L5`.
    pub link_base: Option<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            top: Some(DEFAULT_TOP),
            max_bytes: None,
            link_base: None,
        }
    }
}

fn value_text(q: &Option<Quantity>, reason: &Option<String>) -> String {
    match (q, reason) {
        (Some(q), _) => q.display(),
        (None, Some(why)) => format!("not computed ({why})"),
        (None, None) => "—".into(),
    }
}

/// `old → new`, each side its value, "—" where absent, or why it is not computed.
fn values(m: &Moved) -> String {
    format!(
        "{} → {}",
        value_text(&m.old, &m.old_reason),
        value_text(&m.new, &m.new_reason)
    )
}

fn pct(p: f64) -> String {
    format!(
        "{}{}%",
        if p < 0.0 { "−" } else { "+" },
        format_number((p.abs() * 10.0).round() / 10.0)
    )
}

/// The change: `+6.42 $/month (+100%)` in the figure's own unit. A range is
/// compared end by end (`low +60%, high +100%`): one delta of two ranges would
/// be a number neither of them holds.
fn change(m: &Moved) -> String {
    match (&m.old, &m.new) {
        (Some(_), Some(_)) if m.is_range() => match m.end_percents() {
            Some((lo, hi)) if pct(lo) == pct(hi) => pct(lo),
            Some((lo, hi)) => format!("low {}, high {}", pct(lo), pct(hi)),
            None => "changed".into(),
        },
        (Some(_), Some(n)) => {
            let Some(d) = m.delta() else {
                return String::new();
            };
            let mut q = n.clone();
            q.lo = d.abs();
            q.hi = d.abs();
            let sign = if d < 0.0 { "−" } else { "+" };
            match m.percent() {
                Some(p) => format!("{sign}{} ({})", q.display(), pct(p)),
                None => format!("{sign}{}", q.display()),
            }
        }
        (None, Some(_)) if m.old_reason.is_some() => "now computed".into(),
        (None, Some(_)) => "new".into(),
        (Some(_), None) if m.new_reason.is_some() => "no longer computed".into(),
        (Some(_), None) => "gone".into(),
        (None, None) => String::new(),
    }
}

/// How far a figure moved, for ordering: the larger relative change of its
/// ends; a figure that appeared, went or stopped being computed first.
fn rank(m: &Moved) -> f64 {
    match m.end_percents() {
        Some((lo, hi)) => lo.abs().max(hi.abs()),
        None => f64::INFINITY,
    }
}

/// One row of the figures table.
struct Row {
    id: String,
    label: String,
    values: String,
    change: String,
    rank: f64,
    /// The size of a money change, which orders rows that moved by as much.
    money: f64,
}

fn money(m: &Moved) -> f64 {
    let is_money = m
        .new
        .as_ref()
        .or(m.old.as_ref())
        .is_some_and(|q| q.dim.money != 0);
    if is_money {
        m.delta().map(f64::abs).unwrap_or(0.0)
    } else {
        0.0
    }
}

/// A label that starts with a name in a code span: (the name, the rest).
fn subject(label: &str) -> Option<(&str, &str)> {
    let rest = label.strip_prefix('`')?;
    let (name, rest) = rest.split_once('`')?;
    Some((name, rest.trim_start()))
}

/// Rows of the same kind (`storage per month`) that moved alike (the same
/// values, the same change) as one row naming its nodes or flows: a change to
/// volume moves every store the same way, and sixty equal rows say no more
/// than one.
fn grouped(rows: Vec<Row>) -> Vec<Row> {
    let mut groups: std::collections::BTreeMap<(String, String, String), Vec<Row>> =
        Default::default();
    let mut out = Vec::new();
    for r in rows {
        match subject(&r.label).map(|(_, rest)| rest.to_string()) {
            Some(kind) => groups
                .entry((kind, r.values.clone(), r.change.clone()))
                .or_default()
                .push(r),
            None => out.push(r),
        }
    }
    for ((kind, values, change), mut members) in groups {
        if members.len() == 1 {
            out.extend(members);
            continue;
        }
        members.sort_by(|a, b| a.id.cmp(&b.id));
        let names: Vec<&str> = members
            .iter()
            .filter_map(|r| subject(&r.label).map(|(n, _)| n))
            .collect();
        let shown: Vec<String> = names.iter().take(3).map(|n| format!("`{n}`")).collect();
        let more = names.len().saturating_sub(3);
        let list = if more > 0 {
            format!("{} and {} more", shown.join(", "), group(more))
        } else {
            shown.join(", ")
        };
        out.push(Row {
            id: members.first().map(|r| r.id.clone()).unwrap_or_default(),
            label: format!("{list}: {kind}, each"),
            values,
            change,
            rank: members.iter().map(|r| r.rank).fold(0.0, f64::max),
            money: members.iter().map(|r| r.money).sum(),
        });
    }
    out
}

/// A design's figures as rows, the largest relative change first. A flow's
/// figures (`flow.A->B.raw`, `.compressed`, `.peak_rate`) are one row: its raw
/// bytes at peak (compressed beside them), or its rate where it has no bytes.
/// Rows of one kind that moved alike are one row (`grouped`). The monthly
/// cost is in the summary, not here.
fn rows(d: &DesignDiff) -> Vec<Row> {
    let mut flows: std::collections::BTreeMap<&str, Vec<&Moved>> = Default::default();
    let mut out = Vec::new();
    for m in &d.figures {
        if m.id == "cost.total" {
            continue;
        }
        if let Some((edge, kind)) = m.id.strip_prefix("flow.").and_then(|r| r.rsplit_once('.'))
            && matches!(kind, "raw" | "compressed" | "peak_rate")
        {
            flows.entry(edge).or_default().push(m);
            continue;
        }
        out.push(Row {
            id: m.id.clone(),
            label: m.label.clone(),
            values: values(m),
            change: change(m),
            rank: rank(m),
            money: money(m),
        });
    }
    for (edge, ms) in flows {
        let find = |kind: &str| {
            ms.iter()
                .find(|m| m.id.rsplit_once('.').is_some_and(|(_, k)| k == kind))
                .copied()
        };
        let (raw, compressed) = (find("raw"), find("compressed"));
        let Some(primary) = raw.or(compressed).or_else(|| find("peak_rate")) else {
            continue;
        };
        let mut shown = values(primary);
        if let (Some(_), Some(c)) = (raw, compressed) {
            shown = format!("{shown} raw ({} compressed)", values(c));
        }
        out.push(Row {
            id: format!("flow.{edge}"),
            label: format!("`{edge}` throughput at peak"),
            values: shown,
            change: change(primary),
            rank: ms.iter().map(|m| rank(m)).fold(0.0, f64::max),
            money: 0.0,
        });
    }
    let mut out = grouped(out);
    // Largest relative change first (to a tenth of a percent); among equals,
    // the larger change to the bill; then by id.
    let tenths = |r: &Row| (r.rank * 10.0).round();
    out.sort_by(|a, b| {
        tenths(b)
            .total_cmp(&tenths(a))
            .then(b.money.total_cmp(&a.money))
            .then(a.id.cmp(&b.id))
    });
    out
}

/// What a block or the whole comment left out.
#[derive(Clone, Copy, Debug, Default)]
struct LeftOut {
    rows: usize,
    items: usize,
    blocks: usize,
    summaries: usize,
}

impl LeftOut {
    fn add(&mut self, o: LeftOut) {
        self.rows += o.rows;
        self.items += o.items;
        self.blocks += o.blocks;
        self.summaries += o.summaries;
    }
    fn any(&self) -> bool {
        self.rows + self.items + self.blocks + self.summaries > 0
    }
}

/// At most `limit` lines of a list, then "… and N more".
fn list(out: &mut String, lines: Vec<String>, limit: usize, left: &mut LeftOut) {
    let n = lines.len();
    for l in lines.into_iter().take(limit) {
        out.push_str(&l);
    }
    if n > limit {
        out.push_str(&format!("- … and {} more\n", group(n - limit)));
        left.items += n - limit;
    }
}

fn group(n: usize) -> String {
    format_number(n as f64)
}

fn changes(out: &mut String, title: &str, c: &Changes, limit: usize, left: &mut LeftOut) {
    if c.is_empty() {
        return;
    }
    out.push_str(&format!("\n**{title}**\n\n"));
    let mut lines = Vec::new();
    for a in &c.added {
        lines.push(format!("- added: {}\n", code(a)));
    }
    for r in &c.removed {
        lines.push(format!("- removed: {}\n", code(r)));
    }
    for ch in &c.changed {
        lines.push(format!("- changed: {}\n", text(ch)));
    }
    list(out, lines, limit, left);
}

/// A path in a URL: unreserved characters and `/` as they are, every other
/// byte percent-encoded.
fn url_path(p: &str) -> String {
    let mut out = String::new();
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn lines_text(d: &DesignDiff, o: &Options, limit: usize, left: &mut LeftOut) -> String {
    let Some(file) = &d.file else {
        return String::new();
    };
    if d.lines.is_empty() {
        return format!("\n**File:** {}\n", code(file));
    }
    let shown: Vec<String> = d
        .lines
        .iter()
        .take(limit.max(1))
        .map(|&(a, b)| {
            let (label, anchor) = if a == b {
                (a.to_string(), format!("L{a}"))
            } else {
                (format!("{a}–{b}"), format!("L{a}-L{b}"))
            };
            match &o.link_base {
                Some(base) => format!("[{label}]({base}/{}#{anchor})", url_path(file)),
                None => label,
            }
        })
        .collect();
    let more = d.lines.len().saturating_sub(limit.max(1));
    left.items += more;
    let more = if more > 0 {
        format!(" and {} more", group(more))
    } else {
        String::new()
    };
    format!(
        "\n**Changed lines** in {}: {}{more}\n",
        code(file),
        shown.join(", ")
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", group(n), if n == 1 { one } else { many })
}

/// A design's `<details>` block, with at most `top` figure rows and `items`
/// items in each list.
fn block(d: &DesignDiff, all: &[Row], top: usize, items: usize, o: &Options) -> (String, LeftOut) {
    let mut left = LeftOut::default();
    let mut body = lines_text(d, o, items, &mut left);
    if !d.new_findings.is_empty() || !d.fixed_findings.is_empty() {
        body.push_str("\n**Findings**\n\n");
        let mut lines: Vec<String> = d
            .new_findings
            .iter()
            .map(|f| format!("- new {} `{}`: {}\n", f.severity, f.code, text(&f.message)))
            .collect();
        lines.extend(
            d.fixed_findings
                .iter()
                .map(|f| format!("- fixed `{}`: {}\n", f.code, text(&f.message))),
        );
        list(&mut body, lines, items, &mut left);
    }
    changes(&mut body, "Nodes", &d.nodes, items, &mut left);
    changes(&mut body, "Flows", &d.flows, items, &mut left);
    changes(
        &mut body,
        "Tools and trade-offs",
        &d.tools,
        items,
        &mut left,
    );
    if !all.is_empty() {
        let n = top.min(all.len());
        let title = if n == all.len() {
            "**Figures that moved**".to_string()
        } else {
            format!(
                "**Figures that moved most** ({} of {} rows, by relative change)",
                group(n),
                group(all.len())
            )
        };
        if n > 0 {
            body.push_str(&format!(
                "\n{title}\n\n| figure | old → new | change |\n|---|---|---|\n"
            ));
            for r in all.iter().take(n) {
                body.push_str(&format!(
                    "| {} | {} | {} |\n",
                    cell(&r.label),
                    cell(&r.values),
                    cell(&r.change)
                ));
            }
        } else {
            body.push_str(&format!(
                "\n**Figures that moved:** {} (rows left out)\n",
                group(all.len())
            ));
        }
        left.rows += all.len() - n;
    }
    let mut counts = Vec::new();
    let figures = d.figures.iter().filter(|m| m.id != "cost.total").count();
    if figures > 0 {
        counts.push(plural(figures, "figure moved", "figures moved"));
    }
    if !d.new_findings.is_empty() {
        counts.push(plural(d.new_findings.len(), "new finding", "new findings"));
    }
    if !d.fixed_findings.is_empty() {
        counts.push(plural(
            d.fixed_findings.len(),
            "finding fixed",
            "findings fixed",
        ));
    }
    let counts = if counts.is_empty() {
        String::new()
    } else {
        format!(": {}", counts.join(", "))
    };
    let text = format!(
        "\n<details><summary><code>{}</code> ({}){}</summary>\n{body}\n</details>\n",
        html(&d.name),
        html(d.status),
        html(&counts)
    );
    (text, left)
}

fn name_cell(name: &str) -> String {
    if name.contains('`') {
        cell(name)
    } else {
        cell(&format!("`{name}`"))
    }
}

fn summary_row(d: &DesignDiff) -> String {
    let cost = match &d.cost {
        Some(c) => {
            let ch = change(c);
            let priced = if c.label.contains("priced lines") {
                " (priced lines)"
            } else {
                ""
            };
            if !c.differs() {
                format!("{}{priced}, unchanged", value_text(&c.new, &c.new_reason))
            } else if ch.is_empty() || ch == "new" || ch == "gone" {
                format!("{}{priced}", values(c))
            } else {
                format!("{}{priced}, {ch}", values(c))
            }
        }
        None => "—".into(),
    };
    let bottleneck = match &d.bottleneck {
        (None, None) => "none".to_string(),
        (a, b) if a == b => format!("{} (unchanged)", a.as_deref().unwrap_or("none")),
        (a, b) => format!(
            "{} → {}",
            a.as_deref().unwrap_or("none"),
            b.as_deref().unwrap_or("none")
        ),
    };
    let errors = d
        .new_findings
        .iter()
        .filter(|f| f.severity == "error")
        .count();
    let findings = match (d.new_findings.len(), d.fixed_findings.len()) {
        (0, 0) => "—".to_string(),
        (n, f) if errors > 0 => format!(
            "{} new ({}), {} fixed",
            group(n),
            plural(errors, "error", "errors"),
            group(f)
        ),
        (n, f) => format!("{} new, {} fixed", group(n), group(f)),
    };
    format!(
        "| {} ({}) | {} | {} | {} |\n",
        name_cell(&d.name),
        cell(d.status),
        cell(&cost),
        cell(&bottleneck),
        cell(&findings)
    )
}

const TABLE_HEAD: &str =
    "\n| design | monthly cost | first bottleneck | findings |\n|---|---|---|---|\n";

fn note(left: &LeftOut, max_bytes: Option<usize>, budget_hit: bool) -> String {
    let mut parts = Vec::new();
    if left.rows > 0 {
        parts.push(plural(left.rows, "figure row", "figure rows"));
    }
    if left.items > 0 {
        parts.push(plural(left.items, "list item", "list items"));
    }
    if left.blocks > 0 {
        parts.push(format!(
            "the details of {}",
            plural(left.blocks, "design", "designs")
        ));
    }
    if left.summaries > 0 {
        parts.push(format!(
            "the summary of {}",
            plural(left.summaries, "design", "designs")
        ));
    }
    let why = match max_bytes {
        Some(max) if budget_hit => format!(", to stay under {} bytes", group(max)),
        _ => String::new(),
    };
    format!(
        "\n**Not shown:** {}{why}. `dsd diff --top all` without `--max-bytes` shows every change; `--format json` gives all of it.\n",
        parts.join("; ")
    )
}

/// The pull-request comment with the default options (`comment`).
pub fn markdown(diffs: &[DesignDiff]) -> String {
    comment(diffs, &Options::default())
}

/// The pull-request comment: the summary table, a block per changed design,
/// and a note on anything left out; at most `o.max_bytes` bytes when that is
/// at least `MIN_BYTES`.
pub fn comment(diffs: &[DesignDiff], o: &Options) -> String {
    let mut out = String::from("## dsd diff\n");
    let changed: Vec<&DesignDiff> = diffs.iter().filter(|d| !d.is_empty()).collect();
    if changed.is_empty() {
        out.push_str("\nNo design changed.\n");
        return out;
    }
    let top = o.top.unwrap_or(usize::MAX);
    let items = if o.top.is_some() { ITEMS } else { usize::MAX };
    let all_rows: Vec<Vec<Row>> = changed.iter().map(|d| rows(d)).collect();
    let full: Vec<(String, LeftOut)> = changed
        .iter()
        .zip(&all_rows)
        .map(|(d, r)| block(d, r, top, items, o))
        .collect();
    let summary: Vec<String> = changed.iter().map(|d| summary_row(d)).collect();
    let mut left = LeftOut::default();
    let mut shrunk = false;
    let used = |parts: &[&String]| parts.iter().map(|p| p.len()).sum::<usize>();
    let fits_whole = o.max_bytes.is_none_or(|max| {
        out.len()
            + TABLE_HEAD.len()
            + used(&summary.iter().collect::<Vec<_>>())
            + used(&full.iter().map(|b| &b.0).collect::<Vec<_>>())
            + NOTE_ROOM
            <= max
    });
    let (kept_summary, blocks): (usize, Vec<Option<(String, LeftOut)>>) =
        match o.max_bytes.filter(|_| !fits_whole) {
            None => (summary.len(), full.into_iter().map(Some).collect()),
            Some(max) => {
                shrunk = true;
                let room = max.saturating_sub(out.len() + TABLE_HEAD.len() + NOTE_ROOM);
                let summary_bytes: usize = summary.iter().map(String::len).sum();
                if summary_bytes > room {
                    // Not even the summary fits: as many rows as do, no details.
                    let more_row = 64;
                    let mut kept = 0;
                    let mut size = 0;
                    for s in &summary {
                        if size + s.len() + more_row > room {
                            break;
                        }
                        size += s.len();
                        kept += 1;
                    }
                    left.summaries += summary.len() - kept;
                    left.blocks += changed.len();
                    for r in &all_rows {
                        left.rows += r.len();
                    }
                    (kept, changed.iter().map(|_| None).collect())
                } else {
                    let mut room = room - summary_bytes;
                    let mut blocks: Vec<Option<(String, LeftOut)>> = vec![None; changed.len()];
                    // The smallest blocks first, so what they leave goes to the larger.
                    let mut order: Vec<usize> = (0..changed.len()).collect();
                    order.sort_by_key(|&i| (full.get(i).map_or(0, |b| b.0.len()), i));
                    for (j, &i) in order.iter().enumerate() {
                        let share = room / (order.len() - j);
                        let (Some(d), Some(r), Some(whole)) =
                            (changed.get(i), all_rows.get(i), full.get(i))
                        else {
                            continue;
                        };
                        let chosen = if whole.0.len() <= share {
                            Some(whole.clone())
                        } else {
                            // The largest level whose block fits: levels shrink
                            // rows and list items together, and sizes grow with them.
                            let longest = [
                                d.new_findings.len() + d.fixed_findings.len(),
                                d.nodes.added.len() + d.nodes.removed.len() + d.nodes.changed.len(),
                                d.flows.added.len() + d.flows.removed.len() + d.flows.changed.len(),
                                d.tools.added.len() + d.tools.removed.len() + d.tools.changed.len(),
                                d.lines.len(),
                            ]
                            .into_iter()
                            .max()
                            .unwrap_or(0);
                            let at = |k: usize| block(d, r, top.min(k), items.min(k), o);
                            let (mut lo, mut hi) =
                                (0usize, top.min(r.len()).max(items.min(longest)));
                            let mut best = None;
                            while lo <= hi {
                                let mid = lo + (hi - lo) / 2;
                                let b = at(mid);
                                if b.0.len() <= share {
                                    best = Some(b);
                                    lo = mid + 1;
                                } else if mid == 0 {
                                    break;
                                } else {
                                    hi = mid - 1;
                                }
                            }
                            best
                        };
                        match chosen {
                            Some(b) => {
                                room -= b.0.len();
                                if let Some(slot) = blocks.get_mut(i) {
                                    *slot = Some(b);
                                }
                            }
                            None => {
                                left.blocks += 1;
                                left.rows += r.len();
                            }
                        }
                    }
                    (summary.len(), blocks)
                }
            }
        };
    out.push_str(TABLE_HEAD);
    for s in summary.iter().take(kept_summary) {
        out.push_str(s);
    }
    if kept_summary < summary.len() {
        out.push_str(&format!(
            "| … and {} | | | |\n",
            plural(summary.len() - kept_summary, "more design", "more designs")
        ));
    }
    for (text, l) in blocks.into_iter().flatten() {
        out.push_str(&text);
        left.add(l);
    }
    if left.any() {
        out.push_str(&note(&left, o.max_bytes, shrunk));
    }
    out
}

/// The output of `dsd diff --format json`: what a change does to each design.
/// Values are in base units: bytes, seconds, counts, per second, and money per
/// month.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Diff", deny_unknown_fields)]
pub struct JsonDiff<'a> {
    /// Every design on either side, in the order of the files compared and of
    /// the designs in each file; a design with no change has status `changed`
    /// and empty lists.
    pub designs: Vec<JsonDesignDiff<'a>>,
}

/// What changed in one design between the base (old) and the head (new).
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "DesignDiff", deny_unknown_fields)]
pub struct JsonDesignDiff<'a> {
    /// The design's name.
    pub design: &'a str,
    /// `changed` when the design is on both sides (whether or not anything
    /// in it changed), `added` when only the head has it, `removed` when only
    /// the base has it.
    #[schemars(extend("enum" = ["changed", "added", "removed"]))]
    pub status: &'a str,
    /// The file that holds the design, as the command line or `--git` names
    /// it (repository-relative with `--git`); null when not known.
    pub file: Option<&'a str>,
    /// The design's changed lines in the head file, as `[first, last]` pairs
    /// of 1-based line numbers, both inclusive, in order; lines removed without
    /// a replacement mark the line after them. Empty when no line of the
    /// design changed.
    pub changed_lines: &'a [(usize, usize)],
    /// The monthly cost (`cost.total`) on each side; null when neither side's
    /// cost can be computed. Present even when the cost did not move.
    pub cost: Option<JsonMoved<'a>>,
    /// The first bottleneck on each side.
    pub first_bottleneck: JsonBottleneckChange<'a>,
    /// Findings only the head has, and findings only the base has.
    pub findings: JsonFindings<'a>,
    /// Nodes added, removed or changed (role, tool or properties).
    pub nodes: JsonChanges<'a>,
    /// Flows added, removed or changed (mode or write).
    pub flows: JsonChanges<'a>,
    /// Tool choices (`use TOOL for NODE`) added, removed, or with a changed
    /// trade-off.
    pub tools: JsonChanges<'a>,
    /// Every sizing figure that moved (by more than float noise), appeared,
    /// went, or stopped or started being computed: the largest relative change
    /// first, then by id.
    pub figures: Vec<JsonMoved<'a>>,
}

/// One figure of the sizing report on both sides.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "FigureChange", deny_unknown_fields)]
pub struct JsonMoved<'a> {
    /// The figure's stable id, as in `dsd report` (`rate.peak`, `cost.total`).
    pub id: &'a str,
    /// What the figure is, in words (the head's wording when it has the
    /// figure).
    pub label: &'a str,
    /// The base's value in `unit` (the middle of a range); null when the base
    /// lacks the figure or cannot compute it.
    pub old: Option<f64>,
    /// The head's value in `unit` (the middle of a range); null when the head
    /// lacks the figure or cannot compute it.
    pub new: Option<f64>,
    /// `new` − `old` in `unit`; null unless both are numbers.
    pub delta: Option<f64>,
    /// The change relative to `old`, in percent (`delta` ÷ |`old`| × 100);
    /// null unless both are numbers and `old` is not 0.
    pub percent: Option<f64>,
    /// The unit of `old`, `new` and `delta`, as `unit` in `dsd report`'s JSON
    /// (`count/s`, `B`, `USD/month`); null when neither side computes the
    /// figure.
    pub unit: Option<String>,
    /// Why the base cannot compute the figure; null when it can, or lacks it.
    pub old_reason: Option<&'a str>,
    /// Why the head cannot compute the figure; null when it can, or lacks it.
    pub new_reason: Option<&'a str>,
}

/// The check that fails first as load grows, on each side, as `LABEL at
/// FACTORx` (`` `fraud` threads at 1.14x ``).
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "BottleneckChange", deny_unknown_fields)]
pub struct JsonBottleneckChange<'a> {
    /// The base's first bottleneck; null when it has none (or lacks the
    /// design).
    pub old: Option<&'a str>,
    /// The head's first bottleneck; null when it has none (or lacks the
    /// design).
    pub new: Option<&'a str>,
}

/// Findings that appeared and went. A finding is the same on both sides when
/// its code and message are.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "FindingChanges", deny_unknown_fields)]
pub struct JsonFindings<'a> {
    /// Findings the head has and the base does not.
    pub new: Vec<JsonFinding<'a>>,
    /// Findings the base has and the head does not.
    pub fixed: Vec<JsonFinding<'a>>,
}

/// One diagnostic of `dsd check`, without its position.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Finding", deny_unknown_fields)]
pub struct JsonFinding<'a> {
    /// The rule or error code (`capacity-exceeded`); `dsd explain CODE`
    /// explains it.
    pub code: &'a str,
    /// How serious it is, after `dsd.toml` (the head's, for both sides) is
    /// applied.
    #[schemars(with = "super::json::JsonSeverity")]
    pub severity: &'a str,
    /// What is wrong, in one sentence.
    pub message: &'a str,
}

/// What was added, removed or changed in one kind of thing, each in words.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Changes", deny_unknown_fields)]
pub struct JsonChanges<'a> {
    /// What only the head has: a node with its role (`enricher
    /// (stream_processor)`), a flow with its mode and write (`loader ->
    /// warehouse (batch merge)`), a tool choice as `TOOL for NODE`.
    pub added: &'a [String],
    /// What only the base has, in the same words as `added`.
    pub removed: &'a [String],
    /// What both sides have but differently, as `NAME: OLD → NEW` (a node's
    /// role, tool and properties; a flow's mode and write; a tool choice's
    /// trade-off).
    pub changed: &'a [String],
}

/// A number as JSON writes it: `None` (null) where it is not finite, as
/// serde_json writes an infinite or NaN float.
fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

fn moved_json(m: &Moved) -> JsonMoved<'_> {
    let side = m.new.as_ref().or(m.old.as_ref());
    let q = |q: &Option<Quantity>| q.as_ref().and_then(|q| finite(json_value(q.mid(), q.dim)));
    JsonMoved {
        id: &m.id,
        label: &m.label,
        old: q(&m.old),
        new: q(&m.new),
        delta: match (m.delta(), side) {
            (Some(d), Some(s)) => finite(json_value(d, s.dim)),
            _ => None,
        },
        percent: m.percent().and_then(finite),
        unit: side.map(|q| json_unit(q.dim)),
        old_reason: m.old_reason.as_deref(),
        new_reason: m.new_reason.as_deref(),
    }
}

fn changes_json(c: &Changes) -> JsonChanges<'_> {
    JsonChanges {
        added: &c.added,
        removed: &c.removed,
        changed: &c.changed,
    }
}

/// The JSON of `dsd diff --format json`, pretty-printed with a trailing newline.
pub fn json(diffs: &[DesignDiff]) -> String {
    fn findings(v: &[crate::diff::Finding]) -> Vec<JsonFinding<'_>> {
        v.iter()
            .map(|x| JsonFinding {
                code: x.code,
                severity: x.severity,
                message: &x.message,
            })
            .collect()
    }
    let doc = JsonDiff {
        designs: diffs
            .iter()
            .map(|d| JsonDesignDiff {
                design: &d.name,
                status: d.status,
                file: d.file.as_deref(),
                changed_lines: &d.lines,
                cost: d.cost.as_ref().map(moved_json),
                first_bottleneck: JsonBottleneckChange {
                    old: d.bottleneck.0.as_deref(),
                    new: d.bottleneck.1.as_deref(),
                },
                findings: JsonFindings {
                    new: findings(&d.new_findings),
                    fixed: findings(&d.fixed_findings),
                },
                nodes: changes_json(&d.nodes),
                flows: changes_json(&d.flows),
                tools: changes_json(&d.tools),
                figures: d.figures.iter().map(moved_json).collect(),
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

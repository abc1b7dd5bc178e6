//! What a change does to a design: nodes, flows and tool choices added, removed
//! or changed; findings new and fixed; every sizing figure that moved, with cost
//! and the first bottleneck first. `emit::diff` writes it for a pull request.

use crate::diagnostic::Diagnostic;
use crate::model::Design;
use crate::sizing::Report;
use crate::units::Quantity;
use std::collections::{BTreeMap, BTreeSet};

/// One side of a comparison: a design, its sizing report and its findings.
pub struct Side<'a> {
    pub design: &'a Design,
    pub report: &'a Report,
    pub findings: Vec<&'a Diagnostic>,
}

#[derive(Clone, Debug, Default)]
pub struct Changes {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

#[derive(Clone, Debug)]
pub struct Finding {
    pub code: &'static str,
    pub severity: &'static str,
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct Moved {
    pub id: String,
    pub label: String,
    pub old: Option<Quantity>,
    pub new: Option<Quantity>,
    /// Why the figure is "not computed" on each side (`old` or `new` is then
    /// `None`): "the backlog never drains at peak". `None` where the figure is
    /// computed, or absent from that side.
    pub old_reason: Option<String>,
    pub new_reason: Option<String>,
}

impl Moved {
    /// New minus old, at the mid of each range, in base units.
    pub fn delta(&self) -> Option<f64> {
        Some(self.new.as_ref()?.mid() - self.old.as_ref()?.mid())
    }
    pub fn percent(&self) -> Option<f64> {
        let old = self.old.as_ref()?.mid();
        (old != 0.0)
            .then(|| self.delta().map(|d| d / old.abs() * 100.0))
            .flatten()
    }
    /// The relative change of each end, in percent: (low end, high end). For a
    /// figure that is one number both ends are the same. `None` when a side has
    /// no value, or an end starts at zero.
    pub fn end_percents(&self) -> Option<(f64, f64)> {
        let (o, n) = (self.old.as_ref()?, self.new.as_ref()?);
        let pct = |a: f64, b: f64| (a != 0.0).then(|| (b - a) / a.abs() * 100.0);
        Some((pct(o.lo, n.lo)?, pct(o.hi, n.hi)?))
    }
    /// Whether the figure moved: a side appeared or went, or an end moved by
    /// more than float noise.
    pub fn differs(&self) -> bool {
        match (&self.old, &self.new) {
            (Some(a), Some(b)) => moved(a, b),
            (None, None) => false,
            _ => true,
        }
    }
    /// Whether either side is a range (`0.15..5.18 GB`): one delta would be made
    /// up, so the ends are compared apart.
    pub fn is_range(&self) -> bool {
        [&self.old, &self.new]
            .into_iter()
            .flatten()
            .any(Quantity::is_range)
    }
}

#[derive(Clone, Debug)]
pub struct DesignDiff {
    pub name: String,
    /// `changed`, `added` or `removed`.
    pub status: &'static str,
    pub nodes: Changes,
    pub flows: Changes,
    pub tools: Changes,
    pub new_findings: Vec<Finding>,
    pub fixed_findings: Vec<Finding>,
    /// Figures that moved; cost and the bottleneck are also given apart.
    pub figures: Vec<Moved>,
    pub cost: Option<Moved>,
    pub bottleneck: (Option<String>, Option<String>),
    /// The file that holds the design (repository-relative with `--git`), when
    /// the caller knows it.
    pub file: Option<String>,
    /// The design's changed lines in the head file: 1-based, inclusive ranges
    /// (a deletion marks the line after it). Set by the caller, which holds the
    /// texts (see `changed_lines` and `lines_within`).
    pub lines: Vec<(usize, usize)>,
}

impl DesignDiff {
    pub fn is_empty(&self) -> bool {
        self.status == "changed"
            && self.nodes.is_empty()
            && self.flows.is_empty()
            && self.tools.is_empty()
            && self.new_findings.is_empty()
            && self.fixed_findings.is_empty()
            && self.figures.is_empty()
    }
}

fn node_facts(d: &Design) -> BTreeMap<String, String> {
    d.nodes
        .iter()
        .map(|n| {
            let props: Vec<String> = n
                .props
                .iter()
                .map(|(k, p)| format!("{k}={}", prop_text(&p.value)))
                .collect();
            let tool = n.tool.as_deref().unwrap_or("-");
            (
                n.name.name.clone(),
                format!("{} · {tool} · {}", n.role, props.join(" ")),
            )
        })
        .collect()
}

fn prop_text(v: &crate::model::Value) -> String {
    use crate::model::Value;
    match v {
        Value::Quantity(q) => q.display(),
        Value::Name(n) => n.name.clone(),
        Value::Names(ns) => ns
            .iter()
            .map(|n| n.name.clone())
            .collect::<Vec<_>>()
            .join(","),
        Value::Text(t) => t.value.clone(),
        Value::Words(w) => w.join(" "),
        Value::Flag => "yes".into(),
    }
}

fn flow_keys(d: &Design) -> BTreeMap<String, String> {
    d.flows
        .iter()
        .map(|f| {
            let name = |i: usize| d.nodes.get(i).map(|n| n.name.name.as_str()).unwrap_or("?");
            let key = format!("{} -> {}", name(f.from), name(f.to));
            let write = f
                .write
                .as_ref()
                .or(f.idempotent.as_ref())
                .map(|w| w.kind.word())
                .unwrap_or("");
            (key, format!("{} {write}", f.mode.name()))
        })
        .collect()
}

fn tool_facts(d: &Design) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for u in &d.uses {
        for n in &u.nodes {
            if let Some(node) = d.nodes.get(*n) {
                out.insert(
                    format!("{} for {}", u.tool.name, node.name.name),
                    format!("because \"{}\" accepting \"{}\"", u.because, u.accepting),
                );
            }
        }
    }
    out
}

fn compare(
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
    describe: impl Fn(&str, &str) -> String,
) -> Changes {
    let mut c = Changes::default();
    for (k, v) in new {
        match old.get(k) {
            None => c.added.push(describe(k, v)),
            Some(o) if o != v => c.changed.push(format!("{k}: {o} → {v}")),
            Some(_) => {}
        }
    }
    for (k, v) in old {
        if !new.contains_key(k) {
            c.removed.push(describe(k, v));
        }
    }
    c
}

fn findings_of(side: &Side<'_>) -> BTreeMap<(String, String), Finding> {
    side.findings
        .iter()
        .map(|d| {
            (
                (d.code.to_string(), d.message.clone()),
                Finding {
                    code: d.code,
                    severity: d.severity.as_str(),
                    message: d.message.clone(),
                },
            )
        })
        .collect()
}

/// Two figures differ when their ends move by more than float noise.
fn moved(a: &Quantity, b: &Quantity) -> bool {
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1e-12);
    !(close(a.lo, b.lo) && close(a.hi, b.hi))
}

pub fn diff(old: Option<&Side<'_>>, new: Option<&Side<'_>>) -> DesignDiff {
    let name = new
        .or(old)
        .map(|s| s.design.name.name.clone())
        .unwrap_or_default();
    let status = match (old, new) {
        (Some(_), Some(_)) => "changed",
        (None, Some(_)) => "added",
        _ => "removed",
    };
    let facts = |s: Option<&Side<'_>>, f: fn(&Design) -> BTreeMap<String, String>| {
        s.map(|x| f(x.design)).unwrap_or_default()
    };
    let nodes = compare(&facts(old, node_facts), &facts(new, node_facts), |k, v| {
        format!("{k} ({})", v.split(" · ").next().unwrap_or(""))
    });
    let flows = compare(&facts(old, flow_keys), &facts(new, flow_keys), |k, v| {
        format!("{k} ({})", v.trim())
    });
    let tools = compare(&facts(old, tool_facts), &facts(new, tool_facts), |k, _| {
        k.to_string()
    });
    let (of, nf) = (
        old.map(findings_of).unwrap_or_default(),
        new.map(findings_of).unwrap_or_default(),
    );
    let new_findings = nf
        .iter()
        .filter(|(k, _)| !of.contains_key(*k))
        .map(|(_, v)| v.clone())
        .collect();
    let fixed_findings = of
        .iter()
        .filter(|(k, _)| !nf.contains_key(*k))
        .map(|(_, v)| v.clone())
        .collect();
    type Value = Result<Quantity, String>;
    let figures_of = |s: Option<&Side<'_>>| -> BTreeMap<String, (String, Value)> {
        s.map(|x| {
            x.report
                .figures
                .iter()
                .map(|f| (f.id.clone(), (f.label.clone(), f.value.clone())))
                .collect()
        })
        .unwrap_or_default()
    };
    let (ofig, nfig) = (figures_of(old), figures_of(new));
    let ids: BTreeSet<&String> = ofig.keys().chain(nfig.keys()).collect();
    let mut figures: Vec<Moved> = Vec::new();
    for id in ids {
        let (o, n) = (ofig.get(id), nfig.get(id));
        let label = n.or(o).map(|x| x.0.clone()).unwrap_or_default();
        let value = |x: Option<&(String, Value)>| x.and_then(|x| x.1.as_ref().ok().cloned());
        let reason = |x: Option<&(String, Value)>| x.and_then(|x| x.1.as_ref().err().cloned());
        let (ov, nv) = (value(o), value(n));
        // A figure computed on one side only moved (it appeared, went, or can no
        // longer be computed: "never drains at peak"); one not computed on
        // either side did not.
        let changed = match (&ov, &nv) {
            (Some(a), Some(b)) => moved(a, b),
            (None, None) => false,
            _ => true,
        };
        if changed {
            figures.push(Moved {
                id: id.clone(),
                label,
                old: ov,
                new: nv,
                old_reason: reason(o),
                new_reason: reason(n),
            });
        }
    }
    // The biggest relative moves first, so a reviewer sees what matters.
    figures.sort_by(|a, b| {
        let key = |m: &Moved| m.percent().map(f64::abs).unwrap_or(f64::INFINITY);
        key(b).total_cmp(&key(a)).then(a.id.cmp(&b.id))
    });
    let cost = {
        let get = |s: Option<&Side<'_>>| {
            s.and_then(|x| x.report.figure("cost.total"))
                .and_then(|f| f.value.as_ref().ok().cloned())
        };
        let (a, b) = (get(old), get(new));
        // "Monthly cost (priced lines)" when some lines have no price.
        let label = [new, old]
            .into_iter()
            .flatten()
            .find_map(|x| x.report.figure("cost.total"))
            .map(|f| f.label.clone())
            .unwrap_or_else(|| "Monthly cost".into());
        (a.is_some() || b.is_some()).then(|| Moved {
            id: "cost.total".into(),
            label,
            old: a,
            new: b,
            old_reason: None,
            new_reason: None,
        })
    };
    let bottleneck_of = |s: Option<&Side<'_>>| {
        s.and_then(|x| x.report.first_bottleneck.as_ref()).map(|b| {
            format!(
                "{} at {}x",
                b.label,
                crate::units::format_number((b.factor * 100.0).round() / 100.0)
            )
        })
    };
    DesignDiff {
        name,
        status,
        nodes,
        flows,
        tools,
        new_findings,
        fixed_findings,
        figures,
        cost,
        bottleneck: (bottleneck_of(old), bottleneck_of(new)),
        file: None,
        lines: Vec::new(),
    }
}

/// The most edits `changed_lines` looks for, and the most lines it compares
/// after the common head and tail are taken off: past either, the lines between
/// the first and the last change count as changed. Both keep the work bounded
/// (Myers' diff is O((N+M)·D)) and the answer deterministic.
const MAX_EDITS: usize = 1_000;
const MAX_COMPARED: usize = 100_000;

/// The lines of `new` that differ from `old`, as 1-based inclusive ranges (Myers'
/// diff over lines, ends as `source::line_starts` reads them). Lines removed
/// without a replacement mark the line that follows them (or the last line).
pub fn changed_lines(old: &str, new: &str) -> Vec<(usize, usize)> {
    let a: Vec<&str> = crate::source::lines(old).collect();
    let b: Vec<&str> = crate::source::lines(new).collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (a_rest, b_rest) = (a.get(head..).unwrap_or(&[]), b.get(head..).unwrap_or(&[]));
    let tail = a_rest
        .iter()
        .rev()
        .zip(b_rest.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let a_mid = a_rest.get(..a_rest.len() - tail).unwrap_or(&[]);
    let b_mid = b_rest.get(..b_rest.len() - tail).unwrap_or(&[]);
    if a_mid.is_empty() && b_mid.is_empty() {
        return Vec::new();
    }
    // Indices into `b_mid` of inserted lines, and of the line after a deletion.
    let marks = if a_mid.len() + b_mid.len() > MAX_COMPARED {
        None
    } else {
        edits(a_mid, b_mid)
    }
    .unwrap_or_else(|| (0..b_mid.len().max(1)).collect());
    let last = b.len();
    let mut lines: Vec<usize> = marks
        .into_iter()
        .map(|i| (head + i + 1).min(last))
        .filter(|&l| l > 0)
        .collect();
    lines.sort_unstable();
    lines.dedup();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for l in lines {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 >= l => *end = l,
            _ => ranges.push((l, l)),
        }
    }
    ranges
}

/// Myers' shortest edit script from `a` to `b`: the indices into `b` of lines
/// inserted, and of the line after each line deleted. `None` past `MAX_EDITS`.
fn edits(a: &[&str], b: &[&str]) -> Option<Vec<usize>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let cap = ((n + m) as usize).min(MAX_EDITS) as isize;
    let offset = cap + 1;
    let at = |k: isize| (k + offset) as usize;
    let mut v = vec![0isize; (2 * cap + 3) as usize];
    let get = |v: &[isize], k: isize| v.get(at(k)).copied().unwrap_or(0);
    // The furthest reach on each diagonal before each step, for the way back.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let mut found = None;
    'search: for d in 0..=cap {
        trace.push(v.clone());
        let mut k = -d;
        while k <= d {
            let down = k == -d || (k != d && get(&v, k - 1) < get(&v, k + 1));
            let mut x = if down {
                get(&v, k + 1)
            } else {
                get(&v, k - 1) + 1
            };
            let mut y = x - k;
            while x < n && y < m && a.get(x as usize) == b.get(y as usize) {
                x += 1;
                y += 1;
            }
            if let Some(slot) = v.get_mut(at(k)) {
                *slot = x;
            }
            if x >= n && y >= m {
                found = Some(d);
                break 'search;
            }
            k += 2;
        }
    }
    let found = found?;
    let mut marks = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (1..=found).rev() {
        let v = trace.get(d as usize)?;
        let k = x - y;
        let down = k == -d || (k != d && get(v, k - 1) < get(v, k + 1));
        let prev_k = if down { k + 1 } else { k - 1 };
        let prev_x = get(v, prev_k);
        let prev_y = prev_x - prev_k;
        // A move down inserts b[prev_y]; a move right deletes a[prev_x], just
        // before b[prev_y].
        marks.push(prev_y.max(0) as usize);
        x = prev_x;
        y = prev_y;
    }
    Some(marks)
}

/// The ranges of `changed` that fall inside the lines of `span` in `text` (the
/// design's own lines), clipped to them.
pub fn lines_within(
    changed: &[(usize, usize)],
    text: &str,
    span: crate::source::Span,
) -> Vec<(usize, usize)> {
    let starts = crate::source::line_starts(text);
    let line_of = |offset: u32| starts.partition_point(|&s| s <= offset as usize);
    let (first, last) = (line_of(span.start), line_of(span.end.saturating_sub(1)));
    changed
        .iter()
        .filter(|(a, b)| *b >= first && *a <= last)
        .map(|&(a, b)| (a.max(first), b.min(last)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_lines_are_the_head_lines_a_reviewer_looks_at() {
        let old = "a\nb\nc\nd\ne\n";
        assert_eq!(changed_lines(old, old), vec![]);
        assert_eq!(changed_lines(old, "a\nB\nc\nd\ne\n"), vec![(2, 2)]);
        assert_eq!(changed_lines(old, "a\nB\nc\nD\ne\n"), vec![(2, 2), (4, 4)]);
        assert_eq!(changed_lines(old, "a\nb\nx\ny\nc\nd\ne\n"), vec![(3, 4)]);
        // A deletion marks the line after it; at the end, the last line.
        assert_eq!(changed_lines(old, "a\nc\nd\ne\n"), vec![(2, 2)]);
        assert_eq!(changed_lines(old, "a\nb\nc\nd\n"), vec![(4, 4)]);
        assert_eq!(changed_lines("", "a\nb\n"), vec![(1, 2)]);
        assert_eq!(changed_lines("a\n", ""), vec![]);
        // Line ends as the grammar reads them.
        assert_eq!(changed_lines("a\r\nb\r\n", "a\rB\r"), vec![(2, 2)]);
    }

    #[test]
    fn past_the_edit_budget_the_changed_stretch_is_one_range() {
        let old: String = (0..3000).map(|i| format!("{i}\n")).collect();
        let new: String = (0..3000).map(|i| format!("{}\n", i * 7 + 1)).collect();
        let r = changed_lines(&old, &new);
        assert_eq!(r, vec![(1, 3000)]);
        let mut lines: Vec<String> = (0..3000).map(|i| i.to_string()).collect();
        if let Some(l) = lines.get_mut(1500) {
            *l = "x".into();
        }
        assert_eq!(
            changed_lines(&old, &(lines.join("\n") + "\n")),
            vec![(1501, 1501)]
        );
    }

    #[test]
    fn lines_within_clips_to_the_design() {
        let text = "design a {\n}\ndesign b {\n  x\n}\n";
        let start = text.find("design b").unwrap_or(0);
        let span = crate::source::Span::new(start, text.len() - 1);
        assert_eq!(lines_within(&[(1, 1), (2, 4)], text, span), vec![(3, 4)]);
        assert_eq!(lines_within(&[(1, 2)], text, span), vec![]);
    }
}

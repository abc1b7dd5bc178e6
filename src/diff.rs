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
    let figures_of = |s: Option<&Side<'_>>| -> BTreeMap<String, (String, Option<Quantity>)> {
        s.map(|x| {
            x.report
                .figures
                .iter()
                .map(|f| {
                    (
                        f.id.clone(),
                        (f.label.clone(), f.value.as_ref().ok().cloned()),
                    )
                })
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
        let (ov, nv) = (o.and_then(|x| x.1.clone()), n.and_then(|x| x.1.clone()));
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
    }
}

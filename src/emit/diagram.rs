//! The picture of a design, independent of the drawing format: boxes with roles,
//! tools and findings, arrows with mode and peak throughput, layers as groups, and
//! the views (`path:NAME`, `layer:NAME`, `overview`). `dot.rs` and `mermaid.rs`
//! draw it.

use crate::diagnostic::Diagnostic;
use crate::model::{Catalogue, Design, FlowMode, ReadKind, RoleKind};
use crate::sizing::Report;
use crate::source::Span;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug)]
pub struct Box {
    /// The design name of the node (or of the layer, in the overview).
    pub name: String,
    pub role: String,
    pub kind: Option<RoleKind>,
    pub tool: Option<String>,
    /// Rules with findings on this node.
    pub findings: Vec<&'static str>,
    /// The overview's box for nodes in no layer: not a design name, so every
    /// format gives it an id no name can take (a layer may be called `other`).
    pub unlayered: bool,
}

#[derive(Clone, Debug)]
pub struct Arrow {
    pub from: usize,
    pub to: usize,
    pub label: String,
    pub dashed: bool,
    pub findings: Vec<&'static str>,
    /// Named paths this arrow lies on.
    pub paths: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Group {
    pub name: String,
    pub title: String,
    pub members: Vec<usize>,
}

#[derive(Clone, Debug)]
pub struct Diagram {
    pub name: String,
    pub title: String,
    pub boxes: Vec<Box>,
    pub arrows: Vec<Arrow>,
    pub groups: Vec<Group>,
    /// A note for the reader (a view chosen for them, say).
    pub note: Option<String>,
}

/// Which part of a design to draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum View {
    All,
    Path(String),
    Layer(String),
    Overview,
}

impl View {
    /// `path:NAME`, `layer:NAME`, `overview` or `all`.
    pub fn parse(text: &str) -> Result<View, String> {
        match text.split_once(':') {
            Some(("path", n)) if !n.is_empty() => Ok(View::Path(n.to_string())),
            Some(("layer", n)) if !n.is_empty() => Ok(View::Layer(n.to_string())),
            None if text == "overview" => Ok(View::Overview),
            None if text == "all" => Ok(View::All),
            _ => Err(format!(
                "`{text}` is not a view: use `all`, `overview`, `path:NAME` or `layer:NAME`"
            )),
        }
    }
}

/// Designs over this many nodes are drawn as the overview unless a view is asked for.
pub const OVERVIEW_OVER: usize = 300;

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end && outer.end > outer.start
}

/// The whole design as a diagram, with sizing figures on the arrows and findings
/// on what they are about.
pub fn build(
    design: &Design,
    catalogue: &Catalogue,
    report: &Report,
    diags: &[Diagnostic],
) -> Diagram {
    let file = design.file;
    let mut boxes: Vec<Box> = design
        .nodes
        .iter()
        .map(|n| Box {
            name: n.name.name.clone(),
            role: n.role.clone(),
            kind: catalogue.roles.get(&n.role).map(|r| r.kind),
            tool: n.tool.clone(),
            findings: Vec::new(),
            unlayered: false,
        })
        .collect();
    let mut on_paths: BTreeMap<(usize, usize), Vec<String>> = BTreeMap::new();
    for p in &design.paths {
        for w in p.hops.windows(2) {
            if let [a, b] = w {
                on_paths
                    .entry((*a, *b))
                    .or_default()
                    .push(p.name.name.clone());
                on_paths
                    .entry((*b, *a))
                    .or_default()
                    .push(p.name.name.clone());
            }
        }
    }
    let mut arrows: Vec<Arrow> = design
        .flows
        .iter()
        .map(|f| {
            let from = design
                .nodes
                .get(f.from)
                .map(|n| n.name.name.as_str())
                .unwrap_or("");
            let to = design
                .nodes
                .get(f.to)
                .map(|n| n.name.name.as_str())
                .unwrap_or("");
            let mut parts: Vec<String> = Vec::new();
            match &f.mode {
                FlowMode::Stream => parts.push("stream".into()),
                FlowMode::Batch { every: Some(e) } if (e.hi - 86_400.0).abs() < 1e-6 => {
                    parts.push("batch daily".into())
                }
                FlowMode::Batch { every: Some(e) } if (e.hi - 3_600.0).abs() < 1e-6 => {
                    parts.push("batch hourly".into())
                }
                FlowMode::Batch { every: Some(e) } => {
                    parts.push(format!("batch every {}", e.display()))
                }
                FlowMode::Batch { every: None } => parts.push("batch".into()),
                FlowMode::Cdc => parts.push("cdc".into()),
                FlowMode::Unspecified => {}
            }
            if let Some(r) = &f.read {
                parts.push(
                    match r.kind {
                        ReadKind::Lookup => "read lookup",
                        ReadKind::Scan => "read scan",
                        ReadKind::Range => "read range",
                        ReadKind::Search => "read search",
                        ReadKind::Traverse => "read traverse",
                    }
                    .to_string(),
                );
            }
            if let Some(w) = f.write.as_ref().or(f.idempotent.as_ref()) {
                let kind = w.kind.word();
                parts.push(match (&w.key, w.kind) {
                    (Some(k), crate::model::WriteKind::Overwrite) => {
                        format!("{kind} partition({})", k.name)
                    }
                    (Some(k), _) => format!("{kind}({})", k.name),
                    (None, _) => kind.to_string(),
                });
            }
            let edge = format!("flow.{from}->{to}");
            // A read (`read lookup`) carries queries, not the records another
            // flow between the same two nodes writes.
            // Flows joining the same two nodes are told apart by schema
            // (`Ctx::edge_names`).
            let parallel = f
                .carries
                .as_ref()
                .map(|(n, _)| format!("{edge}:{}", n.name));
            let bytes = [Some(edge.clone()), parallel]
                .into_iter()
                .flatten()
                .find_map(|edge| {
                    report
                        .figure(&format!("{edge}.compressed"))
                        .or_else(|| report.figure(&format!("{edge}.raw")))
                })
                .and_then(|x| x.value.as_ref().ok())
                .filter(|_| f.read.is_none());
            if let Some(b) = bytes {
                parts.push(format!("{} at peak", b.display()));
            }
            Arrow {
                from: f.from,
                to: f.to,
                label: parts.join(" · "),
                dashed: f.mode.is_dashed(),
                findings: Vec::new(),
                paths: on_paths.get(&(f.from, f.to)).cloned().unwrap_or_default(),
            }
        })
        .collect();
    // A finding belongs to the node or flow whose declaration holds its span
    // (declarations are in source order: a binary search finds it).
    let node_spans: Vec<Span> = design.nodes.iter().map(|n| n.span).collect();
    let flow_spans: Vec<Span> = design.flows.iter().map(|f| f.span).collect();
    let holder = |spans: &[Span], span: Span| -> Option<usize> {
        let k = spans.partition_point(|s| s.start <= span.start);
        let i = k.checked_sub(1)?;
        contains(*spans.get(i)?, span).then_some(i)
    };
    for d in diags.iter().filter(|d| d.primary.file == file) {
        let span = d.primary.span;
        if let Some(i) = holder(&node_spans, span)
            && let Some(b) = boxes.get_mut(i)
            && !b.findings.contains(&d.code)
        {
            b.findings.push(d.code);
            continue;
        }
        // A chained `flow a -> b -> c` is several flows with one span: mark each.
        let k = flow_spans.partition_point(|s| s.start <= span.start);
        let mut i = k;
        while let Some(prev) = i.checked_sub(1)
            && flow_spans.get(prev).is_some_and(|s| contains(*s, span))
        {
            i = prev;
            if let Some(a) = arrows.get_mut(prev)
                && !a.findings.contains(&d.code)
            {
                a.findings.push(d.code);
            }
        }
        if i != k {
            continue;
        }
        if let Some(i) = holder(&flow_spans, span)
            && let Some(a) = arrows.get_mut(i)
            && !a.findings.contains(&d.code)
        {
            a.findings.push(d.code);
        }
    }
    let mut groups: Vec<Group> = design
        .layers
        .iter()
        .map(|l| Group {
            name: l.name.name.clone(),
            title: l.title.clone().unwrap_or_else(|| l.name.name.clone()),
            members: l.members.clone(),
        })
        .collect();
    // A node belongs to its first layer only.
    let mut placed = BTreeSet::new();
    for g in &mut groups {
        g.members.retain(|m| placed.insert(*m));
    }
    Diagram {
        name: design.name.name.clone(),
        title: design
            .title
            .clone()
            .unwrap_or_else(|| design.name.name.clone()),
        boxes,
        arrows,
        groups,
        note: None,
    }
}

impl Diagram {
    /// The part of the diagram a view asks for.
    pub fn view(self, view: &View) -> Result<Diagram, String> {
        match view {
            View::All => Ok(self),
            View::Path(name) => {
                let keep: BTreeSet<usize> = self
                    .arrows
                    .iter()
                    .filter(|a| a.paths.iter().any(|p| p == name))
                    .flat_map(|a| [a.from, a.to])
                    .collect();
                if keep.is_empty() {
                    return Err(format!(
                        "design `{}` has no path `{name}` with flows",
                        self.name
                    ));
                }
                Ok(self.keep(&keep, |a| a.paths.iter().any(|p| p == name)))
            }
            View::Layer(name) => {
                let Some(g) = self.groups.iter().find(|g| &g.name == name) else {
                    let names: Vec<&str> = self.groups.iter().map(|g| g.name.as_str()).collect();
                    return Err(format!(
                        "design `{}` has no layer `{name}`; layers: {}",
                        self.name,
                        names.join(", ")
                    ));
                };
                let keep: BTreeSet<usize> = g.members.iter().copied().collect();
                Ok(self.keep(&keep, |_| true))
            }
            View::Overview => Ok(self.overview()),
        }
    }

    fn keep(self, keep: &BTreeSet<usize>, arrow_ok: impl Fn(&Arrow) -> bool) -> Diagram {
        let Diagram {
            name,
            title,
            boxes: all,
            arrows: all_arrows,
            groups: all_groups,
            note,
        } = self;
        let mut index = BTreeMap::new();
        let mut boxes = Vec::new();
        for (i, b) in all.into_iter().enumerate() {
            if keep.contains(&i) {
                index.insert(i, boxes.len());
                boxes.push(b);
            }
        }
        let arrows = all_arrows
            .into_iter()
            .filter(|a| arrow_ok(a))
            .filter_map(|mut a| {
                a.from = *index.get(&a.from)?;
                a.to = *index.get(&a.to)?;
                Some(a)
            })
            .collect();
        let groups = all_groups
            .into_iter()
            .map(|mut g| {
                g.members = g
                    .members
                    .iter()
                    .filter_map(|m| index.get(m).copied())
                    .collect();
                g
            })
            .filter(|g| !g.members.is_empty())
            .collect();
        Diagram {
            name,
            title,
            boxes,
            arrows,
            groups,
            note,
        }
    }

    /// One box per layer (and one for nodes in none), arrows between layers with
    /// the number of flows they stand for.
    pub fn overview(self) -> Diagram {
        let mut layer_of: BTreeMap<usize, usize> = BTreeMap::new();
        let mut boxes = Vec::new();
        for g in &self.groups {
            for m in &g.members {
                layer_of.insert(*m, boxes.len());
            }
            let findings: BTreeSet<&'static str> = g
                .members
                .iter()
                .filter_map(|m| self.boxes.get(*m))
                .flat_map(|b| b.findings.iter().copied())
                .collect();
            boxes.push(Box {
                name: g.name.clone(),
                role: format!("{} nodes", g.members.len()),
                kind: None,
                tool: None,
                findings: findings.into_iter().collect(),
                unlayered: false,
            });
        }
        let loose: Vec<usize> = (0..self.boxes.len())
            .filter(|i| !layer_of.contains_key(i))
            .collect();
        if !loose.is_empty() {
            let at = boxes.len();
            for i in &loose {
                layer_of.insert(*i, at);
            }
            boxes.push(Box {
                name: "other".into(),
                role: format!("{} nodes in no layer", loose.len()),
                kind: None,
                tool: None,
                findings: Vec::new(),
                unlayered: true,
            });
        }
        let mut counts: BTreeMap<(usize, usize), (usize, bool)> = BTreeMap::new();
        for a in &self.arrows {
            let (Some(f), Some(t)) = (layer_of.get(&a.from), layer_of.get(&a.to)) else {
                continue;
            };
            if f == t {
                continue;
            }
            let e = counts.entry((*f, *t)).or_insert((0, true));
            e.0 += 1;
            e.1 &= a.dashed;
        }
        let arrows = counts
            .into_iter()
            .map(|((from, to), (n, dashed))| Arrow {
                from,
                to,
                label: if n == 1 {
                    "1 flow".into()
                } else {
                    format!("{n} flows")
                },
                dashed,
                findings: Vec::new(),
                paths: Vec::new(),
            })
            .collect();
        Diagram {
            note: Some(format!(
                "overview of {} nodes: one box per layer",
                self.boxes.len()
            )),
            name: self.name,
            title: self.title,
            boxes,
            arrows,
            groups: Vec::new(),
        }
    }
}

/// How a kind of role is drawn: (DOT shape, fill colour, legend text).
pub fn style(kind: Option<RoleKind>) -> (&'static str, &'static str, &'static str) {
    match kind {
        Some(RoleKind::Origin) => ("house", "#e8f0fe", "source"),
        Some(RoleKind::Broker) => ("cds", "#fef7e0", "stream / queue"),
        Some(RoleKind::Store) => ("cylinder", "#e6f4ea", "store"),
        Some(RoleKind::Processor) => ("box", "#f3e8fd", "processing"),
        Some(RoleKind::Control) => ("component", "#f1f3f4", "control"),
        Some(RoleKind::Consumer) => ("tab", "#fce8e6", "serving"),
        None => ("box", "#ffffff", "layer"),
    }
}

/// The kinds drawn in a diagram, for its legend.
pub fn kinds(d: &Diagram) -> Vec<Option<RoleKind>> {
    let order = [
        RoleKind::Origin,
        RoleKind::Broker,
        RoleKind::Processor,
        RoleKind::Store,
        RoleKind::Consumer,
        RoleKind::Control,
    ];
    order
        .into_iter()
        .filter(|k| d.boxes.iter().any(|b| b.kind == Some(*k)))
        .map(Some)
        .collect()
}

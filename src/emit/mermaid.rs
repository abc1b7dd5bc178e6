//! Mermaid flowchart: layers as subgraphs, a `classDef` per kind of role, arrows
//! labelled with mode and peak throughput (dotted for batch and CDC), findings
//! styled. Ids are built from the design's names so that any name, `end` and
//! `subgraph` included, yields a valid chart; texts use Mermaid's entity codes.

use super::diagram::{Diagram, kinds, style};
use crate::model::RoleKind;
use std::fmt::Write;

/// A Mermaid id: `n_` and the name with every character outside `[A-Za-z0-9_]`
/// written as `_uHEX_`, so it is stable, unique and never a keyword.
fn id(prefix: &str, name: &str) -> String {
    let mut out = String::from(prefix);
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else {
            let _ = write!(out, "_u{:x}_", u32::from(c));
        }
    }
    out
}

/// Text inside `"..."`: quotes, angle brackets, `#`, `&`, pipes and backticks as
/// entity codes, newlines as `<br/>`.
fn text(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '\\' => out.push_str("#92;"),
            '\n' => out.push_str("<br/>"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

fn class(kind: Option<RoleKind>) -> &'static str {
    match kind {
        Some(RoleKind::Origin) => "origin",
        Some(RoleKind::Broker) => "broker",
        Some(RoleKind::Store) => "store",
        Some(RoleKind::Processor) => "processor",
        Some(RoleKind::Control) => "control",
        Some(RoleKind::Consumer) => "consumer",
        None => "layer",
    }
}

/// Mermaid's node shapes closest to the DOT ones.
fn shape(kind: Option<RoleKind>, label: &str) -> String {
    match kind {
        Some(RoleKind::Store) => format!("[(\"{label}\")]"),
        Some(RoleKind::Broker) => format!(">\"{label}\"]"),
        Some(RoleKind::Origin) => format!("([\"{label}\"])"),
        Some(RoleKind::Consumer) => format!("[/\"{label}\"/]"),
        Some(RoleKind::Control) => format!("{{{{\"{label}\"}}}}"),
        _ => format!("[\"{label}\"]"),
    }
}

pub fn render(d: &Diagram) -> String {
    let mut out = String::new();
    let title = match &d.note {
        Some(n) => format!("{} ({n})", d.title),
        None => d.title.clone(),
    };
    // The title is YAML, not a Mermaid label: YAML's own escapes apply there.
    let yaml: String = title
        .chars()
        .filter(|c| !c.is_control())
        .flat_map(|c| match c {
            '"' => vec!['\\', '"'],
            '\\' => vec!['\\', '\\'],
            c => vec![c],
        })
        .collect();
    let _ = writeln!(out, "---\ntitle: \"{yaml}\"\n---");
    out.push_str("flowchart LR\n");
    let node = |i: usize| -> String {
        let Some(b) = d.boxes.get(i) else {
            return String::new();
        };
        let sub = match &b.tool {
            Some(t) => format!("{} · {t}", b.role),
            None => b.role.clone(),
        };
        let label = format!("{}<br/><small>{}</small>", text(&b.name), text(&sub));
        format!("{}{}", id("n_", &b.name), shape(b.kind, &label))
    };
    let mut drawn = vec![false; d.boxes.len()];
    for g in &d.groups {
        let _ = writeln!(
            out,
            "  subgraph {}[\"{}\"]",
            id("l_", &g.name),
            text(&g.title)
        );
        for m in &g.members {
            if let Some(slot) = drawn.get_mut(*m)
                && !*slot
            {
                *slot = true;
                let _ = writeln!(out, "    {}", node(*m));
            }
        }
        out.push_str("  end\n");
        let _ = writeln!(
            out,
            "  style {} fill:#f8f9fa,stroke:#dadce0",
            id("l_", &g.name)
        );
    }
    for (i, done) in drawn.iter().enumerate() {
        if !done {
            let _ = writeln!(out, "  {}", node(i));
        }
    }
    let name = |i: usize| {
        d.boxes
            .get(i)
            .map(|b| id("n_", &b.name))
            .unwrap_or_default()
    };
    let mut finding_links = Vec::new();
    for (k, a) in d.arrows.iter().enumerate() {
        let arrow = if a.dashed { "-.->" } else { "-->" };
        if a.label.is_empty() {
            let _ = writeln!(out, "  {} {arrow} {}", name(a.from), name(a.to));
        } else {
            let _ = writeln!(
                out,
                "  {} {arrow}|\"{}\"| {}",
                name(a.from),
                text(&a.label),
                name(a.to)
            );
        }
        if !a.findings.is_empty() {
            finding_links.push(k.to_string());
        }
    }
    for k in kinds(d).into_iter().chain([None]) {
        let (_, fill, _) = style(k);
        let _ = writeln!(
            out,
            "  classDef {} fill:{fill},stroke:#5f6368,color:#202124",
            class(k)
        );
    }
    out.push_str("  classDef finding stroke:#d93025,stroke-width:3px\n");
    let mut by_class: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
    for b in &d.boxes {
        by_class
            .entry(class(b.kind))
            .or_default()
            .push(id("n_", &b.name));
    }
    for (c, ids) in &by_class {
        let _ = writeln!(out, "  class {} {c}", ids.join(","));
    }
    let flagged: Vec<String> = d
        .boxes
        .iter()
        .filter(|b| !b.findings.is_empty())
        .map(|b| id("n_", &b.name))
        .collect();
    if !flagged.is_empty() {
        let _ = writeln!(out, "  class {} finding", flagged.join(","));
    }
    if !finding_links.is_empty() {
        let _ = writeln!(
            out,
            "  linkStyle {} stroke:#d93025,stroke-width:2px",
            finding_links.join(",")
        );
    }
    out
}

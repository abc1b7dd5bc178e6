//! Mermaid flowchart: layers as subgraphs, a `classDef` per kind of role, arrows
//! labelled with mode and peak throughput (dotted for batch and CDC), findings
//! styled. Ids are built from the design's names, one-to-one, so that any name,
//! `end` and `subgraph` included, yields a valid chart; texts use Mermaid's
//! entity codes, `%` included.

use super::diagram::{Diagram, kinds, style};
use crate::model::RoleKind;
use std::fmt::Write;

/// A Mermaid id, one-to-one with the name. A name of `[A-Za-z0-9_]` only is
/// `prefix_NAME` (`n_` for nodes, `l_` for layers). Any other name is
/// `prefixx_` and the name with `_` written `__` and every character outside
/// `[A-Za-z0-9]` written `_HEX_`: the escape character is itself escaped, so
/// `café` and `caf_ue9_` stay two ids. The two families differ in the character
/// after the prefix letter (`_` or `x`), and no id is ever a keyword.
fn id(prefix: char, name: &str) -> String {
    let mut out = String::from(prefix);
    if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        out.push('_');
        out.push_str(name);
        return out;
    }
    out.push_str("x_");
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c == '_' {
            out.push_str("__");
        } else {
            let _ = write!(out, "_{:x}_", u32::from(c));
        }
    }
    out
}

/// The id of a box: the overview's box of nodes in no layer is `o_other`, which
/// no name can take (every name's id starts `n_` or `nx_`).
fn box_id(b: &super::diagram::Box) -> String {
    if b.unlayered {
        "o_other".into()
    } else {
        id('n', &b.name)
    }
}

/// Text inside `"..."`: quotes, angle brackets, `#`, `%`, `&`, pipes, backslashes
/// and backticks as entity codes (so no `%%` comment or `%%{init}%%` directive,
/// no string end and no Markdown string survives), line ends as `<br/>`, other
/// control characters dropped.
fn text(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '%' => out.push_str("#37;"),
            '&' => out.push_str("#amp;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '\\' => out.push_str("#92;"),
            '\n' | '\u{2028}' | '\u{2029}' => out.push_str("<br/>"),
            c if c.is_control() => {}
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
    // `%` is written `\x25` so that no `%%` (a comment or an `init` directive,
    // which Mermaid looks for anywhere in the text) reaches the chart.
    let mut yaml = String::with_capacity(title.len());
    for c in title.chars() {
        match c {
            '"' => yaml.push_str("\\\""),
            '\\' => yaml.push_str("\\\\"),
            '%' => yaml.push_str("\\x25"),
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => {}
            c => yaml.push(c),
        }
    }
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
        format!("{}{}", box_id(b), shape(b.kind, &label))
    };
    let mut drawn = vec![false; d.boxes.len()];
    for g in &d.groups {
        let _ = writeln!(
            out,
            "  subgraph {}[\"{}\"]",
            id('l', &g.name),
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
            id('l', &g.name)
        );
    }
    for (i, done) in drawn.iter().enumerate() {
        if !done {
            let _ = writeln!(out, "  {}", node(i));
        }
    }
    let name = |i: usize| d.boxes.get(i).map(box_id).unwrap_or_default();
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
        by_class.entry(class(b.kind)).or_default().push(box_id(b));
    }
    for (c, ids) in &by_class {
        let _ = writeln!(out, "  class {} {c}", ids.join(","));
    }
    let flagged: Vec<String> = d
        .boxes
        .iter()
        .filter(|b| !b.findings.is_empty())
        .map(box_id)
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

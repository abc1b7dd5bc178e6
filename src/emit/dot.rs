//! Graphviz DOT: layers as clusters, a shape and colour per kind of role with a
//! legend, the tool under each name, arrows labelled with mode and peak
//! throughput, batch and CDC dashed, findings outlined in red with the rule as
//! tooltip. Ids are the design's names, quoted and escaped.

use super::diagram::{Diagram, kinds, style};
use std::fmt::Write;

/// A DOT quoted string: `"` and `\` escaped, newlines as `\n`, so that user text
/// never becomes an escape sequence or ends the string.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A label of several lines: each line escaped, joined with `\n`.
fn lines(parts: &[&str]) -> String {
    let inner: Vec<String> = parts
        .iter()
        .map(|p| {
            let q = quote(p);
            q.get(1..q.len().saturating_sub(1))
                .unwrap_or("")
                .to_string()
        })
        .collect();
    format!("\"{}\"", inner.join("\\n"))
}

const FINDING: &str = "#d93025";

pub fn render(d: &Diagram) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quote(&d.name));
    let title = match &d.note {
        Some(n) => format!("{}\n({n})", d.title),
        None => d.title.clone(),
    };
    let _ = writeln!(
        out,
        "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=14, labelloc=t, label={}, nodesep=0.4, ranksep=0.7];",
        quote(&title)
    );
    out.push_str("  node [fontname=\"Helvetica\", fontsize=11, style=\"filled\", penwidth=1];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#5f6368\"];\n");
    // Names are identifiers, which hold no `:`: the overview's box of nodes in
    // no layer takes an id with one, so a layer called `other` stays its own box.
    let id = |i: usize| match d.boxes.get(i) {
        Some(b) if b.unlayered => quote("overview:other"),
        Some(b) => quote(&b.name),
        None => quote("?"),
    };
    let node_line = |i: usize, indent: &str| -> String {
        let Some(b) = d.boxes.get(i) else {
            return String::new();
        };
        let (shape, fill, _) = style(b.kind);
        let sub = match &b.tool {
            Some(t) => format!("{} · {t}", b.role),
            None => b.role.clone(),
        };
        let mut attrs = format!(
            "label={}, shape={shape}, fillcolor=\"{fill}\"",
            lines(&[&b.name, &sub])
        );
        if b.findings.is_empty() {
            let _ = write!(
                attrs,
                ", tooltip={}",
                quote(&format!("{} ({})", b.name, b.role))
            );
        } else {
            let _ = write!(
                attrs,
                ", color=\"{FINDING}\", penwidth=2.5, tooltip={}",
                quote(&format!("findings: {}", b.findings.join(", ")))
            );
        }
        format!("{indent}{} [{attrs}];\n", id(i))
    };
    let mut drawn = vec![false; d.boxes.len()];
    for (k, g) in d.groups.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph {} {{",
            quote(&format!("cluster_{k}_{}", g.name))
        );
        let _ = writeln!(
            out,
            "    label={}; style=\"rounded,filled\"; fillcolor=\"#f8f9fa\"; color=\"#dadce0\"; fontsize=12;",
            quote(&g.title)
        );
        for m in &g.members {
            if let Some(slot) = drawn.get_mut(*m)
                && !*slot
            {
                *slot = true;
                out.push_str(&node_line(*m, "    "));
            }
        }
        out.push_str("  }\n");
    }
    for (i, done) in drawn.iter().enumerate() {
        if !done {
            out.push_str(&node_line(i, "  "));
        }
    }
    for a in &d.arrows {
        let mut attrs = vec![format!("label={}", quote(&a.label))];
        if a.dashed {
            attrs.push("style=dashed".into());
        }
        if !a.paths.is_empty() {
            // `class` lands in the SVG, so a page can highlight a named path.
            let classes: Vec<String> = a.paths.iter().map(|p| format!("path-{p}")).collect();
            attrs.push(format!("class={}", quote(&classes.join(" "))));
        }
        if !a.findings.is_empty() {
            attrs.push(format!("color=\"{FINDING}\", penwidth=2"));
            attrs.push(format!(
                "tooltip={}",
                quote(&format!("findings: {}", a.findings.join(", ")))
            ));
        }
        let _ = writeln!(
            out,
            "  {} -> {} [{}];",
            id(a.from),
            id(a.to),
            attrs.join(", ")
        );
    }
    // The legend: one sample per kind drawn, ids no design name can take.
    let used = kinds(d);
    if !used.is_empty() {
        out.push_str("  subgraph \"cluster_legend\" {\n    label=\"legend\"; style=\"rounded\"; color=\"#dadce0\"; fontsize=10;\n");
        for k in &used {
            let (shape, fill, text) = style(*k);
            let _ = writeln!(
                out,
                "    {} [label={}, shape={shape}, fillcolor=\"{fill}\", fontsize=9];",
                quote(&format!("legend:{text}")),
                quote(text)
            );
        }
        let _ = writeln!(
            out,
            "    \"legend:finding\" [label=\"has a finding\", shape=box, fillcolor=\"#ffffff\", color=\"{FINDING}\", penwidth=2.5, fontsize=9];"
        );
        out.push_str("  }\n");
    }
    out.push_str("}\n");
    out
}

//! SVG without Graphviz: a layered layout of its own, deterministic and bounded.
//! Columns are the design's layers in the order declared (or, with no layers, the
//! longest-path rank from the sources); within a column, nodes are ordered by the
//! mean position of what feeds them. Arrows are curves with their labels; findings
//! are red with the rule as tooltip. Every user string is XML-escaped.

use super::diagram::{Diagram, kinds, style};
use crate::model::RoleKind;
use std::fmt::Write;

/// XML text and attribute escaping, for the SVG and the HTML design book. What
/// XML 1.0 forbids in a document (the C0 controls but tab, newline and CR) is
/// dropped, as are the other controls; the noncharacters U+FFFE and U+FFFF,
/// which XML forbids too, become U+FFFD so the reader sees something was there.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c if c.is_control() && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

const FONT: f64 = 12.0;
const CHAR: f64 = 7.0;
const BOX_H: f64 = 46.0;
const ROW_GAP: f64 = 34.0;
const COL_GAP: f64 = 150.0;
const MARGIN: f64 = 30.0;
const TOP: f64 = 70.0;
const FINDING: &str = "#d93025";

fn text_width(t: &str) -> f64 {
    t.chars().count() as f64 * CHAR
}

/// The column of each box.
fn columns(d: &Diagram) -> Vec<usize> {
    let n = d.boxes.len();
    let mut col = vec![usize::MAX; n];
    if !d.groups.is_empty() {
        for (k, g) in d.groups.iter().enumerate() {
            for m in &g.members {
                if let Some(c) = col.get_mut(*m)
                    && *c == usize::MAX
                {
                    *c = k;
                }
            }
        }
        let extra = d.groups.len();
        for c in col.iter_mut().filter(|c| **c == usize::MAX) {
            *c = extra;
        }
        return col;
    }
    // Longest path from the sources, by relaxing arrows at most n times (cycles
    // stop growing at n).
    let mut rank = vec![0usize; n];
    for _ in 0..n.min(64) {
        let mut changed = false;
        for a in &d.arrows {
            if a.from == a.to {
                continue;
            }
            let next = rank.get(a.from).copied().unwrap_or(0) + 1;
            if let Some(r) = rank.get_mut(a.to)
                && next > *r
                && next < n.max(1)
            {
                *r = next;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    rank
}

struct Placed {
    x: f64,
    y: f64,
    w: f64,
}

fn shape(
    out: &mut String,
    kind: Option<RoleKind>,
    p: &Placed,
    fill: &str,
    stroke: &str,
    width: f64,
) {
    let (x, y, w, h) = (p.x, p.y, p.w, BOX_H);
    let common = format!("fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{width}\"");
    let _ = match kind {
        Some(RoleKind::Store) => {
            let ry = 6.0;
            writeln!(
                out,
                "<path d=\"M{x},{y0} a{rx},{ry} 0 0,1 {w},0 v{hh} a{rx},{ry} 0 0,1 -{w},0 z M{x},{y0} a{rx},{ry} 0 0,0 {w},0\" {common}/>",
                y0 = y + ry,
                rx = w / 2.0,
                hh = h - 2.0 * ry
            )
        }
        Some(RoleKind::Broker) => writeln!(
            out,
            "<path d=\"M{x},{y} h{a} l12,{m} l-12,{m} h-{a} z\" {common}/>",
            a = w - 12.0,
            m = h / 2.0
        ),
        Some(RoleKind::Origin) => writeln!(
            out,
            "<path d=\"M{x},{yb} v-{s} l{hw},-{t} l{hw},{t} v{s} z\" {common}/>",
            yb = y + h,
            s = h - 10.0,
            hw = w / 2.0,
            t = 10.0
        ),
        Some(RoleKind::Consumer) => writeln!(
            out,
            "<path d=\"M{x},{y} h{t} v4 h{r} v{hh} h-{w} z\" {common}/>",
            t = 16.0,
            r = w - 16.0,
            hh = h - 4.0
        ),
        Some(RoleKind::Control) => writeln!(
            out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" {common} stroke-dasharray=\"4 2\"/>"
        ),
        _ => writeln!(
            out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"6\" {common}/>"
        ),
    };
}

/// The diagram as a standalone SVG document.
pub fn render(d: &Diagram) -> String {
    let n = d.boxes.len();
    let col = columns(d);
    let ncols = col.iter().copied().max().map(|m| m + 1).unwrap_or(0);
    // Order within each column: declaration order first, then by the mean row of
    // the boxes feeding each one (two sweeps are enough for design-sized graphs).
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); ncols];
    for (i, c) in col.iter().enumerate() {
        if let Some(r) = rows.get_mut(*c) {
            r.push(i);
        }
    }
    let mut row_of = vec![0.0f64; n];
    let mut feeders: Vec<Vec<usize>> = vec![Vec::new(); n];
    for a in &d.arrows {
        if let Some(f) = feeders.get_mut(a.to) {
            f.push(a.from);
        }
    }
    for _ in 0..2 {
        for r in rows.iter_mut() {
            for (k, i) in r.iter().enumerate() {
                if let Some(slot) = row_of.get_mut(*i) {
                    *slot = k as f64;
                }
            }
        }
        for r in rows.iter_mut() {
            let key = |i: &usize| -> f64 {
                let f = feeders.get(*i).map(Vec::as_slice).unwrap_or(&[]);
                if f.is_empty() {
                    row_of.get(*i).copied().unwrap_or(0.0)
                } else {
                    f.iter().filter_map(|x| row_of.get(*x)).sum::<f64>() / f.len() as f64
                }
            };
            let mut keyed: Vec<(f64, usize)> = r.iter().map(|i| (key(i), *i)).collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            *r = keyed.into_iter().map(|(_, i)| i).collect();
        }
    }
    // Sizes and positions.
    let label_of = |i: usize| -> (String, String) {
        let Some(b) = d.boxes.get(i) else {
            return (String::new(), String::new());
        };
        let sub = match &b.tool {
            Some(t) => format!("{} · {t}", b.role),
            None => b.role.clone(),
        };
        (b.name.clone(), sub)
    };
    let widths: Vec<f64> = (0..n)
        .map(|i| {
            let (a, b) = label_of(i);
            (text_width(&a).max(text_width(&b) * 0.85) + 24.0).clamp(90.0, 320.0)
        })
        .collect();
    let col_w: Vec<f64> = rows
        .iter()
        .map(|r| {
            r.iter()
                .filter_map(|i| widths.get(*i))
                .fold(90.0f64, |m, w| m.max(*w))
        })
        .collect();
    let mut col_x = Vec::with_capacity(ncols);
    let mut x = MARGIN;
    for w in &col_w {
        col_x.push(x);
        x += w + COL_GAP;
    }
    let width = (x - COL_GAP + MARGIN).max(400.0);
    let tallest = rows.iter().map(Vec::len).max().unwrap_or(0) as f64;
    let height = TOP + tallest * (BOX_H + ROW_GAP) + 120.0;
    let mut placed: Vec<Placed> = (0..n)
        .map(|_| Placed {
            x: 0.0,
            y: 0.0,
            w: 0.0,
        })
        .collect();
    for (c, r) in rows.iter().enumerate() {
        let cx = col_x.get(c).copied().unwrap_or(MARGIN);
        let cw = col_w.get(c).copied().unwrap_or(90.0);
        for (k, i) in r.iter().enumerate() {
            let w = widths.get(*i).copied().unwrap_or(90.0);
            if let Some(p) = placed.get_mut(*i) {
                *p = Placed {
                    x: cx + (cw - w) / 2.0,
                    y: TOP + k as f64 * (BOX_H + ROW_GAP),
                    w,
                };
            }
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\" font-family=\"Helvetica, Arial, sans-serif\" role=\"img\" aria-label=\"{}\">",
        esc(&d.title)
    );
    let _ = writeln!(out, "<title>{}</title>", esc(&d.title));
    out.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#5f6368\"/></marker>");
    let _ = writeln!(
        out,
        "<marker id=\"arrow-finding\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{FINDING}\"/></marker></defs>"
    );
    let _ = writeln!(
        out,
        "<rect x=\"0\" y=\"0\" width=\"{width:.0}\" height=\"{height:.0}\" fill=\"#ffffff\"/>"
    );
    let title = match &d.note {
        Some(note) => format!("{} ({note})", d.title),
        None => d.title.clone(),
    };
    let _ = writeln!(
        out,
        "<text x=\"{:.0}\" y=\"28\" text-anchor=\"middle\" font-size=\"16\">{}</text>",
        width / 2.0,
        esc(&title)
    );
    // Column headings: the layers.
    for (c, r) in rows.iter().enumerate() {
        if r.is_empty() {
            continue;
        }
        let heading = d.groups.get(c).map(|g| g.title.clone()).unwrap_or_else(|| {
            if d.groups.is_empty() {
                String::new()
            } else {
                "other".into()
            }
        });
        let cx = col_x.get(c).copied().unwrap_or(0.0) + col_w.get(c).copied().unwrap_or(0.0) / 2.0;
        let top = TOP - 22.0;
        let _ = writeln!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"10\" fill=\"#f8f9fa\" stroke=\"#dadce0\"/>",
            col_x.get(c).copied().unwrap_or(0.0) - 12.0,
            top - 6.0,
            col_w.get(c).copied().unwrap_or(0.0) + 24.0,
            r.len() as f64 * (BOX_H + ROW_GAP) + 14.0
        );
        if !heading.is_empty() {
            let _ = writeln!(
                out,
                "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#5f6368\">{}</text>",
                top + 8.0,
                esc(&heading)
            );
        }
    }
    // Arrows under the boxes.
    for a in &d.arrows {
        let (Some(f), Some(t)) = (placed.get(a.from), placed.get(a.to)) else {
            continue;
        };
        let (x1, y1, x2, y2, bend);
        if t.x > f.x + f.w {
            (x1, y1, x2, y2) = (f.x + f.w, f.y + BOX_H / 2.0, t.x, t.y + BOX_H / 2.0);
            bend = ((x2 - x1) / 2.0).max(30.0);
        } else if t.x + t.w < f.x {
            (x1, y1, x2, y2) = (f.x, f.y + BOX_H / 2.0, t.x + t.w, t.y + BOX_H / 2.0);
            bend = -((x1 - x2) / 2.0).max(30.0);
        } else {
            // Same column: leave from the bottom, arrive at the top (or the reverse).
            let down = t.y >= f.y;
            (x1, y1) = (f.x + f.w / 2.0 + 10.0, if down { f.y + BOX_H } else { f.y });
            (x2, y2) = (t.x + t.w / 2.0 + 10.0, if down { t.y } else { t.y + BOX_H });
            bend = 0.0;
        }
        let finding = !a.findings.is_empty();
        let color = if finding { FINDING } else { "#5f6368" };
        let path = if bend == 0.0 {
            format!(
                "M{x1:.1},{y1:.1} C{:.1},{y1:.1} {:.1},{y2:.1} {x2:.1},{y2:.1}",
                x1 + 40.0,
                x2 + 40.0
            )
        } else {
            format!(
                "M{x1:.1},{y1:.1} C{:.1},{y1:.1} {:.1},{y2:.1} {x2:.1},{y2:.1}",
                x1 + bend,
                x2 - bend
            )
        };
        let classes: Vec<String> = a.paths.iter().map(|p| format!("path-{}", esc(p))).collect();
        let _ = write!(out, "<g class=\"flow {}\">", classes.join(" "));
        if finding {
            let _ = write!(
                out,
                "<title>findings: {}</title>",
                esc(&a.findings.join(", "))
            );
        }
        let _ = writeln!(
            out,
            "<path d=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{}\"{} marker-end=\"url(#{})\"/>",
            if finding { 2.0 } else { 1.2 },
            if a.dashed {
                " stroke-dasharray=\"6 4\""
            } else {
                ""
            },
            if finding { "arrow-finding" } else { "arrow" }
        );
        if !a.label.is_empty() {
            let (mx, my) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
            let w = text_width(&a.label) * 0.8 + 8.0;
            let _ = writeln!(
                out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"14\" fill=\"#ffffff\" opacity=\"0.85\"/><text x=\"{mx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"9.5\" fill=\"{color}\">{}</text>",
                mx - w / 2.0,
                my - 10.0,
                my,
                esc(&a.label)
            );
        }
        out.push_str("</g>\n");
    }
    // Boxes.
    for (i, b) in d.boxes.iter().enumerate() {
        let Some(p) = placed.get(i) else { continue };
        let (_, fill, _) = style(b.kind);
        let finding = !b.findings.is_empty();
        // `node-NAME`, or for the overview's box of nodes in no layer an id no
        // name can take (it does not start `node-`), so a layer called `other`
        // is not a second element with the same id.
        let node_id = if b.unlayered {
            "overview-other".to_string()
        } else {
            format!("node-{}", esc(&b.name))
        };
        let _ = write!(out, "<g class=\"node\" id=\"{node_id}\">");
        let tip = if finding {
            format!(
                "{} ({}): findings: {}",
                b.name,
                b.role,
                b.findings.join(", ")
            )
        } else {
            format!("{} ({})", b.name, b.role)
        };
        let _ = writeln!(out, "<title>{}</title>", esc(&tip));
        shape(
            &mut out,
            b.kind,
            p,
            fill,
            if finding { FINDING } else { "#5f6368" },
            if finding { 2.5 } else { 1.0 },
        );
        let (name, sub) = label_of(i);
        let cx = p.x + p.w / 2.0;
        let _ = writeln!(
            out,
            "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"{FONT}\" fill=\"#202124\">{}</text><text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"9.5\" fill=\"#5f6368\">{}</text>",
            p.y + 20.0,
            esc(&name),
            p.y + 35.0,
            esc(&sub)
        );
        out.push_str("</g>\n");
    }
    // Legend.
    let mut lx = MARGIN;
    let ly = height - 50.0;
    for k in kinds(d) {
        let (_, fill, text) = style(k);
        let p = Placed {
            x: lx,
            y: ly,
            w: 96.0,
        };
        let mut s = String::new();
        shape(&mut s, k, &p, fill, "#5f6368", 1.0);
        out.push_str(&s);
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\">{}</text>",
            lx + 48.0,
            ly + 27.0,
            esc(text)
        );
        lx += 110.0;
    }
    if !kinds(d).is_empty() {
        let _ = writeln!(
            out,
            "<rect x=\"{lx:.1}\" y=\"{ly:.1}\" width=\"96\" height=\"46\" rx=\"6\" fill=\"#ffffff\" stroke=\"{FINDING}\" stroke-width=\"2.5\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\">has a finding</text>",
            lx + 48.0,
            ly + 27.0
        );
    }
    out.push_str("</svg>\n");
    out
}

//! Property tests: any names and titles a design can hold give DOT, Mermaid and
//! SVG whose structure survives them. (The real tools check the examples and the
//! awkward-names fixtures in `scripts/check-diagrams.sh`.)

use dsd::emit::diagram::{View, build};
use dsd::emit::{dot, mermaid, svg};
use proptest::prelude::*;

/// An identifier as dsd reads them (XID), Latin or not, keyword or not.
fn name() -> impl Strategy<Value = String> {
    let first = prop::sample::select(vec!['a', 'e', 'z', 'é', 'ж', 'भ', 'ß', 'Q', 'ü', 'π']);
    let rest = prop::collection::vec(
        prop::sample::select(vec!['a', 'n', 'd', '_', '0', '9', 'é', 'ж', 'ा', 'भ']),
        0..8,
    );
    (first, rest).prop_map(|(f, r)| std::iter::once(f).chain(r).collect())
}

/// A title full of what breaks diagram syntaxes.
fn title() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "\"", "<", ">", "-->", "end", "subgraph", "#", "|", "&", "\\", "`", "[", "]", "{", "}",
            ";", "%%", "class", "style", "a b", "é", "ж", "<script>", "\\n",
        ]),
        0..12,
    )
    .prop_map(|v| v.concat())
}

/// dsd string literal: quotes and backslashes escaped.
fn lit(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn design(names: &[String], t: &str, layer_title: &str) -> String {
    let mut out = format!("design d {} {{\n", lit(t));
    for (i, n) in names.iter().enumerate() {
        let role = [
            "service",
            "stream_broker",
            "stream_processor",
            "object_store",
            "dashboard",
        ]
        .get(i % 5)
        .copied()
        .unwrap_or("service");
        out.push_str(&format!("  node {n}_{i} : {role}\n"));
    }
    for i in 1..names.len() {
        out.push_str(&format!(
            "  flow {}_{} -> {}_{} stream\n",
            names[i - 1],
            i - 1,
            names[i],
            i
        ));
    }
    let half: Vec<String> = names
        .iter()
        .enumerate()
        .take(names.len() / 2 + 1)
        .map(|(i, n)| format!("{n}_{i}"))
        .collect();
    out.push_str(&format!(
        "  layer first {} {{ {} }}\n",
        lit(layer_title),
        half.join(", ")
    ));
    out.push_str("}\n");
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn any_names_and_titles_give_well_formed_diagrams(
        names in prop::collection::vec(name(), 1..8),
        t in title(),
        lt in title(),
    ) {
        let text = design(&names, &t, &lt);
        let c = dsd::compile("p.dsd", &text, &dsd::NoImports);
        let front: Vec<_> = c.diagnostics.iter().filter(|d| d.is_error() && dsd::rules::is_front_end(d.code)).collect();
        prop_assert!(front.is_empty(), "{:?}\n{}", front, text);
        let Some(checked) = c.designs.first() else { return Err(TestCaseError::fail("no design")) };
        let report = dsd::sizing::size(&checked.design, &c.catalogue, 1.0);
        let d = build(&checked.design, &c.catalogue, &report, &c.diagnostics).view(&View::All).map_err(TestCaseError::fail)?;

        // DOT: every string closed; every line's quotes balanced once escapes go.
        let g = dot::render(&d);
        for line in g.lines() {
            let bare = line.replace("\\\\", "").replace("\\\"", "");
            prop_assert_eq!(bare.matches('"').count() % 2, 0, "{}", line);
        }
        prop_assert_eq!(g.matches('{').count(), g.matches('}').count() + count_in_strings(&g, '{') - count_in_strings(&g, '}'));

        // Mermaid: ids are ASCII words; no raw markup or quote inside labels.
        let m = mermaid::render(&d);
        for line in m.lines().skip(3) {
            for word in line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
                if word.starts_with("n_") || word.starts_with("l_") {
                    prop_assert!(word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
                }
            }
            if let Some(label) = line.split_once("[\"").map(|x| x.1) {
                let inner = label.rsplit_once("\"]").map(|x| x.0).unwrap_or(label);
                let inner = inner.replace("<br/>", "").replace("<small>", "").replace("</small>", "");
                prop_assert!(!inner.contains('"') && !inner.contains('<') && !inner.contains('>'), "{}", line);
            }
        }

        // SVG: user text never opens a tag.
        let s = svg::render(&d);
        prop_assert!(!s.contains("<script"));
        prop_assert_eq!(s.matches("<svg").count(), 1);
    }
}

/// How often `c` appears inside DOT quoted strings (those braces are text).
fn count_in_strings(dot: &str, c: char) -> usize {
    let mut n = 0;
    let mut inside = false;
    let mut escaped = false;
    for ch in dot.chars() {
        if escaped {
            escaped = false;
            if inside && ch == c {
                n += 1;
            }
            continue;
        }
        match ch {
            '\\' if inside => escaped = true,
            '"' => inside = !inside,
            x if inside && x == c => n += 1,
            _ => {}
        }
    }
    n
}

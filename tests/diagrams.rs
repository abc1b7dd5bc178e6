//! DOT and Mermaid output: snapshots of every example and of a design with
//! awkward names, views, findings drawn, `dsd build`, determinism. Whether the
//! real tools accept the output is checked by `scripts/check-diagrams.sh`.

mod common;
use common::run;
use std::path::Path;

fn examples() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".dsd"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_example_draws_in_dot_and_mermaid() {
    for name in examples() {
        let path = format!("examples/{name}");
        let stem = name.trim_end_matches(".dsd");
        let (code, dot, err) = run(&["dot", &path]);
        assert_eq!(code, 0, "{path}: {err}");
        assert!(dot.starts_with("digraph "), "{dot}");
        insta::assert_snapshot!(format!("{stem}.dot"), dot);
        let (code, mmd, err) = run(&["mermaid", &path]);
        assert_eq!(code, 0, "{path}: {err}");
        assert!(mmd.contains("flowchart LR"), "{mmd}");
        insta::assert_snapshot!(format!("{stem}.mmd"), mmd);
        // The same input gives the same bytes.
        assert_eq!(run(&["dot", &path]).1, dot);
        assert_eq!(run(&["mermaid", &path]).1, mmd);
    }
}

/// Every Mermaid id this chart defines or uses.
fn mermaid_ids(mmd: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for line in mmd.lines() {
        let t = line.trim_start();
        for word in t.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            if word.starts_with("n_") || word.starts_with("l_") {
                ids.push(word.to_string());
            }
        }
    }
    ids
}

#[test]
fn awkward_names_give_safe_ids_and_escaped_text() {
    let path = "tests/fixtures/diagrams/awkward_names.dsd";
    let (code, dot, err) = run(&["dot", path]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("awkward_names.dot", dot);
    // Every quote inside a DOT string is escaped: an even number of bare quotes per line.
    for line in dot.lines() {
        let bare = line
            .replace("\\\\", "")
            .replace("\\\"", "")
            .matches('"')
            .count();
        assert_eq!(bare % 2, 0, "unbalanced quotes: {line}");
    }
    assert!(
        dot.contains("\"स्टोर\""),
        "unicode names stay readable in DOT ids"
    );
    let (code, mmd, err) = run(&["mermaid", path]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("awkward_names.mmd", mmd);
    for id in mermaid_ids(&mmd) {
        assert!(
            id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{id}"
        );
    }
    // Keywords are never bare ids, and markup in titles is entity-coded.
    for kw in ["end", "subgraph", "graph", "class", "style", "linkStyle"] {
        assert!(
            !mmd.lines()
                .any(|l| l.trim_start().starts_with(&format!("{kw}["))
                    || l.trim_start().starts_with(&format!("{kw}("))),
            "{kw}"
        );
    }
    assert!(mmd.contains("#lt;i#gt;rest#lt;/i#gt;"), "{mmd}");
    assert!(!mmd.contains("<i>"), "{mmd}");
}

#[test]
fn findings_are_drawn_on_what_they_are_about() {
    let path = "tests/rules/non-idempotent-write/fail.dsd";
    let (_, dot, _) = run(&["dot", path]);
    let edge = dot
        .lines()
        .find(|l| l.contains("\"enrich\" -> \"landing\""))
        .unwrap_or_else(|| panic!("{dot}"));
    assert!(edge.contains("#d93025"), "{edge}");
    assert!(edge.contains("findings: non-idempotent-write"), "{edge}");
    let path = "tests/rules/single-point-of-failure/fail.dsd";
    let (_, dot, _) = run(&["dot", path]);
    let node = dot
        .lines()
        .find(|l| l.trim_start().starts_with("\"snapshot\" ["))
        .unwrap_or_else(|| panic!("{dot}"));
    assert!(node.contains("findings: single-point-of-failure"), "{node}");
    let (_, mmd, _) = run(&["mermaid", path]);
    assert!(mmd.contains("class n_snapshot finding"), "{mmd}");
}

#[test]
fn views_draw_a_path_a_layer_or_the_overview() {
    let file = "examples/razorpay_payments.dsd";
    let (code, dot, _) = run(&["dot", "--view", "path:fraud_decision", file]);
    assert_eq!(code, 0);
    for n in ["gateway", "payments", "fraud", "decisions"] {
        assert!(dot.contains(&format!("\"{n}\" [")), "{n}: {dot}");
    }
    assert!(!dot.contains("\"raw\" ["), "{dot}");
    let (_, dot, _) = run(&["dot", "--view", "layer:storage", file]);
    assert!(
        dot.contains("\"raw\" [") && !dot.contains("\"fraud\" ["),
        "{dot}"
    );
    let (_, dot, _) = run(&["dot", "--view", "overview", file]);
    insta::assert_snapshot!("razorpay_overview.dot", dot);
    for layer in ["ingestion", "transport", "processing", "storage", "serving"] {
        assert!(dot.contains(&format!("\"{layer}\" [")), "{layer}");
    }
    let (code, _, err) = run(&["dot", "--view", "layer:nope", file]);
    assert_eq!(code, 2);
    assert!(err.contains("no layer `nope`"), "{err}");
    let (code, _, _) = run(&["mermaid", "--view", "sideways", file]);
    assert_eq!(code, 2);
}

#[test]
fn build_writes_every_format_into_the_folder() {
    let dir = std::env::temp_dir().join(format!("dsd-build-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.to_string_lossy().into_owned();
    let (code, _, err) = run(&["build", "examples", "-o", &out]);
    assert_eq!(code, 0, "{err}");
    for name in examples() {
        let stem = name.trim_end_matches(".dsd");
        for ext in ["dot", "mmd", "md", "json"] {
            let p = dir.join(format!("{stem}.{ext}"));
            let text =
                std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            assert!(!text.is_empty(), "{}", p.display());
        }
    }
    let (code, _, _) = run(&[
        "build",
        "examples/razorpay_payments.dsd",
        "-o",
        &out,
        "--emit",
        "dot",
    ]);
    assert_eq!(code, 0);
    let (code, _, _) = run(&["build", "examples", "-o", &out, "--emit", "gif"]);
    assert_eq!(code, 2);
    let _ = std::fs::remove_dir_all(&dir);
}

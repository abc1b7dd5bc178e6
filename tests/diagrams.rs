//! DOT and Mermaid output: snapshots of every example and of a design with
//! awkward names, views, findings drawn, `dsd build`, determinism. Whether the
//! real tools accept the output is checked by `scripts/check-diagrams.sh`.

mod common;
use common::{run, temp_dir};

fn examples() -> Vec<String> {
    common::dsd_names("examples")
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

fn read(p: &std::path::Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn svg_and_the_design_book_are_self_contained_and_deterministic() {
    let dir = temp_dir("book");
    let out = dir.to_string_lossy().into_owned();
    let (code, _, err) = run(&["build", "examples", "-o", &out, "--emit", "svg,html"]);
    assert_eq!(code, 0, "{err}");
    let svg = read(&dir.join("razorpay_payments.svg"));
    let html = read(&dir.join("razorpay_payments.html"));
    insta::assert_snapshot!("razorpay_payments.svg", svg);
    insta::assert_snapshot!("razorpay_payments.html", html);
    for name in examples() {
        let stem = name.trim_end_matches(".dsd");
        let page = read(&dir.join(format!("{stem}.html")));
        // One file, nothing fetched: no scripts, no external references, a CSP
        // that forbids them anyway.
        assert!(!page.contains("<script"), "{stem}");
        assert!(
            !page.contains("http://")
                || page.matches("http://").count()
                    == page.matches("http://www.w3.org/2000/svg").count(),
            "{stem}"
        );
        assert!(!page.contains("https://"), "{stem}");
        assert!(page.contains("Content-Security-Policy"), "{stem}");
        for section in [
            "Architecture",
            "Requirements",
            "Framework coverage",
            "Findings",
            "Trade-off register",
            "Sizing",
            "Failure modes",
        ] {
            assert!(page.contains(section), "{stem}: no {section}");
        }
        assert!(page.contains("<svg"), "{stem}: no diagram");
    }
    // The same input gives the same bytes.
    let again = temp_dir("book-again");
    let out2 = again.to_string_lossy().into_owned();
    let _ = run(&["build", "examples", "-o", &out2, "--emit", "svg,html"]);
    for name in examples() {
        let stem = name.trim_end_matches(".dsd");
        for ext in ["svg", "html"] {
            assert_eq!(
                read(&dir.join(format!("{stem}.{ext}"))),
                read(&again.join(format!("{stem}.{ext}"))),
                "{stem}.{ext}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&again);
}

#[test]
fn every_user_string_is_escaped_in_html_and_svg() {
    let dir = temp_dir("hostile");
    let out = dir.to_string_lossy().into_owned();
    let (code, _, err) = run(&[
        "build",
        "tests/fixtures/diagrams/hostile_text.dsd",
        "-o",
        &out,
    ]);
    assert_eq!(code, 0, "{err}");
    for ext in ["html", "svg"] {
        let text = read(&dir.join(format!("hostile.{ext}")));
        for bad in [
            "<script",
            "<img",
            "<iframe",
            "<style>*",
            "<b on",
            "</td></tr></table><",
            "</svg><script",
        ] {
            assert!(!text.contains(bad), "hostile.{ext} carries `{bad}`");
        }
    }
    let html = read(&dir.join("hostile.html"));
    assert!(
        html.contains("&lt;script&gt;alert(&#39;because&#39;)&lt;/script&gt;"),
        "the text is shown, escaped"
    );
    assert!(
        html.contains("&lt;iframe"),
        "the allow's reason is shown, escaped"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn big_designs_are_drawn_as_the_overview_unless_a_view_is_asked_for() {
    let mut text = String::from(
        "design big {\n  requirements { volume 1M events/day  peak 2x  latency a <= 1 s  delivery at_least_once  retention s0 >= 1 day  team 40 }\n",
    );
    for i in 0..400 {
        text.push_str(&format!("  node s{i} : object_store\n"));
    }
    for i in 0..399 {
        text.push_str(&format!(
            "  flow s{i} -> s{} batch daily write merge(id)\n",
            i + 1
        ));
    }
    text.push_str("  layer first { ");
    text.push_str(
        &(0..200)
            .map(|i| format!("s{i}"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    text.push_str(" }\n  layer second { ");
    text.push_str(
        &(200..400)
            .map(|i| format!("s{i}"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    text.push_str(" }\n}\n");
    let dir = temp_dir("big");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let file = dir.join("big.dsd");
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
    let out = dir.join("out");
    let (code, _, err) = run(&[
        "build",
        &file.to_string_lossy(),
        "-o",
        &out.to_string_lossy(),
        "--emit",
        "svg,dot",
    ]);
    assert_eq!(code, 0, "{err}");
    let svg = read(&out.join("big.svg"));
    assert!(
        svg.contains("400 nodes, drawn as one box per layer"),
        "{svg}"
    );
    assert_eq!(svg.matches("class=\"node\"").count(), 2);
    // DOT is for tools: it keeps every node unless a view is asked for.
    assert_eq!(
        read(&out.join("big.dot"))
            .lines()
            .filter(|l| l.trim_start().starts_with("\"s") && l.contains("shape="))
            .count(),
        400
    );
    let (code, _, _) = run(&[
        "build",
        &file.to_string_lossy(),
        "-o",
        &out.to_string_lossy(),
        "--emit",
        "svg",
        "--view",
        "layer:first",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        read(&out.join("big.svg")).matches("class=\"node\"").count(),
        200
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn graphviz_layout_says_clearly_when_dot_is_missing() {
    let dir = temp_dir("nodot");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dsd"))
        .args([
            "build",
            "examples/razorpay_payments.dsd",
            "-o",
            &dir.to_string_lossy(),
            "--emit",
            "svg",
            "--layout",
            "graphviz",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PATH", "/nonexistent")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`dot` is not installed"), "{err}");
    // dsd's own layout needs nothing on the PATH.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dsd"))
        .args([
            "build",
            "examples/razorpay_payments.dsd",
            "-o",
            &dir.to_string_lossy(),
            "--emit",
            "svg,html",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PATH", "/nonexistent")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(read(&dir.join("razorpay_payments.svg")).starts_with("<svg"));
    let _ = std::fs::remove_dir_all(&dir);
}

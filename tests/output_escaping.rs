//! User text in every output format is inert (issue 17): the pull-request comment
//! shows it as text, Mermaid charts take no directive from it and keep one id per
//! name, overview boxes never merge with a layer called `other`, SVG stays
//! well-formed XML, SARIF URIs are URI references, and names cannot hide
//! invisible characters.

mod common;
use common::{run, temp_dir};
use serde_json::Value;
use std::path::Path;

fn fixture(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

#[test]
fn diff_comment_links_a_hostile_file_name_as_inert_text() {
    let dir = temp_dir("md-path");
    let name = "a [x](http://e) <b>@octocat`|.dsd";
    let base = fixture("examples/razorpay_payments.dsd");
    write(&dir.join("old").join(name), &base);
    write(
        &dir.join("new").join(name),
        &base.replace("peak        2000 payments/s", "peak        4000 payments/s"),
    );
    let (code, md, err) = common::run_in(
        &dir,
        &[
            "diff",
            "--link-base",
            "https://github.com/o/r/blob/abc",
            &format!("old/{name}"),
            &format!("new/{name}"),
        ],
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 0, "{err}");
    // The name is a code span (a fence longer than its backtick), the link
    // target percent-encoded: one link, to the lines.
    assert!(
        md.contains(
            "**Changed lines** in ``new/a [x](http://e) <b>@octocat`|.dsd``: [8](https://github.com/o/r/blob/abc/new/a%20%5Bx%5D%28http%3A//e%29%20%3Cb%3E%40octocat%60%7C.dsd#L8)"
        ),
        "{md}"
    );
    assert_eq!(md.matches("](https:").count(), 1, "{md}");
}

/// A dsd string literal whose value would be Markdown, HTML and a mention, and
/// after a backslash and a raw CR (which a dsd string may hold) new Markdown
/// blocks, if the comment took it raw.
const HOSTILE_MD: &str = "\"![pixel](http://evil.example/p.png) [click](http://evil.example) @octocat <img src=x onerror=alert(1)> *bold* `code` ~~gone~~ $x$ \\\r# Heading\\\r\\n- item\u{2028}> quote\"";

#[test]
fn diff_comment_shows_changed_trade_off_text_as_text() {
    let dir = temp_dir("md-escape");
    let old = dir.join("old/hostile.dsd");
    let new = dir.join("new/hostile.dsd");
    let base = fixture("tests/fixtures/diagrams/hostile_text.dsd");
    write(&old, &base);
    write(
        &new,
        &base.replace("\"<script>alert('because')</script>\"", HOSTILE_MD),
    );
    let (code, md, err) = run(&["diff", &old.to_string_lossy(), &new.to_string_lossy()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(code == 0 || code == 1, "{err}");
    let line = md
        .lines()
        .find(|l| l.starts_with("- changed: kafka for bus"))
        .unwrap_or_else(|| panic!("no changed trade-off line:\n{md}"));
    // The whole payload stays on its one list line.
    assert!(
        line.contains("Heading") && line.contains("item") && line.contains("quote"),
        "{md}"
    );
    for l in md.lines() {
        assert!(
            !(l.starts_with("# Heading") || l.starts_with("- item") || l.starts_with("> quote")),
            "user text started a Markdown block: {l:?}\n{md}"
        );
    }
    for raw in [
        "![", "[click]", "<img", "<script", "@octocat", "*bold*", "~~gone", "$x$", "http://",
    ] {
        assert!(!md.contains(raw), "`{raw}` reached the comment raw:\n{md}");
    }
    assert!(!md.contains('\r') && !md.contains('\u{2028}'), "{md:?}");
    assert!(
        line.contains("&lt;img") && line.contains("\\!\\[pixel\\]"),
        "{line}"
    );
}

/// A design whose texts carry a Mermaid `init` directive, two names that the old
/// id escaping merged, and a layer called `other` beside nodes in no layer.
fn awkward() -> String {
    let base = fixture("tests/fixtures/diagrams/hostile_text.dsd");
    base.replace(
        "design hostile \"<script>alert('title')</script> & \\\"friends\\\"\"",
        "design hostile \"%%{init: {'themeCSS': '.node {display: none}'}}%% 100%\"",
    )
    .replace(
        "layer ingest \"<b onmouseover=alert(2)>in</b>\" { app, bus }",
        "layer other \"%%{init: {'theme': 'dark'}}%%\" { app, bus }",
    )
    .replace(
        "layer work \"</svg><script>alert(3)</script>\" { job, lake }",
        "layer work \"w\" { job }\n  node café : object_store { retain 30 days }\n  node caf_ue9_ : object_store { retain 30 days }\n  flow job -> café batch daily\n  flow job -> caf_ue9_ batch daily",
    )
}

fn design_file(tag: &str, text: &str) -> (std::path::PathBuf, String) {
    let dir = temp_dir(tag);
    let file = dir.join("awkward.dsd");
    write(&file, text);
    let name = file.to_string_lossy().into_owned();
    (dir, name)
}

#[test]
fn mermaid_takes_no_directive_from_user_text_and_keeps_one_id_per_name() {
    let (dir, file) = design_file("mmd-escape", &awkward());
    let (code, mmd, err) = run(&["mermaid", &file]);
    let (_, overview, _) = run(&["mermaid", "--view", "overview", &file]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 0, "{err}");
    for chart in [&mmd, &overview] {
        assert!(!chart.contains("%%"), "a `%%` reached the chart:\n{chart}");
        assert!(!chart.contains("init:") || !chart.contains('%'), "{chart}");
    }
    // `café` and `caf_ue9_` are two nodes with two ids.
    let (defined, unique) = box_ids(&mmd);
    assert_eq!(defined.len(), 6, "{mmd}");
    assert_eq!(
        unique,
        defined.len(),
        "two names share an id: {defined:?}\n{mmd}"
    );
    // The overview: the layer `other` and the box of nodes in no layer differ.
    let (boxes, unique) = box_ids(&overview);
    assert_eq!(boxes.len(), 3, "{overview}");
    assert_eq!(unique, 3, "{boxes:?}\n{overview}");
}

/// The ids of a Mermaid chart's boxes (the lines that draw a labelled box), and
/// how many of them differ.
fn box_ids(chart: &str) -> (Vec<&str>, usize) {
    let ids: Vec<&str> = chart
        .lines()
        .map(str::trim_start)
        .filter(|l| l.contains("<br/><small>"))
        .filter_map(|l| l.split(['[', '(', '>', '{']).next())
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    (ids, unique.len())
}

#[test]
fn overview_box_of_unlayered_nodes_is_not_a_layer_called_other() {
    let (dir, file) = design_file("overview-other", &awkward());
    let (code, dot, err) = run(&["dot", "--view", "overview", &file]);
    assert_eq!(code, 0, "{err}");
    let out = dir.join("out");
    let (code, _, err) = run(&[
        "build",
        &file,
        "-o",
        &out.to_string_lossy(),
        "--emit",
        "svg",
        "--view",
        "overview",
    ]);
    assert_eq!(code, 0, "{err}");
    let svg = std::fs::read_to_string(out.join("hostile.svg")).unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_dir_all(&dir);
    let nodes: Vec<&str> = dot
        .lines()
        .map(str::trim_start)
        .filter(|l| l.contains("[label=") && !l.contains(" -> ") && !l.starts_with("\"legend:"))
        .filter_map(|l| l.split(" [").next())
        .collect();
    assert_eq!(nodes.len(), 3, "{dot}");
    let mut unique = nodes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        3,
        "the layer `other` and the unlayered box merge: {nodes:?}"
    );
    let mut ids: Vec<&str> = svg
        .split("<g class=\"node\" id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert_eq!(ids.len(), 3, "{svg}");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3, "duplicate SVG ids: {ids:?}");
}

#[test]
fn svg_and_book_drop_what_xml_forbids() {
    let text = fixture("tests/fixtures/diagrams/hostile_text.dsd")
        .replace(
            "description \"<script>alert('bus')</script>\"",
            "description \"a\u{FFFE}b\u{FFFF}c\u{1}d\u{8}e\"",
        )
        .replace("layer work \"</svg>", "layer work \"\u{FFFF}\u{0B}</svg>");
    let (dir, file) = design_file("xml-chars", &text);
    let out = dir.join("out");
    let (code, _, err) = run(&[
        "build",
        &file,
        "-o",
        &out.to_string_lossy(),
        "--emit",
        "svg,html",
    ]);
    assert_eq!(code, 0, "{err}");
    let svg = std::fs::read_to_string(out.join("hostile.svg")).unwrap_or_else(|e| panic!("{e}"));
    let html = std::fs::read_to_string(out.join("hostile.html")).unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_dir_all(&dir);
    for (what, doc) in [("svg", &svg), ("html", &html)] {
        let bad: Vec<char> = doc
            .chars()
            .filter(|c| {
                matches!(c, '\u{FFFE}' | '\u{FFFF}')
                    || (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            })
            .collect();
        assert!(
            bad.is_empty(),
            "{what} holds XML-illegal characters {bad:?}"
        );
    }
    assert!(
        svg.contains('\u{FFFD}'),
        "a replaced noncharacter shows as U+FFFD"
    );
}

/// The SARIF `uri` of the one finding in `file`, with `--root root`.
fn sarif_uri(file: &Path, root: &Path) -> String {
    let (_, out, err) = run(&[
        "check",
        "--format",
        "sarif",
        "--root",
        &root.to_string_lossy(),
        &file.to_string_lossy(),
    ]);
    let log: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap_or_else(|| panic!("no uri: {out}"))
        .to_string()
}

#[test]
fn sarif_uris_are_percent_encoded_and_root_is_a_whole_folder() {
    let dir = temp_dir("sarif-uri");
    let text = fixture("tests/rules/non-idempotent-write/fail.dsd");
    let file = dir.join("repo2").join("my designs").join("a b#1%é.dsd");
    write(&file, &text);
    let inside = sarif_uri(&file, &dir.join("repo2"));
    let outside = sarif_uri(&file, &dir.join("repo"));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(inside, "my%20designs/a%20b%231%25%C3%A9.dsd");
    // `repo` is not a folder above `repo2/...`: nothing is cut.
    assert!(
        outside.ends_with("/repo2/my%20designs/a%20b%231%25%C3%A9.dsd"),
        "{outside}"
    );
    assert!(!outside.starts_with('2'), "{outside}");
    for uri in [&inside, &outside] {
        assert!(
            uri.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)),
            "not a URI reference: {uri}"
        );
    }
}

#[test]
fn names_may_not_hold_invisible_characters() {
    let base = fixture("tests/rules/non-idempotent-write/fail.dsd");
    let dir = temp_dir("invisible");
    let chars = [
        '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
        '\u{2068}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}', '\u{200B}', '\u{200C}',
        '\u{200D}', '\u{2060}', '\u{FEFF}',
    ];
    for c in chars {
        let hex = format!("U+{:04X}", u32::from(c));
        let file = dir.join(format!("{hex}.dsd"));
        // The node is declared with the character inside its name.
        write(
            &file,
            &base.replacen("node enrich ", &format!("node enr{c}ich "), 1),
        );
        let (code, out, err) = run(&["check", "--format", "json", &file.to_string_lossy()]);
        assert_eq!(code, 1, "{hex}: {err}");
        let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{hex}: {e}"));
        let d = v["diagnostics"]
            .as_array()
            .and_then(|ds| ds.iter().find(|d| d["code"] == "invalid-encoding"))
            .unwrap_or_else(|| panic!("{hex}: no invalid-encoding diagnostic: {out}"));
        let message = d["message"].as_str().unwrap_or("");
        assert!(message.contains(&hex), "{hex}: {message}");
        assert!(
            !d["help"].as_str().unwrap_or("").is_empty(),
            "{hex}: no help"
        );
        // The span is the character itself: `  node enr` is 10 columns.
        let line = base
            .lines()
            .position(|l| l.contains("node enrich "))
            .map_or(0, |i| i + 1);
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(line as u64), Some(11)),
            "{hex}: {d}"
        );
        assert_eq!(d["end_column"].as_u64(), Some(12), "{hex}: {d}");
    }
    // A string may hold them.
    let file = dir.join("string.dsd");
    write(
        &file,
        &base.replacen(
            "\"Order events into a lake\"",
            "\"Order\u{200B} events\u{202E}\"",
            1,
        ),
    );
    let (_, out, _) = run(&["check", "--format", "json", &file.to_string_lossy()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        !common::codes(&out).contains(&"invalid-encoding".to_string()),
        "{out}"
    );
}

//! Snapshots of `dsd check` on broken fixtures, in both output formats, through the
//! real binary: one fixture per kind of error in `tests/fixtures/errors/`.

mod common;
use common::{codes, run};

fn fixtures() -> Vec<String> {
    common::dsd_names("tests/fixtures/errors")
}

#[test]
fn every_error_fixture_fails_with_snapshotted_diagnostics() {
    let names = fixtures();
    assert!(
        names.len() >= 12,
        "expected the error fixtures, found {names:?}"
    );
    for name in names {
        let path = format!("tests/fixtures/errors/{name}");
        let stem = name.trim_end_matches(".dsd");
        let (code, json, _) = run(&["check", "--format", "json", &path]);
        assert_eq!(code, 1, "{name} must exit 1");
        let parsed: serde_json::Value = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("{name}: JSON does not parse: {e}"));
        let list = parsed["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(!list.is_empty(), "{name}: no diagnostics");
        for d in &list {
            for field in [
                "code",
                "severity",
                "message",
                "file",
                "line",
                "column",
                "end_line",
                "end_column",
                "help",
            ] {
                assert!(d.get(field).is_some(), "{name}: missing {field}");
            }
            assert!(
                !d["help"].as_str().unwrap_or("").is_empty(),
                "{name}: every diagnostic has a help line: {d}"
            );
        }
        insta::assert_snapshot!(format!("{stem}.json"), json);
        let (code, _, human) = run(&["check", "--color", "never", &path]);
        assert_eq!(code, 1);
        insta::assert_snapshot!(format!("{stem}.human"), human);
    }
}

#[test]
fn several_mistakes_are_all_reported() {
    let (_, json, _) = run(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/errors/syntax_error.dsd",
    ]);
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    let n = parsed["diagnostics"].as_array().map(Vec::len).unwrap_or(0);
    assert!(n >= 4, "expected every bad line reported, got {n}: {json}");
    // A file with syntax errors gets no design-rule findings: they would be echoes.
    assert_eq!(codes(&json), ["syntax-error"], "{json}");
}

#[test]
fn imports_cycles_and_escapes_are_reported() {
    let (code, json, _) = run(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/imports/main.dsd",
    ]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("imports.json", json);
    assert!(json.contains("import cycle"), "{json}");
    assert!(json.contains("outside the project root"), "{json}");
    assert!(json.contains("missing.dsd"), "{json}");
    // The imported catalogue is used: its tool and role resolve.
    assert!(!json.contains("unknown tool"), "{json}");
}

#[test]
fn usage_and_io_errors_exit_2() {
    let (code, _, err) = run(&["check", "no/such/file.dsd"]);
    assert_eq!(code, 2);
    assert!(err.contains("no/such/file.dsd"), "{err}");
    let (code, _, _) = run(&["check", "--format", "yaml", "examples"]);
    assert_eq!(code, 2);
    let (code, _, _) = run(&[]);
    assert_eq!(code, 2);
}

#[test]
fn explain_lists_and_explains_rules() {
    let (code, out, _) = run(&["explain"]);
    assert_eq!(code, 0);
    assert!(out.contains("missing-tradeoff") && out.contains("dimension-mismatch"));
    let (code, out, _) = run(&["explain", "missing-tradeoff"]);
    assert_eq!(code, 0);
    assert!(out.contains("accepting"));
    let (code, _, err) = run(&["explain", "missing-tradeof"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `missing-tradeoff`"), "{err}");
}

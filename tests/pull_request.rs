//! Pull-request outputs: SARIF, GitHub annotations, severity flags. (The SARIF is
//! validated against the official 2.1.0 schema by `scripts/check-sarif.sh`.)

mod common;
use common::run;
use serde_json::Value;

#[test]
fn sarif_names_every_rule_and_locates_every_result() {
    let (code, out, _) = run(&[
        "check",
        "--format",
        "sarif",
        "tests/rules/non-idempotent-write/fail.dsd",
        "tests/rules/weak-durability/fail.dsd",
    ]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("sarif", out);
    let log: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(log["version"], "2.1.0");
    let run0 = &log["runs"][0];
    let rules = run0["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(rules.len(), dsd::rules::RULES.len());
    for r in &rules {
        assert!(
            r["shortDescription"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        assert!(
            r["fullDescription"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        assert!(r["defaultConfiguration"]["level"].is_string());
        assert_ne!(
            r["id"], r["name"],
            "SARIF wants a name distinct from the id"
        );
    }
    let results = run0["results"].as_array().cloned().unwrap_or_default();
    assert_eq!(results.len(), 2);
    let first = &results[0];
    assert_eq!(first["ruleId"], "non-idempotent-write");
    assert_eq!(first["level"], "error");
    let loc = &first["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "tests/rules/non-idempotent-write/fail.dsd"
    );
    assert_eq!(loc["region"]["startLine"], 30);
    assert!(
        first["relatedLocations"]
            .as_array()
            .is_some_and(|r| !r.is_empty())
    );
    assert_eq!(results[1]["level"], "warning");
}

fn fingerprint(text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("dsd-fp-{}-{}", std::process::id(), text.len()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let file = dir.join("d.dsd");
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
    let (_, out, _) = run(&[
        "check",
        "--format",
        "sarif",
        "--root",
        &dir.to_string_lossy(),
        &file.to_string_lossy(),
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    let log: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    let r = &log["runs"][0]["results"][0];
    assert_eq!(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "d.dsd"
    );
    r["partialFingerprints"]["dsdFinding/v1"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[test]
fn fingerprints_survive_lines_inserted_above_a_finding() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/rules/non-idempotent-write/fail.dsd"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let moved = text.replacen(
        "design orders_pipeline",
        "// a new comment\n// and another\n\ndesign orders_pipeline",
        1,
    );
    let a = fingerprint(&text);
    let b = fingerprint(&moved);
    assert!(!a.is_empty());
    assert_eq!(a, b, "a finding keeps its fingerprint when lines move");
    let changed = text.replace("write append", "write  append");
    assert_eq!(
        fingerprint(&changed),
        a,
        "whitespace inside the finding does not matter"
    );
}

#[test]
fn github_annotations_point_at_the_lines() {
    let (code, out, _) = run(&[
        "check",
        "--format",
        "github",
        "tests/rules/non-idempotent-write/fail.dsd",
        "tests/rules/weak-durability/fail.dsd",
    ]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("github", out);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("::error file=tests/rules/non-idempotent-write/fail.dsd,line=30,endLine=30,col=39,endColumn=45,title=non-idempotent-write::"), "{}", lines[0]);
    assert!(lines[1].starts_with("::warning "), "{}", lines[1]);
    // One command per line: newlines in messages are encoded.
    assert!(lines[0].contains("%0Ahelp: "), "{}", lines[0]);
    assert_eq!(
        lines.last().copied(),
        Some("dsd: 1 error, 1 warning in 2 files")
    );
}

#[test]
fn severity_flags_change_the_exit_code() {
    let warn_only = "tests/rules/weak-durability/fail.dsd";
    assert_eq!(run(&["check", warn_only]).0, 0);
    assert_eq!(run(&["check", "--deny", "warnings", warn_only]).0, 1);
    assert_eq!(run(&["check", "--deny", "weak-durability", warn_only]).0, 1);
    let error = "tests/rules/non-idempotent-write/fail.dsd";
    assert_eq!(run(&["check", error]).0, 1);
    assert_eq!(
        run(&["check", "--warn", "non-idempotent-write", error]).0,
        0
    );
    assert_eq!(
        run(&[
            "check",
            "--deny",
            "warnings",
            "--warn",
            "non-idempotent-write",
            error
        ])
        .0,
        1
    );
    let (code, json, _) = run(&[
        "check",
        "--format",
        "json",
        "--allow",
        "non-idempotent-write",
        error,
    ]);
    assert_eq!(code, 0);
    assert!(common::codes(&json).is_empty(), "{json}");
    let (code, _, err) = run(&["check", "--allow", "dimension-mismatch", error]);
    assert_eq!(code, 2);
    assert!(err.contains("not a design rule"), "{err}");
    let (code, _, err) = run(&["check", "--deny", "weak-durabilty", error]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `weak-durability`"), "{err}");
}

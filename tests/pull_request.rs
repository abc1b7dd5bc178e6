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

/// The Razorpay example changed the way a pull request might: a new stream
/// processor and a higher peak and volume.
fn changed_razorpay() -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/razorpay_payments.dsd"))
        .unwrap_or_else(|e| panic!("{e}"))
        .replace("peak        2000 payments/s", "peak        4000 payments/s")
        .replace("volume      5M payments/day", "volume      8M payments/day")
        .replace(
            "  node registry       : schema_registry\n",
            "  node registry       : schema_registry\n  node enricher       : stream_processor { per_event 1 ms  threads 1 }\n  flow payments -> enricher stream\n",
        )
}

#[test]
fn diff_reports_graph_findings_and_figure_deltas() {
    let dir = std::env::temp_dir().join(format!("dsd-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let head = dir.join("razorpay_payments.dsd");
    std::fs::write(&head, changed_razorpay()).unwrap_or_else(|e| panic!("{e}"));
    let head = head.to_string_lossy().into_owned();
    let (code, md, err) = run(&["diff", "examples/razorpay_payments.dsd", &head]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("diff.md", md);
    assert!(
        md.contains(
            // `$` is escaped: GitHub reads `$...$` as math. 8M ÷ 5M payments
            // a day: the lines that follow volume grow 60% (DynamoDB writes
            // $95.1 → $152, MSK disk $2.76 → $4.41, S3 $5.60 → $8.96); the
            // brokers, instances and the EMR run (a stated run time) stay; S3 PUTs follow flushes, not volume.
            "**Monthly cost (priced lines):** \\$1,077/month → \\$1,140/month (+\\$62/month, +5.8%)"
        ),
        "{md}"
    );
    assert!(
        md.contains("- added: `enricher (stream_processor)`"),
        "{md}"
    );
    assert!(
        md.contains("new error `capacity-exceeded`: `fraud` needs 14 threads at peak, has 8"),
        "{md}"
    );
    let (_, json, _) = run(&[
        "diff",
        "--format",
        "json",
        "examples/razorpay_payments.dsd",
        &head,
    ]);
    insta::assert_snapshot!("diff.json", json);
    let v: Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    let d = &v["designs"][0];
    let peak = d["figures"]
        .as_array()
        .and_then(|f| f.iter().find(|x| x["id"] == "rate.peak"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(peak["old"], 2000.0);
    assert_eq!(peak["new"], 4000.0);
    assert_eq!(peak["delta"], 2000.0);
    assert_eq!(peak["percent"], 100.0);
    // $62.04 of $1,077.19 (the lines above, unrounded).
    assert!((d["cost"]["percent"].as_f64().unwrap_or(0.0) - 5.76).abs() < 0.01);
    // Exit codes for CI gates.
    assert_eq!(
        run(&[
            "diff",
            "--fail-on",
            "new-findings",
            "examples/razorpay_payments.dsd",
            &head
        ])
        .0,
        1
    );
    assert_eq!(
        run(&[
            "diff",
            "--fail-on",
            "cost-increase=5",
            "examples/razorpay_payments.dsd",
            &head
        ])
        .0,
        1
    );
    assert_eq!(
        run(&[
            "diff",
            "--fail-on",
            "cost-increase=10",
            "examples/razorpay_payments.dsd",
            &head
        ])
        .0,
        0
    );
    assert_eq!(
        run(&[
            "diff",
            "--fail-on",
            "sometimes",
            "examples/razorpay_payments.dsd",
            &head
        ])
        .0,
        2
    );
    // No change, nothing to say.
    let (_, same, _) = run(&[
        "diff",
        "examples/razorpay_payments.dsd",
        "examples/razorpay_payments.dsd",
    ]);
    assert!(same.contains("No design changed."), "{same}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diff_against_a_git_revision_reads_it_without_a_checkout() {
    let dir = std::env::temp_dir().join(format!("dsd-git-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("designs")).unwrap_or_else(|e| panic!("{e}"));
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(&dir)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap_or_else(|e| panic!("git: {e}"));
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let file = dir.join("designs/payments.dsd");
    let original = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/razorpay_payments.dsd"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&file, &original).unwrap_or_else(|e| panic!("{e}"));
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "design"]);
    std::fs::write(&file, changed_razorpay()).unwrap_or_else(|e| panic!("{e}"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dsd"))
        .args(["diff", "--git", "HEAD", "--format", "json", "designs"])
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let d = &v["designs"][0];
    assert_eq!(d["status"], "changed");
    assert!(
        d["nodes"]["added"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x == "enricher (stream_processor)")),
        "{d}"
    );
    let ids: Vec<&str> = d["figures"]
        .as_array()
        .map(|f| f.iter().filter_map(|x| x["id"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        ids.contains(&"flow.gateway->payments.compressed"),
        "{ids:?}"
    );
    assert!(d["cost"]["delta"].as_f64().is_some_and(|x| x > 0.0), "{d}");
    assert!(
        d["findings"]["new"]
            .as_array()
            .is_some_and(|a| a.iter().any(|f| f["code"] == "capacity-exceeded")),
        "{d}"
    );
    // The working tree was not touched.
    assert_eq!(
        std::fs::read_to_string(&file).unwrap_or_default(),
        changed_razorpay()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn dsd_toml_sets_severities_overrides_and_file_selection() {
    let dir = std::env::temp_dir().join(format!("dsd-toml-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("designs/archive")).unwrap_or_else(|e| panic!("{e}"));
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let warn_only = std::fs::read_to_string(root.join("tests/rules/weak-durability/fail.dsd"))
        .unwrap_or_else(|e| panic!("{e}"));
    let error = std::fs::read_to_string(root.join("tests/rules/non-idempotent-write/fail.dsd"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("designs/topic.dsd"), &warn_only).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("designs/archive/old.dsd"), &error).unwrap_or_else(|e| panic!("{e}"));
    let check = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_dsd"))
            .arg("check")
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // No project file: the archived design's error fails the run.
    assert_eq!(check(&["designs"]).0, 1);
    std::fs::write(
        dir.join("dsd.toml"),
        "[rules]\nweak-durability = \"error\"\n\n[check]\nexclude = [\"designs/archive/**\"]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // The archive is excluded, and the warning is now an error.
    let (code, err) = check(&["designs"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("weak-durability") && !err.contains("non-idempotent-write"),
        "{err}"
    );
    // The command line wins over the project file.
    assert_eq!(check(&["--warn", "weak-durability", "designs"]).0, 0);
    // A standard-library override reaches every design.
    std::fs::write(dir.join("dsd.toml"), "[stdlib]\nno_such_number = \"3\"\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let (code, err) = check(&["designs/topic.dsd"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no_such_number"), "{err}");
    std::fs::write(
        dir.join("dsd.toml"),
        "[stdlib]\nglacier_price = \"$0.005/GB/month\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(check(&["designs/topic.dsd"]).0, 0);
    // Unknown sections, keys and rules are errors with a suggestion.
    std::fs::write(
        dir.join("dsd.toml"),
        "[rule]\n[rules]\nweak-durabilty = \"error\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, err) = check(&["designs"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("did you mean `rules`") && err.contains("did you mean `weak-durability`"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

//! Pull-request outputs: SARIF, GitHub annotations, severity flags. (The SARIF is
//! validated against the official 2.1.0 schema by `scripts/check-sarif.sh`.)

mod common;
use common::{run, run_in};
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
fn concise_prints_one_line_per_finding() {
    let (code, out, err) = run(&[
        "check",
        "--format",
        "concise",
        "tests/rules/non-idempotent-write/fail.dsd",
        "tests/rules/weak-durability/fail.dsd",
    ]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("concise", out);
    let lines: Vec<&str> = out.lines().collect();
    // The same position the GitHub annotation gives (line 30, column 39).
    assert!(
        lines[0].starts_with(
            "tests/rules/non-idempotent-write/fail.dsd:30:39: error[non-idempotent-write] "
        ),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains(" — help: "), "{}", lines[0]);
    assert!(lines[1].contains(": warning["), "{}", lines[1]);
    // The summary goes to stderr so stdout is only findings; --quiet drops it.
    assert!(
        err.starts_with("dsd: 1 error, 1 warning in 2 files"),
        "{err}"
    );
    let (_, _, quiet) = run(&[
        "-q",
        "check",
        "--format",
        "concise",
        "tests/rules/weak-durability/fail.dsd",
    ]);
    assert_eq!(quiet, "");
}

#[test]
fn report_and_diff_call_their_markdown_human_and_accept_md() {
    let file = "examples/razorpay_payments.dsd";
    let (c1, human, _) = run(&["report", file, "--format", "human"]);
    let (c2, md, _) = run(&["report", file, "--format", "md"]);
    let (c3, default, _) = run(&["report", file]);
    assert_eq!((c1, c2, c3), (0, 0, 0));
    assert_eq!(human, md);
    assert_eq!(human, default);
    let (c4, d1, _) = run(&["diff", file, file, "--format", "human"]);
    let (c5, d2, _) = run(&["diff", file, file, "--format", "md"]);
    assert_eq!((c4, c5), (0, 0));
    assert_eq!(d1, d2);
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

/// The example and its changed copy in a fresh folder, as `base/` and `head/`,
/// so the comment names them the same way on every run.
fn changed_pair(tag: &str) -> std::path::PathBuf {
    let dir = common::temp_dir(tag);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = std::fs::read_to_string(root.join("examples/razorpay_payments.dsd"))
        .unwrap_or_else(|e| panic!("{e}"));
    common::write(&dir.join("base/razorpay_payments.dsd"), &base);
    common::write(&dir.join("head/razorpay_payments.dsd"), &changed_razorpay());
    dir
}

const BASE: &str = "base/razorpay_payments.dsd";
const HEAD: &str = "head/razorpay_payments.dsd";

#[test]
fn diff_reports_graph_findings_and_figure_deltas() {
    let dir = changed_pair("diff");
    let (code, md, err) = run_in(&dir, &["diff", BASE, HEAD]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("diff.md", md);
    // The summary first: cost, bottleneck and findings of each design.
    // `$` is escaped: GitHub reads `$...$` as math. 8M ÷ 5M payments a day: the
    // lines that follow volume grow 60% (DynamoDB writes $95.1 → $152, MSK disk
    // $2.76 → $4.41, S3 $5.60 → $8.96); the brokers, instances and the EMR run
    // (a stated run time) stay; S3 PUTs follow flushes, not volume.
    assert!(
        md.contains(
            "| `razorpay_payments` (changed) | \\$1,077/month → \\$1,140/month (priced lines), +\\$62/month (+5.8%) | `fraud` threads at 1.14x → `enricher` threads at 0.25x | 4 new (4 errors), 0 fixed |"
        ),
        "{md}"
    );
    assert!(
        md.contains("<details><summary><code>razorpay_payments</code> (changed): 57 figures moved, 4 new findings</summary>"),
        "{md}"
    );
    assert!(
        md.contains("**Changed lines** in `head/razorpay_payments.dsd`: 7–8, 75–76"),
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
    // The top ten rows, and a note on the rest.
    assert!(
        md.contains("**Figures that moved most** (10 of 43 rows, by relative change)"),
        "{md}"
    );
    assert!(
        md.contains("**Not shown:** 33 figure rows. `dsd diff --top all` without `--max-bytes` shows every change; `--format json` gives all of it."),
        "{md}"
    );
    let (_, all, _) = run_in(&dir, &["diff", "--top", "all", BASE, HEAD]);
    assert!(!all.contains("Not shown"), "{all}");
    // A flow is one row: raw and compressed together, the rate left to JSON.
    assert!(
        all.contains("| `fraud->fraud_dlq` throughput at peak | 8 KB/s → 16 KB/s raw (3.6 KB/s → 7.2 KB/s compressed) | +8 KB/s (+100%) |"),
        "{all}"
    );
    assert!(
        !all.contains("(compressed) |") && !all.contains("peak rate |"),
        "{all}"
    );
    // Flows and nodes that moved alike are one row.
    assert!(
        all.contains("| `decisions`, `velocity`: stored per day, each | 500 MB/day → 800 MB/day | +300 MB/day (+60%) |"),
        "{all}"
    );
    // Ranges are compared end by end, never as one made-up delta.
    assert!(
        all.contains("| `fraud` backlog after a 4 h outage | 833,333..28.8M payments → 1,333,333..57.6M payments | low +60%, high +100% |"),
        "{all}"
    );
    // A figure that can no longer be computed says why.
    assert!(
        all.contains("| `fraud` catch-up time | 0.00433..1.17 days → not computed (capacity 2,286/s does not exceed the peak arrivals of 4,000/s, so the backlog never drains (capacity: 8 threads ÷ 3.5 ms per event = 2,286/s)) | no longer computed |"),
        "{all}"
    );
    // Links to the changed lines, when told where files are browsed.
    let (_, linked, _) = run_in(
        &dir,
        &[
            "diff",
            "--link-base",
            "https://github.com/o/r/blob/abc/",
            BASE,
            HEAD,
        ],
    );
    assert!(
        linked.contains("`head/razorpay_payments.dsd`: [7–8](https://github.com/o/r/blob/abc/head/razorpay_payments.dsd#L7-L8), [75–76](https://github.com/o/r/blob/abc/head/razorpay_payments.dsd#L75-L76)"),
        "{linked}"
    );
    for bad in [
        vec!["--link-base", "javascript:alert(1)"],
        vec!["--link-base", "https://x/a)b"],
        vec!["--top", "ten"],
        vec!["--max-bytes", "100"],
    ] {
        let mut args = vec!["diff"];
        args.extend(bad.iter().copied());
        args.extend([BASE, HEAD]);
        let (code, _, err) = run_in(&dir, &args);
        assert_eq!(code, 2, "{bad:?}: {err}");
    }
    let (_, json, _) = run_in(&dir, &["diff", "--format", "json", BASE, HEAD]);
    insta::assert_snapshot!("diff.json", json);
    let v: Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    let d = &v["designs"][0];
    assert_eq!(d["file"], HEAD);
    assert_eq!(d["changed_lines"], serde_json::json!([[7, 8], [75, 76]]));
    let figure = |id: &str| {
        d["figures"]
            .as_array()
            .and_then(|f| f.iter().find(|x| x["id"] == id))
            .cloned()
            .unwrap_or_default()
    };
    let peak = figure("rate.peak");
    assert_eq!(peak["old"], 2000.0);
    assert_eq!(peak["new"], 4000.0);
    assert_eq!(peak["delta"], 2000.0);
    assert_eq!(peak["percent"], 100.0);
    let catch_up = figure("outage.fraud.catch_up");
    assert!(catch_up["new"].is_null());
    assert!(
        catch_up["new_reason"]
            .as_str()
            .is_some_and(|r| r.contains("peak arrivals of 4,000/s, so the backlog never drains")),
        "{catch_up}"
    );
    // $62.04 of $1,077.19 (the lines above, unrounded).
    assert!((d["cost"]["percent"].as_f64().unwrap_or(0.0) - 5.76).abs() < 0.01);
    // Exit codes for CI gates.
    let gate = |cond: &str| run_in(&dir, &["diff", "--fail-on", cond, BASE, HEAD]).0;
    assert_eq!(gate("new-findings"), 1);
    assert_eq!(gate("cost-increase=5"), 1);
    assert_eq!(gate("cost-increase=10"), 0);
    assert_eq!(gate("sometimes"), 2);
    // No change, nothing to say.
    let (_, same, _) = run_in(&dir, &["diff", BASE, BASE]);
    assert_eq!(same, "## dsd diff\n\nNo design changed.\n");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `generated` designs of 300 nodes, before and after a change, each in its
/// own file under `base/` and `head/`.
fn generated_pair(
    tag: &str,
    names: &[&str],
    varied: bool,
    change: (&str, &str),
) -> std::path::PathBuf {
    let dir = common::temp_dir(tag);
    for name in names {
        let text = common::generated(name, 300, varied);
        assert!(text.contains(change.0));
        common::write(&dir.join(format!("base/{name}.dsd")), &text);
        common::write(
            &dir.join(format!("head/{name}.dsd")),
            &text.replace(change.0, change.1),
        );
    }
    dir
}

const MORE_VOLUME: (&str, &str) = ("volume     100M events/day", "volume     150M events/day");

#[test]
fn a_volume_change_in_300_node_designs_gives_a_comment_a_reviewer_can_read() {
    for names in [&["generated_300"][..], &["first", "second"][..]] {
        let dir = generated_pair("big", names, false, MORE_VOLUME);
        let (code, md, err) = run_in(&dir, &["diff", "base", "head"]);
        assert_eq!(code, 0, "{err}");
        // Before: 56,294 bytes for one design and 112,572 for two, a row per
        // figure. Now a summary row and ten grouped rows per design.
        assert!(md.len() < 5_000, "{} bytes:\n{md}", md.len());
        for name in names {
            assert!(
                md.contains(&format!("| `{name}` (changed) | \\$7.2/month → \\$10.8/month (priced lines), +\\$3.6/month (+50%) | `n120` threads at 207x → `n120` threads at 138x | — |")),
                "{md}"
            );
        }
        // The sixty stores moved alike: one row. The sixty sources share the
        // design's 100M events/day (1.67M each), so each store holds 1/60 of
        // it: $7.2/month in all ÷ 60 = $0.12/month each.
        assert!(
            md.contains("| `n180`, `n181`, `n182` and 57 more: storage per month, each | \\$0.12/month → \\$0.18/month | +\\$0.06/month (+50%) |"),
            "{md}"
        );
        // Every figure fits a comment too.
        let (_, all, _) = run_in(&dir, &["diff", "--top", "all", "base", "head"]);
        assert!(all.len() < 65_536, "{} bytes", all.len());
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn over_max_bytes_each_design_shrinks_the_summary_stays_and_a_note_says_what_is_missing() {
    // Each source states its own volume, so no two chains move alike: every
    // figure is a row of its own.
    let names = ["first", "second", "third"];
    let dir = generated_pair(
        "budget",
        &names,
        true,
        (
            "size         raw 300 B, compressed 120 B",
            "size         raw 450 B, compressed 180 B",
        ),
    );
    let (_, all, _) = run_in(&dir, &["diff", "--top", "all", "base", "head"]);
    assert!(all.len() > 65_536, "{} bytes", all.len());
    for (max, shown) in [("65000", "65,000"), ("20000", "20,000"), ("2000", "2,000")] {
        let args = ["diff", "--top", "all", "--max-bytes", max, "base", "head"];
        let (code, md, err) = run_in(&dir, &args);
        assert_eq!(code, 0, "{err}");
        let limit: usize = max.parse().unwrap_or(0);
        assert!(md.len() <= limit, "{} bytes over {max}", md.len());
        // The summary stays whole.
        for name in names {
            assert!(
                md.contains(&format!("| `{name}` (changed) |")),
                "{max}: {md}"
            );
        }
        assert!(
            md.contains(&format!("to stay under {shown} bytes")),
            "{max}: {md}"
        );
        assert!(
            md.trim_end().ends_with("`dsd diff --top all` without `--max-bytes` shows every change; `--format json` gives all of it."),
            "{md}"
        );
        // The same input, the same comment.
        assert_eq!(run_in(&dir, &args).1, md);
        if max != "2000" {
            // Every design keeps its block, cut to a fair share.
            for name in names {
                assert!(
                    md.contains(&format!("<summary><code>{name}</code>")),
                    "{max}: {md}"
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diff_against_a_git_revision_reads_it_without_a_checkout() {
    let dir = std::env::temp_dir().join(format!("dsd-git-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("designs")).unwrap_or_else(|e| panic!("{e}"));
    let git = |args: &[&str]| {
        common::git(&dir, args);
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

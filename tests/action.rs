//! The GitHub Action end to end: action.yml's steps run in order on a temporary
//! repository (a base commit and a head commit), as GitHub's runner would run
//! them (`action_runner`), with the `dsd` cargo built on `PATH`.

mod action_runner;
mod common;
use common::git;

use action_runner::{Outcome, Run, Runner};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const MARKER: &str = "<!-- dsd-diff -->";
const GATE: &str = "Fail on errors, and on the diff when asked";
const COMMENT_STEP: &str = "Post, update or retire the comment";
const DIFF_STEP: &str = "What the change does to capacity and cost";

/// A repository with a base commit holding `base` and a head commit holding
/// `head` (files by path); returns (workspace, base sha, head sha).
fn repository(
    tag: &str,
    base: &[(&str, String)],
    head: &[(&str, String)],
) -> (PathBuf, String, String) {
    let root = common::temp_dir(&format!("action-{tag}"));
    let repo = root.join("repo");
    std::fs::create_dir_all(&repo).unwrap_or_else(|e| panic!("{e}"));
    git(&repo, &["init", "-q"]);
    let commit = |files: &[(&str, String)], message: &str| {
        for (path, text) in files {
            common::write(&repo.join(path), text);
        }
        git(&repo, &["add", "-A"]);
        git(&repo, &["commit", "-q", "--allow-empty", "-m", message]);
        git(&repo, &["rev-parse", "HEAD"])
    };
    let b = commit(base, "base");
    let h = commit(head, "head");
    (repo, b, h)
}

fn example(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The Razorpay example with a new stream processor that is too small and
/// outside the PCI zone: errors (`capacity-exceeded`, `pii-exposed`, …).
fn with_errors() -> String {
    example("examples/razorpay_payments.dsd")
        .replace("peak        2000 payments/s", "peak        4000 payments/s")
        .replace(
            "  node registry       : schema_registry\n",
            "  node registry       : schema_registry\n  node enricher       : stream_processor { per_event 1 ms  threads 1 }\n  flow payments -> enricher stream\n",
        )
}

struct Case<'a> {
    tag: &'a str,
    base: Vec<(&'a str, String)>,
    head: Vec<(&'a str, String)>,
    inputs: &'a [(&'a str, &'a str)],
    fork: bool,
    comments: Vec<String>,
}

/// The folder of one run: the repository and the runner's temp folder,
/// removed when the test is done with it.
struct Dir {
    root: PathBuf,
    repo: PathBuf,
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn run(case: Case<'_>) -> (Run, Dir) {
    let (repo, base, head) = repository(case.tag, &case.base, &case.head);
    let temp = repo
        .parent()
        .map(|p| p.join("runner-temp"))
        .unwrap_or_default();
    std::fs::create_dir_all(&temp).unwrap_or_else(|e| panic!("{e}"));
    let head_repo = if case.fork { "someone/r" } else { "o/r" };
    let runner = Runner {
        action_path: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        workspace: repo.clone(),
        temp: temp.clone(),
        path: vec![action_runner::folder_of(env!("CARGO_BIN_EXE_dsd"))],
        inputs: case
            .inputs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>(),
        event_name: "pull_request".into(),
        event: json!({
            "pull_request": {
                "number": 7,
                "base": { "sha": base, "repo": { "full_name": "o/r" } },
                "head": { "sha": head, "repo": { "full_name": head_repo } },
            },
            "repository": { "full_name": "o/r" },
        }),
        repository: "o/r".into(),
        comments: case.comments,
    };
    let root = repo.parent().map(Path::to_path_buf).unwrap_or_default();
    (runner.run(), Dir { root, repo })
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn ran(run: &Run, name: &str) -> i32 {
    match run.step(name).outcome {
        Outcome::Ran { code } => code,
        ref other => panic!("`{name}` did not run: {other:?}"),
    }
}

#[test]
fn a_design_with_errors_is_annotated_commented_and_fails_only_at_the_end() {
    let (run, dir) = run(Case {
        tag: "errors",
        base: vec![(
            "designs/payments.dsd",
            example("examples/razorpay_payments.dsd"),
        )],
        head: vec![("designs/payments.dsd", with_errors())],
        inputs: &[("paths", "designs")],
        fork: false,
        comments: vec!["an unrelated comment".into()],
    });
    // The install steps are skipped: the test's dsd is on PATH.
    assert_eq!(
        run.step("Install dsd").outcome,
        Outcome::Install,
        "{:?}",
        run.names()
    );
    assert_eq!(
        run.step("Upload to code scanning").outcome,
        Outcome::Uses { would_run: true }
    );
    // Annotations: one `::error` per error, on the changed file.
    let annotate = run.step("Annotate the diff");
    assert_eq!(ran(&run, "Annotate the diff"), 0, "{}", annotate.stderr);
    let errors: Vec<&str> = annotate
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error file=designs/payments.dsd,line="))
        .collect();
    assert!(
        errors.iter().any(|l| l.contains("title=capacity-exceeded")),
        "{}",
        annotate.stdout
    );
    assert_eq!(
        run.env.get("DSD_CHECK_STATUS").map(String::as_str),
        Some("1")
    );
    // SARIF, for code scanning.
    let sarif_path = &run.outputs["sarif"]["path"];
    let sarif: Value = serde_json::from_str(&read(sarif_path)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        results.iter().filter(|r| r["level"] == "error").count(),
        errors.len(),
        "one SARIF error per annotation"
    );
    // The comment: the summary first, the details, links to the changed lines
    // at the checked commit, and where to find the rest.
    assert_eq!(ran(&run, DIFF_STEP), 0, "{}", run.step(DIFF_STEP).stderr);
    assert_eq!(run.outputs["diff"]["state"], "changed");
    let comment = read(&run.outputs["diff"]["comment"]);
    assert!(
        comment
            .starts_with("## dsd diff\n\n| design | monthly cost | first bottleneck | findings |"),
        "{comment}"
    );
    assert!(
        comment.contains("| `razorpay_payments` (changed) | \\$1,077/month (priced lines), unchanged | `fraud` threads at 1.14x → `enricher` threads at 0.25x | 4 new (4 errors), 0 fixed |"),
        "{comment}"
    );
    assert!(
        comment.contains("new error `capacity-exceeded`"),
        "{comment}"
    );
    let head = git(&dir.repo, &["rev-parse", "HEAD"]);
    assert!(
        comment.contains(&format!(
            "**Changed lines** in `designs/payments.dsd`: [8](https://github.com/o/r/blob/{head}/designs/payments.dsd#L8), [75–76](https://github.com/o/r/blob/{head}/designs/payments.dsd#L75-L76)"
        )),
        "{comment}"
    );
    assert!(
        comment.trim_end().ends_with(
            "the [step summary of this run](https://github.com/o/r/actions/runs/42).</sub>"
        ),
        "{comment}"
    );
    // The step summary has the comment, with every figure.
    assert!(run.summary.starts_with("## dsd diff\n"), "{}", run.summary);
    assert!(run.summary.contains("| `razorpay_payments` (changed) |"));
    assert!(
        run.summary.contains("**Figures that moved**\n"),
        "{}",
        run.summary
    );
    assert!(!run.summary.contains("**Not shown:**"), "{}", run.summary);
    // The comment step would run; with node, github-script's script posts it.
    match &run.step(COMMENT_STEP).outcome {
        Outcome::Ran { code } => {
            assert_eq!(*code, 0, "{}", run.step(COMMENT_STEP).stderr);
            let calls = run.github_calls.clone().unwrap_or_default();
            assert_eq!(calls[0]["call"], "create", "{calls}");
            assert_eq!(calls[0]["issue"], 7);
            assert_eq!(calls[0]["body"], format!("{MARKER}\n{comment}"));
        }
        other => assert_eq!(other, &Outcome::Uses { would_run: true }),
    }
    // Only the last step fails, and it says why.
    assert_eq!(run.failed(), vec![GATE], "{:#?}", run.steps);
    assert_eq!(run.steps.last().map(|s| s.name.as_str()), Some(GATE));
    assert_eq!(ran(&run, GATE), 1);
    assert!(
        run.step(GATE)
            .stdout
            .contains("::error title=dsd::the designs have errors"),
        "{}",
        run.step(GATE).stdout
    );
    assert!(run.job_failed());
}

#[test]
fn fail_on_errors_false_reports_errors_without_failing_and_fail_on_still_gates() {
    let case = |tag, inputs| Case {
        tag,
        base: vec![(
            "designs/payments.dsd",
            example("examples/razorpay_payments.dsd"),
        )],
        head: vec![("designs/payments.dsd", with_errors())],
        inputs,
        fork: false,
        comments: vec![],
    };
    let (quiet, _quiet) = run(case(
        "quiet",
        &[("paths", "designs"), ("fail-on-errors", "false")],
    ));
    assert!(quiet.failed().is_empty(), "{:#?}", quiet.steps);
    assert!(
        quiet
            .step("Annotate the diff")
            .stdout
            .contains("::error file=")
    );
    assert!(!quiet.job_failed());
    let (gated, _gated) = run(case(
        "gated",
        &[
            ("paths", "designs"),
            ("fail-on-errors", "false"),
            ("fail-on", "new-findings"),
        ],
    ));
    assert_eq!(gated.failed(), vec![GATE]);
    assert!(
        gated
            .step(GATE)
            .stdout
            .contains("dsd diff --fail-on new-findings"),
        "{}",
        gated.step(GATE).stdout
    );
    assert!(!gated.step(GATE).stdout.contains("the designs have errors"));
}

#[test]
fn a_fork_gets_no_comment_but_the_step_summary() {
    let (run, _dir) = run(Case {
        tag: "fork",
        base: vec![(
            "designs/payments.dsd",
            example("examples/razorpay_payments.dsd"),
        )],
        head: vec![("designs/payments.dsd", with_errors())],
        inputs: &[("paths", "designs")],
        fork: true,
        comments: vec![],
    });
    assert_eq!(
        run.step(COMMENT_STEP).outcome,
        Outcome::Uses { would_run: false }
    );
    assert!(
        run.summary.contains("| `razorpay_payments` (changed) |"),
        "{}",
        run.summary
    );
    assert_eq!(run.failed(), vec![GATE]);
}

#[test]
fn no_design_changed_posts_nothing_and_retires_an_old_comment() {
    let same = example("examples/razorpay_payments.dsd");
    let case = |tag, comments| Case {
        tag,
        base: vec![("designs/payments.dsd", same.clone())],
        head: vec![("README.md", "docs only\n".to_string())],
        inputs: &[("paths", "designs")],
        fork: false,
        comments,
    };
    let (fresh, _fresh) = run(case("same", vec![]));
    assert_eq!(fresh.outputs["diff"]["state"], "unchanged");
    assert!(fresh.failed().is_empty(), "{:#?}", fresh.steps);
    assert!(fresh.summary.contains("No design changed."));
    if let Outcome::Ran { .. } = fresh.step(COMMENT_STEP).outcome {
        assert_eq!(fresh.github_calls, Some(json!([])), "no comment is posted");
        let (old, _old) = run(case(
            "retire",
            vec![format!("{MARKER}\n## dsd diff\n\n| a big table |")],
        ));
        let calls = old.github_calls.clone().unwrap_or_default();
        assert_eq!(calls[0]["call"], "update", "{calls}");
        let body = calls[0]["body"].as_str().unwrap_or("");
        assert!(body.starts_with(MARKER), "{body}");
        assert_eq!(
            body.trim_end().lines().count(),
            2,
            "the marker and one line: {body}"
        );
    }
}

#[test]
fn two_300_node_designs_changed_fit_one_comment() {
    let base = |name: &str| common::generated(name, 300, false);
    let grown =
        |name: &str| base(name).replace("volume     100M events/day", "volume     150M events/day");
    let (run, _dir) = run(Case {
        tag: "big",
        base: vec![
            ("designs/a.dsd", base("first")),
            ("designs/b.dsd", base("second")),
        ],
        head: vec![
            ("designs/a.dsd", grown("first")),
            ("designs/b.dsd", grown("second")),
        ],
        inputs: &[("paths", "designs")],
        fork: false,
        comments: vec![],
    });
    assert!(run.failed().is_empty(), "{:#?}", run.steps);
    let comment = read(&run.outputs["diff"]["comment"]);
    let body = format!("{MARKER}\n{comment}");
    assert!(
        body.chars().count() < 65_536,
        "{} characters",
        body.chars().count()
    );
    for name in ["first", "second"] {
        assert!(comment.contains(&format!("| `{name}` (changed) | \\$7.2/month → \\$10.8/month (priced lines), +\\$3.6/month (+50%) |")), "{comment}");
        assert!(
            comment.contains(&format!("<details><summary><code>{name}</code> (changed)")),
            "{comment}"
        );
    }
}

#[test]
fn the_comment_script_passes_its_node_tests() {
    let Ok(out) = Command::new("node")
        .args(["--test", "action/"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
    else {
        eprintln!("skipped: node is not installed (`.ci/run` runs `node --test action/`)");
        return;
    };
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `action/install.sh` picks the release binary only for a release tag on a
/// platform that has one, and says why it builds from source otherwise (the
/// download itself needs the network and a published release: not run here).
#[test]
fn the_installer_says_why_it_builds_from_source() {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("action/install.sh");
    let root = std::env::temp_dir().join(format!("dsd-install-{}", std::process::id()));
    for (os, arch, reference, why) in [
        (
            "Linux",
            "X64",
            "main",
            "the Action's ref `main` is not a release tag",
        ),
        (
            "Linux",
            "X64",
            "",
            "the Action's ref `none` is not a release tag",
        ),
        (
            "FreeBSD",
            "X64",
            "v0.1.0",
            "no release binary for FreeBSD/X64",
        ),
    ] {
        let out = std::process::Command::new("bash")
            .arg(&script)
            .arg(&root)
            .env("RUNNER_OS", os)
            .env("RUNNER_ARCH", arch)
            .env("DSD_REF", reference)
            .env("DSD_REPO", "dsd-lang/dsd")
            // No Cargo.toml here: `cargo install` fails right after the reason.
            .env("DSD_SOURCE", &root)
            .output()
            .unwrap_or_else(|e| panic!("bash: {e}"));
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            said.contains(&format!("dsd: building from source ({why})")),
            "{os}/{arch} {reference}: {said}"
        );
    }
    let _ = std::fs::remove_dir_all(&root);
}

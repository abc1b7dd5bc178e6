//! One fixture pair per rule: `tests/rules/RULE/fail.dsd` must report that rule and
//! nothing else; `pass.dsd`, the same design fixed, must report nothing. Failing
//! output is snapshotted in both formats. Every rule has fixtures and an explanation.

mod common;
use common::{codes, run};
use std::collections::BTreeSet;
use std::path::Path;

fn rule_dirs() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("tests/rules: {e}"))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The rules a design can break: the checker's, the two of step 5 that resolve
/// reports, and the `allow` that silences nothing.
fn design_rules() -> BTreeSet<&'static str> {
    dsd::rules::RULES
        .iter()
        .filter(|r| r.allowable || r.name == "unused-allow")
        .map(|r| r.name)
        .collect()
}

#[test]
fn every_design_rule_has_a_fixture_pair_and_every_fixture_a_rule() {
    let dirs: BTreeSet<String> = rule_dirs().into_iter().collect();
    for rule in design_rules() {
        assert!(
            dirs.contains(rule),
            "rule `{rule}` has no tests/rules/{rule}/"
        );
        for f in ["fail.dsd", "pass.dsd"] {
            let p = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/rules")
                .join(rule)
                .join(f);
            assert!(p.is_file(), "missing {}", p.display());
        }
    }
    for d in &dirs {
        assert!(
            design_rules().contains(d.as_str()),
            "tests/rules/{d} names no design rule"
        );
    }
}

#[test]
fn the_checker_runs_exactly_the_catalogued_design_rules() {
    let run: BTreeSet<&str> = dsd::check::rule_names().collect();
    let catalogued: BTreeSet<&str> = design_rules()
        .into_iter()
        .filter(|r| {
            !matches!(
                *r,
                "missing-tradeoff" | "tool-role-mismatch" | "unused-allow"
            )
        })
        .collect();
    assert_eq!(run, catalogued);
}

#[test]
fn each_fail_fixture_reports_its_rule_and_only_it() {
    for rule in rule_dirs() {
        let path = format!("tests/rules/{rule}/fail.dsd");
        let (code, json, _) = run(&["check", "--format", "json", &path]);
        assert_eq!(codes(&json), vec![rule.clone()], "{path}");
        let severity = dsd::rules::default_severity(&rule);
        let expected = if severity == dsd::diagnostic::Severity::Error {
            1
        } else {
            0
        };
        assert_eq!(code, expected, "{path}: exit status for a {severity:?}");
        insta::assert_snapshot!(format!("{rule}.json"), json);
        let (_, _, human) = run(&["check", "--color", "never", &path]);
        insta::assert_snapshot!(format!("{rule}.human"), human);
    }
}

#[test]
fn each_pass_fixture_is_clean() {
    for rule in rule_dirs() {
        let path = format!("tests/rules/{rule}/pass.dsd");
        let (code, json, _) = run(&["check", "--format", "json", &path]);
        assert_eq!(codes(&json), Vec::<String>::new(), "{path}");
        assert_eq!(code, 0, "{path}");
    }
}

#[test]
fn every_rule_is_explained_with_a_failing_and_a_fixed_snippet() {
    for rule in dsd::rules::RULES {
        let (code, out, _) = run(&["explain", rule.name]);
        assert_eq!(code, 0, "{}", rule.name);
        assert!(out.contains(rule.explanation.trim()), "{}", rule.name);
        if design_rules().contains(rule.name) {
            assert!(
                rule.explanation.contains("Fails:") && rule.explanation.contains("Fixed:"),
                "`{}` needs a failing and a fixed snippet",
                rule.name
            );
        }
    }
    let (code, list, _) = run(&["explain"]);
    assert_eq!(code, 0);
    for rule in dsd::rules::RULES {
        assert!(
            list.contains(rule.name),
            "`dsd explain` omits {}",
            rule.name
        );
    }
}

#[test]
fn an_unknown_rule_gets_a_suggestion_and_exit_2() {
    let (code, _, err) = run(&["explain", "non-idempotent-writes"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `non-idempotent-write`"), "{err}");
}

#[test]
fn allow_silences_a_rule_on_the_node_it_names_only() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules/non-idempotent-write/fail.dsd"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let close = text.rfind('}').unwrap_or(text.len());
    let with = |line: &str| format!("{}  {line}\n}}\n", &text[..close]);
    let allowed = with(
        "allow non-idempotent-write on landing because \"landing is truncated and reloaded nightly\"",
    );
    let c = dsd::compile("a.dsd", &allowed, &dsd::NoImports);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    let elsewhere = with("allow non-idempotent-write on app because \"not where the write is\"");
    let c = dsd::compile("a.dsd", &elsewhere, &dsd::NoImports);
    let got: Vec<&str> = c.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(got, ["non-idempotent-write", "unused-allow"]);
    let no_reason = with("allow non-idempotent-write");
    let c = dsd::compile("a.dsd", &no_reason, &dsd::NoImports);
    let got: Vec<&str> = c.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(got, ["allow-without-reason"]);
}

#[test]
fn design_rules_wait_for_a_design_that_resolves() {
    // A misspelt node drops a flow; the checker would report its echoes.
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules/unreachable-node/pass.dsd"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let broken = text.replace("flow orders -> audit", "flow orders -> audti");
    let c = dsd::compile("a.dsd", &broken, &dsd::NoImports);
    let got: Vec<&str> = c.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(got, ["unknown-name"]);
}

/// Designs written apart from the rule fixtures, in other domains and styles, each
/// seeded with one anti-pattern of the reference (or none): the checker must name
/// that rule and nothing else. Line 1 of each says `// expect: RULE` or `none`.
#[test]
fn independent_designs_are_flagged_with_the_right_rule_and_nothing_else() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/antipatterns");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "dsd"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "{files:?}");
    let mut seen = BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{e}"));
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("// expect: "))
            .unwrap_or_else(|| panic!("{}: no `// expect:` line", f.display()))
            .trim()
            .to_string();
        let shown = format!(
            "tests/antipatterns/{}",
            f.file_name().and_then(|n| n.to_str()).unwrap_or("")
        );
        let (_, json, _) = run(&["check", "--format", "json", &shown]);
        let want: Vec<String> = if expect == "none" {
            Vec::new()
        } else {
            vec![expect.clone()]
        };
        assert_eq!(codes(&json), want, "{shown}");
        seen.insert(expect);
    }
    // The reference's seven anti-patterns are all among them.
    for rule in [
        "over-engineering",
        "ordering-throughput-conflict",
        "oltp-analytics",
        "no-schema-evolution",
        "non-idempotent-write",
        "warehouse-realtime-serving",
        "uncovered-failure",
    ] {
        assert!(seen.contains(rule), "no independent design seeds {rule}");
    }
}

#[test]
fn only_design_rules_can_be_allowed() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules/unused-allow/pass.dsd"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let close = text.rfind('}').unwrap_or(text.len());
    let text = format!(
        "{}  allow dimension-mismatch because \"we like it\"\n}}\n",
        &text[..close]
    );
    let c = dsd::compile("a.dsd", &text, &dsd::NoImports);
    let got: Vec<(&str, &str)> = c
        .diagnostics
        .iter()
        .map(|d| (d.code, d.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [("invalid-value", "`dimension-mismatch` cannot be allowed")]
    );
}

#[test]
fn allow_on_a_node_silences_a_finding_resolve_reported() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules/tool-role-mismatch/fail.dsd"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let close = text.rfind('}').unwrap_or(text.len());
    let text = format!(
        "{}  allow tool-role-mismatch on landing because \"a spike: Redis stands in until the lake exists\"\n}}\n",
        &text[..close]
    );
    let c = dsd::compile("a.dsd", &text, &dsd::NoImports);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
}

#[test]
fn at_most_once_appends_are_fine_until_a_replay_or_backfill_repeats_them() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules/non-idempotent-write/fail.dsd"),
    )
    .unwrap_or_else(|e| panic!("{e}"))
    .replace("at_least_once", "at_most_once");
    let codes_of = |t: &str| -> Vec<&'static str> {
        dsd::compile("a.dsd", t, &dsd::NoImports)
            .diagnostics
            .iter()
            .map(|d| d.code)
            .collect()
    };
    assert_eq!(codes_of(&text), Vec::<&str>::new());
    let replayed = text.replace("key customer_id }", "key customer_id  replayable 7 days }");
    assert_eq!(codes_of(&replayed), ["non-idempotent-write"]);
    // A backfill reloads history into `landing`. Its own write is what can
    // duplicate rows, and unsafe-backfill owns that: merging by key is safe, a
    // plain append is one finding from unsafe-backfill, not a second from
    // non-idempotent-write about the live stream's append beside it.
    let close = text.rfind('}').unwrap_or(text.len());
    let backfilled = |write: &str| {
        format!(
            "{}  backfill history {{\n    to landing  chunk by month  pause 5 s  skip_existing  write {write}\n  }}\n}}\n",
            &text[..close]
        )
    };
    assert_eq!(codes_of(&backfilled("merge(order_id)")), Vec::<&str>::new());
    assert_eq!(codes_of(&backfilled("append")), ["unsafe-backfill"]);
}

/// A line of dsd without its comment, its whitespace collapsed.
fn code_of(line: &str) -> String {
    let mut quoted = false;
    let mut end = line.len();
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            end = i;
            break;
        }
    }
    line[..end].split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The snippet under `heading` in an explanation: its lines, each indented by
/// four spaces, up to the next heading or the end.
fn snippet<'a>(explanation: &'a str, heading: &str, rule: &str) -> Vec<&'a str> {
    let start = explanation
        .find(heading)
        .map(|i| i + heading.len())
        .unwrap_or_else(|| panic!("{rule}: no `{heading}`"));
    explanation[start..]
        .lines()
        .skip(1)
        .take_while(|l| !l.ends_with(':') || l.starts_with("    "))
        .filter(|l| !l.trim().is_empty())
        .inspect(|l| {
            assert!(
                l.starts_with("    "),
                "{rule}: `{l}` under {heading} is not indented as code"
            )
        })
        .collect()
}

/// Every snippet `dsd explain` shows compiles as shown: its lines are lines of
/// the rule's fixture (comments and spacing aside), the `Fails:` lines of
/// `fail.dsd`, which reports exactly that rule, and the `Fixed:` lines of
/// `pass.dsd`, which reports nothing (the two tests above). `--example` and
/// `--fixed` print those designs, so what a reader is told to try is what the
/// tests check. No snippet elides with `...`: a reader could not type it.
#[test]
fn every_snippet_is_lines_of_the_design_explain_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules");
    for rule in design_rules() {
        let explanation = dsd::rules::find(rule)
            .map(|r| r.explanation)
            .unwrap_or_else(|| panic!("{rule}: not catalogued"));
        let read = |f: &str| {
            std::fs::read_to_string(root.join(rule).join(f))
                .unwrap_or_else(|e| panic!("{rule}/{f}: {e}"))
        };
        let (fail, pass) = (read("fail.dsd"), read("pass.dsd"));
        for (heading, design, file) in
            [("Fails:", &fail, "fail.dsd"), ("Fixed:", &pass, "pass.dsd")]
        {
            let lines: BTreeSet<String> = design.lines().map(code_of).collect();
            let shown = snippet(explanation, heading, rule);
            assert!(!shown.is_empty(), "{rule}: `{heading}` shows nothing");
            for line in shown {
                assert!(!line.contains("..."), "{rule}: `{line}` elides");
                let code = code_of(line);
                assert!(
                    code.is_empty() || lines.contains(&code),
                    "{rule}: `{}` under {heading} is not a line of tests/rules/{rule}/{file}",
                    line.trim()
                );
            }
        }
        // A fix shows what it writes, or else it is a removal of a failing line.
        let fixed: Vec<String> = snippet(explanation, "Fixed:", rule)
            .into_iter()
            .map(code_of)
            .filter(|c| !c.is_empty())
            .collect();
        let pass_lines: BTreeSet<String> = pass.lines().map(code_of).collect();
        let removed = snippet(explanation, "Fails:", rule)
            .into_iter()
            .map(code_of)
            .any(|c| !c.is_empty() && !pass_lines.contains(&c));
        assert!(
            !fixed.is_empty() || removed,
            "{rule}: the fix shows no change"
        );
        let (code, printed, err) = run(&["explain", rule, "--example"]);
        assert_eq!(
            (code, printed.as_str()),
            (0, fail.as_str()),
            "{rule}: {err}"
        );
        let (code, printed, err) = run(&["explain", rule, "--fixed"]);
        assert_eq!(
            (code, printed.as_str()),
            (0, pass.as_str()),
            "{rule}: {err}"
        );
        let (_, text, _) = run(&["explain", rule]);
        assert!(
            text.contains(&format!("dsd explain {rule} --example")),
            "{rule}: the explanation does not say where the whole design is"
        );
    }
    // Rules about the text, not the design, have no example design.
    let (code, _, err) = run(&["explain", "syntax-error", "--example"]);
    assert_eq!(code, 2);
    assert!(err.contains("no example design"), "{err}");
}

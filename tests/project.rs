//! One project, every command: `dsd.toml`'s rules, stdlib overrides and file
//! selection are read by check, report, build, diff, fmt and the language
//! server alike; folders are walked as ripgrep walks them; inputs that cannot be
//! read are exit 2.

mod common;
use common::{run_in, temp_dir, write};
use std::path::Path;

fn fixture(rule: &str, which: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/rules")
        .join(rule)
        .join(which);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A project whose `dsd.toml` allows `missing-dlq`, with the design that has
/// one (`fail.dsd`) and the one that does not (`pass.dsd`).
fn project_allowing_missing_dlq(tag: &str) -> std::path::PathBuf {
    let dir = temp_dir(tag);
    write(
        &dir.join("dsd.toml"),
        "[rules]\nmissing-dlq = \"allow\"\n\n[stdlib]\n\"s3.price_storage\" = \"$0.023/GB/month\"\n",
    );
    write(
        &dir.join("designs/head.dsd"),
        &fixture("missing-dlq", "fail.dsd"),
    );
    write(
        &dir.join("designs/base.dsd"),
        &fixture("missing-dlq", "pass.dsd"),
    );
    dir
}

#[test]
fn every_command_reads_the_project_rules() {
    let dir = project_allowing_missing_dlq("rules-everywhere");
    // Without the project file the finding is there, for each command.
    let bare = temp_dir("rules-bare");
    write(&bare.join("head.dsd"), &fixture("missing-dlq", "fail.dsd"));
    write(&bare.join("base.dsd"), &fixture("missing-dlq", "pass.dsd"));
    let (_, _, err) = run_in(&bare, &["check", "head.dsd"]);
    assert!(err.contains("missing-dlq"), "{err}");
    let (code, _, _) = run_in(
        &bare,
        &["diff", "--fail-on", "new-findings", "base.dsd", "head.dsd"],
    );
    assert_eq!(code, 1, "the bare diff gates on the new finding");

    // check
    let (code, _, err) = run_in(&dir, &["check", "designs/head.dsd"]);
    assert!(!err.contains("missing-dlq"), "{err}");
    assert_eq!(code, 0, "{err}");
    // diff: an allowed rule is not a new finding
    let (code, md, err) = run_in(
        &dir,
        &[
            "diff",
            "--fail-on",
            "new-findings",
            "designs/base.dsd",
            "designs/head.dsd",
        ],
    );
    assert_eq!(code, 0, "{md}\n{err}");
    assert!(!md.contains("missing-dlq"), "{md}");
    // build: the design book counts no such finding
    let (code, _, err) = run_in(&dir, &["build", "designs/head.dsd", "--out", "out"]);
    assert_eq!(code, 0, "{err}");
    let book = std::fs::read_to_string(
        dir.join("out").join(
            std::fs::read_dir(dir.join("out"))
                .ok()
                .and_then(|mut d| {
                    d.find_map(|e| {
                        e.ok()
                            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
                    })
                })
                .map(|e| e.file_name())
                .unwrap_or_default(),
        ),
    )
    .unwrap_or_default();
    assert!(!book.is_empty(), "no design book written");
    assert!(
        !book.contains("missing-dlq"),
        "the book shows an allowed rule"
    );
    // the language server
    let uri = format!("file://{}", dir.join("designs/head.dsd").to_string_lossy());
    let doc = dsd::lsp::compile_doc(&uri, fixture("missing-dlq", "fail.dsd"));
    assert!(
        !doc.compiled
            .diagnostics
            .iter()
            .any(|d| d.code == "missing-dlq"),
        "the editor shows an allowed rule"
    );
}

#[test]
fn every_command_reads_the_project_stdlib() {
    let dir = project_allowing_missing_dlq("stdlib-everywhere");
    // report and build: the landing table's 30 GB at the project's $0.023, not
    // the reference's $0.02: 30 × 0.023 = $0.69.
    let (_, md, err) = run_in(&dir, &["report", "designs/head.dsd"]);
    assert!(
        md.contains("30 GB × object storage price \\$0.023/GB/month = \\$0.69/month"),
        "{md}\n{err}"
    );
    let (code, _, err) = run_in(
        &dir,
        &["build", "designs/head.dsd", "--out", "o", "--emit", "md"],
    );
    assert_eq!(code, 0, "{err}");
    let built = std::fs::read_dir(dir.join("o"))
        .ok()
        .and_then(|mut d| d.find_map(|e| e.ok()))
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .unwrap_or_default();
    assert!(built.contains("\\$0.69/month"), "{built}");
    // An override naming nothing is an error in every command that compiles.
    write(
        &dir.join("dsd.toml"),
        "[stdlib]\nobject_storage_prise = \"$0.023/GB/month\"\n",
    );
    for args in [
        vec!["check", "designs/head.dsd"],
        vec!["report", "designs/head.dsd"],
        vec!["build", "designs/head.dsd", "--out", "out2"],
    ] {
        let (code, _, err) = run_in(&dir, &args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("[stdlib] `object_storage_prise`"),
            "{args:?}: {err}"
        );
    }
}

/// Folders are walked as ripgrep walks them: `node_modules`, hidden folders
/// and git-ignored paths are not designs of the project.
#[test]
fn ignored_folders_are_not_walked() {
    let dir = temp_dir("walk-ignore");
    let good = fixture("missing-dlq", "pass.dsd");
    write(&dir.join("designs/a.dsd"), &good);
    write(&dir.join("node_modules/pkg/broken.dsd"), "design {");
    write(&dir.join(".venv/broken.dsd"), "design {");
    write(&dir.join("generated/broken.dsd"), "design {");
    write(&dir.join(".gitignore"), "generated/\n");
    let (code, _, err) = run_in(&dir, &["check", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("in 1 file"), "{err}");
    let (code, _, err) = run_in(&dir, &["fmt", "--check", "."]);
    assert!(!err.contains("broken"), "{err}");
    assert!(code == 0 || code == 1, "{err}");
}

/// `[check] exclude` drops files found in folders; named files too with
/// `--force-exclude` (pre-commit and editors name every changed file).
#[test]
fn exclude_and_force_exclude() {
    let dir = temp_dir("force-exclude");
    write(
        &dir.join("dsd.toml"),
        "[check]\nexclude = [\"archive/**\"]\n",
    );
    write(
        &dir.join("designs/a.dsd"),
        &fixture("missing-dlq", "pass.dsd"),
    );
    write(&dir.join("archive/old.dsd"), "design {");
    let (code, _, err) = run_in(&dir, &["check", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("in 1 file"), "{err}");
    // Named, it is checked (and fails)...
    let (code, _, _) = run_in(&dir, &["check", "archive/old.dsd"]);
    assert_eq!(code, 1);
    // ...unless --force-exclude.
    let (code, _, err) = run_in(&dir, &["check", "--force-exclude", "archive/old.dsd"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("in 0 files"), "{err}");
    let (code, _, err) = run_in(
        &dir,
        &["fmt", "--check", "--force-exclude", "archive/old.dsd"],
    );
    assert_eq!(code, 0, "{err}");
    // A glob that does not parse is reported with the file, exit 2.
    write(
        &dir.join("dsd.toml"),
        "[check]\nexclude = [\"archive/[\"]\n",
    );
    let (code, _, err) = run_in(&dir, &["check", "."]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is not a glob"), "{err}");
}

/// Inputs that do not exist are a mistake in the command: exit 2 with the
/// operating system's reason, never "No design changed" or "wrote 0 files".
#[test]
fn missing_inputs_exit_two() {
    let dir = temp_dir("missing-inputs");
    write(&dir.join("a.dsd"), &fixture("missing-dlq", "pass.dsd"));
    for args in [
        vec!["diff", "nope.dsd", "nope2.dsd"],
        vec!["diff", "nope.dsd", "a.dsd"],
        vec!["diff", "a.dsd", "nope.dsd"],
        vec!["build", "nope.dsd", "--out", "out"],
        vec!["fmt", "nope.dsd"],
        vec!["check", "nope.dsd"],
        vec!["report", "nope.dsd"],
    ] {
        let (code, out, err) = run_in(&dir, &args);
        assert_eq!(code, 2, "{args:?}: {out}\n{err}");
        assert!(err.contains("No such file"), "{args:?}: {err}");
        assert!(!out.contains("No design changed"), "{args:?}: {out}");
    }
}

/// Two designs of one name in one build would write the same files.
#[test]
fn a_name_collision_in_build_is_an_error() {
    let dir = temp_dir("build-collision");
    let text = fixture("missing-dlq", "pass.dsd");
    write(&dir.join("a/x.dsd"), &text);
    write(&dir.join("b/x.dsd"), &text);
    let (code, _, err) = run_in(&dir, &["build", "a", "b", "--out", "out"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("would overwrite the files of the design of that name in a/x.dsd"),
        "{err}"
    );
}

/// `--config PATH` names the project file; `--quiet` drops the summary lines;
/// `dsd completions SHELL` prints a completion script for each shell.
#[test]
fn config_quiet_and_completions() {
    let dir = temp_dir("config-flag");
    write(&dir.join("d/head.dsd"), &fixture("missing-dlq", "fail.dsd"));
    write(
        &dir.join("elsewhere/team.toml"),
        "[rules]\nmissing-dlq = \"allow\"\n",
    );
    let (_, _, err) = run_in(&dir, &["check", "d/head.dsd"]);
    assert!(
        err.contains("missing-dlq") && err.contains("dsd: 0 errors, 1 warning"),
        "{err}"
    );
    let (code, _, err) = run_in(
        &dir,
        &[
            "check",
            "--config",
            "elsewhere/team.toml",
            "--quiet",
            "d/head.dsd",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.is_empty(),
        "--quiet with nothing to report prints nothing: {err}"
    );
    let (code, _, err) = run_in(&dir, &["check", "--config", "nope.toml", "d/head.dsd"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("nope.toml") && err.contains("cannot read it"),
        "{err}"
    );
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, out, err) = run_in(&dir, &["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(
            out.contains("dsd") && out.contains("check") && out.contains("catalogue"),
            "{shell}"
        );
    }
}

/// A problem in `dsd.toml` says its line (and column, for TOML syntax).
#[test]
fn project_file_errors_name_their_line() {
    let dir = temp_dir("toml-lines");
    write(&dir.join("a.dsd"), &fixture("missing-dlq", "pass.dsd"));
    write(
        &dir.join("dsd.toml"),
        "[rules]\nmissing-dlq = \"allow\"\nweak-durabilty = \"error\"\n\n[check]\nincluded = []\n",
    );
    let (code, _, err) = run_in(&dir, &["check", "a.dsd"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("dsd.toml: line 3: [rules]: no rule named `weak-durabilty`; did you mean `weak-durability`?"), "{err}");
    assert!(
        err.contains("dsd.toml: line 6: [check]: unknown key `included`; did you mean `include`?"),
        "{err}"
    );
    write(&dir.join("dsd.toml"), "[rules\nx = 1\n");
    let (code, _, err) = run_in(&dir, &["check", "a.dsd"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("dsd.toml: line 1, column 7: dsd.toml is not valid TOML"),
        "{err}"
    );
}

/// `-` reads the design from standard input in every command that reads one.
#[test]
fn a_dash_reads_standard_input() {
    use std::io::Write;
    let text = fixture("missing-dlq", "fail.dsd");
    for args in [
        vec!["check", "-"],
        vec!["report", "-"],
        vec!["dot", "-"],
        vec!["mermaid", "-"],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dsd"))
            .args(&args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        if let Some(mut input) = child.stdin.take() {
            input
                .write_all(text.as_bytes())
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        match args[0] {
            "check" => assert!(
                stderr.contains("<stdin>:25:8") && stderr.contains("missing-dlq"),
                "{stderr}"
            ),
            "report" => assert!(stdout.starts_with("# Sizing report"), "{stdout}"),
            "dot" => assert!(stdout.starts_with("digraph"), "{stdout}"),
            _ => assert!(stdout.contains("flowchart"), "{stdout}"),
        }
    }
}

/// `--color` is accepted by every command; `auto` follows NO_COLOR, then
/// FORCE_COLOR / CLICOLOR_FORCE, then whether standard error is a terminal (it is
/// a pipe here).
#[test]
fn colour_follows_the_flag_and_the_environment() {
    let dir = temp_dir("colour");
    write(&dir.join("a.dsd"), &fixture("missing-dlq", "fail.dsd"));
    write(
        &dir.join("bad.dsd"),
        "design x \"y\" { requirements { volume 5M wat/day } }\n",
    );
    let stderr_of = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_dsd"));
        cmd.args(args).current_dir(&dir);
        for k in ["NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE"] {
            cmd.env_remove(k);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap_or_else(|e| panic!("{e}"));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let esc = |s: &str| s.contains('\u{1b}');
    assert!(!esc(&stderr_of(&["check", "a.dsd"], &[])));
    assert!(esc(&stderr_of(
        &["check", "a.dsd"],
        &[("FORCE_COLOR", "1")]
    )));
    assert!(esc(&stderr_of(
        &["check", "a.dsd"],
        &[("CLICOLOR_FORCE", "1")]
    )));
    assert!(!esc(&stderr_of(
        &["check", "a.dsd"],
        &[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]
    )));
    assert!(esc(&stderr_of(
        &["check", "--color", "always", "a.dsd"],
        &[("NO_COLOR", "1")]
    )));
    assert!(!esc(&stderr_of(
        &["--color", "never", "check", "a.dsd"],
        &[("FORCE_COLOR", "1")]
    )));
    // Another command's errors in the text follow the same flag.
    assert!(esc(&stderr_of(
        &["report", "--color", "always", "bad.dsd"],
        &[]
    )));
    assert!(!esc(&stderr_of(&["report", "bad.dsd"], &[])));
}

/// Designs that import one file share its parse (`dsd check` of a folder):
/// what each reports, the imported file's errors included, is what it reports
/// checked alone.
#[test]
fn designs_sharing_an_import_report_as_if_checked_alone() {
    let dir = common::temp_dir("shared-import");
    common::write(
        &dir.join("catalogue.dsd"),
        "noun widget\ntool fastq \"FastQ\" : stream_broker { per_partition 1 MB/s }\nlet broken = 3 widgts/s\n",
    );
    for name in ["a", "b"] {
        common::write(
            &dir.join(format!("{name}.dsd")),
            &format!(
                "import \"catalogue.dsd\"\n\ndesign {name} {{\n  source s : service\n  node q : stream_broker\n  flow s -> q stream\n  use fastq for q\n    because \"x\"\n    accepting \"y\"\n}}\n"
            ),
        );
    }
    let d = dir.to_string_lossy().to_string();
    let (_, together, _) = common::run(&["check", "--format", "json", &d]);
    let alone: Vec<String> = ["a", "b", "catalogue"]
        .iter()
        .map(|n| {
            let f = dir.join(format!("{n}.dsd")).to_string_lossy().to_string();
            common::run(&["check", "--format", "json", &f]).1
        })
        .collect();
    let diags = |json: &str| -> Vec<serde_json::Value> {
        serde_json::from_str::<serde_json::Value>(json)
            .ok()
            .and_then(|v| v["diagnostics"].as_array().cloned())
            .unwrap_or_default()
    };
    let mut each: Vec<serde_json::Value> = alone.iter().flat_map(|j| diags(j)).collect();
    let mut all = diags(&together);
    let key = |v: &serde_json::Value| v.to_string();
    each.sort_by_key(key);
    all.sort_by_key(key);
    // The misspelt unit in the shared file is reported once per importer and
    // once for the file itself.
    let misspelt = all
        .iter()
        .filter(|v| {
            v["file"]
                .as_str()
                .is_some_and(|f| f.ends_with("catalogue.dsd"))
        })
        .filter(|v| v["message"].as_str().is_some_and(|m| m.contains("widgts")))
        .count();
    assert_eq!(misspelt, 3, "{together}");
    assert_eq!(all, each);
    let _ = std::fs::remove_dir_all(&dir);
}

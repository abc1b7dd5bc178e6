//! Issue 17, hardening round two: one test per class of defect an adversarial
//! pass found (a crash, a hang, a write where it must not go, an injection).
//! Each runs the input that broke dsd before, in a thread with a small stack
//! where the defect was a stack overflow, so a regression fails here rather
//! than only on a bigger machine's default stack.

mod common;
use common::{run, run_in, temp_dir, write};
use dsd::source::SourceFile;
use std::path::Path;

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap_or_else(|| panic!("non-UTF-8 temp path"))
}

/// Runs `f` on a thread with a 512 KiB stack (the main thread has 8 MiB).
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(f)
        .unwrap_or_else(|e| panic!("cannot spawn: {e}"))
        .join()
        .unwrap_or_else(|_| panic!("the compilation panicked or overflowed"))
}

fn codes(c: &dsd::Compilation) -> Vec<&'static str> {
    c.diagnostics.iter().map(|d| d.code).collect()
}

/// `let x = ------…1` with 6,000 signs overflowed the stack (exit 134), in a
/// file, through `--set` and in the language server. A run of signs folds to
/// one or none: an even run is the number itself.
#[test]
fn a_run_of_minus_signs_does_not_nest() {
    for n in [6_000usize, 6_001] {
        let text = format!(
            "let x = {}864M events/day\ndesign d \"D\" {{\n  requirements {{ volume x }}\n}}\n",
            "-".repeat(n)
        );
        let c = on_small_stack(move || dsd::compile("neg.dsd", &text, &dsd::NoImports));
        // An even run is the number itself; an odd run its negative, which a
        // volume refuses.
        let d = c
            .designs
            .first()
            .unwrap_or_else(|| panic!("{:?}", codes(&c)));
        let r = dsd::sizing::size(&d.design, &c.catalogue, 1.0);
        let avg = r
            .figure("rate.average")
            .and_then(|f| f.value.as_ref().ok())
            .map(|v| v.hi);
        if n % 2 == 0 {
            assert!(
                avg.is_some_and(|a| (a - 10_000.0).abs() < 1e-6),
                "{n}: {avg:?}"
            );
        } else {
            let said = c.diagnostics.iter().any(|d| {
                d.code == "invalid-value" && d.message.contains("`volume` cannot be negative")
            });
            assert!(said, "{n}: {:?}", codes(&c));
        }
        let set = vec![("x".to_string(), format!("{}1 MB", "-".repeat(n)))];
        on_small_stack(move || {
            let w = dsd::WhatIf { set, scale: 1.0 };
            dsd::compile_with("neg.dsd", "let x = 1 MB\n", &dsd::NoImports, &w)
        });
    }
}

/// The nesting pre-scan ended a string at `"` or `\n` only, while the grammar
/// also ends a line at a lone `\r`: brackets after `"\r` went uncounted and
/// 5,000 of them overflowed the parser.
#[test]
fn a_lone_cr_ends_a_string_for_the_nesting_scan() {
    let text = format!(
        "let s = \"\r let x = {}1{}\n",
        "(".repeat(5_000),
        ")".repeat(5_000)
    );
    let c = on_small_stack(move || dsd::compile("cr.dsd", &text, &dsd::NoImports));
    assert!(codes(&c).contains(&"nesting-too-deep"), "{:?}", codes(&c));
}

/// A lone `\r` ends a line for the grammar, so for every other pass too: the
/// formatter kept it inside one line and joined two statements; the language
/// server counted only `\n`; snippets printed the raw `\r`.
#[test]
fn a_lone_cr_is_a_line_end_everywhere() {
    let text = "let a = 1 MB\rlet b = 2 MB\n";
    let c = dsd::compile("cr.dsd", text, &dsd::NoImports);
    assert!(!c.has_errors(), "{:?}", codes(&c));
    // The formatter: two lines stay two lines.
    let formatted = dsd::fmt::format(text).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(formatted, "let a = 1 MB\nlet b = 2 MB\n");
    // The language server: `let b` starts line 1, and back.
    let at = text.find("let b").unwrap_or_default();
    let pos = dsd::lsp::position::position(text, at);
    assert_eq!((pos.line, pos.character), (1, 0));
    assert_eq!(dsd::lsp::position::offset(text, pos), at);
    // Snippets: an error on the second line shows it as line 2.
    let bad = "let a = 1 MB\rlet b = 2 furlongs\n";
    let c = dsd::compile("cr.dsd", bad, &dsd::NoImports);
    let shown = dsd::emit::human::render(&c.sources, &c.diagnostics, false);
    assert!(shown.contains("cr.dsd:2:"), "{shown}");
    assert!(!shown.contains('\r'), "{shown:?}");
    // One notion of lines: the source map agrees.
    let file = SourceFile::new("cr.dsd", text);
    assert_eq!(file.line_col(at as u32), (2, 1));
}

/// Terminal escape sequences (ESC, BEL) and bidirectional overrides in a
/// design's strings reached the terminal raw in snippets and messages.
#[test]
fn escapes_in_a_design_never_reach_the_terminal() {
    let text =
        "design x \"a\u{1b}[2J\u{7}b \u{202e}cba\" {\n  requirements { volume 1 furlong/day }\n}\n";
    let c = dsd::compile("esc.dsd", text, &dsd::NoImports);
    assert!(c.has_errors());
    let shown = dsd::emit::human::render(&c.sources, &c.diagnostics, false);
    for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!shown.contains(bad), "{bad:?} printed: {shown:?}");
    }
    // Offsets hold: the label still points at the unit on line 2.
    assert!(shown.contains("esc.dsd:2:"), "{shown}");
}

/// `**` in `dsd.toml` `[check] include/exclude` backtracked exponentially: 20
/// `**/` against a path 20 folders deep ran for minutes. Matching is now
/// globset's (compiled to a regex automaton); the same answers, at once.
#[test]
fn globs_with_many_double_stars_match_at_once() {
    let glob =
        |p: &str, s: &str| dsd::project::glob_matches(p, s).unwrap_or_else(|e| panic!("{p}: {e}"));
    let pattern = format!("{}x.dsd", "**/".repeat(20));
    let deep = format!("{}y.dsd", "a/".repeat(20));
    assert!(!glob(&pattern, &deep));
    let deep = format!("{}x.dsd", "a/".repeat(20));
    assert!(glob(&pattern, &deep));
    let pattern = format!("{}b/**/x.dsd", "**/a/".repeat(10));
    let path = format!("{}b/c/x.dsd", "a/".repeat(12));
    assert!(glob(&pattern, &path));
    assert!(!glob(&pattern, &path.replace("/b/", "/q/")));
}

/// Imports were de-duplicated by the path written, not the file: through a
/// link `d -> .`, `c.dsd`, `d/c.dsd`, `d/d/c.dsd` … loaded one file up to 256
/// times. Each file is now loaded once, whatever path reaches it.
#[cfg(unix)]
#[test]
fn a_file_reached_by_many_paths_is_imported_once() {
    let dir = temp_dir("import-loop");
    write(&dir.join("c.dsd"), "let shared = 1 MB\n");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(".", dir.join("d")).unwrap_or_else(|e| panic!("{e}"));
    let imports: String = (0..40)
        .map(|k| format!("import \"{}c.dsd\"\n", "d/".repeat(k)))
        .collect();
    let main = dir.join("main.dsd");
    write(&main, &imports);
    let text = std::fs::read_to_string(&main).unwrap_or_default();
    let c = dsd::compile("main.dsd", &text, &dsd::FsLoader::for_file(&main));
    let files = c
        .sources
        .iter()
        .filter(|(_, f)| f.name.ends_with("c.dsd"))
        .count();
    assert_eq!(files, 1, "{:?}", c.diagnostics);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A FIFO (which blocks on open) or a device that never ends (`/dev/zero`)
/// hung `check`, `fmt` and imports or grew without bound. Files are refused
/// from their metadata, and never read past the size limit.
#[cfg(unix)]
#[test]
fn fifos_and_devices_are_refused_not_read() {
    let dir = temp_dir("fifo");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let fifo = dir.join("pipe.dsd");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(made, "mkfifo is needed for this test");
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.dsd")).unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = run(&["check", path_str(&fifo)]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    let (code, _, err) = run(&["fmt", path_str(&fifo)]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    // A folder walk meets both and refuses each, and still finishes.
    write(&dir.join("ok.dsd"), "let a = 1 MB\n");
    let (code, _, err) = run(&["check", path_str(&dir)]);
    assert_eq!(code, 2, "{err}");
    // Imports of either are errors, not hangs.
    let main = dir.join("main.dsd");
    write(&main, "import \"pipe.dsd\"\nimport \"zero.dsd\"\n");
    let text = std::fs::read_to_string(&main).unwrap_or_default();
    let c = dsd::compile("main.dsd", &text, &dsd::FsLoader::for_file(&main));
    let errors: Vec<&str> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "import-error")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors
            .first()
            .is_some_and(|e| e.contains("not a regular file")),
        "{errors:?}"
    );
    // A link out of the project is refused before its type matters.
    assert!(
        errors
            .get(1)
            .is_some_and(|e| e.contains("outside the project root")),
        "{errors:?}"
    );
    let (code, _, err) = run(&["check", path_str(&dir.join("zero.dsd"))]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `dsd fmt` wrote through symbolic links (so outside the project), in place and
/// non-atomically, and said "reformatted" when the write failed.
#[cfg(unix)]
#[test]
fn fmt_never_writes_through_a_link() {
    let dir = temp_dir("fmt-link");
    let outside = temp_dir("fmt-outside").join("victim.dsd");
    write(&outside, "let   a =   1 MB\n");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(&outside, dir.join("link.dsd")).unwrap_or_else(|e| panic!("{e}"));
    write(&dir.join("own.dsd"), "let   b =   2 MB\n");
    // Walking the folder, the link out of it is skipped and said.
    let (code, _, err) = run(&["fmt", path_str(&dir)]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("link.dsd: a link to a file outside"), "{err}");
    assert!(err.contains("reformatted 1 of 1 files"), "{err}");
    // Named on the command line, it is refused, and nothing is counted.
    let (code, _, err) = run(&["fmt", path_str(&dir.join("link.dsd"))]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("symbolic link"), "{err}");
    assert!(err.contains("reformatted 0 of 1 files"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&outside).unwrap_or_default(),
        "let   a =   1 MB\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("own.dsd")).unwrap_or_default(),
        "let b = 2 MB\n"
    );
    // No temporary file is left beside it.
    let left: Vec<_> = std::fs::read_dir(&dir)
        .map(|r| r.filter_map(Result::ok).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert_eq!(left.len(), 2, "{left:?}");
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(outside.parent().unwrap_or(Path::new("/nonexistent")));
}

/// Quiet wrong answers: a negative amount was accepted (`threads -8`, `peak
/// -2000 payments/s`) and sized; `--set NODE.misspelt=…` was set on nothing and
/// exited 0; `--fail-on cost-increase=NaN` never failed.
#[test]
fn quiet_wrong_answers_are_errors() {
    let text = "design d \"D\" {\n  requirements {\n    volume 10 events/s\n    peak -2000 events/s\n  }\n  node x : stream_processor { threads -8 }\n}\n";
    let c = dsd::compile("neg.dsd", text, &dsd::NoImports);
    let negative: Vec<&str> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "invalid-value" && d.message.contains("cannot be negative"))
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(negative.len(), 2, "{:?}", codes(&c));

    let (code, _, err) = run(&[
        "report",
        "examples/razorpay_payments.dsd",
        "--set",
        "fraud.thredz=4",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("did you mean `fraud.threads`?"), "{err}");
    let (code, _, err) = run(&[
        "diff",
        "examples/razorpay_payments.dsd",
        "examples/razorpay_payments.dsd",
        "--fail-on",
        "cost-increase=NaN",
    ]);
    assert_eq!(code, 2, "{err}");
}

/// A failed write to standard output (`> /dev/full`) exited 0 with nothing
/// said (or panicked, for `explain`): it is exit 2 with the OS error.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_to_standard_output_is_exit_2() {
    for args in [
        vec!["explain"],
        vec!["catalogue", "msk"],
        vec!["report", "examples/razorpay_payments.dsd"],
        vec![
            "check",
            "--format",
            "sarif",
            "examples/razorpay_payments.dsd",
        ],
        vec!["mermaid", "examples/razorpay_payments.dsd"],
    ] {
        let full = std::fs::File::create("/dev/full").unwrap_or_else(|e| panic!("{e}"));
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_dsd"))
            .args(&args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(full)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("cannot write to standard output"),
            "{args:?}: {err}"
        );
    }
}

/// A figure that overflows (`per_event 1e308 ms`) printed `inf` threads and
/// `0x` headroom, and JSON had `"value": null` with no `error`; `--scale 1e308`
/// overflowed every figure. Each figure and check is now a number or says why
/// not, and `--scale` stays within a millionfold.
#[test]
fn an_overflow_is_said_not_printed_as_inf() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/razorpay_payments.dsd"),
    )
    .unwrap_or_default()
    .replace("per_event 3.5 ms", "per_event 1e308 ms");
    assert!(text.contains("1e308"));
    let dir = temp_dir("overflow");
    let file = dir.join("big.dsd");
    write(&file, &text);
    let json = common::report(&[path_str(&file)]);
    for f in json["figures"].as_array().into_iter().flatten() {
        assert!(
            !f["value"].is_null() || f["error"].is_string(),
            "a null without a reason: {f}"
        );
    }
    let checks = json["checks"].as_array().cloned().unwrap_or_default();
    let threads = checks
        .iter()
        .find(|c| c["id"] == "node.fraud.threads")
        .unwrap_or_else(|| panic!("{checks:?}"));
    assert_eq!(threads["ok"], false);
    assert!(
        threads["error"]
            .as_str()
            .is_some_and(|e| e.contains("too large")),
        "{threads}"
    );
    let (_, md, _) = run(&["report", path_str(&file)]);
    assert!(!md.contains("inf "), "{md}");
    let (code, _, err) = run(&["check", "--format", "json", path_str(&file)]);
    assert_eq!(code, 1, "{err}");
    let (code, _, err) = run(&[
        "report",
        "examples/razorpay_payments.dsd",
        "--scale",
        "1e308",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--scale takes a factor from"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Did-you-mean compared every unknown name with every declared one: 8,000
/// flows to 8,000 undeclared nodes took 35 s. The comparisons of one
/// compilation are budgeted (`suggest::BUDGET`); past it, help says what to do
/// without a suggestion. And a file reports at most 500 diagnostics, then one
/// that counts the rest (a 1.4 MB file of bad flows took 1.9 GB as SARIF).
#[test]
fn suggestions_and_diagnostics_are_bounded() {
    let n = 6_000;
    let mut text = String::from("design d \"D\" {\n");
    for i in 0..n {
        text.push_str(&format!("  node n{i} : service\n"));
    }
    for i in 0..n {
        text.push_str(&format!("  flow n{i} -> n{i}x stream\n"));
    }
    text.push_str("}\n");
    let c = dsd::compile("dym.dsd", &text, &dsd::NoImports);
    let unknown: Vec<&dsd::diagnostic::Diagnostic> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "unknown-name")
        .collect();
    assert_eq!(
        unknown.first().and_then(|d| d.help.as_deref()),
        Some("did you mean `n0`?")
    );
    // Each unknown weighs 6,000 names: the budget of 2M lasts about 333 of
    // them, so later ones among the 500 shown go without a suggestion.
    let suggested = unknown
        .iter()
        .filter(|d| {
            d.help
                .as_deref()
                .is_some_and(|h| h.starts_with("did you mean"))
        })
        .count();
    assert!(suggested > 0 && suggested < unknown.len(), "{suggested}");
    // Bounded diagnostics: 500 shown, then one that counts the rest.
    let mine = c
        .diagnostics
        .iter()
        .filter(|d| d.primary.file == c.main)
        .count();
    assert_eq!(mine, dsd::MAX_DIAGNOSTICS_PER_FILE + 1);
    let last = c.diagnostics.last().unwrap_or_else(|| panic!("none"));
    assert_eq!(last.code, "too-many-diagnostics");
    assert!(last.is_error());
    // The same design compiled again gets the same suggestions: the budget is
    // per compilation.
    let again = dsd::compile("dym.dsd", &text, &dsd::NoImports);
    assert_eq!(again.diagnostics, c.diagnostics);
}

/// The summary line counts what `too-many-diagnostics` folds: 700 unknown
/// flow ends are 700 errors, of which 500 are shown and 200 are not; the
/// folding line itself is not an error of its own.
#[test]
fn the_summary_counts_the_diagnostics_it_does_not_show() {
    let dir = temp_dir("folded");
    let mut text = String::from("design d \"D\" {\n  node a : service\n");
    for i in 0..700 {
        text.push_str(&format!("  flow a -> missing{i} stream\n"));
    }
    text.push_str("}\n");
    let file = dir.join("many.dsd");
    write(&file, &text);
    let (code, _out, err) = run(&["check", path_str(&file)]);
    assert_eq!(code, 1, "{err}");
    let last = err.lines().last().unwrap_or_default();
    assert_eq!(
        last,
        "dsd: 700 errors, 0 warnings in 1 file (200 not shown)"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// With `--format github` the runner reads workflow commands from standard
/// error too: a `dsd.toml` key or a file name with a line end in it printed
/// raw forged an `::error`. Every such string is printed on one line.
#[test]
fn no_line_of_output_is_forged_from_a_key_or_a_file_name() {
    let dir = temp_dir("forge");
    write(
        &dir.join("dsd.toml"),
        "[rules]\n\"x\\n::error file=a::forged\" = \"allow\"\n",
    );
    write(&dir.join("d.dsd"), "let a = 1 MB\n");
    let (code, out, err) = run(&["check", "--format", "github", path_str(&dir.join("d.dsd"))]);
    assert_eq!(code, 2, "{err}");
    for line in out.lines().chain(err.lines()) {
        assert!(!line.starts_with("::error file=a"), "forged: {line}");
    }
    assert!(err.contains("\\u{a}::error"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

fn example() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/razorpay_payments.dsd"),
    )
    .unwrap_or_default()
}

/// `-o DIR` wrote through a symlinked DIR or a symlinked parent, and through a
/// hard link inside it: a repository can plant `out -> ~/.ssh` or a hard link
/// to a file it wants overwritten. Output folders under the current folder
/// must be real, and every output replaces what is there instead of writing
/// through it.
#[cfg(unix)]
#[test]
fn outputs_go_only_into_real_folders_and_replace_links() {
    let repo = temp_dir("out-dirs");
    let victim_dir = temp_dir("out-victim");
    std::fs::create_dir_all(&victim_dir).unwrap_or_else(|e| panic!("{e}"));
    write(&repo.join("d.dsd"), &example());
    // The output folder itself a link.
    std::os::unix::fs::symlink(&victim_dir, repo.join("out")).unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = run_in(&repo, &["build", "d.dsd", "-o", "out", "--emit", "dot"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("out is a symbolic link"), "{err}");
    let (code, _, err) = run_in(&repo, &["init", "x", "-o", "out"]);
    assert_eq!(code, 2, "{err}");
    // A parent of it a link.
    std::os::unix::fs::symlink(&victim_dir, repo.join("docs")).unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = run_in(
        &repo,
        &["build", "d.dsd", "-o", "docs/site", "--emit", "dot"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("docs is a symbolic link"), "{err}");
    let left: Vec<_> = std::fs::read_dir(&victim_dir)
        .map(|r| r.filter_map(Result::ok).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "written through a link: {left:?}");
    // A hard link inside a real output folder is replaced, not written through.
    let victim = victim_dir.join("victim.txt");
    write(&victim, "keep me\n");
    std::fs::create_dir_all(repo.join("real")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::hard_link(&victim, repo.join("real/razorpay_payments.dot"))
        .unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = run_in(&repo, &["build", "d.dsd", "-o", "real", "--emit", "dot"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap_or_default(),
        "keep me\n"
    );
    let dot = std::fs::read_to_string(repo.join("real/razorpay_payments.dot")).unwrap_or_default();
    assert!(dot.starts_with("digraph"), "{dot}");
    let _ = std::fs::remove_dir_all(&repo);
    let _ = std::fs::remove_dir_all(&victim_dir);
}

/// A folder walk followed file links out of the project: `p.dsd -> /etc/passwd`
/// printed its lines in snippets. A link to a file outside the named folder is
/// skipped (and said); one to a file inside is read.
#[cfg(unix)]
#[test]
fn folder_walks_do_not_follow_links_out_of_the_folder() {
    let repo = temp_dir("walk-links");
    let outside = temp_dir("walk-outside");
    write(
        &outside.join("secret.dsd"),
        "secret line that must not be shown\n",
    );
    write(&repo.join("d.dsd"), "let a = 1 MB\n");
    write(&repo.join("sub/inner.dsd"), "let broken = \n");
    std::os::unix::fs::symlink(outside.join("secret.dsd"), repo.join("p.dsd"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(repo.join("sub/inner.dsd"), repo.join("q.dsd"))
        .unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = run(&["check", path_str(&repo)]);
    assert!(!err.contains("secret line"), "{err}");
    assert!(err.contains("p.dsd: a link to a file outside"), "{err}");
    // The link inside the folder is read: its error is reported (twice: by both names).
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("q.dsd"), "{err}");
    let _ = std::fs::remove_dir_all(&repo);
    let _ = std::fs::remove_dir_all(&outside);
}

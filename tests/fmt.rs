//! The formatter: idempotent, never changes meaning (the syntax tree before and
//! after is the same), keeps every comment, leaves broken files alone.

mod common;
use common::run;
use std::path::{Path, PathBuf};

fn all_designs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut stack = vec![root.join("examples"), root.join("tests")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
        {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "dsd") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn comments(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            // A `//` outside strings (the fixtures keep `//` out of strings).
            let mut in_string = false;
            let b = l.as_bytes();
            for i in 0..b.len() {
                match b[i] {
                    b'"' => in_string = !in_string,
                    b'/' if !in_string && b.get(i + 1) == Some(&b'/') => {
                        return Some(l[i..].trim_end().to_string());
                    }
                    _ => {}
                }
            }
            None
        })
        .collect()
}

#[test]
fn formatting_is_idempotent_keeps_meaning_and_comments_everywhere() {
    let files = all_designs();
    assert!(files.len() > 60, "{}", files.len());
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{e}"));
        let (_, errors) = dsd::syntax::parse(&text);
        let readable = dsd::syntax::grammar_accepts(&text);
        match dsd::fmt::format(&text) {
            Err(_) => assert!(
                !errors.is_empty() && !readable,
                "{}: refused a file the grammar reads",
                f.display()
            ),
            Ok(once) => {
                // Formatted: every line was read (errors found after that, such
                // as a misspelt property, do not stop the formatter).
                assert!(
                    readable,
                    "{}: formatted a file with lines the grammar cannot read",
                    f.display()
                );
                let twice = dsd::fmt::format(&once)
                    .unwrap_or_else(|_| panic!("{}: output does not parse", f.display()));
                assert_eq!(once, twice, "{}: not idempotent", f.display());
                assert_eq!(
                    dsd::syntax::meaning(&text),
                    dsd::syntax::meaning(&once),
                    "{}: meaning changed",
                    f.display()
                );
                assert_eq!(
                    comments(&text),
                    comments(&once),
                    "{}: comments moved or lost",
                    f.display()
                );
            }
        }
    }
}

#[test]
fn a_messy_design_gets_the_canonical_layout() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fmt/messy.dsd"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = dsd::fmt::format(&text).unwrap_or_else(|_| panic!("messy.dsd parses"));
    insta::assert_snapshot!("messy", out);
    // And the checker sees the same design.
    let before = dsd::compile("m.dsd", &text, &dsd::NoImports);
    let after = dsd::compile("m.dsd", &out, &dsd::NoImports);
    assert_eq!(before.diagnostics.len(), after.diagnostics.len());
}

#[test]
fn the_examples_are_formatted_and_check_mode_reports_drift() {
    let (code, out, err) = run(&["fmt", "--check", "examples"]);
    assert_eq!(code, 0, "{out}{err}");
    let dir = std::env::temp_dir().join(format!("dsd-fmt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let messy = dir.join("messy.dsd");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fmt/messy.dsd"),
        &messy,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let m = messy.to_string_lossy().into_owned();
    let (code, diff, _) = run(&["fmt", "--check", &m]);
    assert_eq!(code, 1);
    assert!(
        diff.contains("-  let daily_raw=volume") && diff.contains("+  let daily_raw  = volume"),
        "{diff}"
    );
    let (code, _, _) = run(&["fmt", &m]);
    assert_eq!(code, 0);
    assert_eq!(run(&["fmt", "--check", &m]).0, 0);
    // A file with syntax errors is reported and left as it is.
    let broken = dir.join("broken.dsd");
    std::fs::write(&broken, "design d {\n  node x : \n}\n").unwrap_or_else(|e| panic!("{e}"));
    let b = broken.to_string_lossy().into_owned();
    let (code, _, err) = run(&["fmt", &b]);
    assert_eq!(code, 1);
    assert!(err.contains("syntax errors; it was left as it is"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&broken).unwrap_or_default(),
        "design d {\n  node x : \n}\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `fmt --check` prints a unified diff (`@@ -a,b +c,d @@` hunks with context)
/// that `patch -p0` applies, not a made-up one.
#[test]
fn check_mode_prints_a_unified_diff() {
    let dir = std::env::temp_dir().join(format!("dsd-fmt-udiff-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("f.dsd"), "let   a =   1 MB\nlet b = 2 MB\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dsd"))
        .args(["fmt", "--check", "f.dsd"])
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "--- f.dsd\n+++ f.dsd\n@@ -1,2 +1,2 @@\n-let   a =   1 MB\n+let a = 1 MB\n let b = 2 MB\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn failure_text_is_kept_as_written() {
    // Unquoted text after `cause`, `effect`, `degrade` and `recover` is one
    // token: no space is added around its `:` or `<=`, none taken from inside
    // it, and a `}` in its quotes does not close the block.
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fmt/free_text.dsd"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = dsd::fmt::format(&text).unwrap_or_else(|_| panic!("free_text.dsd parses"));
    insta::assert_snapshot!("free_text", out);
    assert_eq!(dsd::syntax::meaning(&text), dsd::syntax::meaning(&out));
    assert_eq!(dsd::fmt::format(&out).ok().as_deref(), Some(out.as_str()));
}

#[test]
fn a_one_line_schema_puts_two_spaces_between_its_fields() {
    // The gaps fall where the lowering starts a field or a property: before a
    // name followed by a type, and before `size` and `evolution`; `default
    // web` and `cardinality 50 cities` stay with their field, and `registry`
    // after `via` is a value, not a property.
    let text = "schema Order v2 {order_id string   key channel string default web evolution backward}\n\
                schema Order v3 { id string key cardinality 50 cities tags list[string] size raw 400 B, compressed 180 B evolution backward via registry }\n\
                schema Order v4 { a string; b string key c int; evolution backward }\n";
    let out = dsd::fmt::format(text).unwrap_or_else(|_| panic!("the schemas parse"));
    assert_eq!(
        out,
        "schema Order v2 { order_id string key  channel string default web  evolution backward }\n\
         schema Order v3 { id string key cardinality 50 cities  tags list[string]  size raw 400 B, compressed 180 B  evolution backward via registry }\n\
         schema Order v4 { a string;  b string key  c int;  evolution backward }\n"
    );
    assert_eq!(dsd::syntax::meaning(text), dsd::syntax::meaning(&out));
    assert_eq!(dsd::fmt::format(&out).ok().as_deref(), Some(out.as_str()));
}

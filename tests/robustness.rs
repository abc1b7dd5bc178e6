//! Bad input never panics, hangs or overflows the stack: truncation, CRLF, BOM,
//! invalid UTF-8, deep nesting, huge numbers, huge files.

use std::process::Command;

fn examples() -> Vec<(String, String)> {
    let dir = format!("{}/examples", env!("CARGO_MANIFEST_DIR"));
    let mut v: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".dsd"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).unwrap_or_default(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn every_prefix_of_every_example_parses_without_panic() {
    for (name, text) in examples() {
        let mut count = 0;
        for (i, _) in text.char_indices() {
            let prefix = &text[..i];
            let (_, errors) = dsd::syntax::parse(prefix);
            for e in &errors {
                assert!(
                    e.span.end as usize <= prefix.len(),
                    "{name}@{i}: span out of range: {e:?} in {:?}",
                    &prefix[prefix.len().saturating_sub(60)..]
                );
            }
            count += 1;
        }
        assert!(count > 1000, "{name}: only {count} prefixes");
    }
}

#[test]
fn truncated_examples_compile_without_panic() {
    // Full compilation (resolve, graph) on a stride of prefixes.
    for (name, text) in examples() {
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(97).collect();
        for i in cuts {
            let c = dsd::compile(&name, &text[..i], &dsd::NoImports);
            let _ = c.has_errors();
        }
    }
}

#[test]
fn crlf_and_bom_check_clean() {
    for (name, text) in examples() {
        let crlf = text.replace('\n', "\r\n");
        let c = dsd::compile(&name, &crlf, &dsd::NoImports);
        assert!(
            c.diagnostics.is_empty(),
            "{name} with CRLF: {:?}",
            c.diagnostics.first().map(|d| &d.message)
        );
        let bom = format!("\u{feff}{text}");
        let c = dsd::compile(&name, &bom, &dsd::NoImports);
        assert!(
            c.diagnostics.is_empty(),
            "{name} with BOM: {:?}",
            c.diagnostics.first().map(|d| &d.message)
        );
    }
}

#[test]
fn empty_and_blank_files_are_clean() {
    for text in ["", "\n\n", "// only a comment", "   \t  "] {
        let c = dsd::compile("empty.dsd", text, &dsd::NoImports);
        assert!(c.diagnostics.is_empty(), "{text:?}: {:?}", c.diagnostics);
    }
}

#[test]
fn deep_nesting_is_a_diagnostic() {
    for open in ["(", "[", "{"] {
        let text = format!("design d {{\n  let x = {}1\n}}", open.repeat(5000));
        let c = dsd::compile("deep.dsd", &text, &dsd::NoImports);
        assert!(
            c.diagnostics.iter().any(|d| d.code == "nesting-too-deep"),
            "{open}"
        );
    }
}

#[test]
fn long_expressions_do_not_overflow_the_stack() {
    let sum = vec!["1 GB"; 20_000].join(" + ");
    let text = format!("design d {{\n  let x = {sum}\n}}");
    let c = dsd::compile("long.dsd", &text, &dsd::NoImports);
    let _ = c.has_errors();
}

#[test]
fn numbers_too_large_for_their_unit_are_diagnostics() {
    let text = format!(
        "design d {{\n  let x = 1{} PB\n  let y = 1e308 PB\n}}",
        "0".repeat(400)
    );
    let c = dsd::compile("big.dsd", &text, &dsd::NoImports);
    let n = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "invalid-quantity")
        .count();
    assert_eq!(n, 2, "{:?}", c.diagnostics);
}

#[test]
fn a_ten_megabyte_file_is_checked() {
    let line = "  node n_INDEX : object_store { format parquet }\n";
    let mut text = String::from("design big {\n");
    let mut i = 0;
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&line.replace("INDEX", &i.to_string()));
        i += 1;
    }
    text.push_str("}\n");
    let c = dsd::compile("big.dsd", &text, &dsd::NoImports);
    // Only the design rules speak: no requirements, and no node is connected;
    // the first 500 are shown and one counts the rest.
    let front_end = c.diagnostics.iter().find(|d| {
        !matches!(
            d.code,
            "missing-requirement"
                | "uncovered-failure"
                | "unreachable-node"
                | "too-many-diagnostics"
        )
    });
    assert!(front_end.is_none(), "{front_end:?}");
    assert_eq!(c.diagnostics.len(), dsd::MAX_DIAGNOSTICS_PER_FILE + 1);
    let rest = c
        .diagnostics
        .last()
        .map(|d| d.message.clone())
        .unwrap_or_default();
    // One unreachable node and one uncovered failure per node, one missing
    // requirements block.
    let total = 2 * i + 1;
    assert!(
        rest.starts_with(&format!(
            "and {} more diagnostics",
            total - dsd::MAX_DIAGNOSTICS_PER_FILE
        )),
        "{rest} ({i} nodes)"
    );
    assert_eq!(c.designs.first().map(|d| d.design.nodes.len()), Some(i));
}

#[test]
fn invalid_utf8_names_the_file() {
    let dir = std::env::temp_dir().join(format!("dsd-utf8-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("bad.dsd");
    std::fs::write(&path, b"design d {\n  node a : \xff\xfe object_store\n}\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(env!("CARGO_BIN_EXE_dsd"))
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("invalid-encoding") && stdout.contains("bad.dsd"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn output_is_deterministic() {
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_dsd"))
            .args([
                "check",
                "--format",
                "json",
                "tests/fixtures/errors",
                "examples",
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .map(|o| o.stdout)
            .unwrap_or_default()
    };
    let a = run();
    assert!(!a.is_empty());
    assert_eq!(a, run());
}

/// Files are checked in parallel; the output is the same bytes on one thread
/// as on many, in every format, errors and clean designs mixed.
#[test]
fn output_is_the_same_on_one_thread_and_many() {
    let run = |threads: &str, format: &str| {
        Command::new(env!("CARGO_BIN_EXE_dsd"))
            .args([
                "check",
                "--format",
                format,
                "--color",
                "never",
                "tests/fixtures/errors",
                "examples",
                "tests/corpus",
            ])
            .env("RAYON_NUM_THREADS", threads)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .map(|o| (o.status.code(), o.stdout, o.stderr))
            .unwrap_or_default()
    };
    for format in ["human", "json", "sarif", "github", "concise"] {
        let one = run("1", format);
        assert!(!one.1.is_empty() || !one.2.is_empty(), "{format}");
        assert_eq!(one, run("4", format), "{format}");
    }
}

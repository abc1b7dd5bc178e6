//! Every input the fuzzers (fuzz/) ever broke dsd with, replayed through the whole
//! pipeline with the fuzzers' own oracles: no panic, every diagnostic's span inside
//! its file and on character boundaries, formatting idempotent.

use std::path::PathBuf;

fn regressions() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    files
}

#[test]
fn every_fuzz_regression_passes_the_fuzzers_oracles() {
    let files = regressions();
    assert!(!files.is_empty(), "fuzz/regressions is empty");
    for path in files {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        let name = path.display();
        let c = dsd::compile("fuzz.dsd", &text, &dsd::NoImports);
        if let Some(problem) = c.misplaced_span() {
            panic!("{name}: {problem}");
        }
        let _ = dsd::emit::human::render(&c.sources, &c.diagnostics, false);
        if let Ok(once) = dsd::fmt::format(&text) {
            assert_eq!(
                dsd::fmt::format(&once).as_ref(),
                Ok(&once),
                "{name}: fmt not idempotent"
            );
            assert_eq!(
                dsd::syntax::meaning(&text),
                dsd::syntax::meaning(&once),
                "{name}: fmt changed the meaning"
            );
        }
    }
}

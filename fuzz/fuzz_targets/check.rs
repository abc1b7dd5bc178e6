//! The whole pipeline on any text: compile, check, size, draw and print in every
//! format. Nothing may panic, and the output must not depend on the run.
#![no_main]
use dsd::emit;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let c = dsd::compile("fuzz.dsd", text, &dsd::NoImports);
    if let Some(problem) = c.misplaced_span() {
        panic!("{problem}");
    }
    let human = emit::human::render(&c.sources, &c.diagnostics, false);
    let all: Vec<_> = c.diagnostics.iter().map(|d| (&c.sources, d)).collect();
    let json = emit::json::render(&all, None);
    let _ = emit::sarif::render(&all, "");
    let _ = emit::github::render(&all, 1);
    for checked in &c.designs {
        let report = dsd::sizing::size(&checked.design, &c.catalogue, 1.0);
        let _ = emit::report::markdown(&report);
        let _ = emit::report::json(&report);
        let diagram = emit::diagram::build(&checked.design, &c.catalogue, &report, &c.diagnostics);
        let _ = emit::dot::render(&diagram);
        let _ = emit::mermaid::render(&diagram);
        let _ = emit::svg::render(&diagram);
    }
    // Determinism: a second compilation prints the same bytes.
    let again = dsd::compile("fuzz.dsd", text, &dsd::NoImports);
    assert_eq!(
        human,
        emit::human::render(&again.sources, &again.diagnostics, false)
    );
    let all: Vec<_> = again
        .diagnostics
        .iter()
        .map(|d| (&again.sources, d))
        .collect();
    assert_eq!(json, emit::json::render(&all, None));
});

//! A project's settings from a pull request: `dsd.toml` text, then (after a line
//! `---`) `--set NAME=VALUE` lines, and a `--scale` from the first byte, applied
//! to the Razorpay example. Nothing may panic or overflow the stack; every span
//! stays inside its text; include/exclude globs match in bounded time; every
//! `[what-if]` scenario runs or says why not.
#![no_main]
use dsd::emit;
use libfuzzer_sys::fuzz_target;

const DESIGN: &str = include_str!("../../examples/razorpay_payments.dsd");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (toml, rest) = text.split_once("\n---\n").unwrap_or((text, ""));
    let parsed = dsd::config::parse(toml);
    let mut set: Vec<(String, String)> = rest
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(k, v)| !k.is_empty() && !v.is_empty())
        .collect();
    if let Ok(c) = &parsed {
        set.extend(c.stdlib.iter().cloned());
        for g in c.include.iter().chain(&c.exclude) {
            let _ = dsd::project::glob_matches(g, "designs/a/b/c/d/e/f/g/h/i/j/k.dsd");
            let _ = dsd::project::glob_matches(g, text);
        }
    }
    // Scales the CLI accepts: 1/16 to 16.
    let scale = data.first().map_or(1.0, |b| f64::from(*b) / 16.0 + 0.0625);
    let what_if = dsd::WhatIf { set, scale };
    let c = dsd::compile_with("fuzz.dsd", DESIGN, &dsd::NoImports, &what_if);
    if let Some(problem) = c.misplaced_span() {
        panic!("{problem}");
    }
    let _ = emit::human::render(&c.sources, &c.diagnostics, false);
    for d in &c.designs {
        let report = dsd::sizing::size(&d.design, &c.catalogue, scale);
        let _ = emit::report::markdown(&report);
        let _ = emit::report::json(&report);
        let ctx = dsd::flow::Ctx::new(&d.design, &c.catalogue);
        let scenarios = parsed.as_ref().map(|p| p.scenarios.clone()).unwrap_or_default();
        for s in scenarios.iter().filter_map(|t| dsd::whatif::Scenario::parse(t).ok()) {
            let _ = dsd::whatif::run(&ctx, &s);
        }
        for s in dsd::whatif::defaults(&ctx) {
            let _ = dsd::whatif::run(&ctx, &s);
        }
    }
});

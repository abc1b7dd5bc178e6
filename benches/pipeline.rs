//! Each stage of the pipeline on designs of 100 to 100,000 nodes from
//! `bench/gen.py`: parse, resolve, the checker, the whole compile (all three),
//! sizing, DOT and Mermaid, the formatter, and the language server's re-check.
//! Results: bench/RESULTS.md.
//!
//!     cargo bench --bench pipeline
//!
//! Needs python3 for the generator; without it every bench says so and is skipped.

use std::process::Command;
use std::sync::OnceLock;

const SIZES: &[usize] = &[100, 1_000, 10_000, 100_000];

// The allocator the `dsd` binary uses, so the numbers are the binary's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// The generated design of `n` nodes, made once per size.
fn design(n: usize) -> Option<&'static str> {
    static CACHE: OnceLock<Vec<(usize, Option<String>)>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/gen.py");
        SIZES
            .iter()
            .map(|&n| {
                let out = Command::new("python3")
                    .arg(script)
                    .arg(n.to_string())
                    .output();
                let text = match out {
                    Ok(o) if o.status.success() => String::from_utf8(o.stdout).ok(),
                    Ok(o) => {
                        eprintln!(
                            "skipped: bench/gen.py {n} failed: {}",
                            String::from_utf8_lossy(&o.stderr)
                        );
                        None
                    }
                    Err(e) => {
                        eprintln!("skipped: python3 is needed to generate the designs ({e})");
                        None
                    }
                };
                (n, text)
            })
            .collect()
    });
    all.iter()
        .find(|(m, _)| *m == n)
        .and_then(|(_, t)| t.as_deref())
}

fn compiled(n: usize) -> Option<&'static dsd::Compilation> {
    static CACHE: OnceLock<Vec<(usize, Option<dsd::Compilation>)>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        SIZES
            .iter()
            .map(|&n| {
                (
                    n,
                    design(n).map(|t| dsd::compile("gen.dsd", t, &dsd::NoImports)),
                )
            })
            .collect()
    });
    all.iter()
        .find(|(m, _)| *m == n)
        .and_then(|(_, c)| c.as_ref())
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn parse(b: divan::Bencher, n: usize) {
    let Some(text) = design(n) else { return };
    b.bench(|| dsd::syntax::parse(divan::black_box(text)));
}

/// Parse, resolve and check: what `dsd check` does before printing.
#[divan::bench(args = SIZES, sample_count = 10)]
fn compile(b: divan::Bencher, n: usize) {
    let Some(text) = design(n) else { return };
    b.bench(|| dsd::compile("gen.dsd", divan::black_box(text), &dsd::NoImports));
}

/// Name binding, quantities and types: the syntax trees (stdlib and design)
/// in, the resolved design out.
#[divan::bench(args = SIZES, sample_count = 10)]
fn resolve(b: divan::Bencher, n: usize) {
    let Some(text) = design(n) else { return };
    let stdlib: Vec<dsd::ast::File> = dsd::stdlib::FILES
        .iter()
        .map(|(_, t)| dsd::syntax::parse(t).0)
        .collect();
    let (file, _) = dsd::syntax::parse(text);
    let Some(d) = file.items.iter().find_map(|i| match i {
        dsd::ast::Item::Design(d) => Some(d),
        _ => None,
    }) else {
        return;
    };
    b.bench(|| {
        let mut diags = Vec::new();
        let mut r = dsd::resolve::Resolver::new(&mut diags);
        for f in &stdlib {
            r.collect_nouns(f);
        }
        for (k, f) in stdlib.iter().enumerate() {
            r.collect_catalogue(f, dsd::source::FileId(k as u32));
        }
        dsd::resolve::resolve_design(&mut r, d, dsd::source::FileId(99))
    });
}

/// The 27 design rules alone, on a resolved design.
#[divan::bench(args = SIZES, sample_count = 10)]
fn check(b: divan::Bencher, n: usize) {
    let Some(c) = compiled(n) else { return };
    let Some(d) = c.designs.first() else { return };
    b.bench(|| dsd::check::run(&d.design, &c.catalogue));
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn sizing(b: divan::Bencher, n: usize) {
    let Some(c) = compiled(n) else { return };
    let Some(d) = c.designs.first() else { return };
    b.bench(|| dsd::sizing::size(&d.design, &c.catalogue, 1.0));
}

fn diagram(n: usize) -> Option<dsd::emit::diagram::Diagram> {
    let c = compiled(n)?;
    let d = c.designs.first()?;
    let report = dsd::sizing::size(&d.design, &c.catalogue, 1.0);
    Some(dsd::emit::diagram::build(
        &d.design,
        &c.catalogue,
        &report,
        &c.diagnostics,
    ))
}

/// DOT of every node (no overview), from a built diagram.
#[divan::bench(args = SIZES, sample_count = 10)]
fn dot(b: divan::Bencher, n: usize) {
    let Some(d) = diagram(n) else { return };
    b.bench(|| dsd::emit::dot::render(&d));
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn mermaid(b: divan::Bencher, n: usize) {
    let Some(d) = diagram(n) else { return };
    b.bench(|| dsd::emit::mermaid::render(&d));
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn fmt(b: divan::Bencher, n: usize) {
    let Some(text) = design(n) else { return };
    b.bench(|| dsd::fmt::format(divan::black_box(text)));
}

/// What the language server does after a one-character edit: the whole document
/// compiled again (the diagnostics it publishes come from this).
#[divan::bench(args = [1_000, 10_000], sample_count = 10)]
fn lsp_recheck(b: divan::Bencher, n: usize) {
    let Some(text) = design(n) else { return };
    let edited = text.replacen("threads 64", "threads 65", 1);
    b.bench(|| dsd::lsp::compile_doc("untitled:bench.dsd", divan::black_box(edited.clone())));
}

/// The language server's workspace (issue 20): 50 files of 200 nodes, each
/// importing one shared file, indexed from disk; one character of the shared
/// file's schema changes in the editor (its raw size, 300 B ↔ 301 B), and the
/// diagnostics of every file that may have changed are made. When no importer
/// names the schema, only the shared file is compiled again (the importers are
/// deferred until a request reads them). Target: under 50 ms.
#[divan::bench(sample_count = 10)]
fn lsp_workspace_edit(b: divan::Bencher) {
    workspace_edit(b, false);
}

/// The same edit when every importer uses the schema (a `let` reads its
/// size): all 50 are compiled again, on every core.
#[divan::bench(sample_count = 10)]
fn lsp_workspace_edit_used(b: divan::Bencher) {
    workspace_edit(b, true);
}

fn workspace_edit(b: divan::Bencher, used: bool) {
    let Some(text) = generated(200) else {
        return;
    };
    let text = if used {
        text.replacen(
            "{\n",
            "{\n  let shared_daily = volume * Shared.size.raw as GB/day\n",
            1,
        )
    } else {
        text
    };
    let dir = std::env::temp_dir().join(format!("dsd-bench-ws-{used}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let shared = "schema Shared v1 {\n  id           string     key cardinality 100M\n  occurred_at  timestamp  event_time\n  size         raw 300 B, compressed 120 B\n}\n";
    let _ = std::fs::write(dir.join("shared.dsd"), shared);
    for i in 0..50 {
        let _ = std::fs::write(
            dir.join(format!("d{i:02}.dsd")),
            format!("import \"shared.dsd\"\n{text}"),
        );
    }
    let mut ws = dsd::lsp::workspace::Workspace::default();
    let (indexed, _) = ws.index(vec![dir.clone()]);
    assert_eq!(indexed.len(), 51);
    let uri = dsd::lsp::workspace::path_key(&dir.join("shared.dsd"));
    let texts = [shared.replacen("300 B", "301 B", 1), shared.to_string()];
    let mut turn = 1;
    b.bench_local(|| {
        turn = 1 - turn;
        let before = ws.compiles;
        let again = ws.set_text(&uri, texts[turn].clone());
        assert_eq!(ws.compiles - before, if used { 51 } else { 1 });
        again
            .iter()
            .filter_map(|k| ws.diagnostics(k))
            .map(|p| p.diagnostics.len())
            .sum::<usize>()
    });
    let _ = std::fs::remove_dir_all(&dir);
}

/// `bench/gen.py N` for a size not in `SIZES`.
fn generated(n: usize) -> Option<String> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/gen.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(n.to_string())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8(out.stdout).ok())
        .flatten()
}

//! Property tests over generated designs and quantities: what must hold for any
//! design a user could write, not only for the fixtures.

use dsd::units::{Nouns, Quantity, parse_unit};
use proptest::prelude::*;

// ── quantities ───────────────────────────────────────────────────────────────

const UNITS: &[&str] = &[
    "",
    "B",
    "KB",
    "MB",
    "GB",
    "TB",
    "ms",
    "s",
    "min",
    "h",
    "day",
    "B/s",
    "MB/s",
    "GB/day",
    "orders",
    "orders/s",
    "orders/day",
    "$",
    "$/month",
    "$/GB/month",
    "%",
];

fn quantity() -> impl Strategy<Value = (f64, f64, &'static str)> {
    let magnitude = prop_oneof![0.0..1.0f64, 1.0..1e6f64, 1e6..1e15f64];
    (magnitude.clone(), magnitude, prop::sample::select(UNITS))
        .prop_map(|(a, b, u)| (a.min(b), a.max(b), u))
}

fn make(lo: f64, hi: f64, unit: &str) -> Option<Quantity> {
    let mut nouns = Nouns::default();
    nouns.declare("orders");
    let u = parse_unit(unit, &nouns).ok()?;
    Quantity::new(lo, hi, &u).ok()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-300)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// + and * commute exactly; a + b - b and a * b / b give a back; every result
    /// is an ordered, finite interval with a display.
    #[test]
    fn quantity_arithmetic_holds((alo, ahi, au) in quantity(), (blo, bhi, bu) in quantity()) {
        let (Some(a), Some(b)) = (make(alo, ahi, au), make(blo, bhi, bu)) else {
            return Ok(());
        };
        if let (Ok(x), Ok(y)) = (a.add(&b), b.add(&a)) {
            prop_assert_eq!((x.lo, x.hi), (y.lo, y.hi));
            prop_assert!(x.lo <= x.hi && x.lo.is_finite() && x.hi.is_finite());
            if !a.is_range() && !b.is_range() {
                let back = x.sub(&b).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert!(close(back.lo, a.lo), "{} + {} - {}", a.display(), b.display(), b.display());
            }
        } else {
            // Addition fails only across dimensions.
            prop_assert!(!a.same_dimension(&b));
        }
        if let (Ok(x), Ok(y)) = (a.mul(&b), b.mul(&a)) {
            prop_assert_eq!((x.lo, x.hi), (y.lo, y.hi));
            prop_assert!(x.lo <= x.hi);
            if !a.is_range()
                && !b.is_range()
                && b.lo != 0.0
                && let Ok(back) = x.div(&b)
            {
                prop_assert!(close(back.lo, a.lo), "{} * {} / {}", a.display(), b.display(), b.display());
                prop_assert!(back.same_dimension(&a));
            }
        }
        prop_assert!(!a.display().is_empty());
    }

    /// A rate per second and the same rate per day are the same quantity.
    #[test]
    fn per_second_and_per_day_agree(v in 0.0..1e9f64) {
        let (Some(s), Some(d)) = (make(v, v, "MB/s"), make(v * 86_400.0, v * 86_400.0, "MB/day")) else {
            return Err(TestCaseError::fail("MB/s and MB/day must parse"));
        };
        prop_assert!(s.same_dimension(&d));
        prop_assert!(close(s.lo, d.lo));
    }
}

// ── designs ──────────────────────────────────────────────────────────────────

const ROLES: &[(&str, &str)] = &[
    ("service", ""),
    (
        "stream_broker",
        "{ partitions 6  replication 3  retain 7 days }",
    ),
    ("stream_processor", "{ per_event 2 ms  threads 4 }"),
    ("object_store", "{ retain 90 days }"),
    ("warehouse", ""),
    ("kv_store", ""),
    ("dashboard", ""),
];

#[derive(Debug, Clone)]
struct Shape {
    roles: Vec<usize>,
    /// (from, to) with from < to.
    flows: Vec<(usize, usize)>,
    failures: Vec<bool>,
    layers: usize,
    volume: u32,
}

fn shape() -> impl Strategy<Value = Shape> {
    (2usize..24).prop_flat_map(|n| {
        (
            prop::collection::vec(0..ROLES.len(), n),
            prop::collection::vec((0..n, 0..n), 0..2 * n),
            prop::collection::vec(any::<bool>(), n),
            1usize..4,
            1u32..1_000_000,
        )
            .prop_map(|(roles, pairs, failures, layers, volume)| Shape {
                flows: pairs
                    .into_iter()
                    .filter(|(a, b)| a < b)
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect(),
                roles,
                failures,
                layers,
                volume,
            })
    })
}

fn write(s: &Shape) -> String {
    let mut out = String::from("design generated \"A generated design\" {\n");
    out.push_str(&format!(
        "  requirements {{\n    volume    {} events/day\n    peak      3x\n    delivery  at_least_once\n  }}\n",
        s.volume
    ));
    out.push_str(
        "  schema Event v1 {\n    id  string  key\n    size raw 200 B, compressed 80 B\n  }\n",
    );
    for (i, &r) in s.roles.iter().enumerate() {
        let (role, block) = ROLES.get(r).copied().unwrap_or(("service", ""));
        let kw = if i == 0 { "source" } else { "node" };
        let block = if i == 0 { "{ emits Event v1 }" } else { block };
        out.push_str(format!("  {kw} n{i} : {role} {block}").trim_end());
        out.push('\n');
    }
    for &(a, b) in &s.flows {
        out.push_str(&format!("  flow n{a} -> n{b} stream\n"));
    }
    let per = s.roles.len().div_ceil(s.layers);
    for (k, chunk) in (0..s.roles.len())
        .collect::<Vec<_>>()
        .chunks(per.max(1))
        .enumerate()
    {
        let members: Vec<String> = chunk.iter().map(|i| format!("n{i}")).collect();
        out.push_str(&format!("  layer l{k} {{ {} }}\n", members.join(", ")));
    }
    for (i, f) in s.failures.iter().enumerate() {
        if *f {
            out.push_str(&format!(
                "  failure n{i} {{ detect errors > 0;  recover restart within 5 min }}\n"
            ));
        }
    }
    out.push_str("}\n");
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Any design written with the language's own constructs reads without a
    /// front-end error, its findings point inside the file, compiling twice
    /// gives the same diagnostics, and formatting keeps its meaning and settles.
    #[test]
    fn generated_designs_compile_and_format(s in shape()) {
        let text = write(&s);
        let c = dsd::compile("gen.dsd", &text, &dsd::NoImports);
        for d in &c.diagnostics {
            prop_assert!(!dsd::rules::is_front_end(d.code) || !d.is_error(),
                "{}: {}\n{text}", d.code, d.message);
        }
        prop_assert_eq!(c.misplaced_span(), None);
        prop_assert_eq!(c.designs.len(), 1);
        let again = dsd::compile("gen.dsd", &text, &dsd::NoImports);
        prop_assert_eq!(&c.diagnostics, &again.diagnostics);
        let once = dsd::fmt::format(&text).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(dsd::fmt::format(&once).ok(), Some(once.clone()));
        prop_assert_eq!(dsd::syntax::meaning(&text), dsd::syntax::meaning(&once));
    }
}

// ── free text and one-line schemas (issue 21) ───────────────────────────────

/// Pieces of a failure block's free text: words, punctuation, the characters
/// the formatter would otherwise space out, quotes, brackets, `within`.
const TEXT_PIECES: &[&str] = &[
    "disk",
    "broker's",
    "-",
    "fills",
    ":",
    "a=b",
    "<=",
    ">",
    "!",
    "->",
    "x,",
    "(by hand)",
    "[p1]",
    "\"a; }\"",
    "within",
    "5",
    "min",
    "within 5 min",
    "dlq",
    "\t",
    "  ",
    "'",
    "%",
    "(",
    ")",
    "{",
    "}",
    ";",
    "\"",
    "detect",
    "recover",
    "//",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TEXT_PIECES), 0..8).prop_map(|p| p.join(" "))
}

/// A failure block holding `key text` lines, on their own or on one line.
fn failure_block() -> impl Strategy<Value = String> {
    let key = prop::sample::select(&["cause", "effect", "degrade", "recover", "detect"][..]);
    (
        prop::collection::vec((key, text()), 1..4),
        any::<bool>(),
        prop::sample::select(&[";", ";", "; ", "\n    "][..]),
    )
        .prop_map(|(lines, one_line, sep)| {
            let body: Vec<String> = lines.iter().map(|(k, t)| format!("{k} {t}")).collect();
            if one_line {
                format!("  failure a {{ {} }}\n", body.join(sep))
            } else {
                format!("  failure a {{\n    {}\n  }}\n", body.join("\n    "))
            }
        })
}

/// A one-line schema: fields with modifiers and properties, in any order.
fn one_line_schema() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(
        &[
            "order_id string",
            "channel string",
            "tags list[string]",
            "total decimal",
            "key",
            "pii",
            "default web",
            "default 0",
            "cardinality 50",
            "cities",
            "nullable",
            "evolution backward",
            "via registry",
            "size raw 400 B",
            ";",
            "kye",
        ][..],
    );
    prop::collection::vec(piece, 1..8)
        .prop_map(|p| format!("schema Order v2 {{ {} }}\n", p.join("  ")))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever the text says, a file the grammar reads is formatted without a
    /// change of meaning, and formatting settles; a file it cannot read is
    /// refused whole, never half-formatted.
    #[test]
    fn failure_text_and_schema_lines_format_without_changing_meaning(
        failure in failure_block(),
        schema in one_line_schema(),
    ) {
        let text = format!("{schema}design d {{\n  source a : service\n{failure}}}\n");
        let (_, errors) = dsd::syntax::parse(&text);
        match dsd::fmt::format(&text) {
            Ok(once) => {
                prop_assert!(dsd::syntax::grammar_accepts(&text), "{text}");
                prop_assert_eq!(dsd::fmt::format(&once).ok(), Some(once.clone()), "{}", text);
                prop_assert_eq!(dsd::syntax::meaning(&text), dsd::syntax::meaning(&once), "{}", text);
                // Read in pieces or whole: the same tree.
                let pieces = dsd::syntax::parse_in_smallest_pieces(&text);
                prop_assert_eq!(format!("{:?}", pieces.0), format!("{:?}", dsd::syntax::parse(&text).0));
            }
            Err(_) => prop_assert!(!errors.is_empty(), "{text}"),
        }
    }
}

//! The JSON that `check`, `report` and `diff` write, from the real binary on the
//! examples, against the schemas shipped in `schemas/`: every field an output
//! has is declared, every required field is there, each with its JSON type; and
//! every field a schema declares turns up in at least one output, so no part of
//! a schema goes untested. (`tests/docs.rs` checks that the shipped schemas are
//! what the structs derive.)
//!
//! No validator crate is in the tree, so `Validator` reads the part of JSON
//! Schema 2020-12 that schemars writes (`type`, `properties`, `required`,
//! `additionalProperties`, `items`, `prefixItems`, `$ref`/`$defs`, `anyOf`,
//! `oneOf`, `allOf`, `enum`, `const`, bounds) and refuses any keyword it does not
//! know, so a schema can never pass by being misread. It is stricter than the
//! standard in one way: an object's fields must all be declared in its
//! `properties` even where `additionalProperties` is absent.

mod common;
use common::{run, run_in, temp_dir, write};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// Keywords that only describe; they constrain nothing.
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "$defs",
    "title",
    "description",
    "format",
    "default",
    "examples",
];

/// Keywords `Validator::check` applies.
const APPLIED: &[&str] = &[
    "$ref",
    "type",
    "enum",
    "const",
    "anyOf",
    "oneOf",
    "allOf",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "prefixItems",
    "minItems",
    "maxItems",
    "minimum",
    "maximum",
];

/// A schema document and what of it the values checked so far have used.
struct Validator {
    root: Value,
    /// `Def.field` (`(root).field` for the top level) for every field seen in a
    /// value that matched its schema.
    seen: BTreeSet<String>,
}

impl Validator {
    fn new(text: &str) -> Validator {
        Validator {
            root: serde_json::from_str(text).unwrap_or_else(|e| panic!("schema: {e}")),
            seen: BTreeSet::new(),
        }
    }

    /// Every problem of `v` against the whole schema, each with its JSON path.
    fn errors(&mut self, v: &Value) -> Vec<String> {
        let mut errs = Vec::new();
        let mut seen = BTreeSet::new();
        let root = self.root.clone();
        check(&root, &root, "(root)", v, "$", &mut errs, &mut seen);
        if errs.is_empty() {
            self.seen.extend(seen);
        }
        errs
    }

    /// `Def.field` for every field the schema declares.
    fn declared(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut add = |def: &str, s: &Value| {
            for k in s["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|m| m.0)
            {
                out.insert(format!("{def}.{k}"));
            }
        };
        add("(root)", &self.root);
        for (name, s) in self.root["$defs"].as_object().into_iter().flatten() {
            add(name, s);
        }
        out
    }
}

/// A value as an error shows it: at most 80 characters of its JSON.
fn short(v: &Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

fn type_ok(t: &str, v: &Value) -> Option<bool> {
    Some(match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "string" => v.is_string(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64(),
        _ => return None,
    })
}

/// Checks `v` (at JSON path `at`) against `schema`, a part of `root` that
/// belongs to the definition `def`; adds each problem to `errs` and each field
/// it declares and meets to `seen`.
fn check(
    root: &Value,
    schema: &Value,
    def: &str,
    v: &Value,
    at: &str,
    errs: &mut Vec<String>,
    seen: &mut BTreeSet<String>,
) {
    let s = match schema {
        Value::Bool(true) => return,
        Value::Bool(false) => return errs.push(format!("{at}: nothing is allowed here")),
        Value::Object(s) => s,
        _ => return errs.push(format!("{at}: a schema that is not an object: {schema}")),
    };
    for k in s.keys() {
        if !ANNOTATIONS.contains(&k.as_str()) && !APPLIED.contains(&k.as_str()) {
            errs.push(format!("{at}: the checker does not know the keyword `{k}`"));
        }
    }
    if let Some(r) = s.get("$ref") {
        let target = r
            .as_str()
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| root.pointer(p).map(|t| (p, t)));
        match target {
            Some((p, t)) => {
                let name = p.rsplit('/').next().unwrap_or(def);
                check(root, t, name, v, at, errs, seen);
            }
            None => errs.push(format!("{at}: `$ref` {r} does not resolve")),
        }
    }
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let mut any = false;
        for t in &types {
            match type_ok(t, v) {
                Some(ok) => any |= ok,
                None => errs.push(format!("{at}: unknown type `{t}`")),
            }
        }
        if !any {
            return errs.push(format!("{at}: {} is not of type {t}", short(v)));
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        errs.push(format!(
            "{at}: {} is none of {}",
            short(v),
            Value::Array(e.clone())
        ));
    }
    if let Some(c) = s.get("const")
        && c != v
    {
        errs.push(format!("{at}: {} is not {c}", short(v)));
    }
    // Each branch on its own: (its problems, the fields it met).
    let branches = |key: &str| -> Vec<(Vec<String>, BTreeSet<String>)> {
        s.get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|b| {
                let (mut e, mut f) = (Vec::new(), BTreeSet::new());
                check(root, b, def, v, at, &mut e, &mut f);
                (e, f)
            })
            .collect()
    };
    for (key, want_one) in [("anyOf", false), ("oneOf", true)] {
        let results = branches(key);
        if results.is_empty() {
            continue;
        }
        let passed: Vec<_> = results.iter().filter(|r| r.0.is_empty()).collect();
        match passed.first() {
            None => {
                errs.push(format!("{at}: {} matches no branch of `{key}`:", short(v)));
                for (i, r) in results.iter().enumerate() {
                    errs.extend(r.0.iter().map(|e| format!("  branch {}: {e}", i + 1)));
                }
            }
            Some(_) if want_one && passed.len() > 1 => errs.push(format!(
                "{at}: {} matches {} branches of `oneOf`",
                short(v),
                passed.len()
            )),
            Some(first) => seen.extend(first.1.iter().cloned()),
        }
    }
    for (e, f) in branches("allOf") {
        errs.extend(e);
        seen.extend(f);
    }
    if let Value::Object(obj) = v {
        let props = s.get("properties").and_then(Value::as_object);
        for req in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(name) = req.as_str()
                && !obj.contains_key(name)
            {
                errs.push(format!("{at}: the required field `{name}` is missing"));
            }
        }
        let extra = s.get("additionalProperties");
        for (k, x) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(p) => {
                    seen.insert(format!("{def}.{k}"));
                    check(root, p, def, x, &format!("{at}.{k}"), errs, seen);
                }
                // Strict: a field the object's `properties` do not declare is an
                // error, whatever `additionalProperties` says (schemars writes
                // `false` for every struct here).
                None if props.is_some() || extra == Some(&Value::Bool(false)) => {
                    errs.push(format!("{at}: the field `{k}` is not declared"))
                }
                None => {
                    if let Some(e) = extra {
                        check(root, e, def, x, &format!("{at}.{k}"), errs, seen);
                    }
                }
            }
        }
    }
    if let Value::Array(items) = v {
        let prefix = s.get("prefixItems").and_then(Value::as_array);
        for (i, x) in items.iter().enumerate() {
            let here = format!("{at}[{i}]");
            match prefix.and_then(|p| p.get(i)) {
                Some(p) => check(root, p, def, x, &here, errs, seen),
                None => {
                    if let Some(each) = s.get("items") {
                        check(root, each, def, x, &here, errs, seen);
                    }
                }
            }
        }
        let n = items.len() as u64;
        if s.get("minItems")
            .and_then(Value::as_u64)
            .is_some_and(|m| n < m)
        {
            errs.push(format!("{at}: {n} items, fewer than minItems"));
        }
        if s.get("maxItems")
            .and_then(Value::as_u64)
            .is_some_and(|m| n > m)
        {
            errs.push(format!("{at}: {n} items, more than maxItems"));
        }
    }
    if let Some(x) = v.as_f64() {
        if s.get("minimum")
            .and_then(Value::as_f64)
            .is_some_and(|m| x < m)
        {
            errs.push(format!("{at}: {x} is below the minimum {}", s["minimum"]));
        }
        if s.get("maximum")
            .and_then(Value::as_f64)
            .is_some_and(|m| x > m)
        {
            errs.push(format!("{at}: {x} is above the maximum {}", s["maximum"]));
        }
    }
}

fn schema(name: &str) -> Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schemas")
        .join(format!("{name}.schema.json"));
    Validator::new(
        &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
}

/// Checks one output against `v`, failing with every problem it has.
fn valid(v: &mut Validator, what: &str, out: &str) {
    let json: Value =
        serde_json::from_str(out).unwrap_or_else(|e| panic!("{what}: not JSON: {e}\n{out}"));
    let errs = v.errors(&json);
    assert!(
        errs.is_empty(),
        "{what} does not match its schema:\n{}",
        errs.join("\n")
    );
}

/// Every field the schema declares met in some output checked against it.
fn all_fields_met(v: &Validator, name: &str) {
    let unmet: Vec<String> = v.declared().difference(&v.seen).cloned().collect();
    assert!(
        unmet.is_empty(),
        "no output checked against {name}.schema.json has {unmet:?}: add a case that does"
    );
}

fn example(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(name),
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn check_json_matches_its_schema() {
    let mut v = schema("check");
    for args in [
        vec!["check", "--format", "json", "examples"],
        vec!["check", "--format", "json", "--coverage", "examples"],
        // Errors, with related places: every fixture of a front-end error.
        vec!["check", "--format", "json", "tests/fixtures/errors"],
        // Every design rule, with coverage of designs that lack steps.
        vec!["check", "--format", "json", "--coverage", "tests/rules"],
    ] {
        let (code, out, err) = run(&args);
        assert!(code == 0 || code == 1, "{args:?}: exit {code}: {err}");
        valid(&mut v, &args.join(" "), &out);
    }
    all_fields_met(&v, "check");
}

#[test]
fn report_json_matches_its_schema() {
    let mut v = schema("report");
    for name in common::dsd_names("examples") {
        let file = format!("examples/{name}");
        let (code, out, err) = run(&["report", "--format", "json", &file]);
        assert_eq!(code, 0, "{file}: {err}");
        valid(&mut v, &file, &out);
        let (_, scaled, _) = run(&["report", "--format", "json", "--scale", "3", &file]);
        valid(&mut v, &format!("{file} --scale 3"), &scaled);
    }
    let dir = temp_dir("schema-report");
    // A check that overflows: `needed` is null and `error` says why.
    let big = dir.join("big.dsd");
    write(
        &big,
        &example("razorpay_payments.dsd").replace("per_event 3.5 ms", "per_event 1e308 ms"),
    );
    let (_, out, _) = run(&["report", "--format", "json", &big.to_string_lossy()]);
    assert!(out.contains("\"needed\": null"), "{out}");
    valid(&mut v, "an overflowing check", &out);
    // Two designs in one file: an array of reports.
    let two = dir.join("two.dsd");
    write(
        &two,
        "design one \"One\" {\n  node a : service\n}\n\ndesign two \"Two\" {\n  node b : service\n}\n",
    );
    let (_, out, err) = run(&["report", "--format", "json", &two.to_string_lossy()]);
    assert!(out.starts_with('['), "{err}\n{out}");
    valid(&mut v, "two designs", &out);
    // `dsd build --emit json` writes the same document.
    let built = dir.join("built");
    let (code, _, err) = run(&[
        "build",
        "examples/meesho_warehouse.dsd",
        "-o",
        &built.to_string_lossy(),
        "--emit",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(built.join("meesho_warehouse.json")).unwrap_or_default();
    valid(&mut v, "build --emit json", &text);
    let _ = std::fs::remove_dir_all(&dir);
    all_fields_met(&v, "report");
}

#[test]
fn diff_json_matches_its_schema() {
    let mut v = schema("diff");
    let dir = temp_dir("schema-diff");
    // base/ and head/: one design changed the way a pull request might (a
    // new stream processor, more load: findings, moved figures, a figure no
    // longer computed), one removed, one added, the rest unchanged.
    let changed = example("razorpay_payments.dsd")
        .replace("peak        2000 payments/s", "peak        4000 payments/s")
        .replace("volume      5M payments/day", "volume      8M payments/day")
        .replace(
            "  node registry       : schema_registry\n",
            "  node registry       : schema_registry\n  node enricher       : stream_processor { per_event 1 ms  threads 1 }\n  flow payments -> enricher stream\n",
        );
    assert!(changed.contains("enricher"));
    for name in common::dsd_names("examples") {
        let text = example(&name);
        if name != "swiggy_ops_dashboard.dsd" {
            write(&dir.join("base").join(&name), &text);
        }
        if name != "meesho_warehouse.dsd" {
            let head = if name == "razorpay_payments.dsd" {
                &changed
            } else {
                &text
            };
            write(&dir.join("head").join(&name), head);
        }
    }
    for (from, to) in [("base", "head"), ("head", "base"), ("base", "base")] {
        let (code, out, err) = run_in(&dir, &["diff", "--format", "json", from, to]);
        assert!(code == 0 || code == 1, "{from} {to}: exit {code}: {err}");
        for status in ["\"changed\"", "\"added\"", "\"removed\""] {
            assert!(
                from == to || out.contains(status),
                "{from} {to}: no {status}"
            );
        }
        valid(&mut v, &format!("diff {from} {to}"), &out);
    }
    let _ = std::fs::remove_dir_all(&dir);
    all_fields_met(&v, "diff");
}

#[test]
fn what_if_json_matches_its_schema() {
    let mut v = schema("what-if");
    // Every example with its default scenarios (one outage per failure block),
    // and each kind of scenario on designs written for the what-if tests.
    for name in common::dsd_names("examples") {
        let file = format!("examples/{name}");
        let (code, out, err) = run(&["what-if", "--format", "json", &file]);
        assert!(code == 0 || code == 1, "{file}: exit {code}: {err}");
        valid(&mut v, &file, &out);
    }
    for args in [
        vec![
            "tests/whatif/trips.dsd",
            "down scorer for 1 h at peak",
            "down scorer for 8 days at average",
            "lose trips 2",
            "replay trips 7 days at 5000/s",
        ],
        vec!["tests/whatif/merges.dsd", "down counters for 10 min"],
        vec![
            "tests/corpus/clean/food-delivery-eta-features.dsd",
            "down online_store for 30 s",
            "down batch_features for 30 h",
        ],
    ] {
        let mut a = vec!["what-if", "--format", "json"];
        a.extend(args.iter().copied());
        let (code, out, err) = run(&a);
        assert!(code == 0 || code == 1, "{args:?}: exit {code}: {err}");
        valid(&mut v, &args.join(" "), &out);
    }
    all_fields_met(&v, "what-if");
}

#[test]
fn compare_json_matches_its_schema() {
    let mut v = schema("compare");
    for alt in ["payments=kinesis", "fraud=spark", "payments=msk"] {
        let (code, out, err) = run(&[
            "compare",
            "--format",
            "json",
            "examples/razorpay_payments.dsd",
            "--alt",
            alt,
        ]);
        assert!(code == 0 || code == 1, "{alt}: exit {code}: {err}");
        valid(&mut v, alt, &out);
    }
    all_fields_met(&v, "compare");
}

/// A change that breaks a valid output.
type Breaks = fn(&mut Value);

/// The checker fails outputs that break their schema: a missing required field,
/// an undeclared one, a wrong type, a number out of bounds, a value outside an
/// enum, null where a field is optional but never null, a broken report inside
/// `anyOf`; and a schema with a keyword it does not know.
#[test]
fn the_checker_can_fail() {
    let (_, out, _) = run(&["check", "--format", "json", "tests/fixtures/errors"]);
    let good: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    assert!(good["diagnostics"][0].is_object(), "{out}");
    assert_eq!(schema("check").errors(&good), Vec::<String>::new());
    let cases: [(&str, Breaks); 8] = [
        ("the required field `line` is missing", |d| {
            if let Some(o) = d["diagnostics"][0].as_object_mut() {
                o.remove("line");
            }
        }),
        ("the field `extra` is not declared", |d| {
            d["diagnostics"][0]["extra"] = Value::Bool(true)
        }),
        ("is not of type", |d| {
            d["diagnostics"][0]["line"] = "3".into()
        }),
        ("is not of type", |d| {
            d["diagnostics"][0]["line"] = 3.5.into()
        }),
        ("below the minimum", |d| {
            d["diagnostics"][0]["line"] = 0.into()
        }),
        ("matches no branch of `oneOf`", |d| {
            d["diagnostics"][0]["severity"] = "fatal".into()
        }),
        ("null is not of type", |d| d["coverage"] = Value::Null),
        ("the field `x` is not declared", |d| {
            d["diagnostics"][0]["related"] = serde_json::json!([{ "x": 1 }])
        }),
    ];
    for (want, break_it) in cases {
        let mut bad = good.clone();
        break_it(&mut bad);
        let errs = schema("check").errors(&bad);
        assert!(
            errs.iter().any(|e| e.contains(want)),
            "expected `{want}`, got {errs:?}"
        );
    }
    let (_, out, _) = run(&[
        "report",
        "--format",
        "json",
        "examples/razorpay_payments.dsd",
    ]);
    let mut report: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(schema("report").errors(&report), Vec::<String>::new());
    if let Some(f) = report["figures"][3].as_object_mut() {
        f.remove("value");
    }
    let errs = schema("report").errors(&report);
    assert!(
        errs.iter()
            .any(|e| e.contains("$.figures[3]: the required field `value` is missing")),
        "{errs:?}"
    );
    let mut odd = Validator::new(r#"{"type": "object", "patternProperties": {}}"#);
    let errs = odd.errors(&serde_json::json!({}));
    assert!(
        errs.iter()
            .any(|e| e.contains("does not know the keyword `patternProperties`")),
        "{errs:?}"
    );
}

//! The JSON Schemas of dsd's JSON outputs, derived by schemars from the structs
//! that serde writes them with (`emit::json`, `emit::report`, `emit::diff`,
//! `emit::whatif`, `compare`), so
//! a schema cannot say other than what the output does. `schemas/*.schema.json`
//! ship these texts; `tests/docs.rs` fails when a shipped one is stale.

use schemars::{JsonSchema, generate::SchemaSettings};
use serde_json::{Map, Value};

/// Where the shipped schemas live in the repository, as fetchable raw files:
/// each schema's `$id` is this plus its file name.
fn base() -> String {
    let repo = env!("CARGO_PKG_REPOSITORY");
    match repo.strip_prefix("https://github.com/") {
        Some(path) => format!("https://raw.githubusercontent.com/{path}/main/schemas/"),
        None => format!("{repo}/schemas/"),
    }
}

/// The schema of `T`'s serialized form (JSON Schema 2020-12, with the fields
/// serde always writes as `required`), under `$id` `BASE/{file}` and `title`,
/// pretty-printed with a trailing newline.
fn render<T: JsonSchema>(file: &str, title: &str) -> String {
    let schema = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<T>();
    // `$schema`, `$id` and `title` first, then what schemars wrote.
    let mut doc = Map::new();
    let mut rest = match schema.to_value() {
        Value::Object(m) => m,
        other => {
            let mut m = Map::new();
            m.insert("allOf".into(), Value::Array(vec![other]));
            m
        }
    };
    if let Some(s) = rest.remove("$schema") {
        doc.insert("$schema".into(), s);
    }
    doc.insert("$id".into(), Value::String(format!("{}{file}", base())));
    rest.remove("title");
    doc.insert("title".into(), Value::String(title.into()));
    doc.extend(rest);
    let mut doc = Value::Object(doc);
    unwrap_descriptions(&mut doc);
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// Doc comments are wrapped at 100 columns; a description is one line per
/// paragraph, as a reader's tool would reflow it anyway.
fn unwrap_descriptions(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                match x {
                    Value::String(s) if k == "description" => {
                        *s = s
                            .split("\n\n")
                            .map(|p| p.split('\n').map(str::trim).collect::<Vec<_>>().join(" "))
                            .collect::<Vec<_>>()
                            .join("\n\n");
                    }
                    _ => unwrap_descriptions(x),
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(unwrap_descriptions),
        _ => {}
    }
}

/// The schema of `dsd check --format json` (with or without `--coverage`):
/// the text of `schemas/check.schema.json`.
pub fn check() -> String {
    render::<super::json::CheckOutput>("check.schema.json", "dsd check --format json")
}

/// The schema of `dsd report --format json` (and of `dsd build --emit json`'s
/// files): the text of `schemas/report.schema.json`.
pub fn report() -> String {
    render::<super::report::ReportOutput>("report.schema.json", "dsd report --format json")
}

/// The schema of `dsd diff --format json`: the text of
/// `schemas/diff.schema.json`.
pub fn diff() -> String {
    render::<super::diff::JsonDiff>("diff.schema.json", "dsd diff --format json")
}

/// The schema of `dsd what-if --format json`: the text of
/// `schemas/what-if.schema.json`.
pub fn what_if() -> String {
    render::<super::whatif::JsonWhatIf>("what-if.schema.json", "dsd what-if --format json")
}

/// The schema of `dsd compare --format json`: the text of
/// `schemas/compare.schema.json`.
pub fn compare() -> String {
    render::<crate::compare::JsonCompare>("compare.schema.json", "dsd compare --format json")
}

/// Every shipped schema: (file name under `schemas/`, its text).
pub fn all() -> [(&'static str, String); 5] {
    [
        ("check.schema.json", check()),
        ("report.schema.json", report()),
        ("diff.schema.json", diff()),
        ("what-if.schema.json", what_if()),
        ("compare.schema.json", compare()),
    ]
}

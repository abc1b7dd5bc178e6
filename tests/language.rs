//! The language says what it means (issue 21): count nouns pluralise by English
//! rules, failure blocks take free text, a schema fits on one line, and a
//! rounded-up rate × time is a count of workers, not of records.

mod common;
use common::{codes, run, temp_dir, write};

/// A small clean design (tests/rules/missing-dlq/pass.dsd) whose records are
/// counted in `noun` (declared by `declare`, written `plural` in rates).
fn design(declare: &str, schema: &str, plural: &str) -> String {
    format!(
        r#"design plays_pipeline "Plays into a lake" {{
  requirements {{
    volume     5M {plural}/day
    peak       10x
    latency    enrichment <= 1 s
    delivery   at_least_once
    retention  landing >= 30 days
    team       6
  }}

  {declare}

  schema {schema} v1 {{
    play_id      string     key
    customer_id  string     cardinality 10M
    played_at    timestamp  event_time
    size raw 350 B, compressed 200 B
    evolution backward via registry
  }}

  let peak_rate  = peak as {plural}/s                          // 579 {plural}/s
  let kafka_peak = peak * {schema}.size.compressed as KB/s   // 116 KB/s

  source app    : service          {{ emits {schema} v1 }}
  node orders   : stream_broker    {{ partitions 12  replication 3  key customer_id }}
  node enrich   : stream_processor {{ per_event 2 ms  threads 2 }}
  node landing  : table_format     {{ retain 30 days }}

  flow app    -> orders  stream carries {schema} v1
  flow orders -> enrich  stream
  flow enrich -> landing stream write merge(play_id)

  path enrichment = app -> orders -> enrich -> landing

  use kafka for orders
    because   "replay for a week and fan-out to later consumers"
    accepting "a cluster to run and partitions to plan"

  failure app     {{ detect produce_error_rate > 1 %;  recover retry within 5 min }}
  failure orders  {{ detect under_replicated_partitions > 0;  recover replace broker within 30 min }}
  failure enrich  {{ detect consumer_lag > 10000;  recover replay from committed_offset within 15 min;  dlq enrich_dlq after 3 retries }}
  failure landing {{ detect write_errors > 0;  recover retry with backoff within 10 min }}
}}
"#
    )
}

/// `dsd check --format json` on `text`: (exit code, distinct codes, JSON).
fn check(tag: &str, text: &str) -> (i32, Vec<String>, String) {
    let dir = temp_dir(tag);
    let path = dir.join("design.dsd");
    write(&path, text);
    let path = path.to_string_lossy().into_owned();
    let (code, json, err) = run(&["check", "--format", "json", &path]);
    assert!(code == 0 || code == 1, "{tag}: exit {code}: {err}");
    let codes = codes(&json);
    let _ = std::fs::remove_dir_all(&dir);
    (code, codes, json)
}

/// The report's figure `id` as displayed, for `text`.
fn shown(tag: &str, text: &str, id: &str) -> String {
    let dir = temp_dir(tag);
    let path = dir.join("design.dsd");
    write(&path, text);
    let r = common::report(&[&path.to_string_lossy()]);
    let _ = std::fs::remove_dir_all(&dir);
    common::figure(&r, id)["display"]
        .as_str()
        .unwrap_or_else(|| panic!("`{id}` has no display: {}", common::figure(&r, id)))
        .to_string()
}

#[test]
fn noun_play_reads_plays_and_the_design_checks_clean() {
    // `play` ends in a vowel and `y`: its plural is `plays`, not `plaies`.
    let text = design("noun play", "Play", "plays");
    let (code, codes, json) = check("noun-play", &text);
    assert_eq!(code, 0, "{json}");
    assert!(codes.is_empty(), "{json}");
    // 5M plays/day × 10 = 50M plays/day ÷ 86,400 s = 578.7 plays/s, shown to
    // three figures.
    assert_eq!(
        shown("noun-play-report", &text, "let.peak_rate"),
        "579 plays/s"
    );
}

#[test]
fn english_plurals_of_declared_nouns_are_units() {
    // consonant + y → ies; -s, -sh, -ch, -x → es.
    for (declare, plural) in [
        ("noun survey", "surveys"),
        ("noun journey", "journeys"),
        ("noun reply", "replies"),
        ("noun census", "censuses"),
        ("noun push", "pushes"),
        ("noun batch", "batches"),
        ("noun inbox", "inboxes"),
    ] {
        let (code, codes, json) = check("plural", &design(declare, "Play", plural));
        assert_eq!(code, 0, "{declare} → {plural}: {json}");
        assert!(codes.is_empty(), "{declare} → {plural}: {json}");
    }
}

#[test]
fn an_irregular_plural_is_declared_with_plural() {
    let text = design("noun person plural people", "Person", "people");
    let (code, codes, json) = check("irregular", &text);
    assert_eq!(code, 0, "{json}");
    assert!(codes.is_empty(), "{json}");
    // The declared plural replaces the regular one.
    let (code, codes, json) = check(
        "irregular-persons",
        &design("noun person plural people", "Person", "persons"),
    );
    assert_eq!(code, 1);
    assert_eq!(codes, ["unknown-name"], "{json}");
    assert!(
        json.contains("`person` is declared, and `persons` is not its plural"),
        "{json}"
    );
}

#[test]
fn a_wrong_plural_is_not_read_and_the_help_declares_the_singular() {
    // The old rule's `plaies` is no word; the help points at `plays` and says
    // how a new noun is declared (in the singular), never at `noun plays`.
    let (code, codes, json) = check("plaies", &design("noun play", "Play", "plaies"));
    assert_eq!(code, 1);
    assert_eq!(codes, ["unknown-name"], "{json}");
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    let helps: Vec<&str> = parsed["diagnostics"]
        .as_array()
        .map(|a| a.iter().filter_map(|d| d["help"].as_str()).collect())
        .unwrap_or_default();
    assert!(!helps.is_empty());
    for help in helps {
        assert_eq!(
            help,
            "did you mean `plays`? To count `plaies`, declare it with `noun plaie`"
        );
    }
}

#[test]
fn noun_declarations_keep_their_form_through_fmt() {
    let text = "noun  person   plural people,  play\nnoun city\n";
    let (code, out, err) = run_fmt(text);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "noun person plural people, play\nnoun city\n");
}

/// `dsd fmt --stdin` on `text`.
fn run_fmt(text: &str) -> (i32, String, String) {
    use std::io::Write as _;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dsd"))
        .args(["fmt", "--stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run dsd: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(text.as_bytes())
            .unwrap_or_else(|e| panic!("stdin: {e}"));
    }
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("dsd fmt: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The failure blocks of `text` (which must compile without a syntax error).
fn failures(text: &str) -> Vec<dsd::model::Failure> {
    let c = dsd::compile("design.dsd", text, &dsd::NoImports);
    let syntax: Vec<String> = c
        .diagnostics
        .iter()
        .filter(|d| {
            matches!(
                d.code,
                "syntax-error" | "invalid-value" | "unknown-property" | "unknown-name"
            )
        })
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    assert!(syntax.is_empty(), "{syntax:?}");
    c.designs
        .first()
        .map(|d| d.design.failures.clone())
        .unwrap_or_default()
}

#[test]
fn failure_text_takes_punctuation_unquoted_to_the_end_of_the_line() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fmt/free_text.dsd"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let f = failures(&text);
    let app = f.first().unwrap_or_else(|| panic!("no failure block"));
    // The comment is not text; the text's own quotes and brackets are.
    assert_eq!(
        app.cause.as_deref(),
        Some("broker's disk fills - writes rejected")
    );
    assert_eq!(
        app.effect.as_deref(),
        Some(r#"reads stop: 5xx's at the edge <= 1 % of calls   (see "ops}" page) [p1]"#)
    );
    // `recover` text stops before `within 15 min`; `dlq` after it is a property.
    let words = app.recover.as_ref().map(|r| r.value.join(" "));
    assert_eq!(
        words.as_deref(),
        Some("fail over to store-b (by hand) within 15 min")
    );
    // 15 min = 900 s.
    assert_eq!(app.recover_within.as_ref().map(|q| q.hi), Some(900.0));
    assert_eq!(app.dlq.as_ref().map(|d| d.value.as_str()), Some("app_dlq"));
    assert!(app.degrades);
    // One line, `;` without a space: three properties. The first `within` is
    // text (what follows it is not a time clause); the last one ends the line.
    let store = f
        .get(1)
        .unwrap_or_else(|| panic!("no second failure block"));
    assert_eq!(store.detect.len(), 1);
    assert_eq!(store.cause.as_deref(), Some("it's full"));
    assert_eq!(
        store.recover.as_ref().map(|r| r.value.join(" ")).as_deref(),
        Some("ask within the team's channel within 1 h")
    );
    // 1 h = 3,600 s.
    assert_eq!(store.recover_within.as_ref().map(|q| q.hi), Some(3600.0));
}

#[test]
fn quoted_failure_text_still_shares_a_line_with_other_properties() {
    let text = "design d {\n  source a : service\n  failure a { cause \"disk full\"  effect \"writes stop\"  detect errors > 1 %  recover retry within 5 min }\n}\n";
    let f = failures(text);
    let a = f.first().unwrap_or_else(|| panic!("no failure block"));
    assert_eq!(a.cause.as_deref(), Some("disk full"));
    assert_eq!(a.effect.as_deref(), Some("writes stop"));
    assert_eq!(a.detect.len(), 1);
    // 5 min = 300 s.
    assert_eq!(a.recover_within.as_ref().map(|q| q.hi), Some(300.0));
}

#[test]
fn an_unbalanced_quote_or_bracket_in_failure_text_is_an_error_that_says_how_to_write_it() {
    for line in [
        "cause the \"fast path dies",
        "cause disk fills (again",
        "effect { nothing",
    ] {
        let text =
            format!("design d {{\n  source a : service\n  failure a {{\n    {line}\n  }}\n}}\n");
        let c = dsd::compile("design.dsd", &text, &dsd::NoImports);
        let d = c
            .diagnostics
            .iter()
            .find(|d| d.code == "syntax-error")
            .unwrap_or_else(|| panic!("{line}: no syntax error"));
        assert!(d.message.contains("in a failure block"), "{}", d.message);
        assert!(
            d.help
                .as_deref()
                .is_some_and(|h| h.contains("the text runs to the end of the line")),
            "{:?}",
            d.help
        );
    }
}

/// The one-line schemas `dsd explain incompatible-schema-change` once showed
/// (issue 21: "`channel` is not a field modifier"): (fails, fixed). The
/// explanation now shows lines of its fixture, which tests/rules.rs checks;
/// the one-line form must still parse.
fn one_line_schemas() -> (String, String) {
    (
        "schema Order v2 { order_id string key  channel string  evolution backward }".into(),
        "schema Order v2 { order_id string key  channel string default web  evolution backward }"
            .into(),
    )
}

/// A design around one of those schema lines, as the snippet's other lines say.
fn reader_of(schema_v2: &str) -> String {
    format!(
        "design d {{\n  schema Order v1 {{ order_id string key  evolution backward }}\n  {schema_v2}\n  source orders : service {{ emits Order v2 }}\n  node enrich : stream_processor {{ reads Order v1 }}\n  flow orders -> enrich stream carries Order v2\n}}\n"
    )
}

#[test]
fn a_one_line_schema_with_a_default_parses_and_fixes_the_change() {
    let (fails, fixed) = one_line_schemas();
    let c = dsd::compile("design.dsd", &reader_of(&fixed), &dsd::NoImports);
    let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code).collect();
    assert!(!codes.contains(&"unknown-property"), "{codes:?}");
    assert!(!codes.contains(&"incompatible-schema-change"), "{codes:?}");
    let v2 = c
        .designs
        .first()
        .and_then(|d| d.design.schemas.iter().find(|s| s.version == 2))
        .unwrap_or_else(|| panic!("no Order v2"));
    let fields: Vec<(&str, &str, bool, Option<&str>)> = v2
        .fields
        .iter()
        .map(|f| {
            (
                f.name.name.as_str(),
                f.ty.as_str(),
                f.key,
                f.default.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("order_id", "string", true, None),
            ("channel", "string", false, Some("web"))
        ]
    );
    assert!(v2.evolution.is_some());
    // The failing snippet fails with its rule: `channel` has no default.
    let c = dsd::compile("design.dsd", &reader_of(&fails), &dsd::NoImports);
    let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"incompatible-schema-change"), "{codes:?}");
    assert!(!codes.contains(&"unknown-property"), "{codes:?}");
}

#[test]
fn fields_share_a_line_where_a_name_and_a_type_begin() {
    let text = "schema Order v3 { order_id string key pii  total decimal default 0 cardinality 50 cities  tags list[string] nullable  size raw 400 B  evolution backward via registry }\n";
    let c = dsd::compile(
        "design.dsd",
        &format!("{text}design d {{\n}}\n"),
        &dsd::NoImports,
    );
    let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code).collect();
    assert!(
        !codes
            .iter()
            .any(|c| *c == "unknown-property" || *c == "invalid-value"),
        "{codes:?}"
    );
    let (file, _) = dsd::syntax::parse(text);
    let Some(dsd::ast::Item::Schema(s)) = file.items.first() else {
        panic!("no schema");
    };
    let names: Vec<&str> = s.fields.iter().map(|f| f.name.name.as_str()).collect();
    assert_eq!(names, ["order_id", "total", "tags"]);
    // `default 0` takes the value after it; `cardinality 50 cities` its number
    // and unit; neither starts a field.
    let modifiers: Vec<usize> = s.fields.iter().map(|f| f.modifiers.len()).collect();
    assert_eq!(modifiers, [2, 5, 1]);
    let props: Vec<&str> = s.props.iter().map(|p| p.key.name.as_str()).collect();
    assert_eq!(props, ["size", "evolution"]);
    // A misspelt modifier is still one, not a field.
    let c = dsd::compile(
        "design.dsd",
        "schema Order v4 { order_id string kye  channel string }\ndesign d {\n}\n",
        &dsd::NoImports,
    );
    let messages: Vec<&str> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "unknown-property")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(messages, ["`kye` is not a field modifier"]);
}

#[test]
fn a_rounded_up_rate_times_a_time_is_a_count_of_threads_not_of_records() {
    // The hl7 design of issue 21: 4M hl7_messages/day at 6x is 4M × 6 ÷ 86,400 s
    // = 277.8 hl7_messages/s; × 4 ms each = 1.11 busy at once; ceil → 2 threads.
    let text = "noun hl7_message, thread\ndesign d {\n  requirements { volume 4M hl7_messages/day  peak 6x }\n  let in_flight = peak * 4 ms\n  let threads_needed = ceil(peak * 4 ms)\n  let with_headroom = ceil(peak * 4 ms * 1.5)\n  let named = ceil(peak * 4 ms) as threads\n}\n";
    let c = dsd::compile("design.dsd", text, &dsd::NoImports);
    let shown = |name: &str| {
        c.designs
            .first()
            .and_then(|d| d.design.lets.iter().find(|b| b.name == name))
            .map(|b| b.value.display())
            .unwrap_or_else(|| panic!("no let {name}"))
    };
    // Not "2 hl7_messages".
    assert_eq!(shown("threads_needed"), "2");
    // 1.11 × 1.5 = 1.67 → 2.
    assert_eq!(shown("with_headroom"), "2");
    assert_eq!(shown("named"), "2 threads");
    // Unrounded, the product is what is in flight, counted in the rate's noun.
    assert_eq!(shown("in_flight"), "1.11 hl7_messages");
    // A rate divided by a rate was already a plain number: 277.8 ÷ 250 = 1.11 → 2.
    let text = text.replace(
        "  let in_flight",
        "  let per_thread = 1 / 4 ms as hl7_messages/s\n  let by_rate = ceil(peak / per_thread)\n  let in_flight",
    );
    let c = dsd::compile("design.dsd", &text, &dsd::NoImports);
    let by_rate = c
        .designs
        .first()
        .and_then(|d| d.design.lets.iter().find(|b| b.name == "by_rate"))
        .map(|b| b.value.display());
    assert_eq!(by_rate.as_deref(), Some("2"));
}

#[test]
fn a_capital_k_is_a_thousand_as_written_in_capacity_notes() {
    // `500K` is how people write half a million; it read as 500 and a stray `K`,
    // and the error pointed at `records/day`.
    let text = "design thousands {\n  source feed : service { volume 500K records/day }\n  source other : service { volume 2k records/day }\n  node topic : stream_broker\n  flow feed -> topic stream\n  flow other -> topic stream\n}\n";
    let (_, codes, json) = check("capital-k", text);
    assert!(!codes.iter().any(|c| c == "invalid-value"), "{json}");
    // 500K = 500,000 (no peak stated: the average, in the unit written).
    assert_eq!(
        shown("capital-k-report", text, "source.feed.peak_rate"),
        "500,000 records/day"
    );
    // `2k` still reads 2,000.
    assert_eq!(
        shown("capital-k-report-2", text, "source.other.peak_rate"),
        "2,000 records/day"
    );
}

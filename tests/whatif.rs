//! `dsd what-if`: outages, lost brokers and zones, replays, each figure checked
//! against arithmetic done by hand on designs written for these tests (not the
//! reference's), and the design's own promises held to it.

mod common;
use common::{run, run_in, temp_dir, write};
use serde_json::Value;

const TRIPS: &str = "tests/whatif/trips.dsd";

fn what_if(args: &[&str]) -> (i32, Value) {
    let mut a = vec!["what-if", "--format", "json"];
    a.extend(args);
    let (code, out, err) = run(&a);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    (code, v)
}

fn scenario(v: &Value, n: usize) -> &Value {
    &v["designs"][0]["scenarios"][n]
}

fn figure(s: &Value, id: &str) -> f64 {
    s["figures"]
        .as_array()
        .and_then(|f| f.iter().find(|x| x["id"] == id))
        .and_then(|x| x["value"].as_f64())
        .unwrap_or_else(|| panic!("no figure {id}: {s:#}"))
}

fn promise<'a>(s: &'a Value, id: &str) -> &'a Value {
    s["promises"]
        .as_array()
        .and_then(|f| f.iter().find(|x| x["id"] == id))
        .unwrap_or_else(|| panic!("no promise {id}: {s:#}"))
}

fn close(got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol * want.abs(),
        "got {got}, want {want} (±{}%)",
        tol * 100.0
    );
}

#[test]
fn a_consumer_down_an_hour_at_peak_and_its_drain() {
    let (code, v) = what_if(&[TRIPS, "down scorer for 1 h at peak"]);
    // A promise is broken: the exit status says so, for CI.
    assert_eq!(code, 1);
    let s = scenario(&v, 0);
    // 2,000 trips/s × 3,600 s = 7,200,000 trips waiting in `trips`.
    close(figure(s, "down.scorer.backlog"), 7.2e6, 1e-9);
    // Capacity 8 threads ÷ 3.5 ms = 2,285.71/s.
    // At peak: 7.2M ÷ (2,285.71 − 2,000) = 25,200 s = 7.0 h.
    close(figure(s, "down.scorer.drain_at_peak"), 25_200.0, 1e-6);
    // At the average 5M ÷ 86,400 = 57.87/s: 7.2M ÷ (2,285.71 − 57.87) = 3,231.8 s ≈ 54 min.
    close(figure(s, "down.scorer.drain_at_average"), 3_231.8, 1e-4);
    // The 3-day topic keeps the hour's backlog.
    assert_eq!(promise(s, "down.scorer.kept_in.trips")["ok"], true);
    // Detect (p95 > 1.5 s fires at 1.5 s) + 3,231.8 s = 3,233.3 s > the promised 30 min.
    let p = promise(s, "down.scorer.recovery");
    assert_eq!(p["ok"], false);
    let text = p["derivation"].as_str().unwrap_or("");
    assert!(
        text.contains("detect 1.5 s + drain 53.9 min = 53.9 min > the promised 30 min"),
        "{text}"
    );
    assert!(text.contains("7 h if the peak continues"), "{text}");
    // The path through it is late for the outage plus the drain:
    // 3,600 + 3,231.8 = 6,831.8 s at the fast end, 3,600 + 25,200 = 28,800 s at the slow.
    let breach = s["figures"]
        .as_array()
        .and_then(|f| f.iter().find(|x| x["id"] == "down.scorer.breach.scoring"))
        .cloned()
        .unwrap_or_default();
    close(breach["low"].as_f64().unwrap_or(0.0), 6_831.8, 1e-4);
    close(breach["high"].as_f64().unwrap_or(0.0), 28_800.0, 1e-6);
}

#[test]
fn an_outage_at_the_average_builds_a_smaller_backlog() {
    let (_, v) = what_if(&[TRIPS, "down scorer for 1 h at average"]);
    let s = scenario(&v, 0);
    // 57.87/s × 3,600 s = 208,333 trips; ÷ (2,285.71 − 57.87) = 93.5 s.
    close(figure(s, "down.scorer.backlog"), 208_333.3, 1e-4);
    close(figure(s, "down.scorer.drain_at_average"), 93.52, 1e-3);
    assert_eq!(promise(s, "down.scorer.recovery")["ok"], true);
}

/// A Kinesis stream that states no retention keeps records 24 h (AWS's
/// default); a consumer down for 3 days loses everything older.
const KINESIS: &str = r#"noun readings
design meters "Smart-meter readings" {
  requirements {
    volume    8.64M readings/day
    peak      200 readings/s
    latency   lake <= 1 min
    retention lake >= 2 years
    delivery  at_least_once
    team      3
  }
  schema Reading v1 {
    meter_id  string  key
    at        timestamp  event_time
    size raw 120 B
    evolution backward via registry
  }
  source meters_in : service          { emits Reading v1 }
  node readings    : stream_broker    { partitions 2 }
  node loader      : stream_processor { per_event 2 ms  threads 2 }
  node lake        : object_store     { retain 2 years }
  flow meters_in -> readings stream carries Reading v1
  flow readings  -> loader   stream
  flow loader    -> lake     stream write overwrite partition(hour)
  use kinesis for readings
    because   "managed shards"
    accepting "24 h retention unless extended"
  failure loader   { detect iterator_age > 10 min;  recover restart within 2 h;  dlq loader_dlq after 3 retries }
  failure readings { detect write_throttled > 0;  recover split shards within 30 min }
  failure lake     { detect put_errors > 0;  recover retry within 10 min }
}
"#;

#[test]
fn a_backlog_that_outlives_kinesis_retention_loses_records() {
    let dir = temp_dir("whatif-kinesis");
    let file = dir.join("meters.dsd");
    write(&file, KINESIS);
    let f = file.to_string_lossy().to_string();
    let (code, v) = what_if(&[&f, "down loader for 3 days"]);
    assert_eq!(code, 1);
    let s = scenario(&v, 0);
    let p = promise(s, "down.loader.kept_in.readings");
    assert_eq!(p["ok"], false);
    let text = p["derivation"].as_str().unwrap_or("");
    // Kinesis' default 24 h: the first records expire 24 h into the outage, and
    // 200/s × (72 h − 24 h) = 200 × 172,800 s = 34.56M readings are lost.
    assert!(
        text.contains("`readings` keeps `kinesis`'s default 1 day"),
        "{text}"
    );
    assert!(text.contains("from 1 day into the outage"), "{text}");
    assert!(
        text.contains("peak 200 readings/s × (3 days − 1 day)"),
        "{text}"
    );
    assert!(text.contains("= 34.6M readings lost"), "{text}");
    // What can still drain is the 24 h the stream kept: 200/s × 86,400 s = 17.28M,
    // at 2 threads ÷ 2 ms = 1,000/s against the average 100/s: 17.28M ÷ 900 = 19,200 s.
    close(figure(s, "down.loader.drain_at_average"), 19_200.0, 1e-9);

    // `dsd check` finds the same loss from the failure block's own promise
    // only when an outage that long is declared or promised.
    let (code, _, err) = run(&["check", &f]);
    assert_eq!(code, 0, "{err}");
    let longer = KINESIS.replace(
        "recover restart within 2 h",
        "recover restart within 2 days",
    );
    write(&file, &longer);
    let (code, json, _) = run(&["check", "--format", "json", &f]);
    assert_eq!(code, 1);
    assert_eq!(common::codes(&json), ["recovery-promise-unmet"], "{json}");
    assert!(
        json.contains("records expire before they are read"),
        "{json}"
    );
}

#[test]
fn losing_two_of_three_replicas_stops_writes_under_acks_all() {
    let (_, v) = what_if(&[TRIPS, "lose trips 2", "lose trips 1"]);
    let two = scenario(&v, 0);
    // RF 3 − 2 = 1 in sync < min_insync 2: acks=all writes are refused.
    let w = promise(two, "lose.trips.writes");
    assert_eq!(w["ok"], false);
    assert!(
        w["derivation"]
            .as_str()
            .unwrap_or("")
            .contains("replication 3 − 2 lost = 1 in sync < min_insync 2"),
        "{w}"
    );
    // One replica is left to lead: reads go on.
    assert_eq!(promise(two, "lose.trips.reads")["ok"], true);
    // Losing one leaves 2 ≥ 2.
    let one = scenario(&v, 1);
    assert_eq!(promise(one, "lose.trips.writes")["ok"], true);
}

#[test]
fn losing_an_instance_or_a_zone_leaves_capacity_checked() {
    // 2 instances of 8 threads; one lost: 2,285.71 × 1/2 = 1,142.9/s < peak 2,000/s.
    let (_, v) = what_if(&[TRIPS, "lose scorer 1"]);
    let p = promise(scenario(&v, 0), "lose.scorer.capacity");
    assert_eq!(p["ok"], false);
    assert!(
        p["derivation"]
            .as_str()
            .unwrap_or("")
            .contains("= 1,143/s < peak 2,000/s"),
        "{p}"
    );
    // With zones stated, a zone takes ⌈3 ÷ 3⌉ = 1 replica of each partition and
    // ⌈2 instances ÷ 2 zones⌉ = 1 scorer.
    let dir = temp_dir("whatif-zone");
    let file = dir.join("trips.dsd");
    let text = std::fs::read_to_string(TRIPS).unwrap_or_default();
    let zoned = text
        .replace(
            "retain 3 days  key trip_id }",
            "retain 3 days  key trip_id  zones 3 }",
        )
        .replace(
            "concurrency per_record }",
            "concurrency per_record  zones 2 }",
        );
    write(&file, &zoned);
    let f = file.to_string_lossy().to_string();
    let (_, v) = what_if(&[&f, "lose zone"]);
    let s = scenario(&v, 0);
    assert_eq!(promise(s, "lose.trips.writes")["ok"], true);
    assert_eq!(promise(s, "lose.scorer.capacity")["ok"], false);
    // Without `zones` anywhere the question has no answer, and says what to add.
    let (code, _, err) = run(&["what-if", TRIPS, "lose zone"]);
    assert_eq!(code, 2);
    assert!(err.contains("no node states `zones N`"), "{err}");
}

#[test]
fn a_seven_day_replay_at_a_stated_rate() {
    let (code, v) = what_if(&[
        TRIPS,
        "replay trips 3 days at 5000 trips/s",
        "replay trips 7 days",
    ]);
    assert_eq!(
        code, 1,
        "the 7-day replay asks for more than the topic keeps"
    );
    let s = scenario(&v, 0);
    // 57.87/s × 259,200 s = 15M trips; ÷ 5,000/s = 3,000 s.
    close(figure(s, "replay.trips.records"), 15e6, 1e-9);
    close(figure(s, "replay.trips.scorer.time"), 3_000.0, 1e-9);
    // The upsert on the key stores a repeated trip once.
    assert_eq!(promise(s, "replay.trips.write.scorer.scores")["ok"], true);
    // Without a rate: the scorer's spare capacity, 15M ÷ (2,285.71 − 57.87) = 6,732.9 s.
    let (_, v) = what_if(&[TRIPS, "replay trips 3 days"]);
    close(
        figure(scenario(&v, 0), "replay.trips.scorer.time"),
        6_732.9,
        1e-4,
    );
    // Seven days from a three-day topic: only three can be replayed.
    let week = scenario(&what_if(&[TRIPS, "replay trips 7 days"]).1, 0).clone();
    assert_eq!(promise(&week, "replay.trips.retention")["ok"], false);
    close(figure(&week, "replay.trips.records"), 15e6, 1e-9);
}

#[test]
fn an_append_repeats_what_a_replay_sends() {
    let dir = temp_dir("whatif-append");
    let file = dir.join("trips.dsd");
    let text = std::fs::read_to_string(TRIPS).unwrap_or_default();
    write(
        &file,
        &text.replace("write upsert(trip_id)", "write append"),
    );
    let f = file.to_string_lossy().to_string();
    let (_, v) = what_if(&[&f, "replay trips 1 day"]);
    let p = promise(scenario(&v, 0), "replay.trips.write.scorer.scores");
    assert_eq!(p["ok"], false);
    assert!(
        p["derivation"]
            .as_str()
            .unwrap_or("")
            .contains("stores each replayed record again")
    );
}

#[test]
fn scenarios_come_from_the_command_line_the_project_or_the_failure_blocks() {
    // None named and no project: one outage per failure block with a promise, at
    // peak, for its declared `outage` (1 h for scorer) or its `within`.
    let (_, v) = what_if(&[TRIPS]);
    let names: Vec<&str> = v["designs"][0]["scenarios"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s["scenario"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        names,
        [
            "`app` down for 5 min at peak",
            "`trips` down for 30 min at peak",
            "`scorer` down for 1 h at peak",
            "`scores` down for 10 min at peak",
        ]
    );
    // dsd.toml's [what-if] scenarios replace them.
    let dir = temp_dir("whatif-project");
    write(
        &dir.join("trips.dsd"),
        &std::fs::read_to_string(TRIPS).unwrap_or_default(),
    );
    write(
        &dir.join("dsd.toml"),
        "[what-if]\nscenarios = [\"lose trips 1\", \"down scorer for 10 min\"]\n",
    );
    let (code, out, err) = run_in(&dir, &["what-if", "trips.dsd", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"lose 1 of `trips`\""), "{out}");
    assert!(
        out.contains("\"`scorer` down for 10 min at peak\""),
        "{out}"
    );
    // A scenario that does not parse is an error in the project file, with its line.
    write(
        &dir.join("dsd.toml"),
        "[what-if]\nscenarios = [\"drop scorer\"]\n",
    );
    let (code, _, err) = run_in(&dir, &["check", "trips.dsd"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("line 2: [what-if] scenarios: `drop scorer`: no scenario starts with `drop`"),
        "{err}"
    );
}

#[test]
fn bad_scenarios_are_usage_errors_with_help() {
    let (code, _, err) = run(&["what-if", TRIPS, "down scorrer for 1 h"]);
    assert_eq!(code, 2);
    assert!(err.contains("no node is named `scorrer`"), "{err}");
    assert!(err.contains("did you mean `scorer`?"), "{err}");
    let (code, _, err) = run(&["what-if", TRIPS, "down scorer for soon"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("the outage must be a time like `1 h`"),
        "{err}"
    );
    let (code, _, err) = run(&["what-if", TRIPS, "lose trips 1.5"]);
    assert_eq!(code, 2);
    assert!(err.contains("a whole number"), "{err}");
    // No `brokers` stated: losing 4 takes every replica of the worst partition.
    let (code, v) = what_if(&[TRIPS, "lose trips 4"]);
    assert_eq!(code, 1);
    assert_eq!(promise(scenario(&v, 0), "lose.trips.reads")["ok"], false);
}

#[test]
fn the_markdown_shows_figures_and_promises() {
    let (code, out, _) = run(&["what-if", TRIPS, "down scorer for 1 h", "lose trips 2"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("whatif_trips", out);
}

#[test]
fn the_design_book_shows_each_scenario_against_its_promises() {
    // Razorpay's failure blocks, each down at peak for its outage or promise:
    // every promise holds (the fraud consumer's 4 h: 3.59 h of draining).
    let out = temp_dir("whatif-book");
    let o = out.to_string_lossy().to_string();
    let (code, _, err) = run(&[
        "build",
        "examples/razorpay_payments.dsd",
        "-o",
        &o,
        "--emit",
        "html",
    ]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(out.join("razorpay_payments.html")).unwrap_or_default();
    assert!(
        html.contains("<h2 id=\"scenarios\">What if</h2>"),
        "no section"
    );
    assert!(
        html.contains("`fraud` down for 4 h at peak"),
        "no fraud scenario"
    );
    assert!(html.contains("holds</span> `fraud` recovers within 4 h"));
    assert!(!html.contains("broken</span>"));
    // A project's scenarios replace the defaults, and a broken promise says so.
    let dir = temp_dir("whatif-book-project");
    write(
        &dir.join("trips.dsd"),
        &std::fs::read_to_string(TRIPS).unwrap_or_default(),
    );
    write(
        &dir.join("dsd.toml"),
        "[what-if]\nscenarios = [\"down scorer for 1 h at peak\"]\n",
    );
    let (code, _, err) = run_in(
        &dir,
        &["build", "trips.dsd", "-o", "book", "--emit", "html"],
    );
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(dir.join("book/trip_scoring.html")).unwrap_or_default();
    assert!(
        html.contains("broken</span> `scorer` recovers within 30 min"),
        "{html}"
    );
    assert!(
        !html.contains("`trips` down for 30 min"),
        "the defaults are replaced"
    );
}

#[test]
fn hostile_scenarios_get_a_message_not_a_panic() {
    for (text, says) in [
        ("down scorer for 1e308 h", "from a millisecond to 100 years"),
        ("down scorer for 0 s", "from a millisecond to 100 years"),
        ("down scorer for -5 min", "from a millisecond to 100 years"),
        ("lose trips 99999999999", "from 1 to 1,000,000"),
        (
            "replay trips 1 day at 0 trips/s",
            "a replay rate is records per second",
        ),
        (
            "replay trips 2 days at 5000 trips/s extra",
            "a replay rate is records per second",
        ),
        ("down   ", "write `down NODE for DURATION`"),
        ("lose", "write `lose NODE N`"),
        ("\u{202e}down scorer for 1 h", "no scenario starts with"),
    ] {
        let (code, out, err) = run(&["what-if", TRIPS, text]);
        assert_eq!(code, 2, "{text}: {out}");
        assert!(err.contains(says), "{text}: {err}");
        assert!(!err.contains("panicked"), "{text}: {err}");
    }
    // `1e3 s` is a number with an exponent, and `at 5000/s` a rate in one word:
    // 57.87/s × 172,800 s = 10M trips ÷ 5,000/s = 2,000 s.
    let (code, v) = what_if(&[
        TRIPS,
        "down scorer for 1e3 s",
        "replay trips 2 days at 5000/s",
    ]);
    assert_eq!(code, 0);
    close(figure(scenario(&v, 0), "down.scorer.backlog"), 2e6, 1e-9);
    close(
        figure(scenario(&v, 1), "replay.trips.scorer.time"),
        2_000.0,
        1e-9,
    );
}

/// A price API reads a cache and falls back to the primary database.
const PRICES: &str = r#"
design prices {
  requirements {
    latency   price_read <= 10 ms
    delivery  at_least_once
    team      4
  }
  noun price
  schema Price v1 {
    sku_id  string key
    amount  double
    size    raw 80 B
    evolution backward
  }
  source catalog_db : oltp_database { lookup 20 ms  instances 2 }
  node price_cache  : kv_store      { lookup 1 ms  instances 3 }
  node price_api    : serving_api   { latency 3 ms  instances 4  readers 2000 every 1 s  fallback catalog_db }
  flow catalog_db  -> price_cache  stream write upsert(sku_id)
  flow price_cache -> price_api    read lookup by sku_id latency 1 ms
  flow catalog_db  -> price_api    read lookup by sku_id
  path price_read = price_cache -> price_api
  failure price_cache {
    cause   "cache node lost"
    detect  p99 latency > 10 ms
    recover replica promotion within 1 min
    fallback catalog_db
  }
}
"#;

#[test]
fn a_cache_outage_sends_its_reads_to_the_fallback() {
    let dir = temp_dir("whatif-fallback");
    let file = dir.join("prices.dsd");
    write(&file, PRICES);
    let f = file.to_string_lossy().to_string();
    let (code, v) = what_if(&[&f, "down price_cache for 5 min"]);
    // The path's SLA breaks while the API reads the database: exit 1.
    assert_eq!(code, 1, "{v:#}");
    let s = scenario(&v, 0);
    // Every read the API makes moves to the database: 2,000 readers ÷ every 1 s.
    close(
        figure(s, "down.price_cache.fallback.price_api.load"),
        2_000.0,
        1e-9,
    );
    // The path: api latency 3 ms + the cache lookup 1 ms = 4 ms; with the fallback
    // 4 ms − 1 ms + the database's lookup 20 ms = 23 ms > 10 ms.
    let p = promise(s, "down.price_cache.fallback.price_read");
    assert_eq!(p["ok"], false);
    let text = p["derivation"].as_str().unwrap_or("");
    assert!(
        text.contains("path 4 ms − reading `price_cache` 1 ms"),
        "{text}"
    );
    assert!(text.contains("= 23 ms > the SLA 10 ms"), "{text}");
    // Declared twice (on the API and in the failure block), told once.
    let notes: Vec<&str> = s["notes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n.as_str())
        .filter(|n| n.contains("instead of `price_cache`"))
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");

    // A database that answers in 5 ms keeps the SLA: 4 − 1 + 5 = 8 ms ≤ 10 ms.
    write(&file, &PRICES.replace("lookup 20 ms", "lookup 5 ms"));
    let (code, v) = what_if(&[&f, "down price_cache for 5 min"]);
    assert_eq!(code, 0, "{v:#}");
    let p = promise(scenario(&v, 0), "down.price_cache.fallback.price_read");
    assert_eq!(p["ok"], true);
    assert!(
        p["derivation"]
            .as_str()
            .unwrap_or("")
            .contains("= 8 ms ≤ the SLA 10 ms"),
        "{p:#}"
    );

    // A reader with no request rate gets its load marked not computed, not zero.
    write(&file, &PRICES.replace("readers 2000 every 1 s  ", ""));
    let (_, v) = what_if(&[&f, "down price_cache for 5 min"]);
    let s = scenario(&v, 0);
    let load = s["figures"]
        .as_array()
        .and_then(|f| {
            f.iter()
                .find(|x| x["id"] == "down.price_cache.fallback.price_api.load")
        })
        .cloned()
        .unwrap_or_default();
    assert!(load["value"].is_null(), "{load:#}");
    assert!(
        load["error"]
            .as_str()
            .unwrap_or("")
            .contains("states no request rate"),
        "{load:#}"
    );
}

#[test]
fn merging_branches_each_drain_their_own_share() {
    // Clicks (1,000/s average, 4,000/s peak) and sales (100/s, 400/s) reach
    // `counters` through two jobs: click_job 8 threads ÷ 1 ms = 8,000/s,
    // sale_job 1 thread ÷ 2 ms = 500/s. The merged 4,400/s is not held to the
    // slow job: each job works through its own branch.
    let (_, v) = what_if(&["tests/whatif/merges.dsd", "down counters for 10 min"]);
    let s = scenario(&v, 0);
    // 4,400/s × 600 s = 2.64M records.
    close(figure(s, "down.counters.backlog"), 2.64e6, 1e-9);
    // Bytes by schema: 4,000/s × 200 B + 400/s × 300 B = 920 KB/s; × 600 s = 552 MB.
    close(figure(s, "down.counters.backlog_bytes"), 552e6, 1e-9);
    // click_job: 2.4M ÷ (8,000 − 1,000) = 342.9 s at the average, 2.4M ÷ 4,000 = 600 s at peak.
    // sale_job: 240,000 ÷ (500 − 100) = 600 s at the average, 240,000 ÷ (500 − 400) = 2,400 s at peak.
    // The chain has drained when its slowest branch has: 600 s and 2,400 s, both sale_job.
    close(figure(s, "down.counters.drain_at_average"), 600.0, 1e-9);
    close(figure(s, "down.counters.drain_at_peak"), 2_400.0, 1e-9);
    let text = s["figures"]
        .as_array()
        .and_then(|f| f.iter().find(|x| x["id"] == "down.counters.drain_at_peak"))
        .and_then(|x| x["derivation"].as_str())
        .unwrap_or("")
        .to_string();
    assert!(
        text.starts_with("`sale_job`'s backlog 240,000 sales ÷ (capacity 500/s − arrivals 400/s)"),
        "{text}"
    );
    assert!(text.contains("1 thread ÷ 2 ms per event"), "{text}");
}

#[test]
fn a_scheduled_job_misses_runs_rather_than_draining_per_second() {
    // `batch_features` runs `schedule daily 03:00` and states no per-event cost.
    let (_, v) = what_if(&[
        "tests/corpus/clean/food-delivery-eta-features.dsd",
        "down batch_features for 30 h",
    ]);
    let s = scenario(&v, 0);
    let runs = s["figures"]
        .as_array()
        .and_then(|f| {
            f.iter()
                .find(|x| x["id"] == "down.batch_features.missed_runs")
        })
        .cloned()
        .unwrap_or_default();
    // 30 h ÷ 24 h = 1.25: one run missed at least, two at most.
    assert_eq!(
        (runs["low"].as_f64(), runs["high"].as_f64()),
        (Some(1.0), Some(2.0))
    );
    // At worst (2 missed + 1) × 1 day = 3 days old when the next run starts.
    close(
        figure(s, "down.batch_features.output_age"),
        3.0 * 86_400.0,
        1e-9,
    );
    // No per-second drain is made up for it.
    let ids: Vec<&str> = s["figures"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x["id"].as_str())
        .collect();
    assert!(!ids.iter().any(|i| i.contains("drain")), "{ids:?}");
}

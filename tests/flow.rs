//! The flow model (issue 14) on designs that are not the reference's: rates sum
//! where flows merge, flows carry what their factors say, limits bind in bytes
//! or records, parallelism is bounded by partitions, and paths wait once per job.
//! Every expected number is worked by hand in the comment beside it.

mod common;
use common::{check, figure, near, report, run};

const EXACT: f64 = 1e-6;

fn findings(path: &str) -> Vec<(String, String)> {
    let (_, out, _) = run(&["check", "--format", "json", path]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    v["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

const MERGE: &str = "tests/flow/merge_and_factors.dsd";

#[test]
fn two_sources_merge_into_one_topic_and_one_lake() {
    let r = report(&[MERGE]);
    // shop: the design's 5M orders/day at 10x = 5e6 / 86,400 × 10 = 578.70 orders/s.
    // web: its own 4,000M clicks/day at the design's 10x = 462,962.96 clicks/s.
    // events holds both: 578.70 + 462,962.96 = 463,541.67 records/s.
    near(&r, "node.events.peak_rate", 463_541.666_666, EXACT);
    // Bytes follow each schema: 578.70 × 200 B + 462,962.96 × 150 B
    //   = 115,740.74 + 69,444,444.44 = 69,560,185.19 B/s into `enrich`.
    near(&r, "flow.events->enrich.compressed", 69_560_185.185, EXACT);
    // ... which needs ceil(69.56 MB/s ÷ 50 MB/s) = 2 partitions of `events`.
    assert_eq!(check(&r, "broker.events.partitions")["needed"], 2.0);
    // The lake stores both per day: 5M × 500 B + 4,000M × 300 B = 2.5 GB + 1,200 GB.
    near(&r, "store.lake.daily_raw", 1_202.5e9 / 86_400.0, EXACT);
    // The derivation names both inputs.
    let d = figure(&r, "node.events.peak_rate")["derivation"]
        .as_str()
        .unwrap_or("");
    assert!(d.contains("`shop`") && d.contains("`web`"), "{d}");
}

#[test]
fn a_filter_keeps_its_fraction_and_a_fanout_multiplies() {
    let r = report(&[MERGE]);
    // keep 10%: 463,541.67 × 0.1 = 46,354.17 records/s, in Enriched (200 B
    // compressed, what `enrich` emits): 46,354.17 × 200 = 9,270,833.3 B/s.
    near(
        &r,
        "flow.enrich->suspicious.peak_rate",
        46_354.166_666,
        EXACT,
    );
    near(
        &r,
        "flow.enrich->suspicious.compressed",
        9_270_833.333,
        EXACT,
    );
    // fanout 3: 463,541.67 × 3 = 1,390,625 records/s × 200 B = 278.125 MB/s,
    // ceil(278.125 ÷ 50) = 6 partitions of `notifications`.
    near(
        &r,
        "flow.enrich->notifications.peak_rate",
        1_390_625.0,
        EXACT,
    );
    assert_eq!(check(&r, "broker.notifications.partitions")["needed"], 6.0);
    // A fixed rate: the daily rollup writes one row a day, 1 / 86,400 per second.
    near(&r, "flow.rollup->marts.peak_rate", 1.0 / 86_400.0, EXACT);
}

#[test]
fn a_dead_letter_flow_carries_the_error_fraction_and_one_partition_suffices() {
    let r = report(&[MERGE]);
    // `enrich_dlq` is the failure block's `dlq`: 1% by default, of the records as
    // they came in (Order and Click, not Enriched):
    // 5.787 × 200 B + 4,629.63 × 150 B = 1,157.41 + 694,444.44 = 695,601.85 B/s.
    near(
        &r,
        "flow.enrich->enrich_dlq.peak_rate",
        4_635.416_666,
        EXACT,
    );
    near(
        &r,
        "flow.enrich->enrich_dlq.compressed",
        695_601.851_85,
        EXACT,
    );
    let dlq = check(&r, "broker.enrich_dlq.partitions");
    assert_eq!(dlq["needed"], 1.0);
    assert_eq!(dlq["ok"], true);
    let d = figure(&r, "flow.enrich->enrich_dlq.peak_rate")["derivation"]
        .as_str()
        .unwrap_or("");
    assert!(d.contains("errors 1% (the default"), "{d}");
    // At the full 69.6 MB/s the DLQ's one partition would be exceeded; at 1% it is not.
    assert!(
        !findings(MERGE)
            .iter()
            .any(|(c, m)| c == "capacity-exceeded" && m.contains("enrich_dlq")),
        "{:?}",
        findings(MERGE)
    );
}

#[test]
fn rate_factors_out_of_range_are_errors() {
    let p = write_temp(
        "bad.dsd",
        "design d \"t\" {\n  source a : service\n  node b : stream_broker\n  node c : stream_broker\n  node e : stream_broker\n  flow a -> b stream keep 150%\n  flow a -> c stream fanout 0.5\n  flow a -> e stream keep 10% fanout 2\n}\n",
    );
    let (code, out, _) = run(&["check", "--format", "json", &p]);
    assert_eq!(code, 1, "{out}");
    let all = findings(&p);
    let bad: Vec<&String> = all
        .iter()
        .filter(|(c, _)| c == "invalid-value")
        .map(|(_, m)| m)
        .collect();
    assert_eq!(bad.len(), 3, "{all:?}");
    assert!(
        bad.iter()
            .any(|m| m.contains("keep 1.5") || m.contains("keep 150")),
        "{bad:?}"
    );
    assert!(bad.iter().any(|m| m.contains("two")), "{bad:?}");
}

/// A copy of a fixture with one piece of text replaced, in a temporary folder.
fn variant(path: &str, from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(text.contains(from), "{path} has no `{from}`");
    let name = std::path::Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    write_temp(&name, &text.replace(from, to))
}

/// Writes `text` as `name` in a temporary folder of its own (one per call, so
/// tests running at once never share a file); returns its path.
fn write_temp(name: &str, text: &str) -> String {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let k = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = common::temp_dir(&format!("flow-{k}"));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path.to_string_lossy().into_owned()
}

fn codes_and_messages(path: &str, code: &str) -> Vec<String> {
    findings(path)
        .into_iter()
        .filter(|(c, _)| c == code)
        .map(|(_, m)| m)
        .collect()
}

const KINESIS: &str = "tests/flow/kinesis_shards.dsd";

#[test]
fn kinesis_is_sized_by_its_own_limits_and_the_records_limit_binds() {
    let r = report(&[KINESIS]);
    // 100,000 records/s × 120 B = 12 MB/s. Per shard: 1 MB/s → 12 shards;
    // 1,000 records/s → 100 shards; 2 MB/s read, one consumer group → 6.
    // The largest binds: 100 shards, by records (Kafka's 50 MB/s would say 1).
    let c = check(&r, "broker.readings.partitions");
    assert_eq!(c["needed"], 100.0);
    assert_eq!(c["binding"], "write records");
    assert_eq!(c["ok"], true);
    let d = c["derivation"].as_str().unwrap_or("");
    assert!(
        d.contains("1 MB/s per partition") && d.contains("write records binds"),
        "{d}"
    );
    assert!(codes_and_messages(KINESIS, "capacity-exceeded").is_empty());
    // With 12 shards, the finding names the limit that binds.
    let twelve = variant(KINESIS, "partitions 100", "partitions 12");
    assert_eq!(
        codes_and_messages(&twelve, "capacity-exceeded"),
        vec!["`readings` needs 100 partitions at peak, has 12 (write records bind)".to_string()]
    );
}

const PARALLEL: &str = "tests/flow/parallelism.dsd";

#[test]
fn consumers_beyond_the_partitions_sit_idle() {
    let r = report(&[PARALLEL]);
    // 5,000 events/s × 1 ms = 5 threads needed. `matcher` runs 6 instances (one
    // thread each) on 4 partitions: only 4 get a partition, capacity 4 × 1,000/s.
    let m = check(&r, "node.matcher.threads");
    assert_eq!(m["needed"], 5.0);
    assert_eq!(m["provided"], 4.0);
    assert_eq!(m["ok"], false);
    assert_eq!(
        codes_and_messages(PARALLEL, "capacity-exceeded"),
        vec!["`matcher` needs 5 threads at peak, has 6 of which 4 can work".to_string()]
    );
    // `pricing` runs 2 instances × 4 threads on the same 4 partitions with
    // `concurrency per_record`: both instances get partitions, all 8 threads work.
    let p = check(&r, "node.pricing.threads");
    assert_eq!(p["provided"], 8.0);
    assert_eq!(p["ok"], true);
}

#[test]
fn exactly_enough_threads_is_enough_in_report_and_check_alike() {
    let path = "tests/flow/exact_threads.dsd";
    // 1 ÷ 0.02 ms = 50,000 events/s a thread; 400,000 ÷ 50,000 = 8.0 threads of 8.
    let r = report(&[path]);
    let c = check(&r, "node.scorer.threads");
    assert_eq!(c["needed"], 8.0);
    assert_eq!(c["ok"], true);
    assert!(codes_and_messages(path, "capacity-exceeded").is_empty());
    // 400,005 events/s needs 8.0001 threads: 9, in both.
    let r = report(&["--set", "peak=400005 events/s", path]);
    let c = check(&r, "node.scorer.threads");
    assert_eq!(c["needed"], 9.0);
    assert_eq!(c["ok"], false);
    let over = variant(
        path,
        "peak       400000 events/s",
        "peak       400005 events/s",
    );
    assert_eq!(
        codes_and_messages(&over, "capacity-exceeded"),
        vec!["`scorer` needs 9 threads at peak, has 8".to_string()]
    );
}

#[test]
fn a_limit_in_the_wrong_dimension_is_a_dimension_mismatch() {
    let p = write_temp(
        "tool.dsd",
        "tool fastq \"A queue\" : stream_broker {\n  per_partition 1000 records/s\n  per_partition_records 1 MB/s\n}\n",
    );
    let all = findings(&p);
    let dims: Vec<&String> = all
        .iter()
        .filter(|(c, _)| c == "dimension-mismatch")
        .map(|(_, m)| m)
        .collect();
    assert_eq!(dims.len(), 2, "{all:?}");
}

#[test]
fn the_report_says_when_a_check_runs_out_inside_the_declared_growth() {
    // Razorpay: 8 threads for 7 needed run out at 8/7 = 1.14x, inside its growth of 2x.
    let r = report(&["examples/razorpay_payments.dsd"]);
    assert_eq!(
        check(&r, "node.fraud.threads")["runs_out_within_growth"],
        true
    );
    // `payments`: 6 partitions for 0.36 MB/s run out far beyond 2x.
    assert_eq!(
        check(&r, "broker.payments.partitions")["runs_out_within_growth"],
        false
    );
}

#[test]
fn a_nightly_job_waits_for_its_schedule_once() {
    // shops -> lake every 15 min, then one daily job that reads the lake and
    // writes the marts: 15 min + 1 day = 1 day 15 min, inside 26 h. (Counting the
    // job's read and its write as two waits gave 2 days 15 min.)
    let path = "tests/flow/nightly_path.dsd";
    assert!(
        codes_and_messages(path, "latency-budget-exceeded").is_empty(),
        "{:?}",
        findings(path)
    );
    // At 24 h the same path is over: 15 min + 1 day + the warehouse's 1 s
    // answer (the role's latency floor) = 1 day 15 min 1 s, 15 min 1 s over.
    let day = variant(path, "reporting <= 26 h", "reporting <= 24 h");
    assert_eq!(
        codes_and_messages(&day, "latency-budget-exceeded"),
        vec![
            "path `reporting` takes up to 1 day 15 min 1 s, 15 min 1 s over its SLA of 1 day"
                .to_string()
        ]
    );
}

#[test]
fn a_declared_lookup_on_the_path_counts_and_is_named() {
    // 200 ms trigger + 5 ms per event + 300 ms lookup = 505 ms, 105 ms over 400 ms.
    let path = "tests/flow/lookup_path.dsd";
    let (_, out, _) = run(&["check", "--format", "json", path]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    let d = v["diagnostics"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["code"] == "latency-budget-exceeded"))
        .unwrap_or_else(|| panic!("no latency-budget-exceeded: {out}"));
    assert_eq!(
        d["message"],
        "path `scoring` takes up to 505 ms, 105 ms over its SLA of 400 ms"
    );
    assert!(
        out.contains("the largest part: scorer looks up profiles in 300 ms"),
        "{out}"
    );
}

#[test]
fn requirement_level_global_ordering_does_not_reach_a_dead_letter_queue() {
    // With `ordering global` as a requirement, the main topic must be one
    // partition; a dead-letter queue is not ordered. 40,000M clicks/day at 10x =
    // 4,629,630/s × 150 B ≈ 694 MB/s into `events`, over one partition's 100 MB/s;
    // 20% of it (139 MB/s) into `enrich_dlq` is over too, but only `events`
    // carries the requirement.
    let big = variant(MERGE, "volume 4000M clicks/day", "volume 40000M clicks/day");
    let text = std::fs::read_to_string(&big).unwrap_or_else(|e| panic!("{e}"));
    let text = text
        .replace(
            "    team       6\n",
            "    team       6\n    ordering   global\n",
        )
        .replace(
            "flow enrich -> enrich_dlq    stream\n",
            "flow enrich -> enrich_dlq    stream errors 20%\n",
        );
    std::fs::write(&big, text).unwrap_or_else(|e| panic!("{e}"));
    let conflicts = codes_and_messages(&big, "ordering-throughput-conflict");
    assert!(
        conflicts.iter().any(|m| m.contains("`events`")),
        "{conflicts:?}"
    );
    assert!(
        !conflicts.iter().any(|m| m.contains("enrich_dlq")),
        "{conflicts:?}"
    );
}

// Designs written from scratch by a reviewer who never read `src/`, with the
// figures worked by hand before dsd ran (tests/flow/independent/). Where dsd
// disagreed, the judgement is in the comment.

#[test]
fn independent_telemetry_design_matches_its_hand_arithmetic() {
    let path = "tests/flow/independent/grid_telemetry.dsd";
    let r = report(&[path]);
    // Meters 144M/day at 3x = 5,000/s; chargers 86.4M/day at 3x = 3,000/s;
    // the stream holds 8,000 records/s, 2.5 MB/s.
    near(&r, "node.telemetry.peak_rate", 8_000.0, EXACT);
    near(&r, "broker.telemetry.write_io", 2.5e6, EXACT);
    // Kinesis: 2.5 shards by bytes, 8 by records, 2.5 by reads: 8, and it has 6.
    let c = check(&r, "broker.telemetry.partitions");
    assert_eq!(
        (c["needed"].as_f64(), c["provided"].as_f64()),
        (Some(8.0), Some(6.0))
    );
    assert_eq!(c["binding"], "write records");
    // keep 5% of 8,000 = 400/s of alerts; errors 0.2% of 8,000 = 16/s dead-lettered.
    near(&r, "flow.normalizer->alerts.peak_rate", 400.0, EXACT);
    near(&r, "flow.normalizer->telemetry_dlq.peak_rate", 16.0, EXACT);
    // With no design volume and an absolute peak, the peak is shared over the
    // sources' own volumes: 8,000 ÷ (1,667 + 1,000) = 3x, so again 8 shards. (The
    // reviewer found dsd sized this at the average: 3 shards, and passed.)
    let abs = variant(
        path,
        "    volume     144M readings/day  // the meter fleet; chargers state their own below\n    peak       3x ",
        "    peak       8000 readings/s ",
    );
    let r = report(&[&abs]);
    assert_eq!(check(&r, "broker.telemetry.partitions")["needed"], 8.0);
    // Small files as the Parquet lake stores them: 72 GB/day raw ÷ 5 = 14.4 GB/day,
    // × 5 min ÷ 6 shard writers = 8.33 MB a file (dsd said 41.7 MB, from raw bytes).
    assert_eq!(
        codes_and_messages(path, "small-files"),
        vec!["`lake` gets files of about 8.33 MB every 5 min, far below ~100 MB".to_string()]
    );
}

#[test]
fn independent_adclick_design_counts_only_working_consumers_in_catch_up() {
    let path = "tests/flow/independent/adclick_pacing.dsd";
    let r = report(&[path]);
    // fanout 3 of 18,519 clicks/s = 55,556 events/s; pacing needs
    // ceil(55,556 × 0.25 ms) = 14 threads; 16 instances on 12 partitions: 12 work.
    near(
        &r,
        "flow.router->campaign_events.peak_rate",
        55_555.555_555,
        EXACT,
    );
    let c = check(&r, "node.pacing.threads");
    assert_eq!(
        (c["needed"].as_f64(), c["provided"].as_f64()),
        (Some(14.0), Some(12.0))
    );
    // The reviewer's catch-up: 12 × 4,000/s = 48,000/s is below the 55,556/s peak,
    // so the backlog never drains at peak (dsd used all 16: 64,000/s).
    let catch_up = figure(&r, "outage.pacing.catch_up");
    assert!(
        catch_up["error"]
            .as_str()
            .is_some_and(|e| e.contains("never drains")),
        "{catch_up}"
    );
    // Fanned-out records are CampaignEvents, not clicks.
    let d = figure(&r, "flow.router->campaign_events.peak_rate")["display"]
        .as_str()
        .unwrap_or("");
    assert!(!d.contains("clicks"), "{d}");
}

#[test]
fn independent_batch_and_lookup_paths_match_their_hand_totals() {
    // 15 min extract + one nightly job (once) + the job's store and the
    // warehouse's 1 s floors: 1 day 15 min 5 s, under its 26 h SLA.
    let claims = "tests/flow/independent/claims_elt.dsd";
    assert!(codes_and_messages(claims, "latency-budget-exceeded").is_empty());
    // 20..40 ms at the slow end + lookups with declared latency: 45.5 ms over 25 ms.
    let login = "tests/flow/independent/login_risk.dsd";
    assert_eq!(
        codes_and_messages(login, "latency-budget-exceeded"),
        vec![
            "path `login_decision` takes up to 45 ms 500 µs, 20 ms 500 µs over its SLA of 25 ms"
                .to_string()
        ]
    );
}

#[test]
fn rates_settle_on_graphs_full_of_cycles() {
    // 1,500 two-node cycles fed by one source, and 1,500 cycles fed by nothing:
    // every rate is computed once (cycles broken at the lowest-index node fed in
    // part), and the result is the same bytes twice.
    let mut text = String::from(
        "design loops \"cycles\" {\n  requirements {\n    volume 1M events/day\n    peak 2x\n  }\n  schema E v1 {\n    id string key\n    size raw 100 B\n    evolution backward via registry\n  }\n  source src : service { emits E v1 }\n",
    );
    for k in 0..3000 {
        text.push_str(&format!(
            "  node a{k} : stream_processor\n  node b{k} : stream_processor\n  flow a{k} -> b{k} stream\n  flow b{k} -> a{k} stream\n"
        ));
        if k % 2 == 0 {
            text.push_str(&format!("  flow src -> a{k} stream\n"));
        }
    }
    text.push_str("}\n");
    let p = write_temp("loops.dsd", &text);
    let (code, first, err) = run(&["report", "--format", "json", &p]);
    assert!(code == 0 || code == 1, "{err}");
    let (_, second, _) = run(&["report", "--format", "json", &p]);
    assert_eq!(first, second);
    // a0 is fed by the source only (the edge back from b0 carries what a0 holds):
    // 1M/day × 2 = 23.15 events/s at peak × 100 B = 2,314.8 B/s on a0 -> b0.
    let r: serde_json::Value = serde_json::from_str(&first).unwrap_or_else(|e| panic!("{e}"));
    near(&r, "flow.a0->b0.raw", 2e6 / 86_400.0 * 100.0, EXACT);
}

#[test]
fn msk_serverless_and_event_hubs_are_sized_by_their_own_figures() {
    // The same 100,000 readings/s × 120 B = 12 MB/s, one consumer group.
    // MSK Serverless: 5 MB/s in and 10 MB/s out per partition, 200 MB/s in and
    // 400 MB/s out per cluster: ceil(12 ÷ 5) = 3 partitions (write bytes bind;
    // reads need 1.2); the cluster takes 12 ÷ 200 = 0.06 of itself: 1.
    let msk = variant(
        KINESIS,
        "use kinesis for readings",
        "use msk_serverless for readings",
    );
    let r = report(&[&msk]);
    let c = check(&r, "broker.readings.partitions");
    assert_eq!(c["needed"], 3.0);
    assert_eq!(c["binding"], "write bytes");
    let cluster = check(&r, "broker.readings.cluster");
    assert_eq!(
        (cluster["needed"].as_f64(), cluster["ok"].as_bool()),
        (Some(1.0), Some(true))
    );
    // Event Hubs (Standard): 1 MB/s per partition: ceil(12 ÷ 1) = 12 partitions.
    let hubs = variant(
        KINESIS,
        "use kinesis for readings",
        "use event_hubs for readings",
    );
    let r = report(&[&hubs]);
    let c = check(&r, "broker.readings.partitions");
    assert_eq!(c["needed"], 12.0);
    assert_eq!(c["binding"], "");
}

const BIDDER: &str = "tests/flow/bidder.dsd";

/// The `missing-capacity-estimate` findings of a design: (message, label text).
fn capacity_gaps(path: &str) -> Vec<String> {
    findings(path)
        .into_iter()
        .filter(|(code, _)| code == "missing-capacity-estimate")
        .map(|(_, m)| m)
        .collect()
}

#[test]
fn the_design_volume_is_bound_to_the_source_it_names_and_the_report_says_so() {
    let r = report(&[BIDDER]);
    // exchange: 8bn bid_requests/day ÷ 86,400 × 3 = 277,777.78 bid_requests/s.
    near(&r, "source.exchange.peak_rate", 8e9 / 86_400.0 * 3.0, EXACT);
    let why = figure(&r, "source.exchange.peak_rate")["derivation"]
        .as_str()
        .unwrap_or("");
    assert!(why.contains("bound by `volume … from exchange`"), "{why}");
    // win_feed: its own 40M wins/day ÷ 86,400 = 462.96/s, × the design's 3x = 1,388.89.
    near(
        &r,
        "source.win_feed.peak_rate",
        40e6 / 86_400.0 * 3.0,
        EXACT,
    );
    let why = figure(&r, "source.win_feed.peak_rate")["derivation"]
        .as_str()
        .unwrap_or("");
    assert!(why.contains("its own `volume 40M wins/day`"), "{why}");
    // Every source has a rate: no gap is reported.
    assert_eq!(capacity_gaps(BIDDER), Vec::<String>::new());
    // --coverage says where each rate comes from.
    let (_, out, _) = run(&["check", "--coverage", BIDDER]);
    assert!(
        out.contains("`exchange` rate: design volume, `from`")
            && out.contains("`win_feed` rate: own volume"),
        "{out}"
    );
}

#[test]
fn a_lookup_carries_no_rate_into_the_node_that_reads() {
    let r = report(&[BIDDER]);
    // budgets is written by `wins` alone: the lookup is no second feed, so no
    // merge figure sums the two.
    let merged = r["figures"]
        .as_array()
        .is_some_and(|f| f.iter().any(|x| x["id"] == "node.budgets.peak_rate"));
    assert!(!merged, "the lookup was counted as a feed of `budgets`");
    // The bidder looks budgets up, and is sized by the requests alone:
    // ceil(277,777.78 × 1 ms) = 278 threads, not 278 + the wins' 1.39.
    assert_eq!(check(&r, "node.bidder.threads")["needed"], 278.0);
    let d = figure(&r, "node.bidder.threads_needed")["derivation"]
        .as_str()
        .unwrap_or("");
    assert!(d.starts_with("peak 277,778 bid_requests/s ÷"), "{d}");
}

#[test]
fn a_volume_bound_to_no_source_is_one_finding_that_says_how_to_bind_it() {
    // Neither the schema `Request` nor either name says `bid_request`.
    let p = variant(
        BIDDER,
        "8bn bid_requests/day from exchange",
        "8bn bid_requests/day",
    );
    let p = {
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        write_temp(
            "bidder.dsd",
            &text.replace("{ emits Win v1  volume 40M wins/day }", "{ emits Win v1 }"),
        )
    };
    let gaps = capacity_gaps(&p);
    // One hazard, one finding: not also "`peak` is never used".
    assert_eq!(
        gaps,
        vec![
            "the `volume` requirement is bound to no source: which of `exchange` and `win_feed` sends its bid_requests?"
                .to_string()
        ]
    );
    let (_, _, err) = run(&["check", &p]);
    assert!(err.contains("`volume … from exchange`"), "{err}");
    assert!(
        err.contains("`requests` and `wins` is checked without them"),
        "{err}"
    );
    // Bound, the other source's missing rate is its own finding, at that source.
    let bound = write_temp(
        "bidder.dsd",
        &std::fs::read_to_string(&p)
            .unwrap_or_default()
            .replace("8bn bid_requests/day", "8bn bid_requests/day from exchange"),
    );
    assert_eq!(
        capacity_gaps(&bound),
        vec![
            "`win_feed` has no rate, so the capacity of `wins` is checked without its records"
                .to_string()
        ]
    );
    let r = report(&[&bound]);
    let missing = figure(&r, "source.win_feed.peak_rate");
    assert!(missing["value"].is_null(), "{missing}");
}

#[test]
fn a_schema_named_after_the_noun_binds_and_several_sources_share_the_volume() {
    // `BidRequest` is the noun `bid_requests` in other words: bound by schema.
    let p = variant(
        BIDDER,
        "8bn bid_requests/day from exchange",
        "8bn bid_requests/day",
    );
    let p = write_temp(
        "bidder.dsd",
        &std::fs::read_to_string(&p)
            .unwrap_or_default()
            .replace("Request v1", "BidRequest v1"),
    );
    let r = report(&[&p]);
    near(&r, "source.exchange.peak_rate", 8e9 / 86_400.0 * 3.0, EXACT);
    let why = figure(&r, "source.exchange.peak_rate")["derivation"]
        .as_str()
        .unwrap_or("");
    assert!(why.contains("counts the records of `BidRequest`"), "{why}");
    // Bound to both, the volume is their total: each sends 277,777.78 ÷ 2 =
    // 138,888.89 records/s at peak, and `wins` now counts the win feed's share.
    let both = variant(BIDDER, "from exchange\n", "from exchange, win_feed\n");
    let both = write_temp(
        "bidder.dsd",
        &std::fs::read_to_string(&both)
            .unwrap_or_default()
            .replace("{ emits Win v1  volume 40M wins/day }", "{ emits Win v1 }"),
    );
    let r = report(&[&both]);
    near(
        &r,
        "source.exchange.peak_rate",
        8e9 / 86_400.0 * 3.0 / 2.0,
        EXACT,
    );
    near(
        &r,
        "source.win_feed.peak_rate",
        8e9 / 86_400.0 * 3.0 / 2.0,
        EXACT,
    );
    let why = figure(&r, "source.win_feed.peak_rate")["derivation"]
        .as_str()
        .unwrap_or("");
    assert!(why.contains("shared equally by the 2 sources"), "{why}");
}

#[test]
fn volume_from_names_a_source_that_exists_and_is_not_fed() {
    let unknown = variant(BIDDER, "from exchange\n", "from exchnage\n");
    let (code, _, err) = run(&["check", &unknown]);
    assert_eq!(code, 1);
    assert!(
        err.contains("unknown node `exchnage`") && err.contains("exchange"),
        "{err}"
    );
    let fed = variant(BIDDER, "from exchange\n", "from requests\n");
    let (_, _, err) = run(&["check", &fed]);
    assert!(
        err.contains("`volume … from requests`: `requests` is fed by flows"),
        "{err}"
    );
}

const AGGREGATE: &str = "tests/flow/aggregate.dsd";

#[test]
fn an_aggregation_emits_its_stated_output_not_its_input_rate() {
    let r = report(&[AGGREGATE]);
    // agg takes 5M orders/day × 10 ÷ 86,400 = 578.70 orders/s at peak ...
    // ceil(578.70 × 1 ms) = 1 thread: sized by what it takes in.
    assert_eq!(check(&r, "node.agg.threads")["needed"], 1.0);
    // ... and emits 50 rows/min = 0.8333 rows/s, at CityStats' 100 B raw:
    // 83.33 B/s on agg -> stats (not 578.70 × 100 = 57,870 B/s).
    near(&r, "node.agg.output_rate", 50.0 / 60.0, EXACT);
    near(&r, "flow.agg->stats.raw", 50.0 / 60.0 * 100.0, EXACT);
    // The topic after it carries the same: 0.8333 × 50 B × RF 1 = 41.67 B/s.
    near(&r, "broker.stats.write_io", 50.0 / 60.0 * 50.0, EXACT);
    let d = figure(&r, "node.agg.output_rate")["derivation"]
        .as_str()
        .unwrap_or("");
    assert_eq!(
        d,
        "`agg` states `output 50 rows/min`, from the 579 orders/s that reach it at peak"
    );
}

#[test]
fn a_volume_on_a_fed_node_is_an_error_that_points_to_output() {
    let p = variant(AGGREGATE, "output 50 rows/min", "volume 50 rows/min");
    let (code, err, _) = run(&["check", "--format", "concise", &p]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(
            "`agg` is fed by flows, so its rate is what reaches it, not a `volume` of its own"
        ) && err.contains("write `output 50 rows/min`"),
        "{err}"
    );
}

const TWO_TABLES: &str = "tests/flow/two_tables.dsd";

#[test]
fn one_connector_moves_two_tables_each_in_its_own_flow_with_its_own_key() {
    let r = report(&[TWO_TABLES]);
    // Orders: 5M/day × 3 ÷ 86,400 = 173.61 orders/s; customers: a fixed 1M rows/day
    // = 11.574 rows/s. The connector holds both: 185.19 records/s.
    near(
        &r,
        "node.connector.peak_rate",
        5e6 * 3.0 / 86_400.0 + 1e6 / 86_400.0,
        EXACT,
    );
    // Each flow out carries its own table only, at its own size: 173.61 × 500 B =
    // 86,805.6 B/s of orders and 11.574 × 300 B = 3,472.2 B/s of customers (before:
    // each flow carried both, 185.19 records/s, and the lake counted them twice).
    near(
        &r,
        "flow.connector->lake:Order.raw",
        5e6 * 3.0 / 86_400.0 * 500.0,
        EXACT,
    );
    near(
        &r,
        "flow.connector->lake:Customer.raw",
        1e6 / 86_400.0 * 300.0,
        EXACT,
    );
    near(
        &r,
        "node.lake.peak_rate",
        5e6 * 3.0 / 86_400.0 + 1e6 / 86_400.0,
        EXACT,
    );
    // Each write has its own merge key, so neither is a non-idempotent write.
    let codes: Vec<String> = findings(TWO_TABLES).into_iter().map(|(c, _)| c).collect();
    assert!(
        !codes.iter().any(|c| c == "non-idempotent-write"),
        "{codes:?}"
    );
    // The diagram labels each flow with its own key and bytes.
    let (_, mermaid, _) = run(&["mermaid", TWO_TABLES]);
    assert!(
        mermaid.contains("merge(order_id) · 34.7 KB/s at peak")
            && mermaid.contains("merge(customer_id) · 100 MB/day at peak"),
        "{mermaid}"
    );
}

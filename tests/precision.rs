//! Precision: one hazard gives one finding, from the rule that owns it, and every
//! finding's message and help are true of the design. Each test starts from a
//! clean design in `tests/precision/`, changes one thing, and says what dsd
//! said before the change that made it right.

use std::path::Path;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/precision")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `text` with each `(from, to)` replaced once; a replacement that finds nothing
/// is a broken test, not a silent no-op.
fn variant(text: &str, edits: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (from, to) in edits {
        assert!(out.contains(from), "`{from}` is not in the design");
        out = out.replacen(from, to, 1);
    }
    out
}

fn diagnostics(text: &str) -> Vec<dsd::diagnostic::Diagnostic> {
    dsd::compile("design.dsd", text, &dsd::NoImports).diagnostics
}

fn codes(text: &str) -> Vec<&'static str> {
    diagnostics(text).iter().map(|d| d.code).collect()
}

/// Every word of a diagnostic: message, labels and help.
fn words(d: &dsd::diagnostic::Diagnostic) -> String {
    let mut all = vec![d.message.clone(), d.primary.message.clone()];
    all.extend(d.secondary.iter().map(|l| l.message.clone()));
    all.extend(d.help.clone());
    all.join("\n")
}

/// The one finding of `code`, after asserting it is the only finding.
fn only(text: &str, code: &str) -> dsd::diagnostic::Diagnostic {
    let all = diagnostics(text);
    let found: Vec<&str> = all.iter().map(|d| d.code).collect();
    assert_eq!(
        found,
        [code],
        "{:#?}",
        all.iter().map(words).collect::<Vec<_>>()
    );
    all.into_iter()
        .next()
        .unwrap_or_else(|| panic!("no finding"))
}

#[test]
fn the_bases_are_clean() {
    for name in ["shipments.dsd", "nightly_marts.dsd"] {
        assert_eq!(codes(&fixture(name)), Vec::<&str>::new(), "{name}");
    }
}

/// A backfill that scans the OLTP primary and appends into the warehouse. Before:
/// unsafe-backfill, oltp-analytics and non-idempotent-write, three findings for
/// one plan. unsafe-backfill owns the backfill's read and its write.
#[test]
fn a_backfill_from_the_primary_is_one_finding() {
    let text = fixture("backfill_primary.dsd");
    let d = only(&text, "unsafe-backfill");
    let all = words(&d);
    assert!(
        all.contains("reads the production primary `orders_db`"),
        "{all}"
    );
    assert!(
        all.contains("`extract` writes into `wh` without a key"),
        "{all}"
    );
    // Reading a replica, in chunks, merging by key: nothing left to say.
    let safe = variant(
        &text,
        &[
            (
                "  node extract",
                "  node replica : oltp_database { replica_of orders_db }\n  node extract",
            ),
            (
                "flow orders_db -> extract batch read scan",
                "flow orders_db -> replica cdc\n  flow replica -> extract batch read range on created_at",
            ),
            ("batch write append", "batch write merge(order_id)"),
            (
                "use postgresql for orders_db",
                "use postgresql for orders_db, replica",
            ),
            (
                "from orders_db",
                "from replica  chunk by month  pause 5 s  skip_existing",
            ),
            (
                "path load = orders_db -> extract -> wh",
                "path load = replica -> extract -> wh",
            ),
            (
                "failure extract",
                "failure replica { detect replication_lag > 60 s; recover pause within 10 min }\n  failure extract",
            ),
        ],
    );
    assert_eq!(codes(&safe), Vec::<&str>::new());
}

/// Step 6 says `dedup Scan.scan_id at lake via merge`, but the write into the lake
/// says `append`. Before: the declaration silenced non-idempotent-write.
#[test]
fn a_dedup_declaration_does_not_make_an_append_idempotent() {
    let text = variant(
        &fixture("shipments.dsd"),
        &[
            (
                "flow scans    -> lake     stream write merge(scan_id)",
                "flow scans    -> lake     stream write append",
            ),
            (
                "  failure scanners",
                "  dedup Scan.scan_id at lake via merge\n\n  failure scanners",
            ),
        ],
    );
    let d = only(&text, "non-idempotent-write");
    let all = words(&d);
    assert!(all.contains("`scans` appends into `lake`"), "{all}");
    assert!(
        all.contains("step 6 says duplicates are removed here"),
        "{all}"
    );
    // With no mechanism on the write, the step-6 declaration names it.
    let unstated = variant(
        &text,
        &[("lake     stream write append", "lake     stream")],
    );
    assert_eq!(codes(&unstated), Vec::<&str>::new());
}

/// MERGE into plain object storage: the role cannot update a row. Before: counted
/// as idempotent, no finding.
#[test]
fn merge_into_object_storage_is_not_idempotent() {
    let text = variant(
        &fixture("shipments.dsd"),
        &[
            (
                "node lake       : table_format     { retain 2 years }",
                "node lake       : object_store     { retain 2 years  format parquet }",
            ),
            ("use delta_lake for lake", "use s3 for lake"),
        ],
    );
    let d = only(&text, "non-idempotent-write");
    let all = words(&d);
    assert!(all.contains("`scans` writes `merge` into `lake`"), "{all}");
    assert!(all.contains("no row-level update"), "{all}");
    // Overwriting a partition is what object storage can do.
    let overwrite = variant(
        &text,
        &[("write merge(scan_id)", "write overwrite partition(day)")],
    );
    assert_eq!(codes(&overwrite), Vec::<&str>::new());
}

/// Exactly-once through PostgreSQL with a plain append: ACID alone does not make
/// a retried INSERT harmless. Before: passed because `postgresql` is transactional.
#[test]
fn exactly_once_needs_more_than_an_acid_sink() {
    let base = variant(
        &fixture("shipments.dsd"),
        &[("at_least_once", "exactly_once")],
    );
    assert_eq!(
        codes(&base),
        Vec::<&str>::new(),
        "upsert and merge are keyed"
    );
    let text = variant(&base, &[("write upsert(parcel_id)", "write append")]);
    let d = only(&text, "exactly-once-unsupported");
    let all = words(&d);
    assert!(
        all.contains("the write from `tracker` into `tracking`"),
        "{all}"
    );
    assert!(
        all.contains("`postgresql` is transactional, but this write appends"),
        "{all}"
    );
    // Committing in the reader's transaction is the other way.
    let tx = variant(&base, &[("write upsert(parcel_id)", "write transactional")]);
    assert_eq!(codes(&tx), Vec::<&str>::new());
    // ... but not into a store that takes no part in transactions.
    let s3 = variant(
        &tx,
        &[
            (
                "node tracking   : oltp_database    { instances 2 }",
                "node tracking   : object_store     { format parquet }",
            ),
            ("use postgresql for tracking", "use s3 for tracking"),
        ],
    );
    let d = only(&s3, "exactly-once-unsupported");
    assert!(
        words(&d).contains("does not take part in transactions"),
        "{}",
        words(&d)
    );
}

/// The only `retries` is on the flow into a dead-letter queue. Before: "can deliver
/// twice: it retries failed calls", pinned on the tracker.
#[test]
fn retries_into_a_dead_letter_queue_are_not_retried_calls() {
    let text = variant(
        &fixture("shipments.dsd"),
        &[
            (
                "  node lake",
                "  node tracker_dlq : stream_broker { partitions 1  replication 3 }\n  node lake",
            ),
            (
                "flow scans    -> tracker  stream",
                "flow scans    -> tracker  stream\n  flow tracker  -> tracker_dlq stream retries 3 errors 1%",
            ),
            ("write upsert(parcel_id)", "write append"),
            ("use kafka for scans", "use kafka for scans, tracker_dlq"),
            (
                "  failure lake",
                "  failure tracker_dlq { detect dlq_depth > 100 scans;  recover replay after the fix within 1 h }\n  failure lake",
            ),
        ],
    );
    let d = only(&text, "non-idempotent-write");
    let all = words(&d);
    assert!(!all.contains("retries"), "{all}");
    assert!(
        all.contains("scanners -> scans -> tracker -> tracking"),
        "{all}"
    );
}

/// A source database that is only read does not "have producers that retry":
/// the job that reads it does the redelivering when it restarts. Before: the
/// finding started at `orders_db` with "can deliver twice: its producers retry
/// under at-least-once delivery" and the way "orders_db -> extract -> wh".
#[test]
fn a_database_that_is_only_read_does_not_redeliver() {
    let text = variant(
        &fixture("backfill_primary.dsd"),
        &[
            (
                "  backfill orders_3y {\n    from orders_db\n    to   wh\n    range 3 years\n  }\n",
                "",
            ),
            ("batch read scan", "batch read range on created_at"),
        ],
    );
    // The range reads on the primary are oltp-analytics' own finding.
    assert_eq!(
        codes(&text),
        ["oltp-analytics", "non-idempotent-write"],
        "{text}"
    );
    let all: String = diagnostics(&text)
        .iter()
        .filter(|d| d.code == "non-idempotent-write")
        .map(words)
        .collect();
    assert!(!all.contains("producers retry"), "{all}");
    assert!(
        all.contains("records can arrive twice: extract -> wh"),
        "{all}"
    );
    assert!(
        all.contains("a restarted or retried job processes its last batch again"),
        "{all}"
    );
    // With a replica in between, the same: the replica applies the primary's
    // log by position, and the job is where records can repeat.
    let text = variant(
        &text,
        &[
            (
                "source orders_db : oltp_database { emits Order v1 }",
                "source orders_db : oltp_database { emits Order v1 }\n  node orders_ro : oltp_database { replica_of orders_db }",
            ),
            (
                "flow orders_db -> extract",
                "flow orders_db -> orders_ro cdc\n  flow orders_ro -> extract",
            ),
            (
                "use postgresql for orders_db",
                "use postgresql for orders_db, orders_ro",
            ),
            ("path load = orders_db", "path load = orders_ro"),
            (
                "  failure extract",
                "  failure orders_ro { detect replication_lag > 60 s; recover resync within 1 h }\n  failure extract",
            ),
        ],
    );
    let d = only(&text, "non-idempotent-write");
    let all = words(&d);
    assert!(!all.contains("producers retry"), "{all}");
}

/// A `volume` in a unit nobody declared. Before: also "`peak` as a factor needs
/// `volume` above it", although the volume is right there.
#[test]
fn an_unknown_volume_unit_is_one_error() {
    let text = variant(&fixture("shipments.dsd"), &[("  noun scan\n", "")]);
    let all = diagnostics(&text);
    let messages: Vec<&str> = all.iter().map(|d| d.message.as_str()).collect();
    assert!(messages.contains(&"unknown unit `scans`"), "{messages:?}");
    assert!(
        !messages.iter().any(|m| m.contains("`peak` as a factor")),
        "{messages:?}"
    );
}

/// A topic feeds a 2-year archive and, through an indexer, a search engine. Before:
/// "a search engine is the only store", because the rule looked only upstream of
/// the search node for a durable store.
#[test]
fn a_search_index_beside_an_archive_has_a_primary_store() {
    let text = variant(
        &fixture("shipments.dsd"),
        &[
            (
                "  node registry",
                "  node indexer    : stream_processor { per_event 1 ms  threads 2  instances 2 }\n  node search     : search_engine    { instances 3 }\n  node registry",
            ),
            (
                "  flow registry -> scans",
                "  flow scans    -> indexer  stream\n  flow indexer  -> search   stream write upsert(scan_id)\n  flow registry -> scans",
            ),
            (
                "  use confluent_schema_registry",
                "  use elasticsearch for search\n    because   \"depot staff search scans by parcel and text\"\n    accepting \"an index to rebuild from the lake after a mapping change\"\n  use flink for indexer\n    because   \"the same runtime as the tracker\"\n    accepting \"one more job\"\n  use confluent_schema_registry",
            ),
            (
                "  failure registry",
                "  failure indexer  { detect consumer_lag > 100000 scans;  recover restart from checkpoint within 10 min;  dlq indexer_dlq after 3 retries }\n  failure search   { detect cluster_status > 1;  recover \"reindex from the lake\" within 2 h }\n  failure registry",
            ),
        ],
    );
    assert_eq!(codes(&text), Vec::<&str>::new());
    // Without the archive the index is the only copy.
    let alone = variant(
        &text,
        &[
            (
                "  flow scans    -> lake     stream write merge(scan_id)\n",
                "",
            ),
            (
                "  node lake       : table_format     { retain 2 years }\n",
                "",
            ),
            (
                "  use delta_lake for lake\n    because   \"MERGE on scan_id makes replays harmless\"\n    accepting \"compaction jobs\"\n",
                "",
            ),
            (
                "  failure lake     { detect merge_failures > 0;  recover rerun the merge within 1 h }\n",
                "",
            ),
            (
                "retention  lake >= 2 years",
                "retention  tracking >= 2 years",
            ),
            (
                "node tracking   : oltp_database    { instances 2 }",
                "node tracking   : search_engine    { instances 2 }",
            ),
            ("use postgresql for tracking", "use opensearch for tracking"),
            (
                "write upsert(parcel_id)",
                "write upsert(parcel_id)  latency 1 s",
            ),
        ],
    );
    let found: Vec<&str> = codes(&alone)
        .into_iter()
        .filter(|c| *c == "storage-access-mismatch")
        .collect();
    assert_eq!(found.len(), 2, "{:?}", codes(&alone));
}

/// A range on DynamoDB's sort key within one partition key is what DynamoDB does.
/// Before: "a range query on `history`, a kv_store, which does not serve it".
#[test]
fn a_range_within_a_partition_key_fits_a_wide_column_store() {
    let base = variant(
        &fixture("shipments.dsd"),
        &[
            (
                "  node lake",
                "  node history    : kv_store         { key parcel_id }\n  node api        : serving_api      { instances 2 }\n  node lake",
            ),
            (
                "  flow registry -> scans",
                "  flow tracker  -> history  stream write upsert(scan_id)\n  flow api      -> history  read range on scanned_at\n  flow registry -> scans",
            ),
            (
                "  use confluent_schema_registry",
                "  use dynamodb for history\n    because   \"a parcel's scans by time: partition key parcel_id, sort key scanned_at\"\n    accepting \"capacity units to watch\"\n  use confluent_schema_registry",
            ),
            (
                "  failure registry",
                "  failure history  { detect throttled_requests > 0;  recover \"raise capacity\" within 10 min }\n  failure api      { detect p99 latency > 200 ms;  recover \"add instances\" within 10 min }\n  failure registry",
            ),
        ],
    );
    assert_eq!(codes(&base), Vec::<&str>::new());
    // A range on the partition key itself reads every partition.
    let across = variant(
        &base,
        &[("read range on scanned_at", "read range on parcel_id")],
    );
    let d = only(&across, "storage-access-mismatch");
    assert!(
        words(&d).contains("this range runs on the partition key"),
        "{}",
        words(&d)
    );
    // A store with no range within a key (Memcached) still does not serve it.
    let memcached = variant(
        &base,
        &[
            ("use dynamodb for history", "use memcached for history"),
            ("{ key parcel_id }", "{ key parcel_id  instances 3 }"),
        ],
    );
    let d = only(&memcached, "storage-access-mismatch");
    assert!(words(&d).contains("DynamoDB, Cassandra"), "{}", words(&d));
}

fn shipments_with_cache(ttl: &str) -> String {
    variant(
        &fixture("shipments.dsd"),
        &[
            (
                "    team       6\n",
                "    team       6\n    freshness  status_cache <= 10 s\n",
            ),
            (
                "  node registry",
                &format!(
                    "  node status_cache : kv_store {{ ttl {ttl}  instances 3 }}\n  node registry"
                ),
            ),
            (
                "  flow registry -> scans",
                "  flow tracker  -> status_cache stream write upsert(parcel_id)\n  flow registry -> scans",
            ),
            (
                "  use confluent_schema_registry",
                "  use redis_cluster for status_cache\n    because   \"the app asks for a parcel's status thousands of times a second\"\n    accepting \"memory for 50M keys\"\n  use confluent_schema_registry",
            ),
            (
                "  failure registry",
                "  failure status_cache { detect evictions > 1000;  recover \"fall back to the tracking table\" within 5 min }\n  failure registry",
            ),
        ],
    )
}

/// A cache rewritten by a stream within seconds, with a 1 h TTL, under a 10 s
/// freshness requirement. Before: stale-serving ("may serve data 1 h old"), which
/// the reference's Designs 3 and 5 had to `allow`. The TTL only decides what is
/// served once the writer stops; the refresh path decides freshness.
#[test]
fn a_ttl_is_the_fallback_not_the_staleness_bound() {
    assert_eq!(codes(&shipments_with_cache("1 h")), Vec::<&str>::new());
    // A daily batch also writing the cache does not make the stream's data old.
    let both = variant(
        &shipments_with_cache("1 h"),
        &[(
            "  flow registry -> scans",
            "  flow lake     -> status_cache batch daily write upsert(parcel_id)\n  flow registry -> scans",
        )],
    );
    assert_eq!(codes(&both), Vec::<&str>::new());
    // Fed only by a job that runs every minute, it is a minute old.
    let slow = variant(
        &shipments_with_cache("1 h"),
        &[(
            "flow tracker  -> status_cache stream",
            "flow tracker  -> status_cache batch every 1 min",
        )],
    );
    let d = only(&slow, "stale-serving");
    assert!(
        words(&d).contains("`tracker` runs every 1 min"),
        "{}",
        words(&d)
    );
}

/// Three nightly jobs on a path under `freshness finance <= 1 day`. One Airflow
/// DAG triggers them in order after one schedule: a day old, fine. On three cron
/// schedules of their own each can just miss the last run: three days. Before: only
/// the last store's refresh counted, so both passed.
#[test]
fn freshness_adds_up_along_the_refresh_path() {
    let text = fixture("nightly_marts.dsd");
    assert_eq!(codes(&text), Vec::<&str>::new());
    let crons = variant(
        &text,
        &[(
            "  flow scheduler  -> load\n  flow scheduler  -> models\n",
            "",
        )],
    );
    let d = only(&crons, "stale-serving");
    let all = words(&d);
    // extract (after the DAG's trigger) 1 day + load 1 day + models 1 day.
    assert!(all.contains("`board` may serve data 3 days old"), "{all}");
    assert!(
        all.contains("`load` runs every 1 day") && all.contains("`models` runs every 1 day"),
        "{all}"
    );
}

/// The same three jobs on cron schedules of their own, at stated times: extract
/// at 01:00, load at 02:00, models at 04:00. Each picks up the one before at its
/// next run, an offset, not a whole day later. Worst case: a row changed just
/// after 01:00 waits 1 day for extract, then 1 h for load and 2 h for models:
/// 24 + 1 + 2 = 27 h = 1.125 days (not the 3 days of unstated times). Still
/// over `finance <= 1 day`, and the finding says so with the offsets.
#[test]
fn staggered_schedules_add_their_offsets_not_whole_periods() {
    let text = variant(
        &fixture("nightly_marts.dsd"),
        &[
            (
                "  flow scheduler  -> load\n  flow scheduler  -> models\n",
                "",
            ),
            ("  flow scheduler  -> extract\n", ""),
            (
                "node extract      : batch_processor",
                "node extract      : batch_processor { schedule daily 01:00 }",
            ),
            (
                "node load         : batch_processor",
                "node load         : batch_processor { schedule daily 02:00 }",
            ),
            (
                "node models       : transformer",
                "node models       : transformer     { schedule daily 04:00 }",
            ),
        ],
    );
    let d = only(&text, "stale-serving");
    let all = words(&d);
    // 1.125 days, shown to three figures (ties round to even).
    assert!(
        all.contains("`board` may serve data 1.12 days old"),
        "{all}"
    );
    assert!(
        all.contains("1 h (`load` runs 1 h after `extract`)")
            && all.contains("2 h (`models` runs 2 h after `load`)"),
        "{all}"
    );
    // Models at 02:00 too would run beside load, not after it: it sees load's
    // output a day later, 1 day + 1 h + 1 day.
    let same = variant(
        &text,
        &[("{ schedule daily 04:00 }", "{ schedule daily 02:00 }")],
    );
    let all = words(&only(&same, "stale-serving"));
    assert!(
        all.contains("`board` may serve data 2.04 days old"),
        "{all}"
    );
}

/// The team of 3 runs Airflow and Metabase. Before: "runs 4 self-managed systems:
/// airflow, dbt, postgresql, python_job", counting billing's own database (a
/// source another team runs), dbt models and Python jobs (code, not systems).
#[test]
fn a_team_runs_systems_not_code_or_other_teams_databases() {
    let text = variant(
        &fixture("nightly_marts.dsd"),
        &[("team       3", "team       1")],
    );
    let d = only(&text, "over-engineering");
    assert!(
        d.message
            .contains("a team of 1 runs 2 self-managed systems: airflow, metabase"),
        "{}",
        d.message
    );
}

/// 10k scans a day through Kafka and Flink. Before: nothing, because the latency
/// requirement is tight; the reference: "a 5-person startup with 10k events/day
/// does not need Kafka".
#[test]
fn a_broker_for_a_trickle_is_over_engineering() {
    // 10,000/day ÷ 86,400 s × 3 = 0.347 scans/s at peak, under 10/s.
    let text = variant(
        &fixture("shipments.dsd"),
        &[("volume     20M scans/day", "volume     10k scans/day")],
    );
    let d = only(&text, "over-engineering");
    assert!(
        d.message
            .contains("`scans` is a streaming broker for 0.347 scans/s at peak"),
        "{}",
        d.message
    );
    // 20M a day is 694 scans/s at peak: a broker earns its keep.
    assert_eq!(codes(&fixture("shipments.dsd")), Vec::<&str>::new());
}

/// The tracker's failure block says "retry" in its recovery and names no DLQ.
/// Before: the word `retry` passed missing-dlq; a poison record fails every retry.
#[test]
fn a_retry_is_not_a_dead_letter_queue() {
    let text = variant(
        &fixture("shipments.dsd"),
        &[(
            "recover restart from checkpoint within 10 min;  dlq tracker_dlq after 3 retries",
            "recover retry with backoff within 10 min",
        )],
    );
    let d = only(&text, "missing-dlq");
    assert!(
        words(&d).contains("a poison record fails every retry"),
        "{}",
        words(&d)
    );
}

/// Enforcement of a stream's evolution policy. Before: `via` any word, or any topic
/// name ending in `vN`, passed.
#[test]
fn schema_evolution_is_enforced_by_a_registry_or_the_matching_topic_version() {
    let base = variant(
        &fixture("shipments.dsd"),
        &[
            ("  node registry   : schema_registry\n", ""),
            ("  flow registry -> scans\n", ""),
            (
                "  use confluent_schema_registry for registry\n    because   \"producers register, incompatible scans are refused\"\n    accepting \"one more service\"\n",
                "",
            ),
            (
                "  failure registry { detect registry_errors > 0;  recover restart within 10 min }\n",
                "",
            ),
        ],
    );
    // `via registry` names the enforcement.
    assert_eq!(codes(&base), Vec::<&str>::new());
    let review = variant(
        &base,
        &[(
            "evolution backward via registry",
            "evolution backward via code_review",
        )],
    );
    let d = only(&review, "no-schema-evolution");
    assert!(
        words(&d).contains("`via code_review` is not checked where records are produced"),
        "{}",
        words(&d)
    );
    // A topic per version enforces when it is the version carried.
    let v2 = variant(
        &review,
        &[(
            "key parcel_id  retain 7 days",
            "key parcel_id  retain 7 days  topic scans.v2",
        )],
    );
    assert_eq!(codes(&v2), Vec::<&str>::new());
    let v1 = variant(
        &review,
        &[(
            "key parcel_id  retain 7 days",
            "key parcel_id  retain 7 days  topic scans.v1",
        )],
    );
    let d = only(&v1, "no-schema-evolution");
    assert!(
        words(&d).contains("topic `scans.v1` is version 1, but it carries `Scan v2`"),
        "{}",
        words(&d)
    );
}

/// An ops board refreshing every 10 s reads an API that queries Snowflake. Before:
/// only a dashboard's direct inputs were looked at, so the API hid the warehouse.
#[test]
fn a_warehouse_behind_an_api_still_serves_the_board() {
    let text = variant(
        &fixture("nightly_marts.dsd"),
        &[
            ("freshness  finance <= 1 day", "freshness  finance <= 26 h"),
            (
                "  node board        : dashboard\n",
                "  node board        : dashboard       { refresh every 10 s }\n  node api          : serving_api     { instances 2 }\n",
            ),
            (
                "  flow marts      -> board      read scan\n",
                "  flow marts      -> api        read scan\n  flow api        -> board\n",
            ),
            (
                "  use metabase for board",
                "  use fastapi for api\n    because   \"one endpoint the ops screen polls\"\n    accepting \"an API to deploy\"\n  use metabase for board",
            ),
            (
                "path finance = billing_ro -> extract -> raw -> load -> wh -> models -> marts -> board",
                "path finance = billing_ro -> extract -> raw -> load -> wh -> models -> marts -> api -> board",
            ),
            (
                "  failure board ",
                "  failure api        { detect error_rate > 1 %;  recover restart within 5 min }\n  failure board ",
            ),
        ],
    );
    let d = only(&text, "warehouse-realtime-serving");
    let all = words(&d);
    assert!(
        all.contains("`board` refreshes every 10 s, but it is served by the warehouse `marts`"),
        "{all}"
    );
    // A warehouse whose cold query is under a tenth of the refresh serves it.
    let fast = variant(
        &text,
        &[
            (
                "design nightly_marts",
                "tool quickhouse \"Quick\" : warehouse { cold_query 50 ms }\n\ndesign nightly_marts",
            ),
            (
                "use snowflake for wh, marts",
                "use quickhouse for wh, marts",
            ),
        ],
    );
    assert_eq!(codes(&fast), Vec::<&str>::new());
}

/// A plain `redis` on a serving path with no `instances`. Before: nothing, because
/// only `instances 1` written out counted.
#[test]
fn a_plain_redis_is_one_instance_unless_the_design_says_otherwise() {
    let text = variant(
        &shipments_with_cache("1 h"),
        &[
            (
                "use redis_cluster for status_cache",
                "use redis for status_cache",
            ),
            ("kv_store { ttl 1 h  instances 3 }", "kv_store { ttl 1 h }"),
        ],
    );
    // The status cache is read by nothing yet: put an API on it.
    let text = variant(
        &text,
        &[
            (
                "  node registry",
                "  node status_api : serving_api { instances 2 }\n  node registry",
            ),
            (
                "  flow registry -> scans",
                "  flow status_cache -> status_api read lookup by parcel_id\n  flow registry -> scans",
            ),
            (
                "  failure registry",
                "  failure status_api { detect error_rate > 1 %;  recover restart within 5 min }\n  failure registry",
            ),
        ],
    );
    let d = only(&text, "single-point-of-failure");
    assert!(
        words(&d).contains("`redis` runs as one process unless told otherwise"),
        "{}",
        words(&d)
    );
    let replicated = variant(
        &text,
        &[("kv_store { ttl 1 h }", "kv_store { ttl 1 h  instances 2 }")],
    );
    assert_eq!(codes(&replicated), Vec::<&str>::new());
}

/// Every node that holds or moves data needs a failure mode, on a path or not.
/// Before: only path nodes were asked, and coverage called step 7 covered with
/// 4 of 16 nodes.
#[test]
fn every_node_that_holds_or_moves_data_has_a_failure_mode() {
    let text = variant(
        &fixture("shipments.dsd"),
        &[(
            "  failure lake     { detect merge_failures > 0;  recover rerun the merge within 1 h }\n",
            "",
        )],
    );
    let d = only(&text, "uncovered-failure");
    assert!(
        d.message
            .contains("`lake` holds data but has no failure mode"),
        "{}",
        d.message
    );
    // A reasoned allow is the other answer.
    let allowed = format!(
        "{}  allow uncovered-failure on lake because \"Delta commits are atomic; a failed merge is rerun from Kafka\"\n}}\n",
        &text[..text.rfind('}').unwrap_or(text.len())]
    );
    assert_eq!(codes(&allowed), Vec::<&str>::new());
}

/// `volume` with no `let` that names it, but `peak 3x` scales it and the flow
/// model sizes every topic and store from it. Before: "the `volume` requirement
/// is never used". A nightly batch with nothing that runs at peak is not told its
/// `peak` is unused either: missing-requirement asked for it, and there is
/// nothing to hold it to.
#[test]
fn a_requirement_the_flow_model_reads_is_used() {
    let text = variant(
        &fixture("shipments.dsd"),
        &[("  let daily = volume * Scan.size.raw as GB/day\n", "")],
    );
    assert_eq!(codes(&text), Vec::<&str>::new());
    let nightly = variant(
        &fixture("nightly_marts.dsd"),
        &[("  let burst = peak as subscriptions/s\n", "")],
    );
    assert_eq!(codes(&nightly), Vec::<&str>::new());
}

/// A service that only receives (a pager) is where data ends. Before: "source
/// `pager` feeds nothing".
#[test]
fn a_receiving_service_is_not_a_source() {
    let text = variant(
        &fixture("shipments.dsd"),
        &[
            (
                "  node registry",
                "  node pager       : service\n  node registry",
            ),
            (
                "  flow registry -> scans",
                "  flow tracker  -> pager    stream keep 1%\n  flow registry -> scans",
            ),
        ],
    );
    assert_eq!(codes(&text), Vec::<&str>::new());
}

/// A Postgres only the nightly job fills and analysts read is an analytics
/// store. Before: "scans the production OLTP primary".
#[test]
fn an_analytics_postgres_is_not_a_production_primary() {
    let text = variant(
        &fixture("nightly_marts.dsd"),
        &[
            (
                "  node marts        : warehouse",
                "  node marts        : oltp_database",
            ),
            ("use snowflake for wh, marts", "use snowflake for wh"),
            (
                "  use dbt for models",
                "  use postgresql for marts\n    because   \"the finance team's own small Postgres\"\n    accepting \"vacuum\"\n  use dbt for models",
            ),
        ],
    );
    assert_eq!(codes(&text), Vec::<&str>::new());
    // Put the customer API on it and the board's scans compete with live reads.
    let live = variant(
        &text,
        &[
            (
                "  node scheduler",
                "  node portal       : serving_api     { instances 2 }\n  node scheduler",
            ),
            (
                "  flow scheduler  -> extract",
                "  flow marts      -> portal     read lookup by subscription_id\n  flow scheduler  -> extract",
            ),
            (
                "  failure board ",
                "  failure portal     { detect error_rate > 1 %;  recover restart within 5 min }\n  failure board ",
            ),
        ],
    );
    let d = only(&live, "oltp-analytics");
    assert!(
        d.message
            .contains("`board` scans the production OLTP primary `marts`"),
        "{}",
        d.message
    );
}

/// One unmasked field leaves the zone where the topic feeds the lake. Before: a
/// finding per node it reached outside the zone, each telling to mask "on the
/// job that feeds it"; now one finding at the boundary names the node to mask on.
#[test]
fn one_leak_is_one_pii_finding_at_the_boundary() {
    let text = variant(
        &fixture("shipments.dsd"),
        &[
            (
                "    depot_id    string     cardinality 900\n",
                "    depot_id    string     cardinality 900\n    recipient   string     pii\n",
            ),
            (
                "    delivery   at_least_once\n",
                "    delivery   at_least_once\n    compliance gdpr\n",
            ),
            (
                "  path tracking",
                "  zone eu { scanners, scans, tracker, tracking }\n\n  path tracking",
            ),
        ],
    );
    let d = only(&text, "pii-exposed");
    let all = words(&d);
    assert!(
        all.contains("PII field `recipient` reaches `lake`"),
        "{all}"
    );
    assert!(
        all.contains("`mask recipient` (or `tokenize`) on `scans`, where it leaves the zone"),
        "{all}"
    );
}

/// The tracker windows scans by `scanned_at` with no watermark. Before: help said
/// `late_data Scan.occurred_at …`, a field Scan does not have; and a watermark
/// declared `at` another node covered this window too.
#[test]
fn a_watermark_help_names_the_real_field_and_covers_only_its_node() {
    let text = variant(
        &fixture("shipments.dsd"),
        &[(
            "{ per_event 2 ms  threads 4  instances 3 }",
            "{ per_event 2 ms  threads 4  instances 3  window tumbling 1 min on scanned_at }",
        )],
    );
    let d = only(&text, "missing-watermark");
    assert!(
        words(&d).contains("`late_data Scan.scanned_at watermark 30 s at tracker`"),
        "{}",
        words(&d)
    );
    let elsewhere = variant(
        &text,
        &[(
            "  failure scanners",
            "  late_data Scan.scanned_at watermark 30 s at lake\n\n  failure scanners",
        )],
    );
    assert_eq!(codes(&elsewhere), ["missing-watermark"]);
    let here = variant(
        &text,
        &[(
            "  failure scanners",
            "  late_data Scan.scanned_at watermark 30 s at tracker\n\n  failure scanners",
        )],
    );
    assert_eq!(codes(&here), Vec::<&str>::new());
}

/// Global ordering at 20M scans/day × 3 over the slow-end partition: the help
/// names this design's key, not `customer_id`.
#[test]
fn ordering_help_names_the_designs_own_key() {
    let text = variant(
        &fixture("shipments.dsd"),
        &[
            (
                "    team       6\n",
                "    team       6\n    ordering   global\n",
            ),
            (
                "size raw 400 B, compressed 150 B",
                "size raw 400 KB, compressed 150 KB",
            ),
        ],
    );
    let found = diagnostics(&text);
    let d = found
        .iter()
        .find(|d| d.code == "ordering-throughput-conflict")
        .unwrap_or_else(|| panic!("{:?}", found.iter().map(words).collect::<Vec<_>>()));
    let all = words(d);
    assert!(
        all.contains("`ordering per_key parcel_id` with `key parcel_id`"),
        "{all}"
    );
    assert!(!all.contains("customer_id"), "{all}");
}

/// A tracking page: the API takes 20 ms and reads its table in 5 ms, under a 20 ms
/// SLA. Before: "takes up to 35 ms, 15 ms over", the lookup counted at the store,
/// on the flow and at the reader. It is one lookup: 25 ms, 5 ms over.
#[test]
fn a_lookup_on_a_path_counts_once() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/seeded/latency-budget-exceeded/parcel_tracking.dsd");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let d = only(&text, "latency-budget-exceeded");
    assert!(
        d.message
            .contains("takes up to 25 ms, 5 ms over its SLA of 20 ms"),
        "{}",
        d.message
    );
}

/// The flags the resolver reads are words a `tool` block may hold (completion
/// and unknown-property checks read `TOOL`).
#[test]
fn every_tool_flag_is_a_tool_word() {
    for flag in dsd::ast::keys::TOOL_FLAGS {
        assert!(dsd::ast::keys::TOOL.contains(flag), "{flag}");
    }
}

/// A rate times a time is how many are in flight at once (Little's law): the
/// product keeps the rate's noun ("13.9 scans" in flight), but rounded up with
/// `ceil` it counts the workers that hold them, not scans (issue 21: "2
/// hl7_messages" read as a count of messages where threads were meant): a
/// bare number, which `as threads` names when the design declares `noun
/// thread`.
/// 20M scans/day × 3 ÷ 86,400 s = 694.4 scans/s; × 20 ms = 13.9; ceil → 14.
#[test]
fn a_rate_times_a_time_is_a_count_in_flight() {
    let value = |text: &str| {
        let c = dsd::compile("design.dsd", text, &dsd::NoImports);
        c.designs
            .first()
            .and_then(|d| d.design.lets.iter().find(|b| b.name == "busy"))
            .map(|b| b.value.display())
    };
    let base = fixture("shipments.dsd");
    let plain = variant(
        &base,
        &[(
            "  let burst = peak as scans/s\n",
            "  let burst = peak as scans/s\n  let busy = ceil(burst * 20 ms)\n",
        )],
    );
    assert_eq!(value(&plain).as_deref(), Some("14"));
    let in_flight = variant(
        &base,
        &[(
            "  let burst = peak as scans/s\n",
            "  let burst = peak as scans/s\n  let busy = burst * 20 ms\n",
        )],
    );
    assert_eq!(value(&in_flight).as_deref(), Some("13.9 scans"));
    let threads = variant(
        &base,
        &[(
            "  let burst = peak as scans/s\n",
            "  let burst = peak as scans/s\n  noun thread\n  let busy = ceil(burst * 20 ms) as threads\n",
        )],
    );
    assert_eq!(value(&threads).as_deref(), Some("14 threads"));
}

/// A trade-off clause that fills the slot says nothing. Before: `accepting
/// "nothing"` passed missing-tradeoff.
#[test]
fn accepting_nothing_is_no_trade_off() {
    let text = variant(
        &fixture("shipments.dsd"),
        &[("accepting \"", "accepting \"n/a\" // \"")],
    );
    let d = only(&text, "missing-tradeoff");
    assert!(d.message.contains("says nothing: \"n/a\""), "{}", d.message);
    for filler in [
        "nothing",
        "None.",
        "TBD",
        "no downsides",
        "nothing: it is fully managed",
    ] {
        let text = variant(
            &fixture("shipments.dsd"),
            &[("accepting \"", &format!("accepting \"{filler}\" // \""))],
        );
        assert_eq!(codes(&text), ["missing-tradeoff"], "{filler}");
    }
    let named = variant(
        &fixture("shipments.dsd"),
        &[(
            "accepting \"",
            "accepting \"nothing beyond the licence\" // \"",
        )],
    );
    assert!(codes(&named).is_empty(), "{named}");
}

/// `channel` renamed `sales_channel` with a default, under backward
/// compatibility: the registry accepts the change (a new reader of old data
/// fills the default). What breaks is `enrich`, still on v1: it expects
/// `channel`, which v2 no longer writes. Before: "the change breaks backward
/// compatibility", which was not so and named no reason.
#[test]
fn a_rename_with_a_default_names_the_old_reader_it_breaks() {
    let text = "design r {\n  schema Order v1 { order_id string key  channel string  evolution backward }\n  schema Order v2 { order_id string key  sales_channel string default web  evolution backward }\n  source app : service { emits Order v2 }\n  node enrich : stream_processor { reads Order v1 }\n  flow app -> enrich stream carries Order v2\n}\n";
    let all = diagnostics(text);
    let d = all
        .iter()
        .find(|d| d.code == "incompatible-schema-change")
        .unwrap_or_else(|| panic!("{all:#?}"));
    assert_eq!(
        d.message,
        "`enrich` reads `Order v1` but is fed `v2`, which it cannot decode: it is an older reader, which needs forward compatibility, and the change keeps backward compatibility, which does not protect it"
    );
    let w = words(d);
    assert!(
        w.contains(
            "`channel` is in v1 but not in v2, and has no default (renamed to `sales_channel`?)"
        ),
        "{w}"
    );
    assert!(w.contains("move `enrich` to `reads Order v2`"), "{w}");
    // Without the default the registry itself refuses v2: the declared policy breaks.
    let refused = text.replace("sales_channel string default web", "sales_channel string");
    let all = diagnostics(&refused);
    let d = all
        .iter()
        .find(|d| d.code == "incompatible-schema-change")
        .unwrap_or_else(|| panic!("{all:#?}"));
    assert!(
        d.message
            .ends_with("and the change breaks the declared backward compatibility"),
        "{}",
        d.message
    );
}

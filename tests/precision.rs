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
    for name in ["shipments.dsd"] {
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
/// the job that reads it does the redelivering when it restarts.
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
    assert!(
        all.contains("a restarted or retried job processes its last batch again"),
        "{all}"
    );
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

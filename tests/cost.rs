//! The monthly bill against arithmetic done by hand. Where the catalogue has no
//! sourced price (AWS's pricing pages could not be read for MSK, Kinesis, EMR
//! Serverless or Redshift), the test design declares
//! the price the way a team does, by declaring the tool again with its own
//! figure, and the test checks the formula; the figures stdlib does carry are
//! the reference's and the vendor pages cited in stdlib/tools.dsd.
//! A month is 365 × 24 ÷ 12 = 730 h = 2,628,000 s.

use dsd::sizing::Report;

const MONTH_S: f64 = 2_628_000.0;
/// Every bill below is held within 2% of the hand arithmetic.
const WITHIN: f64 = 0.02;

fn report_of(text: &str) -> (Report, Vec<dsd::diagnostic::Diagnostic>) {
    let c = dsd::compile("bill.dsd", text, &dsd::NoImports);
    let design = c
        .designs
        .first()
        .unwrap_or_else(|| panic!("no design: {:#?}", c.diagnostics));
    (
        dsd::sizing::size(&design.design, &c.catalogue, 1.0),
        c.diagnostics,
    )
}

/// A figure's value in base units (high end), which must be computed.
fn value(r: &Report, id: &str) -> f64 {
    let f = r
        .figure(id)
        .unwrap_or_else(|| panic!("no figure {id}: {:#?}", ids(r)));
    match &f.value {
        Ok(v) => v.hi,
        Err(why) => panic!("{id} not computed: {why}"),
    }
}

/// A figure's value per month (money figures are held per second).
fn monthly(r: &Report, id: &str) -> f64 {
    value(r, id) * MONTH_S
}

/// 8.64B records/day of 1,000 B into Kinesis at a declared shard-hour and PUT
/// unit price.
fn kinesis_at_100k_a_second() -> String {
    design(
        "tool kinesis : stream_broker {\n  price_partition_hour $0.015/h\n  price_put_unit $0.000000014/record\n}",
        "8640M events/day",
        "1000 B",
        "stream_broker { replication 3  retain 1 day }",
        "kinesis",
        "",
    )
}

fn ids(r: &Report) -> Vec<String> {
    r.figures.iter().map(|f| f.id.clone()).collect()
}

fn near(got: f64, want: f64) {
    assert!(
        (got - want).abs() <= want.abs() * WITHIN,
        "got {got}, want {want}"
    );
}

/// One source, one node of the role and tool under test, one reader.
fn design(tools: &str, volume: &str, size: &str, node: &str, tool: &str, extra: &str) -> String {
    format!(
        r#"{tools}
design bill "A bill" {{
  requirements {{
    volume     {volume}
    peak       1x
    latency    p <= 1 h
    delivery   at_least_once
    retention  it >= 1 day
    team       4
  }}
  schema Event v1 {{
    id  string    key
    at  timestamp event_time
    size raw {size}
    evolution backward via registry
  }}
  source app : service {{ emits Event v1 }}
  node it : {node}
{extra}
  flow app -> it stream carries Event v1
  path p = app -> it
  use {tool} for it because "the choice under test" accepting "its bill"
}}
"#
    )
}

/// 3 brokers × $0.21/h × 730 h = $459.90 a month.
#[test]
fn a_three_broker_msk_cluster_for_a_month() {
    let text = design(
        "tool msk : stream_broker { price_instance_hour $0.21/h }",
        "10M events/day",
        "500 B",
        "stream_broker { partitions 6  replication 3  brokers 3  retain 7 days }",
        "msk",
        "  node reader : stream_processor { per_event 1 ms  threads 2 }\n  flow it -> reader stream",
    );
    let (r, _) = report_of(&text);
    near(monthly(&r, "cost.it.instances"), 3.0 * 0.21 * 730.0);
    let f = r.figure("cost.it.instances").map(|f| f.derivation.clone());
    assert!(
        f.as_deref()
            .is_some_and(|d| d
                .contains("msk price_instance_hour $0.21/h (declared in the project's catalogue)")),
        "{f:?}"
    );
    // No brokers stated: the reference's "at least 3 brokers for HA".
    let text = text.replace("  brokers 3", "");
    let (r, _) = report_of(&text);
    near(monthly(&r, "cost.it.instances"), 3.0 * 0.21 * 730.0);
}

/// 100M records/day × 1,000 B = 100 GB/day, kept 400 days = 40,000 GB.
/// S3 Standard at the reference's $0.02/GB/month: 40,000 × 0.02 = $800.
/// Deep Archive at $0.00099/GB/month (declared): 40,000 × 0.00099 = $39.60.
#[test]
fn forty_terabytes_in_standard_and_in_deep_archive() {
    let standard = design(
        "",
        "100M events/day",
        "1000 B",
        "object_store { retain 400 days }",
        "s3",
        "",
    );
    let (r, _) = report_of(&standard);
    near(monthly(&r, "cost.it.storage"), 40_000.0 * 0.02);
    let deep = design(
        "tool s3 : object_store { price_deep_archive $0.00099/GB/month }",
        "100M events/day",
        "1000 B",
        "object_store { retain 400 days  tier deep_archive 400 days }",
        "s3",
        "",
    );
    let (r, _) = report_of(&deep);
    near(monthly(&r, "cost.it.tier.deep_archive"), 40_000.0 * 0.00099);
    // A tier with no price of its own is unpriced, not billed at Standard's.
    // The catalogue's own Deep Archive price (AWS, us-east-1) is the same figure.
    let (r, _) = report_of(&deep.replace(
        "tool s3 : object_store { price_deep_archive $0.00099/GB/month }",
        "",
    ));
    near(monthly(&r, "cost.it.tier.deep_archive"), 40_000.0 * 0.00099);
    let infrequent = deep.replace(
        "tier deep_archive 400 days",
        "tier standard 30 days, cool 400 days",
    );
    let (r, _) = report_of(&infrequent);
    let f = r.figure("cost.it.tier.cool").map(|f| f.value.clone());
    assert!(
        matches!(&f, Some(Err(why)) if why.contains("price_cool")),
        "{f:?}"
    );
    // 100 GB/day × 30 days = 3,000 GB at $0.02 = $60 in the first tier.
    near(monthly(&r, "cost.it.tier.standard"), 3_000.0 * 0.02);
    let total = r
        .figure("cost.total")
        .map(|f| (f.label.clone(), f.derivation.clone()));
    assert!(
        total
            .as_ref()
            .is_some_and(|(l, d)| l == "Monthly cost (priced lines)" && d.contains("not priced")),
        "{total:?}"
    );
}

/// 8.64B records/day = 100,000 records/s of 1,000 B = 100 MB/s.
/// Shards: max(100 MB/s ÷ 1 MB/s, 100,000 ÷ 1,000 records/s) = 100;
/// 100 × $0.015/h × 730 h = $1,095.
/// PUT payload units: 1,000 B ≤ 25 KB is 1 unit a record; 100,000 × 2,628,000 s
/// = 262.8B units × $0.014 per million = $3,679.20.
#[test]
fn a_hundred_thousand_records_a_second_into_kinesis() {
    let text = kinesis_at_100k_a_second();
    let (r, _) = report_of(&text);
    near(monthly(&r, "cost.it.shards"), 100.0 * 0.015 * 730.0);
    near(
        monthly(&r, "cost.it.puts"),
        100_000.0 * MONTH_S * 0.014 / 1e6,
    );
    // Tenfold peak: ten times the shards and the PUT units.
    let ten = text.replace("8640M events/day", "86400M events/day");
    let (r10, _) = report_of(&ten);
    near(monthly(&r10, "cost.it.shards"), 1_000.0 * 0.015 * 730.0);
    near(
        monthly(&r10, "cost.total"),
        10.0 * monthly(&r, "cost.total"),
    );
}

/// Per run: 16 vCPU × $0.052624/h + 64 GB × $0.0057785/h = $1.211808/h, × 2 h
/// = $2.423616; daily = 365 ÷ 12 = 30.4167 runs a month → $73.72.
#[test]
fn a_daily_two_hour_emr_serverless_job_on_sixteen_vcpus() {
    let text = design(
        "tool emr_serverless : batch_processor {\n  price_vcpu_hour $0.052624/h\n  price_gb_hour $0.0057785/h\n}",
        "10M events/day",
        "500 B",
        "batch_processor { cores 16  memory 64 GB  run_time 2 h  schedule daily 02:00 }",
        "emr_serverless",
        "",
    );
    let (r, _) = report_of(&text);
    let per_hour = 16.0 * 0.052624 + 64.0 * 0.0057785;
    near(
        monthly(&r, "cost.it.compute"),
        per_hour * 2.0 * 365.0 / 12.0,
    );
}

/// 10 TB scanned a month × $5/TB (the catalogue's, AWS's us-east-2 list price
/// as of 2025-10-29) = $50.
#[test]
fn ten_terabytes_a_month_scanned_by_athena() {
    let text = design(
        "",
        "10M events/day",
        "500 B",
        "query_engine { scans 10 TB/month }",
        "athena",
        "",
    );
    let (r, _) = report_of(&text);
    near(monthly(&r, "cost.it.scans"), 50.0);
    let f = r.figure("cost.it.scans").map(|f| f.derivation.clone());
    assert!(
        f.as_deref()
            .is_some_and(|d| d.contains("athena price_scan $5/TB (us-east-2 list price)")),
        "{f:?}"
    );
}

/// 172.8M writes/day = 2,000 writes/s of 400 B (1 write unit each, ≤ 1 KB).
/// On demand at $0.625 per million (the catalogue's, us-east-2 as of
/// 2025-10-29): 2,000 × 2,628,000 = 5.256B units → $3,285. Provisioned at the catalogue's $0.47 per unit-month: 2,000 units →
/// $940.
#[test]
fn a_dynamodb_table_at_two_thousand_writes_a_second() {
    let on_demand = design("", "172.8M events/day", "400 B", "kv_store", "dynamodb", "");
    let (r, _) = report_of(&on_demand);
    near(
        monthly(&r, "cost.it.writes"),
        2_000.0 * MONTH_S * 0.625 / 1e6,
    );
    let provisioned = on_demand.replace(
        "node it : kv_store",
        "node it : kv_store { capacity provisioned }",
    );
    let (r, _) = report_of(&provisioned);
    near(monthly(&r, "cost.it.capacity"), 2_000.0 * 0.47);
    // A 3 KB item takes 3 write units.
    let big = provisioned.replace("size raw 400 B", "size raw 3 KB");
    let (r, _) = report_of(&big);
    near(monthly(&r, "cost.it.capacity"), 6_000.0 * 0.47);
}

/// 50 TB in Redshift at the team's $0.024/GB/month = $1,200 against a $100
/// ceiling. Hand: 500M × 1,000 B = 500 GB/day × 100 days = 50,000 GB.
#[test]
fn fifty_terabytes_in_redshift_break_a_hundred_dollar_ceiling() {
    let text = design(
        "tool redshift : warehouse { price_storage $0.024/GB/month }",
        "500M events/day",
        "1000 B",
        "warehouse { retain 100 days }",
        "redshift",
        "",
    )
    .replace(
        "    team       4\n",
        "    team       4\n    cost       <= $100/month\n",
    );
    let (r, diags) = report_of(&text);
    near(monthly(&r, "cost.it.storage"), 50_000.0 * 0.024);
    let d = diags
        .iter()
        .find(|d| d.code == "cost-ceiling-exceeded")
        .unwrap_or_else(|| panic!("{diags:#?}"));
    assert!(
        d.message.contains("but the ceiling is $100/month"),
        "{}",
        d.message
    );
}

/// The largest lines of the bill, biggest first, with their share.
#[test]
fn the_bill_names_its_largest_lines() {
    let text = kinesis_at_100k_a_second();
    let (r, _) = report_of(&text);
    let top = r
        .figure("cost.largest")
        .map(|f| f.derivation.clone())
        .unwrap_or_default();
    // $3,679.20 of $4,774.20 is 77%; $1,095 is 23%.
    assert!(
        top.starts_with("`it` PUT payload units $3,679/month (77%)"),
        "{top}"
    );
    assert!(top.contains("`it` shard-hours $1,095/month (23%)"), "{top}");
}

/// A Medium Snowflake warehouse (4 credits/h, Snowflake's docs) active 8 h a
/// day: 8 × 730 ÷ 24 = 243.3 h × 4 = 973.3 credits × the reference's
/// $3.50/credit = $3,406.67. Layers on the same account share it.
#[test]
fn a_medium_snowflake_warehouse_eight_hours_a_day() {
    let text = design(
        "",
        "10M events/day",
        "500 B",
        "warehouse { warehouse_size medium  active 8 h/day }\n  node marts : warehouse\n  flow it -> marts batch daily",
        "snowflake",
        "",
    )
    .replace("use snowflake for it", "use snowflake for it, marts");
    let (r, _) = report_of(&text);
    near(
        monthly(&r, "cost.it.credits"),
        4.0 * 8.0 * 730.0 / 24.0 * 3.50,
    );
    assert!(r.figure("cost.marts.credits").is_none());
    // The other sizes, from the same table of Snowflake's docs: credits an hour ×
    // 243.3 h × $3.50 — X-Small 1 ($851.67), Small 2, Large 8, X-Large 16.
    for (size, credits) in [
        ("xsmall", 1.0),
        ("small", 2.0),
        ("large", 8.0),
        ("xlarge", 16.0),
    ] {
        let text = text.replace("warehouse_size medium", &format!("warehouse_size {size}"));
        let (r, _) = report_of(&text);
        near(
            monthly(&r, "cost.it.credits"),
            credits * 8.0 * 730.0 / 24.0 * 3.50,
        );
    }
}

/// Google's storage classes in us-central1 (an archived copy of its pricing
/// page): 100 GB/day kept 30 days in Standard, to 120 in Nearline, to 365 in
/// Coldline and to 3 years in Archive.
/// Standard 3,000 GB × $0.020 = $60; Nearline 9,000 GB × $0.010 = $90;
/// Coldline 24,500 GB × $0.004 = $98; Archive 73,000 GB × $0.0012 = $87.60.
#[test]
fn google_storage_classes_at_their_own_prices() {
    let text = design(
        "",
        "100M events/day",
        "1000 B",
        "object_store { retain 3 years  tier standard 30 days, nearline 120 days, coldline 365 days, archive 3 years }",
        "gcs",
        "",
    );
    let (r, _) = report_of(&text);
    near(monthly(&r, "cost.it.tier.standard"), 3_000.0 * 0.020);
    near(monthly(&r, "cost.it.tier.nearline"), 9_000.0 * 0.010);
    near(monthly(&r, "cost.it.tier.coldline"), 24_500.0 * 0.004);
    near(monthly(&r, "cost.it.tier.archive"), 73_000.0 * 0.0012);
}

/// DynamoDB storage at the $0.25/GB/month of AWS's dated cost table (us-east-2,
/// 2025-10-29): 10M items/day × 400 B = 4 GB/day, kept 30 days = 120 GB → $30.
#[test]
fn dynamodb_storage_at_its_listed_price() {
    let text = design(
        "",
        "10M events/day",
        "400 B",
        "kv_store { retain 30 days }",
        "dynamodb",
        "",
    );
    let (r, _) = report_of(&text);
    near(monthly(&r, "cost.it.storage"), 120.0 * 0.25);
}

/// Broker disk: 10M events/day × 500 B = 5 GB/day, × 7 days × replication 3 =
/// 105 GB at $0.10/GB/month (declared) = $10.50.
#[test]
fn a_brokers_disk_is_rate_times_retention_times_replication() {
    let text = design(
        "tool msk : stream_broker { price_storage $0.10/GB/month }",
        "10M events/day",
        "500 B",
        "stream_broker { partitions 6  replication 3  retain 7 days }",
        "msk",
        "",
    );
    let (r, _) = report_of(&text);
    near(monthly(&r, "cost.it.disk"), 105.0 * 0.10);
}

/// A price read for one region says so in the derivation: GCS Standard at
/// us-central1's $0.020/GB/month. 100 GB/day × 30 days = 3,000 GB → $60.
#[test]
fn a_regional_price_names_its_region() {
    let text = design(
        "",
        "100M events/day",
        "1000 B",
        "object_store { retain 30 days }",
        "gcs",
        "",
    );
    let (r, _) = report_of(&text);
    near(monthly(&r, "cost.it.storage"), 3_000.0 * 0.02);
    let d = r.figure("cost.it.storage").map(|f| f.derivation.clone());
    assert!(
        d.as_deref().is_some_and(
            |d| d.contains("gcs price_storage $0.02/GB/month (us-central1 list price)")
        ),
        "{d:?}"
    );
}

/// Redis data must fit in memory (the reference's decision tree). 50M keys
/// (`Event.id` cardinality) × 500 B = 25 GB against 13 GB: capacity-exceeded.
/// With `ttl 1 h`: 10M/day ÷ 86,400 × 3,600 s = 416,667 keys × 500 B = 208 MB.
#[test]
fn an_in_memory_store_must_hold_its_keys() {
    let text = design(
        "",
        "10M events/day",
        "500 B",
        "kv_store { memory 13 GB }",
        "redis",
        "",
    )
    .replace("id  string    key", "id  string    key  cardinality 50M");
    let (r, diags) = report_of(&text);
    assert_eq!(value(&r, "store.it.memory_needed"), 25e9);
    let d = diags
        .iter()
        .find(|d| d.code == "capacity-exceeded")
        .unwrap_or_else(|| panic!("{diags:#?}"));
    assert_eq!(
        d.message,
        "`it` must hold at least 25 GB in memory, has 13 GB"
    );
    let ttl = text.replace(
        "kv_store { memory 13 GB }",
        "kv_store { memory 13 GB  ttl 1 h }",
    );
    let (r, diags) = report_of(&ttl);
    near(
        value(&r, "store.it.memory_needed"),
        10e6 / 86_400.0 * 3_600.0 * 500.0,
    );
    assert!(
        !diags.iter().any(|d| d.code == "capacity-exceeded"),
        "{diags:#?}"
    );
}

/// Pub/Sub keeps unacknowledged messages at most 31 days (its docs, cited in
/// stdlib): a topic asked to keep 60 days does not. Before: Pub/Sub had no cap.
#[test]
fn pubsub_keeps_at_most_thirty_one_days() {
    let text = design(
        "",
        "10M events/day",
        "500 B",
        "stream_broker { retain 60 days }",
        "pubsub",
        "  node reader : stream_processor { per_event 1 ms  threads 2 }\n  flow it -> reader stream",
    )
    .replace("retention  it >= 1 day", "retention  it >= 60 days");
    let (_, diags) = report_of(&text);
    assert!(
        diags.iter().any(|d| d.code == "retention-not-met"),
        "{:#?}",
        diags
            .iter()
            .map(|d| (d.code, d.message.clone()))
            .collect::<Vec<_>>()
    );
    // Its throughput bill: 10M × 500 B = 5 GB/day average; × 30.42 days × 2
    // (publish + 1 subscription) = 304.2 GB = 0.2767 TiB × $40 = $11.07.
    let (r, _) = report_of(&text);
    near(
        monthly(&r, "cost.it.throughput"),
        5e9 * 365.0 / 12.0 * 2.0 / 1_099_511_627_776.0 * 40.0,
    );
}

mod common;

/// A team's own price from the command line (or `dsd.toml [stdlib]`) prices a
/// line and the derivation says where it came from: Razorpay's MSK cluster,
/// 3 brokers (the reference's minimum) × $0.21/h × 730 h = $459.90.
#[test]
fn a_price_set_from_outside_prices_the_line_and_says_so() {
    let (code, out, err) = common::run(&[
        "report",
        "examples/razorpay_payments.dsd",
        "--format",
        "json",
        "--set",
        "msk.price_instance_hour=$0.21/h",
    ]);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    let line = json["figures"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["id"] == "cost.payments.instances"))
        .cloned()
        .unwrap_or_default();
    let value = line["value"].as_f64().unwrap_or_default();
    near(value, 3.0 * 0.21 * 730.0);
    let derivation = line["derivation"].as_str().unwrap_or_default();
    assert!(
        derivation.contains("3 brokers (the tool's minimum of 3; the load needs 1) × msk price_instance_hour $0.21/h (--set / dsd.toml [stdlib])"),
        "{derivation}"
    );
}

/// A capacity set from outside says so in its check, as a price does: the
/// reviewer sees that `threads 4` is not what the design states (8).
#[test]
fn a_capacity_set_from_outside_says_so() {
    let (code, out, err) = common::run(&[
        "report",
        "examples/razorpay_payments.dsd",
        "--format",
        "json",
        "--set",
        "fraud.threads=4",
    ]);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    let checks = json["checks"].as_array().cloned().unwrap_or_default();
    let threads = checks
        .iter()
        .find(|c| c["id"] == "node.fraud.threads")
        .cloned()
        .unwrap_or_default();
    assert_eq!(threads["provided"], 4.0);
    let derivation = threads["derivation"].as_str().unwrap_or_default();
    assert!(
        derivation.ends_with("(provided 4) (`threads`: --set / dsd.toml [stdlib])"),
        "{derivation}"
    );
    // Checks of what was not set say nothing of it.
    let partitions = checks
        .iter()
        .find(|c| c["id"] == "broker.payments.partitions")
        .and_then(|c| c["derivation"].as_str().map(str::to_string))
        .unwrap_or_default();
    assert!(!partitions.contains("--set"), "{partitions}");
}

fn grown_reports(text: &str) -> Report {
    // The test designs leave failures uncovered (design findings, not errors in
    // the text): the report is computed all the same.
    let c = dsd::compile("bill.dsd", text, &dsd::NoImports);
    let mut reports = dsd::reports(
        "bill.dsd",
        text,
        &dsd::NoImports,
        &dsd::WhatIf::default(),
        &c,
    );
    reports.pop().unwrap_or_else(|| panic!("no design"))
}

/// Three stated MSK brokers at $0.21/h with $0.10/GB/month disk, taking 10M
/// records/day of 500 B kept 7 days, under `growth GROWTH`.
fn three_stated_brokers(growth: &str) -> String {
    design(
        "tool msk : stream_broker {\n  price_instance_hour $0.21/h\n  price_storage $0.10/GB/month\n}",
        "10M events/day",
        "500 B",
        "stream_broker { partitions 6  replication 3  brokers 3  retain 7 days }",
        "msk",
        "",
    )
    .replace("team       4", &format!("team       4\n    growth     {growth}"))
}

/// The bill at growth is the design sized again, not today's bill times the
/// factor: three stated brokers cost the same at any load, their disk grows.
/// Today: 3 × $0.21/h × 730 h = $459.90 for the brokers; 10M × 500 B = 5 GB/day
/// × 7 days × 3 copies = 105 GB × $0.10 = $10.50 of disk; $470.40 in all.
/// At 2x: $459.90 + $21 = $480.90 (not $940.80).
#[test]
fn the_bill_at_growth_sizes_the_design_again() {
    let text = three_stated_brokers("2x");
    let r = grown_reports(&text);
    near(monthly(&r, "cost.total"), 459.9 + 10.5);
    near(monthly(&r, "cost.at_growth"), 459.9 + 21.0);
    let f = r
        .figure("cost.at_growth")
        .map(|f| (f.label.clone(), f.derivation.clone()));
    assert_eq!(
        f.as_ref().map(|f| f.0.as_str()),
        Some("Monthly cost at 2x growth")
    );
    assert!(
        f.as_ref()
            .is_some_and(|f| f.1.contains("volume and peak × 2 (`growth 2x`)")
                && f.1.contains("grows most: `it` broker disk +$10.5/month")),
        "{f:?}"
    );
    assert!(r.figure("cost.year.2").is_none());
}

/// `growth 2x/year`: year 2 is today's load × 2, year 3 × 4. Disk: $21, $42;
/// bills $480.90 and $501.90. `growth 1.5x/month` is 1.5^12 = 129.7x a year.
#[test]
fn the_bill_year_by_year() {
    let text = three_stated_brokers("2x/year");
    let r = grown_reports(&text);
    near(monthly(&r, "cost.year.2"), 459.9 + 21.0);
    near(monthly(&r, "cost.year.3"), 459.9 + 42.0);
    assert!(r.figure("cost.at_growth").is_none());
    // The checks look ahead one period: the horizon is 2x, as for `growth 2x`.
    assert_eq!(r.horizon, 2.0);
    let monthly_growth = text.replace("growth     2x/year", "growth     1.5x/month");
    let r = grown_reports(&monthly_growth);
    let year2 = 1.5f64.powi(12);
    let f = r.figure("cost.year.2").map(|f| f.derivation.clone());
    assert!(
        f.as_deref().is_some_and(|d| d.contains(&format!(
            "volume and peak × {}",
            dsd::units::format_number(year2)
        ))),
        "{f:?}"
    );
}

/// A growth that is not a factor says what to write.
#[test]
fn growth_is_a_factor_or_a_factor_per_period() {
    for (growth, code, says) in [
        (
            "40%/year",
            "invalid-value",
            "40% more a year is `1.4x/year`",
        ),
        (
            "2 TB",
            "dimension-mismatch",
            "or a factor per period, like `2x/year`",
        ),
        ("2000 events/year", "dimension-mismatch", "like `2x/year`"),
    ] {
        let text = design("", "10M events/day", "500 B", "stream_broker", "kafka", "").replace(
            "team       4",
            &format!("team       4\n    growth     {growth}"),
        );
        let c = dsd::compile("bill.dsd", &text, &dsd::NoImports);
        let d = c
            .diagnostics
            .iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("{growth}: {:#?}", c.diagnostics));
        assert!(
            d.help.as_deref().is_some_and(|h| h.contains(says)),
            "{growth}: {d:?}"
        );
    }
}

/// `design` with `cloud` and `region` in its requirements.
fn in_cloud(text: String, cloud: &str) -> String {
    text.replace("    team       4\n", &format!("    team       4\n{cloud}"))
}

/// 100M records/day × 1,000 B = 100 GB/day through self-run Kafka with
/// replication 3: each GB is copied to 2 brokers in other zones, and AWS bills it
/// leaving one zone and entering the other at $0.01/GB each way.
/// 100 GB × 365 ÷ 12 = 3,041.67 GB/month × 2 copies × 2 × $0.01 = $121.67.
#[test]
fn a_self_run_broker_pays_for_replication_between_zones() {
    let kafka = design(
        "",
        "100M events/day",
        "1000 B",
        "stream_broker { partitions 12  replication 3  retain 3 days  instance_type c5_2xlarge }",
        "kafka",
        "",
    );
    let (r, _) = report_of(&in_cloud(kafka.clone(), "    cloud      aws\n"));
    near(
        monthly(&r, "cost.it.cross_zone"),
        100.0 * 365.0 / 12.0 * 2.0 * 2.0 * 0.01,
    );
    let d = r.figure("cost.it.cross_zone").map(|f| f.derivation.clone());
    assert!(
        d.as_deref().is_some_and(|d| d
            .contains("2 copies to brokers in other zones (replication 3)")
            && d.contains("aws price_cross_az $0.01/GB (us-east-1 list price)")),
        "{d:?}"
    );
    // Its brokers on c5.2xlarge at $0.34/h: 3 × 0.34 × 730 = $744.60; its disk
    // on EBS gp3 at $0.08/GB-month: 100 GB × 3 days × 3 = 900 GB → $72.
    near(monthly(&r, "cost.it.instances"), 3.0 * 0.34 * 730.0);
    near(monthly(&r, "cost.it.disk"), 900.0 * 0.08);
    // No cloud named (the zones may be the team's own racks), on premises, or a
    // managed service that does not bill its replication: no such line.
    for text in [
        kafka.clone(),
        in_cloud(kafka.clone(), "    cloud      on_prem\n"),
        in_cloud(
            kafka.replace("use kafka", "use msk"),
            "    cloud      aws\n",
        ),
    ] {
        let (r, _) = report_of(&text);
        assert!(r.figure("cost.it.cross_zone").is_none(), "{:#?}", ids(&r));
    }
    // Google's price is not in the catalogue: the line is there, unpriced.
    let (r, _) = report_of(&in_cloud(kafka, "    cloud      gcp\n"));
    let f = r.figure("cost.it.cross_zone").map(|f| f.value.clone());
    assert!(
        matches!(&f, Some(Err(why)) if why.contains("no sourced `price_cross_az` for `gcp`")),
        "{f:?}"
    );
}

/// 100 GB/day from a job in us-east-1 to a lake in eu-west-1: 3,041.67 GB a
/// month × $0.02/GB = $60.83.
#[test]
fn a_flow_between_regions_is_billed_by_the_gb() {
    let text = design(
        "",
        "100M events/day",
        "1000 B",
        "stream_processor { per_event 1 ms  threads 4 }",
        "python_consumer",
        "  node lake : object_store { region \"eu-west-1\"  retain 30 days }\n  flow it -> lake batch write overwrite partition(day)\n  use s3 for lake because \"x\" accepting \"y\"",
    );
    let text = in_cloud(text, "    cloud      aws\n    region     \"us-east-1\"\n");
    let (r, diags) = report_of(&text);
    assert!(
        !diags.iter().any(|d| d.code == "invalid-value"),
        "{diags:#?}"
    );
    near(
        monthly(&r, "cost.transfer.it.lake"),
        100.0 * 365.0 / 12.0 * 0.02,
    );
    let d = r
        .figure("cost.transfer.it.lake")
        .map(|f| f.derivation.clone());
    assert!(
        d.as_deref()
            .is_some_and(|d| d.starts_with("average 100 GB/day from us-east-1 to eu-west-1")),
        "{d:?}"
    );
    // Both ends in one region: nothing crosses.
    let (r, _) = report_of(&text.replace("region \"eu-west-1\"  ", ""));
    assert!(r.figure("cost.transfer.it.lake").is_none());
}

/// A node the team runs itself is priced by its `instance_type` from the cloud's
/// sheet: 2 × t3.small at $0.0208/h × 730 h = $30.37.
#[test]
fn an_instance_type_prices_a_self_run_node() {
    let text = in_cloud(
        design(
            "",
            "10M events/day",
            "500 B",
            "stream_processor { per_event 1 ms  threads 4  instances 2  instance_type t3_small }",
            "python_consumer",
            "",
        ),
        "    cloud      aws\n",
    );
    let (r, _) = report_of(&text);
    near(monthly(&r, "cost.it.instances"), 2.0 * 0.0208 * 730.0);
    // No type stated: unpriced, naming the types the sheet prices.
    let (r, _) = report_of(&text.replace("  instance_type t3_small", ""));
    let f = r.figure("cost.it.instances").map(|f| f.value.clone());
    assert!(
        matches!(&f, Some(Err(why)) if why.contains("states no `instance_type`") && why.contains("t3_small")),
        "{f:?}"
    );
    // A type the catalogue does not price: what to declare.
    let (r, _) = report_of(&text.replace("t3_small", "m6i_large"));
    let f = r.figure("cost.it.instances").map(|f| f.value.clone());
    assert!(
        matches!(&f, Some(Err(why)) if why.contains("`tool aws : cloud { price_m6i_large_hour $…/h }`")),
        "{f:?}"
    );
    // Declared by the project, it prices the line and says so.
    let declared = format!(
        "tool aws : cloud {{ price_m6i_large_hour $0.096/h }}\n{}",
        text.replace("t3_small", "m6i_large")
    );
    let (r, _) = report_of(&declared);
    near(monthly(&r, "cost.it.instances"), 2.0 * 0.096 * 730.0);
}

/// S3 Standard-IA bills each object for at least 30 days. 100 GB/day kept 20
/// days in Standard, then 10 days in IA: 1,000 GB held in IA, billed as if for
/// 30 days: 1,000 × 3 × $0.0125 = $37.50. Kept 60 days in IA instead, the
/// minimum is met: 6,000 GB × $0.0125 = $75.
#[test]
fn a_tier_left_before_its_minimum_bills_the_minimum() {
    let text = design(
        "",
        "100M events/day",
        "1000 B",
        "object_store { retain 30 days  tier standard 20 days, infrequent 30 days }",
        "s3",
        "",
    );
    let (r, _) = report_of(&text);
    near(
        monthly(&r, "cost.it.tier.infrequent"),
        1_000.0 * 3.0 * 0.0125,
    );
    let d = r
        .figure("cost.it.tier.infrequent")
        .map(|f| f.derivation.clone());
    assert!(
        d.as_deref()
            .is_some_and(|d| d.contains("`infrequent` bills each for at least 30 days")),
        "{d:?}"
    );
    let longer = text.replace(
        "retain 30 days  tier standard 20 days, infrequent 30 days",
        "retain 80 days  tier standard 20 days, infrequent 80 days",
    );
    let (r, _) = report_of(&longer);
    near(monthly(&r, "cost.it.tier.infrequent"), 6_000.0 * 0.0125);
}

/// `cloud` and `region` are checked: a misspelt region or cloud is an error with
/// the name it was likely meant to be, and a hyphenated code written bare is told
/// to be quoted.
#[test]
fn a_region_and_a_cloud_are_checked() {
    let base = design("", "10M events/day", "500 B", "kv_store", "dynamodb", "");
    let messages = |text: String| {
        let c = dsd::compile("bill.dsd", &text, &dsd::NoImports);
        // What the requirements and names say; the rules' findings on this
        // minimal design are not under test.
        c.diagnostics
            .iter()
            .filter(|d| matches!(d.code, "invalid-value" | "syntax-error" | "unknown-name"))
            .map(|d| {
                format!(
                    "{}: {} / {}",
                    d.code,
                    d.message,
                    d.help.clone().unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let got = messages(in_cloud(
        base.clone(),
        "    cloud      aws\n    region     \"eu-wst-1\"\n",
    ));
    assert!(
        got.contains("invalid-value: `eu-wst-1` is not an AWS region / did you mean `eu-west-1`?"),
        "{got}"
    );
    let got = messages(in_cloud(base.clone(), "    cloud      awz\n"));
    assert!(
        got.contains("`cloud` takes aws, gcp, azure or on_prem / did you mean `aws`?"),
        "{got}"
    );
    let got = messages(in_cloud(base.clone(), "    region     us-east-1\n"));
    assert!(
        got.contains("a region code with hyphens is written in quotes: `region \"us-east-1\"`"),
        "{got}"
    );
    // Another cloud's region is taken as written; a node may not be a cloud.
    let got = messages(in_cloud(
        base.clone(),
        "    cloud      gcp\n    region     \"europe-west4\"\n",
    ));
    assert!(got.is_empty(), "{got}");
    let got = messages(base.replace("node it : kv_store", "node it : cloud"));
    assert!(
        got.contains("`cloud` is the role of a price sheet, not of a component"),
        "{got}"
    );
    // A price read in one region, for a node in another, says both.
    let text = in_cloud(base, "    cloud      aws\n    region     \"eu-west-1\"\n");
    let (r, _) = report_of(&text);
    let d = r.figure("cost.it.writes").map(|f| f.derivation.clone());
    assert!(
        d.as_deref().is_some_and(|d| d.contains(
            "dynamodb price_write $0.000000625 (us-east-2 list price; `it` runs in eu-west-1, whose price may differ)"
        )),
        "{d:?}"
    );
}

/// The Razorpay example's bill counts its MSK cluster, DynamoDB writes, Redis,
/// the fraud consumers, the EMR job and S3, each from a sourced figure.
#[test]
fn the_razorpay_bill_counts_every_system_it_runs() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/razorpay_payments.dsd"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (r, _) = report_of(&text);
    let total = r
        .figure("cost.total")
        .unwrap_or_else(|| panic!("{:#?}", ids(&r)));
    for line in [
        "cost.payments.instances",  // MSK: 3 × $0.21/h × 730 = $459.90
        "cost.decisions.writes",    // DynamoDB on demand
        "cost.velocity.instances",  // Redis on a t3.small
        "cost.fraud.instances",     // 2 × c5.2xlarge
        "cost.daily_batch.compute", // EMR Serverless
        "cost.raw.tier.standard",   // S3
    ] {
        assert!(
            total.inputs.iter().any(|i| i == line),
            "{line} not in {:?}",
            total.inputs
        );
        assert!(value(&r, line) > 0.0, "{line}");
    }
    near(monthly(&r, "cost.payments.instances"), 3.0 * 0.21 * 730.0);
    // 5M decisions/day of 100 B = 1 write unit each: 5M × 365 ÷ 12 × $0.625/M.
    near(
        monthly(&r, "cost.decisions.writes"),
        5e6 * 365.0 / 12.0 * 0.625 / 1e6,
    );
}

/// A store written only by upserts on an attribute (one row per user) does not
/// pile up a year of writes; upserts on the records' own key (one row per event)
/// do. 10M events/day × 500 B = 5 GB/day × 365 = 1,825 GB a year.
#[test]
fn an_upsert_on_an_attribute_keeps_one_row_per_key() {
    let text = design("", "10M events/day", "500 B", "kv_store", "dynamodb", "").replace(
        "    at  timestamp event_time\n",
        "    at  timestamp event_time\n    user string\n",
    );
    let by_user = text.replace(
        "flow app -> it stream carries Event v1",
        "flow app -> it stream carries Event v1 write upsert(user)",
    );
    let (r, _) = report_of(&by_user);
    let f = r.figure("store.it.per_year").map(|f| f.value.clone());
    assert!(
        matches!(&f, Some(Err(why)) if why.contains("one row per `user`")),
        "{f:?}"
    );
    let by_id = text.replace(
        "flow app -> it stream carries Event v1",
        "flow app -> it stream carries Event v1 write upsert(id)",
    );
    let (r, _) = report_of(&by_id);
    near(value(&r, "store.it.per_year"), 1_825e9);
}

/// S3 PUTs at $0.005 per 1,000 (AWS's us-east-2 table): a sink connector
/// draining 6 partitions every 5 minutes writes 288 × 6 = 1,728 files a day;
/// × 365 ÷ 12 = 52,560 a month × $0.000005 = $0.2628.
#[test]
fn a_sink_pays_a_put_per_file_it_flushes() {
    let text = design(
        "",
        "10M events/day",
        "500 B",
        "stream_broker { partitions 6  replication 3  retain 1 day }",
        "msk",
        "  node sink : connector\n  node lake : object_store { retain 30 days }\n  flow it -> sink stream\n  flow sink -> lake batch every 5 min write overwrite partition(hour)\n  use kafka_connect for sink because \"x\" accepting \"y\"\n  use s3 for lake because \"x\" accepting \"y\"",
    );
    let (r, _) = report_of(&text);
    near(
        monthly(&r, "cost.lake.put_requests"),
        1_728.0 * 365.0 / 12.0 * 0.000005,
    );
    let d = r
        .figure("cost.lake.put_requests")
        .map(|f| f.derivation.clone());
    assert!(
        d.as_deref().is_some_and(|d| d.contains(
            "`sink` every 5 min × 6 writers (one per partition of `it`) = 1,728 files/day"
        )),
        "{d:?}"
    );
}

/// DynamoDB reads on demand at $0.125 per million read units (AWS's us-east-2
/// table): a consumer at 2,000 records/s looks one key up per record; a 400 B
/// item is one 4 KB read unit. 2,000 × 2,628,000 = 5.256B units → $657.
#[test]
fn a_lookup_a_record_pays_read_units() {
    let text = design(
        "",
        "172.8M events/day",
        "400 B",
        "kv_store",
        "dynamodb",
        "  node enrich : stream_processor { per_event 1 ms  threads 4 }\n  flow app -> enrich stream\n  flow enrich -> it read lookup by id",
    );
    let (r, _) = report_of(&text);
    near(
        monthly(&r, "cost.it.reads"),
        2_000.0 * MONTH_S * 0.125 / 1e6,
    );
    // The lookups carry no rate into the table: its writes stay the source's.
    near(
        monthly(&r, "cost.it.writes"),
        2_000.0 * MONTH_S * 0.625 / 1e6,
    );
}

/// Redshift Serverless at 8 RPUs, queries running 12 h a day, at $0.375 per
/// RPU-hour (AWS's billing example, us-east-1): 12 × 730 ÷ 24 = 365 h × 8 ×
/// 0.375 = $1,095.
#[test]
fn redshift_serverless_bills_rpu_hours() {
    let text = design(
        "",
        "10M events/day",
        "500 B",
        "warehouse { rpus 8  active 12 h/day }",
        "redshift_serverless",
        "",
    );
    let (r, _) = report_of(&text);
    near(monthly(&r, "cost.it.rpu_hours"), 8.0 * 365.0 * 0.375);
    let (r, _) = report_of(&text.replace("rpus 8  ", ""));
    let f = r.figure("cost.it.rpu_hours").map(|f| f.value.clone());
    assert!(
        matches!(&f, Some(Err(why)) if why.contains("states no `rpus`")),
        "{f:?}"
    );
}

/// The catalogue's own MSK storage: $0.10 per GB-month where AWS's GB is a GiB
/// (1,073,741,824 B). 10M events/day × 500 B = 5 GB/day × 7 days × 3 = 105 GB =
/// 97.79 GiB × $0.10 = $9.78 (not $10.50 at a decimal GB).
#[test]
fn msk_storage_at_the_catalogues_price_per_gib() {
    let text = design(
        "",
        "10M events/day",
        "500 B",
        "stream_broker { partitions 6  replication 3  retain 7 days }",
        "msk",
        "",
    );
    let (r, _) = report_of(&text);
    near(monthly(&r, "cost.it.disk"), 105e9 / 1_073_741_824.0 * 0.10);
    let d = r.figure("cost.it.disk").map(|f| f.derivation.clone());
    assert!(
        d.as_deref()
            .is_some_and(|d| d.contains("msk price_storage $0.1/GiB/month (us-east-1 list price)")),
        "{d:?}"
    );
}

/// S3's colder classes at the catalogue's us-east-1 prices, each with its
/// minimum. 100 GB/day: Standard to 30 days (3,000 GB × $0.02 = $60); Glacier
/// Instant to 120 days, 90 days held, its minimum met (9,000 GB × $0.004 = $36);
/// Glacier Flexible to 150 days, 30 days held but billed for its 90 (3,000 GB ×
/// 3 × $0.0036 = $32.40); Deep Archive to 400 days, 250 days held, over its 180
/// (25,000 GB × $0.00099 = $24.75).
#[test]
fn s3_cold_classes_at_their_prices_and_minimums() {
    let text = design(
        "",
        "100M events/day",
        "1000 B",
        "object_store { retain 400 days  tier standard 30 days, glacier_instant 120 days, glacier_flexible 150 days, deep_archive 400 days }",
        "s3",
        "",
    );
    let (r, _) = report_of(&text);
    near(monthly(&r, "cost.it.tier.standard"), 3_000.0 * 0.02);
    near(monthly(&r, "cost.it.tier.glacier_instant"), 9_000.0 * 0.004);
    near(
        monthly(&r, "cost.it.tier.glacier_flexible"),
        3_000.0 * 3.0 * 0.0036,
    );
    near(monthly(&r, "cost.it.tier.deep_archive"), 25_000.0 * 0.00099);
    let d = r
        .figure("cost.it.tier.glacier_flexible")
        .map(|f| f.derivation.clone());
    assert!(
        d.as_deref()
            .is_some_and(|d| d.contains("`glacier_flexible` bills each for at least 90 days")),
        "{d:?}"
    );
}

/// EMR Serverless at the catalogue's us-west-2 prices ($0.052624 per vCPU-hour,
/// $0.0057785 per GB-hour), the same job as above: 16 × 0.052624 + 64 ×
/// 0.0057785 = $1.211808/h × 2 h × 30.4167 runs = $73.72, marked as us-west-2's.
#[test]
fn emr_serverless_at_the_catalogues_price() {
    let text = design(
        "",
        "10M events/day",
        "500 B",
        "batch_processor { cores 16  memory 64 GB  run_time 2 h  schedule daily 02:00 }",
        "emr_serverless",
        "",
    );
    let (r, _) = report_of(&text);
    near(
        monthly(&r, "cost.it.compute"),
        (16.0 * 0.052624 + 64.0 * 0.0057785) * 2.0 * 365.0 / 12.0,
    );
    let d = r.figure("cost.it.compute").map(|f| f.derivation.clone());
    assert!(
        d.as_deref()
            .is_some_and(|d| d.contains("(us-west-2 list price)")),
        "{d:?}"
    );
}

//! `dsd compare FILE --alt NODE=TOOL`: one design, one tool swapped, side by side.

mod common;
use common::run;
use serde_json::Value;

const TRIPS: &str = "tests/whatif/trips.dsd";

fn compare(args: &[&str]) -> Value {
    let mut a = vec!["compare", "--format", "json"];
    a.extend(args);
    let (code, out, err) = run(&a);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn kinesis_moves_the_bottleneck_to_its_shard_record_limit() {
    let v = compare(&[
        TRIPS,
        "--alt",
        "trips=kinesis",
        "--set",
        "trips.partitions=2",
    ]);
    // As designed: 8 threads ÷ 3.5 ms = 2,285.7/s against a peak of 2,000/s → 1.143x.
    let base = &v["as_designed"]["first_bottleneck"];
    assert_eq!(base["check"], "node.scorer.threads");
    assert!((base["factor"].as_f64().unwrap_or(0.0) - 2285.714 / 2000.0).abs() < 1e-3);
    // On Kinesis: 2 shards × 1,000 records/s = 2,000/s against 2,000/s → 1.0x.
    let alt = &v["alternative"]["first_bottleneck"];
    assert_eq!(alt["check"], "broker.trips.partitions");
    assert!((alt["factor"].as_f64().unwrap_or(0.0) - 1.0).abs() < 1e-9);
    // Kafka is a system the team runs; Kinesis is managed.
    assert_eq!(
        v["as_designed"]["self_managed"],
        serde_json::json!(["kafka"])
    );
    assert_eq!(v["alternative"]["self_managed"], serde_json::json!([]));
    // The path's sum does not depend on the broker: 3.5 ms per event.
    assert_eq!(v["alternative"]["paths"][0]["seconds"], 0.0035);
}

#[test]
fn the_razorpay_comparison_says_what_it_cannot_price() {
    let (code, out, _) = run(&[
        "compare",
        "examples/razorpay_payments.dsd",
        "--alt",
        "payments=kinesis",
    ]);
    assert_eq!(code, 0);
    // Kinesis has no first-party price in the catalogue: the bill is not
    // compared as if its lines cost nothing.
    assert!(
        out.contains("not comparable: `payments` shard-hours, `payments` PUT payload units unpriced with the swap"),
        "{out}"
    );
    insta::assert_snapshot!("razorpay_kinesis", out);
}

#[test]
fn a_swap_that_adds_a_system_counts_it_per_engineer() {
    let v = compare(&["examples/razorpay_payments.dsd", "--alt", "payments=kafka"]);
    // MSK is managed; Kafka is run by the team of 8: 4 → 5 systems, 0.5 → 0.625 each.
    let base = v["as_designed"]["self_managed"].as_array().map(Vec::len);
    let alt = v["alternative"]["self_managed"].as_array().map(Vec::len);
    assert_eq!((base, alt), (Some(4), Some(5)));
    assert_eq!(v["alternative"]["team"], 8.0);
}

#[test]
fn a_bad_swap_is_a_usage_error_with_help() {
    let (code, _, err) = run(&["compare", TRIPS, "--alt", "trip=kinesis"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `trips`?"), "{err}");
    let (code, _, err) = run(&["compare", TRIPS, "--alt", "trips=kinesys"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `kinesis`?"), "{err}");
    let (code, _, err) = run(&["compare", TRIPS, "--alt", "trips=redis"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("`redis` cannot play the role `stream_broker` of node `trips`"),
        "{err}"
    );
    assert!(
        err.contains("kinesis"),
        "it lists the tools that can: {err}"
    );
    let (code, _, err) = run(&["compare", TRIPS, "--alt", "trips"]);
    assert_eq!(code, 2);
    assert!(err.contains("--alt takes NODE=TOOL"), "{err}");
}

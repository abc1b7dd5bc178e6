//! Every example checks clean and reproduces the reference's own numbers.

use dsd::units::{DAY, Quantity};

fn compile(name: &str) -> dsd::Compilation {
    let path = format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    dsd::compile(&format!("examples/{name}"), &text, &dsd::NoImports)
}

const EXAMPLES: &[&str] = &[
    "ecommerce_capacity.dsd",
    "razorpay_payments.dsd",
    "meesho_warehouse.dsd",
    "swiggy_feature_store.dsd",
    "flipkart_backfill.dsd",
    "swiggy_ops_dashboard.dsd",
];

fn let_value(c: &dsd::Compilation, name: &str) -> Quantity {
    c.designs
        .iter()
        .flat_map(|d| d.design.lets.iter())
        .find(|b| b.name == name)
        .map(|b| b.value.clone())
        .unwrap_or_else(|| panic!("no let `{name}`"))
}

/// Within `tol` (a fraction) of the reference's figure.
fn near(actual: f64, expected: f64, tol: f64) {
    let err = ((actual - expected) / expected).abs();
    assert!(err <= tol, "{actual} is not within {tol} of {expected}");
}

#[test]
fn every_example_checks_clean() {
    for name in EXAMPLES {
        let c = compile(name);
        let shown: Vec<String> = c
            .diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect();
        assert!(c.diagnostics.is_empty(), "{name}: {shown:#?}");
        assert_eq!(c.designs.len(), 1, "{name}");
    }
}

#[test]
fn examples_folder_is_complete() {
    let dir = format!("{}/examples", env!("CARGO_MANIFEST_DIR"));
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".dsd"))
        .collect();
    found.sort();
    let mut want: Vec<String> = EXAMPLES.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(found, want);
}

#[test]
fn capacity_walkthrough_numbers() {
    let c = compile("ecommerce_capacity.dsd");
    // avg 5M / 86,400 ≈ 58 orders/s (the reference rounds: 57.87)
    near(let_value(&c, "avg_rate").lo, 5e6 / 86_400.0, 1e-9);
    // 580 × 200 B = 116 KB/s: the reference rounds the peak to 580; exact is 578.7 (≤ 2%)
    near(let_value(&c, "kafka_peak").lo, 116e3, 0.02);
    near(let_value(&c, "broker_io").lo, 348e3, 0.02);
    // 5M × 350 B = 1.75 GB/day exactly
    near(let_value(&c, "daily_raw").lo * DAY, 1.75e9, 1e-9);
    near(let_value(&c, "daily_parquet").lo * DAY, 350e6, 1e-9);
    near(let_value(&c, "landing_30d").lo, 10.5e9, 1e-9);
    // $0.21/month for 30 days of landing data
    near(
        let_value(&c, "landing_cost").lo * dsd::units::MONTH,
        0.21,
        1e-9,
    );
    near(let_value(&c, "thread_rate").lo, 500.0, 1e-9);
    // 580 / 500 = 1.16 threads (rounded peak; ≤ 2%)
    near(let_value(&c, "threads_needed").lo, 1.16, 0.02);
    near(let_value(&c, "scan_time").lo, 2.1875, 1e-9); // "~2.2 seconds"
    near(let_value(&c, "city_rows").lo, 438_000.0, 1e-9);
    assert_eq!(let_value(&c, "partitions_for_throughput").lo, 1.0);
}

#[test]
fn razorpay_numbers() {
    let c = compile("razorpay_payments.dsd");
    near(let_value(&c, "kafka_peak").lo, 0.36e6, 1e-9);
    assert_eq!(let_value(&c, "kafka_peak").display(), "0.36 MB/s");
    near(let_value(&c, "kafka_headroom").lo, 3.6e6, 1e-9);
    near(let_value(&c, "daily_parquet").lo * DAY, 0.4e9, 1e-9);
    near(let_value(&c, "annual_parquet").lo, 146e9, 1e-9);
    // "≈ 1 TB over 7 years": exact is 1.022 TB (the reference rounds down, ≤ 2.2%)
    near(let_value(&c, "seven_years").lo, 1e12, 0.025);
    // "≈ $336 total" is 1 TB × $0.004 × 84; with the unrounded 1.022 TB it is $343
    near(let_value(&c, "glacier_total").lo, 336.0, 0.025);
    // 1000 ms / 3.5 ms = 285 events/s per thread, 2000 / 285 → 7 threads
    near(let_value(&c, "thread_rate").lo, 285.7, 0.01);
    assert_eq!(let_value(&c, "threads_needed").lo, 7.0);
}

#[test]
fn meesho_numbers() {
    let c = compile("meesho_warehouse.dsd");
    near(let_value(&c, "daily_orders").lo * DAY, 0.4e9, 1e-9);
    near(let_value(&c, "catalogue_total").lo, 100e9, 1e-9);
    near(let_value(&c, "firebase_daily").lo * DAY, 10e9, 1e-9);
    near(let_value(&c, "firebase_year").lo, 3.65e12, 1e-9);
    // "Total ≈ 4 TB in year 1": 146 GB + 100 GB + 3.65 TB = 3.896 TB (reference rounds, ≤ 2.7%)
    near(let_value(&c, "year_one_total").lo, 3.896e12, 1e-9);
    // "~800 GB" in Parquet: 779 GB exact
    near(let_value(&c, "year_one_parquet").lo, 800e9, 0.03);
    // "~$18/month" at $23/TB/month
    near(
        let_value(&c, "storage_cost").lo * dsd::units::MONTH,
        18.0,
        0.01,
    );
}

#[test]
fn dashboard_numbers() {
    let c = compile("swiggy_ops_dashboard.dsd");
    near(let_value(&c, "dashboard_qps").lo, 20.0, 1e-9);
    near(let_value(&c, "reads_per_min").lo, 1200.0, 1e-9);
}

#[test]
fn feature_store_budget() {
    let c = compile("swiggy_feature_store.dsd");
    near(let_value(&c, "serving_budget").lo, 3.5e-3, 1e-9);
}

fn check_text(name: &str, text: &str) -> dsd::Compilation {
    dsd::compile(name, text, &dsd::NoImports)
}

#[test]
fn a_time_changed_to_bytes_is_a_dimension_error_naming_both() {
    let path = format!(
        "{}/examples/razorpay_payments.dsd",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap_or_default();
    // in a property, and in an expression
    for (from, to) in [
        ("per_event 3.5 ms", "per_event 3.5 GB"),
        ("0 ms + 0.5 ms", "0 ms + 0.5 GB"),
    ] {
        let changed = text.replacen(from, to, 1);
        assert_ne!(changed, text);
        let c = check_text("razorpay_payments.dsd", &changed);
        assert!(c.has_errors());
        let d = c
            .diagnostics
            .iter()
            .find(|d| d.code == "dimension-mismatch")
            .unwrap_or_else(|| panic!("no dimension error for {to}"));
        assert!(
            d.message.contains("time") && d.message.contains("bytes"),
            "{}",
            d.message
        );
    }
}

#[test]
fn removing_an_accepting_clause_is_missing_tradeoff() {
    let path = format!(
        "{}/examples/razorpay_payments.dsd",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let changed = text.replacen(
        "    accepting \"partition planning and a managed cluster bill; AWS lock-in\"\n",
        "",
        1,
    );
    assert_ne!(changed, text);
    let c = check_text("razorpay_payments.dsd", &changed);
    let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec!["missing-tradeoff"]);
}

/// Every ```` ```dsd ```` block of the documentation compiles as shown. A
/// block that starts with `design` is a whole design and checks clean; any
/// other is lines of a design (README.md says so) and compiles inside
/// `design snippet "…" { … }` with no error in the text: no syntax error, no
/// unknown name, unit or value. Design findings are allowed there, since a
/// fragment is not a whole design.
#[test]
fn every_dsd_block_in_the_docs_compiles() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut docs = vec![
        root.join("README.md"),
        root.join("ARCHITECTURE.md"),
        root.join("examples/README.md"),
    ];
    let mut more: Vec<_> = std::fs::read_dir(root.join("docs"))
        .unwrap_or_else(|e| panic!("docs: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    more.sort();
    docs.extend(more);
    let (mut whole, mut fragments) = (0, 0);
    for doc in &docs {
        let text =
            std::fs::read_to_string(doc).unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
        let mut rest = text.as_str();
        while let Some(i) = rest.find("```dsd\n") {
            let body = &rest[i + 7..];
            let end = body.find("```").unwrap_or(body.len());
            let block = &body[..end];
            rest = &body[end..];
            let name = doc.display().to_string();
            let first = block
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !l.starts_with("//"))
                .unwrap_or("");
            if first.starts_with("design ") {
                whole += 1;
                let c = check_text(&name, block);
                let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code).collect();
                assert!(codes.is_empty(), "{name}: a whole design reports {codes:?}");
            } else {
                fragments += 1;
                let wrapped = format!("design snippet \"a fragment of the docs\" {{\n{block}}}\n");
                let c = check_text(&name, &wrapped);
                let errors: Vec<String> = c
                    .diagnostics
                    .iter()
                    .filter(|d| dsd::rules::is_front_end(d.code))
                    .map(|d| format!("{}: {}", d.code, d.message))
                    .collect();
                assert!(
                    errors.is_empty(),
                    "{name}: a fragment does not compile: {errors:?}\n{block}"
                );
            }
        }
    }
    // The README has the tour and the rates fragment at least.
    assert!(
        whole >= 1 && fragments >= 1,
        "{whole} designs, {fragments} fragments"
    );
}

#[test]
fn coverage_of_every_example_is_snapshotted() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dsd"))
        .args(["check", "--coverage", "--color", "never", "examples"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run dsd: {e}"));
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(text.matches("coverage of `").count(), 6, "{text}");
    insta::assert_snapshot!("coverage.human", text);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dsd"))
        .args([
            "check",
            "--coverage",
            "--format",
            "json",
            "examples/razorpay_payments.dsd",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run dsd: {e}"));
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let steps = json["coverage"][0]["steps"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(steps.len(), 7);
    assert!(steps.iter().all(|s| s["covered"] == true), "{json}");
    insta::assert_snapshot!(
        "coverage.json",
        serde_json::to_string_pretty(&json["coverage"]).unwrap_or_default()
    );
}

/// examples/README.md's table of the `allow`s that remain names each one as
/// the example file writes it, and every `allow` in an example is in it.
#[test]
fn the_allow_table_names_the_allows_the_examples_hold() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap_or_default();
    let mut listed = Vec::new();
    for row in readme.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let (Some(file), Some(allow)) = (cells.get(1), cells.get(2)) else {
            continue;
        };
        let (file, allow) = (file.trim_matches('`'), allow.trim_matches('`'));
        if !file.ends_with(".dsd") || allow.contains(' ') && !allow.contains(" on ") {
            continue;
        }
        if dsd::rules::find(allow.split(' ').next().unwrap_or("")).is_none() {
            continue;
        }
        listed.push((file.to_string(), allow.to_string()));
    }
    assert!(!listed.is_empty(), "no allow rows in examples/README.md");
    for (file, allow) in &listed {
        let text =
            std::fs::read_to_string(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(
            text.contains(&format!("allow {allow} because")),
            "examples/README.md says {file} has `allow {allow}`; it does not"
        );
    }
    let mut held = 0;
    for entry in std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "dsd") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        held += text
            .lines()
            .filter(|l| l.trim_start().starts_with("allow "))
            .count();
    }
    assert_eq!(
        held,
        listed.len(),
        "an allow in examples/ is missing from the table"
    );
}

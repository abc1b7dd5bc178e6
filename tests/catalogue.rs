//! The catalogue: every figure in stdlib carries its public source, the date it
//! was read and the region it holds for; a project's redeclaration changes one
//! figure and says so.

use dsd::model::FigureSource;

fn catalogue(text: &str) -> (dsd::model::Catalogue, Vec<dsd::diagnostic::Diagnostic>) {
    let c = dsd::compile("design.dsd", text, &dsd::NoImports);
    (c.catalogue, c.diagnostics)
}

#[test]
fn every_stdlib_figure_has_a_source_and_a_date() {
    let (cat, diags) = catalogue("");
    assert!(diags.is_empty(), "{diags:#?}");
    let mut checked = 0;
    for tool in cat.tools.values() {
        for figure in tool.figures.keys() {
            let source = tool.sources.get(figure);
            match source {
                Some(FigureSource::Cited { url, as_of, region }) => {
                    let dated = as_of == "the reference"
                        || (as_of.len() == 10 && as_of.chars().filter(|c| *c == '-').count() == 2);
                    assert!(dated, "{}.{figure}: as of {as_of:?}", tool.name);
                    assert!(
                        url.starts_with("http") || url.starts_with(dsd::model::REFERENCE),
                        "{}.{figure}: {url}",
                        tool.name
                    );
                    assert!(!region.is_empty(), "{}.{figure}", tool.name);
                }
                other => panic!("{}.{figure} has no cited source: {other:?}", tool.name),
            }
            checked += 1;
        }
    }
    // Every tool with figures was looked at (the catalogue is not empty), the
    // figures the bill and the checks read among them.
    assert!(checked >= 54, "{checked}");
    for (tool, figure) in [
        ("kinesis", "per_partition_records"),
        ("kinesis", "put_unit"),
        ("kinesis", "retention_default"),
        ("msk", "min_instances"),
        ("s3", "price_storage"),
        ("gcs", "price_archive"),
        ("dynamodb", "write_unit"),
        ("pubsub", "price_throughput"),
        ("snowflake", "credits_medium"),
    ] {
        assert!(
            cat.tools
                .get(tool)
                .is_some_and(|t| matches!(t.sources.get(figure), Some(FigureSource::Cited { .. }))),
            "{tool}.{figure}"
        );
    }
}

#[test]
fn a_cite_without_a_date_or_region_is_an_error() {
    let (_, diags) = catalogue(
        "tool mq \"An MQ\" : stream_broker {\n  per_partition 5 MB/s\n  cite per_partition \"https://example.com/limits\"\n}\n",
    );
    let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        ["a `cite` needs the page, the date it was read and the region"]
    );
    let (_, diags) = catalogue(
        "tool mq \"An MQ\" : stream_broker {\n  per_partition 5 MB/s\n  cite per_partiton \"https://example.com/limits\" as_of \"2026-12-02\" region \"eu-west-1\"\n}\n",
    );
    let d = diags.first().map(|d| (d.message.clone(), d.help.clone()));
    assert_eq!(
        d.as_ref().map(|d| d.0.as_str()),
        Some("`cite` names `per_partiton`, which this `tool` block does not state")
    );
    assert!(
        d.and_then(|d| d.1)
            .is_some_and(|h| h.contains("per_partition")),
        "did you mean"
    );
}

/// Declaring `msk` again with a price keeps every other figure of stdlib's
/// `msk` (its limits, its flags) and marks the new one as the project's.
#[test]
fn a_redeclared_tool_changes_one_figure() {
    let (cat, diags) = catalogue("tool msk : stream_broker {\n  price_instance_hour $0.21/h\n}\n");
    assert!(diags.is_empty(), "{diags:#?}");
    let msk = cat.tools.get("msk").unwrap_or_else(|| panic!("no msk"));
    assert!(msk.figures.contains_key("per_partition"));
    assert!(msk.figures.contains_key("price_instance_hour"));
    assert!(msk.flags.iter().any(|f| f == "managed"));
    assert_eq!(msk.title, "Amazon MSK (managed Kafka)");
    assert!(matches!(
        msk.sources.get("price_instance_hour"),
        Some(FigureSource::Redeclared { .. })
    ));
    assert!(matches!(
        msk.sources.get("per_partition"),
        Some(FigureSource::Cited { .. })
    ));
}

mod common;

#[test]
fn dsd_catalogue_shows_a_tools_figures_with_their_sources() {
    let (code, out, err) = common::run(&["catalogue", "kinesis"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("kinesis — Amazon Kinesis Data Streams\n"),
        "{out}"
    );
    let line = out
        .lines()
        .find(|l| l.starts_with("per_partition_records"))
        .unwrap_or_default();
    assert!(line.contains("1,000 records/s"), "{line}");
    assert!(
        line.contains("https://docs.aws.amazon.com/streams/latest/dev/working-with-streams.html (as of 2026-12-01, every region)"),
        "{line}"
    );
    let (code, out, _) = common::run(&["catalogue"]);
    assert_eq!(code, 0);
    assert!(out.lines().any(|l| l.starts_with("dynamodb ")), "{out}");
    let (code, _, err) = common::run(&["catalogue", "dynamo"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `dynamodb`?"), "{err}");
}

/// `dsd explain | head -1` closes the pipe early: dsd stops quietly. Before: a
/// panic ("failed printing to stdout: Broken pipe").
#[test]
fn a_closed_pipe_is_not_a_panic() {
    for args in [&["explain"][..], &["catalogue"][..]] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dsd"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_ne!(out.status.code(), Some(101), "{args:?}");
    }
}

/// Kinesis keeps a record 24 hours unless the stream's retention is raised
/// (AWS's "Change the data retention period" page, cited in the catalogue), so
/// a Kinesis stream that states no retention does not keep 3 days; Kafka's
/// default of 7 days does.
#[test]
fn a_kinesis_stream_without_retention_keeps_its_default_24_hours() {
    let design = |tool: &str, retain: &str| {
        format!(
            r#"design d {{
  requirements {{ retention events >= 3 days }}
  schema E v1 {{
    id string key
    evolution backward via registry
  }}
  source app  : service       {{ emits E v1 }}
  node events : stream_broker {{ partitions 2 {retain} }}
  flow app -> events stream carries E v1
  use {tool} for events because "x" accepting "y"
}}
"#
        )
    };
    let codes = |text: String| {
        let c = dsd::compile("d.dsd", &text, &dsd::NoImports);
        c.diagnostics
            .iter()
            .filter(|d| d.code == "retention-not-met")
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
    };
    // 24 h < 3 days: reported, naming the 1 day it keeps.
    let kinesis = codes(design("kinesis", ""));
    assert_eq!(kinesis.len(), 1, "{kinesis:?}");
    assert!(kinesis[0].contains("1 day"), "{kinesis:?}");
    // Stated retention wins over the default; Kafka's default 7 days ≥ 3 days.
    assert!(codes(design("kinesis", " retain 3 days")).is_empty());
    assert!(codes(design("kafka", "")).is_empty());
}

/// A GCP design that picks a key-value store for its stream broker is told of
/// Pub/Sub and tools that run anywhere, not of Kinesis or Event Hubs (before:
/// "consider: confluent, event_hubs, kafka, kinesis, msk, msk_serverless").
#[test]
fn a_wrong_tool_suggests_what_runs_on_the_designs_cloud() {
    let text = |cloud: &str| {
        format!(
            "design d {{\n  requirements {{ cloud {cloud} }}\n  node orders : stream_broker\n  use redis for orders\n    because \"x\"\n    accepting \"y\"\n}}\n"
        )
    };
    let help = |cloud: &str| {
        dsd::compile("d.dsd", &text(cloud), &dsd::NoImports)
            .diagnostics
            .into_iter()
            .find(|d| d.code == "tool-role-mismatch")
            .and_then(|d| d.help)
            .unwrap_or_default()
    };
    let gcp = help("gcp");
    assert!(
        gcp.ends_with("consider: pubsub, confluent, kafka, pulsar, redpanda"),
        "{gcp}"
    );
    let azure = help("azure");
    assert!(azure.contains("consider: event_hubs, "), "{azure}");
    assert!(
        !azure.contains("kinesis") && !azure.contains("pubsub"),
        "{azure}"
    );
    // Every cloud-specific tool in the standard library names its cloud.
    let (cat, diags) = catalogue("");
    assert!(diags.is_empty(), "{diags:?}");
    for (name, cloud) in [
        ("kinesis", "aws"),
        ("pubsub", "gcp"),
        ("event_hubs", "azure"),
        ("kafka", ""),
    ] {
        let t = cat.tools.get(name).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(t.cloud.as_deref().unwrap_or(""), cloud, "{name}");
    }
}

//! Shared by the integration tests: run the real `dsd` binary.
#![allow(dead_code)] // each test crate uses a different part of this module

use std::process::Command;

/// Runs `dsd ARGS` in the crate root: (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    run_in(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// Runs `dsd ARGS` in `dir`: (exit code, stdout, stderr).
pub fn run_in(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dsd"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run dsd: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Writes `text` to `path`, making its folders.
pub fn write(path: &std::path::Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// The distinct diagnostic codes in `dsd check --format json` output.
pub fn codes(json: &str) -> Vec<String> {
    let parsed: serde_json::Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("JSON does not parse: {e}\n{json}"));
    let mut codes: Vec<String> = parsed["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|d| d["code"].as_str().map(str::to_string))
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

/// The names of the `.dsd` files in a folder of the crate, sorted.
pub fn dsd_names(folder: &str) -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".dsd"))
        .collect();
    names.sort();
    names
}

/// A fresh, empty folder under the system's temporary folder, unique to this
/// test process and `tag`.
pub fn temp_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("dsd-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// `dsd report --format json ARGS`, parsed.
pub fn report(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["report", "--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = run(&all);
    assert!(code == 0 || code == 1, "{args:?}: exit {code}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}\n{out}"))
}

/// The figure `id` of a report.
pub fn figure<'a>(r: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    r["figures"]
        .as_array()
        .and_then(|f| f.iter().find(|x| x["id"] == id))
        .unwrap_or_else(|| panic!("no figure `{id}` in {}", r["design"]))
}

/// `value` of figure `id` within `tol` (a fraction) of `expected`, in JSON units.
pub fn near(r: &serde_json::Value, id: &str, expected: f64, tol: f64) {
    let v = figure(r, id)["value"]
        .as_f64()
        .unwrap_or_else(|| panic!("`{id}` has no value: {}", figure(r, id)));
    let off = ((v - expected) / expected).abs();
    assert!(
        off <= tol,
        "`{id}` = {v}, expected {expected} (off by {:.2}%)",
        off * 100.0
    );
}

/// The needed-against-provided check `id` of a report.
pub fn check<'a>(r: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    r["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|x| x["id"] == id))
        .unwrap_or_else(|| panic!("no check `{id}`"))
}

/// `bench/gen.py N` in Rust, so that tests need nothing beyond cargo: a design
/// of `n` nodes in five layers (services, topics, stream jobs, lake tables,
/// dashboards) wired in chains, with tools, failures, late data and a path;
/// it checks clean. `name` replaces `generated_N`. With `varied`, each source
/// states its own volume (chain i carries i + 1 M events a day), so no two
/// chains' figures are alike.
pub fn generated(name: &str, n: usize, varied: bool) -> String {
    const ROLES: [(&str, &str, &str); 5] = [
        ("source", "service", "{ emits Event v1 }"),
        (
            "node",
            "stream_broker",
            "{ partitions 12  replication 3  acks all  min_insync 2  retain 30 days }",
        ),
        ("node", "stream_processor", "{ per_event 1 ms  threads 64 }"),
        (
            "node",
            "table_format",
            "{ retain 30 days  compaction daily }",
        ),
        ("node", "dashboard", ""),
    ];
    const LAYERS: [&str; 5] = ["ingestion", "transport", "processing", "storage", "serving"];
    let per = (n / 5).max(1);
    let mut out = vec![
        format!("design {name} \"Generated design of {n} nodes\" {{"),
        "requirements {".into(),
        "volume     100M events/day".into(),
        "peak       3x".into(),
        "latency    p0 <= 10 s".into(),
        "delivery   at_least_once".into(),
        format!("retention  n{} >= 30 days", 3 * per),
        format!("team       {}", (n / 50).max(5)),
        "}".into(),
        "schema Event v1 {".into(),
        "event_id     string     key cardinality 100M".into(),
        "occurred_at  timestamp  event_time".into(),
        "size         raw 300 B, compressed 120 B".into(),
        "evolution    backward via registry".into(),
        "}".into(),
        "let topic_peak = peak * Event.size.compressed as MB/s".into(),
        "let daily_raw  = volume * Event.size.raw as GB/day".into(),
    ];
    for i in 0..5 * per {
        let (kw, role, block) = ROLES[i / per];
        let block = if i / per == 0 && varied {
            format!("{{ emits Event v1  volume {}M events/day }}", i + 1)
        } else {
            block.to_string()
        };
        out.push(format!("{kw} n{i} : {role} {block}").trim_end().to_string());
    }
    for i in 0..per {
        let (a, b, c, d, e) = (i, per + i, 2 * per + i, 3 * per + i, 4 * per + i);
        out.push(format!("flow n{a} -> n{b} stream carries Event v1"));
        out.push(format!("flow n{b} -> n{c} stream"));
        out.push(format!("flow n{c} -> n{d} stream write merge(event_id)"));
        out.push(format!("flow n{d} -> n{e} read scan"));
    }
    for (k, layer) in LAYERS.iter().enumerate() {
        let members: Vec<String> = (k * per..(k + 1) * per).map(|i| format!("n{i}")).collect();
        out.push(format!("layer {layer} {{ {} }}", members.join(", ")));
    }
    out.push(format!(
        "path p0 = n0 -> n{per} -> n{} -> n{}",
        2 * per,
        3 * per
    ));
    for (tool, start) in [("kafka", per), ("flink", 2 * per), ("delta_lake", 3 * per)] {
        let nodes: Vec<String> = (start..start + per).map(|i| format!("n{i}")).collect();
        out.push(format!("use {tool} for {}", nodes.join(", ")));
        out.push("because   \"the generated design needs it\"".into());
        out.push("accepting \"the generated design pays for it\"".into());
    }
    out.push("late_data Event.occurred_at watermark 1 min".into());
    for i in 0..5 * per {
        if i / per == 4 {
            continue;
        }
        let dlq = if i / per == 2 {
            format!(";  dlq d{i} after 3 retries")
        } else {
            String::new()
        };
        out.push(format!(
            "failure n{i} {{ detect errors > 0;  recover restart within 5 min{dlq} }}"
        ));
    }
    out.push("}".into());
    out.join("\n") + "\n"
}

/// `git ARGS` in `dir` with a fixed author, asserting it succeeds; its output,
/// trimmed.
pub fn git(dir: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap_or_else(|e| panic!("git: {e}"));
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

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

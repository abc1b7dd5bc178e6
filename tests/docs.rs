//! docs/rules.md, which SARIF's `helpUri` links each rule to, says what `dsd
//! explain` says: generated from the rule table and checked here.

#[test]
fn the_rules_page_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let want = dsd::rules::reference_markdown();
    if std::env::var_os("DSD_WRITE_DOCS").is_some() {
        std::fs::write(&path, &want).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    let got = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        got == want,
        "docs/rules.md is not what the rule table says; run `DSD_WRITE_DOCS=1 cargo test --test docs`"
    );
    // Every rule has its section, at the anchor helpUri names.
    for r in dsd::rules::RULES {
        assert!(got.contains(&format!("\n## {}\n", r.name)), "{}", r.name);
        assert!(dsd::rules::help_uri(r.name).ends_with(&format!("docs/rules.md#{}", r.name)));
    }
}

/// schemas/*.schema.json, the published JSON Schemas of `check`, `report` and
/// `diff`, are what `dsd::emit::schema` derives from the structs that write the
/// output.
#[test]
fn the_json_schemas_are_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let write = std::env::var_os("DSD_WRITE_DOCS").is_some();
    if write {
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
    let mut stale = Vec::new();
    for (name, want) in dsd::emit::schema::all() {
        let path = dir.join(name);
        if write {
            std::fs::write(&path, &want).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
        let got = std::fs::read_to_string(&path).unwrap_or_default();
        if got != want {
            stale.push(name);
        }
        let schema: serde_json::Value =
            serde_json::from_str(&want).unwrap_or_else(|e| panic!("{name}: {e}"));
        let command = name.trim_end_matches(".schema.json");
        assert_eq!(
            schema["$id"].as_str(),
            Some(
                format!("https://raw.githubusercontent.com/dsd-lang/dsd/main/schemas/{name}")
                    .as_str()
            ),
            "{name}"
        );
        assert_eq!(
            schema["title"].as_str(),
            Some(format!("dsd {command} --format json").as_str()),
            "{name}"
        );
    }
    // Nothing else in the folder: a schema dropped from `all` goes with its file.
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    assert_eq!(
        files,
        [
            "check.schema.json",
            "compare.schema.json",
            "diff.schema.json",
            "report.schema.json",
            "what-if.schema.json"
        ],
        "schemas/ holds exactly the shipped schemas"
    );
    assert!(
        stale.is_empty(),
        "{stale:?} in schemas/ differ from the structs that write the output; run `DSD_WRITE_DOCS=1 cargo test --test docs`"
    );
}

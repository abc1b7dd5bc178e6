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

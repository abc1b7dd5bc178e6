//! `dsd init`: every template fails `dsd check` until its placeholders are
//! answered, and passes once they are.

mod common;
use common::run_in;

const TEMPLATES: [&str; 5] = [
    "streaming",
    "warehouse",
    "feature-store",
    "backfill",
    "dashboard",
];

/// Answers a starter design's questions the way a user would.
fn fill(text: &str) -> String {
    text.lines()
        .map(|line| {
            let code = line.split("//").next().unwrap_or("");
            if !code.contains("TODO") {
                return line.to_string();
            }
            if let Some(start) = line.find("\"TODO") {
                let end = line[start + 1..]
                    .find('"')
                    .map(|e| start + 2 + e)
                    .unwrap_or(line.len());
                return format!(
                    "{}\"decided for this design\"{}",
                    &line[..start],
                    &line[end..]
                );
            }
            let value = match line.split_whitespace().next().unwrap_or("") {
                "volume" => "1M",
                "peak" => "3x",
                "latency" => "5",
                "freshness" => "6",
                "retention" => "30",
                "team" => "8",
                other => panic!("no answer for `{other}`: {line}"),
            };
            line.replacen("TODO", value, 1)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_template_fails_until_filled_then_passes() {
    let dir = std::env::temp_dir().join(format!("dsd-init-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    for t in TEMPLATES {
        let name = format!("starter_{}", t.replace('-', "_"));
        let (code, _, err) = run_in(&dir, &["init", &name, "--template", t]);
        assert_eq!(code, 0, "{t}: {err}");
        let file = format!("{name}.dsd");
        let (code, json, _) = run_in(&dir, &["check", "--format", "json", &file]);
        assert_eq!(code, 1, "{t}: an unfilled starter must fail");
        assert_eq!(common::codes(&json), ["unfilled-placeholder"], "{t}");
        // Every requirement the later steps need is asked for.
        let text = std::fs::read_to_string(dir.join(&file)).unwrap_or_else(|e| panic!("{e}"));
        for key in ["volume", "peak", "delivery", "retention", "team"] {
            assert!(text.contains(&format!("    {key} ")), "{t}: no {key}");
        }
        // It is already in the canonical layout.
        assert_eq!(
            run_in(&dir, &["fmt", "--check", &file]).0,
            0,
            "{t}: not formatted"
        );
        std::fs::write(dir.join(&file), fill(&text)).unwrap_or_else(|e| panic!("{e}"));
        let (code, json, err) = run_in(&dir, &["check", "--format", "json", &file]);
        assert_eq!(common::codes(&json), Vec::<String>::new(), "{t}: {err}");
        assert_eq!(code, 0, "{t}");
    }
    // No overwriting, and names must be identifiers.
    assert_eq!(run_in(&dir, &["init", "starter_streaming"]).0, 2);
    assert_eq!(run_in(&dir, &["init", "bad name"]).0, 2);
    assert_eq!(run_in(&dir, &["init", "x", "--template", "lakehouse"]).0, 2);
    let _ = std::fs::remove_dir_all(&dir);
}

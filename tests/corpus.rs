//! The precision corpus: designs written from scratch, by people who had not read
//! `src/check/`, in domains the reference does not cover.
//!
//! - `tests/corpus/clean/`: good designs. Each checks with no finding at all.
//! - `tests/corpus/seeded/RULE/`: an otherwise good design with one hazard that
//!   RULE owns (its first line says which). Each reports exactly that rule.
//!
//! Where dsd first disagreed with a design, the disagreement was judged: dsd was
//! fixed (tests/precision.rs has a test per fix), or the design was, with a
//! `// dsd:` comment on the changed line saying why. tests/corpus/README.md lists
//! the judgements and the seeded designs dsd still misses.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn designs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "dsd"))
        .collect();
    out.sort();
    out
}

fn compile(path: &Path) -> (String, Vec<dsd::diagnostic::Diagnostic>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let diags = dsd::compile(&path.display().to_string(), &text, &dsd::NoImports).diagnostics;
    (text, diags)
}

fn show(diags: &[dsd::diagnostic::Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect()
}

#[test]
fn every_clean_design_checks_without_a_finding() {
    let clean = designs(&root().join("clean"));
    assert!(clean.len() >= 25, "only {} clean designs", clean.len());
    for path in clean {
        let (_, diags) = compile(&path);
        assert!(diags.is_empty(), "{}: {:#?}", path.display(), show(&diags));
    }
}

/// Every rule of `tests/rules/` has at least two seeded designs in other domains,
/// and each reports its rule and no other.
#[test]
fn every_seeded_design_reports_exactly_its_rule() {
    let rules: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules"))
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
    assert!(rules.len() >= 27, "{rules:?}");
    for rule in rules {
        let dir = root().join("seeded").join(&rule);
        let seeded = if dir.is_dir() {
            designs(&dir)
        } else {
            Vec::new()
        };
        assert!(seeded.len() >= 2, "{rule}: {} seeded designs", seeded.len());
        let mut domains = BTreeSet::new();
        for path in seeded {
            let (text, diags) = compile(&path);
            assert!(
                text.lines()
                    .next()
                    .is_some_and(|l| l.starts_with(&format!("// seeded: {rule}"))),
                "{}: the first line says what is seeded",
                path.display()
            );
            let codes: BTreeSet<&str> = diags.iter().map(|d| d.code).collect();
            assert_eq!(
                codes,
                BTreeSet::from([rule.as_str()]),
                "{}: {:#?}",
                path.display(),
                show(&diags)
            );
            domains.insert(path.file_stem().map(|s| s.to_string_lossy().into_owned()));
        }
        assert!(domains.len() >= 2, "{rule}: two domains");
    }
}

/// Every name a finding's message puts in backticks (a node, field, schema, flow
/// end, tool, requirement) is written in the design it is about: a message that
/// names `customer_id` in a design with no such field is a bug. Over every rule's
/// fail fixture and every seeded design.
/// Clause and property words a message may quote that a design need not contain.
const CLAUSES: &[&str] = &[
    "because",
    "accepting",
    "instances",
    "use",
    "allow",
    "dlq",
    "key",
    "partitions",
    "threads",
    "ttl",
    "refresh",
    "evolution",
    "via",
];

#[test]
fn every_name_a_message_gives_is_in_its_design() {
    let mut files: Vec<PathBuf> = Vec::new();
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules");
    for entry in std::fs::read_dir(&rules)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        let fail = entry.path().join("fail.dsd");
        if fail.is_file() {
            files.push(fail);
        }
    }
    for entry in std::fs::read_dir(root().join("seeded"))
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        files.extend(designs(&entry.path()));
    }
    files.sort();
    let mut checked = 0;
    for path in files {
        let (text, diags) = compile(&path);
        let words: BTreeSet<&str> = text
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'))
            .chain(text.split(|c: char| !(c.is_alphanumeric() || c == '_')))
            .collect();
        for d in &diags {
            for (k, piece) in d.message.split('`').enumerate() {
                let name = k % 2 == 1
                    && !piece.is_empty()
                    && piece
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.');
                // The language's own words: a requirement a design lacks, a rule.
                let keyword = dsd::ast::keys::REQUIREMENTS.contains(&piece)
                    || CLAUSES.contains(&piece)
                    || dsd::rules::find(piece).is_some();
                if name && !keyword {
                    checked += 1;
                    assert!(
                        words.contains(piece),
                        "{}: `{piece}` in \"{}\" is not in the design",
                        path.display(),
                        d.message
                    );
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} names checked");
}

//! SARIF 2.1.0 for code scanning: one run, every rule in `tool.driver.rules`,
//! results with physical locations relative to the repository root, related
//! locations for secondary spans, and `partialFingerprints` that survive lines
//! inserted elsewhere in the file.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::RULES;
use crate::source::SourceMap;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Where the project lives, from `Cargo.toml`'s `repository` (empty: left out).
const INFO_URI: &str = env!("CARGO_PKG_REPOSITORY");

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// 64-bit FNV-1a: small, stable across platforms and releases, good enough to
/// tell findings apart.
fn fnv(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// `uri` relative to the repository root, with `/` separators, as a URI
/// reference (RFC 3986). `root` is taken off only at a path-component boundary:
/// root `/x/repo` makes `/x/repo/a.dsd` into `a.dsd` but leaves `/x/repo2/a.dsd`.
fn artifact(name: &str, root: &str) -> String {
    let name = name.replace('\\', "/");
    let root = root.replace('\\', "/");
    let root = root.trim_end_matches('/');
    let rel = if root.is_empty() {
        name.as_str()
    } else {
        match name.strip_prefix(root) {
            Some(rest) if rest.starts_with('/') => rest.trim_start_matches('/'),
            _ => name.as_str(),
        }
    };
    let mut rel = rel;
    while let Some(rest) = rel.strip_prefix("./") {
        rel = rest.trim_start_matches('/');
    }
    percent_encode(rel)
}

/// A path as a URI path: every byte outside RFC 3986's unreserved characters and
/// `/` percent-encoded (UTF-8), so a space, `#`, `?`, `%`, `:` or a non-ASCII
/// letter in a file name reads back as the same file name.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn location(sources: &SourceMap, l: &crate::diagnostic::Label, root: &str) -> Value {
    let f = sources.get(l.file);
    let (line, col) = f.map(|x| x.line_col(l.span.start)).unwrap_or((1, 1));
    let (end_line, end_col) = f.map(|x| x.line_col(l.span.end)).unwrap_or((line, col));
    let mut loc = json!({
        "physicalLocation": {
            "artifactLocation": { "uri": artifact(f.map(|x| x.name.as_str()).unwrap_or(""), root) },
            "region": {
                "startLine": line,
                "startColumn": col,
                "endLine": end_line,
                "endColumn": end_col.max(if end_line == line { col + 1 } else { 1 }),
            }
        }
    });
    if !l.message.is_empty()
        && let Some(o) = loc.as_object_mut()
    {
        o.insert("message".into(), json!({ "text": l.message }));
    }
    loc
}

/// The SARIF log of every diagnostic. `root` is the repository root as the file
/// names are written (`""` when they are already relative to it).
pub fn render(all: &[(&SourceMap, &Diagnostic)], root: &str) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.name,
                // A readable name that differs from the opaque id, as SARIF asks.
                "name": r.name.split('-').map(|w| {
                    let mut c = w.chars();
                    c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
                }).collect::<String>(),
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.explanation },
                "help": { "text": r.explanation },
                "helpUri": crate::rules::help_uri(r.name),
                "defaultConfiguration": { "level": level(r.severity) },
            })
        })
        .collect();
    let index: BTreeMap<&str, usize> = RULES.iter().enumerate().map(|(i, r)| (r.name, i)).collect();
    // Fingerprints: the rule, the file, the text under the finding and the message,
    // plus how many identical ones came before, never the line number.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let results: Vec<Value> = all
        .iter()
        .map(|(sources, d)| {
            let file = sources.get(d.primary.file);
            let name = artifact(file.map(|f| f.name.as_str()).unwrap_or(""), root);
            let under = file.map(|f| f.slice(d.primary.span)).unwrap_or("");
            let key = format!(
                "{}|{name}|{}|{}",
                d.code,
                under.split_whitespace().collect::<Vec<_>>().join(" "),
                d.message
            );
            let n = seen.entry(key.clone()).or_insert(0);
            let fingerprint = format!("{:016x}:{}", fnv(&key), n);
            *n += 1;
            let mut text = d.message.clone();
            if let Some(h) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(h);
            }
            let related: Vec<Value> = d
                .secondary
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let mut v = location(sources, l, root);
                    if let Some(o) = v.as_object_mut() {
                        o.insert("id".into(), json!(i));
                    }
                    v
                })
                .collect();
            let mut r = json!({
                "ruleId": d.code,
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [location(sources, &d.primary, root)],
                "partialFingerprints": { "dsdFinding/v1": fingerprint },
            });
            if let Some(o) = r.as_object_mut() {
                if let Some(i) = index.get(d.code) {
                    o.insert("ruleIndex".into(), json!(i));
                }
                if !related.is_empty() {
                    o.insert("relatedLocations".into(), Value::Array(related));
                }
            }
            r
        })
        .collect();
    let mut driver = json!({
        "name": "dsd",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    });
    if !INFO_URI.is_empty()
        && let Some(o) = driver.as_object_mut()
    {
        o.insert("informationUri".into(), json!(INFO_URI));
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

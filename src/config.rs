//! `dsd.toml`, the project file: rule severities, standard-library overrides and
//! which files `dsd check` reads. Found by walking up from the input; unknown
//! keys and rule names are errors with a did-you-mean.
//!
//! ```toml
//! [rules]
//! weak-durability = "error"       # error | warning | allow
//!
//! [stdlib]
//! glacier_price = "$0.005/GB/month"
//! "s3.price_storage" = "$0.023/GB/month"
//!
//! [check]
//! include = ["designs/**/*.dsd"]
//! exclude = ["designs/archive/**"]
//!
//! [what-if]
//! scenarios = ["down fraud for 1 h at peak", "lose payments 2", "replay payments 7 days"]
//! ```

use crate::diagnostic::Severity;
use crate::suggest::help_for;
use std::collections::BTreeMap;

pub const FILE_NAME: &str = "dsd.toml";

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    /// Rule → severity, or `None` to silence it.
    pub rules: BTreeMap<String, Option<Severity>>,
    /// `--set` values from `[stdlib]`: (name, quantity text).
    pub stdlib: Vec<(String, String)>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// `[what-if] scenarios`: what `dsd what-if` runs when none is named.
    pub scenarios: Vec<String>,
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// `message` prefixed with the line of `[section]`'s `key` (or of the section
/// header), found in the text: `line 4: [rules]: no rule named …`.
fn here(text: &str, section: &str, key: Option<&str>, message: String) -> String {
    let mut in_section = false;
    let mut found = None;
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(h) = t.strip_prefix('[').and_then(|x| x.split(']').next()) {
            in_section = h.trim().trim_matches('"') == section;
            if in_section && key.is_none() {
                found = Some(n + 1);
                break;
            }
            continue;
        }
        if let (true, Some(k)) = (in_section, key) {
            let name = t
                .split('=')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(['"', '\'']);
            if name == k {
                found = Some(n + 1);
                break;
            }
        }
    }
    match found {
        Some(n) => format!("line {n}: {message}"),
        None => message,
    }
}

/// Parses a project file; every problem is reported, each with a did-you-mean
/// and the line it is on.
pub fn parse(text: &str) -> Result<Config, Vec<String>> {
    let table: toml::Table = match text.parse() {
        Ok(t) => t,
        Err(e) => {
            let at = e
                .span()
                .map(|r| {
                    let (line, col) = line_col(text, r.start);
                    format!("line {line}, column {col}: ")
                })
                .unwrap_or_default();
            return Err(vec![format!(
                "{at}{FILE_NAME} is not valid TOML: {}",
                e.message().trim_end()
            )]);
        }
    };
    let mut errors = Vec::new();
    let mut config = Config::default();
    for (section, value) in &table {
        let Some(inner) = value.as_table() else {
            errors.push(here(
                text,
                section,
                None,
                format!("`{section}` must be a table like `[{section}]`"),
            ));
            continue;
        };
        match section.as_str() {
            "rules" => {
                let names: Vec<&str> = crate::rules::RULES.iter().map(|r| r.name).collect();
                for (rule, level) in inner {
                    let Some(r) = crate::rules::find(rule) else {
                        errors.push(here(
                            text,
                            section,
                            Some(rule),
                            format!(
                                "[rules]: no rule named `{rule}`; {}",
                                help_for(rule, names.clone(), "run `dsd explain` to list them")
                            ),
                        ));
                        continue;
                    };
                    let level = level.as_str().unwrap_or("");
                    let sev = match level {
                        "error" | "deny" => Some(Severity::Error),
                        "warning" | "warn" => Some(Severity::Warning),
                        "allow" => None,
                        other => {
                            errors.push(here(text, section, Some(rule), format!("[rules] {rule} = \"{other}\": use \"error\", \"warning\" or \"allow\"")));
                            continue;
                        }
                    };
                    if sev != Some(Severity::Error) && crate::rules::is_front_end(r.name) {
                        errors.push(here(text, section, Some(rule), format!("[rules] {rule}: an error in the text cannot be made a warning or allowed")));
                        continue;
                    }
                    config.rules.insert(rule.to_string(), sev);
                }
            }
            "stdlib" => {
                for (name, v) in inner {
                    match v.as_str() {
                        Some(q) => config.stdlib.push((name.clone(), q.to_string())),
                        None => errors.push(here(text, section, Some(name), format!("[stdlib] {name}: give the quantity as a string, like \"$0.005/GB/month\""))),
                    }
                }
            }
            "check" => {
                for (key, v) in inner {
                    let list: Option<Vec<String>> = v.as_array().map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(str::to_string))
                            .collect()
                    });
                    match (key.as_str(), list) {
                        ("include", Some(l)) => config.include = l,
                        ("exclude", Some(l)) => config.exclude = l,
                        ("include" | "exclude", None) => errors.push(here(
                            text,
                            section,
                            Some(key),
                            format!(
                                "[check] {key}: give a list of globs, like [\"designs/**/*.dsd\"]"
                            ),
                        )),
                        (other, _) => errors.push(here(
                            text,
                            section,
                            Some(key),
                            format!(
                                "[check]: unknown key `{other}`; {}",
                                help_for(
                                    other,
                                    vec!["include", "exclude"],
                                    "keys are include and exclude"
                                )
                            ),
                        )),
                    }
                }
            }
            "what-if" => {
                for (key, v) in inner {
                    let list: Option<Vec<String>> = v
                        .as_array()
                        .and_then(|a| a.iter().map(|x| x.as_str().map(str::to_string)).collect());
                    match (key.as_str(), list) {
                        ("scenarios", Some(l)) => {
                            for sc in &l {
                                if let Err(e) = crate::whatif::Scenario::parse(sc) {
                                    errors.push(here(
                                        text,
                                        section,
                                        Some(key),
                                        format!("[what-if] scenarios: `{sc}`: {e}"),
                                    ));
                                }
                            }
                            config.scenarios = l;
                        }
                        ("scenarios", None) => errors.push(here(
                            text,
                            section,
                            Some(key),
                            "[what-if] scenarios: give a list of strings, like [\"down fraud for 1 h\"]".into(),
                        )),
                        (other, _) => errors.push(here(
                            text,
                            section,
                            Some(key),
                            format!(
                                "[what-if]: unknown key `{other}`; {}",
                                help_for(other, vec!["scenarios"], "the key is scenarios")
                            ),
                        )),
                    }
                }
            }
            other => errors.push(here(
                text,
                section,
                None,
                format!(
                    "unknown section `[{other}]`; {}",
                    help_for(
                        other,
                        vec!["rules", "stdlib", "check", "what-if"],
                        "sections are [rules], [stdlib], [check] and [what-if]"
                    )
                ),
            )),
        }
    }
    if errors.is_empty() {
        Ok(config)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_and_rules_get_suggestions() {
        let e = parse("[rule]\nx = 1\n[rules]\nweak-durabilty = \"error\"\n[check]\ninclud = []\n")
            .err()
            .unwrap_or_default();
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(
            e.iter().any(|m| m.contains("did you mean `rules`")),
            "{e:?}"
        );
        assert!(
            e.iter()
                .any(|m| m.contains("did you mean `weak-durability`")),
            "{e:?}"
        );
        assert!(
            e.iter().any(|m| m.contains("did you mean `include`")),
            "{e:?}"
        );
    }

    #[test]
    fn a_full_file() {
        let c = parse(
            "[rules]\nweak-durability = \"error\"\nsmall-files = \"allow\"\n[stdlib]\nglacier_price = \"$0.005/GB/month\"\n[check]\nexclude = [\"old/**\"]\n",
        );
        let c = c.unwrap_or_default();
        assert_eq!(c.rules.get("weak-durability"), Some(&Some(Severity::Error)));
        assert_eq!(c.rules.get("small-files"), Some(&None));
        assert_eq!(
            c.stdlib,
            vec![("glacier_price".to_string(), "$0.005/GB/month".to_string())]
        );
        assert_eq!(c.exclude, vec!["old/**".to_string()]);
    }
}

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
}

/// Parses a project file; every problem is reported, each with a did-you-mean.
pub fn parse(text: &str) -> Result<Config, Vec<String>> {
    let table: toml::Table = match text.parse() {
        Ok(t) => t,
        Err(e) => {
            return Err(vec![format!(
                "{FILE_NAME} is not valid TOML: {}",
                e.message()
            )]);
        }
    };
    let mut errors = Vec::new();
    let mut config = Config::default();
    for (section, value) in &table {
        let Some(inner) = value.as_table() else {
            errors.push(format!("`{section}` must be a table like `[{section}]`"));
            continue;
        };
        match section.as_str() {
            "rules" => {
                let names: Vec<&str> = crate::rules::RULES.iter().map(|r| r.name).collect();
                for (rule, level) in inner {
                    let Some(r) = crate::rules::find(rule) else {
                        errors.push(format!(
                            "[rules]: no rule named `{rule}`; {}",
                            help_for(rule, names.clone(), "run `dsd explain` to list them")
                        ));
                        continue;
                    };
                    let level = level.as_str().unwrap_or("");
                    let sev = match level {
                        "error" | "deny" => Some(Severity::Error),
                        "warning" | "warn" => Some(Severity::Warning),
                        "allow" => None,
                        other => {
                            errors.push(format!("[rules] {rule} = \"{other}\": use \"error\", \"warning\" or \"allow\""));
                            continue;
                        }
                    };
                    if sev != Some(Severity::Error) && crate::rules::is_front_end(r.name) {
                        errors.push(format!("[rules] {rule}: an error in the text cannot be made a warning or allowed"));
                        continue;
                    }
                    config.rules.insert(rule.to_string(), sev);
                }
            }
            "stdlib" => {
                for (name, v) in inner {
                    match v.as_str() {
                        Some(q) => config.stdlib.push((name.clone(), q.to_string())),
                        None => errors.push(format!("[stdlib] {name}: give the quantity as a string, like \"$0.005/GB/month\"")),
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
                        ("include" | "exclude", None) => errors.push(format!(
                            "[check] {key}: give a list of globs, like [\"designs/**/*.dsd\"]"
                        )),
                        (other, _) => errors.push(format!(
                            "[check]: unknown key `{other}`; {}",
                            help_for(
                                other,
                                vec!["include", "exclude"],
                                "keys are include and exclude"
                            )
                        )),
                    }
                }
            }
            other => errors.push(format!(
                "unknown section `[{other}]`; {}",
                help_for(
                    other,
                    vec!["rules", "stdlib", "check"],
                    "sections are [rules], [stdlib] and [check]"
                )
            )),
        }
    }
    if errors.is_empty() {
        Ok(config)
    } else {
        Err(errors)
    }
}

/// Whether `path` (with `/` separators) matches a glob: `*` within a segment,
/// `**` across segments, `?` one character.
pub fn glob(pattern: &str, path: &str) -> bool {
    let p: Vec<&str> = pattern
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    let s: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    segments(&p, &s)
}

/// Whether pattern segments `p` match path segments `s`, by a table of which
/// suffixes match which: time |p| × |s|, no recursion. (Trying each way a `**`
/// could split the path, as a backtracking matcher does, is exponential in the
/// number of `**`s: 20 of them against a path 20 folders deep ran for minutes.)
fn segments(p: &[&str], s: &[&str]) -> bool {
    let width = s.len() + 1;
    // ok[i * width + j]: p[i..] matches s[j..].
    let mut ok = vec![false; (p.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    if let Some(end) = ok.get_mut(at(p.len(), s.len())) {
        *end = true;
    }
    for i in (0..p.len()).rev() {
        for j in (0..=s.len()).rev() {
            let here = match p.get(i) {
                // `**` takes no segment, or one more.
                Some(&"**") => {
                    ok.get(at(i + 1, j)).copied().unwrap_or(false)
                        || (j < s.len() && ok.get(at(i, j + 1)).copied().unwrap_or(false))
                }
                Some(head) => s.get(j).is_some_and(|name| {
                    segment(head.as_bytes(), name.as_bytes())
                        && ok.get(at(i + 1, j + 1)).copied().unwrap_or(false)
                }),
                None => false,
            };
            if let Some(cell) = ok.get_mut(at(i, j)) {
                *cell = here;
            }
        }
    }
    ok.first().copied().unwrap_or(false)
}

/// `*` and `?` within one path segment, iteratively (no recursion on input).
fn segment(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while si < s.len() {
        match p.get(pi) {
            Some(b'?') => {
                pi += 1;
                si += 1;
            }
            Some(b'*') => {
                star = Some(pi);
                pi += 1;
                mark = si;
            }
            Some(c) if Some(c) == s.get(si) => {
                pi += 1;
                si += 1;
            }
            _ => match star {
                Some(st) => {
                    pi = st + 1;
                    mark += 1;
                    si = mark;
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|c| *c == b'*'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("designs/**/*.dsd", "designs/a/b/c.dsd"));
        assert!(glob("designs/**/*.dsd", "designs/c.dsd"));
        assert!(!glob("designs/*.dsd", "designs/a/c.dsd"));
        assert!(glob("**/archive/**", "x/archive/y/z.dsd"));
        assert!(glob("a?c.dsd", "abc.dsd"));
        assert!(!glob("*.dsd", "a.toml"));
    }

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

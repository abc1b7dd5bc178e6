//! The catalogue of diagnostic codes: name, default severity, one-line summary and
//! the explanation `dsd explain NAME` prints. Names are a public contract.

use crate::diagnostic::Severity;

pub struct Rule {
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub explanation: &'static str,
}

pub const RULES: &[Rule] = &[
    Rule {
        name: "syntax-error",
        severity: Severity::Error,
        summary: "a line that is not valid dsd",
        explanation: "The parser could not read this line. dsd goes on after a bad line, so every \
            syntax error in a file is reported at once. The help line names what was expected there.",
    },
    Rule {
        name: "nesting-too-deep",
        severity: Severity::Error,
        summary: "brackets nested deeper than dsd accepts",
        explanation: "Parentheses, brackets and braces may nest at most 64 deep. Deeper nesting is \
            almost always an unclosed bracket; dsd refuses it before parsing so that no input can \
            exhaust the stack.",
    },
    Rule {
        name: "file-too-large",
        severity: Severity::Error,
        summary: "a source file over the size limit",
        explanation: "dsd reads source files of at most 16 MiB. Split a larger design into files \
            that import each other.",
    },
    Rule {
        name: "invalid-encoding",
        severity: Severity::Error,
        summary: "a source file that is not UTF-8",
        explanation: "dsd reads UTF-8 text. Re-save the file as UTF-8 (without changing its content).",
    },
    Rule {
        name: "unknown-name",
        severity: Severity::Error,
        summary: "a reference to a node, schema, field, tool, role, rule, unit or let that does not exist",
        explanation: "Every name a design uses must be declared: nodes with `source`/`node`, schemas \
            with `schema`, tools and roles in the standard library or an imported catalogue, \
            quantities with `let`, count nouns with `noun`. The help line suggests the closest \
            declared name.",
    },
    Rule {
        name: "duplicate-name",
        severity: Severity::Error,
        summary: "the same name declared twice",
        explanation: "Nodes, schemas (per version), lets, paths, layers and tools each have one \
            declaration. Rename one of them or remove the copy.",
    },
    Rule {
        name: "unknown-property",
        severity: Severity::Error,
        summary: "a property, requirement or clause word that this construct does not have",
        explanation: "Blocks hold `property value` pairs, and each construct knows its properties \
            (`partitions`, `threads`, `retain` on nodes; `volume`, `peak`, `latency` in \
            requirements; `cause`, `detect`, `recover` in failure blocks). A misspelt one would \
            silently drop a fact the checker needs, so it is an error with a suggestion.",
    },
    Rule {
        name: "invalid-value",
        severity: Severity::Error,
        summary: "a property whose value has the wrong shape",
        explanation: "Each property takes a value of a given shape: a quantity, a name, a string, a \
            comparison. The message says which shape was expected and what was found.",
    },
    Rule {
        name: "dimension-mismatch",
        severity: Severity::Error,
        summary: "quantities whose units do not agree",
        explanation: "Every number in dsd carries a unit, and dsd checks dimensions the way a \
            physicist would: `5M orders/day * 350 B` is bytes per time, `1 GB + 3 ms` is \
            meaningless, and `latency <= 2 GB` is not a latency. Step 2 of the reference \
            (estimate capacity) only works if the arithmetic is right; this rule makes it so.",
    },
    Rule {
        name: "invalid-quantity",
        severity: Severity::Error,
        summary: "arithmetic that overflows, divides by zero or has no meaning",
        explanation: "A quantity that overflows, divides by zero or yields no number is reported \
            here instead of being carried on as infinity or NaN.",
    },
    Rule {
        name: "import-error",
        severity: Severity::Error,
        summary: "an import that cannot be read, leaves the project root or forms a cycle",
        explanation: "`import \"file.dsd\"` reads a file relative to the importing one. It must stay \
            inside the project root (the folder of the file given to dsd), must exist, and \
            imports must not form a cycle.",
    },
    Rule {
        name: "missing-tradeoff",
        severity: Severity::Error,
        summary: "a tool choice without its reason and its cost",
        explanation: "Step 5 of the reference: every tool choice is a trade-off. `use TOOL for NODE` \
            must say `because \"...\"` (what the tool buys) and `accepting \"...\"` (what it \
            costs), both non-empty. \"Kafka because it's good\" is not a design decision; \
            \"Kafka because we need replay and fan-out, accepting the operational overhead of a \
            cluster\" is.",
    },
    Rule {
        name: "tool-role-mismatch",
        severity: Severity::Error,
        summary: "a tool that cannot play the role of the node it is used for",
        explanation: "The reference's storage decision tree: each kind of store is chosen for what it \
            can do and gives something up. Redis is not an object store; Elasticsearch is not a \
            durable source of truth. A tool may only be used for a node whose role is among the \
            roles the catalogue gives it.",
    },
    Rule {
        name: "allow-without-reason",
        severity: Severity::Error,
        summary: "an `allow` without a reason",
        explanation: "A rule can be silenced only with a reason, exactly like a trade-off: \
            `allow RULE because \"...\"`.",
    },
];

pub fn find(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name)
}

pub fn default_severity(name: &str) -> Severity {
    find(name).map(|r| r.severity).unwrap_or(Severity::Error)
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_kebab_case_and_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for r in super::RULES {
            assert!(
                r.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                r.name
            );
            assert!(seen.insert(r.name), "duplicate rule {}", r.name);
            assert!(!r.summary.is_empty() && !r.explanation.is_empty());
        }
    }
}

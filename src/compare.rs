//! `dsd compare FILE --alt NODE=TOOL`: the same design with one tool swapped,
//! side by side — the monthly bill, the first bottleneck and how far load can
//! grow before it, each path's latency against its SLA, the systems the team
//! must run, and the findings the swap adds or removes. The reference's
//! trade-offs as numbers.

use crate::diagnostic::Diagnostic;
use crate::flow::Ctx;
use crate::model::{Catalogue, Design, ToolUse};
use crate::sizing::Bottleneck;
use crate::source::Span;
use crate::units::exact_time;

/// One `--alt NODE=TOOL`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alt {
    pub node: String,
    pub tool: String,
}

impl Alt {
    pub fn parse(text: &str) -> Result<Alt, String> {
        match text.split_once('=') {
            Some((n, t)) if !n.trim().is_empty() && !t.trim().is_empty() => Ok(Alt {
                node: n.trim().to_string(),
                tool: t.trim().to_string(),
            }),
            _ => Err(format!(
                "--alt takes NODE=TOOL, like `--alt payments=kinesis`; got `{text}`"
            )),
        }
    }
}

/// The design with the node's tool swapped: the node runs the new tool, under a
/// `use` of its own that keeps the old reasons (the trade-off is what is being
/// weighed). Errors name what is wrong, with a did-you-mean.
pub fn apply(design: &Design, catalogue: &Catalogue, alt: &Alt) -> Result<Design, String> {
    let Some(i) = design.node_index(&alt.node) else {
        let names: Vec<&str> = design.nodes.iter().map(|n| n.name.name.as_str()).collect();
        return Err(format!(
            "no node is named `{}`; {}",
            alt.node,
            crate::suggest::help_for(&alt.node, names, "--alt names a node of the design")
        ));
    };
    let Some(tool) = catalogue.tools.get(&alt.tool) else {
        let names: Vec<&str> = catalogue.tools.keys().map(String::as_str).collect();
        return Err(format!(
            "no tool is named `{}`; {}",
            alt.tool,
            crate::suggest::help_for(&alt.tool, names, "run `dsd catalogue` to list them")
        ));
    };
    let mut d = design.clone();
    let Some(node) = d.nodes.get_mut(i) else {
        return Err(format!("no node is named `{}`", alt.node));
    };
    if !tool.roles.contains(&node.role) {
        let fits: Vec<&str> = catalogue
            .tools
            .values()
            .filter(|t| t.roles.contains(&node.role))
            .map(|t| t.name.as_str())
            .collect();
        return Err(format!(
            "`{}` cannot play the role `{}` of node `{}` (it plays {}); tools for a {}: {}",
            tool.name,
            node.role,
            alt.node,
            tool.roles.join(", "),
            node.role,
            fits.join(", ")
        ));
    }
    node.tool = Some(tool.name.clone());
    let mut reasons = (String::new(), String::new(), Span::new(0, 0));
    for u in &mut d.uses {
        if let Some(k) = u.nodes.iter().position(|n| *n == i) {
            reasons = (u.because.clone(), u.accepting.clone(), u.span);
            u.nodes.remove(k);
        }
    }
    d.uses.retain(|u| !u.nodes.is_empty());
    d.uses.push(ToolUse {
        tool: crate::ast::Ident {
            name: tool.name.clone(),
            span: reasons.2,
        },
        nodes: vec![i],
        because: reasons.0,
        accepting: reasons.1,
        span: reasons.2,
    });
    Ok(d)
}

/// A path's latency at the pessimistic end against its SLA.
#[derive(Clone, Debug, PartialEq)]
pub struct PathLatency {
    pub path: String,
    pub seconds: f64,
    pub sla: Option<f64>,
}

/// What one side of the comparison shows.
#[derive(Clone, Debug)]
pub struct Side {
    /// `cost.total`: dollars a month, or why not computed.
    pub cost: Result<f64, String>,
    pub cost_display: String,
    /// Lines of the bill without a price (`cost.payments.shards`: why).
    pub unpriced: Vec<String>,
    pub bottleneck: Option<Bottleneck>,
    pub latencies: Vec<PathLatency>,
    /// The systems the team runs itself, by name.
    pub self_managed: Vec<String>,
    pub team: Option<f64>,
    /// `code: message` of each design finding.
    pub findings: Vec<String>,
}

pub fn side(design: &Design, catalogue: &Catalogue, scale: f64) -> Side {
    let ctx = Ctx::new(design, catalogue);
    let report = crate::sizing::size_in(&ctx, scale);
    let (cost, cost_display) = match report.figure("cost.total").map(|f| &f.value) {
        Some(Ok(v)) => (Ok(v.hi), v.display()),
        Some(Err(why)) => (Err(why.clone()), "not computed".into()),
        None => (
            Err("no line of the bill is priced".into()),
            "not computed".into(),
        ),
    };
    let unpriced = report
        .figures
        .iter()
        .filter(|f| f.id.starts_with("cost.") && f.value.is_err())
        .map(|f| f.label.clone())
        .collect();
    let latencies = design
        .paths
        .iter()
        .map(|p| PathLatency {
            path: p.name.name.clone(),
            seconds: crate::check::path_parts(&ctx, p).iter().map(|x| x.0).sum(),
            sla: design
                .requirements
                .latency
                .iter()
                .find(|b| b.target.as_ref().is_some_and(|t| t.name == p.name.name))
                .map(|b| b.value.hi),
        })
        .collect();
    let self_managed = crate::check::self_managed(&ctx)
        .keys()
        .map(|s| s.to_string())
        .collect();
    let raw = crate::check::run_with(&ctx, &report);
    let mut findings: Vec<String> = crate::check::apply_allows(design, raw, true)
        .into_iter()
        .filter(|d: &Diagnostic| d.is_error() || d.severity == crate::diagnostic::Severity::Warning)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    findings.sort();
    findings.dedup();
    Side {
        cost,
        cost_display,
        unpriced,
        bottleneck: report.first_bottleneck,
        latencies,
        self_managed,
        team: design.requirements.team.as_ref().map(|t| t.value.hi),
        findings,
    }
}

fn bottleneck_text(b: &Option<Bottleneck>) -> String {
    match b {
        Some(b) => format!(
            "{} at {}x the load",
            b.label,
            crate::units::format_number((b.factor * 100.0).round() / 100.0)
        ),
        None => "none computed".into(),
    }
}

fn systems_text(s: &Side) -> String {
    let n = s.self_managed.len();
    let list = if n == 0 {
        String::new()
    } else {
        format!(" ({})", s.self_managed.join(", "))
    };
    match s.team {
        Some(t) if t > 0.0 => format!(
            "{n}{list}, {} per engineer",
            crate::units::format_number((n as f64 / t * 100.0).round() / 100.0)
        ),
        _ => format!("{n}{list}"),
    }
}

/// The comparison as a Markdown document.
pub fn markdown(design: &str, alts: &[Alt], base: &Side, other: &Side) -> String {
    let cell = crate::emit::markdown::cell;
    let swap: Vec<String> = alts
        .iter()
        .map(|a| format!("`{}` on {}", a.node, a.tool))
        .collect();
    let mut out = format!(
        "# Compare: {} with {}\n\n| | as designed | with {} | change |\n|---|---|---|---|\n",
        crate::emit::markdown::code(design),
        swap.join(", "),
        swap.join(", ")
    );
    let newly: Vec<&String> = other
        .unpriced
        .iter()
        .filter(|u| !base.unpriced.contains(u))
        .collect();
    let cost_change = match (&base.cost, &other.cost) {
        _ if !newly.is_empty() => format!(
            "not comparable: {} unpriced with the swap (no sourced price in the catalogue; declare one to compare)",
            newly
                .iter()
                .map(|u| u.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        (Ok(a), Ok(b)) => {
            let d = b - a;
            let pct = if *a > 0.0 {
                format!(" ({:+.0}%)", d / a * 100.0)
            } else {
                String::new()
            };
            format!(
                "{}${}/month{pct}",
                if d < 0.0 { "−" } else { "+" },
                crate::units::format_number((d.abs() * 100.0).round() / 100.0)
            )
        }
        _ => "—".into(),
    };
    out.push_str(&format!(
        "| monthly cost | {} | {} | {} |\n",
        cell(&base.cost_display),
        cell(&other.cost_display),
        cell(&cost_change)
    ));
    out.push_str(&format!(
        "| first bottleneck | {} | {} | {} |\n",
        cell(&bottleneck_text(&base.bottleneck)),
        cell(&bottleneck_text(&other.bottleneck)),
        if bottleneck_text(&base.bottleneck) == bottleneck_text(&other.bottleneck) {
            "same"
        } else {
            "moved"
        }
    ));
    for (a, b) in base.latencies.iter().zip(&other.latencies) {
        let sla = a
            .sla
            .map(|s| format!(" (SLA {})", exact_time(s)))
            .unwrap_or_default();
        let d = b.seconds - a.seconds;
        out.push_str(&format!(
            "| path `{}`{sla} | {} | {} | {} |\n",
            cell(&a.path),
            exact_time(a.seconds),
            exact_time(b.seconds),
            if d == 0.0 {
                "same".to_string()
            } else {
                format!("{}{}", if d < 0.0 { "−" } else { "+" }, exact_time(d.abs()))
            }
        ));
    }
    out.push_str(&format!(
        "| systems the team runs | {} | {} | {} |\n",
        cell(&systems_text(base)),
        cell(&systems_text(other)),
        match other.self_managed.len() as i64 - base.self_managed.len() as i64 {
            0 => "same".to_string(),
            n => format!("{n:+}"),
        }
    ));
    let added: Vec<&String> = other
        .findings
        .iter()
        .filter(|f| !base.findings.contains(f))
        .collect();
    let removed: Vec<&String> = base
        .findings
        .iter()
        .filter(|f| !other.findings.contains(f))
        .collect();
    out.push_str(&format!(
        "| findings | {} | {} | {} added, {} removed |\n\n",
        base.findings.len(),
        other.findings.len(),
        added.len(),
        removed.len()
    ));
    for (title, list) in [
        ("Findings the swap adds", added),
        ("Findings it removes", removed),
    ] {
        if list.is_empty() {
            continue;
        }
        out.push_str(&format!("## {title}\n\n"));
        for f in list {
            out.push_str(&format!("- {}\n", crate::emit::markdown::text(f)));
        }
        out.push('\n');
    }
    out
}

/// `dsd compare --format json`: the design as written beside the design with
/// its tools swapped.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "CompareOutput", deny_unknown_fields)]
pub struct JsonCompare<'a> {
    /// The design's name.
    pub design: &'a str,
    /// The swaps, as given with `--alt NODE=TOOL`.
    pub alternatives: Vec<JsonAlt<'a>>,
    /// The design as written.
    pub as_designed: JsonSide<'a>,
    /// The design with every swap applied.
    pub alternative: JsonSide<'a>,
}

/// One `--alt NODE=TOOL`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "Alternative", deny_unknown_fields)]
pub struct JsonAlt<'a> {
    /// The node whose tool is swapped.
    pub node: &'a str,
    /// The tool it gets instead, by its catalogue name.
    pub tool: &'a str,
}

/// What one side shows.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "Side", deny_unknown_fields)]
pub struct JsonSide<'a> {
    /// `cost.total` in USD a month; null when not computed (see
    /// `monthly_cost_display` and `unpriced`).
    pub monthly_cost: Option<f64>,
    /// The cost as the Markdown shows it, or why it is not comparable.
    pub monthly_cost_display: &'a str,
    /// Lines of the bill with no price, each `id: why`: a side with any is not
    /// comparable on cost.
    pub unpriced: &'a [String],
    /// The first capacity check to run out as load grows; null when none does.
    pub first_bottleneck: Option<JsonBottleneck<'a>>,
    /// Each latency path at its pessimistic end, in the design's order.
    pub paths: Vec<JsonPath<'a>>,
    /// The systems the team runs itself, by node name.
    pub self_managed: &'a [String],
    /// The team's size (`team` requirement); null when not stated.
    pub team: Option<f64>,
    /// Every design finding, `rule: message`.
    pub findings: &'a [String],
}

/// The check that runs out first.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "Bottleneck", deny_unknown_fields)]
pub struct JsonBottleneck<'a> {
    /// The id of the report's check: `node.fraud.threads`.
    pub check: &'a str,
    /// The check in words.
    pub label: &'a str,
    /// How many times today's load it takes (1.0 or less: already short).
    pub factor: f64,
}

/// A path's latency against its SLA.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "PathLatency", deny_unknown_fields)]
pub struct JsonPath<'a> {
    /// The path's name.
    pub path: &'a str,
    /// Its latency in seconds, at the pessimistic end.
    pub seconds: f64,
    /// The SLA in seconds; null when none is stated.
    pub sla_seconds: Option<f64>,
}

fn json_side(s: &Side) -> JsonSide<'_> {
    JsonSide {
        monthly_cost: s.cost.as_ref().ok().copied(),
        monthly_cost_display: &s.cost_display,
        unpriced: &s.unpriced,
        first_bottleneck: s.bottleneck.as_ref().map(|b| JsonBottleneck {
            check: &b.check,
            label: &b.label,
            factor: b.factor,
        }),
        paths: s
            .latencies
            .iter()
            .map(|p| JsonPath {
                path: &p.path,
                seconds: p.seconds,
                sla_seconds: p.sla,
            })
            .collect(),
        self_managed: &s.self_managed,
        team: s.team,
        findings: &s.findings,
    }
}

/// The comparison as JSON: each side's figures and the findings that differ.
pub fn json(design: &str, alts: &[Alt], base: &Side, other: &Side) -> String {
    let doc = JsonCompare {
        design,
        alternatives: alts
            .iter()
            .map(|a| JsonAlt {
                node: &a.node,
                tool: &a.tool,
            })
            .collect(),
        as_designed: json_side(base),
        alternative: json_side(other),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

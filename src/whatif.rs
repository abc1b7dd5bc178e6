//! What if: a node down for a while, brokers or a zone lost, a replay of days of
//! history. Each scenario is arithmetic over the flow model (the rates reaching
//! each node), the capacities the sizing report checks, retention and the
//! design's own `failure` promises; every figure carries its derivation like the
//! report's, and every verdict says which promise it checks and why it holds or
//! not.
//!
//! The timeline of an outage: at 0 the node stops; records keep arriving and wait
//! in the nearest broker upstream (every node between stalls); the alarm fires
//! when a `detect` threshold is crossed; the node returns at the outage's end and
//! drains the backlog at its capacity minus what keeps arriving. A promise
//! `recover … within W` is kept when detection plus the drain fits in W.

use crate::ast::Cmp;
use crate::flow::Ctx;
use crate::model::RoleKind;
use crate::sizing::{Figure, Section, parallelism, q, range};
use crate::units::{Dimension, Quantity, format_number};

/// The rate records arrive at during an outage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    Peak,
    Average,
}

/// One question about the design.
#[derive(Clone, Debug, PartialEq)]
pub enum Scenario {
    /// `down NODE for DURATION [at peak|average]`
    Down { node: String, secs: f64, at: At },
    /// `lose NODE N`: N of a broker's brokers, or of a node's instances.
    Lose { node: String, count: f64 },
    /// `lose zone`: one availability zone of every node that states `zones`.
    LoseZone,
    /// `replay NODE DAYS [at RATE]`
    Replay {
        node: String,
        secs: f64,
        rate: Option<f64>,
    },
}

const USAGE: &str = "a scenario is `down NODE for DURATION [at peak|average]`, `lose NODE N`, `lose zone` or `replay NODE DURATION [at RATE/s]`";

/// Splits `1h` and `30min` into number and unit, as the design's own text writes them.
fn words_of(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in text.split_whitespace() {
        let digits = w
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == '_' || *c == ','))
            .map(|(i, _)| i);
        // `1e6` is a number, not `1` and a unit `e6`.
        let exponent = |u: &str| {
            let mut c = u.chars();
            matches!(c.next(), Some('e' | 'E')) && matches!(c.next(), Some('0'..='9' | '-' | '+'))
        };
        match digits {
            Some(i)
                if i > 0
                    && w.get(i..)
                        .is_some_and(|u| !u.starts_with('/') && !exponent(u)) =>
            {
                out.push(w.get(..i).unwrap_or(w).to_string());
                out.push(w.get(i..).unwrap_or("").to_string());
            }
            _ => out.push(w.to_string()),
        }
    }
    out
}

fn duration(words: &[String], what: &str) -> Result<f64, String> {
    match crate::flow::time_in_words(words) {
        Some(t) if t > 0.0 && t.is_finite() && t <= 100.0 * crate::units::YEAR => Ok(t),
        Some(_) => Err(format!(
            "{what} must be a time from a millisecond to 100 years"
        )),
        None => Err(format!(
            "{what} must be a time like `1 h`, `30 min` or `7 days`; got `{}`",
            words.join(" ")
        )),
    }
}

impl Scenario {
    pub fn parse(text: &str) -> Result<Scenario, String> {
        let words = words_of(text);
        let word = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
        match word(0) {
            "down" => {
                let node = word(1).to_string();
                if node.is_empty() || word(2) != "for" {
                    return Err(format!(
                        "write `down NODE for DURATION`, like `down fraud for 1 h`; {USAGE}"
                    ));
                }
                let at_pos = words.iter().position(|w| w == "at");
                let end = at_pos.unwrap_or(words.len());
                let secs = duration(words.get(3..end).unwrap_or(&[]), "the outage")?;
                let at = match at_pos.map(|p| word(p + 1)) {
                    None | Some("peak") => At::Peak,
                    Some("average") => At::Average,
                    Some(other) => {
                        return Err(format!(
                            "`at {other}`: an outage is `at peak` or `at average`"
                        ));
                    }
                };
                if at_pos.is_some_and(|p| words.len() > p + 2) {
                    return Err(format!("unexpected words after `at`; {USAGE}"));
                }
                Ok(Scenario::Down { node, secs, at })
            }
            "lose" if word(1) == "zone" && words.len() == 2 => Ok(Scenario::LoseZone),
            "lose" => {
                let node = word(1).to_string();
                let count = crate::units::parse_number(word(2))
                    .filter(|n| *n >= 1.0 && n.fract() == 0.0 && *n <= 1e6);
                match count {
                    Some(count) if !node.is_empty() && words.len() == 3 => {
                        Ok(Scenario::Lose { node, count })
                    }
                    _ => Err(format!(
                        "write `lose NODE N` with a whole number from 1 to 1,000,000, like `lose payments 2`, or `lose zone`; {USAGE}"
                    )),
                }
            }
            "replay" => {
                let node = word(1).to_string();
                if node.is_empty() {
                    return Err(format!(
                        "write `replay NODE DURATION`, like `replay payments 7 days`; {USAGE}"
                    ));
                }
                let at_pos = words.iter().position(|w| w == "at");
                let end = at_pos.unwrap_or(words.len());
                let secs = duration(words.get(2..end).unwrap_or(&[]), "the replay")?;
                let rate = match at_pos {
                    None => None,
                    Some(p) => {
                        // `at 5000/s`, `at 5000 payments/s`.
                        let (n, per_second) = match word(p + 1).strip_suffix("/s") {
                            Some(num) => (crate::units::parse_number(num), words.len() == p + 2),
                            None => (
                                crate::units::parse_number(word(p + 1)),
                                word(p + 2).ends_with("/s") && words.len() == p + 3,
                            ),
                        };
                        match n {
                            Some(n) if n > 0.0 && n.is_finite() && per_second => Some(n),
                            _ => {
                                return Err(
                                    "`at RATE`: a replay rate is records per second, like `at 5000 payments/s`".into(),
                                );
                            }
                        }
                    }
                };
                Ok(Scenario::Replay { node, secs, rate })
            }
            "" => Err(format!("an empty scenario; {USAGE}")),
            other => Err(format!("no scenario starts with `{other}`; {USAGE}")),
        }
    }

    /// The scenario as a design review would say it.
    pub fn text(&self) -> String {
        match self {
            Scenario::Down { node, secs, at } => format!(
                "`{node}` down for {} at {}",
                q(*secs, Dimension::TIME).display(),
                match at {
                    At::Peak => "peak",
                    At::Average => "average",
                }
            ),
            Scenario::Lose { node, count } => format!("lose {} of `{node}`", format_number(*count)),
            Scenario::LoseZone => "lose one availability zone".into(),
            Scenario::Replay { node, secs, rate } => {
                let mut t = format!("replay {} of `{node}`", q(*secs, Dimension::TIME).display());
                if let Some(r) = rate {
                    t.push_str(&format!(" at {}/s", format_number(*r)));
                }
                t
            }
        }
    }
}

/// A promise checked by a scenario: kept or not, and the arithmetic.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// Stable id: `fraud.recovery`, `payments.retention`, `payments.writes`.
    pub id: String,
    pub ok: bool,
    /// What is promised or asked, in words.
    pub label: String,
    pub derivation: String,
    /// The node it is about.
    pub node: Option<usize>,
}

/// What one scenario does to the design.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub scenario: String,
    pub figures: Vec<Figure>,
    pub verdicts: Vec<Verdict>,
    /// What the scenario does that is not a number or a promise: where records
    /// wait, what dsd does not model.
    pub notes: Vec<String>,
}

impl Outcome {
    fn figure(&mut self, id: String, label: String, value: Quantity, derivation: String) {
        let value = if value.lo.is_finite() && value.hi.is_finite() {
            Ok(value)
        } else {
            Err(crate::sizing::TOO_LARGE.into())
        };
        self.figures.push(Figure {
            id,
            section: Section::Failure,
            label,
            value,
            derivation,
            inputs: Vec::new(),
        });
    }

    fn missing(&mut self, id: String, label: String, why: String) {
        self.figures.push(Figure {
            id,
            section: Section::Failure,
            label,
            value: Err(why),
            derivation: String::new(),
            inputs: Vec::new(),
        });
    }

    fn verdict(&mut self, id: String, ok: bool, label: String, derivation: String, node: usize) {
        self.verdicts.push(Verdict {
            id,
            ok,
            label,
            derivation,
            node: Some(node),
        });
    }
}

fn node_of(ctx: &Ctx<'_>, name: &str) -> Result<usize, String> {
    ctx.design.node_index(name).ok_or_else(|| {
        let names: Vec<&str> = ctx
            .design
            .nodes
            .iter()
            .map(|n| n.name.name.as_str())
            .collect();
        format!(
            "no node is named `{name}`; {}",
            crate::suggest::help_for(name, names, "the scenario names a node of the design")
        )
    })
}

/// Runs one scenario over a design.
pub fn run(ctx: &Ctx<'_>, scenario: &Scenario) -> Result<Outcome, String> {
    let mut out = Outcome {
        scenario: scenario.text(),
        figures: Vec::new(),
        verdicts: Vec::new(),
        notes: Vec::new(),
    };
    match scenario {
        Scenario::Down { node, secs, at } => {
            let i = node_of(ctx, node)?;
            down(ctx, i, *secs, *at, true, &mut out)?;
            fallbacks(ctx, i, &mut out);
        }
        Scenario::Lose { node, count } => {
            let i = node_of(ctx, node)?;
            lose(ctx, i, *count, None, &mut out)?;
        }
        Scenario::LoseZone => lose_zone(ctx, &mut out)?,
        Scenario::Replay { node, secs, rate } => {
            let i = node_of(ctx, node)?;
            replay(ctx, i, *secs, *rate, &mut out)?;
        }
    }
    Ok(out)
}

/// Where a stalled node's input waits: up the data flows through every node
/// that is neither a broker nor a store (a processor whose write fails stalls
/// too), stopping at each broker or store, which keeps what arrives. Returns the
/// buffers, the stalled nodes (the node itself first) and the sources reached
/// with no buffer on the way, whose records have nowhere to wait.
fn buffers(ctx: &Ctx<'_>, i: usize) -> (Vec<usize>, Vec<usize>, Vec<usize>) {
    let mut keep = Vec::new();
    let mut stalled = vec![i];
    let mut unbuffered = Vec::new();
    // A set, not a flag per node: the walk touches a few nodes, and the
    // recovery rule runs it once per failure block.
    let mut seen = std::collections::BTreeSet::from([i]);
    let mut stack = vec![i];
    while let Some(n) = stack.pop() {
        let ins: Vec<usize> = ctx
            .data_in
            .get(n)
            .into_iter()
            .flatten()
            .filter(|e| ctx.rates.edge.get(e.flow).is_some_and(|p| !p.is_empty()))
            .filter(|e| {
                ctx.flow(e.flow).is_none_or(|f| {
                    f.read
                        .as_ref()
                        .is_none_or(|r| r.kind != crate::model::ReadKind::Lookup)
                })
            })
            .map(|e| e.src)
            .collect();
        if ins.is_empty() && n != i {
            unbuffered.push(n);
        }
        for s in ins {
            if !seen.insert(s) {
                continue;
            }
            match ctx.kind(s) {
                Some(RoleKind::Broker | RoleKind::Store) => keep.push(s),
                _ => {
                    stalled.push(s);
                    stack.push(s);
                }
            }
        }
    }
    keep.sort_unstable();
    unbuffered.sort_unstable();
    stalled.retain(|s| !unbuffered.contains(s));
    (keep, stalled, unbuffered)
}

/// What a node can process, records per second: its threads (or instances) that
/// get a partition ÷ `per_event`, and no more than the topics it reads can serve
/// it (their `per_partition_out` × partitions ÷ record size). The text is the
/// arithmetic, naming what binds.
pub fn capacity(ctx: &Ctx<'_>, i: usize) -> Option<(f64, String)> {
    capacity_of(ctx, i, true)
}

/// [`capacity`], with its text only when `explain`: the recovery rule asks for
/// the number at every failure block and words only for what it reports.
fn capacity_of(ctx: &Ctx<'_>, i: usize, explain: bool) -> Option<(f64, String)> {
    let name = ctx.name(i);
    let per_event = ctx.quantity(i, "per_event").filter(|p| p.hi > 0.0)?;
    let declared = ctx
        .quantity(i, "threads")
        .or_else(|| ctx.quantity(i, "instances"))?;
    let (working, bound) = parallelism(ctx, i, declared.lo);
    let threads = working / per_event.hi;
    let mut text = String::new();
    if explain {
        text = format!(
            "{} {} ÷ {} per event = {}/s",
            format_number(working),
            if working == 1.0 { "thread" } else { "threads" },
            per_event.display(),
            format_number(threads)
        );
        if let Some(b) = bound {
            text.push_str(&format!(" ({b})"));
        }
    }
    let mut best = (threads, text);
    for e in ctx.data_in.get(i).into_iter().flatten() {
        let b = e.src;
        if ctx.kind(b) != Some(RoleKind::Broker) {
            continue;
        }
        let (Some(per), Some(p), Some(size)) = (
            ctx.broker_limit(b, "per_partition_out"),
            ctx.quantity(b, "partitions"),
            ctx.record_bytes(b),
        ) else {
            continue;
        };
        if size.hi <= 0.0 {
            continue;
        }
        let reads = per * p.lo / size.hi;
        if reads < best.0 {
            let text = if explain {
                format!(
                    "`{}` serves reads at {} per partition × {} partitions ÷ {} per record = {}/s, below `{name}`'s {}",
                    ctx.name(b),
                    crate::flow::show(per, Dimension::BYTE_RATE),
                    format_number(p.lo),
                    size.display(),
                    format_number(reads),
                    best.1
                )
            } else {
                String::new()
            };
            best = (reads, text);
        }
    }
    Some(best)
}

/// The rate a node receives, at the average or the peak.
fn rate_at(ctx: &Ctx<'_>, n: usize, end: At) -> f64 {
    let peak = ctx.peak_at.get(n).and_then(Option::as_ref);
    let avg = ctx.volume_at.get(n).and_then(Option::as_ref);
    match end {
        At::Peak => peak.map_or(0.0, |p| p.hi),
        At::Average => avg.or(peak).map_or(0.0, |a| a.lo),
    }
}

/// How long buffer `b` keeps what waits in it, and why.
fn kept_for(ctx: &Ctx<'_>, b: usize, explain: bool) -> (f64, String) {
    let bname = ctx.name(b);
    if ctx.kind(b) == Some(RoleKind::Broker) {
        return if explain {
            ctx.broker_retention(b)
        } else {
            (ctx.broker_keeps(b), String::new())
        };
    }
    match ctx.quantity(b, "retain") {
        Some(r) if explain => (r.lo, format!("`{bname}` retain {}", r.display())),
        Some(r) => (r.lo, String::new()),
        None if explain => (f64::INFINITY, format!("`{bname}` keeps what it stores")),
        None => (f64::INFINITY, String::new()),
    }
}

/// The slowest stalled node's drain: each node in `stated` (with its capacity)
/// works through what reached it in `waited` seconds at the `at` rate, while
/// arrivals run at `end`; infinite when one never catches up. Returns (time,
/// node, its backlog, capacity, arriving, index into `stated`).
fn slowest(
    ctx: &Ctx<'_>,
    stated: &[(usize, f64, String)],
    at: At,
    end: At,
    waited: f64,
) -> Option<(f64, usize, f64, f64, f64, usize)> {
    let mut worst: Option<(f64, usize, f64, f64, f64, usize)> = None;
    for (k, (s, c, _)) in stated.iter().enumerate() {
        let backlog = rate_at(ctx, *s, at) * waited;
        let arriving = rate_at(ctx, *s, end);
        let t = if *c > arriving {
            backlog / (c - arriving)
        } else {
            f64::INFINITY
        };
        if worst.is_none_or(|w| t > w.0) {
            worst = Some((t, *s, backlog, *c, arriving, k));
        }
    }
    worst
}

/// What `recovery-promise-unmet` tests, as numbers: whether the outage
/// outlives a buffer's retention, the drain at the average after an outage at
/// the average, and whether the stalled nodes keep up with the peak (a drain
/// at the peak that ends). `None` for a node no rate reaches, a source or a
/// broker; the drain is `None` when no stalled node states a capacity.
pub struct Numbers {
    pub loses: bool,
    pub drain_at_average: Option<f64>,
    pub keeps_up_at_peak: bool,
}

pub fn numbers(ctx: &Ctx<'_>, i: usize, secs: f64) -> Option<Numbers> {
    ctx.peak_at.get(i)?.as_ref()?;
    if matches!(ctx.kind(i), Some(RoleKind::Origin | RoleKind::Broker)) {
        return None;
    }
    let (keep, stalled, _) = buffers(ctx, i);
    let shortest = keep
        .iter()
        .map(|b| kept_for(ctx, *b, false).0)
        .fold(f64::INFINITY, f64::min);
    let loses = secs > shortest;
    let waited = if loses { shortest } else { secs };
    let stated: Vec<(usize, f64, String)> = stalled
        .iter()
        .filter_map(|s| capacity_of(ctx, *s, false).map(|(c, why)| (*s, c, why)))
        .collect();
    let drain_at_average = slowest(ctx, &stated, At::Average, At::Average, waited).map(|w| w.0);
    let keeps_up_at_peak =
        slowest(ctx, &stated, At::Peak, At::Peak, waited).is_some_and(|w| w.0.is_finite());
    Some(Numbers {
        loses,
        drain_at_average,
        keeps_up_at_peak,
    })
}

/// When a failure's alarm fires after the node stops, from its `detect` lines:
/// a time threshold (`p95 latency > 1.5 s`, `lag > 5 min`) once the oldest
/// waiting record is that old; a count (`consumer_lag > 100k`) once that many
/// have arrived; anything else (an error rate, `under_replicated > 0`) at the
/// first failed request. The earliest line wins.
pub fn detection(f: &crate::model::Failure, rate: f64) -> Option<(f64, String)> {
    let mut best: Option<(f64, String)> = None;
    for det in &f.detect {
        if !matches!(det.cmp, Cmp::Gt | Cmp::Ge) {
            continue;
        }
        let metric = det.metric.join(" ");
        let t = &det.threshold;
        let (secs, why) = if t.dim.same_as(Dimension::TIME) {
            (
                t.lo,
                format!(
                    "`{metric} > {}` fires once the oldest waiting record is {} old",
                    t.display(),
                    t.display()
                ),
            )
        } else if t.dim.same_as(Dimension::NONE) && t.noun.is_some() && rate > 0.0 {
            (
                t.lo / rate,
                format!(
                    "`{metric} > {}` fires after {} ÷ {}/s = {}",
                    t.display(),
                    t.display(),
                    format_number(rate),
                    q(t.lo / rate, Dimension::TIME).display()
                ),
            )
        } else {
            (
                0.0,
                format!(
                    "`{metric} > {}` fires at the first failed request",
                    t.display()
                ),
            )
        };
        if best.as_ref().is_none_or(|b| secs < b.0) {
            best = Some((secs, why));
        }
    }
    best
}

fn time(secs: f64) -> String {
    q(secs, Dimension::TIME).display()
}

fn counted(n: f64, noun: &Option<String>) -> Quantity {
    Quantity {
        noun: noun.clone(),
        ..q(n, Dimension::NONE)
    }
}

/// An outage of node `i` without the design's promises about it (its failure
/// blocks' `recover … within`, its paths' latency): the backlog, where it waits
/// and whether it is kept, and the drain. What `recovery-promise-unmet` reads,
/// once per failure block, so it does not scan every block again.
pub fn outage(ctx: &Ctx<'_>, i: usize, secs: f64, at: At) -> Result<Outcome, String> {
    let mut out = Outcome {
        scenario: String::new(),
        figures: Vec::new(),
        verdicts: Vec::new(),
        notes: Vec::new(),
    };
    down(ctx, i, secs, at, false, &mut out)?;
    Ok(out)
}

fn down(
    ctx: &Ctx<'_>,
    i: usize,
    secs: f64,
    at: At,
    promises: bool,
    out: &mut Outcome,
) -> Result<(), String> {
    let name = ctx.name(i).to_string();
    let peak = ctx.peak_at.get(i).cloned().flatten();
    let average = ctx.volume_at.get(i).cloned().flatten();
    let (Some(peak), average) = (peak, average) else {
        out.missing(
            format!("down.{name}.backlog"),
            format!("`{name}` backlog after {}", time(secs)),
            format!("no rate reaches `{name}`: give its source a `volume` and the design a `peak`"),
        );
        return Ok(());
    };
    let noun = peak.noun.clone();
    let avg = average.as_ref().map(|a| a.lo).unwrap_or(peak.lo);
    let rate = match at {
        At::Peak => peak.hi,
        At::Average => avg,
    };
    let rate_text = match at {
        At::Peak => format!(
            "peak {}",
            Quantity {
                noun: noun.clone(),
                ..q(rate, Dimension::RATE)
            }
            .display()
        ),
        At::Average => format!(
            "average {}",
            Quantity {
                noun: noun.clone(),
                ..q(rate, Dimension::RATE)
            }
            .display()
        ),
    };
    let arrived = rate * secs;
    if ctx.kind(i) == Some(RoleKind::Origin) {
        out.figure(
            format!("down.{name}.unsent"),
            format!("records `{name}` does not send in {}", time(secs)),
            counted(arrived, &noun),
            format!(
                "{rate_text} × {} = {}",
                time(secs),
                counted(arrived, &noun).display()
            ),
        );
        out.notes.push(format!(
            "`{name}` is where records start: while it is down nothing flows downstream, and what it produces meanwhile is kept only if it buffers and retries; dsd does not model a source's buffer"
        ));
        return Ok(());
    }
    out.figure(
        format!("down.{name}.backlog"),
        format!("`{name}` backlog after {}", time(secs)),
        counted(arrived, &noun),
        format!(
            "{rate_text} × {} = {}",
            time(secs),
            counted(arrived, &noun).display()
        ),
    );
    // Merged flows carry records of different sizes: each schema at its own.
    let parts = ctx.rates.node.get(i).map(Vec::as_slice).unwrap_or(&[]);
    let schemas = parts
        .iter()
        .filter_map(|p| p.schema)
        .collect::<std::collections::BTreeSet<_>>();
    let per_second = ctx.parts_bytes(parts, at == At::Peak);
    match (per_second, ctx.record_bytes(i)) {
        (Some(bps), _) if schemas.len() > 1 => {
            let bytes = q(bps * secs, Dimension::BYTES);
            out.figure(
                format!("down.{name}.backlog_bytes"),
                format!("`{name}` backlog size"),
                bytes.clone(),
                format!(
                    "each schema's rate × its record size = {} × {} = {}",
                    crate::flow::show(bps, Dimension::BYTE_RATE),
                    time(secs),
                    bytes.display()
                ),
            );
        }
        (_, Some(size)) => {
            let bytes = range(arrived * size.lo, arrived * size.hi, Dimension::BYTES);
            out.figure(
                format!("down.{name}.backlog_bytes"),
                format!("`{name}` backlog size"),
                bytes.clone(),
                format!(
                    "{} × {} = {}",
                    counted(arrived, &noun).display(),
                    size.display(),
                    bytes.display()
                ),
            );
        }
        _ => {}
    }
    if ctx.kind(i) == Some(RoleKind::Broker) {
        out.notes.push(format!(
                "`{name}` is the broker: its producers' writes fail for {}, and their records are kept only if they buffer and retry; when it returns, its consumers go on from their committed offsets. dsd does not model producers' buffers",
                time(secs)
            ));
        return Ok(());
    }
    // Where it waits, and whether it is kept for the whole outage.
    let (keep, stalled, unbuffered) = buffers(ctx, i);
    if stalled.len() > 1 {
        let names: Vec<String> = stalled
            .iter()
            .skip(1)
            .map(|s| format!("`{}`", ctx.name(*s)))
            .collect();
        out.notes.push(if names.len() == 1 {
            format!(
                "{} cannot hand on what it processes while `{name}` is down, so it stalls too",
                names.join(", ")
            )
        } else {
            format!(
                "{} cannot hand on what they process while `{name}` is down, so they stall too",
                names.join(", ")
            )
        });
    }
    let mut lost_from: Option<f64> = None;
    for &b in &keep {
        let bname = ctx.name(b);
        let (keeps, why) = kept_for(ctx, b, true);
        if secs <= keeps {
            out.verdict(
                format!("down.{name}.kept_in.{bname}"),
                true,
                format!("`{bname}` keeps `{name}`'s backlog for the whole outage"),
                format!("outage {} ≤ {why}", time(secs)),
                b,
            );
        } else {
            // What this buffer hands the stalled nodes: its flows into them.
            let (into, into_noun) = ctx
                .data_out
                .get(b)
                .into_iter()
                .flatten()
                .filter(|e| stalled.contains(&e.dst))
                .filter_map(|e| ctx.rates.edge.get(e.flow))
                .flatten()
                .fold((0.0, None), |(sum, noun), p| {
                    let part = match at {
                        At::Peak => p.peak.as_ref().map(|q| q.hi),
                        At::Average => p.avg.as_ref().or(p.peak.as_ref()).map(|q| q.lo),
                    };
                    let n = p.peak.as_ref().and_then(|q| q.noun.clone());
                    (sum + part.unwrap_or(0.0), noun.or(n))
                });
            let into_text = format!(
                "{} {}",
                match at {
                    At::Peak => "peak",
                    At::Average => "average",
                },
                Quantity {
                    noun: into_noun.clone(),
                    ..q(into, Dimension::RATE)
                }
                .display()
            );
            let lost = into * (secs - keeps);
            lost_from = Some(lost_from.map_or(keeps, |l: f64| l.min(keeps)));
            out.verdict(
                format!("down.{name}.kept_in.{bname}"),
                false,
                format!("`{bname}` keeps `{name}`'s backlog for the whole outage"),
                format!(
                    "data loss: {why}, so from {} into the outage the oldest waiting records expire unread; {into_text} × ({} − {}) = {} lost",
                    time(keeps),
                    time(secs),
                    time(keeps),
                    counted(lost, &into_noun).display()
                ),
                b,
            );
        }
    }
    for &s in &unbuffered {
        out.notes.push(format!(
            "no broker or store lies between `{}` and `{name}`: what `{}` sends for {} is kept only if it buffers and retries",
            ctx.name(s),
            ctx.name(s),
            time(secs)
        ));
    }
    // The drain. Every stalled node works through what reached it during the
    // outage, at its own capacity less what keeps reaching it: branches that
    // merge into `name` each drain their own share, so a slow branch with
    // little traffic is not held to the whole merged rate. The chain is drained
    // when its slowest node is.
    let waited = lost_from.unwrap_or(secs);
    let stated: Vec<(usize, f64, String)> = stalled
        .iter()
        .filter_map(|s| capacity(ctx, *s).map(|(c, why)| (*s, c, why)))
        .collect();
    let mut drain_fast: Option<f64> = None;
    let mut drain_slow: Option<f64> = None;
    let drains = !stated.is_empty();
    // A scheduled job has no per-second pace: what waits is taken by its next
    // run, so the outage shows as runs missed and output that many runs late.
    let every = crate::flow::time_in_words(&ctx.words(i, "schedule")).or_else(|| {
        ctx.data_in
            .get(i)
            .into_iter()
            .flatten()
            .filter_map(|e| match ctx.flow(e.flow).map(|f| &f.mode) {
                Some(crate::model::FlowMode::Batch { every: Some(q) }) => Some(q.hi),
                _ => None,
            })
            .reduce(f64::max)
    });
    let job = ctx.kind(i) == Some(RoleKind::Processor);
    if let (Some(e), false, true) = (every.filter(|e| *e > 0.0), drains, job) {
        // Runs fall at fixed times: an outage of `secs` covers at least
        // floor(secs ÷ e) of them and at most ceil(secs ÷ e).
        let (fewest, most) = ((secs / e).floor(), (secs / e).ceil());
        out.figure(
            format!("down.{name}.missed_runs"),
            format!("runs `{name}` misses"),
            Quantity {
                noun: Some("runs".into()),
                ..range(fewest, most, Dimension::NONE)
            },
            format!(
                "outage {} ÷ every {} = {}: floor to ceil, by where the runs fall",
                time(secs),
                time(e),
                format_number(secs / e)
            ),
        );
        // At worst the last good run was just before a missed one: its output
        // is (missed + 1) intervals old when the next run starts, against one
        // interval without the outage.
        let age = (most + 1.0) * e;
        out.figure(
            format!("down.{name}.output_age"),
            format!("age of `{name}`'s output when its next run starts, at worst"),
            q(age, Dimension::TIME),
            format!(
                "({} missed + 1) × every {} = {}, against {} without the outage",
                format_number(most),
                time(e),
                time(age),
                time(e)
            ),
        );
        out.notes.push(format!(
            "`{name}` runs every {}: what it missed waits where it landed, and its next run (or a re-run of each missed one, if the scheduler catches up) takes it; dsd does not model how long a run takes",
            time(e)
        ));
    } else if !drains {
        out.missing(
            format!("down.{name}.drain"),
            format!("`{name}` drain time"),
            format!(
                "no stalled node states `per_event` with `threads` or `instances` ({})",
                stalled
                    .iter()
                    .map(|s| format!("`{}`", ctx.name(*s)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    let ends: Vec<(&str, At)> = match (drains, at) {
        (false, _) => Vec::new(),
        (true, At::Peak) => vec![("average", At::Average), ("peak", At::Peak)],
        (true, At::Average) => vec![("average", At::Average)],
    };
    for (label, end) in ends {
        let id = format!("down.{name}.drain_at_{label}");
        let title = format!("`{name}` drain time while arrivals run at {label}");
        let Some((t, s, backlog, c, arriving, k)) = slowest(ctx, &stated, at, end, waited) else {
            continue;
        };
        let why = stated.get(k).map(|x| x.2.as_str()).unwrap_or("");
        let why = if s == i {
            why.to_string()
        } else {
            format!("`{}` drains what waits: {why}", ctx.name(s))
        };
        let whose = if s == i {
            String::new()
        } else {
            format!("`{}`'s ", ctx.name(s))
        };
        if !t.is_finite() {
            out.missing(
                id,
                title,
                format!(
                    "{whose}capacity {}/s does not exceed the {label} arrivals of {}/s, so the backlog never drains (capacity: {why})",
                    format_number(c),
                    format_number(arriving)
                ),
            );
            continue;
        }
        if label == "average" {
            drain_fast = Some(t);
        } else {
            drain_slow = Some(t);
        }
        let s_noun = ctx.peak_at.get(s).cloned().flatten().and_then(|p| p.noun);
        out.figure(
            id,
            title,
            q(t, Dimension::TIME),
            format!(
                "{whose}backlog {} ÷ (capacity {}/s − arrivals {}/s) = {} (capacity: {why})",
                counted(backlog, &s_noun).display(),
                format_number(c),
                format_number(arriving),
                time(t)
            ),
        );
    }
    if !promises {
        return Ok(());
    }
    // The design's own promises about this node.
    for f in ctx.design.failures.iter().filter(|f| f.node == i) {
        let Some(within) = &f.recover_within else {
            continue;
        };
        let (mut detect, mut detect_why) = detection(f, rate)
            .unwrap_or((0.0, "no `detect` line: counted as detected at once".into()));
        if detect > secs {
            // The node is back before the alarm fires: the outage bounds it.
            detect = secs;
            detect_why.push_str(&format!(
                ", after the {} outage has ended, so the outage bounds it",
                time(secs)
            ));
        }
        let label = format!("`{name}` recovers within {}", within.display());
        let id = format!("down.{name}.recovery");
        match (drain_fast, drain_slow) {
            (Some(fast), slow) => {
                let total = detect + fast;
                let ok = total <= within.hi;
                let mut text = format!(
                    "detect {} + drain {} = {} {} the promised {}",
                    time(detect),
                    time(fast),
                    time(total),
                    if ok { "≤" } else { ">" },
                    within.display()
                );
                if at == At::Peak {
                    text.push_str(" (arrivals back at the average");
                    match slow {
                        Some(s) => text.push_str(&format!(
                            "; {} if the peak continues)",
                            time(detect + s)
                        )),
                        None => text.push_str("; never if the peak continues)"),
                    }
                }
                text.push_str(&format!("; {detect_why}"));
                out.verdict(id, ok, label, text, i);
            }
            (None, _) if drains => out.verdict(
                id,
                false,
                label,
                format!(
                    "the backlog never drains: `{name}`'s capacity does not exceed what keeps arriving"
                ),
                i,
            ),
            (None, _) => {}
        }
    }
    // Latency promises on paths through the node are broken until it drains.
    for p in ctx.design.paths.iter().filter(|p| p.hops.contains(&i)) {
        for b in ctx
            .design
            .requirements
            .latency
            .iter()
            .filter(|b| b.target.as_ref().is_some_and(|t| t.name == p.name.name))
        {
            let pname = &p.name.name;
            let id = format!("down.{name}.breach.{pname}");
            let label = format!("`{pname}` (≤ {}) breached", b.value.display());
            match drain_fast {
                Some(fast) => {
                    let lo = secs + fast;
                    let value = match drain_slow {
                        Some(slow) if at == At::Peak => range(lo, secs + slow, Dimension::TIME),
                        _ => q(lo, Dimension::TIME),
                    };
                    let text = format!(
                        "outage {} + drain {} = {}: records wait longer than {} until `{name}` has drained",
                        time(secs),
                        match drain_slow {
                            Some(slow) if at == At::Peak =>
                                range(fast, slow, Dimension::TIME).display(),
                            _ => time(fast),
                        },
                        value.display(),
                        b.value.display()
                    );
                    out.figure(id, label, value, text);
                }
                None if drains => out.missing(
                    id,
                    label,
                    format!("`{name}` never drains at the average rate, so the breach has no end"),
                ),
                None => {}
            }
        }
    }
    Ok(())
}

/// Where `i`'s readers go while it is down: a reader's own `fallback NODE`, or
/// the `fallback NODE` of a failure block on `i`, sends every read of `i` to
/// that node instead. For each reader: the extra load its fallback takes (its
/// `qps` or `readers N every T`), and each latency path that reads `i` through it, summed
/// again with the fallback's read in place of `i`'s, against its SLA.
fn fallbacks(ctx: &Ctx<'_>, i: usize, out: &mut Outcome) {
    let d = ctx.design;
    let name = ctx.name(i).to_string();
    let blocks: Vec<usize> = d
        .failures
        .iter()
        .filter(|f| f.node == i)
        .filter_map(|f| f.fallback)
        .collect();
    // (reader, fallback, who declares it), once per pair, in node order.
    let mut pairs: std::collections::BTreeMap<(usize, usize), String> =
        std::collections::BTreeMap::new();
    for f in d.flows.iter().filter(|f| f.from == i && f.read.is_some()) {
        let r = f.to;
        let own = ctx
            .words(r, "fallback")
            .first()
            .and_then(|w| d.node_index(w))
            .filter(|y| *y != i && *y != r);
        if let Some(y) = own {
            pairs.entry((r, y)).or_insert_with(|| {
                format!("`{}` declares `fallback {}`", ctx.name(r), ctx.name(y))
            });
        }
        for &y in blocks.iter().filter(|y| **y != r && **y != i) {
            pairs
                .entry((r, y))
                .or_insert_with(|| format!("`failure {name}` declares `fallback {}`", ctx.name(y)));
        }
        if own.is_none() && blocks.is_empty() {
            let degrade = ctx.words(r, "degrade");
            if !degrade.is_empty() {
                out.notes.push(format!(
                    "`{}` cannot read `{name}` and has no node to fall back to; it degrades: {}",
                    ctx.name(r),
                    degrade.join(" ")
                ));
            }
        }
    }
    for ((r, y), why) in pairs {
        let (rname, yname) = (ctx.name(r).to_string(), ctx.name(y).to_string());
        out.notes.push(format!(
            "`{rname}` reads `{yname}` instead of `{name}` while it is down ({why})"
        ));
        let id = format!("down.{name}.fallback.{rname}.load");
        let label = format!("extra reads on `{yname}` (from `{rname}`)");
        match ctx.reader_qps(r) {
            Some((qps, text)) => {
                out.figure(id, label, qps, format!("all of `{rname}`'s reads: {text}"));
            }
            None => out.missing(
                id,
                label,
                format!(
                    "`{rname}` states no request rate (`qps` or `readers N every T`), so the load `{yname}` takes is not computed"
                ),
            ),
        }
        for p in d
            .paths
            .iter()
            .filter(|p| p.hops.windows(2).any(|w| w == [i, r]))
        {
            let pname = &p.name.name;
            for b in d
                .requirements
                .latency
                .iter()
                .filter(|b| b.target.as_ref().is_some_and(|t| t.name == *pname))
                .filter(|b| b.value.dim.same_as(Dimension::TIME))
            {
                let id = format!("down.{name}.fallback.{pname}");
                let label = format!(
                    "`{pname}` (≤ {}) holds while `{rname}` reads `{yname}`",
                    b.value.display()
                );
                match crate::check::with_fallback(ctx, p, r, i, y) {
                    Some((sum, text)) => {
                        let ok = sum <= b.value.hi;
                        let text = format!(
                            "{text} {} the SLA {}",
                            if ok { "≤" } else { ">" },
                            b.value.display()
                        );
                        out.verdict(id, ok, label, text, r);
                    }
                    None => out.missing(
                        id,
                        label,
                        format!("`{yname}` states no read latency (`lookup`, `latency`) and its tool has no figure"),
                    ),
                }
            }
        }
    }
}

/// How many of a node's replicas or instances are gone when `count` brokers or
/// instances are lost, and what is left.
fn lose(
    ctx: &Ctx<'_>,
    i: usize,
    count: f64,
    zone: Option<f64>,
    out: &mut Outcome,
) -> Result<(), String> {
    let name = ctx.name(i).to_string();
    let scope = match zone {
        Some(z) => format!(
            "one of {} zones ({} of `{name}`)",
            format_number(z),
            format_number(count)
        ),
        None if ctx.kind(i) == Some(RoleKind::Broker) => format!(
            "{} broker{} of `{name}`",
            format_number(count),
            if count == 1.0 { "" } else { "s" }
        ),
        None => format!(
            "{} instance{} of `{name}`",
            format_number(count),
            if count == 1.0 { "" } else { "s" }
        ),
    };
    if ctx.kind(i) == Some(RoleKind::Broker) {
        let rf = ctx.replication(i);
        let min_insync = ctx.quantity(i, "min_insync").map(|q| q.lo).unwrap_or(1.0);
        let acks = ctx
            .words(i, "acks")
            .first()
            .cloned()
            .unwrap_or_else(|| "all".into());
        let brokers = ctx.quantity(i, "brokers").map(|q| q.lo);
        if let Some(b) = brokers
            && count > b
        {
            return Err(format!(
                "`{name}` has {} brokers; it cannot lose {}",
                format_number(b),
                format_number(count)
            ));
        }
        // The worst partition has a replica on every lost broker (with rack
        // awareness, one replica per zone: a zone takes ceil(rf / zones)).
        let gone = match zone {
            Some(z) => (rf / z).ceil().min(rf),
            None => count.min(rf),
        };
        let left = rf - gone;
        let replicas = format!(
            "replication {} − {} lost = {} in sync",
            format_number(rf),
            format_number(gone),
            format_number(left)
        );
        let worst = match zone {
            Some(_) => {
                "with replicas spread across zones, a zone holds at most ⌈replication ÷ zones⌉ of a partition's"
            }
            None => "the worst partition has a replica on every lost broker",
        };
        let writes_ok = if acks == "all" || acks == "-1" {
            left >= min_insync
        } else {
            left >= 1.0
        };
        let writes_text = if acks == "all" || acks == "-1" {
            format!(
                "{worst}: {replicas} {} min_insync {} with acks all{}",
                if writes_ok { "≥" } else { "<" },
                format_number(min_insync),
                if writes_ok {
                    String::new()
                } else {
                    ": producers get NOT_ENOUGH_REPLICAS until a replica returns".into()
                }
            )
        } else {
            format!(
                "{worst}: {replicas}; with acks {acks} a leader acknowledges alone, so writes go on{}",
                if left >= 1.0 {
                    ", but what the lost leader acknowledged and no follower had copied is gone"
                } else {
                    ""
                }
            )
        };
        out.verdict(
            format!("lose.{name}.writes"),
            writes_ok,
            format!("writes to `{name}` stay available after losing {scope}"),
            writes_text,
            i,
        );
        out.verdict(
            format!("lose.{name}.reads"),
            left >= 1.0,
            format!("reads of `{name}` stay available after losing {scope}"),
            format!(
                "{worst}: {replicas}{}",
                if left >= 1.0 {
                    ": a replica in sync becomes leader"
                } else {
                    ": the partition is offline and what only it held is lost"
                }
            ),
            i,
        );
        if let (Some(b), Some(per)) = (brokers, ctx.broker_limit(i, "per_broker"))
            && let Some(bytes) = ctx.peak_bytes(i)
        {
            let io = bytes * rf;
            let need = crate::sizing::units_needed(io / per);
            let remaining = b - count;
            out.verdict(
                format!("lose.{name}.capacity"),
                remaining >= need,
                format!("the brokers left carry `{name}`'s peak"),
                format!(
                    "{}/s × replication {} ÷ {} per broker = {} brokers needed; {} − {} = {} left",
                    crate::flow::show(bytes, Dimension::BYTE_RATE),
                    format_number(rf),
                    crate::flow::show(per, Dimension::BYTE_RATE),
                    format_number(need),
                    format_number(b),
                    format_number(count),
                    format_number(remaining)
                ),
                i,
            );
        }
        return Ok(());
    }
    let Some(instances) = ctx.quantity(i, "instances").map(|q| q.lo) else {
        return Err(format!(
            "`{name}` is not a broker and states no `instances`: there is nothing to lose one of"
        ));
    };
    if count > instances {
        return Err(format!(
            "`{name}` has {} instances; it cannot lose {}",
            format_number(instances),
            format_number(count)
        ));
    }
    let left = instances - count;
    out.figure(
        format!("lose.{name}.instances_left"),
        format!("`{name}` instances left"),
        q(left, Dimension::NONE),
        format!(
            "{} − {} = {}",
            format_number(instances),
            format_number(count),
            format_number(left)
        ),
    );
    match (capacity(ctx, i), ctx.peak_at.get(i).cloned().flatten()) {
        (Some((c, why)), Some(peak)) => {
            let remaining = c * left / instances;
            out.verdict(
                format!("lose.{name}.capacity"),
                remaining >= peak.hi,
                format!("`{name}` keeps up with the peak after losing {scope}"),
                format!(
                    "capacity {}/s × {} of {} instances = {}/s {} peak {}/s (capacity: {why})",
                    format_number(c),
                    format_number(left),
                    format_number(instances),
                    format_number(remaining),
                    if remaining >= peak.hi { "≥" } else { "<" },
                    format_number(peak.hi)
                ),
                i,
            );
        }
        _ if left < 1.0 => out.verdict(
            format!("lose.{name}.capacity"),
            false,
            format!("`{name}` keeps running after losing {scope}"),
            "no instance is left".into(),
            i,
        ),
        _ => {}
    }
    Ok(())
}

fn lose_zone(ctx: &Ctx<'_>, out: &mut Outcome) -> Result<(), String> {
    let mut any = false;
    for i in 0..ctx.design.nodes.len() {
        let Some(zones) = ctx.quantity(i, "zones").map(|q| q.lo).filter(|z| *z >= 1.0) else {
            continue;
        };
        any = true;
        let count = if ctx.kind(i) == Some(RoleKind::Broker) {
            ctx.quantity(i, "brokers")
                .map(|b| (b.lo / zones).ceil())
                .unwrap_or(1.0)
        } else {
            match ctx.quantity(i, "instances") {
                Some(n) => (n.lo / zones).ceil(),
                None => continue,
            }
        };
        lose(ctx, i, count, Some(zones), out)?;
    }
    if !any {
        return Err(
            "no node states `zones N`: say how many availability zones a broker's or a node's instances are spread over (`zones 3`)".into(),
        );
    }
    Ok(())
}

fn replay(
    ctx: &Ctx<'_>,
    i: usize,
    secs: f64,
    rate: Option<f64>,
    out: &mut Outcome,
) -> Result<(), String> {
    let name = ctx.name(i).to_string();
    let Some(average) = ctx.volume_at.get(i).cloned().flatten() else {
        return Err(format!(
            "no rate reaches `{name}`: give its source a `volume`"
        ));
    };
    let noun = average.noun.clone();
    let mut span = secs;
    if ctx.kind(i) == Some(RoleKind::Broker) {
        let (keeps, why) = ctx.broker_retention(i);
        let ok = secs <= keeps;
        out.verdict(
            format!("replay.{name}.retention"),
            ok,
            format!("`{name}` still holds {} of history", time(secs)),
            format!("{} {} {why}", time(secs), if ok { "≤" } else { ">" }),
            i,
        );
        if !ok {
            span = keeps;
        }
    }
    let records = average.lo * span;
    out.figure(
        format!("replay.{name}.records"),
        format!("records replayed from `{name}`"),
        counted(records, &noun),
        format!(
            "average {}/s × {} = {}",
            format_number(average.lo),
            time(span),
            counted(records, &noun).display()
        ),
    );
    let consumers: Vec<usize> = ctx
        .data_out
        .get(i)
        .into_iter()
        .flatten()
        .filter(|e| ctx.rates.edge.get(e.flow).is_some_and(|p| !p.is_empty()))
        .filter(|e| ctx.flow(e.flow).is_none_or(|f| f.read.is_none()))
        .map(|e| e.dst)
        .collect();
    for c in consumers {
        let cname = ctx.name(c);
        let id = format!("replay.{name}.{cname}.time");
        let label = format!("`{cname}` reprocesses the replay");
        let live = ctx
            .volume_at
            .get(c)
            .cloned()
            .flatten()
            .map(|v| v.lo)
            .unwrap_or(0.0);
        match (rate, capacity(ctx, c)) {
            (Some(r), _) => {
                let t = records / r;
                out.figure(
                    id,
                    label,
                    q(t, Dimension::TIME),
                    format!(
                        "{} ÷ the stated {}/s = {}",
                        counted(records, &noun).display(),
                        format_number(r),
                        time(t)
                    ),
                );
            }
            (None, Some((cap, why))) if cap > live => {
                let t = records / (cap - live);
                out.figure(
                    id,
                    label,
                    q(t, Dimension::TIME),
                    format!(
                        "{} ÷ (capacity {}/s − live average {}/s) = {} (capacity: {why})",
                        counted(records, &noun).display(),
                        format_number(cap),
                        format_number(live),
                        time(t)
                    ),
                );
            }
            (None, Some((cap, _))) => out.missing(
                id,
                label,
                format!(
                    "capacity {}/s leaves nothing beyond the live {}/s",
                    format_number(cap),
                    format_number(live)
                ),
            ),
            (None, None) => out.missing(
                id,
                label,
                format!(
                    "`{cname}` declares no `per_event` with `threads` or `instances`; give one, or a rate: `replay {name} … at 5000/s`"
                ),
            ),
        }
    }
    // The writes the replay repeats: everything downstream of the node.
    let reach = ctx.reach([i], true);
    let mut flows: Vec<usize> = (0..ctx.design.flows.len())
        .filter(|f| {
            ctx.flow(*f).is_some_and(|fl| {
                fl.read.is_none()
                    && reach.get(fl.from).copied().unwrap_or(false)
                    && ctx.kind(fl.to).is_some_and(|k| k == RoleKind::Store)
            })
        })
        .collect();
    flows.sort_unstable();
    for f in flows {
        let Some(fl) = ctx.flow(f) else { continue };
        let (src, dst) = (ctx.name(fl.from), ctx.name(fl.to));
        let kinds: Vec<crate::model::WriteKind> = crate::flow::writes::mechanisms(fl).collect();
        let absorbs = crate::flow::writes::absorbs_duplicates(ctx, fl, fl.to);
        let named = kinds.iter().find(|k| k.is_idempotent());
        out.verdict(
            format!("replay.{name}.write.{src}.{dst}"),
            absorbs,
            format!("`{src}` → `{dst}` absorbs the repeated records"),
            match (absorbs, named) {
                (true, Some(k)) => format!("`write {}` stores a repeated record once", k.word()),
                (true, None) => format!("a step-6 `dedup` at `{dst}` drops the repeats"),
                (false, Some(k)) => format!(
                    "`write {}` cannot be carried out by `{dst}`: {}",
                    k.word(),
                    crate::flow::writes::unsupported_write(ctx, *k, fl.to).unwrap_or_default()
                ),
                (false, None) if kinds.is_empty() => {
                    "the write names no mechanism, so each replayed record is stored again".into()
                }
                (false, None) => "`write append` stores each replayed record again".into(),
            },
            fl.to,
        );
    }
    Ok(())
}

/// The scenarios to run: those named (on the command line or in `dsd.toml`),
/// else the design's own [`defaults`].
pub fn or_defaults(ctx: &Ctx<'_>, named: &[Scenario]) -> Vec<Scenario> {
    if named.is_empty() {
        defaults(ctx)
    } else {
        named.to_vec()
    }
}

/// The scenarios a design answers when none is named: for each `failure` block
/// that promises `recover … within W`, its node down at peak for the block's
/// `outage` when it states one, else for W.
pub fn defaults(ctx: &Ctx<'_>) -> Vec<Scenario> {
    let mut out: Vec<Scenario> = Vec::new();
    for f in &ctx.design.failures {
        let Some(within) = &f.recover_within else {
            continue;
        };
        let secs = f.outage.as_ref().map(|o| o.hi).unwrap_or(within.hi);
        if !(secs > 0.0 && secs.is_finite()) {
            continue;
        }
        let s = Scenario::Down {
            node: ctx.name(f.node).to_string(),
            secs,
            at: At::Peak,
        };
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

//! stale-serving: Design 5 — how old the data a reader sees can be is set by the
//! refresh path that feeds it: every batch job waits for its schedule, every
//! node with a `refresh` interval re-reads on it. If the ages along that path add
//! up to more than the freshness requirement, readers get stale data without
//! knowing it. A TTL is not that bound: while the writer runs it rewrites the
//! entries, and the TTL only decides what happens once it stops (the fallback).

use super::{Ctx, Finding, show, time_in_words};
use crate::model::{FlowMode, RoleKind};
use crate::source::Span;
use crate::units::Dimension;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

/// One term of the age: seconds, what it is, where it is written.
type Term = (f64, String, Span);

/// How often a node picks up new data, when it waits for a schedule: a job's
/// `schedule` or the longest interval of the batch flows it runs, a view's or
/// dashboard's `refresh`.
/// On a way in, only the flows of that way count: a job that pulls one feed
/// hourly and another every 6 h makes the hourly feed's data an hour old.
fn wait(ctx: &Ctx<'_>, i: usize, flows: &[usize]) -> Option<Term> {
    let mut best: Option<Term> = None;
    let mut consider = |t: Term| {
        if best.as_ref().is_none_or(|b| t.0 > b.0) {
            best = Some(t);
        }
    };
    for key in ["refresh", "schedule"] {
        if let Some(every) = time_in_words(&ctx.words(i, key)) {
            let verb = if key == "refresh" {
                "refreshes"
            } else {
                "runs"
            };
            consider((
                every,
                format!(
                    "`{}` {verb} every {}",
                    ctx.name(i),
                    show(every, Dimension::TIME)
                ),
                ctx.prop_span(i, key),
            ));
        }
    }
    if ctx.kind(i) == Some(RoleKind::Processor) {
        for flow in flows {
            if let Some(f) = ctx.flow(*flow)
                && let FlowMode::Batch { every: Some(every) } = &f.mode
            {
                consider((
                    every.hi,
                    format!("`{}` runs every {}", ctx.name(i), every.display()),
                    f.span,
                ));
            }
        }
    }
    best
}

/// A job's stated time in its period: `schedule daily 02:00` is (1 day, 7,200 s);
/// `None` without a time of day or for periods other than a day.
fn clock(ctx: &Ctx<'_>, i: usize) -> Option<(f64, f64)> {
    let words = ctx.words(i, "schedule");
    let period = time_in_words(&words)?;
    if (period - crate::units::DAY).abs() > 1e-9 {
        return None;
    }
    let at = words.iter().find_map(|w| {
        let (h, m) = w.split_once(':')?;
        let (h, m) = (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?);
        (h < 24 && m < 60).then_some(f64::from(h * 3600 + m * 60))
    })?;
    Some((period, at))
}

/// The wait on a batch flow between two nodes neither of which is a job (a
/// scheduled copy): a job's flows are its own wait, counted once at the job.
fn hop(ctx: &Ctx<'_>, src: usize, dst: usize, flow: usize) -> Option<Term> {
    let job = |i| ctx.kind(i) == Some(RoleKind::Processor);
    if job(src) || job(dst) {
        return None;
    }
    let f = ctx.flow(flow)?;
    match &f.mode {
        FlowMode::Batch { every: Some(every) } => Some((
            every.hi,
            format!("`{}` is loaded every {}", ctx.name(dst), every.display()),
            f.span,
        )),
        _ => None,
    }
}

/// The freshest way into every node: the step (from node, flow) by which the
/// least sum of waits arrives (Dijkstra; every wait is at least zero).
fn freshest_ways(ctx: &Ctx<'_>) -> Vec<Option<(usize, usize)>> {
    let n = ctx.design.nodes.len();
    let mut age: Vec<Option<f64>> = vec![None; n];
    let mut pred: Vec<Option<(usize, usize)>> = vec![None; n];

    // Non-negative f64s order as their bit patterns.
    let mut heap: BinaryHeap<Reverse<(u64, usize)>> = BinaryHeap::new();
    for (i, slot) in age.iter_mut().enumerate() {
        if ctx.data_in.get(i).is_none_or(Vec::is_empty) {
            *slot = Some(0.0);
            heap.push(Reverse((0f64.to_bits(), i)));
        }
    }
    while let Some(Reverse((bits, i))) = heap.pop() {
        let here = f64::from_bits(bits);
        if age.get(i).copied().flatten().is_some_and(|a| a < here) {
            continue;
        }
        for e in ctx.data_out.get(i).into_iter().flatten() {
            let step = hop(ctx, e.src, e.dst, e.flow).map(|t| t.0).unwrap_or(0.0)
                + wait(ctx, e.dst, &[e.flow]).map(|t| t.0).unwrap_or(0.0);
            let next = here + step;
            if let Some(slot) = age.get_mut(e.dst)
                && slot.is_none_or(|a| next < a)
            {
                *slot = Some(next);
                if let Some(p) = pred.get_mut(e.dst) {
                    *p = Some((e.src, e.flow));
                }
                heap.push(Reverse((next.to_bits(), e.dst)));
            }
        }
    }
    pred
}

/// The terms of the age along a way in: for each step, the hop's wait and the
/// wait of the node it reaches. Jobs one orchestrator triggers run in dependency
/// order after one schedule, so their waits count once (the longest); jobs on
/// schedules of their own can each just miss the last run, so theirs add up.
fn terms(ctx: &Ctx<'_>, steps: &[(usize, usize, usize)], run_by: &[Option<usize>]) -> Vec<Term> {
    let orchestrator = |job: usize| run_by.get(job).copied().flatten();
    let mut out: Vec<Term> = Vec::new();
    let mut once: BTreeMap<usize, usize> = BTreeMap::new();
    // The last job on this way that runs at a stated time of its period, with
    // nothing waiting since: (node, period, seconds into the period).
    let mut clocked: Option<(usize, f64, f64)> = None;
    for (k, (src, dst, flow)) in steps.iter().enumerate() {
        if let Some(h) = hop(ctx, *src, *dst, *flow) {
            out.push(h);
            clocked = None;
        }
        // The job's own flows on this way: the one in and the one out.
        let mut own = vec![*flow];
        own.extend(steps.get(k + 1).map(|s| s.2));
        let Some(mut w) = wait(ctx, *dst, &own) else {
            continue;
        };
        // Two jobs on the same period at stated times (`schedule daily 01:00`,
        // then `daily 03:00`): the second picks up the first's output at its
        // next run, the offset between them, not a whole period later.
        let at = clock(ctx, *dst).filter(|(period, _)| (*period - w.0).abs() < 1e-9);
        if orchestrator(*dst).is_none()
            && let (Some((period, t)), Some((prev, prev_period, prev_t))) = (at, clocked)
            && (period - prev_period).abs() < 1e-9
        {
            let offset = (t - prev_t).rem_euclid(period);
            if offset > 0.0 {
                w.0 = offset;
                w.1 = format!(
                    "`{}` runs {} after `{}`",
                    ctx.name(*dst),
                    show(offset, Dimension::TIME),
                    ctx.name(prev)
                );
            }
        }
        clocked = match (orchestrator(*dst), at) {
            (None, Some((period, t))) => Some((*dst, period, t)),
            _ => None,
        };
        match orchestrator(*dst) {
            Some(o) => match once.get(&o).and_then(|k| out.get_mut(*k)) {
                Some(slot) if w.0 > slot.0 => *slot = w,
                Some(_) => {}
                None => {
                    once.insert(o, out.len());
                    out.push(w);
                }
            },
            None => out.push(w),
        }
    }
    out
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let d = ctx.design;
    let mut out = Vec::new();
    let mut computed = None;
    // The orchestrator that triggers each job, if one does.
    let mut run_by: Vec<Option<usize>> = vec![None; d.nodes.len()];
    for f in &d.flows {
        if ctx.kind(f.from) == Some(RoleKind::Control)
            && let Some(slot) = run_by.get_mut(f.to)
        {
            *slot = Some(f.from);
        }
    }
    for b in &d.requirements.freshness {
        let Some(t) = &b.target else { continue };
        if !b.value.dim.same_as(Dimension::TIME) {
            continue;
        }
        // The steps of the refresh path: the named path's own hops, or the
        // freshest way into the node.
        let mut steps: Vec<(usize, usize, usize)> = Vec::new();
        let last;
        if let Some(p) = d.paths.iter().find(|p| p.name.name == t.name) {
            let mut between: BTreeMap<(usize, usize), usize> = BTreeMap::new();
            for e in ctx.edge_of.iter().flatten() {
                between.entry((e.src, e.dst)).or_insert(e.flow);
            }
            for w in p.hops.windows(2) {
                if let [a, b] = w {
                    // A path may be written against the data direction of a read.
                    if let Some(f) = between.get(&(*a, *b)) {
                        steps.push((*a, *b, *f));
                    } else if let Some(f) = between.get(&(*b, *a)) {
                        steps.push((*b, *a, *f));
                    }
                }
            }
            let Some(end) = p.hops.last() else { continue };
            last = *end;
        } else if let Some(node) = d.node_index(&t.name) {
            let pred = computed.get_or_insert_with(|| freshest_ways(ctx));
            let mut at = node;
            while let Some(Some((src, flow))) = pred.get(at) {
                if steps.len() > d.nodes.len() {
                    break;
                }
                steps.push((*src, at, *flow));
                at = *src;
            }
            steps.reverse();
            last = node;
        } else {
            continue;
        }
        let parts = terms(ctx, &steps, &run_by);
        let age: f64 = parts.iter().map(|p| p.0).sum();
        if age <= b.value.hi {
            continue;
        }
        let Some(worst) = parts.iter().max_by(|a, b| a.0.total_cmp(&b.0)) else {
            continue;
        };
        let sum = parts
            .iter()
            .filter(|p| p.0 > 0.0)
            .map(|p| format!("{} ({})", show(p.0, Dimension::TIME), p.1))
            .collect::<Vec<_>>()
            .join(" + ");
        let mut diag = ctx
            .diag(
                "stale-serving",
                worst.2,
                format!(
                    "`{}` may serve data {} old, but `{}` must be fresh within {}",
                    ctx.name(last),
                    show(age, Dimension::TIME),
                    t.name,
                    b.value.display()
                ),
            )
            .label(worst.1.clone())
            .also(ctx.file, b.span, "the freshness requirement");
        for p in parts.iter().filter(|p| p.0 > 0.0 && p.2 != worst.2) {
            diag = diag.also(ctx.file, p.2, p.1.clone());
        }
        out.push(Finding::new(
            diag.with_help(format!(
                "the data waits {sum} on its way in: refresh more often along the way (the longest wait first), or state the freshness the design gives; a TTL does not shorten this, it only decides what is served once the writer stops"
            )),
            vec![last],
        ));
    }
    out
}

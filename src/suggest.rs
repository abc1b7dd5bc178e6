//! Did-you-mean: the closest known name to an unknown one, by edit distance.

/// Edit distance over chars where a swap of two neighbours counts as one edit
/// (optimal string alignment, strsim's), or `None` when it is above `limit`.
/// Names are short (`name-too-long` bounds them), and lengths further apart
/// than `limit` are refused before any table is built.
fn distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    if a.chars().count().abs_diff(b.chars().count()) > limit {
        return None;
    }
    Some(strsim::osa_distance(a, b)).filter(|d| *d <= limit)
}

/// How many candidates did-you-mean may weigh in one compilation. Each unknown
/// name is compared with every declared one, so a file of 8,000 flows to 8,000
/// undeclared nodes took 35 s; past this budget the help says what to do
/// without a suggestion. No design a person writes comes near it.
pub const BUDGET: usize = 2_000_000;

thread_local! {
    static SPENT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Starts a compilation's budget (each compilation runs on one thread).
pub fn reset_budget() {
    SPENT.with(|s| s.set(0));
}

/// Takes `n` comparisons from the budget; false when it is spent.
fn spend(n: usize) -> bool {
    SPENT.with(|s| {
        let spent = s.get();
        s.set(spent.saturating_add(n));
        spent < BUDGET
    })
}

/// The closest candidate within a third of the name's length (at least 1, at most 3
/// edits), or one that matches ignoring case. Ties go to the first in sorted order so
/// the answer is deterministic.
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let chars = name.chars().count();
    let limit = (chars / 3).clamp(1, 3);
    let lower = name.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        if !spend(1) {
            return None;
        }
        // Too long or short to be near, and not a prefix: skip without allocating.
        let len = c.chars().count();
        if len.abs_diff(chars) > limit
            && !(chars >= 4 && (c.starts_with(name) || name.starts_with(c)))
        {
            continue;
        }
        let d = if c.to_lowercase() == lower {
            Some(0)
        } else if name.chars().count() >= 4 && (c.starts_with(name) || name.starts_with(c)) {
            // `placed` for `placed_at`
            Some(limit)
        } else {
            distance(name, c, limit)
        };
        if let Some(d) = d {
            let better = match best {
                None => true,
                Some((bd, bc)) => d < bd || (d == bd && c < bc),
            };
            if better {
                best = Some((d, c));
            }
        }
    }
    best.map(|(_, c)| c)
}

/// A help line for an unknown name: "did you mean `x`?" or a fallback.
pub fn help_for(name: &str, candidates: Vec<&str>, fallback: &str) -> String {
    match did_you_mean(name, candidates) {
        Some(s) => format!("did you mean `{s}`?"),
        None => fallback.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        assert_eq!(
            did_you_mean("paymnets", ["payments", "fraud"]),
            Some("payments")
        );
        assert_eq!(did_you_mean("flwo", ["flow", "node"]), Some("flow"));
        assert_eq!(did_you_mean("zzzzzz", ["payments"]), None);
        assert_eq!(did_you_mean("MSK", ["msk"]), Some("msk"));
        assert_eq!(did_you_mean("s4", ["s3", "gcs"]), Some("s3"));
        assert_eq!(did_you_mean("laek", ["lake", "orders"]), Some("lake"));
        assert_eq!(did_you_mean("ordres", ["order", "orders"]), Some("orders"));
        assert_eq!(
            did_you_mean("placed", ["placed_at", "id"]),
            Some("placed_at")
        );
    }
}

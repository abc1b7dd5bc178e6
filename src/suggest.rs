//! Did-you-mean: the closest known name to an unknown one, by edit distance.

/// Levenshtein distance over chars, with an early exit above `limit`.
fn distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(c) = cur.first_mut() {
            *c = i + 1;
        }
        let mut row_min = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(usize::MAX) + 1;
            let ins = cur.get(j).copied().unwrap_or(usize::MAX) + 1;
            let sub = prev.get(j).copied().unwrap_or(usize::MAX) + cost;
            let v = del.min(ins).min(sub);
            if let Some(c) = cur.get_mut(j + 1) {
                *c = v;
            }
            row_min = row_min.min(v);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().filter(|d| *d <= limit)
}

/// The closest candidate within a third of the name's length (at least 1, at most 3
/// edits), or one that matches ignoring case. Ties go to the first in sorted order so
/// the answer is deterministic.
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let limit = (name.chars().count() / 3).clamp(1, 3);
    let lower = name.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let d = if c.to_lowercase() == lower {
            Some(0)
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
    }
}

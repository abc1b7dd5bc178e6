//! Two designs → the pull-request comment (`dsd diff --format md`). The input is
//! the head; the base is the Razorpay example, and the input is also diffed
//! against itself with its `because`/`accepting` text changed. No user text may
//! become Markdown structure: no raw HTML (`<` only in dsd's own `<details>`
//! lines, whose text has none), no line that starts other than dsd's own line
//! starts, no live `@mention`, link or image. Under `--max-bytes` the comment
//! stays within the limit.
#![no_main]
use libfuzzer_sys::fuzz_target;

const BASE: &str = include_str!("../../examples/razorpay_payments.dsd");

fn sides(c: &dsd::Compilation) -> Vec<(dsd::sizing::Report, usize)> {
    c.designs
        .iter()
        .enumerate()
        .map(|(i, d)| (dsd::sizing::size(&d.design, &c.catalogue, 1.0), i))
        .collect()
}

fn side<'a>(
    c: &'a dsd::Compilation,
    reports: &'a [(dsd::sizing::Report, usize)],
    i: usize,
) -> Option<dsd::diff::Side<'a>> {
    let checked = c.designs.get(i)?;
    let report = &reports.iter().find(|(_, k)| *k == i)?.0;
    Some(dsd::diff::Side {
        design: &checked.design,
        report,
        findings: c.diagnostics.iter().collect(),
    })
}

fn comment(base: &str, head: &str) -> (String, String) {
    let (b, h) = (
        dsd::compile("a.dsd", base, &dsd::NoImports),
        dsd::compile("a.dsd", head, &dsd::NoImports),
    );
    let (br, hr) = (sides(&b), sides(&h));
    let n = b.designs.len().max(h.designs.len()).max(1);
    let diffs: Vec<_> = (0..n)
        .map(|i| dsd::diff::diff(side(&b, &br, i).as_ref(), side(&h, &hr, i).as_ref()))
        .collect();
    let small = dsd::emit::diff::Options {
        top: None,
        max_bytes: Some(dsd::emit::diff::MIN_BYTES),
        link_base: None,
    };
    (
        dsd::emit::diff::markdown(&diffs),
        dsd::emit::diff::comment(&diffs, &small),
    )
}

/// A line without its code spans (a run of backticks to the next run of the same
/// length), which Markdown shows as they are: `<=` in one is not HTML.
fn outside_code(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        out.push_str(rest.get(..start).unwrap_or_default());
        let after = rest.get(start..).unwrap_or_default();
        let n = after.len() - after.trim_start_matches('`').len();
        let fence = "`".repeat(n);
        let body = after.get(n..).unwrap_or_default();
        // The closing run: the same length, not part of a longer run.
        let mut close = None;
        let mut from = 0;
        while let Some(k) = body.get(from..).and_then(|b| b.find(&fence)) {
            let at = from + k;
            let run = body.get(at..).map_or(0, |b| b.len() - b.trim_start_matches('`').len());
            if run == n {
                close = Some(at);
                break;
            }
            from = at + run;
        }
        match close {
            Some(at) => rest = body.get(at + n..).unwrap_or_default(),
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn inert(md: &str) {
    for line in md.lines() {
        // dsd's own HTML: a design's `<details><summary>` line, whose text is
        // escaped, and the closing tag.
        if line == "</details>" {
            continue;
        }
        if let Some(inner) = line
            .strip_prefix("<details><summary><code>")
            .and_then(|r| r.strip_suffix("</summary>"))
        {
            let inner = inner.replacen("</code>", "", 1);
            assert!(!inner.contains('<'), "raw HTML in a summary: {line:?}");
            let b = inner.as_bytes();
            for w in b.windows(2) {
                if let [b'@', c] = w {
                    assert!(!c.is_ascii_alphanumeric(), "a live mention: {line:?}");
                }
            }
            continue;
        }
        let plain = outside_code(line);
        assert!(!plain.contains('<'), "raw HTML: {line:?}");
        let b = plain.as_bytes();
        for (i, w) in b.windows(2).enumerate() {
            // `@name` with nothing between is a mention; `![` an image; `](` a link.
            let escaped = i > 0 && b.get(i - 1) == Some(&b'\\');
            match w {
                [b'@', c] if c.is_ascii_alphanumeric() => panic!("a live mention: {line:?}"),
                [b'!', b'['] if !escaped => panic!("an image: {line:?}"),
                [b']', b'('] if !escaped => panic!("a link: {line:?}"),
                _ => {}
            }
        }
    }
    for line in md.lines() {
        let ok = line.is_empty()
            || ["- ", "| ", "|-", "**", "## ", "No design changed"]
                .iter()
                .any(|p| line.starts_with(p));
        assert!(ok, "a line dsd did not start: {line:?}");
        assert!(!line.contains('\r'), "a carriage return: {line:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let check = |(whole, small): (String, String)| {
        inert(&whole);
        inert(&small);
        assert!(small.len() <= dsd::emit::diff::MIN_BYTES, "{} bytes", small.len());
    };
    check(comment(BASE, text));
    // The same design with every reason changed: each `because` and `accepting`
    // string is a changed trade-off line.
    let changed = text.replace("because \"", "because \"x ");
    check(comment(text, &changed));
});

//! Quantity arithmetic on any literals: reading, converting and combining never
//! panics, results stay finite, and + and * commute.
#![no_main]
use dsd::units::{Nouns, Quantity, parse_number, parse_unit};
use libfuzzer_sys::fuzz_target;

fn quantity(text: &str, nouns: &Nouns) -> Option<Quantity> {
    let (num, unit) = text.split_once(' ').unwrap_or((text, ""));
    let (lo, hi) = match num.split_once("..") {
        Some((a, b)) => (parse_number(a)?, parse_number(b)?),
        None => {
            let v = parse_number(num)?;
            (v, v)
        }
    };
    let unit = parse_unit(unit, nouns).ok()?;
    Quantity::new(lo, hi, &unit).ok()
}

fn finite(q: &Quantity) {
    assert!(q.lo.is_finite() && q.hi.is_finite(), "{q:?}");
    assert!(q.lo <= q.hi, "{q:?}");
    let _ = q.display();
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(3, '|');
    let (Some(a), Some(b)) = (parts.next(), parts.next()) else {
        return;
    };
    let mut nouns = Nouns::default();
    nouns.declare("orders");
    let (Some(x), Some(y)) = (quantity(a, &nouns), quantity(b, &nouns)) else {
        return;
    };
    finite(&x);
    finite(&y);
    for r in [
        x.add(&y),
        x.sub(&y),
        x.mul(&y),
        x.div(&y),
        x.max(&y),
        x.min(&y),
    ]
    .into_iter()
    .flatten()
    {
        finite(&r);
    }
    if let (Ok(p), Ok(q)) = (x.add(&y), y.add(&x)) {
        assert_eq!((p.lo, p.hi), (q.lo, q.hi), "+ does not commute");
    }
    if let (Ok(p), Ok(q)) = (x.mul(&y), y.mul(&x)) {
        assert_eq!((p.lo, p.hi), (q.lo, q.hi), "* does not commute");
    }
    finite(&x.ceil());
    finite(&x.floor());
    finite(&x.neg().neg());
    if let Some(unit) = parts.next()
        && let Ok(u) = parse_unit(unit, &nouns)
        && let Ok(shown) = x.shown_as(&u)
    {
        finite(&shown);
    }
});

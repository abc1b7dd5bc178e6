//! Typed quantities: dimensions, units, intervals and their arithmetic and display.
//!
//! Base units are the second, the byte and one unit of each currency. Counts and
//! ratios are dimensionless: a count noun (`orders`, `payments`) is a label carried
//! for display, so `5M orders/day * 350 B` is bytes per time, as engineers write it.
//! Every value is an interval `lo..=hi`; a plain number has `lo == hi`.

use std::fmt;

/// Currencies are separate dimensions: there is no silent conversion between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Currency {
    Usd,
    Inr,
    Eur,
    Gbp,
}

impl Currency {
    pub fn symbol(self) -> &'static str {
        match self {
            Currency::Usd => "$",
            Currency::Inr => "₹",
            Currency::Eur => "€",
            Currency::Gbp => "£",
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Currency::Usd => "USD",
            Currency::Inr => "INR",
            Currency::Eur => "EUR",
            Currency::Gbp => "GBP",
        }
    }
    pub fn from_symbol(s: &str) -> Option<Currency> {
        match s {
            "$" | "USD" => Some(Currency::Usd),
            "₹" | "INR" => Some(Currency::Inr),
            "€" | "EUR" => Some(Currency::Eur),
            "£" | "GBP" => Some(Currency::Gbp),
            _ => None,
        }
    }
}

/// Exponents of the base dimensions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Dimension {
    pub time: i8,
    pub bytes: i8,
    pub money: i8,
    pub currency: Option<Currency>,
}

impl Dimension {
    pub const NONE: Dimension = Dimension {
        time: 0,
        bytes: 0,
        money: 0,
        currency: None,
    };
    pub const TIME: Dimension = Dimension {
        time: 1,
        ..Dimension::NONE
    };
    pub const RATE: Dimension = Dimension {
        time: -1,
        ..Dimension::NONE
    };
    pub const BYTES: Dimension = Dimension {
        bytes: 1,
        ..Dimension::NONE
    };
    pub const BYTE_RATE: Dimension = Dimension {
        bytes: 1,
        time: -1,
        ..Dimension::NONE
    };

    pub fn money(currency: Currency) -> Dimension {
        Dimension {
            money: 1,
            currency: Some(currency),
            ..Dimension::NONE
        }
    }
    /// Same exponents of time, bytes and money (the currency is not compared).
    pub fn same_as(self, other: Dimension) -> bool {
        self.time == other.time && self.bytes == other.bytes && self.money == other.money
    }
    pub fn is_dimensionless(self) -> bool {
        self.time == 0 && self.bytes == 0 && self.money == 0
    }
    fn combine(self, other: Dimension, sign: i8) -> Result<Dimension, QuantityError> {
        let currency = match (self.currency, other.currency) {
            (Some(a), Some(b)) if a != b && self.money != 0 && other.money != 0 => {
                return Err(QuantityError::CurrencyMismatch(a, b));
            }
            (a, b) => a.or(b),
        };
        let money = self.money + sign * other.money;
        Ok(Dimension {
            time: self.time + sign * other.time,
            bytes: self.bytes + sign * other.bytes,
            money,
            currency: if money == 0 { None } else { currency },
        })
    }
    /// A human name: "bytes per time", "time", "a plain number".
    pub fn describe(self) -> String {
        if self.is_dimensionless() {
            return "a count or ratio".to_string();
        }
        let named = match (self.bytes, self.time, self.money) {
            (1, 0, 0) => Some("bytes (data size)"),
            (0, 1, 0) => Some("time"),
            (0, -1, 0) => Some("a rate (count per time)"),
            (1, -1, 0) => Some("bytes per time (throughput)"),
            (0, 0, 1) => Some("money"),
            (0, -1, 1) => Some("money per time (a running cost)"),
            (-1, -1, 1) => Some("money per byte per time (a storage price)"),
            (-1, 0, 1) => Some("money per byte"),
            (-1, 1, 0) => Some("time per byte"),
            _ => None,
        };
        match named {
            Some(n) => n.to_string(),
            None => format!("`{}`", self.base_units()),
        }
    }
    /// The dimension spelled in base units, e.g. `B/s`, `$/B/s`.
    pub fn base_units(self) -> String {
        let mut num = Vec::new();
        let mut den = Vec::new();
        let mut put = |name: &str, exp: i8| {
            let (list, e) = if exp > 0 {
                (&mut num, exp)
            } else {
                (&mut den, -exp)
            };
            for _ in 0..e {
                list.push(name.to_string());
            }
        };
        let cur = self.currency.map(Currency::symbol).unwrap_or("$");
        put(cur, self.money);
        put("B", self.bytes);
        put("s", self.time);
        let mut s = if num.is_empty() {
            "1".to_string()
        } else {
            num.join("·")
        };
        for d in den {
            s.push('/');
            s.push_str(&d);
        }
        s
    }
    /// The name of the `unit` field in machine output: `B/s`, `s`, `USD/month`, `count/s`.
    pub fn unit_name(self) -> String {
        match (self.bytes, self.time, self.money) {
            (0, 0, 0) => "count".to_string(),
            (0, -1, 0) => "count/s".to_string(),
            (0, -1, 1) => format!(
                "{}/month",
                self.currency.map(Currency::code).unwrap_or("USD")
            ),
            (_, _, 1) => self.base_units().replace(
                self.currency.map(Currency::symbol).unwrap_or("$"),
                self.currency.map(Currency::code).unwrap_or("USD"),
            ),
            _ => self.base_units(),
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum QuantityError {
    Mismatch {
        op: &'static str,
        left: Dimension,
        right: Dimension,
    },
    CurrencyMismatch(Currency, Currency),
    DivisionByZero,
    Overflow,
    BadRange,
    UnknownUnit(String),
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuantityError::Mismatch { op, left, right } => write!(
                f,
                "cannot {op} {} and {}",
                left.describe(),
                right.describe()
            ),
            QuantityError::CurrencyMismatch(a, b) => write!(
                f,
                "cannot mix {} and {} without an explicit exchange rate",
                a.code(),
                b.code()
            ),
            QuantityError::DivisionByZero => f.write_str("division by zero"),
            QuantityError::Overflow => f.write_str("the result is too large to represent"),
            QuantityError::BadRange => f.write_str("a range must go from low to high"),
            QuantityError::UnknownUnit(u) => write!(f, "unknown unit `{u}`"),
        }
    }
}

/// How a quantity prefers to be shown: a unit text and its size in base units.
#[derive(Clone, Debug, PartialEq)]
pub struct ShownUnit {
    pub text: String,
    pub factor: f64,
}

/// A number with a dimension, held as an interval in base units.
#[derive(Clone, Debug, PartialEq)]
pub struct Quantity {
    pub lo: f64,
    pub hi: f64,
    pub dim: Dimension,
    /// Count noun for display (`payments`), if any.
    pub noun: Option<String>,
    /// The time unit a rate was written per (`day` in `GB/day`), for display.
    pub per: Option<TimeUnit>,
    /// A unit asked for with `as`.
    pub shown: Option<ShownUnit>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeUnit {
    pub name: &'static str,
    pub seconds: u32,
}

pub const DAY: f64 = 86_400.0;
pub const YEAR: f64 = 365.0 * DAY;
pub const MONTH: f64 = YEAR / 12.0;

/// A unit word, its size in base units and its dimension.
struct UnitDef {
    names: &'static [&'static str],
    factor: f64,
    dim: Dimension,
}

const fn d(time: i8, bytes: i8) -> Dimension {
    Dimension {
        time,
        bytes,
        money: 0,
        currency: None,
    }
}

const UNITS: &[UnitDef] = &[
    UnitDef {
        names: &["ns"],
        factor: 1e-9,
        dim: d(1, 0),
    },
    UnitDef {
        names: &["us", "µs", "μs"],
        factor: 1e-6,
        dim: d(1, 0),
    },
    UnitDef {
        names: &["ms", "millisecond", "milliseconds"],
        factor: 1e-3,
        dim: d(1, 0),
    },
    UnitDef {
        names: &["s", "sec", "secs", "second", "seconds"],
        factor: 1.0,
        dim: d(1, 0),
    },
    UnitDef {
        names: &["min", "mins", "minute", "minutes"],
        factor: 60.0,
        dim: d(1, 0),
    },
    UnitDef {
        names: &["h", "hr", "hrs", "hour", "hours"],
        factor: 3600.0,
        dim: d(1, 0),
    },
    UnitDef {
        names: &["day", "days", "d"],
        factor: DAY,
        dim: d(1, 0),
    },
    UnitDef {
        names: &["week", "weeks"],
        factor: 7.0 * DAY,
        dim: d(1, 0),
    },
    UnitDef {
        names: &["month", "months"],
        factor: MONTH,
        dim: d(1, 0),
    },
    UnitDef {
        names: &["year", "years", "yr"],
        factor: YEAR,
        dim: d(1, 0),
    },
    UnitDef {
        names: &["B", "byte", "bytes"],
        factor: 1.0,
        dim: d(0, 1),
    },
    UnitDef {
        names: &["KB", "kB"],
        factor: 1e3,
        dim: d(0, 1),
    },
    UnitDef {
        names: &["MB"],
        factor: 1e6,
        dim: d(0, 1),
    },
    UnitDef {
        names: &["GB"],
        factor: 1e9,
        dim: d(0, 1),
    },
    UnitDef {
        names: &["TB"],
        factor: 1e12,
        dim: d(0, 1),
    },
    UnitDef {
        names: &["PB"],
        factor: 1e15,
        dim: d(0, 1),
    },
    UnitDef {
        names: &["KiB"],
        factor: 1024.0,
        dim: d(0, 1),
    },
    UnitDef {
        names: &["MiB"],
        factor: 1_048_576.0,
        dim: d(0, 1),
    },
    UnitDef {
        names: &["GiB"],
        factor: 1_073_741_824.0,
        dim: d(0, 1),
    },
    UnitDef {
        names: &["TiB"],
        factor: 1_099_511_627_776.0,
        dim: d(0, 1),
    },
    UnitDef {
        names: &["PiB"],
        factor: 1_125_899_906_842_624.0,
        dim: d(0, 1),
    },
    UnitDef {
        names: &["bit", "bits"],
        factor: 0.125,
        dim: d(0, 1),
    },
    UnitDef {
        names: &["bps"],
        factor: 0.125,
        dim: d(-1, 1),
    },
    UnitDef {
        names: &["Kbps", "kbps"],
        factor: 125.0,
        dim: d(-1, 1),
    },
    UnitDef {
        names: &["Mbps"],
        factor: 125_000.0,
        dim: d(-1, 1),
    },
    UnitDef {
        names: &["Gbps"],
        factor: 125_000_000.0,
        dim: d(-1, 1),
    },
    UnitDef {
        names: &["Tbps"],
        factor: 125_000_000_000.0,
        dim: d(-1, 1),
    },
    UnitDef {
        names: &["x"],
        factor: 1.0,
        dim: d(0, 0),
    },
    UnitDef {
        names: &["%", "percent"],
        factor: 0.01,
        dim: d(0, 0),
    },
];

const TIME_UNITS: &[TimeUnit] = &[
    TimeUnit {
        name: "ms",
        seconds: 0,
    },
    TimeUnit {
        name: "s",
        seconds: 1,
    },
    TimeUnit {
        name: "min",
        seconds: 60,
    },
    TimeUnit {
        name: "h",
        seconds: 3600,
    },
    TimeUnit {
        name: "day",
        seconds: 86_400,
    },
    TimeUnit {
        name: "week",
        seconds: 604_800,
    },
    TimeUnit {
        name: "month",
        seconds: 2_628_000,
    },
    TimeUnit {
        name: "year",
        seconds: 31_536_000,
    },
];

impl TimeUnit {
    /// Per day, for showing a rate as `0.4 GB/day`.
    pub fn day() -> Option<TimeUnit> {
        time_unit_for(DAY)
    }
    /// Per minute: `1,200 reads/min`.
    pub fn minute() -> Option<TimeUnit> {
        time_unit_for(60.0)
    }
    /// Per hour: a price, `$0.21/h`.
    pub fn hour() -> Option<TimeUnit> {
        time_unit_for(3600.0)
    }
    /// Per month: a bill, `$1,533/month`.
    pub fn month() -> Option<TimeUnit> {
        time_unit_for(MONTH)
    }
}

fn time_unit_for(seconds: f64) -> Option<TimeUnit> {
    TIME_UNITS
        .iter()
        .find(|t| t.seconds > 0 && (f64::from(t.seconds) - seconds).abs() < 1e-6)
        .copied()
}

/// Names every count noun the design may use, singular and plural. Shared
/// copy-on-write: the standard library's nouns are worked out once per
/// process and copied only by a design that declares more.
#[derive(Clone, Debug, Default)]
pub struct Nouns {
    words: std::sync::Arc<std::collections::BTreeSet<String>>,
}

impl Nouns {
    /// Declares a noun with its English plural (`payment` → `payments`, `play` →
    /// `plays`, `city` → `cities`, `batch` → `batches`: see [`plural`]).
    pub fn declare(&mut self, word: &str) {
        self.declare_with(word, None);
    }
    /// Declares a noun with the plural it was given (`noun person plural
    /// people`), or else its English one. A word given in the plural without
    /// one (`noun payments`) also declares its singular.
    pub fn declare_with(&mut self, word: &str, irregular: Option<&str>) {
        let words = std::sync::Arc::make_mut(&mut self.words);
        words.insert(word.to_string());
        if let Some(p) = irregular {
            words.insert(p.to_string());
            return;
        }
        words.insert(plural(word));
        if let Some(one) = singular(word) {
            words.insert(one);
        }
    }
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
    /// Whether `other` is this very set (a copy not written to since), not
    /// merely an equal one.
    pub fn same(&self, other: &Nouns) -> bool {
        std::sync::Arc::ptr_eq(&self.words, &other.words)
    }
    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }
    pub fn all(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(String::as_str)
    }
}

/// Whether a letter is a vowel, for the `-y` rule.
fn is_vowel(c: char) -> bool {
    matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u')
}

/// The English plural of a regular count noun: a consonant and `y` become
/// `ies` (`city` → `cities`), a vowel and `y` take `s` (`play` → `plays`,
/// `survey` → `surveys`); `-s`, `-sh`, `-ch`, `-x` and `-z` take `es` (`bus` →
/// `buses`, `batch` → `batches`, `box` → `boxes`); every other word takes `s`.
/// Irregular plurals are declared: `noun person plural people`.
pub fn plural(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    if let Some(stem) = word.strip_suffix(['y', 'Y'])
        && stem
            .chars()
            .last()
            .is_some_and(|c| c.is_alphabetic() && !is_vowel(c))
    {
        return format!("{stem}ies");
    }
    if ["s", "sh", "ch", "x", "z"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        return format!("{word}es");
    }
    format!("{word}s")
}

/// The singular of a word that looks like a regular plural (ends in `s`), by
/// undoing [`plural`]: `cities` → `city`, `batches` → `batch`, `plays` →
/// `play`, `payments` → `payment`; `None` for a word that does not end in `s`.
pub fn singular(word: &str) -> Option<String> {
    let lower = word.to_ascii_lowercase();
    let stem = word.strip_suffix(['s', 'S'])?;
    if stem.is_empty() {
        return None;
    }
    if let Some(base) = word.get(..word.len().saturating_sub(3))
        && lower.ends_with("ies")
        && base.chars().last().is_some_and(|c| !is_vowel(c))
        && !base.is_empty()
    {
        return Some(format!("{base}y"));
    }
    if ["sses", "shes", "ches", "xes", "zes"]
        .iter()
        .any(|e| lower.ends_with(e))
        && let Some(base) = word.get(..word.len().saturating_sub(2))
    {
        return Some(base.to_string());
    }
    Some(stem.to_string())
}

/// Every unit word dsd knows, for did-you-mean.
pub fn unit_words() -> impl Iterator<Item = &'static str> {
    UNITS
        .iter()
        .flat_map(|u| u.names.iter().copied())
        .chain(["USD", "INR", "EUR", "GBP"])
}

/// Whether a word is a unit (not a count noun).
pub fn is_unit_word(word: &str) -> bool {
    unit_named(word).is_some() || Currency::from_symbol(word).is_some()
}

/// The unit a name spells (`MB`, `min`, `days`), looked up in a map built
/// once: every quantity of a design asks, and `UNITS` is a long list.
fn unit_named(name: &str) -> Option<&'static UnitDef> {
    static BY_NAME: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static UnitDef>> =
        std::sync::OnceLock::new();
    BY_NAME
        .get_or_init(|| {
            let mut map = std::collections::HashMap::new();
            // The first unit to list a name keeps it, as a scan in order finds.
            for u in UNITS {
                for n in u.names {
                    map.entry(*n).or_insert(u);
                }
            }
            map
        })
        .get(name)
        .copied()
}

/// A parsed unit expression such as `MB/s`, `$/GB/month` or `payments/day`.
#[derive(Clone, Debug, PartialEq)]
pub struct Unit {
    pub factor: f64,
    pub dim: Dimension,
    pub noun: Option<String>,
    pub per: Option<TimeUnit>,
    pub text: String,
}

impl Unit {
    pub fn none() -> Unit {
        Unit {
            factor: 1.0,
            dim: Dimension::NONE,
            noun: None,
            per: None,
            text: String::new(),
        }
    }
}

/// Parses `piece(/piece)*`. The first piece is the numerator, the rest divide it.
pub fn parse_unit(text: &str, nouns: &Nouns) -> Result<Unit, QuantityError> {
    let mut unit = Unit::none();
    unit.text = text.to_string();
    for (i, piece) in text.split('/').enumerate() {
        if piece.is_empty() {
            if i == 0 {
                continue; // `/month` after a money literal
            }
            return Err(QuantityError::UnknownUnit(text.to_string()));
        }
        let (factor, dim, noun) = if let Some(def) = unit_named(piece) {
            (def.factor, def.dim, None)
        } else if let Some(c) = Currency::from_symbol(piece) {
            (1.0, Dimension::money(c), None)
        } else if nouns.contains(piece) {
            (1.0, Dimension::NONE, Some(piece.to_string()))
        } else {
            return Err(QuantityError::UnknownUnit(piece.to_string()));
        };
        if i == 0 {
            unit.factor *= factor;
            unit.dim = unit.dim.combine(dim, 1)?;
            if noun.is_some() {
                unit.noun = noun;
            }
        } else {
            unit.factor /= factor;
            unit.dim = unit.dim.combine(dim, -1)?;
            if dim == Dimension::TIME && unit.per.is_none() {
                unit.per = time_unit_for(factor);
            }
        }
    }
    Ok(unit)
}

/// Reads a number literal: `5_000_000`, `2.5`, `1e6`, `5M`, `2k` (or `2K`), `3bn`.
pub fn parse_number(text: &str) -> Option<f64> {
    let (digits, mult) = if let Some(s) = text.strip_suffix("bn") {
        (s, 1e9)
    } else if let Some(s) = text.strip_suffix('M') {
        (s, 1e6)
    } else if let Some(s) = text.strip_suffix(['k', 'K']) {
        (s, 1e3)
    } else {
        (text, 1.0)
    };
    // Most numbers are a few plain digits: read them without the float parser
    // (exact below 2^53, which 15 digits stay under).
    let v: f64 =
        if !digits.is_empty() && digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit()) {
            digits
                .bytes()
                .fold(0u64, |n, b| n * 10 + u64::from(b - b'0')) as f64
        } else if digits.contains('_') {
            let cleaned: String = digits.chars().filter(|c| *c != '_').collect();
            cleaned.parse().ok()?
        } else {
            digits.parse().ok()?
        };
    let v = v * mult;
    v.is_finite().then_some(v)
}

fn checked(lo: f64, hi: f64) -> Result<(f64, f64), QuantityError> {
    if lo.is_nan() || hi.is_nan() {
        return Err(QuantityError::DivisionByZero);
    }
    if !lo.is_finite() || !hi.is_finite() {
        return Err(QuantityError::Overflow);
    }
    Ok((lo, hi))
}

impl Quantity {
    pub fn new(lo: f64, hi: f64, unit: &Unit) -> Result<Quantity, QuantityError> {
        if lo > hi {
            return Err(QuantityError::BadRange);
        }
        let (lo, hi) = checked(lo * unit.factor, hi * unit.factor)?;
        Ok(Quantity {
            lo,
            hi,
            dim: unit.dim,
            noun: unit.noun.clone(),
            per: unit.per,
            shown: None,
        })
    }
    /// One value in base units of `dim`, with no labels.
    pub fn at(v: f64, dim: Dimension) -> Quantity {
        Quantity {
            lo: v,
            hi: v,
            dim,
            noun: None,
            per: None,
            shown: None,
        }
    }
    pub fn scalar(v: f64) -> Quantity {
        Quantity {
            lo: v,
            hi: v,
            dim: Dimension::NONE,
            noun: None,
            per: None,
            shown: None,
        }
    }
    pub fn is_range(&self) -> bool {
        self.lo != self.hi
    }
    /// The middle of the interval, for a single figure.
    pub fn mid(&self) -> f64 {
        (self.lo + self.hi) / 2.0
    }

    fn keep_labels(&self, other: &Quantity, dim: Dimension) -> (Option<String>, Option<TimeUnit>) {
        let noun = if dim.bytes == 0 && dim.money == 0 && dim.time <= 0 {
            self.noun.clone().or_else(|| other.noun.clone())
        } else {
            None
        };
        let per = if dim.time < 0 {
            self.per.or(other.per)
        } else {
            None
        };
        (noun, per)
    }

    pub fn add(&self, other: &Quantity) -> Result<Quantity, QuantityError> {
        self.additive(other, 1.0, "add")
    }
    pub fn sub(&self, other: &Quantity) -> Result<Quantity, QuantityError> {
        self.additive(other, -1.0, "subtract")
    }
    fn additive(
        &self,
        other: &Quantity,
        sign: f64,
        op: &'static str,
    ) -> Result<Quantity, QuantityError> {
        if !self.dim.same_as(other.dim) {
            return Err(QuantityError::Mismatch {
                op,
                left: self.dim,
                right: other.dim,
            });
        }
        let dim = self.dim.combine(Dimension::NONE, 1)?;
        if let (Some(a), Some(b)) = (self.dim.currency, other.dim.currency)
            && a != b
        {
            return Err(QuantityError::CurrencyMismatch(a, b));
        }
        let (lo, hi) = if sign > 0.0 {
            (self.lo + other.lo, self.hi + other.hi)
        } else {
            (self.lo - other.hi, self.hi - other.lo)
        };
        let (lo, hi) = checked(lo, hi)?;
        let (noun, per) = self.keep_labels(other, dim);
        Ok(Quantity {
            lo,
            hi,
            dim: Dimension {
                currency: self.dim.currency.or(other.dim.currency),
                ..dim
            },
            noun,
            per,
            shown: None,
        })
    }
    pub fn mul(&self, other: &Quantity) -> Result<Quantity, QuantityError> {
        let dim = self.dim.combine(other.dim, 1)?;
        let p = [
            self.lo * other.lo,
            self.lo * other.hi,
            self.hi * other.lo,
            self.hi * other.hi,
        ];
        let (lo, hi) = checked(min4(p), max4(p))?;
        let (noun, per) = self.keep_labels(other, dim);
        Ok(Quantity {
            lo,
            hi,
            dim,
            noun,
            per,
            shown: None,
        })
    }
    pub fn div(&self, other: &Quantity) -> Result<Quantity, QuantityError> {
        if other.lo <= 0.0 && other.hi >= 0.0 {
            return Err(QuantityError::DivisionByZero);
        }
        let dim = self.dim.combine(other.dim, -1)?;
        let p = [
            self.lo / other.lo,
            self.lo / other.hi,
            self.hi / other.lo,
            self.hi / other.hi,
        ];
        let (lo, hi) = checked(min4(p), max4(p))?;
        let (mut noun, per) = self.keep_labels(other, dim);
        // payments/s ÷ payments/s is a plain ratio.
        if dim.is_dimensionless() && self.noun.is_some() && other.noun.is_some() {
            noun = None;
        }
        Ok(Quantity {
            lo,
            hi,
            dim,
            noun,
            per,
            shown: None,
        })
    }
    pub fn neg(&self) -> Quantity {
        Quantity {
            lo: -self.hi,
            hi: -self.lo,
            ..self.clone()
        }
    }
    /// Rounds both ends up to whole numbers (`ceil(threads_needed)`).
    pub fn ceil(&self) -> Quantity {
        Quantity {
            lo: self.lo.ceil(),
            hi: self.hi.ceil(),
            ..self.clone()
        }
    }
    pub fn floor(&self) -> Quantity {
        Quantity {
            lo: self.lo.floor(),
            hi: self.hi.floor(),
            ..self.clone()
        }
    }
    pub fn same_dimension(&self, other: &Quantity) -> bool {
        self.dim.same_as(other.dim)
    }
    pub fn max(&self, other: &Quantity) -> Result<Quantity, QuantityError> {
        if !self.same_dimension(other) {
            return Err(QuantityError::Mismatch {
                op: "compare",
                left: self.dim,
                right: other.dim,
            });
        }
        Ok(Quantity {
            lo: self.lo.max(other.lo),
            hi: self.hi.max(other.hi),
            ..self.clone()
        })
    }
    pub fn min(&self, other: &Quantity) -> Result<Quantity, QuantityError> {
        if !self.same_dimension(other) {
            return Err(QuantityError::Mismatch {
                op: "compare",
                left: self.dim,
                right: other.dim,
            });
        }
        Ok(Quantity {
            lo: self.lo.min(other.lo),
            hi: self.hi.min(other.hi),
            ..self.clone()
        })
    }
    /// Converts for display into `unit`, which must have the same dimension.
    pub fn shown_as(&self, unit: &Unit) -> Result<Quantity, QuantityError> {
        if !self.dim.same_as(unit.dim) {
            return Err(QuantityError::Mismatch {
                op: "convert",
                left: self.dim,
                right: unit.dim,
            });
        }
        let mut q = self.clone();
        q.shown = Some(ShownUnit {
            text: unit.text.clone(),
            factor: unit.factor,
        });
        if unit.noun.is_some() {
            q.noun = unit.noun.clone();
        }
        Ok(q)
    }
}

fn min4(p: [f64; 4]) -> f64 {
    p.iter().copied().fold(f64::INFINITY, f64::min)
}
fn max4(p: [f64; 4]) -> f64 {
    p.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

/// Formats a number with at most three significant decimals and thousands separators.
pub fn format_number(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let a = v.abs();
    let s = if a >= 1000.0 {
        let r = v.round();
        group_thousands(r)
    } else {
        let decimals = if a >= 100.0 {
            0
        } else if a >= 10.0 {
            1
        } else if a >= 1.0 {
            2
        } else {
            // keep three significant digits for small numbers
            let mag = -a.log10().floor() as i32;
            (mag + 2).clamp(2, 12) as usize
        };
        let s = format!("{v:.decimals$}");
        trim_zeros(&s)
    };
    if s == "-0" { "0".to_string() } else { s }
}

fn trim_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

fn group_thousands(r: f64) -> String {
    let neg = r < 0.0;
    let digits = format!("{:.0}", r.abs());
    let mut out = String::new();
    let n = digits.len();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if neg { format!("-{out}") } else { out }
}

const BYTE_STEPS: &[(f64, &str)] = &[
    (1e15, "PB"),
    (1e12, "TB"),
    (1e9, "GB"),
    (1e6, "MB"),
    (1e3, "KB"),
    (1.0, "B"),
];
const TIME_STEPS: &[(f64, &str)] = &[
    (YEAR, "years"),
    (DAY, "days"),
    (3600.0, "h"),
    (60.0, "min"),
    (1.0, "s"),
    (1e-3, "ms"),
    (1e-6, "µs"),
];

/// A time written out exactly in its parts, largest first: `1 day 5 s`,
/// `2 h 30 min`, `505 ms`. Parts below a microsecond are dropped.
pub fn exact_time(secs: f64) -> String {
    if !secs.is_finite() {
        return format_number(secs);
    }
    if secs <= 0.0 {
        return "0 s".into();
    }
    // Whole microseconds, so float noise does not split `5 s` into `4 s 999 ms ...`.
    let mut rest = (secs * 1e6).round();
    let mut parts = Vec::new();
    for (unit, one, many) in [
        (DAY * 1e6, "day", "days"),
        (3600e6, "h", "h"),
        (60e6, "min", "min"),
        (1e6, "s", "s"),
        (1e3, "ms", "ms"),
        (1.0, "µs", "µs"),
    ] {
        let n = (rest / unit).floor();
        if n >= 1.0 {
            parts.push(format!(
                "{} {}",
                format_number(n),
                if n == 1.0 { one } else { many }
            ));
            rest -= n * unit;
        }
    }
    if parts.is_empty() {
        "0 s".into()
    } else {
        parts.join(" ")
    }
}

fn pick(steps: &[(f64, &'static str)], v: f64) -> (f64, &'static str) {
    let a = v.abs();
    if a == 0.0 {
        return steps
            .iter()
            .find(|s| s.0 == 1.0)
            .copied()
            .unwrap_or((1.0, ""));
    }
    for (f, n) in steps {
        // A hair below a step (`999,999,999.99 B` from float noise) reads as the step.
        if a >= *f * (1.0 - 1e-9) {
            return (*f, n);
        }
    }
    steps.last().copied().unwrap_or((1.0, ""))
}

fn count_text(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 && (v / 1e9 * 100.0).fract().abs() < 1e-9 {
        format!("{}bn", format_number(v / 1e9))
    } else if a >= 1e6 && (v / 1e6 * 100.0).fract().abs() < 1e-9 {
        format!("{}M", format_number(v / 1e6))
    } else {
        format_number(v)
    }
}

const GIB: f64 = 1_073_741_824.0;
const TIB: f64 = 1_099_511_627_776.0;

/// A price per byte reads in the unit it was most likely written in: the one
/// whose number has the fewest significant digits (`$0.10/GiB`, not
/// `$0.0931/GB`; `$40/TiB`, not `$36.38/TB`), per GB on a tie when that reads
/// as cents or more (`$0.02/GB`), else per TB (`$5/TB`). `show` formats the
/// amount at a factor of bytes; `per_gb` is the amount per decimal GB.
fn per_byte(show: &dyn Fn(f64) -> String, per_gb: f64, tera: bool) -> (String, &'static str) {
    let digits = |t: &str| {
        let d: String = t.chars().filter(char::is_ascii_digit).collect();
        d.trim_start_matches('0').trim_end_matches('0').len()
    };
    let gb_first = per_gb >= 0.01 || !tera;
    let order: [(f64, &'static str); 4] = if gb_first {
        [(1e9, "GB"), (1e12, "TB"), (GIB, "GiB"), (TIB, "TiB")]
    } else {
        [(1e12, "TB"), (1e9, "GB"), (TIB, "TiB"), (GIB, "GiB")]
    };
    let mut best: Option<(String, &'static str, usize)> = None;
    for (f, unit) in order {
        if !tera && f >= 1e12 {
            continue; // storage reads per GB-month, as every vendor writes it
        }
        let text = show(f);
        let n = digits(&text);
        if best.as_ref().is_none_or(|b| n < b.2) {
            best = Some((text, unit, n));
        }
    }
    best.map(|(t, u, _)| (t, u))
        .unwrap_or_else(|| (show(1e9), "GB"))
}

impl Quantity {
    /// Display in a readable unit: `0.36 MB/s`, `2,000 payments/s`, `50..100 MB/s`.
    pub fn display(&self) -> String {
        let ends = |f: &dyn Fn(f64) -> String| {
            if self.is_range() {
                format!("{}..{}", f(self.lo), f(self.hi))
            } else {
                f(self.lo)
            }
        };
        if let Some(shown) = &self.shown {
            let f = shown.factor;
            let money_prefix = shown.text.starts_with(['$', '₹', '€', '£']);
            if money_prefix {
                let (sym, rest) = shown
                    .text
                    .split_at(shown.text.chars().next().map(char::len_utf8).unwrap_or(0));
                return format!("{sym}{}{rest}", ends(&|v| format_number(v / f)));
            }
            return format!("{} {}", ends(&|v| format_number(v / f)), shown.text);
        }
        let dim = self.dim;
        let big = self.lo.abs().max(self.hi.abs());
        match (dim.bytes, dim.time, dim.money) {
            (0, 0, 0) => {
                let n = ends(&count_text);
                match &self.noun {
                    Some(noun) => format!("{n} {noun}"),
                    None => n,
                }
            }
            (1, 0, 0) => {
                let (f, u) = pick(BYTE_STEPS, big);
                format!("{} {u}", ends(&|v| format_number(v / f)))
            }
            (0, 1, 0) => {
                let (f, u) = pick(TIME_STEPS, big);
                let text = ends(&|v| format_number(v / f));
                // `1 day`, `1 year`: singular when the figure is exactly one.
                let u = match (text.as_str(), u) {
                    ("1", "days") => "day",
                    ("1", "years") => "year",
                    _ => u,
                };
                format!("{text} {u}")
            }
            (b, -1, 0) if b == 0 || b == 1 => {
                let per = self.per.filter(|p| p.seconds > 0);
                let secs = per.map(|p| f64::from(p.seconds)).unwrap_or(1.0);
                let per_name = per.map(|p| p.name).unwrap_or("s");
                if b == 1 {
                    let (f, u) = pick(BYTE_STEPS, big * secs);
                    format!("{} {u}/{per_name}", ends(&|v| format_number(v * secs / f)))
                } else {
                    let noun = self.noun.as_deref().unwrap_or("events");
                    format!("{} {noun}/{per_name}", ends(&|v| count_text(v * secs)))
                }
            }
            (0, 0, 1) => {
                let sym = dim.currency.map(Currency::symbol).unwrap_or("$");
                format!("{sym}{}", ends(&format_number))
            }
            (0, -1, 1) => {
                let sym = dim.currency.map(Currency::symbol).unwrap_or("$");
                // A price per hour reads as written (`$0.21/h`); a bill per month.
                if self.per.is_some_and(|p| p.seconds == 3600) {
                    return format!("{sym}{}/h", ends(&|v| format_number(v * 3600.0)));
                }
                format!("{sym}{}/month", ends(&|v| format_number(v * MONTH)))
            }
            (-1, 0, 1) => {
                // A price per byte scanned or moved: `$5/TB`, `$0.01/GB`.
                let sym = dim.currency.map(Currency::symbol).unwrap_or("$");
                let (n, u) = per_byte(&|f| ends(&|v| format_number(v * f)), big * 1e9, true);
                format!("{sym}{n}/{u}")
            }
            (-1, -1, 1) => {
                let sym = dim.currency.map(Currency::symbol).unwrap_or("$");
                let (n, u) = per_byte(
                    &|f| ends(&|v| format_number(v * MONTH * f)),
                    big * MONTH * 1e9,
                    false,
                );
                format!("{sym}{n}/{u}/month")
            }
            _ => format!("{} {}", ends(&format_number), dim.base_units()),
        }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nouns() -> Nouns {
        let mut n = Nouns::default();
        for w in ["order", "payment", "event"] {
            n.declare(w);
        }
        n
    }
    fn q(v: f64, unit: &str) -> Quantity {
        let u = parse_unit(unit, &nouns()).unwrap_or_else(|e| unreachable!("{e}"));
        Quantity::new(v, v, &u).unwrap_or_else(|e| unreachable!("{e}"))
    }

    #[test]
    fn count_nouns_pluralise_by_english_rules() {
        // vowel + y: + s; consonant + y: ies
        assert_eq!(plural("play"), "plays");
        assert_eq!(plural("survey"), "surveys");
        assert_eq!(plural("journey"), "journeys");
        assert_eq!(plural("key"), "keys");
        assert_eq!(plural("city"), "cities");
        assert_eq!(plural("delivery"), "deliveries");
        assert_eq!(plural("query"), "queries");
        // -s, -sh, -ch, -x, -z: + es
        assert_eq!(plural("bus"), "buses");
        assert_eq!(plural("class"), "classes");
        assert_eq!(plural("push"), "pushes");
        assert_eq!(plural("batch"), "batches");
        assert_eq!(plural("box"), "boxes");
        assert_eq!(plural("fizz"), "fizzes");
        // otherwise + s
        assert_eq!(plural("payment"), "payments");
        assert_eq!(plural("txn"), "txns");
        assert_eq!(plural("file"), "files");
    }

    #[test]
    fn a_declared_noun_accepts_its_plural_and_no_misspelt_one() {
        let mut n = Nouns::default();
        for w in ["play", "survey", "city", "batch", "box", "push", "bus"] {
            n.declare(w);
        }
        for w in [
            "play", "plays", "survey", "surveys", "city", "cities", "batch", "batches", "box",
            "boxes", "push", "pushes", "bus", "buses",
        ] {
            assert!(n.contains(w), "{w}");
        }
        for w in ["plaies", "surveies", "citys", "batchs", "boxs", "pushs"] {
            assert!(!n.contains(w), "{w}");
        }
    }

    #[test]
    fn an_irregular_plural_is_declared_and_replaces_the_regular_one() {
        let mut n = Nouns::default();
        n.declare_with("person", Some("people"));
        assert!(n.contains("person") && n.contains("people"));
        assert!(!n.contains("persons"));
        let u = parse_unit("people/day", &n).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(u.noun.as_deref(), Some("people"));
    }

    #[test]
    fn a_noun_declared_in_the_plural_declares_its_singular() {
        let mut n = Nouns::default();
        for w in ["payments", "cities", "batches", "plays"] {
            n.declare(w);
        }
        for w in ["payment", "city", "batch", "play"] {
            assert!(n.contains(w), "{w}");
        }
        assert_eq!(singular("boxes"), Some("box".to_string()));
        assert_eq!(singular("keys"), Some("key".to_string()));
        assert_eq!(singular("order"), None);
    }

    #[test]
    fn orders_times_bytes_is_bytes_per_day() {
        let daily = q(5e6, "orders/day")
            .mul(&q(350.0, "B/order"))
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(daily.dim, Dimension::BYTE_RATE);
        assert!((daily.lo * DAY - 1.75e9).abs() < 1.0);
        assert_eq!(daily.display(), "1.75 GB/day");
    }

    #[test]
    fn kafka_peak_of_the_reference() {
        // Design 1: 2,000 payments/s × 180 B = 0.36 MB/s
        let peak = q(2000.0, "payments/s")
            .mul(&q(180.0, "B"))
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(peak.display(), "360 KB/s");
        let mb = peak
            .shown_as(&parse_unit("MB/s", &nouns()).unwrap_or_else(|e| unreachable!("{e}")))
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(mb.display(), "0.36 MB/s");
    }

    #[test]
    fn adding_bytes_and_time_names_both_dimensions() {
        let e = q(1.0, "GB").add(&q(3.0, "ms")).err();
        let msg = e.map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("bytes") && msg.contains("time"), "{msg}");
    }

    #[test]
    fn bandwidth_in_bits() {
        let g = q(1.0, "Gbps");
        assert_eq!(g.dim, Dimension::BYTE_RATE);
        assert!((g.lo - 125e6).abs() < 1e-3);
    }

    #[test]
    fn division_by_zero_and_overflow_are_errors() {
        assert_eq!(
            q(1.0, "GB").div(&q(0.0, "s")),
            Err(QuantityError::DivisionByZero)
        );
        assert_eq!(
            q(1e290, "B").mul(&q(1e290, "B")),
            Err(QuantityError::Overflow)
        );
        let pb = parse_unit("PB", &nouns()).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(
            Quantity::new(1e300, 1e300, &pb),
            Err(QuantityError::Overflow)
        );
    }

    #[test]
    fn ranges_propagate_as_intervals() {
        let u = parse_unit("MB/s", &nouns()).unwrap_or_else(|e| unreachable!("{e}"));
        let r = Quantity::new(50.0, 100.0, &u).unwrap_or_else(|e| unreachable!("{e}"));
        let two = r
            .mul(&Quantity::scalar(2.0))
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(two.display(), "100..200 MB/s");
        let t = q(10.0, "GB")
            .div(&r)
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(t.display(), "1.67..3.33 min");
    }

    #[test]
    fn currencies_do_not_mix() {
        let e = q(1.0, "$").add(&q(1.0, "₹"));
        assert!(matches!(e, Err(QuantityError::CurrencyMismatch(_, _))));
    }

    #[test]
    fn numbers_with_suffixes() {
        assert_eq!(parse_number("5M"), Some(5e6));
        assert_eq!(parse_number("2k"), Some(2e3));
        assert_eq!(parse_number("3bn"), Some(3e9));
        assert_eq!(parse_number("5_000_000"), Some(5e6));
        assert_eq!(parse_number("1e999"), None);
    }

    /// Plain digits are read without the float parser: the same values.
    #[test]
    fn plain_digits_read_as_the_float_parser_reads_them() {
        for t in [
            "0",
            "007",
            "42",
            "999999999999999",
            "1234567890123456",
            "18446744073709551616",
            "2.5",
            "1e6",
        ] {
            assert_eq!(parse_number(t), t.parse::<f64>().ok(), "{t}");
        }
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("M"), None);
        assert_eq!(parse_number("12x"), None);
    }

    #[test]
    fn storage_price_display() {
        let p = q(0.023, "$/GB/month");
        assert_eq!(p.display(), "$0.023/GB/month");
    }
}

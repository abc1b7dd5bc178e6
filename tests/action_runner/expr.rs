//! GitHub Actions expressions (`${{ … }}` and `if:`), as much as action.yml
//! uses: literals, context paths (`inputs.base-ref`,
//! `github.event.pull_request.base.sha`), `!`, `==`, `!=`, `&&`, `||`,
//! parentheses and the status functions. An unknown function fails the test,
//! so the runner grows with the action rather than misreading it.

use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Str(String),
    Num(f64),
    Word(String),
    Op(&'static str),
}

fn tokens(src: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' {
            let mut s = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                        s.push('\'');
                        i += 2;
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some(&ch) => {
                        s.push(ch);
                        i += 1;
                    }
                    None => panic!("unterminated string in {src:?}"),
                }
            }
            out.push(Tok::Str(s));
        } else if c.is_ascii_digit() {
            let start = i;
            while chars
                .get(i)
                .is_some_and(|c| c.is_ascii_digit() || *c == '.')
            {
                i += 1;
            }
            let n: String = chars[start..i].iter().collect();
            out.push(Tok::Num(n.parse().unwrap_or(f64::NAN)));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while chars
                .get(i)
                .is_some_and(|c| c.is_alphanumeric() || "_-.".contains(*c))
            {
                i += 1;
            }
            out.push(Tok::Word(chars[start..i].iter().collect()));
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let op = ["==", "!=", "&&", "||", "<=", ">="]
                .into_iter()
                .find(|o| *o == two);
            match op {
                Some(o) => {
                    out.push(Tok::Op(o));
                    i += 2;
                }
                None => {
                    let one = ["!", "(", ")", ",", "<", ">"]
                        .into_iter()
                        .find(|o| o.starts_with(c))
                        .unwrap_or_else(|| panic!("unexpected {c:?} in {src:?}"));
                    out.push(Tok::Op(one));
                    i += 1;
                }
            }
        }
    }
    out
}

/// What the status functions answer: whether every earlier step succeeded.
pub struct Eval<'a> {
    pub ctx: &'a Value,
    pub success: bool,
}

struct Parser<'a, 'b> {
    toks: Vec<Tok>,
    pos: usize,
    ev: &'b Eval<'a>,
    src: String,
}

pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        _ => true,
    }
}

fn number(v: &Value) -> f64 {
    match v {
        Value::Null => 0.0,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
        Value::String(s) if s.trim().is_empty() => 0.0,
        Value::String(s) => s.trim().parse().unwrap_or(f64::NAN),
        _ => f64::NAN,
    }
}

/// `==` as GitHub compares: strings ignoring case, other pairs as numbers.
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.to_lowercase() == y.to_lowercase(),
        (Value::Null, Value::Null) => true,
        _ => number(a) == number(b),
    }
}

impl Parser<'_, '_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn eat(&mut self, op: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Op(o)) if *o == op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn or(&mut self) -> Value {
        let mut v = self.and();
        while self.eat("||") {
            let r = self.and();
            if !truthy(&v) {
                v = r;
            }
        }
        v
    }
    fn and(&mut self) -> Value {
        let mut v = self.cmp();
        while self.eat("&&") {
            let r = self.cmp();
            if truthy(&v) {
                v = r;
            }
        }
        v
    }
    fn cmp(&mut self) -> Value {
        let l = self.unary();
        if self.eat("==") {
            let r = self.unary();
            return Value::Bool(equal(&l, &r));
        }
        if self.eat("!=") {
            let r = self.unary();
            return Value::Bool(!equal(&l, &r));
        }
        l
    }
    fn unary(&mut self) -> Value {
        if self.eat("!") {
            return Value::Bool(!truthy(&self.unary()));
        }
        self.primary()
    }
    fn primary(&mut self) -> Value {
        let tok = self.peek().cloned();
        self.pos += 1;
        match tok {
            Some(Tok::Str(s)) => Value::String(s),
            Some(Tok::Num(n)) => serde_json::json!(n),
            Some(Tok::Op("(")) => {
                let v = self.or();
                assert!(self.eat(")"), "missing `)` in {:?}", self.src);
                v
            }
            Some(Tok::Word(w)) if w == "true" => Value::Bool(true),
            Some(Tok::Word(w)) if w == "false" => Value::Bool(false),
            Some(Tok::Word(w)) if w == "null" => Value::Null,
            Some(Tok::Word(w)) if self.eat("(") => {
                let mut args = Vec::new();
                if !self.eat(")") {
                    loop {
                        args.push(self.or());
                        if self.eat(")") {
                            break;
                        }
                        assert!(self.eat(","), "`,` or `)` expected in {:?}", self.src);
                    }
                }
                let text = |i: usize| match args.get(i) {
                    Some(Value::String(s)) => s.to_lowercase(),
                    Some(Value::Null) | None => String::new(),
                    Some(v) => v.to_string().to_lowercase(),
                };
                match w.as_str() {
                    // GitHub's string functions ignore case.
                    "startsWith" => Value::Bool(text(0).starts_with(&text(1))),
                    "endsWith" => Value::Bool(text(0).ends_with(&text(1))),
                    "contains" => Value::Bool(text(0).contains(&text(1))),
                    _ if !args.is_empty() => {
                        panic!(
                            "the runner does not know {w}() with arguments in {:?}",
                            self.src
                        )
                    }
                    "always" => Value::Bool(true),
                    "success" => Value::Bool(self.ev.success),
                    "failure" => Value::Bool(!self.ev.success),
                    "cancelled" => Value::Bool(false),
                    f => panic!("the runner does not know {f}() in {:?}", self.src),
                }
            }
            Some(Tok::Word(w)) => {
                let mut v = self.ev.ctx;
                for part in w.split('.') {
                    match v.get(part) {
                        Some(x) => v = x,
                        None => return Value::Null,
                    }
                }
                v.clone()
            }
            t => panic!("unexpected {t:?} in {:?}", self.src),
        }
    }
}

impl Eval<'_> {
    pub fn value(&self, src: &str) -> Value {
        let mut p = Parser {
            toks: tokens(src),
            pos: 0,
            ev: self,
            src: src.to_string(),
        };
        let v = p.or();
        assert!(p.pos == p.toks.len(), "unread tokens in {src:?}");
        v
    }

    /// An `if:` condition (with or without `${{ }}`).
    pub fn condition(&self, src: &str) -> bool {
        let t = src.trim();
        let inner = t
            .strip_prefix("${{")
            .and_then(|r| r.strip_suffix("}}"))
            .unwrap_or(t);
        truthy(&self.value(inner))
    }

    /// Text with every `${{ … }}` replaced by its value as a string.
    pub fn substitute(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find("${{") {
            out.push_str(&rest[..at]);
            let after = &rest[at + 3..];
            let end = after
                .find("}}")
                .unwrap_or_else(|| panic!("unclosed ${{{{ in {text:?}"));
            out.push_str(&as_text(&self.value(&after[..end])));
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        out
    }
}

pub fn as_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

#[test]
fn expressions_as_github_reads_them() {
    let ctx = serde_json::json!({
        "inputs": {"base-ref": "", "comment": "true"},
        "github": {"event_name": "pull_request", "event": {"pull_request": {"base": {"sha": "abc"}}}},
    });
    let ev = Eval {
        ctx: &ctx,
        success: true,
    };
    assert_eq!(
        ev.substitute("x ${{ inputs.base-ref || github.event.pull_request.base.sha }} y"),
        "x abc y"
    );
    assert!(ev.condition("github.event_name == 'PULL_REQUEST' && inputs.comment == 'true'"));
    assert!(!ev.condition("${{ !inputs.comment }}"));
    assert!(ev.condition("always() && (github.nothing == null)"));
    assert!(!ev.condition("github.event_name != 'pull_request'"));
}

//! A reader for the YAML that `action.yml` is written in: block mappings and
//! sequences, plain and quoted scalars, `|` and `>` block scalars, comments.
//! No flow collections, anchors or tags: a file using them fails the test that
//! reads it, rather than being read wrong.

#[derive(Clone, Debug, PartialEq)]
pub enum Yaml {
    Str(String),
    Map(Vec<(String, Yaml)>),
    List(Vec<Yaml>),
}

impl Yaml {
    pub fn get(&self, key: &str) -> Option<&Yaml> {
        match self {
            Yaml::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    pub fn str(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some(Yaml::Str(s)) => Some(s),
            _ => None,
        }
    }
    pub fn list(&self) -> &[Yaml] {
        match self {
            Yaml::List(l) => l,
            _ => &[],
        }
    }
    pub fn entries(&self) -> &[(String, Yaml)] {
        match self {
            Yaml::Map(m) => m,
            _ => &[],
        }
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn significant(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

struct Reader {
    lines: Vec<String>,
    pos: usize,
}

impl Reader {
    fn skip(&mut self) {
        while self.lines.get(self.pos).is_some_and(|l| !significant(l)) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<(usize, String)> {
        self.skip();
        self.lines
            .get(self.pos)
            .map(|l| (indent(l), l.trim_start().to_string()))
    }

    fn node(&mut self, min: usize) -> Yaml {
        match self.peek() {
            Some((ind, text)) if ind >= min => {
                if text == "-" || text.starts_with("- ") {
                    self.list(ind)
                } else {
                    self.map(ind)
                }
            }
            _ => Yaml::Str(String::new()),
        }
    }

    fn list(&mut self, ind: usize) -> Yaml {
        let mut items = Vec::new();
        while let Some((i, text)) = self.peek() {
            if i != ind || !(text == "-" || text.starts_with("- ")) {
                break;
            }
            let after = text.get(2..).unwrap_or("").to_string();
            if after.trim().is_empty() {
                self.pos += 1;
                items.push(self.node(ind + 1));
            } else if key_value(&after).is_some() {
                // The item is a mapping whose first key shares the dash's line.
                self.lines[self.pos] = format!("{}{after}", " ".repeat(ind + 2));
                items.push(self.map(ind + 2));
            } else {
                self.pos += 1;
                items.push(Yaml::Str(scalar(&after)));
            }
        }
        Yaml::List(items)
    }

    fn map(&mut self, ind: usize) -> Yaml {
        let mut entries = Vec::new();
        while let Some((i, text)) = self.peek() {
            if i != ind || text.starts_with("- ") {
                break;
            }
            let (key, rest) =
                key_value(&text).unwrap_or_else(|| panic!("not a `key: value` line: {text:?}"));
            self.pos += 1;
            let value = if rest.is_empty() {
                match self.peek() {
                    Some((next, _)) if next > ind => self.node(next),
                    _ => Yaml::Str(String::new()),
                }
            } else if rest.starts_with('|') || rest.starts_with('>') {
                Yaml::Str(self.block(ind, &rest))
            } else {
                Yaml::Str(scalar(&rest))
            };
            entries.push((key, value));
        }
        Yaml::Map(entries)
    }

    /// A block scalar: the lines indented past its key, kept (`|`) or folded (`>`).
    fn block(&mut self, ind: usize, header: &str) -> String {
        let mut raw = Vec::new();
        while let Some(l) = self.lines.get(self.pos) {
            if l.trim().is_empty() || indent(l) > ind {
                raw.push(l.clone());
                self.pos += 1;
            } else {
                break;
            }
        }
        while raw.last().is_some_and(|l| l.trim().is_empty()) {
            raw.pop();
        }
        let by = raw
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| indent(l))
            .min()
            .unwrap_or(0);
        let lines: Vec<&str> = raw.iter().map(|l| l.get(by..).unwrap_or("")).collect();
        let mut text = if header.starts_with('|') {
            lines.join("\n")
        } else {
            let mut out = String::new();
            for l in &lines {
                if l.is_empty() {
                    out.push('\n');
                } else {
                    if !out.is_empty() && !out.ends_with('\n') {
                        out.push(' ');
                    }
                    out.push_str(l);
                }
            }
            out
        };
        if !header.ends_with('-') && !text.is_empty() {
            text.push('\n');
        }
        text
    }
}

/// `key: rest` (or `key:` at the end of the line).
fn key_value(text: &str) -> Option<(String, String)> {
    if text.starts_with('"') || text.starts_with('\'') {
        return None;
    }
    let (key, rest) = match text.find(": ") {
        Some(at) => (text.get(..at)?, text.get(at + 2..)?),
        None => (text.strip_suffix(':')?, ""),
    };
    if key.is_empty() || key.contains(' ') {
        return None;
    }
    Some((key.trim().to_string(), rest.trim().to_string()))
}

fn scalar(text: &str) -> String {
    let t = text.trim();
    if let Some(inner) = t.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        return inner.replace("''", "'");
    }
    if let Some(inner) = t.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        return inner
            .replace("\\\"", "\"")
            .replace("\\n", "\n")
            .replace("\\\\", "\\");
    }
    // A comment after a plain scalar.
    match t.find(" #") {
        Some(at) => t.get(..at).unwrap_or(t).trim_end().to_string(),
        None => t.to_string(),
    }
}

pub fn parse(text: &str) -> Yaml {
    let mut r = Reader {
        lines: text.lines().map(str::to_string).collect(),
        pos: 0,
    };
    let doc = r.node(0);
    r.skip();
    assert!(
        r.pos >= r.lines.len(),
        "unread YAML from line {}: {:?}",
        r.pos + 1,
        r.lines.get(r.pos)
    );
    doc
}

#[test]
fn reads_what_action_yml_uses() {
    let doc = parse(
        "a: 1\nb: >\n  folded\n  text\nc:\n  - name: x\n    run: |\n      echo 1\n\n      # kept\n    env:\n      K: 'it''s'\n  - uses: y@v1 # why\nd: \"q\"\n",
    );
    assert_eq!(doc.str("a"), Some("1"));
    assert_eq!(doc.str("b"), Some("folded text\n"));
    let steps = doc.get("c").map(Yaml::list).unwrap_or_default();
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0].str("run"), Some("echo 1\n\n# kept\n"));
    assert_eq!(steps[0].get("env").and_then(|e| e.str("K")), Some("it's"));
    assert_eq!(steps[1].str("uses"), Some("y@v1"));
    assert_eq!(doc.str("d"), Some("q"));
}

//! LSP positions are UTF-16 code units per line; dsd spans are byte offsets.
//! These convert between them, so emoji and Devanagari names land the cursor
//! where the editor shows it.

use lsp_types::{Position, Range};

/// The byte offset of an LSP position (clamped to the text). Lines end at `\n`,
/// `\r\n` or a lone `\r`, as the LSP specification and the grammar say.
pub fn offset(text: &str, pos: Position) -> usize {
    let starts = crate::source::line_starts(text);
    let Some(&line_start) = starts.get(pos.line as usize) else {
        return text.len();
    };
    let line_end = crate::source::line_end(text, line_start);
    let mut units = 0u32;
    for (i, c) in text.get(line_start..line_end).unwrap_or("").char_indices() {
        if units >= pos.character {
            return line_start + i;
        }
        units += c.len_utf16() as u32;
    }
    line_end
}

/// The LSP position of a byte offset.
pub fn position(text: &str, offset: usize) -> Position {
    Lines::new(text).position(offset)
}

pub fn range(text: &str, start: usize, end: usize) -> Range {
    Lines::new(text).range(start, end)
}

/// A text with its line starts found once, for answers that hold many ranges
/// (the outline): `position` and `range` find them on every call.
pub struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Lines<'t> {
        Lines {
            text,
            starts: crate::source::line_starts(text),
        }
    }

    /// The LSP position of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_start = self.starts.get(line).copied().unwrap_or(0).min(offset);
        let character = self
            .text
            .get(line_start..offset)
            .map(|s| s.chars().map(|c| c.len_utf16() as u32).sum())
            .unwrap_or(0);
        Position {
            line: line as u32,
            character,
        }
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range {
            start: self.position(start),
            end: self.position(end.max(start)),
        }
    }
}

/// The identifier around a byte offset, with its byte range.
pub fn word_at(text: &str, offset: usize) -> Option<(String, usize, usize)> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-' || c == '.';
    let offset = offset.min(text.len());
    let mut start = offset;
    while let Some(c) = text.get(..start).and_then(|t| t.chars().next_back()) {
        if !is_word(c) {
            break;
        }
        start -= c.len_utf8();
    }
    let mut end = offset;
    while let Some(c) = text.get(end..).and_then(|t| t.chars().next()) {
        if !is_word(c) {
            break;
        }
        end += c.len_utf8();
    }
    let w = text.get(start..end)?;
    (!w.is_empty()).then(|| (w.to_string(), start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_round_trips_through_wide_characters() {
        let text = "node भुगतान : service\nflow 😀x -> भुगतान\n";
        for (i, _) in text.char_indices() {
            assert_eq!(offset(text, position(text, i)), i);
        }
        // 😀 is two UTF-16 units: `x` after it is column 7 on line 1.
        let x = text.find('x').unwrap_or(0);
        assert_eq!(
            position(text, x),
            Position {
                line: 1,
                character: 7
            }
        );
    }
}

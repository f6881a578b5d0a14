//! Finds where each rule and catalogue entry is declared in a rule file's text, so that
//! semantic errors can name a line and column.
//!
//! serde does not keep positions, so this is a small scan of the RON text of its own: it skips
//! strings and comments, tracks nesting, and records every `id: "..."` together with the
//! top-level field (`rules`, `steps`, ...) it sits in. One pass, linear in the file's size.

use std::collections::HashMap;

use crate::diagnostic::Position;

/// Where the ids of a rule file are declared.
#[derive(Debug, Default)]
pub(crate) struct IdIndex {
    /// (top-level field, id) to byte offsets of the id's opening quote, in file order.
    ids: HashMap<(String, String), Vec<usize>>,
    /// Every id's offset, sorted: where one item's text ends and the next begins.
    starts: Vec<usize>,
    /// Top-level field names (`name`, `version`, `rules`, ...) to their first offset.
    fields: HashMap<String, usize>,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
    text_len: usize,
}

impl IdIndex {
    pub(crate) fn new(text: &str) -> IdIndex {
        let mut index = IdIndex {
            ids: HashMap::new(),
            starts: Vec::new(),
            fields: HashMap::new(),
            line_starts: std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
            text_len: text.len(),
        };
        index.scan(text);
        index.starts = index.ids.values().flatten().copied().collect();
        index.starts.sort_unstable();
        index
    }

    /// The first place `needle` occurs after the top-level field `field`.
    pub(crate) fn find_after(&self, text: &str, field: &str, needle: &str) -> Option<Position> {
        let from = *self.fields.get(field)?;
        let at = text.get(from..)?.find(needle)? + from;
        Some(self.position(text, at))
    }

    /// The position of the top-level field `name`, such as `version`.
    pub(crate) fn field(&self, text: &str, name: &str) -> Option<Position> {
        self.fields.get(name).map(|&at| self.position(text, at))
    }

    /// The first occurrence of `needle` inside the `nth` item `id` of list `field`: after its
    /// id, before the next item's id. Falls back to the id itself.
    pub(crate) fn locate_in(
        &self,
        text: &str,
        field: &str,
        id: &str,
        nth: usize,
        needle: &str,
    ) -> Option<Position> {
        let offsets = self.ids.get(&(field.to_owned(), id.to_owned()))?;
        let &start = offsets.get(nth)?;
        let end = self
            .starts
            .get(self.starts.partition_point(|&s| s <= start))
            .copied()
            .unwrap_or(self.text_len);
        // Skip the id's own quoted text, so that a reference equal to the id is found after it.
        let from = start + id.len() + 2;
        let at = text
            .get(from.min(end)..end)
            .and_then(|region| region.find(needle))
            .map_or(start, |i| from + i);
        Some(self.position(text, at))
    }

    /// The position of the `nth` (0-based) declaration of `id` in the top-level list `field`.
    pub(crate) fn locate(&self, text: &str, field: &str, id: &str, nth: usize) -> Option<Position> {
        let offsets = self.ids.get(&(field.to_owned(), id.to_owned()))?;
        offsets.get(nth).map(|&at| self.position(text, at))
    }

    fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(self.text_len);
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let column = text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        Position { line, column }
    }

    fn scan(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut depth = 0usize;
        let mut field = String::new();
        // The last identifier seen, and where it ended, to recognise `name:`.
        let mut ident: Option<(usize, usize)> = None;
        let mut pending_id = false;
        while i < bytes.len() {
            let b = bytes[i];
            match b {
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                    continue;
                }
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    i = skip_block_comment(bytes, i);
                    continue;
                }
                b'"' => {
                    let end = skip_string(bytes, i);
                    if pending_id && let Some(value) = text.get(i + 1..end.saturating_sub(1)) {
                        self.ids
                            .entry((field.clone(), value.to_owned()))
                            .or_default()
                            .push(i);
                    }
                    pending_id = false;
                    ident = None;
                    i = end;
                    continue;
                }
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                b':' => {
                    if let Some((s, e)) = ident {
                        let name = &text[s..e];
                        // Depth 1 is inside `RuleSet(...)`: its field names.
                        if depth == 1 {
                            field = name.to_owned();
                            self.fields.entry(field.clone()).or_insert(s);
                        }
                        pending_id = name == "id";
                    }
                    ident = None;
                }
                _ if b.is_ascii_alphabetic() || b == b'_' => {
                    let start = i;
                    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_')
                    {
                        i += 1;
                    }
                    ident = Some((start, i));
                    pending_id = false;
                    continue;
                }
                _ if b.is_ascii_whitespace() => {}
                _ => {
                    ident = None;
                    pending_id = false;
                }
            }
            i += 1;
        }
    }
}

/// The offset just past the string starting at `start` (a `"`), escapes honoured.
fn skip_string(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The offset just past the block comment at `start`; RON block comments nest.
fn skip_block_comment(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 2;
    let mut level = 1;
    while i < bytes.len() {
        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
            level += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
            level -= 1;
            i += 2;
            if level == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ids_by_list_skipping_comments_and_strings() {
        let text = r#"RuleSet(
    // id: "r1" in a comment is not a declaration
    /* nor /* nested */ id: "r1" */
    steps: [Step(id: "r1", text: "id: \"r1\"")],
    rules: [
        Rule(id : "r1"),
        Rule(id: "r1"),
    ],
)"#;
        let idx = IdIndex::new(text);
        assert_eq!(
            idx.locate(text, "steps", "r1", 0),
            Some(Position {
                line: 4,
                column: 22
            })
        );
        assert_eq!(
            idx.locate(text, "rules", "r1", 0),
            Some(Position {
                line: 6,
                column: 19
            })
        );
        assert_eq!(
            idx.locate(text, "rules", "r1", 1),
            Some(Position {
                line: 7,
                column: 18
            })
        );
        assert_eq!(idx.locate(text, "rules", "r1", 2), None);
        assert_eq!(idx.locate(text, "factors", "r1", 0), None);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "RuleSet(\n  // é\n  rules: [Rule(note: \"été\", id: \"r\")])";
        let idx = IdIndex::new(text);
        assert_eq!(
            idx.locate(text, "rules", "r", 0),
            Some(Position {
                line: 3,
                column: 33
            }) // 35 if bytes were counted
        );
    }

    #[test]
    fn survives_unterminated_text() {
        for text in ["RuleSet(rules: [Rule(id: \"x", "/* open", "\"", "id:"] {
            let idx = IdIndex::new(text);
            assert_eq!(idx.locate(text, "rules", "x", 0), None);
        }
    }
}

//! Reading RON text: `implicit_some` on, size and nesting limited, and every failure turned into
//! a [`ParseError`] with its line, column, code and hint.

use serde::de::DeserializeOwned;

use crate::diagnostic::Position;
use crate::error::ParseError;
use crate::limits::MAX_NESTING as RON_RECURSION_LIMIT;

/// Parses RON with `implicit_some` enabled, so files need not say so, after checking the
/// text against `max_bytes`, and with a nesting limit so hostile input cannot overflow the
/// stack.
pub(crate) fn parse_ron<T: DeserializeOwned>(
    text: &str,
    max_bytes: usize,
) -> Result<T, ParseError> {
    within_size(text, max_bytes)?;
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(RON_RECURSION_LIMIT)
        .from_str(text)
        .map_err(|e| from_ron(&e))
}

/// `E0007` for text longer than `max_bytes`, before any parser sees it: RON and JSON alike.
pub(crate) fn within_size(text: &str, max_bytes: usize) -> Result<(), ParseError> {
    if text.len() <= max_bytes {
        return Ok(());
    }
    Err(ParseError::new(
        "E0007",
        Position { line: 1, column: 1 },
        format!(
            "the text is {} bytes, more than the limit of {max_bytes}",
            text.len()
        ),
        Some(
            "this is not a rule file or assessment written by hand; check what was passed"
                .to_owned(),
        ),
        Vec::new(),
    ))
}

/// Turns ron's error into ours: lowercase, with codes, and names checked against the valid
/// ones for a suggestion.
fn from_ron(e: &ron::error::SpannedError) -> ParseError {
    use ron::Error as R;
    let position = Position {
        line: e.span.start.line,
        column: e.span.start.col,
    };
    let suggest = |found: &str, expected: &'static [&'static str]| {
        crate::diagnostic::did_you_mean(found, expected.iter().copied())
            .map(|m| format!("did you mean `{m}`?"))
    };
    let (code, message, hint, expected) = match &e.code {
        R::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => (
            "E0002",
            format!(
                "unknown {} `{found}`",
                outer.as_deref().map_or("name", enum_word)
            ),
            suggest(found, expected),
            expected.to_vec(),
        ),
        R::NoSuchStructField {
            expected,
            found,
            outer,
        } => (
            "E0003",
            format!("unknown field `{found}`{}", in_outer(outer.as_deref())),
            suggest(found, expected),
            expected.to_vec(),
        ),
        R::MissingStructField { field, outer } => (
            "E0004",
            format!("missing field `{field}`{}", in_outer(outer.as_deref())),
            Some(format!("add `{field}: ...` before the closing `)`")),
            Vec::new(),
        ),
        R::DuplicateStructField { field, outer } => (
            "E0005",
            format!("field `{field}` given twice{}", in_outer(outer.as_deref())),
            None,
            Vec::new(),
        ),
        R::ExceededRecursionLimit => (
            "E0006",
            format!("nested deeper than {RON_RECURSION_LIMIT} levels"),
            Some("rules need a handful of levels: flatten nested `All`s and `Any`s".to_owned()),
            Vec::new(),
        ),
        other => (
            "E0001",
            lowercase_first(&other.to_string()),
            syntax_hint(other),
            Vec::new(),
        ),
    };
    ParseError::new(code, position, message, hint, expected)
}

/// The word for a value of the enum `outer` in messages: "unknown symptom `X`".
pub(crate) fn enum_word(outer: &str) -> &str {
    match outer {
        "Symptom" => "symptom",
        "Location" => "location",
        "History" => "history entry",
        "Mechanism" => "mechanism",
        "Onset" => "onset",
        "Sex" => "sex",
        "Surface" => "surface",
        "Level" => "escalation level",
        "Phase" => "phase",
        "Action" => "action",
        "Condition" => "condition",
        "Cmp" => "comparison",
        "Field" => "field",
        "Metric" => "figure",
        other => other,
    }
}

/// Hints for the syntax slips people make most.
fn syntax_hint(e: &ron::Error) -> Option<String> {
    use ron::Error as R;
    let hint = match e {
        R::ExpectedComma => "list entries and fields are separated by `,`",
        R::ExpectedStructLikeEnd | R::ExpectedArrayEnd => {
            "a bracket is not closed, or a `,` is missing"
        }
        R::ExpectedString | R::ExpectedStringEnd => "ids and texts are written in double quotes",
        R::ExpectedFloat | R::ExpectedInteger => {
            "numbers are written without quotes, such as `1.0`"
        }
        _ => return None,
    };
    Some(hint.to_owned())
}

fn in_outer(outer: Option<&str>) -> String {
    outer.map(|o| format!(" in `{o}`")).unwrap_or_default()
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_name_line_and_column() {
        let err = parse_ron::<Vec<u8>>("[1,\n  x]", 100).unwrap_err();
        assert_eq!(err.position.line, 2);
        assert_eq!(err.position.column, 3);
        assert!(err.to_string().starts_with("2:3: "));
    }
}

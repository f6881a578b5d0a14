//! Errors, one type per layer: reading text ([`ParseError`]), checking a rule set
//! ([`Diagnostic`](crate::Diagnostic)s, the errors among them gathered in [`RuleSetError`]), and checking an assessment
//! ([`AssessmentError`]).
//!
//! Messages are lowercase, name the user's text in backticks, and carry a 1-based line and
//! column wherever the problem sits in a file.

use std::fmt;

use serde::de::DeserializeOwned;

use crate::diagnostic::Diagnostic;

/// A position in a text file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Position {
    /// Line, counted from 1.
    pub line: usize,
    /// Column in characters, counted from 1.
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Text that is not valid RON for the expected type: a syntax error, an unknown name, a
/// missing field. Names where, by line and column, and for a misspelt name the valid ones and
/// the closest of them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[error("{position}: {message}{}", hint.as_ref().map(|h| format!(" ({h})")).unwrap_or_default())]
#[non_exhaustive]
pub struct ParseError {
    /// Where the problem starts.
    pub position: Position,
    /// What is wrong, lowercase, with the text at fault in backticks.
    pub message: String,
    /// A suggestion, such as `did you mean `PainOnStairs`?`.
    pub hint: Option<String>,
    /// The names that would have been valid where an unknown name or field was found.
    pub expected: Vec<&'static str>,
    code: &'static str,
}

impl ParseError {
    /// The stable code: `E0001` syntax, `E0002` unknown name, `E0003` unknown field,
    /// `E0004` missing field, `E0005` duplicate field, `E0006` nesting beyond the parser's
    /// limit, `E0007` text beyond the size limit (see [`limits`](crate::limits)).
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.code
    }
}

/// Parses RON with `implicit_some` enabled, so files need not say so, after checking the
/// text against `max_bytes`, and with a nesting limit so hostile input cannot overflow the
/// stack.
pub(crate) fn parse_ron<T: DeserializeOwned>(
    text: &str,
    max_bytes: usize,
) -> Result<T, ParseError> {
    if text.len() > max_bytes {
        return Err(ParseError {
            position: Position { line: 1, column: 1 },
            message: format!(
                "the text is {} bytes, more than the limit of {max_bytes}",
                text.len()
            ),
            hint: Some(
                "this is not a rule file or assessment written by hand; check what was passed"
                    .to_owned(),
            ),
            expected: Vec::new(),
            code: "E0007",
        });
    }
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(RON_RECURSION_LIMIT)
        .from_str(text)
        .map_err(|e| from_ron(&e))
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
    ParseError {
        position,
        message,
        hint,
        expected,
        code,
    }
}

/// The word for a value of the enum `outer` in messages: "unknown symptom `X`".
fn enum_word(outer: &str) -> &str {
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

use crate::limits::MAX_NESTING as RON_RECURSION_LIMIT;

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Why a rule set could not be loaded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RuleSetError {
    /// The text is not a valid rule file.
    #[error("rule file: {0}")]
    Parse(#[from] ParseError),
    /// One of several files ([`RuleSet::layered`](crate::RuleSet::layered)) is not a rule
    /// file or layer.
    #[error("{file}:{error}")]
    InFile {
        /// The file's name, as given.
        file: String,
        /// What is wrong, and where.
        error: Box<ParseError>,
    },
    /// The file parsed, but its content has errors; every one is listed (warnings are not:
    /// see [`RuleSet::check`](crate::RuleSet::check)).
    #[error("rule set has {} error{}:\n{}", .0.len(), if .0.len() == 1 { "" } else { "s" }, .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Diagnostic>),
}

impl RuleSetError {
    /// The semantic errors, if that is what this error is (empty for a parse error).
    #[must_use]
    pub fn problems(&self) -> &[Diagnostic] {
        match self {
            RuleSetError::Invalid(v) => v,
            RuleSetError::Parse(_) | RuleSetError::InFile { .. } => &[],
        }
    }
}

/// Why an assessment was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum AssessmentError {
    /// The text is not a valid assessment (or case).
    #[error("{0}")]
    Parse(#[from] ParseError),
    /// A number outside what the field allows.
    #[error("`{field}` is `{value}`, {expected}")]
    OutOfRange {
        /// The field, as named in the wire format.
        field: &'static str,
        /// The value given.
        value: f64,
        /// What is allowed, in words.
        expected: &'static str,
    },
    /// A symptom listed both as present and as absent.
    #[error("symptom `{0}` is listed both in `present` and in `absent`")]
    Contradiction(crate::Symptom),
    /// More weeks of training than the format allows.
    #[error("`{field}` has {count} weeks, at most {max} are allowed", max = crate::model::MAX_WEEKS)]
    TooManyWeeks {
        /// The list, as named in the wire format.
        field: &'static str,
        /// How many weeks it holds.
        count: usize,
    },
}

impl AssessmentError {
    /// The field at fault, as named in the wire format (`absent` for a contradiction); none
    /// for a parse error, whose position says where.
    #[must_use]
    pub fn field(&self) -> Option<&'static str> {
        match self {
            AssessmentError::Parse(_) => None,
            AssessmentError::OutOfRange { field, .. } => Some(field),
            AssessmentError::Contradiction(_) => Some("absent"),
            AssessmentError::TooManyWeeks { field, .. } => Some(field),
        }
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

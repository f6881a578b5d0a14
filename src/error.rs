//! Errors, one type per layer: reading text ([`ParseError`]), checking a rule set
//! ([`ValidationError`], gathered in [`RuleSetError`]), and checking an assessment
//! ([`AssessmentError`]).
//!
//! Messages are lowercase, name the user's text in backticks, and carry a 1-based line and
//! column wherever the problem sits in a file.

use std::fmt;

use serde::de::DeserializeOwned;

/// A position in a text file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
/// missing field. Names where, by line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{position}: {message}")]
#[non_exhaustive]
pub struct ParseError {
    /// Where the problem starts.
    pub position: Position,
    /// What is wrong, as ron reports it.
    pub message: String,
}

/// Parses RON with `implicit_some` enabled, so files need not say so, and a nesting limit
/// so hostile input cannot overflow the stack.
pub(crate) fn parse_ron<T: DeserializeOwned>(text: &str) -> Result<T, ParseError> {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(RON_RECURSION_LIMIT)
        .from_str(text)
        .map_err(|e| ParseError {
            position: Position {
                line: e.span.start.line,
                column: e.span.start.col,
            },
            message: lowercase_first(&e.code.to_string()),
        })
}

/// Deep enough for any sensible rule (the validator allows far less), shallow enough for
/// the parser's recursion to stay well inside a thread's stack.
const RON_RECURSION_LIMIT: usize = 128;

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One semantic problem of a rule set, naming the item at fault and where it is.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}{}{kind}", position.map(|p| format!("{p}: ")).unwrap_or_default(), item.as_ref().map(|i| format!("in `{i}`: ")).unwrap_or_default())]
#[non_exhaustive]
pub struct ValidationError {
    /// What is wrong.
    pub kind: ValidationErrorKind,
    /// The id of the rule, pattern or catalogue entry at fault, if any.
    pub item: Option<String>,
    /// Where that item is in the file, when it was loaded from text.
    pub position: Option<Position>,
}

/// The kinds of semantic problem a rule set can have.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationErrorKind {
    /// Two entries of one catalogue, or two rules, share an id.
    #[error("duplicate {what} id `{id}`")]
    DuplicateId {
        /// Which list: "rule", "diagnosis", "step", "factor" or "pattern".
        what: &'static str,
        /// The repeated id.
        id: String,
    },
    /// A reference to an id that no catalogue defines.
    #[error("unknown {what} `{id}`")]
    UnknownReference {
        /// What kind of entry was expected.
        what: &'static str,
        /// The id as written.
        id: String,
    },
    /// `All([])` or `Any([])`.
    #[error("empty `{0}` list")]
    EmptyList(&'static str),
    /// `AtLeast(n, list)` with n of 0 (always true) or larger than the list (never true).
    #[error("`AtLeast({n}, ..)` over a list of {len}: n must be from 1 to the length of the list")]
    BadAtLeast {
        /// The count required.
        n: u32,
        /// The number of conditions given.
        len: usize,
    },
    /// An `Escalate` action whose condition tests a symptom under `Not`.
    #[error(
        "escalation depends on a symptom being absent (`Not` over `Has({0})`): adding a symptom would lower it"
    )]
    EscalateUnderNot(String),
    /// A weight that is not a finite number above zero and at most 1000.
    #[error("weight `{0}` must be a number above 0 and at most 1000")]
    BadWeight(f64),
    /// `Between(a, b)` with a above b: no value is in it.
    #[error("`Between({0}, {1})` is empty: the first bound must not exceed the second")]
    EmptyRange(f64, f64),
    /// An id the crate uses itself.
    #[error("the id `{0}` is reserved")]
    ReservedId(&'static str),
    /// A threshold that is not a finite number.
    #[error("threshold `{0}` is not a finite number")]
    BadThreshold(f64),
    /// A required text field is empty.
    #[error("`{0}` must not be empty")]
    Empty(&'static str),
    /// A pattern that refers to itself, directly or through others, or depends on one that does.
    #[error("pattern `{0}` is in, or depends on, a cycle of patterns")]
    PatternCycle(String),
    /// Conditions nested deeper than the limit.
    #[error("conditions nested deeper than {0} levels")]
    TooDeep(usize),
    /// A rule with no actions.
    #[error("rule has no actions")]
    NoActions,
}

/// Why a rule set could not be loaded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RuleSetError {
    /// The text is not a valid rule file.
    #[error("rule file: {0}")]
    Parse(#[from] ParseError),
    /// The file parsed, but its content has problems; every one is listed.
    #[error("rule set has {} problem{}:\n{}", .0.len(), if .0.len() == 1 { "" } else { "s" }, .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<ValidationError>),
}

impl RuleSetError {
    /// The semantic problems, if that is what this error is (empty for a parse error).
    #[must_use]
    pub fn problems(&self) -> &[ValidationError] {
        match self {
            RuleSetError::Invalid(v) => v,
            RuleSetError::Parse(_) => &[],
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
    #[error("`training.weekly_km` has {0} weeks, at most {max} are allowed", max = crate::model::MAX_WEEKS)]
    TooManyWeeks(usize),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_name_line_and_column() {
        let err = parse_ron::<Vec<u8>>("[1,\n  x]").unwrap_err();
        assert_eq!(err.position.line, 2);
        assert_eq!(err.position.column, 3);
        assert!(err.to_string().starts_with("2:3: "));
    }
}

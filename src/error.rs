//! Errors, one type per layer: reading text ([`ParseError`]), checking a rule set
//! ([`Diagnostic`](crate::Diagnostic)s, the errors among them gathered in [`RuleSetError`]), and checking an assessment
//! ([`AssessmentError`]).
//!
//! Messages are lowercase, name the user's text in backticks, and carry a 1-based line and
//! column wherever the problem sits in a file.

use crate::diagnostic::{Diagnostic, DiagnosticKind, Position};

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
    pub(crate) fn new(
        code: &'static str,
        position: Position,
        message: String,
        hint: Option<String>,
        expected: Vec<&'static str>,
    ) -> ParseError {
        ParseError {
            position,
            message,
            hint,
            expected,
            code,
        }
    }

    /// The stable code: `E0001` syntax, `E0002` unknown name, `E0003` unknown field,
    /// `E0004` missing field, `E0005` duplicate field, `E0006` nesting beyond the parser's
    /// limit, `E0007` text beyond the size limit (see [`limits`](crate::limits)).
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.code
    }
}

impl From<ParseError> for Diagnostic {
    /// A parse error as a diagnostic: its code, message, hint and position.
    fn from(e: ParseError) -> Diagnostic {
        let position = e.position;
        let kind = DiagnosticKind::Parse {
            code: e.code(),
            message: e.message,
            expected: e.expected,
        };
        let mut d = Diagnostic::new(kind, None, e.hint);
        d.position = Some(position);
        d
    }
}

/// Why a rule set could not be loaded. Serializes, so that a service can return it as JSON.
#[derive(Debug, Clone, PartialEq, thiserror::Error, serde::Serialize)]
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
    /// The file parsed, but its content has errors; every one is listed, then the warnings
    /// (a layer that weakens a red flag, say), which did not stop the load by themselves.
    /// Its message is one line: the count, then each error, separated by `; `.
    #[error("rule set has {} error{}: {}", errors(.0), if errors(.0) == 1 { "" } else { "s" }, .0.iter().filter(|d| d.is_error()).map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Diagnostic>),
}

/// How many of `found` are errors.
fn errors(found: &[Diagnostic]) -> usize {
    found.iter().filter(|d| d.is_error()).count()
}

impl RuleSetError {
    /// Every problem as a [`Diagnostic`], whatever kind of error this is: a parse error
    /// becomes one diagnostic (with its file, for one of several files), a set with semantic
    /// errors gives them all. One way to list, serialize or show any failure to load.
    #[must_use]
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            RuleSetError::Parse(e) => vec![Diagnostic::from(e.clone())],
            RuleSetError::InFile { file, error } => {
                let mut d = Diagnostic::from((**error).clone());
                d.file = Some(file.clone());
                vec![d]
            }
            RuleSetError::Invalid(v) => v.clone(),
        }
    }

    /// The semantic problems, if that is what this error is (empty for a parse error): the
    /// errors first, then the warnings.
    #[must_use]
    pub fn problems(&self) -> &[Diagnostic] {
        match self {
            RuleSetError::Invalid(v) => v,
            RuleSetError::Parse(_) | RuleSetError::InFile { .. } => &[],
        }
    }
}

/// Why an assessment was refused. Serializes, so that a backend can return it as JSON.
#[derive(Debug, Clone, PartialEq, thiserror::Error, serde::Serialize)]
#[non_exhaustive]
pub enum AssessmentError {
    /// The text is not a valid assessment (or case): its syntax, an unknown field or name, a
    /// value of the wrong type; with line and column.
    #[error("{0}")]
    Parse(#[from] ParseError),
    /// A number outside what the field allows.
    #[error("`{field}` is `{value}`, {expected}")]
    OutOfRange {
        /// The field, as named in the wire format, with the entry of a list:
        /// `training.weekly_km[3]`.
        field: String,
        /// The value given.
        value: f64,
        /// What is allowed, in words.
        expected: &'static str,
    },
    /// A symptom listed both as present and as absent.
    #[error("symptom `{0}` is listed both in `present` and in `absent`")]
    Contradiction(crate::Symptom),
    /// More weeks of training than the format allows.
    #[error("`{field}` has {count} weeks, at most {max} are allowed", max = crate::limits::MAX_WEEKS)]
    TooManyWeeks {
        /// The list, as named in the wire format.
        field: String,
        /// How many weeks it holds.
        count: usize,
    },
}

impl AssessmentError {
    /// The field at fault, as named in the wire format with the entry of a list
    /// (`training.weekly_km[3]`; `absent` for a contradiction); none for a parse error, whose
    /// position says where.
    #[must_use]
    pub fn field(&self) -> Option<&str> {
        match self {
            AssessmentError::Parse(_) => None,
            AssessmentError::OutOfRange { field, .. } => Some(field),
            AssessmentError::Contradiction(_) => Some("absent"),
            AssessmentError::TooManyWeeks { field, .. } => Some(field),
        }
    }
}

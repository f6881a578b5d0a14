//! Case files: a clinical vignette (an assessment) and what a careful clinician would expect
//! of its report. Rule-set authors keep their tests this way.

use serde::{Deserialize, Serialize};

use crate::error::AssessmentError;
use crate::model::Assessment;
use crate::parse::parse_ron;
use crate::report::Report;
use crate::vocab::Level;

/// A clinical vignette: an assessment and what a careful clinician would expect of it.
/// Rule-set authors keep their tests as case files (see the crate's `tests/cases/`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Short unique id.
    pub id: String,
    /// One line a clinician would say.
    #[serde(default)]
    pub summary: String,
    /// Where the presentation is described.
    #[serde(default)]
    pub source: String,
    /// The runner.
    pub assessment: Assessment,
    /// What the report must say.
    pub expect: Expect,
}

/// What a case expects of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// At least one of these must be among the top three diagnoses; empty asserts nothing.
    #[serde(default)]
    pub top3_any: Vec<String>,
    /// The escalation level expected, exactly.
    pub escalation: Level,
}

/// How a report measured up to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Verdict {
    /// The level was the one expected.
    pub escalation_ok: bool,
    /// One of the expected diagnoses was in the top three (or none was expected).
    pub top3_ok: bool,
    /// One of the expected diagnoses was first (or none was expected).
    pub top1_ok: bool,
}

impl Verdict {
    /// Both the escalation and the differential are as expected.
    #[must_use]
    pub fn passed(&self) -> bool {
        self.escalation_ok && self.top3_ok
    }
}

impl Case {
    /// Reads a case from RON (`implicit_some` is enabled for you).
    ///
    /// # Errors
    /// Parse errors with line and column, or the assessment's first problem.
    pub fn from_ron(text: &str) -> Result<Case, AssessmentError> {
        let c: Case = parse_ron(text, crate::limits::MAX_ASSESSMENT_BYTES)?;
        c.assessment.validate()?;
        Ok(c)
    }

    /// Compares a report with what this case expects.
    #[must_use]
    pub fn verdict(&self, report: &Report) -> Verdict {
        let top = |n: usize| {
            self.expect.top3_any.is_empty()
                || report
                    .diagnoses
                    .iter()
                    .take(n)
                    .any(|d| self.expect.top3_any.iter().any(|e| *e == d.id))
        };
        Verdict {
            escalation_ok: report.escalation.level == self.expect.escalation,
            top3_ok: top(3),
            top1_ok: top(1),
        }
    }
}

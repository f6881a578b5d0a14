//! [`RuleSet`]: a rule file parsed, validated and compiled once, then evaluated many times.

pub(crate) mod compile;
mod eval;

use std::sync::{Arc, OnceLock};

use crate::error::{RuleSetError, parse_ron};
use crate::facts::Facts;
use crate::model::Assessment;
use crate::report::Report;
use crate::rules::RuleSetSource;
use crate::rules::validate::validate;

/// The default rule set's text, `rules/runner_knee.ron`, compiled into the crate.
pub const DEFAULT_RULES: &str = include_str!("../../rules/runner_knee.ron");

/// A compiled rule set. Cheap to clone (shared), `Send + Sync`; evaluation takes `&self`,
/// returns a [`Report`] and never panics.
///
/// ```
/// use patella::{Assessment, Level, RuleSet};
/// let rules = RuleSet::default();
/// let knee = Assessment::from_ron("(onset: Acute, mechanism: Fall, age: 70, present: [Swelling])")?;
/// let report = rules.evaluate(&knee);
/// assert!(report.escalation.level >= Level::UrgentCare); // Ottawa: 55 or over after an injury
/// # Ok::<(), patella::AssessmentError>(())
/// ```
#[derive(Debug, Clone)]
pub struct RuleSet {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    source: RuleSetSource,
    compiled: compile::Compiled,
}

impl RuleSet {
    /// Parses, validates and compiles a rule file. `implicit_some` is enabled for you.
    ///
    /// # Errors
    /// [`RuleSetError::Parse`] with line and column for text that is not a rule file;
    /// [`RuleSetError::Invalid`] listing every semantic problem, each naming its rule.
    pub fn from_ron(text: &str) -> Result<RuleSet, RuleSetError> {
        let source: RuleSetSource = parse_ron(text)?;
        Self::build(source, Some(text))
    }

    /// Validates and compiles a rule set built in code.
    ///
    /// # Errors
    /// [`RuleSetError::Invalid`] listing every problem.
    pub fn from_source(source: RuleSetSource) -> Result<RuleSet, RuleSetError> {
        Self::build(source, None)
    }

    fn build(source: RuleSetSource, text: Option<&str>) -> Result<RuleSet, RuleSetError> {
        let problems = validate(&source, text);
        if !problems.is_empty() {
            return Err(RuleSetError::Invalid(problems));
        }
        let compiled = compile::compile(&source);
        Ok(RuleSet {
            inner: Arc::new(Inner { source, compiled }),
        })
    }

    /// The rule file this set was built from.
    #[must_use]
    pub fn source(&self) -> &RuleSetSource {
        &self.inner.source
    }

    /// Evaluates every rule on the assessment and aggregates the result.
    ///
    /// Never panics. An assessment that [`Assessment::validate`] would refuse is still
    /// evaluated, with unusable numbers taken as unknown.
    #[must_use]
    pub fn evaluate(&self, assessment: &Assessment) -> Report {
        eval::evaluate(&self.inner.compiled, &Facts::from_assessment(assessment))
    }
}

impl Default for RuleSet {
    /// The embedded default rule set, [`DEFAULT_RULES`]; compiled once per process.
    fn default() -> RuleSet {
        static DEFAULT: OnceLock<RuleSet> = OnceLock::new();
        DEFAULT
            .get_or_init(|| {
                // The embedded file is checked by the test suite; a failure here is a build
                // defect of the crate, not something input can cause.
                #[allow(clippy::expect_used)]
                RuleSet::from_ron(DEFAULT_RULES).expect("the embedded default rule set is valid")
            })
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn rule_set_is_send_and_sync() {
        assert_send_sync::<RuleSet>();
    }

    #[test]
    fn the_default_set_loads_without_problems() {
        if let Err(e) = RuleSet::from_ron(DEFAULT_RULES) {
            panic!("{e}");
        }
    }
}

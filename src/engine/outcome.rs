//! [`Outcome`]: the result of [`RuleSet::evaluate_into`](crate::RuleSet::evaluate_into), kept
//! by the caller between calls so that its memory is reused.

use super::RuleSet;
use super::compiled::Compiled;
use super::run::Run;
use crate::facts::Facts;
use crate::report::Report;
use crate::vocab::Level;

/// The result of [`RuleSet::evaluate_into`], kept between calls so that its memory is reused.
/// Reads the level, the differential and the rules that fired without building a
/// [`Report`]; text is borrowed from the rule set.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub(super) rules: Option<RuleSet>,
    pub(super) facts: Option<Facts>,
    pub(super) run: Run,
}

impl Outcome {
    /// An empty outcome, ready for [`RuleSet::evaluate_into`].
    #[must_use]
    pub fn new() -> Outcome {
        Outcome::default()
    }

    fn compiled(&self) -> Option<&Compiled> {
        self.rules.as_ref().map(|r| &r.inner.compiled)
    }

    /// The escalation level (`SelfCare` before any evaluation).
    #[must_use]
    pub fn level(&self) -> Level {
        self.run.level
    }

    /// The differential, most likely first: each diagnosis id with its weight.
    pub fn diagnoses(&self) -> impl Iterator<Item = (&str, f64)> + '_ {
        let c = self.compiled();
        self.run
            .ranked
            .iter()
            .filter_map(move |&d| Some((&*c?.diagnoses.get(d)?.id, self.run.weight[d])))
    }

    /// The id of the most likely diagnosis, if any rule suggested one.
    #[must_use]
    pub fn top(&self) -> Option<&str> {
        self.diagnoses().next().map(|(id, _)| id)
    }

    /// The ids of the rules that fired, sorted.
    pub fn fired(&self) -> impl Iterator<Item = &str> + '_ {
        let c = self.compiled();
        self.run
            .fired
            .iter()
            .filter_map(move |&r| Some(&*c?.rules.get(r)?.id))
    }

    /// The full report of the last evaluation, as [`RuleSet::evaluate`] gives it; `None`
    /// before the first.
    #[must_use]
    pub fn report(&self) -> Option<Report> {
        Some(super::assemble::report(
            self.compiled()?,
            self.facts.as_ref()?,
            &self.run,
        ))
    }
}

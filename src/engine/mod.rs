//! [`RuleSet`]: a rule file parsed, validated and compiled once, then evaluated many times.

mod assemble;
mod bits;
pub(crate) mod closeness;
pub(crate) mod compiled;
mod context;
mod evidence;
pub(crate) mod explore;
mod flat;
mod index;
pub(crate) mod lower;
pub(crate) mod node;
mod outcome;
pub(crate) mod run;
mod simplify;
pub(crate) mod tri;

pub(crate) use assemble::{report, rule_facts};
pub use outcome::Outcome;

use std::sync::{Arc, OnceLock};

use crate::diagnostic::Diagnostic;
use crate::error::{ParseError, RuleSetError};
use crate::facts::Facts;
use crate::model::Assessment;
use crate::parse::parse_ron;
use crate::report::Report;
use crate::rules::validate::validate;
use crate::rules::{RuleFile, RuleSetSource};
use crate::text::Text;

thread_local! {
    /// Each thread's working memory for [`RuleSet::evaluate`], reused so that a report pays
    /// only for itself. It grows to the largest rule set the thread evaluates.
    static RUN: std::cell::RefCell<(run::Run, assemble::Scratch)> = std::cell::RefCell::default();
}

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
    compiled: compiled::Compiled,
    warnings: Vec<Diagnostic>,
    /// What explanations need, built on the first one.
    closeness: OnceLock<closeness::Closeness>,
}

impl RuleSet {
    /// Parses, validates and compiles a rule file. `implicit_some` is enabled for you.
    /// Warnings do not stop loading; [`RuleSet::warnings`] keeps them.
    ///
    /// # Errors
    /// [`RuleSetError::Parse`] with line and column for text that is not a rule file;
    /// [`RuleSetError::Invalid`] listing every semantic error, each naming its rule.
    pub fn from_ron(text: &str) -> Result<RuleSet, RuleSetError> {
        let source: RuleSetSource = parse_ron(text, crate::limits::MAX_RULE_FILE_BYTES)?;
        Self::build(source, Some(text))
    }

    /// Validates and compiles a rule set built in code.
    ///
    /// # Errors
    /// [`RuleSetError::Invalid`] listing every problem.
    pub fn from_source(source: RuleSetSource) -> Result<RuleSet, RuleSetError> {
        Self::build(source, None)
    }

    /// Loads a base rule file with layers on top, each a [`RuleFile`] (or a `(name, text)`
    /// pair): a clinic's additions to the default set, say. A layer adds entries, replaces
    /// entries with the same id (a step reworded, a rule changed), and disables rules by id;
    /// see [`Layer`](crate::rules::Layer). The merged set is validated as one, and every problem
    /// names the file its item came from. Disabling or replacing a rule that escalates is
    /// allowed, with a warning (`W0204`). Reports name the base and every layer, with versions.
    ///
    /// ```
    /// use patella::{DEFAULT_RULES, RuleSet, rules::RuleFile};
    /// let clinic = r#"Layer(name: "clinic", version: "3",
    ///     steps: [Step(id: "replace_shoes", phase: Prevention, text: "Replace your shoes after about 800 km; ask us for a gait check.")],
    /// )"#;
    /// let rules = RuleSet::layered(
    ///     RuleFile::new("runner_knee.ron", DEFAULT_RULES),
    ///     &[RuleFile::new("clinic.ron", clinic)],
    /// )?;
    /// assert!(rules.source().name.ends_with("+ clinic"));
    /// # Ok::<(), patella::RuleSetError>(())
    /// ```
    ///
    /// # Errors
    /// [`RuleSetError::InFile`] when a file is not a rule file or layer, or its name is plainly
    /// a rule file's text (name and text swapped); [`RuleSetError::Invalid`] with every error
    /// of the merged set, each naming its file, and the warnings after them.
    pub fn layered<'a, L: Into<RuleFile<'a>> + Copy>(
        base: impl Into<RuleFile<'a>>,
        layers: &[L],
    ) -> Result<RuleSet, RuleSetError> {
        let layers: Vec<RuleFile<'a>> = layers.iter().map(|l| (*l).into()).collect();
        let (src, label, found) = crate::rules::layer::load(base.into(), &layers)?;
        Self::build_found(src, label, found)
    }

    /// This set with a layer on top: a clinic's file on the default set, say
    /// (`RuleSet::default().with_layer("clinic.ron", text)`). Problems of the layer are located
    /// in it; see [`RuleSet::layered`].
    ///
    /// ```
    /// use patella::RuleSet;
    /// let clinic = r#"Layer(name: "clinic", version: "3", disable: ["hard_or_uneven_surface"])"#;
    /// let rules = RuleSet::default().with_layer("clinic.ron", clinic)?;
    /// assert!(rules.source().rules.iter().all(|r| r.id != "hard_or_uneven_surface"));
    /// # Ok::<(), patella::RuleSetError>(())
    /// ```
    ///
    /// # Errors
    /// As [`RuleSet::layered`].
    pub fn with_layer(&self, name: &str, text: &str) -> Result<RuleSet, RuleSetError> {
        let label = self.inner.compiled.label.to_string();
        let (src, label, found) = crate::rules::layer::load_onto(
            self.inner.source.clone(),
            label,
            None,
            &[RuleFile::new(name, text)],
        )?;
        Self::build_found(src, label, found)
    }

    /// Compiles a set whose problems were found, refusing it when one is an error: the errors
    /// first, then the warnings, so that a clinic sees a weakened red flag beside the mistake
    /// that stopped the load.
    fn build_found(
        src: RuleSetSource,
        label: String,
        found: Vec<Diagnostic>,
    ) -> Result<RuleSet, RuleSetError> {
        let (mut errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
            found.into_iter().partition(Diagnostic::is_error);
        if !errors.is_empty() {
            errors.extend(warnings);
            return Err(RuleSetError::Invalid(errors));
        }
        let mut compiled = lower::compile(&src);
        compiled.label = Text::from(label);
        Ok(RuleSet {
            inner: Arc::new(Inner {
                source: src,
                compiled,
                warnings,
                closeness: OnceLock::new(),
            }),
        })
    }

    /// Every error and warning of a rule file, in file order, without building the set: the
    /// validation step on its own, for editors, CI and the `check` example.
    ///
    /// ```
    /// let text = r#"RuleSet(name: "clinic", version: "1",
    ///     diagnoses: [Diagnosis(id: "pfps", name: "Runner's knee", source: "Crossley 2016", steps: [])],
    ///     rules: [Rule(id: "stairs", when: Has(PainOnStairs), then: [Suggest("pfsp", 1.0)], source: "Crossley 2016")],
    /// )"#;
    /// let found = patella::RuleSet::check(text)?;
    /// let e = found.iter().find(|d| d.is_error()).unwrap();
    /// assert_eq!(e.code(), "E0102");
    /// assert_eq!(e.to_string(), "3:72: error[E0102]: rule `stairs`: unknown diagnosis `pfsp` (did you mean `pfps`?)");
    /// # Ok::<(), patella::ParseError>(())
    /// ```
    ///
    /// # Errors
    /// A [`ParseError`] when the text is not a rule file at all.
    pub fn check(text: &str) -> Result<Vec<Diagnostic>, ParseError> {
        if is_layer(text) {
            // A clinic's layer is checked on top of the default set; its problems are its own.
            let found = crate::rules::layer::load(
                RuleFile::new("runner_knee.ron", DEFAULT_RULES),
                &[RuleFile::new("layer", text)],
            );
            return match found {
                Ok((_, _, found)) => Ok(found
                    .into_iter()
                    .map(|mut d| {
                        if d.file.as_deref() == Some("layer") {
                            d.file = None;
                        }
                        d
                    })
                    .collect()),
                Err(RuleSetError::InFile { error, .. }) => Err(*error),
                Err(RuleSetError::Parse(e)) => Err(e),
                Err(RuleSetError::Invalid(found)) => Ok(found),
            };
        }
        let source: RuleSetSource = parse_ron(text, crate::limits::MAX_RULE_FILE_BYTES)?;
        Ok(validate(&source, Some(text)))
    }

    fn build(source: RuleSetSource, text: Option<&str>) -> Result<RuleSet, RuleSetError> {
        let (mut errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = validate(&source, text)
            .into_iter()
            .partition(Diagnostic::is_error);
        if !errors.is_empty() {
            // Warnings kept beside the errors that stopped the load.
            errors.extend(warnings);
            return Err(RuleSetError::Invalid(errors));
        }
        let compiled = lower::compile(&source);
        Ok(RuleSet {
            inner: Arc::new(Inner {
                source,
                compiled,
                warnings,
                closeness: OnceLock::new(),
            }),
        })
    }

    /// The warnings found when the set was loaded: entries nothing uses, repeated rules,
    /// diagnoses without steps. Empty for the default set.
    #[must_use]
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.inner.warnings
    }

    /// The compiled form, for the modules that read it (interview, explanation).
    pub(crate) fn compiled(&self) -> &compiled::Compiled {
        &self.inner.compiled
    }

    /// What explanations need to say how close an absent diagnosis came; built on first use.
    pub(crate) fn closeness(&self) -> &closeness::Closeness {
        self.inner
            .closeness
            .get_or_init(|| closeness::closeness(&self.inner.compiled, &self.inner.source))
    }

    /// The rule file this set was built from.
    #[must_use]
    pub fn source(&self) -> &RuleSetSource {
        &self.inner.source
    }

    /// Evaluates the rules on the assessment and aggregates the result.
    ///
    /// Never panics. An assessment that [`Assessment::validate`] would refuse is still
    /// evaluated: a number beyond its field's range counts as the nearest valid value (pain 12
    /// as 10, the more cautious reading), a non-finite one as unknown.
    ///
    /// Each thread keeps the working memory of its evaluations (sized to the largest rule set
    /// it has evaluated), so that a report pays only for itself; [`RuleSet::evaluate_into`]
    /// leaves that memory with the caller instead, and allocates nothing.
    #[must_use]
    pub fn evaluate(&self, assessment: &Assessment) -> Report {
        let mut report = Report::empty();
        self.evaluate_in_place(assessment, &mut report);
        report
    }

    /// Evaluates the rules on the assessment into `report`, overwriting all of it: the report
    /// [`RuleSet::evaluate`] returns, built in the memory of the one before. Once its lists
    /// have grown to what the assessments need, only the texts written with the runner's
    /// numbers, the factors and a plan allocate; for a program that makes a report per log
    /// entry and shows or sends it before the next.
    ///
    /// ```
    /// use patella::{Assessment, RuleSet};
    /// let rules = RuleSet::default();
    /// let first = Assessment::from_ron("(onset: Chronic, present: [PainOnStairs])")?;
    /// let mut report = rules.evaluate(&first);
    /// let second = Assessment::from_ron("(onset: Acute, present: [Fever, HotRedKnee])")?;
    /// rules.evaluate_in_place(&second, &mut report);
    /// assert_eq!(report, rules.evaluate(&second));
    /// # Ok::<(), patella::AssessmentError>(())
    /// ```
    pub fn evaluate_in_place(&self, assessment: &Assessment, report: &mut Report) {
        let facts = Facts::from_assessment(assessment);
        let c = &self.inner.compiled;
        with_run(c, &facts, &mut |run, scratch| {
            assemble::fill(c, &facts, run, scratch, report);
        });
    }

    /// Evaluates into an [`Outcome`] kept by the caller: the level, the ranked differential
    /// and the rules that fired, without building a [`Report`]. Once the outcome has been
    /// used with this rule set it allocates nothing, so a program can triage every entry of
    /// a running log at the cost of reading it; [`Outcome::report`] gives the full report
    /// when one is wanted.
    ///
    /// ```
    /// use patella::{Assessment, Level, Outcome, RuleSet};
    /// let rules = RuleSet::default();
    /// let mut outcome = Outcome::new();
    /// for text in ["(onset: Chronic, present: [PainOnStairs])", "(onset: Acute, present: [Fever, HotRedKnee])"] {
    ///     let a = Assessment::from_ron(text)?;
    ///     rules.evaluate_into(&a, &mut outcome);
    ///     assert_eq!(outcome.report(), Some(rules.evaluate(&a)));
    /// }
    /// assert_eq!(outcome.level(), Level::Emergency);
    /// # Ok::<(), patella::AssessmentError>(())
    /// ```
    pub fn evaluate_into(&self, assessment: &Assessment, outcome: &mut Outcome) {
        // Built where the outcome keeps them, and read from there.
        let facts = outcome.facts.insert(Facts::from_assessment(assessment));
        run::run(&self.inner.compiled, facts, &mut outcome.run);
        // Comparing pointers first spares a reference-count update on every call.
        if !outcome
            .rules
            .as_ref()
            .is_some_and(|r| Arc::ptr_eq(&r.inner, &self.inner))
        {
            outcome.rules = Some(self.clone());
        }
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
                crate::text::for_the_process(|| RuleSet::from_ron(DEFAULT_RULES))
                    .expect("the embedded default rule set is valid")
            })
            .clone()
    }
}

/// Runs the compiled set on `facts` in the thread's working memory, kept between calls (a
/// fresh one should the thread's be unavailable, while the thread shuts down), and hands the
/// run to `f`, once.
fn with_run(
    c: &compiled::Compiled,
    facts: &Facts,
    f: &mut dyn FnMut(&run::Run, &mut assemble::Scratch),
) {
    let warm = RUN
        .try_with(|cell| match cell.try_borrow_mut() {
            Ok(mut memory) => {
                let (run, scratch) = &mut *memory;
                run::run(c, facts, run);
                f(run, scratch);
                true
            }
            Err(_) => false,
        })
        .unwrap_or(false);
    if !warm {
        let mut run = run::Run::default();
        run::run(c, facts, &mut run);
        f(&run, &mut assemble::Scratch::default());
    }
}

/// Whether a rule file is a layer: its first item, past comments and `#![...]` attributes,
/// is `Layer(`.
fn is_layer(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("//") && !l.starts_with("#!"))
        .is_some_and(|l| l.starts_with("Layer"))
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
    fn the_default_set_loads_without_errors_or_warnings() {
        match RuleSet::from_ron(DEFAULT_RULES) {
            Ok(set) => assert_eq!(set.warnings(), &[] as &[Diagnostic]),
            Err(e) => panic!("{e}"),
        }
    }
}

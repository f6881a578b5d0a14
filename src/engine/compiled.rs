//! A rule set in the form evaluation runs: catalogue references as indices, text shared with
//! reports ([`Text`]), conditions as [`Node`]s, and the rule index.

use std::collections::HashMap;
use std::sync::Arc;

use super::index::{Needs, RuleIndex};
use super::node::{Atom, Node};
use crate::dose::Dose;
use crate::facts::Num;
use crate::rules::Metric;
use crate::text::Text;
use crate::vocab::{Level, Phase};

#[derive(Debug, Clone)]
pub(crate) enum Action {
    Suggest(usize, f64),
    Recommend(Vec<usize>),
    Escalate(Level, Text),
    Factor(usize),
    /// An index into [`Compiled::withholds`].
    Withhold(usize),
}

/// Steps to leave out, as indices (ids and tags expanded), and why.
#[derive(Debug, Clone)]
pub(crate) struct Withholding {
    pub steps: Vec<usize>,
    pub reason: Text,
}

#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub id: Text,
    pub source: Text,
    /// What is left of the condition to test once its [`Needs`] are met; `None` when the
    /// needs are the whole condition.
    pub residual: Option<Node>,
    /// The whole condition, for questions about what is still unknown.
    pub when: Node,
    pub then: Vec<Action>,
    /// Leaves whose truth explains a firing, with their words when those are fixed.
    pub evidence_text: Vec<(Atom, super::evidence::Words)>,
    /// The same leaves as data: field, and value when fixed.
    pub evidence: Vec<(Text, Option<Text>)>,
    /// The lower bounds its condition sets on numbers (`Above(10.0)` on the weekly increase):
    /// the thresholds a factor's figure quotes, so that the text names the rule's own.
    pub thresholds: Vec<(Num, f64)>,
}

#[derive(Debug, Clone)]
pub(crate) struct Diagnosis {
    pub id: Text,
    pub name: Text,
    pub source: Text,
    pub steps: Vec<usize>,
    /// Place in id order, to break ties in the differential.
    pub id_rank: u32,
    /// Its contraindications while among the top three: an index into
    /// [`Compiled::withholds`].
    pub withhold: Option<usize>,
    pub codes: crate::report::Codes,
}

#[derive(Debug, Clone)]
pub(crate) struct Step {
    pub id: Text,
    pub phase: Phase,
    pub text: Text,
    pub dose: Option<Arc<Dose>>,
    pub kind: Option<crate::rules::StepKind>,
    /// Shown only when this holds.
    pub when: Option<Node>,
    /// Shown only below this level (`keeps_running` is `Doctor`).
    pub below: Option<Level>,
    /// Steps it supersedes when both would be shown.
    pub overrides: Vec<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct Factor {
    pub id: Text,
    pub text: Text,
    pub advice: Text,
    pub figure: Option<Metric>,
    /// A training-load factor, left out at `UrgentCare` and above.
    pub training: bool,
}

/// A rule set ready to evaluate. Text is shared (`Text`), so a report takes its text
/// from here without copying it.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub label: Text,
    /// Pattern id to its place in `patterns`, for lowering conditions after compilation.
    pub slots: HashMap<String, usize>,
    /// Patterns in dependency order: each uses only those before it.
    pub patterns: Vec<Node>,
    /// Rules sorted by id: evaluation in this order makes sums and lists independent of the
    /// order of the file.
    pub rules: Vec<Rule>,
    /// What each rule's condition requires, beside `rules` and densely packed.
    pub needs: Vec<Needs>,
    /// Which rules evaluation need look at, given the facts.
    pub index: RuleIndex,
    pub diagnoses: Vec<Diagnosis>,
    pub steps: Vec<Step>,
    /// Step indices in report order (by phase, then as declared), with whether the step
    /// keeps the runner running: kept apart from `steps` so the loop stays in cache.
    pub step_order: Vec<(usize, bool)>,
    pub factors: Vec<Factor>,
    /// Every `Withhold` of the set: of the rules' actions and of the diagnoses.
    pub withholds: Vec<Withholding>,
    /// The escalation step's id, and its text per level.
    pub escalation_id: Text,
    pub level_actions: Vec<Text>,
    /// The `training` section: the weekly limit, the ratio zones, and the plan.
    pub training: Option<crate::figures::TrainingPolicy>,
    /// The smallest shoe distance that a rule raising a shoe-wear factor tests for.
    pub shoe_limit: Option<f64>,
}

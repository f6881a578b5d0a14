//! A rule set in the form evaluation runs: catalogue references as indices, text shared with
//! reports ([`Text`]), conditions as [`Node`]s, and the rule index.

use std::collections::HashMap;
use std::sync::Arc;

use super::bits::{Bits, Mask};
use super::flat::{Code, Program, Test};
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
    /// The steps, and the same as a mask for adding them to a set.
    Recommend(Vec<usize>, Mask),
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
    /// The whole condition: for questions about what is still unknown, and for facts whose
    /// `Missing` tests are not definite (an interview's).
    pub when: Node,
    pub then: Vec<Action>,
    /// Leaves whose truth explains a firing.
    pub evidence: Vec<Leaf>,
    /// The lower bounds its condition sets on numbers (`Above(10.0)` on the weekly increase):
    /// the thresholds a factor's figure quotes, so that the text names the rule's own.
    pub thresholds: Vec<(Num, f64)>,
}

/// A leaf whose truth explains a firing: in words, and as data (field, and value when fixed).
/// Its keys are equal for two leaves exactly when their texts read the same, so that a report
/// lists each fact once without comparing texts.
#[derive(Debug, Clone)]
pub(crate) struct Leaf {
    pub atom: Atom,
    pub words: super::evidence::Words,
    pub field: Text,
    pub value: Option<Text>,
    /// Same words, same key: below [`Compiled::leaf_keys`]`.0`.
    pub fact_key: u32,
    /// Same field and value, same key: below [`Compiled::leaf_keys`]`.1`.
    pub evidence_key: u32,
}

/// Gives every rule's leaves their keys (see [`Leaf`]) and returns how many of each there are.
pub(crate) fn key_leaves(rules: &mut [Rule]) -> (u32, u32) {
    use super::evidence::Words;
    let mut facts: HashMap<String, u32> = HashMap::new();
    let mut evidence: HashMap<String, u32> = HashMap::new();
    let key = |map: &mut HashMap<String, u32>, text: String| {
        let next = u32::try_from(map.len()).unwrap_or(u32::MAX);
        *map.entry(text).or_insert(next)
    };
    for leaf in rules.iter_mut().flat_map(|r| r.evidence.iter_mut()) {
        // A number's words and value are the runner's, the same for one number within a
        // report: keyed by the number. `\0` keeps those keys apart from fixed texts.
        leaf.fact_key = match &leaf.words {
            Words::Fixed(t) => key(&mut facts, t.to_string()),
            Words::Number(n, suffix) => key(&mut facts, format!("\0{}\0{suffix}", *n as usize)),
        };
        leaf.evidence_key = match (&leaf.value, leaf.atom) {
            (Some(v), _) => key(&mut evidence, format!("{}\0{v}", leaf.field)),
            (None, Atom::Number(..)) => key(&mut evidence, format!("{}\0\0", leaf.field)),
            (None, _) => key(&mut evidence, format!("{}\0", leaf.field)),
        };
    }
    let count = |map: &HashMap<String, u32>| u32::try_from(map.len()).unwrap_or(u32::MAX);
    (count(&facts), count(&evidence))
}

/// What the hot loop reads of a rule: what its condition requires, and the rest of it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Gate {
    pub needs: Needs,
    /// The rest of the condition where the needs are met (see `simplify.rs`).
    pub test: Test,
}

#[derive(Debug, Clone)]
pub(crate) struct Diagnosis {
    pub id: Text,
    pub name: Text,
    pub source: Text,
    /// Its catalogue steps, as a mask for adding them to a set.
    pub step_mask: Mask,
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
    pub when: Option<Program>,
    /// Steps it supersedes when both would be shown.
    pub overrides: Vec<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct Factor {
    pub id: Text,
    pub text: Text,
    pub advice: Text,
    pub figure: Option<Metric>,
}

/// Steps (and factors) grouped as evaluation asks about them, decided when the set compiles.
#[derive(Debug, Clone, Default)]
pub(crate) struct StepSets {
    /// Per level, the steps left out at that level: below it, or rehabilitation and
    /// prevention at `UrgentCare` and above.
    pub by_level: Vec<Bits>,
    /// Steps with a condition of their own.
    pub conditional: Bits,
    /// Steps that supersede others.
    pub overriding: Bits,
    /// Training-load factors, left out at `UrgentCare` and above.
    pub training_factors: Bits,
    /// Per step, its place in report order: by phase, then as declared.
    pub rank: Vec<u32>,
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
    /// What each rule's condition requires and what is left to test, beside `rules` and
    /// densely packed: all the hot loop reads of a rule.
    pub gates: Vec<Gate>,
    /// How many distinct fact and evidence keys the rules' leaves have (see [`Leaf`]).
    pub leaf_keys: (u32, u32),
    /// The rules' conditions as the hot loop tests them, and the patterns', and the steps'.
    pub code: Code,
    /// Which rules evaluation need look at, given the facts.
    pub index: RuleIndex,
    pub diagnoses: Vec<Diagnosis>,
    pub steps: Vec<Step>,
    /// The steps and factors as sets, for the bookkeeping after the rules have fired.
    pub step_sets: StepSets,
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

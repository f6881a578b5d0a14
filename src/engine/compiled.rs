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

/// A hash for keys written from the vocabulary (names of symptoms, places, fields), not free
/// text, where SipHash's defence against chosen collisions buys nothing: the multiply and
/// rotate of FxHash, as rustc uses, about a tenth of the cost on these short keys.
type Fast = std::hash::BuildHasherDefault<Fx>;

#[derive(Default)]
struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Gives every rule's leaves their keys (see [`Leaf`]) and returns how many of each there are.
pub(crate) fn key_leaves(rules: &mut [Rule]) -> (u32, u32) {
    use super::evidence::Words;
    /// Words that read the same: fixed words, or a number's (the runner's, the same for one
    /// number within a report) with the same words after it.
    #[derive(PartialEq, Eq, Hash)]
    enum Fact<'a> {
        Fixed(&'a str),
        Number(Num, &'a str),
    }
    fn key<K: Eq + std::hash::Hash>(map: &mut HashMap<K, u32, Fast>, k: K) -> u32 {
        let next = u32::try_from(map.len()).unwrap_or(u32::MAX);
        *map.entry(k).or_insert(next)
    }
    let mut facts: HashMap<Fact<'_>, u32, Fast> = HashMap::default();
    // Field, and value when fixed (a number's is the runner's).
    let mut evidence: HashMap<(&str, Option<&str>), u32, Fast> = HashMap::default();
    let mut keys = Vec::new();
    for leaf in rules.iter().flat_map(|r| r.evidence.iter()) {
        let fact = match &leaf.words {
            Words::Fixed(t) => Fact::Fixed(t),
            Words::Number(n, suffix) => Fact::Number(*n, suffix),
        };
        // As the report writes the value: a number's from the runner, else fixed ("" if none).
        let value = match (&leaf.value, leaf.atom) {
            (Some(v), _) => Some(v.as_str()),
            (None, Atom::Number(..)) => None,
            (None, _) => Some(""),
        };
        let shown = (leaf.field.as_str(), value);
        keys.push((key(&mut facts, fact), key(&mut evidence, shown)));
    }
    let counts = (facts.len(), evidence.len());
    for (leaf, (f, e)) in rules
        .iter_mut()
        .flat_map(|r| r.evidence.iter_mut())
        .zip(keys)
    {
        leaf.fact_key = f;
        leaf.evidence_key = e;
    }
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    (count(counts.0), count(counts.1))
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

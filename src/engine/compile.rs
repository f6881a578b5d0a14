//! Lowers a validated rule file into the form evaluation runs: catalogue references become
//! indices, patterns become slots computed once per evaluation, and every leaf test becomes an
//! [`Atom`] (or a fused mask test) over the
//! bit masks and numbers of [`Facts`].

use std::collections::HashMap;
use std::sync::Arc;

use crate::dose::Dose;
use crate::facts::{Facts, Num};
use crate::rules::validate::pattern_order;
use crate::rules::{Action, Cmp, Condition, Field, Metric, RuleSetSource};
use crate::text::Text;
use crate::vocab::{Level, Phase};
use crate::vocab::{Mechanism, Onset, Sex, Surface};

/// Three-valued truth, ordered so that `min` is "and", `max` is "or" and `2 - x` is "not".
pub(crate) type Tri = u8;
pub(crate) const FALSE: Tri = 0;
pub(crate) const UNKNOWN: Tri = 1;
pub(crate) const TRUE: Tri = 2;

fn tri(b: bool) -> Tri {
    if b { TRUE } else { FALSE }
}

fn tri_opt(b: Option<bool>) -> Tri {
    b.map_or(UNKNOWN, tri)
}

/// A leaf test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Atom {
    Symptom(u64),
    Location(u16),
    History(u16),
    Onset(Onset),
    Mechanism(Mechanism),
    Sex(Sex),
    Number(Num, Cmp),
    Downhill,
    IntensityIncreased,
    NewToRunning,
    Surface(Surface),
    Missing(Field),
}

/// Kleene "and" over the symptoms of a mask: true when all are present, false when one is
/// absent, unknown otherwise.
fn all_symptoms(f: &Facts, m: u64) -> Tri {
    if f.present & m == m {
        TRUE
    } else if f.absent & m != 0 {
        FALSE
    } else {
        UNKNOWN
    }
}

/// Kleene "or" over the places of a mask: true when one is named, unknown while the list of
/// places is unknown or open, false otherwise.
fn any_location(f: &Facts, m: u16) -> Tri {
    if f.locations & m != 0 {
        TRUE
    } else if f.locations_unknown() {
        UNKNOWN
    } else {
        FALSE
    }
}

impl Atom {
    pub(crate) fn eval(self, f: &Facts) -> Tri {
        match self {
            // One symptom is "all of" a one-bit mask.
            Atom::Symptom(bit) => all_symptoms(f, bit),
            // One location is "any of" a one-bit mask.
            Atom::Location(bit) => any_location(f, bit),
            Atom::History(bit) => tri(f.history & bit != 0),
            Atom::Onset(o) => tri(f.onset == o),
            Atom::Mechanism(m) => tri_opt(f.mechanism.map(|x| x == m)),
            Atom::Sex(s) => tri_opt(f.sex.map(|x| x == s)),
            Atom::Number(n, cmp) => tri_opt(f.number(n).map(|x| cmp.test(x))),
            Atom::Downhill => tri_opt(f.downhill),
            Atom::IntensityIncreased => tri_opt(f.intensity_increased),
            Atom::NewToRunning => tri_opt(f.new_to_running),
            Atom::Surface(s) => tri_opt(f.surface.map(|x| x == s)),
            Atom::Missing(field) if f.pending & crate::facts::Field::bit(field) != 0 => UNKNOWN,
            Atom::Missing(field) => tri(f.is_missing(field)),
        }
    }
}

/// A condition with leaves lowered. A pattern is not expanded: `Pattern(i)` reads the value
/// the pattern had, computed once per evaluation, so the size of the compiled form is the
/// size of the file however often patterns are reused.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Atom(Atom),
    /// Every symptom of the mask present: `All` over `Has` atoms, fused into one test.
    AllSymptoms(u64),
    /// One symptom of the mask present: `Any` over `Has` atoms.
    AnySymptoms(u64),
    /// Every location of the mask given (unknown when no location is).
    AllLocations(u16),
    /// One location of the mask given (unknown when no location is).
    AnyLocation(u16),
    Pattern(usize),
    All(Vec<Node>),
    Any(Vec<Node>),
    Not(Box<Node>),
    AtLeast(u32, Vec<Node>),
}

/// Where a node finds the values of the patterns it uses.
pub(crate) trait Patterns {
    /// The value of pattern `i` on the facts.
    fn value(&mut self, f: &Facts, i: usize) -> Tri;
}

/// Values computed beforehand, in dependency order.
impl Patterns for &[Tri] {
    fn value(&mut self, _: &Facts, i: usize) -> Tri {
        self.get(i).copied().unwrap_or(UNKNOWN)
    }
}

/// Not yet computed, in [`Lazy`].
pub(crate) const NOT_YET: Tri = 3;

/// Patterns computed on first use and remembered: a pattern no surviving rule reads costs
/// nothing, and one that many rules read is computed once.
pub(crate) struct Lazy<'a> {
    pub nodes: &'a [Node],
    /// One per pattern, [`NOT_YET`] until computed.
    pub values: &'a mut [Tri],
}

impl Patterns for Lazy<'_> {
    fn value(&mut self, f: &Facts, i: usize) -> Tri {
        match self.values.get(i) {
            Some(&v) if v != NOT_YET => v,
            Some(_) => {
                // Patterns only use patterns before them (validated), so this terminates.
                let nodes = self.nodes;
                let v = nodes.get(i).map_or(UNKNOWN, |n| n.eval(f, self));
                self.values[i] = v;
                v
            }
            None => UNKNOWN,
        }
    }
}

impl Node {
    /// Kleene evaluation; `patterns` gives the values of the patterns the node uses.
    pub(crate) fn eval(&self, f: &Facts, patterns: &mut impl Patterns) -> Tri {
        match self {
            Node::Atom(a) => a.eval(f),
            Node::AllSymptoms(m) => all_symptoms(f, *m),
            Node::AnySymptoms(m) => {
                if f.present & m != 0 {
                    TRUE
                } else if f.absent & m == *m {
                    FALSE
                } else {
                    UNKNOWN
                }
            }
            Node::AllLocations(m) => {
                if f.locations & m == *m {
                    TRUE
                } else if f.locations_unknown() {
                    UNKNOWN
                } else {
                    FALSE
                }
            }
            Node::AnyLocation(m) => any_location(f, *m),
            Node::Pattern(i) => patterns.value(f, *i),
            Node::All(list) => {
                let mut acc = TRUE;
                for n in list {
                    acc = acc.min(n.eval(f, patterns));
                    if acc == FALSE {
                        break;
                    }
                }
                acc
            }
            Node::Any(list) => {
                let mut acc = FALSE;
                for n in list {
                    acc = acc.max(n.eval(f, patterns));
                    if acc == TRUE {
                        break;
                    }
                }
                acc
            }
            Node::Not(inner) => TRUE - inner.eval(f, patterns),
            Node::AtLeast(k, list) => {
                let (mut yes, mut maybe) = (0u32, 0u32);
                for n in list {
                    match n.eval(f, patterns) {
                        TRUE => yes += 1,
                        UNKNOWN => maybe += 1,
                        _ => {}
                    }
                }
                if yes >= *k {
                    TRUE
                } else if yes + maybe >= *k {
                    UNKNOWN
                } else {
                    FALSE
                }
            }
        }
    }

    /// The leaves not under a `Not`, patterns' included: the facts a firing rule can be said
    /// to rest on.
    fn positive_atoms(&self, patterns: &[Vec<Atom>], out: &mut Vec<Atom>) {
        let mut add = |a: &Atom| {
            if !out.contains(a) {
                out.push(*a);
            }
        };
        let bits = |m: u64| {
            (0..64)
                .filter(move |b| m & (1 << b) != 0)
                .map(|b| 1u64 << b)
        };
        match self {
            Node::Atom(a) => add(a),
            Node::AllSymptoms(m) | Node::AnySymptoms(m) => {
                bits(*m).for_each(|b| add(&Atom::Symptom(b)));
            }
            Node::AllLocations(m) | Node::AnyLocation(m) => {
                bits(u64::from(*m)).for_each(|b| add(&Atom::Location(b as u16)));
            }
            Node::Pattern(i) => patterns.get(*i).into_iter().flatten().for_each(add),
            Node::All(list) | Node::Any(list) | Node::AtLeast(_, list) => {
                for n in list {
                    n.positive_atoms(patterns, out);
                }
            }
            Node::Not(_) => {}
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum CAction {
    Suggest(usize, f64),
    Recommend(Vec<usize>),
    Escalate(Level, Text),
    Factor(usize),
}

#[derive(Debug, Clone)]
pub(crate) struct CRule {
    pub id: Text,
    pub source: Text,
    /// What is left of the condition to test once its [`Needs`] are met; `None` when the
    /// needs are the whole condition.
    pub residual: Option<Node>,
    /// The whole condition, for questions about what is still unknown.
    pub when: Node,
    pub then: Vec<CAction>,
    /// Leaves whose truth explains a firing, with their words when those are fixed.
    pub evidence_text: Vec<(Atom, super::eval::Words)>,
    /// The lower bounds its condition sets on numbers (`Above(10.0)` on the weekly increase):
    /// the thresholds a factor's figure quotes, so that the text names the rule's own.
    pub thresholds: Vec<(Num, f64)>,
}

#[derive(Debug, Clone)]
pub(crate) struct CDiagnosis {
    pub id: Text,
    pub name: Text,
    pub source: Text,
    pub steps: Vec<usize>,
    /// Place in id order, to break ties in the differential.
    pub id_rank: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct CStep {
    pub id: Text,
    pub phase: Phase,
    pub text: Text,
    pub dose: Option<Arc<Dose>>,
    pub kind: Option<crate::rules::StepKind>,
}

#[derive(Debug, Clone)]
pub(crate) struct CFactor {
    pub id: Text,
    pub text: Text,
    pub advice: Text,
    pub figure: Option<Metric>,
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
    pub rules: Vec<CRule>,
    /// What each rule's condition requires, beside `rules` and densely packed.
    pub needs: Vec<Needs>,
    /// Which rules evaluation need look at, given the facts.
    pub index: RuleIndex,
    pub diagnoses: Vec<CDiagnosis>,
    pub steps: Vec<CStep>,
    /// Step indices in report order (by phase, then as declared), with whether the step
    /// keeps the runner running: kept apart from `steps` so the loop stays in cache.
    pub step_order: Vec<(usize, bool)>,
    pub factors: Vec<CFactor>,
    /// The escalation step's id, and its text per level.
    pub escalation_id: Text,
    pub level_actions: Vec<Text>,
    /// The `training` section: the weekly limit, the ratio zones, and the plan.
    pub training: Option<crate::figures::TrainingPolicy>,
    /// The smallest shoe distance that a rule raising a shoe-wear factor tests for.
    pub shoe_limit: Option<f64>,
}

/// Compiles a rule file that [`validate`](crate::rules::validate::validate) accepted.
///
/// Unresolvable references cannot occur after validation; should one slip through, it is
/// skipped rather than allowed to panic.
pub(crate) fn compile(src: &RuleSetSource) -> Compiled {
    let index = |ids: Vec<&str>| -> HashMap<String, usize> {
        ids.into_iter()
            .enumerate()
            .map(|(i, id)| (id.to_owned(), i))
            .collect()
    };
    let diag_ix = index(src.diagnoses.iter().map(|d| d.id.as_str()).collect());
    let step_ix = index(src.steps.iter().map(|s| s.id.as_str()).collect());
    let factor_ix = index(src.factors.iter().map(|f| f.id.as_str()).collect());
    let mut slots: HashMap<&str, usize> = HashMap::new();
    let mut patterns = Vec::new();
    let mut pattern_atoms: Vec<Vec<Atom>> = Vec::new();
    let mut pattern_needs: Vec<Needs> = Vec::new();
    for i in pattern_order(src) {
        let p = &src.patterns[i];
        let node = lower(&p.when, &slots);
        let mut atoms = Vec::new();
        node.positive_atoms(&pattern_atoms, &mut atoms);
        pattern_needs.push(node.needs(&pattern_needs));
        slots.insert(p.id.as_str(), patterns.len());
        patterns.push(node);
        pattern_atoms.push(atoms);
    }
    let steps_of = |ids: &[String]| ids.iter().filter_map(|s| step_ix.get(s).copied()).collect();

    let mut rules: Vec<(CRule, Needs)> = src
        .rules
        .iter()
        .map(|r| {
            let when = lower(&r.when, &slots);
            let mut evidence = Vec::new();
            when.positive_atoms(&pattern_atoms, &mut evidence);
            let needs = when.needs(&pattern_needs);
            let residual = residual(when.clone(), &needs);
            let then = r
                .then
                .iter()
                .filter_map(|a| {
                    Some(match a {
                        Action::Suggest(id, w) => CAction::Suggest(*diag_ix.get(id)?, *w),
                        Action::Recommend(ids) => CAction::Recommend(steps_of(ids)),
                        Action::Escalate(level, reason) => {
                            CAction::Escalate(*level, Text::from(reason.as_str()))
                        }
                        Action::Factor(id) => CAction::Factor(*factor_ix.get(id)?),
                    })
                })
                .collect();
            let rule = CRule {
                id: Text::from(r.id.as_str()),
                source: Text::from(r.source.as_str()),
                residual,
                when,
                then,
                evidence_text: evidence
                    .into_iter()
                    .map(|a| (a, super::eval::words(a)))
                    .collect(),
                thresholds: {
                    let mut t = Vec::new();
                    lower_bounds(&r.when, &mut t);
                    t
                },
            };
            (rule, needs)
        })
        .collect();
    rules.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    let (rules, needs): (Vec<CRule>, Vec<Needs>) = rules.into_iter().unzip();
    let index = RuleIndex::new(&needs);
    let shoe_factor = |a: &CAction| match a {
        CAction::Factor(f) => src
            .factors
            .get(*f)
            .is_some_and(|f| f.figure == Some(Metric::ShoeKm)),
        _ => false,
    };
    let shoe_limit = rules
        .iter()
        .filter(|r| r.then.iter().any(shoe_factor))
        .flat_map(|r| r.thresholds.iter())
        .filter(|(n, _)| *n == Num::ShoeKm)
        .map(|t| t.1)
        .reduce(f64::min);

    let mut by_id: Vec<usize> = (0..src.diagnoses.len()).collect();
    by_id.sort_by(|&a, &b| src.diagnoses[a].id.cmp(&src.diagnoses[b].id));
    let mut id_rank = vec![0u32; src.diagnoses.len()];
    for (rank, &d) in by_id.iter().enumerate() {
        id_rank[d] = u32::try_from(rank).unwrap_or(u32::MAX);
    }
    let mut step_order: Vec<(usize, bool)> = src
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| (i, s.keeps_running))
        .collect();
    step_order.sort_by_key(|&(i, _)| (src.steps[i].phase, i));

    Compiled {
        label: Text::from(format!("{} {}", src.name, src.version)),
        slots: slots.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
        patterns,
        rules,
        needs,
        index,
        diagnoses: src
            .diagnoses
            .iter()
            .zip(id_rank)
            .map(|(d, id_rank)| CDiagnosis {
                id: Text::from(d.id.as_str()),
                name: Text::from(d.name.as_str()),
                source: Text::from(d.source.as_str()),
                steps: steps_of(&d.steps),
                id_rank,
            })
            .collect(),
        steps: src
            .steps
            .iter()
            .map(|s| CStep {
                id: Text::from(s.id.as_str()),
                phase: s.phase,
                text: Text::from(s.text.as_str()),
                dose: s.dose.clone().map(Arc::new),
                kind: s.kind,
            })
            .collect(),
        step_order,
        factors: src
            .factors
            .iter()
            .map(|f| CFactor {
                id: Text::from(f.id.as_str()),
                text: Text::from(f.text.as_str()),
                advice: Text::from(f.advice.as_str()),
                figure: f.figure,
            })
            .collect(),
        escalation_id: Text::from(crate::report::ESCALATION_STEP),
        level_actions: Level::ALL.iter().map(|l| Text::from(l.action())).collect(),
        shoe_limit,
        training: src
            .training
            .as_ref()
            .map(|t| crate::figures::TrainingPolicy::new(t, |d| diag_ix.get(d).copied())),
    }
}

/// The lower bounds a condition puts on numbers where it must hold for the whole condition
/// to hold: its top level and the parts of a top-level `All`.
fn lower_bounds(c: &Condition, out: &mut Vec<(Num, f64)>) {
    match c {
        Condition::All(parts) => parts.iter().for_each(|p| lower_bounds(p, out)),
        c => {
            if let Some((n, cmp)) = c.number() {
                match cmp {
                    Cmp::Above(x) | Cmp::AtLeast(x) | Cmp::Between(x, _) => out.push((n, x)),
                    Cmp::Below(_) | Cmp::AtMost(_) => {}
                }
            }
        }
    }
}

/// What a condition requires to be true, for skipping rules without walking their trees.
/// Each part is a necessary condition only: a rule that passes may still be false.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Needs {
    /// Symptoms that must all be present.
    pub present: u64,
    /// Symptoms of which at least one must be present (0: no such set).
    pub some_present: u64,
    /// Locations that must all be given.
    pub locations: u16,
    /// Locations of which at least one must be given (0: no such set).
    pub some_location: u16,
    /// History entries that must all be listed.
    pub history: u16,
    /// The onset required, if any.
    pub onset: Option<Onset>,
    /// The mechanism required, if any.
    pub mechanism: Option<Mechanism>,
}

impl Needs {
    /// Whether facts can satisfy these needs; false means the condition cannot be true.
    #[inline]
    pub(crate) fn met_by(&self, f: &Facts) -> bool {
        self.present & !f.present == 0
            && (self.some_present == 0 || self.some_present & f.present != 0)
            && self.locations & !f.locations == 0
            && (self.some_location == 0 || self.some_location & f.locations != 0)
            && self.history & !f.history == 0
            && self.onset.is_none_or(|o| o == f.onset)
            && self.mechanism.is_none_or(|m| f.mechanism == Some(m))
    }

    /// Both hold: every requirement of each.
    fn and(self, o: Needs) -> Needs {
        Needs {
            present: self.present | o.present,
            some_present: smaller(self.some_present_or_all(), o.some_present_or_all()),
            locations: self.locations | o.locations,
            some_location: smaller16(self.some_location_or_all(), o.some_location_or_all()),
            history: self.history | o.history,
            onset: self.onset.or(o.onset),
            mechanism: self.mechanism.or(o.mechanism),
        }
    }

    /// One of them holds: only what both require.
    fn or(self, o: Needs) -> Needs {
        let union = |a: u64, b: u64| if a == 0 || b == 0 { 0 } else { a | b };
        Needs {
            present: self.present & o.present,
            some_present: union(self.some_present_or_all(), o.some_present_or_all()),
            locations: self.locations & o.locations,
            some_location: union(
                u64::from(self.some_location_or_all()),
                u64::from(o.some_location_or_all()),
            ) as u16,
            history: self.history & o.history,
            onset: if self.onset == o.onset {
                self.onset
            } else {
                None
            },
            mechanism: if self.mechanism == o.mechanism {
                self.mechanism
            } else {
                None
            },
        }
    }

    /// A set of which one symptom must be present: the explicit one, or any required symptom.
    fn some_present_or_all(self) -> u64 {
        if self.some_present != 0 {
            self.some_present
        } else {
            self.present & self.present.wrapping_neg() // the lowest required bit, or 0
        }
    }

    fn some_location_or_all(self) -> u16 {
        if self.some_location != 0 {
            self.some_location
        } else {
            self.locations & self.locations.wrapping_neg()
        }
    }
}

/// Bit sets over the rules (in id order) that spare evaluation from visiting rules that
/// cannot fire. Each rule is keyed by one necessary fact: a symptom of those it needs (all of
/// them, for "one of these"), else a location, else its onset, else nothing (always visited).
/// The rules to visit are the union of the sets of the facts present: a few word-wide ORs,
/// already in id order and without repeats.
#[derive(Debug, Clone, Default)]
pub(crate) struct RuleIndex {
    /// Words per set: one bit per rule.
    pub words: usize,
    /// 64 sets, one per symptom bit.
    by_symptom: Vec<u64>,
    /// 16 sets, one per location bit.
    by_location: Vec<u64>,
    /// 3 sets: needing an acute onset, a chronic one, and keyed by nothing.
    by_onset: Vec<u64>,
}

impl RuleIndex {
    fn new(needs: &[Needs]) -> RuleIndex {
        let words = needs.len().div_ceil(64);
        let mut ix = RuleIndex {
            words,
            by_symptom: vec![0; 64 * words],
            by_location: vec![0; 16 * words],
            by_onset: vec![0; 3 * words],
        };
        for (i, n) in needs.iter().enumerate() {
            let (word, bit) = (i / 64, 1u64 << (i % 64));
            let symptoms = n.some_present_or_all();
            let locations = n.some_location_or_all();
            if symptoms != 0 {
                for s in (0..64).filter(|s| symptoms & (1 << s) != 0) {
                    ix.by_symptom[s * words + word] |= bit;
                }
            } else if locations != 0 {
                for l in (0..16).filter(|l| locations & (1 << l) != 0) {
                    ix.by_location[l * words + word] |= bit;
                }
            } else {
                let slot = match n.onset {
                    Some(Onset::Acute) => 0,
                    Some(Onset::Chronic) => 1,
                    _ => 2,
                };
                ix.by_onset[slot * words + word] |= bit;
            }
        }
        ix
    }

    /// Sets `out` (of [`RuleIndex::words`] words) to the rules worth visiting for `f`.
    pub(crate) fn candidates(&self, f: &Facts, out: &mut [u64]) {
        let w = self.words;
        let onset = if f.onset == Onset::Acute { 0 } else { 1 };
        let mut or = |sets: &[u64], k: usize| {
            if let Some(set) = sets.get(k * w..(k + 1) * w) {
                for (o, s) in out.iter_mut().zip(set) {
                    *o |= s;
                }
            }
        };
        or(&self.by_onset, 2);
        or(&self.by_onset, onset);
        let mut present = f.present;
        while present != 0 {
            or(&self.by_symptom, present.trailing_zeros() as usize);
            present &= present - 1;
        }
        let mut locations = f.locations;
        while locations != 0 {
            or(&self.by_location, locations.trailing_zeros() as usize);
            locations &= locations - 1;
        }
    }
}

/// The tighter of two "at least one of" sets (fewer members); 0 means none.
fn smaller(a: u64, b: u64) -> u64 {
    match (a, b) {
        (0, x) | (x, 0) => x,
        _ if a.count_ones() <= b.count_ones() => a,
        _ => b,
    }
}

fn smaller16(a: u16, b: u16) -> u16 {
    smaller(u64::from(a), u64::from(b)) as u16
}

impl Node {
    /// What must hold for this node to be true. `All` needs what every part needs; `Any`
    /// only what all of its parts need; `Not` is not looked into.
    fn needs(&self, patterns: &[Needs]) -> Needs {
        let all = |list: &[Node]| {
            list.iter()
                .fold(Needs::default(), |acc, n| acc.and(n.needs(patterns)))
        };
        let any = |list: &[Node]| {
            let mut parts = list.iter().map(|n| n.needs(patterns));
            let first = parts.next().unwrap_or_default();
            parts.fold(first, Needs::or)
        };
        match self {
            Node::Atom(Atom::Symptom(bit)) => Needs {
                present: *bit,
                ..Needs::default()
            },
            Node::Atom(Atom::Location(bit)) => Needs {
                locations: *bit,
                ..Needs::default()
            },
            Node::Atom(Atom::History(bit)) => Needs {
                history: *bit,
                ..Needs::default()
            },
            Node::Atom(Atom::Onset(o)) => Needs {
                onset: Some(*o),
                ..Needs::default()
            },
            Node::Atom(Atom::Mechanism(m)) => Needs {
                mechanism: Some(*m),
                ..Needs::default()
            },
            Node::AllSymptoms(m) => Needs {
                present: *m,
                ..Needs::default()
            },
            Node::AnySymptoms(m) => Needs {
                some_present: *m,
                ..Needs::default()
            },
            Node::AllLocations(m) => Needs {
                locations: *m,
                ..Needs::default()
            },
            Node::AnyLocation(m) => Needs {
                some_location: *m,
                ..Needs::default()
            },
            Node::Atom(_) | Node::Not(_) => Needs::default(),
            Node::Pattern(i) => patterns.get(*i).copied().unwrap_or_default(),
            Node::All(list) => all(list),
            Node::AtLeast(k, list) if *k as usize == list.len() => all(list),
            // At least one part is true: what every part needs.
            Node::Any(list) => any(list),
            Node::AtLeast(k, list) if *k >= 1 => any(list),
            Node::AtLeast(..) => Needs::default(),
        }
    }
}

/// The part of a rule's condition that its [`Needs`] do not already decide. A symptom,
/// location or history test that the condition requires outright (alone, or directly under its
/// top `All`) is part of the needs, so it is true whenever they are met and is dropped. An
/// onset or mechanism test is dropped only when the needs require that very value: needs keep
/// one onset, and a condition asking for two (possible when one hides in an `Any`) must keep
/// its tests and stay false.
fn residual(when: Node, needs: &Needs) -> Option<Node> {
    let decided = |n: &Node| match n {
        Node::AllSymptoms(_)
        | Node::AllLocations(_)
        | Node::Atom(Atom::Symptom(_) | Atom::Location(_) | Atom::History(_)) => true,
        Node::Atom(Atom::Onset(o)) => needs.onset == Some(*o),
        Node::Atom(Atom::Mechanism(m)) => needs.mechanism == Some(*m),
        _ => false,
    };
    match when {
        Node::All(parts) => {
            let mut rest: Vec<Node> = parts.into_iter().filter(|n| !decided(n)).collect();
            match rest.len() {
                0 => None,
                1 => rest.pop(),
                _ => Some(Node::All(rest)),
            }
        }
        n if decided(&n) => None,
        n => Some(n),
    }
}

/// Builds `All` (or `Any`) of `parts`, with their symptom tests fused into one mask test and
/// their location tests into another, placed first because they are the cheapest. A list
/// left with one part is that part.
fn fuse(parts: Vec<Node>, all: bool) -> Node {
    let (mut symptoms, mut locations) = (0u64, 0u16);
    let mut rest = Vec::with_capacity(parts.len());
    for p in parts {
        match p {
            Node::Atom(Atom::Symptom(b)) => symptoms |= b,
            Node::Atom(Atom::Location(b)) => locations |= b,
            other => rest.push(other),
        }
    }
    let mut out = Vec::with_capacity(rest.len() + 2);
    if symptoms != 0 {
        out.push(if all {
            Node::AllSymptoms(symptoms)
        } else {
            Node::AnySymptoms(symptoms)
        });
    }
    if locations != 0 {
        out.push(if all {
            Node::AllLocations(locations)
        } else {
            Node::AnyLocation(locations)
        });
    }
    out.extend(rest);
    if out.len() == 1 {
        out.pop().unwrap_or(Node::All(Vec::new()))
    } else if all {
        Node::All(out)
    } else {
        Node::Any(out)
    }
}

/// Lowers one condition; `slots` maps the patterns lowered so far to their place.
pub(crate) fn lower(c: &Condition, slots: &HashMap<&str, usize>) -> Node {
    let list = |l: &[Condition]| l.iter().map(|x| lower(x, slots)).collect();
    let num = |n, cmp: &Cmp| Node::Atom(Atom::Number(n, *cmp));
    match c {
        Condition::All(l) => fuse(list(l), true),
        Condition::Any(l) => fuse(list(l), false),
        Condition::Not(inner) => Node::Not(Box::new(lower(inner, slots))),
        // `AtLeast` of one is `Any`, of all is `All`: both fuse into mask tests.
        Condition::AtLeast(1, l) if !l.is_empty() => fuse(list(l), false),
        Condition::AtLeast(n, l) if *n as usize == l.len() => fuse(list(l), true),
        Condition::AtLeast(n, l) => Node::AtLeast(*n, list(l)),
        // The validator refuses unknown and cyclic patterns; should one slip through, it is
        // unknown, never a panic.
        Condition::Is(id) => Node::Pattern(slots.get(id.as_str()).copied().unwrap_or(usize::MAX)),
        Condition::Has(s) => Node::Atom(Atom::Symptom(1 << s.index())),
        Condition::Location(l) => Node::Atom(Atom::Location(1 << l.index())),
        Condition::History(h) => Node::Atom(Atom::History(1 << h.index())),
        Condition::Onset(o) => Node::Atom(Atom::Onset(*o)),
        Condition::Mechanism(m) => Node::Atom(Atom::Mechanism(*m)),
        Condition::Sex(s) => Node::Atom(Atom::Sex(*s)),
        Condition::Age(cmp) => num(Num::Age, cmp),
        Condition::DaysSinceOnset(cmp) => num(Num::DaysSinceOnset, cmp),
        Condition::PainScore(cmp) => num(Num::PainScore, cmp),
        Condition::Bmi(cmp) => num(Num::Bmi, cmp),
        Condition::WeeklyKm(cmp) => num(Num::WeeklyKm, cmp),
        Condition::WeeklyIncreasePct(cmp) => num(Num::WeeklyIncreasePct, cmp),
        Condition::Acwr(cmp) => num(Num::Acwr, cmp),
        Condition::ShoeKm(cmp) => num(Num::ShoeKm, cmp),
        Condition::LongestRunIncreasePct(cmp) => num(Num::LongestRunIncreasePct, cmp),
        Condition::Downhill => Node::Atom(Atom::Downhill),
        Condition::IntensityIncreased => Node::Atom(Atom::IntensityIncreased),
        Condition::NewToRunning => Node::Atom(Atom::NewToRunning),
        Condition::Surface(s) => Node::Atom(Atom::Surface(*s)),
        Condition::Missing(f) => Node::Atom(Atom::Missing(*f)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Assessment;
    use crate::vocab::Symptom;

    fn facts(present: &[Symptom], absent: &[Symptom]) -> Facts {
        let mut a = Assessment::new(Onset::Chronic);
        a.present = present.to_vec();
        a.absent = absent.to_vec();
        Facts::from_assessment(&a)
    }

    fn has(s: Symptom) -> Node {
        Node::Atom(Atom::Symptom(1 << s.index()))
    }

    #[test]
    fn kleene_logic_over_unknowns() {
        use Symptom::{Fever, Swelling};
        let f = facts(&[Fever], &[Swelling]);
        let unknown = has(Symptom::Locking);
        assert_eq!(has(Fever).eval(&f, &mut [].as_slice()), TRUE);
        assert_eq!(has(Swelling).eval(&f, &mut [].as_slice()), FALSE);
        assert_eq!(unknown.eval(&f, &mut [].as_slice()), UNKNOWN);
        assert_eq!(
            Node::Not(Box::new(unknown.clone())).eval(&f, &mut [].as_slice()),
            UNKNOWN
        );
        assert_eq!(
            Node::All(vec![has(Fever), unknown.clone()]).eval(&f, &mut [].as_slice()),
            UNKNOWN
        );
        assert_eq!(
            Node::All(vec![has(Swelling), unknown.clone()]).eval(&f, &mut [].as_slice()),
            FALSE
        );
        assert_eq!(
            Node::Any(vec![has(Fever), unknown.clone()]).eval(&f, &mut [].as_slice()),
            TRUE
        );
        assert_eq!(
            Node::Any(vec![has(Swelling), unknown.clone()]).eval(&f, &mut [].as_slice()),
            UNKNOWN
        );
        let two = |l| Node::AtLeast(2, l);
        assert_eq!(
            two(vec![has(Fever), unknown.clone()]).eval(&f, &mut [].as_slice()),
            UNKNOWN
        );
        assert_eq!(
            two(vec![has(Fever), has(Swelling)]).eval(&f, &mut [].as_slice()),
            FALSE
        );
        assert_eq!(
            two(vec![has(Fever), has(Fever)]).eval(&f, &mut [].as_slice()),
            TRUE
        );
    }

    #[test]
    fn locations_are_unknown_only_when_none_are_given() {
        use crate::vocab::Location;
        let atom = Atom::Location(1 << Location::OuterKnee.index());
        let mut a = Assessment::new(Onset::Chronic);
        assert_eq!(atom.eval(&Facts::from_assessment(&a)), UNKNOWN);
        a.locations.push(Location::AroundKneecap);
        assert_eq!(atom.eval(&Facts::from_assessment(&a)), FALSE);
        a.locations.push(Location::OuterKnee);
        assert_eq!(atom.eval(&Facts::from_assessment(&a)), TRUE);
    }
}

//! The hot loop: runs a compiled rule set on the facts of one assessment. Only rules whose
//! needs the facts meet are walked (the others cannot fire), in id order; nothing here depends
//! on the order of the rules in the file, and once warm nothing allocates.

use super::bits::Bits;
use super::compiled::{self, Compiled};
use super::flat::Memory;
use super::node::Lazy;
use super::tri::Tri;
use crate::facts::Facts;
use crate::vocab::Level;

/// How many of the top diagnoses contribute their catalogue steps.
pub(crate) const DIAGNOSES_WITH_STEPS: usize = 3;

/// Working memory and result of one evaluation, as indices into the compiled set. Reused
/// across evaluations it allocates nothing once its vectors have grown to the rule set.
#[derive(Debug, Clone, Default)]
pub(crate) struct Run {
    /// The patterns' values and the stack of the flat conditions.
    memory: Memory,
    /// The patterns' values for whole conditions, read only for an interview's facts.
    patterns: Vec<Option<Tri>>,
    /// Rules that might fire, as a bit set in id order.
    candidates: Vec<u64>,
    /// Rules that fired, in id order.
    pub fired: Vec<usize>,
    /// Summed weight per diagnosis; above 0 exactly when a rule suggested it.
    pub weight: Vec<f64>,
    /// Suggested diagnoses, most likely first.
    pub ranked: Vec<usize>,
    /// Steps some fired rule or leading diagnosis recommends.
    wanted: Bits,
    /// Steps to report, in report order (without the escalation step).
    pub steps: Vec<usize>,
    /// Wanted steps left out of the report.
    blocked: Bits,
    /// (rule, withholding) of every `Withhold` that fired, in rule order.
    withholds: Vec<(usize, usize)>,
    /// (step superseded, step superseding it) pairs, first by the step superseded.
    overrides: Vec<(usize, usize)>,
    /// The wanted steps left out, and why, in the order decided.
    pub withheld: Vec<(usize, Withheld)>,
    /// Factors reported.
    pub factors: Bits,
    /// (level, rule, action) of every `Escalate` that fired, highest level first.
    pub reasons: Vec<(Level, usize, usize)>,
    pub level: Level,
}

/// Clears `v` and refills it with `n` copies of `x`, within its capacity once warm.
fn refill<T: Clone>(v: &mut Vec<T>, n: usize, x: T) {
    if v.len() == n {
        v.fill(x);
    } else {
        v.clear();
        v.resize(n, x);
    }
}

/// Why a step that was wanted is left out of the report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Withheld {
    /// A fired rule's `Withhold`: the rule, and the withholding.
    Rule(usize, usize),
    /// A contraindication of a diagnosis among the top three: the diagnosis.
    Diagnosis(usize),
    /// The level: no keep-running or self-care-only advice at `Doctor` and above, no
    /// rehabilitation or prevention at `UrgentCare` and above.
    Level,
    /// The step's own condition does not hold.
    Condition,
    /// A stricter step shown beside it supersedes it.
    Override(usize),
}

/// Marks a wanted step as left out, keeping the first reason.
fn block(r: &mut Run, s: usize, why: Withheld) {
    if r.wanted.contains(s) && !r.blocked.contains(s) {
        r.blocked.insert(s);
        r.withheld.push((s, why));
    }
}

/// Calls `f` on each step of `set` that is wanted and not blocked, ascending. Each word is
/// read before its steps are handed out, so `f` may block them.
fn each_open(r: &mut Run, set: &Bits, mut f: impl FnMut(&mut Run, usize)) {
    for i in 0..set.words() {
        let mut w = r.wanted.word(i) & set.word(i) & !r.blocked.word(i);
        while w != 0 {
            let s = i * 64 + w.trailing_zeros() as usize;
            w &= w - 1;
            f(r, s);
        }
    }
}

/// Decides which wanted steps are left out, and why: the contraindications of fired rules and
/// of the leading diagnoses, the level's gates, each step's own condition, and stricter steps
/// superseding milder ones. Only ever removes steps.
fn withhold(c: &Compiled, facts: &Facts, context: u32, r: &mut Run) {
    r.blocked.clear(c.steps.len());
    r.withheld.clear();
    for i in 0..r.withholds.len() {
        let (ri, w) = r.withholds[i];
        for &s in &c.withholds[w].steps {
            block(r, s, Withheld::Rule(ri, w));
        }
    }
    for di in 0..r.ranked.len().min(DIAGNOSES_WITH_STEPS) {
        let d = r.ranked[di];
        if let Some(w) = c.diagnoses[d].withhold {
            for &s in &c.withholds[w].steps {
                block(r, s, Withheld::Diagnosis(d));
            }
        }
    }
    if let Some(gated) = c.step_sets.by_level.get(r.level as usize) {
        each_open(r, gated, |r, s| block(r, s, Withheld::Level));
    }
    each_open(r, &c.step_sets.conditional, |r, s| {
        if let Some(when) = c.steps[s].when
            && c.code.eval(when, facts, context, &mut r.memory) != Tri::True
        {
            block(r, s, Withheld::Condition);
        }
    });
    // A stricter step that would be shown supersedes the milder ones it names; decided on the
    // steps as they stand before any override, so the order of the file cannot matter.
    r.overrides.clear();
    each_open(r, &c.step_sets.overriding, |r, s| {
        r.overrides
            .extend(c.steps[s].overrides.iter().map(|&o| (o, s)));
    });
    // The first step (by index) to supersede each; sorting is stable.
    r.overrides.sort_by_key(|&(o, _)| o);
    for i in 0..r.overrides.len() {
        let (o, s) = r.overrides[i];
        if i == 0 || r.overrides[i - 1].0 != o {
            block(r, o, Withheld::Override(s));
        }
    }
}

/// Evaluates the rule set on `facts` into `r`.
pub(crate) fn run(c: &Compiled, facts: &Facts, r: &mut Run) {
    r.memory.reset(&c.code);
    let context = facts.context();
    // The flat conditions read `Missing` as definite, as evaluation does; an interview's facts
    // may read it as unknown, and are tested on the whole conditions instead.
    let definite = facts.askable == 0;
    if !definite {
        refill(&mut r.patterns, c.patterns.len(), None);
    }
    // Only the rules the index says might fire, in id order.
    refill(&mut r.candidates, c.index.words, 0);
    c.index.candidates(facts, &mut r.candidates);
    r.fired.clear();
    for (w, &word) in r.candidates.iter().enumerate() {
        let mut bits = word;
        while bits != 0 {
            let i = w * 64 + bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let Some(gate) = c.gates.get(i) else {
                continue;
            };
            // A rule whose required facts are not there cannot be true: skip the rest of it.
            if !gate.needs.met_by(facts, context) {
                continue;
            }
            let fires = if definite {
                c.code.test_value(gate.test, facts, context, &mut r.memory) == Tri::True
            } else {
                let mut patterns = Lazy {
                    nodes: &c.patterns,
                    values: &mut r.patterns,
                };
                c.rules
                    .get(i)
                    .is_some_and(|rule| rule.when.eval(facts, &mut patterns) == Tri::True)
            };
            if fires {
                r.fired.push(i);
            }
        }
    }

    // Only the diagnoses suggested last time have a weight to clear.
    if r.weight.len() == c.diagnoses.len() {
        for &d in &r.ranked {
            r.weight[d] = 0.0;
        }
    } else {
        refill(&mut r.weight, c.diagnoses.len(), 0.0);
    }
    r.ranked.clear();
    r.wanted.clear(c.steps.len());
    r.factors.clear(c.factors.len());
    r.withholds.clear();
    r.reasons.clear();
    r.level = Level::SelfCare;
    // Rules are in id order, so weights add up in the same order whatever the file's order
    // (floating-point addition is not associative).
    for &ri in &r.fired {
        for (ai, action) in c.rules[ri].then.iter().enumerate() {
            match action {
                compiled::Action::Suggest(d, w) => {
                    // Weights are above 0 (validated): a positive sum means suggested.
                    if r.weight[*d] == 0.0 {
                        r.ranked.push(*d);
                    }
                    r.weight[*d] += *w;
                }
                compiled::Action::Recommend(_, mask) => r.wanted.add(mask),
                compiled::Action::Escalate(level, _) => {
                    // Maximum, never assignment: no rule can lower what another raised.
                    r.level = r.level.max(*level);
                    r.reasons.push((*level, ri, ai));
                }
                compiled::Action::Factor(f) => r.factors.insert(*f),
                // Applied once the steps wanted are known.
                compiled::Action::Withhold(w) => r.withholds.push((ri, *w)),
            }
        }
    }

    // Differential: by weight, ties by id, so the rule order cannot matter.
    let (weight, diagnoses) = (&r.weight, &c.diagnoses);
    r.ranked.sort_unstable_by(|&a, &b| {
        weight[b]
            .total_cmp(&weight[a])
            .then_with(|| diagnoses[a].id_rank.cmp(&diagnoses[b].id_rank))
    });

    for &d in r.ranked.iter().take(DIAGNOSES_WITH_STEPS) {
        r.wanted.add(&c.diagnoses[d].step_mask);
    }
    withhold(c, facts, context, r);
    // Training-load factors are beside the point when the runner must be seen today.
    if r.level >= Level::UrgentCare {
        for f in c.step_sets.training_factors.iter() {
            r.factors.remove(f);
        }
    }
    // Report order: by phase, then as declared (the rank the set compiled).
    r.steps.clear();
    for i in 0..r.wanted.words() {
        let mut w = r.wanted.word(i) & !r.blocked.word(i);
        while w != 0 {
            r.steps.push(i * 64 + w.trailing_zeros() as usize);
            w &= w - 1;
        }
    }
    let rank = &c.step_sets.rank;
    r.steps
        .sort_unstable_by_key(|&s| rank.get(s).copied().unwrap_or(u32::MAX));
    r.reasons
        .sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
}

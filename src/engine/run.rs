//! The hot loop: runs a compiled rule set on the facts of one assessment. Only rules whose
//! needs the facts meet are walked (the others cannot fire), in id order; nothing here depends
//! on the order of the rules in the file, and once warm nothing allocates.

use super::compiled::{self, Compiled};
use super::node::Lazy;
use super::tri::Tri;
use crate::facts::Facts;
use crate::vocab::{Level, Phase};

/// How many of the top diagnoses contribute their catalogue steps.
pub(crate) const DIAGNOSES_WITH_STEPS: usize = 3;

/// Working memory and result of one evaluation, as indices into the compiled set. Reused
/// across evaluations it allocates nothing once its vectors have grown to the rule set.
#[derive(Debug, Clone, Default)]
pub(crate) struct Run {
    /// Value of each pattern, in dependency order.
    patterns: Vec<Option<Tri>>,
    /// Rules that might fire, as a bit set in id order.
    candidates: Vec<u64>,
    /// Rules that fired, in id order.
    pub fired: Vec<usize>,
    /// Summed weight per diagnosis; above 0 exactly when a rule suggested it.
    pub weight: Vec<f64>,
    /// Suggested diagnoses, most likely first.
    pub ranked: Vec<usize>,
    step_wanted: Vec<bool>,
    /// Steps to report, in report order (without the escalation step).
    pub steps: Vec<usize>,
    /// Per step, left out of the report.
    blocked: Vec<bool>,
    /// Per step, the step that supersedes it, if one would be shown.
    overridden: Vec<Option<usize>>,
    /// The wanted steps left out, and why, in the order decided.
    pub withheld: Vec<(usize, Withheld)>,
    /// Factors reported.
    pub factor_on: Vec<bool>,
    /// (level, rule, action) of every `Escalate` that fired, highest level first.
    pub reasons: Vec<(Level, usize, usize)>,
    pub level: Level,
}

/// Clears `v` and refills it with `n` copies of `x`, within its capacity once warm.
fn refill<T: Clone>(v: &mut Vec<T>, n: usize, x: T) {
    v.clear();
    v.resize(n, x);
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
    if r.step_wanted.get(s) == Some(&true) && r.blocked.get(s) == Some(&false) {
        r.blocked[s] = true;
        r.withheld.push((s, why));
    }
}

/// Decides which wanted steps are left out, and why: the contraindications of fired rules and
/// of the leading diagnoses, the level's gates, each step's own condition, and stricter steps
/// superseding milder ones. Only ever removes steps.
fn withhold(c: &Compiled, facts: &Facts, r: &mut Run) {
    refill(&mut r.blocked, c.steps.len(), false);
    r.withheld.clear();
    for fi in 0..r.fired.len() {
        let ri = r.fired[fi];
        for action in &c.rules[ri].then {
            if let compiled::Action::Withhold(w) = action {
                for &s in &c.withholds[*w].steps {
                    block(r, s, Withheld::Rule(ri, *w));
                }
            }
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
    let level = r.level;
    for (s, step) in c.steps.iter().enumerate() {
        let too_serious = step.below.is_some_and(|b| level >= b)
            || (level >= Level::UrgentCare
                && matches!(step.phase, Phase::LongTerm | Phase::Prevention));
        if too_serious {
            block(r, s, Withheld::Level);
        }
    }
    for (s, step) in c.steps.iter().enumerate() {
        if let Some(when) = &step.when
            && r.step_wanted[s]
            && !r.blocked[s]
        {
            let mut patterns = Lazy {
                nodes: &c.patterns,
                values: &mut r.patterns,
            };
            if when.eval(facts, &mut patterns) != Tri::True {
                block(r, s, Withheld::Condition);
            }
        }
    }
    // A stricter step that would be shown supersedes the milder ones it names; decided on the
    // steps as they stand before any override, so the order of the file cannot matter.
    refill(&mut r.overridden, c.steps.len(), None);
    for (s, step) in c.steps.iter().enumerate() {
        if r.step_wanted[s] && !r.blocked[s] {
            for &o in &step.overrides {
                r.overridden[o].get_or_insert(s);
            }
        }
    }
    for o in 0..c.steps.len() {
        if let Some(s) = r.overridden[o] {
            block(r, o, Withheld::Override(s));
        }
    }
}

/// Evaluates the rule set on `facts` into `r`.
pub(crate) fn run(c: &Compiled, facts: &Facts, r: &mut Run) {
    // Patterns are computed when a rule first reads one, then remembered.
    refill(&mut r.patterns, c.patterns.len(), None);
    let mut patterns = Lazy {
        nodes: &c.patterns,
        values: &mut r.patterns,
    };
    // Only the rules the index says might fire, in id order.
    refill(&mut r.candidates, c.index.words, 0);
    c.index.candidates(facts, &mut r.candidates);
    r.fired.clear();
    for (w, &word) in r.candidates.iter().enumerate() {
        let mut bits = word;
        while bits != 0 {
            let i = w * 64 + bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let (Some(needs), Some(rule)) = (c.needs.get(i), c.rules.get(i)) else {
                continue;
            };
            // A rule whose required facts are not there cannot be true: skip its tree.
            if needs.met_by(facts)
                && rule
                    .residual
                    .as_ref()
                    .is_none_or(|rest| rest.eval(facts, &mut patterns) == Tri::True)
            {
                r.fired.push(i);
            }
        }
    }

    refill(&mut r.weight, c.diagnoses.len(), 0.0);
    refill(&mut r.step_wanted, c.steps.len(), false);
    refill(&mut r.factor_on, c.factors.len(), false);
    r.reasons.clear();
    r.level = Level::SelfCare;
    // Rules are in id order, so weights add up in the same order whatever the file's order
    // (floating-point addition is not associative).
    for &ri in &r.fired {
        for (ai, action) in c.rules[ri].then.iter().enumerate() {
            match action {
                compiled::Action::Suggest(d, w) => {
                    // Weights are above 0 (validated): a positive sum means suggested.
                    r.weight[*d] += *w;
                }
                compiled::Action::Recommend(steps) => {
                    for &s in steps {
                        r.step_wanted[s] = true;
                    }
                }
                compiled::Action::Escalate(level, _) => {
                    // Maximum, never assignment: no rule can lower what another raised.
                    r.level = r.level.max(*level);
                    r.reasons.push((*level, ri, ai));
                }
                compiled::Action::Factor(f) => r.factor_on[*f] = true,
                // Applied below, once the steps wanted are known.
                compiled::Action::Withhold(_) => {}
            }
        }
    }

    // Differential: by weight, ties by id, so the rule order cannot matter.
    r.ranked.clear();
    r.ranked
        .extend((0..c.diagnoses.len()).filter(|&d| r.weight[d] > 0.0));
    let (weight, diagnoses) = (&r.weight, &c.diagnoses);
    r.ranked.sort_unstable_by(|&a, &b| {
        weight[b]
            .total_cmp(&weight[a])
            .then_with(|| diagnoses[a].id_rank.cmp(&diagnoses[b].id_rank))
    });

    for &d in r.ranked.iter().take(DIAGNOSES_WITH_STEPS) {
        for &s in &c.diagnoses[d].steps {
            r.step_wanted[s] = true;
        }
    }
    withhold(c, facts, r);
    // Training-load factors are beside the point when the runner must be seen today.
    if r.level >= Level::UrgentCare {
        for (on, f) in r.factor_on.iter_mut().zip(&c.factors) {
            *on &= !f.training;
        }
    }
    r.steps.clear();
    for &(s, _) in &c.step_order {
        if r.step_wanted[s] && !r.blocked[s] {
            r.steps.push(s);
        }
    }
    r.reasons
        .sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
}

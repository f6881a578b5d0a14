//! The hot loop: runs a compiled rule set on the facts of one assessment. Only rules whose
//! needs the facts meet are walked (the others cannot fire), in id order; nothing here depends
//! on the order of the rules in the file, and once warm nothing allocates.

use super::compiled::{self, Compiled};
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
    let serious = r.level >= Level::Doctor;
    r.steps.clear();
    for &(s, keeps_running) in &c.step_order {
        if r.step_wanted[s] && !(serious && keeps_running) {
            r.steps.push(s);
        }
    }
    r.reasons
        .sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
}

//! Lowers a validated rule file into the form evaluation runs ([`Compiled`]): catalogue
//! references become indices, patterns become slots computed once per evaluation, and every
//! leaf test becomes an [`Atom`] (or a fused mask test).

use std::collections::HashMap;
use std::sync::Arc;

use super::bits::{Bits, Mask};
use super::compiled::{self, Compiled};
use super::context::{self, Contexts};
use super::flat::{Code, Test};
use super::index::{Needs, RuleIndex};
use super::node::{Atom, Node};
use super::simplify::Simplifier;
use crate::facts::Num;
use crate::rules::validate::pattern_order;
use crate::rules::{Action, Cmp, Condition, Metric, RuleSetSource};
use crate::text::Text;
use crate::vocab::{Level, Phase};

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
    // Parts of conditions that depend on the onset and mechanism alone, decided once.
    let contexts = Contexts::new(&patterns);
    let simplifier = Simplifier {
        contexts: &contexts,
        patterns: &patterns,
    };
    let code = std::cell::RefCell::new(Code::default());
    for p in &patterns {
        let generic = simplifier.simplify(p, &Needs::default(), context::ALL);
        code.borrow_mut().add_pattern(&generic);
    }
    let steps_of = |ids: &[String]| ids.iter().filter_map(|s| step_ix.get(s).copied()).collect();
    // Every Withhold, its tags expanded to the steps that carry them.
    let withholds = std::cell::RefCell::new(Vec::new());
    let withholding = |ids: &[String], tags: &[String], reason: &str| {
        let mut steps: Vec<usize> = steps_of(ids);
        steps.extend(
            src.steps
                .iter()
                .enumerate()
                .filter(|(_, s)| s.tags.iter().any(|t| tags.contains(t)))
                .map(|(i, _)| i),
        );
        steps.sort_unstable();
        steps.dedup();
        let mut all = withholds.borrow_mut();
        all.push(compiled::Withholding {
            steps,
            reason: Text::from(reason),
        });
        all.len() - 1
    };

    let nothing = super::evidence::nothing();
    let mut rules: Vec<(compiled::Rule, compiled::Gate)> = src
        .rules
        .iter()
        .map(|r| {
            let when = lower(&r.when, &slots);
            let mut evidence = Vec::new();
            when.positive_atoms(&pattern_atoms, &mut evidence);
            let mut needs = when.needs(&pattern_needs);
            needs.contexts &= contexts.possible(&when);
            // What is left to test once the index and the needs have passed the rule.
            let rest = match simplifier.simplify(&when, &needs, needs.contexts) {
                Node::Context(context::ALL, 0) => Test::Always,
                rest => code.borrow_mut().test(&rest),
            };
            let then = r
                .then
                .iter()
                .filter_map(|a| {
                    Some(match a {
                        Action::Suggest(id, w) => compiled::Action::Suggest(*diag_ix.get(id)?, *w),
                        Action::Recommend(ids) => {
                            let steps: Vec<usize> = steps_of(ids);
                            let mask = Mask::of(&steps);
                            compiled::Action::Recommend(steps, mask)
                        }
                        Action::Escalate(level, reason) => {
                            compiled::Action::Escalate(*level, Text::from(reason.as_str()))
                        }
                        Action::Factor(id) => compiled::Action::Factor(*factor_ix.get(id)?),
                        Action::Withhold {
                            steps,
                            tags,
                            reason,
                        } => compiled::Action::Withhold(withholding(steps, tags, reason)),
                    })
                })
                .collect();
            let rule = compiled::Rule {
                id: Text::from(r.id.as_str()),
                source: Text::from(r.source.as_str()),
                when,
                then,
                evidence: evidence
                    .iter()
                    .map(|&atom| {
                        let (field, value) = super::evidence::field_and_value(atom);
                        compiled::Leaf {
                            atom,
                            words: super::evidence::words(atom, &nothing),
                            field,
                            value,
                            fact_key: 0,
                            evidence_key: 0,
                        }
                    })
                    .collect(),
                thresholds: {
                    let mut t = Vec::new();
                    lower_bounds(&r.when, &mut t);
                    t
                },
            };
            (rule, compiled::Gate { needs, test: rest })
        })
        .collect();
    rules.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    let (mut rules, gates): (Vec<compiled::Rule>, Vec<compiled::Gate>) = rules.into_iter().unzip();
    let leaf_keys = compiled::key_leaves(&mut rules);
    let index = RuleIndex::new(gates.iter().map(|g| g.needs));
    let shoe_factor = |a: &compiled::Action| match a {
        compiled::Action::Factor(f) => src
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
    // Steps before the set is assembled: their conditions are simplified against the patterns,
    // which the set then takes.
    let steps: Vec<compiled::Step> = src
        .steps
        .iter()
        .map(|s| compiled::Step {
            id: Text::from(s.id.as_str()),
            phase: s.phase,
            text: Text::from(s.text.as_str()),
            dose: s.dose.clone().map(Arc::new),
            kind: s.kind,
            when: s.when.as_ref().map(|w| {
                let when = simplifier.simplify(&lower(w, &slots), &Needs::default(), context::ALL);
                code.borrow_mut().add(&when)
            }),
            overrides: steps_of(&s.overrides),
        })
        .collect();

    Compiled {
        label: Text::from(format!("{} {}", src.name, src.version)),
        slots: slots.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
        patterns,
        rules,
        gates,
        leaf_keys,
        index,
        diagnoses: src
            .diagnoses
            .iter()
            .zip(id_rank)
            .map(|(d, id_rank)| compiled::Diagnosis {
                id: Text::from(d.id.as_str()),
                name: Text::from(d.name.as_str()),
                source: Text::from(d.source.as_str()),
                step_mask: Mask::of(&steps_of(&d.steps)),
                id_rank,
                withhold: d
                    .withhold
                    .as_ref()
                    .map(|w| withholding(&w.steps, &w.tags, &w.reason)),
                codes: d.codes.as_ref().map_or_else(Default::default, |c| {
                    let text = |c: &Option<String>| c.as_deref().map(Text::from);
                    crate::report::Codes {
                        icd10: text(&c.icd10),
                        icd10_cm: text(&c.icd10_cm),
                        snomed: text(&c.snomed),
                    }
                }),
            })
            .collect(),
        steps,
        step_sets: step_sets(src),
        factors: src
            .factors
            .iter()
            .map(|f| compiled::Factor {
                id: Text::from(f.id.as_str()),
                text: Text::from(f.text.as_str()),
                advice: Text::from(f.advice.as_str()),
                figure: f.figure,
            })
            .collect(),
        withholds: withholds.into_inner(),
        code: code.into_inner(),
        escalation_id: Text::from(crate::report::ESCALATION_STEP),
        level_actions: Level::ALL.iter().map(|l| Text::from(l.action())).collect(),
        shoe_limit,
        training: src.training.as_ref().map(|t| {
            let mut policy = crate::figures::TrainingPolicy::new(t, |d| diag_ix.get(d).copied());
            if let Some(plan) = &mut policy.plan {
                plan.name_diagnoses(src.diagnoses.iter().map(|d| d.name.as_str()));
            }
            policy
        }),
    }
}

/// The steps and factors as the bookkeeping after firing asks about them.
fn step_sets(src: &RuleSetSource) -> compiled::StepSets {
    let n = src.steps.len();
    let set = |keep: &dyn Fn(&crate::rules::StepDef) -> bool| {
        let mut b = Bits::new(n);
        for (i, s) in src.steps.iter().enumerate() {
            if keep(s) {
                b.insert(i);
            }
        }
        b
    };
    let by_level = Level::ALL
        .iter()
        .map(|&level| {
            set(&|s| {
                // Keeping running is advice for self-care: the same as `below: Doctor`.
                let below = match (s.below, s.keeps_running) {
                    (Some(b), true) => Some(b.min(Level::Doctor)),
                    (None, true) => Some(Level::Doctor),
                    (b, false) => b,
                };
                below.is_some_and(|b| level >= b)
                    || (level >= Level::UrgentCare
                        && matches!(s.phase, Phase::LongTerm | Phase::Prevention))
            })
        })
        .collect();
    let mut training_factors = Bits::new(src.factors.len());
    for (i, f) in src.factors.iter().enumerate() {
        if f.training {
            training_factors.insert(i);
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (src.steps[i].phase, i));
    let mut rank = vec![0u32; n];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = u32::try_from(r).unwrap_or(u32::MAX);
    }
    compiled::StepSets {
        by_level,
        conditional: set(&|s| s.when.is_some()),
        overriding: set(&|s| !s.overrides.is_empty()),
        training_factors,
        rank,
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

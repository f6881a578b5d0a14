//! Assembles the [`Report`] of a run: the differential with the rules and facts behind each
//! diagnosis, the escalation and its reasons, the steps in order, the factors with the
//! runner's figures, the training figures and the plan. Text is shared with the compiled set.

use super::compiled::{self, Compiled};
use super::evidence::{Words, describe, round};
use super::node::Atom;
use super::run::Run;
use super::tri::Tri;
use crate::facts::{Facts, Num};
use crate::report::{Diagnosis, Escalation, Evidence, Reason, Report, Step};
use crate::text::Text;
use crate::vocab::{Level, Phase};

/// What assembling a report works in, kept between reports by [`RuleSet::evaluate`]'s
/// thread so that a report allocates only what it holds.
///
/// [`RuleSet::evaluate`]: crate::RuleSet::evaluate
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// (diagnosis, rule) for every suggestion that fired.
    behind: Vec<(usize, usize)>,
    /// The fact and evidence keys listed for the diagnosis at hand.
    listed: Vec<u64>,
    /// Where texts are formatted.
    buf: String,
    /// A number's words with their suffix ("age 60 (at least 55)"), by fact key.
    worded: Vec<(u32, Text)>,
}

/// The full report of a run. Text is shared with the compiled set, not copied.
pub(crate) fn report(c: &Compiled, facts: &Facts, r: &Run) -> Report {
    let mut out = Report::empty();
    fill(c, facts, r, &mut Scratch::default(), &mut out);
    out
}

/// Overwrites `out` with the report of a run, every field of it, keeping the memory of its
/// lists (and of its diagnoses' lists) for the new ones.
pub(crate) fn fill(c: &Compiled, facts: &Facts, r: &Run, scratch: &mut Scratch, out: &mut Report) {
    let Scratch {
        behind,
        listed,
        buf,
        worded,
    } = scratch;
    // Every field, so that adding one to `Report` fails to compile here until it is filled.
    let Report {
        rule_set,
        diagnoses,
        escalation,
        steps,
        factors,
        load,
        plan,
        no_plan,
        fired,
    } = out;
    let ids = |rules: &mut dyn Iterator<Item = usize>, out: &mut Vec<Text>, most: usize| {
        out.clear();
        out.reserve(most);
        for ri in rules {
            // Fired rules come in id order: a repeat can only be the last one.
            if out.last() != Some(&c.rules[ri].id) {
                out.push(c.rules[ri].id.clone());
            }
        }
    };
    // (diagnosis, rule) for every suggestion that fired, grouped by diagnosis; a stable sort
    // keeps each group's rules in id order.
    behind.clear();
    for &ri in &r.fired {
        for a in &c.rules[ri].then {
            if let compiled::Action::Suggest(d, _) = a {
                behind.push((*d, ri));
            }
        }
    }
    behind.sort_by_key(|&(d, _)| d);
    // Each of the runner's numbers is written once per report, however many facts quote it,
    // and every text is formatted in one buffer: a text costs one allocation, its own.
    let mut numbers: [Option<Text>; Num::COUNT] = Default::default();
    let mut values: [Option<Text>; Num::COUNT] = Default::default();
    worded.clear();
    // The facts and evidence listed for the diagnosis at hand, by key (see `Leaf`): each is
    // listed once, and no text is compared.
    let (fact_keys, evidence_keys) = (c.leaf_keys.0 as usize, c.leaf_keys.1 as usize);
    let split = fact_keys.div_ceil(64);
    listed.clear();
    listed.resize(split + evidence_keys.div_ceil(64), 0);
    diagnoses.truncate(r.ranked.len());
    diagnoses.reserve(r.ranked.len() - diagnoses.len());
    for (i, &d) in r.ranked.iter().enumerate() {
        let from = behind.partition_point(|&(x, _)| x < d);
        let to = behind.partition_point(|&(x, _)| x <= d);
        let rules = || behind[from..to].iter().map(|&(_, ri)| ri);
        let diag = &c.diagnoses[d];
        if i == diagnoses.len() {
            // Sized for every fact the rules could quote, so neither list grows.
            let most: usize = rules().map(|ri| c.rules[ri].evidence.len()).sum();
            // Texts filled below, with every reused entry's.
            diagnoses.push(Diagnosis {
                id: Text::empty(),
                name: Text::empty(),
                weight: 0.0,
                rules: Vec::with_capacity(to - from),
                facts: Vec::with_capacity(most),
                evidence: Vec::with_capacity(most),
                source: Text::empty(),
                codes: Default::default(),
            });
        }
        let Diagnosis {
            id,
            name,
            weight,
            rules: rules_behind,
            facts: facts_behind,
            evidence,
            source,
            codes,
        } = &mut diagnoses[i];
        id.clone_from(&diag.id);
        name.clone_from(&diag.name);
        *weight = r.weight[d];
        ids(&mut rules(), rules_behind, to - from);
        source.clone_from(&diag.source);
        codes.clone_from(&diag.codes);
        facts_behind.clear();
        evidence.clear();
        listed.fill(0);
        let (listed_facts, listed_evidence) = listed.split_at_mut(split);
        for ri in rules() {
            for leaf in &c.rules[ri].evidence {
                if leaf.atom.eval(facts) != Tri::True {
                    continue;
                }
                if first_time(listed_facts, leaf.fact_key) {
                    facts_behind.push(match &leaf.words {
                        Words::Fixed(t) => t.clone(),
                        Words::Number(n, suffix) => {
                            let value = numbers[*n as usize].get_or_insert_with(|| {
                                match facts.number(*n) {
                                    Some(x) => {
                                        text(buf, format_args!("{} {}", n.label(), round(x)))
                                    }
                                    None => Text::from(n.label()),
                                }
                            });
                            match worded.iter().find(|(k, _)| *k == leaf.fact_key) {
                                _ if suffix.is_empty() => value.clone(),
                                Some((_, t)) => t.clone(),
                                None => {
                                    let t = text(buf, format_args!("{value}{suffix}"));
                                    worded.push((leaf.fact_key, t.clone()));
                                    t
                                }
                            }
                        }
                    });
                }
                if first_time(listed_evidence, leaf.evidence_key) {
                    let value = match (&leaf.value, leaf.atom) {
                        (Some(v), _) => v.clone(),
                        (None, Atom::Number(n, _)) => values[n as usize]
                            .get_or_insert_with(|| match facts.number(n) {
                                Some(x) if x.is_finite() => text(buf, format_args!("{}", round(x))),
                                Some(_) => Text::from("unbounded"),
                                None => Text::from("not given"),
                            })
                            .clone(),
                        (None, _) => Text::from(""),
                    };
                    evidence.push(Evidence {
                        field: leaf.field.clone(),
                        value,
                    });
                }
            }
        }
    }

    let serious = r.level >= Level::Doctor;
    steps.clear();
    steps.reserve(r.steps.len() + usize::from(serious));
    if serious {
        steps.push(Step {
            id: c.escalation_id.clone(),
            phase: Phase::Immediate,
            text: c.level_actions[r.level as usize].clone(),
            dose: None,
        });
    }
    steps.extend(r.steps.iter().map(|&s| {
        let s = &c.steps[s];
        Step {
            id: s.id.clone(),
            phase: s.phase,
            text: s.text.clone(),
            dose: s.dose.clone(),
        }
    }));

    factors.clear();
    factors.reserve(r.factors.iter().count());
    factors.extend(
        c.factors
            .iter()
            .enumerate()
            .filter(|&(f, _)| r.factors.contains(f))
            .map(|(f, cf)| {
                // The rules that found the factor, in id order.
                let mut by = r.fired.iter().copied().filter(|&ri| {
                    c.rules[ri]
                        .then
                        .iter()
                        .any(|a| matches!(a, compiled::Action::Factor(x) if *x == f))
                });
                // The figure quotes the threshold of the first of them that sets one.
                let threshold = cf.figure.and_then(|m| {
                    let n = crate::figures::num(m);
                    by.clone().find_map(|ri| {
                        c.rules[ri]
                            .thresholds
                            .iter()
                            .find(|(x, _)| *x == n)
                            .map(|t| t.1)
                    })
                });
                let figure = cf
                    .figure
                    .and_then(|m| crate::figures::figure(facts, m, threshold, c.training.as_ref()));
                let mut rules = Vec::new();
                ids(&mut by, &mut rules, 2);
                crate::report::Factor {
                    id: cf.id.clone(),
                    text: cf.text.clone(),
                    advice: cf.advice.clone(),
                    figure,
                    threshold,
                    rules,
                }
            }),
    );

    // Every field, as for the report.
    let Escalation {
        level: report_level,
        reasons,
    } = escalation;
    *report_level = r.level;
    reasons.clear();
    reasons.reserve(r.reasons.len());
    reasons.extend(r.reasons.iter().filter_map(|&(level, ri, ai)| {
        let rule = &c.rules[ri];
        match rule.then.get(ai) {
            Some(compiled::Action::Escalate(_, text)) => Some(Reason {
                rule: rule.id.clone(),
                level,
                text: text.clone(),
                source: rule.source.clone(),
            }),
            _ => None,
        }
    }));

    let (new_plan, new_no_plan) = match c.training.as_ref().and_then(|t| t.plan.as_ref()) {
        None => (None, None),
        Some(p) => {
            let mut steps = r.steps.iter().map(|&s| (c.steps[s].kind, &c.steps[s].id));
            let diagnosis = |d: usize| &c.diagnoses[d].id;
            let built = p.build(
                facts,
                crate::plan::Context {
                    level: r.level,
                    ranked: &r.ranked,
                    diagnosis: &diagnosis,
                    steps: &mut steps,
                },
            );
            match built {
                Ok(plan) => (Some(plan), None),
                Err(why) => (None, Some(why)),
            }
        }
    };

    *plan = new_plan;
    *no_plan = new_no_plan;
    rule_set.clone_from(&c.label);
    *load = crate::figures::figures(facts, c.training.as_ref(), c.shoe_limit);
    ids(&mut r.fired.iter().copied(), fired, r.fired.len());
}

/// A text formatted in `buf`, which keeps its memory for the next one.
fn text(buf: &mut String, args: std::fmt::Arguments<'_>) -> Text {
    use std::fmt::Write;
    buf.clear();
    let _ = buf.write_fmt(args);
    Text::from(buf.as_str())
}

/// Marks `key` in `set`; true when it was not marked before.
fn first_time(set: &mut [u64], key: u32) -> bool {
    let (word, bit) = (key as usize / 64, 1u64 << (key % 64));
    match set.get_mut(word) {
        Some(w) if *w & bit == 0 => {
            *w |= bit;
            true
        }
        Some(_) => false,
        // Keys are below the counts the set was sized by; were one not, list it.
        None => true,
    }
}

/// The facts a fired rule matched, in words.
pub(crate) fn rule_facts(c: &Compiled, facts: &Facts, rule: usize) -> Vec<Text> {
    let Some(r) = c.rules.get(rule) else {
        return Vec::new();
    };
    r.evidence
        .iter()
        .filter(|leaf| leaf.atom.eval(facts) == Tri::True)
        .map(|leaf| match &leaf.words {
            Words::Fixed(t) => t.clone(),
            Words::Number(..) => Text::from(describe(leaf.atom, facts)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::model::Assessment;
    use crate::vocab::{Level, Phase};
    use crate::vocab::{Location, Mechanism, Onset, Symptom};
    use crate::{RuleSet, RuleSetError};

    fn mini() -> RuleSet {
        RuleSet::from_ron(include_str!("../../tests/fixtures/mini.ron")).unwrap()
    }

    fn pfp() -> Assessment {
        let mut a = Assessment::new(Onset::Chronic);
        a.locations = vec![Location::AroundKneecap];
        a.present = vec![Symptom::PainOnStairs, Symptom::PainAfterProlongedSitting];
        a.training.weekly_km = vec![28.0, 30.0, 29.0, 40.0];
        a
    }

    #[test]
    fn weights_add_up_and_name_their_rules_and_facts() {
        let r = mini().evaluate(&pfp());
        assert_eq!(r.diagnoses.len(), 1);
        let d = &r.diagnoses[0];
        assert_eq!(d.id, "pfp");
        assert_eq!(d.weight, 3.0);
        assert_eq!(d.rules, vec!["pfp_sitting", "pfp_stairs"]);
        assert!(d.facts.iter().any(|f| f == "PainOnStairs"), "{:?}", d.facts);
        assert!(d.facts.iter().any(|f| f == "location AroundKneecap"));
        assert_eq!(r.escalation.level, Level::SelfCare);
        assert_eq!(r.fired, vec!["pfp_sitting", "pfp_stairs", "spike"]);
        assert_eq!(r.rule_set, "mini 1.0.0");
    }

    #[test]
    fn steps_come_in_phase_order_then_as_declared() {
        let r = mini().evaluate(&pfp());
        let ids: Vec<_> = r.steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, vec!["rest", "keep_running", "squats"]);
        assert_eq!(r.steps[2].dose.as_ref().unwrap().sets, Some(3));
    }

    #[test]
    fn factors_carry_the_runners_figure() {
        let r = mini().evaluate(&pfp());
        assert_eq!(r.factors.len(), 1);
        assert_eq!(
            r.factors[0].figure.as_deref(),
            Some(
                "this week 40 km, 38% above last week's 29 km; a 10% rise would be at most 31.9 km"
            )
        );
        assert_eq!(r.factors[0].rules, vec!["spike"]);
    }

    #[test]
    fn escalation_is_the_maximum_with_every_reason() {
        let mut a = pfp();
        a.present.push(Symptom::Fever);
        a.days_since_onset = Some(30);
        let r = mini().evaluate(&a);
        assert_eq!(r.escalation.level, Level::Emergency);
        let reasons: Vec<_> = r
            .escalation
            .reasons
            .iter()
            .map(|x| (x.rule.as_str(), x.level))
            .collect();
        assert_eq!(
            reasons,
            vec![("fever", Level::Emergency), ("long", Level::SportsMedicine)]
        );
        // At doctor level and above the report leads with the escalation and drops
        // steps that keep the runner running.
        assert_eq!(r.steps[0].id, "escalation");
        assert_eq!(r.steps[0].phase, Phase::Immediate);
        assert!(r.steps.iter().all(|s| s.id != "keep_running"));
    }

    #[test]
    fn unknown_facts_do_not_fire_rules() {
        // Age not given: the Ottawa age rule cannot fire, and nothing is guessed.
        let mut a = Assessment::new(Onset::Acute);
        a.mechanism = Some(Mechanism::Fall);
        let r = mini().evaluate(&a);
        assert!(r.fired.is_empty());
        a.age = Some(60);
        let r = mini().evaluate(&a);
        assert_eq!(r.escalation.level, Level::UrgentCare);
        assert_eq!(r.diagnoses[0].id, "fracture");
        assert!(
            r.diagnoses[0]
                .facts
                .iter()
                .any(|f| f == "age 60 (at least 55)")
        );
        // An overuse onset is not an injury, by the pattern.
        a.mechanism = Some(Mechanism::Overuse);
        assert_eq!(mini().evaluate(&a).escalation.level, Level::SelfCare);
    }

    #[test]
    fn weights_sum_the_same_whatever_the_order_of_the_rules() {
        // 0.1 + 0.2 + 0.3 != 0.3 + 0.2 + 0.1 in floating point; the report must not care.
        let set = |order: [usize; 3]| {
            let weights = [0.1, 0.2, 0.3];
            let rules: Vec<String> = order
                .iter()
                .map(|&i| {
                    format!(
                        r#"Rule(id: "r{i}", when: Has(Fever), then: [Suggest("d", {})], source: "S")"#,
                        weights[i]
                    )
                })
                .collect();
            RuleSet::from_ron(&format!(
                r#"RuleSet(name: "t", version: "1",
                diagnoses: [Diagnosis(id: "d", name: "D", source: "S")],
                rules: [{}])"#,
                rules.join(",")
            ))
            .unwrap()
        };
        let mut a = Assessment::new(Onset::Chronic);
        a.present.push(Symptom::Fever);
        let forward = set([0, 1, 2]).evaluate(&a);
        let backward = set([2, 1, 0]).evaluate(&a);
        assert_eq!(forward, backward);
        assert_eq!(forward.diagnoses[0].rules, vec!["r0", "r1", "r2"]);
    }

    #[test]
    fn a_broken_rule_file_is_refused_with_every_problem() {
        let text = include_str!("../../tests/fixtures/mini.ron")
            .replace("Suggest(\"pfp\", 1.0)", "Suggest(\"pfq\", 0.0)");
        let err = RuleSet::from_ron(&text).unwrap_err();
        let RuleSetError::Invalid(problems) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(problems.len(), 2, "{err}");
        assert!(
            problems
                .iter()
                .all(|p| p.item.as_ref().is_some_and(|i| i.id == "pfp_sitting"))
        );
        assert!(err.to_string().contains("unknown diagnosis `pfq`"), "{err}");
    }
}

#[cfg(test)]
mod pattern_tests {
    use crate::RuleSet;
    use crate::model::Assessment;
    use crate::vocab::{Onset, Symptom};

    #[test]
    fn patterns_reused_many_times_over_load_and_evaluate_at_once() {
        // Each pattern uses the one before ten times: expanded, 10^20 leaves. Validation,
        // compilation and evaluation each take a pattern once, so this is instant.
        let patterns: Vec<String> = (0..20)
            .map(|i| {
                let inner = if i == 0 {
                    "Has(Fever)".to_string()
                } else {
                    vec![format!("Is(\"p{}\")", i - 1); 10].join(", ")
                };
                format!(r#"Pattern(id: "p{i}", when: All([{inner}]))"#)
            })
            .collect();
        let text = format!(
            r#"RuleSet(name: "t", version: "1", patterns: [{}],
            rules: [Rule(id: "r", when: Is("p19"), then: [Escalate(Doctor, "fever")], source: "S")])"#,
            patterns.join(",")
        );
        let rules = RuleSet::from_ron(&text).unwrap();
        let mut a = Assessment::new(Onset::Chronic);
        assert_eq!(rules.evaluate(&a).fired, Vec::<String>::new());
        a.present.push(Symptom::Fever);
        let report = rules.evaluate(&a);
        assert_eq!(report.fired, vec!["r"]);
    }
}

//! Runs a compiled rule set on the facts of one assessment and aggregates what fired into a
//! [`Report`]. Every rule is evaluated; nothing here depends on the order of the rules.

use super::compile::{Atom, CAction, Compiled, TRUE};
use crate::facts::{Facts, Num};
use crate::model::{History, Location, Symptom};
use crate::report::{Diagnosis, Escalation, Level, Phase, Reason, Report, Step};

/// How many of the top diagnoses contribute their catalogue steps.
const DIAGNOSES_WITH_STEPS: usize = 3;

pub(crate) fn evaluate(c: &Compiled, facts: &Facts) -> Report {
    // Each pattern once, in dependency order, however many rules use it.
    let mut patterns = Vec::with_capacity(c.patterns.len());
    for p in &c.patterns {
        let value = p.eval(facts, &patterns);
        patterns.push(value);
    }
    let fired: Vec<usize> = c
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.when.eval(facts, &patterns) == TRUE)
        .map(|(i, _)| i)
        .collect();

    // (rule, weight) per diagnosis; summed below in rule-id order, because floating-point
    // addition is not associative and the result must not depend on the order of the file.
    let mut suggested_by: Vec<Vec<(usize, f64)>> = vec![Vec::new(); c.diagnoses.len()];
    let mut step_wanted = vec![false; c.steps.len()];
    let mut factor_rules: Vec<Vec<usize>> = vec![Vec::new(); c.factors.len()];
    let mut escalation = Escalation::default();

    for &ri in &fired {
        let rule = &c.rules[ri];
        for action in &rule.then {
            match action {
                CAction::Suggest(d, w) => suggested_by[*d].push((ri, *w)),
                CAction::Recommend(steps) => {
                    for &s in steps {
                        step_wanted[s] = true;
                    }
                }
                CAction::Escalate(level, text) => {
                    // Maximum, never assignment: no rule can lower what another raised.
                    escalation.level = escalation.level.max(*level);
                    escalation.reasons.push(Reason {
                        rule: rule.id.clone(),
                        level: *level,
                        text: text.clone(),
                        source: rule.source.clone(),
                    });
                }
                CAction::Factor(f) => factor_rules[*f].push(ri),
            }
        }
    }

    for contributions in &mut suggested_by {
        contributions.sort_by(|a, b| c.rules[a.0].id.cmp(&c.rules[b.0].id));
    }
    let weight: Vec<f64> = suggested_by
        .iter()
        .map(|v| v.iter().map(|(_, w)| w).sum())
        .collect();

    // Differential: by weight, ties by id, so the rule order cannot matter.
    let mut order: Vec<usize> = (0..c.diagnoses.len())
        .filter(|&d| !suggested_by[d].is_empty())
        .collect();
    order.sort_by(|&a, &b| {
        weight[b]
            .total_cmp(&weight[a])
            .then_with(|| c.diagnoses[a].id.cmp(&c.diagnoses[b].id))
    });
    let rule_ids = |rules: &[usize]| {
        let mut ids: Vec<String> = rules.iter().map(|&r| c.rules[r].id.clone()).collect();
        ids.sort();
        ids.dedup();
        ids
    };
    let diagnoses = order
        .iter()
        .map(|&d| {
            let rules: Vec<usize> = suggested_by[d].iter().map(|(r, _)| *r).collect();
            let mut facts_behind: Vec<String> = Vec::new();
            for &r in &rules {
                for atom in &c.rules[r].evidence {
                    if atom.eval(facts) == TRUE {
                        let text = describe(*atom, facts);
                        if !facts_behind.contains(&text) {
                            facts_behind.push(text);
                        }
                    }
                }
            }
            let diag = &c.diagnoses[d];
            Diagnosis {
                id: diag.id.clone(),
                name: diag.name.clone(),
                weight: weight[d],
                rules: rule_ids(&rules),
                facts: facts_behind,
                source: diag.source.clone(),
            }
        })
        .collect();

    for &d in order.iter().take(DIAGNOSES_WITH_STEPS) {
        for &s in &c.diagnoses[d].steps {
            step_wanted[s] = true;
        }
    }
    let serious = escalation.level >= Level::Doctor;
    let mut steps: Vec<(Phase, usize, Step)> = c
        .steps
        .iter()
        .enumerate()
        .filter(|(i, s)| step_wanted[*i] && !(serious && s.keeps_running))
        .map(|(i, s)| {
            let step = Step {
                id: s.id.clone(),
                phase: s.phase,
                text: s.text.clone(),
                dose: s.dose.clone(),
            };
            (s.phase, i, step)
        })
        .collect();
    steps.sort_by_key(|(phase, i, _)| (*phase, *i));
    let mut steps: Vec<Step> = steps.into_iter().map(|(_, _, s)| s).collect();
    if serious {
        steps.insert(
            0,
            Step {
                id: crate::report::ESCALATION_STEP.to_owned(),
                phase: Phase::Immediate,
                text: escalation.level.action().to_owned(),
                dose: None,
            },
        );
    }

    let factors = c
        .factors
        .iter()
        .zip(&factor_rules)
        .filter(|(_, rules)| !rules.is_empty())
        .map(|(f, rules)| crate::report::Factor {
            id: f.id.clone(),
            text: f.text.clone(),
            advice: f.advice.clone(),
            figure: f.figure.and_then(|m| facts.figure(m)),
            rules: rule_ids(rules),
        })
        .collect();

    escalation
        .reasons
        .sort_by(|a, b| b.level.cmp(&a.level).then_with(|| a.rule.cmp(&b.rule)));

    Report {
        rule_set: c.label.clone(),
        diagnoses,
        escalation,
        steps,
        factors,
        fired: rule_ids(&fired),
    }
}

/// A true leaf in words, with the runner's number where there is one.
fn describe(atom: Atom, f: &Facts) -> String {
    fn named<T: Copy>(
        all: &[T],
        mask: u64,
        name: fn(T) -> &'static str,
        idx: fn(T) -> usize,
    ) -> &'static str {
        all.iter()
            .find(|x| mask & (1 << idx(**x)) != 0)
            .map_or("?", |x| name(*x))
    }
    match atom {
        Atom::Symptom(m) => named(Symptom::ALL, m, Symptom::name, Symptom::index).to_owned(),
        Atom::Location(m) => format!(
            "location {}",
            named(Location::ALL, u64::from(m), Location::name, Location::index)
        ),
        Atom::History(m) => format!(
            "history {}",
            named(History::ALL, u64::from(m), History::name, History::index)
        ),
        Atom::Onset(o) => format!("onset {o}"),
        Atom::Mechanism(m) => format!("mechanism {m}"),
        Atom::Sex(s) => format!("sex {s}"),
        Atom::Number(n, cmp) => match f.number(n) {
            Some(x) => format!("{} {} ({cmp})", n.label(), round(x)),
            None => n.label().to_owned(),
        },
        Atom::Downhill => "downhill running".to_owned(),
        Atom::IntensityIncreased => "intensity increased".to_owned(),
        Atom::NewToRunning => "new to running".to_owned(),
        Atom::Surface(s) => format!("surface {s}"),
        Atom::Missing(field) => format!("{} not given", field_label(field)),
    }
}

fn field_label(field: crate::rules::Field) -> &'static str {
    use crate::rules::Field;
    match field {
        Field::Sex => "sex",
        Field::Mechanism => "mechanism",
        Field::Age => Num::Age.label(),
        Field::DaysSinceOnset => Num::DaysSinceOnset.label(),
        Field::PainScore => Num::PainScore.label(),
        Field::Bmi => Num::Bmi.label(),
        Field::WeeklyKm => Num::WeeklyKm.label(),
        Field::WeeklyIncreasePct => Num::WeeklyIncreasePct.label(),
        Field::Acwr => Num::Acwr.label(),
        Field::ShoeKm => Num::ShoeKm.label(),
    }
}

fn round(x: f64) -> String {
    let r = (x * 100.0).round() / 100.0;
    format!("{r}")
}

#[cfg(test)]
mod tests {
    use crate::model::{Assessment, Location, Mechanism, Onset, Symptom};
    use crate::report::{Level, Phase};
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
        assert!(
            d.facts.contains(&"PainOnStairs".to_string()),
            "{:?}",
            d.facts
        );
        assert!(d.facts.contains(&"location AroundKneecap".to_string()));
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
            Some("this week 40 km against 29 km the week before: +38%")
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
                .contains(&"age 60 (at least 55)".to_string())
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
    use crate::model::{Assessment, Onset, Symptom};

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

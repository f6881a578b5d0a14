//! A proptest strategy for random rule sets: patterns (each using only those before it),
//! rules with `All`, `Any`, `Not`, `AtLeast`, numeric tests and `Missing`, over a few values of
//! each vocabulary so that rules and assessments meet often. Sets may break validation rules
//! (a condition that can never hold, an escalation under `Not`); callers drop what is refused.

#![allow(dead_code)] // each includer uses part of it

use patella::rules::{
    Action, Cmp, Condition, DiagnosisDef, Field, PatternDef, Rule, RuleSetSource, StepDef,
};
use patella::{History, Level, Location, Mechanism, Onset, Sex, Surface, Symptom};
use proptest::prelude::*;

use super::strategies::pick;

/// A few values of each vocabulary, so that random rules and assessments meet often.
pub const SYMPTOMS: &[Symptom] = &[
    Symptom::PainOnStairs,
    Symptom::Swelling,
    Symptom::Fever,
    Symptom::GivingWay,
    Symptom::Locking,
    Symptom::NightPain,
];
pub const LOCATIONS: &[Location] = &[
    Location::AroundKneecap,
    Location::OuterKnee,
    Location::InnerJointLine,
];

pub const FIELDS: &[Field] = &[
    Field::Age,
    Field::Sex,
    Field::Mechanism,
    Field::WeeklyKm,
    Field::Acwr,
    Field::PainScore,
    Field::LongestRunIncreasePct,
];

fn cmp(lo: f64, hi: f64) -> impl Strategy<Value = Cmp> {
    let t = lo..=hi;
    prop_oneof![
        t.clone().prop_map(Cmp::Above),
        t.clone().prop_map(Cmp::AtLeast),
        t.clone().prop_map(Cmp::Below),
        t.clone().prop_map(Cmp::AtMost),
        (t.clone(), t).prop_map(|(a, b)| Cmp::Between(a.min(b), a.max(b))),
    ]
}

fn leaf(patterns: usize) -> BoxedStrategy<Condition> {
    // Weighted like real rules: mostly symptoms, then locations, then the rest.
    let mut options: Vec<(u32, BoxedStrategy<Condition>)> = vec![
        (8, pick(SYMPTOMS).prop_map(Condition::Has).boxed()),
        (3, pick(LOCATIONS).prop_map(Condition::Location).boxed()),
        (1, pick(Onset::ALL).prop_map(Condition::Onset).boxed()),
        (
            1,
            pick(&Mechanism::ALL[..4])
                .prop_map(Condition::Mechanism)
                .boxed(),
        ),
        (
            1,
            pick(&History::ALL[..3])
                .prop_map(Condition::History)
                .boxed(),
        ),
        (1, pick(Sex::ALL).prop_map(Condition::Sex).boxed()),
        (1, pick(Surface::ALL).prop_map(Condition::Surface).boxed()),
        (1, cmp(10.0, 80.0).prop_map(Condition::Age).boxed()),
        (1, cmp(0.0, 10.0).prop_map(Condition::PainScore).boxed()),
        (1, cmp(0.0, 80.0).prop_map(Condition::WeeklyKm).boxed()),
        (
            1,
            cmp(-50.0, 100.0)
                .prop_map(Condition::WeeklyIncreasePct)
                .boxed(),
        ),
        (1, cmp(0.5, 2.0).prop_map(Condition::Acwr).boxed()),
        (
            1,
            cmp(-50.0, 100.0)
                .prop_map(Condition::LongestRunIncreasePct)
                .boxed(),
        ),
        (1, Just(Condition::Downhill).boxed()),
        (1, Just(Condition::NewToRunning).boxed()),
        (1, pick(FIELDS).prop_map(Condition::Missing).boxed()),
    ];
    if patterns > 0 {
        let is = (0..patterns).prop_map(|i| Condition::Is(format!("p{i}")));
        options.push((2, is.boxed()));
    }
    proptest::strategy::Union::new_weighted(options).boxed()
}

pub fn condition(patterns: usize) -> impl Strategy<Value = Condition> {
    leaf(patterns).prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 1..4).prop_map(Condition::All),
            proptest::collection::vec(inner.clone(), 1..4).prop_map(Condition::Any),
            inner.clone().prop_map(|c| Condition::Not(Box::new(c))),
            proptest::collection::vec(inner, 1..4)
                .prop_flat_map(|l| (1..=l.len() as u32, Just(l)))
                .prop_map(|(n, l)| Condition::AtLeast(n, l)),
        ]
    })
}

fn action(diagnoses: usize, steps: usize) -> impl Strategy<Value = Action> {
    prop_oneof![
        4 => (0..diagnoses, 1u32..=8).prop_map(|(d, w)| Action::Suggest(format!("d{d}"), f64::from(w) * 0.25)),
        1 => proptest::collection::vec(0..steps, 1..3)
            .prop_map(|s| Action::Recommend(s.into_iter().map(|i| format!("s{i}")).collect())),
        1 => pick(Level::ALL).prop_map(|l| Action::Escalate(l, "Reason.".to_owned())),
        1 => Just(Action::Factor("f0".to_owned())),
        1 => (proptest::collection::vec(0..steps, 0..2), any::<bool>()).prop_map(|(s, tag)| Action::Withhold {
            steps: s.into_iter().map(|i| format!("s{i}")).collect(),
            // Every set tags step 0 with `t0`, so a Withhold always names something.
            tags: if tag { vec!["t0".to_owned()] } else { vec!["t0".to_owned(), "t1".to_owned()] },
            reason: "Reason.".to_owned(),
        }),
    ]
}

/// A rule set of random patterns (each using only those before it) and rules.
pub fn rule_set() -> impl Strategy<Value = RuleSetSource> {
    let (diagnoses, steps, patterns) = (6, 6, 3);
    let pattern_defs: Vec<BoxedStrategy<PatternDef>> = (0..patterns)
        .map(|i| {
            condition(i)
                .prop_map(move |when| PatternDef {
                    id: format!("p{i}"),
                    when,
                    note: None,
                })
                .boxed()
        })
        .collect();
    let rules = proptest::collection::vec(
        (
            condition(patterns),
            proptest::collection::vec(action(diagnoses, steps), 1..3),
        ),
        1..24,
    );
    (
        pattern_defs,
        rules,
        proptest::collection::vec(any::<bool>(), steps),
    )
        .prop_map(move |(patterns, rules, keeps)| {
            let mut src: RuleSetSource =
                ron::from_str(r#"RuleSet(name: "random", version: "1")"#).expect("empty set");
            src.patterns = patterns;
            src.diagnoses = (0..diagnoses)
                .map(|d| {
                    ron::from_str::<DiagnosisDef>(&format!(
                        r#"Diagnosis(id: "d{d}", name: "D{d}", source: "S", steps: ["s{d}"])"#
                    ))
                    .expect("diagnosis")
                })
                .collect();
            src.steps = (0..steps)
                .map(|s| {
                    let mut step: StepDef = ron::from_str(&format!(
                        r#"Step(id: "s{s}", phase: {}, text: "Step {s}.")"#,
                        ["Immediate", "ShortTerm", "LongTerm"][s % 3]
                    ))
                    .expect("step");
                    step.keeps_running = keeps[s];
                    // Tags to withhold by; a step shown only with a symptom present; a
                    // stricter step superseding the next one.
                    step.tags = vec![format!("t{}", s % 2)];
                    if s == 4 {
                        step.when = Some(Condition::Has(SYMPTOMS[0]));
                    }
                    if s == 2 {
                        step.overrides = vec!["s3".to_owned()];
                    }
                    if s == 5 {
                        step.below = Some(Level::UrgentCare);
                    }
                    step
                })
                .collect();
            // A diagnosis with contraindications.
            src.diagnoses[1].withhold =
                Some(ron::from_str(r#"(steps: ["s0"], reason: "Reason.")"#).expect("withhold"));
            src.factors = vec![
                ron::from_str(r#"Factor(id: "f0", text: "F.", advice: "A.")"#).expect("factor"),
            ];
            src.rules = rules
                .into_iter()
                .enumerate()
                .map(|(i, (when, then))| Rule {
                    id: format!("r{i:02}"),
                    when,
                    then,
                    source: "S".to_owned(),
                    note: None,
                })
                .collect();
            src
        })
}

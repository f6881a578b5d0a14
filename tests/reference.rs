//! Differential testing: the compiled evaluator (bit masks, fused tests, a rule index that
//! skips rules, patterns computed once) must give the same answer as this plain tree-walking
//! evaluator, written from the rule language's definition and sharing no code with the crate's
//! engine. Checked on the default rule set and on random rule sets, with random assessments.

#[path = "support/rule_sets.rs"]
mod rule_sets;
#[path = "support/strategies.rs"]
mod strategies;

use std::collections::{BTreeMap, BTreeSet};

use patella::rules::{Action, Cmp, Condition, Field, Rule, RuleSetSource};
use patella::{Assessment, Level, Mechanism, Onset, Phase, Report, RuleSet, RuleSetError, Symptom};
use proptest::prelude::*;
use rule_sets::{SYMPTOMS, rule_set};
use strategies::{assessment, option, pick};

// ---------------------------------------------------------------------------------------
// The reference evaluator.

/// Kleene's three values, as the rule language defines them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum T {
    False,
    Unknown,
    True,
}

fn known(b: bool) -> T {
    if b { T::True } else { T::False }
}

fn maybe(b: Option<bool>) -> T {
    b.map_or(T::Unknown, known)
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Derived figures compare at nine decimal places, so that 7.0 km to 7.7 km is 10% exactly.
fn snap(x: f64) -> f64 {
    if x.abs() < 1e6 {
        (x * 1e9).round() / 1e9
    } else {
        x
    }
}

/// The numbers a condition can compare, straight from the assessment.
fn number(a: &Assessment, c: &Condition) -> Option<f64> {
    let weeks = &a.training.weekly_km;
    let current = weeks.last().copied().and_then(finite);
    let previous = if weeks.len() >= 2 {
        finite(weeks[weeks.len() - 2])
    } else {
        None
    };
    // The four weeks (at most) before the current one.
    let before: Vec<f64> = weeks
        .iter()
        .rev()
        .skip(1)
        .take(4)
        .copied()
        .collect::<Vec<_>>();
    let mean = if before.is_empty() {
        None
    } else {
        finite(before.iter().sum::<f64>() / before.len() as f64)
    };
    let ratio = |n: Option<f64>, d: Option<f64>| match (n, d) {
        // A base under 0.1 km is no distance to compare with.
        (Some(n), Some(d)) if d >= 0.1 => finite(n / d),
        _ => None,
    };
    // The week-to-week change as the policy reads it: any week after a week of no running is
    // an increase above every threshold; otherwise the exact change, however small the base.
    let weekly_change = match (current, previous) {
        (Some(c), Some(p)) if p > 0.0 => {
            Some(finite((c / p - 1.0) * 100.0).map_or(f64::INFINITY, snap))
        }
        (Some(c), Some(_)) if c > 0.0 => Some(f64::INFINITY),
        _ => None,
    };
    // The longest run against the longest of the four weeks before it; one unusable week
    // leaves it unknown.
    let runs = &a.training.longest_run_km;
    let longest = runs.last().copied().and_then(finite);
    let earlier: Vec<Option<f64>> = runs
        .iter()
        .rev()
        .skip(1)
        .take(4)
        .map(|&x| finite(x))
        .collect();
    let longest_before = if earlier.is_empty() || earlier.contains(&None) {
        None
    } else {
        earlier.into_iter().flatten().reduce(f64::max)
    };
    match c {
        Condition::Age(_) => a.age.map(f64::from),
        Condition::DaysSinceOnset(_) => a.days_since_onset.map(f64::from),
        Condition::PainScore(_) => a.pain_score.map(f64::from),
        Condition::Bmi(_) => a.bmi.and_then(finite),
        Condition::WeeklyKm(_) => current,
        Condition::WeeklyIncreasePct(_) => weekly_change,
        Condition::Acwr(_) => ratio(current, mean).map(snap),
        Condition::ShoeKm(_) => a.training.shoe_km.and_then(finite),
        Condition::LongestRunIncreasePct(_) => {
            ratio(longest, longest_before).map(|r| snap((r - 1.0) * 100.0))
        }
        _ => None,
    }
}

fn compare(cmp: Cmp, x: f64) -> bool {
    match cmp {
        Cmp::Above(t) => x > t,
        Cmp::AtLeast(t) => x >= t,
        Cmp::Below(t) => x < t,
        Cmp::AtMost(t) => x <= t,
        Cmp::Between(lo, hi) => lo <= x && x <= hi,
        other => panic!("the reference evaluator does not know {other:?}"),
    }
}

fn missing(a: &Assessment, f: Field) -> bool {
    let probe = |c: Condition| number(a, &c).is_none();
    let any = Cmp::AtLeast(0.0);
    match f {
        Field::Age => probe(Condition::Age(any)),
        Field::Sex => a.sex.is_none(),
        Field::DaysSinceOnset => probe(Condition::DaysSinceOnset(any)),
        Field::PainScore => probe(Condition::PainScore(any)),
        Field::Bmi => probe(Condition::Bmi(any)),
        Field::Mechanism => a.mechanism.is_none(),
        Field::WeeklyKm => probe(Condition::WeeklyKm(any)),
        Field::WeeklyIncreasePct => probe(Condition::WeeklyIncreasePct(any)),
        Field::Acwr => probe(Condition::Acwr(any)),
        Field::ShoeKm => probe(Condition::ShoeKm(any)),
        Field::LongestRunIncreasePct => probe(Condition::LongestRunIncreasePct(any)),
        other => panic!("the reference evaluator does not know {other:?}"),
    }
}

fn eval(src: &RuleSetSource, a: &Assessment, c: &Condition) -> T {
    match c {
        Condition::All(l) => l.iter().map(|x| eval(src, a, x)).min().unwrap_or(T::True),
        Condition::Any(l) => l.iter().map(|x| eval(src, a, x)).max().unwrap_or(T::False),
        Condition::Not(x) => match eval(src, a, x) {
            T::True => T::False,
            T::False => T::True,
            T::Unknown => T::Unknown,
        },
        Condition::AtLeast(n, l) => {
            let values: Vec<T> = l.iter().map(|x| eval(src, a, x)).collect();
            let yes = values.iter().filter(|v| **v == T::True).count();
            let maybe = values.iter().filter(|v| **v == T::Unknown).count();
            let n = *n as usize;
            if yes >= n {
                T::True
            } else if yes + maybe >= n {
                T::Unknown
            } else {
                T::False
            }
        }
        Condition::Is(id) => {
            let p = src
                .patterns
                .iter()
                .find(|p| &p.id == id)
                .expect("known pattern");
            eval(src, a, &p.when)
        }
        // Listed in both (refused by validation) counts as present.
        Condition::Has(s) if a.present.contains(s) => T::True,
        Condition::Has(s) if a.absent.contains(s) => T::False,
        Condition::Has(_) => T::Unknown,
        Condition::Location(_) if a.locations.is_empty() => T::Unknown,
        Condition::Location(l) => known(a.locations.contains(l)),
        Condition::Onset(o) => known(a.onset == *o),
        Condition::Mechanism(m) => maybe(a.mechanism.map(|x| x == *m)),
        Condition::History(h) => known(a.history.contains(h)),
        Condition::Sex(s) => maybe(a.sex.map(|x| x == *s)),
        Condition::Downhill => maybe(a.training.downhill),
        Condition::IntensityIncreased => maybe(a.training.intensity_increased),
        Condition::NewToRunning => maybe(a.training.new_to_running),
        Condition::Surface(s) => maybe(a.training.surface.map(|x| x == *s)),
        Condition::Missing(f) => known(missing(a, *f)),
        Condition::Age(cmp)
        | Condition::DaysSinceOnset(cmp)
        | Condition::PainScore(cmp)
        | Condition::Bmi(cmp)
        | Condition::WeeklyKm(cmp)
        | Condition::WeeklyIncreasePct(cmp)
        | Condition::Acwr(cmp)
        | Condition::ShoeKm(cmp)
        | Condition::LongestRunIncreasePct(cmp) => maybe(number(a, c).map(|x| compare(*cmp, x))),
        other => panic!("the reference evaluator does not know {other:?}"),
    }
}

/// What the reference concludes: the parts of a report that rules decide.
#[derive(Debug, PartialEq)]
struct Answer {
    level: Level,
    fired: Vec<String>,
    /// (id, weight), most likely first.
    diagnoses: Vec<(String, f64)>,
    steps: Vec<String>,
    factors: Vec<String>,
    reasons: Vec<(Level, String)>,
}

fn reference(src: &RuleSetSource, a: &Assessment) -> Answer {
    // Rules in id order: the order in which weights are added up.
    let mut rules: Vec<&Rule> = src.rules.iter().collect();
    rules.sort_by(|x, y| x.id.cmp(&y.id));
    let fired: Vec<&Rule> = rules
        .into_iter()
        .filter(|r| eval(src, a, &r.when) == T::True)
        .collect();

    let mut level = Level::SelfCare;
    let mut weights: BTreeMap<&str, f64> = BTreeMap::new();
    let mut recommended: BTreeSet<&str> = BTreeSet::new();
    let mut factors: BTreeSet<&str> = BTreeSet::new();
    let mut reasons = Vec::new();
    for r in &fired {
        for action in &r.then {
            match action {
                Action::Suggest(d, w) => *weights.entry(d).or_insert(0.0) += w,
                Action::Recommend(ids) => recommended.extend(ids.iter().map(String::as_str)),
                Action::Escalate(l, _) => {
                    level = level.max(*l);
                    reasons.push((*l, r.id.clone()));
                }
                Action::Factor(f) => {
                    factors.insert(f);
                }
                Action::Withhold { .. } => {}
                other => panic!("the reference evaluator does not know {other:?}"),
            }
        }
    }
    reasons.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    let mut diagnoses: Vec<(String, f64)> = weights
        .into_iter()
        .map(|(d, w)| (d.to_owned(), w))
        .collect();
    diagnoses.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));

    for (d, _) in diagnoses.iter().take(3) {
        let def = src
            .diagnoses
            .iter()
            .find(|x| &x.id == d)
            .expect("known diagnosis");
        recommended.extend(def.steps.iter().map(String::as_str));
    }
    // Left out: what a fired rule or a leading diagnosis withholds, what the level rules out,
    // what its own condition does not allow, and what a stricter step shown beside it
    // supersedes.
    let mut withheld: BTreeSet<&str> = BTreeSet::new();
    let mut withhold = |ids: &[String], tags: &[String]| {
        for s in &src.steps {
            if ids.contains(&s.id) || s.tags.iter().any(|t| tags.contains(t)) {
                withheld.insert(s.id.as_str());
            }
        }
    };
    for r in &fired {
        for action in &r.then {
            if let Action::Withhold { steps, tags, .. } = action {
                withhold(steps, tags);
            }
        }
    }
    for (d, _) in diagnoses.iter().take(3) {
        let def = src.diagnoses.iter().find(|x| &x.id == d).expect("known");
        if let Some(w) = &def.withhold {
            withhold(&w.steps, &w.tags);
        }
    }
    for s in &src.steps {
        let below = match (s.below, s.keeps_running) {
            (Some(b), true) => Some(b.min(Level::Doctor)),
            (None, true) => Some(Level::Doctor),
            (b, false) => b,
        };
        let late = matches!(s.phase, Phase::LongTerm | Phase::Prevention);
        let condition = s.when.as_ref().is_none_or(|w| eval(src, a, w) == T::True);
        if below.is_some_and(|b| level >= b) || (level >= Level::UrgentCare && late) || !condition {
            withheld.insert(s.id.as_str());
        }
    }
    let shown_before: Vec<&str> = src
        .steps
        .iter()
        .filter(|s| recommended.contains(s.id.as_str()) && !withheld.contains(s.id.as_str()))
        .map(|s| s.id.as_str())
        .collect();
    for s in &src.steps {
        if shown_before.contains(&s.id.as_str()) {
            withheld.extend(s.overrides.iter().map(String::as_str));
        }
    }
    let serious = level >= Level::Doctor;
    let mut steps: Vec<(Phase, usize, String)> = src
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| recommended.contains(s.id.as_str()) && !withheld.contains(s.id.as_str()))
        .map(|(i, s)| (s.phase, i, s.id.clone()))
        .collect();
    steps.sort();
    let mut steps: Vec<String> = steps.into_iter().map(|(_, _, id)| id).collect();
    if serious {
        steps.insert(0, "escalation".to_owned());
    }
    Answer {
        level,
        fired: fired.iter().map(|r| r.id.clone()).collect(),
        diagnoses,
        steps,
        factors: src
            .factors
            .iter()
            .filter(|f| factors.contains(f.id.as_str()))
            .filter(|f| !(f.training && level >= Level::UrgentCare))
            .map(|f| f.id.clone())
            .collect(),
        reasons,
    }
}

fn answer_of(r: &Report) -> Answer {
    Answer {
        level: r.escalation.level,
        fired: r.fired.iter().map(|t| t.to_string()).collect(),
        diagnoses: r
            .diagnoses
            .iter()
            .map(|d| (d.id.to_string(), d.weight))
            .collect(),
        steps: r.steps.iter().map(|s| s.id.to_string()).collect(),
        factors: r.factors.iter().map(|f| f.id.to_string()).collect(),
        reasons: r
            .escalation
            .reasons
            .iter()
            .map(|x| (x.level, x.rule.to_string()))
            .collect(),
    }
}

/// Builds the set, dropping what validation refuses (a rule that can never fire, an escalation
/// under `Not`, a pattern that can never hold): what is left is a valid random set.
fn valid(mut src: RuleSetSource) -> Option<(RuleSetSource, RuleSet)> {
    for _ in 0..3 {
        match RuleSet::from_source(src.clone()) {
            Ok(set) => return Some((src, set)),
            Err(RuleSetError::Invalid(problems)) => {
                // The errors (warnings come after them and do not stop a load).
                let bad: BTreeSet<String> = problems
                    .iter()
                    .filter(|p| p.is_error())
                    .filter_map(|p| p.item.as_ref().map(|i| i.id.clone()))
                    .collect();
                // A refused pattern takes its users with it.
                src.rules.retain(|r| !bad.contains(&r.id));
                if src.patterns.iter().any(|p| bad.contains(&p.id)) {
                    return None;
                }
            }
            Err(_) => return None,
        }
    }
    None
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// The default rule set: the compiled evaluator and the reference agree on everything the
    /// rules decide.
    #[test]
    fn the_default_set_agrees_with_the_reference(a in assessment()) {
        let rules = RuleSet::default();
        prop_assert_eq!(answer_of(&rules.evaluate(&a)), reference(rules.source(), &a));
    }
}

/// Random rule sets, each tried on sixteen random assessments. Run by hand rather than
/// through `proptest!` so that the test can also prove it was not vacuous: most random sets
/// must survive validation, and their rules must fire.
#[test]
fn random_sets_agree_with_the_reference() {
    use proptest::test_runner::{Config, TestRunner};
    use std::cell::Cell;
    let (sets, valid_sets, fired) = (Cell::new(0), Cell::new(0), Cell::new(0));
    let strategy = (
        rule_set(),
        proptest::collection::vec(assessment(), 16),
        option(pick(SYMPTOMS)),
    );
    let mut runner = TestRunner::new(Config {
        cases: 500,
        ..Config::default()
    });
    let result = runner.run(&strategy, |(src, assessments, extra)| {
        sets.set(sets.get() + 1);
        let Some((src, set)) = valid(src) else {
            return Ok(());
        };
        valid_sets.set(valid_sets.get() + 1);
        for mut a in assessments {
            // Lean the assessments toward the few symptoms the random rules test.
            if let Some(s) = extra
                && !a.absent.contains(&s)
                && !a.present.contains(&s)
            {
                a.present.push(s);
            }
            let report = set.evaluate(&a);
            fired.set(fired.get() + report.fired.len());
            prop_assert_eq!(answer_of(&report), reference(&src, &a), "{:?}", a);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(
        valid_sets.get() * 10 >= sets.get() * 8,
        "only {} of {} random sets were valid",
        valid_sets.get(),
        sets.get()
    );
    assert!(
        fired.get() >= sets.get() * 16,
        "rules rarely fired: {}",
        fired.get()
    );
}

/// Found in review: a rule asking for two onsets, one of them inside an `Any`, passes
/// validation (the analysis does not look into `Any`) and must still never fire. The needs of
/// such a rule hold one onset; the other onset's test must stay in the tree.
#[test]
fn two_onsets_one_inside_any_never_fire() {
    let text = r#"RuleSet(name: "t", version: "1",
        diagnoses: [Diagnosis(id: "d", name: "D", source: "S", steps: ["s"])],
        steps: [Step(id: "s", phase: Immediate, text: "Rest.")],
        rules: [
            Rule(id: "onsets", when: All([Any([All([Onset(Acute), Has(Swelling)]), All([Onset(Acute), Has(Locking)])]), Onset(Chronic)]), then: [Suggest("d", 1.0)], source: "S"),
            Rule(id: "mechanisms", when: All([Any([All([Mechanism(Twisting), Has(Swelling)]), All([Mechanism(Twisting), Has(Locking)])]), Mechanism(DirectBlow)]), then: [Suggest("d", 1.0)], source: "S"),
        ])"#;
    let set = RuleSet::from_ron(text).expect("accepted: the conflict hides in an Any");
    for onset in Onset::ALL {
        for mechanism in [Mechanism::Twisting, Mechanism::DirectBlow] {
            let mut a = Assessment::new(*onset);
            a.mechanism = Some(mechanism);
            a.present = vec![Symptom::Swelling, Symptom::Locking];
            let report = set.evaluate(&a);
            assert!(
                report.fired.is_empty(),
                "{:?} fired for {a:?}",
                report.fired
            );
            assert_eq!(answer_of(&report), reference(set.source(), &a));
        }
    }
}

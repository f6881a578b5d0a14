//! Properties of evaluation on the default rule set, searched for counterexamples by proptest.

#[path = "support/strategies.rs"]
mod strategies;

use patella::{Assessment, Level, RuleSet, Symptom};
use proptest::prelude::*;
use proptest::sample::subsequence;
use strategies::{assessment, pick};

/// Numbers no validated assessment holds: NaN, infinities, negatives, huge values.
fn wild_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(-0.0),
        Just(f64::MAX),
        Just(f64::MIN_POSITIVE),
        any::<f64>(),
    ]
}

/// Assessments that `validate` refuses, as a program could still build them in code.
fn invalid_assessment() -> impl Strategy<Value = Assessment> {
    (
        assessment(),
        any::<u32>(),
        any::<u8>(),
        proptest::collection::vec(wild_f64(), 0..40),
        wild_f64(),
        wild_f64(),
        subsequence(Symptom::ALL.to_vec(), 0..6),
    )
        .prop_map(|(mut a, age, pain, weeks, shoe, bmi, both)| {
            a.age = Some(age);
            a.pain_score = Some(pain);
            a.training.weekly_km = weeks;
            a.training.shoe_km = Some(shoe);
            a.bmi = Some(bmi);
            a.present.extend(both.iter().copied());
            a.absent.extend(both);
            a
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Evaluation never panics, whatever a program puts in an assessment.
    #[test]
    fn evaluation_never_panics_on_invalid_assessments(a in invalid_assessment()) {
        let report = RuleSet::default().evaluate(&a);
        // A symptom listed both ways counts as present: fever alone is enough to see that.
        if a.present.contains(&Symptom::Fever) && a.present.contains(&Symptom::HotRedKnee) {
            prop_assert_eq!(report.escalation.level, Level::Emergency);
        }
    }

    /// Adding a symptom to `present`, from unknown or from absent, never lowers the level.
    #[test]
    fn adding_a_symptom_never_lowers_escalation(a in assessment(), s in pick(Symptom::ALL)) {
        let rules = RuleSet::default();
        let before = rules.evaluate(&a).escalation.level;
        let mut b = a.clone();
        b.absent.retain(|x| *x != s);
        if !b.present.contains(&s) {
            b.present.push(s);
        }
        let after = rules.evaluate(&b).escalation.level;
        prop_assert!(after >= before, "{s:?}: {before:?} -> {after:?}");
    }

    /// At doctor level and above, no step tells the runner to keep running.
    #[test]
    fn serious_reports_lead_with_the_escalation(a in assessment()) {
        let rules = RuleSet::default();
        let report = rules.evaluate(&a);
        if report.escalation.level >= Level::Doctor {
            prop_assert_eq!(report.steps[0].id.as_str(), "escalation");
            let keep: Vec<&str> = rules.source().steps.iter()
                .filter(|s| s.keeps_running).map(|s| s.id.as_str()).collect();
            prop_assert!(report.steps.iter().all(|s| !keep.contains(&s.id.as_str())));
        }
    }

    /// A report built in the memory of others is the report built afresh: nothing of the
    /// earlier ones is left in it, whatever they held, and from whichever rule set.
    #[test]
    fn a_report_built_in_place_is_the_report_built_afresh(
        list in prop::collection::vec(assessment(), 2..6),
    ) {
        let rules = RuleSet::default();
        let other = RuleSet::from_ron(include_str!("fixtures/mini.ron")).unwrap();
        let mut report = other.evaluate(&list[0]);
        for a in &list {
            rules.evaluate_in_place(a, &mut report);
            prop_assert_eq!(&report, &rules.evaluate(a));
        }
        other.evaluate_in_place(&list[0], &mut report);
        prop_assert_eq!(&report, &other.evaluate(&list[0]));
    }

    #[test]
    fn reports_round_trip_through_json(a in assessment()) {
        let report = RuleSet::default().evaluate(&a);
        let json = serde_json::to_string(&report).unwrap();
        let back: patella::Report = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, report);
        let json = serde_json::to_string(&a).unwrap();
        let back: Assessment = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, a);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The report does not depend on the order of rules or patterns in the file.
    #[test]
    fn the_order_of_rules_does_not_matter(
        a in assessment(),
        seed in any::<u64>(),
    ) {
        let rules = RuleSet::default();
        let mut src = rules.source().clone();
        shuffle(&mut src.rules, seed);
        shuffle(&mut src.patterns, seed.rotate_left(17));
        let shuffled = RuleSet::from_source(src).unwrap();
        prop_assert_eq!(shuffled.evaluate(&a), rules.evaluate(&a));
    }
}

/// A Fisher-Yates shuffle driven by a small xorshift generator, so the property needs no
/// extra dependency and each failing seed replays.
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut x = seed | 1;
    for i in (1..items.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let j = (x % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

//! The escalation policy, version 2 (`docs/POLICY.md`), written a second time in plain Rust
//! straight from its table, sharing nothing with the rule file: the default set must give
//! exactly the level of the table on random assessments, and every line id of the table must be
//! named by the notes of the rules that implement it.
//!
//! The assessments lean toward the findings the table tests and toward the edges of its
//! thresholds (ages 11, 12, 16, 25, 50, 55; days 7, 8, 14, 15; a week exactly 10% up), so that
//! each line is reached often, alone and in company.

#[path = "support/strategies.rs"]
mod strategies;

use patella::rules::Action;
use patella::{Assessment, History, Level, Location, Mechanism, Onset, RuleSet, Sex, Symptom};
use proptest::prelude::*;
use proptest::sample::subsequence;
use strategies::{option, pick};

/// Every line of the table, highest level first.
const LINES: &[(&str, Level)] = &[
    ("E1", Level::Emergency),
    ("E2", Level::Emergency),
    ("E3", Level::Emergency),
    ("E4", Level::Emergency),
    ("E5", Level::Emergency),
    ("E6", Level::Emergency),
    ("E7", Level::Emergency),
    ("E8", Level::Emergency),
    ("U1", Level::UrgentCare),
    ("U2", Level::UrgentCare),
    ("U3", Level::UrgentCare),
    ("U4", Level::UrgentCare),
    ("U5", Level::UrgentCare),
    ("U6", Level::UrgentCare),
    ("U7", Level::UrgentCare),
    ("U8", Level::UrgentCare),
    ("U9", Level::UrgentCare),
    ("U10", Level::UrgentCare),
    ("U11", Level::UrgentCare),
    ("U12", Level::UrgentCare),
    ("U13", Level::UrgentCare),
    ("D1", Level::Doctor),
    ("D2", Level::Doctor),
    ("D3", Level::Doctor),
    ("D4", Level::Doctor),
    ("D5", Level::Doctor),
    ("D6", Level::Doctor),
    ("D7", Level::Doctor),
    ("D8", Level::Doctor),
    ("D9", Level::Doctor),
    ("D10", Level::Doctor),
    ("D11", Level::Doctor),
    ("S1", Level::SportsMedicine),
];

/// The lines of the table that hold for `a`, read as the table's words define them.
fn lines(a: &Assessment) -> Vec<&'static str> {
    use Symptom::*;
    let has = |s: Symptom| a.present.contains(&s);
    let at = |l: Location| a.locations.contains(&l);
    let hx = |h: History| a.history.contains(&h);
    let age = a.age;
    let age_is = |f: &dyn Fn(u32) -> bool| age.is_some_and(f);

    // "Injury": an acute onset with a mechanism other than overuse or kneeling, or none given.
    let injury = a.onset == Onset::Acute
        && !matches!(a.mechanism, Some(Mechanism::Overuse | Mechanism::Kneeling));
    let without_injury = !injury;
    let within_7 = a.days_since_onset.is_none_or(|d| d <= 7);
    let swollen = has(Swelling) || has(RapidSwelling) || has(SevereSwelling);
    let front = [
        Location::AroundKneecap,
        Location::OverKneecap,
        Location::AboveKneecap,
        Location::BelowKneecap,
        Location::TibialTubercle,
    ]
    .into_iter()
    .any(at);
    let joint_line =
        has(TenderJointLine) || at(Location::InnerJointLine) || at(Location::OuterJointLine);
    let weeks = &a.training.weekly_km;
    // More than 10% above last week, compared in tenths so that exactly 10% is not more; any
    // distance after a week of none counts.
    let up = weeks.len() >= 2 && {
        let (now, before) = (weeks[weeks.len() - 1], weeks[weeks.len() - 2]);
        if before == 0.0 {
            now > 0.0
        } else {
            now * 10.0 - before * 11.0 > 1e-9 * before.max(1.0)
        }
    };
    let load_increase = up || a.training.intensity_increased == Some(true);
    let bone_stress_context =
        load_increase || a.training.new_to_running == Some(true) || hx(History::MissedPeriods);
    let rest_or_night = has(PainAtRest) || has(NightPain);
    let child = age_is(&|x| x <= 16);
    let young = age_is(&|x| x < 25);
    let twist = matches!(
        a.mechanism,
        Some(Mechanism::Twisting | Mechanism::Landing | Mechanism::Hyperextension)
    );
    let recent_injury_explains = injury && a.days_since_onset.is_some_and(|d| d <= 14);

    let table = [
        (
            "E1",
            has(Fever) && (has(HotRedKnee) || swollen || has(SwellingOverKneecap)),
        ),
        ("E2", has(HotRedKnee) && swollen),
        ("E3", has(HotRedKnee) && hx(History::RecentKneeProcedure)),
        ("E4", injury && has(UnableToBearWeight)),
        (
            "E5",
            injury && (has(Deformity) || has(NumbnessOrTingling)) || has(ColdOrPaleFoot),
        ),
        ("E6", has(CannotLiftStraightLeg)),
        ("E7", has(RapidSwelling) && hx(History::Anticoagulants)),
        (
            "E8",
            has(CalfSwellingOrPain) && has(ChestPainOrBreathlessness),
        ),
        (
            "U1",
            injury
                && within_7
                && (age_is(&|x| x >= 55)
                    || has(TenderKneecap)
                    || has(TenderFibularHead)
                    || has(UnableToBendTo90)),
        ),
        (
            "U2",
            a.onset == Onset::Acute
                && within_7
                && matches!(
                    a.mechanism,
                    None | Some(Mechanism::Fall | Mechanism::DirectBlow)
                )
                && age_is(&|x| !(12..=50).contains(&x)),
        ),
        ("U3", has(RapidSwelling)),
        ("U4", has(SevereSwelling)),
        ("U5", has(Locking)),
        ("U6", has(KneecapDislocated)),
        (
            "U7",
            has(CalfSwellingOrPain)
                && (has(RecentImmobilityOrTravel)
                    || hx(History::BloodClot)
                    || hx(History::Cancer)
                    || has(LumpBehindKnee)),
        ),
        (
            "U8",
            child && (has(HipOrThighPain) || has(Limp) || has(UnableToBearWeight)),
        ),
        ("U9", has(UnableToBearWeight) && without_injury),
        ("U10", has(HotRedKnee)),
        ("U11", has(SwellingOverKneecap) && has(HotRedKnee)),
        ("U12", swollen && hx(History::Anticoagulants)),
        (
            "U13",
            has(HipOrThighPain) && (has(PainOnHopping) || rest_or_night && bone_stress_context),
        ),
        (
            "D1",
            has(TenderUpperShin) || has(PainOnHopping) || rest_or_night && bone_stress_context,
        ),
        (
            "D2",
            has(NightPain) && (has(UnexplainedWeightLoss) || hx(History::Cancer)),
        ),
        (
            "D3",
            young
                && (has(NightPain) || has(PainAtRest) || at(Location::LowerThigh) && swollen)
                && !recent_injury_explains,
        ),
        ("D4", has(PainAtRest) && has(NightPain)),
        (
            "D5",
            has(OtherJointsSwollen) || has(MorningStiffness) && swollen,
        ),
        ("D6", child && swollen && without_injury),
        // The safer reading: the mechanism alone, whatever the onset.
        ("D7", twist && (has(GivingWay) || joint_line && swollen)),
        ("D8", front && swollen && age_is(&|x| x >= 50)),
        // The safer reading: also when the age is not given.
        ("D9", has(HipOrThighPain) && age.is_none_or(|x| x >= 50)),
        ("D10", has(NumbnessOrTingling) && without_injury),
        ("D11", has(CalfSwellingOrPain)),
        ("S1", a.days_since_onset.is_some_and(|d| d > 14)),
    ];
    table
        .into_iter()
        .filter(|(_, holds)| *holds)
        .map(|(id, _)| id)
        .collect()
}

fn level_of(line: &str) -> Level {
    LINES
        .iter()
        .find(|(id, _)| *id == line)
        .map(|(_, l)| *l)
        .expect("a line of the table")
}

fn table_level(a: &Assessment) -> Level {
    lines(a)
        .into_iter()
        .map(level_of)
        .max()
        .unwrap_or(Level::SelfCare)
}

/// Assessments that reach the table often: each finding present one time in eleven, the
/// numbers at the thresholds' edges as often as anywhere else.
fn assessment() -> impl Strategy<Value = Assessment> {
    let symptoms = proptest::collection::vec(0u8..20, Symptom::ALL.len());
    let edge_ages = prop_oneof![
        Just(None),
        (0u32..=100).prop_map(Some),
        pick(&[4, 11, 12, 13, 16, 17, 24, 25, 49, 50, 51, 54, 55]).prop_map(Some),
    ];
    let edge_days = prop_oneof![
        Just(None),
        (0u32..60).prop_map(Some),
        pick(&[7, 8, 14, 15]).prop_map(Some),
    ];
    let weeks = prop_oneof![
        Just(vec![]),
        proptest::collection::vec(0.0f64..80.0, 1..=6),
        // Exactly 10% up, a little more, none the week before.
        pick(&[
            (7.0, 7.7),
            (20.0, 22.0),
            (30.0, 33.0),
            (7.0, 7.71),
            (0.0, 5.0),
            (0.0, 0.0)
        ])
        .prop_map(|(a, b)| vec![a, b]),
    ];
    (
        (
            edge_ages,
            option(pick(Sex::ALL)),
            pick(Onset::ALL),
            edge_days,
        ),
        option(pick(Mechanism::ALL)),
        subsequence(Location::ALL.to_vec(), 0..3),
        symptoms,
        subsequence(History::ALL.to_vec(), 0..3),
        (weeks, option(any::<bool>()), option(any::<bool>())),
    )
        .prop_map(
            |(basic, mechanism, locations, symptoms, history, training)| {
                let (age, sex, onset, days) = basic;
                let mut a = Assessment::new(onset);
                a.age = age;
                a.sex = sex;
                a.days_since_onset = days;
                a.mechanism = mechanism;
                a.locations = locations;
                a.history = history;
                for (s, state) in Symptom::ALL.iter().zip(symptoms) {
                    match state {
                        0 => a.present.push(*s),
                        1 | 2 => a.absent.push(*s),
                        _ => {}
                    }
                }
                let (weeks, intensity, new) = training;
                a.training.weekly_km = weeks;
                a.training.intensity_increased = intensity;
                a.training.new_to_running = new;
                a
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    /// The default set gives the table's level: never below it (a missed red flag), and never
    /// above it (an escalation no line asks for).
    #[test]
    fn the_default_set_escalates_exactly_as_the_table(a in assessment()) {
        let report = RuleSet::default().evaluate(&a);
        prop_assert_eq!(
            report.escalation.level,
            table_level(&a),
            "lines {:?}, rules {:?}, for {:?}",
            lines(&a),
            report.escalation.reasons.iter().map(|r| r.rule.to_string()).collect::<Vec<_>>(),
            a
        );
    }
}

/// Each line, written as the smallest assessment that makes it hold, gives its own level: the
/// reference above is not vacuous, and no line is left to luck.
#[test]
fn every_line_has_a_witness() {
    use Symptom::*;
    let rules = RuleSet::default();
    let with = |onset: Onset, f: &dyn Fn(&mut Assessment)| {
        let mut a = Assessment::new(onset);
        f(&mut a);
        a
    };
    let witnesses: Vec<(&str, Assessment)> = vec![
        (
            "E1",
            with(Onset::Chronic, &|a| a.present = vec![Fever, Swelling]),
        ),
        (
            "E2",
            with(Onset::Chronic, &|a| a.present = vec![HotRedKnee, Swelling]),
        ),
        (
            "E3",
            with(Onset::Chronic, &|a| {
                a.present = vec![HotRedKnee];
                a.history = vec![History::RecentKneeProcedure];
            }),
        ),
        (
            "E4",
            with(Onset::Acute, &|a| a.present = vec![UnableToBearWeight]),
        ),
        (
            "E5",
            with(Onset::Chronic, &|a| a.present = vec![ColdOrPaleFoot]),
        ),
        (
            "E6",
            with(Onset::Chronic, &|a| a.present = vec![CannotLiftStraightLeg]),
        ),
        (
            "E7",
            with(Onset::Chronic, &|a| {
                a.present = vec![RapidSwelling];
                a.history = vec![History::Anticoagulants];
            }),
        ),
        (
            "E8",
            with(Onset::Chronic, &|a| {
                a.present = vec![CalfSwellingOrPain, ChestPainOrBreathlessness]
            }),
        ),
        (
            "U1",
            with(Onset::Acute, &|a| a.present = vec![TenderFibularHead]),
        ),
        (
            "U2",
            with(Onset::Acute, &|a| {
                a.age = Some(51);
                a.mechanism = Some(Mechanism::Fall);
            }),
        ),
        (
            "U3",
            with(Onset::Acute, &|a| a.present = vec![RapidSwelling]),
        ),
        (
            "U4",
            with(Onset::Chronic, &|a| a.present = vec![SevereSwelling]),
        ),
        ("U5", with(Onset::Chronic, &|a| a.present = vec![Locking])),
        (
            "U6",
            with(Onset::Chronic, &|a| a.present = vec![KneecapDislocated]),
        ),
        (
            "U7",
            with(Onset::Chronic, &|a| {
                a.present = vec![CalfSwellingOrPain];
                a.history = vec![History::Cancer];
            }),
        ),
        (
            "U8",
            with(Onset::Acute, &|a| {
                a.age = Some(13);
                a.mechanism = Some(Mechanism::Fall);
                a.days_since_onset = Some(3);
                a.present = vec![Limp];
            }),
        ),
        (
            "U9",
            with(Onset::Chronic, &|a| a.present = vec![UnableToBearWeight]),
        ),
        (
            "U10",
            with(Onset::Chronic, &|a| a.present = vec![HotRedKnee]),
        ),
        (
            "U11",
            with(Onset::Chronic, &|a| {
                a.present = vec![SwellingOverKneecap, HotRedKnee]
            }),
        ),
        (
            "U12",
            with(Onset::Chronic, &|a| {
                a.present = vec![Swelling];
                a.history = vec![History::Anticoagulants];
            }),
        ),
        (
            "U13",
            with(Onset::Chronic, &|a| {
                a.age = Some(28);
                a.present = vec![HipOrThighPain, PainOnHopping];
            }),
        ),
        (
            "D1",
            with(Onset::Chronic, &|a| {
                a.age = Some(30);
                a.present = vec![PainAtRest];
                a.training.weekly_km = vec![20.0, 30.0];
            }),
        ),
        (
            "D2",
            with(Onset::Chronic, &|a| {
                a.age = Some(60);
                a.present = vec![NightPain];
                a.history = vec![History::Cancer];
            }),
        ),
        (
            "D3",
            with(Onset::Acute, &|a| {
                a.age = Some(20);
                a.mechanism = Some(Mechanism::Fall);
                a.days_since_onset = Some(30);
                a.present = vec![NightPain];
            }),
        ),
        (
            "D4",
            with(Onset::Chronic, &|a| {
                a.age = Some(30);
                a.present = vec![PainAtRest, NightPain];
            }),
        ),
        (
            "D5",
            with(Onset::Chronic, &|a| a.present = vec![OtherJointsSwollen]),
        ),
        (
            "D6",
            with(Onset::Chronic, &|a| {
                a.age = Some(13);
                a.present = vec![Swelling];
            }),
        ),
        (
            "D7",
            with(Onset::Acute, &|a| {
                a.mechanism = Some(Mechanism::Twisting);
                a.present = vec![GivingWay];
            }),
        ),
        (
            "D8",
            with(Onset::Chronic, &|a| {
                a.age = Some(50);
                a.locations = vec![Location::AroundKneecap];
                a.present = vec![Swelling];
            }),
        ),
        (
            "D9",
            with(Onset::Chronic, &|a| {
                a.age = Some(58);
                a.present = vec![HipOrThighPain];
            }),
        ),
        (
            "D10",
            with(Onset::Chronic, &|a| a.present = vec![NumbnessOrTingling]),
        ),
        (
            "D11",
            with(Onset::Acute, &|a| a.present = vec![CalfSwellingOrPain]),
        ),
        (
            "S1",
            with(Onset::Chronic, &|a| a.days_since_onset = Some(15)),
        ),
    ];
    assert_eq!(
        witnesses.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        LINES.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        "one witness per line, in the table's order"
    );
    for (id, a) in &witnesses {
        assert!(lines(a).contains(id), "the reference misses {id} for {a:?}");
        assert_eq!(table_level(a), level_of(id), "{id}: {:?}", lines(a));
        assert_eq!(
            rules.evaluate(a).escalation.level,
            level_of(id),
            "{id} for {a:?}"
        );
    }
}

/// The edges the table draws: exactly 10% is not a load increase, and an injury explains a
/// young person's night pain for 14 days only when its date is given.
#[test]
fn thresholds_compare_exactly() {
    let rules = RuleSet::default();
    let runner = |weeks: Vec<f64>| {
        let mut a = Assessment::new(Onset::Chronic);
        a.age = Some(30);
        a.present = vec![Symptom::PainAtRest];
        a.training.weekly_km = weeks;
        rules.evaluate(&a).escalation.level
    };
    assert_eq!(runner(vec![7.0, 7.7]), Level::SelfCare, "10% exactly");
    assert_eq!(runner(vec![20.0, 22.0]), Level::SelfCare, "10% exactly");
    assert_eq!(runner(vec![7.0, 7.71]), Level::Doctor, "just over 10%");
    assert_eq!(
        runner(vec![10.0, 0.0, 5.0]),
        Level::Doctor,
        "after a week of none"
    );

    let young_night_pain = |days: Option<u32>| {
        let mut a = Assessment::new(Onset::Acute);
        a.age = Some(20);
        a.mechanism = Some(Mechanism::DirectBlow);
        a.days_since_onset = days;
        a.present = vec![Symptom::NightPain];
        rules.evaluate(&a).escalation.level
    };
    assert_eq!(young_night_pain(Some(14)), Level::SelfCare);
    assert_eq!(young_night_pain(Some(15)), Level::Doctor);
    assert_eq!(young_night_pain(None), Level::Doctor);
}

/// From the table to the rules and back: every line id is named by the note of a rule that
/// escalates to that line's level, and every escalating rule names a line of its own level.
#[test]
fn every_line_id_is_named_by_the_rules_that_implement_it() {
    let rules = RuleSet::default();
    let mut named = Vec::new();
    for r in &rules.source().rules {
        let Some(level) = r.then.iter().find_map(|a| match a {
            Action::Escalate(l, _) => Some(*l),
            _ => None,
        }) else {
            continue;
        };
        // The line a rule implements is the one its note opens with ("Policy line U7. ...");
        // other ids in the note are cross-references.
        let note = r.note.as_deref().unwrap_or_default();
        let ids: Vec<&str> = LINES
            .iter()
            .map(|(id, _)| *id)
            .filter(|id| names(note, &format!("Policy line {id}")))
            .collect();
        assert!(
            !ids.is_empty(),
            "rule `{}` escalates but names no policy line",
            r.id
        );
        for id in ids {
            assert_eq!(
                level_of(id),
                level,
                "rule `{}` names {id} but escalates to {level:?}",
                r.id
            );
            named.push(id);
        }
    }
    for (id, _) in LINES {
        assert!(named.contains(id), "no escalating rule names line {id}");
    }
}

/// `note` holds `words` not followed by a letter or digit ("Policy line D1" is not in
/// "Policy line D10").
fn names(note: &str, words: &str) -> bool {
    note.match_indices(words).any(|(i, _)| {
        let after = note[i + words.len()..].chars().next();
        after.is_none_or(|c| !c.is_ascii_alphanumeric())
    })
}

/// docs/POLICY.md names every line of the table and every rule that implements it, so the
/// page a clinician reads cannot drift from the rule file.
#[test]
fn the_policy_page_names_every_line_and_its_rules() {
    let page = include_str!("../docs/POLICY.md");
    for (id, level) in LINES {
        let row = page
            .lines()
            .find(|l| l.starts_with(&format!("| {id} |")))
            .unwrap_or_else(|| panic!("docs/POLICY.md has no row for {id}"));
        assert!(row.contains(&format!("`{level:?}`")), "row {id}: {row}");
    }
    for r in &RuleSet::default().source().rules {
        if r.then.iter().any(|a| matches!(a, Action::Escalate(..))) {
            assert!(
                page.contains(&format!("`{}`", r.id)),
                "docs/POLICY.md lacks rule `{}`",
                r.id
            );
        }
    }
}

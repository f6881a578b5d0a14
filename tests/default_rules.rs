//! Checks of the embedded default rule set as a clinical artefact: it loads cleanly, defines
//! every output id DESIGN.md promises, tests every word of the input vocabulary, and cites a
//! published source for every rule.

use std::collections::HashSet;

use patella::rules::{Action, Condition, RuleSetSource};
use patella::{DEFAULT_RULES, History, Level, Location, RuleSet, Symptom};

const DESIGN_DIAGNOSES: &[&str] = &[
    "patellofemoral_pain",
    "iliotibial_band_syndrome",
    "patellar_tendinopathy",
    "prepatellar_bursitis",
    "septic_bursitis",
    "pes_anserine_bursitis",
    "meniscal_tear",
    "acl_injury",
    "mcl_injury",
    "patellar_instability",
    "fracture",
    "stress_fracture",
    "extensor_mechanism_rupture",
    "knee_dislocation",
    "contusion",
    "haemarthrosis",
    "osgood_schlatter",
    "bakers_cyst",
    "knee_osteoarthritis",
    "septic_arthritis",
    "deep_vein_thrombosis",
    "gout",
    "inflammatory_arthritis",
    "slipped_capital_femoral_epiphysis",
    "referred_hip_pain",
    "bone_tumour",
    // Since version 2 of the escalation policy.
    "femoral_neck_stress_fracture",
    "osteochondritis_dissecans",
    "sinding_larsen_johansson",
    "plica_syndrome",
    "fat_pad_impingement",
    "popliteal_artery_entrapment",
    "quadriceps_tendinopathy",
    "popliteus_tendinopathy",
    "perthes_disease",
    "proximal_tibiofibular_instability",
];

fn source() -> RuleSetSource {
    RuleSet::from_ron(DEFAULT_RULES)
        .unwrap_or_else(|e| panic!("{e}"))
        .source()
        .clone()
}

#[derive(Default)]
struct Words {
    symptoms: HashSet<Symptom>,
    locations: HashSet<Location>,
    history: HashSet<History>,
}

fn collect(c: &Condition, w: &mut Words) {
    match c {
        Condition::All(l) | Condition::Any(l) | Condition::AtLeast(_, l) => {
            l.iter().for_each(|x| collect(x, w))
        }
        Condition::Not(x) => collect(x, w),
        Condition::Has(s) => {
            w.symptoms.insert(*s);
        }
        Condition::Location(l) => {
            w.locations.insert(*l);
        }
        Condition::History(h) => {
            w.history.insert(*h);
        }
        _ => {}
    }
}

#[test]
fn loads_without_problems() {
    RuleSet::from_ron(DEFAULT_RULES).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn defines_every_diagnosis_of_the_design() {
    let src = source();
    let ids: HashSet<&str> = src.diagnoses.iter().map(|d| d.id.as_str()).collect();
    let missing: Vec<_> = DESIGN_DIAGNOSES
        .iter()
        .filter(|d| !ids.contains(*d))
        .collect();
    assert!(missing.is_empty(), "missing diagnoses: {missing:?}");
}

#[test]
fn every_diagnosis_can_be_suggested_and_has_steps() {
    let src = source();
    let suggested: HashSet<&str> = src
        .rules
        .iter()
        .flat_map(|r| &r.then)
        .filter_map(|a| match a {
            Action::Suggest(id, _) => Some(id.as_str()),
            _ => None,
        })
        .collect();
    for d in &src.diagnoses {
        assert!(
            suggested.contains(d.id.as_str()),
            "no rule suggests `{}`",
            d.id
        );
        assert!(!d.steps.is_empty(), "`{}` has no treatment step", d.id);
    }
}

#[test]
fn every_symptom_location_and_history_item_is_tested_by_a_rule() {
    let src = source();
    let mut w = Words::default();
    for r in &src.rules {
        collect(&r.when, &mut w);
    }
    for p in &src.patterns {
        collect(&p.when, &mut w);
    }
    let symptoms: Vec<_> = Symptom::ALL
        .iter()
        .filter(|s| !w.symptoms.contains(s))
        .collect();
    let locations: Vec<_> = Location::ALL
        .iter()
        .filter(|s| !w.locations.contains(s))
        .collect();
    let history: Vec<_> = History::ALL
        .iter()
        .filter(|s| !w.history.contains(s))
        .collect();
    assert!(
        symptoms.is_empty() && locations.is_empty() && history.is_empty(),
        "untested: symptoms {symptoms:?}, locations {locations:?}, history {history:?}"
    );
}

/// A citation names its work with a year; a bare key like `[AFP18]` is not enough.
fn is_citation(s: &str) -> bool {
    let has_year = s
        .as_bytes()
        .windows(4)
        .any(|w| w.iter().all(u8::is_ascii_digit) && (w[0] == b'1' || w[0] == b'2'));
    has_year && s.len() >= 25
}

#[test]
fn every_rule_and_diagnosis_cites_a_published_source() {
    let src = source();
    for r in &src.rules {
        assert!(
            is_citation(&r.source),
            "rule `{}` cites `{}`",
            r.id,
            r.source
        );
    }
    for d in &src.diagnoses {
        assert!(
            is_citation(&d.source),
            "diagnosis `{}` cites `{}`",
            d.id,
            d.source
        );
    }
}

#[test]
fn every_level_above_self_care_has_an_escalating_rule() {
    let src = source();
    let levels: HashSet<Level> = src
        .rules
        .iter()
        .flat_map(|r| &r.then)
        .filter_map(|a| match a {
            Action::Escalate(l, _) => Some(*l),
            _ => None,
        })
        .collect();
    for l in &Level::ALL[1..] {
        assert!(levels.contains(l), "no rule escalates to {l}");
    }
}

#[test]
fn the_self_care_and_prevention_advice_is_there_with_doses() {
    let src = source();
    let text: String = src
        .steps
        .iter()
        .map(|s| s.text.to_lowercase())
        .collect::<Vec<_>>()
        .join("\n");
    for word in [
        "ice",
        "warm",
        "10%",
        "800",
        "squat",
        "lunge",
        "calf raise",
        "leg press",
        "clamshell",
        "bridge",
        "quadriceps",
        "hamstring",
        "it band",
        "cycling",
    ] {
        assert!(text.contains(word), "no step mentions `{word}`");
    }
    let stretches = src
        .steps
        .iter()
        .filter(|s| s.dose.as_ref().and_then(|d| d.hold_seconds) == Some(30))
        .count();
    assert!(
        stretches >= 4,
        "only {stretches} stretches held for 30 seconds"
    );
}

/// The 10% rule is one number: the weekly-spike rule flags what the training section's limit
/// allows, so the factor's words and `Report.load.weekly_limit_km` agree. No rule that
/// suggests a diagnosis with a plan also calls for a doctor, and each start says in its note
/// that its fraction is not a published figure.
#[test]
fn the_training_section_agrees_with_the_rules() {
    let src = source();
    let training = src.training.as_ref().expect("a training section");
    let spike = src
        .rules
        .iter()
        .find(|r| r.id == "weekly_distance_up_more_than_10_percent")
        .expect("the weekly spike rule");
    let Condition::All(parts) = &spike.when else {
        panic!("an All");
    };
    assert!(
        parts.contains(&Condition::WeeklyIncreasePct(patella::rules::Cmp::Above(
            training.weekly_limit.value
        )))
    );
    let plan = training.plan.as_ref().expect("a plan");
    for start in &plan.start {
        assert!(start.note.contains("not a published figure"), "{start:?}");
        for d in &start.diagnoses {
            let escalates = src.rules.iter().any(|r| {
                r.then
                    .iter()
                    .any(|a| matches!(a, Action::Suggest(x, _) if x == d))
                    && r.then
                        .iter()
                        .any(|a| matches!(a, Action::Escalate(l, _) if *l >= Level::Doctor))
            });
            assert!(
                !escalates,
                "{d} has a plan but a rule suggesting it calls for a doctor"
            );
        }
    }
}

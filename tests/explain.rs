//! Explanations answer four questions on every shared case: why each diagnosis is in the
//! differential, why the runner-up ranks below the top, why a plausible diagnosis is absent,
//! and why this escalation, each with its sources.

#[path = "support/files.rs"]
mod files;
use patella::{Level, RuleSet};

#[test]
fn explanations_answer_the_four_questions_on_every_case() {
    let rules = RuleSet::default();
    let all = files::cases();
    // The project's own cases at least; the shared vignettes join them when checked out beside
    // the project, and a clone of the crate alone must pass too.
    assert!(all.len() >= 10, "only {} case files", all.len());
    let mut absent_explained = 0;
    for case in &all {
        let why = rules.explain(&case.assessment);
        assert_eq!(why.report, rules.evaluate(&case.assessment), "{}", case.id);
        let id = &case.id;

        // 1. Why each diagnosis: its contributions add up to its weight, each from a rule
        //    that fired, most of them naming the facts they matched.
        assert_eq!(why.diagnoses.len(), why.report.diagnoses.len(), "{id}");
        for (w, d) in why.diagnoses.iter().zip(&why.report.diagnoses) {
            assert_eq!(w.id, d.id, "{id}");
            let sum: f64 = w.contributions.iter().map(|c| c.weight).sum();
            assert!(
                (sum - w.weight).abs() < 1e-9,
                "{id}: {} sums to {sum}",
                w.id
            );
            for c in &w.contributions {
                assert!(why.report.fired.contains(&c.rule), "{id}: {}", c.rule);
                assert!(!c.source.is_empty(), "{id}: {}", c.rule);
            }
        }

        // 2. Why the runner-up ranks below: the gap is the difference of the weights.
        if let [top, second, ..] = why.diagnoses.as_slice() {
            assert_eq!(top.behind_by, None);
            let gap = second.behind_by.expect("a gap");
            assert!((gap - (top.weight - second.weight)).abs() < 1e-9, "{id}");
            assert!(gap >= 0.0, "{id}");
        }

        // 3. Why a plausible diagnosis is absent: its closest rule held in part and failed in
        //    part, and the diagnosis is indeed not in the differential.
        for w in &why.absent {
            assert!(!w.held.is_empty() && !w.failed.is_empty(), "{id}: {}", w.id);
            assert!(
                why.report.diagnoses.iter().all(|d| d.id != w.id),
                "{id}: {}",
                w.id
            );
        }
        absent_explained += usize::from(!why.absent.is_empty());

        // 4. Why this escalation: every reason has its rule and source, and the highest
        //    reason is the level.
        let e = &why.report.escalation;
        if e.level > Level::SelfCare {
            assert_eq!(e.reasons[0].level, e.level, "{id}");
        }
        for r in &e.reasons {
            assert!(!r.source.is_empty(), "{id}: {}", r.rule);
        }
        let text = why.to_string();
        for heading in ["Why these diagnoses:", "Why this escalation:"] {
            assert!(text.contains(heading), "{id}: {text}");
        }
    }
    assert!(
        absent_explained * 2 >= all.len(),
        "only {absent_explained} cases explain a missing diagnosis"
    );
}

#[test]
fn explanations_round_trip_through_json() {
    let rules = RuleSet::default();
    for case in files::cases() {
        let why = rules.explain(&case.assessment);
        let json = serde_json::to_string(&why).expect("serializable");
        let back: patella::Explanation = serde_json::from_str(&json).expect("readable");
        assert_eq!(back, why, "{}", case.id);
    }
}

/// Every rule that fired is explained somewhere: behind a diagnosis, as an escalation reason,
/// or for the factors and steps it added (a surface factor, say, which suggests nothing).
#[test]
fn every_fired_rule_is_explained() {
    let rules = RuleSet::default();
    let mut a = patella::Assessment::from_ron(
        "(onset: Chronic, locations: [OuterKnee], present: [PainRunningDownhill], training: (surface: Road, downhill: true, weekly_km: [20.0, 30.0]))",
    )
    .expect("valid");
    a.age = Some(30);
    let why = rules.explain(&a);
    assert!(
        why.report
            .fired
            .iter()
            .any(|r| r == "hard_or_uneven_surface")
    );
    for rule in &why.report.fired {
        let behind_diagnosis = why
            .diagnoses
            .iter()
            .any(|d| d.contributions.iter().any(|c| c.rule == *rule));
        let escalated = why
            .report
            .escalation
            .reasons
            .iter()
            .any(|r| r.rule == *rule);
        let added = why.other_rules.iter().any(|o| o.rule == *rule);
        assert!(
            behind_diagnosis || escalated || added,
            "`{rule}` is not explained"
        );
    }
    let surface = why
        .other_rules
        .iter()
        .find(|o| o.rule == "hard_or_uneven_surface")
        .expect("explained");
    assert_eq!(surface.factors, ["hard_or_uneven_surface"]);
    assert!(
        why.to_string()
            .contains("`hard_or_uneven_surface` added factor hard_or_uneven_surface")
    );
    for case in files::cases() {
        let why = rules.explain(&case.assessment);
        for rule in &why.report.fired {
            let explained = why
                .diagnoses
                .iter()
                .any(|d| d.contributions.iter().any(|c| c.rule == *rule))
                || why
                    .report
                    .escalation
                    .reasons
                    .iter()
                    .any(|r| r.rule == *rule)
                || why.other_rules.iter().any(|o| o.rule == *rule);
            assert!(explained, "{}: `{rule}` is not explained", case.id);
        }
    }
}

/// An explanation names each step left out and what left it out.
#[test]
fn withheld_steps_are_explained() {
    let rules = RuleSet::default();
    // A swollen knee (ice, elevation) with a painful calf: the calf rule withholds the ice.
    let a = patella::Assessment::from_ron(
        "(age: 40, onset: Chronic, locations: [BackOfKnee], present: [CalfSwellingOrPain, Swelling])",
    )
    .expect("valid");
    let why = rules.explain(&a);
    assert!(why.report.steps.iter().all(|s| s.id != "ice"));
    let ice = why
        .withheld
        .iter()
        .find(|w| w.step == "ice")
        .expect("ice is withheld");
    assert!(
        ice.by == "calf_swelling_or_pain" || ice.by == "deep_vein_thrombosis",
        "{ice:?}"
    );
    assert!(ice.reason.contains("clot"), "{ice:?}");
    assert!(why.to_string().contains("Steps left out:"));
}

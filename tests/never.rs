//! The steps a report must never give (docs/POLICY.md), as data in `tests/never.ron`, checked
//! on thousands of random assessments (leaning toward the red flags of `tests/hazards.ron`)
//! and on every case file. A step is judged by its id, its tags and its words, so a step left
//! untagged by mistake is still caught by what it says.

#[path = "support/files.rs"]
mod files;
#[path = "support/strategies.rs"]
mod strategies;

use std::sync::LazyLock;

use patella::{Assessment, History, Level, Phase, Report, RuleSet, Symptom};
use proptest::prelude::*;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct When {
    level_at_least: Option<Level>,
    top3_any: Vec<String>,
    fired_any: Vec<String>,
    bmi_under_25_or_unknown: bool,
    history_any: Vec<History>,
    age_at_most: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Forbidden {
    phases: Vec<Phase>,
    tags: Vec<String>,
    steps: Vec<String>,
    words: Vec<String>,
    keeps_running: bool,
    plan: bool,
    training_factors: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Never {
    id: String,
    when: When,
    never: Forbidden,
}

static NEVER: LazyLock<Vec<Never>> = LazyLock::new(|| {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(include_str!("never.ron"))
        .unwrap_or_else(|e| panic!("tests/never.ron: {e}"))
});

fn holds(w: &When, a: &Assessment, r: &Report) -> bool {
    w.level_at_least.is_none_or(|l| r.escalation.level >= l)
        && (w.top3_any.is_empty()
            || r.diagnoses
                .iter()
                .take(3)
                .any(|d| w.top3_any.iter().any(|x| *x == d.id)))
        && (w.fired_any.is_empty() || r.fired.iter().any(|f| w.fired_any.iter().any(|x| x == f)))
        && (!w.bmi_under_25_or_unknown || a.bmi.is_none_or(|b| b < 25.0 || b.is_nan()))
        && (w.history_any.is_empty() || w.history_any.iter().any(|h| a.history.contains(h)))
        && w.age_at_most
            .is_none_or(|max| a.age.is_some_and(|age| age <= max))
}

/// `word` as a whole word of `text`, ignoring case.
fn has_word(text: &str, word: &str) -> bool {
    let text = text.to_lowercase();
    text.match_indices(&word.to_lowercase()).any(|(i, m)| {
        let before = text[..i].chars().next_back();
        let after = text[i + m.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
    })
}

/// What of `never` the report gives, in words; empty when it obeys.
fn breaches(rules: &RuleSet, n: &Forbidden, r: &Report) -> Vec<String> {
    let src = rules.source();
    let mut out = Vec::new();
    for s in &r.steps {
        let def = src.steps.iter().find(|d| d.id == *s.id);
        let tags: &[String] = def.map_or(&[], |d| &d.tags);
        if n.phases.contains(&s.phase) {
            out.push(format!("step `{}` of phase {}", s.id, s.phase));
        }
        if let Some(t) = tags.iter().find(|t| n.tags.contains(t)) {
            out.push(format!("step `{}` tagged `{t}`", s.id));
        }
        if n.steps.iter().any(|x| *x == s.id) {
            out.push(format!("step `{}`", s.id));
        }
        if let Some(w) = n.words.iter().find(|w| has_word(&s.text, w)) {
            out.push(format!("step `{}` says `{w}`", s.id));
        }
        if n.keeps_running && def.is_some_and(|d| d.keeps_running) {
            out.push(format!("step `{}` keeps the runner running", s.id));
        }
    }
    if n.plan && r.plan.is_some() {
        out.push("a return-to-running plan".to_owned());
    }
    if n.training_factors {
        for f in &r.factors {
            if src.factors.iter().any(|d| d.id == *f.id && d.training) {
                out.push(format!("training factor `{}`", f.id));
            }
        }
    }
    out
}

fn check(rules: &RuleSet, a: &Assessment) -> Result<(), String> {
    let r = rules.evaluate(a);
    for n in NEVER.iter() {
        if holds(&n.when, a, &r) {
            let found = breaches(rules, &n.never, &r);
            if !found.is_empty() {
                return Err(format!("`{}`: {}", n.id, found.join("; ")));
            }
        }
    }
    Ok(())
}

#[test]
fn every_case_file_obeys_the_list() {
    let rules = RuleSet::default();
    let all = files::cases();
    assert!(all.len() >= 10);
    for case in &all {
        if let Err(e) = check(&rules, &case.assessment) {
            panic!("{}: {e}", case.id);
        }
    }
}

/// The list is not vacuous: each entry's condition holds for some case or bundled example,
/// and each forbids something the default set could otherwise give.
#[test]
fn every_entry_applies_somewhere() {
    let rules = RuleSet::default();
    let mut all: Vec<Assessment> = files::cases().into_iter().map(|c| c.assessment).collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/assessments");
    for e in std::fs::read_dir(dir).expect("examples") {
        let text = std::fs::read_to_string(e.expect("entry").path()).expect("readable");
        all.push(Assessment::from_ron(&text).expect("valid"));
    }
    for n in NEVER.iter() {
        let applies = all.iter().any(|a| holds(&n.when, a, &rules.evaluate(a)));
        assert!(applies, "`{}` applies to no case or example", n.id);
    }
}

fn leaning() -> impl Strategy<Value = Assessment> {
    // Random runners, half of them given one of the findings the list is about.
    let extra = proptest::sample::select(vec![
        Some(Symptom::CalfSwellingOrPain),
        Some(Symptom::Fever),
        Some(Symptom::HotRedKnee),
        Some(Symptom::TenderUpperShin),
        Some(Symptom::PainOnHopping),
        Some(Symptom::NightPain),
        None,
    ]);
    (strategies::assessment(), extra, any::<bool>()).prop_map(|(mut a, s, periods)| {
        if let Some(s) = s {
            a.absent.retain(|x| *x != s);
            if !a.present.contains(&s) {
                a.present.push(s);
            }
        }
        if periods && !a.history.contains(&History::MissedPeriods) {
            a.history.push(History::MissedPeriods);
        }
        a
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn no_report_gives_what_the_list_forbids(a in leaning()) {
        let rules = RuleSet::default();
        if let Err(e) = check(&rules, &a) {
            prop_assert!(false, "{e} for {a:?}");
        }
    }
}

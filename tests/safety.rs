//! The clinical-safety guarantees of docs/SAFETY.md, searched for counterexamples.
//!
//! - Every red flag of `tests/hazards.ron`, added to any assessment, yields at least its level,
//!   and the rules the hazard log names for it fire.
//! - Every `Escalate` rule of the default set is in the hazard log, and every red flag and
//!   hazard is in docs/SAFETY.md.
//! - Evaluation is deterministic, and the allocation-free path gives the same report.
//! - Reports and random rule sets round-trip through RON and JSON.
//! - Arbitrary text and arbitrary rule-set trees give errors, never panics.

#[path = "support/rule_sets.rs"]
mod rule_sets;
#[path = "support/strategies.rs"]
mod strategies;

use std::sync::LazyLock;

use patella::rules::{Action, Condition, RuleSetSource};
use patella::{
    Assessment, DEFAULT_RULES, History, Level, Location, Mechanism, Onset, Outcome, Report,
    RuleSet, Symptom,
};
use proptest::prelude::*;
use serde::Deserialize;
use strategies::assessment;

/// What a red flag adds to an assessment; fields left out are left as they are.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Add {
    onset: Option<Onset>,
    mechanism: Option<Mechanism>,
    age: Option<u32>,
    days_since_onset: Option<u32>,
    present: Vec<Symptom>,
    history: Vec<History>,
    locations: Vec<Location>,
    new_to_running: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RedFlag {
    id: String,
    hazard: String,
    level: Level,
    rules: Vec<String>,
    add: Add,
}

static FLAGS: LazyLock<Vec<RedFlag>> = LazyLock::new(|| {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(include_str!("hazards.ron"))
        .unwrap_or_else(|e| panic!("tests/hazards.ron: {e}"))
});

impl Add {
    fn to(&self, a: &mut Assessment) {
        if let Some(o) = self.onset {
            a.onset = o;
        }
        if let Some(m) = self.mechanism {
            a.mechanism = Some(m);
        }
        if let Some(x) = self.age {
            a.age = Some(x);
        }
        if let Some(x) = self.days_since_onset {
            a.days_since_onset = Some(x);
        }
        for s in &self.present {
            a.absent.retain(|x| x != s);
            if !a.present.contains(s) {
                a.present.push(*s);
            }
        }
        for h in &self.history {
            if !a.history.contains(h) {
                a.history.push(*h);
            }
        }
        for l in &self.locations {
            if !a.locations.contains(l) {
                a.locations.push(*l);
            }
        }
        if let Some(x) = self.new_to_running {
            a.training.new_to_running = Some(x);
        }
    }
}

#[test]
fn every_escalation_of_the_default_set_is_in_the_hazard_log() {
    let rules = RuleSet::default();
    let logged: Vec<&str> = FLAGS
        .iter()
        .flat_map(|f| f.rules.iter().map(String::as_str))
        .collect();
    let mut missing = Vec::new();
    for r in &rules.source().rules {
        let escalates = r.then.iter().any(|a| matches!(a, Action::Escalate(..)));
        if escalates && !logged.contains(&r.id.as_str()) {
            missing.push(r.id.as_str());
        }
        // A red flag's level is what its rule asks for.
        for a in &r.then {
            if let Action::Escalate(level, _) = a {
                for f in FLAGS.iter().filter(|f| f.rules.first() == Some(&r.id)) {
                    assert_eq!(f.level, *level, "red flag `{}` and rule `{}`", f.id, r.id);
                }
            }
        }
    }
    assert!(missing.is_empty(), "not in tests/hazards.ron: {missing:?}");
    for f in FLAGS.iter() {
        for id in &f.rules {
            assert!(
                rules.source().rules.iter().any(|r| &r.id == id),
                "red flag `{}` names unknown rule `{id}`",
                f.id
            );
        }
    }
}

#[test]
fn safety_md_lists_every_red_flag_and_hazard() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/SAFETY.md"))
        .expect("docs/SAFETY.md exists");
    for f in FLAGS.iter() {
        assert!(
            doc.contains(&format!("`{}`", f.id)),
            "SAFETY.md lacks red flag `{}`",
            f.id
        );
        assert!(
            doc.contains(&format!("`{}`", f.hazard)),
            "SAFETY.md lacks hazard `{}`",
            f.hazard
        );
        for r in &f.rules {
            assert!(
                doc.contains(&format!("`{r}`")),
                "SAFETY.md lacks rule `{r}`"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// A red flag on top of anything else still raises the runner to at least its level.
    #[test]
    fn every_red_flag_yields_at_least_its_level(mut a in assessment(), pick in any::<prop::sample::Index>()) {
        let flag = &FLAGS[pick.index(FLAGS.len())];
        flag.add.to(&mut a);
        let report = RuleSet::default().evaluate(&a);
        prop_assert!(
            report.escalation.level >= flag.level,
            "red flag `{}` gave {:?} for {:?}", flag.id, report.escalation.level, a
        );
        for r in &flag.rules {
            prop_assert!(report.fired.iter().any(|f| f == r), "`{}` did not fire for `{}`", r, flag.id);
        }
        if flag.level >= Level::Doctor {
            prop_assert_eq!(report.steps[0].id.as_str(), "escalation");
        }
    }

    /// The same assessment gives the same report, through either entry point.
    #[test]
    fn evaluation_is_deterministic(a in assessment()) {
        let rules = RuleSet::default();
        let report = rules.evaluate(&a);
        prop_assert_eq!(&rules.evaluate(&a.clone()), &report);
        let mut outcome = Outcome::new();
        rules.evaluate_into(&a, &mut outcome);
        prop_assert_eq!(outcome.report(), Some(report));
    }

    /// Reports survive RON as well as JSON.
    #[test]
    fn reports_round_trip_through_ron(a in assessment()) {
        let report = RuleSet::default().evaluate(&a);
        let text = ron::to_string(&report).expect("serializable");
        let back: Report = ron::from_str(&text).expect("readable");
        prop_assert_eq!(back, report);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Random rule-set trees survive RON and JSON unchanged.
    #[test]
    fn rule_sets_round_trip(src in rule_sets::rule_set()) {
        let text = ron::ser::to_string_pretty(&src, ron::ser::PrettyConfig::default()).expect("ron");
        let back: RuleSetSource = ron::from_str(&text).expect("ron back");
        prop_assert_eq!(&back, &src);
        let json = serde_json::to_string(&src).expect("json");
        let back: RuleSetSource = serde_json::from_str(&json).expect("json back");
        prop_assert_eq!(back, src);
    }

    /// Arbitrary trees, broken on purpose (unknown references, bad weights, deep nesting,
    /// cycles), give diagnostics, never a panic; and the text of the same tree gives the same
    /// verdict.
    #[test]
    fn arbitrary_trees_give_errors_not_panics(
        mut src in rule_sets::rule_set(),
        breakage in proptest::collection::vec((0u8..6, any::<prop::sample::Index>()), 0..6),
    ) {
        for (kind, at) in breakage {
            let n = src.rules.len();
            let r = &mut src.rules[at.index(n)];
            match kind {
                0 => r.then.push(Action::Suggest("nowhere".into(), 1.0)),
                1 => r.then.push(Action::Suggest("d0".into(), f64::NAN)),
                2 => r.when = (0..60).fold(r.when.clone(), |c, _| Condition::Not(Box::new(c))),
                3 => r.when = Condition::Any(vec![]),
                4 => src.patterns.push(patella::rules::PatternDef {
                    id: "loop".into(),
                    when: Condition::Is("loop".into()),
                    note: None,
                }),
                _ => r.id = String::new(),
            }
        }
        let built = RuleSet::from_source(src.clone());
        // ron's writer has a nesting limit of its own: a tree too deep to write is too deep
        // to load.
        let Ok(text) = ron::to_string(&src) else {
            prop_assert!(built.is_err());
            return Ok(());
        };
        match RuleSet::check(&text) {
            Ok(found) => prop_assert_eq!(found.iter().any(|d| d.is_error()), built.is_err()),
            // Sixty `Not`s in text pass the parser's nesting limit.
            Err(e) => prop_assert_eq!(e.code(), "E0006"),
        }
    }

    /// Arbitrary text gives an error (or a value), never a panic.
    #[test]
    fn arbitrary_text_gives_errors_not_panics(text in ".{0,400}") {
        let _ = RuleSet::from_ron(&text);
        let _ = RuleSet::check(&text);
        let _ = Assessment::from_ron(&text);
        let _ = patella::Case::from_ron(&text);
    }

    /// The default rule file with random damage: cut, repeated or overwritten in places.
    #[test]
    fn damaged_rule_files_give_errors_not_panics(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0usize..40, "[\\[\\](),:\"a-zA-Z0-9 ]{0,8}"), 1..8),
    ) {
        let mut text = DEFAULT_RULES.to_owned();
        for (at, len, insert) in edits {
            let start = at.index(text.len());
            let end = (start + len).min(text.len());
            if text.is_char_boundary(start) && text.is_char_boundary(end) {
                text.replace_range(start..end, &insert);
            }
        }
        let checked = RuleSet::check(&text);
        let loaded = RuleSet::from_ron(&text);
        // The two entry points agree on whether the text holds errors.
        match checked {
            Ok(found) => prop_assert_eq!(found.iter().any(|d| d.is_error()), loaded.is_err()),
            Err(_) => prop_assert!(loaded.is_err()),
        }
    }
}

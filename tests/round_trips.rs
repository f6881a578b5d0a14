//! The wire formats are a contract: what the crate writes, it reads back unchanged.

use patella::rules::RuleSetSource;
use patella::{Assessment, Case, RuleSet};

#[test]
fn the_default_rule_set_round_trips_through_ron_and_json() {
    let rules = RuleSet::default();
    let src = rules.source();

    let ron_text = ron::ser::to_string_pretty(src, ron::ser::PrettyConfig::default()).unwrap();
    let reloaded = RuleSet::from_ron(&ron_text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reloaded.source(), src);

    let json = serde_json::to_string(src).unwrap();
    let back: RuleSetSource = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, src);
    let rebuilt = RuleSet::from_source(back).unwrap();

    // Same rules, same answers.
    let case = Case::from_ron(include_str!("cases/p-pfps-early.ron")).unwrap();
    assert_eq!(
        rebuilt.evaluate(&case.assessment),
        rules.evaluate(&case.assessment)
    );
    assert_eq!(
        reloaded.evaluate(&case.assessment),
        rules.evaluate(&case.assessment)
    );
}

#[test]
fn assessments_round_trip_through_ron_and_json() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/assessments");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let a = Assessment::from_ron(&text).unwrap();
        let ron_text = ron::to_string(&a).unwrap();
        assert_eq!(Assessment::from_ron(&ron_text).unwrap(), a, "{ron_text}");
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<Assessment>(&json).unwrap(), a);
        n += 1;
    }
    assert!(n >= 6);
}

//! Hostile input meets the limits of `patella::limits`: each is refused with its own error,
//! quickly, without exhausting the stack or memory, and the process goes on.

use patella::limits::{MAX_ASSESSMENT_BYTES, MAX_ENTRIES, MAX_RULE_FILE_BYTES};
use patella::rules::RuleSetSource;
use patella::{Assessment, AssessmentError, RuleSet, RuleSetError};

const DEPTH: usize = 100_000;

#[test]
fn a_hundred_thousand_levels_of_nesting_are_refused_not_followed() {
    let deep = format!("{}Has(Fever){}", "Not(".repeat(DEPTH), ")".repeat(DEPTH));
    let text = format!(
        r#"RuleSet(name: "deep", version: "1", rules: [Rule(id: "r", when: {deep}, then: [], source: "S")])"#
    );
    for result in [
        RuleSet::check(&text).map(|_| ()),
        RuleSet::from_ron(&text).map(|_| ()).map_err(|e| match e {
            RuleSetError::Parse(p) => p,
            other => panic!("expected a parse error, got {other}"),
        }),
    ] {
        let e = result.expect_err("too deep");
        assert_eq!(e.code(), "E0006", "{e}");
        assert_eq!(e.position.line, 1);
    }
    // Brackets alone, in an assessment: refused at the first one too many.
    let text = format!(
        "(onset: Acute, present: {}{})",
        "[".repeat(DEPTH),
        "]".repeat(DEPTH)
    );
    match Assessment::from_ron(&text) {
        Err(AssessmentError::Parse(p)) => assert_eq!(p.position.line, 1, "{p}"),
        other => panic!("expected a parse error, got {other:?}"),
    }
    // The process goes on: the default set still loads and evaluates.
    let a = Assessment::from_ron("(onset: Chronic, present: [PainOnStairs])").expect("valid");
    assert!(!RuleSet::default().evaluate(&a).fired.is_empty());
}

#[test]
fn a_fifty_megabyte_file_is_refused_before_it_is_parsed() {
    let filler = "x".repeat(50 << 20);
    let text = format!(r#"RuleSet(name: "big", version: "1", description: "{filler}")"#);
    assert!(text.len() > MAX_RULE_FILE_BYTES);
    let e = RuleSet::check(&text).expect_err("too big");
    assert_eq!(e.code(), "E0007");
    assert!(e.message.contains(&MAX_RULE_FILE_BYTES.to_string()), "{e}");
    assert!(matches!(
        RuleSet::from_ron(&text),
        Err(RuleSetError::Parse(_))
    ));

    let text = format!(r#"(onset: Acute, present: [], absent: [] /* {filler} */)"#);
    assert!(text.len() > MAX_ASSESSMENT_BYTES);
    match Assessment::from_ron(&text) {
        Err(AssessmentError::Parse(p)) => assert_eq!(p.code(), "E0007"),
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn more_rules_than_the_limit_are_refused() {
    let one: RuleSetSource = patella::rules::RuleSetSource::clone(RuleSet::default().source());
    let mut src = one.clone();
    let template = one.rules[0].clone();
    src.rules = (0..=MAX_ENTRIES)
        .map(|i| {
            let mut r = template.clone();
            r.id = format!("r{i}");
            r
        })
        .collect();
    let Err(RuleSetError::Invalid(problems)) = RuleSet::from_source(src) else {
        panic!("a set over the limit loaded");
    };
    assert!(
        problems.iter().any(|p| p.code() == "E0115"),
        "{:?}",
        problems.iter().map(|p| p.code()).collect::<Vec<_>>()
    );
}

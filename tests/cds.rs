//! Cards against the CDS Hooks card definition. The specification publishes the card as a
//! FHIR logical model (`StructureDefinition-CDSHooksResponse.json` in github.com/HL7/cds-hooks)
//! rather than a JSON Schema; its `cards` elements are transcribed below (path, cardinality,
//! allowed codes) and every case file's card is checked against them.
#![cfg(feature = "cds")]

#[path = "support/files.rs"]
mod files;

use patella::{Level, RuleSet};
use serde_json::Value;

/// `CDSHooksResponse.cards.*`: (element, min, max, allowed codes).
const CARD: &[(&str, usize, usize, &[&str])] = &[
    ("uuid", 0, 1, &[]),
    ("summary", 1, 1, &[]),
    ("detail", 0, 1, &[]),
    ("indicator", 1, 1, &["info", "warning", "critical"]),
    ("source", 1, 1, &[]),
    ("suggestions", 0, usize::MAX, &[]),
    ("selectionBehavior", 0, 1, &["at-most-one", "any"]),
    ("overrideReasons", 0, usize::MAX, &[]),
    ("links", 0, usize::MAX, &[]),
];
/// `CDSHooksResponse.cards.source.*`.
const SOURCE: &[(&str, usize, usize, &[&str])] = &[
    ("label", 1, 1, &[]),
    ("url", 0, 1, &[]),
    ("icon", 0, 1, &[]),
    ("topic", 0, 1, &[]),
];

fn conforms(object: &Value, elements: &[(&str, usize, usize, &[&str])], path: &str) {
    let map = object
        .as_object()
        .unwrap_or_else(|| panic!("{path} is not an object"));
    for key in map.keys() {
        assert!(
            elements.iter().any(|(e, ..)| e == key),
            "{path}.{key} is not an element of the card"
        );
    }
    for (name, min, max, codes) in elements {
        let count = match map.get(*name) {
            None => 0,
            Some(Value::Array(items)) => items.len(),
            Some(_) => 1,
        };
        assert!(
            (*min..=*max).contains(&count),
            "{path}.{name}: {count} outside {min}..{max}"
        );
        if let (Some(v), false) = (map.get(*name), codes.is_empty()) {
            let code = v.as_str().unwrap_or_default();
            assert!(
                codes.contains(&code),
                "{path}.{name}: `{code}` not in {codes:?}"
            );
        }
        if let Some(Value::String(s)) = map.get(*name) {
            assert!(!s.trim().is_empty(), "{path}.{name} is empty");
        }
    }
}

#[test]
fn every_case_makes_a_card_the_specification_accepts() {
    let rules = RuleSet::default();
    let mut seen = std::collections::BTreeSet::new();
    for case in files::cases() {
        let r = rules.evaluate(&case.assessment);
        let card = serde_json::to_value(r.cds_card()).unwrap();
        conforms(&card, CARD, &case.id);
        conforms(&card["source"], SOURCE, &format!("{}.source", case.id));
        let summary = card["summary"].as_str().unwrap();
        assert!(summary.chars().count() < 140, "{}: {summary}", case.id);
        let expected = match r.escalation.level {
            Level::SelfCare | Level::SportsMedicine => "info",
            Level::Doctor => "warning",
            _ => "critical",
        };
        assert_eq!(card["indicator"], expected, "{}", case.id);
        // The detail names every reason and the leading condition.
        let detail = card["detail"].as_str().unwrap();
        for reason in &r.escalation.reasons {
            assert!(
                detail.contains(&*reason.rule),
                "{}: {}",
                case.id,
                reason.rule
            );
        }
        if let Some(top) = r.top() {
            assert!(detail.contains("1. "), "{}", case.id);
            if let Some(code) = &top.codes.icd10 {
                assert!(detail.contains(&format!("ICD-10 {code}")), "{}", case.id);
            }
        }
        seen.insert(expected);
    }
    assert_eq!(seen.len(), 3, "cases cover every indicator: {seen:?}");
}

#[test]
fn a_card_names_the_rule_set_and_reads_back() {
    let r = RuleSet::default().evaluate(&patella::Assessment::new(patella::Onset::Chronic));
    let card = r.cds_card();
    assert!(
        card.source.label.contains("runner_knee"),
        "{}",
        card.source.label
    );
    let json = serde_json::to_string(&card).unwrap();
    let back: patella::cds::Card = serde_json::from_str(&json).unwrap();
    assert_eq!(back, card);
}

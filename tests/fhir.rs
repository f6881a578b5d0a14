//! Every case's FHIR Bundle read back through a FHIR R4 model (fhirbolt, strict mode: a field
//! R4 does not define is an error), then checked against the report it came from.
#![cfg(feature = "fhir")]

#[path = "support/files.rs"]
mod files;

use fhirbolt::model::r4::Resource;
use fhirbolt::model::r4::resources::Bundle;
use patella::{Report, RuleSet};

fn read_back(report: &Report) -> Bundle {
    let text = serde_json::to_string(&report.fhir_bundle()).unwrap();
    match fhirbolt::json::from_str::<Resource>(&text, None) {
        Ok(Resource::Bundle(b)) => *b,
        Ok(other) => panic!("not a Bundle: {other:?}"),
        Err(e) => panic!("not FHIR R4: {e}\n{text}"),
    }
}

fn value<T: std::fmt::Debug>(x: &T) -> String {
    // fhirbolt's primitives print as `Code { value: Some("...") ... }`; compare by content.
    format!("{x:?}")
}

#[test]
fn every_case_bundle_parses_back_with_its_codes() {
    let rules = RuleSet::default();
    let (mut coded, cases) = (0, files::cases());
    for case in &cases {
        let r = rules.evaluate(&case.assessment);
        let bundle = read_back(&r);
        assert!(value(&bundle.r#type).contains("collection"), "{}", case.id);
        let resources: Vec<&Resource> = bundle
            .entry
            .iter()
            .filter_map(|e| e.resource.as_ref())
            .collect();
        // The escalation first, one Condition per diagnosis, the care plan last.
        let Resource::RiskAssessment(ra) = resources[0] else {
            panic!("{}: no RiskAssessment first", case.id)
        };
        assert!(
            value(&ra.prediction).contains(r.escalation.level.name()),
            "{}",
            case.id
        );
        assert_eq!(ra.note.len(), r.escalation.reasons.len(), "{}", case.id);
        let conditions: Vec<_> = resources
            .iter()
            .filter_map(|res| match res {
                Resource::Condition(c) => Some(c),
                _ => None,
            })
            .collect();
        assert_eq!(conditions.len(), r.diagnoses.len(), "{}", case.id);
        for (i, (c, d)) in conditions.iter().zip(&r.diagnoses).enumerate() {
            let status = value(&c.verification_status);
            let want = if i == 0 {
                "provisional"
            } else {
                "differential"
            };
            assert!(status.contains(want), "{}: {status}", case.id);
            let code = value(&c.code);
            for (system, given) in [
                ("http://hl7.org/fhir/sid/icd-10\"", &d.codes.icd10),
                ("http://hl7.org/fhir/sid/icd-10-cm\"", &d.codes.icd10_cm),
                ("http://snomed.info/sct\"", &d.codes.snomed),
            ] {
                match given {
                    Some(g) => {
                        assert!(code.contains(system), "{}: {code}", case.id);
                        assert!(code.contains(&format!("\"{g}\"")), "{}: {code}", case.id);
                        coded += 1;
                    }
                    None => assert!(!code.contains(system), "{}: {code}", case.id),
                }
            }
        }
        let plans = resources
            .iter()
            .filter(|res| matches!(res, Resource::CarePlan(_)))
            .count();
        assert_eq!(plans, usize::from(!r.steps.is_empty()), "{}", case.id);
        if let Some(Resource::CarePlan(p)) = resources.last() {
            assert_eq!(p.activity.len(), r.steps.len(), "{}", case.id);
        }
    }
    // Not vacuous: on average at least one coded diagnosis per case.
    assert!(
        coded >= cases.len(),
        "the cases exercise the codes: {coded}"
    );
}

/// The elements R4 requires (minimum cardinality 1), which the model does not check.
#[test]
fn every_resource_has_the_elements_r4_requires() {
    let required: &[(&str, &[&str])] = &[
        ("Bundle", &["type"]),
        ("RiskAssessment", &["status", "subject"]),
        ("Condition", &["subject"]),
        ("CarePlan", &["status", "intent", "subject"]),
    ];
    let rules = RuleSet::default();
    for case in files::cases() {
        let json = rules.evaluate(&case.assessment).fhir_bundle();
        let resources = json["entry"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["resource"])
            .chain([&json]);
        for res in resources {
            let kind = res["resourceType"].as_str().unwrap();
            let (_, keys) = required.iter().find(|(k, _)| *k == kind).unwrap();
            for key in *keys {
                assert!(!res[*key].is_null(), "{}: {kind}.{key} missing", case.id);
            }
            if kind == "CarePlan" {
                for a in res["activity"].as_array().unwrap() {
                    assert!(a["detail"]["status"].is_string(), "{}", case.id);
                }
            }
        }
    }
}

/// A rule set without codes still converts: conditions carry their names, no codings.
#[test]
fn a_set_without_codes_converts_without_inventing_any() {
    let mut src = RuleSet::default().source().clone();
    for d in &mut src.diagnoses {
        d.codes = None;
    }
    let bare = RuleSet::from_source(src).unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/assessments/itbs.ron");
    let a = patella::Assessment::from_ron(&std::fs::read_to_string(path).unwrap()).unwrap();
    let r = bare.evaluate(&a);
    let json = r.fhir_bundle();
    let text = json.to_string();
    assert!(!text.contains("\"coding\":[{\"code\""), "{text}");
    assert!(!text.contains("icd-10"), "{text}");
    let bundle = read_back(&r);
    assert!(bundle.entry.len() > 1);
}

/// The read-back is a real check: strict mode refuses what R4 does not define. (fhirbolt
/// does not check cardinality: `every_resource_has_the_elements_r4_requires` does.)
#[test]
fn the_model_refuses_what_r4_does_not_define() {
    let r = RuleSet::default().evaluate(&patella::Assessment::new(patella::Onset::Chronic));
    let mut json = r.fhir_bundle();
    json["entry"][0]["resource"]["riskLevel"] = serde_json::json!("high");
    let text = json.to_string();
    assert!(fhirbolt::json::from_str::<Resource>(&text, None).is_err());
    // A number where R4 has a code.
    let mut json = r.fhir_bundle();
    json["entry"][0]["resource"]["status"] = serde_json::json!(5);
    assert!(fhirbolt::json::from_str::<Resource>(&json.to_string(), None).is_err());
}

//! Diagnosis codes: the default set's reach the report; a malformed code is refused with its
//! position; a rule set without codes reports none (never invented).

use patella::{Assessment, RuleSet};

fn itbs() -> Assessment {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/assessments/itbs.ron");
    Assessment::from_ron(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_report_carries_the_catalogue_codes() {
    let r = RuleSet::default().evaluate(&itbs());
    let top = r.top().unwrap();
    assert_eq!(top.id, "iliotibial_band_syndrome");
    assert_eq!(top.codes.icd10.as_deref(), Some("M76.3"));
    assert_eq!(top.codes.icd10_cm.as_deref(), Some("M76.30"));
    assert_eq!(
        top.codes.snomed, None,
        "no SNOMED CT id was confirmed for it"
    );
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["diagnoses"][0]["codes"]["icd10"], "M76.3");
}

/// Every code of the default set has its shape, and every diagnosis without one says why in
/// its note: a missing code is a decision, not an oversight.
#[test]
fn every_default_diagnosis_has_codes_or_says_why_not() {
    let rules = RuleSet::default();
    for d in &rules.source().diagnoses {
        let codes = d
            .codes
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no codes entry", d.id));
        let given = [&codes.icd10, &codes.icd10_cm, &codes.snomed];
        assert!(!codes.note.is_empty(), "{}: codes without a note", d.id);
        if given.iter().all(|c| c.is_none()) {
            assert!(
                codes.note.to_lowercase().contains("code"),
                "{}: {}",
                d.id,
                codes.note
            );
        }
    }
}

#[test]
fn a_malformed_code_is_refused_where_it_is_written() {
    let layer = r#"Layer(name: "codes", version: "1", diagnoses: [
    Diagnosis(
        id: "iliotibial_band_syndrome",
        name: "Iliotibial band syndrome",
        source: "BMJ Best Practice. Iliotibial band syndrome (topic 587)",
        steps: ["relative_rest"],
        codes: Codes(icd10: "M76.3", icd10_cm: "M7630", snomed: "430725004"),
    ),
])"#;
    let err = RuleSet::default()
        .with_layer("codes.ron", layer)
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("E0120"), "{text}");
    assert!(
        text.contains("`430725004` is not a SNOMED CT code"),
        "{text}"
    );
    assert!(text.contains("Verhoeff check digit"), "{text}");
    // M7630 lacks its dot: a letter, two digits, then `.30`.
    assert!(text.contains("`M7630` is not a ICD-10-CM code"), "{text}");
    let all = err.diagnostics();
    let d = all
        .iter()
        .find(|d| d.to_string().contains("430725004"))
        .expect("the SNOMED problem");
    let at = d.position.expect("a position in the layer");
    assert_eq!(at.line, 7, "{d}");
}

#[test]
fn a_set_without_codes_reports_none() {
    let mut src = RuleSet::default().source().clone();
    for d in &mut src.diagnoses {
        d.codes = None;
    }
    let bare = RuleSet::from_source(src).unwrap();
    let r = bare.evaluate(&itbs());
    assert!(r.diagnoses.iter().all(|d| d.codes.is_empty()));
    let json = serde_json::to_string(&r).unwrap();
    assert!(
        !json.contains("\"codes\""),
        "no empty codes object in the JSON"
    );
}

//! JSON in, as carefully as RON: the same checks, suggestions and wording, names as apps store
//! them, and a line and column or a field path for every problem; errors serialize.

use patella::{Assessment, AssessmentError, Symptom};

fn err(text: &str) -> AssessmentError {
    Assessment::from_json(text).expect_err(text)
}

#[test]
fn json_reads_what_ron_reads() {
    let ron = Assessment::from_ron(
        "(age: 34, sex: Female, onset: Chronic, locations: [AroundKneecap], present: [PainOnStairs], training: (weekly_km: [20.0, 30.0], surface: Road))",
    )
    .expect("valid RON");
    let json = Assessment::from_json(
        r#"{"age": 34, "sex": "female", "onset": "chronic", "locations": ["around_kneecap"],
            "present": ["pain-on-stairs"], "training": {"weekly_km": [20, 30], "surface": "ROAD"}}"#,
    )
    .expect("valid JSON");
    assert_eq!(json, ron);
}

#[test]
fn json_mistakes_are_named_with_their_place() {
    // An unknown name: the closest valid one, and where.
    let e = err("{\"onset\": \"Chronic\",\n \"present\": [\"pain_on_stair\"]}");
    assert_eq!(
        e.to_string(),
        "2:14: unknown symptom `pain_on_stair` in `present[0]` (did you mean `PainOnStairs`?)"
    );
    // An unknown field.
    let e = err(r#"{"onset": "Chronic", "pain": 3}"#);
    assert!(e.to_string().contains("unknown field `pain`"), "{e}");
    // A number too large for its type reads like any out-of-range number, not a Rust type.
    let e = err(r#"{"onset": "Chronic", "pain_score": 300}"#);
    assert_eq!(e.to_string(), "`pain_score` is `300`, expected 0 to 10");
    let e = err(r#"{"onset": "Chronic", "pain_score": 12}"#);
    assert_eq!(e.to_string(), "`pain_score` is `12`, expected 0 to 10");
    // A week out of range names its entry, so an app can point at the row it came from.
    let e = err(r#"{"onset": "Chronic", "training": {"weekly_km": [20, 30, 25, 5000]}}"#);
    assert_eq!(e.field(), Some("training.weekly_km[3]"));
    let e = err(r#"{"onset": "Chronic", "training": {"weekly_km": [20, null]}}"#);
    assert!(
        e.to_string().contains("`training.weekly_km[1]` is null"),
        "{e}"
    );
    // A value of the wrong kind.
    let e = err(r#"{"onset": "Chronic", "age": "thirty"}"#);
    assert!(
        e.to_string()
            .contains("`age` is text, expected a whole number"),
        "{e}"
    );
    // Not JSON at all: serde_json's position, our wording.
    let e = err("{\"onset\": ");
    assert!(e.to_string().starts_with("1:"), "{e}");
    // No message leaks a Rust type.
    for e in [
        err(r#"{"onset": "Chronic", "pain_score": 300}"#),
        err(r#"{"onset": "Chronic", "age": -1}"#),
        err(r#"{"present": []}"#),
    ] {
        let text = e.to_string();
        assert!(!text.contains("u8") && !text.contains("u32"), "{text}");
    }
}

#[test]
fn errors_serialize_for_a_backend() {
    let e = err(r#"{"onset": "Chronic", "training": {"weekly_km": [20, 30, 25, 5000]}}"#);
    let json = serde_json::to_string(&e).expect("serializable");
    assert!(json.contains("training.weekly_km[3]"), "{json}");
    let e = err(r#"{"onset": "Chronic", "present": ["fevr"]}"#);
    let json = serde_json::to_string(&e).expect("serializable");
    assert!(
        json.contains("\"line\"") && json.contains("Fever"),
        "{json}"
    );
}

#[test]
fn vocabularies_read_as_apps_store_them() {
    assert_eq!(
        "pain_on_stairs".parse::<Symptom>(),
        Ok(Symptom::PainOnStairs)
    );
    assert_eq!(
        "PAIN ON STAIRS".parse::<Symptom>(),
        Ok(Symptom::PainOnStairs)
    );
    let e = "pain_on_stair".parse::<Symptom>().unwrap_err();
    assert_eq!(e.suggestion, Some("PainOnStairs"));
    assert_eq!(
        e.to_string(),
        "unknown Symptom `pain_on_stair` (did you mean `PainOnStairs`?)"
    );
    // Display honours width, for tables.
    assert_eq!(format!("[{:<8}]", patella::Level::Doctor), "[Doctor  ]");
}

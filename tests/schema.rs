//! The JSON Schemas in `schema/` are the types' own: generated from `Assessment` and `Report`
//! by schemars (the `schema` feature), which follows serde's attributes. A change to a type
//! that is not carried into the file fails here; `PATELLA_BLESS=1` rewrites the files.
#![cfg(feature = "schema")]

use patella::{Assessment, Report};

/// Keys sorted at every level: serde_json keeps insertion order when another crate of the
/// build turns on its `preserve_order` feature, and the file must not depend on that.
fn sorted(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(sorted).collect())
        }
        other => other,
    }
}

fn check(file: &str, schema: &schemars::Schema) {
    let path = format!("{}/schema/{file}", env!("CARGO_MANIFEST_DIR"));
    let value = sorted(serde_json::to_value(schema).unwrap());
    let text = serde_json::to_string_pretty(&value).unwrap() + "\n";
    if std::env::var_os("PATELLA_BLESS").is_some() {
        std::fs::create_dir_all(format!("{}/schema", env!("CARGO_MANIFEST_DIR"))).unwrap();
        std::fs::write(&path, &text).unwrap();
    }
    let written = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        written == text,
        "{file} is not the schema of the type: run with PATELLA_BLESS=1 to rewrite it"
    );
}

#[test]
fn the_schema_files_are_the_types_schemas() {
    check("assessment.schema.json", &schemars::schema_for!(Assessment));
    check("report.schema.json", &schemars::schema_for!(Report));
}

/// The schema describes what serde writes: every key of a full report, and of the bundled
/// assessments, is a property the schema names, and the vocabularies are its enums.
#[test]
fn the_schemas_name_every_key_serde_writes() {
    let schema = serde_json::to_value(schemars::schema_for!(Assessment)).unwrap();
    let props = schema["properties"].as_object().unwrap();
    for f in [
        "itbs.ron",
        "patellar-tendinopathy.ron",
        "stress-fracture.ron",
    ] {
        let path = format!("{}/examples/assessments/{f}", env!("CARGO_MANIFEST_DIR"));
        let a = Assessment::from_ron(&std::fs::read_to_string(path).unwrap()).unwrap();
        let json = serde_json::to_value(&a).unwrap();
        for key in json.as_object().unwrap().keys() {
            assert!(
                props.contains_key(key),
                "{key} missing from the Assessment schema"
            );
        }
    }
    let text = serde_json::to_string(&schema).unwrap();
    assert!(
        text.contains("\"PainOnStairs\""),
        "the Symptom vocabulary as an enum"
    );
    assert_eq!(
        schema["additionalProperties"], false,
        "unknown fields are refused"
    );

    let report = serde_json::to_value(schemars::schema_for!(Report)).unwrap();
    let props = report["properties"].as_object().unwrap();
    let path = format!(
        "{}/examples/assessments/itbs.ron",
        env!("CARGO_MANIFEST_DIR")
    );
    let a = Assessment::from_ron(&std::fs::read_to_string(path).unwrap()).unwrap();
    let r: Report = patella::RuleSet::default().evaluate(&a);
    let json = serde_json::to_value(&r).unwrap();
    for key in json.as_object().unwrap().keys() {
        assert!(
            props.contains_key(key),
            "{key} missing from the Report schema"
        );
    }
    assert!(props.contains_key("plan") && props.contains_key("no_plan"));
}

//! Runs the example binaries the way a user would and checks what they print.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn triage(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--example", "triage", "--"])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assessments() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/assessments");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron" || x == "json"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    files
}

#[test]
fn triage_reads_every_bundled_assessment() {
    let files = assessments();
    assert!(files.len() >= 6, "only {} bundled assessments", files.len());
    let mut emergencies = 0;
    for file in &files {
        let out = triage(&[file], None);
        let stdout = text(&out.stdout);
        assert!(out.status.success(), "{file}: {}", text(&out.stderr));
        assert!(stdout.contains("Most likely:"), "{file}:\n{stdout}");
        assert!(
            stdout.contains("This is not a diagnosis"),
            "{file}:\n{stdout}"
        );

        let out = triage(&["--json", file], None);
        assert!(out.status.success(), "{file}: {}", text(&out.stderr));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        for key in ["diagnoses", "escalation", "steps", "factors", "fired"] {
            assert!(
                json.get(key).is_some(),
                "{file}: no `{key}` in the JSON report"
            );
        }
        assert!(
            !json["diagnoses"].as_array().unwrap().is_empty(),
            "{file}: no diagnosis"
        );
        if json["escalation"]["level"] == "Emergency" {
            emergencies += 1;
            assert!(stdout.is_empty() || !stdout.contains("keep running"));
        }
    }
    assert!(emergencies >= 1, "no bundled assessment is an emergency");
}

#[test]
fn triage_reads_standard_input_in_ron_and_json() {
    let out = triage(
        &["--json", "-"],
        Some("(onset: Acute, present: [Fever, HotRedKnee])"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["escalation"]["level"], "Emergency");

    let out = triage(
        &["-"],
        Some(
            r#"{"onset": "Chronic", "locations": ["OuterKnee"], "present": ["PainAtPredictableDistance"]}"#,
        ),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Most likely:"));
}

#[test]
fn triage_reads_a_case_file() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let first = std::fs::read_dir(case)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let out = triage(&[&first.display().to_string()], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("case "), "{stdout}");
    assert!(stdout.contains("as expected"), "{stdout}");
}

#[test]
fn a_bad_file_names_file_line_and_column_and_exits_2() {
    let out = triage(
        &["-"],
        Some("(\n  onset: Chronic,\n  present: [PainOnStiars],\n)"),
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("<stdin>:3:"), "{stderr}");
    assert!(stderr.contains("PainOnStiars"), "{stderr}");
    assert!(out.stdout.is_empty());

    let out = triage(&["-"], Some("{\"onset\": \"Chronic\",\n \"age\": \"old\"}"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("<stdin>:2:"),
        "{}",
        text(&out.stderr)
    );

    let out = triage(&["no/such/file.ron"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("no/such/file.ron: cannot read"));
}

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

/// What each bundled assessment is meant to show: its file name, the top diagnosis, the level.
const BUNDLED: &[(&str, &str, &str)] = &[
    ("acl.ron", "acl_injury", "UrgentCare"),
    ("itbs.ron", "iliotibial_band_syndrome", "SportsMedicine"),
    ("meniscal-tear.ron", "meniscal_tear", "Doctor"),
    ("osgood.ron", "osgood_schlatter", "SportsMedicine"),
    (
        "patellar-tendinopathy.ron",
        "patellar_tendinopathy",
        "SportsMedicine",
    ),
    ("pfps.ron", "patellofemoral_pain", "SportsMedicine"),
    ("septic-knee.ron", "septic_arthritis", "Emergency"),
    ("stress-fracture.ron", "stress_fracture", "Doctor"),
];

#[test]
fn triage_reads_every_bundled_assessment() {
    let files = assessments();
    let names: Vec<String> = files
        .iter()
        .map(|f| {
            Path::new(f)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let listed: Vec<&str> = BUNDLED.iter().map(|b| b.0).collect();
    assert_eq!(names, listed, "update BUNDLED when adding an assessment");

    let keep_running: Vec<String> = patella::RuleSet::default()
        .source()
        .steps
        .iter()
        .filter(|s| s.keeps_running)
        .map(|s| s.text.clone())
        .collect();
    for (file, (_, top, level)) in files.iter().zip(BUNDLED) {
        let out = triage(&[file], None);
        let stdout = text(&out.stdout);
        assert!(out.status.success(), "{file}: {}", text(&out.stderr));
        assert!(stdout.contains("Most likely:"), "{file}:\n{stdout}");
        assert!(
            stdout.trim_end().ends_with("see a health professional."),
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
        assert_eq!(json["diagnoses"][0]["id"], *top, "{file}");
        assert_eq!(json["escalation"]["level"], *level, "{file}");
        if matches!(*level, "Doctor" | "UrgentCare" | "Emergency") {
            for step in &keep_running {
                assert!(
                    !stdout.contains(step.as_str()),
                    "{file} tells the runner: {step}"
                );
            }
        }
    }
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
    assert!(stderr.starts_with("<stdin>:3:13: "), "{stderr}");
    assert!(stderr.contains("PainOnStiars"), "{stderr}");
    assert!(out.stdout.is_empty());

    let out = triage(&["-"], Some("{\"onset\": \"Chronic\",\n \"age\": \"old\"}"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("<stdin>:2:"),
        "{}",
        text(&out.stderr)
    );

    // A value out of range is placed at its field.
    let out = triage(&["-"], Some("(\n  onset: Chronic,\n  pain_score: 12,\n)"));
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("<stdin>:3:3: `pain_score` is `12`"),
        "{stderr}"
    );

    let out = triage(&["no/such/file.ron"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("no/such/file.ron: cannot read"));
}

#[test]
fn throughput_counts_every_assessment_it_evaluates() {
    let out = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--example", "throughput", "--", "3000"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.starts_with("3000 assessments on "), "{stdout}");
    assert!(stdout.contains("million a second"), "{stdout}");
    // The per-level counts add up to the number evaluated.
    let counted: usize = stdout
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().nth(1)?.parse::<usize>().ok())
        .sum();
    assert_eq!(counted, 3000, "{stdout}");

    let bad = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--example", "throughput", "--", "lots"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert_eq!(bad.status.code(), Some(2));
}

fn interview(input: &str) -> Output {
    let mut child = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--example", "interview"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cargo runs");
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        stdin
            .write_all(input.as_bytes())
            .expect("stdin takes the answers");
    }
    child.wait_with_output().expect("the interview ends")
}

#[test]
fn interview_runs_from_piped_answers() {
    // Acute, then "don't know" to everything: the interview asks its questions and ends on
    // its own, before the answers run out.
    let out = interview(&format!("y\n{}", "?\n".repeat(300)));
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(!stdout.contains("no more answers"), "{stdout}");
    let asked: usize = stdout
        .lines()
        .find_map(|l| l.strip_suffix(" questions asked."))
        .and_then(|n| n.trim().parse().ok())
        .expect("a question count");
    assert!(asked > 0 && asked < 300, "{asked}");
    assert!(stdout.contains("This is not a diagnosis"), "{stdout}");

    // Warning signs first: after an acute onset, ticking the first warning sign (a fever) and
    // then a hot knee reaches an emergency at once.
    let out = interview("y\n1 2\n");
    let stdout = text(&out.stdout);
    assert!(stdout.contains("EMERGENCY"), "{stdout}");

    // A word that is no answer is asked again, then the interview goes on.
    let out = interview("n\nmaybe\n?\n");
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("please answer with the numbers of the options, or ?"),
        "{stdout}"
    );
}

/// `--simulate` answers from a file as its runner would and agrees with the full file on every
/// bundled example.
#[test]
fn interview_simulates_a_file() {
    for file in assessments() {
        let out = std::process::Command::new(env!("CARGO"))
            .args([
                "run",
                "--quiet",
                "--example",
                "interview",
                "--",
                "--simulate",
                &file,
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("cargo runs");
        let stdout = text(&out.stdout);
        assert!(
            out.status.success(),
            "{file}: {stdout}{}",
            text(&out.stderr)
        );
        let count: usize = stdout
            .lines()
            .find_map(|l| l.strip_suffix(" questions"))
            .and_then(|n| n.trim().parse().ok())
            .expect("a question count");
        assert!((1..=15).contains(&count), "{file}: {count} questions");
        assert!(
            stdout.contains("interview: ") && stdout.contains("full file: "),
            "{stdout}"
        );
    }
}

#[test]
fn triage_explains_on_request() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/assessments/pfps.ron");
    let file = file.display().to_string();
    let out = triage(&["--explain", &file], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for heading in ["Why these diagnoses:", "Why not:", "Why this escalation:"] {
        assert!(stdout.contains(heading), "{heading} missing from\n{stdout}");
    }
    let out = triage(&["--json", "--explain", &file], None);
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(value["diagnoses"][0]["contributions"].is_array(), "{value}");
    assert!(value["report"]["escalation"].is_object(), "{value}");
}

#[test]
fn custom_rules_layers_the_clinic_file() {
    let out = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--example", "custom_rules"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("rule set: runner_knee + Northside Physio"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Book an assessment with Northside Physio"),
        "{stdout}"
    );
    assert!(
        // The figure quotes the clinic's own threshold, from the rule it replaced.
        stdout
            .contains("700 km or more (750 km on the current shoes; replace them at about 700 km)"),
        "{stdout}"
    );
}

#[test]
fn every_file_in_rules_and_examples_loads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ron_files = |dir: &str| -> Vec<std::path::PathBuf> {
        let mut v: Vec<_> = std::fs::read_dir(root.join(dir))
            .expect("directory")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "ron"))
            .collect();
        v.sort();
        v
    };
    for path in ron_files("rules") {
        let text = std::fs::read_to_string(&path).expect("readable");
        let set =
            patella::RuleSet::from_ron(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            set.warnings().is_empty(),
            "{}: {:?}",
            path.display(),
            set.warnings()
        );
    }
    for path in ron_files("examples/assessments") {
        let text = std::fs::read_to_string(&path).expect("readable");
        patella::Assessment::from_ron(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    let layers = ron_files("examples");
    assert!(!layers.is_empty());
    for path in layers {
        let text = std::fs::read_to_string(&path).expect("readable");
        let name = path.display().to_string();
        patella::RuleSet::layered(
            ("runner_knee.ron", patella::DEFAULT_RULES),
            &[patella::rules::RuleFile::new(&name, &text)],
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn every_example_binary_is_run_by_a_test() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tests: String = std::fs::read_dir(root.join("tests"))
        .expect("tests")
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| std::fs::read_to_string(e.path()).expect("readable"))
        .collect();
    for e in std::fs::read_dir(root.join("examples"))
        .expect("examples")
        .flatten()
    {
        let path = e.path();
        if path.extension().is_some_and(|x| x == "rs") {
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            assert!(
                tests.contains(&format!("\"--example\", \"{stem}\"")),
                "no test runs examples/{stem}.rs"
            );
        }
    }
}

fn plan(args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--example", "plan", "--"])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs")
}

#[test]
fn plan_prints_the_itbs_runners_weeks_and_refuses_a_red_flag() {
    let out = plan(&[]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    for want in [
        "Most likely: Iliotibial band syndrome",
        "start at 50% of 42.8 km a week, add at most 10% a week, pain at most 2/10",
        "     1   21.3 km   start  rest from running, cross-train",
        "     2   23.4 km   +9.9%  repeat 21.3 km",
        "a 10% rise would be at most 48.4 km",
        "IT band stretch",
    ] {
        assert!(stdout.contains(want), "missing `{want}` in\n{stdout}");
    }
    let out = plan(&["examples/assessments/septic-knee.ron"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("No return-to-running plan: the knee needs a doctor first.")
    );
    let out = plan(&["tests/broken/e0001-syntax.ron"]);
    assert_eq!(out.status.code(), Some(2));
}

/// An example whose reader goes away (`| head`) ends quietly: no "Broken pipe" panic.
#[test]
fn examples_end_quietly_when_the_output_pipe_closes() {
    for args in [
        vec!["plan"],
        vec!["triage", "--", "--explain", "examples/assessments/itbs.ron"],
        vec![
            "check",
            "--",
            "rules/runner_knee.ron",
            "tests/broken/ten-mistakes.ron",
        ],
    ] {
        let mut child = Command::new(env!("CARGO"))
            .args(["run", "--quiet", "--example"])
            .args(&args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before the example has written: its first write fails.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = text(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    }
}

/// The FHIR example prints a Bundle, and with `--card` a CDS Hooks card (with the `fhir`
/// feature, which brings `cds`).
#[cfg(feature = "fhir")]
#[test]
fn fhir_prints_a_bundle_and_a_card() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO"))
            .args(["run", "--quiet", "--example", "fhir"])
            .args(["--features", "fhir", "--"])
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("cargo runs")
    };
    let out = run(&["examples/assessments/itbs.ron"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bundle: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(
        bundle["entry"][0]["resource"]["resourceType"],
        "RiskAssessment"
    );
    let out = run(&["--card", "examples/assessments/stress-fracture.ron"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let card: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(card["indicator"], "warning");
    let out = run(&["no-such-file.ron"]);
    assert_eq!(out.status.code(), Some(2));
}

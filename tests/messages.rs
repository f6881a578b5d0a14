//! The messages of the ten mistakes a rule author is most likely to make, kept as expected
//! text: a change in wording shows up in review as a diff of `tests/expected/ten-mistakes.txt`.
//!
//! After a deliberate change, rewrite the file with
//! `PATELLA_BLESS=1 cargo test --test messages` and read the diff.

/// The mistakes, most likely first: a misspelt name, a misspelt level, a misspelt field, a
/// forgotten source, a transposed id, a step that does not exist, a copied rule left with its
/// id, a missing comma, a contradiction, and a threshold beyond the scale.
const TEN: [&str; 10] = [
    "tests/broken/e0002-unknown-symptom.ron",
    "tests/broken/e0002-unknown-level.ron",
    "tests/broken/e0003-unknown-field.ron",
    "tests/broken/e0004-missing-source.ron",
    "tests/broken/e0102-unknown-diagnosis.ron",
    "tests/broken/e0102-unknown-step.ron",
    "tests/broken/e0101-duplicate-rule-id.ron",
    "tests/broken/e0001-syntax.ron",
    "tests/broken/e0105-both-onsets.ron",
    "tests/broken/e0108-threshold-out-of-range.ron",
];

#[test]
fn the_ten_likeliest_mistakes_read_well() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = std::process::Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--example", "check", "--"])
        .args(TEN)
        .current_dir(root)
        .output()
        .expect("cargo runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "check must fail on broken files"
    );
    let got = String::from_utf8(out.stdout).expect("UTF-8 output");
    let path = format!("{root}/tests/expected/ten-mistakes.txt");
    if std::env::var_os("PATELLA_BLESS").is_some() {
        std::fs::write(&path, &got).expect("writable expected file");
    }
    let expected = std::fs::read_to_string(&path).expect("tests/expected/ten-mistakes.txt");
    assert_eq!(
        got, expected,
        "run with PATELLA_BLESS=1 to accept the new text"
    );
}

/// Every failure to load lists as diagnostics, one kind of problem: a file that is not a rule
/// file (with its file, among several) as much as a rule file with mistakes. Messages are one
/// line each.
#[test]
fn every_failure_to_load_lists_as_diagnostics_on_one_line() {
    use patella::{DEFAULT_RULES, RuleSet};
    let not_a_layer = "Layer(name: \"clinic\", version: \"1\", rules: [Rule(id: \"r\"";
    let e = RuleSet::layered(
        ("runner_knee.ron", DEFAULT_RULES),
        &[("clinic.ron", not_a_layer)],
    )
    .expect_err("not a layer");
    let found = e.diagnostics();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].file.as_deref(), Some("clinic.ron"));
    assert!(found[0].code().starts_with("E000"), "{}", found[0]);
    assert!(found[0].position.is_some());

    let two_mistakes = r#"RuleSet(name: "t", version: "1",
        rules: [Rule(id: "a", when: Has(Fever), then: [Suggest("nope", 1.0)], source: "S 2020"),
                Rule(id: "b", when: Has(Fever), then: [Suggest("nada", 1.0)], source: "S 2020")])"#;
    let e = RuleSet::from_ron(two_mistakes).expect_err("unknown diagnoses");
    assert_eq!(e.diagnostics().len(), 2);
    assert!(!e.to_string().contains('\n'), "{e}");
    assert!(e.to_string().starts_with("rule set has 2 errors: "), "{e}");
}

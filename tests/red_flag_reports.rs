//! The reports of four red flags as a clinician reads them, kept as expected text
//! (`tests/expected/red-flag-reports.txt`): the septic knee, the clot, the stress fracture and
//! the dislocated kneecap. A change in what they advise shows up in review as a diff.
//!
//! After a deliberate change, rewrite the file with
//! `PATELLA_BLESS=1 cargo test --test red_flag_reports` and read the diff.

use patella::{Assessment, Case, RuleSet};

fn file(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).expect(path)
}

#[test]
fn red_flag_reports_read_as_expected() {
    let rules = RuleSet::default();
    let runners: [(&str, Assessment); 4] = [
        (
            "septic knee (examples/assessments/septic-knee.ron)",
            Assessment::from_ron(&file("examples/assessments/septic-knee.ron")).expect("valid"),
        ),
        (
            "clot: a painful swollen calf in a runner on cancer treatment",
            Assessment::from_ron(
                "(age: 58, sex: Female, onset: Acute, days_since_onset: 3, locations: [BackOfKnee], present: [CalfSwellingOrPain, Swelling], history: [Cancer])",
            )
            .expect("valid"),
        ),
        (
            "stress fracture (examples/assessments/stress-fracture.ron)",
            Assessment::from_ron(&file("examples/assessments/stress-fracture.ron")).expect("valid"),
        ),
        (
            "dislocated kneecap (tests/cases/p-patellar-dislocation.ron)",
            Case::from_ron(&file("tests/cases/p-patellar-dislocation.ron"))
                .expect("valid")
                .assessment,
        ),
    ];
    let mut got = String::new();
    for (title, a) in &runners {
        got.push_str(&format!("===== {title}\n{}\n\n", rules.evaluate(a)));
    }
    let path = format!(
        "{}/tests/expected/red-flag-reports.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    if std::env::var_os("PATELLA_BLESS").is_some() {
        std::fs::write(&path, &got).expect("writable expected file");
    }
    let expected = std::fs::read_to_string(&path).expect("tests/expected/red-flag-reports.txt");
    assert_eq!(
        got, expected,
        "run with PATELLA_BLESS=1 to accept the new text"
    );
}

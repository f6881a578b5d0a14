//! Runs every case file against the default rule set: the project's own `tests/cases/` and,
//! when the folder exists beside the project (it does in CI), `../shared/cases/`.
//!
//! One line per case; the test fails on any case whose escalation is not the expected level or
//! whose top three miss every expected diagnosis.

use std::path::{Path, PathBuf};

use patella::{Case, RuleSet};

fn case_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_case_gets_its_escalation_and_diagnosis() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let own = case_files(&root.join("tests/cases"));
    let shared = case_files(&root.join("../shared/cases"));
    assert!(!own.is_empty(), "the project's own tests/cases/ is empty");

    let rules = RuleSet::default();
    let (mut passed, mut top1, mut failures) = (0, 0, Vec::new());
    let total = own.len() + shared.len();
    for path in own.iter().chain(&shared) {
        let text = std::fs::read_to_string(path).unwrap();
        let case = match Case::from_ron(&text) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        let report = rules.evaluate(&case.assessment);
        let v = case.verdict(&report);
        let top: Vec<String> = report
            .diagnoses
            .iter()
            .take(3)
            .map(|d| format!("{}({})", d.id, d.weight))
            .collect();
        let line = format!(
            "{:<5} {:<34} level {:?} (want {:?}), top3 [{}] (want one of {:?})",
            if v.passed() { "ok" } else { "MISS" },
            case.id,
            report.escalation.level,
            case.expect.escalation,
            top.join(", "),
            case.expect.top3_any,
        );
        println!("{line}");
        if v.passed() {
            passed += 1;
        } else {
            failures.push(line);
        }
        if v.top1_ok {
            top1 += 1;
        }
    }
    println!(
        "cases: {passed} of {total} pass ({} own, {} shared); top-1 hit {top1} of {total}",
        own.len(),
        shared.len()
    );
    assert!(
        failures.is_empty(),
        "failing cases:\n{}",
        failures.join("\n")
    );
}

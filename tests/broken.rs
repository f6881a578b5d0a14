//! Every file in `tests/broken/` holds one kind of authoring mistake and says, in its header,
//! what the checker must report:
//!
//! ```text
//! // expect: E0102 rule:sitting 21
//! ```
//!
//! a code, the item (`-` for parse errors and file-level fields) and the line. The test demands
//! exactly those diagnostics, no more and no fewer, and that the file is refused when any of
//! them is an error.

use std::path::Path;

use patella::{RuleSet, RuleSetError};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    code: String,
    item: String,
    line: usize,
}

fn expectations(name: &str, text: &str) -> Vec<Expected> {
    let found: Vec<Expected> = text
        .lines()
        .filter_map(|l| l.strip_prefix("// expect: "))
        .map(|l| {
            let parts: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(parts.len(), 3, "{name}: bad expect line `{l}`");
            Expected {
                code: parts[0].to_owned(),
                item: parts[1].to_owned(),
                line: parts[2]
                    .parse()
                    .unwrap_or_else(|_| panic!("{name}: bad line in `{l}`")),
            }
        })
        .collect();
    assert!(!found.is_empty(), "{name} has no `// expect:` line");
    found
}

/// What the checker reports for a file, in the same shape as the expectations.
fn reported(text: &str) -> Vec<Expected> {
    match RuleSet::check(text) {
        Err(e) => vec![Expected {
            code: e.code().to_owned(),
            item: "-".to_owned(),
            line: e.position.line,
        }],
        Ok(found) => found
            .iter()
            .map(|d| Expected {
                code: d.code().to_owned(),
                item: d
                    .item
                    .as_ref()
                    .map_or("-".to_owned(), |i| format!("{}:{}", i.kind.name(), i.id)),
                line: d.position.map_or(0, |p| p.line),
            })
            .collect(),
    }
}

#[test]
fn every_broken_file_is_caught_at_its_line() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/broken exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    assert!(files.len() >= 30, "only {} broken files", files.len());

    let mut codes = std::collections::BTreeSet::new();
    let mut wrong = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let text = std::fs::read_to_string(path).expect("readable file");
        let mut expected = expectations(&name, &text);
        let mut got = reported(&text);
        expected.sort();
        got.sort();
        if got != expected {
            wrong.push(format!(
                "{name}:\n  expected {expected:?}\n  reported {got:?}"
            ));
            continue;
        }

        let errors = expected.iter().any(|e| e.code.starts_with('E'));
        match RuleSet::from_ron(&text) {
            Ok(set) => {
                assert!(!errors, "{name} loaded despite errors");
                assert_eq!(set.warnings().len(), expected.len(), "{name}");
            }
            Err(RuleSetError::Invalid(list)) => {
                assert!(errors, "{name}: refused with only warnings expected");
                assert!(list.iter().all(patella::Diagnostic::is_error), "{name}");
            }
            Err(RuleSetError::Parse(_)) => assert!(errors, "{name}"),
            Err(e) => panic!("{name}: unexpected {e}"),
        }
        codes.extend(expected.into_iter().map(|e| e.code));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Every check the crate makes has a file here.
    for code in [
        "E0001", "E0002", "E0003", "E0004", "E0006", "E0101", "E0102", "E0103", "E0104", "E0105",
        "E0106", "E0107", "E0108", "E0109", "E0110", "E0111", "E0112", "E0113", "E0114", "W0201",
        "W0202", "W0203",
    ] {
        assert!(codes.contains(code), "no broken file for {code}");
    }
}

#[test]
fn check_prints_every_mistake_like_a_compiler() {
    let file = "tests/broken/three-mistakes.ron";
    let out = std::process::Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--example", "check", "--", file])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let errors: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with(file) && l.contains(": error["))
        .collect();
    assert_eq!(errors.len(), 3, "{stdout}");
    for code in ["E0102", "E0105", "E0111"] {
        assert!(
            errors.iter().any(|l| l.contains(&format!("error[{code}]"))),
            "{code} missing from\n{stdout}"
        );
    }
    assert!(stdout.contains("= help: did you mean `pfps`?"), "{stdout}");
    // The README shows this very output.
    assert!(
        include_str!("../README.md").contains(&format!("```text\n{stdout}```")),
        "README.md's check output is stale:\n{stdout}"
    );

    // A clean file exits 0.
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "run",
            "--quiet",
            "--example",
            "check",
            "--",
            "rules/runner_knee.ron",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.ends_with("1 file: 0 errors, 0 warnings\n"),
        "{stdout}"
    );
}

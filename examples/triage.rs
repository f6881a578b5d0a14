//! Triage one runner with the embedded default rule set.
//!
//! ```sh
//! cargo run --example triage -- examples/assessments/pfps.ron
//! cargo run --example triage -- --json examples/assessments/acl.ron
//! cargo run --example triage -- --explain examples/assessments/acl.ron
//! cargo run --example triage --features cds -- --card examples/assessments/stress-fracture.ron
//! echo '(onset: Acute, present: [Fever, HotRedKnee])' | cargo run --example triage -- -
//! ```
//!
//! FILE is an `Assessment` or a `Case`, RON or JSON by its extension (`-` reads standard input
//! and tells JSON by a leading `{`). A file that cannot be read or parsed prints
//! `FILE:LINE:COLUMN: message` on stderr and exits with status 2.

mod support;
use support::say;

use std::io::Read;
use std::process::ExitCode;

use patella::{Assessment, Case, RuleSet};

const USAGE: &str = "usage: triage [--json] [--explain] [--card] FILE   (FILE: an Assessment or Case, .ron or .json, or - for stdin; --card needs --features cds)";

fn main() -> ExitCode {
    let (flags, file) =
        support::flags_and_file("triage", USAGE, &["--json", "--explain", "--card"]);
    let has = |f: &str| flags.iter().any(|g| g == f);
    let (json, explain, card) = (has("--json"), has("--explain"), has("--card"));
    let (assessment, case) = match load(&file) {
        Ok(loaded) => loaded,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };

    let rules = RuleSet::default();
    let report = rules.evaluate(&assessment);
    if card {
        return print_card(&report);
    }
    if json {
        let text = if explain {
            serde_json::to_string_pretty(&rules.explain(&assessment))
        } else {
            serde_json::to_string_pretty(&report)
        };
        match text {
            Ok(text) => say!("{text}"),
            Err(e) => {
                eprintln!("triage: cannot write the report as JSON: {e}");
                return ExitCode::FAILURE;
            }
        }
        return ExitCode::SUCCESS;
    }
    if let Some(case) = &case {
        let v = case.verdict(&report);
        let top: Vec<&str> = report
            .diagnoses
            .iter()
            .take(3)
            .map(|d| d.id.as_str())
            .collect();
        say!(
            "case {}: {}\n  expected {} with one of {:?} in the top three; got {} with {:?}: {}\n",
            case.id,
            case.summary,
            case.expect.escalation,
            case.expect.top3_any,
            report.escalation.level,
            top,
            if v.passed() {
                "as expected"
            } else {
                "NOT as expected"
            }
        );
    }
    say!("{report}");
    if explain {
        say!("{}", rules.explain(&assessment));
    }
    ExitCode::SUCCESS
}

/// Reads FILE as an assessment or a case. The error is ready to print: `FILE:LINE:COL: ...`.
fn load(file: &str) -> Result<(Assessment, Option<Case>), String> {
    let text = if file == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("<stdin>: cannot read: {e}"))?;
        s
    } else {
        std::fs::read_to_string(file).map_err(|e| format!("{file}: cannot read: {e}"))?
    };
    let name = if file == "-" { "<stdin>" } else { file };
    let is_json = if file == "-" {
        text.trim_start().starts_with('{')
    } else {
        file.to_ascii_lowercase().ends_with(".json")
    };

    if is_json {
        let at = |e: serde_json::Error| {
            // serde_json's message ends in "at line L column C"; say the position once.
            let message = e.to_string();
            let message = message
                .rfind(" at line ")
                .map_or(message.as_str(), |i| &message[..i])
                .to_owned();
            format!("{name}:{}:{}: {message}", e.line(), e.column())
        };
        let value: serde_json::Value = serde_json::from_str(&text).map_err(at)?;
        if value.get("assessment").is_some() {
            let case: Case = serde_json::from_str(&text).map_err(at)?;
            checked(name, &text, case.assessment.clone()).map(|a| (a, Some(case)))
        } else {
            // The same checks, suggestions and positions as RON.
            let a = Assessment::from_json(&text).map_err(|e| located(name, &text, &e))?;
            Ok((a, None))
        }
    } else if starts_with_case(&text) {
        let case = Case::from_ron(&text).map_err(|e| located(name, &text, &e))?;
        Ok((case.assessment.clone(), Some(case)))
    } else {
        let a = Assessment::from_ron(&text).map_err(|e| located(name, &text, &e))?;
        Ok((a, None))
    }
}

/// Runs the value checks that serde alone does not (ranges, contradictions).
fn checked(name: &str, text: &str, a: Assessment) -> Result<Assessment, String> {
    a.validate().map_err(|e| located(name, text, &e))?;
    Ok(a)
}

/// True when the RON text's first item, after comments and `#![...]` attributes, is `Case`.
fn starts_with_case(text: &str) -> bool {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("//") {
            rest = r.find('\n').map_or("", |i| &r[i..]);
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.find("*/").map_or("", |i| &r[i + 2..]);
        } else if let Some(r) = rest.strip_prefix("#![") {
            rest = r.find(']').map_or("", |i| &r[i + 1..]);
        } else {
            break;
        }
    }
    rest.strip_prefix("Case")
        .is_some_and(|r| r.trim_start().starts_with('('))
}

/// `FILE:LINE:COL: message`. Parse errors carry their position; for a value out of range the
/// position is that of the field's name in the text (or of the symptom, for a contradiction).
fn located(name: &str, text: &str, e: &patella::AssessmentError) -> String {
    use patella::AssessmentError as E;
    let key = match e {
        E::Parse(p) => {
            let hint = p
                .hint
                .as_ref()
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            return format!(
                "{name}:{}:{}: {}{hint}",
                p.position.line, p.position.column, p.message
            );
        }
        // The field's own name, without its list entry: `training.weekly_km[3]` is found at
        // `weekly_km`.
        E::OutOfRange { field, .. } | E::TooManyWeeks { field, .. } => field
            .rsplit('.')
            .next()
            .unwrap_or(field)
            .split('[')
            .next()
            .unwrap_or(field)
            .to_owned(),
        E::Contradiction(symptom) => symptom.name().to_owned(),
        _ => String::new(),
    };
    match find_key(text, &key) {
        Some((line, column)) => format!("{name}:{line}:{column}: {e}"),
        None => format!("{name}: {e}"),
    }
}

/// Line and column (1-based) of the last place `key` stands as a whole word, bare or quoted.
/// The last, because a contradiction's second listing is the one at fault.
fn find_key(text: &str, key: &str) -> Option<(usize, usize)> {
    if key.is_empty() {
        return None;
    }
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let at = text
        .match_indices(key)
        .filter(|(i, _)| {
            let before = text[..*i].chars().next_back();
            let after = text[i + key.len()..].chars().next();
            !before.is_some_and(is_word) && !after.is_some_and(is_word)
        })
        .map(|(i, _)| i)
        .last()?;
    let line = text[..at].matches('\n').count() + 1;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    Some((line, text[line_start..at].chars().count() + 1))
}

/// The report as a CDS Hooks card, in JSON.
#[cfg(feature = "cds")]
fn print_card(report: &patella::Report) -> ExitCode {
    match serde_json::to_string_pretty(&report.cds_card()) {
        Ok(text) => {
            say!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("triage: cannot write the card as JSON: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "cds"))]
fn print_card(_: &patella::Report) -> ExitCode {
    eprintln!(
        "triage: --card needs the cds feature: cargo run --example triage --features cds -- --card FILE"
    );
    ExitCode::from(2)
}

//! Triage one runner with the embedded default rule set.
//!
//! ```sh
//! cargo run --example triage -- examples/assessments/pfps.ron
//! cargo run --example triage -- --json ../shared/cases/v06-acl.ron
//! echo '(onset: Acute, present: [Fever, HotRedKnee])' | cargo run --example triage -- -
//! ```
//!
//! FILE is an `Assessment` or a `Case`, RON or JSON by its extension (`-` reads standard input
//! and tells JSON by a leading `{`). A file that cannot be read or parsed prints
//! `FILE:LINE:COLUMN: message` on stderr and exits with status 2.

use std::io::Read;
use std::process::ExitCode;

use patella::{Assessment, Case, RuleSet};

const USAGE: &str =
    "usage: triage [--json] FILE   (FILE: an Assessment or Case, .ron or .json, or - for stdin)";

fn main() -> ExitCode {
    let mut json = false;
    let mut file = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--json" => json = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ if file.is_none() => file = Some(arg),
            _ => {
                eprintln!("triage: unexpected argument `{arg}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(file) = file else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let (assessment, case) = match load(&file) {
        Ok(loaded) => loaded,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };

    let report = RuleSet::default().evaluate(&assessment);
    if json {
        match serde_json::to_string_pretty(&report) {
            Ok(text) => println!("{text}"),
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
        println!(
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
    println!("{report}");
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
        let at = |e: serde_json::Error| format!("{name}:{}:{}: {e}", e.line(), e.column());
        if text.contains("\"assessment\"") {
            let case: Case = serde_json::from_str(&text).map_err(at)?;
            checked(name, case.assessment.clone()).map(|a| (a, Some(case)))
        } else {
            let a: Assessment = serde_json::from_str(&text).map_err(at)?;
            checked(name, a).map(|a| (a, None))
        }
    } else if text.contains("assessment:") {
        let case = Case::from_ron(&text).map_err(|e| format!("{name}:{}", located(&e)))?;
        Ok((case.assessment.clone(), Some(case)))
    } else {
        let a = Assessment::from_ron(&text).map_err(|e| format!("{name}:{}", located(&e)))?;
        Ok((a, None))
    }
}

fn checked(name: &str, a: Assessment) -> Result<Assessment, String> {
    a.validate().map_err(|e| format!("{name}: {e}"))?;
    Ok(a)
}

/// `LINE:COL: message` for parse errors, `message` otherwise (with a leading space).
fn located(e: &patella::AssessmentError) -> String {
    match e {
        patella::AssessmentError::Parse(p) => {
            format!("{}:{}: {}", p.position.line, p.position.column, p.message)
        }
        other => format!(" {other}"),
    }
}

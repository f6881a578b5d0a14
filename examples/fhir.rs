//! A runner's report in the clinic's language: an HL7 FHIR R4 Bundle, or with `--card` a CDS
//! Hooks card.
//!
//! ```sh
//! cargo run --example fhir --features fhir -- examples/assessments/itbs.ron
//! cargo run --example fhir --features fhir -- --card examples/assessments/stress-fracture.ron
//! ```
//!
//! FILE is an `Assessment` or a `Case`, in RON or JSON (by its extension). Exits with 2 when
//! the file cannot be read or parsed.

#[path = "support/mod.rs"]
mod support;

use std::process::ExitCode;

use patella::{Assessment, Case, RuleSet};
use support::say;

const USAGE: &str = "usage: fhir [--card] FILE   (FILE: an Assessment or Case, .ron or .json)";

fn main() -> ExitCode {
    let (flags, file) = support::flags_and_file("fhir", USAGE, &["--card"]);
    let card = !flags.is_empty();
    let assessment = match load(&file) {
        Ok(a) => a,
        Err(message) => {
            eprintln!("{file}: {message}");
            return ExitCode::from(2);
        }
    };
    let report = RuleSet::default().evaluate(&assessment);
    let json = if card {
        serde_json::to_string_pretty(&report.cds_card())
    } else {
        serde_json::to_string_pretty(&report.fhir_bundle())
    };
    match json {
        Ok(text) => {
            say!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("fhir: cannot write JSON: {e}");
            ExitCode::FAILURE
        }
    }
}

/// An assessment, or a case's assessment, from RON or JSON.
fn load(file: &str) -> Result<Assessment, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read: {e}"))?;
    if file.to_ascii_lowercase().ends_with(".json") {
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        if value.get("assessment").is_some() {
            let case: Case = serde_json::from_value(value).map_err(|e| e.to_string())?;
            return Ok(case.assessment);
        }
        return Assessment::from_json(&text).map_err(|e| e.to_string());
    }
    // An assessment, or else a case; the assessment's error is the one to show.
    Assessment::from_ron(&text).or_else(|e| {
        Case::from_ron(&text)
            .map(|c| c.assessment)
            .map_err(|_| e.to_string())
    })
}

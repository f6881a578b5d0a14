//! Check rule files the way a compiler checks code: every error and warning, each with its
//! code, position and a hint.
//!
//! ```sh
//! cargo run --example check -- rules/runner_knee.ron
//! cargo run --example check -- tests/broken/*.ron
//! ```
//!
//! Prints `FILE:LINE:COL: error[CODE]: message` (or `warning[CODE]`), then the hint on an
//! indented line. Exits with 1 when any file has an error (or cannot be read), 0 otherwise,
//! warnings included, and 2 when called without files.

mod support;
use support::say;

use std::process::ExitCode;

use patella::RuleSet;

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() || files.iter().any(|f| f == "-h" || f == "--help") {
        eprintln!("usage: check FILE...   (rule files in RON)");
        return ExitCode::from(2);
    }
    let (mut errors, mut warnings) = (0usize, 0usize);
    for file in &files {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) => {
                say!("{file}: error: cannot read: {e}");
                errors += 1;
                continue;
            }
        };
        // Whether the text is no rule file at all or a rule file with mistakes, every
        // problem is a `Diagnostic`, printed one way.
        let found = match RuleSet::check(&text) {
            Ok(found) => found,
            Err(e) => vec![patella::Diagnostic::from(e)],
        };
        for d in &found {
            if d.is_error() {
                errors += 1;
            } else {
                warnings += 1;
            }
            let at = d.position.map(|p| format!(":{p}")).unwrap_or_default();
            say!(
                "{file}{at}: {}[{}]: {}",
                d.severity(),
                d.code(),
                d.message()
            );
            if let Some(hint) = &d.hint {
                say!("    = help: {hint}");
            }
            if let patella::DiagnosticKind::Parse { expected, .. } = &d.kind
                && !expected.is_empty()
            {
                say!("    = note: expected one of: {}", expected.join(", "));
            }
        }
    }
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    say!(
        "{} file{}: {errors} error{}, {warnings} warning{}",
        files.len(),
        plural(files.len()),
        plural(errors),
        plural(warnings)
    );
    if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

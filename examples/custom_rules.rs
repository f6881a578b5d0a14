//! A clinic extends the default rule set with a layer of its own (`examples/clinic.ron`):
//! a new step and rule, a step reworded, a rule replaced, a rule disabled. The merged set is
//! validated as one, and a mistake in the layer names the layer's file.
//!
//! ```sh
//! cargo run --example custom_rules
//! cargo run --example custom_rules -- path/to/your-layer.ron
//! ```

mod support;
use support::say;

use std::process::ExitCode;

use patella::{Assessment, RuleSet};

fn main() -> ExitCode {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/examples/clinic.ron").to_owned());
    let layer = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{path}: cannot read: {e}");
            return ExitCode::from(2);
        }
    };
    // The clinic's file on top of the embedded default set, named as the clinic wrote it.
    let rules = match RuleSet::default().with_layer(&path, &layer) {
        Ok(rules) => rules,
        Err(e) => {
            // Every problem, warnings included, one per line.
            for d in e.diagnostics() {
                eprintln!("{d}");
            }
            return ExitCode::FAILURE;
        }
    };
    for w in rules.warnings() {
        say!("{w}");
    }
    say!(
        "rule set: {} (version {})\n",
        rules.source().name,
        rules.source().version
    );

    // A runner three weeks into kneecap pain, on worn shoes.
    let runner = Assessment::from_ron(
        "(onset: Chronic, days_since_onset: 21, age: 35, locations: [AroundKneecap],
          present: [PainOnStairs, PainOnSquatting], absent: [Swelling, Locking, Fever],
          training: (weekly_km: [30.0, 32.0, 31.0, 34.0], shoe_km: 750.0))",
    );
    let runner = match runner {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let report = rules.evaluate(&runner);
    say!("{report}");
    say!(
        "fired: {}",
        report
            .fired
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    ExitCode::SUCCESS
}

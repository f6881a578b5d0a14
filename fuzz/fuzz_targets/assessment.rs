//! Assessment loading and evaluation on the default rule set: any bytes, as an assessment
//! (RON), must give an assessment or an error, never a panic; an assessment that loads must
//! evaluate to a report that keeps the crate's safety rules.
#![no_main]

use libfuzzer_sys::fuzz_target;
use patella::{Assessment, Level, Outcome, RuleSet};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(a) = Assessment::from_ron(text) else {
        return;
    };
    let rules = RuleSet::default();
    let report = rules.evaluate(&a);
    // Deterministic, and the same through the allocation-free path.
    assert_eq!(rules.evaluate(&a), report);
    let mut outcome = Outcome::new();
    rules.evaluate_into(&a, &mut outcome);
    assert_eq!(outcome.level(), report.escalation.level);
    // At Doctor and above the escalation step comes first.
    if report.escalation.level >= Level::Doctor {
        assert_eq!(report.steps.first().map(|s| s.id.as_str()), Some("escalation"));
    }
    // The level is the maximum of the reasons, and every reason names a rule that fired.
    let top = report.escalation.reasons.iter().map(|r| r.level).max();
    assert_eq!(top.unwrap_or(Level::SelfCare), report.escalation.level);
    for r in &report.escalation.reasons {
        assert!(report.fired.contains(&r.rule));
    }
    let _ = report.to_string();
});

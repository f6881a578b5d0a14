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
    // A plan only below Doctor, never above the recent distance, never growing past the limit,
    // and every figure finite.
    if let Some(plan) = &report.plan {
        assert!(report.escalation.level < Level::Doctor);
        let growth = 1.0 + plan.weekly_limit_pct / 100.0;
        assert!(plan.weeks.iter().all(|w| w.km > 0.0 && w.km <= plan.recent_km));
        assert!(plan.weeks.windows(2).all(|w| w[1].km <= w[0].km * growth));
    }
    let l = &report.load;
    for x in [l.weekly_change_pct, l.acwr, l.longest_run_change_pct, l.chronic_km] {
        assert!(x.is_none_or(f64::is_finite));
    }
    let _ = report.to_string();
});

//! Rule-file loading: any bytes, as a rule file, must give a rule set or an error, never a
//! panic, a hang or a stack overflow. A set that loads must evaluate, and agree with itself
//! through both entry points.
#![no_main]

use libfuzzer_sys::fuzz_target;
use patella::{Assessment, Onset, Outcome, RuleSet, Symptom};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The validation step alone, and the full load, must agree on whether there are errors.
    let checked = RuleSet::check(text);
    let loaded = RuleSet::from_ron(text);
    match (&checked, &loaded) {
        (Ok(found), Ok(_)) => assert!(found.iter().all(|d| !d.is_error())),
        (Ok(found), Err(_)) => assert!(found.iter().any(|d| d.is_error())),
        (Err(_), Ok(_)) => panic!("check refused what from_ron loaded"),
        (Err(_), Err(_)) => {}
    }
    if let Ok(set) = loaded {
        let mut a = Assessment::new(Onset::Acute);
        a.present = vec![Symptom::Swelling, Symptom::Fever];
        a.age = Some(30);
        let report = set.evaluate(&a);
        let mut outcome = Outcome::new();
        set.evaluate_into(&a, &mut outcome);
        assert_eq!(outcome.report().as_ref(), Some(&report));
    }
});

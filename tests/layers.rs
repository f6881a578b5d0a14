//! Layered rule sets: a clinic's file on top of the default set, validated together, every
//! problem naming the file it is in.

use patella::{DEFAULT_RULES, Onset, RuleSet, RuleSetError};

const BASE: (&str, &str) = ("runner_knee.ron", DEFAULT_RULES);

fn layer(body: &str) -> String {
    format!("Layer(name: \"clinic\", version: \"1\",\n{body}\n)")
}

#[test]
fn the_clinic_example_layers_on_the_default_set() {
    let clinic = include_str!("../examples/clinic.ron");
    let rules = RuleSet::layered(BASE, &[("clinic.ron", clinic)]).expect("the example loads");
    let src = rules.source();
    assert_eq!(src.name, "runner_knee + Northside Physio");
    // Added, replaced, disabled.
    assert!(src.steps.iter().any(|s| s.id == "book_northside_physio"));
    let shoes = src
        .rules
        .iter()
        .find(|r| r.id == "worn_shoes")
        .expect("kept, replaced");
    assert!(format!("{:?}", shoes.when).contains("700"));
    assert!(src.rules.iter().all(|r| r.id != "high_weekly_distance"));
    // The factor that rule reported is now unused: a warning that names the base file.
    let w = rules
        .warnings()
        .iter()
        .find(|w| w.code() == "W0201")
        .expect("a warning");
    assert_eq!(w.file.as_deref(), Some("runner_knee.ron"));
    // The report names both, and carries the clinic's step.
    let mut a = patella::Assessment::new(Onset::Chronic);
    a.days_since_onset = Some(30);
    a.present.push(patella::Symptom::PainOnStairs);
    let report = rules.evaluate(&a);
    assert!(
        report.rule_set.contains("Northside Physio 0.1.0 + 2026.11")
            || report.rule_set.contains("+ Northside"),
        "{}",
        report.rule_set
    );
    assert!(report.steps.iter().any(|s| s.id == "book_northside_physio"));
}

#[test]
fn a_mistake_in_a_layer_names_the_layer_and_its_line() {
    let text = layer(
        r#"rules: [
    Rule(id: "clinic_rule", when: Has(Fever), then: [Recommend(["no_such_step"])], source: "S"),
],"#,
    );
    let Err(RuleSetError::Invalid(errors)) = RuleSet::layered(BASE, &[("clinic.ron", &text)])
    else {
        panic!("loaded with an unknown step");
    };
    let e = errors
        .iter()
        .find(|e| e.code() == "E0102")
        .expect("unknown reference");
    assert_eq!(e.file.as_deref(), Some("clinic.ron"));
    assert_eq!(e.position.map(|p| p.line), Some(3));
    assert!(e.to_string().starts_with("clinic.ron:3:"), "{e}");
}

#[test]
fn disabling_an_unknown_rule_is_an_error_and_an_escalating_one_a_warning() {
    let text = layer(r#"disable: ["no_such_rule"],"#);
    let Err(RuleSetError::Invalid(errors)) = RuleSet::layered(BASE, &[("clinic.ron", &text)])
    else {
        panic!("disabled a rule that does not exist");
    };
    assert_eq!(errors[0].code(), "E0102");
    assert_eq!(errors[0].file.as_deref(), Some("clinic.ron"));

    let text = layer(r#"disable: ["locked_knee"],"#);
    let rules = RuleSet::layered(BASE, &[("clinic.ron", &text)]).expect("allowed");
    assert!(
        rules.warnings().iter().any(|w| w.code() == "W0204"),
        "{:?}",
        rules.warnings()
    );
}

#[test]
fn a_file_that_is_not_a_layer_names_itself() {
    match RuleSet::layered(BASE, &[("clinic.ron", "Layer(name: \"x\",")]) {
        Err(RuleSetError::InFile { file, error }) => {
            assert_eq!(file, "clinic.ron");
            assert_eq!(error.position.line, 1);
        }
        other => panic!("expected a file error, got {other:?}"),
    }
}

#[test]
fn a_layer_that_weakens_a_red_flag_is_warned_about_and_one_that_keeps_it_is_not() {
    // Replacing the `injury` pattern switches off the Ottawa and injury red flags.
    let text =
        layer(r#"patterns: [Pattern(id: "injury", when: All([Onset(Acute), Mechanism(Fall)]))],"#);
    let rules = RuleSet::layered(BASE, &[("clinic.ron", &text)]).expect("allowed");
    let w: Vec<_> = rules
        .warnings()
        .iter()
        .filter(|w| w.code() == "W0204")
        .collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].file.as_deref(), Some("clinic.ron"));
    assert_eq!(w[0].position.map(|p| p.line), Some(2));

    // Rewording a red flag at the same level is not weakening it.
    let base = RuleSet::default();
    let locked = base
        .source()
        .rules
        .iter()
        .find(|r| r.id == "locked_knee")
        .expect("a red flag");
    let mut reworded = locked.clone();
    reworded.note = Some("Our wording.".into());
    let text = layer(&format!(
        "rules: [{}],",
        ron::to_string(&reworded).expect("ron")
    ));
    let rules = RuleSet::layered(BASE, &[("clinic.ron", &text)]).expect("allowed");
    assert!(
        rules.warnings().iter().all(|w| w.code() != "W0204"),
        "{:?}",
        rules.warnings()
    );
}

#[test]
fn repeated_ids_inside_a_layer_are_errors_that_point_at_the_layer() {
    let text = layer(
        r#"steps: [
    Step(id: "ours", phase: Immediate, text: "One."),
    Step(id: "ours", phase: Immediate, text: "Two."),
],
disable: ["worn_shoes", "worn_shoes"],"#,
    );
    let Err(RuleSetError::Invalid(errors)) = RuleSet::layered(BASE, &[("clinic.ron", &text)])
    else {
        panic!("loaded with repeated ids");
    };
    let dups: Vec<_> = errors.iter().filter(|e| e.code() == "E0101").collect();
    assert_eq!(dups.len(), 2, "{errors:?}");
    assert!(dups.iter().all(|e| e.file.as_deref() == Some("clinic.ron")));
    // The disabled id is found in `disable`, on its line.
    let disabled = dups
        .iter()
        .find(|e| e.item.as_ref().is_some_and(|i| i.id == "worn_shoes"));
    assert_eq!(disabled.and_then(|e| e.position).map(|p| p.line), Some(6));
}

#[test]
fn a_layer_replaces_the_training_section_and_its_mistakes_name_the_layer() {
    let training = |fraction: &str| {
        layer(&format!(
            r#"training: Training(
    weekly_limit: Cited(value: 5.0, source: "Clinic protocol citing Buist I et al. Am J Sports Med 2008;36(1):33-9"),
    acwr_zones: Zones(zones: [Zone(id: "any", text: "any ratio")], source: "Gabbett TJ. Br J Sports Med 2016;50(5):273-80"),
    plan: Plan(
        weeks: Cited(value: 12.0, source: "Nielsen RO et al. PLoS One 2014;9(6):e99877"),
        pain_limit: Cited(value: 3.0, source: "Silbernagel KG et al. Am J Sports Med 2007;35(6):897-906"),
        start: [Start(diagnoses: ["iliotibial_band_syndrome"], fraction: {fraction}, source: "Clinic protocol")],
    ),
),"#
        ))
    };
    let rules = RuleSet::layered(BASE, &[("clinic.ron", &training("0.4"))]).expect("loads");
    let text = include_str!("../examples/assessments/itbs.ron");
    let report = rules.evaluate(&patella::Assessment::from_ron(text).unwrap());
    let plan = report.plan.expect("a plan from the clinic's numbers");
    assert_eq!(plan.start_fraction, 0.4);
    assert_eq!(plan.weekly_limit_pct, 5.0);
    assert_eq!(plan.pain_limit, 3);
    assert_eq!(plan.weeks.len(), 12);
    assert!(
        plan.weeks
            .windows(2)
            .all(|w| w[1].km <= w[0].km * 1.05 + 1e-9)
    );

    let Err(RuleSetError::Invalid(errors)) =
        RuleSet::layered(BASE, &[("clinic.ron", &training("2.0"))])
    else {
        panic!("loaded a plan starting at twice the recent distance");
    };
    let e = errors.iter().find(|e| e.code() == "E0117").expect("E0117");
    assert_eq!(e.file.as_deref(), Some("clinic.ron"));
    assert_eq!(e.position.map(|p| p.line), Some(8), "{e}");
}

/// A mistake in a layer is located as precisely as in a single file: at the reference, not at
/// the rule's id.
#[test]
fn a_layer_points_at_the_reference_as_a_single_file_does() {
    let body = r#"rules: [
    Rule(id: "clinic_rule", when: Has(Fever), then: [Recommend(["no_such_step"])], source: "S"),
],"#;
    let Err(RuleSetError::Invalid(errors)) =
        RuleSet::layered(BASE, &[("clinic.ron", &layer(body))])
    else {
        panic!("loaded with an unknown step");
    };
    let e = errors
        .iter()
        .find(|e| e.code() == "E0102")
        .expect("unknown");
    let line = "    Rule(id: \"clinic_rule\", when: Has(Fever), then: [Recommend([\"no_such_step\"])], source: \"S\"),";
    let column = line.find("\"no_such_step\"").expect("in the line") + 1;
    assert_eq!(e.position.map(|p| (p.line, p.column)), Some((3, column)));
}

/// A misspelt id in `disable` gets the same suggestion as any other reference.
#[test]
fn a_misspelt_disable_suggests_the_rule_meant() {
    let text = layer(r#"disable: ["locked_kne"],"#);
    let Err(RuleSetError::Invalid(errors)) = RuleSet::layered(BASE, &[("clinic.ron", &text)])
    else {
        panic!("disabled a rule that does not exist");
    };
    assert_eq!(
        errors[0].hint.as_deref(),
        Some("did you mean `locked_knee`?")
    );
}

/// `check` takes the file a clinic writes: a layer is checked on top of the default set.
#[test]
fn check_takes_a_layer_file() {
    let clinic = include_str!("../examples/clinic.ron");
    let found = RuleSet::check(clinic).expect("a layer, not a parse error");
    assert!(found.iter().all(|d| !d.is_error()), "{found:?}");
    let broken = layer(
        r#"rules: [Rule(id: "r", when: Has(Fever), then: [Recommend(["icepack"])], source: "S 2020")],"#,
    );
    let found = RuleSet::check(&broken).expect("a layer");
    let e = found.iter().find(|d| d.is_error()).expect("an error");
    assert_eq!(e.code(), "E0102");
    assert!(
        e.file.is_none(),
        "the layer's own problems carry no file: {e}"
    );
    assert!(e.position.is_some(), "{e}");
}

/// Name and text swapped is refused with a short message, not an echo of the rule file.
#[test]
fn swapped_name_and_text_are_refused_briefly() {
    let e = RuleSet::layered((DEFAULT_RULES, "runner_knee.ron"), &[("clinic.ron", "x")])
        .expect_err("swapped");
    let text = e.to_string();
    assert!(text.len() < 300, "{} characters", text.len());
    assert!(
        text.contains("swapped") || text.contains("name first"),
        "{text}"
    );
}

/// A layer on any loaded set, the default one included.
#[test]
fn a_layer_goes_on_the_default_set() {
    let text = layer(r#"disable: ["hard_or_uneven_surface"],"#);
    let rules = RuleSet::default()
        .with_layer("clinic.ron", &text)
        .expect("a valid layer");
    assert!(
        rules
            .source()
            .rules
            .iter()
            .all(|r| r.id != "hard_or_uneven_surface")
    );
    let mut a = patella::Assessment::new(Onset::Chronic);
    a.days_since_onset = Some(30);
    assert!(rules.evaluate(&a).rule_set.contains("+ clinic 1"));
}

/// Warnings are kept beside the errors that stopped a load: a clinic sees the red flag it
/// weakened as well as its mistake.
#[test]
fn warnings_are_kept_with_errors() {
    let text = layer(
        r#"disable: ["locked_knee"],
rules: [Rule(id: "r", when: Has(Fever), then: [Recommend(["icepack"])], source: "S 2020")],"#,
    );
    let e = RuleSet::layered(BASE, &[("clinic.ron", &text)]).expect_err("an unknown step");
    let found = e.diagnostics();
    assert!(found.iter().any(|d| d.code() == "E0102"));
    assert!(found.iter().any(|d| d.code() == "W0204"), "{found:?}");
    assert!(e.to_string().starts_with("rule set has 1 error: "), "{e}");
}

/// A failed load serializes, so a service can return it as JSON.
#[test]
fn a_failed_load_serializes() {
    let text = layer(r#"disable: ["locked_kne"],"#);
    let e = RuleSet::layered(BASE, &[("clinic.ron", &text)]).expect_err("unknown rule");
    let json = serde_json::to_string(&e).expect("serializable");
    assert!(json.contains("locked_knee"), "{json}");
}

//! Interviews scripted from known assessments: answering from a case's own assessment must
//! reach the same escalation and top diagnosis as evaluating the whole assessment, no interview
//! may end while an unasked answer could still raise the escalation, and the interview stays
//! short (grouped questions: checklists, one-of questions, the places as a map).

#[path = "support/strategies.rs"]
mod strategies;

#[path = "support/files.rs"]
mod files;
use patella::{
    Answer, Assessment, Fact, History, Interview, InterviewState, Level, Onset, QuestionKind,
    RuleSet, Symptom,
};
use proptest::prelude::*;

/// What an app holds before asking anything: the onset and the training log, and with
/// `places` where it hurts (tapped on a knee diagram). History is asked.
fn start_of(full: &Assessment, places: bool) -> Assessment {
    let mut a = Assessment::new(full.onset);
    a.training = full.training.clone();
    a.training.new_to_running = None;
    if places {
        a.locations = full.locations.clone();
    }
    a
}

/// Runs the interview to its end, answering as the runner of `full` would; returns it and the
/// number of questions asked.
fn interview(rules: &RuleSet, full: &Assessment, places: bool) -> (Interview, usize) {
    let mut i = Interview::new(rules, start_of(full, places));
    let mut asked = 0;
    while let Some(q) = i.next() {
        assert!(asked < 100, "the interview does not end");
        i.answer(&q.id, q.answer_for(full))
            .unwrap_or_else(|e| panic!("{e}"));
        asked += 1;
    }
    (i, asked)
}

/// The targets of the interview issue, on the shared cases with nothing but the onset and the
/// training log given: median at most 8 questions, at most 15, and the same level and top
/// diagnosis as the full assessment on every case.
#[test]
fn scripted_interviews_reach_the_full_answer_on_every_case() {
    let rules = RuleSet::default();
    let all = files::cases();
    assert!(all.len() >= 10, "only {} case files", all.len());
    for places in [false, true] {
        let mut counts = Vec::new();
        let mut wrong = Vec::new();
        for case in &all {
            let full = rules.evaluate(&case.assessment);
            let (done, asked) = interview(&rules, &case.assessment, places);
            let got = done.report();
            let (top, want) = (
                got.top().map(|d| d.id.clone()),
                full.top().map(|d| d.id.clone()),
            );
            if got.escalation.level != full.escalation.level || top != want {
                wrong.push(format!(
                    "{}: {:?} {top:?}, want {:?} {want:?}, after {:?}",
                    case.id,
                    got.escalation.level,
                    full.escalation.level,
                    done.asked()
                ));
            }
            counts.push((asked, case.id.clone()));
        }
        assert!(
            wrong.is_empty(),
            "places given: {places}\n{}",
            wrong.join("\n")
        );
        counts.sort();
        let median = counts[counts.len() / 2].0;
        let max = counts.last().map_or(0, |c| c.0);
        println!(
            "{}: questions per case: median {median}, max {max}",
            if places {
                "places given"
            } else {
                "places asked"
            }
        );
        for (n, id) in &counts {
            println!("  {n:3} {id}");
        }
        assert!(median <= 8, "median {median} questions");
        assert!(max <= 15, "at most {max} questions");
    }
}

#[test]
fn warning_signs_come_first_and_every_question_has_words() {
    let rules = RuleSet::default();
    let i = Interview::new(&rules, Assessment::new(Onset::Acute));
    let qs = i.remaining();
    assert!(!qs.is_empty());
    // Ordered by the level an answer could raise to, highest first.
    let levels: Vec<_> = qs.iter().map(|q| q.could_raise_to).collect();
    let mut sorted = levels.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(levels, sorted);
    assert_eq!(qs[0].could_raise_to, Some(Level::Emergency));
    assert_eq!(qs[0].id, "warning_signs");
    for q in &qs {
        assert!(
            !q.text.starts_with("Do you have this:"),
            "no wording for {}",
            q.id
        );
    }
}

#[test]
fn answers_must_fit_their_questions() {
    let rules = RuleSet::default();
    let mut i = Interview::new(&rules, Assessment::new(Onset::Chronic));
    assert!(i.answer("Age", Answer::Yes).is_err());
    let e = i.answer("Age", Answer::Number(300.0)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "300 is outside the valid range for `Age`, 0 to 120"
    );
    assert!(i.answer("warning_signs", Answer::Number(1.0)).is_err());
    assert!(
        i.answer("warning_signs", Answer::Picked(vec![Fact::Age]))
            .is_err()
    );
    assert!(i.answer("no_such_question", Answer::Yes).is_err());
    assert!(
        i.answer(
            "how_it_started",
            Answer::Picked(vec![
                Fact::Mechanism(patella::Mechanism::Fall),
                Fact::Mechanism(patella::Mechanism::Overuse)
            ])
        )
        .is_err(),
        "two options for a one-of question"
    );
    assert!(i.asked().is_empty(), "a refused answer records nothing");
    // "Don't know" fits every question, a number included.
    i.answer("Age", Answer::DontKnow).expect("valid");
    i.answer(
        "height_and_weight",
        Answer::HeightWeight {
            height_cm: 180.0,
            weight_kg: 81.0,
        },
    )
    .expect("valid");
    assert_eq!(i.assessment().bmi, Some(25.0));
    for e in [
        i.answer("Age", Answer::Yes).unwrap_err(),
        i.answer("sex", Answer::Yes).unwrap_err(),
    ] {
        assert!(!e.to_string().contains("Fact"), "{e}");
    }
}

/// A checklist's "none of these" rules every option out; its picks are present.
#[test]
fn a_checklist_answers_every_option() {
    let rules = RuleSet::default();
    let mut i = Interview::new(&rules, Assessment::new(Onset::Acute));
    let q = i.next().expect("a question");
    let QuestionKind::AnyOf { options, none } = &q.kind else {
        panic!("{q:?}");
    };
    assert!(none.is_some());
    i.answer(&q.id, Answer::Picked(vec![Fact::Has(Symptom::Fever)]))
        .expect("valid");
    let a = i.assessment();
    assert!(a.present.contains(&Symptom::Fever));
    for o in options {
        if let Fact::Has(s) = o.fact
            && s != Symptom::Fever
        {
            assert!(a.absent.contains(&s), "{s} not ruled out");
        }
    }
    assert!(i.remaining().iter().all(|q| q.id != "warning_signs"));
}

/// The red-flag lines that need history (blood thinners, cancer, a recent procedure, missed
/// periods) are reachable from an interview that starts without it.
#[test]
fn history_red_flags_are_reachable() {
    let rules = RuleSet::default();
    let runners = [
        (
            "(onset: Chronic, present: [Swelling], history: [Anticoagulants])",
            Level::UrgentCare,
        ),
        (
            "(onset: Chronic, age: 40, present: [CalfSwellingOrPain], history: [Cancer])",
            Level::UrgentCare,
        ),
        (
            "(onset: Chronic, present: [HotRedKnee], history: [RecentKneeProcedure])",
            Level::Emergency,
        ),
        (
            "(onset: Chronic, sex: Female, age: 28, present: [HipOrThighPain, NightPain], history: [MissedPeriods])",
            Level::UrgentCare,
        ),
    ];
    for (text, level) in runners {
        let full = Assessment::from_ron(text).expect("valid");
        assert_eq!(rules.evaluate(&full).escalation.level, level, "{text}");
        let (done, _) = interview(&rules, &full, false);
        assert!(
            done.asked().iter().any(|q| q == "history"),
            "{text}: {:?}",
            done.asked()
        );
        assert_eq!(done.report().escalation.level, level, "{text}");
    }
    // An app that holds the history (even an empty one) is not asked it.
    let mut start = Assessment::new(Onset::Chronic);
    start.training.new_to_running = Some(false);
    let i = Interview::new(&rules, start).history_known();
    assert!(i.remaining().iter().all(|q| q.id != "history"));
}

/// A server keeps the state between requests as JSON and resumes where it stopped.
#[test]
fn the_state_serializes_and_resumes() {
    let rules = RuleSet::default();
    let mut i = Interview::new(&rules, Assessment::new(Onset::Chronic));
    let q = i.next().expect("a question");
    i.answer(&q.id, Answer::Picked(Vec::new()))
        .expect("none of these");
    i.answer("Age", Answer::DontKnow).expect("valid");
    let json = serde_json::to_string(i.state()).expect("serializable");
    let state: InterviewState = serde_json::from_str(&json).expect("readable");
    let resumed = Interview::resume(&rules, state);
    assert_eq!(resumed.state(), i.state());
    assert_eq!(resumed.next(), i.next());
    assert!(
        resumed.asked().iter().any(|q| q == "Age"),
        "a don't know is kept"
    );
    // A question serializes for an app, and an answer deserializes from one.
    let q = resumed.next().expect("more to ask");
    let text = serde_json::to_string(&q).expect("serializable");
    assert!(text.contains("\"kind\""), "{text}");
    let answer: Answer =
        serde_json::from_str(r#"{"Picked": [{"Has": "Fever"}]}"#).expect("readable");
    assert_eq!(answer, Answer::Picked(vec![Fact::Has(Symptom::Fever)]));
}

/// Without an answer, `next` keeps asking the same question: nothing moves on by itself.
#[test]
fn next_without_an_answer_asks_the_same_question() {
    let rules = RuleSet::default();
    let i = Interview::new(&rules, Assessment::new(Onset::Acute));
    assert_eq!(i.next(), i.next());
}

#[test]
fn every_history_item_the_rules_use_can_be_asked() {
    let rules = RuleSet::default();
    let asked: Vec<Fact> = rules
        .source()
        .questions
        .iter()
        .flat_map(|q| q.facts())
        .collect();
    for h in [
        History::Anticoagulants,
        History::RecentKneeProcedure,
        History::Cancer,
        History::BloodClot,
        History::MissedPeriods,
    ] {
        assert!(asked.contains(&Fact::History(h)), "{h}");
    }
    // Each fact in one question at most.
    let mut sorted = asked.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), asked.len(), "a fact is in two questions");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever the runner, an interview answered truthfully ends where the full assessment
    /// is: no answer left unasked could have raised the escalation or changed the top.
    #[test]
    fn interviews_end_only_when_nothing_left_could_matter(full in strategies::assessment()) {
        let rules = RuleSet::default();
        // History is a record the runner answers truthfully from; what the file does not
        // list, the runner does not have.
        let expected = rules.evaluate(&full);
        let (done, _) = interview(&rules, &full, false);
        let got = done.report();
        prop_assert_eq!(got.escalation.level, expected.escalation.level);
        prop_assert_eq!(got.top().map(|d| d.id.clone()), expected.top().map(|d| d.id.clone()));
    }
}

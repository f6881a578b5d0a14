//! Interviews scripted from known assessments: answering from a case's own assessment must
//! reach the same escalation and top diagnosis as evaluating the whole assessment, and no
//! interview may end while an unasked answer could still raise the escalation.

#[path = "support/strategies.rs"]
mod strategies;

#[path = "support/files.rs"]
mod files;
use patella::rules::Fact;
use patella::{Answer, Assessment, Interview, RuleSet};
use proptest::prelude::*;

/// What the runner of `full` would answer.
fn answer_from(full: &Assessment, fact: Fact) -> Answer {
    let yes_no = |b: bool| if b { Answer::Yes } else { Answer::No };
    match fact {
        Fact::Has(s) if full.present.contains(&s) => Answer::Yes,
        Fact::Has(s) if full.absent.contains(&s) => Answer::No,
        Fact::Location(_) if full.locations.is_empty() => Answer::DontKnow,
        Fact::Location(l) => yes_no(full.locations.contains(&l)),
        Fact::Mechanism(m) => full.mechanism.map_or(Answer::DontKnow, |x| yes_no(x == m)),
        Fact::Sex(s) => full.sex.map_or(Answer::DontKnow, |x| yes_no(x == s)),
        Fact::Age => full
            .age
            .map_or(Answer::DontKnow, |x| Answer::Number(f64::from(x))),
        Fact::DaysSinceOnset => full
            .days_since_onset
            .map_or(Answer::DontKnow, |x| Answer::Number(f64::from(x))),
        Fact::PainScore => full
            .pain_score
            .map_or(Answer::DontKnow, |x| Answer::Number(f64::from(x))),
        Fact::Bmi => full.bmi.map_or(Answer::DontKnow, Answer::Number),
        _ => Answer::DontKnow,
    }
}

/// What an app knows before asking anything: the onset, the training log and the history,
/// and with `places` where it hurts (tapped on a knee diagram).
fn start_of(full: &Assessment, places: bool) -> Assessment {
    let mut a = Assessment::new(full.onset);
    a.training = full.training.clone();
    a.history = full.history.clone();
    if places {
        a.locations = full.locations.clone();
    }
    a
}

/// Runs the interview to its end; returns it, the number of questions asked, and how many
/// of them were asked because the answer could change the escalation.
fn interview(rules: &RuleSet, full: &Assessment, places: bool) -> (Interview, usize, usize) {
    let mut i = Interview::new(rules, start_of(full, places));
    let (mut asked, mut red_flags) = (0, 0);
    while let Some(q) = i.next() {
        assert!(asked < 200, "the interview does not end");
        red_flags += usize::from(q.could_raise_to.is_some());
        i.answer(q.fact, answer_from(full, q.fact))
            .unwrap_or_else(|e| panic!("{e}"));
        asked += 1;
    }
    (i, asked, red_flags)
}

#[test]
fn scripted_interviews_reach_the_full_answer_on_every_case() {
    let rules = RuleSet::default();
    let all = files::cases();
    // The project's own cases at least; the shared vignettes join them when checked out beside
    // the project, and a clone of the crate alone must pass too.
    assert!(all.len() >= 10, "only {} case files", all.len());
    for places in [true, false] {
        let mut counts = Vec::new();
        for case in &all {
            let full = rules.evaluate(&case.assessment);
            let (done, asked, red_flags) = interview(&rules, &case.assessment, places);
            let got = done.report();
            assert_eq!(
                got.escalation.level, full.escalation.level,
                "{}: escalation after {asked} questions",
                case.id
            );
            assert_eq!(
                got.top().map(|d| d.id.clone()),
                full.top().map(|d| d.id.clone()),
                "{}: top diagnosis after {asked} questions",
                case.id
            );
            counts.push((asked, red_flags, case.id.clone()));
        }
        counts.sort();
        let median = counts[counts.len() / 2].0;
        let max = counts.last().map_or(0, |c| c.0);
        let mut escalation: Vec<usize> = counts.iter().map(|c| c.1).collect();
        escalation.sort_unstable();
        println!(
            "{}: questions per case: median {median}, max {max}; of them about the escalation: median {}",
            if places {
                "places given"
            } else {
                "places asked"
            },
            escalation[escalation.len() / 2]
        );
        for (n, e, id) in &counts {
            println!("  {n:3} ({e:2} about the escalation) {id}");
        }
    }
}

#[test]
fn red_flag_questions_come_first() {
    let rules = RuleSet::default();
    let i = Interview::new(&rules, Assessment::new(patella::Onset::Acute));
    let qs = i.remaining();
    assert!(!qs.is_empty());
    // Ordered by the level an answer could raise to, highest first.
    let levels: Vec<_> = qs.iter().map(|q| q.could_raise_to).collect();
    let mut sorted = levels.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(levels, sorted);
    assert_eq!(qs[0].could_raise_to, Some(patella::Level::Emergency));
    // Every question has words from the rule set.
    for q in &qs {
        assert!(
            !q.text.starts_with("Do you have this:"),
            "no wording for {:?}",
            q.fact
        );
    }
}

#[test]
fn answers_must_fit_their_questions() {
    let rules = RuleSet::default();
    let mut i = Interview::new(&rules, Assessment::new(patella::Onset::Chronic));
    assert!(i.answer(Fact::Age, Answer::Yes).is_err());
    assert!(i.answer(Fact::Age, Answer::Number(300.0)).is_err());
    assert!(
        i.answer(Fact::Has(patella::Symptom::Fever), Answer::Number(1.0))
            .is_err()
    );
    assert!(i.asked().is_empty(), "a refused answer records nothing");
    i.answer(Fact::Age, Answer::Number(41.0)).expect("valid");
    assert_eq!(i.assessment().age, Some(41));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever the runner, an interview answered truthfully ends where the full assessment
    /// is: no answer left unasked could have raised the escalation or changed the top.
    #[test]
    fn interviews_end_only_when_nothing_left_could_matter(full in strategies::assessment()) {
        let rules = RuleSet::default();
        let expected = rules.evaluate(&full);
        let (done, _, _) = interview(&rules, &full, false);
        let got = done.report();
        prop_assert_eq!(got.escalation.level, expected.escalation.level);
        prop_assert_eq!(got.top().map(|d| d.id.clone()), expected.top().map(|d| d.id.clone()));
    }
}

#[test]
fn every_askable_fact_has_one_question_in_the_default_set() {
    use patella::{Location, Mechanism, Sex, Symptom};
    let rules = RuleSet::default();
    let mut facts: Vec<Fact> = Symptom::ALL.iter().map(|s| Fact::Has(*s)).collect();
    facts.extend(Location::ALL.iter().map(|l| Fact::Location(*l)));
    facts.extend(Mechanism::ALL.iter().map(|m| Fact::Mechanism(*m)));
    facts.extend(Sex::ALL.iter().map(|s| Fact::Sex(*s)));
    facts.extend([Fact::Age, Fact::DaysSinceOnset, Fact::PainScore, Fact::Bmi]);
    for fact in facts {
        let n = rules
            .source()
            .questions
            .iter()
            .filter(|q| q.fact == fact)
            .count();
        assert_eq!(n, 1, "{fact:?} has {n} questions");
    }
}

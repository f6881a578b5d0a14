//! An interview: from a partial [`Assessment`], ask the question whose answer could matter
//! most, record the answer, and stop when no remaining answer could change the escalation or
//! the top diagnosis.
//!
//! ```
//! use patella::{Answer, Assessment, Interview, Onset, RuleSet, Symptom};
//! use patella::rules::Fact;
//!
//! let rules = RuleSet::default();
//! let mut interview = Interview::new(&rules, Assessment::new(Onset::Chronic));
//! let mut asked = 0;
//! while let Some(q) = interview.next() {
//!     // A scripted runner: pain on stairs and around the kneecap, nothing else known.
//!     let answer = match q.fact {
//!         Fact::Has(Symptom::PainOnStairs) => Answer::Yes,
//!         Fact::Location(patella::Location::AroundKneecap) => Answer::Yes,
//!         Fact::Age => Answer::Number(30.0),
//!         _ => Answer::DontKnow,
//!     };
//!     interview.answer(q.fact, answer)?;
//!     asked += 1;
//! }
//! let report = interview.report();
//! assert!(asked > 0);
//! assert_eq!(report.escalation.level, patella::Level::SelfCare);
//! # Ok::<(), patella::AnswerError>(())
//! ```

mod question;

pub use question::{Answer, AnswerError, Pending, Question};

use crate::engine::RuleSet;
use crate::engine::explore::{self, Stake};
use crate::engine::run;
use crate::facts::Facts;
use crate::model::Assessment;
use crate::report::Report;
use crate::rules::Fact;
use question::number;

/// A question-by-question triage. Red-flag questions come first; the interview ends when no
/// remaining answer could raise the escalation or change the top diagnosis.
#[derive(Debug, Clone)]
pub struct Interview {
    rules: RuleSet,
    assessment: Assessment,
    asked: Vec<Fact>,
    /// Places answered yes while the start named none. Questions are ranked with them and
    /// with the other places still unknown (an assessment's list counts as complete once it
    /// names one place, which would close the others too early).
    places: Vec<crate::vocab::Location>,
}

impl Interview {
    /// Starts from what is already known (at least the onset; training and history come from
    /// the runner's log).
    #[must_use]
    pub fn new(rules: &RuleSet, start: Assessment) -> Interview {
        Interview {
            rules: rules.clone(),
            assessment: start,
            asked: Vec::new(),
            places: Vec::new(),
        }
    }

    /// The next question, or `None` when no answer could change the escalation or the top
    /// diagnosis any more.
    #[must_use]
    pub fn next(&self) -> Option<Question> {
        self.remaining().into_iter().next()
    }

    /// Every question still worth asking, most important first.
    #[must_use]
    pub fn remaining(&self) -> Vec<Question> {
        let asked = |f: Fact| self.asked.contains(&f);
        // Places named so far count, and the others stay open, while the start named none.
        let open = self.assessment.locations.is_empty();
        self.rules
            .ranked_facts(&self.assessment(), &asked, open)
            .into_iter()
            .map(|(fact, stake)| self.rules.question(fact, stake))
            .collect()
    }

    /// Records an answer. The fact is not asked again, whatever the answer.
    ///
    /// # Errors
    /// When the answer does not fit the question: a number for a yes-or-no question, yes or no
    /// for a number, or a number out of range. Nothing is recorded then.
    pub fn answer(&mut self, fact: Fact, answer: Answer) -> Result<(), AnswerError> {
        let a = &mut self.assessment;
        match (fact, answer) {
            (_, Answer::DontKnow) => {}
            (f, Answer::Number(x)) => {
                let n = number(f).ok_or(AnswerError::NeedsYesNo(f))?;
                let (lo, hi, _) = n.domain();
                if !(x.is_finite() && lo <= x && x <= hi) {
                    return Err(AnswerError::OutOfRange {
                        fact: f,
                        value: x,
                        lo,
                        hi,
                    });
                }
                // In range, so the casts below cannot overflow. Age counts whole years.
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                match f {
                    Fact::Age => a.age = Some(x.floor() as u32),
                    Fact::DaysSinceOnset => a.days_since_onset = Some(x.round() as u32),
                    Fact::PainScore => a.pain_score = Some(x.round() as u8),
                    _ => a.bmi = Some(x),
                }
            }
            (f, _) if number(f).is_some() => return Err(AnswerError::NeedsNumber(f)),
            (Fact::Has(s), yes_no) => {
                a.present.retain(|x| *x != s);
                a.absent.retain(|x| *x != s);
                if yes_no == Answer::Yes {
                    a.present.push(s);
                } else {
                    a.absent.push(s);
                }
            }
            (Fact::Location(l), Answer::Yes) => {
                if a.locations.is_empty() {
                    if !self.places.contains(&l) {
                        self.places.push(l);
                    }
                } else if !a.locations.contains(&l) {
                    a.locations.push(l);
                }
            }
            (Fact::Mechanism(m), Answer::Yes) => a.mechanism = Some(m),
            (Fact::Sex(s), Answer::Yes) => a.sex = Some(s),
            // With two values, a no to one is a yes to the other.
            (Fact::Sex(s), Answer::No) => {
                let others: Vec<_> = crate::vocab::Sex::ALL.iter().filter(|x| **x != s).collect();
                if let [other] = others.as_slice() {
                    a.sex = Some(**other);
                }
            }
            // A no to one place, mechanism or sex says nothing the assessment can hold.
            _ => {}
        }
        if !self.asked.contains(&fact) {
            self.asked.push(fact);
        }
        Ok(())
    }

    /// What is known so far, places named during the interview included.
    #[must_use]
    pub fn assessment(&self) -> Assessment {
        let mut a = self.assessment.clone();
        if a.locations.is_empty() {
            a.locations.clone_from(&self.places);
        }
        a
    }

    /// The facts asked about so far, in order.
    #[must_use]
    pub fn asked(&self) -> &[Fact] {
        &self.asked
    }

    /// The report on what is known so far.
    #[must_use]
    pub fn report(&self) -> Report {
        self.rules.evaluate(&self.assessment())
    }
}

/// Questions: the facts whose answers could change the escalation or the top diagnosis.
impl RuleSet {
    /// The questions worth asking about `assessment`, most important first: those whose
    /// answer could raise the escalation (highest possible level first), then those that could
    /// change the top diagnosis. Facts no rule could use never appear; an empty list means no
    /// answer could change the escalation or the top diagnosis. Wording comes from the rule
    /// set's `questions`.
    ///
    /// ```
    /// use patella::{Assessment, Onset, RuleSet, rules::Fact, Symptom};
    /// let rules = RuleSet::default();
    /// let questions = rules.questions(&Assessment::new(Onset::Acute));
    /// // After an acute onset, the emergencies are asked about first.
    /// assert_eq!(questions[0].could_raise_to, Some(patella::Level::Emergency));
    /// ```
    #[must_use]
    pub fn questions(&self, assessment: &Assessment) -> Vec<Question> {
        self.ranked_facts(assessment, &|_| false, false)
            .into_iter()
            .map(|(fact, stake)| self.question(fact, stake))
            .collect()
    }

    /// The rules that could still fire on `assessment` (their condition is unknown) and the
    /// unknown facts each waits on, in rule-id order. Kept apart from [`RuleSet::evaluate`],
    /// which stays fast; a rule that fires only because a field is missing (a missing
    /// mechanism counts as an injury) is listed too, as an answer could retract it.
    ///
    /// ```
    /// use patella::{Assessment, Onset, RuleSet, rules::Fact, Symptom};
    /// let mut a = Assessment::new(Onset::Chronic);
    /// a.present.push(Symptom::Fever);
    /// let pending = RuleSet::default().pending(&a);
    /// let septic = pending.iter().find(|p| p.rule == "fever_with_hot_or_swollen_knee").unwrap();
    /// assert!(septic.waits_on.contains(&Fact::Has(Symptom::HotRedKnee)));
    /// ```
    #[must_use]
    pub fn pending(&self, assessment: &Assessment) -> Vec<Pending> {
        let c = self.compiled();
        let facts = Facts::from_assessment(assessment);
        explore::open_rules(c, &facts, &|_| false)
            .into_iter()
            .filter_map(|o| {
                Some(Pending {
                    rule: c.rules.get(o.rule)?.id.clone(),
                    waits_on: o.facts,
                })
            })
            .collect()
    }

    /// Facts worth asking about, with why, leaving out those `asked` says were asked.
    /// With `places_open`, the assessment's locations are those named so far and the others
    /// are still unknown.
    pub(crate) fn ranked_facts(
        &self,
        assessment: &Assessment,
        asked: &dyn Fn(Fact) -> bool,
        places_open: bool,
    ) -> Vec<(Fact, Stake)> {
        let c = self.compiled();
        let mut facts = Facts::from_assessment(assessment);
        facts.locations_open = places_open;
        let mut run = run::Run::default();
        run::run(c, &facts, &mut run);
        let open = explore::open_rules(c, &facts, asked);
        explore::stakes(c, &run, &open)
    }

    pub(crate) fn question(&self, fact: Fact, stake: Stake) -> Question {
        let def = self.source().questions.iter().find(|q| q.fact == fact);
        Question::new(fact, def, stake.raises_to, stake.reorders)
    }
}

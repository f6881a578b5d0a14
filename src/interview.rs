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

use serde::{Deserialize, Serialize};

use crate::engine::RuleSet;
use crate::model::Assessment;
use crate::report::{Level, Report};
use crate::rules::{Fact, QuestionDef};

/// A rule that could still fire, and the unknown facts it waits on
/// ([`RuleSet::pending`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Pending {
    /// The rule's id.
    pub rule: crate::report::Text,
    /// The facts whose answers could make it fire (or, for a rule that fires on a missing
    /// field, retract it).
    pub waits_on: Vec<Fact>,
}

/// A question worth asking, with why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Question {
    /// What it asks about; pass it back to [`Interview::answer`].
    pub fact: Fact,
    /// The question, from the rule set's `questions` (or a plain default).
    pub text: String,
    /// For a number, its unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// For a number, the smallest and largest valid answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<(f64, f64)>,
    /// The highest level at stake: a level an answer could raise the escalation to, or the
    /// current level when an answer could lower it (a rule that fired only on a missing
    /// field, such as the mechanism, and that nothing else backs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub could_raise_to: Option<Level>,
    /// An answer could change the top diagnosis.
    pub could_change_top: bool,
}

impl Question {
    pub(crate) fn new(
        fact: Fact,
        def: Option<&QuestionDef>,
        could_raise_to: Option<Level>,
        could_change_top: bool,
    ) -> Question {
        let range = number(fact).map(|n| {
            let (lo, hi, _) = n.domain();
            (lo, hi.min(1e6))
        });
        Question {
            fact,
            text: def.map_or_else(|| default_text(fact), |d| d.text.clone()),
            unit: def.and_then(|d| d.unit.clone()),
            range,
            could_raise_to,
            could_change_top,
        }
    }

    /// True when the answer is a number rather than yes or no.
    #[must_use]
    pub fn wants_number(&self) -> bool {
        self.range.is_some()
    }
}

/// Words for a fact the rule set has no question for.
fn default_text(fact: Fact) -> String {
    match fact {
        Fact::Has(s) => format!("Do you have this: {s}?"),
        Fact::Location(l) => format!("Is this where it hurts most: {l}?"),
        Fact::Mechanism(m) => format!("Did it start like this: {m}?"),
        Fact::Sex(s) => format!("Is your sex {s}?"),
        Fact::Age => "How old are you?".to_owned(),
        Fact::DaysSinceOnset => "How many days ago did it start?".to_owned(),
        Fact::PainScore => "How bad is the pain at its worst, from 0 to 10?".to_owned(),
        Fact::Bmi => "What is your body-mass index?".to_owned(),
    }
}

fn number(fact: Fact) -> Option<crate::facts::Num> {
    use crate::facts::Num;
    Some(match fact {
        Fact::Age => Num::Age,
        Fact::DaysSinceOnset => Num::DaysSinceOnset,
        Fact::PainScore => Num::PainScore,
        Fact::Bmi => Num::Bmi,
        _ => return None,
    })
}

/// An answer to a [`Question`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Answer {
    /// Yes.
    Yes,
    /// No.
    No,
    /// Don't know: the fact stays unknown and is not asked again.
    DontKnow,
    /// A number, for questions that want one.
    Number(f64),
}

/// An answer that does not fit its question.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum AnswerError {
    /// A yes or no to a question that wants a number.
    #[error("`{0:?}` wants a number")]
    NeedsNumber(Fact),
    /// A number to a yes-or-no question.
    #[error("`{0:?}` wants yes, no or don't know")]
    NeedsYesNo(Fact),
    /// A number outside the valid range.
    #[error("`{value}` is outside the valid range for `{fact:?}`, {lo} to {hi}")]
    OutOfRange {
        /// The question.
        fact: Fact,
        /// The answer given.
        value: f64,
        /// Smallest valid answer.
        lo: f64,
        /// Largest valid answer.
        hi: f64,
    },
}

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
    places: Vec<crate::model::Location>,
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
                let others: Vec<_> = crate::model::Sex::ALL.iter().filter(|x| **x != s).collect();
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

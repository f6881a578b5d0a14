//! The questions an interview asks and the answers it takes: plain data, so an app can show a
//! question and send an answer back without Rust.

use serde::{Deserialize, Serialize};

use crate::fields::Num;
use crate::rules::{Fact, QuestionDef};
use crate::text::Text;
use crate::vocab::Level;

/// A rule that could still fire, and the unknown facts it waits on
/// ([`RuleSet::pending`](crate::RuleSet::pending)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Pending {
    /// The rule's id.
    pub rule: Text,
    /// The facts whose answers could make it fire (or, for a rule that fires on a missing
    /// field, retract it).
    pub waits_on: Vec<Fact>,
}

/// A question worth asking, with why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Question {
    /// What it asks about; pass it back to [`Interview::answer`](crate::Interview::answer).
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

pub(crate) fn number(fact: Fact) -> Option<Num> {
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
    #[error("`{0}` wants a number")]
    NeedsNumber(Fact),
    /// A number to a yes-or-no question.
    #[error("`{0}` wants yes, no or don't know")]
    NeedsYesNo(Fact),
    /// A number outside the valid range.
    #[error("`{value}` is outside the valid range for `{fact}`, {lo} to {hi}")]
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

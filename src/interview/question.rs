//! The questions an interview asks and the answers it takes: plain data, so an app can draw a
//! question (a yes/no, a list of options, a checklist, a number with its unit) and send an
//! answer back as JSON without Rust.

use serde::{Deserialize, Serialize};

use crate::fields::Num;
use crate::rules::{Choice, Fact, QuestionDef};
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

/// A question worth asking, with what it is and why it is asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Question {
    /// Names the question: pass it back to [`Interview::answer`](crate::Interview::answer).
    /// For a one-fact question it is the fact as the rule language writes it (`Has(Fever)`).
    pub id: Text,
    /// The question, from the rule set's `questions` (or a plain default).
    pub text: String,
    /// What kind of answer it takes, with its options.
    pub kind: QuestionKind,
    /// The highest level at stake: a level an answer could raise the escalation to, or the
    /// current level when an answer could lower it (a rule that fired only on a missing
    /// field, such as the mechanism, and that nothing else backs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub could_raise_to: Option<Level>,
    /// An answer could change the top diagnosis.
    pub could_change_top: bool,
}

/// What kind of answer a question takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum QuestionKind {
    /// Yes, no or don't know ([`Answer::Yes`], [`Answer::No`], [`Answer::DontKnow`]).
    YesNo {
        /// The fact asked about.
        fact: Fact,
    },
    /// A number within `range`, or don't know ([`Answer::Number`], [`Answer::DontKnow`]).
    Number {
        /// The fact asked about.
        fact: Fact,
        /// Its unit, for the app to show.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unit: Option<String>,
        /// The smallest and largest valid answer.
        range: (f64, f64),
    },
    /// One of the options, or don't know ([`Answer::Picked`] with one fact).
    OneOf {
        /// The options.
        options: Vec<AnswerOption>,
    },
    /// Any of the options: those picked hold ([`Answer::Picked`]); with `none`, a checklist
    /// whose empty answer ("none of these") rules every option out.
    AnyOf {
        /// The options.
        options: Vec<AnswerOption>,
        /// The words of the "none of these" answer, for a checklist.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        none: Option<String>,
    },
    /// Height in centimetres and weight in kilograms ([`Answer::HeightWeight`]), or don't
    /// know: the body-mass index is worked out from them.
    HeightWeight,
}

/// An option of a question with several, as an app shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AnswerOption {
    /// The fact it makes true: send it back in [`Answer::Picked`].
    pub fact: Fact,
    /// Its words.
    pub text: String,
}

impl Question {
    pub(crate) fn new(
        def: &QuestionDef,
        offered: Vec<&Choice>,
        could_raise_to: Option<Level>,
        could_change_top: bool,
    ) -> Question {
        let options = |list: Vec<&Choice>| {
            list.into_iter()
                .map(|c| AnswerOption {
                    fact: c.fact,
                    text: c.text.clone(),
                })
                .collect()
        };
        let kind = match def {
            QuestionDef::Question { fact, unit, .. } => match range(*fact) {
                Some(range) => QuestionKind::Number {
                    fact: *fact,
                    unit: unit.clone(),
                    range,
                },
                None => QuestionKind::YesNo { fact: *fact },
            },
            QuestionDef::OneOf { .. } => QuestionKind::OneOf {
                options: options(offered),
            },
            QuestionDef::AnyOf { none, .. } => QuestionKind::AnyOf {
                options: options(offered),
                none: none.clone(),
            },
            QuestionDef::HeightWeight { .. } => QuestionKind::HeightWeight,
        };
        Question {
            id: Text::from(def.id()),
            text: def.text().to_owned(),
            kind,
            could_raise_to,
            could_change_top,
        }
    }

    /// A one-fact question in plain words, for a fact the rule set has no question for.
    pub(crate) fn plain(
        fact: Fact,
        could_raise_to: Option<Level>,
        could_change_top: bool,
    ) -> Question {
        let def = QuestionDef::Question {
            fact,
            text: default_text(fact),
            unit: None,
        };
        Question::new(&def, Vec::new(), could_raise_to, could_change_top)
    }

    /// The facts an answer to this question fills in.
    #[must_use]
    pub fn facts(&self) -> Vec<Fact> {
        match &self.kind {
            QuestionKind::YesNo { fact } | QuestionKind::Number { fact, .. } => vec![*fact],
            QuestionKind::OneOf { options } | QuestionKind::AnyOf { options, .. } => {
                options.iter().map(|o| o.fact).collect()
            }
            QuestionKind::HeightWeight => vec![Fact::Bmi],
        }
    }

    /// What `runner` would answer, as far as the assessment says: a yes or no for what it
    /// lists as present or absent, "don't know" for what it does not say; on a checklist the
    /// options it gives as present are ticked and the others are not, as a runner reading the
    /// list would answer; a height and weight that give its body-mass index. For simulating
    /// interviews from case files (`examples/interview.rs --simulate`).
    #[must_use]
    pub fn answer_for(&self, runner: &crate::model::Assessment) -> Answer {
        let a = runner;
        let holds = |f: Fact| -> Option<bool> {
            Some(match f {
                Fact::Has(s) if a.present.contains(&s) => true,
                Fact::Has(s) if a.absent.contains(&s) => false,
                Fact::Has(_) => return None,
                Fact::Location(_) if a.locations.is_empty() => return None,
                Fact::Location(l) => a.locations.contains(&l),
                Fact::Mechanism(m) => a.mechanism? == m,
                Fact::Sex(s) => a.sex? == s,
                Fact::History(h) => a.history.contains(&h),
                Fact::NewToRunning => a.training.new_to_running?,
                _ => return None,
            })
        };
        let number = |f: Fact| -> Option<f64> {
            match f {
                Fact::Age => a.age.map(f64::from),
                Fact::DaysSinceOnset => a.days_since_onset.map(f64::from),
                Fact::PainScore => a.pain_score.map(f64::from),
                Fact::Bmi => a.bmi,
                _ => None,
            }
        };
        match &self.kind {
            QuestionKind::YesNo { fact } => match holds(*fact) {
                Some(true) => Answer::Yes,
                Some(false) => Answer::No,
                None => Answer::DontKnow,
            },
            QuestionKind::Number { fact, .. } => {
                number(*fact).map_or(Answer::DontKnow, Answer::Number)
            }
            QuestionKind::OneOf { options } => options
                .iter()
                .find(|o| holds(o.fact) == Some(true))
                .map_or(Answer::DontKnow, |o| Answer::Picked(vec![o.fact])),
            QuestionKind::AnyOf { options, none } => {
                let picked: Vec<Fact> = options
                    .iter()
                    .map(|o| o.fact)
                    .filter(|f| holds(*f) == Some(true))
                    .collect();
                // A map of places with nothing known, or nothing ticked without a "none": the
                // runner cannot say.
                if picked.is_empty() && none.is_none() {
                    Answer::DontKnow
                } else {
                    Answer::Picked(picked)
                }
            }
            QuestionKind::HeightWeight => a.bmi.map_or(Answer::DontKnow, |bmi| {
                // Any height will do: the index is what the rules read.
                let height_cm = 170.0;
                Answer::HeightWeight {
                    height_cm,
                    weight_kg: bmi * 1.7 * 1.7,
                }
            }),
        }
    }

    /// True when the answer is a number rather than yes or no.
    #[must_use]
    pub fn wants_number(&self) -> bool {
        matches!(
            self.kind,
            QuestionKind::Number { .. } | QuestionKind::HeightWeight
        )
    }
}

/// Words for a fact the rule set has no question for.
fn default_text(fact: Fact) -> String {
    match fact {
        Fact::Has(s) => format!("Do you have this: {s}?"),
        Fact::Location(l) => format!("Is this where it hurts most: {l}?"),
        Fact::Mechanism(m) => format!("Did it start like this: {m}?"),
        Fact::Sex(s) => format!("Is your sex {s}?"),
        Fact::History(h) => format!("Is this in your history: {h}?"),
        Fact::NewToRunning => "Did you start running within the last three months?".to_owned(),
        Fact::Age => "How old are you?".to_owned(),
        Fact::DaysSinceOnset => "How many days ago did it start?".to_owned(),
        Fact::PainScore => "How bad is the pain at its worst, from 0 to 10?".to_owned(),
        _ => "What is your body-mass index?".to_owned(),
    }
}

/// The number field a fact fills in, if it is a number.
pub(crate) fn number(fact: Fact) -> Option<Num> {
    Some(match fact {
        Fact::Age => Num::Age,
        Fact::DaysSinceOnset => Num::DaysSinceOnset,
        Fact::PainScore => Num::PainScore,
        Fact::Bmi => Num::Bmi,
        _ => return None,
    })
}

/// The valid answers to a numeric fact.
fn range(fact: Fact) -> Option<(f64, f64)> {
    number(fact).map(|n| {
        let (lo, hi, _) = n.domain();
        (lo, hi.min(1e6))
    })
}

/// An answer to a [`Question`]. Serializes as data, so an app can send it as JSON:
/// `"Yes"`, `{"Number": 41}`, `{"Picked": [{"Has": "Fever"}]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Answer {
    /// Yes.
    Yes,
    /// No.
    No,
    /// Don't know: the facts stay unknown and the question is not asked again. Valid for
    /// every kind of question.
    DontKnow,
    /// A number, for questions that want one.
    Number(f64),
    /// The options picked, by their facts: one for a one-of question, any number for an
    /// any-of question (none, for "none of these").
    Picked(Vec<Fact>),
    /// Height in centimetres and weight in kilograms.
    HeightWeight {
        /// Height, centimetres.
        height_cm: f64,
        /// Weight, kilograms.
        weight_kg: f64,
    },
}

/// An answer that does not fit its question. Nothing is recorded then.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[non_exhaustive]
pub enum AnswerError {
    /// No question has this id.
    #[error("there is no question `{0}`")]
    UnknownQuestion(String),
    /// The answer is of another kind than the question asks for.
    #[error("`{question}` wants {wants}")]
    WrongKind {
        /// The question's id.
        question: String,
        /// What it wants, in words.
        wants: &'static str,
    },
    /// A number outside the valid range.
    #[error("{value} is outside the valid range for `{question}`, {lo} to {hi}")]
    OutOfRange {
        /// The question's id.
        question: String,
        /// The answer given.
        value: f64,
        /// Smallest valid answer.
        lo: f64,
        /// Largest valid answer.
        hi: f64,
    },
    /// An option picked that the question does not offer, or two picked for a one-of
    /// question.
    #[error("`{question}` does not offer `{fact}` as an answer")]
    NotAnOption {
        /// The question's id.
        question: String,
        /// The option picked.
        fact: Fact,
    },
}

//! An interview: from a partial [`Assessment`], ask the question whose answer could matter
//! most, record the answer, and stop when no remaining answer could change the escalation or
//! the top diagnosis. Questions come from the rule set's `questions`: one fact at a time, one of
//! several options, a checklist, a number, height and weight; each takes one answer.
//!
//! ```
//! use patella::{Answer, Assessment, Fact, Interview, Location, Onset, QuestionKind, RuleSet, Symptom};
//!
//! let rules = RuleSet::default();
//! let mut interview = Interview::new(&rules, Assessment::new(Onset::Chronic));
//! let mut asked = 0;
//! while let Some(q) = interview.next() {
//!     // A scripted runner: pain on stairs and around the kneecap, nothing else known.
//!     let said = [Fact::Has(Symptom::PainOnStairs), Fact::Location(Location::AroundKneecap)];
//!     let answer = match &q.kind {
//!         QuestionKind::AnyOf { options, .. } => Answer::Picked(
//!             options.iter().map(|o| o.fact).filter(|f| said.contains(f)).collect(),
//!         ),
//!         QuestionKind::YesNo { fact } if said.contains(fact) => Answer::Yes,
//!         QuestionKind::Number { fact: Fact::Age, .. } => Answer::Number(30.0),
//!         _ => Answer::DontKnow,
//!     };
//!     interview.answer(&q.id, answer)?;
//!     asked += 1;
//! }
//! assert!(asked > 0 && asked < 15);
//! assert_eq!(interview.report().escalation.level, patella::Level::SelfCare);
//! # Ok::<(), patella::AnswerError>(())
//! ```

mod question;

pub use question::{Answer, AnswerError, AnswerOption, Pending, Question, QuestionKind};

use serde::{Deserialize, Serialize};

use crate::engine::RuleSet;
use crate::engine::explore::{self, Stake};
use crate::engine::run;
use crate::facts::Facts;
use crate::model::Assessment;
use crate::report::Report;
use crate::rules::{Fact, QuestionDef};
use crate::vocab::{Location, Sex};
use question::number;

/// Heights and weights an answer may give, centimetres and kilograms.
const HEIGHT_CM: (f64, f64) = (50.0, 250.0);
const WEIGHT_KG: (f64, f64) = (20.0, 300.0);

/// A question-by-question triage. Red-flag questions come first; the interview ends when no
/// remaining answer could raise the escalation or change the top diagnosis. Answering is the
/// only way on: [`Interview::next`] asks the same question until it is answered (a "don't
/// know" counts).
#[derive(Debug, Clone)]
pub struct Interview {
    rules: RuleSet,
    state: InterviewState,
}

/// Everything an interview has learnt, as data: a stateless server keeps it between requests
/// (JSON, say) and resumes with [`Interview::resume`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InterviewState {
    /// What is known so far.
    pub assessment: Assessment,
    /// The questions answered, by id, in order.
    pub asked: Vec<String>,
    /// Every fact an answer settled or left unknown on purpose ("don't know"): not asked
    /// again.
    pub answered: Vec<Fact>,
    /// Places answered yes one at a time while the start named none: kept aside so that a
    /// first yes does not close the list while other places could still matter.
    pub places: Vec<Location>,
    /// History is still to be asked: the start listed none.
    pub history_open: bool,
}

impl Interview {
    /// Starts from what is already known: at least the onset; training comes from the runner's
    /// log. History is asked (as a checklist) when the start lists none; an app that holds the
    /// runner's history, even an empty one, says so with [`Interview::history_known`].
    #[must_use]
    pub fn new(rules: &RuleSet, start: Assessment) -> Interview {
        let history_open = start.history.is_empty();
        Interview {
            rules: rules.clone(),
            state: InterviewState {
                assessment: start,
                asked: Vec::new(),
                answered: Vec::new(),
                places: Vec::new(),
                history_open,
            },
        }
    }

    /// The start's history is the runner's whole history: it is not asked.
    #[must_use]
    pub fn history_known(mut self) -> Interview {
        self.state.history_open = false;
        self
    }

    /// Resumes an interview from its [`state`](Interview::state).
    #[must_use]
    pub fn resume(rules: &RuleSet, state: InterviewState) -> Interview {
        Interview {
            rules: rules.clone(),
            state,
        }
    }

    /// Everything learnt so far, to keep and [`resume`](Interview::resume) from.
    #[must_use]
    pub fn state(&self) -> &InterviewState {
        &self.state
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
        let s = &self.state;
        let answered = |f: Fact| s.answered.contains(&f);
        // Places named so far count, and the others stay open, while the start named none.
        let places_open = s.assessment.locations.is_empty()
            && Location::ALL.iter().any(|l| !answered(Fact::Location(*l)));
        let ranked =
            self.rules
                .ranked_facts(&self.assessment(), &answered, places_open, s.history_open);
        self.rules.group(ranked, &self.assessment(), &answered)
    }

    /// Records the answer to the question `id`. Its facts are not asked again, whatever the
    /// answer.
    ///
    /// # Errors
    /// When there is no such question, or the answer does not fit it: a number for a yes-or-no
    /// question, yes or no for a number, a number out of range, an option the question does
    /// not offer. Nothing is recorded then.
    pub fn answer(&mut self, id: &str, answer: Answer) -> Result<(), AnswerError> {
        let def = self.rules.question_def(id)?;
        let facts = def.facts();
        let wrong = |wants: &'static str| AnswerError::WrongKind {
            question: id.to_owned(),
            wants,
        };
        // Check the whole answer first, so that a refused one records nothing.
        match (&def, &answer) {
            (_, Answer::DontKnow) => {}
            (QuestionDef::Question { fact, .. }, Answer::Number(x)) => {
                let n = number(*fact).ok_or_else(|| wrong("yes, no or don't know"))?;
                let (lo, hi, _) = n.domain();
                if !(x.is_finite() && lo <= *x && *x <= hi) {
                    return Err(AnswerError::OutOfRange {
                        question: id.to_owned(),
                        value: *x,
                        lo,
                        hi,
                    });
                }
            }
            (QuestionDef::Question { fact, .. }, Answer::Yes | Answer::No) => {
                if fact.is_number() {
                    return Err(wrong("a number, or don't know"));
                }
            }
            (QuestionDef::Question { fact, .. }, _) => {
                return Err(wrong(if fact.is_number() {
                    "a number, or don't know"
                } else {
                    "yes, no or don't know"
                }));
            }
            (QuestionDef::OneOf { .. }, Answer::Picked(picked)) => {
                if picked.len() != 1 {
                    return Err(wrong("one of its options, or don't know"));
                }
            }
            (QuestionDef::OneOf { .. }, _) => {
                return Err(wrong("one of its options, or don't know"));
            }
            (QuestionDef::AnyOf { .. }, Answer::Picked(_)) => {}
            (QuestionDef::AnyOf { .. }, _) => {
                return Err(wrong(
                    "any of its options (none for none of these), or don't know",
                ));
            }
            (
                QuestionDef::HeightWeight { .. },
                Answer::HeightWeight {
                    height_cm,
                    weight_kg,
                },
            ) => {
                for (value, (lo, hi)) in [(*height_cm, HEIGHT_CM), (*weight_kg, WEIGHT_KG)] {
                    if !(value.is_finite() && lo <= value && value <= hi) {
                        return Err(AnswerError::OutOfRange {
                            question: id.to_owned(),
                            value,
                            lo,
                            hi,
                        });
                    }
                }
            }
            (QuestionDef::HeightWeight { .. }, _) => {
                return Err(wrong(
                    "height in centimetres and weight in kilograms, or don't know",
                ));
            }
        }
        if let Answer::Picked(picked) = &answer
            && let Some(other) = picked.iter().find(|f| !facts.contains(f))
        {
            return Err(AnswerError::NotAnOption {
                question: id.to_owned(),
                fact: *other,
            });
        }

        // Record it.
        match (&def, answer) {
            (_, Answer::DontKnow) => {}
            (QuestionDef::Question { fact, .. }, Answer::Number(x)) => self.number(*fact, x),
            (QuestionDef::Question { fact, .. }, Answer::Yes) => self.yes(*fact),
            (QuestionDef::Question { fact, .. }, Answer::No) => self.no(*fact),
            (QuestionDef::OneOf { .. }, Answer::Picked(picked)) => {
                for f in picked {
                    self.yes(f);
                }
            }
            (QuestionDef::AnyOf { none, .. }, Answer::Picked(picked)) => {
                // The options offered and not picked: ruled out on a checklist.
                let offered = self.offered(&def);
                for f in &picked {
                    self.yes(*f);
                }
                if none.is_some() {
                    for f in offered.into_iter().filter(|f| !picked.contains(f)) {
                        self.no(f);
                    }
                }
                // A list of places counts once it names one.
                if none.is_none() && picked.iter().any(|f| matches!(f, Fact::Location(_))) {
                    let a = &mut self.state.assessment;
                    if a.locations.is_empty() {
                        a.locations = std::mem::take(&mut self.state.places);
                    }
                    for f in &picked {
                        if let Fact::Location(l) = f
                            && !a.locations.contains(l)
                        {
                            a.locations.push(*l);
                        }
                    }
                }
            }
            (
                QuestionDef::HeightWeight { .. },
                Answer::HeightWeight {
                    height_cm,
                    weight_kg,
                },
            ) => {
                let metres = height_cm / 100.0;
                let bmi = (weight_kg / (metres * metres) * 10.0).round() / 10.0;
                self.state.assessment.bmi = Some(bmi);
            }
            _ => {}
        }
        for f in facts {
            if !self.state.answered.contains(&f) {
                self.state.answered.push(f);
            }
        }
        if !self.state.asked.iter().any(|q| q == id) {
            self.state.asked.push(id.to_owned());
        }
        if matches!(def, QuestionDef::AnyOf { .. })
            && def
                .facts()
                .iter()
                .any(|f| matches!(f, Fact::History(_) | Fact::NewToRunning))
        {
            self.state.history_open = false;
        }
        Ok(())
    }

    /// The options of a question as offered to this runner.
    fn offered(&self, def: &QuestionDef) -> Vec<Fact> {
        let a = self.assessment();
        match def {
            QuestionDef::OneOf { options, .. } | QuestionDef::AnyOf { options, .. } => options
                .iter()
                .filter(|c| c.unless.is_none_or(|u| !holds(&a, u)))
                .map(|c| c.fact)
                .collect(),
            other => other.facts(),
        }
    }

    fn number(&mut self, fact: Fact, x: f64) {
        let a = &mut self.state.assessment;
        // In range (checked), so the casts cannot overflow. Age counts whole years.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        match fact {
            Fact::Age => a.age = Some(x.floor() as u32),
            Fact::DaysSinceOnset => a.days_since_onset = Some(x.round() as u32),
            Fact::PainScore => a.pain_score = Some(x.round() as u8),
            _ => a.bmi = Some(x),
        }
    }

    fn yes(&mut self, fact: Fact) {
        let a = &mut self.state.assessment;
        match fact {
            Fact::Has(s) => {
                a.absent.retain(|x| *x != s);
                if !a.present.contains(&s) {
                    a.present.push(s);
                }
            }
            Fact::Location(l) => {
                if a.locations.is_empty() {
                    if !self.state.places.contains(&l) {
                        self.state.places.push(l);
                    }
                } else if !a.locations.contains(&l) {
                    a.locations.push(l);
                }
            }
            Fact::Mechanism(m) => a.mechanism = Some(m),
            Fact::Sex(s) => a.sex = Some(s),
            Fact::History(h) if !a.history.contains(&h) => a.history.push(h),
            Fact::NewToRunning => a.training.new_to_running = Some(true),
            _ => {}
        }
    }

    fn no(&mut self, fact: Fact) {
        let a = &mut self.state.assessment;
        match fact {
            Fact::Has(s) if !a.present.contains(&s) && !a.absent.contains(&s) => a.absent.push(s),
            Fact::NewToRunning => a.training.new_to_running = Some(false),
            // With two values, a no to one is a yes to the other.
            Fact::Sex(s) => {
                let others: Vec<_> = Sex::ALL.iter().filter(|x| **x != s).collect();
                if let [other] = others.as_slice() {
                    a.sex = Some(**other);
                }
            }
            // A no to one place, mechanism or history entry says nothing the assessment can
            // hold beyond the list itself.
            _ => {}
        }
    }

    /// What is known so far, places named during the interview included.
    #[must_use]
    pub fn assessment(&self) -> Assessment {
        let mut a = self.state.assessment.clone();
        if a.locations.is_empty() {
            a.locations.clone_from(&self.state.places);
        }
        a
    }

    /// The questions answered so far, by id, in order.
    #[must_use]
    pub fn asked(&self) -> &[String] {
        &self.state.asked
    }

    /// The report on what is known so far.
    #[must_use]
    pub fn report(&self) -> Report {
        self.rules.evaluate(&self.assessment())
    }
}

/// Whether a fact is known to hold for `a` (for a choice's `unless`).
fn holds(a: &Assessment, fact: Fact) -> bool {
    match fact {
        Fact::Has(s) => a.present.contains(&s),
        Fact::Location(l) => a.locations.contains(&l),
        Fact::Mechanism(m) => a.mechanism == Some(m),
        Fact::Sex(s) => a.sex == Some(s),
        Fact::History(h) => a.history.contains(&h),
        Fact::NewToRunning => a.training.new_to_running == Some(true),
        _ => false,
    }
}

/// Questions: the facts whose answers could change the escalation or the top diagnosis,
/// grouped as the rule set asks them.
impl RuleSet {
    /// The questions worth asking about `assessment`, most important first: those whose
    /// answer could raise the escalation (highest possible level first), then those that could
    /// change the top diagnosis. Facts no rule could use never appear; an empty list means no
    /// answer could change the escalation or the top diagnosis. The assessment's history is
    /// taken as complete; wording and grouping come from the rule set's `questions`.
    ///
    /// ```
    /// use patella::{Assessment, Onset, RuleSet};
    /// let rules = RuleSet::default();
    /// let questions = rules.questions(&Assessment::new(Onset::Acute));
    /// // After an acute onset, the emergencies are asked about first.
    /// assert_eq!(questions[0].could_raise_to, Some(patella::Level::Emergency));
    /// ```
    #[must_use]
    pub fn questions(&self, assessment: &Assessment) -> Vec<Question> {
        let ranked = self.ranked_facts(assessment, &|_| false, false, false);
        self.group(ranked, assessment, &|_| false)
    }

    /// The rules that could still fire on `assessment` (their condition is unknown) and the
    /// unknown facts each waits on, in rule-id order. Kept apart from [`RuleSet::evaluate`],
    /// which stays fast; a rule that fires only because a field is missing (a missing
    /// mechanism counts as an injury) is listed too, as an answer could retract it.
    ///
    /// ```
    /// use patella::{Assessment, Fact, Onset, RuleSet, Symptom};
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
    /// are still unknown; with `history_open`, history not listed is unknown rather than absent.
    pub(crate) fn ranked_facts(
        &self,
        assessment: &Assessment,
        asked: &dyn Fn(Fact) -> bool,
        places_open: bool,
        history_open: bool,
    ) -> Vec<(Fact, Stake)> {
        let c = self.compiled();
        let mut facts = Facts::from_assessment(assessment);
        facts.locations_open = places_open;
        facts.history_open = history_open;
        let mut run = run::Run::default();
        run::run(c, &facts, &mut run);
        let open = explore::open_rules(c, &facts, asked);
        explore::stakes(c, &run, &open)
    }

    /// The rule set's question with this id, or a plain one-fact question.
    fn question_def(&self, id: &str) -> Result<QuestionDef, AnswerError> {
        if let Some(def) = self.source().questions.iter().find(|q| q.id() == id) {
            return Ok(def.clone());
        }
        // A fact with no question of its own is asked plainly, named as it is written.
        let fact: Fact =
            ron::from_str(id).map_err(|_| AnswerError::UnknownQuestion(id.to_owned()))?;
        Ok(QuestionDef::Question {
            fact,
            text: String::new(),
            unit: None,
        })
    }

    /// Groups ranked facts into the rule set's questions, each with the highest stake of its
    /// facts, most important first; a fact no question names is asked plainly.
    fn group(
        &self,
        ranked: Vec<(Fact, Stake)>,
        assessment: &Assessment,
        answered: &dyn Fn(Fact) -> bool,
    ) -> Vec<Question> {
        let defs = &self.source().questions;
        // (question index in the file, or none for a plain question; its stake; first fact)
        let mut groups: Vec<(Option<usize>, Stake, Fact)> = Vec::new();
        for (fact, stake) in ranked {
            let at = defs.iter().position(|d| d.facts().contains(&fact));
            match groups
                .iter_mut()
                .find(|(i, _, f)| at.is_some() && *i == at || at.is_none() && *f == fact)
            {
                Some((_, s, _)) => {
                    s.raises_to = s.raises_to.max(stake.raises_to);
                    s.reorders |= stake.reorders;
                    s.rules += stake.rules;
                }
                None => groups.push((at, stake, fact)),
            }
        }
        groups.sort_by(|(ia, a, _), (ib, b, _)| {
            b.raises_to
                .cmp(&a.raises_to)
                .then(b.reorders.cmp(&a.reorders))
                .then(ia.unwrap_or(usize::MAX).cmp(&ib.unwrap_or(usize::MAX)))
                .then(b.rules.cmp(&a.rules))
        });
        groups
            .into_iter()
            .map(|(at, stake, fact)| match at.and_then(|i| defs.get(i)) {
                Some(def) => {
                    let offered = match def {
                        QuestionDef::OneOf { options, .. } | QuestionDef::AnyOf { options, .. } => {
                            options
                                .iter()
                                .filter(|c| !answered(c.fact))
                                .filter(|c| c.unless.is_none_or(|u| !holds(assessment, u)))
                                .collect()
                        }
                        _ => Vec::new(),
                    };
                    Question::new(def, offered, stake.raises_to, stake.reorders)
                }
                None => Question::plain(fact, stake.raises_to, stake.reorders),
            })
            .collect()
    }
}

//! The rule language: the serde types of a rule file.
//!
//! A rule file is RON. Its top level is a [`RuleSetSource`]: a name and version, named
//! [`Pattern`](PatternDef)s that rules can reuse, catalogues of diagnoses, treatment steps and
//! contributing factors, and the rules themselves. A rule reads as a sentence:
//!
//! ```ron
//! Rule(
//!     id: "ottawa_age_55_or_over",
//!     when: All([Is("injury_within_7_days"), Age(AtLeast(55))]),
//!     then: [
//!         Escalate(UrgentCare, "Aged 55 or over after a knee injury: an X-ray is needed today (Ottawa knee rule)."),
//!         Suggest("fracture", 1.5),
//!     ],
//!     source: "Stiell IG, Greenberg GH, Wells GA et al. Derivation of a decision rule for the use of radiography in acute knee injuries. Ann Emerg Med 1995;26(4):405-13",
//! )
//! ```
//!
//! Facts are three-valued where the input can leave them open: symptoms (present, absent or
//! unknown), locations (unknown when none is given), and every optional field. `Onset`,
//! `History` and `Missing(..)` are always true or false.
//!
//! These types are public so that programs can build, inspect or generate rule sets; most
//! programs only ever call [`RuleSet::from_ron`](crate::RuleSet::from_ron).

mod codes;
pub(crate) mod layer;
pub(crate) mod locate;
mod satisfy;
mod training;
pub(crate) mod validate;
mod validate_training;

pub use training::{
    Cited, CriterionDef, IntervalDef, NoPlanDef, PlanDef, RunsDef, StageDef, StagesDef, StartDef,
    StopDef, TrainingDef, ZoneDef, Zones,
};

use serde::{Deserialize, Serialize};

use crate::dose::Dose;
pub use crate::fields::Field;
use crate::fields::Num;
use crate::vocab::{History, Location, Mechanism, Onset, Sex, Surface, Symptom};
use crate::vocab::{Level, Phase};
pub use layer::RuleFile;

/// A whole rule file, as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "RuleSet", deny_unknown_fields)]
pub struct RuleSetSource {
    /// Short name, reported with every report.
    pub name: String,
    /// Version of the rule set (not of the crate).
    pub version: String,
    /// What the rule set is for.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Who wrote and maintains it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// When its clinical content was last reviewed, as `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<String>,
    /// Named conditions that rules refer to with `Is("id")`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patterns: Vec<PatternDef>,
    /// The conditions rules may suggest.
    #[serde(default)]
    pub diagnoses: Vec<DiagnosisDef>,
    /// The treatment steps rules and diagnoses may recommend.
    #[serde(default)]
    pub steps: Vec<StepDef>,
    /// The contributing factors rules may report.
    #[serde(default)]
    pub factors: Vec<FactorDef>,
    /// The rules.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// How to ask about each fact the rules may wait on, in plain words: used by
    /// [`Interview`](crate::Interview) and [`RuleSet::questions`](crate::RuleSet::questions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<QuestionDef>,
    /// Thresholds for the runner's training figures and the return-to-running plan; without
    /// it factors quote their figures without a threshold and reports carry no plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training: Option<TrainingDef>,
}

/// A clinic's additions to a rule set, loaded on top of it with
/// [`RuleSet::layered`](crate::RuleSet::layered).
///
/// An entry whose id is already in the set replaces it (a step reworded, a rule changed); a new
/// id is added; `disable` removes rules by id. Questions replace those about the same fact.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename = "Layer", deny_unknown_fields)]
pub struct Layer {
    /// Short name, reported with every report after the base set's.
    pub name: String,
    /// Version of the layer.
    pub version: String,
    /// What the layer is for.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Patterns added or replaced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patterns: Vec<PatternDef>,
    /// Diagnoses added or replaced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnoses: Vec<DiagnosisDef>,
    /// Steps added or replaced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<StepDef>,
    /// Factors added or replaced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub factors: Vec<FactorDef>,
    /// Rules added or replaced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
    /// Questions added or reworded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<QuestionDef>,
    /// Ids of rules to remove.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disable: Vec<String>,
    /// A `training` section that replaces the base set's as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training: Option<TrainingDef>,
}

/// A fact an interview can ask about: one answer fills it in.
///
/// Onset and training are not asked: onset is required from the start, and training comes from
/// the runner's log. History can be asked (as a checklist) when the embedding program does not
/// hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Fact {
    /// Is this symptom present? Yes, no or don't know.
    Has(Symptom),
    /// Does it hurt here? An interview keeps the places answered yes aside until it ends, so
    /// that a first yes does not close the list while other places could still matter.
    Location(Location),
    /// Did it start like this?
    Mechanism(Mechanism),
    /// Is the runner of this sex?
    Sex(Sex),
    /// Age in years.
    Age,
    /// Days since the pain began.
    DaysSinceOnset,
    /// Worst pain, 0 to 10.
    PainScore,
    /// Body-mass index (asked as height and weight).
    Bmi,
    /// Is this in the runner's history?
    History(History),
    /// Did the runner start running within the last three months?
    NewToRunning,
}

impl std::fmt::Display for Fact {
    /// As the rule language writes it: `Has(PainOnStairs)`, `Location(OuterKnee)`, `Age`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fact::Has(s) => write!(f, "Has({s})"),
            Fact::Location(l) => write!(f, "Location({l})"),
            Fact::Mechanism(m) => write!(f, "Mechanism({m})"),
            Fact::Sex(s) => write!(f, "Sex({s})"),
            Fact::History(h) => write!(f, "History({h})"),
            Fact::Age => f.write_str("Age"),
            Fact::DaysSinceOnset => f.write_str("DaysSinceOnset"),
            Fact::PainScore => f.write_str("PainScore"),
            Fact::Bmi => f.write_str("Bmi"),
            Fact::NewToRunning => f.write_str("NewToRunning"),
        }
    }
}

impl Fact {
    /// True for the facts answered with a number.
    #[must_use]
    pub fn is_number(self) -> bool {
        matches!(
            self,
            Fact::Age | Fact::DaysSinceOnset | Fact::PainScore | Fact::Bmi
        )
    }
}

/// How to ask about facts, in words a runner understands: one fact at a time, one of several
/// options, any of several, or height and weight. A fact belongs to at most one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum QuestionDef {
    /// One fact: yes, no or don't know, or a number (with its unit) for a numeric fact.
    Question {
        /// What it asks about.
        fact: Fact,
        /// The question.
        text: String,
        /// For a number, its unit ("years", "days", "out of 10").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unit: Option<String>,
    },
    /// One of several (how it started, sex): the option picked holds, the others do not.
    OneOf {
        /// Names the question in answers and in an interview's state.
        id: String,
        /// The question.
        text: String,
        /// The options.
        options: Vec<Choice>,
    },
    /// Any of several (where it hurts, a checklist of warning signs): the options picked hold;
    /// with `none` (the words of a "none of these" answer) the others do not, and without it
    /// they stay unknown unless one is picked (a list of places counts once it names one).
    AnyOf {
        /// Names the question in answers and in an interview's state.
        id: String,
        /// The question.
        text: String,
        /// The options.
        options: Vec<Choice>,
        /// The words of the "none of these" answer, for a checklist.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        none: Option<String>,
    },
    /// Height and weight, from which the body-mass index is worked out.
    HeightWeight {
        /// Names the question in answers and in an interview's state.
        id: String,
        /// The question.
        text: String,
    },
}

/// One option of a question with several.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// The fact it makes true.
    pub fact: Fact,
    /// Its words.
    pub text: String,
    /// Not offered when this fact is known to hold (missed periods, for a man).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unless: Option<Fact>,
}

impl QuestionDef {
    /// The question's name: its `id`, or for a one-fact question the fact as written
    /// (`Has(Fever)`).
    #[must_use]
    pub fn id(&self) -> String {
        match self {
            QuestionDef::Question { fact, .. } => fact.to_string(),
            QuestionDef::OneOf { id, .. }
            | QuestionDef::AnyOf { id, .. }
            | QuestionDef::HeightWeight { id, .. } => id.clone(),
        }
    }

    /// The facts its answer fills in.
    #[must_use]
    pub fn facts(&self) -> Vec<Fact> {
        match self {
            QuestionDef::Question { fact, .. } => vec![*fact],
            QuestionDef::OneOf { options, .. } | QuestionDef::AnyOf { options, .. } => {
                options.iter().map(|c| c.fact).collect()
            }
            QuestionDef::HeightWeight { .. } => vec![Fact::Bmi],
        }
    }

    /// The question's words.
    #[must_use]
    pub fn text(&self) -> &str {
        match self {
            QuestionDef::Question { text, .. }
            | QuestionDef::OneOf { text, .. }
            | QuestionDef::AnyOf { text, .. }
            | QuestionDef::HeightWeight { text, .. } => text,
        }
    }
}

/// A named condition, written once and used by many rules through `Is("id")`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Pattern", deny_unknown_fields)]
pub struct PatternDef {
    /// Unique id among patterns.
    pub id: String,
    /// The condition.
    pub when: Condition,
    /// What it means and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A condition of the diagnosis catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Diagnosis", deny_unknown_fields)]
pub struct DiagnosisDef {
    /// Unique id, reported in the differential.
    pub id: String,
    /// Name a runner reads.
    pub name: String,
    /// One or two sentences a runner understands.
    #[serde(default)]
    pub summary: String,
    /// Published source describing the condition.
    pub source: String,
    /// The steps that treat it, by id.
    #[serde(default)]
    pub steps: Vec<String>,
    /// Steps never to give while this diagnosis is among the top three, whoever recommended
    /// them: the contraindications of the condition (no ice or compression on a suspected
    /// clot, say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withhold: Option<Withhold>,
    /// Its codes in the classifications clinical software exchanges; each left out where no
    /// code fits or none was confirmed, never guessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codes: Option<CodesDef>,
}

/// A diagnosis's codes. Validation checks each one's shape (`E0120`): ICD-10 `M76.5` or with
/// the WHO site digit `M76.56`; ICD-10-CM up to seven characters (`S83.519A`); a SNOMED CT
/// concept id with its Verhoeff check digit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Codes", deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CodesDef {
    /// WHO ICD-10 (2019).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icd10: Option<String>,
    /// ICD-10-CM (United States), where it is more specific: the unspecified side, and the
    /// initial encounter for injuries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icd10_cm: Option<String>,
    /// SNOMED CT concept id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snomed: Option<String>,
    /// Where the codes were checked, and why a code is left out.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// Steps to leave out of a report, by id or by tag, and why. Withholding only removes steps: it
/// can never add one, lower an escalation, or hide the escalation step (validation refuses that,
/// `E0118`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Withhold {
    /// Steps, by id.
    #[serde(default)]
    pub steps: Vec<String>,
    /// Every step carrying one of these tags (a step's `tags`).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Why, in words a clinician reads in an explanation.
    pub reason: String,
}

/// A treatment step of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Step", deny_unknown_fields)]
pub struct StepDef {
    /// Unique id.
    pub id: String,
    /// When it belongs.
    pub phase: Phase,
    /// What to do, as an instruction.
    pub text: String,
    /// How much, for exercises.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose: Option<Dose>,
    /// True when the step tells the runner to keep running; such steps are left out at
    /// `Doctor` level and above.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub keeps_running: bool,
    /// What sort of exercise it is, so that a return-to-running plan can schedule it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<StepKind>,
    /// Published source for the advice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Why the advice and its dose read as they do, and what the source does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Words that group steps for withholding (`cold`, `compression`, `impact`, ...): a rule's
    /// or a diagnosis's `Withhold` can name a tag instead of listing steps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Shown only when this condition holds (true, not unknown): weight-loss advice only with
    /// a BMI of 25 or more, say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// Shown only below this level: advice that suits self-care but not a runner who must see
    /// a doctor (a week or two of cutting back, say). `keeps_running` is the same as `Doctor`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<Level>,
    /// Steps this one supersedes when both would be shown, by id: the stricter advice wins
    /// (keep weight off the leg over walking as the pain allows).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
}

/// What sort of exercise a step is: a return-to-running plan puts cross-training on the days
/// between runs, strength work as often as its dose says, and stretches after each run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum StepKind {
    /// Low-impact exercise that keeps fitness (cycling, swimming).
    CrossTraining,
    /// A strengthening exercise.
    Strength,
    /// A stretch.
    Stretch,
}

/// A contributing factor of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Factor", deny_unknown_fields)]
pub struct FactorDef {
    /// Unique id.
    pub id: String,
    /// What it is.
    pub text: String,
    /// What to change.
    pub advice: String,
    /// The runner's figure to quote with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figure: Option<Metric>,
    /// A training-load factor (distance, pace, shoes, surface): left out of a report at
    /// `UrgentCare` and above, where it is beside the point.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub training: bool,
    /// Published source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A figure from the runner's training, quoted with a contributing factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Metric {
    /// This week against the week before, in percent.
    WeeklyIncrease,
    /// This week against the mean of up to four weeks before it.
    Acwr,
    /// This week's distance.
    WeeklyKm,
    /// Distance on the current shoes, against the replacement distance of the rule set's
    /// `training` section.
    ShoeKm,
    /// This week's longest run against the longest of the weeks before.
    LongestRun,
}

/// A rule: when its condition is true, its actions apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Unique id, reported in the trace.
    pub id: String,
    /// The condition.
    pub when: Condition,
    /// What follows.
    pub then: Vec<Action>,
    /// Published source: authors or body, year, title or journal.
    pub source: String,
    /// Why, and which reading was chosen where sources disagree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A condition over the facts of an assessment. Most facts can be unknown as well as true or
/// false (see the module docs); they combine by Kleene logic, and a rule fires only when its
/// condition is true.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Condition {
    /// Every one is true.
    All(Vec<Condition>),
    /// At least one is true.
    Any(Vec<Condition>),
    /// The condition is false (unknown stays unknown).
    Not(Box<Condition>),
    /// At least `n` of the list are true.
    AtLeast(u32, Vec<Condition>),
    /// The named pattern holds.
    Is(String),
    /// The symptom is present (false when listed absent, unknown otherwise).
    Has(Symptom),
    /// It hurts there (unknown when no location is given).
    Location(Location),
    /// The onset is this.
    Onset(Onset),
    /// The mechanism is this (unknown when not given).
    Mechanism(Mechanism),
    /// The history includes this.
    History(History),
    /// The runner's sex is this (unknown when not given).
    Sex(Sex),
    /// Age in years.
    Age(Cmp),
    /// Days since onset.
    DaysSinceOnset(Cmp),
    /// Pain score, 0 to 10.
    PainScore(Cmp),
    /// Body-mass index.
    Bmi(Cmp),
    /// This week's kilometres.
    WeeklyKm(Cmp),
    /// This week against the week before, in percent (38.0 means +38%).
    WeeklyIncreasePct(Cmp),
    /// Acute:chronic workload ratio: this week over the mean of up to four weeks before it.
    Acwr(Cmp),
    /// Kilometres on the current shoes.
    ShoeKm(Cmp),
    /// This week's longest run against the longest of up to four weeks before it, in percent
    /// (25.0 means 25% longer).
    LongestRunIncreasePct(Cmp),
    /// Recent downhill running.
    Downhill,
    /// More speed work, hills or jumping lately.
    IntensityIncreased,
    /// Started running within the last three months.
    NewToRunning,
    /// The usual surface is this.
    Surface(Surface),
    /// The field was not given.
    Missing(Field),
}

/// A comparison with a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Cmp {
    /// Greater than.
    Above(f64),
    /// Greater than or equal to.
    AtLeast(f64),
    /// Less than.
    Below(f64),
    /// Less than or equal to.
    AtMost(f64),
    /// Between the two, both included.
    Between(f64, f64),
}

impl Cmp {
    pub(crate) fn test(self, x: f64) -> bool {
        match self {
            Cmp::Above(t) => x > t,
            Cmp::AtLeast(t) => x >= t,
            Cmp::Below(t) => x < t,
            Cmp::AtMost(t) => x <= t,
            Cmp::Between(a, b) => a <= x && x <= b,
        }
    }

    pub(crate) fn thresholds(self) -> impl Iterator<Item = f64> {
        let (a, b) = match self {
            Cmp::Above(t) | Cmp::AtLeast(t) | Cmp::Below(t) | Cmp::AtMost(t) => (t, None),
            Cmp::Between(a, b) => (a, Some(b)),
        };
        std::iter::once(a).chain(b)
    }
}

impl std::fmt::Display for Cmp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cmp::Above(t) => write!(f, "above {t}"),
            Cmp::AtLeast(t) => write!(f, "at least {t}"),
            Cmp::Below(t) => write!(f, "below {t}"),
            Cmp::AtMost(t) => write!(f, "at most {t}"),
            Cmp::Between(a, b) => write!(f, "between {a} and {b}"),
        }
    }
}

/// What a fired rule does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Action {
    /// Adds `weight` to the diagnosis `id`.
    Suggest(String, f64),
    /// Recommends these steps.
    Recommend(Vec<String>),
    /// Raises the escalation to at least this level, for this reason.
    Escalate(Level, String),
    /// Reports this contributing factor.
    Factor(String),
    /// Leaves these steps out of the report, whoever recommended them.
    Withhold {
        /// Steps, by id.
        #[serde(default)]
        steps: Vec<String>,
        /// Every step carrying one of these tags.
        #[serde(default)]
        tags: Vec<String>,
        /// Why, in words a clinician reads in an explanation.
        reason: String,
    },
}

impl Condition {
    /// The number this condition compares, and how; `None` for every other kind.
    pub(crate) fn number(&self) -> Option<(Num, Cmp)> {
        Some(match self {
            Condition::Age(cmp) => (Num::Age, *cmp),
            Condition::DaysSinceOnset(cmp) => (Num::DaysSinceOnset, *cmp),
            Condition::PainScore(cmp) => (Num::PainScore, *cmp),
            Condition::Bmi(cmp) => (Num::Bmi, *cmp),
            Condition::WeeklyKm(cmp) => (Num::WeeklyKm, *cmp),
            Condition::WeeklyIncreasePct(cmp) => (Num::WeeklyIncreasePct, *cmp),
            Condition::Acwr(cmp) => (Num::Acwr, *cmp),
            Condition::ShoeKm(cmp) => (Num::ShoeKm, *cmp),
            Condition::LongestRunIncreasePct(cmp) => (Num::LongestRunIncreasePct, *cmp),
            _ => return None,
        })
    }
}

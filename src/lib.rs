#![doc = include_str!("../README.md")]
//!
//! # Untrusted input
//!
//! Rule files and assessments may come from outside. Loading either returns a typed error for
//! anything malformed (with line and column for text) and never panics. Size and nesting are
//! limited ([`limits`]: 16 MiB per rule file, 128 levels in the parser, 32 levels of
//! conditions with patterns expanded), so hostile input cannot exhaust memory or the stack.
//! Validation, compilation and evaluation are linear in the size of the rule file: patterns
//! are analysed and evaluated once each, never expanded, however often they are reused.
//! [`RuleSet::evaluate`] never panics on any [`Assessment`], including one that skipped
//! [`Assessment::validate`]: non-finite numbers are unknown, numbers beyond a field's
//! range count as the nearest valid value, and a symptom listed both present and absent counts
//! as present. docs/SAFETY.md is the hazard log.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod case;
#[cfg(feature = "cds")]
pub mod cds;
mod diagnostic;
mod dose;
mod engine;
mod error;
mod explain;
mod facts;
#[cfg(feature = "fhir")]
mod fhir;
mod fields;
mod figures;
mod interview;
#[cfg(feature = "json")]
mod json;
pub mod limits;
mod model;
mod parse;
mod plan;
mod report;
pub mod rules;
mod suggest;
#[cfg(feature = "testing")]
pub mod testing;
mod text;
mod vocab;

pub use case::{Case, Expect, Verdict};
pub use diagnostic::Position;
pub use diagnostic::{Diagnostic, DiagnosticKind, Item, ItemKind, Severity};
pub use dose::Dose;
pub use engine::{DEFAULT_RULES, Outcome, RuleSet};
pub use error::{AssessmentError, ParseError, RuleSetError};
pub use explain::{Added, Contribution, Explanation, Failed, Why, WhyNot, WithheldStep};
pub use interview::{
    Answer, AnswerError, AnswerOption, Interview, InterviewState, Pending, Question, QuestionKind,
};
pub use limits::MAX_WEEKS;
pub use model::{Assessment, TrainingLoad};
pub use report::{
    Codes, Diagnosis, Escalation, Factor, Interval, Load, Plan, PlanRun, PlanStage, PlanStop,
    PlanWeek, Reason, Report, Step,
};
pub use rules::Fact;
pub use text::Text;
pub use vocab::{
    History, Level, Location, Mechanism, Onset, Phase, Sex, Surface, Symptom, UnknownName,
};

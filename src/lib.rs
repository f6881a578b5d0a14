#![doc = include_str!("../README.md")]
//!
//! # The pipeline
//!
//! ```text
//! Assessment ──► facts (derive: ACWR, weekly increase, …) ─┐
//! RON text ──► parse ──► validate ──► compile ──► RuleSet ─┴─► evaluate ──► Report
//! ```
//!
//! # Untrusted input
//!
//! Rule files and assessments may come from outside. Loading either returns a typed error for
//! anything malformed (with line and column for text) and never panics; RON nesting is limited
//! so hostile input cannot overflow the stack. [`RuleSet::evaluate`] never panics on any
//! [`Assessment`], including one that skipped [`Assessment::validate`]: unusable numbers are
//! treated as unknown.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod engine;
mod error;
mod facts;
mod model;
mod report;
pub mod rules;

pub use engine::{DEFAULT_RULES, RuleSet};
pub use error::{
    AssessmentError, ParseError, Position, RuleSetError, ValidationError, ValidationErrorKind,
};
pub use model::{
    Assessment, Case, Expect, History, Location, MAX_WEEKS, Mechanism, Onset, Sex, Surface,
    Symptom, TrainingLoad, Verdict,
};
pub use report::{Diagnosis, Dose, Escalation, Factor, Level, Phase, Reason, Report, Step};

//! The `training` section of a rule file: the weekly limit and the zones the runner's own
//! training figures are read against, and the numbers of the return-to-running plan. Every
//! number carries its published source, like every rule.
//!
//! Thresholds that decide whether a contributing factor applies (a shoe distance, a spike in
//! the longest run) stay in the rules that test them, and the factor's figure quotes the
//! threshold of the rule that fired: one number, in one place.
//!
//! ```ron
//! training: Training(
//!     weekly_limit: Cited(value: 10.0, source: "Buist I et al. 2008 ..."),
//!     acwr_zones: Zones(
//!         zones: [
//!             Zone(id: "low", below: 0.8, text: "below 0.8"),
//!             Zone(id: "sweet_spot", below: 1.3, text: "0.8 to 1.3, the range linked with the fewest injuries"),
//!             Zone(id: "raised", below: 1.5, text: "1.3 to 1.5, above that range"),
//!             Zone(id: "danger", text: "1.5 or more, the range linked with the most injuries"),
//!         ],
//!         source: "Gabbett TJ 2016 ...",
//!     ),
//!     plan: Plan(
//!         weeks: Cited(value: 10.0, source: "..."),
//!         pain_limit: Cited(value: 2.0, source: "..."),
//!         start: [Start(diagnoses: ["iliotibial_band_syndrome"], fraction: 0.5, source: "...")],
//!     ),
//! )
//! ```

use serde::{Deserialize, Serialize};

/// A number with the published source it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Cited", deny_unknown_fields)]
pub struct Cited {
    /// The number.
    pub value: f64,
    /// Published source.
    pub source: String,
    /// Why this value, where sources disagree or say nothing exact.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// Thresholds for the runner's training figures and the return-to-running plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Training", deny_unknown_fields)]
pub struct TrainingDef {
    /// Largest weekly growth of distance, in percent: the "10% rule". Quoted in the
    /// week-over-week figure and the limit every week of a plan keeps to.
    pub weekly_limit: Cited,
    /// Zones of the acute:chronic workload ratio, lowest first.
    pub acwr_zones: Zones,
    /// The return-to-running plan; without it reports carry no plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanDef>,
}

/// Named ranges of the acute:chronic workload ratio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Zones", deny_unknown_fields)]
pub struct Zones {
    /// The zones, lowest first; each but the last ends `below` a ratio, the last is open.
    pub zones: Vec<ZoneDef>,
    /// Published source.
    pub source: String,
    /// Caveats.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// One range of the acute:chronic workload ratio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Zone", deny_unknown_fields)]
pub struct ZoneDef {
    /// Unique id, such as `sweet_spot`.
    pub id: String,
    /// The ratio the zone ends below; `None` for the last, open zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<f64>,
    /// The zone in words a runner reads.
    pub text: String,
}

/// The numbers of the return-to-running plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Plan", deny_unknown_fields)]
pub struct PlanDef {
    /// How many weeks the plan lasts at most (it ends once back at the runner's recent load).
    pub weeks: Cited,
    /// The highest pain, out of 10, allowed during a run or the next morning; above it the
    /// runner steps back a week.
    pub pain_limit: Cited,
    /// Where the plan starts, per diagnosis. A report whose top diagnosis has no entry
    /// carries no plan.
    pub start: Vec<StartDef>,
    /// What the runner must manage before the first run; until then the plan is
    /// cross-training and strength work.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entry: Vec<CriterionDef>,
    /// How the weeks are split into runs; without it a plan gives weekly distances only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs: Option<RunsDef>,
    /// How many setbacks (pain above the limit) send the runner to a clinician.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setbacks: Option<Cited>,
    /// Signs that stop the plan at once, each with the policy lines it would fire.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stop: Vec<StopDef>,
    /// Diagnoses that rule a plan out, with the sentence the report gives instead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub no_plan: Vec<NoPlanDef>,
    /// Stages of rehabilitation per diagnosis, in order: what to do at each, with its dose,
    /// and the criterion for moving on. A diagnosis without stages gets the general plan.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<StagesDef>,
}

/// The stages of rehabilitation for some diagnoses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Stages", deny_unknown_fields)]
pub struct StagesDef {
    /// Diagnosis ids these stages are for.
    pub diagnoses: Vec<String>,
    /// The stages, first to last; the first has no running.
    pub stages: Vec<StageDef>,
    /// Published source.
    pub source: String,
    /// Caveats.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// One stage of rehabilitation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Stage", deny_unknown_fields)]
pub struct StageDef {
    /// Short name, such as "Isometric holds".
    pub name: String,
    /// What to do, in words the runner reads.
    pub text: String,
    /// The dose of the stage's main exercise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose: Option<crate::dose::Dose>,
    /// Steps of the catalogue this stage does (shown with the stage rather than from week 1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<String>,
    /// Whether the plan's runs belong to this stage.
    pub runs: bool,
    /// When to move on to the next stage, in words the runner checks.
    pub until: String,
}

/// Diagnoses that rule a plan out when they rank high enough, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "NoPlan", deny_unknown_fields)]
pub struct NoPlanDef {
    /// Diagnosis ids.
    pub diagnoses: Vec<String>,
    /// How high one must rank to rule the plan out: 1 for the top diagnosis, 3 for any of
    /// the top three the runner reads.
    pub within_top: u8,
    /// Why there is no plan, in words the runner reads.
    pub reason: String,
    /// Published source.
    pub source: String,
    /// Caveats.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A criterion to meet before the first run, in words a runner reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Criterion", deny_unknown_fields)]
pub struct CriterionDef {
    /// The criterion, as the runner checks it.
    pub text: String,
    /// Published source.
    pub source: String,
    /// Caveats.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// How a plan's weeks are split into runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Runs", deny_unknown_fields)]
pub struct RunsDef {
    /// Runs a week, from 1 to 3: with a rest day after every run, a seven-day week holds
    /// three runs that repeat week after week.
    pub per_week: Cited,
    /// The most a single run may be longer than the longest run in the log's last four
    /// weeks, in percent; used when the log has `longest_run_km`.
    pub single_run_limit: Cited,
    /// Effort of every run, out of 10.
    pub effort: Cited,
    /// Walk-run intervals for a runner who has stopped: one per week, in order, before
    /// continuous running.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub walk_run: Vec<IntervalDef>,
    /// Source of the walk-run intervals.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub walk_run_source: String,
}

/// Walk-run intervals, repeated for the whole run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Interval", deny_unknown_fields)]
pub struct IntervalDef {
    /// Minutes of walking in each repeat.
    pub walk_min: u8,
    /// Minutes of running in each repeat.
    pub run_min: u8,
}

/// Signs that stop the plan, with the escalation they would fire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Stop", deny_unknown_fields)]
pub struct StopDef {
    /// What the runner notices, in words.
    pub text: String,
    /// The policy lines (`U4`, `D7`, ...) that the sign, reported in a new assessment,
    /// would fire.
    pub lines: Vec<String>,
}

/// The first week of a plan for some diagnoses, as a fraction of the runner's recent load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Start", deny_unknown_fields)]
pub struct StartDef {
    /// Diagnosis ids this entry applies to.
    pub diagnoses: Vec<String>,
    /// Fraction of the recent weekly distance to run in the first week, above 0 and at most 1.
    pub fraction: f64,
    /// Published source.
    pub source: String,
    /// Why this value.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

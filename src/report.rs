//! The output: a ranked differential, treatment steps, an escalation level with its reasons,
//! contributing factors, and the trace of which rules fired.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::dose::Dose;
use crate::text::{Text, km};
use crate::vocab::{Level, Phase};

/// What a rule set concluded about one assessment.
///
/// Its text is shared with the rule set ([`Text`], which reads as `&str`):
/// building a report copies no text, and a report outlives the rule set that made it.
///
/// Serializes with the keys `rule_set`, `diagnoses`, `escalation`, `steps`, `factors`, `load`,
/// `plan` or `no_plan` (when there is one) and `fired`; `Display` renders what a runner should read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Report {
    /// The rule set that produced this report, as `name version`.
    pub rule_set: Text,
    /// The differential, most likely first (by total weight, ties by id).
    pub diagnoses: Vec<Diagnosis>,
    /// How soon to be seen, and why.
    pub escalation: Escalation,
    /// Treatment steps in phase order, then as declared in the rule set: those recommended by
    /// fired rules and those the catalogue gives for the top three diagnoses (the "most
    /// likely" the runner reads), each once. At `Doctor` level and above the first step (id
    /// `escalation`) carries the escalation action, and steps that tell the runner to keep
    /// running are left out.
    pub steps: Vec<Step>,
    /// Contributing factors, with the runner's figure behind each.
    pub factors: Vec<Factor>,
    /// The figures derived from the runner's training log, each absent when the log cannot
    /// support it.
    #[serde(default)]
    pub load: Load,
    /// A week-by-week return to running, at `SelfCare` and `SportsMedicine` only, when the rule
    /// set has a start for the top diagnosis and the log shows the runner's recent distance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<Plan>,
    /// Why there is no plan, when the rule set has plans and this report has none: a red
    /// flag, a diagnosis that rules running out, no training log, too little recent distance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_plan: Option<Text>,
    /// The ids of every rule that fired, sorted.
    pub fired: Vec<Text>,
}

/// One entry of the differential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Diagnosis {
    /// Catalogue id, such as `patellofemoral_pain`.
    pub id: Text,
    /// Name a runner reads.
    pub name: Text,
    /// Total weight of the rules that suggested it.
    pub weight: f64,
    /// The rules that suggested it, sorted.
    pub rules: Vec<Text>,
    /// The facts those rules matched on, in words.
    pub facts: Vec<Text>,
    /// The same facts as data an app can render or translate: each field as the wire format
    /// names it, with its value (`present`: `PainOnStairs`; `age`: `60`).
    pub evidence: Vec<Evidence>,
    /// The catalogue's source for the condition.
    pub source: Text,
    /// Its ICD-10, ICD-10-CM and SNOMED CT codes, as far as the rule set gives them.
    #[serde(default, skip_serializing_if = "Codes::is_empty")]
    pub codes: Codes,
}

/// A diagnosis's codes; each `None` where the rule set gives none (never guessed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Codes {
    /// WHO ICD-10 (2019), such as `M76.5`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icd10: Option<Text>,
    /// ICD-10-CM, such as `M76.50`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icd10_cm: Option<Text>,
    /// SNOMED CT concept id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snomed: Option<Text>,
}

impl Codes {
    /// Whether no code is given.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.icd10.is_none() && self.icd10_cm.is_none() && self.snomed.is_none()
    }
}

/// One fact behind a diagnosis, as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Evidence {
    /// The field, as the wire format names it: `present`, `locations`, `age`,
    /// `training.weekly_km`; a derived figure by its name in `load`.
    pub field: Text,
    /// Its value: a name (`PainOnStairs`), the runner's number (`60`), or `not given`.
    pub value: Text,
}

/// The escalation level and every reason for it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Escalation {
    /// The maximum level over every rule that fired.
    pub level: Level,
    /// One per `Escalate` that fired, highest level first.
    pub reasons: Vec<Reason>,
}

/// Why the runner was escalated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Reason {
    /// The rule that fired.
    pub rule: Text,
    /// The level it asked for.
    pub level: Level,
    /// The reason, for the runner.
    pub text: Text,
    /// The rule's published source.
    pub source: Text,
}

/// A treatment step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Step {
    /// Catalogue id (`escalation` for the step that carries the escalation action).
    pub id: Text,
    /// When it belongs.
    pub phase: Phase,
    /// What to do.
    pub text: Text,
    /// How much, for exercises.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose: Option<Arc<Dose>>,
}

/// Figures derived from [`TrainingLoad`](crate::TrainingLoad). Each is `None` when the log
/// cannot support it: too few weeks, a week that is not a number, or a zero to divide by.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Load {
    /// This week's distance, km.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub week_km: Option<f64>,
    /// Last week's distance, km.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_week_km: Option<f64>,
    /// This week against last week, in percent (55.0 means 55% more).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekly_change_pct: Option<f64>,
    /// The most this week should have been by the rule set's weekly limit: last week plus
    /// the limit (the "10% rule").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekly_limit_km: Option<f64>,
    /// The mean distance of up to four weeks before this one, km: the chronic load.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chronic_km: Option<f64>,
    /// How many weeks `chronic_km` averages (0 to 4).
    #[serde(default)]
    pub chronic_weeks: u8,
    /// The uncoupled acute:chronic workload ratio: this week over `chronic_km`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acwr: Option<f64>,
    /// The id of the rule set's zone the ratio falls in, such as `sweet_spot`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acwr_zone: Option<Text>,
    /// This week's longest run, km.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longest_run_km: Option<f64>,
    /// The longest run of up to four weeks before this one, km.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longest_before_km: Option<f64>,
    /// This week's longest run against `longest_before_km`, in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longest_run_change_pct: Option<f64>,
    /// Distance on the current shoes, km.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shoe_km: Option<f64>,
    /// The distance at which the rule set advises new shoes, km: the smallest that a rule
    /// reporting a shoe-wear factor tests for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shoe_limit_km: Option<f64>,
}

/// A return to running, week by week, from a fraction of the runner's recent distance back up
/// to it, growing by at most the rule set's weekly limit and held back by pain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Plan {
    /// The diagnosis whose start the plan uses: the top one.
    pub diagnosis: Text,
    /// The recent weekly distance the plan starts from and builds back to, km: the mean of up
    /// to four weeks before the current one, or the current week when it is the only one.
    pub recent_km: f64,
    /// The first week as a fraction of `recent_km`.
    pub start_fraction: f64,
    /// The most any week grows on the week before, in percent.
    pub weekly_limit_pct: f64,
    /// The highest pain, out of 10, allowed during a run or the next morning.
    pub pain_limit: u8,
    /// The weeks, first to last.
    pub weeks: Vec<PlanWeek>,
    /// The pain-monitoring rule, in words.
    pub pain_rule: Text,
    /// Steps of the report for the days between runs: cross-training.
    pub rest_days: Vec<Text>,
    /// Steps of the report for strength work, each as often as its dose says, from week 1;
    /// those a stage names are in `stages` instead.
    pub strength: Vec<Text>,
    /// Steps of the report for after each run: stretches.
    pub after_runs: Vec<Text>,
    /// What the runner must manage before the first run; until then, cross-training and
    /// strength work only. Empty when the rule set gives no criteria.
    pub entry: Vec<Text>,
    /// Effort of every run, out of 10 (3 reads "easy"). `None` when the rule set does not
    /// split weeks into runs.
    pub effort: Option<u8>,
    /// The longest any single run may be, km: the longest run in the log's last four weeks
    /// plus the single-run limit. `None` without `longest_run_km` in the log.
    pub longest_run_cap_km: Option<f64>,
    /// What a setback (pain above the limit) does, and when repeated setbacks call for a
    /// clinician.
    pub setback_rule: Option<Text>,
    /// Signs that stop the plan at once, with the escalation they would fire.
    pub stop: Vec<PlanStop>,
    /// Stages of rehabilitation for the top diagnosis, in order; the runs belong to the
    /// stages marked `runs`. Empty for the general plan.
    pub stages: Vec<PlanStage>,
    /// The published sources of the plan's numbers, in the order start, growth, pain, weeks,
    /// then those of the entry criteria, runs, walk-run intervals, setbacks and stages.
    pub sources: Vec<Text>,
}

/// One stage of rehabilitation in a [`Plan`]: move on when `until` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PlanStage {
    /// Short name.
    pub name: Text,
    /// What to do.
    pub text: Text,
    /// The dose of the stage's main exercise, in words.
    pub dose: Option<Text>,
    /// Steps of the report this stage does.
    pub steps: Vec<Text>,
    /// Whether the plan's runs belong to this stage.
    pub runs: bool,
    /// When to move on.
    pub until: Text,
}

/// A sign that stops a [`Plan`] at once: report it in a new assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PlanStop {
    /// The sign, in words.
    pub text: Text,
    /// The escalation-policy lines it would fire (see `docs/POLICY.md`).
    pub lines: Vec<Text>,
}

/// One run of a [`PlanWeek`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PlanRun {
    /// Day of the week, 1 to 7; a rest day follows every run.
    pub day: u8,
    /// Distance, km, rounded down to 0.1 km.
    pub km: f64,
    /// Walk-run intervals for the whole run, or `None` for continuous running.
    pub walk_run: Option<Interval>,
}

/// Walk-run intervals: walk, then run, repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Interval {
    /// Minutes of walking in each repeat.
    pub walk_min: u8,
    /// Minutes of running in each repeat.
    pub run_min: u8,
}

/// One week of a [`Plan`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PlanWeek {
    /// Week number, from 1.
    pub week: u8,
    /// Distance for the week, km, rounded down to 0.1 km.
    pub km: f64,
    /// Growth on the week before, in percent (0 for the first week).
    pub change_pct: f64,
    /// The distance to go back to if pain passes the limit: the week before's. `None` in the
    /// first week, where the rule is to rest from running and cross-train until it settles.
    pub step_back_km: Option<f64>,
    /// The runs of the week, adding up to `km`; empty when the rule set does not split
    /// weeks into runs.
    pub runs: Vec<PlanRun>,
}

/// A contributing factor found in the runner's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Factor {
    /// Catalogue id.
    pub id: Text,
    /// What it is.
    pub text: Text,
    /// What to change.
    pub advice: Text,
    /// The runner's own figure, in words, when the factor names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figure: Option<String>,
    /// The threshold the figure quotes: the lower bound that the first rule (by id) that
    /// found the factor puts on the figure's number, such as 10 for
    /// `WeeklyIncreasePct(Above(10.0))`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// The rules that found it, sorted.
    pub rules: Vec<Text>,
}

impl Report {
    /// A report with nothing in it, only ever filled before anyone reads it: not public, so
    /// that no program can show a report that no rule set has made.
    pub(crate) fn empty() -> Report {
        Report {
            rule_set: Text::empty(),
            diagnoses: Vec::new(),
            escalation: Escalation::default(),
            steps: Vec::new(),
            factors: Vec::new(),
            load: Load::default(),
            plan: None,
            no_plan: None,
            fired: Vec::new(),
        }
    }

    /// The top diagnosis, if any rule suggested one.
    #[must_use]
    pub fn top(&self) -> Option<&Diagnosis> {
        self.diagnoses.first()
    }

    /// Two lines for a notification or a list: where to go (with the first reason, above
    /// self-care) and the leading condition. The full report is its `Display`.
    ///
    /// ```
    /// use patella::{Assessment, RuleSet};
    /// let a = Assessment::from_ron("(onset: Acute, present: [Fever, HotRedKnee])")?;
    /// let summary = RuleSet::default().evaluate(&a).summary();
    /// assert_eq!(summary.lines().count(), 2);
    /// assert!(summary.starts_with("EMERGENCY: "));
    /// # Ok::<(), patella::AssessmentError>(())
    /// ```
    #[must_use]
    pub fn summary(&self) -> String {
        let level = self.escalation.level;
        let first = match self.escalation.reasons.first() {
            Some(reason) if level > Level::SelfCare => reason.text.as_str(),
            _ => level.action(),
        };
        let leading = self.top().map_or(
            "No condition stands out from what was given.".to_owned(),
            |d| format!("Most likely: {}.", d.name),
        );
        format!("{}: {first}\n{leading}", heading(level))
    }
}

/// The id of the step that carries the escalation action at `Doctor` level and above.
pub(crate) const ESCALATION_STEP: &str = "escalation";

/// How many diagnoses the runner-facing text lists.
const SHOWN_DIAGNOSES: usize = 3;

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = self.escalation.level;
        if level > Level::SelfCare {
            writeln!(f, "{}: {}", heading(level), level.action())?;
            for r in &self.escalation.reasons {
                writeln!(f, "  - {}", r.text)?;
            }
            writeln!(f)?;
        }
        if self.diagnoses.is_empty() {
            writeln!(f, "No condition stands out from what was given.")?;
        } else {
            writeln!(f, "Most likely:")?;
            for (i, d) in self.diagnoses.iter().take(SHOWN_DIAGNOSES).enumerate() {
                writeln!(f, "  {}. {}", i + 1, d.name)?;
            }
        }
        // The escalation step is already the report's first line.
        let steps: Vec<&Step> = self
            .steps
            .iter()
            .filter(|s| !(s.id == ESCALATION_STEP && level >= Level::Doctor))
            .collect();
        if !steps.is_empty() {
            writeln!(f, "\nWhat to do:")?;
            let mut phase = None;
            for s in steps {
                if phase != Some(s.phase) {
                    writeln!(f, "  {}:", phase_heading(s.phase))?;
                    phase = Some(s.phase);
                }
                match &s.dose {
                    Some(d) => writeln!(f, "    - {} ({d})", s.text)?,
                    None => writeln!(f, "    - {}", s.text)?,
                }
            }
        }
        if !self.factors.is_empty() {
            writeln!(f, "\nWhat may have contributed:")?;
            for c in &self.factors {
                match &c.figure {
                    Some(fig) => writeln!(f, "  - {} ({fig}). {}", c.text, c.advice)?,
                    None => writeln!(f, "  - {}. {}", c.text, c.advice)?,
                }
            }
        }
        // Above `SportsMedicine` the escalation already says not to run; without a log there
        // was nothing to plan from: the sentence would only be noise there.
        if let Some(why) = self.no_plan.as_ref().filter(|_| {
            self.escalation.level <= Level::SportsMedicine && self.load.week_km.is_some()
        }) {
            writeln!(f, "\nNo return-to-running plan: {why}")?;
        }
        if let Some(plan) = &self.plan {
            writeln!(f, "\n{plan}")?;
        }
        writeln!(f)?;
        write!(
            f,
            "This is not a diagnosis: it is guidance from published rules. If in doubt, or if things get worse, see a health professional."
        )
    }
}

/// A table a runner reads: one line per week, then the pain rule and the exercises.
impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (first, last) = match (self.weeks.first(), self.weeks.last()) {
            (Some(first), Some(last)) => (first.km, last.km),
            _ => return Ok(()),
        };
        writeln!(
            f,
            "Return to running over {} weeks, from {} to {} km a week (your recent weekly distance: {} km):",
            self.weeks.len(),
            km(first),
            km(last),
            km(self.recent_km)
        )?;
        if !self.entry.is_empty() {
            writeln!(f, "  Before the first run (until then, cross-train):")?;
            for c in &self.entry {
                writeln!(f, "  - {c}")?;
            }
        }
        if !self.stages.is_empty() {
            writeln!(f, "  Stages, each until its criterion is met:")?;
            for (i, st) in self.stages.iter().enumerate() {
                writeln!(f, "  {}. {st}", i + 1)?;
            }
        }
        writeln!(
            f,
            "  week      km  change  if pain passes {}/10",
            self.pain_limit
        )?;
        for w in &self.weeks {
            let change = if w.week == 1 {
                "start".to_owned()
            } else {
                format!("{:+.1}%", w.change_pct)
            };
            let back = w.step_back_km.map_or_else(
                || "rest, cross-train".to_owned(),
                |k| format!("back to {} km", km(k)),
            );
            writeln!(f, "  {:>4} {:>7} {:>7}  {back}", w.week, km(w.km), change)?;
            if !w.runs.is_empty() {
                let runs: Vec<String> = w.runs.iter().map(ToString::to_string).collect();
                writeln!(f, "             {}", runs.join("; "))?;
            }
        }
        if let Some(e) = self.effort {
            let cap = self
                .longest_run_cap_km
                .map_or_else(String::new, |c| format!(", no run above {} km", km(c)));
            writeln!(
                f,
                "  Every run easy (effort {e}/10), a rest day after each{cap}."
            )?;
        }
        let names = |ids: &[Text]| {
            ids.iter()
                .map(|i| i.replace('_', " "))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.rest_days.is_empty() {
            writeln!(f, "  On the days between runs: {}.", names(&self.rest_days))?;
        }
        if !self.strength.is_empty() {
            writeln!(
                f,
                "  Strength work, as often as each dose says: {}.",
                names(&self.strength)
            )?;
        }
        if !self.after_runs.is_empty() {
            writeln!(f, "  After each run: {}.", names(&self.after_runs))?;
        }
        write!(f, "  {}", self.pain_rule)?;
        if let Some(rule) = &self.setback_rule {
            write!(f, "\n  {rule}")?;
        }
        if !self.stop.is_empty() {
            let signs: Vec<&str> = self.stop.iter().map(|s| &*s.text).collect();
            write!(
                f,
                "\n  Stop and report it in a new assessment: {}.",
                signs.join("; ").to_lowercase()
            )?;
        }
        Ok(())
    }
}

/// `Isometric holds, no running (5 sets, hold 45 s, daily): what to do`, then the criterion
/// for moving on, on a second line.
impl fmt::Display for PlanStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let runs = if self.runs {
            "with the runs"
        } else {
            "no running"
        };
        write!(f, "{}, {runs}", self.name)?;
        if let Some(d) = &self.dose {
            write!(f, " ({d})")?;
        }
        write!(f, ": {}\n     Move on when: {}", self.text, self.until)
    }
}

/// `day 1: 6.1 km`, with the walk-run intervals when there are any.
impl fmt::Display for PlanRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "day {}: {} km", self.day, km(self.km))?;
        if let Some(i) = self.walk_run {
            write!(f, ", walk {} min / run {} min", i.walk_min, i.run_min)?;
        }
        Ok(())
    }
}

fn phase_heading(phase: Phase) -> &'static str {
    match phase {
        Phase::Immediate => "now",
        Phase::ShortTerm => "next weeks",
        Phase::LongTerm => "rehabilitation",
        Phase::Prevention => "prevention",
    }
}

pub(crate) fn heading(level: Level) -> &'static str {
    match level {
        Level::SelfCare => "Self-care",
        Level::SportsMedicine => "Get it checked",
        Level::Doctor => "See a doctor",
        Level::UrgentCare => "URGENT, TODAY",
        Level::Emergency => "EMERGENCY",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_ordered_lowest_first() {
        for pair in Level::ALL.windows(2) {
            assert!(pair[0] < pair[1]);
        }
        assert_eq!(Level::default(), Level::SelfCare);
    }

    #[test]
    fn dose_reads_naturally() {
        let d = Dose {
            sets: Some(3),
            reps: Some(15),
            hold_seconds: None,
            frequency: Some("three times a week".into()),
        };
        assert_eq!(d.to_string(), "3 x 15, three times a week");
        let hold = Dose {
            hold_seconds: Some(30),
            ..Dose::default()
        };
        assert_eq!(hold.to_string(), "hold 30 s");
    }

    #[test]
    fn display_leads_with_escalation_and_ends_with_disclaimer() {
        let r = Report {
            rule_set: "t 1".into(),
            diagnoses: vec![],
            escalation: Escalation {
                level: Level::Emergency,
                reasons: vec![Reason {
                    rule: "r".into(),
                    level: Level::Emergency,
                    text: "Fever with a hot knee".into(),
                    source: "s".into(),
                }],
            },
            steps: vec![Step {
                id: ESCALATION_STEP.into(),
                phase: Phase::Immediate,
                text: Level::Emergency.action().into(),
                dose: None,
            }],
            factors: vec![],
            load: Load::default(),
            plan: None,
            no_plan: None,
            fired: vec!["r".into()],
        };
        let text = r.to_string();
        assert!(text.starts_with("EMERGENCY: Go to the emergency department now"));
        // Said once, at the top; no empty list of steps under it.
        assert_eq!(text.matches(Level::Emergency.action()).count(), 1, "{text}");
        assert!(!text.contains("What to do"), "{text}");
        assert!(text.contains("Fever with a hot knee"));
        assert!(text.trim_end().ends_with("see a health professional."));
    }
}

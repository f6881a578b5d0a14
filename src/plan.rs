//! The return-to-running plan: entry criteria to meet before the first run, then weeks from a
//! fraction of the runner's recent weekly distance back up to it, never growing faster than the
//! rule set's weekly limit, each split into runs with a rest day after every one, no run longer
//! than the single-run limit allows, walk-run intervals first for a runner who has stopped; the
//! pain-monitoring, setback and stop rules; and the report's cross-training, strength and
//! stretching steps scheduled around the runs.
//!
//! Every number comes from the rule file's `training` section; this module only does the
//! arithmetic, which is why the plan is a pure function of the facts and the report so far.

use crate::facts::{Facts, Num};
use crate::report::{Interval, Plan, PlanRun, PlanStage, PlanStop, PlanWeek};
use crate::rules::{PlanDef, RunsDef, StepKind};
use crate::text::Text;
use crate::text::km;
use crate::vocab::Level;

/// The `plan` of a `training` section, compiled.
#[derive(Debug, Clone)]
pub(crate) struct PlanPolicy {
    weeks: u8,
    pain_limit: u8,
    weekly_limit: f64,
    /// (diagnosis index, start fraction, source of the fraction).
    start: Vec<(usize, f64, Text)>,
    growth_source: Text,
    pain_source: Text,
    weeks_source: Text,
    /// The pain-monitoring rule in words, written once: it depends only on the numbers above.
    pain_rule: Text,
    entry: Vec<Text>,
    runs: Option<RunsPolicy>,
    setback_rule: Option<Text>,
    stop: Vec<PlanStop>,
    /// Sources of the entry criteria, runs, walk-run intervals and setbacks, each once.
    more_sources: Vec<Text>,
    no_plan: Vec<NoPlan>,
    /// (diagnosis indices, their stages, the stages' source).
    stages: Vec<(Vec<usize>, Vec<PlanStage>, Text)>,
    /// Per diagnosis, the sentence for a top diagnosis without a start: written once here
    /// rather than on every report.
    no_start: Vec<Text>,
}

/// Why no plan, for the cases that need no formatting.
const NEEDS_CARE_FIRST: &str = "the knee needs to be seen first (see above); ask the clinician \
    who assesses it when and how to run again.";
const NO_START: &str = "this rule set has no plan for the most likely condition: ask a \
    physiotherapist or sports-medicine clinician for one.";
const NO_TOP: &str = "no condition stands out enough to plan for.";
const NO_LOG: &str = "the training log has no recent weekly distance to build back to: add the \
    distances of the last weeks for a plan.";
const TOO_LITTLE: &str = "the recent weekly distance is too small to build up in steps of 0.1 km \
    within the weekly limit.";

/// How weeks split into runs, compiled.
#[derive(Debug, Clone)]
struct RunsPolicy {
    per_week: u8,
    single_run_limit: f64,
    effort: u8,
    walk_run: Vec<Interval>,
}

impl RunsPolicy {
    fn new(def: &RunsDef) -> RunsPolicy {
        RunsPolicy {
            // Validated to 1..=3 and 1..=10; the clamps only keep the casts exact.
            per_week: def.per_week.value.clamp(1.0, 3.0) as u8,
            single_run_limit: def.single_run_limit.value,
            effort: def.effort.value.clamp(1.0, 10.0) as u8,
            walk_run: def
                .walk_run
                .iter()
                .map(|i| Interval {
                    walk_min: i.walk_min,
                    run_min: i.run_min,
                })
                .collect(),
        }
    }

    /// The days of the runs: spread so that a rest day follows every run, this week and
    /// into the next.
    fn days(&self) -> &'static [u8] {
        match self.per_week {
            1 => &[1],
            2 => &[1, 4],
            _ => &[1, 3, 5],
        }
    }
}

/// What the plan reads from the evaluation: the level, the differential, and the reported
/// steps that a plan schedules, by kind.
pub(crate) struct Context<'a> {
    pub level: Level,
    /// Diagnosis indices, most likely first.
    pub ranked: &'a [usize],
    /// A diagnosis's id, by index.
    pub diagnosis: &'a dyn Fn(usize) -> &'a Text,
    pub steps: &'a mut dyn Iterator<Item = (Option<StepKind>, &'a Text)>,
}

/// Diagnoses that rule a plan out, compiled.
#[derive(Debug, Clone)]
struct NoPlan {
    diagnoses: Vec<usize>,
    within_top: usize,
    reason: Text,
}

impl PlanPolicy {
    /// Compiles a plan the validator accepted: its numbers are in range and its diagnoses
    /// known (an unknown one is skipped rather than trusted).
    pub(crate) fn new(
        def: &PlanDef,
        weekly_limit: f64,
        growth_source: &str,
        diagnosis: impl Fn(&str) -> Option<usize>,
    ) -> PlanPolicy {
        // Validated to 0..=10; the clamp only keeps the cast exact.
        let pain_limit = def.pain_limit.value.clamp(0.0, 10.0) as u8;
        let mut start = Vec::new();
        for s in &def.start {
            for d in &s.diagnoses {
                if let Some(i) = diagnosis(d) {
                    start.push((i, s.fraction, Text::from(s.source.as_str())));
                }
            }
        }
        let first = if def.entry.is_empty() {
            "once a run keeps"
        } else {
            "once you meet every entry criterion and a first run keeps"
        };
        let pain_rule = format!(
            "Start week 1 {first} the pain at {limit}/10 or less, during it and the next \
             morning; until then rest from running, cross-train and keep up the strength work. \
             Keep to that limit every run: if the pain goes above {limit}/10, go back to the week \
             before's distance for a week, then build up again, adding at most {growth}% a week.",
            limit = pain_limit,
            growth = km(weekly_limit),
        );
        let mut more_sources: Vec<Text> = Vec::new();
        let mut cite = |s: &str| {
            if !s.trim().is_empty() && !more_sources.iter().any(|t| &**t == s) {
                more_sources.push(Text::from(s));
            }
        };
        for c in &def.entry {
            cite(&c.source);
        }
        if let Some(r) = &def.runs {
            cite(&r.per_week.source);
            cite(&r.single_run_limit.source);
            cite(&r.effort.source);
            cite(&r.walk_run_source);
        }
        if let Some(s) = &def.setbacks {
            cite(&s.source);
        }
        let setback_rule = def.setbacks.as_ref().map(|s| {
            Text::from(format!(
                "A setback is pain above {pain_limit}/10 during a run or the next morning, or \
                 swelling or stiffness after it: stop that run, and repeat the week before's \
                 runs until they pass without one before building again. After {n} setbacks, \
                 stop the plan and see a physiotherapist or sports-medicine clinician.",
                n = s.value.clamp(1.0, 10.0) as u8,
            ))
        });
        PlanPolicy {
            entry: def
                .entry
                .iter()
                .map(|c| Text::from(c.text.as_str()))
                .collect(),
            runs: def.runs.as_ref().map(RunsPolicy::new),
            setback_rule,
            stop: def
                .stop
                .iter()
                .map(|s| PlanStop {
                    text: Text::from(s.text.as_str()),
                    lines: s.lines.iter().map(|l| Text::from(l.as_str())).collect(),
                })
                .collect(),
            more_sources,
            no_start: Vec::new(),
            no_plan: def
                .no_plan
                .iter()
                .map(|n| NoPlan {
                    diagnoses: n.diagnoses.iter().filter_map(|d| diagnosis(d)).collect(),
                    within_top: usize::from(n.within_top),
                    reason: Text::from(n.reason.as_str()),
                })
                .collect(),
            stages: def
                .stages
                .iter()
                .map(|g| {
                    let stages = g
                        .stages
                        .iter()
                        .map(|st| PlanStage {
                            name: Text::from(st.name.as_str()),
                            text: Text::from(st.text.as_str()),
                            dose: st.dose.as_ref().map(|d| Text::from(d.to_string())),
                            steps: st.steps.iter().map(|i| Text::from(i.as_str())).collect(),
                            runs: st.runs,
                            until: Text::from(st.until.as_str()),
                        })
                        .collect();
                    (
                        g.diagnoses.iter().filter_map(|d| diagnosis(d)).collect(),
                        stages,
                        Text::from(g.source.as_str()),
                    )
                })
                .collect(),
            // Validated to 1..=52; the clamp only keeps the cast exact.
            weeks: def.weeks.value.clamp(1.0, 52.0) as u8,
            pain_limit,
            weekly_limit,
            start,
            growth_source: Text::from(growth_source),
            pain_source: Text::from(def.pain_limit.source.as_str()),
            weeks_source: Text::from(def.weeks.source.as_str()),
            pain_rule: Text::from(pain_rule),
        }
    }

    /// Writes, once, the sentence for each diagnosis (by index) that has no start.
    pub(crate) fn name_diagnoses<'a>(&mut self, names: impl Iterator<Item = &'a str>) {
        self.no_start = names
            .map(|name| {
                Text::from(format!(
                    "this rule set has no plan for {name}: ask a physiotherapist or \
                     sports-medicine clinician for one."
                ))
            })
            .collect();
    }

    /// The plan, or why there is none: at `Doctor` level and above, when a diagnosis that
    /// rules running out ranks high enough, when the top diagnosis has no start, when the log
    /// shows no recent distance, or when that distance is too small to grow in steps of 0.1 km
    /// within the weekly limit.
    pub(crate) fn build(&self, facts: &Facts, cx: Context<'_>) -> Result<Plan, Text> {
        if cx.level >= Level::Doctor {
            return Err(Text::from(NEEDS_CARE_FIRST));
        }
        if let Some(n) = self.no_plan.iter().find(|n| {
            cx.ranked
                .iter()
                .take(n.within_top)
                .any(|d| n.diagnoses.contains(d))
        }) {
            return Err(n.reason.clone());
        }
        let &top = cx.ranked.first().ok_or_else(|| Text::from(NO_TOP))?;
        let top_id = (cx.diagnosis)(top);
        // Validation refuses a diagnosis in two starts; should a set built in code have one,
        // the smaller fraction is taken, the safer reading.
        let (fraction, source) = self
            .start
            .iter()
            .filter(|(d, _, _)| *d == top)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(_, f, s)| (*f, s.clone()))
            .ok_or_else(|| {
                self.no_start
                    .get(top)
                    .cloned()
                    .unwrap_or_else(|| Text::from(NO_START))
            })?;
        let recent = recent_km(facts).ok_or_else(|| Text::from(NO_LOG))?;
        let growth = 1.0 + self.weekly_limit / 100.0;

        // Distances are whole tenths of a km, each the largest not above its bound, so that
        // rounding never lifts a week past the limit or past the recent distance.
        let mut cap = tenths_at_most(recent);
        // With runs, no single run is longer than the single-run limit allows over the
        // longest run of the log's last four weeks, so no week is longer than its runs.
        let run_cap = self.runs.as_ref().and_then(|r| {
            let longest = facts.longest_recent.filter(|&x| x > 0.0)?;
            Some((
                r,
                tenths_at_most(longest * (1.0 + r.single_run_limit / 100.0)),
            ))
        });
        if let Some((r, c)) = run_cap {
            cap = cap.min(c.saturating_mul(u32::from(r.per_week)));
        }
        let mut now = tenths_at_most(recent * fraction).min(cap);
        if now == 0 {
            return Err(Text::from(TOO_LITTLE));
        }
        // A runner whose current week is empty has stopped: walk-run intervals come first.
        let stopped = facts.number(Num::WeeklyKm) == Some(0.0);
        let mut weeks = Vec::with_capacity(usize::from(self.weeks));
        let km = |t: u32| f64::from(t) / 10.0;
        for week in 1..=self.weeks {
            let previous = weeks.last().map(|w: &PlanWeek| w.km);
            if let Some(prev) = previous {
                let next = tenths_at_most(prev * growth).min(cap);
                if next <= now {
                    // Too little to grow by 0.1 km within the limit: no plan rather than a
                    // plan that never moves.
                    return Err(Text::from(TOO_LITTLE));
                }
                now = next;
            }
            let runs = self.runs.as_ref().map_or_else(Vec::new, |r| {
                let walk_run = if stopped {
                    r.walk_run.get(usize::from(week - 1)).copied()
                } else {
                    None
                };
                split(now, r.days(), walk_run)
            });
            weeks.push(PlanWeek {
                week,
                km: km(now),
                // The week is at most `p * growth`; the `min` only absorbs the last bit of
                // the division's rounding, so the figure never reads above the limit.
                change_pct: previous.map_or(0.0, |p| {
                    ((km(now) / p - 1.0) * 100.0).min(self.weekly_limit)
                }),
                step_back_km: previous,
                runs,
            });
            if now >= cap {
                break;
            }
        }

        // The top diagnosis's stages, each keeping only the steps the report gives; those
        // steps follow their stage instead of starting in week 1.
        let (mut stages, stage_source) = self
            .stages
            .iter()
            .find(|(ds, _, _)| ds.contains(&top))
            .map_or_else(
                || (Vec::new(), None),
                |(_, st, src)| (st.clone(), Some(src.clone())),
            );
        let (mut rest_days, mut strength, mut after_runs) = (Vec::new(), Vec::new(), Vec::new());
        let mut reported = Vec::new();
        for (kind, id) in cx.steps {
            if !stages.is_empty() {
                reported.push(id.clone());
            }
            let staged = stages.iter().any(|st| st.steps.contains(id));
            match kind {
                Some(StepKind::CrossTraining) => rest_days.push(id.clone()),
                Some(StepKind::Strength) if !staged => strength.push(id.clone()),
                Some(StepKind::Stretch) => after_runs.push(id.clone()),
                _ => {}
            }
        }
        for st in &mut stages {
            st.steps.retain(|id| reported.contains(id));
        }
        Ok(Plan {
            diagnosis: top_id.clone(),
            recent_km: recent,
            start_fraction: fraction,
            weekly_limit_pct: self.weekly_limit,
            pain_limit: self.pain_limit,
            weeks,
            pain_rule: self.pain_rule.clone(),
            rest_days,
            strength,
            after_runs,
            entry: self.entry.clone(),
            effort: self.runs.as_ref().map(|r| r.effort),
            longest_run_cap_km: run_cap.map(|(_, c)| km(c)),
            setback_rule: self.setback_rule.clone(),
            stop: self.stop.clone(),
            stages,
            sources: [
                source,
                self.growth_source.clone(),
                self.pain_source.clone(),
                self.weeks_source.clone(),
            ]
            .into_iter()
            .chain(self.more_sources.iter().cloned())
            .chain(stage_source)
            .collect(),
        })
    }
}

/// The runner's recent weekly distance: the mean of up to four weeks before the current one
/// (what the body was used to before this week), or the current week when it is the only
/// one. `None` without a distance above zero.
fn recent_km(facts: &Facts) -> Option<f64> {
    facts
        .chronic_mean
        .or_else(|| {
            facts
                .number(Num::WeeklyKm)
                .filter(|_| facts.chronic_weeks == 0)
        })
        .filter(|&x| x > 0.0)
}

/// A week of `tenths` split into runs on `days` as evenly as whole tenths allow, the longer
/// runs first: they add up to the week, and none is longer than the week divided by the
/// number of runs, rounded up.
fn split(tenths: u32, days: &[u8], walk_run: Option<Interval>) -> Vec<PlanRun> {
    let n = u32::try_from(days.len()).unwrap_or(1).max(1);
    let (base, extra) = (tenths / n, tenths % n);
    days.iter()
        .zip(0..)
        .map(|(&day, i)| PlanRun {
            day,
            km: f64::from(base + u32::from(i < extra)) / 10.0,
            walk_run,
        })
        .filter(|r| r.km > 0.0)
        .collect()
}

/// The most whole tenths of a km whose value in km, as the plan reports it, is not above `x`.
fn tenths_at_most(x: f64) -> u32 {
    // NaN and anything not above zero have no tenths.
    if x.is_nan() || x <= 0.0 {
        return 0;
    }
    // Weeks are at most 2000 km, so the cast is exact; the loop undoes a rounding up in `x * 10`.
    let mut t = (x * 10.0).floor().min(f64::from(u32::MAX)) as u32;
    while t > 0 && f64::from(t) / 10.0 > x {
        t -= 1;
    }
    t
}

#[cfg(test)]
mod tests {
    use super::tenths_at_most;

    #[test]
    fn tenths_are_never_above_their_bound() {
        // 3.6999999999999997 * 10 rounds up to 37.0: 3.7 would be above the bound.
        let x = 3.699_999_999_999_999_7_f64;
        assert!(x < 3.7);
        assert_eq!(tenths_at_most(x), 36);
        for t in 1..20_000u32 {
            let x = f64::from(t) / 10.0;
            let below = x - x * f64::EPSILON;
            assert_eq!(tenths_at_most(x), t, "{x}");
            assert!(f64::from(tenths_at_most(below)) / 10.0 <= below, "{below}");
            assert!(f64::from(tenths_at_most(x * 1.1)) / 10.0 <= x * 1.1, "{x}");
        }
        assert_eq!(tenths_at_most(0.0), 0);
        assert_eq!(tenths_at_most(f64::NAN), 0);
        assert_eq!(tenths_at_most(-1.0), 0);
    }
}

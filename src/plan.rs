//! The return-to-running plan: from a fraction of the runner's recent weekly distance back up
//! to it, never growing faster than the rule set's weekly limit, with the pain-monitoring rule
//! and the report's cross-training, strength and stretching steps scheduled around the runs.
//!
//! Every number comes from the rule file's `training` section; this module only does the
//! arithmetic, which is why the plan is a pure function of the facts and the report so far.

use crate::facts::{Facts, Num};
use crate::report::{Plan, PlanWeek};
use crate::rules::{PlanDef, StepKind};
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
}

/// What the plan reads from the evaluation: the level, the top diagnosis, and the reported
/// steps that a plan schedules, by kind.
pub(crate) struct Context<'a> {
    pub level: Level,
    pub top: Option<(usize, &'a Text)>,
    pub steps: &'a mut dyn Iterator<Item = (Option<StepKind>, &'a Text)>,
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
        let pain_rule = format!(
            "Start week 1 once a run keeps the pain at {limit}/10 or less, during it and the next \
             morning; until then rest from running and cross-train. Keep to that limit every week: \
             if the pain goes above {limit}/10, go back to the week before's distance for a week, \
             then build up again, adding at most {growth}% a week.",
            limit = pain_limit,
            growth = km(weekly_limit),
        );
        PlanPolicy {
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

    /// The plan, or `None`: at `Doctor` level and above, when the top diagnosis has no start,
    /// when the log shows no recent distance, or when that distance is too small to grow in
    /// steps of 0.1 km within the weekly limit.
    pub(crate) fn build(&self, facts: &Facts, cx: Context<'_>) -> Option<Plan> {
        if cx.level >= Level::Doctor {
            return None;
        }
        let (top, top_id) = cx.top?;
        // Validation refuses a diagnosis in two starts; should a set built in code have one,
        // the smaller fraction is taken, the safer reading.
        let (fraction, source) = self
            .start
            .iter()
            .filter(|(d, _, _)| *d == top)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(_, f, s)| (*f, s.clone()))?;
        let recent = recent_km(facts)?;
        let growth = 1.0 + self.weekly_limit / 100.0;

        // Distances are whole tenths of a km, each the largest not above its bound, so that
        // rounding never lifts a week past the limit or past the recent distance.
        let cap = tenths_at_most(recent);
        let mut now = tenths_at_most(recent * fraction).min(cap);
        if now == 0 {
            return None;
        }
        let mut weeks = Vec::with_capacity(usize::from(self.weeks));
        let km = |t: u32| f64::from(t) / 10.0;
        for week in 1..=self.weeks {
            let previous = weeks.last().map(|w: &PlanWeek| w.km);
            if let Some(prev) = previous {
                let next = tenths_at_most(prev * growth).min(cap);
                if next <= now {
                    // Too little to grow by 0.1 km within the limit: no plan rather than a
                    // plan that never moves.
                    return None;
                }
                now = next;
            }
            weeks.push(PlanWeek {
                week,
                km: km(now),
                // The week is at most `p * growth`; the `min` only absorbs the last bit of
                // the division's rounding, so the figure never reads above the limit.
                change_pct: previous.map_or(0.0, |p| {
                    ((km(now) / p - 1.0) * 100.0).min(self.weekly_limit)
                }),
                step_back_km: previous,
            });
            if now >= cap {
                break;
            }
        }

        let (mut rest_days, mut strength, mut after_runs) = (Vec::new(), Vec::new(), Vec::new());
        for (kind, id) in cx.steps {
            match kind {
                Some(StepKind::CrossTraining) => rest_days.push(id.clone()),
                Some(StepKind::Strength) => strength.push(id.clone()),
                Some(StepKind::Stretch) => after_runs.push(id.clone()),
                None => {}
            }
        }
        Some(Plan {
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
            sources: vec![
                source,
                self.growth_source.clone(),
                self.pain_source.clone(),
                self.weeks_source.clone(),
            ],
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

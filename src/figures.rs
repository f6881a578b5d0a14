//! The runner's training figures, derived from the log, and the words that quote them
//! with the rule set's thresholds ("this week 45 km, 50% above last week's 30 km; a 10%
//! rise would be at most 33 km").
//!
//! The numbers come from [`Facts`], so that what rules test and what reports quote are one
//! computation; the thresholds come from the rule file's `training` section.

use std::fmt::Write;

use crate::facts::{Facts, MIN_BASE_KM, Num};
use crate::report::Load;
use crate::rules::{Metric, TrainingDef};
use crate::text::{Text, fixed, km};

/// The `training` section, compiled.
#[derive(Debug, Clone)]
pub(crate) struct TrainingPolicy {
    /// Largest weekly growth, percent.
    pub weekly_limit: f64,
    /// (upper bound, id, words), lowest zone first; the last zone has no bound.
    pub zones: Vec<(Option<f64>, Text, Text)>,
    pub plan: Option<crate::plan::PlanPolicy>,
}

impl TrainingPolicy {
    /// Compiles a section the validator accepted. `diagnosis` maps an id to its index.
    pub(crate) fn new(
        def: &TrainingDef,
        diagnosis: impl Fn(&str) -> Option<usize>,
    ) -> TrainingPolicy {
        TrainingPolicy {
            weekly_limit: def.weekly_limit.value,
            zones: def
                .acwr_zones
                .zones
                .iter()
                .map(|z| {
                    (
                        z.below,
                        Text::from(z.id.as_str()),
                        Text::from(z.text.as_str()),
                    )
                })
                .collect(),
            plan: def.plan.as_ref().map(|p| {
                crate::plan::PlanPolicy::new(
                    p,
                    def.weekly_limit.value,
                    &def.weekly_limit.source,
                    diagnosis,
                )
            }),
        }
    }

    /// The zone a ratio falls in: the first whose bound it is below, else the last.
    fn zone(&self, ratio: f64) -> Option<&(Option<f64>, Text, Text)> {
        self.zones
            .iter()
            .find(|(below, _, _)| below.is_none_or(|b| ratio < b))
    }
}

/// The number a figure is computed from, whose threshold in a rule the figure quotes.
pub(crate) fn num(m: Metric) -> Num {
    match m {
        Metric::WeeklyIncrease => Num::WeeklyIncreasePct,
        Metric::Acwr => Num::Acwr,
        Metric::WeeklyKm => Num::WeeklyKm,
        Metric::ShoeKm => Num::ShoeKm,
        Metric::LongestRun => Num::LongestRunIncreasePct,
    }
}

/// The runner's training figures, read against `policy` where there is one. `shoe_limit`
/// is the distance the rule set's shoe rules name.
pub(crate) fn figures(
    facts: &Facts,
    policy: Option<&TrainingPolicy>,
    shoe_limit: Option<f64>,
) -> Load {
    let week_km = facts.number(Num::WeeklyKm);
    let acwr = facts.number(Num::Acwr);
    // Figures are rounded to what they mean: distances to 0.1 km, changes to the whole
    // percent, the ratio to two places. The zone is read from the exact ratio.
    let km = |x: Option<f64>| x.map(tenth);
    let pct = |x: Option<f64>| x.map(f64::round);
    Load {
        week_km: km(week_km),
        previous_week_km: km(facts.previous_week),
        weekly_change_pct: pct(weekly_change_figure(facts)),
        weekly_limit_km: km(policy
            .zip(facts.previous_week)
            .map(|(p, prev)| prev * (1.0 + p.weekly_limit / 100.0))),
        chronic_km: km(facts.chronic_mean),
        // At most four weeks: the cast cannot truncate.
        chronic_weeks: facts.chronic_weeks.min(usize::from(u8::MAX)) as u8,
        acwr: acwr.map(|r| (r * 100.0).round() / 100.0),
        acwr_zone: policy
            .zip(acwr)
            .and_then(|(p, r)| p.zone(r))
            .map(|(_, id, _)| id.clone()),
        longest_run_km: km(facts.longest_run),
        longest_before_km: km(facts.longest_before),
        longest_run_change_pct: pct(facts.number(Num::LongestRunIncreasePct)),
        shoe_km: km(facts.number(Num::ShoeKm)),
        shoe_limit_km: shoe_limit,
    }
}

/// The runner's own figure behind a contributing factor, in words, with `threshold` (the
/// bound of the rule that found the factor) and the zones of `policy`; `None` when the log
/// cannot support the figure.
pub(crate) fn figure(
    facts: &Facts,
    metric: Metric,
    threshold: Option<f64>,
    policy: Option<&TrainingPolicy>,
) -> Option<String> {
    // The same rounded figures as the report's `load`, so the words and the data agree.
    let current = facts.number(Num::WeeklyKm).map(tenth);
    let weeks = Weeks;
    match metric {
        Metric::WeeklyIncrease => {
            let (c, prev) = (current?, tenth(facts.previous_week?));
            let mut s = match weekly_change_figure(facts).map(f64::round) {
                Some(pct) => sized(format_args!(
                    "this week {} km, {} last week's {} km",
                    km(c),
                    change(pct, "above", "below"),
                    km(prev)
                )),
                // The rules still see the change (after a week of no running it is
                // unbounded); a percentage of almost nothing would be noise.
                None => sized(format_args!(
                    "this week {} km after {} km last week",
                    km(c),
                    km(prev)
                )),
            };
            if let Some(limit) = threshold.or(policy.map(|p| p.weekly_limit)) {
                let most = prev * (1.0 + limit / 100.0);
                let _ = write!(
                    s,
                    "; a {}% rise would be at most {} km",
                    km(limit),
                    km(most)
                );
            }
            Some(s)
        }
        Metric::Acwr => {
            let (c, mean, r) = (
                current?,
                tenth(facts.chronic_mean?),
                (facts.number(Num::Acwr)? * 100.0).round() / 100.0,
            );
            let mut s = sized(format_args!(
                "this week {} km against an average of {} km over {}: ratio {}",
                km(c),
                km(mean),
                weeks(facts.chronic_weeks),
                fixed(r, 2)
            ));
            match (policy.and_then(|p| p.zone(r)), threshold) {
                (Some((_, _, words)), _) => {
                    let _ = write!(s, ", {words}");
                }
                (None, Some(t)) => {
                    let _ = write!(s, "; the rule's mark is {t}");
                }
                (None, None) => {}
            }
            Some(s)
        }
        Metric::WeeklyKm => {
            let mut s = sized(format_args!("{} km this week", km(current?)));
            if let Some(t) = threshold {
                let _ = write!(s, "; the rule's mark is {} km", km(t));
            }
            Some(s)
        }
        Metric::ShoeKm => {
            let shoes = tenth(facts.number(Num::ShoeKm)?);
            let mut s = sized(format_args!("{} km on the current shoes", km(shoes)));
            if let Some(limit) = threshold {
                let _ = write!(s, "; replace them at about {} km", km(limit));
            }
            Some(s)
        }
        Metric::LongestRun => {
            let (run, before, pct) = (
                tenth(facts.longest_run?),
                tenth(facts.longest_before?),
                facts.number(Num::LongestRunIncreasePct)?.round(),
            );
            let mut s = sized(format_args!(
                "longest run this week {} km, {} the {} km longest of {}",
                km(run),
                change(pct, "longer than", "shorter than"),
                km(before),
                weeks(facts.longest_weeks)
            ));
            if let Some(limit) = threshold {
                let _ = write!(
                    s,
                    "; {}% longer would be at most {} km",
                    km(limit),
                    km(before * (1.0 + limit / 100.0))
                );
            }
            Some(s)
        }
    }
}

/// A figure's text, with room for the threshold sentence added after it: one allocation.
fn sized(args: std::fmt::Arguments<'_>) -> String {
    let mut s = String::with_capacity(128);
    let _ = s.write_fmt(args);
    s
}

/// A distance to the tenth of a kilometre, as reports show it.
fn tenth(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// This week against last week as the report shows it: only against a base of at least
/// `MIN_BASE_KM`, below which a percentage would be noise (the rules still compare the
/// exact change, which after a week of no running is unbounded).
fn weekly_change_figure(facts: &Facts) -> Option<f64> {
    facts
        .number(Num::WeeklyIncreasePct)
        .filter(|_| facts.previous_week.is_some_and(|p| p >= MIN_BASE_KM))
}

/// "55% above" or "10% below", to the whole percent.
fn change<'a>(pct: f64, up: &'a str, down: &'a str) -> impl std::fmt::Display + 'a {
    Change(pct, up, down)
}

struct Change<'a>(f64, &'a str, &'a str);

impl std::fmt::Display for Change<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Change(pct, up, down) = *self;
        if pct >= 0.0 {
            write!(f, "{}% {up}", fixed(pct, 0))
        } else {
            write!(f, "{}% {down}", fixed(-pct, 0))
        }
    }
}

/// "the week before", "the 4 weeks before".
struct Weeks(usize);

impl std::fmt::Display for Weeks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            1 => f.write_str("the week before"),
            n => write!(f, "the {n} weeks before"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Assessment;
    use crate::rules::RuleSetSource;
    use crate::vocab::Onset;

    fn policy() -> TrainingPolicy {
        let src: RuleSetSource =
            crate::parse::parse_ron(include_str!("../rules/runner_knee.ron"), usize::MAX)
                .expect("default rules");
        TrainingPolicy::new(&src.training.expect("a training section"), |_| None)
    }

    fn facts(weeks: &[f64]) -> Facts {
        let mut a = Assessment::new(Onset::Chronic);
        a.training.weekly_km = weeks.to_vec();
        a.training.shoe_km = Some(900.0);
        Facts::from_assessment(&a)
    }

    #[test]
    fn the_weekly_figure_names_the_ten_percent_rule() {
        let f = facts(&[30.0, 30.0, 45.0]);
        assert_eq!(
            figure(&f, Metric::WeeklyIncrease, None, Some(&policy())).unwrap(),
            "this week 45 km, 50% above last week's 30 km; a 10% rise would be at most 33 km"
        );
        assert_eq!(
            figure(&f, Metric::WeeklyIncrease, Some(20.0), None).unwrap(),
            "this week 45 km, 50% above last week's 30 km; a 20% rise would be at most 36 km"
        );
        let f = facts(&[30.0, 27.0]);
        assert!(
            figure(&f, Metric::WeeklyIncrease, None, None)
                .unwrap()
                .contains("10% below last week's 30 km")
        );
    }

    #[test]
    fn the_ratio_is_placed_in_its_zone() {
        let p = policy();
        for (weeks, zone) in [
            (&[40.0, 20.0][..], "low"),
            (&[40.0, 40.0][..], "sweet_spot"),
            (&[40.0, 56.0][..], "raised"),
            (&[40.0, 60.0][..], "danger"),
        ] {
            let load = figures(&facts(weeks), Some(&p), None);
            assert_eq!(load.acwr_zone.as_deref(), Some(zone), "{weeks:?}");
        }
        let text = figure(
            &facts(&[28.0, 30.0, 29.0, 60.0]),
            Metric::Acwr,
            None,
            Some(&p),
        )
        .unwrap();
        assert!(
            text.starts_with("this week 60 km against an average of 29 km over the 3 weeks before: ratio 2.07, 1.5 or more"),
            "{text}"
        );
    }

    #[test]
    fn figures_are_unknown_where_the_log_is_silent() {
        let load = figures(&facts(&[]), Some(&policy()), Some(800.0));
        assert_eq!(load.week_km, None);
        assert_eq!(load.acwr, None);
        assert_eq!(load.acwr_zone, None);
        assert_eq!(load.weekly_limit_km, None);
        assert_eq!(load.shoe_km, Some(900.0));
        assert_eq!(load.shoe_limit_km, Some(800.0));
        assert_eq!(figure(&facts(&[]), Metric::WeeklyKm, None, None), None);
        assert_eq!(
            figure(&facts(&[70.0]), Metric::WeeklyKm, Some(64.0), None).as_deref(),
            Some("70 km this week; the rule's mark is 64 km")
        );
        assert!(
            figure(&facts(&[20.0, 40.0]), Metric::Acwr, Some(1.5), None)
                .unwrap()
                .ends_with("ratio 2.00; the rule's mark is 1.5")
        );
        assert_eq!(
            figure(&facts(&[]), Metric::ShoeKm, Some(700.0), None).as_deref(),
            Some("900 km on the current shoes; replace them at about 700 km")
        );
    }
}

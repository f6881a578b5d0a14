//! Turns an [`Assessment`] into the facts rules test: bit masks for the lists, and the
//! numbers, derived ones included (week-over-week change, acute:chronic workload ratio).
//!
//! Anything unusable (a missing field, too few weeks, a non-finite number that skipped
//! validation) becomes *unknown*, never a guess; a number beyond its field's valid range
//! counts as the nearest valid value.

pub(crate) use crate::fields::{Field, Num};
use crate::model::Assessment;

use crate::vocab::{Mechanism, Onset, Sex, Surface};

// Known numbers are kept as bits of a u32.
const _: () = assert!(Num::COUNT <= 32);

// The masks below are a u64 and u16s: a vocabulary that outgrows them must fail the build,
// not shift a bit out of range at run time.
const _: () = assert!(crate::vocab::Symptom::ALL.len() <= 64);
const _: () = assert!(crate::vocab::Location::ALL.len() <= 16);
const _: () = assert!(crate::vocab::History::ALL.len() <= 16);

/// The smallest distance a ratio or a percentage change is taken against, km.
pub(crate) const MIN_BASE_KM: f64 = 0.1;

/// How many weeks before the current one the chronic load averages over.
const CHRONIC_WEEKS: usize = 4;

/// The facts of one assessment, ready for the compiled rules.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Facts {
    pub present: u64,
    pub absent: u64,
    pub locations: u16,
    pub history: u16,
    pub onset: Onset,
    pub mechanism: Option<Mechanism>,
    pub sex: Option<Sex>,
    pub surface: Option<Surface>,
    pub downhill: Option<bool>,
    pub intensity_increased: Option<bool>,
    pub new_to_running: Option<bool>,
    numbers: [Option<f64>; Num::COUNT],
    /// The numbers known, one bit each (`1 << n as usize`): a comparison with an unknown
    /// number is never true, so the index skips rules that compare one.
    pub known: u32,
    /// The list of locations may be incomplete: places not in it are unknown, not absent. Set
    /// by an interview while it can still ask about places; an assessment's list is complete
    /// once it names one place.
    pub locations_open: bool,
    /// History not listed is unknown rather than absent: set by an interview while it can
    /// still ask about history.
    pub history_open: bool,
    /// Fields (by `Field::bit`) whose `Missing` reads unknown rather than true: an interview
    /// sets it for the fields it can still ask about.
    pub askable: u16,
    /// Last week's distance.
    pub previous_week: Option<f64>,
    /// The mean distance of up to four weeks before the current one.
    pub chronic_mean: Option<f64>,
    /// How many weeks that mean covers.
    pub chronic_weeks: usize,
    /// This week's longest run.
    pub longest_run: Option<f64>,
    /// The longest run of up to four weeks before the current one.
    pub longest_before: Option<f64>,
    /// The longest run of the log's last four weeks, the current one included: what a
    /// plan's single runs are measured against.
    pub longest_recent: Option<f64>,
    /// How many weeks that covers.
    pub longest_weeks: usize,
}

/// How many contexts there are: each onset with each mechanism or none.
pub(crate) const CONTEXTS: usize = Onset::ALL.len() * (Mechanism::ALL.len() + 1);

// Sets of contexts are kept as bits of a u32.
const _: () = assert!(CONTEXTS <= 32);

/// A context's place among the [`CONTEXTS`].
pub(crate) fn context_index(onset: Onset, mechanism: Option<Mechanism>) -> usize {
    onset.index() * (Mechanism::ALL.len() + 1) + mechanism.map_or(0, |m| m.index() + 1)
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// A raw number as rules see it: unknown when not finite, and otherwise brought into the
/// field's valid range, so that an unvalidated pain score of 12 counts as 10 (the cautious
/// reading: still the worst pain) and the validator's range analysis holds for every input.
fn in_range(n: Num, x: f64) -> Option<f64> {
    let (lo, hi, _) = n.domain();
    finite(x).map(|x| x.clamp(lo, hi))
}

/// A derived figure without the noise of binary floating point, so that thresholds compare
/// as written: 7.0 km to 7.7 km is 10% exactly, not 10.000000000000009%, and `Above(10.0)`
/// does not hold. Nine decimal places are far below anything a log can mean.
fn snap(x: f64) -> f64 {
    if x.abs() < 1e6 {
        (x * 1e9).round() / 1e9
    } else {
        x
    }
}

/// This week against last week, in percent. The policy counts a week after a week of no
/// running as an increase (the "load increase" of docs/POLICY.md), so a last week of 0 km with distance
/// this week is an unbounded increase (`f64::INFINITY`, above every threshold); no distance
/// in either week is no figure at all. Reports show only finite figures.
pub(crate) fn weekly_change(current: Option<f64>, previous: Option<f64>) -> Option<f64> {
    let (c, p) = (current?, previous?);
    if p > 0.0 {
        finite((c / p - 1.0) * 100.0)
            .map(snap)
            .or(Some(f64::INFINITY))
    } else if c > 0.0 {
        Some(f64::INFINITY)
    } else {
        None
    }
}

impl Facts {
    pub(crate) fn from_assessment(a: &Assessment) -> Facts {
        let mut present = 0u64;
        for s in &a.present {
            present |= 1 << s.index();
        }
        let mut absent = 0u64;
        for s in &a.absent {
            absent |= 1 << s.index();
        }
        // A symptom in both lists (refused by `validate`) counts as present: the safer reading.
        absent &= !present;
        let locations = a.locations.iter().fold(0u16, |m, l| m | (1 << l.index()));
        let history = a.history.iter().fold(0u16, |m, h| m | (1 << h.index()));

        let t = &a.training;
        // Only the last 12 weeks count; a longer list (refused by `validate`) is cut, not fatal.
        let weeks = &t.weekly_km[t.weekly_km.len().saturating_sub(crate::limits::MAX_WEEKS)..];
        let week = |x: f64| in_range(Num::WeeklyKm, x);
        let current = weeks.last().copied().and_then(week);
        let previous_week = weeks.len().checked_sub(2).and_then(|i| week(weeks[i]));
        let before = &weeks[..weeks.len().saturating_sub(1)];
        let chronic = &before[before.len().saturating_sub(CHRONIC_WEEKS)..];
        // One unusable week leaves the chronic load unknown rather than guessed.
        let chronic_mean = chronic
            .iter()
            .map(|&x| week(x))
            .sum::<Option<f64>>()
            .filter(|_| !chronic.is_empty())
            .map(|sum| sum / chronic.len() as f64);
        // A base under 0.1 km is no distance to compare with: the ratio would be noise, and
        // its percentage could overflow.
        let ratio = |num: Option<f64>, den: Option<f64>| match (num, den) {
            (Some(n), Some(d)) if d >= MIN_BASE_KM => finite(n / d),
            _ => None,
        };
        let increase = weekly_change(current, previous_week);
        // Uncoupled: the current week is not part of the chronic load it is compared with.
        let acwr = ratio(current, chronic_mean).map(snap);

        // The longest run against the longest of the four weeks before, about the 30 days
        // over which Frandsen 2025 measured a spike.
        let runs = &t.longest_run_km[t
            .longest_run_km
            .len()
            .saturating_sub(crate::limits::MAX_WEEKS)..];
        let run = |x: f64| finite(x).map(|x| x.clamp(0.0, crate::limits::MAX_RUN_KM));
        let longest_run = runs.last().copied().and_then(run);
        let earlier = &runs[..runs.len().saturating_sub(1)];
        let earlier = &earlier[earlier.len().saturating_sub(CHRONIC_WEEKS)..];
        let longest_before = earlier
            .iter()
            .map(|&x| run(x))
            .try_fold(None::<f64>, |max, x| {
                let x = x?;
                Some(Some(max.map_or(x, |m| m.max(x))))
            })
            .flatten();
        let longest_recent = runs[runs.len().saturating_sub(CHRONIC_WEEKS)..]
            .iter()
            .filter_map(|&x| run(x))
            .reduce(f64::max);
        let longest_increase = ratio(longest_run, longest_before).map(|r| snap((r - 1.0) * 100.0));

        let mut numbers = [None; Num::COUNT];
        numbers[Num::Age as usize] = a.age.and_then(|x| in_range(Num::Age, f64::from(x)));
        numbers[Num::DaysSinceOnset as usize] = a.days_since_onset.map(f64::from);
        numbers[Num::PainScore as usize] = a
            .pain_score
            .and_then(|x| in_range(Num::PainScore, f64::from(x)));
        numbers[Num::Bmi as usize] = a.bmi.and_then(|x| in_range(Num::Bmi, x));
        numbers[Num::WeeklyKm as usize] = current;
        numbers[Num::WeeklyIncreasePct as usize] = increase;
        numbers[Num::Acwr as usize] = acwr;
        numbers[Num::ShoeKm as usize] = t.shoe_km.and_then(|x| in_range(Num::ShoeKm, x));
        numbers[Num::LongestRunIncreasePct as usize] = longest_increase;

        let known = numbers
            .iter()
            .enumerate()
            .filter(|(_, x)| x.is_some())
            .fold(0u32, |m, (i, _)| m | (1 << i));
        Facts {
            known,
            present,
            absent,
            locations,
            history,
            onset: a.onset,
            mechanism: a.mechanism,
            sex: a.sex,
            surface: t.surface,
            downhill: t.downhill,
            intensity_increased: t.intensity_increased,
            new_to_running: t.new_to_running,
            numbers,
            locations_open: false,
            history_open: false,
            askable: 0,
            previous_week,
            chronic_mean,
            chronic_weeks: chronic.len(),
            longest_run,
            longest_before,
            longest_recent,
            longest_weeks: earlier.len(),
        }
    }

    /// The facts' context (onset and mechanism) as a one-bit set; see `engine/context.rs`.
    #[inline]
    pub(crate) fn context(&self) -> u32 {
        1 << context_index(self.onset, self.mechanism)
    }

    pub(crate) fn number(&self, n: Num) -> Option<f64> {
        self.numbers[n as usize]
    }

    /// Whether a location not in the list is unknown rather than absent.
    pub(crate) fn locations_unknown(&self) -> bool {
        self.locations == 0 || self.locations_open
    }

    pub(crate) fn is_missing(&self, field: Field) -> bool {
        match (field, field.number()) {
            (_, Some(n)) => self.number(n).is_none(),
            (Field::Mechanism, None) => self.mechanism.is_none(),
            (Field::Sex, None) => self.sex.is_none(),
            // A field added to the table without a way to read it here.
            (_, None) => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::Symptom;

    fn with_weeks(weeks: &[f64]) -> Facts {
        let mut a = Assessment::new(Onset::Chronic);
        a.training.weekly_km = weeks.to_vec();
        Facts::from_assessment(&a)
    }

    #[test]
    fn derives_weekly_increase_and_acwr_from_the_design_example() {
        let f = with_weeks(&[28.0, 30.0, 29.0, 40.0]);
        assert_eq!(f.number(Num::WeeklyKm), Some(40.0));
        let inc = f.number(Num::WeeklyIncreasePct).unwrap();
        assert!((inc - 37.931).abs() < 0.01, "{inc}");
        // Mean of the three weeks before: 29.0.
        let acwr = f.number(Num::Acwr).unwrap();
        assert!((acwr - 40.0 / 29.0).abs() < 1e-9, "{acwr}");
    }

    #[test]
    fn acwr_averages_at_most_four_weeks() {
        let f = with_weeks(&[100.0, 10.0, 10.0, 10.0, 10.0, 20.0]);
        assert_eq!(f.number(Num::Acwr), Some(2.0));
    }

    #[test]
    fn too_few_weeks_or_a_zero_week_leave_numbers_unknown() {
        let f = with_weeks(&[30.0]);
        assert_eq!(f.number(Num::WeeklyKm), Some(30.0));
        assert_eq!(f.number(Num::WeeklyIncreasePct), None);
        assert_eq!(f.number(Num::Acwr), None);
        assert!(f.is_missing(Field::Acwr));
        let f = with_weeks(&[0.0, 0.0]);
        assert_eq!(f.number(Num::WeeklyIncreasePct), None);
        let f = with_weeks(&[]);
        assert!(f.is_missing(Field::WeeklyKm));
    }

    #[test]
    fn compares_the_longest_run_with_the_longest_of_four_weeks_before() {
        let mut a = Assessment::new(Onset::Chronic);
        a.training.longest_run_km = vec![30.0, 10.0, 12.0, 11.0, 10.0, 15.0];
        let f = Facts::from_assessment(&a);
        // The 30 km run is five weeks back, outside the window.
        assert_eq!(f.longest_before, Some(12.0));
        assert_eq!(f.longest_weeks, 4);
        let pct = f.number(Num::LongestRunIncreasePct).unwrap();
        assert!((pct - 25.0).abs() < 1e-9, "{pct}");
        a.training.longest_run_km = vec![10.0, f64::NAN, 15.0];
        let f = Facts::from_assessment(&a);
        assert_eq!(f.number(Num::LongestRunIncreasePct), None);
        a.training.longest_run_km = vec![15.0];
        assert!(Facts::from_assessment(&a).is_missing(Field::LongestRunIncreasePct));
    }

    #[test]
    fn ten_percent_exactly_is_not_above_ten_percent() {
        for (before, now) in [(7.0, 7.7), (20.0, 22.0), (30.0, 33.0), (0.3, 0.33)] {
            let f = with_weeks(&[before, now]);
            assert_eq!(
                f.number(Num::WeeklyIncreasePct),
                Some(10.0),
                "{before} to {now}"
            );
        }
        let f = with_weeks(&[7.0, 7.71]);
        assert!(f.number(Num::WeeklyIncreasePct).unwrap() > 10.0);
    }

    #[test]
    fn a_week_after_a_week_of_no_running_is_an_unbounded_increase() {
        let f = with_weeks(&[20.0, 0.0, 15.0]);
        assert_eq!(f.number(Num::WeeklyIncreasePct), Some(f64::INFINITY));
        // A tiny week before is still a week to compare with.
        let f = with_weeks(&[0.05, 0.5]);
        assert_eq!(f.number(Num::WeeklyIncreasePct), Some(900.0));
    }

    #[test]
    fn non_finite_numbers_become_unknown() {
        let f = with_weeks(&[10.0, f64::NAN]);
        assert_eq!(f.number(Num::WeeklyKm), None);
        assert_eq!(f.number(Num::WeeklyIncreasePct), None);
    }

    #[test]
    fn a_symptom_in_both_lists_counts_as_present() {
        let mut a = Assessment::new(Onset::Acute);
        a.present.push(Symptom::Fever);
        a.absent.push(Symptom::Fever);
        let f = Facts::from_assessment(&a);
        assert_eq!(f.present, 1 << Symptom::Fever.index());
        assert_eq!(f.absent, 0);
    }
}

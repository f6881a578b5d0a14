//! Random valid assessments, for testing an integration or a clinic's layer without copying
//! this crate's test support. Behind the `testing` feature; deterministic from a seed, with no
//! dependency of its own.
//!
//! ```
//! use patella::{RuleSet, testing::Assessments};
//! let rules = RuleSet::default();
//! for a in Assessments::new(7).take(1000) {
//!     assert!(a.validate().is_ok());
//!     let report = rules.evaluate(&a);
//!     // A property of your own: every report above self-care leads with where to go.
//!     if report.escalation.level >= patella::Level::Doctor {
//!         assert_eq!(report.steps[0].id, "escalation");
//!     }
//! }
//! ```

use crate::model::Assessment;
use crate::vocab::{History, Location, Mechanism, Onset, Sex, Surface, Symptom};

/// An endless, repeatable stream of valid assessments of every shape the wire format allows:
/// ages from childhood to old age, both onsets, any mechanism or none, symptoms present,
/// absent or unknown, history, and training logs of up to twelve weeks with longest runs.
#[derive(Debug, Clone)]
pub struct Assessments {
    state: u64,
}

impl Assessments {
    /// The stream from `seed`: the same seed gives the same assessments.
    #[must_use]
    pub fn new(seed: u64) -> Assessments {
        Assessments {
            state: seed ^ 0x9E37_79B9_7F4A_7C15,
        }
    }

    /// The next number of a 64-bit linear congruential generator, top bits.
    fn next_u64(&mut self) -> u64 {
        self.state = self
            .state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.state >> 11
    }

    /// A number below `n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        // The modulo bias is irrelevant for test data.
        usize::try_from(self.next_u64() % n as u64).unwrap_or(0)
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, all: &[T]) -> T {
        all[self.below(all.len())]
    }

    fn km(&mut self, max: usize) -> f64 {
        // Tenths of a kilometre, as logs keep them.
        self.below(max * 10) as f64 / 10.0
    }
}

impl Iterator for Assessments {
    type Item = Assessment;

    fn next(&mut self) -> Option<Assessment> {
        let onset = if self.chance(40) {
            Onset::Acute
        } else {
            Onset::Chronic
        };
        let mut a = Assessment::new(onset);
        if self.chance(85) {
            a.age = u32::try_from(6 + self.below(80)).ok();
        }
        if self.chance(70) {
            a.sex = Some(self.pick(Sex::ALL));
        }
        if self.chance(70) {
            a.days_since_onset = u32::try_from(self.below(120)).ok();
        }
        if self.chance(50) {
            a.pain_score = u8::try_from(self.below(11)).ok();
        }
        if self.chance(40) {
            a.bmi = Some(16.0 + self.km(20));
        }
        if self.chance(80) {
            a.mechanism = Some(self.pick(Mechanism::ALL));
        }
        for _ in 0..self.below(3) {
            let l = self.pick(Location::ALL);
            if !a.locations.contains(&l) {
                a.locations.push(l);
            }
        }
        // Few symptoms present, a few more ruled out, most unknown: as runners report them.
        for &s in Symptom::ALL {
            match self.below(20) {
                0 => a.present.push(s),
                1 | 2 => a.absent.push(s),
                _ => {}
            }
        }
        for _ in 0..self.below(3) {
            let h = self.pick(History::ALL);
            if !a.history.contains(&h) {
                a.history.push(h);
            }
        }
        if self.chance(60) {
            let weeks = 1 + self.below(crate::limits::MAX_WEEKS);
            a.training.weekly_km = (0..weeks).map(|_| self.km(90)).collect();
            if self.chance(60) {
                a.training.longest_run_km = (0..weeks).map(|_| self.km(35)).collect();
            }
        }
        if self.chance(40) {
            a.training.intensity_increased = Some(self.chance(30));
        }
        if self.chance(40) {
            a.training.downhill = Some(self.chance(30));
        }
        if self.chance(40) {
            a.training.surface = Some(self.pick(Surface::ALL));
        }
        if self.chance(30) {
            a.training.shoe_km = Some(self.km(1500));
        }
        if self.chance(40) {
            a.training.new_to_running = Some(self.chance(25));
        }
        Some(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_assessment_is_valid_and_the_stream_repeats() {
        let first: Vec<Assessment> = Assessments::new(1).take(500).collect();
        for a in &first {
            assert_eq!(a.validate(), Ok(()), "{a:?}");
        }
        assert_eq!(first, Assessments::new(1).take(500).collect::<Vec<_>>());
        assert_ne!(first, Assessments::new(2).take(500).collect::<Vec<_>>());
        // Not vacuous: both onsets, symptoms and logs appear.
        assert!(first.iter().any(|a| a.onset == Onset::Acute));
        assert!(first.iter().any(|a| !a.present.is_empty()));
        assert!(first.iter().any(|a| a.training.weekly_km.len() > 4));
    }
}

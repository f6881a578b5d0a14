//! proptest strategies shared by the property tests: assessments of every shape the wire
//! format allows.

#![allow(dead_code)] // each includer uses part of it

use patella::{Assessment, History, Location, Mechanism, Onset, Sex, Surface, Symptom};
use proptest::prelude::*;
use proptest::sample::subsequence;

pub fn option<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    prop_oneof![Just(None), s.prop_map(Some)].boxed()
}

pub fn pick<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> BoxedStrategy<T> {
    proptest::sample::select(all).boxed()
}

/// Any assessment the wire format allows, unknowns included, with present and absent disjoint.
pub fn assessment() -> impl Strategy<Value = Assessment> {
    let symptoms = proptest::collection::vec(0u8..3, Symptom::ALL.len());
    (
        (
            option(0u32..=120),
            option(pick(Sex::ALL)),
            pick(Onset::ALL),
            option(0u32..400),
            option(0u8..=10),
            option(15.0f64..45.0),
            option(pick(Mechanism::ALL)),
        ),
        subsequence(Location::ALL.to_vec(), 0..4),
        symptoms,
        subsequence(History::ALL.to_vec(), 0..4),
        (
            proptest::collection::vec(0.0f64..150.0, 0..=12),
            option(any::<bool>()),
            option(any::<bool>()),
            option(pick(Surface::ALL)),
            option(0.0f64..2000.0),
            option(any::<bool>()),
            proptest::collection::vec(0.0f64..40.0, 0..=12),
        ),
    )
        .prop_map(|(basic, locations, symptoms, history, training)| {
            let (age, sex, onset, days, pain, bmi, mechanism) = basic;
            let mut a = Assessment::new(onset);
            a.age = age;
            a.sex = sex;
            a.days_since_onset = days;
            a.pain_score = pain;
            a.bmi = bmi;
            a.mechanism = mechanism;
            a.locations = locations;
            a.history = history;
            for (s, state) in Symptom::ALL.iter().zip(symptoms) {
                match state {
                    1 => a.present.push(*s),
                    2 => a.absent.push(*s),
                    _ => {}
                }
            }
            let (weeks, intensity, downhill, surface, shoe, new, longest) = training;
            a.training.weekly_km = weeks;
            a.training.intensity_increased = intensity;
            a.training.downhill = downhill;
            a.training.surface = surface;
            a.training.shoe_km = shoe;
            a.training.new_to_running = new;
            a.training.longest_run_km = longest;
            a
        })
}

//! The fields an assessment gives or derives, declared once: the numbers rules compare (with
//! their names, the words explanations use and their valid ranges) and the fields
//! `Missing(..)` can test. Names, labels, ranges, bits and the lookups between the two enums
//! are all derived from the two tables below, so adding a training figure is one row here
//! plus its derivation in `facts.rs`.

use crate::vocab::vocabulary;

vocabulary! {
    /// A field that `Missing(..)` can test.
    pub enum Field {
        /// `age`.
        Age,
        /// `sex`.
        Sex,
        /// `days_since_onset`.
        DaysSinceOnset,
        /// `pain_score`.
        PainScore,
        /// `bmi`.
        Bmi,
        /// `mechanism`.
        Mechanism,
        /// The current week of `training.weekly_km`.
        WeeklyKm,
        /// The week-over-week change (needs two weeks; after a week of 0 km it is above every
        /// threshold).
        WeeklyIncreasePct,
        /// The acute:chronic workload ratio (needs two weeks, a mean of at least 0.1 km before).
        Acwr,
        /// `training.shoe_km`.
        ShoeKm,
        /// The longest run against the weeks before (needs two weeks of
        /// `training.longest_run_km`, the longest before at least 0.1 km).
        LongestRunIncreasePct,
    }
}

// Fields are kept as bits of a u16.
const _: () = assert!(Field::ALL.len() <= 16);

impl Field {
    /// This field's bit in masks of fields.
    pub(crate) fn bit(self) -> u16 {
        1 << self.index()
    }

    /// The number this field holds, if it is one.
    pub(crate) fn number(self) -> Option<Num> {
        Num::of_field(self)
    }

    /// The field a mask's lowest bit stands for.
    pub(crate) fn of_bit(mask: u16) -> Option<Field> {
        Field::ALL.get(mask.trailing_zeros() as usize).copied()
    }
}

/// Declares the numbers rules compare, one row each: the field it is, the words an
/// explanation uses for it, and the smallest and largest value a valid assessment can give
/// (with the same range in words, for messages).
macro_rules! numbers {
    ($( $(#[$meta:meta])* $name:ident: $wire:literal, $label:literal, $lo:expr, $hi:expr, $words:literal; )+) => {
        /// The numbers rules compare.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub(crate) enum Num { $( $(#[$meta])* $name ),+ }

        impl Num {
            /// Every number, in declaration order (its index into arrays of numbers).
            pub(crate) const ALL: &'static [Num] = &[ $( Num::$name ),+ ];

            /// How many there are.
            pub(crate) const COUNT: usize = Num::ALL.len();

            /// The field that holds it.
            pub(crate) fn field(self) -> Field {
                match self { $( Num::$name => Field::$name ),+ }
            }

            /// The number a field holds, if it is one.
            fn of_field(field: Field) -> Option<Num> {
                match field {
                    $( Field::$name => Some(Num::$name), )+
                    _ => None,
                }
            }

            /// Its name as a condition writes it (`Age`, `Acwr`).
            pub(crate) fn name(self) -> &'static str {
                self.field().name()
            }

            /// The words an explanation uses for it.
            pub(crate) fn label(self) -> &'static str {
                match self { $( Num::$name => $label ),+ }
            }

            /// Where it comes from, as the wire format names it (`age`, `training.weekly_km`), or
            /// for a derived figure its name in a report's `load`.
            pub(crate) fn wire(self) -> &'static str {
                match self { $( Num::$name => $wire ),+ }
            }

            /// The smallest and largest value a valid assessment can produce, and the same in
            /// words.
            pub(crate) fn domain(self) -> (f64, f64, &'static str) {
                match self { $( Num::$name => ($lo, $hi, $words) ),+ }
            }
        }
    };
}

numbers! {
    Age: "age", "age", 0.0, 120.0, "0 to 120 years";
    DaysSinceOnset: "days_since_onset", "days since onset", 0.0, u32::MAX as f64, "0 or more days";
    PainScore: "pain_score", "pain score", 0.0, 10.0, "0 to 10";
    Bmi: "bmi", "BMI", 5.0, 150.0, "5 to 150";
    WeeklyKm: "training.weekly_km", "km this week", 0.0, 2000.0, "0 to 2000 km";
    // A week can fall to nothing (-100%) but has no upper bound.
    WeeklyIncreasePct: "load.weekly_change_pct", "weekly increase %", -100.0, f64::INFINITY, "-100 (percent) or more";
    Acwr: "load.acwr", "acute:chronic workload ratio", 0.0, f64::INFINITY, "0 or more";
    ShoeKm: "training.shoe_km", "km on shoes", 0.0, 100_000.0, "0 to 100000 km";
    LongestRunIncreasePct: "load.longest_run_change_pct", "longest run increase %", -100.0, f64::INFINITY, "-100 (percent) or more";
}

/// The words an explanation uses for a field.
pub(crate) fn label(field: Field) -> &'static str {
    match (field, field.number()) {
        (_, Some(n)) => n.label(),
        (Field::Sex, None) => "sex",
        (Field::Mechanism, None) => "mechanism",
        (_, None) => field.name(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_number_is_a_field_and_back() {
        for n in Num::ALL {
            assert_eq!(n.field().number(), Some(*n));
            assert_eq!(Field::of_bit(n.field().bit()), Some(n.field()));
            let (lo, hi, words) = n.domain();
            assert!(lo < hi && !words.is_empty(), "{n:?}");
        }
        let others: Vec<Field> = Field::ALL
            .iter()
            .copied()
            .filter(|f| f.number().is_none())
            .collect();
        assert_eq!(others, [Field::Sex, Field::Mechanism]);
    }
}

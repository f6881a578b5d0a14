//! The facts behind a firing, in words: written once at compile time where they do not depend
//! on the runner, with the runner's own number where they do.

use super::node::Atom;
use crate::facts::{Facts, Num};
use crate::model::Assessment;
use crate::text::Text;
use crate::vocab::{History, Location, Onset, Symptom};

/// How a fact behind a firing reads: fixed words, or the runner's number with fixed words
/// after it (" (at least 55)").
#[derive(Debug, Clone)]
pub(crate) enum Words {
    Fixed(Text),
    Number(Num, Text),
}

/// The name of the first value of a vocabulary set in `mask`.
fn named<T: Copy>(
    all: &[T],
    mask: u64,
    name: fn(T) -> &'static str,
    idx: fn(T) -> usize,
) -> &'static str {
    all.iter()
        .find(|x| mask & (1 << idx(**x)) != 0)
        .map_or("?", |x| name(*x))
}

/// A leaf as data an app can render: the field as the wire format names it, and its value
/// when that is fixed (a number's is the runner's, read at report time).
pub(crate) fn field_and_value(atom: Atom) -> (Text, Option<Text>) {
    let fixed = |field: &str, value: &str| (Text::from(field), Some(Text::from(value)));
    match atom {
        Atom::Symptom(m) => fixed(
            "present",
            named(Symptom::ALL, m, Symptom::name, Symptom::index),
        ),
        Atom::Location(m) => fixed(
            "locations",
            named(Location::ALL, u64::from(m), Location::name, Location::index),
        ),
        Atom::History(m) => fixed(
            "history",
            named(History::ALL, u64::from(m), History::name, History::index),
        ),
        Atom::Onset(o) => fixed("onset", o.name()),
        Atom::Mechanism(m) => fixed("mechanism", m.name()),
        Atom::Sex(s) => fixed("sex", s.name()),
        Atom::Number(n, _) => (Text::from(n.wire()), None),
        Atom::Downhill => fixed("training.downhill", "true"),
        Atom::IntensityIncreased => fixed("training.intensity_increased", "true"),
        Atom::NewToRunning => fixed("training.new_to_running", "true"),
        Atom::Surface(s) => fixed("training.surface", s.name()),
        Atom::Missing(field) => {
            let wire = field.number().map_or_else(
                || match field {
                    crate::fields::Field::Sex => "sex",
                    _ => "mechanism",
                },
                Num::wire,
            );
            fixed(wire, "not given")
        }
    }
}

/// A leaf's words, written once at compile time as far as they do not depend on the runner.
/// `nothing` is the facts of an empty assessment: no atom but a number reads them.
pub(crate) fn words(atom: Atom, nothing: &Facts) -> Words {
    match atom {
        Atom::Number(n, cmp) => Words::Number(n, Text::from(format!(" ({cmp})"))),
        _ => Words::Fixed(Text::from(describe(atom, nothing))),
    }
}

/// The facts of an empty assessment, for [`words`].
pub(crate) fn nothing() -> Facts {
    Facts::from_assessment(&Assessment::new(Onset::Chronic))
}

/// A true leaf in words, with the runner's number where there is one.
pub(crate) fn describe(atom: Atom, f: &Facts) -> String {
    match atom {
        Atom::Symptom(m) => named(Symptom::ALL, m, Symptom::name, Symptom::index).to_owned(),
        Atom::Location(m) => format!(
            "location {}",
            named(Location::ALL, u64::from(m), Location::name, Location::index)
        ),
        Atom::History(m) => format!(
            "history {}",
            named(History::ALL, u64::from(m), History::name, History::index)
        ),
        Atom::Onset(o) => format!("onset {o}"),
        Atom::Mechanism(m) => format!("mechanism {m}"),
        Atom::Sex(s) => format!("sex {s}"),
        Atom::Number(n, cmp) => match f.number(n) {
            Some(x) if x.is_infinite() => format!("{} unbounded, from 0 km ({cmp})", n.label()),
            Some(x) => format!("{} {} ({cmp})", n.label(), round(x)),
            None => n.label().to_owned(),
        },
        Atom::Downhill => "downhill running".to_owned(),
        Atom::IntensityIncreased => "intensity increased".to_owned(),
        Atom::NewToRunning => "new to running".to_owned(),
        Atom::Surface(s) => format!("surface {s}"),
        Atom::Missing(field) => format!("{} not given", crate::fields::label(field)),
    }
}

/// A number to two decimals at most, written where it is formatted.
pub(crate) fn round(x: f64) -> impl std::fmt::Display {
    crate::text::rounded(x)
}

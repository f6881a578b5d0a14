//! Conditions as evaluation runs them: leaf tests ([`Atom`]) over the bit masks and numbers of
//! [`Facts`], fused mask tests, and patterns read from slots computed once per evaluation; the
//! three-valued interpreter over them.

use super::tri::Tri;
use crate::facts::{Facts, Field, Num};
use crate::rules::Cmp;
use crate::vocab::{Mechanism, Onset, Sex, Surface};

/// A leaf test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Atom {
    Symptom(u64),
    Location(u16),
    History(u16),
    Onset(Onset),
    Mechanism(Mechanism),
    Sex(Sex),
    Number(Num, Cmp),
    Downhill,
    IntensityIncreased,
    NewToRunning,
    Surface(Surface),
    Missing(Field),
}

/// Kleene "and" over the symptoms of a mask: true when all are present, false when one is
/// absent, unknown otherwise.
pub(crate) fn all_symptoms(f: &Facts, m: u64) -> Tri {
    if f.present & m == m {
        Tri::True
    } else if f.absent & m != 0 {
        Tri::False
    } else {
        Tri::Unknown
    }
}

/// Kleene "or" over the places of a mask: true when one is named, unknown while the list of
/// places is unknown or open, false otherwise.
pub(crate) fn any_location(f: &Facts, m: u16) -> Tri {
    if f.locations & m != 0 {
        Tri::True
    } else if f.locations_unknown() {
        Tri::Unknown
    } else {
        Tri::False
    }
}

/// Kleene "or" over the symptoms of a mask.
pub(crate) fn any_symptoms(f: &Facts, m: u64) -> Tri {
    if f.present & m != 0 {
        Tri::True
    } else if f.absent & m == m {
        Tri::False
    } else {
        Tri::Unknown
    }
}

/// Kleene "and" over the places of a mask (unknown while the list is unknown or open).
pub(crate) fn all_locations(f: &Facts, m: u16) -> Tri {
    if f.locations & m == m {
        Tri::True
    } else if f.locations_unknown() {
        Tri::Unknown
    } else {
        Tri::False
    }
}

/// A context test on the context `b`: true in the contexts of `yes`, unknown in those of
/// `unknown`.
pub(crate) fn in_context(b: u32, yes: u32, unknown: u32) -> Tri {
    if yes & b != 0 {
        Tri::True
    } else if unknown & b != 0 {
        Tri::Unknown
    } else {
        Tri::False
    }
}

// Surfaces are kept as bits of a u16 in `AnySurface`.
const _: () = assert!(Surface::ALL.len() <= 16);

/// Kleene "or" over the history entries of a mask (unknown while history is open).
pub(crate) fn any_history(f: &Facts, m: u16) -> Tri {
    if f.history & m != 0 {
        Tri::True
    } else if f.history_open {
        Tri::Unknown
    } else {
        Tri::False
    }
}

/// Whether the surface is one of a mask's (unknown when not given).
pub(crate) fn any_surface(f: &Facts, m: u16) -> Tri {
    Tri::from_option(f.surface.map(|s| m & (1 << s.index()) != 0))
}

/// `Any([Number(n, cmp), Missing(n)])` in one test.
pub(crate) fn number_or_missing(f: &Facts, n: Num, cmp: Cmp) -> Tri {
    match f.number(n) {
        Some(x) if cmp.test(x) => Tri::True,
        // While the field can still be asked, `Missing` reads unknown.
        _ if f.askable & n.field().bit() != 0 => Tri::Unknown,
        Some(_) => Tri::False,
        None => Tri::True,
    }
}

impl Atom {
    pub(crate) fn eval(self, f: &Facts) -> Tri {
        match self {
            // One symptom is "all of" a one-bit mask.
            Atom::Symptom(bit) => all_symptoms(f, bit),
            // One location is "any of" a one-bit mask.
            Atom::Location(bit) => any_location(f, bit),
            Atom::History(bit) => any_history(f, bit),
            Atom::Onset(o) => Tri::known(f.onset == o),
            Atom::Mechanism(m) => Tri::from_option(f.mechanism.map(|x| x == m)),
            Atom::Sex(s) => Tri::from_option(f.sex.map(|x| x == s)),
            Atom::Number(n, cmp) => Tri::from_option(f.number(n).map(|x| cmp.test(x))),
            Atom::Downhill => Tri::from_option(f.downhill),
            Atom::IntensityIncreased => Tri::from_option(f.intensity_increased),
            Atom::NewToRunning => Tri::from_option(f.new_to_running),
            Atom::Surface(s) => Tri::from_option(f.surface.map(|x| x == s)),
            Atom::Missing(field) if f.askable & crate::facts::Field::bit(field) != 0 => {
                Tri::Unknown
            }
            Atom::Missing(field) => Tri::known(f.is_missing(field)),
        }
    }
}

/// A condition with leaves lowered. A pattern is not expanded: `Pattern(i)` reads the value
/// the pattern had, computed once per evaluation, so the size of the compiled form is the
/// size of the file however often patterns are reused.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Atom(Atom),
    /// Every symptom of the mask present: `All` over `Has` atoms, fused into one test.
    AllSymptoms(u64),
    /// One symptom of the mask present: `Any` over `Has` atoms.
    AnySymptoms(u64),
    /// Every location of the mask given (unknown when no location is).
    AllLocations(u16),
    /// One location of the mask given (unknown when no location is).
    AnyLocation(u16),
    Pattern(usize),
    /// A part of a condition that depends on the context (onset and mechanism) alone, decided
    /// when the set compiles (see `context.rs`): true in the contexts of the first mask,
    /// unknown in those of the second (a mechanism test when none is given), false elsewhere.
    /// Only the compiled programs hold it, never a rule's `when`.
    Context(u32, u32),
    /// `Any([Number(n, cmp), Missing(n)])` fused when the set compiles: the number passes the
    /// comparison, or is not given (the reading the rules chose for a missing figure). Only
    /// the compiled programs hold it.
    NumberOrMissing(Num, Cmp),
    /// One history entry of the mask listed: `Any` over `History` atoms, fused.
    AnyHistory(u16),
    /// The surface one of the mask (by `Surface::index`): `Any` over `Surface` atoms, fused.
    AnySurface(u16),
    All(Vec<Node>),
    Any(Vec<Node>),
    Not(Box<Node>),
    AtLeast(u32, Vec<Node>),
}

/// Where a node finds the values of the patterns it uses.
pub(crate) trait Patterns {
    /// The value of pattern `i` on the facts.
    fn value(&mut self, f: &Facts, i: usize) -> Tri;
}

/// Values computed beforehand, in dependency order.
impl Patterns for &[Tri] {
    fn value(&mut self, _: &Facts, i: usize) -> Tri {
        self.get(i).copied().unwrap_or(Tri::Unknown)
    }
}

/// Patterns computed on first use and remembered: a pattern no surviving rule reads costs
/// nothing, and one that many rules read is computed once.
pub(crate) struct Lazy<'a> {
    pub nodes: &'a [Node],
    /// One per pattern, `None` until computed.
    pub values: &'a mut [Option<Tri>],
}

impl Patterns for Lazy<'_> {
    fn value(&mut self, f: &Facts, i: usize) -> Tri {
        if let Some(&Some(v)) = self.values.get(i) {
            return v;
        }
        // Patterns only use patterns before them (validated), so this terminates.
        let nodes = self.nodes;
        let Some(node) = nodes.get(i) else {
            return Tri::Unknown;
        };
        let v = node.eval(f, self);
        if let Some(slot) = self.values.get_mut(i) {
            *slot = Some(v);
        }
        v
    }
}

impl Node {
    /// Kleene evaluation; `patterns` gives the values of the patterns the node uses.
    pub(crate) fn eval(&self, f: &Facts, patterns: &mut impl Patterns) -> Tri {
        match self {
            Node::Atom(a) => a.eval(f),
            Node::AllSymptoms(m) => all_symptoms(f, *m),
            Node::AnySymptoms(m) => any_symptoms(f, *m),
            Node::AllLocations(m) => all_locations(f, *m),
            Node::AnyLocation(m) => any_location(f, *m),
            Node::Pattern(i) => patterns.value(f, *i),
            Node::Context(yes, unknown) => in_context(f.context(), *yes, *unknown),
            Node::NumberOrMissing(n, cmp) => number_or_missing(f, *n, *cmp),
            Node::AnyHistory(m) => any_history(f, *m),
            Node::AnySurface(m) => any_surface(f, *m),
            Node::All(list) => {
                let mut acc = Tri::True;
                for n in list {
                    acc = acc.min(n.eval(f, patterns));
                    if acc == Tri::False {
                        break;
                    }
                }
                acc
            }
            Node::Any(list) => {
                let mut acc = Tri::False;
                for n in list {
                    acc = acc.max(n.eval(f, patterns));
                    if acc == Tri::True {
                        break;
                    }
                }
                acc
            }
            Node::Not(inner) => inner.eval(f, patterns).not(),
            Node::AtLeast(k, list) => {
                let (mut yes, mut maybe) = (0u32, 0u32);
                for n in list {
                    match n.eval(f, patterns) {
                        Tri::True => yes += 1,
                        Tri::Unknown => maybe += 1,
                        _ => {}
                    }
                }
                if yes >= *k {
                    Tri::True
                } else if yes + maybe >= *k {
                    Tri::Unknown
                } else {
                    Tri::False
                }
            }
        }
    }

    /// The leaves not under a `Not`, patterns' included: the facts a firing rule can be said
    /// to rest on.
    pub(crate) fn positive_atoms(&self, patterns: &[Vec<Atom>], out: &mut Vec<Atom>) {
        let mut add = |a: &Atom| {
            if !out.contains(a) {
                out.push(*a);
            }
        };
        let bits = |m: u64| {
            (0..64)
                .filter(move |b| m & (1 << b) != 0)
                .map(|b| 1u64 << b)
        };
        match self {
            Node::Atom(a) => add(a),
            Node::AllSymptoms(m) | Node::AnySymptoms(m) => {
                bits(*m).for_each(|b| add(&Atom::Symptom(b)));
            }
            Node::AllLocations(m) | Node::AnyLocation(m) => {
                bits(u64::from(*m)).for_each(|b| add(&Atom::Location(b as u16)));
            }
            Node::Pattern(i) => patterns.get(*i).into_iter().flatten().for_each(add),
            Node::All(list) | Node::Any(list) | Node::AtLeast(_, list) => {
                for n in list {
                    n.positive_atoms(patterns, out);
                }
            }
            Node::Not(_)
            | Node::Context(..)
            | Node::NumberOrMissing(..)
            | Node::AnyHistory(_)
            | Node::AnySurface(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Assessment;
    use crate::vocab::Symptom;

    fn facts(present: &[Symptom], absent: &[Symptom]) -> Facts {
        let mut a = Assessment::new(Onset::Chronic);
        a.present = present.to_vec();
        a.absent = absent.to_vec();
        Facts::from_assessment(&a)
    }

    fn has(s: Symptom) -> Node {
        Node::Atom(Atom::Symptom(1 << s.index()))
    }

    #[test]
    fn kleene_logic_over_unknowns() {
        use Symptom::{Fever, Swelling};
        let f = facts(&[Fever], &[Swelling]);
        let unknown = has(Symptom::Locking);
        assert_eq!(has(Fever).eval(&f, &mut [].as_slice()), Tri::True);
        assert_eq!(has(Swelling).eval(&f, &mut [].as_slice()), Tri::False);
        assert_eq!(unknown.eval(&f, &mut [].as_slice()), Tri::Unknown);
        assert_eq!(
            Node::Not(Box::new(unknown.clone())).eval(&f, &mut [].as_slice()),
            Tri::Unknown
        );
        assert_eq!(
            Node::All(vec![has(Fever), unknown.clone()]).eval(&f, &mut [].as_slice()),
            Tri::Unknown
        );
        assert_eq!(
            Node::All(vec![has(Swelling), unknown.clone()]).eval(&f, &mut [].as_slice()),
            Tri::False
        );
        assert_eq!(
            Node::Any(vec![has(Fever), unknown.clone()]).eval(&f, &mut [].as_slice()),
            Tri::True
        );
        assert_eq!(
            Node::Any(vec![has(Swelling), unknown.clone()]).eval(&f, &mut [].as_slice()),
            Tri::Unknown
        );
        let two = |l| Node::AtLeast(2, l);
        assert_eq!(
            two(vec![has(Fever), unknown.clone()]).eval(&f, &mut [].as_slice()),
            Tri::Unknown
        );
        assert_eq!(
            two(vec![has(Fever), has(Swelling)]).eval(&f, &mut [].as_slice()),
            Tri::False
        );
        assert_eq!(
            two(vec![has(Fever), has(Fever)]).eval(&f, &mut [].as_slice()),
            Tri::True
        );
    }

    #[test]
    fn locations_are_unknown_only_when_none_are_given() {
        use crate::vocab::Location;
        let atom = Atom::Location(1 << Location::OuterKnee.index());
        let mut a = Assessment::new(Onset::Chronic);
        assert_eq!(atom.eval(&Facts::from_assessment(&a)), Tri::Unknown);
        a.locations.push(Location::AroundKneecap);
        assert_eq!(atom.eval(&Facts::from_assessment(&a)), Tri::False);
        a.locations.push(Location::OuterKnee);
        assert_eq!(atom.eval(&Facts::from_assessment(&a)), Tri::True);
    }
}

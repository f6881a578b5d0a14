//! The rule index: what each rule's condition requires ([`Needs`]), bit sets over the rules
//! keyed by those requirements ([`RuleIndex`]), and the part of a condition the needs leave to
//! test (`residual`). Evaluation visits only the rules whose needs the facts can meet.

use super::node::{Atom, Node};
use crate::facts::Facts;
use crate::vocab::{Mechanism, Onset};

/// What a condition requires to be true, for skipping rules without walking their trees.
/// Each part is a necessary condition only: a rule that passes may still be false.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Needs {
    /// Symptoms that must all be present.
    pub present: u64,
    /// Symptoms of which at least one must be present (0: no such set).
    pub some_present: u64,
    /// Locations that must all be given.
    pub locations: u16,
    /// Locations of which at least one must be given (0: no such set).
    pub some_location: u16,
    /// History entries that must all be listed.
    pub history: u16,
    /// The onset required, if any.
    pub onset: Option<Onset>,
    /// The mechanism required, if any.
    pub mechanism: Option<Mechanism>,
}

impl Needs {
    /// Whether facts can satisfy these needs; false means the condition cannot be true.
    #[inline]
    pub(crate) fn met_by(&self, f: &Facts) -> bool {
        self.present & !f.present == 0
            && (self.some_present == 0 || self.some_present & f.present != 0)
            && self.locations & !f.locations == 0
            && (self.some_location == 0 || self.some_location & f.locations != 0)
            && self.history & !f.history == 0
            && self.onset.is_none_or(|o| o == f.onset)
            && self.mechanism.is_none_or(|m| f.mechanism == Some(m))
    }

    /// Both hold: every requirement of each.
    fn and(self, o: Needs) -> Needs {
        Needs {
            present: self.present | o.present,
            some_present: smaller(self.some_present_or_all(), o.some_present_or_all()),
            locations: self.locations | o.locations,
            some_location: smaller16(self.some_location_or_all(), o.some_location_or_all()),
            history: self.history | o.history,
            onset: self.onset.or(o.onset),
            mechanism: self.mechanism.or(o.mechanism),
        }
    }

    /// One of them holds: only what both require.
    fn or(self, o: Needs) -> Needs {
        let union = |a: u64, b: u64| if a == 0 || b == 0 { 0 } else { a | b };
        Needs {
            present: self.present & o.present,
            some_present: union(self.some_present_or_all(), o.some_present_or_all()),
            locations: self.locations & o.locations,
            some_location: union(
                u64::from(self.some_location_or_all()),
                u64::from(o.some_location_or_all()),
            ) as u16,
            history: self.history & o.history,
            onset: if self.onset == o.onset {
                self.onset
            } else {
                None
            },
            mechanism: if self.mechanism == o.mechanism {
                self.mechanism
            } else {
                None
            },
        }
    }

    /// A set of which one symptom must be present: the explicit one, or any required symptom.
    fn some_present_or_all(self) -> u64 {
        if self.some_present != 0 {
            self.some_present
        } else {
            self.present & self.present.wrapping_neg() // the lowest required bit, or 0
        }
    }

    fn some_location_or_all(self) -> u16 {
        if self.some_location != 0 {
            self.some_location
        } else {
            self.locations & self.locations.wrapping_neg()
        }
    }
}

/// Bit sets over the rules (in id order) that spare evaluation from visiting rules that
/// cannot fire. Each rule is keyed by one necessary fact: a symptom of those it needs (all of
/// them, for "one of these"), else a location, else its onset, else nothing (always visited).
/// The rules to visit are the union of the sets of the facts present: a few word-wide ORs,
/// already in id order and without repeats.
#[derive(Debug, Clone, Default)]
pub(crate) struct RuleIndex {
    /// Words per set: one bit per rule.
    pub words: usize,
    /// 64 sets, one per symptom bit.
    by_symptom: Vec<u64>,
    /// 16 sets, one per location bit.
    by_location: Vec<u64>,
    /// 3 sets: needing an acute onset, a chronic one, and keyed by nothing.
    by_onset: Vec<u64>,
}

impl RuleIndex {
    pub(crate) fn new(needs: &[Needs]) -> RuleIndex {
        let words = needs.len().div_ceil(64);
        let mut ix = RuleIndex {
            words,
            by_symptom: vec![0; 64 * words],
            by_location: vec![0; 16 * words],
            by_onset: vec![0; 3 * words],
        };
        for (i, n) in needs.iter().enumerate() {
            let (word, bit) = (i / 64, 1u64 << (i % 64));
            let symptoms = n.some_present_or_all();
            let locations = n.some_location_or_all();
            if symptoms != 0 {
                for s in (0..64).filter(|s| symptoms & (1 << s) != 0) {
                    ix.by_symptom[s * words + word] |= bit;
                }
            } else if locations != 0 {
                for l in (0..16).filter(|l| locations & (1 << l) != 0) {
                    ix.by_location[l * words + word] |= bit;
                }
            } else {
                let slot = match n.onset {
                    Some(Onset::Acute) => 0,
                    Some(Onset::Chronic) => 1,
                    _ => 2,
                };
                ix.by_onset[slot * words + word] |= bit;
            }
        }
        ix
    }

    /// Sets `out` (of [`RuleIndex::words`] words) to the rules worth visiting for `f`.
    pub(crate) fn candidates(&self, f: &Facts, out: &mut [u64]) {
        let w = self.words;
        let onset = if f.onset == Onset::Acute { 0 } else { 1 };
        let mut or = |sets: &[u64], k: usize| {
            if let Some(set) = sets.get(k * w..(k + 1) * w) {
                for (o, s) in out.iter_mut().zip(set) {
                    *o |= s;
                }
            }
        };
        or(&self.by_onset, 2);
        or(&self.by_onset, onset);
        let mut present = f.present;
        while present != 0 {
            or(&self.by_symptom, present.trailing_zeros() as usize);
            present &= present - 1;
        }
        let mut locations = f.locations;
        while locations != 0 {
            or(&self.by_location, locations.trailing_zeros() as usize);
            locations &= locations - 1;
        }
    }
}

/// The tighter of two "at least one of" sets (fewer members); 0 means none.
fn smaller(a: u64, b: u64) -> u64 {
    match (a, b) {
        (0, x) | (x, 0) => x,
        _ if a.count_ones() <= b.count_ones() => a,
        _ => b,
    }
}

fn smaller16(a: u16, b: u16) -> u16 {
    smaller(u64::from(a), u64::from(b)) as u16
}

impl Node {
    /// What must hold for this node to be true. `All` needs what every part needs; `Any`
    /// only what all of its parts need; `Not` is not looked into.
    pub(crate) fn needs(&self, patterns: &[Needs]) -> Needs {
        let all = |list: &[Node]| {
            list.iter()
                .fold(Needs::default(), |acc, n| acc.and(n.needs(patterns)))
        };
        let any = |list: &[Node]| {
            let mut parts = list.iter().map(|n| n.needs(patterns));
            let first = parts.next().unwrap_or_default();
            parts.fold(first, Needs::or)
        };
        match self {
            Node::Atom(Atom::Symptom(bit)) => Needs {
                present: *bit,
                ..Needs::default()
            },
            Node::Atom(Atom::Location(bit)) => Needs {
                locations: *bit,
                ..Needs::default()
            },
            Node::Atom(Atom::History(bit)) => Needs {
                history: *bit,
                ..Needs::default()
            },
            Node::Atom(Atom::Onset(o)) => Needs {
                onset: Some(*o),
                ..Needs::default()
            },
            Node::Atom(Atom::Mechanism(m)) => Needs {
                mechanism: Some(*m),
                ..Needs::default()
            },
            Node::AllSymptoms(m) => Needs {
                present: *m,
                ..Needs::default()
            },
            Node::AnySymptoms(m) => Needs {
                some_present: *m,
                ..Needs::default()
            },
            Node::AllLocations(m) => Needs {
                locations: *m,
                ..Needs::default()
            },
            Node::AnyLocation(m) => Needs {
                some_location: *m,
                ..Needs::default()
            },
            Node::Atom(_) | Node::Not(_) => Needs::default(),
            Node::Pattern(i) => patterns.get(*i).copied().unwrap_or_default(),
            Node::All(list) => all(list),
            Node::AtLeast(k, list) if *k as usize == list.len() => all(list),
            // At least one part is true: what every part needs.
            Node::Any(list) => any(list),
            Node::AtLeast(k, list) if *k >= 1 => any(list),
            Node::AtLeast(..) => Needs::default(),
        }
    }
}

/// The part of a rule's condition that its [`Needs`] do not already decide. A symptom,
/// location or history test that the condition requires outright (alone, or directly under its
/// top `All`) is part of the needs, so it is true whenever they are met and is dropped. An
/// onset or mechanism test is dropped only when the needs require that very value: needs keep
/// one onset, and a condition asking for two (possible when one hides in an `Any`) must keep
/// its tests and stay false.
pub(crate) fn residual(when: Node, needs: &Needs) -> Option<Node> {
    let decided = |n: &Node| match n {
        Node::AllSymptoms(_)
        | Node::AllLocations(_)
        | Node::Atom(Atom::Symptom(_) | Atom::Location(_) | Atom::History(_)) => true,
        Node::Atom(Atom::Onset(o)) => needs.onset == Some(*o),
        Node::Atom(Atom::Mechanism(m)) => needs.mechanism == Some(*m),
        _ => false,
    };
    match when {
        Node::All(parts) => {
            let mut rest: Vec<Node> = parts.into_iter().filter(|n| !decided(n)).collect();
            match rest.len() {
                0 => None,
                1 => rest.pop(),
                _ => Some(Node::All(rest)),
            }
        }
        n if decided(&n) => None,
        n => Some(n),
    }
}

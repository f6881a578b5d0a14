//! The rule index: what each rule's condition requires ([`Needs`]), bit sets over the rules
//! keyed by those requirements ([`RuleIndex`]). Evaluation visits only the rules whose needs
//! the facts can meet.

use super::context;
use super::node::{Atom, Node};
use crate::facts::Facts;

/// What a condition requires to be true, for skipping rules without walking their trees.
/// Each part is a necessary condition only: a rule that passes may still be false.
#[derive(Debug, Clone, Copy, PartialEq)]
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
    /// Numbers that must be known (by `Facts::known` bit): a comparison with an unknown one
    /// is never true.
    pub numbers: u32,
    /// The contexts (onset and mechanism, see `context.rs`) in which it can be true.
    pub contexts: u32,
}

impl Default for Needs {
    /// No requirement at all.
    fn default() -> Needs {
        Needs {
            present: 0,
            some_present: 0,
            locations: 0,
            some_location: 0,
            history: 0,
            numbers: 0,
            contexts: context::ALL,
        }
    }
}

impl Needs {
    /// Whether facts can satisfy these needs; false means the condition cannot be true.
    #[inline]
    pub(crate) fn met_by(&self, f: &Facts, context: u32) -> bool {
        self.contexts & context != 0
            // Everything required outright, in one test: no required bit may be missing.
            && (self.present & !f.present)
                | u64::from(self.locations & !f.locations)
                | u64::from(self.history & !f.history)
                | u64::from(self.numbers & !f.known)
                == 0
            // "One of these" sets hold when there are none (0) or one member is there.
            && (self.some_present == 0 || self.some_present & f.present != 0)
            && (self.some_location == 0 || self.some_location & f.locations != 0)
    }

    /// Both hold: every requirement of each.
    fn and(self, o: Needs) -> Needs {
        Needs {
            present: self.present | o.present,
            some_present: smaller(self.some_present_or_all(), o.some_present_or_all()),
            locations: self.locations | o.locations,
            some_location: smaller16(self.some_location_or_all(), o.some_location_or_all()),
            history: self.history | o.history,
            numbers: self.numbers | o.numbers,
            contexts: self.contexts & o.contexts,
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
            numbers: self.numbers & o.numbers,
            contexts: self.contexts | o.contexts,
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
/// them, for "one of these"), else a location, else a history entry, else (for a rule that can
/// be true in any context) a number it compares, which must be known, else the contexts in
/// which it can be true.
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
    /// 16 sets, one per history bit.
    by_history: Vec<u64>,
    /// One set per number (by `Facts::known` bit).
    by_number: Vec<u64>,
    /// The history entries and numbers that key some rule: only their sets are read.
    keyed_history: u16,
    keyed_numbers: u32,
    /// One set per context (see `context.rs`), for the rules keyed by none of those.
    by_context: Vec<u64>,
}

impl RuleIndex {
    pub(crate) fn new(needs: impl ExactSizeIterator<Item = Needs>) -> RuleIndex {
        let words = needs.len().div_ceil(64);
        let mut ix = RuleIndex {
            words,
            by_symptom: vec![0; 64 * words],
            by_location: vec![0; 16 * words],
            by_history: vec![0; 16 * words],
            by_number: vec![0; 32 * words],
            keyed_history: 0,
            keyed_numbers: 0,
            by_context: vec![0; context::COUNT * words],
        };
        for (i, n) in needs.enumerate() {
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
            } else if n.history != 0 {
                let h = n.history.trailing_zeros() as usize;
                ix.by_history[h * words + word] |= bit;
                ix.keyed_history |= 1 << h;
            } else if n.numbers != 0 && n.contexts == context::ALL {
                // A rule for any context is keyed by a number it needs known; one for some
                // contexts by those, which rule out more.
                let x = n.numbers.trailing_zeros() as usize;
                ix.by_number[x * words + word] |= bit;
                ix.keyed_numbers |= 1 << x;
            } else {
                for c in (0..context::COUNT).filter(|c| n.contexts & (1 << c) != 0) {
                    ix.by_context[c * words + word] |= bit;
                }
            }
        }
        ix
    }

    /// Sets `out` (of [`RuleIndex::words`] words) to the rules worth visiting for `f`.
    pub(crate) fn candidates(&self, f: &Facts, out: &mut [u64]) {
        let w = self.words;
        let mut or = |sets: &[u64], k: usize| {
            if let Some(set) = sets.get(k * w..(k + 1) * w) {
                for (o, s) in out.iter_mut().zip(set) {
                    *o |= s;
                }
            }
        };
        or(&self.by_context, context::index(f.onset, f.mechanism));
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
        let mut history = f.history & self.keyed_history;
        while history != 0 {
            or(&self.by_history, history.trailing_zeros() as usize);
            history &= history - 1;
        }
        let mut known = f.known & self.keyed_numbers;
        while known != 0 {
            or(&self.by_number, known.trailing_zeros() as usize);
            known &= known - 1;
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
    /// only what all of its parts need; `Not` is not looked into. Contexts are left to
    /// [`Contexts::possible`](super::context::Contexts::possible), which decides them exactly.
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
            Node::Atom(Atom::Number(n, _)) => Needs {
                numbers: 1 << *n as u32,
                ..Needs::default()
            },
            Node::Context(yes, _) => Needs {
                contexts: *yes,
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
            Node::Atom(_)
            | Node::Not(_)
            | Node::NumberOrMissing(..)
            | Node::AnyHistory(_)
            | Node::AnySurface(_) => Needs::default(),
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

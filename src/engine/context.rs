//! The context of an assessment: its onset and its mechanism (or none given). There are few
//! enough of them (18) that every part of a condition depending on nothing else ("an injury",
//! "an overuse story") can be decided for each one when the set compiles. Such a part then
//! costs one mask test, and a rule that needs it is left out by the index in every context
//! where it is false.
//!
//! Kleene logic makes this sound: a condition evaluated on facts that know only the context,
//! everything else unknown, is true (or false) only if it is true (or false) whatever the other
//! facts are.

use super::node::Node;
use super::tri::Tri;
use crate::facts::{Facts, Field};
use crate::model::Assessment;
use crate::vocab::{Mechanism, Onset};

pub(crate) use crate::facts::CONTEXTS as COUNT;
pub(crate) use crate::facts::context_index as index;

/// Every context.
pub(crate) const ALL: u32 = if COUNT == 32 {
    u32::MAX
} else {
    (1 << COUNT) - 1
};

/// Whether a node reads the context and nothing else, so that its value in each context is
/// its value on every assessment with that context. `patterns` says it of each pattern.
pub(crate) fn only_context(node: &Node, patterns: &[bool]) -> bool {
    use super::node::Atom;
    match node {
        Node::Atom(Atom::Onset(_) | Atom::Mechanism(_) | Atom::Missing(Field::Mechanism))
        | Node::Context(..) => true,
        Node::Pattern(i) => patterns.get(*i).copied().unwrap_or(false),
        Node::All(l) | Node::Any(l) | Node::AtLeast(_, l) => {
            l.iter().all(|n| only_context(n, patterns))
        }
        Node::Not(n) => only_context(n, patterns),
        _ => false,
    }
}

/// Facts that know the context and nothing else: every other test on them is unknown.
fn only(onset: Onset, mechanism: Option<Mechanism>) -> Facts {
    let mut a = Assessment::new(onset);
    a.mechanism = mechanism;
    let mut f = Facts::from_assessment(&a);
    f.locations_open = true;
    f.history_open = true;
    f.askable = Field::ALL
        .iter()
        .filter(|&&x| x != Field::Mechanism)
        .fold(0, |m, x| m | x.bit());
    f
}

/// Every context's facts, and every pattern's value in each, for deciding conditions.
pub(crate) struct Contexts {
    facts: Vec<Facts>,
    /// Per context, the value of each pattern.
    patterns: Vec<Vec<Tri>>,
    /// Per pattern, whether it reads the context alone.
    pub only: Vec<bool>,
    /// Per pattern, the contexts where it can be true, and where it can be false.
    can: Vec<(u32, u32)>,
}

impl Contexts {
    /// Decides `patterns` (in dependency order) in every context.
    pub(crate) fn new(patterns: &[Node]) -> Contexts {
        let mut facts = Vec::with_capacity(COUNT);
        for &onset in Onset::ALL {
            facts.push(only(onset, None));
            for &m in Mechanism::ALL {
                facts.push(only(onset, Some(m)));
            }
        }
        let values = facts
            .iter()
            .map(|f| {
                let mut values: Vec<Tri> = Vec::with_capacity(patterns.len());
                for p in patterns {
                    let v = p.eval(f, &mut values.as_slice());
                    values.push(v);
                }
                values
            })
            .collect();
        let mut only = Vec::with_capacity(patterns.len());
        for p in patterns {
            let o = only_context(p, &only);
            only.push(o);
        }
        let mut cx = Contexts {
            facts,
            patterns: values,
            only,
            can: Vec::with_capacity(patterns.len()),
        };
        for p in patterns {
            let can = cx.can(p);
            cx.can.push(can);
        }
        cx
    }

    /// The contexts where the node can be true, and those where it can be false, whatever the
    /// other facts: exact for a part that reads the context alone, and for the rest what
    /// Kleene logic allows given its parts.
    fn can(&self, node: &Node) -> (u32, u32) {
        if only_context(node, &self.only) {
            let (yes, unknown) = self.decide(node, ALL);
            return (yes, ALL & !yes & !unknown);
        }
        match node {
            Node::All(list) => list.iter().fold((ALL, 0), |(t, f), n| {
                let (nt, nf) = self.can(n);
                (t & nt, f | nf)
            }),
            Node::Any(list) => list.iter().fold((0, ALL), |(t, f), n| {
                let (nt, nf) = self.can(n);
                (t | nt, f & nf)
            }),
            Node::Not(inner) => {
                let (t, f) = self.can(inner);
                (f, t)
            }
            Node::AtLeast(k, list) => {
                let parts: Vec<(u32, u32)> = list.iter().map(|n| self.can(n)).collect();
                let (mut t, mut f) = (0, 0);
                for c in 0..COUNT {
                    let b = 1 << c;
                    let may_true = parts.iter().filter(|p| p.0 & b != 0).count();
                    let may_false = parts.iter().filter(|p| p.1 & b != 0).count();
                    if may_true >= *k as usize {
                        t |= b;
                    }
                    // False when fewer than k are true: more than len - k false.
                    if may_false + (*k as usize) > list.len() {
                        f |= b;
                    }
                }
                (t, f)
            }
            Node::Pattern(i) => self.can.get(*i).copied().unwrap_or((ALL, ALL)),
            _ => (ALL, ALL),
        }
    }

    /// The value in each context of `within` of a node that reads the context alone: the
    /// contexts where it is true, and those where it is unknown.
    pub(crate) fn decide(&self, node: &Node, within: u32) -> (u32, u32) {
        let (mut yes, mut maybe) = (0, 0);
        for (c, (f, p)) in self.facts.iter().zip(&self.patterns).enumerate() {
            if within & (1 << c) == 0 {
                continue;
            }
            match node.eval(f, &mut p.as_slice()) {
                Tri::True => yes |= 1 << c,
                Tri::Unknown => maybe |= 1 << c,
                Tri::False => {}
            }
        }
        (yes, maybe)
    }

    /// The contexts in which the node can be true: a necessary condition.
    pub(crate) fn possible(&self, node: &Node) -> u32 {
        self.can(node).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::node::Atom;

    #[test]
    fn contexts_are_distinct_and_cover_every_onset_and_mechanism() {
        let mut seen = 0u32;
        for &o in Onset::ALL {
            for m in std::iter::once(None).chain(Mechanism::ALL.iter().copied().map(Some)) {
                let b = 1u32 << index(o, m);
                assert_eq!(seen & b, 0);
                seen |= b;
            }
        }
        assert_eq!(seen, ALL);
    }

    #[test]
    fn a_context_decides_onset_and_mechanism_and_nothing_else() {
        let cx = Contexts::new(&[]);
        let acute = Node::Atom(Atom::Onset(Onset::Acute));
        let (yes, maybe) = cx.decide(&acute, ALL);
        assert_eq!(maybe, 0);
        assert_eq!(yes.count_ones() as usize, COUNT / 2);
        let missing = Node::Atom(Atom::Missing(Field::Mechanism));
        assert_eq!(cx.decide(&missing, ALL).0.count_ones(), 2);
        let age = Node::Atom(Atom::Missing(Field::Age));
        assert_eq!(cx.decide(&age, ALL), (0, ALL));
        let swelling = Node::AnySymptoms(1);
        assert_eq!(cx.decide(&swelling, ALL), (0, ALL));
        let place = Node::AnyLocation(1);
        assert_eq!(cx.decide(&place, ALL), (0, ALL));
        let history = Node::Atom(Atom::History(1));
        assert_eq!(cx.decide(&history, ALL), (0, ALL));
    }
}

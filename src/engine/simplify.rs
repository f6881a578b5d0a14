//! What is left of a condition to test once its rule is a candidate: the parts its [`Needs`]
//! already guarantee are dropped, the parts its context decides become one mask test, small
//! patterns are written in place, and what remains is folded (an `All` with a false part is
//! false, an `Any` of symptom tests is one mask test). Evaluation runs the result only after
//! the needs are met, so it agrees with the whole condition there and nowhere else need.

use super::context::{self, Contexts};
use super::index::Needs;
use super::node::{Atom, Node};

/// Always true, and always false, wherever the result is evaluated.
const TRUE: Node = Node::Context(context::ALL, 0);
const FALSE: Node = Node::Context(0, 0);

/// A pattern whose simplified form has at most this many nodes is written in place: cheaper
/// than looking up its value, and it may fold further with its neighbours.
const INLINE_NODES: usize = 4;

pub(crate) struct Simplifier<'a> {
    pub contexts: &'a Contexts,
    /// The patterns, in dependency order.
    pub patterns: &'a [Node],
}

/// Whether the needs guarantee the test true.
fn implied(n: &Node, needs: &Needs) -> bool {
    let some = |set: u64, m: u64| set != 0 && set & !m == 0;
    match *n {
        Node::AllSymptoms(m) | Node::Atom(Atom::Symptom(m)) => needs.present & m == m,
        Node::AnySymptoms(m) => needs.present & m != 0 || some(needs.some_present, m),
        Node::AllLocations(m) | Node::Atom(Atom::Location(m)) => needs.locations & m == m,
        Node::AnyLocation(m) => {
            needs.locations & m != 0 || some(u64::from(needs.some_location), u64::from(m))
        }
        Node::Atom(Atom::History(m)) => needs.history & m == m,
        Node::AnyHistory(m) => needs.history & m != 0,
        _ => false,
    }
}

/// In the parts of an `Any`, `Number(n, cmp)` and `Missing(n)` become one
/// `NumberOrMissing(n, cmp)`.
fn fuse_number_or_missing(parts: &mut Vec<Node>) {
    let pair = parts.iter().enumerate().find_map(|(i, p)| match p {
        Node::Atom(Atom::Number(n, cmp)) => parts
            .iter()
            .position(|q| *q == Node::Atom(Atom::Missing(n.field())))
            .map(|j| (i, j, *n, *cmp)),
        _ => None,
    });
    if let Some((i, j, n, cmp)) = pair {
        parts[i] = Node::NumberOrMissing(n, cmp);
        parts.remove(j);
    }
}

fn size(n: &Node) -> usize {
    match n {
        Node::All(l) | Node::Any(l) | Node::AtLeast(_, l) => 1 + l.iter().map(size).sum::<usize>(),
        Node::Not(x) => 1 + size(x),
        _ => 1,
    }
}

/// A context test (true in `yes`, unknown in `unknown`) within `within`: true or false when
/// it is so throughout.
fn in_contexts(yes: u32, unknown: u32, within: u32) -> Node {
    let (yes, unknown) = (yes & within, unknown & within & !yes);
    match (yes, unknown) {
        (0, 0) => FALSE,
        (y, 0) if y == within => TRUE,
        (y, u) => Node::Context(y, u),
    }
}

/// The contexts where a context test is false.
fn no(yes: u32, unknown: u32) -> u32 {
    context::ALL & !yes & !unknown
}

/// The patterns simplified so far for one condition: a pattern used many times (or by
/// patterns used many times) is simplified once.
type Memo = Vec<Option<Node>>;

impl Simplifier<'_> {
    /// `node` where `needs` hold and the context is one of `within`.
    pub(crate) fn simplify(&self, node: &Node, needs: &Needs, within: u32) -> Node {
        let mut memo = vec![None; self.patterns.len()];
        self.go(node, needs, within, &mut memo)
    }

    fn go(&self, node: &Node, needs: &Needs, within: u32, memo: &mut Memo) -> Node {
        if implied(node, needs) {
            return TRUE;
        }
        if context::only_context(node, &self.contexts.only) {
            let (yes, unknown) = self.contexts.decide(node, within);
            return in_contexts(yes, unknown, within);
        }
        match node {
            Node::All(list) => self.group(list, needs, within, true, memo),
            Node::Any(list) => self.group(list, needs, within, false, memo),
            Node::Not(inner) => match self.go(inner, needs, within, memo) {
                Node::Context(y, u) => in_contexts(no(y, u), u, within),
                x => Node::Not(Box::new(x)),
            },
            Node::AtLeast(k, list) => {
                let mut k = *k as usize;
                let mut parts = Vec::with_capacity(list.len());
                for n in list {
                    match self.go(n, needs, within, memo) {
                        x if x == TRUE => k = k.saturating_sub(1),
                        x if x == FALSE => {}
                        x => parts.push(x),
                    }
                }
                match k {
                    0 => TRUE,
                    k if k > parts.len() => FALSE,
                    k if k == parts.len() => self.fold(parts, needs, within, true),
                    1 => self.fold(parts, needs, within, false),
                    k => Node::AtLeast(u32::try_from(k).unwrap_or(u32::MAX), parts),
                }
            }
            Node::Pattern(i) => {
                if let Some(Some(done)) = memo.get(*i) {
                    return done.clone();
                }
                let Some(body) = self.patterns.get(*i) else {
                    return node.clone();
                };
                let body = self.go(body, needs, within, memo);
                let done = if size(&body) <= INLINE_NODES {
                    body
                } else {
                    node.clone()
                };
                if let Some(slot) = memo.get_mut(*i) {
                    *slot = Some(done.clone());
                }
                done
            }
            leaf => leaf.clone(),
        }
    }

    /// An `All` (or an `Any`) of the simplified parts.
    fn group(&self, list: &[Node], needs: &Needs, within: u32, all: bool, memo: &mut Memo) -> Node {
        let parts = list
            .iter()
            .map(|n| self.go(n, needs, within, memo))
            .collect();
        self.fold(parts, needs, within, all)
    }

    /// Folds simplified parts into an `All` (or an `Any`): a part that decides it decides
    /// it, a part that cannot is dropped, context tests and (under `Any`) symptom and place
    /// tests are merged into one each.
    fn fold(&self, parts: Vec<Node>, needs: &Needs, within: u32, all: bool) -> Node {
        let (decides, neutral) = if all { (FALSE, TRUE) } else { (TRUE, FALSE) };
        // The context tests together: (true, false) contexts.
        let (mut yes, mut no_) = if all {
            (context::ALL, 0)
        } else {
            (0, context::ALL)
        };
        let (mut symptoms, mut places) = (0u64, 0u16);
        let (mut history, mut surfaces) = (0u16, 0u16);
        let mut kept = Vec::with_capacity(parts.len());
        for p in parts {
            match p {
                p if p == decides => return decides,
                p if p == neutral => {}
                Node::Context(y, u) if all => (yes, no_) = (yes & y, no_ | no(y, u)),
                Node::Context(y, u) => (yes, no_) = (yes | y, no_ & no(y, u)),
                // One symptom (or place) of either list is one of the two lists together.
                Node::AnySymptoms(m) if !all => symptoms |= m,
                Node::AnyLocation(m) if !all => places |= m,
                Node::Atom(Atom::History(m)) | Node::AnyHistory(m) if !all => history |= m,
                Node::Atom(Atom::Surface(x)) if !all => surfaces |= 1 << x.index(),
                Node::AnySurface(m) if !all => surfaces |= m,
                Node::All(inner) if all => kept.extend(inner),
                Node::Any(inner) if !all => kept.extend(inner),
                // The same test twice is one test (a pattern used twice, say).
                p if kept.len() < 16 && kept.contains(&p) => {}
                p => kept.push(p),
            }
        }
        match in_contexts(yes, context::ALL & !yes & !no_, within) {
            c if c == decides => return decides,
            c if c == neutral => {}
            c => kept.push(c),
        }
        for merged in [
            (symptoms != 0).then_some(Node::AnySymptoms(symptoms)),
            (places != 0).then_some(Node::AnyLocation(places)),
            (history != 0).then_some(Node::AnyHistory(history)),
            (surfaces != 0).then_some(Node::AnySurface(surfaces)),
        ]
        .into_iter()
        .flatten()
        {
            if implied(&merged, needs) {
                return TRUE;
            }
            kept.push(merged);
        }
        // A number's test or its absence, as one test.
        if !all {
            fuse_number_or_missing(&mut kept);
        }
        match kept.len() {
            0 => neutral,
            1 => kept.pop().unwrap_or(neutral),
            _ if all => Node::All(kept),
            _ => Node::Any(kept),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::{Mechanism, Onset};

    fn onset(o: Onset) -> Node {
        Node::Atom(Atom::Onset(o))
    }

    #[test]
    fn parts_the_needs_or_the_context_decide_are_dropped() {
        let cx = Contexts::new(&[]);
        let s = Simplifier {
            contexts: &cx,
            patterns: &[],
        };
        let needs = Needs {
            present: 0b10,
            ..Needs::default()
        };
        let chronic = 1 << context::index(Onset::Chronic, None);
        let when = Node::All(vec![
            Node::AllSymptoms(0b10),
            onset(Onset::Chronic),
            Node::AnySymptoms(0b1100),
        ]);
        let only_chronic = cx.possible(&when);
        assert_eq!(only_chronic & chronic, chronic);
        assert_eq!(
            s.simplify(&when, &needs, only_chronic),
            Node::AnySymptoms(0b1100)
        );
        // An Any of symptom tests, one of which the needs require, is true.
        let any = Node::Any(vec![Node::AnySymptoms(0b10), Node::AnySymptoms(0b100)]);
        assert_eq!(s.simplify(&any, &needs, context::ALL), TRUE);
        // Asking for two onsets is false everywhere.
        let both = Node::All(vec![onset(Onset::Acute), onset(Onset::Chronic)]);
        assert_eq!(cx.possible(&both), 0);
        assert_eq!(s.simplify(&both, &Needs::default(), context::ALL), FALSE);
    }

    #[test]
    fn a_test_of_context_and_other_facts_keeps_both_parts() {
        let cx = Contexts::new(&[]);
        let s = Simplifier {
            contexts: &cx,
            patterns: &[],
        };
        let fall = Node::Atom(Atom::Mechanism(Mechanism::Fall));
        let when = Node::Any(vec![
            fall.clone(),
            Node::Atom(Atom::Sex(crate::Sex::Female)),
        ]);
        let x = s.simplify(&when, &Needs::default(), context::ALL);
        let Node::Any(parts) = x else { panic!("{x:?}") };
        assert!(parts.contains(&Node::Atom(Atom::Sex(crate::Sex::Female))));
        // Fall is true in two contexts and unknown in the two without a mechanism.
        let fall = parts.iter().find_map(|p| match p {
            Node::Context(y, u) => Some((y.count_ones(), u.count_ones())),
            _ => None,
        });
        assert_eq!(fall, Some((2, 2)), "{parts:?}");
    }

    #[test]
    fn a_number_or_its_absence_is_one_test_with_the_same_value() {
        use crate::facts::{Facts, Field, Num};
        use crate::rules::Cmp;
        let cx = Contexts::new(&[]);
        let s = Simplifier {
            contexts: &cx,
            patterns: &[],
        };
        let any = Node::Any(vec![
            Node::Atom(Atom::Number(Num::Age, Cmp::Above(16.0))),
            Node::Atom(Atom::Missing(Field::Age)),
        ]);
        let fused = s.simplify(&any, &Needs::default(), context::ALL);
        assert_eq!(fused, Node::NumberOrMissing(Num::Age, Cmp::Above(16.0)));
        for age in [None, Some(10), Some(30)] {
            for askable in [0, Field::Age.bit()] {
                let mut a = crate::model::Assessment::new(Onset::Chronic);
                a.age = age;
                let mut f = Facts::from_assessment(&a);
                f.askable = askable;
                let none: &[crate::engine::tri::Tri] = &[];
                assert_eq!(
                    fused.eval(&f, &mut { none }),
                    any.eval(&f, &mut { none }),
                    "{age:?} {askable}"
                );
            }
        }
    }

    #[test]
    fn history_and_surface_lists_are_one_test_each_with_the_same_value() {
        use crate::facts::Facts;
        use crate::vocab::{History, Surface};
        let cx = Contexts::new(&[]);
        let s = Simplifier {
            contexts: &cx,
            patterns: &[],
        };
        let history = |h: History| Node::Atom(Atom::History(1 << h.index()));
        let surface = |x: Surface| Node::Atom(Atom::Surface(x));
        let any = Node::Any(vec![
            history(History::ALL[0]),
            surface(Surface::ALL[0]),
            history(History::ALL[1]),
            surface(Surface::ALL[1]),
        ]);
        let fused = s.simplify(&any, &Needs::default(), context::ALL);
        let Node::Any(parts) = &fused else {
            panic!("{fused:?}")
        };
        assert_eq!(parts.len(), 2, "{fused:?}");
        for h in [vec![], vec![History::ALL[1]], vec![History::ALL[2]]] {
            for x in [None, Some(Surface::ALL[0]), Some(Surface::ALL[2])] {
                for open in [false, true] {
                    let mut a = crate::model::Assessment::new(Onset::Chronic);
                    a.history = h.clone();
                    a.training.surface = x;
                    let mut f = Facts::from_assessment(&a);
                    f.history_open = open;
                    let none: &[crate::engine::tri::Tri] = &[];
                    assert_eq!(fused.eval(&f, &mut { none }), any.eval(&f, &mut { none }));
                }
            }
        }
    }
}

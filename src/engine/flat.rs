//! Conditions as the hot loop runs them: every simplified condition of a set in one flat array
//! of [`Op`]s, each a slice in prefix order, evaluated by a loop with an explicit stack rather
//! than by recursion. The patterns a condition reads are computed before it, in dependency
//! order, so evaluating one never calls another.

use super::node::{self, Atom, Node};
use super::tri::Tri;
use crate::facts::Facts;

/// One step of a flat condition: a leaf test, or the start of a group whose parts follow it,
/// up to the op at `end` (exclusive, an absolute index).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Op {
    Atom(Atom),
    AllSymptoms(u64),
    AnySymptoms(u64),
    AllLocations(u16),
    AnyLocation(u16),
    Context(u32, u32),
    Pattern(u32),
    All { end: u32 },
    Any { end: u32 },
    Not { end: u32 },
    AtLeast { k: u32, end: u32 },
}

/// A condition in [`Code`]: its ops, and the patterns to compute before it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Program {
    ops: (u32, u32),
    deps: (u32, u32),
    shape: Shape,
}

/// How much machinery a program needs: most are one test, or one group of tests.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
enum Shape {
    /// Nothing to test.
    #[default]
    Empty,
    /// One leaf test.
    Leaf,
    /// One group of tests, each a leaf or a group of leaves.
    Shallow,
    /// Groups within groups: the loop with a stack.
    Nested,
}

impl Program {
    /// Whether there is nothing to test (the condition holds whenever it is reached).
    pub(crate) fn is_empty(self) -> bool {
        self.ops.0 == self.ops.1
    }
}

/// Every flat condition of a set.
#[derive(Debug, Clone, Default)]
pub(crate) struct Code {
    ops: Vec<Op>,
    /// Per program, the patterns it reads, directly or through others, ascending.
    deps: Vec<u32>,
    /// The patterns' own programs, in dependency order.
    patterns: Vec<Program>,
}

/// A group being evaluated.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    op: Op,
    acc: Tri,
    yes: u32,
    maybe: u32,
}

/// What evaluation needs between calls: the patterns' values and the stack, reused.
#[derive(Debug, Clone, Default)]
pub(crate) struct Memory {
    pub patterns: Vec<Option<Tri>>,
    stack: Vec<Frame>,
}

impl Memory {
    /// Forgets the values of the last evaluation.
    pub(crate) fn reset(&mut self, code: &Code) {
        self.patterns.clear();
        self.patterns.resize(code.patterns.len(), None);
    }
}

fn index(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Code {
    /// Adds a pattern's program; patterns must be added in dependency order.
    pub(crate) fn add_pattern(&mut self, node: &Node) {
        let p = self.add(node);
        self.patterns.push(p);
    }

    /// Adds a condition; `None` (nothing to test) is the empty program.
    pub(crate) fn add(&mut self, node: &Node) -> Program {
        let start = self.ops.len();
        self.push(node);
        let mut deps = Vec::new();
        for op in &self.ops[start..] {
            if let Op::Pattern(i) = *op {
                deps.push(i);
                if let Some(p) = self.patterns.get(i as usize) {
                    deps.extend_from_slice(&self.deps[p.deps.0 as usize..p.deps.1 as usize]);
                }
            }
        }
        deps.sort_unstable();
        deps.dedup();
        let d = self.deps.len();
        self.deps.extend(deps);
        let shape = match (self.ops.len() - start, depth(node)) {
            (0, _) => Shape::Empty,
            (1, 0) => Shape::Leaf,
            (_, 1 | 2) => Shape::Shallow,
            _ => Shape::Nested,
        };
        Program {
            ops: (index(start), index(self.ops.len())),
            deps: (index(d), index(self.deps.len())),
            shape,
        }
    }

    fn push(&mut self, node: &Node) {
        let group = |code: &mut Code, list: &[Node], op: fn(u32) -> Op| {
            let at = code.ops.len();
            code.ops.push(op(0));
            for n in list {
                code.push(n);
            }
            let end = index(code.ops.len());
            code.ops[at] = op(end);
        };
        match node {
            Node::Atom(a) => self.ops.push(Op::Atom(*a)),
            Node::AllSymptoms(m) => self.ops.push(Op::AllSymptoms(*m)),
            Node::AnySymptoms(m) => self.ops.push(Op::AnySymptoms(*m)),
            Node::AllLocations(m) => self.ops.push(Op::AllLocations(*m)),
            Node::AnyLocation(m) => self.ops.push(Op::AnyLocation(*m)),
            Node::Context(yes, unknown) => self.ops.push(Op::Context(*yes, *unknown)),
            Node::Pattern(i) => self.ops.push(Op::Pattern(index(*i))),
            Node::All(list) => group(self, list, |end| Op::All { end }),
            Node::Any(list) => group(self, list, |end| Op::Any { end }),
            Node::Not(inner) => group(self, std::slice::from_ref(inner), |end| Op::Not { end }),
            Node::AtLeast(k, list) => {
                let k = *k;
                let at = self.ops.len();
                self.ops.push(Op::AtLeast { k, end: 0 });
                for n in list {
                    self.push(n);
                }
                self.ops[at] = Op::AtLeast {
                    k,
                    end: index(self.ops.len()),
                };
            }
        }
    }

    /// The program's value on `f`, whose context bit is `context`.
    #[inline]
    pub(crate) fn eval(&self, p: Program, f: &Facts, context: u32, mem: &mut Memory) -> Tri {
        if p.deps.0 != p.deps.1 {
            self.patterns_of(p, f, context, mem);
        }
        let Some(ops) = self.ops.get(p.ops.0 as usize..p.ops.1 as usize) else {
            return Tri::Unknown;
        };
        // Most programs are one test, or one group of tests: no stack.
        match (p.shape, ops) {
            (Shape::Empty, _) => Tri::True,
            (Shape::Leaf, [op]) => leaf_value(*op, f, context, &mem.patterns),
            (Shape::Shallow, [head, parts @ ..]) => {
                let parts = Parts::new(parts, p.ops.0 as usize + 1, f, context, &mem.patterns);
                fold(*head, parts)
            }
            _ => self.run(p, f, context, mem),
        }
    }

    /// Computes the patterns a program reads, in dependency order.
    fn patterns_of(&self, p: Program, f: &Facts, context: u32, mem: &mut Memory) {
        // The patterns it reads first: each reads only patterns before it, already computed.
        let deps = self.deps.get(p.deps.0 as usize..p.deps.1 as usize);
        for &d in deps.unwrap_or_default() {
            let d = d as usize;
            if mem.patterns.get(d).is_some_and(Option::is_none)
                && let Some(&pattern) = self.patterns.get(d)
            {
                let v = self.run_pattern(pattern, f, context, mem);
                mem.patterns[d] = Some(v);
            }
        }
    }

    /// A pattern's program, whose own patterns are computed.
    fn run_pattern(&self, p: Program, f: &Facts, context: u32, mem: &mut Memory) -> Tri {
        match (p.shape, self.ops.get(p.ops.0 as usize..p.ops.1 as usize)) {
            (Shape::Leaf, Some([op])) => leaf_value(*op, f, context, &mem.patterns),
            (Shape::Shallow, Some([head, parts @ ..])) => {
                let parts = Parts::new(parts, p.ops.0 as usize + 1, f, context, &mem.patterns);
                fold(*head, parts)
            }
            _ => self.run(p, f, context, mem),
        }
    }

    /// The loop: each op's value is folded into the groups open above it; a group decided
    /// early (a false part of an `All`) skips the rest of its parts.
    fn run(&self, p: Program, f: &Facts, context: u32, mem: &mut Memory) -> Tri {
        let Some(ops) = self.ops.get(..p.ops.1 as usize) else {
            return Tri::Unknown;
        };
        let stack = &mut mem.stack;
        stack.clear();
        let mut i = p.ops.0 as usize;
        while let Some(&op) = ops.get(i) {
            i += 1;
            let mut v = match op {
                Op::All { end } | Op::Any { end } | Op::Not { end } | Op::AtLeast { end, .. } => {
                    // An empty group is its neutral value: true for `All` and `AtLeast(0)`.
                    let acc = match op {
                        Op::All { .. } | Op::AtLeast { k: 0, .. } => Tri::True,
                        _ => Tri::False,
                    };
                    if end as usize > i {
                        stack.push(Frame {
                            op,
                            acc,
                            yes: 0,
                            maybe: 0,
                        });
                        continue;
                    }
                    acc
                }
                leaf => leaf_value(leaf, f, context, &mem.patterns),
            };
            // Fold the value into the open groups, closing those it completes or decides.
            while let Some(top) = stack.last_mut() {
                let (decided, end) = match top.op {
                    Op::All { end } => {
                        top.acc = top.acc.min(v);
                        ((top.acc == Tri::False).then_some(Tri::False), end)
                    }
                    Op::Any { end } => {
                        top.acc = top.acc.max(v);
                        ((top.acc == Tri::True).then_some(Tri::True), end)
                    }
                    Op::Not { end } => (Some(v.not()), end),
                    Op::AtLeast { k, end } => {
                        match v {
                            Tri::True => top.yes += 1,
                            Tri::Unknown => top.maybe += 1,
                            Tri::False => {}
                        }
                        top.acc = if top.yes >= k {
                            Tri::True
                        } else if top.yes + top.maybe >= k {
                            Tri::Unknown
                        } else {
                            Tri::False
                        };
                        ((top.yes >= k).then_some(Tri::True), end)
                    }
                    _ => (Some(v), i as u32),
                };
                let end = end as usize;
                match decided {
                    Some(d) => {
                        v = d;
                        i = end;
                    }
                    None if i >= end => v = top.acc,
                    None => break,
                }
                stack.pop();
            }
            if stack.is_empty() {
                return v;
            }
        }
        Tri::Unknown
    }
}

/// How deep a node's groups go: 0 for a leaf.
fn depth(n: &Node) -> usize {
    match n {
        Node::All(l) | Node::Any(l) | Node::AtLeast(_, l) => {
            1 + l.iter().map(depth).max().unwrap_or(0)
        }
        Node::Not(x) => 1 + depth(x),
        _ => 0,
    }
}

/// Where a group op's parts end (an absolute index); `None` for a leaf.
fn group_end(op: Op) -> Option<u32> {
    match op {
        Op::All { end } | Op::Any { end } | Op::Not { end } | Op::AtLeast { end, .. } => Some(end),
        _ => None,
    }
}

/// The values of a group's parts, in order, each a leaf or a group of leaves: lazily, so that
/// [`fold`] stops at the first part that decides.
struct Parts<'a> {
    ops: &'a [Op],
    /// The absolute index of `ops[0]`.
    base: usize,
    i: usize,
    f: &'a Facts,
    context: u32,
    patterns: &'a [Option<Tri>],
}

impl<'a> Parts<'a> {
    fn new(
        ops: &'a [Op],
        base: usize,
        f: &'a Facts,
        context: u32,
        patterns: &'a [Option<Tri>],
    ) -> Parts<'a> {
        Parts {
            ops,
            base,
            i: 0,
            f,
            context,
            patterns,
        }
    }
}

impl Iterator for Parts<'_> {
    type Item = Tri;

    fn next(&mut self) -> Option<Tri> {
        let op = *self.ops.get(self.i)?;
        self.i += 1;
        let (f, context, patterns) = (self.f, self.context, self.patterns);
        Some(match group_end(op) {
            None => leaf_value(op, f, context, patterns),
            Some(end) => {
                let end = (end as usize)
                    .saturating_sub(self.base)
                    .clamp(self.i, self.ops.len());
                let leaves = &self.ops[self.i..end];
                self.i = end;
                fold(
                    op,
                    leaves
                        .iter()
                        .map(|op| leaf_value(*op, f, context, patterns)),
                )
            }
        })
    }
}

/// A group's value from its parts' values, reading no more of them than it needs.
#[inline]
fn fold(head: Op, mut values: impl Iterator<Item = Tri>) -> Tri {
    match head {
        Op::All { .. } => {
            let mut acc = Tri::True;
            for v in values {
                if v == Tri::False {
                    return Tri::False;
                }
                acc = acc.min(v);
            }
            acc
        }
        Op::Any { .. } => {
            let mut acc = Tri::False;
            for v in values {
                if v == Tri::True {
                    return Tri::True;
                }
                acc = acc.max(v);
            }
            acc
        }
        Op::Not { .. } => values.next().map_or(Tri::Unknown, Tri::not),
        Op::AtLeast { k, .. } => {
            let (mut yes, mut maybe) = (0, 0);
            for v in values {
                match v {
                    Tri::True => yes += 1,
                    Tri::Unknown => maybe += 1,
                    Tri::False => {}
                }
            }
            if yes >= k {
                Tri::True
            } else if yes + maybe >= k {
                Tri::Unknown
            } else {
                Tri::False
            }
        }
        _ => Tri::Unknown,
    }
}

/// The value of a leaf op; a group op (never passed) is unknown.
#[inline]
fn leaf_value(op: Op, f: &Facts, context: u32, patterns: &[Option<Tri>]) -> Tri {
    match op {
        Op::Atom(a) => a.eval(f),
        Op::AllSymptoms(m) => node::all_symptoms(f, m),
        Op::AnySymptoms(m) => node::any_symptoms(f, m),
        Op::AllLocations(m) => node::all_locations(f, m),
        Op::AnyLocation(m) => node::any_location(f, m),
        // The context is the facts' own, computed once per evaluation.
        Op::Context(yes, unknown) => node::in_context(context, yes, unknown),
        Op::Pattern(d) => patterns
            .get(d as usize)
            .copied()
            .flatten()
            .unwrap_or(Tri::Unknown),
        Op::All { .. } | Op::Any { .. } | Op::Not { .. } | Op::AtLeast { .. } => Tri::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::context;
    use crate::model::Assessment;
    use crate::vocab::{Onset, Symptom};

    fn has(s: Symptom) -> Node {
        Node::Atom(Atom::Symptom(1 << s.index()))
    }

    /// The flat loop agrees with the recursive interpreter on every shape of group, with
    /// known, absent and unknown leaves, nested.
    #[test]
    fn the_loop_agrees_with_the_tree() {
        use Symptom::{Fever, Locking, Swelling};
        let mut a = Assessment::new(Onset::Chronic);
        a.present = vec![Fever];
        a.absent = vec![Swelling];
        let f = Facts::from_assessment(&a);
        let leaves = [has(Fever), has(Swelling), has(Locking)];
        let mut shapes: Vec<Node> = leaves.to_vec();
        for x in &leaves {
            for y in &leaves {
                let pair = vec![x.clone(), y.clone()];
                shapes.push(Node::All(pair.clone()));
                shapes.push(Node::Any(pair.clone()));
                shapes.push(Node::AtLeast(2, pair.clone()));
                shapes.push(Node::AtLeast(1, pair.clone()));
                shapes.push(Node::Not(Box::new(Node::All(pair.clone()))));
                shapes.push(Node::All(vec![
                    Node::Any(pair.clone()),
                    Node::Not(Box::new(x.clone())),
                    Node::AtLeast(1, vec![y.clone(), Node::All(pair)]),
                ]));
            }
        }
        let mut code = Code::default();
        let programs: Vec<Program> = shapes.iter().map(|n| code.add(n)).collect();
        let mut mem = Memory::default();
        mem.reset(&code);
        for (n, p) in shapes.iter().zip(programs) {
            let mut none: &[Tri] = &[];
            let want = n.eval(&f, &mut none);
            assert_eq!(code.eval(p, &f, context::bit(&f), &mut mem), want, "{n:?}");
        }
    }

    #[test]
    fn patterns_are_computed_before_the_program_that_reads_them() {
        let mut a = Assessment::new(Onset::Chronic);
        a.present = vec![Symptom::Fever];
        let f = Facts::from_assessment(&a);
        let mut code = Code::default();
        code.add_pattern(&has(Symptom::Fever));
        code.add_pattern(&Node::Not(Box::new(Node::Pattern(0))));
        let p = code.add(&Node::Any(vec![Node::Pattern(1), Node::Pattern(1)]));
        let mut mem = Memory::default();
        mem.reset(&code);
        assert_eq!(code.eval(p, &f, context::bit(&f), &mut mem), Tri::False);
        assert_eq!(mem.patterns, vec![Some(Tri::True), Some(Tri::False)]);
    }
}

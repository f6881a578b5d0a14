//! What the facts leave open: rules whose condition is still unknown, the facts they wait on,
//! and which questions could change the answer.
//!
//! Three-valued logic is monotone: answering an unknown fact can turn an unknown condition
//! true or false, never a true one false or a false one true. So a report can only change
//! through the rules that are still unknown: the escalation can only rise, by an unknown rule
//! that escalates higher, and the differential can only gain weight, by unknown rules that
//! suggest. That is what makes a question worth asking.

use super::compiled::Compiled;
use super::node::{Atom, Lazy, Node};
use super::run::Run;
use super::tri::Tri;
use crate::facts::Facts;
use crate::fields::{Field, Num};
use crate::rules::Fact;
use crate::vocab::Level;
use crate::vocab::{History, Location, Mechanism, Sex, Symptom};

/// A rule that could still fire, and the unasked facts it waits on.
#[derive(Debug, Clone)]
pub(crate) struct Open {
    pub rule: usize,
    pub facts: Vec<Fact>,
}

/// The rules whose condition is unknown on `f`, as far as the interview is concerned, and
/// that wait on at least one fact for which `asked` is false.
///
/// `Missing(field)` is definite for evaluation (a missing mechanism counts as an injury, the
/// safer reading), but an answer can change it: while a field can still be asked, it counts
/// as unknown here. So a rule that fires only because a field is missing is open, and the
/// question that could retract it is asked when it matters.
pub(crate) fn open_rules(c: &Compiled, f: &Facts, asked: &dyn Fn(Fact) -> bool) -> Vec<Open> {
    // The same facts, with `Missing` of every field that can still be asked read as unknown.
    let mut f = f.clone();
    for field in ASKABLE {
        if f.is_missing(field) && field_facts(field).iter().any(|x| !asked(*x)) {
            f.askable |= Field::bit(field);
        }
    }
    let mut values = vec![None; c.patterns.len()];
    let mut x = Explorer {
        c,
        f: &f,
        patterns: Lazy {
            nodes: &c.patterns,
            values: &mut values,
        },
    };
    let mut open = Vec::new();
    for (i, rule) in c.rules.iter().enumerate() {
        if rule.when.eval(x.f, &mut x.patterns) != Tri::Unknown {
            continue;
        }
        let mut facts = Vec::new();
        x.waiting(&rule.when, &mut facts);
        facts.retain(|fact| !asked(*fact));
        facts.sort();
        facts.dedup();
        if !facts.is_empty() {
            open.push(Open { rule: i, facts });
        }
    }
    open
}

/// The facts, and the patterns' values on them, as the interview sees them.
struct Explorer<'a> {
    c: &'a Compiled,
    f: &'a Facts,
    patterns: Lazy<'a>,
}

/// The fields an interview can fill in.
const ASKABLE: [Field; 6] = [
    Field::Mechanism,
    Field::Sex,
    Field::Age,
    Field::DaysSinceOnset,
    Field::PainScore,
    Field::Bmi,
];

/// The questions that fill in a field, if it can be asked at all.
fn field_facts(field: Field) -> Vec<Fact> {
    match field {
        Field::Mechanism => Mechanism::ALL.iter().map(|m| Fact::Mechanism(*m)).collect(),
        Field::Sex => Sex::ALL.iter().map(|s| Fact::Sex(*s)).collect(),
        Field::Age => vec![Fact::Age],
        Field::DaysSinceOnset => vec![Fact::DaysSinceOnset],
        Field::PainScore => vec![Fact::PainScore],
        Field::Bmi => vec![Fact::Bmi],
        // Training comes from the runner's log.
        _ => Vec::new(),
    }
}

impl Explorer<'_> {
    /// The askable facts behind an unknown node: only its unknown parts are looked into (a
    /// true part of an `All` or a false part of an `Any` cannot change it).
    fn waiting(&mut self, n: &Node, out: &mut Vec<Fact>) {
        let f = self.f;
        let symptoms = |m: u64, out: &mut Vec<Fact>| {
            let unknown = m & !f.present & !f.absent;
            out.extend(
                Symptom::ALL
                    .iter()
                    .filter(|s| unknown & (1 << s.index()) != 0)
                    .map(|s| Fact::Has(*s)),
            );
        };
        // Any place answered yes decides a location test (the list then counts), so every
        // place not yet named is worth asking, not only the one the test names.
        let places = |out: &mut Vec<Fact>| {
            if f.locations_unknown() {
                out.extend(
                    Location::ALL
                        .iter()
                        .filter(|l| f.locations & (1 << l.index()) == 0)
                        .map(|l| Fact::Location(*l)),
                );
            }
        };
        if n.eval(f, &mut self.patterns) != Tri::Unknown {
            return;
        }
        match n {
            Node::Atom(a) => match *a {
                Atom::Symptom(m) => symptoms(m, out),
                Atom::Location(_) => places(out),
                // Likewise a yes to another mechanism or sex decides these (under `Not` too).
                Atom::Mechanism(_) => out.extend(field_facts(Field::Mechanism)),
                Atom::Sex(_) => out.extend(field_facts(Field::Sex)),
                Atom::Number(Num::Age, _) => out.push(Fact::Age),
                Atom::Number(Num::DaysSinceOnset, _) => out.push(Fact::DaysSinceOnset),
                Atom::Number(Num::PainScore, _) => out.push(Fact::PainScore),
                Atom::Number(Num::Bmi, _) => out.push(Fact::Bmi),
                Atom::Missing(field) => out.extend(field_facts(field)),
                Atom::History(m) if f.history_open => out.extend(
                    History::ALL
                        .iter()
                        .filter(|h| m & (1 << h.index()) != 0)
                        .map(|h| Fact::History(*h)),
                ),
                Atom::NewToRunning if f.new_to_running.is_none() => out.push(Fact::NewToRunning),
                // Training comes from the runner's log, not from questions.
                _ => {}
            },
            Node::AllSymptoms(m) | Node::AnySymptoms(m) => symptoms(*m, out),
            Node::AllLocations(_) | Node::AnyLocation(_) => places(out),
            Node::Context(..) => out.extend(field_facts(Field::Mechanism)),
            Node::NumberOrMissing(n, cmp) => self.waiting(&Node::Atom(Atom::Number(*n, *cmp)), out),
            Node::AnyHistory(m) => self.waiting(&Node::Atom(Atom::History(*m)), out),
            // Training comes from the runner's log, not from questions.
            Node::AnySurface(_) => {}
            Node::Pattern(i) => {
                let c = self.c;
                if let Some(node) = c.patterns.get(*i) {
                    self.waiting(node, out);
                }
            }
            Node::All(list) | Node::Any(list) | Node::AtLeast(_, list) => {
                for child in list {
                    self.waiting(child, out);
                }
            }
            Node::Not(inner) => self.waiting(inner, out),
        }
    }
}

/// Why a fact is worth asking about.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Stake {
    /// The highest level an answer could raise the escalation to (above the current one), or
    /// the current level when an answer could lower it.
    pub raises_to: Option<Level>,
    /// An answer could change which diagnosis is on top.
    pub reorders: bool,
    /// How many open rules wait on it.
    pub rules: usize,
}

/// The facts worth asking about, most important first: those that could raise the escalation
/// (highest level first), then those that could change the top diagnosis, then the rest never.
pub(crate) fn stakes(c: &Compiled, run: &Run, open: &[Open]) -> Vec<(Fact, Stake)> {
    use super::compiled::Action as CAction;
    // What the open rules could still add to each diagnosis.
    let mut potential = vec![0.0; c.diagnoses.len()];
    for o in open {
        for a in &c.rules[o.rule].then {
            if let CAction::Suggest(d, w) = a {
                potential[*d] += w;
            }
        }
    }
    let top = run.ranked.first().copied();
    // The level the rules that fired for good hold on their own: an open rule that fired can
    // only lower the escalation below its level if nothing definite holds it.
    let open_ids: Vec<usize> = open.iter().map(|o| o.rule).collect();
    let mut definite = Level::SelfCare;
    for &ri in &run.fired {
        if open_ids.binary_search(&ri).is_err() {
            for a in &c.rules[ri].then {
                if let CAction::Escalate(l, _) = a {
                    definite = definite.max(*l);
                }
            }
        }
    }
    // A diagnosis could overtake the top one if its weight could reach it (ties go by id, so
    // reaching is enough); with no top yet, any suggestion changes it.
    let could_lead = |d: usize| match top {
        None => true,
        Some(t) => d != t && run.weight[d] + potential[d] >= run.weight[t],
    };
    let mut stakes: Vec<(Fact, Stake)> = Vec::new();
    for o in open {
        let rule = &c.rules[o.rule];
        // Fired now, but only on a missing field that an answer could fill in.
        let retractable = run.fired.binary_search(&o.rule).is_ok();
        let mut raises = None;
        let mut reorders = false;
        for a in &rule.then {
            match a {
                CAction::Escalate(l, _) if *l > run.level => raises = raises.max(Some(*l)),
                // An answer could lower the level: as urgent to settle as raising to it.
                CAction::Escalate(l, _) if retractable && *l == run.level && *l > definite => {
                    raises = raises.max(Some(*l));
                }
                CAction::Suggest(d, _) if could_lead(*d) => reorders = true,
                CAction::Suggest(d, _) if retractable && Some(*d) == top => reorders = true,
                _ => {}
            }
        }
        if raises.is_none() && !reorders {
            continue;
        }
        for &fact in &o.facts {
            let at = match stakes.iter().position(|(f, _)| *f == fact) {
                Some(i) => i,
                None => {
                    stakes.push((fact, Stake::default()));
                    stakes.len() - 1
                }
            };
            let s = &mut stakes[at].1;
            s.raises_to = s.raises_to.max(raises);
            s.reorders |= reorders;
            s.rules += 1;
        }
    }
    stakes.sort_by(|(fa, a), (fb, b)| {
        b.raises_to
            .cmp(&a.raises_to)
            .then(b.reorders.cmp(&a.reorders))
            .then(b.rules.cmp(&a.rules))
            .then(fa.cmp(fb))
    });
    stakes
}

//! Lowers a validated rule file into the form evaluation runs: catalogue references become
//! indices, patterns are expanded in place, and every leaf test becomes an [`Atom`] over the
//! bit masks and numbers of [`Facts`].

use std::collections::HashMap;

use crate::facts::{Facts, Num};
use crate::model::{Mechanism, Onset, Sex, Surface};
use crate::report::{Dose, Level, Phase};
use crate::rules::validate::pattern_order;
use crate::rules::{Action, Cmp, Condition, Field, Metric, RuleSetSource};

/// Three-valued truth, ordered so that `min` is "and", `max` is "or" and `2 - x` is "not".
pub(crate) type Tri = u8;
pub(crate) const FALSE: Tri = 0;
pub(crate) const UNKNOWN: Tri = 1;
pub(crate) const TRUE: Tri = 2;

fn tri(b: bool) -> Tri {
    if b { TRUE } else { FALSE }
}

fn tri_opt(b: Option<bool>) -> Tri {
    b.map_or(UNKNOWN, tri)
}

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

impl Atom {
    pub(crate) fn eval(self, f: &Facts) -> Tri {
        match self {
            Atom::Symptom(bit) => {
                if f.present & bit != 0 {
                    TRUE
                } else if f.absent & bit != 0 {
                    FALSE
                } else {
                    UNKNOWN
                }
            }
            Atom::Location(bit) => {
                if f.locations & bit != 0 {
                    TRUE
                } else if f.locations == 0 {
                    UNKNOWN
                } else {
                    FALSE
                }
            }
            Atom::History(bit) => tri(f.history & bit != 0),
            Atom::Onset(o) => tri(f.onset == o),
            Atom::Mechanism(m) => tri_opt(f.mechanism.map(|x| x == m)),
            Atom::Sex(s) => tri_opt(f.sex.map(|x| x == s)),
            Atom::Number(n, cmp) => tri_opt(f.number(n).map(|x| cmp.test(x))),
            Atom::Downhill => tri_opt(f.downhill),
            Atom::IntensityIncreased => tri_opt(f.intensity_increased),
            Atom::NewToRunning => tri_opt(f.new_to_running),
            Atom::Surface(s) => tri_opt(f.surface.map(|x| x == s)),
            Atom::Missing(field) => tri(f.is_missing(field)),
        }
    }
}

/// A condition with leaves lowered. A pattern is not expanded: `Pattern(i)` reads the value
/// the pattern had, computed once per evaluation, so the size of the compiled form is the
/// size of the file however often patterns are reused.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Atom(Atom),
    Pattern(usize),
    All(Vec<Node>),
    Any(Vec<Node>),
    Not(Box<Node>),
    AtLeast(u32, Vec<Node>),
}

impl Node {
    /// `patterns` holds the values of the patterns before this one in dependency order.
    pub(crate) fn eval(&self, f: &Facts, patterns: &[Tri]) -> Tri {
        match self {
            Node::Atom(a) => a.eval(f),
            Node::Pattern(i) => patterns.get(*i).copied().unwrap_or(UNKNOWN),
            Node::All(list) => {
                let mut acc = TRUE;
                for n in list {
                    acc = acc.min(n.eval(f, patterns));
                    if acc == FALSE {
                        break;
                    }
                }
                acc
            }
            Node::Any(list) => {
                let mut acc = FALSE;
                for n in list {
                    acc = acc.max(n.eval(f, patterns));
                    if acc == TRUE {
                        break;
                    }
                }
                acc
            }
            Node::Not(inner) => TRUE - inner.eval(f, patterns),
            Node::AtLeast(k, list) => {
                let (mut yes, mut maybe) = (0u32, 0u32);
                for n in list {
                    match n.eval(f, patterns) {
                        TRUE => yes += 1,
                        UNKNOWN => maybe += 1,
                        _ => {}
                    }
                }
                if yes >= *k {
                    TRUE
                } else if yes + maybe >= *k {
                    UNKNOWN
                } else {
                    FALSE
                }
            }
        }
    }

    /// The leaves not under a `Not`, patterns' included: the facts a firing rule can be said
    /// to rest on.
    fn positive_atoms(&self, patterns: &[Vec<Atom>], out: &mut Vec<Atom>) {
        let mut add = |a: &Atom| {
            if !out.contains(a) {
                out.push(*a);
            }
        };
        match self {
            Node::Atom(a) => add(a),
            Node::Pattern(i) => patterns.get(*i).into_iter().flatten().for_each(add),
            Node::All(list) | Node::Any(list) | Node::AtLeast(_, list) => {
                for n in list {
                    n.positive_atoms(patterns, out);
                }
            }
            Node::Not(_) => {}
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum CAction {
    Suggest(usize, f64),
    Recommend(Vec<usize>),
    Escalate(Level, String),
    Factor(usize),
}

#[derive(Debug, Clone)]
pub(crate) struct CRule {
    pub id: String,
    pub source: String,
    pub when: Node,
    pub then: Vec<CAction>,
    /// Leaves whose truth explains a firing.
    pub evidence: Vec<Atom>,
}

#[derive(Debug, Clone)]
pub(crate) struct CDiagnosis {
    pub id: String,
    pub name: String,
    pub source: String,
    pub steps: Vec<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct CStep {
    pub id: String,
    pub phase: Phase,
    pub text: String,
    pub dose: Option<Dose>,
    pub keeps_running: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct CFactor {
    pub id: String,
    pub text: String,
    pub advice: String,
    pub figure: Option<Metric>,
}

/// A rule set ready to evaluate.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub label: String,
    /// Patterns in dependency order: each uses only those before it.
    pub patterns: Vec<Node>,
    pub rules: Vec<CRule>,
    pub diagnoses: Vec<CDiagnosis>,
    pub steps: Vec<CStep>,
    pub factors: Vec<CFactor>,
}

/// Compiles a rule file that [`validate`](crate::rules::validate::validate) accepted.
///
/// Unresolvable references cannot occur after validation; should one slip through, it is
/// skipped rather than allowed to panic.
pub(crate) fn compile(src: &RuleSetSource) -> Compiled {
    let index = |ids: Vec<&str>| -> HashMap<String, usize> {
        ids.into_iter()
            .enumerate()
            .map(|(i, id)| (id.to_owned(), i))
            .collect()
    };
    let diag_ix = index(src.diagnoses.iter().map(|d| d.id.as_str()).collect());
    let step_ix = index(src.steps.iter().map(|s| s.id.as_str()).collect());
    let factor_ix = index(src.factors.iter().map(|f| f.id.as_str()).collect());
    let mut slots: HashMap<&str, usize> = HashMap::new();
    let mut patterns = Vec::new();
    let mut pattern_atoms: Vec<Vec<Atom>> = Vec::new();
    for i in pattern_order(src) {
        let p = &src.patterns[i];
        let node = lower(&p.when, &slots);
        let mut atoms = Vec::new();
        node.positive_atoms(&pattern_atoms, &mut atoms);
        slots.insert(p.id.as_str(), patterns.len());
        patterns.push(node);
        pattern_atoms.push(atoms);
    }
    let steps_of = |ids: &[String]| ids.iter().filter_map(|s| step_ix.get(s).copied()).collect();

    let rules = src
        .rules
        .iter()
        .map(|r| {
            let when = lower(&r.when, &slots);
            let mut evidence = Vec::new();
            when.positive_atoms(&pattern_atoms, &mut evidence);
            let then = r
                .then
                .iter()
                .filter_map(|a| {
                    Some(match a {
                        Action::Suggest(id, w) => CAction::Suggest(*diag_ix.get(id)?, *w),
                        Action::Recommend(ids) => CAction::Recommend(steps_of(ids)),
                        Action::Escalate(level, reason) => {
                            CAction::Escalate(*level, reason.clone())
                        }
                        Action::Factor(id) => CAction::Factor(*factor_ix.get(id)?),
                    })
                })
                .collect();
            CRule {
                id: r.id.clone(),
                source: r.source.clone(),
                when,
                then,
                evidence,
            }
        })
        .collect();

    Compiled {
        label: format!("{} {}", src.name, src.version),
        patterns,
        rules,
        diagnoses: src
            .diagnoses
            .iter()
            .map(|d| CDiagnosis {
                id: d.id.clone(),
                name: d.name.clone(),
                source: d.source.clone(),
                steps: steps_of(&d.steps),
            })
            .collect(),
        steps: src
            .steps
            .iter()
            .map(|s| CStep {
                id: s.id.clone(),
                phase: s.phase,
                text: s.text.clone(),
                dose: s.dose.clone(),
                keeps_running: s.keeps_running,
            })
            .collect(),
        factors: src
            .factors
            .iter()
            .map(|f| CFactor {
                id: f.id.clone(),
                text: f.text.clone(),
                advice: f.advice.clone(),
                figure: f.figure,
            })
            .collect(),
    }
}

/// Lowers one condition; `slots` maps the patterns lowered so far to their place.
fn lower(c: &Condition, slots: &HashMap<&str, usize>) -> Node {
    let list = |l: &[Condition]| l.iter().map(|x| lower(x, slots)).collect();
    let num = |n, cmp: &Cmp| Node::Atom(Atom::Number(n, *cmp));
    match c {
        Condition::All(l) => Node::All(list(l)),
        Condition::Any(l) => Node::Any(list(l)),
        Condition::Not(inner) => Node::Not(Box::new(lower(inner, slots))),
        Condition::AtLeast(n, l) => Node::AtLeast(*n, list(l)),
        // The validator refuses unknown and cyclic patterns; should one slip through, it is
        // unknown, never a panic.
        Condition::Is(id) => Node::Pattern(slots.get(id.as_str()).copied().unwrap_or(usize::MAX)),
        Condition::Has(s) => Node::Atom(Atom::Symptom(1 << s.index())),
        Condition::Location(l) => Node::Atom(Atom::Location(1 << l.index())),
        Condition::History(h) => Node::Atom(Atom::History(1 << h.index())),
        Condition::Onset(o) => Node::Atom(Atom::Onset(*o)),
        Condition::Mechanism(m) => Node::Atom(Atom::Mechanism(*m)),
        Condition::Sex(s) => Node::Atom(Atom::Sex(*s)),
        Condition::Age(cmp) => num(Num::Age, cmp),
        Condition::DaysSinceOnset(cmp) => num(Num::DaysSinceOnset, cmp),
        Condition::PainScore(cmp) => num(Num::PainScore, cmp),
        Condition::Bmi(cmp) => num(Num::Bmi, cmp),
        Condition::WeeklyKm(cmp) => num(Num::WeeklyKm, cmp),
        Condition::WeeklyIncreasePct(cmp) => num(Num::WeeklyIncreasePct, cmp),
        Condition::Acwr(cmp) => num(Num::Acwr, cmp),
        Condition::ShoeKm(cmp) => num(Num::ShoeKm, cmp),
        Condition::Downhill => Node::Atom(Atom::Downhill),
        Condition::IntensityIncreased => Node::Atom(Atom::IntensityIncreased),
        Condition::NewToRunning => Node::Atom(Atom::NewToRunning),
        Condition::Surface(s) => Node::Atom(Atom::Surface(*s)),
        Condition::Missing(f) => Node::Atom(Atom::Missing(*f)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Assessment, Symptom};

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
        assert_eq!(has(Fever).eval(&f, &[]), TRUE);
        assert_eq!(has(Swelling).eval(&f, &[]), FALSE);
        assert_eq!(unknown.eval(&f, &[]), UNKNOWN);
        assert_eq!(Node::Not(Box::new(unknown.clone())).eval(&f, &[]), UNKNOWN);
        assert_eq!(
            Node::All(vec![has(Fever), unknown.clone()]).eval(&f, &[]),
            UNKNOWN
        );
        assert_eq!(
            Node::All(vec![has(Swelling), unknown.clone()]).eval(&f, &[]),
            FALSE
        );
        assert_eq!(
            Node::Any(vec![has(Fever), unknown.clone()]).eval(&f, &[]),
            TRUE
        );
        assert_eq!(
            Node::Any(vec![has(Swelling), unknown.clone()]).eval(&f, &[]),
            UNKNOWN
        );
        let two = |l| Node::AtLeast(2, l);
        assert_eq!(
            two(vec![has(Fever), unknown.clone()]).eval(&f, &[]),
            UNKNOWN
        );
        assert_eq!(two(vec![has(Fever), has(Swelling)]).eval(&f, &[]), FALSE);
        assert_eq!(two(vec![has(Fever), has(Fever)]).eval(&f, &[]), TRUE);
    }

    #[test]
    fn locations_are_unknown_only_when_none_are_given() {
        use crate::model::Location;
        let atom = Atom::Location(1 << Location::OuterKnee.index());
        let mut a = Assessment::new(Onset::Chronic);
        assert_eq!(atom.eval(&Facts::from_assessment(&a)), UNKNOWN);
        a.locations.push(Location::AroundKneecap);
        assert_eq!(atom.eval(&Facts::from_assessment(&a)), FALSE);
        a.locations.push(Location::OuterKnee);
        assert_eq!(atom.eval(&Facts::from_assessment(&a)), TRUE);
    }
}

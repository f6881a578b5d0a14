//! What explanations need to say how close an absent diagnosis came: each rule's parts (the
//! items of a top-level `All`) lowered, and the rules suggesting each diagnosis. Built on the
//! first explanation and kept with the compiled set, so loading never pays for it.

use std::collections::HashMap;

use super::compiled::{self, Compiled};
use super::lower;
use super::node::Node;
use crate::rules::{Condition, RuleSetSource};

/// For "how close did it come": each rule's parts lowered, and the rules suggesting each
/// diagnosis, in id order. Built on the first explanation, kept with the compiled set.
#[derive(Debug, Clone, Default)]
pub(crate) struct Closeness {
    /// Per compiled rule, its parts (see [`parts_of`]) lowered.
    pub parts: Vec<Vec<Node>>,
    /// Per compiled rule, its place in the source's list.
    pub source_rule: Vec<Option<usize>>,
    /// Per diagnosis, the compiled rules that suggest it, in id order.
    pub by_diagnosis: Vec<Vec<usize>>,
}

pub(crate) fn closeness(c: &Compiled, src: &RuleSetSource) -> Closeness {
    let slots: HashMap<&str, usize> = c.slots.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let by_id: HashMap<&str, usize> = src
        .rules
        .iter()
        .enumerate()
        .rev() // the first of a repeated id wins, as everywhere else
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut out = Closeness {
        by_diagnosis: vec![Vec::new(); c.diagnoses.len()],
        ..Closeness::default()
    };
    for (ri, rule) in c.rules.iter().enumerate() {
        let source = by_id.get(&*rule.id).copied();
        out.parts.push(
            source
                .and_then(|i| src.rules.get(i))
                .map_or_else(Vec::new, |r| {
                    parts_of(&r.when)
                        .into_iter()
                        .map(|p| lower::lower(p, &slots))
                        .collect()
                }),
        );
        out.source_rule.push(source);
        for a in &rule.then {
            if let compiled::Action::Suggest(d, _) = a
                && let Some(list) = out.by_diagnosis.get_mut(*d)
                && list.last() != Some(&ri)
            {
                list.push(ri);
            }
        }
    }
    out
}

/// The parts of a condition that "how close" counts: the items of a top-level `All`, or the
/// condition itself.
pub(crate) fn parts_of(c: &Condition) -> Vec<&Condition> {
    match c {
        Condition::All(list) => list.iter().collect(),
        other => vec![other],
    }
}

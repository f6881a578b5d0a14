//! Applying a [`Layer`] to a rule set: replace by id, add, disable; and remember which file
//! each entry came from, so that a problem in the merged set names the right file.

use std::collections::HashMap;

use super::{Action, Layer, RuleSetSource};
use crate::diagnostic::{Diagnostic, DiagnosticKind, Item, ItemKind};

/// Which file (by index) last defined each (list, id).
#[derive(Debug, Default)]
pub(crate) struct Origins {
    by_item: HashMap<(ItemKind, String), usize>,
    /// The file whose `training` section the merged set has.
    pub training: usize,
}

impl Origins {
    /// Records every entry of `src` as coming from file `file`.
    pub(crate) fn base(src: &RuleSetSource, file: usize) -> Origins {
        let mut o = Origins {
            training: file,
            ..Origins::default()
        };
        o.mark(
            ItemKind::Rule,
            src.rules.iter().map(|r| r.id.as_str()),
            file,
        );
        o.mark(
            ItemKind::Pattern,
            src.patterns.iter().map(|p| p.id.as_str()),
            file,
        );
        o.mark(
            ItemKind::Diagnosis,
            src.diagnoses.iter().map(|d| d.id.as_str()),
            file,
        );
        o.mark(
            ItemKind::Step,
            src.steps.iter().map(|s| s.id.as_str()),
            file,
        );
        o.mark(
            ItemKind::Factor,
            src.factors.iter().map(|f| f.id.as_str()),
            file,
        );
        o
    }

    fn mark<'a>(&mut self, kind: ItemKind, ids: impl Iterator<Item = &'a str>, file: usize) {
        for id in ids {
            self.by_item.insert((kind, id.to_owned()), file);
        }
    }

    /// The file an item came from.
    pub(crate) fn file_of(&self, item: &Item) -> Option<usize> {
        if item.kind == ItemKind::Training {
            return Some(self.training);
        }
        self.by_item.get(&(item.kind, item.id.clone())).copied()
    }
}

/// The patterns that rules which escalate use, directly or through other patterns.
fn patterns_behind_escalations(src: &RuleSetSource) -> std::collections::HashSet<&str> {
    let mut used = std::collections::HashSet::new();
    let mut stack: Vec<&super::Condition> = src
        .rules
        .iter()
        .filter(|r| r.then.iter().any(|a| matches!(a, Action::Escalate(..))))
        .map(|r| &r.when)
        .collect();
    while let Some(c) = stack.pop() {
        match c {
            super::Condition::All(l)
            | super::Condition::Any(l)
            | super::Condition::AtLeast(_, l) => {
                stack.extend(l);
            }
            super::Condition::Not(inner) => stack.push(inner),
            super::Condition::Is(id) => {
                if used.insert(id.as_str())
                    && let Some(p) = src.patterns.iter().find(|p| &p.id == id)
                {
                    stack.push(&p.when);
                }
            }
            _ => {}
        }
    }
    used
}

/// Replaces entries with the same id, appends new ones.
fn merge<T>(into: &mut Vec<T>, from: Vec<T>, id: impl Fn(&T) -> &str) {
    for entry in from {
        match into.iter().position(|x| id(x) == id(&entry)) {
            Some(i) => into[i] = entry,
            None => into.push(entry),
        }
    }
}

/// Applies `layer` (file `file`) to `src`. Returns problems only a layer can have: a rule to
/// disable that does not exist (an error) and an escalating rule disabled or replaced (a
/// warning: the clinic takes over that red flag).
pub(crate) fn apply(
    src: &mut RuleSetSource,
    layer: Layer,
    file: usize,
    origins: &mut Origins,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    // The highest level a rule escalates to, if it escalates.
    let level = |rule: &super::Rule| {
        rule.then
            .iter()
            .filter_map(|a| match a {
                Action::Escalate(l, _) => Some(*l),
                _ => None,
            })
            .max()
    };
    let level_of =
        |src: &RuleSetSource, id: &str| src.rules.iter().find(|r| r.id == id).and_then(level);
    let mut note = |kind: DiagnosticKind, item: ItemKind, id: &str| {
        found.push(Diagnostic {
            kind,
            item: Some(Item {
                kind: item,
                id: id.to_owned(),
            }),
            position: None,
            hint: None,
            file: None,
        });
    };
    // Ids repeated inside the layer would silently overwrite each other.
    let mut seen = std::collections::HashSet::new();
    for (kind, id) in layer
        .rules
        .iter()
        .map(|r| (ItemKind::Rule, r.id.as_str()))
        .chain(
            layer
                .patterns
                .iter()
                .map(|p| (ItemKind::Pattern, p.id.as_str())),
        )
        .chain(
            layer
                .diagnoses
                .iter()
                .map(|d| (ItemKind::Diagnosis, d.id.as_str())),
        )
        .chain(layer.steps.iter().map(|x| (ItemKind::Step, x.id.as_str())))
        .chain(
            layer
                .factors
                .iter()
                .map(|f| (ItemKind::Factor, f.id.as_str())),
        )
        .chain(layer.disable.iter().map(|d| (ItemKind::Rule, d.as_str())))
    {
        if !seen.insert((kind, id)) {
            let what = kind.name();
            note(
                DiagnosticKind::DuplicateId {
                    what,
                    id: id.to_owned(),
                },
                kind,
                id,
            );
        }
    }
    // A red flag the layer takes away or weakens: a rule disabled or replaced by one that
    // escalates less, or a pattern replaced that escalating rules rely on.
    for r in &layer.rules {
        if let Some(old) = level_of(src, &r.id)
            && level(r).is_none_or(|new| new < old)
        {
            note(
                DiagnosticKind::RemovesEscalation(r.id.clone()),
                ItemKind::Rule,
                &r.id,
            );
        }
    }
    let relied_on = patterns_behind_escalations(src);
    for p in &layer.patterns {
        if relied_on.contains(p.id.as_str()) {
            note(
                DiagnosticKind::RemovesEscalation(p.id.clone()),
                ItemKind::Pattern,
                &p.id,
            );
        }
    }
    for id in &layer.disable {
        if !src.rules.iter().any(|r| &r.id == id) {
            let kind = DiagnosticKind::UnknownReference {
                what: "rule",
                id: id.clone(),
            };
            note(kind, ItemKind::Rule, id);
        } else if level_of(src, id).is_some() {
            note(
                DiagnosticKind::RemovesEscalation(id.clone()),
                ItemKind::Rule,
                id,
            );
        }
    }
    src.rules.retain(|r| !layer.disable.contains(&r.id));

    origins.mark(
        ItemKind::Rule,
        layer.rules.iter().map(|r| r.id.as_str()),
        file,
    );
    origins.mark(
        ItemKind::Pattern,
        layer.patterns.iter().map(|p| p.id.as_str()),
        file,
    );
    origins.mark(
        ItemKind::Diagnosis,
        layer.diagnoses.iter().map(|d| d.id.as_str()),
        file,
    );
    origins.mark(
        ItemKind::Step,
        layer.steps.iter().map(|s| s.id.as_str()),
        file,
    );
    origins.mark(
        ItemKind::Factor,
        layer.factors.iter().map(|f| f.id.as_str()),
        file,
    );
    for id in &layer.disable {
        origins.mark(ItemKind::Rule, std::iter::once(id.as_str()), file);
    }

    merge(&mut src.rules, layer.rules, |r| &r.id);
    merge(&mut src.patterns, layer.patterns, |p| &p.id);
    merge(&mut src.diagnoses, layer.diagnoses, |d| &d.id);
    merge(&mut src.steps, layer.steps, |s| &s.id);
    merge(&mut src.factors, layer.factors, |f| &f.id);
    for q in layer.questions {
        match src.questions.iter().position(|x| x.fact == q.fact) {
            Some(i) => src.questions[i] = q,
            None => src.questions.push(q),
        }
    }
    if layer.training.is_some() {
        src.training = layer.training;
        origins.training = file;
    }
    src.name = format!("{} + {}", src.name, layer.name);
    src.version = format!("{} + {}", src.version, layer.version);
    found
}

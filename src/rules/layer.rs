//! Applying a [`Layer`] to a rule set: replace by id, add, disable; and remember which file
//! each entry came from, so that a problem in the merged set names the right file.

use std::collections::HashMap;

use super::locate::IdIndex;
use super::validate::{validate, validate_training};
use super::{Action, Layer, RuleSetSource};
use crate::diagnostic::{Diagnostic, DiagnosticKind, Item, ItemKind, unknown_hint};
use crate::error::RuleSetError;
use crate::limits::MAX_RULE_FILE_BYTES;
use crate::parse::parse_ron;

/// A rule file or layer with its name, for [`RuleSet::layered`](crate::RuleSet::layered) and
/// [`RuleSet::with_layer`](crate::RuleSet::with_layer): the name is what problems and reports
/// call it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleFile<'a> {
    /// What problems call the file: its path, say.
    pub name: &'a str,
    /// Its RON text.
    pub text: &'a str,
}

impl<'a> RuleFile<'a> {
    /// A file by name and text.
    #[must_use]
    pub fn new(name: &'a str, text: &'a str) -> RuleFile<'a> {
        RuleFile { name, text }
    }
}

impl<'a> From<(&'a str, &'a str)> for RuleFile<'a> {
    /// From `(name, text)`.
    fn from((name, text): (&'a str, &'a str)) -> RuleFile<'a> {
        RuleFile { name, text }
    }
}

impl<'a> From<&(&'a str, &'a str)> for RuleFile<'a> {
    /// From `&(name, text)`.
    fn from(&(name, text): &(&'a str, &'a str)) -> RuleFile<'a> {
        RuleFile { name, text }
    }
}

impl<'a> From<(&'a str, &'a String)> for RuleFile<'a> {
    /// From `(name, &text)`.
    fn from((name, text): (&'a str, &'a String)) -> RuleFile<'a> {
        RuleFile { name, text }
    }
}

impl<'a> From<&RuleFile<'a>> for RuleFile<'a> {
    fn from(f: &RuleFile<'a>) -> RuleFile<'a> {
        *f
    }
}

/// A file name that is plainly a rule file's text (name and text swapped): refused before it
/// can be echoed into every message.
fn check_name(file: &RuleFile<'_>) -> Result<(), RuleSetError> {
    if file.name.contains('\n') || file.name.chars().count() > 255 {
        let shown: String = file.name.chars().take(40).collect();
        return Err(RuleSetError::InFile {
            file: format!("{shown}..."),
            error: Box::new(crate::error::ParseError::new(
                "E0001",
                crate::diagnostic::Position { line: 1, column: 1 },
                "this file name looks like the text of a rule file".to_owned(),
                Some(
                    "pass the name first and the text second: RuleFile::new(name, text)".to_owned(),
                ),
                Vec::new(),
            )),
        });
    }
    Ok(())
}

/// Reads a base rule file and its layers, applies the layers in order and validates the
/// merged set: the set, its label ("runner_knee 0.3.0 + clinic 3") and every problem found,
/// each located in the file its item came from.
///
/// # Errors
/// [`RuleSetError::InFile`] when a file is not a rule file or a layer.
pub(crate) fn load(
    base: RuleFile<'_>,
    layers: &[RuleFile<'_>],
) -> Result<(RuleSetSource, String, Vec<Diagnostic>), RuleSetError> {
    check_name(&base)?;
    let src: RuleSetSource =
        parse_ron(base.text, MAX_RULE_FILE_BYTES).map_err(in_file(base.name))?;
    let label = format!("{} {}", src.name, src.version);
    load_onto(src, label, Some(base), layers)
}

fn in_file(file: &str) -> impl FnOnce(crate::error::ParseError) -> RuleSetError {
    let file = file.to_owned();
    move |error| RuleSetError::InFile {
        file,
        error: Box::new(error),
    }
}

/// Applies `layers` to a parsed base (labelled `label`; its text, when known, locates its
/// problems) and validates the result.
pub(crate) fn load_onto(
    mut src: RuleSetSource,
    mut label: String,
    base: Option<RuleFile<'_>>,
    layers: &[RuleFile<'_>],
) -> Result<(RuleSetSource, String, Vec<Diagnostic>), RuleSetError> {
    for layer in layers {
        check_name(layer)?;
    }
    let base = base.unwrap_or(RuleFile::new("base", ""));
    let files: Vec<RuleFile<'_>> = std::iter::once(base)
        .chain(layers.iter().copied())
        .collect();
    let indexes: Vec<IdIndex> = files.iter().map(|f| IdIndex::new(f.text)).collect();
    let mut origins = Origins::base(&src, 0);
    let mut found = Vec::new();
    for (i, file) in layers.iter().enumerate() {
        let (name, text) = (file.name, file.text);
        let layer: Layer = parse_ron(text, MAX_RULE_FILE_BYTES).map_err(in_file(name))?;
        // Reports name every file's set and version: "runner_knee 0.3.0 + clinic 3".
        label = format!("{label} + {} {}", layer.name, layer.version);
        for mut d in apply(&mut src, layer, i + 1, &mut origins) {
            d.file = Some(name.to_owned());
            // The entry's declaration, or for a disabled rule its place in `disable`.
            d.position = d.item.as_ref().and_then(|item| {
                let index = &indexes[i + 1];
                index
                    .locate(text, item.kind.field(), &item.id, 0)
                    .or_else(|| index.find_after(text, "disable", &format!("\"{}\"", item.id)))
            });
            found.push(d);
        }
    }
    // The training section is checked again below, located in the file it came from.
    let merged = validate(&src, None)
        .into_iter()
        .filter(|d| d.item.as_ref().is_none_or(|i| i.kind != ItemKind::Training));
    let training = files[origins.training];
    found.extend(
        validate_training(&src, training.text)
            .into_iter()
            .map(|mut d| {
                d.file = Some(training.name.to_owned());
                d
            }),
    );
    for mut d in merged {
        if let Some(file) = d.item.as_ref().and_then(|item| origins.file_of(item)) {
            let RuleFile { name, text } = files[file];
            d.file = Some(name.to_owned());
            // The reference at fault when there is one, as a single file would point at it.
            d.position = d.item.as_ref().and_then(|item| {
                let index = &indexes[file];
                let field = item.kind.field();
                match &d.needle {
                    Some(n) => index.locate_in(text, field, &item.id, 0, n),
                    None => index.locate(text, field, &item.id, 0),
                }
            });
        }
        found.push(d);
    }
    Ok((src, label, found))
}

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
    let mut note = |kind: DiagnosticKind, item: ItemKind, id: &str, hint: Option<String>| {
        let item = Item {
            kind: item,
            id: id.to_owned(),
        };
        found.push(Diagnostic::new(kind, Some(item), hint));
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
                None,
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
                None,
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
                None,
            );
        }
    }
    for id in &layer.disable {
        if !src.rules.iter().any(|r| &r.id == id) {
            let kind = DiagnosticKind::UnknownReference {
                what: "rule",
                id: id.clone(),
            };
            let known = src.rules.iter().map(|r| r.id.as_str());
            let hint = unknown_hint("rule", id, known);
            note(kind, ItemKind::Rule, id, Some(hint));
        } else if level_of(src, id).is_some() {
            note(
                DiagnosticKind::RemovesEscalation(id.clone()),
                ItemKind::Rule,
                id,
                None,
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
        match src.questions.iter().position(|x| x.id() == q.id()) {
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

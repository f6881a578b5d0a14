//! Semantic checks of a parsed rule file: every problem at once, errors and warnings, each
//! with a stable code, the rule or catalogue entry at fault and, when the file's text is known,
//! its line and column.
//!
//! What passes without errors can be compiled and evaluated without any further check:
//! references resolve, patterns are acyclic, nesting is bounded. The work is linear in the size
//! of the file: each pattern is analysed once, never expanded, so patterns that use patterns
//! many times over cannot blow up.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use super::locate::IdIndex;
use super::satisfy::Implied;
use super::{Action, Cmp, Condition, Fact, QuestionDef, Rule, RuleSetSource};
use crate::diagnostic::{
    Diagnostic, DiagnosticKind as K, Item, ItemKind, did_you_mean, unknown_hint,
};
use crate::facts::Num;
use crate::vocab::Symptom;

/// Deepest nesting of conditions allowed, patterns expanded.
pub(crate) const MAX_DEPTH: usize = crate::limits::MAX_CONDITION_DEPTH;

/// Largest weight a `Suggest` may carry; sums of many stay far from overflow.
pub(crate) const MAX_WEIGHT: f64 = 1000.0;

/// The step id the report uses for the escalation action; catalogues may not take it.
const RESERVED_STEP: &str = crate::report::ESCALATION_STEP;

/// Every error and warning of `src`, in file order when `text` (the file it came from) is
/// given, else in the order found.
pub(crate) fn validate(src: &RuleSetSource, text: Option<&str>) -> Vec<Diagnostic> {
    let mut v = Validator {
        located: text.map(|t| (t, std::cell::OnceCell::new())),
        found: Vec::new(),
        pattern_ids: src.patterns.iter().map(|p| p.id.clone()).collect(),
    };
    v.check(src);
    let mut found = v.found;
    // Stable: problems without a position keep their order, after the located ones.
    found.sort_by_key(|d| d.position.map_or((usize::MAX, 0), |p| (p.line, p.column)));
    found
}

/// The problems of `src`'s `training` section alone, located in `text`, the file it came
/// from: a layered set validates the merged set without positions, then this.
pub(crate) fn validate_training(src: &RuleSetSource, text: &str) -> Vec<Diagnostic> {
    let mut v = Validator {
        located: Some((text, std::cell::OnceCell::new())),
        found: Vec::new(),
        pattern_ids: HashSet::new(),
    };
    if let Some(t) = &src.training {
        let diagnoses = src.diagnoses.iter().map(|d| d.id.as_str()).collect();
        let steps = src.steps.iter().map(|s| s.id.as_str()).collect();
        v.training(t, &diagnoses, &steps);
    }
    v.found
}

/// An item of the file: its list, its id, and which of the items with that id it is (ids can
/// repeat, which is itself reported).
#[derive(Debug, Clone, Copy)]
struct At<'a> {
    kind: ItemKind,
    id: &'a str,
    nth: usize,
}

pub(super) struct Validator<'t> {
    /// The file, and the index of its ids, built the first time a problem needs a position:
    /// a valid file never pays for it.
    located: Option<(&'t str, std::cell::OnceCell<IdIndex>)>,
    found: Vec<Diagnostic>,
    /// Every declared pattern id, to tell an unknown pattern from one caught in a cycle.
    pattern_ids: HashSet<String>,
}

/// What a condition tree tests, patterns expanded: how deep it goes, a symptom tested under an
/// even (`positive`) or odd (`negated`) number of `Not`s, and the facts it implies.
#[derive(Debug, Clone, Default)]
struct Shape {
    depth: usize,
    positive: Option<Symptom>,
    negated: Option<Symptom>,
    implied: Implied,
}

/// For each entry of a list, how many entries before it share its id.
fn occurrences<'s>(ids: impl Iterator<Item = &'s str>) -> Vec<usize> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    ids.map(|id| {
        let n = seen.entry(id).or_insert(0);
        *n += 1;
        *n - 1
    })
    .collect()
}

impl Validator<'_> {
    /// The file and the index of its ids, if the file is known.
    fn located(&self) -> Option<(&str, &IdIndex)> {
        self.located
            .as_ref()
            .map(|(text, index)| (*text, index.get_or_init(|| IdIndex::new(text))))
    }

    /// Records a problem. `needle` is text inside the item to point at (a reference, say);
    /// without it, or when it cannot be found, the position is the item's id.
    fn push(&mut self, kind: K, at: Option<At<'_>>, needle: Option<&str>, hint: Option<String>) {
        let position = match (self.located(), at) {
            (Some((text, index)), Some(at)) => match needle {
                Some(n) => index.locate_in(text, at.kind.field(), at.id, at.nth, n),
                None => index.locate(text, at.kind.field(), at.id, at.nth),
            },
            (Some((text, index)), None) => needle.and_then(|n| index.field(text, n)),
            _ => None,
        };
        let item = at.map(|a| Item {
            kind: a.kind,
            id: a.id.to_owned(),
        });
        let mut d = Diagnostic::new(kind, item, hint);
        d.position = position;
        d.needle = needle.map(str::to_owned);
        self.found.push(d);
    }

    /// Records a problem of the value `field` of the `training` section, at the first
    /// `needle` inside the section.
    pub(super) fn in_training(&mut self, kind: K, field: &str, needle: &str, hint: Option<String>) {
        let position = self
            .located()
            .and_then(|(text, index)| index.find_after(text, "training", needle));
        let item = Item {
            kind: ItemKind::Training,
            id: field.to_owned(),
        };
        let mut d = Diagnostic::new(kind, Some(item), hint);
        d.position = position;
        self.found.push(d);
    }

    fn check(&mut self, src: &RuleSetSource) {
        for (field, value) in [("name", &src.name), ("version", &src.version)] {
            if value.trim().is_empty() {
                self.push(K::Empty(field), None, Some(field), None);
            }
        }
        if let Some(date) = &src.reviewed
            && !is_date(date)
        {
            self.push(K::BadDate(date.clone()), None, Some("reviewed"), None);
        }
        for (field, len) in [
            ("rules", src.rules.len()),
            ("patterns", src.patterns.len()),
            ("diagnoses", src.diagnoses.len()),
            ("steps", src.steps.len()),
            ("factors", src.factors.len()),
        ] {
            if len > crate::limits::MAX_ENTRIES {
                let kind = K::TooMany {
                    field,
                    count: len,
                    max: crate::limits::MAX_ENTRIES,
                };
                self.push(kind, None, Some(field), None);
            }
        }
        let diagnoses = self.ids(
            ItemKind::Diagnosis,
            src.diagnoses.iter().map(|d| d.id.as_str()),
        );
        let steps = self.ids(ItemKind::Step, src.steps.iter().map(|s| s.id.as_str()));
        let factors = self.ids(ItemKind::Factor, src.factors.iter().map(|f| f.id.as_str()));
        self.ids(
            ItemKind::Pattern,
            src.patterns.iter().map(|p| p.id.as_str()),
        );
        self.ids(ItemKind::Rule, src.rules.iter().map(|r| r.id.as_str()));

        let tags: HashSet<&str> = src
            .steps
            .iter()
            .flat_map(|s| s.tags.iter().map(String::as_str))
            .collect();
        let nth = occurrences(src.diagnoses.iter().map(|d| d.id.as_str()));
        for (d, &nth) in src.diagnoses.iter().zip(&nth) {
            let at = Some(At {
                kind: ItemKind::Diagnosis,
                id: &d.id,
                nth,
            });
            self.non_empty(&[("name", &d.name), ("source", &d.source)], at);
            for s in &d.steps {
                if !steps.contains(s.as_str()) {
                    self.unknown("step", s, &steps, at);
                }
            }
            if d.steps.is_empty() {
                self.push(K::NoSteps, at, None, None);
            }
            if let Some(w) = &d.withhold {
                self.withhold(&w.steps, &w.tags, &w.reason, &steps, &tags, at);
            }
            for (system, code) in d.codes.iter().flat_map(super::CodesDef::given) {
                if !super::codes::well_formed(system, code) {
                    let kind = K::BadCode {
                        system,
                        code: code.to_owned(),
                    };
                    self.push(kind, at, Some(&format!("\"{code}\"")), None);
                }
            }
        }
        let nth = occurrences(src.steps.iter().map(|s| s.id.as_str()));
        for (s, &nth) in src.steps.iter().zip(&nth) {
            let at = Some(At {
                kind: ItemKind::Step,
                id: &s.id,
                nth,
            });
            if s.id == RESERVED_STEP {
                self.push(K::ReservedId(RESERVED_STEP), at, None, None);
            }
            self.non_empty(&[("text", &s.text)], at);
            for o in &s.overrides {
                if !steps.contains(o.as_str()) {
                    self.unknown("step", o, &steps, at);
                    continue;
                }
                let back = src
                    .steps
                    .iter()
                    .any(|t| t.id == *o && t.overrides.contains(&s.id));
                if *o == s.id || back {
                    self.push(
                        K::OverrideCycle(o.clone()),
                        at,
                        Some(&format!("\"{o}\"")),
                        None,
                    );
                }
            }
        }
        let nth = occurrences(src.factors.iter().map(|f| f.id.as_str()));
        for (f, &nth) in src.factors.iter().zip(&nth) {
            let at = Some(At {
                kind: ItemKind::Factor,
                id: &f.id,
                nth,
            });
            self.non_empty(&[("text", &f.text), ("advice", &f.advice)], at);
        }

        if let Some(t) = &src.training {
            let steps = src.steps.iter().map(|s| s.id.as_str()).collect();
            self.training(t, &diagnoses, &steps);
        }
        self.questions(src);
        let patterns = self.patterns(src);
        // A step shown only when a condition holds: the condition is checked like a rule's.
        let nth = occurrences(src.steps.iter().map(|s| s.id.as_str()));
        for (s, &nth) in src.steps.iter().zip(&nth) {
            if let Some(when) = &s.when {
                let at = Some(At {
                    kind: ItemKind::Step,
                    id: &s.id,
                    nth,
                });
                let shape = self.condition(when, &patterns, at, 1);
                self.shape_problems(&shape, at);
            }
        }
        let nth = occurrences(src.rules.iter().map(|r| r.id.as_str()));
        for (r, &nth) in src.rules.iter().zip(&nth) {
            let at = Some(At {
                kind: ItemKind::Rule,
                id: &r.id,
                nth,
            });
            self.non_empty(&[("source", &r.source)], at);
            if r.then.is_empty() {
                self.push(K::NoActions, at, None, None);
            }
            let shape = self.condition(&r.when, &patterns, at, 1);
            self.shape_problems(&shape, at);
            let mut escalates = false;
            for action in &r.then {
                match action {
                    Action::Suggest(id, w) => {
                        if !diagnoses.contains(id.as_str()) {
                            self.unknown("diagnosis", id, &diagnoses, at);
                        }
                        if !(w.is_finite() && *w > 0.0 && *w <= MAX_WEIGHT) {
                            self.push(K::BadWeight(*w), at, Some("Suggest"), None);
                        }
                    }
                    Action::Recommend(ids) => {
                        if ids.is_empty() {
                            self.push(K::EmptyList("Recommend"), at, Some("Recommend"), None);
                        }
                        for id in ids {
                            if !steps.contains(id.as_str()) {
                                self.unknown("step", id, &steps, at);
                            }
                        }
                    }
                    Action::Factor(id) => {
                        if !factors.contains(id.as_str()) {
                            self.unknown("factor", id, &factors, at);
                        }
                    }
                    Action::Escalate(_, reason) => {
                        escalates = true;
                        self.non_empty(&[("reason", reason)], at);
                    }
                    Action::Withhold {
                        steps: ids,
                        tags: named,
                        reason,
                    } => self.withhold(ids, named, reason, &steps, &tags, at),
                }
            }
            if escalates && let Some(symptom) = shape.negated {
                self.push(
                    K::EscalateUnderNot(symptom.name().to_owned()),
                    at,
                    Some("Not"),
                    None,
                );
            }
        }
        self.unused(src);
        self.duplicate_rules(src);
    }

    /// Depth and never-true conditions, for a rule or a pattern.
    fn shape_problems(&mut self, shape: &Shape, at: Option<At<'_>>) {
        if shape.depth > MAX_DEPTH {
            self.push(K::TooDeep(MAX_DEPTH), at, None, None);
        }
        if let Some(why) = shape.implied.when_true.own_conflict() {
            let needle = conflict_needle(why);
            let hint = Some(why.to_owned());
            self.push(K::NeverTrue(why.to_owned()), at, needle.as_deref(), hint);
        }
    }

    fn non_empty(&mut self, fields: &[(&'static str, &str)], at: Option<At<'_>>) {
        for (name, value) in fields {
            if value.trim().is_empty() {
                self.push(K::Empty(name), at, Some(name), None);
            }
        }
    }

    /// Reports duplicates and empty ids, and returns the set of ids of one list.
    fn ids<'s>(&mut self, kind: ItemKind, ids: impl Iterator<Item = &'s str>) -> HashSet<&'s str> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for id in ids {
            let count = seen.entry(id).or_insert(0);
            *count += 1;
            let at = Some(At {
                kind,
                id,
                nth: *count - 1,
            });
            if id.trim().is_empty() {
                self.push(K::Empty("id"), at, None, None);
            } else if *count > 1 {
                let first = self
                    .located()
                    .and_then(|(text, index)| index.locate(text, kind.field(), id, 0));
                let hint = first.map(|p| format!("first declared at {p}; ids must be unique"));
                self.push(
                    K::DuplicateId {
                        what: kind.name(),
                        id: id.to_owned(),
                    },
                    at,
                    None,
                    hint,
                );
            }
        }
        seen.into_keys().collect()
    }

    fn unknown(&mut self, what: &'static str, id: &str, known: &HashSet<&str>, at: Option<At<'_>>) {
        let hint = Some(unknown_hint(what, id, known.iter().copied()));
        let needle = format!("\"{id}\"");
        self.push(
            K::UnknownReference {
                what,
                id: id.to_owned(),
            },
            at,
            Some(&needle),
            hint,
        );
    }

    /// Questions: unique ids, options to choose from, and each fact asked by one question.
    fn questions(&mut self, src: &RuleSetSource) {
        let ids: Vec<String> = src.questions.iter().map(QuestionDef::id).collect();
        self.ids(ItemKind::Question, ids.iter().map(String::as_str));
        let mut seen: HashSet<Fact> = HashSet::new();
        let nth = occurrences(ids.iter().map(String::as_str));
        for ((q, id), &nth) in src.questions.iter().zip(&ids).zip(&nth) {
            let at = Some(At {
                kind: ItemKind::Question,
                id,
                nth,
            });
            if let QuestionDef::OneOf { options, .. } | QuestionDef::AnyOf { options, .. } = q
                && options.is_empty()
            {
                self.push(K::EmptyList("options"), at, Some("options"), None);
            }
            self.non_empty(&[("text", q.text())], at);
            for fact in q.facts() {
                if !seen.insert(fact) {
                    let kind = K::DuplicateId {
                        what: "question",
                        id: fact.to_string(),
                    };
                    let hint = Some("ask each fact in one question only".to_owned());
                    self.push(kind, at, None, hint);
                }
            }
        }
    }

    /// Checks a `Withhold`: it names something, only steps and tags that exist, never the
    /// escalation step, and says why.
    fn withhold(
        &mut self,
        ids: &[String],
        named: &[String],
        reason: &str,
        steps: &HashSet<&str>,
        tags: &HashSet<&str>,
        at: Option<At<'_>>,
    ) {
        if ids.is_empty() && named.is_empty() {
            self.push(K::EmptyList("Withhold"), at, Some("Withhold"), None);
        }
        for id in ids {
            if id == RESERVED_STEP {
                let needle = format!("\"{id}\"");
                self.push(K::WithholdsEscalation(id.clone()), at, Some(&needle), None);
            } else if !steps.contains(id.as_str()) {
                self.unknown("step", id, steps, at);
            }
        }
        for tag in named {
            if !tags.contains(tag.as_str()) {
                self.unknown("tag", tag, tags, at);
            }
        }
        self.non_empty(&[("reason", reason)], at);
    }

    /// Analyses every pattern once, dependencies first, and reports cycles. Patterns in or
    /// behind a cycle get no shape, and `Is` of them counts as a leaf.
    fn patterns<'s>(&mut self, src: &'s RuleSetSource) -> HashMap<&'s str, Shape> {
        let mut shapes: HashMap<&str, Shape> = HashMap::new();
        let nth = occurrences(src.patterns.iter().map(|p| p.id.as_str()));
        for i in pattern_order(src) {
            let p = &src.patterns[i];
            let at = Some(At {
                kind: ItemKind::Pattern,
                id: &p.id,
                nth: nth[i],
            });
            let shape = self.condition(&p.when, &shapes, at, 1);
            if let Some(why) = shape.implied.when_true.own_conflict() {
                let needle = conflict_needle(why);
                let hint = Some(why.to_owned());
                self.push(K::NeverTrue(why.to_owned()), at, needle.as_deref(), hint);
            }
            shapes.insert(p.id.as_str(), shape);
        }
        for (p, &nth) in src.patterns.iter().zip(&nth) {
            if !shapes.contains_key(p.id.as_str()) {
                let at = Some(At {
                    kind: ItemKind::Pattern,
                    id: &p.id,
                    nth,
                });
                self.push(K::PatternCycle(p.id.clone()), at, None, None);
            }
        }
        shapes
    }

    /// Checks one condition tree and returns its shape. Stops descending past the depth
    /// limit, so a tree built in code cannot exhaust the stack here.
    fn condition(
        &mut self,
        c: &Condition,
        patterns: &HashMap<&str, Shape>,
        at: Option<At<'_>>,
        depth: usize,
    ) -> Shape {
        if depth > MAX_DEPTH {
            return Shape {
                depth,
                ..Shape::default()
            };
        }
        let leaf = Shape {
            depth,
            implied: Implied::leaf(c),
            ..Shape::default()
        };
        let list_shape = |this: &mut Self, list: &[Condition], all: bool, any: bool| {
            let mut acc = Shape {
                depth,
                ..Shape::default()
            };
            let mut parts = Vec::with_capacity(list.len());
            for child in list {
                let s = this.condition(child, patterns, at, depth + 1);
                acc.depth = acc.depth.max(s.depth);
                acc.positive = acc.positive.or(s.positive);
                acc.negated = acc.negated.or(s.negated);
                parts.push(s.implied);
            }
            acc.implied = Implied::combine(&parts, all, any);
            acc
        };
        match c {
            Condition::All(list) | Condition::Any(list) => {
                let all = matches!(c, Condition::All(_));
                if list.is_empty() {
                    let name = if all { "All" } else { "Any" };
                    self.push(K::EmptyList(name), at, Some(&format!("{name}([")), None);
                }
                // A list of one is its element, whichever the combinator.
                let single = list.len() == 1;
                list_shape(self, list, all || single, !all || single)
            }
            Condition::AtLeast(n, list) => {
                let n = *n;
                if n == 0 || n as usize > list.len() {
                    self.push(
                        K::BadAtLeast { n, len: list.len() },
                        at,
                        Some("AtLeast"),
                        None,
                    );
                }
                list_shape(self, list, n as usize == list.len(), n == 1)
            }
            Condition::Not(inner) => {
                let s = self.condition(inner, patterns, at, depth + 1);
                Shape {
                    depth: s.depth,
                    positive: s.negated,
                    negated: s.positive,
                    implied: s.implied.not(),
                }
            }
            Condition::Is(id) => match patterns.get(id.as_str()) {
                // Expanding `Is(p)` puts p's tree where the `Is` stands.
                Some(s) => Shape {
                    depth: depth - 1 + s.depth,
                    positive: s.positive,
                    negated: s.negated,
                    implied: s.implied.inherited(),
                },
                None => {
                    // Known patterns missing here are in a cycle, reported once elsewhere.
                    if !self.pattern_ids.contains(id.as_str()) {
                        let known: HashSet<&str> =
                            self.pattern_ids.iter().map(String::as_str).collect();
                        let hint = did_you_mean(id, known.iter().copied())
                            .map(|m| format!("did you mean `{m}`?"));
                        let needle = format!("\"{id}\"");
                        self.push(
                            K::UnknownReference {
                                what: "pattern",
                                id: id.clone(),
                            },
                            at,
                            Some(&needle),
                            hint,
                        );
                    }
                    Shape {
                        depth,
                        ..Shape::default()
                    }
                }
            },
            Condition::Has(s) => Shape {
                positive: Some(*s),
                ..leaf
            },
            _ => {
                if let Some((n, cmp)) = c.number() {
                    self.thresholds(n, cmp, at);
                }
                leaf
            }
        }
    }

    fn thresholds(&mut self, n: Num, cmp: super::Cmp, at: Option<At<'_>>) {
        let (lo, hi, range) = n.domain();
        for t in cmp.thresholds() {
            if !(t.is_finite() && lo <= t && t <= hi) {
                self.push(
                    K::ThresholdOutOfRange {
                        field: n.name(),
                        value: t,
                        range,
                    },
                    at,
                    Some(n.name()),
                    None,
                );
            }
        }
        if let super::Cmp::Between(a, b) = cmp
            && a > b
        {
            self.push(
                K::EmptyRange(a, b),
                at,
                Some("Between"),
                Some(format!("swap the bounds: `Between({b}, {a})`")),
            );
        }
    }

    /// Warns of catalogue entries and patterns that nothing refers to.
    fn unused(&mut self, src: &RuleSetSource) {
        let mut suggested = HashSet::new();
        let mut recommended = HashSet::new();
        let mut factored = HashSet::new();
        let mut used_patterns = HashSet::new();
        for d in &src.diagnoses {
            recommended.extend(d.steps.iter().map(String::as_str));
        }
        for r in &src.rules {
            referenced_patterns(&r.when, &mut |id| {
                used_patterns.insert(id);
            });
            for a in &r.then {
                match a {
                    Action::Suggest(id, _) => {
                        suggested.insert(id.as_str());
                    }
                    Action::Recommend(ids) => recommended.extend(ids.iter().map(String::as_str)),
                    Action::Factor(id) => {
                        factored.insert(id.as_str());
                    }
                    Action::Escalate(..) | Action::Withhold { .. } => {}
                }
            }
        }
        for s in &src.steps {
            if let Some(when) = &s.when {
                referenced_patterns(when, &mut |id| {
                    used_patterns.insert(id);
                });
            }
        }
        for p in &src.patterns {
            referenced_patterns(&p.when, &mut |id| {
                if id != p.id {
                    used_patterns.insert(id);
                }
            });
        }
        let lists: [(ItemKind, Vec<&str>, &HashSet<&str>); 4] = [
            (
                ItemKind::Diagnosis,
                src.diagnoses.iter().map(|d| d.id.as_str()).collect(),
                &suggested,
            ),
            (
                ItemKind::Step,
                src.steps.iter().map(|s| s.id.as_str()).collect(),
                &recommended,
            ),
            (
                ItemKind::Factor,
                src.factors.iter().map(|f| f.id.as_str()).collect(),
                &factored,
            ),
            (
                ItemKind::Pattern,
                src.patterns.iter().map(|p| p.id.as_str()).collect(),
                &used_patterns,
            ),
        ];
        for (kind, ids, used) in lists {
            let nth = occurrences(ids.iter().copied());
            for (id, nth) in ids.iter().zip(nth) {
                // Only the first of duplicates: the rest are errors already.
                if nth == 0 && !id.trim().is_empty() && !used.contains(id) && *id != RESERVED_STEP {
                    let at = Some(At { kind, id, nth });
                    self.push(
                        K::Unused {
                            what: kind.name(),
                            id: (*id).to_owned(),
                        },
                        at,
                        None,
                        None,
                    );
                }
            }
        }
    }

    /// Warns of rules that repeat an earlier rule's condition and actions.
    fn duplicate_rules(&mut self, src: &RuleSetSource) {
        // Rules grouped by a hash of everything `==` compares; only rules in one group are
        // compared, and only equal rules share a group in practice, so this stays linear.
        let mut seen: HashMap<u64, Vec<&Rule>> = HashMap::new();
        let nth = occurrences(src.rules.iter().map(|r| r.id.as_str()));
        for (r, &nth) in src.rules.iter().zip(&nth) {
            let mut h = std::hash::DefaultHasher::new();
            hash_condition(&r.when, &mut h, 0);
            hash_actions(&r.then, &mut h);
            let group = seen.entry(h.finish()).or_default();
            match group.iter().find(|x| x.when == r.when && x.then == r.then) {
                Some(first) => {
                    let at = Some(At {
                        kind: ItemKind::Rule,
                        id: &r.id,
                        nth,
                    });
                    self.push(K::DuplicateRule(first.id.clone()), at, None, None);
                }
                None => group.push(r),
            }
        }
    }
}

/// Hashes a condition as `==` compares it (-0.0 as 0.0): every node's kind and values, so
/// that only equal conditions share a hash in practice, to the depth a rule file can nest
/// (deeper parts, possible only in a set built in code, by their kind alone).
fn hash_condition(c: &Condition, h: &mut impl Hasher, depth: usize) {
    std::mem::discriminant(c).hash(h);
    if depth > crate::limits::MAX_NESTING {
        return;
    }
    match c {
        Condition::All(list) | Condition::Any(list) | Condition::AtLeast(_, list) => {
            if let Condition::AtLeast(k, _) = c {
                k.hash(h);
            }
            list.len().hash(h);
            for x in list {
                hash_condition(x, h, depth + 1);
            }
        }
        Condition::Not(x) => hash_condition(x, h, depth + 1),
        Condition::Is(id) => id.hash(h),
        Condition::Has(x) => x.hash(h),
        Condition::Location(x) => x.hash(h),
        Condition::Onset(x) => x.hash(h),
        Condition::Mechanism(x) => x.hash(h),
        Condition::History(x) => x.hash(h),
        Condition::Sex(x) => x.hash(h),
        Condition::Surface(x) => x.hash(h),
        Condition::Missing(x) => x.hash(h),
        // The comparisons: which number is in the kind, hashed above.
        _ => {
            if let Some((_, cmp)) = c.number() {
                std::mem::discriminant(&cmp).hash(h);
                match cmp {
                    Cmp::Above(x) | Cmp::AtLeast(x) | Cmp::Below(x) | Cmp::AtMost(x) => {
                        number(x, h);
                    }
                    Cmp::Between(a, b) => {
                        number(a, h);
                        number(b, h);
                    }
                }
            }
        }
    }
}

/// Hashes actions as `==` compares them: kinds, targets, weights, texts and lists.
fn hash_actions(then: &[Action], h: &mut impl Hasher) {
    then.len().hash(h);
    for a in then {
        std::mem::discriminant(a).hash(h);
        match a {
            Action::Suggest(id, weight) => {
                id.hash(h);
                number(*weight, h);
            }
            Action::Recommend(steps) => steps.hash(h),
            Action::Escalate(level, reason) => {
                level.hash(h);
                reason.hash(h);
            }
            Action::Factor(id) => id.hash(h),
            Action::Withhold {
                steps,
                tags,
                reason,
            } => {
                steps.hash(h);
                tags.hash(h);
                reason.hash(h);
            }
        }
    }
}

/// Hashes a number as `==` compares it: 0.0 and -0.0 alike.
fn number(x: f64, h: &mut impl Hasher) {
    (if x == 0.0 { 0.0f64 } else { x }).to_bits().hash(h);
}

/// `YYYY-MM-DD` with a month from 1 to 12 and a day from 1 to 31.
fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let number = |p: &str, len: usize| {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse::<u32>().ok())
    };
    matches!(
        (parts.as_slice(), parts.len()),
        ([y, m, d], 3)
            if number(y, 4).flatten().is_some()
                && number(m, 2).flatten().is_some_and(|m| (1..=12).contains(&m))
                && number(d, 2).flatten().is_some_and(|d| (1..=31).contains(&d))
    )
}

/// The hint a kind of problem gets when nothing more specific is known.
/// The condition to point at for a condition that can never hold: the last test the reason
/// quotes (in "`Onset(Acute)` and `Onset(Chronic)` cannot both hold", the one that clashed),
/// found in the file when it is written as quoted.
fn conflict_needle(why: &str) -> Option<String> {
    let quoted: Vec<&str> = why.split('`').skip(1).step_by(2).collect();
    quoted.last().map(|q| (*q).to_owned())
}

/// The indices of the patterns in an order where each comes after every pattern it uses.
/// Patterns in a cycle, or using one, are left out. Kahn's algorithm: iterative, so a long
/// chain of patterns cannot exhaust the stack.
pub(crate) fn pattern_order(src: &RuleSetSource) -> Vec<usize> {
    let index: HashMap<&str, usize> = src
        .patterns
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let mut waiting = vec![0usize; src.patterns.len()];
    let mut used_by: Vec<Vec<usize>> = vec![Vec::new(); src.patterns.len()];
    for (i, p) in src.patterns.iter().enumerate() {
        referenced_patterns(&p.when, &mut |id| {
            if let Some(&j) = index.get(id) {
                waiting[i] += 1;
                used_by[j].push(i);
            }
        });
    }
    let mut ready: Vec<usize> = (0..waiting.len()).filter(|&i| waiting[i] == 0).collect();
    ready.reverse(); // pop from the front of the file first
    let mut order = Vec::with_capacity(waiting.len());
    while let Some(i) = ready.pop() {
        order.push(i);
        for &k in &used_by[i] {
            waiting[k] -= 1;
            if waiting[k] == 0 {
                ready.push(k);
            }
        }
    }
    order
}

/// Calls `f` with the id of every `Is` in the tree (not descending into patterns).
fn referenced_patterns<'c>(c: &'c Condition, f: &mut impl FnMut(&'c str)) {
    let mut stack = vec![c];
    while let Some(c) = stack.pop() {
        match c {
            Condition::All(l) | Condition::Any(l) | Condition::AtLeast(_, l) => stack.extend(l),
            Condition::Not(inner) => stack.push(inner),
            Condition::Is(id) => f(id),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::DiagnosticKind as ValidationErrorKind;
    use crate::parse::parse_ron;

    /// The errors of `text`; warnings are tested on their own.
    fn problems(text: &str) -> Vec<Diagnostic> {
        let src: RuleSetSource = parse_ron(text, usize::MAX).unwrap();
        validate(&src, Some(text))
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect()
    }

    fn kinds(p: &[Diagnostic]) -> Vec<(&ValidationErrorKind, Option<&str>)> {
        p.iter()
            .filter(|d| d.is_error())
            .map(|e| (&e.kind, e.item.as_ref().map(|i| i.id.as_str())))
            .collect()
    }

    const CATALOGUE: &str = r#"
    diagnoses: [Diagnosis(id: "d", name: "D", source: "S", steps: ["s"])],
    steps: [Step(id: "s", phase: Immediate, text: "Rest.")],
    factors: [Factor(id: "f", text: "F", advice: "A")],
    "#;

    fn with_rules(rules: &str) -> String {
        format!(r#"RuleSet(name: "t", version: "1", {CATALOGUE} rules: [{rules}])"#)
    }

    fn line_of(text: &str, needle: &str) -> usize {
        text.lines().position(|l| l.contains(needle)).unwrap() + 1
    }

    #[test]
    fn a_clean_set_has_no_problems() {
        let text = with_rules(
            r#"Rule(id: "r", when: Has(Fever), then: [Suggest("d", 1.0), Recommend(["s"]), Factor("f")], source: "S")"#,
        );
        assert_eq!(problems(&text), vec![]);
    }

    #[test]
    fn reports_every_problem_with_its_rule_and_line() {
        let text = with_rules(
            r#"
            Rule(id: "a", when: All([]), then: [Suggest("nope", 1.0)], source: "S"),
            Rule(id: "b", when: AtLeast(3, [Has(Fever)]), then: [Suggest("d", -1.0)], source: ""),
            Rule(id: "b", when: Not(Has(Fever)), then: [Escalate(Doctor, "x")], source: "S"),
            Rule(id: "c", when: Age(Between(60, 50)), then: [Suggest("d", 1e6), Recommend([])], source: "S"),
            "#,
        );
        let p = problems(&text);
        let k = kinds(&p);
        for expected in [
            (ValidationErrorKind::EmptyList("All"), "a"),
            (
                ValidationErrorKind::UnknownReference {
                    what: "diagnosis",
                    id: "nope".into(),
                },
                "a",
            ),
            (ValidationErrorKind::BadAtLeast { n: 3, len: 1 }, "b"),
            (ValidationErrorKind::BadWeight(-1.0), "b"),
            (ValidationErrorKind::Empty("source"), "b"),
            (ValidationErrorKind::EscalateUnderNot("Fever".into()), "b"),
            (
                ValidationErrorKind::DuplicateId {
                    what: "rule",
                    id: "b".into(),
                },
                "b",
            ),
            (ValidationErrorKind::EmptyRange(60.0, 50.0), "c"),
            (ValidationErrorKind::BadWeight(1e6), "c"),
            (ValidationErrorKind::EmptyList("Recommend"), "c"),
        ] {
            assert!(
                k.contains(&(&expected.0, Some(expected.1))),
                "{expected:?} not in {k:?}"
            );
        }
        assert_eq!(p.len(), 10, "{p:?}");
        let dup = p
            .iter()
            .find(|e| matches!(e.kind, ValidationErrorKind::DuplicateId { .. }))
            .unwrap();
        // The duplicate is reported at the second `b`, not the first.
        assert_eq!(
            dup.position.unwrap().line,
            line_of(&text, "Not(Has(Fever))")
        );
        // An unknown reference points at the reference itself, not at the rule.
        let a = p
            .iter()
            .find(|e| matches!(e.kind, ValidationErrorKind::UnknownReference { .. }))
            .unwrap();
        let line = line_of(&text, "id: \"a\"");
        let column = text
            .lines()
            .nth(line - 1)
            .unwrap()
            .find("\"nope\"")
            .unwrap()
            + 1;
        assert_eq!(a.position, Some(crate::Position { line, column }));
    }

    #[test]
    fn a_rule_repeating_another_is_found_and_a_near_copy_is_not() {
        // Deep enough that the hash stops looking before the one difference.
        let deep = |leaf: &str| format!("{}{leaf}{}", "Not(Not(".repeat(6), "))".repeat(6));
        let rule = |id: &str, when: &str, then: &str| {
            format!(r#"Rule(id: "{id}", when: {when}, then: [{then}], source: "S")"#)
        };
        let text = format!(
            r#"RuleSet(name: "t", version: "1",
            diagnoses: [Diagnosis(id: "d", name: "D", source: "S")],
            rules: [{}])"#,
            [
                rule("a", "Age(Above(0.0))", r#"Suggest("d", 1.0)"#),
                rule("b", "Age(Above(-0.0))", r#"Suggest("d", 1.0)"#),
                rule("c", "Age(Above(0.0))", r#"Suggest("d", 2.0)"#),
                rule("e", &deep("Has(Fever)"), r#"Escalate(Doctor, "x")"#),
                rule("f", &deep("Has(Swelling)"), r#"Escalate(Doctor, "x")"#),
                rule("g", &deep("Has(Fever)"), r#"Escalate(Doctor, "x")"#),
            ]
            .join(",")
        );
        let src: RuleSetSource = parse_ron(&text, usize::MAX).unwrap();
        let found: Vec<(String, String)> = validate(&src, Some(&text))
            .into_iter()
            .filter_map(|d| match d.kind {
                ValidationErrorKind::DuplicateRule(first) => Some((d.item?.id, first)),
                _ => None,
            })
            .collect();
        let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
        assert_eq!(found, vec![pair("b", "a"), pair("g", "e")]);
    }

    #[test]
    fn positions_follow_the_list_an_id_belongs_to() {
        // `s` is both a step and a rule; the step's problem points at the step.
        let text = r#"RuleSet(name: "t", version: "1",
    diagnoses: [Diagnosis(id: "d", name: "D", source: "S", steps: ["s"])],
    rules: [Rule(id: "s", when: Has(Fever), then: [Suggest("d", 1.0)], source: "S")],
    steps: [Step(id: "s", phase: Immediate, text: " ")],
)"#;
        let p = problems(text);
        assert_eq!(
            kinds(&p),
            vec![(&ValidationErrorKind::Empty("text"), Some("s"))]
        );
        assert_eq!(p[0].position.unwrap().line, 4);
    }

    #[test]
    fn review_dates_are_checked() {
        for (date, ok) in [
            ("2026-11-25", true),
            ("2026-13-01", false),
            ("25/11/2026", false),
            ("2026-1-5", false),
        ] {
            let text = format!(r#"RuleSet(name: "t", version: "1", reviewed: "{date}")"#);
            let bad = problems(&text).iter().any(|p| p.code() == "E0116");
            assert_eq!(bad, !ok, "{date}");
        }
    }

    #[test]
    fn the_escalation_step_id_is_reserved() {
        let text = r#"RuleSet(name: "t", version: "1",
            steps: [Step(id: "escalation", phase: Immediate, text: "Go.")])"#;
        assert_eq!(
            problems(text)[0].kind,
            ValidationErrorKind::ReservedId("escalation")
        );
    }

    #[test]
    fn escalation_under_not_is_found_through_patterns() {
        let text = format!(
            r#"RuleSet(name: "t", version: "1", {CATALOGUE}
            patterns: [Pattern(id: "no_fever", when: Not(Has(Fever))), Pattern(id: "p", when: Is("no_fever"))],
            rules: [Rule(id: "r", when: Is("p"), then: [Escalate(Doctor, "x")], source: "S")])"#
        );
        let p = problems(&text);
        assert_eq!(
            kinds(&p),
            vec![(
                &ValidationErrorKind::EscalateUnderNot("Fever".into()),
                Some("r")
            )]
        );
        // A double negation is a positive test, and is allowed.
        let text = with_rules(
            r#"Rule(id: "r", when: Not(Not(Has(Fever))), then: [Escalate(Doctor, "x")], source: "S")"#,
        );
        assert_eq!(problems(&text), vec![]);
    }

    #[test]
    fn pattern_cycles_and_unknown_patterns_are_refused() {
        let text = format!(
            r#"RuleSet(name: "t", version: "1", {CATALOGUE}
            patterns: [Pattern(id: "p", when: Is("q")), Pattern(id: "q", when: Any([Is("p")]))],
            rules: [Rule(id: "r", when: Any([Is("p"), Is("zz")]), then: [Factor("f")], source: "S")])"#
        );
        let p = problems(&text);
        assert_eq!(
            kinds(&p),
            vec![
                (&ValidationErrorKind::PatternCycle("p".into()), Some("p")),
                (&ValidationErrorKind::PatternCycle("q".into()), Some("q")),
                (
                    &ValidationErrorKind::UnknownReference {
                        what: "pattern",
                        id: "zz".into()
                    },
                    Some("r")
                ),
            ]
        );
    }

    #[test]
    fn depth_counts_through_patterns_and_is_reported_once() {
        let deep = format!("{}Has(Fever){}", "Not(".repeat(40), ")".repeat(40));
        let text = with_rules(&format!(
            r#"Rule(id: "r", when: {deep}, then: [Factor("f")], source: "S")"#
        ));
        assert_eq!(
            kinds(&problems(&text)),
            vec![(&ValidationErrorKind::TooDeep(MAX_DEPTH), Some("r"))]
        );

        // Forty patterns, each a `Not` over the one before: forty levels once expanded.
        let patterns: Vec<String> = (0..40)
            .map(|i| {
                let inner = if i == 0 {
                    "Has(Fever)".to_string()
                } else {
                    format!("Is(\"p{}\")", i - 1)
                };
                format!(r#"Pattern(id: "p{i}", when: Not({inner}))"#)
            })
            .collect();
        let text = format!(
            r#"RuleSet(name: "t", version: "1", {CATALOGUE} patterns: [{}],
            rules: [Rule(id: "r", when: Is("p39"), then: [Factor("f")], source: "S")])"#,
            patterns.join(",")
        );
        let p = problems(&text);
        assert!(
            kinds(&p).contains(&(&ValidationErrorKind::TooDeep(MAX_DEPTH), Some("r"))),
            "{p:?}"
        );
    }
}

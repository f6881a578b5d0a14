//! Semantic checks of a parsed rule file: every problem at once, each naming the rule or
//! catalogue entry at fault and, when the file's text is known, its line and column.
//!
//! What passes here can be compiled and evaluated without any further check: references
//! resolve, patterns are acyclic, nesting is bounded. The work is linear in the size of the
//! file: each pattern is analysed once, never expanded, so patterns that use patterns many
//! times over cannot blow up.

use std::collections::{HashMap, HashSet};

use super::locate::IdIndex;
use super::{Action, Condition, RuleSetSource};
use crate::error::{ValidationError, ValidationErrorKind};
use crate::model::Symptom;

/// Deepest nesting of conditions allowed, patterns expanded. Real rules need a handful.
pub(crate) const MAX_DEPTH: usize = 32;

/// Largest weight a `Suggest` may carry; sums of many stay far from overflow.
pub(crate) const MAX_WEIGHT: f64 = 1000.0;

/// The step id the report uses for the escalation action; catalogues may not take it.
const RESERVED_STEP: &str = crate::report::ESCALATION_STEP;

/// Collects every problem of `src`. `text` is the file it came from, used for positions.
pub(crate) fn validate(src: &RuleSetSource, text: Option<&str>) -> Vec<ValidationError> {
    let mut v = Validator {
        located: text.map(|t| (t, IdIndex::new(t))),
        errors: Vec::new(),
        pattern_ids: src.patterns.iter().map(|p| p.id.clone()).collect(),
    };
    v.check(src);
    v.errors
}

/// Which top-level list an item belongs to, and its id.
type Item<'a> = (&'static str, &'a str);

struct Validator<'t> {
    located: Option<(&'t str, IdIndex)>,
    errors: Vec<ValidationError>,
    /// Every declared pattern id, to tell an unknown pattern from one caught in a cycle.
    pattern_ids: HashSet<String>,
}

/// What a condition tree tests, patterns expanded: how deep it goes, and a symptom tested
/// under an even (`positive`) or odd (`negated`) number of `Not`s.
#[derive(Debug, Clone, Copy, Default)]
struct Shape {
    depth: usize,
    positive: Option<Symptom>,
    negated: Option<Symptom>,
}

impl Validator<'_> {
    fn push(&mut self, kind: ValidationErrorKind, item: Option<Item<'_>>, nth: usize) {
        let position = match (&self.located, item) {
            (Some((text, index)), Some((field, id))) => index.locate(text, field, id, nth),
            _ => None,
        };
        self.errors.push(ValidationError {
            kind,
            item: item.map(|(_, id)| id.to_owned()),
            position,
        });
    }

    fn check(&mut self, src: &RuleSetSource) {
        if src.name.trim().is_empty() {
            self.push(ValidationErrorKind::Empty("name"), None, 0);
        }
        if src.version.trim().is_empty() {
            self.push(ValidationErrorKind::Empty("version"), None, 0);
        }
        let diagnoses = self.ids("diagnoses", src.diagnoses.iter().map(|d| d.id.as_str()));
        let steps = self.ids("steps", src.steps.iter().map(|s| s.id.as_str()));
        let factors = self.ids("factors", src.factors.iter().map(|f| f.id.as_str()));
        self.ids("patterns", src.patterns.iter().map(|p| p.id.as_str()));
        self.ids("rules", src.rules.iter().map(|r| r.id.as_str()));

        for d in &src.diagnoses {
            let item = Some(("diagnoses", d.id.as_str()));
            self.non_empty(&[("name", &d.name), ("source", &d.source)], item);
            for s in &d.steps {
                if !steps.contains(s.as_str()) {
                    self.unknown("step", s, item);
                }
            }
        }
        for s in &src.steps {
            let item = Some(("steps", s.id.as_str()));
            if s.id == RESERVED_STEP {
                self.push(ValidationErrorKind::ReservedId(RESERVED_STEP), item, 0);
            }
            self.non_empty(&[("text", &s.text)], item);
        }
        for f in &src.factors {
            let item = Some(("factors", f.id.as_str()));
            self.non_empty(&[("text", &f.text), ("advice", &f.advice)], item);
        }

        let patterns = self.patterns(src);
        for r in &src.rules {
            let item = Some(("rules", r.id.as_str()));
            self.non_empty(&[("source", &r.source)], item);
            if r.then.is_empty() {
                self.push(ValidationErrorKind::NoActions, item, 0);
            }
            let shape = self.condition(&r.when, &patterns, item, 1);
            if shape.depth > MAX_DEPTH {
                self.push(ValidationErrorKind::TooDeep(MAX_DEPTH), item, 0);
            }
            let mut escalates = false;
            for action in &r.then {
                match action {
                    Action::Suggest(id, w) => {
                        if !diagnoses.contains(id.as_str()) {
                            self.unknown("diagnosis", id, item);
                        }
                        if !(w.is_finite() && *w > 0.0 && *w <= MAX_WEIGHT) {
                            self.push(ValidationErrorKind::BadWeight(*w), item, 0);
                        }
                    }
                    Action::Recommend(ids) => {
                        if ids.is_empty() {
                            self.push(ValidationErrorKind::EmptyList("Recommend"), item, 0);
                        }
                        for id in ids {
                            if !steps.contains(id.as_str()) {
                                self.unknown("step", id, item);
                            }
                        }
                    }
                    Action::Factor(id) => {
                        if !factors.contains(id.as_str()) {
                            self.unknown("factor", id, item);
                        }
                    }
                    Action::Escalate(_, reason) => {
                        escalates = true;
                        self.non_empty(&[("reason", reason)], item);
                    }
                }
            }
            if escalates && let Some(symptom) = shape.negated {
                self.push(
                    ValidationErrorKind::EscalateUnderNot(symptom.name().to_owned()),
                    item,
                    0,
                );
            }
        }
    }

    fn non_empty(&mut self, fields: &[(&'static str, &str)], item: Option<Item<'_>>) {
        for (name, value) in fields {
            if value.trim().is_empty() {
                self.push(ValidationErrorKind::Empty(name), item, 0);
            }
        }
    }

    /// Reports duplicates and returns the set of ids of one list.
    fn ids<'s>(
        &mut self,
        field: &'static str,
        ids: impl Iterator<Item = &'s str>,
    ) -> HashSet<&'s str> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for id in ids {
            let count = seen.entry(id).or_insert(0);
            *count += 1;
            if id.trim().is_empty() {
                self.push(ValidationErrorKind::Empty("id"), None, 0);
            } else if *count > 1 {
                let nth = *count - 1;
                self.push(
                    ValidationErrorKind::DuplicateId {
                        what: singular(field),
                        id: id.to_owned(),
                    },
                    Some((field, id)),
                    nth,
                );
            }
        }
        seen.into_keys().collect()
    }

    fn unknown(&mut self, what: &'static str, id: &str, item: Option<Item<'_>>) {
        self.push(
            ValidationErrorKind::UnknownReference {
                what,
                id: id.to_owned(),
            },
            item,
            0,
        );
    }

    /// Analyses every pattern once, dependencies first, and reports cycles. Patterns in or
    /// behind a cycle get no shape, and `Is` of them counts as a leaf.
    fn patterns<'s>(&mut self, src: &'s RuleSetSource) -> HashMap<&'s str, Shape> {
        let mut shapes: HashMap<&str, Shape> = HashMap::new();
        for i in pattern_order(src) {
            let p = &src.patterns[i];
            let shape = self.condition(&p.when, &shapes, Some(("patterns", &p.id)), 1);
            shapes.insert(p.id.as_str(), shape);
        }
        for p in &src.patterns {
            if !shapes.contains_key(p.id.as_str()) {
                self.push(
                    ValidationErrorKind::PatternCycle(p.id.clone()),
                    Some(("patterns", &p.id)),
                    0,
                );
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
        item: Option<Item<'_>>,
        depth: usize,
    ) -> Shape {
        if depth > MAX_DEPTH {
            return Shape {
                depth,
                ..Shape::default()
            };
        }
        let list_shape = |this: &mut Self, list: &[Condition]| {
            let mut acc = Shape {
                depth,
                ..Shape::default()
            };
            for child in list {
                let s = this.condition(child, patterns, item, depth + 1);
                acc.depth = acc.depth.max(s.depth);
                acc.positive = acc.positive.or(s.positive);
                acc.negated = acc.negated.or(s.negated);
            }
            acc
        };
        match c {
            Condition::All(list) | Condition::Any(list) => {
                if list.is_empty() {
                    let name = if matches!(c, Condition::All(_)) {
                        "All"
                    } else {
                        "Any"
                    };
                    self.push(ValidationErrorKind::EmptyList(name), item, 0);
                }
                list_shape(self, list)
            }
            Condition::AtLeast(n, list) => {
                if *n == 0 || *n as usize > list.len() {
                    self.push(
                        ValidationErrorKind::BadAtLeast {
                            n: *n,
                            len: list.len(),
                        },
                        item,
                        0,
                    );
                }
                list_shape(self, list)
            }
            Condition::Not(inner) => {
                let s = self.condition(inner, patterns, item, depth + 1);
                Shape {
                    depth: s.depth,
                    positive: s.negated,
                    negated: s.positive,
                }
            }
            Condition::Is(id) => match patterns.get(id.as_str()) {
                // Expanding `Is(p)` puts p's tree where the `Is` stands.
                Some(s) => Shape {
                    depth: depth - 1 + s.depth,
                    ..*s
                },
                None => {
                    // Known patterns missing here are in a cycle, reported once elsewhere.
                    if !self.pattern_exists(id) {
                        self.unknown("pattern", id, item);
                    }
                    Shape {
                        depth,
                        ..Shape::default()
                    }
                }
            },
            Condition::Has(s) => Shape {
                depth,
                positive: Some(*s),
                negated: None,
            },
            Condition::Age(cmp)
            | Condition::DaysSinceOnset(cmp)
            | Condition::PainScore(cmp)
            | Condition::Bmi(cmp)
            | Condition::WeeklyKm(cmp)
            | Condition::WeeklyIncreasePct(cmp)
            | Condition::Acwr(cmp)
            | Condition::ShoeKm(cmp) => {
                for t in cmp.thresholds() {
                    if !t.is_finite() {
                        self.push(ValidationErrorKind::BadThreshold(t), item, 0);
                    }
                }
                if let super::Cmp::Between(a, b) = cmp
                    && a > b
                {
                    self.push(ValidationErrorKind::EmptyRange(*a, *b), item, 0);
                }
                Shape {
                    depth,
                    ..Shape::default()
                }
            }
            _ => Shape {
                depth,
                ..Shape::default()
            },
        }
    }

    fn pattern_exists(&self, id: &str) -> bool {
        self.pattern_ids.contains(id)
    }
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

fn singular(field: &'static str) -> &'static str {
    match field {
        "diagnoses" => "diagnosis",
        "steps" => "step",
        "factors" => "factor",
        "patterns" => "pattern",
        _ => "rule",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::parse_ron;

    fn problems(text: &str) -> Vec<ValidationError> {
        let src: RuleSetSource = parse_ron(text).unwrap();
        validate(&src, Some(text))
    }

    fn kinds(p: &[ValidationError]) -> Vec<(&ValidationErrorKind, Option<&str>)> {
        p.iter().map(|e| (&e.kind, e.item.as_deref())).collect()
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
        let a = p.iter().find(|e| e.item.as_deref() == Some("a")).unwrap();
        assert_eq!(a.position.unwrap().line, line_of(&text, "id: \"a\""));
        assert_eq!(a.position.unwrap().column, 22); // the opening quote of the id
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

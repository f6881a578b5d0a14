//! Semantic checks of a parsed rule file: every problem at once, each naming the rule or
//! catalogue entry at fault and, when the file's text is known, its line and column.
//!
//! What passes here can be compiled and evaluated without any further check: references
//! resolve, patterns are acyclic and nesting is bounded.

use std::collections::{HashMap, HashSet};

use super::{Action, Condition, RuleSetSource};
use crate::error::{Position, ValidationError, ValidationErrorKind};

/// Deepest nesting of conditions allowed, patterns expanded. Real rules need a handful.
pub(crate) const MAX_DEPTH: usize = 32;

/// Collects every problem of `src`. `text` is the file it came from, used for positions.
pub(crate) fn validate(src: &RuleSetSource, text: Option<&str>) -> Vec<ValidationError> {
    let mut v = Validator {
        text,
        errors: Vec::new(),
    };
    v.check(src);
    v.errors
}

struct Validator<'a> {
    text: Option<&'a str>,
    errors: Vec<ValidationError>,
}

impl Validator<'_> {
    fn push(&mut self, kind: ValidationErrorKind, item: Option<&str>, nth: usize) {
        let position = match (self.text, item) {
            (Some(text), Some(id)) => locate_id(text, id, nth),
            _ => None,
        };
        self.errors.push(ValidationError {
            kind,
            item: item.map(str::to_owned),
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
        let diagnoses = self.ids("diagnosis", src.diagnoses.iter().map(|d| d.id.as_str()));
        let steps = self.ids("step", src.steps.iter().map(|s| s.id.as_str()));
        let factors = self.ids("factor", src.factors.iter().map(|f| f.id.as_str()));
        let patterns: HashMap<&str, &Condition> = src
            .patterns
            .iter()
            .map(|p| (p.id.as_str(), &p.when))
            .collect();
        self.ids("pattern", src.patterns.iter().map(|p| p.id.as_str()));
        self.ids("rule", src.rules.iter().map(|r| r.id.as_str()));

        for d in &src.diagnoses {
            if d.name.trim().is_empty() {
                self.push(ValidationErrorKind::Empty("name"), Some(&d.id), 0);
            }
            if d.source.trim().is_empty() {
                self.push(ValidationErrorKind::Empty("source"), Some(&d.id), 0);
            }
            for s in &d.steps {
                if !steps.contains(s.as_str()) {
                    self.unknown("step", s, &d.id);
                }
            }
        }
        for p in &src.patterns {
            self.condition(&p.id, &p.when, &patterns, &mut Vec::new(), 1, 0);
        }
        for r in &src.rules {
            if r.source.trim().is_empty() {
                self.push(ValidationErrorKind::Empty("source"), Some(&r.id), 0);
            }
            if r.then.is_empty() {
                self.push(ValidationErrorKind::NoActions, Some(&r.id), 0);
            }
            self.condition(&r.id, &r.when, &patterns, &mut Vec::new(), 1, 0);
            let mut escalates = false;
            for action in &r.then {
                match action {
                    Action::Suggest(id, w) => {
                        if !diagnoses.contains(id.as_str()) {
                            self.unknown("diagnosis", id, &r.id);
                        }
                        if !(w.is_finite() && *w > 0.0) {
                            self.push(ValidationErrorKind::BadWeight(*w), Some(&r.id), 0);
                        }
                    }
                    Action::Recommend(ids) => {
                        for id in ids {
                            if !steps.contains(id.as_str()) {
                                self.unknown("step", id, &r.id);
                            }
                        }
                    }
                    Action::Factor(id) => {
                        if !factors.contains(id.as_str()) {
                            self.unknown("factor", id, &r.id);
                        }
                    }
                    Action::Escalate(_, reason) => {
                        escalates = true;
                        if reason.trim().is_empty() {
                            self.push(ValidationErrorKind::Empty("reason"), Some(&r.id), 0);
                        }
                    }
                }
            }
            if escalates && let Some(symptom) = negated_symptom(&r.when, &patterns, false, 0) {
                self.push(
                    ValidationErrorKind::EscalateUnderNot(symptom),
                    Some(&r.id),
                    0,
                );
            }
        }
    }

    /// Reports duplicates and returns the set of ids.
    fn ids<'s>(
        &mut self,
        what: &'static str,
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
                        what,
                        id: id.to_owned(),
                    },
                    Some(id),
                    nth,
                );
            }
        }
        seen.into_keys().collect()
    }

    fn unknown(&mut self, what: &'static str, id: &str, item: &str) {
        self.push(
            ValidationErrorKind::UnknownReference {
                what,
                id: id.to_owned(),
            },
            Some(item),
            0,
        );
    }

    /// Checks one condition tree; `stack` holds the patterns being expanded, for cycles.
    fn condition<'c>(
        &mut self,
        item: &str,
        c: &'c Condition,
        patterns: &HashMap<&'c str, &'c Condition>,
        stack: &mut Vec<&'c str>,
        depth: usize,
        reported_depth: usize,
    ) -> usize {
        if depth > MAX_DEPTH {
            if reported_depth == 0 {
                self.push(ValidationErrorKind::TooDeep(MAX_DEPTH), Some(item), 0);
            }
            return 1;
        }
        let mut reported = reported_depth;
        let mut children = |this: &mut Self, list: &'c [Condition], stack: &mut Vec<&'c str>| {
            for child in list {
                reported += this.condition(item, child, patterns, stack, depth + 1, reported);
            }
        };
        match c {
            Condition::All(list) | Condition::Any(list) => {
                if list.is_empty() {
                    let name = if matches!(c, Condition::All(_)) {
                        "All"
                    } else {
                        "Any"
                    };
                    self.push(ValidationErrorKind::EmptyList(name), Some(item), 0);
                }
                children(self, list, stack);
            }
            Condition::AtLeast(n, list) => {
                if *n == 0 || *n as usize > list.len() {
                    self.push(
                        ValidationErrorKind::BadAtLeast {
                            n: *n,
                            len: list.len(),
                        },
                        Some(item),
                        0,
                    );
                }
                children(self, list, stack);
            }
            Condition::Not(inner) => {
                children(self, std::slice::from_ref(inner), stack);
            }
            Condition::Is(id) => match patterns.get(id.as_str()) {
                None => self.unknown("pattern", id, item),
                Some(_) if stack.contains(&id.as_str()) => {
                    self.push(ValidationErrorKind::PatternCycle(id.clone()), Some(item), 0);
                }
                Some(inner) => {
                    stack.push(id.as_str());
                    children(self, std::slice::from_ref(*inner), stack);
                    stack.pop();
                }
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
                        self.push(ValidationErrorKind::BadThreshold(t), Some(item), 0);
                    }
                }
            }
            _ => {}
        }
        reported - reported_depth
    }
}

/// The first symptom tested under an odd number of `Not`s, patterns expanded.
fn negated_symptom(
    c: &Condition,
    patterns: &HashMap<&str, &Condition>,
    negated: bool,
    depth: usize,
) -> Option<String> {
    // Depth and cycles are reported elsewhere; stop rather than recurse forever.
    if depth > MAX_DEPTH {
        return None;
    }
    let any = |list: &[Condition]| {
        list.iter()
            .find_map(|x| negated_symptom(x, patterns, negated, depth + 1))
    };
    match c {
        Condition::All(list) | Condition::Any(list) | Condition::AtLeast(_, list) => any(list),
        Condition::Not(inner) => negated_symptom(inner, patterns, !negated, depth + 1),
        Condition::Is(id) => patterns
            .get(id.as_str())
            .and_then(|p| negated_symptom(p, patterns, negated, depth + 1)),
        Condition::Has(s) if negated => Some(s.name().to_owned()),
        _ => None,
    }
}

/// Finds the `nth` (0-based) place where `id` is declared as `id: "..."` in `text`.
pub(crate) fn locate_id(text: &str, id: &str, nth: usize) -> Option<Position> {
    let quoted = format!("\"{id}\"");
    text.match_indices(&quoted)
        .filter(|(at, _)| {
            let before = text[..*at].trim_end();
            before.ends_with("id:")
        })
        .nth(nth)
        .map(|(at, _)| Position::of_offset(text, at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::parse_ron;

    fn problems(text: &str) -> Vec<ValidationError> {
        let src: RuleSetSource = parse_ron(text).unwrap();
        validate(&src, Some(text))
    }

    const CATALOGUE: &str = r#"
    diagnoses: [Diagnosis(id: "d", name: "D", source: "S", steps: ["s"])],
    steps: [Step(id: "s", phase: Immediate, text: "Rest.")],
    factors: [Factor(id: "f", text: "F", advice: "A")],
    "#;

    fn with_rules(rules: &str) -> String {
        format!(r#"RuleSet(name: "t", version: "1", {CATALOGUE} rules: [{rules}])"#)
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
            "#,
        );
        let p = problems(&text);
        let kinds: Vec<_> = p.iter().map(|e| (&e.kind, e.item.as_deref())).collect();
        assert!(kinds.contains(&(&ValidationErrorKind::EmptyList("All"), Some("a"))));
        assert!(kinds.contains(&(
            &ValidationErrorKind::UnknownReference {
                what: "diagnosis",
                id: "nope".into()
            },
            Some("a")
        )));
        assert!(kinds.contains(&(&ValidationErrorKind::BadAtLeast { n: 3, len: 1 }, Some("b"))));
        assert!(kinds.contains(&(&ValidationErrorKind::BadWeight(-1.0), Some("b"))));
        assert!(kinds.contains(&(&ValidationErrorKind::Empty("source"), Some("b"))));
        assert!(kinds.contains(&(
            &ValidationErrorKind::EscalateUnderNot("Fever".into()),
            Some("b")
        )));
        assert!(kinds.contains(&(
            &ValidationErrorKind::DuplicateId {
                what: "rule",
                id: "b".into()
            },
            Some("b")
        )));
        let dup = p
            .iter()
            .find(|e| matches!(e.kind, ValidationErrorKind::DuplicateId { .. }))
            .unwrap();
        let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
        // The duplicate is reported at the second `b`, not the first.
        assert_eq!(dup.position.unwrap().line, line_of("Not(Has(Fever))"));
        let a = p.iter().find(|e| e.item.as_deref() == Some("a")).unwrap();
        assert_eq!(a.position.unwrap().line, line_of("id: \"a\""));
        assert_eq!(a.position.unwrap().column, 22); // the opening quote of the id
    }

    #[test]
    fn escalation_under_not_is_found_through_patterns() {
        let text = format!(
            r#"RuleSet(name: "t", version: "1", {CATALOGUE}
            patterns: [Pattern(id: "no_fever", when: Not(Has(Fever)))],
            rules: [Rule(id: "r", when: Is("no_fever"), then: [Escalate(Doctor, "x")], source: "S")])"#
        );
        let p = problems(&text);
        assert_eq!(
            p[0].kind,
            ValidationErrorKind::EscalateUnderNot("Fever".into())
        );
        // A double negation is a positive test, and is allowed.
        let text = with_rules(
            r#"Rule(id: "r", when: Not(Not(Has(Fever))), then: [Escalate(Doctor, "x")], source: "S")"#,
        );
        assert_eq!(problems(&text), vec![]);
    }

    #[test]
    fn pattern_cycles_and_depth_are_refused() {
        let text = format!(
            r#"RuleSet(name: "t", version: "1", {CATALOGUE}
            patterns: [Pattern(id: "p", when: Is("q")), Pattern(id: "q", when: Any([Is("p")]))],
            rules: [Rule(id: "r", when: Is("p"), then: [Factor("f")], source: "S")])"#
        );
        assert!(
            problems(&text)
                .iter()
                .any(|e| matches!(e.kind, ValidationErrorKind::PatternCycle(_)))
        );
        let deep = format!("{}Has(Fever){}", "Not(".repeat(40), ")".repeat(40));
        let text = with_rules(&format!(
            r#"Rule(id: "r", when: {deep}, then: [Factor("f")], source: "S")"#
        ));
        let p = problems(&text);
        assert_eq!(
            p.iter()
                .filter(|e| e.kind == ValidationErrorKind::TooDeep(MAX_DEPTH))
                .count(),
            1,
            "{p:?}"
        );
    }
}

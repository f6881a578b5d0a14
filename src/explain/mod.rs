//! Explanations: why each diagnosis is in the report and in its place, why a plausible one is
//! absent, and why this escalation ([`RuleSet::explain`]). The types are in `why.rs`; this
//! file is the algorithm, which reads the compiled rule set the way evaluation does.

mod why;

pub use why::{Added, Contribution, Explanation, Failed, Why, WhyNot, WithheldStep};

use crate::engine::RuleSet;
use crate::engine::closeness::parts_of;
use crate::engine::compiled;
use crate::engine::node::Lazy;
use crate::engine::run;
use crate::engine::tri::Tri;
use crate::facts::Facts;
use crate::model::Assessment;
use crate::text::Text;

/// How many missing diagnoses an explanation accounts for.
const SHOWN_ABSENT: usize = 5;

impl RuleSet {
    /// The report with its reasons: the rules and facts behind each diagnosis and the weights
    /// that order them, the rule that came closest for each plausible diagnosis left out (and
    /// which parts of its condition failed), and the escalation's reasons with their sources.
    /// Its `Display` is for a person; it is also serde data.
    ///
    /// ```
    /// use patella::{Assessment, RuleSet};
    /// let a = Assessment::from_ron("(onset: Chronic, locations: [AroundKneecap], present: [PainOnStairs])")?;
    /// let why = RuleSet::default().explain(&a);
    /// let top = &why.diagnoses[0];
    /// assert_eq!(top.id, "patellofemoral_pain");
    /// assert!(top.contributions.iter().any(|c| c.facts.iter().any(|f| f == "PainOnStairs")));
    /// assert!(why.to_string().contains("Why this escalation"));
    /// # Ok::<(), patella::AssessmentError>(())
    /// ```
    #[must_use]
    pub fn explain(&self, assessment: &Assessment) -> Explanation {
        let c = self.compiled();
        let src = self.source();
        let facts = Facts::from_assessment(assessment);
        let mut run = run::Run::default();
        run::run(c, &facts, &mut run);
        let report = crate::engine::report(c, &facts, &run);

        let mut diagnoses = Vec::with_capacity(report.diagnoses.len());
        let mut above: Option<f64> = None;
        for d in &report.diagnoses {
            let mut contributions = Vec::new();
            for &ri in &run.fired {
                let rule = &c.rules[ri];
                for a in &rule.then {
                    if let compiled::Action::Suggest(di, w) = a
                        && c.diagnoses.get(*di).is_some_and(|x| x.id == d.id)
                    {
                        contributions.push(Contribution {
                            rule: rule.id.clone(),
                            weight: *w,
                            facts: crate::engine::rule_facts(c, &facts, ri),
                            source: rule.source.clone(),
                        });
                    }
                }
            }
            diagnoses.push(Why {
                id: d.id.clone(),
                name: d.name.clone(),
                weight: d.weight,
                behind_by: above.map(|w| w - d.weight),
                contributions,
            });
            above = Some(d.weight);
        }

        // Every other rule that fired: what it added (factors, steps) and on which facts.
        let mut other_rules = Vec::new();
        for &ri in &run.fired {
            let rule = &c.rules[ri];
            let explained = rule.then.iter().any(|a| {
                matches!(
                    a,
                    compiled::Action::Suggest(..) | compiled::Action::Escalate(..)
                )
            });
            if explained {
                continue;
            }
            let (mut factors, mut steps) = (Vec::new(), Vec::new());
            for a in &rule.then {
                match a {
                    compiled::Action::Factor(f) => {
                        factors.extend(c.factors.get(*f).map(|x| x.id.clone()))
                    }
                    compiled::Action::Recommend(ids, _) => {
                        steps.extend(
                            ids.iter()
                                .filter_map(|s| c.steps.get(*s))
                                .map(|s| s.id.clone()),
                        );
                    }
                    _ => {}
                }
            }
            other_rules.push(Added {
                rule: rule.id.clone(),
                facts: crate::engine::rule_facts(c, &facts, ri),
                factors,
                steps,
                source: rule.source.clone(),
            });
        }

        // Steps recommended but left out, and what left them out.
        let withheld = run
            .withheld
            .iter()
            .map(|&(s, why)| {
                let step = c.steps[s].id.clone();
                let (by, reason) = match why {
                    run::Withheld::Rule(ri, w) => {
                        (c.rules[ri].id.clone(), c.withholds[w].reason.clone())
                    }
                    run::Withheld::Diagnosis(d) => {
                        let diagnosis = &c.diagnoses[d];
                        let reason = diagnosis
                            .withhold
                            .map_or_else(|| Text::from(""), |w| c.withholds[w].reason.clone());
                        (diagnosis.id.clone(), reason)
                    }
                    run::Withheld::Level => (
                        Text::from("level"),
                        Text::from(format!(
                            "not given at {}: no advice to keep running or to manage alone from Doctor up, no rehabilitation or prevention from UrgentCare up",
                            run.level
                        )),
                    ),
                    run::Withheld::Condition => (
                        step.clone(),
                        Text::from("the step's own condition does not hold for this runner"),
                    ),
                    run::Withheld::Override(o) => (
                        c.steps[o].id.clone(),
                        Text::from(format!("superseded by the stricter step `{}`", c.steps[o].id)),
                    ),
                };
                WithheldStep { step, by, reason }
            })
            .collect();

        // The closest a missing diagnosis came: its rule with the largest share of the parts
        // of its condition (the items of a top-level `All`) holding.
        let closeness = self.closeness();
        let mut values = vec![None; c.patterns.len()];
        let mut patterns = Lazy {
            nodes: &c.patterns,
            values: &mut values,
        };
        let mut absent: Vec<(f64, WhyNot)> = Vec::new();
        let mut values_of_parts: Vec<Tri> = Vec::new();
        for (d, suggesting) in closeness.by_diagnosis.iter().enumerate() {
            if run.weight.get(d).is_some_and(|w| *w > 0.0) {
                continue;
            }
            // The best rule so far (rules in id order, so a tie keeps the smaller id): its
            // share, and the value of each of its parts. Only the winner's are written out.
            let mut best: Option<(f64, usize, Vec<Tri>)> = None;
            for &ri in suggesting {
                let parts = &closeness.parts[ri];
                values_of_parts.clear();
                values_of_parts.extend(parts.iter().map(|p| p.eval(&facts, &mut patterns)));
                let held = values_of_parts.iter().filter(|v| **v == Tri::True).count();
                let score = held as f64 / values_of_parts.len().max(1) as f64;
                if held == 0 || best.as_ref().is_some_and(|(s, _, _)| *s >= score) {
                    continue;
                }
                best = Some((score, ri, values_of_parts.clone()));
            }
            let Some((score, ri, values)) = best else {
                continue;
            };
            let (Some(rule), Some(diag)) = (
                closeness.source_rule[ri].and_then(|i| src.rules.get(i)),
                c.diagnoses.get(d),
            ) else {
                continue;
            };
            let (mut held, mut failed) = (Vec::new(), Vec::new());
            for (part, v) in parts_of(&rule.when).into_iter().zip(values) {
                let text = ron::to_string(part).unwrap_or_else(|_| format!("{part:?}"));
                match v {
                    Tri::True => held.push(text),
                    v => failed.push(Failed {
                        condition: text,
                        unknown: v == Tri::Unknown,
                    }),
                }
            }
            absent.push((
                score,
                WhyNot {
                    id: diag.id.clone(),
                    name: diag.name.clone(),
                    closest_rule: rule.id.as_str().into(),
                    held,
                    failed,
                },
            ));
        }
        absent.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
        Explanation {
            report,
            diagnoses,
            other_rules,
            withheld,
            absent: absent
                .into_iter()
                .take(SHOWN_ABSENT)
                .map(|(_, w)| w)
                .collect(),
        }
    }
}

//! Why a report says what it says, as data and as text: the rules and facts behind each
//! diagnosis, the weights that order them, the closest a missing diagnosis came, and the reasons
//! for the escalation with their sources ([`RuleSet::explain`](crate::RuleSet::explain)).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::report::Report;

use crate::text::Text;

use crate::vocab::Level;

/// A report and the reasons behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Explanation {
    /// The report explained.
    pub report: Report,
    /// Why each diagnosis of the differential is there, in its order.
    pub diagnoses: Vec<Why>,
    /// Diagnoses that are not in the differential but came close: the rule that came
    /// closest and the parts of its condition that did not hold.
    pub absent: Vec<WhyNot>,
    /// Every other rule that fired, for the contributing factors and steps it added: with
    /// the diagnoses and the escalation's reasons, every fired rule is explained.
    pub other_rules: Vec<Added>,
    /// Steps that were recommended but left out of the report, and why.
    pub withheld: Vec<WithheldStep>,
}

/// A step recommended (by a rule or a diagnosis's catalogue) but left out of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WithheldStep {
    /// The step, by id.
    pub step: Text,
    /// What left it out: a rule's id, a diagnosis's id (its contraindications), the stricter
    /// step's id that superseded it, `level` for the level's gates, or the step's own id when
    /// its condition does not hold.
    pub by: Text,
    /// Why.
    pub reason: Text,
}

/// A fired rule that neither suggested a diagnosis nor escalated: what it added, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Added {
    /// The rule.
    pub rule: Text,
    /// The facts it matched.
    pub facts: Vec<Text>,
    /// The contributing factors it reported, by id.
    pub factors: Vec<Text>,
    /// The steps it recommended, by id.
    pub steps: Vec<Text>,
    /// Its published source.
    pub source: Text,
}

/// Why a diagnosis is in the differential, and where it ranks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Why {
    /// The diagnosis.
    pub id: Text,
    /// Its name.
    pub name: Text,
    /// Its total weight: the sum of the contributions.
    pub weight: f64,
    /// How far below the diagnosis ranked above it (none for the top one).
    pub behind_by: Option<f64>,
    /// Each rule that suggested it.
    pub contributions: Vec<Contribution>,
}

/// One rule's part in a diagnosis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Contribution {
    /// The rule.
    pub rule: Text,
    /// The weight it added.
    pub weight: f64,
    /// The facts it matched.
    pub facts: Vec<Text>,
    /// Its published source.
    pub source: Text,
}

/// Why a plausible diagnosis is not in the differential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WhyNot {
    /// The diagnosis.
    pub id: Text,
    /// Its name.
    pub name: Text,
    /// The rule suggesting it that came closest to firing.
    pub closest_rule: Text,
    /// Parts of that rule's condition that held.
    pub held: Vec<String>,
    /// Parts that did not: false, or unknown for want of an answer.
    pub failed: Vec<Failed>,
}

/// A part of a condition that stopped a rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Failed {
    /// The part, as written in the rule file.
    pub condition: String,
    /// False, or unknown: an answer could still make it hold.
    pub unknown: bool,
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Why these diagnoses:")?;
        if self.diagnoses.is_empty() {
            writeln!(f, "  no rule suggested one.")?;
        }
        for (i, d) in self.diagnoses.iter().enumerate() {
            write!(
                f,
                "  {}. {} (`{}`), weight {}",
                i + 1,
                d.name,
                d.id,
                round(d.weight)
            )?;
            match d.behind_by {
                Some(gap) if gap > 0.0 => writeln!(f, ", {} below the one above", round(gap))?,
                Some(_) => writeln!(f, ", tied with the one above and placed after it by id")?,
                None => writeln!(f)?,
            }
            for c in &d.contributions {
                let facts: Vec<&str> = c.facts.iter().map(Text::as_str).collect();
                writeln!(
                    f,
                    "     +{} from `{}`: {}",
                    round(c.weight),
                    c.rule,
                    if facts.is_empty() {
                        "its condition held".to_owned()
                    } else {
                        facts.join(", ")
                    }
                )?;
            }
        }
        if !self.absent.is_empty() {
            writeln!(f, "\nWhy not:")?;
            for w in &self.absent {
                let failed: Vec<String> = w
                    .failed
                    .iter()
                    .map(|x| {
                        let how = if x.unknown { "unknown" } else { "false" };
                        format!("{} ({how})", x.condition)
                    })
                    .collect();
                writeln!(
                    f,
                    "  {} (`{}`): closest rule `{}` held on {} of {} parts; missing {}",
                    w.name,
                    w.id,
                    w.closest_rule,
                    w.held.len(),
                    w.held.len() + w.failed.len(),
                    failed.join(", ")
                )?;
            }
        }
        if !self.other_rules.is_empty() {
            writeln!(f, "\nWhy these factors and steps:")?;
            for a in &self.other_rules {
                let mut added: Vec<String> = Vec::new();
                if !a.factors.is_empty() {
                    let ids: Vec<&str> = a.factors.iter().map(Text::as_str).collect();
                    added.push(format!("factor {}", ids.join(", ")));
                }
                if !a.steps.is_empty() {
                    let ids: Vec<&str> = a.steps.iter().map(Text::as_str).collect();
                    added.push(format!("steps {}", ids.join(", ")));
                }
                let facts: Vec<&str> = a.facts.iter().map(Text::as_str).collect();
                writeln!(
                    f,
                    "  `{}` added {}: {}",
                    a.rule,
                    added.join("; "),
                    if facts.is_empty() {
                        "its condition held".to_owned()
                    } else {
                        facts.join(", ")
                    }
                )?;
                writeln!(f, "     source: {}", a.source)?;
            }
        }
        if !self.withheld.is_empty() {
            writeln!(f, "\nSteps left out:")?;
            for x in &self.withheld {
                writeln!(f, "  {} (by `{}`): {}", x.step, x.by, x.reason)?;
            }
        }
        let e = &self.report.escalation;
        writeln!(f, "\nWhy this escalation: {}", e.level)?;
        if e.reasons.is_empty() {
            writeln!(f, "  no red flag fired: {}", Level::SelfCare.action())?;
        }
        for r in &e.reasons {
            writeln!(f, "  {} from `{}`: {}", r.level, r.rule, r.text)?;
            writeln!(f, "     source: {}", r.source)?;
        }
        Ok(())
    }
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

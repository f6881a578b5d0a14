//! A report as a CDS Hooks card (the `cds` feature), for a clinic's record system: a summary
//! under 140 characters, the urgency as the card's indicator, the reasons and the leading
//! conditions as Markdown, and the rule set as the source. Field names and limits follow the
//! card of the CDS Hooks 2.0 specification (<https://cds-hooks.hl7.org/2.0/#card-attributes>).

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::report::{Report, heading};
use crate::vocab::Level;

/// The longest summary a card may carry, in characters: the specification asks for fewer
/// than 140.
pub const SUMMARY_LIMIT: usize = 139;

/// A CDS Hooks card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Card {
    /// One sentence, under 140 characters: how soon, and the leading condition.
    pub summary: String,
    /// `info` at `SelfCare` and `SportsMedicine`, `warning` at `Doctor`, `critical` at
    /// `UrgentCare` and `Emergency`.
    pub indicator: Indicator,
    /// The action, the reasons with the rules behind them, and the leading conditions with
    /// their codes, in GitHub Flavored Markdown.
    pub detail: String,
    /// The rule set that made the report.
    pub source: Source,
}

/// How urgent a card is, as CDS Hooks names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Indicator {
    /// For information.
    Info,
    /// Urgent or highly relevant.
    Warning,
    /// To be addressed immediately.
    Critical,
}

/// Where a card's guidance comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Source {
    /// The rule set and its version, as reports name it.
    pub label: String,
}

impl Report {
    /// The report as a CDS Hooks card.
    ///
    /// ```
    /// # use patella::{Assessment, Onset, RuleSet, Symptom};
    /// let mut a = Assessment::new(Onset::Acute);
    /// a.present = vec![Symptom::Fever, Symptom::HotRedKnee, Symptom::Swelling];
    /// let card = RuleSet::default().evaluate(&a).cds_card();
    /// assert_eq!(serde_json::to_value(&card)?["indicator"], "critical");
    /// assert!(card.summary.chars().count() < 140);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn cds_card(&self) -> Card {
        let level = self.escalation.level;
        let indicator = match level {
            Level::SelfCare | Level::SportsMedicine => Indicator::Info,
            Level::Doctor => Indicator::Warning,
            Level::UrgentCare | Level::Emergency => Indicator::Critical,
        };
        let summary = match self.top() {
            Some(d) => format!("{}: {}", heading(level), d.name),
            None => format!("{}: no condition stands out", heading(level)),
        };
        Card {
            summary: shorten(&summary, SUMMARY_LIMIT),
            indicator,
            detail: self.markdown(),
            source: Source {
                label: format!("patella: {}", self.rule_set),
            },
        }
    }

    /// The action, the reasons and the leading conditions, as Markdown.
    fn markdown(&self) -> String {
        let mut md = String::with_capacity(512);
        let level = self.escalation.level;
        // Writing to a String cannot fail.
        let _ = writeln!(md, "**{}**: {}", heading(level), level.action());
        if !self.escalation.reasons.is_empty() {
            md.push_str("\n**Why**\n\n");
            for r in &self.escalation.reasons {
                let _ = writeln!(md, "- {} (rule `{}`)", escape(&r.text), r.rule);
            }
        }
        if !self.diagnoses.is_empty() {
            md.push_str("\n**Most likely**\n\n");
            for (i, d) in self.diagnoses.iter().take(3).enumerate() {
                let _ = write!(md, "{}. {}", i + 1, escape(&d.name));
                let codes: Vec<String> = [
                    ("ICD-10", &d.codes.icd10),
                    ("ICD-10-CM", &d.codes.icd10_cm),
                    ("SNOMED CT", &d.codes.snomed),
                ]
                .into_iter()
                .filter_map(|(system, c)| c.as_ref().map(|c| format!("{system} {c}")))
                .collect();
                if !codes.is_empty() {
                    let _ = write!(md, " ({})", codes.join(", "));
                }
                md.push('\n');
            }
        }
        md
    }
}

/// At most `limit` characters, cut at a word with an ellipsis when it has to be cut.
fn shorten(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_owned();
    }
    let keep: String = text.chars().take(limit.saturating_sub(1)).collect();
    let cut = keep.rfind(' ').filter(|&i| i > 0).unwrap_or(keep.len());
    format!("{}…", keep[..cut].trim_end())
}

/// Markdown's special characters in rule text, escaped so that a reason reads as written.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|' | '\\'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn summaries_are_cut_at_a_word_under_the_limit() {
        let long = "word ".repeat(60);
        let s = shorten(&long, 139);
        assert!(s.chars().count() <= 139, "{}", s.chars().count());
        assert!(s.ends_with("word…"));
        assert_eq!(shorten("short", 139), "short");
        // Multi-byte text never splits a character.
        let accents = "é".repeat(200);
        assert!(shorten(&accents, 139).chars().count() <= 139);
    }
}

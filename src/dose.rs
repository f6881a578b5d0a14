//! How much of an exercise: shared by the rule language (a step's dose) and the report.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How much of an exercise: every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Dose {
    /// Sets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sets: Option<u32>,
    /// Repetitions per set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reps: Option<u32>,
    /// Seconds to hold each repetition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_seconds: Option<u32>,
    /// How often, in words ("daily", "three times a week").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<String>,
}

impl fmt::Display for Dose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        match (self.sets, self.reps) {
            (Some(s), Some(r)) => parts.push(format!("{s} x {r}")),
            (Some(1), None) => parts.push("1 set".to_owned()),
            (Some(s), None) => parts.push(format!("{s} sets")),
            (None, Some(r)) => parts.push(format!("{r} reps")),
            (None, None) => {}
        }
        if let Some(h) = self.hold_seconds {
            parts.push(format!("hold {h} s"));
        }
        if let Some(fr) = &self.frequency {
            parts.push(fr.clone());
        }
        f.write_str(&parts.join(", "))
    }
}

//! What the validator says about a rule set: [`Diagnostic`]s, each an error or a warning with a
//! stable code, the rule or catalogue entry at fault, its position in the file and a hint.
//!
//! Codes never change meaning once published, so programs and CI scripts may match on them.
//! `E01xx` are errors (the set is refused), `W02xx` warnings (the set loads). Parse errors
//! carry `E00xx` codes ([`ParseError::code`](crate::ParseError::code)).

use std::fmt;

/// A position in a text file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Position {
    /// Line, counted from 1.
    pub line: usize,
    /// Column in characters, counted from 1.
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

use serde::Serialize;

pub(crate) use crate::suggest::did_you_mean;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[non_exhaustive]
pub enum Severity {
    /// The rule set loads, but something in it is probably not what its author meant.
    Warning,
    /// The rule set is refused.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Which list of the rule file an item belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum ItemKind {
    /// An entry of `rules`.
    Rule,
    /// An entry of `patterns`.
    Pattern,
    /// An entry of `diagnoses`.
    Diagnosis,
    /// An entry of `steps`.
    Step,
    /// An entry of `factors`.
    Factor,
    /// A value of the `training` section; the id is its path, such as `plan.pain_limit`.
    Training,
    /// An entry of `questions`; the id is its `id`, or for a one-fact question the fact.
    Question,
}

impl ItemKind {
    /// The word for it in messages: "rule", "pattern", ...
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            ItemKind::Rule => "rule",
            ItemKind::Pattern => "pattern",
            ItemKind::Diagnosis => "diagnosis",
            ItemKind::Step => "step",
            ItemKind::Factor => "factor",
            ItemKind::Training => "training",
            ItemKind::Question => "question",
        }
    }

    /// The top-level field of the rule file that holds the list.
    pub(crate) fn field(self) -> &'static str {
        match self {
            ItemKind::Rule => "rules",
            ItemKind::Pattern => "patterns",
            ItemKind::Diagnosis => "diagnoses",
            ItemKind::Step => "steps",
            ItemKind::Factor => "factors",
            ItemKind::Training => "training",
            ItemKind::Question => "questions",
        }
    }
}

/// The rule, pattern or catalogue entry a diagnostic is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Item {
    /// Its list.
    pub kind: ItemKind,
    /// Its id, as written (possibly empty, when that is the problem).
    pub id: String,
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} `{}`", self.kind.name(), self.id)
    }
}

/// One thing the validator found: what ([`kind`](Self::kind), with a stable
/// [`code`](Self::code)), where (the item and its position in the file), and how to fix it.
///
/// Its `Display` is one line: ``LINE:COL: error[E0102]: rule `r`: unknown step `ice` (hint)``.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Diagnostic {
    /// What is wrong.
    pub kind: DiagnosticKind,
    /// The rule, pattern or catalogue entry at fault; none for the file's name and version.
    pub item: Option<Item>,
    /// Where, when the rule set was loaded from text: the offending reference when it can be
    /// found, else the item's id.
    pub position: Option<Position>,
    /// A suggestion, such as the id that was probably meant.
    pub hint: Option<String>,
    /// The file the item is in, for a set loaded from several
    /// ([`RuleSet::layered`](crate::RuleSet::layered)).
    pub file: Option<String>,
    /// The text inside the item to point at (a reference, say), so that a set merged from
    /// several files locates it as precisely as a single file does.
    #[serde(skip)]
    pub(crate) needle: Option<String>,
}

impl Diagnostic {
    /// The one way to make a diagnostic: what, the item at fault, and a hint, with the kind's
    /// usual hint when none is given. Position and file are filled in by whoever knows them.
    pub(crate) fn new(
        kind: DiagnosticKind,
        item: Option<Item>,
        hint: Option<String>,
    ) -> Diagnostic {
        let hint = hint.or_else(|| default_hint(&kind).map(str::to_owned));
        Diagnostic {
            kind,
            item,
            position: None,
            hint,
            file: None,
            needle: None,
        }
    }

    /// Error or warning.
    #[must_use]
    pub fn severity(&self) -> Severity {
        self.kind.severity()
    }

    /// The stable code, such as `E0102`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// True for errors, which stop a rule set from loading.
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }

    /// The message without position or code: the item, then the problem.
    #[must_use]
    pub fn message(&self) -> String {
        match &self.item {
            Some(item) => format!("{item}: {}", self.kind),
            None => self.kind.to_string(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.position) {
            (Some(file), Some(p)) => write!(f, "{file}:{p}: ")?,
            (Some(file), None) => write!(f, "{file}: ")?,
            (None, Some(p)) => write!(f, "{p}: ")?,
            (None, None) => {}
        }
        write!(
            f,
            "{}[{}]: {}",
            self.severity(),
            self.code(),
            self.message()
        )?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// The kinds of problem the validator finds. Each has a stable [`code`](Self::code) and a
/// [`severity`](Self::severity).
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// `E0001` to `E0007`: the text is not a rule file at all (see
    /// [`ParseError::code`](crate::ParseError::code)); the same problem as a [`ParseError`](crate::ParseError),
    /// as a diagnostic, so that a program can list every problem of a file one way.
    #[error("{message}")]
    Parse {
        /// `E0001` to `E0007`.
        code: &'static str,
        /// What is wrong.
        message: String,
        /// The names that would have been valid, for an unknown name or field.
        expected: Vec<&'static str>,
    },
    /// `E0101`: two entries of one catalogue, or two rules, share an id.
    #[error("id `{id}` is already used by an earlier {what}")]
    DuplicateId {
        /// Which list: "rule", "diagnosis", "step", "factor" or "pattern".
        what: &'static str,
        /// The repeated id.
        id: String,
    },
    /// `E0102`: a reference to an id that no catalogue defines.
    #[error("unknown {what} `{id}`")]
    UnknownReference {
        /// What kind of entry was expected.
        what: &'static str,
        /// The id as written.
        id: String,
    },
    /// `E0103`: `All([])`, `Any([])` or `Recommend([])`.
    #[error("empty `{0}` list")]
    EmptyList(&'static str),
    /// `E0104`: `AtLeast(n, list)` with n of 0 (always true) or larger than the list (never
    /// true).
    #[error("`AtLeast({n}, ..)` over a list of {len}: n must be from 1 to the length of the list")]
    BadAtLeast {
        /// The count required.
        n: u32,
        /// The number of conditions given.
        len: usize,
    },
    /// `E0105`: a condition no assessment can make true, so the rule can never fire. Holds
    /// the reason, such as "`Onset(Acute)` and `Onset(Chronic)` cannot both hold".
    #[error("condition can never be true")]
    NeverTrue(String),
    /// `E0106`: an `Escalate` action whose condition tests a symptom under `Not`.
    #[error(
        "escalates only while `{0}` is absent: adding a symptom must never lower the escalation"
    )]
    EscalateUnderNot(String),
    /// `E0107`: a weight that is not a finite number above zero and at most 1000.
    #[error("weight `{0}` must be a number above 0 and at most 1000")]
    BadWeight(f64),
    /// `E0108`: a threshold that is not finite, or outside what the field can hold.
    #[error("threshold `{value}` for `{field}` is outside its valid range ({range})")]
    ThresholdOutOfRange {
        /// The condition, such as `Age`.
        field: &'static str,
        /// The threshold as written.
        value: f64,
        /// The valid range in words.
        range: &'static str,
    },
    /// `E0109`: `Between(a, b)` with a above b: no value is in it.
    #[error("`Between({0}, {1})` is empty: the first bound must not exceed the second")]
    EmptyRange(f64, f64),
    /// `E0110`: conditions nested deeper than the limit.
    #[error("conditions nested deeper than {0} levels")]
    TooDeep(usize),
    /// `E0111`: a required text, such as a rule's `source`, is empty.
    #[error("`{0}` must not be empty")]
    Empty(&'static str),
    /// `E0112`: an id the crate uses itself.
    #[error("the id `{0}` is reserved")]
    ReservedId(&'static str),
    /// `E0113`: a pattern that refers to itself, directly or through others, or depends on
    /// one that does.
    #[error("pattern `{0}` is in, or depends on, a cycle of patterns")]
    PatternCycle(String),
    /// `E0114`: a rule with no actions.
    #[error("rule has no actions")]
    NoActions,
    /// `E0115`: a list longer than [`MAX_ENTRIES`](crate::limits::MAX_ENTRIES).
    #[error("`{field}` has {count} entries, more than the limit of {max}")]
    TooMany {
        /// The list: "rules", "patterns", "diagnoses", "steps" or "factors".
        field: &'static str,
        /// How many it has.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// `E0116`: a `reviewed` date that is not `YYYY-MM-DD`.
    #[error("`reviewed` is `{0}`, not a date written as YYYY-MM-DD")]
    BadDate(String),
    /// `E0117`: a value of the `training` section that cannot be used: out of range, zones
    /// out of order, a plan without starts. The diagnostic's item names the value.
    #[error("{0}")]
    BadTraining(String),
    /// `E0118`: a `Withhold` that names the escalation step, which no rule may hide.
    #[error("withholds the escalation step `{0}`")]
    WithholdsEscalation(String),
    /// `E0119`: a step that overrides itself, or two steps that override each other, so that
    /// neither could ever be shown.
    #[error("step overrides `{0}`, which overrides it back")]
    OverrideCycle(String),
    /// `E0120`: a diagnosis code that does not have its classification's shape.
    #[error("`{code}` is not a {system} code")]
    BadCode {
        /// The classification: `ICD-10`, `ICD-10-CM` or `SNOMED CT`.
        system: &'static str,
        /// The code as written.
        code: String,
    },
    /// `W0204`: a layer disables a rule that escalates, replaces it with one that escalates
    /// less, or replaces a pattern that escalating rules rely on: the layer's authors take over
    /// that red flag.
    #[error(
        "the layer removes or weakens a red flag: `{0}` escalates, or escalating rules rely on it"
    )]
    RemovesEscalation(String),
    /// `W0201`: a catalogue entry or pattern that no rule can reach.
    #[error("nothing refers to it")]
    Unused {
        /// "diagnosis", "step", "factor" or "pattern".
        what: &'static str,
        /// Its id.
        id: String,
    },
    /// `W0202`: a rule with the same condition and actions as an earlier one.
    #[error("same condition and actions as rule `{0}`")]
    DuplicateRule(String),
    /// `W0203`: a diagnosis with no treatment step of its own.
    #[error("diagnosis has no treatment steps")]
    NoSteps,
}

impl DiagnosticKind {
    /// The stable code: `E01xx` for errors, `W02xx` for warnings.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            DiagnosticKind::Parse { code, .. } => code,
            DiagnosticKind::DuplicateId { .. } => "E0101",
            DiagnosticKind::UnknownReference { .. } => "E0102",
            DiagnosticKind::EmptyList(_) => "E0103",
            DiagnosticKind::BadAtLeast { .. } => "E0104",
            DiagnosticKind::NeverTrue(_) => "E0105",
            DiagnosticKind::EscalateUnderNot(_) => "E0106",
            DiagnosticKind::BadWeight(_) => "E0107",
            DiagnosticKind::ThresholdOutOfRange { .. } => "E0108",
            DiagnosticKind::EmptyRange(..) => "E0109",
            DiagnosticKind::TooDeep(_) => "E0110",
            DiagnosticKind::Empty(_) => "E0111",
            DiagnosticKind::ReservedId(_) => "E0112",
            DiagnosticKind::PatternCycle(_) => "E0113",
            DiagnosticKind::NoActions => "E0114",
            DiagnosticKind::TooMany { .. } => "E0115",
            DiagnosticKind::BadDate(_) => "E0116",
            DiagnosticKind::BadTraining(_) => "E0117",
            DiagnosticKind::WithholdsEscalation(_) => "E0118",
            DiagnosticKind::OverrideCycle(_) => "E0119",
            DiagnosticKind::BadCode { .. } => "E0120",
            DiagnosticKind::Unused { .. } => "W0201",
            DiagnosticKind::DuplicateRule(_) => "W0202",
            DiagnosticKind::NoSteps => "W0203",
            DiagnosticKind::RemovesEscalation(_) => "W0204",
        }
    }

    /// Warnings let the rule set load; errors do not.
    #[must_use]
    pub fn severity(&self) -> Severity {
        match self {
            DiagnosticKind::Unused { .. }
            | DiagnosticKind::DuplicateRule(_)
            | DiagnosticKind::NoSteps
            | DiagnosticKind::RemovesEscalation(_) => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

/// The usual hint for a kind of problem, when the finder has nothing more specific.
fn default_hint(kind: &DiagnosticKind) -> Option<&'static str> {
    Some(match kind {
        DiagnosticKind::EmptyList("Recommend") => "list at least one step id",
        DiagnosticKind::EmptyList("Withhold") => "name at least one step or tag to leave out",
        DiagnosticKind::EmptyList(_) => {
            "an empty `All` is always true and an empty `Any` never true: list at least one condition"
        }
        DiagnosticKind::BadAtLeast { .. } => {
            "use `All` when every condition must hold, `Any` when one is enough"
        }
        DiagnosticKind::EscalateUnderNot(_) => {
            "escalate on what is present; keep tests of absent symptoms in rules that only suggest"
        }
        DiagnosticKind::BadWeight(_) => {
            "weights add up per diagnosis: use a positive number such as 1.0"
        }
        DiagnosticKind::TooDeep(_) => "flatten nested `All`s and `Any`s",
        DiagnosticKind::Empty("source") => {
            "cite the published source: authors or body, year, title, journal"
        }
        DiagnosticKind::Empty(_) => "write the text, or remove the entry",
        DiagnosticKind::ReservedId(_) => {
            "the report uses this id for the escalation step: choose another"
        }
        DiagnosticKind::PatternCycle(_) => {
            "a pattern cannot use itself, directly or through other patterns"
        }
        DiagnosticKind::NoActions => "add `Suggest`, `Recommend`, `Escalate` or `Factor` to `then`",
        DiagnosticKind::Unused { .. } => "refer to it from a rule, or remove it",
        DiagnosticKind::DuplicateRule(_) => "remove one of the two rules",
        DiagnosticKind::NoSteps => "list the steps that treat it in its `steps`",
        DiagnosticKind::WithholdsEscalation(_) => {
            "the escalation step tells the runner where to go: withhold other steps, never it"
        }
        DiagnosticKind::OverrideCycle(_) => {
            "keep the override on the stricter step only: it wins when both would be shown"
        }
        DiagnosticKind::BadCode { system, .. } => match *system {
            "ICD-10" => {
                "write a WHO ICD-10 code as a letter, two digits and an optional `.` with one or two more: `M76.5`, `M76.56`"
            }
            "ICD-10-CM" => {
                "write an ICD-10-CM code as a letter, two characters and an optional `.` with up to four more: `M76.50`, `S83.519A`"
            }
            _ => {
                "a SNOMED CT concept id is 6 to 18 digits ending in a Verhoeff check digit: copy it from a terminology browser, never type it from memory"
            }
        },
        _ => return None,
    })
}

/// The hint for a reference to an id nothing declares: the closest known id, or what to do.
pub(crate) fn unknown_hint<'a>(
    what: &str,
    id: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> String {
    did_you_mean(id, known).map_or_else(
        || format!("no {what} has this id; declare it, or check the spelling"),
        |m| format!("did you mean `{m}`?"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique() {
        let kinds = [
            DiagnosticKind::DuplicateId {
                what: "rule",
                id: String::new(),
            },
            DiagnosticKind::UnknownReference {
                what: "step",
                id: String::new(),
            },
            DiagnosticKind::EmptyList("All"),
            DiagnosticKind::BadAtLeast { n: 0, len: 0 },
            DiagnosticKind::NeverTrue(String::new()),
            DiagnosticKind::EscalateUnderNot(String::new()),
            DiagnosticKind::BadWeight(0.0),
            DiagnosticKind::ThresholdOutOfRange {
                field: "Age",
                value: 0.0,
                range: "",
            },
            DiagnosticKind::EmptyRange(1.0, 0.0),
            DiagnosticKind::TooDeep(1),
            DiagnosticKind::Empty("source"),
            DiagnosticKind::ReservedId("escalation"),
            DiagnosticKind::PatternCycle(String::new()),
            DiagnosticKind::NoActions,
            DiagnosticKind::TooMany {
                field: "rules",
                count: 0,
                max: 0,
            },
            DiagnosticKind::Unused {
                what: "step",
                id: String::new(),
            },
            DiagnosticKind::DuplicateRule(String::new()),
            DiagnosticKind::NoSteps,
            DiagnosticKind::RemovesEscalation(String::new()),
            DiagnosticKind::BadDate(String::new()),
            DiagnosticKind::BadTraining(String::new()),
            DiagnosticKind::WithholdsEscalation(String::new()),
            DiagnosticKind::OverrideCycle(String::new()),
            DiagnosticKind::BadCode {
                system: "ICD-10",
                code: String::new(),
            },
        ];
        for k in &kinds {
            let warning = k.code().starts_with('W');
            assert_eq!(warning, k.severity() == Severity::Warning, "{k:?}");
        }
        // The codes, read from `code` itself rather than listed again here: each is given
        // once, and each kind above has one of them.
        let source = include_str!("diagnostic.rs");
        let mut codes: Vec<&str> = source
            .split("=> \"")
            .skip(1)
            .filter_map(|t| t.get(..5))
            .filter(|t| t.starts_with("E0") || t.starts_with("W0"))
            .collect();
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n, "a code is given twice");
        for k in &kinds {
            assert!(codes.contains(&k.code()), "{k:?}");
        }
        assert_eq!(kinds.len(), n, "a kind is missing from this test");
        // Parse problems carry the parser's own code, outside the validator's.
        let parse = DiagnosticKind::Parse {
            code: "E0001",
            message: String::new(),
            expected: Vec::new(),
        };
        assert!(!codes.contains(&parse.code()));
        assert_eq!(parse.severity(), Severity::Error);
    }
}

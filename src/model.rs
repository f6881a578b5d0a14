//! The input model: what the embedding program knows about a runner's knee.

use serde::{Deserialize, Serialize};

pub(crate) use crate::limits::{MAX_RUN_KM, MAX_WEEKS};
pub use crate::vocab::{History, Location, Mechanism, Onset, Sex, Surface, Symptom};

use crate::error::AssessmentError;
use crate::parse::parse_ron;

/// Everything known about one runner's knee. Only `onset` is required; every other field may be
/// left out, and a left-out field is *unknown* to the rules, not false.
///
/// [`Assessment::from_ron`] checks values as it reads. Deserializing through serde directly
/// (from JSON, say) checks only the types: call [`Assessment::validate`] afterwards.
///
/// ```
/// use patella::{Assessment, Onset, Symptom, Location};
/// let mut a = Assessment::new(Onset::Chronic);
/// a.age = Some(34);
/// a.locations.push(Location::AroundKneecap);
/// a.present.push(Symptom::PainOnStairs);
/// assert!(a.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Assessment {
    /// Age in years (0 to 120).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    /// Sex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    /// Sudden (at one moment) or built up over time.
    pub onset: Onset,
    /// Days since the pain began or the injury happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_since_onset: Option<u32>,
    /// Worst pain during or after running, 0 to 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain_score: Option<u8>,
    /// Body-mass index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bmi: Option<f64>,
    /// How it started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mechanism: Option<Mechanism>,
    /// Where it hurts. Empty means unknown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    /// Symptoms that are present.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub present: Vec<Symptom>,
    /// Symptoms asked about and absent. A symptom in neither list is unknown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub absent: Vec<Symptom>,
    /// Recent training.
    #[serde(default)]
    pub training: TrainingLoad,
    /// Background: what is not listed is taken as not there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<History>,
}

/// Recent training. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TrainingLoad {
    /// Kilometres per week, oldest first; the last is the current week. At most 12 weeks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weekly_km: Vec<f64>,
    /// More speed work, hills or jumping lately.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intensity_increased: Option<bool>,
    /// Recent downhill running.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub downhill: Option<bool>,
    /// The usual surface.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surface: Option<Surface>,
    /// Kilometres on the current pair of shoes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shoe_km: Option<f64>,
    /// The longest single run of each week, oldest first; the last is the current week, as in
    /// `weekly_km`. At most 12 weeks. Used to find a run much longer than the runner's recent
    /// longest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub longest_run_km: Vec<f64>,
    /// Started running within the last three months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_to_running: Option<bool>,
}

impl TrainingLoad {
    /// With kilometres per week, oldest first (the last is the current week).
    #[must_use]
    pub fn with_weekly_km(mut self, weeks: impl IntoIterator<Item = f64>) -> TrainingLoad {
        self.weekly_km = weeks.into_iter().collect();
        self
    }

    /// With the longest single run of each of those weeks.
    #[must_use]
    pub fn with_longest_run_km(mut self, runs: impl IntoIterator<Item = f64>) -> TrainingLoad {
        self.longest_run_km = runs.into_iter().collect();
        self
    }

    /// With more speed work, hills or jumping lately (or not).
    #[must_use]
    pub fn with_intensity_increased(mut self, yes: bool) -> TrainingLoad {
        self.intensity_increased = Some(yes);
        self
    }

    /// With recent downhill running (or not).
    #[must_use]
    pub fn with_downhill(mut self, yes: bool) -> TrainingLoad {
        self.downhill = Some(yes);
        self
    }

    /// With the usual surface.
    #[must_use]
    pub fn with_surface(mut self, surface: Surface) -> TrainingLoad {
        self.surface = Some(surface);
        self
    }

    /// With the distance on the current shoes, km.
    #[must_use]
    pub fn with_shoe_km(mut self, km: f64) -> TrainingLoad {
        self.shoe_km = Some(km);
        self
    }

    /// With whether running started within the last three months.
    #[must_use]
    pub fn with_new_to_running(mut self, yes: bool) -> TrainingLoad {
        self.new_to_running = Some(yes);
        self
    }
}

impl Assessment {
    /// An assessment that knows only the onset; fill in the rest field by field.
    #[must_use]
    pub fn new(onset: Onset) -> Assessment {
        Assessment {
            age: None,
            sex: None,
            onset,
            days_since_onset: None,
            pain_score: None,
            bmi: None,
            mechanism: None,
            locations: Vec::new(),
            present: Vec::new(),
            absent: Vec::new(),
            training: TrainingLoad::default(),
            history: Vec::new(),
        }
    }

    // Builder methods. The structs stay `#[non_exhaustive]`, so that a field can be added
    // without breaking code that builds them; these methods give the brevity of a literal.

    /// With the age in years.
    #[must_use]
    pub fn with_age(mut self, years: u32) -> Assessment {
        self.age = Some(years);
        self
    }

    /// With the sex.
    #[must_use]
    pub fn with_sex(mut self, sex: Sex) -> Assessment {
        self.sex = Some(sex);
        self
    }

    /// With the days since the pain began.
    #[must_use]
    pub fn with_days_since_onset(mut self, days: u32) -> Assessment {
        self.days_since_onset = Some(days);
        self
    }

    /// With the worst pain, 0 to 10.
    #[must_use]
    pub fn with_pain_score(mut self, score: u8) -> Assessment {
        self.pain_score = Some(score);
        self
    }

    /// With the body-mass index.
    #[must_use]
    pub fn with_bmi(mut self, bmi: f64) -> Assessment {
        self.bmi = Some(bmi);
        self
    }

    /// With how it started.
    #[must_use]
    pub fn with_mechanism(mut self, mechanism: Mechanism) -> Assessment {
        self.mechanism = Some(mechanism);
        self
    }

    /// With these places (added to those given).
    #[must_use]
    pub fn with_locations(mut self, places: impl IntoIterator<Item = Location>) -> Assessment {
        self.locations.extend(places);
        self
    }

    /// With these symptoms present (added to those given).
    ///
    /// ```
    /// use patella::{Assessment, Location, Onset, Symptom, TrainingLoad};
    /// let a = Assessment::new(Onset::Chronic)
    ///     .with_age(34)
    ///     .with_locations([Location::AroundKneecap])
    ///     .with_present([Symptom::PainOnStairs])
    ///     .with_training(TrainingLoad::default().with_weekly_km([20.0, 22.0, 30.0]));
    /// assert!(a.validate().is_ok());
    /// ```
    #[must_use]
    pub fn with_present(mut self, symptoms: impl IntoIterator<Item = Symptom>) -> Assessment {
        self.present.extend(symptoms);
        self
    }

    /// With these symptoms absent (added to those given).
    #[must_use]
    pub fn with_absent(mut self, symptoms: impl IntoIterator<Item = Symptom>) -> Assessment {
        self.absent.extend(symptoms);
        self
    }

    /// With this history (added to what is given).
    #[must_use]
    pub fn with_history(mut self, history: impl IntoIterator<Item = History>) -> Assessment {
        self.history.extend(history);
        self
    }

    /// With this training log.
    #[must_use]
    pub fn with_training(mut self, training: TrainingLoad) -> Assessment {
        self.training = training;
        self
    }

    /// Reads an assessment from RON (`implicit_some` is enabled for you) and checks it with
    /// [`Assessment::validate`].
    ///
    /// # Errors
    /// A [`AssessmentError::Parse`] with line and column for text that is not an assessment,
    /// or the first problem [`Assessment::validate`] finds.
    pub fn from_ron(text: &str) -> Result<Assessment, AssessmentError> {
        let a: Assessment = parse_ron(text, crate::limits::MAX_ASSESSMENT_BYTES)?;
        a.validate()?;
        Ok(a)
    }

    /// Checks the values that the types alone cannot: ranges, finiteness, contradictions.
    ///
    /// Evaluation never panics on an assessment that fails this check (unusable numbers are
    /// treated as unknown), but its answer is only as good as its input.
    ///
    /// # Errors
    /// The first problem [`Assessment::problems`] finds.
    pub fn validate(&self) -> Result<(), AssessmentError> {
        match self.problems().into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Every problem of the values, each naming its field, in field order; empty when the
    /// assessment is valid. For a form that marks every wrong field at once.
    ///
    /// ```
    /// use patella::{Assessment, AssessmentError};
    /// let mut a = Assessment::from_ron("(onset: Chronic)")?;
    /// a.pain_score = Some(12);
    /// a.training.weekly_km = vec![30.0, f64::NAN];
    /// let problems = a.problems();
    /// let fields: Vec<&str> = problems.iter().filter_map(AssessmentError::field).collect();
    /// // A week names its place in the list, so an app can point at its row.
    /// assert_eq!(fields, ["pain_score", "training.weekly_km[1]"]);
    /// # Ok::<(), patella::AssessmentError>(())
    /// ```
    #[must_use]
    pub fn problems(&self) -> Vec<AssessmentError> {
        let mut found = Vec::new();
        let mut range = |field: String, value: f64, ok: bool, expected: &'static str| {
            if !ok {
                found.push(AssessmentError::OutOfRange {
                    field,
                    value,
                    expected,
                });
            }
        };
        if let Some(age) = self.age {
            range(
                "age".into(),
                f64::from(age),
                age <= 120,
                "expected 0 to 120",
            );
        }
        if let Some(p) = self.pain_score {
            range(
                "pain_score".into(),
                f64::from(p),
                p <= 10,
                "expected 0 to 10",
            );
        }
        if let Some(bmi) = self.bmi {
            range(
                "bmi".into(),
                bmi,
                bmi.is_finite() && (5.0..=150.0).contains(&bmi),
                "expected a number from 5 to 150",
            );
        }
        let t = &self.training;
        // Each week by its place in the list, so that an app can point at the row it came from.
        for (i, &km) in t.weekly_km.iter().enumerate() {
            range(
                format!("training.weekly_km[{i}]"),
                km,
                km.is_finite() && (0.0..=2000.0).contains(&km),
                "expected kilometres from 0 to 2000",
            );
        }
        if let Some(km) = t.shoe_km {
            range(
                "training.shoe_km".into(),
                km,
                km.is_finite() && (0.0..=100_000.0).contains(&km),
                "expected kilometres from 0 to 100000",
            );
        }
        for (i, &km) in t.longest_run_km.iter().enumerate() {
            range(
                format!("training.longest_run_km[{i}]"),
                km,
                km.is_finite() && (0.0..=MAX_RUN_KM).contains(&km),
                "expected kilometres from 0 to 500",
            );
        }
        for (field, weeks) in [
            ("training.weekly_km", &t.weekly_km),
            ("training.longest_run_km", &t.longest_run_km),
        ] {
            if weeks.len() > MAX_WEEKS {
                found.push(AssessmentError::TooManyWeeks {
                    field: field.to_owned(),
                    count: weeks.len(),
                });
            }
        }
        for s in self.present.iter().filter(|s| self.absent.contains(s)) {
            found.push(AssessmentError::Contradiction(*s));
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DESIGN_EXAMPLE: &str = r#"#![enable(implicit_some)]
(
    age: 34,
    sex: Female,
    onset: Chronic,
    days_since_onset: 21,
    pain_score: 5,
    bmi: 23.5,
    mechanism: Overuse,
    locations: [AroundKneecap],
    present: [PainOnStairs, PainAfterProlongedSitting],
    absent: [Swelling, Locking],
    training: (
        weekly_km: [28.0, 30.0, 29.0, 40.0],
        intensity_increased: false,
        downhill: true,
        surface: Road,
        shoe_km: 900.0,
        new_to_running: false,
    ),
    history: [PreviousKneeInjury],
)"#;

    #[test]
    fn reads_the_design_example() {
        let a = Assessment::from_ron(DESIGN_EXAMPLE).unwrap();
        assert_eq!(a.age, Some(34));
        assert_eq!(a.training.weekly_km.len(), 4);
        assert_eq!(a.training.downhill, Some(true));
        assert_eq!(a.history, vec![History::PreviousKneeInjury]);
    }

    #[test]
    fn implicit_some_need_not_be_declared() {
        let a = Assessment::from_ron("(onset: Acute, age: 40)").unwrap();
        assert_eq!(a.age, Some(40));
        assert_eq!(a.onset, Onset::Acute);
    }

    #[test]
    fn only_onset_is_required() {
        let err = Assessment::from_ron("(age: 40)").unwrap_err();
        assert!(err.to_string().contains("onset"), "{err}");
    }

    #[test]
    fn a_misspelt_symptom_names_line_and_column() {
        let err =
            Assessment::from_ron("(\n  onset: Chronic,\n  present: [PainOnStair],\n)").unwrap_err();
        let AssessmentError::Parse(p) = err else {
            panic!("expected a parse error, got {err:?}")
        };
        assert_eq!((p.position.line, p.position.column), (3, 13)); // the misspelt name
        assert!(p.message.contains("PainOnStair"), "{}", p.message);
    }

    #[test]
    fn out_of_range_values_name_the_field() {
        let err = Assessment::from_ron("(onset: Chronic, pain_score: 11)").unwrap_err();
        assert_eq!(err.field(), Some("pain_score"), "{err:?}");
        let err = Assessment::from_ron("(onset: Chronic, training: (weekly_km: [10.0, -1.0]))")
            .unwrap_err();
        assert!(err.to_string().contains("training.weekly_km[1]"), "{err}");
        let err = Assessment::from_ron("(onset: Chronic, present: [Fever], absent: [Fever])")
            .unwrap_err();
        assert_eq!(err, AssessmentError::Contradiction(Symptom::Fever));
        let weeks = vec!["1.0"; 13].join(", ");
        let err = Assessment::from_ron(&format!(
            "(onset: Chronic, training: (weekly_km: [{weeks}]))"
        ))
        .unwrap_err();
        assert_eq!(
            err,
            AssessmentError::TooManyWeeks {
                field: "training.weekly_km".to_owned(),
                count: 13
            }
        );
    }

    #[test]
    fn problems_lists_every_field_at_fault() {
        let mut a = Assessment::new(Onset::Acute);
        a.age = Some(130);
        a.bmi = Some(f64::INFINITY);
        a.training.shoe_km = Some(-1.0);
        a.present = vec![Symptom::Fever, Symptom::Swelling];
        a.absent = vec![Symptom::Swelling, Symptom::Fever];
        let problems = a.problems();
        let fields: Vec<_> = problems.iter().map(|e| e.field()).collect();
        assert_eq!(
            fields,
            [
                Some("age"),
                Some("bmi"),
                Some("training.shoe_km"),
                Some("absent"),
                Some("absent")
            ]
        );
        assert_eq!(a.validate(), Err(a.problems()[0].clone()));
        assert!(Assessment::new(Onset::Chronic).problems().is_empty());
    }

    #[test]
    fn json_uses_the_same_names() {
        let a = Assessment::from_ron(DESIGN_EXAMPLE).unwrap();
        let json = serde_json::to_string(&a).unwrap();
        assert!(json.contains(r#""onset":"Chronic""#), "{json}");
        let back: Assessment = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
    }
}

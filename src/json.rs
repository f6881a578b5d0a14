//! Reading an [`Assessment`] from JSON as carefully as from RON: the same checks, the same
//! wording, "did you mean", names as apps store them (`pain_on_stairs`), and a line and column
//! for every problem. Behind the `json` feature (on by default), which brings `serde_json`.

use serde_json::{Map, Value};

use crate::diagnostic::Position;
use crate::error::{AssessmentError, ParseError};
use crate::limits::MAX_ASSESSMENT_BYTES;
use crate::model::Assessment;
use crate::suggest::did_you_mean;
use crate::vocab::{History, Location, Mechanism, Onset, Sex, Surface, Symptom, UnknownName};

const FIELDS: &[&str] = &[
    "age",
    "sex",
    "onset",
    "days_since_onset",
    "pain_score",
    "bmi",
    "mechanism",
    "locations",
    "present",
    "absent",
    "training",
    "history",
];

const TRAINING: &[&str] = &[
    "weekly_km",
    "longest_run_km",
    "intensity_increased",
    "downhill",
    "surface",
    "shoe_km",
    "new_to_running",
];

impl Assessment {
    /// Reads an assessment from JSON, checked as [`Assessment::from_ron`] checks RON: names
    /// are matched whatever their case or separators (`pain_on_stairs`, `PainOnStairs`), an
    /// unknown name or field gets the closest valid one, a number out of range names its field
    /// and, in a list, its entry (`training.weekly_km[3]`), and every problem has a line and
    /// column.
    ///
    /// ```
    /// use patella::Assessment;
    /// let a = Assessment::from_json(r#"{"onset": "chronic", "present": ["pain_on_stairs"]}"#)?;
    /// assert_eq!(a.present, [patella::Symptom::PainOnStairs]);
    ///
    /// let e = Assessment::from_json(r#"{"onset": "Chronic", "present": ["pain_on_stair"]}"#)
    ///     .unwrap_err();
    /// assert_eq!(e.to_string(), "1:34: unknown symptom `pain_on_stair` in `present[0]` (did you mean `PainOnStairs`?)");
    /// # Ok::<(), patella::AssessmentError>(())
    /// ```
    ///
    /// # Errors
    /// [`AssessmentError::Parse`] for text that is not JSON, an unknown field or name, or a
    /// value of the wrong type; the range errors of [`Assessment::validate`].
    pub fn from_json(text: &str) -> Result<Assessment, AssessmentError> {
        crate::parse::within_size(text, MAX_ASSESSMENT_BYTES)?;
        let mut value: Value = serde_json::from_str(text).map_err(|e| {
            ParseError::new(
                "E0001",
                Position {
                    line: e.line(),
                    column: e.column(),
                },
                lowercase_first(&strip_position(&e.to_string())),
                None,
                Vec::new(),
            )
        })?;
        let at = Locator { text };
        let Value::Object(map) = &mut value else {
            return Err(at.error("E0001", "", "an assessment is a JSON object: `{...}`", None));
        };
        normalize(map, &at)?;
        let a: Assessment = serde_json::from_value(value).map_err(|e| {
            at.error(
                "E0001",
                "",
                &lowercase_first(&strip_position(&e.to_string())),
                None,
            )
        })?;
        a.validate()?;
        Ok(a)
    }
}

/// Finds where a token sits in the text, for positions.
struct Locator<'t> {
    text: &'t str,
}

impl Locator<'_> {
    /// A parse error at the first place `needle` occurs (the start of the text when it does not).
    fn error(
        &self,
        code: &'static str,
        needle: &str,
        message: &str,
        hint: Option<String>,
    ) -> AssessmentError {
        let offset = if needle.is_empty() {
            0
        } else {
            self.text.find(needle).unwrap_or(0)
        };
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        AssessmentError::Parse(ParseError::new(
            code,
            Position { line, column },
            message.to_owned(),
            hint,
            Vec::new(),
        ))
    }
}

/// Checks the keys and names of an assessment object and writes its names as the types read
/// them; numbers too large for their type are refused with the field's range.
fn normalize(map: &mut Map<String, Value>, at: &Locator<'_>) -> Result<(), AssessmentError> {
    known_keys(map, FIELDS, "", at)?;
    name::<Onset>(map, "onset", "onset", at)?;
    name::<Sex>(map, "sex", "sex", at)?;
    name::<Mechanism>(map, "mechanism", "mechanism", at)?;
    names::<Location>(map, "locations", "location", at)?;
    names::<Symptom>(map, "present", "symptom", at)?;
    names::<Symptom>(map, "absent", "symptom", at)?;
    names::<History>(map, "history", "history entry", at)?;
    whole(
        map,
        "age",
        "age",
        u64::from(u32::MAX),
        "expected 0 to 120",
        at,
    )?;
    whole(
        map,
        "days_since_onset",
        "days_since_onset",
        u64::from(u32::MAX),
        "expected 0 or more days",
        at,
    )?;
    whole(
        map,
        "pain_score",
        "pain_score",
        u64::from(u8::MAX),
        "expected 0 to 10",
        at,
    )?;
    if let Some(t) = map.get_mut("training") {
        let Value::Object(t) = t else {
            return Err(at.error(
                "E0001",
                "\"training\"",
                "`training` is a JSON object: `{...}`",
                None,
            ));
        };
        known_keys(t, TRAINING, "training.", at)?;
        name::<Surface>(t, "surface", "training.surface", at)?;
        for list in ["weekly_km", "longest_run_km"] {
            if let Some(Value::Array(weeks)) = t.get(list) {
                for (i, w) in weeks.iter().enumerate() {
                    if !w.is_number() {
                        return Err(at.error(
                            "E0001",
                            &format!("\"{list}\""),
                            &format!("`training.{list}[{i}]` is {}, expected kilometres", kind(w)),
                            None,
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Every key is one the type has, or the closest that is.
fn known_keys(
    map: &Map<String, Value>,
    fields: &[&'static str],
    prefix: &str,
    at: &Locator<'_>,
) -> Result<(), AssessmentError> {
    for key in map.keys() {
        if !fields.contains(&key.as_str()) {
            let hint = did_you_mean(key, fields.iter().copied())
                .map(|m| format!("did you mean `{m}`?"))
                .or_else(|| Some(format!("the fields are: {}", fields.join(", "))));
            return Err(at.error(
                "E0003",
                &format!("\"{key}\""),
                &format!("unknown field `{prefix}{key}`"),
                hint,
            ));
        }
    }
    Ok(())
}

/// A name of a vocabulary, written as the type reads it.
fn name<T: std::str::FromStr<Err = UnknownName> + std::fmt::Display>(
    map: &mut Map<String, Value>,
    key: &str,
    path: &str,
    at: &Locator<'_>,
) -> Result<(), AssessmentError> {
    let Some(v) = map.get_mut(key) else {
        return Ok(());
    };
    if v.is_null() {
        return Ok(());
    }
    let Value::String(s) = v else {
        return Err(at.error(
            "E0001",
            &format!("\"{key}\""),
            &format!(
                "`{path}` is {}, expected a name such as `{}`",
                kind(v),
                example::<T>()
            ),
            None,
        ));
    };
    match s.parse::<T>() {
        Ok(t) => {
            *v = Value::String(t.to_string());
            Ok(())
        }
        Err(e) => Err(unknown(&e, path, at)),
    }
}

/// A list of names of a vocabulary.
fn names<T: std::str::FromStr<Err = UnknownName> + std::fmt::Display>(
    map: &mut Map<String, Value>,
    key: &str,
    what: &str,
    at: &Locator<'_>,
) -> Result<(), AssessmentError> {
    let Some(v) = map.get_mut(key) else {
        return Ok(());
    };
    let Value::Array(list) = v else {
        return Err(at.error(
            "E0001",
            &format!("\"{key}\""),
            &format!("`{key}` is {}, expected a list of {what} names", kind(v)),
            None,
        ));
    };
    for (i, item) in list.iter_mut().enumerate() {
        let Value::String(s) = item else {
            return Err(at.error(
                "E0001",
                &format!("\"{key}\""),
                &format!("`{key}[{i}]` is {}, expected a {what} name", kind(item)),
                None,
            ));
        };
        match s.parse::<T>() {
            Ok(t) => *item = Value::String(t.to_string()),
            Err(e) => return Err(unknown(&e, &format!("{key}[{i}]"), at)),
        }
    }
    Ok(())
}

/// A whole number that fits its type; a larger one is out of the field's range.
fn whole(
    map: &Map<String, Value>,
    key: &str,
    path: &str,
    max: u64,
    expected: &'static str,
    at: &Locator<'_>,
) -> Result<(), AssessmentError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(x) if x <= max => Ok(()),
            _ => Err(AssessmentError::OutOfRange {
                field: path.to_owned(),
                value: n.as_f64().unwrap_or(f64::NAN),
                expected,
            }),
        },
        Some(v) => Err(at.error(
            "E0001",
            &format!("\"{key}\""),
            &format!("`{path}` is {}, expected a whole number", kind(v)),
            None,
        )),
    }
}

fn unknown(e: &UnknownName, path: &str, at: &Locator<'_>) -> AssessmentError {
    let word = crate::parse::enum_word(e.kind);
    at.error(
        "E0002",
        &format!("\"{}\"", e.found),
        &format!("unknown {word} `{}` in `{path}`", e.found),
        e.suggestion.map(|s| format!("did you mean `{s}`?")),
    )
}

/// A valid name of `T`, for messages.
fn example<T: std::str::FromStr<Err = UnknownName>>() -> &'static str {
    match "".parse::<T>() {
        Err(e) => e.suggestion.unwrap_or("..."),
        Ok(_) => "...",
    }
}

/// What a JSON value is, in words.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// serde_json's message without its " at line L column C" (the position is given apart).
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

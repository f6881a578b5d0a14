//! Text shared between a rule set and its reports, and the way numbers are written in them.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Text shared between a rule set and the reports it makes: cloning it copies a pointer, not
/// the text. Reads as a `&str` (through `Deref`, [`Text::as_str`] and comparisons with
/// `str`), and serializes as a plain string.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct Text(Arc<str>);

impl Text {
    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(Arc::from(s))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Arc::from(s))
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        **self == *other.0
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        **self == *other.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Kilometres without a needless ".0", and to one decimal otherwise: written where it is
/// formatted, without a string of its own.
pub(crate) fn km(x: f64) -> Km {
    Km(x)
}

/// See [`km`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Km(f64);

impl fmt::Display for Km {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let x = self.0;
        let places = if (x - x.round()).abs() < 0.05 { 0 } else { 1 };
        match f.width() {
            // Padding needs the text first; tables are the only place that asks for it.
            Some(_) => f.pad(&format!("{x:.places$}")),
            None => write!(f, "{x:.places$}"),
        }
    }
}

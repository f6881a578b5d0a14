//! Text shared between a rule set and its reports, and the way numbers are written in them.

use std::cell::Cell;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Text shared between a rule set and the reports it makes: cloning it copies a pointer, not
/// the text. Reads as a `&str` (through `Deref`, [`Text::as_str`] and comparisons with
/// `str`), and serializes as a plain string.
pub struct Text(Repr);

impl Clone for Text {
    #[inline]
    fn clone(&self) -> Text {
        Text(match &self.0 {
            Repr::Static(s) => Repr::Static(s),
            Repr::Shared(s) => Repr::Shared(Arc::clone(s)),
        })
    }
}

/// A text of the process-wide default rule set lives as long as the process (the set is held
/// in a `static` and never dropped), so it is kept as `&'static str`: cloning and dropping it
/// touches no shared count. Every other text shares one allocation through an `Arc`, whose
/// count takes an atomic operation on each clone and each drop; a report clones about a
/// hundred texts, and those operations measured about a fifth of assembling it.
enum Repr {
    /// A thin pointer, so that the text is 16 bytes like an `Arc<str>` alone (the variant
    /// lives beside the `Arc`'s pointer, whose null value tells them apart).
    Static(&'static &'static str),
    Shared(Arc<str>),
}

thread_local! {
    /// Set on this thread while the default rule set compiles (see [`for_the_process`]).
    static FOR_THE_PROCESS: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` (the one compilation of the default rule set, which is never dropped) with every
/// text it makes on this thread kept for the life of the process instead of counted.
pub(crate) fn for_the_process<T>(f: impl FnOnce() -> T) -> T {
    /// Puts the mode back as it was however `f` ends.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            FOR_THE_PROCESS.with(|m| m.set(self.0));
        }
    }
    let _restore = Restore(FOR_THE_PROCESS.with(|m| m.replace(true)));
    f()
}

impl Text {
    /// The empty text, without allocating.
    pub(crate) fn empty() -> Text {
        Text(Repr::Static(&""))
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(s) => s,
            Repr::Shared(s) => s,
        }
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        if FOR_THE_PROCESS.with(Cell::get) {
            let s: &'static str = Box::leak(Box::from(s));
            Text(Repr::Static(Box::leak(Box::new(s))))
        } else {
            Text(Repr::Shared(Arc::from(s)))
        }
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        if FOR_THE_PROCESS.with(Cell::get) {
            let s: &'static str = Box::leak(s.into_boxed_str());
            Text(Repr::Static(Box::leak(Box::new(s))))
        } else {
            Text(Repr::Shared(Arc::from(s)))
        }
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Text").field(&self.as_str()).finish()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        // Texts of one rule set are most often compared with themselves.
        let (a, b) = (self.as_str(), other.as_str());
        std::ptr::eq(a, b) || a == b
    }
}

impl Eq for Text {}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Text) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Text {
    /// As `str` hashes, so that a map keyed by `Text` can be read with a `&str`.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        String::deserialize(deserializer).map(|s| Text(Repr::Shared(Arc::from(s))))
    }
}

/// A string in the schemas, described as the type's documentation describes it.
#[cfg(feature = "schema")]
impl schemars::JsonSchema for Text {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Text".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Text shared between a rule set and the reports it makes: cloning it copies a pointer, not\nthe text. Reads as a `&str` (through `Deref`, [`Text::as_str`] and comparisons with\n`str`), and serializes as a plain string.",
            "type": "string"
        })
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
        fixed(x, places).fmt(f)
    }
}

/// `x` to `places` decimals (at most 3), exactly as `format!("{x:.places$}")` writes it, with
/// a width, fill, alignment, `+` or `0` flag applied as to any number; `places` is its
/// precision, so a precision in the format string is not read.
pub(crate) fn fixed(x: f64, places: u8) -> Fixed {
    Fixed(x, places.min(3))
}

/// See [`fixed`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fixed(f64, u8);

/// Powers of ten for [`Fixed`] and [`Rounded`].
const TEN: [u64; 4] = [1, 10, 100, 1000];

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Fixed(x, places) = *self;
        // The standard library's exact formatting of a float is slow (it falls back to big
        // integers); integer digits give the same text whenever the scaled value is not within
        // float error of a tie, which the standard library breaks by the exact binary value.
        // Anything else (negative, huge, not finite, a near tie) is left to it.
        let y = x * TEN[places as usize] as f64;
        // Below 10^9 a float's error is under 10^-6.
        if x.is_sign_positive() && y < 1e9 && ((y - y.floor()) - 0.5).abs() > 1e-6 {
            return Digits::new(y.round() as u64, places, true).pad(f);
        }
        let places = places as usize;
        number(f, x, &format!("{x:.places$}"))
    }
}

/// Writes the standard library's text of `x` with the formatter's width, fill, alignment and
/// sign flags applied as they are to a number.
fn number(f: &mut fmt::Formatter<'_>, x: f64, text: &str) -> fmt::Result {
    if x.is_nan() {
        // No sign, ever.
        return fmt::Display::fmt(&x, f);
    }
    match text.strip_prefix('-') {
        Some(digits) => f.pad_integral(false, "", digits),
        None => f.pad_integral(true, "", text),
    }
}

/// `x` to two decimals at most, without trailing zeros: the text of
/// `(x * 100.0).round() / 100.0` as `Display` writes it, flags and width included (a precision
/// in the format string is not read).
pub(crate) fn rounded(x: f64) -> Rounded {
    Rounded(x)
}

/// See [`rounded`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rounded(f64);

impl fmt::Display for Rounded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let k = (self.0 * 100.0).round();
        // Below 10^13 hundredths, the shortest text of k / 100 as a float is k / 100 in
        // decimal: no shorter decimal lands on the same float.
        if k.is_sign_positive() && k < 1e13 {
            return Digits::new(k as u64, 2, false).pad(f);
        }
        let v = k / 100.0;
        number(f, v, &v.to_string())
    }
}

/// The decimal text of `k / 10^places`, on the stack.
struct Digits {
    buf: [u8; 24],
    start: usize,
}

impl Digits {
    /// `k / 10^places` with `places` decimals, or without trailing zeros unless `keep`.
    fn new(k: u64, places: u8, keep: bool) -> Digits {
        let mut d = Digits {
            buf: [0; 24],
            start: 24,
        };
        let (mut int, mut frac) = (k / TEN[places as usize], k % TEN[places as usize]);
        let mut places = places;
        if !keep {
            while places > 0 && frac % 10 == 0 {
                frac /= 10;
                places -= 1;
            }
        }
        for _ in 0..places {
            d.push(b'0' + (frac % 10) as u8);
            frac /= 10;
        }
        if places > 0 {
            d.push(b'.');
        }
        loop {
            d.push(b'0' + (int % 10) as u8);
            int /= 10;
            if int == 0 {
                break;
            }
        }
        d
    }

    fn push(&mut self, b: u8) {
        self.start -= 1;
        self.buf[self.start] = b;
    }

    /// Writes the digits padded as a number is (right-aligned unless asked otherwise).
    fn pad(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only ASCII digits and a point were written.
        f.pad_integral(
            true,
            "",
            std::str::from_utf8(&self.buf[self.start..]).unwrap_or_default(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Values that stress the shortcut: ties in decimal, near ties in binary, zeros, huge.
    const EDGES: [f64; 16] = [
        0.0,
        -0.0,
        0.05,
        0.25,
        0.35,
        1.005,
        2.675,
        6.95,
        7.049,
        0.125,
        999_999_999.95,
        1e9,
        1e15,
        -1.25,
        f64::INFINITY,
        f64::NAN,
    ];

    #[test]
    fn texts_kept_for_the_process_read_compare_and_hash_as_shared_ones() {
        use std::collections::HashMap;
        let kept = for_the_process(|| Text::from("pfp_stairs"));
        assert!(matches!(kept.0, Repr::Static(_)));
        // The mode ends with the compilation, even one that panics.
        let shared = Text::from(String::from("pfp_stairs"));
        assert!(matches!(shared.0, Repr::Shared(_)));
        let caught = std::panic::catch_unwind(|| for_the_process(|| panic!("compile failed")));
        assert!(caught.is_err());
        assert!(matches!(Text::from("x").0, Repr::Shared(_)));
        // A nested call leaves the mode as it found it.
        let inner = for_the_process(|| {
            for_the_process(|| ());
            Text::from("y")
        });
        assert!(matches!(inner.0, Repr::Static(_)));
        assert!(matches!(Text::from("z").0, Repr::Shared(_)));

        assert_eq!(kept, shared);
        assert_eq!(kept.clone(), "pfp_stairs");
        let (a, q) = (Text::from("a"), Text::from("q"));
        assert!(a < kept && kept < q);
        let map: HashMap<Text, u8> = [(kept, 1)].into();
        assert_eq!(map.get("pfp_stairs"), Some(&1));
        assert_eq!(map.get(&shared), Some(&1));
        let json = serde_json::to_string(&shared).unwrap();
        assert_eq!(json, "\"pfp_stairs\"");
        assert_eq!(serde_json::from_str::<Text>(&json).unwrap(), shared);
        assert_eq!(
            format!("{shared:?} {shared}"),
            "Text(\"pfp_stairs\") pfp_stairs"
        );
    }

    fn agrees(x: f64) {
        for places in 0..=2u8 {
            let p = places as usize;
            assert_eq!(
                fixed(x, places).to_string(),
                format!("{x:.p$}"),
                "{x} to {p}"
            );
            assert_eq!(
                format!("{:>9}", fixed(x, places)),
                format!("{x:>9.p$}"),
                "{x}"
            );
        }
        assert_eq!(
            rounded(x).to_string(),
            ((x * 100.0).round() / 100.0).to_string()
        );
        let places = if (x - x.round()).abs() < 0.05 { 0 } else { 1 };
        assert_eq!(km(x).to_string(), format!("{x:.places$}"), "{x} km");
    }

    #[test]
    fn numbers_read_as_the_standard_library_writes_them_at_the_edges() {
        for x in EDGES {
            agrees(x);
        }
        // Every tenth and hundredth up to 1000, where decimal ties sit.
        for k in 0..100_000u32 {
            agrees(f64::from(k) / 100.0);
            agrees(f64::from(k) / 1000.0);
        }
    }

    proptest! {
        #[test]
        fn numbers_read_as_the_standard_library_writes_them(x in -1e3..1e10f64) {
            agrees(x);
        }

        #[test]
        fn numbers_of_any_bits_read_the_same(bits in any::<u64>()) {
            agrees(f64::from_bits(bits));
        }
    }
}

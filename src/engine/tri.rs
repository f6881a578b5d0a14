//! Three-valued (Kleene) truth: what a condition is when some facts are unknown. A rule fires
//! only on `True`; `Unknown` is what an interview asks about.

/// True, false, or not known from the facts given. Ordered so that `min` is "and" and `max`
/// is "or".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Tri {
    False,
    Unknown,
    True,
}

impl Tri {
    /// A known truth value.
    pub(crate) fn known(b: bool) -> Tri {
        if b { Tri::True } else { Tri::False }
    }

    /// A truth value that may not be known.
    pub(crate) fn from_option(b: Option<bool>) -> Tri {
        b.map_or(Tri::Unknown, Tri::known)
    }

    /// Kleene "not": unknown stays unknown.
    #[must_use]
    pub(crate) fn not(self) -> Tri {
        match self {
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
            Tri::True => Tri::False,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Tri;

    #[test]
    fn min_is_and_max_is_or() {
        use Tri::*;
        for a in [False, Unknown, True] {
            assert_eq!(a.min(True), a);
            assert_eq!(a.min(False), False);
            assert_eq!(a.max(False), a);
            assert_eq!(a.max(True), True);
            assert_eq!(a.not().not(), a);
        }
        assert_eq!(Unknown.not(), Unknown);
    }
}

//! The shapes of diagnosis codes, checked when a rule set loads: a code that cannot be one
//! of its classification's is a typo, and a typo in a code sent to a clinic's record is worse
//! than no code. Shape only: whether a well-formed code means the diagnosis is the rule
//! author's to check against the classification, as the default set's notes say it did.

use super::CodesDef;

impl CodesDef {
    /// Each code given, with its classification's name.
    pub(crate) fn given(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("ICD-10", &self.icd10),
            ("ICD-10-CM", &self.icd10_cm),
            ("SNOMED CT", &self.snomed),
        ]
        .into_iter()
        .filter_map(|(system, code)| code.as_deref().map(|c| (system, c)))
    }
}

/// Whether `code` has the shape of a code of `system` (as [`CodesDef::given`] names it).
pub(crate) fn well_formed(system: &str, code: &str) -> bool {
    match system {
        "ICD-10" => icd(code, 2),
        "ICD-10-CM" => icd(code, 4),
        _ => snomed(code),
    }
}

/// A letter, two digits (ICD-10-CM allows a letter third, as in `C4A`), then optionally a dot
/// and one to `max_after` digits or capital letters.
fn icd(code: &str, max_after: usize) -> bool {
    let (head, tail) = code.split_once('.').unwrap_or((code, ""));
    let h = head.as_bytes();
    let head_ok = h.len() == 3
        && h[0].is_ascii_uppercase()
        && h[1].is_ascii_digit()
        && (h[2].is_ascii_digit() || (max_after > 2 && h[2].is_ascii_uppercase()));
    let tail_ok = if code.contains('.') {
        (1..=max_after).contains(&tail.len())
            && tail
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
    } else {
        true
    };
    head_ok && tail_ok
}

/// 6 to 18 digits, no leading zero, the partition digits of a concept (`00` or `10`), and a
/// valid Verhoeff check digit.
fn snomed(code: &str) -> bool {
    let b = code.as_bytes();
    (6..=18).contains(&b.len())
        && b.iter().all(u8::is_ascii_digit)
        && b[0] != b'0'
        && matches!(&b[b.len() - 3..b.len() - 1], b"00" | b"10")
        && verhoeff(b)
}

/// The Verhoeff checksum of a string of digits, check digit last: true when it holds.
fn verhoeff(digits: &[u8]) -> bool {
    const D: [[u8; 10]; 10] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
        [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
        [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
        [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
        [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
        [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
        [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
        [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ];
    const P: [[u8; 10]; 8] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
        [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
        [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
        [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
        [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
        [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
        [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
    ];
    let mut c = 0u8;
    for (i, &d) in digits.iter().rev().enumerate() {
        c = D[usize::from(c)][usize::from(P[i % 8][usize::from(d - b'0')])];
    }
    c == 0
}

#[cfg(test)]
mod tests {
    use super::well_formed;

    #[test]
    fn shapes() {
        for ok in ["M76.5", "M76.56", "I80.2", "M17", "M17.9"] {
            assert!(well_formed("ICD-10", ok), "{ok}");
        }
        for bad in ["m76.5", "M7.5", "M76.", "M76.567", "M76-5", "S83.519A", ""] {
            assert!(!well_formed("ICD-10", bad), "{bad}");
        }
        for ok in ["M76.50", "S83.519A", "S80.00XA", "C4A.9", "M10.9"] {
            assert!(well_formed("ICD-10-CM", ok), "{ok}");
        }
        for bad in ["S83.519AB", "83.5", "S83.51 9"] {
            assert!(!well_formed("ICD-10-CM", bad), "{bad}");
        }
        // Published concept ids: patellofemoral stress syndrome, pes anserinus bursitis,
        // osteochondritis dissecans.
        for ok in ["430725003", "73105000", "82562007"] {
            assert!(well_formed("SNOMED CT", ok), "{ok}");
        }
        // One digit changed, two swapped, a description id's partition (`11`), too short.
        for bad in ["430725004", "430752003", "430725113", "12345", "043072500"] {
            assert!(!well_formed("SNOMED CT", bad), "{bad}");
        }
    }
}

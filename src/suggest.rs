//! "Did you mean": the known name closest to a misspelt one, for every message that names an
//! unknown id or word.

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely
/// typo: at most a third of the word's length (and at least one edit). Case is ignored, so
/// `painonstairs` finds `PainOnStairs`. Failing that, the shortest candidate that starts
/// with the word (of three letters or more): `Twist` finds `Twisting`.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    let lower = word.to_lowercase();
    let scored: Vec<(usize, &str, bool)> = candidates
        .into_iter()
        .filter(|&c| c != word)
        .map(|c| {
            let c_lower = c.to_lowercase();
            (
                edit_distance(&lower, &c_lower),
                c,
                c_lower.starts_with(&lower),
            )
        })
        .collect();
    let close = scored
        .iter()
        .filter(|&&(d, _, _)| d <= limit)
        .min_by_key(|&&(d, c, _)| (d, c));
    let prefix = || {
        scored
            .iter()
            .filter(|&&(_, _, p)| p && lower.chars().count() >= 3)
            .min_by_key(|&&(_, c, _)| (c.len(), c))
    };
    close.or_else(prefix).map(|&(_, c, _)| c)
}

/// Edit distance over characters, counting a swap of two neighbours as one edit (optimal
/// string alignment): `pfsp` is one slip from `pfps`.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 0..a.len() {
        cur[0] = i + 1;
        for j in 0..b.len() {
            let mut d = (prev[j] + usize::from(a[i] != b[j]))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                d = d.min(before[j - 1] + 1);
            }
            cur[j + 1] = d;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("ice_pak", "ice_pack"), 1);
        assert_eq!(edit_distance("same", "same"), 0);
        assert_eq!(edit_distance("pfsp", "pfps"), 1);
        assert_eq!(edit_distance("ab", "ba"), 1);
    }

    #[test]
    fn suggests_only_close_names() {
        let names = ["PainOnStairs", "PainOnSquatting", "Swelling", "Fever"];
        assert_eq!(did_you_mean("PainOnStair", names), Some("PainOnStairs"));
        assert_eq!(did_you_mean("sweling", names), Some("Swelling"));
        assert_eq!(did_you_mean("Headache", names), None);
        // A one-letter slip in a short word still counts.
        assert_eq!(did_you_mean("Fevr", names), Some("Fever"));
        // A word cut short finds its completion.
        assert_eq!(did_you_mean("Swell", names), Some("Swelling"));
        assert_eq!(did_you_mean("Pa", names), None);
    }
}

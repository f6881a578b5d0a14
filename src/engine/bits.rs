//! A set of small indices (steps, factors) as words of bits: cleared, tested and walked in
//! index order in a few instructions, and without allocating once grown.

/// A set of indices below the size it was last cleared to.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Bits(Vec<u64>);

impl Bits {
    /// An empty set for indices below `n`.
    pub(crate) fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }

    /// Empties the set, sized for indices below `n`.
    pub(crate) fn clear(&mut self, n: usize) {
        // Clear and resize, not `fill`: measured twice as fast on the generated sets' outcome
        // (benches `scaling/into/100`), and the same on the default set.
        self.0.clear();
        self.0.resize(n.div_ceil(64), 0);
    }

    /// Adds `i` (ignored when out of range).
    #[inline]
    pub(crate) fn insert(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }

    /// Removes `i`.
    #[inline]
    pub(crate) fn remove(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w &= !(1 << (i % 64));
        }
    }

    /// How many words the set has.
    pub(crate) fn words(&self) -> usize {
        self.0.len()
    }

    /// Word `i` (0 beyond the end): indices `64 * i` to `64 * i + 63`.
    #[inline]
    pub(crate) fn word(&self, i: usize) -> u64 {
        self.0.get(i).copied().unwrap_or(0)
    }

    #[inline]
    pub(crate) fn contains(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// The members, ascending.
    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0
            .iter()
            .enumerate()
            .flat_map(|(i, &w)| ones(w).map(move |b| i * 64 + b))
    }
}

/// A few indices as the words of a [`Bits`] they touch: added to a set a word at a time, not
/// an index at a time (a step list of five in one word is one OR, not five).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Mask(Vec<(usize, u64)>);

impl Mask {
    /// The mask of `indices`, in any order.
    pub(crate) fn of(indices: &[usize]) -> Mask {
        let mut words: Vec<(usize, u64)> = Vec::new();
        for &i in indices {
            let (word, bit) = (i / 64, 1u64 << (i % 64));
            match words.iter_mut().find(|(w, _)| *w == word) {
                Some((_, bits)) => *bits |= bit,
                None => words.push((word, bit)),
            }
        }
        Mask(words)
    }
}

impl Bits {
    /// Adds every index of `mask` (those out of range ignored).
    #[inline]
    pub(crate) fn add(&mut self, mask: &Mask) {
        for &(word, bits) in &mask.0 {
            if let Some(w) = self.0.get_mut(word) {
                *w |= bits;
            }
        }
    }
}

/// The set bits of a word, lowest first.
fn ones(mut w: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (w != 0).then(|| {
            let b = w.trailing_zeros() as usize;
            w &= w - 1;
            b
        })
    })
}

#[cfg(test)]
mod tests {
    use super::Bits;

    #[test]
    fn sets_walk_in_index_order() {
        let mut a = Bits::new(130);
        for i in [129, 3, 64, 0] {
            a.insert(i);
        }
        a.insert(500); // out of range: ignored
        assert_eq!(a.iter().collect::<Vec<_>>(), vec![0, 3, 64, 129]);
        assert_eq!((a.words(), a.word(1), a.word(9)), (3, 1, 0));
        a.remove(64);
        assert!(!a.contains(64) && a.contains(129));
        a.clear(10);
        assert_eq!(a.iter().count(), 0);
        let mut b = Bits::new(200);
        b.add(&super::Mask::of(&[130, 2, 65, 3, 700]));
        assert_eq!(b.iter().collect::<Vec<_>>(), vec![2, 3, 65, 130]);
    }
}

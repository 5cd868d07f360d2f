//! A set of update keys (`upd_pk`) as one bit each: 64 KB covers half a million updates.
//!
//! Sets the catalog's queries and the rule engine hold in memory (search matches, product
//! members, languages) are tested by key from SQL through a function, so walking a list
//! index needs no row read and no temporary table of keys.

#[derive(Default, Clone, Debug, PartialEq)]
pub(crate) struct PkBits(Vec<u64>);

impl PkBits {
    pub(crate) fn set(&mut self, pk: i64) {
        let Ok(pk) = usize::try_from(pk) else { return };
        let word = pk / 64;
        if self.0.len() <= word {
            self.0.resize(word + 1, 0);
        }
        self.0[word] |= 1 << (pk % 64);
    }

    pub(crate) fn contains(&self, pk: i64) -> bool {
        usize::try_from(pk)
            .ok()
            .and_then(|pk| self.0.get(pk / 64).map(|w| w >> (pk % 64) & 1 == 1))
            .unwrap_or(false)
    }

    /// How many keys are set.
    pub(crate) fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The keys in both sets.
    pub(crate) fn and(&self, other: &PkBits) -> PkBits {
        PkBits(self.0.iter().zip(&other.0).map(|(a, b)| a & b).collect())
    }

    /// The keys, ascending.
    pub(crate) fn iter(&self) -> impl Iterator<Item = i64> + '_ {
        self.0.iter().enumerate().flat_map(|(word, bits)| {
            (0..64)
                .filter(move |b| bits >> b & 1 == 1)
                .map(move |b| (word * 64 + b) as i64)
        })
    }
}

impl FromIterator<i64> for PkBits {
    fn from_iter<I: IntoIterator<Item = i64>>(keys: I) -> Self {
        let mut bits = PkBits::default();
        for pk in keys {
            bits.set(pk);
        }
        bits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_count_intersect_and_list_their_keys() {
        let a: PkBits = [3, 64, 65, 500, -1].into_iter().collect();
        assert!(a.contains(3) && a.contains(500) && !a.contains(4) && !a.contains(-1) && !a.contains(1 << 40));
        assert_eq!(a.len(), 4, "a negative key is never held");
        let b: PkBits = [64, 500, 7000].into_iter().collect();
        assert_eq!(a.and(&b).iter().collect::<Vec<_>>(), vec![64, 500]);
        assert_eq!(b.and(&a).len(), 2, "either way round");
        assert_eq!(a.iter().collect::<Vec<_>>(), vec![3, 64, 65, 500]);
    }
}

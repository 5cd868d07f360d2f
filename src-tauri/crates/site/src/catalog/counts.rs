//! Row counts of filtered lists, remembered until the catalog changes.
//!
//! Counting 500,000 index entries costs more than reading a page, and a scrolling grid asks
//! the same count for every page; so a count is kept per query shape and dropped as soon
//! as an import commits.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

#[derive(Default)]
pub struct CountCache {
    generation: AtomicU64,
    counts: Mutex<HashMap<String, (u64, i64)>>,
}

const MAX_ENTRIES: usize = 512;

impl CountCache {
    /// Called after every committed catalog change.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// The count for `key`, computing it with `count` when unknown or stale.
    pub fn get_or_count<E>(&self, key: &str, count: impl FnOnce() -> Result<i64, E>) -> Result<i64, E> {
        let generation = self.generation.load(Ordering::SeqCst);
        if let Some((g, n)) = self.lock().get(key) {
            if *g == generation {
                return Ok(*n);
            }
        }
        let n = count()?;
        let mut map = self.lock();
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(key.to_string(), (generation, n));
        Ok(n)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (u64, i64)>> {
        self.counts.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_makes_counts_stale() {
        let c = CountCache::default();
        assert_eq!(c.get_or_count::<()>("q", || Ok(1)), Ok(1));
        assert_eq!(c.get_or_count::<()>("q", || Ok(2)), Ok(1), "remembered");
        c.invalidate();
        assert_eq!(c.get_or_count::<()>("q", || Ok(3)), Ok(3), "recounted after a change");
    }
}

//! What the grid asks again and again, remembered until the catalog changes: the row count
//! of a filtered list, and anchors (the sort key found at an offset) to resume deep pages.
//!
//! Counting 500,000 index entries costs more than reading a page, and SQLite reaches
//! offset N only by stepping over N entries. A scrolling grid asks the same count for
//! every page and pages near the ones it asked before, so a count is kept per query, and a
//! page's first key is kept as an anchor the next nearby page starts from. Everything is
//! dropped as soon as an import or an admin change commits.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use rusqlite::types::Value;

/// The sort key of one row: the sorted column's value and the row's key.
pub type Anchor = (Value, i64);

/// Per query: the catalog generation the value was computed at, and the value.
type PerQuery<T> = Mutex<HashMap<String, (u64, T)>>;

#[derive(Default)]
pub struct ListCache {
    generation: AtomicU64,
    counts: PerQuery<i64>,
    anchors: PerQuery<BTreeMap<i64, Anchor>>,
}

const MAX_QUERIES: usize = 512;
const MAX_ANCHORS_PER_QUERY: usize = 4096;

impl ListCache {
    /// Called after every committed catalog change.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Called after clients' reports changed per-update counts: the counts and anchors
    /// of lists filtered or sorted on them are dropped, but the generation stays, so what
    /// depends only on the catalog and admin decisions (the effective policy, the clients'
    /// offer graph) is not rebuilt at every report.
    pub fn forget_counts(&self) {
        lock(&self.counts).clear();
        lock(&self.anchors).clear();
    }

    /// Moves on every committed change that can alter a list (imports, declines, admin
    /// writes); other caches (the effective-policy snapshot) compare against it.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// The count for `key`, computing it with `count` when unknown or stale.
    pub fn get_or_count<E>(&self, key: &str, count: impl FnOnce() -> Result<i64, E>) -> Result<i64, E> {
        let generation = self.generation.load(Ordering::SeqCst);
        if let Some((g, n)) = lock(&self.counts).get(key) {
            if *g == generation {
                return Ok(*n);
            }
        }
        let n = count()?;
        let mut map = lock(&self.counts);
        if map.len() >= MAX_QUERIES {
            map.clear();
        }
        map.insert(key.to_string(), (generation, n));
        Ok(n)
    }

    /// The nearest anchor at or before `offset` for this query, if any.
    pub fn anchor_before(&self, key: &str, offset: i64) -> Option<(i64, Anchor)> {
        let generation = self.generation.load(Ordering::SeqCst);
        let map = lock(&self.anchors);
        let (g, anchors) = map.get(key)?;
        if *g != generation {
            return None;
        }
        anchors.range(..=offset).next_back().map(|(o, a)| (*o, a.clone()))
    }

    pub fn remember_anchor(&self, key: &str, offset: i64, anchor: Anchor) {
        let generation = self.generation.load(Ordering::SeqCst);
        let mut map = lock(&self.anchors);
        if map.len() >= MAX_QUERIES && !map.contains_key(key) {
            map.clear();
        }
        let entry = map
            .entry(key.to_string())
            .or_insert_with(|| (generation, BTreeMap::new()));
        if entry.0 != generation {
            *entry = (generation, BTreeMap::new());
        }
        if entry.1.len() < MAX_ANCHORS_PER_QUERY {
            entry.1.insert(offset, anchor);
        }
    }
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_makes_counts_and_anchors_stale() {
        let c = ListCache::default();
        assert_eq!(c.get_or_count::<()>("q", || Ok(1)), Ok(1));
        assert_eq!(c.get_or_count::<()>("q", || Ok(2)), Ok(1), "remembered");
        c.remember_anchor("q", 5000, (Value::Text("m".into()), 7));
        assert_eq!(c.anchor_before("q", 6000).map(|a| a.0), Some(5000));
        assert_eq!(c.anchor_before("q", 4999), None);
        c.invalidate();
        assert_eq!(c.get_or_count::<()>("q", || Ok(3)), Ok(3), "recounted after a change");
        assert_eq!(c.anchor_before("q", 6000), None, "anchors dropped after a change");
    }
}

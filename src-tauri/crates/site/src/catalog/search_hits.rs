//! The updates a search text, a product or a classification picks, held as bit sets until
//! the catalog changes.
//!
//! FTS5 answers a common word ("Security Update") by decoding a posting list of a hundred
//! thousand rows, 0.2-0.9 s, and the grid asks the same text again for every page and
//! every scroll; a product's members are 40,000 links. Held as bits, a repeated query tests
//! each index entry by key (`hit(upd_pk)` in SQL) and never builds the set again, and two
//! sets combine by intersection before SQLite sees them. Kept per catalog generation
//! (`ListCache`): an import, a decline or an admin change drops them all.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rusqlite::{params_from_iter, types::Value, Connection};

use super::list_cache::lock;
use super::pk_bits::PkBits;
use super::queries::marks;

/// At most this many sets are held (about 64 KB each at 500,000 updates).
const MAX_SETS: usize = 256;

#[derive(Default)]
pub struct SearchHits {
    /// The generation the sets belong to, and the sets by what picked them.
    sets: Mutex<(u64, HashMap<String, Arc<PkBits>>)>,
}

impl SearchHits {
    /// The set known as `key` at `generation`, built by `build` when not held.
    fn get_or_build(
        &self,
        key: String,
        generation: u64,
        build: impl FnOnce() -> rusqlite::Result<PkBits>,
    ) -> rusqlite::Result<Arc<PkBits>> {
        {
            let held = lock(&self.sets);
            if held.0 == generation {
                if let Some(found) = held.1.get(&key) {
                    return Ok(found.clone());
                }
            }
        }
        // Built outside the lock: a long search must not hold up other texts.
        let built = Arc::new(build()?);
        let mut held = lock(&self.sets);
        if held.0 != generation || held.1.len() >= MAX_SETS {
            *held = (generation, HashMap::new());
        }
        held.1.insert(key, built.clone());
        Ok(built)
    }

    /// Updates whose searchable text matches an FTS5 query (from `queries::fts_query`).
    pub(crate) fn matching(&self, c: &Connection, generation: u64, fts: &str) -> rusqlite::Result<Arc<PkBits>> {
        self.get_or_build(format!("search|{fts}"), generation, || {
            keys(
                c,
                "SELECT rowid FROM update_search WHERE update_search MATCH ?",
                &[Value::Text(fts.to_string())],
            )
        })
    }

    /// Updates linked to any of these categories (lowercase ids), in these `listed` states.
    pub(crate) fn in_categories(
        &self,
        c: &Connection,
        generation: u64,
        ids: &[String],
        listed: &[i64],
    ) -> rusqlite::Result<Arc<PkBits>> {
        // The primary key (category_id, upd_pk) holds `listed` in its leaves: one range per
        // category, no row of `updates` read.
        let sql = "SELECT upd_pk FROM update_categories WHERE category_id IN ({ids}) AND listed IN ({listed})";
        self.listed_keys(c, generation, sql, ids, listed)
    }

    /// Updates of these classifications (lowercase ids), in these `listed` states.
    pub(crate) fn classified(
        &self,
        c: &Connection,
        generation: u64,
        ids: &[String],
        listed: &[i64],
    ) -> rusqlite::Result<Arc<PkBits>> {
        // updates_list_filter carries the key: a covering range per classification.
        let sql = "SELECT upd_pk FROM updates INDEXED BY updates_list_filter
                   WHERE classification_id IN ({ids}) AND listed IN ({listed})";
        self.listed_keys(c, generation, sql, ids, listed)
    }

    /// The keys `sql` selects for these ids and `listed` states, kept under its text.
    fn listed_keys(
        &self,
        c: &Connection,
        generation: u64,
        sql: &str,
        ids: &[String],
        listed: &[i64],
    ) -> rusqlite::Result<Arc<PkBits>> {
        self.get_or_build(format!("{sql}|{ids:?}|{listed:?}"), generation, || {
            let sql = sql
                .replace("{ids}", &marks(ids.len()))
                .replace("{listed}", &marks(listed.len()));
            let values: Vec<Value> = ids
                .iter()
                .cloned()
                .map(Value::Text)
                .chain(listed.iter().map(|l| Value::Integer(*l)))
                .collect();
            keys(c, &sql, &values)
        })
    }
}

fn keys(c: &Connection, sql: &str, values: &[Value]) -> rusqlite::Result<PkBits> {
    let mut stmt = c.prepare_cached(sql)?;
    let found = stmt.query_map(params_from_iter(values.iter()), |r| r.get::<_, i64>(0))?;
    found.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_is_built_once_per_generation() {
        let hits = SearchHits::default();
        let mut builds = 0;
        let mut build = |g: u64| {
            hits.get_or_build("k".into(), g, || {
                builds += 1;
                Ok([1, 2].into_iter().collect())
            })
            .map(|b| b.len())
        };
        assert_eq!(build(0), Ok(2));
        assert_eq!(build(0), Ok(2));
        assert_eq!(build(1), Ok(2), "built again after a change");
        drop(build);
        assert_eq!(builds, 2);
    }
}

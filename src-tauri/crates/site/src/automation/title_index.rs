//! "Title or KB contains" without reading half a million titles per rule.
//!
//! A substring can start anywhere in a word, so neither the list indexes nor the full-text
//! index (which matches word beginnings) can answer it: SQLite has to test every title,
//! 110–220 ms at 500,000 updates. Here the titles and KB numbers of the site sit lowercased
//! in two flat buffers, and one SIMD substring search over each answers in milliseconds.
//!
//! The buffers change only when revisions arrive (titles and KB numbers come from the
//! update documents), so they are keyed on the newest `revisions` row and rebuilt lazily
//! after an import. Rows of every `listed` state are held: the caller's SQL still decides
//! which of the candidates count (declined, expired, ...), so a decline never stales this.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use memchr::memmem;
use rusqlite::Connection;

/// One site's titles and KB numbers, lowercased, one entry per line.
pub(crate) struct TitleIndex {
    /// `max(rev_pk)` when built.
    key: i64,
    pks: Vec<i64>,
    titles: Flat,
    kbs: Flat,
}

/// Entries joined by '\n', with the offset where each starts.
#[derive(Default)]
struct Flat {
    text: Vec<u8>,
    starts: Vec<usize>,
}

impl Flat {
    fn push(&mut self, entry: &str) {
        self.starts.push(self.text.len());
        // A line break inside a title would split it: the search must not match across it.
        self.text.extend(entry.to_lowercase().replace('\n', " ").bytes());
        self.text.push(b'\n');
    }

    /// Indexes of the entries that contain `needle` (lowercase, no line break), ascending.
    fn find(&self, needle: &str) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for at in memmem::find_iter(&self.text, needle.as_bytes()) {
            // The entry holding the match: the last start at or before it.
            let entry = self.starts.partition_point(|s| *s <= at).saturating_sub(1);
            if out.last() != Some(&entry) {
                out.push(entry);
            }
        }
        out
    }
}

type Cache = Mutex<HashMap<PathBuf, Arc<TitleIndex>>>;

fn cache() -> &'static Cache {
    static C: OnceLock<Cache> = OnceLock::new();
    C.get_or_init(Default::default)
}

impl TitleIndex {
    fn build(c: &Connection, key: i64) -> rusqlite::Result<Self> {
        let mut stmt = c.prepare("SELECT upd_pk, title, kb_article_id FROM updates WHERE listed <> 0")?;
        let mut rows = stmt.query([])?;
        let mut index = TitleIndex {
            key,
            pks: Vec::new(),
            titles: Flat::default(),
            kbs: Flat::default(),
        };
        while let Some(r) = rows.next()? {
            index.pks.push(r.get(0)?);
            index.titles.push(&r.get::<_, String>(1)?);
            index.kbs.push(&r.get::<_, String>(2)?);
        }
        Ok(index)
    }

    /// The index of the site behind `c`, built now when an import has moved on since.
    pub(crate) fn current(c: &Connection, site_db: PathBuf) -> rusqlite::Result<Arc<TitleIndex>> {
        let key: i64 = c.query_row("SELECT coalesce(max(rev_pk), 0) FROM revisions", [], |r| r.get(0))?;
        // Held while building: a second rule waits for this build rather than doing its own.
        let mut slot = cache().lock().unwrap_or_else(|p| p.into_inner());
        if let Some(found) = slot.get(&site_db).filter(|i| i.key == key) {
            return Ok(found.clone());
        }
        let started = std::time::Instant::now();
        let built = Arc::new(TitleIndex::build(c, key)?);
        tracing::debug!(
            updates = built.pks.len(),
            ms = started.elapsed().as_millis() as u64,
            "title index built"
        );
        slot.insert(site_db, built.clone());
        Ok(built)
    }

    /// Updates (upd_pk, ascending) whose title contains `text`, or whose KB number contains
    /// `kb_digits`, ignoring case.
    pub(crate) fn matching(&self, text: &str, kb_digits: Option<&str>) -> Vec<i64> {
        let needle = text.to_lowercase();
        let mut found: Vec<usize> = if needle.contains('\n') {
            Vec::new()
        } else {
            self.titles.find(&needle)
        };
        if let Some(d) = kb_digits.filter(|d| !d.is_empty()) {
            found.extend(self.kbs.find(d));
        }
        let mut pks: Vec<i64> = found.into_iter().filter_map(|i| self.pks.get(i).copied()).collect();
        pks.sort_unstable();
        pks.dedup();
        pks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(rows: &[(i64, &str, &str)]) -> TitleIndex {
        let mut i = TitleIndex {
            key: 0,
            pks: Vec::new(),
            titles: Flat::default(),
            kbs: Flat::default(),
        };
        for (pk, title, kb) in rows {
            i.pks.push(*pk);
            i.titles.push(title);
            i.kbs.push(kb);
        }
        i
    }

    #[test]
    fn finds_substrings_anywhere_ignoring_case_and_never_across_entries() {
        let i = index(&[
            (7, "2026-11 Cumulative Update for Windows 11 (KB5034441)", "5034441"),
            (9, "Security Intelligence Update for Microsoft Defender", "2267602"),
            (12, "Ümlaut Ärger Update", ""),
            (15, "Windows Malicious Software Removal Tool", "890830"),
        ]);
        assert_eq!(i.matching("cumul", None), vec![7]);
        assert_eq!(i.matching("UMULATIVE", None), vec![7], "mid-word, any case");
        assert_eq!(i.matching("update", None), vec![7, 9, 12]);
        assert_eq!(i.matching("ärger", None), vec![12], "non-ASCII case folding");
        // The end of one title and the start of the next never make a match.
        assert!(i.matching("defender\nwindows", None).is_empty());
        assert!(i.matching("defenderwindows", None).is_empty());
        // KB digits match the KB column too, even when the title does not say it.
        assert_eq!(i.matching("KB2267602", Some("2267602")), vec![9]);
        assert_eq!(i.matching("8908", Some("8908")), vec![15]);
        assert!(i.matching("nothing like this", None).is_empty());
    }
}

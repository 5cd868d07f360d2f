//! "Title or KB contains" and "language is" without reading half a million rows per rule.
//!
//! A substring can start anywhere in a word, so neither the list indexes nor the full-text
//! index (which matches word beginnings) can answer it: SQLite has to test every title,
//! 110–220 ms at 500,000 updates. Here the titles and KB numbers of the site sit lowercased
//! in two flat buffers, and one SIMD substring search over each answers in milliseconds.
//! Languages are a comma-separated list on each row, which no index holds either: their
//! copy here answers "which updates have one of these languages" as a bit per update, so
//! a rule can test them on index entries without reading the rows.
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

use crate::catalog::pk_bits::PkBits;

/// One site's titles and KB numbers, lowercased, one entry per line.
pub(crate) struct TitleIndex {
    /// `max(rev_pk)` when built.
    key: i64,
    pks: Vec<i64>,
    titles: Flat,
    kbs: Flat,
    /// Each entry's languages, lowercased and wrapped in commas (",de,fr,"; "," for none).
    langs: Vec<Box<str>>,
    /// Each entry's `arrival_utc` (when its latest revision came), as stored: fixed-width
    /// UTC text, so comparing the text compares the times.
    arrivals: Vec<Box<str>>,
    /// `language_bits` answers, by language list.
    language_sets: Mutex<HashMap<Vec<String>, Arc<PkBits>>>,
}

/// Language lists whose bits are kept (64 KB each at 500,000 updates).
const MAX_LANGUAGE_SETS: usize = 32;

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
        let mut stmt =
            c.prepare("SELECT upd_pk, title, kb_article_id, languages, arrival_utc FROM updates WHERE listed <> 0")?;
        let mut rows = stmt.query([])?;
        let mut index = TitleIndex {
            key,
            pks: Vec::new(),
            titles: Flat::default(),
            kbs: Flat::default(),
            langs: Vec::new(),
            arrivals: Vec::new(),
            language_sets: Mutex::default(),
        };
        while let Some(r) = rows.next()? {
            index.pks.push(r.get(0)?);
            index.titles.push(&r.get::<_, String>(1)?);
            index.kbs.push(&r.get::<_, String>(2)?);
            index.langs.push(wrapped(&r.get::<_, String>(3)?));
            index.arrivals.push(r.get::<_, String>(4)?.into());
        }
        Ok(index)
    }

    /// The index of the site behind `c`, built now when an import has moved on since.
    pub(crate) fn of(c: &Connection) -> rusqlite::Result<Arc<TitleIndex>> {
        // The database file as SQLite names it: the same for the writer and every reader.
        let site_db = PathBuf::from(c.path().unwrap_or_default());
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

    /// One bit per upd_pk: set for updates with no language or one of `langs` (lowercase).
    /// Kept per language list with the index: a rule evaluated again (every scheduler
    /// tick, every preview) would otherwise test half a million entries each time.
    pub(crate) fn language_bits(&self, langs: &[String]) -> Arc<PkBits> {
        let mut held = self.language_sets.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(found) = held.get(langs) {
            return found.clone();
        }
        let wanted: Vec<String> = langs.iter().map(|l| format!(",{l},")).collect();
        let mut bits = PkBits::default();
        for (pk, have) in self.pks.iter().zip(&self.langs) {
            if have.as_ref() == "," || wanted.iter().any(|w| have.contains(w.as_str())) {
                bits.set(*pk);
            }
        }
        let bits = Arc::new(bits);
        if held.len() >= MAX_LANGUAGE_SETS {
            held.clear();
        }
        held.insert(langs.to_vec(), bits.clone());
        bits
    }

    /// One bit per upd_pk: set for updates whose latest revision arrived at or after `since`.
    pub(crate) fn arrived_bits(&self, since: &str) -> PkBits {
        let mut bits = PkBits::default();
        for (pk, at) in self.pks.iter().zip(&self.arrivals) {
            if at.as_ref() >= since {
                bits.set(*pk);
            }
        }
        bits
    }
}

/// ",de,fr," from "de,FR": a code is then found exactly by searching ",fr,".
fn wrapped(languages: &str) -> Box<str> {
    let codes: Vec<String> = languages
        .split(',')
        .map(|l| l.trim().to_lowercase())
        .filter(|l| !l.is_empty())
        .collect();
    format!(",{}{}", codes.join(","), if codes.is_empty() { "" } else { "," }).into()
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
            langs: Vec::new(),
            arrivals: Vec::new(),
            language_sets: Mutex::default(),
        };
        for (pk, title, kb) in rows {
            i.pks.push(*pk);
            i.titles.push(title);
            i.kbs.push(kb);
            i.arrivals
                .push(format!("2026-11-{:02}T00:00:00.000Z", pk % 28 + 1).into());
            i.langs.push(wrapped(if *pk == 7 {
                "en, FR"
            } else if *pk == 9 {
                ""
            } else {
                "de"
            }));
        }
        i
    }

    #[test]
    fn language_bits_hold_the_updates_with_a_chosen_language_or_none() {
        let i = index(&[(7, "a", ""), (9, "b", ""), (12, "c", ""), (200, "d", "")]);
        let fr = i.language_bits(&["fr".into()]);
        assert!(
            Arc::ptr_eq(&fr, &i.language_bits(&["fr".into()])),
            "kept, not built again"
        );
        assert!(fr.contains(7) && fr.contains(9), "French, and no language at all");
        assert!(!fr.contains(12) && !fr.contains(200) && !fr.contains(-1) && !fr.contains(100_000));
        let de = i.language_bits(&["de".into(), "es".into()]);
        assert!(de.contains(12) && de.contains(200) && de.contains(9) && !de.contains(7));
        assert!(
            !i.language_bits(&["e".into()]).contains(7),
            "codes match whole, not in part"
        );
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

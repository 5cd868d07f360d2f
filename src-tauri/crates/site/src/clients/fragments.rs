//! The MS-WUSP fragments of the revisions this site stores: the core fragment each
//! `SyncUpdates` page carries, and the extended and localized ones `GetExtendedUpdateInfo`
//! asks for. Made once per offered revision and kept with the offer graph (inflating and
//! splitting a stored document on every call was a quarter of a scan's server time,
//! docs/BENCHMARKS.md); only the localized fragments of the languages the site
//! synchronizes (and English, which [MS-WUSP] says to always return) are kept, so a
//! document of forty languages does not stay whole in memory.

use std::sync::Arc;

use rusqlite::OptionalExtension;
use wsus::wusp::fragments::{split, Fragments};

use super::graph::Node;
use crate::catalog::import::inflate;
use crate::handle::Site;

/// The stored document of revision `rev_id`, split; `None` for a revision the site does not
/// hold.
pub(super) fn of_revision(site: &Site, rev_id: i32) -> Result<Option<Fragments>, String> {
    let blob: Option<Vec<u8>> = site
        .store()
        .reader()
        .query_row("SELECT xml_deflate FROM revisions WHERE rev_pk = ?1", [rev_id], |r| {
            r.get(0)
        })
        .optional()
        .map_err(|e| e.to_string())?;
    let Some(blob) = blob else { return Ok(None) };
    let xml = inflate(&blob).map_err(|e| format!("revision {rev_id}: the stored document cannot be read: {e}"))?;
    split(&xml)
        .map(Some)
        .map_err(|e| format!("revision {rev_id}: the stored document cannot be split into fragments: {e}"))
}

/// The fragments of `node`'s revision, kept with the graph.
pub(super) fn of_node(site: &Site, node: &Node) -> Result<Arc<Fragments>, String> {
    if let Some(f) = node.fragments.get() {
        return Ok(f.clone());
    }
    let mut fragments = of_revision(site, node.rev_id)?
        .ok_or_else(|| format!("revision {} is in the offer graph but not stored", node.rev_id))?;
    let languages = crate::update_point::settings::load(site)
        .map(|s| s.languages)
        .unwrap_or_default();
    keep_languages(&mut fragments, &languages);
    let fragments = Arc::new(fragments);
    // Two callers may race here; both made the same fragments, the first one kept wins.
    let _ = node.fragments.set(fragments.clone());
    Ok(fragments)
}

/// Drops the localized fragments of languages the site does not synchronize, keeping
/// English, and the first one when none of those is there.
fn keep_languages(f: &mut Fragments, languages: &[String]) {
    let wanted = |lang: &str| {
        let primary = lang.split('-').next().unwrap_or(lang);
        lang.eq_ignore_ascii_case("en")
            || primary.eq_ignore_ascii_case("en")
            || languages
                .iter()
                .any(|l| l.eq_ignore_ascii_case(lang) || l.eq_ignore_ascii_case(primary))
    };
    if f.localized.iter().any(|l| wanted(&l.language)) {
        f.localized.retain(|l| wanted(&l.language));
    } else {
        f.localized.truncate(1);
    }
}

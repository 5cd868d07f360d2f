//! The MS-WUSP fragments of the revisions this site stores: the core fragment each
//! `SyncUpdates` page carries (made once per revision and kept with the offer graph), and
//! the extended and localized ones `GetExtendedUpdateInfo` asks for, with the files'
//! download locations.

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

/// The core fragment of `node`'s revision.
pub(super) fn core(site: &Site, node: &Node) -> Result<Arc<str>, String> {
    if let Some(core) = node.core.get() {
        return Ok(core.clone());
    }
    let fragments = of_revision(site, node.rev_id)?
        .ok_or_else(|| format!("revision {} is in the offer graph but not stored", node.rev_id))?;
    let core: Arc<str> = Arc::from(fragments.core);
    // Two callers may race here; both made the same text, the first one kept wins.
    let _ = node.core.set(core.clone());
    Ok(core)
}

//! `GetExtendedUpdateInfo` and `GetFileLocations`: the fragments a client asks for after a
//! scan (what to show and how to install), and where each file of those revisions is
//! downloaded from: the site's `/Content/XX/<SHA1>.<ext>` on the address the client used
//! (flow/000015), whether or not the library holds the file yet, as WSUS answers.

use wsus::wusp::{
    error_codes, ExtendedUpdateInfo, FileLocation, FragmentType, GetExtendedUpdateInfoRequest, UpdateData,
};

use std::sync::Arc;

use super::fragments::{of_node, of_revision};
use super::graph::GraphCache;
use super::{ClientFault, MAX_EXTENDED_UPDATES_PER_REQUEST};
use crate::content::relative_path;
use crate::handle::Site;

/// The answer for `request`, with file URLs under `base_url` (`http://host:port`).
/// Revision ids the site does not hold are passed over, as a category a client cached
/// from another server is.
pub(super) fn extended_info(
    site: &Site,
    request: &GetExtendedUpdateInfoRequest,
    base_url: &str,
) -> Result<ExtendedUpdateInfo, ClientFault> {
    if request.revision_ids.len() > MAX_EXTENDED_UPDATES_PER_REQUEST as usize {
        return Err(ClientFault::new(
            error_codes::INVALID_PARAMETERS,
            format!(
                "revisionIDs: {} revisions asked, at most {MAX_EXTENDED_UPDATES_PER_REQUEST} per call",
                request.revision_ids.len()
            ),
        ));
    }
    let graph = site
        .state::<GraphCache>()
        .current(site)
        .map_err(ClientFault::internal)?;
    let mut held = Vec::new();
    for &rev in &request.revision_ids {
        if held.iter().any(|(r, _)| *r == rev) {
            continue;
        }
        // Offered revisions from the graph's cache; an older revision a client still
        // holds, from its stored document.
        let fragments = match graph.by_rev.get(&rev) {
            Some(&i) => Some(of_node(site, &graph.nodes[i as usize]).map_err(ClientFault::internal)?),
            None => of_revision(site, rev).map_err(ClientFault::internal)?.map(Arc::new),
        };
        if let Some(f) = fragments {
            held.push((rev, f));
        }
    }
    let mut info = ExtendedUpdateInfo::default();
    // One type after the other, each in the order asked (flow/000015: every Extended, then
    // every LocalizedProperties).
    for kind in &request.info_types {
        for (rev, f) in &held {
            let xml = match kind {
                FragmentType::Extended => Some(f.extended.clone()),
                FragmentType::LocalizedProperties => pick_language(&f.localized, &request.locales),
                FragmentType::Core => Some(f.core.clone()),
                _ => None,
            };
            if let Some(xml) = xml {
                info.updates.push(UpdateData { id: *rev, xml });
            }
        }
    }
    let revs: Vec<i32> = held.iter().map(|(r, _)| *r).collect();
    info.file_locations = locations_of_revisions(site, &revs, base_url).map_err(ClientFault::internal)?;
    Ok(info)
}

/// The localized fragment for the first of `locales` the revision has (`en-US` also takes
/// `en`), else its first one.
fn pick_language(localized: &[wsus::wusp::fragments::LocalizedFragment], locales: &[String]) -> Option<String> {
    let exact = locales
        .iter()
        .find_map(|l| localized.iter().find(|f| f.language.eq_ignore_ascii_case(l)));
    let primary = || {
        locales.iter().find_map(|l| {
            let p = l.split('-').next().unwrap_or(l);
            localized.iter().find(|f| f.language.eq_ignore_ascii_case(p))
        })
    };
    exact
        .or_else(primary)
        .or_else(|| localized.first())
        .map(|f| f.xml.clone())
}

fn location(base_url: &str, sha1: &str, file_name: &str) -> Option<FileLocation> {
    relative_path(sha1, file_name).map(|rel| FileLocation {
        file_digest: sha1.to_string(),
        url: format!("{base_url}/Content/{rel}"),
    })
}

fn locations_of_revisions(site: &Site, revs: &[i32], base_url: &str) -> rusqlite::Result<Vec<FileLocation>> {
    let c = site.store().reader();
    let mut stmt = c.prepare_cached(
        "SELECT f.sha1, f.file_name FROM revisions r
         JOIN updates u ON u.update_id = r.update_id AND u.revision = r.revision
         JOIN files f ON f.upd_pk = u.upd_pk
         WHERE r.rev_pk = ?1",
    )?;
    let mut out: Vec<FileLocation> = Vec::new();
    for rev in revs {
        let rows = stmt.query_map([rev], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (sha1, name) = row?;
            if out.iter().any(|l| l.file_digest == sha1) {
                continue;
            }
            out.extend(location(base_url, &sha1, &name));
        }
    }
    Ok(out)
}

/// `GetFileLocations`: the URL of each digest the site's catalog knows; unknown digests are
/// left out.
pub(super) fn file_locations(
    site: &Site,
    digests: &[String],
    base_url: &str,
) -> Result<Vec<FileLocation>, ClientFault> {
    let c = site.store().reader();
    let mut stmt = c
        .prepare_cached("SELECT file_name FROM files WHERE sha1 = ?1 LIMIT 1")
        .map_err(ClientFault::internal)?;
    let mut out = Vec::new();
    for digest in digests {
        let digest = digest.trim();
        let name: Option<String> = stmt
            .query_row([digest], |r| r.get(0))
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })
            .map_err(ClientFault::internal)?;
        if let Some(name) = name {
            out.extend(location(base_url, digest, &name));
        }
    }
    Ok(out)
}

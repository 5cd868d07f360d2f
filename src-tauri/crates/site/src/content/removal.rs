//! Deleting a deployment package: refused while one of its downloads or distributions runs;
//! the library files no other package holds go with it. Apart from `packages.rs` because it
//! asks `download` and `distribution` whether they are busy, and both of those use
//! `packages`.

use crate::audit;
use crate::handle::{Actor, Site};
use crate::wire::{ApiError, ErrorCode, IdArgs};

/// Deletes a package, and the library files no other package holds. Refused while one of
/// its downloads or distributions runs.
pub fn delete_package(site: &Site, actor: &Actor, args: IdArgs) -> Result<crate::wire::NoArgs, ApiError> {
    let pkg = super::packages::get(site, args.id)?;
    if super::download::running_for_package(site, args.id) {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!(
                "The package '{}' is being downloaded; cancel the download first, then delete the package.",
                pkg.name
            ),
        ));
    }
    if super::distribution::copying_package(site, args.id) {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!(
                "The package '{}' is being copied to a distribution point; wait for it to finish.",
                pkg.name
            ),
        ));
    }
    let orphans: Vec<String> = {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let orphans = {
            let mut stmt = tx.prepare(
                "SELECT ct.path FROM package_content pc JOIN content ct ON ct.sha1 = pc.sha1
                 WHERE pc.package_id = ?1
                   AND NOT EXISTS (SELECT 1 FROM package_content o WHERE o.sha1 = pc.sha1 AND o.package_id <> ?1)",
            )?;
            let v = stmt
                .query_map([args.id], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            v
        };
        tx.execute(
            "DELETE FROM content WHERE sha1 IN (SELECT pc.sha1 FROM package_content pc WHERE pc.package_id = ?1
               AND NOT EXISTS (SELECT 1 FROM package_content o WHERE o.sha1 = pc.sha1 AND o.package_id <> ?1))",
            [args.id],
        )?;
        tx.execute("DELETE FROM packages WHERE package_id = ?1", [args.id])?;
        audit::record(
            &tx,
            actor,
            "content.package.delete",
            &pkg.name,
            &format!("{} files, {} removed from the library", pkg.file_count, orphans.len()),
        )?;
        tx.commit()?;
        orphans
    };
    // Files go after the rows: a crash in between leaves a stray file, never a row without one.
    let root = super::library_root(site);
    for p in orphans {
        if let Err(e) = std::fs::remove_file(root.join(&p)) {
            tracing::warn!(path = %p, error = %e, "library file of a deleted package not removed");
        }
    }
    Ok(crate::wire::NoArgs {})
}

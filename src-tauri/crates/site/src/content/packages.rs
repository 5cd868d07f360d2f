//! Deployment packages: named sets of update files in the content library.

use rusqlite::{params, Connection, OptionalExtension};

use super::{invalid, not_found};
use crate::audit;
use crate::handle::{Actor, Site};
use crate::wire::{ApiError, ContentPackage, CreatePackageArgs, DistributionSummary, ErrorCode};

pub fn list(site: &Site, _actor: &Actor, _args: crate::wire::NoArgs) -> Result<Vec<ContentPackage>, ApiError> {
    let c = site.store().reader();
    let mut stmt = c.prepare_cached(
        "SELECT p.package_id, p.name, p.description, p.created_utc,
                (SELECT COUNT(*) FROM package_content pc WHERE pc.package_id = p.package_id),
                (SELECT COALESCE(SUM(sz), 0) FROM (SELECT MAX(f.size) AS sz FROM package_content pc
                    JOIN files f ON f.sha1 = pc.sha1 WHERE pc.package_id = p.package_id GROUP BY pc.sha1)),
                (SELECT COUNT(*) FROM package_content pc JOIN content ct ON ct.sha1 = pc.sha1
                    WHERE pc.package_id = p.package_id)
         FROM packages p ORDER BY p.name",
    )?;
    let mut out = stmt
        .query_map([], |r| {
            Ok(ContentPackage {
                id: r.get(0)?,
                name: r.get(1)?,
                description: r.get(2)?,
                created_utc: r.get(3)?,
                file_count: r.get(4)?,
                total_bytes: r.get(5)?,
                downloaded_count: r.get(6)?,
                distribution: DistributionSummary::default(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut dist =
        c.prepare_cached("SELECT state, COUNT(*) FROM package_distribution WHERE package_id = ?1 GROUP BY state")?;
    for p in &mut out {
        let rows = dist
            .query_map([p.id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (state, n) in rows {
            match state.as_str() {
                "Installed" => p.distribution.installed = n,
                "InProgress" => p.distribution.in_progress = n,
                "Pending" => p.distribution.pending = n,
                _ => p.distribution.failed += n,
            }
        }
    }
    Ok(out)
}

pub fn create(site: &Site, actor: &Actor, args: CreatePackageArgs) -> Result<ContentPackage, ApiError> {
    let id = {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let id = insert(&tx, actor, &args.name, &args.description)?;
        tx.commit()?;
        id
    };
    get(site, id)
}

/// Creates a package inside the caller's transaction (the download wizard's "new package").
pub(crate) fn insert(tx: &Connection, actor: &Actor, name: &str, description: &str) -> Result<i64, ApiError> {
    let name = name.trim();
    if name.is_empty() || name.len() > 200 {
        return Err(invalid("Give the package a name of 1 to 200 characters."));
    }
    let exists: Option<i64> = tx
        .query_row("SELECT package_id FROM packages WHERE name = ?1", [name], |r| r.get(0))
        .optional()?;
    if exists.is_some() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("A package named '{name}' already exists; choose it as an existing package or give another name."),
        ));
    }
    tx.execute(
        "INSERT INTO packages (name, description, created_utc) VALUES (?1, ?2, ?3)",
        params![name, description.trim(), crate::clock::now_utc()],
    )?;
    let id = tx.last_insert_rowid();
    audit::record(tx, actor, "content.package.create", name, &format!("package {id}"))?;
    Ok(id)
}

pub(crate) fn get(site: &Site, id: i64) -> Result<ContentPackage, ApiError> {
    list(site, &Actor::new("internal"), crate::wire::NoArgs {})?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| not_found(format!("There is no package {id}.")))
}

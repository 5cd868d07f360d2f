//! Distribution points: where clients get content. A folder distribution point (local or
//! network path) receives a package's files under the library's layout
//! (`<folder>/Content/<XX>/<SHA1HEX>.<ext>`), each copy checked against the catalog's
//! digests before it counts. Remote distribution points (another `patchdeck serve`) are
//! recorded but distribution to them is not built yet.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use rusqlite::{params, OptionalExtension};

use super::{invalid, not_found};
use crate::api::{
    AddDistributionPointArgs, ApiError, DistributePackageArgs, DistributionPoint, DistributionPointKind,
    DistributionState, DistributionStatus, DistributionStatusArgs, ErrorCode, IdArgs, NoArgs, SiteEvent,
};
use crate::{audit, Actor, Site};

/// Copies running in this process, by (database, package, distribution point). A row left
/// InProgress by a process that stopped is shown as Failed (interrupted) and may be redone.
type Copying = Mutex<HashSet<(PathBuf, i64, i64)>>;

fn copying() -> &'static Copying {
    static C: OnceLock<Copying> = OnceLock::new();
    C.get_or_init(Default::default)
}

fn copying_now(site: &Site, package: Option<i64>, dp: Option<i64>) -> bool {
    let db = site.database_path();
    copying()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .any(|(d, p, q)| *d == db && package.is_none_or(|x| x == *p) && dp.is_none_or(|x| x == *q))
}

pub(crate) fn copying_package(site: &Site, package: i64) -> bool {
    copying_now(site, Some(package), None)
}

const INTERRUPTED: &str = "Interrupted: the copy stopped with the process that ran it; distribute the package again.";

const REMOTE_NOT_BUILT: &str = "Distribution to a remote patchdeck server is not built yet; \
     use a folder distribution point (a local or network folder) for now.";

pub fn list(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<DistributionPoint>, ApiError> {
    let c = site.store().reader();
    let mut stmt =
        c.prepare_cached("SELECT dp_id, name, kind, location, created_utc FROM distribution_points ORDER BY name")?;
    let rows = stmt
        .query_map([], |r| {
            let kind: String = r.get(2)?;
            Ok(DistributionPoint {
                id: r.get(0)?,
                name: r.get(1)?,
                kind: if kind == "Remote" {
                    DistributionPointKind::Remote
                } else {
                    DistributionPointKind::Folder
                },
                location: r.get(3)?,
                created_utc: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn add(site: &Site, actor: &Actor, args: AddDistributionPointArgs) -> Result<DistributionPoint, ApiError> {
    let name = args.name.trim();
    if name.is_empty() || name.len() > 200 {
        return Err(invalid("Give the distribution point a name of 1 to 200 characters."));
    }
    let location = args.location.trim().to_string();
    let kind = match args.kind {
        DistributionPointKind::Folder => {
            let p = Path::new(&location);
            if location.is_empty() || !p.is_absolute() {
                return Err(invalid(format!(
                    "'{location}' is not a full folder path (e.g. D:\\Content, \\\\server\\share\\content or /srv/content)."
                )));
            }
            std::fs::create_dir_all(p).map_err(|e| {
                invalid(format!(
                    "The folder {location} does not exist and cannot be created ({e}); check the path and this site's rights on it."
                ))
            })?;
            "Folder"
        }
        DistributionPointKind::Remote => {
            let lower = location.to_ascii_lowercase();
            if !(lower.starts_with("https://") || lower.starts_with("http://")) {
                return Err(invalid(format!(
                    "'{location}' is not the http:// or https:// address of a patchdeck server."
                )));
            }
            "Remote"
        }
    };
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    let exists: Option<i64> = tx
        .query_row("SELECT dp_id FROM distribution_points WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?;
    if exists.is_some() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("A distribution point named '{name}' exists already."),
        ));
    }
    tx.execute(
        "INSERT INTO distribution_points (name, kind, location, token, created_utc) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![name, kind, location, args.token, crate::now_utc()],
    )?;
    let id = tx.last_insert_rowid();
    audit::record(&tx, actor, "content.dp.add", name, &format!("{kind} {location}"))?;
    tx.commit()?;
    drop(c);
    list(site, actor, NoArgs {})?
        .into_iter()
        .find(|d| d.id == id)
        .ok_or_else(|| ApiError::internal("the distribution point just added is missing"))
}

/// Forgets a distribution point (its folder's files stay). Refused while a copy runs.
pub fn remove(site: &Site, actor: &Actor, args: IdArgs) -> Result<NoArgs, ApiError> {
    let dp = dp(site, args.id)?;
    if copying_now(site, None, Some(args.id)) {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("Packages are being copied to '{}'; wait for them to finish.", dp.name),
        ));
    }
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    tx.execute("DELETE FROM distribution_points WHERE dp_id = ?1", [args.id])?;
    audit::record(&tx, actor, "content.dp.remove", &dp.name, &dp.location)?;
    tx.commit()?;
    Ok(NoArgs {})
}

fn dp(site: &Site, id: i64) -> Result<DistributionPoint, ApiError> {
    list(site, &Actor::new("internal"), NoArgs {})?
        .into_iter()
        .find(|d| d.id == id)
        .ok_or_else(|| not_found(format!("There is no distribution point {id}.")))
}

/// Starts copying a package to distribution points (all of them when none is named); each
/// copy runs on its own thread and its state shows in get_distribution_status.
pub fn distribute(
    site: &Site,
    actor: &Actor,
    args: DistributePackageArgs,
) -> Result<Vec<DistributionStatus>, ApiError> {
    let package = super::packages::get(site, args.package_id)?;
    let all = list(site, actor, NoArgs {})?;
    let targets: Vec<DistributionPoint> = if args.dp_ids.is_empty() {
        all
    } else {
        let mut v = Vec::new();
        for id in &args.dp_ids {
            v.push(
                all.iter()
                    .find(|d| d.id == *id)
                    .cloned()
                    .ok_or_else(|| not_found(format!("There is no distribution point {id}.")))?,
            );
        }
        v
    };
    if targets.is_empty() {
        return Err(invalid(
            "Add a distribution point first, then distribute the package to it.",
        ));
    }
    // Claim the copies before recording them, so no reader sees an InProgress row that no
    // thread owns.
    let db = site.database_path();
    let keys: Vec<(PathBuf, i64, i64)> = targets
        .iter()
        .filter(|d| d.kind == DistributionPointKind::Folder)
        .map(|d| (db.clone(), package.id, d.id))
        .collect();
    {
        let mut running = copying().lock().unwrap_or_else(|p| p.into_inner());
        if let Some(d) = targets
            .iter()
            .find(|d| running.contains(&(db.clone(), package.id, d.id)))
        {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("'{}' is being copied to '{}' already.", package.name, d.name),
            ));
        }
        running.extend(keys.iter().cloned());
    }
    let release = || {
        let mut running = copying().lock().unwrap_or_else(|p| p.into_inner());
        for k in &keys {
            running.remove(k);
        }
    };
    let recorded = (|| -> Result<(), ApiError> {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        for d in &targets {
            let (state, detail) = match d.kind {
                DistributionPointKind::Remote => ("Failed", REMOTE_NOT_BUILT),
                DistributionPointKind::Folder => ("InProgress", ""),
            };
            set_state(&tx, package.id, d.id, state, detail)?;
            audit::record(
                &tx,
                actor,
                "content.distribute",
                &package.name,
                &format!("to {} ({})", d.name, d.location),
            )?;
        }
        tx.commit()?;
        Ok(())
    })();
    if let Err(e) = recorded {
        release();
        return Err(e);
    }
    for d in targets.into_iter().filter(|d| d.kind == DistributionPointKind::Folder) {
        let site = site.clone();
        let package_id = package.id;
        let key = (site.database_path(), package_id, d.id);
        let claim = key.clone();
        std::thread::Builder::new()
            .name(format!("distribute-{package_id}-{}", d.id))
            .spawn(move || {
                let (state, detail) = match copy_package(&site, package_id, &d) {
                    Ok(n) => ("Installed", format!("{n} files verified in {}", d.location)),
                    Err(e) => ("Failed", e),
                };
                let c = site.store().writer();
                if let Err(e) = set_state(&c, package_id, d.id, state, &detail) {
                    tracing::error!(error = %e, "distribution state not recorded");
                }
                drop(c);
                copying().lock().unwrap_or_else(|p| p.into_inner()).remove(&key);
                site.emit(SiteEvent::Progress {
                    job: format!("distribute:{package_id}:{}", d.id),
                    done: 1,
                    total: 1,
                    message: format!("{state}: {detail}"),
                });
            })
            .map_err(|e| {
                // The row then reads as interrupted, and distributing again is allowed.
                copying().lock().unwrap_or_else(|p| p.into_inner()).remove(&claim);
                ApiError::internal(format!("The distribution could not start: {e}"))
            })?;
    }
    status(
        site,
        actor,
        DistributionStatusArgs {
            package_id: Some(package.id),
        },
    )
}

fn set_state(c: &rusqlite::Connection, package: i64, dp: i64, state: &str, detail: &str) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO package_distribution (package_id, dp_id, state, detail, updated_utc) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(package_id, dp_id) DO UPDATE SET state = excluded.state, detail = excluded.detail,
             updated_utc = excluded.updated_utc",
        params![package, dp, state, detail, crate::now_utc()],
    )?;
    Ok(())
}

struct Held {
    sha1: String,
    sha256: Option<String>,
    file_name: String,
    path: Option<String>,
}

/// Copies every file of a package and checks each copy; the error names the first problem.
fn copy_package(site: &Site, package_id: i64, d: &DistributionPoint) -> Result<usize, String> {
    let files: Vec<Held> = {
        let c = site.store().reader();
        let mut stmt = c
            .prepare_cached(
                "SELECT pc.sha1, ct.sha256, COALESCE(ct.file_name, ''), ct.path
                 FROM package_content pc LEFT JOIN content ct ON ct.sha1 = pc.sha1
                 WHERE pc.package_id = ?1 ORDER BY pc.sha1",
            )
            .map_err(|e| e.to_string())?;
        let rows = stmt
            .query_map([package_id], |r| {
                Ok(Held {
                    sha1: r.get(0)?,
                    sha256: r.get(1)?,
                    file_name: r.get(2)?,
                    path: r.get(3)?,
                })
            })
            .map_err(|e| e.to_string())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| e.to_string())?;
        rows
    };
    let missing = files.iter().filter(|f| f.path.is_none()).count();
    if missing > 0 {
        return Err(format!(
            "{missing} of the package's {} files are not downloaded yet; download the package's content, then distribute it again.",
            files.len()
        ));
    }
    let library = super::library_root(site);
    let dest_root = PathBuf::from(&d.location).join("Content");
    let total = files.len();
    for (i, f) in files.iter().enumerate() {
        let rel = f.path.as_deref().unwrap_or_default();
        let src = library.join(rel);
        let dest = dest_root.join(rel);
        // A copy already there and intact is kept.
        if dest.is_file() && super::verify(&dest, &f.sha1, f.sha256.as_deref()).is_ok() {
            continue;
        }
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{} cannot be created: {e}", dir.display()))?;
        }
        let tmp = dest.with_extension("partial");
        std::fs::copy(&src, &tmp).map_err(|e| format!("copying {} to {} failed: {e}", f.file_name, tmp.display()))?;
        if let Err(e) = super::verify(&tmp, &f.sha1, f.sha256.as_deref()) {
            let _ = std::fs::remove_file(&tmp);
            return Err(format!(
                "the copy of {} ({rel}) does not match the update metadata ({e}); it was removed. \
                 The library file may be damaged: download the package again.",
                f.file_name
            ));
        }
        std::fs::rename(&tmp, &dest).map_err(|e| format!("moving into {} failed: {e}", dest.display()))?;
        site.emit(SiteEvent::Progress {
            job: format!("distribute:{package_id}:{}", d.id),
            done: (i + 1) as i64,
            total: total as i64,
            message: f.file_name.clone(),
        });
    }
    Ok(total)
}

pub fn status(site: &Site, _actor: &Actor, args: DistributionStatusArgs) -> Result<Vec<DistributionStatus>, ApiError> {
    let c = site.store().reader();
    let mut stmt = c.prepare_cached(
        "SELECT pd.package_id, p.name, pd.dp_id, d.name, pd.state, pd.detail, pd.updated_utc
         FROM package_distribution pd JOIN packages p ON p.package_id = pd.package_id
         JOIN distribution_points d ON d.dp_id = pd.dp_id
         WHERE ?1 IS NULL OR pd.package_id = ?1 ORDER BY p.name, d.name",
    )?;
    let rows = stmt
        .query_map([args.package_id], |r| {
            let state: String = r.get(4)?;
            Ok(DistributionStatus {
                package_id: r.get(0)?,
                package_name: r.get(1)?,
                dp_id: r.get(2)?,
                dp_name: r.get(3)?,
                state: match state.as_str() {
                    "Pending" => DistributionState::Pending,
                    "InProgress" => DistributionState::InProgress,
                    "Installed" => DistributionState::Installed,
                    _ => DistributionState::Failed,
                },
                detail: r.get(5)?,
                updated_utc: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|mut r| {
            if r.state == DistributionState::InProgress && !copying_now(site, Some(r.package_id), Some(r.dp_id)) {
                r.state = DistributionState::Failed;
                r.detail = INTERRUPTED.into();
            }
            r
        })
        .collect())
}

//! Distribution points: where clients get content. A folder distribution point (local or
//! network path) receives a package's files under the library's layout
//! (`<folder>/Content/<XX>/<SHA1HEX>.<ext>`), each copy checked against the catalog's
//! digests before it counts. A remote distribution point (another `patchdeck serve`) gets
//! each file uploaded to `PUT /api/v1/content/<XX>/<SHA1HEX>.<ext>` with its API token; it
//! verifies the bytes against the name before storing them (`receive.rs`), and the upload
//! counts once its `/Content/` path answers with the file's size.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use rusqlite::{params, OptionalExtension};

use super::{invalid, not_found};
use crate::audit;
use crate::handle::{Actor, Site};
use crate::update_point::transport::{error_chain, header, HttpClient};
use crate::wire::{
    AddDistributionPointArgs, ApiError, DistributePackageArgs, DistributionPoint, DistributionPointKind,
    DistributionState, DistributionStatus, DistributionStatusArgs, ErrorCode, IdArgs, NoArgs, SiteEvent,
};
use reqwest::blocking::Response;

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
            if lower.starts_with("http://") && args.allow_plain_http != Some(true) {
                return Err(invalid(format!(
                    "'{location}' uses plain HTTP, where the API token and the update files travel unencrypted. \
                     Use the server's https:// address, or allow plain HTTP explicitly."
                )));
            }
            let host = lower
                .split("://")
                .nth(1)
                .unwrap_or("")
                .split(['/', ':'])
                .next()
                .unwrap_or("");
            if host.is_empty() {
                return Err(invalid(format!("'{location}' has no host name.")));
            }
            if args.token.trim().is_empty() {
                return Err(invalid(
                    "Give the remote server's API token (printed by `patchdeck serve` and stored in its site \
                     folder's api-token file); uploads to it need it.",
                ));
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
        params![name, kind, location, args.token.trim(), crate::clock::now_utc()],
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

/// The points named, or all of them when none is; an unknown id is refused by number.
pub(crate) fn targets(site: &Site, ids: &[i64]) -> Result<Vec<DistributionPoint>, ApiError> {
    let all = list(site, &Actor::new("internal"), NoArgs {})?;
    if ids.is_empty() {
        return Ok(all);
    }
    ids.iter()
        .map(|id| {
            all.iter()
                .find(|d| d.id == *id)
                .cloned()
                .ok_or_else(|| not_found(format!("There is no distribution point {id}.")))
        })
        .collect()
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
    let targets = targets(site, &args.dp_ids)?;
    if targets.is_empty() {
        return Err(invalid(
            "Add a distribution point first, then distribute the package to it.",
        ));
    }
    // Claim the copies before recording them, so no reader sees an InProgress row that no
    // thread owns.
    let db = site.database_path();
    let keys: Vec<(PathBuf, i64, i64)> = targets.iter().map(|d| (db.clone(), package.id, d.id)).collect();
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
            set_state(&tx, package.id, d.id, "InProgress", "")?;
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
    for d in targets {
        let site = site.clone();
        let package_id = package.id;
        let key = (site.database_path(), package_id, d.id);
        let claim = key.clone();
        std::thread::Builder::new()
            .name(format!("distribute-{package_id}-{}", d.id))
            .spawn(move || {
                let copied = match d.kind {
                    DistributionPointKind::Folder => copy_package(&site, package_id, &d),
                    DistributionPointKind::Remote => upload_package(&site, package_id, &d),
                };
                let (state, detail) = match copied {
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
        params![package, dp, state, detail, crate::clock::now_utc()],
    )?;
    Ok(())
}

struct Held {
    sha1: String,
    sha256: Option<String>,
    file_name: String,
    path: Option<String>,
    size: i64,
}

/// The package's files as the library holds them; an error when some are not downloaded.
fn held_files(site: &Site, package_id: i64) -> Result<Vec<Held>, String> {
    let files: Vec<Held> = {
        let c = site.store().reader();
        let mut stmt = c
            .prepare_cached(
                "SELECT pc.sha1, ct.sha256, COALESCE(ct.file_name, ''), ct.path, COALESCE(ct.size, 0)
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
                    size: r.get(4)?,
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
    Ok(files)
}

/// Copies every file of a package and checks each copy; the error names the first problem.
fn copy_package(site: &Site, package_id: i64, d: &DistributionPoint) -> Result<usize, String> {
    let files = held_files(site, package_id)?;
    let library = super::library_root(site);
    let dest_root = PathBuf::from(&d.location).join("Content");
    let total = files.len();
    for (i, f) in files.iter().enumerate() {
        let rel = f.path.as_deref().unwrap_or_default();
        put_in_folder(
            &library.join(rel),
            &dest_root,
            rel,
            &f.file_name,
            &f.sha1,
            f.sha256.as_deref(),
        )
        .map_err(|e| match e {
            PutError::Mismatch(e) => format!(
                "the copy of {} ({rel}) does not match the update metadata ({e}); it was removed. \
                     The library file may be damaged: download the package again.",
                f.file_name
            ),
            PutError::Io(e) => e,
        })?;
        site.emit(SiteEvent::Progress {
            job: format!("distribute:{package_id}:{}", d.id),
            done: (i + 1) as i64,
            total: total as i64,
            message: f.file_name.clone(),
        });
    }
    Ok(total)
}

pub(crate) enum PutError {
    /// The copy's bytes are not the source's digests (the copy was removed).
    Mismatch(String),
    Io(String),
}

/// Copies one file to `<dest_root>/<rel>` through a `.partial` beside it, renamed into place
/// only once its digests match; a copy already there and intact is kept (Ok(false)).
pub(crate) fn put_in_folder(
    src: &Path,
    dest_root: &Path,
    rel: &str,
    file_name: &str,
    sha1: &str,
    sha256: Option<&str>,
) -> Result<bool, PutError> {
    let dest = dest_root.join(rel);
    if dest.is_file() && super::verify(&dest, sha1, sha256).is_ok() {
        return Ok(false);
    }
    if let Some(dir) = dest.parent() {
        std::fs::create_dir_all(dir).map_err(|e| PutError::Io(format!("{} cannot be created: {e}", dir.display())))?;
    }
    let tmp = dest.with_extension("partial");
    std::fs::copy(src, &tmp)
        .map_err(|e| PutError::Io(format!("copying {file_name} to {} failed: {e}", tmp.display())))?;
    if let Err(e) = super::verify(&tmp, sha1, sha256) {
        let _ = std::fs::remove_file(&tmp);
        return Err(PutError::Mismatch(e));
    }
    std::fs::rename(&tmp, &dest).map_err(|e| PutError::Io(format!("moving into {} failed: {e}", dest.display())))?;
    Ok(true)
}

/// Where and how to reach a remote distribution point.
pub(crate) struct Remote {
    client: HttpClient,
    base: String,
    token: String,
    name: String,
}

impl Remote {
    pub(crate) fn new(site: &Site, d: &DistributionPoint) -> Result<Self, String> {
        let token: String = site
            .store()
            .reader()
            .query_row("SELECT token FROM distribution_points WHERE dp_id = ?1", [d.id], |r| {
                r.get(0)
            })
            .map_err(|e| format!("the distribution point's token cannot be read: {e}"))?;
        // The update point's proxy and certificate authorities apply here too.
        let settings = crate::update_point::settings::load(site).map_err(|e| e.message)?;
        let client = crate::update_point::transport::HttpTransport::for_settings(&settings)?.client();
        Ok(Self {
            client,
            base: d.location.trim().trim_end_matches('/').to_string(),
            token,
            name: d.name.clone(),
        })
    }

    /// The answer when it is a success, else why the request failed, in words an
    /// administrator can act on.
    fn checked(&self, what: &str, sent: reqwest::Result<Response>) -> Result<Response, String> {
        match sent {
            Ok(r) if r.status().is_success() => Ok(r),
            Ok(r) if r.status() == reqwest::StatusCode::UNAUTHORIZED => Err(format!(
                "{} ({}) refused the API token (HTTP 401) while {what}; give this distribution point the token \
                 printed by that server's `patchdeck serve` (its site folder's api-token file)",
                self.name, self.base
            )),
            Ok(r) => {
                let status = r.status().as_u16();
                // Patchdeck answers errors as {"code", "message"}; other servers as they like.
                let text = r.text().unwrap_or_default();
                let message = serde_json::from_str::<serde_json::Value>(&text)
                    .ok()
                    .and_then(|v| v["message"].as_str().map(str::to_owned))
                    .unwrap_or_else(|| text.chars().take(300).collect());
                Err(format!(
                    "{} ({}) answered HTTP {status} while {what}: {message}",
                    self.name, self.base
                ))
            }
            Err(e) => Err(format!(
                "{} is unreachable at {} while {what}: {}; check the address, that `patchdeck serve` runs \
                 there, and the proxy settings",
                self.name,
                self.base,
                error_chain(&e)
            )),
        }
    }

    /// The file's size as the remote serves it, None when it does not serve it.
    fn served_size(&self, rel: &str) -> Result<Option<u64>, String> {
        let sent = self.client.head(format!("{}/Content/{rel}", self.base)).send();
        if matches!(&sent, Ok(r) if r.status() == reqwest::StatusCode::NOT_FOUND) {
            return Ok(None);
        }
        let r = self.checked(&format!("checking {rel}"), sent)?;
        Ok(header(&r, reqwest::header::CONTENT_LENGTH).and_then(|v| v.trim().parse().ok()))
    }
}

/// Uploads every file of a package to a remote distribution point, then checks that the
/// remote serves each one; the error names the first problem.
fn upload_package(site: &Site, package_id: i64, d: &DistributionPoint) -> Result<usize, String> {
    let files = held_files(site, package_id)?;
    let remote = Remote::new(site, d)?;
    remote.check_token()?;
    let library = super::library_root(site);
    let total = files.len();
    for (i, f) in files.iter().enumerate() {
        let rel = f.path.as_deref().unwrap_or_default();
        let size = u64::try_from(f.size).unwrap_or(0);
        remote.put(&library.join(rel), rel, &f.file_name, size, f.sha256.as_deref())?;
        site.emit(SiteEvent::Progress {
            job: format!("distribute:{package_id}:{}", d.id),
            done: (i + 1) as i64,
            total: total as i64,
            message: f.file_name.clone(),
        });
    }
    Ok(total)
}

impl Remote {
    /// One authenticated, read-only call: a wrong token or a wrong address shows as such,
    /// not as a broken upload.
    pub(crate) fn check_token(&self) -> Result<(), String> {
        let sent = self
            .client
            .post(format!("{}/api/v1/commands/get_content_settings", self.base))
            .bearer_auth(&self.token)
            .json(&serde_json::json!({}))
            .send();
        self.checked("checking its API token", sent)?;
        Ok(())
    }

    /// Uploads one file to `<rel>` unless the remote serves it with its size already (what
    /// it serves passed its own digest check when it was stored); Ok(true) when sent.
    pub(crate) fn put(
        &self,
        src: &Path,
        rel: &str,
        file_name: &str,
        size: u64,
        sha256: Option<&str>,
    ) -> Result<bool, String> {
        if self.served_size(rel)? == Some(size) {
            return Ok(false);
        }
        let file = std::fs::File::open(src).map_err(|e| format!("{} cannot be read: {e}", src.display()))?;
        let len = file
            .metadata()
            .map_err(|e| format!("{} cannot be read: {e}", src.display()))?
            .len();
        let mut req = self
            .client
            .put(format!("{}/api/v1/content/{rel}", self.base))
            .bearer_auth(&self.token)
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .header("X-File-Name", file_name)
            // Streamed from the file with its length announced, never held in memory.
            .body(reqwest::blocking::Body::sized(file, len))
            // A large file at a slow link takes longer than one read's wait.
            .timeout(std::time::Duration::from_secs(3600));
        if let Some(sha256) = sha256.filter(|s| !s.is_empty()) {
            req = req.header("X-Content-SHA256", sha256);
        }
        self.checked(&format!("uploading {file_name} ({rel})"), req.send())?;
        let served = self.served_size(rel)?;
        if served != Some(size) {
            return Err(format!(
                "{} accepted {file_name} ({rel}) but serves {} at /Content/{rel}, not its {size} bytes",
                self.name,
                served.map_or("nothing".to_string(), |n| format!("{n} bytes")),
            ));
        }
        Ok(true)
    }
}

impl Remote {
    /// A small text file the remote serves (a manifest), None when it serves nothing there.
    pub(crate) fn fetch_text(&self, rel: &str) -> Result<Option<String>, String> {
        let sent = self.client.get(format!("{}/Content/{rel}", self.base)).send();
        if matches!(&sent, Ok(r) if r.status() == reqwest::StatusCode::NOT_FOUND) {
            return Ok(None);
        }
        let r = self.checked(&format!("reading {rel}"), sent)?;
        r.text()
            .map(Some)
            .map_err(|e| format!("{} broke off while sending {rel}: {}", self.name, error_chain(&e)))
    }

    /// Asks the remote to drop a file this site sent it; Ok(false) when it held none.
    pub(crate) fn remove(&self, rel: &str) -> Result<bool, String> {
        let sent = self
            .client
            .post(format!("{}/api/v1/commands/remove_received_content", self.base))
            .bearer_auth(&self.token)
            .json(&serde_json::json!({ "path": rel }))
            .send();
        let r = self.checked(&format!("removing {rel}"), sent)?;
        let answer: serde_json::Value = r.json().map_err(|e| {
            format!(
                "{} answered removing {rel} with no JSON: {}",
                self.name,
                error_chain(&e)
            )
        })?;
        Ok(answer["removed"].as_bool().unwrap_or(false))
    }
}

/// A stored state word as the wire's state (an unknown word reads as Failed).
pub(crate) fn state_named(word: &str) -> DistributionState {
    match word {
        "Pending" => DistributionState::Pending,
        "InProgress" => DistributionState::InProgress,
        "Installed" => DistributionState::Installed,
        _ => DistributionState::Failed,
    }
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
                state: state_named(&state),
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

//! Receiving content from another site: this site as a remote distribution point.
//!
//! A sending site uploads each file under its library name (`<XX>/<SHA1HEX>.<ext>`). The
//! bytes go to `downloads/upload-*.partial` (outside the served folder) while their SHA-1
//! and SHA-256 are computed; only bytes whose SHA-1 equals the name's digest (and SHA-256
//! the one the sender declares, if any) are renamed into the library and recorded in the
//! `content` table. Anything else is deleted before the answer goes out.

use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::{params, OptionalExtension};
use sha1::Digest;

use crate::audit;
use crate::handle::{Actor, Site};
use crate::wire::{ApiError, ErrorCode, ReceivedContent, RemoveReceivedContentArgs, RemovedContent};

/// Largest file accepted. Update payloads (feature update images included) stay well below;
/// a larger body is a mistake or an attempt to fill the disk.
pub const MAX_UPLOAD_BYTES: u64 = 32 * 1024 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ReceiveError {
    #[error(
        "'{0}' is not a content library path; upload to /api/v1/content/<XX>/<SHA1HEX>.<ext>, where SHA1HEX is the \
         file's SHA-1 in hex and XX its last two digits"
    )]
    BadName(String),
    #[error("the file is larger than the {limit} bytes a distribution point accepts")]
    TooLarge { limit: u64 },
    #[error(
        "the uploaded bytes do not match the file's name: expected {algorithm} {expected}, got {actual}; nothing was stored"
    )]
    Mismatch {
        algorithm: &'static str,
        expected: String,
        actual: String,
    },
    #[error("the upload ended after {got} of the {declared} bytes announced; nothing was stored")]
    Incomplete { declared: u64, got: u64 },
    #[error("the upload broke off after {got} bytes ({detail}); nothing was stored")]
    Transfer { got: u64, detail: String },
    #[error("this distribution point cannot write {path}: {source}")]
    Disk {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the received file could not be recorded: {0}")]
    Store(String),
}

impl ReceiveError {
    fn disk(path: &Path, source: std::io::Error) -> Self {
        ReceiveError::Disk {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// A file's place in the library, taken from an upload's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentName {
    /// SHA-1, upper-case hex.
    pub sha1_hex: String,
    /// `<XX>/<SHA1HEX>.<ext>`, extension in lower case.
    pub rel: String,
}

impl ContentName {
    /// `dir` = XX, `file` = `<SHA1HEX>[.<ext>]`; hex in either case, XX must be the
    /// digest's last two digits (the library layout, so a name cannot point elsewhere).
    pub fn parse(dir: &str, file: &str) -> Result<Self, ReceiveError> {
        let bad = || ReceiveError::BadName(format!("{dir}/{file}"));
        let (stem, ext) = match file.split_once('.') {
            Some((s, e)) => (s, e.to_ascii_lowercase()),
            None => (file, String::new()),
        };
        let hex_ok = |s: &str| s.chars().all(|c| c.is_ascii_hexdigit());
        if stem.len() != 40 || !hex_ok(stem) {
            return Err(bad());
        }
        if ext.len() > 16 || !ext.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(bad());
        }
        let hex = stem.to_ascii_uppercase();
        if !dir.eq_ignore_ascii_case(&hex[38..]) {
            return Err(bad());
        }
        let rel = if ext.is_empty() {
            format!("{}/{hex}", &hex[38..])
        } else {
            format!("{}/{hex}.{ext}", &hex[38..])
        };
        Ok(Self { sha1_hex: hex, rel })
    }

    fn sha1_b64(&self) -> String {
        let bytes: Vec<u8> = (0..self.sha1_hex.len())
            .step_by(2)
            .filter_map(|i| u8::from_str_radix(&self.sha1_hex[i..i + 2], 16).ok())
            .collect();
        super::b64(&bytes)
    }
}

/// What the sender says about the file besides its bytes.
#[derive(Debug, Clone, Default)]
pub struct Declared {
    /// Content-Length, when sent.
    pub size: Option<u64>,
    /// SHA-256, base64 as in the update metadata.
    pub sha256: Option<String>,
    /// The file's name in the update metadata (shown in this site's library).
    pub file_name: Option<String>,
}

/// Deletes the temporary file unless it was moved into the library.
struct Temp(Option<PathBuf>);

impl Drop for Temp {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

fn temp_path(site: &Site, name: &ContentName) -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    super::partial_root(site).join(format!("upload-{}-{}-{n}.partial", name.sha1_hex, std::process::id()))
}

/// Streams `body` into a temporary file, verifies it against its name and the declared
/// SHA-256, then moves it into the library and records it (audited as `content.receive`).
/// An identical file already held is left as it is (`stored` false).
pub fn receive(
    site: &Site,
    actor: &Actor,
    name: &ContentName,
    declared: &Declared,
    body: &mut dyn Read,
) -> Result<ReceivedContent, ReceiveError> {
    if declared.size.is_some_and(|s| s > MAX_UPLOAD_BYTES) {
        return Err(ReceiveError::TooLarge {
            limit: MAX_UPLOAD_BYTES,
        });
    }
    let partials = super::partial_root(site);
    std::fs::create_dir_all(&partials).map_err(|e| ReceiveError::disk(&partials, e))?;
    let path = temp_path(site, name);
    let mut temp = Temp(Some(path.clone()));
    let mut out = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| ReceiveError::disk(&path, e))?;
    let mut s1 = sha1::Sha1::new();
    let mut s256 = sha2::Sha256::new();
    let mut got: u64 = 0;
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = match body.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(ReceiveError::Transfer {
                    got,
                    detail: e.to_string(),
                })
            }
        };
        got += n as u64;
        if got > MAX_UPLOAD_BYTES {
            return Err(ReceiveError::TooLarge {
                limit: MAX_UPLOAD_BYTES,
            });
        }
        if let Some(d) = declared.size.filter(|d| got > *d) {
            return Err(ReceiveError::Transfer {
                got,
                detail: format!("more bytes than the {d} announced"),
            });
        }
        s1.update(&buf[..n]);
        s256.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(|e| ReceiveError::disk(&path, e))?;
    }
    out.sync_all().map_err(|e| ReceiveError::disk(&path, e))?;
    drop(out);
    if let Some(d) = declared.size.filter(|d| got < *d) {
        return Err(ReceiveError::Incomplete { declared: d, got });
    }
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02X}")).collect::<String>();
    let actual1 = hex(&s1.finalize());
    if actual1 != name.sha1_hex {
        return Err(ReceiveError::Mismatch {
            algorithm: "SHA-1",
            expected: name.sha1_hex.clone(),
            actual: actual1,
        });
    }
    let sha256 = super::b64(&s256.finalize());
    if let Some(want) = declared.sha256.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        if want != sha256 {
            return Err(ReceiveError::Mismatch {
                algorithm: "SHA-256",
                expected: want.to_string(),
                actual: sha256,
            });
        }
    }

    let target = super::library_root(site).join(&name.rel);
    let sha1 = name.sha1_b64();
    // A file already there that still matches its name is the same file: keep it.
    let identical = target.is_file() && super::verify(&target, &sha1, None).is_ok();
    if identical {
        drop(temp);
    } else {
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| ReceiveError::disk(dir, e))?;
        }
        std::fs::rename(&path, &target).map_err(|e| ReceiveError::disk(&target, e))?;
        temp.0 = None;
    }
    let file_name = declared
        .file_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty() && n.len() <= 255 && !n.contains(['/', '\\']))
        .map(str::to_owned)
        .unwrap_or_else(|| name.rel.rsplit('/').next().unwrap_or(&name.rel).to_string());
    let record = || -> rusqlite::Result<bool> {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let changed = tx.execute(
            "INSERT INTO content (sha1, sha256, size, file_name, path, state, downloaded_utc)
             VALUES (?1, ?2, ?3, ?4, ?5, 'Downloaded', ?6)
             ON CONFLICT(sha1) DO UPDATE SET path = excluded.path, size = excluded.size,
                 sha256 = excluded.sha256, downloaded_utc = excluded.downloaded_utc
             WHERE NOT ?7",
            params![
                sha1,
                sha256,
                got as i64,
                file_name,
                name.rel,
                crate::clock::now_utc(),
                identical
            ],
        )? > 0;
        if changed {
            audit::record(
                &tx,
                actor,
                "content.receive",
                &name.rel,
                &format!("{file_name}, {got} bytes, SHA-1 verified"),
            )?;
        }
        tx.commit()?;
        Ok(changed)
    };
    record().map_err(|e| ReceiveError::Store(e.to_string()))?;
    tracing::info!(path = %name.rel, bytes = got, stored = !identical, "content received");
    Ok(ReceivedContent {
        path: name.rel.clone(),
        sha1: name.sha1_hex.clone(),
        size: got as i64,
        stored: !identical,
    })
}

/// Drops a file a sending site uploaded and no longer needs here (audited as
/// `content.remove_received`). A file one of this site's packages holds, or one of its
/// catalog's update files, is this site's too: refused, and it stays.
pub fn remove_received(
    site: &Site,
    actor: &Actor,
    args: RemoveReceivedContentArgs,
) -> Result<RemovedContent, ApiError> {
    let path = args.path.trim();
    let name = path
        .split_once('/')
        .ok_or_else(|| ReceiveError::BadName(path.to_string()))
        .and_then(|(dir, file)| ContentName::parse(dir, file))
        .map_err(|e| ApiError::new(ErrorCode::Validation, e.to_string()))?;
    let sha1 = name.sha1_b64();
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    let package: Option<String> = tx
        .query_row(
            "SELECT p.name FROM package_content pc JOIN packages p USING (package_id) WHERE pc.sha1 = ?1 LIMIT 1",
            [&sha1],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(package) = package {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("{} is held by this site's package '{package}'; it stays.", name.rel),
        ));
    }
    let update_file: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM files WHERE sha1 = ?1)", [&sha1], |r| {
        r.get(0)
    })?;
    if update_file {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("{} is an update file of this site's catalog; it stays.", name.rel),
        ));
    }
    let held = tx.execute("DELETE FROM content WHERE sha1 = ?1", [&sha1])? > 0;
    let file = super::library_root(site).join(&name.rel);
    let removed = match std::fs::remove_file(&file) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => held,
        Err(e) => {
            return Err(ApiError::new(
                ErrorCode::Internal,
                format!("{} cannot be removed: {e}", file.display()),
            ))
        }
    };
    if removed {
        audit::record(
            &tx,
            actor,
            "content.remove_received",
            &name.rel,
            "removed at the sender's request",
        )?;
    }
    tx.commit()?;
    Ok(RemovedContent {
        path: name.rel,
        removed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPTY: &str = "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709";

    #[test]
    fn names_follow_the_library_layout() {
        let n = ContentName::parse("09", &format!("{}.MSU", EMPTY.to_lowercase())).expect("name");
        assert_eq!(n.rel, format!("09/{EMPTY}.msu"));
        assert_eq!(n.sha1_b64(), super::super::b64(&sha1::Sha1::digest(b"")));
        assert!(
            ContentName::parse("AA", &format!("{EMPTY}.cab")).is_err(),
            "XX is the digest's end"
        );
        assert!(ContentName::parse("09", "..%2f..%2fsite.db").is_err());
        assert!(ContentName::parse("09", &format!("{EMPTY}.c/b")).is_err());
        assert!(ContentName::parse("09", &format!("{}.cab", &EMPTY[1..])).is_err());
    }

    #[test]
    fn bytes_not_matching_the_name_leave_nothing_behind() {
        let dir = tempfile::tempdir().expect("tmp");
        let site = Site::open(dir.path()).expect("site");
        let name = ContentName::parse("09", &format!("{EMPTY}.cab")).expect("name");
        let err = receive(
            &site,
            &Actor::new("test"),
            &name,
            &Declared::default(),
            &mut &b"not empty"[..],
        )
        .expect_err("mismatch");
        assert!(matches!(err, ReceiveError::Mismatch { .. }), "{err}");
        assert!(err.to_string().contains(EMPTY), "{err}");
        assert!(!site_has_files(&dir.path().join("content")));
        assert!(!site_has_files(&dir.path().join("downloads")));

        let ok = receive(&site, &Actor::new("test"), &name, &Declared::default(), &mut &b""[..]).expect("stored");
        assert!(ok.stored);
        let again = receive(&site, &Actor::new("test"), &name, &Declared::default(), &mut &b""[..]).expect("again");
        assert!(!again.stored, "an identical file is a no-op");
        assert!(dir.path().join("content").join(&name.rel).is_file());
        assert!(!site_has_files(&dir.path().join("downloads")));

        let short = Declared {
            size: Some(10),
            ..Declared::default()
        };
        let err = receive(&site, &Actor::new("test"), &name, &short, &mut &b""[..]).expect_err("short");
        assert!(
            matches!(err, ReceiveError::Incomplete { declared: 10, got: 0 }),
            "{err}"
        );
    }

    fn site_has_files(dir: &Path) -> bool {
        fn walk(d: &Path) -> bool {
            std::fs::read_dir(d)
                .map(|es| {
                    es.flatten().any(|e| {
                        e.path().is_file() && !e.file_name().to_string_lossy().ends_with(".lock") || walk(&e.path())
                    })
                })
                .unwrap_or(false)
        }
        walk(dir)
    }
}

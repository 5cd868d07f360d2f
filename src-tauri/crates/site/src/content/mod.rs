//! Content: the site's library of update files, deployment packages, downloads and
//! distribution points (CNT-1, CNT-2).
//!
//! The library lives in the site folder as `content/<XX>/<SHA1HEX>.<ext>`, the layout WSUS
//! serves at its UssUrl paths (`Content/<XX>/...`), so `patchdeck serve` hands the folder to
//! downstream sites as it is. Downloads land in `downloads/<SHA1HEX>.<ext>.partial` (outside
//! the served folder) and are renamed into the library only after their SHA-1, and SHA-256
//! when the metadata has one, match the catalog.
//!
//! **Invariant:** a file in the library with a `content` row matched the catalog's digests
//! when it was stored; nothing else is ever renamed into it.

pub mod distribution;
pub mod download;
pub mod packages;
pub mod receive;
pub mod removal;
pub mod source_check;
pub mod upload_folders;

use std::io::Read;
use std::path::{Path, PathBuf};

use base64::Engine;
use sha1::Digest;

use crate::audit;
use crate::handle::{Actor, Site};
use crate::wire::{ApiError, ContentSettings, ErrorCode, NoArgs};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// Folder of the content library inside the site folder.
pub const LIBRARY_FOLDER: &str = "content";
/// Folder of unfinished downloads inside the site folder.
pub const PARTIAL_FOLDER: &str = "downloads";

pub fn site_folder(site: &Site) -> PathBuf {
    site.database_path()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The content library; `patchdeck serve` serves it at `/Content/`.
pub fn library_root(site: &Site) -> PathBuf {
    site_folder(site).join(LIBRARY_FOLDER)
}

pub fn partial_root(site: &Site) -> PathBuf {
    site_folder(site).join(PARTIAL_FOLDER)
}

/// Upper-case hex of a base64 digest; None when it is not base64.
pub fn hex_of(b64: &str) -> Option<String> {
    let bytes = B64.decode(b64.trim()).ok()?;
    if bytes.is_empty() {
        return None;
    }
    Some(bytes.iter().map(|b| format!("{b:02X}")).collect())
}

pub fn b64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

/// `<XX>/<SHA1HEX>.<ext>`: a file's place in the library and, under `Content/`, its UssUrl
/// path (XX = the digest's last two hex digits, extension in lower case, as WSUS does).
pub fn relative_path(sha1_b64: &str, file_name: &str) -> Option<String> {
    let hex = hex_of(sha1_b64)?;
    if hex.len() != 40 {
        return None;
    }
    let ext: String = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    // The extension comes from outside metadata: keep it to a plain name part.
    if ext.len() > 16 || !ext.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let dir = &hex[38..];
    Some(if ext.is_empty() {
        format!("{dir}/{hex}")
    } else {
        format!("{dir}/{hex}.{ext}")
    })
}

/// SHA-1 and SHA-256 (base64) of a file's bytes.
pub fn digests_of(path: &Path) -> std::io::Result<(String, String)> {
    let mut f = std::fs::File::open(path)?;
    let mut s1 = sha1::Sha1::new();
    let mut s256 = sha2::Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        s1.update(&buf[..n]);
        s256.update(&buf[..n]);
    }
    Ok((b64(&s1.finalize()), b64(&s256.finalize())))
}

/// Checks a file against the catalog's digests; the error names both digests.
pub fn verify(path: &Path, sha1: &str, sha256: Option<&str>) -> Result<(), String> {
    let (got1, got256) = digests_of(path).map_err(|e| format!("{} cannot be read: {e}", path.display()))?;
    if got1 != sha1 {
        return Err(format!("SHA-1 mismatch: expected {sha1}, got {got1}"));
    }
    if let Some(want) = sha256.filter(|s| !s.is_empty()) {
        if got256 != want {
            return Err(format!("SHA-256 mismatch: expected {want}, got {got256}"));
        }
    }
    Ok(())
}

const SETTINGS_KEY: &str = "content_settings";

pub fn load_settings(site: &Site) -> Result<ContentSettings, ApiError> {
    Ok(
        crate::store::meta::get_json(&site.store().reader(), SETTINGS_KEY)?.unwrap_or(ContentSettings {
            allow_microsoft_update_fallback: false,
        }),
    )
}

pub fn get_settings(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<ContentSettings, ApiError> {
    load_settings(site)
}

pub fn set_settings(site: &Site, actor: &Actor, s: ContentSettings) -> Result<ContentSettings, ApiError> {
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    let text = crate::store::meta::put_json(&tx, SETTINGS_KEY, &s)?;
    audit::record(&tx, actor, "content.settings", "Content", &text)?;
    tx.commit()?;
    Ok(s)
}

pub(crate) fn invalid(msg: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::Validation, msg)
}

pub(crate) fn not_found(msg: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::NotFound, msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_follow_the_wsus_layout() {
        // SHA-1 of the empty string: DA39A3EE5E6B4B0D3255BFEF95601890AFD80709.
        let d = b64(&sha1::Sha1::digest(b""));
        assert_eq!(
            relative_path(&d, "Windows-KB1.MSU").as_deref(),
            Some("09/DA39A3EE5E6B4B0D3255BFEF95601890AFD80709.msu")
        );
        assert_eq!(
            relative_path(&d, "noext").as_deref(),
            Some("09/DA39A3EE5E6B4B0D3255BFEF95601890AFD80709")
        );
        assert!(
            relative_path(&d, "x./../etc").is_none(),
            "an extension is a plain name part"
        );
        assert!(relative_path("not base64!", "a.cab").is_none());
        assert!(relative_path(&b64(b"short"), "a.cab").is_none());
    }

    #[test]
    fn verify_names_both_digests() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("f");
        std::fs::write(&p, b"abc").expect("write");
        let good1 = b64(&sha1::Sha1::digest(b"abc"));
        let good256 = b64(&sha2::Sha256::digest(b"abc"));
        assert!(verify(&p, &good1, Some(&good256)).is_ok());
        let bad = b64(&sha1::Sha1::digest(b"abd"));
        let err = verify(&p, &bad, None).expect_err("mismatch");
        assert!(err.contains(&bad) && err.contains(&good1), "{err}");
        let err = verify(&p, &good1, Some(&bad)).expect_err("sha256 mismatch");
        assert!(err.contains("SHA-256"), "{err}");
    }
}

//! Edit without choosing the files again: the files of the current revision come back out of
//! the signed cabinet the content library keeps. A browser upload's folder is removed once
//! the update is published, so this is how an update uploaded from a browser gets a new
//! description, rules or arguments.
//!
//! The cabinet is read only when its SHA-1 is still the one the update's row names (the
//! library file is what was published, byte for byte); its members go into
//! `publishing/kept/<update id>/` under the names they were packed with, and the folder is
//! removed when the edit ends, whatever happened.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha1::Digest;

use super::PublishError;
use crate::content::{library_root, relative_path, site_folder};
use crate::handle::Site;
use crate::wire::{ApiError, ErrorCode, InspectInstallerArgs};

const KEPT: &str = "publishing/kept";

/// The files of a revision, unpacked; the folder goes when this is dropped.
pub(super) struct Kept {
    folder: PathBuf,
    /// The wizard's first page as if the administrator had chosen the unpacked files.
    pub files: InspectInstallerArgs,
}

impl Drop for Kept {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

/// Unpacks the cabinet `cab_sha1` (base64) of update `update_id`, whose installer was
/// packed as `installer_file`.
pub(super) fn unpack(site: &Site, update_id: &str, cab_sha1: &str, installer_file: &str) -> Result<Kept, ApiError> {
    let relative = relative_path(cab_sha1, &format!("{update_id}.cab"))
        .ok_or_else(|| ApiError::internal(format!("the cabinet digest of {update_id} names no library file")))?;
    let cab = library_root(site).join(relative);
    let gone = || {
        ApiError::new(
            ErrorCode::Validation,
            format!(
                "The files of this update are no longer in the content library ({}): choose the installer and its files again.",
                cab.display()
            ),
        )
    };
    let bytes = std::fs::read(&cab).map_err(|_| gone())?;
    let b64 = base64::engine::general_purpose::STANDARD;
    if base64::Engine::encode(&b64, sha1::Sha1::digest(&bytes)) != cab_sha1 {
        return Err(ApiError::new(
            ErrorCode::Validation,
            format!(
                "{} is not the cabinet this update was published with (its SHA-1 differs): choose the installer and its files again.",
                cab.display()
            ),
        ));
    }
    let folder = site_folder(site).join(KEPT).join(update_id);
    let _ = std::fs::remove_dir_all(&folder);
    let mut kept = Kept {
        folder: folder.clone(),
        files: InspectInstallerArgs::default(),
    };
    let names = extract(&bytes, &folder).map_err(|detail| PublishError::Pack {
        file: cab.display().to_string(),
        detail,
    })?;
    let installer = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case(installer_file))
        .ok_or_else(|| ApiError::internal(format!("{} does not hold {installer_file}", cab.display())))?;
    // Each top-level entry beside the installer is an extra file or folder, as chosen at
    // first: the names gathered from them are the names they were packed with.
    let mut extras: Vec<String> = names
        .iter()
        .filter(|n| *n != installer)
        .filter_map(|n| n.split('/').next().map(str::to_owned))
        .collect();
    extras.sort();
    extras.dedup();
    kept.files = InspectInstallerArgs {
        path: folder.join(installer).display().to_string(),
        extra_paths: extras.iter().map(|e| folder.join(e).display().to_string()).collect(),
    };
    Ok(kept)
}

/// Writes every member of the cabinet `bytes` under `folder`; their names, `/`-separated.
fn extract(bytes: &[u8], folder: &Path) -> Result<Vec<String>, String> {
    let mut cabinet = cab::Cabinet::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let names: Vec<String> = cabinet
        .folder_entries()
        .flat_map(|f| f.file_entries().map(|e| e.name().to_owned()))
        .collect();
    let mut out = Vec::new();
    for name in names {
        let parts: Vec<&str> = name.split('\\').collect();
        // Our own cabinet, but a name is still never allowed out of the folder.
        if parts
            .iter()
            .any(|p| p.is_empty() || *p == "." || *p == ".." || p.contains([':', '/']))
        {
            return Err(format!("the member name {name} is not a relative path"));
        }
        let path = parts.iter().fold(folder.to_path_buf(), |p, part| p.join(part));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        let mut member = cabinet.read_file(&name).map_err(|e| format!("{name}: {e}"))?;
        let mut data = Vec::new();
        member.read_to_end(&mut data).map_err(|e| format!("{name}: {e}"))?;
        std::fs::write(&path, data).map_err(|e| format!("{}: {e}", path.display()))?;
        out.push(parts.join("/"));
    }
    Ok(out)
}

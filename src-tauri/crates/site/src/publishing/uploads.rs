//! The browser console's upload of an installer and its files (issue 16, point 6): the
//! desktop app hands the wizard local paths, a browser has no path on the site's machine, so
//! it declares the files (names and sizes), the site checks the quota and its free space
//! against the declared total before it accepts any byte, and each file is then streamed
//! into a folder of its own under the site folder. The wizard publishes from the paths the
//! site gave; publishing removes the folder. A file that arrives short, long or broken, or
//! an upload cancelled, removes the whole folder: nothing of it stays.
//!
//! The HTTP route (`PUT /api/v1/publishing/uploads/{id}/{name}`) only streams the body into
//! [`receive`]; the checks are here.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::publish::check_room;
use crate::audit;
use crate::content::site_folder;
use crate::handle::{Actor, Site};
use crate::wire::{ApiError, BeginUploadArgs, ErrorCode, NoArgs, UploadFile, UploadIdArgs, UploadSession};

/// Under the site folder: one folder per upload, named by its id.
const UPLOADS: &str = "publishing/uploads";
const MANIFEST: &str = "declared.json";
const MAX_FILES: usize = 1000;

fn refuse(message: String) -> ApiError {
    ApiError::new(ErrorCode::Validation, message)
}

fn uploads_root(site: &Site) -> PathBuf {
    site_folder(site).join(UPLOADS)
}

/// The folder of an upload id the site made (32 hex digits), or the refusal.
fn folder_of(site: &Site, upload_id: &str) -> Result<PathBuf, ApiError> {
    let id = upload_id.trim();
    if id.len() != 32 || !id.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(refuse(format!("'{id}' is not an upload of this site.")));
    }
    Ok(uploads_root(site).join(id.to_ascii_lowercase()))
}

/// A plain file name: no folder, nothing Windows or the cabinet could not hold.
fn check_name(name: &str) -> Result<(), ApiError> {
    let bad = name.is_empty()
        || name.len() > 255
        || name == "."
        || name == ".."
        || name == MANIFEST
        || name.ends_with(".part")
        || name.chars().any(|c| c.is_control() || "\\/:*?\"<>|".contains(c));
    if bad {
        return Err(refuse(format!(
            "'{name}' is not a file name the site accepts: name each file without a folder or any of \\ / : * ? \" < > |."
        )));
    }
    Ok(())
}

/// Accepts an upload: every name checked, the quota and the free space checked against the
/// declared total, the folder made. Audited.
pub fn begin(site: &Site, actor: &Actor, args: BeginUploadArgs) -> Result<UploadSession, ApiError> {
    let Some(installer) = args.files.first() else {
        return Err(refuse("Choose the installer (.msi, .msp or .exe) to upload.".into()));
    };
    if installer::Kind::from_name(&installer.name).is_none() {
        return Err(refuse(format!(
            "{} is not an installer: the first file must be a .msi, .msp or .exe.",
            installer.name
        )));
    }
    if args.files.len() > MAX_FILES {
        return Err(refuse(format!(
            "{} files were chosen; an update holds at most {MAX_FILES}.",
            args.files.len()
        )));
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut total: i64 = 0;
    for f in &args.files {
        check_name(&f.name)?;
        if !seen.insert(f.name.to_lowercase()) {
            return Err(refuse(format!(
                "{} is chosen twice: a cabinet holds one file of a name.",
                f.name
            )));
        }
        if f.size < 0 {
            return Err(refuse(format!("{} declares a negative size.", f.name)));
        }
        total = total.saturating_add(f.size);
    }
    // The files, then the cabinet packed and signed from them.
    check_room(site, None, total, 3)?;
    forget_abandoned(site);

    let upload_id = {
        use rand::RngCore;
        let mut b = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut b);
        b.iter().map(|x| format!("{x:02x}")).collect::<String>()
    };
    let folder = folder_of(site, &upload_id)?;
    std::fs::create_dir_all(&folder).map_err(|e| disk("creating", &folder, e))?;
    let manifest =
        serde_json::to_vec(&args.files).map_err(|e| ApiError::internal(format!("writing the declared files: {e}")))?;
    if let Err(e) = std::fs::write(folder.join(MANIFEST), manifest) {
        let _ = std::fs::remove_dir_all(&folder);
        return Err(disk("writing", &folder, e));
    }
    let c = site.store().writer();
    audit::record(
        &c,
        actor,
        "publishing.upload",
        &installer.name,
        &format!(
            "upload {upload_id}: {} file(s), {} bytes declared",
            args.files.len(),
            total
        ),
    )?;
    Ok(UploadSession {
        paths: args
            .files
            .iter()
            .map(|f| folder.join(&f.name).display().to_string())
            .collect(),
        upload_id,
    })
}

fn disk(what: &str, path: &Path, e: std::io::Error) -> ApiError {
    ApiError::internal(format!("{what} {}: {e}", path.display()))
}

/// Removes an upload and everything it received. Audited; an upload already gone is no error.
pub fn cancel(site: &Site, actor: &Actor, args: UploadIdArgs) -> Result<NoArgs, ApiError> {
    let folder = folder_of(site, &args.upload_id)?;
    if folder.exists() {
        std::fs::remove_dir_all(&folder).map_err(|e| disk("removing", &folder, e))?;
        let c = site.store().writer();
        audit::record(
            &c,
            actor,
            "publishing.upload.cancel",
            "Third-party Updates",
            &format!("upload {} removed", args.upload_id.trim()),
        )?;
    }
    Ok(NoArgs {})
}

/// Streams one declared file of an upload from `body`. `length`: the request's declared
/// length, when it has one. Any refusal or broken transfer removes the whole upload.
pub fn receive(
    site: &Site,
    upload_id: &str,
    name: &str,
    length: Option<u64>,
    body: &mut dyn Read,
) -> Result<UploadFile, ApiError> {
    let folder = folder_of(site, upload_id)?;
    let declared: Vec<UploadFile> = std::fs::read(folder.join(MANIFEST))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!("There is no upload {upload_id} at this site (cancelled, published or never begun): begin it again."),
            )
        })?;
    let result = store(&folder, &declared, name, length, body);
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&folder);
    }
    result
}

fn store(
    folder: &Path,
    declared: &[UploadFile],
    name: &str,
    length: Option<u64>,
    body: &mut dyn Read,
) -> Result<UploadFile, ApiError> {
    let Some(file) = declared.iter().find(|f| f.name == name) else {
        return Err(refuse(format!(
            "{name} was not declared when the upload began: the upload is cancelled, begin it again with every file."
        )));
    };
    let size = u64::try_from(file.size).unwrap_or(0);
    if length.is_some_and(|l| l != size) {
        return Err(refuse(format!(
            "{name} was declared as {size} bytes but {} are sent: the upload is cancelled.",
            length.unwrap_or_default()
        )));
    }
    let part = folder.join(format!("{name}.part"));
    let mut out = std::fs::File::create(&part).map_err(|e| disk("creating", &part, e))?;
    // One byte past the declared size is enough to know the body is too long.
    let copied = std::io::copy(&mut body.take(size + 1), &mut out).map_err(|e| {
        refuse(format!(
            "{name} did not arrive whole ({e}): the upload is cancelled, nothing of it is kept."
        ))
    })?;
    if copied != size {
        return Err(refuse(format!(
            "{name} was declared as {size} bytes but {copied}{} arrived: the upload is cancelled, nothing of it is kept.",
            if copied > size { " or more" } else { "" }
        )));
    }
    out.flush().map_err(|e| disk("writing", &part, e))?;
    out.sync_all().map_err(|e| disk("writing", &part, e))?;
    drop(out);
    let whole = folder.join(name);
    std::fs::rename(&part, &whole).map_err(|e| disk("storing", &whole, e))?;
    Ok(file.clone())
}

/// Uploads a console never published nor cancelled (a browser closed mid-wizard), a day on.
fn forget_abandoned(site: &Site) {
    let day = std::time::Duration::from_secs(24 * 3600);
    for entry in std::fs::read_dir(uploads_root(site)).into_iter().flatten().flatten() {
        let age = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok());
        if age.is_some_and(|a| a > day) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// After publishing from an upload's files: the upload folder goes. `installer` is the path
/// published from; a path outside the uploads folder (the desktop app's) is left alone.
pub(crate) fn forget(site: &Site, installer: &str) {
    let root = uploads_root(site);
    let Some(folder) = Path::new(installer.trim()).parent() else {
        return;
    };
    if folder.parent() == Some(root.as_path()) {
        if let Err(e) = std::fs::remove_dir_all(folder) {
            tracing::warn!(folder = %folder.display(), error = %e, "a published upload's folder could not be removed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_folders_or_reserved_characters_are_refused() {
        for bad in [
            "",
            "..",
            "a/b.msi",
            "a\\b.msi",
            "c:x.msi",
            "x.part",
            MANIFEST,
            "a\u{1}.exe",
        ] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_name("setup.exe").is_ok());
        assert!(check_name("Fabrikam Viewer 3.2 (x64).msi").is_ok());
    }
}

//! A browser console's upload of files the site needs on its own machine: a browser has no
//! path there, so it declares the files (names and sizes) and what they are for, the site
//! checks them and its free space (and, for an update, the quota) against the declared total
//! before it accepts any byte, and each file is then streamed into a folder of its own under
//! the site folder. The wizard goes on from the paths the site gave: the Upload Update wizard
//! (issue 16, point 6) publishes from them, the Add Operating System Image wizard (issue 17,
//! point 1) adds the image from its one file, which then moves into the site's image folder.
//! Either removes the upload's folder. A file that arrives short, long or broken, an OS image
//! that is not a WIM, or an upload cancelled, removes the whole folder: nothing of it stays.
//!
//! The HTTP route (`PUT /api/v1/publishing/uploads/{id}/{name}`) only streams the body into
//! [`receive`]; the checks are here.

use std::io::{Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::audit;
use crate::content::upload_folders::{folder_of, uploads_root};
use crate::handle::{Actor, Site};
use crate::publishing::publish::{check_free_disk, check_room};
use crate::wire::{
    ApiError, BeginUploadArgs, ErrorCode, NoArgs, UploadFile, UploadIdArgs, UploadPurpose, UploadSession,
};

const MANIFEST: &str = "declared.json";
const MAX_FILES: usize = 1000;

/// What `begin` accepted, kept beside the files so `receive` checks each against it.
#[derive(Serialize, Deserialize)]
struct Declared {
    purpose: UploadPurpose,
    files: Vec<UploadFile>,
}

fn refuse(message: String) -> ApiError {
    ApiError::new(ErrorCode::Validation, message)
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

/// An update: the installer first, within the quota, with room for the cabinet packed and
/// signed from the files.
fn check_update(site: &Site, files: &[UploadFile], total: i64) -> Result<(), ApiError> {
    let Some(installer) = files.first() else {
        return Err(refuse("Choose the installer (.msi, .msp or .exe) to upload.".into()));
    };
    if installer::Kind::from_name(&installer.name).is_none() {
        return Err(refuse(format!(
            "{} is not an installer: the first file must be a .msi, .msp or .exe.",
            installer.name
        )));
    }
    check_room(site, None, total, 3)
}

/// An OS image: one .wim or .esd file; it moves into the image folder on the same disk, so
/// it needs its own size once.
fn check_os_image(site: &Site, files: &[UploadFile], total: i64) -> Result<(), ApiError> {
    let [file] = files else {
        return Err(refuse(format!(
            "{} files were chosen: an OS image is one .wim or .esd file.",
            files.len()
        )));
    };
    let lower = file.name.to_ascii_lowercase();
    if !(lower.ends_with(".wim") || lower.ends_with(".esd")) {
        return Err(refuse(format!(
            "{} is not a Windows image: choose a .wim or .esd file.",
            file.name
        )));
    }
    check_free_disk(site, &format!("The image {}", file.name), total, "upload it again")
}

/// Accepts an upload: every name checked, what the purpose needs (the quota, the free
/// space) checked against the declared total, the folder made. Audited.
pub fn begin(site: &Site, actor: &Actor, args: BeginUploadArgs) -> Result<UploadSession, ApiError> {
    if args.files.len() > MAX_FILES {
        return Err(refuse(format!(
            "{} files were chosen; an upload holds at most {MAX_FILES}.",
            args.files.len()
        )));
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut total: i64 = 0;
    for f in &args.files {
        check_name(&f.name)?;
        if !seen.insert(f.name.to_lowercase()) {
            return Err(refuse(format!(
                "{} is chosen twice: an upload holds one file of a name.",
                f.name
            )));
        }
        if f.size < 0 {
            return Err(refuse(format!("{} declares a negative size.", f.name)));
        }
        total = total.saturating_add(f.size);
    }
    match args.purpose {
        UploadPurpose::ThirdPartyUpdate => check_update(site, &args.files, total)?,
        UploadPurpose::OsImage => check_os_image(site, &args.files, total)?,
    }
    forget_abandoned(site);

    let upload_id = {
        use rand::RngCore;
        let mut b = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut b);
        b.iter().map(|x| format!("{x:02x}")).collect::<String>()
    };
    let folder = folder_of(site, &upload_id)?;
    std::fs::create_dir_all(&folder).map_err(|e| disk("creating", &folder, e))?;
    let declared = Declared {
        purpose: args.purpose,
        files: args.files,
    };
    let manifest =
        serde_json::to_vec(&declared).map_err(|e| ApiError::internal(format!("writing the declared files: {e}")))?;
    if let Err(e) = std::fs::write(folder.join(MANIFEST), manifest) {
        let _ = std::fs::remove_dir_all(&folder);
        return Err(disk("writing", &folder, e));
    }
    let c = site.store().writer();
    let first = declared.files.first().map(|f| f.name.as_str()).unwrap_or_default();
    audit::record(
        &c,
        actor,
        audit_action(declared.purpose),
        first,
        &format!(
            "upload {upload_id}: {} file(s), {} bytes declared",
            declared.files.len(),
            total
        ),
    )?;
    Ok(UploadSession {
        paths: declared
            .files
            .iter()
            .map(|f| folder.join(&f.name).display().to_string())
            .collect(),
        upload_id,
    })
}

fn audit_action(purpose: UploadPurpose) -> &'static str {
    match purpose {
        UploadPurpose::ThirdPartyUpdate => "publishing.upload",
        UploadPurpose::OsImage => "os_image.upload",
    }
}

fn read_declared(folder: &Path) -> Option<Declared> {
    let bytes = std::fs::read(folder.join(MANIFEST)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn disk(what: &str, path: &Path, e: std::io::Error) -> ApiError {
    ApiError::internal(format!("{what} {}: {e}", path.display()))
}

/// Removes an upload and everything it received. Audited; an upload already gone is no error.
pub fn cancel(site: &Site, actor: &Actor, args: UploadIdArgs) -> Result<NoArgs, ApiError> {
    let folder = folder_of(site, &args.upload_id)?;
    if folder.exists() {
        let purpose = read_declared(&folder).map(|d| d.purpose).unwrap_or_default();
        std::fs::remove_dir_all(&folder).map_err(|e| disk("removing", &folder, e))?;
        let c = site.store().writer();
        audit::record(
            &c,
            actor,
            &format!("{}.cancel", audit_action(purpose)),
            match purpose {
                UploadPurpose::ThirdPartyUpdate => "Third-party Updates",
                UploadPurpose::OsImage => "Operating System Images",
            },
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
    let declared = read_declared(&folder).ok_or_else(|| {
        ApiError::new(
            ErrorCode::NotFound,
            format!(
                "There is no upload {upload_id} at this site (cancelled, published or never begun): begin it again."
            ),
        )
    })?;
    let result = store(&folder, &declared.files, name, length, body).and_then(|file| {
        if declared.purpose == UploadPurpose::OsImage {
            check_wim(&folder.join(&file.name), &file.name)?;
        }
        Ok(file)
    });
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

/// An OS image is refused as soon as it has arrived when wimlib cannot read it, rather than
/// left for the wizard's next page: the upload then goes at once.
fn check_wim(path: &Path, name: &str) -> Result<(), ApiError> {
    match wim::Wimlib::default().info(path) {
        Ok(_) => Ok(()),
        Err(e @ wim::WimError::ToolMissing { .. }) => Err(ApiError::new(ErrorCode::Unavailable, e.to_string())),
        // The upload's folder means nothing to the administrator: the file is named as chosen.
        Err(e) => Err(refuse(format!(
            "{}. Nothing of the upload is kept: choose a .wim or .esd file that wimlib-imagex can read.",
            e.to_string().replace(&path.display().to_string(), name)
        ))),
    }
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

//! The Upload Update wizard's first page: what the chosen installer says of itself and what
//! would be uploaded with it. Reads only; nothing is stored until the wizard publishes.

use std::path::{Path, PathBuf};

use crate::handle::{Actor, Site};
use crate::wire::{ApiError, ErrorCode, InspectInstallerArgs, InstallerDetails, UploadFile};

/// More files than a real installer folder holds: a folder like C:\ chosen by mistake.
const MAX_FILES: usize = 10_000;

pub fn inspect(_site: &Site, _actor: &Actor, args: InspectInstallerArgs) -> Result<InstallerDetails, ApiError> {
    let gathered = gather(&args)?;
    let info = &gathered.info;
    let files: Vec<UploadFile> = gathered
        .files
        .iter()
        .map(|f| UploadFile {
            name: f.name.clone(),
            size: f.size,
        })
        .collect();
    Ok(InstallerDetails {
        kind: format!("{:?}", info.kind),
        product_name: info.product_name.clone(),
        product_version: info.product_version.clone(),
        manufacturer: info.manufacturer.clone(),
        product_code: info.product_code.clone(),
        upgrade_code: info.upgrade_code.clone(),
        description: info.description.clone(),
        platform: match info.platform {
            installer::Platform::X86 => "x86",
            installer::Platform::X64 => "x64",
            installer::Platform::Arm64 => "ARM64",
            installer::Platform::Unknown => "Unknown",
        }
        .into(),
        languages: info.languages.clone(),
        targets: info.targets.clone(),
        total_size: gathered.total_size(),
        files,
    })
}

/// One file to upload: its name in the upload (a folder's files with their path under
/// it) and where it is on the site's machine.
pub(crate) struct SourceFile {
    pub name: String,
    pub path: PathBuf,
    pub size: i64,
}

/// The installer read again and every file that goes with it, the installer first.
pub(crate) struct Gathered {
    pub info: installer::InstallerInfo,
    pub files: Vec<SourceFile>,
}

impl Gathered {
    pub fn total_size(&self) -> i64 {
        self.files.iter().map(|f| f.size).sum()
    }
}

pub(crate) fn gather(args: &InspectInstallerArgs) -> Result<Gathered, ApiError> {
    let path = absolute("The installer", &args.path)?;
    let info = installer::read(&path).map_err(|e| ApiError::new(ErrorCode::Validation, e.to_string()))?;
    let mut files = vec![SourceFile {
        name: file_name(&path),
        size: size_of(&path)?,
        path,
    }];
    for extra in &args.extra_paths {
        let extra = absolute("An extra file or folder", extra)?;
        collect(&extra, &file_name(&extra), &mut files)?;
    }
    let mut seen = std::collections::BTreeSet::new();
    for f in &files {
        if !seen.insert(f.name.to_ascii_lowercase()) {
            return Err(ApiError::new(
                ErrorCode::Validation,
                format!(
                    "Two of the chosen files would both be {} in the update: rename one, or choose it once.",
                    f.name
                ),
            ));
        }
    }
    Ok(Gathered { info, files })
}

fn absolute(what: &str, text: &str) -> Result<PathBuf, ApiError> {
    let path = PathBuf::from(text.trim());
    if text.trim().is_empty() || !path.is_absolute() {
        return Err(ApiError::new(
            ErrorCode::Validation,
            format!("{what} must be given as an absolute path on the site's machine: '{text}' is not one."),
        ));
    }
    if !path.exists() {
        return Err(ApiError::new(
            ErrorCode::Validation,
            format!("{what} {} does not exist on the site's machine.", path.display()),
        ));
    }
    Ok(path)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn size_of(path: &Path) -> Result<i64, ApiError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| ApiError::new(ErrorCode::Validation, format!("{} cannot be read: {e}", path.display())))?;
    Ok(i64::try_from(meta.len()).unwrap_or(i64::MAX))
}

/// A file, or every file under a folder with its path below the folder's name.
fn collect(path: &Path, name: &str, out: &mut Vec<SourceFile>) -> Result<(), ApiError> {
    if out.len() > MAX_FILES {
        return Err(ApiError::new(
            ErrorCode::Validation,
            format!("More than {MAX_FILES} files were chosen: choose the installer's own folder, not a whole drive."),
        ));
    }
    if !path.is_dir() {
        out.push(SourceFile {
            name: name.to_string(),
            size: size_of(path)?,
            path: path.to_path_buf(),
        });
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(path)
        .map_err(|e| ApiError::new(ErrorCode::Validation, format!("{} cannot be read: {e}", path.display())))?
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let child = entry.path();
        collect(&child, &format!("{name}/{}", file_name(&child)), out)?;
    }
    Ok(())
}

//! `wimlib-imagex`, the command line of wimlib: the one way this crate reads WIM files.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::info::{parse_info_xml, ImageInfo};
use crate::manifest::{decode_text, parse_manifest, PackageManifest};
use crate::WimError;

/// Where Component Based Servicing keeps its package manifests inside an image.
pub const PACKAGES_PATH: &str = "/Windows/servicing/Packages";

/// Every WIM and ESD file begins with these eight bytes.
const MAGIC: &[u8; 8] = b"MSWIM\0\0\0";

/// A WIM file and the images it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WimInfo {
    pub path: PathBuf,
    /// The size of the file itself.
    pub file_bytes: u64,
    /// Ordered by index.
    pub images: Vec<ImageInfo>,
}

/// The `wimlib-imagex` program this crate runs.
#[derive(Debug, Clone)]
pub struct Wimlib {
    program: PathBuf,
}

impl Default for Wimlib {
    /// `wimlib-imagex` found on the PATH.
    fn default() -> Self {
        Self::new("wimlib-imagex")
    }
}

impl Wimlib {
    pub fn new(program: impl Into<PathBuf>) -> Self {
        Self {
            program: program.into(),
        }
    }

    /// Every image of the WIM at `path`, with its name, edition, version, architecture,
    /// languages and size.
    pub fn info(&self, path: &Path) -> Result<WimInfo, WimError> {
        let file_bytes = check_file(path)?;
        let out = self.run(path, &["info".as_ref(), path.as_os_str(), "--xml".as_ref()])?;
        // `info --xml` prints the document as stored: UTF-16LE with a byte-order mark.
        let xml = decode_text(&out).map_err(|detail| WimError::Damaged {
            path: path.to_path_buf(),
            detail: format!("its XML document {detail}"),
        })?;
        let images = parse_info_xml(&xml).map_err(|detail| WimError::Damaged {
            path: path.to_path_buf(),
            detail,
        })?;
        if images.is_empty() {
            return Err(WimError::Empty {
                path: path.to_path_buf(),
            });
        }
        Ok(WimInfo {
            path: path.to_path_buf(),
            file_bytes,
            images,
        })
    }

    /// The servicing package manifests of image `index`, read from the image without
    /// mounting it (the few small files are extracted to a temporary folder), by file name.
    /// An image without `Windows\servicing\Packages` holds none.
    pub fn packages(&self, path: &Path, index: u32) -> Result<Vec<PackageManifest>, WimError> {
        check_file(path)?;
        let dest = tempfile::Builder::new()
            .prefix("patchdeck-wim-")
            .tempdir()
            .map_err(|source| WimError::Io {
                what: "making a temporary folder to read",
                path: path.to_path_buf(),
                source,
            })?;
        let mut dest_arg = std::ffi::OsString::from("--dest-dir=");
        dest_arg.push(dest.path());
        let index = index.to_string();
        let pattern = format!("{PACKAGES_PATH}/*.mum");
        self.run(
            path,
            &[
                "extract".as_ref(),
                path.as_os_str(),
                index.as_ref(),
                pattern.as_ref(),
                dest_arg.as_os_str(),
                "--no-acls".as_ref(),
                "--no-attributes".as_ref(),
                "--nullglob".as_ref(),
            ],
        )?;
        let entries = std::fs::read_dir(dest.path()).map_err(|source| WimError::Io {
            what: "reading the manifests extracted from",
            path: path.to_path_buf(),
            source,
        })?;
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| WimError::Io {
                what: "reading the manifests extracted from",
                path: path.to_path_buf(),
                source,
            })?;
            let file_name = entry.file_name().to_string_lossy().into_owned();
            if !file_name.to_ascii_lowercase().ends_with(".mum") {
                continue;
            }
            let bytes = std::fs::read(entry.path()).map_err(|source| WimError::Io {
                what: "reading the manifest extracted from",
                path: path.to_path_buf(),
                source,
            })?;
            let manifest = parse_manifest(&file_name, &bytes).map_err(|e| WimError::Damaged {
                path: path.to_path_buf(),
                detail: format!("in image {index}, {e}"),
            })?;
            out.push(manifest);
        }
        out.sort_by(|a, b| a.file_name.cmp(&b.file_name));
        Ok(out)
    }

    /// Runs the program on the file at `path`; its standard output.
    fn run(&self, path: &Path, args: &[&std::ffi::OsStr]) -> Result<Vec<u8>, WimError> {
        let mut cmd = Command::new(&self.program);
        cmd.args(args);
        // Windows paths are not case-sensitive; neither is the lookup in the image.
        cmd.env("WIMLIB_IMAGEX_IGNORE_CASE", "1");
        let out = cmd.output().map_err(|e| WimError::ToolMissing {
            detail: format!("{}: {e}", self.program.display()),
        })?;
        if out.status.success() {
            return Ok(out.stdout);
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        let detail: Vec<&str> = stderr
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("ERROR: Exiting with error code"))
            .map(|l| l.strip_prefix("[ERROR]").map(str::trim).unwrap_or(l))
            .collect();
        let detail = if detail.is_empty() {
            format!("wimlib-imagex failed ({})", out.status)
        } else {
            detail.join(" ")
        };
        Err(WimError::Damaged {
            path: path.to_path_buf(),
            detail,
        })
    }
}

/// An absolute path to a readable file that begins with a WIM header; its size.
fn check_file(path: &Path) -> Result<u64, WimError> {
    if !path.is_absolute() {
        return Err(WimError::NotAbsolute {
            path: path.to_path_buf(),
        });
    }
    let unreadable = |e: std::io::Error| WimError::Unreadable {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(WimError::Unreadable {
            path: path.to_path_buf(),
            detail: "it is a folder, not a file".into(),
        });
    }
    let mut head = [0u8; 8];
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let mut got = 0;
    while got < head.len() {
        match file.read(&mut head[got..]).map_err(unreadable)? {
            0 => break,
            n => got += n,
        }
    }
    if got < head.len() || &head != MAGIC {
        return Err(WimError::NotAWim {
            path: path.to_path_buf(),
        });
    }
    Ok(meta.len())
}

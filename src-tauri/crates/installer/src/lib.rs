//! What a third-party installer says of itself, read from the file with maintained
//! libraries: a Windows Installer package's or patch's summary information and Property
//! table (`msi`), an executable's version resource (`pelite`).
//!
//! **API boundary:** a path or bytes in, [`InstallerInfo`] out, or an [`InstallerError`]
//! that names the file and what is wrong with it. **Invariant:** knows nothing of the site,
//! its database or the UI; never panics on a file's content (the `msi` crate can, on a
//! crafted compound file, so [`read_bytes`] contains that).

mod error;
mod executable;
mod windows_installer;

use std::io::Read;
use std::path::Path;

pub use error::InstallerError;

/// The kinds of installer the Upload Update wizard takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A Windows Installer package (.msi).
    Package,
    /// A Windows Installer patch (.msp).
    Patch,
    /// A program (.exe) that installs when run with its silent switch.
    Executable,
}

impl Kind {
    /// The kind a file's extension says it is, if any.
    pub fn from_name(name: &str) -> Option<Kind> {
        let ext = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "msi" => Some(Kind::Package),
            "msp" => Some(Kind::Patch),
            "exe" => Some(Kind::Executable),
            _ => None,
        }
    }

    /// How the kind is named to an administrator.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Package => "a Windows Installer package (.msi)",
            Kind::Patch => "a Windows Installer patch (.msp)",
            Kind::Executable => "a Windows program (.exe)",
        }
    }
}

/// The processor architecture an installer is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    X86,
    X64,
    Arm64,
    /// The file does not say (a patch, or a template naming no platform).
    Unknown,
}

/// What the installer says of itself; every text as the file holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallerInfo {
    pub kind: Kind,
    pub product_name: Option<String>,
    pub product_version: Option<String>,
    pub manufacturer: Option<String>,
    /// A package's ProductCode, or a patch's own code: the identity detection uses.
    pub product_code: Option<String>,
    pub upgrade_code: Option<String>,
    /// A short description: the package's subject or an executable's FileDescription.
    pub description: Option<String>,
    pub platform: Platform,
    /// Windows language ids (1033 = English, United States; 1036 = French, France).
    pub languages: Vec<u16>,
    /// The ProductCodes a patch applies to.
    pub targets: Vec<String>,
}

/// Largest installer read whole into memory: an executable's version resource sits in its
/// last sections, so it cannot be read from the head alone.
const MAX_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// Reads the installer at `path`, whose extension says what it must be.
pub fn read(path: &Path) -> Result<InstallerInfo, InstallerError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let io = |source| InstallerError::Io {
        name: name.clone(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    if len > MAX_BYTES {
        return Err(InstallerError::TooLarge {
            name,
            bytes: len,
            limit: MAX_BYTES,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(MAX_BYTES).read_to_end(&mut bytes).map_err(io)?;
    read_bytes(&name, &bytes)
}

/// Reads an installer from its bytes; `name` (its file name) says what it must be.
pub fn read_bytes(name: &str, bytes: &[u8]) -> Result<InstallerInfo, InstallerError> {
    let kind = Kind::from_name(name).ok_or_else(|| InstallerError::UnknownKind { name: name.into() })?;
    let found = sniff(bytes);
    if found
        != Some(if kind == Kind::Executable {
            Magic::Pe
        } else {
            Magic::Compound
        })
    {
        return Err(InstallerError::NotWhatItSays {
            name: name.into(),
            expected: kind.describe(),
            found: match found {
                Some(Magic::Pe) => "a Windows program",
                Some(Magic::Compound) => "a compound file (a Windows Installer database or an Office document)",
                None if bytes.is_empty() => "an empty file",
                None => "neither",
            },
        });
    }
    match kind {
        Kind::Executable => executable::read(name, bytes),
        Kind::Package | Kind::Patch => {
            // The msi crate indexes into tables and streams as the file describes them;
            // a crafted file can make it panic. That is a damaged file, not a crash.
            std::panic::catch_unwind(|| windows_installer::read(name, kind, bytes)).unwrap_or_else(|_| {
                Err(InstallerError::Damaged {
                    name: name.into(),
                    what: kind.describe(),
                    detail: "its database tables contradict each other".into(),
                })
            })
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Magic {
    Compound,
    Pe,
}

fn sniff(bytes: &[u8]) -> Option<Magic> {
    const COMPOUND: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(&COMPOUND) {
        Some(Magic::Compound)
    } else if bytes.starts_with(b"MZ") {
        Some(Magic::Pe)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_decides_what_a_file_must_be_and_other_content_is_refused_by_name() {
        let e = read_bytes("setup.msi", b"MZ\x90\0").expect_err("a program named .msi");
        assert_eq!(
            e.to_string(),
            "setup.msi is not a Windows Installer package (.msi): it is a Windows program. Choose the \
             installer itself, with the extension that says what it is."
        );
        let e = read_bytes("tool.exe", b"%PDF-1.7").expect_err("a PDF named .exe");
        assert!(
            e.to_string()
                .starts_with("tool.exe is not a Windows program (.exe): it is neither."),
            "{e}"
        );
        let e = read_bytes("empty.msp", b"").expect_err("empty");
        assert!(e.to_string().contains("it is an empty file"), "{e}");
        let e = read_bytes("readme.txt", b"hello").expect_err("text");
        assert!(e.to_string().contains("readme.txt is not an installer"), "{e}");
        assert_eq!(Kind::from_name("SETUP.MSI"), Some(Kind::Package));
    }

    #[test]
    fn a_compound_file_that_is_not_a_database_is_damaged_not_a_panic() {
        let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        bytes.extend(std::iter::repeat_n(0xFFu8, 4096));
        let e = read_bytes("broken.msi", &bytes).expect_err("garbage after the magic");
        assert!(matches!(e, InstallerError::Damaged { .. }), "{e:?}");
        assert!(
            e.to_string()
                .starts_with("broken.msi is a damaged Windows Installer package (.msi)"),
            "{e}"
        );
    }
}

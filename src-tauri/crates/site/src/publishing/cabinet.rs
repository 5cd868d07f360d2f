//! Published content in a signed cabinet: the installer and the files beside it packed with
//! the `cab` crate (MSZIP), Authenticode-signed with the publishing certificate by
//! osslsigncode (Debian's package; signtool is its counterpart on Windows, not driven yet),
//! and verified against that certificate before it is served.

use std::path::Path;
use std::process::Command;

use super::certificate::PublishingCertificate;
use super::PublishError;

/// Packs `files` (the name inside the cabinet, and where the bytes are) into `out`.
pub fn pack(files: &[(String, &Path)], out: &Path) -> Result<(), PublishError> {
    let failed = |detail: String| PublishError::Pack {
        file: out.display().to_string(),
        detail,
    };
    let mut builder = cab::CabinetBuilder::new();
    let folder = builder.add_folder(cab::CompressionType::MsZip);
    for (name, _) in files {
        folder.add_file(name.as_str());
    }
    let file = std::fs::File::create(out).map_err(PublishError::io("creating", out))?;
    let mut writer = builder.build(file).map_err(|e| failed(e.to_string()))?;
    let mut sources = files.iter();
    while let Some(mut entry) = writer.next_file().map_err(|e| failed(e.to_string()))? {
        let Some((_, path)) = sources.next() else {
            return Err(failed("the cabinet asked for more files than were given".into()));
        };
        let mut source = std::fs::File::open(path).map_err(PublishError::io("reading", path))?;
        std::io::copy(&mut source, &mut entry).map_err(PublishError::io("packing", path))?;
    }
    let file = writer.finish().map_err(|e| failed(e.to_string()))?;
    file.sync_all().map_err(PublishError::io("writing", out))
}

/// Signs `input` into `output` with the publishing certificate: Microsoft's signtool on
/// Windows (where the Windows SDK puts it), osslsigncode elsewhere.
pub fn sign(cert: &PublishingCertificate, description: &str, input: &Path, output: &Path) -> Result<(), PublishError> {
    #[cfg(windows)]
    {
        signtool::sign(cert, description, input, output).map_err(|e| PublishError::SignFailed {
            file: input.display().to_string(),
            detail: e.to_string(),
        })
    }
    #[cfg(not(windows))]
    {
        sign_with_osslsigncode(cert, description, input, output)
    }
}

#[cfg_attr(windows, allow(dead_code))]
fn sign_with_osslsigncode(
    cert: &PublishingCertificate,
    description: &str,
    input: &Path,
    output: &Path,
) -> Result<(), PublishError> {
    let out = osslsigncode(&[
        "sign".as_ref(),
        "-certs".as_ref(),
        cert.cert_path.as_os_str(),
        "-key".as_ref(),
        cert.key_path.as_os_str(),
        "-h".as_ref(),
        "sha256".as_ref(),
        "-n".as_ref(),
        description.as_ref(),
        "-in".as_ref(),
        input.as_os_str(),
        "-out".as_ref(),
        output.as_os_str(),
    ])?;
    if out.status.success() {
        Ok(())
    } else {
        let _ = std::fs::remove_file(output);
        Err(PublishError::SignFailed {
            file: input.display().to_string(),
            detail: tool_said(&out),
        })
    }
}

/// Checks that `file` carries a valid signature chaining to the publishing certificate and
/// that its content is the content that was signed.
pub fn verify(cert: &PublishingCertificate, file: &Path) -> Result<(), PublishError> {
    let out = osslsigncode(&[
        "verify".as_ref(),
        "-CAfile".as_ref(),
        cert.cert_path.as_os_str(),
        "-in".as_ref(),
        file.as_os_str(),
    ])?;
    if out.status.success() {
        Ok(())
    } else {
        Err(PublishError::NotSigned {
            file: file.display().to_string(),
            detail: tool_said(&out),
        })
    }
}

fn osslsigncode(args: &[&std::ffi::OsStr]) -> Result<std::process::Output, PublishError> {
    Command::new("osslsigncode")
        .args(args)
        .output()
        .map_err(|e| PublishError::ToolMissing {
            tool: "osslsigncode",
            package: "osslsigncode",
            detail: e.to_string(),
        })
}

/// The lines of the tool's output that say what failed, without its progress chatter.
fn tool_said(out: &std::process::Output) -> String {
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let said: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| {
            let l = l.to_ascii_lowercase();
            l.contains("fail") || l.contains("error") || l.contains("mismatch") || l.contains("invalid")
        })
        .take(4)
        .collect();
    if said.is_empty() {
        format!("osslsigncode exited with {}", out.status)
    } else {
        said.join("; ")
    }
}

/// Signing with Microsoft's signtool (Windows SDK): it signs a file in place and takes the
/// key as a .pfx, so the cabinet is copied to `output` and a .pfx of the site's certificate
/// and key is written beside it for the call, with a password made for it, and removed
/// after. Built on Windows only; not run by the Linux tests.
#[cfg(windows)]
mod signtool {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    use super::PublishingCertificate;

    /// Why signtool did not sign.
    #[derive(Debug, thiserror::Error)]
    pub enum SigntoolError {
        #[error(
            "signtool.exe was not found ({0}): install the Windows SDK's Signing Tools, or put signtool.exe on PATH"
        )]
        Missing(String),
        #[error("the publishing certificate could not be handed to signtool: {0}")]
        Pfx(String),
        #[error("signtool could not sign: {0}")]
        Failed(String),
        #[error("{what} {path}: {source}")]
        Io {
            what: &'static str,
            path: String,
            #[source]
            source: std::io::Error,
        },
    }

    fn io(what: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> SigntoolError {
        let path = path.display().to_string();
        move |source| SigntoolError::Io { what, path, source }
    }

    /// signtool.exe on PATH, else the newest of the Windows Kits.
    fn program() -> PathBuf {
        let kits =
            std::env::var_os("ProgramFiles(x86)").map(|p| PathBuf::from(p).join("Windows Kits").join("10").join("bin"));
        let mut found: Vec<PathBuf> = kits
            .and_then(|k| std::fs::read_dir(k).ok())
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path().join("x64").join("signtool.exe"))
            .filter(|p| p.is_file())
            .collect();
        found.sort();
        found.pop().unwrap_or_else(|| PathBuf::from("signtool.exe"))
    }

    fn der_blocks(pem: &str) -> Vec<Vec<u8>> {
        use base64::Engine;
        let mut out = Vec::new();
        let mut body = String::new();
        for line in pem.lines() {
            if line.starts_with("-----BEGIN") {
                body.clear();
            } else if line.starts_with("-----END") {
                if let Ok(der) = base64::engine::general_purpose::STANDARD.decode(body.trim()) {
                    out.push(der);
                }
            } else {
                body.push_str(line.trim());
            }
        }
        out
    }

    pub fn sign(
        cert: &PublishingCertificate,
        description: &str,
        input: &Path,
        output: &Path,
    ) -> Result<(), SigntoolError> {
        use rand::RngCore;
        let key_pem = std::fs::read_to_string(&cert.key_path).map_err(io("reading", &cert.key_path))?;
        let key = der_blocks(&key_pem)
            .pop()
            .ok_or_else(|| SigntoolError::Pfx("the key file holds no PEM block".into()))?;
        let chain = der_blocks(&cert.cert_pem)
            .iter()
            .map(|d| p12_keystore::Certificate::from_der(d).map_err(|e| SigntoolError::Pfx(e.to_string())))
            .collect::<Result<Vec<_>, _>>()?;
        let mut store = p12_keystore::KeyStore::new();
        store.add_entry(
            "publisher",
            p12_keystore::KeyStoreEntry::PrivateKeyChain(p12_keystore::PrivateKeyChain::new(key, [1u8; 20], chain)),
        );
        let mut secret = [0u8; 24];
        rand::thread_rng().fill_bytes(&mut secret);
        let password: String = secret.iter().map(|b| format!("{b:02x}")).collect();
        let pfx = store
            .writer(&password)
            .write()
            .map_err(|e| SigntoolError::Pfx(e.to_string()))?;
        let pfx_path = output.with_extension("pfx");
        std::fs::write(&pfx_path, pfx).map_err(io("writing", &pfx_path))?;
        let result = (|| {
            std::fs::copy(input, output).map_err(io("copying", output))?;
            let out = Command::new(program())
                .args(["sign", "/fd", "SHA256", "/d", description, "/f"])
                .arg(&pfx_path)
                .arg("/p")
                .arg(&password)
                .arg(output)
                .output()
                .map_err(|e| SigntoolError::Missing(e.to_string()))?;
            if out.status.success() {
                Ok(())
            } else {
                let _ = std::fs::remove_file(output);
                Err(SigntoolError::Failed(format!(
                    "{} {}",
                    String::from_utf8_lossy(&out.stdout).trim(),
                    String::from_utf8_lossy(&out.stderr).trim()
                )))
            }
        })();
        let _ = std::fs::remove_file(&pfx_path);
        result
    }
}

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

/// Signs `input` into `output` with the publishing certificate.
pub fn sign(cert: &PublishingCertificate, description: &str, input: &Path, output: &Path) -> Result<(), PublishError> {
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

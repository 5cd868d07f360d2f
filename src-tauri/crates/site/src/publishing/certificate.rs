//! The site's publishing certificate: a code-signing certificate made on first use (RSA,
//! as Windows' Trusted Publishers and osslsigncode expect) or imported from a .pfx with its
//! password, kept in the site folder, and exported as a .cer for clients' Trusted
//! Publishers and Trusted Root stores.

use std::path::{Path, PathBuf};

use super::PublishError;

/// Folder inside the site folder.
const FOLDER: &str = "publishing";
const CERT_FILE: &str = "certificate.pem";
const KEY_FILE: &str = "key.pem";

/// The certificate the site signs published content with.
#[derive(Debug, Clone)]
pub struct PublishingCertificate {
    pub cert_path: PathBuf,
    pub key_path: PathBuf,
    /// The certificate in PEM, as clients import it (also as DER in [`Self::to_cer`]).
    pub cert_pem: String,
}

impl PublishingCertificate {
    /// The certificate alone, DER-encoded: the .cer an administrator deploys to clients.
    pub fn to_cer(&self) -> Result<Vec<u8>, PublishError> {
        // The first block: an imported .pfx may bring its issuers after it.
        let body: String = self
            .cert_pem
            .lines()
            .skip_while(|l| !l.starts_with("-----BEGIN"))
            .skip(1)
            .take_while(|l| !l.starts_with("-----END"))
            .collect();
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(body.trim())
            .map_err(|e| PublishError::Certificate(format!("the stored certificate is not PEM ({e})")))
    }
}

/// The site's publishing certificate, made the first time it is asked for.
pub fn certificate(site_folder: &Path, site_name: &str) -> Result<PublishingCertificate, PublishError> {
    let folder = site_folder.join(FOLDER);
    let (cert_path, key_path) = (folder.join(CERT_FILE), folder.join(KEY_FILE));
    if cert_path.is_file() && key_path.is_file() {
        let cert_pem = std::fs::read_to_string(&cert_path).map_err(PublishError::io("reading", &cert_path))?;
        return Ok(PublishingCertificate {
            cert_path,
            key_path,
            cert_pem,
        });
    }
    std::fs::create_dir_all(&folder).map_err(PublishError::io("creating", &folder))?;
    let (cert_pem, key_pem) = generate(site_name)?;
    // The key first, readable by the site's user only; the certificate last, so a crash
    // between the two leaves no certificate without its key.
    write_private(&key_path, key_pem.as_bytes())?;
    std::fs::write(&cert_path, &cert_pem).map_err(PublishError::io("writing", &cert_path))?;
    tracing::info!(path = %cert_path.display(), "made the site's publishing certificate");
    Ok(PublishingCertificate {
        cert_path,
        key_path,
        cert_pem,
    })
}

fn generate(site_name: &str) -> Result<(String, String), PublishError> {
    use rcgen::{CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, KeyPair, KeyUsagePurpose};
    use rsa::pkcs8::EncodePrivateKey;
    let failed = |e: rcgen::Error| PublishError::Certificate(e.to_string());
    // ring signs with RSA keys but does not make them: the rsa crate does.
    let rsa_key = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048)
        .map_err(|e| PublishError::Certificate(format!("making the RSA key: {e}")))?;
    let key_pem = rsa_key
        .to_pkcs8_pem(rsa::pkcs8::LineEnding::LF)
        .map_err(|e| PublishError::Certificate(format!("writing the RSA key: {e}")))?;
    let key = KeyPair::from_pem_and_sign_algo(&key_pem, &rcgen::PKCS_RSA_SHA256).map_err(failed)?;
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, format!("Patchdeck publisher ({site_name})"));
    dn.push(DnType::OrganizationName, "Patchdeck");
    params.distinguished_name = dn;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyCertSign];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::CodeSigning];
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::days(1);
    params.not_after = now + time::Duration::days(5 * 365);
    let cert = params.self_signed(&key).map_err(failed)?;
    Ok((cert.pem(), key.serialize_pem()))
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), PublishError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(PublishError::io("writing", path))?;
    file.write_all(bytes).map_err(PublishError::io("writing", path))?;
    file.sync_all().map_err(PublishError::io("writing", path))
}

/// Why a .pfx could not become the publishing certificate.
#[derive(Debug, thiserror::Error)]
pub enum PfxError {
    #[error("{file} is not a PFX (PKCS #12) file ({detail}): export the certificate with its private key as a .pfx and choose that file.")]
    NotPfx { file: String, detail: String },
    #[error("The password does not open {file}: type the password the .pfx was exported with.")]
    WrongPassword { file: String },
    #[error("{file} holds no private key with its certificate: export the certificate again with its private key (\"Yes, export the private key\").")]
    NoKey { file: String },
    #[error("{file} could not be read ({detail}): it is damaged, or made with an encryption the site does not read; export it again.")]
    Unreadable { file: String, detail: String },
    #[error("{0}")]
    Store(#[from] PublishError),
}

/// What an imported .pfx holds: the PEM texts the site signs with.
fn read_pfx(file: &str, bytes: &[u8], password: &str) -> Result<(String, String, String), PfxError> {
    use p12_keystore::{error::Error, KeyStore};
    let store = KeyStore::from_pkcs12(bytes, password).map_err(|e| match e {
        Error::MacError(_) => PfxError::WrongPassword { file: file.into() },
        Error::DerError(d) => PfxError::NotPfx {
            file: file.into(),
            detail: d.to_string(),
        },
        Error::InvalidVersion => PfxError::NotPfx {
            file: file.into(),
            detail: "not version 3".into(),
        },
        // Without a MAC, a wrong password shows as a key that does not decrypt.
        Error::UnpadError | Error::Pkcs5Error(_) => PfxError::WrongPassword { file: file.into() },
        other => PfxError::Unreadable {
            file: file.into(),
            detail: other.to_string(),
        },
    })?;
    let (_, chain) = store
        .private_key_chain()
        .ok_or_else(|| PfxError::NoKey { file: file.into() })?;
    let Some(leaf) = chain.chain().first() else {
        return Err(PfxError::NoKey { file: file.into() });
    };
    let cert_pem: String = chain.chain().iter().map(|c| pem("CERTIFICATE", c.as_der())).collect();
    Ok((cert_pem, pem("PRIVATE KEY", chain.key()), leaf.subject().to_string()))
}

fn pem(label: &str, der: &[u8]) -> String {
    use base64::Engine;
    let text = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in text.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Makes an imported .pfx the site's publishing certificate, replacing the one it had (the
/// key first, then the certificate, each written whole before it replaces the old file).
/// Returns the certificate and its subject.
pub fn import_pfx(
    site_folder: &Path,
    file: &str,
    bytes: &[u8],
    password: &str,
) -> Result<(PublishingCertificate, String), PfxError> {
    let (cert_pem, key_pem, subject) = read_pfx(file, bytes, password)?;
    let folder = site_folder.join(FOLDER);
    std::fs::create_dir_all(&folder).map_err(PublishError::io("creating", &folder))?;
    let (cert_path, key_path) = (folder.join(CERT_FILE), folder.join(KEY_FILE));
    let (cert_new, key_new) = (folder.join("certificate.pem.new"), folder.join("key.pem.new"));
    write_private(&key_new, key_pem.as_bytes())?;
    std::fs::write(&cert_new, &cert_pem).map_err(PublishError::io("writing", &cert_new))?;
    std::fs::rename(&key_new, &key_path).map_err(PublishError::io("storing", &key_path))?;
    std::fs::rename(&cert_new, &cert_path).map_err(PublishError::io("storing", &cert_path))?;
    Ok((
        PublishingCertificate {
            cert_path,
            key_path,
            cert_pem,
        },
        subject,
    ))
}

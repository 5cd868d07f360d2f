//! How Windows Update Agents reach this site (WSUS's "client ports", ConfigMgr's software
//! update point's client connection settings): whether `patchdeck serve` listens for them,
//! on which ports, and with which certificate over HTTPS.
//!
//! Stored in `site_meta` as JSON; read once when `serve` starts, so a change takes effect
//! at the next start (the answer says so). A certificate and key are checked when saved by
//! building the TLS configuration the listener will use, so a file that cannot serve is
//! refused with its reason instead of failing at the next start.

use std::path::Path;
use std::sync::Arc;

use crate::audit;
use crate::handle::{Actor, Site};
use crate::store::meta;
use crate::wire::{ApiError, ClientServiceSettings, ErrorCode, FieldIssue, NoArgs};

const KEY: &str = "client_service";

/// WSUS's ports: 8530 for HTTP, 8531 for HTTPS.
pub fn defaults() -> ClientServiceSettings {
    ClientServiceSettings {
        enabled: false,
        http_port: 8530,
        https_port: 8531,
        require_ssl: false,
        certificate_file: String::new(),
        private_key_file: String::new(),
    }
}

pub fn load(site: &Site) -> Result<ClientServiceSettings, ApiError> {
    Ok(meta::get_json(&site.store().reader(), KEY)?.unwrap_or_else(defaults))
}

pub fn get(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<ClientServiceSettings, ApiError> {
    load(site)
}

pub fn set(site: &Site, actor: &Actor, settings: ClientServiceSettings) -> Result<ClientServiceSettings, ApiError> {
    let settings = validate(settings)?;
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    meta::put_json(&tx, KEY, &settings)?;
    let detail = if !settings.enabled {
        "clients not served".to_string()
    } else {
        let mut d = Vec::new();
        if !settings.require_ssl {
            d.push(format!("HTTP on port {}", settings.http_port));
        }
        if !settings.certificate_file.is_empty() {
            d.push(format!(
                "HTTPS on port {} with {}",
                settings.https_port, settings.certificate_file
            ));
        }
        d.join(", ")
    };
    audit::record(&tx, actor, "set_client_service_settings", "client service", &detail)?;
    tx.commit()?;
    Ok(settings)
}

fn issue(field: &str, message: String) -> FieldIssue {
    FieldIssue {
        field: field.into(),
        message,
    }
}

/// The console's check before saving: each problem with the field it belongs to
/// (`httpPort`, `httpsPort`, `requireSsl`, `certificateFile`, `privateKeyFile`), so
/// Software Update Point Properties shows it beside that field. Empty when `set` would save.
pub fn check(_site: &Site, _actor: &Actor, settings: ClientServiceSettings) -> Result<Vec<FieldIssue>, ApiError> {
    Ok(issues(&trimmed(settings)))
}

fn trimmed(mut s: ClientServiceSettings) -> ClientServiceSettings {
    s.certificate_file = s.certificate_file.trim().to_string();
    s.private_key_file = s.private_key_file.trim().to_string();
    s
}

/// Checks the ports, and the certificate and key by loading them; the first problem found
/// is the refusal.
pub fn validate(s: ClientServiceSettings) -> Result<ClientServiceSettings, ApiError> {
    let s = trimmed(s);
    match issues(&s).into_iter().next() {
        Some(first) => Err(ApiError::new(ErrorCode::Validation, first.message)),
        None => Ok(s),
    }
}

/// Every problem of trimmed settings, in the order the fields are shown.
fn issues(s: &ClientServiceSettings) -> Vec<FieldIssue> {
    let mut out = Vec::new();
    for (field, name, port) in [
        ("httpPort", "HTTP port", s.http_port),
        ("httpsPort", "HTTPS port", s.https_port),
    ] {
        if port == 0 {
            out.push(issue(
                field,
                format!("The {name} must be between 1 and 65535 (WSUS uses 8530 and 8531)."),
            ));
        }
    }
    if s.http_port == s.https_port && s.http_port != 0 {
        out.push(issue(
            "httpsPort",
            format!("The HTTP and HTTPS ports must differ; both are {}.", s.http_port),
        ));
    }
    let has_tls = !s.certificate_file.is_empty() || !s.private_key_file.is_empty();
    if s.require_ssl && !has_tls {
        out.push(issue(
            "requireSsl",
            "Requiring SSL needs a certificate file and its private key file (PEM).".into(),
        ));
    }
    if !has_tls {
        return out;
    }
    let mut paths_usable = true;
    for (field, name, path) in [
        ("certificateFile", "certificate", &s.certificate_file),
        ("privateKeyFile", "private key", &s.private_key_file),
    ] {
        if path.is_empty() {
            out.push(issue(
                field,
                "HTTPS needs both a certificate file and its private key file (PEM).".into(),
            ));
            paths_usable = false;
        } else if !Path::new(path).is_absolute() {
            out.push(issue(
                field,
                format!("The {name} file must be a full path on the site's machine; '{path}' is not."),
            ));
            paths_usable = false;
        }
    }
    if paths_usable {
        if let Err((field, message)) = build_tls(s) {
            out.push(issue(field, message));
        }
    }
    out
}

/// The TLS configuration of the HTTPS listener: the certificate chain and key of `s`, with
/// the same cryptography provider as the upstream connections, HTTP/1.1 only (the agent
/// speaks nothing else).
pub fn tls_config(s: &ClientServiceSettings) -> Result<Arc<rustls::ServerConfig>, String> {
    build_tls(s).map_err(|(_, message)| message)
}

/// [`tls_config`], with the settings field a failure is about.
fn build_tls(s: &ClientServiceSettings) -> Result<Arc<rustls::ServerConfig>, (&'static str, String)> {
    const CERT: &str = "certificateFile";
    const KEY: &str = "privateKeyFile";
    let open = |path: &str, what: &str, field: &'static str| {
        std::fs::File::open(path)
            .map(std::io::BufReader::new)
            .map_err(|e| (field, format!("The {what} file {path} cannot be read: {e}.")))
    };
    let certs: Vec<_> = rustls_pemfile::certs(&mut open(&s.certificate_file, "certificate", CERT)?)
        .collect::<Result<_, _>>()
        .map_err(|e| {
            (
                CERT,
                format!("{} is not a PEM certificate file: {e}.", s.certificate_file),
            )
        })?;
    if certs.is_empty() {
        return Err((
            CERT,
            format!(
                "{} holds no PEM certificate (-----BEGIN CERTIFICATE-----).",
                s.certificate_file
            ),
        ));
    }
    let key = rustls_pemfile::private_key(&mut open(&s.private_key_file, "private key", KEY)?)
        .map_err(|e| {
            (
                KEY,
                format!("{} is not a PEM private key file: {e}.", s.private_key_file),
            )
        })?
        .ok_or_else(|| {
            (
                KEY,
                format!(
                    "{} holds no PEM private key (-----BEGIN PRIVATE KEY-----).",
                    s.private_key_file
                ),
            )
        })?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| (CERT, e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| {
            (
                KEY,
                format!(
                    "The certificate {} and the key {} do not make a usable pair: {e}.",
                    s.certificate_file, s.private_key_file
                ),
            )
        })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(s: ClientServiceSettings) -> String {
        match validate(s) {
            Err(e) => e.message,
            Ok(s) => panic!("accepted {s:?}"),
        }
    }

    #[test]
    fn ports_ssl_and_paths_are_checked_with_a_reason() {
        assert!(validate(defaults()).is_ok());
        let s = |f: fn(&mut ClientServiceSettings)| {
            let mut s = defaults();
            f(&mut s);
            s
        };
        assert!(refused(s(|s| s.http_port = 0)).contains("between 1 and 65535"));
        assert!(refused(s(|s| s.https_port = 8530)).contains("must differ"));
        assert!(refused(s(|s| s.require_ssl = true)).contains("certificate file and its private key"));
        assert!(refused(s(|s| s.certificate_file = "/etc/cert.pem".into())).contains("both"));
        let relative = s(|s| {
            s.certificate_file = "cert.pem".into();
            s.private_key_file = "key.pem".into();
        });
        assert!(refused(relative).contains("full path"));
        let missing = s(|s| {
            s.certificate_file = "/nonexistent/cert.pem".into();
            s.private_key_file = "/nonexistent/key.pem".into();
        });
        assert!(refused(missing.clone()).contains("/nonexistent/cert.pem cannot be read"));

        // The console's check names the field of each problem.
        let fields =
            |s: ClientServiceSettings| -> Vec<String> { issues(&trimmed(s)).into_iter().map(|i| i.field).collect() };
        assert!(fields(defaults()).is_empty());
        assert_eq!(fields(s(|s| s.http_port = 0)), ["httpPort"]);
        assert_eq!(fields(s(|s| s.https_port = 8530)), ["httpsPort"]);
        assert_eq!(fields(s(|s| s.require_ssl = true)), ["requireSsl"]);
        assert_eq!(
            fields(s(|s| s.certificate_file = "/etc/cert.pem".into())),
            ["privateKeyFile"]
        );
        assert_eq!(fields(missing), ["certificateFile"]);
    }
}

//! SOAP over HTTP to an upstream: one POST per message, retried with backoff on network
//! errors, faults decoded.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use wsus::{Operation, Request, Response, SoapFault, WsusError};

#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error("the upstream {url} could not be reached: {detail}")]
    Network { url: String, detail: String },
    #[error(
        "the upstream {url} presented a certificate this site does not trust ({detail}); if your own \
         certificate authority signed it, give that authority's PEM file as an additional trusted \
         certificate authority in the Software Update Point properties"
    )]
    Certificate { url: String, detail: String },
    #[error("the upstream answered HTTP {status} to {operation}")]
    Http { status: u16, operation: &'static str },
    #[error("the upstream refused {operation}: {fault}")]
    Fault {
        operation: &'static str,
        fault: Box<SoapFault>,
    },
    #[error("the upstream's answer to {operation} is not valid: {error}")]
    Malformed { operation: &'static str, error: WsusError },
}

impl CallError {
    pub fn fault_code(&self) -> Option<&str> {
        match self {
            CallError::Fault { fault, .. } => fault.error_code.as_deref(),
            _ => None,
        }
    }
}

/// Sends one message and returns the upstream's answer.
pub trait Transport: Send + Sync {
    fn call(&self, root: &str, request: &Request) -> Result<Response, CallError>;
}

/// The real transport: HTTP(S) with the system's certificate store.
pub struct HttpTransport {
    agent: ureq::Agent,
    attempts: u32,
    first_backoff: Duration,
}

/// Largest answer accepted (a GetUpdateData batch of 100 bundles stays far below).
const MAX_ANSWER_BYTES: u64 = 256 * 1024 * 1024;

impl HttpTransport {
    /// The system's certificate store, no proxy.
    pub fn new() -> Self {
        Self::from_agent(base_agent().build())
    }

    /// With the update point's proxy and extra certificate authorities, if set.
    pub fn for_settings(settings: &crate::wire::SyncSettings) -> Result<Self, String> {
        let mut builder = base_agent();
        if !settings.proxy_url.is_empty() {
            builder = builder.proxy(proxy(&settings.proxy_url)?);
        }
        if !settings.ca_certificate_file.is_empty() {
            let extra = load_ca_file(Path::new(&settings.ca_certificate_file))?;
            builder = builder.tls_config(tls_config(extra)?);
        }
        Ok(Self::from_agent(builder.build()))
    }

    /// The HTTP agent (proxy and authorities applied), for content downloads from the same
    /// upstream.
    pub fn agent(&self) -> ureq::Agent {
        self.agent.clone()
    }

    fn from_agent(agent: ureq::Agent) -> Self {
        Self {
            agent,
            attempts: 4,
            first_backoff: Duration::from_millis(250),
        }
    }

    fn post_once(&self, url: &str, request: &Request) -> Result<(u16, String), CallError> {
        let op = request.operation();
        let result = self
            .agent
            .post(url)
            .set("Content-Type", "text/xml; charset=utf-8")
            .set("SOAPAction", &format!("\"{}\"", op.soap_action()))
            .send_string(&request.to_xml());
        let response = match result {
            Ok(r) => r,
            // SOAP faults come with HTTP 500: read the body either way.
            Err(ureq::Error::Status(_, r)) => r,
            Err(ureq::Error::Transport(t)) => {
                // Not retried: the same certificate comes back on every attempt.
                if let Some(e) = certificate_error(&t) {
                    return Err(CallError::Certificate {
                        url: url.into(),
                        detail: e.to_string(),
                    });
                }
                // The transport error's own text repeats the URL; say it once.
                let mut detail = t.kind().to_string();
                if let Some(m) = t.message() {
                    detail = format!("{detail}: {m}");
                }
                if let Some(source) = std::error::Error::source(&t) {
                    detail = format!("{detail} ({source})");
                }
                return Err(CallError::Network {
                    url: url.into(),
                    detail,
                });
            }
        };
        let status = response.status();
        let mut body = String::new();
        use std::io::Read;
        response
            .into_reader()
            .take(MAX_ANSWER_BYTES)
            .read_to_string(&mut body)
            .map_err(|e| CallError::Network {
                url: url.into(),
                detail: format!("reading the answer: {e}"),
            })?;
        Ok((status, body))
    }
}

impl Default for HttpTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl Transport for HttpTransport {
    fn call(&self, root: &str, request: &Request) -> Result<Response, CallError> {
        let op = request.operation();
        let url = format!("{}{}", root.trim_end_matches('/'), op.path());
        let mut delay = self.first_backoff;
        let mut attempt = 1;
        let (status, body) = loop {
            match self.post_once(&url, request) {
                Ok(answer) if answer.0 >= 502 && answer.0 <= 504 && attempt < self.attempts => {
                    tracing::warn!(%url, status = answer.0, attempt, "upstream busy; retrying");
                }
                Ok(answer) => break answer,
                Err(e @ CallError::Network { .. }) if attempt < self.attempts => {
                    tracing::warn!(%url, error = %e, attempt, "network error; retrying");
                }
                Err(e) => return Err(e),
            }
            std::thread::sleep(delay);
            delay *= 2;
            attempt += 1;
        };
        decode(op, status, &body)
    }
}

/// Turns an HTTP answer into a response, a fault, or an error naming what is wrong.
pub fn decode(op: Operation, status: u16, body: &str) -> Result<Response, CallError> {
    match Response::parse(op, body) {
        Ok(r) if status == 200 => Ok(r),
        Ok(_) => Err(CallError::Http {
            status,
            operation: op.name(),
        }),
        Err(WsusError::Fault(fault)) => Err(CallError::Fault {
            operation: op.name(),
            fault,
        }),
        Err(_) if status != 200 => Err(CallError::Http {
            status,
            operation: op.name(),
        }),
        Err(error) => Err(CallError::Malformed {
            operation: op.name(),
            error,
        }),
    }
}

/// The TLS verdict on the upstream's certificate, when that is why the connection failed.
fn certificate_error(t: &ureq::Transport) -> Option<&rustls::Error> {
    let mut source = std::error::Error::source(t);
    while let Some(e) = source {
        let found = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
            .or_else(|| e.downcast_ref::<rustls::Error>());
        if let Some(r @ (rustls::Error::InvalidCertificate(_) | rustls::Error::InvalidCertRevocationList(_))) = found {
            return Some(r);
        }
        source = e.source();
    }
    None
}

fn base_agent() -> ureq::AgentBuilder {
    ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(15))
        .timeout_read(Duration::from_secs(120))
        .user_agent(concat!("Patchdeck/", env!("CARGO_PKG_VERSION")))
}

/// A proxy address as the settings hold it, checked.
pub fn proxy(url: &str) -> Result<ureq::Proxy, String> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err(format!(
            "The proxy '{url}' is not an http:// address such as http://proxy.example.org:3128."
        ));
    }
    ureq::Proxy::new(url).map_err(|e| format!("The proxy '{url}' is not usable: {e}."))
}

/// The certificates of a PEM file; an unreadable file or one without certificates is refused.
pub fn load_ca_file(path: &Path) -> Result<Vec<rustls::pki_types::CertificateDer<'static>>, String> {
    let file = std::fs::File::open(path)
        .map_err(|e| format!("The certificate authority file {} cannot be read: {e}.", path.display()))?;
    let certs: Vec<_> = rustls_pemfile::certs(&mut std::io::BufReader::new(file))
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{} is not a PEM certificate file: {e}.", path.display()))?;
    if certs.is_empty() {
        return Err(format!(
            "{} holds no PEM certificate (-----BEGIN CERTIFICATE-----).",
            path.display()
        ));
    }
    Ok(certs)
}

/// The system's authorities plus `extra`.
fn tls_config(extra: Vec<rustls::pki_types::CertificateDer<'static>>) -> Result<Arc<rustls::ClientConfig>, String> {
    let mut roots = rustls::RootCertStore::empty();
    // A system store that cannot be read still leaves the configured authorities.
    if let Ok(native) = rustls_native_certs::load_native_certs() {
        for c in native {
            let _ = roots.add(c);
        }
    }
    for c in extra {
        roots
            .add(c)
            .map_err(|e| format!("A configured certificate authority is not usable: {e}."))?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

//! SOAP over HTTP to an upstream: one POST per message, faults decoded, and a request that
//! failed for a reason that may pass (the upstream busy or failing inside, an answer cut or
//! damaged on the way, a dropped connection) sent again after a growing wait, within a
//! bounded budget. What cannot pass by waiting (a parameter refused, a cookie refused, a
//! certificate not trusted, a wrong address) fails at once.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use wsus::protocol::error_codes;
use wsus::{Operation, Request, Response, SoapFault, WsusError};

use crate::wire::RetrySettings;

/// What one attempt at a request met.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("the upstream could not be reached: {0}")]
    Unreachable(String),
    #[error("the upstream closed the connection before answering: {0}")]
    Dropped(String),
    #[error("the answer stopped after {received} bytes{}: {detail}", announced.map(|n| format!(" of the {n} announced")).unwrap_or_default())]
    Cut {
        received: usize,
        announced: Option<u64>,
        detail: String,
    },
    #[error("the upstream answered HTTP {status}")]
    Status { status: u16 },
    #[error("the upstream answered HTTP {status} with the fault {fault}")]
    Fault { status: u16, fault: Box<SoapFault> },
    #[error("the upstream's answer ({bytes} bytes) is not valid: {error}")]
    Malformed { bytes: usize, error: WsusError },
    #[error(
        "the upstream presented a certificate this site does not trust ({0}); if your own \
         certificate authority signed it, give that authority's PEM file as an additional trusted \
         certificate authority in the Software Update Point properties"
    )]
    Certificate(String),
}

impl Failure {
    /// True when the same request may succeed later. A refused cookie is not: the caller
    /// authenticates again instead. WSUS answers unknown update ids with
    /// InternalServerError too (exchange 000017), so those cost the budget; the sync then
    /// halves the batch to find the id (`sync::client`).
    pub fn is_transient(&self) -> bool {
        match self {
            Failure::Unreachable(_) | Failure::Dropped(_) | Failure::Cut { .. } | Failure::Malformed { .. } => true,
            Failure::Status { status } => matches!(status, 408 | 429 | 500 | 502 | 503 | 504),
            Failure::Fault { fault, .. } => match fault.error_code.as_deref() {
                Some(error_codes::INTERNAL_SERVER_ERROR | error_codes::SERVER_BUSY) => true,
                Some(_) => false,
                None => fault.code == "Server",
            },
            Failure::Certificate(_) => false,
        }
    }
}

/// A request that failed for good: which, where, what the upstream did, how many tries.
#[derive(Debug, thiserror::Error)]
#[error("{operation} to {url}: {failure} ({})", attempts_text(*attempts))]
pub struct CallError {
    pub operation: &'static str,
    pub url: String,
    pub failure: Failure,
    pub attempts: u32,
}

fn attempts_text(n: u32) -> String {
    if n == 1 {
        "1 attempt".into()
    } else {
        format!("{n} attempts")
    }
}

impl CallError {
    pub fn fault_code(&self) -> Option<&str> {
        match &self.failure {
            Failure::Fault { fault, .. } => fault.error_code.as_deref(),
            _ => None,
        }
    }
}

/// A failed attempt about to be repeated, for whoever keeps the run's log.
#[derive(Debug)]
pub struct Retry<'a> {
    pub operation: &'static str,
    /// The attempt that failed, from 1.
    pub attempt: u32,
    /// Attempts the budget allows in all.
    pub of: u32,
    pub failure: &'a Failure,
    pub wait: Duration,
    /// What the upstream's Retry-After header asked for, when it sent one.
    pub asked: Option<Duration>,
}

impl std::fmt::Display for Retry<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: attempt {} of {} failed: {}; trying again in {} ms",
            self.operation,
            self.attempt,
            self.of,
            self.failure,
            self.wait.as_millis()
        )?;
        match self.asked {
            Some(asked) if asked > self.wait => write!(
                f,
                " (the upstream asked for {} s; the longest wait set is {} ms)",
                asked.as_secs(),
                self.wait.as_millis()
            ),
            Some(asked) => write!(f, " (the upstream asked for {} s)", asked.as_secs()),
            None => Ok(()),
        }
    }
}

/// How often and after which waits a failed request is sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub retries: u32,
    pub first_wait: Duration,
    pub max_wait: Duration,
}

/// More would keep a run on one request for hours.
const MAX_RETRIES: u32 = 10;
const MAX_WAIT: Duration = Duration::from_secs(300);

impl Default for RetryPolicy {
    /// 0.5 + 1 + 2 + 4 + 8 s: a WSUS restarting its application pool is back within that.
    fn default() -> Self {
        Self {
            retries: 5,
            first_wait: Duration::from_millis(500),
            max_wait: Duration::from_secs(8),
        }
    }
}

impl RetryPolicy {
    /// The settings' budget, refused with the reason when it is not bounded.
    pub fn from_settings(r: &RetrySettings) -> Result<Self, String> {
        if r.retries > MAX_RETRIES {
            return Err(format!("Retry a failed request at most {MAX_RETRIES} times."));
        }
        let (first, max) = (
            Duration::from_millis(r.first_wait_ms.into()),
            Duration::from_millis(r.max_wait_ms.into()),
        );
        if max > MAX_WAIT || first > max {
            return Err(format!(
                "The first wait before a retry must be at most the longest wait, which is at most {} s.",
                MAX_WAIT.as_secs()
            ));
        }
        Ok(Self {
            retries: r.retries,
            first_wait: first,
            max_wait: max,
        })
    }

    /// The wait after failed attempt `attempt` (from 1): doubling, capped.
    pub fn wait_after(&self, attempt: u32) -> Duration {
        let doubled = self
            .first_wait
            .checked_mul(1u32.checked_shl(attempt.saturating_sub(1)).unwrap_or(u32::MAX))
            .unwrap_or(self.max_wait);
        doubled.min(self.max_wait)
    }

    /// The wait actually taken after failed attempt `attempt`: the backoff, drawn between
    /// its half and its whole so that children failing together do not retry in step, and
    /// at least what the upstream asked for in Retry-After, up to the longest wait set. So
    /// [`Self::total_wait`] stays the bound of one request's waiting.
    pub fn wait_for(&self, attempt: u32, asked: Option<Duration>, rng: &mut impl rand::Rng) -> Duration {
        let backoff = self.wait_after(attempt);
        let half = backoff / 2;
        let spread = u64::try_from((backoff - half).as_millis()).unwrap_or(u64::MAX);
        let jittered = half + Duration::from_millis(rng.gen_range(0..=spread));
        match asked {
            Some(asked) => asked.min(self.max_wait).max(jittered),
            None => jittered,
        }
    }

    /// All the waiting one request may do before it fails.
    pub fn total_wait(&self) -> Duration {
        (1..=self.retries).map(|a| self.wait_after(a)).sum()
    }
}

/// Sends one message and returns the upstream's answer; `on_retry` hears of every failed
/// attempt that will be repeated.
pub trait Transport: Send + Sync {
    fn call(&self, root: &str, request: &Request, on_retry: &dyn Fn(&Retry)) -> Result<Response, CallError>;
}

/// The HTTP client every outgoing request of the site uses (sync, content downloads,
/// distribution uploads): proxy and trusted authorities as the update point sets them.
pub type HttpClient = reqwest::blocking::Client;

/// The real transport: HTTP(S) with the system's certificate store.
pub struct HttpTransport {
    client: HttpClient,
    retry: RetryPolicy,
}

/// Largest answer accepted (a GetUpdateData batch of 100 bundles stays far below).
const MAX_ANSWER_BYTES: u64 = 256 * 1024 * 1024;

impl HttpTransport {
    /// The system's certificate store, no proxy, the default retry budget.
    pub fn new() -> Self {
        Self::try_new().unwrap_or_else(|e| {
            // Only a TLS stack that cannot start lands here; every request then fails with it.
            tracing::error!("the HTTP client could not be built: {e}");
            Self::from_client(HttpClient::new())
        })
    }

    fn try_new() -> Result<Self, String> {
        let client = base_client(Vec::new())?.build().map_err(|e| error_chain(&e))?;
        Ok(Self::from_client(client))
    }

    /// A client with the system's authorities and no proxy, for talking to this site's
    /// children, which the update point's settings do not concern.
    pub fn new_client(timeout: Duration) -> Result<HttpClient, String> {
        base_client(Vec::new())?
            .timeout(timeout)
            .build()
            .map_err(|e| error_chain(&e))
    }

    /// With the update point's proxy, extra certificate authorities and retry budget, if set.
    pub fn for_settings(settings: &crate::wire::SyncSettings) -> Result<Self, String> {
        let extra = if settings.ca_certificate_file.is_empty() {
            Vec::new()
        } else {
            load_ca_file(Path::new(&settings.ca_certificate_file))?
        };
        let mut builder = base_client(extra)?;
        if !settings.proxy_url.is_empty() {
            builder = builder.proxy(proxy(&settings.proxy_url)?);
        }
        let client = builder
            .build()
            .map_err(|e| format!("The HTTP client cannot be set up: {}.", error_chain(&e)))?;
        let mut transport = Self::from_client(client);
        if let Some(r) = &settings.retry {
            transport.retry = RetryPolicy::from_settings(r)?;
        }
        Ok(transport)
    }

    /// The same transport with another retry budget.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The HTTP client (proxy and authorities applied), for content downloads from the same
    /// upstream. Clones share one connection pool.
    pub fn client(&self) -> HttpClient {
        self.client.clone()
    }

    fn from_client(client: HttpClient) -> Self {
        Self {
            client,
            retry: RetryPolicy::default(),
        }
    }

    /// One exchange; a failure comes with the wait the upstream asked for, if any.
    fn attempt(&self, url: &str, op: Operation, body: &str) -> Result<Response, (Failure, Option<Duration>)> {
        let mut asked = None;
        self.exchange(url, op, body, &mut asked).map_err(|f| (f, asked))
    }

    fn exchange(
        &self,
        url: &str,
        op: Operation,
        body: &str,
        asked: &mut Option<Duration>,
    ) -> Result<Response, Failure> {
        // SOAP faults come with HTTP 500: the body is read whatever the status.
        let response = self
            .client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "text/xml; charset=utf-8")
            .header("SOAPAction", format!("\"{}\"", op.soap_action()))
            .body(body.to_owned())
            .send()
            .map_err(|e| transport_failure(&e))?;
        let status = response.status().as_u16();
        if matches!(status, 429 | 503) {
            *asked = header(&response, reqwest::header::RETRY_AFTER).and_then(retry_after);
        }
        // A compressed answer is decoded on the way and loses its length; an uncompressed
        // one announces what should arrive.
        let announced = header(&response, reqwest::header::CONTENT_LENGTH).and_then(|v| v.trim().parse().ok());
        let mut bytes = Vec::new();
        use std::io::Read;
        if let Err(e) = response.take(MAX_ANSWER_BYTES).read_to_end(&mut bytes) {
            return Err(Failure::Cut {
                received: bytes.len(),
                announced,
                detail: io_chain(&e),
            });
        }
        if let Some(n) = announced {
            if (bytes.len() as u64) < n {
                return Err(Failure::Cut {
                    received: bytes.len(),
                    announced,
                    detail: "the connection closed early".into(),
                });
            }
        }
        let text = String::from_utf8(bytes).map_err(|e| Failure::Malformed {
            bytes: e.as_bytes().len(),
            error: WsusError::MalformedXml {
                context: "the answer",
                detail: format!("not UTF-8 text ({})", e.utf8_error()),
            },
        })?;
        decode(op, status, &text)
    }
}

/// A header's value as text, when present and readable.
pub fn header(response: &reqwest::blocking::Response, name: reqwest::header::HeaderName) -> Option<&str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

impl Default for HttpTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl Transport for HttpTransport {
    fn call(&self, root: &str, request: &Request, on_retry: &dyn Fn(&Retry)) -> Result<Response, CallError> {
        let op = request.operation();
        let url = format!("{}{}", root.trim_end_matches('/'), op.path());
        let body = request.to_xml();
        let of = self.retry.retries + 1;
        let mut attempt = 1;
        let mut rng = rand::thread_rng();
        loop {
            let (failure, asked) = match self.attempt(&url, op, &body) {
                Ok(answer) => return Ok(answer),
                Err(f) => f,
            };
            if attempt >= of || !failure.is_transient() {
                return Err(CallError {
                    operation: op.name(),
                    url,
                    failure,
                    attempts: attempt,
                });
            }
            let wait = self.retry.wait_for(attempt, asked, &mut rng);
            let retry = Retry {
                operation: op.name(),
                attempt,
                of,
                failure: &failure,
                wait,
                asked,
            };
            tracing::warn!(%url, "{retry}");
            on_retry(&retry);
            std::thread::sleep(wait);
            attempt += 1;
        }
    }
}

/// Retry-After in seconds (RFC 9110 also allows a date; WSUS and IIS send seconds, and a
/// date is read as no request, falling back on the backoff).
fn retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// What a request error says about the upstream: never reached, refused by its
/// certificate, or dropped once connected.
fn transport_failure(e: &reqwest::Error) -> Failure {
    if let Some(c) = certificate_error(e) {
        return Failure::Certificate(c);
    }
    let detail = error_chain(e);
    if e.is_connect() {
        Failure::Unreachable(detail)
    } else {
        Failure::Dropped(detail)
    }
}

/// Every cause of an error, outermost first, without the URL (the caller names it once).
pub fn error_chain(e: &reqwest::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        let text = inner.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        source = inner.source();
    }
    let text = parts.join(": ");
    match e.url() {
        Some(url) => text
            .replace(&format!(" for url ({url})"), "")
            .replace(&format!(" ({url})"), ""),
        None => text,
    }
}

/// An I/O error met while reading a body, with its causes.
pub fn io_chain(e: &std::io::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        let more = inner.to_string();
        if !text.ends_with(&more) {
            text = format!("{text}: {more}");
        }
        source = inner.source();
    }
    text
}

/// Turns an HTTP answer into a response, or what is wrong with it.
pub fn decode(op: Operation, status: u16, body: &str) -> Result<Response, Failure> {
    match Response::parse(op, body) {
        Ok(r) if status == 200 => Ok(r),
        Ok(_) => Err(Failure::Status { status }),
        Err(WsusError::Fault(fault)) => Err(Failure::Fault { status, fault }),
        Err(_) if status != 200 => Err(Failure::Status { status }),
        Err(error) => Err(Failure::Malformed {
            bytes: body.len(),
            error,
        }),
    }
}

/// The TLS verdict on the upstream's certificate, when that is why the connection failed.
fn certificate_error(e: &reqwest::Error) -> Option<String> {
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        let found = inner
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|i| i.downcast_ref::<rustls::Error>())
            .or_else(|| inner.downcast_ref::<rustls::Error>());
        if let Some(r @ (rustls::Error::InvalidCertificate(_) | rustls::Error::InvalidCertRevocationList(_))) = found {
            return Some(r.to_string());
        }
        // The connector boxes the TLS error where a downcast cannot reach it; rustls's own
        // words for these two verdicts are stable.
        let text = inner.to_string();
        if text.starts_with("invalid peer certificate") || text.starts_with("invalid certificate revocation list") {
            return Some(text);
        }
        source = inner.source();
    }
    None
}

/// What every client of the site shares: its name, how long to wait, the authorities it trusts.
fn base_client(
    extra: Vec<rustls::pki_types::CertificateDer<'static>>,
) -> Result<reqwest::blocking::ClientBuilder, String> {
    Ok(reqwest::blocking::Client::builder()
        .connect_timeout(Duration::from_secs(15))
        // Applies to the wait for the answer's head and to each read of its body, so a
        // large download is not cut while bytes keep coming.
        .timeout(Duration::from_secs(120))
        .user_agent(concat!("Patchdeck/", env!("CARGO_PKG_VERSION")))
        .use_preconfigured_tls(tls_config(extra)?))
}

/// A proxy address as the settings hold it, checked.
pub fn proxy(url: &str) -> Result<reqwest::Proxy, String> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err(format!(
            "The proxy '{url}' is not an http:// address such as http://proxy.example.org:3128."
        ));
    }
    reqwest::Proxy::all(url).map_err(|e| format!("The proxy '{url}' is not usable: {}.", error_chain(&e)))
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
fn tls_config(extra: Vec<rustls::pki_types::CertificateDer<'static>>) -> Result<rustls::ClientConfig, String> {
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
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(code: &str) -> Failure {
        Failure::Fault {
            status: 500,
            fault: Box::new(SoapFault::wsus(code, "")),
        }
    }

    #[test]
    fn what_may_pass_is_retried_and_what_cannot_is_not() {
        for transient in [
            Failure::Status { status: 500 },
            Failure::Status { status: 503 },
            fault(error_codes::INTERNAL_SERVER_ERROR),
            fault(error_codes::SERVER_BUSY),
            Failure::Dropped("reset".into()),
            Failure::Unreachable("refused".into()),
            Failure::Cut {
                received: 10,
                announced: Some(20),
                detail: "eof".into(),
            },
            Failure::Malformed {
                bytes: 3,
                error: WsusError::Cabinet("damaged".into()),
            },
        ] {
            assert!(transient.is_transient(), "{transient}");
        }
        for permanent in [
            Failure::Status { status: 404 },
            Failure::Status { status: 401 },
            fault(error_codes::INVALID_PARAMETERS),
            fault(error_codes::INVALID_COOKIE),
            fault(error_codes::INVALID_AUTHORIZATION_COOKIE),
            Failure::Certificate("UnknownIssuer".into()),
        ] {
            assert!(!permanent.is_transient(), "{permanent}");
        }
    }

    #[test]
    fn waits_double_up_to_the_longest_and_the_budget_is_bounded() {
        let p = RetryPolicy {
            retries: 6,
            first_wait: Duration::from_millis(100),
            max_wait: Duration::from_millis(500),
        };
        let waits: Vec<u128> = (1..=6).map(|a| p.wait_after(a).as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 500, 500, 500]);
        assert_eq!(p.total_wait(), Duration::from_millis(2200));
        assert_eq!(p.wait_after(64), p.max_wait, "no overflow far out");
        let none = RetryPolicy::from_settings(&RetrySettings {
            retries: 0,
            first_wait_ms: 0,
            max_wait_ms: 0,
        })
        .map(|p| p.total_wait());
        assert_eq!(none, Ok(Duration::ZERO));
        for refused in [(11, 10, 10), (3, 20, 10), (3, 10, 300_001)] {
            let (retries, first_wait_ms, max_wait_ms) = refused;
            assert!(RetryPolicy::from_settings(&RetrySettings {
                retries,
                first_wait_ms,
                max_wait_ms
            })
            .is_err());
        }
        assert_eq!(RetryPolicy::default().total_wait(), Duration::from_millis(15_500));
    }

    #[test]
    fn waits_are_spread_below_the_backoff_and_honour_retry_after_up_to_the_longest_wait() {
        use rand::SeedableRng;
        let p = RetryPolicy::default();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..200 {
            for attempt in 1..=p.retries {
                let backoff = p.wait_after(attempt);
                let wait = p.wait_for(attempt, None, &mut rng);
                assert!(wait >= backoff / 2 && wait <= backoff, "{wait:?} for {backoff:?}");
                seen.insert(wait);
            }
        }
        // Spread, not the same wait every time.
        assert!(seen.len() > 100, "{}", seen.len());
        let asked = p.wait_for(1, Some(Duration::from_secs(3)), &mut rng);
        assert_eq!(asked, Duration::from_secs(3));
        let too_long = p.wait_for(1, Some(Duration::from_secs(3600)), &mut rng);
        assert_eq!(too_long, p.max_wait);
        // Asking for less than the backoff does not shorten it.
        let short = p.wait_for(5, Some(Duration::ZERO), &mut rng);
        assert!(short >= p.wait_after(5) / 2, "{short:?}");
    }

    #[test]
    fn retry_after_is_read_in_seconds_and_a_date_or_garbage_is_no_request() {
        assert_eq!(retry_after(" 120 "), Some(Duration::from_secs(120)));
        assert_eq!(retry_after("Wed, 21 Oct 2026 07:28:00 GMT"), None);
        assert_eq!(retry_after("-1"), None);
        assert_eq!(retry_after(""), None);
    }

    #[test]
    fn a_failure_names_the_operation_the_upstream_and_the_attempts() {
        let e = CallError {
            operation: "GetCookie",
            url: "https://up.example.org/ServerSyncWebService/ServerSyncWebService.asmx".into(),
            failure: fault(error_codes::INTERNAL_SERVER_ERROR),
            attempts: 6,
        };
        assert_eq!(
            e.to_string(),
            "GetCookie to https://up.example.org/ServerSyncWebService/ServerSyncWebService.asmx: the upstream \
             answered HTTP 500 with the fault Server: Fault occurred [ErrorCode InternalServerError] (6 attempts)"
        );
    }
}

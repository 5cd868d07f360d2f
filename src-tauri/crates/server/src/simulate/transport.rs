//! The simulator's HTTP side: one SOAP call posted as the agent posts it, its answer read;
//! one content file fetched. Every way a call can go wrong is a [`SimError`] with a kind the
//! summary counts; nothing here panics on what a server sends.

use std::time::{Duration, Instant};

use wsus::wusp::{ClientRequest, ClientResponse};

/// A call or download that went wrong, by kind.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("{operation}: cannot reach the server: {detail}")]
    Connect { operation: String, detail: String },
    #[error("{operation}: HTTP {status} without a SOAP fault")]
    Status { operation: String, status: u16 },
    #[error("{operation}: SOAP fault {code}: {message}")]
    Fault {
        operation: String,
        code: String,
        message: String,
    },
    #[error("{operation}: the answer cannot be read: {detail}")]
    Malformed { operation: String, detail: String },
    #[error("update {update_id}: a core fragment cannot be read: {detail}")]
    Core { update_id: String, detail: String },
    #[error("{url}: download failed: {detail}")]
    Download { url: String, detail: String },
    #[error("{url}: {algorithm} of the downloaded file is {got}, the update says {expected}")]
    Digest {
        url: String,
        algorithm: &'static str,
        expected: String,
        got: String,
    },
    #[error("file {name} of update {update_id} has no download location")]
    NoLocation { update_id: String, name: String },
    #[error("the scan did not settle after {pages} SyncUpdates pages")]
    EndlessScan { pages: usize },
}

impl SimError {
    /// The kind the summary counts failures by: `connect`, `http-status`, `fault:<code>`,
    /// `malformed`, `core-fragment`, `download`, `digest`, `no-location`, `endless-scan`.
    pub fn kind(&self) -> String {
        match self {
            SimError::Connect { .. } => "connect".into(),
            SimError::Status { .. } => "http-status".into(),
            SimError::Fault { code, .. } => format!("fault:{code}"),
            SimError::Malformed { .. } => "malformed".into(),
            SimError::Core { .. } => "core-fragment".into(),
            SimError::Download { .. } => "download".into(),
            SimError::Digest { .. } => "digest".into(),
            SimError::NoLocation { .. } => "no-location".into(),
            SimError::EndlessScan { .. } => "endless-scan".into(),
        }
    }

    /// A session cookie the server no longer takes: the agent authenticates again.
    pub fn is_cookie_refused(&self) -> bool {
        matches!(self, SimError::Fault { code, .. } if code == "CookieExpired" || code == "InvalidCookie")
    }
}

/// One server, as all simulated computers reach it.
#[derive(Clone)]
pub struct Transport {
    http: reqwest::Client,
    base: String,
}

impl Transport {
    pub fn new(base: &str, timeout: Duration) -> Result<Transport, SimError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .user_agent("Windows-Update-Agent/1507.2601.30012.0 Client-Protocol/2.90")
            .build()
            .map_err(|e| SimError::Connect {
                operation: "client setup".into(),
                detail: e.to_string(),
            })?;
        Ok(Transport {
            http,
            base: base.trim_end_matches('/').to_owned(),
        })
    }

    /// Posts `request` and reads the answer; the time the round trip took.
    pub async fn call(&self, request: &ClientRequest) -> Result<(ClientResponse, Duration), SimError> {
        let op = request.operation();
        let operation = op.name().to_owned();
        let started = Instant::now();
        let sent = self
            .http
            .post(format!("{}{}", self.base, request.service_path()))
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", request.soap_action())
            .body(request.to_xml())
            .send()
            .await
            .map_err(|e| SimError::Connect {
                operation: operation.clone(),
                detail: e.to_string(),
            })?;
        let status = sent.status().as_u16();
        let body = sent.text().await.map_err(|e| SimError::Connect {
            operation: operation.clone(),
            detail: e.to_string(),
        })?;
        let elapsed = started.elapsed();
        if status != 200 {
            return Err(match wsus::parse_fault(&body) {
                Some(fault) => SimError::Fault {
                    operation,
                    code: fault.error_code.unwrap_or_else(|| "unknown".into()),
                    message: fault.detail_message.unwrap_or_default(),
                },
                None => SimError::Status { operation, status },
            });
        }
        match ClientResponse::parse(op, &body) {
            Ok(answer) => Ok((answer, elapsed)),
            Err(wsus::WsusError::Fault(fault)) => Err(SimError::Fault {
                operation,
                code: fault.error_code.unwrap_or_else(|| "unknown".into()),
                message: fault.detail_message.unwrap_or_default(),
            }),
            Err(e) => Err(SimError::Malformed {
                operation,
                detail: e.to_string(),
            }),
        }
    }

    /// The bytes at `url` (a `FileLocation/Url`, absolute as the server gives it).
    pub async fn download(&self, url: &str) -> Result<Vec<u8>, SimError> {
        let failed = |detail: String| SimError::Download {
            url: url.to_owned(),
            detail,
        };
        let answer = self.http.get(url).send().await.map_err(|e| failed(e.to_string()))?;
        if !answer.status().is_success() {
            return Err(failed(format!("HTTP {}", answer.status().as_u16())));
        }
        let bytes = answer.bytes().await.map_err(|e| failed(e.to_string()))?;
        Ok(bytes.to_vec())
    }
}

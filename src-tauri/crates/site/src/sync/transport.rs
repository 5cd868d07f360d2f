//! SOAP over HTTP to an upstream: one POST per message, retried with backoff on network
//! errors, faults decoded.

use std::time::Duration;

use wsus::{Operation, Request, Response, SoapFault, WsusError};

#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error("the upstream {url} could not be reached: {detail}")]
    Network { url: String, detail: String },
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
    pub fn new() -> Self {
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(15))
            .timeout_read(Duration::from_secs(120))
            .user_agent(concat!("Patchdeck/", env!("CARGO_PKG_VERSION")))
            .build();
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

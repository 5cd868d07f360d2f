//! The one error type of the protocol library, and the SOAP fault an upstream answers with
//! (one of its variants, so it lives here where both the readers and the writers use it).
//!
//! Every message is written for the administrator who reads it in a sync log: it says which
//! document or part was wrong and how, never only that "parsing failed".

use std::fmt;

use serde::{Deserialize, Serialize};

/// What went wrong while reading an upstream's answer or an update document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WsusError {
    /// Not well-formed XML, or XML this library refuses (a DTD, content after the root).
    #[error("malformed XML in {context}: {detail}")]
    MalformedXml { context: &'static str, detail: String },

    /// A required element or attribute is absent; the name is a path such as
    /// `UpdateIdentity/@RevisionNumber`.
    #[error("required element or attribute is missing: {0}")]
    MissingElement(&'static str),

    /// A value is present but cannot be what the protocol says it is (a GUID, a number...).
    #[error("invalid value {value:?} for {field}")]
    InvalidValue { field: &'static str, value: String },

    /// The document is XML but not the kind that was expected, e.g. a SOAP envelope handed
    /// to the update parser.
    #[error("{context}: expected element {expected}, found {found}")]
    UnexpectedElement {
        context: &'static str,
        expected: &'static str,
        found: String,
    },

    /// The element has the expected name but another namespace: a message of another protocol
    /// (say a client-protocol `GetCookie`) sent to this one.
    #[error("{context}: element {element} must be in namespace {expected}, found {found}")]
    WrongNamespace {
        context: &'static str,
        element: &'static str,
        expected: &'static str,
        found: String,
    },

    #[error("compressed update blob is not valid base64: {0}")]
    Base64(String),

    #[error("compressed update blob is not a readable cabinet: {0}")]
    Cabinet(String),

    /// Refused before decompressing, so a hostile upstream cannot exhaust memory.
    #[error("{what} is {size} bytes, over the limit of {limit} bytes")]
    BlobTooLarge { what: &'static str, size: u64, limit: u64 },

    #[error("update blob is not valid UTF-16LE text: {0}")]
    Utf16(String),

    /// The upstream answered with a SOAP fault instead of a result. Boxed: the fault is the
    /// largest variant by far, and every parse result would otherwise carry its size.
    #[error("upstream server answered with a SOAP fault: {0}")]
    Fault(Box<SoapFault>),
}

/// A SOAP fault as an upstream sends it (and as [`SoapFault::to_xml`] writes it).
///
/// WSUS puts `ErrorCode`, `Message`, `ID` and `Method` in `detail`; the `faultstring` is always
/// the uninformative "Fault occurred", so the detail `Message` (e.g. `filter` for a bad
/// anchor) is the only human hint. Empty elements read as `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoapFault {
    /// `faultcode` (1.1) or `Code/Value` (1.2) without its namespace prefix, e.g. `Client`.
    pub code: String,
    /// `faultstring` (1.1) or the first `Reason/Text` (1.2).
    pub message: String,
    /// WSUS's own `detail/ErrorCode`, e.g. `InvalidCookie`; the part worth acting on.
    pub error_code: Option<String>,
    /// `detail/Message`: which parameter was wrong, when WSUS says (`filter`).
    pub detail_message: Option<String>,
    /// `faultactor`: the URL of the service that failed.
    pub actor: Option<String>,
    /// `detail/ID`: a GUID the server logged the failure under.
    pub id: Option<String>,
    /// `detail/Method`: the SOAPAction of the failed call, in double quotes as WSUS writes it.
    pub method: Option<String>,
}

impl fmt::Display for SoapFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        match (&self.error_code, &self.detail_message) {
            (Some(code), Some(detail)) => write!(f, " [ErrorCode {code}: {detail}]")?,
            (Some(code), None) => write!(f, " [ErrorCode {code}]")?,
            (None, Some(detail)) => write!(f, " [{detail}]")?,
            (None, None) => {}
        }
        Ok(())
    }
}

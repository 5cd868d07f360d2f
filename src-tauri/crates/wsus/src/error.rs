//! The one error type of the protocol library.
//!
//! Every message is written for the administrator who reads it in a sync log: it says which
//! document or part was wrong and how, never only that "parsing failed".

use crate::soap::SoapFault;

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

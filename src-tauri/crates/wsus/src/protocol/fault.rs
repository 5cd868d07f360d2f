//! SOAP faults as WSUS writes them (exchanges 000017-000019): HTTP 500 with
//!
//! ```text
//! soap:Fault
//!   faultcode    soap:Client | soap:Server
//!   faultstring  Fault occurred
//!   faultactor   the service URL
//!   detail
//!     ErrorCode  InvalidCookie | InvalidParameters | InternalServerError | ...
//!     Message    what was wrong (`filter`), often empty
//!     ID         a GUID the server logged the failure under
//!     Method     "<SOAPAction>" in double quotes
//! ```
//!
//! The detail children are unqualified (WSUS declares no namespace for them).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{SoapFault, WsusError};
use crate::protocol::messages::Operation;
use crate::xml_write::{Envelope, XmlWriter};

/// The `ErrorCode` values of [MS-WSUSSS] and what a downstream does about them.
pub mod error_codes {
    /// The cookie is missing, expired or not readable: authenticate again and retry.
    pub const INVALID_COOKIE: &str = "InvalidCookie";
    pub const COOKIE_EXPIRED: &str = "CookieExpired";
    /// A parameter is wrong; with `detail/Message` `filter` on `GetRevisionIdList`, the
    /// anchor: drop it and sync in full.
    pub const INVALID_PARAMETERS: &str = "InvalidParameters";
    /// Unknown update ids in `GetUpdateData` give this too (exchange 000017).
    pub const INTERNAL_SERVER_ERROR: &str = "InternalServerError";
    pub const INVALID_AUTHORIZATION_COOKIE: &str = "InvalidAuthorizationCookie";
    /// `protocolVersion` with a major version other than 1.
    pub const INCOMPATIBLE_PROTOCOL_VERSION: &str = "IncompatibleProtocolVersion";
    pub const SERVER_BUSY: &str = "ServerBusy";
    pub const CONFIG_CHANGED: &str = "ConfigChanged";
    pub const SERVER_CHANGED: &str = "ServerChanged";
    pub const DEPLOYMENT_SYNCHRONIZATION_NOT_ALLOWED: &str = "DeploymentSynchronizationNotAllowed";
    pub const FILE_LOCATION_CHANGED: &str = "FileLocationChanged";
    pub const FILE_DIGESTS_MISSING: &str = "FileDigestsMissing";
}

/// The SOAP 1.1 fault envelope for `error_code` with `message` as `detail/Message` (may be
/// empty), shaped like WSUS's own: `soap:Server` for `InternalServerError` and `ServerBusy`,
/// `soap:Client` otherwise, a fresh `ID`, empty `faultactor` and `Method`. Send it with
/// HTTP status 500. For the actor and method too, fill a [`SoapFault::wsus`] and call
/// [`SoapFault::to_xml`].
pub fn fault_xml(code: &str, message: &str) -> String {
    SoapFault::wsus(code, message).to_xml()
}

impl SoapFault {
    /// A fault as a WSUS upstream reports `error_code`.
    pub fn wsus(error_code: &str, message: &str) -> SoapFault {
        let server_side = matches!(
            error_code,
            error_codes::INTERNAL_SERVER_ERROR | error_codes::SERVER_BUSY
        );
        SoapFault {
            code: if server_side { "Server" } else { "Client" }.to_owned(),
            message: "Fault occurred".to_owned(),
            error_code: Some(error_code.to_owned()),
            detail_message: (!message.is_empty()).then(|| message.to_owned()),
            actor: None,
            id: Some(new_fault_id()),
            method: None,
        }
    }

    /// The fault an upstream answers to a call [`Request::parse`](crate::protocol::Request::parse)
    /// refused: `InvalidParameters`, with the offending parameter's path as `detail/Message`
    /// when known (the spec's answer to a bad `accountGuid`, `protocolVersion` or filter).
    pub fn for_bad_request(err: &WsusError) -> SoapFault {
        let detail = match err {
            WsusError::MissingElement(path) | WsusError::InvalidValue { field: path, .. } => (*path).to_owned(),
            other => other.to_string(),
        };
        SoapFault::wsus(error_codes::INVALID_PARAMETERS, &detail)
    }

    /// Sets `detail/Method` to the operation's quoted SOAPAction and `faultactor` to
    /// `service_url` (the URL the call was posted to), as WSUS fills them.
    pub fn for_call(mut self, op: Operation, service_url: &str) -> SoapFault {
        self.method = Some(format!("\"{}\"", op.soap_action()));
        self.actor = (!service_url.is_empty()).then(|| service_url.to_owned());
        self
    }

    /// The SOAP 1.1 envelope of this fault. `faultactor` is always written (empty when
    /// `None`); `detail` is written when any of its parts is known, then with all four
    /// children, empty ones included, as WSUS does.
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::envelope(Envelope::AsmxResponse);
        w.start("soap:Fault");
        let code = if self.code.is_empty() { "Server" } else { &self.code };
        w.text_open_close("faultcode", &format!("soap:{code}"));
        w.text_open_close("faultstring", &self.message);
        w.text_open_close("faultactor", self.actor.as_deref().unwrap_or_default());
        let parts = [&self.error_code, &self.detail_message, &self.id, &self.method];
        if parts.iter().any(|p| p.is_some()) {
            w.start("detail");
            for (name, part) in ["ErrorCode", "Message", "ID", "Method"].into_iter().zip(parts) {
                w.text_open_close(name, part.as_deref().unwrap_or_default());
            }
            w.end("detail");
        }
        w.end("soap:Fault");
        w.finish()
    }
}

/// A random-looking version-4 GUID for `detail/ID`. It only correlates log lines, so the
/// standard library's randomly keyed hasher over the time and a counter is enough.
fn new_fault_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let half = |salt: u64| {
        let mut h = RandomState::new().build_hasher();
        h.write_u128(nanos);
        h.write_u64(count);
        h.write_u64(salt);
        h.finish()
    };
    let (hi, lo) = (half(1), half(2));
    let hi = (hi & !0xf000) | 0x4000; // version 4
    let lo = (lo & !(0xc000 << 48)) | (0x8000 << 48); // RFC 4122 variant
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::update_xml::is_guid;

    #[test]
    fn fault_ids_are_distinct_version_4_guids() {
        let (a, b) = (new_fault_id(), new_fault_id());
        assert!(is_guid(&a) && is_guid(&b), "{a} {b}");
        assert_ne!(a, b);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
    }

    #[test]
    fn a_refused_request_is_an_invalid_parameters_fault_naming_the_field() {
        let err = WsusError::InvalidValue {
            field: "GetAuthorizationCookie/accountGuid",
            value: "x".into(),
        };
        let fault = SoapFault::for_bad_request(&err);
        assert_eq!(fault.error_code.as_deref(), Some(error_codes::INVALID_PARAMETERS));
        assert_eq!(
            fault.detail_message.as_deref(),
            Some("GetAuthorizationCookie/accountGuid")
        );
        assert_eq!(fault.code, "Client");
    }

    #[test]
    fn server_side_codes_are_server_faults() {
        assert_eq!(SoapFault::wsus(error_codes::INTERNAL_SERVER_ERROR, "").code, "Server");
        assert_eq!(SoapFault::wsus(error_codes::INVALID_COOKIE, "").code, "Client");
        assert_eq!(SoapFault::wsus(error_codes::INVALID_COOKIE, "").detail_message, None);
    }
}

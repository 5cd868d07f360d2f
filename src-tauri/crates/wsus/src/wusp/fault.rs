//! The SOAP faults a server sends a client ([MS-WUSP] 2.2.2.4): a SOAP 1.1 fault whose
//! `detail` holds `ErrorCode`, `Message`, `ID` and `Method`, the same shape as the MS-WSUSSS
//! faults a real WSUS writes (`wsusss/exchanges/000017`-`000019`), so it is written by the same
//! [`SoapFault::to_xml`]. Send it with HTTP status 500.
//!
//! No client fault was captured; the error codes are those [MS-WUSP] names, each with what the
//! client does about it.

use crate::error::{SoapFault, WsusError};
use crate::wusp::Operation;

/// The `ErrorCode` values of [MS-WUSP] and what a client does on each.
pub mod error_codes {
    /// The cookie cannot be read (or comes from another server): the client starts over with
    /// `GetConfig`, `GetAuthorizationCookie`, `GetCookie`.
    pub const INVALID_COOKIE: &str = "InvalidCookie";
    /// The cookie has expired: the client calls `GetCookie` with it as `oldCookie`.
    pub const COOKIE_EXPIRED: &str = "CookieExpired";
    /// The configuration changed since the client's `GetConfig`: it calls `GetConfig`,
    /// `GetAuthorizationCookie` and `GetCookie` again.
    pub const CONFIG_CHANGED: &str = "ConfigChanged";
    /// The client must call `RegisterComputer` before `SyncUpdates` again.
    pub const REGISTRATION_REQUIRED: &str = "RegistrationRequired";
    /// The server's identity or state changed: the client discards its cookie and starts over.
    pub const SERVER_CHANGED: &str = "ServerChanged";
    /// The authorization cookie of `GetCookie` is not valid.
    pub const INVALID_AUTHORIZATION_COOKIE: &str = "InvalidAuthorizationCookie";
    /// A parameter is wrong; `Message` names it.
    pub const INVALID_PARAMETERS: &str = "InvalidParameters";
    pub const INTERNAL_SERVER_ERROR: &str = "InternalServerError";
}

/// The fault envelope for a call of `op` failing with `error_code`, `message` as
/// `detail/Message` (may be empty), a fresh `detail/ID` and `op`'s SOAPAction as
/// `detail/Method`. `soap:Server` for `InternalServerError`, `soap:Client` otherwise.
pub fn fault_xml(op: Operation, error_code: &str, message: &str) -> String {
    client_fault(op, error_code, message).to_xml()
}

/// The fault as a value, for a caller that also wants `faultactor` (the URL the call was
/// posted to) or logs the `ID`.
pub fn client_fault(op: Operation, error_code: &str, message: &str) -> SoapFault {
    let mut fault = SoapFault::wsus(error_code, message);
    fault.method = Some(format!("\"{}\"", op.soap_action()));
    fault
}

/// The fault for a call [`ClientRequest::parse`](crate::wusp::ClientRequest::parse) refused:
/// `InvalidParameters`, naming the offending element when known. `op` is the operation the
/// call was meant for (from its SOAPAction), when known.
pub fn fault_for_bad_request(op: Option<Operation>, err: &WsusError) -> SoapFault {
    let mut fault = SoapFault::for_bad_request(err);
    fault.method = op.map(|op| format!("\"{}\"", op.soap_action()));
    fault
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::soap::parse_fault;

    #[test]
    fn a_fault_names_its_code_and_method_and_reads_back() {
        let xml = fault_xml(Operation::SyncUpdates, error_codes::COOKIE_EXPIRED, "");
        let fault = parse_fault(&xml);
        assert_eq!(
            fault.as_ref().and_then(|f| f.error_code.as_deref()),
            Some(error_codes::COOKIE_EXPIRED)
        );
        assert_eq!(
            fault.as_ref().and_then(|f| f.method.clone()),
            Some(format!("\"{}\"", Operation::SyncUpdates.soap_action()))
        );
        assert_eq!(fault.map(|f| f.code), Some("Client".to_owned()));
        let server = client_fault(Operation::GetConfig, error_codes::INTERNAL_SERVER_ERROR, "db");
        assert_eq!(server.code, "Server");
    }

    #[test]
    fn a_refused_request_is_invalid_parameters_naming_the_element() {
        let err = WsusError::MissingElement("SyncUpdates/parameters");
        let fault = fault_for_bad_request(Some(Operation::SyncUpdates), &err);
        assert_eq!(fault.error_code.as_deref(), Some(error_codes::INVALID_PARAMETERS));
        assert_eq!(fault.detail_message.as_deref(), Some("SyncUpdates/parameters"));
    }
}

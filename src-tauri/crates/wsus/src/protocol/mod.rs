//! The [MS-WSUSSS] server-to-server sync messages, typed, in both directions.
//!
//! A sync client builds a [`Request`] and writes it with [`Request::to_xml`], then reads the
//! upstream's answer with [`Response::parse`] (a SOAP fault comes back as
//! [`WsusError::Fault`](crate::WsusError::Fault)). An upstream server reads a downstream's call
//! with [`Request::parse`] and answers with [`Response::to_xml`] or [`fault_xml`].
//!
//! Every message is a SOAP 1.1 document/literal envelope shaped like the ones a real WSUS
//! exchanges (`shared/fixtures/wsusss`): same element names, order and namespaces; requests
//! declare only the envelope namespace, responses also `xsi` and `xsd`, as WSUS does.
//! Reading is by local name in any prefix (SOAP 1.2 envelopes too), in any child order, with
//! unknown children passed over; only the operation element's own namespace is checked.
//!
//! Text values that are opaque to the protocol (cookies, anchors, dates) are kept as the
//! strings that were sent. GUIDs are checked and kept lower-case.

pub(crate) mod envelope;
pub mod fault;
pub mod messages;
pub mod request;
pub mod response;

pub use fault::{error_codes, fault_xml};
pub use messages::{
    AuthConfig, AuthPlugInInfo, AuthorizationCookie, ConfigData, Cookie, FileUrl, IdAndDelta, LanguageAndDelta,
    LanguageData, Operation, RevisionIdList, ServerSyncFilter, UpdateData, DSS_AUTH_NAMESPACE, DSS_AUTH_PATH,
    DSS_PLUGIN_ID, PROTOCOL_VERSION, SERVER_SYNC_NAMESPACE, SERVER_SYNC_PATH, WSUS_LANGUAGES,
};
pub use request::Request;
pub use response::Response;

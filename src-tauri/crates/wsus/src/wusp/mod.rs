//! The [MS-WUSP] client-server messages: what an unmodified Windows Update Agent sends to an
//! update server, and what the server answers.
//!
//! A server reads a client's call with [`ClientRequest::parse`] (bytes in, typed values out)
//! and answers with [`ClientResponse::to_xml`] or one of the faults in [`fault`] (typed values
//! in, bytes out). [`ClientResponse::parse`] reads an answer back, for tests and for a future
//! client side.
//!
//! Three services share the protocol, each with its own namespace and envelope style, as the
//! captures in `shared/fixtures/wusp/native` show them:
//!
//! | service | path | namespace | envelope of the answers |
//! |---|---|---|---|
//! | client | `/ClientWebService/client.asmx` | `.../Server/ClientWebService` | `s:Envelope`, `xsi`/`xsd` declared on `s:Body`, no XML declaration |
//! | SimpleAuth | `/SimpleAuthWebService/SimpleAuth.asmx` | `.../Server/SimpleAuthWebService` | XML declaration, `soap:Envelope` declaring `soap`, `xsi`, `xsd` |
//! | reporting | `/ReportingWebService/ReportingWebService.asmx` | `http://www.microsoft.com/SoftwareDistribution` | as SimpleAuth |
//!
//! Reading is by local name in any prefix (SOAP 1.2 envelopes too), in any child order, with
//! unknown children passed over; only the operation element's own namespace is checked. Every
//! array a client sends is bounded ([`limits`]), and so is the body, so a hostile body is
//! refused with an error that names the array, before it can exhaust memory.
//!
//! **Architecture invariant:** like the rest of the crate, this module knows nothing of the
//! site, HTTP or what a computer is offered: it decodes and encodes, and never panics on input.

pub mod events;
pub mod fault;
pub mod fragments;
pub mod request;
pub mod request_write;
pub mod response;

use serde::{Deserialize, Serialize};

use crate::error::WsusError;

pub use events::{BasicData, ExtendedData, OsVersion, ReportingEvent};
pub use fault::{error_codes, fault_xml};
pub use fragments::{Fragments, LocalizedFragment};
pub use request::{
    CategoryRelationship, ClientRequest, ComputerInfo, Device, FragmentType, GetCookieRequest,
    GetExtendedUpdateInfoRequest, InstalledDriver, ProductsParameters, SyncUpdateParameters,
};
pub use response::{
    ClientResponse, Config, ConfigurationProperty, Deployment, DeploymentAction, ExtendedUpdateInfo, FileLocation,
    FileLocationsResult, SyncInfo, UpdateData, UpdateInfo,
};

// Re-exported so that a caller of this module needs no path into the MS-WSUSSS one: the
// cookie and authorization types are the same on both protocols.
pub use crate::protocol::{AuthPlugInInfo, AuthorizationCookie, Cookie};

macro_rules! client_ns {
    () => {
        "http://www.microsoft.com/SoftwareDistribution/Server/ClientWebService"
    };
}
macro_rules! simple_auth_ns {
    () => {
        "http://www.microsoft.com/SoftwareDistribution/Server/SimpleAuthWebService"
    };
}
macro_rules! reporting_ns {
    () => {
        "http://www.microsoft.com/SoftwareDistribution"
    };
}

/// Namespace of the client web service's messages, and prefix of their SOAPActions.
pub const CLIENT_NAMESPACE: &str = client_ns!();
/// Namespace of the SimpleAuth web service (`GetAuthorizationCookie`).
pub const SIMPLE_AUTH_NAMESPACE: &str = simple_auth_ns!();
/// Namespace of the reporting web service (`ReportEventBatch`).
pub const REPORTING_NAMESPACE: &str = reporting_ns!();
/// Path of the client web service under the server root.
pub const CLIENT_PATH: &str = "/ClientWebService/client.asmx";
/// Path of the SimpleAuth web service, also the `ServiceUrl` (relative) of `GetConfig`.
pub const SIMPLE_AUTH_PATH: &str = "/SimpleAuthWebService/SimpleAuth.asmx";
/// Path of the reporting web service.
pub const REPORTING_PATH: &str = "/ReportingWebService/ReportingWebService.asmx";
/// The authorization plug-in a WSUS client uses (`GetConfig` `AuthInfo`).
pub const SIMPLE_TARGETING_PLUGIN_ID: &str = "SimpleTargeting";

/// Bounds on what a client may send. Beyond them a request is refused with
/// [`WsusError::InvalidValue`](crate::WsusError::InvalidValue) naming the array, rather than
/// read into memory. Each is far above what the captured clients send.
pub mod limits {
    /// A whole request body, checked before any parsing. The largest capture is 51 KB.
    pub const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;
    /// Ids in one id array (`InstalledNonLeafUpdateIDs`, `OtherCachedUpdateIDs`,
    /// `revisionIDs`...). The captures send up to 1,337.
    pub const MAX_IDS: usize = 100_000;
    /// Devices in a driver pass's `SystemSpec` (captures: 75).
    pub const MAX_DEVICES: usize = 10_000;
    /// Entries of any other list: categories, locales, digests, hardware ids of a device,
    /// replacement strings and misc data of an event...
    pub const MAX_ITEMS: usize = 10_000;
    /// Events in one `ReportEventBatch` (captures: 9).
    pub const MAX_EVENTS: usize = 10_000;
}

/// One of the three web services a client talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Service {
    Client,
    SimpleAuth,
    Reporting,
}

impl Service {
    pub fn path(self) -> &'static str {
        match self {
            Service::Client => CLIENT_PATH,
            Service::SimpleAuth => SIMPLE_AUTH_PATH,
            Service::Reporting => REPORTING_PATH,
        }
    }

    pub fn namespace(self) -> &'static str {
        match self {
            Service::Client => CLIENT_NAMESPACE,
            Service::SimpleAuth => SIMPLE_AUTH_NAMESPACE,
            Service::Reporting => REPORTING_NAMESPACE,
        }
    }
}

/// One operation of the protocol: its service, body element and SOAPAction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Operation {
    GetConfig,
    /// The only one on the SimpleAuth service.
    GetAuthorizationCookie,
    GetCookie,
    RegisterComputer,
    StartCategoryScan,
    SyncUpdates,
    GetExtendedUpdateInfo,
    GetFileLocations,
    /// The only one on the reporting service.
    ReportEventBatch,
}

impl Operation {
    /// In the order a scan calls them.
    pub const ALL: [Operation; 9] = [
        Operation::GetConfig,
        Operation::GetAuthorizationCookie,
        Operation::GetCookie,
        Operation::RegisterComputer,
        Operation::StartCategoryScan,
        Operation::SyncUpdates,
        Operation::GetExtendedUpdateInfo,
        Operation::GetFileLocations,
        Operation::ReportEventBatch,
    ];

    /// The body element's local name, e.g. `SyncUpdates`.
    pub fn name(self) -> &'static str {
        match self {
            Operation::GetConfig => "GetConfig",
            Operation::GetAuthorizationCookie => "GetAuthorizationCookie",
            Operation::GetCookie => "GetCookie",
            Operation::RegisterComputer => "RegisterComputer",
            Operation::StartCategoryScan => "StartCategoryScan",
            Operation::SyncUpdates => "SyncUpdates",
            Operation::GetExtendedUpdateInfo => "GetExtendedUpdateInfo",
            Operation::GetFileLocations => "GetFileLocations",
            Operation::ReportEventBatch => "ReportEventBatch",
        }
    }

    pub fn service(self) -> Service {
        match self {
            Operation::GetAuthorizationCookie => Service::SimpleAuth,
            Operation::ReportEventBatch => Service::Reporting,
            _ => Service::Client,
        }
    }

    /// The namespace of the operation's request and response elements.
    pub fn namespace(self) -> &'static str {
        self.service().namespace()
    }

    /// `<namespace>/<Operation>`, without the double quotes the HTTP header puts around it.
    pub fn soap_action(self) -> &'static str {
        match self {
            Operation::GetConfig => concat!(client_ns!(), "/GetConfig"),
            Operation::GetAuthorizationCookie => concat!(simple_auth_ns!(), "/GetAuthorizationCookie"),
            Operation::GetCookie => concat!(client_ns!(), "/GetCookie"),
            Operation::RegisterComputer => concat!(client_ns!(), "/RegisterComputer"),
            Operation::StartCategoryScan => concat!(client_ns!(), "/StartCategoryScan"),
            Operation::SyncUpdates => concat!(client_ns!(), "/SyncUpdates"),
            Operation::GetExtendedUpdateInfo => concat!(client_ns!(), "/GetExtendedUpdateInfo"),
            Operation::GetFileLocations => concat!(client_ns!(), "/GetFileLocations"),
            Operation::ReportEventBatch => concat!(reporting_ns!(), "/ReportEventBatch"),
        }
    }

    /// The operation a `SOAPAction` header names. Surrounding whitespace and one pair of
    /// double quotes (as the header carries it) are accepted; otherwise the match is exact.
    pub fn from_soap_action(action: &str) -> Option<Operation> {
        let action = unquote(action);
        Operation::ALL.into_iter().find(|op| op.soap_action() == action)
    }

    /// The operation whose body element has this local name.
    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|op| op.name() == name)
    }

    /// `<Operation>Response`, the body element of the answer.
    pub fn response_element(self) -> &'static str {
        match self {
            Operation::GetConfig => "GetConfigResponse",
            Operation::GetAuthorizationCookie => "GetAuthorizationCookieResponse",
            Operation::GetCookie => "GetCookieResponse",
            Operation::RegisterComputer => "RegisterComputerResponse",
            Operation::StartCategoryScan => "StartCategoryScanResponse",
            Operation::SyncUpdates => "SyncUpdatesResponse",
            Operation::GetExtendedUpdateInfo => "GetExtendedUpdateInfoResponse",
            Operation::GetFileLocations => "GetFileLocationsResponse",
            Operation::ReportEventBatch => "ReportEventBatchResponse",
        }
    }
}

fn unquote(action: &str) -> &str {
    let action = action.trim();
    action
        .strip_prefix('"')
        .and_then(|a| a.strip_suffix('"'))
        .unwrap_or(action)
}

/// The `key=value;` pairs of a `DeviceAttributes` or `CallerAttributes` text, in order. A
/// piece without `=` is a key with an empty value; empty pieces are left out. Values keep any
/// `=` they contain (`Products` values do).
pub fn parse_attributes(text: &str) -> Vec<(&str, &str)> {
    text.split(';')
        .filter(|piece| !piece.trim().is_empty())
        .map(|piece| piece.split_once('=').unwrap_or((piece, "")))
        .collect()
}

/// Every element of an XML document in document order, as `{namespace}local` (`local` when
/// it is in no namespace): the shape by which two answers are compared whatever their values
/// and prefixes, as the tests hold ours against the captured WSUS answers. A DTD is refused.
pub fn element_names(xml: &str) -> Result<Vec<String>, WsusError> {
    use quick_xml::events::Event;
    use quick_xml::name::ResolveResult;
    let malformed = |detail: String| WsusError::MalformedXml {
        context: "element names",
        detail,
    };
    let mut reader = quick_xml::NsReader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event().map_err(|e| malformed(e.to_string()))? {
            Event::Start(start) | Event::Empty(start) => {
                let (ns, local) = reader.resolve_element(start.name());
                let local = String::from_utf8_lossy(local.as_ref()).into_owned();
                out.push(match ns {
                    ResolveResult::Bound(ns) => format!("{{{}}}{local}", String::from_utf8_lossy(ns.as_ref())),
                    _ => local,
                });
            }
            Event::DocType(_) => return Err(malformed("a DTD is not allowed".into())),
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_round_trips_through_its_action_and_name() {
        for op in Operation::ALL {
            assert_eq!(Operation::from_soap_action(op.soap_action()), Some(op));
            assert_eq!(
                Operation::from_soap_action(&format!(" \"{}\" ", op.soap_action())),
                Some(op)
            );
            assert_eq!(Operation::from_name(op.name()), Some(op));
            assert!(op.soap_action().starts_with(op.namespace()));
        }
        assert_eq!(Operation::from_soap_action("GetConfig"), None);
    }

    #[test]
    fn attributes_split_on_semicolons_and_the_first_equals_sign() {
        let pairs = parse_attributes("Interactive=0;Id=<<PROCESS>>: a=b;;flag;");
        assert_eq!(pairs, [("Interactive", "0"), ("Id", "<<PROCESS>>: a=b"), ("flag", "")]);
    }
}

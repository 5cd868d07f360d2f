//! The operations and the data types their messages carry.
//!
//! Field names follow the wire names (`PlugInID` → `plugin_id`, ...). Where the wire allows an
//! element to be absent and absence means something (anchors, `Parameter`), the field is an
//! `Option`; lists are plain `Vec`s, and an empty one is written as WSUS writes it (an empty
//! element, or nothing for the filter lists it leaves out).

use serde::{Deserialize, Serialize};

use crate::model::RevisionId;
use crate::soap::ServerSyncUpdateData;

macro_rules! server_sync_ns {
    () => {
        "http://www.microsoft.com/SoftwareDistribution"
    };
}
macro_rules! dss_auth_ns {
    () => {
        "http://www.microsoft.com/SoftwareDistribution/Server/DssAuthWebService"
    };
}

/// Namespace of the ServerSyncWebService messages, and prefix of their SOAPActions.
pub const SERVER_SYNC_NAMESPACE: &str = server_sync_ns!();
/// Namespace of the DssAuthWebService messages (`GetAuthorizationCookie`).
pub const DSS_AUTH_NAMESPACE: &str = dss_auth_ns!();
/// Path of the ServerSyncWebService under the upstream root.
pub const SERVER_SYNC_PATH: &str = "/ServerSyncWebService/ServerSyncWebService.asmx";
/// Path of the DssAuthWebService under the upstream root.
pub const DSS_AUTH_PATH: &str = "/DssAuthWebService/DssAuthWebService.asmx";
/// The `protocolVersion` a downstream sends in `GetCookie`, and WSUS's `ProtocolVersion`.
pub const PROTOCOL_VERSION: &str = "1.20";
/// The one authorization plug-in of server-to-server sync.
pub const DSS_PLUGIN_ID: &str = "DssTargeting";

/// One operation of the protocol: where it is posted and under which SOAPAction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Operation {
    GetAuthConfig,
    /// The only one on the DssAuthWebService.
    GetAuthorizationCookie,
    GetCookie,
    GetConfigData,
    GetRevisionIdList,
    GetUpdateData,
}

impl Operation {
    /// In the order a sync calls them.
    pub const ALL: [Operation; 6] = [
        Operation::GetAuthConfig,
        Operation::GetAuthorizationCookie,
        Operation::GetCookie,
        Operation::GetConfigData,
        Operation::GetRevisionIdList,
        Operation::GetUpdateData,
    ];

    /// The operation element's local name, e.g. `GetCookie`.
    pub fn name(self) -> &'static str {
        match self {
            Operation::GetAuthConfig => "GetAuthConfig",
            Operation::GetAuthorizationCookie => "GetAuthorizationCookie",
            Operation::GetCookie => "GetCookie",
            Operation::GetConfigData => "GetConfigData",
            Operation::GetRevisionIdList => "GetRevisionIdList",
            Operation::GetUpdateData => "GetUpdateData",
        }
    }

    /// The namespace of the operation's request and response elements.
    pub fn namespace(self) -> &'static str {
        match self {
            Operation::GetAuthorizationCookie => DSS_AUTH_NAMESPACE,
            _ => SERVER_SYNC_NAMESPACE,
        }
    }

    /// The service path the operation is posted to, relative to the upstream root.
    pub fn path(self) -> &'static str {
        match self {
            Operation::GetAuthorizationCookie => DSS_AUTH_PATH,
            _ => SERVER_SYNC_PATH,
        }
    }

    /// `<namespace>/<Operation>`, without the double quotes the HTTP header puts around it.
    pub fn soap_action(self) -> &'static str {
        match self {
            Operation::GetAuthConfig => concat!(server_sync_ns!(), "/GetAuthConfig"),
            Operation::GetAuthorizationCookie => concat!(dss_auth_ns!(), "/GetAuthorizationCookie"),
            Operation::GetCookie => concat!(server_sync_ns!(), "/GetCookie"),
            Operation::GetConfigData => concat!(server_sync_ns!(), "/GetConfigData"),
            Operation::GetRevisionIdList => concat!(server_sync_ns!(), "/GetRevisionIdList"),
            Operation::GetUpdateData => concat!(server_sync_ns!(), "/GetUpdateData"),
        }
    }

    /// The operation a `SOAPAction` header names. Surrounding whitespace and one pair of
    /// double quotes (as the header carries it) are accepted; otherwise the match is exact.
    pub fn from_soap_action(action: &str) -> Option<Operation> {
        let action = action.trim();
        let action = action
            .strip_prefix('"')
            .and_then(|a| a.strip_suffix('"'))
            .unwrap_or(action);
        Operation::ALL.into_iter().find(|op| op.soap_action() == action)
    }

    /// `<Operation>Response`, the body element of the answer.
    pub(crate) fn response_element(self) -> &'static str {
        match self {
            Operation::GetAuthConfig => "GetAuthConfigResponse",
            Operation::GetAuthorizationCookie => "GetAuthorizationCookieResponse",
            Operation::GetCookie => "GetCookieResponse",
            Operation::GetConfigData => "GetConfigDataResponse",
            Operation::GetRevisionIdList => "GetRevisionIdListResponse",
            Operation::GetUpdateData => "GetUpdateDataResponse",
        }
    }

    /// `<Operation>Result`, the one child of the response element.
    pub(crate) fn result_element(self) -> &'static str {
        match self {
            Operation::GetAuthConfig => "GetAuthConfigResult",
            Operation::GetAuthorizationCookie => "GetAuthorizationCookieResult",
            Operation::GetCookie => "GetCookieResult",
            Operation::GetConfigData => "GetConfigDataResult",
            Operation::GetRevisionIdList => "GetRevisionIdListResult",
            Operation::GetUpdateData => "GetUpdateDataResult",
        }
    }
}

/// `Cookie`: what `GetCookie` returns and every later call sends back as `cookie`. Both parts
/// are opaque to the downstream and echoed as received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cookie {
    /// `Expiration`, an `xsd:dateTime` as sent (`2026-10-04T20:33:26.65455Z`).
    pub expiration: String,
    /// `EncryptedData`, base64.
    pub encrypted_data: String,
}

/// `AuthorizationCookie`: the answer of `GetAuthorizationCookie` (element `PlugInId`, with a
/// lower-case `d`, unlike `AuthPlugInInfo/PlugInID`), sent back in `GetCookie/authCookies`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationCookie {
    pub plugin_id: String,
    /// `CookieData`, base64, opaque to the downstream.
    pub cookie_data: String,
}

/// `AuthPlugInInfo` of `GetAuthConfig`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthPlugInInfo {
    /// `PlugInID`: `DssTargeting`.
    pub plugin_id: String,
    /// `ServiceUrl`, relative to the upstream root: `DssAuthWebService/DssAuthWebService.asmx`.
    pub service_url: String,
    /// `Parameter`. The spec says it is not sent; WSUS sends it empty (`Some("")`).
    pub parameter: Option<String>,
}

/// `ServerAuthConfig`, the answer of `GetAuthConfig`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthConfig {
    /// `LastChange`, an `xsd:dateTime` as sent.
    pub last_change: String,
    /// `AuthInfo/AuthPlugInInfo`.
    pub plugins: Vec<AuthPlugInInfo>,
}

/// `IdAndDelta`: one product (in `Categories`) or classification (in `Classifications`) of a
/// `GetRevisionIdList` filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdAndDelta {
    /// `Id`, a GUID, lower-case.
    pub id: String,
    /// `Delta`: `true` asks only for what changed since the filter's anchor; `false` asks for
    /// every revision of this id again, anchor or not (a newly subscribed product).
    pub delta: bool,
}

/// `LanguageAndDelta`: one language of a `GetRevisionIdList` filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageAndDelta {
    /// `Id`: a `LanguageID` of `ConfigData::languages`.
    pub id: i32,
    pub delta: bool,
}

/// `ServerSyncFilter`, the `filter` of `GetRevisionIdList`. Written in the wire order
/// `Anchor`, `GetConfig`, `Get63LanguageOnly`, `Categories`, `Classifications`, `Languages`;
/// empty lists are left out, as the recorded clients do. `DssProtocolVersion` ("MUST NOT be
/// sent") is neither written nor kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerSyncFilter {
    /// `Anchor`: the `RevisionIdList::anchor` of the last successful call of the same kind
    /// (`GetConfig` true or false); `None` on the first sync. An empty anchor reads as `None`.
    pub anchor: Option<String>,
    /// `GetConfig`: `true` lists categories, classifications and detectoids; `false` lists
    /// updates of `categories` × `classifications`.
    pub get_config: bool,
    /// `Get63LanguageOnly`. The spec wants it from protocol 1.2 on, but neither recorded
    /// client sends it and WSUS answers without it; `None` leaves it out.
    pub get_63_language_only: Option<bool>,
    /// `Categories`: the products.
    pub categories: Vec<IdAndDelta>,
    /// `Classifications`.
    pub classifications: Vec<IdAndDelta>,
    /// `Languages`.
    pub languages: Vec<LanguageAndDelta>,
}

impl ServerSyncFilter {
    /// The filter of the configuration pass (`GetConfig` true).
    pub fn config(anchor: Option<String>) -> Self {
        ServerSyncFilter {
            anchor,
            get_config: true,
            ..ServerSyncFilter::default()
        }
    }

    /// The filter of the update pass. With an anchor every id goes with `Delta` true, so the
    /// upstream answers only what changed since; without one, `Delta` is false. (WSUS answers
    /// everything again to an anchor with `Delta` false, exchange 000010, and nothing to an
    /// unchanged catalog with `Delta` true, exchange 000011.) Products newly added to a
    /// subscription need `Delta` false even with an anchor: set it on their entry afterwards.
    pub fn updates<P, C>(anchor: Option<String>, products: P, classifications: C) -> Self
    where
        P: IntoIterator<Item = String>,
        C: IntoIterator<Item = String>,
    {
        let delta = anchor.is_some();
        let entries = |ids: Vec<String>| {
            ids.into_iter()
                .map(|id| IdAndDelta {
                    id: id.to_ascii_lowercase(),
                    delta,
                })
                .collect()
        };
        ServerSyncFilter {
            anchor,
            get_config: false,
            get_63_language_only: None,
            categories: entries(products.into_iter().collect()),
            classifications: entries(classifications.into_iter().collect()),
            languages: Vec::new(),
        }
    }
}

/// `ServerSyncLanguageData`: one entry of `ConfigData::languages`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageData {
    /// `LanguageID`: an LCID, 0 for the summary entry "all".
    pub language_id: i32,
    /// `ShortLanguage`, e.g. `en`, `zh-tw`, `all`.
    pub short_language: String,
    /// `LongLanguage`, e.g. `English`.
    pub long_language: String,
    /// `Enabled`: the upstream stores this language.
    pub enabled: bool,
}

/// `ServerSyncConfigData`, the answer of `GetConfigData`.
///
/// WSUS writes the limits in the order computer ids, driver sets, PnP ids, updates (as the
/// fields here); Microsoft Update in the spec's order (updates first). Both read the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigData {
    /// `CatalogOnlySync`: the upstream serves no content files (Microsoft Update: true).
    pub catalog_only_sync: bool,
    /// `LazySync`: content is downloaded when approved, not when synchronized.
    pub lazy_sync: bool,
    /// `ServerHostsPsfFiles`.
    pub server_hosts_psf_files: bool,
    /// `MaxNumberOfComputerIdsInRequest` (reporting).
    pub max_computer_ids_in_request: i32,
    /// `MaxNumberOfDriverSetsPerRequest`.
    pub max_driver_sets_per_request: i32,
    /// `MaxNumberOfPnpHardwareIdsInRequest`.
    pub max_pnp_hardware_ids_in_request: i32,
    /// `MaxNumberOfUpdatesPerRequest`: the batch size of `GetUpdateData` (100 from WSUS and
    /// from Microsoft).
    pub max_updates_per_request: i32,
    /// `NewConfigAnchor`: send it as `configAnchor` next time. Opaque: WSUS's look like
    /// `9438,2026-10-04 16:33:26.668`, Microsoft's like `2026-10-05 17:27:44.393`.
    pub new_config_anchor: Option<String>,
    /// `ProtocolVersion`: `1.20` from WSUS, `1.21` from Microsoft.
    pub protocol_version: Option<String>,
    /// `LanguageUpdateList`. Empty in the answer to a call with an unchanged `configAnchor`
    /// (exchange 000004): keep the list of the last full answer then.
    pub languages: Vec<LanguageData>,
    /// `MaxUpdatesPerRequestInGetUpdateDecryptionData`.
    pub max_updates_per_request_in_get_update_decryption_data: i32,
}

/// `RevisionIdList`, the answer of `GetRevisionIdList`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionIdList {
    /// `Anchor`: store it and send it as `ServerSyncFilter::anchor` next time.
    pub anchor: Option<String>,
    /// `NewRevisions/UpdateIdentity`, in the upstream's order (not sorted; several revisions
    /// of one update may appear).
    pub new_revisions: Vec<RevisionId>,
}

/// `ServerSyncUrlData`: where a file of the batch can be downloaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileUrl {
    /// `FileDigest`: the file's SHA-1, base64, as in `ServerSyncUpdateData::file_digests`.
    pub digest: String,
    /// `MUUrl`: absolute Microsoft Update download URL.
    pub mu_url: String,
    /// `UssUrl`: the upstream's own copy, relative (`Content/<xx>/<SHA1hex>.<ext>`); empty
    /// when the upstream does not hold the file (lazy sync, exchange 000014).
    pub uss_url: String,
}

/// `ServerUpdateData`, the answer of `GetUpdateData`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateData {
    /// `updates/ServerSyncUpdateData`, blobs decoded when read.
    pub updates: Vec<ServerSyncUpdateData>,
    /// `fileUrls/ServerSyncUrlData`.
    pub file_urls: Vec<FileUrl>,
}
/// The languages a WSUS upstream lists in `GetConfigData` after the summary entry "all"
/// (`LanguageID` 0): Windows language ids ([MS-LCID]), short and long names, in WSUS's
/// order (exchange 000005).
pub const WSUS_LANGUAGES: [(i32, &str, &str); 38] = [
    (1025, "ar", "Arabic"),
    (1026, "bg", "Bulgarian"),
    (1028, "zh-tw", "Chinese (Traditional)"),
    (1029, "cs", "Czech"),
    (1030, "da", "Danish"),
    (1031, "de", "German"),
    (1032, "el", "Greek"),
    (1033, "en", "English"),
    (1034, "es", "Spanish"),
    (1035, "fi", "Finnish"),
    (1036, "fr", "French"),
    (1037, "he", "Hebrew"),
    (1038, "hu", "Hungarian"),
    (1040, "it", "Italian"),
    (1041, "ja", "Japanese"),
    (1042, "ko", "Korean"),
    (1043, "nl", "Dutch"),
    (1044, "no", "Norwegian"),
    (1045, "pl", "Polish"),
    (1046, "pt-br", "Portuguese (Brazil)"),
    (1048, "ro", "Romanian"),
    (1049, "ru", "Russian"),
    (1050, "hr", "Croatian"),
    (1051, "sk", "Slovak"),
    (1053, "sv", "Swedish"),
    (1054, "th", "Thai"),
    (1055, "tr", "Turkish"),
    (1058, "uk", "Ukrainian"),
    (1060, "sl", "Slovenian"),
    (1061, "et", "Estonian"),
    (1062, "lv", "Latvian"),
    (1063, "lt", "Lithuanian"),
    (1081, "hi", "Hindi"),
    (2052, "zh-cn", "Chinese (Simplified)"),
    (2070, "pt", "Portuguese (Portugal)"),
    (2074, "sr", "Serbian (Latin)"),
    (3076, "zh-hk", "Chinese (Hong Kong SAR)"),
    (66577, "ja-nec", "Japanese NEC"),
];

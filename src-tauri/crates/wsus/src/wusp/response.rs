//! The server's answers: written by the server ([`ClientResponse::to_xml`]), read back by
//! [`ClientResponse::parse`].
//!
//! Each answer is written as the lab WSUS wrote it in `shared/fixtures/wusp/native`: same
//! element names, namespaces, prefixes, order, and the same choice of leaving out an array it
//! has nothing for. Built from the values of a captured answer, the bytes are the captured
//! bytes (`tests/wusp.rs` holds every capture to that).

use serde::{Deserialize, Serialize};

use crate::error::WsusError;
use crate::protocol::envelope::{
    read_authorization_cookie, read_cookie_fields, read_plugin, write_cookie, write_plugin,
};
use crate::soap::{leave_envelope, open_payload, skip_rest};
use crate::wusp::{AuthPlugInInfo, AuthorizationCookie, Cookie, Operation, Service};
use crate::xml::XmlCursor;
use crate::xml_read::{read_array, read_bool, read_guids, read_ints, read_num};
use crate::xml_write::{Envelope, XmlWriter};

const CONTEXT: &str = "MS-WUSP response";
/// Answers come from our own server or a WSUS: bounded generously, only against a loop.
const MAX_ENTRIES: usize = 1_000_000;

/// The answer to one call. A fault is not a `ClientResponse`: a server writes it with
/// [`fault_xml`](crate::wusp::fault_xml), and [`ClientResponse::parse`] returns it as
/// [`WsusError::Fault`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientResponse {
    GetConfig(Config),
    GetAuthorizationCookie(AuthorizationCookie),
    GetCookie(Cookie),
    /// An empty `RegisterComputerResponse` (scan/000004).
    RegisterComputer,
    /// `preferredCategoryIds/guid` (scan/000005): the categories the server will scan for.
    StartCategoryScan {
        preferred_category_ids: Vec<String>,
    },
    SyncUpdates(SyncInfo),
    GetExtendedUpdateInfo(ExtendedUpdateInfo),
    GetFileLocations(FileLocationsResult),
    /// `ReportEventBatchResult`: `true` once the events are stored.
    ReportEventBatch(bool),
}

/// `GetConfigResult` (scan/000001).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    /// `LastChange`: when the configuration last changed; the client sends it back as
    /// `GetCookie/lastChange`.
    pub last_change: String,
    pub is_registration_required: bool,
    /// `AuthInfo/AuthPlugInInfo`: WSUS lists `SimpleTargeting` with the relative
    /// `ServiceUrl` `SimpleAuthWebService/SimpleAuth.asmx` and an empty `Parameter`
    /// (`Some("")`, written `<Parameter/>`).
    pub auth_info: Vec<AuthPlugInInfo>,
    /// `AllowedEventIds/int`: the events the client may report; left out when empty (the lab
    /// WSUS sends none).
    pub allowed_event_ids: Vec<i32>,
    /// `Properties/ConfigurationProperty`, in order: `MaxExtendedUpdatesPerRequest`,
    /// `PackageServerShare`, `ProtocolVersion`, `IsInventoryRequired`, `ClientReportingLevel`.
    pub properties: Vec<ConfigurationProperty>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigurationProperty {
    pub name: String,
    pub value: String,
}

impl Config {
    /// The value of the property with this name.
    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.value.as_str())
    }
}

/// `SyncUpdatesResult`: one page of updates for a client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncInfo {
    /// `NewUpdates/UpdateInfo`, left out when empty (scan/000009).
    pub new_updates: Vec<UpdateInfo>,
    /// `OutOfScopeRevisionIDs/int`: cached revisions the client must forget; left out when
    /// empty (never sent by the lab WSUS; placed as in `protocol-samples`).
    pub out_of_scope_revision_ids: Vec<i32>,
    /// `ChangedUpdates/UpdateInfo`: cached revisions whose deployment changed; left out when
    /// empty. Not in any capture: written after `OutOfScopeRevisionIDs`, as [MS-WUSP]'s
    /// `SyncInfo` sequence has it.
    pub changed_updates: Vec<UpdateInfo>,
    /// `Truncated`: more pages follow; the client calls again with what it now caches.
    pub truncated: bool,
    pub new_cookie: Cookie,
    /// `DriverSyncNotNeeded`: left out when `None`.
    pub driver_sync_not_needed: Option<bool>,
}

/// `UpdateInfo`: one revision offered, with its deployment and core fragment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateInfo {
    /// `ID`: the server's revision id (the number the client later sends back).
    pub id: i32,
    pub deployment: Deployment,
    /// `IsLeaf`: false for categories, detectoids and bundles.
    pub is_leaf: bool,
    /// `Xml`: the core fragment (`UpdateIdentity`, `Properties`, `Relationships`,
    /// `ApplicabilityRules`...), written escaped as text.
    pub xml: String,
}

/// `UpdateInfo/Deployment`, with the elements the lab WSUS sends (and in its order), and
/// `Deadline`, which [MS-WUSP] 2.2.2.2.4 places right after `Action`. Its other optional
/// elements (`DownloadPriority`, `HardwareIds`, `FlagBitmask`, `ClientBehaviors`) are not
/// written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployment {
    /// `ID`: the deployment (approval) id.
    pub id: i32,
    pub action: DeploymentAction,
    /// `Deadline` (an `s:dateTime`, UTC): when the action must have happened; left out when
    /// there is none.
    pub deadline: Option<String>,
    /// `IsAssigned`: install automatically (true), or offer to the computer's users only.
    pub is_assigned: bool,
    /// `LastChangeTime`: a date, `2026-10-04`.
    pub last_change_time: String,
    pub auto_select: i32,
    pub auto_download: i32,
    pub supersedence_behavior: i32,
}

/// `Deployment/Action`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeploymentAction {
    /// Approved for install (flow/000012, revision 200996).
    Install,
    Uninstall,
    /// Categories and detectoids: evaluate, never install.
    Evaluate,
    /// A member of an approved bundle.
    Bundle,
    /// Checked before an approved deployment (flow/000012, 000013).
    PreDeploymentCheck,
    /// Another value, kept as read.
    Other(String),
}

impl DeploymentAction {
    pub fn from_name(name: &str) -> DeploymentAction {
        match name {
            "Install" => DeploymentAction::Install,
            "Uninstall" => DeploymentAction::Uninstall,
            "Evaluate" => DeploymentAction::Evaluate,
            "Bundle" => DeploymentAction::Bundle,
            "PreDeploymentCheck" => DeploymentAction::PreDeploymentCheck,
            other => DeploymentAction::Other(other.to_owned()),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            DeploymentAction::Install => "Install",
            DeploymentAction::Uninstall => "Uninstall",
            DeploymentAction::Evaluate => "Evaluate",
            DeploymentAction::Bundle => "Bundle",
            DeploymentAction::PreDeploymentCheck => "PreDeploymentCheck",
            DeploymentAction::Other(name) => name,
        }
    }
}

/// `GetExtendedUpdateInfoResult` (scan/000010, flow/000015).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtendedUpdateInfo {
    /// `Updates/Update`: one per revision and fragment asked (Extended, then
    /// LocalizedProperties in the captures).
    pub updates: Vec<UpdateData>,
    /// `FileLocations/FileLocation`, left out when empty (scan/000010).
    pub file_locations: Vec<FileLocation>,
}

/// `Updates/Update`: a fragment of one revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateData {
    pub id: i32,
    /// The fragment (`ExtendedProperties`..., `LocalizedProperties`...), written escaped.
    pub xml: String,
}

/// Where one file of an update is downloaded from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileLocation {
    /// `FileDigest`: SHA-1, base64.
    pub file_digest: String,
    /// `Url`: absolute, `http://<server>:8530/Content/XX/<SHA1>.<ext>`.
    pub url: String,
}

/// `GetFileLocationsResult` (`servicing/cbs/get-file-locations-response.xml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileLocationsResult {
    pub file_locations: Vec<FileLocation>,
    pub new_cookie: Cookie,
}

impl ClientResponse {
    pub fn operation(&self) -> Operation {
        match self {
            ClientResponse::GetConfig(_) => Operation::GetConfig,
            ClientResponse::GetAuthorizationCookie(_) => Operation::GetAuthorizationCookie,
            ClientResponse::GetCookie(_) => Operation::GetCookie,
            ClientResponse::RegisterComputer => Operation::RegisterComputer,
            ClientResponse::StartCategoryScan { .. } => Operation::StartCategoryScan,
            ClientResponse::SyncUpdates(_) => Operation::SyncUpdates,
            ClientResponse::GetExtendedUpdateInfo(_) => Operation::GetExtendedUpdateInfo,
            ClientResponse::GetFileLocations(_) => Operation::GetFileLocations,
            ClientResponse::ReportEventBatch(_) => Operation::ReportEventBatch,
        }
    }

    /// The answer's SOAP envelope (HTTP 200, `Content-Type: text/xml; charset=utf-8`).
    pub fn to_xml(&self) -> String {
        let op = self.operation();
        let mut w = XmlWriter::envelope(envelope_of(op.service()));
        if let ClientResponse::RegisterComputer = self {
            w.empty_ns(op.response_element(), op.namespace());
            return w.finish();
        }
        w.start_ns(op.response_element(), op.namespace());
        match self {
            ClientResponse::RegisterComputer => {}
            ClientResponse::GetConfig(config) => {
                w.start("GetConfigResult");
                write_config(&mut w, config);
                w.end("GetConfigResult");
            }
            ClientResponse::GetAuthorizationCookie(cookie) => {
                w.start("GetAuthorizationCookieResult");
                w.text("PlugInId", &cookie.plugin_id);
                w.text("CookieData", &cookie.cookie_data);
                w.end("GetAuthorizationCookieResult");
            }
            ClientResponse::GetCookie(cookie) => write_cookie(&mut w, "GetCookieResult", cookie),
            ClientResponse::StartCategoryScan { preferred_category_ids } => {
                w.list("preferredCategoryIds", preferred_category_ids, |w, id| {
                    w.text("guid", id)
                });
            }
            ClientResponse::SyncUpdates(info) => {
                w.start("SyncUpdatesResult");
                write_sync_info(&mut w, info);
                w.end("SyncUpdatesResult");
            }
            ClientResponse::GetExtendedUpdateInfo(info) => {
                w.start("GetExtendedUpdateInfoResult");
                w.list("Updates", &info.updates, |w, update| {
                    w.start("Update");
                    w.int("ID", update.id);
                    w.text("Xml", &update.xml);
                    w.end("Update");
                });
                w.list_if_any("FileLocations", &info.file_locations, write_file_location);
                w.end("GetExtendedUpdateInfoResult");
            }
            ClientResponse::GetFileLocations(result) => {
                w.start("GetFileLocationsResult");
                w.list("FileLocations", &result.file_locations, write_file_location);
                write_cookie(&mut w, "NewCookie", &result.new_cookie);
                w.end("GetFileLocationsResult");
            }
            ClientResponse::ReportEventBatch(stored) => w.bool("ReportEventBatchResult", *stored),
        }
        w.end(op.response_element());
        w.finish()
    }

    /// Reads the answer to a call of `op`, in any prefix. A SOAP fault is
    /// `Err(WsusError::Fault(..))`.
    pub fn parse(op: Operation, body: &str) -> Result<ClientResponse, WsusError> {
        let mut cur = XmlCursor::new(body, CONTEXT);
        open_payload(&mut cur, op.namespace(), op.response_element(), CONTEXT)?;
        let response = match op {
            Operation::RegisterComputer => {
                skip_rest(&mut cur)?;
                ClientResponse::RegisterComputer
            }
            Operation::StartCategoryScan => {
                let mut preferred_category_ids = Vec::new();
                while let Some(child) = cur.next_child()? {
                    if child.is("preferredCategoryIds") {
                        preferred_category_ids = read_guids(&mut cur, "preferredCategoryIds", MAX_ENTRIES)?;
                    } else {
                        cur.skip()?;
                    }
                }
                ClientResponse::StartCategoryScan { preferred_category_ids }
            }
            _ => read_result(&mut cur, op)?,
        };
        leave_envelope(&mut cur)?;
        Ok(response)
    }
}

// ---- writing -------------------------------------------------------------------------------

/// The client service answers in its own envelope (scan/000001); SimpleAuth and reporting in
/// the ASMX one, as MS-WSUSSS answers are written (scan/000002, flow/000016).
fn envelope_of(service: Service) -> Envelope {
    match service {
        Service::Client => Envelope::ClientService,
        Service::SimpleAuth | Service::Reporting => Envelope::AsmxResponse,
    }
}

fn write_config(w: &mut XmlWriter, config: &Config) {
    w.text("LastChange", &config.last_change);
    w.bool("IsRegistrationRequired", config.is_registration_required);
    w.list("AuthInfo", &config.auth_info, write_plugin);
    w.list_if_any("AllowedEventIds", &config.allowed_event_ids, |w, id| w.int("int", id));
    w.list_if_any("Properties", &config.properties, |w, property| {
        w.start("ConfigurationProperty");
        w.text("Name", &property.name);
        w.text("Value", &property.value);
        w.end("ConfigurationProperty");
    });
}

fn write_sync_info(w: &mut XmlWriter, info: &SyncInfo) {
    w.list_if_any("NewUpdates", &info.new_updates, write_update_info);
    w.list_if_any("OutOfScopeRevisionIDs", &info.out_of_scope_revision_ids, |w, id| {
        w.int("int", id)
    });
    w.list_if_any("ChangedUpdates", &info.changed_updates, write_update_info);
    w.bool("Truncated", info.truncated);
    write_cookie(w, "NewCookie", &info.new_cookie);
    if let Some(not_needed) = info.driver_sync_not_needed {
        w.bool("DriverSyncNotNeeded", not_needed);
    }
}

fn write_update_info(w: &mut XmlWriter, update: &UpdateInfo) {
    w.start("UpdateInfo");
    w.int("ID", update.id);
    let d = &update.deployment;
    w.start("Deployment");
    w.int("ID", d.id);
    w.text("Action", d.action.name());
    if let Some(deadline) = &d.deadline {
        w.text("Deadline", deadline);
    }
    w.bool("IsAssigned", d.is_assigned);
    w.text("LastChangeTime", &d.last_change_time);
    w.int("AutoSelect", d.auto_select);
    w.int("AutoDownload", d.auto_download);
    w.int("SupersedenceBehavior", d.supersedence_behavior);
    w.end("Deployment");
    w.bool("IsLeaf", update.is_leaf);
    w.text("Xml", &update.xml);
    w.end("UpdateInfo");
}

fn write_file_location(w: &mut XmlWriter, location: &FileLocation) {
    w.start("FileLocation");
    w.text("FileDigest", &location.file_digest);
    w.text("Url", &location.url);
    w.end("FileLocation");
}

// ---- reading -------------------------------------------------------------------------------

/// Finds `<Operation>Result` among the response element's children and reads it.
fn read_result(cur: &mut XmlCursor, op: Operation) -> Result<ClientResponse, WsusError> {
    let result_name = format!("{}Result", op.name());
    let mut response = None;
    while let Some(child) = cur.next_child()? {
        if child.name != result_name || child.is_nil() || response.is_some() {
            cur.skip()?;
            continue;
        }
        response = Some(match op {
            Operation::GetConfig => ClientResponse::GetConfig(read_config(cur)?),
            Operation::GetAuthorizationCookie => {
                ClientResponse::GetAuthorizationCookie(read_authorization_cookie(cur)?)
            }
            Operation::GetCookie => ClientResponse::GetCookie(read_cookie_fields(cur, "GetCookieResult/Expiration")?),
            Operation::SyncUpdates => ClientResponse::SyncUpdates(read_sync_info(cur)?),
            Operation::GetExtendedUpdateInfo => ClientResponse::GetExtendedUpdateInfo(read_extended_info(cur)?),
            Operation::GetFileLocations => ClientResponse::GetFileLocations(read_file_locations_result(cur)?),
            Operation::ReportEventBatch => ClientResponse::ReportEventBatch(read_bool(cur, "ReportEventBatchResult")?),
            Operation::RegisterComputer | Operation::StartCategoryScan => {
                cur.skip()?;
                continue;
            }
        });
    }
    response.ok_or(WsusError::MissingElement("the <Operation>Result element of the answer"))
}

fn read_config(cur: &mut XmlCursor) -> Result<Config, WsusError> {
    let mut last_change = None;
    let mut is_registration_required = false;
    let mut auth_info = Vec::new();
    let mut allowed_event_ids = Vec::new();
    let mut properties = Vec::new();
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "LastChange" => last_change = Some(cur.read_text()?),
            "IsRegistrationRequired" => {
                is_registration_required = read_bool(cur, "GetConfigResult/IsRegistrationRequired")?
            }
            "AuthInfo" => {
                auth_info = read_array(
                    cur,
                    "AuthPlugInInfo",
                    "GetConfigResult/AuthInfo",
                    MAX_ENTRIES,
                    read_plugin,
                )?
            }
            "AllowedEventIds" => allowed_event_ids = read_ints(cur, "GetConfigResult/AllowedEventIds", MAX_ENTRIES)?,
            "Properties" => {
                properties = read_array(
                    cur,
                    "ConfigurationProperty",
                    "GetConfigResult/Properties",
                    MAX_ENTRIES,
                    read_property,
                )?
            }
            _ => cur.skip()?,
        }
    }
    Ok(Config {
        last_change: last_change.ok_or(WsusError::MissingElement("GetConfigResult/LastChange"))?,
        is_registration_required,
        auth_info,
        allowed_event_ids,
        properties,
    })
}

fn read_property(cur: &mut XmlCursor) -> Result<ConfigurationProperty, WsusError> {
    let mut property = ConfigurationProperty {
        name: String::new(),
        value: String::new(),
    };
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "Name" => property.name = cur.read_text()?,
            "Value" => property.value = cur.read_text()?,
            _ => cur.skip()?,
        }
    }
    Ok(property)
}

fn read_sync_info(cur: &mut XmlCursor) -> Result<SyncInfo, WsusError> {
    let mut new_updates = Vec::new();
    let mut out_of_scope_revision_ids = Vec::new();
    let mut changed_updates = Vec::new();
    let mut truncated = false;
    let mut new_cookie = None;
    let mut driver_sync_not_needed = None;
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "NewUpdates" => new_updates = read_array(cur, "UpdateInfo", "NewUpdates", MAX_ENTRIES, read_update_info)?,
            "OutOfScopeRevisionIDs" => {
                out_of_scope_revision_ids = read_ints(cur, "OutOfScopeRevisionIDs", MAX_ENTRIES)?
            }
            "ChangedUpdates" => {
                changed_updates = read_array(cur, "UpdateInfo", "ChangedUpdates", MAX_ENTRIES, read_update_info)?
            }
            "Truncated" => truncated = read_bool(cur, "SyncUpdatesResult/Truncated")?,
            "NewCookie" if !child.is_nil() => new_cookie = Some(read_cookie_fields(cur, "NewCookie/Expiration")?),
            "DriverSyncNotNeeded" => {
                driver_sync_not_needed = Some(read_bool(cur, "SyncUpdatesResult/DriverSyncNotNeeded")?)
            }
            _ => cur.skip()?,
        }
    }
    Ok(SyncInfo {
        new_updates,
        out_of_scope_revision_ids,
        changed_updates,
        truncated,
        new_cookie: new_cookie.ok_or(WsusError::MissingElement("SyncUpdatesResult/NewCookie"))?,
        driver_sync_not_needed,
    })
}

fn read_update_info(cur: &mut XmlCursor) -> Result<UpdateInfo, WsusError> {
    let mut id = None;
    let mut deployment = None;
    let mut is_leaf = false;
    let mut xml = String::new();
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "ID" => id = Some(read_num(cur, "UpdateInfo/ID")?),
            "Deployment" => deployment = Some(read_deployment(cur)?),
            "IsLeaf" => is_leaf = read_bool(cur, "UpdateInfo/IsLeaf")?,
            "Xml" => xml = cur.read_raw_text()?,
            _ => cur.skip()?,
        }
    }
    Ok(UpdateInfo {
        id: id.ok_or(WsusError::MissingElement("UpdateInfo/ID"))?,
        deployment: deployment.ok_or(WsusError::MissingElement("UpdateInfo/Deployment"))?,
        is_leaf,
        xml,
    })
}

fn read_deployment(cur: &mut XmlCursor) -> Result<Deployment, WsusError> {
    let mut d = Deployment {
        id: 0,
        action: DeploymentAction::Evaluate,
        deadline: None,
        is_assigned: false,
        last_change_time: String::new(),
        auto_select: 0,
        auto_download: 0,
        supersedence_behavior: 0,
    };
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "ID" => d.id = read_num(cur, "Deployment/ID")?,
            "Action" => d.action = DeploymentAction::from_name(&cur.read_text()?),
            "Deadline" => d.deadline = Some(cur.read_text()?),
            "IsAssigned" => d.is_assigned = read_bool(cur, "Deployment/IsAssigned")?,
            "LastChangeTime" => d.last_change_time = cur.read_text()?,
            "AutoSelect" => d.auto_select = read_num(cur, "Deployment/AutoSelect")?,
            "AutoDownload" => d.auto_download = read_num(cur, "Deployment/AutoDownload")?,
            "SupersedenceBehavior" => d.supersedence_behavior = read_num(cur, "Deployment/SupersedenceBehavior")?,
            _ => cur.skip()?,
        }
    }
    Ok(d)
}

fn read_extended_info(cur: &mut XmlCursor) -> Result<ExtendedUpdateInfo, WsusError> {
    let mut info = ExtendedUpdateInfo::default();
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "Updates" => info.updates = read_array(cur, "Update", "Updates", MAX_ENTRIES, read_update_data)?,
            "FileLocations" => {
                info.file_locations = read_array(cur, "FileLocation", "FileLocations", MAX_ENTRIES, read_file_location)?
            }
            _ => cur.skip()?,
        }
    }
    Ok(info)
}

fn read_update_data(cur: &mut XmlCursor) -> Result<UpdateData, WsusError> {
    let mut id = None;
    let mut xml = String::new();
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "ID" => id = Some(read_num(cur, "Update/ID")?),
            "Xml" => xml = cur.read_raw_text()?,
            _ => cur.skip()?,
        }
    }
    Ok(UpdateData {
        id: id.ok_or(WsusError::MissingElement("Update/ID"))?,
        xml,
    })
}

fn read_file_location(cur: &mut XmlCursor) -> Result<FileLocation, WsusError> {
    let mut location = FileLocation {
        file_digest: String::new(),
        url: String::new(),
    };
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "FileDigest" => location.file_digest = cur.read_text()?,
            "Url" => location.url = cur.read_text()?,
            _ => cur.skip()?,
        }
    }
    Ok(location)
}

fn read_file_locations_result(cur: &mut XmlCursor) -> Result<FileLocationsResult, WsusError> {
    let mut file_locations = Vec::new();
    let mut new_cookie = None;
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "FileLocations" => {
                file_locations = read_array(cur, "FileLocation", "FileLocations", MAX_ENTRIES, read_file_location)?
            }
            "NewCookie" if !child.is_nil() => new_cookie = Some(read_cookie_fields(cur, "NewCookie/Expiration")?),
            _ => cur.skip()?,
        }
    }
    Ok(FileLocationsResult {
        file_locations,
        new_cookie: new_cookie.ok_or(WsusError::MissingElement("GetFileLocationsResult/NewCookie"))?,
    })
}

//! The calls a Windows Update Agent makes, read by the server.
//!
//! Field names follow the wire names; the element each field comes from is in its doc. What a
//! server needs is kept; the rest of a large message (the driver pass's `extensionDrivers`, a
//! device's `DeviceFlags` detail...) is passed over unread.

use serde::{Deserialize, Serialize};

use crate::error::WsusError;
use crate::protocol::envelope::{read_authorization_cookie, read_cookie};
use crate::soap::{check_namespace, enter_body, leave_envelope};
use crate::wusp::events::{read_event, ReportingEvent};
use crate::wusp::limits::{MAX_DEVICES, MAX_EVENTS, MAX_IDS, MAX_ITEMS, MAX_REQUEST_BYTES};
use crate::wusp::{unquote, AuthorizationCookie, Cookie, Operation};
use crate::xml::XmlCursor;
use crate::xml_read::{
    read_array, read_bool, read_guid, read_guids, read_ints, read_num, read_opt_num, read_opt_text, read_strings,
};

const CONTEXT: &str = "MS-WUSP request";

/// One call of a client, with its parameters.
///
/// A `cookie` is an `Option`: a call without one is still a call the server must answer, with
/// an `InvalidCookie` fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientRequest {
    /// The first call of a scan (scan/000001).
    GetConfig {
        /// `protocolVersion`, e.g. `2.90`.
        protocol_version: Option<String>,
    },
    /// On the SimpleAuth service (scan/000002).
    GetAuthorizationCookie {
        /// `clientId`: the client's own id (a GUID for Windows clients), kept as sent.
        client_id: String,
        /// `targetGroupName`: the client-side targeting group, when policy sets one.
        target_group_name: Option<String>,
        /// `dnsName`.
        dns_name: Option<String>,
    },
    GetCookie(GetCookieRequest),
    /// scan/000004.
    RegisterComputer {
        cookie: Option<Cookie>,
        computer_info: ComputerInfo,
    },
    /// scan/000005: the categories a category-filtered scan asks for.
    StartCategoryScan {
        requested_categories: Vec<CategoryRelationship>,
    },
    /// A software page (scan/000006-8, flow/000001-13) or the driver pass (scan/000009,
    /// flow/000014).
    SyncUpdates {
        cookie: Option<Cookie>,
        parameters: SyncUpdateParameters,
    },
    GetExtendedUpdateInfo(GetExtendedUpdateInfoRequest),
    /// Not in the captures; shaped as [MS-WUSP] 2.2.2.2.7 defines it.
    GetFileLocations {
        cookie: Option<Cookie>,
        /// `fileDigests/base64Binary`: SHA-1 digests, base64, as sent.
        file_digests: Vec<String>,
    },
    /// On the reporting service (flow/000016-18).
    ReportEventBatch {
        cookie: Option<Cookie>,
        /// `clientTime`, kept as sent.
        client_time: Option<String>,
        /// `eventBatch/ReportingEvent`.
        events: Vec<ReportingEvent>,
    },
}

/// `GetCookie` (scan/000003).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetCookieRequest {
    /// `authCookies/AuthorizationCookie`: the one `GetAuthorizationCookie` returned.
    pub auth_cookies: Vec<AuthorizationCookie>,
    /// `oldCookie`: the native client sends one with only `Expiration` (its `encrypted_data`
    /// then reads empty); `None` when absent or nil.
    pub old_cookie: Option<Cookie>,
    /// `lastChange`: the `LastChange` of the `GetConfig` answer the client holds.
    pub last_change: Option<String>,
    /// `currentTime`: the client's clock.
    pub current_time: Option<String>,
    pub protocol_version: Option<String>,
}

/// `RegisterComputer/computerInfo`. Numbers absent from the message read as 0, texts as
/// `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComputerInfo {
    pub dns_name: Option<String>,
    pub os_major_version: i32,
    pub os_minor_version: i32,
    pub os_build_number: i32,
    pub os_service_pack_major_number: i32,
    pub os_service_pack_minor_number: i32,
    pub os_locale: Option<String>,
    pub computer_manufacturer: Option<String>,
    pub computer_model: Option<String>,
    pub bios_version: Option<String>,
    pub bios_name: Option<String>,
    pub bios_release_date: Option<String>,
    /// `AMD64`, `X86`, `ARM64`...
    pub processor_architecture: Option<String>,
    pub suite_mask: Option<i32>,
    pub old_product_type: Option<i32>,
    pub new_product_type: Option<i32>,
    pub system_metrics: Option<i32>,
    pub client_version_major_number: i32,
    pub client_version_minor_number: i32,
    pub client_version_build_number: i32,
    pub client_version_qfe_number: i32,
    pub os_description: Option<String>,
    pub oem: Option<String>,
    pub device_type: Option<String>,
    pub firmware_version: Option<String>,
    pub mobile_operator: Option<String>,
}

/// `CategoryRelationship` of `StartCategoryScan/requestedCategories`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryRelationship {
    /// `IndexOfAndGroup`: categories of one group are ANDed, groups ORed.
    pub index_of_and_group: i32,
    /// `CategoryId`, lower-case.
    pub category_id: String,
}

/// `SyncUpdates/parameters`.
///
/// An id array the client left out (scan/000006 sends neither) reads as empty, as it means
/// the same: nothing of that kind cached.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncUpdateParameters {
    pub express_query: bool,
    /// `InstalledNonLeafUpdateIDs/int`: revision ids (the server's own) of the non-leaf
    /// updates (categories, detectoids, bundles) the client found installed.
    pub installed_non_leaf_update_ids: Vec<i32>,
    /// `OtherCachedUpdateIDs/int`: every other revision id the client holds.
    pub other_cached_update_ids: Vec<i32>,
    /// True on the driver pass.
    pub skip_software_sync: bool,
    /// `SystemSpec/Device`: the driver pass's device list; `None` when absent.
    pub system_spec: Option<Vec<Device>>,
    /// `FilterCategoryIds/CategoryIdentifier/Id`: the scan's category filter, lower-case.
    pub filter_category_ids: Vec<String>,
    pub need_two_group_out_of_scope_updates: bool,
    pub also_perform_regular_sync: bool,
    /// `ComputerSpec/HardwareIDs/guid`: the computer hardware ids of the driver pass.
    pub computer_hardware_ids: Vec<String>,
    /// `FeatureScoreMatchingKey`, e.g. `AMD64.10.0`.
    pub feature_score_matching_key: Option<String>,
    pub products: Option<ProductsParameters>,
}

/// `SyncUpdates/parameters/ProductsParameters`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductsParameters {
    pub sync_current_version_only: bool,
    /// `DeviceAttributes`: `key=value;` pairs, see [`parse_attributes`](crate::wusp::parse_attributes).
    pub device_attributes: Option<String>,
    /// `CallerAttributes`: `Id=` names the caller (`OOBE ZDP`, `<<PROCESS>>: powershell.exe`).
    pub caller_attributes: Option<String>,
    /// `Products`: `PN=...&Branch=...` product strings, as sent.
    pub products: Option<String>,
}

/// One `SystemSpec/Device` of the driver pass: what driver matching needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// `HardwareIDs/string`, most specific first.
    pub hardware_ids: Vec<String>,
    /// `CompatibleIDs/string`.
    pub compatible_ids: Vec<String>,
    pub installed_driver: Option<InstalledDriver>,
    pub device_flags: Option<i32>,
    /// `extensionDrivers/ExtensionDriver`: extension INFs installed on the device.
    pub extension_drivers: Vec<ExtensionDriver>,
}

/// `Device/installedDriver`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstalledDriver {
    pub matching_id: Option<String>,
    pub driver_ver_date: Option<String>,
    /// `DriverVerVersion`: the four 16-bit parts of the version packed in 64 bits.
    pub driver_ver_version: Option<u64>,
    pub class: Option<String>,
    pub manufacturer: Option<String>,
    pub provider: Option<String>,
    pub model: Option<String>,
    /// `MatchingComputerHWID`: nil in every capture (`None`).
    pub matching_computer_hwid: Option<String>,
    pub driver_rank: Option<i64>,
    pub skip_provider_filtering: Option<bool>,
    pub is_generic: Option<bool>,
}

/// `Device/extensionDrivers/ExtensionDriver`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionDriver {
    /// `ExtensionId`, a braced GUID as sent.
    pub extension_id: Option<String>,
    pub driver_ver_date: Option<String>,
    pub driver_ver_version: Option<u64>,
    pub class: Option<String>,
    pub driver_rank: Option<i64>,
    pub matching_computer_hwid: Option<String>,
}

/// `GetExtendedUpdateInfo` (scan/000010, flow/000015).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetExtendedUpdateInfoRequest {
    pub cookie: Option<Cookie>,
    /// `revisionIDs/int`: at most the `MaxExtendedUpdatesPerRequest` of `GetConfig` (50).
    pub revision_ids: Vec<i32>,
    /// `infoTypes/XmlUpdateFragmentType`.
    pub info_types: Vec<FragmentType>,
    /// `locales/string`, e.g. `en-US`, `en`.
    pub locales: Vec<String>,
    pub device_attributes: Option<String>,
    /// `GeoId`, e.g. `USA`.
    pub geo_id: Option<String>,
    pub caller_attributes: Option<String>,
}

/// `XmlUpdateFragmentType`: which fragment of an update's XML is asked for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FragmentType {
    Published,
    Core,
    Extended,
    VerificationRule,
    LocalizedProperties,
    Eula,
    /// A name this library does not know, kept so that a newer client is not refused.
    Other(String),
}

impl FragmentType {
    pub fn from_name(name: &str) -> FragmentType {
        match name {
            "Published" => FragmentType::Published,
            "Core" => FragmentType::Core,
            "Extended" => FragmentType::Extended,
            "VerificationRule" => FragmentType::VerificationRule,
            "LocalizedProperties" => FragmentType::LocalizedProperties,
            "Eula" => FragmentType::Eula,
            other => FragmentType::Other(other.to_owned()),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            FragmentType::Published => "Published",
            FragmentType::Core => "Core",
            FragmentType::Extended => "Extended",
            FragmentType::VerificationRule => "VerificationRule",
            FragmentType::LocalizedProperties => "LocalizedProperties",
            FragmentType::Eula => "Eula",
            FragmentType::Other(name) => name,
        }
    }
}

impl ClientRequest {
    pub fn operation(&self) -> Operation {
        match self {
            ClientRequest::GetConfig { .. } => Operation::GetConfig,
            ClientRequest::GetAuthorizationCookie { .. } => Operation::GetAuthorizationCookie,
            ClientRequest::GetCookie(_) => Operation::GetCookie,
            ClientRequest::RegisterComputer { .. } => Operation::RegisterComputer,
            ClientRequest::StartCategoryScan { .. } => Operation::StartCategoryScan,
            ClientRequest::SyncUpdates { .. } => Operation::SyncUpdates,
            ClientRequest::GetExtendedUpdateInfo(_) => Operation::GetExtendedUpdateInfo,
            ClientRequest::GetFileLocations { .. } => Operation::GetFileLocations,
            ClientRequest::ReportEventBatch { .. } => Operation::ReportEventBatch,
        }
    }

    /// The session cookie the call carries, for the calls that carry one.
    pub fn cookie(&self) -> Option<&Cookie> {
        match self {
            ClientRequest::RegisterComputer { cookie, .. }
            | ClientRequest::SyncUpdates { cookie, .. }
            | ClientRequest::GetFileLocations { cookie, .. }
            | ClientRequest::ReportEventBatch { cookie, .. } => cookie.as_ref(),
            ClientRequest::GetExtendedUpdateInfo(request) => request.cookie.as_ref(),
            _ => None,
        }
    }

    /// Reads a call as the server receives it. The operation is the body element's, which
    /// must be in its service's namespace; `soap_action` (the `SOAPAction` header, quotes
    /// allowed), when given and not empty, must name the same operation. The body is refused
    /// whole beyond [`MAX_REQUEST_BYTES`], and each array beyond its bound in
    /// [`limits`](crate::wusp::limits).
    pub fn parse(soap_action: Option<&str>, body: &str) -> Result<ClientRequest, WsusError> {
        if body.len() > MAX_REQUEST_BYTES {
            return Err(WsusError::BlobTooLarge {
                what: "MS-WUSP request body",
                size: body.len() as u64,
                limit: MAX_REQUEST_BYTES as u64,
            });
        }
        let mut cur = XmlCursor::new(body, CONTEXT);
        let payload = enter_body(&mut cur, CONTEXT)?;
        let op = Operation::from_name(&payload.name).ok_or_else(|| WsusError::UnexpectedElement {
            context: CONTEXT,
            expected: "an MS-WUSP operation (GetConfig, GetAuthorizationCookie, GetCookie, RegisterComputer, \
                       StartCategoryScan, SyncUpdates, GetExtendedUpdateInfo, GetFileLocations, ReportEventBatch)",
            found: payload.expanded_name(),
        })?;
        check_namespace(&payload, op.namespace(), op.name(), CONTEXT)?;
        if let Some(action) = soap_action.map(unquote).filter(|a| !a.is_empty()) {
            if Operation::from_soap_action(action) != Some(op) {
                return Err(WsusError::InvalidValue {
                    field: "SOAPAction (it must name the operation of the body)",
                    value: action.to_owned(),
                });
            }
        }
        let request = match op {
            Operation::GetConfig => read_get_config(&mut cur)?,
            Operation::GetAuthorizationCookie => read_get_authorization_cookie(&mut cur)?,
            Operation::GetCookie => read_get_cookie(&mut cur)?,
            Operation::RegisterComputer => read_register_computer(&mut cur)?,
            Operation::StartCategoryScan => read_start_category_scan(&mut cur)?,
            Operation::SyncUpdates => read_sync_updates(&mut cur)?,
            Operation::GetExtendedUpdateInfo => read_get_extended_update_info(&mut cur)?,
            Operation::GetFileLocations => read_get_file_locations(&mut cur)?,
            Operation::ReportEventBatch => read_report_event_batch(&mut cur)?,
        };
        leave_envelope(&mut cur)?;
        Ok(request)
    }
}

// ---- reading -------------------------------------------------------------------------------

fn read_get_config(cur: &mut XmlCursor) -> Result<ClientRequest, WsusError> {
    let mut protocol_version = None;
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "protocolVersion" => protocol_version = read_opt_text(cur)?,
            _ => cur.skip()?,
        }
    }
    Ok(ClientRequest::GetConfig { protocol_version })
}

fn read_get_authorization_cookie(cur: &mut XmlCursor) -> Result<ClientRequest, WsusError> {
    let mut client_id = None;
    let mut target_group_name = None;
    let mut dns_name = None;
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "clientId" => client_id = read_opt_text(cur)?,
            "targetGroupName" => target_group_name = read_opt_text(cur)?,
            "dnsName" => dns_name = read_opt_text(cur)?,
            _ => cur.skip()?,
        }
    }
    Ok(ClientRequest::GetAuthorizationCookie {
        client_id: client_id.ok_or(WsusError::MissingElement("GetAuthorizationCookie/clientId"))?,
        target_group_name,
        dns_name,
    })
}

fn read_get_cookie(cur: &mut XmlCursor) -> Result<ClientRequest, WsusError> {
    let mut request = GetCookieRequest {
        auth_cookies: Vec::new(),
        old_cookie: None,
        last_change: None,
        current_time: None,
        protocol_version: None,
    };
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "authCookies" => {
                request.auth_cookies = read_array(
                    cur,
                    "AuthorizationCookie",
                    "GetCookie/authCookies",
                    MAX_ITEMS,
                    read_authorization_cookie,
                )?
            }
            "oldCookie" => request.old_cookie = read_cookie(cur, &child, "GetCookie/oldCookie/Expiration")?,
            "lastChange" => request.last_change = read_opt_text(cur)?,
            "currentTime" => request.current_time = read_opt_text(cur)?,
            "protocolVersion" => request.protocol_version = read_opt_text(cur)?,
            _ => cur.skip()?,
        }
    }
    Ok(ClientRequest::GetCookie(request))
}

fn read_register_computer(cur: &mut XmlCursor) -> Result<ClientRequest, WsusError> {
    let mut cookie = None;
    let mut computer_info = None;
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "cookie" => cookie = read_cookie(cur, &child, "RegisterComputer/cookie/Expiration")?,
            "computerInfo" if !child.is_nil() => computer_info = Some(read_computer_info(cur)?),
            _ => cur.skip()?,
        }
    }
    Ok(ClientRequest::RegisterComputer {
        cookie,
        computer_info: computer_info.ok_or(WsusError::MissingElement("RegisterComputer/computerInfo"))?,
    })
}

fn read_computer_info(cur: &mut XmlCursor) -> Result<ComputerInfo, WsusError> {
    let mut info = ComputerInfo::default();
    while let Some(child) = cur.next_child()? {
        let text_slot = match child.name.as_str() {
            "DnsName" => &mut info.dns_name,
            "OSLocale" => &mut info.os_locale,
            "ComputerManufacturer" => &mut info.computer_manufacturer,
            "ComputerModel" => &mut info.computer_model,
            "BiosVersion" => &mut info.bios_version,
            "BiosName" => &mut info.bios_name,
            "BiosReleaseDate" => &mut info.bios_release_date,
            "ProcessorArchitecture" => &mut info.processor_architecture,
            "OSDescription" => &mut info.os_description,
            "OEM" => &mut info.oem,
            "DeviceType" => &mut info.device_type,
            "FirmwareVersion" => &mut info.firmware_version,
            "MobileOperator" => &mut info.mobile_operator,
            _ => {
                read_computer_info_number(cur, &child.name, &mut info)?;
                continue;
            }
        };
        *text_slot = read_opt_text(cur)?;
    }
    Ok(info)
}

fn read_computer_info_number(cur: &mut XmlCursor, name: &str, info: &mut ComputerInfo) -> Result<(), WsusError> {
    let (slot, field) = match name {
        "OSMajorVersion" => (&mut info.os_major_version, "computerInfo/OSMajorVersion"),
        "OSMinorVersion" => (&mut info.os_minor_version, "computerInfo/OSMinorVersion"),
        "OSBuildNumber" => (&mut info.os_build_number, "computerInfo/OSBuildNumber"),
        "OSServicePackMajorNumber" => (
            &mut info.os_service_pack_major_number,
            "computerInfo/OSServicePackMajorNumber",
        ),
        "OSServicePackMinorNumber" => (
            &mut info.os_service_pack_minor_number,
            "computerInfo/OSServicePackMinorNumber",
        ),
        "ClientVersionMajorNumber" => (
            &mut info.client_version_major_number,
            "computerInfo/ClientVersionMajorNumber",
        ),
        "ClientVersionMinorNumber" => (
            &mut info.client_version_minor_number,
            "computerInfo/ClientVersionMinorNumber",
        ),
        "ClientVersionBuildNumber" => (
            &mut info.client_version_build_number,
            "computerInfo/ClientVersionBuildNumber",
        ),
        "ClientVersionQfeNumber" => (
            &mut info.client_version_qfe_number,
            "computerInfo/ClientVersionQfeNumber",
        ),
        _ => {
            let (slot, field) = match name {
                "SuiteMask" => (&mut info.suite_mask, "computerInfo/SuiteMask"),
                "OldProductType" => (&mut info.old_product_type, "computerInfo/OldProductType"),
                "NewProductType" => (&mut info.new_product_type, "computerInfo/NewProductType"),
                "SystemMetrics" => (&mut info.system_metrics, "computerInfo/SystemMetrics"),
                _ => return cur.skip(),
            };
            *slot = read_opt_num(cur, field)?;
            return Ok(());
        }
    };
    *slot = read_opt_num(cur, field)?.unwrap_or_default();
    Ok(())
}

fn read_start_category_scan(cur: &mut XmlCursor) -> Result<ClientRequest, WsusError> {
    let mut requested_categories = Vec::new();
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "requestedCategories" => {
                requested_categories = read_array(
                    cur,
                    "CategoryRelationship",
                    "StartCategoryScan/requestedCategories",
                    MAX_ITEMS,
                    read_category_relationship,
                )?
            }
            _ => cur.skip()?,
        }
    }
    Ok(ClientRequest::StartCategoryScan { requested_categories })
}

fn read_category_relationship(cur: &mut XmlCursor) -> Result<CategoryRelationship, WsusError> {
    let mut index_of_and_group = 0;
    let mut category_id = None;
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "IndexOfAndGroup" => index_of_and_group = read_num(cur, "CategoryRelationship/IndexOfAndGroup")?,
            "CategoryId" => category_id = Some(read_guid(cur, "CategoryRelationship/CategoryId")?),
            _ => cur.skip()?,
        }
    }
    Ok(CategoryRelationship {
        index_of_and_group,
        category_id: category_id.ok_or(WsusError::MissingElement("CategoryRelationship/CategoryId"))?,
    })
}

fn read_sync_updates(cur: &mut XmlCursor) -> Result<ClientRequest, WsusError> {
    let mut cookie = None;
    let mut parameters = None;
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "cookie" => cookie = read_cookie(cur, &child, "SyncUpdates/cookie/Expiration")?,
            "parameters" if !child.is_nil() => parameters = Some(read_sync_parameters(cur)?),
            _ => cur.skip()?,
        }
    }
    Ok(ClientRequest::SyncUpdates {
        cookie,
        parameters: parameters.ok_or(WsusError::MissingElement("SyncUpdates/parameters"))?,
    })
}

fn read_sync_parameters(cur: &mut XmlCursor) -> Result<SyncUpdateParameters, WsusError> {
    const INSTALLED: &str = "SyncUpdates/parameters/InstalledNonLeafUpdateIDs";
    const OTHER: &str = "SyncUpdates/parameters/OtherCachedUpdateIDs";
    let mut p = SyncUpdateParameters::default();
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "ExpressQuery" => p.express_query = read_bool(cur, "parameters/ExpressQuery")?,
            "InstalledNonLeafUpdateIDs" => p.installed_non_leaf_update_ids = read_ints(cur, INSTALLED, MAX_IDS)?,
            "OtherCachedUpdateIDs" => p.other_cached_update_ids = read_ints(cur, OTHER, MAX_IDS)?,
            "SkipSoftwareSync" => p.skip_software_sync = read_bool(cur, "parameters/SkipSoftwareSync")?,
            "SystemSpec" if !child.is_nil() => {
                p.system_spec = Some(read_array(
                    cur,
                    "Device",
                    "SyncUpdates/parameters/SystemSpec",
                    MAX_DEVICES,
                    read_device,
                )?)
            }
            "FilterCategoryIds" => {
                p.filter_category_ids = read_array(
                    cur,
                    "CategoryIdentifier",
                    "SyncUpdates/parameters/FilterCategoryIds",
                    MAX_ITEMS,
                    read_category_identifier,
                )?
            }
            "NeedTwoGroupOutOfScopeUpdates" => {
                p.need_two_group_out_of_scope_updates = read_bool(cur, "parameters/NeedTwoGroupOutOfScopeUpdates")?
            }
            "AlsoPerformRegularSync" => {
                p.also_perform_regular_sync = read_bool(cur, "parameters/AlsoPerformRegularSync")?
            }
            "ComputerSpec" => p.computer_hardware_ids = read_computer_spec(cur)?,
            "FeatureScoreMatchingKey" => p.feature_score_matching_key = read_opt_text(cur)?,
            "ProductsParameters" if !child.is_nil() => p.products = Some(read_products(cur)?),
            _ => cur.skip()?,
        }
    }
    Ok(p)
}

fn read_category_identifier(cur: &mut XmlCursor) -> Result<String, WsusError> {
    let mut id = None;
    while let Some(child) = cur.next_child()? {
        if child.is("Id") {
            id = Some(read_guid(cur, "FilterCategoryIds/CategoryIdentifier/Id")?);
        } else {
            cur.skip()?;
        }
    }
    id.ok_or(WsusError::MissingElement("FilterCategoryIds/CategoryIdentifier/Id"))
}

fn read_computer_spec(cur: &mut XmlCursor) -> Result<Vec<String>, WsusError> {
    let mut ids = Vec::new();
    while let Some(child) = cur.next_child()? {
        if child.is("HardwareIDs") {
            ids = read_guids(cur, "SyncUpdates/parameters/ComputerSpec/HardwareIDs", MAX_ITEMS)?;
        } else {
            cur.skip()?;
        }
    }
    Ok(ids)
}

fn read_device(cur: &mut XmlCursor) -> Result<Device, WsusError> {
    let mut device = Device::default();
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "HardwareIDs" => {
                device.hardware_ids = read_strings(cur, "string", "SystemSpec/Device/HardwareIDs", MAX_ITEMS)?
            }
            "CompatibleIDs" => {
                device.compatible_ids = read_strings(cur, "string", "SystemSpec/Device/CompatibleIDs", MAX_ITEMS)?
            }
            "installedDriver" if !child.is_nil() => device.installed_driver = Some(read_installed_driver(cur)?),
            "DeviceFlags" => device.device_flags = read_opt_num(cur, "SystemSpec/Device/DeviceFlags")?,
            "extensionDrivers" => {
                device.extension_drivers = read_array(
                    cur,
                    "ExtensionDriver",
                    "SystemSpec/Device/extensionDrivers",
                    MAX_ITEMS,
                    read_extension_driver,
                )?
            }
            _ => cur.skip()?,
        }
    }
    Ok(device)
}

fn read_installed_driver(cur: &mut XmlCursor) -> Result<InstalledDriver, WsusError> {
    let mut d = InstalledDriver::default();
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "MatchingID" => d.matching_id = read_opt_text(cur)?,
            "DriverVerDate" => d.driver_ver_date = read_opt_text(cur)?,
            "DriverVerVersion" => d.driver_ver_version = read_opt_num(cur, "installedDriver/DriverVerVersion")?,
            "Class" => d.class = read_opt_text(cur)?,
            "Manufacturer" => d.manufacturer = read_opt_text(cur)?,
            "Provider" => d.provider = read_opt_text(cur)?,
            "Model" => d.model = read_opt_text(cur)?,
            "MatchingComputerHWID" => d.matching_computer_hwid = read_nillable_text(cur, &child)?,
            "DriverRank" => d.driver_rank = read_opt_num(cur, "installedDriver/DriverRank")?,
            "SkipProviderFiltering" => {
                d.skip_provider_filtering = Some(read_bool(cur, "installedDriver/SkipProviderFiltering")?)
            }
            "IsGeneric" => d.is_generic = Some(read_bool(cur, "installedDriver/IsGeneric")?),
            _ => cur.skip()?,
        }
    }
    Ok(d)
}

fn read_extension_driver(cur: &mut XmlCursor) -> Result<ExtensionDriver, WsusError> {
    let mut d = ExtensionDriver::default();
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "ExtensionId" => d.extension_id = read_opt_text(cur)?,
            "DriverVerDate" => d.driver_ver_date = read_opt_text(cur)?,
            "DriverVerVersion" => d.driver_ver_version = read_opt_num(cur, "ExtensionDriver/DriverVerVersion")?,
            "Class" => d.class = read_opt_text(cur)?,
            "DriverRank" => d.driver_rank = read_opt_num(cur, "ExtensionDriver/DriverRank")?,
            "MatchingComputerHWID" => d.matching_computer_hwid = read_nillable_text(cur, &child)?,
            _ => cur.skip()?,
        }
    }
    Ok(d)
}

/// A text that the client may send as `xsi:nil`: `None` then, as for an empty one.
fn read_nillable_text(cur: &mut XmlCursor, el: &crate::xml::Element) -> Result<Option<String>, WsusError> {
    if el.is_nil() {
        cur.skip()?;
        return Ok(None);
    }
    read_opt_text(cur)
}

fn read_products(cur: &mut XmlCursor) -> Result<ProductsParameters, WsusError> {
    let mut p = ProductsParameters::default();
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "SyncCurrentVersionOnly" => {
                p.sync_current_version_only = read_bool(cur, "ProductsParameters/SyncCurrentVersionOnly")?
            }
            "DeviceAttributes" => p.device_attributes = read_opt_text(cur)?,
            "CallerAttributes" => p.caller_attributes = read_opt_text(cur)?,
            "Products" => p.products = read_opt_text(cur)?,
            _ => cur.skip()?,
        }
    }
    Ok(p)
}

fn read_get_extended_update_info(cur: &mut XmlCursor) -> Result<ClientRequest, WsusError> {
    let mut r = GetExtendedUpdateInfoRequest::default();
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "cookie" => r.cookie = read_cookie(cur, &child, "GetExtendedUpdateInfo/cookie/Expiration")?,
            "revisionIDs" => r.revision_ids = read_ints(cur, "GetExtendedUpdateInfo/revisionIDs", MAX_IDS)?,
            "infoTypes" => {
                r.info_types = read_array(
                    cur,
                    "XmlUpdateFragmentType",
                    "GetExtendedUpdateInfo/infoTypes",
                    MAX_ITEMS,
                    |cur| cur.read_text().map(|name| FragmentType::from_name(&name)),
                )?
            }
            "locales" => r.locales = read_strings(cur, "string", "GetExtendedUpdateInfo/locales", MAX_ITEMS)?,
            "deviceAttributes" => r.device_attributes = read_opt_text(cur)?,
            "GeoId" => r.geo_id = read_opt_text(cur)?,
            "callerAttributes" => r.caller_attributes = read_opt_text(cur)?,
            _ => cur.skip()?,
        }
    }
    Ok(ClientRequest::GetExtendedUpdateInfo(r))
}

fn read_get_file_locations(cur: &mut XmlCursor) -> Result<ClientRequest, WsusError> {
    let mut cookie = None;
    let mut file_digests = Vec::new();
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "cookie" => cookie = read_cookie(cur, &child, "GetFileLocations/cookie/Expiration")?,
            "fileDigests" => {
                file_digests = read_strings(cur, "base64Binary", "GetFileLocations/fileDigests", MAX_ITEMS)?
            }
            _ => cur.skip()?,
        }
    }
    Ok(ClientRequest::GetFileLocations { cookie, file_digests })
}

fn read_report_event_batch(cur: &mut XmlCursor) -> Result<ClientRequest, WsusError> {
    let mut cookie = None;
    let mut client_time = None;
    let mut events = Vec::new();
    while let Some(child) = cur.next_child()? {
        match child.name.as_str() {
            "cookie" => cookie = read_cookie(cur, &child, "ReportEventBatch/cookie/Expiration")?,
            "clientTime" => client_time = read_opt_text(cur)?,
            "eventBatch" => {
                events = read_array(
                    cur,
                    "ReportingEvent",
                    "ReportEventBatch/eventBatch",
                    MAX_EVENTS,
                    read_event,
                )?
            }
            _ => cur.skip()?,
        }
    }
    Ok(ClientRequest::ReportEventBatch {
        cookie,
        client_time,
        events,
    })
}

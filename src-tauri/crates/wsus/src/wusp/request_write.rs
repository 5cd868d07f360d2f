//! The calls of a Windows Update Agent, written: what a client (the fleet simulator, a test)
//! sends. The inverse of [`ClientRequest::parse`].
//!
//! Each call is written as the captured agent writes it (`shared/fixtures/wusp/native`):
//! `s:Envelope` declaring only `s`, no XML declaration, the operation element declaring its
//! service's namespace as the default, elements in the agent's order, empty elements `<a/>`,
//! an id array the client has nothing for left out (scan/000006), a nil written with its own
//! `a` prefix (scan/000009). Built from the values of a captured call, the bytes are the
//! captured bytes (`tests/wusp_write.rs`).

use crate::protocol::envelope::write_cookie;
use crate::wusp::events::write_event;
use crate::wusp::request::{
    ClientRequest, ComputerInfo, Device, ExtensionDriver, GetCookieRequest, GetExtendedUpdateInfoRequest,
    InstalledDriver, ProductsParameters, SyncUpdateParameters,
};
use crate::wusp::Cookie;
use crate::xml_write::{Envelope, XmlWriter};

impl ClientRequest {
    /// The request's SOAP envelope, to be posted to [`ClientRequest::service_path`] with
    /// `Content-Type: text/xml; charset=utf-8` and the [`ClientRequest::soap_action`] header.
    pub fn to_xml(&self) -> String {
        let op = self.operation();
        let mut w = XmlWriter::envelope(Envelope::ClientRequest);
        w.start_ns(op.name(), op.namespace());
        match self {
            ClientRequest::GetConfig { protocol_version } => {
                w.opt_text("protocolVersion", protocol_version.as_deref());
            }
            ClientRequest::GetAuthorizationCookie {
                client_id,
                target_group_name,
                dns_name,
            } => {
                w.text("clientId", client_id);
                w.opt_text("targetGroupName", target_group_name.as_deref());
                w.opt_text("dnsName", dns_name.as_deref());
            }
            ClientRequest::GetCookie(request) => write_get_cookie(&mut w, request),
            ClientRequest::RegisterComputer { cookie, computer_info } => {
                write_opt_cookie(&mut w, cookie.as_ref());
                write_computer_info(&mut w, computer_info);
            }
            ClientRequest::StartCategoryScan { requested_categories } => {
                w.list("requestedCategories", requested_categories, |w, c| {
                    w.start("CategoryRelationship");
                    w.int("IndexOfAndGroup", c.index_of_and_group);
                    w.text("CategoryId", &c.category_id);
                    w.end("CategoryRelationship");
                });
            }
            ClientRequest::SyncUpdates { cookie, parameters } => {
                write_opt_cookie(&mut w, cookie.as_ref());
                write_sync_parameters(&mut w, parameters);
            }
            ClientRequest::GetExtendedUpdateInfo(request) => write_get_extended_update_info(&mut w, request),
            ClientRequest::GetFileLocations { cookie, file_digests } => {
                write_opt_cookie(&mut w, cookie.as_ref());
                w.list("fileDigests", file_digests, |w, d| w.text("base64Binary", d));
            }
            ClientRequest::ReportEventBatch {
                cookie,
                client_time,
                events,
            } => {
                write_opt_cookie(&mut w, cookie.as_ref());
                w.opt_text("clientTime", client_time.as_deref());
                w.list("eventBatch", events, write_event);
            }
        }
        w.end(op.name());
        w.finish()
    }

    /// The `SOAPAction` header's value, with the double quotes the agent puts around it
    /// (`request.headers` of every capture).
    pub fn soap_action(&self) -> String {
        format!("\"{}\"", self.operation().soap_action())
    }

    /// The path under the server root the call is posted to, e.g.
    /// `/ClientWebService/client.asmx`.
    pub fn service_path(&self) -> &'static str {
        self.operation().service().path()
    }
}

fn write_opt_cookie(w: &mut XmlWriter, cookie: Option<&Cookie>) {
    if let Some(cookie) = cookie {
        write_cookie(w, "cookie", cookie);
    }
}

fn write_get_cookie(w: &mut XmlWriter, r: &GetCookieRequest) {
    w.list("authCookies", &r.auth_cookies, |w, c| {
        w.start("AuthorizationCookie");
        w.text("PlugInId", &c.plugin_id);
        w.text("CookieData", &c.cookie_data);
        w.end("AuthorizationCookie");
    });
    // The native client's oldCookie carries only the expiration it remembers (scan/000003).
    if let Some(old) = &r.old_cookie {
        w.start("oldCookie");
        w.text("Expiration", &old.expiration);
        if !old.encrypted_data.is_empty() {
            w.text("EncryptedData", &old.encrypted_data);
        }
        w.end("oldCookie");
    }
    w.opt_text("lastChange", r.last_change.as_deref());
    w.opt_text("currentTime", r.current_time.as_deref());
    w.opt_text("protocolVersion", r.protocol_version.as_deref());
}

fn write_computer_info(w: &mut XmlWriter, c: &ComputerInfo) {
    w.start("computerInfo");
    w.opt_text("DnsName", c.dns_name.as_deref());
    w.int("OSMajorVersion", c.os_major_version);
    w.int("OSMinorVersion", c.os_minor_version);
    w.int("OSBuildNumber", c.os_build_number);
    w.int("OSServicePackMajorNumber", c.os_service_pack_major_number);
    w.int("OSServicePackMinorNumber", c.os_service_pack_minor_number);
    w.opt_text("OSLocale", c.os_locale.as_deref());
    w.opt_text("ComputerManufacturer", c.computer_manufacturer.as_deref());
    w.opt_text("ComputerModel", c.computer_model.as_deref());
    w.opt_text("BiosVersion", c.bios_version.as_deref());
    w.opt_text("BiosName", c.bios_name.as_deref());
    w.opt_text("BiosReleaseDate", c.bios_release_date.as_deref());
    w.opt_text("ProcessorArchitecture", c.processor_architecture.as_deref());
    opt_int(w, "SuiteMask", c.suite_mask);
    opt_int(w, "OldProductType", c.old_product_type);
    opt_int(w, "NewProductType", c.new_product_type);
    opt_int(w, "SystemMetrics", c.system_metrics);
    w.int("ClientVersionMajorNumber", c.client_version_major_number);
    w.int("ClientVersionMinorNumber", c.client_version_minor_number);
    w.int("ClientVersionBuildNumber", c.client_version_build_number);
    w.int("ClientVersionQfeNumber", c.client_version_qfe_number);
    w.opt_text("OSDescription", c.os_description.as_deref());
    w.opt_text("OEM", c.oem.as_deref());
    w.opt_text("DeviceType", c.device_type.as_deref());
    w.opt_text("FirmwareVersion", c.firmware_version.as_deref());
    w.opt_text("MobileOperator", c.mobile_operator.as_deref());
    w.end("computerInfo");
}

fn opt_int(w: &mut XmlWriter, name: &str, value: Option<impl std::fmt::Display>) {
    if let Some(value) = value {
        w.int(name, value);
    }
}

fn write_sync_parameters(w: &mut XmlWriter, p: &SyncUpdateParameters) {
    w.start("parameters");
    w.bool("ExpressQuery", p.express_query);
    w.list_if_any(
        "InstalledNonLeafUpdateIDs",
        &p.installed_non_leaf_update_ids,
        |w, id| w.int("int", id),
    );
    w.list_if_any("OtherCachedUpdateIDs", &p.other_cached_update_ids, |w, id| {
        w.int("int", id)
    });
    if let Some(devices) = &p.system_spec {
        w.list("SystemSpec", devices, write_device);
    }
    w.bool("SkipSoftwareSync", p.skip_software_sync);
    w.list_if_any("FilterCategoryIds", &p.filter_category_ids, |w, id| {
        w.start("CategoryIdentifier");
        w.text("Id", id);
        w.end("CategoryIdentifier");
    });
    w.bool("NeedTwoGroupOutOfScopeUpdates", p.need_two_group_out_of_scope_updates);
    w.bool("AlsoPerformRegularSync", p.also_perform_regular_sync);
    // Sent on every pass, empty on the software ones (scan/000006, 000009).
    if p.computer_hardware_ids.is_empty() {
        w.empty("ComputerSpec");
    } else {
        w.start("ComputerSpec");
        w.list("HardwareIDs", &p.computer_hardware_ids, |w, id| w.text("guid", id));
        w.end("ComputerSpec");
    }
    w.opt_text("FeatureScoreMatchingKey", p.feature_score_matching_key.as_deref());
    if let Some(products) = &p.products {
        write_products(w, products);
    }
    w.end("parameters");
}

fn write_products(w: &mut XmlWriter, p: &ProductsParameters) {
    w.start("ProductsParameters");
    w.bool("SyncCurrentVersionOnly", p.sync_current_version_only);
    // Each text is sent even when empty (`<Products/>` of scan/000006).
    w.text("DeviceAttributes", p.device_attributes.as_deref().unwrap_or_default());
    w.text("CallerAttributes", p.caller_attributes.as_deref().unwrap_or_default());
    w.text("Products", p.products.as_deref().unwrap_or_default());
    w.end("ProductsParameters");
}

fn write_device(w: &mut XmlWriter, d: &Device) {
    w.start("Device");
    w.list("HardwareIDs", &d.hardware_ids, |w, id| w.text("string", id));
    w.list_if_any("CompatibleIDs", &d.compatible_ids, |w, id| w.text("string", id));
    if let Some(driver) = &d.installed_driver {
        write_installed_driver(w, driver);
    }
    opt_int(w, "DeviceFlags", d.device_flags);
    w.list_if_any("extensionDrivers", &d.extension_drivers, write_extension_driver);
    w.end("Device");
}

fn write_installed_driver(w: &mut XmlWriter, d: &InstalledDriver) {
    w.start("installedDriver");
    w.opt_text("MatchingID", d.matching_id.as_deref());
    w.opt_text("DriverVerDate", d.driver_ver_date.as_deref());
    opt_int(w, "DriverVerVersion", d.driver_ver_version);
    w.opt_text("Class", d.class.as_deref());
    w.opt_text("Manufacturer", d.manufacturer.as_deref());
    w.opt_text("Provider", d.provider.as_deref());
    w.opt_text("Model", d.model.as_deref());
    write_nillable(w, "MatchingComputerHWID", d.matching_computer_hwid.as_deref());
    opt_int(w, "DriverRank", d.driver_rank);
    if let Some(skip) = d.skip_provider_filtering {
        w.bool("SkipProviderFiltering", skip);
    }
    if let Some(generic) = d.is_generic {
        w.bool("IsGeneric", generic);
    }
    w.end("installedDriver");
}

fn write_extension_driver(w: &mut XmlWriter, d: &ExtensionDriver) {
    w.start("ExtensionDriver");
    w.opt_text("ExtensionId", d.extension_id.as_deref());
    w.opt_text("DriverVerDate", d.driver_ver_date.as_deref());
    opt_int(w, "DriverVerVersion", d.driver_ver_version);
    w.opt_text("Class", d.class.as_deref());
    opt_int(w, "DriverRank", d.driver_rank);
    write_nillable(w, "MatchingComputerHWID", d.matching_computer_hwid.as_deref());
    w.end("ExtensionDriver");
}

/// The agent always sends `MatchingComputerHWID`, nil when it has none (scan/000009).
fn write_nillable(w: &mut XmlWriter, name: &str, value: Option<&str>) {
    match value {
        Some(value) => w.text(name, value),
        None => w.nil(name),
    }
}

fn write_get_extended_update_info(w: &mut XmlWriter, r: &GetExtendedUpdateInfoRequest) {
    write_opt_cookie(w, r.cookie.as_ref());
    w.list("revisionIDs", &r.revision_ids, |w, id| w.int("int", id));
    w.list("infoTypes", &r.info_types, |w, t| {
        w.text("XmlUpdateFragmentType", t.name())
    });
    w.list("locales", &r.locales, |w, l| w.text("string", l));
    w.opt_text("deviceAttributes", r.device_attributes.as_deref());
    w.opt_text("GeoId", r.geo_id.as_deref());
    w.opt_text("callerAttributes", r.caller_attributes.as_deref());
}

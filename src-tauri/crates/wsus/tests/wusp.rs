//! The [MS-WUSP] messages against the native Windows Update Agent captures in
//! `shared/fixtures/wusp/native` (and the client-protocol samples beside them).
//!
//! 1. every captured request parses into its operation, with the values its text holds;
//! 2. every captured answer, read and written again, has the captured answer's element
//!    sequence (namespace + local name, in order), and in fact its bytes;
//! 3. hostile and broken input gives a `WsusError` that says what was wrong, never a panic.
//!
//! Expected values are read from the fixture text by plain string search, never typed in.

use std::path::PathBuf;

use wsus::wusp::limits::{MAX_EVENTS, MAX_IDS, MAX_REQUEST_BYTES};
use wsus::wusp::{
    error_codes, fault_xml, ClientRequest, ClientResponse, DeploymentAction, FragmentType, Operation, Service,
    CLIENT_NAMESPACE, REPORTING_NAMESPACE, SIMPLE_AUTH_NAMESPACE,
};
use wsus::{parse_fault, WsusError};

mod common;

use common::{
    between, fixtures, header_path, header_soap_action, native_exchange_dirs, noisy_copies, prefixes, read, sample,
    sorted_dir, text_of, texts_of, unescape,
};

/// One captured exchange.
struct Exchange {
    name: String,
    dir: PathBuf,
    request: String,
    response: String,
}

impl Exchange {
    /// `SOAPAction` of `request.headers`, quotes included, whatever the case of its name.
    fn soap_action(&self) -> String {
        header_soap_action(&self.dir)
    }

    fn op(&self) -> Operation {
        Operation::from_soap_action(&self.soap_action()).unwrap_or_else(|| panic!("{}: unknown action", self.name))
    }

    /// The path of the request line of `request.headers`.
    fn path(&self) -> String {
        header_path(&self.dir)
    }

    fn parsed(&self) -> ClientRequest {
        ClientRequest::parse(Some(&self.soap_action()), &self.request)
            .unwrap_or_else(|e| panic!("{}: request does not parse: {e}", self.name))
    }
}

fn exchanges() -> Vec<Exchange> {
    native_exchange_dirs()
        .into_iter()
        .map(|(name, dir)| Exchange {
            name,
            request: read(&dir.join("request.body")),
            response: read(&dir.join("response.body")),
            dir,
        })
        .collect()
}

fn exchange(name: &str) -> Exchange {
    exchanges()
        .into_iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no exchange {name}"))
}

/// The `<int>` values inside `<name>...</name>`; empty when the element is absent.
fn ints_in(scope: &str, name: &str) -> Vec<i32> {
    texts_of(text_of(scope, name).unwrap_or_default(), "int")
        .into_iter()
        .map(|t| t.parse().expect("numeric id"))
        .collect()
}

/// Every element of a document, in document order, as `{namespace}local`.
fn elements(xml: &str) -> Vec<String> {
    wsus::wusp::element_names(xml).expect("well-formed XML")
}

// ---- 1. every captured request parses, with the values its text holds ---------------------

#[test]
fn every_captured_request_parses_into_its_operation() {
    let mut seen = std::collections::BTreeSet::new();
    for ex in exchanges() {
        let op = ex.op();
        let request = ex.parsed();
        assert_eq!(request.operation(), op, "{}", ex.name);
        assert_eq!(op.service().path(), ex.path(), "{}: service path", ex.name);
        // Without a SOAPAction the body alone decides.
        assert_eq!(
            ClientRequest::parse(None, &ex.request).as_ref(),
            Ok(&request),
            "{}",
            ex.name
        );
        let cookie_expiration = text_of(text_of(&ex.request, "cookie").unwrap_or_default(), "Expiration");
        assert_eq!(
            request.cookie().map(|c| c.expiration.as_str()),
            cookie_expiration,
            "{}: cookie",
            ex.name
        );
        seen.insert(op);
    }
    let all_but_file_locations: Vec<Operation> = Operation::ALL
        .into_iter()
        .filter(|op| *op != Operation::GetFileLocations)
        .collect();
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), all_but_file_locations);
}

#[test]
fn the_handshake_requests_carry_the_captured_values() {
    let ex = exchange("scan/000001");
    let ClientRequest::GetConfig { protocol_version } = ex.parsed() else {
        panic!("GetConfig");
    };
    assert_eq!(protocol_version.as_deref(), text_of(&ex.request, "protocolVersion"));

    let ex = exchange("scan/000002");
    let ClientRequest::GetAuthorizationCookie {
        client_id,
        target_group_name,
        dns_name,
    } = ex.parsed()
    else {
        panic!("GetAuthorizationCookie");
    };
    assert_eq!(Some(client_id.as_str()), text_of(&ex.request, "clientId"));
    assert_eq!(dns_name.as_deref(), text_of(&ex.request, "dnsName"));
    assert_eq!(target_group_name, None);

    let ex = exchange("scan/000003");
    let ClientRequest::GetCookie(get_cookie) = ex.parsed() else {
        panic!("GetCookie");
    };
    assert_eq!(
        get_cookie.auth_cookies.len(),
        texts_of(&ex.request, "AuthorizationCookie").len()
    );
    assert_eq!(
        Some(get_cookie.auth_cookies[0].plugin_id.as_str()),
        text_of(&ex.request, "PlugInId")
    );
    assert_eq!(
        Some(get_cookie.auth_cookies[0].cookie_data.as_str()),
        text_of(&ex.request, "CookieData")
    );
    // The native oldCookie has only an Expiration.
    let old = get_cookie.old_cookie.expect("oldCookie");
    assert_eq!(Some(old.expiration.as_str()), text_of(&ex.request, "Expiration"));
    assert_eq!(old.encrypted_data, "");
    assert_eq!(get_cookie.last_change.as_deref(), text_of(&ex.request, "lastChange"));
    assert_eq!(get_cookie.current_time.as_deref(), text_of(&ex.request, "currentTime"));
    assert_eq!(
        get_cookie.protocol_version.as_deref(),
        text_of(&ex.request, "protocolVersion")
    );

    let ex = exchange("scan/000004");
    let ClientRequest::RegisterComputer { computer_info, .. } = ex.parsed() else {
        panic!("RegisterComputer");
    };
    let info = text_of(&ex.request, "computerInfo").unwrap_or_default();
    assert_eq!(computer_info.dns_name.as_deref(), text_of(info, "DnsName"));
    assert_eq!(
        Some(computer_info.os_build_number.to_string()).as_deref(),
        text_of(info, "OSBuildNumber")
    );
    assert_eq!(computer_info.os_locale.as_deref(), text_of(info, "OSLocale"));
    assert_eq!(computer_info.computer_model.as_deref(), text_of(info, "ComputerModel"));
    assert_eq!(
        computer_info.processor_architecture.as_deref(),
        text_of(info, "ProcessorArchitecture")
    );
    assert_eq!(
        computer_info.new_product_type.map(|n| n.to_string()).as_deref(),
        text_of(info, "NewProductType")
    );
    assert_eq!(
        Some(computer_info.client_version_build_number.to_string()).as_deref(),
        text_of(info, "ClientVersionBuildNumber")
    );
    assert_eq!(
        computer_info.mobile_operator.as_deref(),
        text_of(info, "MobileOperator")
    );

    let ex = exchange("scan/000005");
    let ClientRequest::StartCategoryScan { requested_categories } = ex.parsed() else {
        panic!("StartCategoryScan");
    };
    let ids: Vec<&str> = requested_categories.iter().map(|c| c.category_id.as_str()).collect();
    assert_eq!(ids, texts_of(&ex.request, "CategoryId"));
    assert!(
        ids.contains(&"dd78b8a1-0b20-45c1-add6-4da72e9364cf"),
        "INDEX.md's category"
    );
}

#[test]
fn every_sync_updates_request_carries_its_arrays_flags_and_filter() {
    let mut driver_passes = 0;
    for ex in exchanges().into_iter().filter(|e| e.op() == Operation::SyncUpdates) {
        let ClientRequest::SyncUpdates { parameters: p, .. } = ex.parsed() else {
            panic!("{}: SyncUpdates", ex.name);
        };
        let body = &ex.request;
        let name = &ex.name;
        assert_eq!(
            p.installed_non_leaf_update_ids,
            ints_in(body, "InstalledNonLeafUpdateIDs"),
            "{name}"
        );
        assert_eq!(
            p.other_cached_update_ids,
            ints_in(body, "OtherCachedUpdateIDs"),
            "{name}"
        );
        assert_eq!(
            Some(p.skip_software_sync.to_string()).as_deref(),
            text_of(body, "SkipSoftwareSync")
        );
        assert_eq!(
            Some(p.express_query.to_string()).as_deref(),
            text_of(body, "ExpressQuery")
        );
        assert_eq!(
            Some(p.also_perform_regular_sync.to_string()).as_deref(),
            text_of(body, "AlsoPerformRegularSync")
        );
        assert_eq!(
            Some(p.need_two_group_out_of_scope_updates.to_string()).as_deref(),
            text_of(body, "NeedTwoGroupOutOfScopeUpdates")
        );
        let filter = texts_of(text_of(body, "FilterCategoryIds").unwrap_or_default(), "Id");
        assert_eq!(p.filter_category_ids, filter, "{name}");
        assert_eq!(
            p.feature_score_matching_key.as_deref(),
            text_of(body, "FeatureScoreMatchingKey")
        );
        let products = p.products.as_ref().expect("ProductsParameters");
        assert_eq!(
            products.caller_attributes.as_deref().map(unescape),
            text_of(body, "CallerAttributes").map(unescape)
        );
        assert_eq!(products.device_attributes.as_deref(), text_of(body, "DeviceAttributes"));
        assert_eq!(
            products.products.as_deref().map(unescape),
            text_of(body, "Products").map(unescape)
        );
        let hardware = texts_of(text_of(body, "ComputerSpec").unwrap_or_default(), "guid");
        assert_eq!(p.computer_hardware_ids, hardware, "{name}");

        if p.skip_software_sync {
            driver_passes += 1;
            let devices = p.system_spec.as_ref().expect("a driver pass has a SystemSpec");
            assert_eq!(devices.len(), texts_of(body, "Device").len(), "{name}: devices");
            let first = texts_of(body, "Device")[0];
            let first_ids = texts_of(text_of(first, "HardwareIDs").unwrap_or_default(), "string");
            assert_eq!(devices[0].hardware_ids, first_ids, "{name}");
            let driver = devices[0].installed_driver.as_ref().expect("installedDriver");
            assert_eq!(driver.matching_id.as_deref(), text_of(first, "MatchingID"));
            assert_eq!(
                driver.driver_ver_version.map(|v| v.to_string()).as_deref(),
                text_of(first, "DriverVerVersion")
            );
            assert_eq!(
                driver.driver_rank.map(|v| v.to_string()).as_deref(),
                text_of(first, "DriverRank")
            );
            let all_compatible: usize = texts_of(body, "CompatibleIDs")
                .iter()
                .map(|c| texts_of(c, "string").len())
                .sum();
            assert_eq!(
                devices.iter().map(|d| d.compatible_ids.len()).sum::<usize>(),
                all_compatible
            );
        } else {
            assert_eq!(p.system_spec, None, "{name}");
        }
    }
    assert_eq!(driver_passes, 2, "scan/000009 and flow/000014");

    // The first software page leaves both arrays out entirely; the second names 108226.
    let first = exchange("scan/000006");
    assert!(!first.request.contains("InstalledNonLeafUpdateIDs") && !first.request.contains("OtherCachedUpdateIDs"));
    let second = exchange("scan/000007");
    let ClientRequest::SyncUpdates { parameters, .. } = second.parsed() else {
        panic!("SyncUpdates");
    };
    assert_eq!(
        parameters.installed_non_leaf_update_ids,
        ints_in(&second.request, "InstalledNonLeafUpdateIDs")
    );
    assert_eq!(
        parameters.installed_non_leaf_update_ids,
        [108226],
        "INDEX.md: scan/000007"
    );
}

#[test]
fn extended_update_info_requests_carry_ids_types_and_locales() {
    for name in ["scan/000010", "flow/000015"] {
        let ex = exchange(name);
        let ClientRequest::GetExtendedUpdateInfo(r) = ex.parsed() else {
            panic!("{name}: GetExtendedUpdateInfo");
        };
        assert_eq!(r.revision_ids, ints_in(&ex.request, "revisionIDs"), "{name}");
        let types: Vec<&str> = r.info_types.iter().map(FragmentType::name).collect();
        assert_eq!(types, texts_of(&ex.request, "XmlUpdateFragmentType"), "{name}");
        assert!(r.info_types.iter().all(|t| !matches!(t, FragmentType::Other(_))));
        assert_eq!(
            r.locales,
            texts_of(text_of(&ex.request, "locales").unwrap_or_default(), "string")
        );
        assert_eq!(r.geo_id.as_deref(), text_of(&ex.request, "GeoId"));
        assert_eq!(r.device_attributes.as_deref(), text_of(&ex.request, "deviceAttributes"));
    }
    let ClientRequest::GetExtendedUpdateInfo(r) = exchange("flow/000015").parsed() else {
        panic!("GetExtendedUpdateInfo");
    };
    assert_eq!(r.revision_ids.len(), 18, "INDEX.md: flow/000015 asks 18 revision ids");
}

#[test]
fn report_event_batches_carry_every_event() {
    for name in ["flow/000016", "flow/000017", "flow/000018"] {
        let ex = exchange(name);
        let ClientRequest::ReportEventBatch {
            client_time, events, ..
        } = ex.parsed()
        else {
            panic!("{name}: ReportEventBatch");
        };
        let body = &ex.request;
        assert_eq!(client_time.as_deref(), text_of(body, "clientTime"));
        let captured = texts_of(body, "ReportingEvent");
        assert_eq!(events.len(), captured.len(), "{name}");
        for (event, text) in events.iter().zip(captured) {
            let b = &event.basic;
            assert_eq!(
                Some(b.event_id.to_string()).as_deref(),
                text_of(text, "EventID"),
                "{name}"
            );
            assert_eq!(
                Some(b.namespace_id.to_string()).as_deref(),
                text_of(text, "NamespaceID")
            );
            assert_eq!(Some(b.source_id.to_string()).as_deref(), text_of(text, "SourceID"));
            assert_eq!(
                Some(b.sequence_number.to_string()).as_deref(),
                text_of(text, "SequenceNumber")
            );
            assert_eq!(
                Some(b.win32_hresult.to_string()).as_deref(),
                text_of(text, "Win32HResult")
            );
            assert_eq!(Some(b.event_instance_id.as_str()), text_of(text, "EventInstanceID"));
            assert_eq!(Some(b.time_at_target.as_str()), text_of(text, "TimeAtTarget"));
            assert_eq!(Some(b.target_sid.as_str()), text_of(text, "Sid"));
            let update = text_of(text, "BasicData").and_then(|d| between(d, "<UpdateID><UpdateID>", "</UpdateID>"));
            assert_eq!(Some(b.update.update_id.as_str()), update);
            assert_eq!(
                Some(b.update.revision.to_string()).as_deref(),
                text_of(text, "RevisionNumber")
            );
            assert_eq!(
                b.app_name.as_deref().map(str::to_owned),
                text_of(text, "AppName").map(unescape)
            );
            // The application is named in BasicData or, failing that, in MiscData.
            let misc_app = texts_of(text, "string")
                .into_iter()
                .find_map(|s| s.strip_prefix("AppName="))
                .map(unescape);
            assert_eq!(
                event.app_name().map(str::to_owned),
                text_of(text, "AppName").map(unescape).or(misc_app)
            );
            let ext = event.extended.as_ref().expect("ExtendedData");
            let replacement = texts_of(text_of(text, "ReplacementStrings").unwrap_or_default(), "string");
            assert_eq!(ext.replacement_strings, replacement, "{name}");
            let misc: Vec<String> = texts_of(text_of(text, "MiscData").unwrap_or_default(), "string")
                .into_iter()
                .map(unescape)
                .collect();
            assert_eq!(ext.misc_data, misc, "{name}");
            let os = ext.os_version.expect("OSVersion");
            assert_eq!(Some(os.build.to_string()).as_deref(), text_of(text, "Build"));
            assert_eq!(Some(os.revision.to_string()).as_deref(), text_of(text, "Revision"));
            assert_eq!(
                ext.os_locale_id.map(|l| l.to_string()).as_deref(),
                text_of(text, "OSLocaleID")
            );
            assert_eq!(ext.computer_brand.as_deref(), text_of(text, "ComputerBrand"));
            assert_eq!(
                ext.processor_architecture.as_deref(),
                text_of(text, "ProcessorArchitecture")
            );
            assert!(event.private_data_present);
        }
    }
    // INDEX.md: flow/000017's nine events, in order.
    let ClientRequest::ReportEventBatch { events, .. } = exchange("flow/000017").parsed() else {
        panic!("ReportEventBatch");
    };
    let ids: Vec<i32> = events.iter().map(|e| e.basic.event_id).collect();
    assert_eq!(ids, [148, 148, 147, 156, 147, 156, 161, 161, 181]);
    assert_eq!(events[0].basic.win32_hresult as u32, 0x8024_0438);
}

// ---- 2. the answers we write are the captured answers --------------------------------------

#[test]
fn every_captured_answer_is_written_again_element_for_element_and_byte_for_byte() {
    for ex in exchanges() {
        let op = ex.op();
        let response = ClientResponse::parse(op, &ex.response)
            .unwrap_or_else(|e| panic!("{}: captured answer does not parse: {e}", ex.name));
        assert_eq!(response.operation(), op);
        let ours = response.to_xml();
        assert_eq!(elements(&ours), elements(&ex.response), "{}: element sequence", ex.name);
        // Names, namespaces, prefixes, order, empty-element forms and the escaping of the
        // embedded fragments all agree, so the bytes do too.
        assert_eq!(ours, ex.response, "{}: bytes", ex.name);
        assert_eq!(ClientResponse::parse(op, &ours).as_ref(), Ok(&response), "{}", ex.name);
    }
}

#[test]
fn captured_answers_read_with_the_values_of_their_text() {
    for ex in exchanges() {
        let body = &ex.response;
        match ClientResponse::parse(ex.op(), body) {
            Ok(ClientResponse::GetConfig(config)) => {
                assert_eq!(Some(config.last_change.as_str()), text_of(body, "LastChange"));
                assert_eq!(config.properties.len(), texts_of(body, "ConfigurationProperty").len());
                assert_eq!(config.property("ProtocolVersion"), Some("3.2"), "INDEX.md: scan/000001");
                assert_eq!(config.auth_info[0].parameter.as_deref(), Some(""));
                assert_eq!(
                    Some(config.auth_info[0].service_url.as_str()),
                    text_of(body, "ServiceUrl")
                );
            }
            Ok(ClientResponse::GetAuthorizationCookie(cookie)) => {
                assert_eq!(Some(cookie.cookie_data.as_str()), text_of(body, "CookieData"));
            }
            Ok(ClientResponse::GetCookie(cookie)) => {
                assert_eq!(Some(cookie.expiration.as_str()), text_of(body, "Expiration"));
                assert_eq!(Some(cookie.encrypted_data.as_str()), text_of(body, "EncryptedData"));
            }
            Ok(ClientResponse::StartCategoryScan { preferred_category_ids }) => {
                assert_eq!(preferred_category_ids, texts_of(body, "guid"));
            }
            Ok(ClientResponse::SyncUpdates(info)) => {
                let infos = texts_of(body, "UpdateInfo");
                assert_eq!(info.new_updates.len(), infos.len(), "{}", ex.name);
                for (update, text) in info.new_updates.iter().zip(infos) {
                    assert_eq!(Some(update.id.to_string()).as_deref(), between(text, "<ID>", "</ID>"));
                    assert_eq!(Some(update.deployment.action.name()), text_of(text, "Action"));
                    assert!(!matches!(update.deployment.action, DeploymentAction::Other(_)));
                    assert_eq!(Some(update.xml.clone()), text_of(text, "Xml").map(unescape));
                }
                assert_eq!(Some(info.truncated.to_string()).as_deref(), text_of(body, "Truncated"));
                assert_eq!(
                    info.driver_sync_not_needed.map(|b| b.to_string()).as_deref(),
                    text_of(body, "DriverSyncNotNeeded")
                );
            }
            Ok(ClientResponse::GetExtendedUpdateInfo(info)) => {
                assert_eq!(info.updates.len(), texts_of(body, "Update").len());
                let urls: Vec<&str> = info.file_locations.iter().map(|f| f.url.as_str()).collect();
                assert_eq!(urls, texts_of(body, "Url"));
            }
            Ok(ClientResponse::ReportEventBatch(stored)) => {
                assert_eq!(
                    Some(stored.to_string()).as_deref(),
                    text_of(body, "ReportEventBatchResult")
                );
            }
            Ok(ClientResponse::RegisterComputer | ClientResponse::GetFileLocations(_)) => {}
            Err(e) => panic!("{}: {e}", ex.name),
        }
    }
    // INDEX.md: flow/000012 holds the only Install, for revision 200996.
    let Ok(ClientResponse::SyncUpdates(info)) =
        ClientResponse::parse(Operation::SyncUpdates, &exchange("flow/000012").response)
    else {
        panic!("SyncUpdates");
    };
    let installs: Vec<i32> = info
        .new_updates
        .iter()
        .filter(|u| u.deployment.action == DeploymentAction::Install)
        .map(|u| u.id)
        .collect();
    assert_eq!(installs, [200996]);
}

#[test]
fn the_captured_get_file_locations_answer_is_written_again() {
    // No native capture has GetFileLocations; this is the lab WSUS's answer to the project's
    // own client (`servicing/cbs`).
    let body = read(&fixtures().join("servicing/cbs/get-file-locations-response.xml"));
    let Ok(ClientResponse::GetFileLocations(result)) = ClientResponse::parse(Operation::GetFileLocations, &body) else {
        panic!("GetFileLocations answer parses");
    };
    assert_eq!(result.file_locations.len(), 1);
    assert_eq!(
        Some(result.file_locations[0].file_digest.as_str()),
        text_of(&body, "FileDigest")
    );
    assert_eq!(Some(result.file_locations[0].url.as_str()), text_of(&body, "Url"));
    let ours = ClientResponse::GetFileLocations(result).to_xml();
    assert_eq!(elements(&ours), elements(&body));
    assert_eq!(ours, body);
}

#[test]
fn get_file_locations_requests_are_read() {
    // The spec's shape, with a nil cookie and an empty digest list.
    let body = sample("wusp_nil_empty_absent.xml");
    assert_eq!(
        ClientRequest::parse(Some(Operation::GetFileLocations.soap_action()), &body),
        Ok(ClientRequest::GetFileLocations {
            cookie: None,
            file_digests: Vec::new()
        })
    );
    let digest = between(
        &read(&fixtures().join("servicing/cbs/get-file-locations-response.xml")),
        "<FileDigest>",
        "</FileDigest>",
    )
    .unwrap_or_default()
    .to_owned();
    let body = format!(
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><GetFileLocations \
         xmlns=\"{CLIENT_NAMESPACE}\"><cookie><Expiration>2026-10-04T16:03:35Z</Expiration><EncryptedData>AAAA\
         </EncryptedData></cookie><fileDigests><base64Binary>{digest}</base64Binary></fileDigests>\
         </GetFileLocations></s:Body></s:Envelope>"
    );
    let Ok(ClientRequest::GetFileLocations { cookie, file_digests }) = ClientRequest::parse(None, &body) else {
        panic!("GetFileLocations");
    };
    assert_eq!(file_digests, [digest]);
    assert_eq!(cookie.map(|c| c.encrypted_data), Some("AAAA".to_owned()));
}

#[test]
fn client_protocol_samples_are_read_in_any_prefix_and_shape() {
    let Ok(ClientResponse::GetConfig(config)) =
        ClientResponse::parse(Operation::GetConfig, &sample("wusp_getconfig_response_alt_prefix.xml"))
    else {
        panic!("alternate prefixes");
    };
    assert!(config.is_registration_required, "`1` is true");
    assert_eq!(config.allowed_event_ids, [7]);

    // Written again, the full sample keeps its element sequence (AllowedEventIds between
    // AuthInfo and Properties).
    let full = sample("wusp_getconfig_response_soap11.xml");
    let Ok(ClientResponse::GetConfig(config)) = ClientResponse::parse(Operation::GetConfig, &full) else {
        panic!("GetConfig sample");
    };
    assert_eq!(config.allowed_event_ids, [10, 11]);
    assert_eq!(elements(&ClientResponse::GetConfig(config).to_xml()), elements(&full));

    let Ok(ClientResponse::GetCookie(cookie)) =
        ClientResponse::parse(Operation::GetCookie, &sample("wusp_cookie_alt_namespace_children.xml"))
    else {
        panic!("cookie children in another namespace are read by local name");
    };
    assert_eq!(cookie.encrypted_data, "AAEC");

    let Ok(ClientRequest::GetCookie(request)) =
        ClientRequest::parse(None, &sample("wusp_getcookie_request_soap12.xml"))
    else {
        panic!("a SOAP 1.2 GetCookie");
    };
    assert_eq!(request.old_cookie, None, "nil oldCookie");
    assert_eq!(request.protocol_version, None, "empty protocolVersion");
    assert_eq!(request.auth_cookies.len(), 1);

    let Ok(ClientResponse::SyncUpdates(info)) = ClientResponse::parse(
        Operation::SyncUpdates,
        &sample("wusp_syncupdates_response_encoded_array.xml"),
    ) else {
        panic!("a SOAP-encoded array");
    };
    assert_eq!(info.out_of_scope_revision_ids, [5, 6]);
    assert!(info.truncated);
    assert_eq!(info.driver_sync_not_needed, None);
}

#[test]
fn faults_carry_the_error_code_and_method_and_have_the_wsus_fault_shape() {
    for (op, code) in [
        (Operation::SyncUpdates, error_codes::INVALID_COOKIE),
        (Operation::GetCookie, error_codes::COOKIE_EXPIRED),
        (Operation::RegisterComputer, error_codes::INVALID_PARAMETERS),
        (Operation::ReportEventBatch, error_codes::INTERNAL_SERVER_ERROR),
        (Operation::GetConfig, error_codes::CONFIG_CHANGED),
        (Operation::SyncUpdates, error_codes::REGISTRATION_REQUIRED),
    ] {
        let xml = fault_xml(op, code, "cookie");
        let fault = parse_fault(&xml).expect("a fault");
        assert_eq!(fault.error_code.as_deref(), Some(code));
        assert_eq!(fault.detail_message.as_deref(), Some("cookie"));
        assert_eq!(fault.method, Some(format!("\"{}\"", op.soap_action())));
        assert_eq!(
            ClientResponse::parse(op, &xml),
            Err(wsus::WsusError::Fault(Box::new(fault)))
        );
        // The element sequence of the fault a real WSUS wrote (MS-WSUSSS, no client fault was
        // captured).
        let recorded = read(&fixtures().join("wsusss/exchanges/000019/response.body"));
        assert_eq!(elements(&xml), elements(&recorded));
    }
}

// ---- 3. broken and hostile input -----------------------------------------------------------

fn client_body(inner: &str) -> String {
    format!("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>{inner}</s:Body></s:Envelope>")
}

#[test]
fn every_truncation_of_a_captured_request_is_an_error() {
    for ex in exchanges() {
        for part in prefixes(&ex.request, 300) {
            let result = ClientRequest::parse(Some(&ex.soap_action()), part);
            assert!(
                matches!(result, Err(WsusError::MalformedXml { .. })),
                "{} cut at {}: {result:?}",
                ex.name,
                part.len()
            );
        }
        let response = &ex.response;
        for cut in (1..response.len()).step_by((response.len() / 200).max(1)) {
            if response.is_char_boundary(cut) {
                assert!(
                    ClientResponse::parse(ex.op(), &response[..cut]).is_err(),
                    "{} answer cut at {cut}",
                    ex.name
                );
            }
        }
    }
}

#[test]
fn a_body_in_the_wrong_namespace_is_refused_naming_both() {
    let ex = exchange("scan/000001");
    let moved = ex.request.replace(CLIENT_NAMESPACE, REPORTING_NAMESPACE);
    let err = ClientRequest::parse(None, &moved);
    assert!(
        matches!(&err, Err(WsusError::WrongNamespace { element: "GetConfig", expected, found, .. })
            if *expected == CLIENT_NAMESPACE && found == REPORTING_NAMESPACE),
        "{err:?}"
    );
    // ReportEventBatch belongs to the reporting namespace, not the client service's.
    let report = exchange("flow/000016").request.replace(
        &format!("xmlns=\"{REPORTING_NAMESPACE}\""),
        &format!("xmlns=\"{CLIENT_NAMESPACE}\""),
    );
    assert!(matches!(
        ClientRequest::parse(None, &report),
        Err(WsusError::WrongNamespace {
            element: "ReportEventBatch",
            ..
        })
    ));
    let auth = exchange("scan/000002")
        .request
        .replace(SIMPLE_AUTH_NAMESPACE, "urn:other");
    let err = ClientRequest::parse(None, &auth).expect_err("wrong namespace");
    assert!(
        err.to_string().contains("urn:other") && err.to_string().contains(SIMPLE_AUTH_NAMESPACE),
        "{err}"
    );
    // No namespace at all.
    let bare = client_body("<GetConfig><protocolVersion>2.90</protocolVersion></GetConfig>");
    assert!(matches!(
        ClientRequest::parse(None, &bare),
        Err(WsusError::WrongNamespace { found, .. }) if found == "no namespace"
    ));
    // An answer in the wrong namespace too.
    let answer = exchange("scan/000001")
        .response
        .replace(CLIENT_NAMESPACE, SIMPLE_AUTH_NAMESPACE);
    assert!(matches!(
        ClientResponse::parse(Operation::GetConfig, &answer),
        Err(WsusError::WrongNamespace { .. })
    ));
}

#[test]
fn a_dtd_is_refused_and_no_entity_is_resolved() {
    let dtd = sample("dtd_external_entity.xml");
    let err = ClientRequest::parse(None, &dtd).expect_err("a DTD is refused");
    assert!(
        matches!(&err, WsusError::MalformedXml { .. }) && err.to_string().contains("DTD"),
        "{err}"
    );
    let with_dtd = format!("<!DOCTYPE x [<!ENTITY e \"boom\">]>{}", exchange("scan/000003").request);
    assert!(matches!(
        ClientRequest::parse(None, &with_dtd),
        Err(WsusError::MalformedXml { .. })
    ));
    for op in Operation::ALL {
        assert!(matches!(
            ClientResponse::parse(op, &dtd),
            Err(WsusError::MalformedXml { .. })
        ));
    }
}

#[test]
fn arrays_over_their_bound_are_refused_naming_the_array() {
    let ex = exchange("flow/000001");
    let other = text_of(&ex.request, "OtherCachedUpdateIDs").expect("OtherCachedUpdateIDs");
    let too_many = "<int>1</int>".repeat(MAX_IDS + 1);
    let body = ex.request.replacen(other, &too_many, 1);
    let err = ClientRequest::parse(Some(&ex.soap_action()), &body).expect_err("over the bound");
    assert!(
        matches!(&err, WsusError::InvalidValue { field, .. } if field.contains("OtherCachedUpdateIDs")),
        "{err}"
    );
    assert!(err.to_string().contains(&MAX_IDS.to_string()), "{err}");
    // Exactly at the bound is accepted.
    let at_bound = ex.request.replacen(other, &"<int>1</int>".repeat(MAX_IDS), 1);
    assert!(ClientRequest::parse(None, &at_bound).is_ok());

    let report = exchange("flow/000018");
    let batch = text_of(&report.request, "eventBatch").expect("eventBatch");
    // BasicData alone, so that the body stays under MAX_REQUEST_BYTES and the event bound is
    // what refuses it.
    let basic = text_of(texts_of(batch, "ReportingEvent")[0], "BasicData").expect("BasicData");
    let one = format!("<ReportingEvent><BasicData>{basic}</BasicData></ReportingEvent>");
    assert!(one.len() * (MAX_EVENTS + 1) < MAX_REQUEST_BYTES);
    let body = report.request.replacen(batch, &one.repeat(MAX_EVENTS + 1), 1);
    assert!(matches!(
        ClientRequest::parse(None, &body),
        Err(WsusError::InvalidValue {
            field: "ReportEventBatch/eventBatch",
            ..
        })
    ));

    // The body itself, before any parsing.
    let huge = format!("{}{}", ex.request, " ".repeat(MAX_REQUEST_BYTES));
    assert!(matches!(
        ClientRequest::parse(None, &huge),
        Err(WsusError::BlobTooLarge { .. })
    ));
}

#[test]
fn an_unknown_operation_or_a_mismatched_soap_action_is_refused() {
    let unknown = client_body(&format!("<GetUpdateData xmlns=\"{CLIENT_NAMESPACE}\"/>"));
    let err = ClientRequest::parse(None, &unknown).expect_err("unknown operation");
    assert!(
        matches!(&err, WsusError::UnexpectedElement { found, .. } if found.ends_with("}GetUpdateData")),
        "{err}"
    );
    let config = exchange("scan/000001");
    let err = ClientRequest::parse(Some(Operation::SyncUpdates.soap_action()), &config.request)
        .expect_err("the action names another operation");
    assert!(
        matches!(&err, WsusError::InvalidValue { field, .. } if field.starts_with("SOAPAction")),
        "{err}"
    );
    assert!(ClientRequest::parse(Some("\"urn:nothing\""), &config.request).is_err());
    assert!(
        ClientRequest::parse(Some(""), &config.request).is_ok(),
        "an empty action is no action"
    );
    // Not a SOAP envelope at all, and a fault where a call should be.
    assert!(matches!(
        ClientRequest::parse(None, "<GetConfig/>"),
        Err(WsusError::UnexpectedElement {
            expected: "Envelope",
            ..
        })
    ));
    assert!(ClientRequest::parse(None, &sample("fault_soap11_invalid_cookie.xml")).is_err());
    assert!(ClientRequest::parse(None, &sample("malformed_unclosed.xml")).is_err());
    assert!(ClientRequest::parse(None, "").is_err());
}

#[test]
fn bad_values_are_errors_that_name_the_field() {
    let sync = exchange("scan/000007");
    let bad = sync.request.replace("<int>108226</int>", "<int>x</int>");
    assert!(matches!(
        ClientRequest::parse(None, &bad),
        Err(WsusError::InvalidValue { field, .. }) if field.contains("InstalledNonLeafUpdateIDs")
    ));
    let bad = sync
        .request
        .replace("<SkipSoftwareSync>false<", "<SkipSoftwareSync>maybe<");
    assert!(matches!(
        ClientRequest::parse(None, &bad),
        Err(WsusError::InvalidValue {
            field: "parameters/SkipSoftwareSync",
            ..
        })
    ));
    let bad = sync
        .request
        .replace("dd78b8a1-0b20-45c1-add6-4da72e9364cf", "not-a-guid");
    assert!(matches!(
        ClientRequest::parse(None, &bad),
        Err(WsusError::InvalidValue {
            field: "FilterCategoryIds/CategoryIdentifier/Id",
            ..
        })
    ));
    let no_parameters =
        sync.request
            .replacen("<parameters>", "<ignored>", 1)
            .replacen("</parameters>", "</ignored>", 1);
    assert!(matches!(
        ClientRequest::parse(None, &no_parameters),
        Err(WsusError::MissingElement("SyncUpdates/parameters"))
    ));
    let report = exchange("flow/000018").request;
    let first_id = text_of(&report, "EventID").unwrap_or_default().to_owned();
    let bad = report.replacen(&format!("<EventID>{first_id}</EventID>"), "", 1);
    assert!(matches!(
        ClientRequest::parse(None, &bad),
        Err(WsusError::MissingElement("BasicData/EventID"))
    ));
}

#[test]
fn corrupted_captures_never_panic() {
    for ex in exchanges() {
        for text in [&ex.request, &ex.response] {
            for bad in noisy_copies(text) {
                let _ = ClientRequest::parse(Some(&ex.soap_action()), &bad);
                let _ = ClientResponse::parse(ex.op(), &bad);
            }
        }
    }
    for path in sorted_dir(&fixtures().join("protocol-samples")) {
        let text = read(&path);
        let _ = ClientRequest::parse(None, &text);
        for op in Operation::ALL {
            let _ = ClientResponse::parse(op, &text);
        }
    }
}

#[test]
fn services_answer_in_their_own_envelope() {
    // The client service's style (scan/000001) and the ASMX style (scan/000002, flow/000016).
    for ex in exchanges() {
        let service = ex.op().service();
        let asmx = ex.response.starts_with("<?xml");
        assert_eq!(asmx, service != Service::Client, "{}", ex.name);
    }
}

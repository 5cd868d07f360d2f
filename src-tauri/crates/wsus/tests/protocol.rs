//! The [MS-WSUSSS] messages against the real exchanges in `shared/fixtures/wsusss`.
//!
//! 1. every recorded request and response parses, with the values the text holds;
//! 2. the requests we write have the recorded requests' structure;
//! 3. the answers we write have the recorded answers' structure;
//! 4. everything we write reads back as it was;
//! 5. hostile and broken input gives errors, never a panic.
//!
//! Expected values are read from the fixture text by plain string search, never typed in.
//! "Structure" is the tree of element names (namespace URI + local name), attribute names
//! and declared namespace URIs: no text, no whitespace, no prefixes.

use std::fmt::Write as _;
use std::path::PathBuf;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;
use wsus::protocol::{
    error_codes, AuthConfig, AuthPlugInInfo, AuthorizationCookie, ConfigData, Cookie, FileUrl, IdAndDelta,
    LanguageAndDelta, LanguageData, RevisionIdList, ServerSyncFilter, UpdateData, PROTOCOL_VERSION,
};
use wsus::{
    fault_xml, parse_fault, parse_update, Operation, Request, Response, RevisionId, ServerSyncUpdateData, SoapFault,
    WsusError,
};

mod common;

use common::{
    between, fixtures, header_path, header_soap_action, noisy_copies, prefixes, read, sample, sorted_dir, text_of,
    texts_of, unescape,
};

/// One recorded exchange.
struct Exchange {
    dir: PathBuf,
    /// From `meta.json`.
    soap_action: String,
    path: String,
    status: u16,
    request: String,
    response: String,
}

impl Exchange {
    fn name(&self) -> String {
        let parent = self.dir.parent().and_then(|p| p.file_name()).unwrap_or_default();
        let own = self.dir.file_name().unwrap_or_default();
        format!("{}/{}", parent.to_string_lossy(), own.to_string_lossy())
    }

    fn op(&self) -> Operation {
        Operation::from_soap_action(&self.soap_action).unwrap_or_else(|| panic!("{}: unknown action", self.name()))
    }

    /// `SOAPAction` of `request.headers`, whatever the case of the header name.
    fn header_action(&self) -> String {
        header_soap_action(&self.dir)
    }

    /// The path of the request line of `request.headers`.
    fn header_path(&self) -> String {
        header_path(&self.dir)
    }
}

fn exchanges() -> Vec<Exchange> {
    let list: Vec<Exchange> = ["wsusss/exchanges", "wsusss/exchanges-client"]
        .iter()
        .flat_map(|d| sorted_dir(&fixtures().join(d)))
        .filter(|p| p.join("meta.json").is_file())
        .map(|dir| {
            let meta = read(&dir.join("meta.json"));
            let field = |name: &str, close: &str| {
                between(&meta, &format!("\"{name}\": "), close)
                    .unwrap_or_else(|| panic!("{}: no {name}", dir.display()))
                    .trim()
                    .trim_matches('"')
                    .to_owned()
            };
            Exchange {
                soap_action: field("soap_action", ",\n"),
                path: field("path", ",\n"),
                status: field("status", ",\n").parse().expect("numeric status"),
                request: read(&dir.join("request.body")),
                response: read(&dir.join("response.body")),
                dir,
            }
        })
        .collect();
    assert!(
        list.len() >= 35,
        "expected the 19 + 16 recorded exchanges, found {}",
        list.len()
    );
    list
}

fn ids_in(scope: &str) -> Vec<RevisionId> {
    texts_of(scope, "UpdateID")
        .into_iter()
        .zip(texts_of(scope, "RevisionNumber"))
        .map(|(id, rev)| RevisionId {
            update_id: id.to_ascii_lowercase(),
            revision: rev.parse().expect("numeric revision"),
        })
        .collect()
}

fn id_and_deltas(scope: Option<&str>) -> Vec<(String, bool)> {
    texts_of(scope.unwrap_or_default(), "IdAndDelta")
        .into_iter()
        .map(|e| {
            let id = text_of(e, "Id").expect("Id").to_ascii_lowercase();
            (id, text_of(e, "Delta") == Some("true"))
        })
        .collect()
}

// ---- structure -----------------------------------------------------------------------------

/// An element: `{namespace}local`, its attributes the same way, the namespace URIs it
/// declares, and its child elements.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Node {
    name: String,
    attrs: Vec<String>,
    declares: Vec<String>,
    children: Vec<Node>,
}

fn expanded(ns: ResolveResult<'_>, local: &[u8]) -> String {
    let local = String::from_utf8_lossy(local);
    match ns {
        ResolveResult::Bound(ns) => format!("{{{}}}{local}", String::from_utf8_lossy(ns.as_ref())),
        _ => local.into_owned(),
    }
}

fn node(reader: &NsReader<&[u8]>, start: &BytesStart<'_>) -> Node {
    let (ns, local) = reader.resolve_element(start.name());
    let mut node = Node {
        name: expanded(ns, local.as_ref()),
        attrs: Vec::new(),
        declares: Vec::new(),
        children: Vec::new(),
    };
    for attr in start.attributes() {
        let attr = attr.expect("well-formed attribute");
        if attr.key.as_namespace_binding().is_some() {
            node.declares.push(String::from_utf8_lossy(&attr.value).into_owned());
        } else {
            let (ns, local) = reader.resolve_attribute(attr.key);
            node.attrs.push(expanded(ns, local.as_ref()));
        }
    }
    node.attrs.sort();
    node.declares.sort();
    node
}

/// The structure of a well-formed document (panics otherwise: only for our own output and
/// the recordings).
fn structure(xml: &str) -> Node {
    let mut reader = NsReader::from_str(xml);
    let mut stack: Vec<Node> = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(start) => {
                let n = node(&reader, &start);
                stack.push(n);
            }
            Event::Empty(start) => {
                let n = node(&reader, &start);
                match stack.last_mut() {
                    Some(parent) => parent.children.push(n),
                    None => return n,
                }
            }
            Event::End(_) => {
                let done = stack.pop().expect("balanced");
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return done,
                }
            }
            Event::Eof => panic!("document ended early"),
            _ => {}
        }
    }
}

/// An indented listing, so that a failed comparison shows where the trees differ.
fn render(node: &Node) -> String {
    fn walk(n: &Node, depth: usize, out: &mut String) {
        let _ = write!(out, "{}{}", "  ".repeat(depth), n.name);
        if !n.attrs.is_empty() {
            let _ = write!(out, " @{:?}", n.attrs);
        }
        if !n.declares.is_empty() {
            let _ = write!(out, " xmlns{:?}", n.declares);
        }
        out.push('\n');
        for c in &n.children {
            walk(c, depth + 1, out);
        }
    }
    let mut out = String::new();
    walk(node, 0, &mut out);
    out
}

fn assert_same_structure(ours: &str, recorded: &Node, what: &str) {
    let ours = render(&structure(ours));
    let recorded = render(recorded);
    assert_eq!(
        ours, recorded,
        "{what}: structure differs\n--- ours\n{ours}\n--- recorded\n{recorded}"
    );
}

/// What our server writes instead of a compressed blob: the plain `XmlUpdateBlob`, in the
/// schema's place right after `Id` (WSUS's `ServerSyncUpdateData` order is `Id`,
/// `XmlUpdateBlob`, `FileDigestList`, `XmlUpdateBlobCompressed`).
fn compressed_to_plain(node: &mut Node) -> usize {
    let mut swapped = 0;
    if node.name.ends_with("}ServerSyncUpdateData") {
        if let Some(at) = node
            .children
            .iter()
            .position(|c| c.name.ends_with("}XmlUpdateBlobCompressed"))
        {
            let mut blob = node.children.remove(at);
            blob.name = blob.name.replace("}XmlUpdateBlobCompressed", "}XmlUpdateBlob");
            let after_id = node
                .children
                .iter()
                .position(|c| c.name.ends_with("}Id"))
                .map_or(0, |i| i + 1);
            node.children.insert(after_id, blob);
            swapped += 1;
        }
    }
    for child in &mut node.children {
        swapped += compressed_to_plain(child);
    }
    swapped
}

// ---- 1. every recording parses, with the values its text holds -----------------------------

#[test]
fn every_recorded_request_parses_with_the_values_of_its_text() {
    let mut seen = std::collections::BTreeSet::new();
    for ex in exchanges() {
        let name = ex.name();
        let action = ex.header_action();
        assert_eq!(
            action.trim_matches('"'),
            ex.soap_action,
            "{name}: header and meta.json agree"
        );
        let req = Request::parse(&action, &ex.request).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(req.operation(), ex.op(), "{name}");
        seen.insert(req.operation());
        let body = ex.request.as_str();

        // The cookie is echoed as the text has it.
        let cookie_text = text_of(body, "cookie");
        assert_eq!(req.cookie().is_some(), cookie_text.is_some(), "{name}: cookie presence");
        if let (Some(cookie), Some(text)) = (req.cookie(), cookie_text) {
            assert_eq!(Some(cookie.expiration.as_str()), text_of(text, "Expiration"), "{name}");
            assert_eq!(
                Some(cookie.encrypted_data.as_str()),
                text_of(text, "EncryptedData"),
                "{name}"
            );
        }

        match &req {
            Request::GetAuthConfig => {}
            Request::GetAuthorizationCookie {
                account_name,
                account_guid,
            } => {
                assert_eq!(Some(account_name.as_str()), text_of(body, "accountName"), "{name}");
                assert_eq!(Some(account_guid.as_str()), text_of(body, "accountGuid"), "{name}");
            }
            Request::GetCookie {
                authorization_cookies,
                old_cookie,
                protocol_version,
            } => {
                assert_eq!(
                    Some(protocol_version.as_str()),
                    text_of(body, "protocolVersion"),
                    "{name}"
                );
                assert_eq!(old_cookie.is_some(), body.contains("<oldCookie>"), "{name}");
                let plugins: Vec<&str> = authorization_cookies.iter().map(|c| c.plugin_id.as_str()).collect();
                assert_eq!(plugins, texts_of(body, "PlugInId"), "{name}");
                let data: Vec<&str> = authorization_cookies.iter().map(|c| c.cookie_data.as_str()).collect();
                assert_eq!(data, texts_of(body, "CookieData"), "{name}");
            }
            Request::GetConfigData { config_anchor, .. } => {
                assert_eq!(config_anchor.as_deref(), text_of(body, "configAnchor"), "{name}");
            }
            Request::GetRevisionIdList { filter, .. } => {
                let text = text_of(body, "filter").expect("filter");
                assert_eq!(filter.anchor.as_deref(), text_of(text, "Anchor"), "{name}");
                assert_eq!(Some(filter.get_config.to_string().as_str()), text_of(text, "GetConfig"));
                assert_eq!(filter.get_63_language_only, None, "{name}: no recorded client sends it");
                let pairs = |list: &[IdAndDelta]| list.iter().map(|e| (e.id.clone(), e.delta)).collect::<Vec<_>>();
                assert_eq!(
                    pairs(&filter.categories),
                    id_and_deltas(text_of(text, "Categories")),
                    "{name}"
                );
                assert_eq!(
                    pairs(&filter.classifications),
                    id_and_deltas(text_of(text, "Classifications")),
                    "{name}"
                );
                assert!(filter.languages.is_empty());
            }
            Request::GetUpdateData { update_ids, .. } => {
                assert_eq!(*update_ids, ids_in(body), "{name}");
                assert!(!update_ids.is_empty());
            }
        }
    }
    assert_eq!(seen.len(), Operation::ALL.len(), "every operation is recorded");
}

#[test]
fn every_recorded_response_parses_with_the_values_of_its_text() {
    let (mut answers, mut faults) = (0, 0);
    for ex in exchanges() {
        let name = ex.name();
        let body = ex.response.as_str();
        let parsed = Response::parse(ex.op(), body);
        if ex.status == 500 {
            let Err(WsusError::Fault(fault)) = parsed else {
                panic!("{name}: a fault was expected, got {parsed:?}");
            };
            assert_eq!(fault.error_code.as_deref(), text_of(body, "ErrorCode"), "{name}");
            assert!(fault.error_code.is_some(), "{name}");
            assert_eq!(
                fault.detail_message.as_deref(),
                text_of(body, "Message").filter(|m| !m.is_empty())
            );
            assert_eq!(fault.actor.as_deref(), text_of(body, "faultactor"), "{name}");
            assert_eq!(fault.id.as_deref(), text_of(body, "ID"), "{name}");
            assert_eq!(fault.method, text_of(body, "Method").map(unescape), "{name}");
            let quoted_action = format!("\"{}\"", ex.soap_action);
            assert_eq!(
                fault.method.as_deref(),
                Some(quoted_action.as_str()),
                "{name}: Method is the quoted action"
            );
            assert_eq!(parse_fault(body).as_ref(), Some(fault.as_ref()), "{name}");
            faults += 1;
            continue;
        }
        assert_eq!(ex.status, 200, "{name}");
        let response = parsed.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(response.operation(), ex.op(), "{name}");
        answers += 1;
        match &response {
            Response::AuthConfig(c) => {
                assert_eq!(Some(c.last_change.as_str()), text_of(body, "LastChange"), "{name}");
                assert_eq!(c.plugins.len(), texts_of(body, "AuthPlugInInfo").len(), "{name}");
                let p = &c.plugins[0];
                assert_eq!(Some(p.plugin_id.as_str()), text_of(body, "PlugInID"));
                assert_eq!(Some(p.service_url.as_str()), text_of(body, "ServiceUrl"));
                assert!(body.contains("<Parameter />"), "{name}: WSUS sends an empty Parameter");
                assert_eq!(p.parameter.as_deref(), Some(""), "{name}");
            }
            Response::AuthorizationCookie(c) => {
                assert_eq!(Some(c.plugin_id.as_str()), text_of(body, "PlugInId"), "{name}");
                assert_eq!(Some(c.cookie_data.as_str()), text_of(body, "CookieData"), "{name}");
            }
            Response::Cookie(c) => {
                assert_eq!(Some(c.expiration.as_str()), text_of(body, "Expiration"), "{name}");
                assert_eq!(
                    Some(c.encrypted_data.as_str()),
                    text_of(body, "EncryptedData"),
                    "{name}"
                );
            }
            Response::ConfigData(c) => check_config_data(c, body, &name),
            Response::RevisionIdList(list) => {
                assert_eq!(list.anchor.as_deref(), text_of(body, "Anchor"), "{name}");
                assert_eq!(list.new_revisions, ids_in(body), "{name}");
                assert_eq!(
                    list.new_revisions.is_empty(),
                    body.contains("<NewRevisions />"),
                    "{name}"
                );
            }
            Response::UpdateData(data) => {
                let records = texts_of(body, "ServerSyncUpdateData");
                assert_eq!(data.updates.len(), records.len(), "{name}");
                for (update, record) in data.updates.iter().zip(&records) {
                    assert_eq!(vec![update.id.clone()], ids_in(record), "{name}");
                    assert_eq!(update.file_digests, texts_of(record, "base64Binary"), "{name}");
                    let doc = parse_update(&update.xml).unwrap_or_else(|e| panic!("{name}: {e}"));
                    assert_eq!(doc.id, update.id, "{name}: the blob is the requested revision");
                }
                let urls = texts_of(body, "ServerSyncUrlData");
                assert_eq!(data.file_urls.len(), urls.len(), "{name}");
                for (url, text) in data.file_urls.iter().zip(urls) {
                    assert_eq!(Some(url.digest.as_str()), text_of(text, "FileDigest"));
                    assert_eq!(Some(url.mu_url.as_str()), text_of(text, "MUUrl"));
                    assert_eq!(url.uss_url, text_of(text, "UssUrl").unwrap_or_default());
                }
            }
        }
    }
    assert!(answers >= 30 && faults == 3, "{answers} answers, {faults} faults");
}

fn check_config_data(c: &ConfigData, body: &str, name: &str) {
    let t = |n: &str| text_of(body, n).unwrap_or_else(|| panic!("{name}: no {n}"));
    assert_eq!(c.catalog_only_sync.to_string(), t("CatalogOnlySync"), "{name}");
    assert_eq!(c.lazy_sync.to_string(), t("LazySync"), "{name}");
    assert_eq!(c.server_hosts_psf_files.to_string(), t("ServerHostsPsfFiles"), "{name}");
    assert_eq!(
        c.max_computer_ids_in_request.to_string(),
        t("MaxNumberOfComputerIdsInRequest")
    );
    assert_eq!(
        c.max_driver_sets_per_request.to_string(),
        t("MaxNumberOfDriverSetsPerRequest")
    );
    assert_eq!(
        c.max_pnp_hardware_ids_in_request.to_string(),
        t("MaxNumberOfPnpHardwareIdsInRequest")
    );
    assert_eq!(c.max_updates_per_request.to_string(), t("MaxNumberOfUpdatesPerRequest"));
    assert_eq!(
        c.max_updates_per_request_in_get_update_decryption_data.to_string(),
        t("MaxUpdatesPerRequestInGetUpdateDecryptionData")
    );
    assert_eq!(c.new_config_anchor.as_deref(), Some(t("NewConfigAnchor")), "{name}");
    assert_eq!(c.protocol_version.as_deref(), Some(t("ProtocolVersion")), "{name}");
    let records = texts_of(body, "ServerSyncLanguageData");
    assert_eq!(c.languages.len(), records.len(), "{name}");
    for (lang, record) in c.languages.iter().zip(records) {
        assert_eq!(
            Some(lang.language_id.to_string().as_str()),
            text_of(record, "LanguageID")
        );
        assert_eq!(Some(lang.short_language.as_str()), text_of(record, "ShortLanguage"));
        assert_eq!(Some(lang.long_language.as_str()), text_of(record, "LongLanguage"));
        assert_eq!(Some(lang.enabled.to_string().as_str()), text_of(record, "Enabled"));
    }
}

#[test]
fn operations_name_the_recorded_actions_and_paths() {
    for ex in exchanges() {
        let op = ex.op();
        assert_eq!(op.soap_action(), ex.soap_action, "{}", ex.name());
        assert_eq!(format!("\"{}\"", op.soap_action()), ex.header_action(), "{}", ex.name());
        assert_eq!(op.path(), ex.path, "{}", ex.name());
        assert_eq!(op.path(), ex.header_path(), "{}", ex.name());
        let root = format!("<{} xmlns=\"{}\"", op.name(), op.namespace());
        assert!(
            ex.request.contains(&root),
            "{}: operation element and namespace",
            ex.name()
        );
    }
    for op in Operation::ALL {
        assert_eq!(Operation::from_soap_action(op.soap_action()), Some(op));
        assert_eq!(
            Operation::from_soap_action(&format!(" \"{}\" ", op.soap_action())),
            Some(op)
        );
        assert!(op.soap_action().starts_with(op.namespace()));
    }
    assert_eq!(Operation::from_soap_action(""), None);
    assert_eq!(
        Operation::from_soap_action("http://www.microsoft.com/SoftwareDistribution/GetAuthorizationCookie"),
        None
    );
    assert_eq!(Operation::from_soap_action("GetCookie"), None);
}

// ---- 2. our requests have the recorded structure -------------------------------------------

#[test]
fn our_requests_have_the_structure_of_the_recorded_ones() {
    for ex in exchanges() {
        let req = Request::parse(&ex.soap_action, &ex.request).unwrap_or_else(|e| panic!("{}: {e}", ex.name()));
        let ours = req.to_xml();
        assert_same_structure(&ours, &structure(&ex.request), &ex.name());
        assert!(ours.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
    }
}

#[test]
fn the_update_filter_helper_writes_what_the_recorded_clients_sent() {
    // 000009: first pass, no anchor, Delta false; 000011: same ids with an anchor, Delta true.
    for dir in ["000009", "000011"] {
        let path = fixtures().join("wsusss/exchanges").join(dir).join("request.body");
        let body = read(&path);
        let Ok(Request::GetRevisionIdList { cookie, filter }) =
            Request::parse(Operation::GetRevisionIdList.soap_action(), &body)
        else {
            panic!("{dir}: a GetRevisionIdList");
        };
        let products = id_and_deltas(text_of(&body, "Categories"))
            .into_iter()
            .map(|(id, _)| id);
        let classes = id_and_deltas(text_of(&body, "Classifications"))
            .into_iter()
            .map(|(id, _)| id);
        let anchor = text_of(&body, "Anchor").map(str::to_owned);
        let built = ServerSyncFilter::updates(anchor.clone(), products, classes);
        assert_eq!(built, filter, "{dir}");
        assert!(built
            .categories
            .iter()
            .chain(&built.classifications)
            .all(|e| e.delta == anchor.is_some()));
        let ours = Request::GetRevisionIdList { cookie, filter: built }.to_xml();
        assert_same_structure(&ours, &structure(&body), dir);
    }
    let config = fixtures().join("wsusss/exchanges/000006/request.body");
    let Ok(Request::GetRevisionIdList { filter, .. }) =
        Request::parse(Operation::GetRevisionIdList.soap_action(), &read(&config))
    else {
        panic!("000006: a GetRevisionIdList");
    };
    assert_eq!(filter, ServerSyncFilter::config(None));
}

#[test]
fn the_cookie_get_cookie_returns_is_the_one_later_calls_send() {
    // Within one unbroken run of recorded exchanges (the client recordings skip numbers
    // between runs).
    for set in ["wsusss/exchanges", "wsusss/exchanges-client"] {
        let mut current: Option<Cookie> = None;
        let mut checked = 0;
        let mut previous = 0u32;
        for ex in exchanges()
            .into_iter()
            .filter(|e| e.dir.starts_with(fixtures().join(set)))
        {
            let number: u32 = ex
                .dir
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            if number != previous + 1 {
                current = None;
            }
            previous = number;
            if let Ok(Response::Cookie(cookie)) = Response::parse(ex.op(), &ex.response) {
                current = Some(cookie);
                continue;
            }
            let req = Request::parse(&ex.soap_action, &ex.request).expect("request parses");
            if let (Some(sent), Some(issued)) = (req.cookie(), &current) {
                assert_eq!(sent.expiration, issued.expiration, "{}", ex.name());
                checked += 1;
            }
        }
        assert!(checked > 0, "{set}");
    }
}

// ---- 3. our answers have the recorded structure --------------------------------------------

#[test]
fn our_answers_have_the_structure_of_the_recorded_ones() {
    let mut swapped = 0;
    for ex in exchanges().into_iter().filter(|e| e.status == 200) {
        let name = ex.name();
        let response = Response::parse(ex.op(), &ex.response).unwrap_or_else(|e| panic!("{name}: {e}"));
        let ours = response.to_xml();
        let mut recorded = structure(&ex.response);
        swapped += compressed_to_plain(&mut recorded);
        assert_same_structure(&ours, &recorded, &name);
        assert!(!ours.contains("XmlUpdateBlobCompressed"), "{name}");
    }
    assert!(
        swapped >= 3,
        "the compressed answers 000013, 000014 and 000016 were compared"
    );
}

#[test]
fn our_faults_have_the_structure_of_the_recorded_ones() {
    for ex in exchanges().into_iter().filter(|e| e.status == 500) {
        let name = ex.name();
        let Err(WsusError::Fault(fault)) = Response::parse(ex.op(), &ex.response) else {
            panic!("{name}: a fault");
        };
        let recorded = structure(&ex.response);
        assert_same_structure(&fault.to_xml(), &recorded, &name);

        // What a Patchdeck upstream writes for the same error, from scratch.
        let code = fault.error_code.as_deref().unwrap_or_default();
        let message = fault.detail_message.as_deref().unwrap_or_default();
        assert_same_structure(&fault_xml(code, message), &recorded, &name);
        let ours = SoapFault::wsus(code, message).for_call(ex.op(), fault.actor.as_deref().unwrap_or_default());
        let again = parse_fault(&ours.to_xml()).expect("our fault reads back");
        assert_eq!(again, ours, "{name}");
        assert_eq!(
            (again.code.as_str(), again.message.as_str(), again.method.as_deref()),
            (fault.code.as_str(), fault.message.as_str(), fault.method.as_deref()),
            "{name}: same faultcode, faultstring and Method as WSUS"
        );
    }
}

#[test]
fn blobs_we_write_plain_decode_to_the_recorded_documents() {
    let mut compared = 0;
    for ex in exchanges()
        .into_iter()
        .filter(|e| e.status == 200 && e.op() == Operation::GetUpdateData)
    {
        let Ok(Response::UpdateData(recorded)) = Response::parse(ex.op(), &ex.response) else {
            panic!("{}: update data", ex.name());
        };
        let ours = Response::UpdateData(recorded.clone()).to_xml();
        let Ok(Response::UpdateData(back)) = Response::parse(Operation::GetUpdateData, &ours) else {
            panic!("{}: our answer reads back", ex.name());
        };
        assert_eq!(back, recorded, "{}", ex.name());
        for (a, b) in back.updates.iter().zip(&recorded.updates) {
            assert_eq!(a.xml, b.xml);
            assert_eq!(parse_update(&a.xml).ok(), parse_update(&b.xml).ok());
            compared += 1;
        }
        // The old reader reads our answers too.
        assert_eq!(wsus::parse_get_update_data_response(&ours).ok(), Some(recorded.updates));
    }
    assert!(compared >= 4);
}

// ---- 4. round trips ------------------------------------------------------------------------

#[test]
fn recorded_messages_survive_a_round_trip() {
    for ex in exchanges() {
        let req = Request::parse(&ex.soap_action, &ex.request).expect("request");
        assert_eq!(
            Request::parse(&ex.soap_action, &req.to_xml()).as_ref(),
            Ok(&req),
            "{}",
            ex.name()
        );
        match Response::parse(ex.op(), &ex.response) {
            Ok(resp) => assert_eq!(
                Response::parse(ex.op(), &resp.to_xml()).as_ref(),
                Ok(&resp),
                "{}",
                ex.name()
            ),
            Err(WsusError::Fault(fault)) => {
                let again = Response::parse(ex.op(), &fault.to_xml());
                assert_eq!(again, Err(WsusError::Fault(fault)), "{}", ex.name());
            }
            Err(e) => panic!("{}: {e}", ex.name()),
        }
    }
}

/// Text that must be escaped, kept or normalised with care.
const AWKWARD: &str = "a<b>&c \"q\" 'a' </cookie><x/> ]]> \u{a0}é中\u{1f600}\r\nline\ttab";

fn cookie(n: u8) -> Cookie {
    Cookie {
        expiration: format!("2026-10-0{n}T20:33:26.65455Z"),
        encrypted_data: format!("QUJD{n}A=="),
    }
}

fn revision(n: u8, revision: i64) -> RevisionId {
    RevisionId {
        update_id: format!("{n:08x}-0000-4000-8000-00000000000{}", n % 10),
        revision,
    }
}

fn sample_requests() -> Vec<Request> {
    vec![
        Request::GetAuthConfig,
        Request::GetAuthorizationCookie {
            account_name: AWKWARD.into(),
            account_guid: "6f1c2f6e-3f0b-4d3a-9b1e-0d2f6a1c5e12".into(),
        },
        Request::GetAuthorizationCookie {
            account_name: String::new(),
            account_guid: "6f1c2f6e-3f0b-4d3a-9b1e-0d2f6a1c5e12".into(),
        },
        Request::GetCookie {
            authorization_cookies: vec![
                AuthorizationCookie {
                    plugin_id: "DssTargeting".into(),
                    cookie_data: "AAAA".into(),
                },
                AuthorizationCookie {
                    plugin_id: AWKWARD.into(),
                    cookie_data: String::new(),
                },
            ],
            old_cookie: Some(cookie(1)),
            protocol_version: PROTOCOL_VERSION.into(),
        },
        Request::GetCookie {
            authorization_cookies: Vec::new(),
            old_cookie: None,
            protocol_version: String::new(),
        },
        Request::GetConfigData {
            cookie: Some(cookie(2)),
            config_anchor: Some(AWKWARD.into()),
        },
        Request::GetConfigData {
            cookie: None,
            config_anchor: None,
        },
        Request::GetRevisionIdList {
            cookie: Some(cookie(3)),
            filter: ServerSyncFilter {
                anchor: Some("9438,2026-10-04 16:09:27.371".into()),
                get_config: false,
                get_63_language_only: Some(false),
                categories: vec![IdAndDelta {
                    id: revision(1, 0).update_id,
                    delta: true,
                }],
                classifications: vec![
                    IdAndDelta {
                        id: revision(2, 0).update_id,
                        delta: false,
                    },
                    IdAndDelta {
                        id: revision(3, 0).update_id,
                        delta: true,
                    },
                ],
                languages: vec![
                    LanguageAndDelta { id: 1033, delta: true },
                    LanguageAndDelta { id: -1, delta: false },
                ],
            },
        },
        Request::GetRevisionIdList {
            cookie: None,
            filter: ServerSyncFilter::config(None),
        },
        Request::GetUpdateData {
            cookie: Some(cookie(4)),
            update_ids: vec![revision(5, 200), revision(6, i64::from(i32::MAX))],
        },
        Request::GetUpdateData {
            cookie: Some(cookie(5)),
            update_ids: Vec::new(),
        },
    ]
}

fn sample_responses() -> Vec<Response> {
    let update_xml = read(&sorted_dir(&fixtures().join("wsusss/updates"))[0]);
    vec![
        Response::AuthConfig(AuthConfig {
            last_change: "2026-10-04T13:16:35.433Z".into(),
            plugins: vec![
                AuthPlugInInfo {
                    plugin_id: "DssTargeting".into(),
                    service_url: "DssAuthWebService/DssAuthWebService.asmx".into(),
                    parameter: None,
                },
                AuthPlugInInfo {
                    plugin_id: AWKWARD.into(),
                    service_url: String::new(),
                    parameter: Some(AWKWARD.into()),
                },
            ],
        }),
        Response::AuthConfig(AuthConfig {
            last_change: "x".into(),
            plugins: Vec::new(),
        }),
        Response::AuthorizationCookie(AuthorizationCookie {
            plugin_id: "DssTargeting".into(),
            cookie_data: AWKWARD.into(),
        }),
        Response::Cookie(cookie(6)),
        Response::ConfigData(ConfigData {
            catalog_only_sync: true,
            lazy_sync: false,
            server_hosts_psf_files: true,
            max_computer_ids_in_request: 200,
            max_driver_sets_per_request: 100,
            max_pnp_hardware_ids_in_request: 450,
            max_updates_per_request: 100,
            new_config_anchor: Some(AWKWARD.into()),
            protocol_version: Some("1.21".into()),
            languages: vec![LanguageData {
                language_id: 0,
                short_language: "all".into(),
                long_language: AWKWARD.into(),
                enabled: true,
            }],
            max_updates_per_request_in_get_update_decryption_data: -5,
        }),
        Response::ConfigData(ConfigData {
            catalog_only_sync: false,
            lazy_sync: true,
            server_hosts_psf_files: false,
            max_computer_ids_in_request: 0,
            max_driver_sets_per_request: 0,
            max_pnp_hardware_ids_in_request: 0,
            max_updates_per_request: 0,
            new_config_anchor: None,
            protocol_version: None,
            languages: Vec::new(),
            max_updates_per_request_in_get_update_decryption_data: 0,
        }),
        Response::RevisionIdList(RevisionIdList {
            anchor: Some("9438,2026-10-04 16:33:26.671".into()),
            new_revisions: vec![revision(7, 1), revision(7, 100), revision(8, 2)],
        }),
        Response::RevisionIdList(RevisionIdList {
            anchor: None,
            new_revisions: Vec::new(),
        }),
        Response::UpdateData(UpdateData {
            updates: vec![
                ServerSyncUpdateData {
                    id: revision(9, 200),
                    file_digests: vec!["h/W9BGlYUAaqXTp30cZi/SiV3c0=".into(), "AAAA".into()],
                    xml: update_xml.clone(),
                    compressed: None,
                },
                ServerSyncUpdateData {
                    id: revision(10, 1),
                    file_digests: Vec::new(),
                    xml: format!("\n  {AWKWARD}\n"),
                    compressed: None,
                },
            ],
            file_urls: vec![FileUrl {
                digest: "h/W9BGlYUAaqXTp30cZi/SiV3c0=".into(),
                mu_url: "http://download.windowsupdate.com/a?b=1&c=<2>".into(),
                uss_url: "Content/CD/87F5BD0469585006AA5D3A77D1C662FD2895DDCD.exe".into(),
            }],
        }),
        Response::UpdateData(UpdateData {
            updates: Vec::new(),
            file_urls: Vec::new(),
        }),
    ]
}

#[test]
fn every_request_kind_survives_a_round_trip() {
    let samples = sample_requests();
    let mut kinds = std::collections::BTreeSet::new();
    for req in samples {
        kinds.insert(req.operation());
        let xml = req.to_xml();
        assert_eq!(
            Request::parse(req.operation().soap_action(), &xml),
            Ok(req.clone()),
            "{xml}"
        );
        structure(&xml); // well-formed for an independent reader too
    }
    assert_eq!(kinds.len(), Operation::ALL.len());
}

#[test]
fn every_response_kind_survives_a_round_trip() {
    let mut kinds = std::collections::BTreeSet::new();
    for resp in sample_responses() {
        let op = resp.operation();
        kinds.insert(op);
        let xml = resp.to_xml();
        assert_eq!(Response::parse(op, &xml), Ok(resp.clone()), "{xml}");
        structure(&xml);
    }
    assert_eq!(kinds.len(), Operation::ALL.len());
}

#[test]
fn faults_survive_a_round_trip() {
    let full = SoapFault {
        code: "Client".into(),
        message: AWKWARD.into(),
        error_code: Some(error_codes::INVALID_PARAMETERS.into()),
        detail_message: Some("filter".into()),
        actor: Some("http://127.0.0.1:8530/ServerSyncWebService/ServerSyncWebService.asmx".into()),
        id: Some("94327110-fc7e-4c3c-878d-186ab273d9fd".into()),
        method: Some(format!("\"{}\"", Operation::GetRevisionIdList.soap_action())),
    };
    let bare = SoapFault {
        code: "Server".into(),
        message: "boom".into(),
        ..SoapFault::default()
    };
    for fault in [full, bare] {
        for op in Operation::ALL {
            let xml = fault.to_xml();
            assert_eq!(
                Response::parse(op, &xml),
                Err(WsusError::Fault(Box::new(fault.clone())))
            );
        }
    }
    for code in [
        error_codes::INVALID_COOKIE,
        error_codes::INVALID_PARAMETERS,
        error_codes::INTERNAL_SERVER_ERROR,
        error_codes::INVALID_AUTHORIZATION_COOKIE,
        error_codes::INCOMPATIBLE_PROTOCOL_VERSION,
    ] {
        let fault = parse_fault(&fault_xml(code, AWKWARD)).expect("a fault");
        assert_eq!(fault.error_code.as_deref(), Some(code));
        assert_eq!(fault.detail_message.as_deref(), Some(AWKWARD));
        assert!(fault.id.is_some());
        assert!(fault.to_string().contains(code));
    }
}

// ---- 5. hostile and broken input -----------------------------------------------------------

#[test]
fn protocol_samples_are_refused_or_read_never_panic() {
    for path in sorted_dir(&fixtures().join("protocol-samples")) {
        let text = read(&path);
        for op in Operation::ALL {
            let _ = Request::parse(op.soap_action(), &text);
            let _ = Response::parse(op, &text);
        }
    }

    let dtd = sample("dtd_external_entity.xml");
    for op in Operation::ALL {
        for err in [
            Request::parse(op.soap_action(), &dtd).expect_err("a DTD is refused"),
            Response::parse(op, &dtd).expect_err("a DTD is refused"),
        ] {
            assert!(
                matches!(&err, WsusError::MalformedXml { .. }) && err.to_string().contains("DTD"),
                "{err}"
            );
        }
    }
    // Refused as soon as the body holds a client-protocol `GetConfig`, before the breakage.
    let malformed = sample("malformed_unclosed.xml");
    for op in Operation::ALL {
        assert!(Request::parse(op.soap_action(), &malformed).is_err());
        assert!(Response::parse(op, &malformed).is_err());
    }
    let update = sample("metadata_update_core.xml");
    assert!(matches!(
        Response::parse(Operation::GetUpdateData, &update),
        Err(WsusError::UnexpectedElement {
            expected: "Envelope",
            ..
        })
    ));
    // Client-protocol ([MS-WUSP]) messages with WSUSSS names are another namespace.
    let wusp_request = sample("wusp_getcookie_request_soap12.xml");
    assert!(matches!(
        Request::parse(Operation::GetCookie.soap_action(), &wusp_request),
        Err(WsusError::WrongNamespace {
            element: "GetCookie",
            ..
        })
    ));
    let wusp_answer = sample("wusp_cookie_alt_namespace_children.xml");
    assert!(matches!(
        Response::parse(Operation::GetCookie, &wusp_answer),
        Err(WsusError::WrongNamespace {
            element: "GetCookieResponse",
            ..
        })
    ));
    // Faults of every shape are faults, whatever was asked.
    for name in [
        "fault_soap11_invalid_cookie.xml",
        "fault_soap11_no_errorcode.xml",
        "fault_soap12_wsusss_detail.xml",
    ] {
        let text = sample(name);
        let expected = parse_fault(&text).expect("a fault");
        assert_eq!(
            Response::parse(Operation::GetRevisionIdList, &text),
            Err(WsusError::Fault(Box::new(expected.clone()))),
            "{name}"
        );
        assert_eq!(expected.error_code.as_deref(), text_of(&text, "ErrorCode"), "{name}");
        assert_eq!(expected.detail_message.as_deref(), text_of(&text, "Message"), "{name}");
    }
}

#[test]
fn microsofts_own_config_answer_is_read() {
    let body = sample("microsoft_sync_config_20261006.xml");
    let Ok(Response::ConfigData(config)) = Response::parse(Operation::GetConfigData, &body) else {
        panic!("Microsoft's GetConfigData answer parses");
    };
    check_config_data(&config, &body, "microsoft_sync_config");
    assert_eq!(
        Response::parse(Operation::GetConfigData, &Response::ConfigData(config.clone()).to_xml()),
        Ok(Response::ConfigData(config))
    );
}

#[test]
fn a_request_must_match_its_soap_action() {
    let ex = exchanges();
    let cookie_call = ex
        .iter()
        .find(|e| e.op() == Operation::GetCookie)
        .expect("a recorded GetCookie");
    let err = Request::parse(Operation::GetConfigData.soap_action(), &cookie_call.request);
    assert!(
        matches!(
            err,
            Err(WsusError::UnexpectedElement {
                expected: "GetConfigData",
                ..
            })
        ),
        "{err:?}"
    );
    let err = Request::parse("\"http://example.test/GetCookie\"", &cookie_call.request);
    assert!(
        matches!(
            err,
            Err(WsusError::InvalidValue {
                field: "SOAPAction",
                ..
            })
        ),
        "{err:?}"
    );
    // The DSS operation in the ServerSync namespace is not the DSS operation.
    let auth = ex
        .iter()
        .find(|e| e.op() == Operation::GetAuthorizationCookie)
        .expect("a recorded GetAuthorizationCookie");
    let moved = auth.request.replace(
        Operation::GetAuthorizationCookie.namespace(),
        Operation::GetCookie.namespace(),
    );
    let err = Request::parse(Operation::GetAuthorizationCookie.soap_action(), &moved);
    assert!(matches!(err, Err(WsusError::WrongNamespace { .. })), "{err:?}");
    // An answer to another operation is not this operation's answer.
    let err = Response::parse(Operation::GetConfigData, &cookie_call.response);
    assert!(matches!(err, Err(WsusError::UnexpectedElement { .. })), "{err:?}");
}

#[test]
fn bad_values_are_errors_that_name_the_field() {
    let ex = exchanges();
    let find = |op: Operation, needle: &str| {
        ex.iter()
            .find(|e| e.op() == op && e.request.contains(needle))
            .unwrap_or_else(|| panic!("a recorded {op:?} with {needle}"))
    };
    let list = find(Operation::GetRevisionIdList, "<Delta>");
    let cases = [
        (list.request.replacen("<Delta>", "<Delta>maybe", 1), "IdAndDelta/Delta"),
        (list.request.replacen("<Id>", "<Id>zz", 1), "IdAndDelta/Id"),
        (
            list.request.replacen("<GetConfig>false", "<GetConfig>nope", 1),
            "filter/GetConfig",
        ),
    ];
    for (body, field) in cases {
        let err = Request::parse(&list.soap_action, &body).expect_err(field);
        assert!(
            matches!(&err, WsusError::InvalidValue { field: f, .. } if *f == field),
            "{err}"
        );
    }
    let no_config = list.request.replacen("<GetConfig>false</GetConfig>", "", 1);
    assert_eq!(
        Request::parse(&list.soap_action, &no_config),
        Err(WsusError::MissingElement("filter/GetConfig"))
    );
    let data = find(Operation::GetUpdateData, "<RevisionNumber>");
    let err = Request::parse(
        &data.soap_action,
        &data.request.replacen("<RevisionNumber>", "<RevisionNumber>x", 1),
    );
    assert!(matches!(err, Err(WsusError::InvalidValue { .. })), "{err:?}");
    let config = ex
        .iter()
        .find(|e| e.op() == Operation::GetConfigData && e.status == 200)
        .expect("a recorded GetConfigData");
    let body = config.response.replacen(
        "<MaxNumberOfUpdatesPerRequest>100<",
        "<MaxNumberOfUpdatesPerRequest>many<",
        1,
    );
    assert!(matches!(
        Response::parse(Operation::GetConfigData, &body),
        Err(WsusError::InvalidValue {
            field: "ConfigData/MaxNumberOfUpdatesPerRequest",
            ..
        })
    ));
}

#[test]
fn every_truncation_of_a_recorded_message_is_an_error() {
    for ex in exchanges() {
        let name = ex.name();
        for part in prefixes(&ex.request, 400) {
            let result = Request::parse(&ex.soap_action, part);
            assert!(
                matches!(result, Err(WsusError::MalformedXml { .. })),
                "{name} request cut at {}: {result:?}",
                part.len()
            );
            assert!(
                Response::parse(ex.op(), part).is_err(),
                "{name} request cut at {}",
                part.len()
            );
        }
        // Faults included: a fault in a document cut short is no fault.
        for part in prefixes(&ex.response, 400) {
            let result = Response::parse(ex.op(), part);
            assert!(
                matches!(result, Err(WsusError::MalformedXml { .. })),
                "{name} response cut at {}: {result:?}",
                part.len()
            );
            assert!(
                Request::parse(&ex.soap_action, part).is_err(),
                "{name} response cut at {}",
                part.len()
            );
        }
    }
}

#[test]
fn corrupted_recordings_never_panic() {
    for ex in exchanges() {
        for text in [&ex.request, &ex.response] {
            for bad in noisy_copies(text) {
                let _ = Request::parse(&ex.soap_action, &bad);
                let _ = Response::parse(ex.op(), &bad);
            }
        }
    }
}

#[test]
fn deeply_nested_unknown_elements_are_passed_over_without_recursion() {
    let depth = 200_000;
    let open = "<x>".repeat(depth);
    let close = "</x>".repeat(depth);
    let body = format!(
        "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>\
         <GetCookie xmlns=\"{}\">{open}{close}<protocolVersion>1.20</protocolVersion></GetCookie>\
         </soap:Body></soap:Envelope>",
        Operation::GetCookie.namespace()
    );
    let parsed = Request::parse(Operation::GetCookie.soap_action(), &body);
    assert!(
        matches!(&parsed, Ok(Request::GetCookie { protocol_version, .. }) if protocol_version == "1.20"),
        "{parsed:?}"
    );
    let unclosed = body.replacen("</x>", "", 1);
    assert!(Request::parse(Operation::GetCookie.soap_action(), &unclosed).is_err());
}

#[test]
fn the_structure_helper_sees_names_and_namespaces_but_not_prefixes_or_text() {
    let a = structure(r#"<p:A xmlns:p="urn:a" k="1"><p:B>text</p:B><C/></p:A>"#);
    let same = structure("<q:A xmlns:q=\"urn:a\" k=\"2\">\n  <q:B/>\n  <C>other text</C>\n</q:A>");
    assert_eq!(render(&a), render(&same));
    let other_ns = structure(r#"<p:A xmlns:p="urn:b" k="1"><p:B/><C/></p:A>"#);
    let other_attr = structure(r#"<p:A xmlns:p="urn:a" j="1"><p:B/><C/></p:A>"#);
    let other_order = structure(r#"<p:A xmlns:p="urn:a" k="1"><C/><p:B/></p:A>"#);
    for different in [other_ns, other_attr, other_order] {
        assert_ne!(render(&a), render(&different));
    }
}

/// Stronger than the structure: what we write is the recorded bytes, for every message but
/// the answers whose blobs WSUS compressed.
#[test]
fn our_messages_are_the_recorded_bytes_except_compressed_blobs() {
    let mut identical = 0;
    for ex in exchanges() {
        let name = ex.name();
        let req = Request::parse(&ex.soap_action, &ex.request).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(req.to_xml(), ex.request, "{name}: request");
        let ours = match Response::parse(ex.op(), &ex.response) {
            Ok(response) => response.to_xml(),
            Err(WsusError::Fault(fault)) => fault.to_xml(),
            Err(e) => panic!("{name}: {e}"),
        };
        if ex.response.contains("<XmlUpdateBlobCompressed>") {
            assert_ne!(ours, ex.response);
        } else {
            assert_eq!(ours, ex.response, "{name}: response");
            identical += 1;
        }
    }
    assert!(identical >= 30, "{identical}");
}

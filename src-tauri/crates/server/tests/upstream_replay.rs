//! This site as the upstream of a real WSUS downstream: every captured MS-WSUSSS exchange
//! (`wsusss/exchanges-client`, a downstream importer's runs, then `wsusss/exchanges`, in the
//! order they were recorded) is sent over HTTP to `patchdeck serve` holding the captured
//! update documents. Cookies and anchors are substituted with the ones this site gave, as a
//! downstream would have held them; our answer must have the captured answer's structure
//! (element names, namespaces and order; faults by code and ErrorCode) and the values the
//! issue lists (GetConfigData's) must be equal too.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use serde_json::Value;
use wsus::protocol::ConfigData;
use wsus::{Operation, Response};

struct Exchange {
    name: String,
    path: String,
    action: String,
    timestamp: String,
    request: String,
    status: u16,
    response: String,
}

fn exchanges(folder: &str) -> Vec<Exchange> {
    let root = fixtures().join("wsusss").join(folder);
    let mut out = Vec::new();
    for dir in xml_files(&root).into_iter().filter(|d| d.is_dir()) {
        let meta: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("meta.json")).expect("meta")).expect("json");
        let text = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_default();
        out.push(Exchange {
            name: format!("{folder}/{}", dir.file_name().expect("name").to_string_lossy()),
            path: meta["path"].as_str().expect("path").to_string(),
            action: meta["soap_action"].as_str().expect("action").to_string(),
            timestamp: meta["timestamp"].as_str().expect("timestamp").to_string(),
            request: text("request.body"),
            status: meta["status"].as_u64().expect("status") as u16,
            response: text("response.body"),
        });
    }
    out
}

/// The element tree by expanded names. Runs of same-shaped siblings count once, since the
/// captured lists were trimmed (30 of 24,509 revisions) and this site holds other numbers.
#[derive(Debug, Clone, PartialEq)]
struct Shape {
    name: String,
    children: Vec<Shape>,
}

fn shape(xml: &str) -> Shape {
    let mut reader = NsReader::from_str(xml);
    let mut stack: Vec<Shape> = Vec::new();
    let named = |reader: &NsReader<&[u8]>, e: &quick_xml::events::BytesStart| {
        let (ns, local) = reader.resolve_element(e.name());
        let ns = match ns {
            ResolveResult::Bound(n) => String::from_utf8_lossy(n.as_ref()).into_owned(),
            _ => String::new(),
        };
        Shape {
            name: format!("{{{ns}}}{}", String::from_utf8_lossy(local.as_ref())),
            children: Vec::new(),
        }
    };
    loop {
        let done = match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                let s = named(&reader, &e);
                stack.push(s);
                continue;
            }
            Event::Empty(e) => named(&reader, &e),
            Event::End(_) => stack.pop().expect("balanced"),
            Event::Eof => panic!("document ended early"),
            _ => continue,
        };
        match stack.last_mut() {
            Some(parent) => {
                if parent.children.last() != Some(&done) {
                    parent.children.push(done);
                }
            }
            None => return done,
        }
    }
}

/// The text of the first `<name>` element, if any.
fn text_of<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{name}>"))? + start;
    Some(&xml[start..end])
}

/// `xml` with the text of every `<name>` element mapped by `f`.
fn replace_texts(xml: &str, name: &str, mut f: impl FnMut(&str) -> String) -> String {
    let (open, close) = (format!("<{name}>"), format!("</{name}>"));
    let mut out = String::new();
    let mut rest = xml;
    while let Some(s) = rest.find(&open) {
        let body = s + open.len();
        let Some(e) = rest[body..].find(&close) else { break };
        out.push_str(&rest[..body]);
        out.push_str(&f(&rest[body..body + e]));
        rest = &rest[body + e..];
    }
    out.push_str(rest);
    out
}

/// What a downstream holds from this site: cookies, and anchors by the captured ones.
#[derive(Default)]
struct Held {
    auth_cookie: String,
    cookie: (String, String),
    anchors: HashMap<String, String>,
    /// The latest anchor of each kind, for captured anchors from runs not recorded.
    latest: HashMap<&'static str, String>,
}

fn anchor_kind(request: &str, element: &str) -> &'static str {
    match (element, request.contains("<GetConfig>true</GetConfig>")) {
        ("configAnchor" | "NewConfigAnchor", _) => "config",
        (_, true) => "categories",
        (_, false) => "updates",
    }
}

impl Held {
    fn substitute(&self, request: &str) -> String {
        let mut r = replace_texts(request, "CookieData", |_| self.auth_cookie.clone());
        if r.contains("<cookie>") {
            r = replace_texts(&r, "Expiration", |_| self.cookie.0.clone());
            r = replace_texts(&r, "EncryptedData", |_| self.cookie.1.clone());
        }
        for element in ["Anchor", "configAnchor"] {
            let kind = anchor_kind(request, element);
            r = replace_texts(&r, element, |captured| match self.anchors.get(captured) {
                Some(ours) => ours.clone(),
                // A WSUS anchor (`<n>,<time>`) from a run that was not recorded: the one
                // this site gave last for that kind. Anything else is sent as captured.
                None if captured.contains(',') => self.latest.get(kind).cloned().unwrap_or_default(),
                None => captured.to_string(),
            });
        }
        r
    }

    fn learn(&mut self, request: &str, captured: &str, ours: &str) {
        if let Some(c) = text_of(ours, "CookieData") {
            self.auth_cookie = c.to_string();
        }
        if let (Some(e), Some(d)) = (text_of(ours, "Expiration"), text_of(ours, "EncryptedData")) {
            self.cookie = (e.to_string(), d.to_string());
        }
        for element in ["Anchor", "NewConfigAnchor"] {
            if let (Some(c), Some(o)) = (text_of(captured, element), text_of(ours, element)) {
                self.anchors.insert(c.to_string(), o.to_string());
                self.latest.insert(anchor_kind(request, element), o.to_string());
            }
        }
    }
}

fn post(base: &str, ex: &Exchange, body: &str) -> (u16, String) {
    let answer = ureq::post(&format!("{base}{}", ex.path))
        .set("Content-Type", "text/xml; charset=utf-8")
        .set("SOAPAction", &format!("\"{}\"", ex.action))
        .send_string(body);
    match answer {
        Ok(r) => (r.status(), r.into_string().expect("body")),
        Err(ureq::Error::Status(s, r)) => (s, r.into_string().expect("body")),
        Err(e) => panic!("{}: {e}", ex.name),
    }
}

/// Why our answer differs from the captured one, or None when it matches.
fn difference(base: &str, ex: &Exchange, status: u16, ours: &str) -> Option<String> {
    if status != ex.status {
        return Some(format!("status {status}, captured {}", ex.status));
    }
    let (a, b) = (shape(ours), shape(&ex.response));
    if a != b {
        return Some(format!("structure differs\n--- ours\n{a:#?}\n--- captured\n{b:#?}"));
    }
    if status == 500 {
        for element in ["faultcode", "ErrorCode"] {
            if text_of(ours, element) != text_of(&ex.response, element) {
                return Some(format!("{element} {:?}", text_of(ours, element)));
            }
        }
        let actor = format!("{base}{}", ex.path);
        if text_of(ours, "faultactor") != Some(actor.as_str()) {
            return Some(format!("faultactor {:?}, want {actor}", text_of(ours, "faultactor")));
        }
        return None;
    }
    let op = Operation::from_soap_action(&ex.action).expect("operation");
    if op == Operation::GetConfigData {
        let config = |xml: &str| -> ConfigData {
            match Response::parse(op, xml) {
                Ok(Response::ConfigData(c)) => c,
                other => panic!("{}: config data: {other:?}", ex.name),
            }
        };
        let (mut a, b) = (config(ours), config(&ex.response));
        if a.new_config_anchor.is_none() {
            return Some("no NewConfigAnchor".into());
        }
        a.new_config_anchor.clone_from(&b.new_config_anchor);
        if a != b {
            return Some(format!("values differ\n--- ours\n{a:#?}\n--- captured\n{b:#?}"));
        }
    }
    None
}

#[test]
fn a_real_downstreams_exchanges_get_wsus_shaped_answers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    assert!(patchdeck(&site)
        .arg("import-xml")
        .args(xml_files(&fixtures().join("wsusss/updates")))
        .status()
        .expect("import")
        .success());
    let served = serve(&site, TOKEN);

    let mut all = exchanges("exchanges-client");
    all.extend(exchanges("exchanges"));
    all.sort_by(|a, b| a.timestamp.cmp(&b.timestamp));
    let total = all.len();
    assert_eq!(total, 35, "16 + 19 captured exchanges");

    let mut held = Held::default();
    let mut differ = Vec::new();
    for ex in &all {
        let body = held.substitute(&ex.request);
        let (status, ours) = post(&served.base, ex, &body);
        if let Some(why) = difference(&served.base, ex, status, &ours) {
            differ.push(format!("{}: {why}", ex.name));
        }
        held.learn(&ex.request, &ex.response, &ours);
    }
    let matched = total - differ.len();
    println!("{matched} of {total} exchanges answered as WSUS answered them");
    assert!(
        differ.is_empty(),
        "{matched} of {total} match:\n{}",
        differ.join("\n\n")
    );
}

/// The update documents this site serves, by `<id>-r<revision>`.
fn documents() -> Vec<(String, i64, PathBuf)> {
    xml_files(&fixtures().join("wsusss/updates"))
        .into_iter()
        .map(|p| {
            let stem = p.file_stem().expect("stem").to_string_lossy().into_owned();
            let (id, rev) = stem.rsplit_once("-r").expect("<id>-r<revision>");
            (id.to_string(), rev.parse().expect("revision"), p)
        })
        .collect()
}

/// Authenticates as a downstream declaring `version`; the cookie's SOAP fragment.
fn cookie_for(base: &str, version: &str) -> String {
    let call = |op: Operation, body: String| {
        let env = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>{body}</soap:Body></soap:Envelope>"
        );
        ureq::post(&format!("{base}{}", op.path()))
            .set("Content-Type", "text/xml; charset=utf-8")
            .set("SOAPAction", &format!("\"{}\"", op.soap_action()))
            .send_string(&env)
            .expect("call")
            .into_string()
            .expect("body")
    };
    let auth = call(
        Operation::GetAuthorizationCookie,
        format!(
            "<GetAuthorizationCookie xmlns=\"{}\"><accountName>dss.lab.invalid</accountName><accountGuid>6f1c2f6e-3f0b-4d3a-9b1e-0d2f6a1c5e11</accountGuid></GetAuthorizationCookie>",
            wsus::protocol::DSS_AUTH_NAMESPACE
        ),
    );
    let data = text_of(&auth, "CookieData").expect("auth cookie").to_string();
    let cookie = call(
        Operation::GetCookie,
        format!(
            "<GetCookie xmlns=\"{}\"><authCookies><AuthorizationCookie><PlugInId>DssTargeting</PlugInId><CookieData>{data}</CookieData></AuthorizationCookie></authCookies><protocolVersion>{version}</protocolVersion></GetCookie>",
            wsus::protocol::SERVER_SYNC_NAMESPACE
        ),
    );
    format!(
        "<cookie><Expiration>{}</Expiration><EncryptedData>{}</EncryptedData></cookie>",
        text_of(&cookie, "Expiration").expect("expiration"),
        text_of(&cookie, "EncryptedData").expect("data")
    )
}

fn get_update_data(base: &str, cookie: &str, id: &str, rev: i64) -> String {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><GetUpdateData xmlns=\"{}\">{cookie}<updateIds><UpdateIdentity><UpdateID>{id}</UpdateID><RevisionNumber>{rev}</RevisionNumber></UpdateIdentity></updateIds></GetUpdateData></soap:Body></soap:Envelope>",
        wsus::protocol::SERVER_SYNC_NAMESPACE
    );
    ureq::post(&format!("{base}{}", Operation::GetUpdateData.path()))
        .set("Content-Type", "text/xml; charset=utf-8")
        .set("SOAPAction", &format!("\"{}\"", Operation::GetUpdateData.soap_action()))
        .send_string(&body)
        .expect("GetUpdateData")
        .into_string()
        .expect("body")
}

/// The `blob` member cabextract takes out of the cabinet, as text.
fn cabextract(cabinet: &[u8], work: &Path) -> String {
    let cab = work.join("blob.cab");
    std::fs::write(&cab, cabinet).expect("write cabinet");
    let out = work.join("out");
    let status = Command::new("cabextract")
        .arg("-q")
        .arg("-d")
        .arg(&out)
        .arg(&cab)
        .status()
        .unwrap_or_else(|e| {
            panic!("cabextract is missing ({e}): install the Debian package cabextract (.ci/test-all.sh does)")
        });
    assert!(status.success(), "cabextract read the cabinet");
    let bytes = std::fs::read(out.join("blob")).expect("member blob");
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .collect();
    String::from_utf16(&units).expect("UTF-16LE")
}

#[test]
fn compressed_blobs_decode_to_the_original_documents_with_cabextract_and_our_reader() {
    use base64::Engine;
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    let docs = documents();
    assert!(patchdeck(&site)
        .arg("import-xml")
        .args(docs.iter().map(|d| &d.2))
        .status()
        .expect("import")
        .success());
    let served = serve(&site, TOKEN);
    let current = cookie_for(&served.base, "1.20");
    let oldest = cookie_for(&served.base, "1.1");

    let (mut compressed, mut plain) = (0, 0);
    for (id, rev, path) in &docs {
        let original = std::fs::read_to_string(path).expect("document");
        let answer = get_update_data(&served.base, &current, id, *rev);
        match text_of(&answer, "XmlUpdateBlobCompressed") {
            Some(text) => {
                compressed += 1;
                assert!(
                    wsus::worth_compressing(&original),
                    "{id}: compressed over 5,120 bytes only"
                );
                assert!(!answer.contains("<XmlUpdateBlob>"), "{id}: one blob");
                let cabinet = base64::engine::general_purpose::STANDARD.decode(text).expect("base64");
                assert_eq!(cabextract(&cabinet, dir.path()), original, "{id}: cabextract");
                assert_eq!(
                    wsus::decode_compressed_blob(text).expect("our reader"),
                    original,
                    "{id}"
                );
            }
            None => {
                plain += 1;
                assert!(!wsus::worth_compressing(&original), "{id}: small documents stay plain");
            }
        }
        let Ok(Response::UpdateData(read)) = Response::parse(Operation::GetUpdateData, &answer) else {
            panic!("{id}: our answer reads");
        };
        assert_eq!(read.updates[0].xml, original, "{id}: read back byte for byte");

        // A downstream declaring protocol 1.1 asks for plain blobs, and gets them.
        let old = get_update_data(&served.base, &oldest, id, *rev);
        assert!(!old.contains("XmlUpdateBlobCompressed"), "{id}: plain for 1.1");
        let Ok(Response::UpdateData(read)) = Response::parse(Operation::GetUpdateData, &old) else {
            panic!("{id}: plain answer reads");
        };
        assert_eq!(read.updates[0].xml, original, "{id}: plain byte for byte");
    }
    assert!(compressed >= 5 && plain >= 2, "{compressed} compressed, {plain} plain");
}

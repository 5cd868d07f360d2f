//! Windows Update clients on the real `patchdeck serve --clients-listen`: the captured
//! handshake of an unmodified Windows Update Agent (`shared/fixtures/wusp/native/scan`,
//! exchanges 000001-000005) replayed over loopback HTTP, each answer shaped element for
//! element like the captured WSUS's, and the computer then in the console's list; refusals
//! (a forged cookie, a malformed body) as WSUS faults that change
//! nothing; the console API absent from the clients' port.

mod common;

use std::path::PathBuf;

use common::{api, serve_with_clients, Served, TOKEN};
use serde_json::{json, Value};

/// The captured client's DNS name and OS description (scan/000004).
const DNS_NAME: &str = "REDACTED3";
const OS: &str = "Windows 10 Pro";

struct Clients {
    served: Served,
    base: String,
    _dir: tempfile::TempDir,
    site: PathBuf,
}

fn start() -> Clients {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    let (served, base) = serve_with_clients(&site, TOKEN);
    Clients {
        served,
        base,
        _dir: dir,
        site,
    }
}

fn scan(exchange: &str, file: &str) -> String {
    let path = common::fixtures().join("wusp/native/scan").join(exchange).join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The path and SOAPAction of a captured request of `scan/`.
fn path_and_action(exchange: &str) -> (String, String) {
    captured_path_and_action("scan", exchange)
}

/// The path and SOAPAction of a captured request.
fn captured_path_and_action(dir: &str, exchange: &str) -> (String, String) {
    let headers = captured(dir, exchange, "request.headers");
    let path = headers
        .lines()
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .expect("request line")
        .to_string();
    let action = headers
        .lines()
        .find_map(|l| l.strip_prefix("SOAPAction: "))
        .expect("SOAPAction")
        .trim()
        .to_string();
    (path, action)
}

/// Posts a call; its status, content type and body.
fn post(base: &str, path: &str, action: &str, body: &str) -> (u16, String, String) {
    let result = ureq::post(&format!("{base}{path}"))
        .set("Content-Type", "text/xml; charset=utf-8")
        .set("SOAPAction", action)
        .send_string(body);
    let response = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{path}: {e}"),
    };
    let status = response.status();
    let content_type = response.header("Content-Type").unwrap_or("").to_string();
    (status, content_type, response.into_string().expect("body"))
}

/// Posts a captured request's body after `edit`: its status and answer.
fn replay(c: &Clients, exchange: &str, edit: impl Fn(String) -> String) -> (u16, String) {
    let (path, action) = path_and_action(exchange);
    let (status, content_type, body) = post(&c.base, &path, &action, &edit(scan(exchange, "request.body")));
    assert_eq!(content_type, "text/xml; charset=utf-8", "{exchange}");
    (status, body)
}

/// Every element of a document, in document order, as `{namespace}local`.
fn elements(xml: &str) -> Vec<String> {
    wsus::wusp::element_names(xml).expect("well-formed XML")
}

/// The text of the first `<name>` element.
fn text_of<'a>(xml: &'a str, name: &str) -> &'a str {
    let open = format!("<{name}>");
    let start = xml.find(&open).unwrap_or_else(|| panic!("no <{name}> in {xml}")) + open.len();
    let end = xml[start..].find(&format!("</{name}>")).expect("closed") + start;
    &xml[start..end]
}

/// The WSUS fault a 500 answer carries: its `ErrorCode` and `Message`.
fn fault_of(status: u16, body: &str) -> (String, String) {
    assert_eq!(status, 500, "a fault is sent with 500: {body}");
    let fault = wsus::parse_fault(body).unwrap_or_else(|| panic!("not a fault: {body}"));
    (
        fault.error_code.unwrap_or_default(),
        fault.detail_message.unwrap_or_default(),
    )
}

fn computers(c: &Clients) -> Vec<Value> {
    api(&c.served, "list_computers", json!({}))
        .as_array()
        .expect("computers")
        .clone()
}

/// GetConfig, GetAuthorizationCookie, GetCookie with our cookies in place of the captured
/// A-runs: the session cookie's expiration and data.
fn handshake(c: &Clients) -> (String, String) {
    assert_eq!(replay(c, "000001", |b| b).0, 200);
    let captured_auth = text_of(&scan("000002", "response.body"), "CookieData").to_string();
    let (_, auth) = replay(c, "000002", |b| b);
    let ours = text_of(&auth, "CookieData").to_string();
    let (status, cookie) = replay(c, "000003", |b| b.replace(&captured_auth, &ours));
    assert_eq!(status, 200, "{cookie}");
    (
        text_of(&cookie, "Expiration").to_string(),
        text_of(&cookie, "EncryptedData").to_string(),
    )
}

/// The captured RegisterComputer with this cookie in place of the captured one.
fn register_with(expiration: &str, data: &str) -> impl Fn(String) -> String {
    let captured = scan("000004", "request.body");
    let (old_expiration, old_data) = (
        text_of(&captured, "Expiration").to_string(),
        text_of(&captured, "EncryptedData").to_string(),
    );
    let (expiration, data) = (expiration.to_string(), data.to_string());
    move |b: String| b.replace(&old_expiration, &expiration).replace(&old_data, &data)
}

#[test]
fn the_captured_handshake_is_answered_like_wsus_and_registers_the_computer() {
    let c = start();
    let captured_auth = text_of(&scan("000002", "response.body"), "CookieData").to_string();
    let mut auth = String::new();
    let mut cookie = (String::new(), String::new());
    for exchange in ["000001", "000002", "000003", "000004", "000005"] {
        let (status, answer) = replay(&c, exchange, |body| match exchange {
            "000003" => body.replace(&captured_auth, &auth),
            "000004" => register_with(&cookie.0, &cookie.1)(body),
            _ => body,
        });
        assert_eq!(status, 200, "{exchange}: {answer}");
        assert_eq!(
            elements(&answer),
            elements(&scan(exchange, "response.body")),
            "{exchange}: the answer's elements are the captured answer's"
        );
        match exchange {
            "000001" => {
                assert_eq!(text_of(&answer, "IsRegistrationRequired"), "true");
                assert_eq!(text_of(&answer, "PlugInID"), "SimpleTargeting");
                assert_eq!(text_of(&answer, "ServiceUrl"), "SimpleAuthWebService/SimpleAuth.asmx");
                assert!(
                    answer.contains("<Name>ProtocolVersion</Name><Value>3.2</Value>"),
                    "{answer}"
                );
            }
            "000002" => auth = text_of(&answer, "CookieData").to_string(),
            "000003" => {
                cookie = (
                    text_of(&answer, "Expiration").to_string(),
                    text_of(&answer, "EncryptedData").to_string(),
                )
            }
            "000005" => assert_eq!(text_of(&answer, "guid"), "dd78b8a1-0b20-45c1-add6-4da72e9364cf"),
            _ => {}
        }
    }
    let listed = computers(&c);
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["name"], DNS_NAME);
    assert_eq!(listed[0]["os"], OS);
    assert_eq!(listed[0]["groupIds"], json!([1]), "a new computer is in All Computers");
    assert!(listed[0]["lastSeenUtc"].is_string());

    // Registering again updates the one row.
    let (status, _) = replay(&c, "000004", register_with(&cookie.0, &cookie.1));
    assert_eq!(status, 200);
    assert_eq!(computers(&c).len(), 1);

    // What the client sent is kept in the columns of migration 0007.
    let db = rusqlite::Connection::open(c.site.join(site::DATABASE_FILE)).expect("db");
    let row: (String, String, String, String, String, String) = db
        .query_row(
            "SELECT client_id, dns_name, os_version, architecture, ip_address, client_version FROM computers",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .expect("row");
    assert_eq!(
        row,
        (
            "e1da06a3-5601-43c9-bac3-52d5db701494".into(),
            DNS_NAME.into(),
            "10.0.26200".into(),
            "AMD64".into(),
            "127.0.0.1".into(),
            "1507.2601.30012.0".into()
        )
    );
}

#[test]
fn a_forged_or_foreign_cookie_is_refused_and_registers_nothing() {
    let c = start();
    // The captured cookie (an A-run): not signed by this site.
    let (status, answer) = replay(&c, "000004", |b| b);
    assert_eq!(fault_of(status, &answer).0, "InvalidCookie");
    // A cookie of another site.
    let other = start();
    let (expiration, data) = handshake(&other);
    let (status, answer) = replay(&c, "000004", register_with(&expiration, &data));
    assert_eq!(fault_of(status, &answer).0, "InvalidCookie");
    // Our own cookie, altered.
    let (expiration, data) = handshake(&c);
    let altered = format!("{}{}", if data.starts_with('A') { "B" } else { "A" }, &data[1..]);
    let (status, answer) = replay(&c, "000004", register_with(&expiration, &altered));
    assert_eq!(fault_of(status, &answer).0, "InvalidCookie");
    // An authorization cookie of another site gets no session cookie.
    let captured_auth = text_of(&scan("000002", "response.body"), "CookieData").to_string();
    let (_, foreign_auth) = replay(&other, "000002", |b| b);
    let foreign_auth = text_of(&foreign_auth, "CookieData").to_string();
    let (status, answer) = replay(&c, "000003", |b| b.replace(&captured_auth, &foreign_auth));
    assert_eq!(fault_of(status, &answer).0, "InvalidAuthorizationCookie");
    assert!(computers(&c).is_empty());
    assert!(computers(&other).is_empty());
}

#[test]
fn a_malformed_body_is_a_fault_and_the_listener_goes_on() {
    let c = start();
    let (path, action) = path_and_action("000004");
    for body in [
        "",
        "<not xml",
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><Nonsense/></s:Body></s:Envelope>",
    ] {
        let (status, content_type, answer) = post(&c.base, &path, &action, body);
        assert_eq!(content_type, "text/xml; charset=utf-8");
        assert_eq!(fault_of(status, &answer).0, "InvalidParameters", "{body:?}");
    }
    let not_utf8 = ureq::post(&format!("{}{path}", c.base))
        .set("SOAPAction", &action)
        .send_bytes(&[0x3c, 0xff, 0xfe, 0x3e]);
    let Err(ureq::Error::Status(status, r)) = not_utf8 else {
        panic!("a body that is not UTF-8 was accepted");
    };
    assert_eq!(fault_of(status, &r.into_string().expect("body")).0, "InvalidParameters");
    let (status, _) = replay(&c, "000001", |b| b);
    assert_eq!(status, 200, "still answering after malformed calls");
    assert!(computers(&c).is_empty());
}

/// A captured file of `wusp/native/<dir>/<exchange>`.
fn captured(dir: &str, exchange: &str, file: &str) -> String {
    let path = common::fixtures()
        .join("wusp/native")
        .join(dir)
        .join(exchange)
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The distinct elements of an answer in first-seen order: its structure, whatever the
/// number of updates or fragments in it.
fn shape(xml: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in elements(xml) {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// `(revision id, UpdateID, action, core fragment as sent)` of every `UpdateInfo` of a
/// SyncUpdates answer.
fn revisions_of(answer: &str) -> Vec<(i64, String, String, String)> {
    let mut out = Vec::new();
    for part in answer.split("<UpdateInfo>").skip(1) {
        let part = &part[..part.find("</UpdateInfo>").unwrap_or(part.len())];
        let id: i64 = text_of(part, "ID").parse().expect("ID");
        let xml = part.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"");
        let update_id = xml
            .split("UpdateID=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or("")
            .to_ascii_lowercase();
        out.push((
            id,
            update_id,
            text_of(part, "Action").to_string(),
            text_of(part, "Xml").to_string(),
        ));
    }
    out
}

/// `(revision id, fragment as sent)` of every `Update` of a GetExtendedUpdateInfo answer.
fn fragments_of(answer: &str) -> Vec<(i64, String)> {
    answer
        .split("<Update>")
        .skip(1)
        .map(|part| {
            (
                text_of(part, "ID").parse().expect("ID"),
                text_of(part, "Xml").to_string(),
            )
        })
        .collect()
}

/// KB2267602, the update the flow capture approved (revision 200996 on the lab WSUS).
const KB2267602: &str = "a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe";

/// The captured scan and flow replayed against a site holding the 9 fixture documents,
/// with KB2267602 approved for All Computers. The client's revision ids are the lab WSUS's
/// own numbers; each request is translated as the real agent would have sent it to us: a
/// revision the lab WSUS gave for an UpdateID we also gave becomes our number for it.
#[test]
fn the_captured_scan_and_flow_get_the_install_and_the_reports_set_the_states() {
    let c = start();
    let docs: Vec<String> = common::xml_files(&common::fixtures().join("wsusss/updates"))
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("doc"))
        .collect();
    api(&c.served, "import_xml", json!({ "documents": docs }));
    api(
        &c.served,
        "approve_updates",
        json!({ "updateIds": [KB2267602], "approvals": [{ "groupId": 1, "action": "Required", "deadline": "None" }] }),
    );
    let (expiration, data) = handshake(&c);
    let (status, _) = replay(&c, "000004", register_with(&expiration, &data));
    assert_eq!(status, 200);

    // UpdateID of each lab WSUS revision id, from the captured answers.
    let mut theirs: std::collections::HashMap<i64, String> = Default::default();
    // Our revision id of each UpdateID we gave.
    let mut ours: std::collections::HashMap<String, i64> = Default::default();
    let exchanges: Vec<(&str, &str)> = ["000006", "000007", "000008", "000009", "000010"]
        .iter()
        .map(|e| ("scan", *e))
        .chain(
            [
                "000001", "000003", "000012", "000013", "000014", "000015", "000016", "000017", "000018",
            ]
            .iter()
            .map(|e| ("flow", *e)),
        )
        .collect();
    let old_cookie = (
        text_of(&captured("flow", "000001", "request.body"), "Expiration").to_string(),
        text_of(&captured("flow", "000001", "request.body"), "EncryptedData").to_string(),
    );
    let mut offered_with_install = Vec::new();
    let mut given: Vec<i64> = Vec::new();
    let mut core_sent: std::collections::HashMap<String, String> = Default::default();
    let mut our_core: std::collections::HashMap<String, String> = Default::default();
    let mut same_fragments = 0;
    for (dir, exchange) in exchanges {
        let wsus_answer = captured(dir, exchange, "response.body");
        for (id, update_id, _, xml) in revisions_of(&wsus_answer) {
            core_sent.insert(update_id.clone(), xml);
            theirs.insert(id, update_id);
        }
        let body = captured(dir, exchange, "request.body")
            .replace(&old_cookie.0, &expiration)
            .replace(&old_cookie.1, &data);
        // <int>N</int>: a lab WSUS revision id, ours when we gave the same update.
        let mut translated = String::new();
        let mut rest = body.as_str();
        while let Some(at) = rest.find("<int>") {
            let (head, tail) = rest.split_at(at + 5);
            translated.push_str(head);
            let end = tail.find("</int>").expect("closed int");
            let n: i64 = tail[..end].parse().expect("int");
            let mapped = theirs.get(&n).and_then(|u| ours.get(u)).copied().unwrap_or(n);
            translated.push_str(&mapped.to_string());
            rest = &tail[end..];
        }
        translated.push_str(rest);
        // The agent caches what it is given: ours it holds but the lab WSUS never gave it
        // join its other cached ids.
        if let Some(at) = translated.find("<OtherCachedUpdateIDs>") {
            let at = at + "<OtherCachedUpdateIDs>".len();
            let missing: String = given
                .iter()
                .filter(|id| !translated.contains(&format!("<int>{id}</int>")))
                .map(|id| format!("<int>{id}</int>"))
                .collect();
            translated.insert_str(at, &missing);
        }
        let (path, action) = captured_path_and_action(dir, exchange);
        let (status, _, answer) = post(&c.base, &path, &action, &translated);
        assert_eq!(status, 200, "{dir}/{exchange}: {answer}");
        for (id, update_id, deployment, xml) in revisions_of(&answer) {
            our_core.insert(update_id.clone(), xml);
            if deployment == "Install" {
                offered_with_install.push(update_id.clone());
            }
            ours.insert(update_id, id);
            given.push(id);
        }
        // Structure: the captured answer's, less the update list when one side has none.
        let strip = |s: Vec<String>| -> Vec<String> {
            let list = [
                "NewUpdates",
                "UpdateInfo",
                "ID",
                "Deployment",
                "Action",
                "IsAssigned",
                "LastChangeTime",
                "AutoSelect",
                "AutoDownload",
                "SupersedenceBehavior",
                "IsLeaf",
                "Xml",
            ];
            s.into_iter()
                .filter(|n| !list.iter().any(|l| n.ends_with(&format!("}}{l}"))))
                .collect()
        };
        let (ours_shape, theirs_shape) = (shape(&answer), shape(&wsus_answer));
        let both_have_updates = answer.contains("<UpdateInfo>") && wsus_answer.contains("<UpdateInfo>");
        if both_have_updates || !(answer.contains("<UpdateInfo>") || wsus_answer.contains("<UpdateInfo>")) {
            assert_eq!(ours_shape, theirs_shape, "{dir}/{exchange}");
        } else {
            assert_eq!(strip(ours_shape), strip(theirs_shape), "{dir}/{exchange}");
        }
        // Likewise every extended and localized fragment of a revision both sent.
        let wsus_fragments = fragments_of(&wsus_answer);
        for (id, xml) in fragments_of(&answer) {
            let Some(update_id) = ours.iter().find(|(_, v)| **v == id).map(|(k, _)| k.clone()) else {
                continue;
            };
            let wsus_ids: Vec<i64> = theirs
                .iter()
                .filter(|(_, u)| **u == update_id)
                .map(|(i, _)| *i)
                .collect();
            let kind = if xml.starts_with("&lt;LocalizedProperties") {
                "Localized"
            } else {
                "Extended"
            };
            if let Some((_, wsus_xml)) = wsus_fragments.iter().find(|(i, x)| {
                wsus_ids.contains(i) && x.starts_with("&lt;LocalizedProperties") == (kind == "Localized")
            }) {
                // The capture's SupportUrl link ids were redacted at the source.
                let ours_redacted = if wsus_xml.contains("LinkId=REDACTED") {
                    xml.replace("LinkId=52661", "LinkId=REDACTED")
                } else {
                    xml.clone()
                };
                assert_eq!(
                    &ours_redacted, wsus_xml,
                    "{dir}/{exchange}: {kind} fragment of {update_id}"
                );
                same_fragments += 1;
            }
        }
        if exchange == "000015" && dir == "flow" {
            let kb = ours.get(KB2267602).expect("KB2267602 offered before 000015");
            assert!(answer.contains(&format!("<ID>{kb}</ID>")), "its fragments are given");
        }
    }
    assert_eq!(
        offered_with_install,
        [KB2267602],
        "the one approved update, offered for install once"
    );
    // The core fragment of every revision both servers sent is the lab WSUS's, byte for byte.
    let mut same_core = 0;
    for (update_id, xml) in &our_core {
        if let Some(wsus_xml) = core_sent.get(update_id) {
            assert_eq!(xml, wsus_xml, "core fragment of {update_id}");
            same_core += 1;
        }
    }
    assert!(same_core >= 6, "core fragments compared: {same_core}");
    assert!(
        same_fragments >= 4,
        "extended and localized fragments compared: {same_fragments}"
    );

    // The captured reports: the download failed, then the install failed with 0x80246007.
    let db = rusqlite::Connection::open(c.site.join(site::DATABASE_FILE)).expect("db");
    let (status, error): (String, Option<String>) = db
        .query_row(
            "SELECT s.status, s.last_error FROM update_states s JOIN updates u USING (upd_pk) WHERE u.update_id = ?1",
            [KB2267602],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("KB2267602 has a state");
    assert_eq!((status.as_str(), error.as_deref()), ("Failed", Some("0x80246007")));
    let events: i64 = db
        .query_row("SELECT count(*) FROM client_events", [], |r| r.get(0))
        .expect("events");
    assert_eq!(events, 4 + 9 + 2, "every captured event kept once");
    let scan_error: Option<String> = db
        .query_row("SELECT last_scan_error FROM computers", [], |r| r.get(0))
        .expect("computer");
    assert_eq!(scan_error, None, "the last detection (147) succeeded");
}

#[test]
fn oversized_bodies_too_many_ids_and_unknown_ids_are_refused_or_passed_over() {
    let c = start();
    let (expiration, data) = handshake(&c);
    assert_eq!(replay(&c, "000004", register_with(&expiration, &data)).0, 200);
    let with_cookie = |body: String| {
        let captured = scan("000010", "request.body");
        body.replace(text_of(&captured, "Expiration"), &expiration)
            .replace(text_of(&captured, "EncryptedData"), &data)
    };
    // Revision ids the site never issued: no fragments, no fault.
    let (status, answer) = replay(&c, "000010", with_cookie);
    assert_eq!(status, 200, "{answer}");
    assert!(!answer.contains("<Update>"), "{answer}");
    // More than MaxExtendedUpdatesPerRequest (50) ids: InvalidParameters naming the array.
    let many: String = (1..=51).map(|i| format!("<int>{i}</int>")).collect();
    let (status, answer) = replay(&c, "000010", |b| {
        let b = with_cookie(b);
        let start = b.find("<revisionIDs>").expect("ids") + "<revisionIDs>".len();
        let end = b.find("</revisionIDs>").expect("ids end");
        format!("{}{many}{}", &b[..start], &b[end..])
    });
    let (code, message) = fault_of(status, &answer);
    assert_eq!(code, "InvalidParameters");
    assert!(message.contains("revisionIDs"), "{message}");
    // A body over the protocol's bound is refused before it is read whole.
    let (path, action) = path_and_action("000006");
    let huge = format!("<a>{}</a>", "x".repeat(wsus::wusp::limits::MAX_REQUEST_BYTES + 1));
    let (status, _, _) = post(&c.base, &path, &action, &huge);
    assert_eq!(status, 413);
    assert_eq!(replay(&c, "000001", |b| b).0, 200, "still answering");
    let db = rusqlite::Connection::open(c.site.join(site::DATABASE_FILE)).expect("db");
    let events: i64 = db
        .query_row("SELECT count(*) FROM client_events", [], |r| r.get(0))
        .expect("events");
    assert_eq!(events, 0);
}

/// Clients over HTTPS (`--clients-tls-listen`, WSUS's 8531) with a certificate an internal
/// authority signed: an agent trusting that authority is answered; plain HTTP on that port
/// is not a way in.
#[test]
fn clients_are_served_over_https_with_the_configured_certificate() {
    let pki = common::pki::make();
    let dir = tempfile::tempdir().expect("tempdir");
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, &pki.cert_pem).expect("cert");
    std::fs::write(&key, &pki.key_pem).expect("key");
    let site = dir.path().join("site");
    let mut child = common::patchdeck(&site)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--clients-tls-listen",
            "127.0.0.1:0",
        ])
        .arg("--clients-cert")
        .arg(&cert)
        .arg("--clients-key")
        .arg(&key)
        .env("PATCHDECK_TOKEN", TOKEN)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("serve");
    use std::io::BufRead;
    let mut lines = std::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
    let _console = lines.next().expect("line").expect("read");
    let clients = lines.next().expect("clients line").expect("read");
    let base = clients
        .split("served on ")
        .nth(1)
        .expect("address")
        .trim_end_matches('/')
        .to_string();
    assert!(base.starts_with("https://127.0.0.1:"), "{clients}");
    std::thread::spawn(move || for _ in lines {});
    let served = Served {
        child,
        base: String::new(),
        token: TOKEN.into(),
    };

    let mut roots = rustls::RootCertStore::empty();
    for c in certs_of_pem(&pki.ca_pem) {
        roots.add(c).expect("root");
    }
    let tls =
        rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("protocols")
            .with_root_certificates(roots)
            .with_no_client_auth();
    let agent = ureq::AgentBuilder::new().tls_config(std::sync::Arc::new(tls)).build();
    let (path, action) = path_and_action("000001");
    let answer = agent
        .post(&format!("{base}{path}"))
        .set("Content-Type", "text/xml; charset=utf-8")
        .set("SOAPAction", &action)
        .send_string(&scan("000001", "request.body"))
        .expect("GetConfig over HTTPS")
        .into_string()
        .expect("body");
    assert_eq!(elements(&answer), elements(&scan("000001", "response.body")));
    // Plain HTTP to the HTTPS port gets no SOAP answer.
    let plain = ureq::post(&format!("{}{path}", base.replace("https://", "http://")))
        .set("SOAPAction", &action)
        .send_string(&scan("000001", "request.body"));
    assert!(
        !matches!(&plain, Ok(r) if r.status() == 200),
        "plain HTTP was answered on the HTTPS port"
    );
    // An agent that does not trust the authority is refused by its own TLS check.
    assert!(ureq::post(&format!("{base}{path}"))
        .set("SOAPAction", &action)
        .send_string(&scan("000001", "request.body"))
        .is_err());
    drop(served);
}

/// `serve` without client flags follows the site's client service settings: off on a new
/// site, then on the saved port after a restart; a certificate that cannot serve is refused
/// when saved, naming the file.
#[test]
fn serve_follows_the_client_service_settings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    let first = common::serve(&site, TOKEN);
    let settings = api(&first, "get_client_service_settings", json!({}));
    assert_eq!(settings["enabled"], false);
    assert_eq!(
        (settings["httpPort"].as_u64(), settings["httpsPort"].as_u64()),
        (Some(8530), Some(8531))
    );
    let bad = dir.path().join("not-a-cert.pem");
    std::fs::write(&bad, "hello").expect("bad");
    let (status, error) = common::api_refused(
        &first,
        "set_client_service_settings",
        json!({ "enabled": true, "httpPort": 8530, "httpsPort": 8531, "requireSsl": true,
                "certificateFile": bad.display().to_string(), "privateKeyFile": bad.display().to_string() }),
    );
    assert_eq!(status, 400, "{error}");
    assert!(
        error["message"].as_str().unwrap_or("").contains("not-a-cert.pem"),
        "{error}"
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    api(
        &first,
        "set_client_service_settings",
        json!({ "enabled": true, "httpPort": port, "httpsPort": 8531, "requireSsl": false,
                "certificateFile": "", "privateKeyFile": "" }),
    );
    drop(first);
    let again = common::serve(&site, TOKEN);
    let (path, action) = path_and_action("000001");
    let (status, _, answer) = post(
        &format!("http://127.0.0.1:{port}"),
        &path,
        &action,
        &scan("000001", "request.body"),
    );
    assert_eq!(status, 200, "{answer}");
    drop(again);
}

/// The certificates of a PEM text.
fn certs_of_pem(pem: &str) -> Vec<rustls::pki_types::CertificateDer<'static>> {
    use rustls::pki_types::pem::PemObject;
    rustls::pki_types::CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<_, _>>()
        .expect("PEM")
}

#[test]
fn the_clients_port_serves_content_but_not_the_console_api() {
    let c = start();
    let refused = |method: &str, path: &str| {
        let request =
            ureq::request(method, &format!("{}{path}", c.base)).set("Authorization", &format!("Bearer {TOKEN}"));
        let result = if method == "POST" {
            request.send_json(json!({}))
        } else {
            request.call()
        };
        match result {
            Err(ureq::Error::Status(status, _)) => status,
            Ok(r) => r.status(),
            Err(e) => panic!("{path}: {e}"),
        }
    };
    assert_eq!(refused("POST", "/api/v1/commands/list_computers"), 404);
    assert_eq!(refused("GET", "/api/v1/health"), 404);
    assert_eq!(refused("GET", "/"), 404);

    // A library file is served at its UssUrl path, as on the console's listener.
    let folder = c.site.join("content").join("F8");
    std::fs::create_dir_all(&folder).expect("folder");
    std::fs::write(
        folder.join("0000000000000000000000000000000000000AF8.cab"),
        b"cab bytes",
    )
    .expect("file");
    let r = ureq::get(&format!(
        "{}/Content/F8/0000000000000000000000000000000000000AF8.cab",
        c.base
    ))
    .call()
    .expect("content");
    assert_eq!(r.into_string().expect("body"), "cab bytes");
}

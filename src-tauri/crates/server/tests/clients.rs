//! Windows Update clients on the real `patchdeck serve --clients-listen`: the captured
//! handshake of an unmodified Windows Update Agent (`shared/fixtures/wusp/native/scan`,
//! exchanges 000001-000005) replayed over loopback HTTP, each answer shaped element for
//! element like the captured WSUS's, and the computer then in the console's list; refusals
//! (a forged cookie, a malformed body, a call not served yet) as WSUS faults that change
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

/// The path and SOAPAction of a captured request.
fn path_and_action(exchange: &str) -> (String, String) {
    let headers = scan(exchange, "request.headers");
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

#[test]
fn sync_updates_is_not_served_yet_and_says_so() {
    let c = start();
    let (status, answer) = replay(&c, "000006", |b| b);
    let (code, message) = fault_of(status, &answer);
    assert_eq!(code, "InternalServerError");
    assert!(message.contains("SyncUpdates is not served"), "{message}");
    assert!(computers(&c).is_empty());
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

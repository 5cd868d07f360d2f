//! The [MS-WUSP] requests written again (`ClientRequest::to_xml`), against the native Windows
//! Update Agent captures in `shared/fixtures/wusp/native`: every captured request, read and
//! written, reads back to the same value, has the captured element sequence, and is in fact
//! the captured bytes; the SOAPAction and path are the captured headers'.

use wsus::wusp::{ClientRequest, Operation};

mod common;

use common::{header_path, header_soap_action, native_exchange_dirs, read};

struct Captured {
    name: String,
    action: String,
    path: String,
    body: String,
}

fn captured_requests() -> Vec<Captured> {
    native_exchange_dirs()
        .into_iter()
        .map(|(name, dir)| Captured {
            name,
            action: header_soap_action(&dir),
            path: header_path(&dir),
            body: read(&dir.join("request.body")),
        })
        .collect()
}

fn elements(xml: &str) -> Vec<String> {
    wsus::wusp::element_names(xml).expect("well-formed XML")
}

#[test]
fn every_captured_request_is_written_again_byte_for_byte() {
    let mut seen = std::collections::BTreeSet::new();
    for c in captured_requests() {
        let parsed = ClientRequest::parse(Some(&c.action), &c.body)
            .unwrap_or_else(|e| panic!("{}: the capture does not parse: {e}", c.name));
        let written = parsed.to_xml();
        let again = ClientRequest::parse(Some(&parsed.soap_action()), &written)
            .unwrap_or_else(|e| panic!("{}: our request does not parse: {e}\n{written}", c.name));
        assert_eq!(again, parsed, "{}: the value survives writing", c.name);
        assert_eq!(elements(&written), elements(&c.body), "{}: element sequence", c.name);
        assert_eq!(written, c.body, "{}: bytes", c.name);
        assert_eq!(parsed.soap_action(), c.action, "{}: SOAPAction header", c.name);
        assert_eq!(parsed.service_path(), c.path, "{}: service path", c.name);
        seen.insert(parsed.operation());
    }
    assert_eq!(
        seen.len(),
        Operation::ALL.len() - 1,
        "every operation but GetFileLocations"
    );
}

#[test]
fn get_file_locations_is_written_as_ms_wusp_defines_it_and_reads_back() {
    let request = ClientRequest::GetFileLocations {
        cookie: Some(wsus::wusp::Cookie {
            expiration: "2026-10-04T16:03:35Z".into(),
            encrypted_data: "AAAA".into(),
        }),
        file_digests: vec![
            "YQPZ9r+Vx3LIt+6J43DNyqZC+A==".into(),
            "Ky+I30pIqpgPt0jRO6ot4s0VSas=".into(),
        ],
    };
    let xml = request.to_xml();
    assert!(
        xml.contains("<fileDigests><base64Binary>YQPZ9r+Vx3LIt+6J43DNyqZC+A==</base64Binary>"),
        "{xml}"
    );
    assert_eq!(ClientRequest::parse(Some(&request.soap_action()), &xml), Ok(request));
}

#[test]
fn values_that_need_escaping_survive_writing() {
    let request = ClientRequest::GetAuthorizationCookie {
        client_id: "a<b>&\"c'".into(),
        target_group_name: Some("Ring & <1>".into()),
        dns_name: Some("host\r\nname".into()),
    };
    let xml = request.to_xml();
    assert_eq!(ClientRequest::parse(None, &xml), Ok(request));
}

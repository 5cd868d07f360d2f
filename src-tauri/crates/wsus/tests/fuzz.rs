//! Fuzzing of every parser that takes bytes from outside (issue 13, point 6): both SOAP
//! protocols' messages, update XML and compressed blobs. Each harness seeds the engine in
//! `common/fuzz.rs` with the captured fixtures and checks that no input panics, hangs or is
//! refused without a message; the errors are `WsusError`s by the parsers' signatures.
//!
//! `cargo test` makes the short run (2 s a harness); `benches/fuzz.sh` the long ones.

use std::path::PathBuf;

use base64::Engine as _;
use wsus::{protocol, wusp};

mod common;

use common::fuzz::{run, Outcome};
use common::{fixtures, header_soap_action, native_exchange_dirs, read, sorted_dir, wsusss_exchange_dirs};

/// Tokens of both protocols' envelopes and of update XML, inserted whole by the mutator.
const XML_DICT: [&[u8]; 22] = [
    b"<",
    b"</",
    b"/>",
    b"&amp;",
    b"&#x10FFFF;",
    b"&#0;",
    b"<![CDATA[",
    b"]]>",
    b"<!DOCTYPE x [<!ENTITY e \"e\">]>",
    b"xmlns=\"\"",
    b" xsi:nil=\"true\"",
    b"soap:Body",
    b"soap:Envelope",
    b"s:Fault",
    b"<int>",
    b"</int>",
    b"<guid>",
    b"00000000-0000-0000-0000-000000000000",
    b"2026-13-45T25:61:61Z",
    b"<UpdateIdentity UpdateID=\"x\" RevisionNumber=\"-1\"/>",
    b"XmlUpdateBlobCompressed",
    b"\xef\xbb\xbf",
];

/// Where a harness's regression inputs are kept.
fn regressions(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/fuzz")
        .join(name)
}

fn outcome<T>(result: Result<T, wsus::WsusError>) -> Outcome {
    match result {
        Ok(_) => Outcome::Accepted,
        Err(e) => Outcome::Refused(e.to_string()),
    }
}

/// The captured MS-WSUSSS exchanges' `file` (`request.body` or `response.body`), each led by
/// its operation's index.
fn wsusss_seeds(file: &str) -> Vec<Vec<u8>> {
    wsusss_exchange_dirs()
        .iter()
        .filter(|d| d.join(file).is_file())
        .map(|d| with_op(wsusss_index(&header_soap_action(d)), read(&d.join(file)).as_bytes()))
        .collect()
}

/// The same for the native MS-WUSP captures.
fn wusp_seeds(file: &str) -> Vec<Vec<u8>> {
    native_exchange_dirs()
        .iter()
        .filter(|(_, d)| d.join(file).is_file())
        .map(|(_, d)| with_op(wusp_index(&header_soap_action(d)), read(&d.join(file)).as_bytes()))
        .collect()
}

/// An input that carries its operation: the first byte picks it (modulo the count), the rest
/// is the body, so mutations move a body to another operation's parser too.
fn with_op(index: usize, body: &[u8]) -> Vec<u8> {
    let mut v = vec![index as u8];
    v.extend_from_slice(body);
    v
}

fn split_op(input: &[u8]) -> (usize, String) {
    match input.split_first() {
        Some((first, rest)) => (*first as usize, String::from_utf8_lossy(rest).into_owned()),
        None => (0, String::new()),
    }
}

fn wsusss_index(action: &str) -> usize {
    let op = protocol::Operation::from_soap_action(action).unwrap_or_else(|| panic!("unknown action {action}"));
    protocol::Operation::ALL.iter().position(|o| *o == op).unwrap_or(0)
}

fn wusp_index(action: &str) -> usize {
    let op = wusp::Operation::from_soap_action(action).unwrap_or_else(|| panic!("unknown action {action}"));
    wusp::Operation::ALL.iter().position(|o| *o == op).unwrap_or(0)
}

/// Runs a message harness: inputs led by an operation index (see [`with_op`]), the body as
/// text, with the XML dictionary.
fn run_messages(name: &str, seeds: Vec<Vec<u8>>, parse: impl Fn(usize, &str) -> Outcome) {
    run(name, &regressions(name), seeds, &XML_DICT, |input| {
        let (n, body) = split_op(input);
        parse(n, &body)
    });
}

#[test]
fn fuzz_wsusss_requests() {
    let ops = protocol::Operation::ALL;
    run_messages("wsusss_request", wsusss_seeds("request.body"), |n, body| {
        // One index past the operations stands for a SOAPAction naming none of them.
        let action = ops.get(n % (ops.len() + 1)).map_or("urn:none", |op| op.soap_action());
        outcome(protocol::Request::parse(action, body))
    });
}

#[test]
fn fuzz_wsusss_responses() {
    let ops = protocol::Operation::ALL;
    run_messages("wsusss_response", wsusss_seeds("response.body"), |n, body| {
        let op = ops[n % ops.len()];
        // The sync client reads a fault first, and GetUpdateData answers through its own reader.
        let _ = wsus::parse_fault(body);
        if op == protocol::Operation::GetUpdateData {
            let _ = wsus::parse_get_update_data_response(body);
        }
        outcome(protocol::Response::parse(op, body))
    });
}

#[test]
fn fuzz_wusp_requests() {
    let mut seeds = wusp_seeds("request.body");
    let sample = read(&fixtures().join("protocol-samples/wusp_getcookie_request_soap12.xml"));
    seeds.push(with_op(
        wusp_index(wusp::Operation::GetCookie.soap_action()),
        sample.as_bytes(),
    ));
    let ops = wusp::Operation::ALL;
    run_messages("wusp_request", seeds, |n, body| {
        // Past the operations: no SOAPAction header at all, as agents may send.
        let action = ops.get(n % (ops.len() + 1)).map(|op| op.soap_action());
        outcome(wusp::ClientRequest::parse(action, body))
    });
}

#[test]
fn fuzz_wusp_responses() {
    let ops = wusp::Operation::ALL;
    run_messages("wusp_response", wusp_seeds("response.body"), |n, body| {
        outcome(wusp::ClientResponse::parse(ops[n % ops.len()], body))
    });
}

fn update_documents() -> Vec<Vec<u8>> {
    let mut docs: Vec<Vec<u8>> = sorted_dir(&fixtures().join("wsusss/updates"))
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .map(|p| read(p).into_bytes())
        .collect();
    docs.push(read(&fixtures().join("protocol-samples/metadata_update_core.xml")).into_bytes());
    docs
}

#[test]
fn fuzz_update_xml() {
    run(
        "update_xml",
        &regressions("update_xml"),
        update_documents(),
        &XML_DICT,
        |input| {
            let xml = String::from_utf8_lossy(input);
            // The client protocol serves documents cut into fragments: the same outside bytes.
            let _ = wusp::fragments::split(&xml);
            outcome(wsus::parse_update(&xml))
        },
    );
}

/// The cabinets of the captured `XmlUpdateBlobCompressed` texts (LZX, as WSUS writes them),
/// and this crate's own MSZIP ones.
fn cabinets() -> Vec<Vec<u8>> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut cabs = Vec::new();
    for dir in wsusss_exchange_dirs() {
        let Ok(body) = std::fs::read_to_string(dir.join("response.body")) else {
            continue;
        };
        for text in common::all_between(&body, "<XmlUpdateBlobCompressed>", "</XmlUpdateBlobCompressed>")
            .into_iter()
            .take(4)
        {
            let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            cabs.extend(b64.decode(compact).ok());
        }
    }
    for doc in update_documents().iter().take(4) {
        let text = wsus::encode_compressed_blob(&String::from_utf8_lossy(doc)).expect("encode");
        cabs.push(b64.decode(text).expect("own base64"));
    }
    cabs
}

#[test]
fn fuzz_compressed_blobs() {
    let seeds = cabinets();
    assert!(seeds.len() > 4, "the captures hold compressed blobs");
    let dict: [&[u8]; 6] = [
        b"MSCF",
        b"blob",
        &[0xff, 0xff, 0xff, 0x7f],
        &[0, 0, 0, 0],
        &[0x03, 0x00],
        &[0x01, 0x00],
    ];
    run(
        "compressed_blob",
        &regressions("compressed_blob"),
        seeds,
        &dict,
        |input| {
            // Mutate the cabinet, not its base64: base64 damage stops at the first check.
            let text = base64::engine::general_purpose::STANDARD.encode(input);
            outcome(wsus::decode_compressed_blob(&text))
        },
    );
}

//! Synchronization against an upstream that misbehaves: a loopback proxy in front of a
//! real parent site drops connections, answers 500, sends malformed XML or cabinets, wrong
//! digests, or refuses the cookie. Each gives a clear error or a successful retry, and the
//! next clean synchronization always ends with the same catalog as a clean one.

mod common;

use std::io::{BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::*;
use serde_json::{json, Value};
use site::Site;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Fault {
    /// Sends half the answer and closes the connection.
    CloseMidBody,
    /// HTTP 500 with an HTML page.
    Status500,
    /// The answer cut short (malformed XML).
    Truncate,
    /// A compressed blob that is not a cabinet.
    BadCabinet,
    /// A file digest that the metadata does not name.
    WrongDigest,
    /// An InvalidCookie fault, as when the cookie expired.
    ExpiredCookie,
}

/// Misbehaves on the first GetUpdateData answer the fault applies to (every one for
/// `persistent`).
struct Proxy {
    base: String,
}

fn start_proxy(upstream: String, fault: Fault, persistent: bool) -> Proxy {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let calls = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let upstream = upstream.clone();
            let calls = calls.clone();
            std::thread::spawn(move || serve_one(stream, &upstream, fault, persistent, &calls));
        }
    });
    Proxy { base }
}

fn serve_one(mut stream: TcpStream, upstream: &str, fault: Fault, persistent: bool, calls: &AtomicUsize) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let Some(req) = read_soap_request(&mut reader) else {
        return;
    };
    let (status, mut text) = forward_soap(upstream, &req);
    let action = req.action;
    let applicable = action.contains("GetUpdateData")
        && match fault {
            Fault::WrongDigest => text.contains("<base64Binary>"),
            Fault::BadCabinet => text.contains("<XmlUpdateBlob>"),
            _ => true,
        };
    let misbehave = applicable && (persistent || calls.fetch_add(1, Ordering::SeqCst) == 0);
    let mut status = status;
    let mut cut = None;
    if misbehave {
        match fault {
            Fault::CloseMidBody => cut = Some(text.len() / 2),
            Fault::Status500 => {
                status = 500;
                text = "<html><body>Internal Server Error</body></html>".into();
            }
            Fault::Truncate => text.truncate(text.len() * 2 / 3),
            Fault::BadCabinet => {
                let (s, e) = (
                    text.find("<XmlUpdateBlob>").expect("blob"),
                    text.find("</XmlUpdateBlob>").expect("end"),
                );
                text.replace_range(
                    s..e + "</XmlUpdateBlob>".len(),
                    "<XmlUpdateBlobCompressed>TVNDRgAAAAD/////AAAAACwAAAAAAAAAAwEBAAEAAAA=</XmlUpdateBlobCompressed>",
                );
            }
            Fault::WrongDigest => {
                let s = text.find("<base64Binary>").expect("a digest") + "<base64Binary>".len();
                text.replace_range(s..s + 4, "AAAA");
            }
            Fault::ExpiredCookie => {
                status = 500;
                text = wsus::fault_xml("InvalidCookie", "");
            }
        }
    }
    let head = soap_answer_head(status, text.len());
    let _ = stream.write_all(head.as_bytes());
    let bytes = text.as_bytes();
    let _ = stream.write_all(&bytes[..cut.unwrap_or(bytes.len())]);
    let _ = stream.flush();
}

fn sync_from(child: &Site, url: &str, products: &[String]) -> Value {
    call(child, "set_sync_settings", child_settings(url, products, &[]));
    sync(child)
}

#[test]
fn every_fault_is_reported_or_retried_and_the_catalog_stays_consistent() {
    let parent = start_parent();
    let products: Vec<String> = parent_products(&parent).into_iter().take(4).collect();

    // The reference: a clean synchronization.
    let clean_dir = tempfile::tempdir().expect("tempdir");
    let clean = Site::open(clean_dir.path()).expect("site");
    let run = sync_from(&clean, &parent.base, &products);
    assert_eq!(run["state"], "Succeeded", "{run}");
    let want = catalog(&clean);
    assert!(want.len() > 20);

    let cases = [
        (Fault::CloseMidBody, false, None),
        (Fault::ExpiredCookie, false, None),
        (Fault::Status500, true, Some("answered HTTP 500")),
        (Fault::Truncate, true, Some("is not valid")),
        (Fault::BadCabinet, true, Some("is not valid")),
        (Fault::WrongDigest, true, Some("file digest")),
    ];
    for (fault, persistent, expected_error) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        let child = Site::open(dir.path()).expect("site");
        let proxy = start_proxy(parent.base.clone(), fault, persistent);
        let run = sync_from(&child, &proxy.base, &products);
        match expected_error {
            None => {
                assert_eq!(run["state"], "Succeeded", "{fault:?} is survived: {run}");
                assert_eq!(catalog(&child), want, "{fault:?}");
            }
            Some(text) => {
                assert_eq!(run["state"], "Failed", "{fault:?}: {run}");
                let err = run["error"].as_str().expect("error");
                assert!(err.contains(text), "{fault:?}: {err}");
                let log = call(&child, "get_sync_log", json!({ "runId": run["runId"] }));
                assert!(
                    log.as_array().expect("log").iter().any(|l| l["level"] == "error"),
                    "{fault:?} is in the log"
                );
                // What arrived before the fault is whole; the next clean run completes it.
                let again = sync_from(&child, &parent.base, &products);
                assert_eq!(again["state"], "Succeeded", "{fault:?} then clean: {again}");
                assert_eq!(catalog(&child), want, "{fault:?} then clean");
            }
        }
        if fault == Fault::ExpiredCookie {
            let log = call(&child, "get_sync_log", json!({ "runId": run["runId"] }));
            let text: Vec<String> = log
                .as_array()
                .expect("log")
                .iter()
                .map(|l| l["message"].as_str().unwrap_or("").to_string())
                .collect();
            assert!(text.iter().any(|m| m.contains("authenticating again")), "{text:?}");
        }
    }
}

//! Synchronization over HTTPS from an upstream whose certificate an internal authority
//! signed: the authority and the server certificate are made at test time, and a
//! TLS-terminating loopback proxy stands in front of a real parent `patchdeck serve`.
//! Trusted only through the update point's certificate authority file; without that file
//! the run fails naming the certificate problem and leaves the site as it was.

mod common;

use std::io::{BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};
use site::Site;

/// HTTPS on loopback in front of the plain-HTTP `upstream`; counts the requests it relays
/// (a client that refuses the certificate never sends one).
struct TlsProxy {
    base: String,
    relayed: Arc<AtomicUsize>,
}

fn start_tls_proxy(upstream: String, config: Arc<rustls::ServerConfig>) -> TlsProxy {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("https://{}", listener.local_addr().expect("addr"));
    let relayed = Arc::new(AtomicUsize::new(0));
    let counter = relayed.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (upstream, config, counter) = (upstream.clone(), config.clone(), counter.clone());
            std::thread::spawn(move || relay(stream, &upstream, config, &counter));
        }
    });
    TlsProxy { base, relayed }
}

/// One request per connection: TLS in, the request relayed to `upstream`, its answer
/// returned and the connection closed.
fn relay(tcp: TcpStream, upstream: &str, config: Arc<rustls::ServerConfig>, relayed: &AtomicUsize) {
    let Ok(conn) = rustls::ServerConnection::new(config) else {
        return;
    };
    let mut tls = BufReader::new(rustls::StreamOwned::new(conn, tcp));
    // A failed handshake (the client refused the certificate) ends here.
    let Some(req) = read_soap_request(&mut tls) else {
        return;
    };
    relayed.fetch_add(1, Ordering::SeqCst);
    let (status, text) = forward_soap(upstream, &req);
    let stream = tls.get_mut();
    let head = soap_answer_head(status, text.len());
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(text.as_bytes());
    let _ = stream.flush();
    stream.conn.send_close_notify();
    let _ = stream.flush();
}

/// Synchronize Software Updates as the console starts it (the transport built from the
/// stored settings), then the run as Monitoring shows it once it ended.
fn synchronize(site: &Site) -> Value {
    let started = call(site, "start_sync", json!({}));
    let run_id = started["runId"].clone();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let status = call(site, "get_sync_status", json!({}));
        if status["running"].is_null() {
            let run = status["history"]
                .as_array()
                .expect("history")
                .iter()
                .find(|r| r["runId"] == run_id)
                .cloned()
                .expect("the run is in the history");
            return run;
        }
        assert!(Instant::now() < deadline, "the run never ended: {status}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn settings_for(url: &str, products: &[String], ca_file: Option<&Path>) -> Value {
    let mut s = child_settings(url, products, &[]);
    s["allowPlainHttp"] = json!(false);
    s["caCertificateFile"] = json!(ca_file.map(|p| p.to_string_lossy().into_owned()).unwrap_or_default());
    s
}

#[test]
fn an_upstream_signed_by_an_internal_authority_is_trusted_only_through_the_configured_file() {
    let parent = start_parent();
    let products: Vec<String> = parent_products(&parent).into_iter().take(2).collect();
    let pki = common::pki::make();
    let proxy = start_tls_proxy(parent.base.clone(), pki.server.clone());
    let dir = tempfile::tempdir().expect("tempdir");
    let ca_file = dir.path().join("internal-root.pem");
    std::fs::write(&ca_file, &pki.ca_pem).expect("write the authority");

    // Without the authority: refused at the handshake, the certificate problem named.
    let child = Site::open(&dir.path().join("child")).expect("child");
    call(&child, "set_sync_settings", settings_for(&proxy.base, &products, None));
    let before = call(&child, "get_sync_settings", json!({}));
    let refused = synchronize(&child);
    assert_eq!(refused["state"], "Failed", "{refused}");
    let err = refused["error"].as_str().expect("error");
    assert!(
        err.contains("certificate this site does not trust") && err.contains("UnknownIssuer"),
        "{err}"
    );
    assert!(
        err.contains("additional trusted certificate authority"),
        "says what to do: {err}"
    );
    assert_eq!(
        proxy.relayed.load(Ordering::SeqCst),
        0,
        "no request crossed the refused connection"
    );
    let log = call(&child, "get_sync_log", json!({ "runId": refused["runId"] }));
    let lines: Vec<&str> = log
        .as_array()
        .expect("log")
        .iter()
        .filter(|l| l["level"] == "error")
        .map(|l| l["message"].as_str().expect("message"))
        .collect();
    assert!(lines.iter().any(|m| m.contains("UnknownIssuer")), "{lines:?}");
    // Nothing changed: no update, no category, the settings as saved.
    assert_eq!(call(&child, "site_info", json!(null))["revisionCount"], 0);
    let synced = call(&child, "list_categories", json!({}))
        .as_array()
        .expect("cats")
        .iter()
        .filter(|c| c["synced"] == true)
        .count();
    assert_eq!(synced, 0);
    assert_eq!(call(&child, "get_sync_settings", json!({})), before);

    // With the authority's PEM file in the settings: the same upstream, over TLS.
    call(
        &child,
        "set_sync_settings",
        settings_for(&proxy.base, &products, Some(&ca_file)),
    );
    let run = synchronize(&child);
    assert_eq!(run["state"], "Succeeded", "{run}");
    assert!(run["fetchedCount"].as_i64() > Some(0), "{run}");
    assert!(proxy.relayed.load(Ordering::SeqCst) > 0, "the calls went over TLS");
    // The same catalog as a site that synchronized the same choice over plain HTTP.
    let plain = Site::open(&dir.path().join("plain")).expect("plain");
    call(
        &plain,
        "set_sync_settings",
        child_settings(&parent.base, &products, &[]),
    );
    assert_eq!(synchronize(&plain)["state"], "Succeeded");
    let want = catalog(&plain);
    assert!(want.len() > 20, "{}", want.len());
    assert_eq!(
        catalog(&child),
        want,
        "the child holds what a plain synchronization brings"
    );
}

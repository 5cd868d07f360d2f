//! Synchronization through an upstream that fails now and then (issue 13): a loopback proxy
//! in front of a real parent damages one GetUpdateData answer in twenty (HTTP 500, then
//! truncated XML, then a connection cut mid-answer, in turn), and an upstream that answers
//! every request with a failure.

mod common;

use std::io::{BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use site::update_point::transport::RetryPolicy;
use site::Site;

/// A small batch makes the parent's catalog take dozens of GetUpdateData calls, so one in
/// twenty is several.
const BATCH: usize = 8;
const EVERY: usize = 20;

/// How often the proxy damaged an answer, by kind: 500, truncated, cut.
#[derive(Default)]
struct Damage {
    calls: AtomicUsize,
    by_kind: [AtomicUsize; 3],
}

fn start_flaky_proxy(upstream: String) -> (String, Arc<Damage>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let damage = Arc::new(Damage::default());
    let shared = damage.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (upstream, damage) = (upstream.clone(), shared.clone());
            std::thread::spawn(move || flaky_one(stream, &upstream, &damage));
        }
    });
    (base, damage)
}

fn flaky_one(mut stream: TcpStream, upstream: &str, damage: &Damage) {
    let Some(req) = read_soap_request(&mut BufReader::new(stream.try_clone().expect("clone"))) else {
        return;
    };
    let (mut status, mut text) = forward_soap(upstream, &req);
    let mut cut = None;
    if req.action.contains("GetConfigData") {
        text = with_batch(&text, BATCH);
    }
    if req.action.contains("GetUpdateData") {
        let n = damage.calls.fetch_add(1, Ordering::SeqCst) + 1;
        if n % EVERY == 0 {
            let kind = (n / EVERY - 1) % 3;
            damage.by_kind[kind].fetch_add(1, Ordering::SeqCst);
            match kind {
                0 => {
                    status = 500;
                    text = "<html><body>Internal Server Error</body></html>".into();
                }
                1 => text.truncate(text.len() * 2 / 3),
                _ => cut = Some(text.len() / 2),
            }
        }
    }
    let bytes = text.as_bytes();
    let _ = stream.write_all(soap_answer_head(status, bytes.len()).as_bytes());
    let _ = stream.write_all(&bytes[..cut.unwrap_or(bytes.len())]);
    let _ = stream.flush();
}

/// The GetConfigData answer with another batch limit.
fn with_batch(text: &str, batch: usize) -> String {
    let (open, close) = ("<MaxNumberOfUpdatesPerRequest>", "</MaxNumberOfUpdatesPerRequest>");
    let start = text.find(open).expect("a batch limit") + open.len();
    let end = start + text[start..].find(close).expect("its end");
    format!("{}{batch}{}", &text[..start], &text[end..])
}

fn new_child(url: &str, products: &[String]) -> (tempfile::TempDir, Site) {
    let dir = tempfile::tempdir().expect("tempdir");
    let child = Site::open(dir.path()).expect("site");
    call(&child, "set_sync_settings", child_settings(url, products, &[]));
    (dir, child)
}

fn revisions(site: &Site) -> i64 {
    call(site, "site_info", json!(null))["revisionCount"]
        .as_i64()
        .expect("count")
}

#[test]
fn a_sync_through_an_upstream_failing_one_update_request_in_twenty_ends_with_the_whole_catalog() {
    let parent = start_parent();
    let products = parent_products(&parent);

    let (_clean_dir, clean) = new_child(&parent.base, &products);
    let clean_run = sync_through(&clean, &fast_retries(0));
    assert_eq!(clean_run["state"], "Succeeded", "{clean_run}");
    let want = catalog(&clean);
    let want_revisions = revisions(&clean);
    assert!(want.len() > 300, "{}", want.len());

    // With retries: the first run succeeds, and every retry is in its log.
    let (proxy, damage) = start_flaky_proxy(parent.base.clone());
    let (_dir, child) = new_child(&proxy, &products);
    let started = Instant::now();
    let run = sync_through(&child, &fast_retries(3));
    let took = started.elapsed();
    assert_eq!(run["state"], "Succeeded", "{run}");
    assert_eq!(catalog(&child), want);
    assert_eq!(revisions(&child), want_revisions);
    let kinds: Vec<usize> = damage.by_kind.iter().map(|k| k.load(Ordering::SeqCst)).collect();
    assert!(kinds.iter().all(|&k| k >= 1), "each kind of damage happened: {kinds:?}");
    let retries: Vec<String> = sync_log(&child, &run)
        .into_iter()
        .filter(|(level, m)| level == "warning" && m.starts_with("GetUpdateData: attempt 1 of 4 failed"))
        .map(|(_, m)| m)
        .collect();
    assert_eq!(retries.len(), kinds.iter().sum::<usize>(), "{retries:?}");
    for what in ["answered HTTP 500", "is not valid", "the answer stopped after"] {
        assert!(
            retries
                .iter()
                .any(|m| m.contains(what) && (2..=5).contains(&wait_ms(m))),
            "a retry after '{what}' in {retries:?}"
        );
    }
    eprintln!(
        "first run through the flaky proxy: {took:?}, {} update requests, {kinds:?} damaged",
        damage.calls.load(Ordering::SeqCst)
    );

    // Without retries: each damaged request fails its run, but everything else arrives,
    // so a second run fetches only what the damaged requests did not bring.
    let (proxy, damage) = start_flaky_proxy(parent.base.clone());
    let (_dir, child) = new_child(&proxy, &products);
    let first = sync_through(&child, &fast_retries(0));
    assert_eq!(first["state"], "Failed", "{first}");
    let err = first["error"].as_str().expect("error");
    let kept = first["fetchedCount"].as_i64().expect("fetched");
    assert!(
        err.contains("GetUpdateData to http://127.0.0.1:")
            && err.contains("ServerSyncWebService")
            && err.contains("answered HTTP 500")
            && err.contains("(1 attempt)"),
        "{err}"
    );
    assert!(
        err.contains(&format!("The catalog keeps the {kept} update documents that arrived")),
        "{err}"
    );
    let held = revisions(&child);
    assert_eq!(held, kept, "every document that arrived is committed");
    let damaged = damage.by_kind.iter().map(|k| k.load(Ordering::SeqCst)).sum::<usize>();
    assert!(damaged >= 2, "{damaged}");
    assert!(
        held >= want_revisions - (damaged * BATCH) as i64 && held < want_revisions,
        "only the damaged requests' {damaged}×{BATCH} documents are missing: {held} of {want_revisions}"
    );
    eprintln!(
        "without retries: {} update requests, {damaged} damaged, {held} of {want_revisions} held",
        damage.calls.load(Ordering::SeqCst)
    );
    let second = sync_through(&child, &fast_retries(0));
    assert_eq!(second["state"], "Succeeded", "{second}");
    assert_eq!(catalog(&child), want);
    assert_eq!(revisions(&child), want_revisions);
    assert_eq!(
        kept + second["fetchedCount"].as_i64().expect("fetched"),
        want_revisions,
        "nothing was fetched twice"
    );
}

/// An upstream that answers every request with `status`, the `extra` header lines and
/// `body`; counts them.
fn start_failing_upstream(status: u16, extra: &'static str, body: String) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let count = Arc::new(AtomicUsize::new(0));
    let shared = count.clone();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            if read_soap_request(&mut BufReader::new(stream.try_clone().expect("clone"))).is_some() {
                shared.fetch_add(1, Ordering::SeqCst);
                let head = soap_answer_head(status, body.len());
                let head = format!("{}\r\n{extra}\r\n", head.trim_end_matches("\r\n"));
                let _ = stream.write_all(format!("{head}\r\n").as_bytes());
                let _ = stream.write_all(body.as_bytes());
            }
        }
    });
    (base, count)
}

#[test]
fn an_upstream_failing_every_request_fails_the_run_after_the_bounded_attempts() {
    let policy = RetryPolicy {
        retries: 3,
        first_wait: Duration::from_millis(40),
        max_wait: Duration::from_millis(100),
    };
    // 40 + 80 + 100 ms.
    assert_eq!(policy.total_wait(), Duration::from_millis(220));
    let transport = fast_retries(0).with_retry(policy);
    let cases = [
        (
            "<html><body>Internal Server Error</body></html>".to_string(),
            4,
            "the upstream answered HTTP 500 (4 attempts)",
        ),
        (
            wsus::fault_xml("ServerBusy", ""),
            4,
            "the upstream answered HTTP 500 with the fault Server: Fault occurred [ErrorCode ServerBusy] (4 attempts)",
        ),
        // Refused for good: asking again would be refused again.
        (
            wsus::fault_xml("InvalidParameters", "accountGuid"),
            1,
            "[ErrorCode InvalidParameters: accountGuid] (1 attempt)",
        ),
    ];
    for (body, attempts, said) in cases {
        let (upstream, requests) = start_failing_upstream(500, "X-Served-By: test", body);
        let (_dir, child) = new_child(&upstream, &[]);
        let started = Instant::now();
        let run = sync_through(&child, &transport);
        let took = started.elapsed();
        assert_eq!(run["state"], "Failed", "{run}");
        let err = run["error"].as_str().expect("error");
        assert!(
            err.starts_with(&format!(
                "Synchronization failed: GetAuthConfig to {upstream}/ServerSyncWebService/ServerSyncWebService.asmx: "
            )) && err.contains(said),
            "{err}"
        );
        assert!(err.ends_with("Nothing arrived before the failure."), "{err}");
        assert_eq!(requests.load(Ordering::SeqCst), attempts, "{err}");
        let waits: Vec<String> = sync_log(&child, &run)
            .into_iter()
            .filter(|(level, m)| level == "warning" && m.starts_with("GetAuthConfig: attempt"))
            .map(|(_, m)| m)
            .collect();
        assert_eq!(waits.len(), attempts - 1, "{waits:?}");
        // Each wait is drawn between half the backoff and the whole of it.
        let mut waited = Duration::ZERO;
        for (i, backoff) in [40, 80, 100].into_iter().take(attempts - 1).enumerate() {
            let prefix = format!("GetAuthConfig: attempt {} of 4 failed: ", i + 1);
            let ms = wait_ms(&waits[i]);
            assert!(waits[i].starts_with(&prefix), "{waits:?}");
            assert!(
                (backoff / 2..=backoff).contains(&ms),
                "{ms} ms after a backoff of {backoff} ms: {waits:?}"
            );
            waited += Duration::from_millis(ms);
        }
        let budget = if attempts > 1 {
            policy.total_wait()
        } else {
            Duration::ZERO
        };
        assert!(
            took >= waited && waited <= budget && took < budget + Duration::from_secs(2),
            "{took:?} for waits of {waited:?} and a budget of {budget:?}"
        );
        eprintln!("{said}: failed after {took:?} (budget {budget:?})");
        assert_eq!(revisions(&child), 0);
    }
}

/// The milliseconds of "...; trying again in N ms" in a retry warning.
fn wait_ms(warning: &str) -> u64 {
    let (_, rest) = warning.split_once("trying again in ").expect("a wait");
    rest.split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("milliseconds")
}

#[test]
fn a_busy_upstream_asking_to_come_back_later_is_given_the_time_it_asked_for_up_to_the_longest_wait() {
    let policy = RetryPolicy {
        retries: 1,
        first_wait: Duration::from_millis(50),
        max_wait: Duration::from_millis(1500),
    };
    let transport = fast_retries(0).with_retry(policy);
    for (asked, expect_ms, said) in [
        ("Retry-After: 1", 1000, "(the upstream asked for 1 s)"),
        (
            "Retry-After: 30",
            1500,
            "(the upstream asked for 30 s; the longest wait set is 1500 ms)",
        ),
    ] {
        let (upstream, requests) = start_failing_upstream(503, asked, "<html>busy</html>".into());
        let (_dir, child) = new_child(&upstream, &[]);
        let started = Instant::now();
        let run = sync_through(&child, &transport);
        let took = started.elapsed();
        assert_eq!(run["state"], "Failed", "{run}");
        assert_eq!(requests.load(Ordering::SeqCst), 2);
        let warning = sync_log(&child, &run)
            .into_iter()
            .find(|(level, m)| level == "warning" && m.starts_with("GetAuthConfig: attempt 1 of 2"))
            .map(|(_, m)| m)
            .expect("the retry in the run log");
        assert!(warning.contains("the upstream answered HTTP 503"), "{warning}");
        assert!(warning.ends_with(said), "{warning}");
        assert_eq!(wait_ms(&warning), expect_ms, "{warning}");
        assert!(took >= Duration::from_millis(expect_ms), "{took:?}");
    }
}

/// A proxy in front of the parent that answers, as WSUS does for an id it does not hold
/// (exchange 000017), InternalServerError to every GetUpdateData naming `victim`. Counts
/// the requests naming it.
fn start_proxy_refusing_one_update(upstream: String, victim: String) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let asked = Arc::new(AtomicUsize::new(0));
    let asked_shared = asked.clone();
    let fault =
        std::fs::read_to_string(fixtures().join("wsusss/exchanges/000017/response.body")).expect("exchange 000017");
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let Some(req) = read_soap_request(&mut BufReader::new(stream.try_clone().expect("clone"))) else {
                continue;
            };
            let body = String::from_utf8_lossy(&req.body).to_string();
            let (mut status, mut text) = forward_soap(&upstream, &req);
            if req.action.contains("GetConfigData") {
                text = with_batch(&text, BATCH);
            }
            if req.action.contains("GetUpdateData") {
                if body.contains(&format!("<UpdateID>{victim}</UpdateID>")) {
                    asked_shared.fetch_add(1, Ordering::SeqCst);
                    (status, text) = (500, fault.clone());
                }
            }
            let _ = stream.write_all(soap_answer_head(status, text.len()).as_bytes());
            let _ = stream.write_all(text.as_bytes());
        }
    });
    (base, asked)
}

#[test]
fn an_update_the_upstream_cannot_give_is_found_by_halving_its_batch_and_the_rest_is_kept() {
    let parent = start_parent();
    let products = parent_products(&parent);
    let (_clean_dir, clean) = new_child(&parent.base, &products);
    assert_eq!(sync_through(&clean, &fast_retries(0))["state"], "Succeeded");
    let want_revisions = revisions(&clean);
    // An update, not a category: the categories pass must succeed for the updates to be
    // asked for at all.
    let listed = catalog(&clean);
    let victim = listed[listed.len() / 2].0.clone();

    let (proxy, asked) = start_proxy_refusing_one_update(parent.base.clone(), victim.clone());
    let (_dir, child) = new_child(&proxy, &products);
    let run = sync_through(&child, &fast_retries(1));
    assert_eq!(run["state"], "Failed", "{run}");
    let err = run["error"].as_str().expect("error");
    assert!(
        err.contains(&format!("asked for alone, update {victim} r")) && err.contains("cannot give it"),
        "{err}"
    );
    // Everything but the one revision arrived and was kept.
    assert_eq!(revisions(&child), want_revisions - 1, "{err}");
    // The whole batch, then halves of 4, 2 and 1, each tried twice: 8 requests name it.
    assert_eq!(asked.load(Ordering::SeqCst), 8, "{err}");
    let log = sync_log(&child, &run);
    assert!(
        log.iter()
            .any(|(level, m)| level == "warning" && m.contains("asking for its 8 revisions in halves")),
        "{log:?}"
    );
}

//! Reports survive a site killed while clients report: 200 computers send event batches to
//! the real `patchdeck serve --clients-listen` while the test kills it (SIGKILL) and starts
//! it again, over and over. A client resends a batch until it sees `true`, as Windows Update
//! Agents do, so a batch the site stored but could not acknowledge arrives twice. At the end
//! every acknowledged event is stored, none twice, and each computer's state is the one its
//! events imply.
//!
//! Requests are the captured agent's (`wusp/native`), with this run's cookies, client ids
//! and event ids in place of the captured ones.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use common::{api, serve_with_clients, Served, TOKEN};
use serde_json::json;

const COMPUTERS: usize = 200;
const BATCHES: usize = 10;
const THREADS: usize = 10;
const KB2267602: &str = "a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe";

fn captured(path: &str) -> String {
    let p = common::fixtures().join("wusp/native").join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn text_of<'a>(xml: &'a str, name: &str) -> &'a str {
    let open = format!("<{name}>");
    let start = xml.find(&open).unwrap_or_else(|| panic!("no <{name}>")) + open.len();
    let end = xml[start..].find(&format!("</{name}>")).expect("closed") + start;
    &xml[start..end]
}

/// The captured requests this test sends, and the texts it replaces in them.
struct Templates {
    auth: String,
    get_cookie: String,
    register: String,
    sync: String,
    report: String,
    captured_client: String,
    captured_auth: String,
    captured_expiration: String,
    captured_data: String,
    captured_instances: Vec<String>,
}

impl Templates {
    fn load() -> Templates {
        let report = captured("flow/000018/request.body");
        let captured_instances = report
            .split("<EventInstanceID>")
            .skip(1)
            .map(|s| s[..s.find('<').expect("closed")].to_string())
            .collect();
        let register = captured("scan/000004/request.body");
        Templates {
            auth: captured("scan/000002/request.body"),
            get_cookie: captured("scan/000003/request.body"),
            sync: captured("flow/000001/request.body"),
            captured_client: text_of(&captured("scan/000002/request.body"), "clientId").to_string(),
            captured_auth: text_of(&captured("scan/000002/response.body"), "CookieData").to_string(),
            captured_expiration: text_of(&register, "Expiration").to_string(),
            captured_data: text_of(&register, "EncryptedData").to_string(),
            register,
            report,
            captured_instances,
        }
    }
}

const CLIENT_ACTION: &str = "http://www.microsoft.com/SoftwareDistribution/Server/ClientWebService/";

/// Posts until the site answers 200 (restarting sites refuse connections for a moment).
fn post_until_ok(base: &RwLock<String>, path: &str, action: &str, body: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let url = format!("{}{path}", base.read().expect("base"));
        let result = ureq::post(&url)
            .timeout(Duration::from_secs(20))
            .set("Content-Type", "text/xml; charset=utf-8")
            .set("SOAPAction", action)
            .send_string(body);
        match result {
            Ok(r) => return r.into_string().expect("body"),
            Err(ureq::Error::Status(status, r)) => {
                let text = r.into_string().unwrap_or_default();
                panic!("{path} answered {status}: {text}");
            }
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => panic!("{path}: the site never came back: {e}"),
        }
    }
}

/// One computer: handshake, registration, a scan, then `BATCHES` report batches, each
/// resent until acknowledged. Returns the event instance ids acknowledged.
fn computer(t: &Templates, base: &RwLock<String>, n: usize) -> Vec<String> {
    let client = format!("00000000-0000-4000-8000-{n:012}");
    let auth = post_until_ok(
        base,
        "/SimpleAuthWebService/SimpleAuth.asmx",
        "http://www.microsoft.com/SoftwareDistribution/Server/SimpleAuthWebService/GetAuthorizationCookie",
        &t.auth.replace(&t.captured_client, &client),
    );
    let cookie = post_until_ok(
        base,
        "/ClientWebService/client.asmx",
        &format!("{CLIENT_ACTION}GetCookie"),
        &t.get_cookie.replace(&t.captured_auth, text_of(&auth, "CookieData")),
    );
    let (expiration, data) = (text_of(&cookie, "Expiration"), text_of(&cookie, "EncryptedData"));
    let with_cookie = |body: &str| {
        body.replace(&t.captured_expiration, expiration)
            .replace(&t.captured_data, data)
    };
    post_until_ok(
        base,
        "/ClientWebService/client.asmx",
        &format!("{CLIENT_ACTION}RegisterComputer"),
        &with_cookie(&t.register).replace("REDACTED3", &format!("pc-{n}")),
    );
    let scan = post_until_ok(
        base,
        "/ClientWebService/client.asmx",
        &format!("{CLIENT_ACTION}SyncUpdates"),
        &with_cookie(&t.sync),
    );
    assert!(scan.contains("<Action>Install</Action>"), "KB2267602 offered: {scan}");
    let mut acknowledged = Vec::new();
    for b in 0..BATCHES {
        let ids: Vec<String> = (0..t.captured_instances.len())
            .map(|e| format!("{n:08x}-{b:04x}-4000-8000-{e:012x}"))
            .collect();
        let mut body = with_cookie(&t.report).replace(&t.captured_client, &client);
        for (old, new) in t.captured_instances.iter().zip(&ids) {
            body = body.replace(old.as_str(), new);
        }
        let answer = post_until_ok(
            base,
            "/ReportingWebService/ReportingWebService.asmx",
            "http://www.microsoft.com/SoftwareDistribution/ReportEventBatch",
            &body,
        );
        assert!(
            answer.contains("<ReportEventBatchResult>true</ReportEventBatchResult>"),
            "{answer}"
        );
        acknowledged.extend(ids);
    }
    acknowledged
}

#[test]
fn acknowledged_reports_survive_kills_and_count_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    let (served, clients) = serve_with_clients(&site, TOKEN);
    let docs: Vec<String> = common::xml_files(&common::fixtures().join("wsusss/updates"))
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("doc"))
        .collect();
    api(&served, "import_xml", json!({ "documents": docs }));
    api(
        &served,
        "approve_updates",
        json!({ "updateIds": [KB2267602], "approvals": [{ "groupId": 1, "action": "Required", "deadline": "None" }] }),
    );

    let templates = Arc::new(Templates::load());
    let base = Arc::new(RwLock::new(clients));
    let next = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            let (t, base, next) = (templates.clone(), base.clone(), next.clone());
            std::thread::spawn(move || {
                let mut acked = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    if n >= COMPUTERS {
                        return acked;
                    }
                    acked.extend(computer(&t, &base, n));
                }
            })
        })
        .collect();

    // Kill and restart while they report.
    let mut served: Served = served;
    let mut kills = 0;
    let started = Instant::now();
    while next.load(Ordering::SeqCst) < COMPUTERS && started.elapsed() < Duration::from_secs(240) {
        std::thread::sleep(Duration::from_millis(400));
        let _ = served.child.kill();
        let _ = served.child.wait();
        kills += 1;
        let (again, clients) = serve_with_clients(&site, TOKEN);
        served = again;
        *base.write().expect("base") = clients;
    }
    let mut acknowledged: Vec<String> = Vec::new();
    for w in workers {
        acknowledged.extend(w.join().expect("worker"));
    }
    assert!(
        kills >= 3,
        "the site was killed {kills} times; too few to show anything"
    );

    let db = rusqlite::Connection::open(site.join(site::DATABASE_FILE)).expect("db");
    let stored: i64 = db
        .query_row("SELECT count(*) FROM client_events", [], |r| r.get(0))
        .expect("count");
    assert_eq!(acknowledged.len(), COMPUTERS * BATCHES * 2);
    assert_eq!(
        stored as usize,
        acknowledged.len(),
        "every acknowledged event stored, none twice"
    );
    let mut missing = 0;
    let mut stmt = db
        .prepare("SELECT 1 FROM client_events WHERE event_instance_id = ?1")
        .expect("prepare");
    for id in &acknowledged {
        if !stmt.exists([id]).expect("exists") {
            missing += 1;
        }
    }
    assert_eq!(missing, 0, "acknowledged events lost");
    // Every computer's install of KB2267602 failed (event 182, 0x80246007): 200 failures.
    let failed: i64 = db
        .query_row(
            "SELECT count(*) FROM update_states s JOIN updates u USING (upd_pk)
             WHERE u.update_id = ?1 AND s.status = 'Failed' AND s.last_error = '0x80246007'",
            [KB2267602],
            |r| r.get(0),
        )
        .expect("states");
    assert_eq!(failed as usize, COMPUTERS);
    eprintln!(
        "{kills} kills while {COMPUTERS} computers reported {} events",
        acknowledged.len()
    );
}

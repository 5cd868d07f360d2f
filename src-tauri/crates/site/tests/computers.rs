//! Managed computers through the command API: the Devices grid (sort, search, paging, group
//! filter, compliance, stale), a computer's Properties, and Update Status with its
//! drill-down. Computers and their reports are written straight into the tables, as the
//! client listener would write them.

mod common;

use common::Fixture;
use serde_json::{json, Value};
use site::ErrorCode;

const ACTOR: &str = "test:computers";

/// A time as the site stores it (fixed-width UTC text).
fn days_ago(days: i64) -> String {
    site::clock::format_utc(site::clock::now() - chrono::TimeDelta::days(days))
}

/// A registered computer: inventory as RegisterComputer writes it.
struct Client<'a> {
    name: &'a str,
    os: &'a str,
    ip: &'a str,
    last_report_days: Option<i64>,
    last_scan_days: Option<i64>,
}

impl Fixture {
    fn client(&self, c: Client<'_>, groups: &[i64]) -> i64 {
        self.raw
            .execute(
                "INSERT INTO computers (name, os, client_id, dns_name, os_version, architecture, ip_address,
                     client_version, first_seen_utc, last_seen_utc, last_scan_utc, last_report_utc)
                 VALUES (?1, ?2, ?1 || '-id', lower(?1) || '.corp.example', '10.0.26100.1', 'AMD64', ?3,
                     '10.0.26100.1', ?4, ?5, ?5, ?6)",
                rusqlite::params![
                    c.name,
                    c.os,
                    c.ip,
                    days_ago(90),
                    c.last_scan_days.map(days_ago),
                    c.last_report_days.map(days_ago),
                ],
            )
            .expect("computer");
        let id = self.raw.last_insert_rowid();
        for g in std::iter::once(&1).chain(groups) {
            self.raw
                .execute(
                    "INSERT OR IGNORE INTO computer_group_members (group_id, computer_id) VALUES (?1, ?2)",
                    [g, &id],
                )
                .expect("member");
        }
        id
    }

    /// A report with the client's fine status (migration 0008) beside the coarse state.
    fn state(&self, computer: i64, update_id: &str, status: &str, error: Option<&str>) {
        let state = match status {
            "NotApplicable" => "NotRequired",
            "Needed" | "Downloaded" | "InstalledPendingRestart" => "Required",
            other => other,
        };
        self.raw
            .execute(
                "INSERT INTO update_states (computer_id, upd_pk, state, status, last_error, reported_utc)
                 SELECT ?1, upd_pk, ?3, ?4, ?5, '2026-11-01T00:00:00.000Z' FROM updates WHERE update_id = ?2
                 ON CONFLICT (upd_pk, computer_id) DO UPDATE SET state = excluded.state, status = excluded.status,
                     last_error = excluded.last_error",
                rusqlite::params![computer, update_id, state, status, error],
            )
            .expect("state");
    }

    fn update_ids(&self, n: usize) -> Vec<String> {
        let mut stmt = self
            .raw
            .prepare("SELECT update_id FROM updates WHERE listed = 1 ORDER BY upd_pk LIMIT ?1")
            .expect("prepare");
        let ids: Vec<String> = stmt
            .query_map([n as i64], |r| r.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(ids.len(), n);
        ids
    }

    fn page(&self, query: Value) -> Value {
        self.call("list_computer_page", query)
    }
}

fn names(page: &Value) -> Vec<String> {
    page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["name"].as_str().expect("name").to_string())
        .collect()
}

fn row<'a>(page: &'a Value, name: &str) -> &'a Value {
    page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("{name} on the page"))
}

fn plain<'a>(name: &'a str, os: &'a str, ip: &'a str) -> Client<'a> {
    Client {
        name,
        os,
        ip,
        last_report_days: Some(1),
        last_scan_days: Some(1),
    }
}

/// Four computers with known reports over three updates.
fn fleet() -> (Fixture, Vec<i64>, Vec<String>, [i64; 2]) {
    let f = Fixture::new(ACTOR, 30);
    let servers = f.group("Servers", None);
    let web = f.group("Web", Some(servers));
    let u = f.update_ids(3);
    let web1 = f.client(plain("WEB-01", "Windows Server 2022", "10.0.0.11"), &[web]);
    let db1 = f.client(plain("DB-01", "Windows Server 2019", "10.0.0.21"), &[servers]);
    let pc = f.client(plain("PC-07", "Windows 11 Enterprise", "192.168.1.7"), &[]);
    // Registered 90 days ago, never scanned or reported since: Unknown and stale.
    let old = f.client(
        Client {
            last_report_days: None,
            last_scan_days: None,
            ..plain("OLD-LAPTOP", "Windows 10 Pro", "192.168.1.50")
        },
        &[],
    );
    f.raw
        .execute(
            "UPDATE computers SET last_seen_utc = ?1 WHERE computer_id = ?2",
            rusqlite::params![days_ago(45), old],
        )
        .expect("seen");
    // WEB-01: one needed, one failed, one installed. DB-01: installed and not applicable.
    // PC-07: pending restart (needed, as WSUS counts it).
    f.state(web1, &u[0], "Needed", None);
    f.state(web1, &u[1], "Failed", Some("0x80240022"));
    f.state(web1, &u[2], "Installed", None);
    f.state(db1, &u[0], "Installed", None);
    f.state(db1, &u[1], "NotApplicable", None);
    f.state(pc, &u[0], "InstalledPendingRestart", None);
    (f, vec![web1, db1, pc, old], u, [servers, web])
}

#[test]
fn devices_grid_sorts_searches_and_filters_by_group() {
    let (f, _, _, [servers, web]) = fleet();
    let all = f.page(json!({}));
    assert_eq!(all["total"], 4);
    assert_eq!(
        names(&all),
        ["DB-01", "OLD-LAPTOP", "PC-07", "WEB-01"],
        "by name by default"
    );
    let desc = f.page(json!({ "sort": { "column": "name", "descending": true } }));
    assert_eq!(names(&desc), ["WEB-01", "PC-07", "OLD-LAPTOP", "DB-01"]);
    let by_ip = f.page(json!({ "sort": { "column": "ipAddress", "descending": false } }));
    // Text order of the addresses, as the grid shows them.
    assert_eq!(names(&by_ip), ["WEB-01", "DB-01", "OLD-LAPTOP", "PC-07"]);
    let by_needed = f.page(json!({ "sort": { "column": "needed", "descending": true } }));
    assert_eq!(
        names(&by_needed)[..2],
        ["PC-07", "WEB-01"],
        "needed 1 each, ties by name A to Z"
    );
    let by_failed = f.page(json!({ "sort": { "column": "failed", "descending": true } }));
    assert_eq!(names(&by_failed)[0], "WEB-01");
    let by_report = f.page(json!({ "sort": { "column": "lastReport", "descending": false } }));
    assert_eq!(
        names(&by_report)[0],
        "OLD-LAPTOP",
        "never reported sorts first ascending"
    );

    // Search: name, DNS name, IP and OS, case-insensitive, wildcards literal.
    assert_eq!(names(&f.page(json!({ "search": "web" }))), ["WEB-01"]);
    assert_eq!(
        names(&f.page(json!({ "search": "192.168.1." }))),
        ["OLD-LAPTOP", "PC-07"]
    );
    assert_eq!(names(&f.page(json!({ "search": "server 2019" }))), ["DB-01"]);
    assert_eq!(names(&f.page(json!({ "search": "db-01.corp" }))), ["DB-01"]);
    assert_eq!(f.page(json!({ "search": "%" }))["total"], 0);
    assert_eq!(
        f.page(json!({ "search": "   " }))["total"],
        4,
        "blank search is no search"
    );

    // Group filter: direct members, or with subgroups.
    let direct = f.page(json!({ "groupId": servers }));
    assert_eq!(names(&direct), ["DB-01"]);
    let nested = f.page(json!({ "groupId": servers, "includeSubgroups": true }));
    assert_eq!(names(&nested), ["DB-01", "WEB-01"]);
    assert_eq!(
        names(&f.page(json!({ "groupId": web, "search": "db" }))),
        Vec::<String>::new()
    );
    assert_eq!(
        f.fail("list_computer_page", json!({ "groupId": 999 })).code,
        ErrorCode::NotFound
    );

    // The Groups column: every direct membership's path.
    let web_row = row(&all, "WEB-01");
    assert_eq!(
        web_row["groups"],
        json!(["All Computers", "All Computers / Servers / Web"])
    );
    assert_eq!(web_row["client"], true);
    assert_eq!(web_row["architecture"], "AMD64");
    assert_eq!(all["staleAfterDays"], 30);
}

#[test]
fn compliance_and_stale_per_computer() {
    let (f, ids, u, _) = fleet();
    let all = f.page(json!({}));
    let web = row(&all, "WEB-01");
    assert_eq!(
        (&web["needed"], &web["failed"], &web["installed"], &web["notApplicable"]),
        (&json!(1), &json!(1), &json!(1), &json!(0))
    );
    assert_eq!(web["compliance"], "NonCompliant");
    let db = row(&all, "DB-01");
    assert_eq!((&db["installed"], &db["notApplicable"]), (&json!(1), &json!(1)));
    assert_eq!(db["compliance"], "Compliant");
    assert_eq!(
        row(&all, "PC-07")["compliance"],
        "NonCompliant",
        "a pending restart is still needed"
    );
    let old = row(&all, "OLD-LAPTOP");
    assert_eq!(old["compliance"], "Unknown");
    assert_eq!(old["stale"], true, "not heard from for 45 days");
    assert_eq!(web["stale"], false);

    // The counts follow the reports: PC-07 restarts, WEB-01's failure is retried and installs,
    // and declining an update removes its report data.
    f.state(ids[2], &u[0], "Installed", None);
    f.state(ids[0], &u[1], "Installed", None);
    let after = f.page(json!({}));
    assert_eq!(row(&after, "PC-07")["compliance"], "Compliant");
    assert_eq!(row(&after, "WEB-01")["failed"], 0);
    assert_eq!(row(&after, "WEB-01")["installed"], 2);
    f.call("decline_updates", json!({ "updateIds": [u[0]] }));
    let declined = f.page(json!({}));
    let web = row(&declined, "WEB-01");
    assert_eq!((&web["needed"], &web["installed"]), (&json!(0), &json!(2)));
    assert_eq!(web["compliance"], "Compliant");
    assert_eq!(row(&declined, "DB-01")["installed"], 0);

    // Sorting by compliance keeps like with like.
    let by_compliance = f.page(json!({ "sort": { "column": "compliance", "descending": false } }));
    let order: Vec<&str> = by_compliance["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["compliance"].as_str().expect("c"))
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
}

#[test]
fn pages_cover_every_computer_once() {
    let f = Fixture::new(ACTOR, 0);
    {
        let tx = f.raw.unchecked_transaction().expect("tx");
        for i in 0..2_500 {
            tx.execute(
                "INSERT INTO computers (name, os, ip_address, last_report_utc) VALUES (?1, 'Windows 11', ?2, ?3)",
                rusqlite::params![
                    format!("PC-{i:05}"),
                    format!("10.1.{}.{}", i / 250, i % 250),
                    days_ago(i % 3)
                ],
            )
            .expect("computer");
        }
        tx.commit().expect("commit");
    }
    let mut seen = std::collections::HashSet::new();
    let mut offset = 0;
    loop {
        let page = f.page(json!({ "offset": offset, "limit": 1000,
                                  "sort": { "column": "lastReport", "descending": true } }));
        assert_eq!(page["total"], 2_500);
        let rows = page["rows"].as_array().expect("rows");
        if rows.is_empty() {
            break;
        }
        for r in rows {
            assert!(seen.insert(r["id"].as_i64().expect("id")), "a computer on two pages");
        }
        offset += rows.len() as i64;
    }
    assert_eq!(seen.len(), 2_500);
    let deep = f.page(json!({ "offset": 2_400, "limit": 0 }));
    assert_eq!(names(&deep)[0], "PC-02400");
    assert_eq!(
        deep["rows"].as_array().expect("rows").len(),
        100,
        "0 is the default page of 100"
    );
    assert_eq!(f.page(json!({ "offset": 9_999 }))["rows"], json!([]));
    assert_eq!(
        f.fail("list_computer_page", json!({ "limit": 1001 })).code,
        ErrorCode::Validation
    );
    assert_eq!(
        f.fail("list_computer_page", json!({ "offset": -1 })).code,
        ErrorCode::Validation
    );
}

#[test]
fn computer_properties_list_every_reported_update() {
    let (f, ids, u, _) = fleet();
    f.raw
        .execute(
            "UPDATE computers SET last_scan_error = '0x8024401C', target_group_name = 'Web' WHERE computer_id = ?1",
            [ids[0]],
        )
        .expect("scan error");
    let d = f.call("get_computer", json!({ "id": ids[0] }));
    assert_eq!(d["row"]["name"], "WEB-01");
    assert_eq!(d["dnsName"], "web-01.corp.example");
    assert_eq!(d["clientId"], "WEB-01-id");
    assert_eq!(d["lastScanError"], "0x8024401C");
    assert_eq!(d["targetGroupName"], "Web");
    assert_eq!(d["row"]["groups"][1], "All Computers / Servers / Web");
    let updates = d["updates"].as_array().expect("updates");
    assert_eq!(updates.len(), 3);
    // Failed first, then needed, then the rest.
    assert_eq!(updates[0]["updateId"], u[1].as_str());
    assert_eq!(updates[0]["status"], "Failed");
    assert_eq!(updates[0]["lastError"], "0x80240022");
    assert_eq!(updates[1]["status"], "Needed");
    assert_eq!(updates[2]["status"], "Installed");
    assert!(updates[2]["title"].as_str().is_some_and(|t| !t.is_empty()));

    // A state written with only the coarse state (before schema 8) reads as its status.
    f.report(ids[3], &u[2], "NotRequired");
    let old = f.call("get_computer", json!({ "id": ids[3] }));
    assert_eq!(old["updates"][0]["status"], "NotApplicable");
    assert_eq!(old["lastScanError"], Value::Null);

    assert_eq!(f.fail("get_computer", json!({ "id": 4242 })).code, ErrorCode::NotFound);
}

#[test]
fn update_status_counts_every_computer_and_drills_down() {
    let (f, ids, u, _) = fleet();
    let counts = f.call("get_update_status", json!({ "updateId": u[0] }));
    assert_eq!(
        counts,
        json!({ "needed": 1, "downloaded": 0, "installedPendingRestart": 1, "installed": 1,
                "notApplicable": 0, "failed": 0, "unknown": 1, "total": 4 })
    );
    let second = f.call("get_update_status", json!({ "updateId": u[1].to_uppercase() }));
    assert_eq!(
        (&second["failed"], &second["notApplicable"], &second["unknown"]),
        (&json!(1), &json!(1), &json!(2))
    );

    let drill = |status: &str| {
        f.call(
            "list_update_status_computers",
            json!({ "updateId": u[1], "status": status }),
        )
    };
    let failed = drill("Failed");
    assert_eq!(failed["total"], 1);
    assert_eq!(failed["rows"][0]["id"], ids[0]);
    assert_eq!(failed["rows"][0]["lastError"], "0x80240022");
    let unknown = drill("Unknown");
    assert_eq!(names(&unknown), ["OLD-LAPTOP", "PC-07"]);
    assert_eq!(unknown["rows"][0]["reportedUtc"], Value::Null);
    assert_eq!(drill("Needed")["total"], 0);
    let paged = f.call(
        "list_update_status_computers",
        json!({ "updateId": u[1], "status": "Unknown", "offset": 1, "limit": 1 }),
    );
    assert_eq!(
        (paged["total"].clone(), names(&paged)),
        (json!(2), vec!["PC-07".to_string()])
    );

    let missing = f.fail(
        "get_update_status",
        json!({ "updateId": "00000000-0000-0000-0000-000000000000" }),
    );
    assert_eq!(missing.code, ErrorCode::NotFound);
}

//! The site every command-API test starts from: a temporary site holding a generated
//! catalog, the command API as one actor, and a raw connection for what clients would
//! report later (computers, their group memberships, update states).

// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use serde_json::{json, Value};
use site::catalog::import::{import_documents, Document};
use site::{dispatch, Actor, ApiError, Site};

pub struct Fixture {
    _dir: tempfile::TempDir,
    pub site: Site,
    pub raw: rusqlite::Connection,
    actor: &'static str,
}

impl Fixture {
    /// A new site holding `count` generated deployable updates, changed by `actor`.
    pub fn new(actor: &'static str, count: usize) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let site = Site::open(dir.path()).expect("open");
        if count > 0 {
            let docs: Vec<Document> = site::catalog::generator::generate(count, 7)
                .map(|d| Document {
                    origin: d.file_name,
                    xml: d.xml,
                })
                .collect();
            import_documents(&site, &Actor::new(actor), docs).expect("import");
        }
        let raw = rusqlite::Connection::open(dir.path().join(site::DATABASE_FILE)).expect("raw");
        Self {
            _dir: dir,
            site,
            raw,
            actor,
        }
    }

    pub fn call(&self, name: &str, args: Value) -> Value {
        dispatch(&self.site, &Actor::new(self.actor), name, args).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    pub fn fail(&self, name: &str, args: Value) -> ApiError {
        match dispatch(&self.site, &Actor::new(self.actor), name, args) {
            Ok(v) => panic!("{name} should have been refused, answered {v}"),
            Err(e) => e,
        }
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.raw.query_row(sql, [], |r| r.get(0)).expect(sql)
    }

    pub fn group(&self, name: &str, parent: Option<i64>) -> i64 {
        self.call("create_target_group", json!({ "name": name, "parentId": parent }))["id"]
            .as_i64()
            .expect("id")
    }

    /// Computers come from clients later; tests write them directly.
    pub fn computer(&self, name: &str, groups: &[i64]) -> i64 {
        self.raw
            .execute("INSERT INTO computers (name, os) VALUES (?1, 'Windows 11')", [name])
            .expect("computer");
        let id = self.raw.last_insert_rowid();
        for g in groups {
            self.raw
                .execute(
                    "INSERT INTO computer_group_members (group_id, computer_id) VALUES (?1, ?2)",
                    [g, &id],
                )
                .expect("member");
        }
        id
    }

    /// A client's report; never REPLACE, so the counting triggers see the change.
    pub fn report(&self, computer: i64, update_id: &str, state: &str) {
        self.raw
            .execute(
                "INSERT INTO update_states (computer_id, upd_pk, state, reported_utc)
                 SELECT ?1, upd_pk, ?3, '2026-11-01T00:00:00.000Z' FROM updates WHERE update_id = ?2
                 ON CONFLICT (upd_pk, computer_id) DO UPDATE SET state = excluded.state",
                rusqlite::params![computer, update_id, state],
            )
            .expect("report");
    }

    pub fn audit(&self) -> Vec<Value> {
        self.call("list_audit", json!({ "limit": 1000 }))
            .as_array()
            .expect("audit")
            .clone()
    }
}

/// The Deploy wizard's settings with the given type and times (alert: below 90% three days
/// after the deadline).
pub fn settings(kind: &str, available: &str, deadline: Option<&str>) -> Value {
    json!({
        "deploymentType": kind,
        "wakeOnLan": false,
        "verbosity": "AllMessages",
        "timeBasis": "Utc",
        "availableUtc": available,
        "deadlineUtc": deadline,
        "userNotifications": "DisplayAll",
        "installOutsideMaintenanceWindow": false,
        "restartOutsideMaintenanceWindow": false,
        "suppressRestartServers": true,
        "suppressRestartWorkstations": false,
        "alertDaysAfterDeadline": 3,
        "alertBelowPercent": 90,
        "slowNetwork": "DoNotInstall",
        "fallbackToMicrosoftUpdate": false,
        "allowMeteredDownload": false
    })
}

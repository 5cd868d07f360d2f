//! The cleanup after a sync declines expired and long-superseded updates, never approved
//! ones, and stops when its time budget is spent.

use std::time::Duration;

use serde_json::json;
use site::catalog::import::{import_documents, Document};
use site::sync::cleanup;
use site::{dispatch, Actor, Site};

#[test]
fn declines_expired_and_superseded_but_never_approved_updates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = Site::open(dir.path()).expect("open");
    let docs: Vec<Document> = site::catalog::generator::generate(600, 3)
        .map(|d| Document {
            origin: d.file_name,
            xml: d.xml,
        })
        .collect();
    import_documents(&site, &Actor::new("test"), docs).expect("import");
    let db = dir.path().join(site::DATABASE_FILE);
    let raw = rusqlite::Connection::open(&db).expect("raw");
    // Everything arrived long ago, so every superseded update is past the age.
    raw.execute("UPDATE updates SET arrival_utc = '2020-01-01T00:00:00Z'", [])
        .expect("age");
    let pick = |sql: &str| -> i64 { raw.query_row(sql, [], |r| r.get(0)).expect(sql) };
    let expired = pick("SELECT count(*) FROM updates WHERE publication_state = 'Expired'");
    let superseded = pick("SELECT count(*) FROM updates WHERE is_superseded = 1 AND publication_state <> 'Expired'");
    assert!(expired > 0 && superseded > 0, "{expired} {superseded}");
    // An administrator approved one expired and one superseded update.
    let approved_expired = pick("SELECT upd_pk FROM updates WHERE publication_state = 'Expired' LIMIT 1");
    let approved_superseded =
        pick("SELECT upd_pk FROM updates WHERE is_superseded = 1 AND publication_state <> 'Expired' LIMIT 1");
    raw.execute(
        "INSERT OR IGNORE INTO target_groups (group_id, name, created_utc) VALUES (1, 'All Computers', '2026-01-01T00:00:00Z')",
        [],
    )
    .expect("group");
    for pk in [approved_expired, approved_superseded] {
        raw.execute(
            "INSERT INTO assignments (name, upd_pk, target_group_id, action, created_utc) VALUES ('approval', ?1, 1, 'Required', '2026-01-01T00:00:00Z')",
            [pk],
        )
        .expect("assignment");
    }

    // No budget: nothing is done, and it says so.
    let none = cleanup::run(&site, 30, Duration::ZERO).expect("cleanup");
    assert!(none.unfinished);
    assert_eq!((none.expired, none.superseded), (0, 0));

    let done = cleanup::run(&site, 30, Duration::from_secs(30)).expect("cleanup");
    assert!(!done.unfinished);
    assert_eq!(done.expired, expired - 1);
    assert_eq!(done.superseded, superseded - 1);
    assert_eq!(done.kept_approved, 2);
    let declined = |reason: &str| {
        pick(&format!(
            "SELECT count(*) FROM updates WHERE declined = 1 AND declined_reason = '{reason}'"
        ))
    };
    assert_eq!(declined("Expired"), expired - 1);
    assert_eq!(declined("Superseded"), superseded - 1);
    for pk in [approved_expired, approved_superseded] {
        assert_eq!(
            pick(&format!("SELECT declined FROM updates WHERE upd_pk = {pk}")),
            0,
            "approved update {pk} kept"
        );
    }
    // The console sees the declined flag.
    let id: String = raw
        .query_row(
            "SELECT update_id FROM updates WHERE declined_reason = 'Superseded' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("id");
    let d = dispatch(&site, &Actor::new("test"), "get_update", json!({ "updateId": id })).expect("get");
    assert_eq!(d["row"]["declined"], true);

    // A second run finds nothing left to do.
    let again = cleanup::run(&site, 30, Duration::from_secs(30)).expect("cleanup");
    assert_eq!((again.expired, again.superseded), (0, 0));
}

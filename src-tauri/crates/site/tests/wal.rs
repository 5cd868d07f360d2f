//! The write-ahead log after a big import: emptied, not left at its high-water size
//! (issue 13: a 100,000-revision import left 265 MB of log beside the database).

use site::catalog::import::{import_documents, Document};
use site::{Actor, Site};

#[test]
fn a_big_import_leaves_the_log_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = Site::open(dir.path()).expect("open");
    let docs: Vec<Document> = site::catalog::generator::generate(2000, 3)
        .map(|d| Document {
            origin: d.file_name,
            xml: d.xml,
        })
        .collect();
    let count = docs.len();
    let report = import_documents(&site, &Actor::new("wal-test"), docs).expect("import");
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.new_revisions as usize, count);

    let wal = dir.path().join(format!("{}-wal", site::DATABASE_FILE));
    // Without the checkpoint this one transaction leaves about 10 MB of log.
    let len = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert!(len < 1024 * 1024, "the log holds {len} bytes after the import");

    // Everything is in the database file itself: a fresh connection reads it.
    drop(site);
    let raw = rusqlite::Connection::open(dir.path().join(site::DATABASE_FILE)).expect("raw");
    let revisions: i64 = raw
        .query_row("SELECT count(*) FROM revisions", [], |r| r.get(0))
        .expect("count");
    assert_eq!(revisions as usize, count);
}

#[test]
fn the_writer_caps_what_a_reset_log_keeps() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = Site::open(dir.path()).expect("open");
    let limit: i64 = site
        .store()
        .writer()
        .query_row("PRAGMA journal_size_limit", [], |r| r.get(0))
        .expect("pragma");
    assert_eq!(limit, site::store::wal::JOURNAL_SIZE_LIMIT_BYTES);
}

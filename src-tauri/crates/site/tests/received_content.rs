//! This site as a remote distribution point dropping a file a sending site uploaded earlier
//! (`remove_received_content`, issue 17: a point holds exactly the current image). Files are
//! received through the real upload path (streamed, verified against their names); only a
//! library name can be asked for, and a file one of this site's packages holds stays.

mod common;

use common::Fixture;
use serde_json::json;
use sha1::Digest;
use site::content::receive::{receive, ContentName, Declared};
use site::{Actor, ErrorCode};

fn received(f: &Fixture, body: &[u8], ext: &str) -> String {
    let hex: String = sha1::Sha1::digest(body).iter().map(|b| format!("{b:02X}")).collect();
    let name = ContentName::parse(&hex[38..], &format!("{hex}.{ext}")).expect("name");
    let got = receive(
        &f.site,
        &Actor::new("sender"),
        &name,
        &Declared {
            size: Some(body.len() as u64),
            ..Declared::default()
        },
        &mut &body[..],
    )
    .expect("received");
    got.path
}

#[test]
fn a_received_file_is_dropped_on_request_unless_this_site_holds_it() {
    let f = Fixture::new("remote", 0);
    let library = site::content::library_root(&f.site);
    let old_image = received(&f, b"the image before servicing", "wim");
    let shared = received(&f, b"a cabinet this site's own package holds", "cab");
    let sha1: String = f
        .raw
        .query_row("SELECT sha1 FROM content WHERE path = ?1", [&shared], |r| r.get(0))
        .expect("recorded");
    f.raw
        .execute_batch(&format!(
            "INSERT INTO packages (package_id, name, created_utc) VALUES (7, 'Servers monthly', '2026-12-03T10:00:00Z');
             INSERT INTO package_content (package_id, sha1, update_id) VALUES (7, '{sha1}', 'u-1');"
        ))
        .expect("package");

    let answer = f.call("remove_received_content", json!({ "path": old_image }));
    assert_eq!(answer["removed"], true);
    assert!(!library.join(&old_image).exists(), "the file is gone");
    assert_eq!(
        f.count(&format!("SELECT COUNT(*) FROM content WHERE path = '{old_image}'")),
        0
    );
    assert!(f.audit().iter().any(|a| a["action"] == "content.remove_received"
        && a["target"] == old_image.as_str()
        && a["actor"] == "remote"));
    // Asked again: nothing to drop, and that is not an error.
    assert_eq!(
        f.call("remove_received_content", json!({ "path": old_image }))["removed"],
        false
    );

    let e = f.fail("remove_received_content", json!({ "path": shared }));
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains("Servers monthly"), "{}", e.message);
    assert!(library.join(&shared).is_file(), "a file this site holds stays");

    for bad in ["../site.db", "AB/not-a-digest.wim", "content/../../etc/passwd", ""] {
        assert_eq!(
            f.fail("remove_received_content", json!({ "path": bad })).code,
            ErrorCode::Validation,
            "{bad:?}"
        );
    }
}

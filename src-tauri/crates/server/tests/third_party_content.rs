//! A third-party update's signed cabinet served at its UssUrl path by `patchdeck serve`,
//! and refused once one byte of it changed (issue 16, point 4).

mod common;

#[path = "../../site/tests/support/msi.rs"]
mod msi;

use common::*;
use serde_json::json;

#[test]
fn a_published_cabinet_is_served_while_it_verifies_and_refused_after_one_flipped_byte() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("site");
    let installer = msi::build_msi(
        &dir.path().join("src"),
        &msi::Msi {
            file: "tool.msi",
            name: "Northwind Tool",
            version: "1.0.0.0",
            manufacturer: "Northwind",
            product_code: "{5E0C7A2B-3D4F-4E6A-9B8C-7D6E5F4A3B2C}",
            upgrade_code: "{6F1D8B3C-4E5A-4F7B-8C9D-8E7F6A5B4C3D}",
            component_guid: "{7A2E9C4D-5F6B-4A8C-9DAE-9F8A7B6C5D4E}",
        },
    );
    let served = serve(&folder, "t0ken-third-party");
    let published = api(
        &served,
        "publish_third_party_update",
        json!({
            "files": { "path": installer },
            "description": { "title": "Northwind Tool 1.0", "vendor": "Northwind", "product": "Northwind Tool" },
            "classification": "Updates"
        }),
    );
    assert_eq!(published["revision"], 1, "{published}");
    let details = api(&served, "get_update", json!({ "updateId": published["updateId"] }));
    let sha1_hex = details["files"][0]["sha1"].as_str().expect("sha1").to_uppercase();
    let relative = format!("{}/{sha1_hex}.cab", &sha1_hex[38..]);
    let url = format!("{}/Content/{relative}", served.base);

    let ok = ureq::get(&url).call().expect("served");
    let mut body = Vec::new();
    std::io::Read::read_to_end(&mut ok.into_reader(), &mut body).expect("body");
    let stored = folder.join("content").join(&relative);
    assert_eq!(body, std::fs::read(&stored).expect("stored"));

    let mut bytes = body.clone();
    let middle = bytes.len() / 3;
    bytes[middle] ^= 0x01;
    std::fs::write(&stored, bytes).expect("tamper");
    match ureq::get(&url).call() {
        Err(ureq::Error::Status(403, r)) => {
            let text = r.into_string().expect("text");
            assert!(text.contains("it is not served"), "{text}");
        }
        other => panic!("a tampered cabinet was answered: {other:?}"),
    }
    // HEAD is refused too: nothing of it is offered.
    assert!(matches!(ureq::head(&url).call(), Err(ureq::Error::Status(403, _))));
}

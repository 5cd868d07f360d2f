//! The browser console's upload of an installer and its files (issue 16, point 6) through
//! the real `patchdeck serve`: token required; an upload over the quota refused from its
//! declared size before any byte is stored; the files streamed and published from the
//! paths the site gave (the upload's folder gone after); a file sent longer than declared,
//! a connection dropped mid-file and a cancelled upload each leave nothing behind.

mod common;

#[path = "../../site/tests/support/msi.rs"]
mod msi;

use std::path::Path;
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

const TOKEN_HERE: &str = "t0ken-third-party-upload";

/// Everything under the site's uploads folder.
fn uploaded(folder: &Path) -> Vec<String> {
    let root = folder.join("publishing/uploads");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&root).into_iter().flatten().flatten() {
        out.push(entry.file_name().to_string_lossy().into_owned());
        for inner in std::fs::read_dir(entry.path()).into_iter().flatten().flatten() {
            out.push(format!("  {}", inner.file_name().to_string_lossy()));
        }
    }
    out
}

fn put(served: &Served, upload: &str, name: &str, bytes: &[u8], token: Option<&str>) -> Result<Value, (u16, Value)> {
    let mut request = ureq::put(&format!(
        "{}/api/v1/publishing/uploads/{upload}/{}",
        served.base,
        name.replace(' ', "%20")
    ));
    if let Some(t) = token {
        request = request.set("Authorization", &format!("Bearer {t}"));
    }
    match request.send_bytes(bytes) {
        Ok(r) => Ok(r.into_json().expect("json")),
        Err(ureq::Error::Status(status, r)) => Err((status, r.into_json().unwrap_or(Value::Null))),
        Err(e) => panic!("{name}: {e}"),
    }
}

fn begin(served: &Served, files: Value) -> Value {
    api(
        served,
        "begin_upload",
        json!({ "purpose": "ThirdPartyUpdate", "files": files }),
    )
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < Duration::from_secs(20), "{what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn an_upload_is_checked_before_any_byte_streamed_published_and_leaves_nothing_when_broken() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("site");
    let installer = msi::build_msi(&dir.path().join("src"), &msi::VIEWER);
    let msi_bytes = std::fs::read(&installer).expect("msi");
    let extra = b"[Viewer]\nTelemetry=0\n".to_vec();
    let served = serve(&folder, TOKEN_HERE);
    let files = json!([
        { "name": "viewer.msi", "size": msi_bytes.len() },
        { "name": "settings.ini", "size": extra.len() }
    ]);

    // No token: 401, and nothing is kept (a small body: the server answers without reading it).
    let (status, _) =
        put(&served, "00112233445566778899aabbccddeeff", "viewer.msi", b"MZ", None).expect_err("no token");
    assert_eq!(status, 401);
    assert!(uploaded(&folder).is_empty());

    // Over the quota: refused from the declared sizes, with both sizes, before any byte.
    api(&served, "set_publishing_settings", json!({ "storageQuotaMb": 1 }));
    let (status, error) = api_refused(
        &served,
        "begin_upload",
        json!({ "purpose": "ThirdPartyUpdate", "files": [{ "name": "viewer.msi", "size": msi_bytes.len() }, { "name": "big.bin", "size": 3_000_000 }] }),
    );
    assert_eq!(status, 400, "{error}");
    let message = error["message"].as_str().expect("message");
    assert!(
        message.contains("needs 2.")
            && message.contains("only 1.00 MB is left")
            && message.contains("Nothing was stored"),
        "{message}"
    );
    assert!(uploaded(&folder).is_empty(), "{:?}", uploaded(&folder));
    api(&served, "set_publishing_settings", json!({ "storageQuotaMb": 100 }));

    // Streamed, then published from the paths the site gave; the upload's folder goes.
    let session = begin(&served, files.clone());
    let upload = session["uploadId"].as_str().expect("id").to_string();
    let paths: Vec<String> = session["paths"]
        .as_array()
        .expect("paths")
        .iter()
        .map(|p| p.as_str().expect("path").to_string())
        .collect();
    let received = put(&served, &upload, "viewer.msi", &msi_bytes, Some(TOKEN_HERE)).expect("stored");
    assert_eq!(received["size"], msi_bytes.len());
    put(&served, &upload, "settings.ini", &extra, Some(TOKEN_HERE)).expect("stored");
    assert_eq!(std::fs::read(&paths[0]).expect("staged"), msi_bytes);
    let details = api(
        &served,
        "inspect_installer",
        json!({ "path": paths[0], "extraPaths": [paths[1]] }),
    );
    assert_eq!(details["productName"], "Fabrikam Viewer");
    let published = api(
        &served,
        "publish_third_party_update",
        json!({
            "files": { "path": paths[0], "extraPaths": [paths[1]] },
            "description": { "title": "Fabrikam Viewer 3.2.1", "vendor": "Fabrikam SARL", "product": "Fabrikam Viewer" },
            "classification": "Updates"
        }),
    );
    assert_eq!(published["revision"], 1, "{published}");
    assert!(uploaded(&folder).is_empty(), "{:?}", uploaded(&folder));

    // A file not declared, or longer than declared: refused, and the upload is gone.
    let session = begin(&served, files.clone());
    let upload = session["uploadId"].as_str().expect("id").to_string();
    put(&served, &upload, "viewer.msi", &msi_bytes, Some(TOKEN_HERE)).expect("stored");
    let (status, error) = put(&served, &upload, "other.dll", b"MZ", Some(TOKEN_HERE)).expect_err("not declared");
    assert_eq!(status, 400, "{error}");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("other.dll was not declared")),
        "{error}"
    );
    assert!(uploaded(&folder).is_empty(), "{:?}", uploaded(&folder));
    let session = begin(&served, files.clone());
    let upload = session["uploadId"].as_str().expect("id").to_string();
    let mut longer = extra.clone();
    longer.extend_from_slice(b"more");
    let (status, error) = put(&served, &upload, "settings.ini", &longer, Some(TOKEN_HERE)).expect_err("too long");
    assert_eq!(status, 400, "{error}");
    assert!(uploaded(&folder).is_empty(), "{:?}", uploaded(&folder));

    // The connection dropped in the middle of a file: nothing of the upload stays.
    let session = begin(&served, files.clone());
    let upload = session["uploadId"].as_str().expect("id").to_string();
    cut_upload_midway(&served, &upload, "viewer.msi", &msi_bytes, || {
        uploaded(&folder).iter().any(|f| f.contains("viewer.msi.part"))
    });
    wait_until("a dropped upload leaves nothing", || uploaded(&folder).is_empty());

    // Cancelled by the wizard: the folder and what it received go; audited.
    let session = begin(&served, files);
    let upload = session["uploadId"].as_str().expect("id").to_string();
    put(&served, &upload, "viewer.msi", &msi_bytes, Some(TOKEN_HERE)).expect("stored");
    api(&served, "cancel_upload", json!({ "uploadId": upload }));
    assert!(uploaded(&folder).is_empty(), "{:?}", uploaded(&folder));
    let (status, _) = put(&served, &upload, "settings.ini", &extra, Some(TOKEN_HERE)).expect_err("cancelled");
    assert_eq!(status, 404);
    let audit = api(&served, "list_audit", json!({ "offset": 0, "limit": 100 }));
    let text = audit.to_string();
    assert!(
        text.contains("publishing.upload.cancel") && text.contains("publishing.upload"),
        "{text}"
    );
}

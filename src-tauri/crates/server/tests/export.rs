//! Disconnected sites: `patchdeck export` at a connected site, `patchdeck import` (or the
//! console's import command) at a disconnected one, with or without the content library;
//! damaged files are refused and change nothing.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use common::*;
use serde_json::{json, Value};
use site::Site;

fn everything(site: &Site) -> (Value, Vec<Value>) {
    let page = call(
        site,
        "list_updates",
        json!({ "limit": 1000, "includeExpired": true, "sort": { "column": "title", "descending": false } }),
    );
    let details = page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| call(site, "get_update", json!({ "updateId": r["updateId"] })))
        .map(|mut d| {
            // When a revision arrived is the one thing that differs between two sites.
            d["arrivalUtc"] = Value::Null;
            d
        })
        .collect();
    (page, details)
}

fn revision_count(site_dir: &Path) -> Value {
    call(&Site::open(site_dir).expect("site"), "site_info", json!(null))["revisionCount"].clone()
}

#[test]
fn export_then_import_reproduces_the_catalog_and_damaged_files_change_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b, c) = (dir.path().join("a"), dir.path().join("b"), dir.path().join("c"));
    let generated = dir.path().join("gen");
    assert!(patchdeck(&a)
        .arg("import-xml")
        .args(xml_files(&fixtures().join("wsusss/updates")))
        .status()
        .expect("run")
        .success());
    assert!(patchdeck(&a)
        .args(["gen-catalog", "--count", "300", "--seed", "11", "--out"])
        .arg(&generated)
        .status()
        .expect("gen")
        .success());
    assert!(patchdeck(&a)
        .arg("import-xml")
        .args(xml_files(&generated))
        .status()
        .expect("run")
        .success());

    let file = dir.path().join("catalog.tar.gz");
    assert!(patchdeck(&a)
        .arg("export")
        .arg("--out")
        .arg(&file)
        .status()
        .expect("export")
        .success());
    let out = patchdeck(&b).arg("import").arg(&file).output().expect("import");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (sa, sb) = (Site::open(&a).expect("a"), Site::open(&b).expect("b"));
    assert_eq!(
        everything(&sb),
        everything(&sa),
        "the imported catalog is the exported one"
    );
    assert_eq!(revision_count(&b), revision_count(&a));
    drop((sa, sb));

    // Importing again changes nothing.
    let again = patchdeck(&b).arg("import").arg(&file).output().expect("import");
    assert!(
        String::from_utf8_lossy(&again.stdout).starts_with("0 new updates, 0 new revisions"),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );

    // A site with something already, and damaged copies of the file.
    assert!(patchdeck(&c)
        .arg("import-xml")
        .arg(fixtures().join("wsusss/updates/56309036-4c77-4dd9-951a-99ee9c246a94-r101.xml"))
        .status()
        .expect("run")
        .success());
    let before = revision_count(&c);
    let bytes = std::fs::read(&file).expect("read");
    let truncated = dir.path().join("truncated.tar.gz");
    std::fs::write(&truncated, &bytes[..bytes.len() * 6 / 10]).expect("write");
    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x55;
    let altered = dir.path().join("altered.tar.gz");
    std::fs::write(&altered, &flipped).expect("write");
    let not_export = fixtures().join("wsusss/updates/56309036-4c77-4dd9-951a-99ee9c246a94-r101.xml");
    for bad in [truncated.as_path(), altered.as_path(), not_export.as_path()] {
        let out = patchdeck(&c).arg("import").arg(bad).output().expect("import");
        assert_eq!(out.status.code(), Some(1), "{} refused", bad.display());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("cannot be imported") && err.contains("Nothing was changed"),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(revision_count(&c), before, "{} changed nothing", bad.display());
    }
}

/// The content table's rows: (sha1, sha256, size, file name, path).
fn content_rows(site_dir: &Path) -> Vec<(String, Option<String>, i64, String, String)> {
    let c = rusqlite::Connection::open(site_dir.join("site.db")).expect("db");
    let mut stmt = c
        .prepare("SELECT sha1, sha256, size, file_name, path FROM content ORDER BY sha1")
        .expect("query");
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .expect("rows")
        .collect::<rusqlite::Result<Vec<_>>>()
        .expect("rows");
    rows
}

/// Every file under a folder (missing folder: none).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The export at `from`, re-packed with one byte of `victim` (found by its bytes) flipped:
/// a well-formed archive whose only fault is that file's content.
fn with_altered_content(from: &Path, to: &Path, victim: &[u8]) {
    let mut tar = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(from).expect("export"))
        .read_to_end(&mut tar)
        .expect("gunzip");
    let at = tar
        .windows(64)
        .position(|w| w == &victim[..64])
        .expect("the content file is in the archive");
    tar[at + victim.len() / 2] ^= 0x01;
    let mut gz = flate2::write::GzEncoder::new(std::fs::File::create(to).expect("create"), flate2::Compression::fast());
    gz.write_all(&tar).expect("gzip");
    gz.finish().expect("finish");
}

/// The export at `from`, re-packed with the content file whose archive path ends with `rel`
/// followed by `extra` zero bytes: a well-formed archive whose file is larger than its
/// manifest says (a decompression bomb, in small).
fn with_grown_content(from: &Path, to: &Path, rel: &str, extra: u64) {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(std::fs::File::open(from).expect("export")));
    let gz = flate2::write::GzEncoder::new(std::fs::File::create(to).expect("create"), flate2::Compression::fast());
    let mut out = tar::Builder::new(gz);
    for entry in archive.entries().expect("entries") {
        let mut entry = entry.expect("entry");
        let path = entry.path().expect("path").to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read");
        let mut header = entry.header().clone();
        if path.ends_with(rel) {
            header.set_size(bytes.len() as u64 + extra);
            header.set_cksum();
            out.append(&header, bytes.as_slice().chain(std::io::repeat(0).take(extra)))
                .expect("append");
        } else {
            out.append(&header, bytes.as_slice()).expect("append");
        }
    }
    out.into_inner().expect("tar").finish().expect("gzip");
}

#[test]
fn content_travels_in_the_export_verified_and_a_damaged_file_changes_nothing() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (docs, files_dir, real) = updates_with_files(tmp.path(), 5, 31, |n| 40_000 + n * 4_099);
    let a = tmp.path().join("a");
    assert!(patchdeck(&a)
        .arg("import-xml")
        .args(xml_files(&docs))
        .status()
        .expect("import")
        .success());
    let ids: Vec<String> = {
        let sa = Site::open(&a).expect("a");
        let page = call(&sa, "list_updates", json!({ "limit": 100, "includeExpired": true }));
        page["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| r["updateId"].as_str().expect("id").to_string())
            .collect()
    };
    let mut download = patchdeck(&a);
    download
        .args(["download", "--package", "Everything", "--from"])
        .arg(&files_dir);
    for id in &ids {
        download.args(["--update", id]);
    }
    let out = download.output().expect("download");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let held = content_rows(&a);
    assert!(held.len() >= 3, "the site holds downloaded files: {held:?}");
    let library = |site: &Path| site.join("content");

    // A catalog-only export (format 1, as before) carries no content.
    let catalog_only = tmp.path().join("catalog.tar.gz");
    assert!(patchdeck(&a)
        .args(["export", "--out"])
        .arg(&catalog_only)
        .status()
        .expect("export")
        .success());
    let b0 = tmp.path().join("b0");
    let out = patchdeck(&b0)
        .arg("import")
        .arg(&catalog_only)
        .output()
        .expect("import");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(content_rows(&b0).is_empty() && files_under(&library(&b0)).is_empty());

    // With content: a fresh site gets the same catalog and the same library, byte for byte.
    let file = tmp.path().join("with-content.tar.gz");
    let out = patchdeck(&a)
        .args(["export", "--with-content", "--out"])
        .arg(&file)
        .output()
        .expect("export");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&format!("{} content files", held.len())),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let b = tmp.path().join("b");
    let out = patchdeck(&b).arg("import").arg(&file).output().expect("import");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(said.contains(&format!("{} content files stored", held.len())), "{said}");
    {
        let (sa, sb) = (Site::open(&a).expect("a"), Site::open(&b).expect("b"));
        assert_eq!(
            everything(&sb),
            everything(&sa),
            "the imported catalog is the exported one"
        );
    }
    assert_eq!(content_rows(&b), held, "the library is recorded as at the source");
    for (_, _, _, _, rel) in &held {
        let (x, y) = (library(&a).join(rel), library(&b).join(rel));
        assert_eq!(
            std::fs::read(&y).expect("imported file"),
            std::fs::read(&x).expect("source file"),
            "{rel}"
        );
    }
    assert_eq!(files_under(&library(&b)).len(), held.len());
    assert!(files_under(&b.join("downloads")).is_empty(), "no staging left behind");
    let imported_files: Vec<&UpdateFile> = real.iter().filter(|f| library(&b).join(f.rel()).is_file()).collect();
    assert_eq!(imported_files.len(), held.len());
    assert!(imported_files
        .iter()
        .all(|f| std::fs::read(library(&b).join(f.rel())).expect("file") == f.bytes));

    // Importing again stores nothing new.
    let again = patchdeck(&b).arg("import").arg(&file).output().expect("import");
    let said = String::from_utf8_lossy(&again.stdout).into_owned();
    assert!(
        said.starts_with("0 new updates, 0 new revisions")
            && said.contains(&format!(
                "0 content files stored (0 bytes), {} already held",
                held.len()
            )),
        "{said}"
    );

    // One content file altered inside a well-formed archive: refused, the site untouched.
    // The last one in the archive (library path order), so others were staged before it.
    let victim_rel = held.iter().map(|r| r.4.clone()).max().expect("a file");
    let victim = std::fs::read(library(&a).join(&victim_rel)).expect("source");
    let altered = tmp.path().join("altered.tar.gz");
    with_altered_content(&file, &altered, &victim);
    let c = tmp.path().join("c");
    let out = patchdeck(&c).arg("import").arg(&altered).output().expect("import");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("Nothing was changed") && err.contains(&victim_rel),
        "{err}"
    );
    assert_eq!(revision_count(&c), json!(0), "no revision imported");
    assert!(content_rows(&c).is_empty(), "no content recorded");
    assert!(files_under(&library(&c)).is_empty(), "no content file placed");
    assert!(files_under(&c.join("downloads")).is_empty(), "no staged file left");

    // The same file grown past its manifest's size: refused from the archive's header, before
    // anything is staged, naming the file and both sizes.
    let victim_size = victim.len() as u64;
    let grown = tmp.path().join("grown.tar.gz");
    with_grown_content(&file, &grown, &victim_rel, 8 << 20);
    let g = tmp.path().join("g");
    let out = patchdeck(&g).arg("import").arg(&grown).output().expect("import");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "is {} bytes in the archive, not the {victim_size} its manifest lists",
            victim_size + (8 << 20)
        )) && err.contains(&victim_rel)
            && err.contains("Nothing was changed"),
        "{err}"
    );
    assert_eq!(revision_count(&g), json!(0), "no revision imported");
    assert!(files_under(&library(&g)).is_empty() && files_under(&g.join("downloads")).is_empty());

    // The console's commands, over HTTP, with paths on the site's machine.
    let served_a = serve(&a, TOKEN);
    let by_console = tmp.path().join("by-console.tar.gz");
    let r = api(
        &served_a,
        "export_catalog",
        json!({ "path": by_console, "withContent": true }),
    );
    assert_eq!(r["contentFiles"].as_u64(), Some(held.len() as u64), "{r}");
    let d = tmp.path().join("d");
    let served_d = serve(&d, TOKEN);
    let (status, e) = api_refused(
        &served_d,
        "import_catalog_export",
        json!({ "path": "by-console.tar.gz" }),
    );
    assert_eq!((status, e["code"].as_str()), (400, Some("Validation")), "{e}");
    assert!(e["message"].as_str().expect("message").contains("full path"), "{e}");
    let (status, e) = api_refused(
        &served_d,
        "import_catalog_export",
        json!({ "path": tmp.path().join("missing.tar.gz") }),
    );
    assert_eq!(e["code"], "NotFound", "{status} {e}");
    let (_, e) = api_refused(&served_d, "import_catalog_export", json!({ "path": altered }));
    assert!(
        e["message"].as_str().expect("message").contains("Nothing was changed"),
        "{e}"
    );
    let r = api(&served_d, "import_catalog_export", json!({ "path": by_console }));
    assert_eq!(r["contentStored"].as_u64(), Some(held.len() as u64), "{r}");
    assert_eq!(r["catalog"]["newRevisions"], revision_count(&a), "{r}");
    drop(served_d);
    assert_eq!(content_rows(&d), held);
    let audit = call(&Site::open(&d).expect("d"), "list_audit", json!({}));
    assert!(
        audit
            .as_array()
            .expect("audit")
            .iter()
            .any(|e| e["action"] == "catalog.import-export"),
        "{audit}"
    );
}

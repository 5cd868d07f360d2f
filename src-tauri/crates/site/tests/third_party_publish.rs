//! Publishing a third-party update end to end (issue 16): a real MSI built with wixl goes
//! through the Upload Update wizard's checks, is packed into a cabinet signed with the
//! site's certificate, stored in the content library and imported as an update document
//! the site's own parser reads; the quota refuses before any byte is stored; Edit makes a
//! new revision; Delete is refused while approved; Microsoft updates refuse both; a
//! cabinet with one flipped byte is not served.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};
use site::{dispatch, Actor, Site};

#[path = "support/msi.rs"]
mod msi;

const PRODUCT_CODE: &str = msi::VIEWER.product_code;

fn call(site: &Site, name: &str, args: Value) -> Result<Value, site::api::ApiError> {
    dispatch(site, &Actor::new("test"), name, args)
}

fn ok(site: &Site, name: &str, args: Value) -> Value {
    call(site, name, args).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

/// A real MSI (Fabrikam Viewer 3.2.1.0) and an extra file beside it.
fn build_msi(src: &Path) -> PathBuf {
    let msi = msi::build_msi(src, &msi::VIEWER);
    std::fs::write(src.join("settings.ini"), "[Viewer]\nTelemetry=0\n").expect("extra");
    msi
}

fn spec(msi: &Path, extra: &Path, title: &str) -> Value {
    json!({
        "files": { "path": msi, "extraPaths": [extra] },
        "description": {
            "title": title,
            "description": "Fixes the viewer's PDF parser.",
            "vendor": "Fabrikam SARL",
            "product": "Fabrikam Viewer",
            "supportUrl": "https://fabrikam.example/support"
        },
        "classification": "Security Updates",
        "requirements": { "architecture": "Both", "operatingSystems": [] },
        "detection": { "kind": "Once" },
        "prerequisites": { "kind": "None" },
        "arguments": "REBOOT=ReallySuppress",
        "returnCodes": [
            { "code": 0, "result": "Succeeded" },
            { "code": 3010, "result": "Succeeded", "reboot": true }
        ]
    })
}

/// Every file under the content library.
fn library_files(folder: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            if e.path().is_dir() {
                walk(&e.path(), out);
            } else {
                out.push(e.path());
            }
        }
    }
    let mut out = Vec::new();
    walk(&folder.join("content"), &mut out);
    out.sort();
    out
}

/// `osslsigncode verify`, as an administrator would run it: `cab` is signed by the
/// publishing certificate of the site in `site_folder`.
fn assert_signed_by(site_folder: &Path, cab: &Path) {
    assert_verifies_against(&site_folder.join("publishing/certificate.pem"), cab);
}

/// `osslsigncode verify` of `cab` against the certificate(s) in `ca_file`.
fn assert_verifies_against(ca_file: &Path, cab: &Path) {
    let verified = Command::new("osslsigncode")
        .args(["verify", "-CAfile"])
        .arg(ca_file)
        .arg("-in")
        .arg(cab)
        .output()
        .expect("osslsigncode");
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stdout)
    );
}

/// What cabextract lists in a cabinet holds every one of `names`.
fn assert_cabinet_holds(cab: &Path, names: &[&str]) {
    let listed = Command::new("cabextract")
        .arg("-l")
        .arg(cab)
        .output()
        .expect("cabextract");
    let listing = String::from_utf8_lossy(&listed.stdout);
    for name in names {
        assert!(listing.contains(name), "{name} in {listing}");
    }
}

/// A library file's path under `/Content/`.
fn library_path(folder: &Path, file: &Path) -> String {
    file.strip_prefix(folder.join("content"))
        .expect("in the library")
        .to_string_lossy()
        .replace('\\', "/")
}

fn count(site: &Site, sql: &str) -> i64 {
    let db = rusqlite::Connection::open(site.database_path()).expect("db");
    db.query_row(sql, [], |r| r.get(0)).expect("count")
}

fn stored_xml(site: &Site, update_id: &str, revision: i64) -> String {
    let db = rusqlite::Connection::open(site.database_path()).expect("db");
    let blob: Vec<u8> = db
        .query_row(
            "SELECT xml_deflate FROM revisions WHERE update_id = ?1 AND revision = ?2",
            rusqlite::params![update_id, revision],
            |r| r.get(0),
        )
        .expect("revision stored");
    site::catalog::import::inflate(&blob).expect("inflate")
}

#[test]
fn wizard_pages_refuse_on_their_fields() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = Site::open(&dir.path().join("site")).expect("site");
    let msi = build_msi(&dir.path().join("src"));
    let issues = |page: &str, spec: Value| -> Vec<(String, String)> {
        ok(&site, "validate_upload_page", json!({ "page": page, "spec": spec }))
            .as_array()
            .expect("issues")
            .iter()
            .map(|i| {
                (
                    i["field"].as_str().unwrap_or("").to_string(),
                    i["message"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    let good = spec(&msi, &dir.path().join("src/settings.ini"), "Fabrikam Viewer 3.2.1");
    assert!(
        issues("Summary", good.clone()).is_empty(),
        "{:?}",
        issues("Summary", good.clone())
    );

    let files = issues("Files", json!({ "files": { "path": "viewer.msi" } }));
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].0, "files.path");
    assert!(files[0].1.contains("absolute path"), "{}", files[0].1);

    let description = issues(
        "Description",
        json!({ "description": { "title": " ", "vendor": "V", "product": "P", "supportUrl": "ftp://x" }, "classification": "Drivers" }),
    );
    let fields: Vec<&str> = description.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        ["description.title", "description.supportUrl", "classification"],
        "{description:?}"
    );
    assert!(description[2].1.contains("'Drivers' is not one"), "{description:?}");

    // An executable's own pages: detection, silent arguments and return codes.
    let exe = json!({
        "files": { "path": "/nowhere/setup.exe" },
        "detection": { "kind": "MsiProductInstalled", "productCode": "6B3A1D42" },
        "arguments": "",
        "returnCodes": [{ "code": 0, "result": "Succeeded" }, { "code": 0, "result": "Failed" }]
    });
    assert_eq!(issues("Detection", exe.clone())[0].0, "detection.productCode");
    assert!(issues("Arguments", exe.clone())[0].1.contains("silently"));
    assert!(issues("ReturnCodes", exe.clone())[0].1.contains("listed twice"));
    // A Windows Installer file skips them: its ProductCode is the rule.
    let mut msi_spec = exe.clone();
    msi_spec["files"]["path"] = json!(msi);
    assert!(issues("Detection", msi_spec.clone()).is_empty());
    assert!(issues("Arguments", msi_spec).is_empty());

    let prereq = issues(
        "Prerequisites",
        json!({ "prerequisites": { "kind": "Update", "updateId": "3f1c2b9e-7d41-4e8a-b3c5-91a2e4d7f608" } }),
    );
    assert_eq!(prereq[0].0, "prerequisites.updateId", "{prereq:?}");
    let os = issues(
        "Requirements",
        json!({ "requirements": { "architecture": "X64", "operatingSystems": ["nope"] } }),
    );
    assert_eq!(os[0].0, "requirements.operatingSystems", "{os:?}");
}

#[test]
fn an_msi_is_published_signed_listed_edited_and_deleted_only_when_unapproved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("site");
    let site = Site::open(&folder).expect("site");
    let msi = build_msi(&dir.path().join("src"));
    let extra = dir.path().join("src/settings.ini");

    // Over the quota: refused with both sizes, nothing stored.
    ok(&site, "set_publishing_settings", json!({ "storageQuotaMb": 1 }));
    let big = dir.path().join("src/big.bin");
    std::fs::write(&big, vec![0x11u8; 1_200_000]).expect("big");
    let mut over = spec(&msi, &big, "Fabrikam Viewer 3.2.1");
    over["files"]["extraPaths"] = json!([extra, big]);
    let audits_before = count(&site, "SELECT count(*) FROM audit_log");
    let refused = call(&site, "publish_third_party_update", over).expect_err("over quota");
    assert!(
        refused
            .message
            .contains("of third-party storage but only 1.00 MB is left")
            && refused.message.contains("The update needs 1.")
            && refused.message.contains("Nothing was stored"),
        "{}",
        refused.message
    );
    assert!(library_files(&folder).is_empty());
    assert!(!folder
        .join("publishing/staging")
        .read_dir()
        .is_ok_and(|mut d| d.next().is_some()));
    assert_eq!(
        count(&site, "SELECT count(*) FROM updates WHERE title LIKE 'Fabrikam%'"),
        0
    );
    assert_eq!(count(&site, "SELECT count(*) FROM content"), 0);
    assert_eq!(count(&site, "SELECT count(*) FROM audit_log"), audits_before);
    let storage = ok(&site, "get_publishing_storage", json!({}));
    assert_eq!(storage["usedBytes"], 0);
    assert_eq!(storage["settings"]["storageQuotaMb"], 1);
    assert!(call(&site, "set_publishing_settings", json!({ "storageQuotaMb": 0 })).is_err());
    ok(&site, "set_publishing_settings", json!({ "storageQuotaMb": 100 }));

    // Published.
    let published = ok(
        &site,
        "publish_third_party_update",
        spec(&msi, &extra, "Fabrikam Viewer 3.2.1"),
    );
    let update_id = published["updateId"].as_str().expect("id").to_string();
    assert_eq!(published["revision"], 1);
    assert_eq!(published["installerKind"], "Package");
    assert_eq!(published["installerFile"], "viewer.msi");
    assert_eq!(published["classification"], "Security Updates");
    let listed = ok(&site, "list_third_party_updates", json!({}));
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(listed[0]["spec"]["description"]["title"], "Fabrikam Viewer 3.2.1");

    // In All Software Updates, found by a search, under its own product.
    let page = ok(
        &site,
        "list_updates",
        json!({ "limit": 10, "search": "Fabrikam Viewer" }),
    );
    let rows = page["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{page}");
    assert_eq!(rows[0]["updateId"], update_id.as_str());
    assert_eq!(rows[0]["products"], "Fabrikam Viewer");
    assert_eq!(rows[0]["classification"], "Security Updates");

    // The document parses with the site's own parser and its rule is the ProductCode.
    let xml = stored_xml(&site, &update_id, 1);
    let doc = wsus::parse_update(&xml).expect("the site's parser reads it");
    assert_eq!(doc.id.update_id, update_id);
    assert!(
        xml.contains(&format!("<msiar:MsiProductInstalled ProductCode=\"{PRODUCT_CODE}\"")),
        "{xml}"
    );
    assert!(
        xml.contains("MsiFile=\"viewer.msi\"") && xml.contains("CommandLine=\"REBOOT=ReallySuppress\""),
        "{xml}"
    );

    // The cabinet: in the library at its SHA-1, signed by the site's certificate, holding
    // the installer and the extra file, with a content row.
    let files = library_files(&folder);
    assert_eq!(files.len(), 1, "{files:?}");
    let cab = files[0].clone();
    let name = cab.file_name().and_then(|n| n.to_str()).expect("name").to_string();
    assert!(name.ends_with(".cab") && name.len() == 44, "{name}");
    assert_eq!(count(&site, "SELECT count(*) FROM content"), 1);
    assert_signed_by(&folder, &cab);
    assert_cabinet_holds(&cab, &["viewer.msi", "settings.ini"]);
    let relative = library_path(&folder, &cab);
    site::publishing::serve::check_served(&site, &relative).expect("served while it verifies");
    // The certificate clients import: the one the cabinet verifies against, as DER.
    let exported = ok(&site, "export_publishing_certificate", json!({}));
    let pem = std::fs::read_to_string(folder.join("publishing/certificate.pem")).expect("pem");
    assert_eq!(exported["pem"], pem.as_str());
    assert!(
        exported["cerBase64"].as_str().is_some_and(|c| c.starts_with("MII")),
        "{exported}"
    );
    let audited = count(
        &site,
        "SELECT count(*) FROM audit_log WHERE action = 'publishing.publish'",
    );
    assert_eq!(audited, 1);

    // Edit: a new revision of the same update, its old cabinet replaced.
    let edited = ok(
        &site,
        "edit_third_party_update",
        json!({ "updateId": update_id, "spec": spec(&msi, &extra, "Fabrikam Viewer 3.2.1 (re-signed)") }),
    );
    assert_eq!(edited["updateId"], update_id.as_str());
    assert_eq!(edited["revision"], 2);
    let details = ok(&site, "get_update", json!({ "updateId": update_id }));
    assert_eq!(details["row"]["revision"], 2, "{details}");
    assert_eq!(details["revisions"], json!([2, 1]), "{details}");
    assert_eq!(details["row"]["title"], "Fabrikam Viewer 3.2.1 (re-signed)");
    assert!(wsus::parse_update(&stored_xml(&site, &update_id, 2)).is_ok());
    assert_eq!(library_files(&folder).len(), 1, "the replaced cabinet is gone");
    assert_eq!(count(&site, "SELECT count(*) FROM content"), 1);

    // Delete refused while approved, allowed after.
    let group = ok(&site, "create_target_group", json!({ "name": "Pilot" }))["id"]
        .as_i64()
        .expect("a group");
    ok(
        &site,
        "approve_updates",
        json!({ "updateIds": [update_id], "approvals": [{ "groupId": group, "action": "Required", "deadline": "None" }] }),
    );
    let refused = call(&site, "delete_third_party_update", json!({ "updateId": update_id })).expect_err("approved");
    assert!(
        refused.message.contains("is approved or deployed"),
        "{}",
        refused.message
    );
    assert_eq!(library_files(&folder).len(), 1);
    ok(
        &site,
        "remove_approvals",
        json!({ "updateIds": [update_id], "groupIds": [group] }),
    );
    ok(&site, "delete_third_party_update", json!({ "updateId": update_id }));
    assert!(library_files(&folder).is_empty());
    assert_eq!(count(&site, "SELECT count(*) FROM content"), 0);
    assert_eq!(count(&site, "SELECT count(*) FROM third_party_updates"), 0);
    assert_eq!(
        count(
            &site,
            &format!("SELECT count(*) FROM revisions WHERE update_id = '{update_id}'")
        ),
        0
    );
    let page = ok(
        &site,
        "list_updates",
        json!({ "limit": 10, "search": "Fabrikam Viewer" }),
    );
    assert_eq!(page["rows"].as_array().map(Vec::len), Some(0), "{page}");
}

#[test]
fn a_published_update_travels_in_a_catalog_export_unchanged_with_its_signed_cabinet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("site");
    let site = Site::open(&folder).expect("site");
    let msi = build_msi(&dir.path().join("src"));
    let published = ok(
        &site,
        "publish_third_party_update",
        spec(&msi, &dir.path().join("src/settings.ini"), "Fabrikam Viewer 3.2.1"),
    );
    let update_id = published["updateId"].as_str().expect("id").to_string();
    let export = dir.path().join("catalog.pdexport");
    ok(&site, "export_catalog", json!({ "path": export, "withContent": true }));

    let other_folder = dir.path().join("disconnected");
    let other = Site::open(&other_folder).expect("other site");
    ok(&other, "import_catalog_export", json!({ "path": export }));
    assert_eq!(stored_xml(&other, &update_id, 1), stored_xml(&site, &update_id, 1));
    let page = ok(
        &other,
        "list_updates",
        json!({ "limit": 10, "search": "Fabrikam Viewer" }),
    );
    assert_eq!(page["rows"][0]["products"], "Fabrikam Viewer", "{page}");
    // The same signed cabinet, byte for byte, still verifying against the publisher's certificate.
    let cab = library_files(&folder).pop().expect("cabinet");
    let copied = other_folder.join("content").join(library_path(&folder, &cab));
    assert_eq!(
        std::fs::read(&copied).expect("copied"),
        std::fs::read(&cab).expect("cab")
    );
    assert_signed_by(&folder, &copied);
    // There it is an update from elsewhere: only its publisher edits or deletes it.
    let refused =
        call(&other, "delete_third_party_update", json!({ "updateId": update_id })).expect_err("not published there");
    assert!(
        refused.message.contains("was not published at this site"),
        "{}",
        refused.message
    );
}

#[test]
fn microsoft_updates_refuse_edit_and_delete_and_a_flipped_byte_is_not_served() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("site");
    let site = Site::open(&folder).expect("site");
    let ms = "9a1b2c3d-1111-4222-8333-444455556666";
    let xml = format!(
        r#"<upd:Update xmlns:upd="http://schemas.microsoft.com/msus/2002/12/Update"><upd:UpdateIdentity UpdateID="{ms}" RevisionNumber="200" /><upd:Properties UpdateType="Software" /><upd:LocalizedPropertiesCollection><upd:LocalizedProperties><upd:Language>en</upd:Language><upd:Title>2026-11 Cumulative Update for Windows 11</upd:Title></upd:LocalizedProperties></upd:LocalizedPropertiesCollection></upd:Update>"#
    );
    ok(&site, "import_xml", json!({ "documents": [xml] }));
    for (command, args) in [
        ("delete_third_party_update", json!({ "updateId": ms })),
        ("edit_third_party_update", json!({ "updateId": ms, "spec": {} })),
    ] {
        let refused = call(&site, command, args).expect_err("a Microsoft update");
        assert!(
            refused.message.contains(
                "'2026-11 Cumulative Update for Windows 11' was not published at this site (a Microsoft update"
            ) && refused
                .message
                .contains("Only third-party updates published at this site"),
            "{command}: {}",
            refused.message
        );
    }
    assert_eq!(
        count(&site, &format!("SELECT count(*) FROM updates WHERE update_id = '{ms}'")),
        1
    );

    let msi = build_msi(&dir.path().join("src"));
    let published = ok(
        &site,
        "publish_third_party_update",
        spec(&msi, &dir.path().join("src/settings.ini"), "Fabrikam Viewer 3.2.1"),
    );
    assert_eq!(published["revision"], 1);
    let cab = library_files(&folder).pop().expect("the cabinet");
    let relative = library_path(&folder, &cab);
    site::publishing::serve::check_served(&site, &relative).expect("verifies");
    let mut bytes = std::fs::read(&cab).expect("read");
    let middle = bytes.len() / 3;
    bytes[middle] ^= 0x01;
    std::fs::write(&cab, bytes).expect("write");
    let refused = site::publishing::serve::check_served(&site, &relative).expect_err("tampered");
    assert!(refused.to_string().contains("it is not served"), "{refused}");
    // Files that are not published cabinets are the library's own business.
    site::publishing::serve::check_served(&site, "09/DA39A3EE5E6B4B0D3255BFEF95601890AFD80709.cab").expect("not ours");
}

#[path = "../../installer/tests/support/exe.rs"]
mod exe;

/// `src/setup.exe` under `dir`, with a folder of extras beside it (`extras/settings.ini`,
/// `extras/lang/fr.mst`): (the `src` folder, the installer).
fn exe_with_extras(dir: &Path) -> (PathBuf, PathBuf) {
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("extras/lang")).expect("dirs");
    let setup = exe::build_exe(&src);
    std::fs::write(src.join("extras/settings.ini"), "a=1\n").expect("extra");
    std::fs::write(src.join("extras/lang/fr.mst"), vec![7u8; 1000]).expect("extra");
    (src, setup)
}

#[test]
fn an_executable_carries_its_rules_arguments_and_return_codes_and_a_failed_signing_stores_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("site");
    let site = Site::open(&folder).expect("site");
    let (src, setup) = exe_with_extras(dir.path());
    let details = ok(
        &site,
        "inspect_installer",
        json!({ "path": setup, "extraPaths": [src.join("extras")] }),
    );
    assert_eq!(details["productName"], "Fabrikam Viewer");
    let spec = |detection: Value| {
        json!({
            "files": { "path": setup, "extraPaths": [src.join("extras")] },
            "description": { "title": "Fabrikam Viewer Setup 3.2.1", "vendor": "Fabrikam SARL", "product": "Fabrikam Viewer" },
            "classification": "Critical Updates",
            "requirements": { "architecture": "X64" },
            "detection": detection,
            "prerequisites": { "kind": "Rule", "rule": { "kind": "RegistryKeyExists", "key": "HKEY_LOCAL_MACHINE", "subkey": "SOFTWARE\\Fabrikam" } },
            "arguments": "/S /norestart",
            "returnCodes": [
                { "code": 0, "result": "Succeeded" },
                { "code": 3010, "result": "Succeeded", "reboot": true },
                { "code": 1603, "result": "Failed" }
            ]
        })
    };
    let published = ok(
        &site,
        "publish_third_party_update",
        spec(json!({ "kind": "FileExists", "path": "C:\\Program Files\\Fabrikam\\viewer.exe" })),
    );
    assert_eq!(published["installerKind"], "Executable");
    let update_id = published["updateId"].as_str().expect("id").to_string();
    let xml = stored_xml(&site, &update_id, 1);
    wsus::parse_update(&xml).expect("the site's parser reads it");
    for part in [
        r#"<cmd:InstallCommand Program="setup.exe" Arguments="/S /norestart" DefaultResult="Failed""#,
        r#"<cmd:ReturnCode Reboot="true" Code="3010" Result="Succeeded" />"#,
        r#"<cmd:ReturnCode Code="1603" Result="Failed" />"#,
        r#"<bar:FileExists Path="C:\Program Files\Fabrikam\viewer.exe""#,
        r#"<bar:Processor Architecture="9""#,
        r#"<bar:RegKeyExists Key="HKEY_LOCAL_MACHINE" Subkey="SOFTWARE\Fabrikam""#,
        r#"RebootBehavior="CanRequestReboot""#,
    ] {
        assert!(xml.contains(part), "{part} in {xml}");
    }
    let cab = library_files(&folder).pop().expect("the cabinet");
    assert_cabinet_holds(&cab, &["setup.exe", "settings.ini", "fr.mst"]);

    // Installed once per computer: no rule of its own, and still a document the parser reads.
    let once = ok(
        &site,
        "edit_third_party_update",
        json!({ "updateId": update_id, "spec": spec(json!({ "kind": "Once" })) }),
    );
    assert_eq!(once["revision"], 2);
    let xml = stored_xml(&site, &update_id, 2);
    wsus::parse_update(&xml).expect("the site's parser reads it");
    assert!(!xml.contains("bar:FileExists"), "{xml}");

    // A signing that fails leaves no file, no row and no audit.
    let key = folder.join("publishing/key.pem");
    std::fs::write(&key, "not a key").expect("spoil the key");
    let snapshot = || {
        (
            library_files(&folder),
            count(&site, "SELECT count(*) FROM third_party_updates"),
            count(&site, "SELECT count(*) FROM content"),
            count(&site, "SELECT count(*) FROM revisions"),
            count(&site, "SELECT count(*) FROM audit_log"),
        )
    };
    let before = snapshot();
    let refused = call(
        &site,
        "publish_third_party_update",
        spec(json!({ "kind": "MsiProductInstalled", "productCode": "{6B3A1D42-8C1E-4F5B-9A77-2D4E51C0A9F3}" })),
    )
    .expect_err("the key is spoilt");
    assert!(refused.message.contains("signing"), "{}", refused.message);
    let after = snapshot();
    assert_eq!(before, after);
    assert!(!folder
        .join("publishing/staging")
        .read_dir()
        .is_ok_and(|mut d| d.next().is_some()));
}

/// The Windows version rule `bar:WindowsVersion` as the site's rule reader gives it back.
fn windows(comparison: &str, major: u32, minor: u32, build: Option<u32>, product_type: u32) -> wsus::publishing::Rule {
    wsus::publishing::Rule::WindowsVersion(wsus::publishing::WindowsVersion {
        comparison: comparison.into(),
        major: Some(major),
        minor: Some(minor),
        build,
        product_type: Some(product_type),
    })
}

#[test]
fn operating_systems_chosen_become_windows_version_rules_a_client_evaluates() {
    use wsus::publishing::Rule;
    let dir = tempfile::tempdir().expect("tempdir");
    let site = Site::open(&dir.path().join("site")).expect("site");
    // Microsoft-shaped product categories: generated ones (no rules of their own) and the
    // captured "OOBE ZDP" product, whose category carries a Windows version rule.
    let mut docs: Vec<String> = site::catalog::generator::generate(5, 3).map(|d| d.xml).collect();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/fixtures/wsusss/updates");
    for name in [
        "6964aab4-c5b5-43bd-a17d-ffb4346a8e1d-r100.xml",
        "dd78b8a1-0b20-45c1-add6-4da72e9364cf-r202.xml",
    ] {
        docs.push(std::fs::read_to_string(fixtures.join(name)).expect("fixture"));
    }
    ok(&site, "import_xml", json!({ "documents": docs }));
    let categories = ok(&site, "list_categories", json!({}));
    let product = |title: &str| -> String {
        categories
            .as_array()
            .expect("categories")
            .iter()
            .find(|c| c["kind"] == "Product" && c["title"] == title)
            .and_then(|c| c["categoryId"].as_str())
            .unwrap_or_else(|| panic!("no product {title}"))
            .to_string()
    };
    let (eleven, server, zdp, office) = (
        product("Windows 11"),
        product("Windows Server 2022"),
        product("OOBE ZDP"),
        product("Office 2016"),
    );
    let src = dir.path().join("src");
    std::fs::create_dir_all(&src).expect("dir");
    let setup = exe::build_exe(&src);
    let spec = |systems: Vec<&String>, architecture: &str| {
        json!({
            "files": { "path": setup },
            "description": { "title": "Fabrikam Viewer Setup 3.2.1", "vendor": "Fabrikam SARL", "product": "Fabrikam Viewer" },
            "classification": "Updates",
            "requirements": { "architecture": architecture, "operatingSystems": systems },
            "detection": { "kind": "Once" },
            "arguments": "/S",
            "returnCodes": [{ "code": 0, "result": "Succeeded" }]
        })
    };

    // Not a Windows release: refused on the Requirements page, naming the product.
    let issues = ok(
        &site,
        "validate_upload_page",
        json!({ "page": "Requirements", "spec": spec(vec![&eleven, &office], "X86") }),
    );
    assert_eq!(issues.as_array().map(Vec::len), Some(1), "{issues}");
    assert_eq!(issues[0]["field"], "requirements.operatingSystems");
    assert!(
        issues[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("'Office 2016'")),
        "{issues}"
    );
    // The page lists only what it accepts: the Windows products, by name or by their own
    // rule (OOBE ZDP), never Office; each listed one passes the page.
    let listed = ok(&site, "list_operating_systems", json!({}));
    let listed: Vec<(String, String)> = listed
        .as_array()
        .expect("products")
        .iter()
        .map(|p| {
            assert_eq!(p["kind"], "Product", "{p}");
            (
                p["title"].as_str().expect("title").to_owned(),
                p["categoryId"].as_str().expect("id").to_owned(),
            )
        })
        .collect();
    let titles: Vec<&str> = listed.iter().map(|(t, _)| t.as_str()).collect();
    for windows in ["Windows 11", "Windows Server 2022", "OOBE ZDP"] {
        assert!(titles.contains(&windows), "{windows} in {titles:?}");
    }
    assert!(!titles.contains(&"Office 2016"), "{titles:?}");
    let every: Vec<&String> = listed.iter().map(|(_, id)| id).collect();
    let issues = ok(
        &site,
        "validate_upload_page",
        json!({ "page": "Requirements", "spec": spec(every, "Both") }),
    );
    assert_eq!(issues, json!([]), "every listed product is accepted");

    let published = ok(
        &site,
        "publish_third_party_update",
        spec(vec![&eleven, &server, &zdp], "X86"),
    );
    let update_id = published["updateId"].as_str().expect("id").to_string();
    let xml = stored_xml(&site, &update_id, 1);
    wsus::parse_update(&xml).expect("the site's parser reads it");
    let rules = wsus::rules::read_applicability(&xml).expect("the site's rule reader reads them");
    // Installed once per computer: a rule that never holds, as Microsoft writes it.
    assert_eq!(rules.is_installed, Some(Rule::False), "{xml}");
    assert!(xml.contains("<upd:IsInstalled><lar:False xmlns:lar="), "{xml}");
    assert_eq!(
        rules.is_installable,
        Some(Rule::And(vec![
            Rule::Or(vec![
                windows("GreaterThanOrEqualTo", 10, 0, Some(22000), 1),
                Rule::Or(vec![
                    Rule::And(vec![
                        windows("GreaterThanOrEqualTo", 10, 0, Some(20348), 3),
                        windows("LessThan", 10, 0, Some(20349), 3),
                    ]),
                    Rule::And(vec![
                        windows("GreaterThanOrEqualTo", 10, 0, Some(20348), 2),
                        windows("LessThan", 10, 0, Some(20349), 2),
                    ]),
                ]),
                // The captured product's own rule, copied.
                windows("GreaterThanOrEqualTo", 6, 3, None, 1),
            ]),
            Rule::Processor { architecture: 0 },
        ])),
        "{xml}"
    );

    // Both architectures and no operating system: installable anywhere.
    let edited = ok(
        &site,
        "edit_third_party_update",
        json!({ "updateId": update_id, "spec": spec(vec![], "Both") }),
    );
    let xml = stored_xml(&site, &update_id, edited["revision"].as_i64().expect("revision"));
    let rules = wsus::rules::read_applicability(&xml).expect("reads");
    assert_eq!(rules.is_installable, Some(Rule::True), "{xml}");
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl could not start");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_imported_pfx_signs_what_is_published_and_a_wrong_password_or_another_file_is_refused_by_name() {
    use base64::Engine;
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("site");
    let site = Site::open(&folder).expect("site");
    // An organisation's code-signing certificate, exported with its key as a .pfx the way
    // OpenSSL 3 writes one (AES-256 and a SHA-256 MAC).
    let ca = dir.path().join("ca");
    std::fs::create_dir_all(&ca).expect("dir");
    openssl(
        &ca,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "key.pem",
            "-out",
            "cert.pem",
            "-days",
            "30",
            "-subj",
            "/CN=Contoso Code Signing/O=Contoso Ltd.",
            "-addext",
            "extendedKeyUsage=codeSigning",
        ],
    );
    openssl(
        &ca,
        &[
            "pkcs12",
            "-export",
            "-in",
            "cert.pem",
            "-inkey",
            "key.pem",
            "-out",
            "contoso.pfx",
            "-passout",
            "pass:Tr0ub4dor&3",
        ],
    );
    openssl(&ca, &["x509", "-in", "cert.pem", "-outform", "der", "-out", "cert.cer"]);
    let pfx = std::fs::read(ca.join("contoso.pfx")).expect("pfx");
    let cer = std::fs::read(ca.join("cert.cer")).expect("cer");
    let audits = || {
        count(
            &site,
            "SELECT count(*) FROM audit_log WHERE action = 'publishing.certificate.import'",
        )
    };

    // A wrong password, and a file that is not a PFX: refused by name, nothing changed.
    let import = |file: &str, bytes: &[u8], password: &str| {
        call(
            &site,
            "import_publishing_certificate",
            json!({ "fileName": file, "pfxBase64": b64(bytes), "password": password }),
        )
    };
    for (file, bytes, password, refusal) in [
        (
            "contoso.pfx",
            &pfx,
            "tr0ub4dor&3",
            "The password does not open contoso.pfx",
        ),
        ("cert.cer", &cer, "Tr0ub4dor&3", "cert.cer is not a PFX (PKCS #12) file"),
    ] {
        let refused = import(file, bytes, password).expect_err(refusal);
        assert!(refused.message.contains(refusal), "{}", refused.message);
    }
    assert!(!folder.join("publishing/certificate.pem").exists());
    assert_eq!(audits(), 0);

    // Imported: exported as the same .cer, and what is published is signed with it.
    let imported = import("contoso.pfx", &pfx, "Tr0ub4dor&3").expect("imported");
    assert!(
        imported["subject"]
            .as_str()
            .is_some_and(|s| s.contains("Contoso Code Signing")),
        "{imported}"
    );
    assert_eq!(imported["cerBase64"], b64(&cer));
    let exported = ok(&site, "export_publishing_certificate", json!({}));
    assert_eq!(
        exported["cerBase64"],
        b64(&cer),
        "the .cer clients import is the organisation's"
    );
    assert_eq!(audits(), 1);
    let msi = build_msi(&dir.path().join("src"));
    let extra = dir.path().join("src/settings.ini");
    ok(
        &site,
        "publish_third_party_update",
        spec(&msi, &extra, "Fabrikam Viewer 3.2.1"),
    );
    let cab = library_files(&folder).pop().expect("the cabinet");
    assert_verifies_against(&ca.join("cert.pem"), &cab);
}

/// Edit after the files are gone (a browser upload's folder is removed once published): with
/// "keep the files", the new revision is packed from the current cabinet, under the same
/// names, and the values stored keep the files as first chosen; without it the edit is
/// refused naming the missing installer, and nothing changes.
#[test]
fn an_edit_that_keeps_the_files_needs_no_upload_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("site");
    let site = Site::open(&folder).expect("site");
    let (src, setup) = exe_with_extras(dir.path());
    let spec = |title: &str, arguments: &str| {
        json!({
            "files": { "path": setup, "extraPaths": [src.join("extras")] },
            "description": { "title": title, "vendor": "Fabrikam SARL", "product": "Fabrikam Viewer" },
            "classification": "Updates",
            "requirements": { "architecture": "Both" },
            "detection": { "kind": "Once" },
            "arguments": arguments,
            "returnCodes": [{ "code": 0, "result": "Succeeded" }]
        })
    };
    let published = ok(
        &site,
        "publish_third_party_update",
        spec("Fabrikam Viewer Setup 3.2.1", "/S"),
    );
    let update_id = published["updateId"].as_str().expect("id").to_string();
    let first_cab = library_files(&folder).pop().expect("the cabinet");
    let listing = |cab: &Path| -> Vec<String> {
        let out = Command::new("cabextract")
            .arg("-l")
            .arg(cab)
            .output()
            .expect("cabextract");
        let mut names: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.rsplit_once(" | ").map(|(_, n)| n.trim().replace('\\', "/")))
            .filter(|n| n != "Name")
            .collect();
        names.sort();
        names
    };
    let members = listing(&first_cab);
    assert_eq!(members, ["extras/lang/fr.mst", "extras/settings.ini", "setup.exe"]);
    std::fs::remove_dir_all(&src).expect("the chosen files are gone");

    let before = count(&site, "SELECT count(*) FROM revisions");
    let refused = call(
        &site,
        "edit_third_party_update",
        json!({ "updateId": update_id, "spec": spec("Fabrikam Viewer Setup 3.2.1 (quiet)", "/S /quiet") }),
    )
    .expect_err("the installer is gone");
    assert!(refused.message.contains("setup.exe"), "{}", refused.message);
    assert_eq!(count(&site, "SELECT count(*) FROM revisions"), before);

    let edited = ok(
        &site,
        "edit_third_party_update",
        json!({ "updateId": update_id, "spec": spec("Fabrikam Viewer Setup 3.2.1 (quiet)", "/S /quiet"), "keepFiles": true }),
    );
    assert_eq!(edited["revision"], 2, "{edited}");
    assert_eq!(edited["title"], "Fabrikam Viewer Setup 3.2.1 (quiet)");
    let xml = stored_xml(&site, &update_id, 2);
    assert!(xml.contains(r#"Arguments="/S /quiet""#), "{xml}");
    let cabs = library_files(&folder);
    assert_eq!(cabs.len(), 1, "the old cabinet replaced: {cabs:?}");
    assert_ne!(cabs[0], first_cab, "signed anew for the new revision");
    assert_eq!(listing(&cabs[0]), members, "the same files under the same names");
    assert_signed_by(&folder, &cabs[0]);
    // The stored values still name the files as chosen, and nothing unpacked is left.
    let listed = ok(&site, "list_third_party_updates", json!({}));
    assert_eq!(listed[0]["spec"]["files"]["path"], json!(setup));
    assert!(!folder
        .join("publishing/kept")
        .read_dir()
        .is_ok_and(|mut d| d.next().is_some()));

    // A library file that is not the published cabinet any more is refused by name.
    let mut bytes = std::fs::read(&cabs[0]).expect("read");
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    std::fs::write(&cabs[0], bytes).expect("write");
    let refused = call(
        &site,
        "edit_third_party_update",
        json!({ "updateId": update_id, "spec": spec("Fabrikam Viewer Setup 3.2.1", "/S"), "keepFiles": true }),
    )
    .expect_err("the cabinet changed");
    assert!(refused.message.contains("SHA-1 differs"), "{}", refused.message);
}

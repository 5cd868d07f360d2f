//! A locally published update (issue 16, point 3) goes through the normal catalog path: its
//! vendor and product categories and the update itself, written by `wsus::publishing`,
//! imported like a synchronized document, then listed, searched and filtered like any other.

use serde_json::{json, Value};
use site::catalog::import::{import_documents, Document};
use site::{dispatch, Actor, Site};
use wsus::publishing::*;
use wsus::RevisionId;

const VENDOR: &str = "11111111-2222-4333-8444-555555555555";
const PRODUCT: &str = "66666666-7777-4888-9999-aaaaaaaaaaaa";
const UPDATE: &str = "3f1c2b9e-7d41-4e8a-b3c5-91a2e4d7f608";
const SECURITY_UPDATES: &str = "0fa1201d-4330-4fa8-8ae9-b877473b6441";

fn call(site: &Site, name: &str, args: Value) -> Value {
    dispatch(site, &Actor::new("test"), name, args).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

fn documents() -> Vec<Document> {
    let id = |u: &str| RevisionId {
        update_id: u.into(),
        revision: 1,
    };
    let vendor = CategoryPublication {
        id: id(VENDOR),
        publisher_id: "0b5d9c1e-5a77-4d0a-8f7e-6f1f4b2a9c3d".into(),
        creation_date: "2026-12-03T09:00:00Z".into(),
        title: "Contoso Ltd.".into(),
        description: String::new(),
        kind: PublishedCategory::Company,
        parent: None,
    };
    let product = CategoryPublication {
        id: id(PRODUCT),
        title: "Contoso Reader".into(),
        kind: PublishedCategory::Product,
        parent: Some(VENDOR.into()),
        ..vendor.clone()
    };
    let code = "{6B3A1D42-8C1E-4F5B-9A77-2D4E51C0A9F3}";
    let update = Publication {
        id: id(UPDATE),
        publisher_id: vendor.publisher_id.clone(),
        creation_date: "2026-12-03T09:00:00Z".into(),
        language: "en".into(),
        title: "Contoso Reader 24.3.2 (x64)".into(),
        description: "Fixes the PDF parser.".into(),
        support_url: None,
        classification_id: SECURITY_UPDATES.into(),
        categories: vec![VENDOR.into(), PRODUCT.into()],
        prerequisites: vec![],
        is_installed: Rule::MsiProductInstalled {
            product_code: code.into(),
        },
        is_installable: Rule::Not(Box::new(Rule::MsiProductInstalled {
            product_code: code.into(),
        })),
        installer: Installer::WindowsInstaller {
            product_code: code.into(),
            msi_file: "reader.msi".into(),
            command_line: None,
        },
        files: vec![PublishedFile {
            name: "reader.msi".into(),
            size: 11551,
            sha1: "br8eaMSqh4RzvhmfbQA546QF5ZM=".into(),
            sha256: "XSVHYC1Z1ZjQVWyXCXjKcIT6EHtgckWLBFV9KIrHH9k=".into(),
            modified: "2026-12-03T08:59:00Z".into(),
        }],
        reboot: RebootBehavior::CanRequestReboot,
    };
    // The update first: import order must not matter.
    [
        ("update", update.to_xml()),
        ("product", product.to_xml()),
        ("vendor", vendor.to_xml()),
    ]
    .into_iter()
    .map(|(origin, xml)| Document {
        origin: origin.into(),
        xml,
    })
    .collect()
}

#[test]
fn a_published_update_is_listed_searched_and_filtered_by_its_own_product() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = Site::open(dir.path()).expect("site");
    let report = import_documents(&site, &Actor::new("test"), documents()).expect("import");
    assert!(report.errors.is_empty(), "{:?}", report.errors);

    let page = call(
        &site,
        "list_updates",
        json!({ "limit": 10, "search": "Contoso Reader" }),
    );
    let rows = page["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{page}");
    assert_eq!(rows[0]["updateId"], UPDATE);
    assert_eq!(rows[0]["classification"], "Security Updates");
    assert_eq!(rows[0]["products"], "Contoso Reader");
    assert_eq!(rows[0]["size"], 11551);

    let by_product = call(&site, "list_updates", json!({ "limit": 10, "productIds": [PRODUCT] }));
    assert_eq!(by_product["rows"].as_array().map(Vec::len), Some(1), "{by_product}");

    let details = call(&site, "get_update", json!({ "updateId": UPDATE }));
    assert_eq!(details["rebootBehavior"], "CanRequestReboot", "{details}");
    assert_eq!(details["files"][0]["fileName"], "reader.msi", "{details}");
}

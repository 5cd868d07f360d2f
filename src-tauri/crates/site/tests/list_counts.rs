//! The counts migration 0010's triggers keep (`list_counts`, `category_counts`) equal a
//! fresh count(*) after everything that moves an update in or out of a list: imports,
//! supersedence, expiry, declines, changed links; and the grid's totals come out right.

mod common;

use common::Fixture;
use serde_json::json;
use site::catalog::import::{import_documents, Document};
use site::Actor;

/// Every kept count equals the count(*) it stands for (zero rows allowed to stay).
fn assert_kept(f: &Fixture, when: &str) {
    let differ = |kept: &str, fresh: &str, on: &str| -> i64 {
        f.count(&format!(
            "SELECT count(*) FROM (SELECT {on}, sum(n) AS n FROM (
                 SELECT {on}, n FROM {kept} UNION ALL SELECT {on}, -count(*) FROM {fresh} GROUP BY {on})
             GROUP BY {on}) WHERE n <> 0"
        ))
    };
    let by_list = differ(
        "list_counts",
        "(SELECT listed, is_superseded, coalesce(classification_id, '') AS classification_id FROM updates)",
        "listed, is_superseded, classification_id",
    );
    assert_eq!(by_list, 0, "list_counts drifted {when}");
    let by_category = differ(
        "category_counts",
        "(SELECT uc.category_id, u.listed, u.is_superseded, coalesce(u.classification_id, '') AS classification_id
          FROM update_categories uc JOIN updates u USING (upd_pk))",
        "category_id, listed, is_superseded, classification_id",
    );
    assert_eq!(by_category, 0, "category_counts drifted {when}");
    assert!(
        f.count("SELECT count(*) FROM list_counts WHERE n < 0") == 0,
        "negative {when}"
    );
}

fn import(f: &Fixture, count: usize, seed: u64) {
    let docs: Vec<Document> = site::catalog::generator::generate(count, seed)
        .map(|d| Document {
            origin: d.file_name,
            xml: d.xml,
        })
        .collect();
    import_documents(&f.site, &Actor::new("counts"), docs).expect("import");
}

fn ids(f: &Fixture, sql: &str) -> Vec<String> {
    let mut stmt = f.raw.prepare(sql).expect(sql);
    let rows = stmt.query_map([], |r| r.get(0)).expect(sql);
    rows.collect::<Result<_, _>>().expect(sql)
}

#[test]
fn kept_counts_follow_every_change_of_a_listed_update() {
    let f = Fixture::new("counts", 1200);
    assert!(f.count("SELECT count(*) FROM list_counts") > 3, "counts kept at import");
    assert_kept(&f, "after the first import");
    assert!(f.count("SELECT count(*) FROM updates WHERE is_superseded = 1 AND listed = 1") > 0);
    assert!(
        f.count("SELECT count(*) FROM updates WHERE listed = 2") > 0,
        "some expired"
    );

    // A second catalog: new updates, and documents of the first seed again (unchanged rows).
    import(&f, 400, 11);
    import(&f, 1200, 7);
    assert_kept(&f, "after more imports");

    // Declines and approvals (declined updates move to listed = 3 by trigger).
    let some = ids(
        &f,
        "SELECT update_id FROM updates WHERE listed = 1 ORDER BY upd_pk LIMIT 25",
    );
    f.call("decline_updates", json!({ "updateIds": some }));
    assert_kept(&f, "after declines");

    // Supersedence, expiry, classification and links changed by any writer.
    let w = &f.raw;
    w.execute_batch(
        "UPDATE updates SET is_superseded = 1 - is_superseded WHERE upd_pk % 7 = 0 AND listed <> 0;
         UPDATE updates SET publication_state = 'Expired', listed = 2 WHERE upd_pk % 11 = 0 AND listed = 1;
         UPDATE updates SET classification_id = NULL WHERE upd_pk % 13 = 0;
         UPDATE updates SET classification_id = (SELECT classification_id FROM updates WHERE classification_id IS NOT NULL LIMIT 1)
             WHERE upd_pk % 17 = 0;
         DELETE FROM update_categories WHERE upd_pk % 5 = 0;
         UPDATE update_categories SET category_id = 'moved-' || category_id WHERE upd_pk % 9 = 0;",
    )
    .expect("changes");
    assert_kept(&f, "after direct changes");
    w.execute_batch("DELETE FROM updates WHERE upd_pk % 3 = 0")
        .expect("delete");
    assert_kept(&f, "after deleting updates with their links");
}

#[test]
fn grid_totals_of_kept_filters_equal_their_rows() {
    let f = Fixture::new("counts", 1500);
    let cats = f.call("list_categories", json!(null));
    let id_of = |kind: &str, title: &str| {
        cats.as_array()
            .and_then(|a| a.iter().find(|c| c["kind"] == kind && c["title"] == title))
            .map(|c| c["categoryId"].as_str().unwrap_or_default().to_string())
            .unwrap_or_else(|| panic!("no {title}"))
    };
    let security = id_of("UpdateClassification", "Security Updates");
    let critical = id_of("UpdateClassification", "Critical Updates");
    let products: Vec<String> = ids(
        &f,
        "SELECT category_id FROM categories WHERE kind = 'Product' AND category_id IN (SELECT category_id FROM update_categories) LIMIT 3",
    );
    assert!(!products.is_empty());
    let some = ids(
        &f,
        "SELECT update_id FROM updates WHERE listed = 1 ORDER BY upd_pk DESC LIMIT 40",
    );
    f.call("decline_updates", json!({ "updateIds": some }));
    let mut queries = vec![
        json!({}),
        json!({ "includeExpired": true }),
        json!({ "declined": true }),
        json!({ "hideSuperseded": true }),
        json!({ "classificationIds": [security.to_uppercase()] }),
        json!({ "classificationIds": [security, critical], "hideSuperseded": true, "includeExpired": true }),
        json!({ "productIds": [products[0], products.last()] }),
    ];
    for p in &products {
        queries.push(json!({ "productIds": [p] }));
        queries
            .push(json!({ "productIds": [p.to_uppercase()], "classificationIds": [critical], "hideSuperseded": true }));
    }
    for q in queries {
        let mut args = q.clone();
        args["limit"] = json!(1000);
        let page = f.call("list_updates", args);
        let total = page["total"].as_i64().expect("total");
        let mut rows = page["rows"].as_array().expect("rows").len() as i64;
        let mut offset = rows;
        while offset < total {
            let mut args = q.clone();
            args["limit"] = json!(1000);
            args["offset"] = json!(offset);
            let n = f.call("list_updates", args)["rows"].as_array().expect("rows").len() as i64;
            assert!(n > 0, "{q}: no rows at {offset} of {total}");
            rows += n;
            offset += n;
        }
        assert_eq!(rows, total, "{q}: total says {total}, pages hold {rows}");
    }
}

//! Administration through the command API against a real site database: target groups,
//! update groups, declines, approvals with inheritance, deployments and their validation,
//! the effective policy, the library's new filters, and the audit trail of all of it.

/// An RFC 3339 instant, as the site computes with it.
fn utc(text: &str) -> site::clock::UtcTime {
    site::clock::parse_rfc3339(text).expect("a test time")
}

mod common;

use common::{settings, Fixture};
use serde_json::{json, Value};
use site::ErrorCode;

const ACTOR: &str = "test:admin";

impl Fixture {
    /// Plain updates (published, not superseded, not declined), in a stable order.
    fn plain_ids(&self, n: usize) -> Vec<String> {
        let mut stmt = self
            .raw
            .prepare(
                "SELECT update_id FROM updates WHERE listed = 1 AND is_superseded = 0 AND publication_state = 'Published'
                 ORDER BY upd_pk LIMIT ?1",
            )
            .expect("prepare");
        let v: Vec<String> = stmt
            .query_map([n as i64], |r| r.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(v.len(), n, "the generated catalog holds enough plain updates");
        v
    }

    fn approve(&self, ids: &[&str], group: i64, action: &str, deadline: &str) -> Value {
        self.call(
            "approve_updates",
            json!({ "updateIds": ids, "approvals": [{ "groupId": group, "action": action, "deadline": deadline }] }),
        )
    }

    /// The effective policy for a set of groups, as update id → (action, deadline, source group).
    fn policy(&self, args: Value) -> std::collections::HashMap<String, (String, Option<String>, i64)> {
        self.call("effective_policy", args)["updates"]
            .as_array()
            .expect("updates")
            .iter()
            .map(|u| {
                (
                    u["updateId"].as_str().expect("id").to_string(),
                    (
                        u["action"].as_str().expect("action").to_string(),
                        u["deadlineUtc"].as_str().map(str::to_string),
                        u["sourceGroupId"].as_i64().expect("source"),
                    ),
                )
            })
            .collect()
    }

    fn list_ids(&self, query: Value) -> (i64, Vec<String>) {
        let page = self.call("list_updates", query);
        (
            page["total"].as_i64().expect("total"),
            page["rows"]
                .as_array()
                .expect("rows")
                .iter()
                .map(|r| r["updateId"].as_str().expect("id").to_string())
                .collect(),
        )
    }
}

#[test]
fn target_group_tree_rules() {
    let f = Fixture::new(ACTOR, 0);
    let roots = f.call("list_target_groups", json!(null));
    assert_eq!(roots[0]["id"], 1);
    assert_eq!(roots[0]["path"], "All Computers");

    let servers = f.group("Servers", None);
    let web = f.group("Web", Some(servers));
    let _desktops = f.group("Desktops", None);
    let list = f.call("list_target_groups", json!(null));
    let paths: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "All Computers",
            "All Computers / Desktops",
            "All Computers / Servers",
            "All Computers / Servers / Web"
        ],
        "root first, then tree order with siblings by name"
    );

    // Sibling names are unique, whatever the case; the same name elsewhere is fine.
    let dup = f.fail("create_target_group", json!({ "name": "servers" }));
    assert_eq!(dup.code, ErrorCode::Conflict);
    assert!(
        dup.message.contains("already has a subgroup named 'servers'"),
        "{}",
        dup.message
    );
    f.group("Web", None);
    let empty = f.fail("create_target_group", json!({ "name": "  " }));
    assert_eq!(empty.code, ErrorCode::Validation);
    let rename_clash = f.fail(
        "update_target_group",
        json!({ "id": servers, "name": "DESKTOPS", "parentId": 1 }),
    );
    assert!(rename_clash.message.contains("'DESKTOPS'"), "{}", rename_clash.message);

    // Moves: never under itself or a descendant; the root never moves.
    let cycle = f.fail(
        "update_target_group",
        json!({ "id": servers, "name": "Servers", "parentId": web }),
    );
    assert_eq!(cycle.code, ErrorCode::Validation);
    assert!(cycle.message.contains("subgroups"), "{}", cycle.message);
    let itself = f.fail(
        "update_target_group",
        json!({ "id": servers, "name": "Servers", "parentId": servers }),
    );
    assert_eq!(itself.code, ErrorCode::Validation);
    let root = f.fail(
        "update_target_group",
        json!({ "id": 1, "name": "All Computers", "parentId": web }),
    );
    assert!(root.message.contains("cannot be moved"), "{}", root.message);
    let moved = f.call(
        "update_target_group",
        json!({ "id": web, "name": "Web farm", "parentId": 1 }),
    );
    assert_eq!(moved["path"], "All Computers / Web farm");
    f.call(
        "update_target_group",
        json!({ "id": web, "name": "Web", "parentId": servers, "description": "IIS" }),
    );

    // Deletes: never the root, not while subgroups or assignments use a group.
    let root_delete = f.fail("delete_target_group", json!({ "id": 1 }));
    assert!(
        root_delete.message.contains("cannot be deleted"),
        "{}",
        root_delete.message
    );
    let parent_delete = f.fail("delete_target_group", json!({ "id": servers }));
    assert_eq!(parent_delete.code, ErrorCode::Conflict);
    assert!(
        parent_delete.message.contains("1 subgroup"),
        "{}",
        parent_delete.message
    );

    // Membership.
    let pc1 = f.computer("PC1", &[]);
    let pc2 = f.computer("PC2", &[]);
    f.call(
        "add_group_members",
        json!({ "groupId": web, "computerIds": [pc1, pc2] }),
    );
    f.call("add_group_members", json!({ "groupId": servers, "computerIds": [pc1] }));
    assert_eq!(
        f.call("list_computers", json!({ "groupId": web }))
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        f.call("list_computers", json!({ "groupId": servers }))
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        f.call(
            "list_computers",
            json!({ "groupId": servers, "includeSubgroups": true })
        )
        .as_array()
        .unwrap()
        .len(),
        2
    );
    f.call("remove_group_members", json!({ "groupId": web, "computerIds": [pc2] }));
    let web_row = f
        .call("list_target_groups", json!(null))
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == web)
        .cloned()
        .unwrap();
    assert_eq!(web_row["memberCount"], 1);
    let unknown = f.fail("add_group_members", json!({ "groupId": web, "computerIds": [999] }));
    assert_eq!(unknown.code, ErrorCode::NotFound);
    assert!(unknown.message.contains("999"));

    // Assignments block a delete, and the message says how many of which kind.
    drop(f);
    let f = Fixture::new(ACTOR, 40);
    let servers = f.group("Servers", None);
    let ids = f.plain_ids(3);
    f.approve(&[&ids[0], &ids[1]], servers, "Required", "None");
    f.call(
        "create_deployment",
        json!({ "name": "Patch Tuesday", "updateIds": [ids[2]], "targetGroupId": servers,
                "settings": settings("Available", "2026-01-01T00:00:00Z", None) }),
    );
    let blocked = f.fail("delete_target_group", json!({ "id": servers }));
    assert_eq!(blocked.code, ErrorCode::Conflict);
    assert_eq!(
        blocked.message,
        "1 deployment and 2 approvals target 'Servers'; delete or retarget them first."
    );
    let row = f
        .call("list_target_groups", json!(null))
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == servers)
        .cloned()
        .unwrap();
    assert_eq!(row["assignmentCount"], 3);
    f.call(
        "remove_approvals",
        json!({ "updateIds": [ids[0], ids[1]], "groupIds": [servers] }),
    );
    let dep = f.call("list_deployments", json!(null))[0]["id"].as_i64().unwrap();
    f.call("delete_deployment", json!({ "id": dep }));
    f.call("delete_target_group", json!({ "id": servers }));
    assert_eq!(f.call("list_target_groups", json!(null)).as_array().unwrap().len(), 1);
}

#[test]
fn approvals_inherit_down_the_tree_and_explicit_children_override() {
    let f = Fixture::new(ACTOR, 60);
    let a = f.group("A", None);
    let a1 = f.group("A1", Some(a));
    let a1x = f.group("A1x", Some(a1));
    let ids = f.plain_ids(3);
    let (u1, u2, u3) = (ids[0].as_str(), ids[1].as_str(), ids[2].as_str());

    f.approve(&[u1, u2], 1, "Required", "OneWeek");
    f.approve(&[u1], a1, "DoNotInstall", "None");
    f.approve(&[u3], a, "Uninstall", "None");

    let deep = f.policy(json!({ "groupIds": [a1x] }));
    assert_eq!(deep[u1].0, "DoNotInstall", "the nearest explicit approval (A1) decides");
    assert_eq!(deep[u1].2, a1);
    assert_eq!(deep[u2].0, "Required", "inherited from the root");
    assert_eq!(deep[u2].2, 1);
    assert!(deep[u2].1.is_some(), "the deadline comes with it");
    assert_eq!(deep[u3].0, "Uninstall", "Uninstall inherits too");
    assert_eq!(deep[u3].2, a);
    let upper = f.policy(json!({ "groupIds": [a] }));
    assert_eq!(upper[u1].0, "Required", "the parent keeps its own approval");
    assert!(
        !f.policy(json!({ "groupIds": [1] })).contains_key(u3),
        "nothing flows upwards"
    );

    // Do not install on a parent reaches a child that says nothing.
    f.approve(&[u2], a, "DoNotInstall", "None");
    assert_eq!(f.policy(json!({ "groupIds": [a1x] }))[u2].0, "DoNotInstall");

    // The console shows where each approval comes from.
    let per_group = f.call("list_approvals", json!({ "updateId": u1 }));
    let find = |g: i64| {
        per_group
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["groupId"] == g)
            .cloned()
            .expect("approval")
    };
    assert_eq!(find(a1x)["explicit"], false);
    assert_eq!(find(a1x)["sourceGroupId"], a1);
    assert_eq!(find(a1x)["sourceGroupPath"], "All Computers / A / A1");
    assert_eq!(find(a1x)["action"], "DoNotInstall");
    assert_eq!(find(a1)["explicit"], true);
    assert_eq!(find(a)["sourceGroupId"], 1);
    assert_eq!(find(a)["approvedBy"], ACTOR);
    let in_group = f.call("list_approvals", json!({ "groupId": a1x }));
    assert_eq!(
        in_group.as_array().unwrap().len(),
        3,
        "u1, u2, u3 all reach A1x: {in_group}"
    );

    // Removing the child's approval brings the inherited one back.
    f.call("remove_approvals", json!({ "updateIds": [u1], "groupIds": [a1] }));
    let deep = f.policy(json!({ "groupIds": [a1x] }));
    assert_eq!(deep[u1].0, "Required");
    assert_eq!(deep[u1].2, 1);

    // Approving again replaces, never duplicates.
    f.approve(&[u1], 1, "Available", "None");
    assert_eq!(
        f.count("SELECT count(*) FROM assignments WHERE kind = 'Approval' AND target_group_id = 1"),
        2
    );
    assert_eq!(f.policy(json!({ "groupIds": [a1x] }))[u1].0, "Available");
}

#[test]
fn several_groups_combine_by_precedence_and_earliest_deadline() {
    let f = Fixture::new(ACTOR, 60);
    let a = f.group("A", None);
    let b = f.group("B", None);
    let c = f.group("C", None);
    let ids = f.plain_ids(4);
    let (u1, u2, u3, u4) = (ids[0].as_str(), ids[1].as_str(), ids[2].as_str(), ids[3].as_str());
    f.approve(&[u1], a, "DoNotInstall", "None");
    f.approve(&[u1], b, "Available", "None");
    f.approve(&[u2], a, "Available", "None");
    f.approve(&[u2], b, "Required", "TwoWeeks");
    f.approve(&[u2], c, "Required", "OneWeek");
    f.approve(&[u3], a, "DoNotInstall", "None");
    f.approve(&[u3], c, "Uninstall", "None");
    f.approve(&[u4], a, "DoNotInstall", "None");

    let pc = f.computer("PC-MULTI", &[a, b, c]);
    let p = f.policy(json!({ "computerId": pc }));
    assert_eq!(p[u1].0, "Available", "Available beats Do not install");
    assert_eq!(p[u2].0, "Required");
    assert_eq!(p[u2].2, c, "the earliest deadline among the Required ones wins");
    let one_week = p[u2].1.clone().expect("deadline");
    let b_deadline = f.policy(json!({ "groupIds": [b] }))[u2].1.clone().expect("deadline");
    assert!(one_week < b_deadline);
    assert_eq!(p[u3].0, "Uninstall", "Uninstall beats Do not install");
    assert_eq!(p[u4].0, "DoNotInstall");

    // A computer in no subgroup still gets what All Computers has.
    f.approve(&[u4], 1, "Required", "AsSoonAsPossible");
    let lone = f.computer("PC-LONE", &[]);
    assert_eq!(f.policy(json!({ "computerId": lone }))[u4].0, "Required");
    assert_eq!(
        f.fail("effective_policy", json!({ "computerId": 424242 })).code,
        ErrorCode::NotFound
    );
    assert_eq!(
        f.fail("effective_policy", json!({ "groupIds": [424242] })).code,
        ErrorCode::NotFound
    );
}

#[test]
fn deployments_count_as_assignments_of_their_collection_while_enabled() {
    let f = Fixture::new(ACTOR, 60);
    let servers = f.group("Servers", None);
    let web = f.group("Web", Some(servers));
    let ids = f.plain_ids(3);
    let group = f.call("create_update_group", json!({ "name": "November", "updateIds": ids }))["id"]
        .as_i64()
        .unwrap();
    let dep = f.call(
        "create_deployment",
        json!({ "name": "November servers", "updateGroupId": group, "targetGroupId": servers,
                "settings": settings("Required", "2026-11-10T08:00:00Z", Some("2026-11-17T20:00:00+01:00")) }),
    );
    let dep_id = dep["id"].as_i64().unwrap();
    assert_eq!(dep["updateCount"], 3);
    assert_eq!(dep["targetGroupPath"], "All Computers / Servers");
    assert_eq!(dep["createdBy"], ACTOR);
    assert_eq!(dep["counts"]["compliant"], 0);
    let p = f.policy(json!({ "groupIds": [web] }));
    assert_eq!(p.len(), 3);
    assert_eq!(p[&ids[0]].0, "Required");
    assert_eq!(
        p[&ids[0]].1.as_deref(),
        Some("2026-11-17T19:00:00.000Z"),
        "deadlines are stored in UTC"
    );
    let raw = f.call("effective_policy", json!({ "groupIds": [web] }));
    assert_eq!(raw["updates"][0]["deploymentId"], dep_id);

    // An explicit approval on the child overrides the parent's deployment.
    f.approve(&[&ids[0]], web, "DoNotInstall", "None");
    assert_eq!(f.policy(json!({ "groupIds": [web] }))[&ids[0]].0, "DoNotInstall");

    // Disabled: it no longer counts (DEP-4), and the grid stops calling its updates deployed.
    let (deployed, _) = f.list_ids(json!({ "deployed": true }));
    assert_eq!(deployed, 3);
    let off = f.call("set_deployment_enabled", json!({ "id": dep_id, "enabled": false }));
    assert_eq!(off["enabled"], false);
    let p = f.policy(json!({ "groupIds": [web] }));
    assert!(!p.contains_key(&ids[1]), "a disabled deployment gives nothing: {p:?}");
    assert_eq!(f.list_ids(json!({ "deployed": true })).0, 0);
    f.call("set_deployment_enabled", json!({ "id": dep_id, "enabled": true }));
    assert_eq!(f.policy(json!({ "groupIds": [web] }))[&ids[1]].0, "Required");

    // Edit keeps validation and changes what is deployed.
    let mut spec = json!({ "name": "November servers (all)", "updateGroupId": group, "targetGroupId": 1,
                            "settings": settings("Available", "2026-11-10T08:00:00Z", None) });
    let edited = f.call("edit_deployment", json!({ "id": dep_id, "spec": spec.clone() }));
    assert_eq!(edited["targetGroupPath"], "All Computers");
    assert_eq!(edited["settings"]["deploymentType"], "Available");
    assert_eq!(f.policy(json!({ "groupIds": [1] }))[&ids[2]].0, "Available");

    // Available only later: not policy until then, and the chain reads on to the parents.
    let mut later = spec.clone();
    later["settings"]["availableUtc"] = json!("2099-01-01T00:00:00Z");
    f.call("edit_deployment", json!({ "id": dep_id, "spec": later }));
    let p = f.policy(json!({ "groupIds": [1] }));
    assert!(
        !p.contains_key(&ids[2]),
        "a deployment not yet available gives nothing: {p:?}"
    );
    f.call("edit_deployment", json!({ "id": dep_id, "spec": spec.clone() }));
    assert_eq!(f.policy(json!({ "groupIds": [1] }))[&ids[2]].0, "Available");

    spec["settings"]["alertBelowPercent"] = json!(0);
    let refused = f.fail("edit_deployment", json!({ "id": dep_id, "spec": spec }));
    assert_eq!(refused.code, ErrorCode::Validation);
    assert_eq!(
        f.call("list_deployments", json!(null))[0]["name"],
        "November servers (all)",
        "nothing changed"
    );

    // The update group cannot go while deployed, and says by what.
    let blocked = f.fail("delete_update_group", json!({ "id": group }));
    assert_eq!(blocked.code, ErrorCode::Conflict);
    assert!(
        blocked.message.contains("'November servers (all)'"),
        "{}",
        blocked.message
    );
    f.call("delete_deployment", json!({ "id": dep_id }));
    f.call("delete_update_group", json!({ "id": group }));
    assert!(f.call("list_update_groups", json!(null)).as_array().unwrap().is_empty());
}

#[test]
fn decline_rules() {
    let f = Fixture::new(ACTOR, 120);
    let servers = f.group("Servers", None);
    let ids = f.plain_ids(3);
    let (u1, u2, u3) = (ids[0].as_str(), ids[1].as_str(), ids[2].as_str());
    f.approve(&[u1], 1, "Required", "None");
    f.approve(&[u1], servers, "Available", "None");
    let grp = f.call("create_update_group", json!({ "name": "G", "updateIds": [u1, u2] }))["id"]
        .as_i64()
        .unwrap();
    f.call(
        "create_deployment",
        json!({ "name": "D", "updateGroupId": grp, "targetGroupId": servers,
                "settings": settings("Available", "2026-01-01T00:00:00Z", None) }),
    );
    let pc = f.computer("PC1", &[servers]);
    f.report(pc, u1, "Required");
    f.report(pc, u3, "Installed");
    let row = |id: &str| f.call("get_update", json!({ "updateId": id }))["row"].clone();
    assert_eq!(row(u1)["requiredCount"], 1);
    let (before, _) = f.list_ids(json!({}));

    let report = f.call("decline_updates", json!({ "updateIds": [u1] }));
    assert_eq!(report["declined"], 1);
    assert_eq!(report["approvalsRemoved"], 2);
    // Hidden from the default views, found with the Declined filter.
    let (after, shown) = f.list_ids(json!({ "limit": 1000 }));
    assert_eq!(after, before - 1);
    assert!(!shown.contains(&u1.to_string()));
    let (declined, found) = f.list_ids(json!({ "declined": true }));
    assert!(found.contains(&u1.to_string()), "{declined} declined: {found:?}");
    // Its report data is gone, and so are its approvals.
    assert_eq!(
        f.count("SELECT count(*) FROM update_states s JOIN updates u USING (upd_pk) WHERE u.declined = 1"),
        0
    );
    assert_eq!(row(u1)["requiredCount"], 0);
    assert_eq!(row(u1)["declined"], true);
    assert_eq!(
        f.count(&format!(
            "SELECT count(*) FROM assignments a JOIN updates u USING (upd_pk) WHERE u.update_id = '{u1}'"
        )),
        0
    );
    assert_eq!(row(u3)["installedCount"], 1, "other updates keep their report data");
    // Still a member of its group, but no client is offered it; nor is it "deployed".
    assert_eq!(
        f.call("get_update_group", json!({ "id": grp }))["info"]["memberCount"],
        2
    );
    let p = f.policy(json!({ "computerId": pc }));
    assert!(!p.contains_key(u1), "declined updates are skipped: {p:?}");
    assert!(p.contains_key(u2));
    assert_eq!(row(u1)["deployed"], false);
    // Declining again counts as already declined.
    assert_eq!(
        f.call("decline_updates", json!({ "updateIds": [u1] }))["alreadyDeclined"],
        1
    );

    // A new revision keeps it declined.
    let doc = f
        .raw
        .query_row("SELECT xml_deflate FROM revisions WHERE update_id = ?1", [u1], |r| {
            r.get::<_, Vec<u8>>(0)
        })
        .expect("xml");
    let xml = site::catalog::import::inflate(&doc).expect("inflate");
    let r201 = xml.replacen("RevisionNumber=\"200\"", "RevisionNumber=\"201\"", 1);
    f.call("import_xml", json!({ "documents": [r201] }));
    assert_eq!(row(u1)["revision"], 201);
    assert_eq!(row(u1)["declined"], true);
    assert!(f.list_ids(json!({ "declined": true })).1.contains(&u1.to_string()));

    // Approving a declined update brings it back.
    let back = f.approve(&[u1], servers, "Required", "OneWeek");
    assert_eq!(back["undeclined"], 1);
    assert_eq!(row(u1)["declined"], false);
    assert!(f.list_ids(json!({ "limit": 1000 })).1.contains(&u1.to_string()));

    // Declined, then expired upstream: it can never be approved again.
    f.call("decline_updates", json!({ "updateIds": [u2] }));
    let xml2 = {
        let d = f
            .raw
            .query_row("SELECT xml_deflate FROM revisions WHERE update_id = ?1", [u2], |r| {
                r.get::<_, Vec<u8>>(0)
            })
            .expect("xml");
        site::catalog::import::inflate(&d).expect("inflate")
    };
    let expired = xml2
        .replacen("RevisionNumber=\"200\"", "RevisionNumber=\"202\"", 1)
        .replacen("PublicationState=\"Published\"", "PublicationState=\"Expired\"", 1);
    f.call("import_xml", json!({ "documents": [expired] }));
    assert_eq!(
        f.count(&format!(
            "SELECT count(*) FROM updates WHERE update_id = '{u2}' AND declined_reason = 'Expired'"
        )),
        1
    );
    let refused = f.fail(
        "approve_updates",
        json!({ "updateIds": [u2, u3], "approvals": [{ "groupId": 1, "action": "Required", "deadline": "None" }] }),
    );
    assert_eq!(refused.code, ErrorCode::Validation);
    assert!(refused.message.contains("expired upstream"), "{}", refused.message);
    assert!(refused.message.contains("cannot be approved"), "{}", refused.message);
    assert_eq!(
        f.count(&format!(
            "SELECT count(*) FROM assignments a JOIN updates u USING (upd_pk) WHERE u.update_id = '{u3}'"
        )),
        0,
        "nothing is written when anything is refused"
    );

    // The cleanup after a sync declines expired updates the same way: hidden, reason Expired.
    let cleaned = site::sync::cleanup::run(&f.site, 0, std::time::Duration::from_secs(30)).expect("cleanup");
    assert!(cleaned.expired > 0);
    assert_eq!(
        f.count("SELECT count(*) FROM updates WHERE declined = 1 AND listed IN (1, 2)"),
        0
    );
    let (_, expired_ids) = f.list_ids(json!({ "declined": true, "limit": 1000 }));
    let some_expired: String = f
        .raw
        .query_row(
            "SELECT update_id FROM updates WHERE declined_reason = 'Expired' AND update_id <> ?1 LIMIT 1",
            [u2],
            |r| r.get(0),
        )
        .expect("expired");
    assert!(expired_ids.contains(&some_expired));
    let refused = f.fail("approve_updates", json!({ "updateIds": [some_expired], "approvals": [{ "groupId": 1, "action": "Available", "deadline": "None" }] }));
    assert!(refused.message.contains("expired upstream"), "{}", refused.message);
    // Nor can it be deployed.
    let issues = f.call(
        "validate_deployment",
        json!({ "name": "Old", "updateIds": [some_expired], "targetGroupId": 1,
                "settings": settings("Available", "2026-01-01T00:00:00Z", None) }),
    );
    assert_eq!(issues[0]["field"], "updateIds");
    assert!(
        issues[0]["message"].as_str().unwrap().contains("expired upstream"),
        "{issues}"
    );
    // The audit names what was declined.
    let decline = f
        .audit()
        .into_iter()
        .find(|e| e["action"] == "update.decline")
        .expect("decline audited");
    assert!(
        decline["detail"].as_str().unwrap().contains("report data deleted"),
        "{decline}"
    );
}

#[test]
fn deadline_presets_are_computed_in_utc() {
    use site::admin::approvals::deadline_from;
    use site::api::DeadlinePreset as P;
    let at = |p, custom: Option<&str>, now| deadline_from(p, custom, now).expect("deadline");
    let now = utc("2027-01-31T22:30:00Z");
    assert_eq!(at(P::None, None, now), None);
    assert_eq!(
        at(P::AsSoonAsPossible, None, now).as_deref(),
        Some("2027-01-31T22:30:00.000Z")
    );
    assert_eq!(at(P::OneWeek, None, now).as_deref(), Some("2027-02-07T22:30:00.000Z"));
    assert_eq!(at(P::TwoWeeks, None, now).as_deref(), Some("2027-02-14T22:30:00.000Z"));
    assert_eq!(
        at(P::OneMonth, None, now).as_deref(),
        Some("2027-02-28T22:30:00.000Z"),
        "clamped to month end"
    );
    assert_eq!(
        at(P::OneMonth, None, utc("2028-01-31T08:00:00Z")).as_deref(),
        Some("2028-02-29T08:00:00.000Z"),
        "leap year"
    );
    assert_eq!(
        at(P::OneMonth, None, utc("2026-12-15T08:00:00Z")).as_deref(),
        Some("2027-01-15T08:00:00.000Z"),
        "across the year"
    );
    // A time given in another zone is the same instant, in UTC.
    assert_eq!(
        at(P::OneWeek, None, utc("2027-03-01T01:00:00+02:00")).as_deref(),
        Some("2027-03-07T23:00:00.000Z")
    );
    assert_eq!(
        at(P::Custom, Some("2027-02-10T09:00:00+01:00"), now).as_deref(),
        Some("2027-02-10T08:00:00.000Z")
    );
    for (custom, needle) in [
        (Some("2027-01-01T00:00:00Z"), "in the past"),
        (Some("next tuesday"), "not a date and time"),
        (None, "needs a date and time"),
    ] {
        let e = deadline_from(P::Custom, custom, now).expect_err("refused");
        assert_eq!(e.code, ErrorCode::Validation);
        assert!(e.message.contains(needle), "{}", e.message);
    }

    // Through the API: saved at approval time, in UTC, and deadlines only where they mean something.
    let f = Fixture::new(ACTOR, 30);
    let ids = f.plain_ids(2);
    let before = site::clock::now() + chrono::TimeDelta::days(7);
    f.approve(&[&ids[0]], 1, "Required", "OneWeek");
    let after = site::clock::now() + chrono::TimeDelta::days(7);
    let stored: String = f
        .raw
        .query_row("SELECT deadline_utc FROM assignments", [], |r| r.get(0))
        .expect("deadline");
    assert!(stored.ends_with('Z') && stored.len() == 24, "{stored}");
    let stored_at = utc(&stored);
    let ms = chrono::TimeDelta::milliseconds(1);
    assert!(
        before - ms <= stored_at && stored_at <= after,
        "{before} <= {stored} <= {after}"
    );
    for action in ["Available", "DoNotInstall"] {
        let e = f.fail(
            "approve_updates",
            json!({ "updateIds": [ids[1]], "approvals": [{ "groupId": 1, "action": action, "deadline": "OneWeek" }] }),
        );
        assert_eq!(e.code, ErrorCode::Validation);
        assert!(
            e.message.contains("only to Required install and Uninstall"),
            "{}",
            e.message
        );
    }
    f.approve(&[&ids[1]], 1, "Uninstall", "TwoWeeks");
    let past = f.fail(
        "approve_updates",
        json!({ "updateIds": [ids[1]], "approvals": [{ "groupId": 1, "action": "Required", "deadline": "Custom", "customDeadlineUtc": "2001-01-01T00:00:00Z" }] }),
    );
    assert!(past.message.contains("in the past"), "{}", past.message);
    let unknown = f.fail(
        "approve_updates",
        json!({ "updateIds": [ids[1], "00000000-0000-0000-0000-000000000000"], "approvals": [{ "groupId": 1, "action": "Required", "deadline": "None" }] }),
    );
    assert_eq!(unknown.code, ErrorCode::NotFound);
    assert!(unknown.message.contains("00000000-0000-0000-0000-000000000000"));
    let no_group = f.fail(
        "approve_updates",
        json!({ "updateIds": [ids[1]], "approvals": [{ "groupId": 77, "action": "Required", "deadline": "None" }] }),
    );
    assert!(no_group.message.contains("77"), "{}", no_group.message);
    assert_eq!(
        f.count("SELECT count(*) FROM assignments WHERE action = 'Uninstall'"),
        1,
        "refused approvals changed nothing"
    );
}

#[test]
fn deployment_wizard_validation_at_the_api() {
    let f = Fixture::new(ACTOR, 30);
    let ids = f.plain_ids(2);
    let empty_group = f.call("create_update_group", json!({ "name": "Empty" }))["id"]
        .as_i64()
        .unwrap();
    let good = json!({ "name": "Good", "updateIds": ids, "targetGroupId": 1,
                       "settings": settings("Required", "2026-11-10T08:00:00Z", Some("2026-11-17T08:00:00Z")) });
    assert_eq!(f.call("validate_deployment", good.clone()), json!([]));

    let check = |change: &dyn Fn(&mut Value), field: &str, needle: &str| {
        let mut spec = good.clone();
        change(&mut spec);
        let issues = f.call("validate_deployment", spec.clone());
        let issue = issues
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["field"] == field)
            .unwrap_or_else(|| panic!("no issue on {field}: {issues}"));
        assert!(issue["message"].as_str().unwrap().contains(needle), "{issue}");
        let refused = f.fail("create_deployment", spec);
        assert_eq!(refused.code, ErrorCode::Validation);
        assert_eq!(refused.message, issues[0]["message"].as_str().unwrap());
    };
    check(&|s| s["name"] = json!(" "), "name", "needs a name");
    check(&|s| s["updateIds"] = json!([]), "updateIds", "at least one update");
    check(
        &|s| s["updateIds"] = json!(["not-an-update"]),
        "updateIds",
        "not-an-update",
    );
    check(&|s| s["updateGroupId"] = json!(empty_group), "updateIds", "not both");
    check(
        &|s| {
            s["updateIds"] = json!([]);
            s["updateGroupId"] = json!(empty_group)
        },
        "updateGroupId",
        "has no updates",
    );
    check(
        &|s| {
            s["updateIds"] = json!([]);
            s["updateGroupId"] = json!(999)
        },
        "updateGroupId",
        "999",
    );
    check(&|s| s["targetGroupId"] = json!(555), "targetGroupId", "555");
    check(
        &|s| s["settings"]["availableUtc"] = json!("soon"),
        "availableUtc",
        "not a date",
    );
    check(
        &|s| s["settings"]["deadlineUtc"] = json!("later"),
        "deadlineUtc",
        "not a date",
    );
    check(
        &|s| s["settings"]["deadlineUtc"] = Value::Null,
        "deadlineUtc",
        "needs an installation deadline",
    );
    check(
        &|s| s["settings"]["deadlineUtc"] = json!("2026-11-09T08:00:00Z"),
        "deadlineUtc",
        "before the available time",
    );
    check(
        &|s| s["settings"]["alertBelowPercent"] = json!(100),
        "alertBelowPercent",
        "1 to 99",
    );
    check(
        &|s| s["settings"]["alertBelowPercent"] = json!(0),
        "alertBelowPercent",
        "1 to 99",
    );
    check(
        &|s| s["settings"]["alertDaysAfterDeadline"] = json!(-1),
        "alertDaysAfterDeadline",
        "0 to 365",
    );
    check(
        &|s| s["settings"]["alertDaysAfterDeadline"] = json!(366),
        "alertDaysAfterDeadline",
        "0 to 365",
    );
    // Available deployments need no deadline.
    let mut available = good.clone();
    available["settings"] = settings("Available", "2026-11-10T08:00:00Z", None);
    assert_eq!(f.call("validate_deployment", available), json!([]));
    assert!(
        f.call("list_deployments", json!(null)).as_array().unwrap().is_empty(),
        "nothing refused was saved"
    );

    // Deploying a selection creates a group named after the deployment, uniquely.
    f.call("create_update_group", json!({ "name": "Good", "updateIds": [ids[0]] }));
    let d = f.call("create_deployment", good);
    assert_eq!(d["updateGroupName"], "Good (2)");
    assert_eq!(d["updateCount"], 2);
    assert_eq!(
        d["settings"]["suppressRestartServers"], true,
        "every wizard setting is kept"
    );
}

#[test]
fn five_thousand_updates_in_one_group_and_one_deployment() {
    let f = Fixture::new(ACTOR, 5200);
    let mut stmt = f
        .raw
        .prepare("SELECT update_id FROM updates WHERE listed IN (1, 2) ORDER BY upd_pk LIMIT 5000")
        .expect("prepare");
    let ids: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .expect("q")
        .collect::<Result<_, _>>()
        .expect("ids");
    assert_eq!(ids.len(), 5000);
    let servers = f.group("Servers", None);
    let grp = f.call("create_update_group", json!({ "name": "Big", "updateIds": ids }));
    assert_eq!(grp["memberCount"], 5000);
    let details = f.call("get_update_group", json!({ "id": grp["id"] }));
    assert_eq!(details["members"].as_array().unwrap().len(), 5000);
    let dep = f.call(
        "create_deployment",
        json!({ "name": "Everything", "updateIds": ids, "targetGroupId": servers,
                "settings": settings("Required", "2026-11-10T08:00:00Z", Some("2026-11-17T08:00:00Z")) }),
    );
    assert_eq!(dep["updateCount"], 5000);
    assert_eq!(dep["updateGroupName"], "Everything");
    let p = f.policy(json!({ "groupIds": [servers] }));
    assert_eq!(p.len(), 5000);
    assert_eq!(
        f.list_ids(json!({ "updateGroupId": grp["id"], "includeExpired": true }))
            .0,
        5000
    );
    let approved = f.call(
        "approve_updates",
        json!({ "updateIds": ids, "approvals": [{ "groupId": 1, "action": "Available", "deadline": "None" }] }),
    );
    assert_eq!(approved["approvals"], 5000);
    let blocked = f.fail("delete_update_group", json!({ "id": dep["updateGroupId"] }));
    assert!(blocked.message.contains("'Everything'"), "{}", blocked.message);
}

#[test]
fn library_filters_and_counts() {
    let f = Fixture::new(ACTOR, 200);
    let ids = f.plain_ids(6);
    let pcs: Vec<i64> = (0..4).map(|i| f.computer(&format!("PC{i}"), &[])).collect();
    // ids[0] required on 3 computers, ids[1] on 1, ids[2] installed on 2.
    for pc in &pcs[..3] {
        f.report(*pc, &ids[0], "Required");
    }
    f.report(pcs[3], &ids[0], "NotRequired");
    f.report(pcs[0], &ids[1], "Required");
    f.report(pcs[0], &ids[2], "Installed");
    f.report(pcs[1], &ids[2], "Installed");
    // A state that changes moves the counts.
    f.report(pcs[1], &ids[2], "Failed");
    let row = f.call("get_update", json!({ "updateId": ids[0] }))["row"].clone();
    assert_eq!(
        (row["requiredCount"].as_i64(), row["notRequiredCount"].as_i64()),
        (Some(3), Some(1))
    );
    let row = f.call("get_update", json!({ "updateId": ids[2] }))["row"].clone();
    assert_eq!(row["installedCount"], 1);

    let (n, more_than_one) = f.list_ids(json!({ "minRequired": 1 }));
    assert_eq!((n, more_than_one), (1, vec![ids[0].clone()]));
    assert_eq!(f.list_ids(json!({ "minRequired": 0 })).0, 2);
    // "Critical or Security, required on more than N": criteria combine.
    let class = f
        .raw
        .query_row(
            "SELECT classification_id FROM updates WHERE update_id = ?1",
            [&ids[0]],
            |r| r.get::<_, String>(0),
        )
        .expect("class");
    assert_eq!(
        f.list_ids(json!({ "minRequired": 0, "classificationIds": [class] }))
            .1
            .contains(&ids[0]),
        true
    );

    // Update group filter, with search and sorting on top.
    let g = f.call(
        "create_update_group",
        json!({ "name": "Three", "updateIds": [ids[3], ids[4], ids[5]] }),
    )["id"]
        .clone();
    let (n, members) = f.list_ids(json!({ "updateGroupId": g }));
    assert_eq!(n, 3);
    assert!(members.iter().all(|m| ids[3..].contains(m)));
    let edited = f.call(
        "edit_update_group",
        json!({ "id": g, "remove": [ids[5]], "add": [ids[0]], "name": "Three again" }),
    );
    assert_eq!(edited["memberCount"], 3);
    assert_eq!(edited["name"], "Three again");
    assert!(f.list_ids(json!({ "updateGroupId": g })).1.contains(&ids[0]));
    let title: String = f
        .raw
        .query_row("SELECT title FROM updates WHERE update_id = ?1", [&ids[3]], |r| {
            r.get(0)
        })
        .expect("title");
    let (_, searched) = f.list_ids(json!({ "updateGroupId": g, "search": title }));
    assert!(searched.contains(&ids[3]));
    let unknown = f.fail(
        "create_update_group",
        json!({ "name": "X", "updateIds": ["nope-1", ids[0]] }),
    );
    assert_eq!(unknown.code, ErrorCode::NotFound);
    assert!(unknown.message.contains("nope-1"));
    let dup = f.fail("create_update_group", json!({ "name": "three AGAIN" }));
    assert_eq!(dup.code, ErrorCode::Conflict);

    // Deployed: an enabled Required or Available approval or deployment covers it.
    let all = f.list_ids(json!({})).0;
    assert_eq!(f.list_ids(json!({ "deployed": true })).0, 0);
    f.approve(&[&ids[1]], 1, "Available", "None");
    f.approve(&[&ids[2]], 1, "DoNotInstall", "None");
    f.call(
        "create_deployment",
        json!({ "name": "D", "updateGroupId": g, "targetGroupId": 1, "settings": settings("Available", "2026-01-01T00:00:00Z", None) }),
    );
    let (n, deployed) = f.list_ids(json!({ "deployed": true }));
    assert_eq!(n, 4, "{deployed:?}");
    assert!(deployed.contains(&ids[1]) && !deployed.contains(&ids[2]));
    assert_eq!(f.list_ids(json!({ "deployed": false })).0, all - 4);
    let row = f.call("get_update", json!({ "updateId": ids[3] }))["row"].clone();
    assert_eq!(row["deployed"], true);

    // Compliance of the group from what computers reported.
    let info = f.call("list_update_groups", json!(null))[0].clone();
    assert_eq!(info["deploymentCount"], 1);
    assert_eq!(info["compliance"]["required"], 3, "{info}");
    assert_eq!(info["compliance"]["notRequired"], 1, "{info}");

    // Saved searches: save, replace by name, delete.
    let s = f.call(
        "save_search",
        json!({ "name": "Needed", "query": { "minRequired": 1, "offset": 300 } }),
    );
    assert_eq!(s["query"]["minRequired"], 1);
    assert_eq!(s["query"]["offset"], 0);
    let again = f.call(
        "save_search",
        json!({ "name": "Needed", "query": { "minRequired": 5, "declined": true } }),
    );
    assert_eq!(again["id"], s["id"]);
    let list = f.call("list_saved_searches", json!(null));
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["query"]["minRequired"], 5);
    f.call("delete_saved_search", json!({ "id": s["id"] }));
    assert!(f
        .call("list_saved_searches", json!(null))
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn every_admin_action_is_audited_with_who_what_and_when() {
    let f = Fixture::new(ACTOR, 30);
    let ids = f.plain_ids(2);
    let g = f.group("Servers", None);
    f.call(
        "update_target_group",
        json!({ "id": g, "name": "Servers2", "parentId": 1 }),
    );
    let pc = f.computer("PC1", &[]);
    f.call("add_group_members", json!({ "groupId": g, "computerIds": [pc] }));
    f.call("remove_group_members", json!({ "groupId": g, "computerIds": [pc] }));
    let ug = f.call("create_update_group", json!({ "name": "UG", "updateIds": [ids[0]] }))["id"].clone();
    f.call("edit_update_group", json!({ "id": ug, "add": [ids[1]] }));
    f.approve(&[&ids[0]], g, "Required", "OneWeek");
    f.call("remove_approvals", json!({ "updateIds": [ids[0]], "groupIds": [g] }));
    let d = f.call(
        "create_deployment",
        json!({ "name": "Dep", "updateGroupId": ug, "targetGroupId": g, "settings": settings("Available", "2026-01-01T00:00:00Z", None) }),
    )["id"]
        .clone();
    f.call("set_deployment_enabled", json!({ "id": d, "enabled": false }));
    f.call("set_deployment_enabled", json!({ "id": d, "enabled": true }));
    f.call(
        "edit_deployment",
        json!({ "id": d, "spec": { "name": "Dep2", "updateGroupId": ug, "targetGroupId": g, "settings": settings("Available", "2026-01-01T00:00:00Z", None) } }),
    );
    f.call("delete_deployment", json!({ "id": d }));
    f.call("decline_updates", json!({ "updateIds": [ids[1]] }));
    f.approve(&[&ids[1]], 1, "Available", "None");
    f.call("delete_update_group", json!({ "id": ug }));
    let s = f.call("save_search", json!({ "name": "S", "query": {} }))["id"].clone();
    f.call("delete_saved_search", json!({ "id": s }));
    f.call("delete_target_group", json!({ "id": g }));

    let audit = f.audit();
    for (action, target) in [
        ("target_group.create", "All Computers / Servers"),
        ("target_group.update", "All Computers / Servers"),
        ("target_group.add_members", "All Computers / Servers2"),
        ("target_group.remove_members", "All Computers / Servers2"),
        ("update_group.create", "UG"),
        ("update_group.edit", "UG"),
        ("update.approve", "All Computers / Servers2"),
        ("update.remove_approval", "All Computers / Servers2"),
        ("deployment.create", "Dep"),
        ("deployment.disable", "Dep"),
        ("deployment.enable", "Dep"),
        ("deployment.edit", "Dep"),
        ("deployment.delete", "Dep2"),
        ("update.decline", ""),
        ("update.undecline", ""),
        ("update_group.delete", "UG"),
        ("search.save", "S"),
        ("search.delete", "S"),
        ("target_group.delete", "All Computers / Servers2"),
    ] {
        let e = audit
            .iter()
            .find(|e| e["action"] == action && (target.is_empty() || e["target"] == target))
            .unwrap_or_else(|| panic!("no audit entry {action} on '{target}': {audit:#?}"));
        assert_eq!(e["actor"], ACTOR);
        let at = e["atUtc"].as_str().unwrap();
        assert!(at.ends_with('Z') && at.len() == 24, "UTC time: {at}");
    }
    let approve = audit
        .iter()
        .find(|e| e["action"] == "update.approve" && e["target"] == "All Computers / Servers2")
        .unwrap();
    assert!(
        approve["detail"].as_str().unwrap().contains("Required install"),
        "{approve}"
    );
}

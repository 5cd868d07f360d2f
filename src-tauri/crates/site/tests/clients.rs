//! What Windows Update Agents are offered and what their reports do, through
//! `site::clients::handle` on a site holding a generated catalog: the walk from the roots,
//! paging, approvals turned into deployment actions, declined and Do not install never
//! offered, changed deployments sent again, and event batches into per-update states and
//! counts (once per EventInstanceID).

mod common;

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr};

use common::Fixture;
use serde_json::json;
use site::clients::{handle, Caller};
use wsus::model::RevisionId;
use wsus::wusp::{
    error_codes, AuthorizationCookie, BasicData, ClientRequest, ClientResponse, ComputerInfo, Cookie, ExtendedData,
    GetCookieRequest, ReportingEvent, SyncUpdateParameters, SIMPLE_TARGETING_PLUGIN_ID,
};

fn caller() -> Caller {
    Caller {
        peer: IpAddr::V4(Ipv4Addr::LOCALHOST),
        base_url: "http://127.0.0.1:8530".into(),
    }
}

/// One simulated agent that finds every category and detectoid installed.
struct Agent {
    id: String,
    cookie: Cookie,
    /// Revision id → (UpdateID, action, is leaf), of every revision held.
    held: HashMap<i32, (String, String, bool)>,
    non_leaf_installed: Vec<i32>,
    /// UpdateID → (IsAssigned, Deadline) of the last deployment given.
    assignment: HashMap<String, (bool, Option<String>)>,
}

impl Agent {
    fn join(f: &Fixture, id: &str) -> Agent {
        Agent::join_targeting(f, id, None)
    }

    /// Joins with the target group names a TargetGroup policy would send.
    fn join_targeting(f: &Fixture, id: &str, target_group: Option<&str>) -> Agent {
        let auth = match handle(
            &f.site,
            ClientRequest::GetAuthorizationCookie {
                client_id: id.into(),
                target_group_name: target_group.map(str::to_string),
                dns_name: Some(format!("{id}.lab")),
            },
            &caller(),
        ) {
            Ok(ClientResponse::GetAuthorizationCookie(a)) => a,
            other => panic!("auth: {other:?}"),
        };
        let cookie = match handle(&f.site, get_cookie(auth), &caller()) {
            Ok(ClientResponse::GetCookie(c)) => c,
            other => panic!("cookie: {other:?}"),
        };
        let agent = Agent {
            id: id.into(),
            cookie,
            held: HashMap::new(),
            non_leaf_installed: Vec::new(),
            assignment: HashMap::new(),
        };
        let info = ComputerInfo {
            dns_name: Some(format!("{id}.lab")),
            os_major_version: 10,
            os_build_number: 26200,
            os_description: Some("Windows 11 Pro".into()),
            processor_architecture: Some("AMD64".into()),
            ..ComputerInfo::default()
        };
        assert_eq!(
            handle(
                &f.site,
                ClientRequest::RegisterComputer {
                    cookie: Some(agent.cookie.clone()),
                    computer_info: info
                },
                &caller()
            ),
            Ok(ClientResponse::RegisterComputer)
        );
        agent
    }

    fn page(&mut self, f: &Fixture) -> wsus::wusp::SyncInfo {
        let others: Vec<i32> = self
            .held
            .keys()
            .copied()
            .filter(|r| !self.non_leaf_installed.contains(r))
            .collect();
        let request = ClientRequest::SyncUpdates {
            cookie: Some(self.cookie.clone()),
            parameters: SyncUpdateParameters {
                installed_non_leaf_update_ids: self.non_leaf_installed.clone(),
                other_cached_update_ids: others,
                ..SyncUpdateParameters::default()
            },
        };
        let info = match handle(&f.site, request, &caller()) {
            Ok(ClientResponse::SyncUpdates(i)) => i,
            other => panic!("sync: {other:?}"),
        };
        self.cookie = info.new_cookie.clone();
        for u in info.new_updates.iter().chain(&info.changed_updates) {
            let update_id = between(&u.xml, "UpdateID=\"", "\"").to_ascii_lowercase();
            let is_software = u.xml.contains("UpdateType=\"Software\"") || u.xml.contains("UpdateType=\"Driver\"");
            if !is_software && !self.non_leaf_installed.contains(&u.id) {
                self.non_leaf_installed.push(u.id);
            }
            self.assignment.insert(
                update_id.clone(),
                (u.deployment.is_assigned, u.deployment.deadline.clone()),
            );
            self.held
                .insert(u.id, (update_id, u.deployment.action.name().to_string(), u.is_leaf));
        }
        for r in &info.out_of_scope_revision_ids {
            self.held.remove(r);
            self.non_leaf_installed.retain(|x| x != r);
        }
        info
    }

    /// Pages as the agent does (scan/000006-8): again while the answer is truncated or
    /// brought non-leaf updates it found installed, which open the next level. Returns the
    /// pages' sizes.
    fn scan(&mut self, f: &Fixture) -> Vec<usize> {
        let mut sizes = Vec::new();
        for _ in 0..200 {
            let installed_before = self.non_leaf_installed.len();
            let info = self.page(f);
            sizes.push(info.new_updates.len());
            assert!(info.new_updates.len() <= 30, "a page holds at most 30 updates");
            if !info.truncated && self.non_leaf_installed.len() == installed_before {
                return sizes;
            }
        }
        panic!("the scan never completed: {sizes:?}");
    }

    /// UpdateID → action of every software update held.
    fn software(&self) -> HashMap<String, String> {
        self.held
            .values()
            .filter(|(_, a, _)| a != "Evaluate")
            .map(|(id, a, _)| (id.clone(), a.clone()))
            .collect()
    }

    fn report(&self, f: &Fixture, events: Vec<ReportingEvent>) -> Result<ClientResponse, String> {
        handle(
            &f.site,
            ClientRequest::ReportEventBatch {
                cookie: Some(self.cookie.clone()),
                client_time: None,
                events,
            },
            &caller(),
        )
        .map_err(|e| e.error_code.to_string())
    }

    fn event(&self, instance: &str, event_id: i32, update_id: &str, hresult: i32, misc: Vec<String>) -> ReportingEvent {
        ReportingEvent {
            basic: BasicData {
                target_sid: self.id.clone(),
                sequence_number: 0,
                time_at_target: "2026-12-02T10:00:00.000Z".into(),
                event_instance_id: instance.into(),
                namespace_id: 1,
                event_id,
                source_id: 101,
                update: RevisionId {
                    update_id: update_id.into(),
                    revision: 1,
                },
                win32_hresult: hresult,
                app_name: Some("test".into()),
            },
            extended: Some(ExtendedData {
                misc_data: misc,
                ..ExtendedData::default()
            }),
            private_data_present: false,
        }
    }
}

fn get_cookie(auth: AuthorizationCookie) -> ClientRequest {
    ClientRequest::GetCookie(GetCookieRequest {
        auth_cookies: vec![auth],
        old_cookie: None,
        last_change: None,
        current_time: None,
        protocol_version: Some("2.90".into()),
    })
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> &'a str {
    let from = s.find(start).map(|i| i + start.len()).unwrap_or(0);
    let to = s[from..].find(end).map(|i| from + i).unwrap_or(s.len());
    &s[from..to]
}

/// Software updates a computer is offered by the settings, computed from the tables: in an
/// offered product (or its family) and classification, not declined, not expired.
fn expected_software(f: &Fixture) -> HashSet<String> {
    let offered = f.call("get_offered_categories", json!({}));
    let ids = |key: &str| -> Vec<String> {
        offered[key]
            .as_array()
            .expect("ids")
            .iter()
            .map(|v| v.as_str().expect("id").to_string())
            .collect()
    };
    let (products, classes) = (ids("productIds"), ids("classificationIds"));
    let mut stmt = f
        .raw
        .prepare(
            "SELECT u.update_id, u.classification_id, group_concat(uc.category_id), group_concat(coalesce(c.parent_id, ''))
             FROM updates u JOIN update_categories uc ON uc.upd_pk = u.upd_pk
             LEFT JOIN categories c ON c.category_id = uc.category_id
             WHERE u.update_type IN ('Software', 'Driver') AND u.declined = 0 AND u.publication_state <> 'Expired'
             GROUP BY u.upd_pk",
        )
        .expect("prepare");
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })
        .expect("query");
    let mut out = HashSet::new();
    for row in rows {
        let (id, class, cats, parents) = row.expect("row");
        let in_product = cats
            .split(',')
            .chain(parents.split(','))
            .any(|c| products.contains(&c.to_string()));
        let in_class = class.as_ref().is_none_or(|c| classes.contains(c));
        if in_product && in_class {
            out.insert(id);
        }
    }
    out
}

#[test]
fn a_scan_walks_from_the_roots_and_offers_what_the_policy_says() {
    let f = Fixture::new("admin", 150);
    let expected = expected_software(&f);
    assert!(
        expected.len() > 40,
        "enough offered updates for several pages: {}",
        expected.len()
    );
    // Approvals name updates the grid lists: neither bundles' members nor bundles.
    let mut pick: Vec<String> = expected
        .iter()
        .filter(|id| {
            f.count(&format!(
                "SELECT count(*) FROM updates WHERE update_id = '{id}' AND bundled_only = 0 AND is_bundle = 0"
            )) == 1
        })
        .cloned()
        .collect();
    pick.sort();
    let (required, available, uninstall, dni, declined) = (&pick[0], &pick[1], &pick[2], &pick[3], &pick[4]);
    let approve = |id: &str, action: &str| {
        f.call(
            "approve_updates",
            json!({ "updateIds": [id], "approvals": [{ "groupId": 1, "action": action, "deadline": "None" }] }),
        );
    };
    f.call(
        "approve_updates",
        json!({ "updateIds": [required], "approvals": [{ "groupId": 1, "action": "Required", "deadline": "OneWeek" }] }),
    );
    approve(available, "Available");
    approve(uninstall, "Uninstall");
    approve(dni, "DoNotInstall");
    f.call("decline_updates", json!({ "updateIds": [declined] }));

    let mut agent = Agent::join(&f, "c-1");
    let sizes = agent.scan(&f);
    // The first page holds only what has no prerequisite: the roots of the category tree.
    assert!(sizes.len() >= 3, "a walk takes several pages: {sizes:?}");
    let software = agent.software();
    let mut want = expected.clone();
    want.remove(dni);
    want.remove(declined);
    let got: HashSet<String> = software.keys().cloned().collect();
    assert_eq!(
        (
            got.difference(&want).collect::<Vec<_>>(),
            want.difference(&got).collect::<Vec<_>>()
        ),
        (vec![], vec![]),
        "offered exactly the offered categories' updates, less declined and Do not install (extra, missing)"
    );
    assert_eq!(software[required], "Install");
    assert_eq!(software[available], "Install");
    // Required installs by itself by its deadline; Available waits for the computer's users.
    let deadline = f.call("effective_policy", json!({ "groupIds": [1] }))["updates"]
        .as_array()
        .expect("policy")
        .iter()
        .find(|u| u["updateId"] == required.as_str())
        .and_then(|u| u["deadlineUtc"].as_str())
        .expect("a deadline one week out")
        .to_string();
    assert_eq!(agent.assignment[required], (true, Some(deadline)));
    assert_eq!(agent.assignment[available], (false, None));
    assert_eq!(software[uninstall], "Uninstall");
    assert!(software
        .iter()
        .filter(|(id, _)| ![required, available, uninstall].contains(id))
        .all(|(_, a)| a == "PreDeploymentCheck" || a == "Bundle"));

    // Holding everything, the next scan is one empty page.
    assert_eq!(agent.scan(&f), [0]);

    // An approval after the scan reaches the computer as a changed deployment.
    let other = pick[5].clone();
    approve(&other, "Required");
    let info = agent.page(&f);
    assert!(info.new_updates.is_empty());
    let changed: HashMap<String, String> = info
        .changed_updates
        .iter()
        .map(|u| {
            (
                between(&u.xml, "UpdateID=\"", "\"").to_ascii_lowercase(),
                u.deployment.action.name().to_string(),
            )
        })
        .collect();
    assert_eq!(changed.get(&other).map(String::as_str), Some("Install"), "{changed:?}");
    // And a decline after the scan takes the revision out of the computer's cache.
    let before = agent.software().len();
    f.call("decline_updates", json!({ "updateIds": [other] }));
    let info = agent.page(&f);
    assert_eq!(info.out_of_scope_revision_ids.len(), 1);
    assert_eq!(agent.software().len(), before - 1);
}

#[test]
fn reports_set_states_once_and_ignore_what_was_never_offered() {
    let f = Fixture::new("admin", 120);
    let mut agent = Agent::join(&f, "c-2");
    agent.scan(&f);
    let mut offered: Vec<String> = agent.software().into_keys().collect();
    offered.sort();
    assert!(offered.len() >= 10);
    let (needed, installed) = (offered[..4].to_vec(), offered[4..7].to_vec());
    let upper = |ids: &[String]| ids.iter().map(|i| i.to_uppercase()).collect::<Vec<_>>().join(";");
    let status = agent.event(
        "e-156",
        156,
        "00000000-0000-0000-0000-000000000000",
        0,
        vec![format!("U={}", upper(&needed)), format!("V={}", upper(&installed))],
    );
    assert_eq!(
        agent.report(&f, vec![status.clone()]),
        Ok(ClientResponse::ReportEventBatch(true))
    );
    let states = |f: &Fixture| -> HashMap<String, (String, Option<String>)> {
        let mut stmt = f
            .raw
            .prepare(
                "SELECT u.update_id, s.status, s.last_error FROM update_states s JOIN updates u USING (upd_pk)
                 JOIN computers c USING (computer_id) WHERE c.client_id = 'c-2'",
            )
            .expect("prepare");
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?))))
            .expect("states");
        rows.map(|r| r.expect("row")).collect()
    };
    let s = states(&f);
    assert_eq!(
        s.len(),
        offered.len(),
        "every offered update has a state after the status report"
    );
    assert!(needed.iter().all(|id| s[id].0 == "Needed"));
    assert!(installed.iter().all(|id| s[id].0 == "Installed"));
    assert!(offered[7..].iter().all(|id| s[id].0 == "NotApplicable"));
    let counts = |id: &str| {
        f.raw
            .query_row(
                "SELECT required_count, installed_count, not_required_count FROM updates WHERE update_id = ?1",
                [id],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?)),
            )
            .expect("counts")
    };
    assert_eq!(counts(&needed[0]), (1, 0, 0));
    assert_eq!(counts(&installed[0]), (0, 1, 0));
    assert_eq!(counts(&offered[9]), (0, 0, 1));

    // The same batch again (the client missed our answer) changes nothing.
    agent.report(&f, vec![status]).expect("again");
    assert_eq!(counts(&needed[0]), (1, 0, 0));
    assert_eq!(f.count("SELECT count(*) FROM client_events"), 1);

    // Download, failure with its hresult, restart pending, restart.
    let (a, b, c) = (&needed[0], &needed[1], &needed[2]);
    agent
        .report(
            &f,
            vec![
                agent.event("e-1", 162, a, 0, vec![]),
                agent.event("e-2", 182, b, 0x80246007u32 as i32, vec![]),
                agent.event("e-3", 201, c, 0x00240005, vec![]),
            ],
        )
        .expect("events");
    let s = states(&f);
    assert_eq!(s[a].0, "Downloaded");
    assert_eq!(s[b], ("Failed".into(), Some("0x80246007".into())));
    assert_eq!(s[c].0, "InstalledPendingRestart");
    assert_eq!(counts(c), (1, 0, 0), "a restart still to come counts as needed");
    agent
        .report(
            &f,
            vec![agent.event("e-4", 202, "00000000-0000-0000-0000-000000000000", 0, vec![])],
        )
        .expect("restart");
    assert_eq!(states(&f)[c].0, "Installed");
    assert_eq!(counts(c), (0, 1, 0));

    // Events about updates never offered move nothing.
    let before = states(&f);
    agent
        .report(
            &f,
            vec![
                agent.event("e-5", 183, "11111111-2222-3333-4444-555555555555", 0, vec![]),
                agent.event("e-6", 183, "not-a-guid", 0, vec![]),
            ],
        )
        .expect("unknown");
    assert_eq!(states(&f), before);

    // No cookie, no report.
    let refused = handle(
        &f.site,
        ClientRequest::ReportEventBatch {
            cookie: None,
            client_time: None,
            events: vec![agent.event("e-7", 183, a, 0, vec![])],
        },
        &caller(),
    )
    .map_err(|e| e.error_code);
    assert_eq!(refused, Err(error_codes::INVALID_COOKIE));
    assert_eq!(states(&f), before);
}

#[test]
fn a_cookie_of_an_unregistered_client_must_register_first() {
    let f = Fixture::new("admin", 5);
    let auth = AuthorizationCookie {
        plugin_id: SIMPLE_TARGETING_PLUGIN_ID.into(),
        cookie_data: String::new(),
    };
    assert!(handle(&f.site, get_cookie(auth), &caller()).is_err());
    let agent = Agent::join(&f, "c-3");
    f.raw.execute("DELETE FROM computers", []).expect("forget");
    let answer = handle(
        &f.site,
        ClientRequest::SyncUpdates {
            cookie: Some(agent.cookie.clone()),
            parameters: SyncUpdateParameters::default(),
        },
        &caller(),
    );
    assert_eq!(
        answer.map_err(|e| e.error_code),
        Err(error_codes::REGISTRATION_REQUIRED)
    );
}

#[test]
fn client_side_targeting_puts_computers_in_the_groups_they_name() {
    let f = Fixture::new("admin", 5);
    let pilot = f.group("Pilot", None);
    let servers = f.group("Servers", None);
    let groups_of = |client: &str| -> Vec<i64> {
        let mut stmt = f
            .raw
            .prepare(
                "SELECT m.group_id FROM computer_group_members m JOIN computers c USING (computer_id)
                 WHERE c.client_id = ?1 ORDER BY m.group_id",
            )
            .expect("prepare");
        let rows = stmt.query_map([client], |r| r.get(0)).expect("query");
        rows.map(|r| r.expect("row")).collect()
    };
    // Server-side (the default): what the computer names is kept but decides nothing.
    Agent::join_targeting(&f, "c-server", Some("Pilot"));
    assert_eq!(groups_of("c-server"), [1]);
    assert_eq!(
        f.count("SELECT count(*) FROM computers WHERE client_id = 'c-server' AND target_group_name = 'Pilot'"),
        1
    );
    assert_eq!(f.call("get_computer_settings", json!({}))["staleAfterDays"], 30);
    let refused = f.fail(
        "set_computer_settings",
        json!({ "targeting": "Client", "staleAfterDays": 366 }),
    );
    assert!(refused.message.contains("between 1 and 365"), "{}", refused.message);
    f.call(
        "set_computer_settings",
        json!({ "targeting": "Client", "staleAfterDays": 7 }),
    );
    assert_eq!(f.call("get_computer_settings", json!({}))["targeting"], "Client");
    assert_eq!(f.call("list_computer_page", json!({}))["staleAfterDays"], 7);
    Agent::join_targeting(&f, "c-1", Some("pilot; Servers ;Nowhere"));
    assert_eq!(
        groups_of("c-1"),
        [pilot, servers],
        "names match without case; unknown names are passed over"
    );
    Agent::join_targeting(&f, "c-2", Some("Nowhere"));
    assert_eq!(groups_of("c-2"), [1], "no group of that name: All Computers");
    // Its next registration follows what it names now.
    Agent::join_targeting(&f, "c-1", Some("Servers"));
    assert_eq!(groups_of("c-1"), [servers]);
    // And the policy it is offered follows its groups.
    let pick: String = f
        .raw
        .query_row(
            "SELECT update_id FROM updates WHERE update_type = 'Software' AND bundled_only = 0 AND is_bundle = 0 LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("an update");
    f.call(
        "approve_updates",
        json!({ "updateIds": [pick], "approvals": [{ "groupId": servers, "action": "Required", "deadline": "None" }] }),
    );
    let policy = f.call(
        "effective_policy",
        json!({ "computerId": f.count("SELECT computer_id FROM computers WHERE client_id = 'c-1'") }),
    );
    assert_eq!(policy["updates"][0]["updateId"], pick.as_str());
    assert!(f.audit().iter().any(|a| a["action"] == "set_computer_settings"));
}

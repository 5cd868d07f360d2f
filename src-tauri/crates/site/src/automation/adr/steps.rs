//! The steps of a run (ADR-2..4): select the updates, put them in a group, download and
//! distribute their content, deploy the group to each collection. Each step writes what it
//! did to the run's log; an error comes back as the message that names the step and what
//! to do, and nothing after it runs.

use std::time::{Duration, Instant};

use crate::clock::UtcTime;
use rusqlite::{params, Connection, OptionalExtension};

use super::run_log::{minute, Counts, RunLog};
use super::Stored;
use crate::admin::{changed, not_found, plural, some_of, Tree, UpdateKey};
use crate::audit;
use crate::automation::criteria;
use crate::clock::format_utc;
use crate::handle::{Actor, Site};
use crate::schedule;
use crate::wire::*;
pub(super) fn steps(
    site: &Site,
    rule: &Stored,
    now: UtcTime,
    log: &mut RunLog<'_>,
    counts: &mut Counts,
) -> Result<RuleRunState, String> {
    let actor = Actor::new(format!("rule:{}", rule.name));
    let keys = select(site, rule, now, log).map_err(|e| {
        format!(
            "Selecting the updates failed: {} Check the rule's criteria, then run it again.",
            e.message
        )
    })?;
    counts.selected = keys.len() as i64;
    if keys.is_empty() {
        return Ok(RuleRunState::NothingSelected);
    }
    let (group, group_name) = group_step(site, rule, &actor, &keys, now, log, counts).map_err(|e| {
        format!(
            "Putting the updates in a software update group failed: {} Nothing was deployed; run the rule again once this is fixed.",
            e.message
        )
    })?;
    counts.group = Some(group);
    content_step(site, rule, &actor, group, log, counts)?;
    deploy_step(site, rule, &actor, group, &group_name, now, log, counts)?;
    Ok(RuleRunState::Succeeded)
}

fn select(site: &Site, rule: &Stored, now: UtcTime, log: &mut RunLog<'_>) -> Result<Vec<UpdateKey>, ApiError> {
    let c = site.store().reader();
    let pks = criteria::select(&c, &rule.spec.criteria, now)?;
    if pks.is_empty() {
        log.info(format!(
            "No update matched the criteria: {}. Nothing was created.",
            describe(&c, &rule.spec.criteria)?
        ));
        return Ok(Vec::new());
    }
    let keys = keys_of(&c, &pks)?;
    let labels: Vec<String> = keys.iter().map(|k| k.label.clone()).collect();
    log.info(format!(
        "{} matched the criteria: {}.",
        plural(keys.len() as i64, "update", "updates"),
        some_of(&labels)
    ));
    Ok(keys)
}

fn keys_of(c: &Connection, pks: &[i64]) -> Result<Vec<UpdateKey>, ApiError> {
    let mut stmt =
        c.prepare_cached("SELECT kb_article_id, title, declined, declined_reason FROM updates WHERE upd_pk = ?1")?;
    let mut out = Vec::with_capacity(pks.len());
    for pk in pks {
        let key = stmt
            .query_row([pk], |r| {
                let kb: String = r.get(0)?;
                let title: String = r.get(1)?;
                Ok(UpdateKey {
                    pk: *pk,
                    label: if kb.is_empty() { title } else { format!("KB{kb}") },
                    declined: r.get(2)?,
                    declined_reason: r.get(3)?,
                })
            })
            .optional()?;
        out.extend(key);
    }
    Ok(out)
}

/// The criteria in words, for "nothing matched" (an empty one means "every update").
fn describe(c: &Connection, k: &RuleCriteria) -> Result<String, ApiError> {
    let mut parts = Vec::new();
    let mut titles = |ids: &[String], what: &str| -> Result<(), ApiError> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut stmt = c.prepare_cached("SELECT title FROM categories WHERE category_id = ?1")?;
        let mut names = Vec::new();
        for id in ids {
            let t: Option<String> = stmt.query_row([id.to_lowercase()], |r| r.get(0)).optional()?;
            names.push(t.unwrap_or_else(|| id.clone()));
        }
        parts.push(format!("{what} {}", some_of(&names)));
        Ok(())
    };
    titles(&k.product_ids, "product")?;
    titles(&k.classification_ids, "classification")?;
    let span = |s: &TimeSpan| format!("{} {}", s.value, format!("{:?}", s.unit).to_lowercase());
    if !k.severities.is_empty() {
        parts.push(format!("severity {}", k.severities.join(" or ")));
    }
    if let Some(t) = k.title_contains.as_deref().filter(|t| !t.trim().is_empty()) {
        parts.push(format!("title or KB contains '{}'", t.trim()));
    }
    if let Some(s) = &k.released_within {
        parts.push(format!("released within {}", span(s)));
    }
    if let Some(s) = &k.revised_within {
        parts.push(format!("revised within {}", span(s)));
    }
    match k.superseded {
        Some(false) => parts.push("not superseded".into()),
        Some(true) => parts.push("superseded".into()),
        None => {}
    }
    if let Some(n) = k.min_required {
        parts.push(format!("required on at least {}", plural(n, "computer", "computers")));
    }
    if !k.languages.is_empty() {
        parts.push(format!("language {}", k.languages.join(" or ")));
    }
    if !k.include_expired {
        parts.push("not expired".into());
    }
    parts.push("not declined".into());
    Ok(parts.join(", "))
}

fn group_exists(c: &Connection, g: i64) -> rusqlite::Result<Option<String>> {
    c.query_row("SELECT name FROM update_groups WHERE group_id = ?1", [g], |r| r.get(0))
        .optional()
}

/// Step 2: the run's group (new, or the rule's one), holding the selected updates.
fn group_step(
    site: &Site,
    rule: &Stored,
    actor: &Actor,
    keys: &[UpdateKey],
    now: UtcTime,
    log: &mut RunLog<'_>,
    counts: &mut Counts,
) -> Result<(i64, String), ApiError> {
    use crate::admin::update_groups as groups;
    let mut lines = Vec::new();
    let out = {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let description = format!("Created by the automatic deployment rule '{}'.", rule.name);
        let (group, name) = match rule.spec.group_mode {
            AdrGroupMode::NewGroupEachRun => {
                let name = groups::unique_name(&tx, &format!("{} {} UTC", rule.name, minute(now)))?;
                let id = groups::insert(&tx, &name, &description, keys)?;
                audit::record(
                    &tx,
                    actor,
                    "update_group.create",
                    &name,
                    &plural(keys.len() as i64, "update", "updates"),
                )?;
                counts.added = keys.len() as i64;
                lines.push(format!(
                    "Created the software update group '{name}' with {}.",
                    plural(keys.len() as i64, "update", "updates")
                ));
                (id, name)
            }
            AdrGroupMode::AddToExistingGroup => {
                let (id, name) = match (rule.spec.existing_update_group_id, rule.update_group_id) {
                    (Some(g), _) => {
                        let name = group_exists(&tx, g)?.ok_or_else(|| {
                            not_found(format!(
                                "The software update group this rule adds to (id {g}) no longer exists; edit the rule and choose another group, or none to let the rule create one."
                            ))
                        })?;
                        (g, name)
                    }
                    (None, last) => match last
                        .map(|g| group_exists(&tx, g).map(|n| n.map(|n| (g, n))))
                        .transpose()?
                        .flatten()
                    {
                        Some(found) => found,
                        // First run, or the group was deleted since: a new one named after the rule.
                        None => {
                            let name = groups::unique_name(&tx, &rule.name)?;
                            let id = groups::insert(&tx, &name, &description, &[])?;
                            audit::record(
                                &tx,
                                actor,
                                "update_group.create",
                                &name,
                                "for the rule's runs to add to",
                            )?;
                            lines.push(format!(
                                "Created the software update group '{name}'; this and later runs add to it."
                            ));
                            (id, name)
                        }
                    },
                };
                let removed = remove_stale(&tx, id, rule.spec.criteria.include_expired)?;
                if !removed.is_empty() {
                    lines.push(format!(
                        "Removed from '{name}' {} now expired or declined: {}.",
                        plural(removed.len() as i64, "update", "updates"),
                        some_of(&removed)
                    ));
                }
                let added = groups::add_members(&tx, id, keys)? as i64;
                counts.added = added;
                lines.push(format!(
                    "Added {} to '{name}' ({} already in it).",
                    plural(added, "update", "updates"),
                    keys.len() as i64 - added
                ));
                if added > 0 || !removed.is_empty() {
                    audit::record(
                        &tx,
                        actor,
                        "update_group.edit",
                        &name,
                        &format!(
                            "{} added; {} removed (expired or declined)",
                            plural(added, "update", "updates"),
                            removed.len()
                        ),
                    )?;
                }
                (id, name)
            }
        };
        tx.execute(
            "UPDATE adr_rules SET update_group_id = ?2 WHERE rule_id = ?1",
            params![rule.id, group],
        )?;
        tx.commit()?;
        (group, name)
    };
    changed(site);
    for l in lines {
        log.info(l);
    }
    Ok(out)
}

/// Members that must not be deployed any more ("removed from the group if applicable").
fn remove_stale(tx: &Connection, group: i64, keep_expired: bool) -> Result<Vec<String>, ApiError> {
    let rows: Vec<(i64, String)> = tx
        .prepare_cached(
            "SELECT u.upd_pk, CASE WHEN u.kb_article_id = '' THEN u.title ELSE 'KB' || u.kb_article_id END
             FROM update_group_members m JOIN updates u ON u.upd_pk = m.upd_pk
             WHERE m.group_id = ?1 AND (u.declined = 1 OR (?2 = 0 AND u.publication_state = 'Expired'))
             ORDER BY u.title",
        )?
        .query_map(params![group, keep_expired], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut del = tx.prepare_cached("DELETE FROM update_group_members WHERE group_id = ?1 AND upd_pk = ?2")?;
    for (pk, _) in &rows {
        del.execute(params![group, pk])?;
    }
    Ok(rows.into_iter().map(|(_, l)| l).collect())
}

fn source_text(s: &DownloadSource) -> String {
    match s {
        DownloadSource::Upstream => "the upstream server".into(),
        DownloadSource::MicrosoftUpdate => "Microsoft Update".into(),
        DownloadSource::LocalFolder { path } => format!("the folder {path}"),
    }
}

/// Step 3: the package (created by the first run when new), its download, its distribution.
fn content_step(
    site: &Site,
    rule: &Stored,
    actor: &Actor,
    group: i64,
    log: &mut RunLog<'_>,
    counts: &mut Counts,
) -> Result<(), String> {
    let spec = &rule.spec;
    let fail = |what: &str, e: ApiError| {
        format!(
            "{what} failed: {} No deployment was created; fix this (see the rule's deployment package and download settings), then run the rule again.",
            e.message
        )
    };
    let (package, package_name) = match package_for(site, rule, actor, log) {
        Ok(Some(p)) => p,
        Ok(None) => {
            log.info("The rule has no deployment package: no content is downloaded; clients get it from their fallback source if the deployment allows.");
            return Ok(());
        }
        Err(e) => return Err(fail("Choosing the deployment package", e)),
    };
    let files = group_file_count(&site.store().reader(), group).map_err(|e| fail("Listing the files", e.into()))?;
    if files == 0 {
        log.info("The group's updates have no files to download.");
        return Ok(());
    }
    let job = crate::content::download::prepare(
        site,
        actor,
        StartDownloadArgs {
            package_id: Some(package),
            new_package_name: None,
            new_package_description: None,
            update_ids: Vec::new(),
            update_group_id: Some(group),
            source: spec.download_source.clone(),
            languages: spec.languages.clone(),
        },
    )
    .map_err(|e| fail("Preparing the download", e))?;
    let (total, held): (i64, i64) = site
        .store()
        .reader()
        .query_row(
            "SELECT count(*), coalesce(sum(state = 'Downloaded'), 0) FROM download_files WHERE job_id = ?1",
            [job],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| fail("Preparing the download", e.into()))?;
    log.info(format!(
        "Downloading {} from {} into the package '{package_name}' ({held} already in the content library; download job {job}).",
        plural(total - held, "file", "files"),
        source_text(&spec.download_source)
    ));
    let done = crate::content::download::run(site, job).map_err(|e| fail("The download", e))?;
    if done.state != DownloadJobState::Succeeded {
        let mut why = done
            .error
            .clone()
            .unwrap_or_else(|| format!("{} of {} files failed", done.files_failed, done.files_total))
            .trim_end_matches('.')
            .to_string();
        if let Some(f) = done.files.iter().find(|f| f.error.is_some()) {
            why.push_str(&format!(
                "; the first, {}: {}",
                f.file_name,
                f.error.as_deref().unwrap_or_default().trim_end_matches('.')
            ));
        }
        return Err(format!(
            "The download of the content failed: {why}. No deployment was created; check the download source (download job {job} lists each file), then run the rule again."
        ));
    }
    counts.downloaded = (done.files_downloaded - held).max(0);
    log.info(format!(
        "Downloaded {}; the package '{package_name}' holds every file of the group.",
        plural(counts.downloaded, "file", "files")
    ));
    distribute(site, rule, actor, package, &package_name, log);
    Ok(())
}

/// The rule's package: the chosen one, or the one its first run created (created now when
/// this is the first run). None: the rule downloads nothing.
fn package_for(
    site: &Site,
    rule: &Stored,
    actor: &Actor,
    log: &mut RunLog<'_>,
) -> Result<Option<(i64, String)>, ApiError> {
    let name_of = |c: &Connection, id: i64| -> rusqlite::Result<Option<String>> {
        c.query_row("SELECT name FROM packages WHERE package_id = ?1", [id], |r| r.get(0))
            .optional()
    };
    match &rule.spec.package {
        AdrPackageChoice::NoPackage => Ok(None),
        AdrPackageChoice::Existing { package_id } => {
            let name = name_of(&site.store().reader(), *package_id)?.ok_or_else(|| {
                not_found(format!(
                    "The deployment package {package_id} chosen for this rule no longer exists; edit the rule to choose another."
                ))
            })?;
            Ok(Some((*package_id, name)))
        }
        AdrPackageChoice::New { name } => {
            if let Some(id) = rule.package_id {
                if let Some(n) = name_of(&site.store().reader(), id)? {
                    return Ok(Some((id, n)));
                }
            }
            let id = {
                let mut c = site.store().writer();
                let tx = c.transaction()?;
                let id = crate::content::packages::insert(
                    &tx,
                    actor,
                    name,
                    &format!("Created by the automatic deployment rule '{}'.", rule.name),
                )?;
                tx.execute(
                    "UPDATE adr_rules SET package_id = ?2 WHERE rule_id = ?1",
                    params![rule.id, id],
                )?;
                tx.commit()?;
                id
            };
            log.info(format!("Created the deployment package '{name}'; later runs reuse it."));
            Ok(Some((id, name.clone())))
        }
    }
}

/// Files of the group's updates and of their bundle members (whatever their language).
fn group_file_count(c: &Connection, group: i64) -> rusqlite::Result<i64> {
    c.query_row(
        "WITH RECURSIVE chosen(pk) AS (
             SELECT upd_pk FROM update_group_members WHERE group_id = ?1
             UNION
             SELECT u.upd_pk FROM chosen ch JOIN bundle_members b ON b.bundle_pk = ch.pk
             JOIN updates u ON u.update_id = b.member_id
         )
         SELECT count(*) FROM chosen ch JOIN files f ON f.upd_pk = ch.pk",
        [group],
        |r| r.get(0),
    )
}

/// Copies the package to the rule's distribution points and waits for each copy, so the
/// log says where the content is. A failed copy is a warning: deployments still help the
/// computers whose points hold the content.
fn distribute(site: &Site, rule: &Stored, actor: &Actor, package: i64, package_name: &str, log: &mut RunLog<'_>) {
    let points = &rule.spec.distribution_point_ids;
    if points.is_empty() {
        return;
    }
    let started = crate::content::distribution::distribute(
        site,
        actor,
        DistributePackageArgs {
            package_id: package,
            dp_ids: points.clone(),
        },
    );
    if let Err(e) = started {
        log.warn(format!(
            "The package '{package_name}' was not sent to the distribution points: {} Distribute it from Content > Packages.",
            e.message
        ));
        return;
    }
    let deadline = Instant::now() + Duration::from_secs(3600);
    loop {
        let status = crate::content::distribution::status(
            site,
            actor,
            DistributionStatusArgs {
                package_id: Some(package),
            },
        );
        let rows: Vec<DistributionStatus> = match status {
            Ok(all) => all.into_iter().filter(|s| points.contains(&s.dp_id)).collect(),
            Err(e) => {
                log.warn(format!("The distribution's state could not be read: {}", e.message));
                return;
            }
        };
        let busy = rows
            .iter()
            .any(|s| matches!(s.state, DistributionState::InProgress | DistributionState::Pending));
        if !busy || Instant::now() > deadline {
            for s in rows {
                match s.state {
                    DistributionState::Installed => {
                        log.info(format!("Distribution point '{}': installed ({}).", s.dp_name, s.detail))
                    }
                    DistributionState::Failed => log.warn(format!(
                        "Distribution point '{}': failed ({}). Distribute the package again from Content > Packages.",
                        s.dp_name, s.detail
                    )),
                    _ => log.warn(format!(
                        "Distribution point '{}': still copying after an hour; its state shows in Content > Distribution.",
                        s.dp_name
                    )),
                }
            }
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn deployment_type_text(t: DeploymentType) -> &'static str {
    match t {
        DeploymentType::Required => "Required",
        DeploymentType::Available => "Available",
    }
}

/// Step 4 (ADR-3, ADR-4): one deployment of the group per configured collection. A group
/// the rule already deploys to a collection keeps that deployment: it covers the updates
/// just added.
#[allow(clippy::too_many_arguments)]
fn deploy_step(
    site: &Site,
    rule: &Stored,
    actor: &Actor,
    group: i64,
    group_name: &str,
    now: UtcTime,
    log: &mut RunLog<'_>,
    counts: &mut Counts,
) -> Result<(), String> {
    for (slot, d) in rule.spec.deployments.iter().enumerate() {
        let made = deploy_slot(site, rule, actor, group, group_name, now, slot, d).map_err(|e| {
            format!(
                "Creating deployment {} of the rule failed: {} Edit the rule's deployment, then run the rule again (deployments made before stay).",
                slot + 1,
                e.message
            )
        })?;
        changed(site);
        counts.deployments += 1;
        log.info(made);
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn deploy_slot(
    site: &Site,
    rule: &Stored,
    actor: &Actor,
    group: i64,
    group_name: &str,
    now: UtcTime,
    slot: usize,
    d: &AdrDeploymentSpec,
) -> Result<String, ApiError> {
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    let tree = Tree::load(&tx)?;
    let path = tree.path(d.target_group_id);
    if rule.spec.group_mode == AdrGroupMode::AddToExistingGroup {
        let kept: Option<String> = tx
            .query_row(
                "SELECT a.name FROM adr_deployments r JOIN assignments a ON a.assignment_id = r.assignment_id
                 WHERE r.rule_id = ?1 AND r.slot = ?2 AND r.update_group_id = ?3",
                params![rule.id, slot as i64, group],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(name) = kept {
            return Ok(format!(
                "The deployment '{name}' to '{path}' already deploys '{group_name}'; it now covers the updates added to it."
            ));
        }
    }
    let available = d.available_after.map_or(now, |s| schedule::add_span(now, s));
    let deadline = d.deadline_after.map(|s| schedule::add_span(available, s));
    let mut settings = d.settings.clone();
    settings.available_utc = format_utc(available);
    settings.deadline_utc = deadline.map(format_utc);
    let spec = DeploymentSpec {
        name: format!("{group_name} - {}", tree.name(d.target_group_id)),
        description: format!("Created by the automatic deployment rule '{}'.", rule.name),
        update_group_id: Some(group),
        update_ids: Vec::new(),
        target_group_id: d.target_group_id,
        settings,
    };
    let id = crate::admin::deployments::insert(&tx, actor, &spec)?;
    tx.execute(
        "INSERT OR REPLACE INTO adr_deployments (rule_id, slot, assignment_id, update_group_id) VALUES (?1, ?2, ?3, ?4)",
        params![rule.id, slot as i64, id, group],
    )?;
    tx.commit()?;
    Ok(format!(
        "Deployed '{group_name}' to '{path}': {}, available {} UTC, deadline {} (deployment '{}').",
        deployment_type_text(d.settings.deployment_type),
        minute(available),
        deadline
            .map(|t| format!("{} UTC", minute(t)))
            .unwrap_or_else(|| "none".into()),
        spec.name
    ))
}

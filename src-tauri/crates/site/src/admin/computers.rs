//! Managed computers as the console reads them: the Devices grid (paged, sorted, searched,
//! by group), a computer's Properties, and one update's status across computers.
//!
//! Reads only. Rows come from `clients` (registration, reports); compliance counts sit on
//! each computer's row, kept by migration 0009's triggers, so no page aggregates reports.

use std::collections::HashMap;

use rusqlite::{params, params_from_iter, types::Value, Connection, OptionalExtension, Row};

use super::{not_found, resolve_updates, Tree};
use crate::catalog::queries::page_limit;
use crate::handle::{Actor, Site};
use crate::wire::*;

/// The fine status of a state row. Rows written before schema 8 (or by a writer that set
/// only the coarse state) have an empty `status`; their coarse state says enough.
const STATUS: &str = "CASE WHEN s.status IN ('NotApplicable', 'Needed', 'Downloaded', 'Installed',
        'InstalledPendingRestart', 'Failed') THEN s.status
    ELSE CASE s.state WHEN 'Required' THEN 'Needed' WHEN 'NotRequired' THEN 'NotApplicable' ELSE s.state END END";

/// Never reported (no report time and no state) is Unknown; a needed or failed update makes
/// it NonCompliant.
const COMPLIANCE: &str = "CASE
    WHEN c.needed_count + c.failed_count > 0 THEN 'NonCompliant'
    WHEN c.last_report_utc IS NULL AND c.installed_count + c.not_applicable_count = 0 THEN 'Unknown'
    ELSE 'Compliant' END";

/// The latest time the computer was heard from; '' when never.
const LAST_CONTACT: &str =
    "max(coalesce(c.last_scan_utc, ''), coalesce(c.last_report_utc, ''), coalesce(c.last_seen_utc, ''))";

const ROW_COLUMNS: &str = "c.computer_id, c.name, c.client_id IS NOT NULL, c.os, c.os_version, c.architecture,
    c.ip_address, c.client_version, c.last_scan_utc, c.last_report_utc, c.first_seen_utc, c.last_seen_utc,
    c.needed_count, c.failed_count, c.installed_count, c.not_applicable_count";

/// The grid's columns (then `extra`) from `computers c`. `stale_before` is a time this module
/// formatted, never input, so it is written into the statement.
fn select_rows(stale_before: &str, extra: &str) -> String {
    format!(
        "SELECT {ROW_COLUMNS}, {COMPLIANCE}, {LAST_CONTACT} <> '' AND {LAST_CONTACT} < '{stale_before}'{extra}
         FROM computers c"
    )
}

fn read_row(r: &Row<'_>) -> rusqlite::Result<ComputerRow> {
    Ok(ComputerRow {
        id: r.get(0)?,
        name: r.get(1)?,
        client: r.get(2)?,
        os: r.get(3)?,
        os_version: r.get(4)?,
        architecture: r.get(5)?,
        ip_address: r.get(6)?,
        client_version: r.get(7)?,
        last_scan_utc: r.get(8)?,
        last_report_utc: r.get(9)?,
        first_seen_utc: r.get(10)?,
        last_seen_utc: r.get(11)?,
        groups: Vec::new(),
        needed: r.get(12)?,
        failed: r.get(13)?,
        installed: r.get(14)?,
        not_applicable: r.get(15)?,
        compliance: match r.get::<_, String>(16)?.as_str() {
            "Compliant" => Compliance::Compliant,
            "NonCompliant" => Compliance::NonCompliant,
            _ => Compliance::Unknown,
        },
        stale: r.get(17)?,
    })
}

fn parse_status(text: &str) -> UpdateStatus {
    match text {
        "NotApplicable" => UpdateStatus::NotApplicable,
        "Needed" => UpdateStatus::Needed,
        "Downloaded" => UpdateStatus::Downloaded,
        "Installed" => UpdateStatus::Installed,
        "InstalledPendingRestart" => UpdateStatus::InstalledPendingRestart,
        "Failed" => UpdateStatus::Failed,
        _ => UpdateStatus::Unknown,
    }
}

fn status_text(status: UpdateStatus) -> &'static str {
    match status {
        UpdateStatus::NotApplicable => "NotApplicable",
        UpdateStatus::Needed => "Needed",
        UpdateStatus::Downloaded => "Downloaded",
        UpdateStatus::Installed => "Installed",
        UpdateStatus::InstalledPendingRestart => "InstalledPendingRestart",
        UpdateStatus::Failed => "Failed",
        UpdateStatus::Unknown => "Unknown",
    }
}

fn sort_expression(column: ComputerColumn) -> &'static str {
    match column {
        ComputerColumn::Name => "c.name",
        ComputerColumn::Os => "c.os",
        ComputerColumn::OsVersion => "c.os_version",
        ComputerColumn::Architecture => "c.architecture",
        ComputerColumn::IpAddress => "c.ip_address",
        ComputerColumn::ClientVersion => "c.client_version",
        ComputerColumn::LastScan => "c.last_scan_utc",
        ComputerColumn::LastReport => "c.last_report_utc",
        ComputerColumn::FirstSeen => "c.first_seen_utc",
        ComputerColumn::Needed => "c.needed_count",
        ComputerColumn::Failed => "c.failed_count",
        ComputerColumn::Installed => "c.installed_count",
        ComputerColumn::NotApplicable => "c.not_applicable_count",
        ComputerColumn::Compliance => COMPLIANCE,
    }
}

/// `%text%` for LIKE, with the administrator's `%` and `_` taken literally.
fn like_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

/// The days after which a silent computer is stale (`computer_settings`), and the time
/// before which its last contact makes it so.
fn stale_before(c: &rusqlite::Connection) -> rusqlite::Result<(i64, String)> {
    let days = super::computer_settings::load(c)?.stale_after_days;
    Ok((
        days,
        crate::clock::format_utc(crate::clock::shifted(crate::clock::now(), -crate::clock::days(days))),
    ))
}

/// A computer silent past the stale threshold: id, name, last contact (UTC text).
pub struct StaleComputer {
    pub id: i64,
    pub name: String,
    pub last_contact_utc: String,
}

/// The stale threshold in days and the computers past it, longest silent first.
pub fn stale_computers(c: &Connection) -> rusqlite::Result<(i64, Vec<StaleComputer>)> {
    let (days, before) = stale_before(c)?;
    let mut stmt = c.prepare_cached(&format!(
        "SELECT computer_id, name, {LAST_CONTACT} AS contact FROM computers c
         WHERE contact <> '' AND contact < ?1 ORDER BY contact, computer_id"
    ))?;
    let rows = stmt
        .query_map([before], |r| {
            Ok(StaleComputer {
                id: r.get(0)?,
                name: r.get(1)?,
                last_contact_utc: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((days, rows))
}

/// Fills each row's group paths from its direct memberships.
fn fill_groups(c: &Connection, tree: &Tree, rows: &mut [ComputerRow]) -> rusqlite::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    // Ids are integers this query read itself: safe to write into the statement.
    let ids: Vec<String> = rows.iter().map(|r| r.id.to_string()).collect();
    let sql = format!(
        "SELECT computer_id, group_id FROM computer_group_members WHERE computer_id IN ({})",
        ids.join(",")
    );
    let mut paths: HashMap<i64, Vec<String>> = HashMap::new();
    let mut stmt = c.prepare(&sql)?;
    for pair in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
        let (computer, group) = pair?;
        paths.entry(computer).or_default().push(tree.path(group));
    }
    for row in rows {
        if let Some(mut p) = paths.remove(&row.id) {
            p.sort();
            row.groups = p;
        }
    }
    Ok(())
}

/// One page of the Devices grid.
pub fn list_page(site: &Site, _actor: &Actor, q: ComputerQuery) -> Result<ComputerPage, ApiError> {
    let limit = page_limit(q.offset, q.limit)?;
    let c = site.store().reader();
    let tree = Tree::load(&c)?;
    let mut filters: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    if let Some(g) = q.group_id {
        if !tree.contains(g) {
            return Err(not_found(format!("There is no target group with id {g}.")));
        }
        let groups = if q.include_subgroups {
            tree.with_descendants(g)
        } else {
            vec![g]
        };
        let ids: Vec<String> = groups.iter().map(i64::to_string).collect();
        filters.push(format!(
            "c.computer_id IN (SELECT computer_id FROM computer_group_members WHERE group_id IN ({}))",
            ids.join(",")
        ));
    }
    if !q.group_ids.is_empty() {
        let mut groups = Vec::new();
        for g in &q.group_ids {
            if !tree.contains(*g) {
                return Err(not_found(format!("There is no target group with id {g}.")));
            }
            groups.extend(tree.with_descendants(*g));
        }
        let ids: Vec<String> = groups.iter().map(i64::to_string).collect();
        filters.push(format!(
            "c.computer_id IN (SELECT computer_id FROM computer_group_members WHERE group_id IN ({}))",
            ids.join(",")
        ));
    }
    if let Some(text) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        filters.push(
            "(c.name LIKE ?1 ESCAPE '\\' OR c.dns_name LIKE ?1 ESCAPE '\\' OR c.ip_address LIKE ?1 ESCAPE '\\'
              OR c.os LIKE ?1 ESCAPE '\\')"
                .into(),
        );
        values.push(Value::Text(like_pattern(text)));
    }
    let condition = if filters.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", filters.join(" AND "))
    };
    let total: i64 = c.query_row(
        &format!("SELECT count(*) FROM computers c{condition}"),
        params_from_iter(values.iter()),
        |r| r.get(0),
    )?;
    let (stale_after_days, stale_before) = stale_before(&c)?;
    let mut rows = if q.offset >= total {
        Vec::new()
    } else {
        let sort = q.sort.unwrap_or(ComputerSort {
            column: ComputerColumn::Name,
            descending: false,
        });
        let dir = if sort.descending { "DESC" } else { "ASC" };
        // Ties go by name A to Z whichever way the column runs, then by id, so that pages
        // never repeat or skip a computer.
        let sql = format!(
            "{} {condition} ORDER BY {} {dir}, c.name, c.computer_id LIMIT {limit} OFFSET {}",
            select_rows(&stale_before, ""),
            sort_expression(sort.column),
            q.offset
        );
        let mut stmt = c.prepare(&sql)?;
        let page = stmt
            .query_map(params_from_iter(values.iter()), read_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        page
    };
    fill_groups(&c, &tree, &mut rows)?;
    Ok(ComputerPage {
        total,
        offset: q.offset,
        stale_after_days,
        rows,
    })
}

/// A computer's Properties: its row, inventory, scan error and every update it reported.
pub fn get(site: &Site, _actor: &Actor, args: IdArgs) -> Result<ComputerDetails, ApiError> {
    let c = site.store().reader();
    let tree = Tree::load(&c)?;
    let found = c
        .query_row(
            &format!(
                "{} WHERE c.computer_id = ?1",
                select_rows(
                    &stale_before(&c)?.1,
                    ", c.dns_name, c.client_id, c.target_group_name, c.last_scan_error"
                )
            ),
            [args.id],
            |r| Ok((read_row(r)?, r.get(18)?, r.get(19)?, r.get(20)?, r.get(21)?)),
        )
        .optional()?;
    let Some((row, dns_name, client_id, target_group_name, last_scan_error)) = found else {
        return Err(not_found(format!("There is no managed computer with id {}.", args.id)));
    };
    let mut rows = [row];
    fill_groups(&c, &tree, &mut rows)?;
    let [row] = rows;
    let mut stmt = c.prepare_cached(&format!(
        "SELECT u.update_id, u.title, u.kb_article_id, u.classification, {STATUS}, s.last_error, s.reported_utc
         FROM update_states s JOIN updates u ON u.upd_pk = s.upd_pk
         WHERE s.computer_id = ?1
         ORDER BY CASE s.state WHEN 'Failed' THEN 0 WHEN 'Required' THEN 1 ELSE 2 END, u.title, u.update_id"
    ))?;
    let updates = stmt
        .query_map([args.id], |r| {
            Ok(ComputerUpdateState {
                update_id: r.get(0)?,
                title: r.get(1)?,
                article_id: r.get::<_, Option<String>>(2)?.filter(|s| !s.is_empty()),
                classification: r.get::<_, Option<String>>(3)?.filter(|s| !s.is_empty()),
                status: parse_status(&r.get::<_, String>(4)?),
                last_error: r.get(5)?,
                reported_utc: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ComputerDetails {
        row,
        dns_name,
        client_id,
        target_group_name,
        last_scan_error,
        updates,
    })
}

/// The update's row key, refused when the catalog does not hold it.
fn update_pk(c: &Connection, update_id: &str) -> Result<i64, ApiError> {
    let keys = resolve_updates(c, &[update_id.to_string()])?;
    keys.first()
        .map(|k| k.pk)
        .ok_or_else(|| not_found("Name an update to show its status."))
}

/// Update Status: how many computers are in each status for one update.
pub fn update_status(site: &Site, _actor: &Actor, args: UpdateStatusArgs) -> Result<UpdateStatusCounts, ApiError> {
    let c = site.store().reader();
    let pk = update_pk(&c, &args.update_id)?;
    let groups = groups_json(&args.group_ids);
    let mut counts = UpdateStatusCounts {
        total: c.query_row(
            &format!("SELECT count(*) FROM computers c WHERE {}", in_groups(1)),
            [&groups],
            |r| r.get(0),
        )?,
        ..Default::default()
    };
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {STATUS}, count(*) FROM update_states s JOIN computers c ON c.computer_id = s.computer_id
         WHERE s.upd_pk = ?1 AND {} GROUP BY 1",
        in_groups(2)
    ))?;
    let mut reported = 0;
    for pair in stmt.query_map(params![pk, groups], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })? {
        let (status, n) = pair?;
        reported += n;
        let slot = match parse_status(&status) {
            UpdateStatus::NotApplicable => &mut counts.not_applicable,
            UpdateStatus::Needed => &mut counts.needed,
            UpdateStatus::Downloaded => &mut counts.downloaded,
            UpdateStatus::Installed => &mut counts.installed,
            UpdateStatus::InstalledPendingRestart => &mut counts.installed_pending_restart,
            UpdateStatus::Failed => &mut counts.failed,
            UpdateStatus::Unknown => &mut counts.unknown,
        };
        *slot += n;
    }
    counts.unknown += counts.total - reported;
    Ok(counts)
}

/// `c.computer_id` in the target groups of the JSON array parameter `?n` and their
/// subgroups; an empty array keeps every computer.
fn in_groups(n: u8) -> String {
    format!(
        "(json_array_length(?{n}) = 0 OR c.computer_id IN (
            WITH RECURSIVE sub(id) AS (SELECT value FROM json_each(?{n})
                UNION SELECT g.group_id FROM target_groups g JOIN sub ON g.parent_id = sub.id)
            SELECT m.computer_id FROM computer_group_members m JOIN sub ON m.group_id = sub.id))"
    )
}

fn groups_json(ids: &[i64]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

/// Update Status drill-down: one page of the computers in one status for one update.
pub fn update_status_computers(
    site: &Site,
    _actor: &Actor,
    q: UpdateStatusQuery,
) -> Result<UpdateStatusPage, ApiError> {
    let limit = page_limit(q.offset, q.limit)?;
    let c = site.store().reader();
    let pk = update_pk(&c, &q.update_id)?;
    // Unknown is the computers without a state row; the others are state rows in that status.
    let groups = Value::Text(groups_json(&q.group_ids));
    let (from, values): (String, Vec<Value>) = if q.status == UpdateStatus::Unknown {
        (
            format!(
                "computers c LEFT JOIN update_states s ON s.upd_pk = ?1 AND s.computer_id = c.computer_id
                 WHERE s.computer_id IS NULL AND {}",
                in_groups(2)
            ),
            vec![Value::Integer(pk), groups],
        )
    } else {
        (
            format!(
                "update_states s JOIN computers c ON c.computer_id = s.computer_id
                 WHERE s.upd_pk = ?1 AND {STATUS} = ?3 AND {}",
                in_groups(2)
            ),
            vec![Value::Integer(pk), groups, Value::Text(status_text(q.status).into())],
        )
    };
    let total: i64 = c.query_row(
        &format!("SELECT count(*) FROM {from}"),
        params_from_iter(values.iter()),
        |r| r.get(0),
    )?;
    let mut stmt = c.prepare(&format!(
        "SELECT c.computer_id, c.name, c.ip_address, c.os, s.last_error, s.reported_utc, c.last_report_utc
         FROM {from} ORDER BY c.name, c.computer_id LIMIT {limit} OFFSET {}",
        q.offset
    ))?;
    let rows = stmt
        .query_map(params_from_iter(values.iter()), |r| {
            Ok(UpdateStatusComputer {
                id: r.get(0)?,
                name: r.get(1)?,
                ip_address: r.get(2)?,
                os: r.get(3)?,
                status: q.status,
                last_error: r.get(4)?,
                reported_utc: r.get(5)?,
                last_report_utc: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(UpdateStatusPage {
        total,
        offset: q.offset,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_pattern_takes_wildcards_literally() {
        assert_eq!(like_pattern("web"), "%web%");
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn every_status_reads_back() {
        for s in [
            UpdateStatus::NotApplicable,
            UpdateStatus::Needed,
            UpdateStatus::Downloaded,
            UpdateStatus::Installed,
            UpdateStatus::InstalledPendingRestart,
            UpdateStatus::Failed,
            UpdateStatus::Unknown,
        ] {
            assert_eq!(parse_status(status_text(s)), s);
        }
    }
}

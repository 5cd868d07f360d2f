//! `RegisterComputer`: a client's inventory into its `computers` row (migration 0007), found
//! by client id; a computer first heard from joins All Computers, and its arrival is audited
//! with the client as the actor. Under client-side targeting its groups then follow the
//! names it sent (`targeting`). Later registrations refresh the row and audit nothing: they
//! are the client's own report, not an administrator's change.

use std::net::IpAddr;

use rusqlite::{params, OptionalExtension};
use wsus::wusp::ComputerInfo;

use super::targeting;
use super::Identity;
use crate::admin::{computer_settings, ROOT_GROUP};
use crate::audit;
use crate::clock;
use crate::handle::{Actor, Site};
use crate::wire::TargetingMode;

/// Stores what the client `client_id` at `peer` says of itself.
pub(super) fn register(site: &Site, who: &Identity, info: &ComputerInfo, peer: IpAddr) -> rusqlite::Result<()> {
    let client_id = who.client_id.as_str();
    let dns_name = info.dns_name.as_deref().map(str::trim).unwrap_or("");
    let os = info.os_description.as_deref().map(str::trim).unwrap_or("");
    let os_version = format!(
        "{}.{}.{}",
        info.os_major_version, info.os_minor_version, info.os_build_number
    );
    let architecture = info.processor_architecture.as_deref().unwrap_or("");
    let client_version = format!(
        "{}.{}.{}.{}",
        info.client_version_major_number,
        info.client_version_minor_number,
        info.client_version_build_number,
        info.client_version_qfe_number
    );
    let now = clock::now_utc();
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    let existing: Option<i64> = tx
        .query_row(
            "SELECT computer_id FROM computers WHERE client_id = ?1",
            [client_id],
            |r| r.get(0),
        )
        .optional()?;
    let wanted = if dns_name.is_empty() { client_id } else { dns_name };
    // Names are unique: a second computer answering to a name already held keeps its client
    // id beside it, so neither row is lost.
    let taken: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM computers WHERE name = ?1 AND computer_id IS NOT ?2)",
        params![wanted, existing],
        |r| r.get(0),
    )?;
    let name = if taken {
        format!("{wanted} ({client_id})")
    } else {
        wanted.to_string()
    };
    let target_group = (!who.target_group.is_empty()).then_some(who.target_group.as_str());
    let values = params![
        client_id,
        name,
        os,
        dns_name,
        os_version,
        architecture,
        peer.to_string(),
        client_version,
        now,
        target_group
    ];
    let id = if let Some(id) = existing {
        tx.execute(
            "UPDATE computers SET name = ?2, os = ?3, dns_name = ?4, os_version = ?5, architecture = ?6,
                    ip_address = ?7, client_version = ?8, last_seen_utc = ?9, target_group_name = ?10
             WHERE client_id = ?1",
            values,
        )?;
        id
    } else {
        tx.execute(
            "INSERT INTO computers (client_id, name, os, dns_name, os_version, architecture, ip_address,
                                    client_version, last_seen_utc, first_seen_utc, target_group_name)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)",
            values,
        )?;
        let id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO computer_group_members (group_id, computer_id) VALUES (?1, ?2)",
            [ROOT_GROUP, id],
        )?;
        audit::record(
            &tx,
            &Actor::new(format!("client:{client_id}")),
            "register_computer",
            &name,
            &format!("{os} {os_version} {architecture} at {peer}"),
        )?;
        id
    };
    if computer_settings::load(&tx)?.targeting == TargetingMode::Client {
        targeting::apply(&tx, id, &who.target_group)?;
    }
    tx.commit()?;
    Ok(())
}

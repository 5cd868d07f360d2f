//! Site-wide settings about managed computers: server-side or client-side targeting (WSUS
//! Options › Computers; the client engine applies it at registration) and after how many
//! silent days a computer shows as stale (the Devices grid). Stored in `site_meta` as JSON.

use rusqlite::{Connection, OptionalExtension};

use super::{changed, validation};
use crate::audit;
use crate::handle::{Actor, Site};
use crate::wire::{ApiError, ComputerSettings, NoArgs, TargetingMode};

const KEY: &str = "computer_settings";
/// Bounds of `stale_after_days`.
const STALE_DAYS: std::ops::RangeInclusive<i64> = 1..=365;

pub fn defaults() -> ComputerSettings {
    ComputerSettings {
        targeting: TargetingMode::Server,
        stale_after_days: 30,
    }
}

pub(crate) fn load(c: &Connection) -> rusqlite::Result<ComputerSettings> {
    let stored: Option<String> = c
        .query_row("SELECT value FROM site_meta WHERE key = ?1", [KEY], |r| r.get(0))
        .optional()?;
    Ok(match stored.map(|s| serde_json::from_str(&s)) {
        Some(Ok(s)) => s,
        Some(Err(e)) => {
            tracing::warn!(error = %e, "the saved computer settings are unreadable; using the defaults");
            defaults()
        }
        None => defaults(),
    })
}

pub fn get(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<ComputerSettings, ApiError> {
    Ok(load(&site.store().reader())?)
}

pub fn set(site: &Site, actor: &Actor, args: ComputerSettings) -> Result<ComputerSettings, ApiError> {
    if !STALE_DAYS.contains(&args.stale_after_days) {
        return Err(validation(format!(
            "Stale after must be between {} and {} days; {} is outside that range (recommended: 30).",
            STALE_DAYS.start(),
            STALE_DAYS.end(),
            args.stale_after_days
        )));
    }
    let text = serde_json::to_string(&args).map_err(|e| ApiError::internal(e.to_string()))?;
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    tx.execute(
        "INSERT INTO site_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [KEY, &text],
    )?;
    let targeting = match args.targeting {
        TargetingMode::Server => "groups set in the console",
        TargetingMode::Client => "computers name their groups (TargetGroup policy)",
    };
    audit::record(
        &tx,
        actor,
        "set_computer_settings",
        "computers",
        &format!("{targeting}; stale after {} days", args.stale_after_days),
    )?;
    tx.commit()?;
    drop(c);
    changed(site);
    Ok(args)
}

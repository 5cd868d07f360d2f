//! Site-wide settings about managed computers: server-side or client-side targeting (WSUS
//! Options › Computers; the client engine applies it at registration) and after how many
//! silent days a computer shows as stale (the Devices grid). Stored in `site_meta` as JSON.

use rusqlite::Connection;

use super::{changed, validation};
use crate::audit;
use crate::handle::{Actor, Site};
use crate::store::meta;
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
    Ok(meta::get_json(c, KEY)?.unwrap_or_else(defaults))
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
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    meta::put_json(&tx, KEY, &args)?;
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

//! The hierarchy (SYNC-1): child sites registered here are told to synchronize as soon as
//! this site's own synchronization succeeds, so a change flows top-down without waiting
//! for each child's schedule.

use std::time::Duration;

use rusqlite::{params, OptionalExtension};

use crate::handle::{Actor, Site};
use crate::update_point::transport::error_chain;
use crate::wire::{ApiError, ChildSite, ChildUrlArgs, ErrorCode, NoArgs, RegisterChildArgs};
use crate::{audit, clock};

pub fn list(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<ChildSite>, ApiError> {
    let c = site.store().reader();
    let mut stmt =
        c.prepare_cached("SELECT url, registered_utc, last_notified_utc, last_result FROM child_sites ORDER BY url")?;
    let rows = stmt
        .query_map([], |r| {
            Ok(ChildSite {
                url: r.get(0)?,
                registered_utc: r.get(1)?,
                last_notified_utc: r.get(2)?,
                last_result: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn register(site: &Site, actor: &Actor, args: RegisterChildArgs) -> Result<ChildSite, ApiError> {
    let url = args.url.trim().trim_end_matches('/').to_string();
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || lower.split("://").nth(1).unwrap_or("").is_empty()
    {
        return Err(ApiError::new(
            ErrorCode::Validation,
            format!("'{url}' is not an http:// or https:// address of a child site."),
        ));
    }
    if args.token.trim().len() < 16 {
        return Err(ApiError::new(
            ErrorCode::Validation,
            "Give the child site's API token (its api-token file).",
        ));
    }
    let now = clock::now_utc();
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    tx.execute(
        "INSERT INTO child_sites (url, token, registered_utc) VALUES (?1, ?2, ?3)
         ON CONFLICT(url) DO UPDATE SET token = excluded.token",
        params![url, args.token.trim(), now],
    )?;
    audit::record(&tx, actor, "hierarchy.register-child", &url, "")?;
    tx.commit()?;
    Ok(ChildSite {
        url,
        registered_utc: now,
        last_notified_utc: None,
        last_result: None,
    })
}

pub fn remove(site: &Site, actor: &Actor, args: ChildUrlArgs) -> Result<NoArgs, ApiError> {
    let url = args.url.trim().trim_end_matches('/').to_string();
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    if tx.execute("DELETE FROM child_sites WHERE url = ?1", [&url])? == 0 {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("{url} is not a child site of this site."),
        ));
    }
    audit::record(&tx, actor, "hierarchy.remove-child", &url, "")?;
    tx.commit()?;
    Ok(NoArgs {})
}

/// Asks every child to synchronize; records each answer. Runs on the sync thread, after
/// the run is recorded, so a slow child never delays this site's own result.
pub fn notify_all(site: &Site) {
    let children: Vec<(String, String)> = {
        let c = site.store().reader();
        let stmt = c.prepare("SELECT url, token FROM child_sites");
        match stmt.and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect()) {
            Ok(v) => v,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the child sites");
                return;
            }
        }
    };
    let client = match crate::update_point::transport::HttpTransport::new_client(Duration::from_secs(30)) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "cannot notify the child sites");
            return;
        }
    };
    for (url, token) in children {
        let answer = client
            .post(format!("{url}/api/v1/commands/start_sync"))
            .bearer_auth(&token)
            .json(&serde_json::json!({}))
            .send();
        let result = match answer {
            Ok(r) if r.status().is_success() => match r.json::<serde_json::Value>() {
                Ok(v) => format!("started run {}", v["runId"]),
                Err(e) => format!("unreadable answer: {}", error_chain(&e)),
            },
            Ok(r) => {
                let v: serde_json::Value = r.json().unwrap_or_default();
                format!("refused: {}", v["message"].as_str().unwrap_or("no reason given"))
            }
            Err(e) => format!("not reached: {}", error_chain(&e)),
        };
        tracing::info!(child = %url, %result, "child site notified");
        let c = site.store().writer();
        let updated = c
            .execute(
                "UPDATE child_sites SET last_notified_utc = ?2, last_result = ?3 WHERE url = ?1",
                params![url, clock::now_utc(), result],
            )
            .optional();
        if let Err(e) = updated {
            tracing::error!(error = %e, "cannot record a child's answer");
        }
    }
}

//! The software update point's settings: stored, validated, defaulted.

use rusqlite::OptionalExtension;

use crate::audit;
use crate::handle::{Actor, Site};
use crate::store::meta;
use crate::wire::{ApiError, ErrorCode, FieldIssue, ScheduleKind, SyncSchedule, SyncSettings, SyncSource};

/// Microsoft Update's root (MS-WSUSSS services under it).
pub const MICROSOFT_UPDATE_URL: &str = "https://sws.update.microsoft.com";

const KEY: &str = "sync_settings";

pub fn defaults() -> SyncSettings {
    SyncSettings {
        source: SyncSource::MicrosoftUpdate,
        upstream_url: String::new(),
        allow_plain_http: false,
        product_ids: Vec::new(),
        classification_ids: Vec::new(),
        languages: vec!["en".into()],
        schedule: SyncSchedule {
            kind: ScheduleKind::Weekly,
            every_hours: 24,
            day_of_week: 6,
            time_utc: "02:00".into(),
        },
        cleanup_superseded_days: 30,
        proxy_url: String::new(),
        ca_certificate_file: String::new(),
        retry: None,
    }
}

pub fn load(site: &Site) -> Result<SyncSettings, ApiError> {
    load_from(&site.store().reader())
}

/// The settings as `c` sees them (a reader, or a transaction about to change them).
fn load_from(c: &rusqlite::Connection) -> Result<SyncSettings, ApiError> {
    Ok(meta::get_json(c, KEY)?.unwrap_or_else(defaults))
}

pub fn get(site: &Site, _actor: &Actor, _args: crate::wire::NoArgs) -> Result<SyncSettings, ApiError> {
    load(site)
}

pub fn set(site: &Site, actor: &Actor, settings: SyncSettings) -> Result<SyncSettings, ApiError> {
    let settings = validate(settings)?;
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    let text = meta::put_json(&tx, KEY, &settings)?;
    meta::put(&tx, "sync_settings_saved_utc", &crate::clock::now_utc())?;
    audit::record(&tx, actor, "sync.settings", "Software Update Point", &text)?;
    tx.commit()?;
    Ok(settings)
}

/// The upstream root this site synchronizes from.
pub fn upstream_root(s: &SyncSettings) -> String {
    match s.source {
        SyncSource::MicrosoftUpdate => MICROSOFT_UPDATE_URL.to_string(),
        _ => s.upstream_url.trim_end_matches('/').to_string(),
    }
}

fn invalid(msg: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::Validation, msg)
}

/// Refuses what cannot work, with the reason of the first problem; normalises ids to
/// lower case.
pub fn validate(s: SyncSettings) -> Result<SyncSettings, ApiError> {
    let s = normalized(s);
    match issues(&s).into_iter().next() {
        Some(first) => Err(invalid(first.message)),
        None => Ok(s),
    }
}

/// Trimmed text, ids in lower case, sorted and without repeats: how settings are kept.
pub fn normalized(mut s: SyncSettings) -> SyncSettings {
    s.upstream_url = s.upstream_url.trim().to_string();
    for ids in [&mut s.product_ids, &mut s.classification_ids] {
        for id in ids.iter_mut() {
            *id = id.trim().to_lowercase();
        }
        ids.sort();
        ids.dedup();
    }
    s.proxy_url = s.proxy_url.trim().to_string();
    s.ca_certificate_file = s.ca_certificate_file.trim().to_string();
    s
}

/// Every problem of normalized settings, each with the field (camelCase, as the console
/// names it) an administrator changes to fix it, so a wizard page shows it beside that field.
pub fn issues(s: &SyncSettings) -> Vec<FieldIssue> {
    let mut out = Vec::new();
    let mut issue = |field: &str, message: String| {
        out.push(FieldIssue {
            field: field.into(),
            message,
        })
    };
    if s.source != SyncSource::MicrosoftUpdate {
        if let Err(m) = check_upstream_url(s) {
            issue("upstreamUrl", m);
        }
    }
    for (field, what, ids) in [
        ("productIds", "product", &s.product_ids),
        ("classificationIds", "classification", &s.classification_ids),
    ] {
        if let Some(id) = ids.iter().find(|id| !is_guid(id)) {
            issue(
                field,
                format!("'{id}' is not a {what} id (a GUID such as 0fa1201d-4330-4fa8-8ae9-b877473b6441)."),
            );
        }
    }
    if s.languages.is_empty() {
        issue("languages", "Choose at least one language.".into());
    }
    if let Some(l) = s
        .languages
        .iter()
        .find(|l| l.is_empty() || l.len() > 10 || !l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    {
        issue(
            "languages",
            format!("'{l}' is not a language code such as en or pt-br."),
        );
    }
    if !s.proxy_url.is_empty() {
        if let Err(m) = super::transport::proxy(&s.proxy_url) {
            issue("proxyUrl", m);
        }
    }
    if !s.ca_certificate_file.is_empty() {
        if let Err(m) = super::transport::load_ca_file(std::path::Path::new(&s.ca_certificate_file)) {
            issue("caCertificateFile", m);
        }
    }
    if let Some(r) = &s.retry {
        if let Err(m) = super::transport::RetryPolicy::from_settings(r) {
            issue("retry", m);
        }
    }
    if !(0..=3650).contains(&s.cleanup_superseded_days) {
        issue(
            "cleanupSupersededDays",
            "Decline superseded updates after 0 (never) to 3650 days.".into(),
        );
    }
    let sch = &s.schedule;
    match sch.kind {
        ScheduleKind::EveryHours if !(1..=168).contains(&sch.every_hours) => {
            issue("schedule.everyHours", "Synchronize every 1 to 168 hours.".into());
        }
        ScheduleKind::Weekly if !(0..=6).contains(&sch.day_of_week) => {
            issue(
                "schedule.dayOfWeek",
                "The day of the week is 0 (Sunday) to 6 (Saturday).".into(),
            );
        }
        _ => {}
    }
    if matches!(sch.kind, ScheduleKind::Daily | ScheduleKind::Weekly)
        && crate::schedule::parse_hhmm(&sch.time_utc).is_none()
    {
        issue(
            "schedule.timeUtc",
            format!("'{}' is not a time of day (HH:MM, 00:00 to 23:59).", sch.time_utc),
        );
    }
    out
}

/// The upstream address: http(s), with a host, plain HTTP only with consent.
fn check_upstream_url(s: &SyncSettings) -> Result<(), String> {
    let url = s.upstream_url.to_ascii_lowercase();
    if url.is_empty() {
        return Err("Give the upstream server's address, e.g. https://wsus.example.org:8531.".into());
    }
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(format!("'{}' is not an http:// or https:// address.", s.upstream_url));
    }
    if url.starts_with("http://") && !s.allow_plain_http {
        return Err(
            "The upstream address uses plain HTTP, where update metadata can be altered on the way. \
             Use https://, or allow plain HTTP explicitly."
                .into(),
        );
    }
    let host = url
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split(['/', ':'])
        .next()
        .unwrap_or("");
    if host.is_empty() {
        return Err(format!("'{}' has no host name.", s.upstream_url));
    }
    Ok(())
}

pub fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The classifications preselected once the upstream's classifications first arrive
/// (SYNC-8): the three that WSUS's configuration wizard has long offered ticked. Critical
/// and security fixes are what every fleet deploys, and definition updates keep Defender's
/// signatures current; the others (Updates, Rollups, Drivers, Upgrades...) are large or
/// site-specific and stay the administrator's call. Products are never preselected: every
/// product ticked would download the metadata of the whole upstream.
pub const COMMON_CLASSIFICATIONS: [&str; 3] = [
    "e6cf1350-c01b-414d-a61f-263d14d133b4", // Critical Updates
    "0fa1201d-4330-4fa8-8ae9-b877473b6441", // Security Updates
    "e0789628-ce08-4437-be74-2495b842f43b", // Definition Updates
];

/// Set once the common classifications have been offered, so it happens only once.
const DEFAULTS_OFFERED: &str = "sync.defaults_offered_utc";

/// What [`preselect_common`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preselection {
    /// The upstream's classifications have not arrived yet, or were offered before.
    NotDue,
    /// An administrator had chosen products or classifications already: nothing changed.
    KeptChoice,
    /// These classifications (titles) are now chosen.
    Chosen(Vec<String>),
}

/// After the synchronization that first brings the upstream's classifications, chooses the
/// common ones, unless an administrator has chosen products or classifications already.
///
/// Before that first synchronization the console has no products to offer, so settings
/// saved with neither products nor classifications (as when only the upstream was given)
/// are not a choice yet. Offered once: an administrator who later clears the choice keeps
/// it cleared. Not an administrator's save, so the time of the last save (which decides
/// what is flagged New) is left as it is.
pub fn preselect_common(site: &Site) -> Result<Preselection, ApiError> {
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    let offered: Option<String> = tx
        .query_row("SELECT value FROM site_meta WHERE key = ?1", [DEFAULTS_OFFERED], |r| {
            r.get(0)
        })
        .optional()?;
    let synced: i64 = tx.query_row(
        "SELECT count(*) FROM categories WHERE kind = 'UpdateClassification' AND synced = 1",
        [],
        |r| r.get(0),
    )?;
    if offered.is_some() || synced == 0 {
        return Ok(Preselection::NotDue);
    }
    tx.execute(
        "INSERT INTO site_meta (key, value) VALUES (?1, ?2)",
        [DEFAULTS_OFFERED, &crate::clock::now_utc()],
    )?;
    let mut settings = load_from(&tx)?;
    if !settings.product_ids.is_empty() || !settings.classification_ids.is_empty() {
        tx.commit()?;
        return Ok(Preselection::KeptChoice);
    }
    // Only those the upstream has: a classification it does not know would filter nothing.
    let mut stmt = tx.prepare(
        "SELECT category_id, title FROM categories
         WHERE kind = 'UpdateClassification' AND synced = 1 AND category_id IN (?1, ?2, ?3)
         ORDER BY title",
    )?;
    let found = stmt
        .query_map(COMMON_CLASSIFICATIONS, |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    drop(stmt);
    if found.is_empty() {
        tx.commit()?;
        return Ok(Preselection::KeptChoice);
    }
    settings.classification_ids = found.iter().map(|(id, _)| id.clone()).collect();
    settings.classification_ids.sort();
    meta::put_json(&tx, KEY, &settings)?;
    let titles: Vec<String> = found.into_iter().map(|(_, t)| t).collect();
    audit::record(
        &tx,
        &Actor::new("sync"),
        "sync.settings.defaults",
        "Software Update Point",
        &format!("preselected classifications: {}", titles.join(", ")),
    )?;
    tx.commit()?;
    Ok(Preselection::Chosen(titles))
}

/// When an administrator last saved the settings, if ever.
pub fn saved_utc(site: &Site) -> Result<Option<String>, ApiError> {
    let c = site.store().reader();
    Ok(c.query_row(
        "SELECT value FROM site_meta WHERE key = 'sync_settings_saved_utc'",
        [],
        |r| r.get(0),
    )
    .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upstream(url: &str) -> SyncSettings {
        SyncSettings {
            source: SyncSource::UpstreamServer,
            upstream_url: url.into(),
            ..defaults()
        }
    }

    #[test]
    fn plain_http_needs_consent() {
        assert!(validate(upstream("https://wsus.example.org:8531")).is_ok());
        let err = validate(upstream("http://wsus.example.org:8530")).expect_err("plain http");
        assert!(err.message.contains("plain HTTP"));
        assert!(validate(SyncSettings {
            allow_plain_http: true,
            ..upstream("http://wsus:8530")
        })
        .is_ok());
        assert!(validate(upstream("ftp://x")).is_err());
        assert!(validate(upstream("")).is_err());
        assert!(validate(upstream("https://")).is_err());
    }

    #[test]
    fn ids_schedules_and_languages_are_checked() {
        let mut s = defaults();
        s.product_ids = vec!["8C3FCC84-7410-4A95-8B89-A166A0190486".into()];
        assert_eq!(
            validate(s.clone()).expect("valid").product_ids,
            vec!["8c3fcc84-7410-4a95-8b89-a166a0190486"]
        );
        s.product_ids = vec!["Windows".into()];
        assert!(validate(s)
            .expect_err("not a guid")
            .message
            .contains("not a product id"));
        let mut s = defaults();
        s.schedule = SyncSchedule {
            kind: ScheduleKind::EveryHours,
            every_hours: 0,
            day_of_week: 0,
            time_utc: "".into(),
        };
        assert!(validate(s.clone()).is_err());
        s.schedule.every_hours = 169;
        assert!(validate(s.clone()).is_err());
        s.schedule.every_hours = 168;
        assert!(validate(s.clone()).is_ok());
        s.schedule = SyncSchedule {
            kind: ScheduleKind::Daily,
            every_hours: 0,
            day_of_week: 0,
            time_utc: "24:00".into(),
        };
        assert!(validate(s.clone()).is_err());
        s.schedule.time_utc = "23:59".into();
        assert!(validate(s.clone()).is_ok());
        s.languages = vec![];
        assert!(validate(s).is_err());
    }
}

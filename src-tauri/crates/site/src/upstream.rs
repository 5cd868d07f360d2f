//! This site as an upstream: the MS-WSUSSS answers a downstream site (a child Patchdeck,
//! or a WSUS server) gets when it synchronizes from us (SYNC-1).
//!
//! Cookies are signed with the site's key (`signing`), so they survive restarts and cannot
//! be forged. Anchors are `pd:<n>`, n being the newest revision row the answer
//! covered: with `Delta` true the next list holds only revisions received after it.
//! **Architecture invariant:** nothing here changes the catalog; a downstream only reads.

use base64::Engine;
use rusqlite::{params_from_iter, types::Value, OptionalExtension};
use wsus::protocol::{
    error_codes, AuthConfig, AuthPlugInInfo, AuthorizationCookie, ConfigData, Cookie, FileUrl, LanguageData,
    RevisionIdList, ServerSyncFilter, UpdateData, DSS_PLUGIN_ID,
};
use wsus::{Request, Response, RevisionId, ServerSyncUpdateData, SoapFault};

use crate::catalog::import::inflate;
use crate::clock;
use crate::handle::Site;
use crate::signing::{unix_now, Opened, SigningKey};

/// Updates per GetUpdateData call we accept (the same limit Microsoft Update states).
pub const MAX_UPDATES_PER_REQUEST: i32 = 100;
const COOKIE_MINUTES: i64 = 240;
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// Answers one request, or the fault to send back.
pub fn handle(site: &Site, request: Request) -> Result<Response, Box<SoapFault>> {
    let key = SigningKey::of(site).map_err(internal)?;
    match request {
        Request::GetAuthConfig => Ok(Response::AuthConfig(AuthConfig {
            last_change: "2026-01-01T00:00:00Z".into(),
            plugins: vec![AuthPlugInInfo {
                plugin_id: DSS_PLUGIN_ID.into(),
                service_url: "DssAuthWebService/DssAuthWebService.asmx".into(),
                parameter: Some(String::new()),
            }],
        })),
        Request::GetAuthorizationCookie {
            account_name,
            account_guid,
        } => {
            if account_guid.trim().is_empty() {
                return Err(fault(error_codes::INVALID_PARAMETERS, "accountGuid"));
            }
            tracing::info!(%account_name, %account_guid, "downstream authorized");
            let expiry = unix_now() + COOKIE_MINUTES * 60;
            Ok(Response::AuthorizationCookie(AuthorizationCookie {
                plugin_id: DSS_PLUGIN_ID.into(),
                cookie_data: key.sign("auth", expiry, b""),
            }))
        }
        Request::GetCookie {
            authorization_cookies,
            protocol_version,
            ..
        } => {
            if !protocol_version.starts_with("1.") {
                return Err(fault(error_codes::INCOMPATIBLE_PROTOCOL_VERSION, "protocolVersion"));
            }
            if !authorization_cookies
                .iter()
                .any(|c| verify(&key, "auth", &c.cookie_data))
            {
                return Err(fault(error_codes::INVALID_AUTHORIZATION_COOKIE, "authCookies"));
            }
            let expiry = unix_now() + COOKIE_MINUTES * 60;
            let expiration = time::OffsetDateTime::from_unix_timestamp(expiry)
                .map(clock::format_utc)
                .unwrap_or_default();
            Ok(Response::Cookie(Cookie {
                expiration,
                encrypted_data: key.sign("cookie", expiry, b""),
            }))
        }
        Request::GetConfigData { cookie, .. } => {
            check_cookie(&key, cookie.as_ref())?;
            config_data(site).map(Response::ConfigData).map_err(internal)
        }
        Request::GetRevisionIdList { cookie, filter } => {
            check_cookie(&key, cookie.as_ref())?;
            revision_list(site, &filter).map(Response::RevisionIdList)
        }
        Request::GetUpdateData { cookie, update_ids } => {
            check_cookie(&key, cookie.as_ref())?;
            if update_ids.len() > MAX_UPDATES_PER_REQUEST as usize {
                return Err(fault(error_codes::INVALID_PARAMETERS, "updateIds"));
            }
            update_data(site, &update_ids).map(Response::UpdateData)
        }
    }
}

/// Faults are boxed: they are large and rare.
fn fault(code: &str, message: &str) -> Box<SoapFault> {
    Box::new(SoapFault::wsus(code, message))
}

fn internal(e: impl std::fmt::Display) -> Box<SoapFault> {
    tracing::error!(error = %e, "upstream request failed");
    fault(error_codes::INTERNAL_SERVER_ERROR, "")
}

/// True when the token was signed by this site for `purpose` and has not expired.
fn verify(key: &SigningKey, purpose: &str, token: &str) -> bool {
    matches!(key.open(purpose, token, unix_now()), Opened::Valid(_))
}

fn check_cookie(key: &SigningKey, cookie: Option<&Cookie>) -> Result<(), Box<SoapFault>> {
    match cookie {
        Some(c) if verify(key, "cookie", &c.encrypted_data) => Ok(()),
        _ => Err(fault(error_codes::INVALID_COOKIE, "cookie")),
    }
}

fn config_data(site: &Site) -> rusqlite::Result<ConfigData> {
    let c = site.store().reader();
    let mut stmt = c.prepare_cached("SELECT DISTINCT language FROM localized_text ORDER BY language LIMIT 200")?;
    let langs: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let mut languages = vec![LanguageData {
        language_id: 0,
        short_language: "all".into(),
        long_language: "all".into(),
        enabled: false,
    }];
    languages.extend(langs.into_iter().enumerate().map(|(i, l)| LanguageData {
        language_id: 1 + i as i32,
        long_language: l.clone(),
        short_language: l,
        enabled: true,
    }));
    Ok(ConfigData {
        catalog_only_sync: true,
        lazy_sync: true,
        server_hosts_psf_files: false,
        max_computer_ids_in_request: 0,
        max_driver_sets_per_request: 0,
        max_pnp_hardware_ids_in_request: 0,
        max_updates_per_request: MAX_UPDATES_PER_REQUEST,
        new_config_anchor: None,
        protocol_version: Some(wsus::protocol::PROTOCOL_VERSION.into()),
        languages,
        max_updates_per_request_in_get_update_decryption_data: 0,
    })
}

fn parse_anchor(a: &str) -> Option<i64> {
    a.strip_prefix("pd:")?.parse().ok().filter(|n: &i64| *n >= 0)
}

fn revision_list(site: &Site, filter: &ServerSyncFilter) -> Result<RevisionIdList, Box<SoapFault>> {
    let since = match filter.anchor.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        Some(a) => Some(parse_anchor(a).ok_or_else(|| fault(error_codes::INVALID_PARAMETERS, "filter"))?),
        None => None,
    };
    // Delta false on any entry asks for everything again (exchange 000010).
    let delta = filter.categories.iter().chain(&filter.classifications).all(|e| e.delta);
    let since = if delta { since } else { None };
    let c = site.store().reader();
    let newest: i64 = c
        .query_row("SELECT coalesce(max(rev_pk), 0) FROM revisions", [], |r| r.get(0))
        .map_err(internal)?;
    let mut values: Vec<Value> = Vec::new();
    let matched = if filter.get_config {
        "SELECT upd_pk FROM updates WHERE update_type IN ('Category', 'Detectoid')".to_string()
    } else {
        let ids_in = |ids: &[String], values: &mut Vec<Value>| {
            values.extend(ids.iter().map(|i| Value::Text(i.to_lowercase())));
            vec!["?"; ids.len()].join(", ")
        };
        let products: Vec<String> = filter.categories.iter().map(|e| e.id.clone()).collect();
        let classes: Vec<String> = filter.classifications.iter().map(|e| e.id.clone()).collect();
        if products.is_empty() {
            // Nothing subscribed: nothing listed (exchange 000012).
            return Ok(RevisionIdList {
                anchor: Some(format!("pd:{newest}")),
                new_revisions: Vec::new(),
            });
        }
        // An update is in a product or classification when that category is among its
        // prerequisites, whether or not this site holds the category's own document.
        let mut sql = format!(
            "SELECT u.upd_pk FROM updates u WHERE u.update_type NOT IN ('Category', 'Detectoid')
             AND EXISTS (SELECT 1 FROM prerequisites p WHERE p.upd_pk = u.upd_pk AND p.target_id IN ({}))",
            ids_in(&products, &mut values)
        );
        if !classes.is_empty() {
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM prerequisites p WHERE p.upd_pk = u.upd_pk AND p.target_id IN ({}))",
                ids_in(&classes, &mut values)
            ));
        }
        sql
    };
    // A matching bundle brings its members (and theirs): they carry the payload.
    let sql = format!(
        "WITH RECURSIVE matched(pk) AS ({matched}
             UNION SELECT u.upd_pk FROM matched m JOIN bundle_members b ON b.bundle_pk = m.pk
                   JOIN updates u ON u.update_id = b.member_id)
         SELECT u.update_id, u.revision FROM matched m JOIN updates u ON u.upd_pk = m.pk
         JOIN revisions r ON r.update_id = u.update_id AND r.revision = u.revision
         WHERE r.rev_pk <= ? AND r.rev_pk > ? ORDER BY r.rev_pk"
    );
    values.push(Value::Integer(newest));
    values.push(Value::Integer(since.unwrap_or(0)));
    let mut stmt = c.prepare(&sql).map_err(internal)?;
    let new_revisions = stmt
        .query_map(params_from_iter(values.iter()), |r| {
            Ok(RevisionId {
                update_id: r.get(0)?,
                revision: r.get(1)?,
            })
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(internal)?;
    Ok(RevisionIdList {
        anchor: Some(format!("pd:{newest}")),
        new_revisions,
    })
}

fn update_data(site: &Site, ids: &[RevisionId]) -> Result<UpdateData, Box<SoapFault>> {
    let c = site.store().reader();
    let mut stmt = c
        .prepare_cached("SELECT xml_deflate FROM revisions WHERE update_id = ?1 AND revision = ?2")
        .map_err(internal)?;
    let mut updates = Vec::with_capacity(ids.len());
    let mut file_urls: Vec<FileUrl> = Vec::new();
    for id in ids {
        let blob: Option<Vec<u8>> = stmt
            .query_row(rusqlite::params![id.update_id.to_lowercase(), id.revision], |r| {
                r.get(0)
            })
            .optional()
            .map_err(internal)?;
        // WSUS answers an unknown id with InternalServerError (exchange 000017).
        let blob = blob.ok_or_else(|| fault(error_codes::INTERNAL_SERVER_ERROR, ""))?;
        let xml = inflate(&blob).map_err(internal)?;
        let doc = wsus::parse_update(&xml).map_err(internal)?;
        let mut digests = Vec::new();
        for f in &doc.files {
            digests.push(f.digest.clone());
            if !file_urls.iter().any(|u| u.digest == f.digest) {
                file_urls.push(FileUrl {
                    digest: f.digest.clone(),
                    mu_url: String::new(),
                    uss_url: uss_url(f),
                });
            }
        }
        updates.push(ServerSyncUpdateData {
            id: id.clone(),
            file_digests: digests,
            xml,
        });
    }
    Ok(UpdateData { updates, file_urls })
}

/// `Content/<last two hex digits>/<SHA-1 hex>.<extension>`, as WSUS lays out content.
fn uss_url(f: &wsus::UpdateFile) -> String {
    let hex: String = B64
        .decode(&f.digest)
        .unwrap_or_default()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    let ext = f
        .file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let dir = hex.get(hex.len().saturating_sub(2)..).unwrap_or("00");
    format!("Content/{dir}/{hex}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors() {
        assert_eq!(parse_anchor("pd:42"), Some(42));
        assert_eq!(parse_anchor("9438,2026-10-04 16:33:26.671"), None);
        assert_eq!(parse_anchor("pd:-1"), None);
    }
}

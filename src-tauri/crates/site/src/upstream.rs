//! This site as an upstream: the MS-WSUSSS answers a downstream site (a child Patchdeck,
//! or a WSUS server) gets when it synchronizes from us (SYNC-1).
//!
//! Answers are shaped as a WSUS upstream gives them (exchanges in `wsusss/exchanges` and
//! `wsusss/exchanges-client`), so that real WSUS servers can use this site as their upstream.
//!
//! Cookies are signed with the site's key (`signing`), so they survive restarts and cannot
//! be forged; they carry the protocol version the downstream declared. Revision anchors are
//! `pd:` and a token of the site's key over n, the newest revision row the answer covered:
//! with `Delta` true the next list holds only revisions received after it. An anchor this
//! site did not issue (a WSUS `<n>,<time>` anchor, another site's, an older Patchdeck's
//! `pd:<n>`) is answered as a first sync; only text of no known form is refused. Config
//! anchors name the languages offered, so an unchanged one gets the short answer.
//! **Architecture invariant:** nothing here changes the catalog; a downstream only reads.

use base64::Engine;
use rusqlite::{params_from_iter, types::Value, OptionalExtension};
use sha2::{Digest, Sha256};
use wsus::protocol::{
    error_codes, AuthConfig, AuthPlugInInfo, AuthorizationCookie, ConfigData, Cookie, FileUrl, LanguageData,
    RevisionIdList, ServerSyncFilter, UpdateData, DSS_PLUGIN_ID, WSUS_LANGUAGES,
};
use wsus::{Request, Response, RevisionId, ServerSyncUpdateData, SoapFault};

use crate::catalog::import::inflate;
use crate::clock;
use crate::handle::Site;
use crate::signing::{unix_now, Opened, SigningKey};
use crate::update_point::settings as sync_settings;

/// Updates per GetUpdateData call we accept (the same limit Microsoft Update states).
pub const MAX_UPDATES_PER_REQUEST: i32 = 100;
/// WSUS's `MaxUpdatesPerRequestInGetUpdateDecryptionData` (exchange 000005); this site
/// holds no encrypted updates, so the limit is never reached.
const MAX_UPDATES_PER_DECRYPTION_REQUEST: i32 = 100;
const COOKIE_MINUTES: i64 = 240;
/// Anchors stay readable for as long as a downstream keeps them.
const ANCHOR_EXPIRY: i64 = i64::MAX;
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
            let expiration = clock::from_unix(expiry).map(clock::format_utc).unwrap_or_default();
            Ok(Response::Cookie(Cookie {
                expiration,
                encrypted_data: key.sign("cookie", expiry, protocol_version.trim().as_bytes()),
            }))
        }
        Request::GetConfigData { cookie, config_anchor } => {
            check_cookie(&key, cookie.as_ref())?;
            config_data(site, config_anchor.as_deref())
                .map(Response::ConfigData)
                .map_err(internal)
        }
        Request::GetRevisionIdList { cookie, filter } => {
            check_cookie(&key, cookie.as_ref())?;
            revision_list(site, &key, &filter).map(Response::RevisionIdList)
        }
        Request::GetUpdateData { cookie, update_ids } => {
            let version = check_cookie(&key, cookie.as_ref())?;
            if update_ids.len() > MAX_UPDATES_PER_REQUEST as usize {
                return Err(fault(error_codes::INVALID_PARAMETERS, "updateIds"));
            }
            update_data(site, &update_ids, reads_compressed_blobs(&version)).map(Response::UpdateData)
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

/// The protocol version the cookie's downstream declared in `GetCookie` (empty in the
/// cookies of sites from before it was kept).
fn check_cookie(key: &SigningKey, cookie: Option<&Cookie>) -> Result<String, Box<SoapFault>> {
    let opened = cookie.map(|c| key.open("cookie", &c.encrypted_data, unix_now()));
    match opened {
        Some(Opened::Valid(version)) => Ok(String::from_utf8_lossy(&version).into_owned()),
        _ => Err(fault(error_codes::INVALID_COOKIE, "cookie")),
    }
}

/// The spec names no way to ask for plain blobs, so the declared protocol version is the
/// request: 1.0 and 1.1, the oldest, get plain text, which every version reads; 1.2 and
/// later (WSUS and Patchdeck send 1.20) get WSUS's compressed blobs.
fn reads_compressed_blobs(version: &str) -> bool {
    match version.split_once('.') {
        Some((major, minor)) => major.trim() != "1" || minor.trim().parse::<u32>().map_or(true, |m| m >= 2),
        None => true,
    }
}

/// As WSUS answers (exchanges 000004 and 000005): every language it knows, enabled where
/// the site's settings choose it, and a config anchor naming that choice; asked with the
/// anchor of an unchanged choice, the list is empty (only changes are listed).
fn config_data(site: &Site, asked_anchor: Option<&str>) -> Result<ConfigData, crate::wire::ApiError> {
    let chosen = sync_settings::load(site)?.languages;
    let enabled = |short: &str| chosen.iter().any(|l| l.eq_ignore_ascii_case(short));
    let mut digest = Sha256::new();
    for (id, short, _) in WSUS_LANGUAGES {
        if enabled(short) {
            digest.update(id.to_be_bytes());
        }
    }
    let anchor = format!(
        "pdc:{}",
        digest.finalize()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let languages = if asked_anchor.map(str::trim) == Some(anchor.as_str()) {
        Vec::new()
    } else {
        let all = LanguageData {
            language_id: 0,
            short_language: "all".into(),
            long_language: "all".into(),
            enabled: false,
        };
        std::iter::once(all)
            .chain(WSUS_LANGUAGES.iter().map(|(id, short, long)| LanguageData {
                language_id: *id,
                short_language: (*short).into(),
                long_language: (*long).into(),
                enabled: enabled(short),
            }))
            .collect()
    };
    Ok(ConfigData {
        // The site serves its content library under `Content/` (UssUrl), as WSUS does.
        catalog_only_sync: false,
        lazy_sync: true,
        server_hosts_psf_files: false,
        max_computer_ids_in_request: 0,
        max_driver_sets_per_request: 0,
        max_pnp_hardware_ids_in_request: 0,
        max_updates_per_request: MAX_UPDATES_PER_REQUEST,
        new_config_anchor: Some(anchor),
        protocol_version: Some(wsus::protocol::PROTOCOL_VERSION.into()),
        languages,
        max_updates_per_request_in_get_update_decryption_data: MAX_UPDATES_PER_DECRYPTION_REQUEST,
    })
}

/// What a downstream's anchor says about where its last list ended.
#[derive(Debug, PartialEq, Eq)]
enum Since {
    /// None, or one this site did not issue: everything, as for a first sync.
    Start,
    /// After this revision row.
    Row(i64),
}

fn our_anchor(key: &SigningKey, row: i64) -> String {
    format!("pd:{}", key.sign("anchor", ANCHOR_EXPIRY, &row.to_be_bytes()))
}

/// `None` for text of no anchor form at all (WSUS faults on it, exchange 000018).
fn read_anchor(key: &SigningKey, anchor: Option<&str>) -> Option<Since> {
    let Some(a) = anchor.map(str::trim).filter(|a| !a.is_empty()) else {
        return Some(Since::Start);
    };
    if let Some(token) = a.strip_prefix("pd:") {
        if let Opened::Valid(payload) = key.open("anchor", token, unix_now()) {
            let row = <[u8; 8]>::try_from(payload.as_slice()).ok().map(i64::from_be_bytes)?;
            return Some(Since::Row(row));
        }
        // Another site's, or an older Patchdeck's `pd:<n>`: rows of some other catalog.
        return Some(Since::Start);
    }
    is_wsus_anchor(a).then_some(Since::Start)
}

/// `<n>,<yyyy-mm-dd hh:mm:ss[.fff]>`, the anchors of a WSUS upstream ([MS-WSUSSS] note 31).
fn is_wsus_anchor(a: &str) -> bool {
    let Some((n, at)) = a.split_once(',') else {
        return false;
    };
    let shape = "dddd-dd-dd dd:dd:dd";
    !n.is_empty()
        && n.bytes().all(|b| b.is_ascii_digit())
        && at.len() >= shape.len()
        && at.bytes().zip(shape.bytes()).all(|(c, s)| match s {
            b'd' => c.is_ascii_digit(),
            other => c == other,
        })
        && at[shape.len()..]
            .trim_start_matches('.')
            .bytes()
            .all(|b| b.is_ascii_digit())
}

fn revision_list(site: &Site, key: &SigningKey, filter: &ServerSyncFilter) -> Result<RevisionIdList, Box<SoapFault>> {
    let since = match read_anchor(key, filter.anchor.as_deref()) {
        Some(Since::Row(n)) => Some(n),
        Some(Since::Start) => None,
        None => return Err(fault(error_codes::INVALID_PARAMETERS, "filter")),
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
        // [MS-WSUSSS] 3.1.4.5.3.1: with both lists, only updates in one of the products
        // *and* one of the classifications; with one alone the filter cannot work and lists
        // nothing (exchange 000007); with neither, no filter (exchange-client 000006).
        match (products.is_empty(), classes.is_empty()) {
            (true, true) => "SELECT upd_pk FROM updates WHERE update_type NOT IN ('Category', 'Detectoid')".to_string(),
            (false, false) => {
                let in_products = ids_in(&products, &mut values);
                let in_classes = ids_in(&classes, &mut values);
                format!(
                    "SELECT u.upd_pk FROM updates u WHERE u.update_type NOT IN ('Category', 'Detectoid')
                     AND EXISTS (SELECT 1 FROM prerequisites p WHERE p.upd_pk = u.upd_pk AND p.target_id IN ({in_products}))
                     AND EXISTS (SELECT 1 FROM prerequisites p WHERE p.upd_pk = u.upd_pk AND p.target_id IN ({in_classes}))"
                )
            }
            _ => {
                return Ok(RevisionIdList {
                    anchor: Some(our_anchor(key, newest)),
                    new_revisions: Vec::new(),
                })
            }
        }
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
        anchor: Some(our_anchor(key, newest)),
        new_revisions,
    })
}

fn update_data(site: &Site, ids: &[RevisionId], compress: bool) -> Result<UpdateData, Box<SoapFault>> {
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
        let compressed = if compress && wsus::worth_compressing(&xml) {
            Some(wsus::encode_compressed_blob(&xml).map_err(internal)?)
        } else {
            None
        };
        updates.push(ServerSyncUpdateData {
            id: id.clone(),
            file_digests: digests,
            xml,
            compressed,
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

    fn key() -> SigningKey {
        let dir = tempfile::tempdir().expect("tempdir");
        let site = Site::open(dir.path()).expect("site");
        SigningKey::of(&site).expect("key")
    }

    #[test]
    fn anchors() {
        let key = key();
        assert_eq!(read_anchor(&key, Some(&our_anchor(&key, 42))), Some(Since::Row(42)));
        assert_eq!(read_anchor(&key, None), Some(Since::Start));
        assert_eq!(read_anchor(&key, Some(" ")), Some(Since::Start));
        // A real WSUS's (exchange 000010), an older Patchdeck's, another site's: first sync.
        assert_eq!(
            read_anchor(&key, Some("9438,2026-10-04 16:09:27.371")),
            Some(Since::Start)
        );
        assert_eq!(read_anchor(&key, Some("pd:42")), Some(Since::Start));
        assert_eq!(
            read_anchor(&key, Some(&our_anchor(&self::key(), 42))),
            Some(Since::Start)
        );
        // Exchange 000018.
        assert_eq!(read_anchor(&key, Some("garbage")), None);
        assert_eq!(read_anchor(&key, Some("9438,yesterday")), None);
    }

    #[test]
    fn compressed_blobs_for_protocol_1_2_and_later() {
        for (version, compressed) in [
            ("1.20", true),
            ("1.2", true),
            ("", true),
            ("1.1", false),
            ("1.0", false),
        ] {
            assert_eq!(reads_compressed_blobs(version), compressed, "{version}");
        }
    }
}

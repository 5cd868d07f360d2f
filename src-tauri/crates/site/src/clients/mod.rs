//! Windows Update Agents served by this site (MS-WUSP, issue 12): what an unmodified client
//! is answered on the client, SimpleAuth and reporting services.
//!
//! [`handle`] takes one decoded call and returns the answer or the [`ClientFault`] the HTTP
//! layer writes with `wsus::wusp::fault_xml`. This step serves the handshake: `GetConfig`,
//! `GetAuthorizationCookie`, `GetCookie`, `RegisterComputer` (`computers.rs`) and
//! `StartCategoryScan`. The calls that read what a computer is offered (`SyncUpdates`,
//! `GetExtendedUpdateInfo`, `GetFileLocations`) and `ReportEventBatch` are refused with an
//! `InternalServerError` fault saying so, changing nothing, until their rooms are built.
//!
//! Cookies are tokens of the site's key (`signing`) naming the client id: the authorization
//! cookie (purpose `wusp-auth`) and the session cookie (`wusp-cookie`), each valid for
//! [`COOKIE_MINUTES`]. A cookie another site signed, or one altered, reads as forged.
//! **Architecture invariant:** a call with a missing, forged or expired cookie changes
//! nothing; only `RegisterComputer` writes, and only for the client its cookie names.

mod computers;
mod extended;
mod fragments;
mod graph;
mod offer;
mod once;
mod reports;
mod targeting;

pub use graph::GraphCache;
pub use reports::Status;

use std::net::IpAddr;

use wsus::wusp::{
    error_codes, AuthPlugInInfo, AuthorizationCookie, ClientRequest, ClientResponse, Config, ConfigurationProperty,
    Cookie, FileLocationsResult, SIMPLE_TARGETING_PLUGIN_ID,
};

use crate::clock;
use crate::handle::Site;
use crate::signing::{unix_now, Opened, SigningKey};

/// How long an authorization or session cookie is valid (WSUS: one hour, scan/000003).
pub const COOKIE_MINUTES: i64 = 60;
/// The protocol version this site answers `GetConfig` with (the captured WSUS's).
pub const PROTOCOL_VERSION: &str = "3.2";
/// `MaxExtendedUpdatesPerRequest` of `GetConfig` (the captured WSUS's).
pub const MAX_EXTENDED_UPDATES_PER_REQUEST: i32 = 50;
/// `LastChange` of `GetConfig`: nothing a client reads from the configuration changes yet.
const CONFIG_LAST_CHANGE: &str = "2026-01-01T00:00:00Z";
/// A client id longer than this is refused (Windows clients send a GUID).
const MAX_CLIENT_ID_CHARS: usize = 256;
/// Target group names a client may send (WSUS's policy field holds a few names).
const MAX_TARGET_GROUP_CHARS: usize = 1024;
const AUTH_PURPOSE: &str = "wusp-auth";
const SESSION_PURPOSE: &str = "wusp-cookie";

/// Why a call is refused: the `ErrorCode` and `Message` of the fault the client receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientFault {
    /// One of `wsus::wusp::error_codes`.
    pub error_code: &'static str,
    pub message: String,
}

impl ClientFault {
    fn new(error_code: &'static str, message: impl Into<String>) -> ClientFault {
        ClientFault {
            error_code,
            message: message.into(),
        }
    }

    fn internal(e: impl std::fmt::Display) -> ClientFault {
        tracing::error!(error = %e, "client request failed");
        ClientFault::new(error_codes::INTERNAL_SERVER_ERROR, "")
    }
}

/// Who called, as the HTTP layer saw it.
#[derive(Debug, Clone)]
pub struct Caller {
    pub peer: IpAddr,
    /// `http://host:port` as the client addressed this server: the base of the file URLs it
    /// is given, so they work through whatever name or address it used.
    pub base_url: String,
}

/// Answers one call of a client.
pub fn handle(site: &Site, request: ClientRequest, caller: &Caller) -> Result<ClientResponse, ClientFault> {
    let peer = caller.peer;
    match request {
        ClientRequest::GetConfig { .. } => Ok(ClientResponse::GetConfig(config())),
        ClientRequest::GetAuthorizationCookie {
            client_id,
            target_group_name,
            ..
        } => {
            let client_id = client_id.trim();
            if client_id.is_empty() || client_id.chars().count() > MAX_CLIENT_ID_CHARS || client_id.contains('\n') {
                return Err(ClientFault::new(error_codes::INVALID_PARAMETERS, "clientId"));
            }
            let target_group = target_group_name.as_deref().map(str::trim).unwrap_or("");
            if target_group.chars().count() > MAX_TARGET_GROUP_CHARS || target_group.contains('\n') {
                return Err(ClientFault::new(error_codes::INVALID_PARAMETERS, "targetGroupName"));
            }
            let key = SigningKey::of(site).map_err(ClientFault::internal)?;
            let identity = Identity {
                client_id: client_id.to_string(),
                target_group: target_group.to_string(),
            };
            Ok(ClientResponse::GetAuthorizationCookie(AuthorizationCookie {
                plugin_id: SIMPLE_TARGETING_PLUGIN_ID.into(),
                cookie_data: key.sign(AUTH_PURPOSE, expiry(), &identity.to_bytes()),
            }))
        }
        ClientRequest::GetCookie(request) => {
            let key = SigningKey::of(site).map_err(ClientFault::internal)?;
            let now = unix_now();
            let client_id = request
                .auth_cookies
                .iter()
                .filter(|c| c.plugin_id == SIMPLE_TARGETING_PLUGIN_ID)
                .find_map(|c| match key.open(AUTH_PURPOSE, &c.cookie_data, now) {
                    Opened::Valid(payload) => Some(payload),
                    Opened::Expired | Opened::Forged => None,
                })
                .ok_or_else(|| ClientFault::new(error_codes::INVALID_AUTHORIZATION_COOKIE, "authCookies"))?;
            Ok(ClientResponse::GetCookie(session_cookie(&key, &client_id)))
        }
        ClientRequest::RegisterComputer { cookie, computer_info } => {
            let identity = identity_of(site, cookie.as_ref())?;
            computers::register(site, &identity, &computer_info, peer).map_err(ClientFault::internal)?;
            Ok(ClientResponse::RegisterComputer)
        }
        ClientRequest::StartCategoryScan { requested_categories } => Ok(ClientResponse::StartCategoryScan {
            preferred_category_ids: requested_categories.into_iter().map(|c| c.category_id).collect(),
        }),
        ClientRequest::SyncUpdates { cookie, parameters } => {
            let client_id = client_of(site, cookie.as_ref())?;
            let scanner = offer::scanner(site, &client_id)?
                .ok_or_else(|| ClientFault::new(error_codes::REGISTRATION_REQUIRED, "RegisterComputer first"))?;
            let mut info = offer::page(site, &scanner, &parameters)?;
            let key = SigningKey::of(site).map_err(ClientFault::internal)?;
            info.new_cookie = session_cookie(&key, client_id.as_bytes());
            Ok(ClientResponse::SyncUpdates(info))
        }
        ClientRequest::GetExtendedUpdateInfo(request) => {
            client_of(site, request.cookie.as_ref())?;
            Ok(ClientResponse::GetExtendedUpdateInfo(extended::extended_info(
                site,
                &request,
                &caller.base_url,
            )?))
        }
        ClientRequest::GetFileLocations { cookie, file_digests } => {
            let client_id = client_of(site, cookie.as_ref())?;
            let key = SigningKey::of(site).map_err(ClientFault::internal)?;
            Ok(ClientResponse::GetFileLocations(FileLocationsResult {
                file_locations: extended::file_locations(site, &file_digests, &caller.base_url)?,
                new_cookie: session_cookie(&key, client_id.as_bytes()),
            }))
        }
        ClientRequest::ReportEventBatch { cookie, events, .. } => {
            let client_id = client_of(site, cookie.as_ref())?;
            let scanner = offer::scanner(site, &client_id)?
                .ok_or_else(|| ClientFault::new(error_codes::REGISTRATION_REQUIRED, "RegisterComputer first"))?;
            reports::store(site, scanner.computer_id, &events)?;
            Ok(ClientResponse::ReportEventBatch(true))
        }
    }
}

/// The `GetConfig` answer, shaped like the captured WSUS's (scan/000001): registration
/// required, SimpleTargeting at the relative SimpleAuth URL. `PackageServerShare` is empty:
/// this site publishes no file share.
fn config() -> Config {
    let property = |name: &str, value: String| ConfigurationProperty {
        name: name.into(),
        value,
    };
    Config {
        last_change: CONFIG_LAST_CHANGE.into(),
        is_registration_required: true,
        auth_info: vec![AuthPlugInInfo {
            plugin_id: SIMPLE_TARGETING_PLUGIN_ID.into(),
            service_url: wsus::wusp::SIMPLE_AUTH_PATH.trim_start_matches('/').into(),
            parameter: Some(String::new()),
        }],
        allowed_event_ids: Vec::new(),
        properties: vec![
            property(
                "MaxExtendedUpdatesPerRequest",
                MAX_EXTENDED_UPDATES_PER_REQUEST.to_string(),
            ),
            property("PackageServerShare", String::new()),
            property("ProtocolVersion", PROTOCOL_VERSION.into()),
            property("IsInventoryRequired", "0".into()),
            property("ClientReportingLevel", "2".into()),
        ],
    }
}

fn expiry() -> i64 {
    unix_now() + COOKIE_MINUTES * 60
}

fn session_cookie(key: &SigningKey, client_id: &[u8]) -> Cookie {
    let expiry = expiry();
    Cookie {
        expiration: clock::from_unix(expiry).map(clock::format_utc).unwrap_or_default(),
        encrypted_data: key.sign(SESSION_PURPOSE, expiry, client_id),
    }
}

/// Who a cookie speaks for: the client id, and the target group names its TargetGroup
/// policy sent (empty when none), kept from `GetAuthorizationCookie` to `RegisterComputer`
/// inside the signed cookies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Identity {
    pub client_id: String,
    pub target_group: String,
}

impl Identity {
    fn to_bytes(&self) -> Vec<u8> {
        format!("{}\n{}", self.client_id, self.target_group).into_bytes()
    }

    fn from_bytes(payload: Vec<u8>) -> Option<Identity> {
        let text = String::from_utf8(payload).ok()?;
        let (client_id, target_group) = text.split_once('\n').unwrap_or((&text, ""));
        Some(Identity {
            client_id: client_id.to_string(),
            target_group: target_group.to_string(),
        })
    }
}

/// Who a session cookie names, or the fault for a missing, forged or expired one.
fn identity_of(site: &Site, cookie: Option<&Cookie>) -> Result<Identity, ClientFault> {
    let cookie = cookie.ok_or_else(|| ClientFault::new(error_codes::INVALID_COOKIE, "cookie"))?;
    let key = SigningKey::of(site).map_err(ClientFault::internal)?;
    match key.open(SESSION_PURPOSE, &cookie.encrypted_data, unix_now()) {
        Opened::Valid(payload) => {
            Identity::from_bytes(payload).ok_or_else(|| ClientFault::new(error_codes::INVALID_COOKIE, "cookie"))
        }
        Opened::Expired => Err(ClientFault::new(error_codes::COOKIE_EXPIRED, "cookie")),
        Opened::Forged => Err(ClientFault::new(error_codes::INVALID_COOKIE, "cookie")),
    }
}

/// The client id a session cookie names.
fn client_of(site: &Site, cookie: Option<&Cookie>) -> Result<String, ClientFault> {
    identity_of(site, cookie).map(|i| i.client_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;
    use wsus::wusp::{ComputerInfo, GetCookieRequest};

    fn loopback() -> Caller {
        Caller {
            peer: IpAddr::V4(Ipv4Addr::LOCALHOST),
            base_url: "http://127.0.0.1:8530".into(),
        }
    }

    fn site() -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().expect("tempdir");
        let site = Site::open(&dir.path().join("site")).expect("site");
        (dir, site)
    }

    fn handshake(site: &Site, client_id: &str) -> Cookie {
        let auth = match handle(
            site,
            ClientRequest::GetAuthorizationCookie {
                client_id: client_id.into(),
                target_group_name: None,
                dns_name: Some("pc1".into()),
            },
            &loopback(),
        ) {
            Ok(ClientResponse::GetAuthorizationCookie(a)) => a,
            other => panic!("auth: {other:?}"),
        };
        match handle(site, get_cookie(vec![auth]), &loopback()) {
            Ok(ClientResponse::GetCookie(c)) => c,
            other => panic!("cookie: {other:?}"),
        }
    }

    fn get_cookie(auth_cookies: Vec<AuthorizationCookie>) -> ClientRequest {
        ClientRequest::GetCookie(GetCookieRequest {
            auth_cookies,
            old_cookie: None,
            last_change: None,
            current_time: None,
            protocol_version: Some("2.90".into()),
        })
    }

    fn register(site: &Site, cookie: Option<Cookie>, dns: &str) -> Result<ClientResponse, ClientFault> {
        let computer_info = ComputerInfo {
            dns_name: Some(dns.into()),
            os_major_version: 10,
            os_build_number: 26200,
            os_description: Some("Windows 11 Pro".into()),
            processor_architecture: Some("AMD64".into()),
            client_version_major_number: 1507,
            ..ComputerInfo::default()
        };
        handle(
            site,
            ClientRequest::RegisterComputer { cookie, computer_info },
            &loopback(),
        )
    }

    fn computers(site: &Site) -> Vec<(String, String, Option<String>)> {
        let c = site.store().reader();
        let mut stmt = c
            .prepare("SELECT name, os, client_id FROM computers ORDER BY name")
            .expect("prepare");
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("query");
        rows.map(|r| r.expect("row")).collect()
    }

    #[test]
    fn a_registered_client_is_a_computer_in_all_computers_once() {
        let (_dir, site) = site();
        let cookie = handshake(&site, "c-1");
        assert_eq!(
            register(&site, Some(cookie.clone()), "pc1"),
            Ok(ClientResponse::RegisterComputer)
        );
        assert_eq!(
            register(&site, Some(cookie), "pc1.lab"),
            Ok(ClientResponse::RegisterComputer)
        );
        assert_eq!(
            computers(&site),
            [("pc1.lab".into(), "Windows 11 Pro".into(), Some("c-1".into()))]
        );
        let c = site.store().reader();
        let groups: Vec<i64> = c
            .prepare("SELECT group_id FROM computer_group_members")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .expect("groups");
        assert_eq!(groups, [crate::admin::ROOT_GROUP]);
    }

    #[test]
    fn forged_foreign_and_expired_cookies_are_refused_and_change_nothing() {
        let (_dir, site) = site();
        let (_other_dir, other) = self::site();
        let foreign = handshake(&other, "c-1");
        let fault = register(&site, Some(foreign), "pc1").expect_err("foreign");
        assert_eq!(fault.error_code, error_codes::INVALID_COOKIE);
        assert_eq!(
            register(&site, None, "pc1").map_err(|f| f.error_code),
            Err(error_codes::INVALID_COOKIE)
        );
        let key = SigningKey::of(&site).expect("key");
        let expired = Cookie {
            expiration: String::new(),
            encrypted_data: key.sign(SESSION_PURPOSE, unix_now() - 1, b"c-1"),
        };
        assert_eq!(
            register(&site, Some(expired), "pc1").map_err(|f| f.error_code),
            Err(error_codes::COOKIE_EXPIRED)
        );
        // An authorization cookie is not a session cookie, and the reverse.
        let auth = AuthorizationCookie {
            plugin_id: SIMPLE_TARGETING_PLUGIN_ID.into(),
            cookie_data: key.sign(SESSION_PURPOSE, unix_now() + 60, b"c-1"),
        };
        assert_eq!(
            handle(&site, get_cookie(vec![auth]), &loopback()).map_err(|f| f.error_code),
            Err(error_codes::INVALID_AUTHORIZATION_COOKIE)
        );
        assert!(computers(&site).is_empty());
    }
}

//! Signing in: console sessions, personal API tokens, and the failures that slow an
//! address down.

use chrono::TimeDelta;
use rusqlite::{params, Connection, OptionalExtension};

use super::admins::{parse_permissions, read_scope};
use super::secrets::{new_secret, sha256_hex, verify_password, SESSION_PREFIX, TOKEN_PREFIX};
use crate::audit;
use crate::clock::{format_utc, now, now_utc, shifted};
use crate::handle::{Actor, Site};
use crate::wire::{
    ApiError, ApiTokenInfo, CreateTokenArgs, ErrorCode, IdArgs, NewApiToken, NoArgs, Permission, SignInArgs, SignedIn,
};

/// How long a console session lasts after signing in.
pub const SESSION_HOURS: i64 = 12;
/// Failed sign-ins from one address within a minute after which answers are slowed down.
pub const FAILURES_BEFORE_SLOWDOWN: i64 = 10;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("The name or password is not right. Check both; after {FAILURES_BEFORE_SLOWDOWN} failures in a minute, answers are slowed down.")]
    BadCredentials,
    #[error("This token or session is not known here. Sign in again, or create a personal token in Administration › Security.")]
    Unknown,
    #[error("This token was revoked on {0}. Create a new personal token in Administration › Security.")]
    Revoked(String),
    #[error("This token or session expired on {0}. Sign in again, or create a new personal token.")]
    Expired(String),
    #[error("The administrator '{0}' is disabled. Ask a full administrator to enable the account.")]
    Disabled(String),
    #[error(transparent)]
    Store(#[from] rusqlite::Error),
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::Store(e) => ApiError::from(e),
            other => ApiError::new(ErrorCode::Unauthorized, other.to_string()),
        }
    }
}

fn later(d: TimeDelta) -> String {
    format_utc(shifted(now(), d))
}

/// The administrator `admin_id` as the actor of a request from `address`.
fn actor_of(c: &Connection, admin_id: i64, address: &str) -> Result<Actor, AuthError> {
    let (name, disabled, role, perms): (String, bool, String, String) = c.query_row(
        "SELECT a.name, a.disabled, r.name, r.permissions FROM administrators a
         JOIN security_roles r ON r.role_id = a.role_id WHERE a.admin_id = ?1",
        [admin_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    if disabled {
        return Err(AuthError::Disabled(name));
    }
    let scope = read_scope(c, admin_id)?;
    let mut actor = Actor::new(name).at(address);
    actor.role = role;
    actor.permissions = parse_permissions(&perms).into_iter().collect();
    actor.scope = if scope.is_empty() { None } else { Some(scope) };
    actor.admin_id = Some(admin_id);
    Ok(actor)
}

/// Who sends `secret` (a `pdt_` token or a `pds_` session) from `address`.
pub fn authenticate(site: &Site, secret: &str, address: &str) -> Result<Actor, AuthError> {
    let c = site.store().reader();
    let hash = sha256_hex(secret);
    let now = now_utc();
    let (admin_id, expires, revoked): (i64, String, Option<String>) = if secret.starts_with(TOKEN_PREFIX) {
        c.query_row(
            "SELECT admin_id, expires_utc, revoked_utc FROM api_tokens WHERE token_sha256 = ?1",
            [&hash],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?
        .ok_or(AuthError::Unknown)?
    } else if secret.starts_with(SESSION_PREFIX) {
        c.query_row(
            "SELECT admin_id, expires_utc FROM sessions WHERE session_sha256 = ?1",
            [&hash],
            |r| Ok((r.get(0)?, r.get(1)?, None)),
        )
        .optional()?
        .ok_or(AuthError::Unknown)?
    } else {
        return Err(AuthError::Unknown);
    };
    if let Some(at) = revoked {
        return Err(AuthError::Revoked(at));
    }
    if expires <= now {
        return Err(AuthError::Expired(expires));
    }
    actor_of(&c, admin_id, address)
}

/// Failed sign-ins from `address` in the last minute.
pub fn recent_failures(site: &Site, address: &str) -> Result<i64, ApiError> {
    let since = format_utc(now() - TimeDelta::minutes(1));
    let c = site.store().reader();
    Ok(c.query_row(
        "SELECT count(*) FROM sign_in_failures WHERE address = ?1 AND at_utc > ?2",
        params![address, since],
        |r| r.get(0),
    )?)
}

/// Checks a name and password and opens a session; every failure is kept (for the
/// slowdown) and audited.
pub fn sign_in(site: &Site, args: &SignInArgs, address: &str) -> Result<SignedIn, ApiError> {
    let found: Option<(i64, String)> = site
        .store()
        .reader()
        .query_row(
            "SELECT admin_id, password_hash FROM administrators WHERE name = ?1",
            [args.name.trim()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let admin_id = match found {
        Some((id, hash)) if verify_password(&args.password, &hash) => id,
        _ => {
            let mut c = site.store().writer();
            let tx = c.transaction()?;
            tx.execute(
                "INSERT INTO sign_in_failures (address, name, at_utc) VALUES (?1, ?2, ?3)",
                params![address, args.name, now_utc()],
            )?;
            // Old failures matter to nobody: keep the table small.
            tx.execute(
                "DELETE FROM sign_in_failures WHERE at_utc < ?1",
                [format_utc(now() - TimeDelta::days(1))],
            )?;
            audit::record(
                &tx,
                &Actor::new("anonymous").at(address),
                "sign-in failed",
                &args.name,
                "",
            )?;
            tx.commit()?;
            return Err(AuthError::BadCredentials.into());
        }
    };
    let actor = {
        let c = site.store().reader();
        actor_of(&c, admin_id, address)?
    };
    let token = new_secret(SESSION_PREFIX);
    let expires = later(TimeDelta::hours(SESSION_HOURS));
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    tx.execute(
        "INSERT INTO sessions (admin_id, session_sha256, address, created_utc, expires_utc) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![admin_id, sha256_hex(&token), address, now_utc(), expires],
    )?;
    tx.execute("DELETE FROM sessions WHERE expires_utc < ?1", [now_utc()])?;
    audit::record(&tx, &actor, "sign in", &actor.name, &actor.role)?;
    tx.commit()?;
    Ok(SignedIn {
        token,
        expires_utc: expires,
    })
}

/// Ends a session on the server, so a copied cookie stops working too.
pub fn sign_out(site: &Site, actor: &Actor, secret: &str) -> Result<(), ApiError> {
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    let n = tx.execute("DELETE FROM sessions WHERE session_sha256 = ?1", [sha256_hex(secret)])?;
    if n > 0 {
        audit::record(&tx, actor, "sign out", &actor.name, "")?;
    }
    tx.commit()?;
    Ok(())
}

fn token_rows(c: &Connection, admin_id: Option<i64>, token_id: Option<i64>) -> Result<Vec<ApiTokenInfo>, ApiError> {
    let mut stmt = c.prepare_cached(
        "SELECT t.token_id, a.name, t.name, t.created_utc, t.expires_utc, t.revoked_utc
         FROM api_tokens t JOIN administrators a ON a.admin_id = t.admin_id
         WHERE (?1 IS NULL OR t.admin_id = ?1) AND (?2 IS NULL OR t.token_id = ?2) ORDER BY t.token_id",
    )?;
    let rows = stmt
        .query_map(params![admin_id, token_id], |r| {
            Ok(ApiTokenInfo {
                id: r.get(0)?,
                admin: r.get(1)?,
                name: r.get(2)?,
                created_utc: r.get(3)?,
                expires_utc: r.get(4)?,
                revoked_utc: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn not_an_admin() -> ApiError {
    ApiError::new(
        ErrorCode::Validation,
        "Personal tokens belong to administrators; this caller is the site token or the machine itself. Sign in as an administrator, or name one with adminId.",
    )
}

/// The caller's own tokens; every administrator's with Security.
pub fn list_tokens(site: &Site, actor: &Actor, _args: NoArgs) -> Result<Vec<ApiTokenInfo>, ApiError> {
    let c = site.store().reader();
    let only = if actor.may(Permission::Security) {
        None
    } else {
        actor.admin_id
    };
    if only.is_none() && !actor.may(Permission::Security) {
        return Ok(Vec::new());
    }
    token_rows(&c, only, None)
}

pub fn create_token(site: &Site, actor: &Actor, args: CreateTokenArgs) -> Result<NewApiToken, ApiError> {
    let admin_id = match args.admin_id {
        Some(id) if Some(id) != actor.admin_id => {
            if !actor.may(Permission::Security) {
                return Err(ApiError::new(
                    ErrorCode::Forbidden,
                    "Creating a token for another administrator needs the Security permission.",
                ));
            }
            id
        }
        Some(id) => id,
        None => actor.admin_id.ok_or_else(not_an_admin)?,
    };
    let days = if args.days == 0 { 90 } else { args.days };
    if !(1..=365).contains(&days) {
        return Err(ApiError::new(
            ErrorCode::Validation,
            format!("A token lasts 1 to 365 days; {days} was asked."),
        ));
    }
    let name = if args.name.trim().is_empty() {
        "token"
    } else {
        args.name.trim()
    };
    let token = new_secret(TOKEN_PREFIX);
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    let owner: String = tx
        .query_row("SELECT name FROM administrators WHERE admin_id = ?1", [admin_id], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!("There is no administrator with id {admin_id}."),
            )
        })?;
    tx.execute(
        "INSERT INTO api_tokens (admin_id, name, token_sha256, created_utc, expires_utc) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            admin_id,
            name,
            sha256_hex(&token),
            now_utc(),
            later(crate::clock::days(days))
        ],
    )?;
    let id = tx.last_insert_rowid();
    audit::record(&tx, actor, "create token", &owner, &format!("{name}, {days} days"))?;
    let info = token_rows(&tx, None, Some(id))?
        .pop()
        .ok_or_else(|| ApiError::internal("the new token's row was not found"))?;
    tx.commit()?;
    Ok(NewApiToken { token, info })
}

/// Revokes one of the caller's tokens (anyone's, with Security); it answers 401 from now on.
pub fn revoke_token(site: &Site, actor: &Actor, args: IdArgs) -> Result<ApiTokenInfo, ApiError> {
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    let owner: Option<i64> = tx
        .query_row("SELECT admin_id FROM api_tokens WHERE token_id = ?1", [args.id], |r| {
            r.get(0)
        })
        .optional()?;
    let missing = || ApiError::new(ErrorCode::NotFound, format!("There is no token with id {}.", args.id));
    let owner = owner.ok_or_else(missing)?;
    if Some(owner) != actor.admin_id && !actor.may(Permission::Security) {
        return Err(missing());
    }
    tx.execute(
        "UPDATE api_tokens SET revoked_utc = coalesce(revoked_utc, ?2) WHERE token_id = ?1",
        params![args.id, now_utc()],
    )?;
    let info = token_rows(&tx, None, Some(args.id))?.pop().ok_or_else(missing)?;
    audit::record(&tx, actor, "revoke token", &info.admin, &info.name)?;
    tx.commit()?;
    Ok(info)
}

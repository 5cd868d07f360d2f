//! Administrators, roles and scopes: who may do what on a site (issue 15).
//!
//! `api::dispatch` asks [`guard`] before every command with the permission and reach the
//! `commands!` list declares for it, and runs Scoped commands through [`scope`]; no
//! adapter checks anything by hand. Adapters turn a bearer secret into an [`Actor`] with
//! [`sessions::authenticate`].
//!
//! **Architecture invariant:** passwords are kept only as Argon2id hashes and tokens only
//! as SHA-256 ([`secrets`]); neither is ever written to the audit log or a log line.

pub mod admins;
pub mod scope;
pub mod secrets;
pub mod sessions;

use crate::handle::Actor;
use crate::wire::{ApiError, ErrorCode, Permission, Reach};

/// Refuses (403) a command the actor's role or scope does not allow, naming what is missing.
pub fn guard(actor: &Actor, command: &str, need: Option<Permission>, reach: Reach) -> Result<(), ApiError> {
    if let Some(p) = need {
        if !actor.may(p) {
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                format!(
                    "'{command}' needs the {p:?} permission, which {} (role {}) does not have. Ask a full administrator for a role that holds it.",
                    actor.name, actor.role
                ),
            ));
        }
    }
    if reach == Reach::Site && actor.scope.is_some() {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            format!(
                "'{command}' acts on the whole site, and {} is limited to some collections. Ask an administrator of the whole site.",
                actor.name
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_the_missing_permission_and_a_scoped_actor_is_kept_from_the_site() {
        let mut analyst = Actor::new("ann");
        analyst.role = "Read-only Analyst".into();
        analyst.permissions = [Permission::ReadSite].into_iter().collect();
        assert!(guard(&analyst, "site_info", Some(Permission::ReadSite), Reach::Any).is_ok());
        let e = guard(&analyst, "approve_updates", Some(Permission::Approve), Reach::Scoped).expect_err("refused");
        assert_eq!(e.code, ErrorCode::Forbidden);
        assert!(e.message.contains("Approve permission"), "{}", e.message);
        let mut scoped = Actor::new("sam");
        scoped.scope = Some(vec![2]);
        assert!(guard(&scoped, "approve_updates", Some(Permission::Approve), Reach::Scoped).is_ok());
        assert!(guard(&scoped, "set_sync_settings", Some(Permission::Sync), Reach::Site).is_err());
    }
}

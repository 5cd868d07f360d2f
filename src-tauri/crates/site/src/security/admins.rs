//! Administrators and roles, as data: the Security node's commands.

use std::collections::BTreeSet;

use rusqlite::{params, Connection, OptionalExtension};

use super::secrets::hash_password;
use crate::audit;
use crate::handle::{Actor, Site};
use crate::wire::{
    Administrator, ApiError, CreateAdminArgs, CreateRoleArgs, ErrorCode, NoArgs, Permission, SecurityRole,
    UpdateAdminArgs,
};

fn invalid(message: String) -> ApiError {
    ApiError::new(ErrorCode::Validation, message)
}

pub(super) fn parse_permissions(json: &str) -> Vec<Permission> {
    // A role row that cannot be read grants nothing rather than failing every request.
    serde_json::from_str(json).unwrap_or_default()
}

pub fn list_roles(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<SecurityRole>, ApiError> {
    let c = site.store().reader();
    let mut stmt = c.prepare_cached(
        "SELECT role_id, name, description, built_in, permissions FROM security_roles ORDER BY role_id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(SecurityRole {
                id: r.get(0)?,
                name: r.get(1)?,
                description: r.get(2)?,
                built_in: r.get(3)?,
                permissions: parse_permissions(&r.get::<_, String>(4)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn create_role(site: &Site, actor: &Actor, args: CreateRoleArgs) -> Result<SecurityRole, ApiError> {
    let name = args.name.trim();
    if name.is_empty() {
        return Err(invalid("A role needs a name.".into()));
    }
    if args.permissions.is_empty() {
        return Err(invalid(format!(
            "The role '{name}' has no permission; choose at least one (ReadSite lets it see the site)."
        )));
    }
    let permissions: BTreeSet<Permission> = args.permissions.iter().copied().collect();
    let permissions: Vec<Permission> = permissions.into_iter().collect();
    let json = serde_json::to_string(&permissions).map_err(|e| ApiError::internal(e.to_string()))?;
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    if role_id(&tx, name)?.is_some() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("A role named '{name}' exists already; choose another name."),
        ));
    }
    tx.execute(
        "INSERT INTO security_roles (name, description, permissions) VALUES (?1, ?2, ?3)",
        params![name, args.description, json],
    )?;
    let id = tx.last_insert_rowid();
    audit::record(&tx, actor, "create role", name, &json)?;
    tx.commit()?;
    Ok(SecurityRole {
        id,
        name: name.to_string(),
        description: args.description,
        built_in: false,
        permissions,
    })
}

fn role_id(c: &Connection, name: &str) -> Result<Option<i64>, ApiError> {
    Ok(
        c.query_row("SELECT role_id FROM security_roles WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?,
    )
}

fn require_role(c: &Connection, name: &str) -> Result<i64, ApiError> {
    role_id(c, name)?.ok_or_else(|| {
        invalid(format!(
            "There is no role named '{name}'. Use Full Administrator, Software Update Manager, Read-only Analyst or a role composed in Security Roles."
        ))
    })
}

fn check_scope(c: &Connection, scope: &[i64]) -> Result<(), ApiError> {
    for g in scope {
        let found: Option<i64> = c
            .query_row("SELECT group_id FROM target_groups WHERE group_id = ?1", [g], |r| {
                r.get(0)
            })
            .optional()?;
        if found.is_none() {
            return Err(invalid(format!(
                "There is no target group with id {g} to scope the administrator to."
            )));
        }
    }
    Ok(())
}

fn write_scope(c: &Connection, admin_id: i64, scope: &[i64]) -> Result<(), ApiError> {
    c.execute("DELETE FROM administrator_scopes WHERE admin_id = ?1", [admin_id])?;
    for g in scope {
        c.execute(
            "INSERT OR IGNORE INTO administrator_scopes (admin_id, group_id) VALUES (?1, ?2)",
            params![admin_id, g],
        )?;
    }
    Ok(())
}

pub(super) fn read_scope(c: &Connection, admin_id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt =
        c.prepare_cached("SELECT group_id FROM administrator_scopes WHERE admin_id = ?1 ORDER BY group_id")?;
    let ids = stmt.query_map([admin_id], |r| r.get(0))?.collect();
    ids
}

pub fn list_admins(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<Administrator>, ApiError> {
    let c = site.store().reader();
    read_admins(&c, None)
}

fn read_admins(c: &Connection, only: Option<i64>) -> Result<Vec<Administrator>, ApiError> {
    let mut stmt = c.prepare_cached(
        "SELECT a.admin_id, a.name, r.name, a.disabled, a.created_utc, a.modified_utc
         FROM administrators a JOIN security_roles r ON r.role_id = a.role_id
         WHERE ?1 IS NULL OR a.admin_id = ?1 ORDER BY a.name",
    )?;
    let mut rows = stmt
        .query_map([only], |r| {
            Ok(Administrator {
                id: r.get(0)?,
                name: r.get(1)?,
                role: r.get(2)?,
                scope: Vec::new(),
                disabled: r.get(3)?,
                created_utc: r.get(4)?,
                modified_utc: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for a in &mut rows {
        a.scope = read_scope(c, a.id)?;
    }
    Ok(rows)
}

pub fn create_admin(site: &Site, actor: &Actor, args: CreateAdminArgs) -> Result<Administrator, ApiError> {
    let name = args.name.trim();
    if name.is_empty() || name.len() > 100 || name.chars().any(char::is_control) {
        return Err(invalid(
            "An administrator needs a name of 1 to 100 characters without control characters.".into(),
        ));
    }
    // Hashing is slow by design: done before the writer is taken.
    let hash = hash_password(&args.password)?;
    let id = {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let exists: Option<i64> = tx
            .query_row("SELECT admin_id FROM administrators WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?;
        if exists.is_some() {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("An administrator named '{name}' exists already."),
            ));
        }
        let role = require_role(&tx, &args.role)?;
        check_scope(&tx, &args.scope)?;
        let now = crate::clock::now_utc();
        tx.execute(
            "INSERT INTO administrators (name, password_hash, role_id, created_utc, modified_utc) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![name, hash, role, now],
        )?;
        let id = tx.last_insert_rowid();
        write_scope(&tx, id, &args.scope)?;
        audit::record(
            &tx,
            actor,
            "create administrator",
            name,
            &format!("role {}, scope {:?}", args.role, args.scope),
        )?;
        tx.commit()?;
        id
    };
    one(site, id)
}

fn one(site: &Site, id: i64) -> Result<Administrator, ApiError> {
    let c = site.store().reader();
    read_admins(&c, Some(id))?
        .pop()
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("There is no administrator with id {id}.")))
}

pub fn update_admin(site: &Site, actor: &Actor, args: UpdateAdminArgs) -> Result<Administrator, ApiError> {
    let hash = match &args.password {
        Some(p) => Some(hash_password(p)?),
        None => None,
    };
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let name: String = tx
            .query_row("SELECT name FROM administrators WHERE admin_id = ?1", [args.id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NotFound,
                    format!("There is no administrator with id {}.", args.id),
                )
            })?;
        let now = crate::clock::now_utc();
        if let Some(role) = &args.role {
            let role_id = require_role(&tx, role)?;
            tx.execute(
                "UPDATE administrators SET role_id = ?2, modified_utc = ?3 WHERE admin_id = ?1",
                params![args.id, role_id, now],
            )?;
            audit::record(&tx, actor, "set administrator role", &name, role)?;
        }
        if let Some(scope) = &args.scope {
            check_scope(&tx, scope)?;
            write_scope(&tx, args.id, scope)?;
            audit::record(&tx, actor, "set administrator scope", &name, &format!("{scope:?}"))?;
        }
        if let Some(hash) = &hash {
            tx.execute(
                "UPDATE administrators SET password_hash = ?2, modified_utc = ?3 WHERE admin_id = ?1",
                params![args.id, hash, now],
            )?;
            // A new password ends the sessions the old one opened.
            tx.execute("DELETE FROM sessions WHERE admin_id = ?1", [args.id])?;
            audit::record(&tx, actor, "set administrator password", &name, "")?;
        }
        if let Some(disabled) = args.disabled {
            tx.execute(
                "UPDATE administrators SET disabled = ?2, modified_utc = ?3 WHERE admin_id = ?1",
                params![args.id, disabled, now],
            )?;
            if disabled {
                tx.execute("DELETE FROM sessions WHERE admin_id = ?1", [args.id])?;
            }
            let action = if disabled {
                "disable administrator"
            } else {
                "enable administrator"
            };
            audit::record(&tx, actor, action, &name, "")?;
        }
        tx.commit()?;
    }
    one(site, args.id)
}

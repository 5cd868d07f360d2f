-- Patchdeck site database: administrators, roles and scopes (issue 15).

-- A role is a named set of permissions. The three built-in roles cannot be changed, so a
-- site always keeps one role that may administer security.
CREATE TABLE security_roles (
    role_id     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT NOT NULL DEFAULT '',
    built_in    INTEGER NOT NULL DEFAULT 0,
    -- JSON array of permission names (wire::Permission).
    permissions TEXT NOT NULL
) STRICT;

INSERT INTO security_roles (role_id, name, description, built_in, permissions) VALUES
 (1, 'Full Administrator', 'Every permission, on the whole site.', 1,
  '["ReadSite","Sync","Library","Approve","Deploy","Content","Rules","Computers","SiteSettings","Security"]'),
 (2, 'Software Update Manager', 'Sync, library, groups, approvals, deployments, rules and content; not security or site settings.', 1,
  '["ReadSite","Sync","Library","Approve","Deploy","Content","Rules","Computers"]'),
 (3, 'Read-only Analyst', 'Sees everything, changes nothing.', 1, '["ReadSite"]');

CREATE TABLE administrators (
    admin_id      INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    -- Argon2id in PHC string form; never the password itself.
    password_hash TEXT NOT NULL,
    role_id       INTEGER NOT NULL REFERENCES security_roles(role_id) ON DELETE RESTRICT,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_utc   TEXT NOT NULL,
    modified_utc  TEXT NOT NULL
) STRICT;

-- The collections (target groups, with their subgroups) an administrator is limited to;
-- none: the whole site.
CREATE TABLE administrator_scopes (
    admin_id INTEGER NOT NULL REFERENCES administrators(admin_id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES target_groups(group_id) ON DELETE CASCADE,
    PRIMARY KEY (admin_id, group_id)
) STRICT;

-- Personal API tokens (`pdt_`) and console sessions (`pds_`): only their SHA-256 is kept,
-- so the database never holds what signs a request in.
CREATE TABLE api_tokens (
    token_id     INTEGER PRIMARY KEY,
    admin_id     INTEGER NOT NULL REFERENCES administrators(admin_id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_sha256 TEXT NOT NULL UNIQUE,
    created_utc  TEXT NOT NULL,
    expires_utc  TEXT NOT NULL,
    revoked_utc  TEXT
) STRICT;

CREATE TABLE sessions (
    session_id     INTEGER PRIMARY KEY,
    admin_id       INTEGER NOT NULL REFERENCES administrators(admin_id) ON DELETE CASCADE,
    session_sha256 TEXT NOT NULL UNIQUE,
    address        TEXT NOT NULL DEFAULT '',
    created_utc    TEXT NOT NULL,
    expires_utc    TEXT NOT NULL
) STRICT;

CREATE TABLE sign_in_failures (
    failure_id INTEGER PRIMARY KEY,
    address    TEXT NOT NULL,
    name       TEXT NOT NULL,
    at_utc     TEXT NOT NULL
) STRICT;
CREATE INDEX sign_in_failures_address ON sign_in_failures(address, at_utc);

-- Where the request that made the change came from (empty: this machine).
ALTER TABLE audit_log ADD COLUMN address TEXT NOT NULL DEFAULT '';

-- Patchdeck site database, schema 1. Append-only: never edit a migration once landed.

CREATE TABLE site_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- One row per update (UpdateID), holding its current revision in columns the grid sorts on.
-- Categories and detectoids are updates too. Sortable text columns hold '' rather than
-- NULL so that every sort order is a total order a page can be resumed from.
CREATE TABLE updates (
    upd_pk                INTEGER PRIMARY KEY,
    update_id             TEXT NOT NULL UNIQUE,
    revision              INTEGER NOT NULL,
    update_type           TEXT NOT NULL,
    publication_state     TEXT NOT NULL,
    title                 TEXT NOT NULL,
    description           TEXT,
    default_language      TEXT,
    kb_article_id         TEXT NOT NULL DEFAULT '',
    bulletin_id           TEXT NOT NULL DEFAULT '',
    severity              TEXT NOT NULL DEFAULT '',
    cve_ids               TEXT NOT NULL DEFAULT '',
    more_info_url         TEXT,
    support_url           TEXT,
    creation_date         TEXT NOT NULL DEFAULT '',
    size                  INTEGER NOT NULL DEFAULT 0,
    reboot_behavior       TEXT,
    install_impact        TEXT,
    explicitly_deployable INTEGER,
    is_bundle             INTEGER NOT NULL DEFAULT 0,
    -- member of some bundle and not deployable on its own: never listed
    bundled_only          INTEGER NOT NULL DEFAULT 0,
    is_superseded         INTEGER NOT NULL DEFAULT 0,
    declined              INTEGER NOT NULL DEFAULT 0,
    -- why: 'Expired' (expired upstream; cannot be approved again), 'Superseded' (cleanup), 'Administrator'
    declined_reason       TEXT,
    classification_id     TEXT,
    classification        TEXT NOT NULL DEFAULT '',
    products              TEXT NOT NULL DEFAULT '',
    languages             TEXT NOT NULL DEFAULT '',
    arrival_utc           TEXT NOT NULL,
    -- 0: not in All Software Updates (category, detectoid, bundle member);
    -- 1: listed by default; 2: listed only when expired updates are asked for
    listed                INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Every revision ever received, with its original XML (deflate), for history and for
-- serving downstream sites byte-for-byte later.
-- A rowid table: rows append in arrival order and pack densely (keyed by the random
-- UpdateID, the blobs split pages half-empty).
CREATE TABLE revisions (
    rev_pk       INTEGER PRIMARY KEY,
    update_id    TEXT NOT NULL,
    revision     INTEGER NOT NULL,
    xml_deflate  BLOB NOT NULL,
    received_utc TEXT NOT NULL,
    UNIQUE (update_id, revision)
) STRICT;

CREATE TABLE categories (
    category_id TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    parent_id   TEXT,
    -- 1 once an upstream sent the category's document; 0 for a well-known id known in advance
    synced      INTEGER NOT NULL DEFAULT 1,
    -- when its document first arrived (UTC): categories newer than the sync settings are "new"
    first_seen_utc TEXT
) STRICT;

CREATE TABLE localized_text (
    upd_pk        INTEGER NOT NULL REFERENCES updates(upd_pk) ON DELETE CASCADE,
    language      TEXT NOT NULL,
    title         TEXT NOT NULL,
    description   TEXT,
    more_info_url TEXT,
    support_url   TEXT,
    PRIMARY KEY (upd_pk, language)
) STRICT;

CREATE TABLE prerequisites (
    upd_pk       INTEGER NOT NULL REFERENCES updates(upd_pk) ON DELETE CASCADE,
    grp          INTEGER NOT NULL,
    target_id    TEXT NOT NULL,
    at_least_one INTEGER NOT NULL,
    is_category  INTEGER NOT NULL
) STRICT;
CREATE INDEX prerequisites_upd ON prerequisites(upd_pk);
CREATE INDEX prerequisites_target ON prerequisites(target_id);

-- Links of an update to its categories (a prerequisite whose target is a known category).
-- `listed` copies the update's, so per-category counts never read the updates table.
CREATE TABLE update_categories (
    upd_pk      INTEGER NOT NULL REFERENCES updates(upd_pk) ON DELETE CASCADE,
    category_id TEXT NOT NULL,
    listed      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (category_id, upd_pk)
) STRICT, WITHOUT ROWID;
CREATE INDEX update_categories_upd ON update_categories(upd_pk);

CREATE TABLE bundle_members (
    bundle_pk       INTEGER NOT NULL REFERENCES updates(upd_pk) ON DELETE CASCADE,
    member_id       TEXT NOT NULL,
    member_revision INTEGER,
    PRIMARY KEY (bundle_pk, member_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX bundle_members_member ON bundle_members(member_id);

CREATE TABLE supersedence (
    superseding_pk INTEGER NOT NULL REFERENCES updates(upd_pk) ON DELETE CASCADE,
    superseded_id  TEXT NOT NULL,
    PRIMARY KEY (superseding_pk, superseded_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX supersedence_superseded ON supersedence(superseded_id);

CREATE TABLE files (
    upd_pk        INTEGER NOT NULL REFERENCES updates(upd_pk) ON DELETE CASCADE,
    file_name     TEXT NOT NULL,
    size          INTEGER NOT NULL,
    modified      TEXT,
    sha1          TEXT NOT NULL,
    sha256        TEXT,
    patching_type TEXT,
    mu_url        TEXT,
    uss_url       TEXT
) STRICT;
CREATE INDEX files_upd ON files(upd_pk);
CREATE INDEX files_sha1 ON files(sha1);

-- Full-text search over titles (every language), description, KB, bulletin and CVE ids.
-- Every search is an AND of words, never a phrase, so positions are not stored
-- (detail = none): the index is a fraction of the size and matching is faster.
CREATE VIRTUAL TABLE update_search USING fts5(
    body, content = '', contentless_delete = 1, detail = none, tokenize = 'unicode61 remove_diacritics 2'
);

-- The grid's sort orders. `listed` leads so a page is an index range; the filter columns
-- (classification, superseded) ride along so a filtered page is decided inside the index,
-- without reading rows; upd_pk ends each one so paging is stable. Full indexes: SQLite
-- would not prove that `listed = 1` implies a partial index's WHERE clause.
CREATE INDEX updates_list_title    ON updates(listed, title, classification_id, is_superseded, upd_pk);
CREATE INDEX updates_list_kb       ON updates(listed, kb_article_id, classification_id, is_superseded, upd_pk);
CREATE INDEX updates_list_bulletin ON updates(listed, bulletin_id, classification_id, is_superseded, upd_pk);
CREATE INDEX updates_list_class    ON updates(listed, classification, classification_id, is_superseded, upd_pk);
CREATE INDEX updates_list_products ON updates(listed, products, classification_id, is_superseded, upd_pk);
CREATE INDEX updates_list_severity ON updates(listed, severity, classification_id, is_superseded, upd_pk);
CREATE INDEX updates_list_date     ON updates(listed, creation_date, classification_id, is_superseded, upd_pk);
CREATE INDEX updates_list_size     ON updates(listed, size, classification_id, is_superseded, upd_pk);
CREATE INDEX updates_list_revision ON updates(listed, revision, classification_id, is_superseded, upd_pk);
-- Counts of a filtered list.
CREATE INDEX updates_list_filter   ON updates(listed, classification_id, is_superseded);

-- Administration: the tables the next features fill.

-- Device collections (Configuration Manager) and computer groups (Intune style): one tree.
CREATE TABLE target_groups (
    group_id    INTEGER PRIMARY KEY,
    parent_id   INTEGER REFERENCES target_groups(group_id) ON DELETE RESTRICT,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_utc TEXT NOT NULL,
    UNIQUE (parent_id, name)
) STRICT;

CREATE TABLE update_groups (
    group_id    INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_utc TEXT NOT NULL
) STRICT;

CREATE TABLE update_group_members (
    group_id INTEGER NOT NULL REFERENCES update_groups(group_id) ON DELETE CASCADE,
    upd_pk   INTEGER NOT NULL REFERENCES updates(upd_pk) ON DELETE CASCADE,
    PRIMARY KEY (group_id, upd_pk)
) STRICT, WITHOUT ROWID;

-- Approvals and deployments are one thing: what (an update or an update group) to which
-- target group, with an action and times.
CREATE TABLE assignments (
    assignment_id   INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    upd_pk          INTEGER REFERENCES updates(upd_pk) ON DELETE CASCADE,
    update_group_id INTEGER REFERENCES update_groups(group_id) ON DELETE CASCADE,
    target_group_id INTEGER NOT NULL REFERENCES target_groups(group_id) ON DELETE RESTRICT,
    action          TEXT NOT NULL CHECK (action IN ('Required', 'Available', 'DoNotInstall', 'Uninstall')),
    available_utc   TEXT,
    deadline_utc    TEXT,
    settings_json   TEXT NOT NULL DEFAULT '{}',
    enabled         INTEGER NOT NULL DEFAULT 1,
    created_utc     TEXT NOT NULL,
    CHECK ((upd_pk IS NULL) <> (update_group_id IS NULL))
) STRICT;
CREATE INDEX assignments_target ON assignments(target_group_id);

CREATE TABLE sync_runs (
    run_id        INTEGER PRIMARY KEY,
    started_utc   TEXT NOT NULL,
    ended_utc     TEXT,
    state         TEXT NOT NULL,
    upstream      TEXT NOT NULL DEFAULT '',
    error         TEXT,
    anchor        TEXT,
    fetched_count INTEGER NOT NULL DEFAULT 0,
    new_count     INTEGER NOT NULL DEFAULT 0,
    changed_count INTEGER NOT NULL DEFAULT 0,
    expired_count INTEGER NOT NULL DEFAULT 0,
    removed_count INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE sync_log (
    run_id  INTEGER NOT NULL REFERENCES sync_runs(run_id) ON DELETE CASCADE,
    at_utc  TEXT NOT NULL,
    level   TEXT NOT NULL,
    message TEXT NOT NULL
) STRICT;
CREATE INDEX sync_log_run ON sync_log(run_id);

-- Child sites that synchronize from this one (SYNC-1): told to synchronize when this
-- site's own synchronization succeeds. The token is the child's API token.
CREATE TABLE child_sites (
    url               TEXT PRIMARY KEY,
    token             TEXT NOT NULL,
    registered_utc    TEXT NOT NULL,
    last_notified_utc TEXT,
    last_result       TEXT
) STRICT;

CREATE TABLE audit_log (
    audit_id INTEGER PRIMARY KEY,
    at_utc   TEXT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    target   TEXT NOT NULL,
    detail   TEXT NOT NULL DEFAULT ''
) STRICT;

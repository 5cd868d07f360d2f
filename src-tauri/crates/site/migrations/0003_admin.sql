-- Patchdeck site database, schema 3: administration (groups, computers, assignments, saved searches).

-- The root of the target-group tree. Every other group descends from it.
INSERT OR IGNORE INTO target_groups (group_id, parent_id, name, description, created_utc)
VALUES (1, NULL, 'All Computers', 'Every managed computer.', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

-- An assignment is an Approval (Intune style: one update, one group, at most one per pair)
-- or a Deployment (Configuration Manager style: an update group to a collection, with its
-- wizard settings in settings_json).
ALTER TABLE assignments ADD COLUMN kind TEXT NOT NULL DEFAULT 'Approval' CHECK (kind IN ('Approval', 'Deployment'));
ALTER TABLE assignments ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE assignments ADD COLUMN modified_utc TEXT NOT NULL DEFAULT '';
ALTER TABLE assignments ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX assignments_approval ON assignments(upd_pk, target_group_id) WHERE kind = 'Approval';
CREATE INDEX assignments_update ON assignments(upd_pk);
CREATE INDEX assignments_update_group ON assignments(update_group_id);
CREATE INDEX update_group_members_update ON update_group_members(upd_pk);

-- Managed computers arrive with the client protocol; the model exists now.
CREATE TABLE computers (
    computer_id   INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    os            TEXT NOT NULL DEFAULT '',
    last_seen_utc TEXT
) STRICT;

CREATE TABLE computer_group_members (
    group_id    INTEGER NOT NULL REFERENCES target_groups(group_id) ON DELETE CASCADE,
    computer_id INTEGER NOT NULL REFERENCES computers(computer_id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, computer_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX computer_group_members_computer ON computer_group_members(computer_id);

-- What each computer reported for each update (the "report data" a decline deletes).
CREATE TABLE update_states (
    computer_id  INTEGER NOT NULL REFERENCES computers(computer_id) ON DELETE CASCADE,
    upd_pk       INTEGER NOT NULL REFERENCES updates(upd_pk) ON DELETE CASCADE,
    state        TEXT NOT NULL CHECK (state IN ('Required', 'Installed', 'NotRequired', 'Failed')),
    reported_utc TEXT NOT NULL,
    PRIMARY KEY (upd_pk, computer_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX update_states_computer ON update_states(computer_id);

-- Per-update counts the grid shows on every row: kept on the update by triggers, so a page
-- never aggregates report rows. Writers change a state with INSERT ... ON CONFLICT DO UPDATE,
-- never INSERT OR REPLACE: REPLACE's implicit delete fires no trigger (recursive_triggers
-- is off), and the counts would drift.
ALTER TABLE updates ADD COLUMN required_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE updates ADD COLUMN installed_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE updates ADD COLUMN not_required_count INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER update_states_counted AFTER INSERT ON update_states BEGIN
    UPDATE updates SET required_count = required_count + (NEW.state = 'Required'),
                       installed_count = installed_count + (NEW.state = 'Installed'),
                       not_required_count = not_required_count + (NEW.state = 'NotRequired')
    WHERE upd_pk = NEW.upd_pk;
END;
CREATE TRIGGER update_states_uncounted AFTER DELETE ON update_states BEGIN
    UPDATE updates SET required_count = required_count - (OLD.state = 'Required'),
                       installed_count = installed_count - (OLD.state = 'Installed'),
                       not_required_count = not_required_count - (OLD.state = 'NotRequired')
    WHERE upd_pk = OLD.upd_pk;
END;
CREATE TRIGGER update_states_recounted AFTER UPDATE OF state, upd_pk ON update_states BEGIN
    UPDATE updates SET required_count = required_count - (OLD.state = 'Required'),
                       installed_count = installed_count - (OLD.state = 'Installed'),
                       not_required_count = not_required_count - (OLD.state = 'NotRequired')
    WHERE upd_pk = OLD.upd_pk;
    UPDATE updates SET required_count = required_count + (NEW.state = 'Required'),
                       installed_count = installed_count + (NEW.state = 'Installed'),
                       not_required_count = not_required_count + (NEW.state = 'NotRequired')
    WHERE upd_pk = NEW.upd_pk;
END;

-- Declined updates get their own `listed` value, 3, so default views skip them through the
-- existing sort indexes (all led by `listed`) and the Declined view is one index range.
-- Kept by trigger so every writer of `declined` (admin decline, cleanup, approval) agrees.
CREATE TRIGGER updates_declined_listed AFTER UPDATE OF declined ON updates
WHEN NEW.declined <> OLD.declined BEGIN
    UPDATE updates SET listed = CASE
            WHEN NEW.declined = 1 AND NEW.listed IN (1, 2) THEN 3
            WHEN NEW.declined = 0 AND NEW.listed = 3 THEN
                CASE WHEN NEW.publication_state = 'Expired' THEN 2 ELSE 1 END
            ELSE NEW.listed END
    WHERE upd_pk = NEW.upd_pk;
END;
-- Category links copy `listed` (per-category counts never read the updates table).
CREATE TRIGGER updates_listed_links AFTER UPDATE OF listed ON updates
WHEN NEW.listed <> OLD.listed BEGIN
    UPDATE update_categories SET listed = NEW.listed WHERE upd_pk = NEW.upd_pk;
END;
-- Sites that declined updates before schema 3 (cleanup) hide them now.
UPDATE updates SET listed = 3 WHERE declined = 1 AND listed IN (1, 2);

CREATE TABLE saved_searches (
    search_id   INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    query_json  TEXT NOT NULL,
    created_utc TEXT NOT NULL
) STRICT;

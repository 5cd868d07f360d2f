-- Patchdeck site database, schema 6: automation (automatic deployment rules, auto-approval
-- rules, offered categories, update agent policies). Append-only: never edit once landed.

-- Automatic deployment rules (ADR-1..5). The wizard's values are kept whole as the AdrSpec
-- wire JSON; what runs create is kept in columns so deletes and joins stay relational.
CREATE TABLE adr_rules (
    rule_id         INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
    enabled         INTEGER NOT NULL DEFAULT 1,
    spec_json       TEXT NOT NULL,
    -- the group the next run adds to (AddToExistingGroup), or the last one a run created
    update_group_id INTEGER REFERENCES update_groups(group_id) ON DELETE SET NULL,
    package_id      INTEGER REFERENCES packages(package_id) ON DELETE SET NULL,
    created_utc     TEXT NOT NULL,
    modified_utc    TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    -- the last scheduled evaluation that was due and ran (or was skipped), UTC
    last_evaluated_utc TEXT
) STRICT;

-- Deployments (assignments of kind Deployment) a rule created: `slot` is the index of the
-- rule's deployment spec that made it, so the next run updates it rather than adding one.
CREATE TABLE adr_deployments (
    rule_id       INTEGER NOT NULL REFERENCES adr_rules(rule_id) ON DELETE CASCADE,
    slot          INTEGER NOT NULL,
    assignment_id INTEGER NOT NULL REFERENCES assignments(assignment_id) ON DELETE CASCADE,
    update_group_id INTEGER NOT NULL,
    PRIMARY KEY (rule_id, slot, update_group_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX adr_deployments_assignment ON adr_deployments(assignment_id);

CREATE TABLE adr_runs (
    run_id          INTEGER PRIMARY KEY,
    rule_id         INTEGER NOT NULL REFERENCES adr_rules(rule_id) ON DELETE CASCADE,
    rule_name       TEXT NOT NULL,
    trigger_kind    TEXT NOT NULL CHECK (trigger_kind IN ('Manual', 'Schedule', 'AfterSync')),
    state           TEXT NOT NULL CHECK (state IN ('Running', 'Succeeded', 'NothingSelected', 'Failed')),
    started_utc     TEXT NOT NULL,
    ended_utc       TEXT,
    selected        INTEGER NOT NULL DEFAULT 0,
    added           INTEGER NOT NULL DEFAULT 0,
    downloaded      INTEGER NOT NULL DEFAULT 0,
    deployments     INTEGER NOT NULL DEFAULT 0,
    update_group_id INTEGER,
    error           TEXT
) STRICT;
CREATE INDEX adr_runs_rule ON adr_runs(rule_id, run_id);

CREATE TABLE adr_run_log (
    run_id  INTEGER NOT NULL REFERENCES adr_runs(run_id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    at_utc  TEXT NOT NULL,
    level   TEXT NOT NULL CHECK (level IN ('Info', 'Warning', 'Error')),
    message TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
) STRICT, WITHOUT ROWID;

-- Auto-approval rules (APR-5). Approvals they write are ordinary approvals (assignments of
-- kind Approval, created_by 'rule:<name>'), so deleting a rule keeps them.
CREATE TABLE approval_rules (
    rule_id            INTEGER PRIMARY KEY,
    name               TEXT NOT NULL UNIQUE COLLATE NOCASE,
    enabled            INTEGER NOT NULL DEFAULT 1,
    spec_json          TEXT NOT NULL,
    approvals_made     INTEGER NOT NULL DEFAULT 0,
    last_applied_utc   TEXT,
    created_utc        TEXT NOT NULL,
    modified_utc       TEXT NOT NULL,
    created_by         TEXT NOT NULL
) STRICT;

-- Update agent policies (POL-1) and the computer groups they are deployed to (POL-2): a
-- group has at most one policy of its own; children inherit it as approvals are inherited.
CREATE TABLE agent_policies (
    policy_id     INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description   TEXT NOT NULL DEFAULT '',
    settings_json TEXT NOT NULL,
    created_utc   TEXT NOT NULL,
    modified_utc  TEXT NOT NULL,
    created_by    TEXT NOT NULL
) STRICT;

CREATE TABLE agent_policy_groups (
    group_id  INTEGER PRIMARY KEY REFERENCES target_groups(group_id) ON DELETE CASCADE,
    policy_id INTEGER NOT NULL REFERENCES agent_policies(policy_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX agent_policy_groups_policy ON agent_policy_groups(policy_id);

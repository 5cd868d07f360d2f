-- Patchdeck site database, schema 8: what Windows Update Agents report (issue 12).
-- Append-only: never edit a migration once landed.

-- The client's own state of an update, beside the coarse `state` the per-update counts read
-- (0003's triggers). `status` is one of NotApplicable, Needed, Downloaded, Installed,
-- InstalledPendingRestart, Failed; an update a computer never reported has no row (Unknown).
-- The coarse state follows it: NotApplicable -> NotRequired; Needed, Downloaded and
-- InstalledPendingRestart -> Required (the computer still needs something: the install or the
-- restart, as WSUS counts them "needed"); Installed -> Installed; Failed -> Failed.
ALTER TABLE update_states ADD COLUMN status TEXT NOT NULL DEFAULT '';
-- The Win32 HRESULT of the last failure the client reported for this update, as hex text.
ALTER TABLE update_states ADD COLUMN last_error TEXT;

-- Every event a client reported, once: the primary key is the client's EventInstanceID, so a
-- batch sent twice (the client did not see our answer) is counted once.
CREATE TABLE client_events (
    computer_id       INTEGER NOT NULL REFERENCES computers(computer_id) ON DELETE CASCADE,
    event_instance_id TEXT NOT NULL,
    event_id          INTEGER NOT NULL,
    -- the update the event is about, when the site holds it
    upd_pk            INTEGER REFERENCES updates(upd_pk) ON DELETE SET NULL,
    win32_hresult     INTEGER NOT NULL DEFAULT 0,
    time_utc          TEXT NOT NULL,
    received_utc      TEXT NOT NULL,
    PRIMARY KEY (computer_id, event_instance_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX client_events_update ON client_events(upd_pk) WHERE upd_pk IS NOT NULL;

-- The last scan error a client reported (event 148), shown in the computer's Properties;
-- NULL once a later scan succeeded. The client-side target group it asked for, if any.
ALTER TABLE computers ADD COLUMN last_scan_error TEXT;
ALTER TABLE computers ADD COLUMN target_group_name TEXT;
-- The non-leaf revisions (categories, detectoids) the computer found installed at its last
-- complete scan, as comma-separated revision ids: what it was offered follows from them, so
-- its status report (event 156) tells Not applicable from No status.
ALTER TABLE computers ADD COLUMN scan_installed_non_leaf TEXT NOT NULL DEFAULT '';

-- Patchdeck site database, schema 14: offline servicing of OS images (issue 17, SRV-1..7).
-- Append-only: never edit a migration once landed.

-- One Schedule Updates run on an image: the updates chosen, when, and how it went.
CREATE TABLE servicing_runs (
    run_id            INTEGER PRIMARY KEY,
    image_id          INTEGER NOT NULL REFERENCES os_images(image_id) ON DELETE CASCADE,
    scheduled_utc     TEXT NOT NULL,
    continue_on_error INTEGER NOT NULL,
    redistribute      INTEGER NOT NULL,
    state             TEXT NOT NULL
        CHECK (state IN ('Scheduled', 'InProgress', 'Successful', 'Failed', 'Cancelled', 'Interrupted')),
    detail            TEXT NOT NULL DEFAULT '',
    created_utc       TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    started_utc       TEXT,
    finished_utc      TEXT,
    -- where the copy is serviced; removed when the run ends, whatever the outcome
    working_folder    TEXT NOT NULL DEFAULT '',
    -- the image before, after DISM's commits (a copy with the new payload appended), after export
    bytes_before      INTEGER,
    bytes_committed   INTEGER,
    bytes_after       INTEGER
) STRICT;
CREATE INDEX servicing_runs_image ON servicing_runs(image_id, run_id);
CREATE INDEX servicing_runs_due ON servicing_runs(state, scheduled_utc) WHERE state IN ('Scheduled', 'InProgress');

-- The updates a run applies, in the order chosen.
CREATE TABLE servicing_run_updates (
    run_id    INTEGER NOT NULL REFERENCES servicing_runs(run_id) ON DELETE CASCADE,
    ord       INTEGER NOT NULL,
    update_id TEXT NOT NULL,
    title     TEXT NOT NULL,
    kb        TEXT NOT NULL DEFAULT '',
    state     TEXT NOT NULL CHECK (state IN ('Pending', 'Installed', 'Failed', 'NotApplied')),
    detail    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, ord)
) STRICT, WITHOUT ROWID;

-- The servicing log of a run, and DISM's own log lines kept after its working folder is gone.
CREATE TABLE servicing_log (
    run_id INTEGER NOT NULL REFERENCES servicing_runs(run_id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    at_utc TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('Servicing', 'DISM')),
    line   TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
) STRICT, WITHOUT ROWID;

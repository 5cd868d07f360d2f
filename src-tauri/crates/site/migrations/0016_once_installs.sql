-- Patchdeck site database, schema 16: "install once per computer" (issue 16).
-- Append-only: never edit a migration once landed.

-- A published update whose detection is "install once per computer" has the never-true
-- IsInstalled rule: a Windows Update Agent finds it not installed after every install, so
-- only the site can remember that it ran. One row per computer and revision the computer
-- reported installed successfully; from then on that computer is offered the revision for
-- detection only and its state stays Installed. A new revision (Edit) has no row: a new
-- install.
CREATE TABLE once_installs (
    computer_id   INTEGER NOT NULL REFERENCES computers(computer_id) ON DELETE CASCADE,
    rev_pk        INTEGER NOT NULL REFERENCES revisions(rev_pk) ON DELETE CASCADE,
    -- the event that said so (183, 184, 190, 191, 197, 199 or 203) and when it arrived
    event_id      INTEGER NOT NULL,
    installed_utc TEXT NOT NULL,
    PRIMARY KEY (computer_id, rev_pk)
) STRICT, WITHOUT ROWID;

-- Patchdeck site database, schema 12: locally published (third-party) updates (issue 16).
-- Append-only: never edit a migration once landed.

-- One row per third-party update published at this site: what the Upload Update wizard was
-- given (to edit it as a new revision) and the signed cabinet its content travels in (a
-- `content` row). Microsoft's updates never have a row here: only these can be edited or
-- deleted.
CREATE TABLE third_party_updates (
    update_id      TEXT PRIMARY KEY,
    revision       INTEGER NOT NULL,
    title          TEXT NOT NULL,
    vendor         TEXT NOT NULL,
    product        TEXT NOT NULL,
    -- Package, Patch or Executable
    installer_kind TEXT NOT NULL,
    installer_file TEXT NOT NULL,
    -- the signed cabinet: content.sha1 (base64) and its size
    cab_sha1       TEXT NOT NULL,
    cab_size       INTEGER NOT NULL,
    -- JSON of the wire type ThirdPartySpec the wizard sent
    spec           TEXT NOT NULL,
    published_utc  TEXT NOT NULL,
    published_by   TEXT NOT NULL
) STRICT, WITHOUT ROWID;

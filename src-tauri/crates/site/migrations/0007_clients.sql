-- Patchdeck site database, schema 7: computers as Windows Update Agents register them (issue 12).
-- Append-only: never edit a migration once landed.

-- What a client tells about itself at RegisterComputer, and when it was last heard from.
-- `name` (0003) holds the DNS name; `os` the client's OS description.
ALTER TABLE computers ADD COLUMN client_id TEXT;
ALTER TABLE computers ADD COLUMN dns_name TEXT NOT NULL DEFAULT '';
ALTER TABLE computers ADD COLUMN os_version TEXT NOT NULL DEFAULT '';
ALTER TABLE computers ADD COLUMN architecture TEXT NOT NULL DEFAULT '';
ALTER TABLE computers ADD COLUMN ip_address TEXT NOT NULL DEFAULT '';
ALTER TABLE computers ADD COLUMN client_version TEXT NOT NULL DEFAULT '';
ALTER TABLE computers ADD COLUMN first_seen_utc TEXT;
ALTER TABLE computers ADD COLUMN last_scan_utc TEXT;
ALTER TABLE computers ADD COLUMN last_report_utc TEXT;

-- One row per client id; computers written before clients existed have none.
CREATE UNIQUE INDEX computers_client_id ON computers(client_id) WHERE client_id IS NOT NULL;

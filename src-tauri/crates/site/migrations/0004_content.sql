-- Patchdeck site database, schema 4: content library, deployment packages, distribution points.
-- Append-only: never edit a migration once landed.

-- One row per file held in the content library, verified against the catalog's digests.
-- sha1 and sha256 are base64, as in files.sha1/files.sha256, so the two join directly.
CREATE TABLE content (
    sha1           TEXT PRIMARY KEY,
    sha256         TEXT,
    size           INTEGER NOT NULL,
    file_name      TEXT NOT NULL,
    -- relative to the content library: <XX>/<SHA1HEX>.<ext>
    path           TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('Downloaded')),
    downloaded_utc TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Deployment packages: named sets of update files.
CREATE TABLE packages (
    package_id  INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_utc TEXT NOT NULL
) STRICT;

-- The files a package holds, whether downloaded yet or not (content row present = downloaded).
CREATE TABLE package_content (
    package_id INTEGER NOT NULL REFERENCES packages(package_id) ON DELETE CASCADE,
    sha1       TEXT NOT NULL,
    update_id  TEXT NOT NULL,
    PRIMARY KEY (package_id, sha1)
) STRICT, WITHOUT ROWID;
CREATE INDEX package_content_sha1 ON package_content(sha1);

CREATE TABLE distribution_points (
    dp_id       INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('Folder', 'Remote')),
    -- a folder path, or the address of a remote `patchdeck serve`
    location    TEXT NOT NULL,
    token       TEXT NOT NULL DEFAULT '',
    created_utc TEXT NOT NULL
) STRICT;

CREATE TABLE package_distribution (
    package_id  INTEGER NOT NULL REFERENCES packages(package_id) ON DELETE CASCADE,
    dp_id       INTEGER NOT NULL REFERENCES distribution_points(dp_id) ON DELETE CASCADE,
    state       TEXT NOT NULL CHECK (state IN ('Pending', 'InProgress', 'Installed', 'Failed')),
    detail      TEXT NOT NULL DEFAULT '',
    updated_utc TEXT NOT NULL,
    PRIMARY KEY (package_id, dp_id)
) STRICT, WITHOUT ROWID;

-- Download jobs survive a restart: a job left Running by a killed process is resumed with
-- resume_download, continuing each file's .partial download.
CREATE TABLE download_jobs (
    job_id       INTEGER PRIMARY KEY,
    package_id   INTEGER NOT NULL REFERENCES packages(package_id) ON DELETE CASCADE,
    -- JSON of the DownloadSource wire type
    source       TEXT NOT NULL,
    languages    TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL CHECK (state IN ('Running', 'Succeeded', 'Failed', 'Cancelled')),
    actor        TEXT NOT NULL,
    created_utc  TEXT NOT NULL,
    finished_utc TEXT,
    error        TEXT
) STRICT;

CREATE TABLE download_files (
    job_id       INTEGER NOT NULL REFERENCES download_jobs(job_id) ON DELETE CASCADE,
    sha1         TEXT NOT NULL,
    sha256       TEXT,
    file_name    TEXT NOT NULL,
    update_id    TEXT NOT NULL,
    update_title TEXT NOT NULL,
    size         INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('Pending', 'Downloading', 'Downloaded', 'Failed')),
    bytes_done   INTEGER NOT NULL DEFAULT 0,
    error        TEXT,
    PRIMARY KEY (job_id, sha1)
) STRICT, WITHOUT ROWID;

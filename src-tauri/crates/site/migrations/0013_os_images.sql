-- Patchdeck site database, schema 13: OS images and OS upgrade packages (issue 17).
-- Append-only: never edit a migration once landed.

-- One row per OS image (a .wim file) or OS upgrade package (a setup folder whose
-- sources/install.wim or .esd is the image). Names are unique within each kind.
CREATE TABLE os_images (
    image_id     INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('Image', 'UpgradePackage')),
    name         TEXT NOT NULL,
    version      TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT '',
    -- the .wim file or the setup folder, as given (absolute, on the site's machine)
    source_path  TEXT NOT NULL,
    -- the WIM read: the file itself or the folder's install image
    wim_path     TEXT NOT NULL,
    file_bytes   INTEGER NOT NULL,
    created_utc  TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    UNIQUE (kind, name)
) STRICT;

-- Every image index the WIM holds, as wimlib reads it.
CREATE TABLE os_image_indexes (
    image_id         INTEGER NOT NULL REFERENCES os_images(image_id) ON DELETE CASCADE,
    idx              INTEGER NOT NULL,
    name             TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    edition          TEXT NOT NULL DEFAULT '',
    architecture     TEXT NOT NULL DEFAULT '',
    version          TEXT NOT NULL DEFAULT '',
    -- comma-separated, in the image's order
    languages        TEXT NOT NULL DEFAULT '',
    default_language TEXT NOT NULL DEFAULT '',
    total_bytes      INTEGER NOT NULL,
    PRIMARY KEY (image_id, idx)
) STRICT, WITHOUT ROWID;

-- The servicing packages each index holds (Windows\servicing\Packages): those present at
-- import (source 'Import') and, later, those each servicing run applied.
CREATE TABLE os_image_packages (
    image_id      INTEGER NOT NULL,
    idx           INTEGER NOT NULL,
    identity      TEXT NOT NULL,
    name          TEXT NOT NULL,
    version       TEXT NOT NULL,
    architecture  TEXT NOT NULL DEFAULT '',
    language      TEXT NOT NULL DEFAULT '',
    -- 'KB5026368', or NULL for packages of no update
    kb            TEXT,
    release_type  TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL,
    added_utc     TEXT NOT NULL,
    PRIMARY KEY (image_id, idx, identity),
    FOREIGN KEY (image_id, idx) REFERENCES os_image_indexes(image_id, idx) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE INDEX os_image_packages_kb ON os_image_packages(kb) WHERE kb IS NOT NULL;

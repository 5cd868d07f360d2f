-- Patchdeck site database, schema 15: OS images and OS upgrade packages on distribution
-- points (issue 17, OSP-2). Append-only: never edit a migration once landed.

-- The image file's digests, computed once by streaming the file and kept with the size and
-- modification time they were computed for: a file changed since (a servicing run swapped
-- it) is hashed again before it is sent anywhere.
ALTER TABLE os_images ADD COLUMN sha1 TEXT;
ALTER TABLE os_images ADD COLUMN sha256 TEXT;
ALTER TABLE os_images ADD COLUMN digest_of TEXT;

-- One row per image and distribution point it was sent to.
CREATE TABLE os_image_distribution (
    image_id    INTEGER NOT NULL REFERENCES os_images(image_id) ON DELETE CASCADE,
    dp_id       INTEGER NOT NULL REFERENCES distribution_points(dp_id) ON DELETE CASCADE,
    state       TEXT NOT NULL CHECK (state IN ('InProgress', 'Installed', 'Failed')),
    detail      TEXT NOT NULL DEFAULT '',
    -- where the image is on the point, under its Content/ folder
    path        TEXT NOT NULL DEFAULT '',
    updated_utc TEXT NOT NULL,
    PRIMARY KEY (image_id, dp_id)
) STRICT, WITHOUT ROWID;

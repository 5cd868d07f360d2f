-- Patchdeck site database, schema 17: the files of an OS upgrade package's setup folder
-- (issue 17, OSP-2). Append-only: never edit a migration once landed.

-- Each file's digests, computed once by streaming it and kept with the size and modification
-- time they describe (as os_images.digest_of does for an image file): the folder goes to a
-- distribution point file by file, and a file changed since (a servicing run swapped
-- sources/install.wim) is hashed again before it is sent.
CREATE TABLE os_image_files (
    image_id  INTEGER NOT NULL REFERENCES os_images(image_id) ON DELETE CASCADE,
    -- relative to the folder, '/'-separated: setup.exe, sources/install.wim
    rel_path  TEXT NOT NULL,
    size      INTEGER NOT NULL,
    sha1      TEXT NOT NULL,
    sha256    TEXT NOT NULL,
    digest_of TEXT NOT NULL,
    PRIMARY KEY (image_id, rel_path)
) STRICT, WITHOUT ROWID;

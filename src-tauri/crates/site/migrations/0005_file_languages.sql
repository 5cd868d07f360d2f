-- Patchdeck site database, schema 5: the languages of language-specific update files.
-- Append-only: never edit a migration once landed.

-- `File/Language` of the update XML, lower case, comma-separated ("fr,de"); '' for a
-- language-neutral file. A content download keeps neutral files and those of the chosen
-- languages. Files imported before this migration read as neutral until re-imported.
ALTER TABLE files ADD COLUMN languages TEXT NOT NULL DEFAULT '';

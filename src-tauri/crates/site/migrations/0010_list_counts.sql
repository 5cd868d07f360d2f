-- Row counts of All Software Updates' filters, kept by triggers so a new filter's count is
-- one small index read, never a walk of half a million index entries on first use.
-- A count is per (listed, superseded, classification): every filter the grid combines
-- without a search, a group or deployment is a sum of these rows. '' is "no classification".
CREATE TABLE list_counts (
    listed            INTEGER NOT NULL,
    is_superseded     INTEGER NOT NULL,
    classification_id TEXT NOT NULL,
    n                 INTEGER NOT NULL,
    PRIMARY KEY (listed, is_superseded, classification_id)
) STRICT, WITHOUT ROWID;

-- The same per category (product) an update links to. An update in two chosen products
-- would be counted twice, so only a one-product filter is answered from here.
CREATE TABLE category_counts (
    category_id       TEXT NOT NULL,
    listed            INTEGER NOT NULL,
    is_superseded     INTEGER NOT NULL,
    classification_id TEXT NOT NULL,
    n                 INTEGER NOT NULL,
    PRIMARY KEY (category_id, listed, is_superseded, classification_id)
) STRICT, WITHOUT ROWID;

INSERT INTO list_counts
    SELECT listed, is_superseded, coalesce(classification_id, ''), count(*) FROM updates
    GROUP BY 1, 2, 3;
INSERT INTO category_counts
    SELECT uc.category_id, u.listed, u.is_superseded, coalesce(u.classification_id, ''), count(*)
    FROM update_categories uc JOIN updates u USING (upd_pk)
    GROUP BY 1, 2, 3, 4;

-- "WHERE true" after a SELECT in an upsert: SQLite's parser needs it to tell ON CONFLICT
-- from a join's ON.
CREATE TRIGGER list_counts_insert AFTER INSERT ON updates BEGIN
    INSERT INTO list_counts VALUES (NEW.listed, NEW.is_superseded, coalesce(NEW.classification_id, ''), 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER list_counts_delete AFTER DELETE ON updates BEGIN
    UPDATE list_counts SET n = n - 1
    WHERE listed = OLD.listed AND is_superseded = OLD.is_superseded
      AND classification_id = coalesce(OLD.classification_id, '');
END;
-- Only a real change moves counts: the import rewrites every derived column of a touched
-- update, most often to the values it had.
CREATE TRIGGER list_counts_update AFTER UPDATE OF listed, is_superseded, classification_id ON updates
WHEN NEW.listed IS NOT OLD.listed OR NEW.is_superseded IS NOT OLD.is_superseded
  OR NEW.classification_id IS NOT OLD.classification_id BEGIN
    UPDATE list_counts SET n = n - 1
    WHERE listed = OLD.listed AND is_superseded = OLD.is_superseded
      AND classification_id = coalesce(OLD.classification_id, '');
    INSERT INTO list_counts VALUES (NEW.listed, NEW.is_superseded, coalesce(NEW.classification_id, ''), 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
    UPDATE category_counts SET n = n - 1
    WHERE listed = OLD.listed AND is_superseded = OLD.is_superseded
      AND classification_id = coalesce(OLD.classification_id, '')
      AND category_id IN (SELECT category_id FROM update_categories WHERE upd_pk = NEW.upd_pk);
    INSERT INTO category_counts
        SELECT category_id, NEW.listed, NEW.is_superseded, coalesce(NEW.classification_id, ''), 1
        FROM update_categories WHERE upd_pk = NEW.upd_pk AND true
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER category_counts_insert AFTER INSERT ON update_categories BEGIN
    INSERT INTO category_counts
        SELECT NEW.category_id, listed, is_superseded, coalesce(classification_id, ''), 1
        FROM updates WHERE upd_pk = NEW.upd_pk AND true
        ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- An update's links go before the update does, while its row still says what to uncount
-- (the ON DELETE CASCADE would remove them after, when the row is gone).
CREATE TRIGGER category_counts_unlink BEFORE DELETE ON updates BEGIN
    DELETE FROM update_categories WHERE upd_pk = OLD.upd_pk;
END;
CREATE TRIGGER category_counts_delete AFTER DELETE ON update_categories BEGIN
    UPDATE category_counts SET n = n - 1
    WHERE (category_id, listed, is_superseded, classification_id) IN (
        SELECT OLD.category_id, listed, is_superseded, coalesce(classification_id, '')
        FROM updates WHERE upd_pk = OLD.upd_pk);
END;
CREATE TRIGGER category_counts_relink AFTER UPDATE OF category_id, upd_pk ON update_categories
WHEN NEW.category_id IS NOT OLD.category_id OR NEW.upd_pk IS NOT OLD.upd_pk BEGIN
    UPDATE category_counts SET n = n - 1
    WHERE (category_id, listed, is_superseded, classification_id) IN (
        SELECT OLD.category_id, listed, is_superseded, coalesce(classification_id, '')
        FROM updates WHERE upd_pk = OLD.upd_pk);
    INSERT INTO category_counts
        SELECT NEW.category_id, listed, is_superseded, coalesce(classification_id, ''), 1
        FROM updates WHERE upd_pk = NEW.upd_pk AND true
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

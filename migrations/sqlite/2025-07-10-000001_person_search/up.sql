-- Substring search on persons without scanning them: an FTS5 trigram index over the folded
-- search text (PostgreSQL has pg_trgm for the same). FTS5 rows are keyed by integer rowid
-- and a text-keyed table's rowids may change on VACUUM, so a small key table gives each
-- person a stable rowid. Triggers keep both exact for every writer.
CREATE TABLE persons_search_keys (
    rowid INTEGER PRIMARY KEY,
    person_id TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE persons_search USING fts5(search_text, tokenize = 'trigram');
INSERT INTO persons_search_keys (person_id) SELECT id FROM persons;
INSERT INTO persons_search (rowid, search_text)
SELECT k.rowid, p.search_text FROM persons_search_keys k JOIN persons p ON p.id = k.person_id;
CREATE TRIGGER persons_search_insert AFTER INSERT ON persons BEGIN
    INSERT INTO persons_search_keys (person_id) VALUES (NEW.id);
    INSERT INTO persons_search (rowid, search_text)
    VALUES ((SELECT rowid FROM persons_search_keys WHERE person_id = NEW.id), NEW.search_text);
END;
CREATE TRIGGER persons_search_update AFTER UPDATE OF search_text ON persons
WHEN NEW.search_text IS NOT OLD.search_text BEGIN
    UPDATE persons_search SET search_text = NEW.search_text
    WHERE rowid = (SELECT rowid FROM persons_search_keys WHERE person_id = NEW.id);
END;
CREATE TRIGGER persons_search_delete AFTER DELETE ON persons BEGIN
    DELETE FROM persons_search WHERE rowid = (SELECT rowid FROM persons_search_keys WHERE person_id = OLD.id);
    DELETE FROM persons_search_keys WHERE person_id = OLD.id;
END;

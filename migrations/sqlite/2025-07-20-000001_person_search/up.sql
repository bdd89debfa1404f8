-- Person search (`q`, issue 25): an FTS5 index of the folded name tokens (name, other
-- names, ID number), with the commune, province and status as columns of their own, so a
-- scoped search ("nguyen" in province 52, under management) intersects inside the index
-- instead of joining every "nguyen" of the country. Triggers keep it in the transaction of
-- the write that changes a person. `person_search` gives each person a stable integer key:
-- the rowids of `persons` (a text primary key) may change under VACUUM (INTO).
CREATE TABLE person_search (
    docid INTEGER PRIMARY KEY,
    person_id TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE person_fts USING fts5(
    name, unit, province, status,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
INSERT INTO person_search(person_id) SELECT id FROM persons ORDER BY id;
INSERT INTO person_fts(rowid, name, unit, province, status)
    SELECT s.docid, p.search_text, p.unit_code, p.province_code, replace(p.status, '_', '')
    FROM person_search s JOIN persons p ON p.id = s.person_id;

CREATE TRIGGER persons_search_insert AFTER INSERT ON persons BEGIN
    INSERT INTO person_search(person_id) VALUES (NEW.id);
    INSERT INTO person_fts(rowid, name, unit, province, status)
        SELECT docid, NEW.search_text, NEW.unit_code, NEW.province_code, replace(NEW.status, '_', '')
        FROM person_search WHERE person_id = NEW.id;
END;
CREATE TRIGGER persons_search_update AFTER UPDATE OF search_text, unit_code, province_code, status ON persons
WHEN OLD.search_text IS NOT NEW.search_text OR OLD.unit_code IS NOT NEW.unit_code
    OR OLD.province_code IS NOT NEW.province_code OR OLD.status IS NOT NEW.status
BEGIN
    DELETE FROM person_fts WHERE rowid = (SELECT docid FROM person_search WHERE person_id = OLD.id);
    INSERT INTO person_fts(rowid, name, unit, province, status)
        SELECT docid, NEW.search_text, NEW.unit_code, NEW.province_code, replace(NEW.status, '_', '')
        FROM person_search WHERE person_id = NEW.id;
END;
CREATE TRIGGER persons_search_delete AFTER DELETE ON persons BEGIN
    DELETE FROM person_fts WHERE rowid = (SELECT docid FROM person_search WHERE person_id = OLD.id);
    DELETE FROM person_search WHERE person_id = OLD.id;
END;
-- ID-number prefixes (`q=0123`) as a range on this index.
CREATE INDEX persons_id_number ON persons(id_number);

-- Person search inside a unit (issue 25), measured on the 200,000-person data set.
--
-- 1. A unit's own terms. A common word such as "nguyen" (about 40 % of names) has a
-- doclist of most of the country, and a prefix query reads all of it before the unit columns
-- narrow it. The `scoped` column holds each word again under the person's province and
-- commune (`p52nguyen c21808nguyen …`), so a commune or province search reads only its own
-- unit's terms; the `unit` and `province` columns are no longer needed. The terms come from
-- `thncd_scoped_words`, a function the service registers on every connection
-- (`db::persons::scoped_words`): SQLite has no regular expressions to split the words the way
-- the query does.
--
-- 2. Name order from an index: a unit's persons in name order with their id and status, so
--    the first page of a common word walks the index and stops after 51 matches instead of
--    sorting thousands of rows.
CREATE INDEX persons_province_name ON persons(province_code, full_name, id, status);
CREATE INDEX persons_unit_name ON persons(unit_code, full_name, id, status);
DROP TRIGGER persons_search_insert;
DROP TRIGGER persons_search_update;
DROP TRIGGER persons_search_delete;
DROP TABLE person_fts;
CREATE VIRTUAL TABLE person_fts USING fts5(
    name, scoped, status,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
INSERT INTO person_fts(rowid, name, scoped, status)
    SELECT s.docid, p.search_text, thncd_scoped_words(p.search_text, p.unit_code, p.province_code),
           replace(p.status, '_', '')
    FROM person_search s JOIN persons p ON p.id = s.person_id;

CREATE TRIGGER persons_search_insert AFTER INSERT ON persons BEGIN
    INSERT INTO person_search(person_id) VALUES (NEW.id);
    INSERT INTO person_fts(rowid, name, scoped, status)
        SELECT docid, NEW.search_text, thncd_scoped_words(NEW.search_text, NEW.unit_code, NEW.province_code),
               replace(NEW.status, '_', '')
        FROM person_search WHERE person_id = NEW.id;
END;
CREATE TRIGGER persons_search_update AFTER UPDATE OF search_text, unit_code, province_code, status ON persons
WHEN OLD.search_text IS NOT NEW.search_text OR OLD.unit_code IS NOT NEW.unit_code
    OR OLD.province_code IS NOT NEW.province_code OR OLD.status IS NOT NEW.status
BEGIN
    DELETE FROM person_fts WHERE rowid = (SELECT docid FROM person_search WHERE person_id = OLD.id);
    INSERT INTO person_fts(rowid, name, scoped, status)
        SELECT docid, NEW.search_text, thncd_scoped_words(NEW.search_text, NEW.unit_code, NEW.province_code),
               replace(NEW.status, '_', '')
        FROM person_search WHERE person_id = NEW.id;
END;
CREATE TRIGGER persons_search_delete AFTER DELETE ON persons BEGIN
    DELETE FROM person_fts WHERE rowid = (SELECT docid FROM person_search WHERE person_id = OLD.id);
    DELETE FROM person_search WHERE person_id = OLD.id;
END;

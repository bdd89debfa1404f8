-- Back to the country-wide status terms of 2025-07-26-000001_scoped_search: the first of
-- the three terms is the plain status.
DROP TRIGGER persons_search_insert;
DROP TRIGGER persons_search_update;
UPDATE person_fts SET status = substr(status, 1, instr(status, ' ') - 1);
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

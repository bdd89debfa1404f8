-- The status inside a unit (issue 25), measured on the 200,000-person data set.
--
-- A search inside a unit matched `status : "undermanagement"`, whose posting list is every
-- person under management in the country (about 100,000): intersecting it with a commune's
-- `c21808nguyen` cost 1.4 ms of a 1.9 ms count, and the list of matches the name-order walk
-- checks against took 1.5–2 ms more to build. The status is now also indexed under the
-- person's province and commune, `undermanagement p52undermanagement c21808undermanagement`,
-- so a unit's search reads its unit's status terms only (the count 0.5 ms; a commune's
-- first page of `nguyen` with its count 7.2 → 4.8 ms, a province's 12.5 → 9.5 ms).
-- The terms come from `thncd_status_terms` (`db::persons::status_terms`), registered on
-- every connection. Only the status column and the triggers that write it change.
DROP TRIGGER persons_search_insert;
DROP TRIGGER persons_search_update;
UPDATE person_fts SET status = (
    SELECT thncd_status_terms(p.status, p.unit_code, p.province_code)
    FROM person_search s JOIN persons p ON p.id = s.person_id
    WHERE s.docid = person_fts.rowid
);
CREATE TRIGGER persons_search_insert AFTER INSERT ON persons BEGIN
    INSERT INTO person_search(person_id) VALUES (NEW.id);
    INSERT INTO person_fts(rowid, name, scoped, status)
        SELECT docid, NEW.search_text, thncd_scoped_words(NEW.search_text, NEW.unit_code, NEW.province_code),
               thncd_status_terms(NEW.status, NEW.unit_code, NEW.province_code)
        FROM person_search WHERE person_id = NEW.id;
END;
CREATE TRIGGER persons_search_update AFTER UPDATE OF search_text, unit_code, province_code, status ON persons
WHEN OLD.search_text IS NOT NEW.search_text OR OLD.unit_code IS NOT NEW.unit_code
    OR OLD.province_code IS NOT NEW.province_code OR OLD.status IS NOT NEW.status
BEGIN
    DELETE FROM person_fts WHERE rowid = (SELECT docid FROM person_search WHERE person_id = OLD.id);
    INSERT INTO person_fts(rowid, name, scoped, status)
        SELECT docid, NEW.search_text, thncd_scoped_words(NEW.search_text, NEW.unit_code, NEW.province_code),
               thncd_status_terms(NEW.status, NEW.unit_code, NEW.province_code)
        FROM person_search WHERE person_id = NEW.id;
END;

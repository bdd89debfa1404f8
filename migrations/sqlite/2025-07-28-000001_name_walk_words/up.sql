-- A unit's search for a common word (issue 25), measured on the 200,000-person data set.
--
-- The first page of `nguyen` in a province walked the province's name-order index and checked
-- each entry against the list of the FTS matches: 3,930 of them, each joined to
-- `person_search` for its person id and put in an ephemeral index, before the walk could
-- start. With `search_text` in the index, the walk checks each entry's own words
-- (`thncd_holds_words`, `db::persons::holds_words`) and stops after the page: 117–150 →
-- 305–489 req/s at 16 connections (docs/scaling.md).
-- PostgreSQL's indexes of the same names already carry `search_tokens`.
DROP INDEX persons_province_name;
DROP INDEX persons_unit_name;
CREATE INDEX persons_province_name ON persons(province_code, full_name, id, status, search_text);
CREATE INDEX persons_unit_name ON persons(unit_code, full_name, id, status, search_text);

DROP INDEX persons_name;
CREATE INDEX persons_name ON persons (full_name, id);
DROP INDEX persons_unit_name;
DROP INDEX persons_province_name;
DROP INDEX persons_unit_search_tokens;
ALTER TABLE persons DROP COLUMN unit_search_tokens;
DROP FUNCTION person_unit_search_tokens(text, text, text);

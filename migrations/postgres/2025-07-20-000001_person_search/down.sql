CREATE INDEX persons_search_trgm ON persons USING gin (search_text gin_trgm_ops);
DROP INDEX IF EXISTS persons_id_number_prefix;
DROP INDEX IF EXISTS persons_search_tokens;
ALTER TABLE persons DROP COLUMN search_tokens;

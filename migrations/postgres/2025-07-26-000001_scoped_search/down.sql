DROP INDEX persons_search_tokens;
ALTER TABLE persons DROP COLUMN search_tokens;
DROP FUNCTION person_search_tokens(text, text, text);
ALTER TABLE persons ADD COLUMN search_tokens tsvector
    GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED;
CREATE INDEX persons_search_tokens ON persons USING gin (search_tokens);

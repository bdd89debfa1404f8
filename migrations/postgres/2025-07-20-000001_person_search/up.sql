-- Person search (`q`, issue 25): the folded name tokens (name, other names, ID number) as a
-- tsvector kept by the database itself, with a GIN index: every word of the query must be a
-- word of the record, in any order, the last one as a prefix ("nguyen van a" while typing).
-- An ID-number prefix goes through a btree (text_pattern_ops serves `LIKE '0123%'`).
ALTER TABLE persons ADD COLUMN search_tokens tsvector
    GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED;
CREATE INDEX persons_search_tokens ON persons USING gin (search_tokens);
CREATE INDEX persons_id_number_prefix ON persons (id_number text_pattern_ops);
-- The trigram index served the former substring search; nothing reads it any more, and
-- every write of a person paid for it.
DROP INDEX IF EXISTS persons_search_trgm;

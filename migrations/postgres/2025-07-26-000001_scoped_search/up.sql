-- Person search inside a unit (issue 25), measured on the 200,000-person data set.
--
-- 1. A unit's own terms. "tran van" in a commune read the country's posting lists of `tran`
--    and of every word starting `van` (15 ms) before the unit filter narrowed them. Each word
--    is now also indexed under the person's province and commune, `p52tran c21808tran`, in
--    `unit_search_tokens`; a search of several words inside a unit reads only its unit's
--    terms (0.9 ms). Province codes have 2 digits and commune codes 5, so the code ends at a
--    known place. The words are split as the query splits them: at every non-alphanumeric.
--
-- 2. Name order from an index. A single common word ("nguyen", about 40 % of names) matches
--    thousands of a province's persons: sorting them all by name read every one of their rows
--    (15 ms). These btrees keep a unit's persons in name order with their status and words,
--    so the first page is an index-only scan that stops after 51 matches (1 ms). The planner
--    picks it from the plain words' statistics, which it judges right (it cannot know that a
--    unit's own terms imply the unit, so single words keep using `search_tokens`).
CREATE FUNCTION person_unit_search_tokens(search_text text, unit_code text, province_code text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_to_tsvector(ARRAY(
        SELECT scope || word
        FROM unnest(regexp_split_to_array(search_text, '[^[:alnum:]]+')) AS word,
             unnest(ARRAY['p' || province_code, 'c' || unit_code]) AS scope
        WHERE word <> ''))
$$;
ALTER TABLE persons ADD COLUMN unit_search_tokens tsvector
    GENERATED ALWAYS AS (person_unit_search_tokens(search_text, unit_code, province_code)) STORED;
CREATE INDEX persons_unit_search_tokens ON persons USING gin (unit_search_tokens);
CREATE INDEX persons_province_name ON persons (province_code, full_name, id) INCLUDE (status, search_tokens);
CREATE INDEX persons_unit_name ON persons (unit_code, full_name, id) INCLUDE (status, search_tokens);
DROP INDEX persons_name;
CREATE INDEX persons_name ON persons (full_name, id) INCLUDE (status, search_tokens);
ANALYZE persons;

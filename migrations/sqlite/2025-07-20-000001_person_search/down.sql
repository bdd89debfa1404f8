DROP INDEX IF EXISTS persons_id_number;
DROP TRIGGER IF EXISTS persons_search_delete;
DROP TRIGGER IF EXISTS persons_search_update;
DROP TRIGGER IF EXISTS persons_search_insert;
DROP TABLE IF EXISTS person_fts;
DROP TABLE IF EXISTS person_search;

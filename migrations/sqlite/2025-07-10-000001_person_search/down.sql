DROP TRIGGER persons_search_delete;
DROP TRIGGER persons_search_update;
DROP TRIGGER persons_search_insert;
DROP TABLE persons_search;
DROP TABLE persons_search_keys;

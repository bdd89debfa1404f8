-- PostgreSQL's `persons` gets its own autovacuum threshold in this migration (see its
-- up.sql). SQLite has no visibility map and no autovacuum of that kind.
SELECT 1;

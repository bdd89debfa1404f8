-- SQLite's name-order indexes gain `search_text` in this migration (see its up.sql).
-- PostgreSQL's already carry `search_tokens` (2025-07-26-000001_scoped_search).
SELECT 1;

-- PostgreSQL searches persons through its pg_trgm index (2025-07-02); this migration
-- exists so both backends carry the same migration list.
SELECT 1;

-- SQLite's search index gains unit-scoped status terms in this migration (see its up.sql).
-- PostgreSQL needs none: a unit's search reads the `persons_unit_name` and
-- `persons_province_name` btrees, which carry the status, or the unit's own search terms.
SELECT 1;

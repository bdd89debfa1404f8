-- A unit's person search walks `persons_unit_name` / `persons_province_name` as index-only
-- scans, which read the table for every page whose all-visible mark is gone. A person's
-- first activity of a day updates its row (`last_contact_on`), so everyday work clears the
-- marks; at autovacuum's default (20 % of the rows dead) the national table would be
-- vacuumed about once a month, and the walks would read most of the heap in between
-- (3,740 heap fetches for one page of `nguyen` in a province, 9 ms against 2 ms after a
-- VACUUM: docs/scaling.md, session 24). About 3,000 dead rows on 200,000 persons instead.
ALTER TABLE persons SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000);

-- Covering indexes for the report aggregates. The history tables are wide (free-text
-- reasons and details, text ids): a national report read whole rows it did not need,
-- 290 MB of status history and 192 MB of attribute statements. Each index below holds just
-- the columns the indicator queries read, so they run as index-only scans over a fraction
-- of the pages (see docs/scaling.md for the before and after).
DROP INDEX status_history_managed;
CREATE INDEX status_history_managed ON person_status_history(occurred_on, valid_until)
    INCLUDE (person_id, seq, unit_code, province_code)
    WHERE to_status IN ('received', 'under_management');
DROP INDEX status_history_date;
CREATE INDEX status_history_date ON person_status_history(occurred_on)
    INCLUDE (to_status, from_status, person_id, seq, unit_code, province_code);
-- The statements in force on a day, for the end-of-period breakdowns.
CREATE INDEX attribute_changes_in_force ON person_attribute_changes(changed_on, valid_until)
    INCLUDE (person_id, attribute, value)
    WHERE attribute IN ('classification', 'employment_status', 'needs_focus');
-- Activities by kind in a period, with the order links the national distinct counts read.
DROP INDEX activities_date;
CREATE INDEX activities_date ON activities(occurred_on)
    INCLUDE (kind, legal_sub_kind, deleted, prev_kind_on, prev_family_on);
-- The person's facts the reports group by, beside the key they are joined on.
CREATE INDEX persons_report_facts ON persons(id) INCLUDE (gender, date_of_birth, release_type, late_reception);

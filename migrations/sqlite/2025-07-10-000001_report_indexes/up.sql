-- Covering indexes for the report aggregates. The history tables are wide (free-text
-- reasons and details, text ids): a national report looked up whole rows for a few columns
-- each. Each index below holds every column its indicator query reads (SQLite has no
-- INCLUDE, so they are trailing key columns), so the query never visits the table.
DROP INDEX status_history_managed;
CREATE INDEX status_history_managed ON person_status_history(occurred_on, valid_until, unit_code, province_code, person_id, seq)
    WHERE to_status IN ('received', 'under_management');
-- The caseload groups managed rows by person: in person order, read from the index alone.
CREATE INDEX status_history_managed_person ON person_status_history(person_id, occurred_on, valid_until, to_status)
    WHERE to_status IN ('received', 'under_management');
DROP INDEX status_history_date;
CREATE INDEX status_history_date ON person_status_history(occurred_on, to_status, from_status, person_id, seq, unit_code, province_code);
-- The statements in force on a day, for the end-of-period breakdowns.
CREATE INDEX attribute_changes_in_force ON person_attribute_changes(person_id, attribute, changed_on, valid_until, value)
    WHERE attribute IN ('classification', 'employment_status', 'needs_focus');
-- Activities by kind in a period, with the order links the national distinct counts read.
DROP INDEX activities_date;
CREATE INDEX activities_date ON activities(occurred_on, kind, legal_sub_kind, deleted, prev_kind_on, prev_family_on);
-- The person's facts the reports group by, beside the key they are joined on.
CREATE INDEX persons_report_facts ON persons(id, gender, date_of_birth, release_type, late_reception);

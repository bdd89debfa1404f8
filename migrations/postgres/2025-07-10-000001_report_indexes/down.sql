DROP INDEX persons_report_facts;
DROP INDEX attribute_changes_in_force;
DROP INDEX activities_date;
CREATE INDEX activities_date ON activities(occurred_on);
DROP INDEX status_history_date;
CREATE INDEX status_history_date ON person_status_history(occurred_on);
DROP INDEX status_history_managed;
CREATE INDEX status_history_managed ON person_status_history(occurred_on, valid_until)
    WHERE to_status IN ('received', 'under_management');

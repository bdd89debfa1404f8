DROP INDEX release_notices_date;
DROP INDEX loan_postings_date;
DROP INDEX attribute_changes_date;
DROP INDEX activities_date;
DROP INDEX status_history_date;
DROP TABLE reports;
DROP TABLE report_targets;

ALTER TABLE outreach_events DROP COLUMN topic_code;
ALTER TABLE loans DROP COLUMN programme_name;
ALTER TABLE loans DROP COLUMN programme;

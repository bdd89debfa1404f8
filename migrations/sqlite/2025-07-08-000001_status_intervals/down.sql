DROP TRIGGER attribute_change_interval;
ALTER TABLE person_attribute_changes DROP COLUMN valid_until;
DROP INDEX status_history_managed;
DROP TRIGGER status_history_interval;
ALTER TABLE person_status_history DROP COLUMN valid_until;

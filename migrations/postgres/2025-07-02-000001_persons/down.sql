DROP TABLE judicial_record_requests;
DROP TABLE release_notices;
DROP TABLE convictions;
DROP TABLE person_attribute_changes;
DROP TABLE person_status_history;
DROP TABLE persons;

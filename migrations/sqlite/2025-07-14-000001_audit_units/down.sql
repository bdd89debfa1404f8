DROP TABLE id_number_conflicts;
DROP INDEX audit_events_actor_province;
DROP INDEX audit_events_province;
ALTER TABLE audit_events DROP COLUMN actor_province_code;
ALTER TABLE audit_events DROP COLUMN actor_unit_code;

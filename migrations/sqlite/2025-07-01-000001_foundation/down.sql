DROP TABLE login_failures;
DROP TABLE idempotency_keys;
DROP TRIGGER audit_events_no_delete;
DROP TRIGGER audit_events_no_update;
DROP TABLE audit_events;
DROP TABLE api_clients;
DROP TABLE accounts;
DROP TABLE admin_units;

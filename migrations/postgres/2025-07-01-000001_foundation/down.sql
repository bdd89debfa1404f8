DROP TABLE login_failures;
DROP TABLE idempotency_keys;
DROP TABLE audit_events;
DROP FUNCTION audit_events_append_only();
DROP TABLE api_clients;
DROP TABLE accounts;
DROP TABLE admin_units;

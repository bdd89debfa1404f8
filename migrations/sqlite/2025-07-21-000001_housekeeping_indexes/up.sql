-- The worker's housekeeping purges delete by age; without these each purge scans its table.
CREATE INDEX login_failures_failed_at ON login_failures(failed_at);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys(created_at);
CREATE INDEX domain_events_occurred_at ON domain_events(occurred_at);
CREATE INDEX webhook_deliveries_status_updated ON webhook_deliveries(status, updated_at);

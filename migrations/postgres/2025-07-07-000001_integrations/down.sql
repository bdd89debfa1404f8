DROP TABLE imports;
DROP TABLE webhook_dispatch;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_subscriptions;
DROP TABLE expungement_due_notices;
DROP TABLE domain_events;

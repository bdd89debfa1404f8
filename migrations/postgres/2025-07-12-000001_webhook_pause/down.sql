ALTER TABLE webhook_subscriptions DROP COLUMN paused_reason;
ALTER TABLE webhook_subscriptions DROP COLUMN paused_at;

-- A subscription whose owner lost its rights (disabled, roles or unit changed) is paused:
-- it receives nothing more, and its view says why. Old rows stay valid (not paused).
ALTER TABLE webhook_subscriptions ADD COLUMN paused_at TIMESTAMP;
ALTER TABLE webhook_subscriptions ADD COLUMN paused_reason TEXT;

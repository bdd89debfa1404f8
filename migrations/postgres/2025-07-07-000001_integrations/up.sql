-- Integrations: the transactional outbox of domain events, webhook subscriptions and their
-- deliveries, the daily expungement-due notices, and bulk imports.

-- `xid` is the writing transaction's id: the feed returns only events whose transaction is
-- older than every transaction still running, in (xid, id) order, so a reader never passes
-- an event that commits later with a smaller id.
CREATE TABLE domain_events (
    id BIGSERIAL PRIMARY KEY,
    xid BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    event_id TEXT NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    province_code TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL
);
CREATE INDEX domain_events_order ON domain_events(xid, id);
CREATE INDEX domain_events_entity ON domain_events(entity_id);

CREATE TABLE expungement_due_notices (
    person_id TEXT NOT NULL REFERENCES persons(id),
    due_on DATE NOT NULL,
    noticed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (person_id, due_on)
);

CREATE TABLE webhook_subscriptions (
    id TEXT PRIMARY KEY NOT NULL,
    owner_sub TEXT NOT NULL,
    owner_roles TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    province_code TEXT NOT NULL,
    url TEXT NOT NULL,
    event_types TEXT NOT NULL,
    secret TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    description TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX webhook_subscriptions_owner ON webhook_subscriptions(owner_sub);

CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions(id),
    event_seq BIGINT NOT NULL,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_status_code INTEGER,
    last_error TEXT,
    delivered_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries(subscription_id, created_at);

-- How far the dispatcher has fanned events out to subscriptions (one row).
CREATE TABLE webhook_dispatch (
    id INTEGER PRIMARY KEY,
    last_xid BIGINT NOT NULL,
    last_id BIGINT NOT NULL,
    locked_until TIMESTAMP
);
INSERT INTO webhook_dispatch (id, last_xid, last_id) VALUES (1, 0, 0);

CREATE TABLE imports (
    id TEXT PRIMARY KEY NOT NULL,
    actor_sub TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    province_code TEXT NOT NULL,
    file_name TEXT,
    format TEXT NOT NULL,
    rows_total INTEGER NOT NULL,
    rows_imported INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);

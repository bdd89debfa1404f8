-- Foundation: reference units, principals, audit trail, idempotency.
-- Ids are UUIDv7 text; instants are UTC TIMESTAMP; money is INTEGER VND.

CREATE TABLE admin_units (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    division_type TEXT NOT NULL,
    level TEXT NOT NULL,
    parent_code TEXT REFERENCES admin_units(code),
    province_code TEXT
);
CREATE INDEX admin_units_parent ON admin_units(parent_code, code);

CREATE TABLE accounts (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    full_name TEXT NOT NULL,
    roles TEXT NOT NULL,
    unit_code TEXT NOT NULL REFERENCES admin_units(code),
    province_code TEXT,
    agency TEXT,
    disabled BOOLEAN NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    tokens_valid_after TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX accounts_unit ON accounts(province_code, unit_code);

CREATE TABLE api_clients (
    id TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    roles TEXT NOT NULL,
    unit_code TEXT NOT NULL REFERENCES admin_units(code),
    province_code TEXT,
    agency TEXT,
    disabled BOOLEAN NOT NULL DEFAULT 0,
    tokens_valid_after TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX api_clients_unit ON api_clients(province_code, unit_code);

CREATE TABLE audit_events (
    id TEXT PRIMARY KEY NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    actor_sub TEXT,
    actor_roles TEXT,
    actor_agency TEXT,
    actor_kind TEXT NOT NULL,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT,
    unit_code TEXT,
    province_code TEXT,
    before_json TEXT,
    after_json TEXT,
    reason TEXT,
    request_id TEXT,
    client_address TEXT
);
CREATE INDEX audit_events_entity ON audit_events(entity_type, entity_id, id);
CREATE INDEX audit_events_time ON audit_events(occurred_at, id);
CREATE INDEX audit_events_actor ON audit_events(actor_sub, id);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;

CREATE TABLE idempotency_keys (
    principal TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    operation TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response_status INTEGER,
    response_body TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (principal, idem_key)
);

CREATE TABLE login_failures (
    id TEXT PRIMARY KEY NOT NULL,
    address TEXT NOT NULL,
    username TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_address ON login_failures(address, failed_at);

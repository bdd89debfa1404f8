-- Every audit row carries the unit and province of its record and of its actor, so the
-- audit list's jurisdiction filter finds what a province's staff did (exports, webhooks)
-- and what was done to its records. Old rows are backfilled from admin_units and from the
-- actor's current account or client (their unit at migration time).
ALTER TABLE audit_events ADD COLUMN actor_unit_code TEXT;
ALTER TABLE audit_events ADD COLUMN actor_province_code TEXT;

ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change;
UPDATE audit_events SET province_code =
    (SELECT au.province_code FROM admin_units au WHERE au.code = audit_events.unit_code)
WHERE province_code IS NULL AND unit_code IS NOT NULL;
UPDATE audit_events SET actor_unit_code =
    (SELECT a.unit_code FROM accounts a WHERE a.id = audit_events.actor_sub)
WHERE actor_kind = 'account';
UPDATE audit_events SET actor_unit_code =
    (SELECT c.unit_code FROM api_clients c WHERE c.id = audit_events.actor_sub)
WHERE actor_kind = 'client';
UPDATE audit_events SET actor_province_code =
    (SELECT au.province_code FROM admin_units au WHERE au.code = audit_events.actor_unit_code)
WHERE actor_unit_code IS NOT NULL;
-- Usernames typed at failed logins were kept verbatim (people type passwords there): gone.
UPDATE audit_events SET after_json = '{"username_hmac":null}'
WHERE action = 'auth.login_failed' AND entity_id IS NULL AND after_json IS NOT NULL;
ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change;

UPDATE login_failures SET username = 'removed';

CREATE INDEX audit_events_province ON audit_events(province_code, id);
CREATE INDEX audit_events_actor_province ON audit_events(actor_province_code, id);

-- A refused duplicate ID number, kept so that the provincial police of either side can
-- arrange a transfer (the caller who met it learns nothing about the other record).
CREATE TABLE id_number_conflicts (
    id TEXT PRIMARY KEY NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    id_number TEXT NOT NULL,
    attempted_unit_code TEXT NOT NULL,
    attempted_province_code TEXT,
    existing_person_id TEXT NOT NULL,
    existing_unit_code TEXT NOT NULL,
    existing_province_code TEXT,
    actor_sub TEXT
);
CREATE INDEX id_number_conflicts_attempted ON id_number_conflicts(attempted_province_code, occurred_at);
CREATE INDEX id_number_conflicts_existing ON id_number_conflicts(existing_province_code, occurred_at);

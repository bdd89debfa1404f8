-- Detention facilities as actors (issue 24, points 1-3).
-- The facility a `facility` principal stands for (trại giam, trại tạm giam, nhà tạm giữ).
ALTER TABLE accounts ADD COLUMN facility_name TEXT;
ALTER TABLE api_clients ADD COLUMN facility_name TEXT;
-- Who sent a notice: a facility reads back only the notices it created.
ALTER TABLE release_notices ADD COLUMN created_by TEXT;
-- The in-facility counselling and the travel allowance count on their own dates.
ALTER TABLE release_notices ADD COLUMN counselling_held_on DATE;
ALTER TABLE release_notices ADD COLUMN travel_allowance_paid_on DATE;
UPDATE release_notices SET counselling_held_on = notice_date, travel_allowance_paid_on = expected_release_date;
CREATE INDEX release_notices_created_by ON release_notices(created_by, notice_date);

-- Work inside a facility, each record with its own date.
CREATE TABLE facility_activities (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    occurred_on DATE NOT NULL,
    -- The facility's unit (province, commune or VN) and province ('' for VN).
    unit_code TEXT NOT NULL,
    province_code TEXT NOT NULL,
    facility TEXT NOT NULL,
    topic_code TEXT,
    persons INTEGER NOT NULL,
    -- JSON array of person ids when the persons are named.
    person_ids TEXT,
    attendance INTEGER NOT NULL,
    amount_vnd BIGINT NOT NULL,
    notes TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX facility_activities_unit ON facility_activities(unit_code, occurred_on);
CREATE INDEX facility_activities_province ON facility_activities(province_code, occurred_on);
CREATE INDEX facility_activities_created_by ON facility_activities(created_by, occurred_on);

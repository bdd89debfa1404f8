-- Supervision assignments, the activity log, the personal reintegration plan, and the
-- labour office's trainings, job referrals, social assistance and employers.

ALTER TABLE persons ADD COLUMN last_contact_on DATE;
ALTER TABLE persons ADD COLUMN last_check_in_on DATE;
CREATE INDEX persons_contact ON persons(status, last_contact_on);

CREATE TABLE supervision_assignments (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id),
    unit_code TEXT NOT NULL,
    province_code TEXT NOT NULL,
    supervisor_kind TEXT NOT NULL,
    supervisor_name TEXT NOT NULL,
    organisation TEXT,
    contact TEXT,
    account_id TEXT REFERENCES accounts(id),
    committee_member_id TEXT,
    is_primary BOOLEAN NOT NULL,
    decision_number TEXT,
    decision_date DATE,
    from_date DATE NOT NULL,
    to_date DATE,
    end_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX assignments_person ON supervision_assignments(person_id, from_date);
CREATE INDEX assignments_account ON supervision_assignments(account_id, to_date);
CREATE UNIQUE INDEX assignments_one_primary ON supervision_assignments(person_id) WHERE is_primary AND to_date IS NULL;

CREATE TABLE activities (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id),
    unit_code TEXT NOT NULL,
    province_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    legal_sub_kind TEXT,
    occurred_on DATE NOT NULL,
    group_session_id TEXT,
    author_sub TEXT NOT NULL,
    author_name TEXT,
    place TEXT,
    notes TEXT,
    outcome TEXT,
    next_follow_up_on DATE,
    deleted BOOLEAN NOT NULL DEFAULT 0,
    deleted_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX activities_person ON activities(person_id, occurred_on);
CREATE INDEX activities_unit ON activities(unit_code, occurred_on);
CREATE INDEX activities_province ON activities(province_code, occurred_on);

CREATE TABLE activity_revisions (
    id TEXT PRIMARY KEY NOT NULL,
    activity_id TEXT NOT NULL REFERENCES activities(id),
    version INTEGER NOT NULL,
    snapshot TEXT NOT NULL,
    actor_sub TEXT,
    reason TEXT,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX activity_revisions_activity ON activity_revisions(activity_id, version);

CREATE TABLE plan_items (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id),
    unit_code TEXT NOT NULL,
    province_code TEXT NOT NULL,
    area TEXT NOT NULL,
    goal TEXT,
    status TEXT NOT NULL,
    responsible_agency TEXT,
    updated_on DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (person_id, area)
);
CREATE INDEX plan_items_unit ON plan_items(unit_code, area, status);
CREATE INDEX plan_items_province ON plan_items(province_code, area, status);

CREATE TABLE plan_updates (
    id TEXT PRIMARY KEY NOT NULL,
    plan_item_id TEXT NOT NULL REFERENCES plan_items(id),
    status TEXT NOT NULL,
    note TEXT,
    updated_on DATE NOT NULL,
    actor_sub TEXT,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX plan_updates_item ON plan_updates(plan_item_id, id);

CREATE TABLE employers (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    province_code TEXT NOT NULL,
    sector TEXT,
    legal_form TEXT,
    contact TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX employers_unit ON employers(unit_code);
CREATE INDEX employers_province ON employers(province_code);

CREATE TABLE trainings (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id),
    unit_code TEXT NOT NULL,
    province_code TEXT NOT NULL,
    course TEXT NOT NULL,
    provider TEXT,
    level TEXT NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE,
    result TEXT,
    certificate TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX trainings_person ON trainings(person_id);
CREATE INDEX trainings_unit ON trainings(unit_code, start_date);

CREATE TABLE job_referrals (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id),
    unit_code TEXT NOT NULL,
    province_code TEXT NOT NULL,
    employer_id TEXT REFERENCES employers(id),
    employer_name TEXT NOT NULL,
    referred_on DATE NOT NULL,
    job TEXT NOT NULL,
    outcome TEXT NOT NULL,
    outcome_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX job_referrals_person ON job_referrals(person_id);
CREATE INDEX job_referrals_employer ON job_referrals(employer_id, outcome);
CREATE INDEX job_referrals_unit ON job_referrals(unit_code, referred_on);

CREATE TABLE social_assistance (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id),
    unit_code TEXT NOT NULL,
    province_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    decision_number TEXT,
    amount_vnd BIGINT NOT NULL,
    period_from DATE NOT NULL,
    period_to DATE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX social_assistance_person ON social_assistance(person_id);
CREATE INDEX social_assistance_unit ON social_assistance(unit_code, period_from);

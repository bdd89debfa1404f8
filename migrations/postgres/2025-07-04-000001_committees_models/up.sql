-- Steering committees and their working groups, reintegration models, outreach.

CREATE TABLE steering_committees (
    id TEXT PRIMARY KEY NOT NULL,
    unit_code TEXT NOT NULL REFERENCES admin_units(code),
    province_code TEXT NOT NULL,
    name TEXT NOT NULL,
    working_group_name TEXT,
    decision_number TEXT NOT NULL,
    decision_date DATE NOT NULL,
    signer TEXT,
    status TEXT NOT NULL,
    dissolution_decision_number TEXT,
    dissolved_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX committees_one_active ON steering_committees(unit_code) WHERE status = 'active';
CREATE INDEX committees_province ON steering_committees(province_code);

CREATE TABLE committee_consolidations (
    id TEXT PRIMARY KEY NOT NULL,
    committee_id TEXT NOT NULL REFERENCES steering_committees(id),
    decision_number TEXT NOT NULL,
    decision_date DATE NOT NULL,
    note TEXT,
    changes TEXT NOT NULL,
    actor_sub TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX consolidations_committee ON committee_consolidations(committee_id, decision_date);

CREATE TABLE committee_members (
    id TEXT PRIMARY KEY NOT NULL,
    committee_id TEXT NOT NULL REFERENCES steering_committees(id),
    body TEXT NOT NULL,
    role TEXT NOT NULL,
    full_name TEXT NOT NULL,
    title TEXT,
    organisation TEXT,
    contact TEXT,
    account_id TEXT REFERENCES accounts(id),
    from_date DATE NOT NULL,
    to_date DATE,
    end_reason TEXT,
    consolidation_id TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX members_committee ON committee_members(committee_id, from_date);

CREATE TABLE reintegration_models (
    id TEXT PRIMARY KEY NOT NULL,
    unit_code TEXT NOT NULL REFERENCES admin_units(code),
    province_code TEXT NOT NULL,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    model_type TEXT NOT NULL,
    sponsor_organisation TEXT,
    committee_id TEXT REFERENCES steering_committees(id),
    founding_decision_number TEXT,
    founding_decision_date DATE,
    description TEXT,
    business_lines TEXT NOT NULL,
    status TEXT NOT NULL,
    status_since DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX models_unit ON reintegration_models(unit_code, status);
CREATE INDEX models_province ON reintegration_models(province_code, status);

CREATE TABLE model_milestones (
    id TEXT PRIMARY KEY NOT NULL,
    model_id TEXT NOT NULL REFERENCES reintegration_models(id),
    step TEXT NOT NULL,
    step_order INTEGER NOT NULL,
    achieved_on DATE NOT NULL,
    note TEXT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (model_id, step)
);

CREATE TABLE model_participants (
    id TEXT PRIMARY KEY NOT NULL,
    model_id TEXT NOT NULL REFERENCES reintegration_models(id),
    person_id TEXT REFERENCES persons(id),
    member_id TEXT REFERENCES committee_members(id),
    helper_name TEXT,
    role TEXT NOT NULL,
    joined_on DATE NOT NULL,
    left_on DATE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX participants_model ON model_participants(model_id, left_on);
CREATE INDEX participants_person ON model_participants(person_id);

CREATE TABLE model_reviews (
    id TEXT PRIMARY KEY NOT NULL,
    model_id TEXT NOT NULL REFERENCES reintegration_models(id),
    kind TEXT NOT NULL,
    period_from DATE NOT NULL,
    period_to DATE NOT NULL,
    reviewed_on DATE NOT NULL,
    rating TEXT NOT NULL,
    findings TEXT,
    commendation TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX reviews_model ON model_reviews(model_id, reviewed_on);

CREATE TABLE outreach_events (
    id TEXT PRIMARY KEY NOT NULL,
    unit_code TEXT NOT NULL REFERENCES admin_units(code),
    province_code TEXT NOT NULL,
    held_on DATE NOT NULL,
    kind TEXT NOT NULL,
    topic TEXT NOT NULL,
    organiser TEXT,
    audience_count INTEGER NOT NULL DEFAULT 0,
    quantity INTEGER NOT NULL DEFAULT 0,
    model_id TEXT REFERENCES reintegration_models(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX outreach_unit ON outreach_events(unit_code, held_on);
CREATE INDEX outreach_province ON outreach_events(province_code, held_on);

CREATE TABLE propagandists (
    id TEXT PRIMARY KEY NOT NULL,
    unit_code TEXT NOT NULL REFERENCES admin_units(code),
    province_code TEXT NOT NULL,
    full_name TEXT NOT NULL,
    organisation TEXT,
    from_date DATE NOT NULL,
    to_date DATE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX propagandists_unit ON propagandists(unit_code);
CREATE INDEX propagandists_province ON propagandists(province_code);

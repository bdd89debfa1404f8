-- Persons, their convictions, the lifecycle history and release notices.

CREATE TABLE persons (
    id TEXT PRIMARY KEY NOT NULL,
    full_name TEXT NOT NULL,
    other_names TEXT,
    search_text TEXT NOT NULL,
    gender TEXT NOT NULL,
    date_of_birth DATE,
    id_number TEXT,
    ethnicity TEXT,
    nationality TEXT NOT NULL,
    country TEXT,
    phone TEXT,
    unit_code TEXT NOT NULL REFERENCES admin_units(code),
    province_code TEXT NOT NULL,
    village TEXT,
    address_line TEXT,
    education TEXT,
    occupation TEXT,
    family_situation TEXT,
    status TEXT NOT NULL,
    status_since DATE NOT NULL,
    active BOOLEAN NOT NULL,
    release_date DATE,
    release_type TEXT,
    release_certificate_number TEXT,
    release_certificate_date DATE,
    probation_end DATE,
    offence_group TEXT,
    received_on DATE,
    receiving_officer TEXT,
    commitment_signed BOOLEAN,
    management_file_number TEXT,
    management_started_on DATE,
    juvenile BOOLEAN NOT NULL DEFAULT 0,
    late_reception BOOLEAN NOT NULL DEFAULT 0,
    classification TEXT,
    needs_focus BOOLEAN NOT NULL DEFAULT 0,
    employment_status TEXT,
    expungement_track TEXT,
    expungement_due_on DATE,
    expungement_status TEXT NOT NULL DEFAULT 'none',
    expungement_decided_on DATE,
    expungement_basis TEXT,
    judicial_record_number TEXT,
    judicial_record_issuer TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX persons_active_id_number ON persons(id_number) WHERE active AND id_number IS NOT NULL;
CREATE INDEX persons_unit ON persons(unit_code, status);
CREATE INDEX persons_province ON persons(province_code, status);
CREATE INDEX persons_name ON persons(full_name, id);
CREATE INDEX persons_due ON persons(expungement_due_on);
CREATE INDEX persons_received ON persons(received_on);

CREATE TABLE person_status_history (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id),
    seq INTEGER NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    occurred_on DATE NOT NULL,
    unit_code TEXT NOT NULL,
    province_code TEXT NOT NULL,
    reason TEXT,
    details TEXT,
    actor_sub TEXT,
    recorded_at TIMESTAMP NOT NULL,
    UNIQUE (person_id, seq)
);
CREATE INDEX status_history_unit ON person_status_history(unit_code, occurred_on);
CREATE INDEX status_history_province ON person_status_history(province_code, occurred_on);

CREATE TABLE person_attribute_changes (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id),
    attribute TEXT NOT NULL,
    value TEXT,
    changed_on DATE NOT NULL,
    reason TEXT,
    actor_sub TEXT,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX attribute_changes_person ON person_attribute_changes(person_id, attribute, id);

CREATE TABLE convictions (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id),
    judgment_number TEXT NOT NULL,
    court TEXT NOT NULL,
    judgment_date DATE NOT NULL,
    offence_articles TEXT NOT NULL,
    offence_group TEXT NOT NULL,
    chapter INTEGER NOT NULL,
    principal_kind TEXT NOT NULL,
    principal_months INTEGER,
    supplementary TEXT NOT NULL,
    obligations TEXT NOT NULL,
    detention_facility TEXT,
    sentence_completed_on DATE,
    release_date DATE,
    release_type TEXT,
    certificate_number TEXT,
    certificate_date DATE,
    probation_end DATE,
    new_offence BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX convictions_person ON convictions(person_id, judgment_date);

CREATE TABLE release_notices (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id),
    unit_code TEXT NOT NULL,
    province_code TEXT NOT NULL,
    facility TEXT NOT NULL,
    notice_date DATE NOT NULL,
    expected_release_date DATE NOT NULL,
    counselling_sessions INTEGER NOT NULL DEFAULT 0,
    travel_allowance_vnd BIGINT NOT NULL DEFAULT 0,
    verification_due_on DATE NOT NULL,
    verified_on DATE,
    verification_result TEXT,
    verification_note TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX release_notices_unit ON release_notices(unit_code, verification_due_on);
CREATE INDEX release_notices_province ON release_notices(province_code, verification_due_on);

CREATE TABLE judicial_record_requests (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id),
    requested_on DATE NOT NULL,
    purpose TEXT,
    outcome TEXT NOT NULL,
    certificate_number TEXT,
    issued_on DATE,
    issuer TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX judicial_record_requests_person ON judicial_record_requests(person_id);

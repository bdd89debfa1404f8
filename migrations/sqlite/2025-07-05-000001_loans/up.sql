-- Loans under Decision 22/2023/QĐ-TTg: rates, monthly eligibility lists, loans and the
-- bank's postings. Money is INTEGER VND; rates are basis points per year.

CREATE TABLE loan_rates (
    id TEXT PRIMARY KEY NOT NULL,
    effective_from DATE NOT NULL UNIQUE,
    annual_rate_bp INTEGER NOT NULL,
    note TEXT,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO loan_rates (id, effective_from, annual_rate_bp, note, created_at)
VALUES ('01890000-0000-7000-8000-000000000001', '2023-10-10', 660,
        'Poor-household lending rate when Decision 22/2023/QĐ-TTg took effect', '2023-10-10 00:00:00');

CREATE TABLE loan_lists (
    id TEXT PRIMARY KEY NOT NULL,
    unit_code TEXT NOT NULL REFERENCES admin_units(code),
    province_code TEXT NOT NULL,
    month TEXT NOT NULL,
    version_no INTEGER NOT NULL,
    status TEXT NOT NULL,
    supersedes_id TEXT,
    certified_decision_number TEXT,
    certified_on DATE,
    sent_on DATE,
    acknowledged_on DATE,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (unit_code, month, version_no)
);
CREATE INDEX loan_lists_province ON loan_lists(province_code, month);

CREATE TABLE loan_list_entries (
    id TEXT PRIMARY KEY NOT NULL,
    list_id TEXT NOT NULL REFERENCES loan_lists(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    purpose TEXT NOT NULL,
    amount_wished_vnd BIGINT NOT NULL,
    note TEXT,
    UNIQUE (list_id, person_id, purpose)
);
CREATE INDEX loan_list_entries_person ON loan_list_entries(person_id);

CREATE TABLE loans (
    id TEXT PRIMARY KEY NOT NULL,
    unit_code TEXT NOT NULL REFERENCES admin_units(code),
    province_code TEXT NOT NULL,
    borrower_kind TEXT NOT NULL,
    person_id TEXT REFERENCES persons(id),
    household_rep_name TEXT,
    household_rep_id_number TEXT,
    establishment_name TEXT,
    establishment_registration TEXT,
    workforce INTEGER,
    qualifying_employees INTEGER,
    plan_certified BOOLEAN NOT NULL DEFAULT 0,
    collateral BOOLEAN NOT NULL DEFAULT 0,
    collateral_description TEXT,
    outstanding_same_purpose BOOLEAN NOT NULL DEFAULT 0,
    purpose TEXT NOT NULL,
    course_name TEXT,
    course_months INTEGER,
    amount_vnd BIGINT NOT NULL,
    term_months INTEGER NOT NULL,
    entrusting_organisation TEXT,
    savings_group TEXT,
    application_date DATE NOT NULL,
    status TEXT NOT NULL,
    status_reason TEXT,
    approved_amount_vnd BIGINT,
    approved_on DATE,
    rate_bp INTEGER,
    due_on DATE,
    disbursed_total_vnd BIGINT NOT NULL DEFAULT 0,
    principal_repaid_vnd BIGINT NOT NULL DEFAULT 0,
    interest_paid_vnd BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX loans_unit ON loans(unit_code, status);
CREATE INDEX loans_province ON loans(province_code, status);
CREATE INDEX loans_person ON loans(person_id);

CREATE TABLE loan_postings (
    id TEXT PRIMARY KEY NOT NULL,
    loan_id TEXT NOT NULL REFERENCES loans(id),
    kind TEXT NOT NULL,
    principal_vnd BIGINT NOT NULL,
    interest_vnd BIGINT NOT NULL DEFAULT 0,
    value_date DATE NOT NULL,
    bank_reference TEXT NOT NULL UNIQUE,
    actor_sub TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX loan_postings_loan ON loan_postings(loan_id, value_date);

CREATE TABLE loan_events (
    id TEXT PRIMARY KEY NOT NULL,
    loan_id TEXT NOT NULL REFERENCES loans(id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    occurred_on DATE NOT NULL,
    reason TEXT,
    actor_sub TEXT,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX loan_events_loan ON loan_events(loan_id, id);

CREATE TABLE loan_checks (
    id TEXT PRIMARY KEY NOT NULL,
    loan_id TEXT NOT NULL REFERENCES loans(id),
    checked_on DATE NOT NULL,
    result TEXT NOT NULL,
    findings TEXT,
    actor_sub TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX loan_checks_loan ON loan_checks(loan_id);

-- Reports: targets per unit, indicator and year; periodic reports with frozen figures and
-- narrative sections, versioned (a submitted report never changes; a correction is a new
-- version). Indexes for the date-range aggregates the indicators run nationally.

CREATE TABLE report_targets (
    id TEXT PRIMARY KEY NOT NULL,
    unit_code TEXT NOT NULL REFERENCES admin_units(code),
    province_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    indicator TEXT NOT NULL,
    measure TEXT NOT NULL,
    -- Hundredths: of a percent for rates (1 % = 100), of a unit for counts.
    min_value BIGINT,
    max_value BIGINT,
    note TEXT,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (unit_code, year, indicator)
);
CREATE INDEX report_targets_province ON report_targets(province_code, year);

CREATE TABLE reports (
    id TEXT PRIMARY KEY NOT NULL,
    unit_code TEXT NOT NULL REFERENCES admin_units(code),
    province_code TEXT NOT NULL,
    period_kind TEXT NOT NULL,
    period_from DATE NOT NULL,
    period_to DATE NOT NULL,
    year INTEGER NOT NULL,
    version_no INTEGER NOT NULL,
    supersedes_id TEXT REFERENCES reports(id),
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    sections TEXT NOT NULL,
    due_on DATE,
    created_by TEXT,
    submitted_at TIMESTAMP,
    submitted_by TEXT,
    decided_at TIMESTAMP,
    decided_by TEXT,
    decision_comment TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (unit_code, period_kind, period_from, period_to, version_no)
);
CREATE INDEX reports_unit ON reports(unit_code, period_kind, year);
CREATE INDEX reports_province ON reports(province_code, period_kind, year);

CREATE INDEX status_history_date ON person_status_history(occurred_on);
CREATE INDEX activities_date ON activities(occurred_on);
CREATE INDEX attribute_changes_date ON person_attribute_changes(person_id, attribute, changed_on);
CREATE INDEX loan_postings_date ON loan_postings(value_date, kind);
CREATE INDEX release_notices_date ON release_notices(notice_date);

-- Plans as the documents write them (issue 27): a province's Đề án, a district's plan, a
-- commune's model plan. Each has its issuing decision, a unit or an area (`area:<id>`),
-- a period of years and targets that quote the document.
CREATE TABLE plans (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    decision_number TEXT NOT NULL,
    decision_date DATE NOT NULL,
    decision_issuer TEXT NOT NULL,
    -- A commune, a province, VN, or a named area `area:<id>`.
    unit_code TEXT NOT NULL,
    -- The province of the unit or area (VN when an area spans provinces, empty for VN).
    province_code TEXT NOT NULL,
    from_year INTEGER NOT NULL,
    to_year INTEGER NOT NULL,
    archived_at TIMESTAMP,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX plans_unit ON plans(unit_code, from_year);
CREATE INDEX plans_province ON plans(province_code, from_year);

-- A target: the document's sentence, an indicator, the years it applies to, an optional
-- deadline (evaluated on that date).
CREATE TABLE plan_targets (
    id TEXT PRIMARY KEY NOT NULL,
    plan_id TEXT NOT NULL REFERENCES plans(id),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    indicator TEXT NOT NULL,
    measure TEXT NOT NULL,
    from_year INTEGER NOT NULL,
    to_year INTEGER NOT NULL,
    due_on DATE,
    UNIQUE (plan_id, position)
);

-- A target's bounds from a year on (the first from the target's first year; "Đến năm 2030
-- giảm xuống 0,5%" adds one from 2030). Hundredths: of a percent for rates, of a unit for
-- counts.
CREATE TABLE plan_bounds (
    target_id TEXT NOT NULL REFERENCES plan_targets(id),
    from_year INTEGER NOT NULL,
    min_value BIGINT,
    aim_value BIGINT,
    max_value BIGINT,
    max_exclusive BOOLEAN NOT NULL,
    PRIMARY KEY (target_id, from_year)
);

-- Days off and make-up working days added by admins (POST /api/v1/holidays) on top of the
-- table shipped in data/holidays-vn.csv (read by the service; not copied here, so a corrected
-- data file takes effect without a migration).
CREATE TABLE public_holidays (
    day DATE PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'compensatory', 'swapped', 'workday')),
    name TEXT NOT NULL,
    basis TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Named areas: a saved set of reporting units ("Huyện Đắk Glong (cũ)", "Cụm xã biên giới").
CREATE TABLE areas (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    -- The units, comma-separated, in the order given.
    units TEXT NOT NULL,
    -- The province every unit lies in, or VN when they span provinces.
    province_code TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX areas_province ON areas(province_code, name);

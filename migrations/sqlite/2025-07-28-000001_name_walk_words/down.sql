DROP INDEX persons_province_name;
DROP INDEX persons_unit_name;
CREATE INDEX persons_province_name ON persons(province_code, full_name, id, status);
CREATE INDEX persons_unit_name ON persons(unit_code, full_name, id, status);

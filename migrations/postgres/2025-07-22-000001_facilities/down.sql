DROP TABLE facility_activities;
DROP INDEX release_notices_created_by;
ALTER TABLE release_notices DROP COLUMN travel_allowance_paid_on;
ALTER TABLE release_notices DROP COLUMN counselling_held_on;
ALTER TABLE release_notices DROP COLUMN created_by;
ALTER TABLE api_clients DROP COLUMN facility_name;
ALTER TABLE accounts DROP COLUMN facility_name;

DROP INDEX activities_group_sessions;
ALTER TABLE activities DROP COLUMN prev_family_on;
ALTER TABLE activities DROP COLUMN prev_kind_on;

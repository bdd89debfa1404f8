ALTER TABLE persons DROP COLUMN expungement_last_refused_on;
ALTER TABLE persons DROP COLUMN expungement_refusals;
ALTER TABLE persons DROP COLUMN expungement_decision_number;
ALTER TABLE persons DROP COLUMN expungement_basis_kind;
DROP TABLE conviction_versions;
ALTER TABLE convictions DROP COLUMN expunged_on;
ALTER TABLE convictions DROP COLUMN culpability;
ALTER TABLE convictions DROP COLUMN crime_category;
ALTER TABLE convictions DROP COLUMN offence_date;

-- Issue 21 (criminal records): facts Arts. 69(2) and 107 of the Criminal Code need, a
-- per-conviction expungement date, kept versions of edited convictions, and the basis of
-- the justice office's decision with the court refusals Art. 71(3) counts.
ALTER TABLE convictions ADD COLUMN offence_date DATE;
ALTER TABLE convictions ADD COLUMN crime_category TEXT;
ALTER TABLE convictions ADD COLUMN culpability TEXT;
ALTER TABLE convictions ADD COLUMN expunged_on DATE;
-- A parolee's sentence is served at the end of probation (Art. 66), not on release: the
-- rows that took the release date by default get the end of probation instead.
UPDATE convictions SET sentence_completed_on = probation_end
    WHERE release_type = 'conditional_early_release' AND probation_end IS NOT NULL
      AND sentence_completed_on = release_date;

CREATE TABLE conviction_versions (
    id TEXT PRIMARY KEY NOT NULL,
    conviction_id TEXT NOT NULL REFERENCES convictions(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    version INTEGER NOT NULL,
    snapshot TEXT NOT NULL,
    reason TEXT NOT NULL,
    replaced_at TIMESTAMP NOT NULL,
    replaced_by TEXT NOT NULL
);
CREATE UNIQUE INDEX conviction_versions_key ON conviction_versions(conviction_id, version);

ALTER TABLE persons ADD COLUMN expungement_basis_kind TEXT;
ALTER TABLE persons ADD COLUMN expungement_decision_number TEXT;
ALTER TABLE persons ADD COLUMN expungement_refusals INTEGER NOT NULL DEFAULT 0;
ALTER TABLE persons ADD COLUMN expungement_last_refused_on DATE;

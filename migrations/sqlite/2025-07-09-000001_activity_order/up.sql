-- Distinct persons reached, counted nationally without a sort or hash over person ids: each
-- live activity carries the day of the same person's previous live activity of the same
-- kind and sub-kind (`prev_kind_on`) and of the same family (`prev_family_on`: both
-- counselling kinds together, legal support across its sub-kinds). "Persons reached in
-- [from, to]" is then the number of activities in the period whose previous one is before
-- `from`. Kept by `refresh_activity_order` in every activity write's transaction.
ALTER TABLE activities ADD COLUMN prev_kind_on DATE;
ALTER TABLE activities ADD COLUMN prev_family_on DATE;
UPDATE activities SET prev_kind_on = o.pk, prev_family_on = o.pf
FROM (SELECT id,
             LAG(occurred_on) OVER (PARTITION BY person_id, kind, legal_sub_kind ORDER BY occurred_on, id) AS pk,
             LAG(occurred_on) OVER (PARTITION BY person_id,
                                    CASE WHEN kind IN ('counselling_individual', 'counselling_group') THEN 'counselling' ELSE kind END
                                    ORDER BY occurred_on, id) AS pf
      FROM activities WHERE NOT deleted) o
WHERE activities.id = o.id;
-- Group counselling sessions in a period, read from the index alone.
CREATE INDEX activities_group_sessions ON activities(occurred_on, group_session_id)
    WHERE kind = 'counselling_group' AND NOT deleted;
